//! `deploysim sweep`: a grid of varied keys, one summary per point, and with `--target`
//! a verdict per point.

use crate::cli::{Format, SweepArgs};
use crate::experiment::RunSettings;
use crate::experiment::sweep::{Question, sweep as run_sweep, sweep_question};
use crate::report;

use super::UsageError;
use super::variants::{
    Source, check_runs_and_threads, grid_scenarios, parse_axes, parse_overrides, question_info,
    target_and_confidence, write_question_files,
};

pub fn sweep(args: SweepArgs) -> anyhow::Result<()> {
    let overrides = parse_overrides("--set", &args.scenario.set)?;
    let (source, scenario) = Source::open(&args.scenario.file, overrides)?;
    let axes = parse_axes(&args.vary)?;
    let runs = args.replications.runs.unwrap_or(scenario.simulation.runs);
    check_runs_and_threads(runs, args.replications.threads)?;
    let seed = args.replications.seed.unwrap_or(scenario.simulation.seed);
    // A question only when asked for, so a plain sweep's output never changes.
    let question = if args.target.is_some() || args.confidence.is_some() {
        if args.target.is_none()
            && let Some(axis) = axes.iter().find(|a| a.key == "simulation.target")
        {
            return Err(UsageError(format!(
                "--confidence: the sweep varies {}, so there is no one target to ask about; give --target too",
                axis.key
            ))
            .into());
        }
        let (target_seconds, confidence) =
            target_and_confidence(args.target.as_deref(), args.confidence, &scenario, "15m")?;
        Some(Question::new(
            target_seconds,
            confidence,
            args.all_runs,
            runs,
        ))
    } else {
        None
    };
    let (labels, scenarios): (Vec<Vec<String>>, Vec<_>) =
        grid_scenarios(&source, &axes)?.into_iter().unzip();
    let settings = RunSettings {
        runs,
        seed,
        threads: args.replications.threads,
        progress: false,
    };
    let summaries = match &question {
        Some(question) => sweep_question(&scenarios, settings, question)?,
        None => run_sweep(&scenarios, settings)?,
    };
    let keys: Vec<String> = axes.iter().map(|a| a.key.clone()).collect();
    let rows: Vec<(Vec<String>, _)> = labels.into_iter().zip(summaries).collect();
    let info = question_info(&scenario, &args.scenario.file, runs, seed);
    let question = question.as_ref();
    let chart = report::sweep_chart(&scenario.name, &keys, &rows, question).transpose()?;
    let files = write_question_files(
        &args.output.out,
        &scenario.name,
        "sweep",
        &report::sweep_csv(&keys, &rows, question, runs),
        chart.as_ref(),
        |files| {
            report::sweep_report_html(
                &info,
                &keys,
                &rows,
                question,
                &scenario,
                chart.as_ref(),
                files,
            )
        },
    )?;
    match args.output.format {
        Format::Json => print!("{}", report::sweep_json(&info, &keys, &rows, question)),
        Format::Text => print!(
            "{}",
            report::sweep_text(&info, &keys, &rows, question, &files)
        ),
    }
    Ok(())
}

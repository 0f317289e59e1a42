//! `deploysim sweep`: a grid of varied keys, one summary per point.

use crate::cli::{Format, SweepArgs};
use crate::experiment::RunSettings;
use crate::experiment::sweep::sweep as run_sweep;
use crate::report;

use super::variants::{
    Source, check_runs_and_threads, grid_scenarios, parse_axes, parse_overrides, question_info,
    write_question_files,
};

pub fn sweep(args: SweepArgs) -> anyhow::Result<()> {
    let overrides = parse_overrides("--set", &args.scenario.set)?;
    let (source, scenario) = Source::open(&args.scenario.file, overrides)?;
    let axes = parse_axes(&args.vary)?;
    let runs = args.replications.runs.unwrap_or(scenario.simulation.runs);
    check_runs_and_threads(runs, args.replications.threads)?;
    let seed = args.replications.seed.unwrap_or(scenario.simulation.seed);
    let (labels, scenarios): (Vec<Vec<String>>, Vec<_>) =
        grid_scenarios(&source, &axes)?.into_iter().unzip();
    let summaries = run_sweep(
        &scenarios,
        RunSettings {
            runs,
            seed,
            threads: args.replications.threads,
            progress: false,
        },
    )?;
    let keys: Vec<String> = axes.iter().map(|a| a.key.clone()).collect();
    let rows: Vec<(Vec<String>, _)> = labels.into_iter().zip(summaries).collect();
    let info = question_info(&scenario, &args.scenario.file, runs, seed);
    let chart = report::sweep_chart(&scenario.name, &keys, &rows).transpose()?;
    let files = write_question_files(
        &args.output.out,
        &scenario.name,
        "sweep",
        &report::sweep_csv(&keys, &rows),
        chart.as_ref(),
        |files| report::sweep_report_html(&info, &keys, &rows, &scenario, chart.as_ref(), files),
    )?;
    match args.output.format {
        Format::Json => print!("{}", report::sweep_json(&info, &keys, &rows)),
        Format::Text => print!("{}", report::sweep_text(&info, &keys, &rows, &files)),
    }
    Ok(())
}

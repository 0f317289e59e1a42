//! `deploysim cheapest`: the cheapest configuration over a grid of knobs that meets a
//! deploy-time target, and the time-vs-cost frontier.

use crate::cli::{CheapestArgs, Format};
use crate::experiment::cheapest::{CheapestSettings, cheapest as search};
use crate::report;

use super::UsageError;
use super::variants::{
    Source, check_runs_and_threads, grid_scenarios, parse_axes, parse_overrides, question_info,
    target_and_confidence, write_question_files,
};

/// Settings a capacity review chooses between. Keys that describe the world (the service,
/// its launch timings, failures) or how the simulation runs are not choices to price.
fn choosable(key: &str) -> bool {
    [
        "cluster.",
        "deployment.",
        "autoscaling.",
        "agent.",
        "scheduler.",
        "health_check.",
        "draining.",
    ]
    .iter()
    .any(|prefix| key.starts_with(prefix))
}

pub fn cheapest(args: CheapestArgs) -> anyhow::Result<()> {
    let overrides = parse_overrides("--set", &args.scenario.set)?;
    let (source, scenario) = Source::open(&args.scenario.file, overrides)?;
    let axes = parse_axes(&args.vary)?;
    if let Some(axis) = axes.iter().find(|axis| !choosable(&axis.key)) {
        return Err(UsageError(format!(
            "--vary {}: not a setting to choose between; cheapest varies capacity and deployment settings (cluster.*, deployment.*, autoscaling.*, agent.*, scheduler.*, health_check.*, draining.*)",
            axis.key
        ))
        .into());
    }
    let runs = args.replications.runs.unwrap_or(scenario.simulation.runs);
    check_runs_and_threads(runs, args.replications.threads)?;
    let seed = args.replications.seed.unwrap_or(scenario.simulation.seed);
    let (target_seconds, confidence) = target_and_confidence(
        args.target.as_deref(),
        args.confidence,
        &scenario,
        "p95<15m",
    )?;

    let points = grid_scenarios(&source, &axes)?;
    let keys: Vec<String> = axes.iter().map(|a| a.key.clone()).collect();
    let result = search(
        &keys,
        &points,
        &CheapestSettings {
            target_seconds,
            confidence,
            runs,
            seed,
            threads: args.replications.threads,
        },
    )
    .map_err(|e| UsageError(format!("--vary: {e}")))?;
    let info = question_info(&scenario, &args.scenario.file, runs, seed);
    let chart = report::cheapest_chart(&scenario.name, &result)?;
    let files = write_question_files(
        &args.output.out,
        &scenario.name,
        "cheapest",
        &report::cheapest_csv(&result),
        Some(&chart),
        |files| report::cheapest_report_html(&info, &result, &scenario, &chart, files),
    )?;
    match args.output.format {
        Format::Json => print!("{}", report::cheapest_json(&info, &result)),
        Format::Text => print!("{}", report::cheapest_text(&info, &result, &files)),
    }
    Ok(())
}

//! `deploysim sweep`: a grid of varied keys, one summary per point.

use crate::cli::{Format, SweepArgs};
use crate::experiment::RunSettings;
use crate::experiment::sweep::sweep as run_sweep;
use crate::output::{folder_name, write_atomic};
use crate::report::{self, RunInfo};

use super::command_line;
use super::variants::{
    Source, check_runs_and_threads, grid_scenarios, parse_axes, parse_overrides, write_chart,
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
    let info = RunInfo {
        scenario: scenario.name.clone(),
        file: args.scenario.file.display().to_string(),
        runs,
        seed,
        command: command_line(),
    };
    // Its own folder, so its report.html does not replace run's or plan's.
    let folder = args
        .output
        .out
        .join(folder_name(&scenario.name))
        .join("sweep");
    let csv_path = folder.join("sweep.csv");
    write_atomic(&csv_path, &report::sweep_csv(&keys, &rows))?;
    let mut files = vec![csv_path.display().to_string()];
    let chart = report::sweep_chart(&scenario.name, &keys, &rows).transpose()?;
    if let Some(chart) = &chart {
        files.extend(write_chart(&folder, chart)?);
    }
    let html_path = folder.join("report.html");
    files.push(html_path.display().to_string());
    let html = report::sweep_report_html(&info, &keys, &rows, &scenario, chart.as_ref(), &files);
    write_atomic(&html_path, html.as_bytes())?;
    match args.output.format {
        Format::Json => print!("{}", report::sweep_json(&info, &keys, &rows)),
        Format::Text => print!("{}", report::sweep_text(&info, &keys, &rows, &files)),
    }
    Ok(())
}

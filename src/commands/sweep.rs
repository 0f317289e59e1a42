//! `deploysim sweep`: a grid of varied keys, one summary per point.

use crate::cli::{Format, SweepArgs};
use crate::experiment::RunSettings;
use crate::experiment::sweep::{Axis, grid, point_overrides, sweep as run_sweep};
use crate::output::{folder_name, write_atomic};
use crate::report::{self, RunInfo};

use super::variants::{
    Source, check_runs_and_threads, error_is_about, parse_overrides, write_chart,
};
use super::{UsageError, command_line};

pub fn sweep(args: SweepArgs) -> anyhow::Result<()> {
    let overrides = parse_overrides("--set", &args.scenario.set)?;
    let (source, scenario) = Source::open(&args.scenario.file, overrides)?;
    let axes = args
        .vary
        .iter()
        .map(|text| Axis::parse(text).map_err(UsageError))
        .collect::<Result<Vec<Axis>, UsageError>>()?;
    for (i, axis) in axes.iter().enumerate() {
        if axes[..i].iter().any(|other| other.key == axis.key) {
            return Err(UsageError(format!(
                "--vary {}: the key is varied twice; give all its values in one --vary",
                axis.key
            ))
            .into());
        }
    }
    let runs = args.replications.runs.unwrap_or(scenario.simulation.runs);
    check_runs_and_threads(runs, args.replications.threads)?;
    let seed = args.replications.seed.unwrap_or(scenario.simulation.seed);
    let points = grid(&axes).map_err(UsageError)?;
    let mut scenarios = Vec::with_capacity(points.len());
    let mut labels = Vec::with_capacity(points.len());
    for point in &points {
        let values: Vec<String> = axes
            .iter()
            .zip(point)
            .map(|(axis, &i)| axis.values[i].label.clone())
            .collect();
        let built = source.with(&point_overrides(&axes, point)).map_err(|e| {
            let described: Vec<String> = axes
                .iter()
                .zip(&values)
                .map(|(axis, value)| format!("{}={value}", axis.key))
                .collect();
            if axes.iter().any(|axis| error_is_about(&e, &axis.key)) {
                UsageError(format!(
                    "--vary: the point {} is not valid: key `{}`: {}",
                    described.join(" "),
                    e.key.clone().unwrap_or_default(),
                    e.message
                ))
            } else {
                UsageError(format!(
                    "--vary: the point {} is not valid: {e}",
                    described.join(" ")
                ))
            }
        })?;
        scenarios.push(built);
        labels.push(values);
    }
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

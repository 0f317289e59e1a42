//! `deploysim run`: many replications, a summary, CSV and JSON.

use crate::cli::{Format, RunArgs};
use crate::experiment::{RunSettings, Summary, run_replications};
use crate::output::{folder_name, write_atomic};
use crate::report::{self, RunInfo};

use super::{UsageError, command_line, load_scenario};

pub fn run(args: RunArgs) -> anyhow::Result<()> {
    let scenario = load_scenario(&args.scenario)?;
    let runs = args.runs.unwrap_or(scenario.simulation.runs);
    if runs == 0 {
        return Err(UsageError("--runs: must be at least 1".into()).into());
    }
    if args.threads == Some(0) {
        return Err(UsageError("--threads: must be at least 1".into()).into());
    }
    let seed = args.seed.unwrap_or(scenario.simulation.seed);
    let results = run_replications(
        &scenario,
        RunSettings {
            runs,
            seed,
            threads: args.threads,
            progress: true,
        },
    )?;
    let target = scenario.simulation.target.map(|t| t.0.as_secs_f64());
    let summary = Summary::of(&results, target);
    let info = RunInfo {
        scenario: scenario.name.clone(),
        file: args.scenario.file.display().to_string(),
        runs,
        seed,
        command: command_line(),
    };
    let folder = args.out.join(folder_name(&scenario.name));
    let csv_path = folder.join("replications.csv");
    let json_path = folder.join("summary.json");
    let summary_json = report::summary_json(&info, &summary, &scenario);
    write_atomic(&csv_path, &report::replications_csv(&results, 0))?;
    write_atomic(&json_path, summary_json.as_bytes())?;
    let written = super::reports::write_run_reports(
        &folder,
        &info,
        &summary,
        &scenario,
        &results,
        vec![csv_path, json_path],
    )?;
    match args.format {
        Format::Json => print!("{summary_json}"),
        Format::Text => {
            let files: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
            print!("{}", report::run_summary_text(&info, &summary, &files))
        }
    }
    Ok(())
}

//! `deploysim compare`: two configurations, paired replication by replication.

use crate::cli::{CompareArgs, Format};
use crate::experiment::RunSettings;
use crate::experiment::compare::compare as run_compare;
use crate::output::{folder_name, write_atomic};
use crate::report::{self, CompareInfo};
use crate::scenario::{Override, ScenarioError};

use super::variants::{
    Source, check_runs_and_threads, describe_for_flag, parse_overrides, write_chart,
};
use super::{UsageError, command_line};

fn set_b_error(error: &ScenarioError, only_b: &[Override]) -> UsageError {
    let keys: Vec<&str> = only_b.iter().map(|o| o.key.as_str()).collect();
    UsageError(format!(
        "scenario B (--set-b): {}",
        describe_for_flag(error, &keys)
    ))
}

pub fn compare(args: CompareArgs) -> anyhow::Result<()> {
    let both = parse_overrides("--set", &args.set)?;
    let only_b = parse_overrides("--set-b", &args.set_b)?;
    if args.file_b.is_none() && only_b.is_empty() {
        return Err(UsageError(
            "compare: give a second scenario file (compare A.toml B.toml) or at least one --set-b key=value (B is then A with it)"
                .into(),
        )
        .into());
    }
    let (source_a, a) = Source::open(&args.file, both.clone())?;
    let b_file = args.file_b.clone().unwrap_or_else(|| args.file.clone());
    let b = match &args.file_b {
        Some(path) => {
            let (source_b, b) = Source::open(path, both)?;
            if only_b.is_empty() {
                b
            } else {
                source_b
                    .with(&only_b)
                    .map_err(|e| set_b_error(&e, &only_b))?
            }
        }
        None => source_a
            .with(&only_b)
            .map_err(|e| set_b_error(&e, &only_b))?,
    };
    let runs = args.runs.unwrap_or(a.simulation.runs);
    check_runs_and_threads(runs, args.threads)?;
    let seed = args.seed.unwrap_or(a.simulation.seed);
    let (results_a, results_b, comparison) = run_compare(
        &a,
        &b,
        RunSettings {
            runs,
            seed,
            threads: args.threads,
            progress: true,
        },
    )?;
    let info = CompareInfo {
        a_scenario: a.name.clone(),
        a_file: args.file.display().to_string(),
        b_scenario: b.name.clone(),
        b_file: b_file.display().to_string(),
        b_overrides: args.set_b.clone(),
        runs,
        seed,
        command: command_line(),
    };
    let folder = args.out.join(folder_name(&a.name));
    let csv_path = folder.join("compare.csv");
    write_atomic(&csv_path, &report::compare_csv(&results_a, &results_b))?;
    let mut files = vec![csv_path.display().to_string()];
    files.extend(write_chart(
        &folder,
        &report::compare_chart(&info, &results_a, &results_b)?,
    )?);
    match args.format {
        Format::Json => print!("{}", report::compare_json(&info, &comparison)),
        Format::Text => print!("{}", report::compare_text(&info, &comparison, &files)),
    }
    Ok(())
}

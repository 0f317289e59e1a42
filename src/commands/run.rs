//! `deploysim run`: many replications (or one shard of them), a summary, CSV and JSON.

use std::path::PathBuf;

use crate::cli::{Format, RunArgs};
use crate::experiment::budget::{self, DEFAULT_EVENT_CAP, Estimate};
use crate::experiment::costs::DailyCost;
use crate::experiment::shard::{RunIdentity, ShardFile, ShardSpec};
use crate::experiment::{RunSettings, Summary, interrupt, run_range_sized};
use crate::model::{Outcome, ReplicationResult};
use crate::output::{folder_name, write_atomic, write_atomic_with};
use crate::report::{self, RunInfo};
use crate::scenario::Scenario;

use super::{RequirementsNotMet, UsageError, load_scenario, shell_quote};
use crate::experiment::preflight;
use crate::experiment::require::{Measure, Requirement};

pub fn run(args: RunArgs) -> anyhow::Result<()> {
    let scenario = load_scenario(&args.scenario)?;
    let runs = args.replications.runs.unwrap_or(scenario.simulation.runs);
    if runs == 0 {
        return Err(UsageError("--runs: must be at least 1".into()).into());
    }
    if args.replications.threads == Some(0) {
        return Err(UsageError("--threads: must be at least 1".into()).into());
    }
    if args.max_events == Some(0) {
        return Err(UsageError("--max-events: must be at least 1".into()).into());
    }
    let requirements = args
        .require
        .iter()
        .map(|text| Requirement::parse(text).map_err(UsageError))
        .collect::<Result<Vec<_>, _>>()?;
    if !requirements.is_empty() && args.shard.is_some() {
        return Err(UsageError(
            "--require: a shard holds only part of the replications; check requirements on the whole run (without --shard)".into(),
        )
        .into());
    }
    if let Some(r) = requirements.iter().find(|r| r.needs_price())
        && !crate::scenario::is_priced(&scenario)
    {
        return Err(UsageError(format!(
            "--require {}: hosts are not priced; set cluster.host_hourly_cost or cluster.instance_type",
            r.text
        ))
        .into());
    }
    // Printed before simulating, on standard error so JSON on standard output stays clean.
    let mut findings = preflight::check(&scenario);
    for r in &requirements {
        if let Measure::Percentile(p) = &r.measure {
            findings.extend(preflight::check_target(
                &scenario,
                p.seconds,
                &format!("--require {}: the target", r.text),
            ));
        }
    }
    for finding in &findings {
        eprintln!("pre-flight: {finding}");
    }
    let shard = args
        .shard
        .as_deref()
        .map(|text| ShardSpec::parse(text, |v| std::env::var(v).ok()))
        .transpose()
        .map_err(UsageError)?;
    let seed = args.replications.seed.unwrap_or(scenario.simulation.seed);
    let identity = RunIdentity {
        scenario: scenario.name.clone(),
        file: args.scenario.file.display().to_string(),
        runs,
        seed,
        max_events: args.max_events,
        command: reproduce_command(&args, runs, seed),
    };
    let replications = shard.map_or(0..runs, |s| s.range(runs));
    interrupt::install_handler();
    let results = run_checked(&scenario, &args, seed, replications)?;
    let folder = args.output.out.join(folder_name(&scenario.name));

    if let Some(spec) = shard {
        let path = folder.join(spec.file_name());
        let file = ShardFile::new(identity, spec, &scenario, &results);
        let mut bytes = serde_json::to_vec(&file)?;
        bytes.push(b'\n');
        write_atomic(&path, &bytes)?;
        println!(
            "{}: shard {}/{} = replications {}..{} of {}, seed {}; wrote {}",
            scenario.name,
            spec.index,
            spec.count,
            file.first,
            file.first as usize + results.len(),
            runs,
            seed,
            path.display()
        );
        return Ok(());
    }
    write_reports(&identity, &scenario, &results, &folder, args.output.format)?;
    let costs = DailyCost::of(&scenario, &results);
    let unmet: Vec<String> = requirements
        .iter()
        .filter_map(|r| r.check(&results, &costs).err())
        .collect();
    if unmet.is_empty() {
        Ok(())
    } else {
        Err(RequirementsNotMet(unmet).into())
    }
}

/// Writes `replications.csv` and `summary.json` into `folder` and prints the summary: what
/// `run` does with all its results and `merge` with the shards' (the same bytes).
pub fn write_reports(
    identity: &RunIdentity,
    scenario: &Scenario,
    results: &[ReplicationResult],
    folder: &std::path::Path,
    format: Format,
) -> anyhow::Result<()> {
    let target = scenario.simulation.target.map(|t| t.0.as_secs_f64());
    let summary = Summary::of(results, target);
    let costs = DailyCost::of(scenario, results);
    let info = RunInfo {
        scenario: identity.scenario.clone(),
        file: identity.file.clone(),
        runs: identity.runs,
        seed: identity.seed,
        command: identity.command.clone(),
    };
    let csv_path = folder.join("replications.csv");
    let json_path = folder.join("summary.json");
    let summary_json = report::summary_json(&info, &summary, &costs, scenario);
    // Streamed: at a million replications the CSV alone would be ~100 MB in memory.
    write_atomic_with(&csv_path, |mut file| {
        report::write_replications_csv(&mut file, results, 0)
    })?;
    write_atomic(&json_path, summary_json.as_bytes())?;
    let mut data_files = vec![csv_path, json_path];
    // Why runs did not complete, one row per kind; only when some did not.
    if !summary.reasons.is_empty() {
        let reasons_path = folder.join("reasons.csv");
        write_atomic(&reasons_path, &report::reasons_csv(&summary))?;
        data_files.push(reasons_path);
    }
    let written = super::reports::write_run_reports(
        folder, &info, &summary, &costs, scenario, results, data_files,
    )?;
    match format {
        Format::Json => print!("{summary_json}"),
        Format::Text => {
            let files: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
            print!(
                "{}",
                report::run_summary_text(&info, &summary, &costs, &files)
            )
        }
    }
    Ok(())
}

/// Runs `replications` under the size rule of [`budget`]: refuses, with an estimate, a run
/// that does not fit in memory or whose replications do not end within the event cap.
fn run_checked(
    scenario: &Scenario,
    args: &RunArgs,
    seed: u64,
    replications: std::ops::Range<u32>,
) -> anyhow::Result<Vec<ReplicationResult>> {
    let threads = args
        .replications
        .threads
        .unwrap_or_else(rayon::current_num_threads)
        .min(replications.len().max(1)) as u64;
    let count = replications.len() as u64;
    let available = budget::available_memory();
    budget::check_memory(&Estimate::from_size(scenario, count, threads), available)
        .map_err(UsageError)?;
    let Some(first) = replications.clone().next() else {
        return Ok(Vec::new());
    };
    let cap = args.max_events.unwrap_or(DEFAULT_EVENT_CAP);
    let (pilot, took) = budget::pilot(scenario, seed, first, cap);
    let estimate = Estimate::from_pilot(scenario, &pilot, took, count, threads);
    if args.max_events.is_none() && pilot.outcome == Outcome::EventLimit {
        return Err(too_many_events(first, &estimate).into());
    }
    budget::check_memory(&estimate, available).map_err(UsageError)?;
    let settings = RunSettings {
        runs: args.replications.runs.unwrap_or(scenario.simulation.runs),
        seed,
        threads: args.replications.threads,
        progress: true,
    };
    let results = run_range_sized(scenario, settings, replications, Some(cap), Some(pilot))?;
    if args.max_events.is_none()
        && let Some(at) = results
            .iter()
            .position(|r| r.outcome == Outcome::EventLimit)
    {
        return Err(too_many_events(first + at as u32, &estimate).into());
    }
    Ok(results)
}

fn too_many_events(replication: u32, estimate: &Estimate) -> UsageError {
    UsageError(format!(
        "replication {replication} did not end within {} events (the default cap), so this run of {} replication(s) would take more than {} events and may never finish; cap each replication with --max-events N (replications that reach it end as event_limit; a larger N allows longer ones), or shorten simulation.horizon",
        budget::thousands(DEFAULT_EVENT_CAP),
        estimate.replications,
        budget::thousands(DEFAULT_EVENT_CAP.saturating_mul(estimate.replications)),
    ))
}

/// The command that reproduces the results: the file, runs, seed, every `--set` and
/// `--max-events`. Flags that change no result (`--threads`, `--out`, `--format`,
/// `--shard`) are left out, so a sharded run and its merge record the same command as the
/// unsharded run.
fn reproduce_command(args: &RunArgs, runs: u32, seed: u64) -> String {
    let file: PathBuf = args.scenario.file.clone();
    let mut parts = vec![
        "deploysim".to_string(),
        "run".to_string(),
        shell_quote(&file.display().to_string()),
        "--runs".to_string(),
        runs.to_string(),
        "--seed".to_string(),
        seed.to_string(),
    ];
    for set in &args.scenario.set {
        parts.push("--set".to_string());
        parts.push(shell_quote(set));
    }
    if let Some(cap) = args.max_events {
        parts.push("--max-events".to_string());
        parts.push(cap.to_string());
    }
    parts.join(" ")
}

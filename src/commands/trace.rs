//! `deploysim trace`: one replication's steps as CSV.

use anyhow::Context;

use crate::cli::TraceArgs;
use crate::model::{Observer, Outcome, Params, Step, World};
use crate::report;

use super::{UsageError, load_scenario};

/// The most events `trace` records without `--max-events` (a few hundred MB of steps).
const TRACE_EVENT_CAP: u64 = 5_000_000;

/// Collects every step of one replication.
#[derive(Default)]
pub struct StepLog {
    pub steps: Vec<Step>,
}

impl Observer for StepLog {
    const RECORDS_STEPS: bool = true;
    fn after_event(&mut self, _: &World, steps: &[Step]) {
        self.steps.extend_from_slice(steps);
    }
}

pub fn trace(args: TraceArgs) -> anyhow::Result<()> {
    let scenario = load_scenario(&args.scenario)?;
    let seed = args.seed.unwrap_or(scenario.simulation.seed);
    if args.max_events == Some(0) {
        return Err(UsageError("--max-events: must be at least 1".into()).into());
    }
    let mut log = StepLog::default();
    let params = Params::new(&scenario);
    let mut world = World::new(params.clone());
    // The trace keeps every step in memory: cap it well below what memory allows.
    world.set_event_limit(Some(args.max_events.unwrap_or(TRACE_EVENT_CAP)));
    let result = world.run(seed, args.replication, &mut log);
    if args.max_events.is_none() && result.outcome == Outcome::EventLimit {
        return Err(UsageError(format!(
            "replication {} did not end within {} events; trace its first N events with --max-events N",
            args.replication,
            crate::experiment::budget::thousands(TRACE_EVENT_CAP)
        ))
        .into());
    }
    let csv = report::trace_csv(&log.steps);
    match &args.out {
        Some(path) => {
            let command = super::command_line();
            let file = args.scenario.file.display().to_string();
            let info = report::TraceInfo {
                scenario: &scenario.name,
                file: &file,
                seed,
                replication: args.replication,
                command: &command,
            };
            let written = super::reports::write_trace_reports(
                path, &csv, &info, &scenario, &params, &result, &log.steps,
            )?;
            println!(
                "{}: replication {} of seed {}: {} at {} ({}s), {} events",
                scenario.name,
                args.replication,
                seed,
                result.outcome,
                crate::scenario::format_human(result.deploy.as_secs_f64()),
                crate::engine::format_seconds(result.deploy.micros()),
                result.events,
            );
            for path in written {
                println!("  wrote {}", path.display());
            }
        }
        None => {
            use std::io::Write;
            std::io::stdout()
                .write_all(&csv)
                .context("cannot write to standard output")?;
        }
    }
    Ok(())
}

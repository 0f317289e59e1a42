//! `deploysim trace`: one replication's steps as CSV.

use anyhow::Context;

use crate::cli::TraceArgs;
use crate::model::{Observer, Params, Step, World};
use crate::report;

use super::load_scenario;

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
    let mut log = StepLog::default();
    let params = Params::new(&scenario);
    let result = World::new(params.clone()).run(seed, args.replication, &mut log);
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

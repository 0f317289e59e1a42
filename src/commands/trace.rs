//! `deploysim trace`: one replication's steps as CSV.

use anyhow::Context;

use crate::cli::TraceArgs;
use crate::model::{Observer, Params, Step, World};
use crate::output::write_atomic;
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
    let result = World::new(Params::new(&scenario)).run(seed, args.replication, &mut log);
    let csv = report::trace_csv(&log.steps);
    match &args.out {
        Some(path) => {
            write_atomic(path, &csv)?;
            println!(
                "{}: replication {} of seed {}: {} at {}s, {} events; wrote {}",
                scenario.name,
                args.replication,
                seed,
                result.outcome,
                crate::engine::format_seconds(result.deploy.micros()),
                result.events,
                path.display()
            );
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

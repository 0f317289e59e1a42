//! What each subcommand does: load, run, report, write. Kept apart from `main` so tests
//! and benches can call it.

use anyhow::Context;

use crate::cli::{Command, Format, RunArgs, ScenarioArgs, TraceArgs, ValidateArgs};
use crate::experiment::{RunSettings, Summary, run_replications};
use crate::model::{Observer, Params, Step, World};
use crate::output::{folder_name, write_atomic};
use crate::report::{self, RunInfo};
use crate::scenario::{self, Override, Scenario};

/// Bad input or usage: the process exits with status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

pub fn execute(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Run(args) => run(args),
        Command::Validate(args) => validate(args),
        Command::Trace(args) => trace(args),
    }
}

/// Loads the scenario with its `--set` overrides.
pub fn load_scenario(args: &ScenarioArgs) -> anyhow::Result<Scenario> {
    let overrides = args
        .set
        .iter()
        .map(|text| Override::parse(text).map_err(UsageError))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(scenario::load(&args.file, &overrides)?)
}

/// The command line as typed, quoted where needed, for reports to say how to reproduce.
pub fn command_line() -> String {
    std::env::args()
        .map(|arg| {
            if !arg.is_empty()
                && arg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:,".contains(c))
            {
                arg
            } else {
                format!("'{}'", arg.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn run(args: RunArgs) -> anyhow::Result<()> {
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
    match args.format {
        Format::Json => print!("{summary_json}"),
        Format::Text => print!(
            "{}",
            report::run_summary_text(
                &info,
                &summary,
                &[
                    csv_path.display().to_string(),
                    json_path.display().to_string()
                ]
            )
        ),
    }
    Ok(())
}

fn validate(args: ValidateArgs) -> anyhow::Result<()> {
    let scenario = load_scenario(&args.scenario)?;
    let params = Params::new(&scenario);
    println!("# {}: valid", args.scenario.file.display());
    println!(
        "# D = {}, MIN = {} healthy, MAX = {} active, {} task(s) per host, {} service + {} spare hosts in {} zone(s)",
        params.desired,
        params.min_healthy,
        params.max_active,
        params.per_host,
        params.service_hosts,
        params.spare_hosts,
        params.zones
    );
    print!("{}", report::resolved_scenario_toml(&scenario));
    Ok(())
}

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

fn trace(args: TraceArgs) -> anyhow::Result<()> {
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

/// Exit status for an error: 2 for bad input or usage, 1 otherwise.
pub fn exit_code(error: &anyhow::Error) -> i32 {
    if error.downcast_ref::<UsageError>().is_some()
        || error.downcast_ref::<scenario::ScenarioError>().is_some()
    {
        2
    } else {
        1
    }
}

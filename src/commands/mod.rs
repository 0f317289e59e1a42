//! What each subcommand does: load, run, report, write. Kept apart from `main` so tests
//! and benches can call it.

mod cheapest;
mod compare;
mod fit;
mod import;
mod init;
mod merge;
mod plan;
mod reports;
mod run;
mod sweep;
mod trace;
mod validate;
mod variants;

pub use trace::StepLog;

use crate::cli::{Command, ScenarioArgs};
use crate::scenario::{self, Override, Scenario};

/// Bad input or usage: the process exits with status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

pub fn execute(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Run(args) => run::run(args),
        Command::Validate(args) => validate::validate(args),
        Command::Trace(args) => trace::trace(args),
        Command::Plan(args) => plan::plan(args),
        Command::Compare(args) => compare::compare(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Cheapest(args) => cheapest::cheapest(args),
        Command::Merge(args) => merge::merge(args),
        Command::Init(args) => init::init(args),
        Command::Import(args) => import::import(args),
        Command::Fit(args) => fit::fit(args),
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

/// The command line as typed, quoted where needed, for reports to say how to reproduce;
/// the program is named `deploysim`, not by the path it was started from.
pub fn command_line() -> String {
    std::iter::once("deploysim".to_string())
        .chain(std::env::args().skip(1))
        .map(|arg| shell_quote(&arg))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One argument as a POSIX shell reads it back.
pub fn shell_quote(arg: &str) -> String {
    if !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,".contains(c))
    {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

/// Requirements of `run --require` that the run did not meet: the process exits with
/// status 1, one line per requirement.
#[derive(Debug, thiserror::Error)]
#[error("requirement not met: {}", .0.join("\nerror: requirement not met: "))]
pub struct RequirementsNotMet(pub Vec<String>);

/// Exit status for an error: 2 for bad input or usage, 130 for an interrupted run, 1
/// otherwise.
pub fn exit_code(error: &anyhow::Error) -> i32 {
    if error
        .downcast_ref::<crate::experiment::interrupt::Interrupted>()
        .is_some()
    {
        130
    } else if error.downcast_ref::<UsageError>().is_some()
        || error.downcast_ref::<scenario::ScenarioError>().is_some()
    {
        2
    } else {
        1
    }
}

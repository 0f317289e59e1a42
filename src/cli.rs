//! The command line: one subcommand per question.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod planning;
pub use planning::{CompareArgs, PlanArgs, SweepArgs};

#[derive(Parser, Debug)]
#[command(
    name = "deploysim",
    version,
    about = "Simulate rolling container deployments (ECS on EC2 behind a load balancer) before touching a cluster",
    after_help = "Exit codes: 0 success, 2 bad input or usage, 1 anything else."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run many replications of a scenario and summarise them.
    Run(RunArgs),
    /// Check a scenario file and print it with every default filled in.
    Validate(ValidateArgs),
    /// Write one replication's event log as CSV.
    Trace(TraceArgs),
    /// The smallest value of an integer key (spare hosts by default) that meets a target.
    Plan(PlanArgs),
    /// Two configurations, replication by replication, with common random numbers.
    Compare(CompareArgs),
    /// A grid of varied keys, one summary per point.
    Sweep(SweepArgs),
}

#[derive(Args, Debug, Clone)]
pub struct ScenarioArgs {
    /// The scenario file (TOML).
    pub file: PathBuf,
    /// Override a key: --set cluster.spare_hosts=3 (repeatable; validated like the file).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Replications (default: simulation.runs).
    #[arg(long)]
    pub runs: Option<u32>,
    /// Seed (default: simulation.seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Folder for reports; files go to DIR/<scenario name>/.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Args, Debug)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
}

#[derive(Args, Debug)]
pub struct TraceArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Seed (default: simulation.seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Which replication to trace.
    #[arg(long, default_value_t = 0)]
    pub replication: u64,
    /// Write the CSV here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

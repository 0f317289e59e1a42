//! The command line: one subcommand per question.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod import;
mod planning;
pub use import::{FitArgs, ImportArgs, ImportEcsArgs, ImportKubernetesArgs, ImportSource};
pub use planning::{CheapestArgs, CompareArgs, PlanArgs, SweepArgs};

#[derive(Parser, Debug)]
#[command(
    name = "deploysim",
    version,
    about = "Simulate rolling container deployments (ECS on EC2 behind a load balancer) before touching a cluster",
    after_help = "Exit codes: 0 success, 2 bad input or usage (including runs refused as too big), 130 interrupted (Ctrl-C or SIGTERM; nothing written), 1 a run --require not met or anything else."
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
    /// The cheapest configuration over a grid of knobs that meets a target, and the
    /// time-vs-cost frontier.
    Cheapest(CheapestArgs),
    /// Combine the shard files of a `run --shard` into the reports one unsharded run writes.
    Merge(MergeArgs),
    /// Write a commented starter scenario that runs as it is.
    Init(InitArgs),
    /// Write a scenario from what `aws` or `kubectl` print; every key says where it came from.
    Import(ImportArgs),
    /// Fit duration keys to observed task or pod lifecycles (log-normal or empirical).
    Fit(FitArgs),
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Where to write the scenario, e.g. my-service.toml (its name comes from the file name).
    pub path: PathBuf,
    /// Overwrite the file if it exists.
    #[arg(long)]
    pub force: bool,
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

/// How many replications, from which seed, on how many threads (every command that
/// runs replications).
#[derive(Args, Debug, Clone, Copy)]
pub struct ReplicationArgs {
    /// Replications per configuration (default: simulation.runs).
    #[arg(long)]
    pub runs: Option<u32>,
    /// Seed (default: simulation.seed); every configuration a command compares uses the
    /// same one (common random numbers).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
}

/// Where reports go and how the summary prints.
#[derive(Args, Debug, Clone)]
pub struct OutputArgs {
    /// Folder for reports: DIR/<scenario name>/ (plan and sweep: a subfolder of it;
    /// compare: DIR/<A name>-vs-<B name>/).
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub replications: ReplicationArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Compute only shard I of N (0-based) and write DIR/<name>/shard-I-of-N.json;
    /// `auto/N` reads I from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Cap every replication at N events; a replication that reaches it ends as
    /// `event_limit` (default: refuse runs whose replications exceed 50,000,000 events).
    #[arg(long, value_name = "N")]
    pub max_events: Option<u64>,
    /// A requirement the run must meet, for CI (repeatable): p95<15m, completed>=99%,
    /// stuck<=1%, cost<=0.50, daily_cost<=30. Unmet: exit 1 with one line per
    /// requirement, after the reports are written.
    #[arg(long = "require", value_name = "EXPR")]
    pub require: Vec<String>,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Folders holding shard files (searched two levels deep), or shard files.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
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
    /// Stop the trace after N events (default: refuse a replication longer than 5,000,000).
    #[arg(long, value_name = "N")]
    pub max_events: Option<u64>,
}

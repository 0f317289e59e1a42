//! The planning subcommands' flags: `plan`, `compare`, `sweep`.

use std::path::PathBuf;

use clap::Args;

use super::{OutputArgs, ReplicationArgs, ScenarioArgs};

#[derive(Args, Debug)]
pub struct PlanArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// The deploy time to meet: a duration (15m; the share from --confidence) or a
    /// percentile below a duration (p95<15m) (default: simulation.target).
    #[arg(long, value_name = "TARGET")]
    pub target: Option<String>,
    /// The share of deploys that must complete within the target, between 0 and 1
    /// (default 0.95; a percentile target such as p99<15m sets it).
    #[arg(long)]
    pub confidence: Option<f64>,
    /// The integer key to search: a capacity or deployment setting (cluster.*,
    /// deployment.*, autoscaling.*).
    #[arg(long, default_value = "cluster.spare_hosts", value_name = "KEY")]
    pub knob: String,
    /// Find the largest value that meets the target (e.g. the highest
    /// deployment.minimum_healthy_percent) instead of the smallest.
    #[arg(long)]
    pub maximize: bool,
    /// The smallest value to try (default: the smallest the key allows, 0 for most).
    #[arg(long, value_name = "VALUE", allow_hyphen_values = true)]
    pub min: Option<i64>,
    /// The largest value to try (default for cluster.spare_hosts: enough spare hosts for
    /// every new task to start at once; for percentages and zones: their upper limit).
    #[arg(long, value_name = "VALUE", allow_hyphen_values = true)]
    pub max: Option<i64>,
    /// Run every value tried for all --runs replications. Without it a value stops after
    /// 50, 100, 200, ... runs once its share within the target is clearly above or below
    /// --confidence (by an interval stricter than the 95% one shown, since it looks
    /// several times), so values far from the confidence take far fewer runs.
    #[arg(long)]
    pub all_runs: bool,
    #[command(flatten)]
    pub replications: ReplicationArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Scenario A (TOML).
    pub file: PathBuf,
    /// Scenario B (TOML); without it, B is A with the --set-b overrides.
    pub file_b: Option<PathBuf>,
    /// Override a key on both sides (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Override a key on side B only (repeatable), applied after --set.
    #[arg(long = "set-b", value_name = "KEY=VALUE")]
    pub set_b: Vec<String>,
    #[command(flatten)]
    pub replications: ReplicationArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Args, Debug)]
pub struct SweepArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// A key and its values: key=v1,v2,... or key=a..b[:step] (integers, both ends
    /// included). Repeat for a grid of every combination.
    #[arg(long, value_name = "KEY=VALUES", required = true)]
    pub vary: Vec<String>,
    /// Ask plan's question of every point: a duration (15m; the share from --confidence)
    /// or a percentile below a duration (p95<15m). Each point then says whether it meets
    /// it and stops early once that is settled. Without --target or --confidence the sweep
    /// asks nothing and every point runs all --runs (simulation.target only fills the
    /// within-target columns; with --confidence alone it is the target).
    #[arg(long, value_name = "TARGET")]
    pub target: Option<String>,
    /// The share of deploys that must complete within the target, between 0 and 1
    /// (default 0.95; a percentile target such as p99<15m sets it).
    #[arg(long)]
    pub confidence: Option<f64>,
    /// With --target: run every point for all --runs replications. Without it a point
    /// stops after 50, 100, 200, ... runs once its share within the target is clearly
    /// above or below --confidence, and its statistics (p50, p95, ...) are over the runs
    /// it ran.
    #[arg(long)]
    pub all_runs: bool,
    #[command(flatten)]
    pub replications: ReplicationArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Args, Debug)]
pub struct CheapestArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// A setting and the values to try: key=v1,v2,... or key=a..b[:step]. Repeat for each
    /// knob; every combination is tried (e.g. --vary cluster.spare_hosts=0..6
    /// --vary deployment.maximum_percent=150,200 --vary agent.mode=event,polling).
    #[arg(long, value_name = "KEY=VALUES", required = true)]
    pub vary: Vec<String>,
    /// The deploy time to meet: a duration (15m; the share from --confidence) or a
    /// percentile below a duration (p95<15m) (default: simulation.target).
    #[arg(long, value_name = "TARGET")]
    pub target: Option<String>,
    /// The share of deploys that must complete within the target, between 0 and 1
    /// (default 0.95; a percentile target such as p99<15m sets it).
    #[arg(long)]
    pub confidence: Option<f64>,
    #[command(flatten)]
    pub replications: ReplicationArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

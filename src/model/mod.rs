//! The cluster world: hosts and reservations, placement, the scheduler's evaluation, the
//! agent, health checks, a task's life, and one replication's metrics. Driven by the
//! domain-free [`crate::engine`]; knows nothing of files or reports.

mod cluster;
mod controller;
mod fargate;
mod idset;
mod load_balancer;
mod node_autoscaling;
mod outcome;
mod params;
mod placement;
mod readiness_probe;
mod rng;
mod scaling;
mod task;
mod termination;
mod world;

pub use cluster::{Fleet, HostSize};
pub use controller::{Controller, Stage};
pub use fargate::FargateParams;
pub use outcome::{
    Counts, Detail, Outcome, ReplicationResult, Revision, Step, StepKind, StopCause, StuckReason,
};
pub use params::{KubeParams, Params, ScalingMode, ScalingParams};
pub use placement::HostLoad;
pub use rng::{Stream, StreamKind};
pub use world::{Host, KubeEvent, NoObserver, Observer, Phase, Task, World};

use crate::scenario::Scenario;

/// Runs one replication of `scenario` with no observer.
pub fn run_once(scenario: &Scenario, seed: u64, replication: u64) -> ReplicationResult {
    World::new(Params::new(scenario)).run(seed, replication, &mut NoObserver)
}

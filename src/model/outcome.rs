//! What one replication reports (docs/model.md section 9) and what an observer sees of it.

use std::fmt;

use crate::engine::{SimDuration, SimTime};

use super::controller::Stage;

/// How a replication ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    Completed,
    /// The circuit breaker tripped and the old revision was restored.
    RolledBack,
    /// The circuit breaker tripped; no rollback.
    Failed,
    Stuck,
    Timeout,
    /// The run hit the caller's cap on events (`--max-events`) before it ended.
    EventLimit,
}

impl Outcome {
    pub const ALL: [Outcome; 6] = [
        Outcome::Completed,
        Outcome::RolledBack,
        Outcome::Failed,
        Outcome::Stuck,
        Outcome::Timeout,
        Outcome::EventLimit,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Outcome::Completed => "completed",
            Outcome::RolledBack => "rolled_back",
            Outcome::Failed => "failed",
            Outcome::Stuck => "stuck",
            Outcome::Timeout => "timeout",
            Outcome::EventLimit => "event_limit",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a stuck replication could not go on.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum StuckReason {
    /// The last evaluation wanted to start a new task and no host could take it.
    NoHostFits { new_active: u32, desired: u32 },
    /// MIN forbids another stop and MAX forbids another start.
    MinMaxDeadlock { min: u32, max: u32 },
    /// No event is pending and neither of the above explains it.
    NothingPending,
}

impl fmt::Display for StuckReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StuckReason::NoHostFits {
                new_active,
                desired,
            } => write!(
                f,
                "a new task fits on no host ({new_active} of {desired} new tasks placed; add spare hosts, lower minimum_healthy_percent, or shrink the task)"
            ),
            StuckReason::MinMaxDeadlock { min, max } => write!(
                f,
                "MIN ({min} healthy) and MAX ({max} active) allow neither a stop nor a start (raise maximum_percent or lower minimum_healthy_percent)"
            ),
            StuckReason::NothingPending => write!(f, "no event can change the state"),
        }
    }
}

impl StuckReason {
    /// A short stable name for the kind, whatever its counts (`reasons.csv`, JSON).
    pub fn kind(self) -> &'static str {
        match self {
            StuckReason::NoHostFits { .. } => "no_host_fits",
            StuckReason::MinMaxDeadlock { .. } => "min_max_deadlock",
            StuckReason::NothingPending => "nothing_pending",
        }
    }

    /// The kind in words, without counts or advice, so runs stuck alike read alike.
    pub fn headline(self) -> &'static str {
        match self {
            StuckReason::NoHostFits { .. } => "a new task fits on no host",
            StuckReason::MinMaxDeadlock { .. } => "MIN and MAX allow neither a stop nor a start",
            StuckReason::NothingPending => "no event can change the state",
        }
    }

    /// What to change, in the scenario's keys.
    pub fn advice(self) -> Option<&'static str> {
        match self {
            StuckReason::NoHostFits { .. } => {
                Some("add spare hosts, lower minimum_healthy_percent, or shrink the task")
            }
            StuckReason::MinMaxDeadlock { .. } => {
                Some("raise maximum_percent or lower minimum_healthy_percent")
            }
            StuckReason::NothingPending => None,
        }
    }
}

/// One replication's result: the columns of `replications.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicationResult {
    pub outcome: Outcome,
    pub stuck_reason: Option<StuckReason>,
    /// Completion time, or the end time of a stuck or timed-out run.
    pub deploy: SimDuration,
    pub first_new_healthy: Option<SimDuration>,
    pub min_healthy: u32,
    /// Integral of `max(0, D - healthy)`, in task-microseconds.
    pub deficit_task_micros: u64,
    pub peak_active: u32,
    pub tasks_started: u32,
    pub tasks_failed: u32,
    pub placement_failures: u32,
    pub events: u64,
    /// When the circuit breaker tripped or a deployment alarm fired.
    pub detection: Option<SimDuration>,
    /// After a rollback began: when D old-revision tasks were healthy again.
    pub restored: Option<SimDuration>,
    /// Time during which the scheduler wanted to start a task and no host could take it.
    pub capacity_wait: SimDuration,
    /// Hosts launched by auto-scaling (docs/model.md section 13; 0 without it).
    pub scaled_hosts: u32,
    /// Spare and scaled-out host time, in host-microseconds: `spare_hosts * T` plus, per
    /// launched host, `T + scale_in_after - launch time` (docs/model.md section 13).
    pub host_micros_extra: u64,
    /// Fargate (docs/model.md 17): billed task time above D, in task-microseconds; `None` on EC2.
    pub task_micros_extra: Option<u64>,
    /// On EC2 `host_seconds_extra` priced at each host's group rate, when every counted
    /// group has a price; on Fargate `task_seconds_extra` at the task's hourly price.
    pub cost: Option<f64>,
    /// Traffic-shifting strategies: when all production traffic was on the new revision.
    pub traffic_shifted: Option<SimDuration>,
    /// Integral of the new revision's share of production traffic while it is bad, in
    /// microseconds (0 for a good revision): the blast radius.
    pub bad_exposure_micros: u64,
    /// A deployment alarm fired (what ended a failed or rolled-back run, when set).
    pub alarm_fired: bool,
    /// Kubernetes: deleted Ready pods sent SIGTERM while still receiving new requests.
    pub early_terminations: u32,
    /// Kubernetes: the later of completion and the last old pod gone (completed runs).
    pub settled: Option<SimDuration>,
}

impl ReplicationResult {
    /// A result with `outcome`, a zero deploy and every count zero or absent: the start
    /// of a test's hand-made result (struct update syntax sets the rest).
    #[cfg(test)]
    pub(crate) fn blank(outcome: Outcome) -> ReplicationResult {
        ReplicationResult {
            outcome,
            stuck_reason: None,
            deploy: SimDuration::ZERO,
            first_new_healthy: None,
            min_healthy: 0,
            deficit_task_micros: 0,
            peak_active: 0,
            tasks_started: 0,
            tasks_failed: 0,
            placement_failures: 0,
            events: 0,
            detection: None,
            restored: None,
            capacity_wait: SimDuration::ZERO,
            scaled_hosts: 0,
            host_micros_extra: 0,
            task_micros_extra: None,
            cost: None,
            traffic_shifted: None,
            bad_exposure_micros: 0,
            alarm_fired: false,
            early_terminations: 0,
            settled: None,
        }
    }

    /// The price of `host_micros_extra` host-microseconds at `host_hourly_cost` per hour.
    pub fn cost_of(host_micros_extra: u64, host_hourly_cost: f64) -> f64 {
        host_micros_extra as f64 / 1e6 / 3600.0 * host_hourly_cost
    }
}

/// The old (running before the deploy) or the new revision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Revision {
    Old = 0,
    New = 1,
}

impl Revision {
    pub fn name(self) -> &'static str {
        match self {
            Revision::Old => "old",
            Revision::New => "new",
        }
    }
}

/// Why a task was told to stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopCause {
    /// The scheduler's evaluation, making room for the new revision.
    Scheduler,
    /// The load balancer found it unhealthy.
    Unhealthy,
    /// A rollback cancelled its launch.
    Rollback,
    /// Kubernetes: the ReplicaSet controller deleted the pod (the detail's `drain` is
    /// then the endpoint propagation).
    Deleted,
}

/// One step of a replication, as a trace shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// An old-revision task running and healthy when the deploy starts.
    Initial,
    /// The container exited before it ran (a start failure).
    StartFailed,
    BreakerTripped,
    /// A deployment alarm fired (a bad revision served production traffic).
    AlarmFired,
    /// A traffic-shifting deployment entered a stage.
    Stage,
    /// The green share of production traffic moved.
    TrafficShifted,
    HostLaunched,
    HostJoined,
    HostFailed,
    /// A task lost with its failed host.
    Lost,
    Evaluation,
    Placed,
    PlacementFailed,
    PullStarted,
    Pulled,
    Running,
    Registered,
    CheckPassed,
    CheckFailed,
    /// Kubernetes: the controllers learn the pod is Ready.
    Ready,
    Healthy,
    Unhealthy,
    StopDecided,
    Drained,
    StopNoticed,
    Exited,
    StopReported,
    Completed,
    /// Kubernetes: a completed rollout's last old pod is gone.
    Settled,
    RolledBack,
    Failed,
    Stuck,
    Timeout,
    EventLimit,
}

impl StepKind {
    pub fn name(self) -> &'static str {
        match self {
            StepKind::Initial => "initial",
            StepKind::StartFailed => "start_failed",
            StepKind::BreakerTripped => "breaker_tripped",
            StepKind::AlarmFired => "alarm_fired",
            StepKind::Stage => "stage",
            StepKind::TrafficShifted => "traffic_shifted",
            StepKind::HostLaunched => "host_launched",
            StepKind::HostJoined => "host_joined",
            StepKind::HostFailed => "host_failed",
            StepKind::Lost => "lost",
            StepKind::Evaluation => "evaluation",
            StepKind::Placed => "placed",
            StepKind::PlacementFailed => "placement_failed",
            StepKind::PullStarted => "pull_started",
            StepKind::Pulled => "pulled",
            StepKind::Running => "running",
            StepKind::Registered => "registered",
            StepKind::CheckPassed => "check_passed",
            StepKind::CheckFailed => "check_failed",
            StepKind::Ready => "ready",
            StepKind::Healthy => "healthy",
            StepKind::Unhealthy => "unhealthy",
            StepKind::StopDecided => "stop_decided",
            StepKind::Drained => "drained",
            StepKind::StopNoticed => "stop_noticed",
            StepKind::Exited => "exited",
            StepKind::StopReported => "stop_reported",
            StepKind::Completed => "completed",
            StepKind::Settled => "settled",
            StepKind::RolledBack => "rolled_back",
            StepKind::Failed => "failed",
            StepKind::Stuck => "stuck",
            StepKind::Timeout => "timeout",
            StepKind::EventLimit => "event_limit",
        }
    }
}

/// Extra facts about a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    None,
    /// How long the step that starts here takes.
    Takes(SimDuration),
    /// The task's warm-up: checks before `running + warmup` fail.
    Warmup(SimDuration),
    /// Time from registration to the first health check.
    FirstCheck(SimDuration),
    Pull {
        cached: bool,
        takes: SimDuration,
    },
    Stop {
        cause: StopCause,
        was_healthy: bool,
        drain: SimDuration,
    },
    Evaluation {
        stopped: u32,
        started: u32,
    },
    /// The breaker's failure count and threshold.
    Failures {
        count: u32,
        threshold: u32,
    },
    /// A host launch: the boot time and warm-up drawn for it.
    Launch {
        boot: SimDuration,
        warmup: SimDuration,
    },
    Stuck(StuckReason),
    /// A traffic-shifting deployment's new stage.
    Stage(Stage),
    /// The green share of production traffic, in hundredths of a percent.
    Green {
        basis_points: u32,
    },
}

/// The scheduler's counts right after a step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Healthy and not told to stop, both revisions.
    pub healthy: u32,
    /// Placed and not told to stop, both revisions.
    pub active: u32,
    pub new_healthy: u32,
    pub new_active: u32,
    /// Hosts that can take tasks (joined and not failed).
    pub hosts_up: u32,
    /// Hosts launched by scaling and still booting.
    pub hosts_booting: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub time: SimTime,
    pub kind: StepKind,
    pub task: Option<u32>,
    pub revision: Option<Revision>,
    pub host: Option<u32>,
    pub counts: Counts,
    pub detail: Detail,
}

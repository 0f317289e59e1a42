//! The pre-flight check: configurations that cannot finish (or cannot meet their target),
//! found from the scenario alone, before any replication runs. `validate` prints them and
//! `run` prints them on standard error before simulating.
//!
//! Rules, each with its own finding:
//! - **MIN and MAX allow neither a start nor a stop**: at t = 0 the D old tasks are
//!   active and healthy; a start needs D < MAX and a stop needs D - 1 >= MIN. With
//!   MAX <= D and MIN >= D every run is stuck at 0.
//! - **No room for the first new task** (with `distinct_instance`: too few hosts): when
//!   MIN >= D no old task may stop before a new one is healthy, so the first new task
//!   needs a free slot at t = 0: `(hosts + spare_hosts) x tasks per host - D` slots, or
//!   with `distinct_instance` `hosts + spare_hosts - D` hosts without a task. None, and no
//!   managed scaling that may add a host: every run is stuck at 0.
//! - **A percent that rounds away its slack** (a warning: the deploy can still finish):
//!   `maximum_percent` above 100 but MAX = floor(D x percent / 100) = D, so no task can
//!   start above D; `minimum_healthy_percent` below 100 but MIN = ceil(D x percent / 100) =
//!   D, so no old task may stop first.
//! - **A target below the analytic lower bound**: the sum of the fastest possible new
//!   task's launch and health checks and, when MIN >= 1, an old task's stop after it
//!   (`plan::LowerBound`, from each distribution's minimum); a target below it cannot be
//!   met by any run.
//!
//! With host failures (`failures.host_failure_rate > 0`) a lost old task changes the
//! counts at t > 0, so the first two rules are not applied.

use serde::Serialize;

use super::plan::LowerBound;
use crate::model::Params;
use crate::scenario::{
    AutoscalingMode, LaunchType, Platform, Scenario, distinct_instance, format_human, host_groups,
    tasks_fitting,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// No run can complete (or none can meet the target).
    CannotFinish,
    /// The deploy can finish, but a setting does less than it seems to.
    Warning,
}

/// One finding: which rule, how bad, and why in words.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.severity {
            Severity::CannotFinish => "cannot finish",
            Severity::Warning => "warning",
        };
        write!(f, "{kind} ({}): {}", self.rule, self.message)
    }
}

/// Every finding for the scenario, with its own `simulation.target` checked against the
/// lower bound.
pub fn check(scenario: &Scenario) -> Vec<Finding> {
    let mut findings = Vec::new();
    let params = Params::new(scenario);
    let d = params.desired;
    let (min, max) = (params.min_healthy, params.max_active);
    let failures_free_hosts = scenario.failures.host_failure_rate > 0.0;
    let no_stop = min >= d;
    let deadlocked = max <= d && no_stop;
    if deadlocked && !failures_free_hosts {
        findings.push(Finding {
            rule: "min_max",
            severity: Severity::CannotFinish,
            message: format!(
                "MIN = {min} and MAX = {max} with D = {d} allow neither a stop ({d} healthy - 1 is below MIN) nor a start ({d} active reaches MAX): every run is stuck at 0; lower deployment.minimum_healthy_percent ({}) or raise deployment.maximum_percent ({}) so that MAX > D",
                scenario.deployment.minimum_healthy_percent, scenario.deployment.maximum_percent
            ),
        });
    }
    // Fargate always finds room (docs/model.md 17); host groups are counted on their own.
    let fargate = scenario.cluster.launch_type == LaunchType::Fargate;
    let groups = !scenario.cluster.host_group.is_empty();
    if no_stop
        && !deadlocked
        && !failures_free_hosts
        && !can_scale_out(scenario)
        && groups
        && let Some(finding) = no_room_in_groups(scenario, d, min)
    {
        findings.push(finding);
    }
    if no_stop
        && !deadlocked
        && !failures_free_hosts
        && !can_scale_out(scenario)
        && !fargate
        && !groups
    {
        let hosts = scenario.cluster.hosts as u64 + scenario.cluster.spare_hosts as u64;
        let distinct = distinct_instance(scenario);
        let per_host = if distinct { 1 } else { params.per_host as u64 };
        let free = (hosts * per_host).saturating_sub(d as u64);
        if free == 0 {
            let remedy = if scenario.platform == Platform::Kubernetes {
                "(or give deployment.max_unavailable a value that resolves above 0)"
            } else {
                "(or, for a rolling update, lower deployment.minimum_healthy_percent)"
            };
            let message = if distinct {
                format!(
                    "distinct_instance with too few hosts: each of the {hosts} hosts ({} service + {} spare) holds one of the D = {d} old tasks, and none may stop before a new task is healthy (MIN = {min}), so no new task can be placed: every run is stuck at 0; add cluster.spare_hosts {remedy}",
                    scenario.cluster.hosts, scenario.cluster.spare_hosts
                )
            } else {
                format!(
                    "no room for a new task: the {hosts} hosts hold {} task(s) each and the D = {d} old tasks fill them, and none may stop before a new task is healthy (MIN = {min}): every run is stuck at 0; add cluster.spare_hosts {remedy}",
                    params.per_host
                )
            };
            findings.push(Finding {
                rule: if distinct {
                    "distinct_instance_hosts"
                } else {
                    "no_room"
                },
                severity: Severity::CannotFinish,
                message,
            });
        }
    }
    // The percents are ECS keys; a Deployment's surge and unavailable are integers or
    // percents resolved by their own rounding rules (docs/model.md section 15).
    if scenario.platform != Platform::Kubernetes {
        let max_percent = scenario.deployment.maximum_percent;
        if max_percent > 100 && max == d {
            findings.push(Finding {
                rule: "rounds_to_zero",
                severity: Severity::Warning,
                message: format!(
                    "deployment.maximum_percent = {max_percent} of D = {d} is {} tasks, rounded down to MAX = {max}: no task can start above D, so each new task waits for an old one to stop",
                    crate::experiment::target::trim_number(d as f64 * max_percent as f64 / 100.0)
                ),
            });
        }
        let min_percent = scenario.deployment.minimum_healthy_percent;
        if min_percent < 100 && min == d {
            findings.push(Finding {
                rule: "rounds_to_zero",
                severity: Severity::Warning,
                message: format!(
                    "deployment.minimum_healthy_percent = {min_percent} of D = {d} is {} tasks, rounded up to MIN = {min}: no old task may stop before a new one is healthy",
                    crate::experiment::target::trim_number(d as f64 * min_percent as f64 / 100.0)
                ),
            });
        }
    }
    if let Some(target) = scenario.simulation.target {
        findings.extend(check_target(
            scenario,
            target.0.as_secs_f64(),
            "simulation.target",
        ));
    }
    findings
}

/// A finding when `target_seconds` (named `what`) is below the analytic lower bound.
pub fn check_target(scenario: &Scenario, target_seconds: f64, what: &str) -> Option<Finding> {
    let bound = LowerBound::of(&Params::new(scenario));
    (target_seconds < bound.seconds).then(|| Finding {
        rule: "target_below_bound",
        severity: Severity::CannotFinish,
        message: format!(
            "{what} {} is below the analytic lower bound {} ({}): no run can complete within it",
            format_human(target_seconds),
            format_human(bound.seconds),
            describe_bound(&bound)
        ),
    })
}

/// The bound's parts in words.
fn describe_bound(bound: &LowerBound) -> String {
    if bound.pods {
        return format!(
            "the fastest new pod's launch, readiness probes and min_ready {}, from each distribution's minimum",
            format_human(bound.new_task_healthy_seconds)
        );
    }
    if bound.old_tasks_can_be_lost || !bound.stops_wait_for_new_healthy {
        format!(
            "the fastest new task's launch and health checks {}",
            format_human(bound.new_task_healthy_seconds)
        ) + &if bound.old_tasks_can_be_lost {
            String::new()
        } else {
            format!(
                " or an old task's stop {}, the longer",
                format_human(bound.old_task_stop_seconds)
            )
        }
    } else {
        format!(
            "the fastest new task's launch and health checks {} + then an old task's stop {}, from each distribution's minimum",
            format_human(bound.new_task_healthy_seconds),
            format_human(bound.old_task_stop_seconds)
        )
    }
}

/// Whether managed scaling (or, on Kubernetes, a node autoscaler) may add a host beyond
/// those the cluster starts with.
fn can_scale_out(scenario: &Scenario) -> bool {
    let a = &scenario.autoscaling;
    let hosts: u32 = host_groups(scenario).iter().map(|g| g.count).sum();
    a.mode != AutoscalingMode::None && a.max_hosts.unwrap_or(0) > hosts
}

/// Host groups: the room left for this service on every host (size minus other tenants),
/// all filled by the D old tasks, means no new task can start while none may stop.
fn no_room_in_groups(scenario: &Scenario, d: u32, min: u32) -> Option<Finding> {
    let distinct = distinct_instance(scenario);
    let (hosts, capacity) =
        host_groups(scenario)
            .iter()
            .fold((0u64, 0u64), |(hosts, capacity), g| {
                let fit = tasks_fitting(
                    scenario,
                    g.cpu.saturating_sub(g.used_cpu),
                    g.memory.saturating_sub(g.used_memory),
                );
                let per_host = if distinct { fit.min(1) } else { fit } as u64;
                (hosts + g.count as u64, capacity + g.count as u64 * per_host)
            });
    (capacity <= d as u64).then(|| Finding {
        rule: if distinct {
            "distinct_instance_hosts"
        } else {
            "no_room"
        },
        severity: Severity::CannotFinish,
        message: format!(
            "no room for a new task: the {hosts} hosts of the host groups have room for {capacity} task(s) of this service beside the other tenants{}, and the D = {d} old tasks fill it, and none may stop before a new task is healthy (MIN = {min}): every run is stuck at 0; add a spare [[cluster.host_group]] (or, for a rolling update, lower deployment.minimum_healthy_percent)",
            if distinct { " (one per host with distinct_instance)" } else { "" }
        ),
    })
}

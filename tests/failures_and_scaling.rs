//! Exact cases for the circuit breaker, rollback, start failures and managed scaling
//! (docs/model.md sections 7 and 13), derived by hand from section 10's scenario
//! (`common::SECTION_10`: one task per host, D = 3, everything instantaneous except a
//! 10 s pull (cached 1 s), checks every 5 s from registration with 2 passes to healthy
//! and 2 failures to unhealthy, and a 20 s deregistration delay).

mod common;

use common::{seconds, section_10};
use deploysim::model::{Outcome, run_once};

const BAD_REVISION: [&str; 3] = [
    "failures.bad_task_probability=1",
    "deployment.circuit_breaker=true",
    "deployment.rollback=true",
];

/// A bad revision, one spare, 100%/200%: threshold = min(max(ceil(3/2), 3), 200) = 3.
/// Task 3 (host 3) runs at 10, fails checks at 10 and 15 -> unhealthy at 15 (1 failure);
/// it never was healthy, so it is gone at once and task 4 takes host 3 with a cached pull
/// (1 s): running 16, unhealthy at 21 (2); task 5: running 22, unhealthy at 27 (3): the
/// breaker trips at 27. Nothing new is still launching; the three old tasks were never
/// stopped (MIN = 3), so once task 5 is reported stopped (also at 27) the rollback is done.
#[test]
fn breaker_trips_at_the_threshold_and_rolls_back() {
    let result = run_once(&section_10(&BAD_REVISION), 1, 0);
    assert_eq!(result.outcome, Outcome::RolledBack);
    assert_eq!(seconds(&result), 27.0);
    assert_eq!(result.detection.unwrap().as_secs_f64(), 27.0);
    assert_eq!(result.restored.unwrap().as_secs_f64(), 27.0);
    assert_eq!(result.tasks_failed, 3);
    assert_eq!(result.tasks_started, 3);
}

/// The same bad revision at 50%/100% with no spare (MIN 2, MAX 3): old task 0 stops at 0
/// and is reported at 20; new task 3 on host 0 (full pull) runs at 30, unhealthy at 35
/// (1); task 4 on host 0 (cached) runs at 36, unhealthy at 41 (2); task 5 runs at 42,
/// unhealthy at 47 (3): trip at 47. Rollback: the evaluation at 47 wants an old-revision
/// task but host 0 is held by task 5 until its stop is reported, also at 47; the next
/// evaluation places old task 6 on host 0, where the old image is still cached: 1 s ->
/// running 48, checks 48, 53 -> healthy at 53: D old tasks healthy, every new task
/// stopped: rolled back at 53, service restored at 53.
#[test]
fn rollback_restarts_old_tasks_with_the_same_rules() {
    let mut overrides = BAD_REVISION.to_vec();
    overrides.extend([
        "cluster.spare_hosts=0",
        "deployment.minimum_healthy_percent=50",
        "deployment.maximum_percent=100",
    ]);
    let result = run_once(&section_10(&overrides), 1, 0);
    assert_eq!(result.outcome, Outcome::RolledBack);
    assert_eq!(result.detection.unwrap().as_secs_f64(), 47.0);
    assert_eq!(seconds(&result), 53.0);
    assert_eq!(result.restored.unwrap().as_secs_f64(), 53.0);
    assert_eq!(result.min_healthy, 2);
    assert_eq!(result.tasks_started, 4);
}

/// Without rollback the deploy fails when the breaker trips: at 47, as above.
#[test]
fn breaker_without_rollback_fails() {
    let result = run_once(
        &section_10(&[
            "failures.bad_task_probability=1",
            "deployment.circuit_breaker=true",
            "cluster.spare_hosts=0",
            "deployment.minimum_healthy_percent=50",
            "deployment.maximum_percent=100",
        ]),
        1,
        0,
    );
    assert_eq!(result.outcome, Outcome::Failed);
    assert_eq!(seconds(&result), 47.0);
    assert_eq!(result.detection.unwrap().as_secs_f64(), 47.0);
    assert_eq!(result.restored, None);
}

/// Start failures count toward the breaker: task 3 pulls 0-10, exits at once, reported
/// at 10 (1 failure); task 4 on host 3, cached pull, exits at 11 (2); task 5 exits at 12
/// (3): failed at 12.
#[test]
fn start_failures_trip_the_breaker() {
    let result = run_once(
        &section_10(&[
            "failures.start_failure_probability=1",
            "deployment.circuit_breaker=true",
        ]),
        1,
        0,
    );
    assert_eq!(result.outcome, Outcome::Failed);
    assert_eq!(seconds(&result), 12.0);
    assert_eq!(result.tasks_failed, 3);
}

/// A healthy task resets the count: with a breaker minimum of 3 and only every other
/// task bad, failures never reach 3 in a row... here the simplest form: a good revision
/// with the breaker on completes exactly as section 10 (105 s) and never trips.
#[test]
fn good_revision_never_trips() {
    let result = run_once(
        &section_10(&[
            "deployment.circuit_breaker=true",
            "deployment.rollback=true",
        ]),
        1,
        0,
    );
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(seconds(&result), 105.0);
    assert_eq!(result.detection, None);
}

const MANAGED: [&str; 7] = [
    "cluster.spare_hosts=0",
    "autoscaling.mode=managed",
    "autoscaling.max_hosts=6",
    "autoscaling.boot=30s",
    "autoscaling.evaluation_interval=60s",
    "autoscaling.scale_in_after=15m",
    "cluster.host_hourly_cost=3.6",
];

/// Managed scaling from a full cluster: at 0 the evaluation cannot place any of the 3
/// wanted tasks (U = 3); the check right after it sees M = 3 occupied + ceil(3/1) = 6,
/// N = 3: 200% > 100%, so it launches ceil(600/100) - 3 = 3 hosts. They join at 30 (ids
/// 3-5); the evaluation they trigger places the three new tasks, healthy at 45; the old
/// tasks stop and are reported at 65. Extra host time: 3 x (65 + 900 - 0) = 2895
/// host-seconds; at 3.6 an hour, 2.895.
#[test]
fn managed_scaling_from_a_full_cluster() {
    let result = run_once(&section_10(&MANAGED), 1, 0);
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(seconds(&result), 65.0);
    assert_eq!(result.scaled_hosts, 3);
    assert_eq!(result.host_micros_extra, 2_895_000_000);
    assert!((result.cost.unwrap() - 2.895).abs() < 1e-9);
    assert_eq!(result.capacity_wait.as_secs_f64(), 30.0);
}

/// Warm-up blocks a second scale-out. With max_step = 1 the check at 0 launches one host
/// (joins at 30, host 3), and section 10's one-spare rhythm follows 30 s late: complete
/// at 135. The checks at 60 and 120 would launch (the evaluation at 45 left U = 2), but
/// the first host's 300 s warm-up blocks them.
///
/// With warm-up 0 the check at 60 launches a second host (joins at 90, host 4): new task
/// 3 healthy at 45 (old 0 stops, reported 65), new task 5 on host 0 at 65 healthy at 80
/// (old 1 stops), new task 6 on host 4 at 90 healthy at 105 (old 2 stops, reported 125):
/// complete at 125 with 2 hosts launched.
#[test]
fn warmup_blocks_a_second_scale_out() {
    let mut blocked = MANAGED.to_vec();
    blocked.extend(["autoscaling.max_step=1", "autoscaling.warmup=300s"]);
    let result = run_once(&section_10(&blocked), 1, 0);
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(seconds(&result), 135.0);
    assert_eq!(result.scaled_hosts, 1);

    let mut unblocked = MANAGED.to_vec();
    unblocked.extend(["autoscaling.max_step=1", "autoscaling.warmup=0s"]);
    let result = run_once(&section_10(&unblocked), 1, 0);
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(seconds(&result), 125.0);
    assert_eq!(result.scaled_hosts, 2);
}

/// At max_hosts nothing more can launch: with max_hosts = 3 (the starting cluster) and no
/// spare, the deploy is stuck at 0 on placement, not left waiting for checks forever.
#[test]
fn managed_scaling_at_max_hosts_is_stuck() {
    let mut overrides = MANAGED.to_vec();
    overrides.push("autoscaling.max_hosts=3");
    let result = run_once(&section_10(&overrides), 1, 0);
    assert_eq!(result.outcome, Outcome::Stuck);
    assert_eq!(seconds(&result), 0.0);
    assert_eq!(result.scaled_hosts, 0);
}

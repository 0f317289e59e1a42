//! Exact cases computed by hand, each derivation in the comment above it. All start from
//! docs/model.md section 10's scenario (`common::SECTION_10`): one task per host, D = 3,
//! reaction/latency/report 0, pull 10 s (cached 1 s), start 0, warm-up 0, checks every
//! 5 s from registration with 2 passes to healthy, deregistration delay 20 s, shutdown 0.

mod common;

use common::{SECTION_10, scenario_from, seconds, section_10};
use deploysim::commands::StepLog;
use deploysim::model::{Outcome, Params, StepKind, StuckReason, World, run_once};

/// Polling agent, every host at phase 7 s of a 20 s period, three spare hosts.
/// t=0: three new tasks placed on hosts 3-5; their agents poll at 7 -> pulls end at 17,
/// running and registered at 17; checks at 17 and 22 -> healthy at 22. The evaluation at
/// 22 stops all three old tasks (6 healthy, MIN 3); draining ends at 42; the agents next
/// poll at 47 (7, 27, 47) -> stopped and reported at 47.
#[test]
fn polling_agent_waits_for_the_hosts_poll() {
    let result = run_once(
        &section_10(&[
            "cluster.spare_hosts=3",
            "agent.mode=polling",
            "agent.poll_interval=20s",
            "agent.poll_phase=7s",
        ]),
        1,
        0,
    );
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(seconds(&result), 47.0);
    assert_eq!(result.first_new_healthy.unwrap().as_secs_f64(), 22.0);
}

/// Two tasks per host (memory 2000 of 4096), D = 2, one service host holding both old
/// tasks, one spare host, 100%/150% (MAX = 3).
/// t=0: one new task (2) on host 1; MAX stops the second. Pull 0-10, checks 10, 15 ->
/// healthy at 15. Evaluation at 15: 3 healthy -> stop old task 0; host 0 is still
/// reserved, host 1 has room -> new task 3 on host 1, whose pull of the new image
/// finished at 10, so it is cached: 1 s -> running 16, checks 16, 21 -> healthy at 21.
/// Evaluation at 21 stops old task 1 -> it stops at 41. Old task 0 stopped at 35.
/// Complete at 41.
#[test]
fn second_task_on_a_host_gets_a_cached_pull() {
    let mut log = StepLog::default();
    let scenario = section_10(&[
        "cluster.hosts=1",
        "service.desired=2",
        "service.task.memory=2000",
        "deployment.maximum_percent=150",
    ]);
    let result = World::new(Params::new(&scenario)).run(1, 0, &mut log);
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(seconds(&result), 41.0);
    let pulls: Vec<(f64, bool)> = log
        .steps
        .iter()
        .filter_map(|s| match (s.kind, s.detail) {
            (StepKind::PullStarted, deploysim::model::Detail::Pull { cached, .. }) => {
                Some((s.time.as_secs_f64(), cached))
            }
            _ => None,
        })
        .collect();
    assert_eq!(pulls, vec![(0.0, false), (15.0, true)]);
}

/// Two tasks per host, D = 4 on two service hosts (old tasks 0, 2 on host 0 and 1, 3 on
/// host 1 by spread:host), one spare host, 100%/200%.
/// t=0: new tasks 4 and 5 both go to host 2 (the only room); both pulls start together,
/// so both pay the full 10 s; healthy at 15. Evaluation at 15: 6 healthy -> stop old
/// tasks 0 and 1 (lowest ids); no room for more. They stop and are reported at 35; the
/// evaluation at 35 places new tasks 6 (host 0) and 7 (host 1), full pulls (the new image
/// is not on hosts 0 and 1) -> healthy at 50 -> old tasks 2 and 3 stop at 70.
#[test]
fn two_tasks_per_host() {
    let result = run_once(
        &section_10(&[
            "cluster.hosts=2",
            "service.desired=4",
            "service.task.memory=2000",
        ]),
        1,
        0,
    );
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(seconds(&result), 70.0);
    assert_eq!(result.peak_active, 6);
    assert_eq!(result.tasks_started, 4);
}

/// 50%/100%, two tasks per host, D = 4 on two hosts, no spare: MIN = 2, MAX = 4.
/// t=0: stop old tasks 0 and 1 (4 -> 2 healthy); no room until they are reported at 20.
/// 20: new tasks on hosts 0 and 1, full pulls -> healthy at 35; stop old tasks 2 and 3;
/// reported at 55. 55: new tasks on hosts 0 and 1 whose new-image pulls finished at 30:
/// cached, 1 s -> running 56, checks 56, 61 -> healthy at 61. Healthy is 2 from 0 to 61
/// (3 and 4 only for an instant at 35), so the deficit is 2 x 61 = 122 task-seconds.
#[test]
fn fifty_percent_minimum_with_one_hundred_percent_maximum() {
    let result = run_once(
        &section_10(&[
            "cluster.hosts=2",
            "cluster.spare_hosts=0",
            "service.desired=4",
            "service.task.memory=2000",
            "deployment.minimum_healthy_percent=50",
            "deployment.maximum_percent=100",
        ]),
        1,
        0,
    );
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(seconds(&result), 61.0);
    assert_eq!(result.min_healthy, 2);
    assert_eq!(result.deficit_task_micros, 122_000_000);
}

/// Section 10's third example: healthy is 2 from 0 to 105 (3 only at instants), so the
/// deficit is 1 x 105 task-seconds.
#[test]
fn section_10_fifty_percent_deficit() {
    let result = run_once(
        &section_10(&[
            "cluster.spare_hosts=0",
            "deployment.minimum_healthy_percent=50",
            "deployment.maximum_percent=100",
        ]),
        1,
        0,
    );
    assert_eq!(result.deficit_task_micros, 105_000_000);
}

/// 100%/100%: MIN = MAX = D = 3. At t=0 no old task may stop (3 - 1 < MIN) and no new
/// task may start (3 active = MAX); nothing is pending: stuck at 0.
#[test]
fn one_hundred_one_hundred_is_stuck() {
    let result = run_once(&section_10(&["deployment.maximum_percent=100"]), 1, 0);
    assert_eq!(result.outcome, Outcome::Stuck);
    assert_eq!(
        result.stuck_reason,
        Some(StuckReason::MinMaxDeadlock { min: 3, max: 3 })
    );
    assert_eq!(seconds(&result), 0.0);
    assert_eq!(result.events, 1);
}

/// 100%/200% with no spare host: the t=0 evaluation may start a task but none fits.
#[test]
fn no_spare_host_is_stuck_on_placement() {
    let result = run_once(&section_10(&["cluster.spare_hosts=0"]), 1, 0);
    assert_eq!(result.outcome, Outcome::Stuck);
    assert_eq!(
        result.stuck_reason,
        Some(StuckReason::NoHostFits {
            new_active: 0,
            desired: 3
        })
    );
    assert_eq!(result.placement_failures, 1);
}

/// Periodic scheduler every 15 s, three spare hosts. Tick 0 places the three new tasks;
/// they are healthy at 15, but the tick at 15 was queued (at 0) before the checks at 15
/// (queued at 10), so it still sees 3 healthy and stops nothing. The tick at 30 stops the
/// three old tasks, which are reported stopped at 50: complete at 50, not at 35.
#[test]
fn periodic_scheduler_acts_on_ticks() {
    let result = run_once(
        &section_10(&[
            "cluster.spare_hosts=3",
            "scheduler.mode=periodic",
            "scheduler.interval=15s",
        ]),
        1,
        0,
    );
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(seconds(&result), 50.0);
}

/// A slow starter: warm-up 60 s, but checks count failures from the start (grace 0) and
/// 2 failures make it unhealthy. Task 3 (host 3) runs at 10, fails checks at 10 and 15 ->
/// killed at 15. It never was healthy, so it drains 0 s and is reported stopped at 15;
/// the replacement goes to host 3, whose new image is cached since 10: pull 1 s -> running
/// 16, failing at 16 and 21 -> killed at 21. Every cycle takes 6 s: kills at 15, 21, ...,
/// 117 (18 kills), 19 tasks started; the last, running at 118, would next be checked at
/// 123, after the 120 s horizon: timeout at 120.
#[test]
fn slow_starter_is_killed_until_the_horizon() {
    let result = run_once(
        &section_10(&["launch.warmup=60s", "simulation.horizon=2m"]),
        1,
        0,
    );
    assert_eq!(result.outcome, Outcome::Timeout);
    assert_eq!(seconds(&result), 120.0);
    assert_eq!(result.tasks_failed, 18);
    assert_eq!(result.tasks_started, 19);
    assert_eq!(result.first_new_healthy, None);
    assert_eq!(result.min_healthy, 3);
}

/// The same slow starter with a 60 s grace period: failures before running + 60 do not
/// count towards stopping it, but the load balancer still marks it unhealthy after
/// `unhealthy_threshold` (2) failures in a row, so it then needs `healthy_threshold`
/// passes (default 5) instead of `initial_healthy_threshold` (2). Task 3 runs at 10;
/// checks at 10, 15, ..., 65 fail (marked unhealthy at 15); 70, 75, 80, 85, 90 pass ->
/// healthy at 90. Then the one-spare rhythm of section 10 with 90 s from placement to
/// healthy: old task 0 stops at 90, reported at 110; the next task, placed at 110 on host
/// 0 (full pull), runs at 120 and is healthy at 200; old task 1 is reported at 220; the
/// third new task, placed at 220, is healthy at 310; old task 2 is reported at 330.
#[test]
fn failures_in_the_grace_period_switch_to_the_healthy_threshold() {
    let result = run_once(
        &section_10(&["launch.warmup=60s", "health_check.grace_period=60s"]),
        1,
        0,
    );
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(result.tasks_failed, 0);
    assert_eq!(result.first_new_healthy.unwrap().as_secs_f64(), 90.0);
    assert_eq!(seconds(&result), 330.0);
}

/// As above with `healthy_threshold = 2`: after the switch two passes still suffice, so
/// 70, 75 pass -> healthy at 75; 75 s from placement to healthy: old task 0 reported at
/// 95, next task placed at 95, healthy at 170; old task 1 reported at 190; the third
/// placed at 190, healthy at 265; old task 2 reported at 285.
#[test]
fn grace_period_lets_a_slow_starter_through() {
    let result = run_once(
        &section_10(&[
            "launch.warmup=60s",
            "health_check.grace_period=60s",
            "health_check.healthy_threshold=2",
        ]),
        1,
        0,
    );
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(result.tasks_failed, 0);
    assert_eq!(result.first_new_healthy.unwrap().as_secs_f64(), 75.0);
    assert_eq!(seconds(&result), 285.0);
}

/// Connections close after 5 s, before the 20 s delay ends: draining takes min(20, 5).
/// Three spares: healthy at 15, old tasks stop at 15 + 5 = 20.
#[test]
fn connections_closing_early_cut_draining() {
    let result = run_once(
        &section_10(&["cluster.spare_hosts=3", "draining.connections_close=5s"]),
        1,
        0,
    );
    assert_eq!(seconds(&result), 20.0);
}

/// A 40 s shutdown is killed at the 30 s stop timeout: old tasks drain 15-35 and stop at
/// 35 + min(40, 30) = 65.
#[test]
fn stop_timeout_caps_shutdown() {
    let result = run_once(
        &section_10(&[
            "cluster.spare_hosts=3",
            "draining.shutdown=40s",
            "draining.stop_timeout=30s",
        ]),
        1,
        0,
    );
    assert_eq!(seconds(&result), 65.0);
}

/// Reports take 1 s: running at 10 is registered at 11 (checks 11, 16 -> healthy 16); the
/// old tasks drain 16-36, exit at 36 and the scheduler learns it at 37: complete at 37.
#[test]
fn reports_delay_registration_and_completion() {
    let result = run_once(
        &section_10(&["cluster.spare_hosts=3", "agent.report=1s"]),
        1,
        0,
    );
    assert_eq!(seconds(&result), 37.0);
}

/// An event exactly at the horizon still runs: section 10 completes at 105 with a 105 s
/// horizon, and times out at 104 with a 104 s horizon.
#[test]
fn horizon_is_inclusive() {
    let at = run_once(&section_10(&["simulation.horizon=105s"]), 1, 0);
    assert_eq!((at.outcome, seconds(&at)), (Outcome::Completed, 105.0));
    let before = run_once(&section_10(&["simulation.horizon=104s"]), 1, 0);
    assert_eq!(
        (before.outcome, seconds(&before)),
        (Outcome::Timeout, 104.0)
    );
}

/// Stop choice across zones: 4 one-task hosts in 2 zones (hosts 0, 2 in zone 0; 1, 3 in
/// zone 1), old tasks 0-3 on hosts 0-3, two spares (host 4 zone 0, host 5 zone 1).
/// t=0: spread:zone ties (2 and 2) -> host 4 (lower id); then zone 1 -> host 5. Healthy at
/// 15: 6 healthy, MIN 4 -> two stops. Zones have 3 active each -> zone 0 -> old task 0;
/// recount: zone 1 has 3, zone 0 has 2 -> zone 1 -> old task 1.
#[test]
fn scheduler_stops_from_the_fullest_zone() {
    let scenario = section_10(&[
        "cluster.hosts=4",
        "cluster.spare_hosts=2",
        "cluster.zones=2",
        "service.desired=4",
    ]);
    let mut log = StepLog::default();
    let result = World::new(Params::new(&scenario)).run(1, 0, &mut log);
    assert_eq!(result.outcome, Outcome::Completed);
    let placed: Vec<(u32, u32)> = log
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Placed && s.time.micros() == 0)
        .map(|s| (s.task.unwrap(), s.host.unwrap()))
        .collect();
    assert_eq!(placed, vec![(4, 4), (5, 5)]);
    let first_stops: Vec<u32> = log
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::StopDecided && s.time.as_secs_f64() == 15.0)
        .map(|s| s.task.unwrap())
        .collect();
    assert_eq!(first_stops, vec![0, 1]);
    // Then tasks 6 and 7 on hosts 0 and 1 at 35, healthy at 50, old 2 and 3 stop at 70.
    assert_eq!(seconds(&result), 70.0);
}

/// binpack:memory fills the fullest host first: two tasks per host, D = 2, two service
/// hosts and two spares, 100%/200%. Binpack puts both old tasks on host 0, leaving host 1
/// empty; the first new task goes to the lowest empty host (1), and the second joins it
/// (binpack prefers the host with a task already), not host 2.
#[test]
fn binpack_fills_one_host() {
    let text = SECTION_10.replace(
        "task = { cpu = 256, memory = 3000 }",
        "task = { cpu = 256, memory = 2000 }\nplacement = [\"binpack:memory\"]",
    );
    let scenario = scenario_from(
        &text,
        &[
            "cluster.hosts=2",
            "cluster.spare_hosts=2",
            "service.desired=2",
        ],
    );
    let mut log = StepLog::default();
    World::new(Params::new(&scenario)).run(1, 0, &mut log);
    let hosts: Vec<(&str, u32)> = log
        .steps
        .iter()
        .filter(|s| matches!(s.kind, StepKind::Initial | StepKind::Placed) && s.time.micros() == 0)
        .map(|s| (s.revision.unwrap().name(), s.host.unwrap()))
        .collect();
    assert_eq!(hosts, vec![("old", 0), ("old", 0), ("new", 1), ("new", 1)]);
}

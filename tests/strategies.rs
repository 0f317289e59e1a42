//! Blue/green, linear and canary deployments, bad revisions and alarms: exact cases
//! computed by hand, each derivation in the comment above it.
//!
//! All start from the worked example's world (`common::SECTION_10`): three service hosts
//! that hold one task each, D = 3, reaction, agent latency and reports 0, pull 10 s
//! (cached 1 s), start 0, warm-up 0, checks every 5 s from registration with 2 passes
//! to healthy, deregistration delay 20 s, shutdown 0. So a new task placed at t runs at
//! t + 10 and is healthy at t + 15; a healthy old task told to stop at t is gone (and
//! the scheduler knows it) at t + 20.

mod common;

use common::{SECTION_10, scenario_from, seconds, section_10};
use deploysim::commands::StepLog;
use deploysim::model::{Detail, Outcome, Params, StepKind, StuckReason, World, run_once};
use deploysim::scenario::Scenario;

/// SECTION_10 without its minimum/maximum percent (they are errors with these strategies).
fn shifting(strategy: &str, overrides: &[&str]) -> Scenario {
    let text = SECTION_10
        .replace("minimum_healthy_percent = 100\n", "")
        .replace(
            "maximum_percent = 200\n",
            &format!("strategy = \"{strategy}\"\n"),
        );
    scenario_from(&text, overrides)
}

fn secs(d: Option<deploysim::engine::SimDuration>) -> Option<f64> {
    d.map(|d| d.as_secs_f64())
}

/// The green share after each shift, with its time.
fn shifts(scenario: &Scenario) -> Vec<(f64, f64)> {
    let mut log = StepLog::default();
    World::new(Params::new(scenario)).run(1, 0, &mut log);
    log.steps
        .iter()
        .filter_map(|s| match s.detail {
            Detail::Green { basis_points } => {
                Some((s.time.as_secs_f64(), basis_points as f64 / 100.0))
            }
            _ => None,
        })
        .collect()
}

/// Blue/green with room (three spare hosts): the three new tasks are placed at 0 and
/// healthy at 15, which ends scale-up; the hooks take 0, so all traffic moves at 15; bake
/// 30 s until 45; clean-up tells the three old tasks to stop at 45; they drain 20 s and
/// are known stopped at 65. Six tasks run at once.
#[test]
fn blue_green_with_room() {
    let s = shifting(
        "blue_green",
        &["cluster.spare_hosts=3", "deployment.bake_time=30s"],
    );
    let r = run_once(&s, 1, 0);
    assert_eq!(r.outcome, Outcome::Completed);
    assert_eq!(seconds(&r), 65.0);
    assert_eq!(secs(r.traffic_shifted), Some(15.0));
    assert_eq!(r.peak_active, 6);
    assert_eq!(r.min_healthy, 3);
    assert_eq!(r.bad_exposure_micros, 0);
    assert_eq!(shifts(&s), vec![(15.0, 100.0)]);
}

/// Blue/green with one spare host: the first new task is placed at 0 and healthy at 15;
/// the others fit nowhere (the old tasks are never stopped before clean-up), and after
/// the evaluation at 15 nothing can change: stuck at 15 with 1 of 3 new tasks placed.
#[test]
fn blue_green_without_room_is_stuck() {
    let s = shifting("blue_green", &["deployment.bake_time=30s"]);
    let r = run_once(&s, 1, 0);
    assert_eq!(r.outcome, Outcome::Stuck);
    assert_eq!(seconds(&r), 15.0);
    assert_eq!(
        r.stuck_reason,
        Some(StuckReason::NoHostFits {
            new_active: 1,
            desired: 3
        })
    );
    assert_eq!(r.traffic_shifted, None);
}

/// The same without a spare, unstuck by managed scaling (boot 30 s). t = 0: the
/// evaluation places nothing (U = D - new active = 3); the scaling check right after it
/// has M = 3 occupied + ceil(3 / 1) = 6 against N = 3 hosts: 200% > 100%, so it launches
/// ceil(600 / 100) - 3 = 3 hosts. They join at 30; the evaluation at 30 places the three
/// new tasks (no image cached: full pull), running at 40, healthy at 45; shift at 45;
/// bake 30 s to 75; the old tasks drain until 95.
#[test]
fn blue_green_unstuck_by_managed_scaling() {
    let s = shifting(
        "blue_green",
        &[
            "cluster.spare_hosts=0",
            "deployment.bake_time=30s",
            "autoscaling.mode=managed",
            "autoscaling.max_hosts=6",
            "autoscaling.boot=30s",
        ],
    );
    let r = run_once(&s, 1, 0);
    assert_eq!(r.outcome, Outcome::Completed);
    assert_eq!(r.scaled_hosts, 3);
    assert_eq!(secs(r.traffic_shifted), Some(45.0));
    assert_eq!(seconds(&r), 95.0);
}

/// Canary 10% for 60 s, bake 30 s, three spares: healthy at 15; 10% at 15, 100% at 75;
/// bake until 105; the old tasks drain until 125.
#[test]
fn canary_shifts_then_bakes() {
    let s = shifting(
        "canary",
        &[
            "cluster.spare_hosts=3",
            "deployment.canary_percent=10",
            "deployment.canary_bake_time=60s",
            "deployment.bake_time=30s",
        ],
    );
    let r = run_once(&s, 1, 0);
    assert_eq!(r.outcome, Outcome::Completed);
    assert_eq!(shifts(&s), vec![(15.0, 10.0), (75.0, 100.0)]);
    assert_eq!(secs(r.traffic_shifted), Some(75.0));
    assert_eq!(seconds(&r), 125.0);
}

/// A canary of 100% moves everything at once and waits no canary bake: as blue/green.
#[test]
fn canary_of_one_hundred_percent_waits_no_canary_bake() {
    let s = shifting(
        "canary",
        &[
            "cluster.spare_hosts=3",
            "deployment.canary_percent=100",
            "deployment.bake_time=30s",
        ],
    );
    assert_eq!(shifts(&s), vec![(15.0, 100.0)]);
    assert_eq!(seconds(&run_once(&s, 1, 0)), 65.0);
}

/// Linear steps of 30% (which does not divide 100), 10 s after each step below 100%, no
/// bake: 30% at 15, 60% at 25, 90% at 35, then capped at 100% at 45; clean-up at 45; old
/// tasks gone at 65.
#[test]
fn linear_steps_are_capped_at_one_hundred() {
    let s = shifting(
        "linear",
        &[
            "cluster.spare_hosts=3",
            "deployment.step_percent=30",
            "deployment.step_bake_time=10s",
            "deployment.bake_time=0s",
        ],
    );
    assert_eq!(
        shifts(&s),
        vec![(15.0, 30.0), (25.0, 60.0), (35.0, 90.0), (45.0, 100.0)]
    );
    let r = run_once(&s, 1, 0);
    assert_eq!(secs(r.traffic_shifted), Some(45.0));
    assert_eq!(seconds(&r), 65.0);
}

/// Hooks: scale-up ends at 15; test traffic and its hooks take 7 s, so the shift is at 22;
/// the after-production hook takes 11 s (to 33), then the 30 s bake (to 63); the old tasks
/// drain until 83.
#[test]
fn hooks_come_before_and_after_the_production_shift() {
    let s = shifting(
        "blue_green",
        &[
            "cluster.spare_hosts=3",
            "deployment.bake_time=30s",
            "deployment.hooks.before_production=7s",
            "deployment.hooks.after_production=11s",
        ],
    );
    let r = run_once(&s, 1, 0);
    assert_eq!(secs(r.traffic_shifted), Some(22.0));
    assert_eq!(seconds(&r), 83.0);
}

/// Clean-up drains: with connections closing after 4 s, the old tasks told to stop at 45
/// are gone at 49 instead of 65.
#[test]
fn clean_up_drains_the_old_tasks() {
    let s = shifting(
        "blue_green",
        &[
            "cluster.spare_hosts=3",
            "deployment.bake_time=30s",
            "draining.connections_close=4s",
        ],
    );
    assert_eq!(seconds(&run_once(&s, 1, 0)), 49.0);
}

/// The breaker rolls back during scale-up. Every new task is bad; threshold
/// max(ceil(3 / 2), 3) = 3; one spare host. t = 0: task 3 on host 3 (the others fit
/// nowhere); runs at 10, fails its checks at 10 and 15: unhealthy at 15 (failure 1), gone
/// at 15 (never healthy: no drain). The evaluation at 15 places task 4 on host 3, whose
/// pull finished at 10: cached, 1 s; runs at 16, fails at 16 and 21 (failure 2); task 5
/// runs at 22, fails at 22 and 27: failure 3 trips the breaker at 27 and the deploy rolls
/// back; task 5 is already stopping and is gone at 27; the old tasks never stopped, so
/// the run ends rolled_back at 27, traffic never shifted.
#[test]
fn breaker_rolls_back_during_scale_up() {
    let s = shifting(
        "blue_green",
        &[
            "deployment.bake_time=30s",
            "failures.bad_task_probability=1",
            "deployment.circuit_breaker=true",
            "deployment.rollback=true",
        ],
    );
    let r = run_once(&s, 1, 0);
    assert_eq!(r.outcome, Outcome::RolledBack);
    assert_eq!(seconds(&r), 27.0);
    assert_eq!(secs(r.detection), Some(27.0));
    assert_eq!(r.tasks_failed, 3);
    assert_eq!(r.tasks_started, 3);
    assert_eq!(r.traffic_shifted, None);
    assert_eq!(r.min_healthy, 3);
}

/// Rolling with a bad revision and an alarm 10 s after it first serves traffic; three
/// spares so the new tasks all start at 0. The new tasks are healthy at 15 and the
/// evaluation at 15 stops the three old ones, so from 15 the new revision serves all
/// traffic (the instant with both revisions healthy lasts 0 s). The alarm fires at 25:
/// without rollback the run ends failed at 25 with 10 s of exposure.
#[test]
fn alarm_under_rolling_fails_the_deploy() {
    let s = section_10(&[
        "cluster.spare_hosts=3",
        "failures.bad_revision_probability=1",
        "deployment.alarms=true",
        "deployment.alarm_delay=10s",
    ]);
    let r = run_once(&s, 1, 0);
    assert_eq!(r.outcome, Outcome::Failed);
    assert_eq!(seconds(&r), 25.0);
    assert_eq!(secs(r.detection), Some(25.0));
    assert_eq!(r.bad_exposure_micros, 10_000_000);
}

/// As above with rollback: at 25 the old revision is the target again, but its hosts are
/// held by the draining old tasks until 35. At 35 the three old tasks are placed again on
/// hosts 0-2 (old image cached: 1 s pull), run at 36, are healthy at 41; the evaluation
/// at 41 stops the new tasks, gone at 61: rolled back at 61. The new revision served all
/// traffic from 15 to 41: 26 s of exposure.
#[test]
fn alarm_under_rolling_rolls_back() {
    let s = section_10(&[
        "cluster.spare_hosts=3",
        "failures.bad_revision_probability=1",
        "deployment.alarms=true",
        "deployment.alarm_delay=10s",
        "deployment.rollback=true",
    ]);
    let r = run_once(&s, 1, 0);
    assert_eq!(r.outcome, Outcome::RolledBack);
    assert_eq!(seconds(&r), 61.0);
    assert_eq!(secs(r.detection), Some(25.0));
    assert_eq!(secs(r.restored), Some(41.0));
    assert_eq!(r.bad_exposure_micros, 26_000_000);
}

/// A good revision never sets off the alarm: the plain section 10 result with 3 spares.
#[test]
fn a_good_revision_is_not_exposed() {
    let s = section_10(&[
        "cluster.spare_hosts=3",
        "deployment.alarms=true",
        "deployment.alarm_delay=10s",
    ]);
    let r = run_once(&s, 1, 0);
    assert_eq!(r.outcome, Outcome::Completed);
    assert_eq!(seconds(&r), 35.0);
    assert_eq!(r.bad_exposure_micros, 0);
    assert_eq!(r.detection, None);
}

fn canary_with_alarm(delay: &str, rollback: bool) -> Scenario {
    let delay = format!("deployment.alarm_delay={delay}");
    let rollback = format!("deployment.rollback={rollback}");
    shifting(
        "canary",
        &[
            "cluster.spare_hosts=3",
            "deployment.canary_percent=10",
            "deployment.canary_bake_time=60s",
            "deployment.bake_time=30s",
            "failures.bad_revision_probability=1",
            "deployment.alarms=true",
            &delay,
            &rollback,
        ],
    )
}

/// Canary 10% at 15 on a bad revision, alarm 20 s later at 35 (during the canary bake):
/// 20 s at 10% = 2 s of exposure; without rollback the run ends failed at 35.
#[test]
fn alarm_under_canary_fails_the_deploy() {
    let r = run_once(&canary_with_alarm("20s", false), 1, 0);
    assert_eq!(r.outcome, Outcome::Failed);
    assert_eq!(seconds(&r), 35.0);
    assert_eq!(r.bad_exposure_micros, 2_000_000);
}

/// With rollback: at 35 traffic goes back to the old revision and every new task is told
/// to stop; they were healthy, so they drain 20 s: rolled back at 55, exposure 2 s.
#[test]
fn alarm_under_canary_rolls_back() {
    let r = run_once(&canary_with_alarm("20s", true), 1, 0);
    assert_eq!(r.outcome, Outcome::RolledBack);
    assert_eq!(seconds(&r), 55.0);
    assert_eq!(secs(r.detection), Some(35.0));
    assert_eq!(r.bad_exposure_micros, 2_000_000);
}

/// An alarm due after clean-up begins is no longer watched: the alarm would fire at
/// 15 + 200 = 215, but clean-up begins at 105 and the deploy completes at 125. Exposure:
/// 10% from 15 to 75 (6 s) plus 100% from 75 to 125 (50 s) = 56 s.
#[test]
fn alarms_are_not_watched_after_clean_up_begins() {
    let r = run_once(&canary_with_alarm("200s", true), 1, 0);
    assert_eq!(r.outcome, Outcome::Completed);
    assert_eq!(seconds(&r), 125.0);
    assert_eq!(r.detection, None);
    assert_eq!(r.bad_exposure_micros, 56_000_000);
}

/// Managed scaling's k (tasks that fit on an empty host) is 1 with distinct_instance.
/// Two hosts that could each hold four tasks (memory 1000 of 4096) but hold one old task
/// each, D = 2, distinct_instance, no spare. t = 0: no new task fits (U = min(2, 4 - 2) =
/// 2). The scaling check has M = 2 occupied + ceil(2 / 1) = 4 against N = 2: 200%, so it
/// launches ceil(400 / 100) - 2 = 2 hosts (with k = 4 it would launch one, and the second
/// new task would wait for the old task's host). Both join at 30; the two new tasks are
/// placed at 30 (full pull), healthy at 45; the old ones are stopped at 45 and gone at 65.
/// host_seconds_extra = 2 x (65 + 900 - 0) = 1930 s.
#[test]
fn managed_scaling_counts_one_task_per_host_with_distinct_instance() {
    let s = section_10(&[
        "cluster.hosts=2",
        "cluster.spare_hosts=0",
        "service.desired=2",
        "service.task.memory=1000",
        "service.distinct_instance=true",
        "autoscaling.mode=managed",
        "autoscaling.max_hosts=10",
        "autoscaling.boot=30s",
    ]);
    let r = run_once(&s, 1, 0);
    assert_eq!(r.outcome, Outcome::Completed);
    assert_eq!(r.scaled_hosts, 2);
    assert_eq!(seconds(&r), 65.0);
    assert_eq!(r.host_micros_extra, 1_930_000_000);
}

/// Keys that belong to other strategies, or a missing bake time, are errors naming the
/// key and the strategy.
#[test]
fn strategy_keys_are_checked() {
    let text = SECTION_10.replace(
        "maximum_percent = 200\n",
        "maximum_percent = 200\nstrategy = \"canary\"\nbake_time = \"1m\"\n",
    );
    let err = deploysim::scenario::from_text(&text, "t.toml", std::path::Path::new("."), &[])
        .unwrap_err();
    assert_eq!(
        err.key.as_deref(),
        Some("deployment.minimum_healthy_percent")
    );
    assert!(err.message.contains("\"canary\""), "{err}");

    let text = SECTION_10
        .replace("minimum_healthy_percent = 100\n", "")
        .replace("maximum_percent = 200\n", "strategy = \"linear\"\n");
    let err = deploysim::scenario::from_text(&text, "t.toml", std::path::Path::new("."), &[])
        .unwrap_err();
    assert_eq!(err.key.as_deref(), Some("deployment.bake_time"));
    assert!(err.message.contains("required"), "{err}");

    let text = SECTION_10.replace(
        "maximum_percent = 200\n",
        "maximum_percent = 200\ncanary_percent = 5\n",
    );
    let err = deploysim::scenario::from_text(&text, "t.toml", std::path::Path::new("."), &[])
        .unwrap_err();
    assert_eq!(err.key.as_deref(), Some("deployment.canary_percent"));
    assert!(err.message.contains("\"rolling\""), "{err}");

    // The old name of the rolling strategy still reads.
    let text = SECTION_10.replace(
        "maximum_percent = 200\n",
        "maximum_percent = 200\nstrategy = \"ecs\"\n",
    );
    let s =
        deploysim::scenario::from_text(&text, "t.toml", std::path::Path::new("."), &[]).unwrap();
    assert_eq!(seconds(&run_once(&s, 1, 0)), 105.0);
}

/// StepKind names used by the trace: the stages are recorded.
#[test]
fn stages_are_recorded_in_the_trace() {
    let s = shifting(
        "canary",
        &["cluster.spare_hosts=3", "deployment.bake_time=30s"],
    );
    let mut log = StepLog::default();
    World::new(Params::new(&s)).run(1, 0, &mut log);
    let stages: Vec<String> = log
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Stage)
        .map(|s| match s.detail {
            Detail::Stage(stage) => format!("{}@{}", stage.name(), s.time.as_secs_f64()),
            _ => unreachable!(),
        })
        .collect();
    // Default canary: 5% for 10 minutes.
    assert_eq!(
        stages,
        [
            "test traffic@15",
            "traffic shift@15",
            "after-production hook@615",
            "bake@615",
            "clean-up@645"
        ]
    );
}

//! Exact cases for Fargate and host groups (docs/model.md sections 17 and 18), derived by hand.
//! Timings are section 10's (`common::SECTION_10`): reaction, latency and report 0, pull
//! 10 s (cached 1 s), start 0, warm-up 0, checks every 5 s from registration with 2 passes
//! to healthy and 2 failures to unhealthy, deregistration delay 20 s, shutdown 0.

mod common;

use common::{SECTION_10, scenario_from, seconds};
use deploysim::commands::StepLog;
use deploysim::model::{Outcome, Params, ReplicationResult, Revision, StepKind, World, run_once};
use deploysim::scenario::Scenario;

/// Section 10's timings on Fargate: D = 3, 0.25 vCPU / 512 MiB tasks, provisioning 5 s.
fn fargate(overrides: &[&str]) -> Scenario {
    let text = SECTION_10.replace(
        "[cluster]\nhosts = 3\nspare_hosts = 1\nhost = { cpu = 1024, memory = 4096 }",
        "[cluster]\nlaunch_type = \"fargate\"\n[fargate]\nprovisioning = \"5s\"",
    );
    let text = text.replace(
        "task = { cpu = 256, memory = 3000 }",
        "task = { cpu = 256, memory = 512 }",
    );
    scenario_from(&text, overrides)
}

/// Section 10's timings with the cluster written as host groups (`groups` replaces the
/// `[cluster]` host keys; the rest of the table stays).
fn grouped(groups: &str, overrides: &[&str]) -> Scenario {
    let text = SECTION_10.replace(
        "hosts = 3\nspare_hosts = 1\nhost = { cpu = 1024, memory = 4096 }\n",
        "",
    );
    scenario_from(&format!("{text}\n{groups}"), overrides)
}

/// The host of each placed task of `revision`, in placement order (t = 0's old tasks
/// included).
fn hosts_of(scenario: &Scenario, revision: Revision) -> (ReplicationResult, Vec<u32>) {
    let mut log = StepLog::default();
    let result = World::new(Params::new(scenario)).run(1, 0, &mut log);
    let hosts = log
        .steps
        .iter()
        .filter(|s| matches!(s.kind, StepKind::Placed | StepKind::Initial))
        .filter(|s| s.revision == Some(revision))
        .map(|s| s.host.unwrap())
        .collect();
    (result, hosts)
}

/// Fargate, 100% / 200% (MAX 6): t = 0 places all three new tasks (placement never
/// fails). Each is provisioned 0-5, pulls 5-15 (never cached), runs and registers at 15,
/// passes checks at 15 and 20 -> healthy at 20. The evaluation at 20 sees 6 healthy
/// (MIN 3) and stops the three old tasks: drained at 40, stopped and reported at 40.
/// Billing: 3 old tasks from before 0 to 40, 3 new from 5 (pull start) on: 6 billed over
/// 5-40, so task_seconds_extra = 3 x 35 = 105; host_seconds_extra = 0.
#[test]
fn fargate_100_200() {
    let result = run_once(&fargate(&[]), 1, 0);
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(seconds(&result), 40.0);
    assert_eq!(result.first_new_healthy.unwrap().as_secs_f64(), 20.0);
    assert_eq!(result.placement_failures, 0);
    assert_eq!(result.peak_active, 6);
    assert_eq!(result.task_micros_extra, Some(105_000_000));
    assert_eq!(result.host_micros_extra, 0);
}

/// Fargate, 50% / 100% (MIN 2, MAX 3): t = 0 stops old task 0 and places new task 3;
/// task 3: provisioned 5, pull 5-15, healthy at 20. Old task 0 drains 0-20 and is reported
/// stopped at 20. At 20 the evaluation (healthy: old 1, 2 and new 3) stops old task 1 and
/// places new task 4 (no host to wait for: on EC2 without a spare, section 10 waits for the
/// freed host and takes 105 s): healthy at 40, when old task 1 is stopped; the same again
/// places task 5, healthy at 60, when old task 2 has stopped. Complete at 60, never fewer
/// than 2 healthy. Billing: a task told to stop is billed until its container stops, so
/// over 5-20 (new task 3 pulling, old task 0 draining), 25-40 and 45-60 four tasks are
/// billed: task_seconds_extra = 3 x 15 = 45.
#[test]
fn fargate_50_100() {
    let result = run_once(
        &fargate(&[
            "deployment.minimum_healthy_percent=50",
            "deployment.maximum_percent=100",
        ]),
        1,
        0,
    );
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(seconds(&result), 60.0);
    assert_eq!(result.min_healthy, 2);
    assert_eq!(result.tasks_started, 3);
    assert_eq!(result.task_micros_extra, Some(45_000_000));
}

/// Fargate's cost, to the cent: 4 vCPU / 16 GiB tasks at the default prices cost
/// 4 x 0.04048 + 16 x 0.004445 = 0.23304 per task-hour. With a one-hour deregistration
/// delay, the 100/200 case above bills 3 extra tasks from 5 s to 3620 s (healthy at 20,
/// old tasks drain 20-3620): 3 x 3615 = 10845 task-seconds = 3.0125 task-hours, which cost
/// 3.0125 x 0.23304 = 0.70203, i.e. $0.70.
#[test]
fn fargate_cost_to_the_cent() {
    let result = run_once(
        &fargate(&[
            "service.task.cpu=4096",
            "service.task.memory=16384",
            "draining.deregistration_delay=1h",
        ]),
        1,
        0,
    );
    assert_eq!(seconds(&result), 3620.0);
    assert_eq!(result.task_micros_extra, Some(10_845_000_000));
    let cost = result.cost.expect("Fargate always prices its tasks");
    assert!((cost - 0.702033).abs() < 1e-9, "cost {cost}");
    assert_eq!((cost * 100.0).round(), 70.0);
}

/// Bad tasks with the breaker (and rollback) on Fargate: threshold min(max(2, 3), 200) =
/// 3. t = 0 places all three new tasks (MAX 6, no host to wait for); each runs at 15 and
/// fails its checks at 15 and 20 -> all three are unhealthy at 20, and the third failure
/// trips the breaker at 20. They never were healthy: no draining, stopped and reported at
/// 20, and the old tasks never stopped (MIN 3): rolled back at 20. On EC2 with one spare
/// host the same revision trips at 27, one task at a time. Billing: 3 extra from 5 to 20.
#[test]
fn fargate_bad_revision_trips_the_breaker() {
    let result = run_once(
        &fargate(&[
            "failures.bad_task_probability=1",
            "deployment.circuit_breaker=true",
            "deployment.rollback=true",
        ]),
        1,
        0,
    );
    assert_eq!(result.outcome, Outcome::RolledBack);
    assert_eq!(result.detection.unwrap().as_secs_f64(), 20.0);
    assert_eq!(seconds(&result), 20.0);
    assert_eq!(result.tasks_failed, 3);
    assert_eq!(result.tasks_started, 3);
    assert_eq!(result.task_micros_extra, Some(45_000_000));
}

/// Fargate spreads tasks over zones: three zones, D = 6 -> two old tasks per zone (zone
/// with the fewest tasks, ties to the lower); the six new ones the same.
#[test]
fn fargate_spreads_over_zones() {
    let scenario = fargate(&["cluster.zones=3", "service.desired=6"]);
    let (result, old) = hosts_of(&scenario, Revision::Old);
    assert_eq!(old, vec![0, 1, 2, 0, 1, 2]);
    let (_, new) = hosts_of(&scenario, Revision::New);
    assert_eq!(new, vec![0, 1, 2, 0, 1, 2]);
    assert_eq!(result.outcome, Outcome::Completed);
}

/// Binpack across two sizes: host 0 is "large" (8192 MiB), host 1 "small" (4096 MiB),
/// tasks 1000 MiB, D = 5, binpack:memory. Old tasks go where the least memory is left:
/// 0-3 on the small host (4096, 3096, 2096, 1096 free), then 96 MiB is left there, so
/// task 4 goes to the large one (7192 left). The five new tasks fit only on the large host
/// (7192 free): all on host 0, pulls 0-10, healthy at 15; the evaluation at 15 stops the
/// five old tasks: complete at 35. A rule counting tasks instead of free room would have
/// put the first old tasks on the large host (it holds more tasks).
#[test]
fn binpack_across_two_sizes() {
    let scenario = grouped(
        r#"
[[cluster.host_group]]
name = "large"
count = 1
cpu = 4096
memory = 8192
[[cluster.host_group]]
name = "small"
count = 1
cpu = 4096
memory = 4096
"#,
        &[
            "service.desired=5",
            "service.task.memory=1000",
            "service.placement=[\"binpack:memory\"]",
        ],
    );
    let (result, old) = hosts_of(&scenario, Revision::Old);
    assert_eq!(old, vec![1, 1, 1, 1, 0]);
    let (_, new) = hosts_of(&scenario, Revision::New);
    assert_eq!(new, vec![0, 0, 0, 0, 0]);
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(seconds(&result), 35.0);
}

/// Other tenants leave room for one new task per host: three 8192 MiB hosts, other
/// services hold 2192 MiB of each (6000 free), tasks 2000 MiB, D = 6 -> two old tasks per
/// host (spread), room for one more. t = 0 places three new tasks, one per host; healthy
/// at 15; the evaluation at 15 (9 healthy, MIN 6) stops old tasks 0, 1, 2 (one per host),
/// reported at 35, when three more new tasks take their room with cached pulls (1 s):
/// running 36, healthy 41; old tasks 3, 4, 5 stop at 41 and are reported at 61.
/// Without the tenants each host has room for two more: all six start at 0 -> 35 s.
#[test]
fn other_tenants_leave_room_for_one_new_task_per_host() {
    let groups = |used: u32| {
        format!(
            "[[cluster.host_group]]\nname = \"m5.2xlarge\"\ncount = 3\ncpu = 8192\nmemory = 8192\nused_memory = {used}\nused_cpu = 1024\n"
        )
    };
    let set = ["service.desired=6", "service.task.memory=2000"];
    let shared = grouped(&groups(2192), &set);
    let (result, new) = hosts_of(&shared, Revision::New);
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(seconds(&result), 61.0);
    assert_eq!(new, vec![0, 1, 2, 0, 1, 2]);
    let empty = run_once(&grouped(&groups(0), &set), 1, 0);
    assert_eq!(seconds(&empty), 35.0);
}

/// A spare group of a smaller type: three 4096 MiB service hosts (one 3000 MiB task each)
/// and a spare group of one 3072 MiB host, which still takes one task: section 10's case,
/// 105 s. host_seconds_extra counts only the spare group: 1 x 105 = 105 s, priced at the
/// spare group's 0.0208 per hour (the service group's price does not count).
/// If the spare host is 2048 MiB, no task fits on it: MIN = 3 stops nothing and nothing
/// can be placed, so the deploy is stuck at 0 with a placement failure.
#[test]
fn spare_group_of_a_smaller_type() {
    let groups = |spare_memory: u32| {
        format!(
            r#"
[[cluster.host_group]]
name = "service"
count = 3
cpu = 1024
memory = 4096
hourly_cost = 0.0416
[[cluster.host_group]]
name = "spare"
count = 1
cpu = 1024
memory = {spare_memory}
spare = true
hourly_cost = 0.0208
"#
        )
    };
    let result = run_once(&grouped(&groups(3072), &[]), 1, 0);
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(seconds(&result), 105.0);
    assert_eq!(result.host_micros_extra, 105_000_000);
    assert_eq!(
        result.cost,
        Some(ReplicationResult::cost_of(105_000_000, 0.0208))
    );
    let too_small = run_once(&grouped(&groups(2048), &[]), 1, 0);
    assert_eq!(too_small.outcome, Outcome::Stuck);
    assert_eq!(seconds(&too_small), 0.0);
    assert!(too_small.placement_failures >= 1);
}

/// Scaling launches the named group, with k from it: three 4096 MiB service hosts full
/// (one 3000 MiB task each, no spare), scaling launches "big" (8192 MiB, k = 2), boot 30 s,
/// max_hosts 10. t = 0: nothing fits (U = 3); the check right after: M = 3 + ceil(3 / 2) =
/// 5 > N = 3 -> launch ceil(500 / 100) - 3 = 2 hosts (with the service group's k = 1 it
/// would be 3). They join at 30 as hosts 3 and 4, empty; the evaluation at 30 places new
/// tasks on hosts 3, 4, 3 (spread:host, ties to the lower id), all full pulls 30-40,
/// healthy at 45; the three old tasks stop at 45 and are reported at 65. The warm-up
/// (300 s) blocks later scale-outs. host_seconds_extra: each launched host
/// 65 + 900 (scale_in_after) - 0 = 965 s, 1930 in all, at big's 0.1 per hour.
#[test]
fn scaling_launches_the_named_group() {
    let scenario = grouped(
        r#"
[[cluster.host_group]]
name = "service"
count = 3
cpu = 1024
memory = 4096
hourly_cost = 0.05
[[cluster.host_group]]
name = "big"
count = 0
cpu = 2048
memory = 8192
hourly_cost = 0.1
[autoscaling]
mode = "managed"
host_group = "big"
max_hosts = 10
boot = "30s"
"#,
        &[],
    );
    let (result, new) = hosts_of(&scenario, Revision::New);
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(result.scaled_hosts, 2);
    assert_eq!(new, vec![3, 4, 3]);
    assert_eq!(seconds(&result), 65.0);
    assert_eq!(result.host_micros_extra, 1_930_000_000);
    assert_eq!(
        result.cost,
        Some(ReplicationResult::cost_of(1_930_000_000, 0.1))
    );
}

/// The same with distinct_instance: k = 1 (one task per launched host, though two would
/// fit), so M = 3 + ceil(3 / 1) = 6 and the check at 0 launches ceil(600 / 100) - 3 = 3
/// hosts. They join at 30 as hosts 3, 4, 5; one new task each, pulls 30-40, healthy at 45;
/// the old tasks stop at 45 and are reported at 65.
#[test]
fn scaling_with_distinct_instance_counts_one_task_per_host() {
    let scenario = grouped(
        r#"
[[cluster.host_group]]
name = "service"
count = 3
cpu = 1024
memory = 4096
[[cluster.host_group]]
name = "big"
count = 0
cpu = 2048
memory = 8192
[autoscaling]
mode = "managed"
host_group = "big"
max_hosts = 10
boot = "30s"
"#,
        &["service.distinct_instance=true"],
    );
    let (result, new) = hosts_of(&scenario, Revision::New);
    assert_eq!(result.scaled_hosts, 3);
    assert_eq!(new, vec![3, 4, 5]);
    assert_eq!(seconds(&result), 65.0);
}

/// Two groups of different sizes (written for ECS here: the Kubernetes node-group form of
/// this case needs the Kubernetes controller, built on another branch): "small", two
/// 4096 MiB hosts (two 2000 MiB tasks each), and "large", one 8192 MiB host (four), D = 4,
/// spread:zone then spread:host. Old tasks: hosts 0, 1, 2, then 0 (all tie at one task,
/// lowest id). New tasks: host 1 (one task, lower id than host 2), then host 2 three
/// times (the only room left). All pull 0-10, healthy 15, old tasks stop 15-35.
#[test]
fn two_groups_of_different_sizes() {
    let scenario = grouped(
        r#"
[[cluster.host_group]]
name = "small"
count = 2
cpu = 2048
memory = 4096
[[cluster.host_group]]
name = "large"
count = 1
cpu = 4096
memory = 8192
"#,
        &["service.desired=4", "service.task.memory=2000"],
    );
    let (_, old) = hosts_of(&scenario, Revision::Old);
    assert_eq!(old, vec![0, 1, 2, 0]);
    let (result, new) = hosts_of(&scenario, Revision::New);
    assert_eq!(new, vec![1, 2, 2, 2]);
    assert_eq!(seconds(&result), 35.0);
}

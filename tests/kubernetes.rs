//! Kubernetes Deployments (`platform = "kubernetes"`): exact cases computed by hand, each
//! derivation in the comment above it. All start from `BASE`: one pod per node (3000 of
//! 4096 MiB), D = 4 on four nodes plus one spare, maxSurge 1 / maxUnavailable 0,
//! reaction, kubelet latency and reports 0, image pull 10 s (cached 1 s), start 0,
//! warm-up 0, readiness probe at once and every 5 s, success threshold 1, min_ready 0,
//! preStop 0, endpoint propagation 0, shutdown 0, grace period 30 s.
//!
//! The rhythm of `BASE`: a new pod binds to the free node, pulls for 10 s and is probed
//! Ready (and available) at once; the next sync deletes one old pod (the highest id: every
//! node holds one pod, all old pods were Ready at 0), which is gone at once; the sync
//! after it scales the new ReplicaSet up, the pod's first binding finds the old pod's
//! node still reserved (its stop report is queued behind) and fails, and the retry after
//! the pod is gone binds it there. So one new pod is available every 10 s.

mod common;

use common::{scenario_from, seconds};
use deploysim::commands::StepLog;
use deploysim::model::{Observer, Outcome, Params, Phase, Step, StepKind, World, run_once};
use deploysim::scenario::{Override, from_text};

const BASE: &str = r#"
name = "k8s-base"
platform = "kubernetes"
[cluster]
hosts = 4
spare_hosts = 1
host = { cpu = 1024, memory = 4096 }
[service]
desired = 4
task = { cpu = 256, memory = 3000 }
[deployment]
max_surge = 1
max_unavailable = 0
[scheduler]
reaction = "0s"
[agent]
latency = "0s"
report = "0s"
[launch]
image_pull = "10s"
cached_pull = "1s"
start = "0s"
warmup = "0s"
[readiness]
initial_delay = "0s"
period = "5s"
[termination]
grace_period = "30s"
pre_stop = "0s"
endpoint_propagation = "0s"
[draining]
shutdown = "0s"
"#;

fn base(overrides: &[&str]) -> deploysim::scenario::Scenario {
    scenario_from(BASE, overrides)
}

fn settled(result: &deploysim::model::ReplicationResult) -> f64 {
    result
        .settled
        .expect("a completed run has a settled time")
        .as_secs_f64()
}

fn surge_and_unavailable(desired: u32, surge: &str, unavailable: &str) -> (u32, u32) {
    let s = base(&[
        &format!("service.desired={desired}"),
        &format!("cluster.hosts={desired}"),
        &format!("deployment.max_surge={surge}"),
        &format!("deployment.max_unavailable={unavailable}"),
    ]);
    let kube = Params::new(&s).kube.expect("kubernetes params");
    (kube.surge, kube.unavailable)
}

/// maxSurge rounds up, maxUnavailable rounds down (deployment_util.go ResolveFenceposts):
/// 25% of 4 = 1 and 1; 0 and 1 stay; 100% of 4 = 4 and 4; 25% of 3: surge ceil(0.75) = 1,
/// unavailable floor(0.75) = 0; surge "0%" and unavailable 10% of 4 = floor(0.4) = 0 both
/// resolve to 0, so unavailable becomes 1; 30% of 10 = 3 both ways.
#[test]
fn surge_rounds_up_and_unavailable_rounds_down() {
    assert_eq!(surge_and_unavailable(4, "\"25%\"", "\"25%\""), (1, 1));
    assert_eq!(surge_and_unavailable(4, "0", "1"), (0, 1));
    assert_eq!(surge_and_unavailable(4, "\"100%\"", "\"100%\""), (4, 4));
    assert_eq!(surge_and_unavailable(3, "\"25%\"", "\"25%\""), (1, 0));
    assert_eq!(surge_and_unavailable(4, "\"0%\"", "\"10%\""), (0, 1));
    assert_eq!(surge_and_unavailable(10, "\"30%\"", "\"30%\""), (3, 3));
}

/// Both given as 0 is refused (as by the API); so are a fraction and unavailable > 100%.
#[test]
fn impossible_surge_settings_are_errors() {
    let error = |overrides: &[&str]| {
        let overrides: Vec<Override> = overrides
            .iter()
            .map(|o| Override::parse(o).unwrap())
            .collect();
        from_text(BASE, "k.toml", std::path::Path::new("."), &overrides)
            .unwrap_err()
            .to_string()
    };
    let both = error(&[
        "deployment.max_surge=0",
        "deployment.max_unavailable=\"0%\"",
    ]);
    assert!(
        both.contains("deployment.max_unavailable") && both.contains("both be 0"),
        "{both}"
    );
    let fraction = error(&["deployment.max_surge=\"12.5%\""]);
    assert!(
        fraction.contains("deployment.max_surge") && fraction.contains("whole"),
        "{fraction}"
    );
    let over = error(&["deployment.max_unavailable=\"150%\""]);
    assert!(over.contains("at most \"100%\""), "{over}");
}

/// BASE's rhythm (module comment): new pods available at 10, 20, 30, 40; at 40 the last
/// old pod (0) is deleted, so the rollout is complete at 40 and, as it is gone at once,
/// settled at 40. Pods B, C and D each fail one first binding: 3 placement failures.
/// At most D + surge = 5 pods exist; available never drops below D - 0 = 4.
#[test]
fn surge_one_unavailable_zero_replaces_one_pod_at_a_time() {
    let result = run_once(&base(&[]), 1, 0);
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(seconds(&result), 40.0);
    assert_eq!(settled(&result), 40.0);
    assert_eq!(result.first_new_healthy.unwrap().as_secs_f64(), 10.0);
    assert_eq!(result.placement_failures, 3);
    assert_eq!(result.peak_active, 5);
    assert_eq!(result.min_healthy, 4);
    assert_eq!(result.tasks_started, 4);
    assert_eq!(result.tasks_failed, 0);
    assert_eq!(result.early_terminations, 0);
}

/// min_ready = 5 s: each new pod is available 5 s after it is Ready, so the rhythm is
/// 15 s: available at 15, 30, 45, 60 -> complete and settled at 60; first at 15.
#[test]
fn min_ready_delays_availability() {
    let result = run_once(&base(&["deployment.min_ready=5s"]), 1, 0);
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(seconds(&result), 60.0);
    assert_eq!(result.first_new_healthy.unwrap().as_secs_f64(), 15.0);
}

/// Counts every pod that exists (pending, bound, terminating) after every event.
#[derive(Default)]
struct PodsHoldingRoom {
    most: u32,
    most_at: f64,
}

impl Observer for PodsHoldingRoom {
    const RECORDS_STEPS: bool = true;
    fn after_event(&mut self, world: &World, _: &[Step]) {
        let bound = world
            .tasks()
            .iter()
            .filter(|t| t.phase != Phase::Gone)
            .count() as u32;
        let exists = bound + world.pending_pods();
        if exists > self.most {
            self.most = exists;
            self.most_at = world.now().as_secs_f64();
        }
    }
}

/// The surge overshoot on a full cluster: four full nodes, no spare, 25%/25% (surge 1,
/// unavailable 1), shutdown 5 s so a deleted pod holds its node 5 s.
/// t=0: sync 1 scales new to 1 (pod A, its binding fails: 1); sync 2: maxDown =
/// 5 - 3 - (1 - 0) = 1, 4 available > 3 -> delete old pod 3 (highest id); sync 3 sees
/// new + old = 1 + 3 < 5 and scales new to 2 (pod B, binding fails: 2). Now 6 pods exist:
/// A, B pending, three old, and pod 3 terminating on its node: D + surge + 1, because
/// ReplicaSet counts leave terminating pods out.
/// t=5: pod 3 gone -> retry: A binds node 3, B fails (3). A available at 15 -> delete pod 2
/// (gone 20), new = 3 (C fails: 4); at 20 B binds node 2, C fails (5); B available 30 ->
/// delete pod 1 (gone 35), new = 4 (D fails: 6); at 35 C binds node 1, D fails (7); C
/// available 45 -> maxDown = 5 - 3 - (4 - 3) = 1 -> delete pod 0: old = 0 (no more scale-up:
/// new = D); at 50 D binds node 0 and is available at 60: complete at 60. Available never
/// drops below D - 1 = 3.
#[test]
fn full_cluster_overshoots_by_the_terminating_pod() {
    let scenario = base(&[
        "cluster.spare_hosts=0",
        "deployment.max_surge=\"25%\"",
        "deployment.max_unavailable=\"25%\"",
        "draining.shutdown=5s",
    ]);
    let mut watch = PodsHoldingRoom::default();
    let result = World::new(Params::new(&scenario)).run(1, 0, &mut watch);
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(seconds(&result), 60.0);
    assert_eq!(settled(&result), 60.0);
    assert_eq!(result.placement_failures, 7);
    assert_eq!(result.min_healthy, 3);
    assert_eq!(
        result.peak_active, 5,
        "non-terminating pods stay within D + surge"
    );
    assert_eq!((watch.most, watch.most_at), (6, 0.0));
}

/// Full cluster with surge 1 and unavailable 0: pod A cannot bind, and maxDown =
/// 5 - 4 - (1 - 0) = 0, so no old pod may go. The last progress is the scale-up at 0; the
/// rollout fails at the 600 s progress deadline (no rollback, never `stuck`).
#[test]
fn progress_deadline_fails_a_rollout_that_cannot_move() {
    let result = run_once(&base(&["cluster.spare_hosts=0"]), 1, 0);
    assert_eq!(result.outcome, Outcome::Failed);
    assert_eq!(seconds(&result), 600.0);
    assert_eq!(result.placement_failures, 1);
    assert_eq!(result.settled, None);
    let result = run_once(
        &base(&["cluster.spare_hosts=0", "deployment.progress_deadline=90s"]),
        1,
        0,
    );
    assert_eq!((result.outcome, seconds(&result)), (Outcome::Failed, 90.0));
}

/// Endpoint propagation 3 s, no preStop: each of the four old pods (Ready) gets SIGTERM
/// the instant the kubelet notices its deletion (latency 0), 3 s before the endpoints
/// stop sending it requests: 4 early terminations. Timing is BASE's: 40 s.
#[test]
fn without_pre_stop_every_deleted_pod_terminates_early() {
    let result = run_once(&base(&["termination.endpoint_propagation=3s"]), 1, 0);
    assert_eq!(result.early_terminations, 4);
    assert_eq!(seconds(&result), 40.0);
}

/// preStop 5 s against propagation 3 s: SIGTERM at deletion + 5, after the endpoints
/// dropped the pod: 0 early terminations. A preStop of exactly 3 s sends SIGTERM at the
/// same instant, not strictly before: also 0. The hook costs time: each old pod is gone 5
/// s after its deletion, so the rhythm is 15 s: new pods available at 10, 25, 40, 55; the
/// last old pod is deleted at 55 (complete) and gone at 60 (settled).
#[test]
fn a_pre_stop_longer_than_propagation_removes_early_terminations() {
    let result = run_once(
        &base(&[
            "termination.endpoint_propagation=3s",
            "termination.pre_stop=5s",
        ]),
        1,
        0,
    );
    assert_eq!(result.early_terminations, 0);
    assert_eq!(seconds(&result), 55.0);
    assert_eq!(settled(&result), 60.0);
    let result = run_once(
        &base(&[
            "termination.endpoint_propagation=3s",
            "termination.pre_stop=3s",
        ]),
        1,
        0,
    );
    assert_eq!(result.early_terminations, 0);
}

/// preStop 60 s with a 10 s grace period: the kubelet kills each old pod 10 s after it
/// noticed the deletion. Rhythm 20 s: available at 10, 30, 50, 70; complete at 70 (the
/// last deletion), settled at 80.
#[test]
fn the_grace_period_kills_a_long_pre_stop() {
    let result = run_once(
        &base(&["termination.pre_stop=60s", "termination.grace_period=10s"]),
        1,
        0,
    );
    assert_eq!(seconds(&result), 70.0);
    assert_eq!(settled(&result), 80.0);
}

/// The load balancer's readiness gate, warm-up 7 s, checks every 5 s from registration,
/// unhealthy after 2 failures, then 3 passes to turn healthy.
/// Without the gate: running at 10, probes at 10 and 15 fail (warm at 17), 20 passes ->
/// Ready: a 20 s rhythm -> 80 s.
/// With the gate: registered at 10 (report 0), checks at 10 and 15 fail (2 in a row: the
/// target is marked unhealthy), so it needs 3 passes: 20, 25, 30 -> Ready at 30: a 30 s
/// rhythm -> 120 s.
#[test]
fn the_load_balancer_gate_waits_for_a_healthy_target() {
    let common = ["launch.warmup=7s"];
    let without = run_once(&base(&common), 1, 0);
    assert_eq!(seconds(&without), 80.0);
    let gated = run_once(
        &base(&[
            "launch.warmup=7s",
            "readiness.load_balancer_gate=true",
            "health_check.interval=5s",
            "health_check.first_check=0s",
            "health_check.unhealthy_threshold=2",
            "health_check.healthy_threshold=3",
        ]),
        1,
        0,
    );
    assert_eq!(gated.outcome, Outcome::Completed);
    assert_eq!(seconds(&gated), 120.0);
}

const SCALING: [&str; 8] = [
    "cluster.hosts=2",
    "cluster.spare_hosts=0",
    "service.desired=2",
    "cluster.host_hourly_cost=0.36",
    "autoscaling.max_hosts=3",
    "autoscaling.boot=30s",
    "autoscaling.scale_in_after=15m",
    "deployment.progress_deadline=10m",
];

/// Cluster Autoscaler, two full nodes, D = 2, surge 1: pod A fails to bind at 0 (1). The
/// scan at 0 (after the sync queued for 0) finds P = 1 unschedulable pod, no free room,
/// k = 1, B = 0 booting: launch ceil(1/1) - 0 = 1 node, which joins at 30; A binds there,
/// is available at 40; old pod 1 is deleted and gone at 40; B's first binding fails (2),
/// its retry binds it on node 1 at 40; available at 50 -> old pod 0 deleted: complete
/// and settled at 50. One node launched at 0: host_seconds_extra = 50 + 900 - 0 = 950,
/// cost 950 / 3600 * 0.36 = 0.095.
#[test]
fn cluster_autoscaler_launches_for_pending_pods() {
    let mut overrides = SCALING.to_vec();
    overrides.extend([
        "autoscaling.mode=cluster_autoscaler",
        "autoscaling.evaluation_interval=10s",
    ]);
    let result = run_once(&base(&overrides), 1, 0);
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(seconds(&result), 50.0);
    assert_eq!(result.scaled_hosts, 1);
    assert_eq!(result.placement_failures, 2);
    assert_eq!(result.host_micros_extra, 950_000_000);
    assert!((result.cost.unwrap() - 0.095).abs() < 1e-12);
}

/// Karpenter, batch_idle 1 s: A's failed binding at 0 opens a batch closing at 1; at 1
/// one node is launched (P = 1), joins at 31; A available at 41; old pod 1 goes, B's
/// first binding fails at 41 (a new batch, closing at 42, finds nothing pending: no
/// launch), its retry binds it on node 1; available at 51: complete at 51.
/// host_seconds_extra = 51 + 900 - 1 = 950.
#[test]
fn karpenter_launches_when_its_batch_closes() {
    let mut overrides = SCALING.to_vec();
    overrides.extend([
        "autoscaling.mode=karpenter",
        "autoscaling.batch_idle=1s",
        "autoscaling.batch_max=10s",
    ]);
    let result = run_once(&base(&overrides), 1, 0);
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(seconds(&result), 51.0);
    assert_eq!(result.scaled_hosts, 1);
    assert_eq!(result.host_micros_extra, 950_000_000);
}

/// Karpenter's batch: surge 2 on two full nodes (max_hosts 4) creates two pods at 0;
/// both fail to bind at 0; the batch closes at 1 and launches ceil(2 / 1) = 2 nodes at
/// once, joining at 31.
#[test]
fn karpenter_batches_pending_pods_into_one_launch() {
    let mut overrides = SCALING.to_vec();
    overrides.extend([
        "autoscaling.mode=karpenter",
        "autoscaling.max_hosts=4",
        "deployment.max_surge=2",
    ]);
    let mut log = StepLog::default();
    let scenario = base(&overrides);
    let result = World::new(Params::new(&scenario)).run(1, 0, &mut log);
    assert_eq!(result.scaled_hosts, 2);
    let launches: Vec<f64> = log
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::HostLaunched)
        .map(|s| s.time.as_secs_f64())
        .collect();
    assert_eq!(launches, vec![1.0, 1.0]);
}

/// The old pod deleted first is on the node holding the most pods of the Deployment:
/// two nodes of two pods each hold old pods 0, 2 (node 0) and 1, 3 (node 1) by
/// spread:host; a spare node takes new pod A. When A is available the sync deletes one
/// old pod; nodes 0 and 1 tie at 2 pods, all were Ready at 0, so the highest id, pod 3,
/// goes. Then node 1 holds 1 pod, node 0 two: the next deletion is pod 2 (node 0).
#[test]
fn replica_set_deletes_from_the_most_crowded_node_first() {
    let scenario = base(&[
        "cluster.hosts=2",
        "service.task.memory=2000",
        "cluster.spare_hosts=1",
    ]);
    let mut log = StepLog::default();
    World::new(Params::new(&scenario)).run(1, 0, &mut log);
    let deleted: Vec<u32> = log
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::StopDecided)
        .filter_map(|s| s.task)
        .collect();
    assert_eq!(&deleted[..2], &[3, 2]);
}

/// Keys of the other platform are errors that name the key and the platform.
#[test]
fn keys_of_the_other_platform_are_errors() {
    let error = |text: &str, overrides: &[&str]| {
        let overrides: Vec<Override> = overrides
            .iter()
            .map(|o| Override::parse(o).unwrap())
            .collect();
        from_text(text, "k.toml", std::path::Path::new("."), &overrides)
            .unwrap_err()
            .to_string()
    };
    for (key, value) in [
        ("deployment.maximum_percent", "200"),
        ("deployment.circuit_breaker", "true"),
        ("draining.deregistration_delay", "\"30s\""),
        ("draining.stop_timeout", "\"30s\""),
        ("agent.poll_interval", "\"20s\""),
        ("scheduler.interval", "\"15s\""),
        ("health_check.grace_period", "\"10s\""),
        ("health_check.interval", "\"10s\""),
    ] {
        let message = error(BASE, &[&format!("{key}={value}")]);
        assert!(
            message.contains(key) && message.contains("kubernetes"),
            "{key}: {message}"
        );
    }
    let message = error(BASE, &["agent.mode=polling"]);
    assert!(
        message.contains("agent.mode") && message.contains("kubelet"),
        "{message}"
    );
    let message = error(
        BASE,
        &["autoscaling.mode=managed", "autoscaling.max_hosts=9"],
    );
    assert!(
        message.contains("autoscaling.mode") && message.contains("managed"),
        "{message}"
    );

    let ecs = BASE
        .replace("platform = \"kubernetes\"", "")
        .replace("[deployment]\nmax_surge = 1\nmax_unavailable = 0", "")
        .replace("[readiness]\ninitial_delay = \"0s\"\nperiod = \"5s\"", "")
        .replace(
            "[termination]\ngrace_period = \"30s\"\npre_stop = \"0s\"\nendpoint_propagation = \"0s\"",
            "",
        );
    from_text(&ecs, "e.toml", std::path::Path::new("."), &[]).expect("the ECS form is valid");
    for key in [
        "deployment.max_surge=1",
        "deployment.min_ready=5s",
        "readiness.period=5s",
        "termination.pre_stop=5s",
    ] {
        let message = error(&ecs, &[key]);
        let name = key.split('=').next().unwrap();
        assert!(
            message.contains(name) && message.contains("platform = \"kubernetes\""),
            "{key}: {message}"
        );
    }
}

/// `validate` prints every key with its default; the text loads again on both platforms
/// (the other platform's keys are left out).
#[test]
fn resolved_scenarios_load_again() {
    for text in [BASE.to_string(), BASE.replace("platform = \"kubernetes\"", "")
        .replace("[deployment]\nmax_surge = 1\nmax_unavailable = 0", "")
        .replace("[readiness]\ninitial_delay = \"0s\"\nperiod = \"5s\"", "")
        .replace(
            "[termination]\ngrace_period = \"30s\"\npre_stop = \"0s\"\nendpoint_propagation = \"0s\"",
            "",
        )] {
        let scenario = from_text(&text, "r.toml", std::path::Path::new("."), &[]).unwrap();
        let resolved = deploysim::report::resolved_scenario_toml(&scenario);
        let again = from_text(&resolved, "resolved.toml", std::path::Path::new("."), &[])
            .unwrap_or_else(|e| panic!("{e}\n{resolved}"));
        assert_eq!(
            deploysim::report::resolved_scenario_toml(&again),
            resolved
        );
    }
}

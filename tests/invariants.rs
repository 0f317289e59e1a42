//! Invariants over many random scenarios (property tests): reservations never exceed a
//! host; active never exceeds MAX; the scheduler's own stops never take healthy below MIN;
//! the scheduler's counts match the tasks; the cluster never exceeds `max_hosts`; a failed
//! host holds nothing; every run ends within the horizon; free room is never negative and
//! other tenants' share of a host is never touched (free room = size - tenants - this
//! service's reservations, exactly). The scenarios switch on the circuit breaker,
//! rollback, bad tasks, start failures, host failures, managed scaling, the four
//! deployment strategies, bad revisions and alarms at random, and describe the cluster in
//! the one-size form, as host groups (with other tenants, a spare group of another size,
//! scaling of a named group) or as Fargate. Under blue/green, linear and canary: at most D
//! tasks of each revision are active, no old task is stopped by the scheduler before
//! clean-up, and the green share only grows until a rollback puts it back to 0.

mod common;

use deploysim::model::{
    Controller, Detail, Observer, Params, Phase, Revision, Stage, Step, StepKind, StopCause, World,
};
use proptest::prelude::*;

#[derive(Default)]
struct InvariantChecker {
    events: u64,
    last_time: u64,
    /// Traffic-shift strategies: clean-up has begun.
    cleaning_up: bool,
    /// The last green share, in hundredths of a percent.
    green: u32,
}

impl Observer for InvariantChecker {
    const RECORDS_STEPS: bool = true;

    fn after_event(&mut self, world: &World, steps: &[Step]) {
        let p: &Params = world.params();
        self.events += 1;
        assert!(
            world.now().micros() >= self.last_time,
            "time went backwards"
        );
        self.last_time = world.now().micros();
        assert!(world.now() <= p.horizon, "an event ran after the horizon");

        let (task_cpu, task_memory) = world.task_reservation();
        for (host, load) in world.host_loads().iter().enumerate() {
            let size = world.host_size(host as u32);
            let (cpu_used, memory_used) = (
                load.reserved as u64 * task_cpu as u64,
                load.reserved as u64 * task_memory as u64,
            );
            assert!(
                cpu_used + size.tenant_cpu as u64 <= size.cpu as u64
                    && memory_used + size.tenant_memory as u64 <= size.memory as u64,
                "host {host} over-reserved (free room below zero): {load:?} {size:?}"
            );
            // Other tenants' share is never given to this service, nor freed.
            assert_eq!(
                (
                    load.free_cpu as u64 + cpu_used + size.tenant_cpu as u64,
                    load.free_memory as u64 + memory_used + size.tenant_memory as u64
                ),
                (size.cpu as u64, size.memory as u64),
                "host {host}: free room is not size - tenants - reservations: {load:?} {size:?}"
            );
            assert!(
                load.active <= load.reserved,
                "host {host}: more active than reserved"
            );
        }
        let counts = world.counts();
        let rolling = p.controller == Controller::Rolling;
        if rolling {
            assert!(
                counts.active <= p.max_active,
                "active {} > MAX {}",
                counts.active,
                p.max_active
            );
        } else {
            assert!(
                counts.new_active <= p.desired,
                "more than D new tasks active"
            );
            assert!(
                counts.active - counts.new_active <= p.desired,
                "more than D old tasks active"
            );
        }
        if let Some(scaling) = &p.scaling {
            assert!(
                counts.hosts_up + counts.hosts_booting <= scaling.max_hosts,
                "{} up + {} booting > max_hosts {}",
                counts.hosts_up,
                counts.hosts_booting,
                scaling.max_hosts
            );
        }
        let up = world.hosts().iter().filter(|h| !h.failed).count() as u32;
        assert_eq!(up, counts.hosts_up);
        for (host, state) in world.hosts().iter().enumerate() {
            if state.failed {
                assert_eq!(
                    world.host_loads()[host].reserved,
                    0,
                    "failed host {host} holds tasks"
                );
            }
        }

        // The counts agree with the tasks themselves.
        let tasks = world.tasks();
        let active = tasks.iter().filter(|t| t.is_active()).count() as u32;
        let healthy = tasks.iter().filter(|t| t.phase == Phase::Healthy).count() as u32;
        let new_active = tasks
            .iter()
            .filter(|t| t.is_active() && t.revision == Revision::New)
            .count() as u32;
        assert_eq!(
            (counts.active, counts.healthy, counts.new_active),
            (active, healthy, new_active)
        );
        let mut reserved = vec![0u32; world.host_loads().len()];
        for task in tasks.iter().filter(|t| t.phase != Phase::Gone) {
            reserved[task.host as usize] += 1;
        }
        let recorded: Vec<u32> = world.host_loads().iter().map(|l| l.reserved).collect();
        assert_eq!(reserved, recorded, "reservations disagree with tasks");

        for step in steps {
            if !rolling {
                match (step.kind, step.detail) {
                    (StepKind::Stage, Detail::Stage(Stage::CleanUp)) => self.cleaning_up = true,
                    (StepKind::TrafficShifted, Detail::Green { basis_points }) => {
                        assert!(basis_points <= 10_000);
                        assert!(
                            basis_points > self.green || basis_points == 0,
                            "green share went from {} to {basis_points}",
                            self.green
                        );
                        self.green = basis_points;
                    }
                    (
                        StepKind::StopDecided,
                        Detail::Stop {
                            cause: StopCause::Scheduler,
                            ..
                        },
                    ) if step.revision == Some(Revision::Old) => {
                        assert!(self.cleaning_up, "an old task stopped before clean-up");
                    }
                    _ => {}
                }
                continue;
            }
            if let (
                StepKind::StopDecided,
                Detail::Stop {
                    cause: StopCause::Scheduler,
                    was_healthy: true,
                    ..
                },
            ) = (step.kind, step.detail)
            {
                assert!(
                    step.counts.healthy >= p.min_healthy,
                    "a scheduler stop at {} left {} healthy < MIN {}",
                    step.time,
                    step.counts.healthy,
                    p.min_healthy
                );
            }
            if step.kind == StepKind::Placed {
                assert!(step.counts.active <= p.max_active);
            }
        }
    }
}

fn duration() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..40).prop_map(|s| format!("{s}s")),
        (0u32..20, 0u32..20).prop_map(|(a, b)| format!("uniform({}s, {}s)", a.min(b), a.max(b))),
        (1u32..30).prop_map(|m| format!("exponential(mean={m}s)")),
        (1u32..20, 0u32..40)
            .prop_map(|(m, extra)| format!("lognormal(median={m}s, p95={}s)", m + extra)),
    ]
}

#[derive(Debug, Clone)]
struct RandomScenario {
    text: String,
}

fn scenario() -> impl Strategy<Value = RandomScenario> {
    let cluster = (1u32..7, 0u32..4, 1u32..4, 1u32..4, any::<bool>());
    let deployment = (
        0u32..=100,
        100u32..=200,
        0usize..6,
        any::<bool>(),
        any::<bool>(),
    );
    let timing = (
        duration(),
        duration(),
        duration(),
        duration(),
        duration(),
        duration(),
    );
    let checks = (1u32..30, 1u32..5, 1u32..4, 0u32..60, 0u32..3, duration());
    let failures = (
        any::<bool>(),
        any::<bool>(),
        0u32..3,
        0u32..3,
        0u32..4,
        1u32..4,
    );
    (cluster, deployment, timing, checks, failures, (0u32..7, 1u64..1000, 0u32..3, any::<bool>())).prop_map(
        |(
            (hosts, spare, zones, per_host, distinct),
            (min, max, placement, periodic, polling),
            (pull, start, warmup, latency, drain, shutdown),
            (interval, healthy_threshold, unhealthy_threshold, grace, bad_tenths, first_check),
            (breaker, rollback, start_fail_tenths, failure_rate, managed_extra, breaker_min),
            (desired_seed, seed, form, alarms),
        )| {
            let capacity = if distinct { hosts } else { hosts * per_host };
            let desired = 1 + (desired_seed % capacity.max(1)).min(capacity - 1);
            let placements = [
                r#"["spread:zone", "spread:host"]"#,
                r#"["binpack:memory"]"#,
                r#"["random"]"#,
                r#"["spread:host", "binpack:cpu"]"#,
                r#"["binpack:memory", "spread:zone"]"#,
                r#"[]"#,
            ];
            // 0: one size; 1: host groups with other tenants; 2: Fargate.
            let fargate = form == 2;
            let free_memory = per_host * 1000 + 500;
            let cluster = match form {
                0 => format!(
                    "hosts = {hosts}\nspare_hosts = {spare}\nzones = {zones}\nhost = {{ cpu = 4096, memory = {free_memory} }}\n"
                ),
                1 => {
                    // Other tenants hold a random share; the free room is as in form 0.
                    let tenant_memory = (seed % 5) as u32 * 700;
                    let tenant_cpu = (seed % 2) as u32 * (4096 - 128 * per_host);
                    format!(
                        "zones = {zones}\n[[cluster.host_group]]\nname = \"a\"\ncount = {hosts}\ncpu = 4096\nmemory = {}\nused_cpu = {tenant_cpu}\nused_memory = {tenant_memory}\nhourly_cost = 0.1\n[[cluster.host_group]]\nname = \"b\"\ncount = {spare}\ncpu = 2048\nmemory = {}\nspare = true\nhourly_cost = 0.05\n",
                        free_memory + tenant_memory,
                        (per_host + 1) * 1000,
                    )
                }
                _ => format!("launch_type = \"fargate\"\nzones = {zones}\n"),
            };
            let service = if fargate {
                String::new()
            } else {
                format!("placement = {}\ndistinct_instance = {distinct}\n", placements[placement])
            };
            let polling = polling && !fargate;
            let text = format!(
                r#"
name = "random"
[cluster]
{cluster}
[service]
desired = {desired}
task = {{ cpu = {task_cpu}, memory = {task_memory} }}
{service}
[deployment]
{strategy_keys}
circuit_breaker = {breaker}
rollback = {rollback}
circuit_breaker_min = {breaker_min}
[scheduler]
mode = "{mode}"
interval = "7s"
reaction = "{reaction}"
[agent]
mode = "{agent}"
latency = "{latency}"
{poll_interval}
[launch]
image_pull = "{pull}"
start = "{start}"
warmup = "{warmup}"
[health_check]
interval = "{interval}s"
healthy_threshold = {healthy_threshold}
unhealthy_threshold = {unhealthy_threshold}
grace_period = "{grace}s"
first_check = "{first_check}"
[draining]
deregistration_delay = "{drain}"
shutdown = "{shutdown}"
[failures]
bad_revision_probability = {bad_revision}
bad_task_probability = {bad}
start_failure_probability = {start_fail}
{failure_rate}
{autoscaling}
[simulation]
horizon = "1h"
seed = {seed}
"#,
                task_cpu = if fargate { 256 } else { 128 },
                task_memory = if fargate { 512 } else { 1000 },
                poll_interval = if fargate { "" } else { "poll_interval = \"13s\"" },
                mode = if periodic { "periodic" } else { "reactive" },
                reaction = if seed % 2 == 0 { "0s" } else { "1s" },
                agent = if polling { "polling" } else { "event" },
                bad = bad_tenths as f64 / 10.0,
                start_fail = start_fail_tenths as f64 / 10.0,
                rollback = (breaker || alarms) && rollback,
                bad_revision = if seed % 5 == 0 { 0.0 } else { 0.5 },
                strategy_keys = {
                    let alarm_keys = if alarms {
                        "alarms = true\nalarm_delay = \"uniform(0s, 40s)\"\n"
                    } else {
                        ""
                    };
                    let keys = match seed % 4 {
                        0 => format!(
                            "minimum_healthy_percent = {min}\nmaximum_percent = {max}\n"
                        ),
                        1 => "strategy = \"blue_green\"\nbake_time = \"uniform(0s, 30s)\"\nhooks = { before_production = \"5s\", after_production = \"uniform(0s, 9s)\" }\n".to_string(),
                        2 => "strategy = \"canary\"\ncanary_percent = 12.5\ncanary_bake_time = \"20s\"\nbake_time = \"10s\"\n".to_string(),
                        _ => "strategy = \"linear\"\nstep_percent = 35\nstep_bake_time = \"exponential(mean=8s)\"\nbake_time = \"0s\"\n".to_string(),
                    };
                    format!("{keys}{alarm_keys}")
                },
                failure_rate = if fargate {
                    String::new()
                } else {
                    format!("host_failure_rate = {}", failure_rate as f64 * 0.5)
                },
                autoscaling = if managed_extra == 0 || fargate {
                    String::new()
                } else {
                    format!(
                        "[autoscaling]\nmode = \"managed\"\nmax_hosts = {}\nboot = \"uniform(10s, 90s)\"\nwarmup = \"{}s\"\nmax_step = {}\n{}",
                        hosts + spare + managed_extra,
                        (seed % 4) * 60,
                        1 + seed % 3,
                        // Scaling launches the spare group's (smaller, empty) hosts.
                        if form == 1 && seed % 2 == 0 { "host_group = \"b\"\n" } else { "" }
                    )
                },
            );
            RandomScenario { text }
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold(random in scenario(), replication in 0u64..4) {
        let scenario = common::scenario_from(&random.text, &[]);
        let mut checker = InvariantChecker::default();
        let result = World::new(Params::new(&scenario)).run(scenario.simulation.seed, replication, &mut checker);
        prop_assert!(result.deploy.micros() <= scenario.simulation.horizon.0.micros());
        // One call per event, plus one for the timeout step of a timed-out run.
        let timed_out = result.outcome == deploysim::model::Outcome::Timeout;
        prop_assert_eq!(checker.events, result.events + timed_out as u64);
        // The same replication again gives the same result (no hidden state between runs).
        let again = World::new(Params::new(&scenario)).run(scenario.simulation.seed, replication, &mut deploysim::model::NoObserver);
        prop_assert_eq!(result, again);
    }
}

/// Kubernetes Deployments: after every event, no node holds more requests than its
/// allocatable; `new + old` ReplicaSet replicas stay within `D + surge`; the available
/// pods never drop below `D - unavailable` (they start at D, and only a scale-down that
/// keeps `D - unavailable` available deletes an available pod, so this holds even with
/// bad pods); each ReplicaSet's replicas are its non-terminating pods; no pod is counted
/// failed; the cluster stays within `max_hosts`.
struct KubeChecker {
    events: u64,
}

impl Observer for KubeChecker {
    const RECORDS_STEPS: bool = true;

    fn after_event(&mut self, world: &World, _steps: &[Step]) {
        self.events += 1;
        let p: &Params = world.params();
        let kube = p.kube.as_ref().expect("kubernetes");
        for (host, load) in world.host_loads().iter().enumerate() {
            // Requests (terminating pods included) plus other tenants within the node's
            // allocatable.
            let size = world.host_size(host as u32);
            assert!(
                load.reserved as u64 * p.task_cpu as u64 + size.tenant_cpu as u64
                    <= size.cpu as u64
                    && load.reserved as u64 * p.task_memory as u64 + size.tenant_memory as u64
                        <= size.memory as u64,
                "node {host} over-committed: {load:?} {size:?}"
            );
        }
        let (new, old) = world.replica_counts().expect("kubernetes");
        assert!(
            new + old <= p.desired + kube.surge,
            "new {new} + old {old} > D {} + surge {}",
            p.desired,
            kube.surge
        );
        let counts = world.counts();
        assert!(
            counts.healthy + kube.unavailable >= p.desired,
            "{} available < D {} - unavailable {} at {}",
            counts.healthy,
            p.desired,
            kube.unavailable,
            world.now()
        );
        let tasks = world.tasks();
        let active = |revision| {
            tasks
                .iter()
                .filter(|t| t.is_active() && t.revision == revision)
                .count() as u32
        };
        assert_eq!(old, active(Revision::Old), "old replicas vs old pods");
        assert_eq!(
            new,
            active(Revision::New) + world.pending_pods(),
            "new replicas vs new pods"
        );
        let available = tasks.iter().filter(|t| t.phase == Phase::Healthy).count() as u32;
        assert_eq!(counts.healthy, available);
        let mut reserved = vec![0u32; world.host_loads().len()];
        for task in tasks.iter().filter(|t| t.phase != Phase::Gone) {
            reserved[task.host as usize] += 1;
        }
        let recorded: Vec<u32> = world.host_loads().iter().map(|l| l.reserved).collect();
        assert_eq!(reserved, recorded, "requests disagree with pods");
        if let Some(scaling) = &p.scaling {
            assert!(counts.hosts_up + counts.hosts_booting <= scaling.max_hosts);
        }
    }
}

fn kube_scenario() -> impl Strategy<Value = RandomScenario> {
    let cluster = (1u32..7, 0u32..3, 1u32..4, 1u32..4, any::<bool>(), 0usize..6);
    let rollout = (
        0u32..=100,
        0u32..=100,
        any::<bool>(),
        0u32..20,
        1u32..4,
        0u32..3,
    );
    let timing = (
        duration(),
        duration(),
        duration(),
        duration(),
        duration(),
        duration(),
    );
    let stop = (
        duration(),
        duration(),
        1u32..40,
        0u32..3,
        any::<bool>(),
        0u32..3,
    );
    (cluster, rollout, timing, stop, (0u32..7, 1u64..1000)).prop_map(
        |(
            (hosts, spare, zones, per_host, distinct, placement),
            (surge, unavailable, as_percent, min_ready, success, scaler),
            (pull, start, warmup, latency, shutdown, pre_stop),
            (propagation, report, grace, bad_tenths, gate, extra),
            (desired_seed, seed),
        )| {
            let capacity = if distinct { hosts } else { hosts * per_host };
            let desired = 1 + (desired_seed % capacity.max(1)).min(capacity - 1);
            let (surge, unavailable) = if as_percent {
                (format!("\"{surge}%\""), format!("\"{unavailable}%\""))
            } else {
                ((surge % 4).to_string(), (unavailable % 4).to_string())
            };
            // Both 0 is refused by validation; make unavailable 1 then.
            let unavailable = if ["0", "\"0%\""].contains(&surge.as_str())
                && ["0", "\"0%\""].contains(&unavailable.as_str())
            {
                "1".to_string()
            } else {
                unavailable
            };
            let placements = [
                r#"["spread:zone", "spread:host"]"#,
                r#"["binpack:memory"]"#,
                r#"["random"]"#,
                r#"["spread:host", "binpack:cpu"]"#,
                r#"["binpack:memory", "spread:zone"]"#,
                r#"[]"#,
            ];
            let gate_keys = if gate {
                "[health_check]\ninterval = \"5s\"\nunhealthy_threshold = 2\nhealthy_threshold = 2\n"
            } else {
                ""
            };
            let autoscaling = match scaler {
                0 => String::new(),
                1 => format!(
                    "[autoscaling]\nmode = \"cluster_autoscaler\"\nmax_hosts = {}\nboot = \"uniform(10s, 90s)\"\nmax_step = {}\n",
                    hosts + spare + extra,
                    1 + seed % 3
                ),
                _ => format!(
                    "[autoscaling]\nmode = \"karpenter\"\nmax_hosts = {}\nboot = \"uniform(10s, 90s)\"\nbatch_idle = \"{}s\"\n",
                    hosts + spare + extra,
                    seed % 5
                ),
            };
            let text = format!(
                r#"
name = "random-k8s"
platform = "kubernetes"
[cluster]
hosts = {hosts}
spare_hosts = {spare}
zones = {zones}
host = {{ cpu = 4096, memory = {host_memory} }}
[service]
desired = {desired}
task = {{ cpu = 128, memory = 1000 }}
placement = {placement}
distinct_instance = {distinct}
[deployment]
max_surge = {surge}
max_unavailable = {unavailable}
min_ready = "{min_ready}s"
progress_deadline = "300s"
[scheduler]
reaction = "{reaction}"
[agent]
latency = "{latency}"
report = "{report}"
[launch]
image_pull = "{pull}"
start = "{start}"
warmup = "{warmup}"
[readiness]
initial_delay = "{initial}s"
period = "{period}s"
success_threshold = {success}
load_balancer_gate = {gate}
{gate_keys}
[termination]
grace_period = "{grace}s"
pre_stop = "{pre_stop}"
endpoint_propagation = "{propagation}"
[draining]
shutdown = "{shutdown}"
[failures]
bad_task_probability = {bad}
{autoscaling}
[simulation]
horizon = "1h"
seed = {seed}
"#,
                host_memory = per_host * 1000 + 500,
                placement = placements[placement],
                reaction = if seed % 2 == 0 { "0s" } else { "uniform(0s, 2s)" },
                initial = seed % 7,
                period = 1 + seed % 10,
                bad = bad_tenths as f64 / 10.0,
            );
            RandomScenario { text }
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn kubernetes_invariants_hold(random in kube_scenario(), replication in 0u64..4) {
        let scenario = common::scenario_from(&random.text, &[]);
        let mut checker = KubeChecker { events: 0 };
        let result = World::new(Params::new(&scenario)).run(scenario.simulation.seed, replication, &mut checker);
        prop_assert!(result.deploy.micros() <= scenario.simulation.horizon.0.micros());
        prop_assert_eq!(result.tasks_failed, 0);
        // Never stuck while the progress deadline is pending.
        prop_assert!(result.outcome != deploysim::model::Outcome::Stuck, "{:?}", result);
        if let Some(settled) = result.settled {
            prop_assert!(settled >= result.deploy);
        }
        let timed_out = result.outcome == deploysim::model::Outcome::Timeout;
        prop_assert_eq!(checker.events, result.events + timed_out as u64);
        let again = World::new(Params::new(&scenario)).run(scenario.simulation.seed, replication, &mut deploysim::model::NoObserver);
        prop_assert_eq!(result, again);
    }
}

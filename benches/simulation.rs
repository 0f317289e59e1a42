//! Where the time goes: the engine alone, one replication, and many replications.
//!
//!     cargo bench --bench simulation

use std::hint::black_box;
use std::path::Path;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use deploysim::engine::{EventQueue, SimDuration};
use deploysim::experiment::{RunSettings, run_replications};
use deploysim::model::{NoObserver, Params, World};
use deploysim::scenario::{Scenario, from_text, load};

fn scenario(name: &str) -> Scenario {
    load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(name),
        &[],
    )
    .expect("example scenarios load")
}

/// The classic hold model: 1,000 pending events; each step pops the earliest and
/// schedules one more a pseudo-random delay later.
fn engine_hold(c: &mut Criterion) {
    const PENDING: u64 = 1_000;
    const STEPS: u64 = 100_000;
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(STEPS));
    group.bench_function("hold_1000_pending", |b| {
        b.iter_batched_ref(
            || {
                let mut queue = EventQueue::with_capacity(PENDING as usize + 1);
                let mut state = 0x2545_F491_4F6C_DD1Du64;
                for i in 0..PENDING {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    queue.schedule_in(SimDuration(state % 1_000_000), i);
                }
                (queue, state)
            },
            |(queue, state)| {
                for _ in 0..STEPS {
                    let (_, event) = queue.pop().expect("never empty");
                    *state ^= *state << 13;
                    *state ^= *state >> 7;
                    *state ^= *state << 17;
                    queue.schedule_in(SimDuration(*state % 1_000_000), black_box(event));
                }
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

/// One replication of the 100-task, 55-host, three-zone scenario, on one core.
fn one_replication(c: &mut Criterion) {
    let scenario = scenario("three-zone-service.toml");
    let mut world = World::new(Params::new(&scenario));
    let events = world.run(1, 0, &mut NoObserver).events;
    let mut group = c.benchmark_group("replication");
    group.throughput(Throughput::Elements(events));
    let mut replication = 0;
    group.bench_function("three_zone_service", |b| {
        b.iter(|| {
            replication += 1;
            black_box(world.run(1, replication, &mut NoObserver))
        })
    });
    group.finish();
}

/// The same 100-replica service on 30 four-slot hosts, rolled out 25% at a time, as an
/// ECS rolling update (75% / 125%) and as a Kubernetes Deployment (25% / 25%), with the
/// same launch times and a 10 s check or probe period. The issue's budget: the
/// Kubernetes replication costs at most 1.5 times the ECS one.
const SAME_SIZE: &str = r#"
name = "same-size"
[cluster]
hosts = 25
spare_hosts = 5
zones = 3
host = { cpu = 4096, memory = 16384 }
[service]
desired = 100
task = { cpu = 1024, memory = 4096 }
[scheduler]
reaction = "uniform(100ms, 1s)"
[launch]
image_pull = "lognormal(median=12s, p95=40s)"
start = "uniform(1s, 3s)"
warmup = "uniform(5s, 15s)"
[draining]
shutdown = "uniform(1s, 4s)"
"#;

const ECS_PART: &str = r#"
[deployment]
minimum_healthy_percent = 75
maximum_percent = 125
[health_check]
interval = "10s"
healthy_threshold = 1
[draining]
deregistration_delay = "15s"
"#;

const KUBE_PART: &str = r#"
platform = "kubernetes"
[deployment]
max_surge = "25%"
max_unavailable = "25%"
[readiness]
period = "10s"
[termination]
pre_stop = "15s"
"#;

/// One replication of the same 100-replica service on ECS and on Kubernetes.
fn ecs_vs_kubernetes(c: &mut Criterion) {
    // TOML tables cannot repeat: merge the parts by key instead of concatenating.
    let compose = |part: &str| -> Scenario {
        let mut base: toml::Table = SAME_SIZE.parse().expect("base parses");
        let extra: toml::Table = part.parse().expect("part parses");
        for (key, value) in extra {
            match (base.get_mut(&key), value) {
                (Some(toml::Value::Table(into)), toml::Value::Table(from)) => into.extend(from),
                (_, value) => {
                    base.insert(key, value);
                }
            }
        }
        from_text(&base.to_string(), "same-size.toml", Path::new("."), &[]).expect("valid")
    };
    let mut group = c.benchmark_group("replication_100");
    for (label, part) in [("ecs_rolling", ECS_PART), ("kubernetes", KUBE_PART)] {
        let scenario = compose(part);
        let mut world = World::new(Params::new(&scenario));
        let mut replication = 0;
        group.bench_function(label, |b| {
            b.iter(|| {
                replication += 1;
                black_box(world.run(1, replication, &mut NoObserver))
            })
        });
    }
    group.finish();
}

/// 1,000 replications of ecs-blog: on one thread, and on every core.
fn many_replications(c: &mut Criterion) {
    let scenario = scenario("ecs-blog.toml");
    let mut group = c.benchmark_group("replications");
    group.throughput(Throughput::Elements(1_000));
    for (label, threads) in [
        ("ecs_blog_1000_one_thread", Some(1)),
        ("ecs_blog_1000_all_cores", None),
    ] {
        group.bench_function(label, |b| {
            b.iter(|| {
                run_replications(
                    &scenario,
                    RunSettings {
                        runs: 1_000,
                        seed: 1,
                        threads,
                        progress: false,
                    },
                )
                .expect("runs")
            })
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    engine_hold,
    one_replication,
    ecs_vs_kubernetes,
    many_replications
);
criterion_main!(benches);

//! Where the time goes: the engine alone, one replication, and many replications.
//!
//!     cargo bench --bench simulation

use std::hint::black_box;
use std::path::Path;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use deploysim::engine::{EventQueue, SimDuration};
use deploysim::experiment::{RunSettings, run_replications};
use deploysim::model::{NoObserver, Params, World};
use deploysim::scenario::{Scenario, load};

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

criterion_group!(benches, engine_hold, one_replication, many_replications);
criterion_main!(benches);

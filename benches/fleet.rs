//! How one replication's time grows with the fleet: `scenarios/large-fleet.toml` scaled to
//! 1,000, 10,000 and 100,000 tasks (ten per host, one spare host per hundred tasks).
//!
//!     cargo bench --bench fleet -- --warm-up-time 1 --measurement-time 3

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use deploysim::model::{NoObserver, Params, World};
use deploysim::scenario::{Override, load};

fn fleet(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/large-fleet.toml");
    let mut group = c.benchmark_group("fleet");
    group.sample_size(10);
    for tasks in [1_000u32, 10_000, 100_000] {
        let overrides: Vec<Override> = [
            format!("service.desired={tasks}"),
            format!("cluster.hosts={}", tasks / 10),
            format!("cluster.spare_hosts={}", tasks / 100),
        ]
        .iter()
        .map(|o| Override::parse(o).expect("overrides parse"))
        .collect();
        let scenario = load(&path, &overrides).expect("the scaled scenario loads");
        let mut world = World::new(Params::new(&scenario));
        let events = world.run(1, 0, &mut NoObserver).events;
        group.throughput(Throughput::Elements(events));
        let mut replication = 0;
        group.bench_with_input(
            BenchmarkId::new("one_replication", tasks),
            &tasks,
            |b, _| {
                b.iter(|| {
                    replication += 1;
                    black_box(world.run(1, replication, &mut NoObserver))
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, fleet);
criterion_main!(benches);

//! What writing `replications.csv` costs per row, apart from simulating: 10,000 real
//! replications of `scenarios/ecs-blog.toml`, computed once, written into memory.
//!
//!     cargo bench --bench report

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use deploysim::experiment::{RunSettings, run_replications};
use deploysim::report::replications_csv;
use deploysim::scenario::load;

const ROWS: u32 = 10_000;

fn replication_rows(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ecs-blog.toml");
    let scenario = load(&path, &[]).expect("the example scenario loads");
    // Outside the timed loop: the rows are what a real run writes.
    let results = run_replications(
        &scenario,
        RunSettings {
            runs: ROWS,
            seed: 7,
            threads: None,
            progress: false,
        },
    )
    .expect("runs");
    let mut group = c.benchmark_group("replications_csv");
    group.throughput(Throughput::Elements(u64::from(ROWS)));
    group.sample_size(30);
    group.bench_function("ecs_blog_10000_rows", |b| {
        b.iter(|| black_box(replications_csv(black_box(&results), 0)))
    });
    group.finish();
}

criterion_group!(benches, replication_rows);
criterion_main!(benches);

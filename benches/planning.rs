//! The planning commands' own cost, without process start-up or file writes:
//! `plan` on three-zone-service.toml at 95% (six values of up to 1,000 replications, each
//! stopping once settled; `_all_runs`: every value to 1,000), `sweep` of
//! 20 points x 1,000 replications of ecs-blog.toml, and `compare` of the agent pair
//! (2 x 1,000 replications and 2,000 bootstrap resamples).
//!
//!     cargo bench --bench planning -- --warm-up-time 1 --measurement-time 3

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use deploysim::experiment::RunSettings;
use deploysim::experiment::compare::compare;
use deploysim::experiment::plan::{PlanSettings, plan};
use deploysim::experiment::sweep::sweep;
use deploysim::scenario::{Override, Scenario, load};

fn path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

fn scenario(name: &str, overrides: &[Override]) -> Scenario {
    load(&path(name), overrides).expect("example scenarios load")
}

fn settings() -> RunSettings {
    RunSettings {
        runs: 1_000,
        seed: 1,
        threads: None,
        progress: false,
    }
}

fn plan_three_zone(c: &mut Criterion) {
    let build = |value: i64| {
        Ok(scenario(
            "three-zone-service.toml",
            &[Override {
                key: "cluster.spare_hosts".into(),
                value: toml::Value::Integer(value),
            }],
        ))
    };
    let settings = PlanSettings {
        knob: "cluster.spare_hosts".into(),
        target_seconds: 45.0 * 60.0,
        confidence: 0.95,
        min: 0,
        max: 50,
        runs: 1_000,
        seed: 1,
        threads: None,
        all_runs: false,
    };
    c.bench_function("plan_three_zone_95", |b| {
        b.iter(|| black_box(plan(&build, &settings).expect("plans")))
    });
    // Every value to 1,000 runs, as before early stopping: the difference is its effect.
    let all_runs = PlanSettings {
        all_runs: true,
        ..settings.clone()
    };
    c.bench_function("plan_three_zone_95_all_runs", |b| {
        b.iter(|| black_box(plan(&build, &all_runs).expect("plans")))
    });
}

fn sweep_ecs_blog(c: &mut Criterion) {
    let mut points = Vec::new();
    for spare in 1..=5 {
        for delay in ["30s", "60s", "120s", "300s"] {
            points.push(scenario(
                "ecs-blog.toml",
                &[
                    Override::parse(&format!("cluster.spare_hosts={spare}")).unwrap(),
                    Override::parse(&format!("draining.deregistration_delay={delay}")).unwrap(),
                ],
            ));
        }
    }
    c.bench_function("sweep_ecs_blog_20x1000", |b| {
        b.iter(|| black_box(sweep(&points, settings()).expect("sweeps")))
    });
}

fn compare_agents(c: &mut Criterion) {
    let a = scenario("event-agent.toml", &[]);
    let b = scenario("polling-agent.toml", &[]);
    c.bench_function("compare_agents_1000", |bench| {
        bench.iter(|| black_box(compare(&a, &b, settings()).expect("compares")))
    });
}

criterion_group!(benches, plan_three_zone, sweep_ecs_blog, compare_agents);
criterion_main!(benches);

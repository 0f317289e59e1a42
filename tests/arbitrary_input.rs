//! Property tests over arbitrary scenario documents and `--set` strings: loading returns
//! `Ok` or `Err` (never panics), an error names the file, and a scenario that loads runs
//! a short, event-capped replication to its end (never hangs) and survives the shard
//! file's JSON round trip unchanged.

mod common;

use std::path::Path;

use deploysim::model::{NoObserver, Params, World};
use deploysim::scenario::{Override, Scenario, from_text};
use proptest::prelude::*;

/// Every key the schema knows, and a few it does not.
const KEYS: &[&str] = &[
    "name",
    "description",
    "cluster.hosts",
    "cluster.spare_hosts",
    "cluster.zones",
    "cluster.host_hourly_cost",
    "cluster.host.cpu",
    "cluster.host.memory",
    "cluster.host",
    "service.desired",
    "service.task.cpu",
    "service.task.memory",
    "service.task",
    "service.placement",
    "service.distinct_instance",
    "deployment.strategy",
    "deployment.minimum_healthy_percent",
    "deployment.maximum_percent",
    "deployment.circuit_breaker",
    "deployment.circuit_breaker_min",
    "deployment.rollback",
    "scheduler.mode",
    "scheduler.reaction",
    "scheduler.interval",
    "agent.mode",
    "agent.latency",
    "agent.poll_interval",
    "agent.poll_phase",
    "agent.report",
    "launch.image_pull",
    "launch.cached_pull",
    "launch.start",
    "launch.warmup",
    "health_check.interval",
    "health_check.healthy_threshold",
    "health_check.unhealthy_threshold",
    "health_check.grace_period",
    "health_check.first_check",
    "draining.deregistration_delay",
    "draining.connections_close",
    "draining.shutdown",
    "draining.stop_timeout",
    "failures.bad_task_probability",
    "simulation.runs",
    "simulation.seed",
    "simulation.horizon",
    "simulation.target",
    "cluster",
    "service",
    "bogus",
    "cluster.bogus",
    "launch.start.deeper",
];

/// Strings shaped like what the keys take, and some that only look like it.
const WORDS: &[&str] = &[
    "0s",
    "1ms",
    "30s",
    "5m",
    "1h",
    "1m30s",
    "1.5s",
    "-3s",
    "1e400s",
    "18446744073709551615s",
    "uniform(2s, 6s)",
    "uniform(6s, 2s)",
    "uniform(0s, 0s)",
    "exponential(mean=20s)",
    "exponential(mean=0s)",
    "lognormal(median=25s, p95=60s)",
    "lognormal(median=60s, p95=25s)",
    "lognormal(median=0s, p95=1s)",
    "empirical(\"pulls.csv\")",
    "empirical(\"\")",
    "uniform(",
    "lognormal(median=1s p95=2s)",
    "reactive",
    "periodic",
    "event",
    "polling",
    "ecs",
    "spread:zone",
    "spread:host",
    "binpack:memory",
    "binpack:cpu",
    "random",
    "distinct_instance",
    "",
    "\u{0}",
    "é",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(WORDS).prop_map(str::to_string),
        1 => "\\PC{0,12}",
    ]
}

fn scalar() -> impl Strategy<Value = toml::Value> {
    prop_oneof![
        4 => (-3i64..40).prop_map(toml::Value::Integer),
        2 => proptest::sample::select(vec![
            0i64,
            1,
            100,
            1000,
            65_535,
            65_536,
            10_000_000,
            10_000_001,
            u32::MAX as i64,
            u32::MAX as i64 + 1,
            i64::MAX,
            i64::MIN,
        ])
        .prop_map(toml::Value::Integer),
        1 => any::<f64>().prop_map(toml::Value::Float),
        1 => any::<bool>().prop_map(toml::Value::Boolean),
        4 => word().prop_map(toml::Value::String),
    ]
}

fn value() -> impl Strategy<Value = toml::Value> {
    scalar().prop_recursive(2, 8, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(toml::Value::Array),
            proptest::collection::btree_map(
                proptest::sample::select(vec!["cpu", "memory", "x", "mode"]),
                inner,
                0..3
            )
            .prop_map(|m| toml::Value::Table(
                m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

/// One change to a document: set a key to a value, or remove it.
#[derive(Clone, Debug)]
enum Edit {
    Set(&'static str, toml::Value),
    Remove(&'static str),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (proptest::sample::select(KEYS), value()).prop_map(|(k, v)| Edit::Set(k, v)),
        1 => proptest::sample::select(KEYS).prop_map(Edit::Remove),
    ]
}

fn apply(table: &mut toml::Table, edit: &Edit) {
    let (key, value) = match edit {
        Edit::Set(key, value) => (*key, Some(value.clone())),
        Edit::Remove(key) => (*key, None),
    };
    let parts: Vec<&str> = key.split('.').collect();
    let (last, parents) = parts.split_last().unwrap();
    let mut current = table;
    for part in parents {
        let entry = current
            .entry(part.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        match entry.as_table_mut() {
            Some(table) => current = table,
            None => return,
        }
    }
    match value {
        Some(value) => {
            current.insert(last.to_string(), value);
        }
        None => {
            current.remove(*last);
        }
    }
}

/// A `--set` argument: a known key (or junk) `=` a value written as TOML or bare.
fn set_argument() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (proptest::sample::select(KEYS), value()).prop_map(|(k, v)| {
            let text = toml::Value::to_string(&v);
            format!("{k}={text}")
        }),
        2 => (proptest::sample::select(KEYS), word()).prop_map(|(k, w)| format!("{k}={w}")),
        1 => "\\PC{0,24}",
    ]
}

/// What must hold for any input: `Ok` or `Err`, errors name the file, and a loaded
/// scenario runs a capped replication to its end.
fn check(text: &str, sets: &[String]) {
    let mut overrides = Vec::new();
    for set in sets {
        match Override::parse(set) {
            Ok(o) => overrides.push(o),
            Err(message) => assert!(message.contains("--set"), "{message}"),
        }
    }
    // A base folder that does not exist: `empirical` files fail to load, cleanly.
    let base = Path::new("/nonexistent-deploysim-proptest");
    match from_text(text, "prop.toml", base, &overrides) {
        Err(error) => {
            let shown = error.to_string();
            assert!(shown.starts_with("prop.toml"), "{shown}");
            assert!(!error.message.is_empty());
        }
        Ok(scenario) => {
            run_short(&scenario);
            let json = serde_json::to_string(&scenario).unwrap();
            let back: Scenario = serde_json::from_str(&json).unwrap();
            assert_eq!(serde_json::to_string(&back).unwrap(), json);
            let _ = deploysim::report::resolved_scenario_toml(&scenario);
        }
    }
}

fn run_short(scenario: &Scenario) {
    let hosts = scenario.cluster.hosts as u64 + scenario.cluster.spare_hosts as u64;
    if hosts > 5_000 || scenario.service.desired > 5_000 {
        return; // valid, just too big to run in a unit test; the size check covers these
    }
    let mut world = World::new(Params::new(scenario));
    world.set_event_limit(Some(5_000));
    let result = world.run(scenario.simulation.seed, 0, &mut NoObserver);
    assert!(result.events <= 5_000);
    assert!(result.deploy.micros() <= scenario.simulation.horizon.0.micros());
}

fn base() -> toml::Table {
    common::SECTION_10.parse().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// A valid document with arbitrary keys set or removed, plus arbitrary `--set`s.
    #[test]
    fn edited_documents_and_sets(
        edits in proptest::collection::vec(edit(), 0..6),
        sets in proptest::collection::vec(set_argument(), 0..3),
    ) {
        let mut table = base();
        for e in &edits {
            apply(&mut table, e);
        }
        if let Ok(text) = toml::to_string(&table) {
            check(&text, &sets);
        }
    }

    /// A valid document with arbitrary text spliced in: syntax errors anywhere.
    #[test]
    fn spliced_text(at in 0usize..800, junk in "\\PC{0,16}", cut in 0usize..40) {
        let text = common::SECTION_10;
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + cut).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let spliced = format!("{}{}{}", &text[..at], junk, &text[end..]);
        check(&spliced, &[]);
    }

    /// Arbitrary text, and arbitrary `--set` strings on a valid document.
    #[test]
    fn arbitrary_text(text in "\\PC{0,200}", sets in proptest::collection::vec("\\PC{0,30}", 0..3)) {
        check(&text, &[]);
        check(common::SECTION_10, &sets);
    }
}

//! A world builds the cluster at t = 0 once and copies it into every later replication
//! (unless placement is `random`, which draws while it places). A reused world must give
//! exactly what a new world gives for the same (seed, replication), on every example
//! scenario, including after a recorded (traced) run, which rebuilds the copy.

use std::path::Path;

use deploysim::model::Step;
use deploysim::model::{NoObserver, Observer, Params, ReplicationResult, World};
use deploysim::scenario::{Override, Scenario, load};

/// Records nothing itself, but asks the world to record steps (as `trace` does).
struct Recording;

impl Observer for Recording {
    const RECORDS_STEPS: bool = true;
    fn after_event(&mut self, _: &World, _: &[Step]) {}
}

fn scenarios() -> Vec<(String, Scenario)> {
    let mut files = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).expect("scenarios/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let name = path.display().to_string();
        // The 100,000-task fleet is too slow for a debug test; a tenth of it keeps its shape.
        let overrides: Vec<Override> = if name.ends_with("large-fleet.toml") {
            [
                "service.desired=1000",
                "cluster.hosts=100",
                "cluster.spare_hosts=10",
            ]
            .iter()
            .map(|o| Override::parse(o).expect("override parses"))
            .collect()
        } else {
            Vec::new()
        };
        out.push((
            name,
            load(&path, &overrides).expect("example scenarios load"),
        ));
    }
    out
}

fn fresh(scenario: &Scenario, seed: u64, replication: u64) -> ReplicationResult {
    World::new(Params::new(scenario)).run(seed, replication, &mut NoObserver)
}

#[test]
fn a_reused_world_gives_what_a_new_world_gives() {
    let scenarios = scenarios();
    assert!(scenarios.len() >= 15, "found {} scenarios", scenarios.len());
    for (name, scenario) in &scenarios {
        let seed = 11;
        let mut world = World::new(Params::new(scenario));
        for replication in 0..6u64 {
            // Replication 3 is recorded, as a trace would: the copy is rebuilt from it.
            let reused = if replication == 3 {
                world.run(seed, replication, &mut Recording)
            } else {
                world.run(seed, replication, &mut NoObserver)
            };
            assert_eq!(
                reused,
                fresh(scenario, seed, replication),
                "{name}, replication {replication}"
            );
        }
        // Out of order, after the others: still only (seed, replication) matters.
        assert_eq!(
            world.run(seed, 1, &mut NoObserver),
            fresh(scenario, seed, 1),
            "{name}, replication 1 again"
        );
    }
}

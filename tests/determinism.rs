//! Same seed, same bytes, whatever the thread count; and a replication's result depends
//! only on (seed, replication), not on which other replications ran.

use std::process::Command;

fn run(scenario: &str, threads: usize, runs: u32, out: &std::path::Path) -> Vec<u8> {
    let status = Command::new(env!("CARGO_BIN_EXE_deploysim"))
        .args([
            "run",
            scenario,
            "--runs",
            &runs.to_string(),
            "--seed",
            "42",
            "--threads",
            &threads.to_string(),
            "--format",
            "json",
            "--out",
        ])
        .arg(out)
        .output()
        .expect("the binary runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let name = std::path::Path::new(scenario)
        .file_stem()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    std::fs::read(out.join(name).join("replications.csv")).expect("replications.csv written")
}

#[test]
fn thread_count_changes_nothing() {
    for scenario in [
        "scenarios/three-zone-service.toml",
        "scenarios/polling-agent.toml",
        "scenarios/bad-deploy.toml",
        "scenarios/prewarm-vs-autoscale/autoscale.toml",
        "scenarios/k8s-web.toml",
        "scenarios/k8s-full-cluster.toml",
        "scenarios/k8s-karpenter.toml",
        "scenarios/ecs-canary-alarms.toml",
        "scenarios/strategies/linear-alarms.toml",
        "scenarios/fargate-web.toml",
        "scenarios/shared-cluster.toml",
    ] {
        let one = tempfile::tempdir().unwrap();
        let two = tempfile::tempdir().unwrap();
        let single = run(scenario, 1, 300, one.path());
        let double = run(scenario, 2, 300, two.path());
        assert!(
            single.len() > 300 * 20,
            "{scenario}: suspiciously short CSV"
        );
        assert!(
            single == double,
            "{scenario}: --threads 1 and --threads 2 differ"
        );
    }
}

#[test]
fn a_replication_does_not_depend_on_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let short = run("scenarios/ecs-blog.toml", 2, 10, dir.path());
    let long = run("scenarios/ecs-blog.toml", 2, 100, dir.path());
    assert!(
        long.starts_with(&short),
        "the first 10 replications changed when 100 ran"
    );
}

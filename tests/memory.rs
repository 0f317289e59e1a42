//! A run's memory grows by about one result per replication: no second copy of the
//! results, no CSV held in memory (docs: `run` streams `replications.csv`).

#![cfg(target_os = "linux")]

use std::process::Command;

use deploysim::model::ReplicationResult;

/// The peak resident memory, in bytes, of the largest child waited for so far.
fn children_peak() -> u64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable rusage; RUSAGE_CHILDREN is a valid target.
    assert_eq!(
        unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) },
        0
    );
    // Linux reports ru_maxrss in kibibytes.
    usage.ru_maxrss as u64 * 1024
}

fn run(runs: u32) {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_deploysim"))
        .args([
            "run",
            "scenarios/ecs-blog.toml",
            "--runs",
            &runs.to_string(),
        ])
        .args(["--format", "json", "--out"])
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .status()
        .expect("the binary runs");
    assert!(status.success());
    assert!(dir.path().join("ecs-blog/replications.csv").exists());
}

#[test]
fn each_replication_costs_about_one_result_of_memory() {
    // The small run first: RUSAGE_CHILDREN keeps the largest peak of any child so far.
    run(1_000);
    let small = children_peak();
    run(50_000);
    let large = children_peak();
    let per_replication = large.saturating_sub(small) / 49_000;
    // Kept per replication: the result itself, plus 8 bytes each for the one summary column
    // sorted at a time and the chart's deploy times, plus allocator slack. Before, the
    // results were copied once more when collected (2 x 208 bytes) and the CSV (~95 bytes
    // a row) was built in memory: over 500 bytes.
    let result = std::mem::size_of::<ReplicationResult>() as u64;
    assert!(
        per_replication <= result + 64,
        "{per_replication} bytes per replication for a {result}-byte result"
    );
}

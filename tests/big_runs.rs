//! Runs too big to finish are refused up front with an estimate; `--max-events` caps each
//! replication instead.

mod common;

use std::process::{Command, Output};

use deploysim::experiment::budget;
use deploysim::model::Outcome;

fn deploysim(args: &[&str], out: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_deploysim"))
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .expect("the binary runs")
}

#[test]
fn a_run_that_cannot_fit_in_memory_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let output = deploysim(
        &["run", "scenarios/ecs-blog.toml", "--runs", "4000000000"],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    for words in ["too big", "events", "GiB of memory", "available", "--shard"] {
        assert!(stderr.contains(words), "{words:?} not in {stderr}");
    }
    assert!(started.elapsed().as_secs() < 10, "not refused up front");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn max_events_caps_every_replication() {
    let dir = tempfile::tempdir().unwrap();
    let output = deploysim(
        &[
            "run",
            "scenarios/ecs-blog.toml",
            "--runs",
            "40",
            "--max-events",
            "25",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["summary"]["outcomes"]["event_limit"], 40);
    assert_eq!(json["summary"]["events"]["max"], 25.0);
    assert!(
        json["run"]["command"]
            .as_str()
            .unwrap()
            .ends_with("--max-events 25")
    );
    let csv = std::fs::read_to_string(dir.path().join("ecs-blog/replications.csv")).unwrap();
    assert_eq!(
        csv.lines().filter(|l| l.contains(",event_limit,")).count(),
        40
    );

    let refused = deploysim(
        &["run", "scenarios/ecs-blog.toml", "--max-events", "0"],
        dir.path(),
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--max-events"));
}

#[test]
fn the_pilot_stops_a_replication_that_would_never_end() {
    // Every new task bad, a horizon of a century: the deploy can never complete.
    let scenario = common::section_10(&[
        "failures.bad_task_probability=1",
        "simulation.horizon=876000h",
    ]);
    let (result, _) = budget::pilot(&scenario, 1, 0, 10_000);
    assert_eq!(result.outcome, Outcome::EventLimit);
    assert_eq!(result.events, 10_000);
    let estimate =
        budget::Estimate::from_pilot(&scenario, &result, std::time::Duration::ZERO, 1000, 2);
    assert!(estimate.describe().contains("1000 replication(s)"));
}

#[test]
fn trace_stops_at_max_events() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("trace.csv");
    let output = Command::new(env!("CARGO_BIN_EXE_deploysim"))
        .args([
            "trace",
            "scenarios/ecs-blog.toml",
            "--set",
            "failures.bad_task_probability=1",
            "--max-events",
            "30",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success());
    let csv = std::fs::read_to_string(&out).unwrap();
    let last = csv.trim_end().lines().last().unwrap();
    assert!(last.contains(",event_limit,"), "{last}");
}

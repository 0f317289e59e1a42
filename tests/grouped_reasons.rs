//! Runs that did not complete are reported grouped by kind of reason, with counts, in the
//! terminal summary, `reasons.csv`, `summary.json`, the outcomes chart, and `plan`'s and
//! `sweep`'s "why" for a point that missed.

use std::process::Command;

fn deploysim(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_deploysim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

/// 20 tasks two per host on 10 full hosts, no spare host, MIN 50% / MAX 100%, and hosts
/// failing at 0.3 per host-hour: a lost host leaves its tasks nowhere to go, so many runs
/// get stuck, each after placing a different number of new tasks (0, 2, 4, ...).
const TIGHT: &str = r#"
name = "tight"
[cluster]
hosts = 10
zones = 2
host = { cpu = 2048, memory = 7800 }
[service]
desired = 20
task = { cpu = 512, memory = 3000 }
[deployment]
minimum_healthy_percent = 50
maximum_percent = 100
[failures]
host_failure_rate = 0.3
[simulation]
runs = 200
target = "20m"
"#;

fn write_scenario(dir: &std::path::Path) -> String {
    let path = dir.join("tight.toml");
    std::fs::write(&path, TIGHT).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn stuck_runs_with_differing_counts_are_one_line_one_row_one_bar() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_scenario(dir.path());
    let out = dir.path().join("out");
    let output = deploysim(&["run", &file, "--out", out.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let stuck: u64 = text
        .lines()
        .find(|l| l.trim_start().starts_with("stuck "))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .expect("a stuck row");
    assert!(stuck > 20, "the scenario gets many runs stuck: {text}");
    // One line for the kind, carrying the whole count and the span of placed tasks.
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("a new task fits on no host"))
        .collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(
        lines[0].trim_start().starts_with(&format!("{stuck} x ")),
        "{text}"
    );
    assert!(
        lines[0].contains(" to "),
        "the counts differ, so a span: {text}"
    );
    assert!(text.contains("what to change: add spare hosts"), "{text}");

    let folder = out.join("tight");
    let csv = std::fs::read_to_string(folder.join("reasons.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "outcome,kind,runs,share,reason,detail,what_to_change"
    );
    assert_eq!(rows.len(), 2, "{csv}");
    assert!(
        rows[1].starts_with(&format!("stuck,no_host_fits,{stuck},")),
        "{csv}"
    );

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("summary.json")).unwrap())
            .unwrap();
    let reasons = json["summary"]["reasons"].as_array().unwrap();
    assert_eq!(reasons.len(), 1);
    assert_eq!(reasons[0]["count"], stuck);
    assert_eq!(reasons[0]["kind"], "no_host_fits");

    // The chart: one bar for the kind (its label appears once).
    let svg = std::fs::read_to_string(folder.join("outcomes.svg")).unwrap();
    assert_eq!(
        svg.matches("a new task fits on no host").count(),
        1,
        "{svg}"
    );
}

#[test]
fn sweep_and_plan_say_why_a_point_missed() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_scenario(dir.path());
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    let sweep = deploysim(&[
        "sweep",
        &file,
        "--runs",
        "50",
        "--vary",
        "cluster.spare_hosts=0,4",
        "--out",
        out,
    ]);
    assert!(
        sweep.status.success(),
        "{}",
        String::from_utf8_lossy(&sweep.stderr)
    );
    let text = String::from_utf8(sweep.stdout).unwrap();
    let zero = text
        .lines()
        .find(|l| l.trim_start().starts_with("0 "))
        .expect("the row of 0 spare hosts");
    assert!(
        zero.contains(" stuck: a new task fits on no host"),
        "{text}"
    );
    let csv = std::fs::read_to_string(dir.path().join("out/tight/sweep/sweep.csv")).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",why"));
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .contains("stuck: a new task fits on no host")
    );

    let plan = deploysim(&[
        "plan",
        &file,
        "--runs",
        "50",
        "--confidence",
        "0.8",
        "--out",
        out,
    ]);
    assert!(
        plan.status.success(),
        "{}",
        String::from_utf8_lossy(&plan.stderr)
    );
    let text = String::from_utf8(plan.stdout).unwrap();
    assert!(text.contains("fell short:"), "{text}");
    let why = text
        .lines()
        .skip_while(|l| !l.contains("fell short:"))
        .nth(1)
        .unwrap();
    assert!(why.trim_start().starts_with("0 "), "{text}");
    assert!(why.contains("stuck: a new task fits on no host"), "{text}");
}

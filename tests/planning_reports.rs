//! `report.html` from `plan`, `compare` and `sweep` (issue 4 item 2): it exists beside the
//! CSV and chart, holds the numbers the command printed, its chart inline and the command
//! line, and `--format json` keeps stdout pure JSON.

use std::path::{Path, PathBuf};
use std::process::Command;

use deploysim::scenario::format_human;
use serde_json::Value;

fn scenario_path(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
        .display()
        .to_string()
}

/// A path as the report's command line shows it.
fn quoted(path: &str) -> String {
    deploysim::commands::shell_quote(path)
}

/// Runs the binary with `--out` in a fresh folder and `--format json`; returns the parsed
/// stdout (which must be only JSON), the folder and stderr.
fn json(args: &[&str]) -> (Value, tempfile::TempDir) {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_deploysim"))
        .args(args)
        .arg("--out")
        .arg(out.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value: Value = serde_json::from_slice(&output.stdout).expect("stdout is only JSON");
    (value, out)
}

fn text(args: &[&str], out: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_deploysim"))
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

fn report(folder: &Path) -> String {
    let path: PathBuf = folder.join("report.html");
    let html = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg"), "the chart inline");
    assert!(!html.contains("<script"));
    html
}

fn percent(share: f64) -> String {
    format!("{:.1}%", 100.0 * share)
}

#[test]
fn plan_writes_a_report_with_the_answer() {
    let file = scenario_path("ecs-blog.toml");
    let args = ["plan", &file, "--target", "20m", "--runs", "40"];
    let (doc, out) = json(&args);
    let folder = out.path().join("ecs-blog").join("plan");
    let html = report(&folder);
    let answer = doc["answer"].as_i64().expect("an answer");
    let row = doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["value"] == answer)
        .unwrap();
    assert!(html.contains("ecs-blog: the smallest cluster.spare_hosts"));
    assert!(html.contains(&format!(
        "cluster.spare_hosts = {answer}: {} of 40 runs within 20m = {}",
        row["within_target"],
        percent(row["share"].as_f64().unwrap())
    )));
    assert!(html.contains(&format!(
        "deploysim plan {} --target 20m --runs 40 --out",
        quoted(&file)
    )));
    assert!(folder.join("plan.csv").is_file() && folder.join("plan.svg").is_file());
    // The text lists the report among the files written.
    let printed = text(&args, out.path());
    assert!(printed.contains(&format!("wrote {}", folder.join("report.html").display())));
}

#[test]
fn compare_writes_a_report_in_a_folder_per_pair() {
    let (a, b) = (
        scenario_path("event-agent.toml"),
        scenario_path("polling-agent.toml"),
    );
    let (doc, out) = json(&["compare", &a, &b, "--runs", "40"]);
    let folder = out.path().join("event-agent-vs-polling-agent");
    let html = report(&folder);
    assert!(folder.join("compare.csv").is_file());
    let diff = doc["deploy_seconds_mean"]["diff"].as_f64().unwrap();
    assert!(diff > 0.0);
    assert!(html.contains(&format!("<td>+{}</td>", format_human(diff))));
    assert!(html.contains("Is B (polling-agent) faster than A (event-agent)?"));
    assert!(html.contains(&format!(
        "deploysim compare {} {} --runs 40 --out",
        quoted(&a),
        quoted(&b)
    )));

    // B as A with --set-b: its own folder, beside the first one.
    let args = [
        "compare",
        &a,
        "--set-b",
        "agent.mode=polling",
        "--runs",
        "20",
    ];
    let printed = text(&args, out.path());
    let folder = out
        .path()
        .join("event-agent-vs-event-agent-agent.mode-polling");
    let html = report(&folder);
    assert!(printed.contains(&format!("wrote {}", folder.join("report.html").display())));
    assert!(html.contains("event-agent with --set-b agent.mode=polling"));
    assert!(
        out.path()
            .join("event-agent-vs-polling-agent/report.html")
            .is_file(),
        "the first comparison is still there"
    );
}

#[test]
fn sweep_writes_a_report_with_every_point() {
    let file = scenario_path("ecs-blog.toml");
    let args = [
        "sweep",
        &file,
        "--vary",
        "cluster.spare_hosts=2..3",
        "--vary",
        "agent.mode=event,polling",
        "--runs",
        "20",
    ];
    let (doc, out) = json(&args);
    let folder = out.path().join("ecs-blog").join("sweep");
    let html = report(&folder);
    let points = doc["points"].as_array().unwrap();
    assert_eq!(points.len(), 4);
    for point in points {
        let p95 = point["summary"]["deploy_seconds"]["p95"].as_f64().unwrap();
        assert!(html.contains(&format!(
            "<td>{}</td><td class=\"text\">{}</td>",
            point["values"]["cluster.spare_hosts"].as_str().unwrap(),
            point["values"]["agent.mode"].as_str().unwrap()
        )));
        assert!(html.contains(&format!("<td>{}</td>", format_human(p95))));
    }
    assert!(
        html.contains("ecs-blog: how do deploys change with cluster.spare_hosts and agent.mode?")
    );
    assert!(
        html.contains("--vary cluster.spare_hosts=2..3 --vary agent.mode=event,polling --runs 20")
    );
    let printed = text(&args, out.path());
    assert!(printed.contains(&format!("wrote {}", folder.join("report.html").display())));
}

//! The files `run` and `trace` write beside their data (charts, report.html), and what
//! stays off stdout: JSON output is only JSON, the progress bar never shows off a terminal.

use std::path::Path;
use std::process::Command;

fn deploysim(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_deploysim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn assert_png(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display());
    assert!(bytes.len() > 5_000, "{}", path.display());
}

fn assert_svg(path: &Path, title: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.starts_with("<svg") && text.trim_end().ends_with("</svg>"));
    assert!(text.contains(title), "{} lacks {title:?}", path.display());
}

#[test]
fn run_writes_charts_and_a_report_and_json_stays_clean() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    // Enough runs for the progress bar, were stderr a terminal.
    let output = deploysim(&[
        "run",
        "scenarios/ecs-blog.toml",
        "--runs",
        "2500",
        "--set",
        "cluster.spare_hosts=5",
        "--out",
        out,
        "--format",
        "json",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    assert_eq!(json["run"]["runs"], 2500);
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let folder = dir.path().join("ecs-blog");
    assert_svg(
        &folder.join("deploy_seconds.svg"),
        "How long does a deploy of ecs-blog take?",
    );
    assert_png(&folder.join("deploy_seconds.png"));
    assert!(!folder.join("outcomes.svg").exists(), "every run completed");
    let html = std::fs::read_to_string(folder.join("report.html")).unwrap();
    assert!(html.contains("ecs-blog") && html.contains("<svg") && html.contains("--runs 2500"));
    let p95 = json["summary"]["deploy_seconds"]["p95"].as_f64().unwrap();
    assert!(html.contains(&deploysim::scenario::format_human(p95)));
}

#[test]
fn run_text_lists_every_file_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let output = deploysim(&[
        "run",
        "scenarios/ecs-blog.toml",
        "--runs",
        "40",
        "--set",
        "deployment.maximum_percent=100",
        "--set",
        "cluster.spare_hosts=0",
        "--out",
        out,
    ]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    for file in [
        "replications.csv",
        "summary.json",
        "deploy_seconds.svg",
        "deploy_seconds.png",
        "outcomes.svg",
        "outcomes.png",
        "report.html",
    ] {
        let path = dir.path().join("ecs-blog").join(file);
        assert!(
            text.contains(&format!("wrote {}", path.display())),
            "{file}: {text}"
        );
        assert!(path.exists(), "{file}");
    }
    assert_svg(
        &dir.path().join("ecs-blog/outcomes.svg"),
        "How did the 40 runs of ecs-blog end?",
    );
}

#[test]
fn trace_writes_its_chart_and_report_beside_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("sub").join("blog.csv");
    let output = deploysim(&[
        "trace",
        "scenarios/ecs-blog.toml",
        "--out",
        csv.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let folder = dir.path().join("sub");
    assert!(csv.exists());
    assert_svg(
        &folder.join("blog.svg"),
        "How did this deploy of ecs-blog unfold?",
    );
    assert_png(&folder.join("blog.png"));
    let html = std::fs::read_to_string(folder.join("blog.html")).unwrap();
    assert!(html.contains("ecs-blog") && html.contains("<svg") && html.contains("blog.csv"));

    // Without --out: only the CSV, on stdout.
    let output = deploysim(&["trace", "scenarios/ecs-blog.toml"]);
    assert!(output.status.success());
    assert!(output.stdout.starts_with(b"time,task,revision,host,event"));
    assert!(!String::from_utf8_lossy(&output.stdout).contains("<svg"));

    // A CSV name the chart would overwrite is refused.
    let clash = dir.path().join("clash.svg");
    let output = deploysim(&[
        "trace",
        "scenarios/ecs-blog.toml",
        "--out",
        clash.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(!clash.exists(), "refused before writing anything");
}

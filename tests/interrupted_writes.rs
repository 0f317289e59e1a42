//! A run killed at any moment leaves complete reports or none: never a truncated CSV, and
//! never a temporary file that looks like a report. Ctrl-C (SIGINT) and SIGTERM stop a run
//! promptly with status 130 and write nothing.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SCENARIO: &str = "scenarios/ecs-blog.toml";
const PREVIOUS_RUNS: usize = 50;
const BIG_RUNS: usize = 10_000;

fn start(runs: usize, out: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_deploysim"))
        .args(["run", SCENARIO, "--threads", "1", "--runs"])
        .arg(runs.to_string())
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts")
}

/// Every file in the report folder is either a complete report (of the previous run or of
/// the killed one) or a hidden temporary file. Returns whether a temporary file was seen.
fn check_folder(folder: &Path, moment: &str) -> bool {
    let mut saw_temporary = false;
    let Ok(entries) = std::fs::read_dir(folder) else {
        return false;
    };
    for entry in entries {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        match name.as_str() {
            "replications.csv" => {
                let mut reader = csv::Reader::from_path(folder.join(&name)).unwrap();
                let columns = reader.headers().unwrap().len();
                let expected = deploysim::report::REPLICATION_COLUMNS.len();
                assert_eq!(columns, expected, "{moment}: CSV header cut short");
                let mut rows = 0;
                for (i, record) in reader.records().enumerate() {
                    let record =
                        record.unwrap_or_else(|e| panic!("{moment}: row {i} unreadable: {e}"));
                    assert_eq!(record.len(), expected, "{moment}: row {i} cut short");
                    assert_eq!(record[0], i.to_string(), "{moment}: rows out of order");
                    rows += 1;
                }
                assert!(
                    rows == PREVIOUS_RUNS || rows == BIG_RUNS,
                    "{moment}: replications.csv has {rows} rows: truncated"
                );
            }
            "summary.json" => {
                let text = std::fs::read_to_string(folder.join(&name)).unwrap();
                let json: serde_json::Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{moment}: summary.json does not parse: {e}"));
                let runs = json["run"]["runs"].as_u64().unwrap() as usize;
                assert!(
                    runs == PREVIOUS_RUNS || runs == BIG_RUNS,
                    "{moment}: runs {runs}"
                );
                assert_eq!(json["summary"]["runs"].as_u64(), Some(runs as u64));
            }
            other if other.ends_with(".svg") => {
                let text = std::fs::read_to_string(folder.join(other)).unwrap();
                assert!(
                    text.trim_end().ends_with("</svg>"),
                    "{moment}: {other} cut short"
                );
            }
            other if other.ends_with(".png") => {
                let bytes = std::fs::read(folder.join(other)).unwrap();
                assert!(
                    bytes.starts_with(b"\x89PNG"),
                    "{moment}: {other} is not a PNG"
                );
                assert!(
                    bytes.ends_with(b"IEND\xaeB`\x82"),
                    "{moment}: {other} cut short"
                );
            }
            "report.html" => {
                let text = std::fs::read_to_string(folder.join(&name)).unwrap();
                assert!(
                    text.trim_end().ends_with("</html>"),
                    "{moment}: report.html cut short"
                );
            }
            other => {
                assert!(
                    other.starts_with('.') && other.ends_with(".tmp"),
                    "{moment}: unexpected file {other} could be taken for a report"
                );
                saw_temporary = true;
            }
        }
    }
    saw_temporary
}

#[test]
fn a_killed_run_leaves_no_truncated_report() {
    // On the project's disk rather than /tmp, which may be a tmpfs where a write is too
    // quick to be caught in the middle.
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let folder = dir.path().join("ecs-blog");
    // A complete earlier run, which a killed run must leave whole (or replace whole).
    let status = start(PREVIOUS_RUNS, dir.path()).wait().unwrap();
    assert!(status.success());
    assert!(!check_folder(&folder, "after the first run"));

    // How long an uninterrupted big run takes here; then kill runs at moments spread over
    // that time.
    let began = Instant::now();
    assert!(start(BIG_RUNS, dir.path()).wait().unwrap().success());
    let full = began.elapsed();
    // Back to the previous run's reports, so either version may be found after a kill.
    assert!(start(PREVIOUS_RUNS, dir.path()).wait().unwrap().success());
    for fraction in [0.0, 0.3, 0.6, 0.9, 1.0] {
        let mut child = start(BIG_RUNS, dir.path());
        std::thread::sleep(full.mul_f64(fraction));
        let _ = child.kill(); // SIGKILL: no handler runs
        let _ = child.wait();
        check_folder(
            &folder,
            &format!("killed at {:.0}% of a full run", fraction * 100.0),
        );
    }

    // Then in the middle of a write: watch the folder and kill the moment a temporary
    // file appears (while its bytes are being written and synced), a little later for
    // the second file. Retried a few times, as the window is milliseconds.
    let mut mid_write = 0;
    for attempt in 0..12 {
        let mut child = start(BIG_RUNS, dir.path());
        let wanted = if attempt % 2 == 0 {
            ".replications"
        } else {
            ".summary"
        };
        let deadline = Instant::now() + full * 4;
        while Instant::now() < deadline && child.try_wait().unwrap().is_none() {
            let writing = std::fs::read_dir(&folder).into_iter().flatten().any(|e| {
                e.map(|e| e.file_name().to_string_lossy().starts_with(wanted))
                    .unwrap_or(false)
            });
            if writing {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        let _ = child.kill();
        let _ = child.wait();
        let moment = format!("killed while writing {wanted} (attempt {attempt})");
        mid_write += check_folder(&folder, &moment) as u32;
        if mid_write >= 2 {
            break;
        }
    }
    assert!(
        mid_write >= 1,
        "no kill landed while a report was being written"
    );
}

#[test]
fn ctrl_c_and_sigterm_stop_promptly_and_write_nothing() {
    for signal in ["-INT", "-TERM"] {
        let dir = tempfile::tempdir().unwrap();
        // Far more replications than can finish in the test's time.
        let mut child = start(5_000_000, dir.path());
        std::thread::sleep(Duration::from_millis(400));
        let sent = Instant::now();
        let status = Command::new("kill")
            .arg(signal)
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(status.success());
        let output = loop {
            if child.try_wait().unwrap().is_some() {
                break child.wait_with_output().unwrap();
            }
            assert!(
                sent.elapsed() < Duration::from_secs(20),
                "{signal}: the run did not stop"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(130), "{signal}: {stderr}");
        assert!(
            stderr.contains("interrupted after") && stderr.contains("nothing was written"),
            "{signal}: {stderr}"
        );
        let folder = dir.path().join("ecs-blog");
        let left: Vec<_> = std::fs::read_dir(&folder)
            .map(|d| d.map(|e| e.unwrap().file_name()).collect())
            .unwrap_or_default();
        assert!(left.is_empty(), "{signal}: files written: {left:?}");
    }
}

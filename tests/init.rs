//! `deploysim init PATH`: the starter scenario runs as it is, and an existing file is never
//! overwritten without --force.

use std::process::Command;

fn deploysim(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_deploysim"))
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn init_then_run_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("checkout-api.toml");
    let file = file.to_str().unwrap();
    let init = deploysim(&["init", file]);
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let said = String::from_utf8(init.stdout).unwrap();
    assert!(
        said.contains("wrote ") && said.contains("deploysim run "),
        "{said}"
    );
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains("name = \"checkout-api\""), "{text}");
    assert!(
        text.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count()
            > 30,
        "commented"
    );

    let out = dir.path().join("out");
    let run = deploysim(&["run", file, "--runs", "20", "--out", out.to_str().unwrap()]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let summary = String::from_utf8(run.stdout).unwrap();
    assert!(summary.contains("checkout-api"), "{summary}");
    assert!(out.join("checkout-api/report.html").exists());
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(&path, "# my own work\n").unwrap();
    let file = path.to_str().unwrap();
    let refused = deploysim(&["init", file]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8(refused.stderr).unwrap();
    assert!(
        stderr.contains("already exists") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# my own work\n");

    let forced = deploysim(&["init", file, "--force"]);
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("name = \"mine\"")
    );
}

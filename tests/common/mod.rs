//! Shared by the integration tests: docs/model.md section 10's scenario and a way to vary it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use deploysim::scenario::{Override, Scenario, from_text};

/// docs/model.md section 10: three one-task hosts and one spare, D = 3, 100%/200%, everything
/// instantaneous except a 10 s pull, 5 s checks (first at registration, 2 to be healthy)
/// and a 20 s deregistration delay.
pub const SECTION_10: &str = r#"
name = "section-10"
[cluster]
hosts = 3
spare_hosts = 1
host = { cpu = 1024, memory = 4096 }
[service]
desired = 3
task = { cpu = 256, memory = 3000 }
[deployment]
minimum_healthy_percent = 100
maximum_percent = 200
[scheduler]
mode = "reactive"
reaction = "0s"
[agent]
mode = "event"
latency = "0s"
report = "0s"
[launch]
image_pull = "10s"
cached_pull = "1s"
start = "0s"
warmup = "0s"
[health_check]
interval = "5s"
first_check = "0s"
initial_healthy_threshold = 2
[draining]
deregistration_delay = "20s"
shutdown = "0s"
"#;

/// The section 10 scenario with `--set`-style overrides.
pub fn section_10(overrides: &[&str]) -> Scenario {
    scenario_from(SECTION_10, overrides)
}

pub fn scenario_from(text: &str, overrides: &[&str]) -> Scenario {
    let overrides: Vec<Override> = overrides
        .iter()
        .map(|o| Override::parse(o).unwrap())
        .collect();
    from_text(text, "test.toml", Path::new("."), &overrides).unwrap_or_else(|e| panic!("{e}"))
}

/// A result's deploy time in seconds.
pub fn seconds(result: &deploysim::model::ReplicationResult) -> f64 {
    result.deploy.as_secs_f64()
}

/// A shipped example scenario: `scenarios/NAME`.
pub fn scenario_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// Runs the binary with `args` (scenario names are resolved to `scenarios/`), `--out` in a
/// fresh temporary folder.
pub fn deploysim(args: &[&str]) -> (Output, tempfile::TempDir) {
    let out = tempfile::tempdir().unwrap();
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            if a.ends_with(".toml") {
                scenario_path(a).display().to_string()
            } else {
                a.to_string()
            }
        })
        .collect();
    let output = Command::new(env!("CARGO_BIN_EXE_deploysim"))
        .args(&args)
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    (output, out)
}

//! MODEL.md section 10's worked examples, exactly.

use std::path::Path;

use deploysim::model::{Outcome, run_once};
use deploysim::scenario::{Override, Scenario, from_text};

const SECTION_10: &str = r#"
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
start = "0s"
warmup = "0s"
[health_check]
interval = "5s"
first_check = "0s"
healthy_threshold = 2
[draining]
deregistration_delay = "20s"
shutdown = "0s"
"#;

fn scenario(overrides: &[&str]) -> Scenario {
    let overrides: Vec<Override> = overrides.iter().map(|o| Override::parse(o).unwrap()).collect();
    from_text(SECTION_10, "section-10.toml", Path::new("."), &overrides).unwrap()
}

#[test]
fn one_spare_host_takes_105_seconds() {
    let result = run_once(&scenario(&[]), 1, 0);
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(result.deploy.as_secs_f64(), 105.0);
    assert_eq!(result.first_new_healthy.unwrap().as_secs_f64(), 15.0);
    assert_eq!(result.min_healthy, 3);
    assert_eq!(result.peak_active, 4);
}

#[test]
fn three_spare_hosts_take_35_seconds() {
    let result = run_once(&scenario(&["cluster.spare_hosts=3"]), 1, 0);
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(result.deploy.as_secs_f64(), 35.0);
}

#[test]
fn fifty_percent_min_healthy_takes_105_seconds_with_two_healthy() {
    let result = run_once(
        &scenario(&[
            "cluster.spare_hosts=0",
            "deployment.minimum_healthy_percent=50",
            "deployment.maximum_percent=100",
        ]),
        1,
        0,
    );
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(result.deploy.as_secs_f64(), 105.0);
    assert_eq!(result.min_healthy, 2);
}

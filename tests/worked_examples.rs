//! docs/model.md section 10's worked examples, exactly.

use deploysim::model::{Outcome, run_once};

mod common;

fn scenario(overrides: &[&str]) -> deploysim::scenario::Scenario {
    common::section_10(overrides)
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

//! CSV outputs: one row per replication, and one row per step of a trace.

use crate::engine::{SimDuration, format_seconds};
use crate::experiment::Summary;
use crate::model::{Detail, ReplicationResult, Step, StopCause};

/// The columns of `replications.csv`: `replication`, then docs/model.md section 9's names in
/// order, then the stuck reason, the traffic-shift columns, Fargate's billed task time
/// above D (empty on EC2), then the Kubernetes columns.
pub const REPLICATION_COLUMNS: [&str; 23] = [
    "replication",
    "outcome",
    "deploy_seconds",
    "first_new_healthy_seconds",
    "min_healthy",
    "deficit_task_seconds",
    "peak_active",
    "tasks_started",
    "tasks_failed",
    "placement_failures",
    "events",
    "scaled_hosts",
    "host_seconds_extra",
    "cost",
    "detection_seconds",
    "restored_seconds",
    "capacity_wait_seconds",
    "stuck_reason",
    "traffic_shifted_seconds",
    "bad_exposure_seconds",
    "task_seconds_extra",
    "early_terminations",
    "settled_seconds",
];

/// `replications.csv`, byte-identical for identical results. Replication numbers start at
/// `first_replication`.
pub fn replications_csv(results: &[ReplicationResult], first_replication: u64) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(64 * (results.len() + 1)));
    writer
        .write_record(REPLICATION_COLUMNS)
        .expect("writing to memory");
    for (offset, r) in results.iter().enumerate() {
        writer
            .write_record([
                (first_replication + offset as u64).to_string(),
                r.outcome.name().to_string(),
                format_seconds(r.deploy.micros()),
                r.first_new_healthy
                    .map(|d| format_seconds(d.micros()))
                    .unwrap_or_default(),
                r.min_healthy.to_string(),
                format_seconds(r.deficit_task_micros),
                r.peak_active.to_string(),
                r.tasks_started.to_string(),
                r.tasks_failed.to_string(),
                r.placement_failures.to_string(),
                r.events.to_string(),
                r.scaled_hosts.to_string(),
                format_seconds(r.host_micros_extra),
                r.cost.map(format_cost).unwrap_or_default(),
                r.detection
                    .map(|d| format_seconds(d.micros()))
                    .unwrap_or_default(),
                r.restored
                    .map(|d| format_seconds(d.micros()))
                    .unwrap_or_default(),
                format_seconds(r.capacity_wait.micros()),
                r.stuck_reason.map(|s| s.to_string()).unwrap_or_default(),
                r.traffic_shifted
                    .map(|d| format_seconds(d.micros()))
                    .unwrap_or_default(),
                format_seconds(r.bad_exposure_micros),
                r.task_micros_extra.map(format_seconds).unwrap_or_default(),
                r.early_terminations.to_string(),
                r.settled
                    .map(|d| format_seconds(d.micros()))
                    .unwrap_or_default(),
            ])
            .expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

/// The columns of `reasons.csv`: one row per kind of reason runs did not complete.
pub const REASON_COLUMNS: [&str; 7] = [
    "outcome",
    "kind",
    "runs",
    "share",
    "reason",
    "detail",
    "what_to_change",
];

/// `reasons.csv`: the summary's reason groups, in its order (outcome, then most runs).
pub fn reasons_csv(summary: &Summary) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(REASON_COLUMNS)
        .expect("writing to memory");
    let runs = summary.runs.max(1) as f64;
    for group in &summary.reasons {
        writer
            .write_record([
                group.outcome.clone(),
                group.kind.clone(),
                group.count.to_string(),
                (group.count as f64 / runs).to_string(),
                group.reason.clone(),
                group.detail.clone().unwrap_or_default(),
                group.advice.clone().unwrap_or_default(),
            ])
            .expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

/// One replication's steps as CSV: time in seconds, the task (empty for scheduler-wide
/// steps), its revision and host, the step, the scheduler's healthy and active counts
/// right after it (both revisions, and the new revision's), the hosts up and booting,
/// and a readable detail.
pub fn trace_csv(steps: &[Step]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(80 * (steps.len() + 1)));
    writer
        .write_record([
            "time",
            "task",
            "revision",
            "host",
            "event",
            "healthy",
            "active",
            "new_healthy",
            "new_active",
            "hosts_up",
            "hosts_booting",
            "detail",
        ])
        .expect("writing to memory");
    for step in steps {
        let counts = step.counts;
        writer
            .write_record([
                format_seconds(step.time.micros()),
                step.task.map(|t| t.to_string()).unwrap_or_default(),
                step.revision
                    .map(|r| r.name().to_string())
                    .unwrap_or_default(),
                step.host.map(|h| h.to_string()).unwrap_or_default(),
                step.kind.name().to_string(),
                counts.healthy.to_string(),
                counts.active.to_string(),
                counts.new_healthy.to_string(),
                counts.new_active.to_string(),
                counts.hosts_up.to_string(),
                counts.hosts_booting.to_string(),
                describe(&step.detail),
            ])
            .expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

fn describe(detail: &Detail) -> String {
    match detail {
        Detail::None => String::new(),
        Detail::Takes(d) => format!("takes {}", seconds(*d)),
        Detail::Warmup(d) => format!("warm-up {}", seconds(*d)),
        Detail::FirstCheck(d) => format!("first check in {}", seconds(*d)),
        Detail::Pull { cached, takes } => format!(
            "{} pull, takes {}",
            if *cached { "cached" } else { "full" },
            seconds(*takes)
        ),
        Detail::Stop {
            cause: StopCause::Deleted,
            was_healthy,
            drain,
        } => format!(
            "deleted by the ReplicaSet controller{}, out of the endpoints in {}",
            if *was_healthy { ", was available" } else { "" },
            seconds(*drain)
        ),
        Detail::Stop {
            cause,
            was_healthy,
            drain,
        } => format!(
            "{}{}, drains {}",
            match cause {
                StopCause::Scheduler => "by the scheduler",
                StopCause::Unhealthy => "unhealthy",
                StopCause::Rollback => "launch cancelled by the rollback",
                StopCause::Deleted => unreachable!("described above"),
            },
            if *was_healthy { ", was healthy" } else { "" },
            seconds(*drain)
        ),
        Detail::Evaluation { stopped, started } => format!("stopped {stopped}, started {started}"),
        Detail::Failures { count, threshold } => {
            format!("{count} failures reach the threshold {threshold}")
        }
        Detail::Launch { boot, warmup } => {
            format!("boots in {}, warm-up {}", seconds(*boot), seconds(*warmup))
        }
        Detail::Stuck(reason) => reason.to_string(),
        Detail::Stage(stage) => stage.name().to_string(),
        Detail::Green { basis_points } => {
            format!(
                "{}% of production traffic on the new revision",
                *basis_points as f64 / 100.0
            )
        }
    }
}

/// A step's duration for people: seconds with millisecond precision.
fn seconds(duration: SimDuration) -> String {
    format!("{:.3}s", duration.as_secs_f64())
}

/// Money with six decimals, trailing zeros trimmed (exact for a given f64, so the same
/// everywhere).
fn format_cost(cost: f64) -> String {
    let text = format!("{cost:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() {
        "0".to_string()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Outcome, StuckReason};

    /// A result with every count zero and every optional column absent.
    fn blank(outcome: Outcome) -> ReplicationResult {
        ReplicationResult {
            outcome,
            stuck_reason: None,
            deploy: SimDuration(0),
            first_new_healthy: None,
            min_healthy: 0,
            deficit_task_micros: 0,
            peak_active: 0,
            tasks_started: 0,
            tasks_failed: 0,
            placement_failures: 0,
            events: 0,
            detection: None,
            restored: None,
            capacity_wait: SimDuration(0),
            scaled_hosts: 0,
            host_micros_extra: 0,
            task_micros_extra: None,
            cost: None,
            traffic_shifted: None,
            bad_exposure_micros: 0,
            alarm_fired: false,
            early_terminations: 0,
            settled: None,
        }
    }

    #[test]
    fn rows_hold_exact_seconds_empty_absent_columns_and_quoted_reasons() {
        let results = [
            // ecs-blog's replication 0 (seed 7): every optional column absent, so empty.
            ReplicationResult {
                deploy: SimDuration(1_815_982_492),
                min_healthy: 5,
                peak_active: 6,
                tasks_started: 5,
                placement_failures: 12,
                events: 62,
                host_micros_extra: 1_815_982_492,
                capacity_wait: SimDuration(1_438_798_199),
                ..blank(Outcome::Completed)
            },
            // Every optional column present. Microseconds print as seconds with trailing
            // zeros cut: 600,000,000 -> 600, 500,000 -> 0.5, 1 -> 0.000001,
            // 30,000,010 -> 30.00001; cost 0.25 prints "0.250000" trimmed to 0.25.
            ReplicationResult {
                deploy: SimDuration(600_000_000),
                first_new_healthy: Some(SimDuration(500_000)),
                min_healthy: 3,
                deficit_task_micros: 1,
                peak_active: 7,
                tasks_started: 9,
                tasks_failed: 4,
                events: 1_234_567,
                scaled_hosts: 2,
                host_micros_extra: 7_200_000_000,
                cost: Some(0.25),
                detection: Some(SimDuration(90_010_000)),
                restored: Some(SimDuration(120_100_000)),
                traffic_shifted: Some(SimDuration(30_000_010)),
                bad_exposure_micros: 12_345_678,
                task_micros_extra: Some(3_600_000_000),
                early_terminations: 2,
                settled: Some(SimDuration(610_250_000)),
                alarm_fired: true,
                ..blank(Outcome::RolledBack)
            },
            // The largest counts; a cost below a millionth prints "0.000000", trimmed to 0;
            // the reason holds commas, so it is quoted.
            ReplicationResult {
                deploy: SimDuration(86_400_000_001),
                peak_active: u32::MAX,
                events: u64::MAX,
                cost: Some(1e-7),
                stuck_reason: Some(StuckReason::NoHostFits {
                    new_active: 3,
                    desired: 10,
                }),
                ..blank(Outcome::Stuck)
            },
            // A reason without a comma or quote is not quoted; 12.5 prints "12.500000".
            ReplicationResult {
                deploy: SimDuration(1_000_000),
                cost: Some(12.5),
                stuck_reason: Some(StuckReason::MinMaxDeadlock { min: 4, max: 5 }),
                ..blank(Outcome::Stuck)
            },
        ];
        let expected = concat!(
            "replication,outcome,deploy_seconds,first_new_healthy_seconds,min_healthy,",
            "deficit_task_seconds,peak_active,tasks_started,tasks_failed,placement_failures,",
            "events,scaled_hosts,host_seconds_extra,cost,detection_seconds,restored_seconds,",
            "capacity_wait_seconds,stuck_reason,traffic_shifted_seconds,bad_exposure_seconds,",
            "task_seconds_extra,early_terminations,settled_seconds\n",
            "41,completed,1815.982492,,5,0,6,5,0,12,62,0,1815.982492,,,,1438.798199,,,0,,0,\n",
            "42,rolled_back,600,0.5,3,0.000001,7,9,4,0,1234567,2,7200,0.25,90.01,120.1,0,,",
            "30.00001,12.345678,3600,2,610.25\n",
            "43,stuck,86400.000001,,0,0,4294967295,0,0,0,18446744073709551615,0,0,0,,,0,",
            "\"a new task fits on no host (3 of 10 new tasks placed; add spare hosts, lower ",
            "minimum_healthy_percent, or shrink the task)\",,0,,0,\n",
            "44,stuck,1,,0,0,0,0,0,0,0,0,0,12.5,,,0,MIN (4 healthy) and MAX (5 active) allow ",
            "neither a stop nor a start (raise maximum_percent or lower ",
            "minimum_healthy_percent),,0,,0,\n",
        );
        let bytes = replications_csv(&results, 41);
        assert_eq!(String::from_utf8(bytes).unwrap(), expected);
    }
}

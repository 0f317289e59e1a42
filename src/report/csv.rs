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

//! The terminal summary of a run: aligned, durations in human units.

use std::fmt::Write;

use super::RunInfo;
use crate::experiment::Summary;
use crate::experiment::costs::DailyCost;
use crate::model::Outcome;
use crate::scenario::format_human;

pub fn run_summary_text(
    info: &RunInfo,
    summary: &Summary,
    costs: &DailyCost,
    files: &[String],
) -> String {
    let mut out = String::new();
    let runs = summary.runs.max(1) as f64;
    let _ = writeln!(
        out,
        "{} ({}): {} replications, seed {}",
        info.scenario, info.file, summary.runs, info.seed
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "  {:<12} {:>8} {:>7}", "outcome", "runs", "share");
    // Model order; the outcomes that need a feature switched on only when they occur.
    for outcome in Outcome::ALL {
        let count = summary.count(outcome);
        let always = matches!(
            outcome,
            Outcome::Completed | Outcome::Stuck | Outcome::Timeout
        );
        if always || count > 0 {
            let _ = writeln!(
                out,
                "  {:<12} {:>8} {:>6.1}%",
                outcome.name(),
                count,
                100.0 * count as f64 / runs
            );
        }
        // Why, grouped by kind under the outcome's row: one line per kind, not per count.
        for group in summary
            .reasons
            .iter()
            .filter(|g| g.outcome == outcome.name())
        {
            let _ = writeln!(out, "    {} x {}", group.count, group.label());
            if let Some(advice) = &group.advice {
                let _ = writeln!(out, "      what to change: {advice}");
            }
        }
    }
    let _ = writeln!(out);
    match &summary.deploy_seconds {
        Some(d) => {
            let _ = writeln!(out, "  deploy time over the {} completed runs:", d.count);
            let _ = writeln!(
                out,
                "  {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
                "mean", "p50", "p90", "p95", "p99", "max"
            );
            let _ = writeln!(
                out,
                "  {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
                format_human(d.mean),
                format_human(d.p50),
                format_human(d.p90),
                format_human(d.p95),
                format_human(d.p99),
                format_human(d.max)
            );
        }
        None => {
            let _ = writeln!(out, "  no run completed");
        }
    }
    if let Some(target) = &summary.target {
        let _ = writeln!(
            out,
            "  within target {}: {} of {} runs = {:.1}% (95% CI {:.1}%-{:.1}%)",
            format_human(target.target_seconds),
            target.within,
            target.runs,
            100.0 * target.share,
            100.0 * target.ci_low,
            100.0 * target.ci_high
        );
    }
    if let Some(first) = &summary.first_new_healthy_seconds {
        let _ = writeln!(
            out,
            "  first new task healthy: p50 {}, p95 {}",
            format_human(first.p50),
            format_human(first.p95)
        );
    }
    if let (Some(min_healthy), Some(deficit)) =
        (&summary.min_healthy, &summary.deficit_task_seconds)
    {
        let deficit = if deficit.max == 0.0 {
            "none".to_string()
        } else {
            format!(
                "mean {}, p95 {}",
                format_human(deficit.mean),
                format_human(deficit.p95)
            )
        };
        let _ = writeln!(
            out,
            "  healthy tasks: lowest {} in any run; capacity deficit (missing tasks x time): {deficit}",
            min_healthy.min,
        );
    }
    if let Some(shifted) = &summary.traffic_shifted_seconds {
        let _ = writeln!(
            out,
            "  all production traffic on the new revision after p50 {}, p95 {} ({} runs)",
            format_human(shifted.p50),
            format_human(shifted.p95),
            shifted.count
        );
    }
    if let Some(exposure) = &summary.bad_exposure_seconds
        && exposure.max > 0.0
    {
        let _ = writeln!(
            out,
            "  bad revision's exposure (seconds of full production traffic): mean {:.0} s per deploy, p95 {:.0} s, max {:.0} s",
            exposure.mean, exposure.p95, exposure.max
        );
    }
    if let Some(detection) = &summary.detection_seconds {
        let _ = writeln!(
            out,
            "  failure detected (circuit breaker or alarm) in {} runs, after p50 {} (p95 {})",
            detection.count,
            format_human(detection.p50),
            format_human(detection.p95)
        );
    }
    if let Some(restored) = &summary.restored_seconds {
        let _ = writeln!(
            out,
            "  service restored (D old tasks healthy) after p50 {} (p95 {}) in {} rolled-back runs",
            format_human(restored.p50),
            format_human(restored.p95),
            restored.count
        );
    }
    if let Some(wait) = &summary.capacity_wait_seconds
        && wait.max > 0.0
    {
        let _ = writeln!(
            out,
            "  waiting for room to start a task: mean {}, p95 {} per deploy",
            format_human(wait.mean),
            format_human(wait.p95)
        );
    }
    if let Some(scaled) = &summary.scaled_hosts
        && scaled.max > 0.0
    {
        let _ = writeln!(
            out,
            "  hosts launched by scaling: mean {:.1}, max {:.0}",
            scaled.mean, scaled.max
        );
    }
    if let Some(settled) = &summary.settled_seconds {
        let _ = writeln!(
            out,
            "  settled (last old pod gone): p50 {}, p95 {}",
            format_human(settled.p50),
            format_human(settled.p95)
        );
    }
    if let Some(early) = &summary.early_terminations {
        let _ = writeln!(
            out,
            "  early terminations (SIGTERM while still receiving requests): mean {:.2}, max {:.0} per rollout",
            early.mean, early.max
        );
    }
    for line in super::costs::cost_lines(costs) {
        let _ = writeln!(out, "  {line}");
    }
    if let Some(extra) = &summary.task_seconds_extra {
        let _ = write!(
            out,
            "  Fargate tasks billed above D per deploy: mean {:.2} task-hours",
            extra.mean / 3600.0
        );
        if let Some(cost) = &summary.cost {
            let _ = write!(out, ", cost mean {:.3} (p95 {:.3})", cost.mean, cost.p95);
        }
        let _ = writeln!(out);
    }
    files_written(&mut out, files);
    out
}

/// The closing "wrote ..." lines every command prints, after a blank line.
pub(super) fn files_written(out: &mut String, files: &[String]) {
    if !files.is_empty() {
        let _ = writeln!(out);
        for file in files {
            let _ = writeln!(out, "  wrote {file}");
        }
    }
}

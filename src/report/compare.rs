//! `compare`'s outputs: `compare.csv` (one paired row per replication), its JSON document
//! and its terminal text.

use std::fmt::Write;

use serde::Serialize;

use super::csv::RowBuffer;
use crate::experiment::compare::{Comparison, PairedMean, QuantileDiff};
use crate::model::{Outcome, ReplicationResult};
use crate::scenario::format_human;

/// What was compared: enough to reproduce it.
#[derive(Clone, Debug, Serialize)]
pub struct CompareInfo {
    pub a_scenario: String,
    pub a_file: String,
    pub b_scenario: String,
    pub b_file: String,
    /// `--set-b` overrides that make B from its file.
    pub b_overrides: Vec<String>,
    pub runs: u32,
    pub seed: u64,
    pub command: String,
    /// What each side runs on (EC2 host groups or Fargate), in a few words.
    pub a_runs_on: String,
    pub b_runs_on: String,
    /// Each side's running cost per day between deploys, when priced.
    pub a_per_day: Option<f64>,
    pub b_per_day: Option<f64>,
}

impl CompareInfo {
    /// "running cost per day: A 18.43, B 11.85" when both sides are priced.
    pub fn per_day_line(&self) -> Option<String> {
        let (a, b) = (self.a_per_day?, self.b_per_day?);
        Some(format!(
            "running cost per day between deploys (every host up, or D Fargate tasks): A {a:.2}, B {b:.2}, B - A {:+.2}",
            b - a
        ))
    }
}

pub const COMPARE_COLUMNS: [&str; 14] = [
    "replication",
    "a_outcome",
    "b_outcome",
    "a_deploy_seconds",
    "b_deploy_seconds",
    "diff_deploy_seconds",
    "first",
    "a_min_healthy",
    "b_min_healthy",
    "a_deficit_task_seconds",
    "b_deficit_task_seconds",
    "diff_deficit_task_seconds",
    "a_host_seconds_extra",
    "b_host_seconds_extra",
];

/// `b - a` in microseconds as exact decimal seconds, signed.
fn signed_seconds(row: &mut RowBuffer, a: u64, b: u64) {
    if b >= a {
        row.seconds(b - a);
    } else {
        row.word("-");
        row.seconds(a - b);
    }
}

/// `compare.csv`: replication `r` of A beside replication `r` of B. `diff_deploy_seconds`
/// is empty unless both completed; `first` is `a`, `b` or `tie`, a completed run beating
/// one that did not complete. Rows go into one buffer: no allocation per field.
pub fn compare_csv(a: &[ReplicationResult], b: &[ReplicationResult]) -> Vec<u8> {
    let mut row = RowBuffer::with_capacity(100 * (a.len() + 1));
    row.header(&COMPARE_COLUMNS);
    for (r, (x, y)) in a.iter().zip(b).enumerate() {
        let done = |r: &ReplicationResult| r.outcome == Outcome::Completed;
        let first = match (done(x), done(y)) {
            (true, true) if y.deploy < x.deploy => "b",
            (true, true) if x.deploy < y.deploy => "a",
            (false, true) => "b",
            (true, false) => "a",
            _ => "tie",
        };
        row.integer(r as u64);
        row.comma();
        row.word(x.outcome.name());
        row.comma();
        row.word(y.outcome.name());
        row.comma();
        row.seconds(x.deploy.micros());
        row.comma();
        row.seconds(y.deploy.micros());
        row.comma();
        if done(x) && done(y) {
            signed_seconds(&mut row, x.deploy.micros(), y.deploy.micros());
        }
        row.comma();
        row.word(first);
        row.comma();
        row.integer(u64::from(x.min_healthy));
        row.comma();
        row.integer(u64::from(y.min_healthy));
        row.comma();
        row.seconds(x.deficit_task_micros);
        row.comma();
        row.seconds(y.deficit_task_micros);
        row.comma();
        signed_seconds(&mut row, x.deficit_task_micros, y.deficit_task_micros);
        row.comma();
        row.seconds(x.host_micros_extra);
        row.comma();
        row.seconds(y.host_micros_extra);
        row.word("\n");
    }
    row.bytes
}

#[derive(Serialize)]
struct CompareDocument<'a> {
    run: &'a CompareInfo,
    #[serde(flatten)]
    comparison: &'a Comparison,
    notes: Vec<String>,
}

/// The JSON document `--format json` prints.
pub fn compare_json(info: &CompareInfo, comparison: &Comparison) -> String {
    let document = CompareDocument {
        run: info,
        comparison,
        notes: compare_notes(comparison),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("comparisons serialise");
    text.push('\n');
    text
}

/// A signed duration for people: `+1m08s`, `-300ms`, `0s`.
pub(super) fn signed_human(seconds: f64) -> String {
    if seconds == 0.0 {
        "0s".to_string()
    } else if seconds > 0.0 {
        format!("+{}", format_human(seconds))
    } else {
        format!("-{}", format_human(-seconds))
    }
}

pub(super) fn interval_text(
    low: Option<f64>,
    high: Option<f64>,
    show: fn(f64) -> String,
) -> String {
    let bound = |b: Option<f64>| b.map_or("unbounded".to_string(), show);
    format!("{} to {}", bound(low), bound(high))
}

/// Whether an interval lies wholly above or below zero.
fn excludes_zero(low: Option<f64>, high: Option<f64>) -> bool {
    matches!((low, high), (Some(l), _) if l > 0.0) || matches!((low, high), (_, Some(h)) if h < 0.0)
}

/// The reading of the comparison, line by line (shared by text and JSON).
pub fn compare_notes(c: &Comparison) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(mean) = &c.deploy_seconds_mean {
        let verdict = if mean.diff == 0.0 && mean.ci_low == Some(0.0) && mean.ci_high == Some(0.0) {
            "no difference at all: every pair took the same time".to_string()
        } else if excludes_zero(mean.ci_low, mean.ci_high) {
            format!(
                "B is {} on average, and the 95% interval excludes zero",
                if mean.diff > 0.0 { "slower" } else { "faster" }
            )
        } else {
            "the 95% interval of the mean difference includes zero: no clear difference at these runs".to_string()
        };
        notes.push(verdict);
    }
    let not_completed = c.runs * 2
        - c.outcomes_a.get("completed").copied().unwrap_or(0)
        - c.outcomes_b.get("completed").copied().unwrap_or(0);
    if not_completed > 0 {
        notes.push(format!(
            "{not_completed} runs did not complete: the mean is over the {} pairs where both completed; p50 and p95 count a run that did not complete as slower than any that did (\"not reached\" when the quantile falls on one); \"first\" counts a completed run as beating one that did not complete",
            c.both_completed
        ));
    }
    notes.push(format!(
        "paired by replication with the same seeds on both sides (common random numbers); mean: Student t on the per-pair differences; p50, p95: paired percentile bootstrap, {} resamples seeded from the run's seed",
        c.bootstrap_resamples
    ));
    notes
}

fn quantile_row(name: &str, q: &QuantileDiff) -> String {
    let show = |v: Option<f64>| v.map_or("not reached".to_string(), format_human);
    format!(
        "  {:<6} {:>11} {:>11} {:>10}   {}",
        name,
        show(q.a),
        show(q.b),
        q.diff.map_or("-".to_string(), signed_human),
        if q.diff.is_some() {
            interval_text(q.ci_low, q.ci_high, signed_human)
        } else {
            "-".to_string()
        }
    )
}

/// `+1.23` or `+0.0123`: a signed number with 2 or 4 decimals.
pub(super) fn signed_with(digits: usize) -> fn(f64) -> String {
    if digits > 2 {
        |v| format!("{v:+.4}")
    } else {
        |v| format!("{v:+.2}")
    }
}

fn paired_line(name: &str, m: &Option<PairedMean>) -> String {
    match m {
        Some(m) => {
            // Small means (a few cents per deploy) need more than two decimals.
            let digits = if m.mean_a.abs().max(m.mean_b.abs()) < 1.0 {
                4
            } else {
                2
            };
            format!(
                "  {name}: mean A {:.*}, B {:.*}, B - A {:+.*} (95% CI {})",
                digits,
                m.mean_a,
                digits,
                m.mean_b,
                digits,
                m.diff,
                interval_text(m.ci_low, m.ci_high, signed_with(digits))
            )
        }
        None => format!("  {name}: no pairs"),
    }
}

/// The terminal text.
pub fn compare_text(info: &CompareInfo, c: &Comparison, files: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "compare: B - A over {} paired replications, seed {} (the same seeds on both sides)",
        c.runs, c.seed
    );
    let _ = writeln!(out, "  A: {} ({})", info.a_scenario, info.a_file);
    let _ = writeln!(out, "     {}", info.a_runs_on);
    let mut b = format!("  B: {} ({})", info.b_scenario, info.b_file);
    if !info.b_overrides.is_empty() {
        let _ = write!(b, " with --set-b {}", info.b_overrides.join(" --set-b "));
    }
    let _ = writeln!(out, "{b}");
    let _ = writeln!(out, "     {}", info.b_runs_on);
    let _ = writeln!(out);
    let _ = writeln!(out, "  {:<11} {:>7} {:>7}", "outcome", "A", "B");
    for outcome in Outcome::ALL.map(Outcome::name) {
        let count = |counts: &std::collections::BTreeMap<String, u64>| {
            counts.get(outcome).copied().unwrap_or(0)
        };
        let (count_a, count_b) = (count(&c.outcomes_a), count(&c.outcomes_b));
        let _ = writeln!(out, "  {outcome:<11} {count_a:>7} {count_b:>7}");
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "  {:<6} {:>11} {:>11} {:>10}   95% CI of B - A",
        "deploy", "A", "B", "B - A"
    );
    match &c.deploy_seconds_mean {
        Some(m) => {
            let _ = writeln!(
                out,
                "  {:<6} {:>11} {:>11} {:>10}   {}   ({} pairs where both completed)",
                "mean",
                format_human(m.mean_a),
                format_human(m.mean_b),
                signed_human(m.diff),
                interval_text(m.ci_low, m.ci_high, signed_human),
                m.pairs
            );
        }
        None => {
            let _ = writeln!(out, "  mean   no pair where both completed");
        }
    }
    let _ = writeln!(out, "{}", quantile_row("p50", &c.deploy_seconds_p50));
    let _ = writeln!(out, "{}", quantile_row("p95", &c.deploy_seconds_p95));
    let first = &c.finished_first;
    let _ = writeln!(
        out,
        "  B finished first in {} of {} pairs = {:.1}% (95% CI {:.1}%-{:.1}%); A first in {}, ties {}",
        first.b_first,
        c.runs,
        100.0 * first.share_b_first,
        100.0 * first.ci_low,
        100.0 * first.ci_high,
        first.a_first,
        first.ties
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", paired_line("min_healthy", &c.min_healthy));
    if let (Some(a), Some(b)) = (c.lowest_min_healthy_a, c.lowest_min_healthy_b) {
        let _ = writeln!(out, "    lowest in any run: A {a}, B {b}");
    }
    // Seconds of task or host time, shown in hours.
    let hours = |m: &Option<PairedMean>| {
        m.as_ref().map(|m| PairedMean {
            mean_a: m.mean_a / 3600.0,
            mean_b: m.mean_b / 3600.0,
            diff: m.diff / 3600.0,
            ci_low: m.ci_low.map(|v| v / 3600.0),
            ci_high: m.ci_high.map(|v| v / 3600.0),
            ..m.clone()
        })
    };
    let _ = writeln!(
        out,
        "{}",
        paired_line(
            "capacity deficit, missing task-hours per deploy",
            &hours(&c.deficit_task_seconds)
        )
    );
    let _ = writeln!(
        out,
        "{}",
        paired_line(
            "spare and scaled-out host-hours per deploy",
            &hours(&c.host_seconds_extra)
        )
    );
    if c.cost.is_some() {
        let _ = writeln!(out, "{}", paired_line("cost per deploy", &c.cost));
    }
    if c.bad_exposure_seconds.is_some() {
        let _ = writeln!(
            out,
            "{}",
            paired_line(
                "bad revision's exposure (s of full traffic)",
                &c.bad_exposure_seconds
            )
        );
    }
    if let Some(line) = info.per_day_line() {
        let _ = writeln!(out, "  {line}");
    }
    let _ = writeln!(out);
    for note in compare_notes(c) {
        let _ = writeln!(out, "  {note}");
    }
    super::text::files_written(&mut out, files);
    out
}

/// `compare.svg` / `compare.png`: both deploy-time CDFs and the paired differences
/// (charts::CompareChart).
pub fn compare_chart(
    info: &CompareInfo,
    a: &[ReplicationResult],
    b: &[ReplicationResult],
) -> Result<super::RenderedChart, super::charts::ChartError> {
    let completed = |results: &[ReplicationResult]| -> Vec<f64> {
        results
            .iter()
            .filter(|r| r.outcome == Outcome::Completed)
            .map(|r| r.deploy.as_secs_f64())
            .collect()
    };
    let (seconds_a, seconds_b) = (completed(a), completed(b));
    let differences: Vec<f64> = a
        .iter()
        .zip(b)
        .filter(|(x, y)| x.outcome == Outcome::Completed && y.outcome == Outcome::Completed)
        .map(|(x, y)| y.deploy.as_secs_f64() - x.deploy.as_secs_f64())
        .collect();
    let label_a = format!("A: {}", info.a_scenario);
    let label_b = if info.b_overrides.is_empty() {
        format!("B: {}", info.b_scenario)
    } else {
        format!("B: {} {}", info.b_scenario, info.b_overrides.join(" "))
    };
    let chart = super::charts::CompareChart {
        scenario: &info.a_scenario,
        a: super::charts::CompareSeries {
            label: &label_a,
            runs: a.len() as u64,
            completed_seconds: &seconds_a,
        },
        b: super::charts::CompareSeries {
            label: &label_b,
            runs: b.len() as u64,
            completed_seconds: &seconds_b,
        },
        differences: &differences,
    };
    super::render(&chart, "compare")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::SimDuration;

    fn result(outcome: Outcome, deploy_micros: u64) -> ReplicationResult {
        ReplicationResult {
            deploy: SimDuration(deploy_micros),
            min_healthy: 3,
            deficit_task_micros: 1_500_000,
            peak_active: 4,
            tasks_started: 3,
            events: 10,
            host_micros_extra: deploy_micros,
            ..ReplicationResult::blank(outcome)
        }
    }

    #[test]
    fn paired_rows_sign_and_first() {
        let a = [
            result(Outcome::Completed, 105_000_000),
            result(Outcome::Completed, 35_000_000),
            result(Outcome::Stuck, 10_000_000),
        ];
        let b = [
            result(Outcome::Completed, 35_000_000),
            result(Outcome::Completed, 35_500_000),
            result(Outcome::Completed, 50_000_000),
        ];
        let csv = String::from_utf8(compare_csv(&a, &b)).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], COMPARE_COLUMNS.join(","));
        assert_eq!(
            lines[1],
            "0,completed,completed,105,35,-70,b,3,3,1.5,1.5,0,105,35"
        );
        assert_eq!(
            lines[2],
            "1,completed,completed,35,35.5,0.5,a,3,3,1.5,1.5,0,35,35.5"
        );
        // A did not complete: no difference, and B is first.
        assert_eq!(lines[3], "2,stuck,completed,10,50,,b,3,3,1.5,1.5,0,10,50");
    }

    #[test]
    fn signed_durations_read_naturally() {
        assert_eq!(signed_human(69.6), "+1m10s");
        assert_eq!(signed_human(-0.3), "-300ms");
        assert_eq!(signed_human(0.0), "0s");
    }
}

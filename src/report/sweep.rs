//! `sweep`'s outputs: `sweep.csv` (one summary row per grid point), its JSON document and
//! its terminal table. With a question (`--target`), each point also has its verdict and
//! the runs it used; without one, the outputs are exactly those of a sweep that asks none.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use super::RunInfo;
use super::plan::{money, number};
use crate::experiment::budget::thousands;
use crate::experiment::reasons::why_missed;
use crate::experiment::sweep::{Question, Verdict};
use crate::experiment::target::trim_number;
use crate::experiment::{Distribution, Summary};
use crate::model::Outcome;
use crate::scenario::format_human;

/// The statistics of every distribution, in column order.
const STATS: [&str; 8] = ["count", "mean", "min", "p50", "p90", "p95", "p99", "max"];

/// The summary's distributions in column order: duration and spare host cost first.
fn distributions(s: &Summary) -> [(&'static str, Option<&Distribution>); 15] {
    [
        ("deploy_seconds", s.deploy_seconds.as_ref()),
        ("host_seconds_extra", s.host_seconds_extra.as_ref()),
        ("cost", s.cost.as_ref()),
        (
            "first_new_healthy_seconds",
            s.first_new_healthy_seconds.as_ref(),
        ),
        ("min_healthy", s.min_healthy.as_ref()),
        ("deficit_task_seconds", s.deficit_task_seconds.as_ref()),
        ("peak_active", s.peak_active.as_ref()),
        ("tasks_started", s.tasks_started.as_ref()),
        ("tasks_failed", s.tasks_failed.as_ref()),
        ("placement_failures", s.placement_failures.as_ref()),
        ("events", s.events.as_ref()),
        ("detection_seconds", s.detection_seconds.as_ref()),
        ("restored_seconds", s.restored_seconds.as_ref()),
        ("capacity_wait_seconds", s.capacity_wait_seconds.as_ref()),
        ("scaled_hosts", s.scaled_hosts.as_ref()),
    ]
}

fn stat(d: &Distribution, name: &str) -> f64 {
    match name {
        "count" => d.count as f64,
        "mean" => d.mean,
        "min" => d.min,
        "p50" => d.p50,
        "p90" => d.p90,
        "p95" => d.p95,
        "p99" => d.p99,
        _ => d.max,
    }
}

/// The columns a question adds at the end of `sweep.csv`.
const QUESTION_COLUMNS: [&str; 4] = ["confidence", "verdict", "max_runs", "stopped_early"];

/// The point's verdict; `None` without a question (or, never in practice, a target).
pub fn point_verdict(summary: &Summary, question: Option<&Question>) -> Option<Verdict> {
    let question = question?;
    Some(Verdict::of(summary.target.as_ref()?, question.confidence))
}

/// Whether the point ran fewer than `runs` replications (it stopped once settled).
pub fn stopped_early(summary: &Summary, runs: u32) -> bool {
    summary.runs < u64::from(runs)
}

/// `stopped at 100 of 1,000 runs: settled`, for a point that stopped early.
pub fn stopped_words(summary: &Summary, runs: u32) -> Option<String> {
    super::plan::stopped_at(summary.runs, u64::from(runs))
}

/// `, 1,350 of 5,000 replications run (...)` when some point stopped early; empty
/// otherwise.
pub fn replications_used(points: &[(Vec<String>, Summary)], runs: u32) -> String {
    if !points.iter().any(|(_, s)| stopped_early(s, runs)) {
        return String::new();
    }
    let used: u64 = points.iter().map(|(_, s)| s.runs).sum();
    format!(
        ", {} of {} replications run (a point stops early once settled; --all-runs runs them all)",
        thousands(used),
        thousands(points.len() as u64 * u64::from(runs))
    )
}

/// `95%`, `99.9%`: a confidence as the question states it.
pub fn confidence_words(confidence: f64) -> String {
    format!("{}%", trim_number(100.0 * confidence))
}

/// `at least 95% of deploys within 20m: 2 points meet it, 3 miss it, 0 not settled`.
pub fn question_words(question: &Question, points: &[(Vec<String>, Summary)]) -> String {
    let count = |verdict: Verdict| {
        points
            .iter()
            .filter(|(_, s)| point_verdict(s, Some(question)) == Some(verdict))
            .count()
    };
    let meets = count(Verdict::Meets);
    let misses = count(Verdict::Misses);
    format!(
        "at least {} of deploys within {}: {meets} point{} {}, {misses} {}, {} not settled",
        confidence_words(question.confidence),
        format_human(question.target_seconds),
        if meets == 1 { "" } else { "s" },
        if meets == 1 { "meets it" } else { "meet it" },
        if misses == 1 { "misses it" } else { "miss it" },
        count(Verdict::NotSettled),
    )
}

/// The header of `sweep.csv` for these varied keys.
pub fn sweep_columns(keys: &[String], question: Option<&Question>) -> Vec<String> {
    let mut columns: Vec<String> = keys.to_vec();
    columns.push("runs".into());
    columns.extend(Outcome::ALL.iter().map(|o| o.name().to_string()));
    columns.extend(
        [
            "target_seconds",
            "within_target",
            "target_share",
            "target_ci_low",
            "target_ci_high",
        ]
        .map(String::from),
    );
    let empty = Summary::of(&[], None);
    for (name, _) in distributions(&empty) {
        columns.extend(STATS.iter().map(|s| format!("{name}_{s}")));
    }
    columns.push("why".into());
    if question.is_some() {
        columns.extend(QUESTION_COLUMNS.map(String::from));
    }
    columns
}

/// Why a point's runs missed the target (or, without one, did not complete), grouped by
/// kind; empty when every run made it.
pub(super) fn point_why(summary: &Summary) -> String {
    let completed = summary.count(Outcome::Completed);
    match &summary.target {
        Some(t) => why_missed(
            &summary.reasons,
            completed.saturating_sub(t.within),
            &format_human(t.target_seconds),
        ),
        None => why_missed(&summary.reasons, 0, ""),
    }
}

/// `sweep.csv`: the point's values (as given), then every summary statistic; empty cells
/// where a statistic has no value (say, no run completed). With a question, `runs` is the
/// replications the point ran and the statistics are over those; the question's columns
/// come last (`runs` is the most a point may run).
pub fn sweep_csv(
    keys: &[String],
    points: &[(Vec<String>, Summary)],
    question: Option<&Question>,
    runs: u32,
) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(sweep_columns(keys, question))
        .expect("writing to memory");
    for (values, summary) in points {
        let mut record: Vec<String> = values.clone();
        record.push(summary.runs.to_string());
        record.extend(Outcome::ALL.iter().map(|o| summary.count(*o).to_string()));
        let target = summary.target.as_ref();
        record.push(number(target.map(|t| t.target_seconds)));
        record.push(target.map(|t| t.within.to_string()).unwrap_or_default());
        record.push(number(target.map(|t| t.share)));
        record.push(number(target.map(|t| t.ci_low)));
        record.push(number(target.map(|t| t.ci_high)));
        for (_, distribution) in distributions(summary) {
            record.extend(
                STATS
                    .iter()
                    .map(|s| number(distribution.map(|d| stat(d, s)))),
            );
        }
        record.push(point_why(summary));
        if let Some(question) = question {
            record.push(question.confidence.to_string());
            record.push(
                point_verdict(summary, Some(question))
                    .map(|v| v.words().replace(' ', "_"))
                    .unwrap_or_default(),
            );
            record.push(runs.to_string());
            record.push(stopped_early(summary, runs).to_string());
        }
        writer.write_record(record).expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

#[derive(Serialize)]
struct SweepPoint<'a> {
    values: BTreeMap<&'a str, &'a str>,
    /// With a question only.
    #[serde(skip_serializing_if = "Option::is_none")]
    verdict: Option<Verdict>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stopped_early: Option<bool>,
    summary: &'a Summary,
}

#[derive(Serialize)]
struct SweepDocument<'a> {
    run: &'a RunInfo,
    vary: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    question: Option<&'a Question>,
    /// With a question: the replications every point ran together.
    #[serde(skip_serializing_if = "Option::is_none")]
    replications_run: Option<u64>,
    points: Vec<SweepPoint<'a>>,
}

/// The JSON document `--format json` prints: the run, the varied keys, the question if
/// any, and every point's values, verdict and full summary.
pub fn sweep_json(
    info: &RunInfo,
    keys: &[String],
    points: &[(Vec<String>, Summary)],
    question: Option<&Question>,
) -> String {
    let document = SweepDocument {
        run: info,
        vary: keys,
        question,
        replications_run: question.map(|_| points.iter().map(|(_, s)| s.runs).sum()),
        points: points
            .iter()
            .map(|(values, summary)| SweepPoint {
                values: keys
                    .iter()
                    .map(String::as_str)
                    .zip(values.iter().map(String::as_str))
                    .collect(),
                verdict: point_verdict(summary, question),
                stopped_early: question.map(|_| stopped_early(summary, info.runs)),
                summary,
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("sweeps serialise");
    text.push('\n');
    text
}

/// The terminal table: one line per point. With a question, each line also has the runs
/// the point ran and its verdict, and a point that stopped early says so.
pub fn sweep_text(
    info: &RunInfo,
    keys: &[String],
    points: &[(Vec<String>, Summary)],
    question: Option<&Question>,
    files: &[String],
) -> String {
    let mut out = String::new();
    match question {
        None => {
            let _ = writeln!(
                out,
                "sweep {} ({}): {} points x {} replications, seed {} at every point",
                info.scenario,
                info.file,
                points.len(),
                info.runs,
                info.seed
            );
        }
        Some(question) => {
            let used = replications_used(points, info.runs);
            let _ = writeln!(
                out,
                "sweep {} ({}): {} points x {}{} replications, seed {} at every point{used}",
                info.scenario,
                info.file,
                points.len(),
                if used.is_empty() { "" } else { "up to " },
                thousands(u64::from(info.runs)),
                info.seed
            );
            let _ = writeln!(out, "question: {}", question_words(question, points));
        }
    }
    let _ = writeln!(out);
    let widths: Vec<usize> = keys
        .iter()
        .enumerate()
        .map(|(i, key)| {
            points
                .iter()
                .map(|(values, _)| values[i].len())
                .chain([key.len()])
                .max()
                .unwrap_or(1)
        })
        .collect();
    let mut header = String::from(" ");
    for (key, width) in keys.iter().zip(&widths) {
        let _ = write!(header, " {key:>width$}");
    }
    let within = match question {
        None => "within target (95% CI)".to_string(),
        Some(q) => format!("within {} (95% CI)", format_human(q.target_seconds)),
    };
    if question.is_some() {
        let _ = write!(header, " {:>7}", "runs");
    }
    // A long target (`within 1h30m15s`) widens the column rather than shift the rows.
    let within_width = within.chars().count().max(22);
    let _ = write!(
        header,
        " {:>7} {:>9} {:>9} {within:>within_width$}",
        "done", "p50", "p95"
    );
    if question.is_some() {
        let _ = write!(header, " {:>11}", "verdict");
    }
    let _ = writeln!(out, "{header} {:>9} {:>9}  why", "spare h", "cost");
    for (values, summary) in points {
        let mut line = String::from(" ");
        for (value, width) in values.iter().zip(&widths) {
            let _ = write!(line, " {value:>width$}");
        }
        if question.is_some() {
            let _ = write!(line, " {:>7}", summary.runs);
        }
        let runs = summary.runs.max(1) as f64;
        let deploy = summary.deploy_seconds.as_ref();
        let target = summary.target.as_ref().map_or("-".to_string(), |t| {
            format!(
                "{:.1}% ({:.1}-{:.1}%)",
                100.0 * t.share,
                100.0 * t.ci_low,
                100.0 * t.ci_high
            )
        });
        let _ = write!(
            line,
            " {:>6.1}% {:>9} {:>9} {:>within_width$}",
            100.0 * summary.count(Outcome::Completed) as f64 / runs,
            deploy.map_or("-".to_string(), |d| format_human(d.p50)),
            deploy.map_or("-".to_string(), |d| format_human(d.p95)),
            target,
        );
        let mut why = point_why(summary);
        if let Some(verdict) = point_verdict(summary, question) {
            let _ = write!(line, " {:>11}", verdict.words());
            if let Some(words) = stopped_words(summary, info.runs) {
                why = if why.is_empty() {
                    words
                } else {
                    format!("{words}; {why}")
                };
            }
        }
        let _ = writeln!(
            out,
            "{line} {:>9.2} {:>9}  {why}",
            summary.host_seconds_extra.as_ref().map_or(0.0, |d| d.mean) / 3600.0,
            summary
                .cost
                .as_ref()
                .map_or("-".to_string(), |d| money(d.mean)),
        );
    }
    match question {
        None => {
            let _ = writeln!(
                out,
                "  (done: share completed; p50, p95: deploy time of the completed runs; within target: completed within simulation.target over all runs; spare h: spare and scaled-out host-hours per deploy, mean; cost: its price, mean; why: the runs that missed, by kind)"
            );
        }
        Some(q) => {
            let target = format_human(q.target_seconds);
            let confidence = confidence_words(q.confidence);
            let _ = writeln!(
                out,
                "  (runs: the replications the point ran, 0 to runs-1 of seed {}; done: share completed; p50, p95: deploy time of the completed runs; within {target}: completed within {target} over all runs, with its 95% Wilson interval; verdict: meets when that interval lies wholly at or above {confidence}, misses when wholly below, not settled when it straddles {confidence} (more --runs would tell); spare h: spare and scaled-out host-hours per deploy, mean; cost: its price, mean; why: the runs that missed, by kind)",
                info.seed
            );
            if q.early_stop {
                let _ = writeln!(
                    out,
                    "  (a point stops after 50, 100, 200, ... runs once its interval, at a stricter z for looking several times, is clear of {confidence}; a point that stopped early has every statistic, p50 and p95 included, over the runs it ran, not over {}; --all-runs runs every point to the end)",
                    thousands(u64::from(info.runs))
                );
            }
        }
    }
    super::text::files_written(&mut out, files);
    out
}

/// `sweep.svg` / `sweep.png`: p95 deploy time against the first varied key, one line per
/// value of the second (charts::SweepChart); `None` when more than two keys vary. With a
/// question, a point is marked as meeting the target when its verdict is `meets`;
/// without, when at least 95% of its runs were within `simulation.target`.
pub fn sweep_chart(
    scenario: &str,
    keys: &[String],
    points: &[(Vec<String>, Summary)],
    question: Option<&Question>,
) -> Option<Result<super::RenderedChart, super::charts::ChartError>> {
    if keys.is_empty() || keys.len() > 2 {
        return None;
    }
    let cells: Vec<super::charts::SweepCell> = points
        .iter()
        .map(|(values, summary)| super::charts::SweepCell {
            x: values[0].clone(),
            series: values.get(1).cloned(),
            p95_seconds: summary.deploy_seconds.as_ref().map(|d| d.p95),
            meets_target: match question {
                Some(_) => point_verdict(summary, question).map(|v| v == Verdict::Meets),
                None => summary.target.as_ref().map(|t| t.share >= 0.95),
            },
        })
        .collect();
    let chart = super::charts::SweepChart {
        scenario,
        x_key: &keys[0],
        series_key: keys.get(1).map(String::as_str),
        cells: &cells,
        confidence: question.map_or(0.95, |q| q.confidence),
        question_note: question.map(|_| {
            let runs: Vec<u64> = points.iter().map(|(_, s)| s.runs).collect();
            let (low, high) = (
                runs.iter().copied().min().unwrap_or(0),
                runs.iter().copied().max().unwrap_or(0),
            );
            if low == high {
                format!("{} runs a point", thousands(high))
            } else {
                // Short: the heatmap's caption is long already.
                format!(
                    "each over its own {}-{} runs",
                    thousands(low),
                    thousands(high)
                )
            }
        }),
        target_seconds: points
            .first()
            .and_then(|(_, s)| s.target.as_ref().map(|t| t.target_seconds)),
    };
    Some(super::render(&chart, "sweep"))
}

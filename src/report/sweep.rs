//! `sweep`'s outputs: `sweep.csv` (one summary row per grid point), its JSON document and
//! its terminal table.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use super::RunInfo;
use super::plan::{money, number};
use crate::experiment::reasons::why_missed;
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

/// The header of `sweep.csv` for these varied keys.
pub fn sweep_columns(keys: &[String]) -> Vec<String> {
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
/// where a statistic has no value (say, no run completed).
pub fn sweep_csv(keys: &[String], points: &[(Vec<String>, Summary)]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(sweep_columns(keys))
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
        writer.write_record(record).expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

#[derive(Serialize)]
struct SweepPoint<'a> {
    values: BTreeMap<&'a str, &'a str>,
    summary: &'a Summary,
}

#[derive(Serialize)]
struct SweepDocument<'a> {
    run: &'a RunInfo,
    vary: &'a [String],
    points: Vec<SweepPoint<'a>>,
}

/// The JSON document `--format json` prints: the run, the varied keys, and every point's
/// values and full summary.
pub fn sweep_json(info: &RunInfo, keys: &[String], points: &[(Vec<String>, Summary)]) -> String {
    let document = SweepDocument {
        run: info,
        vary: keys,
        points: points
            .iter()
            .map(|(values, summary)| SweepPoint {
                values: keys
                    .iter()
                    .map(String::as_str)
                    .zip(values.iter().map(String::as_str))
                    .collect(),
                summary,
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("sweeps serialise");
    text.push('\n');
    text
}

/// The terminal table: one line per point.
pub fn sweep_text(
    info: &RunInfo,
    keys: &[String],
    points: &[(Vec<String>, Summary)],
    files: &[String],
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "sweep {} ({}): {} points x {} replications, seed {} at every point",
        info.scenario,
        info.file,
        points.len(),
        info.runs,
        info.seed
    );
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
    let _ = writeln!(
        out,
        "{header} {:>7} {:>9} {:>9} {:>22} {:>9} {:>9}  why",
        "done", "p50", "p95", "within target (95% CI)", "spare h", "cost"
    );
    for (values, summary) in points {
        let mut line = String::from(" ");
        for (value, width) in values.iter().zip(&widths) {
            let _ = write!(line, " {value:>width$}");
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
        let _ = writeln!(
            out,
            "{line} {:>6.1}% {:>9} {:>9} {:>22} {:>9.2} {:>9}  {}",
            100.0 * summary.count(Outcome::Completed) as f64 / runs,
            deploy.map_or("-".to_string(), |d| format_human(d.p50)),
            deploy.map_or("-".to_string(), |d| format_human(d.p95)),
            target,
            summary.host_seconds_extra.as_ref().map_or(0.0, |d| d.mean) / 3600.0,
            summary
                .cost
                .as_ref()
                .map_or("-".to_string(), |d| money(d.mean)),
            point_why(summary),
        );
    }
    let _ = writeln!(
        out,
        "  (done: share completed; p50, p95: deploy time of the completed runs; within target: completed within simulation.target over all runs; spare h: spare and scaled-out host-hours per deploy, mean; cost: its price, mean; why: the runs that missed, by kind)"
    );
    super::text::files_written(&mut out, files);
    out
}

/// `sweep.svg` / `sweep.png`: p95 deploy time against the first varied key, one line per
/// value of the second (charts::SweepChart); `None` when more than two keys vary.
pub fn sweep_chart(
    scenario: &str,
    keys: &[String],
    points: &[(Vec<String>, Summary)],
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
            meets_target: summary.target.as_ref().map(|t| t.share >= 0.95),
        })
        .collect();
    let chart = super::charts::SweepChart {
        scenario,
        x_key: &keys[0],
        series_key: keys.get(1).map(String::as_str),
        cells: &cells,
        target_seconds: points
            .first()
            .and_then(|(_, s)| s.target.as_ref().map(|t| t.target_seconds)),
    };
    Some(super::render(&chart, "sweep"))
}

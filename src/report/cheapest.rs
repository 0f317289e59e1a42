//! `cheapest`'s outputs, all in one place: `cheapest.csv`, the JSON document, the
//! terminal text, the frontier chart and `report.html`.

use std::fmt::Write;

use serde::Serialize;

use super::RunInfo;
use super::charts::{FrontierChart, FrontierPoint};
use super::html::Page;
use super::pages::{RenderedChart, render};
use crate::experiment::cheapest::{Cheapest, Point};
use crate::scenario::{Scenario, format_human};

/// The columns after the varied keys.
pub const CHEAPEST_COLUMNS: [&str; 18] = [
    "runs",
    "completed",
    "within_target",
    "share",
    "ci_low",
    "ci_high",
    "time_at_confidence_seconds",
    "deploy_p50_seconds",
    "deploy_p95_seconds",
    "host_hours_per_deploy",
    "cost_per_deploy",
    "extra_host_hours_per_day",
    "extra_cost_per_day",
    "cluster_cost_per_day",
    "cluster_cost_per_month",
    "meets_target",
    "on_frontier",
    "cheapest",
];

fn number(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// `cheapest.csv`: one row per grid point, in grid order; costs in the scenario's currency.
pub fn cheapest_csv(result: &Cheapest) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = result.keys.clone();
    header.extend(CHEAPEST_COLUMNS.iter().map(|c| c.to_string()));
    writer.write_record(&header).expect("writing to memory");
    for (i, point) in result.points.iter().enumerate() {
        let row = &point.row;
        let deploy = row.deploy_seconds.as_ref();
        let c = &point.costs;
        let mut record = point.values.clone();
        record.extend([
            row.runs.to_string(),
            row.completed.to_string(),
            row.within_target.to_string(),
            row.share.to_string(),
            row.ci_low.to_string(),
            row.ci_high.to_string(),
            number(point.time_at_confidence),
            number(deploy.map(|d| d.p50)),
            number(deploy.map(|d| d.p95)),
            c.per_deploy_host_hours.to_string(),
            number(c.per_deploy),
            c.extra_host_hours_per_day.to_string(),
            number(c.extra_daily),
            number(c.cluster_daily),
            number(c.cluster_monthly),
            point.meets_target.to_string(),
            point.on_frontier.to_string(),
            (result.answer == Some(i)).to_string(),
        ]);
        writer.write_record(&record).expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

#[derive(Serialize)]
struct CheapestDocument<'a> {
    run: &'a RunInfo,
    #[serde(flatten)]
    result: &'a Cheapest,
    notes: Vec<String>,
}

/// The JSON document `--format json` prints.
pub fn cheapest_json(info: &RunInfo, result: &Cheapest) -> String {
    let document = CheapestDocument {
        run: info,
        result,
        notes: cheapest_notes(result),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("results serialise");
    text.push('\n');
    text
}

fn percent(share: f64) -> String {
    format!("{:.1}%", 100.0 * share)
}

/// A point's values as `key=value` pairs.
fn setting(result: &Cheapest, point: &Point) -> String {
    result
        .keys
        .iter()
        .zip(&point.values)
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the points are ranked by, in words.
fn rank_words(result: &Cheapest) -> String {
    if result.priced {
        format!("cluster cost a day ({})", result.currency)
    } else {
        "cluster host-hours a day".to_string()
    }
}

fn rank_value(result: &Cheapest, point: &Point) -> String {
    if result.priced {
        point.costs.money(point.rank_cost)
    } else {
        format!("{:.1} host-hours", point.rank_cost)
    }
}

/// The answer and how to read it, one line each (text, JSON and HTML).
pub fn cheapest_notes(result: &Cheapest) -> Vec<String> {
    let mut notes = Vec::new();
    let target = format_human(result.target_seconds);
    let confidence = percent(result.confidence);
    match result.answer {
        Some(i) => {
            let p = &result.points[i];
            notes.push(format!(
                "answer: {}: {} a day, {} of {} runs within {target} = {} (95% CI {}-{})",
                setting(result, p),
                rank_value(result, p),
                p.row.within_target,
                p.row.runs,
                percent(p.row.share),
                percent(p.row.ci_low),
                percent(p.row.ci_high)
            ));
            if !p.row.settled(result.confidence) {
                notes.push(format!(
                    "  NOT SETTLED: its 95% interval straddles {confidence}; more --runs would tell"
                ));
            }
        }
        None => notes.push(format!(
            "no answer: no point gets {confidence} of deploys within {target}"
        )),
    }
    let frontier: Vec<String> = result
        .frontier
        .iter()
        .map(|&i| {
            let p = &result.points[i];
            format!(
                "{} ({}, {})",
                p.values.join(", "),
                rank_value(result, p),
                p.time_at_confidence.map_or("-".into(), format_human)
            )
        })
        .collect();
    notes.push(format!(
        "frontier: {} point(s), cheapest first: {}",
        frontier.len(),
        frontier.join("; ")
    ));
    let c = &result.points[0].costs;
    notes.push(format!(
        "cost: ranked by {}: service and spare hosts all day plus scaled-out hosts at {}; time: the deploy time {confidence} of all runs meet (a run that did not complete never does); every point runs the same seeds (common random numbers)",
        rank_words(result),
        super::costs::per_day_words(c.deploys_per_day)
    ));
    notes
}

/// The terminal text: every point, then the notes.
pub fn cheapest_text(info: &RunInfo, result: &Cheapest, files: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "cheapest: the lowest {} with at least {} of deploys within {}",
        rank_words(result),
        percent(result.confidence),
        format_human(result.target_seconds)
    );
    let _ = writeln!(
        out,
        "{} ({}): {} points, {} replications each, seed {}",
        info.scenario,
        info.file,
        result.points.len(),
        result.runs,
        result.seed
    );
    let _ = writeln!(out);
    let widths: Vec<usize> = result
        .keys
        .iter()
        .enumerate()
        .map(|(k, key)| {
            result
                .points
                .iter()
                .map(|p| p.values[k].len())
                .chain([key.len()])
                .max()
                .unwrap_or(1)
        })
        .collect();
    let mut header = String::from(" ");
    for (key, width) in result.keys.iter().zip(&widths) {
        let _ = write!(header, " {key:>width$}");
    }
    let _ = writeln!(
        out,
        "{header} {:>7} {:>10} {:>9} {:>12} {:>12} {:>7}",
        "share",
        format!(
            "p{}",
            crate::experiment::target::trim_number(result.confidence * 100.0)
        ),
        "per dep.",
        "extra a day",
        "cluster/day",
        "target"
    );
    for (i, p) in result.points.iter().enumerate() {
        let mut line = String::from(" ");
        for (value, width) in p.values.iter().zip(&widths) {
            let _ = write!(line, " {value:>width$}");
        }
        let money = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.2}"));
        let mark = match (result.answer == Some(i), p.on_frontier) {
            (true, true) => "  <- cheapest meeting the target; frontier",
            (true, false) => "  <- cheapest meeting the target",
            (false, true) => "  frontier",
            _ => "",
        };
        let _ = writeln!(
            out,
            "{line} {:>7} {:>10} {:>9} {:>12} {:>12} {:>7}{mark}",
            percent(p.row.share),
            p.time_at_confidence.map_or("-".into(), format_human),
            money(p.costs.per_deploy),
            money(p.costs.extra_daily),
            money(p.costs.cluster_daily),
            if p.meets_target { "meets" } else { "misses" },
        );
    }
    let _ = writeln!(
        out,
        "  (share: runs within the target; p{}: the deploy time that share of all runs meet; per dep.: spare and scaled-out host time per deploy; extra a day: spare hosts all day plus scaled-out hosts; cluster/day: with the service hosts{})",
        crate::experiment::target::trim_number(result.confidence * 100.0),
        if result.priced {
            format!("; costs in {}", result.currency)
        } else {
            "; unpriced: set cluster.host_hourly_cost or cluster.instance_type".to_string()
        }
    );
    let _ = writeln!(out);
    for note in cheapest_notes(result) {
        let _ = writeln!(out, "  {note}");
    }
    super::text::files_written(&mut out, files);
    out
}

/// `frontier.svg` / `frontier.png`.
pub fn cheapest_chart(
    scenario: &str,
    result: &Cheapest,
) -> Result<RenderedChart, super::charts::ChartError> {
    let points: Vec<FrontierPoint> = result
        .points
        .iter()
        .map(|p| FrontierPoint {
            label: p.values.join(", "),
            cost: p.rank_cost,
            time: p.time_at_confidence,
            meets: p.meets_target,
            on_frontier: p.on_frontier,
        })
        .collect();
    let keys = result
        .keys
        .iter()
        .map(|k| k.rsplit('.').next().unwrap_or(k))
        .collect::<Vec<_>>()
        .join(", ");
    let cost_label = rank_words(result);
    render(
        &FrontierChart {
            scenario,
            keys: &keys,
            target_seconds: result.target_seconds,
            confidence: result.confidence,
            cost_label: &cost_label,
            points: &points,
            answer: result.answer,
        },
        "frontier",
    )
}

/// `report.html`: the answer, the frontier chart and table, every point, the files and
/// the scenario before the varied keys.
pub fn cheapest_report_html(
    info: &RunInfo,
    result: &Cheapest,
    scenario: &Scenario,
    chart: &RenderedChart,
    files: &[String],
) -> String {
    let target = format_human(result.target_seconds);
    let confidence = percent(result.confidence);
    let mut page = Page::new(&format!("deploysim cheapest: {}", info.scenario));
    page.heading(&format!(
        "{}: the cheapest {} with at least {confidence} of deploys within {target}",
        info.scenario,
        result.keys.join(" × ")
    ));
    page.lead(&format!(
        "{} points, {} replications each of {}, seed {} at every point (common random numbers). Ranked by {}.",
        result.points.len(),
        result.runs,
        info.file,
        result.seed,
        rank_words(result)
    ));
    page.section("Answer");
    for note in cheapest_notes(result) {
        page.paragraph(note.trim());
    }
    page.section("Reproduce");
    page.command(&info.command);
    page.section("Time against cost");
    page.chart(
        &chart.svg,
        Some("Each dot is one point of the grid; the green line joins the points no other is both cheaper and faster than; the ring marks the cheapest that meets the target."),
    );
    // Short headers (the key's last part, the currency once) so the table fits the page.
    let unit = if result.priced {
        format!(" ({})", result.currency)
    } else {
        " (host-hours)".to_string()
    };
    let headers_owned: Vec<String> = result
        .keys
        .iter()
        .map(|k| k.rsplit('.').next().unwrap_or(k).to_string())
        .chain([
            "within target (95% CI)".to_string(),
            format!("time for {confidence}"),
            format!("per deploy{unit}"),
            format!("extra a day{unit}"),
            format!("cluster a day{unit}"),
            format!("cluster a month{unit}"),
            String::new(),
        ])
        .collect();
    let headers: Vec<&str> = headers_owned.iter().map(String::as_str).collect();
    let row = |i: usize, p: &Point| -> Vec<String> {
        let c = &p.costs;
        let amount = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.2}"));
        let mut cells = p.values.clone();
        cells.extend([
            format!(
                "{} ({}-{})",
                percent(p.row.share),
                percent(p.row.ci_low),
                percent(p.row.ci_high)
            ),
            p.time_at_confidence.map_or("-".into(), format_human),
            if result.priced {
                amount(c.per_deploy)
            } else {
                format!("{:.2}", c.per_deploy_host_hours)
            },
            if result.priced {
                amount(c.extra_daily)
            } else {
                format!("{:.1}", c.extra_host_hours_per_day)
            },
            if result.priced {
                amount(c.cluster_daily)
            } else {
                format!("{:.1}", c.cluster_host_hours_per_day)
            },
            if result.priced {
                amount(c.cluster_monthly)
            } else {
                format!("{:.0}", c.cluster_host_hours_per_day * 730.0 / 24.0)
            },
            match (result.answer == Some(i), p.on_frontier, p.meets_target) {
                (true, _, _) => "cheapest that meets".into(),
                (false, true, true) => "frontier, meets".into(),
                (false, true, false) => "frontier".into(),
                (false, false, true) => "meets".into(),
                _ => String::new(),
            },
        ]);
        cells
    };
    let last = headers.len() - 1;
    let text_columns: Vec<usize> = (0..result.keys.len()).chain([last]).collect();
    page.section("The frontier");
    let rows: Vec<Vec<String>> = result
        .frontier
        .iter()
        .map(|&i| row(i, &result.points[i]))
        .collect();
    page.table(&headers, &rows, &text_columns);
    page.section("Every point");
    let rows: Vec<Vec<String>> = result
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| row(i, p))
        .collect();
    page.table(&headers, &rows, &text_columns);
    page.note(&format!(
        "within target: share of all runs, with its 95% Wilson interval; time for {confidence}: the time {confidence} of all runs meet (a run that did not complete never does; '-' when fewer completed); cost per deploy: spare and scaled-out host time during one deploy; extra a day: spare hosts all day plus scaled-out hosts on each of cluster.deploys_per_day deploys; cluster: with the service hosts all day; a month is 730 hours."
    ));
    page.section("Files");
    page.list(files);
    page.section("Resolved scenario");
    page.note("The scenario before the varied keys, every default filled in.");
    page.code(&super::resolved_scenario_toml(scenario));
    page.finish()
}

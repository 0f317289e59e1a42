//! `report.html` for the planning commands (`plan`, `compare`, `sweep`), from their
//! results: what was asked, how to reproduce it, the summary tables, the chart inline and
//! the resolved scenario(s). Pure: a `String` out, no files.

use std::collections::BTreeMap;

use super::compare::{CompareInfo, compare_notes, interval_text, signed_human};
use super::html::Page;
use super::pages::RenderedChart;
use super::plan::{money, plan_notes};
use super::sweep as sweep_text;
use super::{RunInfo, resolved_scenario_toml};
use crate::experiment::Summary;
use crate::experiment::compare::{Comparison, PairedMean, QuantileDiff};
use crate::experiment::plan::Plan;
use crate::experiment::sweep::Question;
use crate::model::Outcome;
use crate::scenario::{Scenario, format_human};

fn percent(share: f64) -> String {
    format!("{:.1}%", 100.0 * share)
}

fn interval(low: f64, high: f64) -> String {
    format!("{}-{}", percent(low), percent(high))
}

fn lead(text: String, scenario: &Scenario) -> String {
    match scenario.description.as_deref() {
        Some(description) => format!("{text} {description}"),
        None => text,
    }
}

fn files_and_scenario(page: &mut Page, files: &[String], scenario: &Scenario, note: &str) {
    page.section("Files");
    page.list(files);
    page.section("Resolved scenario");
    page.note(note);
    page.code(&resolved_scenario_toml(scenario));
}

/// The notes as two-column rows: `label: text` splits at the label (`answer`, `settled`,
/// `lower bound (...)`), an indented line continues the row above under an empty label.
/// Notes with no label come back apart, to be shown below the table.
fn note_rows(notes: &[String]) -> (Vec<Vec<String>>, Vec<String>) {
    let (mut rows, mut others) = (Vec::new(), Vec::new());
    for note in notes {
        let indented = note.starts_with(' ');
        let text = note.trim();
        match text.split_once(": ") {
            _ if indented && !rows.is_empty() => rows.push(vec![String::new(), text.to_string()]),
            Some((label, rest)) if label.len() <= 60 && !label.contains(" = ") => {
                // `lower bound (analytic, ...): text` reads as `lower bound | analytic, ...: text`.
                match label.split_once(" (") {
                    Some((short, aside)) if aside.ends_with(')') => rows.push(vec![
                        short.to_string(),
                        format!("{}: {rest}", &aside[..aside.len() - 1]),
                    ]),
                    _ => rows.push(vec![label.to_string(), rest.to_string()]),
                }
            }
            _ => others.push(text.to_string()),
        }
    }
    (rows, others)
}

/// A plan row's always-on daily cost with its currency, or its host-hours when unpriced.
fn daily_cost(row: &crate::experiment::plan::PlanRow) -> String {
    match &row.costs {
        Some(costs) => match costs.extra_daily {
            Some(daily) => format!("{daily:.2}"),
            None => format!("{:.1}", costs.extra_host_hours_per_day),
        },
        None => "-".to_string(),
    }
}

/// `plan`'s `report.html`: the answer and whether it is settled, every value tried, the
/// chart, the floor and lower bound, and the scenario.
pub fn plan_report_html(
    info: &RunInfo,
    plan: &Plan,
    scenario: &Scenario,
    chart: &RenderedChart,
    files: &[String],
) -> String {
    let target = format_human(plan.target_seconds);
    let confidence = percent(plan.confidence);
    let mut page = Page::new(&format!("deploysim plan: {}", info.scenario));
    page.heading(&format!(
        "{}: the {} {} with at least {confidence} of deploys within {target}",
        info.scenario,
        if plan.maximize { "largest" } else { "smallest" },
        plan.knob
    ));
    page.lead(&lead(
        format!(
            "{}{} replications per value of {}, seed {} at every value (common random numbers), {} values tried between {} and {}{}.",
            if super::plan::replications_used(plan).is_empty() {
                ""
            } else {
                "up to "
            },
            crate::experiment::budget::thousands(plan.runs as u64),
            info.file,
            plan.seed,
            plan.rows.len(),
            plan.min,
            plan.max,
            super::plan::replications_used(plan)
        ),
        scenario,
    ));

    page.section("Answer");
    let (rows, others) = note_rows(&plan_notes(plan));
    page.table(&["", ""], &rows, &[1]);
    for note in others {
        page.note(&note);
    }

    page.section("Reproduce");
    page.command(&info.command);

    page.section("Every value tried");
    let priced = plan.rows.iter().any(|r| r.cost_mean.is_some());
    let rows: Vec<Vec<String>> = plan
        .rows
        .iter()
        .map(|row| {
            let deploy = row.deploy_seconds.as_ref();
            let mut cells = vec![
                if Some(row.value) == plan.answer {
                    format!("{} (answer)", row.value)
                } else {
                    row.value.to_string()
                },
                if super::plan::stopped_early(plan, row) {
                    format!("{} (stopped)", row.runs)
                } else {
                    row.runs.to_string()
                },
                row.completed.to_string(),
                percent(row.share),
                interval(row.ci_low, row.ci_high),
                deploy.map_or("-".to_string(), |d| format_human(d.p50)),
                deploy.map_or("-".to_string(), |d| format_human(d.p95)),
                format!("{:.2}", row.host_seconds_extra_mean / 3600.0),
            ];
            // Unpriced, a deploy's cost would be "-" on every row: only host-hours show.
            if priced {
                cells.push(row.cost_mean.map_or("-".to_string(), money));
            }
            cells.push(daily_cost(row));
            cells
        })
        .collect();
    let whys: Vec<String> = plan.rows.iter().map(|row| row.why.clone()).collect();
    let mut headers = vec![
        plan.knob.as_str(),
        "runs",
        "completed",
        "within target",
        "95% CI",
        "p50",
        "p95",
        "host-h a deploy",
    ];
    if priced {
        headers.extend(["cost a deploy", "cost a day"]);
    } else {
        headers.push("host-h a day");
    }
    page.table_with_details(&headers, &rows, &[], "why runs missed", &whys);
    page.note(&format!(
        "runs: replications run for the value, at most {}; a value stops after 50, 100, 200, ... runs once its share within target is clearly above or below {confidence} (\"stopped\": settled early; --all-runs runs every value to the end), so its interval is wider but on one side. completed: runs that completed at any time; within target: the share of all runs completed within {target}, with its 95% Wilson interval; p50, p95: deploy time of the completed runs; host-h a deploy: spare and scaled-out host-hours per deploy, mean; {}; why runs missed (the line under a value): the runs not within the target, by kind of reason. The search tried the values in this order: {}.",
        crate::experiment::budget::thousands(u64::from(plan.runs)),
        match plan.rows.iter().find_map(|r| r.costs.as_ref()) {
            Some(c) if priced => format!("cost a deploy: their price; cost a day: always-on, spare hosts all day plus scaled-out hosts on each of cluster.deploys_per_day deploys; costs in {}", c.currency),
            _ => "host-h a day: always-on, spare hosts all day plus scaled-out hosts on each of cluster.deploys_per_day deploys (set cluster.host_hourly_cost or cluster.instance_type to price it)".to_string(),
        },
        {
            let mut tried: Vec<&crate::experiment::plan::PlanRow> = plan.rows.iter().collect();
            tried.sort_by_key(|r| r.tried);
            tried
                .iter()
                .map(|r| r.value.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        }
    ));
    page.chart(&chart.svg, None);

    files_and_scenario(
        &mut page,
        files,
        scenario,
        &format!(
            "The scenario with every default filled in; {} takes each value in the table above.",
            plan.knob
        ),
    );
    page.finish()
}

fn b_label(info: &CompareInfo) -> String {
    if info.b_overrides.is_empty() {
        info.b_scenario.clone()
    } else {
        format!(
            "{} with --set-b {}",
            info.b_scenario,
            info.b_overrides.join(" --set-b ")
        )
    }
}

fn quantile_row(name: &str, q: &QuantileDiff) -> Vec<String> {
    let show = |v: Option<f64>| v.map_or("not reached".to_string(), format_human);
    vec![
        name.to_string(),
        show(q.a),
        show(q.b),
        q.diff.map_or("-".to_string(), signed_human),
        if q.diff.is_some() {
            interval_text(q.ci_low, q.ci_high, signed_human)
        } else {
            "-".to_string()
        },
        String::new(),
    ]
}

fn paired_row(name: &str, m: &Option<PairedMean>, scale: f64) -> Vec<String> {
    match m {
        Some(m) => {
            // Small means (a few cents per deploy) need more than two decimals.
            let d = if (m.mean_a / scale).abs().max((m.mean_b / scale).abs()) < 1.0 {
                4
            } else {
                2
            };
            vec![
                name.to_string(),
                format!("{:.*}", d, m.mean_a / scale),
                format!("{:.*}", d, m.mean_b / scale),
                format!("{:+.*}", d, m.diff / scale),
                interval_text(
                    m.ci_low.map(|v| v / scale),
                    m.ci_high.map(|v| v / scale),
                    super::compare::signed_with(d),
                ),
                m.pairs.to_string(),
            ]
        }
        None => vec![
            name.to_string(),
            "-".into(),
            "-".into(),
            "-".into(),
            "-".into(),
            "0".into(),
        ],
    }
}

/// Every leaf of a resolved scenario as `dotted.key = value`.
fn leaves(value: &toml::Value, prefix: &str, out: &mut BTreeMap<String, String>) {
    match value {
        toml::Value::Table(table) => {
            for (name, child) in table {
                let key = if prefix.is_empty() {
                    name.clone()
                } else {
                    format!("{prefix}.{name}")
                };
                leaves(child, &key, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

/// The keys whose resolved values differ between two scenarios: (key, A, B), "-" where a
/// side lacks the key.
pub fn scenario_differences(a: &Scenario, b: &Scenario) -> Vec<[String; 3]> {
    let flat = |s: &Scenario| {
        let mut out = BTreeMap::new();
        leaves(
            &toml::Value::try_from(s).expect("scenarios serialise"),
            "",
            &mut out,
        );
        out
    };
    let (a, b) = (flat(a), flat(b));
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|key| a.get(*key) != b.get(*key))
        .map(|key| {
            let side = |m: &BTreeMap<String, String>| m.get(key).cloned().unwrap_or("-".into());
            [key.clone(), side(&a), side(&b)]
        })
        .collect()
}

/// `compare`'s `report.html`: the verdict, B − A with intervals, outcomes, who finished
/// first, the other paired differences, the chart, what differs between A and B, and both
/// scenarios.
pub fn compare_report_html(
    info: &CompareInfo,
    c: &Comparison,
    a: &Scenario,
    b: &Scenario,
    chart: &RenderedChart,
    files: &[String],
) -> String {
    let b_label = b_label(info);
    let mut page = Page::new(&format!(
        "deploysim compare: {} vs {}",
        info.a_scenario, b_label
    ));
    page.heading(&format!(
        "Is B ({b_label}) faster than A ({})?",
        info.a_scenario
    ));
    page.lead(&format!(
        "A: {} ({}; {}). B: {b_label} ({}; {}). {} paired replications, seed {}: replication r of A and of B draw the same random numbers (common random numbers).",
        info.a_scenario, info.a_file, info.a_runs_on, info.b_file, info.b_runs_on, c.runs, c.seed
    ));
    let notes = compare_notes(c);
    if let Some(verdict) = notes.first().filter(|_| c.deploy_seconds_mean.is_some()) {
        page.paragraph(&format!("Verdict: {verdict}."));
    }

    page.section("Reproduce");
    page.command(&info.command);

    page.section("Deploy time, B − A");
    let mut rows = Vec::new();
    match &c.deploy_seconds_mean {
        Some(m) => rows.push(vec![
            "mean".to_string(),
            format_human(m.mean_a),
            format_human(m.mean_b),
            signed_human(m.diff),
            interval_text(m.ci_low, m.ci_high, signed_human),
            format!("{} pairs where both completed", m.pairs),
        ]),
        None => rows.push(vec![
            "mean".to_string(),
            "-".into(),
            "-".into(),
            "-".into(),
            "-".into(),
            "no pair where both completed".into(),
        ]),
    }
    rows.push(quantile_row("p50", &c.deploy_seconds_p50));
    rows.push(quantile_row("p95", &c.deploy_seconds_p95));
    page.table(
        &["deploy time", "A", "B", "B − A", "95% CI of B − A", ""],
        &rows,
        &[5],
    );
    let first = &c.finished_first;
    page.paragraph(&format!(
        "B finished first in {} of {} pairs = {} (95% CI {}); A first in {}, ties {}.",
        first.b_first,
        c.runs,
        percent(first.share_b_first),
        interval(first.ci_low, first.ci_high),
        first.a_first,
        first.ties
    ));
    // The chart's legend may cut a long B label; the caption gives it whole.
    let caption = format!("A: {}; B: {b_label}.", info.a_scenario);
    page.chart(
        &chart.svg,
        (!info.b_overrides.is_empty()).then_some(caption.as_str()),
    );

    page.section("Outcomes");
    let rows: Vec<Vec<String>> = Outcome::ALL
        .iter()
        .map(|o| o.name())
        .filter_map(|outcome| {
            let count_a = c.outcomes_a.get(outcome).copied().unwrap_or(0);
            let count_b = c.outcomes_b.get(outcome).copied().unwrap_or(0);
            (count_a > 0 || count_b > 0 || outcome != Outcome::EventLimit.name()).then(|| {
                vec![
                    outcome.to_string(),
                    count_a.to_string(),
                    count_b.to_string(),
                ]
            })
        })
        .collect();
    page.table(&["outcome", "A", "B"], &rows, &[]);

    page.section("Capacity and cost, B − A");
    let mut rows = vec![paired_row("lowest healthy tasks", &c.min_healthy, 1.0)];
    if let (Some(low_a), Some(low_b)) = (c.lowest_min_healthy_a, c.lowest_min_healthy_b) {
        rows.push(vec![
            "lowest healthy in any run".to_string(),
            low_a.to_string(),
            low_b.to_string(),
            format!("{:+}", low_b as i64 - low_a as i64),
            String::new(),
            String::new(),
        ]);
    }
    rows.push(paired_row(
        "capacity deficit (missing task-hours)",
        &c.deficit_task_seconds,
        3600.0,
    ));
    rows.push(paired_row(
        "spare and scaled-out host-hours",
        &c.host_seconds_extra,
        3600.0,
    ));
    if c.cost.is_some() {
        rows.push(paired_row(
            &format!("cost per deploy ({})", a.cluster.currency),
            &c.cost,
            1.0,
        ));
    }
    if c.bad_exposure_seconds.is_some() {
        rows.push(paired_row(
            "bad revision's exposure (s of full traffic)",
            &c.bad_exposure_seconds,
            1.0,
        ));
    }
    page.table(
        &["per deploy, mean", "A", "B", "B − A", "95% CI", "pairs"],
        &rows,
        &[],
    );
    page.note("Over all pairs, each run counted to its end; intervals are paired Student t. Cost per deploy: on EC2 the spare and scaled-out host time at each host group's price; on Fargate the billed task time above D (from each task's image pull to its stop) at the task's price.");
    if let (Some(day_a), Some(day_b)) = (info.a_per_day, info.b_per_day) {
        page.table(
            &["running cost per day, between deploys", "A", "B", "B − A"],
            &[vec![
                "every host up (EC2), or D tasks (Fargate)".to_string(),
                money(day_a),
                money(day_b),
                format!("{:+.2}", day_b - day_a),
            ]],
            &[],
        );
    }

    page.section("How to read it");
    let skip = usize::from(c.deploy_seconds_mean.is_some());
    page.list(&notes[skip.min(notes.len())..]);

    page.section("What differs between A and B");
    let differences = scenario_differences(a, b);
    if differences.is_empty() {
        page.paragraph("Nothing: the two resolved scenarios are identical.");
    } else {
        let rows: Vec<Vec<String>> = differences.into_iter().map(Vec::from).collect();
        page.table(&["key", "A", "B"], &rows, &[1, 2]);
    }

    page.section("Files");
    page.list(files);
    page.section("Resolved scenario A");
    page.note("Every default filled in, as the simulation used it.");
    page.code(&resolved_scenario_toml(a));
    page.section("Resolved scenario B");
    page.code(&resolved_scenario_toml(b));
    page.finish()
}

/// `sweep`'s `report.html`: one row per point with its values and main statistics (and,
/// with a question, its runs and verdict), the chart when there is one, and the base
/// scenario.
pub fn sweep_report_html(
    info: &RunInfo,
    keys: &[String],
    points: &[(Vec<String>, Summary)],
    question: Option<&Question>,
    scenario: &Scenario,
    chart: Option<&RenderedChart>,
    files: &[String],
) -> String {
    let mut page = Page::new(&format!("deploysim sweep: {}", info.scenario));
    let keys_text = match keys {
        [] => String::new(),
        [only] => only.clone(),
        [first @ .., last] => format!("{} and {last}", first.join(", ")),
    };
    match question {
        None => {
            page.heading(&format!(
                "{}: how do deploys change with {keys_text}?",
                info.scenario
            ));
            page.lead(&lead(
                format!(
                    "{} points x {} replications of {}, seed {} at every point (common random numbers).",
                    points.len(),
                    info.runs,
                    info.file,
                    info.seed
                ),
                scenario,
            ));
        }
        Some(q) => {
            page.heading(&format!(
                "{}: which values of {keys_text} get {} of deploys within {}?",
                info.scenario,
                sweep_text::confidence_words(q.confidence),
                format_human(q.target_seconds)
            ));
            let used = sweep_text::replications_used(points, info.runs);
            page.lead(&lead(
                format!(
                    "{} points x {}{} replications of {}, seed {} at every point (common random numbers){used}.",
                    points.len(),
                    if used.is_empty() { "" } else { "up to " },
                    crate::experiment::budget::thousands(u64::from(info.runs)),
                    info.file,
                    info.seed
                ),
                scenario,
            ));
            page.section("Answer");
            page.table(
                &["", ""],
                &[vec![
                    "question".to_string(),
                    sweep_text::question_words(q, points),
                ]],
                &[1],
            );
        }
    }
    page.section("Reproduce");
    page.command(&info.command);

    page.section("Every point");
    let targets: std::collections::BTreeSet<String> = points
        .iter()
        .filter_map(|(_, s)| s.target.as_ref().map(|t| format_human(t.target_seconds)))
        .collect();
    let within_header = match targets.iter().next() {
        Some(target) if targets.len() == 1 => format!("within {target}"),
        _ => "within target".to_string(),
    };
    let priced = points.iter().any(|(_, s)| s.cost.is_some());
    // Each key by its last part when those are distinct (the heading names them whole),
    // so the table fits the page.
    let short: Vec<&str> = keys
        .iter()
        .map(|key| key.rsplit('.').next().unwrap_or(key))
        .collect();
    let distinct = short
        .iter()
        .collect::<std::collections::BTreeSet<_>>()
        .len()
        == keys.len();
    let mut headers: Vec<&str> = if distinct {
        short
    } else {
        keys.iter().map(String::as_str).collect()
    };
    if question.is_some() {
        headers.push("runs");
    }
    headers.extend(["done", "p50", "p95"]);
    headers.extend([within_header.as_str(), "95% CI"]);
    if question.is_some() {
        headers.push("verdict");
    }
    headers.push("host-hours");
    let cost_header = format!("cost ({})", scenario.cluster.currency);
    if priced {
        headers.push(cost_header.as_str());
    }
    let whys: Vec<String> = points
        .iter()
        .map(|(_, summary)| super::sweep::point_why(summary))
        .collect();
    let any_unfinished = whys.iter().any(|why| !why.is_empty());
    let rows: Vec<Vec<String>> = points
        .iter()
        .map(|(values, summary)| {
            let mut row = values.clone();
            if question.is_some() {
                row.push(if sweep_text::stopped_early(summary, info.runs) {
                    format!("{} (stopped)", summary.runs)
                } else {
                    summary.runs.to_string()
                });
            }
            let runs = summary.runs.max(1) as f64;
            let deploy = summary.deploy_seconds.as_ref();
            let show = |f: fn(&crate::experiment::Distribution) -> f64| {
                deploy.map_or("-".to_string(), |d| format_human(f(d)))
            };
            row.push(percent(summary.count(Outcome::Completed) as f64 / runs));
            row.push(show(|d| d.p50));
            row.push(show(|d| d.p95));
            match &summary.target {
                Some(t) => {
                    row.push(percent(t.share));
                    row.push(interval(t.ci_low, t.ci_high));
                }
                None => row.extend(["-".to_string(), "-".to_string()]),
            }
            if let Some(verdict) = sweep_text::point_verdict(summary, question) {
                row.push(verdict.words().to_string());
            }
            row.push(format!(
                "{:.2}",
                summary.host_seconds_extra.as_ref().map_or(0.0, |d| d.mean) / 3600.0
            ));
            if priced {
                row.push(
                    summary
                        .cost
                        .as_ref()
                        .map_or("-".to_string(), |d| money(d.mean)),
                );
            }
            row
        })
        .collect();
    let mut text_columns: Vec<usize> = (1..keys.len()).collect();
    if question.is_some() {
        text_columns.push(keys.len() + 6);
    }
    page.table_with_details(&headers, &rows, &text_columns, "why runs missed", &whys);
    if let Some(q) = question {
        let confidence = sweep_text::confidence_words(q.confidence);
        page.note(&format!(
            "runs: the replications the point ran (0 to runs-1), at most {}; verdict: meets when the 95% interval of the share within {} lies wholly at or above {confidence}, misses when wholly below, not settled when it straddles {confidence} (more --runs would tell).",
            crate::experiment::budget::thousands(u64::from(info.runs)),
            format_human(q.target_seconds),
        ));
        if q.early_stop {
            page.note(&format!(
                "A point stops after 50, 100, 200, ... runs once its share within the target is clearly above or below {confidence} (at a stricter interval than the 95% one shown, since it looks several times): \"stopped\" marks it. Every statistic of a point that stopped, done, p50 and p95 included, is over the runs it ran, not over {}: a p95 over 50 runs is rougher than one over {}. --all-runs runs every point to the end.",
                crate::experiment::budget::thousands(u64::from(info.runs)),
                crate::experiment::budget::thousands(u64::from(info.runs)),
            ));
        }
    }
    page.note(&format!(
        "done: share of runs that completed; p50, p95: deploy time of the completed runs; {}: completed within {}, over all runs, with its 95% Wilson interval; host-hours: spare and scaled-out host time per deploy, mean{}. Every statistic of every point is in sweep.csv.",
        within_header,
        match question {
            Some(q) => format!("the target {}", format_human(q.target_seconds)),
            None => "simulation.target".to_string(),
        },
        if priced { "; cost: its price, mean" } else { "" },
    ));
    if any_unfinished {
        page.note("why runs missed (the line under a point): the runs that did not complete, by outcome and kind of reason, and the completed runs that finished after the target; deploysim run with the point's values as --set gives each kind's detail and what to change.");
    }
    match chart {
        Some(chart) => {
            page.chart(&chart.svg, None);
        }
        None => {
            page.note("No chart: it is drawn when one or two keys vary.");
        }
    }

    files_and_scenario(
        &mut page,
        files,
        scenario,
        &format!(
            "The scenario with every default filled in, before the varied keys; {} take the values in the table above.",
            keys.join(", ")
        ),
    );
    page.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::RunSettings;
    use crate::experiment::plan::{PlanSettings, plan as search};
    use crate::report::{compare_chart, plan_chart, sweep_chart};
    use crate::scenario::Override;

    fn scenario(file: &str, overrides: &[&str]) -> Scenario {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(file);
        let overrides: Vec<_> = overrides
            .iter()
            .map(|o| Override::parse(o).unwrap())
            .collect();
        crate::scenario::load(&path, &overrides).unwrap()
    }

    fn settings(runs: u32) -> RunSettings {
        RunSettings {
            runs,
            seed: 1,
            threads: Some(1),
            progress: false,
        }
    }

    fn info(command: &str, runs: u32) -> RunInfo {
        RunInfo {
            scenario: "ecs-blog".into(),
            file: "scenarios/ecs-blog.toml".into(),
            runs,
            seed: 1,
            command: command.into(),
        }
    }

    fn assert_self_contained(html: &str) {
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<figure>\n<svg"), "the chart inline");
        assert!(!html.contains("<script"));
        assert!(!html.contains("<?xml"));
        assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    }

    #[test]
    fn plan_report_has_the_answer_its_share_every_row_and_the_bound() {
        let base = scenario("ecs-blog.toml", &["cluster.host_hourly_cost=0.0416"]);
        let build = |value: i64| -> anyhow::Result<Scenario> {
            Ok(scenario(
                "ecs-blog.toml",
                &[
                    "cluster.host_hourly_cost=0.0416",
                    &format!("cluster.spare_hosts={value}"),
                ],
            ))
        };
        let plan = search(
            &build,
            &PlanSettings {
                knob: "cluster.spare_hosts".into(),
                target_seconds: 1200.0,
                confidence: 0.95,
                min: 0,
                max: 5,
                runs: 40,
                seed: 1,
                threads: Some(1),
                all_runs: false,
            },
        )
        .unwrap();
        let answer = plan.answer.expect("ecs-blog meets 20m with enough hosts");
        let row = plan.rows.iter().find(|r| r.value == answer).unwrap();
        let command = "deploysim plan scenarios/ecs-blog.toml --target 20m --runs 40";
        let chart = plan_chart("ecs-blog", &plan).unwrap();
        let html = plan_report_html(
            &info(command, 40),
            &plan,
            &base,
            &chart,
            &["out/ecs-blog/report.html".into()],
        );
        assert_self_contained(&html);
        assert!(html.contains(
            "ecs-blog: the smallest cluster.spare_hosts with at least 95.0% of deploys within 20m"
        ));
        assert!(html.contains(&format!(
            "<td>answer</td><td class=\"text\">cluster.spare_hosts = {answer}: {} of 40 runs within 20m = {}",
            row.within_target,
            percent(row.share)
        )));
        assert!(html.contains(&format!("<td>{answer} (answer)</td>")));
        for row in &plan.rows {
            assert!(html.contains(&format!(
                "<td>{}</td><td>{}</td>",
                percent(row.share),
                interval(row.ci_low, row.ci_high)
            )));
            if let Some(cost) = row.cost_mean {
                assert!(html.contains(&format!("<td>{}</td>", money(cost))));
            }
        }
        let settled = if plan.verdict.settled {
            "<td>settled</td>"
        } else {
            "<td>NOT SETTLED</td>"
        };
        assert!(html.contains(settled), "{html}");
        assert!(html.contains("<td>lower bound</td>"));
        assert!(html.contains("no deploy can finish before 5m15s"));
        assert!(html.contains(command));
        assert!(
            html.contains("name = &quot;ecs-blog&quot;"),
            "resolved scenario"
        );
        assert!(html.contains("host_hourly_cost = 0.0416"));
    }

    #[test]
    fn plan_report_without_an_answer_shows_the_floor() {
        let build = |value: i64| -> anyhow::Result<Scenario> {
            Ok(scenario(
                "ecs-blog.toml",
                &[&format!("cluster.spare_hosts={value}")],
            ))
        };
        let plan = search(
            &build,
            &PlanSettings {
                knob: "cluster.spare_hosts".into(),
                target_seconds: 300.0,
                confidence: 0.95,
                min: 0,
                max: 2,
                runs: 20,
                seed: 1,
                threads: Some(1),
                all_runs: false,
            },
        )
        .unwrap();
        assert_eq!(plan.answer, None);
        let chart = plan_chart("ecs-blog", &plan).unwrap();
        let html = plan_report_html(
            &info("deploysim plan x", 20),
            &plan,
            &scenario("ecs-blog.toml", &[]),
            &chart,
            &[],
        );
        assert!(html.contains("<td>no answer</td>"));
        assert!(html.contains("<td>floor</td><td class=\"text\">simulated: 5 spare hosts"));
        assert!(html.contains("so no number of hosts can meet it"));
    }

    #[test]
    fn compare_report_has_the_difference_outcomes_and_what_differs() {
        let a = scenario("event-agent.toml", &[]);
        let b = scenario("polling-agent.toml", &[]);
        let (results_a, results_b, c) =
            crate::experiment::compare::compare(&a, &b, settings(60)).unwrap();
        let command =
            "deploysim compare scenarios/event-agent.toml scenarios/polling-agent.toml --runs 60";
        let info = CompareInfo {
            a_scenario: a.name.clone(),
            a_file: "scenarios/event-agent.toml".into(),
            b_scenario: b.name.clone(),
            b_file: "scenarios/polling-agent.toml".into(),
            b_overrides: vec![],
            runs: 60,
            seed: 1,
            command: command.into(),
            a_runs_on: crate::scenario::runs_on(&a),
            b_runs_on: crate::scenario::runs_on(&b),
            a_per_day: None,
            b_per_day: None,
        };
        let chart = compare_chart(&info, &results_a, &results_b).unwrap();
        let html = compare_report_html(&info, &c, &a, &b, &chart, &[]);
        assert_self_contained(&html);
        assert!(html.contains("Is B (polling-agent) faster than A (event-agent)?"));
        let mean = c.deploy_seconds_mean.as_ref().unwrap();
        assert!(html.contains(&format!(
            "<td>mean</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            format_human(mean.mean_a),
            format_human(mean.mean_b),
            signed_human(mean.diff),
            interval_text(mean.ci_low, mean.ci_high, signed_human)
        )));
        assert!(html.contains("Verdict: B is slower on average"));
        assert!(html.contains("<td>completed</td><td>60</td><td>60</td>"));
        assert!(!html.contains("<td>event_limit</td>"));
        assert!(html.contains(&format!(
            "B finished first in {} of 60 pairs",
            c.finished_first.b_first
        )));
        assert!(html.contains("<td>spare and scaled-out host-hours</td>"));
        assert!(html.contains(
            "<td>agent.mode</td><td class=\"text\">&quot;event&quot;</td><td class=\"text\">&quot;polling&quot;</td>"
        ));
        assert!(html.contains(command));
        assert!(html.contains("Resolved scenario A") && html.contains("Resolved scenario B"));
        assert!(html.contains("name = &quot;polling-agent&quot;"));
    }

    #[test]
    fn a_scenario_differs_from_itself_nowhere() {
        let a = scenario("ecs-blog.toml", &[]);
        assert!(scenario_differences(&a, &a.clone()).is_empty());
        let b = scenario("ecs-blog.toml", &["cluster.spare_hosts=3"]);
        assert_eq!(
            scenario_differences(&a, &b),
            [["cluster.spare_hosts".to_string(), "1".into(), "3".into()]]
        );
    }

    #[test]
    fn sweep_report_has_one_row_per_point() {
        let base = scenario("ecs-blog.toml", &[]);
        let keys = vec!["cluster.spare_hosts".to_string(), "agent.mode".to_string()];
        let mut scenarios = Vec::new();
        let mut labels = Vec::new();
        for hosts in ["2", "5"] {
            for mode in ["event", "polling"] {
                scenarios.push(scenario(
                    "ecs-blog.toml",
                    &[
                        &format!("cluster.spare_hosts={hosts}"),
                        &format!("agent.mode={mode}"),
                    ],
                ));
                labels.push(vec![hosts.to_string(), mode.to_string()]);
            }
        }
        let summaries = crate::experiment::sweep::sweep(&scenarios, settings(30)).unwrap();
        let points: Vec<(Vec<String>, Summary)> = labels.into_iter().zip(summaries).collect();
        let chart = sweep_chart("ecs-blog", &keys, &points, None)
            .unwrap()
            .unwrap();
        let command = "deploysim sweep scenarios/ecs-blog.toml --vary cluster.spare_hosts=2,5 --vary agent.mode=event,polling --runs 30";
        let html = sweep_report_html(
            &info(command, 30),
            &keys,
            &points,
            None,
            &base,
            Some(&chart),
            &[],
        );
        assert_self_contained(&html);
        assert!(
            html.contains(
                "ecs-blog: how do deploys change with cluster.spare_hosts and agent.mode?"
            )
        );
        assert!(html.contains("<th>spare_hosts</th><th class=\"text\">mode</th>"));
        for (values, summary) in &points {
            let d = summary.deploy_seconds.as_ref().unwrap();
            let t = summary.target.as_ref().unwrap();
            assert!(html.contains(&format!(
                "<td>{}</td><td class=\"text\">{}</td><td>100.0%</td><td>{}</td><td>{}</td><td>{}</td>",
                values[0],
                values[1],
                format_human(d.p50),
                format_human(d.p95),
                percent(t.share)
            )));
        }
        assert!(html.contains("<th>within 30m</th>"));
        assert!(html.contains(command));
        // Without a chart (three keys), the page says why.
        let html = sweep_report_html(&info(command, 30), &keys, &points, None, &base, None, &[]);
        assert!(html.contains("No chart") && !html.contains("<svg"));
    }

    #[test]
    fn sweep_report_names_the_outcomes_of_runs_that_did_not_complete() {
        let keys = vec!["cluster.spare_hosts".to_string()];
        let points: Vec<(Vec<String>, Summary)> = ["0", "3"]
            .into_iter()
            .map(|hosts| {
                let s = scenario(
                    "ecs-blog.toml",
                    &[
                        "deployment.maximum_percent=100",
                        &format!("cluster.spare_hosts={hosts}"),
                    ],
                );
                let summary = crate::experiment::sweep::sweep(&[s], settings(10))
                    .unwrap()
                    .remove(0);
                (vec![hosts.to_string()], summary)
            })
            .collect();
        let html = sweep_report_html(
            &info("deploysim sweep x", 10),
            &keys,
            &points,
            None,
            &scenario("ecs-blog.toml", &[]),
            None,
            &[],
        );
        assert!(html.contains("how do deploys change with cluster.spare_hosts?"));
        assert!(html.contains("<tr class=\"has-detail\"><td>0</td><td>0.0%</td>"));
        // Grouped by kind with its count, in words, on a line under the point's row.
        assert!(
            html.contains(
                "<tr class=\"detail\"><td colspan=\"8\">why runs missed: 10 stuck: MIN and MAX allow neither a stop nor a start</td></tr>"
            ),
            "{html}"
        );
    }
}

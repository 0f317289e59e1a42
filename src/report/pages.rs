//! Each command's charts and `report.html`, from its results: the glue between the model's
//! types and the plain data the chart functions take. Pure: bytes out, no files.

use std::collections::BTreeMap;

use super::RunInfo;
use super::charts::{
    self, ChartError, CountsPoint, DeployTimeChart, Figure, LaneSegment, OutcomeBar, OutcomeChart,
    TaskState, TraceChart,
};
use super::html::Page;
use crate::experiment::{Distribution, Summary};
use crate::model::{Outcome, Params, ReplicationResult, Revision, Step, StepKind};
use crate::scenario::{Scenario, format_human};

/// A chart rendered both ways, with the file name stem it is written under.
#[derive(Clone, Debug)]
pub struct RenderedChart {
    /// `deploy_seconds` for `deploy_seconds.svg` and `deploy_seconds.png`.
    pub stem: String,
    pub title: String,
    pub svg: String,
    pub png: Vec<u8>,
}

/// Renders a figure as SVG and PNG.
pub fn render(figure: &impl Figure, stem: &str) -> Result<RenderedChart, ChartError> {
    Ok(RenderedChart {
        stem: stem.to_string(),
        title: figure.title(),
        svg: charts::svg(figure)?,
        png: charts::png(figure)?,
    })
}

/// `run`'s charts: the deploy-time distribution always, how runs ended when not all of
/// them completed.
pub fn run_charts(
    scenario: &str,
    results: &[ReplicationResult],
    summary: &Summary,
) -> Result<Vec<RenderedChart>, ChartError> {
    let completed: Vec<f64> = results
        .iter()
        .filter(|r| r.outcome == Outcome::Completed)
        .map(|r| r.deploy.as_secs_f64())
        .collect();
    let deploy = DeployTimeChart {
        scenario,
        runs: summary.runs,
        completed_seconds: &completed,
        p50: summary.deploy_seconds.as_ref().map(|d| d.p50),
        p95: summary.deploy_seconds.as_ref().map(|d| d.p95),
        target: summary.target.as_ref().map(|t| t.target_seconds),
    };
    let mut rendered = vec![render(&deploy, "deploy_seconds")?];
    if summary.count(Outcome::Completed) < summary.runs {
        let outcomes = OutcomeChart {
            scenario,
            runs: summary.runs,
            bars: outcome_bars(summary),
        };
        rendered.push(render(&outcomes, "outcomes")?);
    }
    Ok(rendered)
}

/// One bar per outcome that happened, stuck runs split by reason (without its advice;
/// the full text is in the report's table).
fn outcome_bars(summary: &Summary) -> Vec<OutcomeBar> {
    let mut bars = Vec::new();
    for outcome in Outcome::ALL {
        let count = summary.count(outcome);
        if outcome == Outcome::Stuck && !summary.stuck_reasons.is_empty() {
            for reason in &summary.stuck_reasons {
                // Without the closing advice in parentheses.
                let short = match reason.reason.rfind(" (") {
                    Some(i) if reason.reason.ends_with(')') => &reason.reason[..i],
                    _ => &reason.reason,
                };
                bars.push(OutcomeBar {
                    label: format!("stuck: {short}"),
                    count: reason.count,
                });
            }
        } else if count > 0 || outcome == Outcome::Completed {
            bars.push(OutcomeBar {
                label: outcome.name().to_string(),
                count,
            });
        }
    }
    bars
}

/// The trace's counts over time and each task's states per host, from its steps.
pub fn trace_series(steps: &[Step], end: f64) -> (Vec<CountsPoint>, Vec<LaneSegment>) {
    let mut counts: Vec<CountsPoint> = Vec::new();
    // Open state per task: (host, old, state, since).
    let mut open: BTreeMap<u32, (u32, bool, TaskState, f64)> = BTreeMap::new();
    let mut segments = Vec::new();
    for step in steps {
        let time = step.time.as_secs_f64();
        let c = step.counts;
        let point = CountsPoint {
            time,
            healthy: c.healthy,
            active: c.active,
            old_active: c.active - c.new_active,
            new_active: c.new_active,
            new_healthy: c.new_healthy,
        };
        let same = counts.last().is_some_and(|last| {
            (last.healthy, last.active, last.old_active, last.new_healthy)
                == (
                    point.healthy,
                    point.active,
                    point.old_active,
                    point.new_healthy,
                )
        });
        if !same {
            counts.push(point);
        }
        let (Some(task), Some(host)) = (step.task, step.host) else {
            continue;
        };
        let old = step.revision == Some(Revision::Old);
        let next = match step.kind {
            StepKind::Initial => Some(TaskState::Healthy),
            StepKind::Placed => Some(TaskState::Pulling),
            StepKind::Pulled => Some(TaskState::Starting),
            StepKind::Running => Some(TaskState::Checking),
            StepKind::Healthy => Some(TaskState::Healthy),
            StepKind::StopDecided => Some(TaskState::Draining),
            StepKind::Drained => Some(TaskState::Stopping),
            StepKind::StopReported => {
                if let Some(entry) = open.remove(&task) {
                    close(&mut segments, task, entry, time);
                }
                None
            }
            _ => None,
        };
        if let Some(state) = next {
            match open.get(&task) {
                Some(entry) if entry.2 == state => {}
                _ => {
                    if let Some(entry) = open.remove(&task) {
                        close(&mut segments, task, entry, time);
                    }
                    open.insert(task, (host, old, state, time));
                }
            }
        }
    }
    for (task, entry) in std::mem::take(&mut open) {
        close(&mut segments, task, entry, end);
    }
    (counts, segments)
}

fn close(
    segments: &mut Vec<LaneSegment>,
    task: u32,
    (host, old, state, since): (u32, bool, TaskState, f64),
    at: f64,
) {
    if at > since {
        segments.push(LaneSegment {
            host,
            task,
            old,
            state,
            start: since,
            end: at,
        });
    }
}

/// `trace`'s chart.
pub fn trace_chart(
    scenario: &str,
    params: &Params,
    seed: u64,
    replication: u64,
    result: &ReplicationResult,
    steps: &[Step],
) -> Result<RenderedChart, ChartError> {
    let end = result.deploy.as_secs_f64();
    let (counts, segments) = trace_series(steps, end);
    let chart = TraceChart {
        scenario,
        seed,
        replication,
        outcome: result.outcome.name(),
        end,
        desired: params.desired,
        min_healthy: params.min_healthy,
        max_active: params.max_active,
        counts: &counts,
        segments: &segments,
    };
    render(&chart, "trace")
}

fn percent(share: f64) -> String {
    format!("{:.1}%", 100.0 * share)
}

fn distribution_row(name: &str, d: &Distribution, format: fn(f64) -> String) -> Vec<String> {
    vec![
        name.to_string(),
        d.count.to_string(),
        format(d.mean),
        format(d.min),
        format(d.p50),
        format(d.p90),
        format(d.p95),
        format(d.p99),
        format(d.max),
    ]
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

const DISTRIBUTION_HEADERS: [&str; 9] =
    ["", "runs", "mean", "min", "p50", "p90", "p95", "p99", "max"];

/// `report.html` for `run`: what was run and how to rerun it, the summary tables, the
/// charts inline, the files written and the resolved scenario.
pub fn run_report_html(
    info: &RunInfo,
    summary: &Summary,
    scenario: &Scenario,
    charts: &[RenderedChart],
    files: &[String],
) -> String {
    let mut page = Page::new(&format!("deploysim run: {}", info.scenario));
    page.heading(&format!(
        "{}: how long does the deploy take?",
        info.scenario
    ));
    page.lead(&format!(
        "{} replications of {}, seed {}.{}",
        info.runs,
        info.file,
        info.seed,
        scenario
            .description
            .as_deref()
            .map(|d| format!(" {d}"))
            .unwrap_or_default()
    ));
    page.section("Reproduce");
    page.code(&info.command);

    page.section("Outcomes");
    let runs = summary.runs.max(1) as f64;
    let rows: Vec<Vec<String>> = summary
        .outcomes
        .iter()
        .map(|(outcome, count)| {
            vec![
                outcome.clone(),
                count.to_string(),
                percent(*count as f64 / runs),
            ]
        })
        .collect();
    page.table(&["outcome", "runs", "share"], &rows, &[]);
    if !summary.stuck_reasons.is_empty() {
        let rows: Vec<Vec<String>> = summary
            .stuck_reasons
            .iter()
            .map(|r| vec![r.count.to_string(), r.reason.clone()])
            .collect();
        page.table(&["stuck runs", "why"], &rows, &[1]);
    }

    page.section("Deploy time");
    match &summary.deploy_seconds {
        Some(d) => {
            page.table(
                &DISTRIBUTION_HEADERS,
                &[distribution_row(
                    "deploy time (completed runs)",
                    d,
                    format_human,
                )],
                &[],
            );
        }
        None => {
            page.paragraph("No run completed.");
        }
    }
    if let Some(target) = &summary.target {
        page.paragraph(&format!(
            "Within the target {}: {} of {} runs = {} (95% CI {} to {}).",
            format_human(target.target_seconds),
            target.within,
            target.runs,
            percent(target.share),
            percent(target.ci_low),
            percent(target.ci_high)
        ));
    }
    for chart in charts {
        page.chart(&chart.svg, None);
    }

    page.section("Other measures");
    let mut rows = Vec::new();
    let mut add = |name: &str, d: &Option<Distribution>, format: fn(f64) -> String| {
        if let Some(d) = d {
            rows.push(distribution_row(name, d, format));
        }
    };
    add(
        "first new task healthy",
        &summary.first_new_healthy_seconds,
        format_human,
    );
    add("lowest healthy tasks", &summary.min_healthy, number);
    add(
        "capacity deficit (task-seconds)",
        &summary.deficit_task_seconds,
        number,
    );
    add("peak active tasks", &summary.peak_active, number);
    add("tasks started", &summary.tasks_started, number);
    add("tasks failed", &summary.tasks_failed, number);
    add("placement failures", &summary.placement_failures, number);
    add("events", &summary.events, number);
    add(
        "spare host time (host-seconds)",
        &summary.host_seconds_extra,
        number,
    );
    add("cost per deploy", &summary.cost, number);
    page.table(&DISTRIBUTION_HEADERS, &rows, &[]);

    page.section("Files");
    page.list(files);
    page.section("Resolved scenario");
    page.note("The scenario with every default filled in, as the simulation used it.");
    page.code(&super::resolved_scenario_toml(scenario));
    page.finish()
}

/// What a trace was: enough to reproduce it.
#[derive(Clone, Debug)]
pub struct TraceInfo<'a> {
    pub scenario: &'a str,
    pub file: &'a str,
    pub seed: u64,
    pub replication: u64,
    pub command: &'a str,
}

/// The HTML report of `trace`: the replication's outcome, the chart, the resolved scenario.
pub fn trace_report_html(
    info: &TraceInfo<'_>,
    params: &Params,
    result: &ReplicationResult,
    scenario: &Scenario,
    chart: &RenderedChart,
    files: &[String],
) -> String {
    let mut page = Page::new(&format!("deploysim trace: {}", info.scenario));
    page.heading(&format!("{}: one deploy, step by step", info.scenario));
    page.lead(&format!(
        "{}, seed {}, replication {}.",
        info.file, info.seed, info.replication
    ));
    page.section("Reproduce");
    page.code(info.command);
    page.section("What happened");
    let mut rows = vec![
        vec!["outcome".to_string(), result.outcome.name().to_string()],
        vec![
            "ended at".to_string(),
            format_human(result.deploy.as_secs_f64()),
        ],
    ];
    if let Some(reason) = result.stuck_reason {
        rows.push(vec!["stuck because".to_string(), reason.to_string()]);
    }
    rows.extend([
        vec![
            "first new task healthy".to_string(),
            result
                .first_new_healthy
                .map(|d| format_human(d.as_secs_f64()))
                .unwrap_or_else(|| "never".to_string()),
        ],
        vec![
            "D, MIN, MAX".to_string(),
            format!(
                "{} tasks, {} healthy, {} active",
                params.desired, params.min_healthy, params.max_active
            ),
        ],
        vec!["lowest healthy".to_string(), result.min_healthy.to_string()],
        vec!["peak active".to_string(), result.peak_active.to_string()],
        vec![
            "tasks started".to_string(),
            result.tasks_started.to_string(),
        ],
        vec!["events".to_string(), result.events.to_string()],
    ]);
    page.table(&["", ""], &rows, &[1]);
    page.chart(&chart.svg, None);
    page.section("Files");
    page.list(files);
    page.section("Resolved scenario");
    page.code(&super::resolved_scenario_toml(scenario));
    page.finish()
}

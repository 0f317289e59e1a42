//! Each command's charts and `report.html`, from its results: the glue between the model's
//! types and the plain data the chart functions take. Pure: bytes out, no files.

use std::collections::BTreeMap;

use super::RunInfo;
use super::charts::{
    self, BreakerChart, ChartError, CountsPoint, DeployTimeChart, Figure, LaneSegment, OutcomeBar,
    OutcomeChart, StageBand, TaskState, TraceChart,
};
use super::html::Page;
use crate::experiment::{Distribution, Summary};
use crate::model::{
    Controller, Detail, Outcome, Params, ReplicationResult, Revision, Stage, Step, StepKind,
};
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
    // The bad-deploy question, when the breaker tripped in some run: how soon it tripped
    // and how soon the old revision served again.
    let detection: Vec<f64> = results
        .iter()
        .filter_map(|r| r.detection.map(|d| d.as_secs_f64()))
        .collect();
    if !detection.is_empty() {
        let restored: Vec<f64> = results
            .iter()
            .filter_map(|r| r.restored.map(|d| d.as_secs_f64()))
            .collect();
        let breaker = BreakerChart {
            scenario,
            runs: summary.runs,
            detection_seconds: &detection,
            restored_seconds: &restored,
        };
        rendered.push(render(&breaker, "breaker")?);
    }
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

/// One bar per outcome that happened, the runs that did not complete split by kind of
/// reason (one bar per kind, whatever the counts in its detail).
fn outcome_bars(summary: &Summary) -> Vec<OutcomeBar> {
    let mut bars = Vec::new();
    for outcome in Outcome::ALL {
        let count = summary.count(outcome);
        let groups: Vec<_> = summary
            .reasons
            .iter()
            .filter(|g| g.outcome == outcome.name())
            .collect();
        if groups.len() > 1 || (outcome == Outcome::Stuck && !groups.is_empty()) {
            for group in groups {
                bars.push(OutcomeBar {
                    label: format!("{}: {}", outcome.name(), group.label()),
                    count: group.count,
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
            hosts_up: c.hosts_up,
        };
        let same = counts.last().is_some_and(|last| {
            (
                last.healthy,
                last.active,
                last.old_active,
                last.new_healthy,
                last.hosts_up,
            ) == (
                point.healthy,
                point.active,
                point.old_active,
                point.new_healthy,
                point.hosts_up,
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
            StepKind::Drained | StepKind::StartFailed => Some(TaskState::Stopping),
            StepKind::StopReported | StepKind::Lost => {
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
    // A Kubernetes run goes on after completion until the last old pod is gone.
    let end = result.settled.unwrap_or(result.deploy).as_secs_f64();
    let (counts, segments) = trace_series(steps, end);
    let (traffic, stages) = if params.controller == Controller::TrafficShift {
        traffic_series(steps, end)
    } else {
        (Vec::new(), Vec::new())
    };
    let chart = TraceChart {
        scenario,
        seed,
        replication,
        outcome: result.outcome.name(),
        end,
        desired: params.desired,
        min_healthy: params.min_healthy,
        max_active: params.max_active,
        pods: params.kube.is_some(),
        completed: result.settled.map(|_| result.deploy.as_secs_f64()),
        service_hosts: params.service_hosts,
        spare_hosts: params.spare_hosts,
        counts: &counts,
        segments: &segments,
        traffic: &traffic,
        stages: &stages,
        lane: if params.fargate.is_some() {
            "zone"
        } else {
            "host"
        },
    };
    render(&chart, "trace")
}

/// A traffic-shifting deployment's green share over time (from 0% at 0) and its stages
/// (scale-up from 0 to the first recorded stage, each stage until the next, the last
/// until the run's end).
fn traffic_series(steps: &[Step], end: f64) -> (Vec<(f64, f64)>, Vec<StageBand>) {
    let mut traffic = vec![(0.0, 0.0)];
    let mut stages = vec![StageBand {
        name: Stage::ScaleUp.name(),
        start: 0.0,
        end,
    }];
    for step in steps {
        let time = step.time.as_secs_f64();
        match (step.kind, step.detail) {
            (StepKind::TrafficShifted, Detail::Green { basis_points }) => {
                traffic.push((time, basis_points as f64 / 100.0));
            }
            (StepKind::Stage, Detail::Stage(stage)) => {
                if let Some(last) = stages.last_mut() {
                    last.end = time;
                }
                stages.push(StageBand {
                    name: stage.name(),
                    start: time,
                    end,
                });
            }
            _ => {}
        }
    }
    (traffic, stages)
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

/// A duration for people, and plain "0s" for none (not "0ms").
fn duration_or_zero(seconds: f64) -> String {
    if seconds == 0.0 {
        "0s".to_string()
    } else {
        format_human(seconds)
    }
}

/// Host-seconds as host-hours, two decimals.
fn host_hours(seconds: f64) -> String {
    format!("{:.2}", seconds / 3600.0)
}

/// A price per deploy: three decimals (often cents).
fn money(amount: f64) -> String {
    format!("{amount:.3}")
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
    costs: &crate::experiment::costs::DailyCost,
    scenario: &Scenario,
    charts: &[RenderedChart],
    files: &[String],
) -> String {
    let mut page = Page::new(&format!("deploysim run: {}", info.scenario));
    // The question the run answers: a deploy whose breaker trips is about detection and
    // restoration, not deploy time.
    let breaker_tripped = summary.detection_seconds.is_some();
    page.heading(
        &if breaker_tripped && summary.count(Outcome::Completed) == 0 {
            format!(
                "{}: how soon does the circuit breaker trip, and the service recover?",
                info.scenario
            )
        } else {
            format!("{}: how long does the deploy take?", info.scenario)
        },
    );
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
    page.command(&info.command);

    page.section("Outcomes");
    let runs = summary.runs.max(1) as f64;
    let rows: Vec<Vec<String>> = summary
        .outcomes
        .iter()
        .filter(|(outcome, count)| **count > 0 || outcome.as_str() != Outcome::EventLimit.name())
        .map(|(outcome, count)| {
            vec![
                outcome.clone(),
                count.to_string(),
                percent(*count as f64 / runs),
            ]
        })
        .collect();
    page.table(&["outcome", "runs", "share"], &rows, &[]);
    for chart in charts.iter().filter(|c| c.stem == "outcomes") {
        page.chart(&chart.svg, None);
    }
    if !summary.reasons.is_empty() {
        let rows: Vec<Vec<String>> = summary
            .reasons
            .iter()
            .map(|r| {
                vec![
                    r.outcome.clone(),
                    r.count.to_string(),
                    r.label(),
                    r.advice.clone().unwrap_or_default(),
                ]
            })
            .collect();
        page.table(
            &["outcome", "runs", "why", "what to change"],
            &rows,
            &[2, 3],
        );
    }

    if breaker_tripped {
        page.section("Circuit breaker");
        let mut rows = Vec::new();
        if let Some(d) = &summary.detection_seconds {
            rows.push(distribution_row("breaker tripped after", d, format_human));
        }
        if let Some(d) = &summary.restored_seconds {
            rows.push(distribution_row(
                "service restored after (D old tasks healthy)",
                d,
                format_human,
            ));
        }
        page.table(&DISTRIBUTION_HEADERS, &rows, &[]);
        for chart in charts.iter().filter(|c| c.stem == "breaker") {
            page.chart(&chart.svg, None);
        }
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
    // The deploy-time chart only when some run completed: otherwise it has nothing to show.
    if summary.deploy_seconds.is_some() {
        for chart in charts.iter().filter(|c| c.stem == "deploy_seconds") {
            page.chart(&chart.svg, None);
        }
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
        "capacity deficit (missing tasks × time)",
        &summary.deficit_task_seconds,
        duration_or_zero,
    );
    add("peak active tasks", &summary.peak_active, number);
    add("tasks started", &summary.tasks_started, number);
    add("tasks failed", &summary.tasks_failed, number);
    add(
        "evaluations that found no room (waiting or stuck)",
        &summary.placement_failures,
        number,
    );
    add("events", &summary.events, number);
    add(
        "all production traffic on the new revision after",
        &summary.traffic_shifted_seconds,
        format_human,
    );
    // Shown only when they happen, like the terminal summary.
    let happened = |d: &Option<Distribution>| d.as_ref().is_some_and(|d| d.max > 0.0);
    if happened(&summary.capacity_wait_seconds) {
        add(
            "waiting for room to start a task",
            &summary.capacity_wait_seconds,
            format_human,
        );
    }
    if happened(&summary.scaled_hosts) {
        add("hosts launched by scaling", &summary.scaled_hosts, number);
    }
    if happened(&summary.bad_exposure_seconds) {
        add(
            "bad revision's exposure (seconds of full production traffic)",
            &summary.bad_exposure_seconds,
            number,
        );
    }
    if happened(&summary.host_seconds_extra) {
        add(
            "spare and scaled-out host time (host-hours)",
            &summary.host_seconds_extra,
            host_hours,
        );
    }
    if happened(&summary.task_seconds_extra) {
        add(
            "Fargate tasks billed above D (task-hours)",
            &summary.task_seconds_extra,
            host_hours,
        );
    }
    let cost_label = format!("cost per deploy ({})", scenario.cluster.currency);
    add(&cost_label, &summary.cost, money);
    // Kubernetes only (absent on ECS).
    add(
        "settled: last old pod gone (completed)",
        &summary.settled_seconds,
        format_human,
    );
    add(
        "early terminations (SIGTERM while still receiving requests)",
        &summary.early_terminations,
        number,
    );
    page.table(&DISTRIBUTION_HEADERS, &rows, &[]);

    page.section("Cost: per deploy and always-on");
    page.table(
        &super::costs::COST_HEADERS,
        &super::costs::cost_rows(costs),
        &[0],
    );
    page.note("Spare hosts are paid all day whatever the number of deploys; hosts launched by managed scaling only from their launch to scale_in_after past the deploy, on each of cluster.deploys_per_day deploys. A month is 730 hours.");

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
    page.command(info.command);
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
        match &params.shift {
            // MIN and MAX do not apply to the traffic-shifting strategies.
            Some(shift) => vec![
                "D, strategy".to_string(),
                format!("{} tasks, {}", params.desired, shift.strategy.name()),
            ],
            None => vec![
                "D, MIN, MAX".to_string(),
                format!(
                    "{} tasks, {} healthy, {} active",
                    params.desired, params.min_healthy, params.max_active
                ),
            ],
        },
        vec!["lowest healthy".to_string(), result.min_healthy.to_string()],
        vec!["peak active".to_string(), result.peak_active.to_string()],
        vec![
            "tasks started".to_string(),
            result.tasks_started.to_string(),
        ],
        vec!["events".to_string(), result.events.to_string()],
    ]);
    // What only some deploys have, in the units people read.
    if let Some(at) = result.traffic_shifted {
        rows.push(vec![
            "all production traffic on the new revision at".to_string(),
            format_human(at.as_secs_f64()),
        ]);
    }
    if let Some(at) = result.detection {
        let what = if result.alarm_fired {
            "deployment alarm fired at"
        } else {
            "circuit breaker tripped at"
        };
        rows.push(vec![what.to_string(), format_human(at.as_secs_f64())]);
    }
    if result.bad_exposure_micros > 0 {
        rows.push(vec![
            "bad revision's exposure".to_string(),
            format!(
                "{} of full production traffic",
                format_human(result.bad_exposure_micros as f64 / 1e6)
            ),
        ]);
    }
    if let Some(at) = result.restored {
        rows.push(vec![
            "service restored at (D old tasks healthy)".to_string(),
            format_human(at.as_secs_f64()),
        ]);
    }
    if result.capacity_wait.micros() > 0 {
        rows.push(vec![
            "waiting for room to start a task".to_string(),
            format_human(result.capacity_wait.as_secs_f64()),
        ]);
    }
    if result.host_micros_extra > 0 {
        rows.push(vec![
            "spare and scaled-out host time".to_string(),
            format!(
                "{} host-hours",
                host_hours(result.host_micros_extra as f64 / 1e6)
            ),
        ]);
    }
    page.table(&["", ""], &rows, &[1]);
    page.chart(&chart.svg, None);
    page.section("Files");
    page.list(files);
    page.section("Resolved scenario");
    page.code(&super::resolved_scenario_toml(scenario));
    page.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::StepLog;
    use crate::experiment::{RunSettings, run_replications};
    use crate::model::World;
    use crate::report::charts::testing::{check_png, check_svg};

    fn scenario(overrides: &[&str]) -> Scenario {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ecs-blog.toml");
        let overrides: Vec<_> = overrides
            .iter()
            .map(|o| crate::scenario::Override::parse(o).unwrap())
            .collect();
        crate::scenario::load(&path, &overrides).unwrap()
    }

    fn run(scenario: &Scenario, runs: u32) -> (Vec<ReplicationResult>, Summary) {
        let settings = RunSettings {
            runs,
            seed: 1,
            threads: Some(1),
            progress: false,
        };
        let results = run_replications(scenario, settings).unwrap();
        let target = scenario.simulation.target.map(|t| t.0.as_secs_f64());
        let summary = Summary::of(&results, target);
        (results, summary)
    }

    #[test]
    fn run_charts_render_from_a_small_scenario() {
        let scenario = scenario(&["cluster.spare_hosts=5"]);
        let (results, summary) = run(&scenario, 60);
        let d = summary.deploy_seconds.clone().unwrap();
        let deploy = DeployTimeChart {
            scenario: &scenario.name,
            runs: summary.runs,
            completed_seconds: &results
                .iter()
                .map(|r| r.deploy.as_secs_f64())
                .collect::<Vec<_>>(),
            p50: Some(d.p50),
            p95: Some(d.p95),
            target: Some(1800.0),
        };
        check_svg(&deploy, &["ecs-blog", "target 30m", "100.0% within target"]);
        check_png(&deploy);
        let charts = run_charts(&scenario.name, &results, &summary).unwrap();
        assert_eq!(
            charts.iter().map(|c| c.stem.as_str()).collect::<Vec<_>>(),
            ["deploy_seconds"],
            "no outcome chart when every run completed"
        );
    }

    #[test]
    fn outcome_chart_when_runs_get_stuck() {
        let scenario = scenario(&["deployment.maximum_percent=100", "cluster.spare_hosts=0"]);
        let (results, summary) = run(&scenario, 20);
        assert_eq!(summary.count(Outcome::Stuck), 20);
        let charts = run_charts(&scenario.name, &results, &summary).unwrap();
        assert_eq!(charts.len(), 2);
        let outcomes = OutcomeChart {
            scenario: &scenario.name,
            runs: summary.runs,
            bars: outcome_bars(&summary),
        };
        let svg = check_svg(
            &outcomes,
            &["stuck: MIN and MAX allow neither a stop nor a start (MIN 5 healthy, MAX 5 active)"],
        );
        assert!(
            !svg.contains("raise maximum_percent"),
            "advice left to the table"
        );
        check_png(&outcomes);
    }

    #[test]
    fn trace_chart_renders_from_a_small_scenario() {
        let scenario = scenario(&[]);
        let params = Params::new(&scenario);
        let mut log = StepLog::default();
        let result = World::new(params.clone()).run(1, 0, &mut log);
        let end = result.deploy.as_secs_f64();
        let (counts, segments) = trace_series(&log.steps, end);
        // Every host has lanes; every task's segments tile its life without overlap.
        let hosts: std::collections::BTreeSet<u32> = segments.iter().map(|s| s.host).collect();
        assert_eq!(hosts.len(), 6);
        let mut by_task: BTreeMap<u32, Vec<&LaneSegment>> = BTreeMap::new();
        for s in &segments {
            assert!(s.end > s.start && s.end <= end + 1e-9);
            by_task.entry(s.task).or_default().push(s);
        }
        assert_eq!(by_task.len(), 10, "5 old and 5 new tasks");
        for segments in by_task.values() {
            for pair in segments.windows(2) {
                assert_eq!(pair[0].end, pair[1].start);
            }
        }
        assert_eq!(counts.first().map(|c| c.time), Some(0.0));
        let chart = TraceChart {
            scenario: &scenario.name,
            seed: 1,
            replication: 0,
            outcome: result.outcome.name(),
            end,
            desired: params.desired,
            min_healthy: params.min_healthy,
            max_active: params.max_active,
            pods: params.kube.is_some(),
            completed: result.settled.map(|_| result.deploy.as_secs_f64()),
            service_hosts: params.service_hosts,
            spare_hosts: params.spare_hosts,
            counts: &counts,
            segments: &segments,
            traffic: &[],
            stages: &[],
            lane: "host",
        };
        check_svg(
            &chart,
            &[
                "MIN = 5 healthy",
                "MAX = 10 active",
                "spare 5",
                "health checks",
            ],
        );
        check_png(&chart);
    }

    #[test]
    fn run_report_has_the_name_the_numbers_and_inline_charts() {
        let scenario = scenario(&["cluster.spare_hosts=5"]);
        let (results, summary) = run(&scenario, 50);
        let info = RunInfo {
            scenario: scenario.name.clone(),
            file: "scenarios/ecs-blog.toml".into(),
            runs: 50,
            seed: 1,
            command: "deploysim run scenarios/ecs-blog.toml --set cluster.spare_hosts=5 --runs 50"
                .into(),
        };
        let charts = run_charts(&scenario.name, &results, &summary).unwrap();
        let costs = crate::experiment::costs::DailyCost::of(&scenario, &results);
        let html = run_report_html(
            &info,
            &summary,
            &costs,
            &scenario,
            &charts,
            &["out/report.html".into()],
        );
        let d = summary.deploy_seconds.as_ref().unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("ecs-blog: how long does the deploy take?"));
        assert!(html.contains(&format!("<td>{}</td>", format_human(d.p50))));
        assert!(html.contains(&format!("<td>{}</td>", format_human(d.p95))));
        assert!(html.contains("<td>completed</td><td>50</td><td>100.0%</td>"));
        assert!(html.contains("Within the target 30m: 50 of 50 runs"));
        assert!(html.contains("<figure>\n<svg"));
        assert!(html.contains("--set cluster.spare_hosts=5 --runs 50"));
        assert!(html.contains("spare_hosts = 5"), "the resolved scenario");
        assert!(!html.contains("<script"));
        assert!(!html.contains("<td>event_limit</td>"));
    }
}

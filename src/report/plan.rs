//! `plan`'s outputs: `plan.csv`, its JSON document and its terminal text.

use std::fmt::Write;

use serde::Serialize;

use super::RunInfo;
use crate::experiment::budget::thousands;
use crate::experiment::plan::{LowerBound, Plan, PlanRow};
use crate::scenario::format_human;

/// The columns of `plan.csv`: the six the issue names, then deploy time and spare host
/// cost per value.
pub const PLAN_COLUMNS: [&str; 13] = [
    "value",
    "runs",
    "within_target",
    "share",
    "ci_low",
    "ci_high",
    "completed",
    "deploy_mean_seconds",
    "deploy_p50_seconds",
    "deploy_p95_seconds",
    "host_seconds_extra_mean",
    "cost_mean",
    "why",
];

/// A number for CSV: shortest exact decimal; empty for none.
pub(super) fn number(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// `plan.csv`: one row per value tried, in increasing value.
pub fn plan_csv(plan: &Plan) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(PLAN_COLUMNS)
        .expect("writing to memory");
    for row in &plan.rows {
        let deploy = row.deploy_seconds.as_ref();
        writer
            .write_record([
                row.value.to_string(),
                row.runs.to_string(),
                row.within_target.to_string(),
                row.share.to_string(),
                row.ci_low.to_string(),
                row.ci_high.to_string(),
                row.completed.to_string(),
                number(deploy.map(|d| d.mean)),
                number(deploy.map(|d| d.p50)),
                number(deploy.map(|d| d.p95)),
                row.host_seconds_extra_mean.to_string(),
                number(row.cost_mean),
                row.why.clone(),
            ])
            .expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

#[derive(Serialize)]
struct PlanDocument<'a> {
    run: &'a RunInfo,
    #[serde(flatten)]
    plan: &'a Plan,
    /// The text's explanation, line by line.
    notes: Vec<String>,
}

/// The JSON document `--format json` prints: `knob`, `answer` (a value or null), `rows`,
/// the verdict, the floor, the lower bound, and the notes the text shows.
pub fn plan_json(info: &RunInfo, plan: &Plan) -> String {
    let document = PlanDocument {
        run: info,
        plan,
        notes: plan_notes(plan),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("plans serialise");
    text.push('\n');
    text
}

/// Money per deploy: three decimals (spare host time of one deploy is often cents).
pub(super) fn money(amount: f64) -> String {
    format!("{amount:.3}")
}

fn percent(share: f64) -> String {
    format!("{:.1}%", 100.0 * share)
}

fn interval(row: &PlanRow) -> String {
    format!("{}-{}", percent(row.ci_low), percent(row.ci_high))
}

/// The verdict, floor and bound in words, one line each (shared by text and JSON).
pub fn plan_notes(plan: &Plan) -> Vec<String> {
    let mut notes = Vec::new();
    let knob = &plan.knob;
    let target = format_human(plan.target_seconds);
    let confidence = percent(plan.confidence);
    let row_of = |value: i64| plan.rows.iter().find(|r| r.value == value);
    match plan.answer {
        Some(answer) => {
            let row = row_of(answer).expect("the answer was tried");
            notes.push(format!(
                "answer: {knob} = {answer}: {} of {} runs within {target} = {} (95% CI {})",
                row.within_target,
                row.runs,
                percent(row.share),
                interval(row)
            ));
            // The neighbour that is not enough: below a minimum, above a maximum.
            let next = if plan.maximize { answer + 1 } else { answer - 1 };
            if let Some(below) = row_of(next) {
                notes.push(format!(
                    "  {knob} = {}: {} within {target} (95% CI {}), below {confidence}",
                    below.value,
                    percent(below.share),
                    interval(below)
                ));
            } else if plan.maximize {
                notes.push(format!(
                    "  {answer} is the largest value searched (--max {})",
                    plan.max
                ));
            } else {
                notes.push(format!(
                    "  {answer} is the smallest value searched (--min {})",
                    plan.min
                ));
            }
        }
        None => notes.push(format!(
            "no answer: no value of {knob} from {} to {} gets {confidence} of deploys within {target}",
            plan.min, plan.max
        )),
    }
    if plan.verdict.settled {
        notes.push(settled_note(plan, &confidence));
    } else {
        let values: Vec<String> = plan
            .verdict
            .straddling
            .iter()
            .map(|v| v.to_string())
            .collect();
        let more = match plan.verdict.runs_to_settle {
            Some(runs) => format!(
                "about {runs} runs would settle it if the shares stay as observed (--runs {runs})"
            ),
            None => "a share equals the confidence exactly, so no number of runs would settle it"
                .to_string(),
        };
        notes.push(format!(
            "NOT SETTLED: the 95% interval of {knob} = {} straddles {confidence}; {more}",
            values.join(" and ")
        ));
    }
    if !plan.monotone && plan.maximize {
        notes.push(format!(
            "warning: a larger {knob} had a larger share on these runs; --maximize assumes the share never rises as {knob} grows"
        ));
    } else if !plan.monotone {
        notes.push(format!(
            "warning: a larger {knob} had a smaller share on these runs; the search assumes the share never falls as {knob} grows"
        ));
    }
    if let Some(floor) = &plan.floor {
        let row = &floor.row;
        let deploy = match &row.deploy_seconds {
            Some(d) => format!(
                "; deploy p50 {}, fastest {} of {} completed",
                format_human(d.p50),
                format_human(d.min),
                d.count
            ),
            None => "; no run completed".to_string(),
        };
        let setting = if knob == "cluster.spare_hosts" {
            format!("{} spare hosts", floor.spare_hosts)
        } else {
            format!(
                "{knob} = {} and {} spare hosts",
                floor.value, floor.spare_hosts
            )
        };
        let stopped = stopped_words(plan, row).map_or(String::new(), |w| format!("; {w}"));
        notes.push(format!(
            "floor (simulated): {setting}, enough for every new task to be placed at once: {} within {target} (95% CI {}){deploy}{stopped}",
            percent(row.share),
            interval(row)
        ));
        if row.enough(plan.confidence) && plan.maximize {
            notes.push(format!(
                "  that is enough: with more spare hosts, {knob} = {} meets the target; add spare hosts (--set cluster.spare_hosts=N)",
                floor.value
            ));
        } else if row.enough(plan.confidence) {
            notes.push(format!(
                "  that is enough: raise --max (more spare hosts than {} would do it)",
                plan.max
            ));
        } else if (row.completed as f64) < plan.confidence * row.runs as f64 {
            // Too many runs never complete for any target to be met.
            let unfinished: Vec<String> = row
                .outcomes
                .iter()
                .filter(|(outcome, count)| outcome.as_str() != "completed" && **count > 0)
                .map(|(outcome, count)| format!("{outcome} {count}"))
                .collect();
            notes.push(format!(
                "  more hosts cannot beat this: even then {} of {} runs did not complete ({}); see `deploysim run` for why",
                row.runs - row.completed,
                row.runs,
                unfinished.join(", ")
            ));
        } else if row.settled(plan.confidence) {
            notes.push(format!(
                "  more hosts cannot beat this: even then fewer than {confidence} finish within {target}; shorten the pull, the health checks or the draining, or raise the target"
            ));
        } else {
            notes.push(format!(
                "  more hosts cannot beat this, and even this is not clearly below {confidence}: its interval straddles it (more runs would tell)"
            ));
        }
    }
    let mut bound = lower_bound_note(&plan.lower_bound, plan.target_seconds);
    if knob != "cluster.spare_hosts" {
        // Spare hosts never move the bound; other keys (thresholds, MIN) may.
        bound.push_str(&format!(" (computed at {knob} = {})", plan.lower_bound_at));
    }
    notes.push(bound);
    notes.push(
        "a run that did not complete (stuck, timed out, rolled back, failed) counts as not within the target; every value runs the same seeds (common random numbers)"
            .to_string(),
    );
    notes
}

/// Whether `row` stopped before the plan's full count of runs.
pub fn stopped_early(plan: &Plan, row: &PlanRow) -> bool {
    row.runs < plan.runs as u64
}

/// `stopped at 200 of 1,000 runs: settled`, for a value that stopped early.
pub fn stopped_words(plan: &Plan, row: &PlanRow) -> Option<String> {
    stopped_at(row.runs, plan.runs as u64)
}

/// `stopped at RAN of MOST runs: settled` when fewer than `most` ran (plan's values and
/// sweep's points alike).
pub fn stopped_at(ran: u64, most: u64) -> Option<String> {
    (ran < most).then(|| {
        format!(
            "stopped at {} of {} runs: settled",
            thousands(ran),
            thousands(most)
        )
    })
}

/// The settled verdict, with the runs each deciding value used when one stopped early.
fn settled_note(plan: &Plan, confidence: &str) -> String {
    let deciding: Vec<&PlanRow> = match plan.answer {
        Some(answer) => {
            let next = if plan.maximize {
                answer + 1
            } else {
                answer - 1
            };
            plan.rows
                .iter()
                .filter(|r| r.value == answer || r.value == next)
                .collect()
        }
        None => plan.rows.iter().filter(|r| r.value == plan.max).collect(),
    };
    if deciding.iter().all(|r| !stopped_early(plan, r)) {
        return format!(
            "settled: every interval that decides this lies on one side of {confidence} at {} runs",
            plan.runs
        );
    }
    let at: Vec<String> = deciding
        .iter()
        .map(|r| format!("{} at {} runs", r.value, thousands(r.runs)))
        .collect();
    format!(
        "settled: every interval that decides this lies on one side of {confidence} ({} = {}; a value stops before {} runs once clear of it)",
        plan.knob,
        at.join(", "),
        thousands(plan.runs as u64)
    )
}

fn lower_bound_note(bound: &LowerBound, target: f64) -> String {
    let path = if bound.pods {
        format!(
            "first new pod available {} (a rollout completes once old pods are deleted, before they are gone)",
            format_human(bound.new_task_healthy_seconds)
        )
    } else if bound.old_tasks_can_be_lost {
        format!(
            "first new task healthy {} (old tasks count 0: with host failures one can be lost at any instant)",
            format_human(bound.new_task_healthy_seconds)
        )
    } else if bound.stops_wait_for_new_healthy {
        format!(
            "first new task healthy {} + then an old task's stop {}",
            format_human(bound.new_task_healthy_seconds),
            format_human(bound.old_task_stop_seconds)
        )
    } else {
        format!(
            "the longer of first new task healthy {} and an old task's stop {}",
            format_human(bound.new_task_healthy_seconds),
            format_human(bound.old_task_stop_seconds)
        )
    };
    let verdict = if target < bound.seconds {
        format!(
            "; the target {} is below it, so no number of hosts can meet it",
            format_human(target)
        )
    } else {
        String::new()
    };
    format!(
        "lower bound (analytic, from each distribution's minimum): no deploy can finish before {} = {path}{verdict}",
        format_human(bound.seconds)
    )
}

/// `, 500 of 4,000 replications run (values stop early once settled)` when some value
/// stopped early; empty otherwise.
pub fn replications_used(plan: &Plan) -> String {
    if !plan.rows.iter().any(|r| stopped_early(plan, r)) {
        return String::new();
    }
    let used: u64 = plan.rows.iter().map(|r| r.runs).sum();
    let most = plan.rows.len() as u64 * plan.runs as u64;
    format!(
        ", {} of {} replications run (a value stops early once settled; --all-runs runs them all)",
        thousands(used),
        thousands(most)
    )
}

/// The terminal text: the rows, then the notes.
pub fn plan_text(info: &RunInfo, plan: &Plan, files: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "plan: the {} {} with at least {} of deploys within {}",
        if plan.maximize { "largest" } else { "smallest" },
        plan.knob,
        percent(plan.confidence),
        format_human(plan.target_seconds)
    );
    let _ = writeln!(
        out,
        "{} ({}): {}{} replications per value, seed {}, {} values tried{}",
        info.scenario,
        info.file,
        if replications_used(plan).is_empty() {
            ""
        } else {
            "up to "
        },
        thousands(plan.runs as u64),
        plan.seed,
        plan.rows.len(),
        replications_used(plan)
    );
    let _ = writeln!(out);
    let priced = plan.rows.iter().any(|r| r.cost_mean.is_some());
    let _ = writeln!(
        out,
        "  {:>8} {:>6} {:>6} {:>7} {:>7} {:>15} {:>9} {:>9} {:>9} {:>9} {:>10}",
        "value",
        "runs",
        "done",
        "within",
        "share",
        "95% CI",
        "p50",
        "p95",
        "spare h",
        "cost",
        "a day"
    );
    for row in &plan.rows {
        let deploy = row.deploy_seconds.as_ref();
        let mut mark = if Some(row.value) == plan.answer {
            "  <- answer".to_string()
        } else {
            String::new()
        };
        if let Some(words) = stopped_words(plan, row) {
            mark.push_str(if mark.is_empty() { "  " } else { "; " });
            mark.push_str(&words);
        }
        let _ = writeln!(
            out,
            "  {:>8} {:>6} {:>6} {:>7} {:>7} {:>15} {:>9} {:>9} {:>9.2} {:>9} {:>10}{mark}",
            row.value,
            row.runs,
            row.completed,
            row.within_target,
            percent(row.share),
            interval(row),
            deploy.map_or("-".to_string(), |d| format_human(d.p50)),
            deploy.map_or("-".to_string(), |d| format_human(d.p95)),
            row.host_seconds_extra_mean / 3600.0,
            row.cost_mean.map_or("-".to_string(), money),
            row.costs
                .as_ref()
                .and_then(|c| c.extra_daily)
                .map_or("-".to_string(), |d| format!("{d:.2}")),
        );
    }
    let _ = writeln!(
        out,
        "  (done: runs that completed; p50, p95: deploy time of the completed runs; spare h: spare and scaled-out host-hours per deploy, mean; cost: its price per deploy; a day: spare hosts all day plus scaled-out hosts at {}{})",
        plan.rows
            .first()
            .and_then(|r| r.costs.as_ref())
            .map_or("1 deploy a day".to_string(), |c| {
                super::costs::per_day_words(c.deploys_per_day)
            }),
        match plan.rows.first().and_then(|r| r.costs.as_ref()) {
            Some(c) if priced => format!("; costs in {}", c.currency),
            _ => ", set cluster.host_hourly_cost or cluster.instance_type to price it".to_string(),
        }
    );
    // Why each value that was not enough fell short, grouped by kind.
    let short: Vec<&PlanRow> = plan
        .rows
        .iter()
        .filter(|r| !r.enough(plan.confidence) && !r.why.is_empty())
        .collect();
    if !short.is_empty() {
        let _ = writeln!(
            out,
            "  why the values below {} fell short:",
            percent(plan.confidence)
        );
        for row in short {
            let _ = writeln!(out, "  {:>8}  {}", row.value, row.why);
        }
    }
    let _ = writeln!(out);
    for note in plan_notes(plan) {
        let _ = writeln!(out, "  {note}");
    }
    super::text::files_written(&mut out, files);
    out
}

/// `plan.svg` / `plan.png`: the share within target against the knob, with its interval,
/// the confidence line, the answer and the cost per deploy (charts::PlanChart).
pub fn plan_chart(
    scenario: &str,
    plan: &Plan,
) -> Result<super::RenderedChart, super::charts::ChartError> {
    let points: Vec<super::charts::PlanPoint> = plan
        .rows
        .iter()
        .map(|row| super::charts::PlanPoint {
            knob: row.value as f64,
            share: row.share,
            ci_low: row.ci_low,
            ci_high: row.ci_high,
            // Always-on daily cost: per deploy, fewer spare hosts that take longer can
            // look dearer than more that finish sooner.
            cost: row.costs.as_ref().and_then(|c| c.extra_daily),
        })
        .collect();
    let label = plan
        .rows
        .iter()
        .find_map(|r| r.costs.as_ref())
        .map(|c| format!("always-on cost a day ({})", c.currency));
    let chart = super::charts::PlanChart {
        scenario,
        knob: &plan.knob,
        knob_is_duration: false,
        target_seconds: plan.target_seconds,
        confidence: plan.confidence,
        points: &points,
        answer: plan.answer.map(|a| a as f64),
        cost_unit: label.as_deref(),
    };
    super::render(&chart, "plan")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::plan::Verdict;

    fn plan(answer: Option<i64>) -> Plan {
        let row = |value: i64, within: u64| PlanRow {
            value,
            runs: 100,
            within_target: within,
            share: within as f64 / 100.0,
            ci_low: 0.5,
            ci_high: 0.75,
            tried: 0,
            completed: 100,
            outcomes: Default::default(),
            deploy_seconds: None,
            host_seconds_extra_mean: 1800.0,
            cost_mean: Some(0.25),
            why: if within < 96 {
                format!("{} completed after 10m", 100 - within)
            } else {
                String::new()
            },
            costs: None,
        };
        Plan {
            knob: "cluster.spare_hosts".into(),
            maximize: false,
            target_seconds: 600.0,
            confidence: 0.95,
            runs: 100,
            early_stop: true,
            seed: 1,
            min: 0,
            max: 2,
            answer,
            verdict: Verdict {
                settled: false,
                straddling: vec![2],
                runs_to_settle: Some(1234),
            },
            rows: vec![row(1, 50), row(2, 96)],
            monotone: true,
            floor: None,
            lower_bound: LowerBound {
                seconds: 434.5,
                new_task_healthy_seconds: 132.0,
                old_task_stop_seconds: 302.5,
                stops_wait_for_new_healthy: true,
                old_tasks_can_be_lost: false,
                pods: false,
            },
            lower_bound_at: 2,
        }
    }

    #[test]
    fn plan_csv_has_the_issue_columns_first() {
        let csv = String::from_utf8(plan_csv(&plan(Some(2)))).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[0].starts_with("value,runs,within_target,share,ci_low,ci_high,"));
        assert_eq!(
            lines[1],
            "1,100,50,0.5,0.5,0.75,100,,,,1800,0.25,50 completed after 10m"
        );
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn notes_say_when_the_answer_is_not_settled() {
        let notes = plan_notes(&plan(Some(2))).join("\n");
        assert!(notes.contains("answer: cluster.spare_hosts = 2"), "{notes}");
        assert!(notes.contains("NOT SETTLED"), "{notes}");
        assert!(notes.contains("--runs 1234"), "{notes}");
        assert!(
            notes.contains("no deploy can finish before 7m15s"),
            "{notes}"
        );
        let json: serde_json::Value = serde_json::from_str(&plan_json(
            &RunInfo {
                scenario: "s".into(),
                file: "s.toml".into(),
                runs: 100,
                seed: 1,
                command: "deploysim plan s.toml".into(),
            },
            &plan(None),
        ))
        .unwrap();
        assert!(json["answer"].is_null());
        assert_eq!(json["knob"], "cluster.spare_hosts");
        assert_eq!(json["rows"].as_array().unwrap().len(), 2);
    }
}

//! `plan`: the smallest value of an integer knob for which at least a given share of
//! deploys complete within a target.
//!
//! The search assumes the share within target does not fall as the knob grows (more spare
//! hosts never slow a deploy down in expectation). It evaluates the lowest allowed value,
//! then gallops upwards (steps 1, 2, 4, ...) until a value is enough, then bisects between
//! the last value that was not enough and the first that was. Every value runs the same
//! replications with the same seed (common random numbers), so neighbouring values differ
//! by the knob, not by luck, and the curve does not zig-zag from noise. A value stops
//! before `runs` once its share is clearly above or below the confidence (`early_stop`),
//! unless `all_runs` asks for every replication.
//!
//! Nothing here reads or writes a file: the caller supplies a function that builds the
//! scenario for a value of the knob.

use std::collections::BTreeMap;

use serde::Serialize;

use super::costs::DailyCost;
use super::early_stop::{early_z, run_until_settled};
use super::{Distribution, RunSettings, Summary, TargetShare, Z95, wilson};
use crate::model::{Params, ReplicationResult};
use crate::scenario::{AgentMode, Scenario};

/// What to search for.
#[derive(Clone, Debug)]
pub struct PlanSettings {
    /// The dotted key being searched, e.g. `cluster.spare_hosts` (for reports).
    pub knob: String,
    pub target_seconds: f64,
    /// The share of replications that must complete within the target, in (0, 1).
    pub confidence: f64,
    /// The smallest and largest value the search may try (inclusive).
    pub min: i64,
    pub max: i64,
    pub runs: u32,
    pub seed: u64,
    pub threads: Option<usize>,
    /// Run every value for all `runs` replications instead of stopping a value once its
    /// share is clearly on one side of the confidence (`early_stop`).
    pub all_runs: bool,
}

/// One value tried.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanRow {
    pub value: i64,
    /// The replications this value ran: `Plan::runs`, or fewer when it stopped early.
    pub runs: u64,
    /// Replications that completed within the target (a stuck or timed-out run never is).
    pub within_target: u64,
    pub share: f64,
    /// The 95% Wilson score interval of `share`.
    pub ci_low: f64,
    pub ci_high: f64,
    /// When this value was tried: 0 for the first.
    pub tried: usize,
    /// Replications that completed (at any time).
    pub completed: u64,
    /// Count per outcome, every outcome listed.
    pub outcomes: BTreeMap<String, u64>,
    /// `deploy_seconds` over the completed replications.
    pub deploy_seconds: Option<Distribution>,
    /// Spare (and scaled-out) host time per deploy, mean over all replications.
    pub host_seconds_extra_mean: f64,
    /// Its price per deploy, mean over all replications; `None` when hosts are unpriced.
    pub cost_mean: Option<f64>,
    /// Why runs missed the target, grouped by kind ("56 stuck: a new task fits on no
    /// host; 4 completed after 20m"); empty when none did.
    pub why: String,
    /// Per deploy and per day (spare hosts all day); set by the search, which knows the
    /// scenario.
    pub costs: Option<DailyCost>,
}

impl PlanRow {
    pub fn of(value: i64, tried: usize, results: &[ReplicationResult], target: f64) -> PlanRow {
        let summary = Summary::of(results, Some(target));
        let share = summary
            .target
            .clone()
            .unwrap_or_else(|| TargetShare::of(results, target));
        let why = super::reasons::why_missed(
            &summary.reasons,
            summary.count(crate::model::Outcome::Completed) - share.within,
            &crate::scenario::format_human(target),
        );
        PlanRow {
            value,
            runs: share.runs,
            within_target: share.within,
            share: share.share,
            ci_low: share.ci_low,
            ci_high: share.ci_high,
            tried,
            completed: summary.count(crate::model::Outcome::Completed),
            outcomes: summary.outcomes.clone(),
            deploy_seconds: summary.deploy_seconds,
            host_seconds_extra_mean: summary.host_seconds_extra.map_or(0.0, |d| d.mean),
            cost_mean: summary.cost.map(|d| d.mean),
            why,
            costs: None,
        }
    }

    /// Whether the observed share meets the confidence.
    pub fn enough(&self, confidence: f64) -> bool {
        self.share >= confidence
    }

    /// Whether the 95% interval lies wholly on one side of the confidence.
    pub fn settled(&self, confidence: f64) -> bool {
        if self.enough(confidence) {
            self.ci_low >= confidence
        } else {
            self.ci_high < confidence
        }
    }
}

/// A lower bound on any deploy's duration from the distributions' minima: no number of
/// hosts beats it (docs/model.md section 2's steps on the fastest path). Completion needs a new
/// task healthy; with MIN >= 1 the last old tasks can only be told to stop after that (a
/// healthy task stays healthy, so only a new one can lift the healthy count above MIN),
/// and each then drains, is noticed, shuts down and is reported.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LowerBound {
    pub seconds: f64,
    /// Placement at t = 0 to the first new task healthy: agent notice, full pull, start,
    /// then `max(report + first check, warmup)` and `initial_healthy_threshold - 1` check intervals.
    pub new_task_healthy_seconds: f64,
    /// Stop decision to the scheduler learning an old task stopped: draining, agent
    /// notice, shutdown and report.
    pub old_task_stop_seconds: f64,
    /// True when MIN >= 1, so the last old tasks can only be told to stop after a new
    /// task is healthy: the bound is the sum, not the larger, of the two paths.
    pub stops_wait_for_new_healthy: bool,
    /// True with `failures.host_failure_rate > 0`: a lost old task counts as stopped at
    /// once, so the old task's path counts 0.
    pub old_tasks_can_be_lost: bool,
    /// A Kubernetes Deployment: completion needs a new pod available, and old pods only
    /// deleted (terminating), not gone, so only the new pod's path counts.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub pods: bool,
}

impl LowerBound {
    pub fn of(params: &Params) -> LowerBound {
        let s = |d: crate::engine::SimDuration| d.as_secs_f64();
        if let Some(kube) = &params.kube {
            // Bound, kubelet notice, pull, start, the first passing probe no earlier than
            // the initial delay or the warm-up, the remaining passes, the Ready report,
            // then min_ready. (The load balancer's gate can only add to it.)
            let probes = s(kube.probe_initial_delay).max(s(params.warmup.minimum()))
                + kube.success_threshold.saturating_sub(1) as f64 * s(kube.probe_period);
            let new_pod_available = s(params.agent_latency.minimum())
                + s(params.image_pull.minimum())
                + s(params.start.minimum())
                + probes
                + s(params.report.minimum())
                + s(kube.min_ready);
            return LowerBound {
                seconds: new_pod_available,
                new_task_healthy_seconds: new_pod_available,
                old_task_stop_seconds: 0.0,
                stops_wait_for_new_healthy: false,
                old_tasks_can_be_lost: false,
                pods: true,
            };
        }
        let notice = match params.agent_mode {
            AgentMode::Event => s(params.agent_latency.minimum()),
            // A poll can fall right at the change.
            AgentMode::Polling => 0.0,
        };
        let report = s(params.report.minimum());
        let first_check = params.first_check.as_ref().map_or(0.0, |d| s(d.minimum()));
        let warmup = s(params.warmup.minimum());
        let new_task_healthy_seconds = notice
            + s(params.image_pull.minimum())
            + s(params.start.minimum())
            + (report + first_check).max(warmup)
            + (params.initial_healthy_threshold.saturating_sub(1)) as f64
                * s(params.check_interval);
        let drain = {
            let delay = params.deregistration_delay.minimum();
            match &params.connections_close {
                Some(close) => s(delay.min(close.minimum())),
                None => s(delay),
            }
        };
        let stopping = s(params.shutdown.minimum().min(params.stop_timeout.minimum()));
        let old_task_stop_seconds = drain + notice + stopping + report;
        // The scheduler's reaction is left out: an evaluation triggered just before the
        // first new task turns healthy can run just after it. With host failures an old
        // task can be lost (and count as stopped) at any instant, so only the new task's
        // path bounds the deploy.
        let stops_wait_for_new_healthy = params.min_healthy >= 1;
        let old_tasks_can_be_lost = params.host_failure_rate > 0.0;
        let old_task_stop_seconds = if old_tasks_can_be_lost {
            0.0
        } else {
            old_task_stop_seconds
        };
        let seconds = if stops_wait_for_new_healthy {
            new_task_healthy_seconds + old_task_stop_seconds
        } else {
            new_task_healthy_seconds.max(old_task_stop_seconds)
        };
        LowerBound {
            seconds,
            new_task_healthy_seconds,
            old_task_stop_seconds,
            stops_wait_for_new_healthy,
            old_tasks_can_be_lost,
            pods: false,
        }
    }
}

/// How many spare hosts let every new task be placed at t = 0: one free slot per task.
pub fn saturating_spare_hosts(scenario: &Scenario) -> u32 {
    let per_host = if crate::scenario::distinct_instance(scenario) {
        1
    } else {
        crate::scenario::tasks_per_host(scenario).max(1)
    };
    scenario.service.desired.div_ceil(per_host)
}

/// The simulated floor: the scenario at the largest value allowed, with enough spare
/// hosts for every new task to be placed at t = 0.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Floor {
    pub value: i64,
    pub spare_hosts: u32,
    pub row: PlanRow,
}

/// Whether the answer can be trusted at the runs used.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// True when every interval that decides the answer lies on one side of the
    /// confidence: the answer's (at or above) and the next lower value's (below).
    pub settled: bool,
    /// The values whose interval straddles the confidence.
    pub straddling: Vec<i64>,
    /// About how many runs would settle it if the shares stayed as observed (`None` when
    /// settled, or when a share equals the confidence exactly and no count would).
    pub runs_to_settle: Option<u64>,
}

/// The search's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    pub knob: String,
    /// True for `--maximize`: the answer is the largest value that meets the target.
    pub maximize: bool,
    pub target_seconds: f64,
    pub confidence: f64,
    /// The most replications a value runs (`--runs`).
    pub runs: u32,
    /// True when a value may stop before `runs` once settled (no `--all-runs`).
    pub early_stop: bool,
    pub seed: u64,
    pub min: i64,
    pub max: i64,
    /// The smallest value tried whose share meets the confidence; `None` when no value up
    /// to `max` does.
    pub answer: Option<i64>,
    pub verdict: Verdict,
    /// Every value tried, in increasing value.
    pub rows: Vec<PlanRow>,
    /// False when a larger value tried had a smaller share than a smaller one: the
    /// search's assumption did not hold on these runs.
    pub monotone: bool,
    /// Present only when there is no answer.
    pub floor: Option<Floor>,
    pub lower_bound: LowerBound,
    /// The knob's value the lower bound was computed at: the answer, or `max`.
    pub lower_bound_at: i64,
}

/// Builds the scenario for a value of the knob; errors name what is wrong.
pub type Builder<'a> = dyn Fn(i64) -> anyhow::Result<Scenario> + 'a;

/// Searches `settings.min..=settings.max` for the smallest value whose share within target
/// is at least `settings.confidence`.
pub fn plan(build: &Builder<'_>, settings: &PlanSettings) -> anyhow::Result<Plan> {
    anyhow::ensure!(
        settings.min <= settings.max,
        "the search range is empty: min {} > max {}",
        settings.min,
        settings.max
    );
    let run_settings = RunSettings {
        runs: settings.runs,
        seed: settings.seed,
        threads: settings.threads,
        progress: false,
    };
    let target = settings.target_seconds;
    let confidence = settings.confidence;
    let run = |scenario: &Scenario| {
        run_until_settled(
            scenario,
            run_settings,
            target,
            confidence,
            settings.all_runs,
        )
    };
    let mut rows: BTreeMap<i64, PlanRow> = BTreeMap::new();
    // Per value, whether each replication run was within the target: values that stopped
    // at different counts are compared on the replications both ran.
    let mut within: BTreeMap<i64, Vec<bool>> = BTreeMap::new();
    let mut evaluate = |value: i64| -> anyhow::Result<bool> {
        if let Some(row) = rows.get(&value) {
            return Ok(row.enough(confidence));
        }
        let scenario = build(value)?;
        let results = run(&scenario)?;
        let mut row = PlanRow::of(value, rows.len(), &results, target);
        row.costs = Some(DailyCost::of(&scenario, &results));
        let enough = row.enough(confidence);
        rows.insert(value, row);
        within.insert(
            value,
            results.iter().map(|r| is_within(r, target)).collect(),
        );
        Ok(enough)
    };

    // Gallop: min, min + 1, min + 3, min + 7, ... capped at max.
    let mut answer = None;
    let mut below = None; // the largest value known not to be enough
    if evaluate(settings.min)? {
        answer = Some(settings.min);
    } else {
        below = Some(settings.min);
        let mut step: i64 = 1;
        let mut value = settings.min;
        while value < settings.max {
            value = value.saturating_add(step).min(settings.max);
            if evaluate(value)? {
                answer = Some(value);
                break;
            }
            below = Some(value);
            step = step.saturating_mul(2);
        }
    }
    // Bisect between the last value not enough and the first enough.
    if let (Some(mut high), Some(mut low)) = (answer, below) {
        while high - low > 1 {
            let middle = low + (high - low) / 2;
            if evaluate(middle)? {
                high = middle;
            } else {
                low = middle;
            }
        }
        answer = Some(high);
    }

    let rows: Vec<PlanRow> = rows.into_values().collect();
    let within: Vec<Vec<bool>> = within.into_values().collect();
    let monotone = within
        .windows(2)
        .all(|pair| count_within(&pair[1], pair[0].len()) >= count_within(&pair[0], pair[1].len()));
    let verdict = verdict(&rows, answer, confidence, settings.max);
    let lower_bound_at = answer.unwrap_or(settings.max);
    let base = build(lower_bound_at)?;
    let lower_bound = LowerBound::of(&Params::new(&base));
    let floor = if answer.is_none() {
        let mut scenario = build(settings.max)?;
        let saturating = saturating_spare_hosts(&scenario);
        let tried = rows.iter().find(|r| r.value == settings.max);
        let (spare_hosts, row) = match tried {
            // The largest value tried already places every new task at once.
            Some(row) if crate::scenario::spare_host_count(&scenario) >= saturating => {
                (crate::scenario::spare_host_count(&scenario), row.clone())
            }
            _ => {
                crate::scenario::ensure_spare_hosts(&mut scenario, saturating);
                let results = run(&scenario)?;
                let mut row = PlanRow::of(settings.max, rows.len(), &results, target);
                row.costs = Some(DailyCost::of(&scenario, &results));
                (crate::scenario::spare_host_count(&scenario), row)
            }
        };
        Some(Floor {
            value: settings.max,
            spare_hosts,
            row,
        })
    } else {
        None
    };
    Ok(Plan {
        knob: settings.knob.clone(),
        maximize: false,
        target_seconds: target,
        confidence,
        runs: settings.runs,
        early_stop: !settings.all_runs && early_z(settings.runs).is_some(),
        seed: settings.seed,
        min: settings.min,
        max: settings.max,
        answer,
        verdict,
        rows,
        monotone,
        floor,
        lower_bound,
        lower_bound_at,
    })
}

/// Searches `settings.min..=settings.max` for the largest value whose share within
/// target is at least `settings.confidence`, assuming the share does not rise as the knob
/// grows (a higher `minimum_healthy_percent` never speeds a deploy up). It is the
/// minimising search on the mirrored knob (value -> -value), so it gallops down from
/// `max` and bisects the same way; the rows, answer and verdict are mirrored back.
pub fn maximize(build: &Builder<'_>, settings: &PlanSettings) -> anyhow::Result<Plan> {
    let mirrored = PlanSettings {
        min: settings.max.checked_neg().unwrap_or(i64::MAX),
        max: settings.min.checked_neg().unwrap_or(i64::MAX),
        ..settings.clone()
    };
    let mirrored_build = |value: i64| build(-value);
    let mut plan = plan(&mirrored_build, &mirrored)?;
    plan.maximize = true;
    plan.min = settings.min;
    plan.max = settings.max;
    plan.answer = plan.answer.map(|v| -v);
    plan.lower_bound_at = -plan.lower_bound_at;
    for row in &mut plan.rows {
        row.value = -row.value;
    }
    plan.rows.reverse();
    plan.verdict.straddling = plan.verdict.straddling.iter().map(|v| -v).collect();
    plan.verdict.straddling.sort();
    if let Some(floor) = &mut plan.floor {
        floor.value = -floor.value;
        floor.row.value = -floor.row.value;
    }
    // `monotone` carries over: a share that never falls as the mirrored value grows never
    // rises as the value grows.
    Ok(plan)
}

/// Whether one replication completed within the target (as `TargetShare` counts it).
fn is_within(result: &ReplicationResult, target: f64) -> bool {
    result.outcome == crate::model::Outcome::Completed && result.deploy.as_secs_f64() <= target
}

/// Replications within the target among the first `n` (or all, when fewer ran).
fn count_within(within: &[bool], n: usize) -> usize {
    within.iter().take(n).filter(|w| **w).count()
}

/// Which intervals decide the answer, and whether they are clear of the confidence.
fn verdict(rows: &[PlanRow], answer: Option<i64>, confidence: f64, max: i64) -> Verdict {
    let deciding: Vec<&PlanRow> = match answer {
        // The answer must be enough and the value below it not.
        Some(value) => rows
            .iter()
            .filter(|r| r.value == value || r.value == value - 1)
            .collect(),
        // No answer: it rests on the largest value tried not being enough.
        None => rows.iter().filter(|r| r.value == max).collect(),
    };
    let straddling: Vec<&PlanRow> = deciding
        .into_iter()
        .filter(|r| !r.settled(confidence))
        .collect();
    let runs_to_settle = if straddling.is_empty() {
        None
    } else {
        straddling
            .iter()
            .map(|r| runs_to_settle(r.share, confidence))
            .try_fold(0u64, |most, runs| runs.map(|r| most.max(r)))
    };
    Verdict {
        settled: straddling.is_empty(),
        straddling: straddling.iter().map(|r| r.value).collect(),
        runs_to_settle,
    }
}

/// About how many runs would put `confidence` outside the 95% Wilson interval if the
/// observed share stayed at `share`: the smallest such count, found by doubling then
/// bisecting. `None` when the share equals the confidence (no count would), or when more
/// than ten billion runs would be needed.
pub fn runs_to_settle(share: f64, confidence: f64) -> Option<u64> {
    if share == confidence {
        return None;
    }
    let clear = |n: u64| {
        let (low, high) = wilson_at(share, n);
        if share > confidence {
            low >= confidence
        } else {
            high < confidence
        }
    };
    const LIMIT: u64 = 10_000_000_000;
    let mut high = 1u64;
    while !clear(high) {
        if high >= LIMIT {
            return None;
        }
        high *= 2;
    }
    let mut low = high / 2; // not clear (or 0)
    while high - low > 1 {
        let middle = low + (high - low) / 2;
        if clear(middle) {
            high = middle;
        } else {
            low = middle;
        }
    }
    Some(high)
}

/// The Wilson interval of an observed share over `n` runs (the share need not be a
/// whole number of runs).
fn wilson_at(share: f64, n: u64) -> (f64, f64) {
    if share <= 0.0 {
        return wilson(0, n, Z95);
    }
    if share >= 1.0 {
        return wilson(n, n, Z95);
    }
    let n = n as f64;
    let z2 = Z95 * Z95;
    let centre = (share + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (share * (1.0 - share) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_to_settle_is_the_smallest_count_that_clears() {
        // 100% observed against 95%: n / (n + z^2) >= 0.95 first at n = 73.
        assert_eq!(runs_to_settle(1.0, 0.95), Some(73));
        let (low, _) = wilson(73, 73, Z95);
        assert!(low >= 0.95);
        let (low, _) = wilson(72, 72, Z95);
        assert!(low < 0.95);
        // 96% against 95%: the normal approximation says z^2 p (1 - p) / 0.01^2 = 1,475
        // runs; Wilson's centre leans towards 1/2, so a few hundred more.
        let n = runs_to_settle(0.96, 0.95).unwrap();
        assert!((1475..2000).contains(&n), "{n}");
        assert!(wilson_at(0.96, n).0 >= 0.95);
        assert!(wilson_at(0.96, n - 1).0 < 0.95);
        assert_eq!(runs_to_settle(0.95, 0.95), None);
        // Below: the upper end must fall under the confidence.
        let n = runs_to_settle(0.90, 0.95).unwrap();
        let (_, high) = wilson_at(0.90, n);
        assert!(high < 0.95);
    }

    fn row(value: i64, within: u64, runs: u64) -> PlanRow {
        let (ci_low, ci_high) = wilson(within, runs, Z95);
        PlanRow {
            value,
            runs,
            within_target: within,
            share: within as f64 / runs as f64,
            ci_low,
            ci_high,
            tried: 0,
            completed: runs,
            outcomes: BTreeMap::new(),
            deploy_seconds: None,
            host_seconds_extra_mean: 0.0,
            cost_mean: None,
            why: String::new(),
            costs: None,
        }
    }

    #[test]
    fn the_verdict_looks_at_the_answer_and_the_value_below() {
        let rows = vec![row(0, 0, 1000), row(1, 800, 1000), row(2, 1000, 1000)];
        let v = verdict(&rows, Some(2), 0.95, 5);
        assert!(v.settled);
        let rows = vec![row(0, 0, 1000), row(1, 940, 1000), row(2, 960, 1000)];
        let v = verdict(&rows, Some(2), 0.95, 5);
        assert!(!v.settled);
        assert_eq!(v.straddling, vec![1, 2]);
        assert!(v.runs_to_settle.unwrap() > 1000);
    }
}

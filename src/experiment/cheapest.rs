//! `cheapest`: over a grid of two or more knobs (sweep's grid), the configuration with the
//! lowest always-on daily cost that meets a deploy-time target, and the time-vs-cost
//! frontier.
//!
//! Every point runs the same replications with the same seed (common random numbers), and
//! is judged exactly as `plan` judges a value (`PlanRow`: the share of all runs completed
//! within the target, with its 95% interval). The search is exhaustive over the grid, not
//! plan's gallop: a categorical knob such as `agent.mode` has no order to gallop along, and
//! the frontier needs every point's time and cost anyway.
//!
//! - **Cost** ranks points by what the cluster costs a day (`costs::DailyCost`): service
//!   and spare hosts all day plus scaled-out hosts on each of `cluster.deploys_per_day`
//!   deploys, in money when hosts are priced, in host-hours otherwise. Per-deploy cost
//!   would let ten spare hosts look cheaper than nine.
//! - **Time** is the deploy time that the asked share of runs meets: the `confidence`
//!   quantile over all runs, a run that did not complete counting as never finishing
//!   (`Percentile::time_at`), so a point meets the target exactly when this time is at or
//!   below it.
//! - **The frontier** holds the points no other point beats on both: none is at most as
//!   costly and at most as slow, and better on one. Points whose time is unknown (too few
//!   runs completed) are not on it.

use rayon::prelude::*;
use serde::Serialize;

use super::costs::DailyCost;
use super::plan::PlanRow;
use super::target::Percentile;
use super::{RunSettings, run_replications};
use crate::scenario::Scenario;

/// What to look for.
#[derive(Clone, Debug)]
pub struct CheapestSettings {
    pub target_seconds: f64,
    /// The share of all runs that must complete within the target, in (0, 1).
    pub confidence: f64,
    pub runs: u32,
    pub seed: u64,
    pub threads: Option<usize>,
}

/// One grid point's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Point {
    /// The varied keys' values, as given.
    pub values: Vec<String>,
    pub row: PlanRow,
    pub costs: DailyCost,
    /// The deploy time `confidence` of all runs meet; `None` when fewer completed.
    pub time_at_confidence: Option<f64>,
    /// What the points are ranked by: the cluster's daily cost (or host-hours a day).
    pub rank_cost: f64,
    pub meets_target: bool,
    pub on_frontier: bool,
}

/// The search's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cheapest {
    pub keys: Vec<String>,
    pub target_seconds: f64,
    pub confidence: f64,
    pub runs: u32,
    pub seed: u64,
    /// True when hosts are priced (ranking in money), false for host-hours.
    pub priced: bool,
    pub currency: String,
    /// In grid order (the last key varies fastest).
    pub points: Vec<Point>,
    /// Index of the cheapest point that meets the target.
    pub answer: Option<usize>,
    /// Indices of the frontier's points, cheapest first.
    pub frontier: Vec<usize>,
}

/// Runs every point and finds the cheapest that meets the target.
pub fn cheapest(
    keys: &[String],
    points: &[(Vec<String>, Scenario)],
    settings: &CheapestSettings,
) -> anyhow::Result<Cheapest> {
    anyhow::ensure!(!points.is_empty(), "the grid has no point");
    let priced = points
        .iter()
        .map(|(_, s)| crate::scenario::is_priced(s))
        .collect::<Vec<_>>();
    anyhow::ensure!(
        priced.iter().all(|p| *p) || priced.iter().all(|p| !*p),
        "some points price their hosts and some do not; give every point a price (cluster.host_hourly_cost or cluster.instance_type) or none"
    );
    let priced = priced[0];
    let inner = RunSettings {
        runs: settings.runs,
        seed: settings.seed,
        threads: None,
        progress: false,
    };
    let work = || {
        points
            .par_iter()
            .enumerate()
            .map(|(i, (values, scenario))| {
                let results = run_replications(scenario, inner)?;
                let row = PlanRow::of(i as i64, i, &results, settings.target_seconds);
                let costs = DailyCost::of(scenario, &results);
                let rank_cost = if priced {
                    costs.cluster_daily.unwrap_or(f64::INFINITY)
                } else {
                    costs.cluster_host_hours_per_day
                };
                Ok(Point {
                    values: values.clone(),
                    meets_target: row.enough(settings.confidence),
                    time_at_confidence: Percentile::time_at(&results, settings.confidence),
                    row,
                    costs,
                    rank_cost,
                    on_frontier: false,
                })
            })
            .collect::<anyhow::Result<Vec<Point>>>()
    };
    let mut points = match settings.threads {
        Some(threads) => rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| anyhow::anyhow!("cannot start {threads} threads: {e}"))?
            .install(work)?,
        None => work()?,
    };
    let frontier = frontier(&points);
    for &i in &frontier {
        points[i].on_frontier = true;
    }
    let answer = cheapest_meeting(&points);
    Ok(Cheapest {
        keys: keys.to_vec(),
        target_seconds: settings.target_seconds,
        confidence: settings.confidence,
        runs: settings.runs,
        seed: settings.seed,
        priced,
        currency: points[0].costs.currency.clone(),
        points,
        answer,
        frontier,
    })
}

/// The cheapest point that meets the target; ties go to the faster, then to grid order.
fn cheapest_meeting(points: &[Point]) -> Option<usize> {
    points
        .iter()
        .enumerate()
        .filter(|(_, p)| p.meets_target)
        .min_by(|(i, a), (j, b)| {
            a.rank_cost
                .total_cmp(&b.rank_cost)
                .then(
                    a.time_at_confidence
                        .unwrap_or(f64::INFINITY)
                        .total_cmp(&b.time_at_confidence.unwrap_or(f64::INFINITY)),
                )
                .then(i.cmp(j))
        })
        .map(|(i, _)| i)
}

/// The points no other point beats on both cost and time, cheapest first.
fn frontier(points: &[Point]) -> Vec<usize> {
    let mut known: Vec<(usize, f64, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.time_at_confidence.map(|t| (i, p.rank_cost, t)))
        .collect();
    known.sort_by(|a, b| {
        a.1.total_cmp(&b.1)
            .then(a.2.total_cmp(&b.2))
            .then(a.0.cmp(&b.0))
    });
    let mut best_time = f64::INFINITY;
    let mut on = Vec::new();
    for (i, _, time) in known {
        // Cheapest first: a point joins only if it is faster than every cheaper one.
        if time < best_time {
            best_time = time;
            on.push(i);
        }
    }
    on
}

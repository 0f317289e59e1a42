//! Many replications: parallel on rayon, each seeded from (seed, replication) alone, and
//! the statistics that summarise them.

pub mod budget;
pub mod cheapest;
pub mod compare;
pub mod costs;
pub mod early_stop;
pub mod interrupt;
pub mod plan;
pub mod preflight;
pub mod reasons;
pub mod require;
pub mod shard;
mod stats;
pub mod sweep;
pub mod target;

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::model::{NoObserver, Outcome, Params, ReplicationResult, World};
use crate::scenario::Scenario;

use reasons::{ReasonGroup, group_reasons};
pub use stats::{Distribution, Z95, percentile, wilson};

/// How many replications, from which seed, on how many threads.
#[derive(Clone, Copy, Debug)]
pub struct RunSettings {
    pub runs: u32,
    pub seed: u64,
    /// `None`: rayon's default (one per core).
    pub threads: Option<usize>,
    /// Show a progress bar on stderr when it is a terminal.
    pub progress: bool,
}

/// Runs replications `0..runs` of `scenario`. The result is in replication order and
/// identical for any thread count.
pub fn run_replications(
    scenario: &Scenario,
    settings: RunSettings,
) -> anyhow::Result<Vec<ReplicationResult>> {
    run_range(scenario, settings, 0..settings.runs, None)
}

/// Runs replications `replications` (a shard's share, or all of `0..settings.runs`), each
/// capped at `event_limit` events. Checks for Ctrl-C before each replication and then
/// fails with [`interrupt::Interrupted`] instead of returning a partial result.
pub fn run_range(
    scenario: &Scenario,
    settings: RunSettings,
    replications: Range<u32>,
    event_limit: Option<u64>,
) -> anyhow::Result<Vec<ReplicationResult>> {
    run_range_sized(scenario, settings, replications, event_limit, None)
}

/// Replications per work chunk when their size is unknown: enough that a small
/// replication's few microseconds are not swamped by scheduling the chunk.
const DEFAULT_CHUNK: usize = 32;

/// About this many events per work chunk (32 replications of a ~1,500-event scenario).
const CHUNK_EVENTS: u64 = 50_000;

/// Replications per work chunk for replications of `events` events each (a pilot's
/// count): big replications get a chunk each, so ten of them use every core.
fn chunk_len(events: Option<u64>) -> usize {
    match events {
        None => DEFAULT_CHUNK,
        Some(events) => (CHUNK_EVENTS / events.max(1)).clamp(1, DEFAULT_CHUNK as u64) as usize,
    }
}

/// [`run_range`], given the result of its first replication when already run (a pilot):
/// that result is kept, not run again, and its event count sizes the work chunks.
pub fn run_range_sized(
    scenario: &Scenario,
    settings: RunSettings,
    replications: Range<u32>,
    event_limit: Option<u64>,
    pilot: Option<ReplicationResult>,
) -> anyhow::Result<Vec<ReplicationResult>> {
    let params = Params::new(scenario);
    let chunk = chunk_len(pilot.as_ref().map(|p| p.events));
    let total = replications.len() as u64;
    let already = u64::from(pilot.is_some()).min(total);
    let rest = replications.start + already as u32..replications.end;
    let bar = progress_bar(total, settings.progress);
    if let Some(bar) = &bar {
        bar.set_position(already);
    }
    let done = AtomicU64::new(already);
    // Every result is written once, straight into its place: a million replications hold
    // one vector of results, never a second copy (an unindexed collect, such as one that
    // stops at the first `None`, gathers pieces first and copies them into the vector).
    let mut slots: Vec<Option<ReplicationResult>> = Vec::with_capacity(total as usize);
    slots.extend(pilot.filter(|_| already == 1).map(Some));
    let work = |slots: &mut Vec<Option<ReplicationResult>>| {
        slots.par_extend(rest.clone().into_par_iter().with_min_len(chunk).map_init(
            || {
                let mut world = World::new(params.clone());
                world.set_event_limit(event_limit);
                world
            },
            |world, replication| {
                if interrupt::stop_requested() {
                    return None;
                }
                let result = world.run(settings.seed, replication as u64, &mut NoObserver);
                done.fetch_add(1, Ordering::Relaxed);
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
                Some(result)
            },
        ))
    };
    match settings.threads {
        Some(threads) => rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| anyhow::anyhow!("cannot start {threads} threads: {e}"))?
            .install(|| work(&mut slots)),
        None => work(&mut slots),
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    // In place: `Option<ReplicationResult>` is no larger than the result (tested below), so
    // the standard library reuses the vector's memory.
    let results: Option<Vec<ReplicationResult>> = slots.into_iter().collect();
    results.ok_or_else(|| {
        interrupt::Interrupted {
            done: done.load(Ordering::Relaxed),
            total,
        }
        .into()
    })
}

fn progress_bar(total: u64, wanted: bool) -> Option<indicatif::ProgressBar> {
    // Only for runs long enough to notice, and only on a terminal: never in CSV or JSON.
    if !wanted || total < 2000 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} replications ({eta} left)")
            .expect("static template"),
    );
    Some(bar)
}

/// The share of runs that completed within a target time, with its 95% Wilson interval.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TargetShare {
    pub target_seconds: f64,
    pub within: u64,
    pub runs: u64,
    pub share: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

impl TargetShare {
    /// Completed runs within `target_seconds` over all runs (docs/model.md section 12).
    pub fn of(results: &[ReplicationResult], target_seconds: f64) -> TargetShare {
        let within = results
            .iter()
            .filter(|r| r.outcome == Outcome::Completed && r.deploy.as_secs_f64() <= target_seconds)
            .count() as u64;
        let runs = results.len() as u64;
        let (ci_low, ci_high) = wilson(within, runs, Z95);
        TargetShare {
            target_seconds,
            within,
            runs,
            share: if runs == 0 {
                0.0
            } else {
                within as f64 / runs as f64
            },
            ci_low,
            ci_high,
        }
    }
}

/// What a run of many replications says.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub runs: u64,
    /// Count per outcome, every outcome listed.
    pub outcomes: BTreeMap<String, u64>,
    /// Why runs did not complete, grouped by kind (outcomes in order, larger groups first).
    pub reasons: Vec<ReasonGroup>,
    /// `deploy_seconds` over the completed runs (absent when none completed).
    pub deploy_seconds: Option<Distribution>,
    /// Present when the scenario sets `simulation.target`.
    pub target: Option<TargetShare>,
    /// `first_new_healthy_seconds` over the runs where a new task became healthy.
    pub first_new_healthy_seconds: Option<Distribution>,
    /// The other per-replication quantities, over all runs.
    pub min_healthy: Option<Distribution>,
    pub deficit_task_seconds: Option<Distribution>,
    pub peak_active: Option<Distribution>,
    pub tasks_started: Option<Distribution>,
    pub tasks_failed: Option<Distribution>,
    pub placement_failures: Option<Distribution>,
    pub events: Option<Distribution>,
    /// Over the runs whose circuit breaker tripped.
    pub detection_seconds: Option<Distribution>,
    /// Over the rolled-back runs that restored D old tasks.
    pub restored_seconds: Option<Distribution>,
    pub capacity_wait_seconds: Option<Distribution>,
    pub scaled_hosts: Option<Distribution>,
    pub host_seconds_extra: Option<Distribution>,
    /// Absent when the scenario does not price hosts.
    pub cost: Option<Distribution>,
    /// Traffic-shifting strategies: when all production traffic was on the new revision,
    /// over the runs that got there.
    pub traffic_shifted_seconds: Option<Distribution>,
    /// Seconds of full production traffic served by a bad revision, over all runs (0 for
    /// runs whose revision was good).
    pub bad_exposure_seconds: Option<Distribution>,
    /// Fargate's billed task time above D; absent on EC2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_seconds_extra: Option<Distribution>,
    /// Kubernetes: over all runs (absent for ECS, where it is always 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub early_terminations: Option<Distribution>,
    /// Kubernetes: over the completed runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settled_seconds: Option<Distribution>,
}

impl Summary {
    pub fn of(results: &[ReplicationResult], target_seconds: Option<f64>) -> Summary {
        let mut outcomes: BTreeMap<String, u64> = Outcome::ALL
            .iter()
            .map(|o| (o.name().to_string(), 0))
            .collect();
        for result in results {
            *outcomes
                .entry(result.outcome.name().to_string())
                .or_default() += 1;
        }
        let all =
            |f: fn(&ReplicationResult) -> f64| Distribution::of(results.iter().map(f).collect());
        Summary {
            runs: results.len() as u64,
            outcomes,
            reasons: group_reasons(results),
            deploy_seconds: Distribution::of(
                results
                    .iter()
                    .filter(|r| r.outcome == Outcome::Completed)
                    .map(|r| r.deploy.as_secs_f64())
                    .collect(),
            ),
            target: target_seconds.map(|t| TargetShare::of(results, t)),
            first_new_healthy_seconds: Distribution::of(
                results
                    .iter()
                    .filter_map(|r| r.first_new_healthy.map(|d| d.as_secs_f64()))
                    .collect(),
            ),
            min_healthy: all(|r| r.min_healthy as f64),
            deficit_task_seconds: all(|r| r.deficit_task_micros as f64 / 1e6),
            peak_active: all(|r| r.peak_active as f64),
            tasks_started: all(|r| r.tasks_started as f64),
            tasks_failed: all(|r| r.tasks_failed as f64),
            placement_failures: all(|r| r.placement_failures as f64),
            events: all(|r| r.events as f64),
            detection_seconds: Distribution::of(
                results
                    .iter()
                    .filter_map(|r| r.detection.map(|d| d.as_secs_f64()))
                    .collect(),
            ),
            restored_seconds: Distribution::of(
                results
                    .iter()
                    .filter_map(|r| r.restored.map(|d| d.as_secs_f64()))
                    .collect(),
            ),
            capacity_wait_seconds: all(|r| r.capacity_wait.as_secs_f64()),
            scaled_hosts: all(|r| r.scaled_hosts as f64),
            host_seconds_extra: all(|r| r.host_micros_extra as f64 / 1e6),
            cost: Distribution::of(results.iter().filter_map(|r| r.cost).collect()),
            traffic_shifted_seconds: Distribution::of(
                results
                    .iter()
                    .filter_map(|r| r.traffic_shifted.map(|d| d.as_secs_f64()))
                    .collect(),
            ),
            bad_exposure_seconds: all(|r| r.bad_exposure_micros as f64 / 1e6),
            task_seconds_extra: Distribution::of(
                results
                    .iter()
                    .filter_map(|r| r.task_micros_extra.map(|m| m as f64 / 1e6))
                    .collect(),
            ),
            early_terminations: results
                .iter()
                .any(|r| r.settled.is_some() || r.early_terminations > 0)
                .then(|| all(|r| r.early_terminations as f64))
                .flatten(),
            settled_seconds: Distribution::of(
                results
                    .iter()
                    .filter_map(|r| r.settled.map(|d| d.as_secs_f64()))
                    .collect(),
            ),
        }
    }

    pub fn count(&self, outcome: Outcome) -> u64 {
        self.outcomes.get(outcome.name()).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod chunk_tests {
    use super::chunk_len;

    #[test]
    fn chunks_shrink_with_the_pilot_s_event_count() {
        // Unknown size: the old fixed minimum.
        assert_eq!(chunk_len(None), 32);
        // 50,000 / 1,500 = 33, capped at 32; 50,000 / 5,000 = 10; 50,000 / 20,000 = 2.
        assert_eq!(chunk_len(Some(1_500)), 32);
        assert_eq!(chunk_len(Some(5_000)), 10);
        assert_eq!(chunk_len(Some(20_000)), 2);
        // large-fleet's 1,164,437 events: one replication per chunk, so ten use both cores.
        assert_eq!(chunk_len(Some(1_164_437)), 1);
        // A pilot with no events at all (nothing to deploy) still gives a valid length.
        assert_eq!(chunk_len(Some(0)), 32);
    }
}

#[cfg(test)]
mod memory_tests {
    use crate::model::ReplicationResult;

    #[test]
    fn an_optional_result_takes_no_more_room_than_a_result() {
        // run_range_sized collects Option<ReplicationResult> and turns the vector into a
        // Vec<ReplicationResult> in place; that needs equal sizes (the outcome's spare
        // values mark None), else the standard library allocates a second vector.
        assert_eq!(
            std::mem::size_of::<Option<ReplicationResult>>(),
            std::mem::size_of::<ReplicationResult>()
        );
    }
}

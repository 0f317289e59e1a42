//! Sharded runs: shard `I/N` computes a contiguous block of the replications and writes
//! its results losslessly (integer microseconds, no rounding); merging the `N` shard files
//! gives back exactly the results, in order, that one unsharded run computes, because
//! replication `r` depends only on `(seed, r)`.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::engine::SimDuration;
use crate::model::{Outcome, ReplicationResult, StuckReason};
use crate::scenario::Scenario;

/// The environment variables `--shard auto/N` reads its index from, in this order:
/// Kubernetes Indexed Jobs and AWS Batch array jobs.
pub const INDEX_VARIABLES: [&str; 2] = ["JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"];

/// The version written in every shard file; merge refuses any other.
pub const FORMAT: &str = "deploysim-shard/2";

/// Shard `index` of `count` (0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShardSpec {
    pub index: u32,
    pub count: u32,
}

impl ShardSpec {
    /// Parses `I/N` or `auto/N`; `env` looks up environment variables (for `auto`).
    pub fn parse(text: &str, env: impl Fn(&str) -> Option<String>) -> Result<ShardSpec, String> {
        let usage = "expected I/N with 0 <= I < N (e.g. 2/8), or auto/N to read I from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX";
        let Some((index, count)) = text.split_once('/') else {
            return Err(format!("--shard {text}: {usage}"));
        };
        let count: u32 = match count.trim().parse() {
            Ok(n) if n >= 1 => n,
            _ => {
                return Err(format!(
                    "--shard {text}: N must be a whole number of at least 1; {usage}"
                ));
            }
        };
        let (index, source) = if index.trim() == "auto" {
            let Some((variable, value)) = INDEX_VARIABLES
                .iter()
                .find_map(|v| env(v).map(|value| (*v, value)))
            else {
                return Err(format!(
                    "--shard {text}: neither {} nor {} is set (they are set by a Kubernetes Indexed Job and an AWS Batch array job); give the index as I/N instead",
                    INDEX_VARIABLES[0], INDEX_VARIABLES[1]
                ));
            };
            (value, Some(variable))
        } else {
            (index.to_string(), None)
        };
        let from = |what: String| match source {
            Some(variable) => format!("--shard {text}: {variable}={index:?} {what}"),
            None => format!("--shard {text}: {what}; {usage}"),
        };
        let index: u32 = index
            .trim()
            .parse()
            .map_err(|_| from("is not a whole number".into()))?;
        if index >= count {
            return Err(from(format!(
                "is out of range: the index must be below N = {count}"
            )));
        }
        Ok(ShardSpec { index, count })
    }

    /// This shard's replications out of `0..runs`: a contiguous block; the blocks of all
    /// shards cover `0..runs` once, in order, with sizes differing by at most one.
    pub fn range(&self, runs: u32) -> Range<u32> {
        let at = |i: u32| (i as u64 * runs as u64 / self.count as u64) as u32;
        at(self.index)..at(self.index + 1)
    }

    /// `shard-0003-of-0010.json`: sorts in shard order.
    pub fn file_name(&self) -> String {
        format!("shard-{:04}-of-{:04}.json", self.index, self.count)
    }
}

/// What makes two shards parts of the same run. Every field must agree for a merge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunIdentity {
    pub scenario: String,
    pub file: String,
    pub runs: u32,
    pub seed: u64,
    /// `--max-events`, when given (it changes results).
    pub max_events: Option<u64>,
    /// The command that reproduces the whole (unsharded) run.
    pub command: String,
}

/// One shard file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ShardFile {
    pub format: String,
    pub run: RunIdentity,
    pub shard: u32,
    pub shards: u32,
    /// The first replication in `results`.
    pub first: u32,
    pub resolved_scenario: Scenario,
    pub results: Vec<Row>,
}

/// One replication, losslessly: times in integer microseconds; `cost` as the run priced
/// it (each host group at its own rate, or Fargate's task price), exact through JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub outcome: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stuck: Option<StuckReason>,
    pub deploy_us: u64,
    pub first_new_healthy_us: Option<u64>,
    pub min_healthy: u32,
    pub deficit_task_us: u64,
    pub peak_active: u32,
    pub tasks_started: u32,
    pub tasks_failed: u32,
    pub placement_failures: u32,
    pub events: u64,
    pub detection_us: Option<u64>,
    pub restored_us: Option<u64>,
    pub capacity_wait_us: u64,
    pub scaled_hosts: u32,
    pub host_extra_us: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic_shifted_us: Option<u64>,
    #[serde(default)]
    pub bad_exposure_us: u64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub alarm_fired: bool,
    /// Fargate's billed task time above D (absent on EC2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_extra_us: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
    #[serde(default)]
    pub early_terminations: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_us: Option<u64>,
}

impl Row {
    pub fn of(r: &ReplicationResult) -> Row {
        Row {
            outcome: r.outcome.name().to_string(),
            stuck: r.stuck_reason,
            deploy_us: r.deploy.micros(),
            first_new_healthy_us: r.first_new_healthy.map(|d| d.micros()),
            min_healthy: r.min_healthy,
            deficit_task_us: r.deficit_task_micros,
            peak_active: r.peak_active,
            tasks_started: r.tasks_started,
            tasks_failed: r.tasks_failed,
            placement_failures: r.placement_failures,
            events: r.events,
            detection_us: r.detection.map(|d| d.micros()),
            restored_us: r.restored.map(|d| d.micros()),
            capacity_wait_us: r.capacity_wait.micros(),
            scaled_hosts: r.scaled_hosts,
            host_extra_us: r.host_micros_extra,
            traffic_shifted_us: r.traffic_shifted.map(|d| d.micros()),
            bad_exposure_us: r.bad_exposure_micros,
            alarm_fired: r.alarm_fired,
            task_extra_us: r.task_micros_extra,
            cost: r.cost,
            early_terminations: r.early_terminations,
            settled_us: r.settled.map(|d| d.micros()),
        }
    }

    /// The result back.
    pub fn result(&self) -> Result<ReplicationResult, String> {
        let outcome = Outcome::ALL
            .into_iter()
            .find(|o| o.name() == self.outcome)
            .ok_or_else(|| format!("unknown outcome {:?}", self.outcome))?;
        Ok(ReplicationResult {
            outcome,
            stuck_reason: self.stuck,
            deploy: SimDuration(self.deploy_us),
            first_new_healthy: self.first_new_healthy_us.map(SimDuration),
            min_healthy: self.min_healthy,
            deficit_task_micros: self.deficit_task_us,
            peak_active: self.peak_active,
            tasks_started: self.tasks_started,
            tasks_failed: self.tasks_failed,
            placement_failures: self.placement_failures,
            events: self.events,
            detection: self.detection_us.map(SimDuration),
            restored: self.restored_us.map(SimDuration),
            capacity_wait: SimDuration(self.capacity_wait_us),
            scaled_hosts: self.scaled_hosts,
            host_micros_extra: self.host_extra_us,
            traffic_shifted: self.traffic_shifted_us.map(SimDuration),
            bad_exposure_micros: self.bad_exposure_us,
            alarm_fired: self.alarm_fired,
            task_micros_extra: self.task_extra_us,
            cost: self.cost,
            early_terminations: self.early_terminations,
            settled: self.settled_us.map(SimDuration),
        })
    }
}

impl ShardFile {
    pub fn new(
        run: RunIdentity,
        spec: ShardSpec,
        scenario: &Scenario,
        results: &[ReplicationResult],
    ) -> ShardFile {
        ShardFile {
            format: FORMAT.to_string(),
            shard: spec.index,
            shards: spec.count,
            first: spec.range(run.runs).start,
            run,
            resolved_scenario: scenario.clone(),
            results: results.iter().map(Row::of).collect(),
        }
    }
}

/// Shards combined: the run they came from, its scenario and every result in order.
#[derive(Debug)]
pub struct Merged {
    pub run: RunIdentity,
    pub scenario: Scenario,
    pub results: Vec<ReplicationResult>,
}

/// Checks that `shards` (each labelled by where it came from) are all the shards of one
/// run, exactly once each, and combines them. Errors name the shard files at fault.
pub fn merge(shards: Vec<(String, ShardFile)>) -> Result<Merged, String> {
    let Some((first_label, first)) = shards.first() else {
        return Err("no shard files to merge".into());
    };
    for (label, shard) in &shards {
        if shard.format != FORMAT {
            return Err(format!(
                "{label}: format {:?}, expected {FORMAT:?} (written by another deploysim version?)",
                shard.format
            ));
        }
    }
    let reference_scenario = scenario_json(&first.resolved_scenario);
    for (label, shard) in &shards[1..] {
        let differ = |what: &str, theirs: String, ours: String| {
            format!(
                "{label} and {first_label} come from different runs: {what} {theirs} vs {ours}; merge only the shards of one run"
            )
        };
        let (a, b) = (&shard.run, &first.run);
        if a.scenario != b.scenario {
            return Err(differ("scenario", q(&a.scenario), q(&b.scenario)));
        }
        if a.file != b.file {
            return Err(differ("scenario file", q(&a.file), q(&b.file)));
        }
        if a.seed != b.seed {
            return Err(differ("seed", a.seed.to_string(), b.seed.to_string()));
        }
        if a.runs != b.runs {
            return Err(differ("runs", a.runs.to_string(), b.runs.to_string()));
        }
        if a.max_events != b.max_events {
            return Err(differ(
                "--max-events",
                format!("{:?}", a.max_events),
                format!("{:?}", b.max_events),
            ));
        }
        if shard.shards != first.shards {
            return Err(differ(
                "shard count",
                shard.shards.to_string(),
                first.shards.to_string(),
            ));
        }
        if scenario_json(&shard.resolved_scenario) != reference_scenario {
            return Err(differ(
                "resolved scenario",
                "(one)".into(),
                "(another: a key or --set differs)".into(),
            ));
        }
        if a.command != b.command {
            return Err(differ("command", q(&a.command), q(&b.command)));
        }
    }
    let count = first.shards;
    let mut slots: Vec<Option<usize>> = vec![None; count as usize];
    for (at, (label, shard)) in shards.iter().enumerate() {
        if shard.shard >= count {
            return Err(format!(
                "{label}: shard index {} is not below the shard count {count}",
                shard.shard
            ));
        }
        if let Some(other) = slots[shard.shard as usize] {
            return Err(format!(
                "shard {}/{count} is given twice: {} and {label}",
                shard.shard, shards[other].0
            ));
        }
        slots[shard.shard as usize] = Some(at);
    }
    let missing: Vec<String> = slots
        .iter()
        .enumerate()
        .filter(|(_, slot)| slot.is_none())
        .map(|(index, _)| format!("{index}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "missing shard{} {} (found {} of {count}); run them and merge again",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            count as usize - missing.len()
        ));
    }
    let mut results = Vec::with_capacity(first.run.runs as usize);
    for slot in slots.into_iter().flatten() {
        let (label, shard) = &shards[slot];
        let spec = ShardSpec {
            index: shard.shard,
            count,
        };
        let expected = spec.range(first.run.runs);
        if shard.first != expected.start || shard.results.len() != expected.len() {
            return Err(format!(
                "{label}: holds replications {}..{}, but shard {}/{count} of {} runs is {}..{}; the file was altered or cut short",
                shard.first,
                shard.first as usize + shard.results.len(),
                shard.shard,
                first.run.runs,
                expected.start,
                expected.end
            ));
        }
        for (offset, row) in shard.results.iter().enumerate() {
            results.push(row.result().map_err(|e| {
                format!(
                    "{label}: replication {}: {e}",
                    shard.first as usize + offset
                )
            })?);
        }
    }
    Ok(Merged {
        run: first.run.clone(),
        scenario: first.resolved_scenario.clone(),
        results,
    })
}

/// The scenario as compact JSON: what "the same resolved scenario" means here.
pub fn scenario_json(scenario: &Scenario) -> String {
    serde_json::to_string(scenario).expect("scenarios serialise")
}

fn q(text: &str) -> String {
    format!("{text:?}")
}

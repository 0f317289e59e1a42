//! `sweep`: the full grid of a few varied keys, every point run with the same seed (common
//! random numbers), in parallel across points and replications. Nothing here reads a
//! file: the caller builds each point's scenario.
//!
//! A sweep may also ask `plan`'s question of every point (a [`Question`]: at least a share
//! of all runs within a target?). Each point then gets a [`Verdict`] and stops early once
//! settled, by `early_stop`'s batches and rule, exactly as a value `plan` tries.

use rayon::prelude::*;
use serde::Serialize;

use super::early_stop::{clear_side, early_z, run_until_settled};
use super::{RunSettings, Summary, TargetShare, Z95, run_replications};
use crate::scenario::{Override, Scenario};

/// The most points a sweep may have.
pub const MAX_POINTS: usize = 100_000;

/// One `--vary` axis: a key and its values, each with the text it was given as.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub key: String,
    pub values: Vec<AxisValue>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AxisValue {
    /// As written (or, for a range, the integer).
    pub label: String,
    pub value: toml::Value,
}

impl Axis {
    /// Parses `key=v1,v2,...` (each value read like `--set`'s; commas inside `()`, `[]`,
    /// `{}` or quotes do not split) or `key=a..b` / `key=a..b:step` (integers, both ends
    /// included, step at least 1).
    pub fn parse(text: &str) -> Result<Axis, String> {
        let example = "e.g. --vary cluster.spare_hosts=0..5 or --vary agent.mode=event,polling";
        let Some((key, spec)) = text.split_once('=') else {
            return Err(format!("--vary {text}: expected key=values, {example}"));
        };
        let key = key.trim();
        let spec = spec.trim();
        if spec.is_empty() {
            return Err(format!("--vary {text}: no values after `=`; {example}"));
        }
        let values = match parse_range(spec) {
            Some(range) => range.map_err(|why| format!("--vary {text}: {why}"))?,
            None => split_top_level(spec)
                .into_iter()
                .map(|item| {
                    let item = item.trim();
                    if item.is_empty() {
                        return Err(format!("--vary {text}: an empty value in the list"));
                    }
                    let parsed = Override::parse(&format!("{key}={item}"))
                        .map_err(|e| e.replacen("--set", "--vary", 1))?;
                    Ok(AxisValue {
                        label: item.to_string(),
                        value: parsed.value,
                    })
                })
                .collect::<Result<Vec<_>, String>>()?,
        };
        // Validates the key's shape the way --set does.
        let key = Override::parse(&format!("{key}=0"))
            .map_err(|e| e.replacen("--set", "--vary", 1))?
            .key;
        Ok(Axis { key, values })
    }
}

/// `a..b` or `a..b:step` as integers; `None` when `spec` is not a range at all.
fn parse_range(spec: &str) -> Option<Result<Vec<AxisValue>, String>> {
    let (range, step) = match spec.split_once(':') {
        Some((range, step)) => (range, Some(step)),
        None => (spec, None),
    };
    let (from, to) = range.split_once("..")?;
    let from: i64 = from.trim().parse().ok()?;
    let to: i64 = match to.trim().parse() {
        Ok(to) => to,
        Err(_) => {
            return Some(Err(format!(
                "`{range}`: the end of a range must be an integer"
            )));
        }
    };
    let step: i64 = match step.map(|s| s.trim().parse::<i64>()) {
        None => 1,
        Some(Ok(step)) if step >= 1 => step,
        Some(_) => {
            return Some(Err(format!(
                "`{spec}`: the step after `:` must be an integer of at least 1"
            )));
        }
    };
    if from > to {
        return Some(Err(format!(
            "`{range}`: the range is empty ({from} > {to}); ranges go up and include both ends"
        )));
    }
    let count = ((to - from) / step + 1) as usize;
    if count > MAX_POINTS {
        return Some(Err(format!(
            "`{spec}` has {count} values; at most {MAX_POINTS}"
        )));
    }
    Some(Ok((0..count as i64)
        .map(|i| {
            let v = from + i * step;
            AxisValue {
                label: v.to_string(),
                value: toml::Value::Integer(v),
            }
        })
        .collect()))
}

/// Splits at commas that are not inside brackets, parentheses, braces or quotes.
fn split_top_level(spec: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0);
    for (i, c) in spec.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth -= 1,
            (None, ',') if depth <= 0 => {
                parts.push(&spec[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&spec[start..]);
    parts
}

/// Every point of the grid, as one value index per axis; the last axis varies fastest.
pub fn grid(axes: &[Axis]) -> Result<Vec<Vec<usize>>, String> {
    let mut total: usize = 1;
    for axis in axes {
        total = total.saturating_mul(axis.values.len());
    }
    if total > MAX_POINTS {
        return Err(format!(
            "--vary: the grid has {total} points; at most {MAX_POINTS}"
        ));
    }
    let mut points = vec![Vec::new()];
    for axis in axes {
        points = points
            .into_iter()
            .flat_map(|prefix| {
                (0..axis.values.len()).map(move |i| {
                    let mut point = prefix.clone();
                    point.push(i);
                    point
                })
            })
            .collect();
    }
    Ok(points)
}

/// The overrides of one grid point.
pub fn point_overrides(axes: &[Axis], point: &[usize]) -> Vec<Override> {
    axes.iter()
        .zip(point)
        .map(|(axis, &i)| Override {
            key: axis.key.clone(),
            value: axis.values[i].value.clone(),
        })
        .collect()
}

/// The question `sweep --target` asks of every point, with `plan`'s meaning: do at least
/// `confidence` of all runs complete within `target_seconds`?
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Question {
    pub target_seconds: f64,
    /// The share of all runs that must complete within the target, in (0, 1).
    pub confidence: f64,
    /// True when a point may stop before `runs` once settled: false with `--all-runs`, or
    /// with 50 runs or fewer (no early look).
    pub early_stop: bool,
}

impl Question {
    pub fn new(target_seconds: f64, confidence: f64, all_runs: bool, runs: u32) -> Question {
        Question {
            target_seconds,
            confidence,
            early_stop: !all_runs && early_z(runs).is_some(),
        }
    }
}

/// A point's answer to the [`Question`], from the 95% Wilson interval of its share within
/// the target at the runs it used (the rule `plan` settles a value by).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The interval lies wholly at or above the confidence.
    Meets,
    /// The interval lies wholly below it.
    Misses,
    /// The interval straddles it: more runs would tell.
    NotSettled,
}

impl Verdict {
    pub fn of(share: &TargetShare, confidence: f64) -> Verdict {
        match clear_side(share.within, share.runs, confidence, Z95) {
            Some(true) => Verdict::Meets,
            Some(false) => Verdict::Misses,
            None => Verdict::NotSettled,
        }
    }

    /// `meets`, `misses`, `not settled`.
    pub fn words(self) -> &'static str {
        match self {
            Verdict::Meets => "meets",
            Verdict::Misses => "misses",
            Verdict::NotSettled => "not settled",
        }
    }
}

/// Runs every scenario with the same runs and seed and summarises each (its own
/// `simulation.target`). Points and replications share one thread pool.
pub fn sweep(points: &[Scenario], settings: RunSettings) -> anyhow::Result<Vec<Summary>> {
    run_points(points, settings, None)
}

/// [`sweep`] asking `question` of every point: each summary's target is the question's,
/// and a point stops after 50, 100, 200, ... runs once its answer is settled (unless
/// `question.early_stop` is false), so its summary covers replications `0..n` only, where
/// `n` is its `runs`. The result depends on neither the thread count nor timing.
pub fn sweep_question(
    points: &[Scenario],
    settings: RunSettings,
    question: &Question,
) -> anyhow::Result<Vec<Summary>> {
    run_points(points, settings, Some(question))
}

fn run_points(
    points: &[Scenario],
    settings: RunSettings,
    question: Option<&Question>,
) -> anyhow::Result<Vec<Summary>> {
    let inner = RunSettings {
        threads: None,
        progress: false,
        ..settings
    };
    let work = || {
        points
            .par_iter()
            .map(|scenario| match question {
                Some(q) => {
                    let results = run_until_settled(
                        scenario,
                        inner,
                        q.target_seconds,
                        q.confidence,
                        !q.early_stop,
                    )?;
                    Ok(Summary::of(&results, Some(q.target_seconds)))
                }
                None => {
                    let results = run_replications(scenario, inner)?;
                    let target = scenario.simulation.target.map(|t| t.0.as_secs_f64());
                    Ok(Summary::of(&results, target))
                }
            })
            .collect::<anyhow::Result<Vec<Summary>>>()
    };
    match settings.threads {
        Some(threads) => rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| anyhow::anyhow!("cannot start {threads} threads: {e}"))?
            .install(work),
        None => work(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_parse() {
        let axis = Axis::parse("cluster.spare_hosts=0..6:2").unwrap();
        assert_eq!(axis.key, "cluster.spare_hosts");
        let labels: Vec<&str> = axis.values.iter().map(|v| v.label.as_str()).collect();
        assert_eq!(labels, ["0", "2", "4", "6"]);
        let axis = Axis::parse("launch.start=uniform(2s, 5s),3s").unwrap();
        assert_eq!(axis.values.len(), 2);
        assert_eq!(
            axis.values[0].value,
            toml::Value::String("uniform(2s, 5s)".into())
        );
        let axis = Axis::parse("agent.mode=event,polling").unwrap();
        assert_eq!(axis.values[1].value, toml::Value::String("polling".into()));
        assert!(Axis::parse("cluster.spare_hosts").is_err());
        assert!(Axis::parse("cluster.spare_hosts=5..1").is_err());
        assert!(Axis::parse("cluster.spare_hosts=1..5:0").is_err());
        assert!(Axis::parse("cluster.spare_hosts=1,,2").is_err());
        assert!(Axis::parse("=1,2").is_err());
    }

    #[test]
    fn the_grid_varies_the_last_axis_fastest() {
        let a = Axis::parse("x.a=1,2").unwrap();
        let b = Axis::parse("x.b=1..3").unwrap();
        let points = grid(&[a, b]).unwrap();
        assert_eq!(points.len(), 6);
        assert_eq!(points[0], [0, 0]);
        assert_eq!(points[1], [0, 1]);
        assert_eq!(points[3], [1, 0]);
    }
}

//! `compare`: two configurations, replication `r` of one paired with replication `r` of
//! the other. Both run with the same seed, so each pair shares its random draws stream by
//! stream (common random numbers) and the differences carry far less noise than two
//! independent runs would.
//!
//! How runs that did not complete (stuck, timeout, event limit) enter:
//! - the mean difference of `deploy_seconds` is over the pairs where both completed (the
//!   count is reported, with each side's outcomes);
//! - p50 and p95 are over all runs of each side, a run that did not complete counting as
//!   slower than any that did; a quantile that falls on such a run is "not reached"
//!   (`None`). When every run completes these are exactly `run`'s p50 and p95;
//! - "B finished first" is over all pairs: a completed run beats one that did not
//!   complete; two that did not complete tie;
//! - `min_healthy`, `deficit_task_seconds`, `host_seconds_extra` and `cost` are over all
//!   pairs, each run up to its end (completion, the stuck instant, or the horizon).

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use serde::Serialize;

use super::{RunSettings, Z95, run_replications, wilson};
use crate::model::{Outcome, ReplicationResult};
use crate::scenario::Scenario;

/// Bootstrap resamples for the quantile intervals.
pub const BOOTSTRAP_RESAMPLES: u32 = 2000;

/// A paired difference of means, B − A, with its 95% interval (Student t on the
/// per-pair differences).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PairedMean {
    /// Pairs it covers.
    pub pairs: u64,
    pub mean_a: f64,
    pub mean_b: f64,
    pub diff: f64,
    /// `None` with fewer than two pairs.
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

impl PairedMean {
    pub fn of(pairs: &[(f64, f64)]) -> Option<PairedMean> {
        if pairs.is_empty() {
            return None;
        }
        let n = pairs.len() as f64;
        let mean_a = pairs.iter().map(|p| p.0).sum::<f64>() / n;
        let mean_b = pairs.iter().map(|p| p.1).sum::<f64>() / n;
        let diffs: Vec<f64> = pairs.iter().map(|(a, b)| b - a).collect();
        let diff = diffs.iter().sum::<f64>() / n;
        let (ci_low, ci_high) = if pairs.len() >= 2 {
            let variance = diffs.iter().map(|d| (d - diff) * (d - diff)).sum::<f64>() / (n - 1.0);
            let half = student_t_975(pairs.len() as u64 - 1) * (variance / n).sqrt();
            (Some(diff - half), Some(diff + half))
        } else {
            (None, None)
        };
        Some(PairedMean {
            pairs: pairs.len() as u64,
            mean_a,
            mean_b,
            diff,
            ci_low,
            ci_high,
        })
    }
}

/// The difference of one quantile of `deploy_seconds`, B − A, with a paired bootstrap 95%
/// percentile interval.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuantileDiff {
    pub q: f64,
    /// `None`: the quantile falls on a run that did not complete ("not reached").
    pub a: Option<f64>,
    pub b: Option<f64>,
    pub diff: Option<f64>,
    /// `None` when the difference is undefined or the bound is unbounded (too many
    /// resamples where a side's quantile was not reached).
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// How often B finished first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FirstCount {
    pub b_first: u64,
    pub a_first: u64,
    pub ties: u64,
    /// `b_first / pairs`, with its 95% Wilson interval.
    pub share_b_first: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// Everything `compare` says.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    pub runs: u64,
    pub seed: u64,
    pub outcomes_a: BTreeMap<String, u64>,
    pub outcomes_b: BTreeMap<String, u64>,
    pub both_completed: u64,
    /// Over the pairs where both completed.
    pub deploy_seconds_mean: Option<PairedMean>,
    pub deploy_seconds_p50: QuantileDiff,
    pub deploy_seconds_p95: QuantileDiff,
    pub finished_first: FirstCount,
    pub min_healthy: Option<PairedMean>,
    pub lowest_min_healthy_a: Option<u32>,
    pub lowest_min_healthy_b: Option<u32>,
    pub deficit_task_seconds: Option<PairedMean>,
    pub host_seconds_extra: Option<PairedMean>,
    /// The price of that host time; `None` unless both sides price hosts.
    pub cost: Option<PairedMean>,
    /// Seconds of full production traffic a bad revision served, over all pairs; `None`
    /// when neither side had a bad revision exposed.
    pub bad_exposure_seconds: Option<PairedMean>,
    pub bootstrap_resamples: u32,
}

/// Runs both sides with the same settings and compares them.
pub fn compare(
    a: &Scenario,
    b: &Scenario,
    settings: RunSettings,
) -> anyhow::Result<(Vec<ReplicationResult>, Vec<ReplicationResult>, Comparison)> {
    let results_a = run_replications(a, settings)?;
    let results_b = run_replications(b, settings)?;
    let comparison = compare_results(&results_a, &results_b, settings.seed);
    Ok((results_a, results_b, comparison))
}

/// A run's deploy time for ordering: `+inf` when it did not complete.
fn finish(r: &ReplicationResult) -> f64 {
    if r.outcome == Outcome::Completed {
        r.deploy.as_secs_f64()
    } else {
        f64::INFINITY
    }
}

fn outcomes(results: &[ReplicationResult]) -> BTreeMap<String, u64> {
    let mut counts: BTreeMap<String, u64> = Outcome::ALL
        .iter()
        .map(|o| (o.name().to_string(), 0))
        .collect();
    for r in results {
        *counts.entry(r.outcome.name().to_string()).or_default() += 1;
    }
    counts
}

/// Compares paired results (`a[r]` with `b[r]`). `seed` seeds the bootstrap, so the same
/// results always give the same intervals.
pub fn compare_results(a: &[ReplicationResult], b: &[ReplicationResult], seed: u64) -> Comparison {
    assert_eq!(a.len(), b.len(), "paired results");
    let n = a.len() as u64;
    let both: Vec<(f64, f64)> = a
        .iter()
        .zip(b)
        .filter(|(x, y)| x.outcome == Outcome::Completed && y.outcome == Outcome::Completed)
        .map(|(x, y)| (x.deploy.as_secs_f64(), y.deploy.as_secs_f64()))
        .collect();
    let times: Vec<(f64, f64)> = a
        .iter()
        .zip(b)
        .map(|(x, y)| (finish(x), finish(y)))
        .collect();

    let (mut b_first, mut a_first, mut ties) = (0, 0, 0);
    for (ta, tb) in &times {
        if tb < ta {
            b_first += 1;
        } else if ta < tb {
            a_first += 1;
        } else {
            ties += 1;
        }
    }
    let (ci_low, ci_high) = wilson(b_first, n, Z95);
    let finished_first = FirstCount {
        b_first,
        a_first,
        ties,
        share_b_first: if n == 0 {
            0.0
        } else {
            b_first as f64 / n as f64
        },
        ci_low,
        ci_high,
    };

    let [p50, p95] = quantile_diffs(&times, [0.5, 0.95], seed);
    let paired = |f: fn(&ReplicationResult) -> f64| {
        PairedMean::of(
            &a.iter()
                .zip(b)
                .map(|(x, y)| (f(x), f(y)))
                .collect::<Vec<_>>(),
        )
    };
    Comparison {
        runs: n,
        seed,
        outcomes_a: outcomes(a),
        outcomes_b: outcomes(b),
        both_completed: both.len() as u64,
        deploy_seconds_mean: PairedMean::of(&both),
        deploy_seconds_p50: p50,
        deploy_seconds_p95: p95,
        finished_first,
        min_healthy: paired(|r| r.min_healthy as f64),
        lowest_min_healthy_a: a.iter().map(|r| r.min_healthy).min(),
        lowest_min_healthy_b: b.iter().map(|r| r.min_healthy).min(),
        deficit_task_seconds: paired(|r| r.deficit_task_micros as f64 / 1e6),
        host_seconds_extra: paired(|r| r.host_micros_extra as f64 / 1e6),
        cost: a
            .iter()
            .zip(b)
            .map(|(x, y)| Some((x.cost?, y.cost?)))
            .collect::<Option<Vec<_>>>()
            .and_then(|pairs| PairedMean::of(&pairs)),
        bad_exposure_seconds: if a.iter().chain(b).any(|r| r.bad_exposure_micros > 0) {
            paired(|r| r.bad_exposure_micros as f64 / 1e6)
        } else {
            None
        },
        bootstrap_resamples: BOOTSTRAP_RESAMPLES,
    }
}

/// The `q` quantile (type 7, as `run` uses) of sorted values where `+inf` stands for a run
/// that did not complete; `None` when the quantile depends on such a run.
pub fn quantile_with_unfinished(sorted: &[f64], q: f64) -> Option<f64> {
    let (lower, upper, fraction) = super::stats::order_position(sorted.len(), q)?;
    let (x, y) = (sorted[lower], sorted[upper]);
    if !x.is_finite() || (fraction > 0.0 && !y.is_finite()) {
        return None;
    }
    if fraction == 0.0 {
        Some(x)
    } else {
        Some(x + (y - x) * fraction)
    }
}

/// B − A of each quantile, with a paired percentile bootstrap: resample the pairs with
/// replacement `BOOTSTRAP_RESAMPLES` times, each resample from its own generator seeded
/// from (seed, resample), so the interval does not depend on thread count.
fn quantile_diffs<const K: usize>(
    times: &[(f64, f64)],
    qs: [f64; K],
    seed: u64,
) -> [QuantileDiff; K] {
    let quantiles =
        |pairs: &mut dyn Iterator<Item = (f64, f64)>, a: &mut Vec<f64>, b: &mut Vec<f64>| {
            a.clear();
            b.clear();
            for (x, y) in pairs {
                a.push(x);
                b.push(y);
            }
            a.sort_unstable_by(f64::total_cmp);
            b.sort_unstable_by(f64::total_cmp);
            qs.map(|q| {
                (
                    quantile_with_unfinished(a, q),
                    quantile_with_unfinished(b, q),
                )
            })
        };
    let (mut sa, mut sb) = (Vec::new(), Vec::new());
    let points = quantiles(&mut times.iter().copied(), &mut sa, &mut sb);
    let n = times.len();
    // Per resample and quantile: the difference, +inf / -inf when only B / only A did not
    // reach it, NaN when neither did.
    let resamples: Vec<[f64; K]> = if n == 0 {
        Vec::new()
    } else {
        (0..BOOTSTRAP_RESAMPLES)
            .into_par_iter()
            .map_init(
                || (Vec::with_capacity(n), Vec::with_capacity(n)),
                |(sa, sb), resample| {
                    let mut rng = Xoshiro256PlusPlus::seed_from_u64(
                        seed ^ 0xB007_5714_u64.wrapping_mul(resample as u64 + 1),
                    );
                    let mut pairs = (0..n).map(|_| {
                        let i =
                            ((rand::Rng::next_u64(&mut rng) as u128 * n as u128) >> 64) as usize;
                        times[i]
                    });
                    quantiles(&mut pairs, sa, sb).map(|(qa, qb)| match (qa, qb) {
                        (Some(x), Some(y)) => y - x,
                        (Some(_), None) => f64::INFINITY,
                        (None, Some(_)) => f64::NEG_INFINITY,
                        (None, None) => f64::NAN,
                    })
                },
            )
            .collect()
    };
    std::array::from_fn(|k| {
        let (a, b) = points[k];
        let diff = match (a, b) {
            (Some(x), Some(y)) => Some(y - x),
            _ => None,
        };
        let (ci_low, ci_high) = match diff {
            Some(_) if !resamples.is_empty() => {
                let mut values: Vec<f64> = resamples.iter().map(|r| r[k]).collect();
                values.sort_unstable_by(f64::total_cmp);
                // NaN (neither side reached the quantile) sorts last under total_cmp and
                // counts as unbounded on the high side.
                let finite = |v: f64| v.is_finite().then_some(v);
                (
                    super::percentile(&values, 0.025).and_then(finite),
                    super::percentile(&values, 0.975).and_then(finite),
                )
            }
            _ => (None, None),
        };
        QuantileDiff {
            q: qs[k],
            a,
            b,
            diff,
            ci_low,
            ci_high,
        }
    })
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom (two-sided 95%): a table
/// up to 30, then the Cornish-Fisher expansion (error below 1e-4 there).
pub fn student_t_975(df: u64) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    if df == 0 {
        return f64::INFINITY;
    }
    if df <= 30 {
        return TABLE[df as usize - 1];
    }
    let z = Z95;
    let v = df as f64;
    let (z3, z5, z7) = (z.powi(3), z.powi(5), z.powi(7));
    z + (z3 + z) / (4.0 * v)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v * v * v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles() {
        assert_eq!(student_t_975(1), 12.706);
        assert!((student_t_975(40) - 2.0211).abs() < 1e-3);
        assert!((student_t_975(120) - 1.9799).abs() < 1e-3);
        assert!((student_t_975(1_000_000) - Z95).abs() < 1e-5);
    }

    #[test]
    fn unfinished_runs_sort_last() {
        let v = [1.0, 2.0, 3.0, f64::INFINITY];
        assert_eq!(quantile_with_unfinished(&v, 0.5), Some(2.5));
        assert_eq!(quantile_with_unfinished(&v, 2.0 / 3.0), Some(3.0));
        assert_eq!(quantile_with_unfinished(&v, 0.95), None);
        assert_eq!(quantile_with_unfinished(&[], 0.5), None);
    }

    #[test]
    fn paired_mean_of_a_constant_shift() {
        let pairs: Vec<(f64, f64)> = (0..10).map(|i| (i as f64, i as f64 + 2.0)).collect();
        let m = PairedMean::of(&pairs).unwrap();
        assert_eq!(m.diff, 2.0);
        assert_eq!(m.ci_low, Some(2.0));
        assert_eq!(m.ci_high, Some(2.0));
    }
}

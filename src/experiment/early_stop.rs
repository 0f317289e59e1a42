//! Stopping one value early once its answer is settled.
//!
//! `plan` asks one question of each value it tries: is the share of runs completed within
//! the target at least the confidence? A value at 0% or 100% answers it after a few dozen
//! runs. So replications run in fixed batches over replication indices `0..n`: a first
//! look after [`FIRST_LOOK`] runs, then 100, 200, 400, ... and last `runs`. After each
//! batch but the last, the value stops if the Wilson interval of its share, at a stricter
//! z than the reported 95% one, lies wholly at or above the confidence or wholly below it.
//!
//! Why a stricter z: looking several times gives chance several tries at pushing an
//! interval across the confidence. With K early looks each at one-sided error
//! `EARLY_ERROR / K` (`z = Φ⁻¹(1 - EARLY_ERROR / K)`), the chance that any look stops on
//! the wrong side is at most `EARLY_ERROR` (the union bound), the same 2.5% a single 95%
//! interval leaves on either side. The looks share their runs, so the true chance is
//! smaller still.
//!
//! The batches depend only on `runs`, never on threads or timing, and every replication
//! is seeded from (seed, replication) alone, so a value's result is the same on any thread
//! count, and a value that runs to the end has exactly the replications a full run has.

use super::{RunSettings, TargetShare, Z95, run_range, wilson};
use crate::model::ReplicationResult;
use crate::scenario::{Scenario, standard_normal_quantile};

/// Runs before the first look: enough for a share of 0% or 100% to clear a confidence of
/// 90% at the stricter z (0 of 50 has an upper end of 0.12 at z = 2.58).
pub const FIRST_LOOK: u32 = 50;

/// The one-sided error allowed over all early looks together.
pub const EARLY_ERROR: f64 = 0.025;

/// The replication counts after which a value may stop, ending with `runs` itself:
/// 50, 100, 200, ... below `runs`, then `runs`.
pub fn looks(runs: u32) -> Vec<u32> {
    let mut looks = Vec::new();
    let mut n = FIRST_LOOK;
    while n < runs {
        looks.push(n);
        n = n.saturating_mul(2);
    }
    looks.push(runs);
    looks
}

/// The z each early look uses when a value may run `runs` replications: Bonferroni over
/// the looks before the last (the last is the full run, judged as always). `None` when
/// there is no early look (`runs` at most [`FIRST_LOOK`]).
pub fn early_z(runs: u32) -> Option<f64> {
    let early = looks(runs).len() - 1;
    (early > 0).then(|| standard_normal_quantile(1.0 - EARLY_ERROR / early as f64))
}

/// Which side of `confidence` the share `within / n` clearly lies on at `z`: `Some(true)`
/// when the interval's lower end is at or above it, `Some(false)` when its upper end is
/// below it, `None` while the interval straddles it.
pub fn clear_side(within: u64, n: u64, confidence: f64, z: f64) -> Option<bool> {
    let (low, high) = wilson(within, n, z);
    if low >= confidence {
        Some(true)
    } else if high < confidence {
        Some(false)
    } else {
        None
    }
}

/// Replications `0..n` of `scenario` for the smallest look `n` at which the share within
/// `target_seconds` is clearly on one side of `confidence`, or all `settings.runs` of them
/// when none is (or when `all_runs`). The results are in replication order.
pub fn run_until_settled(
    scenario: &Scenario,
    settings: RunSettings,
    target_seconds: f64,
    confidence: f64,
    all_runs: bool,
) -> anyhow::Result<Vec<ReplicationResult>> {
    let z = match early_z(settings.runs) {
        Some(z) if !all_runs => z,
        _ => return run_range(scenario, settings, 0..settings.runs, None),
    };
    let mut results = Vec::with_capacity(settings.runs as usize);
    for n in looks(settings.runs) {
        let from = results.len() as u32;
        results.extend(run_range(scenario, settings, from..n, None)?);
        if n == settings.runs {
            break;
        }
        let share = TargetShare::of(&results, target_seconds);
        // The reported 95% interval is narrower than the stricter one, so it is clear too;
        // asking both keeps "stopped early" and "settled" in step even at rounding's edge.
        let side = clear_side(share.within, share.runs, confidence, z);
        if side.is_some() && side == clear_side(share.within, share.runs, confidence, Z95) {
            break;
        }
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_double_from_fifty_and_end_at_runs() {
        assert_eq!(looks(1000), [50, 100, 200, 400, 800, 1000]);
        assert_eq!(looks(800), [50, 100, 200, 400, 800]);
        assert_eq!(looks(200), [50, 100, 200]);
        assert_eq!(looks(51), [50, 51]);
        // Too few runs for an early look: one batch, as without early stopping.
        assert_eq!(looks(50), [50]);
        assert_eq!(looks(4), [4]);
        assert_eq!(early_z(50), None);
    }

    /// The stricter z, by hand: 1,000 runs have five early looks (50, 100, 200, 400, 800),
    /// each at one-sided error 0.025 / 5 = 0.005, so z = Φ⁻¹(0.995) = 2.5758 (the two-sided
    /// 99% quantile). 200 runs have two (50, 100): Φ⁻¹(1 - 0.0125) = 2.2414.
    #[test]
    fn the_early_z_splits_the_error_over_the_looks() {
        assert!((early_z(1000).unwrap() - 2.575_829).abs() < 1e-5);
        assert!((early_z(200).unwrap() - 2.241_403).abs() < 1e-5);
        // More looks, a stricter z.
        assert!(early_z(100_000).unwrap() > early_z(1000).unwrap());
    }

    /// 50 of 50 runs within the target, at z = 2.5758: with p = 1 the Wilson interval's
    /// centre and half-width are (1 + z²/2n) / (1 + z²/n) and (z²/2n) / (1 + z²/n), so the
    /// lower end is 1 / (1 + z²/n) = n / (n + z²) = 50 / (50 + 6.6349) = 0.8828 and the
    /// upper end is 1. Against 0.8 it is clear above; against 0.95 it straddles (at 200
    /// runs: 200 / 206.63 = 0.9679, clear). 0 of 50 mirrors it: [0, 0.1172], clear below
    /// 0.95, while 3 of 50 = 6% straddles 0.1.
    #[test]
    fn fifty_of_fifty_clears_eighty_percent_but_not_ninety_five() {
        let z = early_z(1000).unwrap();
        let (low, high) = wilson(50, 50, z);
        assert!((low - 50.0 / (50.0 + z * z)).abs() < 1e-12);
        assert!((low - 0.8828).abs() < 1e-4, "{low}");
        assert_eq!(high, 1.0);
        assert_eq!(clear_side(50, 50, 0.8, z), Some(true));
        assert_eq!(clear_side(50, 50, 0.95, z), None);
        assert_eq!(clear_side(200, 200, 0.95, z), Some(true));
        assert!((wilson(200, 200, z).0 - 0.9679).abs() < 1e-4);
        let (low, high) = wilson(0, 50, z);
        assert_eq!(low, 0.0);
        assert!((high - 0.1172).abs() < 1e-4, "{high}");
        assert_eq!(clear_side(0, 50, 0.95, z), Some(false));
        assert_eq!(clear_side(3, 50, 0.1, z), None);
    }

    /// The stricter interval holds the 95% one, so a value that stopped is settled at 95%.
    #[test]
    fn the_stricter_interval_holds_the_reported_one() {
        let z = early_z(1000).unwrap();
        for n in [50u64, 100, 200, 400, 800] {
            for within in 0..=n {
                let (low, high) = wilson(within, n, z);
                let (low95, high95) = wilson(within, n, Z95);
                assert!(low <= low95 && high95 <= high, "{within}/{n}");
            }
        }
    }
}

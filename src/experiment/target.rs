//! Deploy-time targets in the two forms the planning commands and `run --require` accept:
//! a duration with a share (`--target 15m --confidence 0.95`) or a percentile below a
//! duration (`--target p95<15m`).
//!
//! Both mean the same thing: at least that share of **all** runs completed within the
//! duration. A run that never completes (stuck, timed out, failed, rolled back) counts as
//! not within, so `p95<15m` fails when more than 5% of runs get stuck, even if every run
//! that completed was fast. Deploy times are continuous, so `<` and `<=` are read alike
//! (within: at most the duration).

use crate::model::{Outcome, ReplicationResult};
use crate::scenario::parse_duration;

/// The forms `--target` accepts, for error messages.
pub const TARGET_FORMS: &str = "a duration such as 15m (the share within it comes from --confidence), or a percentile below a duration such as p95<15m, p99<=20m or p90<5m30s";

/// A percentile target: `quantile` of all runs complete within `seconds`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Percentile {
    /// Between 0 and 1 (exclusive): 0.95 for `p95`.
    pub quantile: f64,
    pub seconds: f64,
}

impl Percentile {
    /// Parses `pQ<DURATION` or `pQ<=DURATION` (Q above 0 and below 100, decimals allowed).
    /// `Ok(None)` when `text` does not start like a percentile (`p` and a digit).
    pub fn parse(text: &str) -> Result<Option<Percentile>, String> {
        let text = text.trim();
        let mut chars = text.chars();
        let starts = matches!(chars.next(), Some('p' | 'P'))
            && chars.next().is_some_and(|c| c.is_ascii_digit());
        if !starts {
            return Ok(None);
        }
        let Some((left, right)) = text[1..].split_once('<') else {
            return Err(format!(
                "`{text}`: a percentile target needs `<` and a duration, as in p95<15m"
            ));
        };
        let right = right.strip_prefix('=').unwrap_or(right).trim();
        let q: f64 = left.trim().parse().map_err(|_| {
            format!("`{text}`: `p{left}` is not a percentile such as p50, p95 or p99.9")
        })?;
        if !(q > 0.0 && q < 100.0) {
            return Err(format!(
                "`{text}`: the percentile must be above 0 and below 100, as in p95"
            ));
        }
        let seconds = parse_duration(right)
            .map_err(|e| format!("`{text}`: after `<`: {e}"))?
            .as_secs_f64();
        Ok(Some(Percentile {
            quantile: q / 100.0,
            seconds,
        }))
    }

    /// The share of all runs that completed within `seconds`.
    pub fn share_within(results: &[ReplicationResult], seconds: f64) -> f64 {
        if results.is_empty() {
            return 0.0;
        }
        let within = results
            .iter()
            .filter(|r| r.outcome == Outcome::Completed && r.deploy.as_secs_f64() <= seconds)
            .count();
        within as f64 / results.len() as f64
    }

    /// The `quantile` of deploy time over all runs, a run that did not complete counting
    /// as never finishing: the smallest time by which at least that share of runs had
    /// completed (so `time <= target` exactly when the share within target is at least
    /// the quantile). `None` when fewer than that share completed at all.
    pub fn time_at(results: &[ReplicationResult], quantile: f64) -> Option<f64> {
        let mut times: Vec<f64> = results
            .iter()
            .filter(|r| r.outcome == Outcome::Completed)
            .map(|r| r.deploy.as_secs_f64())
            .collect();
        times.sort_by(f64::total_cmp);
        // The k-th smallest, k = ceil(quantile x runs) (at least 1).
        let k = ((quantile * results.len() as f64) - 1e-9).ceil().max(1.0) as usize;
        times.get(k - 1).copied()
    }

    /// `p95`, `p99.9`.
    pub fn label(&self) -> String {
        format!("p{}", trim_number(self.quantile * 100.0))
    }
}

/// 95 -> "95", 99.9 -> "99.9" (no float noise).
pub fn trim_number(value: f64) -> String {
    let text = format!("{value:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_parse() {
        let p = Percentile::parse("p95<15m").unwrap().unwrap();
        assert_eq!((p.quantile, p.seconds), (0.95, 900.0));
        let p = Percentile::parse(" P99.9 <= 1m30s").unwrap().unwrap();
        assert!((p.quantile - 0.999).abs() < 1e-12);
        assert_eq!(p.seconds, 90.0);
        assert_eq!(p.label(), "p99.9");
        assert_eq!(Percentile::parse("15m").unwrap(), None);
        assert!(Percentile::parse("p95").unwrap_err().contains("needs `<`"));
        assert!(
            Percentile::parse("p100<5m")
                .unwrap_err()
                .contains("below 100")
        );
        assert!(
            Percentile::parse("p95<soon")
                .unwrap_err()
                .contains("after `<`")
        );
    }
}

//! Statistics over replications: percentiles and the Wilson interval.

use serde::Serialize;

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// The `q` quantile (0..=1) of sorted values, interpolating linearly between order
/// statistics (position `(n - 1) * q`, the common "type 7" definition).
pub fn percentile(sorted: &[f64], q: f64) -> Option<f64> {
    let (lower, upper, fraction) = order_position(sorted.len(), q)?;
    Some(sorted[lower] + (sorted[upper] - sorted[lower]) * fraction)
}

/// Where the `q` quantile of `len` sorted values falls: the two order statistics around
/// position `(len - 1) * q` and the fraction between them; `None` for no values.
pub fn order_position(len: usize, q: f64) -> Option<(usize, usize, f64)> {
    if len == 0 {
        return None;
    }
    let position = (len - 1) as f64 * q.clamp(0.0, 1.0);
    let lower = position.floor() as usize;
    Some((lower, position.ceil() as usize, position - lower as f64))
}

/// The Wilson score interval for `successes` out of `trials` at normal quantile `z`.
pub fn wilson(successes: u64, trials: u64, z: f64) -> (f64, f64) {
    if trials == 0 {
        return (0.0, 1.0);
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At p = 0 or p = 1 the bound is exactly 0 or 1; say so rather than 0.9999999999999999.
    let low = if successes == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if successes == trials {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (low, high)
}

/// Mean, percentiles and maximum of one quantity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Distribution {
    /// How many values these statistics cover.
    pub count: usize,
    pub mean: f64,
    pub min: f64,
    pub p50: f64,
    pub p90: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

impl Distribution {
    /// `None` when there are no values.
    pub fn of(mut values: Vec<f64>) -> Option<Distribution> {
        if values.is_empty() {
            return None;
        }
        values.sort_by(f64::total_cmp);
        let q = |q: f64| percentile(&values, q).expect("non-empty");
        Some(Distribution {
            count: values.len(),
            mean: values.iter().sum::<f64>() / values.len() as f64,
            min: values[0],
            p50: q(0.5),
            p90: q(0.9),
            p95: q(0.95),
            p99: q(0.99),
            max: *values.last().expect("non-empty"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate() {
        let values = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile(&values, 0.0), Some(1.0));
        assert_eq!(percentile(&values, 1.0), Some(4.0));
        assert_eq!(percentile(&values, 0.5), Some(2.5));
        assert!((percentile(&values, 0.9).unwrap() - 3.7).abs() < 1e-12);
        assert_eq!(percentile(&[], 0.5), None);
    }

    #[test]
    fn wilson_matches_known_values() {
        // 95 of 100: the textbook Wilson interval is [0.8882, 0.9785].
        let (low, high) = wilson(95, 100, Z95);
        assert!((low - 0.8882).abs() < 1e-4, "{low}");
        assert!((high - 0.9785).abs() < 1e-4, "{high}");
        let (low, high) = wilson(0, 10, Z95);
        assert_eq!(low, 0.0);
        assert!((high - 0.2775).abs() < 1e-4);
        let (low, high) = wilson(10, 10, Z95);
        assert!((low - 0.7225).abs() < 1e-4);
        assert_eq!(high, 1.0);
    }

    #[test]
    fn distribution_summarises() {
        let d = Distribution::of(vec![3.0, 1.0, 2.0]).unwrap();
        assert_eq!(d.count, 3);
        assert_eq!(d.mean, 2.0);
        assert_eq!(d.p50, 2.0);
        assert_eq!(d.max, 3.0);
        assert!(Distribution::of(vec![]).is_none());
    }
}

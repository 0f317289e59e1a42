//! Fitting a duration key to observed samples: a log-normal by maximum likelihood, kept
//! when a Kolmogorov-Smirnov test does not reject it at 5%, else the observations
//! themselves (an empirical distribution).
//!
//! The log-normal's parameters are estimated from the same data the test is run on, so
//! the plain KS table (1.358 / sqrt(n)) would almost never reject. We use the critical
//! value for a normal law with estimated mean and variance (the test on `ln x` is the same
//! test: KS is unchanged by a monotone transform), in Stephens' modified form
//! (M. A. Stephens, "EDF statistics for goodness of fit and some comparisons", JASA 69,
//! 1974, table 1A, case 3): reject at 5% when
//! `D * (sqrt(n) - 0.01 + 0.85 / sqrt(n)) > 0.895`.

use crate::scenario::standard_normal_quantile;

/// Fewer observations than this are not fitted (the test's approximation starts at 5).
pub const MIN_SAMPLES: usize = 5;

/// Z such that P(N(0,1) <= Z) = 0.95 (the scenario files' p95 convention).
const Z95: f64 = 1.6448536;

/// A log-normal: `ln x ~ N(mu, sigma^2)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LogNormal {
    pub mu: f64,
    pub sigma: f64,
}

impl LogNormal {
    pub fn median(&self) -> f64 {
        self.mu.exp()
    }

    pub fn p95(&self) -> f64 {
        (self.mu + Z95 * self.sigma).exp()
    }

    /// From a scenario's `lognormal(median=, p95=)`.
    pub fn from_median_p95(median: f64, p95: f64) -> LogNormal {
        LogNormal {
            mu: median.ln(),
            sigma: (p95 / median).ln() / Z95,
        }
    }

    pub fn cdf(&self, x: f64) -> f64 {
        if x <= 0.0 {
            0.0
        } else if self.sigma == 0.0 {
            if x >= self.median() { 1.0 } else { 0.0 }
        } else {
            normal_cdf((x.ln() - self.mu) / self.sigma)
        }
    }

    /// The value at quantile `u` (0 < u < 1).
    pub fn quantile(&self, u: f64) -> f64 {
        (self.mu + self.sigma * standard_normal_quantile(u)).exp()
    }
}

/// The maximum-likelihood log-normal: the mean and (biased, 1/n) standard deviation of
/// `ln x`. `None` when a value is not positive (no log-normal can produce it) or there
/// are fewer than two values.
pub fn fit_lognormal(values: &[f64]) -> Option<LogNormal> {
    if values.len() < 2 || values.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
        return None;
    }
    let n = values.len() as f64;
    let mu = values.iter().map(|v| v.ln()).sum::<f64>() / n;
    let variance = values.iter().map(|v| (v.ln() - mu).powi(2)).sum::<f64>() / n;
    Some(LogNormal {
        mu,
        sigma: variance.sqrt(),
    })
}

/// The Kolmogorov-Smirnov distance between the sample's empirical CDF and `cdf`.
pub fn ks_statistic(values: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    sorted
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let f = cdf(*x);
            (f - i as f64 / n).max((i + 1) as f64 / n - f)
        })
        .fold(0.0, f64::max)
}

/// The largest distance not rejected at 5% for `n` observations (Stephens, case 3).
pub fn ks_critical_5pct(n: usize) -> f64 {
    let root = (n as f64).sqrt();
    0.895 / (root - 0.01 + 0.85 / root)
}

/// True when the KS test rejects the fitted law at 5%.
pub fn ks_rejects(distance: f64, n: usize) -> bool {
    distance > ks_critical_5pct(n)
}

/// What a key becomes.
#[derive(Clone, Debug, PartialEq)]
pub enum Model {
    /// Every observation is the same: a constant.
    Constant(f64),
    /// The fitted log-normal passed the test.
    LogNormal(LogNormal),
    /// The observations themselves; the reason says why not a log-normal.
    Empirical(String),
    /// Too few observations to fit anything.
    TooFew,
}

/// One key's fit.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyFit {
    pub key: &'static str,
    pub span: &'static str,
    /// Sorted ascending.
    pub sorted: Vec<f64>,
    /// The maximum-likelihood log-normal, when one exists (also when rejected).
    pub lognormal: Option<LogNormal>,
    pub ks_distance: Option<f64>,
    pub ks_critical: Option<f64>,
    pub model: Model,
}

/// Fits one key.
pub fn fit_key(key: &'static str, span: &'static str, values: &[f64]) -> KeyFit {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut fit = KeyFit {
        key,
        span,
        sorted: sorted.clone(),
        lognormal: None,
        ks_distance: None,
        ks_critical: None,
        model: Model::TooFew,
    };
    let n = sorted.len();
    if n < MIN_SAMPLES {
        return fit;
    }
    if sorted[0] == sorted[n - 1] {
        fit.model = Model::Constant(sorted[0]);
        return fit;
    }
    let Some(lognormal) = fit_lognormal(&sorted) else {
        let zeros = sorted.iter().filter(|v| **v <= 0.0).count();
        fit.model = Model::Empirical(format!(
            "{zeros} of {n} observations are 0 s, which no log-normal produces (timestamps to the second round short steps to 0)"
        ));
        return fit;
    };
    let distance = ks_statistic(&sorted, |x| lognormal.cdf(x));
    let critical = ks_critical_5pct(n);
    fit.lognormal = Some(lognormal);
    fit.ks_distance = Some(distance);
    fit.ks_critical = Some(critical);
    fit.model = if ks_rejects(distance, n) {
        Model::Empirical(format!(
            "the Kolmogorov-Smirnov test rejects the log-normal at 5% (D = {distance:.4} > {critical:.4})"
        ))
    } else {
        Model::LogNormal(lognormal)
    };
    fit
}

/// The standard normal CDF, from `erfc` (W. J. Cody's rational approximations, as in
/// Numerical Recipes' `erfcc`: fractional error below 1.2e-7, far finer than the KS
/// distances we compare).
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

#[allow(clippy::excessive_precision)] // published coefficients, as published
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.26551223
            + t * (1.00002368
                + t * (0.37409196
                    + t * (0.09678418
                        + t * (-0.18628806
                            + t * (0.27886807
                                + t * (-1.13520398
                                    + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
            .exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_cdf_matches_tables() {
        // Phi(0) = 0.5, Phi(1.6448536) = 0.95, Phi(-1.959964) = 0.025.
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.6448536) - 0.95).abs() < 1e-6);
        assert!((normal_cdf(-1.959964) - 0.025).abs() < 1e-6);
    }

    #[test]
    fn critical_value_follows_stephens() {
        // n = 100: 0.895 / (10 - 0.01 + 0.085) = 0.895 / 10.075 = 0.088834...
        assert!((ks_critical_5pct(100) - 0.895 / 10.075).abs() < 1e-12);
        // Close to Lilliefors' large-sample 0.886 / sqrt(n) for large n.
        let n = 10_000;
        assert!((ks_critical_5pct(n) - 0.886 / 100.0).abs() < 1e-4);
    }

    #[test]
    fn ks_decision_on_both_sides_of_the_critical_value() {
        let n = 100;
        let c = ks_critical_5pct(n);
        assert!(!ks_rejects(c - 1e-9, n));
        assert!(!ks_rejects(c, n));
        assert!(ks_rejects(c + 1e-9, n));
    }

    #[test]
    fn ks_statistic_by_hand() {
        // Sample {1, 2} against the uniform CDF on [0, 4]: F = 0.25, 0.5; the empirical
        // CDF jumps to 0.5 at 1 and to 1 at 2. Distances: max(0.25 - 0, 0.5 - 0.25) =
        // 0.25 at 1; max(0.5 - 0.5, 1 - 0.5) = 0.5 at 2. D = 0.5.
        let d = ks_statistic(&[2.0, 1.0], |x| (x / 4.0).clamp(0.0, 1.0));
        assert!((d - 0.5).abs() < 1e-12);
    }

    #[test]
    fn mle_by_hand() {
        // ln values e^1, e^3: mu = 2, sigma = sqrt(((1-2)^2 + (3-2)^2) / 2) = 1.
        let fit = fit_lognormal(&[1f64.exp(), 3f64.exp()]).unwrap();
        assert!((fit.mu - 2.0).abs() < 1e-12);
        assert!((fit.sigma - 1.0).abs() < 1e-12);
        assert_eq!(fit_lognormal(&[0.0, 1.0]), None);
    }

    #[test]
    fn constant_and_too_few() {
        assert_eq!(fit_key("k", "s", &[2.0; 6]).model, Model::Constant(2.0));
        assert_eq!(fit_key("k", "s", &[1.0, 2.0]).model, Model::TooFew);
        let with_zero = fit_key("k", "s", &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        assert!(matches!(with_zero.model, Model::Empirical(_)));
    }
}

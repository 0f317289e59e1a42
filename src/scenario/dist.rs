//! Distributions of durations (docs/model.md section 8).
//!
//! Every random draw is made by inverse transform from exactly one uniform number, so a
//! draw's position in its stream never depends on the distribution's shape or
//! parameters. Two configurations that differ only in, say, the pull median still get the
//! same uniform for the same pull, which is what makes paired comparisons sharp (common
//! random numbers). `rand_distr`'s samplers (ziggurat, rejection) consume a variable
//! number of values and would break that coupling, so we do not use them.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::duration::{format_duration, parse_duration};
use crate::engine::SimDuration;

/// The 0.95 quantile of the standard normal distribution (docs/model.md: sigma = ln(p95/median) / 1.6448536).
const Z95: f64 = 1.6448536;

/// A distribution of non-negative durations.
#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    Constant(SimDuration),
    Uniform {
        low: SimDuration,
        high: SimDuration,
    },
    Exponential {
        mean: SimDuration,
    },
    LogNormal {
        median: SimDuration,
        p95: SimDuration,
        /// `ln(p95 / median) / 1.6448536`, computed once at parse time (not per draw).
        sigma: f64,
        /// `median` in seconds, computed once (a draw would otherwise divide each time).
        median_seconds: f64,
    },
    /// Observed durations, drawn uniformly. `values` is empty until the file is loaded
    /// (see [`Dist::load_empirical`]).
    Empirical {
        path: String,
        values: Arc<Vec<SimDuration>>,
    },
}

impl Dist {
    pub fn constant(duration: SimDuration) -> Dist {
        Dist::Constant(duration)
    }

    /// True when a draw needs no random number (docs/model.md 12: "A constant draws no random
    /// number"). A uniform of zero width and a log-normal with p95 = median are constants.
    pub fn is_constant(&self) -> bool {
        match self {
            Dist::Constant(_) => true,
            Dist::Uniform { low, high } => low == high,
            Dist::Exponential { mean } => mean.micros() == 0,
            Dist::LogNormal { median, p95, .. } => median == p95,
            Dist::Empirical { values, .. } => values.len() == 1,
        }
    }

    /// The duration at quantile `u` (0 < u < 1).
    pub fn quantile(&self, u: f64) -> SimDuration {
        match self {
            Dist::Constant(duration) => *duration,
            Dist::Uniform { low, high } => uniform_quantile(*low, *high, u),
            Dist::Exponential { mean } => {
                SimDuration::from_secs_f64(-mean.as_secs_f64() * (1.0 - u).ln())
            }
            Dist::LogNormal {
                sigma,
                median_seconds,
                ..
            } => {
                if *median_seconds <= 0.0 {
                    return SimDuration::ZERO;
                }
                SimDuration::from_secs_f64(
                    median_seconds * (sigma * standard_normal_quantile(u)).exp(),
                )
            }
            Dist::Empirical { values, .. } => {
                let index = ((values.len() as f64 * u) as usize).min(values.len() - 1);
                values[index]
            }
        }
    }

    /// `out[i] = self.quantile(us[i])` for every `i`, the same numbers exactly. For a
    /// log-normal the steps go in passes over all values (the normal quantiles, then
    /// `exp`, then the durations), so that the processor works on several values' chains
    /// of dependent floating-point steps at once instead of waiting on each in turn.
    pub fn quantiles<const N: usize>(&self, us: &[f64; N], out: &mut [SimDuration; N]) {
        match self {
            Dist::LogNormal {
                sigma,
                median_seconds,
                ..
            } if *median_seconds > 0.0 => {
                let mut scaled = [0.0; N];
                for (x, &u) in scaled.iter_mut().zip(us) {
                    *x = sigma * standard_normal_quantile(u);
                }
                for x in &mut scaled {
                    *x = x.exp();
                }
                for (duration, x) in out.iter_mut().zip(scaled) {
                    *duration = SimDuration::from_secs_f64(median_seconds * x);
                }
            }
            Dist::Uniform { low, high } => {
                for (duration, &u) in out.iter_mut().zip(us) {
                    *duration = uniform_quantile(*low, *high, u);
                }
            }
            _ => {
                for (duration, &u) in out.iter_mut().zip(us) {
                    *duration = self.quantile(u);
                }
            }
        }
    }

    /// The smallest value the distribution can produce (for floors and sanity checks).
    pub fn minimum(&self) -> SimDuration {
        match self {
            Dist::Constant(d) => *d,
            Dist::Uniform { low, .. } => *low,
            Dist::Exponential { .. } | Dist::LogNormal { .. } => SimDuration::ZERO,
            Dist::Empirical { values, .. } => values.iter().copied().min().unwrap_or_default(),
        }
    }

    /// The constant value, if this distribution is a constant.
    pub fn as_constant(&self) -> Option<SimDuration> {
        match self {
            Dist::Constant(d) => Some(*d),
            _ => None,
        }
    }

    /// Parses `"10s"`, `uniform(2s, 6s)`, `exponential(mean=20s)`,
    /// `lognormal(median=25s, p95=60s)` or `empirical("pulls.csv")`.
    pub fn parse(text: &str) -> Result<Dist, String> {
        let text = text.trim();
        let Some(open) = text.find('(') else {
            return parse_duration(text).map(Dist::Constant).map_err(|e| {
                if text.starts_with('-') {
                    // Negative: the sentence says it all; distributions do not help.
                    e
                } else {
                    format!("{e}; this key also takes a distribution: uniform(2s, 6s), exponential(mean=20s), lognormal(median=25s, p95=60s), empirical(\"file.csv\")")
                }
            });
        };
        let name = text[..open].trim();
        let Some(inner) = text[open + 1..].strip_suffix(')') else {
            return Err(format!("\"{text}\" is missing its closing parenthesis"));
        };
        let args: Vec<&str> = inner.split(',').map(str::trim).collect();
        let named = |key: &str, arg: &str| -> Result<SimDuration, String> {
            let value = arg
                .strip_prefix(key)
                .and_then(|rest| rest.trim_start().strip_prefix('='))
                .ok_or_else(|| format!("{name}(...) expects {key}=<duration>, got \"{arg}\""))?;
            parse_duration(value)
        };
        match name {
            "uniform" => {
                let [low, high] = args[..] else {
                    return Err(format!(
                        "uniform takes two durations, e.g. uniform(2s, 6s); got \"{text}\""
                    ));
                };
                let (low, high) = (parse_duration(low)?, parse_duration(high)?);
                if low > high {
                    return Err(format!(
                        "uniform({}, {}) has its lower bound above its upper bound",
                        format_duration(low),
                        format_duration(high)
                    ));
                }
                Ok(Dist::Uniform { low, high })
            }
            "exponential" => {
                let [mean] = args[..] else {
                    return Err(format!(
                        "exponential takes one parameter, e.g. exponential(mean=20s); got \"{text}\""
                    ));
                };
                Ok(Dist::Exponential {
                    mean: named("mean", mean)?,
                })
            }
            "lognormal" => {
                let [median, p95] = args[..] else {
                    return Err(format!(
                        "lognormal takes median and p95, e.g. lognormal(median=25s, p95=60s); got \"{text}\""
                    ));
                };
                let (median, p95) = (named("median", median)?, named("p95", p95)?);
                if p95 < median {
                    return Err(format!(
                        "lognormal p95 ({}) is below its median ({}); p95 must be at least the median",
                        format_duration(p95),
                        format_duration(median)
                    ));
                }
                if median.micros() == 0 && p95.micros() > 0 {
                    return Err("lognormal median must be above zero".to_string());
                }
                let sigma = if median.micros() == 0 {
                    0.0
                } else {
                    (p95.as_secs_f64() / median.as_secs_f64()).ln() / Z95
                };
                Ok(Dist::LogNormal {
                    median,
                    p95,
                    sigma,
                    median_seconds: median.as_secs_f64(),
                })
            }
            "empirical" => {
                let [path] = args[..] else {
                    return Err(format!(
                        "empirical takes one quoted file name, e.g. empirical(\"pulls.csv\"); got \"{text}\""
                    ));
                };
                let path = path
                    .strip_prefix('"')
                    .and_then(|p| p.strip_suffix('"'))
                    .or_else(|| path.strip_prefix('\'').and_then(|p| p.strip_suffix('\'')))
                    .unwrap_or(path);
                if path.is_empty() {
                    return Err("empirical(...) needs a file name".to_string());
                }
                Ok(Dist::Empirical {
                    path: path.to_string(),
                    values: Arc::new(Vec::new()),
                })
            }
            _ => Err(format!(
                "unknown distribution \"{name}\"; allowed: uniform, exponential, lognormal, empirical, or a plain duration"
            )),
        }
    }

    /// Reads an empirical distribution's file (one duration in seconds a line; blank lines,
    /// `#` comments and a non-numeric first line as a header are skipped), relative to
    /// `base_dir`. Other distributions are left as they are.
    pub fn load_empirical(&mut self, base_dir: &Path) -> Result<(), String> {
        let Dist::Empirical { path, values } = self else {
            return Ok(());
        };
        let full: PathBuf = base_dir.join(&*path);
        let text = std::fs::read_to_string(&full)
            .map_err(|e| format!("cannot read empirical file {}: {e}", full.display()))?;
        let mut loaded = Vec::new();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            let first_field = line.split(',').next().unwrap_or("").trim();
            if first_field.is_empty() || first_field.starts_with('#') {
                continue;
            }
            match first_field.parse::<f64>() {
                Ok(seconds) if seconds.is_finite() && seconds >= 0.0 => {
                    loaded.push(SimDuration::from_secs_f64(seconds))
                }
                Ok(_) => {
                    return Err(format!(
                        "{} line {}: \"{first_field}\" is not a non-negative number of seconds",
                        full.display(),
                        number + 1
                    ));
                }
                Err(_) if loaded.is_empty() && number == 0 => continue, // a header line
                Err(_) => {
                    return Err(format!(
                        "{} line {}: \"{first_field}\" is not a number of seconds",
                        full.display(),
                        number + 1
                    ));
                }
            }
        }
        if loaded.is_empty() {
            return Err(format!(
                "empirical file {} holds no durations",
                full.display()
            ));
        }
        *values = Arc::new(loaded);
        Ok(())
    }
}

impl fmt::Display for Dist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dist::Constant(d) => write!(f, "{}", format_duration(*d)),
            Dist::Uniform { low, high } => {
                write!(
                    f,
                    "uniform({}, {})",
                    format_duration(*low),
                    format_duration(*high)
                )
            }
            Dist::Exponential { mean } => write!(f, "exponential(mean={})", format_duration(*mean)),
            Dist::LogNormal { median, p95, .. } => write!(
                f,
                "lognormal(median={}, p95={})",
                format_duration(*median),
                format_duration(*p95)
            ),
            Dist::Empirical { path, .. } => write!(f, "empirical(\"{path}\")"),
        }
    }
}

impl Serialize for Dist {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Dist {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer).map_err(|_| {
            serde::de::Error::custom(
                "this key takes a duration or a distribution in quotes, e.g. \"30s\" or \"uniform(2s, 6s)\" (a bare number has no unit)",
            )
        })?;
        Dist::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A constant duration key (the keys docs/model.md section 11 says take no distribution).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ConstDuration(pub SimDuration);

impl Serialize for ConstDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format_duration(self.0))
    }
}

impl<'de> Deserialize<'de> for ConstDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer).map_err(|_| {
            serde::de::Error::custom(format!(
                "this key takes a duration in quotes, e.g. \"30s\" (a bare number has no unit); {}",
                super::duration::DURATION_FORMS
            ))
        })?;
        if text.contains('(') {
            return Err(serde::de::Error::custom(format!(
                "this key takes a constant duration such as \"30s\", not a distribution (\"{text}\")"
            )));
        }
        parse_duration(&text)
            .map(ConstDuration)
            .map_err(serde::de::Error::custom)
    }
}

/// The quantile of `uniform(low, high)` at `u` (inlined into `Dist::quantile` and the loop
/// of `Dist::quantiles`).
#[inline(always)]
fn uniform_quantile(low: SimDuration, high: SimDuration, u: f64) -> SimDuration {
    let span = high.micros() - low.micros();
    // Below 2^62 the signed conversions (one instruction each) give the same numbers as
    // the unsigned ones.
    let offset = if span < 1 << 62 {
        (span as i64 as f64 * u) as i64 as u64
    } else {
        (span as f64 * u) as u64
    };
    SimDuration(low.micros() + offset)
}

/// The standard normal quantile function, by Acklam's rational approximation (relative
/// error below 1.2e-9, far below the microsecond our durations are rounded to).
#[allow(clippy::excessive_precision)] // Acklam's published coefficients, as published.
#[inline]
pub fn standard_normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e+01,
        2.209460984245205e+02,
        -2.759285104469687e+02,
        1.383577518672690e+02,
        -3.066479806614716e+01,
        2.506628277459239e+00,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e+01,
        1.615858368580409e+02,
        -1.556989798598866e+02,
        6.680131188771972e+01,
        -1.328068155288572e+01,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e+00,
        -2.549732539343734e+00,
        4.374664141464968e+00,
        2.938163982698783e+00,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-03,
        3.224671290700398e-01,
        2.445134137142996e+00,
        3.754408661907416e+00,
    ];
    const LOW: f64 = 0.02425;
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    if p < LOW {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        assert_eq!(
            Dist::parse("10s").unwrap(),
            Dist::Constant(SimDuration::from_secs(10))
        );
        assert_eq!(
            Dist::parse("uniform(2s, 6s)").unwrap(),
            Dist::Uniform {
                low: SimDuration::from_secs(2),
                high: SimDuration::from_secs(6)
            }
        );
        assert_eq!(
            Dist::parse("exponential(mean=20s)").unwrap(),
            Dist::Exponential {
                mean: SimDuration::from_secs(20)
            }
        );
        assert_eq!(
            Dist::parse("lognormal(median=25s, p95=60s)").unwrap(),
            Dist::LogNormal {
                median: SimDuration::from_secs(25),
                p95: SimDuration::from_secs(60),
                sigma: (60.0f64 / 25.0).ln() / Z95,
                median_seconds: 25.0,
            }
        );
        assert!(
            matches!(Dist::parse("empirical(\"pulls.csv\")").unwrap(), Dist::Empirical { path, .. } if path == "pulls.csv")
        );
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "10s",
            "uniform(2s, 6s)",
            "exponential(mean=20s)",
            "lognormal(median=500ms, p95=2s)",
            "empirical(\"a.csv\")",
        ] {
            assert_eq!(Dist::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn rejects_bad_parameters() {
        for bad in [
            "uniform(6s, 2s)",
            "lognormal(median=60s, p95=25s)",
            "normal(1s)",
            "uniform(1s)",
            "exponential(20s)",
            "lognormal(median=1s p95=2s)",
            "uniform(1s, 2s",
        ] {
            assert!(Dist::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn lognormal_quantiles_match_parameters() {
        let dist = Dist::parse("lognormal(median=20s, p95=60s)").unwrap();
        assert_eq!(dist.quantile(0.5), SimDuration::from_secs(20));
        let p95 = dist.quantile(0.95).as_secs_f64();
        assert!((p95 - 60.0).abs() < 1e-3, "p95 was {p95}");
    }

    #[test]
    fn normal_quantile_is_accurate() {
        assert!((standard_normal_quantile(0.975) - 1.959963985).abs() < 1e-8);
        assert!((standard_normal_quantile(0.001) + 3.090232306).abs() < 1e-8);
        assert!(standard_normal_quantile(0.5).abs() < 1e-12);
    }

    #[test]
    fn uniform_and_exponential_quantiles() {
        let uniform = Dist::parse("uniform(2s, 6s)").unwrap();
        assert_eq!(uniform.quantile(0.25), SimDuration::from_secs(3));
        let exponential = Dist::parse("exponential(mean=10s)").unwrap();
        let median = exponential.quantile(0.5).as_secs_f64();
        assert!((median - 10.0 * std::f64::consts::LN_2).abs() < 1e-5);
    }
}

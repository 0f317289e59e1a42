//! Simulated time.
//!
//! Time is an integer count of microseconds, not an `f64` of seconds. Integer ticks make
//! ties exact (two steps that both take "10s" land on the same instant, so the
//! scheduling-order rule decides between them, as docs/model.md section 12 requires), make
//! polling arithmetic exact (`phase + k * interval`), and make results byte-identical on
//! every platform. A microsecond is far below any duration the model cares about, and a
//! `u64` of them spans 584,000 years.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// Microseconds per second.
pub const MICROS_PER_SECOND: u64 = 1_000_000;

/// An instant on the simulated clock, in microseconds since the deploy started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

/// A non-negative length of simulated time, in microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimDuration(pub u64);

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);

    pub fn micros(self) -> u64 {
        self.0
    }

    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / MICROS_PER_SECOND as f64
    }

    /// Time elapsed since `earlier` (zero if `earlier` is later).
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

impl SimDuration {
    pub const ZERO: SimDuration = SimDuration(0);

    pub const fn from_secs(seconds: u64) -> SimDuration {
        SimDuration(seconds * MICROS_PER_SECOND)
    }

    pub const fn from_millis(millis: u64) -> SimDuration {
        SimDuration(millis * 1000)
    }

    /// Rounds a non-negative number of seconds to the nearest microsecond; negative and
    /// NaN values become zero, values beyond the range saturate.
    pub fn from_secs_f64(seconds: f64) -> SimDuration {
        let micros = round_half_away(seconds * MICROS_PER_SECOND as f64);
        if micros.is_nan() || micros <= 0.0 {
            SimDuration(0)
        } else if micros >= u64::MAX as f64 {
            SimDuration(u64::MAX)
        } else {
            SimDuration(micros as u64)
        }
    }

    pub fn micros(self) -> u64 {
        self.0
    }

    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / MICROS_PER_SECOND as f64
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, rhs: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, rhs: SimDuration) {
        *self = *self + rhs;
    }
}

impl Sub for SimTime {
    type Output = SimDuration;
    fn sub(self, rhs: SimTime) -> SimDuration {
        self.since(rhs)
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, rhs: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_add(rhs.0))
    }
}

/// Seconds with up to six decimals and no trailing zeros: `105`, `0.5`, `12.000001`.
/// Exact (integer arithmetic), so reports are byte-identical everywhere.
pub fn format_seconds(micros: u64) -> String {
    let whole = micros / MICROS_PER_SECOND;
    let frac = micros % MICROS_PER_SECOND;
    if frac == 0 {
        whole.to_string()
    } else {
        let digits = format!("{frac:06}");
        format!("{whole}.{}", digits.trim_end_matches('0'))
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_seconds(self.0))
    }
}

impl fmt::Display for SimDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_seconds(self.0))
    }
}

/// `x.round()` (halves away from zero) for the values `from_secs_f64` keeps, without the
/// library call `round` is on baseline x86-64: below 2^52 a double's fraction is exact,
/// so the integer part plus one when the fraction is at least a half is the same number.
/// NaN, negatives and larger values go to `round` itself.
#[inline]
fn round_half_away(x: f64) -> f64 {
    const EXACT_BELOW: f64 = 4_503_599_627_370_496.0; // 2^52
    if (0.0..EXACT_BELOW).contains(&x) {
        let whole = x as u64 as f64;
        if x - whole >= 0.5 { whole + 1.0 } else { whole }
    } else {
        x.round()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_half_away_is_round() {
        // Halves, the double just below a half (0.5 - 2^-54, where `(x + 0.5).floor()` would
        // give 1), the edge of exact fractions, and a spread of ordinary values.
        let mut values = vec![
            0.0,
            0.5,
            1.5,
            2.5,
            0.49999999999999994,
            4_503_599_627_370_495.5,
            4_503_599_627_370_496.0,
            9.1e18,
            -0.4,
            -2.5,
            f64::INFINITY,
        ];
        let mut x = 0.37_f64;
        for _ in 0..100_000 {
            x = (x * 9_301.0 + 0.49) % 1.0e7;
            values.push(x);
            values.push(x.floor() + 0.5);
        }
        for v in values {
            assert_eq!(round_half_away(v).to_bits(), v.round().to_bits(), "{v}");
        }
        assert!(round_half_away(f64::NAN).is_nan());
    }

    #[test]
    fn seconds_format_exactly() {
        assert_eq!(format_seconds(105_000_000), "105");
        assert_eq!(format_seconds(500_000), "0.5");
        assert_eq!(format_seconds(12_000_001), "12.000001");
        assert_eq!(format_seconds(0), "0");
    }

    #[test]
    fn float_seconds_round_and_clamp() {
        assert_eq!(SimDuration::from_secs_f64(1.0000004).micros(), 1_000_000);
        assert_eq!(SimDuration::from_secs_f64(-3.0).micros(), 0);
        assert_eq!(SimDuration::from_secs_f64(f64::NAN).micros(), 0);
        assert_eq!(SimDuration::from_secs_f64(1e30).micros(), u64::MAX);
    }
}

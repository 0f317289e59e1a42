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

    /// Rounds a non-negative number of seconds to the nearest microsecond (halves away
    /// from zero, as `f64::round`); negative and NaN values become zero, values beyond the
    /// range saturate.
    #[inline]
    pub fn from_secs_f64(seconds: f64) -> SimDuration {
        const EXACT_BELOW: f64 = 4_503_599_627_370_496.0; // 2^52
        let micros = seconds * MICROS_PER_SECOND as f64;
        if (0.0..EXACT_BELOW).contains(&micros) {
            // Below 2^52 a double's fraction is exact, so the whole part plus one when the
            // fraction is at least a half is `round`. Signed conversions are one
            // instruction each on x86-64 (unsigned ones a dozen), and exact here.
            let whole = micros as i64;
            let up = micros - whole as f64 >= 0.5;
            return SimDuration(whole as u64 + up as u64);
        }
        SimDuration::saturating_from_micros(micros.round())
    }

    /// A whole number of microseconds: negative and NaN become zero, values beyond the
    /// range saturate.
    fn saturating_from_micros(micros: f64) -> SimDuration {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `from_secs_f64` as it was written before its fast path: `f64::round`, then clamp.
    fn from_secs_f64_by_round(seconds: f64) -> SimDuration {
        SimDuration::saturating_from_micros((seconds * MICROS_PER_SECOND as f64).round())
    }

    #[test]
    fn from_secs_f64_rounds_like_round() {
        // Microsecond halves, the double just below a half (0.5 - 2^-54 us, where
        // `(x + 0.5).floor()` would give 1), the edge of exact fractions (2^52 us), zero and
        // negative zero, negatives, huge values, infinities, and a spread of ordinary ones.
        let mut seconds = vec![
            0.0,
            -0.0,
            0.000_000_5,
            0.000_001_5,
            0.000_002_5,
            (0.5 - f64::EPSILON / 4.0) / 1e6,
            (2f64.powi(52) - 0.5) / 1e6,
            2f64.powi(52) / 1e6,
            9.1e12,
            1.9e13,
            -0.4e-6,
            -2.5,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        let mut x = 0.37_f64;
        for _ in 0..100_000 {
            x = (x * 9_301.0 + 0.49) % 1.0e7;
            seconds.push(x / 1e6);
            seconds.push((x.floor() + 0.5) / 1e6);
            seconds.push(x);
        }
        for s in seconds {
            assert_eq!(
                SimDuration::from_secs_f64(s),
                from_secs_f64_by_round(s),
                "{s}"
            );
        }
        assert_eq!(SimDuration::from_secs_f64(f64::NAN), SimDuration(0));
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

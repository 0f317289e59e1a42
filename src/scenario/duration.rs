//! Duration strings: `"300ms"`, `"30s"`, `"5m"`, `"1h"`, `"1m30s"`, `"1.5s"`, `"250us"`.

use crate::engine::SimDuration;

const UNITS: [(&str, u64); 5] = [
    ("h", 3_600_000_000),
    ("m", 60_000_000),
    ("s", 1_000_000),
    ("ms", 1_000),
    ("us", 1),
];

/// Parses a non-negative duration made of one or more `<number><unit>` parts.
pub fn parse_duration(text: &str) -> Result<SimDuration, String> {
    let trimmed = text.trim();
    let help =
        "a duration is a number with a unit (h, m, s, ms, us), e.g. \"30s\", \"500ms\", \"1m30s\"";
    if trimmed.is_empty() {
        return Err(format!("empty duration; {help}"));
    }
    if trimmed.starts_with('-') {
        return Err(format!(
            "negative duration \"{trimmed}\"; durations cannot be negative"
        ));
    }
    let mut rest = trimmed;
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if number_len == 0 {
            return Err(format!("malformed duration \"{trimmed}\"; {help}"));
        }
        let number: f64 = rest[..number_len]
            .parse()
            .map_err(|_| format!("malformed number in duration \"{trimmed}\"; {help}"))?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.' || c.is_whitespace())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        let Some(&(_, micros)) = UNITS.iter().find(|(name, _)| *name == unit) else {
            return Err(if unit.is_empty() {
                format!("duration \"{trimmed}\" has no unit; {help}")
            } else {
                format!("unknown unit \"{unit}\" in duration \"{trimmed}\"; {help}")
            });
        };
        total += number * micros as f64;
        rest = &rest[unit_len..];
    }
    if !total.is_finite() || total > 1e18 {
        return Err(format!("duration \"{trimmed}\" is too long"));
    }
    Ok(SimDuration(total.round() as u64))
}

/// Formats a duration in the same syntax `parse_duration` reads, exactly.
pub fn format_duration(duration: SimDuration) -> String {
    let mut left = duration.micros();
    if left == 0 {
        return "0s".to_string();
    }
    let mut out = String::new();
    for (name, micros) in UNITS {
        if left >= micros {
            out.push_str(&format!("{}{name}", left / micros));
            left %= micros;
        }
    }
    out
}

/// Formats a duration for people: `45s`, `4m10s`, `1h2m`, `1.5s`, `250ms`.
pub fn format_human(seconds: f64) -> String {
    if !seconds.is_finite() {
        return "-".to_string();
    }
    if seconds < 1.0 {
        return format!("{:.0}ms", seconds * 1000.0);
    }
    if seconds < 60.0 {
        let rounded = (seconds * 10.0).round() / 10.0;
        return if rounded.fract() == 0.0 {
            format!("{rounded:.0}s")
        } else {
            format!("{rounded:.1}s")
        };
    }
    let total = seconds.round() as u64;
    let (hours, minutes, secs) = (total / 3600, (total % 3600) / 60, total % 60);
    match (hours, secs) {
        (0, 0) => format!("{minutes}m"),
        (0, _) => format!("{minutes}m{secs:02}s"),
        (_, _) if minutes == 0 && secs == 0 => format!("{hours}h"),
        _ => format!("{hours}h{minutes:02}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_compounds() {
        assert_eq!(parse_duration("300ms").unwrap(), SimDuration(300_000));
        assert_eq!(parse_duration("30s").unwrap(), SimDuration::from_secs(30));
        assert_eq!(parse_duration("5m").unwrap(), SimDuration::from_secs(300));
        assert_eq!(parse_duration("1h").unwrap(), SimDuration::from_secs(3600));
        assert_eq!(parse_duration("1m30s").unwrap(), SimDuration::from_secs(90));
        assert_eq!(parse_duration("1.5s").unwrap(), SimDuration(1_500_000));
        assert_eq!(parse_duration(" 0s ").unwrap(), SimDuration(0));
    }

    #[test]
    fn rejects_malformed() {
        for bad in ["", "-5s", "5", "5x", "s", "1..2s", "5s-", "abc"] {
            assert!(parse_duration(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn formats_round_trip() {
        for micros in [0, 1, 999, 1_000, 1_500_000, 90_000_000, 3_723_000_250] {
            let formatted = format_duration(SimDuration(micros));
            assert_eq!(parse_duration(&formatted).unwrap(), SimDuration(micros));
        }
        assert_eq!(format_duration(SimDuration::from_secs(90)), "1m30s");
    }

    #[test]
    fn human_format() {
        assert_eq!(format_human(0.25), "250ms");
        assert_eq!(format_human(45.0), "45s");
        assert_eq!(format_human(250.0), "4m10s");
        assert_eq!(format_human(600.0), "10m");
        assert_eq!(format_human(3720.0), "1h02m");
    }
}

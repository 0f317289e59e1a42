//! Duration strings: `"300ms"`, `"30s"`, `"5m"`, `"1h"`, `"1m30s"`, `"1.5s"`, `"250us"`.

use crate::engine::SimDuration;

const UNITS: [(&str, u64); 5] = [
    ("h", 3_600_000_000),
    ("m", 60_000_000),
    ("s", 1_000_000),
    ("ms", 1_000),
    ("us", 1),
];

/// The accepted forms, shown with every duration error.
pub const DURATION_FORMS: &str = "a duration is a number and a unit written together, without a space: \"500ms\", \"30s\", \"5m\", \"1h\", or combined, \"1m30s\" (units: h, m, s, ms, us)";

/// Words people write for units, and the unit they mean.
const UNIT_WORDS: [(&str, &str); 16] = [
    ("hours", "h"),
    ("hour", "h"),
    ("hrs", "h"),
    ("hr", "h"),
    ("minutes", "m"),
    ("minute", "m"),
    ("mins", "m"),
    ("min", "m"),
    ("seconds", "s"),
    ("second", "s"),
    ("secs", "s"),
    ("sec", "s"),
    ("milliseconds", "ms"),
    ("millisecond", "ms"),
    ("msec", "ms"),
    ("microseconds", "us"),
];

/// "5 minutes" -> "5m", "300 s" -> "300s", "1 h 30 min" -> "1h30m": what a duration
/// written with spaces or long unit words most likely means; `None` when it is not that.
fn suggestion(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        if number_len == 0 {
            return None;
        }
        out.push_str(&rest[..number_len]);
        rest = rest[number_len..].trim_start();
        let word_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let word = rest[..word_len].to_ascii_lowercase();
        let unit = UNITS
            .iter()
            .map(|(name, _)| *name)
            .find(|name| *name == word)
            .or_else(|| {
                UNIT_WORDS
                    .iter()
                    .find(|(long, _)| *long == word)
                    .map(|(_, unit)| *unit)
            })?;
        out.push_str(unit);
        rest = rest[word_len..].trim_start();
    }
    Some(out)
}

/// Parses a non-negative duration made of one or more `<number><unit>` parts.
pub fn parse_duration(text: &str) -> Result<SimDuration, String> {
    let trimmed = text.trim();
    let help = DURATION_FORMS;
    if trimmed.is_empty() {
        return Err(format!("the duration is empty; {help}"));
    }
    if trimmed.starts_with('-') {
        return Err(format!(
            "\"{trimmed}\" is negative, and a duration must be zero or more (for example \"0s\" or \"5m\")"
        ));
    }
    let unreadable = || match suggestion(trimmed) {
        Some(meant) if meant != trimmed => {
            format!("\"{trimmed}\" is not a duration: did you mean \"{meant}\"? ({help})")
        }
        _ => format!("\"{trimmed}\" is not a duration; {help}"),
    };
    let mut rest = trimmed;
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if number_len == 0 {
            return Err(unreadable());
        }
        let number: f64 = rest[..number_len].parse().map_err(|_| unreadable())?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.' || c.is_whitespace())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        let Some(&(_, micros)) = UNITS.iter().find(|(name, _)| *name == unit) else {
            return Err(if unit.is_empty() && rest.is_empty() {
                format!("\"{trimmed}\" has no unit; {help}")
            } else {
                unreadable()
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

    // What people type instead of "5m": each is refused with the corrected form and the
    // accepted forms; a negative duration gets one sentence.
    #[test]
    fn spaced_and_spelled_out_units_suggest_the_short_form() {
        for (typed, meant) in [
            ("5 minutes", "5m"),
            ("300 s", "300s"),
            ("15 m", "15m"),
            ("1 hour 30 min", "1h30m"),
            ("2 Seconds", "2s"),
            ("5minutes", "5m"),
        ] {
            let error = parse_duration(typed).unwrap_err();
            assert!(
                error.contains(&format!("did you mean \"{meant}\"?")),
                "{typed}: {error}"
            );
            assert!(error.contains(DURATION_FORMS), "{typed}: {error}");
        }
        let error = parse_duration("5").unwrap_err();
        assert_eq!(error, format!("\"5\" has no unit; {DURATION_FORMS}"));
        let error = parse_duration("-5m").unwrap_err();
        assert_eq!(
            error,
            "\"-5m\" is negative, and a duration must be zero or more (for example \"0s\" or \"5m\")"
        );
        assert_eq!(error.matches(';').count(), 0, "one sentence");
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

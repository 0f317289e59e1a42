//! What every chart shares: the embedded font, colours, text sizes, and duration axes
//! (ticks on round durations, labelled `30s`, `4m`, `1h30m`).

use std::sync::Once;

use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

/// DejaVu Sans, embedded so PNG text renders on a machine with no font installed
/// (licence: `assets/fonts/LICENSE-DejaVu.txt`). SVG text names `sans-serif` and is drawn
/// by the viewer; layout is measured with this font either way.
pub const FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// The family every chart draws with.
pub const FAMILY: &str = "sans-serif";

/// Registers the embedded font once per process.
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if register_font(FAMILY, FontStyle::Normal, FONT).is_err() {
            panic!("the embedded font does not parse");
        }
    });
}

// Okabe-Ito: distinguishable with the common colour-vision deficiencies.
pub const AZURE: RGBColor = RGBColor(0, 114, 178);
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub const EMERALD: RGBColor = RGBColor(0, 158, 115);
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
pub const SKY: RGBColor = RGBColor(86, 180, 233);
pub const LEMON: RGBColor = RGBColor(240, 228, 66);
pub const GREY: RGBColor = RGBColor(110, 110, 110);
pub const LIGHT_GREY: RGBColor = RGBColor(215, 215, 215);
pub const INK: RGBColor = RGBColor(30, 30, 30);

/// Colours for a list of series, in order.
pub const SERIES: [RGBColor; 7] = [AZURE, VERMILLION, EMERALD, ORANGE, PURPLE, SKY, INK];

pub const TITLE_SIZE: u32 = 22;
pub const CAPTION_SIZE: u32 = 17;
pub const LABEL_SIZE: u32 = 15;
pub const TICK_SIZE: u32 = 13;

pub fn title_style() -> TextStyle<'static> {
    (FAMILY, TITLE_SIZE).into_font().color(&INK)
}

pub fn caption_style() -> TextStyle<'static> {
    (FAMILY, CAPTION_SIZE).into_font().color(&INK)
}

pub fn label_style() -> TextStyle<'static> {
    (FAMILY, LABEL_SIZE).into_font().color(&INK)
}

pub fn tick_style() -> TextStyle<'static> {
    (FAMILY, TICK_SIZE).into_font().color(&INK)
}

pub fn note_style(color: &RGBColor) -> TextStyle<'static> {
    (FAMILY, TICK_SIZE).into_font().color(color)
}

/// A duration on an axis: `500ms`, `45s`, `4m`, `2m30s`, `1h`, `1h30m`.
pub fn format_tick(seconds: f64) -> String {
    if !seconds.is_finite() {
        return String::new();
    }
    if seconds == 0.0 {
        return "0".to_string();
    }
    if seconds.abs() < 1.0 {
        return format!("{}ms", (seconds * 1000.0).round());
    }
    let sign = if seconds < 0.0 { "-" } else { "" };
    let magnitude = seconds.abs();
    if magnitude < 60.0 {
        let rounded = (magnitude * 10.0).round() / 10.0;
        return if rounded.fract() == 0.0 {
            format!("{sign}{rounded:.0}s")
        } else {
            format!("{sign}{rounded:.1}s")
        };
    }
    let total = magnitude.round() as u64;
    let (hours, minutes, secs) = (total / 3600, (total % 3600) / 60, total % 60);
    let text = match (hours, minutes, secs) {
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m{s:02}s"),
        (h, 0, 0) => format!("{h}h"),
        (h, m, 0) => format!("{h}h{m:02}m"),
        (h, m, s) => format!("{h}h{m:02}m{s:02}s"),
    };
    format!("{sign}{text}")
}

/// Round durations, in seconds, that ticks and histogram bins may step by.
const DURATION_STEPS: [f64; 27] = [
    0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0,
    120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 10800.0, 21600.0, 43200.0, 86400.0,
];

/// The smallest round duration step that cuts `span` seconds into at most `pieces`.
pub fn duration_step(span: f64, pieces: usize) -> f64 {
    let pieces = pieces.max(1) as f64;
    DURATION_STEPS
        .iter()
        .copied()
        .find(|step| span / step <= pieces)
        .unwrap_or_else(|| (span / pieces / 86400.0).ceil() * 86400.0)
}

/// Tick positions on round durations within `[low, high]`, at most about `max_ticks`.
pub fn duration_ticks(low: f64, high: f64, max_ticks: usize) -> Vec<f64> {
    let step = duration_step(high - low, max_ticks.max(2) - 1);
    let mut ticks = Vec::new();
    let mut k = (low / step).ceil();
    while k * step <= high + step * 1e-9 {
        ticks.push(k * step);
        k += 1.0;
    }
    ticks
}

/// Round numbers (1, 2, 5 × 10^k) within `[low, high]`, at most about `max_ticks`.
pub fn number_ticks(low: f64, high: f64, max_ticks: usize) -> Vec<f64> {
    let span = (high - low).max(f64::MIN_POSITIVE);
    let rough = span / max_ticks.max(2) as f64;
    let exponent = rough.log10().floor() as i32;
    // A tick is (k × multiple) scaled by 10^exponent; dividing by 10^-exponent keeps
    // 0.6 exact where multiplying by 0.1 would give 0.6000000000000001.
    let scale = |n: f64| {
        if exponent < 0 {
            n / 10f64.powi(-exponent)
        } else {
            n * 10f64.powi(exponent)
        }
    };
    let multiple = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .find(|m| span / scale(*m) <= max_ticks as f64)
        .unwrap_or(10.0);
    let step = scale(multiple);
    let mut ticks = Vec::new();
    let mut k = (low / step).ceil();
    while k * step <= high + step * 1e-9 {
        ticks.push(scale(k * multiple));
        k += 1.0;
    }
    ticks
}

/// Whole-number ticks from 0 to at least `high` (counts of tasks), at most about
/// `max_ticks`.
pub fn count_ticks(high: u32, max_ticks: usize) -> Vec<f64> {
    let step = [
        1u32, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000,
    ]
    .into_iter()
    .find(|s| (high / s) as usize <= max_ticks)
    .unwrap_or(high.max(1));
    (0..=high.div_ceil(step))
        .map(|k| (k * step) as f64)
        .collect()
}

/// The empirical CDF of `sorted` values as the share of `runs` at or below each value,
/// from `low` to `high`: exact steps for a few hundred values, and for more a line
/// through 1,000 evenly spaced order statistics (steps closer than a pixel look the same,
/// and the SVG stays small however many runs there were).
pub fn cdf_points(sorted: &[f64], runs: f64, low: f64, high: f64) -> Vec<(f64, f64)> {
    let n = sorted.len();
    let mut points = Vec::with_capacity(2 * n.min(1000) + 2);
    points.push((low, 0.0));
    if n <= 500 {
        for (i, v) in sorted.iter().enumerate() {
            points.push((*v, i as f64 / runs));
            points.push((*v, (i + 1) as f64 / runs));
        }
    } else {
        points.push((sorted[0], 0.0));
        let samples = 1000;
        for k in 0..=samples {
            let i = (k * (n - 1)) / samples;
            points.push((sorted[i], (i + 1) as f64 / runs));
        }
    }
    points.push((high, n as f64 / runs));
    points
}

/// A duration range with a little room on both sides, never empty.
pub fn padded_range(low: f64, high: f64) -> (f64, f64) {
    if !(low.is_finite() && high.is_finite()) {
        return (0.0, 1.0);
    }
    let span = high - low;
    if span <= 0.0 {
        let pad = (low.abs() * 0.1).max(1.0);
        return ((low - pad).max(0.0_f64.min(low)), high + pad);
    }
    let pad = span * 0.05;
    let start = if low >= 0.0 {
        (low - pad).max(0.0)
    } else {
        low - pad
    };
    (start, high + pad)
}

/// A count with thousands separated: `12,345`.
pub fn format_count(value: f64) -> String {
    let rounded = value.round() as i64;
    let digits = rounded.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if rounded < 0 { format!("-{out}") } else { out }
}

/// A share with one decimal: `87.3%`.
pub fn format_percent_1(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// A share 0-1 as a percentage tick: `0%`, `95%`, `99.5%`.
pub fn format_percent(share: f64) -> String {
    let percent = share * 100.0;
    if (percent - percent.round()).abs() < 1e-9 {
        format!("{percent:.0}%")
    } else {
        format!("{percent:.1}%")
    }
}

/// A linear `f64` axis whose ticks are exactly the given values (round durations,
/// percentages, the values a sweep tried). Labels come from the chart's formatter.
#[derive(Clone, Debug)]
pub struct Ticked {
    low: f64,
    high: f64,
    ticks: Vec<f64>,
}

/// An axis from `low` to `high` with ticks at `ticks` (those outside are dropped).
pub fn ticked(low: f64, high: f64, ticks: Vec<f64>) -> Ticked {
    let ticks = ticks
        .into_iter()
        .filter(|t| t.is_finite() && *t >= low.min(high) && *t <= high.max(low))
        .collect();
    Ticked { low, high, ticks }
}

impl plotters::coord::ranged1d::Ranged for Ticked {
    type FormatOption = plotters::coord::ranged1d::DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        if self.high == self.low {
            return (limit.0 + limit.1) / 2;
        }
        let share = (value - self.low) / (self.high - self.low);
        limit.0 + (share * (limit.1 - limit.0) as f64).round() as i32
    }

    fn key_points<Hint: plotters::coord::ranged1d::KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.low..self.high
    }
}

/// A translucent colour as it looks over white, for legend swatches.
pub trait OverWhite {
    fn to_rgba_over_white(&self) -> RGBColor;
}

impl OverWhite for RGBAColor {
    fn to_rgba_over_white(&self) -> RGBColor {
        let mix = |c: u8| (c as f64 * self.3 + 255.0 * (1.0 - self.3)).round() as u8;
        RGBColor(mix(self.0), mix(self.1), mix(self.2))
    }
}

/// How a legend entry shows its series.
#[derive(Clone, Copy, Debug)]
pub enum Mark {
    Line(RGBColor),
    Dashed(RGBColor),
    Block(RGBColor),
    /// A pale block: a band or the old revision.
    Pale(RGBColor),
    Dot(RGBColor),
    /// An open circle.
    Ring(RGBColor),
}

/// Width of the legend column beside a plot.
pub const LEGEND_WIDTH: u32 = 200;

/// A legend in its own column (beside the plot, never over the data): one entry per row
/// from `top` pixels down, an optional heading first.
pub fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    top: i32,
    heading: Option<&str>,
    items: &[(String, Mark)],
) -> super::DrawResult
where
    DB::ErrorType: 'static,
{
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let text = tick_style().pos(Pos::new(HPos::Left, VPos::Center));
    let row = 22;
    let line = 16;
    let width = area.dim_in_pixel().0 as i32;
    // Text never runs past the column: long labels wrap onto further lines.
    let fits = |words: &str, room: i32| {
        area.estimate_text_size(words, &tick_style())
            .map(|(w, _)| w as i32 <= room)
            .unwrap_or(true)
    };
    let mut y = top;
    if let Some(heading) = heading {
        let lines = wrap_to(heading, |t| fits(t, width - 8 - 4));
        for (k, part) in lines.iter().enumerate() {
            area.draw(&Text::new(
                part.clone(),
                (8, y + k as i32 * line),
                text.clone(),
            ))?;
        }
        y += row + (lines.len() as i32 - 1) * line;
    }
    for (label, mark) in items {
        let (x0, x1) = (12, 36);
        match mark {
            Mark::Line(c) => {
                area.draw(&PathElement::new([(x0, y), (x1, y)], c.stroke_width(3)))?;
            }
            Mark::Dashed(c) => {
                area.draw(&PathElement::new([(x0, y), (x0 + 9, y)], c.stroke_width(2)))?;
                area.draw(&PathElement::new(
                    [(x0 + 15, y), (x1, y)],
                    c.stroke_width(2),
                ))?;
            }
            Mark::Block(c) => {
                area.draw(&Rectangle::new([(x0, y - 6), (x1, y + 6)], c.filled()))?;
            }
            Mark::Pale(c) => {
                area.draw(&Rectangle::new(
                    [(x0, y - 6), (x1, y + 6)],
                    c.mix(0.35).filled(),
                ))?;
            }
            Mark::Dot(c) => {
                area.draw(&Circle::new(((x0 + x1) / 2, y), 5, c.filled()))?;
            }
            Mark::Ring(c) => {
                area.draw(&Circle::new(((x0 + x1) / 2, y), 6, c.stroke_width(2)))?;
            }
        }
        let lines = wrap_to(label, |t| fits(t, width - (x1 + 8) - 4));
        for (k, part) in lines.iter().enumerate() {
            area.draw(&Text::new(
                part.clone(),
                (x1 + 8, y + k as i32 * line),
                text.clone(),
            ))?;
        }
        y += row + (lines.len() as i32 - 1) * line;
    }
    Ok(())
}

/// Splits `text` into lines that each satisfy `fits`: at spaces, then, for a word too
/// long on its own (a dotted key), after its `.` and `_`, then anywhere.
pub fn wrap_to(text: &str, fits: impl Fn(&str) -> bool) -> Vec<String> {
    // Pieces that may end a line: words (with their space), and the parts of words too
    // long for a line, cut after '.' or '_' or, failing that, between characters.
    let mut pieces: Vec<String> = Vec::new();
    for word in text.split_inclusive(' ') {
        if fits(word.trim_end()) {
            pieces.push(word.to_string());
            continue;
        }
        let mut part = String::new();
        for c in word.chars() {
            part.push(c);
            if c == '.' || c == '_' {
                pieces.push(std::mem::take(&mut part));
            }
        }
        if !part.is_empty() {
            pieces.push(part);
        }
    }
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for piece in pieces {
        let joined = format!("{current}{piece}");
        if current.is_empty() || fits(joined.trim_end()) {
            current = joined;
            continue;
        }
        lines.push(current.trim_end().to_string());
        current = piece;
        // A piece still too long on its own line: cut it between characters.
        while !fits(current.trim_end()) && current.chars().count() > 1 {
            let mut head = String::new();
            for c in current.chars() {
                if !head.is_empty() && !fits(&format!("{head}{c}")) {
                    break;
                }
                head.push(c);
            }
            current = current[head.len()..].to_string();
            lines.push(head);
        }
    }
    if !current.trim_end().is_empty() || lines.is_empty() {
        lines.push(current.trim_end().to_string());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    // Lines of at most 10 characters: words kept whole where they fit, a dotted key cut
    // after its dots, a long run of letters cut anywhere; nothing is lost.
    #[test]
    fn legend_labels_wrap_instead_of_running_off() {
        let fits = |t: &str| t.chars().count() <= 10;
        assert_eq!(wrap_to("short", fits), ["short"]);
        assert_eq!(
            wrap_to("95% of runs within 15m", fits),
            ["95% of", "runs", "within 15m"]
        );
        assert_eq!(
            wrap_to("draining.deregistration_delay", fits),
            ["draining.", "deregistra", "tion_delay"]
        );
        let text = "framed: 95% of runs within 15m";
        let joined: String = wrap_to(text, fits).join(" ");
        assert_eq!(joined, text);
    }

    #[test]
    fn ticks_read_as_durations() {
        assert_eq!(format_tick(240.0), "4m");
        assert_eq!(format_tick(600.0), "10m");
        assert_eq!(format_tick(90.0), "1m30s");
        assert_eq!(format_tick(5400.0), "1h30m");
        assert_eq!(format_tick(3600.0), "1h");
        assert_eq!(format_tick(15.0), "15s");
        assert_eq!(format_tick(0.5), "500ms");
        assert_eq!(format_tick(-120.0), "-2m");
        assert_eq!(format_tick(0.0), "0");
    }

    #[test]
    fn ticks_fall_on_round_durations() {
        assert_eq!(
            duration_ticks(0.0, 2400.0, 9),
            vec![
                0.0, 300.0, 600.0, 900.0, 1200.0, 1500.0, 1800.0, 2100.0, 2400.0
            ]
        );
        let ticks = duration_ticks(2280.0, 2700.0, 8);
        assert!(ticks.iter().all(|t| t % 60.0 == 0.0), "{ticks:?}");
        assert!(ticks.len() >= 3 && ticks.len() <= 8, "{ticks:?}");
        assert_eq!(
            number_ticks(0.0, 1.0, 5),
            vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        );
    }

    #[test]
    fn counts_and_shares_read_well() {
        assert_eq!(format_count(1234567.0), "1,234,567");
        assert_eq!(format_count(12.0), "12");
        assert_eq!(format_percent(0.95), "95%");
        assert_eq!(format_percent(0.995), "99.5%");
    }
}

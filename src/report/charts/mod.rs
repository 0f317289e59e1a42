//! Charts: pure functions from plain data to an SVG string or PNG bytes.
//!
//! Each chart kind is a small struct of plain data (no model or experiment types, so a
//! command can fill it from whatever it computed) that implements [`Figure`]; render it
//! with [`svg`] or [`png`]. Text is measured (and, in PNGs, drawn) with the embedded
//! DejaVu Sans, so a machine with no fonts renders the same picture.

mod breaker;
mod compare;
mod deploy;
mod fit;
mod frontier;
mod glyphs;
mod outcomes;
mod plan;
pub mod style;
mod sweep;
mod trace;

pub use breaker::BreakerChart;
pub use compare::{CompareChart, CompareSeries};
pub use deploy::DeployTimeChart;
pub use fit::FitChart;
pub use frontier::{FrontierChart, FrontierPoint};
pub use outcomes::{OutcomeBar, OutcomeChart};
pub use plan::{PlanChart, PlanPoint};
pub use sweep::{SweepCell, SweepChart};
pub use trace::{CountsPoint, LaneSegment, StageBand, TaskState, TraceChart};

use plotters::coord::Shift;
use plotters::prelude::*;

/// Why a chart could not be drawn (a backend error; should not happen with memory
/// backends and finite data).
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the chart {chart:?}: {message}")]
pub struct ChartError {
    pub chart: String,
    pub message: String,
}

/// What drawing returns inside a figure.
pub type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// A chart: its size in pixels, its title, and how to draw it on any backend.
pub trait Figure {
    /// Width and height in pixels (SVG user units and PNG pixels alike).
    fn size(&self) -> (u32, u32);
    /// The question the chart answers, drawn at its top.
    fn title(&self) -> String;
    /// Draws everything below the title.
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static;
}

fn draw_figure<DB: DrawingBackend, F: Figure + ?Sized>(
    figure: &F,
    root: DrawingArea<DB, Shift>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let area = root.margin(8, 4, 8, 8);
    let body = draw_title(&area, &figure.title())?;
    figure.draw(&body)?;
    root.present()?;
    Ok(())
}

/// Draws the title centred at the top, in smaller type or on two lines when it is too
/// wide, and returns the area below it.
fn draw_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
) -> Result<DrawingArea<DB, Shift>, Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let (width, _) = area.dim_in_pixel();
    let fits = |text: &str, size: u32| {
        area.estimate_text_size(text, &(style::FAMILY, size).into_font().into())
            .map(|(w, _)| w + 16 <= width)
            .unwrap_or(true)
    };
    let mut lines = vec![title.to_string()];
    let mut size = style::TITLE_SIZE;
    while !fits(title, size) && size > 17 {
        size -= 1;
    }
    if !fits(title, size) {
        // Break at the space nearest the middle.
        let middle = title.len() / 2;
        let split = title
            .match_indices(' ')
            .map(|(i, _)| i)
            .min_by_key(|i| i.abs_diff(middle));
        if let Some(split) = split {
            lines = vec![title[..split].to_string(), title[split + 1..].to_string()];
        }
    }
    let line_height = size as i32 + 8;
    let style = (style::FAMILY, size)
        .into_font()
        .color(&style::INK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    for (i, line) in lines.iter().enumerate() {
        area.draw(&Text::new(
            line.clone(),
            (width as i32 / 2, 4 + i as i32 * line_height),
            style.clone(),
        ))?;
    }
    let height = 4 + lines.len() as i32 * line_height + 4;
    Ok(area.split_vertically(height).1)
}

fn chart_error(figure: &impl Figure, error: impl std::fmt::Display) -> ChartError {
    ChartError {
        chart: figure.title(),
        message: error.to_string(),
    }
}

/// The chart as a standalone SVG document.
pub fn svg(figure: &impl Figure) -> Result<String, ChartError> {
    style::register_fonts();
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, figure.size()).into_drawing_area();
        draw_figure(figure, root).map_err(|e| chart_error(figure, e))?;
    }
    Ok(text)
}

/// The chart as PNG bytes (8-bit RGB).
pub fn png(figure: &impl Figure) -> Result<Vec<u8>, ChartError> {
    style::register_fonts();
    let (width, height) = figure.size();
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let root =
            glyphs::GlyphBitmap::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        draw_figure(figure, root).map_err(|e| chart_error(figure, e))?;
    }
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        // Fast (fdeflate): a tenth of Best's instructions for a file about 2.6 times as
        // large (138 KB, not 52 KB); Best was most of a small run's CPU.
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder.write_header().map_err(|e| chart_error(figure, e))?;
        writer
            .write_image_data(&pixels)
            .map_err(|e| chart_error(figure, e))?;
    }
    Ok(bytes)
}

/// Draws "nothing to show" in the middle of an area (a chart with no data says so rather
/// than drawing empty axes).
fn draw_empty<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, message: &str) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (width, height) = area.dim_in_pixel();
    area.draw(&Text::new(
        message.to_string(),
        (width as i32 / 2, height as i32 / 2),
        style::caption_style().pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Center,
        )),
    ))?;
    Ok(())
}

#[cfg(test)]
pub(crate) mod testing {
    //! Checks shared by the chart tests: a sane SVG and a decodable PNG.

    use super::*;

    pub fn check_svg(figure: &impl Figure, must_contain: &[&str]) -> String {
        let text = svg(figure).expect("renders");
        let (width, height) = figure.size();
        assert!(text.starts_with("<svg"), "{}", &text[..60.min(text.len())]);
        assert!(text.trim_end().ends_with("</svg>"));
        assert!(text.contains(&format!("width=\"{width}\"")));
        assert!(text.contains(&format!("height=\"{height}\"")));
        assert!(
            text.len() > 500 && text.len() < 3_000_000,
            "{} bytes",
            text.len()
        );
        // XML-ish: every opened element is closed, in order.
        let mut stack: Vec<String> = Vec::new();
        let mut rest = text.as_str();
        while let Some(start) = rest.find('<') {
            let end = rest[start..].find('>').expect("tag closes") + start;
            let tag = &rest[start + 1..end];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name.trim()), "closing {name}");
            } else if !tag.ends_with('/') && !tag.starts_with('?') && !tag.starts_with('!') {
                let name = tag.split_whitespace().next().unwrap_or("").to_string();
                stack.push(name);
            }
            rest = &rest[end + 1..];
        }
        assert!(stack.is_empty(), "unclosed {stack:?}");
        assert!(text.contains(&escape(&figure.title())), "title missing");
        for needle in must_contain {
            assert!(text.contains(&escape(needle)), "{needle:?} missing");
        }
        text
    }

    pub fn check_png(figure: &impl Figure) -> Vec<u8> {
        let bytes = png(figure).expect("renders");
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = ::png::Decoder::new(std::io::Cursor::new(&bytes));
        let mut reader = decoder.read_info().expect("PNG header");
        let mut pixels = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut pixels).expect("PNG data");
        assert_eq!((info.width, info.height), figure.size());
        assert!(
            bytes.len() > 5_000 && bytes.len() < 2_000_000,
            "{}",
            bytes.len()
        );
        // Not blank: some dark pixels (text, axes) on the white background.
        let dark = pixels
            .chunks(3)
            .filter(|p| p.iter().all(|&c| c < 80))
            .count();
        assert!(dark > 500, "{dark} dark pixels");
        // To look at the charts: DEPLOYSIM_CHART_SAMPLES=folder cargo test --lib charts
        if let Ok(folder) = std::env::var("DEPLOYSIM_CHART_SAMPLES") {
            let name: String = figure
                .title()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .take(120)
                .collect();
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(format!("{folder}/{name}.png"), &bytes).unwrap();
        }
        bytes
    }

    fn escape(text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }
}

#[cfg(test)]
mod degenerate {
    //! Odd but possible inputs draw something sensible instead of panicking.

    use super::testing::check_svg;
    use super::*;

    #[test]
    fn odd_inputs_still_render() {
        let one = [600.0];
        check_svg(
            &DeployTimeChart {
                scenario: "one run",
                runs: 1,
                completed_seconds: &one,
                p50: Some(600.0),
                p95: Some(600.0),
                target: None,
            },
            &["p95 10m"],
        );
        check_svg(
            &CompareChart {
                scenario: "s",
                a: CompareSeries {
                    label: "A",
                    runs: 3,
                    completed_seconds: &[10.0, 20.0],
                },
                b: CompareSeries {
                    label: "B",
                    runs: 3,
                    completed_seconds: &[],
                },
                differences: &[],
            },
            &["No replication completed on both sides."],
        );
        let cells = [
            SweepCell {
                x: "1".into(),
                series: None,
                p95_seconds: None,
                meets_target: None,
            },
            SweepCell {
                x: "2".into(),
                series: None,
                p95_seconds: None,
                meets_target: None,
            },
        ];
        check_svg(
            &SweepChart {
                scenario: "s",
                x_key: "cluster.spare_hosts",
                series_key: None,
                cells: &cells,
                confidence: 0.95,
                question_note: None,
                target_seconds: None,
            },
            &["no run completed"],
        );
        let point = [PlanPoint {
            knob: 2.0,
            share: 1.0,
            ci_low: 0.9,
            ci_high: 1.0,
            cost: None,
        }];
        check_svg(
            &PlanChart {
                scenario: "s",
                knob: "cluster.spare_hosts",
                knob_is_duration: false,
                target_seconds: 600.0,
                confidence: 0.9,
                points: &point,
                answer: Some(2.0),
                cost_unit: None,
            },
            &["answer: 2"],
        );
        check_svg(
            &TraceChart {
                scenario: "s",
                seed: 1,
                replication: 0,
                outcome: "stuck",
                end: 0.0,
                desired: 1,
                min_healthy: 1,
                max_active: 2,
                pods: false,
                completed: None,
                service_hosts: 1,
                spare_hosts: 0,
                counts: &[],
                segments: &[],
                traffic: &[],
                stages: &[],
                lane: "host",
            },
            &["MIN = 1 healthy"],
        );
    }
}

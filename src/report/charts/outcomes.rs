//! `run`, when not every run completed: how the runs ended, one bar per outcome (and per
//! stuck reason), with counts and shares written on the bars.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::*;
use super::{DrawResult, Figure};

/// One bar: an outcome (or "stuck: reason") and how many runs ended so.
#[derive(Clone, Debug)]
pub struct OutcomeBar {
    pub label: String,
    pub count: u64,
}

#[derive(Clone, Debug)]
pub struct OutcomeChart<'a> {
    pub scenario: &'a str,
    pub runs: u64,
    pub bars: Vec<OutcomeBar>,
}

fn color_of(label: &str) -> RGBColor {
    if label.starts_with("completed") {
        EMERALD
    } else if label.starts_with("stuck") {
        VERMILLION
    } else if label.starts_with("timeout") {
        ORANGE
    } else {
        GREY
    }
}

/// Cuts a long label to `max` characters with an ellipsis.
fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let cut: String = label.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

impl Figure for OutcomeChart<'_> {
    fn size(&self) -> (u32, u32) {
        (960, 130 + 64 * self.bars.len().max(1) as u32)
    }

    fn title(&self) -> String {
        format!(
            "How did the {} runs of {} end?",
            format_count(self.runs as f64),
            self.scenario
        )
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let runs = self.runs.max(1) as f64;
        let rows = self.bars.len().max(1);
        // Each row: its label above its bar, both from the left edge, so long stuck
        // reasons keep the whole width.
        let mut chart = ChartBuilder::on(area)
            .margin(8)
            .margin_right(30)
            .x_label_area_size(44)
            .y_label_area_size(16)
            .build_cartesian_2d(0.0..1.0, ticked(0.0, rows as f64, Vec::new()))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_labels(6)
            .x_desc("share of runs")
            .x_label_formatter(&|v| format_percent(*v))
            .label_style(tick_style())
            .axis_desc_style(label_style())
            .bold_line_style(LIGHT_GREY.mix(0.6))
            .light_line_style(TRANSPARENT)
            .draw()?;
        for (i, bar) in self.bars.iter().enumerate() {
            let share = bar.count as f64 / runs;
            let y = rows as f64 - i as f64 - 0.5;
            chart.draw_series(std::iter::once(Text::new(
                shorten(&bar.label, 120),
                (0.005, y + 0.12),
                label_style().pos(Pos::new(HPos::Left, VPos::Bottom)),
            )))?;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y - 0.4), (share, y)],
                color_of(&bar.label).filled(),
            )))?;
            let text = format!(
                "{} runs ({})",
                format_count(bar.count as f64),
                format_percent_1(share)
            );
            let (x, anchor, color) = if share > 0.6 {
                (share - 0.01, HPos::Right, WHITE)
            } else {
                (share + 0.01, HPos::Left, INK)
            };
            chart.draw_series(std::iter::once(Text::new(
                text,
                (x, y - 0.2),
                (FAMILY, TICK_SIZE)
                    .into_font()
                    .color(&color)
                    .pos(Pos::new(anchor, VPos::Center)),
            )))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check_png, check_svg};
    use super::*;

    #[test]
    fn renders_svg_and_png() {
        let chart = OutcomeChart {
            scenario: "tight",
            runs: 1000,
            bars: vec![
                OutcomeBar {
                    label: "completed".into(),
                    count: 870,
                },
                OutcomeBar {
                    label: "stuck: a new task fits on no host (9 of 10 new tasks placed; add spare hosts)".into(),
                    count: 100,
                },
                OutcomeBar {
                    label: "timeout".into(),
                    count: 30,
                },
            ],
        };
        check_svg(&chart, &["870 runs (87.0%)", "timeout", "share of runs"]);
        check_png(&chart);
    }
}

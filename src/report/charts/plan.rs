//! `plan`: which knob value is enough? The share of runs finished within the target
//! against the knob, with its 95% interval as a band, the required share as a line, the
//! answer marked, and the cost per deploy on a second axis when hosts are priced.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::*;
use super::{DrawResult, Figure, draw_empty};

/// One knob value tried.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlanPoint {
    pub knob: f64,
    /// Share of all runs completed within the target, 0-1.
    pub share: f64,
    /// Its 95% interval, 0-1.
    pub ci_low: f64,
    pub ci_high: f64,
    /// Mean cost per deploy, when hosts are priced.
    pub cost: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct PlanChart<'a> {
    pub scenario: &'a str,
    /// The varied key, e.g. `cluster.spare_hosts`.
    pub knob: &'a str,
    /// Format the knob's values as durations (`300s` → `5m`) rather than numbers.
    pub knob_is_duration: bool,
    pub target_seconds: f64,
    /// The share the plan asks for, 0-1 (e.g. 0.95).
    pub confidence: f64,
    /// In any order; sorted by knob when drawn.
    pub points: &'a [PlanPoint],
    /// The knob value the plan chose, if any reached the confidence.
    pub answer: Option<f64>,
    /// The second axis's label, e.g. `always-on cost a day (USD)`; `None` for `mean cost
    /// per deploy`.
    pub cost_unit: Option<&'a str>,
}

impl PlanChart<'_> {
    fn format_knob(&self, value: f64) -> String {
        if self.knob_is_duration {
            format_tick(value)
        } else if value.fract() == 0.0 {
            format!("{value:.0}")
        } else {
            format!("{value}")
        }
    }
}

impl Figure for PlanChart<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 560)
    }

    fn title(&self) -> String {
        format!(
            "Which value of {} finishes {} of deploys of {} within {}?",
            self.knob,
            format_percent(self.confidence),
            self.scenario,
            format_tick(self.target_seconds)
        )
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let mut points: Vec<PlanPoint> = self
            .points
            .iter()
            .copied()
            .filter(|p| p.knob.is_finite())
            .collect();
        if points.is_empty() {
            return draw_empty(area, "No knob value was tried.");
        }
        points.sort_by(|a, b| a.knob.total_cmp(&b.knob));
        let (plot, legend_area) = area.split_horizontally(area.dim_in_pixel().0 - LEGEND_WIDTH);
        let (low, high) = (points[0].knob, points[points.len() - 1].knob);
        let (x0, x1) = if high > low {
            let pad = (high - low) * 0.04;
            (low - pad, high + pad)
        } else {
            (low - 1.0, high + 1.0)
        };
        let ticks = if points.len() <= 15 {
            points.iter().map(|p| p.knob).collect()
        } else if self.knob_is_duration {
            duration_ticks(x0, x1, 10)
        } else {
            number_ticks(x0, x1, 10)
        };
        let costs: Vec<(f64, f64)> = points
            .iter()
            .filter_map(|p| p.cost.map(|c| (p.knob, c)))
            .collect();
        let cost_top = costs.iter().map(|c| c.1).fold(0.0, f64::max).max(1e-9) * 1.15;
        let cost_desc = match self.cost_unit {
            Some(label) => label.to_string(),
            None => "mean cost per deploy".to_string(),
        };
        // The asked share is a tick; 100% only when it is far enough not to collide.
        let mut share_ticks = vec![0.0, 0.25, 0.5, 0.75];
        share_ticks.retain(|t| (t - self.confidence).abs() >= 0.08);
        share_ticks.push(self.confidence);
        if 1.0 - self.confidence >= 0.08 {
            share_ticks.push(1.0);
        }
        let mut chart = ChartBuilder::on(&plot)
            .caption(
                format!(
                    "Share of runs finished within {}, with its 95% interval",
                    format_tick(self.target_seconds)
                ),
                caption_style(),
            )
            .margin_right(if costs.is_empty() { 16 } else { 8 })
            .x_label_area_size(48)
            .y_label_area_size(72)
            .right_y_label_area_size(if costs.is_empty() { 0 } else { 84 })
            .build_cartesian_2d(ticked(x0, x1, ticks), ticked(0.0, 1.04, share_ticks))?
            .set_secondary_coord(x0..x1, 0.0..cost_top);
        chart
            .configure_mesh()
            .x_desc(self.knob)
            .y_desc("runs within the target")
            .x_label_formatter(&|v| self.format_knob(*v))
            .y_label_formatter(&|v| format_percent(*v))
            .label_style(tick_style())
            .axis_desc_style(label_style())
            .bold_line_style(LIGHT_GREY.mix(0.6))
            .light_line_style(TRANSPARENT)
            .draw()?;
        if !costs.is_empty() {
            chart
                .configure_secondary_axes()
                .y_desc(cost_desc.clone())
                .y_labels(6)
                .y_label_formatter(&|v| format_money(*v))
                .label_style(tick_style())
                .axis_desc_style(label_style())
                .draw()?;
        }
        // The interval as a band.
        let mut band: Vec<(f64, f64)> = points.iter().map(|p| (p.knob, p.ci_high)).collect();
        band.extend(points.iter().rev().map(|p| (p.knob, p.ci_low)));
        chart.draw_series(std::iter::once(Polygon::new(
            band,
            AZURE.mix(0.18).filled(),
        )))?;
        chart.draw_series(DashedLineSeries::new(
            [(x0, self.confidence), (x1, self.confidence)],
            8,
            5,
            VERMILLION.stroke_width(2),
        ))?;
        chart.draw_series(LineSeries::new(
            points.iter().map(|p| (p.knob, p.share)),
            AZURE.stroke_width(3),
        ))?;
        chart.draw_series(
            points
                .iter()
                .map(|p| Circle::new((p.knob, p.share), 4, AZURE.filled())),
        )?;
        if !costs.is_empty() {
            chart.draw_secondary_series(LineSeries::new(
                costs.iter().copied(),
                ORANGE.stroke_width(2),
            ))?;
            chart.draw_secondary_series(costs.iter().map(|&(x, y)| {
                EmptyElement::at((x, y)) + Rectangle::new([(-4, -4), (4, 4)], ORANGE.filled())
            }))?;
        }
        if let Some(answer) = self.answer {
            let share = points
                .iter()
                .find(|p| p.knob == answer)
                .map(|p| p.share)
                .unwrap_or(self.confidence);
            chart.draw_series(LineSeries::new(
                [(answer, 0.0), (answer, 1.04)],
                EMERALD.stroke_width(2),
            ))?;
            chart.draw_series(std::iter::once(Circle::new(
                (answer, share),
                8,
                EMERALD.stroke_width(3),
            )))?;
            let left = answer > x0 + (x1 - x0) * 0.7;
            chart.draw_series(std::iter::once(Text::new(
                if left {
                    format!("answer: {} ", self.format_knob(answer))
                } else {
                    format!(" answer: {}", self.format_knob(answer))
                },
                (answer, 0.08),
                (FAMILY, LABEL_SIZE)
                    .into_font()
                    .color(&EMERALD)
                    .pos(Pos::new(
                        if left { HPos::Right } else { HPos::Left },
                        VPos::Center,
                    )),
            )))?;
        }
        let mut legend = vec![
            ("within the target".to_string(), Mark::Line(AZURE)),
            ("95% interval".to_string(), Mark::Pale(AZURE)),
            (
                format!("asked for: {}", format_percent(self.confidence)),
                Mark::Dashed(VERMILLION),
            ),
        ];
        match self.answer {
            Some(answer) => legend.push((
                format!("answer: {}", self.format_knob(answer)),
                Mark::Line(EMERALD),
            )),
            None => legend.push(("no value tried is enough".to_string(), Mark::Dot(GREY))),
        }
        if !costs.is_empty() {
            legend.push(("cost (right axis)".to_string(), Mark::Line(ORANGE)));
        }
        draw_legend(&legend_area, 50, None, &legend)?;
        Ok(())
    }
}

/// Money on an axis: two decimals below 100, none above.
fn format_money(value: f64) -> String {
    if value.abs() >= 100.0 {
        format_count(value)
    } else {
        format!("{value:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check_png, check_svg};
    use super::*;

    fn points(priced: bool) -> Vec<PlanPoint> {
        [0.0, 0.02, 0.4, 0.93, 0.99, 1.0]
            .iter()
            .enumerate()
            .map(|(i, share)| PlanPoint {
                knob: i as f64,
                share: *share,
                ci_low: (share - 0.03f64).max(0.0),
                ci_high: (share + 0.03f64).min(1.0),
                cost: priced.then_some(i as f64 * 0.42),
            })
            .collect()
    }

    #[test]
    fn renders_svg_and_png_with_cost() {
        let points = points(true);
        let chart = PlanChart {
            scenario: "ecs-blog",
            knob: "cluster.spare_hosts",
            knob_is_duration: false,
            target_seconds: 600.0,
            confidence: 0.95,
            points: &points,
            answer: Some(4.0),
            cost_unit: Some("always-on cost a day (USD)"),
        };
        check_svg(
            &chart,
            &[
                "answer: 4",
                "always-on cost a day (USD)",
                "95% interval",
                "10m",
            ],
        );
        check_png(&chart);
    }

    #[test]
    fn renders_without_cost_or_answer() {
        let points = points(false);
        let chart = PlanChart {
            scenario: "ecs-blog",
            knob: "draining.deregistration_delay",
            knob_is_duration: true,
            target_seconds: 600.0,
            confidence: 0.99,
            points: &points,
            answer: None,
            cost_unit: None,
        };
        let svg = check_svg(&chart, &["no value tried is enough"]);
        assert!(!svg.contains("cost per deploy"));
    }
}

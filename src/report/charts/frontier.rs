//! `cheapest`: what does each minute saved cost? Every grid point's daily cost against the
//! deploy time the asked share of runs meets, the frontier (no point both cheaper and
//! faster) as a line, the target as a dashed line and the cheapest point that meets it
//! ringed.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::*;
use super::{DrawResult, Figure, draw_empty};

/// One grid point.
#[derive(Clone, Debug, PartialEq)]
pub struct FrontierPoint {
    /// The varied values, short: `2, 200, event`.
    pub label: String,
    /// What the points are ranked by (money or host-hours a day).
    pub cost: f64,
    /// The deploy time the asked share of runs meets; `None` when fewer completed.
    pub time: Option<f64>,
    pub meets: bool,
    pub on_frontier: bool,
}

#[derive(Clone, Debug)]
pub struct FrontierChart<'a> {
    pub scenario: &'a str,
    /// The varied keys' short names, `, `-separated: `spare_hosts, maximum_percent`.
    pub keys: &'a str,
    pub target_seconds: f64,
    /// 0-1, e.g. 0.95.
    pub confidence: f64,
    /// The x axis: `cluster cost a day (USD)`.
    pub cost_label: &'a str,
    pub points: &'a [FrontierPoint],
    /// Index into `points` of the cheapest that meets the target.
    pub answer: Option<usize>,
}

impl Figure for FrontierChart<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 600)
    }

    fn title(&self) -> String {
        format!(
            "What does a faster deploy of {} cost? {} of deploys finish within this time",
            self.scenario,
            format_percent(self.confidence)
        )
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let known: Vec<(usize, &FrontierPoint, f64)> = self
            .points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.time.map(|t| (i, p, t)))
            .filter(|(_, p, t)| p.cost.is_finite() && t.is_finite())
            .collect();
        if known.is_empty() {
            return draw_empty(
                area,
                &format!(
                    "No point had {} of its runs complete.",
                    format_percent(self.confidence)
                ),
            );
        }
        let (plot, legend_area) = area.split_horizontally(area.dim_in_pixel().0 - LEGEND_WIDTH);
        let cost_low = known.iter().map(|k| k.1.cost).fold(f64::INFINITY, f64::min);
        let cost_high = known.iter().map(|k| k.1.cost).fold(0.0, f64::max);
        let (x0, x1) = padded_range(cost_low, cost_high);
        let time_high = known
            .iter()
            .map(|k| k.2)
            .fold(self.target_seconds, f64::max);
        let (_, y1) = padded_range(0.0, time_high);
        let unknown = self.points.len() - known.len();
        let caption = if unknown > 0 {
            format!(
                "{} of {} points; {unknown} more had too few runs complete to have a time",
                known.len(),
                self.points.len()
            )
        } else {
            format!("all {} points", self.points.len())
        };
        let mut chart = ChartBuilder::on(&plot)
            .caption(caption, caption_style())
            .margin_right(90)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d(
                ticked(x0, x1, number_ticks(x0, x1, 8)),
                ticked(0.0, y1, duration_ticks(0.0, y1, 8)),
            )?;
        chart
            .configure_mesh()
            .x_desc(self.cost_label)
            .y_desc(format!(
                "deploy time, {} of runs",
                format_percent(self.confidence)
            ))
            .x_label_formatter(&|v| format_number(*v))
            .y_label_formatter(&|v| format_tick(*v))
            .label_style(tick_style())
            .axis_desc_style(label_style())
            .bold_line_style(LIGHT_GREY.mix(0.6))
            .light_line_style(TRANSPARENT)
            .draw()?;
        chart.draw_series(DashedLineSeries::new(
            [(x0, self.target_seconds), (x1, self.target_seconds)],
            8,
            5,
            ORANGE.stroke_width(2),
        ))?;
        let mut frontier: Vec<(f64, f64)> = known
            .iter()
            .filter(|k| k.1.on_frontier)
            .map(|k| (k.1.cost, k.2))
            .collect();
        frontier.sort_by(|a, b| a.0.total_cmp(&b.0));
        chart.draw_series(LineSeries::new(
            frontier.iter().copied(),
            EMERALD.stroke_width(2),
        ))?;
        chart.draw_series(known.iter().map(|(_, p, t)| {
            let color = if p.meets { AZURE } else { GREY };
            Circle::new((p.cost, *t), 5, color.filled())
        }))?;
        // Frontier points carry their values; the others are in the table.
        let label_style = (FAMILY, TICK_SIZE)
            .into_font()
            .color(&INK)
            .pos(Pos::new(HPos::Left, VPos::Bottom));
        chart.draw_series(known.iter().filter(|k| k.1.on_frontier).map(|(_, p, t)| {
            EmptyElement::at((p.cost, *t))
                + Text::new(format!(" {}", p.label), (6, -6), label_style.clone())
        }))?;
        let mut legend = vec![
            ("meets the target".to_string(), Mark::Dot(AZURE)),
            ("misses it".to_string(), Mark::Dot(GREY)),
            ("frontier".to_string(), Mark::Line(EMERALD)),
            (
                format!("target {}", format_tick(self.target_seconds)),
                Mark::Dashed(ORANGE),
            ),
        ];
        match self.answer.and_then(|i| self.points.get(i).map(|p| (i, p))) {
            Some((_, p)) => {
                if let Some(t) = p.time {
                    chart.draw_series(std::iter::once(Circle::new(
                        (p.cost, t),
                        10,
                        VERMILLION.stroke_width(3),
                    )))?;
                }
                legend.push((format!("cheapest: {}", p.label), Mark::Ring(VERMILLION)));
            }
            None => legend.push(("no point meets the target".to_string(), Mark::Dot(GREY))),
        }
        draw_legend(&legend_area, 50, None, &legend)?;
        // What a point's label lists, one key a line (the legend column is narrow).
        let text = tick_style().pos(Pos::new(HPos::Left, VPos::Center));
        let mut y = 50 + 22 * (legend.len() as i32 + 1);
        legend_area.draw(&Text::new("labels give:", (12, y), text.clone()))?;
        for key in self.keys.split(", ") {
            y += 20;
            legend_area.draw(&Text::new(key.to_string(), (20, y), text.clone()))?;
        }
        Ok(())
    }
}

/// A cost on the axis: two decimals below 100, thousands separated above.
fn format_number(value: f64) -> String {
    if value.abs() >= 100.0 {
        format_count(value)
    } else if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check_png, check_svg};
    use super::*;

    #[test]
    fn renders_the_frontier_and_the_cheapest() {
        let points: Vec<FrontierPoint> = [
            ("0, 100", 72.0, None, false, false),
            ("1, 200", 96.0, Some(105.0), false, true),
            ("2, 200", 120.0, Some(70.0), true, true),
            ("3, 200", 144.0, Some(35.0), true, true),
            ("3, 150", 144.0, Some(50.0), true, false),
        ]
        .iter()
        .map(|(label, cost, time, meets, on)| FrontierPoint {
            label: label.to_string(),
            cost: *cost,
            time: *time,
            meets: *meets,
            on_frontier: *on,
        })
        .collect();
        let chart = FrontierChart {
            scenario: "section-10",
            keys: "spare_hosts, maximum_percent",
            target_seconds: 80.0,
            confidence: 0.95,
            cost_label: "cluster cost a day (USD)",
            points: &points,
            answer: Some(2),
        };
        check_svg(
            &chart,
            &[
                "cheapest: 2, 200",
                "target 1m20s",
                "4 of 5 points",
                " 3, 200",
            ],
        );
        check_png(&chart);
    }
}

//! `run`: how long deploys take. A histogram of the completed runs' deploy times above
//! the share of all runs finished by each time (the CDF), with p50, p95 and the target
//! marked on both.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::*;
use super::{DrawResult, Figure, draw_empty};

/// The deploy times of one `run`.
#[derive(Clone, Debug)]
pub struct DeployTimeChart<'a> {
    pub scenario: &'a str,
    /// All runs, completed or not (the CDF's denominator).
    pub runs: u64,
    /// `deploy_seconds` of the completed runs, in any order.
    pub completed_seconds: &'a [f64],
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    /// `simulation.target`, when set.
    pub target: Option<f64>,
}

/// A vertical marker: where, what, colour.
struct Marker {
    at: f64,
    label: String,
    color: RGBColor,
}

impl DeployTimeChart<'_> {
    fn markers(&self) -> Vec<Marker> {
        let mut markers = Vec::new();
        if let Some(p50) = self.p50 {
            markers.push(Marker {
                at: p50,
                label: format!("p50 {}", format_tick(p50)),
                color: INK,
            });
        }
        if let Some(p95) = self.p95 {
            markers.push(Marker {
                at: p95,
                label: format!("p95 {}", format_tick(p95)),
                color: VERMILLION,
            });
        }
        if let Some(target) = self.target {
            markers.push(Marker {
                at: target,
                label: format!("target {}", format_tick(target)),
                color: EMERALD,
            });
        }
        markers
    }

    fn x_range(&self, sorted: &[f64]) -> (f64, f64) {
        let mut low = sorted[0];
        let mut high = sorted[sorted.len() - 1];
        if let Some(target) = self.target {
            low = low.min(target);
            high = high.max(target);
        }
        padded_range(low, high)
    }
}

impl Figure for DeployTimeChart<'_> {
    fn size(&self) -> (u32, u32) {
        if self.completed_seconds.is_empty() {
            (960, 160)
        } else {
            (960, 720)
        }
    }

    fn title(&self) -> String {
        format!(
            "How long does a deploy of {} take? ({} runs)",
            self.scenario,
            format_count(self.runs as f64)
        )
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let mut sorted: Vec<f64> = self
            .completed_seconds
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        if sorted.is_empty() {
            return draw_empty(area, "No run completed: there is no deploy time to show.");
        }
        sorted.sort_by(f64::total_cmp);
        let (low, high) = self.x_range(&sorted);
        let ticks = duration_ticks(low, high, 10);
        let markers = self.markers();
        let (plot, legend_area) = area.split_horizontally(area.dim_in_pixel().0 - LEGEND_WIDTH);
        let split = plot.dim_in_pixel().1 * 52 / 100;
        let (upper, lower) = plot.split_vertically(split);
        let lower = lower.margin(14, 0, 0, 0);

        // Histogram: bins on round durations, about 30 across the data (not across the
        // axis, which also spans the target).
        let data_span = sorted[sorted.len() - 1] - sorted[0];
        let width = if data_span > 0.0 {
            duration_step(data_span, 30)
        } else {
            duration_step(high - low, 40)
        };
        let first = (low / width).floor() * width;
        let bins = (((high - first) / width).ceil() as usize).max(1);
        let mut counts = vec![0u64; bins];
        for v in &sorted {
            let bin = (((v - first) / width).floor() as usize).min(bins - 1);
            counts[bin] += 1;
        }
        let most = *counts.iter().max().unwrap_or(&1) as f64;
        let top = most * 1.08;
        let mut chart = ChartBuilder::on(&upper)
            .caption(
                format!(
                    "Deploy time of the {} completed runs",
                    format_count(sorted.len() as f64)
                ),
                caption_style(),
            )
            .margin_right(16)
            .x_label_area_size(44)
            .y_label_area_size(72)
            .build_cartesian_2d(ticked(low, high, ticks.clone()), 0.0..top)?;
        chart
            .configure_mesh()
            .x_desc("deploy time")
            .y_desc("runs")
            .x_label_formatter(&|v| format_tick(*v))
            .y_label_formatter(&|v| format_count(*v))
            .y_labels(6)
            .label_style(tick_style())
            .axis_desc_style(label_style())
            .bold_line_style(LIGHT_GREY.mix(0.6))
            .light_line_style(TRANSPARENT)
            .draw()?;
        chart.draw_series(counts.iter().enumerate().filter(|(_, c)| **c > 0).map(
            |(i, count)| {
                let x0 = (first + i as f64 * width).max(low);
                let x1 = (first + (i + 1) as f64 * width).min(high);
                let mut bar =
                    Rectangle::new([(x0, 0.0), (x1, *count as f64)], AZURE.mix(0.75).filled());
                bar.set_margin(0, 0, 0, 1);
                bar
            },
        ))?;
        for marker in &markers {
            chart.draw_series(DashedLineSeries::new(
                [(marker.at, 0.0), (marker.at, top)],
                6,
                4,
                marker.color.stroke_width(2),
            ))?;
        }
        let mut legend: Vec<(String, Mark)> = vec![(
            format!("runs per {} bin", format_tick(width)),
            Mark::Block(AZURE.mix(0.75).to_rgba_over_white()),
        )];
        legend.extend(
            markers
                .iter()
                .map(|m| (m.label.clone(), Mark::Dashed(m.color))),
        );
        draw_legend(&legend_area, 50, None, &legend)?;

        // CDF over all runs: a run that never completed never counts as finished.
        let runs = self.runs.max(sorted.len() as u64) as f64;
        let mut chart = ChartBuilder::on(&lower)
            .caption(
                "Share of all runs finished by then (runs that never complete never count)",
                caption_style(),
            )
            .margin_right(16)
            .x_label_area_size(44)
            .y_label_area_size(72)
            .build_cartesian_2d(
                ticked(low, high, ticks),
                ticked(0.0, 1.0, vec![0.0, 0.25, 0.5, 0.75, 1.0]),
            )?;
        chart
            .configure_mesh()
            .x_desc("deploy time")
            .y_desc("runs finished")
            .x_label_formatter(&|v| format_tick(*v))
            .y_label_formatter(&|v| format_percent(*v))
            .label_style(tick_style())
            .axis_desc_style(label_style())
            .bold_line_style(LIGHT_GREY.mix(0.6))
            .light_line_style(TRANSPARENT)
            .draw()?;
        for marker in &markers {
            chart.draw_series(DashedLineSeries::new(
                [(marker.at, 0.0), (marker.at, 1.0)],
                6,
                4,
                marker.color.stroke_width(2),
            ))?;
        }
        let points = cdf_points(&sorted, runs, low, high);
        chart.draw_series(LineSeries::new(points, AZURE.stroke_width(3)))?;
        let mut legend = vec![("finished by then".to_string(), Mark::Line(AZURE))];
        if let Some(target) = self.target {
            let within = sorted.partition_point(|v| *v <= target) as f64 / runs;
            chart.draw_series(std::iter::once(Circle::new(
                (target, within),
                6,
                EMERALD.filled(),
            )))?;
            legend.push((
                format!("{} within target", format_percent_1(within)),
                Mark::Dot(EMERALD),
            ));
        }
        let (_, lower_top) = lower.get_base_pixel();
        let (_, area_top) = legend_area.get_base_pixel();
        draw_legend(&legend_area, lower_top - area_top + 50, None, &legend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check_png, check_svg};
    use super::*;

    #[test]
    fn renders_svg_and_png() {
        let times: Vec<f64> = (0..200)
            .map(|i| 2300.0 + (i as f64 * 7.3) % 300.0)
            .collect();
        let chart = DeployTimeChart {
            scenario: "ecs-blog",
            runs: 210,
            completed_seconds: &times,
            p50: Some(2450.0),
            p95: Some(2580.0),
            target: Some(1800.0),
        };
        check_svg(
            &chart,
            &[
                "p50 40m50s",
                "target 30m",
                "deploy time",
                "runs finished",
                "0.0% within target",
            ],
        );
        check_png(&chart);
    }

    #[test]
    fn says_so_when_nothing_completed() {
        let chart = DeployTimeChart {
            scenario: "stuck",
            runs: 10,
            completed_seconds: &[],
            p50: None,
            p95: None,
            target: None,
        };
        check_svg(&chart, &["No run completed"]);
    }
}

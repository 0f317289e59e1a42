//! `run`, when the circuit breaker tripped: the bad-deploy question. How soon after the
//! deploy began did the breaker trip, and (with rollback) how soon did D old-revision
//! tasks serve again? Both as the share of all runs by then, with their p50 and p95.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::*;
use super::{DrawResult, Figure};

/// Breaker detection and restoration times of one `run`.
#[derive(Clone, Debug)]
pub struct BreakerChart<'a> {
    pub scenario: &'a str,
    /// All runs (the share's denominator).
    pub runs: u64,
    /// `detection_seconds` of the runs whose breaker tripped.
    pub detection_seconds: &'a [f64],
    /// `restored_seconds` of the rolled-back runs that restored D old tasks.
    pub restored_seconds: &'a [f64],
}

/// One curve: its name, colour and sorted values.
struct Curve {
    name: &'static str,
    color: RGBColor,
    sorted: Vec<f64>,
}

impl BreakerChart<'_> {
    fn curves(&self) -> Vec<Curve> {
        let sorted = |values: &[f64]| {
            let mut v = values.to_vec();
            v.sort_by(f64::total_cmp);
            v
        };
        let mut curves = vec![Curve {
            name: "breaker tripped",
            color: VERMILLION,
            sorted: sorted(self.detection_seconds),
        }];
        if !self.restored_seconds.is_empty() {
            curves.push(Curve {
                name: "service restored",
                color: EMERALD,
                sorted: sorted(self.restored_seconds),
            });
        }
        curves
    }
}

/// The q-quantile of sorted (non-empty) values, linear between the order statistics
/// around position (n - 1) q, as the reports' tables compute it.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let position = (sorted.len() - 1) as f64 * q;
    let (lower, upper) = (position.floor() as usize, position.ceil() as usize);
    sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower as f64)
}

impl Figure for BreakerChart<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 440)
    }

    fn title(&self) -> String {
        format!(
            "When did the circuit breaker trip, and when was {} serving again? ({} runs)",
            self.scenario,
            format_count(self.runs as f64)
        )
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let curves = self.curves();
        let (plot, legend_area) = area.split_horizontally(area.dim_in_pixel().0 - LEGEND_WIDTH);
        let highest = curves
            .iter()
            .filter_map(|c| c.sorted.last().copied())
            .fold(0.0, f64::max);
        let (_, high) = padded_range(0.0, highest.max(1.0));
        let low = 0.0;
        let ticks = duration_ticks(low, high, 11);
        let runs = self.runs.max(1) as f64;
        let mut chart = ChartBuilder::on(&plot)
            .caption(
                "Share of all runs by then (dashed: p50 and p95 of the runs where it happened)",
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
            .x_desc("time since the deploy began")
            .y_desc("runs")
            .x_label_formatter(&|v| format_tick(*v))
            .y_label_formatter(&|v| format_percent(*v))
            .label_style(tick_style())
            .axis_desc_style(label_style())
            .bold_line_style(LIGHT_GREY.mix(0.6))
            .light_line_style(TRANSPARENT)
            .draw()?;
        let mut legend: Vec<(String, Mark)> = Vec::new();
        for curve in &curves {
            if curve.sorted.is_empty() {
                continue;
            }
            let (p50, p95) = (quantile(&curve.sorted, 0.5), quantile(&curve.sorted, 0.95));
            for at in [p50, p95] {
                chart.draw_series(DashedLineSeries::new(
                    [(at, 0.0), (at, 1.0)],
                    6,
                    4,
                    curve.color.mix(0.8).stroke_width(2),
                ))?;
            }
            chart.draw_series(LineSeries::new(
                cdf_points(&curve.sorted, runs, low, high),
                curve.color.stroke_width(2),
            ))?;
            legend.push((
                format!(
                    "{} in {}",
                    curve.name,
                    format_percent_1(curve.sorted.len() as f64 / runs)
                ),
                Mark::Line(curve.color),
            ));
            legend.push((
                format!("p50 {}, p95 {}", format_tick(p50), format_tick(p95)),
                Mark::Dashed(curve.color),
            ));
        }
        draw_legend(&legend_area, 50, None, &legend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check_png, check_svg};
    use super::*;

    #[test]
    fn renders_detection_and_restoration() {
        let detection: Vec<f64> = (0..100).map(|i| 60.0 + i as f64).collect();
        let restored: Vec<f64> = (0..90).map(|i| 130.0 + 2.0 * i as f64).collect();
        let chart = BreakerChart {
            scenario: "bad-deploy",
            runs: 100,
            detection_seconds: &detection,
            restored_seconds: &restored,
        };
        // 100 of 100 tripped; 90 of 100 restored; p50 of 60..159 is 109.5 s = 1m50s.
        check_svg(
            &chart,
            &[
                "breaker tripped in 100.0%",
                "service restored in 90.0%",
                "p50 1m50s",
                "When did the circuit breaker trip",
            ],
        );
        check_png(&chart);
    }
}

//! `fit`: one key's observed durations (their empirical CDF) against the fitted
//! log-normal's CDF, so a reader sees where the fit follows the data and where not.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::*;
use super::{DrawResult, Figure, draw_empty};

/// One fitted key.
#[derive(Clone, Debug)]
pub struct FitChart<'a> {
    pub key: &'a str,
    /// Which timestamps the durations span.
    pub span: &'a str,
    /// Observed seconds, ascending.
    pub sorted: &'a [f64],
    /// The maximum-likelihood log-normal as (mu, sigma) of ln x, when one exists.
    pub fitted: Option<(f64, f64)>,
    /// Short lines under the legend: what the key became and the test's numbers.
    pub notes: &'a [String],
}

impl Figure for FitChart<'_> {
    fn size(&self) -> (u32, u32) {
        (960, 420)
    }

    fn title(&self) -> String {
        let what = if self.fitted.is_some() {
            "observed against fitted log-normal"
        } else {
            "observed (no log-normal fits)"
        };
        format!(
            "{}: {what} (n = {})",
            self.key,
            format_count(self.sorted.len() as f64)
        )
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let sorted: Vec<f64> = self
            .sorted
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        if sorted.is_empty() {
            return draw_empty(area, "No observation of this key.");
        }
        let (low, high) = padded_range(sorted[0], sorted[sorted.len() - 1]);
        let ticks = duration_ticks(low, high, 10);
        let (plot, legend_area) =
            area.split_horizontally(area.dim_in_pixel().0 - LEGEND_WIDTH - 20);
        let mut chart = ChartBuilder::on(&plot)
            .caption(
                format!(
                    "Share of observations at or below a duration ({})",
                    self.span
                ),
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
            .x_desc("duration")
            .y_desc("share observed")
            .x_label_formatter(&|v| format_tick(*v))
            .y_label_formatter(&|v| format_percent(*v))
            .label_style(tick_style())
            .axis_desc_style(label_style())
            .bold_line_style(LIGHT_GREY.mix(0.6))
            .light_line_style(TRANSPARENT)
            .draw()?;
        let n = sorted.len() as f64;
        chart.draw_series(LineSeries::new(
            cdf_points(&sorted, n, low, high),
            AZURE.stroke_width(3),
        ))?;
        let mut legend = vec![(
            format!("observed ({} values)", format_count(n)),
            Mark::Line(AZURE),
        )];
        if let Some((mu, sigma)) = self.fitted {
            let cdf = |x: f64| {
                if x <= 0.0 || sigma <= 0.0 {
                    if x >= mu.exp() { 1.0 } else { 0.0 }
                } else {
                    crate::import::fit::normal_cdf((x.ln() - mu) / sigma)
                }
            };
            let steps = 300;
            let points: Vec<(f64, f64)> = (0..=steps)
                .map(|i| {
                    let x = low + (high - low) * i as f64 / steps as f64;
                    (x, cdf(x))
                })
                .collect();
            chart.draw_series(DashedLineSeries::new(
                points,
                8,
                5,
                VERMILLION.stroke_width(2),
            ))?;
            let median = mu.exp();
            let p95 = (mu + 1.6448536 * sigma).exp();
            legend.push((
                format!("log-normal {} / {}", format_tick(median), format_tick(p95)),
                Mark::Dashed(VERMILLION),
            ));
            legend.push(("(median / p95)".to_string(), Mark::Pale(TRANSPARENT_WHITE)));
        }
        for note in self.notes {
            legend.push((note.clone(), Mark::Pale(TRANSPARENT_WHITE)));
        }
        draw_legend(&legend_area, 60, None, &legend)?;
        Ok(())
    }
}

/// A legend row with no swatch (a note under the entries).
const TRANSPARENT_WHITE: RGBColor = RGBColor(255, 255, 255);

#[cfg(test)]
mod tests {
    use super::super::testing::{check_png, check_svg};
    use super::*;

    #[test]
    fn renders_svg_and_png() {
        let sorted: Vec<f64> = (1..=50).map(|i| 10.0 + i as f64 * 0.7).collect();
        let chart = FitChart {
            key: "launch.image_pull",
            span: "pullStartedAt -> pullStoppedAt",
            sorted: &sorted,
            fitted: Some((3.2f64, 0.3)),
            notes: &["log-normal kept".to_string()],
        };
        check_svg(
            &chart,
            &["launch.image_pull", "observed (50 values)", "log-normal"],
        );
        check_png(&chart);
    }
}

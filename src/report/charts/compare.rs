//! `compare`: is B faster than A? Both CDFs of deploy time overlaid, and below them the
//! histogram of the paired differences B − A (same seed and replication, common random
//! numbers), with zero and the median difference marked.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::*;
use super::{DrawResult, Figure, draw_empty};

/// One side of a comparison.
#[derive(Clone, Debug)]
pub struct CompareSeries<'a> {
    /// How the side is called in the legend, e.g. `A: spare_hosts=1`.
    pub label: &'a str,
    /// All its runs, completed or not.
    pub runs: u64,
    /// `deploy_seconds` of its completed runs, in any order.
    pub completed_seconds: &'a [f64],
}

#[derive(Clone, Debug)]
pub struct CompareChart<'a> {
    pub scenario: &'a str,
    pub a: CompareSeries<'a>,
    pub b: CompareSeries<'a>,
    /// B − A in seconds, one per replication where both completed.
    pub differences: &'a [f64],
}

fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    v
}

fn median(sorted: &[f64]) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let position = (sorted.len() - 1) as f64 * 0.5;
    let (i, fraction) = (position.floor() as usize, position.fract());
    let next = sorted[(i + 1).min(sorted.len() - 1)];
    Some(sorted[i] + (next - sorted[i]) * fraction)
}

impl Figure for CompareChart<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 740)
    }

    fn title(&self) -> String {
        format!(
            "Which finishes deploys of {} sooner: {} or {}?",
            self.scenario, self.a.label, self.b.label
        )
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let a = sorted(self.a.completed_seconds);
        let b = sorted(self.b.completed_seconds);
        if a.is_empty() && b.is_empty() {
            return draw_empty(area, "No run completed on either side.");
        }
        let (upper, lower) = area.split_vertically(area.dim_in_pixel().1 * 52 / 100);
        let (upper_plot, upper_legend) =
            upper.split_horizontally(upper.dim_in_pixel().0 - LEGEND_WIDTH);
        let lower = lower.margin(14, 0, 0, 0);
        let (lower_plot, lower_legend) =
            lower.split_horizontally(lower.dim_in_pixel().0 - LEGEND_WIDTH);

        let low = a
            .first()
            .copied()
            .unwrap_or(f64::INFINITY)
            .min(b.first().copied().unwrap_or(f64::INFINITY));
        let high = a
            .last()
            .copied()
            .unwrap_or(0.0)
            .max(b.last().copied().unwrap_or(0.0));
        let (low, high) = padded_range(low, high);
        let mut chart = ChartBuilder::on(&upper_plot)
            .caption("Share of all runs finished by then", caption_style())
            .margin_right(16)
            .x_label_area_size(44)
            .y_label_area_size(72)
            .build_cartesian_2d(
                ticked(low, high, duration_ticks(low, high, 10)),
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
        let mut legend = Vec::new();
        for (side, values, color) in [(&self.a, &a, AZURE), (&self.b, &b, VERMILLION)] {
            let runs = side.runs.max(values.len() as u64).max(1) as f64;
            let points = cdf_points(values, runs, low, high);
            chart.draw_series(LineSeries::new(points, color.stroke_width(3)))?;
            let p50 = median(values)
                .map(format_tick)
                .unwrap_or_else(|| "-".into());
            legend.push((side.label.to_string(), Mark::Line(color)));
            legend.push((
                format!("  p50 {p50}, {} runs", format_count(runs)),
                Mark::Pale(WHITE),
            ));
        }
        draw_legend(&upper_legend, 40, None, &legend)?;

        // Paired differences.
        let differences = sorted(self.differences);
        if differences.is_empty() {
            return draw_empty(&lower_plot, "No replication completed on both sides.");
        }
        let (d_low, d_high) = (
            differences[0].min(0.0),
            differences[differences.len() - 1].max(0.0),
        );
        let (d_low, d_high) = if d_high > d_low {
            let pad = (d_high - d_low) * 0.05;
            (d_low - pad, d_high + pad)
        } else {
            (d_low - 1.0, d_high + 1.0)
        };
        let width = duration_step(d_high - d_low, 40);
        let first = (d_low / width).floor() * width;
        let bins = (((d_high - first) / width).ceil() as usize).max(1);
        let mut counts = vec![0u64; bins];
        for d in &differences {
            counts[(((d - first) / width).floor() as usize).min(bins - 1)] += 1;
        }
        let most = *counts.iter().max().unwrap_or(&1) as f64;
        let faster = differences.iter().filter(|d| **d < 0.0).count();
        let mut chart = ChartBuilder::on(&lower_plot)
            .caption(
                format!(
                    "Paired difference B − A over {} replications (left of 0: B sooner)",
                    format_count(differences.len() as f64)
                ),
                caption_style(),
            )
            .margin_right(16)
            .x_label_area_size(44)
            .y_label_area_size(72)
            .build_cartesian_2d(
                ticked(d_low, d_high, duration_ticks(d_low, d_high, 10)),
                0.0..most * 1.1,
            )?;
        chart
            .configure_mesh()
            .x_desc("B − A deploy time")
            .y_desc("replications")
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
                let x0 = (first + i as f64 * width).max(d_low);
                let x1 = (first + (i + 1) as f64 * width).min(d_high);
                let color = if x1 <= 0.0 { VERMILLION } else { AZURE };
                let mut bar =
                    Rectangle::new([(x0, 0.0), (x1, *count as f64)], color.mix(0.7).filled());
                bar.set_margin(0, 0, 0, 1);
                bar
            },
        ))?;
        chart.draw_series(LineSeries::new(
            [(0.0, 0.0), (0.0, most * 1.1)],
            INK.stroke_width(2),
        ))?;
        let middle = median(&differences).unwrap_or(0.0);
        chart.draw_series(DashedLineSeries::new(
            [(middle, 0.0), (middle, most * 1.1)],
            6,
            4,
            EMERALD.stroke_width(2),
        ))?;
        // A bar colour is listed only when some bar has it.
        let (mut sooner_bars, mut later_bars) = (false, false);
        for (i, _) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
            let x1 = (first + (i + 1) as f64 * width).min(d_high);
            if x1 <= 0.0 {
                sooner_bars = true;
            } else {
                later_bars = true;
            }
        }
        let mut legend = vec![
            ("no difference".to_string(), Mark::Line(INK)),
            (
                format!("median {}", format_tick(middle)),
                Mark::Dashed(EMERALD),
            ),
        ];
        let share = faster as f64 / differences.len() as f64;
        if sooner_bars {
            legend.push((
                format!("B sooner in {}", format_percent_1(share)),
                Mark::Block(VERMILLION.mix(0.7).to_rgba_over_white()),
            ));
        }
        if later_bars {
            legend.push((
                format!("B not sooner in {}", format_percent_1(1.0 - share)),
                Mark::Block(AZURE.mix(0.7).to_rgba_over_white()),
            ));
        }
        draw_legend(&lower_legend, 40, None, &legend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check_png, check_svg};
    use super::*;

    #[test]
    fn renders_svg_and_png() {
        let a: Vec<f64> = (0..300)
            .map(|i| 400.0 + (i as f64 * 13.7) % 120.0)
            .collect();
        let b: Vec<f64> = a.iter().map(|x| x - 50.0 + (x * 7.0) % 30.0).collect();
        let differences: Vec<f64> = a.iter().zip(&b).map(|(x, y)| y - x).collect();
        let chart = CompareChart {
            scenario: "agents",
            a: CompareSeries {
                label: "A: polling",
                runs: 300,
                completed_seconds: &a,
            },
            b: CompareSeries {
                label: "B: event",
                runs: 300,
                completed_seconds: &b,
            },
            differences: &differences,
        };
        check_svg(
            &chart,
            &["A: polling", "B: event", "no difference", "B − A"],
        );
        check_png(&chart);
    }
}

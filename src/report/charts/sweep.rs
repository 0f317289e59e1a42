//! `sweep`: how does p95 deploy time move with the varied keys? p95 against the first
//! key's values, one line per value of the second; a heatmap instead when both keys are
//! numeric and the grid is dense (every pair run, at least 4 values each), where lines
//! would crowd.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::*;
use super::{DrawResult, Figure, draw_empty};

/// One point of the sweep: the first key's value, the second key's value (if the sweep
/// varies two keys), and p95 deploy time over the completed runs (`None` when none
/// completed).
#[derive(Clone, Debug, PartialEq)]
pub struct SweepCell {
    pub x: String,
    pub series: Option<String>,
    pub p95_seconds: Option<f64>,
    /// Whether at least `confidence` of all the point's runs completed within the target
    /// (so that quantile over all runs meets it); `None` without a target.
    pub meets_target: Option<bool>,
}

#[derive(Clone, Debug)]
pub struct SweepChart<'a> {
    pub scenario: &'a str,
    /// The first varied key (the x axis).
    pub x_key: &'a str,
    /// The second varied key (one line per value), if any.
    pub series_key: Option<&'a str>,
    pub cells: &'a [SweepCell],
    /// The share of runs a point must have within the target to be marked (0.95 unless
    /// the sweep asks for another).
    pub confidence: f64,
    /// With `sweep --target`: the rings mark the `meets` verdict, and this note (the runs
    /// points stopped at) follows the caption, since their p95 is over those runs only.
    pub question_note: Option<String>,
    /// `simulation.target`, drawn as a line (a band of cells in the heatmap's legend).
    pub target_seconds: Option<f64>,
}

/// The legend's words for a cell that meets the target.
fn meets_label(confidence: f64, target: f64) -> String {
    format!(
        "{}% of runs within {}",
        crate::experiment::target::trim_number(100.0 * confidence),
        format_tick(target)
    )
}

/// The distinct values of a key in order of first appearance, and their positions: the
/// numbers themselves when every value is a number, else 0, 1, 2, ...
struct Values {
    labels: Vec<String>,
    positions: Vec<f64>,
    numeric: bool,
}

impl Values {
    fn of<'v>(values: impl Iterator<Item = &'v str>) -> Values {
        let mut labels: Vec<String> = Vec::new();
        for v in values {
            if !labels.iter().any(|l| l == v) {
                labels.push(v.to_string());
            }
        }
        let numbers: Option<Vec<f64>> = labels.iter().map(|l| l.trim().parse().ok()).collect();
        match numbers {
            Some(numbers) if !numbers.is_empty() && numbers.iter().all(|n: &f64| n.is_finite()) => {
                // Numeric: sort by value.
                let mut pairs: Vec<(f64, String)> = numbers.into_iter().zip(labels).collect();
                pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
                Values {
                    positions: pairs.iter().map(|p| p.0).collect(),
                    labels: pairs.into_iter().map(|p| p.1).collect(),
                    numeric: true,
                }
            }
            _ => Values {
                positions: (0..labels.len()).map(|i| i as f64).collect(),
                labels,
                numeric: false,
            },
        }
    }

    fn position(&self, label: &str) -> Option<f64> {
        self.labels
            .iter()
            .position(|l| l == label)
            .map(|i| self.positions[i])
    }

    fn index(&self, label: &str) -> Option<usize> {
        self.labels.iter().position(|l| l == label)
    }

    fn range(&self) -> (f64, f64) {
        let low = self.positions.first().copied().unwrap_or(0.0);
        let high = self.positions.last().copied().unwrap_or(1.0);
        if high > low {
            let pad = (high - low) * if self.numeric { 0.04 } else { 0.1 };
            (low - pad, high + pad)
        } else {
            (low - 1.0, high + 1.0)
        }
    }
}

impl SweepChart<'_> {
    fn caption(&self, text: &str) -> String {
        match &self.question_note {
            Some(note) => format!("{text}; {note}"),
            None => text.to_string(),
        }
    }

    /// The legend's words for a marked point.
    fn meets_words(&self, target: f64) -> String {
        let words = meets_label(self.confidence, target);
        match self.question_note {
            Some(_) => format!("meets: {words}"),
            None => words,
        }
    }

    fn grid(&self) -> (Values, Values) {
        let xs = Values::of(self.cells.iter().map(|c| c.x.as_str()));
        let series = Values::of(self.cells.iter().filter_map(|c| c.series.as_deref()));
        (xs, series)
    }

    /// Both keys numeric, every pair present, at least 4 values of each.
    pub fn is_heatmap(&self) -> bool {
        if self.series_key.is_none() {
            return false;
        }
        let (xs, series) = self.grid();
        let pairs: std::collections::BTreeSet<(usize, usize)> = self
            .cells
            .iter()
            .filter_map(|c| Some((xs.index(&c.x)?, series.index(c.series.as_deref()?)?)))
            .collect();
        xs.numeric
            && series.numeric
            && xs.labels.len() >= 4
            && series.labels.len() >= 4
            && pairs.len() == xs.labels.len() * series.labels.len()
    }
}

impl Figure for SweepChart<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 560)
    }

    fn title(&self) -> String {
        match self.series_key {
            Some(second) => format!(
                "How does p95 deploy time of {} move with {} and {}?",
                self.scenario, self.x_key, second
            ),
            None => format!(
                "How does p95 deploy time of {} move with {}?",
                self.scenario, self.x_key
            ),
        }
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        if self.cells.is_empty() {
            return draw_empty(area, "The sweep ran no point.");
        }
        let (plot, legend_area) = area.split_horizontally(area.dim_in_pixel().0 - LEGEND_WIDTH);
        if self.is_heatmap() {
            self.draw_heatmap(&plot, &legend_area)
        } else {
            self.draw_lines(&plot, &legend_area)
        }
    }
}

impl SweepChart<'_> {
    fn draw_lines<DB: DrawingBackend>(
        &self,
        plot: &DrawingArea<DB, Shift>,
        legend_area: &DrawingArea<DB, Shift>,
    ) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let (xs, series) = self.grid();
        let p95s: Vec<f64> = self.cells.iter().filter_map(|c| c.p95_seconds).collect();
        let highest = p95s
            .iter()
            .copied()
            .fold(0.0, f64::max)
            .max(self.target_seconds.unwrap_or(0.0))
            .max(1.0);
        let y_top = highest * 1.1;
        let (x0, x1) = xs.range();
        let x_ticks = if xs.labels.len() <= 15 || !xs.numeric {
            xs.positions.clone()
        } else {
            number_ticks(x0, x1, 10)
        };
        let mut chart = ChartBuilder::on(plot)
            .caption(
                self.caption("p95 deploy time over the completed runs"),
                caption_style(),
            )
            .margin_right(16)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d(
                ticked(x0, x1, x_ticks),
                ticked(0.0, y_top, duration_ticks(0.0, y_top, 8)),
            )?;
        let x_label = |v: &f64| {
            if xs.numeric && xs.labels.len() > 15 {
                format!("{v}")
            } else {
                xs.positions
                    .iter()
                    .position(|p| (p - v).abs() < 1e-9)
                    .map(|i| xs.labels[i].clone())
                    .unwrap_or_default()
            }
        };
        chart
            .configure_mesh()
            .x_desc(self.x_key)
            .y_desc("p95 deploy time")
            .x_label_formatter(&x_label)
            .y_label_formatter(&|v| format_tick(*v))
            .label_style(tick_style())
            .axis_desc_style(label_style())
            .bold_line_style(LIGHT_GREY.mix(0.6))
            .light_line_style(TRANSPARENT)
            .draw()?;
        // The target, and a ring around each point where 95% of runs met it.
        let mut target_legend = Vec::new();
        if let Some(target) = self.target_seconds {
            chart.draw_series(DashedLineSeries::new(
                [(x0, target), (x1, target)],
                8,
                6,
                EMERALD.stroke_width(2),
            ))?;
            target_legend.push((
                format!("target {}", format_tick(target)),
                Mark::Dashed(EMERALD),
            ));
            let meeting: Vec<(f64, f64)> = self
                .cells
                .iter()
                .filter(|c| c.meets_target == Some(true))
                .filter_map(|c| Some((xs.position(&c.x)?, c.p95_seconds?)))
                .collect();
            chart.draw_series(
                meeting
                    .iter()
                    .map(|p| Circle::new(*p, 10, EMERALD.stroke_width(3))),
            )?;
            if !meeting.is_empty() {
                target_legend.push((self.meets_words(target), Mark::Ring(EMERALD)));
            }
        }
        // Group by series value (a single group when one key is varied).
        let mut groups: BTreeMap<usize, Vec<(f64, Option<f64>)>> = BTreeMap::new();
        for cell in self.cells {
            let group = match &cell.series {
                Some(s) => series.index(s).unwrap_or(0),
                None => 0,
            };
            if let Some(x) = xs.position(&cell.x) {
                groups.entry(group).or_default().push((x, cell.p95_seconds));
            }
        }
        let mut legend = Vec::new();
        let mut any_missing = false;
        let x_per_pixel = (x1 - x0) / plot.dim_in_pixel().0.saturating_sub(88).max(1) as f64;
        for (group, mut points) in groups {
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            let color = SERIES[group % SERIES.len()];
            // Lines only between points that have a p95; a gap where none completed.
            let mut run: Vec<(f64, f64)> = Vec::new();
            for (x, p95) in points
                .iter()
                .copied()
                .chain(std::iter::once((f64::NAN, None)))
            {
                match p95 {
                    Some(y) => run.push((x, y)),
                    None => {
                        if !run.is_empty() {
                            chart.draw_series(LineSeries::new(
                                std::mem::take(&mut run),
                                color.stroke_width(3),
                            ))?;
                        }
                    }
                }
            }
            chart.draw_series(
                points
                    .iter()
                    .filter_map(|(x, y)| Some(Circle::new((*x, (*y)?), 5, color.filled()))),
            )?;
            // No p95 (no run completed): an open circle at the top, side by side per line.
            let groups_count = series.labels.len().max(1) as f64;
            let shift = (group as f64 - (groups_count - 1.0) / 2.0) * 14.0 * x_per_pixel;
            let missing: Vec<f64> = points
                .iter()
                .filter(|(x, y)| y.is_none() && x.is_finite())
                .map(|(x, _)| *x)
                .collect();
            any_missing |= !missing.is_empty();
            chart.draw_series(
                missing
                    .iter()
                    .map(|x| Circle::new((x + shift, y_top * 0.96), 6, color.stroke_width(2))),
            )?;
            if self.series_key.is_some() {
                legend.push((series.labels[group].clone(), Mark::Line(color)));
            }
        }
        if any_missing {
            legend.push(("no run completed".to_string(), Mark::Ring(GREY)));
        }
        legend.extend(target_legend);
        draw_legend(legend_area, 50, self.series_key, &legend)?;
        Ok(())
    }

    fn draw_heatmap<DB: DrawingBackend>(
        &self,
        plot: &DrawingArea<DB, Shift>,
        legend_area: &DrawingArea<DB, Shift>,
    ) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let (xs, series) = self.grid();
        let (nx, ny) = (xs.labels.len(), series.labels.len());
        let p95s: Vec<f64> = self.cells.iter().filter_map(|c| c.p95_seconds).collect();
        let lowest = p95s.iter().copied().fold(f64::INFINITY, f64::min);
        let highest = p95s.iter().copied().fold(0.0, f64::max);
        let scale = |v: f64| {
            if highest > lowest {
                (v - lowest) / (highest - lowest)
            } else {
                0.5
            }
        };
        let centres = |n: usize| (0..n).map(|i| i as f64 + 0.5).collect::<Vec<_>>();
        let mut chart = ChartBuilder::on(plot)
            .caption(
                self.caption("p95 deploy time over the completed runs, per pair of values"),
                caption_style(),
            )
            .margin_right(16)
            .x_label_area_size(48)
            .y_label_area_size(84)
            .build_cartesian_2d(
                ticked(0.0, nx as f64, centres(nx)),
                ticked(0.0, ny as f64, centres(ny)),
            )?;
        let label_of = |values: &Values, v: f64| {
            values
                .labels
                .get(v.floor() as usize)
                .cloned()
                .unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(self.x_key)
            .y_desc(self.series_key.unwrap_or(""))
            .x_label_formatter(&|v| label_of(&xs, *v))
            .y_label_formatter(&|v| label_of(&series, *v))
            .label_style(tick_style())
            .axis_desc_style(label_style())
            .draw()?;
        let show_text = nx <= 16 && ny <= 16;
        for cell in self.cells {
            let (Some(i), Some(j)) = (
                xs.index(&cell.x),
                cell.series.as_deref().and_then(|s| series.index(s)),
            ) else {
                continue;
            };
            let (x, y) = (i as f64, j as f64);
            let (fill, text, text_color) = match cell.p95_seconds {
                Some(p95) => {
                    let t = scale(p95);
                    (
                        heat(t),
                        format_tick(p95),
                        if t > 0.55 { WHITE } else { INK },
                    )
                }
                None => (LIGHT_GREY, "none".to_string(), INK),
            };
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x, y), (x + 1.0, y + 1.0)],
                fill.filled(),
            )))?;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x, y), (x + 1.0, y + 1.0)],
                WHITE.stroke_width(1),
            )))?;
            if cell.meets_target == Some(true) {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x + 0.06, y + 0.08), (x + 0.94, y + 0.92)],
                    EMERALD.stroke_width(4),
                )))?;
            }
            if show_text {
                chart.draw_series(std::iter::once(Text::new(
                    text,
                    (x + 0.5, y + 0.5),
                    (FAMILY, TICK_SIZE)
                        .into_font()
                        .color(&text_color)
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                )))?;
            }
        }
        // The colour scale.
        let steps = 5;
        let mut items: Vec<(String, Mark)> = (0..steps)
            .map(|k| {
                let t = k as f64 / (steps - 1) as f64;
                (
                    format_tick(lowest + (highest - lowest) * t),
                    Mark::Block(heat(t)),
                )
            })
            .collect();
        if let Some(target) = self.target_seconds
            && self.cells.iter().any(|c| c.meets_target == Some(true))
        {
            items.push((
                format!("framed: {}", self.meets_words(target)),
                Mark::Ring(EMERALD),
            ));
        }
        draw_legend(legend_area, 50, Some("p95 deploy time"), &items)?;
        Ok(())
    }
}

/// A colour scale from pale yellow (fast) to dark blue (slow), 0-1.
fn heat(t: f64) -> RGBColor {
    const STOPS: [(f64, f64, f64); 5] = [
        (255.0, 247.0, 188.0),
        (161.0, 218.0, 180.0),
        (65.0, 182.0, 196.0),
        (44.0, 127.0, 184.0),
        (37.0, 52.0, 148.0),
    ];
    let t = t.clamp(0.0, 1.0) * (STOPS.len() - 1) as f64;
    let i = (t.floor() as usize).min(STOPS.len() - 2);
    let f = t - i as f64;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let mix = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check_png, check_svg};
    use super::*;

    fn cell(x: &str, series: Option<&str>, p95: Option<f64>) -> SweepCell {
        SweepCell {
            x: x.to_string(),
            series: series.map(str::to_string),
            p95_seconds: p95,
            meets_target: None,
        }
    }

    #[test]
    fn lines_for_a_few_series() {
        let mut cells = Vec::new();
        for (k, mode) in ["event", "polling"].iter().enumerate() {
            for spare in 0..5 {
                let p95 = (spare > 0).then(|| 2400.0 / spare as f64 + 60.0 * k as f64);
                cells.push(cell(&spare.to_string(), Some(mode), p95));
            }
        }
        let chart = SweepChart {
            scenario: "ecs-blog",
            x_key: "cluster.spare_hosts",
            series_key: Some("agent.mode"),
            cells: &cells,
            confidence: 0.95,
            question_note: None,
            target_seconds: None,
        };
        assert!(!chart.is_heatmap());
        check_svg(&chart, &["agent.mode", "polling", "p95 deploy time"]);
        check_png(&chart);
    }

    #[test]
    fn one_key_is_one_line() {
        let cells: Vec<SweepCell> = ["60s", "300s", "600s"]
            .iter()
            .enumerate()
            .map(|(i, x)| cell(x, None, Some(300.0 + 200.0 * i as f64)))
            .collect();
        let chart = SweepChart {
            scenario: "ecs-blog",
            x_key: "draining.deregistration_delay",
            series_key: None,
            cells: &cells,
            confidence: 0.95,
            question_note: None,
            target_seconds: None,
        };
        check_svg(&chart, &["300s"]);
    }

    // With a target: the dashed line and a ring for each point where 95% of runs met
    // it, both in the legend; without a meeting point, no ring entry.
    #[test]
    fn the_target_and_the_points_that_meet_it_are_marked() {
        let mut cells: Vec<SweepCell> = (1..=4)
            .map(|spare| {
                let mut c = cell(&spare.to_string(), None, Some(2400.0 / spare as f64));
                c.meets_target = Some(2400.0 / spare as f64 <= 900.0);
                c
            })
            .collect();
        let chart = SweepChart {
            scenario: "ecs-blog",
            x_key: "cluster.spare_hosts",
            series_key: None,
            cells: &cells,
            confidence: 0.95,
            question_note: None,
            target_seconds: Some(900.0),
        };
        check_svg(&chart, &["target 15m", "95% of runs within 15m"]);
        check_png(&chart);
        for c in &mut cells {
            c.meets_target = Some(false);
        }
        let chart = SweepChart {
            scenario: "ecs-blog",
            x_key: "cluster.spare_hosts",
            series_key: None,
            cells: &cells,
            confidence: 0.95,
            question_note: None,
            target_seconds: Some(900.0),
        };
        let svg = super::super::svg(&chart).unwrap();
        assert!(svg.contains("target 15m"));
        assert!(
            !svg.contains("95% of runs within"),
            "no ring, no legend entry"
        );
    }

    // sweep --target at 90%: the legend names the verdict and the question's share (the
    // label wraps before "15m"), and the caption says the points' runs differ.
    #[test]
    fn a_question_names_its_share_and_the_runs_behind_each_point() {
        let cells: Vec<SweepCell> = (1..=4)
            .map(|spare| {
                let mut c = cell(&spare.to_string(), None, Some(2400.0 / spare as f64));
                c.meets_target = Some(spare >= 3);
                c
            })
            .collect();
        let chart = SweepChart {
            scenario: "ecs-blog",
            x_key: "cluster.spare_hosts",
            series_key: None,
            cells: &cells,
            confidence: 0.9,
            question_note: Some("each over its own 50-200 runs".into()),
            target_seconds: Some(900.0),
        };
        check_svg(
            &chart,
            &[
                "meets: 90% of runs within",
                "over the completed runs; each over its own 50-200 runs",
            ],
        );
        check_png(&chart);
    }

    #[test]
    fn heatmap_when_dense_and_numeric() {
        let mut cells = Vec::new();
        for spare in 1..=6 {
            for percent in [50, 75, 90, 100] {
                let p95 = 3000.0 / spare as f64 * (1.0 + (100 - percent) as f64 / 100.0);
                cells.push(cell(
                    &spare.to_string(),
                    Some(&percent.to_string()),
                    Some(p95),
                ));
            }
        }
        let chart = SweepChart {
            scenario: "ecs-blog",
            x_key: "cluster.spare_hosts",
            series_key: Some("deployment.minimum_healthy_percent"),
            cells: &cells,
            confidence: 0.95,
            question_note: None,
            target_seconds: None,
        };
        assert!(chart.is_heatmap());
        check_svg(&chart, &["deployment.minimum_healthy_percent", "50m"]);
        check_png(&chart);
    }
}

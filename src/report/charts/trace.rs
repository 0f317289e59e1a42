//! `trace`: one replication over time. Above, the scheduler's task counts with MIN and MAX
//! as lines; below, one lane per host showing each task's state (pulling, starting,
//! checking, healthy, draining, stopping), old revision pale and new revision solid.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::*;
use super::{DrawResult, Figure};

/// The scheduler's counts from `time` on (until the next point).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CountsPoint {
    pub time: f64,
    pub healthy: u32,
    pub active: u32,
    pub old_active: u32,
    pub new_active: u32,
    pub new_healthy: u32,
    /// Hosts that can take tasks (changes with managed scaling and host failures).
    pub hosts_up: u32,
}

/// A task's state as the lanes colour it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaskState {
    /// Placed: the agent has yet to notice it, or is pulling its image.
    Pulling,
    /// Image pulled, container starting.
    Starting,
    /// Running: registering, warming up, passing health checks.
    Checking,
    Healthy,
    /// Told to stop: deregistering from the load balancer.
    Draining,
    /// Drained: the agent stops the container and reports it stopped.
    Stopping,
}

impl TaskState {
    pub const ALL: [TaskState; 6] = [
        TaskState::Pulling,
        TaskState::Starting,
        TaskState::Checking,
        TaskState::Healthy,
        TaskState::Draining,
        TaskState::Stopping,
    ];

    pub fn name(self) -> &'static str {
        match self {
            TaskState::Pulling => "placed, pulling",
            TaskState::Starting => "starting",
            TaskState::Checking => "health checks",
            TaskState::Healthy => "healthy",
            TaskState::Draining => "draining",
            TaskState::Stopping => "stopping",
        }
    }

    fn color(self) -> RGBColor {
        match self {
            TaskState::Pulling => SKY,
            TaskState::Starting => AZURE,
            TaskState::Checking => LEMON,
            TaskState::Healthy => EMERALD,
            TaskState::Draining => ORANGE,
            TaskState::Stopping => VERMILLION,
        }
    }
}

/// One task in one state on one host, from `start` to `end` seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LaneSegment {
    pub host: u32,
    pub task: u32,
    pub old: bool,
    pub state: TaskState,
    pub start: f64,
    pub end: f64,
}

#[derive(Clone, Debug)]
pub struct TraceChart<'a> {
    pub scenario: &'a str,
    pub seed: u64,
    pub replication: u64,
    /// How the replication ended (`completed`, `stuck`, ...).
    pub outcome: &'a str,
    /// When it ended, in seconds.
    pub end: f64,
    pub desired: u32,
    pub min_healthy: u32,
    pub max_active: u32,
    /// A Kubernetes Deployment: the limits are `D + surge` pods and `D - unavailable`
    /// available, and a deleted pod is terminating rather than draining.
    pub pods: bool,
    /// Kubernetes: when the rollout completed, if before `end` (the last old pod gone).
    pub completed: Option<f64>,
    /// Hosts `service_hosts..service_hosts + spare_hosts` are the spares; later ids were
    /// launched by scaling. When not every host fits, these are shown first.
    pub service_hosts: u32,
    pub spare_hosts: u32,
    /// In time order; the first point is at 0.
    pub counts: &'a [CountsPoint],
    pub segments: &'a [LaneSegment],
    /// Blue/green, linear and canary: the new revision's share of production traffic as
    /// (time, percent) from 0 on, and the stages. Empty for a rolling update; when given,
    /// a traffic panel is drawn and MIN/MAX (which do not apply) are not.
    pub traffic: &'a [(f64, f64)],
    pub stages: &'a [StageBand],
    /// What a lane is: `"host"`, or `"zone"` on Fargate (no hosts: a task's lane is its zone).
    pub lane: &'a str,
}

/// One stage of a traffic-shifting deployment, from `start` to `end` seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StageBand {
    pub name: &'static str,
    pub start: f64,
    pub end: f64,
}

/// Height of the traffic panel, when there is one.
const TRAFFIC_HEIGHT: u32 = 230;

/// Stage band colours, in stage order (pale in the drawing).
const STAGE_COLORS: [RGBColor; 7] = [SKY, LEMON, ORANGE, PURPLE, EMERALD, GREY, VERMILLION];

/// Stroke widths of the count lines in drawing order: nested, so coinciding lines all
/// show (a wide line with narrower ones inside it).
const LINE_WIDTHS: [f64; 5] = [10.0, 7.0, 4.5, 2.5, 2.5];

/// Hosts beyond this many are left out of the lanes (the caption says so).
const MAX_LANE_ROWS: usize = 60;
const TIMELINE_HEIGHT: u32 = 360;
/// Pixels per lane row: roomy for a few hosts, tighter for many.
fn row_height(rows: usize) -> u32 {
    if rows > 30 { 12 } else { 18 }
}

/// Lane layout: per shown host, its first row and its number of rows (one per task that
/// overlaps another on that host).
struct Lanes {
    hosts: Vec<(u32, usize, usize)>,
    /// Row of each segment (by index), `None` when its host is not shown.
    rows: Vec<Option<usize>>,
    total_rows: usize,
    hidden_hosts: usize,
}

/// One host's lanes: the host, each task's row within it, and how many rows it needs.
type HostRows = (u32, Vec<(u32, usize)>, usize);

/// Each host's tasks in rows: greedy interval partitioning, each task taking the first row
/// free at its start.
fn host_rows(segments: &[LaneSegment]) -> Vec<HostRows> {
    use std::collections::BTreeMap;
    // Each task's span on its host.
    let mut spans: BTreeMap<u32, BTreeMap<u32, (f64, f64)>> = BTreeMap::new();
    for s in segments {
        let span = spans
            .entry(s.host)
            .or_default()
            .entry(s.task)
            .or_insert((s.start, s.end));
        span.0 = span.0.min(s.start);
        span.1 = span.1.max(s.end);
    }
    spans
        .into_iter()
        .map(|(host, tasks)| {
            let mut by_start: Vec<(u32, (f64, f64))> = tasks.into_iter().collect();
            by_start.sort_by(|a, b| a.1.0.total_cmp(&b.1.0).then(a.0.cmp(&b.0)));
            let mut row_ends: Vec<f64> = Vec::new();
            let mut assigned = Vec::new();
            for (task, (start, end)) in by_start {
                let row = match row_ends.iter().position(|e| *e <= start) {
                    Some(r) => r,
                    None => {
                        row_ends.push(f64::NEG_INFINITY);
                        row_ends.len() - 1
                    }
                };
                row_ends[row] = end;
                assigned.push((task, row));
            }
            (host, assigned, row_ends.len())
        })
        .collect()
}

/// The lanes, hosts in id order; when they do not all fit in `MAX_LANE_ROWS` rows, the
/// hosts from `first_extra` on (spare and scaled-out hosts, where a deploy's new tasks
/// start) come first, then the service hosts in id order until the rows run out.
fn lay_out(segments: &[LaneSegment], first_extra: u32) -> Lanes {
    use std::collections::BTreeMap;
    let mut per_host = host_rows(segments);
    let needed: usize = per_host.iter().map(|(_, _, rows)| rows).sum();
    if needed > MAX_LANE_ROWS {
        per_host.sort_by_key(|(host, _, _)| (*host < first_extra, *host));
    }
    let mut hosts = Vec::new();
    let mut task_row: BTreeMap<(u32, u32), usize> = BTreeMap::new();
    let mut next_row = 0;
    let mut hidden_hosts = 0;
    for (host, assigned, rows) in per_host {
        if next_row + rows > MAX_LANE_ROWS {
            hidden_hosts += 1;
            continue;
        }
        for (task, row) in assigned {
            task_row.insert((host, task), next_row + row);
        }
        hosts.push((host, next_row, rows));
        next_row += rows;
    }
    Lanes {
        rows: segments
            .iter()
            .map(|s| task_row.get(&(s.host, s.task)).copied())
            .collect(),
        hosts,
        total_rows: next_row,
        hidden_hosts,
    }
}

impl TraceChart<'_> {
    /// "host 3", "spare 5", "scaled 12": spare and scaled-out hosts named as such.
    fn host_name(&self, host: u32) -> String {
        if self.lane != "host" {
            format!("{} {host}", self.lane)
        } else if host < self.service_hosts {
            format!("host {host}")
        } else if host < self.service_hosts + self.spare_hosts {
            format!("spare {host}")
        } else {
            format!("scaled {host}")
        }
    }

    /// The traffic panel: the stages as pale bands, the new revision's share of
    /// production traffic as a step line on top.
    fn draw_traffic<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        low: f64,
        high: f64,
        end: f64,
        ticks: &[f64],
    ) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let (plot, legend_area) = area.split_horizontally(area.dim_in_pixel().0 - LEGEND_WIDTH);
        let mut chart = ChartBuilder::on(&plot)
            .caption(
                "Production traffic on the new revision, by stage",
                caption_style(),
            )
            .margin_right(16)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(
                ticked(low, high, ticks.to_vec()),
                ticked(0.0, 105.0, vec![0.0, 25.0, 50.0, 75.0, 100.0]),
            )?;
        chart
            .configure_mesh()
            .x_desc("time since the deploy began")
            .y_desc("% of traffic")
            .x_label_formatter(&|v| format_tick(*v))
            .y_label_formatter(&|v| format!("{v:.0}%"))
            .label_style(tick_style())
            .axis_desc_style(label_style())
            .bold_line_style(LIGHT_GREY.mix(0.6))
            .light_line_style(TRANSPARENT)
            .draw()?;
        let color_of = |name: &str| {
            let index = self.stages.iter().position(|s| s.name == name).unwrap_or(0);
            STAGE_COLORS[index % STAGE_COLORS.len()]
        };
        chart.draw_series(self.stages.iter().filter(|s| s.end > s.start).map(|s| {
            Rectangle::new(
                [(s.start, 0.0), (s.end, 105.0)],
                color_of(s.name).mix(0.22).filled(),
            )
        }))?;
        let mut corners: Vec<(f64, f64)> = Vec::with_capacity(2 * self.traffic.len() + 1);
        for &(time, percent) in self.traffic {
            if let Some(&(_, previous)) = corners.last() {
                corners.push((time, previous));
            }
            corners.push((time, percent));
        }
        if let Some(&(_, last)) = corners.last() {
            corners.push((end, last));
        }
        chart.draw_series(LineSeries::new(corners, EMERALD.stroke_width(3)))?;
        let mut legend: Vec<(String, Mark)> =
            vec![("new revision's share".to_string(), Mark::Line(EMERALD))];
        let mut named: Vec<&str> = Vec::new();
        for stage in self.stages.iter().filter(|s| s.end > s.start) {
            if !named.contains(&stage.name) {
                named.push(stage.name);
                legend.push((stage.name.to_string(), Mark::Block(color_of(stage.name))));
            }
        }
        draw_legend(&legend_area, 40, None, &legend)?;
        Ok(())
    }

    fn lanes_height(&self, lanes: &Lanes) -> u32 {
        124 + row_height(lanes.total_rows) * lanes.total_rows.max(1) as u32
    }
}

impl Figure for TraceChart<'_> {
    fn size(&self) -> (u32, u32) {
        let lanes = lay_out(self.segments, self.service_hosts);
        let traffic = if self.traffic.is_empty() {
            0
        } else {
            TRAFFIC_HEIGHT
        };
        (
            1000,
            48 + TIMELINE_HEIGHT + traffic + self.lanes_height(&lanes),
        )
    }

    fn title(&self) -> String {
        if let Some(completed) = self.completed {
            return format!(
                "How did this rollout of {} unfold? (seed {}, replication {}: completed at {}, last old pod gone at {})",
                self.scenario,
                self.seed,
                self.replication,
                format_tick(completed),
                format_tick(self.end)
            );
        }
        format!(
            "How did this deploy of {} unfold? (seed {}, replication {}: {} at {})",
            self.scenario,
            self.seed,
            self.replication,
            self.outcome,
            format_tick(self.end)
        )
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let lanes = lay_out(self.segments, self.service_hosts);
        let end = self.end.max(1e-3);
        let (low, high) = (0.0, end * 1.02);
        let ticks = duration_ticks(low, high, 11);
        let (top, bottom) = area.split_vertically(TIMELINE_HEIGHT);
        let bottom = if self.traffic.is_empty() {
            bottom
        } else {
            let (traffic, rest) = bottom.split_vertically(TRAFFIC_HEIGHT);
            self.draw_traffic(&traffic.margin(14, 0, 0, 0), low, high, end, &ticks)?;
            rest
        };
        let bottom = bottom.margin(14, 0, 0, 0);
        let (top_plot, top_legend) = top.split_horizontally(top.dim_in_pixel().0 - LEGEND_WIDTH);
        let (bottom_plot, bottom_legend) =
            bottom.split_horizontally(bottom.dim_in_pixel().0 - LEGEND_WIDTH);

        // Counts over time, as steps; hosts too when scaling or failures change them.
        let hosts_vary = self
            .counts
            .windows(2)
            .any(|pair| pair[0].hosts_up != pair[1].hosts_up);
        let highest = self
            .counts
            .iter()
            .map(|c| {
                let tasks = c.active.max(c.healthy);
                if hosts_vary {
                    tasks.max(c.hosts_up)
                } else {
                    tasks
                }
            })
            .max()
            .unwrap_or(0)
            .max(self.max_active)
            .max(self.desired);
        let y_top = highest as f64 * 1.08 + 0.5;
        let mut chart = ChartBuilder::on(&top_plot)
            .caption(
                if self.pods {
                    "Pods the controllers count (bound and not terminating; equal counts: lines nested, widest first)"
                } else {
                    "Tasks the scheduler counts (equal counts: lines nested, widest first)"
                },
                caption_style(),
            )
            .margin_right(16)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(
                ticked(low, high, ticks.clone()),
                ticked(0.0, y_top, count_ticks(highest, 8)),
            )?;
        chart
            .configure_mesh()
            .x_desc("time since the deploy began")
            .y_desc("tasks")
            .x_label_formatter(&|v| format_tick(*v))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .label_style(tick_style())
            .axis_desc_style(label_style())
            .bold_line_style(LIGHT_GREY.mix(0.6))
            .light_line_style(TRANSPARENT)
            .draw()?;
        let mut series: Vec<Series> = vec![
            ("active", AZURE, |c| c.active),
            ("healthy", EMERALD, |c| c.healthy),
            ("old active", ORANGE, |c| c.old_active),
            ("new healthy", PURPLE, |c| c.new_healthy),
        ];
        if hosts_vary {
            series.push(("hosts up", GREY, |c| c.hosts_up));
        }
        // Lines are drawn at their true values. Equal counts would hide each other, so
        // the lines are nested: the first drawn widest, each later one narrower on top.
        // Each step is a filled band (plotters' thick polylines leave gaps at the joins
        // of many short steps).
        let (plot_w, plot_h) = chart.plotting_area().dim_in_pixel();
        let x_per_px = (high - low) / plot_w.max(1) as f64;
        let y_per_px = y_top / plot_h.max(1) as f64;
        for (k, (_, color, value)) in series.iter().enumerate() {
            let half = LINE_WIDTHS[k.min(LINE_WIDTHS.len() - 1)] / 2.0;
            let (hx, hy) = (half * x_per_px, half * y_per_px);
            let corners = steps(self.counts, end, *value);
            chart.draw_series(corners.windows(2).map(|pair| {
                let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
                Rectangle::new(
                    [
                        (x0.min(x1) - hx, y0.min(y1) - hy),
                        (x0.max(x1) + hx, y0.max(y1) + hy),
                    ],
                    color.filled(),
                )
            }))?;
        }
        let mut legend: Vec<(String, Mark)> = series
            .iter()
            .map(|(name, color, _)| (name.to_string(), Mark::Line(*color)))
            .collect();
        // MIN and MAX bound a rolling update only.
        if self.traffic.is_empty() {
            let limit = |value: u32| [(low, value as f64), (high, value as f64)];
            chart.draw_series(DashedLineSeries::new(
                limit(self.max_active),
                8,
                6,
                INK.stroke_width(2),
            ))?;
            chart.draw_series(DashedLineSeries::new(
                limit(self.min_healthy),
                8,
                6,
                VERMILLION.stroke_width(2),
            ))?;
            let (max_label, min_label) = if self.pods {
                (
                    format!("max {} pods (D+surge)", self.max_active),
                    format!("min {} available", self.min_healthy),
                )
            } else {
                (
                    format!("MAX = {} active", self.max_active),
                    format!("MIN = {} healthy", self.min_healthy),
                )
            };
            legend.push((max_label, Mark::Dashed(INK)));
            legend.push((min_label, Mark::Dashed(VERMILLION)));
        }
        draw_legend(&top_legend, 40, None, &legend)?;

        // Lanes: one band per host, one row per task sharing the host at once.
        let rows = lanes.total_rows.max(1) as f64;
        let host_centres: Vec<f64> = lanes
            .hosts
            .iter()
            .map(|(_, first, count)| rows - *first as f64 - *count as f64 / 2.0)
            .collect();
        let host_label = |y: &f64| {
            host_centres
                .iter()
                .position(|c| (c - y).abs() < 1e-6)
                .map(|i| self.host_name(lanes.hosts[i].0))
                .unwrap_or_default()
        };
        let caption = if lanes.hidden_hosts > 0 {
            format!(
                "Each task by {} and state ({} {}s, spare and scaled first; {} more not shown)",
                self.lane,
                lanes.hosts.len(),
                self.lane,
                lanes.hidden_hosts
            )
        } else {
            format!("Each task by {} and state", self.lane)
        };
        let mut chart = ChartBuilder::on(&bottom_plot)
            .caption(caption, caption_style())
            .margin_right(16)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(
                ticked(low, high, ticks),
                ticked(0.0, rows, host_centres.clone()),
            )?;
        chart
            .configure_mesh()
            .x_desc("time since the deploy began")
            .x_label_formatter(&|v| format_tick(*v))
            .y_label_formatter(&host_label)
            .label_style(tick_style())
            .axis_desc_style(label_style())
            .disable_y_mesh()
            .bold_line_style(LIGHT_GREY.mix(0.6))
            .light_line_style(TRANSPARENT)
            .draw()?;
        // Lines between hosts.
        chart.draw_series(lanes.hosts.iter().skip(1).map(|(_, first, _)| {
            let y = rows - *first as f64;
            PathElement::new([(low, y), (high, y)], LIGHT_GREY.stroke_width(1))
        }))?;
        // A state lasting less than 2 px is widened to 2 px, so every state the legend
        // lists can be seen.
        let min_width = 2.0 * (high - low) / chart.plotting_area().dim_in_pixel().0.max(1) as f64;
        chart.draw_series(
            self.segments
                .iter()
                .zip(&lanes.rows)
                .filter_map(|(segment, row)| {
                    let row = (*row)? as f64;
                    let y1 = rows - row - 0.12;
                    let y0 = rows - row - 0.88;
                    let color = segment.state.color();
                    let fill = if segment.old {
                        color.mix(0.35).filled()
                    } else {
                        color.filled()
                    };
                    let end = segment.end.max(segment.start + min_width);
                    Some(Rectangle::new([(segment.start, y0), (end, y1)], fill))
                }),
        )?;
        // Only the states (and the old revision) that a shown lane draws.
        let shown: Vec<&LaneSegment> = self
            .segments
            .iter()
            .zip(&lanes.rows)
            .filter(|(_, row)| row.is_some())
            .map(|(segment, _)| segment)
            .collect();
        let mut legend: Vec<(String, Mark)> = TaskState::ALL
            .iter()
            .filter(|state| shown.iter().any(|s| s.state == **state))
            .map(|s| {
                let name = match s {
                    TaskState::Draining if self.pods => "terminating",
                    TaskState::Checking if self.pods => "readiness probe",
                    _ => s.name(),
                };
                (name.to_string(), Mark::Block(s.color()))
            })
            .collect();
        if shown.iter().any(|s| s.old) {
            legend.push(("pale: old revision".to_string(), Mark::Pale(EMERALD)));
        }
        draw_legend(&bottom_legend, 40, None, &legend)?;
        Ok(())
    }
}

/// A line of the timeline: its name, colour and which count it draws.
type Series = (&'static str, RGBColor, fn(&CountsPoint) -> u32);

/// A count as a step function from 0 to `end`: only the corners, so thick lines join
/// cleanly (repeated or collinear points make plotters draw spikes at the joins). Of
/// several points at one instant the last counts.
fn steps(counts: &[CountsPoint], end: f64, value: fn(&CountsPoint) -> u32) -> Vec<(f64, f64)> {
    let mut points: Vec<(f64, f64)> = Vec::with_capacity(2 * counts.len() + 1);
    for (i, point) in counts.iter().enumerate() {
        if counts
            .get(i + 1)
            .is_some_and(|next| next.time == point.time)
        {
            continue;
        }
        let v = value(point) as f64;
        match points.last().copied() {
            None => points.push((point.time.min(0.0), v)),
            Some((_, previous)) if previous == v => {}
            Some((_, previous)) => {
                points.push((point.time, previous));
                points.push((point.time, v));
            }
        }
    }
    if let Some(&(_, last)) = points.last() {
        points.push((end, last));
    }
    points
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check_png, check_svg};
    use super::*;

    fn segment(
        host: u32,
        task: u32,
        old: bool,
        state: TaskState,
        start: f64,
        end: f64,
    ) -> LaneSegment {
        LaneSegment {
            host,
            task,
            old,
            state,
            start,
            end,
        }
    }

    #[test]
    fn renders_svg_and_png() {
        let counts = [
            CountsPoint {
                time: 0.0,
                healthy: 2,
                active: 2,
                old_active: 2,
                new_active: 0,
                new_healthy: 0,
                hosts_up: 3,
            },
            CountsPoint {
                time: 0.0,
                healthy: 2,
                active: 3,
                old_active: 2,
                new_active: 1,
                new_healthy: 0,
                hosts_up: 3,
            },
            CountsPoint {
                time: 60.0,
                healthy: 3,
                active: 3,
                old_active: 2,
                new_active: 1,
                new_healthy: 1,
                hosts_up: 3,
            },
            CountsPoint {
                time: 61.0,
                healthy: 2,
                active: 2,
                old_active: 1,
                new_active: 1,
                new_healthy: 1,
                hosts_up: 3,
            },
        ];
        let segments = [
            segment(0, 0, true, TaskState::Healthy, 0.0, 61.0),
            segment(0, 0, true, TaskState::Draining, 61.0, 361.0),
            segment(0, 0, true, TaskState::Stopping, 361.0, 364.0),
            segment(1, 1, true, TaskState::Healthy, 0.0, 400.0),
            segment(2, 2, false, TaskState::Pulling, 0.0, 20.0),
            segment(2, 2, false, TaskState::Starting, 20.0, 24.0),
            segment(2, 2, false, TaskState::Checking, 24.0, 60.0),
            segment(2, 2, false, TaskState::Healthy, 60.0, 400.0),
            segment(0, 3, false, TaskState::Pulling, 100.0, 400.0),
        ];
        let chart = TraceChart {
            scenario: "tiny",
            seed: 1,
            replication: 0,
            outcome: "completed",
            end: 400.0,
            desired: 2,
            min_healthy: 2,
            max_active: 4,
            pods: false,
            completed: None,
            service_hosts: 2,
            spare_hosts: 1,
            counts: &counts,
            segments: &segments,
            traffic: &[],
            stages: &[],
            lane: "host",
        };
        let lanes = lay_out(&segments, 2);
        assert_eq!(lanes.total_rows, 4, "host 0's two tasks overlap: two rows");
        check_svg(
            &chart,
            &["MIN = 2 healthy", "MAX = 4 active", "spare 2", "draining"],
        );
        check_png(&chart);
    }
    // 100 service hosts of one long task each and 5 spares: 105 rows do not fit in 60, so
    // the spares (ids 100-104, where the new tasks start) are shown first, then service
    // hosts 0-54.
    #[test]
    fn spare_hosts_come_first_when_hosts_are_cut() {
        let mut segments: Vec<LaneSegment> = (0..100)
            .map(|h| segment(h, h, true, TaskState::Healthy, 0.0, 100.0))
            .collect();
        segments.extend((100..105).map(|h| segment(h, h, false, TaskState::Pulling, 0.0, 10.0)));
        let lanes = lay_out(&segments, 100);
        let shown: Vec<u32> = lanes.hosts.iter().map(|(h, _, _)| *h).collect();
        assert_eq!(&shown[..5], &[100, 101, 102, 103, 104]);
        assert_eq!(&shown[5..], &(0..55).collect::<Vec<u32>>()[..]);
        assert_eq!(lanes.hidden_hosts, 45);
        // When every host fits, they stay in id order.
        let few = lay_out(&segments[95..], 100);
        let order: Vec<u32> = few.hosts.iter().map(|(h, _, _)| *h).collect();
        assert_eq!(order, (95..105).collect::<Vec<u32>>());
    }

    // The lanes' legend lists only what the lanes draw: here healthy old tasks alone, so
    // neither "draining" nor any new-revision state appears, but the old revision does.
    #[test]
    fn the_legend_lists_only_what_is_drawn() {
        let counts = [CountsPoint {
            time: 0.0,
            healthy: 1,
            active: 1,
            old_active: 1,
            new_active: 0,
            new_healthy: 0,
            hosts_up: 1,
        }];
        let segments = [segment(0, 0, true, TaskState::Healthy, 0.0, 50.0)];
        let chart = TraceChart {
            scenario: "s",
            seed: 1,
            replication: 0,
            outcome: "stuck",
            end: 50.0,
            desired: 1,
            min_healthy: 1,
            max_active: 1,
            pods: false,
            completed: None,
            service_hosts: 1,
            spare_hosts: 0,
            counts: &counts,
            segments: &segments,
            traffic: &[],
            stages: &[],
            lane: "host",
        };
        let svg = check_svg(&chart, &["healthy", "pale: old revision"]);
        for absent in ["draining", "stopping", "placed, pulling", "health checks"] {
            assert!(
                !svg.contains(absent),
                "{absent} is in the legend but not drawn"
            );
        }
    }
}

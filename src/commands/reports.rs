//! Writing each command's charts and `report.html` beside its data files.

use std::path::{Path, PathBuf};

use crate::experiment::Summary;
use crate::model::{Params, ReplicationResult, Step};
use crate::output::write_atomic;
use crate::report::{self, RenderedChart, RunInfo, TraceInfo};
use crate::scenario::Scenario;

/// Writes each chart as `<stem>.svg` and `<stem>.png` in `folder`; returns the paths.
pub(super) fn write_charts(
    folder: &Path,
    charts: &[RenderedChart],
) -> anyhow::Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for chart in charts {
        let svg = folder.join(format!("{}.svg", chart.stem));
        let png = folder.join(format!("{}.png", chart.stem));
        write_atomic(&svg, chart.svg.as_bytes())?;
        write_atomic(&png, &chart.png)?;
        paths.extend([svg, png]);
    }
    Ok(paths)
}

/// `run`: the charts and `report.html` in the run's folder, after the files already
/// written (`written`). Returns every path written, those first.
pub fn write_run_reports(
    folder: &Path,
    info: &RunInfo,
    summary: &Summary,
    costs: &crate::experiment::costs::DailyCost,
    scenario: &Scenario,
    results: &[ReplicationResult],
    written: Vec<PathBuf>,
) -> anyhow::Result<Vec<PathBuf>> {
    let charts = report::run_charts(&scenario.name, results, summary)?;
    let mut paths = written;
    paths.extend(write_charts(folder, &charts)?);
    let html_path = folder.join("report.html");
    paths.push(html_path.clone());
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let html = report::run_report_html(info, summary, costs, scenario, &charts, &names);
    write_atomic(&html_path, html.as_bytes())?;
    Ok(paths)
}

/// `trace --out FILE.csv`: the CSV, then `FILE.svg`, `FILE.png` and `FILE.html` beside
/// it. Returns the paths written, the CSV's first.
#[allow(clippy::too_many_arguments)]
pub fn write_trace_reports(
    csv_path: &Path,
    csv: &[u8],
    info: &TraceInfo<'_>,
    scenario: &Scenario,
    params: &Params,
    result: &ReplicationResult,
    steps: &[Step],
) -> anyhow::Result<Vec<PathBuf>> {
    let mut chart = report::trace_chart(
        &scenario.name,
        params,
        info.seed,
        info.replication,
        result,
        steps,
    )?;
    let stem = csv_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "trace".to_string());
    chart.stem = stem;
    let folder = csv_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    for extension in ["svg", "png", "html"] {
        if folder.join(format!("{}.{extension}", chart.stem)) == csv_path {
            return Err(super::UsageError(format!(
                "--out {}: the chart and report are written beside the CSV under the same name, so give the CSV a .csv name",
                csv_path.display()
            ))
            .into());
        }
    }
    write_atomic(csv_path, csv)?;
    let mut paths = vec![csv_path.to_path_buf()];
    paths.extend(write_charts(folder, std::slice::from_ref(&chart))?);
    let html_path = folder.join(format!("{}.html", chart.stem));
    paths.push(html_path.clone());
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let html = report::trace_report_html(info, params, result, scenario, &chart, &names);
    write_atomic(&html_path, html.as_bytes())?;
    Ok(paths)
}

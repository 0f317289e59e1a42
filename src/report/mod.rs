//! Reports: pure functions from results to bytes. Nothing here runs a simulation or
//! touches a file.

pub mod charts;
mod cheapest;
mod compare;
pub mod costs;
mod csv;
mod fit;
pub mod html;
mod pages;
mod plan;
mod planning_pages;
mod sweep;
mod text;

pub use cheapest::{
    CHEAPEST_COLUMNS, cheapest_chart, cheapest_csv, cheapest_json, cheapest_notes,
    cheapest_report_html, cheapest_text,
};
pub use compare::{
    COMPARE_COLUMNS, CompareInfo, compare_chart, compare_csv, compare_json, compare_notes,
    compare_text,
};
pub use csv::{
    REASON_COLUMNS, REPLICATION_COLUMNS, reasons_csv, replications_csv, trace_csv,
    write_replications_csv,
};
pub use fit::{
    FIT_COLUMNS, FitInfo, FitRow, chart_notes as fit_chart_notes, fit_chart, fit_csv,
    fit_report_html, fit_text, verdict as fit_verdict,
};
pub use pages::{
    RenderedChart, TraceInfo, render, run_charts, run_report_html, trace_chart, trace_report_html,
    trace_series,
};
pub use plan::{PLAN_COLUMNS, plan_chart, plan_csv, plan_json, plan_notes, plan_text};
pub use planning_pages::{
    compare_report_html, plan_report_html, scenario_differences, sweep_report_html,
};
pub use sweep::{sweep_chart, sweep_columns, sweep_csv, sweep_json, sweep_text};
pub use text::run_summary_text;

use serde::Serialize;

use crate::experiment::Summary;
use crate::experiment::costs::DailyCost;
use crate::scenario::Scenario;

/// What a `run` was: enough to reproduce it.
#[derive(Clone, Debug, Serialize)]
pub struct RunInfo {
    pub scenario: String,
    pub file: String,
    pub runs: u32,
    pub seed: u64,
    /// The command line that reproduces this run.
    pub command: String,
}

#[derive(Serialize)]
struct SummaryDocument<'a> {
    run: &'a RunInfo,
    summary: &'a Summary,
    costs: &'a DailyCost,
    resolved_scenario: &'a Scenario,
}

/// `summary.json`: the run, its summary, and the resolved scenario.
pub fn summary_json(
    info: &RunInfo,
    summary: &Summary,
    costs: &DailyCost,
    scenario: &Scenario,
) -> String {
    let document = SummaryDocument {
        run: info,
        summary,
        costs,
        resolved_scenario: scenario,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("summaries serialise");
    text.push('\n');
    text
}

/// The scenario with every default filled in, as TOML: only the keys that apply (no
/// placement or autoscaling defaults on Fargate), so the text is itself a valid scenario.
pub fn resolved_scenario_toml(scenario: &Scenario) -> String {
    crate::scenario::applicable_toml(scenario)
}

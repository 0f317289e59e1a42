//! A scenario file read once and rebuilt with extra overrides, for the commands that run
//! many variants of it (`plan`, `sweep`, `cheapest`, `compare --set-b`).

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::experiment::sweep::{Axis, grid, point_overrides};
use crate::experiment::target::{Percentile, TARGET_FORMS, trim_number};
use crate::output::{folder_name, write_atomic};
use crate::report::{RenderedChart, RunInfo};
use crate::scenario::{self, Override, Scenario, ScenarioError};

use super::UsageError;

pub(super) struct Source {
    path: PathBuf,
    text: String,
    base: Vec<Override>,
}

/// Parses `--set`-style arguments; an error names the flag.
pub(super) fn parse_overrides(flag: &str, texts: &[String]) -> anyhow::Result<Vec<Override>> {
    texts
        .iter()
        .map(|text| {
            Override::parse(text).map_err(|e| UsageError(e.replacen("--set", flag, 1)).into())
        })
        .collect()
}

impl Source {
    /// Loads `path` with the `base` overrides (the scenario every variant starts from).
    pub(super) fn open(path: &Path, base: Vec<Override>) -> anyhow::Result<(Source, Scenario)> {
        let scenario = scenario::load(path, &base)?;
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Ok((
            Source {
                path: path.to_path_buf(),
                text,
                base,
            },
            scenario,
        ))
    }

    /// The scenario with `extra` applied after the base overrides.
    pub(super) fn with(&self, extra: &[Override]) -> Result<Scenario, ScenarioError> {
        let overrides: Vec<Override> = self.base.iter().chain(extra).cloned().collect();
        scenario::from_text(
            &self.text,
            &self.path.display().to_string(),
            self.path.parent().unwrap_or(Path::new(".")),
            &overrides,
        )
    }
}

/// Whether a scenario error is about `key` (or a key inside it) and came from an override.
pub(super) fn error_is_about(error: &ScenarioError, key: &str) -> bool {
    error.from_set
        && error.key.as_deref().is_some_and(|k| {
            k == key || k.starts_with(&format!("{key}.")) || key.starts_with(&format!("{k}."))
        })
}

/// A scenario error caused by one of `keys`, set by a flag other than `--set`: the error
/// without its "(from --set)" mark, which would point at the wrong flag.
pub(super) fn describe_for_flag(error: &ScenarioError, keys: &[&str]) -> String {
    match &error.key {
        Some(key) if keys.iter().any(|k| error_is_about(error, k)) => {
            format!("{}: key `{key}`: {}", error.file, error.message)
        }
        _ => error.to_string(),
    }
}

/// Checks runs and threads the way `run` does.
pub(super) fn check_runs_and_threads(runs: u32, threads: Option<usize>) -> anyhow::Result<()> {
    if runs == 0 {
        return Err(UsageError("--runs: must be at least 1".into()).into());
    }
    if threads == Some(0) {
        return Err(UsageError("--threads: must be at least 1".into()).into());
    }
    Ok(())
}

/// Writes a chart as `<stem>.svg` and `<stem>.png` in `folder`; returns their paths as text.
pub(super) fn write_chart(folder: &Path, chart: &RenderedChart) -> anyhow::Result<Vec<String>> {
    let paths = super::reports::write_charts(folder, std::slice::from_ref(chart))?;
    Ok(paths.iter().map(|p| p.display().to_string()).collect())
}

/// What a question's reports say about the run: the scenario, its file, runs and seed.
pub(super) fn question_info(scenario: &Scenario, file: &Path, runs: u32, seed: u64) -> RunInfo {
    RunInfo {
        scenario: scenario.name.clone(),
        file: file.display().to_string(),
        runs,
        seed,
        command: super::command_line(),
    }
}

/// A question's files in its own folder, `out/<scenario>/<command>/` (so its report.html
/// does not replace run's or another question's): `<command>.csv`, the chart if there is
/// one, and `report.html`, which `html` builds from the list of every file written.
/// Returns that list.
pub(super) fn write_question_files(
    out: &Path,
    scenario: &str,
    command: &str,
    csv: &[u8],
    chart: Option<&RenderedChart>,
    html: impl FnOnce(&[String]) -> String,
) -> anyhow::Result<Vec<String>> {
    let folder = out.join(folder_name(scenario)).join(command);
    let csv_path = folder.join(format!("{command}.csv"));
    write_atomic(&csv_path, csv)?;
    let mut files = vec![csv_path.display().to_string()];
    if let Some(chart) = chart {
        files.extend(write_chart(&folder, chart)?);
    }
    let html_path = folder.join("report.html");
    files.push(html_path.display().to_string());
    write_atomic(&html_path, html(&files).as_bytes())?;
    Ok(files)
}

/// Parses `--vary` arguments; a key varied twice is an error.
pub(super) fn parse_axes(texts: &[String]) -> Result<Vec<Axis>, UsageError> {
    let axes = texts
        .iter()
        .map(|text| Axis::parse(text).map_err(UsageError))
        .collect::<Result<Vec<Axis>, UsageError>>()?;
    for (i, axis) in axes.iter().enumerate() {
        if axes[..i].iter().any(|other| other.key == axis.key) {
            return Err(UsageError(format!(
                "--vary {}: the key is varied twice; give all its values in one --vary",
                axis.key
            )));
        }
    }
    Ok(axes)
}

/// Every point of the grid of `axes`: its value labels and its scenario. A point that does
/// not validate is an error naming the point (and the key, when it is a varied one).
pub(super) fn grid_scenarios(
    source: &Source,
    axes: &[Axis],
) -> Result<Vec<(Vec<String>, Scenario)>, UsageError> {
    let mut points = Vec::new();
    for point in grid(axes).map_err(UsageError)? {
        let values: Vec<String> = axes
            .iter()
            .zip(&point)
            .map(|(axis, &i)| axis.values[i].label.clone())
            .collect();
        let built = source.with(&point_overrides(axes, &point)).map_err(|e| {
            let described: Vec<String> = axes
                .iter()
                .zip(&values)
                .map(|(axis, value)| format!("{}={value}", axis.key))
                .collect();
            if axes.iter().any(|axis| error_is_about(&e, &axis.key)) {
                UsageError(format!(
                    "--vary: the point {} is not valid: key `{}`: {}",
                    described.join(" "),
                    e.key.clone().unwrap_or_default(),
                    e.message
                ))
            } else {
                UsageError(format!(
                    "--vary: the point {} is not valid: {e}",
                    described.join(" ")
                ))
            }
        })?;
        points.push((values, built));
    }
    Ok(points)
}

/// The target in seconds and the share of all runs that must meet it, from `--target`
/// (a duration, or `pQ<DURATION`) and `--confidence`, or `simulation.target`. `example`
/// shows a `--target` in the error when neither is given.
pub(super) fn target_and_confidence(
    target: Option<&str>,
    confidence: Option<f64>,
    scenario: &Scenario,
    example: &str,
) -> Result<(f64, f64), UsageError> {
    let bad = |text: &str, e: String| {
        UsageError(format!("--target {text}: {e}; accepted: {TARGET_FORMS}"))
    };
    let percentile = match target {
        Some(text) => Percentile::parse(text).map_err(|e| bad(text, e))?,
        None => None,
    };
    let seconds = match (target, percentile) {
        (_, Some(p)) => p.seconds,
        (Some(text), None) => scenario::parse_duration(text)
            .map_err(|e| bad(text, e.to_string()))?
            .as_secs_f64(),
        (None, None) => match scenario.simulation.target {
            Some(target) => target.0.as_secs_f64(),
            None => {
                return Err(UsageError(format!(
                    "--target: required, since the scenario sets no simulation.target (e.g. --target {example})"
                )));
            }
        },
    };
    let confidence = match (percentile, confidence) {
        (Some(p), Some(given)) if (p.quantile - given).abs() > 1e-12 => {
            return Err(UsageError(format!(
                "--confidence {given}: the target {} already asks for {}% of deploys; give one or the other",
                target.unwrap_or_default(),
                trim_number(p.quantile * 100.0)
            )));
        }
        (Some(p), _) => p.quantile,
        (None, given) => given.unwrap_or(0.95),
    };
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(UsageError(format!(
            "--confidence {confidence}: must be strictly between 0 and 1, e.g. 0.95"
        )));
    }
    Ok((seconds, confidence))
}

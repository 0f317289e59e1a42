//! `deploysim fit`: fit duration keys to observed lifecycles, write them into a scenario
//! (or a `fitted.toml` fragment), and write the fit report.

use std::path::{Path, PathBuf};

use crate::cli::FitArgs;
use crate::import::fit::{KeyFit, Model, fit_key};
use crate::import::lifecycles::observe;
use crate::import::rewrite::{Assignment, empirical_csv, fitted_value, set_keys};
use crate::import::source::read_text;
use crate::import::{Document, ImportError, file_name};
use crate::output::write_atomic;
use crate::report::{self, FitInfo, FitRow, charts};

use super::{UsageError, command_line};

fn usage(error: ImportError) -> anyhow::Error {
    UsageError(error.to_string()).into()
}

pub fn fit(args: FitArgs) -> anyhow::Result<()> {
    let doc = Document::read_json(&args.observations).map_err(usage)?;
    let observed = observe(&doc).map_err(usage)?;
    if observed.samples.is_empty() {
        return Err(UsageError(format!(
            "{}: none of its {} {} has a complete pair of timestamps to measure; nothing to fit",
            doc.file,
            observed.count,
            if observed.kind.starts_with("kubectl") {
                "pods"
            } else {
                "tasks"
            }
        ))
        .into());
    }
    let fits: Vec<KeyFit> = observed
        .samples
        .iter()
        .map(|s| fit_key(s.key, s.span, &s.seconds))
        .collect();

    // Empirical files go beside the scenario they belong to.
    let (folder, prefix) = match &args.into {
        Some(path) => (
            path.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .to_path_buf(),
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "scenario".into()),
        ),
        None => (args.out.clone(), "fitted".to_string()),
    };
    let source = file_name(&doc.file);
    let mut assignments = Vec::new();
    let mut empirical: Vec<(PathBuf, String)> = Vec::new();
    let mut rows = Vec::new();
    for fit in &fits {
        let csv_name = format!("{prefix}.{}.csv", fit.key);
        let value = fitted_value(fit, &csv_name);
        if let Some(value) = &value {
            let how = match &fit.model {
                Model::LogNormal(_) => format!(
                    "log-normal (MLE), KS D = {:.4} <= {:.4} at 5%",
                    fit.ks_distance.unwrap_or(0.0),
                    fit.ks_critical.unwrap_or(0.0)
                ),
                Model::Empirical(_) => {
                    "empirical: the log-normal was rejected or impossible".into()
                }
                Model::Constant(_) => "every observation equal".into(),
                Model::TooFew => String::new(),
            };
            assignments.push(Assignment {
                key: fit.key.to_string(),
                value: value.clone(),
                comment: format!(
                    "fitted by deploysim fit from {source} ({}, n = {}): {how}",
                    fit.span,
                    fit.sorted.len()
                ),
            });
            if matches!(fit.model, Model::Empirical(_)) {
                empirical.push((folder.join(&csv_name), empirical_csv(fit, &source)));
            }
        }
        rows.push(FitRow { fit, value });
    }
    let fitted_pull = assignments.iter().any(|a| a.key == "launch.image_pull");
    for (key, value, why) in &observed.fixed {
        if fitted_pull {
            assignments.push(Assignment {
                key: key.to_string(),
                value: value.to_string(),
                comment: format!("set by deploysim fit: {why}"),
            });
        }
    }

    let mut written = Vec::new();
    let scenario_path = match &args.into {
        Some(path) => {
            let text = read_text(path).map_err(usage)?;
            let updated =
                set_keys(&text, &path.display().to_string(), &assignments).map_err(usage)?;
            write_atomic(path, updated.as_bytes())?;
            path.clone()
        }
        None => {
            let header = format!(
                "# Duration keys fitted by `deploysim fit` from {}.\n# Copy them into a scenario, or run `deploysim fit ... --into scenario.toml`.\n",
                doc.file
            );
            let keys = set_keys("", "fitted.toml", &assignments).map_err(usage)?;
            let text = format!("{header}\n{keys}");
            let path = args.out.join("fitted.toml");
            write_atomic(&path, text.as_bytes())?;
            path
        }
    };
    written.push(format!(
        "{} ({} keys)",
        scenario_path.display(),
        assignments.len()
    ));
    for (path, text) in &empirical {
        write_atomic(path, text.as_bytes())?;
        written.push(path.display().to_string());
    }

    let info = FitInfo {
        file: &doc.file,
        kind: observed.kind,
        count: observed.count,
        rows,
        skipped: &observed.skipped,
        written,
        command: command_line(),
    };
    let text = report::fit_text(&info);
    write_atomic(&args.out.join("fit.txt"), text.as_bytes())?;
    write_atomic(&args.out.join("fit.csv"), &report::fit_csv(&info))?;
    for row in &info.rows {
        let notes = report::fit_chart_notes(row.fit);
        let png = charts::png(&report::fit_chart(row, &notes))?;
        write_atomic(&args.out.join(format!("fit-{}.png", row.fit.key)), &png)?;
    }
    write_atomic(
        &args.out.join("report.html"),
        report::fit_report_html(&info)?.as_bytes(),
    )?;
    print!("{text}");
    println!("wrote the report to {}", args.out.display());
    Ok(())
}

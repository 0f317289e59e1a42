//! `fit`'s report: a text table, `fit.csv` and `report.html` with one chart per key.

use super::charts::{self, FitChart};
use super::html::Page;
use crate::import::fit::{KeyFit, Model, ks_critical_5pct};

/// One key's fit and what it became in the scenario.
#[derive(Clone, Debug)]
pub struct FitRow<'a> {
    pub fit: &'a KeyFit,
    /// The scenario value written (`None`: too few observations, nothing written).
    pub value: Option<String>,
}

/// What `fit` read and wrote.
#[derive(Clone, Debug)]
pub struct FitInfo<'a> {
    pub file: &'a str,
    /// "aws ecs describe-tasks" or "kubectl get pods".
    pub kind: &'a str,
    pub count: usize,
    pub rows: Vec<FitRow<'a>>,
    pub skipped: &'a [String],
    /// Files written (scenario, empirical files), for the reader.
    pub written: Vec<String>,
    pub command: String,
}

fn model_name(fit: &KeyFit) -> &'static str {
    match fit.model {
        Model::Constant(_) => "constant",
        Model::LogNormal(_) => "lognormal",
        Model::Empirical(_) => "empirical",
        Model::TooFew => "too_few",
    }
}

/// Why the key became what it did, in words.
pub fn verdict(fit: &KeyFit) -> String {
    match &fit.model {
        Model::Constant(v) => format!("every observation is {v} s: a constant"),
        Model::LogNormal(_) => format!(
            "log-normal kept: KS D = {:.4} <= {:.4} (5%)",
            fit.ks_distance.unwrap_or(0.0),
            fit.ks_critical.unwrap_or(0.0)
        ),
        Model::Empirical(why) => format!("empirical: {why}"),
        Model::TooFew => format!(
            "not fitted: {} observation(s), at least {} needed",
            fit.sorted.len(),
            crate::import::fit::MIN_SAMPLES
        ),
    }
}

fn seconds(v: f64) -> String {
    format!("{v:.3}")
}

/// The text report (also printed).
pub fn fit_text(info: &FitInfo) -> String {
    let mut out = format!(
        "deploysim fit: {} {} from {} ({})\n\n",
        info.count,
        if info.kind.starts_with("kubectl") {
            "pods"
        } else {
            "tasks"
        },
        info.file,
        info.kind
    );
    out.push_str(&format!(
        "{:<22} {:>5}  {:<10} {:>10} {:>10} {:>8} {:>8}  {}\n",
        "key", "n", "model", "median", "p95", "KS D", "5% crit", "value written"
    ));
    for row in &info.rows {
        let fit = row.fit;
        let (median, p95) = match fit.lognormal {
            Some(l) => (format!("{:.3}s", l.median()), format!("{:.3}s", l.p95())),
            None => ("-".into(), "-".into()),
        };
        out.push_str(&format!(
            "{:<22} {:>5}  {:<10} {:>10} {:>10} {:>8} {:>8}  {}\n",
            fit.key,
            fit.sorted.len(),
            model_name(fit),
            median,
            p95,
            fit.ks_distance.map_or("-".into(), |d| format!("{d:.4}")),
            fit.ks_critical.map_or("-".into(), |d| format!("{d:.4}")),
            row.value.as_deref().unwrap_or("(not written)")
        ));
    }
    out.push('\n');
    for row in &info.rows {
        out.push_str(&format!(
            "{} ({}): {}\n",
            row.fit.key,
            row.fit.span,
            verdict(row.fit)
        ));
    }
    out.push_str(
        "\nMedian and p95 are the maximum-likelihood log-normal's. The KS test uses Stephens' critical value for \
         estimated parameters: reject at 5% when D > 0.895 / (sqrt(n) - 0.01 + 0.85 / sqrt(n)).\n",
    );
    for skipped in info.skipped {
        out.push_str(&format!("skipped: {skipped}\n"));
    }
    for written in &info.written {
        out.push_str(&format!("wrote {written}\n"));
    }
    out
}

/// Columns of `fit.csv`.
pub const FIT_COLUMNS: &[&str] = &[
    "key",
    "observed",
    "n",
    "model",
    "mu",
    "sigma",
    "median_seconds",
    "p95_seconds",
    "ks_d",
    "ks_critical_5pct",
    "ks_rejects",
    "min_seconds",
    "max_seconds",
    "value",
];

pub fn fit_csv(info: &FitInfo) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(FIT_COLUMNS);
    for row in &info.rows {
        let fit = row.fit;
        let opt = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v}"));
        let n = fit.sorted.len();
        let record = vec![
            fit.key.to_string(),
            fit.span.to_string(),
            n.to_string(),
            model_name(fit).to_string(),
            opt(fit.lognormal.map(|l| l.mu)),
            opt(fit.lognormal.map(|l| l.sigma)),
            opt(fit.lognormal.map(|l| l.median())),
            opt(fit.lognormal.map(|l| l.p95())),
            opt(fit.ks_distance),
            opt(fit.ks_critical),
            fit.ks_distance
                .map_or(String::new(), |d| (d > ks_critical_5pct(n)).to_string()),
            opt(fit.sorted.first().copied()),
            opt(fit.sorted.last().copied()),
            row.value.clone().unwrap_or_default(),
        ];
        let _ = writer.write_record(&record);
    }
    writer.into_inner().unwrap_or_default()
}

/// Short lines for a chart's legend: what the key became and the test's numbers.
pub fn chart_notes(fit: &KeyFit) -> Vec<String> {
    let test = match (fit.ks_distance, fit.ks_critical) {
        (Some(d), Some(c)) => format!("KS D {d:.4} {} {c:.4} (5%)", if d > c { ">" } else { "<=" }),
        _ => String::new(),
    };
    let mut notes = match fit.model {
        Model::LogNormal(_) => vec!["log-normal kept".to_string()],
        Model::Empirical(_) if fit.lognormal.is_some() => {
            vec![
                "log-normal rejected:".to_string(),
                "observations written".to_string(),
            ]
        }
        Model::Empirical(_) => vec![
            "0 s values: no log-normal;".to_string(),
            "observations written".to_string(),
        ],
        Model::Constant(_) => vec!["all equal: a constant".to_string()],
        Model::TooFew => vec!["too few to fit".to_string()],
    };
    if !test.is_empty() {
        notes.push(test);
    }
    notes
}

/// The chart for one row.
pub fn fit_chart<'a>(row: &'a FitRow<'a>, notes: &'a [String]) -> FitChart<'a> {
    FitChart {
        key: row.fit.key,
        span: row.fit.span,
        sorted: &row.fit.sorted,
        fitted: row.fit.lognormal.map(|l| (l.mu, l.sigma)),
        notes,
    }
}

/// `report.html`: the table, then one chart per key.
pub fn fit_report_html(info: &FitInfo) -> Result<String, charts::ChartError> {
    let mut page = Page::new("deploysim fit");
    page.heading("Fitted durations")
        .lead(&format!(
            "{} {} from {} ({}).",
            info.count,
            if info.kind.starts_with("kubectl") {
                "pods"
            } else {
                "tasks"
            },
            info.file,
            info.kind
        ))
        .command(&info.command);
    let rows: Vec<Vec<String>> = info
        .rows
        .iter()
        .map(|row| {
            vec![
                row.fit.key.to_string(),
                row.fit.sorted.len().to_string(),
                model_name(row.fit).to_string(),
                row.fit
                    .lognormal
                    .map_or("-".into(), |l| seconds(l.median())),
                row.fit.lognormal.map_or("-".into(), |l| seconds(l.p95())),
                row.fit
                    .ks_distance
                    .map_or("-".into(), |d| format!("{d:.4}")),
                row.fit
                    .ks_critical
                    .map_or("-".into(), |d| format!("{d:.4}")),
                row.value.clone().unwrap_or_else(|| "(not written)".into()),
            ]
        })
        .collect();
    page.table(
        &[
            "key",
            "n",
            "model",
            "median (s)",
            "p95 (s)",
            "KS D",
            "5% critical",
            "value written",
        ],
        &rows,
        &[2, 7],
    );
    page.note(
        "A log-normal is fitted by maximum likelihood and kept unless the Kolmogorov-Smirnov test rejects it at 5% \
         (critical value for estimated parameters, Stephens 1974: 0.895 / (sqrt(n) - 0.01 + 0.85 / sqrt(n))); \
         otherwise the observations themselves are written as an empirical distribution.",
    );
    for row in &info.rows {
        let verdict = verdict(row.fit);
        page.section(&format!("{} ({})", row.fit.key, row.fit.span));
        let notes = chart_notes(row.fit);
        let svg = charts::svg(&fit_chart(row, &notes))?;
        page.chart(&svg, Some(&verdict));
    }
    if !info.skipped.is_empty() {
        page.section("Left out");
        page.list(info.skipped);
    }
    if !info.written.is_empty() {
        page.section("Written");
        page.list(&info.written);
    }
    Ok(page.finish())
}

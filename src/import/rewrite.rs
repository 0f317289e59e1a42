//! Writing fitted keys into an existing scenario: only those keys change; every other
//! line, comment and blank keeps its place (`toml_edit` keeps the file's layout).

use toml_edit::{DocumentMut, Item, Table, value};

use super::fit::{KeyFit, Model};
use super::source::ImportError;
use crate::engine::SimDuration;
use crate::scenario::format_duration;

/// One key to write: its dotted name, its value (a duration or distribution string) and
/// the comment to put after it.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    pub key: String,
    pub value: String,
    pub comment: String,
}

/// A duration in seconds as the scenario syntax, to the millisecond.
pub fn duration_text(seconds: f64) -> String {
    let millis = (seconds * 1000.0).round().max(0.0) as u64;
    format_duration(SimDuration::from_millis(millis))
}

/// The scenario value for a fit: a constant, a log-normal, or `empirical("<file>")`.
/// `None` when there were too few observations.
pub fn fitted_value(fit: &KeyFit, empirical_file: &str) -> Option<String> {
    match &fit.model {
        Model::Constant(v) => Some(duration_text(*v)),
        Model::LogNormal(l) => {
            let median = duration_text(l.median());
            let mut p95 = duration_text(l.p95());
            // Rounding to the millisecond must not put p95 below the median.
            if p95 == median || l.p95() < l.median() {
                p95 = median.clone();
            }
            Some(format!("lognormal(median={median}, p95={p95})"))
        }
        Model::Empirical(_) => Some(format!("empirical(\"{empirical_file}\")")),
        Model::TooFew => None,
    }
}

/// The empirical file's text: a comment, then one duration in seconds a line.
pub fn empirical_csv(fit: &KeyFit, source: &str) -> String {
    let mut out = format!(
        "# {} observed in {} ({}), seconds; written by deploysim fit\n",
        fit.key, source, fit.span
    );
    for v in &fit.sorted {
        out.push_str(&format!("{v}\n"));
    }
    out
}

/// `text` with each assignment's key set (added when missing, in its table, which is
/// created when missing). `file` names the scenario in errors.
pub fn set_keys(text: &str, file: &str, assignments: &[Assignment]) -> Result<String, ImportError> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| ImportError {
            file: file.to_string(),
            path: None,
            message: format!("not valid TOML: {}", e.message().trim()),
        })?;
    for assignment in assignments {
        let parts: Vec<&str> = assignment.key.split('.').collect();
        let (last, parents) = parts.split_last().expect("keys are non-empty");
        let mut table: &mut dyn toml_edit::TableLike = doc.as_table_mut();
        // A comment cannot go inside an inline table (`launch = { ... }`).
        let mut inline = false;
        for (depth, part) in parents.iter().enumerate() {
            if table.get(part).is_none() {
                let mut new = Table::new();
                new.set_implicit(false);
                table.insert(part, Item::Table(new));
            }
            let item = table.get_mut(part).expect("just ensured");
            inline = inline || item.is_inline_table();
            table = item.as_table_like_mut().ok_or_else(|| ImportError {
                file: file.to_string(),
                path: Some(parts[..=depth].join(".")),
                message: format!(
                    "is not a table, so `{}` cannot be written into it",
                    assignment.key
                ),
            })?;
        }
        let mut new_value = value(assignment.value.as_str());
        if let Some(v) = new_value.as_value_mut().filter(|_| !inline) {
            v.decor_mut()
                .set_suffix(format!("  # {}", assignment.comment.replace('\n', " ")));
        }
        match table.get_mut(last) {
            Some(existing) => {
                // Keep the key's own leading comment lines; replace its value and trailing
                // comment (which named the old source).
                let prefix = existing
                    .as_value()
                    .and_then(|v| v.decor().prefix().cloned());
                *existing = new_value;
                if let (Some(prefix), Some(v)) = (prefix, existing.as_value_mut()) {
                    v.decor_mut().set_prefix(prefix);
                }
            }
            None => {
                table.insert(last, new_value);
            }
        }
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_fitted_keys_change() {
        let text = "# my service\nname = \"web\"  # hand-written\n\n[launch]\n# measured last year\nimage_pull = \"30s\"  # a guess\nstart = \"2s\"  # keep\n";
        let out = set_keys(
            text,
            "s.toml",
            &[
                Assignment {
                    key: "launch.image_pull".into(),
                    value: "lognormal(median=20s, p95=40s)".into(),
                    comment: "fitted".into(),
                },
                Assignment {
                    key: "draining.shutdown".into(),
                    value: "3s".into(),
                    comment: "fitted too".into(),
                },
            ],
        )
        .unwrap();
        assert_eq!(
            out,
            "# my service\nname = \"web\"  # hand-written\n\n[launch]\n# measured last year\nimage_pull = \"lognormal(median=20s, p95=40s)\"  # fitted\nstart = \"2s\"  # keep\n\n[draining]\nshutdown = \"3s\"  # fitted too\n"
        );
    }

    #[test]
    fn inline_tables_get_no_comment() {
        let text = "name = \"web\"\nlaunch = { image_pull = \"30s\" }\n";
        let out = set_keys(
            text,
            "s.toml",
            &[Assignment {
                key: "launch.image_pull".into(),
                value: "5s".into(),
                comment: "fitted".into(),
            }],
        )
        .unwrap();
        let table: toml::Table = out.parse().expect("still TOML");
        assert_eq!(table["launch"]["image_pull"].as_str(), Some("5s"));
    }

    #[test]
    fn durations_to_the_millisecond() {
        assert_eq!(duration_text(12.3456), "12s346ms");
        assert_eq!(duration_text(0.0), "0s");
    }
}

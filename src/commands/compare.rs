//! `deploysim compare`: two configurations, paired replication by replication.

use crate::cli::{CompareArgs, Format};
use crate::experiment::RunSettings;
use crate::experiment::compare::compare as run_compare;
use crate::output::{folder_name, write_atomic};
use crate::report::{self, CompareInfo};
use crate::scenario::{Override, ScenarioError};

use super::variants::{
    Source, check_runs_and_threads, describe_for_flag, parse_overrides, write_chart,
};
use super::{UsageError, command_line};

fn set_b_error(error: &ScenarioError, only_b: &[Override]) -> UsageError {
    let keys: Vec<&str> = only_b.iter().map(|o| o.key.as_str()).collect();
    UsageError(format!(
        "scenario B (--set-b): {}",
        describe_for_flag(error, &keys)
    ))
}

/// The longest `--set-b` part of a folder name kept whole; longer ones are cut and end in
/// a hash of the whole text, so different overrides keep different folders.
const MAX_OVERRIDES_IN_NAME: usize = 60;

/// The folder a comparison is written to: `<A>-vs-<B>`, each through [`folder_name`], and
/// when `--set-b` overrides make B, them too: `<A>-vs-<B>-<key>-<value>...`
/// (`ecs-blog-vs-ecs-blog-agent.mode-polling`). Runs of `-` are collapsed in that part.
fn compare_folder(a: &str, b: &str, set_b: &[String]) -> String {
    let mut name = format!("{}-vs-{}", folder_name(a), folder_name(b));
    if set_b.is_empty() {
        return name;
    }
    let whole = folder_name(&set_b.join(" "));
    let mut overrides = String::with_capacity(whole.len());
    for c in whole.chars() {
        if !(c == '-' && overrides.ends_with('-')) {
            overrides.push(c);
        }
    }
    let mut overrides = overrides.trim_matches('-').to_string();
    if overrides.len() > MAX_OVERRIDES_IN_NAME {
        // FNV-1a: stable across runs and platforms.
        let hash = set_b
            .join("\n")
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, byte| {
                (h ^ byte as u64).wrapping_mul(0x0100_0000_01b3)
            });
        overrides.truncate(MAX_OVERRIDES_IN_NAME - 9);
        overrides = format!("{}-{:08x}", overrides.trim_end_matches('-'), hash as u32);
    }
    name.push('-');
    name.push_str(&overrides);
    name
}

pub fn compare(args: CompareArgs) -> anyhow::Result<()> {
    let both = parse_overrides("--set", &args.set)?;
    let only_b = parse_overrides("--set-b", &args.set_b)?;
    if args.file_b.is_none() && only_b.is_empty() {
        return Err(UsageError(
            "compare: give a second scenario file (compare A.toml B.toml) or at least one --set-b key=value (B is then A with it)"
                .into(),
        )
        .into());
    }
    let (source_a, a) = Source::open(&args.file, both.clone())?;
    let b_file = args.file_b.clone().unwrap_or_else(|| args.file.clone());
    let b = match &args.file_b {
        Some(path) => {
            let (source_b, b) = Source::open(path, both)?;
            if only_b.is_empty() {
                b
            } else {
                source_b
                    .with(&only_b)
                    .map_err(|e| set_b_error(&e, &only_b))?
            }
        }
        None => source_a
            .with(&only_b)
            .map_err(|e| set_b_error(&e, &only_b))?,
    };
    let runs = args.replications.runs.unwrap_or(a.simulation.runs);
    check_runs_and_threads(runs, args.replications.threads)?;
    let seed = args.replications.seed.unwrap_or(a.simulation.seed);
    let (results_a, results_b, comparison) = run_compare(
        &a,
        &b,
        RunSettings {
            runs,
            seed,
            threads: args.replications.threads,
            progress: true,
        },
    )?;
    let info = CompareInfo {
        a_scenario: a.name.clone(),
        a_file: args.file.display().to_string(),
        b_scenario: b.name.clone(),
        b_file: b_file.display().to_string(),
        b_overrides: args.set_b.clone(),
        runs,
        seed,
        command: command_line(),
        a_runs_on: crate::scenario::runs_on(&a),
        b_runs_on: crate::scenario::runs_on(&b),
        a_per_day: crate::scenario::running_cost_per_day(&a),
        b_per_day: crate::scenario::running_cost_per_day(&b),
    };
    let folder = args
        .output
        .out
        .join(compare_folder(&a.name, &b.name, &args.set_b));
    let csv_path = folder.join("compare.csv");
    write_atomic(&csv_path, &report::compare_csv(&results_a, &results_b))?;
    let mut files = vec![csv_path.display().to_string()];
    let chart = report::compare_chart(&info, &results_a, &results_b)?;
    files.extend(write_chart(&folder, &chart)?);
    let html_path = folder.join("report.html");
    files.push(html_path.display().to_string());
    let html = report::compare_report_html(&info, &comparison, &a, &b, &chart, &files);
    write_atomic(&html_path, html.as_bytes())?;
    match args.output.format {
        Format::Json => print!("{}", report::compare_json(&info, &comparison)),
        Format::Text => print!("{}", report::compare_text(&info, &comparison, &files)),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::compare_folder;

    #[test]
    fn comparisons_get_their_own_folders() {
        assert_eq!(
            compare_folder("event-agent", "polling-agent", &[]),
            "event-agent-vs-polling-agent"
        );
        assert_eq!(
            compare_folder("ecs-blog", "ecs-blog", &[]),
            "ecs-blog-vs-ecs-blog"
        );
        assert_eq!(
            compare_folder("ecs-blog", "ecs-blog", &["agent.mode=polling".into()]),
            "ecs-blog-vs-ecs-blog-agent.mode-polling"
        );
        assert_eq!(
            compare_folder(
                "ecs-blog",
                "ecs-blog",
                &["agent.mode=polling".into(), "cluster.spare_hosts=3".into()]
            ),
            "ecs-blog-vs-ecs-blog-agent.mode-polling-cluster.spare_hosts-3"
        );
        let long = |median: &str| {
            compare_folder(
                "a",
                "a",
                &[
                    format!("launch.image_pull=\"lognormal(median={median}, p95=40s)\""),
                    "draining.deregistration_delay=30s".into(),
                ],
            )
        };
        let (one, two) = (long("15s"), long("16s"));
        assert_ne!(one, two, "cut names keep a hash of the whole");
        assert!(one.len() <= "a-vs-a-".len() + 60, "{one}");
        assert!(
            one.starts_with("a-vs-a-launch.image_pull-lognormal-median-1"),
            "{one}"
        );
        assert!(!one.contains("--"), "{one}");
    }
}

//! `deploysim plan`: the smallest value of an integer key that meets a target.

use crate::cli::{Format, PlanArgs};
use crate::experiment::plan::{PlanSettings, maximize, plan as search, saturating_spare_hosts};
use crate::report;
use crate::scenario::{Override, Scenario};

use super::UsageError;
use super::variants::{
    Source, check_runs_and_threads, describe_for_flag, parse_overrides, question_info,
    target_and_confidence, write_question_files,
};

/// The smallest and (when it has one) largest value a knob allows, for the defaults of
/// `--min` and `--max`.
fn knob_range(knob: &str, scenario: &Scenario) -> (i64, Option<i64>) {
    match knob {
        // Beyond one free slot per new task, more spare hosts change nothing but cost.
        "cluster.spare_hosts" => (0, Some(saturating_spare_hosts(scenario) as i64)),
        "cluster.zones" => (1, Some(crate::scenario::MAX_ZONES as i64)),
        "deployment.minimum_healthy_percent" => (0, Some(100)),
        "deployment.maximum_percent" => (100, Some(1000)),
        // Kubernetes percents (a surge beyond 100% adds nothing a rollout can use).
        "deployment.max_surge" | "deployment.max_unavailable" => (0, Some(100)),
        "cluster.hosts"
        | "service.desired"
        | "health_check.healthy_threshold"
        | "health_check.unhealthy_threshold"
        | "simulation.runs" => (1, None),
        _ => (0, None),
    }
}

/// Every integer key of the resolved scenario, dotted.
fn integer_keys(value: &toml::Value, prefix: &str, keys: &mut Vec<String>) {
    if let toml::Value::Table(table) = value {
        for (name, child) in table {
            let key = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            };
            match child {
                toml::Value::Integer(_) => keys.push(key),
                toml::Value::Table(_) => integer_keys(child, &key, keys),
                _ => {}
            }
        }
    }
}

/// Whether `plan` may search `key`: capacity and deployment settings only. Keys that
/// choose how the simulation runs (`simulation.seed`, `simulation.runs`) or describe the
/// service and its timings would answer a different question, or none.
pub(super) fn plannable(key: &str) -> bool {
    ["cluster.", "deployment.", "autoscaling."]
        .iter()
        .any(|prefix| key.starts_with(prefix))
}

/// Checks that `knob` names an integer capacity or deployment key of the scenario, or
/// such a key written as a whole percent (`deployment.max_surge = "25%"`). Returns true
/// for a percent key: the search then tries `"0%"`, `"1%"`, ...
fn check_knob(knob: &str, scenario: &Scenario) -> anyhow::Result<bool> {
    let mut resolved = toml::Value::try_from(scenario).expect("scenarios serialise");
    // A one-size EC2 cluster leaves `spare_hosts = 0` out when written; it is still a knob.
    if scenario.cluster.launch_type == crate::scenario::LaunchType::Ec2
        && scenario.cluster.host_group.is_empty()
        && let Some(cluster) = resolved.get_mut("cluster").and_then(|c| c.as_table_mut())
    {
        cluster
            .entry("spare_hosts")
            .or_insert(toml::Value::Integer(scenario.cluster.spare_hosts as i64));
    }
    let mut current = Some(&resolved);
    for part in knob.split('.') {
        current = current.and_then(|v| v.get(part.trim()));
    }
    let mut keys = Vec::new();
    integer_keys(&resolved, "", &mut keys);
    keys.retain(|k| plannable(k));
    let allowed = format!(
        "plan searches an integer capacity or deployment setting: {}",
        keys.join(", ")
    );
    match current {
        Some(toml::Value::Integer(_)) => {
            not_plannable(knob, &allowed)?;
            Ok(false)
        }
        Some(toml::Value::String(text))
            if text
                .strip_suffix('%')
                .is_some_and(|n| n.parse::<u32>().is_ok()) =>
        {
            not_plannable(knob, &allowed)?;
            Ok(true)
        }
        Some(other) => Err(UsageError(format!(
            "--knob {knob}: not an integer key (its value is {other}); {allowed}"
        ))
        .into()),
        None => Err(UsageError(format!(
            "--knob {knob}: not a key of this scenario; {allowed}"
        ))
        .into()),
    }
}

/// An error when `knob` is an integer or percent key that `plan` must not search.
fn not_plannable(knob: &str, allowed: &str) -> anyhow::Result<()> {
    if plannable(knob) {
        return Ok(());
    }
    let why = if knob.starts_with("simulation.") {
        "simulation.* keys choose how the simulation runs (its seed, runs, horizon), not the deployment, so no value of them is an answer"
    } else {
        "it is not a capacity or deployment setting (cluster.*, deployment.*, autoscaling.*)"
    };
    Err(UsageError(format!("--knob {knob}: {why}; {allowed}")).into())
}

pub fn plan(args: PlanArgs) -> anyhow::Result<()> {
    let overrides = parse_overrides("--set", &args.scenario.set)?;
    let (source, scenario) = Source::open(&args.scenario.file, overrides)?;
    let runs = args.replications.runs.unwrap_or(scenario.simulation.runs);
    check_runs_and_threads(runs, args.replications.threads)?;
    let seed = args.replications.seed.unwrap_or(scenario.simulation.seed);
    let (target_seconds, confidence) =
        target_and_confidence(args.target.as_deref(), args.confidence, &scenario, "15m")?;
    let knob = args.knob.trim().to_string();
    let percent = check_knob(&knob, &scenario)?;
    let (lowest, highest) = knob_range(&knob, &scenario);
    let min = args.min.unwrap_or(lowest);
    let max = match (args.max, highest) {
        (Some(max), _) => max,
        (None, Some(highest)) => highest.max(min),
        (None, None) => {
            return Err(UsageError(format!(
                "--max: required for --knob {knob}, which has no natural upper limit"
            ))
            .into());
        }
    };
    if max < min {
        return Err(UsageError(format!("--max {max}: below --min {min}")).into());
    }
    let build = |value: i64| -> anyhow::Result<Scenario> {
        source
            .with(&[Override {
                key: knob.clone(),
                value: if percent {
                    toml::Value::String(format!("{value}%"))
                } else {
                    toml::Value::Integer(value)
                },
            }])
            .map_err(|e| {
                UsageError(format!(
                    "--knob {knob}={value}: {}",
                    describe_for_flag(&e, &[&knob])
                ))
                .into()
            })
    };
    // Both ends must be valid before anything runs.
    let default = |given: Option<i64>| {
        if given.is_some() {
            ""
        } else {
            " (the default)"
        }
    };
    build(min).map_err(|e| {
        UsageError(format!(
            "--min {min}{}: {e}; give a --min the scenario accepts",
            default(args.min)
        ))
    })?;
    build(max).map_err(|e| {
        UsageError(format!(
            "--max {max}{}: {e}; give a --max the scenario accepts",
            default(args.max)
        ))
    })?;

    let find = if args.maximize { maximize } else { search };
    let result = find(
        &build,
        &PlanSettings {
            // A percent knob's values are percents of service.desired.
            knob: if percent {
                format!("{knob} (percent)")
            } else {
                knob.clone()
            },
            target_seconds,
            confidence,
            min,
            max,
            runs,
            seed,
            threads: args.replications.threads,
            all_runs: args.all_runs,
        },
    )?;
    let info = question_info(&scenario, &args.scenario.file, runs, seed);
    let chart = report::plan_chart(&scenario.name, &result)?;
    let files = write_question_files(
        &args.output.out,
        &scenario.name,
        "plan",
        &report::plan_csv(&result),
        Some(&chart),
        |files| report::plan_report_html(&info, &result, &scenario, &chart, files),
    )?;
    match args.output.format {
        Format::Json => print!("{}", report::plan_json(&info, &result)),
        Format::Text => print!("{}", report::plan_text(&info, &result, &files)),
    }
    Ok(())
}

//! Scenario files: the TOML schema, durations and distributions, `--set` overrides and
//! validation. Every error names the file, the key (with its line where the file has
//! one) and what is allowed.

mod applicability;
mod dist;
mod duration;
mod fleet;
pub mod instances;
mod kubernetes;
mod schema;
mod words;

use std::fmt;
use std::path::{Path, PathBuf};

pub use dist::{ConstDuration, Dist, standard_normal_quantile};
pub use duration::{format_duration, format_human, parse_duration};
pub use fleet::{
    ensure_spare_hosts, fargate_memory, host_groups, is_priced, launch_group, running_cost_per_day,
    runs_on, spare_host_count, tasks_fitting,
};
pub use kubernetes::{PodCount, Readiness, Termination};
pub use schema::*;

/// The most tasks one host may hold; keeps the placement index's keys compact.
pub const MAX_TASKS_PER_HOST: u32 = 65_535;
/// The most zones a cluster may have.
pub const MAX_ZONES: u32 = 64;
/// The most hosts a cluster may have (service hosts plus spares).
pub const MAX_HOSTS: u32 = 10_000_000;

/// A scenario that could not be loaded: where, which key, and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    pub file: String,
    pub key: Option<String>,
    pub line: Option<usize>,
    /// True when the offending value came from a `--set` override.
    pub from_set: bool,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(key) = &self.key {
            write!(f, "key `{key}`")?;
            if self.from_set {
                write!(f, " (from --set)")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for ScenarioError {}

/// One `--set key=value` override.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    pub key: String,
    pub value: toml::Value,
}

impl Override {
    /// Parses `key=value`. The value is read as TOML (`3`, `true`, `"30s"`, `[...]`);
    /// anything that is not valid TOML is taken as a string, so `--set agent.mode=polling`
    /// and `--set launch.start=5s` work unquoted.
    pub fn parse(text: &str) -> Result<Override, String> {
        let Some((key, value)) = text.split_once('=') else {
            return Err(format!(
                "--set {text}: expected key=value, e.g. --set cluster.spare_hosts=3"
            ));
        };
        let key = key.trim();
        if key.is_empty() || key.split('.').any(|part| part.trim().is_empty()) {
            return Err(format!(
                "--set {text}: \"{key}\" is not a dotted key such as cluster.spare_hosts"
            ));
        }
        let value = value.trim();
        let parsed = toml::from_str::<toml::Table>(&format!("v = {value}"))
            .ok()
            .and_then(|mut table| table.remove("v"))
            .unwrap_or_else(|| toml::Value::String(value.to_string()));
        Ok(Override {
            key: key.to_string(),
            value: parsed,
        })
    }
}

/// A scenario that passed validation, with the facts derived from it.
#[derive(Clone, Debug)]
pub struct LoadedScenario {
    pub scenario: Scenario,
    /// Where it came from (for reports and reproduction).
    pub path: PathBuf,
}

/// Reads, overrides, parses and validates a scenario file.
pub fn load(path: &Path, overrides: &[Override]) -> Result<Scenario, ScenarioError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ScenarioError {
        file: file.clone(),
        key: None,
        line: None,
        from_set: false,
        message: format!("cannot read the scenario file: {e}"),
    })?;
    let base_dir = path.parent().unwrap_or(Path::new("."));
    from_text(&text, &file, base_dir, overrides)
}

/// Parses and validates scenario text. `file` names it in errors; `base_dir` resolves
/// `empirical("...")` paths.
pub fn from_text(
    text: &str,
    file: &str,
    base_dir: &Path,
    overrides: &[Override],
) -> Result<Scenario, ScenarioError> {
    let error = |key: Option<String>, message: String| {
        // An error is the override's when its key is the overridden key, lies inside it,
        // or is a parent of it (an unknown key set by `--set` is reported at the parent).
        let from_set = key.as_deref().map(strip_index).is_some_and(|k| {
            overrides.iter().any(|o| {
                o.key == k
                    || k.starts_with(&format!("{}.", o.key))
                    || o.key.starts_with(&format!("{k}."))
            })
        });
        let line = if from_set {
            None
        } else {
            key.as_deref().and_then(|k| line_of_key(text, k))
        };
        ScenarioError {
            file: file.to_string(),
            key,
            line,
            from_set,
            message,
        }
    };

    let mut table: toml::Table = text.parse().map_err(|e: toml::de::Error| ScenarioError {
        file: file.to_string(),
        key: None,
        line: e.span().map(|span| line_number(text, span.start)),
        from_set: false,
        message: format!(
            "not valid TOML: {}",
            words::plain_syntax(e.message().trim())
        ),
    })?;
    for item in overrides {
        apply_override(&mut table, item)
            .map_err(|message| error(Some(item.key.clone()), message))?;
    }
    fill_from_instance_type(&mut table)
        .map_err(|message| error(Some("cluster.instance_type".to_string()), message))?;

    applicability::check(&table).map_err(|(key, message)| error(Some(key), message))?;

    let mut scenario: Scenario = serde_path_to_error::deserialize(toml::Value::Table(table))
        .map_err(|e: serde_path_to_error::Error<toml::de::Error>| {
            let (key, message) = describe_serde_error(&e);
            error(key, message)
        })?;

    if scenario.cluster.launch_type == LaunchType::Fargate && scenario.fargate.is_none() {
        scenario.fargate = Some(Fargate::default());
    }
    for (key, distribution) in distributions_mut(&mut scenario) {
        distribution
            .load_empirical(base_dir)
            .map_err(|message| error(Some(key.to_string()), message))?;
    }
    validate(&scenario).map_err(|(key, message)| error(Some(key.to_string()), message))?;
    Ok(scenario)
}

fn describe_serde_error(
    e: &serde_path_to_error::Error<toml::de::Error>,
) -> (Option<String>, String) {
    let path = e.path().to_string();
    let message = e.inner().message().trim().to_string();
    // serde reports an unknown key at its parent; name the key itself.
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let unknown = rest.split('`').next().unwrap_or("");
        let key = if path == "." || path.is_empty() {
            unknown.to_string()
        } else if path == unknown || path.ends_with(&format!(".{unknown}")) {
            path.clone()
        } else {
            format!("{path}.{unknown}")
        };
        let allowed = rest
            .split_once(", expected ")
            .map(|(_, allowed)| {
                format!("; allowed here: {}", allowed.trim_start_matches("one of "))
            })
            .unwrap_or_default();
        return (Some(key), format!("unknown key{allowed}"));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let missing = rest.split('`').next().unwrap_or("");
        let key = if path == "." || path.is_empty() {
            missing.to_string()
        } else {
            format!("{path}.{missing}")
        };
        return (Some(key), "required key is missing".to_string());
    }
    let key = (!path.is_empty() && path != ".").then_some(path);
    (key, words::plain(&message))
}

fn apply_override(table: &mut toml::Table, item: &Override) -> Result<(), String> {
    let parts: Vec<&str> = item.key.split('.').map(str::trim).collect();
    let (last, parents) = parts.split_last().expect("keys are non-empty");
    let mut current = table;
    for (depth, part) in parents.iter().enumerate() {
        let entry = current
            .entry(part.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        current = entry.as_table_mut().ok_or_else(|| {
            format!(
                "cannot set a key inside `{}`, which is not a table",
                parts[..=depth].join(".")
            )
        })?;
    }
    current.insert(last.to_string(), item.value.clone());
    Ok(())
}

/// Fills `cluster.host.cpu`, `cluster.host.memory` and `cluster.host_hourly_cost` from
/// `cluster.instance_type` where the file (and `--set`) leave them out: explicit values
/// always win.
fn fill_from_instance_type(table: &mut toml::Table) -> Result<(), String> {
    let Some(cluster) = table.get_mut("cluster").and_then(|c| c.as_table_mut()) else {
        return Ok(());
    };
    // On Fargate or with host groups there is no one-size host to fill: applicability
    // names `cluster.instance_type` as the key that does not apply.
    if cluster.contains_key("host_group")
        || cluster.get("launch_type").and_then(|l| l.as_str()) == Some("fargate")
    {
        return Ok(());
    }
    let name = match cluster.get("instance_type") {
        None => return Ok(()),
        Some(toml::Value::String(name)) => name.clone(),
        Some(other) => {
            return Err(format!(
                "must be an instance type name in quotes, such as \"m5.xlarge\", got {other}"
            ));
        }
    };
    let instance = instances::lookup(&name)?;
    let currency = cluster
        .get("currency")
        .and_then(|c| c.as_str())
        .unwrap_or("USD");
    if !cluster.contains_key("host_hourly_cost") {
        if !currency.eq_ignore_ascii_case("USD") {
            return Err(format!(
                "the instance table's prices are in USD but cluster.currency is \"{currency}\"; set cluster.host_hourly_cost in {currency}"
            ));
        }
        cluster.insert(
            "host_hourly_cost".into(),
            toml::Value::Float(instance.usd_per_hour),
        );
    }
    let host = cluster
        .entry("host")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    if let Some(host) = host.as_table_mut() {
        host.entry("cpu")
            .or_insert(toml::Value::Integer(instance.cpu_units() as i64));
        host.entry("memory")
            .or_insert(toml::Value::Integer(instance.registered_memory_mib() as i64));
    }
    Ok(())
}

/// Every distribution-valued key with its dotted name.
fn distributions_mut(scenario: &mut Scenario) -> Vec<(&'static str, &mut Dist)> {
    let mut all: Vec<(&'static str, &mut Dist)> = vec![
        ("scheduler.reaction", &mut scenario.scheduler.reaction),
        ("agent.latency", &mut scenario.agent.latency),
        ("agent.report", &mut scenario.agent.report),
        ("launch.image_pull", &mut scenario.launch.image_pull),
        ("launch.cached_pull", &mut scenario.launch.cached_pull),
        ("launch.start", &mut scenario.launch.start),
        ("launch.warmup", &mut scenario.launch.warmup),
        (
            "draining.deregistration_delay",
            &mut scenario.draining.deregistration_delay,
        ),
        ("draining.shutdown", &mut scenario.draining.shutdown),
        ("draining.stop_timeout", &mut scenario.draining.stop_timeout),
    ];
    if let Some(phase) = scenario.agent.poll_phase.as_mut() {
        all.push(("agent.poll_phase", phase));
    }
    if let Some(first) = scenario.health_check.first_check.as_mut() {
        all.push(("health_check.first_check", first));
    }
    if let Some(close) = scenario.draining.connections_close.as_mut() {
        all.push(("draining.connections_close", close));
    }
    if let Some(fargate) = scenario.fargate.as_mut() {
        all.push(("fargate.provisioning", &mut fargate.provisioning));
    }
    all.push(("termination.pre_stop", &mut scenario.termination.pre_stop));
    all.push((
        "termination.endpoint_propagation",
        &mut scenario.termination.endpoint_propagation,
    ));
    let deployment = &mut scenario.deployment;
    if let Some(bake) = deployment.bake_time.as_mut() {
        all.push(("deployment.bake_time", bake));
    }
    all.push((
        "deployment.canary_bake_time",
        &mut deployment.canary_bake_time,
    ));
    all.push(("deployment.step_bake_time", &mut deployment.step_bake_time));
    all.push((
        "deployment.hooks.before_production",
        &mut deployment.hooks.before_production,
    ));
    all.push((
        "deployment.hooks.after_production",
        &mut deployment.hooks.after_production,
    ));
    all.push(("deployment.alarm_delay", &mut deployment.alarm_delay));
    all.push(("autoscaling.boot", &mut scenario.autoscaling.boot));
    all.push(("autoscaling.warmup", &mut scenario.autoscaling.warmup));
    all
}

/// The scenario as TOML with every default filled in, leaving out the keys that do not
/// apply to it (so the text loads again as the same scenario).
pub fn applicable_toml(scenario: &Scenario) -> String {
    let mut table = toml::Table::try_from(scenario).expect("scenarios serialise");
    applicability::drop_misplaced(&mut table);
    toml::to_string(&table).expect("scenarios serialise")
}

/// How many tasks fit on an empty host (by both CPU and memory) of the group scaling
/// launches (docs/model.md 13's `k`); on Fargate, where there are no hosts, one.
pub fn tasks_per_host(scenario: &Scenario) -> u32 {
    let groups = host_groups(scenario);
    match groups.get(launch_group(scenario)) {
        Some(group) => tasks_fitting(scenario, group.cpu, group.memory),
        None => 1,
    }
}

/// True when placement excludes hosts that already hold a task of the service.
pub fn distinct_instance(scenario: &Scenario) -> bool {
    scenario.service.distinct_instance
        || scenario
            .service
            .placement
            .contains(&PlacementStrategy::DistinctInstance)
}

type Invalid = (&'static str, String);

fn validate(s: &Scenario) -> Result<(), Invalid> {
    fn check(ok: bool, key: &'static str, message: impl FnOnce() -> String) -> Result<(), Invalid> {
        if ok { Ok(()) } else { Err((key, message())) }
    }
    check(!s.name.trim().is_empty(), "name", || {
        "must not be empty".into()
    })?;
    let cluster = &s.cluster;
    check(
        (1..=MAX_ZONES).contains(&cluster.zones),
        "cluster.zones",
        || format!("must be between 1 and {MAX_ZONES}, got {}", cluster.zones),
    )?;
    check(
        cluster.deploys_per_day.is_finite()
            && cluster.deploys_per_day > 0.0
            && cluster.deploys_per_day <= 10_000.0,
        "cluster.deploys_per_day",
        || {
            format!(
                "must be a number of deploys a day above 0 and at most 10000 (0.2 for one a working week), got {}",
                cluster.deploys_per_day
            )
        },
    )?;
    check(
        !cluster.currency.trim().is_empty() && cluster.currency.chars().count() <= 8,
        "cluster.currency",
        || "must be a short currency name such as \"USD\" or \"EUR\"".into(),
    )?;
    let service = &s.service;
    check(service.desired >= 1, "service.desired", || {
        "must be at least 1".into()
    })?;
    check(service.task.memory >= 1, "service.task.memory", || {
        "must be at least 1 MiB (ECS tasks on EC2 reserve memory)".into()
    })?;
    match cluster.launch_type {
        LaunchType::Fargate => fleet::validate_fargate(s)?,
        LaunchType::Ec2 if !cluster.host_group.is_empty() => fleet::validate_groups(s)?,
        LaunchType::Ec2 => validate_one_size(s)?,
    }
    let deployment = &s.deployment;
    check(
        deployment.minimum_healthy_percent <= 100,
        "deployment.minimum_healthy_percent",
        || {
            format!(
                "must be between 0 and 100, got {}",
                deployment.minimum_healthy_percent
            )
        },
    )?;
    check(
        (100..=1000).contains(&deployment.maximum_percent),
        "deployment.maximum_percent",
        || {
            format!(
                "must be between 100 and 1000, got {}",
                deployment.maximum_percent
            )
        },
    )?;
    check(
        !deployment.rollback || deployment.circuit_breaker || deployment.alarms,
        "deployment.rollback",
        || {
            "rollback needs deployment.circuit_breaker = true or deployment.alarms = true (they decide when to roll back)".into()
        },
    )?;
    let canary = deployment.canary_percent;
    check(
        canary.is_finite() && (0.1..=100.0).contains(&canary),
        "deployment.canary_percent",
        || format!("must be between 0.1 and 100 percent (the ECS API's range), got {canary}"),
    )?;
    let step = deployment.step_percent;
    check(
        step.is_finite() && (3.0..=100.0).contains(&step),
        "deployment.step_percent",
        || format!("must be between 3 and 100 percent (the ECS API's range), got {step}"),
    )?;

    check(
        s.scheduler.interval.0 >= crate::engine::SimDuration::from_secs(1),
        "scheduler.interval",
        || "must be at least 1s".into(),
    )?;
    check(
        s.agent.poll_interval.0 >= crate::engine::SimDuration::from_millis(1),
        "agent.poll_interval",
        || "must be at least 1ms".into(),
    )?;
    let health = &s.health_check;
    check(
        health.interval.0 >= crate::engine::SimDuration::from_secs(1),
        "health_check.interval",
        || "must be at least 1s".into(),
    )?;
    check(
        health.initial_healthy_threshold >= 1,
        "health_check.initial_healthy_threshold",
        || "must be at least 1".into(),
    )?;
    check(
        health.healthy_threshold >= 1,
        "health_check.healthy_threshold",
        || "must be at least 1".into(),
    )?;
    check(
        health.unhealthy_threshold >= 1,
        "health_check.unhealthy_threshold",
        || "must be at least 1".into(),
    )?;
    let p = s.failures.bad_task_probability;
    check(
        (0.0..=1.0).contains(&p),
        "failures.bad_task_probability",
        || format!("must be between 0 and 1, got {p}"),
    )?;
    let p = s.failures.start_failure_probability;
    check(
        (0.0..=1.0).contains(&p),
        "failures.start_failure_probability",
        || format!("must be between 0 and 1, got {p}"),
    )?;
    let p = s.failures.bad_revision_probability;
    check(
        (0.0..=1.0).contains(&p),
        "failures.bad_revision_probability",
        || format!("must be between 0 and 1, got {p}"),
    )?;
    let rate = s.failures.host_failure_rate;
    check(
        rate.is_finite() && (0.0..=3600.0).contains(&rate),
        "failures.host_failure_rate",
        || format!("must be between 0 and 3600 failures per host-hour, got {rate}"),
    )?;
    validate_autoscaling(s)?;
    kubernetes::validate(s)?;
    check(s.simulation.runs >= 1, "simulation.runs", || {
        "must be at least 1".into()
    })?;
    check(
        s.simulation.horizon.0.micros() > 0,
        "simulation.horizon",
        || "must be above zero".into(),
    )?;
    Ok(())
}

/// The one-size form: `cluster.hosts` hosts of size `cluster.host`, `spare_hosts` more.
fn validate_one_size(s: &Scenario) -> Result<(), Invalid> {
    fn check(ok: bool, key: &'static str, message: impl FnOnce() -> String) -> Result<(), Invalid> {
        if ok { Ok(()) } else { Err((key, message())) }
    }
    let host = s.cluster.host.expect("required on EC2 without host groups");
    let cluster = &s.cluster;
    check(cluster.hosts >= 1, "cluster.hosts", || {
        "must be at least 1".into()
    })?;
    check(host.cpu >= 1, "cluster.host.cpu", || {
        "must be at least 1 CPU unit (1024 = one vCPU)".into()
    })?;
    check(host.memory >= 1, "cluster.host.memory", || {
        "must be at least 1 MiB".into()
    })?;
    check(
        cluster.hosts as u64 + cluster.spare_hosts as u64 <= MAX_HOSTS as u64,
        "cluster.spare_hosts",
        || format!("hosts plus spare_hosts must be at most {MAX_HOSTS}"),
    )?;
    if let Some(cost) = cluster.host_hourly_cost {
        check(
            cost.is_finite() && cost >= 0.0,
            "cluster.host_hourly_cost",
            || format!("must be a non-negative number, got {cost}"),
        )?;
    }

    let service = &s.service;
    check(service.task.cpu <= host.cpu, "service.task.cpu", || {
        format!(
            "a task ({} CPU units) is larger than a host ({} CPU units)",
            service.task.cpu, host.cpu
        )
    })?;
    check(
        service.task.memory <= host.memory,
        "service.task.memory",
        || {
            format!(
                "a task ({} MiB) is larger than a host ({} MiB)",
                service.task.memory, host.memory
            )
        },
    )?;
    let per_host = tasks_per_host(s);
    check(
        per_host <= MAX_TASKS_PER_HOST,
        "service.task.memory",
        || format!("{per_host} tasks fit on one host; at most {MAX_TASKS_PER_HOST} are supported"),
    )?;
    let per_host_initial = if distinct_instance(s) { 1 } else { per_host } as u64;
    check(
        service.desired as u64 <= cluster.hosts as u64 * per_host_initial,
        "service.desired",
        || {
            format!(
                "the {} old tasks do not fit on the {} service hosts ({} per host{}); add cluster.hosts or shrink the task",
                service.desired,
                cluster.hosts,
                per_host_initial,
                if distinct_instance(s) {
                    ", distinct_instance"
                } else {
                    ""
                }
            )
        },
    )?;

    Ok(())
}

fn validate_autoscaling(s: &Scenario) -> Result<(), Invalid> {
    let a = &s.autoscaling;
    if a.mode == AutoscalingMode::None {
        return Ok(());
    }
    let initial: u64 = host_groups(s).iter().map(|g| g.count as u64).sum();
    let Some(max_hosts) = a.max_hosts else {
        return Err((
            "autoscaling.max_hosts",
            format!("required when autoscaling.mode = \"{}\"", mode_name(a.mode)),
        ));
    };
    if (max_hosts as u64) < initial || max_hosts > MAX_HOSTS {
        return Err((
            "autoscaling.max_hosts",
            format!(
                "must be between the hosts the cluster starts with ({initial}) and {MAX_HOSTS}, got {max_hosts}"
            ),
        ));
    }
    if !(1..=100).contains(&a.target_capacity) {
        return Err((
            "autoscaling.target_capacity",
            format!(
                "must be between 1 and 100 percent, got {}",
                a.target_capacity
            ),
        ));
    }
    if a.min_step < 1 || a.min_step > a.max_step {
        return Err((
            "autoscaling.min_step",
            format!(
                "must be at least 1 and at most max_step ({}), got {}",
                a.max_step, a.min_step
            ),
        ));
    }
    if a.interval() < crate::engine::SimDuration::from_secs(1) {
        return Err((
            "autoscaling.evaluation_interval",
            "must be at least 1s".into(),
        ));
    }
    Ok(())
}

fn mode_name(mode: AutoscalingMode) -> &'static str {
    match mode {
        AutoscalingMode::None => "none",
        AutoscalingMode::Managed => "managed",
        AutoscalingMode::ClusterAutoscaler => "cluster_autoscaler",
        AutoscalingMode::Karpenter => "karpenter",
    }
}

/// The 1-based line of byte offset `offset` in `text`.
fn line_number(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// `service.placement[0]` -> `service.placement`.
fn strip_index(key: &str) -> &str {
    key.find('[').map_or(key, |at| &key[..at])
}

/// The line where dotted `key` (or its nearest present parent) is written in `text`.
pub fn line_of_key(text: &str, key: &str) -> Option<usize> {
    let key = strip_index(key);
    let root = toml::de::DeTable::parse(text).ok()?;
    let mut current = root.get_ref();
    let mut found = None;
    for part in key.split('.') {
        let Some((name, value)) = current.get_key_value(part) else {
            break;
        };
        found = Some(line_number(text, name.span().start));
        match value.get_ref().as_table() {
            Some(table) => current = table,
            None => break,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
name = "t"
[cluster]
hosts = 3
host = { cpu = 1024, memory = 4096 }
[service]
desired = 3
task = { cpu = 256, memory = 3000 }
"#;

    fn parse(text: &str, overrides: &[&str]) -> Result<Scenario, ScenarioError> {
        let overrides: Vec<Override> = overrides
            .iter()
            .map(|o| Override::parse(o).unwrap())
            .collect();
        from_text(text, "t.toml", Path::new("."), &overrides)
    }

    #[test]
    fn defaults_fill_in() {
        let s = parse(MINIMAL, &[]).unwrap();
        assert_eq!(s.deployment.maximum_percent, 200);
        assert_eq!(s.health_check.healthy_threshold, 5);
        assert_eq!(s.simulation.runs, 1000);
        assert_eq!(tasks_per_host(&s), 1);
    }

    #[test]
    fn overrides_apply_and_validate() {
        let s = parse(
            MINIMAL,
            &[
                "cluster.spare_hosts=3",
                "agent.mode=polling",
                "launch.start=5s",
            ],
        )
        .unwrap();
        assert_eq!(s.cluster.spare_hosts, 3);
        assert_eq!(s.agent.mode, AgentMode::Polling);
        let err = parse(MINIMAL, &["cluster.spare_hosts=abc"]).unwrap_err();
        assert_eq!(err.key.as_deref(), Some("cluster.spare_hosts"));
        assert!(err.from_set);
    }

    #[test]
    fn errors_name_key_and_line() {
        let text = MINIMAL.replace("desired = 3", "desired = 3\nbogus = 1");
        let err = parse(&text, &[]).unwrap_err();
        assert_eq!(err.key.as_deref(), Some("service.bogus"));
        assert_eq!(err.line, Some(8));
        let text = MINIMAL.replace(
            "[service]",
            "[launch]\nstart = \"uniform(5s, 2s)\"\n[service]",
        );
        let err = parse(&text, &[]).unwrap_err();
        assert_eq!(err.key.as_deref(), Some("launch.start"));
        assert_eq!(err.line, Some(7));
    }
}

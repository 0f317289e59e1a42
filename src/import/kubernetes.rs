//! `deploysim import kubernetes`: a scenario from a Deployment manifest (YAML or JSON) and,
//! optionally, `kubectl get nodes -o json`.
//!
//! CPU is written in millicores (1000 = one core) for both the pod and the nodes: the model
//! only compares requests with allocatable room, so one exact unit for both avoids rounding.

use serde_json::Value;

use super::emit::ScenarioText;
use super::source::{Document, ImportError, Node, parse_yaml_documents};

/// `path (file)`: where a value came from.
fn from(node: &Node) -> String {
    format!("{} ({})", node.path(), super::file_name(node.file()))
}

/// The Deployment in a manifest file: the first document (or `List` item) of kind
/// Deployment. Returns the document holding it and the node's path prefix.
pub fn find_deployment(text: &str, file: &str) -> Result<(Document, Option<usize>), ImportError> {
    let documents = parse_yaml_documents(text, file)?;
    let mut kinds = Vec::new();
    let many = documents.len() > 1;
    for (index, root) in documents.into_iter().enumerate() {
        let name = if many {
            format!("{file} (document {})", index + 1)
        } else {
            file.to_string()
        };
        let kind = root
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if kind == "Deployment" {
            return Ok((Document { file: name, root }, None));
        }
        if let Some(items) = root.get("items").and_then(Value::as_array)
            && let Some(at) = items
                .iter()
                .position(|i| i.get("kind").and_then(Value::as_str) == Some("Deployment"))
        {
            return Ok((Document { file: name, root }, Some(at)));
        }
        if !kind.is_empty() {
            kinds.push(kind);
        }
    }
    Err(ImportError {
        file: file.to_string(),
        path: None,
        message: if kinds.is_empty() {
            "holds no Deployment (no document has `kind: Deployment`); give the manifest or `kubectl get deployment NAME -o yaml`".to_string()
        } else {
            format!(
                "holds no Deployment (found: {}); give the manifest or `kubectl get deployment NAME -o yaml`",
                kinds.join(", ")
            )
        },
    })
}

/// A Kubernetes quantity (`500m`, `1.5`, `2Gi`, `1e3`) as a number of base units.
pub fn parse_quantity(text: &str) -> Option<f64> {
    let text = text.trim();
    const SUFFIXES: &[(&str, f64)] = &[
        ("Ki", 1024.0),
        ("Mi", 1048576.0),
        ("Gi", 1073741824.0),
        ("Ti", 1099511627776.0),
        ("Pi", 1125899906842624.0),
        ("Ei", 1152921504606846976.0),
        ("n", 1e-9),
        ("u", 1e-6),
        ("m", 1e-3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
    ];
    let (number, factor) = SUFFIXES
        .iter()
        .find_map(|(suffix, factor)| text.strip_suffix(suffix).map(|n| (n, *factor)))
        .unwrap_or((text, 1.0));
    // "1E" is exa, but "1e3" is an exponent: only digits may precede a suffix.
    if number.is_empty()
        || !number
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '+' | '-' | 'e' | 'E'))
    {
        return None;
    }
    let value: f64 = number.parse().ok()?;
    (value.is_finite() && value >= 0.0).then_some(value * factor)
}

/// A quantity node (text or number) as base units, or an error saying what was expected.
fn quantity(node: &Node, example: &str) -> Result<Option<f64>, ImportError> {
    match node.value() {
        None => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(v) if v.is_finite() && v >= 0.0 => Ok(Some(v)),
            _ => Err(node.error(format!(
                "expected a non-negative quantity such as {example}"
            ))),
        },
        Some(Value::String(s)) => parse_quantity(s).map(Some).ok_or_else(|| {
            node.error(format!(
                "expected a Kubernetes quantity such as {example}, got \"{s}\""
            ))
        }),
        Some(other) => Err(node.error(format!(
            "expected a Kubernetes quantity such as {example}, got {other}"
        ))),
    }
}

fn millicores(cores: f64) -> i64 {
    (cores * 1000.0).round() as i64
}

const MIB: f64 = 1048576.0;

/// `maxSurge`/`maxUnavailable`: an integer or a whole percent.
fn int_or_percent(node: &Node) -> Result<Option<toml::Value>, ImportError> {
    match node.value() {
        None => Ok(None),
        Some(Value::Number(n)) if n.as_u64().is_some() => {
            Ok(Some(toml::Value::Integer(n.as_u64().unwrap_or(0) as i64)))
        }
        Some(Value::String(s)) => {
            let ok = s
                .strip_suffix('%')
                .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
            if ok {
                Ok(Some(toml::Value::String(s.clone())))
            } else if let Ok(n) = s.parse::<u64>() {
                Ok(Some(toml::Value::Integer(n as i64)))
            } else {
                Err(node.error(format!(
                    "expected a whole number or a whole percent such as \"25%\", got \"{s}\""
                )))
            }
        }
        Some(other) => Err(node.error(format!(
            "expected a whole number or a whole percent such as \"25%\", got {other}"
        ))),
    }
}

/// The seconds of a `sleep N` in a preStop command (`["sleep","15"]`,
/// `["/bin/sh","-c","sleep 15"]`, or one string).
pub fn sleep_seconds(command: &[String]) -> Option<f64> {
    let words: Vec<&str> = command
        .iter()
        .flat_map(|part| part.split(|c: char| c.is_whitespace() || c == ';' || c == '&'))
        .filter(|w| !w.is_empty())
        .collect();
    let at = words
        .iter()
        .position(|w| *w == "sleep" || w.ends_with("/sleep"))?;
    let arg = words.get(at + 1)?;
    let number = arg.strip_suffix('s').unwrap_or(arg);
    number
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
}

fn seconds_text(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{}s", value as u64)
    } else {
        format!("{}ms", (value * 1000.0).round() as u64)
    }
}

/// The scenario text for a manifest (its text and file name) and optional nodes JSON.
pub fn import(
    manifest_text: &str,
    manifest_file: &str,
    nodes: Option<&Document>,
) -> Result<String, ImportError> {
    let (doc, item) = find_deployment(manifest_text, manifest_file)?;
    let deployment = match item {
        Some(at) => doc.node().get("items").at(at),
        None => doc.node(),
    };
    let mut out = ScenarioText::default();
    out.header("Imported by `deploysim import kubernetes` from:");
    out.header(format!("  {}", doc.file));
    if let Some(nodes) = nodes {
        out.header(format!("  {}", nodes.file));
    }
    out.header("Each key's comment names the field it came from, or says \"default\"");
    out.header("(the Kubernetes default) or \"assumed\" (no input says; check it).");
    out.header("CPU is in millicores (1000 = one core), for the pod and the nodes alike.");
    out.header("Timings are not in these files: `deploysim fit` fits them from observed pods.");

    let name = deployment.get("metadata").get("name");
    match name.text()? {
        Some(text) if !text.trim().is_empty() => out.set("name", text, from(&name)),
        _ => out.set("name", "imported-deployment", "assumed: no metadata.name"),
    }
    out.set("platform", "kubernetes", from(&deployment.get("kind")));
    let spec = deployment.get("spec");
    spec.required("the Deployment's spec")?;
    let replicas = spec.get("replicas");
    let desired = match replicas.whole(0, 1_000_000)? {
        Some(0) => {
            return Err(replicas.error(
                "is 0: a Deployment with no replicas has nothing to roll out; scale it up first",
            ));
        }
        Some(n) => {
            out.set("service.desired", n as i64, from(&replicas));
            n
        }
        None => {
            out.set(
                "service.desired",
                1,
                "default: no spec.replicas (Kubernetes: 1)",
            );
            1
        }
    };
    strategy(&spec, &mut out)?;
    let seconds_key =
        |out: &mut ScenarioText, node: Node, key: &str, default: &str| -> Result<(), ImportError> {
            match node.whole(0, 2_147_483_647)? {
                Some(v) => out.set(key, format!("{v}s"), from(&node)),
                None => out.set(key, default, format!("default: no {}", node.path())),
            }
            Ok(())
        };
    seconds_key(
        &mut out,
        spec.get("minReadySeconds"),
        "deployment.min_ready",
        "0s",
    )?;
    seconds_key(
        &mut out,
        spec.get("progressDeadlineSeconds"),
        "deployment.progress_deadline",
        "600s",
    )?;

    let pod = spec.get("template").get("spec");
    let containers_node = pod.get("containers");
    let containers = containers_node
        .list()?
        .ok_or_else(|| containers_node.error("is missing; expected the pod's containers"))?;
    if containers.is_empty() {
        return Err(containers_node.error("is empty; a pod has at least one container"));
    }
    let first = &containers[0];
    requests(first, &mut out)?;
    if containers.len() > 1 {
        out.unused(format!(
            "{}[1..] ({}, {} more containers): their requests are not added; deploysim reads the first container's (add them to service.task.* by hand if they matter)",
            containers_node.path(),
            super::file_name(containers_node.file()),
            containers.len() - 1
        ));
    }
    if let Some(init) = pod.get("initContainers").list()?
        && !init.is_empty()
    {
        out.unused(format!(
            "{}: init containers are not modelled (their run time shows up in the fitted start times)",
            from(&pod.get("initContainers"))
        ));
    }
    readiness(first, &pod, &mut out)?;
    seconds_key(
        &mut out,
        pod.get("terminationGracePeriodSeconds"),
        "termination.grace_period",
        "30s",
    )?;
    pre_stop(first, &mut out)?;
    anti_affinity(&pod, &mut out)?;
    match nodes {
        Some(doc) => node_sizes(doc, &mut out)?,
        None => {
            out.set(
                "cluster.hosts",
                desired as i64,
                "assumed: no --nodes given; one node per pod",
            );
            let cpu = out
                .get("service.task.cpu")
                .cloned()
                .unwrap_or(toml::Value::Integer(1000));
            let memory = out
                .get("service.task.memory")
                .cloned()
                .unwrap_or(toml::Value::Integer(1024));
            out.set(
                "cluster.host.cpu",
                cpu,
                "assumed: the pod's size; replace with status.allocatable.cpu from `kubectl get nodes -o json`",
            );
            out.set(
                "cluster.host.memory",
                memory,
                "assumed: the pod's size; replace with status.allocatable.memory",
            );
        }
    }
    Ok(out.render())
}

fn strategy(spec: &Node, out: &mut ScenarioText) -> Result<(), ImportError> {
    let strategy = spec.get("strategy");
    let kind = strategy.get("type");
    match kind.text()? {
        None | Some("RollingUpdate") => {
            let rolling = strategy.get("rollingUpdate");
            for (field, key) in [
                ("maxSurge", "deployment.max_surge"),
                ("maxUnavailable", "deployment.max_unavailable"),
            ] {
                let node = rolling.get(field);
                match int_or_percent(&node)? {
                    Some(value) => out.set(key, value, from(&node)),
                    None => out.set(key, "25%", format!("default: no {}", node.path())),
                }
            }
        }
        Some("Recreate") => {
            out.set("deployment.max_surge", 0, from(&kind));
            out.set("deployment.max_unavailable", "100%", from(&kind));
            out.note("strategy Recreate is modelled as max_surge = 0, max_unavailable = 100%: every old pod is deleted first; unlike Recreate, new pods may be created while old ones are still terminating");
        }
        Some(other) => {
            return Err(kind.error(format!(
                "expected RollingUpdate or Recreate, got \"{other}\""
            )));
        }
    }
    Ok(())
}

fn requests(container: &Node, out: &mut ScenarioText) -> Result<(), ImportError> {
    let resources = container.get("resources");
    let requests = resources.get("requests");
    let limits = resources.get("limits");
    // A container with limits but no requests gets requests equal to its limits.
    let pick = |field: &str| {
        let request = requests.get(field);
        if request.is_present() {
            (request, false)
        } else {
            (limits.get(field), true)
        }
    };
    let (cpu_node, cpu_from_limit) = pick("cpu");
    match quantity(&cpu_node, "\"500m\" or \"1.5\"")? {
        Some(cores) => {
            let why = if cpu_from_limit {
                format!(
                    "{} (no request: Kubernetes uses the limit)",
                    from(&cpu_node)
                )
            } else {
                from(&cpu_node)
            };
            out.set("service.task.cpu", millicores(cores), why);
        }
        None => out.set(
            "service.task.cpu",
            0,
            format!(
                "default: no {} (the pod reserves no CPU)",
                requests.get("cpu").path()
            ),
        ),
    }
    let (memory_node, memory_from_limit) = pick("memory");
    match quantity(&memory_node, "\"512Mi\" or \"2Gi\"")? {
        Some(bytes) => {
            // Round a request up: the pod needs at least this much.
            let mib = ((bytes / MIB).ceil() as i64).max(1);
            let why = if memory_from_limit {
                format!(
                    "{} in MiB, rounded up (no request: Kubernetes uses the limit)",
                    from(&memory_node)
                )
            } else {
                format!("{} in MiB, rounded up", from(&memory_node))
            };
            out.set("service.task.memory", mib, why);
        }
        None => out.set(
            "service.task.memory",
            1,
            format!(
                "assumed: no {}; a pod without a request reserves nothing, deploysim needs at least 1 MiB",
                requests.get("memory").path()
            ),
        ),
    }
    Ok(())
}

fn readiness(container: &Node, pod: &Node, out: &mut ScenarioText) -> Result<(), ImportError> {
    let probe = container.get("readinessProbe");
    if probe.is_present() {
        let fields = [
            ("initialDelaySeconds", "readiness.initial_delay", "0s", true),
            ("periodSeconds", "readiness.period", "10s", true),
            (
                "successThreshold",
                "readiness.success_threshold",
                "1",
                false,
            ),
            (
                "failureThreshold",
                "readiness.failure_threshold",
                "3",
                false,
            ),
        ];
        for (field, key, default, is_time) in fields {
            let node = probe.get(field);
            let low = if field == "initialDelaySeconds" { 0 } else { 1 };
            match node.whole(low, 2_147_483_647)? {
                Some(v) if is_time => out.set(key, format!("{v}s"), from(&node)),
                Some(v) => out.set(key, v as i64, from(&node)),
                None if is_time => out.set(key, default, format!("default: no {}", node.path())),
                None => out.set(
                    key,
                    default.parse::<i64>().unwrap_or(1),
                    format!("default: no {}", node.path()),
                ),
            }
        }
        if probe.get("timeoutSeconds").is_present() {
            out.unused(format!(
                "{}: a probe's outcome is modelled (pass once warmed up), not its request",
                from(&probe.get("timeoutSeconds"))
            ));
        }
    } else {
        out.set(
            "readiness.period",
            "1s",
            format!(
                "assumed: no {}; without a probe a pod is Ready as soon as its container starts",
                probe.path()
            ),
        );
    }
    for gate in pod.get("readinessGates").list()?.unwrap_or_default() {
        let condition = gate.get("conditionType");
        match condition.text()? {
            Some(c) if c.starts_with("target-health.elbv2.k8s.aws") => {
                out.set("readiness.load_balancer_gate", true, from(&condition))
            }
            _ => out.unused(format!(
                "{}: only the AWS Load Balancer Controller's gate is modelled",
                from(&condition)
            )),
        }
    }
    Ok(())
}

fn pre_stop(container: &Node, out: &mut ScenarioText) -> Result<(), ImportError> {
    let hook = container.get("lifecycle").get("preStop");
    if !hook.is_present() {
        out.set(
            "termination.pre_stop",
            "0s",
            format!("default: no {}", hook.path()),
        );
        return Ok(());
    }
    let sleep = hook.get("sleep").get("seconds");
    if let Some(v) = sleep.whole(0, 2_147_483_647)? {
        out.set("termination.pre_stop", format!("{v}s"), from(&sleep));
        return Ok(());
    }
    let command = hook.get("exec").get("command");
    let words: Vec<String> = match command.value() {
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        Some(_) => return Err(command.error("expected a command: a list of words")),
        None => Vec::new(),
    };
    match sleep_seconds(&words) {
        Some(seconds) => out.set(
            "termination.pre_stop",
            seconds_text(seconds),
            from(&command),
        ),
        None => {
            out.set(
                "termination.pre_stop",
                "0s",
                format!(
                    "assumed: {} has no `sleep N`; set its run time by hand",
                    hook.path()
                ),
            );
            out.unused(format!(
                "{}: only a `sleep N` hook has a known duration",
                from(&hook)
            ));
        }
    }
    Ok(())
}

fn anti_affinity(pod: &Node, out: &mut ScenarioText) -> Result<(), ImportError> {
    let required = pod
        .get("affinity")
        .get("podAntiAffinity")
        .get("requiredDuringSchedulingIgnoredDuringExecution");
    for (i, term) in required.list()?.unwrap_or_default().iter().enumerate() {
        let key = term.get("topologyKey");
        if key.text()? == Some("kubernetes.io/hostname") {
            out.set("service.distinct_instance", true, from(&key));
        } else {
            out.unused(format!(
                "{}[{i}]: only anti-affinity by kubernetes.io/hostname is modelled",
                required.path()
            ));
        }
    }
    if pod.get("topologySpreadConstraints").is_present() {
        out.unused(format!(
            "{}: modelled by service.placement's default spread over zones then nodes",
            from(&pod.get("topologySpreadConstraints"))
        ));
    }
    Ok(())
}

#[derive(Clone, Debug)]
struct NodeKind {
    instance_type: String,
    cpu: i64,
    memory: i64,
    count: u64,
}

fn node_sizes(doc: &Document, out: &mut ScenarioText) -> Result<(), ImportError> {
    let items_node = doc.node().get("items");
    let items = items_node.list()?.ok_or_else(|| {
        items_node.error("is missing; expected the output of `kubectl get nodes -o json`")
    })?;
    let mut kinds: Vec<NodeKind> = Vec::new();
    let mut zones: Vec<String> = Vec::new();
    let mut skipped = Vec::new();
    for node in &items {
        let kind = node.get("kind").text()?;
        if kind.is_some_and(|k| k != "Node") {
            return Err(node
                .get("kind")
                .error(format!("expected a Node, got \"{}\"", kind.unwrap_or(""))));
        }
        let name = node
            .get("metadata")
            .get("name")
            .text()?
            .unwrap_or("?")
            .to_string();
        if node.get("spec").get("unschedulable").boolean()? == Some(true) {
            skipped.push(format!("{name} (cordoned)"));
            continue;
        }
        let mut tainted = false;
        for taint in node.get("spec").get("taints").list()?.unwrap_or_default() {
            if taint.get("effect").text()? == Some("NoSchedule") {
                tainted = true;
            }
        }
        if tainted {
            skipped.push(format!("{name} (NoSchedule taint)"));
            continue;
        }
        let allocatable = node.get("status").get("allocatable");
        let cpu_node = allocatable.get("cpu");
        let cpu = quantity(&cpu_node, "\"3920m\" or \"4\"")?
            .ok_or_else(|| cpu_node.error("is missing; expected the node's allocatable CPU"))?;
        let memory_node = allocatable.get("memory");
        let memory = quantity(&memory_node, "\"15209764Ki\"")?.ok_or_else(|| {
            memory_node.error("is missing; expected the node's allocatable memory")
        })?;
        let labels = node.get("metadata").get("labels");
        let zone = labels.get("topology.kubernetes.io/zone").text()?.or(labels
            .get("failure-domain.beta.kubernetes.io/zone")
            .text()?);
        if let Some(zone) = zone
            && !zones.iter().any(|z| z == zone)
        {
            zones.push(zone.to_string());
        }
        let instance_type = labels
            .get("node.kubernetes.io/instance-type")
            .text()?
            .or(labels.get("beta.kubernetes.io/instance-type").text()?)
            .unwrap_or("node")
            .to_string();
        // Round allocatable down: a node has at most this much.
        let (cpu, memory) = (millicores(cpu), (memory / MIB).floor() as i64);
        match kinds
            .iter_mut()
            .find(|k| k.instance_type == instance_type && k.cpu == cpu && k.memory == memory)
        {
            Some(k) => k.count += 1,
            None => kinds.push(NodeKind {
                instance_type,
                cpu,
                memory,
                count: 1,
            }),
        }
    }
    let file = super::file_name(&doc.file);
    if !skipped.is_empty() {
        out.unused(format!(
            "nodes {} ({file}): pods cannot be scheduled there",
            skipped.join(", ")
        ));
    }
    if kinds.is_empty() {
        return Err(items_node.error("holds no schedulable node"));
    }
    if kinds.len() == 1 {
        let k = &kinds[0];
        out.set(
            "cluster.hosts",
            k.count as i64,
            format!("items: schedulable nodes ({file})"),
        );
        out.set(
            "cluster.host.cpu",
            k.cpu,
            format!("items[*].status.allocatable.cpu in millicores ({file})"),
        );
        out.set(
            "cluster.host.memory",
            k.memory,
            format!("items[*].status.allocatable.memory in MiB, rounded down ({file})"),
        );
    } else {
        out.note(format!(
            "{} node kinds: one [[cluster.host_group]] each; pods of other workloads are not subtracted (set used_cpu/used_memory by hand)",
            kinds.len()
        ));
        for k in &kinds {
            let source = |what: &str| format!("{what} of the {} nodes ({file})", k.instance_type);
            out.host_group(vec![
                (
                    "name",
                    toml::Value::from(k.instance_type.clone()),
                    source("metadata.labels[node.kubernetes.io/instance-type]"),
                ),
                (
                    "count",
                    toml::Value::Integer(k.count as i64),
                    source("schedulable nodes"),
                ),
                (
                    "cpu",
                    toml::Value::Integer(k.cpu),
                    source("status.allocatable.cpu in millicores"),
                ),
                (
                    "memory",
                    toml::Value::Integer(k.memory),
                    source("status.allocatable.memory in MiB, rounded down"),
                ),
            ]);
        }
    }
    if zones.is_empty() {
        out.set(
            "cluster.zones",
            1,
            format!("default: no node has a topology.kubernetes.io/zone label ({file})"),
        );
    } else {
        out.set(
            "cluster.zones",
            zones.len() as i64,
            format!(
                "distinct metadata.labels[topology.kubernetes.io/zone] values: {} ({file})",
                zones.join(", ")
            ),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_as_kubernetes_writes_them() {
        assert_eq!(parse_quantity("500m"), Some(0.5));
        assert_eq!(parse_quantity("1.5"), Some(1.5));
        assert_eq!(parse_quantity("512Mi"), Some(512.0 * MIB));
        assert_eq!(parse_quantity("2Gi"), Some(2048.0 * MIB));
        assert_eq!(parse_quantity("1e3"), Some(1000.0));
        assert_eq!(parse_quantity("1G"), Some(1e9));
        assert_eq!(parse_quantity("15209764Ki"), Some(15209764.0 * 1024.0));
        assert_eq!(parse_quantity("abc"), None);
        assert_eq!(parse_quantity("-1"), None);
        assert_eq!(parse_quantity("Mi"), None);
    }

    #[test]
    fn pre_stop_sleeps_in_every_spelling() {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(sleep_seconds(&words(&["sleep", "15"])), Some(15.0));
        assert_eq!(
            sleep_seconds(&words(&["/bin/sh", "-c", "sleep 5"])),
            Some(5.0)
        );
        assert_eq!(
            sleep_seconds(&words(&["sh", "-c", "echo bye; sleep 2.5"])),
            Some(2.5)
        );
        assert_eq!(
            sleep_seconds(&words(&["/usr/bin/sleep", "10s"])),
            Some(10.0)
        );
        assert_eq!(sleep_seconds(&words(&["nginx", "-s", "quit"])), None);
    }
}

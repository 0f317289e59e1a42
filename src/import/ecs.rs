//! `deploysim import ecs`: a scenario from what `aws ecs describe-services`,
//! `describe-task-definition`, `aws elbv2 describe-target-groups`,
//! `describe-target-group-attributes` and `aws ecs describe-container-instances` print.

use super::emit::ScenarioText;
use super::source::{Document, ImportError, Node};

/// The parsed input files; only the service and task definition are required.
#[derive(Clone, Debug)]
pub struct EcsInputs {
    pub service: Document,
    pub task_definition: Document,
    pub target_group: Option<Document>,
    pub target_group_attributes: Option<Document>,
    pub container_instances: Option<Document>,
}

/// `path (file)`: where a value came from.
fn from(node: &Node) -> String {
    format!("{} ({})", node.path(), super::file_name(node.file()))
}

fn minutes(value: u64) -> String {
    format!("{value}m")
}

fn seconds(value: u64) -> String {
    format!("{value}s")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LaunchType {
    Ec2,
    Fargate,
}

/// The scenario text for these inputs.
pub fn import(inputs: &EcsInputs) -> Result<String, ImportError> {
    let mut out = ScenarioText::default();
    out.header("Imported by `deploysim import ecs` from:");
    for doc in [
        Some(&inputs.service),
        Some(&inputs.task_definition),
        inputs.target_group.as_ref(),
        inputs.target_group_attributes.as_ref(),
        inputs.container_instances.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        out.header(format!("  {}", doc.file));
    }
    out.header("Each key's comment names the JSON field it came from, or says \"default\"");
    out.header("(the documented AWS default) or \"assumed\" (no input says; check it).");
    out.header("Timings are not in these files: `deploysim fit` fits them from observed tasks.");

    let service = pick_service(&inputs.service)?;
    let task = inputs.task_definition.node().get("taskDefinition");
    task.required("the object `taskDefinition` that `aws ecs describe-task-definition` prints")?;

    let name = service.get("serviceName");
    match name.text()? {
        Some(text) if !text.trim().is_empty() => out.set("name", text, from(&name)),
        _ => out.set("name", "imported-ecs-service", "assumed: no serviceName"),
    }
    if let Some(family) = task.get("family").text()? {
        let revision = task.get("revision").whole(0, u64::MAX)?;
        let description = match revision {
            Some(r) => format!("task definition {family}:{r}"),
            None => format!("task definition {family}"),
        };
        out.set(
            "description",
            description,
            format!(
                "{} ({})",
                task.get("family").path(),
                super::file_name(task.file())
            ),
        );
    }

    let scheduling = service.get("schedulingStrategy");
    if scheduling.text()? == Some("DAEMON") {
        return Err(scheduling.error(
            "is DAEMON (one task on every instance); deploysim models REPLICA services, which deploy a desired count",
        ));
    }
    if service
        .get("loadBalancers")
        .list()?
        .unwrap_or_default()
        .is_empty()
    {
        out.note("the service has no load balancer: deploysim still models a task as healthy after load-balancer-style checks (health_check.*), so set them to how your tasks are judged healthy");
    }
    let launch = launch_type(&service, &task, &mut out)?;
    let desired = service.get("desiredCount");
    let count = desired
        .whole(0, 1_000_000)?
        .ok_or_else(|| desired.error("is missing; expected the service's desired task count"))?;
    if count == 0 {
        return Err(desired.error(
            "is 0: a service with no tasks has nothing to deploy; scale it up or import another service",
        ));
    }
    out.set("service.desired", count as i64, from(&desired));
    task_size(&task, launch, &mut out)?;
    deployment(&service, &mut out)?;
    if launch == LaunchType::Ec2 {
        placement(&service, &mut out)?;
    } else {
        for field in ["placementStrategy", "placementConstraints"] {
            if let Some(items) = service.get(field).list()?
                && !items.is_empty()
            {
                out.unused(format!(
                    "{}: Fargate places every task on its own micro-VM",
                    from(&service.get(field))
                ));
            }
        }
    }
    let grace = service.get("healthCheckGracePeriodSeconds");
    if let Some(value) = grace.whole(0, 2_147_483_647)? {
        out.set("health_check.grace_period", seconds(value), from(&grace));
    }
    target_group(inputs, &service, &mut out)?;
    match (launch, &inputs.container_instances) {
        (LaunchType::Ec2, Some(doc)) => container_instances(doc, &mut out)?,
        (LaunchType::Ec2, None) => {
            out.set(
                "cluster.hosts",
                count as i64,
                "assumed: no --container-instances given; one host per task",
            );
            let cpu = out
                .get("service.task.cpu")
                .cloned()
                .unwrap_or(toml::Value::Integer(1024));
            let memory = out
                .get("service.task.memory")
                .cloned()
                .unwrap_or(toml::Value::Integer(1024));
            out.set(
                "cluster.host.cpu",
                cpu,
                "assumed: the task's size; replace with registeredResources CPU from `aws ecs describe-container-instances`",
            );
            out.set(
                "cluster.host.memory",
                memory,
                "assumed: the task's size; replace with registeredResources MEMORY",
            );
        }
        (LaunchType::Fargate, Some(doc)) => out.unused(format!(
            "{}: container instances are not used on Fargate",
            doc.file
        )),
        (LaunchType::Fargate, None) => {}
    }
    unused_service_fields(&service, &mut out);
    Ok(out.render())
}

/// `services[0]`, or a clear error when the file holds no service.
fn pick_service(doc: &Document) -> Result<Node<'_>, ImportError> {
    let root = doc.node();
    let services = root.get("services");
    let list = services
        .list()?
        .ok_or_else(|| {
            services.error("is missing; expected the output of `aws ecs describe-services` (an object with a `services` list)")
        })?;
    if list.is_empty() {
        let reasons: Vec<String> = root
            .get("failures")
            .list()?
            .unwrap_or_default()
            .iter()
            .filter_map(|f| {
                let arn = f.get("arn").text().ok().flatten().unwrap_or("?");
                let reason = f.get("reason").text().ok().flatten()?;
                Some(format!("{arn}: {reason}"))
            })
            .collect();
        let why = if reasons.is_empty() {
            String::new()
        } else {
            format!(" (failures: {})", reasons.join("; "))
        };
        return Err(services.error(format!(
            "holds no service{why}; check the --cluster and --services given to `aws ecs describe-services`"
        )));
    }
    let service = list[0].clone();
    if !service.is_object() {
        return Err(service.error("expected an object describing a service"));
    }
    Ok(service)
}

fn launch_type(
    service: &Node,
    task: &Node,
    out: &mut ScenarioText,
) -> Result<LaunchType, ImportError> {
    let field = service.get("launchType");
    if let Some(text) = field.text()? {
        return match text {
            "EC2" => {
                out.note(format!("launch type EC2 ({})", from(&field)));
                Ok(LaunchType::Ec2)
            }
            "FARGATE" => {
                out.set("cluster.launch_type", "fargate", from(&field));
                Ok(LaunchType::Fargate)
            }
            other => Err(field.error(format!(
                "launch type \"{other}\" is not modelled; deploysim models EC2 and FARGATE"
            ))),
        };
    }
    let strategy = service.get("capacityProviderStrategy");
    if let Some(items) = strategy.list()?
        && !items.is_empty()
    {
        // The provider that gets most tasks decides; a mix cannot be modelled.
        let mut best: Option<(u64, u64, String, Node)> = None;
        let mut names = Vec::new();
        for item in &items {
            let provider = item.get("capacityProvider");
            let name = provider
                .text()?
                .ok_or_else(|| provider.error("is missing; expected a capacity provider name"))?
                .to_string();
            let weight = item.get("weight").whole(0, 1000)?.unwrap_or(0);
            let base = item.get("base").whole(0, 100_000)?.unwrap_or(0);
            names.push(name.clone());
            if best
                .as_ref()
                .is_none_or(|(w, b, _, _)| (weight, base) > (*w, *b))
            {
                best = Some((weight, base, name, provider));
            }
        }
        let (_, _, name, provider) = best.expect("non-empty list");
        if names.len() > 1 {
            out.note(format!(
                "{} splits tasks over {}; modelled as all on {name}, the provider with the largest weight",
                from(&strategy),
                names.join(", ")
            ));
        }
        return if name == "FARGATE" || name == "FARGATE_SPOT" {
            out.set("cluster.launch_type", "fargate", from(&provider));
            if name == "FARGATE_SPOT" {
                out.unused(format!(
                    "{}: FARGATE_SPOT interruptions are not modelled",
                    from(&provider)
                ));
            }
            Ok(LaunchType::Fargate)
        } else {
            out.note(format!(
                "{} is an EC2 (Auto Scaling group) capacity provider: launch type EC2",
                from(&provider)
            ));
            out.unused(format!(
                "{}: its managed scaling settings are printed by `aws ecs describe-capacity-providers`, which this importer does not read; add [autoscaling] by hand to model scale-out",
                from(&provider)
            ));
            Ok(LaunchType::Ec2)
        };
    }
    let compat = task.get("requiresCompatibilities");
    let compat_list: Vec<String> = compat
        .list()?
        .unwrap_or_default()
        .iter()
        .filter_map(|n| n.text().ok().flatten().map(str::to_string))
        .collect();
    if compat_list == ["FARGATE"] {
        out.set("cluster.launch_type", "fargate", from(&compat));
        return Ok(LaunchType::Fargate);
    }
    out.note("launch type EC2: the service names neither launchType nor capacityProviderStrategy (default)");
    Ok(LaunchType::Ec2)
}

/// `cpu` given as "1024" or "1 vCPU"; memory as "2048", "2 GB" or "2GB".
fn task_level(node: &Node, per_unit: f64, units: &[&str]) -> Result<Option<u64>, ImportError> {
    let Some(value) = node.value() else {
        return Ok(None);
    };
    if let Ok(Some(v)) = node.whole(0, 10_000_000) {
        return Ok(Some(v));
    }
    if let Some(text) = value.as_str() {
        let lower = text.trim().to_ascii_lowercase();
        for unit in units {
            if let Some(number) = lower.strip_suffix(unit)
                && let Ok(n) = number.trim().parse::<f64>()
                && n.is_finite()
                && n >= 0.0
            {
                return Ok(Some((n * per_unit).round() as u64));
            }
        }
    }
    Err(node.error(format!(
        "expected a whole number (like \"1024\") or a number with a unit ({}), got {value}",
        units.join(", ")
    )))
}

fn task_size(task: &Node, launch: LaunchType, out: &mut ScenarioText) -> Result<(), ImportError> {
    let containers = task.get("containerDefinitions");
    let list = containers
        .list()?
        .ok_or_else(|| containers.error("is missing; expected the task's container definitions"))?;
    if list.is_empty() {
        return Err(containers.error("is empty; a task definition has at least one container"));
    }
    let cpu_node = task.get("cpu");
    let memory_node = task.get("memory");
    let cpu = task_level(&cpu_node, 1024.0, &["vcpu"])?;
    let memory = task_level(&memory_node, 1024.0, &["gb"])?;
    match cpu {
        Some(cpu) => out.set("service.task.cpu", cpu as i64, from(&cpu_node)),
        None => {
            let mut total = 0;
            for c in &list {
                total += c.get("cpu").whole(0, 10_000_000)?.unwrap_or(0);
            }
            out.set(
                "service.task.cpu",
                total as i64,
                format!(
                    "sum of {}[*].cpu ({}); no task-level cpu",
                    containers.path(),
                    super::file_name(containers.file())
                ),
            );
        }
    }
    match memory {
        Some(memory) => out.set("service.task.memory", memory as i64, from(&memory_node)),
        None => {
            // On EC2 a container reserves its soft limit (memoryReservation) when it has
            // one, else its hard limit (memory).
            let mut total = 0;
            for c in &list {
                let reservation = c.get("memoryReservation").whole(0, 100_000_000)?;
                let hard = c.get("memory").whole(0, 100_000_000)?;
                match reservation.or(hard) {
                    Some(m) => total += m,
                    None => {
                        return Err(c.error(
                            "has neither memory nor memoryReservation, and the task has no task-level memory; ECS requires one of them",
                        ));
                    }
                }
            }
            out.set(
                "service.task.memory",
                total as i64,
                format!(
                    "sum over {}[*] of memoryReservation, else memory ({}); no task-level memory",
                    containers.path(),
                    super::file_name(containers.file())
                ),
            );
        }
    }
    if launch == LaunchType::Fargate && (cpu.is_none() || memory.is_none()) {
        return Err(task.error(
            "a Fargate task definition needs task-level cpu and memory (e.g. \"cpu\": \"256\", \"memory\": \"512\")",
        ));
    }
    let mut stop: Option<(u64, Node)> = None;
    for c in &list {
        let node = c.get("stopTimeout");
        if let Some(v) = node.whole(0, 86_400)?
            && stop.as_ref().is_none_or(|(best, _)| v > *best)
        {
            stop = Some((v, node));
        }
    }
    match stop {
        Some((v, node)) => {
            let v = if launch == LaunchType::Fargate && v > 120 {
                out.note(format!("{} is {v}s; Fargate caps it at 120s", from(&node)));
                120
            } else {
                v
            };
            out.set("draining.stop_timeout", seconds(v), from(&node));
        }
        None => out.set(
            "draining.stop_timeout",
            "30s",
            "default: no containerDefinitions[*].stopTimeout; the ECS agent waits 30s",
        ),
    }
    let mut ignored = Vec::new();
    for (i, c) in list.iter().enumerate() {
        for key in ["healthCheck", "dependsOn", "startTimeout"] {
            if c.get(key).is_present() {
                ignored.push(format!("{}[{i}].{key}", containers.path()));
            }
        }
    }
    if !ignored.is_empty() {
        out.unused(format!(
            "{} ({}): container health checks and start ordering are not modelled; the load balancer's checks are",
            ignored.join(", "),
            super::file_name(containers.file())
        ));
    }
    Ok(())
}

fn deployment(service: &Node, out: &mut ScenarioText) -> Result<(), ImportError> {
    let controller = service.get("deploymentController").get("type");
    let config = service.get("deploymentConfiguration");
    let strategy_node = config.get("strategy");
    let strategy = match controller.text()? {
        None | Some("ECS") => strategy_node.text()?.unwrap_or("ROLLING").to_string(),
        Some("CODE_DEPLOY") => {
            out.note(format!(
                "{} is CODE_DEPLOY: modelled as an all-at-once blue/green shift; the CodeDeploy deployment group's traffic routing and termination wait are not in this file",
                from(&controller)
            ));
            "CODE_DEPLOY".to_string()
        }
        Some(other) => {
            return Err(controller.error(format!(
                "deployment controller \"{other}\" is not modelled; deploysim models the ECS controller (rolling, blue/green, linear, canary) and CODE_DEPLOY blue/green"
            )));
        }
    };
    let rolling = strategy == "ROLLING";
    match strategy.as_str() {
        "ROLLING" => out.note(
            "rolling update (deploymentConfiguration.strategy ROLLING or absent): deployment.strategy is left at its default",
        ),
        "BLUE_GREEN" | "CODE_DEPLOY" => {
            let source = if strategy == "CODE_DEPLOY" {
                from(&controller)
            } else {
                from(&strategy_node)
            };
            out.set("deployment.strategy", "blue_green", source);
        }
        "LINEAR" => {
            out.set("deployment.strategy", "linear", from(&strategy_node));
            let linear = config.get("linearConfiguration");
            let step = linear.get("stepPercent");
            if let Some(value) = number(&step)? {
                out.set("deployment.step_percent", toml_number(value), from(&step));
            }
            let bake = linear.get("stepBakeTimeInMinutes");
            if let Some(value) = bake.whole(0, 1440)? {
                out.set("deployment.step_bake_time", minutes(value), from(&bake));
            }
        }
        "CANARY" => {
            out.set("deployment.strategy", "canary", from(&strategy_node));
            let canary = config.get("canaryConfiguration");
            let percent = canary.get("canaryPercent");
            if let Some(value) = number(&percent)? {
                out.set("deployment.canary_percent", toml_number(value), from(&percent));
            }
            let bake = canary.get("canaryBakeTimeInMinutes");
            if let Some(value) = bake.whole(0, 1440)? {
                out.set("deployment.canary_bake_time", minutes(value), from(&bake));
            }
        }
        other => {
            return Err(strategy_node.error(format!(
                "expected ROLLING, BLUE_GREEN, LINEAR or CANARY, got \"{other}\""
            )));
        }
    }
    if !rolling {
        let bake = config.get("bakeTimeInMinutes");
        match bake.whole(0, 1440)? {
            Some(value) => out.set("deployment.bake_time", minutes(value), from(&bake)),
            None => out.set(
                "deployment.bake_time",
                "0s",
                "assumed: no deploymentConfiguration.bakeTimeInMinutes",
            ),
        }
    }
    for (field, key) in [
        (
            "minimumHealthyPercent",
            "deployment.minimum_healthy_percent",
        ),
        ("maximumPercent", "deployment.maximum_percent"),
    ] {
        let node = config.get(field);
        let low = if field == "maximumPercent" { 100 } else { 0 };
        let high = if field == "maximumPercent" { 1000 } else { 100 };
        if let Some(value) = node.whole(low, high)? {
            if rolling {
                out.set(key, value as i64, from(&node));
            } else {
                out.unused(format!(
                    "{}: does not apply to a {} deployment",
                    from(&node),
                    strategy.to_lowercase()
                ));
            }
        } else if rolling {
            let default = if field == "maximumPercent" { 200 } else { 100 };
            out.set(key, default, format!("default: no {}", node.path()));
        }
    }
    let breaker = config.get("deploymentCircuitBreaker");
    let breaker_on = breaker.get("enable").boolean()?.unwrap_or(false);
    let breaker_rollback = breaker.get("rollback").boolean()?.unwrap_or(false);
    if breaker.is_present() {
        out.set(
            "deployment.circuit_breaker",
            breaker_on,
            from(&breaker.get("enable")),
        );
    }
    let alarms = config.get("alarms");
    let alarms_on = alarms.get("enable").boolean()?.unwrap_or(false);
    let alarms_rollback = alarms.get("rollback").boolean()?.unwrap_or(false);
    if alarms.is_present() {
        out.set("deployment.alarms", alarms_on, from(&alarms.get("enable")));
        if alarms.get("alarmNames").is_present() {
            out.unused(format!(
                "{}: which alarms fire is modelled by failures.bad_revision_probability and deployment.alarm_delay, not by name",
                from(&alarms.get("alarmNames"))
            ));
        }
    }
    if (breaker_on && breaker_rollback) || (alarms_on && alarms_rollback) {
        let source = if breaker_on && breaker_rollback {
            from(&breaker.get("rollback"))
        } else {
            from(&alarms.get("rollback"))
        };
        out.set("deployment.rollback", true, source);
    } else if breaker.is_present() || alarms.is_present() {
        out.set(
            "deployment.rollback",
            false,
            "deploymentCircuitBreaker.rollback / alarms.rollback are off",
        );
    }
    if let Some(hooks) = config.get("lifecycleHooks").list()?
        && !hooks.is_empty()
    {
        out.unused(format!(
            "{} ({} hooks): their run times are not in the API; set deployment.hooks.before_production / after_production to how long they take",
            from(&config.get("lifecycleHooks")),
            hooks.len()
        ));
    }
    Ok(())
}

/// A number (integer or not), for percents the API gives as doubles.
fn number(node: &Node) -> Result<Option<f64>, ImportError> {
    match node.value() {
        None => Ok(None),
        Some(v) => match v.as_f64() {
            Some(f) if f.is_finite() && (0.0..=100.0).contains(&f) => Ok(Some(f)),
            _ => Err(node.error(format!("expected a percent from 0 to 100, got {v}"))),
        },
    }
}

fn toml_number(value: f64) -> toml::Value {
    if value.fract() == 0.0 {
        toml::Value::Integer(value as i64)
    } else {
        toml::Value::Float(value)
    }
}

fn placement(service: &Node, out: &mut ScenarioText) -> Result<(), ImportError> {
    let strategies = service.get("placementStrategy");
    let mut names: Vec<toml::Value> = Vec::new();
    for item in strategies.list()?.unwrap_or_default() {
        let kind = item.get("type");
        let field = item.get("field");
        let field_text = field.text()?.unwrap_or("");
        let name = match kind.text()? {
            Some("spread") => match field_text {
                "attribute:ecs.availability-zone" => Some("spread:zone"),
                "instanceId" | "host" => Some("spread:host"),
                _ => None,
            },
            Some("binpack") => match field_text.to_ascii_lowercase().as_str() {
                "memory" => Some("binpack:memory"),
                "cpu" => Some("binpack:cpu"),
                _ => None,
            },
            Some("random") => Some("random"),
            _ => {
                return Err(kind.error(format!(
                    "expected a placement strategy type (spread, binpack or random), got {}",
                    kind.value()
                        .map_or("nothing".to_string(), |v| v.to_string())
                )));
            }
        };
        match name {
            Some(name) => names.push(name.into()),
            None => out.unused(format!(
                "{}: spread/binpack on \"{field_text}\" is not modelled (zones, hosts, cpu and memory are)",
                from(&item)
            )),
        }
    }
    if !names.is_empty() {
        out.set("service.placement", names, from(&strategies));
    } else {
        out.set(
            "service.placement",
            vec!["spread:zone", "spread:host"],
            "default: the service lists no placementStrategy; deploysim's default (the ECS console's AZ-balanced spread)",
        );
    }
    let constraints = service.get("placementConstraints");
    for item in constraints.list()?.unwrap_or_default() {
        match item.get("type").text()? {
            Some("distinctInstance") => {
                out.set("service.distinct_instance", true, from(&item.get("type")))
            }
            _ => out.unused(format!(
                "{}: memberOf expressions are not modelled",
                from(&item)
            )),
        }
    }
    Ok(())
}

fn target_group(
    inputs: &EcsInputs,
    service: &Node,
    out: &mut ScenarioText,
) -> Result<(), ImportError> {
    let wanted_arn = service
        .get("loadBalancers")
        .at(0)
        .get("targetGroupArn")
        .text()?
        .map(str::to_string);
    if let Some(doc) = &inputs.target_group {
        let groups_node = doc.node().get("TargetGroups");
        let groups = groups_node.list()?.ok_or_else(|| {
            groups_node
                .error("is missing; expected the output of `aws elbv2 describe-target-groups`")
        })?;
        if groups.is_empty() {
            return Err(groups_node.error("holds no target group"));
        }
        let group = groups
            .iter()
            .find(|g| {
                wanted_arn.is_some()
                    && g.get("TargetGroupArn").text().ok().flatten() == wanted_arn.as_deref()
            })
            .unwrap_or(&groups[0])
            .clone();
        let interval = group.get("HealthCheckIntervalSeconds");
        if let Some(v) = interval.whole(5, 300)? {
            out.set("health_check.interval", seconds(v), from(&interval));
        }
        let healthy = group.get("HealthyThresholdCount");
        if let Some(v) = healthy.whole(2, 10)? {
            out.set("health_check.healthy_threshold", v as i64, from(&healthy));
        }
        let unhealthy = group.get("UnhealthyThresholdCount");
        if let Some(v) = unhealthy.whole(2, 10)? {
            out.set(
                "health_check.unhealthy_threshold",
                v as i64,
                from(&unhealthy),
            );
        }
        let ignored: Vec<&str> = [
            "HealthCheckTimeoutSeconds",
            "HealthCheckPath",
            "Matcher",
            "HealthCheckProtocol",
            "HealthCheckPort",
        ]
        .into_iter()
        .filter(|k| group.get(k).is_present())
        .collect();
        if !ignored.is_empty() {
            out.unused(format!(
                "{}.{{{}}} ({}): a check's outcome is modelled (pass once warmed up), not its request",
                group.path(),
                ignored.join(", "),
                super::file_name(group.file())
            ));
        }
    } else if wanted_arn.is_some() {
        out.note("the service has a load balancer but no --target-group was given: health_check.* keep their defaults (ALB: 30s, 5 healthy, 2 unhealthy)");
    }
    if let Some(doc) = &inputs.target_group_attributes {
        let attributes_node = doc.node().get("Attributes");
        let attributes = attributes_node.list()?.ok_or_else(|| {
            attributes_node.error(
                "is missing; expected the output of `aws elbv2 describe-target-group-attributes`",
            )
        })?;
        let mut ignored = Vec::new();
        for attribute in attributes {
            let key_node = attribute.get("Key");
            let key = key_node
                .text()?
                .ok_or_else(|| key_node.error("is missing; expected an attribute name"))?;
            let value = attribute.get("Value");
            match key {
                "deregistration_delay.timeout_seconds" => {
                    let v = value.whole(0, 3600)?.ok_or_else(|| {
                        value.error("is missing; expected the delay in seconds, e.g. \"300\"")
                    })?;
                    out.set("draining.deregistration_delay", seconds(v), from(&value));
                }
                "slow_start.duration_seconds" => {
                    if value.whole(0, 900)?.unwrap_or(0) > 0 {
                        out.unused(format!("{}: slow start is not modelled", from(&value)));
                    }
                }
                other => ignored.push(other.to_string()),
            }
        }
        if !ignored.is_empty() {
            out.unused(format!(
                "{}: {} ({}): request routing settings; the model does not route requests",
                attributes_node.path(),
                ignored.join(", "),
                super::file_name(attributes_node.file())
            ));
        }
    }
    Ok(())
}

/// One kind of host: instance type and registered size.
#[derive(Clone, Debug, PartialEq, Eq)]
struct HostKind {
    instance_type: String,
    cpu: u64,
    memory: u64,
    busy: u64,
    empty: u64,
}

fn container_instances(doc: &Document, out: &mut ScenarioText) -> Result<(), ImportError> {
    let list_node = doc.node().get("containerInstances");
    let list = list_node.list()?.ok_or_else(|| {
        list_node.error("is missing; expected the output of `aws ecs describe-container-instances`")
    })?;
    let mut kinds: Vec<HostKind> = Vec::new();
    let mut zones: Vec<String> = Vec::new();
    let mut skipped = Vec::new();
    for instance in &list {
        let status = instance.get("status").text()?.unwrap_or("ACTIVE");
        if status != "ACTIVE" {
            skipped.push(format!("{} is {status}", instance.path()));
            continue;
        }
        let mut cpu = None;
        let mut memory = None;
        let resources = instance.get("registeredResources");
        for resource in resources.list()?.ok_or_else(|| {
            resources.error("is missing; expected the instance's registered CPU and MEMORY")
        })? {
            let value = resource.get("integerValue");
            match resource.get("name").text()? {
                Some("CPU") => cpu = value.whole(1, 10_000_000)?,
                Some("MEMORY") => memory = value.whole(1, 100_000_000)?,
                _ => {}
            }
        }
        let cpu = cpu.ok_or_else(|| resources.error("has no CPU entry with an integerValue"))?;
        let memory =
            memory.ok_or_else(|| resources.error("has no MEMORY entry with an integerValue"))?;
        let mut instance_type = String::from("unknown-type");
        for attribute in instance.get("attributes").list()?.unwrap_or_default() {
            let value = attribute.get("value").text()?.unwrap_or("");
            match attribute.get("name").text()? {
                Some("ecs.availability-zone") if !zones.iter().any(|z| z == value) => {
                    zones.push(value.to_string())
                }
                Some("ecs.instance-type") => instance_type = value.to_string(),
                _ => {}
            }
        }
        let tasks = instance
            .get("runningTasksCount")
            .whole(0, 1_000_000)?
            .unwrap_or(0)
            + instance
                .get("pendingTasksCount")
                .whole(0, 1_000_000)?
                .unwrap_or(0);
        let kind = match kinds
            .iter_mut()
            .find(|k| k.instance_type == instance_type && k.cpu == cpu && k.memory == memory)
        {
            Some(kind) => kind,
            None => {
                kinds.push(HostKind {
                    instance_type: instance_type.clone(),
                    cpu,
                    memory,
                    busy: 0,
                    empty: 0,
                });
                kinds.last_mut().expect("just pushed")
            }
        };
        if tasks > 0 {
            kind.busy += 1;
        } else {
            kind.empty += 1;
        }
    }
    if !skipped.is_empty() {
        out.unused(format!(
            "{} ({}): not ACTIVE, so they take no tasks",
            skipped.join(", "),
            super::file_name(&doc.file)
        ));
    }
    if kinds.is_empty() {
        return Err(list_node.error(
            "holds no ACTIVE container instance; the cluster has no host to place tasks on",
        ));
    }
    let source = |what: &str| format!("{what} ({})", super::file_name(&doc.file));
    let busy: u64 = kinds.iter().map(|k| k.busy).sum();
    let empty: u64 = kinds.iter().map(|k| k.empty).sum();
    // Instances that run tasks host the service before the deploy; empty ones are spare.
    // When none runs a task (a fresh cluster) all of them are service hosts.
    let all_service = busy == 0;
    if kinds.len() == 1 {
        let kind = &kinds[0];
        if all_service {
            out.set(
                "cluster.hosts",
                kind.empty as i64,
                source("containerInstances: ACTIVE instances (none runs a task yet)"),
            );
        } else {
            out.set(
                "cluster.hosts",
                busy as i64,
                source("containerInstances: ACTIVE instances with runningTasksCount + pendingTasksCount > 0"),
            );
            out.set(
                "cluster.spare_hosts",
                empty as i64,
                source("containerInstances: ACTIVE instances running no task"),
            );
        }
        out.set(
            "cluster.host.cpu",
            kind.cpu as i64,
            source("containerInstances[*].registeredResources[name=CPU].integerValue"),
        );
        out.set(
            "cluster.host.memory",
            kind.memory as i64,
            source("containerInstances[*].registeredResources[name=MEMORY].integerValue"),
        );
    } else {
        out.note(format!(
            "{} instance kinds: one [[cluster.host_group]] each (instances running tasks), and a spare group for each kind's empty instances; used_cpu/used_memory are left at 0 because registered minus remaining resources cannot tell this service's tasks from others'",
            kinds.len()
        ));
        for kind in &kinds {
            let size = |what: &str| {
                source(&format!(
                    "registeredResources[name={what}].integerValue of the {} instances",
                    kind.instance_type
                ))
            };
            let parts = if all_service {
                [(kind.empty, false), (0, true)]
            } else {
                [(kind.busy, false), (kind.empty, true)]
            };
            for (count, spare) in parts {
                if count == 0 {
                    continue;
                }
                let name = if spare {
                    format!("{}-spare", kind.instance_type)
                } else {
                    kind.instance_type.clone()
                };
                let mut keys = vec![
                    (
                        "name",
                        toml::Value::from(name),
                        source("attributes[name=ecs.instance-type].value"),
                    ),
                    (
                        "count",
                        toml::Value::Integer(count as i64),
                        source(if spare {
                            "ACTIVE instances of this kind running no task"
                        } else {
                            "ACTIVE instances of this kind running tasks"
                        }),
                    ),
                    ("cpu", toml::Value::Integer(kind.cpu as i64), size("CPU")),
                    (
                        "memory",
                        toml::Value::Integer(kind.memory as i64),
                        size("MEMORY"),
                    ),
                ];
                if spare {
                    keys.push((
                        "spare",
                        toml::Value::Boolean(true),
                        source("these instances run no task"),
                    ));
                }
                out.host_group(keys);
            }
        }
        out.remove("cluster.hosts");
        out.remove("cluster.host.cpu");
        out.remove("cluster.host.memory");
    }
    if zones.is_empty() {
        out.set(
            "cluster.zones",
            1,
            source("default: no instance has an ecs.availability-zone attribute"),
        );
    } else {
        out.set(
            "cluster.zones",
            zones.len() as i64,
            source(&format!(
                "distinct attributes[name=ecs.availability-zone] values: {}",
                zones.join(", ")
            )),
        );
        out.note("hosts are assigned to zones round-robin (host i in zone i mod zones), not as the instances really are");
    }
    Ok(())
}

/// Service fields that describe its state or settings the model has no place for.
fn unused_service_fields(service: &Node, out: &mut ScenarioText) {
    const USED: &[&str] = &[
        "serviceName",
        "desiredCount",
        "launchType",
        "capacityProviderStrategy",
        "deploymentConfiguration",
        "deploymentController",
        "placementStrategy",
        "placementConstraints",
        "healthCheckGracePeriodSeconds",
        "loadBalancers",
    ];
    const STATE: &[&str] = &[
        "serviceArn",
        "clusterArn",
        "status",
        "runningCount",
        "pendingCount",
        "taskDefinition",
        "deployments",
        "events",
        "createdAt",
        "createdBy",
        "roleArn",
        "taskSets",
        "tags",
        "propagateTags",
        "enableECSManagedTags",
        "enableExecuteCommand",
        "availabilityZoneRebalancing",
        "currentServiceDeployment",
        "currentServiceRevisions",
    ];
    let keys = service.keys();
    let state: Vec<&str> = keys
        .iter()
        .map(String::as_str)
        .filter(|k| STATE.contains(k))
        .collect();
    let other: Vec<&str> = keys
        .iter()
        .map(String::as_str)
        .filter(|k| !USED.contains(k) && !STATE.contains(k))
        .collect();
    if !state.is_empty() {
        out.unused(format!(
            "{}.{{{}}} ({}): the service's identity and current state, not its configuration",
            service.path(),
            state.join(", "),
            super::file_name(service.file())
        ));
    }
    if !other.is_empty() {
        out.unused(format!(
            "{}.{{{}}} ({}): settings the model has no place for",
            service.path(),
            other.join(", "),
            super::file_name(service.file())
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(service: &str) -> EcsInputs {
        EcsInputs {
            service: Document::parse_json(service, "s.json").unwrap(),
            task_definition: Document::parse_json(
                r#"{"taskDefinition": {"family": "f", "cpu": "1 vCPU", "memory": "2 GB",
                    "containerDefinitions": [{"name": "c", "stopTimeout": 200}]}}"#,
                "t.json",
            )
            .unwrap(),
            target_group: None,
            target_group_attributes: None,
            container_instances: None,
        }
    }

    #[test]
    fn linear_strategy_on_fargate_capacity_provider() {
        let text = import(&inputs(
            r#"{"services": [{"serviceName": "lin", "desiredCount": 4,
                "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}],
                "deploymentConfiguration": {"strategy": "LINEAR", "bakeTimeInMinutes": 0,
                  "linearConfiguration": {"stepPercent": 25.0, "stepBakeTimeInMinutes": 3},
                  "maximumPercent": 200, "minimumHealthyPercent": 100}}]}"#,
        ))
        .unwrap();
        let table: toml::Table = text.parse().unwrap();
        let d = &table["deployment"];
        assert_eq!(d["strategy"].as_str(), Some("linear"));
        assert_eq!(d["step_percent"].as_integer(), Some(25));
        assert_eq!(d["step_bake_time"].as_str(), Some("3m"));
        assert_eq!(d["bake_time"].as_str(), Some("0m"));
        assert!(d.get("maximum_percent").is_none(), "{text}");
        assert_eq!(table["cluster"]["launch_type"].as_str(), Some("fargate"));
        // "1 vCPU" and "2 GB" as the console writes them; Fargate caps stopTimeout at 120 s.
        assert_eq!(table["service"]["task"]["cpu"].as_integer(), Some(1024));
        assert_eq!(table["service"]["task"]["memory"].as_integer(), Some(2048));
        assert_eq!(table["draining"]["stop_timeout"].as_str(), Some("120s"));
        assert!(text.contains("Fargate caps it at 120s"), "{text}");
    }

    #[test]
    fn code_deploy_is_blue_green_with_assumed_bake() {
        let text = import(&inputs(
            r#"{"services": [{"serviceName": "cd", "desiredCount": 2, "launchType": "FARGATE",
                "deploymentController": {"type": "CODE_DEPLOY"}}]}"#,
        ))
        .unwrap();
        assert!(
            text.contains("strategy = \"blue_green\"  # services[0].deploymentController.type"),
            "{text}"
        );
        assert!(text.contains("bake_time = \"0s\"  # assumed"), "{text}");
    }
}

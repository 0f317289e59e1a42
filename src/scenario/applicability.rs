//! Keys that belong to one deployment strategy, platform or launch type. A key given where
//! it does not apply is an error naming the key and what it does not apply to, checked on
//! the file as written (after `--set`), before defaults fill in, so a default never trips
//! a rule and an explicit key always does.

/// What the scenario says it deploys with, read from the raw table.
pub(super) struct Context {
    pub strategy: String,
    pub platform: String,
    /// `autoscaling.mode`.
    pub scaling: String,
    /// `readiness.load_balancer_gate`.
    pub gate: bool,
    pub launch_type: String,
    /// The cluster is written as `[[cluster.host_group]]` tables.
    pub host_groups: bool,
    /// The file has a `[cluster]` table at all.
    pub has_cluster: bool,
}

impl Context {
    pub fn of(table: &toml::Table) -> Context {
        let text = |key: &str, default: &str| {
            lookup(table, key)
                .and_then(toml::Value::as_str)
                .unwrap_or(default)
                .to_string()
        };
        let mut strategy = text("deployment.strategy", "rolling");
        if strategy == "ecs" {
            strategy = "rolling".into();
        }
        Context {
            strategy,
            platform: text("platform", "ecs"),
            scaling: text("autoscaling.mode", "none"),
            gate: lookup(table, "readiness.load_balancer_gate")
                .and_then(toml::Value::as_bool)
                .unwrap_or(false),
            launch_type: text("cluster.launch_type", "ec2"),
            host_groups: lookup(table, "cluster.host_group").is_some(),
            has_cluster: table.get("cluster").is_some(),
        }
    }

    /// ECS's traffic-shifting deployments: blue/green, linear, canary.
    pub fn shifts_traffic(&self) -> bool {
        matches!(self.strategy.as_str(), "blue_green" | "linear" | "canary")
    }
}

/// The value at a dotted key, if the table has it.
pub(super) fn lookup<'a>(table: &'a toml::Table, key: &str) -> Option<&'a toml::Value> {
    let mut parts = key.split('.');
    let mut value = table.get(parts.next()?)?;
    for part in parts {
        value = value.as_table()?.get(part)?;
    }
    Some(value)
}

/// Removes the keys that do not apply in the table's own context (defaults that
/// serialisation wrote out, such as `service.placement` on Fargate, or the other
/// platform's keys).
pub(super) fn drop_misplaced(table: &mut toml::Table) {
    let ctx = Context::of(table);
    for (key, _) in misplaced(&ctx) {
        let (parents, last) = match key.rsplit_once('.') {
            Some((parents, last)) => (Some(parents), last),
            None => (None, key),
        };
        let parent = match parents {
            None => Some(&mut *table),
            Some(path) => path
                .split('.')
                .try_fold(&mut *table, |t, part| t.get_mut(part)?.as_table_mut()),
        };
        if let Some(parent) = parent {
            parent.remove(last);
        }
    }
}

/// The first key that is given where it does not apply, or required and missing.
pub(super) fn check(table: &toml::Table) -> Result<(), (String, String)> {
    let ctx = Context::of(table);
    for (key, why) in misplaced(&ctx) {
        if lookup(table, key).is_some() {
            return Err((key.to_string(), why));
        }
    }
    for (key, value, why) in misplaced_values(&ctx) {
        if lookup(table, key).and_then(toml::Value::as_str) == Some(value) {
            return Err((key.to_string(), why));
        }
    }
    for (key, why) in required(&ctx) {
        if lookup(table, key).is_none() {
            return Err((key.to_string(), why));
        }
    }
    Ok(())
}

/// Keys that must not be given in this context, each with the reason in the user's words.
fn misplaced(ctx: &Context) -> Vec<(&'static str, String)> {
    let mut keys = Vec::new();
    let strategy = ctx.strategy.as_str();
    if ctx.shifts_traffic() {
        let why = format!(
            "does not apply to deployment.strategy = \"{strategy}\": it starts the whole new revision beside the old one and shifts traffic, with no minimum healthy or maximum percent"
        );
        keys.push(("deployment.minimum_healthy_percent", why.clone()));
        keys.push(("deployment.maximum_percent", why));
    } else {
        let why = format!(
            "applies only to deployment.strategy = \"blue_green\", \"linear\" or \"canary\", not \"{strategy}\""
        );
        for key in [
            "deployment.bake_time",
            "deployment.hooks",
            "deployment.hooks.before_production",
            "deployment.hooks.after_production",
        ] {
            keys.push((key, why.clone()));
        }
    }
    if strategy != "canary" {
        let why = format!("applies only to deployment.strategy = \"canary\", not \"{strategy}\"");
        keys.push(("deployment.canary_percent", why.clone()));
        keys.push(("deployment.canary_bake_time", why));
    }
    if strategy != "linear" {
        let why = format!("applies only to deployment.strategy = \"linear\", not \"{strategy}\"");
        keys.push(("deployment.step_percent", why.clone()));
        keys.push(("deployment.step_bake_time", why));
    }
    keys.extend(misplaced_for_hosts(ctx));
    keys.extend(misplaced_by_platform(ctx));
    keys
}

/// Keys that depend on what the tasks run on: Fargate has no hosts (docs/model.md 17);
/// host groups replace the one-size cluster keys (section 18).
fn misplaced_for_hosts(ctx: &Context) -> Vec<(&'static str, String)> {
    let mut keys = Vec::new();
    if ctx.launch_type == "fargate" {
        let why = "does not apply to cluster.launch_type = \"fargate\": every task gets its own micro-VM, so there are no hosts to size, place on, buy or scale";
        for key in [
            "cluster.hosts",
            "cluster.spare_hosts",
            "cluster.host",
            "cluster.host_hourly_cost",
            "cluster.instance_type",
            "cluster.host_group",
            "service.placement",
            "service.distinct_instance",
            "autoscaling",
            "agent.poll_interval",
            "agent.poll_phase",
            "failures.host_failure_rate",
        ] {
            keys.push((key, why.to_string()));
        }
        if ctx.platform == "kubernetes" {
            keys.push((
                "platform",
                "\"kubernetes\" does not apply to cluster.launch_type = \"fargate\": Fargate here runs ECS services".into(),
            ));
        }
    } else {
        let why = format!(
            "applies only to cluster.launch_type = \"fargate\", not \"{}\"",
            ctx.launch_type
        );
        keys.push(("fargate", why));
    }
    if ctx.host_groups {
        let why = "cannot be given beside [[cluster.host_group]]: give each group its count, size (cpu, memory) and hourly_cost instead";
        for key in [
            "cluster.hosts",
            "cluster.spare_hosts",
            "cluster.host",
            "cluster.host_hourly_cost",
            "cluster.instance_type",
        ] {
            keys.push((key, why.to_string()));
        }
    } else {
        keys.push((
            "autoscaling.host_group",
            "names a [[cluster.host_group]], and this cluster has none".into(),
        ));
    }
    keys
}

/// ECS keys on a Kubernetes Deployment and Kubernetes keys on ECS.
fn misplaced_by_platform(ctx: &Context) -> Vec<(&'static str, String)> {
    let mut keys = Vec::new();
    if ctx.platform == "kubernetes" {
        let ecs_only = "applies only to platform = \"ecs\", not \"kubernetes\"";
        let because = |key: &'static str, why: &str| (key, format!("{ecs_only}: {why}"));
        let surge =
            "a Deployment rolls out with deployment.max_surge and deployment.max_unavailable";
        let no_breaker = "Kubernetes has no deployment circuit breaker and does not roll back by itself (deployment.progress_deadline marks a stalled rollout failed)";
        let grace = "a pod stops within termination.grace_period, with termination.pre_stop and termination.endpoint_propagation";
        let kubelet = "the kubelet watches the API server (agent.mode = \"event\")";
        let no_lb = "readiness comes from the readiness probe ([readiness]); health checks apply only with readiness.load_balancer_gate = true";
        keys.extend([
            because("deployment.minimum_healthy_percent", surge),
            because("deployment.maximum_percent", surge),
            because("deployment.circuit_breaker", no_breaker),
            because("deployment.circuit_breaker_min", no_breaker),
            because("deployment.rollback", no_breaker),
            because(
                "scheduler.interval",
                "the deployment controller reacts to changes (scheduler.reaction)",
            ),
            because("agent.poll_interval", kubelet),
            because("agent.poll_phase", kubelet),
            because("draining.deregistration_delay", grace),
            because("draining.connections_close", grace),
            because("draining.stop_timeout", grace),
            because(
                "health_check.grace_period",
                "nothing kills a pod for failing the load balancer's checks",
            ),
            because("autoscaling.target_capacity", "the node autoscalers launch for pending pods"),
            because("autoscaling.min_step", "the node autoscalers launch for pending pods"),
            because("autoscaling.warmup", "the node autoscalers have no scale-out warm-up"),
            because(
                "failures.start_failure_probability",
                "the kubelet restarts a failed container in place (use failures.bad_task_probability for a pod that never turns Ready)",
            ),
            because(
                "failures.host_failure_rate",
                "node failures are not modelled for Kubernetes",
            ),
            because(
                "deployment.alarms",
                "deployment alarms belong to the ECS deployment controller; a Deployment's rollout is not stopped by CloudWatch alarms",
            ),
            because(
                "deployment.alarm_delay",
                "deployment alarms belong to the ECS deployment controller; a Deployment's rollout is not stopped by CloudWatch alarms",
            ),
            because(
                "failures.bad_revision_probability",
                "silent bad revisions and their exposure are modelled for the ECS controllers only (use failures.bad_task_probability for a pod that never turns Ready)",
            ),
        ]);
        if !ctx.gate {
            for key in [
                "health_check.interval",
                "health_check.initial_healthy_threshold",
                "health_check.healthy_threshold",
                "health_check.unhealthy_threshold",
                "health_check.first_check",
            ] {
                keys.push((key, format!("on platform = \"kubernetes\" applies only with readiness.load_balancer_gate = true: {no_lb}")));
            }
        }
        match ctx.scaling.as_str() {
            "cluster_autoscaler" => {
                let why = "applies only to autoscaling.mode = \"karpenter\", not \"cluster_autoscaler\" (which scans every evaluation_interval)";
                keys.push(("autoscaling.batch_idle", why.into()));
                keys.push(("autoscaling.batch_max", why.into()));
            }
            "karpenter" => keys.push((
                "autoscaling.evaluation_interval",
                "does not apply to autoscaling.mode = \"karpenter\", which launches when a batch of pending pods closes (autoscaling.batch_idle, autoscaling.batch_max)".into(),
            )),
            _ => {}
        }
    } else {
        let platform = ctx.platform.as_str();
        let why = format!("applies only to platform = \"kubernetes\", not \"{platform}\"");
        for key in [
            "deployment.max_surge",
            "deployment.max_unavailable",
            "deployment.min_ready",
            "deployment.progress_deadline",
            "readiness.initial_delay",
            "readiness.period",
            "readiness.success_threshold",
            "readiness.failure_threshold",
            "readiness.load_balancer_gate",
            "termination.grace_period",
            "termination.pre_stop",
            "termination.endpoint_propagation",
            "readiness",
            "termination",
            "autoscaling.batch_idle",
            "autoscaling.batch_max",
        ] {
            keys.push((key, why.clone()));
        }
    }
    keys
}

/// Values a key must not take in this context: `(key, value, why)`.
fn misplaced_values(ctx: &Context) -> Vec<(&'static str, &'static str, String)> {
    let mut values = Vec::new();
    if ctx.platform == "kubernetes" {
        let on_k8s = "is not possible with platform = \"kubernetes\"";
        values.push((
            "scheduler.mode",
            "periodic",
            format!("\"periodic\" {on_k8s}: the deployment controller reacts to changes (use \"reactive\")"),
        ));
        values.push((
            "agent.mode",
            "polling",
            format!("\"polling\" {on_k8s}: the kubelet watches the API server (use \"event\")"),
        ));
        values.push((
            "autoscaling.mode",
            "managed",
            format!("\"managed\" {on_k8s}: ECS managed scaling needs a capacity provider; use \"cluster_autoscaler\" or \"karpenter\""),
        ));
        for strategy in ["blue_green", "linear", "canary"] {
            values.push((
                "deployment.strategy",
                strategy,
                format!("\"{strategy}\" {on_k8s}: a Deployment rolls out with max_surge and max_unavailable (use \"rolling\")"),
            ));
        }
    } else {
        let why = |mode: &str| {
            format!(
                "\"{mode}\" applies only to platform = \"kubernetes\"; ECS scales with autoscaling.mode = \"managed\""
            )
        };
        values.push((
            "autoscaling.mode",
            "cluster_autoscaler",
            why("cluster_autoscaler"),
        ));
        values.push(("autoscaling.mode", "karpenter", why("karpenter")));
    }
    values
}

/// Keys that must be given in this context.
fn required(ctx: &Context) -> Vec<(&'static str, String)> {
    let mut keys = Vec::new();
    // Without a [cluster] table at all, serde names what is missing first.
    if ctx.has_cluster && ctx.launch_type != "fargate" && !ctx.host_groups {
        for key in ["cluster.hosts", "cluster.host"] {
            keys.push((
                key,
                "required key is missing (or describe the cluster as [[cluster.host_group]] tables, or set cluster.launch_type = \"fargate\")".into(),
            ));
        }
    }
    if ctx.shifts_traffic() {
        keys.push((
            "deployment.bake_time",
            format!(
                "is required with deployment.strategy = \"{}\" (ECS bakeTimeInMinutes: how long both revisions run after all production traffic is on the new one), e.g. bake_time = \"5m\"",
                ctx.strategy
            ),
        ));
    }
    keys
}

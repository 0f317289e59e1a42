//! What the service runs on: the hosts of an EC2 cluster, written as one size
//! (`cluster.hosts`, `cluster.spare_hosts`, `cluster.host`) or as `[[cluster.host_group]]`
//! tables with other tenants (docs/model.md section 18), or Fargate's micro-VMs (section
//! 17). Both EC2 forms become one list of groups here, so the model knows only groups.

use crate::engine::SimDuration;

use super::{AutoscalingMode, Dist, HostGroup, LaunchType, MAX_HOSTS, Scenario};

/// The host groups the cluster starts with, in host-id order. The one-size form is a
/// group `service` of `cluster.hosts` hosts and a spare group `spare` of
/// `cluster.spare_hosts`, both priced at `cluster.host_hourly_cost`. Empty on Fargate.
pub fn host_groups(s: &Scenario) -> Vec<HostGroup> {
    let cluster = &s.cluster;
    if cluster.launch_type == LaunchType::Fargate {
        return Vec::new();
    }
    if !cluster.host_group.is_empty() {
        return cluster.host_group.clone();
    }
    let size = cluster
        .host
        .unwrap_or(super::Resources { cpu: 0, memory: 0 });
    let group = |name: &str, count: u32, spare: bool| HostGroup {
        name: name.into(),
        count,
        cpu: size.cpu,
        memory: size.memory,
        used_cpu: 0,
        used_memory: 0,
        spare,
        hourly_cost: cluster.host_hourly_cost,
    };
    vec![
        group("service", cluster.hosts, false),
        group("spare", cluster.spare_hosts, true),
    ]
}

/// Spare hosts the cluster starts with: `cluster.spare_hosts`, or the spare groups' hosts.
pub fn spare_host_count(s: &Scenario) -> u32 {
    host_groups(s)
        .iter()
        .filter(|g| g.spare)
        .map(|g| g.count)
        .sum()
}

/// Makes sure at least `n` spare hosts are up: the one-size form raises
/// `cluster.spare_hosts`; host groups get one more spare group, of the scaling group's size
/// with no other tenants, for the difference. Fargate has no hosts: nothing changes.
pub fn ensure_spare_hosts(s: &mut Scenario, n: u32) {
    let have = spare_host_count(s);
    if have >= n || s.cluster.launch_type == LaunchType::Fargate {
        return;
    }
    if s.cluster.host_group.is_empty() {
        s.cluster.spare_hosts = n;
        return;
    }
    let like = s.cluster.host_group[launch_group(s)].clone();
    s.cluster.host_group.push(HostGroup {
        name: format!("{} (added spare)", like.name),
        count: n - have,
        used_cpu: 0,
        used_memory: 0,
        spare: true,
        ..like
    });
}

/// Index in [`host_groups`] of the group scaling launches hosts of
/// (`autoscaling.host_group`, default the first).
pub fn launch_group(s: &Scenario) -> usize {
    s.autoscaling
        .host_group
        .as_ref()
        .and_then(|name| s.cluster.host_group.iter().position(|g| &g.name == name))
        .unwrap_or(0)
}

/// How many tasks fit in `cpu` CPU units and `memory` MiB.
pub fn tasks_fitting(s: &Scenario, cpu: u32, memory: u32) -> u32 {
    let task = s.service.task;
    let by_cpu = cpu.checked_div(task.cpu).unwrap_or(u32::MAX);
    let by_memory = memory.checked_div(task.memory).unwrap_or(u32::MAX);
    by_cpu.min(by_memory)
}

/// Fargate's task sizes (docs/model.md 17): for each CPU size, the memory from, to and
/// step in MiB. 256 CPU units alone take an irregular list: 512, 1024 or 2048.
const FARGATE_SIZES: [(u32, u32, u32, u32); 7] = [
    (256, 512, 2048, 512),
    (512, 1024, 4096, 1024),
    (1024, 2048, 8192, 1024),
    (2048, 4096, 16384, 1024),
    (4096, 8192, 30720, 1024),
    (8192, 16384, 61440, 4096),
    (16384, 32768, 122880, 8192),
];

/// The memory sizes Fargate allows with `cpu` units, or `None` for a CPU it has not.
pub fn fargate_memory(cpu: u32) -> Option<Vec<u32>> {
    if cpu == 256 {
        return Some(vec![512, 1024, 2048]);
    }
    let &(_, from, to, step) = FARGATE_SIZES.iter().find(|size| size.0 == cpu)?;
    Some((from..=to).step_by(step as usize).collect())
}

/// The longest value `dist` can draw, `None` when unbounded.
fn upper_bound(dist: &Dist) -> Option<SimDuration> {
    match dist {
        Dist::Constant(d) => Some(*d),
        Dist::Uniform { high, .. } => Some(*high),
        Dist::Empirical { values, .. } => values.iter().copied().max(),
        _ if dist.is_constant() => Some(dist.quantile(0.5)),
        Dist::Exponential { .. } | Dist::LogNormal { .. } => None,
    }
}

/// What the service runs on, in a few words: "Fargate, 10 tasks of 1 vCPU, 2 GiB" or
/// "EC2, 4 hosts: 3 m5.xlarge, 1 m5.xlarge-spare (spare)".
pub fn runs_on(s: &Scenario) -> String {
    let task = s.service.task;
    if s.cluster.launch_type == LaunchType::Fargate {
        return format!(
            "Fargate, {} tasks of {} vCPU, {} GiB",
            s.service.desired,
            task.cpu as f64 / 1024.0,
            task.memory as f64 / 1024.0
        );
    }
    let groups = host_groups(s);
    let total: u64 = groups.iter().map(|g| g.count as u64).sum();
    let parts: Vec<String> = groups
        .iter()
        .filter(|g| g.count > 0)
        .map(|g| {
            format!(
                "{} {}{}",
                g.count,
                g.name,
                if g.spare { " (spare)" } else { "" }
            )
        })
        .collect();
    format!("EC2, {total} hosts: {}", parts.join(", "))
}

/// Whether the run's costs have a price: always on Fargate (its task prices have
/// defaults); on EC2 when every host group (or the one-size cluster) has an hourly cost.
pub fn is_priced(s: &Scenario) -> bool {
    s.cluster.launch_type == LaunchType::Fargate
        || host_groups(s).iter().all(|g| g.hourly_cost.is_some())
}

/// What running the service costs per day between deploys: on Fargate D tasks at the
/// task's price; on EC2 every host the cluster starts with at its group's price (the
/// whole host, other tenants' share included). `None` when a group has no price.
pub fn running_cost_per_day(s: &Scenario) -> Option<f64> {
    let task = s.service.task;
    if s.cluster.launch_type == LaunchType::Fargate {
        let fargate = s.fargate.clone().unwrap_or_default();
        let hourly = task.cpu as f64 / 1024.0 * fargate.vcpu_hourly_cost
            + task.memory as f64 / 1024.0 * fargate.gb_hourly_cost;
        return Some(24.0 * s.service.desired as f64 * hourly);
    }
    host_groups(s)
        .iter()
        .filter(|g| g.count > 0)
        .map(|g| g.hourly_cost.map(|price| 24.0 * g.count as f64 * price))
        .sum()
}

type Invalid = (&'static str, String);

/// Fargate's rules: a task size Fargate offers, a bounded stop timeout, an event agent,
/// non-negative prices.
pub(super) fn validate_fargate(s: &Scenario) -> Result<(), Invalid> {
    let task = s.service.task;
    let Some(allowed) = fargate_memory(task.cpu) else {
        let cpus: Vec<String> = FARGATE_SIZES
            .iter()
            .map(|size| size.0.to_string())
            .collect();
        return Err((
            "service.task.cpu",
            format!(
                "Fargate has no task with {} CPU units; allowed: {} (1024 = one vCPU)",
                task.cpu,
                cpus.join(", ")
            ),
        ));
    };
    if !allowed.contains(&task.memory) {
        let list: Vec<String> = allowed.iter().map(u32::to_string).collect();
        return Err((
            "service.task.memory",
            format!(
                "Fargate has no task with {} CPU units and {} MiB; with {} CPU units the memory must be one of {} MiB",
                task.cpu,
                task.memory,
                task.cpu,
                list.join(", ")
            ),
        ));
    }
    let limit = SimDuration::from_secs(120);
    match upper_bound(&s.draining.stop_timeout) {
        Some(most) if most <= limit => {}
        Some(most) => {
            return Err((
                "draining.stop_timeout",
                format!(
                    "Fargate allows a stop timeout of at most 120s, and this one can be {}",
                    super::format_duration(most)
                ),
            ));
        }
        None => {
            return Err((
                "draining.stop_timeout",
                "Fargate allows a stop timeout of at most 120s; an exponential or log-normal can draw more: give a constant, a uniform or an empirical distribution".into(),
            ));
        }
    }
    if s.agent.mode == super::AgentMode::Polling {
        return Err((
            "agent.mode",
            "\"polling\" does not apply to cluster.launch_type = \"fargate\": Fargate's agent is pushed its work (use \"event\")".into(),
        ));
    }
    let fargate = s.fargate.as_ref().expect("filled in on Fargate");
    for (key, price) in [
        ("fargate.vcpu_hourly_cost", fargate.vcpu_hourly_cost),
        ("fargate.gb_hourly_cost", fargate.gb_hourly_cost),
    ] {
        if !price.is_finite() || price < 0.0 {
            return Err((key, format!("must be a non-negative number, got {price}")));
        }
    }
    Ok(())
}

/// Host groups: unique names, sizes that hold the other tenants, prices, old tasks that
/// fit on the groups that are not spare, a scaling group that can take a task.
pub(super) fn validate_groups(s: &Scenario) -> Result<(), Invalid> {
    let groups = &s.cluster.host_group;
    if groups.is_empty() {
        return Ok(());
    }
    let mut total = 0u64;
    for (i, g) in groups.iter().enumerate() {
        let at = |what: &str| {
            format!(
                "[[cluster.host_group]] number {} ({}): {what}",
                i + 1,
                g.name
            )
        };
        if g.name.trim().is_empty() {
            return Err((
                "cluster.host_group.name",
                format!("[[cluster.host_group]] number {} has an empty name", i + 1),
            ));
        }
        if groups[..i].iter().any(|other| other.name == g.name) {
            return Err((
                "cluster.host_group.name",
                format!(
                    "two host groups are named \"{}\"; names must be unique",
                    g.name
                ),
            ));
        }
        if g.cpu == 0 || g.memory == 0 {
            return Err((
                "cluster.host_group.cpu",
                at("cpu and memory must be at least 1 (CPU units, MiB)"),
            ));
        }
        if g.used_cpu > g.cpu {
            return Err((
                "cluster.host_group.used_cpu",
                at(&format!(
                    "other services hold {} CPU units of a {}-unit host; used_cpu must be at most cpu",
                    g.used_cpu, g.cpu
                )),
            ));
        }
        if g.used_memory > g.memory {
            return Err((
                "cluster.host_group.used_memory",
                at(&format!(
                    "other services hold {} MiB of a {} MiB host; used_memory must be at most memory",
                    g.used_memory, g.memory
                )),
            ));
        }
        if let Some(cost) = g.hourly_cost
            && (!cost.is_finite() || cost < 0.0)
        {
            return Err((
                "cluster.host_group.hourly_cost",
                at(&format!("must be a non-negative number, got {cost}")),
            ));
        }
        total += g.count as u64;
    }
    if total > MAX_HOSTS as u64 {
        return Err((
            "cluster.host_group.count",
            format!("the groups hold {total} hosts; at most {MAX_HOSTS} are supported"),
        ));
    }
    let distinct = super::distinct_instance(s);
    let room: u64 = groups
        .iter()
        .filter(|g| !g.spare)
        .map(|g| {
            let fit = tasks_fitting(s, g.cpu - g.used_cpu, g.memory - g.used_memory);
            let fit = if distinct { fit.min(1) } else { fit };
            g.count as u64 * fit as u64
        })
        .sum();
    if (s.service.desired as u64) > room {
        return Err((
            "service.desired",
            format!(
                "the {} old tasks do not fit in the free room of the host groups that are not spare (room for {room}{}); add hosts, free room (used_cpu, used_memory) or shrink the task",
                s.service.desired,
                if distinct { ", distinct_instance" } else { "" }
            ),
        ));
    }
    if let Some(name) = &s.autoscaling.host_group
        && !groups.iter().any(|g| &g.name == name)
    {
        let names: Vec<String> = groups.iter().map(|g| format!("\"{}\"", g.name)).collect();
        return Err((
            "autoscaling.host_group",
            format!(
                "no [[cluster.host_group]] is named \"{name}\"; the groups are {}",
                names.join(", ")
            ),
        ));
    }
    if s.autoscaling.mode == AutoscalingMode::Managed {
        let g = &groups[launch_group(s)];
        if tasks_fitting(s, g.cpu, g.memory) == 0 {
            return Err((
                "autoscaling.host_group",
                format!(
                    "scaling launches hosts of group \"{}\" ({} CPU units, {} MiB), where no task ({} CPU units, {} MiB) fits; name a larger group",
                    g.name, g.cpu, g.memory, s.service.task.cpu, s.service.task.memory
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fargate_memory_lists_match_the_documented_table() {
        assert_eq!(fargate_memory(256), Some(vec![512, 1024, 2048]));
        assert_eq!(fargate_memory(512).unwrap(), vec![1024, 2048, 3072, 4096]);
        assert_eq!(fargate_memory(2048).unwrap().len(), 13); // 4 GiB to 16 GiB
        assert_eq!(fargate_memory(4096).unwrap().last(), Some(&30720));
        assert_eq!(fargate_memory(8192).unwrap()[..2], [16384, 20480]);
        assert_eq!(fargate_memory(16384).unwrap().last(), Some(&122880));
        assert_eq!(fargate_memory(300), None);
    }
}

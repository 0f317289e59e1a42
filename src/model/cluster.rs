//! The hosts tasks are placed on, as groups (docs/model.md section 18): each group's size,
//! what other tenants hold on each of its hosts, whether it is spare, its price, and the
//! group scaling launches. The one-size cluster of section 1 is a service group and a
//! spare group. Fargate (section 17) has no hosts: one host per zone of unlimited room
//! stands in for "placement always succeeds, in the zone with the fewest tasks".

use crate::engine::SimTime;
use crate::scenario::{self, HostGroup, LaunchType, Scenario};

use super::outcome::ReplicationResult;
use super::placement::HostLoad;
use super::world::{Host, World};

/// The cluster's hosts, compiled.
#[derive(Clone, Debug)]
pub struct Fleet {
    pub groups: Vec<HostGroup>,
    /// First host id of each group (host ids follow the groups in file order).
    starts: Vec<u32>,
    /// Hosts the cluster starts with.
    hosts: u32,
    /// The group scaling launches hosts of.
    pub launch_group: usize,
    /// What one task takes from a host: its size on EC2; nothing on Fargate, whose
    /// stand-in hosts are never full.
    pub reservation: (u32, u32),
}

impl Fleet {
    pub fn new(s: &Scenario) -> Fleet {
        let fargate = s.cluster.launch_type == LaunchType::Fargate;
        let groups = if fargate {
            vec![HostGroup {
                name: "fargate".into(),
                count: s.cluster.zones,
                cpu: u32::MAX,
                memory: u32::MAX,
                used_cpu: 0,
                used_memory: 0,
                spare: false,
                hourly_cost: None,
            }]
        } else {
            scenario::host_groups(s)
        };
        let mut starts = Vec::with_capacity(groups.len());
        let mut hosts = 0u32;
        for group in &groups {
            starts.push(hosts);
            hosts += group.count;
        }
        let task = s.service.task;
        Fleet {
            groups,
            starts,
            hosts,
            launch_group: scenario::launch_group(s),
            reservation: if fargate {
                (0, 0)
            } else {
                (task.cpu, task.memory)
            },
        }
    }

    /// Hosts the cluster starts with.
    pub fn hosts(&self) -> u32 {
        self.hosts
    }

    /// The group of `host`; hosts launched during the run belong to the launch group.
    pub fn group_of(&self, host: u32) -> &HostGroup {
        if host >= self.hosts {
            return &self.groups[self.launch_group];
        }
        // The last group starting at or before `host` (an empty group shares its start
        // with the next one, so it is never the last).
        let index = self.starts.partition_point(|&start| start <= host) - 1;
        &self.groups[index]
    }

    /// Hosts of spare groups.
    pub fn spare_hosts(&self) -> u32 {
        self.groups
            .iter()
            .filter(|g| g.spare)
            .map(|g| g.count)
            .sum()
    }

    /// Hosts of the groups that hold the old tasks at t = 0.
    pub fn service_hosts(&self) -> u32 {
        self.hosts - self.spare_hosts()
    }

    /// Room on `host` before any task of this service: its size minus other tenants.
    /// Launched hosts have no other tenants.
    pub fn empty_load(&self, host: u32) -> HostLoad {
        let group = self.group_of(host);
        let launched = host >= self.hosts;
        let (used_cpu, used_memory) = if launched {
            (0, 0)
        } else {
            (group.used_cpu, group.used_memory)
        };
        HostLoad {
            reserved: 0,
            active: 0,
            free_cpu: group.cpu - used_cpu,
            free_memory: group.memory - used_memory,
        }
    }
}

/// Each host's size and other tenants' share, for checks from outside the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostSize {
    pub cpu: u32,
    pub memory: u32,
    pub tenant_cpu: u32,
    pub tenant_memory: u32,
}

impl World {
    /// The hosts the cluster starts with, group by group: empty of this service, other
    /// tenants' share taken; hosts others use count as occupied (docs/model.md 18's `M`).
    pub(super) fn reset_hosts(&mut self) {
        let fleet = &self.params.fleet;
        self.hosts.clear();
        self.loads.clear();
        self.occupied_hosts = 0;
        for (group, &start) in fleet.groups.iter().zip(&fleet.starts) {
            let count = group.count as usize;
            let empty = fleet.empty_load(start);
            let shared = group.used_cpu > 0 || group.used_memory > 0;
            let host = Host {
                shared,
                spare: group.spare,
                ..Host::default()
            };
            self.hosts.extend(std::iter::repeat_n(host, count));
            self.loads.extend(std::iter::repeat_n(empty, count));
            if shared {
                self.occupied_hosts += group.count;
            }
        }
    }

    /// `host`'s size and what other tenants hold on it.
    pub fn host_size(&self, host: u32) -> HostSize {
        let fleet = &self.params.fleet;
        let group = fleet.group_of(host);
        let empty = fleet.empty_load(host);
        HostSize {
            cpu: group.cpu,
            memory: group.memory,
            tenant_cpu: group.cpu - empty.free_cpu,
            tenant_memory: group.memory - empty.free_memory,
        }
    }

    /// What one task reserves on a host (cpu units, MiB).
    pub fn task_reservation(&self) -> (u32, u32) {
        self.params.fleet.reservation
    }

    /// Spare and launched host time up to `end` in host-microseconds, and its price
    /// (docs/model.md 13 and 18): spare groups' hosts for the whole deploy, each launched host
    /// from its launch to `scale_in_after` past the end, each at its own group's rate.
    /// The price is empty unless every counted group has one (a cluster with nothing
    /// counted is priced when any group is).
    pub(super) fn extra_host_time(&self, end: SimTime) -> (u64, Option<f64>) {
        let fleet = &self.params.fleet;
        let scale_in_after = self
            .params
            .scaling
            .as_ref()
            .map_or(0, |s| s.scale_in_after.micros());
        let launched: u64 = self
            .scaling
            .launched
            .iter()
            // A Kubernetes node can be launched after the rollout completed (`end`),
            // while old pods are still terminating.
            .map(|launch| {
                end.micros()
                    .saturating_sub(launch.micros())
                    .saturating_add(scale_in_after)
            })
            .sum();
        let scaling = self.params.scaling.is_some();
        let counted = |i: usize| fleet.groups[i].spare || (scaling && i == fleet.launch_group);
        let micros_of = |i: usize| {
            let mut micros = 0u64;
            if fleet.groups[i].spare {
                micros = (fleet.groups[i].count as u64).saturating_mul(end.micros());
            }
            if scaling && i == fleet.launch_group {
                micros = micros.saturating_add(launched);
            }
            micros
        };
        let groups = 0..fleet.groups.len();
        let total = groups
            .clone()
            .filter(|&i| counted(i))
            .fold(0u64, |sum, i| sum.saturating_add(micros_of(i)));
        let any_counted = groups.clone().any(counted);
        let counted_priced = groups
            .clone()
            .filter(|&i| counted(i))
            .all(|i| fleet.groups[i].hourly_cost.is_some());
        let any_priced = fleet.groups.iter().any(|g| g.hourly_cost.is_some());
        if !counted_priced || (!any_counted && !any_priced) {
            return (total, None);
        }
        // Host time summed per price before pricing, so one price gives one product
        // (no allocation: a run's groups are few).
        let price = |i: usize| fleet.groups[i].hourly_cost.expect("checked above");
        let mut cost = 0.0;
        for i in groups.clone().filter(|&i| counted(i)) {
            if (0..i).any(|j| counted(j) && price(j) == price(i)) {
                continue;
            }
            let micros = groups
                .clone()
                .filter(|&j| counted(j) && price(j) == price(i))
                .fold(0u64, |sum, j| sum.saturating_add(micros_of(j)));
            cost += ReplicationResult::cost_of(micros, price(i));
        }
        (total, Some(cost))
    }
}

//! Node autoscaling for Kubernetes (docs/model.md, "Kubernetes Deployments", node
//! autoscaling): the Cluster Autoscaler scans every `evaluation_interval`; Karpenter
//! launches when a batch of pending pods closes. Both launch `ceil(P / k) - B` nodes when
//! that is positive (`P` unschedulable pods less those the nodes' free room takes, `k`
//! pods per empty node, `B` nodes still booting), capped by `max_step` and `max_hosts`.
//! Launched nodes boot and join as with managed scaling (`scaling.rs`), with no warm-up.

use super::controller::Batch;
use super::params::ScalingMode;
use super::world::{Event, KubeEvent, World};

impl World {
    /// The node autoscaler in use, if any.
    pub(super) fn node_autoscaler(&self) -> Option<ScalingMode> {
        self.params
            .scaling
            .as_ref()
            .map(|s| s.mode)
            .filter(|mode| *mode != ScalingMode::Managed)
    }

    /// How many nodes the launch rule asks for now.
    pub(super) fn nodes_to_launch(&self) -> u32 {
        let Some(scaling) = &self.params.scaling else {
            return 0;
        };
        // Pods per empty node of the group launched (1 with distinct nodes).
        let per_node = self.params.per_new_host.max(1) as u64;
        let (cpu, memory) = (self.params.task_cpu.max(1), self.params.task_memory.max(1));
        // Placement wants distinct nodes when it refuses a node already holding a pod.
        let distinct = !self.params.placement.fits(super::placement::HostLoad {
            reserved: 1,
            active: 1,
            free_cpu: u32::MAX,
            free_memory: u32::MAX,
        });
        // Pods the live nodes' real free room still takes.
        let free: u64 = self
            .loads
            .iter()
            .zip(&self.hosts)
            .filter(|(_, host)| !host.failed)
            .map(|(load, _)| {
                let fit = (load.free_cpu / cpu).min(load.free_memory / memory) as u64;
                if distinct {
                    (load.reserved == 0 && fit > 0) as u64
                } else {
                    fit
                }
            })
            .sum();
        let pending = (self.kube.unschedulable as u64).saturating_sub(free);
        let wanted = pending
            .div_ceil(per_node)
            .saturating_sub(self.scaling.booting as u64);
        let counted = (self.hosts_up + self.scaling.booting) as u64;
        wanted
            .min(scaling.max_step as u64)
            .min((scaling.max_hosts as u64).saturating_sub(counted)) as u32
    }

    /// Karpenter: a pod's first failed binding opens a batch or moves its end.
    pub(super) fn on_pod_unschedulable(&mut self) {
        if self.node_autoscaler() != Some(ScalingMode::Karpenter) {
            return;
        }
        let now = self.queue.now();
        let scaling = self.params.scaling.as_ref().expect("karpenter");
        let (idle, max) = (scaling.batch_idle, scaling.batch_max);
        match &mut self.kube.batch {
            Some(batch) => batch.closes = (now + idle).min(batch.opened + max),
            None => {
                let closes = (now + idle).min(now + max);
                self.kube.batch = Some(Batch {
                    opened: now,
                    closes,
                });
                self.queue
                    .schedule_at(closes, Event::Kube(KubeEvent::BatchClose));
            }
        }
    }

    /// Karpenter's batch window ends (or moved): launch once at its close.
    pub(super) fn on_batch_close(&mut self) {
        let Some(batch) = self.kube.batch else {
            return;
        };
        let now = self.queue.now();
        if now < batch.closes {
            self.queue
                .schedule_at(batch.closes, Event::Kube(KubeEvent::BatchClose));
            return;
        }
        self.kube.batch = None;
        for _ in 0..self.nodes_to_launch() {
            self.launch_host(true);
        }
    }
}

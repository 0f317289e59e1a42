//! Fargate (docs/model.md section 17): what differs from a task's life on EC2, as small hooks
//! that `task.rs` calls. A placed task is provisioned (capacity, network interface,
//! micro-VM) instead of waiting for an agent's notice; every pull is uncached; the task
//! is billed from the start of its pull until its container has stopped, and a run
//! reports the billed task time above D and its price.

use crate::engine::{SimDuration, SimTime};
use crate::scenario::{Dist, LaunchType, Scenario};

use super::outcome::ReplicationResult;
use super::world::{TaskId, World, draw};

/// docs/model.md 17, compiled.
#[derive(Clone, Debug)]
pub struct FargateParams {
    pub provisioning: Dist,
    /// One task's price per hour: vCPU and GiB prices times the task's size.
    pub task_hourly_cost: f64,
}

impl FargateParams {
    /// `None` on EC2.
    pub fn new(s: &Scenario) -> Option<FargateParams> {
        if s.cluster.launch_type != LaunchType::Fargate {
            return None;
        }
        let fargate = s.fargate.clone().unwrap_or_default();
        let task = s.service.task;
        Some(FargateParams {
            provisioning: fargate.provisioning,
            task_hourly_cost: task.cpu as f64 / 1024.0 * fargate.vcpu_hourly_cost
                + task.memory as f64 / 1024.0 * fargate.gb_hourly_cost,
        })
    }
}

/// Billed tasks over time: the integral of `max(0, billed - D)`.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Billing {
    pub billed: u32,
    pub since: SimTime,
    pub extra_micros: u64,
}

impl World {
    /// Whether tasks run on Fargate.
    #[inline]
    pub(super) fn on_fargate(&self) -> bool {
        self.params.fargate.is_some()
    }

    /// How long a placed task waits before its pull begins: provisioning on Fargate.
    /// `None` on EC2, where the host's agent notices the placement.
    pub(super) fn provisioning_time(&mut self) -> Option<SimDuration> {
        let fargate = self.params.fargate.as_ref()?;
        Some(draw(&fargate.provisioning, &mut self.streams.provisioning))
    }

    /// Starts billing task `id` (its pull begins, or it runs at t = 0).
    pub(super) fn start_billing(&mut self, id: TaskId) {
        if !self.on_fargate() {
            return;
        }
        self.accumulate_billing(self.queue.now());
        self.billing.billed += 1;
        self.tasks[id as usize].billed = true;
    }

    /// Stops billing task `id` (its container stopped), if it was billed.
    pub(super) fn stop_billing(&mut self, id: TaskId) {
        if !self.tasks[id as usize].billed {
            return;
        }
        self.accumulate_billing(self.queue.now());
        self.billing.billed -= 1;
        self.tasks[id as usize].billed = false;
    }

    /// Adds the billed time above D since the count last changed.
    pub(super) fn accumulate_billing(&mut self, now: SimTime) {
        let over = self.billing.billed.saturating_sub(self.params.desired) as u64;
        let elapsed = now.since(self.billing.since).micros();
        self.billing.extra_micros = self
            .billing
            .extra_micros
            .saturating_add(over.saturating_mul(elapsed));
        self.billing.since = now;
    }

    /// Fargate's billed task time above D and its price, `None` on EC2.
    pub(super) fn extra_task_time(&self) -> Option<(u64, f64)> {
        let fargate = self.params.fargate.as_ref()?;
        let micros = self.billing.extra_micros;
        Some((
            micros,
            ReplicationResult::cost_of(micros, fargate.task_hourly_cost),
        ))
    }
}

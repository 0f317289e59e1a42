//! Capacity that changes during a run: managed scaling of an ECS capacity provider
//! (docs/model.md section 13) and host failures (`failures.host_failure_rate`).

use crate::engine::SimDuration;

use super::outcome::{Detail, StepKind};
use super::world::{Event, Host, TaskId, World, draw};

impl World {
    /// Hosts up or booting (docs/model.md 13's `N`).
    fn hosts_counted(&self) -> u32 {
        self.hosts_up + self.scaling.booting
    }

    /// docs/model.md 13's `M`: hosts holding a task, plus the hosts the unplaced tasks of the
    /// last evaluation would fill.
    fn hosts_needed(&self) -> u64 {
        self.occupied_hosts as u64
            + (self.last_evaluation.unplaced as u64).div_ceil(self.params.per_new_host as u64)
    }

    /// How many hosts a scale-out launches now (ignoring warm-up), 0 if none.
    fn scale_out_size(&self) -> u32 {
        if self.node_autoscaler().is_some() {
            return self.nodes_to_launch();
        }
        let Some(scaling) = &self.params.scaling else {
            return 0;
        };
        let needed = self.hosts_needed();
        let counted = self.hosts_counted() as u64;
        let target = scaling.target_capacity as u64;
        if counted >= scaling.max_hosts as u64 || 100 * needed <= target * counted {
            return 0;
        }
        let wanted = (100 * needed).div_ceil(target).saturating_sub(counted);
        let clamped = wanted.clamp(scaling.min_step as u64, scaling.max_step as u64);
        clamped.min(scaling.max_hosts as u64 - counted) as u32
    }

    /// Whether a later check could launch a host with the state as it is (a run with
    /// managed scaling is stuck only when none could).
    pub(super) fn scaling_could_launch(&self) -> bool {
        self.scale_out_size() > 0
    }

    /// Managed scaling's check: after the scheduler evaluation queued for this instant,
    /// scale out unless a recently launched host is still warming up.
    pub(super) fn on_scaling_check(&mut self) {
        let now = self.queue.now();
        if self.next_evaluation_at == Some(now) {
            // The evaluation queued for now has not run yet: go behind it.
            self.schedule_recurring(now, Event::ScalingCheck);
            return;
        }
        let interval = self
            .params
            .scaling
            .as_ref()
            .expect("checks run only with managed scaling")
            .evaluation_interval;
        if now >= self.scaling.blocked_until {
            for _ in 0..self.scale_out_size() {
                self.launch_host(true);
            }
        }
        self.schedule_recurring(now + interval, Event::ScalingCheck);
    }

    /// Requests one host; it joins after its boot time. A scale-out launch blocks
    /// further scale-outs during its warm-up; a replacement for a failed host does not.
    pub(super) fn launch_host(&mut self, blocks_scale_out: bool) {
        let now = self.queue.now();
        let scaling = self.params.scaling.as_ref().expect("managed scaling");
        let boot = draw(&scaling.boot, &mut self.streams.scaling);
        let warmup = draw(&scaling.warmup, &mut self.streams.scaling);
        if blocks_scale_out {
            self.scaling.blocked_until = self.scaling.blocked_until.max(now + warmup);
        }
        self.scaling.launched.push(now);
        self.scaling.booting += 1;
        self.queue.schedule_in(boot, Event::HostBooted);
        self.record_at_host(
            StepKind::HostLaunched,
            None,
            None,
            None,
            Detail::Launch { boot, warmup },
        );
    }

    /// A launched host finished booting: it gets the next id (zone id mod zones), is
    /// empty with no image cached, and the scheduler evaluates.
    pub(super) fn on_host_booted(&mut self) {
        self.scaling.booting -= 1;
        let host = self.hosts.len() as u32;
        self.hosts.push(Host::default());
        self.loads.push(self.params.fleet.empty_load(host));
        self.index.ensure_capacity(host + 1);
        self.refresh_host(host);
        self.hosts_up += 1;
        if self.params.agent_mode == crate::scenario::AgentMode::Polling {
            self.draw_poll_phase(host);
        }
        self.schedule_host_failure(host);
        self.trigger_evaluation();
        self.on_host_joined();
        self.record_at_host(StepKind::HostJoined, None, None, Some(host), Detail::None);
    }

    /// Draws when `host` fails next (exponential at `host_failure_rate` per host-hour);
    /// a failure after the horizon is not scheduled.
    pub(super) fn schedule_host_failure(&mut self, host: u32) {
        let rate = self.params.host_failure_rate;
        if rate <= 0.0 {
            return;
        }
        let mean_seconds = 3600.0 / rate;
        let u = self.streams.host_failure.uniform();
        let at = self.queue.now() + SimDuration::from_secs_f64(-mean_seconds * (1.0 - u).ln());
        if at <= self.params.horizon {
            self.queue.schedule_at(at, Event::HostFails(host));
        }
    }

    /// A host fails: its tasks are lost (the scheduler learns at once), it never takes a
    /// task again, and with managed scaling a replacement host is launched.
    pub(super) fn on_host_fails(&mut self, host: u32) {
        if self.hosts[host as usize].failed {
            return;
        }
        self.hosts[host as usize].failed = true;
        self.hosts_up -= 1;
        self.record_at_host(StepKind::HostFailed, None, None, Some(host), Detail::None);
        for id in 0..self.tasks.len() as TaskId {
            let task = self.tasks[id as usize];
            if task.host != host || task.phase == super::world::Phase::Gone {
                continue;
            }
            if task.is_active() {
                self.deactivate(id);
            }
            self.release(id);
            self.record(StepKind::Lost, Some(id), Detail::None);
        }
        // Other tenants' share no longer occupies a host that is gone.
        if self.hosts[host as usize].shared {
            self.hosts[host as usize].shared = false;
            self.occupied_hosts -= 1;
        }
        self.refresh_host(host);
        self.trigger_evaluation();
        if let Some(scaling) = &self.params.scaling
            && self.hosts_counted() < scaling.max_hosts
        {
            self.launch_host(false);
        }
    }
}

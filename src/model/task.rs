//! A task's life, from placement to stop (docs/model.md sections 2, 5 and 6), one handler per
//! step. Read it beside the table in docs/model.md section 2.
//!
//! Each handler first checks that the task is in the phase the event expects: a task
//! told to stop while still launching (a rollback), or lost with its host, keeps its
//! pending event in the queue, and that event must then do nothing.

use crate::engine::SimDuration;

use super::outcome::{Detail, Revision, StepKind, StopCause};
use super::world::{Event, Phase, TaskId, World, chance, draw};

impl World {
    /// Whether task `id` is in `phase` (false for a stale event).
    #[inline]
    pub(super) fn in_phase(&self, id: TaskId, phase: Phase) -> bool {
        self.tasks[id as usize].phase == phase
    }

    /// The scheduler places a task of the target revision on `host`; its agent will
    /// notice. Only new-revision tasks can be bad or fail to start.
    pub(super) fn place_task(&mut self, host: u32, revision: Revision) -> TaskId {
        let id = self.add_task(host, revision);
        self.metrics.tasks_started += 1;
        if revision == Revision::New {
            let bad = chance(self.params.bad_task_probability, &mut self.streams.failure);
            let fails_to_start = chance(
                self.params.start_failure_probability,
                &mut self.streams.failure,
            );
            let task = &mut self.tasks[id as usize];
            task.good = !bad;
            task.fails_to_start = fails_to_start;
        }
        // On Fargate the task is provisioned instead (docs/model.md 17).
        match self.provisioning_time() {
            Some(takes) => self.queue.schedule_in(takes, Event::PlacementNoticed(id)),
            None => {
                let noticed = self.agent_notices_at(host);
                self.queue.schedule_at(noticed, Event::PlacementNoticed(id));
            }
        }
        self.record(StepKind::Placed, Some(id), Detail::None);
        id
    }

    /// The agent saw the placement (on Fargate: the task is provisioned): pull the image,
    /// cached if a pull of it already finished on this host (never on Fargate). Fargate
    /// bills from here.
    pub(super) fn on_placement_noticed(&mut self, id: TaskId) {
        if !self.in_phase(id, Phase::Placed) {
            return;
        }
        let task = &mut self.tasks[id as usize];
        task.phase = Phase::Pulling;
        let cached = self.hosts[task.host as usize].cached[task.revision as usize]
            && self.params.fargate.is_none();
        let dist = if cached {
            &self.params.cached_pull
        } else {
            &self.params.image_pull
        };
        let takes = draw(dist, &mut self.streams.pull);
        self.queue.schedule_in(takes, Event::PullDone(id));
        self.start_billing(id);
        self.record(
            StepKind::PullStarted,
            Some(id),
            Detail::Pull { cached, takes },
        );
    }

    pub(super) fn on_pull_done(&mut self, id: TaskId) {
        if !self.in_phase(id, Phase::Pulling) {
            return;
        }
        let task = &mut self.tasks[id as usize];
        task.phase = Phase::Starting;
        self.hosts[task.host as usize].cached[task.revision as usize] = true;
        let takes = draw(&self.params.start, &mut self.streams.start);
        self.queue.schedule_in(takes, Event::Started(id));
        self.record(StepKind::Pulled, Some(id), Detail::Takes(takes));
    }

    /// The container runs; warm-up starts now; the agent reports it. A task that fails
    /// to start exits here instead, and the agent reports it stopped.
    pub(super) fn on_started(&mut self, id: TaskId) {
        if !self.in_phase(id, Phase::Starting) {
            return;
        }
        let now = self.queue.now();
        let report = |world: &mut World| draw(&world.params.report, &mut world.streams.agent);
        if self.tasks[id as usize].fails_to_start {
            self.tasks[id as usize].phase = Phase::Exited;
            self.stop_billing(id);
            let takes = report(self);
            self.queue.schedule_in(takes, Event::StopReported(id));
            self.record(StepKind::StartFailed, Some(id), Detail::Takes(takes));
            return;
        }
        let warmup = draw(&self.params.warmup, &mut self.streams.warmup);
        let task = &mut self.tasks[id as usize];
        task.phase = Phase::Running;
        task.ran = true;
        task.running_at = now;
        task.warm_at = now + warmup;
        let takes = report(self);
        self.queue.schedule_in(takes, Event::RunningReported(id));
        if self.params.kube.is_some() {
            self.start_probes(id);
        }
        self.record(StepKind::Running, Some(id), Detail::Warmup(warmup));
    }

    /// The scheduler tells an active task to stop: it leaves the active (and healthy)
    /// counts now and drains; a task that never became healthy has no connections.
    /// A task still launching has its launch step cancelled and goes straight to the
    /// stop the agent carries out.
    pub(super) fn stop_task(&mut self, id: TaskId, cause: StopCause) {
        let was_healthy_now = self.tasks[id as usize].phase == Phase::Healthy;
        self.deactivate(id);
        let task = &mut self.tasks[id as usize];
        task.phase = Phase::Draining;
        let drain = if task.was_healthy {
            let delay = draw(
                &self.params.deregistration_delay,
                &mut self.streams.draining,
            );
            match &self.params.connections_close {
                Some(close) => delay.min(draw(close, &mut self.streams.draining)),
                None => delay,
            }
        } else {
            SimDuration::ZERO
        };
        self.queue.schedule_in(drain, Event::DrainDone(id));
        self.record(
            StepKind::StopDecided,
            Some(id),
            Detail::Stop {
                cause,
                was_healthy: was_healthy_now,
                drain,
            },
        );
    }

    pub(super) fn on_drain_done(&mut self, id: TaskId) {
        if !self.in_phase(id, Phase::Draining) {
            return;
        }
        self.tasks[id as usize].phase = Phase::StopPending;
        let noticed = self.agent_notices_at(self.tasks[id as usize].host);
        self.queue.schedule_at(noticed, Event::StopNoticed(id));
        self.record(StepKind::Drained, Some(id), Detail::None);
    }

    /// SIGTERM; SIGKILL at the stop timeout. A task whose container never ran (its
    /// launch was cancelled) has nothing to stop.
    pub(super) fn on_stop_noticed(&mut self, id: TaskId) {
        if self.params.kube.is_some() {
            return self.on_pod_stop_noticed(id);
        }
        if !self.in_phase(id, Phase::StopPending) {
            return;
        }
        let task = &mut self.tasks[id as usize];
        task.phase = Phase::Stopping;
        let takes = if task.ran {
            let shutdown = draw(&self.params.shutdown, &mut self.streams.draining);
            let timeout = draw(&self.params.stop_timeout, &mut self.streams.draining);
            shutdown.min(timeout)
        } else {
            SimDuration::ZERO
        };
        self.queue.schedule_in(takes, Event::Exited(id));
        self.record(StepKind::StopNoticed, Some(id), Detail::Takes(takes));
    }

    pub(super) fn on_exited(&mut self, id: TaskId) {
        if !self.in_phase(id, Phase::Stopping) {
            return;
        }
        self.tasks[id as usize].phase = Phase::Exited;
        self.stop_billing(id);
        let report = draw(&self.params.report, &mut self.streams.agent);
        self.queue.schedule_in(report, Event::StopReported(id));
        self.record(StepKind::Exited, Some(id), Detail::Takes(report));
    }

    /// The scheduler learns the task stopped: only now is its reservation free. A task
    /// that failed to start was still active until this report.
    pub(super) fn on_stop_reported(&mut self, id: TaskId) {
        if !self.in_phase(id, Phase::Exited) {
            return;
        }
        let failed_start = !self.tasks[id as usize].stop_decided;
        if failed_start {
            self.metrics.tasks_failed += 1;
            self.deactivate(id);
        }
        self.release(id);
        self.trigger_evaluation();
        self.record(StepKind::StopReported, Some(id), Detail::None);
        self.on_task_gone(id);
        if failed_start {
            self.on_task_failed(id);
        }
    }
}

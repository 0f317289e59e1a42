//! The load balancer's side of a task's life (docs/model.md section 6): registration when the
//! scheduler learns the task runs, health checks, and the turn to healthy or unhealthy.
//! How the controllers react to either turn is theirs (`controller::on_task_*`).

use crate::engine::SimDuration;

use super::outcome::{Detail, Revision, StepKind, StopCause};
use super::world::{Event, Phase, TaskId, World, draw};

impl World {
    /// The scheduler learns the task runs and registers it: the evaluation is triggered
    /// first, then the first health check is scheduled (docs/model.md section 12).
    pub(super) fn on_running_reported(&mut self, id: TaskId) {
        if !self.in_phase(id, Phase::Running) {
            return;
        }
        self.tasks[id as usize].phase = Phase::Registered;
        self.trigger_evaluation();
        let first = match &self.params.first_check {
            Some(dist) => draw(dist, &mut self.streams.health_phase),
            None => SimDuration(
                self.streams
                    .health_phase
                    .below(self.params.check_interval.micros()),
            ),
        };
        self.queue.schedule_in(first, Event::HealthCheck(id));
        self.record(StepKind::Registered, Some(id), Detail::FirstCheck(first));
    }

    /// One load-balancer check (docs/model.md, "Load-balancer health checks"). A newly
    /// registered target needs `initial_healthy_threshold` passes in a row; once the load
    /// balancer has marked it unhealthy (`unhealthy_threshold` failures in a row, grace
    /// period or not) it needs `healthy_threshold`. Only failures after the grace period
    /// count towards the scheduler stopping it.
    pub(super) fn on_health_check(&mut self, id: TaskId) {
        if !self.in_phase(id, Phase::Registered) {
            return;
        }
        let now = self.queue.now();
        let p = &self.params;
        let task = &mut self.tasks[id as usize];
        let passed = task.good && now >= task.warm_at;
        if passed {
            task.passes += 1;
            task.failures = 0;
            task.failed_in_row = 0;
            let needed = if task.marked_unhealthy {
                p.healthy_threshold
            } else {
                p.initial_healthy_threshold
            };
            if task.passes >= needed {
                self.record(StepKind::CheckPassed, Some(id), Detail::None);
                self.turn_healthy(id);
                return;
            }
            self.queue
                .schedule_in(p.check_interval, Event::HealthCheck(id));
            self.record(StepKind::CheckPassed, Some(id), Detail::None);
        } else {
            task.passes = 0;
            task.failed_in_row += 1;
            if task.failed_in_row >= p.unhealthy_threshold {
                task.marked_unhealthy = true;
            }
            if now >= task.running_at + p.grace_period {
                task.failures += 1;
            }
            if task.failures >= p.unhealthy_threshold {
                self.record(StepKind::CheckFailed, Some(id), Detail::None);
                self.turn_unhealthy(id);
                return;
            }
            self.queue
                .schedule_in(p.check_interval, Event::HealthCheck(id));
            self.record(StepKind::CheckFailed, Some(id), Detail::None);
        }
    }

    fn turn_healthy(&mut self, id: TaskId) {
        let task = &mut self.tasks[id as usize];
        task.phase = Phase::Healthy;
        task.was_healthy = true;
        let (revision, host) = (task.revision, task.host);
        self.unhealthy_active[revision as usize] -= 1;
        self.change_healthy(revision, true);
        let zone = self.zone_of(host);
        self.healthy_sets[revision as usize][zone].insert(id);
        if revision == Revision::New && self.metrics.first_new_healthy.is_none() {
            self.metrics.first_new_healthy = Some(self.queue.now());
        }
        self.on_task_healthy(id);
        self.trigger_evaluation();
        self.record(StepKind::Healthy, Some(id), Detail::None);
    }

    /// The target failed its checks: the scheduler learns at once and stops it; the
    /// replacement waits for the next evaluation.
    fn turn_unhealthy(&mut self, id: TaskId) {
        self.metrics.tasks_failed += 1;
        self.record(StepKind::Unhealthy, Some(id), Detail::None);
        self.stop_task(id, StopCause::Unhealthy);
        self.trigger_evaluation();
        self.on_task_failed(id);
    }
}

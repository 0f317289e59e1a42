//! The deployment circuit breaker and rollback (docs/model.md, "Circuit breaker and
//! rollback"), shared by the ECS controllers.

use super::super::outcome::{Detail, Outcome, Revision, StepKind, StopCause};
use super::super::world::{Phase, TaskId, World};
use super::Controller;

impl World {
    /// A new-revision task failed (unhealthy, or exited before it ran): the circuit
    /// breaker counts it and trips at its threshold.
    pub(super) fn count_failure(&mut self, id: TaskId) {
        let Some(threshold) = self.params.breaker_threshold else {
            return;
        };
        if !self.breaker.armed || self.tasks[id as usize].revision != Revision::New {
            return;
        }
        self.breaker.failures += 1;
        if self.breaker.failures < threshold {
            return;
        }
        self.breaker.armed = false;
        self.breaker.tripped_at = Some(self.queue.now());
        self.record(
            StepKind::BreakerTripped,
            Some(id),
            Detail::Failures {
                count: self.breaker.failures,
                threshold,
            },
        );
        self.fail_deploy();
    }

    /// The deploy failed: it ends `failed`, or rolls back when `deployment.rollback` is on.
    pub(super) fn fail_deploy(&mut self) {
        self.breaker.armed = false;
        self.stop_watching_alarms();
        if !self.params.rollback {
            self.ending = Some(Outcome::Failed);
            return;
        }
        self.target = Revision::Old;
        match self.params.controller {
            Controller::Rolling => self.roll_back(),
            Controller::TrafficShift => self.roll_back_traffic_shift(),
        }
    }

    /// Roll back: the old revision is the target again; new tasks still launching are
    /// told to stop, their launch cancelled; the scheduler does the rest.
    fn roll_back(&mut self) {
        for task in 0..self.tasks.len() as TaskId {
            let t = &self.tasks[task as usize];
            if t.revision == Revision::New && t.is_active() && t.phase < Phase::Registered {
                self.stop_task(task, StopCause::Rollback);
            }
        }
        self.trigger_evaluation();
    }
}

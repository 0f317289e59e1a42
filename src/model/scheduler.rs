//! The ECS service scheduler's evaluation (docs/model.md section 3): stop, then start; and
//! the deployment circuit breaker with its rollback (section 7).

use crate::scenario::SchedulerMode;

use super::outcome::{Detail, Outcome, Revision, StepKind, StopCause};
use super::world::{Event, LastEvaluation, Phase, TaskId, World, draw};

impl World {
    /// A change the scheduler learns of. Reactive mode evaluates `reaction` later unless an
    /// evaluation is already pending (which absorbs this trigger); periodic mode waits
    /// for its next tick.
    pub(super) fn trigger_evaluation(&mut self) {
        if self.params.scheduler_mode == SchedulerMode::Reactive && !self.evaluation_pending {
            self.evaluation_pending = true;
            let delay = draw(&self.params.reaction, &mut self.streams.scheduler);
            let at = self.queue.now() + delay;
            self.next_evaluation_at = Some(at);
            self.queue.schedule_at(at, Event::Evaluate);
        }
    }

    /// One evaluation. Returns whether it stopped or started anything. The target
    /// revision (new, or old after a rollback) is started; the other one is stopped.
    pub(super) fn evaluate(&mut self) -> bool {
        let p = &self.params;
        let (desired, min, max) = (p.desired, p.min_healthy, p.max_active);
        let target = self.target;
        let other = match target {
            Revision::New => Revision::Old,
            Revision::Old => Revision::New,
        };
        let mut stopped = 0;
        let mut started = 0;

        // 1. Stop: every active task of the other revision that is not healthy, then its
        //    healthy tasks while one more stop leaves at least MIN healthy.
        if self.unhealthy_active[other as usize] > 0 {
            for id in 0..self.tasks.len() as TaskId {
                let task = &self.tasks[id as usize];
                if task.revision == other && task.is_active() && task.phase != Phase::Healthy {
                    self.stop_task(id, StopCause::Scheduler);
                    stopped += 1;
                }
            }
        }
        while self.healthy[0] + self.healthy[1] > min {
            // The zone with the most active tasks among zones holding a candidate (ties:
            // lower zone), recounted after each stop; its lowest task id.
            let mut best: Option<usize> = None;
            for (zone, candidates) in self.healthy_sets[other as usize].iter().enumerate() {
                if !candidates.is_empty()
                    && best.is_none_or(|b| self.zone_active[zone] > self.zone_active[b])
                {
                    best = Some(zone);
                }
            }
            let Some(zone) = best else { break };
            let id = self.healthy_sets[other as usize][zone]
                .first()
                .expect("zone has a candidate");
            self.stop_task(id, StopCause::Scheduler);
            stopped += 1;
        }

        // 2. Start: target tasks while fewer than D are active and MAX allows.
        let mut unplaced = 0;
        while self.active[target as usize] < desired && self.active[0] + self.active[1] < max {
            match self.choose_host() {
                Some(host) => {
                    self.place_task(host, target);
                    started += 1;
                }
                None => {
                    unplaced = (desired - self.active[target as usize])
                        .min(max - self.active[0] - self.active[1]);
                    self.metrics.placement_failures += 1;
                    self.record(StepKind::PlacementFailed, None, Detail::None);
                    break;
                }
            }
        }
        self.last_evaluation = LastEvaluation {
            placement_failed: unplaced > 0,
            unplaced,
        };
        // Waiting for capacity: from an evaluation that could not place what it wanted
        // until one that could (or wanted nothing).
        let now = self.queue.now();
        match (unplaced > 0, self.metrics.waiting_since) {
            (true, None) => self.metrics.waiting_since = Some(now),
            (false, Some(since)) => {
                self.metrics.capacity_wait_micros += now.since(since).micros();
                self.metrics.waiting_since = None;
            }
            _ => {}
        }
        self.record(
            StepKind::Evaluation,
            None,
            Detail::Evaluation { stopped, started },
        );
        stopped + started > 0
    }

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
        if !self.params.rollback {
            self.ending = Some(Outcome::Failed);
            return;
        }
        // Roll back: the old revision is the target again; new tasks still launching are
        // told to stop, their launch cancelled; the scheduler does the rest.
        self.target = Revision::Old;
        for task in 0..self.tasks.len() as TaskId {
            let t = &self.tasks[task as usize];
            if t.revision == Revision::New && t.is_active() && t.phase < Phase::Registered {
                self.stop_task(task, StopCause::Rollback);
            }
        }
        self.trigger_evaluation();
    }
}

//! The deployment controllers: what differs between ways of deploying. Everything a
//! platform shares (hosts, placement, a task's launch and stop, load-balancer checks,
//! scaling, metrics) lives in the rest of `model` and knows no controller; each controller
//! is one module, read against one section of docs/model.md:
//!
//! - `rolling`: the ECS rolling update's evaluation (stop, then start, within MIN/MAX).
//! - `traffic_shift`: ECS blue/green, linear and canary (scale-up, shifts, bake, clean-up).
//! - `breaker`: the circuit breaker and rollback, shared by the ECS controllers.
//! - `alarms`: bad revisions, deployment alarms and the exposure they limit.
//!
//! The interface the world calls is small: `evaluate` (what to start or stop now),
//! `on_task_healthy` / `on_task_failed` (what a controller counts), `deploy_complete`
//! and `stuck_reason` (how the run ends).

mod alarms;
mod breaker;
mod rolling;
mod traffic_shift;

pub use alarms::RevisionWatch;
pub use traffic_shift::{ShiftState, Stage};

use crate::scenario::SchedulerMode;

use super::outcome::{Detail, Revision, StepKind, StuckReason};
use super::world::{Event, LastEvaluation, TaskId, World, draw};

/// Which controller drives the deploy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Controller {
    /// ECS rolling update (`deployment.strategy = "rolling"`).
    Rolling,
    /// ECS blue/green, linear or canary (`ShiftParams` says which).
    TrafficShift,
}

impl World {
    /// A change the controller learns of. Reactive mode evaluates `reaction` later unless
    /// an evaluation is already pending (which absorbs this trigger); periodic mode waits
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

    /// One evaluation by the deploy's controller. Returns whether it stopped or started
    /// anything.
    pub(super) fn evaluate(&mut self) -> bool {
        match self.params.controller {
            Controller::Rolling => self.evaluate_rolling(),
            Controller::TrafficShift => self.evaluate_traffic_shift(),
        }
    }

    /// A task turned healthy.
    pub(super) fn on_task_healthy(&mut self, id: TaskId) {
        self.breaker.failures = 0;
        match self.params.controller {
            // Under rolling, a healthy new task serves production traffic at once.
            Controller::Rolling => {
                if self.tasks[id as usize].revision == Revision::New {
                    self.serving_production();
                }
            }
            Controller::TrafficShift => self.traffic_shift_task_healthy(id),
        }
    }

    /// A new-revision task failed (unhealthy, or exited before it ran).
    pub(super) fn on_task_failed(&mut self, id: TaskId) {
        self.count_failure(id);
    }

    /// Whether the deploy (or its rollback) is done.
    pub(super) fn deploy_complete(&self) -> bool {
        match self.params.controller {
            Controller::Rolling => {
                let target = self.target as usize;
                self.healthy[target] == self.params.desired && self.remaining[1 - target] == 0
            }
            Controller::TrafficShift => self.traffic_shift_complete(),
        }
    }

    /// Why nothing can change any more.
    pub(super) fn stuck_reason(&self) -> StuckReason {
        match self.params.controller {
            Controller::Rolling => self.rolling_stuck_reason(),
            Controller::TrafficShift => self.traffic_shift_stuck_reason(),
        }
    }

    /// Places tasks of `revision` while fewer than D are active and `active_limit` (all
    /// revisions) allows; the first task that fits nowhere ends the step (one placement
    /// failure). Records what could not be placed, for stuck reasons and scaling's `U`,
    /// and the time spent waiting for room. Returns how many it started.
    pub(super) fn start_tasks(&mut self, revision: Revision, active_limit: u32) -> u32 {
        let desired = self.params.desired;
        let mut started = 0;
        let mut unplaced = 0;
        while self.active[revision as usize] < desired
            && self.active[0] + self.active[1] < active_limit
        {
            match self.choose_host() {
                Some(host) => {
                    self.place_task(host, revision);
                    started += 1;
                }
                None => {
                    unplaced = (desired - self.active[revision as usize])
                        .min(active_limit - self.active[0] - self.active[1]);
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
        started
    }
}

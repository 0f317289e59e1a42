//! The ECS service scheduler's evaluation (MODEL.md section 3): stop, then start.

use crate::scenario::SchedulerMode;

use super::outcome::{Detail, Revision, StepKind, StopCause};
use super::world::{Event, LastEvaluation, Phase, World, draw};

impl World {
    /// A change the scheduler learns of. Reactive mode evaluates `reaction` later unless an
    /// evaluation is already pending (which absorbs this trigger); periodic mode waits
    /// for its next tick.
    pub(super) fn trigger_evaluation(&mut self) {
        if self.params.scheduler_mode == SchedulerMode::Reactive && !self.evaluation_pending {
            self.evaluation_pending = true;
            let delay = draw(&self.params.reaction, &mut self.streams.scheduler);
            self.queue.schedule_in(delay, Event::Evaluate);
        }
    }

    /// One evaluation. Returns whether it stopped or started anything.
    pub(super) fn evaluate(&mut self) -> bool {
        let p = &self.params;
        let (desired, min, max) = (p.desired, p.min_healthy, p.max_active);
        let mut stopped = 0;
        let mut started = 0;

        // 1. Stop: every old active task that is not healthy, then healthy old tasks
        //    while one more stop leaves at least MIN healthy.
        if self.old_unhealthy_active > 0 {
            for id in 0..self.tasks.len() as u32 {
                let task = &self.tasks[id as usize];
                if task.revision == Revision::Old
                    && task.is_active()
                    && task.phase != Phase::Healthy
                {
                    self.stop_task(id, StopCause::Scheduler);
                    stopped += 1;
                }
            }
        }
        while self.counts.healthy > min {
            // The zone with the most active tasks among zones holding a candidate (ties:
            // lower zone), recounted after each stop; its lowest task id.
            let mut best: Option<usize> = None;
            for zone in 0..self.old_healthy.len() {
                if !self.old_healthy[zone].is_empty()
                    && best.is_none_or(|b| self.zone_active[zone] > self.zone_active[b])
                {
                    best = Some(zone);
                }
            }
            let Some(zone) = best else { break };
            let id = self.old_healthy[zone]
                .first()
                .expect("zone has a candidate");
            self.stop_task(id, StopCause::Scheduler);
            stopped += 1;
        }

        // 2. Start: new tasks while fewer than D are active and MAX allows.
        let mut placement_failed = false;
        while self.counts.new_active < desired && self.counts.active < max {
            match self.choose_host() {
                Some(host) => {
                    self.place_new_task(host);
                    started += 1;
                }
                None => {
                    placement_failed = true;
                    self.metrics.placement_failures += 1;
                    self.record(StepKind::PlacementFailed, None, Detail::None);
                    break;
                }
            }
        }
        self.last_evaluation = LastEvaluation { placement_failed };
        self.record(
            StepKind::Evaluation,
            None,
            Detail::Evaluation { stopped, started },
        );
        stopped + started > 0
    }
}

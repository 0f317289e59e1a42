//! The ECS rolling update (docs/model.md, "The ECS service scheduler"): an evaluation
//! stops old tasks as far as MIN allows, then starts new ones as far as MAX allows.

use super::super::outcome::{Detail, Revision, StepKind, StopCause, StuckReason};
use super::super::world::{Phase, TaskId, World};

impl World {
    /// One evaluation. Returns whether it stopped or started anything. The target
    /// revision (new, or old after a rollback) is started; the other one is stopped.
    pub(super) fn evaluate_rolling(&mut self) -> bool {
        let min = self.params.min_healthy;
        let max = self.params.max_active;
        let target = self.target;
        let other = target.other();
        let mut stopped = 0;

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
        let started = self.start_tasks(target, max);
        self.record(
            StepKind::Evaluation,
            None,
            Detail::Evaluation { stopped, started },
        );
        stopped + started > 0
    }

    pub(super) fn rolling_stuck_reason(&self) -> StuckReason {
        let p = &self.params;
        let counts = self.counts();
        if self.last_evaluation.placement_failed {
            StuckReason::NoHostFits {
                new_active: self.active[self.target as usize],
                desired: p.desired,
            }
        } else if self.active[self.target as usize] < p.desired
            && counts.active >= p.max_active
            && counts.healthy < p.min_healthy + 1
        {
            StuckReason::MinMaxDeadlock {
                min: p.min_healthy,
                max: p.max_active,
            }
        } else {
            StuckReason::NothingPending
        }
    }
}

impl Revision {
    /// The other revision.
    pub fn other(self) -> Revision {
        match self {
            Revision::New => Revision::Old,
            Revision::Old => Revision::New,
        }
    }
}

//! ECS blue/green, linear and canary deployments (docs/model.md, "Blue/green, linear and
//! canary"): the whole new revision (green) is started beside the old one (blue), then
//! production traffic moves to it in steps, both run through the bake time, and only then
//! is the old revision stopped.
//!
//! Stages: scale-up (start new tasks, no MAX, until D are healthy) -> test traffic (the
//! before-production hooks) -> production shifts (each takes effect at once; a wait after
//! each below 100%) -> the after-production hook -> bake -> clean-up (every old task told
//! to stop; complete when the scheduler has learnt they all stopped). New tasks that fail
//! are replaced in every stage.

use crate::engine::{SimDuration, SimTime};
use crate::scenario::Dist;

use super::super::outcome::{Detail, Revision, StepKind, StopCause, StuckReason};
use super::super::params::ShiftParams;
use super::super::world::{Event, TaskId, World, draw};

/// Where a traffic-shifting deployment is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Stage {
    /// Starting new tasks until D are healthy.
    #[default]
    ScaleUp,
    /// Test traffic and its hooks.
    TestTraffic,
    /// Production shifts; the wait after a shift below 100%.
    Shifting,
    /// The after-production hook.
    AfterProduction,
    Bake,
    /// Every old task told to stop.
    CleanUp,
    /// Rolled back: traffic is on the old revision again.
    RolledBack,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::ScaleUp => "scale-up",
            Stage::TestTraffic => "test traffic",
            Stage::Shifting => "traffic shift",
            Stage::AfterProduction => "after-production hook",
            Stage::Bake => "bake",
            Stage::CleanUp => "clean-up",
            Stage::RolledBack => "rolled back",
        }
    }
}

/// A traffic-shifting deployment's state in one replication.
#[derive(Clone, Copy, Debug, Default)]
pub struct ShiftState {
    pub stage: Stage,
    /// Index in `ShiftParams::steps` of the next shift.
    pub next_step: usize,
    /// When the green share reached 100%.
    pub shifted_at: Option<SimTime>,
}

impl World {
    fn shift_params(&self) -> &ShiftParams {
        self.params
            .shift
            .as_ref()
            .expect("the traffic-shift controller runs only with its parameters")
    }

    /// Draws one of the stages' durations from its own stream.
    fn draw_stage(&mut self, pick: impl Fn(&ShiftParams) -> &Dist) -> SimDuration {
        let params = self
            .params
            .shift
            .as_ref()
            .expect("the traffic-shift controller runs only with its parameters");
        draw(pick(params), &mut self.streams.stages)
    }

    /// One evaluation: only the start step, in every stage (no MAX: the new revision may
    /// run in full beside the old one).
    pub(super) fn evaluate_traffic_shift(&mut self) -> bool {
        let started = self.start_tasks(self.target, u32::MAX);
        self.record(
            StepKind::Evaluation,
            None,
            Detail::Evaluation {
                stopped: 0,
                started,
            },
        );
        started > 0
    }

    /// Scale-up ends at the first instant D new tasks are healthy: test traffic begins.
    pub(super) fn traffic_shift_task_healthy(&mut self, _id: TaskId) {
        if self.shift.stage == Stage::ScaleUp
            && self.target == Revision::New
            && self.healthy[Revision::New as usize] == self.params.desired
        {
            let hook = self.draw_stage(|p| &p.before_production);
            self.enter_stage(Stage::TestTraffic, hook);
        }
    }

    /// A timed stage ended.
    pub(in crate::model) fn on_stage_done(&mut self) {
        match self.shift.stage {
            Stage::TestTraffic | Stage::Shifting => self.shift_traffic(),
            Stage::AfterProduction => {
                let bake = self.draw_stage(|p| &p.bake_time);
                self.enter_stage(Stage::Bake, bake);
            }
            Stage::Bake => self.clean_up(),
            // A rollback overtook the stage.
            Stage::ScaleUp | Stage::CleanUp | Stage::RolledBack => {}
        }
    }

    /// The next production shift; at 100% the after-production hook follows, below it a
    /// wait (canary bake, or a linear step's bake).
    fn shift_traffic(&mut self) {
        let params = self.shift_params();
        let green = params.steps[self.shift.next_step];
        self.shift.next_step += 1;
        self.set_green(green);
        if green >= 100.0 {
            self.shift.shifted_at = Some(self.queue.now());
            let hook = self.draw_stage(|p| &p.after_production);
            self.enter_stage(Stage::AfterProduction, hook);
        } else {
            let wait = self.draw_stage(|p| &p.step_wait);
            self.enter_stage(Stage::Shifting, wait);
        }
    }

    /// Clean-up: alarms are no longer watched; every old task is told to stop.
    fn clean_up(&mut self) {
        self.shift.stage = Stage::CleanUp;
        self.stop_watching_alarms();
        self.record(StepKind::Stage, None, Detail::Stage(Stage::CleanUp));
        for id in 0..self.tasks.len() as TaskId {
            let task = &self.tasks[id as usize];
            if task.revision == Revision::Old && task.is_active() {
                self.stop_task(id, StopCause::Scheduler);
            }
        }
    }

    fn enter_stage(&mut self, stage: Stage, lasts: SimDuration) {
        self.shift.stage = stage;
        self.queue.schedule_in(lasts, Event::StageDone);
        self.record(StepKind::Stage, None, Detail::Stage(stage));
    }

    /// Roll back: traffic goes back to the old revision at once and every new task is
    /// told to stop (a launching one has its launch cancelled).
    pub(super) fn roll_back_traffic_shift(&mut self) {
        self.set_green(0.0);
        self.shift.stage = Stage::RolledBack;
        self.record(StepKind::Stage, None, Detail::Stage(Stage::RolledBack));
        for id in 0..self.tasks.len() as TaskId {
            let task = &self.tasks[id as usize];
            if task.revision == Revision::New && task.is_active() {
                self.stop_task(id, StopCause::Rollback);
            }
        }
        self.trigger_evaluation();
    }

    /// Complete once clean-up began and the scheduler has learnt every old task stopped;
    /// rolled back once D old tasks are healthy and every new task has stopped.
    pub(super) fn traffic_shift_complete(&self) -> bool {
        match self.target {
            Revision::New => {
                self.shift.stage == Stage::CleanUp && self.remaining[Revision::Old as usize] == 0
            }
            Revision::Old => {
                self.healthy[Revision::Old as usize] == self.params.desired
                    && self.remaining[Revision::New as usize] == 0
            }
        }
    }

    pub(super) fn traffic_shift_stuck_reason(&self) -> StuckReason {
        if self.last_evaluation.placement_failed {
            StuckReason::NoHostFits {
                new_active: self.active[self.target as usize],
                desired: self.params.desired,
            }
        } else {
            StuckReason::NothingPending
        }
    }
}

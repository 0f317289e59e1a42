//! Silent bad revisions, deployment alarms and the blast radius (docs/model.md, "Bad
//! revisions and alarms"), for every strategy. A bad revision passes its health checks
//! but sets off the service's alarms once it serves production traffic; with
//! `deployment.alarms` the alarm fires `alarm_delay` after the first instant the new
//! revision serves production traffic, and the deploy fails (or rolls back).
//!
//! `bad_exposure_seconds` integrates the share of production traffic on the new
//! revision while it is bad: for the traffic-shifting strategies the green share `g`; for
//! rolling, healthy new tasks over all healthy tasks (the load balancer spreads evenly).

use crate::engine::SimTime;

use super::super::outcome::{Detail, Revision, StepKind};
use super::super::world::{Event, World, chance, draw};
use super::Controller;

/// The revision's badness, the alarm, the green share and the exposure integral.
#[derive(Clone, Copy, Debug, Default)]
pub struct RevisionWatch {
    /// The new revision is bad (drawn once per replication).
    pub bad: bool,
    /// Alarms are still watched: on, not yet fired, clean-up not begun.
    pub watching: bool,
    pub alarm_scheduled: bool,
    /// The alarm fired.
    pub fired: bool,
    /// The green share of production traffic, in percent (traffic-shift strategies).
    pub green_percent: f64,
    /// Since when `exposure` is accounted for.
    pub exposure_since: SimTime,
    /// Integral of the new revision's traffic share, in percent-microseconds.
    pub exposure: f64,
}

impl RevisionWatch {
    /// The integral in microseconds of full traffic, rounded.
    pub fn exposure_micros(&self) -> u64 {
        (self.exposure / 100.0).round() as u64
    }
}

impl World {
    /// At t = 0: draws whether the revision is bad (its own stream, one draw per
    /// replication when the probability is neither 0 nor 1).
    pub(in crate::model) fn reset_revision_watch(&mut self) {
        let bad = chance(
            self.params.bad_revision_probability,
            &mut self.streams.revision,
        );
        self.watch = RevisionWatch {
            bad,
            watching: self.params.alarm_delay.is_some(),
            ..RevisionWatch::default()
        };
    }

    /// The new revision's share of production traffic now, in percent.
    fn new_traffic_percent(&self) -> f64 {
        match self.params.controller {
            Controller::Rolling => {
                let healthy = self.healthy[0] + self.healthy[1];
                if healthy == 0 {
                    0.0
                } else {
                    100.0 * self.healthy[Revision::New as usize] as f64 / healthy as f64
                }
            }
            Controller::TrafficShift => self.watch.green_percent,
        }
    }

    /// Adds the exposure since the share last changed; call before it changes.
    pub(in crate::model) fn accumulate_exposure(&mut self) {
        if !self.watch.bad {
            return;
        }
        let now = self.queue.now();
        let elapsed = now.since(self.watch.exposure_since).micros();
        self.watch.exposure += self.new_traffic_percent() * elapsed as f64;
        self.watch.exposure_since = now;
    }

    /// Moves the green share (traffic-shift strategies) and records the shift.
    pub(super) fn set_green(&mut self, percent: f64) {
        self.accumulate_exposure();
        let first = self.watch.green_percent <= 0.0 && percent > 0.0;
        self.watch.green_percent = percent;
        self.record(
            StepKind::TrafficShifted,
            None,
            Detail::Green {
                basis_points: (percent * 100.0).round() as u32,
            },
        );
        if first {
            self.serving_production();
        }
    }

    /// The new revision began serving production traffic: a bad one sets off the alarm.
    pub(super) fn serving_production(&mut self) {
        if !(self.watch.bad && self.watch.watching) || self.watch.alarm_scheduled {
            return;
        }
        let delay = self
            .params
            .alarm_delay
            .as_ref()
            .expect("alarms are watched only when on");
        let after = draw(delay, &mut self.streams.revision);
        self.watch.alarm_scheduled = true;
        self.queue.schedule_in(after, Event::AlarmFires);
    }

    /// Alarms are no longer watched (clean-up began, or the deploy already failed).
    pub(super) fn stop_watching_alarms(&mut self) {
        self.watch.watching = false;
    }

    pub(in crate::model) fn on_alarm_fires(&mut self) {
        if !self.watch.watching {
            return;
        }
        self.watch.watching = false;
        self.watch.fired = true;
        self.breaker.tripped_at = Some(self.queue.now());
        self.record(StepKind::AlarmFired, None, Detail::None);
        self.fail_deploy();
    }
}

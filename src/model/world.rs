//! The cluster world of one replication: state, the event loop, and the bookkeeping every
//! step shares. A task's life is in `task.rs`, its load-balancer checks in
//! `load_balancer.rs`; what the deployment controller decides is in `controller/`; managed
//! scaling and host failures in `scaling.rs`.

use crate::engine::{EventQueue, Next, SimDuration, SimTime};
use crate::scenario::{AgentMode, Dist, SchedulerMode};

use super::controller::{Controller, RevisionWatch, ShiftState};
use super::fargate::Billing;
use super::idset::IdSet;
use super::outcome::{
    Counts, Detail, Outcome, ReplicationResult, Revision, Step, StepKind, StuckReason,
};
use super::params::Params;
use super::placement::{HostLoad, PlacementIndex};
use super::rng::{Stream, Streams};

/// Index of a task in `World::tasks`; also its id in traces.
pub type TaskId = u32;

/// The model's events. Small and `Copy`, so the queue never allocates per event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A reactive evaluation (or the one at t = 0).
    Evaluate,
    /// A periodic evaluation.
    Tick,
    /// The agent learned of a placement: the pull begins.
    PlacementNoticed(TaskId),
    PullDone(TaskId),
    /// The container is running (or, for a start failure, has exited).
    Started(TaskId),
    /// The scheduler learned the task runs and registers it with the load balancer.
    RunningReported(TaskId),
    HealthCheck(TaskId),
    DrainDone(TaskId),
    /// The agent learned of the stop: SIGTERM.
    StopNoticed(TaskId),
    /// The container exited.
    Exited(TaskId),
    /// The scheduler learned the task stopped and frees its reservation.
    StopReported(TaskId),
    /// Managed scaling's periodic check.
    ScalingCheck,
    /// A launched host finished booting and joins the cluster.
    HostBooted,
    HostFails(u32),
    /// A timed stage of a traffic-shifting deployment ended.
    StageDone,
    /// A deployment alarm fires.
    AlarmFires,
    /// A Kubernetes Deployment's own events.
    Kube(KubeEvent),
}

/// The events of a Kubernetes Deployment (docs/model.md section 15).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KubeEvent {
    /// A created pod's first binding attempt.
    Bind,
    /// Unschedulable pods are tried again.
    RetryBinding,
    /// A readiness probe.
    Probe(TaskId),
    /// The controllers learn the pod is Ready.
    ReadyKnown(TaskId),
    /// Ready for `min_ready`.
    Available(TaskId),
    /// The progress deadline may have run out.
    ProgressCheck,
    /// Karpenter's batch of pending pods may close.
    BatchClose,
}

/// Where a task is in its life (docs/model.md section 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    Placed,
    Pulling,
    Starting,
    /// Running, not yet reported to the scheduler.
    Running,
    /// Registered with the load balancer, being checked.
    Registered,
    Healthy,
    Draining,
    /// Draining done, waiting for the agent to notice the stop.
    StopPending,
    Stopping,
    /// Container exited, not yet reported.
    Exited,
    /// The scheduler knows it stopped (or it was lost with its host).
    Gone,
}

#[derive(Clone, Copy, Debug)]
pub struct Task {
    pub host: u32,
    pub revision: Revision,
    pub phase: Phase,
    /// The scheduler told it to stop.
    pub stop_decided: bool,
    /// A bad task never passes a health check.
    pub good: bool,
    /// Its container exits before it runs.
    pub fails_to_start: bool,
    pub was_healthy: bool,
    /// Its container began running.
    pub ran: bool,
    pub running_at: SimTime,
    /// First instant a check can pass (`running_at + warmup`).
    pub warm_at: SimTime,
    pub passes: u32,
    /// Consecutive failed checks that count against the grace period.
    pub failures: u32,
    /// Consecutive failed checks of any kind (the load balancer's own count).
    pub failed_in_row: u32,
    /// The load balancer has marked the target unhealthy: it now needs
    /// `healthy_threshold` passes instead of `initial_healthy_threshold`.
    pub marked_unhealthy: bool,
    /// Fargate bills it now (from its pull's start until its container stopped).
    pub billed: bool,
}

impl Task {
    /// Active: placed and neither told to stop nor known to have stopped.
    pub fn is_active(&self) -> bool {
        !self.stop_decided && self.phase != Phase::Gone
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Host {
    /// Whether the image of each revision is cached (indexed by `Revision as usize`).
    pub cached: [bool; 2],
    pub poll_phase: SimDuration,
    pub failed: bool,
    /// Other services hold part of it (docs/model.md 18): it counts as occupied for scaling.
    pub shared: bool,
    /// In a spare group: holds no old task at t = 0.
    pub spare: bool,
}

/// Receives every event's steps; the trace writer and the invariant checker are observers.
pub trait Observer {
    /// Whether the world should record steps at all (false compiles the recording away).
    const RECORDS_STEPS: bool;
    fn after_event(&mut self, world: &World, steps: &[Step]);
}

/// An observer that sees nothing, for fast runs.
pub struct NoObserver;

impl Observer for NoObserver {
    const RECORDS_STEPS: bool = false;
    #[inline]
    fn after_event(&mut self, _: &World, _: &[Step]) {}
}

#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Metrics {
    pub first_new_healthy: Option<SimTime>,
    pub min_healthy: u32,
    pub deficit_task_micros: u64,
    pub healthy_since: SimTime,
    pub peak_active: u32,
    pub tasks_started: u32,
    pub tasks_failed: u32,
    pub placement_failures: u32,
    pub events: u64,
    /// Since when the scheduler has been waiting for room (`None`: not waiting).
    pub waiting_since: Option<SimTime>,
    pub capacity_wait_micros: u64,
}

/// What the last evaluation could not do: to explain a stuck run and to size scaling.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct LastEvaluation {
    pub placement_failed: bool,
    /// New tasks it wanted to start but could not place (docs/model.md 13's `U`).
    pub unplaced: u32,
}

/// The circuit breaker (docs/model.md section 7).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Breaker {
    pub armed: bool,
    pub failures: u32,
    pub tripped_at: Option<SimTime>,
    pub restored_at: Option<SimTime>,
}

/// Managed scaling's state (docs/model.md section 13).
#[derive(Clone, Debug, Default)]
pub(super) struct Scaling {
    /// Launch time of every host launched during the run.
    pub launched: Vec<SimTime>,
    pub booting: u32,
    /// No scale-out before this (the youngest launch's warm-up).
    pub blocked_until: SimTime,
}

/// One replication's world. Reusable: `run` resets it, keeping allocations.
pub struct World {
    pub(super) params: Params,
    pub(super) queue: EventQueue<Event>,
    pub(super) tasks: Vec<Task>,
    pub(super) hosts: Vec<Host>,
    pub(super) loads: Vec<HostLoad>,
    pub(super) index: PlacementIndex,
    pub(super) zone_active: Vec<u32>,
    /// Per revision, per zone: active healthy tasks (the stop candidates when that
    /// revision is being replaced).
    pub(super) healthy_sets: [Vec<IdSet>; 2],
    /// Per revision: active tasks that are not healthy.
    pub(super) unhealthy_active: [u32; 2],
    pub(super) active: [u32; 2],
    pub(super) healthy: [u32; 2],
    /// Per revision: tasks the scheduler has not yet seen stop.
    pub(super) remaining: [u32; 2],
    /// The revision being deployed: new, or old again after a rollback.
    pub(super) target: Revision,
    pub(super) hosts_up: u32,
    /// Hosts holding at least one task in the scheduler's view.
    pub(super) occupied_hosts: u32,
    pub(super) evaluation_pending: bool,
    /// When the next queued evaluation (reactive or periodic) runs.
    pub(super) next_evaluation_at: Option<SimTime>,
    pub(super) last_evaluation: LastEvaluation,
    pub(super) breaker: Breaker,
    /// The traffic-shifting controller's stage.
    pub(super) shift: ShiftState,
    /// Bad revision, alarms, green share and exposure.
    pub(super) watch: RevisionWatch,
    pub(super) scaling: Scaling,
    /// Fargate's billed tasks (docs/model.md 17).
    pub(super) billing: Billing,
    /// Recurring events in the queue (periodic ticks, scaling checks).
    pub(super) recurring_pending: usize,
    /// Set when the run must end after this event (the breaker tripped without rollback).
    pub(super) ending: Option<Outcome>,
    pub(super) metrics: Metrics,
    pub(super) streams: Streams,
    pub(super) recording: bool,
    pub(super) steps: Vec<Step>,
    /// A cap on events per replication (`None`: no cap).
    pub(super) event_limit: Option<u64>,
    /// A Kubernetes Deployment's ReplicaSets and pods (unused on ECS).
    pub(super) kube: super::controller::KubeState,
    /// The cluster at t = 0, once built (`None` while placement draws).
    initial: Option<Box<InitialCluster>>,
}

/// Draws from `dist` on `stream`; a constant draws nothing. One test for a constant
/// (most delays are), rather than a jump on the distribution's kind.
#[inline]
pub(super) fn draw(dist: &Dist, stream: &mut Stream) -> SimDuration {
    if let Dist::Constant(duration) = dist {
        return *duration;
    }
    stream.quantile(dist)
}

/// True with probability `p`, drawing only when the outcome is uncertain.
#[inline]
pub(super) fn chance(p: f64, stream: &mut Stream) -> bool {
    if p <= 0.0 {
        false
    } else if p >= 1.0 {
        true
    } else {
        stream.uniform() < p
    }
}

impl World {
    pub fn new(params: Params) -> World {
        let mut queue = EventQueue::with_capacity(256);
        queue.set_fixed_delays(&params.fixed_delays());
        World {
            params,
            queue,
            tasks: Vec::new(),
            hosts: Vec::new(),
            loads: Vec::new(),
            index: PlacementIndex::default(),
            zone_active: Vec::new(),
            healthy_sets: [Vec::new(), Vec::new()],
            unhealthy_active: [0; 2],
            active: [0; 2],
            healthy: [0; 2],
            remaining: [0; 2],
            target: Revision::New,
            hosts_up: 0,
            occupied_hosts: 0,
            evaluation_pending: false,
            next_evaluation_at: None,
            last_evaluation: LastEvaluation::default(),
            breaker: Breaker::default(),
            shift: ShiftState::default(),
            watch: RevisionWatch::default(),
            scaling: Scaling::default(),
            billing: Billing::default(),
            recurring_pending: 0,
            ending: None,
            metrics: Metrics::default(),
            streams: Streams::new(0, 0),
            recording: false,
            steps: Vec::new(),
            event_limit: None,
            kube: Default::default(),
            initial: None,
        }
    }

    /// Caps every later replication at `limit` events; a run that reaches the cap ends
    /// with outcome `event_limit`.
    pub fn set_event_limit(&mut self, limit: Option<u64>) {
        self.event_limit = limit;
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    pub fn now(&self) -> SimTime {
        self.queue.now()
    }

    /// The scheduler's counts now.
    pub fn counts(&self) -> Counts {
        Counts {
            healthy: self.healthy[0] + self.healthy[1],
            active: self.active[0] + self.active[1],
            new_healthy: self.healthy[Revision::New as usize],
            new_active: self.active[Revision::New as usize],
            hosts_up: self.hosts_up,
            hosts_booting: self.scaling.booting,
        }
    }

    /// Each host's load as the scheduler sees it.
    pub fn host_loads(&self) -> &[HostLoad] {
        &self.loads
    }

    pub fn hosts(&self) -> &[Host] {
        &self.hosts
    }

    pub fn tasks(&self) -> &[Task] {
        &self.tasks
    }

    /// Hosts launched by scaling so far (booted or not).
    pub fn scaled_hosts(&self) -> u32 {
        self.scaling.launched.len() as u32
    }

    /// Runs replication `replication` of seed `seed` to its end.
    pub fn run<O: Observer>(
        &mut self,
        seed: u64,
        replication: u64,
        observer: &mut O,
    ) -> ReplicationResult {
        self.reset(seed, replication, O::RECORDS_STEPS);
        let horizon = self.params.horizon;
        // No cap is the largest cap: one comparison per event either way.
        let event_limit = self.event_limit.unwrap_or(u64::MAX);
        // Counted in a local (a register), not in `metrics` through `self` after every
        // handler; nothing reads the count before the run ends.
        let mut events = self.metrics.events;
        let (outcome, stuck_reason) = loop {
            // At the cap, a run whose next event is past the horizon still times out.
            if events >= event_limit && self.queue.peek_time().is_none_or(|next| next <= horizon) {
                let now = self.queue.now();
                self.end_at(now);
                self.record(StepKind::EventLimit, None, Detail::None);
                break (Outcome::EventLimit, None);
            }
            // Only an event due by the horizon is taken, so a timed-out world's clock
            // stops at the horizon.
            let (time, event) = match self.queue.pop_until(horizon) {
                Next::Event(time, event) => (time, event),
                Next::Later => {
                    self.queue.advance_to(horizon);
                    self.end_at(horizon);
                    self.record(StepKind::Timeout, None, Detail::None);
                    break (Outcome::Timeout, None);
                }
                // Only reachable if nothing was ever scheduled.
                Next::Empty => break (Outcome::Stuck, Some(self.stuck_reason())),
            };
            events += 1;
            let stuck_here = self.handle(event);
            self.note_restoration();
            let result = if let Some(outcome) = self.ending {
                self.end_at(time);
                self.record(StepKind::Failed, None, Detail::None);
                Some((outcome, None))
            } else if self.deploy_complete() {
                self.end_at(time);
                let (outcome, kind) = match self.target {
                    Revision::New if self.params.kube.is_some() => {
                        (Outcome::Completed, StepKind::Settled)
                    }
                    Revision::New => (Outcome::Completed, StepKind::Completed),
                    Revision::Old => (Outcome::RolledBack, StepKind::RolledBack),
                };
                self.record(kind, None, Detail::None);
                Some((outcome, None))
            } else if stuck_here
                || (self.params.scheduler_mode == SchedulerMode::Reactive
                    && self.nothing_can_change())
            {
                let reason = self.stuck_reason();
                self.end_at(time);
                self.record(StepKind::Stuck, None, Detail::Stuck(reason));
                Some((Outcome::Stuck, Some(reason)))
            } else {
                None
            };
            if O::RECORDS_STEPS {
                observer.after_event(self, &self.steps);
                self.steps.clear();
            }
            if let Some(result) = result {
                break result;
            }
        };
        self.metrics.events = events;
        if O::RECORDS_STEPS && !self.steps.is_empty() {
            observer.after_event(self, &self.steps);
            self.steps.clear();
        }
        self.result(outcome, stuck_reason)
    }

    fn result(&self, outcome: Outcome, stuck_reason: Option<StuckReason>) -> ReplicationResult {
        let metrics = &self.metrics;
        let end = self.queue.now();
        // Kubernetes: deploy_seconds is the rollout's completion; the run goes on until
        // the last old pod is gone (settled_seconds). A horizon between the two still
        // counts as completed, with no settled time.
        let completed_at = self
            .kube
            .completed_at
            .filter(|_| self.params.kube.is_some());
        let (outcome, settled) = match completed_at {
            Some(_) if outcome == Outcome::Completed => (outcome, Some(SimDuration(end.micros()))),
            Some(_) => (Outcome::Completed, None),
            None => (outcome, None),
        };
        let deploy_at = completed_at.unwrap_or(end);
        let deploy = SimDuration(deploy_at.micros());
        let (host_micros_extra, host_cost) = self.extra_host_time(deploy_at);
        let task_extra = self.extra_task_time();
        let since_start = |t: Option<SimTime>| t.map(|t| SimDuration(t.micros()));
        ReplicationResult {
            outcome,
            stuck_reason,
            deploy,
            first_new_healthy: since_start(metrics.first_new_healthy),
            min_healthy: metrics.min_healthy,
            deficit_task_micros: metrics.deficit_task_micros,
            peak_active: metrics.peak_active,
            tasks_started: metrics.tasks_started,
            tasks_failed: metrics.tasks_failed,
            placement_failures: metrics.placement_failures,
            events: metrics.events,
            detection: since_start(self.breaker.tripped_at),
            restored: since_start(self.breaker.restored_at),
            capacity_wait: SimDuration(metrics.capacity_wait_micros),
            scaled_hosts: self.scaled_hosts(),
            host_micros_extra,
            task_micros_extra: task_extra.map(|(micros, _)| micros),
            cost: task_extra.map(|(_, cost)| cost).or(host_cost),
            traffic_shifted: since_start(self.shift.shifted_at),
            bad_exposure_micros: self.watch.exposure_micros(),
            alarm_fired: self.watch.fired,
            early_terminations: self.kube.early_terminations,
            settled,
        }
    }

    fn reset(&mut self, seed: u64, replication: u64, recording: bool) {
        self.queue.clear();
        self.streams.reseed(seed, replication);
        self.recording = recording;
        self.steps.clear();
        // The t = 0 cluster draws nothing unless placement is `random`: build it once and
        // copy it into later runs (allocation-free) instead of placing D tasks again.
        // Its steps are recorded only while it is built, so a recording run builds it.
        match self.initial.take() {
            Some(initial) if !recording => {
                initial.restore_into(self);
                self.initial = Some(initial);
            }
            kept => {
                self.place_initial();
                if !self.params.placement.draws() {
                    let mut initial = kept.unwrap_or_default();
                    initial.save_from(self);
                    self.initial = Some(initial);
                }
            }
        }
        let p = &self.params;
        let total_hosts = p.total_hosts();
        self.target = Revision::New;
        self.hosts_up = total_hosts;
        self.evaluation_pending = false;
        self.next_evaluation_at = None;
        self.last_evaluation = LastEvaluation::default();
        self.breaker = Breaker {
            armed: self.params.breaker_threshold.is_some(),
            ..Breaker::default()
        };
        self.shift = ShiftState::default();
        self.scaling.launched.clear();
        self.scaling.booting = 0;
        self.scaling.blocked_until = SimTime::ZERO;
        self.recurring_pending = 0;
        self.ending = None;
        self.reset_revision_watch();
        if self.params.agent_mode == AgentMode::Polling {
            for host in 0..total_hosts {
                self.draw_poll_phase(host);
            }
        }
        if self.params.host_failure_rate > 0.0 {
            for host in 0..total_hosts {
                self.schedule_host_failure(host);
            }
        }
        self.metrics.min_healthy = self.counts().healthy;
        self.metrics.peak_active = self.counts().active;
        match self.params.scheduler_mode {
            SchedulerMode::Reactive => {
                self.evaluation_pending = true;
                self.queue.schedule_at(SimTime::ZERO, Event::Evaluate);
            }
            SchedulerMode::Periodic => self.schedule_recurring(SimTime::ZERO, Event::Tick),
        }
        self.next_evaluation_at = Some(SimTime::ZERO);
        if self.params.kube.is_some() {
            self.reset_kubernetes();
        }
        if self
            .params
            .scaling
            .as_ref()
            .is_some_and(|s| s.mode != super::params::ScalingMode::Karpenter)
        {
            // Queued after the first evaluation, so it runs right after it.
            self.schedule_recurring(SimTime::ZERO, Event::ScalingCheck);
        }
    }

    /// The cluster at t = 0: the old revision runs, healthy, on the hosts of groups that
    /// are not spare (only they are in the index while it is placed); its image is cached
    /// there. Draws only if placement is `random`.
    fn place_initial(&mut self) {
        self.reset_hosts();
        let p = &self.params;
        let total_hosts = p.total_hosts();
        let zones = p.zones as usize;
        self.tasks.clear();
        self.index.reset(p.zones, p.host_capacity(), &p.placement);
        self.zone_active.clear();
        self.zone_active.resize(zones, 0);
        for sets in &mut self.healthy_sets {
            sets.resize_with(zones, IdSet::default);
            sets.truncate(zones);
            sets.iter_mut().for_each(IdSet::clear);
        }
        self.unhealthy_active = [0; 2];
        self.active = [0; 2];
        self.healthy = [0; 2];
        self.remaining = [0; 2];
        self.billing = Billing::default();
        self.metrics = Metrics::default();
        for host in 0..total_hosts {
            if !self.hosts[host as usize].spare {
                self.hosts[host as usize].cached[Revision::Old as usize] = true;
                self.refresh_host(host);
            }
        }
        for _ in 0..self.params.desired {
            let host = self
                .choose_host()
                .expect("validation guarantees the old tasks fit on the service hosts");
            let id = self.add_task(host, Revision::Old);
            let task = &mut self.tasks[id as usize];
            task.phase = Phase::Healthy;
            task.was_healthy = true;
            task.ran = true;
            self.unhealthy_active[Revision::Old as usize] -= 1;
            self.healthy[Revision::Old as usize] += 1;
            let zone = self.zone_of(host);
            self.healthy_sets[Revision::Old as usize][zone].insert(id);
            self.start_billing(id);
            self.record(StepKind::Initial, Some(id), Detail::None);
        }
        for host in 0..total_hosts {
            if self.hosts[host as usize].spare {
                self.refresh_host(host);
            }
        }
    }

    pub(super) fn schedule_recurring(&mut self, at: SimTime, event: Event) {
        self.recurring_pending += 1;
        self.queue.schedule_at(at, event);
    }

    /// Draws a host's polling phase (once, when it joins).
    pub(super) fn draw_poll_phase(&mut self, host: u32) {
        let interval = self.params.poll_interval.micros();
        let phase = match &self.params.poll_phase {
            Some(dist) => draw(dist, &mut self.streams.poll_phase).micros() % interval,
            None => self.streams.poll_phase.below(interval),
        };
        self.hosts[host as usize].poll_phase = SimDuration(phase);
    }

    /// Handles one event; returns true if it proved the run stuck. Inlined into `run`:
    /// a call per event saved and restored most registers.
    #[inline(always)]
    fn handle(&mut self, event: Event) -> bool {
        match event {
            Event::Evaluate => {
                self.evaluation_pending = false;
                self.next_evaluation_at = None;
                self.evaluate();
            }
            Event::Tick => {
                self.recurring_pending -= 1;
                let changed = self.evaluate();
                // Periodic: an evaluation that changes nothing, with nothing else that
                // could change the state pending, would repeat forever.
                if !changed && self.nothing_can_change() && !self.deploy_complete() {
                    return true;
                }
                let next = self.queue.now() + self.params.scheduler_interval;
                self.next_evaluation_at = Some(next);
                self.schedule_recurring(next, Event::Tick);
            }
            Event::PlacementNoticed(id) => self.on_placement_noticed(id),
            Event::PullDone(id) => self.on_pull_done(id),
            Event::Started(id) => self.on_started(id),
            Event::RunningReported(id) => self.on_running_reported(id),
            Event::HealthCheck(id) => self.on_health_check(id),
            Event::DrainDone(id) => self.on_drain_done(id),
            Event::StopNoticed(id) => self.on_stop_noticed(id),
            Event::Exited(id) => self.on_exited(id),
            Event::StopReported(id) => self.on_stop_reported(id),
            Event::ScalingCheck => {
                self.recurring_pending -= 1;
                self.on_scaling_check();
            }
            Event::HostBooted => self.on_host_booted(),
            Event::HostFails(host) => self.on_host_fails(host),
            Event::StageDone => self.on_stage_done(),
            Event::AlarmFires => self.on_alarm_fires(),
            Event::Kube(event) => self.on_kube_event(event),
        }
        false
    }

    /// No pending event but recurring ones, and no scaling check could launch a host.
    fn nothing_can_change(&self) -> bool {
        self.queue.len_is(self.recurring_pending) && !self.scaling_could_launch()
    }

    /// After a rollback began: the first instant D old-revision tasks are healthy again.
    fn note_restoration(&mut self) {
        if self.target == Revision::Old
            && self.breaker.restored_at.is_none()
            && self.healthy[Revision::Old as usize] >= self.params.desired
        {
            self.breaker.restored_at = Some(self.queue.now());
        }
    }

    /// Closes the books at the run's end time.
    fn end_at(&mut self, end: SimTime) {
        self.accumulate_deficit(end);
        self.accumulate_billing(end);
        self.accumulate_exposure();
        if let Some(since) = self.metrics.waiting_since.take() {
            self.metrics.capacity_wait_micros += end.since(since).micros();
        }
    }

    pub(super) fn zone_of(&self, host: u32) -> usize {
        self.index.zone_of(host)
    }

    /// Re-indexes a host after its load changed.
    pub(super) fn refresh_host(&mut self, host: u32) {
        let failed = self.hosts[host as usize].failed;
        let load = self.loads[host as usize];
        self.index
            .set_load(&self.params.placement, host, load, failed);
    }

    /// The host placement picks for one more task, as the scheduler sees the cluster.
    #[inline]
    pub(super) fn choose_host(&mut self) -> Option<u32> {
        let placement_stream = &mut self.streams.placement;
        self.index.choose(
            &self.params.placement,
            &self.zone_active,
            &self.loads,
            |n| placement_stream.below(n),
        )
    }

    /// Creates an active, not yet healthy task on `host` and reserves its resources there.
    pub(super) fn add_task(&mut self, host: u32, revision: Revision) -> TaskId {
        let id = self.tasks.len() as TaskId;
        self.tasks.push(Task {
            host,
            revision,
            phase: Phase::Placed,
            stop_decided: false,
            good: true,
            fails_to_start: false,
            was_healthy: false,
            ran: false,
            running_at: SimTime::ZERO,
            warm_at: SimTime::ZERO,
            passes: 0,
            failures: 0,
            failed_in_row: 0,
            marked_unhealthy: false,
            billed: false,
        });
        let (cpu, memory) = self.params.fleet.reservation;
        let load = &mut self.loads[host as usize];
        if load.reserved == 0 && !self.hosts[host as usize].shared {
            self.occupied_hosts += 1;
        }
        load.reserved += 1;
        load.free_cpu -= cpu;
        load.free_memory -= memory;
        load.active += 1;
        self.refresh_host(host);
        let zone = self.zone_of(host);
        self.zone_active[zone] += 1;
        self.active[revision as usize] += 1;
        self.unhealthy_active[revision as usize] += 1;
        self.remaining[revision as usize] += 1;
        self.metrics.peak_active = self.metrics.peak_active.max(self.counts().active);
        id
    }

    /// Takes an active task out of the active (and healthy) counts: the scheduler told it
    /// to stop, or learned it is gone.
    pub(super) fn deactivate(&mut self, id: TaskId) {
        let task = self.tasks[id as usize];
        debug_assert!(task.is_active(), "only an active task can be deactivated");
        let revision = task.revision as usize;
        let zone = self.zone_of(task.host);
        if task.phase == Phase::Healthy {
            self.change_healthy(task.revision, false);
            self.healthy_sets[revision][zone].remove(id);
        } else {
            self.unhealthy_active[revision] -= 1;
        }
        self.active[revision] -= 1;
        self.zone_active[zone] -= 1;
        self.loads[task.host as usize].active -= 1;
        self.refresh_host(task.host);
        self.tasks[id as usize].stop_decided = true;
    }

    /// Frees a task's reservation: the scheduler knows it is gone.
    pub(super) fn release(&mut self, id: TaskId) {
        let task = &mut self.tasks[id as usize];
        debug_assert!(task.phase != Phase::Gone);
        task.phase = Phase::Gone;
        let (host, revision) = (task.host, task.revision);
        let (cpu, memory) = self.params.fleet.reservation;
        let load = &mut self.loads[host as usize];
        load.reserved -= 1;
        load.free_cpu += cpu;
        load.free_memory += memory;
        if load.reserved == 0 && !self.hosts[host as usize].shared {
            self.occupied_hosts -= 1;
        }
        self.refresh_host(host);
        self.remaining[revision as usize] -= 1;
    }

    /// Adds the deficit accrued since the healthy count last changed.
    fn accumulate_deficit(&mut self, now: SimTime) {
        let healthy = self.healthy[0] + self.healthy[1];
        let missing = self.params.desired.saturating_sub(healthy) as u64;
        let elapsed = now.since(self.metrics.healthy_since).micros();
        self.metrics.deficit_task_micros = self
            .metrics
            .deficit_task_micros
            .saturating_add(missing.saturating_mul(elapsed));
        self.metrics.healthy_since = now;
    }

    /// Changes the healthy count of a revision, keeping the deficit and minimum.
    pub(super) fn change_healthy(&mut self, revision: Revision, up: bool) {
        self.accumulate_deficit(self.queue.now());
        if self.params.controller == Controller::Rolling {
            // Under rolling, the traffic share follows the healthy counts.
            self.accumulate_exposure();
        }
        let count = &mut self.healthy[revision as usize];
        if up {
            *count += 1;
        } else {
            *count -= 1;
        }
        let healthy = self.healthy[0] + self.healthy[1];
        self.metrics.min_healthy = self.metrics.min_healthy.min(healthy);
    }

    /// When the host's agent learns of a change made now (docs/model.md section 5).
    pub(super) fn agent_notices_at(&mut self, host: u32) -> SimTime {
        let now = self.queue.now();
        match self.params.agent_mode {
            AgentMode::Event => now + draw(&self.params.agent_latency, &mut self.streams.agent),
            AgentMode::Polling => {
                let phase = self.hosts[host as usize].poll_phase.micros();
                let interval = self.params.poll_interval.micros();
                let t = now.micros();
                if t <= phase {
                    SimTime(phase)
                } else {
                    SimTime(phase + (t - phase).div_ceil(interval) * interval)
                }
            }
        }
    }

    /// Records a step for observers (a no-op unless an observer asked for steps).
    #[inline]
    pub(super) fn record(&mut self, kind: StepKind, task: Option<TaskId>, detail: Detail) {
        if !self.recording {
            return;
        }
        let (revision, host) = match task {
            Some(id) => {
                let task = &self.tasks[id as usize];
                (Some(task.revision), Some(task.host))
            }
            None => (None, None),
        };
        self.record_at_host(kind, task, revision, host, detail);
    }

    /// Records a step about a host rather than a task.
    #[inline]
    pub(super) fn record_at_host(
        &mut self,
        kind: StepKind,
        task: Option<TaskId>,
        revision: Option<Revision>,
        host: Option<u32>,
        detail: Detail,
    ) {
        if !self.recording {
            return;
        }
        self.steps.push(Step {
            time: self.queue.now(),
            kind,
            task,
            revision,
            host,
            counts: self.counts(),
            detail,
        });
    }
}

/// The part of a world that `place_initial` builds, kept to be copied into later runs.
/// `clone_from` reuses the destination's storage, so a restore does not allocate.
#[derive(Default)]
struct InitialCluster {
    tasks: Vec<Task>,
    hosts: Vec<Host>,
    loads: Vec<HostLoad>,
    index: PlacementIndex,
    zone_active: Vec<u32>,
    healthy_sets: [Vec<IdSet>; 2],
    unhealthy_active: [u32; 2],
    active: [u32; 2],
    healthy: [u32; 2],
    remaining: [u32; 2],
    occupied_hosts: u32,
    billing: Billing,
    metrics: Metrics,
}

impl InitialCluster {
    fn save_from(&mut self, world: &World) {
        self.tasks.clone_from(&world.tasks);
        self.hosts.clone_from(&world.hosts);
        self.loads.clone_from(&world.loads);
        self.index.clone_from(&world.index);
        self.zone_active.clone_from(&world.zone_active);
        self.healthy_sets.clone_from(&world.healthy_sets);
        self.unhealthy_active = world.unhealthy_active;
        self.active = world.active;
        self.healthy = world.healthy;
        self.remaining = world.remaining;
        self.occupied_hosts = world.occupied_hosts;
        self.billing = world.billing;
        self.metrics = world.metrics;
    }

    fn restore_into(&self, world: &mut World) {
        world.tasks.clone_from(&self.tasks);
        world.hosts.clone_from(&self.hosts);
        world.loads.clone_from(&self.loads);
        world.index.clone_from(&self.index);
        world.zone_active.clone_from(&self.zone_active);
        world.healthy_sets.clone_from(&self.healthy_sets);
        world.unhealthy_active = self.unhealthy_active;
        world.active = self.active;
        world.healthy = self.healthy;
        world.remaining = self.remaining;
        world.occupied_hosts = self.occupied_hosts;
        world.billing = self.billing;
        world.metrics = self.metrics;
    }
}

//! The cluster world of one replication: state, the event loop, and the bookkeeping every
//! step shares. A task's life is in `task.rs`; the scheduler's evaluation in
//! `scheduler.rs`.

use crate::engine::{EventQueue, SimDuration, SimTime};
use crate::scenario::{AgentMode, Dist, SchedulerMode};

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
    /// The container is running.
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
}

/// Where a task is in its life (MODEL.md section 2). Ordered: every phase from
/// `Draining` on means "told to stop".
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
    /// The scheduler knows it stopped.
    Gone,
}

#[derive(Clone, Copy, Debug)]
pub struct Task {
    pub host: u32,
    pub revision: Revision,
    pub phase: Phase,
    /// A bad task never passes a health check.
    pub good: bool,
    pub was_healthy: bool,
    pub running_at: SimTime,
    /// First instant a check can pass (`running_at + warmup`).
    pub warm_at: SimTime,
    pub passes: u32,
    pub failures: u32,
}

impl Task {
    pub fn is_active(&self) -> bool {
        self.phase < Phase::Draining
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Host {
    /// Whether the image of each revision is cached (indexed by `Revision as usize`).
    pub cached: [bool; 2],
    pub poll_phase: SimDuration,
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
}

/// What the last evaluation could not do, to explain a stuck run.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct LastEvaluation {
    pub placement_failed: bool,
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
    /// Per zone: old-revision tasks that are active and healthy (the stop candidates).
    pub(super) old_healthy: Vec<IdSet>,
    /// Old-revision tasks that are active and not healthy.
    pub(super) old_unhealthy_active: u32,
    pub(super) counts: Counts,
    /// Old-revision tasks the scheduler has not yet seen stop.
    pub(super) old_remaining: u32,
    pub(super) evaluation_pending: bool,
    pub(super) last_evaluation: LastEvaluation,
    pub(super) metrics: Metrics,
    pub(super) streams: Streams,
    pub(super) recording: bool,
    pub(super) steps: Vec<Step>,
    /// A cap on events per replication (`None`: no cap).
    pub(super) event_limit: Option<u64>,
}

/// Draws from `dist` on `stream`; a constant draws nothing.
#[inline]
pub(super) fn draw(dist: &Dist, stream: &mut Stream) -> SimDuration {
    match dist {
        Dist::Constant(duration) => *duration,
        _ if dist.is_constant() => dist.quantile(0.5),
        _ => dist.quantile(stream.uniform()),
    }
}

impl World {
    pub fn new(params: Params) -> World {
        World {
            params,
            queue: EventQueue::with_capacity(256),
            tasks: Vec::new(),
            hosts: Vec::new(),
            loads: Vec::new(),
            index: PlacementIndex::default(),
            zone_active: Vec::new(),
            old_healthy: Vec::new(),
            old_unhealthy_active: 0,
            counts: Counts::default(),
            old_remaining: 0,
            evaluation_pending: false,
            last_evaluation: LastEvaluation::default(),
            metrics: Metrics::default(),
            streams: Streams::new(0, 0),
            recording: false,
            steps: Vec::new(),
            event_limit: None,
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

    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// Each host's load as the scheduler sees it.
    pub fn host_loads(&self) -> &[HostLoad] {
        &self.loads
    }

    pub fn tasks(&self) -> &[Task] {
        &self.tasks
    }

    pub fn pending_events(&self) -> usize {
        self.queue.len()
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
        let (outcome, stuck_reason) = loop {
            // Look before popping, so a timed-out world's clock stops at the horizon.
            if self.queue.peek_time().is_some_and(|next| next > horizon) {
                self.queue.advance_to(horizon);
                self.end_at(horizon);
                self.record(StepKind::Timeout, None, Detail::None);
                break (Outcome::Timeout, None);
            }
            if self
                .event_limit
                .is_some_and(|limit| self.metrics.events >= limit)
            {
                let now = self.queue.now();
                self.end_at(now);
                self.record(StepKind::EventLimit, None, Detail::None);
                break (Outcome::EventLimit, None);
            }
            let Some((time, event)) = self.queue.pop() else {
                // Only reachable if nothing was ever scheduled.
                break (Outcome::Stuck, Some(self.stuck_reason()));
            };
            self.metrics.events += 1;
            let stuck_here = self.handle(event);
            let result = if self.is_complete() {
                self.end_at(time);
                self.record(StepKind::Completed, None, Detail::None);
                Some((Outcome::Completed, None))
            } else if stuck_here || self.queue.is_empty() {
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
        if O::RECORDS_STEPS && !self.steps.is_empty() {
            observer.after_event(self, &self.steps);
            self.steps.clear();
        }
        let metrics = &self.metrics;
        let deploy = SimDuration(self.queue.now().micros());
        let host_micros_extra = (self.params.spare_hosts as u64).saturating_mul(deploy.micros());
        ReplicationResult {
            outcome,
            stuck_reason,
            deploy,
            first_new_healthy: metrics.first_new_healthy.map(|t| SimDuration(t.micros())),
            min_healthy: metrics.min_healthy,
            deficit_task_micros: metrics.deficit_task_micros,
            peak_active: metrics.peak_active,
            tasks_started: metrics.tasks_started,
            tasks_failed: metrics.tasks_failed,
            placement_failures: metrics.placement_failures,
            events: metrics.events,
            scaled_hosts: 0,
            host_micros_extra,
            cost: self
                .params
                .host_hourly_cost
                .map(|price| ReplicationResult::cost_of(host_micros_extra, price)),
        }
    }

    fn reset(&mut self, seed: u64, replication: u64, recording: bool) {
        let p = &self.params;
        let total_hosts = p.total_hosts();
        let zones = p.zones as usize;
        self.queue.clear();
        self.tasks.clear();
        self.hosts.clear();
        self.hosts.resize(total_hosts as usize, Host::default());
        self.loads.clear();
        self.loads.resize(total_hosts as usize, HostLoad::default());
        self.index.reset(p.zones, total_hosts);
        self.zone_active.clear();
        self.zone_active.resize(zones, 0);
        self.old_healthy.resize_with(zones, IdSet::default);
        self.old_healthy.truncate(zones);
        self.old_healthy.iter_mut().for_each(IdSet::clear);
        self.old_unhealthy_active = 0;
        self.counts = Counts::default();
        self.old_remaining = 0;
        self.evaluation_pending = false;
        self.last_evaluation = LastEvaluation::default();
        self.metrics = Metrics::default();
        self.streams = Streams::new(seed, replication);
        self.recording = recording;
        self.steps.clear();

        // t = 0: the old revision runs, healthy, on the service hosts; their image is cached.
        for host in 0..self.params.service_hosts {
            self.hosts[host as usize].cached[Revision::Old as usize] = true;
            self.refresh_host(host);
        }
        for _ in 0..self.params.desired {
            let host = self
                .choose_host()
                .expect("validation guarantees the old tasks fit on the service hosts");
            let id = self.add_task(host, Revision::Old);
            let task = &mut self.tasks[id as usize];
            task.phase = Phase::Healthy;
            task.was_healthy = true;
            self.counts.healthy += 1;
            let zone = self.zone_of(host);
            self.old_healthy[zone].insert(id);
            self.old_remaining += 1;
            self.record(StepKind::Initial, Some(id), Detail::None);
        }
        for host in self.params.service_hosts..total_hosts {
            self.refresh_host(host);
        }
        if self.params.agent_mode == AgentMode::Polling {
            let interval = self.params.poll_interval.micros();
            for host in &mut self.hosts {
                let phase = match &self.params.poll_phase {
                    Some(dist) => draw(dist, &mut self.streams.poll_phase).micros() % interval,
                    None => self.streams.poll_phase.below(interval),
                };
                host.poll_phase = SimDuration(phase);
            }
        }
        self.metrics.min_healthy = self.counts.healthy;
        self.metrics.peak_active = self.counts.active;
        match self.params.scheduler_mode {
            SchedulerMode::Reactive => {
                self.evaluation_pending = true;
                self.queue.schedule_at(SimTime::ZERO, Event::Evaluate);
            }
            SchedulerMode::Periodic => self.queue.schedule_at(SimTime::ZERO, Event::Tick),
        }
    }

    /// Handles one event; returns true if it proved the run stuck.
    fn handle(&mut self, event: Event) -> bool {
        match event {
            Event::Evaluate => {
                self.evaluation_pending = false;
                self.evaluate();
            }
            Event::Tick => {
                let changed = self.evaluate();
                // Periodic: an evaluation that changes nothing with nothing else pending
                // would repeat forever.
                if !changed && self.queue.is_empty() && !self.is_complete() {
                    return true;
                }
                self.queue
                    .schedule_in(self.params.scheduler_interval, Event::Tick);
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
        }
        false
    }

    fn is_complete(&self) -> bool {
        self.counts.new_healthy == self.params.desired && self.old_remaining == 0
    }

    fn stuck_reason(&self) -> StuckReason {
        let p = &self.params;
        if self.last_evaluation.placement_failed {
            StuckReason::NoHostFits {
                new_active: self.counts.new_active,
                desired: p.desired,
            }
        } else if self.counts.new_active < p.desired
            && self.counts.active >= p.max_active
            && self.counts.healthy < p.min_healthy + 1
        {
            StuckReason::MinMaxDeadlock {
                min: p.min_healthy,
                max: p.max_active,
            }
        } else {
            StuckReason::NothingPending
        }
    }

    /// Closes the books at the run's end time.
    fn end_at(&mut self, end: SimTime) {
        self.accumulate_deficit(end);
    }

    pub(super) fn zone_of(&self, host: u32) -> usize {
        (host % self.params.zones) as usize
    }

    /// Re-indexes a host after its load changed.
    pub(super) fn refresh_host(&mut self, host: u32) {
        let key = self.params.placement.key(host, self.loads[host as usize]);
        self.index.update(host, key);
    }

    /// The host placement picks for one more task, as the scheduler sees the cluster.
    pub(super) fn choose_host(&mut self) -> Option<u32> {
        let placement_stream = &mut self.streams.placement;
        self.index.choose(
            &self.params.placement,
            &self.zone_active,
            &self.loads,
            |n| placement_stream.below(n),
        )
    }

    /// Creates an active task on `host` and reserves its resources there.
    pub(super) fn add_task(&mut self, host: u32, revision: Revision) -> TaskId {
        let id = self.tasks.len() as TaskId;
        self.tasks.push(Task {
            host,
            revision,
            phase: Phase::Placed,
            good: true,
            was_healthy: false,
            running_at: SimTime::ZERO,
            warm_at: SimTime::ZERO,
            passes: 0,
            failures: 0,
        });
        let load = &mut self.loads[host as usize];
        load.reserved += 1;
        load.active += 1;
        self.refresh_host(host);
        let zone = self.zone_of(host);
        self.zone_active[zone] += 1;
        self.counts.active += 1;
        if revision == Revision::New {
            self.counts.new_active += 1;
        }
        self.metrics.peak_active = self.metrics.peak_active.max(self.counts.active);
        id
    }

    /// Adds the deficit accrued since the healthy count last changed.
    fn accumulate_deficit(&mut self, now: SimTime) {
        let missing = self.params.desired.saturating_sub(self.counts.healthy) as u64;
        let elapsed = now.since(self.metrics.healthy_since).micros();
        self.metrics.deficit_task_micros = self
            .metrics
            .deficit_task_micros
            .saturating_add(missing.saturating_mul(elapsed));
        self.metrics.healthy_since = now;
    }

    /// Changes the healthy count (both revisions), keeping the deficit and minimum.
    pub(super) fn change_healthy(&mut self, revision: Revision, up: bool) {
        self.accumulate_deficit(self.queue.now());
        let new = revision == Revision::New;
        if up {
            self.counts.healthy += 1;
            self.counts.new_healthy += new as u32;
        } else {
            self.counts.healthy -= 1;
            self.counts.new_healthy -= new as u32;
        }
        self.metrics.min_healthy = self.metrics.min_healthy.min(self.counts.healthy);
    }

    /// When the host's agent learns of a change made now (MODEL.md section 5).
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
        self.steps.push(Step {
            time: self.queue.now(),
            kind,
            task,
            revision,
            host,
            counts: self.counts,
            detail,
        });
    }
}

//! The scenario compiled into the numbers the model runs on.

use crate::engine::{SimDuration, SimTime};
use crate::scenario::{
    self, AgentMode, AutoscalingMode, DeploymentStrategy, Dist, Platform, Scenario, SchedulerMode,
};

use super::cluster::Fleet;
use super::controller::Controller;
use super::fargate::FargateParams;
use super::placement::PlacementRule;

/// Everything one replication needs, derived once per scenario.
#[derive(Clone, Debug)]
pub struct Params {
    /// The deployment controller.
    pub controller: Controller,
    /// `D`: desired tasks.
    pub desired: u32,
    /// `MIN = ceil(D * minimum_healthy_percent / 100)`.
    pub min_healthy: u32,
    /// `MAX = floor(D * maximum_percent / 100)`.
    pub max_active: u32,
    /// Hosts of the groups that hold the old tasks at t = 0.
    pub service_hosts: u32,
    /// Hosts of spare groups.
    pub spare_hosts: u32,
    pub zones: u32,
    /// The host groups (docs/model.md 18; one stand-in host per zone on Fargate).
    pub fleet: Fleet,
    /// Fargate's provisioning and price (docs/model.md 17), when tasks run there.
    pub fargate: Option<FargateParams>,
    pub task_cpu: u32,
    pub task_memory: u32,
    /// Tasks that fit on an empty host of the group scaling launches.
    pub per_host: u32,
    /// Tasks one empty host can take for this service (managed scaling's `k`): 1 with
    /// `distinct_instance`, else `per_host`.
    pub per_new_host: u32,
    pub placement: PlacementRule,

    pub scheduler_mode: SchedulerMode,
    pub reaction: Dist,
    pub scheduler_interval: SimDuration,

    pub agent_mode: AgentMode,
    pub agent_latency: Dist,
    pub poll_interval: SimDuration,
    /// `None`: uniform in `[0, poll_interval)`.
    pub poll_phase: Option<Dist>,
    pub report: Dist,

    pub image_pull: Dist,
    pub cached_pull: Dist,
    pub start: Dist,
    pub warmup: Dist,

    pub check_interval: SimDuration,
    pub initial_healthy_threshold: u32,
    pub healthy_threshold: u32,
    pub unhealthy_threshold: u32,
    pub grace_period: SimDuration,
    /// `None`: uniform in `[0, interval)`.
    pub first_check: Option<Dist>,

    pub deregistration_delay: Dist,
    pub connections_close: Option<Dist>,
    pub shutdown: Dist,
    pub stop_timeout: Dist,

    pub bad_task_probability: f64,
    pub bad_revision_probability: f64,
    /// `deployment.alarm_delay` when `deployment.alarms` is on.
    pub alarm_delay: Option<Dist>,
    pub start_failure_probability: f64,
    /// Host failures per host-hour.
    pub host_failure_rate: f64,
    pub horizon: SimTime,

    /// The circuit breaker's threshold, when it is on.
    pub breaker_threshold: Option<u32>,
    pub rollback: bool,
    /// Managed scaling or a node autoscaler, when on.
    pub scaling: Option<ScalingParams>,
    /// Blue/green, linear and canary, when the strategy is one of them.
    pub shift: Option<ShiftParams>,
    /// A Kubernetes Deployment's numbers (`platform = "kubernetes"`).
    pub kube: Option<KubeParams>,
}

/// docs/model.md section 15, compiled.
#[derive(Clone, Debug)]
pub struct KubeParams {
    /// `maxSurge` resolved against D (a percent rounds up).
    pub surge: u32,
    /// `maxUnavailable` resolved against D (a percent rounds down; 1 if both are 0).
    pub unavailable: u32,
    pub min_ready: SimDuration,
    pub progress_deadline: SimDuration,
    pub probe_initial_delay: SimDuration,
    pub probe_period: SimDuration,
    pub success_threshold: u32,
    pub load_balancer_gate: bool,
    pub grace_period: SimDuration,
    pub pre_stop: Dist,
    pub endpoint_propagation: Dist,
}

impl KubeParams {
    pub fn new(s: &Scenario) -> KubeParams {
        let d = &s.deployment;
        let desired = s.service.desired;
        let surge = d.max_surge.resolve(desired, true);
        let unavailable = match d.max_unavailable.resolve(desired, false) {
            0 if surge == 0 => 1,
            n => n,
        };
        KubeParams {
            surge,
            unavailable,
            min_ready: d.min_ready.0,
            progress_deadline: d.progress_deadline.0,
            probe_initial_delay: s.readiness.initial_delay.0,
            probe_period: s.readiness.period.0,
            success_threshold: s.readiness.success_threshold,
            load_balancer_gate: s.readiness.load_balancer_gate,
            grace_period: s.termination.grace_period.0,
            pre_stop: s.termination.pre_stop.clone(),
            endpoint_propagation: s.termination.endpoint_propagation.clone(),
        }
    }
}

/// Who adds hosts during a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalingMode {
    /// An ECS capacity provider's managed scaling (section 13).
    Managed,
    /// The Kubernetes Cluster Autoscaler: periodic scans for pending pods.
    ClusterAutoscaler,
    /// Karpenter: batches of pending pods.
    Karpenter,
}

/// A traffic-shifting deployment's stages, compiled.
#[derive(Clone, Debug)]
pub struct ShiftParams {
    pub strategy: DeploymentStrategy,
    /// The green share after each production shift, in percent; the last is 100.
    pub steps: Vec<f64>,
    /// The wait after a shift below 100% (canary or linear bake).
    pub step_wait: Dist,
    pub before_production: Dist,
    pub after_production: Dist,
    pub bake_time: Dist,
}

impl ShiftParams {
    fn new(s: &Scenario) -> Option<ShiftParams> {
        let d = &s.deployment;
        let steps = match d.strategy {
            DeploymentStrategy::Rolling => return None,
            DeploymentStrategy::BlueGreen => vec![100.0],
            DeploymentStrategy::Canary if d.canary_percent >= 100.0 => vec![100.0],
            DeploymentStrategy::Canary => vec![d.canary_percent, 100.0],
            DeploymentStrategy::Linear => {
                // step, 2 x step, ... capped at 100.
                let mut steps = Vec::new();
                let mut k = 1.0;
                while d.step_percent * k < 100.0 {
                    steps.push(d.step_percent * k);
                    k += 1.0;
                }
                steps.push(100.0);
                steps
            }
        };
        let step_wait = match d.strategy {
            DeploymentStrategy::Linear => d.step_bake_time.clone(),
            _ => d.canary_bake_time.clone(),
        };
        Some(ShiftParams {
            strategy: d.strategy,
            steps,
            step_wait,
            before_production: d.hooks.before_production.clone(),
            after_production: d.hooks.after_production.clone(),
            bake_time: d
                .bake_time
                .clone()
                .expect("validated: traffic-shifting strategies have a bake time"),
        })
    }
}

/// docs/model.md section 13, compiled.
#[derive(Clone, Debug)]
pub struct ScalingParams {
    pub mode: ScalingMode,
    pub max_hosts: u32,
    pub evaluation_interval: SimDuration,
    pub target_capacity: u32,
    pub min_step: u32,
    pub max_step: u32,
    pub boot: Dist,
    pub warmup: Dist,
    pub scale_in_after: SimDuration,
    /// Karpenter's batch windows.
    pub batch_idle: SimDuration,
    pub batch_max: SimDuration,
}

impl Params {
    pub fn new(s: &Scenario) -> Params {
        let desired = s.service.desired;
        let distinct = scenario::distinct_instance(s);
        let kubernetes = s.platform == Platform::Kubernetes;
        let fleet = Fleet::new(s);
        let fargate = FargateParams::new(s);
        // Tasks that fit on an empty host of the group scaling launches.
        let per_host = scenario::tasks_per_host(s);
        let (reserve_cpu, reserve_memory) = fleet.reservation;
        let placement = if fargate.is_some() {
            // The zone with the fewest active tasks, ties to the lower zone.
            PlacementRule::new(&[scenario::PlacementStrategy::SpreadZone], 0, 0, false)
        } else {
            PlacementRule::new(&s.service.placement, reserve_cpu, reserve_memory, distinct)
        };
        let shift = ShiftParams::new(s);
        let mut params = Params {
            controller: if kubernetes {
                Controller::Kubernetes
            } else if shift.is_some() {
                Controller::TrafficShift
            } else {
                Controller::Rolling
            },
            shift,
            desired,
            min_healthy: (desired as u64 * s.deployment.minimum_healthy_percent as u64)
                .div_ceil(100) as u32,
            max_active: (desired as u64 * s.deployment.maximum_percent as u64 / 100) as u32,
            // (Kubernetes replaces MIN and MAX below: D - unavailable and D + surge.)
            service_hosts: fleet.service_hosts(),
            spare_hosts: fleet.spare_hosts(),
            zones: s.cluster.zones,
            fleet,
            fargate,
            task_cpu: s.service.task.cpu,
            task_memory: s.service.task.memory,
            per_host,
            per_new_host: if distinct { 1 } else { per_host },
            placement,
            scheduler_mode: s.scheduler.mode,
            reaction: s.scheduler.reaction.clone(),
            scheduler_interval: s.scheduler.interval.0,
            agent_mode: s.agent.mode,
            agent_latency: s.agent.latency.clone(),
            poll_interval: s.agent.poll_interval.0,
            poll_phase: s.agent.poll_phase.clone(),
            report: s.agent.report.clone(),
            image_pull: s.launch.image_pull.clone(),
            cached_pull: s.launch.cached_pull.clone(),
            start: s.launch.start.clone(),
            warmup: s.launch.warmup.clone(),
            check_interval: s.health_check.interval.0,
            initial_healthy_threshold: s.health_check.initial_healthy_threshold,
            healthy_threshold: s.health_check.healthy_threshold,
            unhealthy_threshold: s.health_check.unhealthy_threshold,
            grace_period: s.health_check.grace_period.0,
            first_check: s.health_check.first_check.clone(),
            deregistration_delay: s.draining.deregistration_delay.clone(),
            connections_close: s.draining.connections_close.clone(),
            shutdown: s.draining.shutdown.clone(),
            stop_timeout: s.draining.stop_timeout.clone(),
            bad_task_probability: s.failures.bad_task_probability,
            bad_revision_probability: s.failures.bad_revision_probability,
            alarm_delay: s
                .deployment
                .alarms
                .then(|| s.deployment.alarm_delay.clone()),
            start_failure_probability: s.failures.start_failure_probability,
            host_failure_rate: s.failures.host_failure_rate,
            horizon: SimTime(s.simulation.horizon.0.micros()),
            breaker_threshold: s.deployment.circuit_breaker.then(|| {
                // docs/model.md section 7: min(max(ceil(D * 0.5), circuit_breaker_min), 200).
                desired
                    .div_ceil(2)
                    .max(s.deployment.circuit_breaker_min)
                    .min(200)
            }),
            rollback: s.deployment.rollback,
            scaling: (s.autoscaling.mode != AutoscalingMode::None).then(|| {
                let a = &s.autoscaling;
                let mode = match a.mode {
                    AutoscalingMode::ClusterAutoscaler => ScalingMode::ClusterAutoscaler,
                    AutoscalingMode::Karpenter => ScalingMode::Karpenter,
                    _ => ScalingMode::Managed,
                };
                ScalingParams {
                    mode,
                    max_hosts: a
                        .max_hosts
                        .expect("validated: managed scaling has max_hosts"),
                    evaluation_interval: a.interval(),
                    target_capacity: a.target_capacity,
                    min_step: a.min_step,
                    max_step: a.max_step,
                    boot: a.boot.clone(),
                    // Node autoscalers have no scale-out warm-up.
                    warmup: if mode == ScalingMode::Managed {
                        a.warmup.clone()
                    } else {
                        Dist::constant(SimDuration::ZERO)
                    },
                    scale_in_after: a.scale_in_after.0,
                    batch_idle: a.batch_idle.0,
                    batch_max: a.batch_max.0,
                }
            }),
            kube: None,
        };
        if kubernetes {
            // The Deployment's analogues of MIN and MAX, for reports: the fewest available
            // pods a scale-down leaves, and the most non-terminating pods.
            let kube = KubeParams::new(s);
            params.min_healthy = desired.saturating_sub(kube.unavailable);
            params.max_active = desired.saturating_add(kube.surge);
            params.kube = Some(kube);
        }
        params
    }

    /// Hosts up when the deploy starts.
    pub fn total_hosts(&self) -> u32 {
        self.fleet.hosts()
    }

    /// Delays that recur unchanged, for the event queue's FIFO lanes (it uses the first
    /// few): the health-check interval, the drain, zero (steps that take no time), and
    /// every other constant duration. Only a speed-up: the order of events is the same without them.
    pub fn fixed_delays(&self) -> Vec<SimDuration> {
        let constant = |dist: &Dist| dist.as_constant();
        let drain = match (
            constant(&self.deregistration_delay),
            self.connections_close.as_ref().map(constant),
        ) {
            (Some(delay), None) => Some(delay),
            (Some(delay), Some(Some(close))) => Some(delay.min(close)),
            _ => None,
        };
        let stop = match (constant(&self.shutdown), constant(&self.stop_timeout)) {
            (Some(shutdown), Some(timeout)) => Some(shutdown.min(timeout)),
            _ => None,
        };
        // Health checks and draining tasks are most of what is pending at once.
        let mut delays = vec![self.check_interval];
        let candidates = [
            drain,
            Some(SimDuration::ZERO),
            constant(&self.report),
            constant(&self.reaction),
            stop,
            constant(&self.cached_pull),
            constant(&self.start),
            constant(&self.image_pull),
            constant(&self.agent_latency),
        ];
        delays.extend(candidates.into_iter().flatten());
        delays
    }

    /// The most hosts the cluster can have at once.
    pub fn host_capacity(&self) -> u32 {
        self.scaling
            .as_ref()
            .map_or(self.total_hosts(), |s| s.max_hosts.max(self.total_hosts()))
    }
}

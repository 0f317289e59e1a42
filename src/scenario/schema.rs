//! The scenario file's schema: every key of docs/model.md section 11 with its default.

use serde::{Deserialize, Serialize};

use super::dist::{ConstDuration, Dist};
pub use super::kubernetes::Platform;
use super::kubernetes::{self, PodCount, Readiness, Termination};
use crate::engine::SimDuration;

fn secs(seconds: u64) -> SimDuration {
    SimDuration::from_secs(seconds)
}

fn dist(text: &str) -> Dist {
    Dist::parse(text).expect("built-in default distributions parse")
}

/// A whole scenario: the service, its cluster, and how it is deployed.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// ECS (the default) or a Kubernetes Deployment.
    #[serde(default)]
    pub platform: Platform,
    pub cluster: Cluster,
    pub service: Service,
    #[serde(default)]
    pub deployment: Deployment,
    #[serde(default)]
    pub scheduler: Scheduler,
    #[serde(default)]
    pub agent: Agent,
    #[serde(default)]
    pub launch: Launch,
    #[serde(default)]
    pub health_check: HealthCheck,
    #[serde(default)]
    pub draining: Draining,
    #[serde(default)]
    pub readiness: Readiness,
    #[serde(default)]
    pub termination: Termination,
    #[serde(default)]
    pub failures: Failures,
    #[serde(default)]
    pub autoscaling: Autoscaling,
    /// Fargate's settings; filled with defaults on Fargate, absent on EC2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fargate: Option<Fargate>,
    #[serde(default)]
    pub simulation: Simulation,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// ECS CPU units (1024 = one vCPU).
    pub cpu: u32,
    /// MiB.
    pub memory: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cluster {
    /// `ec2` (hosts the cluster owns) or `fargate` (a micro-VM per task, docs/model.md 17).
    #[serde(default, skip_serializing_if = "LaunchType::is_ec2")]
    pub launch_type: LaunchType,
    /// Hosts running the service before the deploy (required on EC2 without host groups).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub hosts: u32,
    /// The size of every host (required on EC2 without host groups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<Resources>,
    /// Extra hosts, up and empty, before the deploy.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub spare_hosts: u32,
    /// Availability zones; host `i` is in zone `i mod zones`.
    #[serde(default = "one")]
    pub zones: u32,
    /// Price of one host-hour, for the cost of spare capacity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_hourly_cost: Option<f64>,
    /// Groups of hosts of one size each (docs/model.md 18), instead of `hosts`, `spare_hosts`
    /// and `host`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub host_group: Vec<HostGroup>,
    /// An EC2 instance type (`m5.xlarge`) whose vCPUs, registered memory and hourly price
    /// fill `host` and `host_hourly_cost` where the file leaves them out (`instances.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<String>,
    /// Deploys a day, for the daily cost of scaled-out hosts (spare hosts are paid all day
    /// whatever the number of deploys).
    #[serde(default = "one_f64")]
    pub deploys_per_day: f64,
    /// The currency of `host_hourly_cost`, shown with every cost.
    #[serde(default = "usd")]
    pub currency: String,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LaunchType {
    #[default]
    Ec2,
    Fargate,
}

impl LaunchType {
    pub fn is_ec2(&self) -> bool {
        *self == LaunchType::Ec2
    }
}

/// `[[cluster.host_group]]`: `count` hosts of one size, part of each held by other
/// services for the whole run.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostGroup {
    pub name: String,
    pub count: u32,
    pub cpu: u32,
    pub memory: u32,
    /// CPU units held on each host by other services (never freed).
    #[serde(default)]
    pub used_cpu: u32,
    /// MiB held on each host by other services (never freed).
    #[serde(default)]
    pub used_memory: u32,
    /// Holds no old task at t = 0 and counts as spare for cost.
    #[serde(default)]
    pub spare: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hourly_cost: Option<f64>,
}

/// `[fargate]`: provisioning time and prices (docs/model.md 17).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Fargate {
    /// Capacity, network interface and micro-VM, before the image pull.
    pub provisioning: Dist,
    /// Price of one vCPU-hour (1024 CPU units).
    pub vcpu_hourly_cost: f64,
    /// Price of one GiB-hour of memory.
    pub gb_hourly_cost: f64,
}

impl Default for Fargate {
    fn default() -> Self {
        Fargate {
            provisioning: dist("lognormal(median=20s, p95=45s)"),
            vcpu_hourly_cost: 0.04048,
            gb_hourly_cost: 0.004445,
        }
    }
}

fn one() -> u32 {
    1
}

fn one_f64() -> f64 {
    1.0
}

fn usd() -> String {
    "USD".to_string()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlacementStrategy {
    #[serde(rename = "binpack:memory")]
    BinpackMemory,
    #[serde(rename = "binpack:cpu")]
    BinpackCpu,
    #[serde(rename = "spread:zone")]
    SpreadZone,
    #[serde(rename = "spread:host")]
    SpreadHost,
    #[serde(rename = "random")]
    Random,
    /// The `distinctInstance` placement constraint, accepted in the list for
    /// convenience; the same as `service.distinct_instance = true`.
    #[serde(rename = "distinct_instance")]
    DistinctInstance,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub desired: u32,
    pub task: Resources,
    #[serde(default = "default_placement")]
    pub placement: Vec<PlacementStrategy>,
    #[serde(default)]
    pub distinct_instance: bool,
}

fn default_placement() -> Vec<PlacementStrategy> {
    vec![PlacementStrategy::SpreadZone, PlacementStrategy::SpreadHost]
}

/// How the new revision replaces the old one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeploymentStrategy {
    /// The ECS rolling update (`"ecs"` is its old name).
    #[serde(alias = "ecs")]
    Rolling,
    /// ECS blue/green: all production traffic moves to the new revision at once.
    BlueGreen,
    /// ECS linear: traffic moves in equal steps with a wait after each.
    Linear,
    /// ECS canary: a small share first, the rest after a wait.
    Canary,
}

impl DeploymentStrategy {
    pub fn name(self) -> &'static str {
        match self {
            DeploymentStrategy::Rolling => "rolling",
            DeploymentStrategy::BlueGreen => "blue_green",
            DeploymentStrategy::Linear => "linear",
            DeploymentStrategy::Canary => "canary",
        }
    }

    /// Blue/green, linear and canary run the whole new revision beside the old one.
    pub fn shifts_traffic(self) -> bool {
        self != DeploymentStrategy::Rolling
    }
}

/// Lifecycle hooks of a traffic-shifting deployment.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Hooks {
    /// The test-traffic stages and their hooks, between scale-up and the first shift.
    pub before_production: Dist,
    /// The POST_PRODUCTION_TRAFFIC_SHIFT hook, before the bake time starts.
    pub after_production: Dist,
}

impl Default for Hooks {
    fn default() -> Self {
        Hooks {
            before_production: Dist::constant(SimDuration::ZERO),
            after_production: Dist::constant(SimDuration::ZERO),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Deployment {
    pub strategy: DeploymentStrategy,
    pub minimum_healthy_percent: u32,
    pub maximum_percent: u32,
    pub circuit_breaker: bool,
    pub circuit_breaker_min: u32,
    pub rollback: bool,
    /// Kubernetes `maxSurge`.
    pub max_surge: PodCount,
    /// Kubernetes `maxUnavailable`.
    pub max_unavailable: PodCount,
    /// Kubernetes `minReadySeconds`.
    pub min_ready: ConstDuration,
    /// Kubernetes `progressDeadlineSeconds`.
    pub progress_deadline: ConstDuration,
    /// Blue/green, linear, canary: both revisions run this long once all production
    /// traffic is on the new one (required with those strategies).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bake_time: Option<Dist>,
    /// Canary: the first shift, in percent of production traffic.
    pub canary_percent: f64,
    /// Canary: the wait before the rest of the traffic moves.
    pub canary_bake_time: Dist,
    /// Linear: each shift, in percent.
    pub step_percent: f64,
    /// Linear: the wait after each shift below 100%.
    pub step_bake_time: Dist,
    pub hooks: Hooks,
    /// CloudWatch alarms watch the service: a bad revision sets them off.
    pub alarms: bool,
    /// From the first production traffic on a bad revision to the alarm.
    pub alarm_delay: Dist,
}

impl Default for Deployment {
    fn default() -> Self {
        Deployment {
            strategy: DeploymentStrategy::Rolling,
            minimum_healthy_percent: 100,
            maximum_percent: 200,
            circuit_breaker: false,
            circuit_breaker_min: 3,
            rollback: false,
            max_surge: kubernetes::default_surge(),
            max_unavailable: kubernetes::default_surge(),
            min_ready: kubernetes::default_min_ready(),
            progress_deadline: kubernetes::default_progress_deadline(),
            bake_time: None,
            canary_percent: 5.0,
            canary_bake_time: Dist::constant(secs(600)),
            step_percent: 10.0,
            step_bake_time: Dist::constant(secs(360)),
            hooks: Hooks::default(),
            alarms: false,
            alarm_delay: dist("uniform(2m, 5m)"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SchedulerMode {
    Reactive,
    Periodic,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scheduler {
    pub mode: SchedulerMode,
    /// Delay from a trigger to the evaluation it causes (reactive mode).
    pub reaction: Dist,
    /// Time between evaluations (periodic mode).
    pub interval: ConstDuration,
}

impl Default for Scheduler {
    fn default() -> Self {
        Scheduler {
            mode: SchedulerMode::Reactive,
            reaction: Dist::constant(secs(1)),
            interval: ConstDuration(secs(15)),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AgentMode {
    Event,
    Polling,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Agent {
    pub mode: AgentMode,
    /// Push latency per notice (event mode).
    pub latency: Dist,
    /// Poll period (polling mode).
    pub poll_interval: ConstDuration,
    /// Each host's poll phase; default uniform in `[0, poll_interval)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub poll_phase: Option<Dist>,
    /// Delay of every report back to the scheduler (task running, task stopped).
    pub report: Dist,
}

impl Default for Agent {
    fn default() -> Self {
        Agent {
            mode: AgentMode::Event,
            latency: dist("lognormal(median=500ms, p95=2s)"),
            poll_interval: ConstDuration(secs(20)),
            poll_phase: None,
            report: Dist::constant(SimDuration::from_millis(500)),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Launch {
    pub image_pull: Dist,
    pub cached_pull: Dist,
    pub start: Dist,
    pub warmup: Dist,
}

impl Default for Launch {
    fn default() -> Self {
        Launch {
            image_pull: dist("lognormal(median=20s, p95=60s)"),
            cached_pull: Dist::constant(secs(1)),
            start: dist("uniform(2s, 5s)"),
            warmup: Dist::constant(secs(10)),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HealthCheck {
    pub interval: ConstDuration,
    /// Consecutive passes that make a newly registered target healthy.
    pub initial_healthy_threshold: u32,
    /// Consecutive passes needed once the load balancer has marked the target unhealthy.
    pub healthy_threshold: u32,
    pub unhealthy_threshold: u32,
    pub grace_period: ConstDuration,
    /// Registration to first check; default uniform in `[0, interval)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_check: Option<Dist>,
}

impl Default for HealthCheck {
    fn default() -> Self {
        HealthCheck {
            interval: ConstDuration(secs(30)),
            initial_healthy_threshold: 1,
            healthy_threshold: 5,
            unhealthy_threshold: 2,
            grace_period: ConstDuration(SimDuration::ZERO),
            first_check: None,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Draining {
    pub deregistration_delay: Dist,
    /// When clients close their connections; default none (the full delay).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connections_close: Option<Dist>,
    pub shutdown: Dist,
    pub stop_timeout: Dist,
}

impl Default for Draining {
    fn default() -> Self {
        Draining {
            deregistration_delay: Dist::constant(secs(300)),
            connections_close: None,
            shutdown: Dist::constant(secs(2)),
            stop_timeout: Dist::constant(secs(30)),
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Failures {
    /// A new task is bad (never passes a health check) with this probability.
    pub bad_task_probability: f64,
    /// A new task's container exits before it runs with this probability.
    pub start_failure_probability: f64,
    /// Host failures per host-hour (exponential times between failures).
    pub host_failure_rate: f64,
    /// The new revision is bad with this probability (drawn once per replication): it
    /// passes its health checks but sets off the alarms once it serves production traffic.
    pub bad_revision_probability: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AutoscalingMode {
    None,
    Managed,
    /// Kubernetes Cluster Autoscaler.
    ClusterAutoscaler,
    /// Karpenter.
    Karpenter,
}

/// An ECS capacity provider with managed scaling (docs/model.md section 13).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Autoscaling {
    pub mode: AutoscalingMode,
    /// The cluster never has more hosts than this (required when managed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_hosts: Option<u32>,
    /// Default 60 s for managed scaling, 10 s for the cluster autoscaler.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluation_interval: Option<ConstDuration>,
    /// Percent; below 100 keeps empty hosts as headroom.
    pub target_capacity: u32,
    pub min_step: u32,
    pub max_step: u32,
    /// Launch request to the host taking tasks.
    pub boot: Dist,
    /// While a launched host is this young, no further scale-out.
    pub warmup: Dist,
    /// Hosts launched for the deploy are terminated this long after it ends.
    pub scale_in_after: ConstDuration,
    /// Karpenter: a batch closes this long after its last new unschedulable pod...
    pub batch_idle: ConstDuration,
    /// ...but never later than this after it opened.
    pub batch_max: ConstDuration,
    /// The `[[cluster.host_group]]` launched hosts belong to (default: the first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_group: Option<String>,
}

impl Autoscaling {
    /// The scan interval, with its default for the mode.
    pub fn interval(&self) -> SimDuration {
        match (self.evaluation_interval, self.mode) {
            (Some(interval), _) => interval.0,
            (None, AutoscalingMode::ClusterAutoscaler) => secs(10),
            (None, _) => secs(60),
        }
    }
}

impl Default for Autoscaling {
    fn default() -> Self {
        Autoscaling {
            mode: AutoscalingMode::None,
            max_hosts: None,
            evaluation_interval: None,
            target_capacity: 100,
            min_step: 1,
            max_step: 10_000,
            boot: dist("lognormal(median=60s, p95=120s)"),
            warmup: Dist::constant(secs(300)),
            scale_in_after: ConstDuration(secs(15 * 60)),
            batch_idle: ConstDuration(secs(1)),
            batch_max: ConstDuration(secs(10)),
            host_group: None,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Simulation {
    pub runs: u32,
    pub seed: u64,
    pub horizon: ConstDuration,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<ConstDuration>,
}

impl Default for Simulation {
    fn default() -> Self {
        Simulation {
            runs: 1000,
            seed: 1,
            horizon: ConstDuration(secs(6 * 3600)),
            target: None,
        }
    }
}

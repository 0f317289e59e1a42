//! The keys of a Kubernetes Deployment (docs/model.md, "Kubernetes Deployments"): the
//! platform switch, surge and unavailability as an integer or a percent of D, the
//! readiness probe and the pod's termination.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::dist::{ConstDuration, Dist};
use crate::engine::SimDuration;

/// What runs the service: ECS, or a Kubernetes Deployment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    #[default]
    Ecs,
    Kubernetes,
}

/// `maxSurge` / `maxUnavailable`: a pod count or a whole percent of D.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PodCount {
    Pods(u32),
    Percent(u32),
}

impl PodCount {
    /// The count for `desired` pods, a percent rounded up (surge) or down (unavailable).
    pub fn resolve(self, desired: u32, round_up: bool) -> u32 {
        match self {
            PodCount::Pods(n) => n,
            PodCount::Percent(p) => {
                let scaled = desired as u64 * p as u64;
                let n = if round_up {
                    scaled.div_ceil(100)
                } else {
                    scaled / 100
                };
                n.min(u32::MAX as u64) as u32
            }
        }
    }

    pub fn is_zero(self) -> bool {
        matches!(self, PodCount::Pods(0) | PodCount::Percent(0))
    }
}

impl Serialize for PodCount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            PodCount::Pods(n) => serializer.serialize_u32(*n),
            PodCount::Percent(p) => serializer.serialize_str(&format!("{p}%")),
        }
    }
}

impl<'de> Deserialize<'de> for PodCount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Text(String),
            Float(f64),
        }
        let wrong = || {
            serde::de::Error::custom(
                "must be a pod count such as 2 or a whole percent of service.desired such as \"25%\"",
            )
        };
        match Raw::deserialize(deserializer).map_err(|_| wrong())? {
            Raw::Int(n) if (0..=u32::MAX as i64).contains(&n) => Ok(PodCount::Pods(n as u32)),
            Raw::Int(n) => Err(serde::de::Error::custom(format!(
                "must be a pod count of 0 or more, got {n}"
            ))),
            Raw::Text(text) => {
                let trimmed = text.trim();
                let number = trimmed.strip_suffix('%').ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "\"{text}\" is neither a pod count nor a percent; write 2 or \"25%\""
                    ))
                })?;
                number
                    .trim()
                    .parse::<u32>()
                    .map(PodCount::Percent)
                    .map_err(|_| {
                        serde::de::Error::custom(format!(
                            "\"{text}\": percents are whole numbers of 0 or more, as in the Kubernetes API (e.g. \"25%\")"
                        ))
                    })
            }
            Raw::Float(x) => Err(serde::de::Error::custom(format!(
                "must be a whole pod count such as 2 or a percent such as \"25%\", got {x}"
            ))),
        }
    }
}

/// The readiness probe (and the load balancer's readiness gate).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Readiness {
    /// From the container's start to the first probe.
    pub initial_delay: ConstDuration,
    pub period: ConstDuration,
    pub success_threshold: u32,
    pub failure_threshold: u32,
    /// The AWS Load Balancer Controller's pod readiness gate.
    pub load_balancer_gate: bool,
}

impl Default for Readiness {
    fn default() -> Self {
        Readiness {
            initial_delay: ConstDuration(SimDuration::ZERO),
            period: ConstDuration(SimDuration::from_secs(10)),
            success_threshold: 1,
            failure_threshold: 3,
            load_balancer_gate: false,
        }
    }
}

/// How a deleted pod stops.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Termination {
    /// `terminationGracePeriodSeconds`, from the kubelet noticing the deletion.
    pub grace_period: ConstDuration,
    /// The preStop hook, before SIGTERM.
    pub pre_stop: Dist,
    /// From the deletion until no new request reaches the pod.
    pub endpoint_propagation: Dist,
}

impl Default for Termination {
    fn default() -> Self {
        Termination {
            grace_period: ConstDuration(SimDuration::from_secs(30)),
            pre_stop: Dist::constant(SimDuration::ZERO),
            endpoint_propagation: Dist::parse("lognormal(median=1s, p95=5s)")
                .expect("built-in default distributions parse"),
        }
    }
}

pub(super) fn default_surge() -> PodCount {
    PodCount::Percent(25)
}

pub(super) fn default_min_ready() -> ConstDuration {
    ConstDuration(SimDuration::ZERO)
}

pub(super) fn default_progress_deadline() -> ConstDuration {
    ConstDuration(SimDuration::from_secs(600))
}

type Invalid = (&'static str, String);

/// The rules of the Kubernetes keys that serde cannot check alone.
pub(super) fn validate(s: &super::Scenario) -> Result<(), Invalid> {
    let d = &s.deployment;
    if let PodCount::Percent(p) = d.max_unavailable
        && p > 100
    {
        return Err((
            "deployment.max_unavailable",
            format!("must be at most \"100%\", got \"{p}%\""),
        ));
    }
    if d.max_surge.is_zero() && d.max_unavailable.is_zero() {
        return Err((
            "deployment.max_unavailable",
            "max_surge and max_unavailable cannot both be 0: the rollout could neither add nor remove a pod (Kubernetes refuses it too)".into(),
        ));
    }
    if s.platform == Platform::Kubernetes && d.progress_deadline.0 <= d.min_ready.0 {
        return Err((
            "deployment.progress_deadline",
            "must be longer than deployment.min_ready (Kubernetes requires progressDeadlineSeconds > minReadySeconds)".into(),
        ));
    }
    let r = &s.readiness;
    if r.period.0 < SimDuration::from_secs(1) {
        return Err(("readiness.period", "must be at least 1s".into()));
    }
    if r.success_threshold < 1 {
        return Err(("readiness.success_threshold", "must be at least 1".into()));
    }
    if r.failure_threshold < 1 {
        return Err(("readiness.failure_threshold", "must be at least 1".into()));
    }
    Ok(())
}

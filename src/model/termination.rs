//! How a Kubernetes pod stops (docs/model.md, "Kubernetes Deployments"): deleted, it is
//! terminating at once (it counts in no ReplicaSet, Ready or available) but keeps its
//! requests on its node until the kubelet reports it gone. The kubelet notices after
//! `agent.latency`, runs the preStop hook, sends SIGTERM, and the container exits after
//! `draining.shutdown` or is killed when `grace_period` (from noticing) runs out. Load
//! balancers and kube-proxy stop sending new requests `endpoint_propagation` after the
//! deletion; a Ready pod whose SIGTERM comes strictly before that is an early
//! termination (the 502s of a rolling update). There is no deregistration delay here.

use crate::engine::SimDuration;

use super::outcome::{Detail, StepKind, StopCause};
use super::world::{Event, Phase, TaskId, World, draw};

impl World {
    /// The ReplicaSet controller deletes pod `id`.
    pub(super) fn terminate_pod(&mut self, id: TaskId) {
        let was_available = self.tasks[id as usize].phase == Phase::Healthy;
        self.deactivate(id);
        let kube = self.params.kube.as_ref().expect("kubernetes");
        let propagation = draw(&kube.endpoint_propagation, &mut self.streams.termination);
        self.kube.pods[id as usize].endpoints_until = self.queue.now() + propagation;
        self.tasks[id as usize].phase = Phase::StopPending;
        let noticed = self.agent_notices_at(self.tasks[id as usize].host);
        self.queue.schedule_at(noticed, Event::StopNoticed(id));
        self.record(
            StepKind::StopDecided,
            Some(id),
            Detail::Stop {
                cause: StopCause::Deleted,
                was_healthy: was_available,
                drain: propagation,
            },
        );
        self.note_kube_completion();
    }

    /// The kubelet noticed the deletion: preStop, then SIGTERM; SIGKILL at the grace
    /// period. A container that never ran has nothing to stop.
    pub(super) fn on_pod_stop_noticed(&mut self, id: TaskId) {
        if !self.in_phase(id, Phase::StopPending) {
            return;
        }
        let now = self.queue.now();
        self.tasks[id as usize].phase = Phase::Stopping;
        let takes = if self.tasks[id as usize].ran {
            let kube = self.params.kube.as_ref().expect("kubernetes");
            let grace = kube.grace_period;
            let pre_stop = draw(&kube.pre_stop, &mut self.streams.termination);
            let shutdown = draw(&self.params.shutdown, &mut self.streams.draining);
            let sigterm = pre_stop.min(grace);
            let pod = &self.kube.pods[id as usize];
            if pod.ready_at.is_some() && now + sigterm < pod.endpoints_until {
                self.kube.early_terminations += 1;
            }
            SimDuration(pre_stop.micros().saturating_add(shutdown.micros())).min(grace)
        } else {
            SimDuration::ZERO
        };
        self.queue.schedule_in(takes, Event::Exited(id));
        self.record(StepKind::StopNoticed, Some(id), Detail::Takes(takes));
    }
}

//! How a Kubernetes pod becomes Ready and available (docs/model.md, "Kubernetes
//! Deployments"): the kubelet's readiness probe from `initial_delay` after the container
//! started, every `period`, Ready after `success_threshold` passes at or after its
//! warm-up; with the load balancer's readiness gate, Ready also waits for the target to
//! turn healthy (section 6's checks, which then never kill the pod). The controllers
//! learn Ready `agent.report` later; the pod is available `min_ready` after that. A bad
//! pod never passes and is never replaced (its container restarts in place).

use crate::engine::SimDuration;

use super::outcome::{Detail, Revision, StepKind};
use super::world::{Event, KubeEvent, Phase, TaskId, World, draw};

impl World {
    /// The container started: the first probe comes `initial_delay` later.
    pub(super) fn start_probes(&mut self, id: TaskId) {
        let delay = self.kube_params().probe_initial_delay;
        self.queue
            .schedule_in(delay, Event::Kube(KubeEvent::Probe(id)));
    }

    /// The kubelet reported the container running; with the gate, the pod is registered
    /// with the load balancer now.
    pub(super) fn pod_reported_running(&mut self, id: TaskId) {
        if !self.tasks[id as usize].is_active() {
            return;
        }
        self.kube.pods[id as usize].reported_running = true;
        if self.tasks[id as usize].phase == Phase::Running {
            self.tasks[id as usize].phase = Phase::Registered;
        }
        let mut first = SimDuration::ZERO;
        if self.kube_params().load_balancer_gate {
            first = match &self.params.first_check {
                Some(dist) => draw(dist, &mut self.streams.health_phase),
                None => SimDuration(
                    self.streams
                        .health_phase
                        .below(self.params.check_interval.micros()),
                ),
            };
            self.queue.schedule_in(first, Event::HealthCheck(id));
        }
        self.record(StepKind::Registered, Some(id), Detail::FirstCheck(first));
    }

    /// One readiness probe; probing stops once the probe side of Ready holds.
    pub(super) fn on_probe(&mut self, id: TaskId) {
        if !self.tasks[id as usize].is_active() {
            return;
        }
        let now = self.queue.now();
        let task = &self.tasks[id as usize];
        let passed = task.good && now >= task.warm_at;
        let threshold = self.kube_params().success_threshold;
        let pod = &mut self.kube.pods[id as usize];
        if passed {
            pod.probe_passes += 1;
        } else {
            pod.probe_passes = 0;
        }
        let ready = pod.probe_passes >= threshold;
        pod.probe_ready |= ready;
        let kind = if passed {
            StepKind::CheckPassed
        } else {
            StepKind::CheckFailed
        };
        self.record(kind, Some(id), Detail::None);
        if ready {
            self.maybe_ready(id);
        } else {
            let period = self.kube_params().probe_period;
            self.queue
                .schedule_in(period, Event::Kube(KubeEvent::Probe(id)));
        }
    }

    /// The readiness gate's load-balancer check (section 6): a newly registered target
    /// needs `initial_healthy_threshold` passes in a row, one that has failed
    /// `unhealthy_threshold` checks in a row needs `healthy_threshold`; failures never
    /// stop the pod; checks end once healthy.
    pub(super) fn on_gate_check(&mut self, id: TaskId) {
        if !self.tasks[id as usize].is_active() || self.kube.pods[id as usize].target_healthy {
            return;
        }
        let now = self.queue.now();
        let p = &self.params;
        let task = &mut self.tasks[id as usize];
        let pod = &mut self.kube.pods[id as usize];
        let passed = task.good && now >= task.warm_at;
        if passed {
            task.passes += 1;
            task.failures = 0;
        } else {
            task.passes = 0;
            task.failures += 1;
            if task.failures >= p.unhealthy_threshold {
                task.marked_unhealthy = true;
            }
        }
        let needed = if task.marked_unhealthy {
            p.healthy_threshold
        } else {
            p.initial_healthy_threshold
        };
        let kind = if passed {
            StepKind::CheckPassed
        } else {
            StepKind::CheckFailed
        };
        if passed && task.passes >= needed {
            pod.target_healthy = true;
            self.record(kind, Some(id), Detail::None);
            self.maybe_ready(id);
        } else {
            self.queue
                .schedule_in(p.check_interval, Event::HealthCheck(id));
            self.record(kind, Some(id), Detail::None);
        }
    }

    /// The kubelet turns the pod Ready when the probe and (with the gate) the target
    /// agree; the controllers learn it a report later.
    fn maybe_ready(&mut self, id: TaskId) {
        let gate = self.kube_params().load_balancer_gate;
        let pod = &mut self.kube.pods[id as usize];
        if pod.ready_at.is_some() || !pod.probe_ready || (gate && !pod.target_healthy) {
            return;
        }
        pod.ready_at = Some(self.queue.now());
        let report = draw(&self.params.report, &mut self.streams.agent);
        self.queue
            .schedule_in(report, Event::Kube(KubeEvent::ReadyKnown(id)));
    }

    /// The controllers learn the pod is Ready: a sync follows; it is available
    /// `min_ready` later (at once when that is 0).
    pub(super) fn on_ready_known(&mut self, id: TaskId) {
        if !self.tasks[id as usize].is_active() {
            return;
        }
        self.kube.pods[id as usize].ready_known_at = Some(self.queue.now());
        self.trigger_evaluation();
        self.record(StepKind::Ready, Some(id), Detail::None);
        let min_ready = self.kube_params().min_ready;
        if min_ready == SimDuration::ZERO {
            self.become_available(id);
        } else {
            self.queue
                .schedule_in(min_ready, Event::Kube(KubeEvent::Available(id)));
        }
    }

    /// Ready for `min_ready`: available (section 9's "healthy").
    pub(super) fn become_available(&mut self, id: TaskId) {
        if !self.tasks[id as usize].is_active() {
            return;
        }
        let task = &mut self.tasks[id as usize];
        task.phase = Phase::Healthy;
        task.was_healthy = true;
        let (revision, host) = (task.revision, task.host);
        self.unhealthy_active[revision as usize] -= 1;
        self.change_healthy(revision, true);
        let zone = self.zone_of(host);
        self.healthy_sets[revision as usize][zone].insert(id);
        if revision == Revision::New {
            if self.metrics.first_new_healthy.is_none() {
                self.metrics.first_new_healthy = Some(self.queue.now());
            }
            self.note_progress();
        }
        self.trigger_evaluation();
        self.record(StepKind::Healthy, Some(id), Detail::None);
        self.note_kube_completion();
    }
}

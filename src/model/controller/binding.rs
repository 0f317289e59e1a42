//! kube-scheduler's side of a Deployment: binding pending pods to nodes with section 4's
//! strategies through the shared placement index, first-come first-served. A pod that
//! fits nowhere counts one placement failure per attempt and waits; the waiting pods are
//! retried, in creation order, one reaction after a pod is gone or a node joins.

use super::super::outcome::{Detail, Revision, StepKind};
use super::super::world::{Event, KubeEvent, World, draw};

impl World {
    /// Queues a binding attempt (`Bind` or `RetryBinding`) one reaction from now.
    pub(super) fn schedule_binding(&mut self, event: KubeEvent) {
        let delay = draw(&self.params.reaction, &mut self.streams.binding);
        let at = self.queue.now() + delay;
        self.queue.schedule_at(at, Event::Kube(event));
    }

    /// A created pod's first binding attempt.
    pub(in crate::model) fn on_bind(&mut self) {
        self.kube.awaiting_bind -= 1;
        self.try_bind(true);
    }

    /// Room may have appeared: retry every unschedulable pod, oldest first.
    pub(in crate::model) fn on_retry_binding(&mut self) {
        let waiting = std::mem::take(&mut self.kube.unschedulable);
        for tried in 0..waiting {
            if !self.try_bind(false) {
                // Pods are alike and a failure changes nothing: every pod after this
                // one fails too. Count their attempts without searching again.
                for _ in tried + 1..waiting {
                    self.unschedulable_attempt();
                }
                break;
            }
        }
        self.note_waiting();
    }

    /// A pod is gone or a node joined: unschedulable pods get a retry.
    pub(super) fn on_room_for_pods(&mut self) {
        if self.kube.unschedulable > 0 {
            self.schedule_binding(KubeEvent::RetryBinding);
        }
    }

    /// One binding attempt; returns whether the pod was bound.
    fn try_bind(&mut self, first_attempt: bool) -> bool {
        let bound = match self.choose_host() {
            Some(host) => {
                let id = self.place_task(host, Revision::New);
                debug_assert_eq!(id as usize, self.kube.pods.len());
                self.kube.pods.push(Default::default());
                true
            }
            None => {
                self.unschedulable_attempt();
                if first_attempt {
                    self.on_pod_unschedulable();
                }
                false
            }
        };
        self.note_waiting();
        bound
    }

    /// A binding attempt that found no node: the pod waits for a retry.
    fn unschedulable_attempt(&mut self) {
        self.kube.unschedulable += 1;
        self.metrics.placement_failures += 1;
        self.record(StepKind::PlacementFailed, None, Detail::None);
    }

    /// Waiting for capacity: while some pod is unschedulable.
    fn note_waiting(&mut self) {
        let now = self.queue.now();
        match (self.kube.unschedulable > 0, self.metrics.waiting_since) {
            (true, None) => self.metrics.waiting_since = Some(now),
            (false, Some(since)) => {
                self.metrics.capacity_wait_micros += now.since(since).micros();
                self.metrics.waiting_since = None;
            }
            _ => {}
        }
    }
}

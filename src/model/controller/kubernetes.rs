//! The Kubernetes Deployment controller (docs/model.md, "Kubernetes Deployments"), as in
//! `pkg/controller/deployment/rolling.go`: a sync scales the new ReplicaSet up within
//! `D + surge` (and ends there if it did), else scales old ReplicaSets down within
//! `D - unavailable` available pods (cleanupUnhealthyReplicas, then
//! scaleDownOldReplicaSetsForRollingUpdate). Counts are ReplicaSet replicas, so a
//! terminating pod counts nowhere although it still holds its node. The ReplicaSet
//! controller acts at once: it creates pending pods (kube-scheduler binds them, see
//! `binding`) or deletes pods in `ranking` order (termination is `model::termination`).
//! Completion is what `kubectl rollout status` waits for; a rollout with no progress for
//! `progress_deadline` fails.

use crate::engine::SimTime;

use super::super::outcome::{Detail, Revision, StepKind, StuckReason};
use super::super::world::{Event, KubeEvent, TaskId, World};
use super::ranking::ranked_pod;

/// What the controllers and the kubelet know of one pod (indexed like `World::tasks`).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Pod {
    /// The kubelet has reported the container running.
    pub reported_running: bool,
    /// Consecutive readiness-probe passes.
    pub probe_passes: u32,
    /// The probe side of Ready holds (enough passes).
    pub probe_ready: bool,
    /// The load balancer's target is healthy (the readiness gate).
    pub target_healthy: bool,
    /// When the kubelet turned the pod Ready.
    pub ready_at: Option<SimTime>,
    /// When the controllers learned it (ranking's "most recently Ready").
    pub ready_known_at: Option<SimTime>,
    /// Until when new requests still reach a deleted pod.
    pub endpoints_until: SimTime,
}

/// Karpenter's open batch of pending pods.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Batch {
    pub opened: SimTime,
    pub closes: SimTime,
}

/// The Deployment's state beside the shared world.
#[derive(Clone, Debug, Default)]
pub(crate) struct KubeState {
    /// ReplicaSet replicas: `new` and `old`.
    pub new_replicas: u32,
    pub old_replicas: u32,
    /// Pending pods whose first binding attempt is queued.
    pub awaiting_bind: u32,
    /// Pending pods that fitted nowhere, waiting for a retry.
    pub unschedulable: u32,
    pub pods: Vec<Pod>,
    pub last_progress: SimTime,
    pub completed_at: Option<SimTime>,
    pub early_terminations: u32,
    pub batch: Option<Batch>,
    /// Scratch for the deletion ranking (kept to avoid allocating per sync): ranks, each
    /// holding its pod's id (`ranked_pod`).
    pub ranking: Vec<u128>,
}

impl KubeState {
    /// Pods that exist and are not terminating, bound or not: both ReplicaSets' replicas.
    pub fn pending(&self) -> u32 {
        self.awaiting_bind + self.unschedulable
    }
}

impl World {
    /// Kubernetes: the new and old ReplicaSets' replicas (`None` on ECS).
    pub fn replica_counts(&self) -> Option<(u32, u32)> {
        self.params
            .kube
            .as_ref()
            .map(|_| (self.kube.new_replicas, self.kube.old_replicas))
    }

    /// Kubernetes: pods created and not yet bound to a node.
    pub fn pending_pods(&self) -> u32 {
        self.kube.pending()
    }

    /// The Deployment at t = 0: the old ReplicaSet holds D Ready, available pods.
    pub(in crate::model) fn reset_kubernetes(&mut self) {
        let desired = self.params.desired;
        let k = &mut self.kube;
        k.new_replicas = 0;
        k.old_replicas = desired;
        k.awaiting_bind = 0;
        k.unschedulable = 0;
        k.pods.clear();
        k.pods.resize(
            self.tasks.len(),
            Pod {
                reported_running: true,
                probe_ready: true,
                target_healthy: true,
                ready_at: Some(SimTime::ZERO),
                ready_known_at: Some(SimTime::ZERO),
                ..Pod::default()
            },
        );
        k.last_progress = SimTime::ZERO;
        k.completed_at = None;
        k.early_terminations = 0;
        k.batch = None;
        let deadline = self.kube_params().progress_deadline;
        self.queue.schedule_at(
            SimTime::ZERO + deadline,
            Event::Kube(KubeEvent::ProgressCheck),
        );
    }

    pub(in crate::model) fn kube_params(&self) -> &crate::model::params::KubeParams {
        self.params
            .kube
            .as_ref()
            .expect("the Kubernetes controller runs only with platform = \"kubernetes\"")
    }

    /// One sync of the Deployment controller. Returns whether it scaled anything.
    pub(super) fn sync_deployment(&mut self) -> bool {
        let d = self.params.desired as i64;
        let (surge, unavailable) = {
            let kp = self.kube_params();
            (kp.surge as i64, kp.unavailable as i64)
        };
        let new = self.kube.new_replicas as i64;
        let old = self.kube.old_replicas as i64;

        // 1. NewRSNewReplicas: scale up within D + surge; a scale-up ends the sync.
        if new + old < d + surge && new < d {
            let add = (d + surge - (new + old)).min(d - new) as u32;
            self.kube.new_replicas += add;
            for _ in 0..add {
                self.create_pod();
            }
            let exists = self.active[0] + self.active[1] + self.kube.pending();
            self.metrics.peak_active = self.metrics.peak_active.max(exists);
            self.note_progress();
            self.trigger_evaluation();
            self.record(
                StepKind::Evaluation,
                None,
                Detail::Evaluation {
                    stopped: 0,
                    started: add,
                },
            );
            return true;
        }

        // 2. reconcileOldReplicaSets.
        let mut deleted = 0;
        if old > 0 {
            let avail_new = self.healthy[Revision::New as usize] as i64;
            let avail_old = self.healthy[Revision::Old as usize] as i64;
            let min_available = d - unavailable;
            let max_down = (new + old) - min_available - (new - avail_new);
            if max_down > 0 {
                // cleanupUnhealthyReplicas: old pods that are not available.
                let cleanup = max_down.min(old - avail_old) as u32;
                deleted += self.delete_old_pods(cleanup, true);
                // scaleDownOldReplicaSetsForRollingUpdate.
                let available = avail_new + avail_old;
                if available > min_available {
                    let more = (self.kube.old_replicas as i64).min(available - min_available);
                    deleted += self.delete_old_pods(more as u32, false);
                }
            }
        }
        if deleted > 0 {
            self.note_progress();
            self.trigger_evaluation();
        }
        self.record(
            StepKind::Evaluation,
            None,
            Detail::Evaluation {
                stopped: deleted,
                started: 0,
            },
        );
        self.note_kube_completion();
        deleted > 0
    }

    /// The ReplicaSet controller scales the old ReplicaSet down by `count`, deleting its
    /// pods in ranking order (only not-available ones when `unavailable_only`). Returns
    /// how many it deleted.
    fn delete_old_pods(&mut self, count: u32, unavailable_only: bool) -> u32 {
        if count == 0 {
            return 0;
        }
        if count == 1 {
            // The common case: one pod, the lowest rank, in one pass.
            let Some(id) = self.first_to_delete(unavailable_only) else {
                return 0;
            };
            self.kube.old_replicas -= 1;
            self.terminate_pod(id);
            return 1;
        }
        let mut ranking = std::mem::take(&mut self.kube.ranking);
        ranking.clear();
        // The old pods are the first D ids (created at t = 0; the old ReplicaSet never
        // grows).
        for id in 0..self.params.desired as TaskId {
            debug_assert_eq!(self.tasks[id as usize].revision, Revision::Old);
            if self.deletable(id, unavailable_only) {
                ranking.push(self.deletion_rank(id));
            }
        }
        let chosen = (count as usize).min(ranking.len());
        if chosen < ranking.len() {
            ranking.select_nth_unstable(chosen);
        }
        // Deletion order only shows in traces, but keep it the ranking's.
        ranking[..chosen].sort_unstable();
        for &rank in &ranking[..chosen] {
            self.kube.old_replicas -= 1;
            self.terminate_pod(ranked_pod(rank));
        }
        self.kube.ranking = ranking;
        chosen as u32
    }

    /// A pod of the new ReplicaSet is created: pending, its binding attempt a reaction
    /// later.
    fn create_pod(&mut self) {
        self.kube.awaiting_bind += 1;
        self.schedule_binding(KubeEvent::Bind);
    }

    /// A ReplicaSet scaled or a new pod became available.
    pub(in crate::model) fn note_progress(&mut self) {
        self.kube.last_progress = self.queue.now();
    }

    /// Records completion the first instant `kubectl rollout status` would return.
    pub(in crate::model) fn note_kube_completion(&mut self) {
        let k = &self.kube;
        let d = self.params.desired;
        if k.completed_at.is_none()
            && k.new_replicas == d
            && k.old_replicas == 0
            && self.healthy[Revision::New as usize] == d
        {
            self.kube.completed_at = Some(self.queue.now());
            self.record(StepKind::Completed, None, Detail::None);
            // The trace's last step is then `settled`, when the last old pod is gone.
        }
    }

    /// The progress deadline: fail if nothing progressed for `progress_deadline`, else
    /// look again when it would run out. A completed rollout no longer has a deadline.
    pub(in crate::model) fn on_progress_check(&mut self) {
        if self.kube.completed_at.is_some() {
            return;
        }
        let due = self.kube.last_progress + self.kube_params().progress_deadline;
        if self.queue.now() >= due {
            self.ending = Some(crate::model::Outcome::Failed);
        } else {
            self.queue
                .schedule_at(due, Event::Kube(KubeEvent::ProgressCheck));
        }
    }

    /// The Deployment's run is over once it completed and every old pod is gone.
    pub(super) fn kube_done(&self) -> bool {
        self.kube.completed_at.is_some() && self.remaining[Revision::Old as usize] == 0
    }

    pub(super) fn kube_stuck_reason(&self) -> StuckReason {
        if self.kube.unschedulable > 0 {
            StuckReason::NoHostFits {
                new_active: self.active[Revision::New as usize],
                desired: self.params.desired,
            }
        } else {
            StuckReason::NothingPending
        }
    }
}

//! The ReplicaSet controller's choice of which pod to delete (ActivePodsWithRanks in
//! `pkg/controller/controller_utils.go`), smallest rank first: not yet bound; then bound
//! but not yet reported running; then not Ready; then on the node holding the most
//! non-terminating pods of the Deployment (both revisions); then the most recently
//! Ready; then the highest pod id. Ranks are taken once per scale-down, before any of
//! its deletions, as the ReplicaSet controller does.

use super::super::world::{Phase, TaskId, World};

impl World {
    /// Pod `id`'s deletion rank, packed so that a smaller number goes first; its low 32
    /// bits give the id back (`ranked_pod`). Every pod ranked here is bound (only new pods
    /// are ever pending, and only old pods are deleted), so the first criterion never
    /// separates two of them.
    pub(super) fn deletion_rank(&self, id: TaskId) -> u128 {
        let (lead, ready) = self.rank_parts(id);
        // Higher id first.
        let newest = (u32::MAX - id) as u128;
        ((lead as u128) << 94) | ((ready as u128) << 32) | newest
    }

    /// The rank's two leading parts: reported running, Ready and pods on the node (34
    /// bits), then how recently Ready (62 bits).
    #[inline]
    fn rank_parts(&self, id: TaskId) -> (u64, u64) {
        let task = &self.tasks[id as usize];
        let pod = &self.kube.pods[id as usize];
        let reported = pod.reported_running as u64;
        let ready = pod.ready_known_at.is_some() as u64;
        // More pods on the node first.
        let crowd = (u32::MAX - self.loads[task.host as usize].active) as u64;
        // Later Ready first (times are far below 2^62 microseconds).
        let ready_at =
            ((1u64 << 62) - 1).saturating_sub(pod.ready_known_at.map_or(0, |t| t.micros()));
        ((reported << 33) | (ready << 32) | crowd, ready_at)
    }

    /// Whether old pod `id` may be deleted in this scale-down: it is active, and not
    /// available when only unavailable pods go (`unavailable_only`).
    #[inline]
    pub(super) fn deletable(&self, id: TaskId, unavailable_only: bool) -> bool {
        let task = &self.tasks[id as usize];
        task.is_active() && !(unavailable_only && task.phase == Phase::Healthy)
    }

    /// The old pod the ReplicaSet controller deletes first: the smallest `deletion_rank`
    /// among the active old pods (only those not available when `unavailable_only`).
    /// One pass that compares the rank's parts as two `u64`s instead of building every
    /// pod's `u128`: ids go up, so on equal parts the later pod (the higher id) wins.
    /// Scaling down by one pod is most of a rollout's syncs.
    pub(super) fn first_to_delete(&self, unavailable_only: bool) -> Option<TaskId> {
        let mut best: Option<(u64, u64, TaskId)> = None;
        // The old pods are the first D ids (created at t = 0).
        for id in 0..self.params.desired as TaskId {
            if !self.deletable(id, unavailable_only) {
                continue;
            }
            let (lead, ready) = self.rank_parts(id);
            if best.is_none_or(|(best_lead, best_ready, _)| {
                lead < best_lead || (lead == best_lead && ready <= best_ready)
            }) {
                best = Some((lead, ready, id));
            }
        }
        let chosen = best.map(|(.., id)| id);
        debug_assert_eq!(
            chosen,
            (0..self.params.desired as TaskId)
                .filter(|&id| self.deletable(id, unavailable_only))
                .min_by_key(|&id| self.deletion_rank(id)),
            "the one-pass choice is the smallest rank"
        );
        chosen
    }
}

/// The pod whose `deletion_rank` this is.
pub(super) fn ranked_pod(rank: u128) -> TaskId {
    u32::MAX - rank as u32
}

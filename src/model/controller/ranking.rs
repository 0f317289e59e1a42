//! The ReplicaSet controller's choice of which pod to delete (ActivePodsWithRanks in
//! `pkg/controller/controller_utils.go`), smallest rank first: not yet bound; then bound
//! but not yet reported running; then not Ready; then on the node holding the most
//! non-terminating pods of the Deployment (both revisions); then the most recently
//! Ready; then the highest pod id. Ranks are taken once per scale-down, before any of
//! its deletions, as the ReplicaSet controller does.

use super::super::world::{TaskId, World};

impl World {
    /// Pod `id`'s deletion rank, packed so that a smaller number goes first. Every pod
    /// ranked here is bound (only new pods are ever pending, and only old pods are
    /// deleted), so the first criterion never separates two of them.
    pub(super) fn deletion_rank(&self, id: TaskId) -> u128 {
        let task = &self.tasks[id as usize];
        let pod = &self.kube.pods[id as usize];
        let reported = pod.reported_running as u128;
        let ready = pod.ready_known_at.is_some() as u128;
        // More pods on the node first.
        let crowd = (u32::MAX - self.loads[task.host as usize].active) as u128;
        // Later Ready first (times are far below 2^62 microseconds).
        let ready_at =
            ((1u64 << 62) - 1).saturating_sub(pod.ready_known_at.map_or(0, |t| t.micros()));
        // Higher id first.
        let newest = (u32::MAX - id) as u128;
        (reported << 127) | (ready << 126) | (crowd << 94) | ((ready_at as u128) << 32) | newest
    }
}

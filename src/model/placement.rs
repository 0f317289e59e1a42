//! Placement (docs/model.md section 4) without scanning every host per task.
//!
//! What a strategy looks at is a small integer per host: `binpack:memory` and
//! `binpack:cpu` prefer the least free memory or CPU (free room: the host's size minus
//! other tenants minus this service's tasks, so hosts of different sizes compare by what
//! is really left), `spread:host` the fewest active tasks. The strategy list compiles to
//! a key, packed in a `u128` as `[component:32] x 3 [host id:32]`, where a smaller key is
//! a better host. Each zone keeps a min segment tree of its hosts' keys (hosts that do not
//! fit are `u128::MAX`), so the best host in a zone is the root, and an update costs
//! O(log hosts); choosing a host compares the zone roots, O(zones). The trees hold the
//! keys in 64 bits when they fit there (at most one component besides `spread:zone`,
//! which is most rules), which halves the work of an update's walk. `spread:zone`
//! compares zones, not hosts: its place in the list decides where the zone's active count
//! goes in the comparison across zone roots. `random` draws uniformly among the fitting
//! hosts that tie on the strategies before it. As the first strategy (every fitting host
//! ties) it uses a Fenwick tree of fitting hosts by id: the count and the k-th fitting
//! host cost O(log hosts). After other strategies it scans the hosts.

use crate::scenario::PlacementStrategy;

/// How one host looks to the placement strategies, in the scheduler's view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HostLoad {
    /// Tasks whose reservation the scheduler still counts on the host.
    pub reserved: u32,
    /// Tasks on the host that are active (placed, not told to stop).
    pub active: u32,
    /// CPU units left for this service: size minus other tenants minus its reservations.
    pub free_cpu: u32,
    /// MiB left for this service: size minus other tenants minus its reservations.
    pub free_memory: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Component {
    /// Prefer hosts with less free memory (binpack:memory).
    LeastFreeMemory,
    /// Prefer hosts with less free CPU (binpack:cpu).
    LeastFreeCpu,
    /// Prefer hosts with fewer active tasks (spread:host).
    FewestActive,
    /// Prefer zones with fewer active tasks (spread:zone).
    ZoneFewestActive,
}

/// A zone's comparison tuple: up to four components, then the host id.
type Rank = [u64; 5];

/// The strategy list, compiled.
#[derive(Clone, Debug)]
pub struct PlacementRule {
    /// Components in order, each at most once (a repeat narrows nothing further).
    components: Vec<Component>,
    /// Position of `spread:zone` among all components, if present.
    zone_position: Option<usize>,
    /// `random` appears after this many components.
    random_after: Option<usize>,
    task_cpu: u32,
    task_memory: u32,
    distinct_instance: bool,
    /// The one host component of a narrow key (`None`: the key is the host id alone).
    narrow_component: Option<Component>,
}

impl PlacementRule {
    /// The rule for tasks of `task_cpu` units and `task_memory` MiB.
    pub fn new(
        strategies: &[PlacementStrategy],
        task_cpu: u32,
        task_memory: u32,
        distinct_instance: bool,
    ) -> Self {
        let mut components = Vec::new();
        let mut random_after = None;
        for strategy in strategies {
            let component = match strategy {
                PlacementStrategy::BinpackMemory => Component::LeastFreeMemory,
                PlacementStrategy::BinpackCpu => Component::LeastFreeCpu,
                PlacementStrategy::SpreadHost => Component::FewestActive,
                PlacementStrategy::SpreadZone => Component::ZoneFewestActive,
                PlacementStrategy::DistinctInstance => continue,
                PlacementStrategy::Random => {
                    random_after = Some(components.len());
                    break;
                }
            };
            if !components.contains(&component) {
                components.push(component);
            }
        }
        let zone_position = components
            .iter()
            .position(|c| *c == Component::ZoneFewestActive);
        let narrow_component = components
            .iter()
            .copied()
            .find(|c| *c != Component::ZoneFewestActive);
        PlacementRule {
            components,
            zone_position,
            random_after,
            task_cpu,
            task_memory,
            distinct_instance,
            narrow_component,
        }
    }

    /// Whether `random` is the first strategy (every fitting host ties).
    pub fn random_first(&self) -> bool {
        self.random_after == Some(0)
    }

    /// Whether every key fits in 64 bits: at most one component besides `spread:zone`
    /// (which is not in the key), so a key is `[component:32][host id:32]` or less.
    fn narrow_keys(&self) -> bool {
        self.components
            .iter()
            .filter(|c| **c != Component::ZoneFewestActive)
            .count()
            <= 1
    }

    /// Whether choosing a host draws a random number (`random` is in the list).
    pub fn draws(&self) -> bool {
        self.random_after.is_some()
    }

    /// Whether one more task fits on a host with this load.
    pub fn fits(&self, load: HostLoad) -> bool {
        load.free_cpu >= self.task_cpu
            && load.free_memory >= self.task_memory
            && (!self.distinct_instance || load.reserved == 0)
    }

    /// The host's key: smaller is better; `u128::MAX` when the task does not fit.
    #[inline]
    pub fn key(&self, host: u32, load: HostLoad) -> u128 {
        if !self.fits(load) {
            return u128::MAX;
        }
        let mut key = 0u128;
        let mut shift = 96;
        for component in &self.components {
            let value = match component {
                Component::LeastFreeMemory => load.free_memory,
                Component::LeastFreeCpu => load.free_cpu,
                Component::FewestActive => load.active,
                Component::ZoneFewestActive => continue,
            };
            key |= (value as u128) << shift;
            shift -= 32;
        }
        key | host as u128
    }

    /// `key` as a narrow tree holds it (`NodeKey::from_key` of it), computed directly:
    /// `[component:32][host id:32]`, or `u64::MAX` when the task does not fit. Only for
    /// rules whose keys are narrow.
    #[inline(always)]
    fn narrow_key(&self, host: u32, load: HostLoad) -> u64 {
        debug_assert!(self.narrow_keys());
        if !self.fits(load) {
            return u64::MAX;
        }
        let value = match self.narrow_component {
            None => 0,
            Some(Component::LeastFreeMemory) => load.free_memory,
            Some(Component::LeastFreeCpu) => load.free_cpu,
            Some(Component::FewestActive) => load.active,
            Some(Component::ZoneFewestActive) => unreachable!("not a host component"),
        };
        ((value as u64) << 32) | host as u64
    }

    /// The comparison tuple of a zone whose best host has `key`, with the zone's active
    /// count in its place. Lexicographically smaller is better.
    #[inline]
    fn zone_rank(&self, key: u128, zone_active: u32) -> Rank {
        let component = |i: usize| ((key >> (96 - 32 * i)) & 0xFFFF_FFFF) as u64;
        let mut rank = [0u64; 5];
        let mut host_index = 0;
        for (slot, c) in self.components.iter().enumerate() {
            rank[slot] = if *c == Component::ZoneFewestActive {
                zone_active as u64
            } else {
                host_index += 1;
                component(host_index - 1)
            };
        }
        rank[4] = key_host(key) as u64;
        rank
    }

    /// `zone_rank` packed into one `u128` (same order), for at most three components:
    /// the host components before `spread:zone` keep their slots, the zone's active count
    /// takes slot `position`, the ones after it move down one slot, the host id stays.
    #[inline]
    fn packed_zone_rank(&self, key: u128, zone_active: u32, position: usize) -> u128 {
        debug_assert!(self.components.len() <= 3);
        let before = if position == 0 {
            0
        } else {
            u128::MAX << (128 - 32 * position)
        };
        let after = !before & !(HOST_BITS as u128);
        (key & before)
            | ((zone_active as u128) << (96 - 32 * position))
            | ((key & after) >> 32)
            | key_host(key) as u128
    }

    /// Does the host with `key` in a zone with `zone_active` tie with `best_rank` on the
    /// first `count` components?
    fn ties(&self, key: u128, zone_active: u32, best_rank: &Rank, count: usize) -> bool {
        let rank = self.zone_rank(key, zone_active);
        rank[..count] == best_rank[..count]
    }
}

/// A node of the zone trees: a key, in 64 bits when the rule's keys fit there.
trait NodeKey: Copy + Ord {
    /// A host that does not fit, or no host.
    const NONE: Self;
    fn from_key(key: u128) -> Self;
    fn to_key(self) -> u128;
}

/// A narrow key is the wide one without its two empty middle slots:
/// `[component:32][host id:32]`.
impl NodeKey for u64 {
    const NONE: u64 = u64::MAX;

    #[inline]
    fn from_key(key: u128) -> u64 {
        if key == u128::MAX {
            u64::MAX
        } else {
            debug_assert!(key & MIDDLE == 0, "a wide key in a narrow tree");
            ((key >> 64) as u64 & !HOST_BITS) | (key as u64 & HOST_BITS)
        }
    }

    #[inline]
    fn to_key(self) -> u128 {
        if self == u64::MAX {
            u128::MAX
        } else {
            (((self >> 32) as u128) << 96) | (self & HOST_BITS) as u128
        }
    }
}

/// The host id's bits of a key.
const HOST_BITS: u64 = 0xFFFF_FFFF;

/// The host id of a key (its low 32 bits).
#[inline]
fn key_host(key: u128) -> u32 {
    key as u32
}
/// The second and third component slots of a wide key, empty when it is narrow.
const MIDDLE: u128 = ((1u128 << 64) - 1) << 32;

impl NodeKey for u128 {
    const NONE: u128 = u128::MAX;

    #[inline]
    fn from_key(key: u128) -> u128 {
        key
    }

    #[inline]
    fn to_key(self) -> u128 {
        self
    }
}

/// Every zone's min segment tree, side by side: zone `z`'s tree is the `2 * leaves`
/// nodes from `z * 2 * leaves`; node 1 is its root, the leaf of local index `i` is
/// `leaves + i`.
#[derive(Debug)]
enum Trees {
    Narrow(Vec<u64>),
    Wide(Vec<u128>),
}

impl Default for Trees {
    fn default() -> Self {
        Trees::Narrow(Vec::new())
    }
}

impl Clone for Trees {
    fn clone(&self) -> Self {
        match self {
            Trees::Narrow(nodes) => Trees::Narrow(nodes.clone()),
            Trees::Wide(nodes) => Trees::Wide(nodes.clone()),
        }
    }

    fn clone_from(&mut self, source: &Self) {
        match (self, source) {
            (Trees::Narrow(nodes), Trees::Narrow(from)) => nodes.clone_from(from),
            (Trees::Wide(nodes), Trees::Wide(from)) => nodes.clone_from(from),
            (this, _) => *this = source.clone(),
        }
    }
}

/// Writes `key` at `node` of the zone tree `tree` and walks up with it, stopping where a
/// parent already holds the minimum. Returns whether the node held a fitting key before,
/// and whether it holds one now.
#[inline(always)]
fn set_node<K: NodeKey>(tree: &mut [K], mut node: usize, key: K) -> (bool, bool) {
    let fitted = tree[node] != K::NONE;
    tree[node] = key;
    let mut value = key;
    while node > 1 {
        let best = value.min(tree[node ^ 1]);
        node /= 2;
        if tree[node] == best {
            break;
        }
        tree[node] = best;
        value = best;
    }
    (fitted, key != K::NONE)
}

/// The per-zone trees.
#[derive(Debug, Default)]
pub struct PlacementIndex {
    zones: u32,
    /// Leaves per zone tree (a power of two).
    leaves: usize,
    trees: Trees,
    /// Which hosts fit, by host id (for `random` first).
    fitting: Fenwick,
    /// Whether `fitting` is kept (only `random` first reads it).
    count_fitting: bool,
    /// How many hosts the task fits on (what `random` first draws among): at zero,
    /// `choose` answers at once (an evaluation waiting for room asks again and again).
    fitting_hosts: u32,
    /// Each host id's zone and leaf node (`host mod zones`, `leaves + host / zones`),
    /// computed once: an update then divides nothing.
    slots: Vec<Slot>,
}

/// Where a host id sits in the trees.
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    zone: u32,
    node: u32,
}

/// Counts over positions `0..n` with O(log n) update and k-th one (the total is the
/// index's `fitting_hosts`).
#[derive(Debug, Default)]
struct Fenwick {
    /// 1-based partial sums; `tree[0]` unused.
    tree: Vec<u32>,
}

// `clone_from` reuses the storage: a world restores its t = 0 index every run.
impl Clone for PlacementIndex {
    fn clone(&self) -> Self {
        PlacementIndex {
            zones: self.zones,
            leaves: self.leaves,
            trees: self.trees.clone(),
            fitting: self.fitting.clone(),
            count_fitting: self.count_fitting,
            fitting_hosts: self.fitting_hosts,
            slots: self.slots.clone(),
        }
    }

    fn clone_from(&mut self, source: &Self) {
        // The slots follow from `zones` and `leaves` alone: equal shapes, equal slots.
        if (self.zones, self.leaves) != (source.zones, source.leaves) {
            self.slots.clone_from(&source.slots);
        }
        self.zones = source.zones;
        self.leaves = source.leaves;
        self.trees.clone_from(&source.trees);
        self.fitting.clone_from(&source.fitting);
        self.count_fitting = source.count_fitting;
        self.fitting_hosts = source.fitting_hosts;
    }
}

impl Clone for Fenwick {
    fn clone(&self) -> Self {
        Fenwick {
            tree: self.tree.clone(),
        }
    }

    fn clone_from(&mut self, source: &Self) {
        self.tree.clone_from(&source.tree);
    }
}

impl Fenwick {
    fn reset(&mut self, n: usize) {
        self.tree.clear();
        self.tree.resize(n + 1, 0);
    }

    fn add(&mut self, position: usize, up: bool) {
        let mut i = position + 1;
        while i < self.tree.len() {
            if up {
                self.tree[i] += 1;
            } else {
                self.tree[i] -= 1;
            }
            i += i & i.wrapping_neg();
        }
    }

    /// The position of the one numbered `k` (0-based) in position order; `k` is below
    /// the count of ones.
    fn kth(&self, mut k: u32) -> usize {
        let n = self.tree.len() - 1;
        let mut position = 0;
        let mut step = (n + 1).next_power_of_two();
        while step > 0 {
            let next = position + step;
            if next <= n && self.tree[next] <= k {
                position = next;
                k -= self.tree[next];
            }
            step /= 2;
        }
        position
    }
}

impl PlacementIndex {
    /// Prepares for up to `capacity` hosts over `zones` zones, all absent, for keys of
    /// `rule`; keeps the count of fitting hosts by id only if `random` is first (it alone
    /// needs it).
    pub fn reset(&mut self, zones: u32, capacity: u32, rule: &PlacementRule) {
        self.reset_shape(zones, capacity, rule.random_first(), rule.narrow_keys());
    }

    fn reset_shape(&mut self, zones: u32, capacity: u32, count_fitting: bool, narrow: bool) {
        let per_zone = capacity.div_ceil(zones).max(1) as usize;
        let leaves = per_zone.next_power_of_two();
        self.zones = zones;
        self.leaves = leaves;
        self.count_fitting = count_fitting;
        self.fitting_hosts = 0;
        let nodes = zones as usize * 2 * leaves;
        match (&mut self.trees, narrow) {
            (Trees::Narrow(tree), true) => {
                tree.clear();
                tree.resize(nodes, u64::MAX);
            }
            (Trees::Wide(tree), false) => {
                tree.clear();
                tree.resize(nodes, u128::MAX);
            }
            (trees, true) => *trees = Trees::Narrow(vec![u64::MAX; nodes]),
            (trees, false) => *trees = Trees::Wide(vec![u128::MAX; nodes]),
        }
        self.slots.clear();
        self.slots
            .extend((0..(leaves * zones as usize) as u32).map(|host| Slot {
                zone: host % zones,
                node: (leaves as u32) + host / zones,
            }));
        // Every id the trees can hold, so `ensure_capacity` need not resize it separately.
        self.fitting.reset(if count_fitting {
            leaves * zones as usize
        } else {
            0
        });
    }

    /// Sets host `host`'s key (its zone is `host mod zones`). Walks up from the leaf with
    /// the value just written, and stops where a parent already holds the minimum.
    #[inline(always)]
    pub fn update(&mut self, host: u32, key: u128) {
        self.set_key(host, || u64::from_key(key), || key);
    }

    /// Sets host `host`'s key from its load under `rule` (`absent`: it takes no task,
    /// a failed host). The same as `update(host, rule.key(host, load))`, with a narrow
    /// key computed as such instead of through the wide one.
    #[inline(always)]
    pub fn set_load(&mut self, rule: &PlacementRule, host: u32, load: HostLoad, absent: bool) {
        self.set_key(
            host,
            || {
                if absent {
                    u64::NONE
                } else {
                    rule.narrow_key(host, load)
                }
            },
            || {
                if absent {
                    u128::NONE
                } else {
                    rule.key(host, load)
                }
            },
        );
    }

    /// Writes host `host`'s key, computed by `narrow` or `wide` as the trees hold keys,
    /// and keeps the counts of fitting hosts.
    #[inline(always)]
    fn set_key(&mut self, host: u32, narrow: impl FnOnce() -> u64, wide: impl FnOnce() -> u128) {
        let slot = self.slots[host as usize];
        let (size, node) = (2 * self.leaves, slot.node as usize);
        let start = slot.zone as usize * size;
        let (fitted, fits) = match &mut self.trees {
            Trees::Narrow(nodes) => set_node(&mut nodes[start..start + size], node, narrow()),
            Trees::Wide(nodes) => set_node(&mut nodes[start..start + size], node, wide()),
        };
        if fitted != fits {
            if fits {
                self.fitting_hosts += 1;
            } else {
                self.fitting_hosts -= 1;
            }
            if self.count_fitting {
                self.fitting.add(host as usize, fits);
            }
        }
    }

    /// The key at `node` of zone `zone`'s tree (`u128::MAX`: none fits).
    #[inline]
    fn node(&self, zone: usize, node: usize) -> u128 {
        let at = zone * 2 * self.leaves + node;
        match &self.trees {
            Trees::Narrow(nodes) => nodes[at].to_key(),
            Trees::Wide(nodes) => nodes[at].to_key(),
        }
    }

    /// The zone of host `host` (`host mod zones`), without a division for the hosts the
    /// trees hold.
    #[inline]
    pub fn zone_of(&self, host: u32) -> usize {
        match self.slots.get(host as usize) {
            Some(slot) => slot.zone as usize,
            None => (host % self.zones) as usize,
        }
    }

    /// The best zone root under `rule`: `(zone, key)`.
    #[inline]
    fn best_zone(&self, rule: &PlacementRule, zone_active: &[u32]) -> Option<(usize, u128)> {
        match rule.zone_position {
            None => self.best_zone_by(zone_active, |key, _| key),
            // The zone's active count goes into the 32-bit slot the key leaves empty.
            Some(position) if rule.components.len() <= 3 => self
                .best_zone_by(zone_active, |key, active| {
                    rule.packed_zone_rank(key, active, position)
                }),
            // `spread:zone` among four components: the tuple does not fit one `u128`.
            Some(_) => self.best_zone_by(zone_active, |key, active| rule.zone_rank(key, active)),
        }
    }

    /// The zone whose root ranks lowest by `rank(root key, the zone's active count)`,
    /// with its root key; zones where the task fits nowhere are skipped.
    #[inline]
    fn best_zone_by<R: Ord>(
        &self,
        zone_active: &[u32],
        rank: impl Fn(u128, u32) -> R,
    ) -> Option<(usize, u128)> {
        let mut best: Option<(usize, u128, R)> = None;
        let zones = zone_active.iter().enumerate().take(self.zones as usize);
        for (zone, &active) in zones {
            let key = self.node(zone, 1);
            if key == u128::MAX {
                continue;
            }
            let rank = rank(key, active);
            if best
                .as_ref()
                .is_none_or(|(_, _, best_rank)| rank < *best_rank)
            {
                best = Some((zone, key, rank));
            }
        }
        best.map(|(zone, key, _)| (zone, key))
    }

    /// Makes room for host ids below `hosts`, keeping every key (rare: only when
    /// replacement hosts outnumber the capacity given to `reset`).
    pub fn ensure_capacity(&mut self, hosts: u32) {
        let needed = (hosts.div_ceil(self.zones).max(1) as usize).next_power_of_two();
        if needed <= self.leaves {
            return;
        }
        let zones = self.zones;
        let kept: Vec<(u32, u128)> = (0..zones as usize)
            .flat_map(|zone| (0..self.leaves).map(move |local| (zone, local)))
            .map(|(zone, local)| {
                let host = local as u32 * zones + zone as u32;
                (host, self.node(zone, self.leaves + local))
            })
            .filter(|&(_, key)| key != u128::MAX)
            .collect();
        let narrow = matches!(self.trees, Trees::Narrow(_));
        self.reset_shape(zones, needed as u32 * zones, self.count_fitting, narrow);
        for (host, key) in kept {
            self.update(host, key);
        }
    }

    /// Chooses a host for one task, or `None` if it fits nowhere. `draw(n)` returns a
    /// uniform index below `n` (used only by `random`). Inlined for its first line: an
    /// evaluation waiting for room asks again and again while nothing fits.
    #[inline]
    pub fn choose(
        &self,
        rule: &PlacementRule,
        zone_active: &[u32],
        loads: &[HostLoad],
        draw: impl FnOnce(u64) -> u64,
    ) -> Option<u32> {
        if self.fitting_hosts == 0 {
            return None;
        }
        self.choose_fitting(rule, zone_active, loads, draw)
    }

    /// `choose` when the task fits somewhere. Kept out of line, so that the check
    /// inlined into the callers stays small.
    #[inline(never)]
    fn choose_fitting(
        &self,
        rule: &PlacementRule,
        zone_active: &[u32],
        loads: &[HostLoad],
        draw: impl FnOnce(u64) -> u64,
    ) -> Option<u32> {
        let (_, best_key) = self.best_zone(rule, zone_active)?;
        let best_host = key_host(best_key);
        let Some(random_after) = rule.random_after else {
            return Some(best_host);
        };
        if random_after == 0 {
            // Every fitting host ties: the k-th fitting host by id, as the scan would pick.
            let pick = draw(self.fitting_hosts as u64);
            return Some(self.fitting.kth(pick as u32) as u32);
        }
        // `random`: uniform among fitting hosts tying on the components before it.
        let zones = self.zones;
        let best_zone = (best_host % zones) as usize;
        let best_rank = rule.zone_rank(best_key, zone_active[best_zone]);
        let tying = |host: u32, _: HostLoad| {
            // The indexed key, not one computed from `loads`: a host not yet in the index
            // (a spare while the old tasks are placed at t = 0) is not a candidate.
            let key = self.node(
                (host % zones) as usize,
                self.leaves + (host / zones) as usize,
            );
            key != u128::MAX
                && rule.ties(
                    key,
                    zone_active[(host % zones) as usize],
                    &best_rank,
                    random_after,
                )
        };
        let count = (0..loads.len() as u32)
            .filter(|&h| tying(h, loads[h as usize]))
            .count() as u64;
        let pick = draw(count);
        (0..loads.len() as u32)
            .filter(|&h| tying(h, loads[h as usize]))
            .nth(pick as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PlacementStrategy::*;

    const TASK_CPU: u32 = 100;
    const TASK_MEMORY: u32 = 1000;

    /// The straightforward definition of docs/model.md section 4, scanning every host.
    fn reference(
        strategies: &[PlacementStrategy],
        distinct: bool,
        zones: u32,
        loads: &[HostLoad],
    ) -> Option<u32> {
        let rule = PlacementRule::new(strategies, TASK_CPU, TASK_MEMORY, distinct);
        let mut candidates: Vec<u32> = (0..loads.len() as u32)
            .filter(|&h| rule.fits(loads[h as usize]))
            .collect();
        let zone_active = |z: u32| -> u32 {
            (0..loads.len() as u32)
                .filter(|h| h % zones == z)
                .map(|h| loads[h as usize].active)
                .sum()
        };
        for strategy in strategies {
            if candidates.is_empty() {
                return None;
            }
            let score = |h: u32| -> i64 {
                let load = loads[h as usize];
                match strategy {
                    BinpackMemory => load.free_memory as i64,
                    BinpackCpu => load.free_cpu as i64,
                    SpreadHost => load.active as i64,
                    SpreadZone => zone_active(h % zones) as i64,
                    Random | DistinctInstance => 0,
                }
            };
            if *strategy == Random {
                return None; // not compared here
            }
            let best = candidates.iter().map(|&h| score(h)).min().unwrap();
            candidates.retain(|&h| score(h) == best);
        }
        candidates.into_iter().min()
    }

    /// A host of a random size (in tasks by memory and by CPU, not always whole), part
    /// of it held by other tenants, with a random number of this service's tasks.
    fn random_load(next: &mut impl FnMut(u32) -> u32) -> HostLoad {
        let memory = TASK_MEMORY * (1 + next(4)) + next(2) * 500;
        let cpu = TASK_CPU * (1 + next(5));
        let tenant_memory = next(3) * 400;
        let tenant_cpu = next(2) * 50;
        let (mut free_cpu, mut free_memory) = (
            cpu.saturating_sub(tenant_cpu),
            memory.saturating_sub(tenant_memory),
        );
        let mut reserved = 0;
        while free_cpu >= TASK_CPU && free_memory >= TASK_MEMORY && next(3) > 0 {
            reserved += 1;
            free_cpu -= TASK_CPU;
            free_memory -= TASK_MEMORY;
        }
        HostLoad {
            reserved,
            active: next(reserved + 1),
            free_cpu,
            free_memory,
        }
    }

    fn xorshift(mut seed: u64) -> impl FnMut(u32) -> u32 {
        move |n: u32| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as u32
        }
    }

    #[test]
    fn matches_reference_on_many_states() {
        let lists: Vec<Vec<PlacementStrategy>> = vec![
            vec![SpreadZone, SpreadHost],
            vec![BinpackMemory],
            vec![BinpackCpu, SpreadZone],
            vec![SpreadHost, BinpackMemory],
            vec![SpreadZone, BinpackMemory, SpreadHost],
            // spread:zone in each slot of three (the packed zone comparison) and past it.
            vec![BinpackMemory, SpreadZone, SpreadHost],
            vec![SpreadHost, BinpackMemory, SpreadZone],
            vec![BinpackMemory, BinpackCpu, SpreadHost, SpreadZone],
            vec![],
        ];
        let mut next = xorshift(12345);
        for case in 0..3000 {
            let zones = 1 + next(4);
            let hosts = 1 + next(12);
            let distinct = next(5) == 0;
            let loads: Vec<HostLoad> = (0..hosts).map(|_| random_load(&mut next)).collect();
            let list = &lists[case % lists.len()];
            let rule = PlacementRule::new(list, TASK_CPU, TASK_MEMORY, distinct);
            let mut index = PlacementIndex::default();
            index.reset(zones, hosts, &rule);
            let mut zone_active = vec![0u32; zones as usize];
            // Half the cases through `set_load`, the world's way, half through `update`.
            for (h, load) in loads.iter().enumerate() {
                if case % 2 == 0 {
                    index.set_load(&rule, h as u32, *load, false);
                } else {
                    index.update(h as u32, rule.key(h as u32, *load));
                }
                zone_active[h % zones as usize] += load.active;
            }
            let got = index.choose(&rule, &zone_active, &loads, |_| unreachable!());
            assert_eq!(
                got,
                reference(list, distinct, zones, &loads),
                "case {case}: {list:?} {loads:?} zones {zones}"
            );
        }
    }

    /// A narrow key computed directly is the wide key in narrow form, for every rule
    /// whose keys are narrow, fitting or not.
    #[test]
    fn narrow_key_is_the_wide_key_narrowed() {
        let lists: Vec<Vec<PlacementStrategy>> = vec![
            vec![SpreadZone, SpreadHost],
            vec![SpreadHost, SpreadZone],
            vec![BinpackMemory],
            vec![BinpackCpu, SpreadZone],
            vec![SpreadZone],
            vec![SpreadZone, Random],
            vec![],
        ];
        let mut next = xorshift(777);
        for case in 0..2000 {
            let list = &lists[case % lists.len()];
            let rule = PlacementRule::new(list, TASK_CPU, TASK_MEMORY, next(4) == 0);
            assert!(rule.narrow_keys());
            let host = next(100_000);
            let load = random_load(&mut next);
            assert_eq!(
                rule.narrow_key(host, load),
                u64::from_key(rule.key(host, load)),
                "{list:?} host {host} {load:?}"
            );
        }
    }

    /// Growing the index keeps every key: after `ensure_capacity`, it chooses as an index
    /// built at the larger size, for narrow and wide keys and for `random` first.
    #[test]
    fn growing_keeps_every_key() {
        let mut next = xorshift(4242);
        let lists = [
            vec![SpreadZone, SpreadHost],
            vec![BinpackMemory, SpreadHost],
            vec![Random],
        ];
        for case in 0..300 {
            let list = &lists[case % lists.len()];
            let rule = PlacementRule::new(list, TASK_CPU, TASK_MEMORY, false);
            let zones = 1 + next(3);
            let hosts = 1 + next(10);
            let grown = hosts + 1 + next(30);
            let mut loads: Vec<HostLoad> = (0..grown).map(|_| random_load(&mut next)).collect();
            let mut index = PlacementIndex::default();
            index.reset(zones, hosts, &rule);
            for h in 0..hosts {
                index.update(h, rule.key(h, loads[h as usize]));
            }
            index.ensure_capacity(grown);
            let mut fresh = PlacementIndex::default();
            fresh.reset(zones, grown, &rule);
            for h in 0..grown {
                if h >= hosts {
                    index.update(h, rule.key(h, loads[h as usize]));
                }
                fresh.update(h, rule.key(h, loads[h as usize]));
            }
            let mut zone_active = vec![0u32; zones as usize];
            for (h, load) in loads.iter_mut().enumerate() {
                zone_active[h % zones as usize] += load.active;
            }
            for k in 0..3 {
                let draw = |n: u64| k % n;
                assert_eq!(
                    index.choose(&rule, &zone_active, &loads, draw),
                    fresh.choose(&rule, &zone_active, &loads, draw),
                    "case {case}"
                );
            }
        }
    }

    #[test]
    fn random_first_picks_the_kth_fitting_host() {
        let mut next = xorshift(99);
        for case in 0..300 {
            let zones = 1 + next(4);
            let hosts = 1 + next(40);
            let rule =
                PlacementRule::new(&[Random, SpreadHost], TASK_CPU, TASK_MEMORY, next(4) == 0);
            let mut index = PlacementIndex::default();
            index.reset(zones, hosts, &rule);
            let mut loads = vec![HostLoad::default(); hosts as usize];
            // Several rounds of changes, so hosts go in and out of fitting.
            for _ in 0..3 {
                for h in 0..hosts {
                    loads[h as usize] = random_load(&mut next);
                    index.update(h, rule.key(h, loads[h as usize]));
                }
            }
            let fitting: Vec<u32> = (0..hosts)
                .filter(|&h| rule.fits(loads[h as usize]))
                .collect();
            let zone_active = vec![0u32; zones as usize];
            for (k, expected) in fitting.iter().enumerate() {
                let got = index.choose(&rule, &zone_active, &loads, |n| {
                    assert_eq!(n, fitting.len() as u64, "case {case}");
                    k as u64
                });
                assert_eq!(got, Some(*expected), "case {case}");
            }
            if fitting.is_empty() {
                assert_eq!(index.choose(&rule, &zone_active, &loads, |_| 0), None);
            }
        }
    }

    #[test]
    fn random_picks_only_fitting_hosts() {
        let rule = PlacementRule::new(&[Random], TASK_CPU, TASK_MEMORY, false);
        let load = |reserved, free_memory| HostLoad {
            reserved,
            active: reserved,
            free_cpu: 1000,
            free_memory,
        };
        let loads = vec![load(2, 500), load(1, 1000), load(0, 2000)];
        let mut index = PlacementIndex::default();
        index.reset(1, 3, &rule);
        for (h, load) in loads.iter().enumerate() {
            index.update(h as u32, rule.key(h as u32, *load));
        }
        let picked: Vec<Option<u32>> = (0..2)
            .map(|i| {
                index.choose(&rule, &[3], &loads, |n| {
                    assert_eq!(n, 2);
                    i
                })
            })
            .collect();
        assert_eq!(picked, vec![Some(1), Some(2)]);
    }
}

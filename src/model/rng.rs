//! Random streams: one generator per kind of draw, seeded from (seed, replication, stream)
//! alone, so a replication's draws depend neither on thread count nor on order, and
//! changing one setting does not shift the draws of another kind (common random numbers).

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The kinds of draw, each with its own stream (docs/model.md section 8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum StreamKind {
    Pull = 1,
    Start = 2,
    Warmup = 3,
    HealthPhase = 4,
    Draining = 5,
    Agent = 6,
    PollPhase = 7,
    Failure = 8,
    Placement = 9,
    Scheduler = 10,
    Scaling = 11,
    HostFailure = 12,
    /// Whether the revision is bad, and its alarm delay.
    Revision = 13,
    /// Traffic-shift stages: hooks and bake times.
    Stages = 14,
    /// Fargate's provisioning of a placed task.
    Provisioning = 15,
    /// Kubernetes: pre-stop hooks and endpoint propagation.
    Termination = 20,
    /// Kubernetes: kube-scheduler's binding attempts.
    Binding = 21,
}

/// SplitMix64's finaliser: a bijective mix of 64 bits.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One stream of uniform numbers.
#[derive(Clone)]
pub struct Stream(Xoshiro256PlusPlus);

impl Stream {
    pub fn new(seed: u64, replication: u64, kind: StreamKind) -> Stream {
        let mut state = mix(mix(mix(seed) ^ replication) ^ (kind as u64));
        let mut bytes = [0u8; 32];
        for chunk in bytes.chunks_exact_mut(8) {
            state = mix(state);
            chunk.copy_from_slice(&state.to_le_bytes());
        }
        Stream(Xoshiro256PlusPlus::from_seed(bytes))
    }

    /// A uniform number strictly inside (0, 1), from exactly one 64-bit draw.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        ((self.0.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform integer in `0..n` (n > 0), from exactly one 64-bit draw.
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.0.next_u64() as u128 * n as u128) >> 64) as u64
    }
}

/// All streams of one replication.
pub struct Streams {
    pub pull: Stream,
    pub start: Stream,
    pub warmup: Stream,
    pub health_phase: Stream,
    pub draining: Stream,
    pub agent: Stream,
    pub poll_phase: Stream,
    pub failure: Stream,
    pub placement: Stream,
    pub scheduler: Stream,
    pub scaling: Stream,
    pub host_failure: Stream,
    pub revision: Stream,
    pub stages: Stream,
    pub provisioning: Stream,
    pub termination: Stream,
    pub binding: Stream,
}

impl Streams {
    pub fn new(seed: u64, replication: u64) -> Streams {
        let s = |kind| Stream::new(seed, replication, kind);
        Streams {
            pull: s(StreamKind::Pull),
            start: s(StreamKind::Start),
            warmup: s(StreamKind::Warmup),
            health_phase: s(StreamKind::HealthPhase),
            draining: s(StreamKind::Draining),
            agent: s(StreamKind::Agent),
            poll_phase: s(StreamKind::PollPhase),
            failure: s(StreamKind::Failure),
            placement: s(StreamKind::Placement),
            scheduler: s(StreamKind::Scheduler),
            scaling: s(StreamKind::Scaling),
            host_failure: s(StreamKind::HostFailure),
            revision: s(StreamKind::Revision),
            stages: s(StreamKind::Stages),
            provisioning: s(StreamKind::Provisioning),
            termination: s(StreamKind::Termination),
            binding: s(StreamKind::Binding),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let mut a = Stream::new(1, 7, StreamKind::Pull);
        let mut b = Stream::new(1, 7, StreamKind::Pull);
        let mut c = Stream::new(1, 7, StreamKind::Start);
        let mut d = Stream::new(1, 8, StreamKind::Pull);
        let first = a.uniform();
        assert_eq!(first, b.uniform());
        assert_ne!(first, c.uniform());
        assert_ne!(first, d.uniform());
        for _ in 0..10_000 {
            let u = a.uniform();
            assert!(u > 0.0 && u < 1.0);
            assert!(a.below(3) < 3);
        }
    }
}

//! Random streams: one generator per kind of draw, seeded from (seed, replication, stream)
//! alone, so a replication's draws depend neither on thread count nor on order, and
//! changing one setting does not shift the draws of another kind (common random numbers).

use rand::{Rng, SeedableRng};

use crate::engine::SimDuration;
use crate::scenario::Dist;
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

/// How many 64-bit values a stream draws at a time.
const AHEAD: usize = 8;

/// One stream of uniform numbers, drawn `AHEAD` values at a time. A stream that draws
/// from one distribution (an agent's latency, a pull) also computes the quantiles of the
/// values it drew ahead, together: each quantile is a chain of dependent floating-point
/// steps (a polynomial, a division, `exp`), and side by side the processor overlaps
/// them, where one at a time each waited for the last. The values, and the order they
/// are used in, are exactly those of drawing one at a time: a quantile computed ahead is
/// used only if the next draw is from the same distribution, else it is computed from its
/// uniform then.
#[derive(Clone)]
pub struct Stream {
    rng: Xoshiro256PlusPlus,
    /// Values drawn ahead; the next is at `next` (`AHEAD`: none left).
    ahead: [u64; AHEAD],
    next: usize,
    /// `quantiles[i]` is the quantile of `ahead[i]` under the distribution at address
    /// `quantiles_of` (0: none computed).
    quantiles: [SimDuration; AHEAD],
    quantiles_of: usize,
}

/// A 64-bit value as a uniform number strictly inside (0, 1).
#[inline]
fn to_uniform(value: u64) -> f64 {
    ((value >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

impl Stream {
    pub fn new(seed: u64, replication: u64, kind: StreamKind) -> Stream {
        let mut stream = Stream::unseeded();
        stream.reseed(seed, replication, kind);
        stream
    }

    /// A stream to be reseeded before use.
    fn unseeded() -> Stream {
        Stream {
            rng: Xoshiro256PlusPlus::from_seed([0; 32]),
            ahead: [0; AHEAD],
            next: AHEAD,
            quantiles: [SimDuration::ZERO; AHEAD],
            quantiles_of: 0,
        }
    }

    /// Starts the stream of `(seed, replication, kind)` afresh, as `new` would, without
    /// writing its buffers (they count as empty).
    #[inline]
    pub fn reseed(&mut self, seed: u64, replication: u64, kind: StreamKind) {
        let mut state = mix(mix(mix(seed) ^ replication) ^ (kind as u64));
        let mut bytes = [0u8; 32];
        for chunk in bytes.chunks_exact_mut(8) {
            state = mix(state);
            chunk.copy_from_slice(&state.to_le_bytes());
        }
        self.rng = Xoshiro256PlusPlus::from_seed(bytes);
        self.next = AHEAD;
        self.quantiles_of = 0;
    }

    /// The next 64-bit value.
    #[inline]
    fn next_value(&mut self) -> u64 {
        if self.next == AHEAD {
            self.refill();
        }
        let value = self.ahead[self.next];
        self.next += 1;
        value
    }

    #[inline(never)]
    fn refill(&mut self) {
        for value in &mut self.ahead {
            *value = self.rng.next_u64();
        }
        self.next = 0;
        self.quantiles_of = 0;
    }

    /// A uniform number strictly inside (0, 1), from exactly one 64-bit draw.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        to_uniform(self.next_value())
    }

    /// A uniform integer in `0..n` (n > 0), from exactly one 64-bit draw.
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_value() as u128 * n as u128) >> 64) as u64
    }

    /// A draw from `dist`: its quantile at the next uniform, from the quantiles computed
    /// ahead when they are `dist`'s. A distribution that is constant in effect (a uniform
    /// of zero width, say) draws nothing.
    #[inline]
    pub fn quantile(&mut self, dist: &Dist) -> SimDuration {
        let of = dist as *const Dist as usize;
        // Quantiles are computed ahead only for a distribution that draws.
        if self.next < AHEAD && self.quantiles_of == of {
            let at = self.next;
            self.next += 1;
            return self.quantiles[at];
        }
        self.quantile_now(dist, of)
    }

    #[inline(never)]
    fn quantile_now(&mut self, dist: &Dist, of: usize) -> SimDuration {
        if dist.is_constant() {
            dist.quantile(0.5)
        } else if self.next < AHEAD {
            let at = self.next;
            self.next += 1;
            dist.quantile(to_uniform(self.ahead[at]))
        } else {
            self.refill_quantiles(dist, of)
        }
    }

    /// Draws `AHEAD` values and their quantiles under `dist`; returns the first.
    fn refill_quantiles(&mut self, dist: &Dist, of: usize) -> SimDuration {
        self.refill();
        dist.quantiles(&self.ahead.map(to_uniform), &mut self.quantiles);
        self.quantiles_of = of;
        self.next = 1;
        self.quantiles[0]
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
        let s = Stream::unseeded;
        let mut streams = Streams {
            pull: s(),
            start: s(),
            warmup: s(),
            health_phase: s(),
            draining: s(),
            agent: s(),
            poll_phase: s(),
            failure: s(),
            placement: s(),
            scheduler: s(),
            scaling: s(),
            host_failure: s(),
            revision: s(),
            stages: s(),
            provisioning: s(),
            termination: s(),
            binding: s(),
        };
        streams.reseed(seed, replication);
        streams
    }

    /// The streams of another replication, in place (a world's streams are about 3 KB).
    /// Which kind seeds which stream is said here alone.
    pub fn reseed(&mut self, seed: u64, replication: u64) {
        for (stream, kind) in [
            (&mut self.pull, StreamKind::Pull),
            (&mut self.start, StreamKind::Start),
            (&mut self.warmup, StreamKind::Warmup),
            (&mut self.health_phase, StreamKind::HealthPhase),
            (&mut self.draining, StreamKind::Draining),
            (&mut self.agent, StreamKind::Agent),
            (&mut self.poll_phase, StreamKind::PollPhase),
            (&mut self.failure, StreamKind::Failure),
            (&mut self.placement, StreamKind::Placement),
            (&mut self.scheduler, StreamKind::Scheduler),
            (&mut self.scaling, StreamKind::Scaling),
            (&mut self.host_failure, StreamKind::HostFailure),
            (&mut self.revision, StreamKind::Revision),
            (&mut self.stages, StreamKind::Stages),
            (&mut self.provisioning, StreamKind::Provisioning),
            (&mut self.termination, StreamKind::Termination),
            (&mut self.binding, StreamKind::Binding),
        ] {
            stream.reseed(seed, replication, kind);
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

    /// Reseeding a used stream in place gives the stream `new` gives.
    #[test]
    fn reseeding_equals_a_new_stream() {
        let lognormal = Dist::parse("lognormal(median=20s, p95=1m)").unwrap();
        let mut used = Stream::new(5, 2, StreamKind::Pull);
        for _ in 0..13 {
            used.quantile(&lognormal);
        }
        used.reseed(9, 4, StreamKind::Start);
        let mut fresh = Stream::new(9, 4, StreamKind::Start);
        for _ in 0..40 {
            assert_eq!(used.quantile(&lognormal), fresh.quantile(&lognormal));
            assert_eq!(used.below(77), fresh.below(77));
        }
    }

    /// The values drawn ahead, and the quantiles computed ahead, are exactly those of
    /// drawing one value at a time: a reference generator seeded alike, drawn one at a
    /// time, against a stream used in a mixed order (quantiles of two distributions,
    /// uniforms, integers), across many refills.
    #[test]
    fn drawing_ahead_changes_no_value() {
        let lognormal = Dist::parse("lognormal(median=20s, p95=1m)").unwrap();
        let uniform = Dist::parse("uniform(2s, 5s)").unwrap();
        let mut stream = Stream::new(3, 11, StreamKind::Agent);
        let mut reference = stream.rng.clone();
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..5_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let raw = reference.next_u64();
            let expected = to_uniform(raw);
            // Mostly the lognormal, in runs, so that computed-ahead quantiles are used.
            match state % 16 {
                0 => assert_eq!(stream.uniform(), expected),
                1 => {
                    let n = 1 + state % 1000;
                    assert_eq!(stream.below(n), ((raw as u128 * n as u128) >> 64) as u64);
                }
                2 | 3 => assert_eq!(stream.quantile(&uniform), uniform.quantile(expected)),
                _ => assert_eq!(stream.quantile(&lognormal), lognormal.quantile(expected)),
            }
        }
    }
}

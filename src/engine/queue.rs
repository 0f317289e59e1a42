//! The event queue: a small sorted buffer, a binary min-heap on `(time, sequence)`, and
//! FIFO lanes for fixed delays.
//!
//! The sequence number is assigned at scheduling time, so events at the same instant pop
//! in the order they were scheduled (docs/model.md section 12: "equal times run in scheduling
//! order"). Events scheduled `d` after now, for one fixed `d`, arrive in `(time,
//! sequence)` order, because now never goes back: a FIFO keeps them sorted for free. The
//! caller names a few such delays (a health-check interval, a constant report delay);
//! once the heap is large, `schedule_in` with one of them appends to its lane in O(1)
//! instead of sifting through the heap, and `pop` takes the earliest of the heap's top and
//! the lanes' fronts. The order is exactly the heap-only order; small queues use the heap
//! and the buffer alone, where it is faster.
//!
//! A replication usually has a dozen or so events pending, and most pops are of an event
//! scheduled a moment ago. A sorted array of up to `SMALL` entries (latest first, so the
//! earliest pops off the end) handles that cheaper than sifting a heap: an insertion is a
//! binary search and a short move. When it is full, whichever of the new event and the
//! buffer's latest is later goes to the heap, so the buffer keeps the earliest events;
//! `pop` takes the earliest of the buffer's end, the heap's top and the lanes' fronts.
//! Keys are unique (the sequence), so every split of the events pops in the same order.
//! Storage is reused across runs (`clear` keeps
//! every allocation), so a replication that has run once on a thread schedules without
//! touching the allocator.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// At most this many fixed-delay lanes; more delays use the heap.
pub const MAX_LANES: usize = 6;

/// Lanes are used only while the heap holds at least this many events: below it a heap
/// operation is cheaper than looking through the lanes on every pop.
const LANES_FROM: usize = 256;

/// Entries in the sorted buffer: enough for a typical replication's pending set, few
/// enough that moving them on an insertion stays cheaper than a heap operation.
const SMALL: usize = 16;

use super::time::{SimDuration, SimTime};

#[derive(Clone, Copy)]
struct Entry<E> {
    time: SimTime,
    sequence: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl<E> Eq for Entry<E> {}

impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<E> Ord for Entry<E> {
    // Reversed, because `BinaryHeap` is a max-heap and we want the earliest first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key().cmp(&self.key())
    }
}

impl<E> Entry<E> {
    /// `(time, sequence)` as one number: one branch-free comparison instead of two.
    #[inline]
    fn key(&self) -> u128 {
        ((self.time.0 as u128) << 64) | self.sequence as u128
    }
}

/// Events scheduled one fixed delay after now, in the order they were scheduled.
struct Lane<E> {
    delay: SimDuration,
    entries: VecDeque<Entry<E>>,
}

/// Where the earliest pending event is.
#[derive(Clone, Copy)]
enum Source {
    Small,
    Heap,
    Lane(usize),
}

/// What `pop_until` found. A tag of its own (`repr(u8)`), not one hidden in the event's
/// unused values: telling the three apart is then one comparison per event, not six
/// instructions of decoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Next<E> {
    /// The earliest event, now removed; the clock is at its time.
    Event(SimTime, E),
    /// The earliest event is after the limit (it stays queued).
    Later,
    /// Nothing is pending.
    Empty,
}

/// A simulated clock with its pending events.
pub struct EventQueue<E> {
    now: SimTime,
    next_sequence: u64,
    /// Up to `SMALL` events sorted latest first; its capacity never grows past `SMALL`.
    small: Vec<Entry<E>>,
    heap: BinaryHeap<Entry<E>>,
    lanes: Vec<Lane<E>>,
    /// Events in the lanes.
    in_lanes: usize,
    /// Heap size from which lanes are used (`LANES_FROM`; tests lower it).
    lanes_from: usize,
}

impl<E: Copy> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> EventQueue<E> {
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    pub fn with_capacity(capacity: usize) -> Self {
        EventQueue {
            now: SimTime::ZERO,
            next_sequence: 0,
            small: Vec::with_capacity(SMALL),
            heap: BinaryHeap::with_capacity(capacity),
            lanes: Vec::new(),
            in_lanes: 0,
            lanes_from: LANES_FROM,
        }
    }

    /// Names the delays that get a FIFO lane (the first `MAX_LANES` distinct ones); the
    /// queue must be empty. Keeps lanes whose delay is still named, with their storage.
    pub fn set_fixed_delays(&mut self, delays: &[SimDuration]) {
        debug_assert!(self.is_empty(), "lanes change only on an empty queue");
        let mut wanted: Vec<SimDuration> = Vec::new();
        for delay in delays {
            if !wanted.contains(delay) && wanted.len() < MAX_LANES {
                wanted.push(*delay);
            }
        }
        if self.lanes.len() == wanted.len()
            && self
                .lanes
                .iter()
                .zip(&wanted)
                .all(|(lane, d)| lane.delay == *d)
        {
            return;
        }
        self.lanes = wanted
            .into_iter()
            .map(|delay| Lane {
                delay,
                entries: VecDeque::new(),
            })
            .collect();
    }

    /// Empties the queue and rewinds the clock to zero, keeping the allocations.
    pub fn clear(&mut self) {
        self.now = SimTime::ZERO;
        self.next_sequence = 0;
        self.small.clear();
        self.heap.clear();
        for lane in &mut self.lanes {
            lane.entries.clear();
        }
        self.in_lanes = 0;
    }

    /// The current simulated time: the time of the event popped last.
    #[inline]
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules `event` at `now + delay`, behind everything already scheduled for that
    /// instant.
    #[inline(always)]
    pub fn schedule_in(&mut self, delay: SimDuration, event: E) {
        if self.heap.len() >= self.lanes_from
            && let Some(lane) = self.lanes.iter().position(|lane| lane.delay == delay)
        {
            let entry = self.entry(self.now + delay, event);
            self.lanes[lane].entries.push_back(entry);
            self.in_lanes += 1;
        } else {
            self.schedule_at(self.now + delay, event);
        }
    }

    #[inline]
    fn entry(&mut self, time: SimTime, event: E) -> Entry<E> {
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        Entry {
            time,
            sequence,
            event,
        }
    }

    /// Schedules `event` at `time` (never earlier than now).
    #[inline(always)]
    pub fn schedule_at(&mut self, time: SimTime, event: E) {
        debug_assert!(time >= self.now, "an event scheduled in the past");
        let time = time.max(self.now);
        let entry = self.entry(time, event);
        self.insert(entry);
    }

    /// Puts `entry` in the buffer if it is among the `SMALL` earliest there, else in the
    /// heap. Entries move one slot at a time rather than through `Vec::insert`'s memmove:
    /// with at most `SMALL` of them that is cheaper. `entry` was just made, so its
    /// sequence is above every pending one: comparing times alone gives the `(time,
    /// sequence)` order (a pending event at the same time goes first). Always inlined:
    /// a call saved and restored more registers than the insertion itself uses.
    #[inline(always)]
    fn insert(&mut self, entry: Entry<E>) {
        debug_assert_eq!(entry.sequence + 1, self.next_sequence, "only a new entry");
        let time = entry.time;
        let len = self.small.len();
        if len == SMALL {
            // The buffer's latest is at index 0: it or the new entry goes to the heap.
            if time >= self.small[0].time {
                self.heap.push(entry);
                return;
            }
            self.heap.push(self.small[0]);
            let mut at = 0;
            while at + 1 < SMALL && self.small[at + 1].time > time {
                self.small[at] = self.small[at + 1];
                at += 1;
            }
            self.small[at] = entry;
            return;
        }
        self.small.push(entry);
        let small = self.small.as_mut_slice();
        let mut at = len;
        while at > 0 {
            let before = small[at - 1];
            if before.time > time {
                break;
            }
            small[at] = before;
            at -= 1;
        }
        small[at] = entry;
    }

    /// Where the earliest pending event is, and its key.
    #[inline]
    fn earliest(&self) -> Option<(Source, u128)> {
        let mut best = self.small.last().map(|e| (Source::Small, e.key()));
        if let Some(top) = self.heap.peek()
            && best.is_none_or(|(_, key)| top.key() < key)
        {
            best = Some((Source::Heap, top.key()));
        }
        for (index, lane) in self.lanes.iter().enumerate() {
            if let Some(front) = lane.entries.front()
                && best.is_none_or(|(_, key)| front.key() < key)
            {
                best = Some((Source::Lane(index), front.key()));
            }
        }
        best
    }

    /// Moves the clock forward to `time` without running anything (for a run that ends
    /// at a time no event has).
    pub fn advance_to(&mut self, time: SimTime) {
        debug_assert!(self.peek_time().is_none_or(|next| next >= time));
        self.now = self.now.max(time);
    }

    /// Removes the earliest event, advances the clock to it and returns it.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let entry = if self.in_lanes == 0 {
            // Small queues never reach the heap: one check, then the buffer's end.
            if self.heap.is_empty() {
                self.small.pop()?
            } else {
                match (self.small.last(), self.heap.peek()) {
                    (Some(small), Some(top)) if top.key() < small.key() => self.heap.pop()?,
                    (Some(_), _) => self.small.pop()?,
                    (None, _) => self.heap.pop()?,
                }
            }
        } else {
            match self.earliest()?.0 {
                Source::Small => self.small.pop()?,
                Source::Heap => self.heap.pop()?,
                Source::Lane(index) => {
                    self.in_lanes -= 1;
                    self.lanes[index].entries.pop_front()?
                }
            }
        };
        self.now = entry.time;
        Some((entry.time, entry.event))
    }

    /// Removes the earliest event if it is due at or before `limit` and advances the clock
    /// to it; otherwise says whether later events wait or none at all. One look at the
    /// queue where `peek_time` then `pop` would take two. Always inlined: it is called
    /// once per event, from one place.
    #[inline(always)]
    pub fn pop_until(&mut self, limit: SimTime) -> Next<E> {
        if self.in_lanes == 0 && self.heap.is_empty() {
            return match self.small.last() {
                None => Next::Empty,
                Some(entry) if entry.time > limit => Next::Later,
                Some(_) => {
                    let entry = self.small.pop().expect("just looked");
                    self.now = entry.time;
                    Next::Event(entry.time, entry.event)
                }
            };
        }
        match self.peek_time() {
            None => Next::Empty,
            Some(time) if time > limit => Next::Later,
            Some(_) => match self.pop() {
                Some((time, event)) => Next::Event(time, event),
                None => Next::Empty,
            },
        }
    }

    /// The time of the earliest pending event, without removing it.
    #[inline]
    pub fn peek_time(&self) -> Option<SimTime> {
        if self.in_lanes == 0 {
            // The common case: no lanes to look through.
            let small = self.small.last().map(|e| e.time);
            return match self.heap.peek() {
                Some(top) => Some(small.map_or(top.time, |t| t.min(top.time))),
                None => small,
            };
        }
        self.earliest().map(|(_, key)| SimTime((key >> 64) as u64))
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.small.len() + self.heap.len() + self.in_lanes
    }

    /// `len() == n`, answered from the buffer alone when it holds more than `n` (the
    /// usual answer to "are only the recurring events left?", asked after every event).
    #[inline]
    pub fn len_is(&self, n: usize) -> bool {
        self.small.len() <= n && self.len() == n
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_then_scheduling_order() {
        let mut queue = EventQueue::new();
        queue.schedule_at(SimTime(5), 'c');
        queue.schedule_at(SimTime(1), 'a');
        queue.schedule_at(SimTime(5), 'd');
        queue.schedule_at(SimTime(1), 'b');
        let order: Vec<char> = std::iter::from_fn(|| queue.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!['a', 'b', 'c', 'd']);
        assert_eq!(queue.now(), SimTime(5));
    }

    #[test]
    fn zero_delay_goes_behind_same_instant() {
        let mut queue = EventQueue::new();
        queue.schedule_at(SimTime(0), 1);
        queue.schedule_at(SimTime(0), 2);
        let (_, first) = queue.pop().unwrap();
        assert_eq!(first, 1);
        queue.schedule_in(SimDuration::ZERO, 3);
        let rest: Vec<i32> = std::iter::from_fn(|| queue.pop().map(|(_, e)| e)).collect();
        assert_eq!(rest, vec![2, 3]);
    }

    #[test]
    fn clear_rewinds() {
        let mut queue = EventQueue::new();
        queue.schedule_at(SimTime(9), ());
        queue.pop();
        queue.clear();
        assert_eq!(queue.now(), SimTime::ZERO);
        assert!(queue.is_empty());
    }

    #[test]
    fn lanes_pop_in_the_same_order_as_the_heap_alone() {
        let fixed = [SimDuration(0), SimDuration(5), SimDuration(30)];
        let mut plain: EventQueue<u32> = EventQueue::new();
        let mut laned: EventQueue<u32> = EventQueue::new();
        laned.set_fixed_delays(&fixed);
        laned.lanes_from = 0;
        let mut state = 0x9E37_79B9u64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for round in 0..3 {
            plain.clear();
            laned.clear();
            let mut id = 0;
            for _ in 0..5 {
                let delay = SimDuration(next(40));
                plain.schedule_in(delay, id);
                laned.schedule_in(delay, id);
                id += 1;
            }
            let mut popped = 0;
            while let (Some(a), Some(b)) = (plain.pop(), laned.pop()) {
                assert_eq!(a, b, "round {round}, event {popped}");
                assert_eq!(plain.len(), laned.len());
                popped += 1;
                if id < 3000 {
                    for _ in 0..1 + next(2) {
                        let delay = if next(2) == 0 {
                            fixed[next(3) as usize]
                        } else {
                            SimDuration(next(40))
                        };
                        plain.schedule_in(delay, id);
                        laned.schedule_in(delay, id);
                        id += 1;
                    }
                }
            }
            assert!(plain.is_empty() && laned.is_empty());
            assert!(popped > 1000);
        }
    }

    /// One step of a random schedule.
    #[derive(Clone, Debug)]
    enum Op {
        Pop,
        /// `pop_until` now plus this.
        PopUntil(u64),
        /// `schedule_in` with this delay.
        In(u64),
        /// `schedule_in` with one of the fixed (laned) delays.
        Fixed(usize),
        /// `schedule_at` now plus this.
        At(u64),
    }

    fn op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        prop_oneof![
            2 => Just(Op::Pop),
            1 => (0u64..20).prop_map(Op::PopUntil),
            3 => (0u64..40).prop_map(Op::In),
            1 => (0usize..3).prop_map(Op::Fixed),
            1 => (0u64..40).prop_map(Op::At),
        ]
    }

    proptest::proptest! {
        /// The buffer, heap and lanes together pop (through `pop` and `pop_until`) exactly
        /// what a plain `BinaryHeap` on `(time, sequence)` pops, in the same order, on
        /// random schedules (small delays, so many events share an instant and the
        /// sequence decides), with the lanes always, sometimes or (at the default
        /// threshold) rarely in use. Queues of up to a few hundred events, so the buffer
        /// spills to the heap and refills.
        #[test]
        fn pops_in_the_order_of_a_plain_binary_heap(
            ops in proptest::collection::vec(op(), 0..800),
            lanes_from in proptest::prop_oneof![
                proptest::strategy::Just(0usize),
                proptest::strategy::Just(20),
                proptest::strategy::Just(LANES_FROM),
            ],
        ) {
            use std::cmp::Reverse;
            let fixed = [SimDuration(0), SimDuration(7), SimDuration(30)];
            let mut queue: EventQueue<usize> = EventQueue::new();
            queue.set_fixed_delays(&fixed);
            queue.lanes_from = lanes_from;
            for round in 0..2 {
                // `clear` must leave nothing behind for the second round.
                queue.clear();
                let mut reference: BinaryHeap<Reverse<(u64, u64, usize)>> = BinaryHeap::new();
                let mut now = 0u64;
                let mut sequence = 0u64;
                for (id, op) in ops.iter().enumerate() {
                    match *op {
                        Op::Pop => {
                            let expected = reference.pop().map(|Reverse((t, _, e))| (SimTime(t), e));
                            proptest::prop_assert_eq!(queue.pop(), expected, "round {}", round);
                            if let Some((time, _)) = expected {
                                now = time.0;
                            }
                        }
                        Op::PopUntil(ahead) => {
                            let limit = now + ahead;
                            let expected = match reference.peek() {
                                None => Next::Empty,
                                Some(Reverse((t, _, _))) if *t > limit => Next::Later,
                                Some(_) => {
                                    let Reverse((t, _, e)) = reference.pop().expect("peeked");
                                    now = t;
                                    Next::Event(SimTime(t), e)
                                }
                            };
                            proptest::prop_assert_eq!(queue.pop_until(SimTime(limit)), expected);
                        }
                        Op::In(delay) => {
                            queue.schedule_in(SimDuration(delay), id);
                            reference.push(Reverse((now + delay, sequence, id)));
                            sequence += 1;
                        }
                        Op::Fixed(lane) => {
                            queue.schedule_in(fixed[lane], id);
                            reference.push(Reverse((now + fixed[lane].0, sequence, id)));
                            sequence += 1;
                        }
                        Op::At(ahead) => {
                            queue.schedule_at(SimTime(now + ahead), id);
                            reference.push(Reverse((now + ahead, sequence, id)));
                            sequence += 1;
                        }
                    }
                    proptest::prop_assert_eq!(queue.len(), reference.len());
                    for n in [0, 1, reference.len().saturating_sub(1), reference.len(), 17] {
                        proptest::prop_assert_eq!(queue.len_is(n), reference.len() == n);
                    }
                    proptest::prop_assert_eq!(
                        queue.peek_time(),
                        reference.peek().map(|Reverse((t, _, _))| SimTime(*t))
                    );
                }
                while let Some(Reverse((time, _, id))) = reference.pop() {
                    proptest::prop_assert_eq!(queue.pop(), Some((SimTime(time), id)));
                }
                proptest::prop_assert!(queue.pop().is_none());
                proptest::prop_assert!(queue.is_empty());
            }
        }
    }
}

//! The event queue: a binary min-heap on `(time, sequence)`, plus FIFO lanes for fixed
//! delays.
//!
//! The sequence number is assigned at scheduling time, so events at the same instant pop
//! in the order they were scheduled (docs/model.md section 12: "equal times run in scheduling
//! order"). Events scheduled `d` after now, for one fixed `d`, arrive in `(time,
//! sequence)` order, because now never goes back: a FIFO keeps them sorted for free. The
//! caller names a few such delays (a health-check interval, a constant report delay);
//! once the heap is large, `schedule_in` with one of them appends to its lane in O(1)
//! instead of sifting through the heap, and `pop` takes the earliest of the heap's top and
//! the lanes' fronts. The order is exactly the heap-only order; small queues use the heap
//! alone, where it is faster. Storage is reused across runs (`clear` keeps
//! every allocation), so a replication that has run once on a thread schedules without
//! touching the allocator.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// At most this many fixed-delay lanes; more delays use the heap.
pub const MAX_LANES: usize = 6;

/// Lanes are used only while the heap holds at least this many events: below it a heap
/// operation is cheaper than looking through the lanes on every pop.
const LANES_FROM: usize = 256;

use super::time::{SimDuration, SimTime};

#[derive(Clone, Copy)]
struct Entry<E> {
    time: SimTime,
    sequence: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.sequence == other.sequence
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
        other
            .time
            .cmp(&self.time)
            .then_with(|| other.sequence.cmp(&self.sequence))
    }
}

impl<E> Entry<E> {
    #[inline]
    fn key(&self) -> (SimTime, u64) {
        (self.time, self.sequence)
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
    Heap,
    Lane(usize),
}

/// A simulated clock with its pending events.
pub struct EventQueue<E> {
    now: SimTime,
    next_sequence: u64,
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
    #[inline]
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
    #[inline]
    pub fn schedule_at(&mut self, time: SimTime, event: E) {
        debug_assert!(time >= self.now, "an event scheduled in the past");
        let time = time.max(self.now);
        let entry = self.entry(time, event);
        self.heap.push(entry);
    }

    /// Where the earliest pending event is, and its key.
    #[inline]
    fn earliest(&self) -> Option<(Source, (SimTime, u64))> {
        let mut best = self.heap.peek().map(|e| (Source::Heap, e.key()));
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
            self.heap.pop()?
        } else {
            match self.earliest()?.0 {
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

    /// The time of the earliest pending event, without removing it.
    #[inline]
    pub fn peek_time(&self) -> Option<SimTime> {
        if self.in_lanes == 0 {
            return self.heap.peek().map(|entry| entry.time);
        }
        self.earliest().map(|(_, (time, _))| time)
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.heap.len() + self.in_lanes
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
}

//! The event queue: a binary min-heap on `(time, sequence)`.
//!
//! The sequence number is assigned at scheduling time, so events at the same instant pop
//! in the order they were scheduled (MODEL.md section 12: "equal times run in scheduling
//! order"). The heap's storage is reused across runs (`clear` keeps the allocation), so a
//! replication that has run once on a thread schedules without touching the allocator.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

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

/// A simulated clock with its pending events.
pub struct EventQueue<E> {
    now: SimTime,
    next_sequence: u64,
    heap: BinaryHeap<Entry<E>>,
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
        }
    }

    /// Empties the queue and rewinds the clock to zero, keeping the allocation.
    pub fn clear(&mut self) {
        self.now = SimTime::ZERO;
        self.next_sequence = 0;
        self.heap.clear();
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
        self.schedule_at(self.now + delay, event);
    }

    /// Schedules `event` at `time` (never earlier than now).
    #[inline]
    pub fn schedule_at(&mut self, time: SimTime, event: E) {
        debug_assert!(time >= self.now, "an event scheduled in the past");
        let time = time.max(self.now);
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        self.heap.push(Entry {
            time,
            sequence,
            event,
        });
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
        let entry = self.heap.pop()?;
        self.now = entry.time;
        Some((entry.time, entry.event))
    }

    /// The time of the earliest pending event, without removing it.
    #[inline]
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|entry| entry.time)
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
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
}

//! A tiny discrete-event engine: a simulated clock and one event queue.
//!
//! It knows nothing about what is simulated. Events are any `Copy` payload; the queue
//! orders them by `(time, sequence)`, so events at the same instant run in the order they
//! were scheduled. The model drives the loop (`pop`, handle, `schedule`), which keeps the
//! hot path free of dynamic dispatch.

mod queue;
mod time;

pub use queue::{EventQueue, Next};
pub use time::{MICROS_PER_SECOND, SimDuration, SimTime, format_seconds};

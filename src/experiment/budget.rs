//! Refusing runs too big to finish, before they start.
//!
//! The rule (README, "Big runs"): every replication must end within `--max-events` events,
//! or within [`DEFAULT_EVENT_CAP`] when no cap is given. Before the run, the memory it
//! needs is estimated from the scenario's size (hosts, tasks, replications, threads) and
//! compared with the memory available; then the first replication runs alone as a pilot,
//! and the estimate is redone with what it measured (tasks started, events, time). A run
//! whose estimate does not fit, or whose pilot does not end within the default cap, is
//! refused with the estimate, and nothing is written.

use std::mem::size_of;
use std::time::{Duration, Instant};

use crate::model::{NoObserver, Params, ReplicationResult, Task, World};
use crate::scenario::Scenario;

/// The most events a replication may take when `--max-events` is not given: 2 to 8 seconds
/// of one core here (43 times the 100,000-task `large-fleet.toml`), and a bounded world
/// (a task takes several events, so at most ~10 million tasks).
pub const DEFAULT_EVENT_CAP: u64 = 50_000_000;

/// Bytes per host in a world: its state (16), its load (16) and its placement-index leaf
/// (a 16-byte key, twice for the tree above the leaves) and its Fenwick count, rounded up.
const BYTES_PER_HOST: u64 = 80;
/// Bytes per replication kept until the reports are written: the result, and its share of
/// one sorted summary column and of the chart's deploy times (8 bytes each; the CSV is
/// streamed, not held). Measured: peak RSS grows 238 bytes per replication for the 208-byte
/// result (ecs-blog, 10^3 to 10^6 replications); the rest is allocator slack.
const BYTES_PER_RESULT: u64 = size_of::<ReplicationResult>() as u64 + 48;

/// What a run would take.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub replications: u64,
    pub threads: u64,
    /// Events per replication (the pilot's count; a lower bound before the pilot).
    pub events_per_replication: u64,
    pub bytes: u64,
    /// Wall time on this machine, known after the pilot.
    pub seconds: Option<f64>,
}

impl Estimate {
    /// From the scenario alone: a world holds every host and, at least, the old and the
    /// new revision's tasks.
    pub fn from_size(scenario: &Scenario, replications: u64, threads: u64) -> Estimate {
        let tasks = 2 * scenario.service.desired as u64;
        Estimate {
            replications,
            threads,
            events_per_replication: 8 * scenario.service.desired as u64,
            bytes: bytes(scenario, tasks, replications, threads),
            seconds: None,
        }
    }

    /// From a pilot replication that took `took`.
    pub fn from_pilot(
        scenario: &Scenario,
        pilot: &ReplicationResult,
        took: Duration,
        replications: u64,
        threads: u64,
    ) -> Estimate {
        let tasks = scenario.service.desired as u64 + pilot.tasks_started as u64;
        Estimate {
            replications,
            threads,
            events_per_replication: pilot.events,
            bytes: bytes(scenario, tasks, replications, threads),
            seconds: Some(took.as_secs_f64() * replications as f64 / threads.max(1) as f64),
        }
    }

    pub fn describe(&self) -> String {
        let mut text = format!(
            "{} replication(s) of about {} events each ({} events), about {} of memory",
            self.replications,
            thousands(self.events_per_replication),
            thousands(
                self.events_per_replication
                    .saturating_mul(self.replications)
            ),
            human_bytes(self.bytes)
        );
        if let Some(seconds) = self.seconds {
            text.push_str(&format!(
                ", about {} on {} thread(s)",
                crate::scenario::format_human(seconds),
                self.threads
            ));
        }
        text
    }
}

fn bytes(scenario: &Scenario, tasks: u64, replications: u64, threads: u64) -> u64 {
    let hosts: u64 = crate::scenario::host_groups(scenario)
        .iter()
        .map(|g| g.count as u64)
        .sum();
    // A task, its pending events (a few 24-byte queue entries) and vector growth (x2).
    let per_task = 2 * (size_of::<Task>() as u64 + 3 * 24);
    let world = hosts
        .saturating_mul(BYTES_PER_HOST)
        .saturating_add(tasks.saturating_mul(per_task));
    world
        .saturating_mul(threads.max(1))
        .saturating_add(replications.saturating_mul(BYTES_PER_RESULT))
}

/// The memory this process may use: `MemAvailable` from /proc/meminfo, if readable.
pub fn available_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// `Err` with the reason when `estimate` does not fit in `available` bytes.
pub fn check_memory(estimate: &Estimate, available: Option<u64>) -> Result<(), String> {
    match available {
        Some(available) if estimate.bytes > available => Err(format!(
            "this run is too big for this machine: {}, but only {} is available; run fewer replications (--runs), split it with --shard I/N, or shrink the fleet",
            estimate.describe(),
            human_bytes(available)
        )),
        _ => Ok(()),
    }
}

/// Runs replication `replication` alone, capped at `cap` events; returns its result and
/// how long it took.
pub fn pilot(
    scenario: &Scenario,
    seed: u64,
    replication: u32,
    cap: u64,
) -> (ReplicationResult, Duration) {
    let start = Instant::now();
    let mut world = World::new(Params::new(scenario));
    world.set_event_limit(Some(cap));
    let result = world.run(seed, replication as u64, &mut NoObserver);
    (result, start.elapsed())
}

/// `12345678` -> `12,345,678`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(human_bytes(3 * 1024 * 1024), "3.0 MiB");
    }

    #[test]
    fn memory_check_refuses_what_does_not_fit() {
        let estimate = Estimate {
            replications: 10,
            threads: 1,
            events_per_replication: 100,
            bytes: 2048,
            seconds: None,
        };
        assert!(check_memory(&estimate, Some(4096)).is_ok());
        assert!(check_memory(&estimate, None).is_ok());
        let error = check_memory(&estimate, Some(1024)).unwrap_err();
        assert!(
            error.contains("2.0 KiB") && error.contains("--shard"),
            "{error}"
        );
    }
}

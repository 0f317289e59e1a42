//! Why runs did not complete, grouped by kind: one group per (outcome, kind) with its count,
//! so 164 stuck runs that differ only in how many tasks they had placed read as one line,
//! not one line per count.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Outcome, ReplicationResult, StuckReason};

/// Runs that ended the same way for the same kind of reason.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReasonGroup {
    /// How these runs ended: stuck, failed, rolled_back, timeout or event_limit.
    pub outcome: String,
    /// A stable name for the kind: no_host_fits, min_max_deadlock, nothing_pending,
    /// circuit_breaker, horizon, event_limit.
    pub kind: String,
    /// The kind in words, the same for every run of the group.
    pub reason: String,
    pub count: u64,
    /// What differed between the runs (say "0 to 10 of 20 new tasks placed"), if anything
    /// is worth saying.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// What to change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advice: Option<String>,
}

impl ReasonGroup {
    /// "a new task fits on no host (0 to 10 of 20 new tasks placed)": the reason and its
    /// detail, without the advice.
    pub fn label(&self) -> String {
        match &self.detail {
            Some(detail) => format!("{} ({detail})", self.reason),
            None => self.reason.clone(),
        }
    }

    /// The label, then the advice after a semicolon.
    pub fn full(&self) -> String {
        match &self.advice {
            Some(advice) => format!("{}; {advice}", self.label()),
            None => self.label(),
        }
    }
}

/// The smallest and largest of the values seen, for a "2 to 10" detail.
#[derive(Clone, Copy)]
struct Span {
    low: u32,
    high: u32,
}

impl Span {
    fn new(value: u32) -> Span {
        Span {
            low: value,
            high: value,
        }
    }

    fn add(&mut self, value: u32) {
        self.low = self.low.min(value);
        self.high = self.high.max(value);
    }

    fn text(self) -> String {
        if self.low == self.high {
            self.low.to_string()
        } else {
            format!("{} to {}", self.low, self.high)
        }
    }
}

/// What a group accumulates while counting: its count and the spans of its numbers.
struct Tally {
    count: u64,
    spans: [Option<Span>; 2],
}

fn record(tally: &mut Tally, values: [u32; 2]) {
    tally.count += 1;
    for (span, value) in tally.spans.iter_mut().zip(values) {
        match span {
            Some(span) => span.add(value),
            None => *span = Some(Span::new(value)),
        }
    }
}

/// The kind of a run that did not complete, and the two numbers its detail reports.
fn kind_of(result: &ReplicationResult) -> Option<(Outcome, &'static str, [u32; 2])> {
    let kind = match (result.outcome, result.stuck_reason) {
        (Outcome::Completed, _) => return None,
        (
            Outcome::Stuck,
            Some(
                reason @ StuckReason::NoHostFits {
                    new_active,
                    desired,
                },
            ),
        ) => (reason.kind(), [new_active, desired]),
        (Outcome::Stuck, Some(reason @ StuckReason::MinMaxDeadlock { min, max })) => {
            (reason.kind(), [min, max])
        }
        (Outcome::Stuck, _) => (StuckReason::NothingPending.kind(), [0, 0]),
        (Outcome::Failed | Outcome::RolledBack, _) if result.alarm_fired => ("alarm", [0, 0]),
        (Outcome::Failed | Outcome::RolledBack, _) => ("circuit_breaker", [0, 0]),
        (Outcome::Timeout, _) => ("horizon", [0, 0]),
        (Outcome::EventLimit, _) => ("event_limit", [0, 0]),
    };
    Some((result.outcome, kind.0, kind.1))
}

/// The words, detail and advice of a kind.
fn describe(outcome: Outcome, kind: &str, spans: [Option<Span>; 2]) -> ReasonGroup {
    let [a, b] = spans.map(|s| s.map(Span::text).unwrap_or_default());
    let (reason, detail, advice): (&str, Option<String>, Option<&str>) = match kind {
        "no_host_fits" => {
            let reason = StuckReason::NoHostFits {
                new_active: 0,
                desired: 0,
            };
            (
                reason.headline(),
                Some(format!("{a} of {b} new tasks placed when it stopped")),
                reason.advice(),
            )
        }
        "min_max_deadlock" => {
            let reason = StuckReason::MinMaxDeadlock { min: 0, max: 0 };
            (
                reason.headline(),
                Some(format!("MIN {a} healthy, MAX {b} active")),
                reason.advice(),
            )
        }
        "nothing_pending" => (StuckReason::NothingPending.headline(), None, None),
        "alarm" if outcome == Outcome::RolledBack => (
            "a deployment alarm fired (a bad revision) and the old revision was restored",
            None,
            Some("see bad_exposure_seconds for how much traffic the bad revision served"),
        ),
        "alarm" => (
            "a deployment alarm fired (a bad revision; rollback off)",
            None,
            Some("see bad_exposure_seconds for how much traffic the bad revision served"),
        ),
        "circuit_breaker" if outcome == Outcome::RolledBack => (
            "the circuit breaker tripped and the old revision was restored",
            None,
            Some("new tasks kept failing; see tasks_failed and the detection time"),
        ),
        "circuit_breaker" => (
            "the circuit breaker tripped (rollback off)",
            None,
            Some("new tasks kept failing; see tasks_failed and the detection time"),
        ),
        "horizon" => (
            "still deploying at simulation.horizon",
            None,
            Some("raise simulation.horizon, or trace one run to see what it waits for"),
        ),
        _ => (
            "reached the --max-events cap",
            None,
            Some("raise --max-events"),
        ),
    };
    ReasonGroup {
        outcome: outcome.name().to_string(),
        kind: kind.to_string(),
        reason: reason.to_string(),
        count: 0,
        detail,
        advice: advice.map(str::to_string),
    }
}

/// Every run that did not complete, grouped by (outcome, kind): outcomes in the model's
/// order, then the most frequent kind first.
pub fn group_reasons(results: &[ReplicationResult]) -> Vec<ReasonGroup> {
    let mut tallies: BTreeMap<(Outcome, &'static str), Tally> = BTreeMap::new();
    for result in results {
        if let Some((outcome, kind, values)) = kind_of(result) {
            let tally = tallies.entry((outcome, kind)).or_insert(Tally {
                count: 0,
                spans: [None, None],
            });
            record(tally, values);
        }
    }
    let mut groups: Vec<ReasonGroup> = tallies
        .into_iter()
        .map(|((outcome, kind), tally)| ReasonGroup {
            count: tally.count,
            ..describe(outcome, kind, tally.spans)
        })
        .collect();
    let rank = |name: &str| Outcome::ALL.iter().position(|o| o.name() == name);
    groups.sort_by(|x, y| {
        rank(&x.outcome)
            .cmp(&rank(&y.outcome))
            .then(y.count.cmp(&x.count))
            .then_with(|| x.kind.cmp(&y.kind))
    });
    groups
}

/// Why runs missed a target, in one line: "56 stuck: a new task fits on no host; 4
/// completed after 20m". Empty when every run made it.
pub fn why_missed(reasons: &[ReasonGroup], late: u64, target: &str) -> String {
    let mut parts: Vec<String> = reasons
        .iter()
        .map(|r| format!("{} {}: {}", r.count, r.outcome, r.reason))
        .collect();
    if late > 0 {
        parts.push(format!("{late} completed after {target}"));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::SimDuration;

    fn result(outcome: Outcome, stuck_reason: Option<StuckReason>) -> ReplicationResult {
        ReplicationResult {
            stuck_reason,
            deploy: SimDuration::from_secs(60),
            ..ReplicationResult::blank(outcome)
        }
    }

    fn no_fit(new_active: u32) -> ReplicationResult {
        result(
            Outcome::Stuck,
            Some(StuckReason::NoHostFits {
                new_active,
                desired: 20,
            }),
        )
    }

    // 37 stuck runs that differ only in how many of the 20 new tasks they had placed (0 to
    // 19, some twice) are one group of 37 with the span of the counts, not 20 lines.
    #[test]
    fn stuck_runs_that_differ_by_counts_are_one_group() {
        let mut results: Vec<ReplicationResult> = (0..37).map(|i| no_fit(i % 20)).collect();
        results.push(result(Outcome::Completed, None));
        let groups = group_reasons(&results);
        assert_eq!(groups.len(), 1, "{groups:?}");
        let group = &groups[0];
        assert_eq!(group.count, 37);
        assert_eq!(group.kind, "no_host_fits");
        assert_eq!(group.reason, "a new task fits on no host");
        assert_eq!(
            group.detail.as_deref(),
            Some("0 to 19 of 20 new tasks placed when it stopped")
        );
        assert!(
            group
                .full()
                .ends_with("add spare hosts, lower minimum_healthy_percent, or shrink the task")
        );
    }

    // One value: no "to" in the detail.
    #[test]
    fn a_single_count_reads_without_a_span() {
        let groups = group_reasons(&[no_fit(4), no_fit(4)]);
        assert_eq!(
            groups[0].label(),
            "a new task fits on no host (4 of 20 new tasks placed when it stopped)"
        );
    }

    // Outcomes in the model's order (rolled_back, failed, stuck, timeout), and within an
    // outcome the larger group first; completed runs are no group.
    #[test]
    fn groups_follow_outcome_order_then_count() {
        let mut results = vec![
            result(Outcome::Timeout, None),
            no_fit(1),
            result(
                Outcome::Stuck,
                Some(StuckReason::MinMaxDeadlock { min: 5, max: 5 }),
            ),
            result(
                Outcome::Stuck,
                Some(StuckReason::MinMaxDeadlock { min: 5, max: 5 }),
            ),
            result(Outcome::Failed, None),
            result(Outcome::RolledBack, None),
            result(Outcome::Completed, None),
        ];
        results.push(no_fit(3));
        results.push(no_fit(2));
        let groups = group_reasons(&results);
        let order: Vec<(&str, &str, u64)> = groups
            .iter()
            .map(|g| (g.outcome.as_str(), g.kind.as_str(), g.count))
            .collect();
        assert_eq!(
            order,
            [
                ("rolled_back", "circuit_breaker", 1),
                ("failed", "circuit_breaker", 1),
                ("stuck", "no_host_fits", 3),
                ("stuck", "min_max_deadlock", 2),
                ("timeout", "horizon", 1),
            ]
        );
        assert_eq!(
            groups[3].detail.as_deref(),
            Some("MIN 5 healthy, MAX 5 active")
        );
    }

    #[test]
    fn why_missed_names_each_group_and_the_late_runs() {
        let groups = group_reasons(&[no_fit(1), no_fit(2), result(Outcome::Timeout, None)]);
        assert_eq!(
            why_missed(&groups, 4, "20m"),
            "2 stuck: a new task fits on no host; 1 timeout: still deploying at simulation.horizon; 4 completed after 20m"
        );
        assert_eq!(why_missed(&[], 0, "20m"), "");
    }
}

//! CSV outputs: one row per replication, and one row per step of a trace.

use std::fmt::Write as _;
use std::io;

use crate::engine::{MICROS_PER_SECOND, SimDuration, format_seconds};
use crate::experiment::Summary;
use crate::model::{Detail, ReplicationResult, Step, StopCause};

/// The columns of `replications.csv`: `replication`, then docs/model.md section 9's names in
/// order, then the stuck reason, the traffic-shift columns, Fargate's billed task time
/// above D (empty on EC2), then the Kubernetes columns.
pub const REPLICATION_COLUMNS: [&str; 23] = [
    "replication",
    "outcome",
    "deploy_seconds",
    "first_new_healthy_seconds",
    "min_healthy",
    "deficit_task_seconds",
    "peak_active",
    "tasks_started",
    "tasks_failed",
    "placement_failures",
    "events",
    "scaled_hosts",
    "host_seconds_extra",
    "cost",
    "detection_seconds",
    "restored_seconds",
    "capacity_wait_seconds",
    "stuck_reason",
    "traffic_shifted_seconds",
    "bad_exposure_seconds",
    "task_seconds_extra",
    "early_terminations",
    "settled_seconds",
];

/// `replications.csv`, byte-identical for identical results. Replication numbers start at
/// `first_replication`.
pub fn replications_csv(results: &[ReplicationResult], first_replication: u64) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(100 * (results.len() + 1));
    write_replications_csv(&mut bytes, results, first_replication).expect("writing to memory");
    bytes
}

/// [`replications_csv`] written to `out` row by row, so a million rows never sit in memory
/// at once. Each row is built in one reused buffer: no allocation per field or row.
pub fn write_replications_csv(
    out: &mut impl io::Write,
    results: &[ReplicationResult],
    first_replication: u64,
) -> io::Result<()> {
    let mut row = RowBuffer::default();
    row.header(&REPLICATION_COLUMNS);
    out.write_all(&row.bytes)?;
    for (offset, r) in results.iter().enumerate() {
        row.bytes.clear();
        row.replication(first_replication + offset as u64, r);
        out.write_all(&row.bytes)?;
    }
    Ok(())
}

/// CSV lines in bytes, quoting exactly as the `csv` crate's default writer does (a field
/// is quoted only when it holds a comma, a quote or a line break).
#[derive(Default)]
pub(super) struct RowBuffer {
    pub(super) bytes: Vec<u8>,
    /// For the fields formatted through `fmt` (cost, stuck reason).
    text: String,
}

impl RowBuffer {
    /// An empty buffer with room for `bytes` bytes.
    pub(super) fn with_capacity(bytes: usize) -> RowBuffer {
        RowBuffer {
            bytes: Vec::with_capacity(bytes),
            text: String::new(),
        }
    }

    /// Column names, none of which needs quotes, and the line's end.
    pub(super) fn header(&mut self, columns: &[&str]) {
        for (i, column) in columns.iter().enumerate() {
            if i > 0 {
                self.comma();
            }
            self.bytes.extend_from_slice(column.as_bytes());
        }
        self.bytes.push(b'\n');
    }

    fn replication(&mut self, number: u64, r: &ReplicationResult) {
        self.integer(number);
        self.comma();
        self.bytes.extend_from_slice(r.outcome.name().as_bytes());
        self.comma();
        self.seconds(r.deploy.micros());
        self.comma();
        self.optional_seconds(r.first_new_healthy);
        self.comma();
        self.integer(u64::from(r.min_healthy));
        self.comma();
        self.seconds(r.deficit_task_micros);
        self.comma();
        self.integer(u64::from(r.peak_active));
        self.comma();
        self.integer(u64::from(r.tasks_started));
        self.comma();
        self.integer(u64::from(r.tasks_failed));
        self.comma();
        self.integer(u64::from(r.placement_failures));
        self.comma();
        self.integer(r.events);
        self.comma();
        self.integer(u64::from(r.scaled_hosts));
        self.comma();
        self.seconds(r.host_micros_extra);
        self.comma();
        if let Some(cost) = r.cost {
            self.cost(cost);
        }
        self.comma();
        self.optional_seconds(r.detection);
        self.comma();
        self.optional_seconds(r.restored);
        self.comma();
        self.seconds(r.capacity_wait.micros());
        self.comma();
        if let Some(reason) = r.stuck_reason {
            self.text.clear();
            write!(self.text, "{reason}").expect("writing to a String");
            push_field(&mut self.bytes, self.text.as_bytes());
        }
        self.comma();
        self.optional_seconds(r.traffic_shifted);
        self.comma();
        self.seconds(r.bad_exposure_micros);
        self.comma();
        if let Some(micros) = r.task_micros_extra {
            self.seconds(micros);
        }
        self.comma();
        self.integer(u64::from(r.early_terminations));
        self.comma();
        self.optional_seconds(r.settled);
        self.bytes.push(b'\n');
    }

    pub(super) fn comma(&mut self) {
        self.bytes.push(b',');
    }

    /// A fixed word (an outcome's name): never quoted.
    pub(super) fn word(&mut self, word: &str) {
        self.bytes.extend_from_slice(word.as_bytes());
    }

    pub(super) fn integer(&mut self, value: u64) {
        push_integer(&mut self.bytes, value);
    }

    /// The same text as [`format_seconds`].
    pub(super) fn seconds(&mut self, micros: u64) {
        push_integer(&mut self.bytes, micros / MICROS_PER_SECOND);
        let mut fraction = micros % MICROS_PER_SECOND;
        if fraction == 0 {
            return;
        }
        // Six digits with the trailing zeros cut: drop them from the number first.
        let mut width = 6;
        while fraction.is_multiple_of(10) {
            fraction /= 10;
            width -= 1;
        }
        let mut digits = [b'0'; 6];
        for slot in digits[..width].iter_mut().rev() {
            *slot = b'0' + (fraction % 10) as u8;
            fraction /= 10;
        }
        self.bytes.push(b'.');
        push_short(&mut self.bytes, &digits[..width]);
    }

    fn optional_seconds(&mut self, duration: Option<SimDuration>) {
        if let Some(duration) = duration {
            self.seconds(duration.micros());
        }
    }

    /// Money with six decimals, trailing zeros trimmed (exact for a given f64, so the same
    /// everywhere).
    fn cost(&mut self, cost: f64) {
        self.text.clear();
        write!(self.text, "{cost:.6}").expect("writing to a String");
        let trimmed = self.text.trim_end_matches('0').trim_end_matches('.');
        let trimmed = if trimmed.is_empty() { "0" } else { trimmed };
        self.bytes.extend_from_slice(trimmed.as_bytes());
    }
}

/// `value` in decimal digits.
fn push_integer(bytes: &mut Vec<u8>, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    push_short(bytes, &digits[start..]);
}

/// A few bytes, one push each: for numbers' handful of digits this is faster than
/// `extend_from_slice`, whose `memcpy` call costs more than the copy.
fn push_short(bytes: &mut Vec<u8>, short: &[u8]) {
    for &b in short {
        bytes.push(b);
    }
}

/// A text field, in quotes (inner quotes doubled) when it holds a comma, a quote or a line
/// break: the `csv` crate's default, so files read back the same.
fn push_field(bytes: &mut Vec<u8>, field: &[u8]) {
    if !field
        .iter()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        bytes.extend_from_slice(field);
        return;
    }
    bytes.push(b'"');
    for &b in field {
        if b == b'"' {
            bytes.push(b'"');
        }
        bytes.push(b);
    }
    bytes.push(b'"');
}

/// The columns of `reasons.csv`: one row per kind of reason runs did not complete.
pub const REASON_COLUMNS: [&str; 7] = [
    "outcome",
    "kind",
    "runs",
    "share",
    "reason",
    "detail",
    "what_to_change",
];

/// `reasons.csv`: the summary's reason groups, in its order (outcome, then most runs).
pub fn reasons_csv(summary: &Summary) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(REASON_COLUMNS)
        .expect("writing to memory");
    let runs = summary.runs.max(1) as f64;
    for group in &summary.reasons {
        writer
            .write_record([
                group.outcome.clone(),
                group.kind.clone(),
                group.count.to_string(),
                (group.count as f64 / runs).to_string(),
                group.reason.clone(),
                group.detail.clone().unwrap_or_default(),
                group.advice.clone().unwrap_or_default(),
            ])
            .expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

/// One replication's steps as CSV: time in seconds, the task (empty for scheduler-wide
/// steps), its revision and host, the step, the scheduler's healthy and active counts
/// right after it (both revisions, and the new revision's), the hosts up and booting,
/// and a readable detail.
pub fn trace_csv(steps: &[Step]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(80 * (steps.len() + 1)));
    writer
        .write_record([
            "time",
            "task",
            "revision",
            "host",
            "event",
            "healthy",
            "active",
            "new_healthy",
            "new_active",
            "hosts_up",
            "hosts_booting",
            "detail",
        ])
        .expect("writing to memory");
    for step in steps {
        let counts = step.counts;
        writer
            .write_record([
                format_seconds(step.time.micros()),
                step.task.map(|t| t.to_string()).unwrap_or_default(),
                step.revision
                    .map(|r| r.name().to_string())
                    .unwrap_or_default(),
                step.host.map(|h| h.to_string()).unwrap_or_default(),
                step.kind.name().to_string(),
                counts.healthy.to_string(),
                counts.active.to_string(),
                counts.new_healthy.to_string(),
                counts.new_active.to_string(),
                counts.hosts_up.to_string(),
                counts.hosts_booting.to_string(),
                describe(&step.detail),
            ])
            .expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

fn describe(detail: &Detail) -> String {
    match detail {
        Detail::None => String::new(),
        Detail::Takes(d) => format!("takes {}", seconds(*d)),
        Detail::Warmup(d) => format!("warm-up {}", seconds(*d)),
        Detail::FirstCheck(d) => format!("first check in {}", seconds(*d)),
        Detail::Pull { cached, takes } => format!(
            "{} pull, takes {}",
            if *cached { "cached" } else { "full" },
            seconds(*takes)
        ),
        Detail::Stop {
            cause: StopCause::Deleted,
            was_healthy,
            drain,
        } => format!(
            "deleted by the ReplicaSet controller{}, out of the endpoints in {}",
            if *was_healthy { ", was available" } else { "" },
            seconds(*drain)
        ),
        Detail::Stop {
            cause,
            was_healthy,
            drain,
        } => format!(
            "{}{}, drains {}",
            match cause {
                StopCause::Scheduler => "by the scheduler",
                StopCause::Unhealthy => "unhealthy",
                StopCause::Rollback => "launch cancelled by the rollback",
                StopCause::Deleted => unreachable!("described above"),
            },
            if *was_healthy { ", was healthy" } else { "" },
            seconds(*drain)
        ),
        Detail::Evaluation { stopped, started } => format!("stopped {stopped}, started {started}"),
        Detail::Failures { count, threshold } => {
            format!("{count} failures reach the threshold {threshold}")
        }
        Detail::Launch { boot, warmup } => {
            format!("boots in {}, warm-up {}", seconds(*boot), seconds(*warmup))
        }
        Detail::Stuck(reason) => reason.to_string(),
        Detail::Stage(stage) => stage.name().to_string(),
        Detail::Green { basis_points } => {
            format!(
                "{}% of production traffic on the new revision",
                *basis_points as f64 / 100.0
            )
        }
    }
}

/// A step's duration for people: seconds with millisecond precision.
fn seconds(duration: SimDuration) -> String {
    format!("{:.3}s", duration.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Outcome, StuckReason};

    /// A result with every count zero and every optional column absent.
    #[test]
    fn rows_hold_exact_seconds_empty_absent_columns_and_quoted_reasons() {
        let results = [
            // ecs-blog's replication 0 (seed 7): every optional column absent, so empty.
            ReplicationResult {
                deploy: SimDuration(1_815_982_492),
                min_healthy: 5,
                peak_active: 6,
                tasks_started: 5,
                placement_failures: 12,
                events: 62,
                host_micros_extra: 1_815_982_492,
                capacity_wait: SimDuration(1_438_798_199),
                ..ReplicationResult::blank(Outcome::Completed)
            },
            // Every optional column present. Microseconds print as seconds with trailing
            // zeros cut: 600,000,000 -> 600, 500,000 -> 0.5, 1 -> 0.000001,
            // 30,000,010 -> 30.00001; cost 0.25 prints "0.250000" trimmed to 0.25.
            ReplicationResult {
                deploy: SimDuration(600_000_000),
                first_new_healthy: Some(SimDuration(500_000)),
                min_healthy: 3,
                deficit_task_micros: 1,
                peak_active: 7,
                tasks_started: 9,
                tasks_failed: 4,
                events: 1_234_567,
                scaled_hosts: 2,
                host_micros_extra: 7_200_000_000,
                cost: Some(0.25),
                detection: Some(SimDuration(90_010_000)),
                restored: Some(SimDuration(120_100_000)),
                traffic_shifted: Some(SimDuration(30_000_010)),
                bad_exposure_micros: 12_345_678,
                task_micros_extra: Some(3_600_000_000),
                early_terminations: 2,
                settled: Some(SimDuration(610_250_000)),
                alarm_fired: true,
                ..ReplicationResult::blank(Outcome::RolledBack)
            },
            // The largest counts; a cost below a millionth prints "0.000000", trimmed to 0;
            // the reason holds commas, so it is quoted.
            ReplicationResult {
                deploy: SimDuration(86_400_000_001),
                peak_active: u32::MAX,
                events: u64::MAX,
                cost: Some(1e-7),
                stuck_reason: Some(StuckReason::NoHostFits {
                    new_active: 3,
                    desired: 10,
                }),
                ..ReplicationResult::blank(Outcome::Stuck)
            },
            // A reason without a comma or quote is not quoted; 12.5 prints "12.500000".
            ReplicationResult {
                deploy: SimDuration(1_000_000),
                cost: Some(12.5),
                stuck_reason: Some(StuckReason::MinMaxDeadlock { min: 4, max: 5 }),
                ..ReplicationResult::blank(Outcome::Stuck)
            },
        ];
        let expected = concat!(
            "replication,outcome,deploy_seconds,first_new_healthy_seconds,min_healthy,",
            "deficit_task_seconds,peak_active,tasks_started,tasks_failed,placement_failures,",
            "events,scaled_hosts,host_seconds_extra,cost,detection_seconds,restored_seconds,",
            "capacity_wait_seconds,stuck_reason,traffic_shifted_seconds,bad_exposure_seconds,",
            "task_seconds_extra,early_terminations,settled_seconds\n",
            "41,completed,1815.982492,,5,0,6,5,0,12,62,0,1815.982492,,,,1438.798199,,,0,,0,\n",
            "42,rolled_back,600,0.5,3,0.000001,7,9,4,0,1234567,2,7200,0.25,90.01,120.1,0,,",
            "30.00001,12.345678,3600,2,610.25\n",
            "43,stuck,86400.000001,,0,0,4294967295,0,0,0,18446744073709551615,0,0,0,,,0,",
            "\"a new task fits on no host (3 of 10 new tasks placed; add spare hosts, lower ",
            "minimum_healthy_percent, or shrink the task)\",,0,,0,\n",
            "44,stuck,1,,0,0,0,0,0,0,0,0,0,12.5,,,0,MIN (4 healthy) and MAX (5 active) allow ",
            "neither a stop nor a start (raise maximum_percent or lower ",
            "minimum_healthy_percent),,0,,0,\n",
        );
        let bytes = replications_csv(&results, 41);
        assert_eq!(String::from_utf8(bytes).unwrap(), expected);
    }

    #[test]
    fn text_fields_are_quoted_as_the_csv_crate_quotes_them() {
        for field in [
            "",
            "plain",
            "a, b",
            "say \"hi\"",
            "\"",
            "line\nbreak",
            "carriage\rreturn",
            "tab\there",
            "semicolon; colon: (parens)",
        ] {
            let mut ours = Vec::new();
            push_field(&mut ours, field.as_bytes());
            ours.push(b'\n');
            let mut writer = csv::Writer::from_writer(Vec::new());
            // Two fields, so the crate does not quote a lone empty field.
            writer.write_record([field, ""]).unwrap();
            let mut theirs = writer.into_inner().unwrap();
            theirs.truncate(theirs.len() - 2);
            theirs.push(b'\n');
            assert_eq!(ours, theirs, "{field:?}");
        }
    }

    /// The formatter rows used before they were written into one buffer: the reference.
    fn format_cost(cost: f64) -> String {
        let text = format!("{cost:.6}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        if text.is_empty() {
            "0".to_string()
        } else {
            text.to_string()
        }
    }

    #[test]
    fn seconds_and_costs_read_as_the_shared_formatters_write_them() {
        let mut row = RowBuffer::default();
        for micros in [
            0,
            1,
            10,
            999_999,
            1_000_000,
            1_000_001,
            1_500_000,
            123_456_789,
            u64::MAX,
        ] {
            row.bytes.clear();
            row.seconds(micros);
            assert_eq!(row.bytes, format_seconds(micros).as_bytes(), "{micros}");
        }
        for cost in [
            0.0,
            1e-7,
            0.5,
            1.0,
            10.0,
            0.020985,
            123.4567891,
            1e12,
            -0.25,
        ] {
            row.bytes.clear();
            row.cost(cost);
            assert_eq!(row.bytes, format_cost(cost).as_bytes(), "{cost}");
        }
        for value in [0, 9, 10, 4_294_967_295, u64::MAX] {
            let mut bytes = Vec::new();
            push_integer(&mut bytes, value);
            assert_eq!(bytes, value.to_string().as_bytes());
        }
    }
}

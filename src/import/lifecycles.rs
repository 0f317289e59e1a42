//! Observed durations from task lifecycles: `aws ecs describe-tasks` or
//! `kubectl get pods -o json`, one sample list per scenario duration key.

use serde_json::Value;

use super::source::{Document, ImportError, Node};

/// The durations observed for one scenario key.
#[derive(Clone, Debug, PartialEq)]
pub struct Samples {
    /// The scenario key they fit (`launch.image_pull`).
    pub key: &'static str,
    /// Which timestamps they span (`pullStartedAt -> pullStoppedAt`).
    pub span: &'static str,
    /// Seconds, in input order.
    pub seconds: Vec<f64>,
}

/// Everything read from one lifecycle file.
#[derive(Clone, Debug, PartialEq)]
pub struct Observed {
    /// "aws ecs describe-tasks" or "kubectl get pods".
    pub kind: &'static str,
    /// Tasks or pods in the file.
    pub count: usize,
    pub samples: Vec<Samples>,
    /// Keys to write alongside the fitted ones (`launch.start = "0s"` for pods).
    pub fixed: Vec<(&'static str, &'static str, &'static str)>,
    /// Tasks or pods left out, and why.
    pub skipped: Vec<String>,
}

impl Observed {
    fn push(&mut self, key: &'static str, span: &'static str, seconds: f64) {
        match self.samples.iter_mut().find(|s| s.key == key) {
            Some(s) => s.seconds.push(seconds),
            None => self.samples.push(Samples {
                key,
                span,
                seconds: vec![seconds],
            }),
        }
    }
}

/// Reads a lifecycle file: ECS tasks (`tasks`) or Kubernetes pods (`items`).
pub fn observe(doc: &Document) -> Result<Observed, ImportError> {
    let root = doc.node();
    if root.get("tasks").is_present() {
        ecs_tasks(&root.get("tasks"))
    } else if root.get("items").is_present() {
        pods(&root.get("items"))
    } else {
        Err(ImportError {
            file: doc.file.clone(),
            path: None,
            message: "holds neither `tasks` (the output of `aws ecs describe-tasks`) nor `items` (the output of `kubectl get pods -o json`)".to_string(),
        })
    }
}

/// Seconds since 1970 of an ISO-8601 timestamp as the AWS CLI and kubectl print it
/// (`2024-05-01T12:00:03.123000+00:00`, `2024-05-01T12:00:03Z`), or of a number (the
/// CLI's `cli_timestamp_format = wire`: epoch seconds).
pub fn parse_timestamp(text: &str) -> Option<f64> {
    let text = text.trim();
    let bytes = text.as_bytes();
    if bytes.len() < 19 {
        return None;
    }
    let digits = |from: usize, to: usize| -> Option<i64> {
        let part = text.get(from..to)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    if bytes[4] != b'-' || bytes[7] != b'-' || !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    if bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    let (year, month, day) = (digits(0, 4)?, digits(5, 7)?, digits(8, 10)?);
    let (hour, minute, second) = (digits(11, 13)?, digits(14, 16)?, digits(17, 19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &text[19..];
    let mut fraction = 0.0;
    if let Some(after) = rest.strip_prefix('.') {
        let end = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        if end == 0 {
            return None;
        }
        fraction = format!("0.{}", &after[..end]).parse().ok()?;
        rest = &after[end..];
    }
    let offset_seconds = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let zone = rest[1..].replace(':', "");
            if zone.len() != 4 || !zone.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let hours: i64 = zone[..2].parse().ok()?;
            let minutes: i64 = zone[2..].parse().ok()?;
            sign * (hours * 3600 + minutes * 60)
        }
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_seconds;
    Some(seconds as f64 + fraction)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A timestamp field: absent is `None`; present but unreadable is an error.
fn timestamp(node: &Node) -> Result<Option<f64>, ImportError> {
    match node.value() {
        None => Ok(None),
        Some(Value::Number(n)) => n
            .as_f64()
            .filter(|v| v.is_finite())
            .map(Some)
            .ok_or_else(|| node.error("expected a timestamp")),
        Some(Value::String(s)) => parse_timestamp(s).map(Some).ok_or_else(|| {
            node.error(format!(
                "expected an ISO-8601 timestamp such as \"2024-05-01T12:00:03.123000+00:00\", got \"{s}\""
            ))
        }),
        Some(other) => Err(node.error(format!("expected a timestamp, got {other}"))),
    }
}

/// `to - from` in seconds, or an error when the later stamp comes first.
fn span(from: &Node, to: &Node) -> Result<Option<f64>, ImportError> {
    match (timestamp(from)?, timestamp(to)?) {
        (Some(a), Some(b)) if b >= a => Ok(Some(b - a)),
        (Some(_), Some(_)) => Err(to.error(format!(
            "is earlier than {}; the timestamps are out of order",
            from.path()
        ))),
        _ => Ok(None),
    }
}

fn ecs_tasks(tasks: &Node) -> Result<Observed, ImportError> {
    let list = tasks
        .list()?
        .ok_or_else(|| tasks.error("expected a list of tasks"))?;
    let mut observed = Observed {
        kind: "aws ecs describe-tasks",
        count: list.len(),
        samples: Vec::new(),
        fixed: Vec::new(),
        skipped: Vec::new(),
    };
    for task in &list {
        if !task.is_object() {
            return Err(task.error("expected an object describing a task"));
        }
        let fargate = task.get("launchType").text()? == Some("FARGATE");
        let notice: (&'static str, &'static str) = if fargate {
            (
                "fargate.provisioning",
                "createdAt -> pullStartedAt (Fargate)",
            )
        } else {
            ("agent.latency", "createdAt -> pullStartedAt")
        };
        let pairs: [(&str, &str, &'static str, &'static str); 4] = [
            ("createdAt", "pullStartedAt", notice.0, notice.1),
            (
                "pullStartedAt",
                "pullStoppedAt",
                "launch.image_pull",
                "pullStartedAt -> pullStoppedAt",
            ),
            (
                "pullStoppedAt",
                "startedAt",
                "launch.start",
                "pullStoppedAt -> startedAt",
            ),
            (
                "stoppingAt",
                "executionStoppedAt",
                "draining.shutdown",
                "stoppingAt -> executionStoppedAt",
            ),
        ];
        for (from, to, key, what) in pairs {
            if let Some(seconds) = span(&task.get(from), &task.get(to))? {
                observed.push(key, what, seconds);
            }
        }
    }
    Ok(observed)
}

fn condition_time<'a>(pod: &Node<'a>, kind: &str) -> Result<Option<Node<'a>>, ImportError> {
    for condition in pod
        .get("status")
        .get("conditions")
        .list()?
        .unwrap_or_default()
    {
        if condition.get("type").text()? == Some(kind)
            && condition.get("status").text()? == Some("True")
        {
            return Ok(Some(condition.get("lastTransitionTime")));
        }
    }
    Ok(None)
}

fn pods(items: &Node) -> Result<Observed, ImportError> {
    let list = items
        .list()?
        .ok_or_else(|| items.error("expected a list of pods"))?;
    let mut observed = Observed {
        kind: "kubectl get pods",
        count: list.len(),
        samples: Vec::new(),
        fixed: vec![(
            "launch.start",
            "0s",
            "kubectl shows no pull/start boundary: the pull and start are fitted together as launch.image_pull",
        )],
        skipped: Vec::new(),
    };
    for pod in &list {
        if !pod.is_object() {
            return Err(pod.error("expected an object describing a pod"));
        }
        let created = pod.get("metadata").get("creationTimestamp");
        let scheduled = condition_time(pod, "PodScheduled")?;
        let ready = condition_time(pod, "Ready")?;
        let status = pod.get("status").get("containerStatuses").at(0);
        let restarts = status.get("restartCount").whole(0, u64::MAX)?.unwrap_or(0);
        let started = status.get("state").get("running").get("startedAt");
        if let Some(scheduled) = &scheduled
            && let Some(v) = span(&created, scheduled)?
        {
            observed.push("scheduler.reaction", "creationTimestamp -> PodScheduled", v);
        }
        if restarts > 0 {
            observed.skipped.push(format!(
                "{}: restarted {restarts} time(s), so its start and Ready times are not its first",
                pod.path()
            ));
            continue;
        }
        if let Some(scheduled) = &scheduled
            && let Some(v) = span(scheduled, &started)?
        {
            observed.push(
                "launch.image_pull",
                "PodScheduled -> containerStatuses[0].state.running.startedAt",
                v,
            );
        }
        if let Some(ready) = &ready
            && let Some(v) = span(&started, ready)?
        {
            observed.push("launch.warmup", "container started -> Ready", v);
        }
    }
    Ok(observed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_as_the_cli_prints_them() {
        // 2024-05-01T00:00:00Z is 19844 days after 1970-01-01: 1,714,521,600 s.
        assert_eq!(
            parse_timestamp("2024-05-01T00:00:00Z"),
            Some(1_714_521_600.0)
        );
        assert_eq!(
            parse_timestamp("2024-05-01T02:00:03.250000+02:00"),
            Some(1_714_521_603.25)
        );
        assert_eq!(
            parse_timestamp("2024-04-30T17:00:00-07:00"),
            Some(1_714_521_600.0)
        );
        assert_eq!(
            parse_timestamp("2024-05-01 00:00:00+0000"),
            Some(1_714_521_600.0)
        );
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(parse_timestamp("2024-13-01T00:00:00Z"), None);
        assert_eq!(parse_timestamp("2024-05-01T00:00:00.Z"), None);
    }
}

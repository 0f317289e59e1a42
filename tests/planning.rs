//! `plan`, `compare` and `sweep`: what the planning commands must show (issue 3).
//!
//! Library-level checks drive `experiment::{plan, compare, sweep}` directly; the rest run
//! the real binary and read its JSON, so they check exactly what a user sees.

mod common;

use common::{deploysim, scenario_path};

use deploysim::commands::StepLog;
use deploysim::experiment::compare::{compare, compare_results};
use deploysim::experiment::{RunSettings, run_replications};
use deploysim::model::{Detail, Params, StepKind, World};
use deploysim::scenario::{Override, Scenario, load};
use serde_json::Value;

fn scenario(name: &str, overrides: &[&str]) -> Scenario {
    let overrides: Vec<Override> = overrides
        .iter()
        .map(|o| Override::parse(o).unwrap())
        .collect();
    load(&scenario_path(name), &overrides).unwrap_or_else(|e| panic!("{e}"))
}

fn settings(runs: u32, seed: u64) -> RunSettings {
    RunSettings {
        runs,
        seed,
        threads: None,
        progress: false,
    }
}

fn json(args: &[&str]) -> (Value, tempfile::TempDir) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (output, out) = deploysim(&all);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (serde_json::from_slice(&output.stdout).unwrap(), out)
}

// ---------------------------------------------------------------------------------------
// compare

/// A scenario compared with itself differs by exactly nothing: every pair ties.
#[test]
fn compare_of_a_scenario_with_itself_is_exactly_zero() {
    // ecs-blog, plus a variant where bad tasks and a short horizon leave runs unfinished,
    // so the rules for runs that did not complete are exercised too.
    for s in [
        scenario("ecs-blog.toml", &[]),
        scenario(
            "event-agent.toml",
            &["failures.bad_task_probability=0.3", "simulation.horizon=6m"],
        ),
    ] {
        let (_, _, c) = compare(&s, &s.clone(), settings(400, 3)).unwrap();
        let mean = c.deploy_seconds_mean.as_ref().unwrap();
        assert_eq!(mean.diff, 0.0);
        assert_eq!((mean.ci_low, mean.ci_high), (Some(0.0), Some(0.0)));
        for q in [&c.deploy_seconds_p50, &c.deploy_seconds_p95] {
            if q.a.is_some() {
                assert_eq!(q.diff, Some(0.0));
                assert_eq!((q.ci_low, q.ci_high), (Some(0.0), Some(0.0)));
            } else {
                assert_eq!((q.a, q.b, q.diff), (None, None, None));
            }
        }
        assert_eq!(c.finished_first.ties, 400);
        assert_eq!(c.finished_first.b_first, 0);
        for m in [
            &c.min_healthy,
            &c.deficit_task_seconds,
            &c.host_seconds_extra,
        ] {
            let m = m.as_ref().unwrap();
            assert_eq!(m.diff, 0.0);
            assert_eq!((m.ci_low, m.ci_high), (Some(0.0), Some(0.0)));
        }
        assert_eq!(c.outcomes_a, c.outcomes_b);
    }
    // The variant really has unfinished runs.
    let s = scenario(
        "event-agent.toml",
        &["failures.bad_task_probability=0.3", "simulation.horizon=6m"],
    );
    let results = run_replications(&s, settings(400, 3)).unwrap();
    assert!(
        results
            .iter()
            .any(|r| r.outcome != deploysim::model::Outcome::Completed)
    );

    // And through the binary, with two copies of the same file.
    let (doc, _out) = json(&["compare", "ecs-blog.toml", "ecs-blog.toml", "--runs", "200"]);
    assert_eq!(doc["deploy_seconds_mean"]["diff"], 0.0);
    assert_eq!(doc["deploy_seconds_p95"]["diff"], 0.0);
    assert_eq!(doc["finished_first"]["ties"], 200);
}

/// The `pull` stream is the `pull` stream, whatever the agent does: switching only
/// `agent.mode` changes when pulls start, never what they draw. With five spare hosts in
/// ecs-blog every new task gets its own empty host, so every pull is a full pull and the
/// i-th pull of a replication must take the same time in both modes.
#[test]
fn agent_mode_leaves_every_pull_draw_unchanged() {
    let event = scenario("ecs-blog.toml", &["cluster.spare_hosts=5"]);
    let polling = scenario(
        "ecs-blog.toml",
        &["cluster.spare_hosts=5", "agent.mode=polling"],
    );
    let pulls = |s: &Scenario, replication: u64| {
        let mut log = StepLog::default();
        let result = World::new(Params::new(s)).run(1, replication, &mut log);
        let pulls: Vec<(bool, u64)> = log
            .steps
            .iter()
            .filter(|step| step.kind == StepKind::PullStarted)
            .map(|step| match step.detail {
                Detail::Pull { cached, takes } => (cached, takes.micros()),
                other => panic!("a pull step with {other:?}"),
            })
            .collect();
        (result, pulls)
    };
    let mut differing_runs = 0;
    for replication in 0..200 {
        let (event_result, event_pulls) = pulls(&event, replication);
        let (polling_result, polling_pulls) = pulls(&polling, replication);
        assert_eq!(event_pulls.len(), 5, "one pull per new task");
        assert!(event_pulls.iter().all(|(cached, _)| !cached));
        assert!(polling_pulls.iter().all(|(cached, _)| !cached));
        assert_eq!(
            event_pulls, polling_pulls,
            "replication {replication}: pull draws moved"
        );
        if event_result.deploy != polling_result.deploy {
            differing_runs += 1;
        }
    }
    // The modes did change the runs: the test is not vacuous.
    assert!(differing_runs > 190, "{differing_runs}");
}

/// The must-show comparison: a polling agent is slower than a pushed one, and the
/// intervals say so clearly.
#[test]
fn polling_agent_is_slower_than_event_agent() {
    let (doc, out) = json(&["compare", "event-agent.toml", "polling-agent.toml"]);
    let mean = &doc["deploy_seconds_mean"];
    assert!(mean["diff"].as_f64().unwrap() > 30.0, "{mean}");
    assert!(mean["ci_low"].as_f64().unwrap() > 0.0, "{mean}");
    for q in ["deploy_seconds_p50", "deploy_seconds_p95"] {
        assert!(doc[q]["ci_low"].as_f64().unwrap() > 0.0, "{}", doc[q]);
    }
    assert!(doc["finished_first"]["share_b_first"].as_f64().unwrap() < 0.05);
    // One paired row per replication.
    let csv = std::fs::read_to_string(
        out.path()
            .join("event-agent-vs-polling-agent")
            .join("compare.csv"),
    )
    .unwrap();
    assert_eq!(csv.lines().count(), 1001);
    assert!(csv.starts_with("replication,a_outcome,b_outcome,a_deploy_seconds"));
    for chart in ["compare.svg", "compare.png"] {
        assert!(
            out.path()
                .join("event-agent-vs-polling-agent")
                .join(chart)
                .is_file(),
            "{chart}"
        );
    }
}

/// `--set-b` builds B from A; the paired results are those of two `run`s with the same seed.
#[test]
fn compare_pairs_replications_of_two_runs() {
    let a = scenario("ecs-blog.toml", &[]);
    let b = scenario("ecs-blog.toml", &["cluster.spare_hosts=5"]);
    let (results_a, results_b, c) = compare(&a, &b, settings(300, 9)).unwrap();
    assert_eq!(results_a, run_replications(&a, settings(300, 9)).unwrap());
    assert_eq!(results_b, run_replications(&b, settings(300, 9)).unwrap());
    assert_eq!(c, compare_results(&results_a, &results_b, 9));
    assert!(c.deploy_seconds_mean.unwrap().ci_high.unwrap() < -1200.0);
    let (doc, _out) = json(&[
        "compare",
        "ecs-blog.toml",
        "--set-b",
        "cluster.spare_hosts=5",
        "--runs",
        "300",
        "--seed",
        "9",
    ]);
    // serde_json reads floats to within an ulp, so compare to a nanosecond.
    let close = |json: &Value, value: Option<f64>| {
        assert!(
            (json.as_f64().unwrap() - value.unwrap()).abs() < 1e-9,
            "{json} {value:?}"
        )
    };
    close(
        &doc["deploy_seconds_p50"]["diff"],
        c.deploy_seconds_p50.diff,
    );
    close(
        &doc["deploy_seconds_p50"]["ci_low"],
        c.deploy_seconds_p50.ci_low,
    );
    close(
        &doc["deploy_seconds_p95"]["ci_high"],
        c.deploy_seconds_p95.ci_high,
    );
}

// ---------------------------------------------------------------------------------------
// plan

fn row_of(doc: &Value, value: i64) -> &Value {
    doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["value"] == value)
        .unwrap_or_else(|| panic!("no row for {value}: {doc}"))
}

/// On ecs-blog (p50 about 30 min with one spare host, 17m41s with two, 6m20s with five),
/// a 15-minute target at 95% needs three spare hosts; `run` at the answer shows the same
/// row, and one fewer host is not enough. A value that stopped early is `run` with
/// `--runs` its own count: replications `0..n` are the same whoever runs them.
#[test]
fn plan_answers_ecs_blog_and_run_confirms() {
    let (doc, out) = json(&["plan", "ecs-blog.toml", "--target", "15m"]);
    assert_eq!(doc["knob"], "cluster.spare_hosts");
    let answer = doc["answer"].as_i64().expect("an answer");
    assert_eq!(answer, 3);
    assert_eq!(doc["verdict"]["settled"], true);
    let row = row_of(&doc, answer).clone();
    // Every value tried has runs, share and interval.
    for r in doc["rows"].as_array().unwrap() {
        for field in ["runs", "within_target", "share", "ci_low", "ci_high"] {
            assert!(r[field].is_number(), "{r}");
        }
    }
    let csv =
        std::fs::read_to_string(out.path().join("ecs-blog").join("plan").join("plan.csv")).unwrap();
    assert!(csv.starts_with("value,runs,within_target,share,ci_low,ci_high"));
    assert_eq!(
        csv.lines().count(),
        1 + doc["rows"].as_array().unwrap().len()
    );
    for chart in ["plan.svg", "plan.png"] {
        assert!(
            out.path()
                .join("ecs-blog")
                .join("plan")
                .join(chart)
                .is_file(),
            "{chart}"
        );
    }

    for (value, enough) in [(answer, true), (answer - 1, false)] {
        let set = format!("cluster.spare_hosts={value}");
        let runs = row_of(&doc, value)["runs"].to_string();
        let (run, _out) = json(&[
            "run",
            "ecs-blog.toml",
            "--set",
            &set,
            "--set",
            "simulation.target=15m",
            "--runs",
            &runs,
        ]);
        let target = &run["summary"]["target"];
        let row = row_of(&doc, value);
        assert_eq!(target["within"], row["within_target"]);
        assert_eq!(target["runs"], row["runs"]);
        assert_eq!(target["share"], row["share"]);
        assert_eq!(target["ci_low"], row["ci_low"]);
        assert_eq!(target["ci_high"], row["ci_high"]);
        assert_eq!(run["summary"]["deploy_seconds"], row["deploy_seconds"]);
        assert_eq!(target["share"].as_f64().unwrap() >= 0.95, enough);
    }
    assert_eq!(row["share"], 1.0);
}

/// The answer's row equals `run --set knob=answer` with the same seed and the row's runs,
/// for a knob other than spare hosts too.
#[test]
fn plan_row_equals_run_for_any_knob() {
    let (doc, _out) = json(&[
        "plan",
        "ecs-blog.toml",
        "--knob",
        "deployment.maximum_percent",
        "--set",
        "cluster.spare_hosts=5",
        "--target",
        "12m",
        "--confidence",
        "0.9",
        "--runs",
        "300",
        "--seed",
        "11",
    ]);
    let answer = doc["answer"].as_i64().expect("an answer");
    assert!((100..=200).contains(&answer), "{answer}");
    let set = format!("deployment.maximum_percent={answer}");
    let runs = row_of(&doc, answer)["runs"].to_string();
    let (run, _out) = json(&[
        "run",
        "ecs-blog.toml",
        "--set",
        "cluster.spare_hosts=5",
        "--set",
        &set,
        "--set",
        "simulation.target=12m",
        "--runs",
        &runs,
        "--seed",
        "11",
    ]);
    let row = row_of(&doc, answer);
    let target = &run["summary"]["target"];
    assert_eq!(target["within"], row["within_target"]);
    assert_eq!(target["ci_low"], row["ci_low"]);
    assert_eq!(run["summary"]["deploy_seconds"], row["deploy_seconds"]);
}

/// A target below what any number of hosts can reach: no answer, the floor shown, and the
/// reason in words.
#[test]
fn plan_below_the_floor_has_no_answer_and_says_why() {
    let (doc, _out) = json(&["plan", "ecs-blog.toml", "--target", "5m"]);
    assert!(doc["answer"].is_null(), "{doc}");
    let floor = &doc["floor"];
    assert_eq!(floor["spare_hosts"], 5);
    assert_eq!(floor["row"]["within_target"], 0);
    let bound = doc["lower_bound"]["seconds"].as_f64().unwrap();
    // The first new task: 2 s start, 10 s warm-up (longer than a 0.5 s report and a first
    // check that may come at once), and one passing check is enough for a newly
    // registered target; then an old task's stop: 300 s draining, 2 s shutdown, 0.5 s
    // report. 12 s + 302.5 s.
    assert!((bound - 314.5).abs() < 1e-9, "{bound}");
    let notes: Vec<&str> = doc["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    let all = notes.join("\n");
    assert!(all.contains("no answer"), "{all}");
    assert!(all.contains("more hosts cannot beat this"), "{all}");
    assert!(
        all.contains("below it, so no number of hosts can meet it"),
        "{all}"
    );

    // The text says the same.
    let (output, _out) = deploysim(&["plan", "ecs-blog.toml", "--target", "5m"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("no answer"), "{text}");
    assert!(text.contains("floor (simulated)"), "{text}");
}

/// When the decisive interval straddles the confidence, the plan says so and how many runs
/// would settle it.
#[test]
fn plan_says_when_it_is_not_settled() {
    // With five spare hosts about 95% of ecs-blog deploys finish within 7m10s.
    let (doc, _out) = json(&["plan", "ecs-blog.toml", "--target", "7m10s"]);
    assert_eq!(doc["verdict"]["settled"], false, "{doc}");
    assert!(doc["verdict"]["runs_to_settle"].as_u64().unwrap() > 1000);
    let notes = doc["notes"].to_string();
    assert!(notes.contains("NOT SETTLED"), "{notes}");
}

// ---------------------------------------------------------------------------------------
// sweep

/// Each point of a sweep is exactly `run` at that point with the same seed: the same
/// summary, statistic for statistic.
#[test]
fn sweep_points_are_runs_with_the_same_seed() {
    let (doc, out) = json(&[
        "sweep",
        "ecs-blog.toml",
        "--vary",
        "cluster.spare_hosts=1..5:2",
        "--vary",
        "draining.deregistration_delay=60s,uniform(60s, 300s)",
        "--set",
        "cluster.host_hourly_cost=0.1",
        "--runs",
        "200",
    ]);
    let points = doc["points"].as_array().unwrap();
    assert_eq!(points.len(), 6);
    assert_eq!(points[3]["values"]["cluster.spare_hosts"], "3");
    assert_eq!(
        points[3]["values"]["draining.deregistration_delay"],
        "uniform(60s, 300s)"
    );
    let (run, _out2) = json(&[
        "run",
        "ecs-blog.toml",
        "--set",
        "cluster.host_hourly_cost=0.1",
        "--set",
        "cluster.spare_hosts=3",
        "--set",
        "draining.deregistration_delay=uniform(60s, 300s)",
        "--runs",
        "200",
    ]);
    assert_eq!(points[3]["summary"], run["summary"]);
    assert!(run["summary"]["cost"]["mean"].as_f64().unwrap() > 0.0);

    let csv = std::fs::read_to_string(out.path().join("ecs-blog").join("sweep").join("sweep.csv"))
        .unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    let outcomes: Vec<&str> = deploysim::model::Outcome::ALL
        .iter()
        .map(|o| o.name())
        .collect();
    assert!(header.starts_with(&format!(
        "cluster.spare_hosts,draining.deregistration_delay,runs,{},target_seconds,",
        outcomes.join(",")
    )));
    for column in ["deploy_seconds_p95", "host_seconds_extra_mean", "cost_mean"] {
        assert!(header.split(',').any(|c| c == column), "{column}");
    }
    assert_eq!(lines.count(), 6);
    for chart in ["sweep.svg", "sweep.png"] {
        assert!(
            out.path()
                .join("ecs-blog")
                .join("sweep")
                .join(chart)
                .is_file(),
            "{chart}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// bad input

/// Bad flags are refused with status 2 and a message naming the flag and what is allowed.
#[test]
fn bad_planning_flags_are_refused() {
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["plan", "ecs-blog.toml", "--knob", "agent.mode"],
            &[
                "--knob agent.mode",
                "not an integer key",
                "cluster.spare_hosts",
            ],
        ),
        (
            &["plan", "ecs-blog.toml", "--knob", "cluster.nope"],
            &["--knob cluster.nope", "not a key"],
        ),
        (
            &["plan", "ecs-blog.toml", "--confidence", "1.5"],
            &["--confidence", "between 0 and 1"],
        ),
        (
            &["plan", "ecs-blog.toml", "--target", "ten minutes"],
            &["--target", "duration"],
        ),
        (
            &["plan", "event-agent.toml", "--knob", "cluster.host.cpu"],
            &["--max", "required"],
        ),
        (
            &[
                "plan",
                "ecs-blog.toml",
                "--knob",
                "simulation.seed",
                "--max",
                "3",
            ],
            &[
                "--knob simulation.seed",
                "not the deployment",
                "cluster.spare_hosts",
            ],
        ),
        (
            &[
                "plan",
                "ecs-blog.toml",
                "--knob",
                "service.desired",
                "--max",
                "9",
            ],
            &[
                "--knob service.desired",
                "not a capacity or deployment setting",
            ],
        ),
        (
            &["plan", "ecs-blog.toml", "--target", "p95<soon"],
            &["--target p95<soon", "p95<15m"],
        ),
        (
            &[
                "plan",
                "ecs-blog.toml",
                "--target",
                "p95<15m",
                "--confidence",
                "0.9",
            ],
            &["--confidence 0.9", "95%"],
        ),
        (
            &["plan", "ecs-blog.toml", "--min", "4", "--max", "2"],
            &["--max 2", "below --min 4"],
        ),
        (
            &[
                "plan",
                "ecs-blog.toml",
                "--knob",
                "cluster.zones",
                "--max",
                "65",
            ],
            &["--max", "cluster.zones", "64"],
        ),
        (
            &["plan", "ecs-blog.toml", "--runs", "0"],
            &["--runs", "at least 1"],
        ),
        (
            &["compare", "ecs-blog.toml"],
            &["--set-b", "second scenario"],
        ),
        (
            &[
                "compare",
                "ecs-blog.toml",
                "--set-b",
                "agent.mode=sometimes",
            ],
            &["--set-b", "agent.mode"],
        ),
        (
            &["compare", "ecs-blog.toml", "--set-b", "nokey"],
            &["--set-b nokey", "key=value"],
        ),
        (
            &[
                "sweep",
                "ecs-blog.toml",
                "--vary",
                "cluster.spare_hosts=5..1",
            ],
            &["--vary", "empty"],
        ),
        (
            &["sweep", "ecs-blog.toml", "--vary", "cluster.spare_hosts"],
            &["--vary", "key=values"],
        ),
        (
            &[
                "sweep",
                "ecs-blog.toml",
                "--vary",
                "deployment.maximum_percent=50,200",
            ],
            &[
                "--vary",
                "deployment.maximum_percent=50",
                "between 100 and 1000",
            ],
        ),
        (
            &[
                "sweep",
                "ecs-blog.toml",
                "--vary",
                "cluster.spare_hosts=1,2",
                "--vary",
                "cluster.spare_hosts=3",
            ],
            &["varied twice"],
        ),
    ];
    for (args, words) in cases {
        let (output, _out) = deploysim(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        for word in *words {
            assert!(stderr.contains(word), "{args:?}: {stderr} lacks {word}");
        }
    }
}

/// Thread count changes nothing, bootstrap intervals included.
#[test]
fn planning_outputs_do_not_depend_on_threads() {
    let strip = |mut v: Value| {
        v["run"]["command"] = Value::Null;
        v
    };
    for args in [
        &[
            "compare",
            "event-agent.toml",
            "polling-agent.toml",
            "--runs",
            "300",
        ][..],
        &["plan", "ecs-blog.toml", "--target", "20m", "--runs", "300"][..],
        &[
            "sweep",
            "ecs-blog.toml",
            "--vary",
            "cluster.spare_hosts=1..3",
            "--runs",
            "300",
        ][..],
    ] {
        let one: Vec<&str> = args.iter().copied().chain(["--threads", "1"]).collect();
        let two: Vec<&str> = args.iter().copied().chain(["--threads", "2"]).collect();
        assert_eq!(strip(json(&one).0), strip(json(&two).0), "{args:?}");
    }
}

#[test]
fn the_section_10_example_plans_to_three_spares() {
    // docs/model.md section 10: 105 s with one spare host, 35 s with three (all at once). A
    // 60 s target is met by three spares and not by two.
    let text = common::SECTION_10;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("section-10.toml");
    std::fs::write(&path, text).unwrap();
    let path = path.display().to_string();
    let (doc, _out) = json(&["plan", &path, "--target", "60s", "--runs", "20"]);
    assert_eq!(doc["answer"], 3);
    assert_eq!(row_of(&doc, 2)["within_target"], 0);
    assert_eq!(row_of(&doc, 3)["within_target"], 20);
    assert_eq!(doc["max"], 3);
}

/// The analytic lower bound is never beaten, and is exact where the model has no
/// randomness and every new task starts at once (docs/model.md section 10 with three spares:
/// 10 s pull + 5 s to a second check, then 20 s draining = 35 s).
#[test]
fn the_lower_bound_is_never_beaten() {
    use deploysim::experiment::plan::LowerBound;
    let exact = common::section_10(&["cluster.spare_hosts=3"]);
    let bound = LowerBound::of(&Params::new(&exact)).seconds;
    assert_eq!(bound, 35.0);
    assert_eq!(
        deploysim::model::run_once(&exact, 1, 0)
            .deploy
            .as_secs_f64(),
        35.0
    );
    let cases: &[(&str, &[&str])] = &[
        ("ecs-blog.toml", &["cluster.spare_hosts=5"]),
        (
            "ecs-blog.toml",
            &["cluster.spare_hosts=5", "agent.mode=polling"],
        ),
        (
            "ecs-blog.toml",
            &[
                "deployment.minimum_healthy_percent=0",
                "scheduler.mode=periodic",
            ],
        ),
        (
            "event-agent.toml",
            &["cluster.spare_hosts=5", "launch.warmup=0s"],
        ),
        ("three-zone-service.toml", &["cluster.spare_hosts=50"]),
        ("prewarm-vs-autoscale/autoscale.toml", &[]),
        (
            "ecs-blog.toml",
            &["cluster.spare_hosts=5", "failures.host_failure_rate=3"],
        ),
        (
            "ecs-blog.toml",
            &[
                "deployment.minimum_healthy_percent=0",
                "failures.host_failure_rate=3",
                "failures.start_failure_probability=0.2",
            ],
        ),
    ];
    for (name, overrides) in cases {
        let s = scenario(name, overrides);
        let bound = LowerBound::of(&Params::new(&s)).seconds;
        let fastest = run_replications(&s, settings(300, 5))
            .unwrap()
            .iter()
            .filter(|r| r.outcome == deploysim::model::Outcome::Completed)
            .map(|r| r.deploy.as_secs_f64())
            .fold(f64::INFINITY, f64::min);
        assert!(fastest.is_finite(), "{name} {overrides:?}: none completed");
        assert!(
            fastest >= bound,
            "{name} {overrides:?}: {fastest} < {bound}"
        );
    }
}

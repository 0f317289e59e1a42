//! Issue 12, the questions and the costs: daily costs, the instance table, `plan
//! --maximize` and percentile targets, `cheapest`, `run --require` and the pre-flight
//! check. Library checks drive the modules; the exit-code checks run the real binary.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{SECTION_10, scenario_from, section_10};
use deploysim::engine::SimDuration;
use deploysim::experiment::costs::DailyCost;
use deploysim::experiment::{RunSettings, run_replications};

fn settings(runs: u32) -> RunSettings {
    RunSettings {
        runs,
        seed: 1,
        threads: None,
        progress: false,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * b.abs().max(1.0)
}

// ---------------------------------------------------------------- costs

/// Section 10 with one spare host deploys in exactly 105 s (docs/model.md's worked example).
/// At 2.00 per host-hour and 4 deploys a day:
/// - per deploy: 1 spare x 105 s = 105/3600 host-hours = 0.0291667 h -> 0.0583333;
/// - per day: the spare is up all day, 1 x 24 = 24 host-hours -> 48.00, whatever the
///   number of deploys (no scaled-out hosts);
/// - per month: 48 x 730 / 24 = 1460;
/// - whole cluster: (3 + 1) x 24 = 96 host-hours -> 192.00 a day.
#[test]
fn spare_hosts_are_paid_all_day() {
    let scenario = section_10(&[
        "cluster.host_hourly_cost=2.0",
        "cluster.deploys_per_day=4",
        "cluster.currency=\"EUR\"",
    ]);
    let results = run_replications(&scenario, settings(3)).unwrap();
    assert!(
        results
            .iter()
            .all(|r| r.deploy == SimDuration::from_secs(105))
    );
    let costs = DailyCost::of(&scenario, &results);
    assert!(close(costs.per_deploy_host_hours, 105.0 / 3600.0));
    assert!(close(costs.per_deploy.unwrap(), 2.0 * 105.0 / 3600.0));
    assert_eq!(costs.scaled_host_hours_per_deploy, 0.0);
    assert!(close(costs.extra_host_hours_per_day, 24.0));
    assert!(close(costs.extra_daily.unwrap(), 48.0));
    assert!(close(costs.extra_monthly.unwrap(), 1460.0));
    assert!(close(costs.cluster_daily.unwrap(), 192.0));
    assert_eq!(costs.money(48.0), "48.00 EUR");
}

/// Scaled-out hosts are paid only while they run, on each deploy: one spare host, a
/// deploy of exactly 1 h and 3 h of extra host time in it (1 h for the spare, so 2 h for
/// hosts launched by scaling), 3 deploys a day -> 24 + 3 x 2 = 30 extra host-hours a day.
#[test]
fn scaled_out_hosts_are_paid_per_deploy() {
    let scenario = section_10(&["cluster.host_hourly_cost=1.0", "cluster.deploys_per_day=3"]);
    let mut results = run_replications(&scenario, settings(2)).unwrap();
    for r in &mut results {
        r.deploy = SimDuration::from_secs(3600);
        r.host_micros_extra = 3 * 3_600_000_000;
    }
    let costs = DailyCost::of(&scenario, &results);
    assert!(close(costs.scaled_host_hours_per_deploy, 2.0));
    assert!(close(costs.extra_host_hours_per_day, 30.0));
    assert!(close(costs.extra_daily.unwrap(), 30.0));
    assert!(close(costs.per_deploy.unwrap(), 3.0));
}

/// The case: per deploy, ten spare hosts can look cheaper than nine because they
/// finish sooner; per day they never can, since each spare is paid 24 h.
#[test]
fn ten_spare_hosts_are_never_cheaper_than_nine_per_day() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ecs-blog.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let daily = |spares: u32| {
        let scenario = scenario_from(
            &text,
            &[
                &format!("cluster.spare_hosts={spares}"),
                "cluster.host_hourly_cost=0.1",
            ],
        );
        let results = run_replications(&scenario, settings(50)).unwrap();
        DailyCost::of(&scenario, &results).extra_daily.unwrap()
    };
    let (nine, ten) = (daily(9), daily(10));
    assert!(close(nine, 9.0 * 24.0 * 0.1) && close(ten, 10.0 * 24.0 * 0.1));
    assert!(ten > nine);
}

/// `cluster.instance_type` fills host CPU (4 vCPU x 1024), registered memory (94% of
/// 16 GiB = 15,400 MiB) and the price (0.192 USD/h, us-east-1 Linux on-demand); explicit
/// keys win; an unknown type names the families.
#[test]
fn instance_types_fill_the_host_and_its_price() {
    let without_host = SECTION_10.replace("host = { cpu = 1024, memory = 4096 }\n", "");
    let with_type =
        without_host.replace("[cluster]\n", "[cluster]\ninstance_type = \"m5.xlarge\"\n");
    let s = scenario_from(&with_type, &[]);
    assert_eq!(
        (s.cluster.host.unwrap().cpu, s.cluster.host.unwrap().memory),
        (4096, 15_400)
    );
    assert_eq!(s.cluster.host_hourly_cost, Some(0.192));
    assert_eq!(s.cluster.currency, "USD");
    let s = scenario_from(
        &with_type,
        &["cluster.host_hourly_cost=0.15", "cluster.host.memory=16000"],
    );
    assert_eq!(
        (s.cluster.host.unwrap().cpu, s.cluster.host.unwrap().memory),
        (4096, 16_000)
    );
    assert_eq!(s.cluster.host_hourly_cost, Some(0.15));
    let error = deploysim::scenario::from_text(
        &with_type,
        "t.toml",
        Path::new("."),
        &[deploysim::scenario::Override::parse("cluster.instance_type=m5.metal").unwrap()],
    )
    .unwrap_err();
    assert_eq!(error.key.as_deref(), Some("cluster.instance_type"));
    assert!(error.message.contains("known families"), "{error}");
    // The table's prices are in USD: another currency needs an explicit price.
    let error = deploysim::scenario::from_text(
        &with_type,
        "t.toml",
        Path::new("."),
        &[deploysim::scenario::Override::parse("cluster.currency=EUR").unwrap()],
    )
    .unwrap_err();
    assert!(
        error
            .message
            .contains("set cluster.host_hourly_cost in EUR"),
        "{error}"
    );
}

// ---------------------------------------------------------------- the binary

fn binary(args: &[&str]) -> (Output, tempfile::TempDir) {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_deploysim"))
        .args(args)
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    (output, out)
}

fn scenario_file(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("s.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

// ---------------------------------------------------------------- plan --maximize

/// Section 10 (D = 3, one spare host) with MIN = ceil(3 x percent / 100):
/// - percent 67..100 -> MIN = 3: the worked example, 105 s;
/// - percent 34..66 -> MIN = 2: t=0 stops old task 0 and places new task 1 on the spare
///   (no room for a second); 1 healthy at 15 -> stop old 1; old 0 reported at 20 -> new 2
///   on host 0, healthy at 35; old 1 reported at 35 -> stop old 2, new 3 on host 1,
///   healthy at 50; old 2 reported at 55: 55 s.
///
/// With a target of 80 s the highest minimum_healthy_percent that meets it is 66 (the
/// largest with MIN = 2), and 67 does not.
#[test]
fn plan_maximize_finds_the_highest_minimum_healthy_percent() {
    use deploysim::experiment::plan::{PlanSettings, maximize};
    let build = |value: i64| -> anyhow::Result<deploysim::scenario::Scenario> {
        Ok(section_10(&[&format!(
            "deployment.minimum_healthy_percent={value}"
        )]))
    };
    let plan = maximize(
        &build,
        &PlanSettings {
            knob: "deployment.minimum_healthy_percent".into(),
            target_seconds: 80.0,
            confidence: 0.95,
            min: 0,
            max: 100,
            runs: 4,
            seed: 1,
            threads: Some(1),
            all_runs: false,
        },
    )
    .unwrap();
    assert!(plan.maximize);
    assert_eq!(plan.answer, Some(66));
    let row = |v: i64| plan.rows.iter().find(|r| r.value == v).unwrap();
    assert_eq!(row(66).share, 1.0);
    assert_eq!(row(66).deploy_seconds.as_ref().unwrap().max, 55.0);
    assert_eq!(row(67).share, 0.0);
    assert_eq!(row(100).deploy_seconds.as_ref().unwrap().max, 105.0);
    assert!(plan.monotone);
    // Rows in increasing value, as for the minimising search.
    assert!(plan.rows.windows(2).all(|w| w[0].value < w[1].value));
}

/// The same question from the command line, with the target as a percentile: `p95<80s`
/// sets the share to 95%. With `p95<50s`, MIN = 2 (55 s) is too slow and MIN = 1
/// (percent 1..33; 35 s, checked by `run --set deployment.minimum_healthy_percent=33`)
/// meets it, so the answer is 33.
#[test]
fn plan_accepts_percentile_targets_and_maximize() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario_file(dir.path(), SECTION_10);
    let file = file.to_str().unwrap();
    let (output, _out) = binary(&[
        "plan",
        file,
        "--knob",
        "deployment.minimum_healthy_percent",
        "--maximize",
        "--target",
        "p95<80s",
        "--runs",
        "4",
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["answer"], 66);
    assert_eq!(doc["confidence"], 0.95);
    assert_eq!(doc["target_seconds"], 80.0);
    assert_eq!(doc["maximize"], true);
    let (output, _out) = binary(&[
        "plan",
        file,
        "--knob",
        "deployment.minimum_healthy_percent",
        "--maximize",
        "--target",
        "p95<50s",
        "--runs",
        "4",
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["answer"], 33);
}

// ---------------------------------------------------------------- run --require

/// Section 10 with one spare host completes every run in exactly 105 s (docs/model.md's worked
/// example), so `p95<2m` and `completed>=99%` hold and `p95<100s` does not; at 1.00 per
/// host-hour the always-on cost is 1 spare x 24 h = 24.00 a day.
#[test]
fn run_require_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario_file(dir.path(), SECTION_10);
    let file = file.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["run", file, "--runs", "5"];
        args.extend_from_slice(extra);
        binary(&args)
    };
    // Met: exit 0.
    let (output, _out) = run(&["--require", "p95<2m", "--require", "completed>=99%"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // Unmet: exit 1, one line per unmet requirement, the reports still written.
    let (output, out) = run(&[
        "--require",
        "p95<100s",
        "--require",
        "completed>=99%",
        "--require",
        "stuck>=1%",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(
        lines[0],
        "error: requirement not met: p95<100s: p95 of all runs is 1m45s; 0% of runs completed within 1m40s"
    );
    assert_eq!(
        lines[1],
        "error: requirement not met: stuck>=1%: stuck 0 of 5 runs = 0%"
    );
    assert!(out.path().join("section-10/summary.json").exists());
    // Costs: met and unmet, in the scenario's currency.
    let (output, _out) = run(&[
        "--set",
        "cluster.host_hourly_cost=1.0",
        "--require",
        "daily_cost<=24",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let (output, _out) = run(&[
        "--set",
        "cluster.host_hourly_cost=1.0",
        "--require",
        "daily_cost<20",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("always-on cost a day is 24.00 USD"));
    // Bad expressions and unpriced costs: exit 2 before simulating, with the forms.
    for (bad, words) in [
        ("p95 fast", "needs `<`"),
        ("fast<1m", "`fast` is not something a run can require"),
        ("completed>=101%", "not a share"),
        ("cost<=1", "hosts are not priced"),
    ] {
        let (output, out) = run(&["--require", bad]);
        assert_eq!(output.status.code(), Some(2), "{bad}");
        let text = stderr(&output);
        assert!(text.contains(words), "{bad}: {text}");
        assert!(
            !out.path().join("section-10").exists(),
            "{bad}: nothing simulated"
        );
    }
    let (output, _out) = run(&["--require", "fast"]);
    assert!(stderr(&output).contains("accepted: pQ<DURATION"));
}

// ---------------------------------------------------------------- pre-flight

use deploysim::experiment::preflight::{self, Severity};

/// The rules a scenario breaks, in order.
fn rules(scenario: &deploysim::scenario::Scenario) -> Vec<(&'static str, Severity)> {
    preflight::check(scenario)
        .into_iter()
        .map(|f| (f.rule, f.severity))
        .collect()
}

/// Every finding that says "cannot finish" is borne out by the simulation: all runs end
/// stuck at t = 0 (the check itself runs no replication).
fn stuck_at_zero(scenario: &deploysim::scenario::Scenario) {
    let results = run_replications(scenario, settings(3)).unwrap();
    for r in results {
        assert_eq!(r.outcome, deploysim::model::Outcome::Stuck);
        assert_eq!(r.deploy, SimDuration::ZERO);
    }
}

#[test]
fn preflight_passes_the_worked_example() {
    assert!(rules(&section_10(&[])).is_empty());
}

/// 100%/100% with D = 3: MIN = MAX = 3; no stop (3 - 1 < 3), no start (3 = MAX).
#[test]
fn preflight_min_and_max_allowing_neither() {
    let s = section_10(&["deployment.maximum_percent=100"]);
    assert_eq!(rules(&s), [("min_max", Severity::CannotFinish)]);
    stuck_at_zero(&s);
    // 120% of 3 = 3.6 rounds down to 3: the same deadlock, and the rounding named.
    let s = section_10(&["deployment.maximum_percent=120"]);
    let findings = preflight::check(&s);
    assert_eq!(findings[0].rule, "min_max");
    assert_eq!(findings[1].rule, "rounds_to_zero");
    assert!(
        findings[1]
            .message
            .contains("is 3.6 tasks, rounded down to MAX = 3")
    );
    stuck_at_zero(&s);
}

/// distinct_instance, 3 service hosts with room for several tasks each but none spare,
/// D = 3, MIN = 3: every host holds an old task, none may stop first.
#[test]
fn preflight_distinct_instance_with_too_few_hosts() {
    let s = section_10(&[
        "service.distinct_instance=true",
        "cluster.spare_hosts=0",
        "cluster.host.memory=40000",
    ]);
    assert_eq!(
        rules(&s),
        [("distinct_instance_hosts", Severity::CannotFinish)]
    );
    stuck_at_zero(&s);
    // Without distinct_instance the same hosts have room: nothing found.
    let s = section_10(&["cluster.spare_hosts=0", "cluster.host.memory=40000"]);
    assert!(rules(&s).is_empty());
    // One spare host is enough to start.
    let s = section_10(&[
        "service.distinct_instance=true",
        "cluster.host.memory=40000",
    ]);
    assert!(rules(&s).is_empty());
}

/// One task per host, no spare, MIN = D: no slot free at t = 0.
#[test]
fn preflight_no_room_for_the_first_new_task() {
    let s = section_10(&["cluster.spare_hosts=0"]);
    assert_eq!(rules(&s), [("no_room", Severity::CannotFinish)]);
    stuck_at_zero(&s);
    // Managed scaling that may add a host makes room later: nothing found.
    let s = section_10(&[
        "cluster.spare_hosts=0",
        "autoscaling.mode=managed",
        "autoscaling.max_hosts=4",
    ]);
    assert!(rules(&s).is_empty());
}

/// 90% of D = 3 is 2.7, rounded up to MIN = 3: a warning, and the deploy still finishes
/// (the worked example's 105 s, since MIN = 3 is what 100% gives).
#[test]
fn preflight_percent_that_rounds_away_its_slack() {
    let s = section_10(&["deployment.minimum_healthy_percent=90"]);
    let findings = preflight::check(&s);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].severity, Severity::Warning);
    assert!(
        findings[0]
            .message
            .contains("minimum_healthy_percent = 90 of D = 3 is 2.7 tasks, rounded up to MIN = 3"),
        "{}",
        findings[0].message
    );
    let results = run_replications(&s, settings(2)).unwrap();
    assert!(
        results
            .iter()
            .all(|r| r.deploy == SimDuration::from_secs(105))
    );
}

/// The bound for section 10: the fastest new task is healthy at 10 s pull + 0 start +
/// max(0 report + 0 first check, 0 warm-up) + (2 - 1) x 5 s = 15 s; with MIN >= 1 an old
/// task is then told to stop and takes 20 s draining + 0 + 0 + 0 = 20 s: 35 s, which is
/// the simulated time with three spare hosts. A 34 s target cannot be met; 35 s can.
#[test]
fn preflight_target_below_the_lower_bound() {
    let s = section_10(&["simulation.target=34s"]);
    let findings = preflight::check(&s);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].rule, "target_below_bound");
    assert!(
        findings[0]
            .message
            .contains("below the analytic lower bound 35s"),
        "{}",
        findings[0].message
    );
    assert!(rules(&section_10(&["simulation.target=35s"])).is_empty());
    let fastest = section_10(&["cluster.spare_hosts=3"]);
    let results = run_replications(&fastest, settings(2)).unwrap();
    assert!(
        results
            .iter()
            .all(|r| r.deploy == SimDuration::from_secs(35))
    );
}

/// `validate` prints the findings; `run` prints them on standard error before simulating
/// (and still simulates: the stuck runs are the evidence).
#[test]
fn validate_and_run_print_the_preflight() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario_file(dir.path(), SECTION_10);
    let file = file.to_str().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_deploysim"))
        .args(["validate", file, "--set", "cluster.spare_hosts=0"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(
        stdout(&output).contains("# pre-flight: cannot finish (no_room): no room for a new task")
    );
    let (output, _out) = binary(&[
        "run",
        file,
        "--runs",
        "2",
        "--set",
        "cluster.spare_hosts=0",
        "--format",
        "json",
    ]);
    assert!(output.status.success());
    assert!(stderr(&output).starts_with("pre-flight: cannot finish (no_room)"));
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["summary"]["outcomes"]["stuck"], 2);
}

// ---------------------------------------------------------------- cheapest

/// Section 10 (D = 3, one task per host) at 1.00 per host-hour, over spare hosts 0..3 x
/// maximum percent 100, 200 (x agent mode event, one value), target p95 < 80 s. By hand:
/// - maximum 100%: MAX = D = MIN = 3, stuck at 0 whatever the spares (no time);
/// - 0 spares at 200%: no room for a new task and MIN = D: stuck at 0;
/// - 1 spare: 105 s (docs/model.md's worked example); 3 spares: 35 s (same);
/// - 2 spares: new 1 and 2 on the spares, healthy at 15; old 0 and 1 told to stop, gone
///   at 35; new 3 placed at 35 (full pull 10 s, checks 45, 50), healthy at 50; old 2
///   stops at 50 + 20 = 70 s.
///
/// The cluster costs (3 + spares) x 24 h x 1.00 a day: 96, 120, 144. The cheapest that
/// meets 80 s is 2 spares at 200% (120 a day); the frontier is 1, 2 and 3 spares at 200%.
#[test]
fn cheapest_finds_the_point_known_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario_file(dir.path(), SECTION_10);
    let (output, out) = binary(&[
        "cheapest",
        file.to_str().unwrap(),
        "--vary",
        "cluster.spare_hosts=0..3",
        "--vary",
        "deployment.maximum_percent=100,200",
        "--vary",
        "agent.mode=event",
        "--target",
        "p95<80s",
        "--set",
        "cluster.host_hourly_cost=1.0",
        "--runs",
        "4",
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let points = doc["points"].as_array().unwrap();
    assert_eq!(points.len(), 8);
    let answer = &points[doc["answer"].as_u64().unwrap() as usize];
    assert_eq!(answer["values"], serde_json::json!(["2", "200", "event"]));
    assert_eq!(answer["time_at_confidence"], 70.0);
    assert_eq!(answer["costs"]["cluster_daily"], 120.0);
    let frontier: Vec<(String, f64, f64)> = doc["frontier"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let p = &points[i.as_u64().unwrap() as usize];
            (
                format!(
                    "{}@{}",
                    p["values"][0].as_str().unwrap(),
                    p["values"][1].as_str().unwrap()
                ),
                p["rank_cost"].as_f64().unwrap(),
                p["time_at_confidence"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        frontier,
        [
            ("1@200".to_string(), 96.0, 105.0),
            ("2@200".to_string(), 120.0, 70.0),
            ("3@200".to_string(), 144.0, 35.0),
        ]
    );
    for p in points.iter().filter(|p| p["values"][1] == "100") {
        assert_eq!(p["time_at_confidence"], serde_json::Value::Null);
        assert_eq!(p["meets_target"], false);
    }
    let folder = out.path().join("section-10/cheapest");
    for name in [
        "cheapest.csv",
        "frontier.svg",
        "frontier.png",
        "report.html",
    ] {
        assert!(folder.join(name).exists(), "{name}");
    }
    let csv = std::fs::read_to_string(folder.join("cheapest.csv")).unwrap();
    assert!(csv.starts_with("cluster.spare_hosts,deployment.maximum_percent,agent.mode,runs,"));
    assert!(csv.contains("\n2,200,event,4,4,4,1,"), "{csv}");
    let html = std::fs::read_to_string(folder.join("report.html")).unwrap();
    assert!(html.contains("cheapest that meets"));
    assert!(html.contains("<svg"));
}

/// Knobs that are not choices are refused, like plan's.
#[test]
fn cheapest_refuses_knobs_that_are_not_settings() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario_file(dir.path(), SECTION_10);
    let (output, _out) = binary(&[
        "cheapest",
        file.to_str().unwrap(),
        "--vary",
        "simulation.seed=1,2",
        "--target",
        "2m",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("not a setting to choose between"));
}

/// Common random numbers and thread counts: the same grid gives the same points with one
/// thread and with four, and each point equals a plain run of its scenario with the same
/// seed (so the points differ only by their settings, not by their draws).
#[test]
fn cheapest_is_the_same_on_any_thread_count() {
    use deploysim::experiment::cheapest::{CheapestSettings, cheapest};
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ecs-blog.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let keys = vec!["cluster.spare_hosts".to_string(), "agent.mode".to_string()];
    let points: Vec<(Vec<String>, deploysim::scenario::Scenario)> = [1, 3]
        .iter()
        .flat_map(|spares| ["event", "polling"].map(|mode| (*spares, mode)))
        .map(|(spares, mode)| {
            (
                vec![spares.to_string(), mode.to_string()],
                scenario_from(
                    &text,
                    &[
                        &format!("cluster.spare_hosts={spares}"),
                        &format!("agent.mode={mode}"),
                    ],
                ),
            )
        })
        .collect();
    let run = |threads| {
        cheapest(
            &keys,
            &points,
            &CheapestSettings {
                target_seconds: 1800.0,
                confidence: 0.9,
                runs: 40,
                seed: 7,
                threads: Some(threads),
            },
        )
        .unwrap()
    };
    let (one, four) = (run(1), run(4));
    assert_eq!(one, four);
    let plain = run_replications(
        &points[2].1,
        RunSettings {
            runs: 40,
            seed: 7,
            threads: Some(2),
            progress: false,
        },
    )
    .unwrap();
    assert_eq!(
        one.points[2].costs,
        DailyCost::of(&points[2].1, &plain),
        "a point is a plain run of its scenario"
    );
}

/// The pre-flight's "cannot finish" findings are sound, and catch every configuration
/// stuck at t = 0, over a grid of the worked-example scenario: spare hosts 0-3 x maximum
/// 100/120/150/200% x minimum 0/50/67/90/100% x distinct_instance x one or several tasks
/// per host (320 configurations, 2 runs each).
#[test]
fn preflight_agrees_with_the_simulation_on_a_grid() {
    let mut flagged = 0;
    for spares in 0..=3 {
        for max in [100, 120, 150, 200] {
            for min in [0, 50, 67, 90, 100] {
                for distinct in [false, true] {
                    for memory in [4096, 40000] {
                        let s = section_10(&[
                            &format!("cluster.spare_hosts={spares}"),
                            &format!("deployment.maximum_percent={max}"),
                            &format!("deployment.minimum_healthy_percent={min}"),
                            &format!("service.distinct_instance={distinct}"),
                            &format!("cluster.host.memory={memory}"),
                        ]);
                        let cannot = preflight::check(&s)
                            .iter()
                            .any(|f| f.severity == Severity::CannotFinish);
                        let results = run_replications(&s, settings(2)).unwrap();
                        let stuck_at_zero = results.iter().all(|r| {
                            r.outcome == deploysim::model::Outcome::Stuck
                                && r.deploy == SimDuration::ZERO
                        });
                        let label = format!(
                            "spares {spares}, max {max}%, min {min}%, distinct {distinct}, memory {memory}"
                        );
                        assert_eq!(cannot, stuck_at_zero, "{label}");
                        flagged += cannot as u32;
                    }
                }
            }
        }
    }
    // Not vacuous: both kinds occur.
    assert!(flagged > 20 && flagged < 300, "{flagged}");
}

//! Bad input must be refused cleanly: exit status 2, an error on stderr that names the
//! offending key (or, for a file that cannot be read or parsed, the file) and says what is
//! allowed, nothing on stdout, and never a panic.
//!
//! Every case runs the real `deploysim` binary on a scenario written into its own temporary
//! folder. The table is shared by two tests: `bad_input_is_refused_with_status_2` checks
//! the four rules above for every case; `set_errors_are_attributed_to_set` checks that an
//! error caused by a `--set` value is marked `(from --set)` rather than pinned to a line of
//! the file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A valid scenario; most cases are small edits of it.
const BASE: &str = r#"name = "t"
[cluster]
hosts = 3
spare_hosts = 1
host = { cpu = 1024, memory = 4096 }
[service]
desired = 3
task = { cpu = 256, memory = 3000 }
"#;

/// The scenario file a case gives the binary.
#[derive(Clone, Copy)]
enum Input {
    /// `BASE` unchanged.
    Base,
    /// `BASE` with each `(from, to)` replaced once, then `append` added at the end.
    Edit {
        replace: &'static [(&'static str, &'static str)],
        append: &'static str,
    },
    /// This text instead of `BASE`.
    Raw(&'static str),
    /// These bytes (for files that are not UTF-8).
    Bytes(&'static [u8]),
    /// A path where no file exists.
    Missing,
    /// A path that is a directory.
    Directory,
}

/// What the error must name.
#[derive(Clone, Copy)]
enum Names {
    /// A dotted scenario key, shown as ``key `<dotted.key>` ``; a sequence index after it
    /// is allowed, so `service.placement` matches `service.placement[0]`.
    Key(&'static str),
    /// Free text, such as the file name or a command-line flag; `{file}` stands for the
    /// scenario file's path.
    Text(&'static str),
}

#[derive(Clone, Copy)]
struct Case {
    name: &'static str,
    /// The subcommand and any flags after the file, e.g. `["run", "--runs", "0"]`.
    /// `run` also gets `--out <temporary folder>` so nothing is written elsewhere.
    command: &'static [&'static str],
    input: Input,
    /// Extra files written next to the scenario (e.g. empirical CSVs).
    companions: &'static [(&'static str, &'static str)],
    /// `--set` arguments, passed as `--set <each>`.
    set: &'static [&'static str],
    names: Names,
    /// Every one of these must appear in stderr (`{file}` stands for the scenario path).
    explain: &'static [&'static str],
}

const VALIDATE: &[&str] = &["validate"];

const DEFAULT: Case = Case {
    name: "",
    command: VALIDATE,
    input: Input::Base,
    companions: &[],
    set: &[],
    names: Names::Text(""),
    explain: &[],
};

const fn append(text: &'static str) -> Input {
    Input::Edit {
        replace: &[],
        append: text,
    }
}

const CASES: &[Case] = &[
    // ---- files that cannot be read or parsed ----
    Case {
        name: "toml syntax error: unclosed table header",
        input: Input::Raw("name = \"t\"\n[cluster\nhosts = 3\n"),
        names: Names::Text("{file}:2"),
        explain: &["not valid TOML"],
        ..DEFAULT
    },
    Case {
        name: "toml syntax error: duplicate key",
        input: Input::Edit {
            replace: &[("name = \"t\"\n", "name = \"t\"\nname = \"u\"\n")],
            append: "",
        },
        names: Names::Text("{file}:2"),
        explain: &["not valid TOML", "duplicate key"],
        ..DEFAULT
    },
    Case {
        name: "toml syntax error: unterminated string",
        input: Input::Edit {
            replace: &[("name = \"t\"", "name = \"t")],
            append: "",
        },
        names: Names::Text("{file}:1"),
        explain: &["not valid TOML"],
        ..DEFAULT
    },
    Case {
        name: "toml syntax error: an unquoted word for a text value",
        input: Input::Raw("name = my-service\n"),
        names: Names::Text("{file}:1"),
        explain: &["not valid TOML", "put text in quotes"],
        ..DEFAULT
    },
    Case {
        name: "toml syntax error: an unquoted word that starts like true",
        input: Input::Raw("name = t\n"),
        names: Names::Text("{file}:1"),
        explain: &["not valid TOML", "put text in quotes"],
        ..DEFAULT
    },
    Case {
        name: "nonexistent scenario file",
        input: Input::Missing,
        names: Names::Text("{file}"),
        explain: &["cannot read the scenario file"],
        ..DEFAULT
    },
    Case {
        name: "scenario path is a directory",
        input: Input::Directory,
        names: Names::Text("{file}"),
        explain: &["cannot read the scenario file"],
        ..DEFAULT
    },
    Case {
        name: "scenario file is not UTF-8",
        input: Input::Bytes(b"name = \"t\xff\xfe\"\n"),
        names: Names::Text("{file}"),
        explain: &["cannot read the scenario file", "UTF-8"],
        ..DEFAULT
    },
    // ---- required keys ----
    Case {
        name: "empty file: name missing",
        input: Input::Raw(""),
        names: Names::Key("name"),
        explain: &["required key is missing"],
        ..DEFAULT
    },
    Case {
        name: "cluster.host.cpu missing",
        input: Input::Edit {
            replace: &[(
                "host = { cpu = 1024, memory = 4096 }",
                "host = { memory = 4096 }",
            )],
            append: "",
        },
        names: Names::Key("cluster.host.cpu"),
        explain: &["required key is missing"],
        ..DEFAULT
    },
    Case {
        name: "service.task.memory missing",
        input: Input::Edit {
            replace: &[(
                "task = { cpu = 256, memory = 3000 }",
                "task = { cpu = 256 }",
            )],
            append: "",
        },
        names: Names::Key("service.task.memory"),
        explain: &["required key is missing"],
        ..DEFAULT
    },
    Case {
        name: "service.desired missing",
        input: Input::Edit {
            replace: &[("desired = 3\n", "")],
            append: "",
        },
        names: Names::Key("service.desired"),
        explain: &["required key is missing"],
        ..DEFAULT
    },
    // ---- unknown keys ----
    Case {
        name: "unknown key in [service]",
        input: append("replicas = 3\n"),
        names: Names::Key("service.replicas"),
        explain: &["unknown key"],
        ..DEFAULT
    },
    Case {
        name: "unknown key in inline table cluster.host",
        input: Input::Edit {
            replace: &[("memory = 4096 }", "memory = 4096, gpu = 1 }")],
            append: "",
        },
        names: Names::Key("cluster.host.gpu"),
        explain: &["unknown key", "cpu"],
        ..DEFAULT
    },
    Case {
        name: "unknown top-level table",
        input: append("[network]\nmtu = 1500\n"),
        names: Names::Key("network"),
        explain: &["unknown key"],
        ..DEFAULT
    },
    Case {
        name: "unknown key in [launch]",
        input: append("[launch]\npull = \"10s\"\n"),
        names: Names::Key("launch.pull"),
        explain: &["unknown key", "image_pull"],
        ..DEFAULT
    },
    // ---- wrong types ----
    Case {
        name: "string for integer cluster.hosts",
        input: Input::Edit {
            replace: &[("hosts = 3", "hosts = \"three\"")],
            append: "",
        },
        names: Names::Key("cluster.hosts"),
        explain: &["this key takes", "three"],
        ..DEFAULT
    },
    Case {
        name: "integer for string name",
        input: Input::Edit {
            replace: &[("name = \"t\"", "name = 5")],
            append: "",
        },
        names: Names::Key("name"),
        explain: &["this key takes"],
        ..DEFAULT
    },
    Case {
        name: "negative integer for cluster.hosts",
        input: Input::Edit {
            replace: &[("hosts = 3", "hosts = -1")],
            append: "",
        },
        names: Names::Key("cluster.hosts"),
        explain: &["this key takes a whole number", "-1"],
        ..DEFAULT
    },
    Case {
        name: "unquoted number for a duration",
        input: append("[launch]\nwarmup = 10\n"),
        names: Names::Key("launch.warmup"),
        explain: &[
            "takes a duration or a distribution in quotes",
            "a bare number has no unit",
        ],
        ..DEFAULT
    },
    Case {
        name: "string for sequence service.placement",
        input: append("placement = \"spread:zone\"\n"),
        names: Names::Key("service.placement"),
        explain: &["takes a list in brackets"],
        ..DEFAULT
    },
    // ---- durations ----
    Case {
        name: "duration without unit",
        input: append("[launch]\nstart = \"5\"\n"),
        names: Names::Key("launch.start"),
        explain: &["has no unit"],
        ..DEFAULT
    },
    Case {
        name: "negative duration on a constant-only key",
        input: append("[health_check]\ngrace_period = \"-5s\"\n"),
        names: Names::Key("health_check.grace_period"),
        explain: &[
            "\"-5s\" is negative, and a duration must be zero or more (for example \"0s\" or \"5m\")",
        ],
        ..DEFAULT
    },
    Case {
        name: "malformed duration 1..2s",
        input: append("[draining]\nshutdown = \"1..2s\"\n"),
        names: Names::Key("draining.shutdown"),
        explain: &["\"1..2s\" is not a duration", "written together"],
        ..DEFAULT
    },
    Case {
        name: "unknown duration unit",
        input: append("[agent]\nreport = \"5x\"\n"),
        names: Names::Key("agent.report"),
        explain: &["\"5x\" is not a duration", "units: h, m, s, ms, us"],
        ..DEFAULT
    },
    Case {
        name: "duration too long",
        input: append("[launch]\nstart = \"99999999999999999999h\"\n"),
        names: Names::Key("launch.start"),
        explain: &["too long"],
        ..DEFAULT
    },
    // ---- durations as people write them ----
    Case {
        name: "duration in words: 5 minutes",
        input: append("[simulation]\ntarget = \"5 minutes\"\n"),
        names: Names::Key("simulation.target"),
        explain: &["did you mean \"5m\"?", "\"500ms\", \"30s\", \"5m\", \"1h\""],
        ..DEFAULT
    },
    Case {
        name: "duration with a space: 300 s",
        input: append("[launch]\nimage_pull = \"300 s\"\n"),
        names: Names::Key("launch.image_pull"),
        explain: &["did you mean \"300s\"?", "without a space"],
        ..DEFAULT
    },
    Case {
        name: "duration with a space: 15 m (from --set)",
        set: &["simulation.target=\"15 m\""],
        names: Names::Key("simulation.target"),
        explain: &["did you mean \"15m\"?", "without a space"],
        ..DEFAULT
    },
    Case {
        name: "negative duration on a distribution key reads as one sentence",
        input: append("[launch]\nstart = \"-5s\"\n"),
        names: Names::Key("launch.start"),
        explain: &[
            "\"-5s\" is negative, and a duration must be zero or more (for example \"0s\" or \"5m\")\n",
        ],
        ..DEFAULT
    },
    // ---- wrong types, in words ----
    Case {
        name: "quoted number for a probability",
        input: append("[failures]\nbad_task_probability = \"0.3\"\n"),
        names: Names::Key("failures.bad_task_probability"),
        explain: &["takes a number such as 0.25", "remove the quotes"],
        ..DEFAULT
    },
    Case {
        name: "boolean for a probability",
        input: append("[failures]\nstart_failure_probability = true\n"),
        names: Names::Key("failures.start_failure_probability"),
        explain: &["takes a number such as 0.25", "not true"],
        ..DEFAULT
    },
    Case {
        name: "fraction for a count (from --set)",
        set: &["cluster.spare_hosts=1.5"],
        names: Names::Key("cluster.spare_hosts"),
        explain: &["takes a whole number from 0 to 4294967295, not 1.5"],
        ..DEFAULT
    },
    Case {
        name: "negative seed (from --set)",
        set: &["simulation.seed=-3"],
        names: Names::Key("simulation.seed"),
        explain: &["takes a whole number, 0 or more, not -3"],
        ..DEFAULT
    },
    Case {
        name: "yes for a boolean",
        input: append("[deployment]\nrollback = \"yes\"\n"),
        names: Names::Key("deployment.rollback"),
        explain: &["takes true or false"],
        ..DEFAULT
    },
    Case {
        name: "number for the host table (from --set)",
        set: &["cluster.host=4"],
        names: Names::Key("cluster.host"),
        explain: &["takes a table such as { cpu = 1024, memory = 4096 }"],
        ..DEFAULT
    },
    Case {
        name: "unknown scheduler mode",
        input: append("[scheduler]\nmode = \"fast\"\n"),
        names: Names::Key("scheduler.mode"),
        explain: &["\"fast\" is not one of the allowed values: \"reactive\", \"periodic\""],
        ..DEFAULT
    },
    // ---- distributions ----
    Case {
        name: "uniform lower bound above upper bound",
        input: append("[launch]\nstart = \"uniform(6s, 2s)\"\n"),
        names: Names::Key("launch.start"),
        explain: &["lower bound above its upper bound"],
        ..DEFAULT
    },
    Case {
        name: "lognormal p95 below median",
        input: append("[launch]\nimage_pull = \"lognormal(median=25s, p95=10s)\"\n"),
        names: Names::Key("launch.image_pull"),
        explain: &["below its median"],
        ..DEFAULT
    },
    Case {
        name: "exponential without mean=",
        input: append("[draining]\nconnections_close = \"exponential(20s)\"\n"),
        names: Names::Key("draining.connections_close"),
        explain: &["mean="],
        ..DEFAULT
    },
    Case {
        name: "unknown distribution",
        input: append("[scheduler]\nreaction = \"normal(1s)\"\n"),
        names: Names::Key("scheduler.reaction"),
        explain: &["unknown distribution", "uniform"],
        ..DEFAULT
    },
    Case {
        name: "distribution missing closing parenthesis",
        input: append("[health_check]\nfirst_check = \"uniform(1s, 2s\"\n"),
        names: Names::Key("health_check.first_check"),
        explain: &["closing parenthesis"],
        ..DEFAULT
    },
    Case {
        name: "empirical file missing",
        input: append("[launch]\nimage_pull = 'empirical(\"pulls.csv\")'\n"),
        names: Names::Key("launch.image_pull"),
        explain: &["cannot read empirical file", "pulls.csv"],
        ..DEFAULT
    },
    Case {
        name: "empirical file with a non-number",
        input: append("[launch]\nimage_pull = 'empirical(\"pulls.csv\")'\n"),
        companions: &[("pulls.csv", "seconds\n12\nabc\n")],
        names: Names::Key("launch.image_pull"),
        explain: &["line 3", "not a number of seconds"],
        ..DEFAULT
    },
    Case {
        name: "empirical file with no durations",
        input: append("[draining]\nshutdown = 'empirical(\"stops.csv\")'\n"),
        companions: &[("stops.csv", "# nothing yet\n")],
        names: Names::Key("draining.shutdown"),
        explain: &["holds no durations"],
        ..DEFAULT
    },
    // ---- constant-only keys reject distributions ----
    Case {
        name: "distribution for agent.poll_interval",
        input: append("[agent]\npoll_interval = \"uniform(1s, 2s)\"\n"),
        names: Names::Key("agent.poll_interval"),
        explain: &["constant duration", "not a distribution"],
        ..DEFAULT
    },
    Case {
        name: "distribution for health_check.interval",
        input: append("[health_check]\ninterval = \"exponential(mean=20s)\"\n"),
        names: Names::Key("health_check.interval"),
        explain: &["constant duration", "not a distribution"],
        ..DEFAULT
    },
    Case {
        name: "distribution for health_check.grace_period",
        input: append("[health_check]\ngrace_period = \"lognormal(median=25s, p95=60s)\"\n"),
        names: Names::Key("health_check.grace_period"),
        explain: &["constant duration", "not a distribution"],
        ..DEFAULT
    },
    Case {
        name: "distribution for scheduler.interval",
        input: append("[scheduler]\ninterval = \"uniform(10s, 20s)\"\n"),
        names: Names::Key("scheduler.interval"),
        explain: &["constant duration", "not a distribution"],
        ..DEFAULT
    },
    Case {
        name: "distribution for simulation.horizon",
        input: append("[simulation]\nhorizon = \"exponential(mean=1h)\"\n"),
        names: Names::Key("simulation.horizon"),
        explain: &["constant duration", "not a distribution"],
        ..DEFAULT
    },
    Case {
        name: "distribution for simulation.target",
        input: append("[simulation]\ntarget = 'empirical(\"t.csv\")'\n"),
        names: Names::Key("simulation.target"),
        explain: &["constant duration", "not a distribution"],
        ..DEFAULT
    },
    // ---- value ranges and consistency ----
    Case {
        name: "minimum_healthy_percent above 100",
        input: append("[deployment]\nminimum_healthy_percent = 101\n"),
        names: Names::Key("deployment.minimum_healthy_percent"),
        explain: &["between 0 and 100"],
        ..DEFAULT
    },
    Case {
        name: "maximum_percent below 100",
        input: append("[deployment]\nmaximum_percent = 50\n"),
        names: Names::Key("deployment.maximum_percent"),
        explain: &["between 100 and 1000"],
        ..DEFAULT
    },
    Case {
        name: "maximum_percent above 1000",
        input: append("[deployment]\nmaximum_percent = 1001\n"),
        names: Names::Key("deployment.maximum_percent"),
        explain: &["between 100 and 1000"],
        ..DEFAULT
    },
    Case {
        name: "task cpu larger than host",
        input: Input::Edit {
            replace: &[("cpu = 256", "cpu = 2048")],
            append: "",
        },
        names: Names::Key("service.task.cpu"),
        explain: &["larger than a host"],
        ..DEFAULT
    },
    Case {
        name: "task memory larger than host",
        input: Input::Edit {
            replace: &[("memory = 3000", "memory = 5000")],
            append: "",
        },
        names: Names::Key("service.task.memory"),
        explain: &["larger than a host"],
        ..DEFAULT
    },
    Case {
        name: "old tasks do not fit on the service hosts",
        input: Input::Edit {
            replace: &[("desired = 3", "desired = 4")],
            append: "",
        },
        names: Names::Key("service.desired"),
        explain: &["do not fit"],
        ..DEFAULT
    },
    Case {
        name: "old tasks do not fit with distinct_instance",
        input: Input::Edit {
            replace: &[
                ("cpu = 256, memory = 3000", "cpu = 256, memory = 1000"),
                ("desired = 3", "desired = 4"),
            ],
            append: "distinct_instance = true\n",
        },
        names: Names::Key("service.desired"),
        explain: &["do not fit", "distinct_instance"],
        ..DEFAULT
    },
    Case {
        name: "zero service hosts",
        input: Input::Edit {
            replace: &[("hosts = 3", "hosts = 0")],
            append: "",
        },
        names: Names::Key("cluster.hosts"),
        explain: &["at least 1"],
        ..DEFAULT
    },
    Case {
        name: "zero desired tasks",
        input: Input::Edit {
            replace: &[("desired = 3", "desired = 0")],
            append: "",
        },
        names: Names::Key("service.desired"),
        explain: &["at least 1"],
        ..DEFAULT
    },
    Case {
        name: "zero zones",
        input: Input::Edit {
            replace: &[("spare_hosts = 1", "spare_hosts = 1\nzones = 0")],
            append: "",
        },
        names: Names::Key("cluster.zones"),
        explain: &["between 1 and 64"],
        ..DEFAULT
    },
    Case {
        name: "too many spare hosts",
        input: Input::Edit {
            replace: &[("spare_hosts = 1", "spare_hosts = 4294967295")],
            append: "",
        },
        names: Names::Key("cluster.spare_hosts"),
        explain: &["at most"],
        ..DEFAULT
    },
    Case {
        name: "negative host_hourly_cost",
        input: Input::Edit {
            replace: &[(
                "spare_hosts = 1",
                "spare_hosts = 1\nhost_hourly_cost = -0.5",
            )],
            append: "",
        },
        names: Names::Key("cluster.host_hourly_cost"),
        explain: &["non-negative"],
        ..DEFAULT
    },
    Case {
        name: "zero runs in the file",
        input: append("[simulation]\nruns = 0\n"),
        names: Names::Key("simulation.runs"),
        explain: &["at least 1"],
        ..DEFAULT
    },
    Case {
        name: "zero horizon",
        input: append("[simulation]\nhorizon = \"0s\"\n"),
        names: Names::Key("simulation.horizon"),
        explain: &["above zero"],
        ..DEFAULT
    },
    Case {
        name: "health check interval below 1s",
        input: append("[health_check]\ninterval = \"500ms\"\n"),
        names: Names::Key("health_check.interval"),
        explain: &["at least 1s"],
        ..DEFAULT
    },
    Case {
        name: "healthy_threshold zero",
        input: append("[health_check]\nhealthy_threshold = 0\n"),
        names: Names::Key("health_check.healthy_threshold"),
        explain: &["at least 1"],
        ..DEFAULT
    },
    Case {
        name: "bad_task_probability above 1",
        input: append("[failures]\nbad_task_probability = 1.5\n"),
        names: Names::Key("failures.bad_task_probability"),
        explain: &["between 0 and 1"],
        ..DEFAULT
    },
    Case {
        name: "bad_task_probability negative",
        input: append("[failures]\nbad_task_probability = -0.1\n"),
        names: Names::Key("failures.bad_task_probability"),
        explain: &["between 0 and 1"],
        ..DEFAULT
    },
    Case {
        name: "bad_task_probability NaN",
        input: append("[failures]\nbad_task_probability = nan\n"),
        names: Names::Key("failures.bad_task_probability"),
        explain: &["between 0 and 1"],
        ..DEFAULT
    },
    Case {
        name: "empty name",
        input: Input::Edit {
            replace: &[("name = \"t\"", "name = \"  \"")],
            append: "",
        },
        names: Names::Key("name"),
        explain: &["must not be empty"],
        ..DEFAULT
    },
    Case {
        name: "rollback without the circuit breaker",
        input: append("[deployment]\nrollback = true\n"),
        names: Names::Key("deployment.rollback"),
        explain: &["needs deployment.circuit_breaker = true"],
        ..DEFAULT
    },
    Case {
        name: "managed scaling without max_hosts",
        input: append("[autoscaling]\nmode = \"managed\"\n"),
        names: Names::Key("autoscaling.max_hosts"),
        explain: &["required when"],
        ..DEFAULT
    },
    Case {
        name: "max_hosts below the starting cluster",
        input: append("[autoscaling]\nmode = \"managed\"\nmax_hosts = 2\n"),
        names: Names::Key("autoscaling.max_hosts"),
        explain: &["must be between the hosts the cluster starts with (4)"],
        ..DEFAULT
    },
    Case {
        name: "target capacity above 100",
        input: append("[autoscaling]\nmode = \"managed\"\nmax_hosts = 10\ntarget_capacity = 150\n"),
        names: Names::Key("autoscaling.target_capacity"),
        explain: &["between 1 and 100"],
        ..DEFAULT
    },
    Case {
        name: "start failure probability above 1",
        input: append("[failures]\nstart_failure_probability = 1.5\n"),
        names: Names::Key("failures.start_failure_probability"),
        explain: &["between 0 and 1"],
        ..DEFAULT
    },
    Case {
        name: "negative host failure rate",
        input: append("[failures]\nhost_failure_rate = -1.0\n"),
        names: Names::Key("failures.host_failure_rate"),
        explain: &["failures per host-hour"],
        ..DEFAULT
    },
    // ---- enumerations ----
    Case {
        name: "unknown placement strategy",
        input: append("placement = [\"spread:zone\", \"spread:rack\"]\n"),
        names: Names::Key("service.placement"),
        explain: &[
            "is not one of the allowed values",
            "spread:rack",
            "binpack:memory",
        ],
        ..DEFAULT
    },
    Case {
        name: "unknown agent.mode",
        input: append("[agent]\nmode = \"push\"\n"),
        names: Names::Key("agent.mode"),
        explain: &["is not one of the allowed values", "polling"],
        ..DEFAULT
    },
    Case {
        name: "unknown scheduler.mode",
        input: append("[scheduler]\nmode = \"sometimes\"\n"),
        names: Names::Key("scheduler.mode"),
        explain: &["is not one of the allowed values", "periodic"],
        ..DEFAULT
    },
    Case {
        name: "unknown deployment.strategy",
        input: append("[deployment]\nstrategy = \"blue-green\"\n"),
        names: Names::Key("deployment.strategy"),
        explain: &["is not one of the allowed values", "ecs"],
        ..DEFAULT
    },
    // ---- --set ----
    Case {
        name: "--set without =",
        set: &["cluster.spare_hosts"],
        names: Names::Text("--set cluster.spare_hosts"),
        explain: &["expected key=value"],
        ..DEFAULT
    },
    Case {
        name: "--set with an empty key part",
        set: &["cluster..hosts=3"],
        names: Names::Text("cluster..hosts"),
        explain: &["not a dotted key"],
        ..DEFAULT
    },
    Case {
        name: "--set with an empty key",
        set: &["=5"],
        names: Names::Text("--set =5"),
        explain: &["not a dotted key"],
        ..DEFAULT
    },
    Case {
        name: "--set maximum_percent out of range",
        set: &["deployment.maximum_percent=50"],
        names: Names::Key("deployment.maximum_percent"),
        explain: &["between 100 and 1000"],
        ..DEFAULT
    },
    Case {
        name: "--set minimum_healthy_percent out of range",
        set: &["deployment.minimum_healthy_percent=150"],
        names: Names::Key("deployment.minimum_healthy_percent"),
        explain: &["between 0 and 100"],
        ..DEFAULT
    },
    Case {
        name: "--set non-numeric value for an integer",
        set: &["cluster.spare_hosts=abc"],
        names: Names::Key("cluster.spare_hosts"),
        explain: &["this key takes"],
        ..DEFAULT
    },
    Case {
        name: "--set malformed duration",
        set: &["launch.start=1m30"],
        names: Names::Key("launch.start"),
        explain: &["has no unit"],
        ..DEFAULT
    },
    Case {
        name: "--set negative duration",
        set: &["draining.deregistration_delay=-30s"],
        names: Names::Key("draining.deregistration_delay"),
        explain: &["negative"],
        ..DEFAULT
    },
    Case {
        name: "--set lognormal p95 below median",
        set: &["launch.image_pull=lognormal(median=60s, p95=20s)"],
        names: Names::Key("launch.image_pull"),
        explain: &["below its median"],
        ..DEFAULT
    },
    Case {
        name: "--set distribution on a constant-only key",
        set: &["agent.poll_interval=uniform(1s, 2s)"],
        names: Names::Key("agent.poll_interval"),
        explain: &["not a distribution"],
        ..DEFAULT
    },
    Case {
        name: "--set empirical file missing",
        set: &["launch.warmup=empirical(\"warmups.csv\")"],
        names: Names::Key("launch.warmup"),
        explain: &["cannot read empirical file", "warmups.csv"],
        ..DEFAULT
    },
    Case {
        name: "--set unknown key in a known table",
        set: &["deployment.bogus=1"],
        names: Names::Key("deployment.bogus"),
        explain: &["unknown key"],
        ..DEFAULT
    },
    Case {
        name: "--set unknown key in an unknown table",
        set: &["bogus.key=1"],
        names: Names::Key("bogus"),
        explain: &["unknown key"],
        ..DEFAULT
    },
    Case {
        name: "--set below an unknown key of an inline table",
        set: &["cluster.host.gpu.count=1"],
        names: Names::Key("cluster.host.gpu"),
        explain: &["unknown key"],
        ..DEFAULT
    },
    Case {
        name: "--set into a non-table",
        set: &["name.x=1"],
        names: Names::Key("name.x"),
        explain: &["not a table"],
        ..DEFAULT
    },
    Case {
        name: "--set replaces a table with a scalar",
        set: &["service=3"],
        names: Names::Key("service"),
        explain: &["this key takes"],
        ..DEFAULT
    },
    Case {
        name: "--set unknown agent.mode",
        set: &["agent.mode=push"],
        names: Names::Key("agent.mode"),
        explain: &["is not one of the allowed values", "event"],
        ..DEFAULT
    },
    Case {
        name: "--set unknown placement strategy",
        set: &["service.placement=[\"spread:rack\"]"],
        names: Names::Key("service.placement"),
        explain: &["is not one of the allowed values", "spread:rack"],
        ..DEFAULT
    },
    Case {
        name: "--set zero runs",
        set: &["simulation.runs=0"],
        names: Names::Key("simulation.runs"),
        explain: &["at least 1"],
        ..DEFAULT
    },
    Case {
        name: "--set the later of two overrides is bad",
        set: &["cluster.spare_hosts=2", "cluster.zones=65"],
        names: Names::Key("cluster.zones"),
        explain: &["between 1 and 64"],
        ..DEFAULT
    },
    // ---- run ----
    Case {
        name: "run --runs 0",
        command: &["run", "--runs", "0"],
        names: Names::Text("--runs"),
        explain: &["at least 1"],
        ..DEFAULT
    },
    Case {
        name: "run --threads 0",
        command: &["run", "--runs", "2", "--threads", "0"],
        names: Names::Text("--threads"),
        explain: &["at least 1"],
        ..DEFAULT
    },
    Case {
        name: "run --runs not a number",
        command: &["run", "--runs", "abc"],
        names: Names::Text("--runs"),
        explain: &["invalid value", "abc"],
        ..DEFAULT
    },
    Case {
        name: "run --format unknown",
        command: &["run", "--runs", "2", "--format", "xml"],
        names: Names::Text("--format"),
        explain: &["invalid value", "xml"],
        ..DEFAULT
    },
    Case {
        name: "run with a bad --set",
        command: &["run", "--runs", "2"],
        set: &["deployment.maximum_percent=1500"],
        names: Names::Key("deployment.maximum_percent"),
        explain: &["between 100 and 1000"],
        ..DEFAULT
    },
    Case {
        name: "run with zero runs in the file and --runs given",
        command: &["run", "--runs", "2"],
        input: append("[simulation]\nruns = 0\n"),
        names: Names::Key("simulation.runs"),
        explain: &["at least 1"],
        ..DEFAULT
    },
    Case {
        name: "run on a nonexistent file",
        command: &["run", "--runs", "2"],
        input: Input::Missing,
        names: Names::Text("{file}"),
        explain: &["cannot read the scenario file"],
        ..DEFAULT
    },
    // ---- trace ----
    Case {
        name: "trace with zero zones",
        command: &["trace"],
        set: &["cluster.zones=0"],
        names: Names::Key("cluster.zones"),
        explain: &["between 1 and 64"],
        ..DEFAULT
    },
    Case {
        name: "trace with a task larger than a host",
        command: &["trace"],
        input: Input::Edit {
            replace: &[("memory = 3000", "memory = 8192")],
            append: "",
        },
        names: Names::Key("service.task.memory"),
        explain: &["larger than a host"],
        ..DEFAULT
    },
    Case {
        name: "trace --replication not a number",
        command: &["trace", "--replication", "abc"],
        names: Names::Text("--replication"),
        explain: &["invalid value"],
        ..DEFAULT
    },
    Case {
        name: "trace on invalid TOML",
        command: &["trace"],
        input: Input::Raw("name = \"t\"\n[cluster]\nhosts = = 3\n"),
        names: Names::Text("{file}:3"),
        explain: &["not valid TOML"],
        ..DEFAULT
    },
    // ---- Fargate and host groups ----
    Case {
        name: "cluster.hosts on Fargate",
        input: Input::Raw(FARGATE_WITH_HOSTS),
        names: Names::Key("cluster.hosts"),
        explain: &["does not apply to cluster.launch_type = \"fargate\""],
        ..DEFAULT
    },
    Case {
        name: "service.placement on Fargate",
        input: Input::Raw(FARGATE),
        set: &["service.placement=[\"binpack:memory\"]"],
        names: Names::Key("service.placement"),
        explain: &["\"fargate\"", "micro-VM"],
        ..DEFAULT
    },
    Case {
        name: "autoscaling on Fargate",
        input: Input::Raw(FARGATE),
        set: &["autoscaling.mode=none"],
        names: Names::Key("autoscaling"),
        explain: &["\"fargate\""],
        ..DEFAULT
    },
    Case {
        name: "polling agent on Fargate",
        input: Input::Raw(FARGATE),
        set: &["agent.mode=polling"],
        names: Names::Key("agent.mode"),
        explain: &["\"fargate\"", "event"],
        ..DEFAULT
    },
    Case {
        name: "Fargate memory not offered with the CPU",
        input: Input::Raw(FARGATE),
        set: &["service.task.memory=3000"],
        names: Names::Key("service.task.memory"),
        explain: &["256 CPU units", "512, 1024, 2048 MiB"],
        ..DEFAULT
    },
    Case {
        name: "Fargate CPU not offered",
        input: Input::Raw(FARGATE),
        set: &["service.task.cpu=300"],
        names: Names::Key("service.task.cpu"),
        explain: &["300 CPU units", "256, 512, 1024"],
        ..DEFAULT
    },
    Case {
        name: "Fargate stop timeout above 120 s",
        input: Input::Raw(FARGATE),
        set: &["draining.stop_timeout=uniform(10s, 3m)"],
        names: Names::Key("draining.stop_timeout"),
        explain: &["at most 120s", "3m"],
        ..DEFAULT
    },
    Case {
        name: "Fargate stop timeout unbounded",
        input: Input::Raw(FARGATE),
        set: &["draining.stop_timeout=exponential(mean=30s)"],
        names: Names::Key("draining.stop_timeout"),
        explain: &["at most 120s", "exponential"],
        ..DEFAULT
    },
    Case {
        name: "[fargate] on EC2",
        input: append("[fargate]\nprovisioning = \"10s\"\n"),
        names: Names::Key("fargate"),
        explain: &["applies only to cluster.launch_type = \"fargate\""],
        ..DEFAULT
    },
    Case {
        name: "host groups beside cluster.hosts",
        input: append(GROUP),
        names: Names::Key("cluster.hosts"),
        explain: &["beside [[cluster.host_group]]"],
        ..DEFAULT
    },
    Case {
        name: "other tenants hold more than a host",
        input: Input::Raw(GROUPS_TENANTS_TOO_BIG),
        names: Names::Key("cluster.host_group.used_memory"),
        explain: &["5000 MiB of a 4096 MiB host", "at most memory"],
        ..DEFAULT
    },
    Case {
        name: "old tasks do not fit in the groups' free room",
        input: Input::Raw(GROUPS_NO_ROOM),
        names: Names::Key("service.desired"),
        explain: &["do not fit in the free room", "room for 2"],
        ..DEFAULT
    },
    Case {
        name: "autoscaling.host_group names no group",
        input: Input::Raw(GROUPS_SCALING_UNKNOWN),
        names: Names::Key("autoscaling.host_group"),
        explain: &["no [[cluster.host_group]] is named \"gpu\"", "\"web\""],
        ..DEFAULT
    },
    Case {
        name: "autoscaling.host_group without groups",
        input: append("[autoscaling]\nhost_group = \"web\"\n"),
        names: Names::Key("autoscaling.host_group"),
        explain: &["this cluster has none"],
        ..DEFAULT
    },
];

/// A valid Fargate scenario.
const FARGATE: &str = r#"name = "t"
[cluster]
launch_type = "fargate"
[service]
desired = 3
task = { cpu = 256, memory = 512 }
"#;

const FARGATE_WITH_HOSTS: &str = r#"name = "t"
[cluster]
launch_type = "fargate"
hosts = 3
[service]
desired = 3
task = { cpu = 256, memory = 512 }
"#;

const GROUP: &str = r#"[[cluster.host_group]]
name = "web"
count = 3
cpu = 1024
memory = 4096
"#;

const GROUPS_TENANTS_TOO_BIG: &str = r#"name = "t"
[[cluster.host_group]]
name = "web"
count = 3
cpu = 1024
memory = 4096
used_memory = 5000
[service]
desired = 3
task = { cpu = 256, memory = 3000 }
"#;

const GROUPS_NO_ROOM: &str = r#"name = "t"
[[cluster.host_group]]
name = "web"
count = 2
cpu = 1024
memory = 4096
used_memory = 1000
[[cluster.host_group]]
name = "spare"
count = 5
cpu = 1024
memory = 4096
spare = true
[service]
desired = 3
task = { cpu = 256, memory = 3000 }
"#;

const GROUPS_SCALING_UNKNOWN: &str = r#"name = "t"
[[cluster.host_group]]
name = "web"
count = 3
cpu = 1024
memory = 4096
[service]
desired = 3
task = { cpu = 256, memory = 3000 }
[autoscaling]
mode = "managed"
max_hosts = 5
host_group = "gpu"
"#;

/// What one case did.
struct Ran {
    command_line: String,
    file: String,
    output: Output,
}

impl Ran {
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }
    fn describe(&self, case: &Case, problem: &str) -> String {
        format!(
            "case {:?}: {problem}\n  command: {}\n  exit status: {:?}\n  stderr: {}\n  stdout: {}",
            case.name,
            self.command_line,
            self.output.status.code(),
            self.stderr().trim_end().replace('\n', "\n          "),
            if self.output.stdout.is_empty() {
                "(empty)".to_string()
            } else {
                self.stdout().trim_end().to_string()
            },
        )
    }
}

fn write_input(dir: &Path, case: &Case) -> PathBuf {
    let path = dir.join("scenario.toml");
    match case.input {
        Input::Base => std::fs::write(&path, BASE).unwrap(),
        Input::Edit { replace, append } => {
            let mut text = BASE.to_string();
            for (from, to) in replace {
                assert!(
                    text.contains(from),
                    "case {:?}: test bug: {from:?} is not in the base scenario",
                    case.name
                );
                text = text.replacen(from, to, 1);
            }
            text.push_str(append);
            std::fs::write(&path, text).unwrap();
        }
        Input::Raw(text) => std::fs::write(&path, text).unwrap(),
        Input::Bytes(bytes) => std::fs::write(&path, bytes).unwrap(),
        Input::Missing => {}
        Input::Directory => std::fs::create_dir(&path).unwrap(),
    }
    for (name, contents) in case.companions {
        std::fs::write(dir.join(name), contents).unwrap();
    }
    path
}

fn run_case(case: &Case) -> Ran {
    let dir = tempfile::tempdir().expect("temporary folder");
    let file = write_input(dir.path(), case);
    let (subcommand, flags) = case.command.split_first().expect("a subcommand");
    let mut args: Vec<String> = vec![subcommand.to_string(), file.display().to_string()];
    args.extend(flags.iter().map(|f| f.to_string()));
    if *subcommand == "run" && !flags.contains(&"--out") {
        args.push("--out".into());
        args.push(dir.path().join("out").display().to_string());
    }
    for set in case.set {
        args.push("--set".into());
        args.push(set.to_string());
    }
    let output = Command::new(env!("CARGO_BIN_EXE_deploysim"))
        .args(&args)
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("the deploysim binary starts");
    let command_line = std::iter::once("deploysim".to_string())
        .chain(args.iter().map(|a| {
            if a.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./=:,".contains(c))
            {
                a.clone()
            } else {
                format!("'{a}'")
            }
        }))
        .collect::<Vec<_>>()
        .join(" ");
    Ran {
        command_line,
        file: file.display().to_string(),
        output,
    }
}

/// Checks the four rules; returns a description of every broken one.
fn check(case: &Case, ran: &Ran) -> Vec<String> {
    let stderr = ran.stderr();
    let mut problems = Vec::new();
    if stderr.contains("panicked") {
        problems.push("the binary panicked".to_string());
    }
    if ran.output.status.code() != Some(2) {
        problems.push(format!(
            "expected exit status 2, got {:?}",
            ran.output.status.code()
        ));
    }
    match case.names {
        Names::Key(key) => {
            // The key exactly, or the key followed by a sequence index.
            let shown = format!("key `{key}");
            let named = stderr.match_indices(&shown).any(|(at, _)| {
                matches!(stderr[at + shown.len()..].chars().next(), Some('`' | '['))
            });
            if !named {
                problems.push(format!("stderr does not name the key: expected {shown}`"));
            }
        }
        Names::Text(text) => {
            let text = text.replace("{file}", &ran.file);
            if !stderr.contains(&text) {
                problems.push(format!("stderr does not name {text:?}"));
            }
        }
    }
    // serde's and Rust's words never reach a user.
    for rust in [
        "expected u32",
        "expected u64",
        "expected f64",
        "expected a sequence",
        "expected a boolean",
        "expected struct",
        "invalid type:",
        "invalid value:",
        "unknown variant",
        "expected literal string",
        "invalid boolean",
    ] {
        if stderr.contains(rust) {
            problems.push(format!("stderr speaks serde: {rust:?}"));
        }
    }
    for word in case.explain {
        let word = word.replace("{file}", &ran.file);
        if !stderr.contains(&word) {
            problems.push(format!("stderr does not explain: expected {word:?}"));
        }
    }
    if !ran.output.stdout.is_empty() {
        problems.push("stdout is not empty".to_string());
    }
    problems
}

#[test]
fn table_has_enough_cases() {
    assert!(CASES.len() >= 24, "only {} cases", CASES.len());
    let mut names: Vec<&str> = CASES.iter().map(|c| c.name).collect();
    names.sort_unstable();
    for pair in names.windows(2) {
        assert_ne!(pair[0], pair[1], "two cases share a name");
    }
}

#[test]
fn base_scenario_is_valid() {
    // Guards the table: every case must fail because of its edit, not the base.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scenario.toml");
    std::fs::write(&file, BASE).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_deploysim"))
        .arg("validate")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the base scenario should be valid; stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn bad_input_is_refused_with_status_2() {
    let mut failures = Vec::new();
    for case in CASES {
        let ran = run_case(case);
        let problems = check(case, &ran);
        if !problems.is_empty() {
            failures.push(ran.describe(case, &problems.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} bad-input cases failed:\n\n{}\n",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}

/// An error caused by a `--set` value says `(from --set)` and carries no file line: the
/// value is not in the file, so pointing at a line of it would send the reader to the
/// wrong place.
#[test]
fn set_errors_are_attributed_to_set() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in CASES
        .iter()
        .filter(|c| !c.set.is_empty() && matches!(c.names, Names::Key(_)))
    {
        checked += 1;
        let ran = run_case(case);
        let stderr = ran.stderr();
        let mut problems = Vec::new();
        if !stderr.contains("(from --set)") {
            problems.push("stderr does not say (from --set)".to_string());
        }
        let pinned_to_line = stderr
            .split(&format!("{}:", ran.file))
            .skip(1)
            .any(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
        if pinned_to_line {
            problems.push("the error is pinned to a line of the file".to_string());
        }
        if !problems.is_empty() {
            failures.push(ran.describe(case, &problems.join("; ")));
        }
    }
    assert!(checked >= 10, "only {checked} --set cases");
    assert!(
        failures.is_empty(),
        "{} of {checked} --set cases were not attributed to --set:\n\n{}\n",
        failures.len(),
        failures.join("\n\n")
    );
}

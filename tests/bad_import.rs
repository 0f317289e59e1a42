//! Bad input to `import` and `fit` is refused cleanly: exit status 2, an error on stderr
//! that names the file and the JSON/YAML path at fault and says what was expected, nothing
//! on stdout, never a panic. One table; each case writes its files into its own folder.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

/// A file a case writes.
#[derive(Clone, Copy)]
enum Content {
    /// A fixture from tests/fixtures/import, unchanged.
    Fixture(&'static str),
    /// A fixture after an edit.
    Edited(&'static str, fn(&mut Value)),
    /// This text.
    Text(&'static str),
}

#[derive(Clone, Copy)]
struct Case {
    name: &'static str,
    /// Arguments after `deploysim`; `{dir}` is the case's folder.
    args: &'static [&'static str],
    /// Files written into the folder.
    files: &'static [(&'static str, Content)],
    /// Every one of these must appear in stderr (`{dir}` replaced).
    explain: &'static [&'static str],
}

const ECS: &[&str] = &[
    "import",
    "ecs",
    "--service",
    "{dir}/s.json",
    "--task-definition",
    "{dir}/t.json",
    "--out",
    "{dir}/out.toml",
];

const ECS_ALL: &[&str] = &[
    "import",
    "ecs",
    "--service",
    "{dir}/s.json",
    "--task-definition",
    "{dir}/t.json",
    "--target-group",
    "{dir}/g.json",
    "--target-group-attributes",
    "{dir}/a.json",
    "--container-instances",
    "{dir}/c.json",
    "--out",
    "{dir}/out.toml",
];

const K8S: &[&str] = &[
    "import",
    "kubernetes",
    "{dir}/d.yaml",
    "--out",
    "{dir}/out.toml",
];
const K8S_NODES: &[&str] = &[
    "import",
    "kubernetes",
    "{dir}/d.yaml",
    "--nodes",
    "{dir}/n.json",
    "--out",
    "{dir}/out.toml",
];
const FIT: &[&str] = &["fit", "{dir}/tasks.json", "--out", "{dir}/fit"];

const SERVICE: Content = Content::Fixture("service-ec2-rolling.json");
const TASK: Content = Content::Fixture("task-definition-ec2.json");

fn svc(v: &mut Value) -> &mut Value {
    &mut v["services"][0]
}

const DEPLOYMENT_YAML: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: shop\n          resources:\n            requests:\n              cpu: 500m\n              memory: 512Mi\n";

const CASES: &[Case] = &[
    // ---- ECS ----
    Case {
        name: "service file is not JSON",
        args: ECS,
        files: &[("s.json", Content::Text("services: [")), ("t.json", TASK)],
        explain: &["{dir}/s.json", "not valid JSON", "line 1"],
    },
    Case {
        name: "service file missing",
        args: ECS,
        files: &[("t.json", TASK)],
        explain: &["{dir}/s.json", "cannot read the file"],
    },
    Case {
        name: "no services, with failures",
        args: ECS,
        files: &[
            (
                "s.json",
                Content::Text(
                    r#"{"services": [], "failures": [{"arn": "arn:aws:ecs:us-east-1:1:service/prod/nope", "reason": "MISSING"}]}"#,
                ),
            ),
            ("t.json", TASK),
        ],
        explain: &["{dir}/s.json", "`services`", "holds no service", "MISSING"],
    },
    Case {
        name: "not describe-services output",
        args: ECS,
        files: &[
            ("s.json", Content::Text(r#"{"taskDefinition": {}}"#)),
            ("t.json", TASK),
        ],
        explain: &[
            "{dir}/s.json",
            "`services`",
            "is missing",
            "aws ecs describe-services",
        ],
    },
    Case {
        name: "maximumPercent is text",
        args: ECS,
        files: &[
            (
                "s.json",
                Content::Edited("service-ec2-rolling.json", |v| {
                    svc(v)["deploymentConfiguration"]["maximumPercent"] = json!("lots")
                }),
            ),
            ("t.json", TASK),
        ],
        explain: &[
            "{dir}/s.json",
            "`services[0].deploymentConfiguration.maximumPercent`",
            "expected a whole number from 100 to 1000",
            "\"lots\"",
        ],
    },
    Case {
        name: "minimumHealthyPercent above 100",
        args: ECS,
        files: &[
            (
                "s.json",
                Content::Edited("service-ec2-rolling.json", |v| {
                    svc(v)["deploymentConfiguration"]["minimumHealthyPercent"] = json!(150)
                }),
            ),
            ("t.json", TASK),
        ],
        explain: &[
            "`services[0].deploymentConfiguration.minimumHealthyPercent`",
            "from 0 to 100",
            "150",
        ],
    },
    Case {
        name: "desiredCount missing",
        args: ECS,
        files: &[
            (
                "s.json",
                Content::Edited("service-ec2-rolling.json", |v| {
                    svc(v).as_object_mut().unwrap().remove("desiredCount");
                }),
            ),
            ("t.json", TASK),
        ],
        explain: &[
            "`services[0].desiredCount`",
            "is missing",
            "desired task count",
        ],
    },
    Case {
        name: "desiredCount zero",
        args: ECS,
        files: &[
            (
                "s.json",
                Content::Edited("service-ec2-rolling.json", |v| {
                    svc(v)["desiredCount"] = json!(0)
                }),
            ),
            ("t.json", TASK),
        ],
        explain: &["`services[0].desiredCount`", "is 0", "nothing to deploy"],
    },
    Case {
        name: "launch type EXTERNAL",
        args: ECS,
        files: &[
            (
                "s.json",
                Content::Edited("service-ec2-rolling.json", |v| {
                    svc(v)["launchType"] = json!("EXTERNAL")
                }),
            ),
            ("t.json", TASK),
        ],
        explain: &["`services[0].launchType`", "EXTERNAL", "EC2 and FARGATE"],
    },
    Case {
        name: "daemon service",
        args: ECS,
        files: &[
            (
                "s.json",
                Content::Edited("service-ec2-rolling.json", |v| {
                    svc(v)["schedulingStrategy"] = json!("DAEMON")
                }),
            ),
            ("t.json", TASK),
        ],
        explain: &["`services[0].schedulingStrategy`", "DAEMON", "REPLICA"],
    },
    Case {
        name: "deployment controller EXTERNAL",
        args: ECS,
        files: &[
            (
                "s.json",
                Content::Edited("service-ec2-rolling.json", |v| {
                    svc(v)["deploymentController"]["type"] = json!("EXTERNAL")
                }),
            ),
            ("t.json", TASK),
        ],
        explain: &[
            "`services[0].deploymentController.type`",
            "EXTERNAL",
            "not modelled",
        ],
    },
    Case {
        name: "unknown deployment strategy",
        args: ECS,
        files: &[
            (
                "s.json",
                Content::Edited("service-ec2-rolling.json", |v| {
                    svc(v)["deploymentConfiguration"]["strategy"] = json!("YOLO")
                }),
            ),
            ("t.json", TASK),
        ],
        explain: &[
            "`services[0].deploymentConfiguration.strategy`",
            "ROLLING, BLUE_GREEN, LINEAR or CANARY",
            "YOLO",
        ],
    },
    Case {
        name: "placement strategy type unknown",
        args: ECS,
        files: &[
            (
                "s.json",
                Content::Edited("service-ec2-rolling.json", |v| {
                    svc(v)["placementStrategy"][1]["type"] = json!("scatter")
                }),
            ),
            ("t.json", TASK),
        ],
        explain: &[
            "`services[0].placementStrategy[1].type`",
            "spread, binpack or random",
            "scatter",
        ],
    },
    Case {
        name: "circuit breaker enable is text",
        args: ECS,
        files: &[
            (
                "s.json",
                Content::Edited("service-ec2-rolling.json", |v| {
                    svc(v)["deploymentConfiguration"]["deploymentCircuitBreaker"]["enable"] =
                        json!("yes")
                }),
            ),
            ("t.json", TASK),
        ],
        explain: &[
            "`services[0].deploymentConfiguration.deploymentCircuitBreaker.enable`",
            "true or false",
        ],
    },
    Case {
        name: "task definition file of the wrong command",
        args: ECS,
        files: &[
            ("s.json", SERVICE),
            ("t.json", Content::Fixture("target-group.json")),
        ],
        explain: &[
            "{dir}/t.json",
            "`taskDefinition`",
            "is missing",
            "describe-task-definition",
        ],
    },
    Case {
        name: "container with no memory",
        args: ECS,
        files: &[
            ("s.json", SERVICE),
            (
                "t.json",
                Content::Edited("task-definition-ec2.json", |v| {
                    v["taskDefinition"]["containerDefinitions"][0]
                        .as_object_mut()
                        .unwrap()
                        .remove("memoryReservation");
                }),
            ),
        ],
        explain: &[
            "`taskDefinition.containerDefinitions[0]`",
            "neither memory nor memoryReservation",
        ],
    },
    Case {
        name: "task-level memory malformed",
        args: ECS,
        files: &[
            ("s.json", SERVICE),
            (
                "t.json",
                Content::Edited("task-definition-ec2.json", |v| {
                    v["taskDefinition"]["memory"] = json!("two gigs")
                }),
            ),
        ],
        explain: &["`taskDefinition.memory`", "whole number", "gb", "two gigs"],
    },
    Case {
        name: "fargate task definition without task-level size",
        args: ECS,
        files: &[
            ("s.json", Content::Fixture("service-fargate.json")),
            (
                "t.json",
                Content::Edited("task-definition-fargate.json", |v| {
                    v["taskDefinition"].as_object_mut().unwrap().remove("cpu");
                }),
            ),
        ],
        explain: &[
            "`taskDefinition`",
            "Fargate task definition needs task-level cpu and memory",
        ],
    },
    Case {
        name: "stopTimeout negative",
        args: ECS,
        files: &[
            ("s.json", SERVICE),
            (
                "t.json",
                Content::Edited("task-definition-ec2.json", |v| {
                    v["taskDefinition"]["containerDefinitions"][0]["stopTimeout"] = json!(-5)
                }),
            ),
        ],
        explain: &[
            "`taskDefinition.containerDefinitions[0].stopTimeout`",
            "whole number from 0",
        ],
    },
    Case {
        name: "target groups empty",
        args: ECS_ALL,
        files: &[
            ("s.json", SERVICE),
            ("t.json", TASK),
            ("g.json", Content::Text(r#"{"TargetGroups": []}"#)),
            ("a.json", Content::Fixture("target-group-attributes.json")),
            ("c.json", Content::Fixture("container-instances.json")),
        ],
        explain: &["{dir}/g.json", "`TargetGroups`", "holds no target group"],
    },
    Case {
        name: "health check interval out of the ALB range",
        args: ECS_ALL,
        files: &[
            ("s.json", SERVICE),
            ("t.json", TASK),
            (
                "g.json",
                Content::Edited("target-group.json", |v| {
                    v["TargetGroups"][0]["HealthCheckIntervalSeconds"] = json!(1)
                }),
            ),
            ("a.json", Content::Fixture("target-group-attributes.json")),
            ("c.json", Content::Fixture("container-instances.json")),
        ],
        explain: &[
            "`TargetGroups[0].HealthCheckIntervalSeconds`",
            "from 5 to 300",
        ],
    },
    Case {
        name: "deregistration delay not a number",
        args: ECS_ALL,
        files: &[
            ("s.json", SERVICE),
            ("t.json", TASK),
            ("g.json", Content::Fixture("target-group.json")),
            (
                "a.json",
                Content::Edited("target-group-attributes.json", |v| {
                    v["Attributes"][1]["Value"] = json!("soon")
                }),
            ),
            ("c.json", Content::Fixture("container-instances.json")),
        ],
        explain: &[
            "{dir}/a.json",
            "`Attributes[1].Value`",
            "whole number from 0 to 3600",
            "soon",
        ],
    },
    Case {
        name: "no active container instance",
        args: ECS_ALL,
        files: &[
            ("s.json", SERVICE),
            ("t.json", TASK),
            ("g.json", Content::Fixture("target-group.json")),
            ("a.json", Content::Fixture("target-group-attributes.json")),
            (
                "c.json",
                Content::Edited("container-instances.json", |v| {
                    for i in v["containerInstances"].as_array_mut().unwrap() {
                        i["status"] = json!("DRAINING");
                    }
                }),
            ),
        ],
        explain: &[
            "{dir}/c.json",
            "`containerInstances`",
            "no ACTIVE container instance",
        ],
    },
    Case {
        name: "container instance without registered CPU",
        args: ECS_ALL,
        files: &[
            ("s.json", SERVICE),
            ("t.json", TASK),
            ("g.json", Content::Fixture("target-group.json")),
            ("a.json", Content::Fixture("target-group-attributes.json")),
            (
                "c.json",
                Content::Edited("container-instances.json", |v| {
                    v["containerInstances"][2]["registeredResources"]
                        .as_array_mut()
                        .unwrap()
                        .remove(0);
                }),
            ),
        ],
        explain: &[
            "`containerInstances[2].registeredResources`",
            "no CPU entry",
        ],
    },
    // ---- Kubernetes ----
    Case {
        name: "manifest is not YAML",
        args: K8S,
        files: &[(
            "d.yaml",
            Content::Text("kind: Deployment\nspec: [unclosed\n"),
        )],
        explain: &["{dir}/d.yaml", "not valid YAML", "line"],
    },
    Case {
        name: "manifest holds no Deployment",
        args: K8S,
        files: &[(
            "d.yaml",
            Content::Text(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: shop\n---\napiVersion: v1\nkind: ConfigMap\n",
            ),
        )],
        explain: &["{dir}/d.yaml", "holds no Deployment", "Service, ConfigMap"],
    },
    Case {
        name: "cpu request is not a quantity",
        args: K8S,
        files: &[(
            "d.yaml",
            Content::Text(
                "kind: Deployment\nmetadata:\n  name: shop\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: shop\n          resources:\n            requests:\n              cpu: lots\n",
            ),
        )],
        explain: &[
            "{dir}/d.yaml",
            "`spec.template.spec.containers[0].resources.requests.cpu`",
            "quantity such as \"500m\"",
            "lots",
        ],
    },
    Case {
        name: "maxSurge is neither integer nor percent",
        args: K8S,
        files: &[(
            "d.yaml",
            Content::Text(
                "kind: Deployment\nmetadata:\n  name: shop\nspec:\n  replicas: 3\n  strategy:\n    rollingUpdate:\n      maxSurge: a-few\n  template:\n    spec:\n      containers:\n        - name: shop\n",
            ),
        )],
        explain: &[
            "`spec.strategy.rollingUpdate.maxSurge`",
            "whole percent such as \"25%\"",
            "a-few",
        ],
    },
    Case {
        name: "replicas zero",
        args: K8S,
        files: &[(
            "d.yaml",
            Content::Text(
                "kind: Deployment\nmetadata:\n  name: shop\nspec:\n  replicas: 0\n  template:\n    spec:\n      containers:\n        - name: shop\n",
            ),
        )],
        explain: &["`spec.replicas`", "is 0"],
    },
    Case {
        name: "strategy type unknown",
        args: K8S,
        files: &[(
            "d.yaml",
            Content::Text(
                "kind: Deployment\nmetadata:\n  name: shop\nspec:\n  strategy:\n    type: BlueGreen\n  template:\n    spec:\n      containers:\n        - name: shop\n",
            ),
        )],
        explain: &[
            "`spec.strategy.type`",
            "RollingUpdate or Recreate",
            "BlueGreen",
        ],
    },
    Case {
        name: "no containers",
        args: K8S,
        files: &[(
            "d.yaml",
            Content::Text(
                "kind: Deployment\nmetadata:\n  name: shop\nspec:\n  template:\n    spec: {}\n",
            ),
        )],
        explain: &["`spec.template.spec.containers`", "is missing"],
    },
    Case {
        name: "preStop command is not a list of words",
        args: K8S,
        files: &[(
            "d.yaml",
            Content::Text(
                "kind: Deployment\nmetadata:\n  name: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: shop\n          lifecycle:\n            preStop:\n              exec:\n                command: 15\n",
            ),
        )],
        explain: &[
            "{dir}/d.yaml",
            "`spec.template.spec.containers[0].lifecycle.preStop.exec.command`",
            "a list of words",
        ],
    },
    Case {
        name: "node allocatable memory malformed",
        args: K8S_NODES,
        files: &[
            ("d.yaml", Content::Text(DEPLOYMENT_YAML)),
            (
                "n.json",
                Content::Edited("nodes.json", |v| {
                    v["items"][1]["status"]["allocatable"]["memory"] = json!("7GB-ish")
                }),
            ),
        ],
        explain: &[
            "{dir}/n.json",
            "`items[1].status.allocatable.memory`",
            "quantity",
            "7GB-ish",
        ],
    },
    Case {
        name: "nodes file holds pods",
        args: K8S_NODES,
        files: &[
            ("d.yaml", Content::Text(DEPLOYMENT_YAML)),
            ("n.json", Content::Fixture("pods.json")),
        ],
        explain: &["{dir}/n.json", "`items[0].kind`", "expected a Node", "Pod"],
    },
    // ---- fit ----
    Case {
        name: "fit: neither tasks nor pods",
        args: FIT,
        files: &[("tasks.json", Content::Text(r#"{"services": []}"#))],
        explain: &[
            "{dir}/tasks.json",
            "neither `tasks`",
            "describe-tasks",
            "kubectl get pods",
        ],
    },
    Case {
        name: "fit: malformed timestamp",
        args: FIT,
        files: &[(
            "tasks.json",
            Content::Edited("tasks-ecs.json", |v| {
                v["tasks"][3]["pullStoppedAt"] = json!("half past nine")
            }),
        )],
        explain: &[
            "{dir}/tasks.json",
            "`tasks[3].pullStoppedAt`",
            "ISO-8601 timestamp",
            "half past nine",
        ],
    },
    Case {
        name: "fit: timestamps out of order",
        args: FIT,
        files: &[(
            "tasks.json",
            Content::Edited("tasks-ecs.json", |v| {
                v["tasks"][0]["pullStoppedAt"] = json!("2020-01-01T00:00:00.000000+00:00")
            }),
        )],
        explain: &[
            "`tasks[0].pullStoppedAt`",
            "earlier than tasks[0].pullStartedAt",
        ],
    },
    Case {
        name: "fit: no task has timestamps",
        args: FIT,
        files: &[(
            "tasks.json",
            Content::Text(r#"{"tasks": [{"taskArn": "a"}, {"taskArn": "b"}], "failures": []}"#),
        )],
        explain: &["{dir}/tasks.json", "none of its 2 tasks", "nothing to fit"],
    },
    Case {
        name: "fit: pod timestamps malformed",
        args: FIT,
        files: &[(
            "tasks.json",
            Content::Edited("pods.json", |v| {
                v["items"][5]["metadata"]["creationTimestamp"] = json!(true)
            }),
        )],
        explain: &[
            "`items[5].metadata.creationTimestamp`",
            "expected a timestamp",
        ],
    },
    Case {
        name: "fit --into a file that is not TOML",
        args: &[
            "fit",
            "{dir}/tasks.json",
            "--into",
            "{dir}/s.toml",
            "--out",
            "{dir}/fit",
        ],
        files: &[
            ("tasks.json", Content::Fixture("tasks-ecs.json")),
            ("s.toml", Content::Text("name = [\n")),
        ],
        explain: &["{dir}/s.toml", "not valid TOML"],
    },
    Case {
        name: "fit --into a scenario where launch is not a table",
        args: &[
            "fit",
            "{dir}/tasks.json",
            "--into",
            "{dir}/s.toml",
            "--out",
            "{dir}/fit",
        ],
        files: &[
            ("tasks.json", Content::Fixture("tasks-ecs.json")),
            ("s.toml", Content::Text("name = \"x\"\nlaunch = 3\n")),
        ],
        explain: &["{dir}/s.toml", "`launch`", "is not a table"],
    },
];

fn write(dir: &Path, name: &str, content: Content) {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let text = match content {
        Content::Fixture(f) => std::fs::read_to_string(fixtures.join(f)).unwrap(),
        Content::Edited(f, edit) => {
            let mut value: Value =
                serde_json::from_str(&std::fs::read_to_string(fixtures.join(f)).unwrap()).unwrap();
            edit(&mut value);
            serde_json::to_string_pretty(&value).unwrap()
        }
        Content::Text(t) => t.to_string(),
    };
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn bad_import_input_is_refused_with_status_2() {
    assert!(CASES.len() >= 30, "only {} cases", CASES.len());
    let mut failures = Vec::new();
    for case in CASES {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display().to_string();
        for (name, content) in case.files {
            write(dir.path(), name, *content);
        }
        let args: Vec<String> = case.args.iter().map(|a| a.replace("{dir}", &d)).collect();
        let output = Command::new(env!("CARGO_BIN_EXE_deploysim"))
            .args(&args)
            .env("RUST_BACKTRACE", "0")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let mut problems = Vec::new();
        if stderr.contains("panicked") {
            problems.push("panicked".to_string());
        }
        if output.status.code() != Some(2) {
            problems.push(format!(
                "exit status {:?}, expected 2",
                output.status.code()
            ));
        }
        if !output.stdout.is_empty() {
            problems.push("stdout is not empty".to_string());
        }
        for word in case.explain {
            let word = word.replace("{dir}", &d);
            if !stderr.contains(&word) {
                problems.push(format!("stderr lacks {word:?}"));
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "case {:?}: {}\n  stderr: {}",
                case.name,
                problems.join("; "),
                stderr.trim_end()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}

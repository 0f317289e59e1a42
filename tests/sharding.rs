//! Sharded runs: three shards merged give exactly the bytes of the unsharded run, and
//! merge refuses shards that do not make up one run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SCENARIO: &str = "scenarios/three-zone-service.toml";
/// Prices hosts (so `cost` is exercised) with a price that has no short decimal form.
const SET: [&str; 2] = ["--set", "cluster.host_hourly_cost=0.1234567"];

fn deploysim(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_deploysim"));
    command
        .args(args)
        .env_remove("JOB_COMPLETION_INDEX")
        .env_remove("AWS_BATCH_JOB_ARRAY_INDEX");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("the binary runs")
}

fn ok(output: Output) -> Output {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn refused(output: Output, words: &[&str]) {
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    for word in words {
        assert!(stderr.contains(word), "{word:?} not in: {stderr}");
    }
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn shard(out: &Path, spec: &str, runs: &str, env: &[(&str, &str)]) -> PathBuf {
    let mut args = vec![
        "run", SCENARIO, "--runs", runs, "--seed", "7", "--shard", spec,
    ];
    args.extend(SET);
    args.extend(["--out", path(out)]);
    ok(deploysim(&args, env));
    out.to_path_buf()
}

fn read(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join("three-zone-service").join(file)).unwrap()
}

#[test]
fn three_shards_merge_to_the_unsharded_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    let mut args = vec!["run", SCENARIO, "--runs", "301", "--seed", "7"];
    args.extend(SET);
    args.extend(["--threads", "2", "--out", path(&whole)]);
    ok(deploysim(&args, &[]));

    // One shard by explicit index, one as a Kubernetes Indexed Job, one as AWS Batch.
    let a = shard(&dir.path().join("a"), "0/3", "301", &[]);
    let b = shard(
        &dir.path().join("b"),
        "auto/3",
        "301",
        &[("JOB_COMPLETION_INDEX", "1")],
    );
    let c = shard(
        &dir.path().join("c"),
        "auto/3",
        "301",
        &[("AWS_BATCH_JOB_ARRAY_INDEX", "2")],
    );
    let merged = dir.path().join("merged");
    // Given in a shuffled order.
    ok(deploysim(
        &[
            "merge",
            path(&c),
            path(&a),
            path(&b),
            "--out",
            path(&merged),
        ],
        &[],
    ));
    for file in ["replications.csv", "summary.json"] {
        let (expected, got) = (read(&whole, file), read(&merged, file));
        assert!(expected.len() > 1000, "{file} is suspiciously short");
        assert!(
            expected == got,
            "{file}: merged bytes differ from the unsharded run"
        );
    }
}

/// Fargate's and host groups' costs (a task price, per-group prices) are stored in the
/// shards, so merged bytes equal the unsharded run's there too.
#[test]
fn fargate_and_group_costs_survive_sharding() {
    for (file, name) in [
        ("scenarios/fargate-web.toml", "fargate-web"),
        ("scenarios/ec2-web.toml", "ec2-web"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let whole = dir.path().join("whole");
        let base = ["run", file, "--runs", "60", "--seed", "3"];
        let mut args = base.to_vec();
        args.extend(["--out", path(&whole)]);
        ok(deploysim(&args, &[]));
        let mut parts = Vec::new();
        for index in 0..2 {
            let out = dir.path().join(format!("s{index}"));
            let spec = format!("{index}/2");
            let mut args = base.to_vec();
            args.extend(["--shard", &spec, "--out", path(&out)]);
            ok(deploysim(&args, &[]));
            parts.push(out);
        }
        let merged = dir.path().join("merged");
        ok(deploysim(
            &[
                "merge",
                path(&parts[0]),
                path(&parts[1]),
                "--out",
                path(&merged),
            ],
            &[],
        ));
        let csv = |d: &Path| std::fs::read(d.join(name).join("replications.csv")).unwrap();
        let expected = csv(&whole);
        assert!(
            String::from_utf8_lossy(&expected)
                .lines()
                .nth(1)
                .unwrap()
                .contains("0.0"),
            "{file}: a priced run"
        );
        assert!(expected == csv(&merged), "{file}: merged bytes differ");
    }
}

#[test]
fn more_shards_than_replications_still_merge() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    let mut args = vec!["run", SCENARIO, "--runs", "3", "--seed", "7"];
    args.extend(SET);
    args.extend(["--out", path(&whole)]);
    ok(deploysim(&args, &[]));
    let shards = dir.path().join("shards");
    for i in 0..5 {
        shard(&shards, &format!("{i}/5"), "3", &[]);
    }
    let merged = dir.path().join("merged");
    ok(deploysim(
        &["merge", path(&shards), "--out", path(&merged)],
        &[],
    ));
    assert!(read(&whole, "replications.csv") == read(&merged, "replications.csv"));
    assert!(read(&whole, "summary.json") == read(&merged, "summary.json"));
}

#[test]
fn merge_refuses_shards_that_are_not_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let out = |name: &str| root.join(name);
    let merged = out("merged");
    let merge = |dirs: &[&Path]| {
        let mut args = vec!["merge"];
        args.extend(dirs.iter().map(|d| path(d)));
        args.extend(["--out", path(&merged)]);
        deploysim(&args, &[])
    };
    let a = shard(&out("a"), "0/3", "30", &[]);
    let b = shard(&out("b"), "1/3", "30", &[]);
    let c = shard(&out("c"), "2/3", "30", &[]);

    refused(merge(&[&a, &c]), &["missing shard 1/3"]);

    let copy = out("copy");
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::copy(
        b.join("three-zone-service/shard-0001-of-0003.json"),
        copy.join("shard-0001-of-0003.json"),
    )
    .unwrap();
    refused(merge(&[&a, &b, &copy, &c]), &["shard 1/3 is given twice"]);

    // Same shard index, another seed.
    let other_seed = out("seed");
    let mut args = vec![
        "run", SCENARIO, "--runs", "30", "--seed", "8", "--shard", "1/3", "--out",
    ];
    args.extend([path(&other_seed)]);
    args.extend(SET);
    ok(deploysim(&args, &[]));
    refused(
        merge(&[&a, &other_seed, &c]),
        &["different runs", "seed 8 vs 7"],
    );

    // Another run count, or another scenario value.
    let other_runs = shard(&out("runs"), "1/3", "31", &[]);
    refused(merge(&[&a, &other_runs, &c]), &["different runs", "runs"]);
    let other_value = out("value");
    ok(deploysim(
        &[
            "run",
            SCENARIO,
            "--runs",
            "30",
            "--seed",
            "7",
            "--shard",
            "1/3",
            "--set",
            "cluster.host_hourly_cost=0.5",
            "--out",
            path(&other_value),
        ],
        &[],
    ));
    refused(
        merge(&[&a, &other_value, &c]),
        &["different runs", "resolved scenario"],
    );

    // A shard file cut short.
    let cut = out("cut");
    std::fs::create_dir_all(&cut).unwrap();
    let bytes = read(&b, "shard-0001-of-0003.json");
    std::fs::write(
        cut.join("shard-0001-of-0003.json"),
        &bytes[..bytes.len() / 2],
    )
    .unwrap();
    refused(merge(&[&a, &cut, &c]), &["cut short"]);

    refused(
        merge(&[&out("empty-dir-that-does-not-exist")]),
        &["no such"],
    );
    std::fs::create_dir_all(out("empty")).unwrap();
    refused(merge(&[&out("empty")]), &["no shard files"]);

    // And the real three merge.
    ok(merge(&[&a, &b, &c]));
}

#[test]
fn bad_shard_flags_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let run = |spec: &str, env: &[(&str, &str)]| {
        deploysim(
            &[
                "run",
                SCENARIO,
                "--runs",
                "5",
                "--shard",
                spec,
                "--out",
                path(dir.path()),
            ],
            env,
        )
    };
    refused(run("3/3", &[]), &["--shard 3/3", "below N = 3"]);
    refused(run("1", &[]), &["--shard 1", "I/N"]);
    refused(run("1/0", &[]), &["--shard 1/0", "at least 1"]);
    refused(run("x/2", &[]), &["--shard x/2", "whole number"]);
    refused(
        run("auto/2", &[]),
        &["JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"],
    );
    refused(
        run("auto/2", &[("JOB_COMPLETION_INDEX", "2")]),
        &["JOB_COMPLETION_INDEX=\"2\"", "below N = 2"],
    );
    refused(
        run("auto/2", &[("AWS_BATCH_JOB_ARRAY_INDEX", "one")]),
        &["AWS_BATCH_JOB_ARRAY_INDEX", "whole number"],
    );
}

/// A Kubernetes Deployment with a node autoscaler: three shards merged give the bytes of
/// the unsharded run (including early_terminations and settled_seconds).
#[test]
fn kubernetes_shards_merge_to_the_unsharded_bytes() {
    let scenario = "scenarios/k8s-karpenter.toml";
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    let run = |out: &Path, extra: &[&str]| {
        let mut args = vec!["run", scenario, "--runs", "150", "--seed", "3"];
        args.extend(extra);
        args.extend(["--out", path(out)]);
        ok(deploysim(&args, &[]));
    };
    run(&whole, &["--threads", "2"]);
    let shards = dir.path().join("shards");
    for i in 0..3 {
        run(&shards, &["--shard", &format!("{i}/3")]);
    }
    let merged = dir.path().join("merged");
    ok(deploysim(
        &["merge", path(&shards), "--out", path(&merged)],
        &[],
    ));
    for file in ["replications.csv", "summary.json"] {
        let read = |dir: &Path| std::fs::read(dir.join("k8s-karpenter").join(file)).unwrap();
        let (expected, got) = (read(&whole), read(&merged));
        assert!(expected.len() > 1000, "{file} is suspiciously short");
        assert!(
            expected == got,
            "{file}: merged bytes differ from the unsharded run"
        );
    }
}

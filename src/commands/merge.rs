//! `deploysim merge`: shard files in, the reports of the unsharded run out.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::cli::MergeArgs;
use crate::experiment::shard::{self, ShardFile};
use crate::output::folder_name;

use super::UsageError;
use super::run::write_reports;

pub fn merge(args: MergeArgs) -> anyhow::Result<()> {
    let mut paths = Vec::new();
    for dir in &args.dirs {
        if dir.is_file() {
            paths.push(dir.clone());
        } else if dir.is_dir() {
            let before = paths.len();
            find_shards(dir, 2, &mut paths)?;
            if paths.len() == before {
                return Err(UsageError(format!(
                    "{}: no shard files (shard-IIII-of-NNNN.json, written by run --shard) in this folder or the two below it",
                    dir.display()
                ))
                .into());
            }
        } else {
            return Err(UsageError(format!("{}: no such file or folder", dir.display())).into());
        }
    }
    paths.sort();
    paths.dedup();
    let mut shards = Vec::with_capacity(paths.len());
    for path in paths {
        let label = path.display().to_string();
        let bytes = std::fs::read(&path).with_context(|| format!("cannot read {label}"))?;
        let file: ShardFile = serde_json::from_slice(&bytes).map_err(|e| {
            UsageError(format!(
                "{label}: not a deploysim shard file, or cut short ({e})"
            ))
        })?;
        shards.push((label, file));
    }
    let merged = shard::merge(shards).map_err(UsageError)?;
    let folder = args.out.join(folder_name(&merged.scenario.name));
    write_reports(
        &merged.run,
        &merged.scenario,
        &merged.results,
        &folder,
        args.format,
    )
}

/// Shard files in `dir` and up to `depth` folders below it. Hidden files (temporary
/// files of an unfinished write) are never shards.
fn find_shards(dir: &Path, depth: u32, found: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read folder {}", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read folder {}", dir.display()))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            if depth > 0 {
                find_shards(&path, depth - 1, found)?;
            }
        } else if is_shard_name(&name) {
            found.push(path);
        }
    }
    Ok(())
}

fn is_shard_name(name: &str) -> bool {
    name.strip_prefix("shard-")
        .and_then(|rest| rest.strip_suffix(".json"))
        .and_then(|rest| rest.split_once("-of-"))
        .is_some_and(|(i, n)| {
            !i.is_empty()
                && !n.is_empty()
                && i.bytes().all(|b| b.is_ascii_digit())
                && n.bytes().all(|b| b.is_ascii_digit())
        })
}

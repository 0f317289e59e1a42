//! `deploysim import ecs|kubernetes`: read the files, import, write the scenario.

use std::path::Path;

use crate::cli::{ImportArgs, ImportSource};
use crate::import::ecs::{EcsInputs, import as import_ecs};
use crate::import::kubernetes::import as import_kubernetes;
use crate::import::source::read_text;
use crate::import::{Document, ImportError};
use crate::output::write_atomic;

use super::UsageError;

fn usage(error: ImportError) -> anyhow::Error {
    UsageError(error.to_string()).into()
}

fn json(path: &Path) -> anyhow::Result<Document> {
    Document::read_json(path).map_err(usage)
}

pub fn import(args: ImportArgs) -> anyhow::Result<()> {
    let (text, out) = match args.source {
        ImportSource::Ecs(args) => {
            let inputs = EcsInputs {
                service: json(&args.service)?,
                task_definition: json(&args.task_definition)?,
                target_group: args.target_group.as_deref().map(json).transpose()?,
                target_group_attributes: args
                    .target_group_attributes
                    .as_deref()
                    .map(json)
                    .transpose()?,
                container_instances: args.container_instances.as_deref().map(json).transpose()?,
            };
            (import_ecs(&inputs).map_err(usage)?, args.out)
        }
        ImportSource::Kubernetes(args) => {
            let manifest = read_text(&args.manifest).map_err(usage)?;
            let nodes = args.nodes.as_deref().map(json).transpose()?;
            let file = args.manifest.display().to_string();
            (
                import_kubernetes(&manifest, &file, nodes.as_ref()).map_err(usage)?,
                args.out,
            )
        }
    };
    write_atomic(&out, text.as_bytes())?;
    let keys = text
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains(" = "))
        .count();
    let assumed = text
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains("# assumed"))
        .count();
    let check = match assumed {
        0 => "none assumed".to_string(),
        n => format!("{n} assumed: check those"),
    };
    println!(
        "wrote {} ({keys} keys, {check}; fields the model cannot use are listed at the top)",
        out.display()
    );
    Ok(())
}

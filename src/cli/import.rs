//! `import` and `fit`: scenarios and timings from what a real cluster prints.

use std::path::PathBuf;

use clap::{Args, Subcommand};

#[derive(Args, Debug)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub source: ImportSource,
}

#[derive(Subcommand, Debug)]
pub enum ImportSource {
    /// From the JSON of `aws ecs describe-services`, `describe-task-definition`, and
    /// optionally `aws elbv2 describe-target-groups`, `describe-target-group-attributes`
    /// and `aws ecs describe-container-instances`.
    Ecs(ImportEcsArgs),
    /// From a Deployment manifest (YAML or JSON) and optionally `kubectl get nodes -o json`.
    Kubernetes(ImportKubernetesArgs),
}

#[derive(Args, Debug)]
pub struct ImportEcsArgs {
    /// `aws ecs describe-services --cluster C --services S` output.
    #[arg(long, value_name = "FILE")]
    pub service: PathBuf,
    /// `aws ecs describe-task-definition --task-definition T` output.
    #[arg(long, value_name = "FILE")]
    pub task_definition: PathBuf,
    /// `aws elbv2 describe-target-groups --target-group-arns ARN` output.
    #[arg(long, value_name = "FILE")]
    pub target_group: Option<PathBuf>,
    /// `aws elbv2 describe-target-group-attributes --target-group-arn ARN` output.
    #[arg(long, value_name = "FILE")]
    pub target_group_attributes: Option<PathBuf>,
    /// `aws ecs describe-container-instances --cluster C --container-instances ...` output.
    #[arg(long, value_name = "FILE")]
    pub container_instances: Option<PathBuf>,
    /// The scenario file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Args, Debug)]
pub struct ImportKubernetesArgs {
    /// The Deployment manifest, or `kubectl get deployment NAME -o yaml` output; in a
    /// multi-document file the first Deployment is used.
    pub manifest: PathBuf,
    /// `kubectl get nodes -o json` output (node sizes and zones).
    #[arg(long, value_name = "FILE")]
    pub nodes: Option<PathBuf>,
    /// The scenario file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Args, Debug)]
pub struct FitArgs {
    /// `aws ecs describe-tasks` or `kubectl get pods -o json` output.
    pub observations: PathBuf,
    /// Write the fitted keys into this scenario (only those keys change; comments stay).
    /// Empirical files go beside it.
    #[arg(long, value_name = "SCENARIO")]
    pub into: Option<PathBuf>,
    /// Folder for the fit report (fit.txt, fit.csv, one chart per key, report.html), and
    /// without --into also fitted.toml and its empirical files.
    #[arg(long, default_value = "output/fit", value_name = "DIR")]
    pub out: PathBuf,
}

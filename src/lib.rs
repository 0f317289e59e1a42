//! deploysim: a discrete-event simulator of rolling container deployments (ECS on EC2
//! behind a load balancer), for capacity questions answered before touching a cluster.
//!
//! Data flows one way: [`scenario`] (a validated TOML file) -> [`model`] (one
//! replication, driven by the domain-free [`engine`]) -> [`experiment`] (many
//! replications in parallel, statistics) -> [`report`] (CSV, JSON, text).

pub mod cli;
pub mod commands;
pub mod engine;
pub mod experiment;
pub mod import;
pub mod model;
pub mod output;
pub mod report;
pub mod scenario;

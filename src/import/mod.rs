//! Inputs from real systems (docs/model.md section 16): scenarios imported from what `aws` and
//! `kubectl` print, and duration keys fitted to observed task lifecycles.
//!
//! Each importer is a pure function from parsed input files to scenario text; reading and
//! writing files is the command's job (`commands/import.rs`, `commands/fit.rs`).

pub mod ecs;
pub mod emit;
pub mod fit;
pub mod kubernetes;
pub mod lifecycles;
pub mod rewrite;
pub mod source;

pub use source::{Document, ImportError};

/// The last component of a path, for comments that stay readable (`service.json`).
pub(crate) fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

//! `deploysim init PATH`: a commented starter scenario that runs as it is.

use crate::cli::InitArgs;
use crate::output::write_atomic;

use super::UsageError;

/// The starter scenario; its `name` is replaced by one made from the file name.
const STARTER: &str = include_str!("../../assets/starter.toml");

/// A scenario name from a file name: `my-service.toml` -> `my-service`; characters other
/// than letters, digits, `-` and `_` become `-` (the name is an output folder's name).
fn name_from(path: &std::path::Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_matches('-').to_string();
    if name.is_empty() {
        "my-service".to_string()
    } else {
        name
    }
}

/// The starter text named `name`.
pub fn starter(name: &str) -> String {
    STARTER.replacen("name = \"my-service\"", &format!("name = \"{name}\""), 1)
}

pub fn init(args: InitArgs) -> anyhow::Result<()> {
    let path = &args.path;
    if path.exists() && !args.force {
        return Err(UsageError(format!(
            "{} already exists; choose another file name, or add --force to overwrite it",
            path.display()
        ))
        .into());
    }
    if path.is_dir() {
        return Err(UsageError(format!(
            "{} is a folder; give a file name such as {}/my-service.toml",
            path.display(),
            path.display()
        ))
        .into());
    }
    write_atomic(path, starter(&name_from(path)).as_bytes())?;
    println!("wrote {}", path.display());
    println!(
        "next: deploysim run {}   (then edit the numbers to your service's)",
        super::shell_quote(&path.display().to_string())
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_file_name() {
        assert_eq!(
            name_from(std::path::Path::new("a/checkout-api.toml")),
            "checkout-api"
        );
        assert_eq!(
            name_from(std::path::Path::new("my service.toml")),
            "my-service"
        );
        assert_eq!(name_from(std::path::Path::new(".toml")), "toml");
    }

    // The starter is a valid scenario as written, with the name it was given.
    #[test]
    fn the_starter_is_valid() {
        let text = starter("checkout-api");
        let scenario =
            crate::scenario::from_text(&text, "starter.toml", std::path::Path::new("."), &[])
                .expect("the starter scenario is valid");
        assert_eq!(scenario.name, "checkout-api");
        assert_eq!(scenario.service.desired, 40);
    }
}

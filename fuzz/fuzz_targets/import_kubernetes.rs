//! Fuzzes `import kubernetes`: the input is a manifest (YAML or JSON, any number of
//! documents), optionally followed by a line `----NODES----` and `kubectl get nodes -o
//! json` output. Importing must return text or an error, never panic.
//!
//!     cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run import_kubernetes corpus/import_kubernetes ../tests/fixtures/import -- -max_total_time=600
#![no_main]

use std::path::Path;

use deploysim::import::Document;
use deploysim::import::kubernetes::import;
use deploysim::scenario::from_text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (manifest, nodes) = match text.split_once("\n----NODES----\n") {
        Some((m, n)) => (m, Document::parse_json(n, "nodes.json").ok()),
        None => (text, None),
    };
    if let Ok(scenario) = import(manifest, "manifest.yaml", nodes.as_ref()) {
        let _ = from_text(&scenario, "imported.toml", Path::new("/nonexistent"), &[]);
    }
});

//! Fuzzes `import ecs`: the input is up to five JSON documents separated by lines of
//! `----` (service, task definition, target groups, attributes, container instances).
//! Importing must return text or an error, never panic; imported text is then loaded as a
//! scenario, which must not panic either.
//!
//!     cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run import_ecs corpus/import_ecs ../tests/fixtures/import -- -max_total_time=600
#![no_main]

use std::path::Path;

use deploysim::import::Document;
use deploysim::import::ecs::{EcsInputs, import};
use deploysim::scenario::from_text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parts: Vec<&str> = text.split("\n----\n").collect();
    let doc = |i: usize| -> Option<Document> {
        parts
            .get(i)
            .and_then(|t| Document::parse_json(t, &format!("part{i}.json")).ok())
    };
    let (Some(service), Some(task_definition)) = (doc(0), doc(1)) else {
        return;
    };
    let inputs = EcsInputs {
        service,
        task_definition,
        target_group: doc(2),
        target_group_attributes: doc(3),
        container_instances: doc(4),
    };
    if let Ok(scenario) = import(&inputs) {
        let _ = from_text(&scenario, "imported.toml", Path::new("/nonexistent"), &[]);
    }
});

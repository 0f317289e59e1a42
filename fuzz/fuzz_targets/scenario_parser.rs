//! Fuzzes the scenario parser: any bytes as a scenario file, plus up to three `--set`
//! strings cut from the same input. Parsing and validation must return `Ok` or `Err`, never
//! panic; a scenario that loads must also compile to model parameters and run a short,
//! event-capped replication to its end.
//!
//!     cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run scenario_parser corpus/scenario_parser ../scenarios -- -dict=scenario.dict -max_total_time=600
#![no_main]

use std::path::Path;

use deploysim::model::{NoObserver, Params, World};
use deploysim::scenario::{Override, from_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Lines starting with `--set ` are overrides; the rest is the file.
    let mut file = String::new();
    let mut overrides = Vec::new();
    for line in text.split_inclusive('\n') {
        match line.strip_prefix("--set ") {
            Some(set) if overrides.len() < 3 => {
                if let Ok(o) = Override::parse(set.trim_end_matches('\n')) {
                    overrides.push(o);
                }
            }
            _ => file.push_str(line),
        }
    }
    // `empirical("...")` paths resolve under a folder that does not exist: reading fails
    // cleanly instead of touching real files.
    let base = Path::new("/nonexistent-deploysim-fuzz");
    if let Ok(scenario) = from_text(&file, "fuzz.toml", base, &overrides) {
        // Keep each input cheap: skip huge fleets (they are valid, just slow).
        let hosts: u64 = deploysim::scenario::host_groups(&scenario)
            .iter()
            .map(|g| g.count as u64)
            .sum();
        if hosts > 2_000 || scenario.service.desired > 2_000 {
            return;
        }
        let _ = deploysim::report::resolved_scenario_toml(&scenario);
        let mut world = World::new(Params::new(&scenario));
        world.set_event_limit(Some(20_000));
        let result = world.run(1, 0, &mut NoObserver);
        assert!(result.events <= 20_000);
    }
});

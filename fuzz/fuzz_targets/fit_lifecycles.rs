//! Fuzzes `fit`'s reader and statistics: any JSON as `aws ecs describe-tasks` or
//! `kubectl get pods -o json` output. Reading, fitting, formatting the fitted values and
//! writing them into a small scenario must never panic; a fitted log-normal must have
//! p95 >= median.
//!
//!     cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run fit_lifecycles corpus/fit_lifecycles ../tests/fixtures/import -- -max_total_time=600
#![no_main]

use deploysim::import::Document;
use deploysim::import::fit::fit_key;
use deploysim::import::lifecycles::observe;
use deploysim::import::rewrite::{Assignment, fitted_value, set_keys};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(doc) = Document::parse_json(text, "tasks.json") else {
        return;
    };
    let Ok(observed) = observe(&doc) else {
        return;
    };
    let mut assignments = Vec::new();
    for samples in &observed.samples {
        let fit = fit_key(samples.key, samples.span, &samples.seconds);
        if let Some(law) = fit.lognormal
            && law.sigma.is_finite()
        {
            assert!(law.p95() >= law.median() || !law.p95().is_finite());
        }
        if let Some(value) = fitted_value(&fit, "x.csv") {
            assignments.push(Assignment {
                key: samples.key.to_string(),
                value,
                comment: "fuzz".into(),
            });
        }
    }
    let _ = set_keys("name = \"f\"\n[launch]\nstart = \"1s\"\n", "f.toml", &assignments);
});

//! `deploysim validate`: check a file, print it resolved.

use crate::cli::ValidateArgs;
use crate::experiment::preflight;
use crate::model::Params;
use crate::report;

use super::load_scenario;

pub fn validate(args: ValidateArgs) -> anyhow::Result<()> {
    let scenario = load_scenario(&args.scenario)?;
    let params = Params::new(&scenario);
    println!("# {}: valid", args.scenario.file.display());
    println!(
        "# D = {}, MIN = {} healthy, MAX = {} active, {} task(s) per host, {} service + {} spare hosts in {} zone(s)",
        params.desired,
        params.min_healthy,
        params.max_active,
        params.per_host,
        params.service_hosts,
        params.spare_hosts,
        params.zones
    );
    let findings = preflight::check(&scenario);
    if findings.is_empty() {
        println!("# pre-flight: nothing found that stops the deploy from finishing");
    }
    for finding in &findings {
        println!("# pre-flight: {finding}");
    }
    print!("{}", report::resolved_scenario_toml(&scenario));
    Ok(())
}

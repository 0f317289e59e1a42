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
    let cluster = if params.fargate.is_some() {
        format!("Fargate in {} zone(s)", params.zones)
    } else if scenario.cluster.host_group.is_empty() {
        format!(
            "{} task(s) per host, {} service + {} spare hosts in {} zone(s)",
            params.per_host, params.service_hosts, params.spare_hosts, params.zones
        )
    } else {
        format!(
            "{} service + {} spare hosts in {} group(s), {} zone(s)",
            params.service_hosts,
            params.spare_hosts,
            params.fleet.groups.len(),
            params.zones
        )
    };
    println!(
        "# D = {}, MIN = {} healthy, MAX = {} active, {cluster}",
        params.desired, params.min_healthy, params.max_active,
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

//! What host time costs, per deploy and per day.
//!
//! A run measures, per deploy, the spare hosts' time during the deploy and the time of the
//! hosts managed scaling launched (`host_seconds_extra`). That per-deploy figure alone
//! misleads: spare hosts are not started for a deploy and stopped after it, they are kept
//! up all day, so ten spare hosts that finish sooner than nine look cheaper per deploy
//! while costing more every day. The daily figures count what is paid:
//!
//! ```text
//! scaled host-hours per deploy = mean over all runs of (host_seconds_extra - spare_hosts x T) / 3600
//! extra host-hours per day     = spare_hosts x 24 + deploys_per_day x scaled host-hours per deploy
//! cluster host-hours per day   = (hosts + spare_hosts) x 24 + deploys_per_day x scaled host-hours per deploy
//! daily cost                   = host-hours per day x host_hourly_cost
//! monthly cost                 = daily cost x 730 / 24   (730 hours a month, as AWS prices)
//! ```
//!
//! where T is each run's `deploy_seconds` (so a scaled-out host is paid from its launch to
//! `scale_in_after` past the deploy's end, only on the days' deploys).

use serde::Serialize;

use crate::model::ReplicationResult;
use crate::scenario::Scenario;

/// Hours in a month, as AWS's monthly prices count them.
pub const HOURS_PER_MONTH: f64 = 730.0;

/// Host time and its price, per deploy and per day. Means over all replications.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DailyCost {
    pub currency: String,
    /// `cluster.host_hourly_cost`; `None` leaves every price out (host-hours remain).
    pub host_hourly_cost: Option<f64>,
    pub deploys_per_day: f64,
    pub service_hosts: u32,
    pub spare_hosts: u32,
    /// Spare and scaled-out host-hours during one deploy (the per-deploy view).
    pub per_deploy_host_hours: f64,
    /// Hosts launched by managed scaling: host-hours per deploy, launch to scale-in.
    pub scaled_host_hours_per_deploy: f64,
    /// Spare hosts all day plus scaled-out hosts on each deploy.
    pub extra_host_hours_per_day: f64,
    /// Service hosts and spare hosts all day plus scaled-out hosts on each deploy.
    pub cluster_host_hours_per_day: f64,
    pub per_deploy: Option<f64>,
    pub extra_daily: Option<f64>,
    pub extra_monthly: Option<f64>,
    pub cluster_daily: Option<f64>,
    pub cluster_monthly: Option<f64>,
}

impl DailyCost {
    pub fn of(scenario: &Scenario, results: &[ReplicationResult]) -> DailyCost {
        let spare = scenario.cluster.spare_hosts;
        let runs = results.len().max(1) as f64;
        let hours = |micros: u64| micros as f64 / 3.6e9;
        let per_deploy_host_hours = results
            .iter()
            .map(|r| hours(r.host_micros_extra))
            .sum::<f64>()
            / runs;
        // What is left of the extra host time once the spares' share of this run is
        // taken out: the launched hosts' time.
        let scaled_host_hours_per_deploy = results
            .iter()
            .map(|r| {
                hours(
                    r.host_micros_extra
                        .saturating_sub((spare as u64).saturating_mul(r.deploy.micros())),
                )
            })
            .sum::<f64>()
            / runs;
        let per_day = scenario.cluster.deploys_per_day;
        let extra_host_hours_per_day = spare as f64 * 24.0 + per_day * scaled_host_hours_per_deploy;
        let cluster_host_hours_per_day =
            scenario.cluster.hosts as f64 * 24.0 + extra_host_hours_per_day;
        let price = scenario.cluster.host_hourly_cost;
        let priced = |host_hours: f64| price.map(|p| host_hours * p);
        DailyCost {
            currency: scenario.cluster.currency.clone(),
            host_hourly_cost: price,
            deploys_per_day: per_day,
            service_hosts: scenario.cluster.hosts,
            spare_hosts: spare,
            per_deploy_host_hours,
            scaled_host_hours_per_deploy,
            extra_host_hours_per_day,
            cluster_host_hours_per_day,
            per_deploy: priced(per_deploy_host_hours),
            extra_daily: priced(extra_host_hours_per_day),
            extra_monthly: priced(extra_host_hours_per_day * HOURS_PER_MONTH / 24.0),
            cluster_daily: priced(cluster_host_hours_per_day),
            cluster_monthly: priced(cluster_host_hours_per_day * HOURS_PER_MONTH / 24.0),
        }
    }

    /// `amount` with the currency: `27.65 USD`.
    pub fn money(&self, amount: f64) -> String {
        money(amount, &self.currency)
    }
}

/// An amount with its currency, to the cent below 1,000 and to the unit above.
pub fn money(amount: f64, currency: &str) -> String {
    if amount.abs() >= 1000.0 {
        format!("{amount:.0} {currency}")
    } else if amount.abs() >= 0.1 || amount == 0.0 {
        format!("{amount:.2} {currency}")
    } else {
        format!("{amount:.3} {currency}")
    }
}

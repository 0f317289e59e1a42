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
//!
//! With `[[cluster.host_group]]` tables each group has its own price: spare groups are paid
//! all day at theirs, scaled-out hosts at the launch group's, the whole cluster adds the
//! other groups at theirs; a figure is priced only when every group it counts is. On
//! Fargate there are no hosts: a deploy costs its billed task time above D (the runs'
//! `cost`), and the whole service costs D tasks all day plus that on each deploy.

use serde::Serialize;

use crate::model::ReplicationResult;
use crate::scenario::{LaunchType, Scenario};

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
    /// Fargate: no hosts; the per-deploy and daily prices are task time (the host-hour
    /// figures are 0).
    pub fargate: bool,
}

impl DailyCost {
    pub fn of(scenario: &Scenario, results: &[ReplicationResult]) -> DailyCost {
        if scenario.cluster.launch_type == LaunchType::Fargate {
            return DailyCost::of_fargate(scenario, results);
        }
        if !scenario.cluster.host_group.is_empty() {
            return DailyCost::of_groups(scenario, results);
        }
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
            fargate: false,
        }
    }

    /// Host groups, each at its own price (docs/model.md 18).
    fn of_groups(scenario: &Scenario, results: &[ReplicationResult]) -> DailyCost {
        let groups = crate::scenario::host_groups(scenario);
        let launch = &groups[crate::scenario::launch_group(scenario)];
        let count = |spare: bool| -> u32 {
            groups
                .iter()
                .filter(|g| g.spare == spare)
                .map(|g| g.count)
                .sum()
        };
        let (service, spare) = (count(false), count(true));
        let runs = results.len().max(1) as f64;
        let hours = |micros: u64| micros as f64 / 3.6e9;
        let per_deploy_host_hours = results
            .iter()
            .map(|r| hours(r.host_micros_extra))
            .sum::<f64>()
            / runs;
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
        let cluster_host_hours_per_day = service as f64 * 24.0 + extra_host_hours_per_day;
        // A day of each group's hosts at its price; None when a counted group has none.
        let all_day = |spare_only: bool| -> Option<f64> {
            groups
                .iter()
                .filter(|g| g.count > 0 && (g.spare || !spare_only))
                .map(|g| g.hourly_cost.map(|p| g.count as f64 * 24.0 * p))
                .sum()
        };
        let scaled = if scaled_host_hours_per_deploy > 0.0 {
            launch
                .hourly_cost
                .map(|p| per_day * scaled_host_hours_per_deploy * p)
        } else {
            Some(0.0)
        };
        let extra_daily = all_day(true).zip(scaled).map(|(a, b)| a + b);
        let cluster_daily = all_day(false).zip(scaled).map(|(a, b)| a + b);
        let per_deploy = results
            .iter()
            .map(|r| r.cost)
            .sum::<Option<f64>>()
            .map(|sum| sum / runs);
        let monthly = |daily: Option<f64>| daily.map(|d| d * HOURS_PER_MONTH / 24.0);
        DailyCost {
            currency: scenario.cluster.currency.clone(),
            host_hourly_cost: launch.hourly_cost,
            deploys_per_day: per_day,
            service_hosts: service,
            spare_hosts: spare,
            per_deploy_host_hours,
            scaled_host_hours_per_deploy,
            extra_host_hours_per_day,
            cluster_host_hours_per_day,
            per_deploy,
            extra_daily,
            extra_monthly: monthly(extra_daily),
            cluster_daily,
            cluster_monthly: monthly(cluster_daily),
            fargate: false,
        }
    }

    /// Fargate: task time, no hosts (docs/model.md 17).
    fn of_fargate(scenario: &Scenario, results: &[ReplicationResult]) -> DailyCost {
        let runs = results.len().max(1) as f64;
        let per_day = scenario.cluster.deploys_per_day;
        let per_deploy = results.iter().filter_map(|r| r.cost).sum::<f64>() / runs;
        let extra_daily = per_day * per_deploy;
        let cluster_daily =
            crate::scenario::running_cost_per_day(scenario).map(|running| running + extra_daily);
        DailyCost {
            currency: scenario.cluster.currency.clone(),
            host_hourly_cost: None,
            deploys_per_day: per_day,
            service_hosts: 0,
            spare_hosts: 0,
            per_deploy_host_hours: 0.0,
            scaled_host_hours_per_deploy: 0.0,
            extra_host_hours_per_day: 0.0,
            cluster_host_hours_per_day: 0.0,
            per_deploy: Some(per_deploy),
            extra_daily: Some(extra_daily),
            extra_monthly: Some(extra_daily * HOURS_PER_MONTH / 24.0),
            cluster_daily,
            cluster_monthly: cluster_daily.map(|d| d * HOURS_PER_MONTH / 24.0),
            fargate: true,
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

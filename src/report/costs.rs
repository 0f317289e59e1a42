//! Host time and its price, per deploy and per day, in words and as a table: the same
//! figures in the terminal, in `report.html` and beside every plan and frontier row.

use crate::experiment::costs::DailyCost;

/// The summary's cost lines (no trailing newline on each).
pub fn cost_lines(costs: &DailyCost) -> Vec<String> {
    let mut lines = Vec::new();
    let per_day = per_day_words(costs.deploys_per_day);
    if costs.fargate {
        return fargate_lines(costs, &per_day);
    }
    if costs.per_deploy_host_hours > 0.0 || costs.extra_host_hours_per_day > 0.0 {
        let mut line = format!(
            "spare and scaled-out host time per deploy: mean {:.2} host-hours",
            costs.per_deploy_host_hours
        );
        if let Some(cost) = costs.per_deploy {
            line.push_str(&format!(", {}", costs.money(cost)));
        }
        lines.push(line);
    }
    if costs.extra_host_hours_per_day == 0.0 && costs.host_hourly_cost.is_none() {
        // No spare or scaled-out host and no price: nothing to say.
        return lines;
    }
    let mut line = format!(
        "always-on, at {per_day}: {} spare host(s) x 24 h + {:.2} scaled-out host-hours per deploy = {:.2} extra host-hours a day",
        costs.spare_hosts, costs.scaled_host_hours_per_deploy, costs.extra_host_hours_per_day
    );
    match (costs.extra_daily, costs.extra_monthly) {
        (Some(daily), Some(monthly)) => line.push_str(&format!(
            ", {} a day, {} a month",
            costs.money(daily),
            costs.money(monthly)
        )),
        _ => line.push_str(" (set cluster.host_hourly_cost or cluster.instance_type to price it)"),
    }
    lines.push(line);
    if let (Some(daily), Some(monthly)) = (costs.cluster_daily, costs.cluster_monthly) {
        lines.push(format!(
            "whole cluster ({} service + {} spare hosts all day, plus scaled-out): {} a day, {} a month",
            costs.service_hosts,
            costs.spare_hosts,
            costs.money(daily),
            costs.money(monthly)
        ));
    }
    lines
}

/// Fargate has no hosts: the deploy's billed task time above D, and the service all day.
fn fargate_lines(costs: &DailyCost, per_day: &str) -> Vec<String> {
    let mut lines = Vec::new();
    if let (Some(deploy), Some(daily)) = (costs.per_deploy, costs.extra_daily) {
        lines.push(format!(
            "Fargate tasks billed above D per deploy: mean {}; at {per_day}: {} a day",
            costs.money(deploy),
            costs.money(daily)
        ));
    }
    if let (Some(daily), Some(monthly)) = (costs.cluster_daily, costs.cluster_monthly) {
        lines.push(format!(
            "whole service (D Fargate tasks all day, plus each deploy's extra): {} a day, {} a month",
            costs.money(daily),
            costs.money(monthly)
        ));
    }
    lines
}

/// "1 deploy a day", "2.5 deploys a day".
pub fn per_day_words(deploys_per_day: f64) -> String {
    let count = if deploys_per_day.fract() == 0.0 {
        format!("{deploys_per_day:.0}")
    } else {
        format!("{deploys_per_day}")
    };
    if deploys_per_day == 1.0 {
        format!("{count} deploy a day")
    } else {
        format!("{count} deploys a day")
    }
}

/// Rows for an HTML table: what, host-hours, price.
pub fn cost_rows(costs: &DailyCost) -> Vec<Vec<String>> {
    let price = |amount: Option<f64>| amount.map_or_else(|| "unpriced".into(), |a| costs.money(a));
    if costs.fargate {
        let none = || "none (Fargate)".to_string();
        return vec![
            vec![
                "per deploy: Fargate tasks billed above D".into(),
                none(),
                price(costs.per_deploy),
            ],
            vec![
                format!("per day: at {}", per_day_words(costs.deploys_per_day)),
                none(),
                price(costs.extra_daily),
            ],
            vec![
                "per day, whole service: D tasks all day, plus each deploy's extra".into(),
                none(),
                price(costs.cluster_daily),
            ],
        ];
    }
    vec![
        vec![
            "per deploy: spare and scaled-out hosts during the deploy".into(),
            format!("{:.2}", costs.per_deploy_host_hours),
            price(costs.per_deploy),
        ],
        vec![
            format!(
                "per day: spare hosts all day, scaled-out hosts at {}",
                per_day_words(costs.deploys_per_day)
            ),
            format!("{:.2}", costs.extra_host_hours_per_day),
            price(costs.extra_daily),
        ],
        vec![
            "per month (730 hours): the same".into(),
            format!("{:.1}", costs.extra_host_hours_per_day * 730.0 / 24.0),
            price(costs.extra_monthly),
        ],
        vec![
            "per day, whole cluster: service and spare hosts all day, plus scaled-out".into(),
            format!("{:.2}", costs.cluster_host_hours_per_day),
            price(costs.cluster_daily),
        ],
    ]
}

pub const COST_HEADERS: [&str; 3] = ["", "host-hours", "cost"];

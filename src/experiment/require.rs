//! `run --require EXPR`: a CI gate. Each requirement is checked against the run's
//! replications; the run exits 1 with one line per unmet requirement.
//!
//! Accepted forms (spaces allowed around the operator):
//! - `pQ<DURATION` / `pQ<=DURATION`: at least Q% of all runs completed within the duration
//!   (the planning commands' percentile target; a run that did not complete is never
//!   within);
//! - `OUTCOME OP SHARE` with OUTCOME one of `completed`, `stuck`, `timeout`, `failed`,
//!   `rolled_back`, `event_limit`, OP one of `<`, `<=`, `>`, `>=` and SHARE a percent
//!   (`99%`) or a fraction (`0.99`): the share of all runs that ended so;
//! - `cost OP AMOUNT` / `daily_cost OP AMOUNT`: the mean price of one deploy's spare and
//!   scaled-out host time, or the always-on daily cost (spare hosts all day plus
//!   scaled-out hosts on each of `cluster.deploys_per_day` deploys), in
//!   `cluster.currency`. Both need a price (`cluster.host_hourly_cost` or
//!   `cluster.instance_type`).

use super::costs::DailyCost;
use super::target::{Percentile, trim_number};
use crate::model::{Outcome, ReplicationResult};
use crate::scenario::format_human;

/// The forms, for error messages.
pub const REQUIRE_FORMS: &str = "pQ<DURATION (p95<15m: at least 95% of all runs completed within 15 minutes), OUTCOME OP SHARE (completed>=99%, stuck<=1%, timeout<0.5%; outcomes completed, stuck, timeout, failed, rolled_back, event_limit; OP <, <=, >, >=), cost<=AMOUNT (mean price of one deploy's spare and scaled-out host time) or daily_cost<=AMOUNT (always-on cost a day)";

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    fn holds(self, value: f64, bound: f64) -> bool {
        match self {
            Op::Lt => value < bound,
            Op::Le => value <= bound,
            Op::Gt => value > bound,
            Op::Ge => value >= bound,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Measure {
    Percentile(Percentile),
    Outcome(Outcome, Op, f64),
    Cost(Op, f64),
    DailyCost(Op, f64),
}

/// One `--require` expression, parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct Requirement {
    pub text: String,
    pub measure: Measure,
}

impl Requirement {
    pub fn parse(text: &str) -> Result<Requirement, String> {
        let bad = |why: String| format!("--require {text}: {why}; accepted: {REQUIRE_FORMS}");
        if let Some(percentile) = Percentile::parse(text).map_err(bad)? {
            return Ok(Requirement {
                text: text.trim().to_string(),
                measure: Measure::Percentile(percentile),
            });
        }
        let Some((at, op, width)) = ["<=", ">=", "<", ">"]
            .iter()
            .filter_map(|symbol| text.find(symbol).map(|at| (at, *symbol)))
            .min_by_key(|(at, symbol)| (*at, std::cmp::Reverse(symbol.len())))
            .map(|(at, symbol)| {
                let op = match symbol {
                    "<=" => Op::Le,
                    ">=" => Op::Ge,
                    "<" => Op::Lt,
                    _ => Op::Gt,
                };
                (at, op, symbol.len())
            })
        else {
            return Err(bad("no comparison (<, <=, > or >=)".into()));
        };
        let name = text[..at].trim().to_ascii_lowercase();
        let value = text[at + width..].trim();
        let measure = match name.as_str() {
            "cost" | "daily_cost" => {
                let amount: f64 = value
                    .parse()
                    .ok()
                    .filter(|a: &f64| a.is_finite() && *a >= 0.0)
                    .ok_or_else(|| bad(format!("`{value}` is not an amount such as 0.50")))?;
                if name == "cost" {
                    Measure::Cost(op, amount)
                } else {
                    Measure::DailyCost(op, amount)
                }
            }
            _ => {
                let outcome = Outcome::ALL
                    .into_iter()
                    .find(|o| o.name() == name)
                    .ok_or_else(|| bad(format!("`{name}` is not something a run can require")))?;
                let share = match value.strip_suffix('%') {
                    Some(percent) => percent.trim().parse::<f64>().ok().map(|p| p / 100.0),
                    None => value.parse::<f64>().ok(),
                }
                .filter(|s| (0.0..=1.0).contains(s))
                .ok_or_else(|| {
                    bad(format!(
                        "`{value}` is not a share such as 99% or 0.99 (between 0% and 100%)"
                    ))
                })?;
                Measure::Outcome(outcome, op, share)
            }
        };
        Ok(Requirement {
            text: text.trim().to_string(),
            measure,
        })
    }

    /// Whether this requirement needs hosts to be priced.
    pub fn needs_price(&self) -> bool {
        matches!(self.measure, Measure::Cost(..) | Measure::DailyCost(..))
    }

    /// `Ok` when met; otherwise the reason, in one line.
    pub fn check(&self, results: &[ReplicationResult], costs: &DailyCost) -> Result<(), String> {
        let runs = results.len().max(1) as f64;
        let percent = |share: f64| format!("{}%", trim_number((share * 1000.0).round() / 10.0));
        match &self.measure {
            Measure::Percentile(p) => {
                let share = Percentile::share_within(results, p.seconds);
                if share >= p.quantile {
                    return Ok(());
                }
                let actual = match Percentile::time_at(results, p.quantile) {
                    Some(t) => format!("{} of all runs is {}", p.label(), format_human(t)),
                    None => format!(
                        "fewer than {} of runs completed at all",
                        percent(p.quantile)
                    ),
                };
                Err(format!(
                    "{}: {actual}; {} of runs completed within {}",
                    self.text,
                    percent(share),
                    format_human(p.seconds)
                ))
            }
            Measure::Outcome(outcome, op, bound) => {
                let count = results.iter().filter(|r| r.outcome == *outcome).count();
                let share = count as f64 / runs;
                if op.holds(share, *bound) {
                    return Ok(());
                }
                Err(format!(
                    "{}: {} {count} of {} runs = {}",
                    self.text,
                    outcome.name(),
                    results.len(),
                    percent(share)
                ))
            }
            Measure::Cost(op, bound) | Measure::DailyCost(op, bound) => {
                let (what, value) = if matches!(self.measure, Measure::Cost(..)) {
                    ("cost per deploy (mean)", costs.per_deploy)
                } else {
                    ("always-on cost a day", costs.extra_daily)
                };
                let value = value.ok_or_else(|| format!("{}: hosts are not priced", self.text))?;
                if op.holds(value, *bound) {
                    return Ok(());
                }
                Err(format!("{}: {what} is {}", self.text, costs.money(value)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements_parse() {
        let r = Requirement::parse("completed >= 99%").unwrap();
        assert_eq!(
            r.measure,
            Measure::Outcome(Outcome::Completed, Op::Ge, 0.99)
        );
        let r = Requirement::parse("stuck<0.01").unwrap();
        assert_eq!(r.measure, Measure::Outcome(Outcome::Stuck, Op::Lt, 0.01));
        let r = Requirement::parse("daily_cost<=30").unwrap();
        assert_eq!(r.measure, Measure::DailyCost(Op::Le, 30.0));
        assert!(matches!(
            Requirement::parse("p95<15m").unwrap().measure,
            Measure::Percentile(_)
        ));
        for bad in [
            "p95",
            "fast",
            "speed<3",
            "completed>=120%",
            "cost<cheap",
            "p95<soon",
        ] {
            let error = Requirement::parse(bad).unwrap_err();
            assert!(error.contains("accepted: pQ<DURATION"), "{bad}: {error}");
        }
    }
}

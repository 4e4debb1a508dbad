//! The rows a roadmap plan adds to a single-period plan: one per year, one per service
//! and year, one per provider and year; and the plan of a roadmap ([`build_roadmap_plan`]).
//!
//! A roadmap plan describes its final year as a single-period plan does (placements,
//! providers, dependencies), and every year in `years`, `schedule`,
//! `providers_by_year` and the year-tagged `limits`. Each year's money is rounded like
//! a single-period plan's (see `cents.rs`), so that every year's columns add up; the
//! one-off costs are split top down: the roadmap's `one_off_cost` over the years, each
//! year's over the services that move then.

use super::cents::{self, Cents};
use super::{limits, micro, share, EstimateRow, LimitRow, Plan, PlanStatus};
use crate::model::cost::{evaluate_roadmap, Evaluation, YearEvaluation};
use crate::model::{OfferingId, Scenario, YearLimit};
use crate::tolerance::at_bound;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a roadmap does with a service in one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum YearChange {
    /// It runs nowhere today and is placed in the first year.
    New,
    /// It runs where it ran the year before (or, in the first year, where it runs today).
    Stays,
    /// It moves to its target offering this year.
    Moves,
}

/// One planning year's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearRow {
    /// Calendar year.
    pub year: i32,
    /// Monthly cost of the year's placement (runs, traffic, fees).
    pub monthly_cost: f64,
    /// Migration costs of the year's moves.
    pub one_off_cost: f64,
    /// 12 · monthly_cost + one_off_cost.
    pub annual_cost: f64,
    /// Services that move this year.
    pub moves: usize,
    /// Providers with at least one service this year.
    pub providers_used: usize,
    /// Largest share of the monthly cost any one provider bills this year.
    pub max_share: f64,
    /// Share of the monthly cost billed by CLOUD-Act-exposed providers this year.
    pub cloud_act_share: f64,
}

/// Where one service runs in one year and what it costs then.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleRow {
    /// Service id.
    pub service: String,
    /// Calendar year.
    pub year: i32,
    /// Offering it runs on that year.
    pub offering: String,
    /// Provider of that offering.
    pub provider: String,
    /// Its run cost plus the traffic it sends, per month, that year.
    pub monthly_cost: f64,
    /// Its migration cost, paid in the year it moves (0 otherwise).
    pub one_off_cost: f64,
    /// New, stays or moves.
    pub change: YearChange,
}

/// One provider's bill and lock-in in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderYearRow {
    /// Calendar year.
    pub year: i32,
    /// Provider id.
    pub provider: String,
    /// Number of services placed there that year.
    pub services: usize,
    /// Monthly fee billed because the provider is used that year (0 when unused).
    pub fee: f64,
    /// Monthly bill that year: runs, traffic sent, fee.
    pub spend: f64,
    /// spend / that year's monthly_cost.
    pub share: f64,
    /// What leaving this provider would cost once, at that year's placement.
    pub exit_cost: f64,
}

/// One year's evaluation with its money in cents.
struct Year<'a> {
    ev: &'a YearEvaluation,
    placement: &'a [OfferingId],
    c: Cents,
    /// Per service: its migration cost paid this year, in cents (top-down split).
    one_off: Vec<i64>,
    /// The year's one-off cost in cents (its part of the roadmap's).
    one_off_total: i64,
}

/// The plan of a roadmap schedule: `schedule[i][s]` is the offering of service `s` in
/// the i-th planning year. Any schedule gives a plan, also one that breaks the
/// scenario's rules (the checker and the brute-force oracle judge such plans): every
/// change of offering counts as a move (see [`evaluate_roadmap`]).
///
/// `schedule` must hold at least one year, and every year one offering per service.
pub fn build_roadmap_plan(
    sc: &Scenario,
    schedule: &[Vec<OfferingId>],
    status: PlanStatus,
    gap: f64,
) -> Plan {
    assert!(!schedule.is_empty(), "a roadmap plan has at least one year");
    let ev = evaluate_roadmap(sc, schedule);
    let per_year: Vec<Vec<f64>> = ev.years.iter().map(|y| y.e.one_off.clone()).collect();
    let (one_off_total, by_year, by_service) = cents::split_one_off(&per_year);
    let years: Vec<Year> = ev
        .years
        .iter()
        .zip(schedule)
        .zip(by_service)
        .zip(by_year)
        .map(|(((y, placement), one_off), one_off_total)| Year {
            c: cents::round(sc, placement, &y.e),
            ev: y,
            placement,
            one_off,
            one_off_total,
        })
        .collect();
    let last = years.last().expect("checked above");
    // The final year as a single-period plan, except that a placement's one-off cost
    // is what it pays over the whole roadmap.
    let mut c = last.c.clone();
    c.one_off_total = one_off_total;
    c.one_off = (0..sc.services.len())
        .map(|s| years.iter().map(|y| y.one_off[s]).sum())
        .collect();
    let mut placements = super::placement_rows(sc, last.placement, &c);
    for (s, row) in placements.iter_mut().enumerate() {
        let first_move = years.iter().find(|y| y.ev.moved[s]).map(|y| y.ev.year);
        row.move_year = Some(first_move);
    }
    Plan {
        scenario: sc.name.clone(),
        status,
        horizon_months: 12.0 * years.len() as f64,
        total_cost: super::cents(ev.total),
        monthly_cost: cents::eur(last.c.monthly_total),
        one_off_cost: cents::eur(one_off_total),
        gap: micro(gap.clamp(0.0, 1.0)),
        estimates: Some(estimate_rows(sc, schedule, &placements)),
        placements,
        providers: super::provider_rows(sc, &last.ev.e, &last.c),
        dependencies: super::dependency_rows(sc, last.placement, &last.c),
        limits: years.iter().flat_map(|y| limit_rows(sc, y)).collect(),
        years: Some(
            years
                .iter()
                .zip(annual_cents(&ev))
                .map(|(y, annual)| year_row(sc, y, annual))
                .collect(),
        ),
        schedule: Some(schedule_rows(sc, &years)),
        providers_by_year: Some(
            years
                .iter()
                .flat_map(|y| provider_year_rows(sc, y))
                .collect(),
        ),
        overrides: Vec::new(),
    }
}

/// The offerings used in any year whose prices are estimates, in scenario order, with
/// the services on them and their monthly cost in the final year (0 for an offering
/// left before it).
fn estimate_rows(
    sc: &Scenario,
    schedule: &[Vec<OfferingId>],
    rows: &[super::PlacementRow],
) -> Vec<EstimateRow> {
    let last = schedule
        .last()
        .expect("a roadmap plan has at least one year");
    sc.offering_ids()
        .filter(|&o| sc.offerings[o.index()].estimate)
        .filter(|&o| schedule.iter().any(|p| p.contains(&o)))
        .map(|o| {
            let on: Vec<usize> = (0..last.len()).filter(|&s| last[s] == o).collect();
            let off = &sc.offerings[o.index()];
            let monthly: i64 = on
                .iter()
                .map(|&s| super::whole_cents(rows[s].monthly_cost))
                .sum();
            EstimateRow {
                offering: off.id.clone(),
                offering_name: off.name.clone(),
                provider: sc.providers[off.provider.index()].id.clone(),
                as_of: off.as_of.clone(),
                services: on.len(),
                monthly_cost: cents::eur(monthly),
            }
        })
        .collect()
}

/// The exposed providers' share of a year's monthly cost.
fn cloud_act_share(sc: &Scenario, e: &Evaluation) -> f64 {
    let exposed: f64 = sc
        .provider_ids()
        .filter(|p| sc.providers[p.index()].cloud_act_exposed)
        .map(|p| e.spend[p.index()])
        .sum();
    share(exposed, e.monthly)
}

/// The years' annual costs in cents, split top down from the rounded total (largest
/// remainder), so that a spreadsheet's Σ over `years.annual_cost` is `total_cost`
/// exactly; each is its exact value rounded down or up.
fn annual_cents(ev: &crate::model::cost::RoadmapEvaluation) -> Vec<i64> {
    let exact: Vec<f64> = ev
        .years
        .iter()
        .map(|y| y.e.total * crate::tolerance::MONEY_SCALE)
        .collect();
    cents::apportion(&exact, super::whole_cents(ev.total))
}

fn year_row(sc: &Scenario, y: &Year, annual: i64) -> YearRow {
    let e = &y.ev.e;
    let max_spend = e.spend.iter().copied().fold(0.0, f64::max);
    YearRow {
        year: y.ev.year,
        monthly_cost: cents::eur(y.c.monthly_total),
        one_off_cost: cents::eur(y.one_off_total),
        annual_cost: cents::eur(annual),
        moves: y.ev.moves,
        providers_used: e.services_on.iter().filter(|&&n| n > 0).count(),
        max_share: micro(share(max_spend, e.monthly)),
        cloud_act_share: micro(cloud_act_share(sc, e)),
    }
}

/// Service by service, year by year.
fn schedule_rows(sc: &Scenario, years: &[Year]) -> Vec<ScheduleRow> {
    let mut rows = Vec::with_capacity(sc.services.len() * years.len());
    for s in sc.service_ids() {
        let i = s.index();
        let svc = &sc.services[i];
        for (k, y) in years.iter().enumerate() {
            let o = y.placement[i];
            let change = if y.ev.moved[i] {
                YearChange::Moves
            } else if k == 0 && svc.current_offering.is_none() {
                YearChange::New
            } else {
                YearChange::Stays
            };
            rows.push(ScheduleRow {
                service: svc.id.clone(),
                year: y.ev.year,
                offering: sc.offerings[o.index()].id.clone(),
                provider: sc.providers[sc.provider_of(o).index()].id.clone(),
                monthly_cost: cents::eur(y.c.monthly[i]),
                one_off_cost: cents::eur(y.one_off[i]),
                change,
            });
        }
    }
    rows
}

/// Every provider in one year, in scenario order.
fn provider_year_rows(sc: &Scenario, y: &Year) -> Vec<ProviderYearRow> {
    let e = &y.ev.e;
    sc.provider_ids()
        .map(|p| {
            let i = p.index();
            ProviderYearRow {
                year: y.ev.year,
                provider: sc.providers[i].id.clone(),
                services: e.services_on[i],
                fee: cents::eur(y.c.fee[i]),
                spend: cents::eur(y.c.spend[i]),
                share: micro(share(e.spend[i], e.monthly)),
                exit_cost: super::cents(e.exit[i]),
            }
        })
        .collect()
}

/// One year's limit rows: the single-period rows under that year's policy, then one row
/// per yearly limit the roadmap sets.
fn limit_rows(sc: &Scenario, y: &Year) -> Vec<LimitRow> {
    let year = y.ev.year;
    let policy = match &sc.roadmap {
        Some(r) => r.policy_in(&sc.policy, year),
        None => sc.policy.clone(),
    };
    let mut rows = limits::limit_rows_under(sc, &policy, y.placement, &y.ev.e);
    let yearly = sc.roadmap.iter().flat_map(|r| r.limits.iter());
    rows.extend(yearly.map(|l| {
        let value = match *l {
            YearLimit::Moves(_) => y.ev.moves as f64,
            YearLimit::OneOff(_) => super::cents(y.ev.e.one_off_total),
            YearLimit::AnnualCost(_) => super::cents(y.ev.e.total),
        };
        let exact = match *l {
            YearLimit::Moves(_) => value,
            YearLimit::OneOff(_) => y.ev.e.one_off_total,
            YearLimit::AnnualCost(_) => y.ev.e.total,
        };
        LimitRow {
            limit: l.kind().field().to_string(),
            subject: String::new(),
            value,
            bound: l.bound(),
            binding: at_bound(exact, l.bound()),
            year: None,
        }
    }));
    for r in &mut rows {
        r.year = Some(year);
    }
    rows
}

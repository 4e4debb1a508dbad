//! The checker for roadmap plans (a scenario with a `roadmap`): every year's placement
//! re-derived from the plan's `schedule` and checked like a single-period plan under
//! the policy in force that year, plus what only a roadmap has — one move per service
//! at most, contract ends, the yearly limits and the year tables.
//!
//! The plan's `placements`, `providers` and `dependencies` describe the final year's
//! placement, so the single-period families that read them (C1xx, C201, C301–C302,
//! C304–C312) run on the final year's view unchanged; C002 expects 12 months per year,
//! C303 a total that is the sum of the annual costs, and C312 also the estimated
//! offerings used only in earlier years (with the final year's 0 services). Co-location, capacity and the
//! policy's limits (C202, C203, C401–C405) are checked in every year, their messages
//! starting with the year. The roadmap's own families:
//!
//! | file            | codes       | what                                               |
//! |-----------------|-------------|----------------------------------------------------|
//! | `mod.rs`        | C601        | roadmap tables present exactly in roadmap plans    |
//! | `schedule.rs`   | C602–C603   | one schedule row per service and year, in order    |
//! | `timeline.rs`   | C604–C608   | one move at most, movable_from, change, eligible targets, placements = final year |
//! | `costs.rs`      | C609        | schedule figures                                   |
//! | `years.rs`      | C610–C611   | one row per year with its recomputed figures       |
//! | `providers.rs`  | C612–C613   | one row per year and provider with its figures     |
//! | `reconcile.rs`  | C614–C615   | whole cents; per-year columns add up               |
//! | `limits.rs`     | C616        | yearly limits; per-year limit rows (C501–C502)     |
//!
//! `view.rs` recomputes every year from the schedule with the checker's own
//! [`View`](super::view::View); nothing here calls the planner's cost code.

mod costs;
mod keyed;
mod limits;
mod providers;
mod reconcile;
mod schedule;
mod timeline;
mod view;
mod years;

use super::view::View;
use super::{
    capacity, colocation, costs as period_costs, details, estimates, header, placements, policy,
    reconcile as period_reconcile, rows, Violation,
};
use crate::model::{OfferingId, Roadmap, Scenario};
use crate::plan::Plan;
use view::RoadmapView;

/// Checks a plan for a scenario with roadmap `rm`.
pub(super) fn check(sc: &Scenario, rm: &Roadmap, plan: &Plan, out: &mut Vec<Violation>) {
    let months = 12.0 * f64::from(rm.years);
    let source = format!("the roadmap's {} years give", rm.years);
    header::check_with_horizon(sc, plan, months, &source, out);
    let Some(placement) = placements::check(sc, plan, out) else {
        // Nothing below can be recomputed without a complete final placement.
        return;
    };
    let last = View::new(sc, placement);
    tables_present(plan, out);
    let sched = plan
        .schedule
        .as_deref()
        .and_then(|rows| schedule::check(sc, rm, rows, out));
    let rv = sched.as_ref().map(|s| RoadmapView::new(sc, rm, &s.at));
    let at = sched.as_ref().map(|s| s.at.as_slice());
    details::check(sc, plan, &last, out);
    timeline::check_eligibility(sc, at, &last, out);
    if let (Some(s), Some(rv), Some(rows)) = (&sched, &rv, &plan.schedule) {
        timeline::check_moves(sc, rv, out);
        timeline::check_changes(sc, rows, s, rv, out);
    }
    timeline::check_placements(sc, plan, at, rv.as_ref(), out);
    if let Some(rv) = &rv {
        every_year(sc, rv, out);
    }
    period_costs::check_rows(sc, plan, &last, out);
    let one_off = rv
        .as_ref()
        .map_or(last.one_off_total, |rv| rv.one_off_total);
    let total = rv.as_ref().map(|rv| rv.total);
    period_costs::check_totals(plan, last.monthly, one_off, total, out);
    figures(sc, rm, plan, sched.as_ref(), rv.as_ref(), out);
    rows::check(sc, plan, &last, out);
    period_reconcile::check(sc, plan, out);
    reconcile::check(plan, out);
    estimates::check_listing(sc, plan, &last, &used_offerings(sc, at), out);
    if let Some(rv) = &rv {
        limits::check(sc, rm, plan, rv, out);
    }
}

/// Whether each offering hosts a service in any year of the schedule: a roadmap rests
/// on the prices of every year, so its `estimates` list the estimated offerings of
/// earlier years too (README, "Roadmap plans").
fn used_offerings(sc: &Scenario, at: Option<&[Vec<OfferingId>]>) -> Vec<bool> {
    let mut used = vec![false; sc.offerings.len()];
    for o in at.into_iter().flatten().flatten() {
        used[o.index()] = true;
    }
    used
}

/// C601 for a single-period scenario: a plan for it has none of the roadmap's tables
/// and fields.
pub(super) fn check_single_period(plan: &Plan, out: &mut Vec<Violation>) {
    let mut found = Vec::new();
    if plan.years.is_some() {
        found.push("years");
    }
    if plan.schedule.is_some() {
        found.push("schedule");
    }
    if plan.providers_by_year.is_some() {
        found.push("providers_by_year");
    }
    if plan.placements.iter().any(|r| r.move_year.is_some()) {
        found.push("placements.move_year");
    }
    if plan.limits.iter().any(|r| r.year.is_some()) {
        found.push("limits.year");
    }
    if !found.is_empty() {
        out.push(Violation::new(
            "C601",
            format!(
                "the scenario has no roadmap, but the plan has {}",
                found.join(", ")
            ),
        ));
    }
}

/// C601 for a roadmap scenario: the plan has all three year tables.
fn tables_present(plan: &Plan, out: &mut Vec<Violation>) {
    let missing: Vec<&str> = [
        ("years", plan.years.is_none()),
        ("schedule", plan.schedule.is_none()),
        ("providers_by_year", plan.providers_by_year.is_none()),
    ]
    .into_iter()
    .filter_map(|(name, absent)| absent.then_some(name))
    .collect();
    if !missing.is_empty() {
        out.push(Violation::new(
            "C601",
            format!(
                "the scenario has a roadmap, but the plan lacks {}",
                missing.join(", ")
            ),
        ));
    }
}

/// C202, C203 and C401–C405 in every year, under the policy in force that year.
fn every_year(sc: &Scenario, rv: &RoadmapView, out: &mut Vec<Violation>) {
    for yv in &rv.years {
        let mut found = Vec::new();
        colocation::check(sc, &yv.view, &mut found);
        capacity::check(sc, &yv.view, &mut found);
        policy::check_under(sc, &yv.policy, &yv.view, &mut found);
        out.extend(found.into_iter().map(|v| Violation {
            message: format!("year {}: {}", yv.year, v.message),
            ..v
        }));
    }
}

/// C609–C613: the figures of the year tables.
fn figures(
    sc: &Scenario,
    rm: &Roadmap,
    plan: &Plan,
    sched: Option<&schedule::Schedule>,
    rv: Option<&RoadmapView>,
    out: &mut Vec<Violation>,
) {
    if let (Some(s), Some(rv), Some(rows)) = (sched, rv, &plan.schedule) {
        costs::check(sc, rows, s, rv, out);
    }
    if let Some(rows) = &plan.years {
        years::check(sc, rm, rows, rv, out);
    }
    if let Some(rows) = &plan.providers_by_year {
        providers::check(sc, rm, rows, rv, out);
    }
}

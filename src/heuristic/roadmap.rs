//! A start schedule for the roadmap MILP: where to end up, then when to move.
//!
//! 1. **Target**: the single-period heuristic on the final year — the final year's
//!    policy, a horizon of the whole roadmap (12 · years months, so that a migration
//!    weighs against the years it saves), and services whose contract outlasts the
//!    roadmap held on their current offering.
//! 2. **Timing**: year by year, the placement groups still on their current offering
//!    move to their target, those that save the most per month first, as long as the
//!    year's move and one-off limits allow and their contracts have ended. New services
//!    sit on their target from the first year; groups the limits leave behind stay.
//!
//! The schedule is returned only if the independent checker accepts its plan; HiGHS
//! then starts from it (without one, HiGHS's own first plans can be far from the
//! optimum for a long time on roadmaps of hundreds of services).

use super::construct_until;
use crate::deadline::Deadline;
use crate::instance::Instance;
use crate::model::cost::run_cost;
use crate::model::{OfferingId, Roadmap, Scenario, YearLimit, YearLimitKind};
use crate::plan::{build_roadmap_plan, PlanStatus};

/// A schedule (`schedule[y][s]`) that keeps every rule of the roadmap, or `None`.
pub fn roadmap_start(inst: &Instance, deadline: &Deadline) -> Option<Vec<Vec<OfferingId>>> {
    let sc = &inst.sc;
    let r = sc.roadmap.as_ref()?;
    let target = construct_until(&Instance::new(final_year(sc, r)), deadline)?;
    let schedule = timed(inst, r, &target)?;
    let plan = build_roadmap_plan(sc, &schedule, PlanStatus::Feasible, 1.0);
    crate::check::check(sc, &plan)
        .is_empty()
        .then_some(schedule)
}

/// The single-period scenario of the final year.
fn final_year(sc: &Scenario, r: &Roadmap) -> Scenario {
    let mut one = sc.clone();
    one.roadmap = None;
    one.policy = r.policy_in(&sc.policy, r.final_year());
    one.policy.horizon_months = 12.0 * f64::from(r.years);
    for s in &mut one.services {
        if let (Some(c), Some(from)) = (s.current_offering, s.movable_from) {
            if from > r.final_year() {
                s.allowed_offerings = Some(vec![c]);
                s.forbidden_offerings.retain(|&o| o != c);
            }
        }
    }
    one
}

/// Year by year, groups move to their target while the year's limits allow; those
/// left when the years run out stay on their current offering.
fn timed(inst: &Instance, r: &Roadmap, target: &[OfferingId]) -> Option<Vec<Vec<OfferingId>>> {
    let sc = &inst.sc;
    let start: Vec<OfferingId> = sc
        .services
        .iter()
        .zip(target)
        .map(|(s, &t)| s.current_offering.unwrap_or(t))
        .collect();
    let mut pending = pending_groups(inst, &start, target);
    let mut now = start;
    let mut schedule = Vec::new();
    for year in r.year_list() {
        let mut moves = 0.0;
        let mut one_off = 0.0;
        pending.retain(|members| {
            let ready = members
                .iter()
                .all(|&s| sc.services[s].movable_from.is_none_or(|y| y <= year));
            let cost: f64 = members.iter().map(|&s| sc.services[s].migration_cost).sum();
            let n = members.len() as f64;
            if !ready || !fits(r, moves + n, one_off + cost) {
                return true;
            }
            moves += n;
            one_off += cost;
            members.iter().for_each(|&s| now[s] = target[s]);
            false
        });
        schedule.push(now.clone());
    }
    // Groups the limits left behind stay where they are; the checker says whether the
    // final years still keep every rule without their moves.
    Some(schedule)
}

/// Whether a year with `moves` moves costing `one_off` keeps the move and one-off limits
/// (the annual-cost limit is left to the checker).
fn fits(r: &Roadmap, moves: f64, one_off: f64) -> bool {
    YearLimitKind::ALL.into_iter().all(|k| match r.limit(k) {
        Some(YearLimit::Moves(m)) => moves <= f64::from(m),
        Some(YearLimit::OneOff(v)) => one_off <= v,
        Some(YearLimit::AnnualCost(_)) | None => true,
    })
}

/// The placement groups with a member that must move (services, by index), those that
/// save the most per month first.
fn pending_groups(inst: &Instance, start: &[OfferingId], target: &[OfferingId]) -> Vec<Vec<usize>> {
    let sc = &inst.sc;
    let mut groups: Vec<(f64, Vec<usize>)> = inst
        .graph
        .groups
        .iter()
        .map(|members| members.iter().map(|s| s.index()).collect::<Vec<usize>>())
        .filter(|m| m.iter().any(|&s| start[s] != target[s]))
        .map(|m| {
            let saving: f64 = m
                .iter()
                .map(|&s| {
                    let id = crate::model::ServiceId(s as u32);
                    run_cost(sc, id, start[s]) - run_cost(sc, id, target[s])
                })
                .sum();
            (saving, m)
        })
        .collect();
    groups.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    groups.into_iter().map(|(_, m)| m).collect()
}

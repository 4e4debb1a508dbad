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
            let moving = || members.iter().filter(|&&s| now[s] != target[s]);
            let cost: f64 = moving().map(|&s| sc.services[s].migration_cost).sum();
            let n = moving().count() as f64;
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

/// The provider groups (services tied by `colocate`, which must share a provider in
/// every year, so they move together) with a member that must move, as services by
/// index: those on a CLOUD-Act-exposed provider first (caps on that share tighten over
/// the years), then those that save the most per month.
fn pending_groups(inst: &Instance, start: &[OfferingId], target: &[OfferingId]) -> Vec<Vec<usize>> {
    let sc = &inst.sc;
    let exposed = |o: OfferingId| sc.providers[sc.provider_of(o).index()].cloud_act_exposed;
    let mut units: Vec<(bool, f64, Vec<usize>)> = inst
        .graph
        .provider_groups
        .iter()
        .map(|pg| {
            pg.iter()
                .flat_map(|&g| inst.graph.groups[g].iter().map(|s| s.index()))
                .collect::<Vec<usize>>()
        })
        .filter(|m| m.iter().any(|&s| start[s] != target[s]))
        .map(|m| {
            let saving: f64 = m
                .iter()
                .map(|&s| {
                    let id = crate::model::ServiceId(s as u32);
                    run_cost(sc, id, start[s]) - run_cost(sc, id, target[s])
                })
                .sum();
            let leaves_exposed = m
                .iter()
                .any(|&s| start[s] != target[s] && exposed(start[s]) && !exposed(target[s]));
            (leaves_exposed, saving, m)
        })
        .collect();
    units.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
    units.into_iter().map(|(_, _, m)| m).collect()
}

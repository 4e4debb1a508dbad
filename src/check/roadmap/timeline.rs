//! C604–C608: what the schedule does with each service over the years — at most one
//! move, never before `movable_from`, the `change` column, eligibility of every
//! offering it chooses, and placement rows that agree with the final year.

use super::super::eligibility::reasons;
use super::super::view::View;
use super::super::Violation;
use super::schedule::Schedule;
use super::view::RoadmapView;
use crate::error::quote;
use crate::model::{OfferingId, Scenario};
use crate::plan::{Plan, ScheduleRow, YearChange};

/// C604 (more than one move, or a new service that changes offering) and C605 (a move
/// before `movable_from`).
pub(super) fn check_moves(sc: &Scenario, rv: &RoadmapView, out: &mut Vec<Violation>) {
    for (s, svc) in sc.services.iter().enumerate() {
        let moved_in: Vec<i32> = rv
            .years
            .iter()
            .filter(|y| y.moves_now[s])
            .map(|y| y.year)
            .collect();
        let list = || {
            let years: Vec<String> = moved_in.iter().map(|y| y.to_string()).collect();
            years.join(", ")
        };
        let changed_since_placed = svc.current_offering.is_none() && !moved_in.is_empty();
        if changed_since_placed {
            out.push(Violation::new(
                "C604",
                format!(
                    "new service \"{}\" changes offering in {}; a new service stays where it is first placed",
                    svc.id,
                    list()
                ),
            ));
        } else if moved_in.len() > 1 {
            out.push(Violation::new(
                "C604",
                format!(
                    "service \"{}\" moves {} times ({}); it may move at most once",
                    svc.id,
                    moved_in.len(),
                    list()
                ),
            ));
        }
        let first = rv.move_year[s].filter(|_| svc.current_offering.is_some());
        if let (Some(year), Some(from)) = (first, svc.movable_from) {
            if year < from {
                out.push(Violation::new(
                    "C605",
                    format!(
                        "service \"{}\" moves in {year}, before its movable_from {from}",
                        svc.id
                    ),
                ));
            }
        }
    }
}

/// C606: each schedule row's `change` is `new` in the first year of a new service,
/// `moves` in a year the service moves, otherwise `stays`.
pub(super) fn check_changes(
    sc: &Scenario,
    rows: &[ScheduleRow],
    sched: &Schedule,
    rv: &RoadmapView,
    out: &mut Vec<Violation>,
) {
    for (y, yv) in rv.years.iter().enumerate() {
        for (s, svc) in sc.services.iter().enumerate() {
            let want = if y == 0 && svc.current_offering.is_none() {
                YearChange::New
            } else if yv.moves_now[s] {
                YearChange::Moves
            } else {
                YearChange::Stays
            };
            let got = rows[sched.row[y][s]].change;
            if got != want {
                out.push(Violation::new(
                    "C606",
                    format!(
                        "schedule: service \"{}\" in {}: change is {got:?}, should be {want:?}",
                        svc.id, yv.year
                    ),
                ));
            }
        }
    }
}

/// C201 for every offering a service is placed on that is not its current one (the
/// target of a move, a new service's offering), and C607 for a service that ends the
/// roadmap on a current offering it may not use. `at` is the schedule, when complete;
/// otherwise only the final placement is known.
pub(super) fn check_eligibility(
    sc: &Scenario,
    at: Option<&[Vec<OfferingId>]>,
    final_view: &View,
    out: &mut Vec<Violation>,
) {
    for (s, svc) in sc.services.iter().enumerate() {
        let mut chosen: Vec<OfferingId> = Vec::new();
        for o in at.into_iter().flatten().map(|p| p[s]) {
            if !chosen.contains(&o) {
                chosen.push(o);
            }
        }
        let last = final_view.placement[s];
        if !chosen.contains(&last) {
            chosen.push(last);
        }
        for o in chosen {
            let why = reasons(sc, svc, o);
            if why.is_empty() {
                continue;
            }
            let off = &sc.offerings[o.index()].id;
            let (code, message) = if svc.current_offering != Some(o) {
                (
                    "C201",
                    format!("service \"{}\" may not run on \"{off}\"", svc.id),
                )
            } else if o == last {
                ("C607", format!(
                    "service \"{}\" ends the roadmap on its current offering \"{off}\", which it may not use; it must move within the roadmap",
                    svc.id
                ))
            } else {
                // Tolerated until the service moves.
                continue;
            };
            out.push(Violation::new(
                code,
                format!("{message}: {}", why.join(", ")),
            ));
        }
    }
}

/// C608: the placement rows describe the final year of the schedule, and `move_year`
/// is the year each service moves (`null` when it never does).
pub(super) fn check_placements(
    sc: &Scenario,
    plan: &Plan,
    at: Option<&[Vec<OfferingId>]>,
    rv: Option<&RoadmapView>,
    out: &mut Vec<Violation>,
) {
    for (s, svc) in sc.services.iter().enumerate() {
        let Some(row) = plan.placements.iter().find(|r| r.service == svc.id) else {
            continue;
        };
        let last = at
            .and_then(|a| a.last())
            .map(|p| &sc.offerings[p[s].index()].id);
        if last.is_some_and(|o| *o != row.offering) {
            out.push(Violation::new(
                "C608",
                format!(
                    "service \"{}\": the placement row is on {}, the schedule's final year on \"{}\"",
                    svc.id,
                    quote(&row.offering),
                    last.expect("checked above")
                ),
            ));
        }
        let want = rv.map(|rv| rv.move_year[s].filter(|_| svc.current_offering.is_some()));
        match (row.move_year, want) {
            (None, _) => out.push(Violation::new(
                "C608",
                format!("service \"{}\": the placement row lacks move_year", svc.id),
            )),
            (Some(got), Some(want)) if got != want => out.push(Violation::new(
                "C608",
                format!(
                    "service \"{}\": move_year is {got:?}, the schedule says {want:?}",
                    svc.id
                ),
            )),
            _ => {}
        }
    }
}

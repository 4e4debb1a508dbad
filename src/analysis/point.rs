//! One what-if solve: an instance in, the status and the plan out, without the
//! explanation of infeasibility (which is what makes infeasible points slow).

use crate::error::Error;
use crate::instance::Instance;
use crate::milp::RoadmapOutcome;
use crate::milp::{Outcome, SolveOptions};
use crate::model::OfferingId;
use crate::plan::{build_plan, build_roadmap_plan, Plan, PlanStatus};
use serde::{Deserialize, Serialize};

/// How a what-if solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Proven optimal within the gap.
    Optimal,
    /// A plan, not proven optimal (time limit).
    Feasible,
    /// No plan satisfies the rules.
    Infeasible,
    /// The time limit ended the search before any plan was found.
    TimeLimit,
}

impl Status {
    /// Whether the point has a plan.
    pub fn has_plan(self) -> bool {
        match self {
            Status::Optimal | Status::Feasible => true,
            Status::Infeasible | Status::TimeLimit => false,
        }
    }
}

/// The result of one what-if solve.
#[derive(Debug, Clone)]
pub struct Point {
    /// How the solve ended.
    pub status: Status,
    /// The plan, when there is one.
    pub plan: Option<Plan>,
    /// The offering of every service, when there is a plan; for a roadmap, of every
    /// service in every year (year by year, as [`flat_schedule`] writes it).
    pub placement: Option<Vec<OfferingId>>,
}

/// A roadmap's schedule as one vector, year by year.
pub fn flat_schedule(schedule: &[Vec<OfferingId>]) -> Vec<OfferingId> {
    schedule.concat()
}

/// Solves an instance for an analysis: the plan if there is one, else only why not.
pub fn solve_point(inst: &Instance, opts: &SolveOptions) -> Result<Point, Error> {
    solve_point_from(inst, opts, None)
}

/// [`solve_point`] starting from a known placement (see [`crate::search_from`]).
pub fn solve_point_from(
    inst: &Instance,
    opts: &SolveOptions,
    start: Option<&[OfferingId]>,
) -> Result<Point, Error> {
    if inst.sc.roadmap.is_some() {
        return roadmap_point(inst, opts);
    }
    let (outcome, stats) = crate::search_from(inst, opts, start)?;
    Ok(match outcome {
        Outcome::Placed { placement, optimal } => {
            let status = if optimal {
                PlanStatus::Optimal
            } else {
                PlanStatus::Feasible
            };
            Point {
                status: match status {
                    PlanStatus::Optimal => Status::Optimal,
                    PlanStatus::Feasible => Status::Feasible,
                },
                plan: Some(build_plan(&inst.sc, &placement, status, stats.gap)),
                placement: Some(placement),
            }
        }
        Outcome::Infeasible => Point {
            status: Status::Infeasible,
            plan: None,
            placement: None,
        },
        Outcome::NoSolutionInTime => Point {
            status: Status::TimeLimit,
            plan: None,
            placement: None,
        },
    })
}

/// A roadmap point: the roadmap MILP (it takes no start plan).
fn roadmap_point(inst: &Instance, opts: &SolveOptions) -> Result<Point, Error> {
    let (outcome, stats) = crate::milp::solve_roadmap(inst, opts)?;
    Ok(match outcome {
        RoadmapOutcome::Placed { schedule, optimal } => {
            let (status, plan_status) = if optimal {
                (Status::Optimal, PlanStatus::Optimal)
            } else {
                (Status::Feasible, PlanStatus::Feasible)
            };
            Point {
                status,
                plan: Some(build_roadmap_plan(
                    &inst.sc,
                    &schedule,
                    plan_status,
                    stats.gap,
                )),
                placement: Some(flat_schedule(&schedule)),
            }
        }
        RoadmapOutcome::Infeasible => Point {
            status: Status::Infeasible,
            plan: None,
            placement: None,
        },
        RoadmapOutcome::NoSolutionInTime => Point {
            status: Status::TimeLimit,
            plan: None,
            placement: None,
        },
    })
}

/// How many of `services` services sit on another offering in `b` than in `a` (in any
/// year, for placements of several years as [`flat_schedule`] writes them).
pub fn services_moved(a: &[OfferingId], b: &[OfferingId], services: usize) -> usize {
    (0..services)
        .filter(|&s| {
            let at = |p: &[OfferingId]| {
                p.iter()
                    .skip(s)
                    .step_by(services.max(1))
                    .copied()
                    .collect::<Vec<_>>()
            };
            at(a) != at(b)
        })
        .count()
}

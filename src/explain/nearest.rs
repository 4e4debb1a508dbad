//! The nearest feasible setting of a conflicting limit, every other rule kept: a
//! bisection over the limit's setting (feasibility is monotone in it), to 0.001 for
//! shares and to the cent for money; the largest feasible count for `min_providers`.

use super::Nearest;
use crate::instance::Instance;
use crate::milp::{solve_milp, Outcome, SolveOptions};
use crate::model::cost::evaluate;
use crate::model::{LimitKind, PolicyLimit};

/// Grid steps per unit of a share (0.001).
const SHARE_STEPS: f64 = 1000.0;
/// Grid steps per EUR (cents).
const MONEY_STEPS: f64 = 100.0;

/// A trial at one setting.
enum Trial {
    Feasible { total: f64, proven: bool },
    Infeasible,
    Unknown,
}

/// The nearest feasible setting of `limit` (which conflicts with the rest of `inst`),
/// or `None` when a trial could not be decided within the time limit (each trial is
/// bounded by `opts`; none starts once `opts.deadline` has passed).
pub fn nearest(inst: &Instance, limit: PolicyLimit, opts: &SolveOptions) -> Option<Nearest> {
    match limit {
        PolicyLimit::ProviderShare(cur) => on_grid(
            inst,
            cur,
            1.0,
            SHARE_STEPS,
            opts,
            PolicyLimit::ProviderShare,
        ),
        PolicyLimit::CloudActShare(cur) => on_grid(
            inst,
            cur,
            1.0,
            SHARE_STEPS,
            opts,
            PolicyLimit::CloudActShare,
        ),
        PolicyLimit::ExitCost(cur) => {
            let hi = lifted_value(inst, LimitKind::ExitCost, opts)?;
            on_grid(inst, cur, hi, MONEY_STEPS, opts, PolicyLimit::ExitCost)
        }
        PolicyLimit::Budget(_) => smallest_budget(inst, opts),
        PolicyLimit::MinProviders(k) => (1..k).rev().find_map(|m| {
            let limit = PolicyLimit::MinProviders(m);
            match trial(inst, limit, opts) {
                Trial::Feasible { total, proven } => Some(Some(Nearest {
                    limit,
                    total,
                    proven,
                })),
                Trial::Infeasible => None,
                Trial::Unknown => Some(None),
            }
        })?,
    }
}

/// The smallest feasible budget is the cheapest monthly cost under every other rule:
/// one solve with migrations made free (the objective is then the monthly cost alone),
/// and one at that budget, rounded up to the cent, for the plan's total.
fn smallest_budget(inst: &Instance, opts: &SolveOptions) -> Option<Nearest> {
    let mut monthly_only = inst.without(crate::model::Rule::Limit(LimitKind::Budget));
    for s in &mut monthly_only.sc.services {
        s.migration_cost = 0.0;
    }
    let start = crate::heuristic::construct_until(&monthly_only, &opts.search_deadline());
    let Ok((Outcome::Placed { placement, .. }, _)) =
        solve_milp(&monthly_only, opts, start.as_deref())
    else {
        return None;
    };
    let monthly = evaluate(&monthly_only.sc, &placement).monthly;
    let limit = PolicyLimit::Budget((monthly * MONEY_STEPS).ceil() / MONEY_STEPS);
    match trial(inst, limit, opts) {
        Trial::Feasible { total, proven } => Some(Nearest {
            limit,
            total,
            proven,
        }),
        Trial::Infeasible | Trial::Unknown => None,
    }
}

/// The value the plan without the limit reaches (largest exit cost, monthly cost): a
/// setting that is surely feasible.
fn lifted_value(inst: &Instance, kind: LimitKind, opts: &SolveOptions) -> Option<f64> {
    let lifted = inst.without(crate::model::Rule::Limit(kind));
    let start = crate::heuristic::construct_until(&lifted, &opts.search_deadline());
    let Ok((Outcome::Placed { placement, .. }, _)) = solve_milp(&lifted, opts, start.as_deref())
    else {
        return None;
    };
    let e = evaluate(&lifted.sc, &placement);
    match kind {
        LimitKind::ExitCost => Some(e.exit.iter().copied().fold(0.0, f64::max)),
        LimitKind::Budget => Some(e.monthly),
        LimitKind::ProviderShare | LimitKind::MinProviders | LimitKind::CloudActShare => Some(1.0),
    }
}

/// Bisection on the grid `k / steps` between the infeasible current setting `cur` and
/// the feasible `hi`: the smallest feasible grid point and its plan.
fn on_grid(
    inst: &Instance,
    cur: f64,
    hi: f64,
    steps: f64,
    opts: &SolveOptions,
    make: fn(f64) -> PolicyLimit,
) -> Option<Nearest> {
    let (mut lo, mut hi) = ((cur * steps).floor() as i64, (hi * steps).ceil() as i64);
    let mut best: Option<Nearest> = None;
    while hi - lo > 1 || best.is_none() {
        let mid = if hi - lo > 1 { lo + (hi - lo) / 2 } else { hi };
        let limit = make(mid as f64 / steps);
        match trial(inst, limit, opts) {
            Trial::Feasible { total, proven } => {
                hi = mid;
                best = Some(Nearest {
                    limit,
                    total,
                    proven,
                });
            }
            Trial::Infeasible if mid < hi => lo = mid,
            // The upper end itself failed (it should not) or a trial was undecided.
            Trial::Infeasible | Trial::Unknown => return None,
        }
    }
    best
}

/// Solves the instance with `limit` in place of its current setting.
fn trial(inst: &Instance, limit: PolicyLimit, opts: &SolveOptions) -> Trial {
    let mut t = inst.clone();
    t.sc.policy.set(limit);
    let start = crate::heuristic::construct_until(&t, &opts.search_deadline());
    match solve_milp(&t, opts, start.as_deref()) {
        Ok((Outcome::Placed { placement, optimal }, _)) => Trial::Feasible {
            total: evaluate(&t.sc, &placement).total,
            proven: optimal,
        },
        Ok((Outcome::Infeasible, _)) => Trial::Infeasible,
        Ok((Outcome::NoSolutionInTime, _)) | Err(_) => Trial::Unknown,
    }
}

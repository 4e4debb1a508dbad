//! Running HiGHS on the [`Formulation`] of an instance and decoding the placement.

use super::formulate::{decode, formulate};
use crate::error::Error;
use crate::instance::Instance;
use crate::model::{LimitKind, OfferingId};
use crate::tolerance;
use good_lp::solvers::highs::highs;
use good_lp::SolverModel;
use highs::HighsModelStatus;
use std::time::Instant;

/// Columns above which presolve probing is switched off (see `solve_milp`).
const LARGE_MODEL: usize = 50_000;

/// Solver settings a user can change.
#[derive(Debug, Clone, PartialEq)]
pub struct SolveOptions {
    /// Seconds before HiGHS stops; `None` = no limit.
    pub time_limit: Option<f64>,
    /// Relative MIP gap at which a plan counts as optimal.
    pub gap: f64,
    /// HiGHS threads; `None` = HiGHS's default.
    pub threads: Option<u32>,
    /// Print HiGHS's log to standard output.
    pub solver_log: bool,
    /// Further HiGHS options as (name, value) text pairs, applied last.
    pub highs_options: Vec<(String, String)>,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            time_limit: None,
            gap: tolerance::DEFAULT_GAP,
            threads: None,
            solver_log: false,
            highs_options: Vec::new(),
        }
    }
}

/// Model size and timings of one solve (never written into the plan: timings vary).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SolveStats {
    /// Placement groups after co-location.
    pub groups: usize,
    /// Columns of the MILP.
    pub variables: usize,
    /// Binary columns.
    pub binaries: usize,
    /// Rows of the MILP.
    pub constraints: usize,
    /// Seconds spent building the model.
    pub build_seconds: f64,
    /// Seconds spent in HiGHS.
    pub solve_seconds: f64,
    /// Relative gap of the returned plan's total to the best bound known.
    pub gap: f64,
    /// Simplex iterations over the whole branch and bound.
    pub lp_iterations: i64,
    /// Seconds spent in the construction heuristic.
    pub heuristic_seconds: f64,
    /// Total cost of the heuristic's start plan, if it found one.
    pub heuristic_total: Option<f64>,
}

/// Result of one MILP solve.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A placement was found; `optimal` says whether optimality was proven.
    Placed {
        /// Offering of each service.
        placement: Vec<OfferingId>,
        /// Proven optimal within the gap.
        optimal: bool,
    },
    /// No placement satisfies the enforced limits.
    Infeasible,
    /// Stopped by a limit before finding any placement.
    NoSolutionInTime,
}

/// Formulates and solves an instance. Every group must have a candidate.
///
/// `start`, a placement that satisfies every constraint, is handed to HiGHS as its
/// first incumbent; if HiGHS stops at a limit without a better plan, `start` is
/// returned (not proven optimal), with the gap to HiGHS's bound or to a simple lower
/// bound when HiGHS has none.
pub fn solve_milp(
    inst: &Instance,
    opts: &SolveOptions,
    start: Option<&[OfferingId]>,
) -> Result<(Outcome, SolveStats), Error> {
    let t0 = Instant::now();
    let f = formulate(inst);
    let mut stats = SolveStats {
        groups: inst.groups(),
        variables: f.columns(),
        binaries: f.binaries,
        constraints: f.constraints.len(),
        ..Default::default()
    };
    if inst.sc.services.is_empty() {
        stats.build_seconds = t0.elapsed().as_secs_f64();
        return Ok((no_services(inst), stats));
    }
    let start_values = start.map(|p| f.values(inst, p));
    let kinds = f.kinds.clone();
    // HiGHS never sees the objective's constant (migrations that are paid anyway).
    let objective_constant = good_lp::IntoAffineExpression::constant(&f.objective);
    let mut model = to_highs(f)?;
    stats.build_seconds = t0.elapsed().as_secs_f64();
    configure(&mut model, opts, stats.variables, start_values.as_deref())?;
    let t1 = Instant::now();
    let solved = model
        .try_solve()
        .map_err(|e| Error::Solver(format!("{e:?}")))?;
    stats.solve_seconds = t1.elapsed().as_secs_f64();
    stats.lp_iterations = solved.simplex_iteration_count();
    let Some(optimal) = proven_optimal(solved.status())? else {
        return Ok((Outcome::Infeasible, stats));
    };
    let has_solution = solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible;
    let placement: Vec<OfferingId> = if has_solution {
        decode(&kinds, inst, solved.get_solution().columns()).ok_or_else(|| {
            Error::Solver("a service was placed on no or several offerings".into())
        })?
    } else if let Some(start) = start {
        start.to_vec()
    } else {
        return Ok((Outcome::NoSolutionInTime, stats));
    };
    let total = crate::model::cost::evaluate(&inst.sc, &placement).total;
    if has_solution {
        let reported = solved.objective_value() + objective_constant;
        if let Err(e) = consistent(reported, total) {
            // HiGHS answered a different problem than the one built; a MIP start was
            // the cause once (see formulate.rs), so retry without.
            return match start {
                Some(_) => solve_milp(inst, opts, None),
                None => Err(e),
            };
        }
    }
    // The gap is measured on the cost model's total of the returned placement against
    // the best valid bound known: HiGHS's dual bound (in its own objective space,
    // without the constant), or the solver-free lower bound when HiGHS stopped before
    // it had one (huge models at a short time limit).
    let dual_bound = solved
        .double_info_value(c"mip_dual_bound")
        .ok()
        .filter(|b| b.is_finite());
    let bound = dual_bound
        .map(|b| b + objective_constant)
        .unwrap_or(f64::NEG_INFINITY)
        .max(lower_bound(inst));
    stats.gap = relative_gap(total, bound);
    let optimal = optimal && has_solution;
    let outcome = Outcome::Placed { placement, optimal };
    Ok((outcome, stats))
}

/// HiGHS rejects a model without columns; with no services there is nothing to decide,
/// and only `min_providers` can fail (no provider is used).
fn no_services(inst: &Instance) -> Outcome {
    if inst.sc.policy.get(LimitKind::MinProviders).is_some() {
        return Outcome::Infeasible;
    }
    Outcome::Placed {
        placement: Vec::new(),
        optimal: true,
    }
}

/// Hands the formulation to HiGHS.
fn to_highs(f: super::formulate::Formulation) -> Result<highs::Model, Error> {
    let mut problem = f.vars.minimise(f.objective).using(highs);
    for c in f.constraints {
        problem.add_constraint(c);
    }
    problem
        .try_into_inner()
        .map_err(|e| Error::Solver(e.to_string()))
}

/// Sets HiGHS's options, the MIP start and the user's own options (last).
fn configure(
    model: &mut highs::Model,
    opts: &SolveOptions,
    columns: usize,
    start: Option<&[f64]>,
) -> Result<(), Error> {
    if opts.solver_log {
        set_option(model, "output_flag", true)?;
        set_option(model, "log_to_console", true)?;
    } else {
        model.make_quiet();
    }
    set_option(model, "mip_rel_gap", opts.gap)?;
    set_option(model, "mip_abs_gap", tolerance::MIP_ABS_GAP)?;
    if let Some(t) = opts.time_limit {
        set_option(model, "time_limit", t)?;
    }
    if columns > LARGE_MODEL {
        // HiGHS's presolve probing does not look at the time limit: on the 5,336-service
        // scenario (197k columns) it ran 110 s against a 30 s limit. Above this size it is
        // switched off (presolve rule bit 15); `--highs-option presolve_rule_off=0` restores it.
        set_option(model, "presolve_rule_off", 1i32 << 15)?;
    }
    if let Some(n) = opts.threads {
        set_option(model, "threads", n as i32)?;
    }
    if let Some(values) = start {
        // HiGHS checks the start itself and ignores it when it is infeasible.
        model
            .try_set_solution(Some(values), None, None, None)
            .map_err(|e| Error::Solver(format!("HiGHS rejected the start solution: {e:?}")))?;
    }
    for (k, v) in &opts.highs_options {
        set_user_option(model, k, v)?;
    }
    Ok(())
}

/// HiGHS options are typed; tries the value as integer, number, boolean, then text.
fn set_user_option(model: &mut highs::Model, k: &str, v: &str) -> Result<(), Error> {
    let ok = if let Ok(i) = v.parse::<i32>() {
        model.try_set_option(k, i).is_ok() || model.try_set_option(k, f64::from(i)).is_ok()
    } else if let Ok(x) = v.parse::<f64>() {
        model.try_set_option(k, x).is_ok()
    } else if let Ok(b) = v.parse::<bool>() {
        model.try_set_option(k, b).is_ok()
    } else {
        model.try_set_option(k, v).is_ok()
    };
    if ok {
        Ok(())
    } else {
        Err(Error::Solver(format!("HiGHS rejected the option {k}={v}")))
    }
}

/// `Some(proven optimal)` for a status that may carry a plan, `None` for infeasible.
fn proven_optimal(status: HighsModelStatus) -> Result<Option<bool>, Error> {
    match status {
        HighsModelStatus::Optimal => Ok(Some(true)),
        // Costs are bounded below by 0, so "unbounded or infeasible" means infeasible.
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => Ok(None),
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedMemoryLimit => Ok(Some(false)),
        other => Err(Error::Solver(format!("HiGHS ended with status {other:?}"))),
    }
}

/// The formulation is exact, so HiGHS's objective must equal the cost model on the
/// decoded placement.
fn consistent(reported: f64, total: f64) -> Result<(), Error> {
    let tol = tolerance::OBJECTIVE_ABS + tolerance::OBJECTIVE_REL * total.abs();
    if (reported - total).abs() > tol {
        return Err(Error::Solver(format!(
            "HiGHS reports an objective of {reported:.4} for a plan that costs {total:.4}"
        )));
    }
    Ok(())
}

/// (total − bound) / total in [0, 1]; 0 for a plan that costs nothing.
fn relative_gap(total: f64, bound: f64) -> f64 {
    if total > 0.0 {
        ((total - bound) / total).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

fn set_option<V: highs::HighsOptionValue>(
    m: &mut highs::Model,
    key: &str,
    v: V,
) -> Result<(), Error> {
    m.try_set_option(key, v)
        .map_err(|_| Error::Solver(format!("HiGHS rejected the value of option {key}")))
}

/// A valid lower bound on the total cost without a solver: every group at its cheapest
/// candidate, no traffic or fees, plus the migrations that cannot be avoided.
pub fn lower_bound(inst: &Instance) -> f64 {
    let sc = &inst.sc;
    let mut monthly = 0.0;
    let mut one_off = 0.0;
    for (g, members) in inst.graph.groups.iter().enumerate() {
        let cheapest = inst.choices[g]
            .iter()
            .map(|&o| {
                members
                    .iter()
                    .map(|&s| crate::model::cost::run_cost(sc, s, o))
                    .sum::<f64>()
            })
            .fold(f64::INFINITY, f64::min);
        monthly += cheapest;
        for &s in members {
            let svc = &sc.services[s.index()];
            if let Some(c) = svc.current_offering {
                if !inst.choices[g].contains(&c) {
                    one_off += svc.migration_cost;
                }
            }
        }
    }
    sc.policy.horizon_months * monthly + one_off
}

//! Running HiGHS on a [`Formulation`] and decoding the placement.

use crate::error::Error;
use crate::formulate::{formulate, Limit};
use crate::model::{OfferingId, Scenario};
use good_lp::solvers::highs::highs;
use good_lp::SolverModel;
use highs::HighsModelStatus;
use std::collections::BTreeSet;
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
            gap: 1e-6,
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
        /// Total cost of the placement (cost model).
        objective: f64,
    },
    /// No placement satisfies the enforced limits.
    Infeasible,
    /// Stopped by a limit before finding any placement.
    NoSolutionInTime,
}

/// Formulates and solves with the given limits enforced. Every group must have a candidate.
///
/// `start`, a placement that satisfies the enforced limits, is handed to HiGHS as its
/// first incumbent; if HiGHS stops at a limit without a better plan, `start` is
/// returned (not proven optimal), with the gap to HiGHS's bound or to a simple lower
/// bound when HiGHS has none.
pub fn solve_milp(
    sc: &Scenario,
    enforced: &BTreeSet<Limit>,
    opts: &SolveOptions,
    start: Option<&[OfferingId]>,
) -> Result<(Outcome, SolveStats), Error> {
    let t0 = Instant::now();
    let f = formulate(sc, enforced);
    let start_values = start.map(|p| f.values(sc, p));
    // HiGHS never sees the objective's constant (migrations that are paid anyway).
    let objective_constant = good_lp::IntoAffineExpression::constant(&f.objective);
    let mut stats = SolveStats {
        groups: f.graph.groups.len(),
        variables: f.columns,
        binaries: f.binaries,
        constraints: f.constraints.len(),
        ..Default::default()
    };
    if sc.services.is_empty() {
        // HiGHS rejects a model without columns; with no services there is nothing to
        // decide, and only min_providers can fail (no provider is used).
        stats.build_seconds = t0.elapsed().as_secs_f64();
        if enforced.contains(&Limit::MinProviders) && sc.policy.min_providers.is_some() {
            return Ok((Outcome::Infeasible, stats));
        }
        return Ok((
            Outcome::Placed {
                placement: Vec::new(),
                optimal: true,
                objective: 0.0,
            },
            stats,
        ));
    }
    let mut problem = f.vars.minimise(f.objective).using(highs);
    for c in f.constraints {
        problem.add_constraint(c);
    }
    let mut model = problem
        .try_into_inner()
        .map_err(|e| Error::Solver(e.to_string()))?;
    stats.build_seconds = t0.elapsed().as_secs_f64();
    if opts.solver_log {
        set_option(&mut model, "output_flag", true)?;
        set_option(&mut model, "log_to_console", true)?;
    } else {
        model.make_quiet();
    }
    set_option(&mut model, "mip_rel_gap", opts.gap)?;
    // Half a cent on the total: closing the gap further only reorders equal plans.
    set_option(&mut model, "mip_abs_gap", 0.005)?;
    if let Some(t) = opts.time_limit {
        set_option(&mut model, "time_limit", t)?;
    }
    if stats.variables > LARGE_MODEL {
        // HiGHS's presolve probing does not look at the time limit: on the 5,336-service
        // scenario (197k columns) it ran 110 s against a 30 s limit. Above this size it is
        // switched off (presolve rule bit 15); `--highs-option presolve_rule_off=0` restores it.
        set_option(&mut model, "presolve_rule_off", 1i32 << 15)?;
    }
    if let Some(n) = opts.threads {
        set_option(&mut model, "threads", n as i32)?;
    }
    if let Some(values) = &start_values {
        // HiGHS checks the start itself and ignores it when it is infeasible.
        model
            .try_set_solution(Some(values), None, None, None)
            .map_err(|e| Error::Solver(format!("HiGHS rejected the start solution: {e:?}")))?;
    }
    for (k, v) in &opts.highs_options {
        // HiGHS options are typed; try the value as integer, number, boolean, then text.
        let ok = if let Ok(i) = v.parse::<i32>() {
            model.try_set_option(k.as_str(), i).is_ok()
                || model.try_set_option(k.as_str(), i as f64).is_ok()
        } else if let Ok(x) = v.parse::<f64>() {
            model.try_set_option(k.as_str(), x).is_ok()
        } else if let Ok(b) = v.parse::<bool>() {
            model.try_set_option(k.as_str(), b).is_ok()
        } else {
            model.try_set_option(k.as_str(), v.as_str()).is_ok()
        };
        if !ok {
            return Err(Error::Solver(format!("HiGHS rejected the option {k}={v}")));
        }
    }
    let t1 = Instant::now();
    let solved = model
        .try_solve()
        .map_err(|e| Error::Solver(format!("{e:?}")))?;
    stats.solve_seconds = t1.elapsed().as_secs_f64();
    stats.lp_iterations = solved.simplex_iteration_count();
    let status = solved.status();
    let has_solution = solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible;
    let optimal = match status {
        HighsModelStatus::Optimal => true,
        // Costs are bounded below by 0, so "unbounded or infeasible" means infeasible.
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
            return Ok((Outcome::Infeasible, stats))
        }
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedMemoryLimit => false,
        other => return Err(Error::Solver(format!("HiGHS ended with status {other:?}"))),
    };
    let dual_bound = solved
        .double_info_value(c"mip_dual_bound")
        .ok()
        .filter(|b| b.is_finite());
    let placement: Vec<OfferingId> = if has_solution {
        let values = solved.get_solution();
        decode(&f.choices, &f.graph, sc, values.columns())?
    } else if let Some(start) = start {
        start.to_vec()
    } else {
        return Ok((Outcome::NoSolutionInTime, stats));
    };
    // The gap is measured on the cost model's total of the returned placement against
    // the best valid bound known: HiGHS's dual bound, or the solver-free lower bound
    // when HiGHS stopped before it had one (huge models at a short time limit).
    let total = crate::cost::evaluate(sc, &placement).total;
    if has_solution {
        // The formulation is exact, so HiGHS's objective must equal the cost model on the
        // decoded placement. If it does not, HiGHS answered a different problem than the
        // one built; a MIP start was the cause once (see formulate.rs), so retry without.
        let reported = solved.objective_value() + objective_constant;
        if (reported - total).abs() > 0.01 + 1e-6 * total.abs() {
            if start.is_some() {
                return solve_milp(sc, enforced, opts, None);
            }
            return Err(Error::Solver(format!(
                "HiGHS reports an objective of {reported:.4} for a plan that costs {total:.4}"
            )));
        }
    }
    // HiGHS's dual bound is in its own objective space, without the constant.
    let bound = dual_bound
        .map(|b| b + objective_constant)
        .unwrap_or(f64::NEG_INFINITY)
        .max(lower_bound(sc, &f.graph, &f.choices));
    stats.gap = if total > 0.0 {
        ((total - bound) / total).clamp(0.0, 1.0)
    } else {
        0.0
    };
    Ok((
        Outcome::Placed {
            placement,
            optimal: optimal && has_solution,
            objective: total,
        },
        stats,
    ))
}

/// Reads the chosen offering of every service from the binary columns, which were
/// created first, group by group, in candidate order.
fn decode(
    choices: &[Vec<(OfferingId, good_lp::Variable)>],
    graph: &crate::graph::ServiceGraph,
    sc: &Scenario,
    cols: &[f64],
) -> Result<Vec<OfferingId>, Error> {
    let mut col = 0usize;
    let mut group_choice = Vec::with_capacity(choices.len());
    for row in choices {
        let mut chosen = None;
        for &(o, _) in row {
            if cols[col] > 0.5 {
                if chosen.is_some() {
                    return Err(Error::Solver("a service was placed twice".into()));
                }
                chosen = Some(o);
            }
            col += 1;
        }
        group_choice.push(chosen.ok_or_else(|| Error::Solver("a service was not placed".into()))?);
    }
    Ok(sc
        .service_ids()
        .map(|s| group_choice[graph.group(s)])
        .collect())
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
fn lower_bound(
    sc: &Scenario,
    graph: &crate::graph::ServiceGraph,
    choices: &[Vec<(OfferingId, good_lp::Variable)>],
) -> f64 {
    let mut monthly = 0.0;
    let mut one_off = 0.0;
    for (g, members) in graph.groups.iter().enumerate() {
        let cheapest = choices[g]
            .iter()
            .map(|&(o, _)| {
                members
                    .iter()
                    .map(|&s| crate::cost::run_cost(sc, s, o))
                    .sum::<f64>()
            })
            .fold(f64::INFINITY, f64::min);
        monthly += cheapest;
        for &s in members {
            let svc = &sc.services[s.index()];
            if let Some(c) = svc.current_offering {
                if !choices[g].iter().any(|&(o, _)| o == c) {
                    one_off += svc.migration_cost;
                }
            }
        }
    }
    sc.policy.horizon_months * monthly + one_off
}

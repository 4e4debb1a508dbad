//! sovplan: plans where a German municipality runs its IT services.
//!
//! The pipeline, one module per stage:
//! [`read`] (JSON files and includes) → [`validate`] (all problems at once) →
//! [`model`] (typed domain model) → [`graph`] (dependencies and co-location groups) →
//! [`formulate`] (the MILP, no I/O) → [`solve`] (HiGHS) → [`plan`] (the result) →
//! [`check`] (independent verification, no solver).
//! [`cost`] is the reference cost model; [`explain`] says why no plan exists;
//! [`generate`] writes synthetic and template-based scenarios; [`heuristic`] builds a
//! feasible start plan without the solver.

#![warn(missing_docs)]

pub mod check;
pub mod cost;
pub mod error;
pub mod explain;
pub mod format;
pub mod formulate;
pub mod generate;
pub mod graph;
pub mod heuristic;
pub mod model;
pub mod plan;
pub mod read;
pub mod solve;
pub mod validate;

pub use error::{Diagnostic, Error};
pub use model::Scenario;
pub use plan::Plan;
pub use solve::{SolveOptions, SolveStats};

use formulate::Limit;
use solve::{solve_milp, Outcome};
use std::path::Path;

/// Reads and validates a scenario file with its includes.
pub fn load_scenario(path: &Path) -> Result<Scenario, Error> {
    let raw = read::read_scenario(path)?;
    Ok(validate::validate(&raw)?)
}

/// Parses and validates a scenario given as text (includes resolve against `base_dir`).
pub fn parse_scenario(text: &str, base_dir: &Path) -> Result<Scenario, Error> {
    let raw = read::read_scenario_str(text, "<input>", base_dir)?;
    Ok(validate::validate(&raw)?)
}

/// A plan with the figures of the solve that produced it.
#[derive(Debug, Clone)]
pub struct Solved {
    /// The plan (deterministic).
    pub plan: Plan,
    /// Model size and timings (not deterministic, never written into the plan).
    pub stats: SolveStats,
}

/// Computes the cheapest plan that satisfies every constraint of the scenario.
///
/// Infeasible scenarios return [`Error::Infeasible`] with an explanation; a time limit
/// that ends the search before any feasible plan returns [`Error::TimeLimit`].
pub fn plan_scenario(sc: &Scenario, opts: &SolveOptions) -> Result<Solved, Error> {
    if let Some(inf) = explain::precheck(sc) {
        return Err(Error::Infeasible(inf));
    }
    let all = Limit::ALL.into_iter().collect();
    // A checked plan from the construction heuristic gives HiGHS an incumbent from the
    // start, and is the answer when HiGHS finds nothing better within the time limit.
    let t0 = std::time::Instant::now();
    let start = heuristic::construct(sc);
    let heuristic_seconds = t0.elapsed().as_secs_f64();
    let (outcome, mut stats) = solve_milp(sc, &all, opts, start.as_deref())?;
    stats.heuristic_seconds = heuristic_seconds;
    stats.heuristic_total = start.as_deref().map(|p| cost::evaluate(sc, p).total);
    match (outcome, stats) {
        (
            Outcome::Placed {
                placement, optimal, ..
            },
            stats,
        ) => {
            let status = if optimal {
                plan::PlanStatus::Optimal
            } else {
                plan::PlanStatus::Feasible
            };
            Ok(Solved {
                plan: plan::build_plan(sc, &placement, status, stats.gap),
                stats,
            })
        }
        (Outcome::Infeasible, _) => Err(Error::Infeasible(explain::diagnose(sc, opts))),
        (Outcome::NoSolutionInTime, _) => Err(Error::TimeLimit(opts.time_limit.unwrap_or(0.0))),
    }
}

//! sovplan: plans where a German municipality runs its IT services.
//!
//! The pipeline, one module per stage:
//! [`format`] (the JSON files, includes) → [`validate`] (all problems at once) →
//! [`model`] (typed domain model, policy limits, eligibility, the reference cost
//! model) → [`instance`] (placement groups, candidates, twins: derived once) →
//! [`milp`] (the exact model and HiGHS) → [`plan`] (the result) → [`check`]
//! (independent verification, no solver).
//! [`heuristic`] builds a feasible start plan without the solver; [`explain`] says,
//! as data, why no plan exists; [`generate`] writes synthetic and template-based
//! scenarios; [`export`] writes plans and reports as XLSX and CSV; [`report`] writes a
//! plan as a self-contained HTML report with charts and its dependency graph; [`tolerance`] names
//! every numerical tolerance.

#![warn(missing_docs)]

pub mod analysis;
pub mod check;
pub mod deadline;
pub mod error;
pub mod explain;
pub mod export;
pub mod format;
pub mod generate;
pub mod heuristic;
pub mod instance;
pub mod live;
pub mod milp;
pub mod model;
pub mod plan;
pub mod report;
pub mod tolerance;
pub mod validate;

pub use deadline::Deadline;
pub use error::{Diagnostic, Error};
pub use explain::Infeasibility;
pub use format::overrides::Override;
pub use instance::Instance;
pub use milp::{SolveOptions, SolveStats};
pub use model::Scenario;
pub use plan::Plan;

use milp::{solve_search, Outcome};
use std::path::Path;
use std::time::Instant;

/// Reads and validates a scenario file with its includes.
pub fn load_scenario(path: &Path) -> Result<Scenario, Error> {
    load_scenario_with(path, &[])
}

/// Reads a scenario file with its includes, applies `--set` overrides to the merged
/// scenario, and validates the result like a file.
pub fn load_scenario_with(path: &Path, overrides: &[Override]) -> Result<Scenario, Error> {
    let mut raw = format::read::read_scenario(path)?;
    format::overrides::apply(&mut raw, overrides)?;
    Ok(validate::validate(&raw)?)
}

/// Parses and validates a scenario given as text (includes resolve against `base_dir`).
pub fn parse_scenario(text: &str, base_dir: &Path) -> Result<Scenario, Error> {
    let raw = format::read::read_scenario_str(text, "<input>", base_dir)?;
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

/// What planning a scenario gives.
#[derive(Debug, Clone)]
pub enum PlanOutcome {
    /// The cheapest plan found (proven optimal or not: see its status).
    Planned(Box<Solved>),
    /// No plan satisfies every rule, with the explanation.
    Infeasible(Infeasibility),
    /// The time limit (seconds) ended the search before any feasible plan was found.
    NoPlanInTime(f64),
}

impl PlanOutcome {
    /// The plan, if one was found.
    pub fn planned(self) -> Option<Solved> {
        match self {
            PlanOutcome::Planned(s) => Some(*s),
            PlanOutcome::Infeasible(_) | PlanOutcome::NoPlanInTime(_) => None,
        }
    }
}

/// Computes the cheapest plan that satisfies every constraint of the scenario.
pub fn plan_scenario(sc: &Scenario, opts: &SolveOptions) -> Result<PlanOutcome, Error> {
    plan_instance(&Instance::new(sc.clone()), opts)
}

/// Computes the cheapest plan of an instance: the structural precheck, the heuristic's
/// start plan, the MILP, and the diagnosis when there is no plan. Every stage ends by
/// `opts.deadline`; the search also by the time limit (see [`SolveOptions`]).
pub fn plan_instance(inst: &Instance, opts: &SolveOptions) -> Result<PlanOutcome, Error> {
    if let Some(inf) = explain::precheck(inst) {
        return Ok(PlanOutcome::Infeasible(inf));
    }
    if inst.sc.roadmap.is_some() {
        return plan_roadmap(inst, opts);
    }
    let (outcome, stats) = search(inst, opts)?;
    Ok(match outcome {
        Outcome::Placed {
            placement, optimal, ..
        } => {
            let status = if optimal {
                plan::PlanStatus::Optimal
            } else {
                plan::PlanStatus::Feasible
            };
            let plan = plan::build_plan(&inst.sc, &placement, status, stats.gap);
            PlanOutcome::Planned(Box::new(Solved { plan, stats }))
        }
        Outcome::Infeasible => PlanOutcome::Infeasible(explain::diagnose(inst, opts)),
        Outcome::NoSolutionInTime => PlanOutcome::NoPlanInTime(opts.time_limit.unwrap_or(0.0)),
    })
}

/// The cheapest roadmap of an instance that passed the structural precheck: the MILP
/// (no construction heuristic yet, so no start plan), the plan of its schedule, or the
/// diagnosis when there is none.
fn plan_roadmap(inst: &Instance, opts: &SolveOptions) -> Result<PlanOutcome, Error> {
    let (outcome, stats) = milp::solve_roadmap(inst, opts)?;
    Ok(match outcome {
        milp::RoadmapOutcome::Placed { schedule, optimal } => {
            let status = if optimal {
                plan::PlanStatus::Optimal
            } else {
                plan::PlanStatus::Feasible
            };
            let plan = plan::build_roadmap_plan(&inst.sc, &schedule, status, stats.gap);
            PlanOutcome::Planned(Box::new(Solved { plan, stats }))
        }
        milp::RoadmapOutcome::Infeasible => {
            PlanOutcome::Infeasible(explain::diagnose_roadmap(inst, opts))
        }
        milp::RoadmapOutcome::NoSolutionInTime => {
            PlanOutcome::NoPlanInTime(opts.time_limit.unwrap_or(0.0))
        }
    })
}

/// The cheapest placement of an instance without any explanation when there is none:
/// the structural precheck, the heuristic's start plan and the MILP. What-if analyses
/// (prices of rules, sweeps) call this many times.
pub fn search(inst: &Instance, opts: &SolveOptions) -> Result<(Outcome, SolveStats), Error> {
    search_from(inst, opts, None)
}

/// [`search`] from a known placement: `start`, when given, replaces the heuristic's
/// plan as HiGHS's first incumbent (HiGHS ignores it if it breaks a rule). A what-if
/// that only relaxes rules starts from the plan with every rule, so that when lifting
/// a rule gains nothing the same plan comes back rather than an equally cheap other one.
pub fn search_from(
    inst: &Instance,
    opts: &SolveOptions,
    start: Option<&[model::OfferingId]>,
) -> Result<(Outcome, SolveStats), Error> {
    if explain::precheck(inst).is_some() {
        return Ok((Outcome::Infeasible, SolveStats::default()));
    }
    // The time limit counts from here, for the heuristic and HiGHS together.
    let soft = opts.search_deadline();
    // A checked plan from the construction heuristic gives HiGHS an incumbent from the
    // start, and is the answer when HiGHS finds nothing better within the time limit.
    let t0 = Instant::now();
    opts.enter(live::Phase::Heuristic);
    let start = match start {
        Some(p) => Some(p.to_vec()),
        None => heuristic::construct_until(inst, &soft),
    };
    let heuristic_seconds = t0.elapsed().as_secs_f64();
    if let Some(l) = &opts.live {
        l.offer_bound(milp::lower_bound(inst));
        if let Some(p) = &start {
            l.offer_plan(model::cost::evaluate(&inst.sc, p).total);
        }
    }
    let opts = &SolveOptions {
        time_limit: opts.time_limit.and(soft.remaining()),
        ..opts.clone()
    };
    let (outcome, mut stats) = solve_search(inst, opts, start.as_deref())?;
    stats.heuristic_seconds = heuristic_seconds;
    stats.heuristic_total = start
        .as_deref()
        .map(|p| model::cost::evaluate(&inst.sc, p).total);
    Ok((outcome, stats))
}

//! Running HiGHS on the [`Formulation`] of an instance and decoding the placement.

use super::formulate::{decode, formulate, Column};
use super::watch::{self, Progress};
use crate::deadline::Deadline;
use crate::error::Error;
use crate::instance::Instance;
use crate::live::{Live, Phase};
use crate::model::{LimitKind, OfferingId};
use crate::tolerance;
use good_lp::solvers::highs::highs;
use good_lp::SolverModel;
use highs::HighsModelStatus;
use std::sync::{mpsc, Arc};
use std::time::Instant;

/// Columns above which presolve probing is switched off (see `solve_milp`).
const LARGE_MODEL: usize = 50_000;

/// Solver settings a user can change.
#[derive(Debug, Clone, PartialEq)]
pub struct SolveOptions {
    /// Seconds one search may take from its start (heuristic, build and HiGHS); `None`
    /// = no limit. HiGHS is stopped when they are up (its own time limit and its
    /// interrupt callback), but may overshoot in its presolve: a bound every stage keeps
    /// is `deadline`.
    pub time_limit: Option<f64>,
    /// The instant the whole run must end by, and its interrupt flag (Ctrl-C). Every
    /// stage checks it; a solve still running when it has passed is given up on after
    /// [`super::watch::GRACE`], with the best plan known by then.
    pub deadline: Deadline,
    /// Relative MIP gap at which to stop. A plan is called optimal only when its gap is
    /// within [`tolerance::DEFAULT_GAP`] (see [`Outcome::Placed`]).
    pub gap: f64,
    /// HiGHS threads; `None` = HiGHS's default.
    pub threads: Option<u32>,
    /// Whether the search solves through certified candidate pricing
    /// ([`super::pricing`]).
    pub pricing: super::pricing::Pricing,
    /// Print HiGHS's log to standard output.
    pub solver_log: bool,
    /// Further HiGHS options as (name, value) text pairs, applied last.
    pub highs_options: Vec<(String, String)>,
    /// Where the search reports its progress (best plan, bound, stage) while it runs;
    /// `None` = nobody watches. It never changes the result.
    pub live: Option<Arc<Live>>,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            time_limit: None,
            deadline: Deadline::none(),
            gap: tolerance::DEFAULT_GAP,
            threads: None,
            pricing: super::pricing::Pricing::Auto,
            solver_log: false,
            highs_options: Vec::new(),
            live: None,
        }
    }
}

impl SolveOptions {
    /// The deadline of a search that starts now: the run's deadline or the time limit
    /// from now, whichever comes first.
    pub fn search_deadline(&self) -> Deadline {
        self.deadline.within(self.time_limit)
    }

    /// Enters a stage on the observer, if there is one.
    pub fn enter(&self, phase: Phase) {
        if let Some(live) = &self.live {
            live.enter(phase);
        }
    }

    /// The same options without the observer: for the many inner solves of an
    /// analysis, whose plans and bounds are not the run's.
    pub fn unobserved(&self) -> SolveOptions {
        SolveOptions {
            live: None,
            ..self.clone()
        }
    }
}

/// Why a search ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Stop {
    /// HiGHS finished: optimal within the requested gap, or infeasible.
    #[default]
    Finished,
    /// The time limit (or the run's deadline) stopped it.
    TimeLimit,
    /// The run was interrupted (Ctrl-C).
    Interrupted,
}

impl Stop {
    /// Why a search bounded by `deadline` stopped early, once it has expired.
    pub(super) fn of_deadline(deadline: &Deadline) -> Stop {
        Stop::of(deadline)
    }

    fn of(deadline: &Deadline) -> Stop {
        if deadline.interrupted() {
            Stop::Interrupted
        } else {
            Stop::TimeLimit
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
    /// Seconds spent in HiGHS (until it came back or was given up on).
    pub solve_seconds: f64,
    /// Relative gap of the returned plan's total to the best bound known: HiGHS's dual
    /// bound or the solver-free [`lower_bound`], whichever is higher (through pricing:
    /// the bound of [`super::pricing`]'s certificate, never below its Lagrangian bound).
    pub gap: f64,
    /// Whether HiGHS reported a dual bound (else the gap is against [`lower_bound`]).
    pub dual_bound: bool,
    /// Simplex iterations over the whole branch and bound.
    pub lp_iterations: i64,
    /// Seconds spent in the construction heuristic.
    pub heuristic_seconds: f64,
    /// Total cost of the heuristic's start plan, if it found one.
    pub heuristic_total: Option<f64>,
    /// Why the search ended.
    pub stop: Stop,
    /// The lower bound `gap` is measured against (EUR, total).
    pub bound: f64,
    /// What certified candidate pricing did, when the search used it.
    pub pricing: Option<super::pricing::PricingStats>,
}

/// Result of one MILP solve.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A placement was found; `optimal` says whether optimality was proven.
    Placed {
        /// Offering of each service.
        placement: Vec<OfferingId>,
        /// Proven optimal: HiGHS finished, and the gap is within
        /// [`tolerance::DEFAULT_GAP`] (a larger `--gap` stops earlier, with a plan that
        /// is only feasible).
        optimal: bool,
    },
    /// No placement satisfies the enforced limits.
    Infeasible,
    /// Stopped by a limit before finding any placement.
    NoSolutionInTime,
}

/// What the waiting thread needs to read a solution back once the model is built.
struct Built {
    kinds: Vec<Column>,
    /// The objective's constant (migrations paid whatever the plan).
    constant: f64,
    /// Columns, binary columns, rows.
    sizes: [usize; 3],
}

/// The messages of the solving thread.
type Message = watch::Message<Built, Result<Highs, Error>>;

/// What the solving thread hands back.
struct Highs {
    status: HighsModelStatus,
    /// The placement HiGHS's solution encodes, when it has one.
    placement: Option<Vec<OfferingId>>,
    /// HiGHS's objective plus the constant it never sees.
    objective: f64,
    /// HiGHS's dual bound plus the constant, when it has one.
    dual_bound: Option<f64>,
    iterations: i64,
    build_seconds: f64,
    solve_seconds: f64,
    /// Columns, binary columns, rows.
    sizes: [usize; 3],
}

/// Formulates and solves an instance. Every group must have a candidate.
///
/// `start`, a placement that satisfies every constraint, is handed to HiGHS as its
/// first incumbent; if HiGHS stops at a limit without a better plan, `start` is
/// returned (not proven optimal), with the gap to HiGHS's bound or to a simple lower
/// bound when HiGHS has none. The search ends by [`SolveOptions::search_deadline`];
/// HiGHS is given up on [`super::watch::GRACE`] after `opts.deadline` has passed.
pub fn solve_milp(
    inst: &Instance,
    opts: &SolveOptions,
    start: Option<&[OfferingId]>,
) -> Result<(Outcome, SolveStats), Error> {
    solve_until(inst, opts, start, &opts.search_deadline())
}

/// [`solve_milp`] that stops at `soft` (HiGHS's limit and callback) and gives up on
/// HiGHS at `opts.deadline`.
fn solve_until(
    inst: &Instance,
    opts: &SolveOptions,
    start: Option<&[OfferingId]>,
    soft: &Deadline,
) -> Result<(Outcome, SolveStats), Error> {
    let mut stats = SolveStats {
        groups: inst.groups(),
        ..Default::default()
    };
    if inst.sc.services.is_empty() {
        return Ok((no_services(inst), stats));
    }
    if soft.expired() {
        stats.stop = Stop::of(soft);
        return Ok(fallback(inst, start, None, None, &mut stats));
    }
    let progress = Progress::new(soft.clone(), opts.live.clone());
    let job = {
        let (inst, opts, progress) = (inst.clone(), opts.clone(), Arc::clone(&progress));
        let start = start.map(<[OfferingId]>::to_vec);
        move |tx: &mpsc::Sender<Message>| {
            let r = build_and_run(&inst, &opts, start.as_deref(), &progress, tx);
            let _ = tx.send(watch::Message::Done(r));
        }
    };
    let t0 = Instant::now();
    let waited = watch::run(&opts.deadline, job)
        .map_err(|e| Error::Solver(format!("cannot start the solver thread: {e}")))?;
    let h = match waited {
        watch::Waited::Done(r) => r?,
        watch::Waited::GaveUp(built) => {
            stats.solve_seconds = t0.elapsed().as_secs_f64();
            stats.stop = Stop::of(soft);
            let Some(b) = built else {
                return Ok(fallback(inst, start, None, None, &mut stats));
            };
            [stats.variables, stats.binaries, stats.constraints] = b.sizes;
            let incumbent = progress
                .incumbent()
                .and_then(|values| decode(&b.kinds, inst, &values));
            let bound = progress.dual_bound().map(|d| d + b.constant);
            return Ok(fallback(inst, start, incumbent, bound, &mut stats));
        }
    };
    [stats.variables, stats.binaries, stats.constraints] = h.sizes;
    stats.build_seconds = h.build_seconds;
    stats.solve_seconds = h.solve_seconds;
    stats.lp_iterations = h.iterations;
    finish(inst, opts, start, soft, h, stats)
}

/// Reads HiGHS's answer: the placement, whether it is proven optimal, and its gap.
fn finish(
    inst: &Instance,
    opts: &SolveOptions,
    start: Option<&[OfferingId]>,
    soft: &Deadline,
    h: Highs,
    mut stats: SolveStats,
) -> Result<(Outcome, SolveStats), Error> {
    let Some(finished) = proven_optimal(h.status)? else {
        return Ok((Outcome::Infeasible, stats));
    };
    if !finished {
        stats.stop = Stop::of(soft);
    }
    let Some(placement) = h.placement else {
        return Ok(fallback(inst, start, None, h.dual_bound, &mut stats));
    };
    let total = crate::model::cost::evaluate(&inst.sc, &placement).total;
    if let Err(e) = consistent(h.objective, total) {
        // HiGHS answered a different problem than the one built; a MIP start was
        // the cause once (see formulate.rs), so retry without (by the same deadline).
        return match start {
            Some(_) => solve_until(inst, opts, None, soft),
            None => Err(e),
        };
    }
    stats.gap = gap(inst, total, h.dual_bound, &mut stats);
    // HiGHS's "optimal" is within the requested gap; the plan is called optimal only
    // within the default one, so that a run stopped early by a large --gap says so.
    let optimal =
        finished && (opts.gap <= tolerance::DEFAULT_GAP || stats.gap <= tolerance::DEFAULT_GAP);
    Ok((Outcome::Placed { placement, optimal }, stats))
}

/// The gap of a plan costing `total` against the best valid bound known: HiGHS's dual
/// bound (with the constant) or the solver-free lower bound, whichever is higher.
fn gap(inst: &Instance, total: f64, dual_bound: Option<f64>, stats: &mut SolveStats) -> f64 {
    stats.dual_bound = dual_bound.is_some();
    let bound = dual_bound
        .unwrap_or(f64::NEG_INFINITY)
        .max(lower_bound(inst));
    stats.bound = bound;
    relative_gap(total, bound)
}

/// The answer of a search that HiGHS did not finish: the cheaper of the start and
/// HiGHS's last incumbent (both satisfy every constraint), not proven optimal, or no
/// plan at all.
fn fallback(
    inst: &Instance,
    start: Option<&[OfferingId]>,
    incumbent: Option<Vec<OfferingId>>,
    dual_bound: Option<f64>,
    stats: &mut SolveStats,
) -> (Outcome, SolveStats) {
    let cost = |p: &[OfferingId]| crate::model::cost::evaluate(&inst.sc, p).total;
    let best = match (start.map(<[OfferingId]>::to_vec), incumbent) {
        (Some(a), Some(b)) => Some(if cost(&b) < cost(&a) { b } else { a }),
        (a, b) => a.or(b),
    };
    let outcome = match best {
        Some(placement) => {
            stats.gap = gap(inst, cost(&placement), dual_bound, stats);
            Outcome::Placed {
                placement,
                optimal: false,
            }
        }
        None => Outcome::NoSolutionInTime,
    };
    (outcome, stats.clone())
}

/// On the solving thread: builds the model, hands it to HiGHS with the options, the
/// start and the callback, and reads the answer back.
fn build_and_run(
    inst: &Instance,
    opts: &SolveOptions,
    start: Option<&[OfferingId]>,
    progress: &Arc<Progress>,
    tx: &mpsc::Sender<Message>,
) -> Result<Highs, Error> {
    let t0 = Instant::now();
    opts.enter(Phase::Building);
    let f = formulate(inst);
    let sizes = [f.columns(), f.binaries, f.constraints.len()];
    let start_values = start.map(|p| f.values(inst, p));
    let kinds = f.kinds.clone();
    // HiGHS never sees the objective's constant (migrations that are paid anyway).
    let constant = good_lp::IntoAffineExpression::constant(&f.objective);
    progress.set_constant(constant);
    let _ = tx.send(watch::Message::Built(Built {
        kinds: kinds.clone(),
        constant,
        sizes,
    }));
    let mut model = to_highs(f)?;
    let deadline = &progress.deadline;
    configure(
        &mut model,
        opts,
        deadline,
        sizes[0],
        start_values.as_deref(),
    )?;
    // SAFETY: `model` is live, and `progress` is held by this thread until HiGHS returns.
    unsafe { watch::install(model.as_mut_ptr(), progress) };
    let build_seconds = t0.elapsed().as_secs_f64();
    let mut h = Highs {
        status: HighsModelStatus::ReachedTimeLimit,
        placement: None,
        objective: f64::NAN,
        dual_bound: None,
        iterations: 0,
        build_seconds,
        solve_seconds: 0.0,
        sizes,
    };
    if deadline.expired() {
        // The build used up the time: HiGHS is not started.
        return Ok(h);
    }
    let t1 = Instant::now();
    opts.enter(Phase::Solving);
    let solved = model
        .try_solve()
        .map_err(|e| Error::Solver(format!("{e:?}")))?;
    h.solve_seconds = t1.elapsed().as_secs_f64();
    h.status = solved.status();
    h.iterations = solved.simplex_iteration_count();
    h.dual_bound = dual_bound(&solved, progress, constant);
    if has_solution(&solved) {
        let placement = decode(&kinds, inst, solved.get_solution().columns()).ok_or_else(|| {
            Error::Solver("a service was placed on no or several offerings".into())
        })?;
        h.placement = Some(placement);
        h.objective = solved.objective_value() + constant;
    }
    Ok(h)
}

/// Whether a finished run carries a feasible solution. HiGHS leaves the solution status
/// undefined (-1, which the bindings cannot read) when its presolve proves
/// infeasibility: only a status that may carry a plan is asked for one.
pub(super) fn has_solution(solved: &highs::SolvedModel) -> bool {
    let may_have_plan = !matches!(
        solved.status(),
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible
    );
    may_have_plan && solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible
}

/// The best dual bound of a finished run, in total-cost terms: HiGHS's final one or the
/// best its callback reported (a run stopped early may report none at the end).
pub(super) fn dual_bound(
    solved: &highs::SolvedModel,
    progress: &Progress,
    constant: f64,
) -> Option<f64> {
    let reported = solved.double_info_value(c"mip_dual_bound").ok();
    [reported, progress.dual_bound()]
        .into_iter()
        .flatten()
        .filter(|b| b.is_finite())
        .reduce(f64::max)
        .map(|b| b + constant)
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
    rows_to_highs(f.vars, f.objective, f.constraints)
}

/// Hands columns, objective and rows to HiGHS (the roadmap model too).
pub(super) fn rows_to_highs(
    vars: good_lp::ProblemVariables,
    objective: good_lp::Expression,
    constraints: Vec<good_lp::Constraint>,
) -> Result<highs::Model, Error> {
    let mut problem = vars.minimise(objective).using(highs);
    for c in constraints {
        problem.add_constraint(c);
    }
    problem
        .try_into_inner()
        .map_err(|e| Error::Solver(e.to_string()))
}

/// Sets HiGHS's options, the MIP start and the user's own options (last).
pub(super) fn configure(
    model: &mut highs::Model,
    opts: &SolveOptions,
    deadline: &Deadline,
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
    if let Some(t) = deadline.remaining() {
        // The callback stops HiGHS too; its own limit also bounds the parts that do not
        // call it (a part of presolve).
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

/// Whether HiGHS accepts the option `name=value` (tried on an empty model), so that a
/// command can reject a bad `--highs-option` before any work.
pub fn check_highs_option(name: &str, value: &str) -> Result<(), Error> {
    let mut model = highs::RowProblem::default().optimise(highs::Sense::Minimise);
    model.make_quiet();
    set_user_option(&mut model, name, value)
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
pub(super) fn proven_optimal(status: HighsModelStatus) -> Result<Option<bool>, Error> {
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
pub(super) fn consistent(reported: f64, total: f64) -> Result<(), Error> {
    let tol = tolerance::OBJECTIVE_ABS + tolerance::OBJECTIVE_REL * total.abs();
    if (reported - total).abs() > tol {
        return Err(Error::Solver(format!(
            "HiGHS reports an objective of {reported:.4} for a plan that costs {total:.4}"
        )));
    }
    Ok(())
}

/// (total − bound) / total in [0, 1]; 0 for a plan that costs nothing.
pub(crate) fn relative_gap(total: f64, bound: f64) -> f64 {
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

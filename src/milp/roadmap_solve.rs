//! Running HiGHS on the [`RoadmapFormulation`] of an instance, within the deadline, as
//! [`super::solve`] does for one period.

use super::roadmap::{formulate_roadmap, Layout};
use super::solve::{
    configure, consistent, dual_bound, has_solution, proven_optimal, relative_gap, rows_to_highs,
};
use super::watch::{self, Progress};
use super::{SolveOptions, SolveStats, Stop};
use crate::deadline::Deadline;
use crate::error::Error;
use crate::instance::Instance;
use crate::model::cost::evaluate_roadmap;
use crate::model::{LimitKind, OfferingId};
use crate::tolerance;
use good_lp::IntoAffineExpression;
use highs::HighsModelStatus;
use std::sync::{mpsc, Arc};
use std::time::Instant;

/// Result of one roadmap solve.
#[derive(Debug, Clone, PartialEq)]
pub enum RoadmapOutcome {
    /// A schedule was found (`schedule[y][s]`); `optimal` says whether it is proven.
    Placed {
        /// Offering of each service in each planning year.
        schedule: Vec<Vec<OfferingId>>,
        /// Proven optimal within the default gap.
        optimal: bool,
    },
    /// No schedule satisfies every rule.
    Infeasible,
    /// Stopped by a limit before finding any schedule.
    NoSolutionInTime,
}

/// What the waiting thread needs to read an incumbent back.
struct Built {
    layout: Layout,
    constant: f64,
    sizes: [usize; 3],
}

/// What the solving thread hands back.
struct Run {
    status: HighsModelStatus,
    schedule: Option<Vec<Vec<OfferingId>>>,
    objective: f64,
    dual_bound: Option<f64>,
    iterations: i64,
    build_seconds: f64,
    solve_seconds: f64,
    sizes: [usize; 3],
}

type Message = watch::Message<Built, Result<Run, Error>>;

/// Formulates and solves the roadmap of an instance (every group must have a
/// candidate). The search ends by [`SolveOptions::search_deadline`]; HiGHS is given up
/// on [`watch::GRACE`] after `opts.deadline`, with its last incumbent if it had one.
pub fn solve_roadmap(
    inst: &Instance,
    opts: &SolveOptions,
) -> Result<(RoadmapOutcome, SolveStats), Error> {
    let soft = opts.search_deadline();
    let mut stats = SolveStats {
        groups: inst.groups(),
        ..Default::default()
    };
    if inst.sc.services.is_empty() {
        return Ok((no_services(inst), stats));
    }
    if soft.expired() {
        stats.stop = Stop::of_deadline(&soft);
        return Ok((RoadmapOutcome::NoSolutionInTime, stats));
    }
    let start = start_schedule(inst, opts, &soft, &mut stats);
    let progress = Progress::new(soft.clone(), opts.live.clone());
    let job = {
        let (inst, opts, progress) = (inst.clone(), opts.clone(), Arc::clone(&progress));
        let start = start.clone();
        move |tx: &mpsc::Sender<Message>| {
            let r = build_and_run(&inst, &opts, &progress, start.as_deref(), tx);
            let _ = tx.send(watch::Message::Done(r));
        }
    };
    let t0 = Instant::now();
    let waited = watch::run(&opts.deadline, job)
        .map_err(|e| Error::Solver(format!("cannot start the solver thread: {e}")))?;
    let run = match waited {
        watch::Waited::Done(r) => r?,
        watch::Waited::GaveUp(built) => {
            stats.solve_seconds = t0.elapsed().as_secs_f64();
            stats.stop = Stop::of_deadline(&soft);
            return Ok(gave_up(inst, built, &progress, start, stats));
        }
    };
    [stats.variables, stats.binaries, stats.constraints] = run.sizes;
    stats.build_seconds = run.build_seconds;
    stats.solve_seconds = run.solve_seconds;
    stats.lp_iterations = run.iterations;
    finish(inst, opts, &soft, run, start, stats)
}

/// The heuristic's start schedule ([`crate::heuristic::roadmap_start`]), timed and
/// reported to the observer.
fn start_schedule(
    inst: &Instance,
    opts: &SolveOptions,
    soft: &Deadline,
    stats: &mut SolveStats,
) -> Option<Vec<Vec<OfferingId>>> {
    opts.enter(crate::live::Phase::Heuristic);
    let t = Instant::now();
    let start = crate::heuristic::roadmap_start(inst, soft);
    stats.heuristic_seconds = t.elapsed().as_secs_f64();
    stats.heuristic_total = start
        .as_deref()
        .map(|s| evaluate_roadmap(&inst.sc, s).total);
    if let (Some(live), Some(total)) = (&opts.live, stats.heuristic_total) {
        live.offer_plan(total);
    }
    start
}

/// The start schedule as HiGHS's first incumbent: its choice columns only; HiGHS
/// completes the other columns itself (and ignores a start that breaks a row).
fn set_start(
    model: &mut highs::Model,
    layout: &Layout,
    inst: &Instance,
    start: &[Vec<OfferingId>],
) {
    let Some(values) = layout.encode(inst, start) else {
        return;
    };
    let (index, value): (Vec<highs_sys::HighsInt>, Vec<f64>) = values
        .into_iter()
        .filter_map(|(c, v)| highs_sys::HighsInt::try_from(c).ok().map(|c| (c, v)))
        .unzip();
    let n = highs_sys::HighsInt::try_from(index.len()).unwrap_or(0);
    // SAFETY: `model` is live; both arrays hold `n` entries and outlive the call, which
    // copies them.
    unsafe {
        highs_sys::Highs_setSparseSolution(model.as_mut_ptr(), n, index.as_ptr(), value.as_ptr());
    }
}

/// With no services only `min_providers` (in some year) can fail.
fn no_services(inst: &Instance) -> RoadmapOutcome {
    let sc = &inst.sc;
    let years: Vec<i32> = sc.roadmap.iter().flat_map(|r| r.year_list()).collect();
    let counted = years.iter().any(|&y| {
        sc.roadmap.as_ref().is_some_and(|r| {
            r.policy_in(&sc.policy, y)
                .get(LimitKind::MinProviders)
                .is_some()
        })
    });
    if counted {
        return RoadmapOutcome::Infeasible;
    }
    RoadmapOutcome::Placed {
        schedule: vec![Vec::new(); years.len().max(1)],
        optimal: true,
    }
}

/// The answer when HiGHS did not come back in time: its last incumbent, if any.
fn gave_up(
    inst: &Instance,
    built: Option<Built>,
    progress: &Progress,
    start: Option<Vec<Vec<OfferingId>>>,
    mut stats: SolveStats,
) -> (RoadmapOutcome, SolveStats) {
    let Some(b) = built else {
        return (or_start(start, None, &inst.sc, &mut stats), stats);
    };
    [stats.variables, stats.binaries, stats.constraints] = b.sizes;
    let incumbent = progress
        .incumbent()
        .and_then(|values| b.layout.decode(inst, &values));
    let bound = progress.dual_bound().map(|d| d + b.constant);
    match cheaper(&inst.sc, incumbent, start) {
        Some(schedule) => {
            let total = evaluate_roadmap(&inst.sc, &schedule).total;
            let bound = progress.dual_bound().map(|d| d + b.constant);
            stats.dual_bound = bound.is_some();
            stats.gap = relative_gap(total, bound.unwrap_or(0.0));
            let outcome = RoadmapOutcome::Placed {
                schedule,
                optimal: false,
            };
            (outcome, stats)
        }
        None => (or_start(None, bound, &inst.sc, &mut stats), stats),
    }
}

/// The cheaper of two schedules that keep every rule.
fn cheaper(
    sc: &crate::model::Scenario,
    a: Option<Vec<Vec<OfferingId>>>,
    b: Option<Vec<Vec<OfferingId>>>,
) -> Option<Vec<Vec<OfferingId>>> {
    let total = |s: &Vec<Vec<OfferingId>>| evaluate_roadmap(sc, s).total;
    match (a, b) {
        (Some(a), Some(b)) => Some(if total(&b) < total(&a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// The start schedule as the answer when HiGHS has none (not proven optimal), with
/// its gap to `bound`; or no plan in time.
fn or_start(
    start: Option<Vec<Vec<OfferingId>>>,
    bound: Option<f64>,
    sc: &crate::model::Scenario,
    stats: &mut SolveStats,
) -> RoadmapOutcome {
    let Some(schedule) = start else {
        return RoadmapOutcome::NoSolutionInTime;
    };
    stats.dual_bound = bound.is_some();
    stats.gap = relative_gap(evaluate_roadmap(sc, &schedule).total, bound.unwrap_or(0.0));
    RoadmapOutcome::Placed {
        schedule,
        optimal: false,
    }
}

/// Reads HiGHS's answer: the schedule, whether it is proven optimal, and its gap.
fn finish(
    inst: &Instance,
    opts: &SolveOptions,
    soft: &Deadline,
    run: Run,
    start: Option<Vec<Vec<OfferingId>>>,
    mut stats: SolveStats,
) -> Result<(RoadmapOutcome, SolveStats), Error> {
    let Some(finished) = proven_optimal(run.status)? else {
        return Ok((RoadmapOutcome::Infeasible, stats));
    };
    if !finished {
        stats.stop = Stop::of_deadline(soft);
    }
    let Some(schedule) = run.schedule else {
        return Ok((or_start(start, run.dual_bound, &inst.sc, &mut stats), stats));
    };
    let total = evaluate_roadmap(&inst.sc, &schedule).total;
    consistent(run.objective, total)?;
    stats.dual_bound = run.dual_bound.is_some();
    stats.gap = relative_gap(total, run.dual_bound.unwrap_or(0.0));
    let optimal =
        finished && (opts.gap <= tolerance::DEFAULT_GAP || stats.gap <= tolerance::DEFAULT_GAP);
    Ok((RoadmapOutcome::Placed { schedule, optimal }, stats))
}

/// On the solving thread: builds the model, hands it to HiGHS, reads the answer back.
fn build_and_run(
    inst: &Instance,
    opts: &SolveOptions,
    progress: &Arc<Progress>,
    start: Option<&[Vec<OfferingId>]>,
    tx: &mpsc::Sender<Message>,
) -> Result<Run, Error> {
    let t0 = Instant::now();
    opts.enter(crate::live::Phase::Building);
    let f = formulate_roadmap(inst);
    let sizes = [f.columns, f.binaries, f.constraints.len()];
    let mut run = Run {
        status: HighsModelStatus::ReachedTimeLimit,
        schedule: None,
        objective: f64::NAN,
        dual_bound: None,
        iterations: 0,
        build_seconds: 0.0,
        solve_seconds: 0.0,
        sizes,
    };
    if f.impossible {
        // A rule no plan can keep was found while building: no need for HiGHS.
        run.status = HighsModelStatus::Infeasible;
        return Ok(run);
    }
    let constant = f.objective.constant();
    if f.columns == 0 {
        // Every group is held by a contract in every year, and every row was decided
        // while building: the one schedule there is keeps every rule (HiGHS would
        // answer "model empty").
        run.status = HighsModelStatus::Optimal;
        run.schedule = f.layout.decode(inst, &[]);
        run.objective = constant;
        return Ok(run);
    }
    progress.set_constant(constant);
    let layout = f.layout.clone();
    let _ = tx.send(watch::Message::Built(Built {
        layout: layout.clone(),
        constant,
        sizes,
    }));
    let mut model = rows_to_highs(f.vars, f.objective, f.constraints)?;
    let deadline = &progress.deadline;
    configure(&mut model, opts, deadline, sizes[0], None)?;
    if let Some(s) = start {
        set_start(&mut model, &layout, inst, s);
    }
    // SAFETY: `model` is live, and `progress` is held by this thread until HiGHS returns.
    unsafe { watch::install(model.as_mut_ptr(), progress) };
    run.build_seconds = t0.elapsed().as_secs_f64();
    if deadline.expired() {
        return Ok(run);
    }
    let t1 = Instant::now();
    opts.enter(crate::live::Phase::Solving);
    let solved = model
        .try_solve()
        .map_err(|e| Error::Solver(format!("{e:?}")))?;
    run.solve_seconds = t1.elapsed().as_secs_f64();
    run.status = solved.status();
    run.iterations = solved.simplex_iteration_count();
    run.dual_bound = dual_bound(&solved, progress, constant);
    if has_solution(&solved) {
        let schedule = layout
            .decode(inst, solved.get_solution().columns())
            .ok_or_else(|| {
                Error::Solver("a service was placed on no or several offerings".into())
            })?;
        run.schedule = Some(schedule);
        run.objective = solved.objective_value() + constant;
    }
    Ok(run)
}

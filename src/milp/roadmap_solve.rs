//! Running HiGHS on the [`RoadmapFormulation`] of an instance, within the deadline, as
//! [`super::solve`] does for one period.

use super::roadmap::{formulate_roadmap, Layout};
use super::solve::{configure, consistent, proven_optimal, relative_gap, rows_to_highs};
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
    let progress = Progress::new(soft.clone(), opts.live.clone());
    let job = {
        let (inst, opts, progress) = (inst.clone(), opts.clone(), Arc::clone(&progress));
        move |tx: &mpsc::Sender<Message>| {
            let r = build_and_run(&inst, &opts, &progress, tx);
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
            return Ok(gave_up(inst, built, &progress, stats));
        }
    };
    [stats.variables, stats.binaries, stats.constraints] = run.sizes;
    stats.build_seconds = run.build_seconds;
    stats.solve_seconds = run.solve_seconds;
    stats.lp_iterations = run.iterations;
    finish(inst, opts, &soft, run, stats)
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
    mut stats: SolveStats,
) -> (RoadmapOutcome, SolveStats) {
    let Some(b) = built else {
        return (RoadmapOutcome::NoSolutionInTime, stats);
    };
    [stats.variables, stats.binaries, stats.constraints] = b.sizes;
    let incumbent = progress
        .incumbent()
        .and_then(|values| b.layout.decode(inst, &values));
    match incumbent {
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
        None => (RoadmapOutcome::NoSolutionInTime, stats),
    }
}

/// Reads HiGHS's answer: the schedule, whether it is proven optimal, and its gap.
fn finish(
    inst: &Instance,
    opts: &SolveOptions,
    soft: &Deadline,
    run: Run,
    mut stats: SolveStats,
) -> Result<(RoadmapOutcome, SolveStats), Error> {
    let Some(finished) = proven_optimal(run.status)? else {
        return Ok((RoadmapOutcome::Infeasible, stats));
    };
    if !finished {
        stats.stop = Stop::of_deadline(soft);
    }
    let Some(schedule) = run.schedule else {
        return Ok((RoadmapOutcome::NoSolutionInTime, stats));
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
    let reported = solved.double_info_value(c"mip_dual_bound").ok();
    run.dual_bound = [reported, progress.dual_bound()]
        .into_iter()
        .flatten()
        .filter(|b| b.is_finite())
        .reduce(f64::max)
        .map(|b| b + constant);
    // HiGHS leaves the solution status undefined (-1, which the bindings cannot read)
    // when its presolve proves infeasibility: only a status that may carry a plan is
    // asked for one.
    let may_have_plan = !matches!(
        run.status,
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible
    );
    if may_have_plan && solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible {
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

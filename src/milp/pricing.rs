//! Certified candidate pricing: the exact MILP over far fewer placement columns.
//!
//! Most candidate offerings of a group can never be in an optimal plan, and linear
//! programming proves it cheaply:
//!
//! 1. **Restricted set.** Per placement group: its offerings whose running cost is
//!    within [`MARGIN`] of its cheapest (at least [`KEEP_CHEAPEST`] of them), its
//!    members' current offerings and the start plan's offering (so that the start
//!    plan, which satisfies every rule, is a plan of the restricted model).
//! 2. **LP over the full rows.** The LP relaxation of the *full* model ([`ColModel`],
//!    read from [`formulate`]) over the restricted columns, in HiGHS directly
//!    ([`Lp`]): row duals, and columns added to a solved LP.
//! 3. **Bound and reduced costs** from the duals ([`bound::lagrangian`], where the
//!    validity proof is): a lower bound `L` of the full model and, per excluded
//!    placement column `x`, a reduced cost `D_x` such that every plan with `x = 1`
//!    costs at least `L + D_x`.
//! 4. **Re-admission rounds.** Every excluded column with `D_x < 0` is added and the LP
//!    re-solved from its basis, until none is: the LP is then the full LP's optimum.
//! 5. **Restricted MILP** on the instance with the admitted columns as its choices
//!    ([`solve_milp`]: deadline, watchdog, start, gap as ever). The restricted model is
//!    the full model with the excluded columns fixed at 0 (every row of
//!    [`formulate`] only loses those columns' terms, or pins an auxiliary that then is
//!    0 anyway).
//! 6. **Certificate.** With `z` the restricted plan's total and
//!    `T = z − max(gap·z, abs gap)`, every excluded `x` with `L + D_x ≥ T` is in no
//!    plan cheaper than `T`. If that holds for all, every plan cheaper than `T` is a
//!    plan of the restricted model, whose optimum HiGHS bounded: the plan is the full
//!    model's optimum within the gap. Columns that fail go back in and the MILP is
//!    solved again, from the plan found.

use super::bound::{self, Priced};
use super::colwise::ColModel;
use super::formulate::{formulate, Column};
use super::lp::{Columns, Lp};
use super::solve::{
    lower_bound, relative_gap, solve_milp, Outcome, SolveOptions, SolveStats, Stop,
};
use super::watch::{self, Progress};
use crate::deadline::Deadline;
use crate::error::Error;
use crate::instance::Instance;
use crate::model::cost::{evaluate, run_cost};
use crate::model::OfferingId;
use crate::tolerance;
use std::sync::mpsc;
use std::time::Instant;

/// A group keeps the offerings whose running cost is within this fraction of its
/// cheapest one (and at least [`KEEP_CHEAPEST`] offerings).
pub const MARGIN: f64 = 0.05;

/// Offerings a group keeps at least, cheapest first.
pub const KEEP_CHEAPEST: usize = 1;

/// With `--pricing auto`, pricing is used from this many services on.
pub const AUTO_MIN_SERVICES: usize = 400;

/// LP re-admission rounds at most (the certificate keeps the answer exact after any
/// number).
const MAX_ROUNDS: usize = 50;

/// Whether to solve through certified candidate pricing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Pricing {
    /// From [`AUTO_MIN_SERVICES`] services on.
    #[default]
    Auto,
    /// Always (when the heuristic found a start plan).
    On,
    /// Never: the full model.
    Off,
}

impl std::str::FromStr for Pricing {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(Pricing::Auto),
            "on" => Ok(Pricing::On),
            "off" => Ok(Pricing::Off),
            _ => Err(format!("--pricing takes auto, on or off, not {s:?}")),
        }
    }
}

/// What pricing did (in [`SolveStats::pricing`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PricingStats {
    /// Placement columns of the full model.
    pub placement_columns: usize,
    /// Placement columns in the restricted model that was solved last.
    pub kept: usize,
    /// Placement columns the certificate excluded (proven in no plan cheaper than the
    /// returned one by more than the gap).
    pub excluded: usize,
    /// Placement columns left out of the last MILP that the certificate could not
    /// exclude (only when the deadline stopped the search before they were added).
    pub not_certified: usize,
    /// The Lagrangian lower bound of the full model (EUR, total).
    pub lagrangian_bound: f64,
    /// LP solves (the first and every re-admission round).
    pub lp_rounds: usize,
    /// Columns re-admitted by the LP rounds.
    pub readmitted: usize,
    /// Columns added back because the certificate could not exclude them.
    pub uncertified: usize,
    /// Restricted MILPs solved.
    pub milp_solves: usize,
    /// Seconds spent building the full model and in the LP rounds.
    pub seconds: f64,
}

/// The search's MILP: through pricing when `opts.pricing` asks for it and a start plan
/// exists, else [`solve_milp`] on the full model.
pub fn solve_search(
    inst: &Instance,
    opts: &SolveOptions,
    start: Option<&[OfferingId]>,
) -> Result<(Outcome, SolveStats), Error> {
    let wanted = match opts.pricing {
        Pricing::On => true,
        Pricing::Off => false,
        Pricing::Auto => inst.sc.services.len() >= AUTO_MIN_SERVICES,
    };
    match start {
        Some(start) if wanted && !inst.sc.services.is_empty() => solve_priced(inst, opts, start),
        _ => solve_milp(inst, opts, start),
    }
}

/// Options for a stage that starts now: the time limit is what is left of the search.
fn remaining(opts: &SolveOptions, soft: &Deadline) -> SolveOptions {
    SolveOptions {
        time_limit: opts.time_limit.and(soft.remaining()),
        ..opts.clone()
    }
}

/// What the pricing thread hands back: the full model, the admitted columns, and the
/// duals' bound and reduced costs (`converged`: the LP rounds ended with the full LP's
/// optimum; else the LP was stopped, and only the bound is worth anything).
struct Stage {
    model: ColModel,
    active: Vec<bool>,
    priced: Option<Priced>,
    converged: bool,
    ps: PricingStats,
}

/// Pricing, the restricted MILP and the certificate (see the module comment). The
/// model is built and priced on a thread of its own under the watchdog
/// ([`watch::run`]), so that the deadline holds there as in [`solve_milp`].
fn solve_priced(
    inst: &Instance,
    opts: &SolveOptions,
    start: &[OfferingId],
) -> Result<(Outcome, SolveStats), Error> {
    let soft = opts.search_deadline();
    let job = {
        let (inst, opts, start, soft) = (inst.clone(), opts.clone(), start.to_vec(), soft.clone());
        move |tx: &mpsc::Sender<watch::Message<(), Result<Stage, Error>>>| {
            let r = build_and_price(&inst, &opts, &start, &soft);
            let _ = tx.send(watch::Message::Done(r));
        }
    };
    let waited = watch::run(&opts.deadline, job)
        .map_err(|e| Error::Solver(format!("cannot start the pricing thread: {e}")))?;
    let stage = match waited {
        watch::Waited::Done(r) => r?,
        watch::Waited::GaveUp(_) => return full_model(inst, opts, &soft, start, None),
    };
    match stage.priced {
        Some(priced) if stage.converged => certified_milp(
            inst,
            opts,
            &soft,
            &stage.model,
            stage.active,
            &priced,
            start,
            stage.ps,
        ),
        // The LP was stopped (deadline) or failed: the full model by the deadline, with
        // the bound of the duals it had (valid for any duals, see `bound`).
        priced => {
            let ps = priced.map(|_| stage.ps);
            full_model(inst, opts, &soft, start, ps)
        }
    }
}

/// On the pricing thread: the full model read column-wise, the restricted set and the
/// LP rounds.
fn build_and_price(
    inst: &Instance,
    opts: &SolveOptions,
    start: &[OfferingId],
    soft: &Deadline,
) -> Result<Stage, Error> {
    let t0 = Instant::now();
    opts.enter(crate::live::Phase::Pricing);
    let model = ColModel::new(inst, formulate(inst));
    let mut active = initial(inst, &model, start);
    let mut ps = PricingStats {
        placement_columns: count_choices(&model, |_| true),
        ..Default::default()
    };
    let (priced, converged) = price(&model, &mut active, opts, soft, &mut ps)?;
    ps.lagrangian_bound = priced.as_ref().map_or(f64::NEG_INFINITY, |p| p.bound);
    if let Some(live) = &opts.live {
        live.offer_bound(ps.lagrangian_bound);
    }
    ps.seconds = t0.elapsed().as_secs_f64();
    Ok(Stage {
        model,
        active,
        priced,
        converged,
        ps,
    })
}

/// [`solve_milp`] on the full model with what is left of the search; when the pricing
/// LP left a bound (in `ps`), the gap is measured against it too if it is higher.
fn full_model(
    inst: &Instance,
    opts: &SolveOptions,
    soft: &Deadline,
    start: &[OfferingId],
    ps: Option<PricingStats>,
) -> Result<(Outcome, SolveStats), Error> {
    let (outcome, mut stats) = solve_milp(inst, &remaining(opts, soft), Some(start))?;
    let Some(mut ps) = ps else {
        return Ok((outcome, stats));
    };
    ps.kept = ps.placement_columns;
    if let Outcome::Placed { placement, .. } = &outcome {
        if ps.lagrangian_bound > stats.bound {
            stats.bound = ps.lagrangian_bound;
            stats.gap = relative_gap(evaluate(&inst.sc, placement).total, stats.bound);
            stats.pricing = Some(ps);
        }
    }
    Ok((outcome, stats))
}

/// The restricted MILP, re-solved with the columns the certificate cannot exclude
/// until it excludes every remaining one (or the deadline ends the search).
#[allow(clippy::too_many_arguments)]
fn certified_milp(
    inst: &Instance,
    opts: &SolveOptions,
    soft: &Deadline,
    model: &ColModel,
    mut active: Vec<bool>,
    priced: &Priced,
    start: &[OfferingId],
    mut ps: PricingStats,
) -> Result<(Outcome, SolveStats), Error> {
    let mut best = start.to_vec();
    let mut seconds = 0.0;
    loop {
        let restricted = restrict(inst, model, &active);
        let held = |h: bool| opts.live.as_ref().map(|l| l.hold_bounds(h));
        held(true);
        let solved = solve_milp(&restricted, &remaining(opts, soft), Some(&best));
        held(false);
        let (outcome, mut stats) = solved?;
        ps.milp_solves += 1;
        seconds += stats.solve_seconds;
        let Outcome::Placed { placement, .. } = outcome else {
            // Cannot happen with the start in the model; the full model decides.
            return full_model(inst, opts, soft, start, None);
        };
        let total = evaluate(&inst.sc, &placement).total;
        let finished = stats.stop == Stop::Finished;
        let threshold = total - (opts.gap * total).max(tolerance::MIP_ABS_GAP);
        let open = uncertified(model, &active, priced, threshold);
        if finished && !open.is_empty() && !soft.expired() {
            ps.uncertified += open.len();
            admit(model, &mut active, &open);
            best = placement;
            continue;
        }
        ps.kept = count_choices(model, |j| active[j]);
        ps.not_certified = open.len();
        ps.excluded = ps.placement_columns - ps.kept - open.len();
        stats.solve_seconds = seconds;
        let bound = full_bound(inst, model, &active, priced, stats.bound);
        stats.gap = relative_gap(total, bound);
        stats.bound = bound;
        let optimal = finished
            && open.is_empty()
            && (opts.gap <= tolerance::DEFAULT_GAP || stats.gap <= tolerance::DEFAULT_GAP);
        stats.pricing = Some(ps);
        return Ok((Outcome::Placed { placement, optimal }, stats));
    }
}

/// A lower bound of the full model: the restricted model's bound where no excluded
/// column can undercut it, never below the Lagrangian bound or the solver-free one.
fn full_bound(
    inst: &Instance,
    model: &ColModel,
    active: &[bool],
    p: &Priced,
    restricted: f64,
) -> f64 {
    let excluded = (0..model.cols())
        .filter(|&j| is_choice(model, j) && !active[j])
        .map(|j| p.bound + p.reduced[j].max(0.0))
        .fold(f64::INFINITY, f64::min);
    restricted.min(excluded).max(p.bound).max(lower_bound(inst))
}

/// Excluded placement columns that a plan cheaper than `threshold` might use.
fn uncertified(model: &ColModel, active: &[bool], p: &Priced, threshold: f64) -> Vec<usize> {
    (0..model.cols())
        .filter(|&j| is_choice(model, j) && !active[j])
        .filter(|&j| {
            // NaN (no bound) counts as uncertified.
            let certified = p.bound + p.reduced[j] >= threshold;
            !certified
        })
        .collect()
}

fn is_choice(model: &ColModel, j: usize) -> bool {
    matches!(model.kinds[j], Column::Choice { .. })
}

fn count_choices(model: &ColModel, keep: impl Fn(usize) -> bool) -> usize {
    (0..model.cols())
        .filter(|&j| is_choice(model, j) && keep(j))
        .count()
}

/// The instance whose choices are the admitted placement columns (in offering order,
/// as the model expects).
fn restrict(inst: &Instance, model: &ColModel, active: &[bool]) -> Instance {
    let choices = model
        .choice
        .iter()
        .map(|row| row.iter().filter(|c| active[c.1]).map(|c| c.0).collect())
        .collect();
    Instance {
        choices,
        ..inst.clone()
    }
}

/// The restricted set of step 1, with the auxiliary and other columns it needs.
fn initial(inst: &Instance, model: &ColModel, start: &[OfferingId]) -> Vec<bool> {
    let sc = &inst.sc;
    let start = inst.without_twins(start);
    let mut active = vec![false; model.cols()];
    for (g, members) in inst.graph.groups.iter().enumerate() {
        let run = |o: OfferingId| members.iter().map(|&s| run_cost(sc, s, o)).sum::<f64>();
        let mut by_cost: Vec<(f64, usize)> =
            model.choice[g].iter().map(|&(o, j)| (run(o), j)).collect();
        by_cost.sort_by(|a, b| a.0.total_cmp(&b.0));
        let cheapest = by_cost.first().map_or(0.0, |c| c.0);
        for (k, &(c, j)) in by_cost.iter().enumerate() {
            if k < KEEP_CHEAPEST || c <= cheapest + MARGIN * cheapest.abs() {
                active[j] = true;
            }
        }
        let kept = members
            .iter()
            .filter_map(|&s| sc.services[s.index()].current_offering)
            .chain(std::iter::once(start[members[0].index()]));
        for o in kept {
            if let Some(j) = model.choice_col(g, o) {
                active[j] = true;
            }
        }
    }
    admit(model, &mut active, &[]);
    active
}

/// Marks `cols` active, then every column that is no placement column and whose
/// parents (if any) are all active; returns the columns newly active.
fn admit(model: &ColModel, active: &mut [bool], cols: &[usize]) -> Vec<usize> {
    let mut new: Vec<usize> = Vec::new();
    for &j in cols {
        if !active[j] {
            active[j] = true;
            new.push(j);
        }
    }
    for j in 0..model.cols() {
        let wanted = !is_choice(model, j) && model.parents[j].iter().all(|p| active[p.0]);
        if wanted && !active[j] {
            active[j] = true;
            new.push(j);
        }
    }
    new.sort_unstable();
    new
}

/// The columns `cols` of the model, for HiGHS.
fn columns(model: &ColModel, cols: &[usize]) -> Result<Columns, Error> {
    let mut out = Columns::new();
    for &j in cols {
        out.push(
            model.cost[j],
            (model.lower[j], model.upper[j]),
            model.col(j),
        )?;
    }
    Ok(out)
}

/// Steps 2–4: the LP over the active columns, re-solved with every excluded column of
/// negative reduced cost until there is none. Returns the last duals' bound and reduced
/// costs (`None` if HiGHS had none) and whether the rounds converged (`false`: the LP
/// was stopped by the deadline).
fn price(
    model: &ColModel,
    active: &mut [bool],
    opts: &SolveOptions,
    soft: &Deadline,
    ps: &mut PricingStats,
) -> Result<(Option<Priced>, bool), Error> {
    // Declared before `lp`, so dropped after it.
    // The LP reports nothing to the observer through HiGHS's MIP callbacks; its bound
    // is offered once it is known (`build_and_price`).
    let progress = Progress::new(soft.clone(), None);
    let cols: Vec<usize> = (0..model.cols()).filter(|&j| active[j]).collect();
    let mut lp = Lp::new(&model.row_lower, &model.row_upper, &columns(model, &cols)?)?;
    if let Some(n) = opts.threads {
        lp.set_int("threads", n as i32)?;
    }
    // SAFETY: `lp` is live, and `progress` outlives every run of it (it is dropped
    // after `lp`).
    unsafe { watch::install(lp.as_mut_ptr(), &progress) };
    let mut last = None;
    loop {
        if soft.expired() {
            return Ok((last, false));
        }
        if let Some(t) = soft.remaining() {
            lp.set_double("time_limit", t)?;
        }
        ps.lp_rounds += 1;
        let status = lp.run()?;
        // Any duals give a valid bound; only optimal ones price the columns.
        let priced = lp
            .row_duals()
            .ok()
            .map(|y| bound::lagrangian(model, &y, active));
        if status != highs_sys::kHighsModelStatusOptimal {
            return Ok((best_of(last, priced), false));
        }
        let Some(priced) = priced else {
            return Ok((last, false));
        };
        let tol = 1e-9 * priced.bound.abs().max(1.0);
        let entering: Vec<usize> = (0..model.cols())
            .filter(|&j| is_choice(model, j) && !active[j] && priced.reduced[j] < -tol)
            .collect();
        if entering.is_empty() || ps.lp_rounds >= MAX_ROUNDS {
            return Ok((Some(priced), true));
        }
        ps.readmitted += entering.len();
        let new = admit(model, active, &entering);
        lp.add_cols(&columns(model, &new)?)?;
        // From the last basis: HiGHS's presolve would throw it away.
        lp.set_string("presolve", "off")?;
        last = Some(priced);
    }
}

/// The one of two pricings with the higher bound.
fn best_of(a: Option<Priced>, b: Option<Priced>) -> Option<Priced> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.bound > a.bound { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// The Lagrangian bounds of an instance, for tests of their validity and tightness.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundReport {
    /// From the duals of the LP over the start plan's columns only (no re-admission).
    pub restricted: f64,
    /// From the duals of the LP over every column.
    pub full: f64,
    /// That LP's optimum (objective constant included).
    pub lp_optimum: f64,
}

/// The bounds of [`BoundReport`]; `None` when an LP does not solve to optimality.
pub fn bound_report(inst: &Instance, start: &[OfferingId]) -> Result<Option<BoundReport>, Error> {
    let model = ColModel::new(inst, formulate(inst));
    let start = inst.without_twins(start);
    let mut only_start = vec![false; model.cols()];
    for (g, members) in inst.graph.groups.iter().enumerate() {
        if let Some(j) = model.choice_col(g, start[members[0].index()]) {
            only_start[j] = true;
        }
    }
    admit(&model, &mut only_start, &[]);
    let Some((restricted, _)) = lp_once(&model, &only_start)? else {
        return Ok(None);
    };
    let all = vec![true; model.cols()];
    let Some((full, lp_optimum)) = lp_once(&model, &all)? else {
        return Ok(None);
    };
    Ok(Some(BoundReport {
        restricted,
        full,
        lp_optimum: lp_optimum + model.constant,
    }))
}

/// One LP over the active columns: its Lagrangian bound and objective.
fn lp_once(model: &ColModel, active: &[bool]) -> Result<Option<(f64, f64)>, Error> {
    let cols: Vec<usize> = (0..model.cols()).filter(|&j| active[j]).collect();
    let mut lp = Lp::new(&model.row_lower, &model.row_upper, &columns(model, &cols)?)?;
    if lp.run()? != highs_sys::kHighsModelStatusOptimal {
        return Ok(None);
    }
    let priced = bound::lagrangian(model, &lp.row_duals()?, active);
    Ok(Some((priced.bound, lp.objective())))
}

//! A solver-free placement heuristic: greedy construction, repair, local search.
//!
//! It serves two purposes: a MIP start for HiGHS, and a fallback plan when HiGHS finds
//! nothing within its time limit on very large scenarios. It decides per placement
//! group (services tied by `colocate: "offering"`), moves provider groups (tied by
//! `colocate: "provider"`) as one unit onto one provider, and keeps every figure of
//! the cost model up to date incrementally, so that a move costs time proportional to
//! the dependencies it touches rather than to the scenario.
//!
//! Phases:
//! 1. **Construction**: provider groups in decreasing order of their cheapest running
//!    cost; each goes to the provider (and offerings) that adds the least violation,
//!    then the least cost, given the groups already placed. Share, CLOUD-Act and budget
//!    limits are measured against a lower bound of the final monthly cost (what is
//!    placed plus the cheapest run of what is not), which the final cost can only
//!    exceed, so that respecting them early rarely has to be undone later.
//! 2. **Repair**: while a limit is violated, apply the moves that remove the most
//!    violation per unit of added cost (in batches, re-checked before each is kept).
//! 3. **Improvement**: best-improvement moves per provider group and per placement
//!    group that keep every limit satisfied; when those are stuck, bulk moves that
//!    open or empty a provider (its fixed fee hides gains from single moves) and
//!    ejection pairs (one group moves somewhere cheaper and breaks a limit, a second
//!    one moves off the offending provider); until nothing helps or the pass or work
//!    budget runs out (counted in group placements, not time).
//!
//! Deterministic: no randomness; ties are broken by index; the clock is read only
//! against a caller's deadline ([`construct_until`]), which stops every phase early:
//! construction and repair without a plan, improvement with the best plan so far.
//! The result is returned only if [`crate::check::check`] accepts it.
//!
//! Layout: `tables` holds the fixed data, `state` the running totals of a
//! placement, `violation` measures the policy limits on them, `moves` tries and
//! undoes moves, `phases` and `compound` search with them.

mod compound;
mod moves;
mod phases;
mod roadmap;
mod state;
mod tables;
mod violation;

#[cfg(test)]
mod tests;

use crate::deadline::Deadline;
use crate::instance::Instance;
use crate::model::OfferingId;
use crate::plan::{build_plan, PlanStatus};
pub use roadmap::roadmap_start;
use state::State;
use tables::Tables;

/// Improvement passes over all groups at most (each pass is linear in the scenario).
const MAX_PASSES: usize = 40;

/// Group placements (the unit of work of every move) after which the improvement
/// phase stops: about 2 s on the 5,000-service scenario, never reached by small ones.
const WORK_BUDGET: u64 = 12_000_000;

/// Repair rounds at most (each round scans every provider group once).
const MAX_REPAIR_ROUNDS: usize = 60;

/// Weight of capacity and exit excess (relative to the limit) per EUR of the cheapest
/// monthly running cost: far above any cost difference, so that a move never buys
/// money with a hard violation.
const HARD_WEIGHT: f64 = 1e3;

/// Share of the time left after repair that the improvement phase may use: the rest is
/// for building the model and HiGHS, which prove what the heuristic cannot.
const IMPROVE_SHARE: f64 = 0.5;

/// A feasible placement found without a solver (offering per service), or None.
///
/// `None` means that the heuristic found no placement that satisfies every constraint,
/// not that none exists. A `Some` placement always passes [`crate::check::check`].
pub fn construct(inst: &Instance) -> Option<Vec<OfferingId>> {
    construct_until(inst, &Deadline::none())
}

/// [`construct`] by a deadline: construction and repair stop at it (with `None`),
/// the improvement phase at [`IMPROVE_SHARE`] of the time left after repair, with the
/// best feasible placement so far. Without a time bound the same as [`construct`].
pub fn construct_until(inst: &Instance, deadline: &Deadline) -> Option<Vec<OfferingId>> {
    let sc = &inst.sc;
    let tables = Tables::new(inst)?;
    let mut st = State::new(&tables);
    st.stop = deadline.clone();
    st.construct();
    if !st.complete() {
        return None;
    }
    st.resync();
    if !st.repair() {
        return None;
    }
    st.stop = deadline.share(IMPROVE_SHARE);
    st.improve();
    st.resync();
    let placement = st.placement()?;
    let plan = build_plan(sc, &placement, PlanStatus::Feasible, 1.0);
    crate::check::check(sc, &plan)
        .is_empty()
        .then_some(placement)
}

//! What a running search has reached so far, for a caller that shows progress.
//!
//! The library never prints: the stages of a search write into a shared [`Live`]
//! (lock-free, from the HiGHS callback thread too) and whoever wants to show progress
//! reads [`Live::snapshot`] as often as it likes. Nothing here changes what a search
//! computes, so results stay identical with or without an observer.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, AtomicUsize, Ordering};

/// The stage a search is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading and checking the input.
    Starting,
    /// The construction heuristic looks for a start plan.
    Heuristic,
    /// Certified candidate pricing: the full model is built and its LP relaxation
    /// solved over a restricted set of columns, re-admitting columns until none helps.
    Pricing,
    /// The MILP is built.
    Building,
    /// HiGHS runs (presolve, LP, branch and bound).
    Solving,
    /// The search found no plan and looks for the reason.
    Explaining,
}

impl Phase {
    const ALL: [Phase; 6] = [
        Phase::Starting,
        Phase::Heuristic,
        Phase::Pricing,
        Phase::Building,
        Phase::Solving,
        Phase::Explaining,
    ];

    fn code(self) -> u8 {
        Phase::ALL.iter().position(|&p| p == self).unwrap_or(0) as u8
    }
}

/// Progress of a search or of a batch of what-if solves, shared between the solving
/// threads and an observer.
#[derive(Debug)]
pub struct Live {
    phase: AtomicU8,
    /// Cost of the best plan known (f64 bits; +∞ until there is one).
    best: AtomicU64,
    /// Best lower bound known (f64 bits; −∞ until there is one).
    bound: AtomicU64,
    /// Solves of a batch (price, sweep) finished, and planned.
    done: AtomicUsize,
    total: AtomicUsize,
    /// While set, bounds offered are ignored: a restricted model's bound (certified
    /// candidate pricing) is not a bound of the user's problem.
    bounds_held: AtomicBool,
}

/// One reading of a [`Live`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snapshot {
    /// The current stage.
    pub phase: Phase,
    /// Total cost of the best plan known.
    pub best: Option<f64>,
    /// Best lower bound on the total cost known.
    pub bound: Option<f64>,
    /// Finished and planned solves of a batch (0 and 0 outside a batch).
    pub done: usize,
    /// Planned solves of a batch.
    pub total: usize,
}

impl Snapshot {
    /// (best − bound) / best, when both are known.
    pub fn gap(&self) -> Option<f64> {
        match (self.best, self.bound) {
            (Some(b), Some(l)) if b > 0.0 => Some(((b - l) / b).clamp(0.0, 1.0)),
            (Some(_), Some(_)) => Some(0.0),
            _ => None,
        }
    }
}

impl Default for Live {
    fn default() -> Self {
        Live {
            phase: AtomicU8::new(Phase::Starting.code()),
            best: AtomicU64::new(f64::INFINITY.to_bits()),
            bound: AtomicU64::new(f64::NEG_INFINITY.to_bits()),
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
            bounds_held: AtomicBool::new(false),
        }
    }
}

/// Two observers are the same only if they are one object: an observer is not an input
/// of a search, so options that differ only in it compare by identity.
impl PartialEq for Live {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Live {
    /// Enters a stage.
    pub fn enter(&self, phase: Phase) {
        self.phase.store(phase.code(), Ordering::Relaxed);
    }

    /// A plan costing `total` is known; kept if it is the cheapest so far.
    pub fn offer_plan(&self, total: f64) {
        if total.is_finite() {
            let _ = self
                .best
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |old| {
                    (total < f64::from_bits(old)).then_some(total.to_bits())
                });
        }
    }

    /// A lower bound `b` on the total cost is known; kept if it is the highest so far.
    pub fn offer_bound(&self, b: f64) {
        if b.is_finite() && !self.bounds_held.load(Ordering::Relaxed) {
            let _ = self
                .bound
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |old| {
                    (b > f64::from_bits(old)).then_some(b.to_bits())
                });
        }
    }

    /// Ignores (`true`) or again takes (`false`) the bounds offered: around solves of a
    /// restricted model, whose bounds hold only for it (its plans are plans of the
    /// whole problem and still count).
    pub fn hold_bounds(&self, held: bool) {
        self.bounds_held.store(held, Ordering::Relaxed);
    }

    /// A batch of `n` solves starts (adds to the planned count).
    pub fn plan_solves(&self, n: usize) {
        self.total.fetch_add(n, Ordering::Relaxed);
    }

    /// One solve of the batch finished.
    pub fn solve_done(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// What has been reached so far.
    pub fn snapshot(&self) -> Snapshot {
        let phase = Phase::ALL[usize::from(self.phase.load(Ordering::Relaxed)) % Phase::ALL.len()];
        let best = f64::from_bits(self.best.load(Ordering::Relaxed));
        let bound = f64::from_bits(self.bound.load(Ordering::Relaxed));
        Snapshot {
            phase,
            best: best.is_finite().then_some(best),
            bound: bound.is_finite().then_some(bound),
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_cheapest_plan_and_the_highest_bound() {
        let live = Live::default();
        assert_eq!(live.snapshot().best, None);
        assert_eq!(live.snapshot().gap(), None);
        live.offer_plan(120.0);
        live.offer_plan(150.0);
        live.offer_plan(f64::NAN);
        live.offer_bound(90.0);
        live.offer_bound(80.0);
        live.offer_bound(f64::NEG_INFINITY);
        live.enter(Phase::Solving);
        let s = live.snapshot();
        assert_eq!(
            (s.best, s.bound, s.phase),
            (Some(120.0), Some(90.0), Phase::Solving)
        );
        assert!((s.gap().unwrap() - 0.25).abs() < 1e-12);
        live.plan_solves(3);
        live.solve_done();
        assert_eq!((live.snapshot().done, live.snapshot().total), (1, 3));
    }
}

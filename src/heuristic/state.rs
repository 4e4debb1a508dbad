//! The running totals of one (possibly partial) placement, updated incrementally.
//!
//! Placing or removing a group costs time proportional to its dependencies, not to the
//! scenario. The order of the floating-point additions is part of the heuristic's
//! output: its moves compare totals exactly to break ties, so a reordered sum can
//! change the plan (and with it the MIP start and HiGHS's choice among tied optima).

use super::tables::{GroupId, ProviderGroupId, Resources, Tables};
use crate::model::cost::traffic_cost;
use crate::model::{OfferingId, ProviderId};

/// A placement and its cost figures.
pub(super) struct State<'a> {
    /// The fixed data.
    pub(super) t: &'a Tables<'a>,
    /// Offering of each placement group, if placed.
    pub(super) place: Vec<Option<OfferingId>>,
    /// Demand placed per offering.
    pub(super) load: Vec<Resources>,
    /// spend(p) per provider: run, sent traffic and fee.
    pub(super) spend: Vec<f64>,
    /// exit_cost(p) per provider.
    pub(super) exitp: Vec<f64>,
    /// Placed groups per provider (a provider is used iff > 0).
    pub(super) count: Vec<usize>,
    /// Σ spend.
    pub(super) monthly: f64,
    /// Σ one-off migration cost.
    pub(super) one_off: f64,
    /// Σ minrun of unplaced groups.
    pub(super) rem_lb: f64,
    /// Number of placed groups.
    pub(super) placed: usize,
    /// Group placements done so far: a deterministic measure of elapsed work.
    pub(super) work: u64,
    /// When to stop searching (the caller's time limit or interrupt).
    pub(super) stop: crate::deadline::Deadline,
}

impl<'a> State<'a> {
    /// The empty placement.
    pub(super) fn new(t: &'a Tables<'a>) -> Self {
        let np = t.n_providers();
        State {
            t,
            place: vec![None; t.n_groups()],
            load: vec![[0.0; 3]; t.cap.len()],
            spend: vec![0.0; np],
            exitp: vec![0.0; np],
            count: vec![0; np],
            monthly: 0.0,
            one_off: 0.0,
            rem_lb: t.minrun_total,
            placed: 0,
            work: 0,
            stop: crate::deadline::Deadline::none(),
        }
    }

    /// Whether the caller's deadline has passed: every loop stops, the improvement phase
    /// with the best feasible placement so far.
    pub(super) fn out_of_time(&self) -> bool {
        self.stop.expired()
    }

    /// The objective: horizon · monthly + one-off.
    pub(super) fn total(&self) -> f64 {
        self.t.horizon * self.monthly + self.one_off
    }

    /// Whether every group is placed.
    pub(super) fn complete(&self) -> bool {
        self.placed == self.t.n_groups()
    }

    /// Offering of a placed group.
    pub(super) fn offering(&self, g: GroupId) -> OfferingId {
        self.place[g.0].expect("the group is placed")
    }

    /// Current provider of a placed provider group.
    pub(super) fn pg_provider(&self, pg: ProviderGroupId) -> ProviderId {
        self.t.provider(self.offering(self.t.members(pg)[0]))
    }

    /// Adds (`sign = 1`) or removes (`sign = -1`) group `g` on offering `o`, with the
    /// traffic of its dependencies on placed groups. Exact inverse of itself up to
    /// rounding, which [`State::resync`] clears.
    fn apply(&mut self, g: GroupId, o: OfferingId, sign: f64) {
        let t = self.t;
        let p = t.provider(o);
        let mut delta_spend_p = t.run(g, o);
        for e in t.adj(g) {
            let Some(q) = self.place[e.other.0] else {
                continue;
            };
            if e.out {
                delta_spend_p += traffic_cost(t.sc, e.gb, o, q);
            } else {
                let c = traffic_cost(t.sc, e.gb, q, o);
                self.spend[t.provider(q).index()] += sign * c;
                self.monthly += sign * c;
            }
        }
        self.spend[p.index()] += sign * delta_spend_p;
        self.monthly += sign * delta_spend_p;
        self.one_off += sign * t.mig(g, o);
        self.exitp[p.index()] += sign * t.exit(g, o);
        for (l, d) in self.load[o.index()].iter_mut().zip(t.dem(g)) {
            *l += sign * d;
        }
        self.rem_lb -= sign * t.minrun(g);
        self.count_provider(p, sign > 0.0);
    }

    /// Counts a group in or out of provider `p`, paying its fee while it is in use.
    fn count_provider(&mut self, p: ProviderId, add: bool) {
        let (p, fee) = (p.index(), self.t.fee[p.index()]);
        if add {
            if self.count[p] == 0 {
                self.spend[p] += fee;
                self.monthly += fee;
            }
            self.count[p] += 1;
            self.placed += 1;
        } else {
            self.count[p] -= 1;
            if self.count[p] == 0 {
                self.spend[p] -= fee;
                self.monthly -= fee;
            }
            self.placed -= 1;
        }
    }

    /// Places unplaced group `g` on offering `o`.
    pub(super) fn put(&mut self, g: GroupId, o: OfferingId) {
        debug_assert_eq!(self.place[g.0], None);
        self.work += 1;
        self.apply(g, o, 1.0);
        self.place[g.0] = Some(o);
    }

    /// Removes placed group `g`.
    pub(super) fn take(&mut self, g: GroupId) {
        let o = self.place[g.0].take().expect("the group is placed");
        self.apply(g, o, -1.0);
    }

    /// Recomputes the totals from the placement, so that rounding drift of many
    /// incremental updates never accumulates across phases.
    pub(super) fn resync(&mut self) {
        let place = std::mem::replace(&mut self.place, vec![None; self.t.n_groups()]);
        self.load.iter_mut().for_each(|l| *l = [0.0; 3]);
        self.spend.iter_mut().for_each(|x| *x = 0.0);
        self.exitp.iter_mut().for_each(|x| *x = 0.0);
        self.count.iter_mut().for_each(|x| *x = 0);
        self.monthly = 0.0;
        self.one_off = 0.0;
        self.rem_lb = self.t.minrun_total;
        self.placed = 0;
        for (g, o) in self.t.groups().zip(place) {
            if let Some(o) = o {
                self.put(g, o);
            }
        }
        if self.complete() {
            self.rem_lb = 0.0;
        }
    }

    /// Replaces the placement with a saved one and recomputes the totals.
    pub(super) fn reset_to(&mut self, place: Vec<Option<OfferingId>>) {
        self.place = place;
        self.resync();
    }

    /// The offering of every service, if every group is placed.
    pub(super) fn placement(&self) -> Option<Vec<OfferingId>> {
        let mut out = vec![OfferingId(0); self.t.sc.services.len()];
        for g in self.t.groups() {
            let o = self.place[g.0]?;
            for &s in self.t.services(g) {
                out[s.index()] = o;
            }
        }
        Some(out)
    }
}

//! The moves every phase is built from, and the one routine that tries a move,
//! evaluates it and undoes it.

use super::state::State;
use super::tables::{GroupId, ProviderGroupId};
use crate::model::cost::traffic_cost;
use crate::model::{OfferingId, ProviderId};
use crate::tolerance::HEURISTIC_TIE_REL;

/// A change of placement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Move {
    /// A provider group onto a provider, each member on its best offering there (one
    /// after the other, each given the members placed before it).
    ProviderGroup(ProviderGroupId, ProviderId),
    /// A placed group onto another offering.
    Group(GroupId, OfferingId),
}

/// What [`State::undo`] needs to take a move back.
pub(super) enum Undo {
    /// The members' previous offerings (`None`: unplaced).
    ProviderGroup(ProviderGroupId, Vec<Option<OfferingId>>),
    /// The group's previous offering.
    Group(GroupId, OfferingId),
}

impl State<'_> {
    /// Makes a move; the returned [`Undo`] takes it back.
    pub(super) fn perform(&mut self, mv: Move) -> Undo {
        match mv {
            Move::ProviderGroup(pg, p) => {
                let members = self.t.members(pg);
                let old: Vec<Option<OfferingId>> =
                    members.iter().map(|g| self.place[g.0]).collect();
                self.take_placed(members);
                for &g in members {
                    let o = self.best_offering(g, p);
                    self.put(g, o);
                }
                Undo::ProviderGroup(pg, old)
            }
            Move::Group(g, o) => {
                let old = self.offering(g);
                self.take(g);
                self.put(g, o);
                Undo::Group(g, old)
            }
        }
    }

    /// Takes a move back (up to rounding, which [`State::resync`] clears).
    pub(super) fn undo(&mut self, undo: Undo) {
        match undo {
            Undo::ProviderGroup(pg, old) => {
                let members = self.t.members(pg);
                self.take_placed(members);
                for (&g, o) in members.iter().zip(old) {
                    if let Some(o) = o {
                        self.put(g, o);
                    }
                }
            }
            Undo::Group(g, o) => {
                self.take(g);
                self.put(g, o);
            }
        }
    }

    /// Removes the placed ones of `groups`, in order.
    fn take_placed(&mut self, groups: &[GroupId]) {
        for &g in groups {
            if self.place[g.0].is_some() {
                self.take(g);
            }
        }
    }

    /// Makes a move, evaluates `f` on the result and takes the move back: the one way
    /// every phase looks ahead.
    pub(super) fn trial<T>(&mut self, mv: Move, f: impl FnOnce(&Self) -> T) -> T {
        let undo = self.perform(mv);
        let result = f(self);
        self.undo(undo);
        result
    }

    /// Makes a move and keeps it if `keep` holds afterwards, else takes it back.
    /// Returns whether it was kept.
    pub(super) fn keep_if(&mut self, mv: Move, keep: impl FnOnce(&Self) -> bool) -> bool {
        let undo = self.perform(mv);
        let kept = keep(self);
        if !kept {
            self.undo(undo);
        }
        kept
    }

    /// The best offering of provider `p` for unplaced group `g`, given the groups
    /// already placed: one that keeps capacity and exit limits (monotone, so never
    /// worth breaking) with the least added cost, else the least excess.
    fn best_offering(&self, g: GroupId, p: ProviderId) -> OfferingId {
        let t = self.t;
        let mut best: Option<(f64, f64, OfferingId)> = None;
        for &o in t.candidates(g) {
            if t.provider(o) != p {
                continue;
            }
            let excess = self.placement_excess(g, o);
            let cost = t.horizon * self.added_run_and_traffic(g, o) + t.mig(g, o);
            if best.is_none_or(|(be, bc, _)| (excess, cost) < (be, bc)) {
                best = Some((excess, cost, o));
            }
        }
        best.expect("every member has a candidate at each provider of its provider group")
            .2
    }

    /// The monthly run and traffic cost that placing unplaced group `g` on offering
    /// `o` adds, given the groups already placed.
    fn added_run_and_traffic(&self, g: GroupId, o: OfferingId) -> f64 {
        let t = self.t;
        let mut cost = t.run(g, o);
        for e in t.adj(g) {
            if let Some(q) = self.place[e.other.0] {
                cost += if e.out {
                    traffic_cost(t.sc, e.gb, o, q)
                } else {
                    traffic_cost(t.sc, e.gb, q, o)
                };
            }
        }
        cost
    }

    /// Tolerance under which two violation values count as equal.
    pub(super) fn v_tol(&self) -> f64 {
        HEURISTIC_TIE_REL * (self.t.w_prov + self.monthly)
    }

    /// Tolerance under which a cost change counts as no change (avoids cycling on noise).
    pub(super) fn c_tol(&self) -> f64 {
        HEURISTIC_TIE_REL * self.total().abs().max(1.0)
    }
}

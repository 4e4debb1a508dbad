//! Compound moves for when single moves are stuck: opening or emptying a provider in
//! bulk (its fixed fee hides gains from single moves), and ejection pairs (one group
//! moves somewhere cheaper and breaks a limit, a second one makes room).

use super::moves::Move;
use super::state::State;
use super::tables::ProviderGroupId;
use super::WORK_BUDGET;
use crate::model::{OfferingId, ProviderId};
use crate::tolerance::HEURISTIC_MIN_SPEND;

/// Per provider, the groups an ejection pass tries to move off it.
const EJECT: usize = 24;

impl State<'_> {
    /// Tries to open and to empty each provider in bulk. Returns whether any was kept.
    pub(super) fn bulk_pass(&mut self) -> bool {
        let mut improved = false;
        for p in self.t.sc.provider_ids() {
            if self.out_of_time() {
                break;
            }
            improved |= self.bulk_open(p);
            improved |= self.bulk_close(p);
        }
        improved
    }

    /// Moves to provider `p` every provider group that gains from it once `p`'s fee is
    /// paid anyway (largest gain first), and keeps the result if the total falls and
    /// every limit holds. Returns whether it kept it.
    fn bulk_open(&mut self, p: ProviderId) -> bool {
        let t = self.t;
        let snap = self.place.clone();
        let t0 = self.total();
        let fee_h = if self.count[p.index()] == 0 {
            t.horizon * t.fee[p.index()]
        } else {
            0.0
        };
        let mut gains: Vec<(f64, ProviderGroupId)> = Vec::new();
        for pg in t.provider_groups() {
            if self.pg_provider(pg) == p || !t.providers(pg).contains(&p) {
                continue;
            }
            let c0 = self.total();
            let c = self.trial(Move::ProviderGroup(pg, p), |s| s.total() - fee_h);
            if c < c0 - self.c_tol() {
                gains.push((c0 - c, pg));
            }
        }
        if gains.is_empty() {
            return false;
        }
        gains.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        // The total without the fee that opening `p` adds (0 if `p` was in use).
        let fee_free = |s: &Self| s.total() - if s.count[p.index()] > 0 { fee_h } else { 0.0 };
        for (_, pg) in gains {
            let (v0, c0) = (self.violation(), fee_free(self));
            self.keep_if(Move::ProviderGroup(pg, p), |s| {
                s.violation() <= v0 + s.v_tol() && fee_free(s) < c0 - s.c_tol()
            });
        }
        self.keep_if_better(snap, t0)
    }

    /// Moves every provider group off provider `p` (each to its least violating, then
    /// cheapest other provider) and keeps the result if the total falls and every limit
    /// holds. Returns whether it kept it.
    fn bulk_close(&mut self, p: ProviderId) -> bool {
        if self.count[p.index()] == 0 {
            return false;
        }
        let t = self.t;
        let snap = self.place.clone();
        let t0 = self.total();
        for pg in t.provider_groups() {
            if self.pg_provider(pg) != p {
                continue;
            }
            let mut best: Option<(f64, f64, ProviderId)> = None;
            for &q in t.providers(pg) {
                if q == p {
                    continue;
                }
                let (v, c) = self.trial(Move::ProviderGroup(pg, q), |s| (s.violation(), s.total()));
                if best.is_none_or(|(bv, bc, _)| (v, c) < (bv, bc)) {
                    best = Some((v, c, q));
                }
            }
            match best {
                Some((_, _, q)) => {
                    self.perform(Move::ProviderGroup(pg, q));
                }
                None => {
                    self.reset_to(snap);
                    return false;
                }
            }
        }
        self.keep_if_better(snap, t0)
    }

    /// Keeps the current placement if every limit holds and the total fell below `t0`;
    /// otherwise goes back to `snap`. Returns whether it kept it.
    fn keep_if_better(&mut self, snap: Vec<Option<OfferingId>>, t0: f64) -> bool {
        if self.violation() <= 0.0 && self.total() < t0 - self.c_tol() {
            true
        } else {
            self.reset_to(snap);
            false
        }
    }

    /// Compound moves: a provider group moves somewhere cheaper although that breaks a
    /// limit, and one group of an offending provider moves away to restore it.
    /// Returns whether any was kept.
    pub(super) fn ejection_pass(&mut self) -> bool {
        let ejectors = self.ejectors();
        let mut improved = false;
        for a in self.t.provider_groups() {
            if self.work > WORK_BUDGET || self.out_of_time() {
                break;
            }
            improved |= self.eject_around(a, &ejectors);
        }
        improved
    }

    /// Per provider, the `EJECT` provider groups on it that give up the most running
    /// cost per euro of added total when they move to their cheapest other provider.
    fn ejectors(&mut self) -> Vec<Vec<ProviderGroupId>> {
        let t = self.t;
        let mut ranked: Vec<Vec<(f64, ProviderGroupId)>> = vec![Vec::new(); t.n_providers()];
        for pg in t.provider_groups() {
            let r = self.pg_provider(pg);
            let c0 = self.total();
            let spend: f64 = t
                .members(pg)
                .iter()
                .map(|&g| t.run(g, self.offering(g)))
                .sum();
            let mut best = f64::INFINITY;
            for &q in t.providers(pg) {
                if q != r {
                    let delta = self.trial(Move::ProviderGroup(pg, q), |s| s.total() - c0);
                    best = best.min(delta);
                }
            }
            if best.is_finite() {
                ranked[r.index()].push((best.max(0.0) / spend.max(HEURISTIC_MIN_SPEND), pg));
            }
        }
        ranked
            .into_iter()
            .map(|mut l| {
                l.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                l.into_iter().take(EJECT).map(|x| x.1).collect()
            })
            .collect()
    }

    /// Moves provider group `a` to the first other provider where it is cheaper and,
    /// alone or with the best ejection that follows, keeps every limit. Returns whether
    /// it moved.
    fn eject_around(&mut self, a: ProviderGroupId, ejectors: &[Vec<ProviderGroupId>]) -> bool {
        let pa = self.pg_provider(a);
        for &p in self.t.providers(a) {
            if p == pa {
                continue;
            }
            let c0 = self.total();
            let undo_a = self.perform(Move::ProviderGroup(a, p));
            if self.total() >= c0 - self.c_tol() {
                self.undo(undo_a);
                continue;
            }
            if self.violation() <= 0.0 {
                return true;
            }
            match self.best_ejection(a, c0, ejectors) {
                Some(mv) => {
                    self.perform(mv);
                    return true;
                }
                None => self.undo(undo_a),
            }
        }
        false
    }

    /// The move of one ejector of a violating provider (other than `a`) to another
    /// provider that restores every limit with the lowest total below `c0`, if any.
    fn best_ejection(
        &mut self,
        a: ProviderGroupId,
        c0: f64,
        ejectors: &[Vec<ProviderGroupId>],
    ) -> Option<Move> {
        let t = self.t;
        let mut best: Option<(f64, Move)> = None;
        for r in self.violators() {
            for &b in &ejectors[r.index()] {
                if b == a || self.pg_provider(b) != r {
                    continue;
                }
                for &q in t.providers(b) {
                    if q == r {
                        continue;
                    }
                    let mv = Move::ProviderGroup(b, q);
                    // The bar is the best so far, or `c0` less the tolerance taken
                    // after the move, as the totals compared are.
                    let bar = best.map(|x| x.0);
                    let c = self.trial(mv, |s| {
                        let c = s.total();
                        let ok = s.violation() <= 0.0 && c < bar.unwrap_or(c0 - s.c_tol());
                        ok.then_some(c)
                    });
                    if let Some(c) = c {
                        best = Some((c, mv));
                    }
                }
            }
        }
        best.map(|x| x.1)
    }
}

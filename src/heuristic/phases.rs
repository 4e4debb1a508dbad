//! The three phases: construction, repair and improvement by single moves.

use super::moves::Move;
use super::state::State;
use super::tables::ProviderGroupId;
use super::{MAX_PASSES, MAX_REPAIR_ROUNDS, WORK_BUDGET};
use crate::model::ProviderId;

impl State<'_> {
    /// Phase 1: greedy construction, provider groups with the largest cheapest running
    /// cost first, each onto the provider that adds the least violation, then the
    /// least cost.
    pub(super) fn construct(&mut self) {
        let t = self.t;
        let mut order: Vec<(f64, ProviderGroupId)> = t
            .provider_groups()
            .map(|pg| (t.members(pg).iter().map(|&g| t.minrun(g)).sum::<f64>(), pg))
            .collect();
        order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, pg) in order {
            if self.out_of_time() {
                return;
            }
            let mut best: Option<(f64, f64, ProviderId)> = None;
            for &p in t.providers(pg) {
                let mv = Move::ProviderGroup(pg, p);
                let (v, c) = self.trial(mv, |s| (s.violation(), s.total()));
                let better = match best {
                    None => true,
                    Some((bv, bc, _)) => {
                        v < bv - self.v_tol() || (v <= bv + self.v_tol() && c < bc)
                    }
                };
                if better {
                    best = Some((v, c, p));
                }
            }
            let (_, _, p) = best.expect("every provider group has a provider");
            self.perform(Move::ProviderGroup(pg, p));
        }
    }

    /// Phase 2: removes the remaining violation with the moves that buy the most
    /// violation reduction per unit of added cost (in batches, each move re-checked
    /// before it is kept). Returns whether it succeeded.
    pub(super) fn repair(&mut self) -> bool {
        for _ in 0..MAX_REPAIR_ROUNDS {
            if self.violation() <= 0.0 {
                return true;
            }
            if self.out_of_time() {
                return false;
            }
            let moves = self.repair_moves();
            if moves.is_empty() {
                return false;
            }
            let mut progress = false;
            for (pg, p) in moves {
                let v = self.violation();
                if v <= 0.0 {
                    break;
                }
                if self.pg_provider(pg) == p {
                    continue;
                }
                progress |= self.keep_if(Move::ProviderGroup(pg, p), |s| {
                    s.violation() < v - s.v_tol()
                });
            }
            self.resync();
            if !progress {
                return false;
            }
        }
        self.violation() <= 0.0
    }

    /// Every move of a provider group to another provider that reduces the violation,
    /// cheapest per unit of violation removed first.
    fn repair_moves(&mut self) -> Vec<(ProviderGroupId, ProviderId)> {
        let t = self.t;
        let (v0, c0) = (self.violation(), self.total());
        let mut moves: Vec<(f64, ProviderGroupId, ProviderId)> = Vec::new();
        for pg in t.provider_groups() {
            let cur = self.pg_provider(pg);
            for &p in t.providers(pg) {
                if p == cur {
                    continue;
                }
                let mv = Move::ProviderGroup(pg, p);
                let (v, c) = self.trial(mv, |s| (s.violation(), s.total()));
                if v < v0 - self.v_tol() {
                    moves.push(((c - c0) / (v0 - v), pg, p));
                }
            }
        }
        moves.sort_by(|a, b| a.0.total_cmp(&b.0).then((a.1, a.2).cmp(&(b.1, b.2))));
        moves.into_iter().map(|(_, pg, p)| (pg, p)).collect()
    }

    /// Phase 3: best-improvement moves that keep feasibility (each provider group to
    /// each of its providers, then each placement group to another offering of its
    /// provider); when those are stuck, bulk moves, then ejection pairs; until nothing
    /// helps or the pass or work budget runs out.
    pub(super) fn improve(&mut self) {
        for _ in 0..MAX_PASSES {
            if self.work > WORK_BUDGET || self.out_of_time() {
                break;
            }
            let mut improved = self.provider_group_pass();
            improved |= self.group_pass();
            self.resync();
            if !improved {
                // Single moves are stuck; a provider's fixed fee can hide a gain that
                // only many moves together realise (or a saving only emptying it gives).
                improved = self.bulk_pass();
                self.resync();
            }
            if !improved {
                // Limits at their bound block every single move; pair them with a
                // second move that makes room.
                improved = self.ejection_pass();
                self.resync();
                if !improved {
                    break;
                }
            }
        }
    }

    /// Moves each provider group to the provider (possibly its own, with its offerings
    /// chosen anew) that lowers the total most while every limit holds. Returns
    /// whether any moved.
    fn provider_group_pass(&mut self) -> bool {
        let t = self.t;
        let mut improved = false;
        for pg in t.provider_groups() {
            if self.out_of_time() {
                break;
            }
            let c0 = self.total();
            let mut best: Option<(f64, ProviderId)> = None;
            for &p in t.providers(pg) {
                let mv = Move::ProviderGroup(pg, p);
                let (ok, c) = self.trial(mv, |s| (s.violation() <= 0.0, s.total()));
                if ok && c < best.map_or(c0 - self.c_tol(), |b| b.0) {
                    best = Some((c, p));
                }
            }
            if let Some((_, p)) = best {
                self.perform(Move::ProviderGroup(pg, p));
                improved = true;
            }
        }
        improved
    }

    /// Moves each placement group to the offering of its provider that lowers the
    /// total most while every limit holds. Returns whether any moved.
    fn group_pass(&mut self) -> bool {
        let t = self.t;
        let mut improved = false;
        for g in t.groups() {
            if self.out_of_time() {
                break;
            }
            let cur = self.offering(g);
            let p = t.provider(cur);
            let c0 = self.total();
            let mut best: Option<(f64, Move)> = None;
            for &o in t.candidates(g) {
                if o == cur || t.provider(o) != p {
                    continue;
                }
                let mv = Move::Group(g, o);
                let (ok, c) = self.trial(mv, |s| (s.violation() <= 0.0, s.total()));
                if ok && c < best.map_or(c0 - self.c_tol(), |b| b.0) {
                    best = Some((c, mv));
                }
            }
            if let Some((_, mv)) = best {
                self.perform(mv);
                improved = true;
            }
        }
        improved
    }
}

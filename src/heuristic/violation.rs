//! How far a placement is from feasible, and which providers cause it.
//!
//! Every policy limit is handled here by an exhaustive `match` on [`PolicyLimit`], so
//! that a new limit kind does not compile until the heuristic measures it.

use super::state::State;
use super::tables::GroupId;
use crate::model::{OfferingId, PolicyLimit, ProviderId};
use crate::tolerance::heuristic_slack;

/// How a limit's excess enters the violation.
///
/// [`State::violation`] adds the measures in this order, with capacity between
/// `Monthly` and `Weighted`: the order of the additions is part of the heuristic's
/// output (its moves break ties by exact comparison), so it must not change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    /// Excess in EUR/month, against a lower bound of the final monthly cost.
    Monthly,
    /// Excess relative to the bound, weighted far above any cost, like capacity: it
    /// only grows as groups are placed, so it is never worth breaking.
    Weighted,
    /// Missing providers, counted only once every group is placed.
    Count,
}

/// How the excess of `limit` is measured.
fn measure(limit: PolicyLimit) -> Measure {
    match limit {
        PolicyLimit::ProviderShare(_) | PolicyLimit::CloudActShare(_) | PolicyLimit::Budget(_) => {
            Measure::Monthly
        }
        PolicyLimit::ExitCost(_) => Measure::Weighted,
        PolicyLimit::MinProviders(_) => Measure::Count,
    }
}

impl State<'_> {
    /// The monthly cost that shares and the budget are measured against: while groups
    /// are unplaced, what is placed plus the cheapest run of the rest, which the final
    /// monthly cost can only exceed.
    fn monthly_bound(&self) -> f64 {
        if self.complete() {
            self.monthly
        } else {
            self.monthly + self.rem_lb.max(0.0)
        }
    }

    /// Spend of the CLOUD-Act-exposed providers together.
    fn exposed_spend(&self) -> f64 {
        self.spend
            .iter()
            .zip(&self.t.exposed)
            .filter(|(_, &exposed)| exposed)
            .map(|(&s, _)| s)
            .sum()
    }

    /// How far the state is from feasible: 0 iff every limit holds. Share, CLOUD-Act
    /// and budget excess in EUR/month; capacity and exit excess relative to the limit,
    /// weighted far above any cost; missing providers only once everything is placed.
    /// Every limit keeps [`heuristic_slack`] inside its bound.
    pub(super) fn violation(&self) -> f64 {
        let m = self.monthly_bound();
        let mut v = 0.0;
        self.add_excess(Measure::Monthly, m, &mut v);
        self.add_capacity_excess(&mut v);
        self.add_excess(Measure::Weighted, m, &mut v);
        self.add_excess(Measure::Count, m, &mut v);
        v
    }

    /// Adds to `v` the excess of every limit measured as `which`, in policy order.
    fn add_excess(&self, which: Measure, m: f64, v: &mut f64) {
        for &limit in self.t.sc.policy.limits() {
            if measure(limit) == which {
                self.add_limit_excess(limit, m, v);
            }
        }
    }

    /// Adds to `v` the excess of one limit, term by term (per provider where the limit
    /// is per provider); `m` is the monthly cost shares are measured against.
    fn add_limit_excess(&self, limit: PolicyLimit, m: f64, v: &mut f64) {
        let t = self.t;
        match limit {
            PolicyLimit::ProviderShare(share) => {
                let tol = heuristic_slack(m);
                for &s in &self.spend {
                    *v += (s - share * m - tol).max(0.0);
                }
            }
            PolicyLimit::CloudActShare(share) => {
                *v += (self.exposed_spend() - share * m - heuristic_slack(m)).max(0.0);
            }
            PolicyLimit::Budget(b) => *v += (m - b - heuristic_slack(b)).max(0.0),
            PolicyLimit::ExitCost(x) => {
                for &e in &self.exitp {
                    let ex = e - x - heuristic_slack(x);
                    if ex > 0.0 {
                        *v += t.w_hard * ex / x.max(1.0);
                    }
                }
            }
            PolicyLimit::MinProviders(k) => {
                if self.complete() {
                    let used = self.count.iter().filter(|&&c| c > 0).count();
                    *v += t.w_prov * (k as usize).saturating_sub(used) as f64;
                }
            }
        }
    }

    /// Adds to `v` the over-full capacity of every offering and dimension.
    fn add_capacity_excess(&self, v: &mut f64) {
        for (l, c) in self.load.iter().zip(&self.t.cap) {
            for (&l, &c) in l.iter().zip(c) {
                if l > c {
                    let ex = l - c - heuristic_slack(c);
                    if ex > 0.0 {
                        *v += self.t.w_hard * ex / c.max(1.0);
                    }
                }
            }
        }
    }

    /// Providers that break a limit now: over their share or exit limit, holding an
    /// over-full offering, or (all used exposed ones) when the CLOUD-Act share is over.
    pub(super) fn violators(&self) -> Vec<ProviderId> {
        let t = self.t;
        let m = self.monthly;
        let mut bad = vec![false; t.n_providers()];
        for &limit in t.sc.policy.limits() {
            match limit {
                PolicyLimit::ProviderShare(share) => {
                    for (b, &s) in bad.iter_mut().zip(&self.spend) {
                        *b |= s > share * m + heuristic_slack(m);
                    }
                }
                PolicyLimit::ExitCost(x) => {
                    for (b, &e) in bad.iter_mut().zip(&self.exitp) {
                        *b |= e > x + heuristic_slack(x);
                    }
                }
                PolicyLimit::CloudActShare(share) => {
                    if self.exposed_spend() > share * m + heuristic_slack(m) {
                        for (p, b) in bad.iter_mut().enumerate() {
                            *b |= t.exposed[p] && self.count[p] > 0;
                        }
                    }
                }
                // Plan-wide: no one provider's groups are to blame.
                PolicyLimit::MinProviders(_) | PolicyLimit::Budget(_) => {}
            }
        }
        for (o, (l, c)) in t.sc.offering_ids().zip(self.load.iter().zip(&t.cap)) {
            if l.iter().zip(c).any(|(&l, &c)| l > c + heuristic_slack(c)) {
                bad[t.provider(o).index()] = true;
            }
        }
        t.sc.provider_ids().filter(|p| bad[p.index()]).collect()
    }

    /// How far placing unplaced group `g` on offering `o` would break the limits that
    /// only grow as groups are placed (capacity, exit cost): relative excess, 0 if none.
    pub(super) fn placement_excess(&self, g: GroupId, o: OfferingId) -> f64 {
        let t = self.t;
        let mut excess = 0.0;
        let load = self.load[o.index()].iter().zip(t.dem(g));
        for ((&l, &d), &c) in load.zip(&t.cap[o.index()]) {
            let ex = l + d - c - heuristic_slack(c);
            if ex > 0.0 {
                excess += ex / c.max(1.0);
            }
        }
        for &limit in t.sc.policy.limits() {
            match limit {
                PolicyLimit::ExitCost(x) => {
                    let p = t.provider(o).index();
                    let ex = self.exitp[p] + t.exit(g, o) - x - heuristic_slack(x);
                    if ex > 0.0 {
                        excess += ex / x.max(1.0);
                    }
                }
                // These depend on the rest of the placement, not on which offering of
                // a provider a group takes: the violation weighs them.
                PolicyLimit::ProviderShare(_)
                | PolicyLimit::MinProviders(_)
                | PolicyLimit::CloudActShare(_)
                | PolicyLimit::Budget(_) => {}
            }
        }
        excess
    }
}

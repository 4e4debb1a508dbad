//! The plan as the checker sees it: every figure recomputed from the scenario and the
//! placements alone.
//!
//! The loops here deliberately repeat the cost model instead of calling
//! [`crate::model::cost`]: the checker is only worth something if a mistake there
//! cannot hide in both places at once.

use crate::model::{Dim, OfferingId, Scenario};

/// Every figure the rule families compare with, for one complete placement.
pub(super) struct View {
    /// The offering of every service.
    pub placement: Vec<OfferingId>,
    /// Load per offering, per dimension in [`Dim::ALL`] order.
    pub load: Vec<[f64; Dim::ALL.len()]>,
    /// Monthly running cost per service (resources and internet egress).
    pub run: Vec<f64>,
    /// Monthly cost of the traffic each service sends.
    pub sent: Vec<f64>,
    /// One-off migration cost per service.
    pub one_off: Vec<f64>,
    /// Whether each service leaves its current offering.
    pub moved: Vec<bool>,
    /// Monthly cost per dependency.
    pub traffic: Vec<f64>,
    /// Monthly bill per provider: runs, traffic sent, fee.
    pub spend: Vec<f64>,
    /// What leaving each provider would cost once.
    pub exit: Vec<f64>,
    /// Services per provider.
    pub count: Vec<usize>,
    /// Σ spend.
    pub monthly: f64,
    /// Σ one_off.
    pub one_off_total: f64,
    /// horizon · monthly + one_off_total.
    pub total: f64,
}

impl View {
    /// Recomputes every figure for `placement` (the offering of every service).
    ///
    /// Sums are accumulated in a fixed order (traffic per dependency, then runs per
    /// service, then fees), so that the figures, and the messages quoting them, are
    /// the same on every run.
    pub fn new(sc: &Scenario, placement: Vec<OfferingId>) -> View {
        let np = sc.providers.len();
        let mut v = View {
            load: loads(sc, &placement),
            traffic: traffic(sc, &placement),
            run: Vec::with_capacity(sc.services.len()),
            sent: vec![0.0; sc.services.len()],
            one_off: Vec::with_capacity(sc.services.len()),
            moved: Vec::with_capacity(sc.services.len()),
            spend: vec![0.0; np],
            exit: vec![0.0; np],
            count: vec![0; np],
            monthly: 0.0,
            one_off_total: 0.0,
            total: 0.0,
            placement,
        };
        v.add_traffic(sc);
        v.add_services(sc);
        v.add_fees(sc);
        v.monthly = v.spend.iter().sum();
        v.total = sc.policy.horizon_months * v.monthly + v.one_off_total;
        v
    }

    /// The provider (index) of the offering service `s` is placed on.
    pub fn provider_of(&self, sc: &Scenario, s: usize) -> usize {
        sc.offerings[self.placement[s].index()].provider.index()
    }

    /// How many providers host at least one service.
    pub fn providers_used(&self) -> usize {
        self.count.iter().filter(|&&n| n > 0).count()
    }

    /// What CLOUD-Act-exposed providers bill together per month.
    pub fn cloud_act_spend(&self, sc: &Scenario) -> f64 {
        (0..sc.providers.len())
            .filter(|&p| sc.providers[p].cloud_act_exposed)
            .map(|p| self.spend[p])
            .sum()
    }

    /// `x` as a share of the monthly cost, 0 when the plan costs nothing.
    pub fn share(&self, x: f64) -> f64 {
        if self.monthly > 0.0 {
            x / self.monthly
        } else {
            0.0
        }
    }

    /// The sender pays for traffic, and its provider bills it.
    fn add_traffic(&mut self, sc: &Scenario) {
        for (d, &cost) in sc.dependencies.iter().zip(&self.traffic) {
            let p = self.provider_of(sc, d.from.index());
            self.sent[d.from.index()] += cost;
            self.spend[p] += cost;
        }
    }

    fn add_services(&mut self, sc: &Scenario) {
        for (s, svc) in sc.services.iter().enumerate() {
            let o = &sc.offerings[self.placement[s].index()];
            let p = o.provider.index();
            let (dm, pr) = (svc.demand, o.prices);
            let run = dm.vcpu * pr.vcpu_month
                + dm.ram_gb * pr.ram_gb_month
                + dm.storage_gb * pr.storage_gb_month
                + dm.egress_gb_month * pr.egress_gb;
            self.spend[p] += run;
            self.count[p] += 1;
            // Leaving means copying the data out, and rebuilding what runs on
            // proprietary interfaces.
            let replatform = if o.open_standards {
                0.0
            } else {
                svc.replatform_cost
            };
            self.exit[p] += dm.storage_gb * pr.egress_gb + replatform;
            let moved = svc.current_offering.is_some_and(|c| c != self.placement[s]);
            let migration = if moved { svc.migration_cost } else { 0.0 };
            self.one_off_total += migration;
            self.run.push(run);
            self.one_off.push(migration);
            self.moved.push(moved);
        }
    }

    /// A provider's fee is due once it hosts anything.
    fn add_fees(&mut self, sc: &Scenario) {
        for (p, prov) in sc.providers.iter().enumerate() {
            if self.count[p] > 0 {
                self.spend[p] += prov.monthly_fee;
            }
        }
    }
}

fn loads(sc: &Scenario, placement: &[OfferingId]) -> Vec<[f64; Dim::ALL.len()]> {
    let mut load = vec![[0.0; Dim::ALL.len()]; sc.offerings.len()];
    for (svc, o) in sc.services.iter().zip(placement) {
        for (k, &dim) in Dim::ALL.iter().enumerate() {
            load[o.index()][k] += svc.demand.get(dim);
        }
    }
    load
}

/// Traffic is free on one offering, priced per GB between regions of one provider,
/// and at the sender's egress price between providers.
fn traffic(sc: &Scenario, placement: &[OfferingId]) -> Vec<f64> {
    let provider = |o: OfferingId| sc.offerings[o.index()].provider;
    sc.dependencies
        .iter()
        .map(|d| {
            let (a, b) = (placement[d.from.index()], placement[d.to.index()]);
            let sender = &sc.offerings[a.index()].prices;
            let price = if a == b {
                0.0
            } else if provider(a) == provider(b) {
                sender.inter_region_gb
            } else {
                sender.egress_gb
            };
            d.traffic_gb_month * price
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{small, view};
    use crate::tolerance::money_eq;

    #[test]
    fn recomputes_the_hand_computed_small_plan() {
        // run: web on a1 = 4·10 + 8·1 + 100·0.1 = 58; db on a1 = 40 + 16 + 50 = 106;
        //      mail on b1 = 2·5 + 4·0.5 + 50·0.05 = 14.5.
        // traffic: web→db same offering = 0; mail→web b1→a1 = 10·0.09 = 0.9.
        let sc = small("{}");
        let v = view(&sc, ["a1", "a1", "b1"]);
        assert_eq!(v.run, [58.0, 106.0, 14.5]);
        assert_eq!(v.traffic, [0.0, 10.0 * 0.09]);
        assert_eq!(v.sent, [0.0, 0.0, 10.0 * 0.09]);
        assert_eq!(v.count, [2, 1]);
        assert_eq!(v.load[0], [8.0, 24.0, 600.0]);
        assert_eq!(v.spend[0], 58.0 + 106.0 + 10.0);
        assert!(money_eq(v.monthly, 189.4));
        assert!(money_eq(v.total, 6818.4));
        // Open a1: leaving a costs only the egress of 600 GB.
        assert!(money_eq(v.exit[0], 30.0));
        assert_eq!(v.moved, [false, false, false]);
        assert_eq!(v.providers_used(), 2);
    }

    #[test]
    fn moving_off_a_closed_offering_costs_migration_and_lock_in() {
        let sc = small("{}");
        let v = view(&sc, ["a2", "a2", "a2"]);
        assert_eq!(v.moved, [false, true, false]);
        assert_eq!(v.one_off_total, 1000.0);
        // 650 GB · 0.05 + db's 2000 replatforming.
        assert!(money_eq(v.exit[0], 2032.5));
        // web → db share the offering: no traffic cost.
        assert_eq!(v.traffic, [0.0, 0.0]);
        assert_eq!(v.cloud_act_spend(&sc), 0.0);
    }
}

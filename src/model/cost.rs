//! The cost model, evaluated on a concrete placement.
//!
//! This is the reference definition of every figure in a plan (see the README's
//! "Cost model"). The MILP in [`crate::formulate`] is a linearisation of these
//! functions; the brute-force oracle and the plan writer evaluate them directly.

use crate::model::{OfferingId, ProviderId, Scenario, ServiceId};

/// run(s, o): monthly running cost of service `s` on offering `o`.
pub fn run_cost(sc: &Scenario, s: ServiceId, o: OfferingId) -> f64 {
    let d = sc.services[s.index()].demand;
    let p = sc.offerings[o.index()].prices;
    d.vcpu * p.vcpu_month
        + d.ram_gb * p.ram_gb_month
        + d.storage_gb * p.storage_gb_month
        + d.egress_gb_month * p.egress_gb
}

/// Exit cost contribution of service `s` sitting on offering `o`: copying its data out,
/// plus rebuilding it when `o` has no open standards.
pub fn exit_cost(sc: &Scenario, s: ServiceId, o: OfferingId) -> f64 {
    let svc = &sc.services[s.index()];
    let off = &sc.offerings[o.index()];
    svc.demand.storage_gb * off.prices.egress_gb
        + if off.open_standards {
            0.0
        } else {
            svc.replatform_cost
        }
}

/// traffic(d): monthly cost of `gb` sent from a service on `from` to one on `to`.
pub fn traffic_cost(sc: &Scenario, gb: f64, from: OfferingId, to: OfferingId) -> f64 {
    let p = sc.offerings[from.index()].prices;
    if from == to {
        0.0
    } else if sc.provider_of(from) == sc.provider_of(to) {
        gb * p.inter_region_gb
    } else {
        gb * p.egress_gb
    }
}

/// Every figure of the cost model for one placement, unrounded.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// run(s, o(s)) per service.
    pub run: Vec<f64>,
    /// Traffic cost sent by each service (sum over its outgoing dependencies).
    pub sent: Vec<f64>,
    /// traffic(d) per dependency.
    pub traffic: Vec<f64>,
    /// One-off migration cost per service.
    pub one_off: Vec<f64>,
    /// Number of services per provider.
    pub services_on: Vec<usize>,
    /// spend(p) per provider.
    pub spend: Vec<f64>,
    /// exit_cost(p) per provider.
    pub exit: Vec<f64>,
    /// Σ run + Σ traffic + Σ fee.
    pub monthly: f64,
    /// Σ one_off.
    pub one_off_total: f64,
    /// horizon · monthly + one_off.
    pub total: f64,
}

/// Evaluates the cost model; `placement[s]` is the offering of service `s`.
pub fn evaluate(sc: &Scenario, placement: &[OfferingId]) -> Evaluation {
    let np = sc.providers.len();
    let mut e = Evaluation {
        run: Vec::with_capacity(placement.len()),
        sent: vec![0.0; placement.len()],
        traffic: Vec::with_capacity(sc.dependencies.len()),
        one_off: Vec::with_capacity(placement.len()),
        services_on: vec![0; np],
        spend: vec![0.0; np],
        exit: vec![0.0; np],
        monthly: 0.0,
        one_off_total: 0.0,
        total: 0.0,
    };
    for s in sc.service_ids() {
        let o = placement[s.index()];
        let p = sc.provider_of(o).index();
        let r = run_cost(sc, s, o);
        e.run.push(r);
        e.services_on[p] += 1;
        e.spend[p] += r;
        e.exit[p] += exit_cost(sc, s, o);
        let svc = &sc.services[s.index()];
        let moved = svc.current_offering.is_some_and(|c| c != o);
        e.one_off.push(if moved { svc.migration_cost } else { 0.0 });
    }
    for d in &sc.dependencies {
        let from = placement[d.from.index()];
        let c = traffic_cost(sc, d.traffic_gb_month, from, placement[d.to.index()]);
        e.traffic.push(c);
        e.sent[d.from.index()] += c;
        e.spend[sc.provider_of(from).index()] += c;
    }
    for p in sc.provider_ids() {
        if e.services_on[p.index()] > 0 {
            e.spend[p.index()] += sc.providers[p.index()].monthly_fee;
        }
    }
    e.monthly = e.spend.iter().sum();
    e.one_off_total = e.one_off.iter().sum();
    e.total = sc.policy.horizon_months * e.monthly + e.one_off_total;
    e
}

/// Whether a provider hosts anything in this evaluation.
pub fn used(e: &Evaluation, p: ProviderId) -> bool {
    e.services_on[p.index()] > 0
}

/// One planning year of a roadmap, evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct YearEvaluation {
    /// Calendar year.
    pub year: i32,
    /// The single-period figures of the year's placement, except that `one_off` (and
    /// `one_off_total`) are the migrations paid in this year and `total` is the year's
    /// annual cost, 12 · monthly + one_off.
    pub e: Evaluation,
    /// Per service: whether it changes offering this year (against the year before, or
    /// in the first year against its `current_offering`; a new service never moves in
    /// the first year).
    pub moved: Vec<bool>,
    /// Number of services that move this year.
    pub moves: usize,
}

/// Every figure of a roadmap's cost model for a schedule, unrounded.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadmapEvaluation {
    /// One per planning year, in order.
    pub years: Vec<YearEvaluation>,
    /// Σ of the migration costs of every year.
    pub one_off_total: f64,
    /// Σ annual cost: the roadmap's total cost.
    pub total: f64,
}

/// Evaluates a roadmap: `schedule[i][s]` is the offering of service `s` in the i-th
/// planning year (years counted from the roadmap's `start_year`, or from 1 without a
/// roadmap). Any schedule is evaluated, also one no plan may have (several moves, a
/// move back): every change of offering is a move, and a service with a
/// `current_offering` pays its `migration_cost` at every move.
///
/// Every inner vector must hold one offering per service.
pub fn evaluate_roadmap(sc: &Scenario, schedule: &[Vec<OfferingId>]) -> RoadmapEvaluation {
    let start = sc.roadmap.as_ref().map_or(1, |r| r.start_year);
    let mut years = Vec::with_capacity(schedule.len());
    let mut total = 0.0;
    let mut one_off_total = 0.0;
    for (i, placement) in schedule.iter().enumerate() {
        let mut e = evaluate(sc, placement);
        let moved: Vec<bool> = sc
            .service_ids()
            .map(|s| {
                let before = match i {
                    0 => sc.services[s.index()].current_offering,
                    _ => Some(schedule[i - 1][s.index()]),
                };
                before.is_some_and(|b| b != placement[s.index()])
            })
            .collect();
        e.one_off = sc
            .services
            .iter()
            .zip(&moved)
            .map(|(svc, &m)| match (m, svc.current_offering) {
                (true, Some(_)) => svc.migration_cost,
                _ => 0.0,
            })
            .collect();
        e.one_off_total = e.one_off.iter().sum();
        e.total = 12.0 * e.monthly + e.one_off_total;
        total += e.total;
        one_off_total += e.one_off_total;
        years.push(YearEvaluation {
            year: start + i as i32,
            moves: moved.iter().filter(|&&m| m).count(),
            e,
            moved,
        });
    }
    RoadmapEvaluation {
        years,
        one_off_total,
        total,
    }
}

//! The mixed-integer linear program. Pure: builds variables and constraints, no I/O,
//! no solver call.
//!
//! Decision: `x[g][o] ∈ {0,1}`, offering group `g` placed on candidate offering `o`.
//! Auxiliaries, each pinned to its exact logical value by constraints on *both* sides
//! so that no loose variable can inflate a cost to satisfy a share limit:
//! - `u[p]`: provider `p` is used (`u ≥ X[g,p]` for every group, `u ≤ Σ X[g,p]`);
//! - `v[d,o]`: sender of dependency `d` on `o` and receiver at `o`'s provider;
//! - `w[d,o]`: sender and receiver both on `o`.
//!
//! Traffic of `a→b` is then `t·(Σ_o egress(o)·x[a,o] − Σ_o (egress−inter)(o)·v[d,o] −
//! Σ_o inter(o)·w[d,o])`, which equals the cost model in all three cases
//! (same offering, same provider, different providers).

use crate::graph::ServiceGraph;
use crate::model::{OfferingId, ProviderId, Scenario, ServiceId};
use good_lp::{variable, Constraint, Expression, ProblemVariables, Variable};
use std::collections::BTreeSet;

/// A family of constraints that can be switched off to diagnose infeasibility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Limit {
    /// Offering capacities.
    Capacity,
    /// `colocate` rules of dependencies.
    Colocation,
    /// `policy.max_provider_share`.
    ProviderShare,
    /// `policy.min_providers`.
    MinProviders,
    /// `policy.max_cloud_act_share`.
    CloudActShare,
    /// `policy.max_exit_cost`.
    ExitCost,
    /// `policy.monthly_budget`.
    Budget,
}

impl Limit {
    /// Every limit family.
    pub const ALL: [Limit; 7] = [
        Limit::Capacity,
        Limit::Colocation,
        Limit::ProviderShare,
        Limit::MinProviders,
        Limit::CloudActShare,
        Limit::ExitCost,
        Limit::Budget,
    ];

    /// Name as it appears in the scenario file.
    pub fn name(self) -> &'static str {
        match self {
            Limit::Capacity => "offering capacity",
            Limit::Colocation => "dependency colocate rules",
            Limit::ProviderShare => "policy.max_provider_share",
            Limit::MinProviders => "policy.min_providers",
            Limit::CloudActShare => "policy.max_cloud_act_share",
            Limit::ExitCost => "policy.max_exit_cost",
            Limit::Budget => "policy.monthly_budget",
        }
    }

    /// Whether the scenario sets this limit at all.
    pub fn present(self, sc: &Scenario) -> bool {
        let p = &sc.policy;
        match self {
            Limit::Capacity => sc.offerings.iter().any(|o| {
                o.capacity.vcpu.is_some()
                    || o.capacity.ram_gb.is_some()
                    || o.capacity.storage_gb.is_some()
            }),
            Limit::Colocation => sc.dependencies.iter().any(|d| d.colocate.is_some()),
            Limit::ProviderShare => p.max_provider_share.is_some(),
            Limit::MinProviders => p.min_providers.is_some(),
            Limit::CloudActShare => p.max_cloud_act_share.is_some(),
            Limit::ExitCost => p.max_exit_cost.is_some(),
            Limit::Budget => p.monthly_budget.is_some(),
        }
    }
}

/// The built model, ready to hand to a solver.
pub struct Formulation {
    /// All variables, in column order.
    pub vars: ProblemVariables,
    /// Minimised: `horizon · monthly_cost + one_off_cost`.
    pub objective: Expression,
    /// All rows.
    pub constraints: Vec<Constraint>,
    /// Placement groups (see [`ServiceGraph`]).
    pub graph: ServiceGraph,
    /// For each group, its candidate offerings and their binary variables.
    pub choices: Vec<Vec<(OfferingId, Variable)>>,
    /// Meaning of every column, in column order.
    pub kinds: Vec<Column>,
    /// For each offering left out as a twin, the offering that replaces it.
    pub twin_of: Vec<Option<OfferingId>>,
    /// Number of variables.
    pub columns: usize,
    /// Number of binary variables.
    pub binaries: usize,
}

/// The offerings every member of each group may use (intersection of eligibility).
pub fn candidates(sc: &Scenario, graph: &ServiceGraph) -> Vec<Vec<OfferingId>> {
    graph
        .groups
        .iter()
        .map(|members| {
            sc.offering_ids()
                .filter(|&o| members.iter().all(|&s| sc.is_eligible(s, o)))
                .collect()
        })
        .collect()
}

/// Offerings that can be left out of the model because an earlier "twin" does the same
/// job for every group: same provider, identical prices with free traffic inside the
/// provider, same `open_standards`, no capacity limit on either, no service running on
/// the dropped one today, and eligible wherever the dropped one is.
///
/// Moving every group from the dropped offering to its twin changes no monthly figure
/// (run, traffic, fees, spend, exit cost are equal and traffic between the two was free),
/// only lowers one-off costs (services whose current offering is the twin stop moving),
/// and breaks no limit; so some optimal plan never uses the dropped offering. Catalogues
/// list such twins often (two regions of one provider with one price list), and without
/// this the solver explores every symmetric swap between them.
///
/// Returns, per offering, the twin that replaces it (`None`: kept).
pub fn twins(sc: &Scenario, cand: &[Vec<OfferingId>]) -> Vec<Option<OfferingId>> {
    let n = sc.offerings.len();
    let mut dropped: Vec<Option<OfferingId>> = vec![None; n];
    let unlimited = |o: &crate::model::Offering| {
        o.capacity.vcpu.is_none() && o.capacity.ram_gb.is_none() && o.capacity.storage_gb.is_none()
    };
    let current: BTreeSet<OfferingId> = sc
        .services
        .iter()
        .filter_map(|s| s.current_offering)
        .collect();
    for b in sc.offering_ids() {
        let ob = &sc.offerings[b.index()];
        if !unlimited(ob) || current.contains(&b) || ob.prices.inter_region_gb != 0.0 {
            continue;
        }
        let twin = sc.offering_ids().take(b.index()).find(|&a| {
            let oa = &sc.offerings[a.index()];
            dropped[a.index()].is_none()
                && oa.provider == ob.provider
                && oa.prices == ob.prices
                && oa.open_standards == ob.open_standards
                && unlimited(oa)
                && cand.iter().all(|c| !c.contains(&b) || c.contains(&a))
        });
        dropped[b.index()] = twin;
    }
    dropped
}

/// What a column of the model means; lets a placement be turned into a full solution
/// vector (a MIP start) without knowing how the model was built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// Group `group` on `offering`.
    Choice {
        /// Placement group.
        group: usize,
        /// Candidate offering.
        offering: OfferingId,
    },
    /// Sender of dependency `dep` on `offering`, receiver at the same provider.
    SameProvider {
        /// Dependency index.
        dep: usize,
        /// Sender's offering.
        offering: OfferingId,
    },
    /// Both ends of dependency `dep` on `offering`.
    SameOffering {
        /// Dependency index.
        dep: usize,
        /// The shared offering.
        offering: OfferingId,
    },
    /// Provider in use.
    Used(ProviderId),
    /// Monthly spend of a provider.
    Spend(ProviderId),
    /// Monthly cost.
    Monthly,
}

struct Builder {
    vars: ProblemVariables,
    constraints: Vec<Constraint>,
    kinds: Vec<Column>,
    binaries: usize,
}

impl Builder {
    fn binary(&mut self, kind: Column) -> Variable {
        self.kinds.push(kind);
        self.binaries += 1;
        self.vars.add(variable().binary())
    }
    fn continuous(&mut self, kind: Column) -> Variable {
        self.kinds.push(kind);
        self.vars.add(variable().min(0.0))
    }
    fn unit(&mut self, kind: Column) -> Variable {
        self.kinds.push(kind);
        self.vars.add(variable().min(0.0).max(1.0))
    }
}

impl Formulation {
    /// The value of every column for a placement (`placement[s]` = offering of `s`),
    /// in column order: a complete MIP start for HiGHS.
    ///
    /// Offerings left out as twins are replaced by their twin first; that never costs
    /// more and keeps every limit (see [`twins`]).
    pub fn values(&self, sc: &Scenario, placement: &[OfferingId]) -> Vec<f64> {
        let placement: Vec<OfferingId> = placement
            .iter()
            .map(|&o| self.twin_of[o.index()].unwrap_or(o))
            .collect();
        let e = crate::cost::evaluate(sc, &placement);
        let on = |s: ServiceId| placement[s.index()];
        let b = |x: bool| if x { 1.0 } else { 0.0 };
        self.kinds
            .iter()
            .map(|k| match *k {
                Column::Choice { group, offering } => {
                    b(on(self.graph.groups[group][0]) == offering)
                }
                Column::SameProvider { dep, offering } => {
                    let d = &sc.dependencies[dep];
                    b(on(d.from) == offering
                        && sc.provider_of(on(d.to)) == sc.provider_of(offering))
                }
                Column::SameOffering { dep, offering } => {
                    let d = &sc.dependencies[dep];
                    b(on(d.from) == offering && on(d.to) == offering)
                }
                Column::Used(p) => b(crate::cost::used(&e, p)),
                Column::Spend(p) => e.spend[p.index()],
                Column::Monthly => e.monthly,
            })
            .collect()
    }
}

/// Builds the model with the limits in `enforced`; every group must have at least
/// one candidate offering (checked by the caller, who can explain it).
pub fn formulate(sc: &Scenario, enforced: &BTreeSet<Limit>) -> Formulation {
    let graph = ServiceGraph::build(sc, enforced.contains(&Limit::Colocation));
    let mut cand = candidates(sc, &graph);
    let twin_of = twins(sc, &cand);
    for c in &mut cand {
        c.retain(|o| twin_of[o.index()].is_none());
    }
    let mut b = Builder {
        vars: ProblemVariables::new(),
        constraints: Vec::new(),
        kinds: Vec::new(),
        binaries: 0,
    };
    let choices: Vec<Vec<(OfferingId, Variable)>> = cand
        .iter()
        .enumerate()
        .map(|(group, offs)| {
            offs.iter()
                .map(|&offering| (offering, b.binary(Column::Choice { group, offering })))
                .collect()
        })
        .collect();
    // x[s,o] as an expression (0 when o is no candidate of s's group).
    let x = |s: ServiceId, o: OfferingId| -> Option<Variable> {
        let row = &choices[graph.group(s)];
        row.binary_search_by_key(&o, |c| c.0).ok().map(|i| row[i].1)
    };
    // X[g,p]: group g placed at provider p; None when p has no candidate of g.
    let at_provider = |g: usize, p: ProviderId| -> Option<Expression> {
        let mut e = Expression::with_capacity(choices[g].len());
        let mut any = false;
        for &(o, v) in &choices[g] {
            if sc.provider_of(o) == p {
                e.add_mul(1.0, v);
                any = true;
            }
        }
        any.then_some(e)
    };
    let np = sc.providers.len();
    let mut spend: Vec<Expression> = (0..np).map(|_| Expression::default()).collect();
    let mut reachable = vec![false; np];

    for row in &choices {
        b.constraints.push(
            row.iter()
                .fold(Expression::default(), |e, &(_, v)| e + v)
                .eq(1.0),
        );
        for &(o, _) in row {
            reachable[sc.provider_of(o).index()] = true;
        }
    }

    // colocate "provider": every offering group of a provider group sits at the provider
    // of the group's first member (X[g,p] = X[g0,p] for every provider).
    for pg in &graph.provider_groups {
        let g0 = pg[0];
        for &g in &pg[1..] {
            for p in sc.provider_ids() {
                match (at_provider(g0, p), at_provider(g, p)) {
                    (None, None) => {}
                    (Some(a), Some(bx)) => b.constraints.push(a.eq(bx)),
                    (Some(e), None) | (None, Some(e)) => b.constraints.push(e.eq(0.0)),
                }
            }
        }
    }

    // Running costs, summed per group because members share the variable.
    for (g, members) in graph.groups.iter().enumerate() {
        for &(o, v) in &choices[g] {
            let c: f64 = members
                .iter()
                .map(|&s| crate::cost::run_cost(sc, s, o))
                .sum();
            if c != 0.0 {
                spend[sc.provider_of(o).index()].add_mul(c, v);
            }
        }
    }

    // Traffic. Every auxiliary keeps both its upper and its lower pins even where no
    // share row could profit from a low value: then the model's objective equals the cost
    // model for *every* feasible solution, which the solver wrapper relies on to detect
    // a wrong answer (HiGHS 1.16 mis-mapped a MIP start through presolve when the lower
    // pins were left out and returned the start as optimal: oracle seeds 22 and 719).
    for (dep, d) in sc.dependencies.iter().enumerate() {
        let t = d.traffic_gb_month;
        let (a, bb) = (d.from, d.to);
        if t == 0.0 || graph.group(a) == graph.group(bb) {
            continue;
        }
        let forced = graph.same_provider_forced(a, bb);
        let mut v_by_provider: Vec<Vec<Variable>> = vec![Vec::new(); np];
        for &(o, xa) in &choices[graph.group(a)] {
            let p = sc.provider_of(o);
            let pr = sc.offerings[o.index()].prices;
            let mut cost = Expression::with_capacity(3);
            cost.add_mul(t * pr.egress_gb, xa);
            let saving = t * (pr.egress_gb - pr.inter_region_gb);
            let xb_p = at_provider(graph.group(bb), p);
            if let (true, Some(xb_p)) = (saving > 0.0, xb_p) {
                if forced {
                    cost.add_mul(-saving, xa);
                } else {
                    let v = b.unit(Column::SameProvider { dep, offering: o });
                    b.constraints.push(Expression::from(v).leq(xa));
                    b.constraints
                        .push(Expression::from(v).geq(Expression::from(xa) + xb_p - 1.0));
                    v_by_provider[p.index()].push(v);
                    cost.add_mul(-saving, v);
                }
            }
            let same = t * pr.inter_region_gb;
            if let (true, Some(xb)) = (same > 0.0, x(bb, o)) {
                let w = b.unit(Column::SameOffering { dep, offering: o });
                b.constraints.push(Expression::from(w).leq(xa));
                b.constraints.push(Expression::from(w).leq(xb));
                b.constraints
                    .push(Expression::from(w).geq(Expression::from(xa) + xb - 1.0));
                cost.add_mul(-same, w);
            }
            spend[p.index()] += cost;
        }
        // v[d,o] ≤ X[b,p]; summed over p's offerings because the sender sits on at most
        // one of them, which gives one row per provider and a tighter relaxation.
        for (p, vs) in v_by_provider.into_iter().enumerate() {
            if !vs.is_empty() {
                let sum = vs.into_iter().fold(Expression::default(), |e, v| e + v);
                if let Some(xb_p) = at_provider(graph.group(bb), ProviderId(p as u32)) {
                    b.constraints.push(sum.leq(xb_p));
                }
            }
        }
    }
    // Provider use and fees.
    let need_use = enforced.contains(&Limit::MinProviders) && sc.policy.min_providers.is_some();
    let mut used = Expression::default();
    for p in sc.provider_ids() {
        let fee = sc.providers[p.index()].monthly_fee;
        if !reachable[p.index()] || (fee == 0.0 && !need_use) {
            continue;
        }
        let u = b.binary(Column::Used(p));
        let mut any = Expression::default();
        for g in 0..graph.groups.len() {
            if let Some(xg) = at_provider(g, p) {
                b.constraints.push(Expression::from(u).geq(xg.clone()));
                any += xg;
            }
        }
        b.constraints.push(Expression::from(u).leq(any));
        if fee > 0.0 {
            spend[p.index()].add_mul(fee, u);
        }
        used += u;
    }
    if let (true, Some(k)) = (need_use, sc.policy.min_providers) {
        b.constraints.push(used.geq(k as f64));
    }

    // Capacity.
    if enforced.contains(&Limit::Capacity) {
        for o in sc.offering_ids() {
            let cap = sc.offerings[o.index()].capacity;
            for dim in crate::model::Dim::ALL {
                let Some(limit) = cap.get(dim) else { continue };
                let mut load = Expression::default();
                let mut any = false;
                for (g, members) in graph.groups.iter().enumerate() {
                    if let Ok(i) = choices[g].binary_search_by_key(&o, |c| c.0) {
                        let need: f64 = members
                            .iter()
                            .map(|&s| sc.services[s.index()].demand.get(dim))
                            .sum();
                        if need > 0.0 {
                            load.add_mul(need, choices[g][i].1);
                            any = true;
                        }
                    }
                }
                if any {
                    b.constraints.push(load.leq(limit));
                }
            }
        }
    }

    // Policy limits on spend shares. Written against one variable per provider's spend
    // and one for the monthly total, each pinned by an equality row: every share row then
    // has two or three entries instead of repeating the whole cost expression.
    let provider_share = match (
        enforced.contains(&Limit::ProviderShare),
        sc.policy.max_provider_share,
    ) {
        (true, Some(sh)) if sh < 1.0 => Some(sh),
        _ => None,
    };
    let exposed: Vec<ProviderId> = sc
        .provider_ids()
        .filter(|p| sc.providers[p.index()].cloud_act_exposed && reachable[p.index()])
        .collect();
    let cloud_share = match (
        enforced.contains(&Limit::CloudActShare),
        sc.policy.max_cloud_act_share,
    ) {
        (true, Some(sh)) if sh < 1.0 && !exposed.is_empty() => Some(sh),
        _ => None,
    };
    let monthly: Expression = if provider_share.is_some() || cloud_share.is_some() {
        let mut total = Expression::default();
        let mut s_var: Vec<Option<Variable>> = vec![None; np];
        for p in sc.provider_ids().filter(|p| reachable[p.index()]) {
            let sp = b.continuous(Column::Spend(p));
            b.constraints
                .push(Expression::from(sp).eq(std::mem::take(&mut spend[p.index()])));
            s_var[p.index()] = Some(sp);
            total += sp;
        }
        let m = b.continuous(Column::Monthly);
        b.constraints.push(Expression::from(m).eq(total));
        if let Some(sh) = provider_share {
            for sp in s_var.iter().flatten() {
                b.constraints
                    .push((Expression::from(*sp) - sh * m).leq(0.0));
            }
        }
        if let Some(sh) = cloud_share {
            let sum = exposed
                .iter()
                .filter_map(|p| s_var[p.index()])
                .fold(Expression::default(), |e, v| e + v);
            b.constraints.push((sum - sh * m).leq(0.0));
        }
        m.into()
    } else {
        spend.into_iter().fold(Expression::default(), |e, x| e + x)
    };
    if let (true, Some(limit)) = (enforced.contains(&Limit::ExitCost), sc.policy.max_exit_cost) {
        for p in sc.provider_ids() {
            let mut exit = Expression::default();
            let mut any = false;
            for (g, members) in graph.groups.iter().enumerate() {
                for &(o, v) in &choices[g] {
                    if sc.provider_of(o) == p {
                        let c: f64 = members
                            .iter()
                            .map(|&s| crate::cost::exit_cost(sc, s, o))
                            .sum();
                        if c > 0.0 {
                            exit.add_mul(c, v);
                            any = true;
                        }
                    }
                }
            }
            if any {
                b.constraints.push(exit.leq(limit));
            }
        }
    }
    if let (true, Some(budget)) = (enforced.contains(&Limit::Budget), sc.policy.monthly_budget) {
        b.constraints.push(monthly.clone().leq(budget));
    }

    // Objective: horizon · monthly + migrations.
    let mut objective = monthly * sc.policy.horizon_months;
    for s in sc.service_ids() {
        let svc = &sc.services[s.index()];
        if let (Some(c), true) = (svc.current_offering, svc.migration_cost > 0.0) {
            objective += svc.migration_cost;
            if let Some(xc) = x(s, c) {
                objective.add_mul(-svc.migration_cost, xc);
            }
        }
    }

    Formulation {
        vars: b.vars,
        objective,
        constraints: b.constraints,
        graph,
        choices,
        columns: b.kinds.len(),
        kinds: b.kinds,
        twin_of,
        binaries: b.binaries,
    }
}

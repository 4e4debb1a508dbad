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
//!
//! Every auxiliary keeps both its upper and its lower pins even where no share row
//! could profit from a low value: then the model's objective equals the cost model for
//! *every* feasible solution, which the solver wrapper relies on to detect a wrong
//! answer (HiGHS 1.16 mis-mapped a MIP start through presolve when the lower pins were
//! left out and returned the start as optimal: oracle seeds 22 and 719).

use crate::instance::Instance;
use crate::model::cost::{exit_cost, run_cost};
use crate::model::{Dim, LimitKind, OfferingId, PolicyLimit, ProviderId, ServiceId};
use good_lp::{variable, Constraint, Expression, ProblemVariables, Variable};

/// The built model, ready to hand to a solver.
pub struct Formulation {
    /// All variables, in column order.
    pub vars: ProblemVariables,
    /// Minimised: `horizon · monthly_cost + one_off_cost`.
    pub objective: Expression,
    /// All rows.
    pub constraints: Vec<Constraint>,
    /// Meaning of every column, in column order.
    pub kinds: Vec<Column>,
    /// Number of binary variables.
    pub binaries: usize,
}

/// What a column of the model means; lets a placement be turned into a full solution
/// vector (a MIP start) and a solution be read back without knowing how the model was
/// built.
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

impl Formulation {
    /// Number of columns.
    pub fn columns(&self) -> usize {
        self.kinds.len()
    }

    /// The value of every column for a placement (`placement[s]` = offering of `s`),
    /// in column order: a complete MIP start for HiGHS.
    ///
    /// Offerings left out as twins are replaced by their twin first.
    pub fn values(&self, inst: &Instance, placement: &[OfferingId]) -> Vec<f64> {
        let sc = &inst.sc;
        let placement = inst.without_twins(placement);
        let e = crate::model::cost::evaluate(sc, &placement);
        let on = |s: ServiceId| placement[s.index()];
        let b = |x: bool| if x { 1.0 } else { 0.0 };
        self.kinds
            .iter()
            .map(|k| match *k {
                Column::Choice { group, offering } => {
                    b(on(inst.graph.groups[group][0]) == offering)
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
                Column::Used(p) => b(e.services_on[p.index()] > 0),
                Column::Spend(p) => e.spend[p.index()],
                Column::Monthly => e.monthly,
            })
            .collect()
    }
}

/// The placement a solution vector encodes, read from the `Choice` columns by their
/// meaning in `kinds` (the model's column order); `None` if a group is placed on no
/// or several offerings.
pub fn decode(kinds: &[Column], inst: &Instance, values: &[f64]) -> Option<Vec<OfferingId>> {
    let mut chosen: Vec<Option<OfferingId>> = vec![None; inst.groups()];
    for (kind, &value) in kinds.iter().zip(values) {
        if let Column::Choice { group, offering } = *kind {
            if value > crate::tolerance::BINARY_ON && chosen[group].replace(offering).is_some() {
                return None;
            }
        }
    }
    let chosen: Vec<OfferingId> = chosen.into_iter().collect::<Option<_>>()?;
    Some(
        inst.sc
            .service_ids()
            .map(|s| chosen[inst.group(s)])
            .collect(),
    )
}

/// Whether a limit's rows are stated on money (after the monthly total is built) or on
/// provider use (right after the use columns). The row order is part of what HiGHS
/// sees: kept as it has been since the first version, so that plans whose optimum is
/// tied stay byte-identical.
fn on_money(kind: LimitKind) -> bool {
    match kind {
        LimitKind::MinProviders => false,
        LimitKind::ProviderShare
        | LimitKind::CloudActShare
        | LimitKind::ExitCost
        | LimitKind::Budget => true,
    }
}

/// What the policy needs beyond the cost expressions.
#[derive(Debug, Default)]
struct Needs {
    /// A `u[p]` column for every reachable provider (to count providers).
    used: bool,
    /// A spend column per provider and a monthly column (for share rows).
    spend: bool,
}

/// Builds the model of an instance; every group must have at least one candidate
/// offering (checked by the caller, who can explain it).
pub fn formulate(inst: &Instance) -> Formulation {
    let mut b = Builder::new(inst);
    let needs = b.needs();
    b.assignment();
    b.provider_colocation();
    b.running_costs();
    b.traffic();
    b.provider_use(needs.used);
    let limits = inst.sc.policy.limits();
    for limit in limits.iter().filter(|l| !on_money(l.kind())) {
        b.limit(*limit, None);
    }
    b.capacity();
    let monthly = b.monthly(needs.spend);
    for limit in limits.iter().filter(|l| on_money(l.kind())) {
        b.limit(*limit, Some(&monthly));
    }
    let objective = b.objective(monthly);
    Formulation {
        vars: b.vars,
        objective,
        constraints: b.rows,
        kinds: b.kinds,
        binaries: b.binaries,
    }
}

/// The model under construction: one method per constraint family.
struct Builder<'a> {
    inst: &'a Instance,
    vars: ProblemVariables,
    rows: Vec<Constraint>,
    kinds: Vec<Column>,
    binaries: usize,
    /// Per group, its candidate offerings and their binary columns.
    choices: Vec<Vec<(OfferingId, Variable)>>,
    /// Per provider, the expression of its monthly spend.
    spend: Vec<Expression>,
    /// Per provider, whether some group can be placed there.
    reachable: Vec<bool>,
    /// Per provider, its spend column (only when a share limit needs one).
    spend_var: Vec<Option<Variable>>,
    /// Σ u[p] over the providers that have a use column.
    used: Expression,
}

impl<'a> Builder<'a> {
    fn new(inst: &'a Instance) -> Self {
        let np = inst.sc.providers.len();
        let mut b = Builder {
            inst,
            vars: ProblemVariables::new(),
            rows: Vec::new(),
            kinds: Vec::new(),
            binaries: 0,
            choices: Vec::new(),
            spend: (0..np).map(|_| Expression::default()).collect(),
            reachable: vec![false; np],
            spend_var: vec![None; np],
            used: Expression::default(),
        };
        b.choices = inst
            .choices
            .iter()
            .enumerate()
            .map(|(group, offs)| {
                offs.iter()
                    .map(|&offering| (offering, b.binary(Column::Choice { group, offering })))
                    .collect()
            })
            .collect();
        for row in &inst.choices {
            for &o in row {
                b.reachable[inst.sc.provider_of(o).index()] = true;
            }
        }
        b
    }

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

    /// Which auxiliary columns the policy's limits need.
    fn needs(&self) -> Needs {
        let sc = &self.inst.sc;
        let exposed = sc
            .provider_ids()
            .any(|p| sc.providers[p.index()].cloud_act_exposed && self.reachable[p.index()]);
        let mut n = Needs::default();
        for limit in sc.policy.limits() {
            match *limit {
                PolicyLimit::ProviderShare(sh) => n.spend |= sh < 1.0,
                PolicyLimit::CloudActShare(sh) => n.spend |= sh < 1.0 && exposed,
                PolicyLimit::MinProviders(_) => n.used = true,
                PolicyLimit::ExitCost(_) | PolicyLimit::Budget(_) => {}
            }
        }
        n
    }

    /// x[s,o] (None when o is no candidate of s's group).
    fn x(&self, s: ServiceId, o: OfferingId) -> Option<Variable> {
        let row = &self.choices[self.inst.group(s)];
        row.binary_search_by_key(&o, |c| c.0).ok().map(|i| row[i].1)
    }

    /// X[g,p] = Σ x[g,o] over p's offerings; None when p has no candidate of g.
    fn at_provider(&self, g: usize, p: ProviderId) -> Option<Expression> {
        let mut e = Expression::with_capacity(self.choices[g].len());
        let mut any = false;
        for &(o, v) in &self.choices[g] {
            if self.inst.sc.provider_of(o) == p {
                e.add_mul(1.0, v);
                any = true;
            }
        }
        any.then_some(e)
    }

    /// Every group on exactly one offering.
    fn assignment(&mut self) {
        for row in &self.choices {
            let sum = row.iter().fold(Expression::default(), |e, &(_, v)| e + v);
            self.rows.push(sum.eq(1.0));
        }
    }

    /// colocate "provider": every offering group of a provider group sits at the
    /// provider of the group's first member (X[g,p] = X[g0,p] for every provider).
    fn provider_colocation(&mut self) {
        let inst = self.inst;
        for pg in &inst.graph.provider_groups {
            let g0 = pg[0];
            for &g in &pg[1..] {
                for p in inst.sc.provider_ids() {
                    match (self.at_provider(g0, p), self.at_provider(g, p)) {
                        (None, None) => {}
                        (Some(a), Some(b)) => self.rows.push(a.eq(b)),
                        (Some(e), None) | (None, Some(e)) => self.rows.push(e.eq(0.0)),
                    }
                }
            }
        }
    }

    /// Running costs into the providers' spend, summed per group because members
    /// share the variable.
    fn running_costs(&mut self) {
        let sc = &self.inst.sc;
        for (g, members) in self.inst.graph.groups.iter().enumerate() {
            for &(o, v) in &self.choices[g] {
                let c: f64 = members.iter().map(|&s| run_cost(sc, s, o)).sum();
                if c != 0.0 {
                    self.spend[sc.provider_of(o).index()].add_mul(c, v);
                }
            }
        }
    }

    /// Traffic cost of every dependency between two different groups.
    fn traffic(&mut self) {
        let inst = self.inst;
        for (dep, d) in inst.sc.dependencies.iter().enumerate() {
            if d.traffic_gb_month != 0.0 && inst.group(d.from) != inst.group(d.to) {
                self.dependency_traffic(dep);
            }
        }
    }

    /// The traffic of one dependency a→b, charged to the sender's provider: egress on
    /// every sender offering, less the saving when b sits at the same provider (`v`)
    /// and the rest when b sits on the same offering (`w`).
    fn dependency_traffic(&mut self, dep: usize) {
        let inst = self.inst;
        let sc = &inst.sc;
        let d = &sc.dependencies[dep];
        let (t, a, b) = (d.traffic_gb_month, d.from, d.to);
        let forced = inst.graph.same_provider_forced(a, b);
        let mut v_by_provider: Vec<Vec<Variable>> = vec![Vec::new(); sc.providers.len()];
        for k in 0..self.choices[inst.group(a)].len() {
            let (o, xa) = self.choices[inst.group(a)][k];
            let p = sc.provider_of(o);
            let pr = sc.offerings[o.index()].prices;
            let mut cost = Expression::with_capacity(3);
            cost.add_mul(t * pr.egress_gb, xa);
            let saving = t * (pr.egress_gb - pr.inter_region_gb);
            if let (true, Some(xb_p)) = (saving > 0.0, self.at_provider(inst.group(b), p)) {
                if forced {
                    cost.add_mul(-saving, xa);
                } else {
                    let v = self.unit(Column::SameProvider { dep, offering: o });
                    self.rows.push(Expression::from(v).leq(xa));
                    self.rows
                        .push(Expression::from(v).geq(Expression::from(xa) + xb_p - 1.0));
                    v_by_provider[p.index()].push(v);
                    cost.add_mul(-saving, v);
                }
            }
            let same = t * pr.inter_region_gb;
            if let (true, Some(xb)) = (same > 0.0, self.x(b, o)) {
                let w = self.unit(Column::SameOffering { dep, offering: o });
                self.rows.push(Expression::from(w).leq(xa));
                self.rows.push(Expression::from(w).leq(xb));
                self.rows
                    .push(Expression::from(w).geq(Expression::from(xa) + xb - 1.0));
                cost.add_mul(-same, w);
            }
            self.spend[p.index()] += cost;
        }
        // v[d,o] ≤ X[b,p]; summed over p's offerings because the sender sits on at most
        // one of them, which gives one row per provider and a tighter relaxation.
        for (p, vs) in v_by_provider.into_iter().enumerate() {
            if vs.is_empty() {
                continue;
            }
            let sum = vs.into_iter().fold(Expression::default(), |e, v| e + v);
            if let Some(xb_p) = self.at_provider(inst.group(b), ProviderId(p as u32)) {
                self.rows.push(sum.leq(xb_p));
            }
        }
    }

    /// `u[p]` for every reachable provider with a fee (or every one when providers
    /// must be counted), pinned from both sides, and the fee in its spend.
    fn provider_use(&mut self, count_all: bool) {
        let inst = self.inst;
        for p in inst.sc.provider_ids() {
            let fee = inst.sc.providers[p.index()].monthly_fee;
            if !self.reachable[p.index()] || (fee == 0.0 && !count_all) {
                continue;
            }
            let u = self.binary(Column::Used(p));
            let mut any = Expression::default();
            for g in 0..inst.groups() {
                if let Some(xg) = self.at_provider(g, p) {
                    self.rows.push(Expression::from(u).geq(xg.clone()));
                    any += xg;
                }
            }
            self.rows.push(Expression::from(u).leq(any));
            if fee > 0.0 {
                self.spend[p.index()].add_mul(fee, u);
            }
            self.used += u;
        }
    }

    /// Capacity per offering and dimension.
    fn capacity(&mut self) {
        let inst = self.inst;
        for o in inst.sc.offering_ids() {
            let cap = inst.sc.offerings[o.index()].capacity;
            for dim in Dim::ALL {
                let Some(limit) = cap.get(dim) else { continue };
                let mut load = Expression::default();
                let mut any = false;
                for (g, members) in inst.graph.groups.iter().enumerate() {
                    let Ok(i) = self.choices[g].binary_search_by_key(&o, |c| c.0) else {
                        continue;
                    };
                    let need: f64 = members
                        .iter()
                        .map(|&s| inst.sc.services[s.index()].demand.get(dim))
                        .sum();
                    if need > 0.0 {
                        load.add_mul(need, self.choices[g][i].1);
                        any = true;
                    }
                }
                if any {
                    self.rows.push(load.leq(limit));
                }
            }
        }
    }

    /// The monthly cost. With share limits, written as one column per provider's spend
    /// and one for the total, each pinned by an equality row: every share row then has
    /// two or three entries instead of repeating the whole cost expression.
    fn monthly(&mut self, with_spend_columns: bool) -> Expression {
        if !with_spend_columns {
            return std::mem::take(&mut self.spend)
                .into_iter()
                .fold(Expression::default(), |e, x| e + x);
        }
        let mut total = Expression::default();
        for p in self.inst.sc.provider_ids() {
            if !self.reachable[p.index()] {
                continue;
            }
            let sp = self.continuous(Column::Spend(p));
            let spend = std::mem::take(&mut self.spend[p.index()]);
            self.rows.push(Expression::from(sp).eq(spend));
            self.spend_var[p.index()] = Some(sp);
            total += sp;
        }
        let m = self.continuous(Column::Monthly);
        self.rows.push(Expression::from(m).eq(total));
        m.into()
    }

    /// The rows of one policy limit; `monthly` is the monthly cost, built before any
    /// limit stated on money (see [`on_money`]).
    fn limit(&mut self, limit: PolicyLimit, monthly: Option<&Expression>) {
        let monthly = || monthly.expect("limits on money are stated after the monthly total");
        match limit {
            PolicyLimit::ProviderShare(sh) => {
                if sh < 1.0 {
                    for sp in self.spend_var.iter().flatten() {
                        self.rows
                            .push((Expression::from(*sp) - sh * monthly().clone()).leq(0.0));
                    }
                }
            }
            PolicyLimit::MinProviders(k) => {
                self.rows.push(self.used.clone().geq(f64::from(k)));
            }
            PolicyLimit::CloudActShare(sh) => {
                let sc = &self.inst.sc;
                let exposed: Vec<Variable> = sc
                    .provider_ids()
                    .filter(|p| sc.providers[p.index()].cloud_act_exposed)
                    .filter_map(|p| self.spend_var[p.index()])
                    .collect();
                if sh < 1.0 && !exposed.is_empty() {
                    let sum = exposed
                        .into_iter()
                        .fold(Expression::default(), |e, v| e + v);
                    self.rows.push((sum - sh * monthly().clone()).leq(0.0));
                }
            }
            PolicyLimit::ExitCost(limit) => self.exit_rows(limit),
            PolicyLimit::Budget(budget) => self.rows.push(monthly().clone().leq(budget)),
        }
    }

    /// exit_cost(p) ≤ limit for every provider.
    fn exit_rows(&mut self, limit: f64) {
        let inst = self.inst;
        for p in inst.sc.provider_ids() {
            let mut exit = Expression::default();
            let mut any = false;
            for (g, members) in inst.graph.groups.iter().enumerate() {
                for &(o, v) in &self.choices[g] {
                    if inst.sc.provider_of(o) != p {
                        continue;
                    }
                    let c: f64 = members.iter().map(|&s| exit_cost(&inst.sc, s, o)).sum();
                    if c > 0.0 {
                        exit.add_mul(c, v);
                        any = true;
                    }
                }
            }
            if any {
                self.rows.push(exit.leq(limit));
            }
        }
    }

    /// horizon · monthly + migrations (a constant for every service that has a current
    /// offering, less the same amount on the column that keeps it there).
    fn objective(&self, monthly: Expression) -> Expression {
        let sc = &self.inst.sc;
        let mut objective = monthly * sc.policy.horizon_months;
        for s in sc.service_ids() {
            let svc = &sc.services[s.index()];
            if let (Some(c), true) = (svc.current_offering, svc.migration_cost > 0.0) {
                objective += svc.migration_cost;
                if let Some(xc) = self.x(s, c) {
                    objective.add_mul(-svc.migration_cost, xc);
                }
            }
        }
        objective
    }
}

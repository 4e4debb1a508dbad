//! The MILP of a roadmap. Pure: builds variables and constraints, no I/O, no solver call.
//!
//! Decision: where each placement group (services joined by `colocate: "offering"`)
//! runs in each planning year, a *slot*: either a fixed offering (the group cannot move
//! that year: a member's contract runs until `movable_from`) or a set of binaries
//! `x[g,o,y]`, one per roadmap candidate `o` with `Σ_o x = 1`. A group without any
//! current offering (new services) is placed once: one set for every year.
//!
//! A group's roadmap candidates are its eligible offerings (twins left out, as in the
//! single-period model: replacing a twin by its earlier twin in every year changes no
//! figure) plus each member's current offering where every other member may sit too
//! (it is the "stay" column even when it is not eligible). For each member with current
//! offering `c`: `x[g,c,y] ≥ x[g,c,y+1]` (once left, never back) and `x[g,t,y] ≤
//! x[g,t,y+1]` for every `t ≠ c` (once arrived, it stays), which together allow at most
//! one move, to one target; `x[g,c,final] = 0` when `c` is not eligible. Members with
//! different current offerings get their rows each: the group is exact for them too. A
//! new member in a group with current offerings pins the group (x[g,o,y] = x[g,o,y+1]):
//! a new service is placed once.
//!
//! Per year, the single-period families on that year's slots, under that year's policy
//! ([`crate::model::Roadmap::policy_in`]): provider co-location, running costs, traffic
//! (the McCormick columns only where both ends are variable, shared by years with the
//! same pair of slots), provider use, capacity, the monthly total and the policy's
//! limits. moves(y) = Σ_s (x[g,c,y−1] − x[g,c,y]) with x[g,c,start−1] = 1;
//! one_off(y) weighs the same terms by the migration costs; the yearly limits bound
//! moves(y), one_off(y) and 12·monthly(y) + one_off(y). Minimised: Σ_y 12·monthly(y) +
//! one_off(y).

use crate::instance::Instance;
use crate::model::cost::{exit_cost, run_cost, traffic_cost};
use crate::model::{Dim, OfferingId, Policy, PolicyLimit, ProviderId, ServiceId, YearLimit};
use good_lp::{variable, Constraint, Expression, IntoAffineExpression, ProblemVariables, Variable};
use std::collections::HashMap;

/// Where a placement group is in one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    /// On this offering, whatever the plan (no variable).
    Fixed(OfferingId),
    /// On one offering of choice set `k` ([`RoadmapFormulation::sets`]).
    Set(usize),
}

/// The built roadmap model, ready to hand to a solver.
pub struct RoadmapFormulation {
    /// All variables, in column order.
    pub vars: ProblemVariables,
    /// Minimised: Σ_y 12 · monthly(y) + one_off(y).
    pub objective: Expression,
    /// All rows.
    pub constraints: Vec<Constraint>,
    /// Number of columns.
    pub columns: usize,
    /// Number of binary columns.
    pub binaries: usize,
    /// Where every group is in every year: what a solution vector means.
    pub layout: Layout,
    /// Whether a rule was found while building that no plan can keep (two members of a
    /// group held on different offerings, a capacity its fixed load exceeds, ...): the
    /// roadmap is infeasible, and the rows are not worth solving.
    pub impossible: bool,
}

/// The meaning of the choice columns: which slot every group has in every year.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Per placement group and year index, its slot.
    pub slots: Vec<Vec<Slot>>,
    /// Choice sets: per set, each candidate offering with its column index.
    pub sets: Vec<Vec<(OfferingId, usize)>>,
}

impl Layout {
    /// The schedule a solution vector encodes (`schedule[y][s]`); `None` if a group
    /// sits on no or several offerings of a set.
    pub fn decode(&self, inst: &Instance, values: &[f64]) -> Option<Vec<Vec<OfferingId>>> {
        let chosen: Vec<Option<OfferingId>> = self
            .sets
            .iter()
            .map(|set| {
                let mut on = set.iter().filter(|&&(_, col)| {
                    values.get(col).copied().unwrap_or(0.0) > crate::tolerance::BINARY_ON
                });
                match (on.next(), on.next()) {
                    (Some(&(o, _)), None) => Some(o),
                    _ => None,
                }
            })
            .collect();
        let years = self.slots.first().map_or(0, Vec::len);
        (0..years)
            .map(|y| {
                inst.sc
                    .service_ids()
                    .map(|s| match self.slots[inst.group(s)][y] {
                        Slot::Fixed(o) => Some(o),
                        Slot::Set(k) => chosen[k],
                    })
                    .collect()
            })
            .collect()
    }
}

impl Layout {
    /// The choice columns' values (column, 0 or 1) that encode `schedule`, for a MIP
    /// start; `None` if the model cannot express it (a fixed slot elsewhere, a set
    /// shared by years that differ, an offering not among the set's candidates).
    pub fn encode(
        &self,
        inst: &Instance,
        schedule: &[Vec<OfferingId>],
    ) -> Option<Vec<(usize, f64)>> {
        let mut chosen: Vec<Option<OfferingId>> = vec![None; self.sets.len()];
        for (g, slots) in self.slots.iter().enumerate() {
            let first = inst.graph.groups.get(g)?.first()?.index();
            for (y, slot) in slots.iter().enumerate() {
                // A twin left out of the model stands for the one kept.
                let o = inst.without_twins(&[*schedule.get(y)?.get(first)?])[0];
                match *slot {
                    Slot::Fixed(f) if f != o => return None,
                    Slot::Fixed(_) => {}
                    Slot::Set(k) => match chosen[k] {
                        Some(c) if c != o => return None,
                        _ => chosen[k] = Some(o),
                    },
                }
            }
        }
        let mut out = Vec::new();
        for (set, c) in self.sets.iter().zip(chosen) {
            let c = c?;
            if !set.iter().any(|&(o, _)| o == c) {
                return None;
            }
            out.extend(
                set.iter()
                    .map(|&(o, col)| (col, if o == c { 1.0 } else { 0.0 })),
            );
        }
        Some(out)
    }
}

/// A term of a row: a constant 0 or 1, or a binary column.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Val {
    Zero,
    One,
    Var(Variable),
}

impl Val {
    fn expr(self) -> Expression {
        match self {
            Val::Zero => Expression::default(),
            Val::One => Expression::from(1.0),
            Val::Var(v) => v.into(),
        }
    }
}

/// Whether an expression has no column (it is a constant).
fn constant_only(e: &Expression) -> bool {
    e.linear_coefficients().next().is_none()
}

/// Builds the roadmap model of an instance whose scenario has a roadmap; every group
/// must have at least one candidate offering (checked by the caller).
pub fn formulate_roadmap(inst: &Instance) -> RoadmapFormulation {
    let mut b = Builder::new(inst);
    b.slots();
    b.stay_or_move();
    let mut objective = Expression::default();
    for y in 0..b.years.len() {
        let (monthly, one_off) = b.year(y);
        objective += 12.0 * monthly + one_off;
    }
    RoadmapFormulation {
        vars: b.vars,
        objective,
        constraints: b.rows,
        columns: b.columns,
        binaries: b.binaries,
        layout: Layout {
            slots: b.slots,
            sets: b
                .sets
                .iter()
                .map(|s| s.iter().map(|&(o, _, col)| (o, col)).collect())
                .collect(),
        },
        impossible: b.impossible,
    }
}

/// Traffic cost terms, each charged to a provider (the sender's).
type Charges = Vec<(ProviderId, Expression)>;

/// The model under construction.
struct Builder<'a> {
    inst: &'a Instance,
    /// The planning years, in order.
    years: Vec<i32>,
    vars: ProblemVariables,
    rows: Vec<Constraint>,
    columns: usize,
    binaries: usize,
    /// Per group, its roadmap candidates (sorted).
    cands: Vec<Vec<OfferingId>>,
    slots: Vec<Vec<Slot>>,
    sets: Vec<Vec<(OfferingId, Variable, usize)>>,
    /// Traffic terms per (dependency, sender slot, receiver slot): years with the same
    /// slots share them (and their McCormick columns).
    traffic: HashMap<(usize, Slot, Slot), Charges>,
    impossible: bool,
}

impl<'a> Builder<'a> {
    fn new(inst: &'a Instance) -> Self {
        // Without a roadmap (not a case the caller builds): one year.
        let years = inst
            .sc
            .roadmap
            .as_ref()
            .map_or(vec![1], |r| r.year_list().collect());
        let cands = (0..inst.groups()).map(|g| candidates(inst, g)).collect();
        Builder {
            inst,
            years,
            vars: ProblemVariables::new(),
            rows: Vec::new(),
            columns: 0,
            binaries: 0,
            cands,
            slots: Vec::new(),
            sets: Vec::new(),
            traffic: HashMap::new(),
            impossible: false,
        }
    }

    fn binary(&mut self) -> Variable {
        self.columns += 1;
        self.binaries += 1;
        self.vars.add(variable().binary())
    }

    fn continuous(&mut self) -> Variable {
        self.columns += 1;
        self.vars.add(variable().min(0.0))
    }

    fn unit(&mut self) -> Variable {
        self.columns += 1;
        self.vars.add(variable().min(0.0).max(1.0))
    }

    /// `lhs ≤ rhs`; a row without a column is only checked.
    fn leq(&mut self, lhs: Expression, rhs: f64) {
        if constant_only(&lhs) {
            let c = lhs.constant();
            // A constant row is decided here, with the solver's feasibility tolerance.
            if c > rhs + 1e-6_f64.max(1e-9 * rhs.abs()) {
                self.impossible = true;
            }
        } else {
            self.rows.push(lhs.leq(rhs));
        }
    }

    /// `lhs = rhs`; a row without a column is only checked.
    fn eq(&mut self, lhs: Expression, rhs: f64) {
        if constant_only(&lhs) {
            if (lhs.constant() - rhs).abs() > 1e-9 {
                self.impossible = true;
            }
        } else {
            self.rows.push(lhs.eq(rhs));
        }
    }

    /// `a ≤ b` between two terms.
    fn le_val(&mut self, a: Val, b: Val) {
        match (a, b) {
            (Val::Zero, _) | (_, Val::One) => {}
            (Val::Var(x), Val::Var(y)) if x == y => {}
            _ => self.leq(a.expr() - b.expr(), 0.0),
        }
    }

    /// Group `g` on offering `o` in year index `y`.
    fn val(&self, g: usize, o: OfferingId, y: usize) -> Val {
        match self.slots[g][y] {
            Slot::Fixed(f) if f == o => Val::One,
            Slot::Fixed(_) => Val::Zero,
            Slot::Set(k) => {
                let set = &self.sets[k];
                match set.binary_search_by_key(&o, |c| c.0) {
                    Ok(i) => Val::Var(set[i].1),
                    Err(_) => Val::Zero,
                }
            }
        }
    }

    /// X[g,p,y]: Σ x[g,o,y] over p's offerings (a constant for a fixed slot).
    fn at_provider(&self, g: usize, p: ProviderId, y: usize) -> Expression {
        let sc = &self.inst.sc;
        match self.slots[g][y] {
            Slot::Fixed(f) => Expression::from(f64::from(u8::from(sc.provider_of(f) == p))),
            Slot::Set(k) => self.sets[k]
                .iter()
                .filter(|c| sc.provider_of(c.0) == p)
                .fold(Expression::default(), |e, c| e + c.1),
        }
    }

    /// Whether group `g` can be at provider `p` in year `y`.
    fn reaches(&self, g: usize, p: ProviderId, y: usize) -> bool {
        let sc = &self.inst.sc;
        match self.slots[g][y] {
            Slot::Fixed(f) => sc.provider_of(f) == p,
            Slot::Set(k) => self.sets[k].iter().any(|c| sc.provider_of(c.0) == p),
        }
    }
}

/// A group's roadmap candidates: its choices, plus each member's current offering where
/// every member may sit (eligible for it, or its own current offering).
fn candidates(inst: &Instance, g: usize) -> Vec<OfferingId> {
    let sc = &inst.sc;
    let members = &inst.graph.groups[g];
    let mut out = inst.choices[g].clone();
    for &s in members {
        let Some(c) = sc.services[s.index()].current_offering else {
            continue;
        };
        let fits = members
            .iter()
            .all(|&m| sc.services[m.index()].current_offering == Some(c) || sc.is_eligible(m, c));
        if fits && !out.contains(&c) {
            out.push(c);
        }
    }
    out.sort();
    out
}

/// A member's current offering, if it has one.
fn current(inst: &Instance, s: ServiceId) -> Option<OfferingId> {
    inst.sc.services[s.index()].current_offering
}

impl Builder<'_> {
    /// Every group's slot in every year, with the assignment row of every set.
    fn slots(&mut self) {
        let inst = self.inst;
        for g in 0..inst.groups() {
            let members = &inst.graph.groups[g];
            let placed_once = members.iter().all(|&s| current(inst, s).is_none());
            let mut row = Vec::with_capacity(self.years.len());
            for y in 0..self.years.len() {
                let slot = match (placed_once, y, self.held(g, self.years[y])) {
                    (true, 0, _) | (false, _, None) => Slot::Set(self.new_set(g)),
                    (true, _, _) => row[0],
                    (false, _, Some(o)) => Slot::Fixed(o),
                };
                row.push(slot);
            }
            self.slots.push(row);
        }
    }

    /// The offering a group is held on in `year` by a member whose contract runs until
    /// later (`None`: free to choose). Two members held on different offerings, or on
    /// one the others may not share, make the roadmap infeasible.
    fn held(&mut self, g: usize, year: i32) -> Option<OfferingId> {
        let inst = self.inst;
        let mut held = None;
        for &s in &inst.graph.groups[g] {
            let svc = &inst.sc.services[s.index()];
            let (Some(c), Some(from)) = (svc.current_offering, svc.movable_from) else {
                continue;
            };
            if year < from {
                if held.is_some_and(|h| h != c) || !self.cands[g].contains(&c) {
                    self.impossible = true;
                }
                held = Some(c);
            }
        }
        held
    }

    /// A fresh choice set over group `g`'s candidates, with its assignment row.
    fn new_set(&mut self, g: usize) -> usize {
        let cands = self.cands[g].clone();
        let set: Vec<(OfferingId, Variable, usize)> = cands
            .into_iter()
            .map(|o| {
                let col = self.columns;
                (o, self.binary(), col)
            })
            .collect();
        let sum = set.iter().fold(Expression::default(), |e, c| e + c.1);
        self.eq(sum, 1.0);
        self.sets.push(set);
        self.sets.len() - 1
    }

    /// Per member with a current offering: it leaves its current offering at most once
    /// and stays on its target; an ineligible current offering is left by the end.
    fn stay_or_move(&mut self) {
        let inst = self.inst;
        let last = self.years.len() - 1;
        for g in 0..inst.groups() {
            let mut currents: Vec<OfferingId> = inst.graph.groups[g]
                .iter()
                .filter_map(|&s| current(inst, s))
                .collect();
            currents.sort();
            currents.dedup();
            for &c in &currents {
                for y in 1..=last {
                    self.le_val(self.val(g, c, y), self.val(g, c, y - 1));
                    for t in self.cands[g].clone() {
                        if t != c {
                            self.le_val(self.val(g, t, y - 1), self.val(g, t, y));
                        }
                    }
                }
            }
            // A new service is placed once: sharing a group with services that run
            // somewhere today (which may move), it pins the group to one offering.
            // (A group of new services only has one set for all years: no rows.)
            let has_new = inst.graph.groups[g]
                .iter()
                .any(|&s| current(inst, s).is_none());
            if has_new && !currents.is_empty() {
                for y in 1..=last {
                    for o in self.cands[g].clone() {
                        self.le_val(self.val(g, o, y - 1), self.val(g, o, y));
                        self.le_val(self.val(g, o, y), self.val(g, o, y - 1));
                    }
                }
            }
            for &s in &inst.graph.groups[g] {
                if let Some(c) = current(inst, s).filter(|&c| !inst.sc.is_eligible(s, c)) {
                    self.le_val(self.val(g, c, last), Val::Zero);
                }
            }
        }
    }
}

/// One year's expressions: each provider's spend, and what the limits need.
struct YearCosts {
    spend: Vec<Expression>,
    /// Per provider: whether some group can be there this year.
    reachable: Vec<bool>,
    /// Σ u[p] (providers in use), when counted.
    used: Expression,
}

impl Builder<'_> {
    /// One year's rows; returns its monthly cost and one-off cost.
    fn year(&mut self, y: usize) -> (Expression, Expression) {
        let inst = self.inst;
        let year = self.years[y];
        let policy = match &inst.sc.roadmap {
            Some(r) => r.policy_in(&inst.sc.policy, year),
            None => inst.sc.policy.clone(),
        };
        let np = inst.sc.providers.len();
        let mut yc = YearCosts {
            spend: (0..np).map(|_| Expression::default()).collect(),
            reachable: (0..np)
                .map(|p| (0..inst.groups()).any(|g| self.reaches(g, ProviderId(p as u32), y)))
                .collect(),
            used: Expression::default(),
        };
        self.provider_colocation(y);
        self.running_costs(y, &mut yc);
        self.traffic(y, &mut yc);
        let count = policy
            .limits()
            .iter()
            .any(|l| matches!(l, PolicyLimit::MinProviders(_)));
        self.provider_use(y, count, &mut yc);
        self.capacity(y);
        let (monthly, spend_vars) = self.monthly(&policy, &mut yc);
        self.limits(y, &policy, &yc, &monthly, &spend_vars);
        let (moves, one_off) = self.moves(y);
        self.year_limits(&monthly, &moves, &one_off);
        (monthly, one_off)
    }

    /// colocate "provider": X[g,p,y] = X[g0,p,y] within every provider group.
    fn provider_colocation(&mut self, y: usize) {
        let inst = self.inst;
        for pg in &inst.graph.provider_groups {
            let g0 = pg[0];
            for &g in &pg[1..] {
                for p in inst.sc.provider_ids() {
                    if self.reaches(g0, p, y) || self.reaches(g, p, y) {
                        let row = self.at_provider(g0, p, y) - self.at_provider(g, p, y);
                        self.eq(row, 0.0);
                    }
                }
            }
        }
    }

    /// Running costs into the providers' spend.
    fn running_costs(&mut self, y: usize, yc: &mut YearCosts) {
        let sc = &self.inst.sc;
        for (g, members) in self.inst.graph.groups.iter().enumerate() {
            for &o in &self.cands[g] {
                let c: f64 = members.iter().map(|&s| run_cost(sc, s, o)).sum();
                let v = self.val(g, o, y);
                if c != 0.0 && v != Val::Zero {
                    yc.spend[sc.provider_of(o).index()] += c * v.expr();
                }
            }
        }
    }

    /// Traffic of every dependency between two groups, charged to the sender's provider.
    fn traffic(&mut self, y: usize, yc: &mut YearCosts) {
        let inst = self.inst;
        for (dep, d) in inst.sc.dependencies.iter().enumerate() {
            let (ga, gb) = (inst.group(d.from), inst.group(d.to));
            if d.traffic_gb_month == 0.0 || ga == gb {
                continue;
            }
            let key = (dep, self.slots[ga][y], self.slots[gb][y]);
            if !self.traffic.contains_key(&key) {
                let charges = self.dependency_traffic(dep, y);
                self.traffic.insert(key, charges);
            }
            for (p, e) in &self.traffic[&key] {
                yc.spend[p.index()] += e.clone();
            }
        }
    }

    /// The traffic terms of one dependency a→b in year `y`: linear when either end is
    /// fixed, else as the single-period model (egress, less the saving when b is at the
    /// sender's provider `v`, less the rest when on the same offering `w`).
    fn dependency_traffic(&mut self, dep: usize, y: usize) -> Charges {
        let inst = self.inst;
        let sc = &inst.sc;
        let d = &sc.dependencies[dep];
        let (t, ga, gb) = (d.traffic_gb_month, inst.group(d.from), inst.group(d.to));
        let mut out = Charges::new();
        let senders: Vec<(OfferingId, Val)> = self.cands[ga]
            .iter()
            .map(|&o| (o, self.val(ga, o, y)))
            .filter(|&(_, v)| v != Val::Zero)
            .collect();
        for (o, xa) in senders {
            let p = sc.provider_of(o);
            let pr = sc.offerings[o.index()].prices;
            let mut cost = Expression::default();
            if let Slot::Fixed(ob) = self.slots[gb][y] {
                cost += traffic_cost(sc, t, o, ob) * xa.expr();
                out.push((p, cost));
                continue;
            }
            cost += t * pr.egress_gb * xa.expr();
            let saving = t * (pr.egress_gb - pr.inter_region_gb);
            let same = t * pr.inter_region_gb;
            let xb_p = self.at_provider(gb, p, y);
            let xb_o = self.val(gb, o, y);
            if inst.graph.same_provider_forced(d.from, d.to) {
                cost -= saving * xa.expr();
            } else if saving > 0.0 {
                let v = match xa {
                    Val::One => xb_p,
                    // b is at p or not whatever the plan: no column needed.
                    _ if constant_only(&xb_p) => xb_p.constant() * xa.expr(),
                    _ => self.both_expr(xa, xb_p),
                };
                cost -= saving * v;
            }
            if same > 0.0 {
                let w = self.both(xa, xb_o);
                cost -= same * w;
            }
            out.push((p, cost));
        }
        out
    }

    /// xa ∧ xb as an expression (a McCormick column when both are variable).
    fn both(&mut self, xa: Val, xb: Val) -> Expression {
        match (xa, xb) {
            (Val::Zero, _) | (_, Val::Zero) => Expression::default(),
            (Val::One, b) => b.expr(),
            (a, Val::One) => a.expr(),
            (a, b) => self.both_expr(a, b.expr()),
        }
    }

    /// xa ∧ e for a 0/1 expression `e`, pinned from both sides.
    fn both_expr(&mut self, xa: Val, e: Expression) -> Expression {
        let w = self.unit();
        self.rows.push(Expression::from(w).leq(xa.expr()));
        self.rows.push(Expression::from(w).leq(e.clone()));
        self.rows.push(Expression::from(w).geq(xa.expr() + e - 1.0));
        w.into()
    }
}

impl Builder<'_> {
    /// `u[p,y]` where a fee or a provider count needs it: 1 when a fixed group is there,
    /// else a binary pinned from both sides.
    fn provider_use(&mut self, y: usize, count_all: bool, yc: &mut YearCosts) {
        let inst = self.inst;
        for p in inst.sc.provider_ids() {
            let fee = inst.sc.providers[p.index()].monthly_fee;
            if !yc.reachable[p.index()] || (fee == 0.0 && !count_all) {
                continue;
            }
            let fixed_there = (0..inst.groups())
                .any(|g| matches!(self.slots[g][y], Slot::Fixed(f) if inst.sc.provider_of(f) == p));
            let u = if fixed_there {
                Expression::from(1.0)
            } else {
                let u = self.binary();
                let mut any = Expression::default();
                let there: Vec<usize> = (0..inst.groups())
                    .filter(|&g| self.reaches(g, p, y))
                    .collect();
                for g in there {
                    let xg = self.at_provider(g, p, y);
                    self.rows.push(Expression::from(u).geq(xg.clone()));
                    any += xg;
                }
                self.rows.push(Expression::from(u).leq(any));
                u.into()
            };
            if fee > 0.0 {
                yc.spend[p.index()] += fee * u.clone();
            }
            yc.used += u;
        }
    }

    /// Capacity per offering and dimension in year `y`.
    fn capacity(&mut self, y: usize) {
        let inst = self.inst;
        for o in inst.sc.offering_ids() {
            let cap = inst.sc.offerings[o.index()].capacity;
            for dim in Dim::ALL {
                let Some(limit) = cap.get(dim) else { continue };
                let mut load = Expression::default();
                for (g, members) in inst.graph.groups.iter().enumerate() {
                    let need: f64 = members
                        .iter()
                        .map(|&s| inst.sc.services[s.index()].demand.get(dim))
                        .sum();
                    let v = self.val(g, o, y);
                    if need > 0.0 && v != Val::Zero {
                        load += need * v.expr();
                    }
                }
                self.leq(load, limit);
            }
        }
    }

    /// The year's monthly cost; with a share limit as one column per provider's spend
    /// and one for the total, each pinned by an equality (short share rows).
    fn monthly(
        &mut self,
        policy: &Policy,
        yc: &mut YearCosts,
    ) -> (Expression, Vec<Option<Variable>>) {
        let np = self.inst.sc.providers.len();
        let shares = policy.limits().iter().any(|l| match *l {
            PolicyLimit::ProviderShare(sh) | PolicyLimit::CloudActShare(sh) => sh < 1.0,
            _ => false,
        });
        if !shares {
            let total = yc
                .spend
                .iter()
                .fold(Expression::default(), |e, x| e + x.clone());
            return (total, vec![None; np]);
        }
        let mut vars = vec![None; np];
        let mut total = Expression::default();
        for (p, var) in vars.iter_mut().enumerate() {
            if !yc.reachable[p] {
                continue;
            }
            let sp = self.continuous();
            self.rows.push(Expression::from(sp).eq(yc.spend[p].clone()));
            *var = Some(sp);
            total += sp;
        }
        let m = self.continuous();
        self.rows.push(Expression::from(m).eq(total));
        (m.into(), vars)
    }

    /// The rows of the year's policy limits.
    fn limits(
        &mut self,
        y: usize,
        policy: &Policy,
        yc: &YearCosts,
        monthly: &Expression,
        spend: &[Option<Variable>],
    ) {
        let sc = &self.inst.sc;
        for limit in policy.limits() {
            match *limit {
                PolicyLimit::ProviderShare(sh) if sh < 1.0 => {
                    for sp in spend.iter().flatten() {
                        self.leq(Expression::from(*sp) - sh * monthly.clone(), 0.0);
                    }
                }
                PolicyLimit::ProviderShare(_) => {}
                PolicyLimit::MinProviders(k) => self.leq(f64::from(k) - yc.used.clone(), 0.0),
                PolicyLimit::CloudActShare(sh) => {
                    let exposed = sc
                        .provider_ids()
                        .filter(|p| sc.providers[p.index()].cloud_act_exposed)
                        .filter_map(|p| spend[p.index()])
                        .fold(Expression::default(), |e, v| e + v);
                    if sh < 1.0 {
                        self.leq(exposed - sh * monthly.clone(), 0.0);
                    }
                }
                PolicyLimit::ExitCost(limit) => self.exit_rows(y, limit),
                PolicyLimit::Budget(b) => self.leq(monthly.clone(), b),
            }
        }
    }

    /// exit_cost(p, y) ≤ limit for every provider.
    fn exit_rows(&mut self, y: usize, limit: f64) {
        let inst = self.inst;
        for p in inst.sc.provider_ids() {
            let mut exit = Expression::default();
            for (g, members) in inst.graph.groups.iter().enumerate() {
                for &o in self.cands[g]
                    .iter()
                    .filter(|&&o| inst.sc.provider_of(o) == p)
                {
                    let c: f64 = members.iter().map(|&s| exit_cost(&inst.sc, s, o)).sum();
                    let v = self.val(g, o, y);
                    if c > 0.0 && v != Val::Zero {
                        exit += c * v.expr();
                    }
                }
            }
            self.leq(exit, limit);
        }
    }

    /// moves(y) and one_off(y): Σ over members with a current offering c of
    /// x[g,c,y−1] − x[g,c,y] (x[g,c,start−1] = 1), the latter weighed by migration cost.
    fn moves(&self, y: usize) -> (Expression, Expression) {
        let inst = self.inst;
        let mut moves = Expression::default();
        let mut one_off = Expression::default();
        for s in inst.sc.service_ids() {
            let svc = &inst.sc.services[s.index()];
            let Some(c) = svc.current_offering else {
                continue;
            };
            let g = inst.group(s);
            let before = if y == 0 {
                Val::One
            } else {
                self.val(g, c, y - 1)
            };
            let left = before.expr() - self.val(g, c, y).expr();
            if svc.migration_cost > 0.0 {
                one_off += svc.migration_cost * left.clone();
            }
            moves += left;
        }
        (moves, one_off)
    }

    /// The roadmap's yearly limits on this year.
    fn year_limits(&mut self, monthly: &Expression, moves: &Expression, one_off: &Expression) {
        let limits = self.inst.sc.roadmap.iter().flat_map(|r| r.limits.clone());
        for l in limits.collect::<Vec<_>>() {
            match l {
                YearLimit::Moves(k) => self.leq(moves.clone(), f64::from(k)),
                YearLimit::OneOff(v) => self.leq(one_off.clone(), v),
                YearLimit::AnnualCost(v) => self.leq(12.0 * monthly.clone() + one_off.clone(), v),
            }
        }
    }
}

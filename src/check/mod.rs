//! The independent plan checker. It never calls the solver and shares no cost code
//! with the planner: it re-derives every constraint and every reported figure from
//! the scenario and the plan's placements, in its own straightforward loops, so that
//! a bug in the formulation or in the plan writer shows up as a disagreement.

use crate::model::{Colocate, LimitKind, Scenario};
use crate::plan::Plan;
use std::collections::HashMap;
use std::fmt;

/// One way in which a plan is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Stable code, e.g. `C301`.
    pub code: &'static str,
    /// What is wrong, with ids and figures.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "violation[{}] {}", self.code, self.message)
    }
}

/// Money agrees when it differs by at most a cent (rounding) plus float noise.
fn money_eq(reported: f64, exact: f64) -> bool {
    (reported - exact).abs() <= 0.01 + 1e-9 * exact.abs()
}

/// A limit holds when exceeded by at most 1e-6 relative (solver feasibility tolerance).
fn within(value: f64, bound: f64) -> bool {
    value <= bound + 1e-6 * bound.abs().max(1.0)
}

/// Checks `plan` against `sc`; an empty result means the plan is valid.
pub fn check(sc: &Scenario, plan: &Plan) -> Vec<Violation> {
    let mut v = Vec::new();
    let mut bad = |code: &'static str, message: String| v.push(Violation { code, message });

    if plan.scenario != sc.name {
        bad(
            "C001",
            format!(
                "the plan is for scenario \"{}\", not \"{}\"",
                plan.scenario, sc.name
            ),
        );
    }
    if plan.horizon_months != sc.policy.horizon_months {
        bad(
            "C002",
            format!(
                "horizon_months is {} but the policy says {}",
                plan.horizon_months, sc.policy.horizon_months
            ),
        );
    }
    if !(0.0..=1.0).contains(&plan.gap) {
        bad("C003", format!("gap {} is not in [0, 1]", plan.gap));
    }

    // --- placements -------------------------------------------------------------
    let off_ix: HashMap<&str, usize> = sc
        .offerings
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id.as_str(), i))
        .collect();
    let svc_ix: HashMap<&str, usize> = sc
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut at: Vec<Option<usize>> = vec![None; sc.services.len()];
    for row in &plan.placements {
        let Some(&s) = svc_ix.get(row.service.as_str()) else {
            bad(
                "C101",
                format!("placement of unknown service \"{}\"", row.service),
            );
            continue;
        };
        let Some(&o) = off_ix.get(row.offering.as_str()) else {
            bad(
                "C102",
                format!(
                    "service \"{}\" is placed on unknown offering \"{}\"",
                    row.service, row.offering
                ),
            );
            continue;
        };
        if at[s].replace(o).is_some() {
            bad(
                "C103",
                format!("service \"{}\" is placed more than once", row.service),
            );
        }
        let off = &sc.offerings[o];
        let prov = &sc.providers[off.provider.index()];
        if row.provider != prov.id || row.country != off.country {
            bad(
                "C104",
                format!(
                    "service \"{}\": offering \"{}\" belongs to {} in {}, the plan says {} in {}",
                    row.service, off.id, prov.id, off.country, row.provider, row.country
                ),
            );
        }
        let dc = sc.services[s]
            .data_class
            .map(|d| sc.data_classes[d.index()].id.clone());
        if row.data_class != dc || row.service_name != sc.services[s].name {
            bad(
                "C105",
                format!(
                    "service \"{}\": name or data class differ from the scenario",
                    row.service
                ),
            );
        }
    }
    for (s, o) in at.iter().enumerate() {
        if o.is_none() {
            bad(
                "C106",
                format!("service \"{}\" is not placed", sc.services[s].id),
            );
        }
    }
    if at.iter().any(Option::is_none) {
        return v; // Nothing below can be recomputed without a complete placement.
    }
    let at: Vec<usize> = at.into_iter().map(Option::unwrap).collect();
    let prov_of = |o: usize| sc.offerings[o].provider.index();

    // --- eligibility ------------------------------------------------------------
    for (s, svc) in sc.services.iter().enumerate() {
        let off = &sc.offerings[at[s]];
        let mut why = Vec::new();
        if svc
            .allowed_offerings
            .as_ref()
            .is_some_and(|a| !a.iter().any(|x| x.index() == at[s]))
        {
            why.push("not in allowed_offerings".to_string());
        }
        if svc.forbidden_offerings.iter().any(|x| x.index() == at[s]) {
            why.push("in forbidden_offerings".to_string());
        }
        if let Some(dc) = svc.data_class.map(|d| &sc.data_classes[d.index()]) {
            if dc
                .allowed_countries
                .as_ref()
                .is_some_and(|c| !c.contains(&off.country))
            {
                why.push(format!(
                    "country {} not allowed for data class {}",
                    off.country, dc.id
                ));
            }
            if off.sovereignty_level < dc.min_sovereignty_level {
                why.push(format!(
                    "sovereignty level {} below {}",
                    off.sovereignty_level, dc.min_sovereignty_level
                ));
            }
            for c in dc
                .required_certifications
                .iter()
                .filter(|c| !off.certifications.contains(c))
            {
                why.push(format!("missing certification {c}"));
            }
            if dc.forbid_cloud_act && sc.providers[off.provider.index()].cloud_act_exposed {
                why.push("CLOUD-Act-exposed provider".to_string());
            }
        }
        if !why.is_empty() {
            bad(
                "C201",
                format!(
                    "service \"{}\" may not run on \"{}\": {}",
                    svc.id,
                    off.id,
                    why.join(", ")
                ),
            );
        }
    }

    // --- co-location and capacity -----------------------------------------------
    for d in &sc.dependencies {
        let (a, b) = (at[d.from.index()], at[d.to.index()]);
        let broken = match d.colocate {
            Some(Colocate::Offering) => a != b,
            Some(Colocate::Provider) => prov_of(a) != prov_of(b),
            None => false,
        };
        if broken {
            bad(
                "C202",
                format!(
                    "\"{}\" and \"{}\" must be co-located ({:?}) but are on \"{}\" and \"{}\"",
                    sc.services[d.from.index()].id,
                    sc.services[d.to.index()].id,
                    d.colocate.unwrap(),
                    sc.offerings[a].id,
                    sc.offerings[b].id
                ),
            );
        }
    }
    let mut load = vec![[0.0f64; 3]; sc.offerings.len()];
    for (s, svc) in sc.services.iter().enumerate() {
        load[at[s]][0] += svc.demand.vcpu;
        load[at[s]][1] += svc.demand.ram_gb;
        load[at[s]][2] += svc.demand.storage_gb;
    }
    for (o, off) in sc.offerings.iter().enumerate() {
        let caps = [
            off.capacity.vcpu,
            off.capacity.ram_gb,
            off.capacity.storage_gb,
        ];
        for (k, name) in ["vcpu", "ram_gb", "storage_gb"].iter().enumerate() {
            if let Some(c) = caps[k] {
                if !within(load[o][k], c) {
                    bad(
                        "C203",
                        format!(
                            "offering \"{}\" holds {} {name} but has capacity {c}",
                            off.id, load[o][k]
                        ),
                    );
                }
            }
        }
    }

    // --- recompute the cost model ------------------------------------------------
    let np = sc.providers.len();
    let mut spend = vec![0.0; np];
    let mut count = vec![0usize; np];
    let mut exit = vec![0.0; np];
    let mut sent = vec![0.0; sc.services.len()];
    let mut dep_cost = Vec::with_capacity(sc.dependencies.len());
    for d in &sc.dependencies {
        let (a, b) = (at[d.from.index()], at[d.to.index()]);
        let price = if a == b {
            0.0
        } else if prov_of(a) == prov_of(b) {
            sc.offerings[a].prices.inter_region_gb
        } else {
            sc.offerings[a].prices.egress_gb
        };
        let c = d.traffic_gb_month * price;
        dep_cost.push(c);
        sent[d.from.index()] += c;
        spend[prov_of(a)] += c;
    }
    let mut one_off = 0.0;
    for (s, svc) in sc.services.iter().enumerate() {
        let o = &sc.offerings[at[s]];
        let p = o.provider.index();
        let dm = svc.demand;
        let run = dm.vcpu * o.prices.vcpu_month
            + dm.ram_gb * o.prices.ram_gb_month
            + dm.storage_gb * o.prices.storage_gb_month
            + dm.egress_gb_month * o.prices.egress_gb;
        spend[p] += run;
        count[p] += 1;
        exit[p] += dm.storage_gb * o.prices.egress_gb
            + if o.open_standards {
                0.0
            } else {
                svc.replatform_cost
            };
        let moved = matches!(svc.current_offering, Some(c) if c.index() != at[s]);
        let mig = if moved { svc.migration_cost } else { 0.0 };
        one_off += mig;
        if let Some(row) = plan.placements.iter().find(|r| r.service == svc.id) {
            let fig = [
                ("run_cost", row.run_cost, run),
                ("traffic_cost", row.traffic_cost, sent[s]),
                ("monthly_cost", row.monthly_cost, run + sent[s]),
                ("one_off_cost", row.one_off_cost, mig),
            ];
            for (name, got, want) in fig {
                if !money_eq(got, want) {
                    bad(
                        "C301",
                        format!(
                            "service \"{}\": {name} is {got}, recomputed {want:.4}",
                            svc.id
                        ),
                    );
                }
            }
            if row.moved != moved {
                bad(
                    "C302",
                    format!(
                        "service \"{}\": moved is {}, should be {moved}",
                        svc.id, row.moved
                    ),
                );
            }
        }
    }
    for (p, prov) in sc.providers.iter().enumerate() {
        if count[p] > 0 {
            spend[p] += prov.monthly_fee;
        }
    }
    let monthly: f64 = spend.iter().sum();
    let total = sc.policy.horizon_months * monthly + one_off;
    for (name, got, want) in [
        ("monthly_cost", plan.monthly_cost, monthly),
        ("one_off_cost", plan.one_off_cost, one_off),
        ("total_cost", plan.total_cost, total),
    ] {
        if !money_eq(got, want) {
            bad("C303", format!("{name} is {got}, recomputed {want:.4}"));
        }
    }
    let share = |x: f64| if monthly > 0.0 { x / monthly } else { 0.0 };

    // --- provider and dependency rows --------------------------------------------
    if plan.providers.len() != np {
        bad(
            "C304",
            format!("{} provider rows for {np} providers", plan.providers.len()),
        );
    }
    for (p, prov) in sc.providers.iter().enumerate() {
        let Some(row) = plan.providers.iter().find(|r| r.provider == prov.id) else {
            bad("C304", format!("provider \"{}\" has no row", prov.id));
            continue;
        };
        if row.services != count[p]
            || row.cloud_act_exposed != prov.cloud_act_exposed
            || !money_eq(row.spend, spend[p])
            || !money_eq(row.exit_cost, exit[p])
            || (row.share - share(spend[p])).abs() > 1e-6
        {
            bad("C305", format!("provider \"{}\": row says {} services, spend {}, share {}, exit {}; recomputed {}, {:.4}, {:.6}, {:.4}",
                prov.id, row.services, row.spend, row.share, row.exit_cost, count[p], spend[p], share(spend[p]), exit[p]));
        }
    }
    if plan.dependencies.len() != sc.dependencies.len() {
        bad(
            "C306",
            format!(
                "{} dependency rows for {} dependencies",
                plan.dependencies.len(),
                sc.dependencies.len()
            ),
        );
    }
    for (row, (d, c)) in plan
        .dependencies
        .iter()
        .zip(sc.dependencies.iter().zip(&dep_cost))
    {
        let (a, b) = (d.from.index(), d.to.index());
        if row.from != sc.services[a].id
            || row.to != sc.services[b].id
            || row.from_offering != sc.offerings[at[a]].id
            || row.to_offering != sc.offerings[at[b]].id
            || row.traffic_gb_month != d.traffic_gb_month
            || !money_eq(row.cost, *c)
        {
            bad("C307", format!("dependency row \"{}\" -> \"{}\" disagrees with the placements (recomputed cost {c:.4})", row.from, row.to));
        }
    }

    // --- policy ------------------------------------------------------------------
    let bound = |k: LimitKind| sc.policy.get(k).map(|l| l.bound());
    let mut expected_limits: Vec<(String, String, f64, f64)> = Vec::new();
    if let Some(b) = bound(LimitKind::Budget) {
        if !within(monthly, b) {
            bad(
                "C401",
                format!("monthly cost {monthly:.2} exceeds the budget {b}"),
            );
        }
        expected_limits.push(("monthly_budget".into(), String::new(), monthly, b));
    }
    let used = count.iter().filter(|&&n| n > 0).count();
    if let Some(k) = bound(LimitKind::MinProviders) {
        if (used as f64) < k {
            bad(
                "C402",
                format!("{used} provider(s) used, policy requires at least {k}"),
            );
        }
        expected_limits.push(("min_providers".into(), String::new(), used as f64, k));
    }
    if let Some(sh) = bound(LimitKind::CloudActShare) {
        let exposed: f64 = (0..np)
            .filter(|&p| sc.providers[p].cloud_act_exposed)
            .map(|p| spend[p])
            .sum();
        if !within(exposed, sh * monthly) {
            bad("C403", format!("CLOUD-Act-exposed providers bill {exposed:.2} of {monthly:.2} per month, more than the share {sh}"));
        }
        expected_limits.push((
            "max_cloud_act_share".into(),
            String::new(),
            share(exposed),
            sh,
        ));
    }
    for (p, prov) in sc.providers.iter().enumerate() {
        if count[p] == 0 {
            continue;
        }
        if let Some(sh) = bound(LimitKind::ProviderShare) {
            if !within(spend[p], sh * monthly) {
                bad("C404", format!("provider \"{}\" bills {:.2} of {monthly:.2} per month, more than the share {sh}", prov.id, spend[p]));
            }
            expected_limits.push((
                "max_provider_share".into(),
                prov.id.clone(),
                share(spend[p]),
                sh,
            ));
        }
        if let Some(x) = bound(LimitKind::ExitCost) {
            if !within(exit[p], x) {
                bad(
                    "C405",
                    format!(
                        "leaving provider \"{}\" would cost {:.2}, more than max_exit_cost {x}",
                        prov.id, exit[p]
                    ),
                );
            }
            expected_limits.push(("max_exit_cost".into(), prov.id.clone(), exit[p], x));
        }
    }
    for (o, off) in sc.offerings.iter().enumerate() {
        let caps = [
            off.capacity.vcpu,
            off.capacity.ram_gb,
            off.capacity.storage_gb,
        ];
        for (k, name) in ["capacity.vcpu", "capacity.ram_gb", "capacity.storage_gb"]
            .iter()
            .enumerate()
        {
            if let Some(c) = caps[k] {
                expected_limits.push((name.to_string(), off.id.clone(), load[o][k], c));
            }
        }
    }
    if plan.limits.len() != expected_limits.len() {
        bad(
            "C501",
            format!(
                "{} limit rows, expected {}",
                plan.limits.len(),
                expected_limits.len()
            ),
        );
    }
    for (name, subject, value, bound) in expected_limits {
        match plan
            .limits
            .iter()
            .find(|r| r.limit == name && r.subject == subject)
        {
            None => bad("C501", format!("no limit row for {name} {subject}")),
            Some(r) => {
                let close = (r.value - value).abs() <= 0.01 + 1e-6 * value.abs();
                let binding = (value - bound).abs() <= 1e-6 * bound.abs().max(1.0);
                if !close || r.bound != bound || r.binding != binding {
                    bad("C502", format!("limit row {name} {subject}: value {}, bound {}, binding {}; recomputed {value:.6}, {bound}, {binding}",
                        r.value, r.bound, r.binding));
                }
            }
        }
    }
    v
}

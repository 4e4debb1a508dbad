//! C304–C308: one provider row per provider and one dependency row per dependency,
//! each agreeing with the recomputed figures; the provider's display name and fee.

use super::view::View;
use super::Violation;
use crate::error::quote;
use crate::model::{Provider, Scenario};
use crate::plan::{Plan, ProviderRow};
use crate::tolerance::{copied_eq, money_close, money_eq, share_eq};

pub(super) fn check(sc: &Scenario, plan: &Plan, view: &View, out: &mut Vec<Violation>) {
    check_providers(sc, plan, view, out);
    check_dependencies(sc, plan, view, out);
}

/// C304 (count, missing row) and C305 (figures) for the provider rows.
fn check_providers(sc: &Scenario, plan: &Plan, view: &View, out: &mut Vec<Violation>) {
    let np = sc.providers.len();
    if plan.providers.len() != np {
        out.push(Violation::new(
            "C304",
            format!("{} provider rows for {np} providers", plan.providers.len()),
        ));
    }
    for (p, prov) in sc.providers.iter().enumerate() {
        let Some(row) = plan.providers.iter().find(|r| r.provider == prov.id) else {
            out.push(Violation::new(
                "C304",
                format!("provider \"{}\" has no row", prov.id),
            ));
            continue;
        };
        let (spend, exit, share) = (view.spend[p], view.exit[p], view.share(view.spend[p]));
        if row.services != view.count[p]
            || row.cloud_act_exposed != prov.cloud_act_exposed
            || !money_close(row.spend, spend)
            || !money_close(row.exit_cost, exit)
            || !share_eq(row.share, share)
        {
            out.push(Violation::new(
                "C305",
                format!(
                    "provider \"{}\": row says {} services, spend {}, share {}, exit {}; \
                     recomputed {}, {spend:.4}, {share:.6}, {exit:.4}",
                    prov.id, row.services, row.spend, row.share, row.exit_cost, view.count[p]
                ),
            ));
        }
        check_name_and_fee(plan, row, prov, view.count[p] > 0, out);
    }
}

/// C308: the display name is the provider's, and the fee is its `monthly_fee` when it
/// hosts anything, else 0. Both are checked where present; a plan with `estimates`
/// writes both.
fn check_name_and_fee(
    plan: &Plan,
    row: &ProviderRow,
    prov: &Provider,
    used: bool,
    out: &mut Vec<Violation>,
) {
    let fee = if used { prov.monthly_fee } else { 0.0 };
    let mut wrong = Vec::new();
    if row.name.as_ref().is_some_and(|n| *n != prov.name) {
        wrong.push(format!("name {:?} is not {:?}", row.name, prov.name));
    }
    if row.fee.is_some_and(|f| !money_eq(f, fee)) {
        wrong.push(format!("fee {:?} is not {fee}", row.fee));
    }
    if plan.estimates.is_some() && (row.name.is_none() || row.fee.is_none()) {
        wrong.push("name or fee is missing although the plan has `estimates`".into());
    }
    if !wrong.is_empty() {
        out.push(Violation::new(
            "C308",
            format!("provider \"{}\": {}", prov.id, wrong.join("; ")),
        ));
    }
}

/// C306 (count) and C307 (contents) for the dependency rows, which follow the
/// scenario's order.
fn check_dependencies(sc: &Scenario, plan: &Plan, view: &View, out: &mut Vec<Violation>) {
    if plan.dependencies.len() != sc.dependencies.len() {
        out.push(Violation::new(
            "C306",
            format!(
                "{} dependency rows for {} dependencies",
                plan.dependencies.len(),
                sc.dependencies.len()
            ),
        ));
    }
    let offering_of = |s: usize| &sc.offerings[view.placement[s].index()].id;
    for (row, (d, cost)) in plan
        .dependencies
        .iter()
        .zip(sc.dependencies.iter().zip(&view.traffic))
    {
        let (from, to) = (d.from.index(), d.to.index());
        if row.from != sc.services[from].id
            || row.to != sc.services[to].id
            || row.from_offering != *offering_of(from)
            || row.to_offering != *offering_of(to)
            || !copied_eq(row.traffic_gb_month, d.traffic_gb_month)
            || !money_close(row.cost, *cost)
        {
            out.push(Violation::new(
                "C307",
                format!(
                    "dependency row {} -> {} disagrees with the placements \
                     (recomputed cost {cost:.4})",
                    quote(&row.from),
                    quote(&row.to)
                ),
            ));
        }
    }
}

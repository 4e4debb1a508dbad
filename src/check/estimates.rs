//! C312: the plan's `estimates` list exactly the offerings it uses whose prices the
//! catalogue marks as estimates, in scenario order, each with its name, provider, date,
//! number of services and the monthly cost resting on it, so that a plan never hides
//! that it rests on estimated prices.

use super::view::View;
use super::Violation;
use crate::model::Scenario;
use crate::plan::{EstimateRow, Plan};

/// A row the plan must hold.
#[derive(Debug, PartialEq)]
struct Expected<'a> {
    offering: &'a str,
    offering_name: &'a str,
    provider: &'a str,
    as_of: Option<&'a str>,
    services: usize,
    monthly_cents: i64,
}

pub(super) fn check(sc: &Scenario, plan: &Plan, view: &View, out: &mut Vec<Violation>) {
    check_listing(sc, plan, view, &[], out);
}

/// C312 where the plan must also list the offerings in `also_used` (by index; in a
/// roadmap, those used in any year), with the final year's services and monthly cost,
/// 0 for an offering left before.
pub(super) fn check_listing(
    sc: &Scenario,
    plan: &Plan,
    view: &View,
    also_used: &[bool],
    out: &mut Vec<Violation>,
) {
    let Some(rows) = &plan.estimates else {
        return;
    };
    let expected = expected_rows(sc, plan, view, also_used);
    let got: Vec<Expected> = rows.iter().map(as_expected).collect();
    if got == expected {
        return;
    }
    let ids = |v: &[Expected]| v.iter().map(|e| e.offering).collect::<Vec<_>>().join(", ");
    if got.len() != expected.len()
        || got
            .iter()
            .zip(&expected)
            .any(|(g, e)| g.offering != e.offering)
    {
        out.push(Violation::new(
            "C312",
            format!(
                "estimates list [{}], the plan uses these estimated offerings: [{}]",
                ids(&got),
                ids(&expected)
            ),
        ));
        return;
    }
    for (g, e) in got.iter().zip(&expected).filter(|(g, e)| g != e) {
        out.push(Violation::new(
            "C312",
            format!("estimate row \"{}\" is {g:?}, expected {e:?}", e.offering),
        ));
    }
}

/// Used offerings marked `estimate` (used in `view`, or marked in `also_used`), in
/// scenario order. The monthly cost is the sum of the plan's own placement rows on the
/// offering (whose figures C301 checks), so the column adds up like every other.
fn expected_rows<'a>(
    sc: &'a Scenario,
    plan: &Plan,
    view: &View,
    also_used: &[bool],
) -> Vec<Expected<'a>> {
    let mut rows = Vec::new();
    for (o, off) in sc.offerings.iter().enumerate().filter(|(_, o)| o.estimate) {
        let on: Vec<usize> = (0..sc.services.len())
            .filter(|&s| view.placement[s].index() == o)
            .collect();
        if on.is_empty() && !also_used.get(o).copied().unwrap_or(false) {
            continue;
        }
        let monthly_cents = plan
            .placements
            .iter()
            .filter(|r| r.offering == off.id)
            .map(|r| (r.monthly_cost * 100.0).round() as i64)
            .sum();
        rows.push(Expected {
            offering: &off.id,
            offering_name: &off.name,
            provider: &sc.providers[off.provider.index()].id,
            as_of: off.as_of.as_deref(),
            services: on.len(),
            monthly_cents,
        });
    }
    rows
}

fn as_expected(r: &EstimateRow) -> Expected<'_> {
    Expected {
        offering: &r.offering,
        offering_name: &r.offering_name,
        provider: &r.provider,
        as_of: r.as_of.as_deref(),
        services: r.services,
        monthly_cents: (r.monthly_cost * 100.0).round() as i64,
    }
}

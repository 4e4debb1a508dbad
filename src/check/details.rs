//! C107–C110: the descriptive fields of placement rows that plans gained for
//! spreadsheets (what changes, the demand, display names). Each is checked where it is
//! present, so older plans without them still pass; a plan that has `estimates` is in
//! the format that writes them all, and a missing one is reported (C110).

use super::view::View;
use super::Violation;
use crate::model::Scenario;
use crate::plan::{Change, PlacementRow, Plan};

pub(super) fn check(sc: &Scenario, plan: &Plan, view: &View, out: &mut Vec<Violation>) {
    let complete = plan.estimates.is_some();
    for (s, svc) in sc.services.iter().enumerate() {
        // A duplicated row was reported as C103; the first one is checked.
        if let Some(row) = plan.placements.iter().find(|r| r.service == svc.id) {
            check_change(sc, row, s, view, out);
            check_demand(sc, row, s, out);
            check_names(sc, row, s, view, out);
            if complete {
                check_complete(row, out);
            }
        }
    }
}

/// C107: `previous_offering` is the scenario's `current_offering` and `change` says
/// what the plan does with it.
fn check_change(
    sc: &Scenario,
    row: &PlacementRow,
    s: usize,
    view: &View,
    out: &mut Vec<Violation>,
) {
    let current = sc.services[s].current_offering;
    let want_previous = current.map(|o| sc.offerings[o.index()].id.as_str());
    if let Some(previous) = &row.previous_offering {
        if previous.as_deref() != want_previous {
            out.push(Violation::new(
                "C107",
                format!(
                    "service \"{}\": previous_offering is {previous:?}, the scenario says {want_previous:?}",
                    row.service
                ),
            ));
        }
    }
    let want_change = match current {
        None => Change::New,
        Some(o) if o == view.placement[s] => Change::Stays,
        Some(_) => Change::Moved,
    };
    if row.change.is_some_and(|c| c != want_change) {
        out.push(Violation::new(
            "C107",
            format!(
                "service \"{}\": change is {:?}, should be {want_change:?}",
                row.service,
                row.change.expect("checked above")
            ),
        ));
    }
}

/// C108: the demand figures are the scenario's, exactly (they are copied, not computed).
fn check_demand(sc: &Scenario, row: &PlacementRow, s: usize, out: &mut Vec<Violation>) {
    let d = sc.services[s].demand;
    let figures = [
        ("vcpu", row.vcpu, d.vcpu),
        ("ram_gb", row.ram_gb, d.ram_gb),
        ("storage_gb", row.storage_gb, d.storage_gb),
        ("egress_gb_month", row.egress_gb_month, d.egress_gb_month),
    ];
    for (name, got, want) in figures {
        if got.is_some_and(|g| g != want) {
            out.push(Violation::new(
                "C108",
                format!(
                    "service \"{}\": {name} is {}, the scenario says {want}",
                    row.service,
                    got.expect("checked above")
                ),
            ));
        }
    }
}

/// C109: the display names are those of the offering the row is placed on and its
/// provider.
fn check_names(sc: &Scenario, row: &PlacementRow, s: usize, view: &View, out: &mut Vec<Violation>) {
    let off = &sc.offerings[view.placement[s].index()];
    let prov = &sc.providers[off.provider.index()];
    let wrong = |got: &Option<String>, want: &str| got.as_deref().is_some_and(|g| g != want);
    if wrong(&row.offering_name, &off.name) || wrong(&row.provider_name, &prov.name) {
        out.push(Violation::new(
            "C109",
            format!(
                "service \"{}\": names {:?} / {:?} differ from offering \"{}\" / provider \"{}\"",
                row.service, row.offering_name, row.provider_name, off.name, prov.name
            ),
        ));
    }
}

/// C110: a plan with `estimates` writes every field of this family.
fn check_complete(row: &PlacementRow, out: &mut Vec<Violation>) {
    let missing: Vec<&str> = [
        ("previous_offering", row.previous_offering.is_none()),
        ("change", row.change.is_none()),
        ("offering_name", row.offering_name.is_none()),
        ("provider_name", row.provider_name.is_none()),
        ("vcpu", row.vcpu.is_none()),
        ("ram_gb", row.ram_gb.is_none()),
        ("storage_gb", row.storage_gb.is_none()),
        ("egress_gb_month", row.egress_gb_month.is_none()),
    ]
    .into_iter()
    .filter_map(|(name, absent)| absent.then_some(name))
    .collect();
    if !missing.is_empty() {
        out.push(Violation::new(
            "C110",
            format!(
                "service \"{}\": the plan has `estimates` but the row lacks {}",
                row.service,
                missing.join(", ")
            ),
        ));
    }
}

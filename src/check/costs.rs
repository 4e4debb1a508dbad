//! C301–C303: every cost figure of the placement rows and the plan's totals agrees
//! with the recomputed one.

use super::view::View;
use super::Violation;
use crate::model::Scenario;
use crate::plan::{PlacementRow, Plan};
use crate::tolerance::money_close;

pub(super) fn check(sc: &Scenario, plan: &Plan, view: &View, out: &mut Vec<Violation>) {
    check_rows(sc, plan, view, out);
    check_totals(
        plan,
        view.monthly,
        view.one_off_total,
        Some(view.total),
        out,
    );
}

/// C301 and C302 for every placement row.
pub(super) fn check_rows(sc: &Scenario, plan: &Plan, view: &View, out: &mut Vec<Violation>) {
    for (s, svc) in sc.services.iter().enumerate() {
        // A duplicated row was reported as C103; the figures are read from the first.
        if let Some(row) = plan.placements.iter().find(|r| r.service == svc.id) {
            check_row(row, s, view, out);
        }
    }
}

/// C301 and C302 for the row of service `s`.
fn check_row(row: &PlacementRow, s: usize, view: &View, out: &mut Vec<Violation>) {
    let (run, sent) = (view.run[s], view.sent[s]);
    let figures = [
        ("run_cost", row.run_cost, run),
        ("traffic_cost", row.traffic_cost, sent),
        ("monthly_cost", row.monthly_cost, run + sent),
        ("one_off_cost", row.one_off_cost, view.one_off[s]),
    ];
    for (name, got, want) in figures {
        if !money_close(got, want) {
            out.push(Violation::new(
                "C301",
                format!(
                    "service \"{}\": {name} is {got}, recomputed {want:.4}",
                    row.service
                ),
            ));
        }
    }
    if row.moved != view.moved[s] {
        out.push(Violation::new(
            "C302",
            format!(
                "service \"{}\": moved is {}, should be {}",
                row.service, row.moved, view.moved[s]
            ),
        ));
    }
}

/// C303: the plan's totals against the recomputed ones (in a roadmap, the total is
/// the sum of the annual costs, not `total` of the final year's view; `None` when the
/// years cannot be recomputed).
pub(super) fn check_totals(
    plan: &Plan,
    monthly: f64,
    one_off: f64,
    total: Option<f64>,
    out: &mut Vec<Violation>,
) {
    let figures = [
        ("monthly_cost", plan.monthly_cost, Some(monthly)),
        ("one_off_cost", plan.one_off_cost, Some(one_off)),
        ("total_cost", plan.total_cost, total),
    ];
    for (name, got, want) in figures {
        let Some(want) = want else { continue };
        if !money_close(got, want) {
            out.push(Violation::new(
                "C303",
                format!("{name} is {got}, recomputed {want:.4}"),
            ));
        }
    }
}

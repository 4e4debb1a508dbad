//! C309–C311: in a plan with `estimates` (the format that promises it), the money
//! columns add up to the totals exactly to the cent, as a spreadsheet `SUM` would see
//! them: every figure a whole number of cents (C309), every column total equal to the
//! plan's total (C310), and every row equal to the sum of its parts (C311).
//!
//! Everything is compared in integer cents, so that thousands of rows add up exactly;
//! the other rule families already hold each figure to a cent of the recomputed one.

use super::Violation;
use crate::model::Scenario;
use crate::plan::Plan;
use crate::tolerance;

pub(super) fn check(sc: &Scenario, plan: &Plan, out: &mut Vec<Violation>) {
    if plan.estimates.is_none() {
        return;
    }
    if !whole_cents(plan, out) {
        // Sums of fractions of cents cannot be compared to the cent.
        return;
    }
    column_totals(plan, out);
    row_parts(sc, plan, out);
}

/// `x` EUR in cents, if it is a whole number of cents (within float noise).
fn cents(x: f64) -> Option<i64> {
    tolerance::whole_cents(x)
}

fn c(x: f64) -> i64 {
    cents(x).expect("whole_cents() passed")
}

/// C309: every money figure of the plan is a whole number of cents.
fn whole_cents(plan: &Plan, out: &mut Vec<Violation>) -> bool {
    let mut figures: Vec<(String, f64)> = vec![
        ("total_cost".into(), plan.total_cost),
        ("monthly_cost".into(), plan.monthly_cost),
        ("one_off_cost".into(), plan.one_off_cost),
    ];
    for r in &plan.placements {
        for (name, x) in [
            ("run_cost", r.run_cost),
            ("traffic_cost", r.traffic_cost),
            ("monthly_cost", r.monthly_cost),
            ("one_off_cost", r.one_off_cost),
        ] {
            figures.push((format!("service \"{}\": {name}", r.service), x));
        }
    }
    for r in &plan.providers {
        for (name, x) in [("spend", r.spend), ("exit_cost", r.exit_cost)] {
            figures.push((format!("provider \"{}\": {name}", r.provider), x));
        }
        figures.extend(
            r.fee
                .map(|f| (format!("provider \"{}\": fee", r.provider), f)),
        );
    }
    for r in &plan.dependencies {
        figures.push((
            format!("dependency \"{}\" -> \"{}\": cost", r.from, r.to),
            r.cost,
        ));
    }
    for r in plan.estimates.iter().flatten() {
        figures.push((
            format!("estimate \"{}\": monthly_cost", r.offering),
            r.monthly_cost,
        ));
    }
    let before = out.len();
    for (what, x) in figures.into_iter().filter(|(_, x)| cents(*x).is_none()) {
        out.push(Violation::new(
            "C309",
            format!("{what} is {x}, not a whole number of cents"),
        ));
    }
    out.len() == before
}

/// C310: the column totals a spreadsheet computes equal the plan's totals.
fn column_totals(plan: &Plan, out: &mut Vec<Violation>) {
    let sum = |xs: &mut dyn Iterator<Item = f64>| xs.map(c).sum::<i64>();
    let monthly = sum(&mut plan.placements.iter().map(|r| r.monthly_cost));
    let fees = sum(&mut plan.providers.iter().filter_map(|r| r.fee));
    let sums = [
        (
            "Σ placements.monthly_cost + Σ providers.fee",
            monthly + fees,
            "monthly_cost",
            c(plan.monthly_cost),
        ),
        (
            "Σ providers.spend",
            sum(&mut plan.providers.iter().map(|r| r.spend)),
            "monthly_cost",
            c(plan.monthly_cost),
        ),
        (
            "Σ placements.one_off_cost",
            sum(&mut plan.placements.iter().map(|r| r.one_off_cost)),
            "one_off_cost",
            c(plan.one_off_cost),
        ),
        (
            "Σ dependencies.cost",
            sum(&mut plan.dependencies.iter().map(|r| r.cost)),
            "Σ placements.traffic_cost",
            sum(&mut plan.placements.iter().map(|r| r.traffic_cost)),
        ),
    ];
    for (what, got, total, want) in sums {
        if got != want {
            out.push(Violation::new(
                "C310",
                format!(
                    "{what} = {:.2}, but {total} = {:.2}",
                    got as f64 / 100.0,
                    want as f64 / 100.0
                ),
            ));
        }
    }
}

/// C311: a placement's monthly cost is its run plus traffic cost, a service's traffic
/// cost the sum of the dependency rows it sends, a provider's spend the sum of its
/// services' monthly costs and its fee.
fn row_parts(sc: &Scenario, plan: &Plan, out: &mut Vec<Violation>) {
    let mut wrong = |what: String| out.push(Violation::new("C311", what));
    for r in &plan.placements {
        if c(r.run_cost) + c(r.traffic_cost) != c(r.monthly_cost) {
            wrong(format!(
                "service \"{}\": run_cost {} + traffic_cost {} is not monthly_cost {}",
                r.service, r.run_cost, r.traffic_cost, r.monthly_cost
            ));
        }
        let sent: i64 = plan
            .dependencies
            .iter()
            .filter(|d| d.from == r.service)
            .map(|d| c(d.cost))
            .sum();
        if sent != c(r.traffic_cost) {
            wrong(format!(
                "service \"{}\": traffic_cost {} is not the sum {:.2} of the dependency rows it sends",
                r.service,
                r.traffic_cost,
                sent as f64 / 100.0
            ));
        }
    }
    for (prov, row) in sc.providers.iter().filter_map(|p| {
        let row = plan.providers.iter().find(|r| r.provider == p.id)?;
        Some((p, row))
    }) {
        let services: i64 = plan
            .placements
            .iter()
            .filter(|r| r.provider == prov.id)
            .map(|r| c(r.monthly_cost))
            .sum();
        let fee = row.fee.map_or(0, c);
        if services + fee != c(row.spend) {
            wrong(format!(
                "provider \"{}\": spend {} is not Σ monthly_cost of its services {:.2} + fee {:.2}",
                prov.id,
                row.spend,
                services as f64 / 100.0,
                fee as f64 / 100.0
            ));
        }
    }
}

//! C614–C615: the roadmap tables' money columns add up to the cent, as a spreadsheet
//! `SUM` sees them: every figure a whole number of cents (C614), and per year
//! Σ schedule.monthly_cost + Σ providers_by_year.fee = years.monthly_cost =
//! Σ providers_by_year.spend, Σ schedule.one_off_cost = years.one_off_cost, and
//! Σ years.one_off_cost = the plan's one_off_cost and Σ years.annual_cost = its
//! total_cost (C615).
//!
//! Sums are taken in integer cents over the rows that name the year, as a spreadsheet
//! filter would; that each figure is within a cent of the exact one is `costs.rs`',
//! `years.rs`' and `providers.rs`' business.

use super::super::Violation;
use crate::error::quote;
use crate::plan::{Plan, ProviderYearRow, ScheduleRow, YearRow};
use crate::tolerance::whole_cents;
use std::collections::HashMap;

pub(super) fn check(plan: &Plan, out: &mut Vec<Violation>) {
    let (Some(years), Some(schedule), Some(by_year)) =
        (&plan.years, &plan.schedule, &plan.providers_by_year)
    else {
        return;
    };
    if !all_whole_cents(years, schedule, by_year, out) {
        // Fractions of cents cannot be added up to the cent.
        return;
    }
    let c = |x: f64| whole_cents(x).unwrap_or(0);
    let sums = year_sums(schedule, by_year);
    let mut wrong = |what: String| out.push(Violation::new("C615", what));
    for row in years {
        let y = row.year;
        let got = sums.get(&y).copied().unwrap_or_default();
        let checks = [
            (
                "Σ schedule.monthly_cost + Σ providers_by_year.fee",
                got.monthly.saturating_add(got.fees),
                "monthly_cost",
                c(row.monthly_cost),
            ),
            (
                "Σ providers_by_year.spend",
                got.spend,
                "monthly_cost",
                c(row.monthly_cost),
            ),
            (
                "Σ schedule.one_off_cost",
                got.one_off,
                "one_off_cost",
                c(row.one_off_cost),
            ),
        ];
        for (what, got, field, want) in checks {
            if got != want {
                wrong(format!(
                    "year {y}: {what} = {}, but {field} = {}",
                    eur(got),
                    eur(want)
                ));
            }
        }
    }
    if let Some(total) = whole_cents(plan.total_cost) {
        let sum = years
            .iter()
            .fold(0i64, |acc, r| acc.saturating_add(c(r.annual_cost)));
        if sum != total {
            wrong(format!(
                "Σ years.annual_cost = {}, but total_cost = {}",
                eur(sum),
                eur(total)
            ));
        }
    }
    if let Some(total) = whole_cents(plan.one_off_cost) {
        let sum = years
            .iter()
            .fold(0i64, |acc, r| acc.saturating_add(c(r.one_off_cost)));
        if sum != total {
            wrong(format!(
                "Σ years.one_off_cost = {}, but one_off_cost = {}",
                eur(sum),
                eur(total)
            ));
        }
    }
}

/// One year's column sums, in cents.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    monthly: i64,
    one_off: i64,
    fees: i64,
    spend: i64,
}

/// The column sums of every year the rows name, in one pass over each table (sums
/// saturate: amounts near the range of i64 cents are far outside any valid plan, and
/// must not wrap round into agreement).
fn year_sums(schedule: &[ScheduleRow], by_year: &[ProviderYearRow]) -> HashMap<i32, Sums> {
    let c = |x: f64| whole_cents(x).unwrap_or(0);
    let mut sums: HashMap<i32, Sums> = HashMap::new();
    for r in schedule {
        let s = sums.entry(r.year).or_default();
        s.monthly = s.monthly.saturating_add(c(r.monthly_cost));
        s.one_off = s.one_off.saturating_add(c(r.one_off_cost));
    }
    for r in by_year {
        let s = sums.entry(r.year).or_default();
        s.fees = s.fees.saturating_add(c(r.fee));
        s.spend = s.spend.saturating_add(c(r.spend));
    }
    sums
}

fn eur(cents: i64) -> String {
    format!("{:.2}", cents as f64 / 100.0)
}

/// C614: every money figure of `years`, `schedule` and `providers_by_year` is a whole
/// number of cents.
fn all_whole_cents(
    years: &[YearRow],
    schedule: &[ScheduleRow],
    by_year: &[ProviderYearRow],
    out: &mut Vec<Violation>,
) -> bool {
    let mut figures: Vec<(String, f64)> = Vec::new();
    for r in years {
        for (name, x) in [
            ("monthly_cost", r.monthly_cost),
            ("one_off_cost", r.one_off_cost),
            ("annual_cost", r.annual_cost),
        ] {
            figures.push((format!("years {}: {name}", r.year), x));
        }
    }
    for r in schedule {
        for (name, x) in [
            ("monthly_cost", r.monthly_cost),
            ("one_off_cost", r.one_off_cost),
        ] {
            let what = format!("schedule {} {}: {name}", quote(&r.service), r.year);
            figures.push((what, x));
        }
    }
    for r in by_year {
        for (name, x) in [
            ("fee", r.fee),
            ("spend", r.spend),
            ("exit_cost", r.exit_cost),
        ] {
            let what = format!(
                "providers_by_year {} {}: {name}",
                quote(&r.provider),
                r.year
            );
            figures.push((what, x));
        }
    }
    let before = out.len();
    for (what, x) in figures
        .into_iter()
        .filter(|(_, x)| whole_cents(*x).is_none())
    {
        out.push(Violation::new(
            "C614",
            format!("{what} is {x}, not a whole number of cents"),
        ));
    }
    out.len() == before
}

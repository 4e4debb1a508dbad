//! C610–C611: `years` has one row per planning year, in order, each with the year's
//! recomputed monthly, one-off and annual cost, moves, providers used, largest
//! provider share and CLOUD-Act share.

use super::super::Violation;
use super::keyed::{match_rows, Table};
use super::view::{RoadmapView, YearView};
use crate::model::{Roadmap, Scenario};
use crate::plan::YearRow;
use crate::tolerance::{money_close, share_eq};

const TABLE: Table = Table {
    name: "years",
    unknown: "C610",
    shape: "C610",
};

pub(super) fn check(
    sc: &Scenario,
    rm: &Roadmap,
    rows: &[YearRow],
    rv: Option<&RoadmapView>,
    out: &mut Vec<Violation>,
) {
    let years: Vec<i32> = rm.year_list().collect();
    let slot_of = |r: &YearRow| {
        years.iter().position(|&y| y == r.year).ok_or_else(|| {
            format!(
                "year {} is outside the roadmap {}–{}",
                r.year,
                rm.start_year,
                rm.final_year()
            )
        })
    };
    let first = match_rows(
        &TABLE,
        rows,
        years.len(),
        slot_of,
        |y| format!("year {}", years[y]),
        out,
    );
    let Some(rv) = rv else { return };
    for (i, yv) in first.iter().zip(&rv.years) {
        if let Some(i) = *i {
            check_row(sc, &rows[i], yv, out);
        }
    }
}

/// C611 for one year's row.
fn check_row(sc: &Scenario, row: &YearRow, yv: &YearView, out: &mut Vec<Violation>) {
    let v = &yv.view;
    let max_share = v
        .spend
        .iter()
        .map(|&spend| v.share(spend))
        .fold(0.0, f64::max);
    let cloud_act = v.share(v.cloud_act_spend(sc));
    let mut wrong = Vec::new();
    let money = [
        ("monthly_cost", row.monthly_cost, v.monthly),
        ("one_off_cost", row.one_off_cost, yv.one_off_total),
        ("annual_cost", row.annual_cost, yv.annual),
    ];
    for (name, got, want) in money {
        if !money_close(got, want) {
            wrong.push(format!("{name} is {got}, recomputed {want:.4}"));
        }
    }
    let counts = [
        ("moves", row.moves, yv.moves),
        ("providers_used", row.providers_used, v.providers_used()),
    ];
    for (name, got, want) in counts {
        if got != want {
            wrong.push(format!("{name} is {got}, recomputed {want}"));
        }
    }
    let shares = [
        ("max_share", row.max_share, max_share),
        ("cloud_act_share", row.cloud_act_share, cloud_act),
    ];
    for (name, got, want) in shares {
        if !share_eq(got, want) {
            wrong.push(format!("{name} is {got}, recomputed {want:.6}"));
        }
    }
    if !wrong.is_empty() {
        out.push(Violation::new(
            "C611",
            format!("year {}: {}", yv.year, wrong.join("; ")),
        ));
    }
}

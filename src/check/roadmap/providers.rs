//! C612–C613: `providers_by_year` has one row per year and provider, year by year and
//! providers in scenario order, each with the year's recomputed services, fee, spend,
//! share and exit cost.

use super::super::Violation;
use super::keyed::{match_rows, Table};
use super::view::RoadmapView;
use crate::error::quote;
use crate::model::{Roadmap, Scenario};
use crate::plan::ProviderYearRow;
use crate::tolerance::{money_close, share_eq};

const TABLE: Table = Table {
    name: "providers_by_year",
    unknown: "C612",
    shape: "C612",
};

pub(super) fn check(
    sc: &Scenario,
    rm: &Roadmap,
    rows: &[ProviderYearRow],
    rv: Option<&RoadmapView>,
    out: &mut Vec<Violation>,
) {
    let years: Vec<i32> = rm.year_list().collect();
    let np = sc.providers.len();
    let slot_of = |r: &ProviderYearRow| {
        let p = sc
            .providers
            .iter()
            .position(|p| p.id == r.provider)
            .ok_or_else(|| format!("unknown provider {}", quote(&r.provider)))?;
        let y = years.iter().position(|&y| y == r.year).ok_or_else(|| {
            format!(
                "provider {}: year {} is outside the roadmap {}–{}",
                quote(&r.provider),
                r.year,
                rm.start_year,
                rm.final_year()
            )
        })?;
        Ok(y * np + p)
    };
    let label = |slot: usize| {
        format!(
            "provider \"{}\" in {}",
            sc.providers[slot % np].id,
            years[slot / np]
        )
    };
    let first = match_rows(&TABLE, rows, years.len() * np, slot_of, label, out);
    let Some(rv) = rv else { return };
    for (slot, i) in first.iter().enumerate() {
        if let Some(i) = *i {
            check_row(sc, &rows[i], slot % np, rv, slot / np, out);
        }
    }
}

/// C613 for the row of provider `p` in the `y`-th year.
fn check_row(
    sc: &Scenario,
    row: &ProviderYearRow,
    p: usize,
    rv: &RoadmapView,
    y: usize,
    out: &mut Vec<Violation>,
) {
    let Some(yv) = rv.years.get(y) else { return };
    let v = &yv.view;
    let prov = &sc.providers[p];
    let fee = if v.count[p] > 0 {
        prov.monthly_fee
    } else {
        0.0
    };
    let (spend, share, exit) = (v.spend[p], v.share(v.spend[p]), v.exit[p]);
    if row.services != v.count[p]
        || !money_close(row.fee, fee)
        || !money_close(row.spend, spend)
        || !share_eq(row.share, share)
        || !money_close(row.exit_cost, exit)
    {
        out.push(Violation::new(
            "C613",
            format!(
                "providers_by_year: provider \"{}\" in {}: row says {} services, fee {}, spend {}, \
                 share {}, exit {}; recomputed {}, {fee}, {spend:.4}, {share:.6}, {exit:.4}",
                prov.id,
                yv.year,
                row.services,
                row.fee,
                row.spend,
                row.share,
                row.exit_cost,
                v.count[p]
            ),
        ));
    }
}

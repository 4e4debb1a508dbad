//! C616 and the roadmap's limit rows (C501–C502): every year keeps the roadmap's
//! yearly limits (moves, migration costs, annual cost), and the plan's `limits` hold,
//! for each year, the rows a single-period plan writes for that year's placement under
//! that year's policy, then one row per yearly limit, each with its `year`.

use super::super::limits::{check_rows, expected_rows, Expected, Measure};
use super::super::Violation;
use super::view::{RoadmapView, YearView};
use crate::model::{Roadmap, Scenario, YearLimit, YearLimitKind};
use crate::plan::Plan;
use crate::tolerance::within;

pub(super) fn check(
    sc: &Scenario,
    rm: &Roadmap,
    plan: &Plan,
    rv: &RoadmapView,
    out: &mut Vec<Violation>,
) {
    for yv in &rv.years {
        for &limit in &rm.limits {
            check_year_limit(yv, limit, out);
        }
    }
    let mut expected = Vec::new();
    for yv in &rv.years {
        let mut rows = expected_rows(sc, &yv.policy, &yv.view);
        rows.iter_mut().for_each(|r| r.year = Some(yv.year));
        expected.extend(rows);
        expected.extend(rm.limits.iter().map(|&limit| Expected {
            limit: limit.kind().field().to_string(),
            measure: if limit.kind().is_money() {
                Measure::Money
            } else {
                Measure::Count
            },
            subject: String::new(),
            value: value(yv, limit.kind()),
            bound: limit.bound(),
            year: Some(yv.year),
        }));
    }
    check_rows(plan, &expected, out);
}

/// The year's figure a yearly limit bounds.
fn value(yv: &YearView, kind: YearLimitKind) -> f64 {
    match kind {
        YearLimitKind::Moves => yv.moves as f64,
        YearLimitKind::OneOff => yv.one_off_total,
        YearLimitKind::AnnualCost => yv.annual,
    }
}

/// C616: one yearly limit in one year. Moves are counted exactly; money within the
/// feasibility tolerance, as the policy's money limits.
fn check_year_limit(yv: &YearView, limit: YearLimit, out: &mut Vec<Violation>) {
    let got = value(yv, limit.kind());
    let kept = match limit {
        YearLimit::Moves(k) => yv.moves <= k as usize,
        YearLimit::OneOff(bound) | YearLimit::AnnualCost(bound) => within(got, bound),
    };
    if !kept {
        let what = match limit.kind() {
            YearLimitKind::Moves => format!("{} services move", yv.moves),
            YearLimitKind::OneOff => format!("migrations cost {got:.2}"),
            YearLimitKind::AnnualCost => format!("the year costs {got:.2}"),
        };
        out.push(Violation::new(
            "C616",
            format!(
                "year {}: {what}, more than {} {limit}",
                yv.year,
                limit.kind().field()
            ),
        ));
    }
}

//! The roadmap's rules (E118–E120) and its model.
//!
//! Every value of `roadmap` is checked like the field it mirrors: the `policy_from`
//! limits like the policy's own (E107, E111, E112), the yearly money limits like any
//! amount (E107). What only a roadmap has gets its own codes: E118 a roadmap value out
//! of range, E119 a horizon given together with a roadmap, E120 `movable_from` where it
//! means nothing.

use super::{limit, written, MAX_NUMBER};
use crate::error::{quote, Diagnostic};
use crate::format::read::RawScenario;
use crate::format::{PolicyDef, PolicyStepDef, RoadmapDef};
use crate::model::{LimitKind, PolicyStep, Roadmap, YearLimit};

/// Most planning years a roadmap may have.
pub const MAX_YEARS: i64 = 20;

/// The calendar years a roadmap may start in (keeps every year an `i32`).
const YEARS_AD: std::ops::RangeInclusive<i64> = 1..=9999;

/// All roadmap rules; every finding is pushed to `errs`.
pub(super) fn rule_roadmap(raw: &RawScenario, errs: &mut Vec<Diagnostic>) {
    match &raw.roadmap {
        Some(r) => {
            let loc = |f: &str| format!("{}: roadmap.{f}", raw.file);
            shape(r, &loc, errs);
            yearly_limits(r, &loc, errs);
            steps(raw, r, &loc, errs);
            horizon_given(raw, errs);
            movable_from(raw, true, errs);
        }
        None => movable_from(raw, false, errs),
    }
}

fn e118(location: String, message: String, hint: &str) -> Diagnostic {
    Diagnostic::new("E118", location, message, hint)
}

/// E118: `start_year` a calendar year, `years` 1..=20.
fn shape(r: &RoadmapDef, loc: &dyn Fn(&str) -> String, errs: &mut Vec<Diagnostic>) {
    if !YEARS_AD.contains(&r.start_year) {
        errs.push(e118(
            loc("start_year"),
            format!("{} is not a calendar year from 1 to 9999", r.start_year),
            "set start_year to the first planning year, e.g. 2027",
        ));
    }
    if !(1..=MAX_YEARS).contains(&r.years) {
        errs.push(e118(
            loc("years"),
            format!(
                "{} is out of range: a number of years from 1 to 20",
                r.years
            ),
            "set years to the number of planning years, 1 to 20",
        ));
    }
}

/// E107 for the yearly money limits, E118 for a fractional or negative move count.
fn yearly_limits(r: &RoadmapDef, loc: &dyn Fn(&str) -> String, errs: &mut Vec<Diagnostic>) {
    if let Some(k) = r.max_moves_per_year {
        if !(k.is_finite() && k >= 0.0 && k.fract() == 0.0 && k <= MAX_NUMBER) {
            errs.push(e118(
                loc("max_moves_per_year"),
                format!("{k} is out of range: a whole number of services >= 0"),
                "set max_moves_per_year to how many services the team can move in a year",
            ));
        }
    }
    for (field, v) in [
        ("max_one_off_per_year", r.max_one_off_per_year),
        ("max_annual_cost", r.max_annual_cost),
    ] {
        if let Some(v) = v {
            amount(loc(field), v, errs);
        }
    }
}

/// E107 for one amount, as every number of a scenario is checked.
fn amount(location: String, v: f64, errs: &mut Vec<Diagnostic>) {
    if !v.is_finite() || !(0.0..=MAX_NUMBER).contains(&v) {
        errs.push(Diagnostic::new(
            "E107",
            location,
            format!("must be a number from 0 to 1e12, got {v}"),
            "use a non-negative amount (money in EUR)",
        ));
    }
}

/// The policy fields of a step, as a policy without a horizon.
fn step_policy(s: &PolicyStepDef) -> PolicyDef {
    PolicyDef {
        horizon_months: None,
        max_provider_share: s.max_provider_share,
        min_providers: s.min_providers,
        max_cloud_act_share: s.max_cloud_act_share,
        max_exit_cost: s.max_exit_cost,
        monthly_budget: s.monthly_budget,
    }
}

/// Each `policy_from` entry: its year within the roadmap (E118) and every limit like
/// the policy field it overrides (E107, E111, E112).
fn steps(
    raw: &RawScenario,
    r: &RoadmapDef,
    loc: &dyn Fn(&str) -> String,
    errs: &mut Vec<Diagnostic>,
) {
    let last = r.start_year.saturating_add(r.years.saturating_sub(1));
    for (i, s) in r.policy_from.iter().enumerate() {
        let at = |f: &str| loc(&format!("policy_from[{i}].{f}"));
        if s.year > last {
            errs.push(e118(
                at("year"),
                format!(
                    "{} is after the roadmap's last year {last}: these limits would never take effect",
                    s.year
                ),
                "move the entry into the roadmap's years or extend roadmap.years",
            ));
        }
        let p = step_policy(s);
        for kind in LimitKind::ALL {
            let Some(v) = written(&p, kind) else { continue };
            if !v.is_finite() || !(0.0..=MAX_NUMBER).contains(&v) {
                amount(at(kind.field()), v, errs);
            } else if let Some(want) = out_of_range(kind, v) {
                errs.push(Diagnostic::new(
                    "E111",
                    at(kind.field()),
                    format!("{v} is out of range: {want}"),
                    format!("set {} to {want}", kind.field()),
                ));
            } else if kind == LimitKind::MinProviders && v > raw.providers.len() as f64 {
                errs.push(Diagnostic::new(
                    "E112",
                    at(kind.field()),
                    format!(
                        "min_providers is {v} but only {} provider(s) are defined",
                        raw.providers.len()
                    ),
                    "lower min_providers or include more providers",
                ));
            }
        }
    }
}

/// What a policy value must be, when it is not (the policy's own ranges, E111).
fn out_of_range(kind: LimitKind, v: f64) -> Option<&'static str> {
    let (ok, want) = match kind {
        LimitKind::ProviderShare => (v > 0.0 && v <= 1.0, "a share in (0, 1]"),
        LimitKind::CloudActShare => ((0.0..=1.0).contains(&v), "a share in [0, 1]"),
        LimitKind::MinProviders => (v.fract() == 0.0 && v >= 1.0, "a whole number >= 1"),
        LimitKind::ExitCost | LimitKind::Budget => (true, ""),
    };
    (!ok).then_some(want)
}

/// E119: a roadmap plans whole years; an explicit horizon would be ignored silently.
fn horizon_given(raw: &RawScenario, errs: &mut Vec<Diagnostic>) {
    if raw
        .policy
        .as_ref()
        .is_some_and(|p| p.horizon_months.is_some())
    {
        errs.push(Diagnostic::new(
            "E119",
            format!("{}: policy.horizon_months", raw.file),
            "horizon_months is given together with a roadmap, which plans 12 months per roadmap year",
            "remove policy.horizon_months (or the roadmap, to plan one period)",
        ));
    }
}

/// E120: `movable_from` only in a roadmap, and only on a service that runs somewhere.
fn movable_from(raw: &RawScenario, roadmap: bool, errs: &mut Vec<Diagnostic>) {
    for s in &raw.services {
        if s.item.movable_from.is_none() {
            continue;
        }
        let location = format!("{}.movable_from", s.location);
        let id = quote(&s.item.id);
        if !roadmap {
            errs.push(Diagnostic::new(
                "E120",
                location,
                format!("service {id} has movable_from, but the scenario has no roadmap"),
                "add a roadmap (start_year, years) or remove movable_from",
            ));
        } else if s.item.current_offering.is_none() {
            errs.push(Diagnostic::new(
                "E120",
                location,
                format!("service {id} has movable_from but no current_offering: a new service has no contract to wait for"),
                "give the service its current_offering or remove movable_from",
            ));
        }
    }
}

/// The roadmap's model; only called once every rule passed.
pub(super) fn build(r: &RoadmapDef) -> Roadmap {
    let start = r.start_year as i32;
    let limits = [
        r.max_moves_per_year
            .map(|k| YearLimit::Moves(k.min(f64::from(u32::MAX)) as u32)),
        r.max_one_off_per_year.map(YearLimit::OneOff),
        r.max_annual_cost.map(YearLimit::AnnualCost),
    ];
    let mut policy_from: Vec<PolicyStep> = r
        .policy_from
        .iter()
        .map(|s| {
            let p = step_policy(s);
            PolicyStep {
                // An entry at or before the start applies from the first year.
                year: s.year.max(r.start_year) as i32,
                limits: LimitKind::ALL
                    .into_iter()
                    .filter_map(|k| written(&p, k).map(|v| limit(k, v)))
                    .collect(),
            }
        })
        .collect();
    // Stable: of two entries of one year, the later in the file still wins.
    policy_from.sort_by_key(|s| s.year);
    Roadmap {
        start_year: start,
        years: r.years as u32,
        limits: limits.into_iter().flatten().collect(),
        policy_from,
    }
}

/// A service's `movable_from` within the roadmap's years (a year before the start is the
/// start, one after the end the year after it: the service cannot move then).
pub(super) fn movable_year(r: &Roadmap, year: Option<i64>) -> Option<i32> {
    year.map(|y| y.clamp(i64::from(r.start_year), i64::from(r.final_year()) + 1) as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roadmap() -> RoadmapDef {
        RoadmapDef {
            start_year: 2027,
            years: 5,
            max_moves_per_year: Some(3.0),
            max_one_off_per_year: None,
            max_annual_cost: Some(1e6),
            policy_from: vec![
                PolicyStepDef {
                    year: 2031,
                    max_cloud_act_share: Some(0.0),
                    ..Default::default()
                },
                PolicyStepDef {
                    year: 2000,
                    max_cloud_act_share: Some(0.5),
                    ..Default::default()
                },
            ],
        }
    }

    #[test]
    fn steps_are_sorted_by_year_and_early_ones_start_with_the_roadmap() {
        let r = build(&roadmap());
        assert_eq!(r.policy_from[0].year, 2027);
        assert_eq!(r.policy_from[1].year, 2031);
        assert_eq!(r.limits, [YearLimit::Moves(3), YearLimit::AnnualCost(1e6)]);
    }

    #[test]
    fn contract_years_outside_the_roadmap_are_clamped_to_its_edges() {
        let r = build(&roadmap());
        assert_eq!(movable_year(&r, Some(1990)), Some(2027));
        assert_eq!(movable_year(&r, Some(2029)), Some(2029));
        assert_eq!(movable_year(&r, Some(i64::MAX)), Some(2032));
        assert_eq!(movable_year(&r, None), None);
    }
}

//! C001–C003: the plan's header belongs to this scenario and its policy.

use super::Violation;
use crate::error::quote;
use crate::model::Scenario;
use crate::plan::Plan;
use crate::tolerance::copied_eq;

pub(super) fn check(sc: &Scenario, plan: &Plan, out: &mut Vec<Violation>) {
    check_with_horizon(sc, plan, sc.policy.horizon_months, "the policy says", out);
}

/// The header against the horizon the plan must state: the policy's, or in a roadmap
/// 12 months per planning year; `source` says where the horizon comes from.
pub(super) fn check_with_horizon(
    sc: &Scenario,
    plan: &Plan,
    horizon_months: f64,
    source: &str,
    out: &mut Vec<Violation>,
) {
    if plan.scenario != sc.name {
        out.push(Violation::new(
            "C001",
            format!(
                "the plan is for scenario {}, not {}",
                quote(&plan.scenario),
                quote(&sc.name)
            ),
        ));
    }
    if !copied_eq(plan.horizon_months, horizon_months) {
        out.push(Violation::new(
            "C002",
            format!(
                "horizon_months is {} but {source} {horizon_months}",
                plan.horizon_months
            ),
        ));
    }
    if !(0.0..=1.0).contains(&plan.gap) {
        out.push(Violation::new(
            "C003",
            format!("gap {} is not in [0, 1]", plan.gap),
        ));
    }
}

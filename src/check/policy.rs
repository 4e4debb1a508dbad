//! C401–C405: the plan keeps every limit the policy sets.
//!
//! Driven by [`Scenario::policy`]'s limits with an exhaustive `match` on
//! [`PolicyLimit`]: a new kind of limit does not compile until the checker knows how
//! to check it.

use super::view::View;
use super::Violation;
use crate::model::{Policy, PolicyLimit, Scenario, Scope};
use crate::tolerance::{share_within, within};

/// What a limit is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Subject {
    /// The plan as a whole.
    Plan,
    /// One provider that hosts services (index into [`Scenario::providers`]).
    Provider(usize),
}

/// Every limit `policy` sets with what it is measured on, in the order the checker
/// reports them and plans list their limit rows: the plan-wide limits, then for each
/// used provider its per-provider limits. The policy is the scenario's, or in a
/// roadmap the one in force in the year `view` shows.
pub(super) fn applied(sc: &Scenario, policy: &Policy, view: &View) -> Vec<(PolicyLimit, Subject)> {
    let mut limits = policy.limits().to_vec();
    limits.sort_by_key(report_rank);
    let (plan_wide, per_provider): (Vec<PolicyLimit>, Vec<PolicyLimit>) = limits
        .into_iter()
        .partition(|l| l.kind().scope() == Scope::Plan);
    let mut out: Vec<_> = plan_wide.into_iter().map(|l| (l, Subject::Plan)).collect();
    for p in (0..sc.providers.len()).filter(|&p| view.count[p] > 0) {
        out.extend(per_provider.iter().map(|&l| (l, Subject::Provider(p))));
    }
    out
}

/// The budget comes first, as plans have listed it since the first format; the rest
/// keep the policy's order.
fn report_rank(limit: &PolicyLimit) -> u8 {
    match limit {
        PolicyLimit::Budget(_) => 0,
        PolicyLimit::ProviderShare(_) => 1,
        PolicyLimit::MinProviders(_) => 2,
        PolicyLimit::CloudActShare(_) => 3,
        PolicyLimit::ExitCost(_) => 4,
    }
}

pub(super) fn check(sc: &Scenario, view: &View, out: &mut Vec<Violation>) {
    check_under(sc, &sc.policy, view, out);
}

/// Checks the limits of `policy` (a roadmap year's) on `view`.
pub(super) fn check_under(sc: &Scenario, policy: &Policy, view: &View, out: &mut Vec<Violation>) {
    for (limit, on) in applied(sc, policy, view) {
        check_one(sc, view, limit, on, out);
    }
}

/// Money limits are checked relative to their bound ([`within`]); share limits as
/// shares of the monthly cost ([`share_within`]), so that the tolerance does not grow
/// with the share of the bill when all prices are tiny (a plan that costs nothing has
/// no share).
///
/// About 60 lines: one arm per kind of limit, kept in one `match` so that a new kind
/// is a compile error here rather than a limit nobody checks.
fn check_one(
    sc: &Scenario,
    view: &View,
    limit: PolicyLimit,
    on: Subject,
    out: &mut Vec<Violation>,
) {
    let monthly = view.monthly;
    let mut bad = |code, message| out.push(Violation::new(code, message));
    match (limit, on) {
        (PolicyLimit::Budget(b), Subject::Plan) => {
            if !within(monthly, b) {
                bad(
                    "C401",
                    format!("monthly cost {monthly:.2} exceeds the budget {b}"),
                );
            }
        }
        (PolicyLimit::MinProviders(k), Subject::Plan) => {
            let (used, k) = (view.providers_used(), f64::from(k));
            if (used as f64) < k {
                bad(
                    "C402",
                    format!("{used} provider(s) used, policy requires at least {k}"),
                );
            }
        }
        (PolicyLimit::CloudActShare(sh), Subject::Plan) => {
            let exposed = view.cloud_act_spend(sc);
            let share = view.share(exposed);
            if !share_within(share, sh) {
                let message = format!(
                    "CLOUD-Act-exposed providers bill {exposed:.2} of {monthly:.2} per month \
                     (share {share:.6}), more than the share {sh}"
                );
                bad("C403", message);
            }
        }
        (PolicyLimit::ProviderShare(sh), Subject::Provider(p)) => {
            let (id, spend) = (&sc.providers[p].id, view.spend[p]);
            let share = view.share(spend);
            if !share_within(share, sh) {
                let message = format!(
                    "provider \"{id}\" bills {spend:.2} of {monthly:.2} per month \
                     (share {share:.6}), more than the share {sh}"
                );
                bad("C404", message);
            }
        }
        (PolicyLimit::ExitCost(x), Subject::Provider(p)) => {
            let (id, exit) = (&sc.providers[p].id, view.exit[p]);
            if !within(exit, x) {
                let message = format!(
                    "leaving provider \"{id}\" would cost {exit:.2}, \
                     more than max_exit_cost {x}"
                );
                bad("C405", message);
            }
        }
        (PolicyLimit::ProviderShare(_) | PolicyLimit::ExitCost(_), Subject::Plan)
        | (
            PolicyLimit::Budget(_) | PolicyLimit::MinProviders(_) | PolicyLimit::CloudActShare(_),
            Subject::Provider(_),
        ) => unreachable!("applied() measures every limit on its own scope"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{small, view};
    use super::*;

    #[test]
    fn applies_plan_wide_limits_budget_first_then_per_used_provider() {
        let sc = small(
            r#"{"max_provider_share": 0.9, "min_providers": 2, "max_cloud_act_share": 0.5,
                "max_exit_cost": 5000, "monthly_budget": 500}"#,
        );
        let kinds = |placement| {
            applied(&sc, &sc.policy, &view(&sc, placement))
                .into_iter()
                .map(|(l, on)| (l.kind().field(), on))
                .collect::<Vec<_>>()
        };
        let plan_wide = [
            ("monthly_budget", Subject::Plan),
            ("min_providers", Subject::Plan),
            ("max_cloud_act_share", Subject::Plan),
        ];
        let per_provider = |p| {
            [
                ("max_provider_share", Subject::Provider(p)),
                ("max_exit_cost", Subject::Provider(p)),
            ]
        };
        assert_eq!(
            kinds(["a1", "a1", "b1"]),
            [&plan_wide[..], &per_provider(0), &per_provider(1)].concat()
        );
        // b hosts nothing: no rows for it.
        assert_eq!(
            kinds(["a1", "a1", "a2"]),
            [&plan_wide[..], &per_provider(0)].concat()
        );
    }

    #[test]
    fn reports_in_application_order() {
        let sc = small(r#"{"max_provider_share": 0.5, "min_providers": 2, "monthly_budget": 1}"#);
        let mut out = Vec::new();
        check(&sc, &view(&sc, ["a1", "a1", "a2"]), &mut out);
        let codes: Vec<_> = out.iter().map(|v| v.code).collect();
        assert_eq!(codes, ["C401", "C402", "C404"]);
    }
}

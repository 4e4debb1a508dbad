//! C501–C502: the plan's limit rows are exactly the ones its scenario calls for, each
//! with the recomputed value, the bound and whether it is binding.

use super::policy::{applied, Subject};
use super::view::View;
use super::Violation;
use crate::model::{Dim, LimitKind, Policy, PolicyLimit, Scenario};
use crate::plan::Plan;
use crate::tolerance::{at_bound, binding_agrees, copied_eq, money_close, quantity_eq, share_eq};

/// What a limit row's value measures, which decides how precisely it must agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Measure {
    /// EUR, rounded to cents in the plan.
    Money,
    /// A fraction of the monthly cost, rounded to six decimals.
    Share,
    /// A number of providers: exact.
    Count,
    /// A load in vCPU or GB, rounded to six decimals.
    Quantity,
}

impl Measure {
    pub(super) fn of(kind: LimitKind) -> Measure {
        match kind {
            LimitKind::Budget | LimitKind::ExitCost => Measure::Money,
            LimitKind::ProviderShare | LimitKind::CloudActShare => Measure::Share,
            LimitKind::MinProviders => Measure::Count,
        }
    }

    /// Whether the reported value agrees with the recomputed one.
    fn agrees(self, reported: f64, exact: f64) -> bool {
        match self {
            Measure::Money => money_close(reported, exact),
            Measure::Share => share_eq(reported, exact),
            Measure::Count => copied_eq(reported, exact),
            Measure::Quantity => quantity_eq(reported, exact),
        }
    }
}

/// A limit row the plan must hold.
pub(super) struct Expected {
    /// The limit's field name.
    pub limit: String,
    /// What its value measures.
    pub measure: Measure,
    /// Provider or offering id, empty for plan-wide limits.
    pub subject: String,
    /// The recomputed value.
    pub value: f64,
    /// The bound.
    pub bound: f64,
    /// In a roadmap plan, the year the row is about (single-period rows match any).
    pub year: Option<i32>,
}

pub(super) fn check(sc: &Scenario, plan: &Plan, view: &View, out: &mut Vec<Violation>) {
    check_rows(plan, &expected_rows(sc, &sc.policy, view), out);
}

/// C501 (count, missing rows) and C502 (figures) against the rows a plan must hold.
pub(super) fn check_rows(plan: &Plan, expected: &[Expected], out: &mut Vec<Violation>) {
    if plan.limits.len() != expected.len() {
        out.push(Violation::new(
            "C501",
            format!(
                "{} limit rows, expected {}",
                plan.limits.len(),
                expected.len()
            ),
        ));
    }
    for e in expected {
        compare(plan, e, out);
    }
}

/// One row per limit of `policy` applied, then one per offering capacity and dimension.
pub(super) fn expected_rows(sc: &Scenario, policy: &Policy, view: &View) -> Vec<Expected> {
    let mut rows: Vec<Expected> = applied(sc, policy, view)
        .into_iter()
        .map(|(limit, on)| Expected {
            limit: limit.kind().field().to_string(),
            measure: Measure::of(limit.kind()),
            subject: match on {
                Subject::Plan => String::new(),
                Subject::Provider(p) => sc.providers[p].id.clone(),
            },
            value: value(sc, view, limit, on),
            bound: limit.bound(),
            year: None,
        })
        .collect();
    for (off, load) in sc.offerings.iter().zip(&view.load) {
        for (k, &dim) in Dim::ALL.iter().enumerate() {
            if let Some(cap) = off.capacity.get(dim) {
                rows.push(Expected {
                    limit: format!("capacity.{}", dim.name()),
                    measure: Measure::Quantity,
                    subject: off.id.clone(),
                    value: load[k],
                    bound: cap,
                    year: None,
                });
            }
        }
    }
    rows
}

/// The value a limit row reports: shares as fractions of the monthly cost.
fn value(sc: &Scenario, view: &View, limit: PolicyLimit, on: Subject) -> f64 {
    match (limit, on) {
        (PolicyLimit::Budget(_), Subject::Plan) => view.monthly,
        (PolicyLimit::MinProviders(_), Subject::Plan) => view.providers_used() as f64,
        (PolicyLimit::CloudActShare(_), Subject::Plan) => view.share(view.cloud_act_spend(sc)),
        (PolicyLimit::ProviderShare(_), Subject::Provider(p)) => view.share(view.spend[p]),
        (PolicyLimit::ExitCost(_), Subject::Provider(p)) => view.exit[p],
        (PolicyLimit::ProviderShare(_) | PolicyLimit::ExitCost(_), Subject::Plan)
        | (
            PolicyLimit::Budget(_) | PolicyLimit::MinProviders(_) | PolicyLimit::CloudActShare(_),
            Subject::Provider(_),
        ) => unreachable!("applied() measures every limit on its own scope"),
    }
}

fn compare(plan: &Plan, e: &Expected, out: &mut Vec<Violation>) {
    let Expected {
        limit: name,
        measure,
        subject,
        value,
        bound,
        year,
    } = e;
    let Some(r) = plan
        .limits
        .iter()
        .find(|r| &r.limit == name && &r.subject == subject && (year.is_none() || r.year == *year))
    else {
        let when = year.map(|y| format!(" in {y}")).unwrap_or_default();
        out.push(Violation::new(
            "C501",
            format!("no limit row for {name} {subject}{when}"),
        ));
        return;
    };
    let binding = at_bound(*value, *bound);
    if !measure.agrees(r.value, *value)
        || !copied_eq(r.bound, *bound)
        || !binding_agrees(r.binding, *value, *bound)
    {
        out.push(Violation::new(
            "C502",
            format!(
                "limit row {name} {subject}{}: value {}, bound {}, binding {}; \
                 recomputed {value:.6}, {bound}, {binding}",
                year.map(|y| format!(" ({y})")).unwrap_or_default(),
                r.value,
                r.bound,
                r.binding
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{small, view};
    use super::*;

    #[test]
    fn expects_policy_rows_then_capacity_rows() {
        let sc = small(r#"{"max_exit_cost": 5000, "monthly_budget": 500}"#);
        let rows = expected_rows(&sc, &sc.policy, &view(&sc, ["a1", "a1", "b1"]));
        let keys: Vec<_> = rows
            .iter()
            .map(|e| (e.limit.as_str(), e.subject.as_str(), e.bound))
            .collect();
        assert_eq!(
            keys,
            [
                ("monthly_budget", "", 500.0),
                ("max_exit_cost", "a", 5000.0),
                ("max_exit_cost", "b", 5000.0),
                ("capacity.vcpu", "a1", 8.0),
            ]
        );
        assert_eq!(rows[3].value, 8.0);
    }
}

//! The plan's `limits` rows: how close the plan comes to every limit the scenario sets.

use super::{cents, micro, share, LimitRow};
use crate::model::cost::Evaluation;
use crate::model::{Dim, LimitKind, OfferingId, Policy, PolicyLimit, ProviderId, Scenario, Scope};
use crate::tolerance::at_bound;

/// One row per plan-wide limit, then per used provider one row per per-provider
/// limit, then one per offering capacity.
pub fn limit_rows(sc: &Scenario, placement: &[OfferingId], e: &Evaluation) -> Vec<LimitRow> {
    limit_rows_under(sc, &sc.policy, placement, e)
}

/// [`limit_rows`] under `policy` instead of the scenario's own (a roadmap year's).
pub fn limit_rows_under(
    sc: &Scenario,
    policy: &Policy,
    placement: &[OfferingId],
    e: &Evaluation,
) -> Vec<LimitRow> {
    let mut limits: Vec<PolicyLimit> = policy.limits().to_vec();
    limits.sort_by_key(|l| row_rank(l.kind()));
    let mut rows = Vec::new();
    for l in limits.iter().filter(|l| l.kind().scope() == Scope::Plan) {
        rows.push(row(l, "", value(sc, e, l, None)));
    }
    for p in sc.provider_ids().filter(|p| e.services_on[p.index()] > 0) {
        let id = &sc.providers[p.index()].id;
        for l in limits
            .iter()
            .filter(|l| l.kind().scope() == Scope::PerProvider)
        {
            rows.push(row(l, id, value(sc, e, l, Some(p))));
        }
    }
    rows.extend(capacity_rows(sc, placement));
    rows
}

/// The order of rows in a plan: the budget first, as plans have listed it since the
/// first format; the rest in the policy's order.
fn row_rank(kind: LimitKind) -> u8 {
    match kind {
        LimitKind::Budget => 0,
        LimitKind::ProviderShare => 1,
        LimitKind::MinProviders => 2,
        LimitKind::CloudActShare => 3,
        LimitKind::ExitCost => 4,
    }
}

/// The plan's value for a limit (of provider `p` for per-provider limits).
fn value(sc: &Scenario, e: &Evaluation, limit: &PolicyLimit, p: Option<ProviderId>) -> f64 {
    let of = |p: Option<ProviderId>| p.expect("per-provider limits are valued per provider");
    match limit {
        PolicyLimit::ProviderShare(_) => share(e.spend[of(p).index()], e.monthly),
        PolicyLimit::MinProviders(_) => e.services_on.iter().filter(|&&n| n > 0).count() as f64,
        PolicyLimit::CloudActShare(_) => {
            let exposed: f64 = sc
                .provider_ids()
                .filter(|p| sc.providers[p.index()].cloud_act_exposed)
                .map(|p| e.spend[p.index()])
                .sum();
            share(exposed, e.monthly)
        }
        PolicyLimit::ExitCost(_) => e.exit[of(p).index()],
        PolicyLimit::Budget(_) => e.monthly,
    }
}

fn row(limit: &PolicyLimit, subject: &str, value: f64) -> LimitRow {
    let kind = limit.kind();
    let round = if kind.is_money() { cents } else { micro };
    LimitRow {
        limit: kind.field().to_string(),
        subject: subject.to_string(),
        value: round(value),
        bound: limit.bound(),
        binding: at_bound(value, limit.bound()),
        year: None,
    }
}

/// One row per offering capacity and dimension: the load placed there.
fn capacity_rows(sc: &Scenario, placement: &[OfferingId]) -> Vec<LimitRow> {
    let mut rows = Vec::new();
    for o in sc.offering_ids() {
        let off = &sc.offerings[o.index()];
        let on: Vec<usize> = (0..placement.len())
            .filter(|&s| placement[s] == o)
            .collect();
        for dim in Dim::ALL {
            if let Some(cap) = off.capacity.get(dim) {
                let load: f64 = on.iter().map(|&s| sc.services[s].demand.get(dim)).sum();
                rows.push(LimitRow {
                    limit: format!("capacity.{}", dim.name()),
                    subject: off.id.clone(),
                    value: micro(load),
                    bound: cap,
                    binding: at_bound(load, cap),
                    year: None,
                });
            }
        }
    }
    rows
}

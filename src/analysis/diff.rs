//! What changes between two plans: the services that sit elsewhere, each provider's
//! bill, share and exit cost, and the totals. Works on plans alone (no scenario), so
//! that plans written months apart can be compared.

use crate::plan::{cents, micro, PlacementRow, Plan, ProviderRow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The difference B − A of two plans, as flat rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffReport {
    /// Scenario of plan A.
    pub scenario_a: String,
    /// Scenario of plan B.
    pub scenario_b: String,
    /// Total cost of A (EUR).
    pub total_cost_a: f64,
    /// Total cost of B (EUR).
    pub total_cost_b: f64,
    /// total_cost B − A.
    pub total_delta: f64,
    /// monthly_cost B − A.
    pub monthly_delta: f64,
    /// one_off_cost B − A.
    pub one_off_delta: f64,
    /// Number of services on another offering in B (or in only one plan).
    pub services_moved: usize,
    /// One row per service that sits elsewhere, in A's order, then those only in B.
    pub services: Vec<ServiceChange>,
    /// One row per provider of either plan, in A's order, then those only in B.
    pub providers: Vec<ProviderChange>,
}

/// A service that sits on another offering in B than in A.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceChange {
    /// Service id.
    pub service: String,
    /// Offering in A (null when the service is only in B).
    pub from_offering: Option<String>,
    /// Provider in A.
    pub from_provider: Option<String>,
    /// Offering in B (null when the service is only in A).
    pub to_offering: Option<String>,
    /// Provider in B.
    pub to_provider: Option<String>,
    /// monthly_cost B − A of this service (run and traffic it sends).
    pub monthly_cost_delta: f64,
    /// Only a move between two offerings of the same provider at the same running cost.
    pub same_provider_same_price: bool,
}

/// One provider's bill and lock-in in both plans.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderChange {
    /// Provider id.
    pub provider: String,
    /// Spend in A (EUR/month).
    pub spend_a: f64,
    /// Spend in B.
    pub spend_b: f64,
    /// spend B − A.
    pub spend_delta: f64,
    /// Share in A.
    pub share_a: f64,
    /// Share in B.
    pub share_b: f64,
    /// share B − A.
    pub share_delta: f64,
    /// Exit cost in A (EUR).
    pub exit_cost_a: f64,
    /// Exit cost in B.
    pub exit_cost_b: f64,
    /// exit_cost B − A.
    pub exit_cost_delta: f64,
}

/// Compares two plans; plans of different scenarios only with `force`.
pub fn diff(a: &Plan, b: &Plan, force: bool) -> Result<DiffReport, String> {
    if a.scenario != b.scenario && !force {
        return Err(format!(
            "the plans are for different scenarios (\"{}\" and \"{}\"); pass --force to compare them anyway",
            a.scenario, b.scenario
        ));
    }
    let services = service_changes(&a.placements, &b.placements);
    Ok(DiffReport {
        scenario_a: a.scenario.clone(),
        scenario_b: b.scenario.clone(),
        total_cost_a: a.total_cost,
        total_cost_b: b.total_cost,
        total_delta: cents(b.total_cost - a.total_cost),
        monthly_delta: cents(b.monthly_cost - a.monthly_cost),
        one_off_delta: cents(b.one_off_cost - a.one_off_cost),
        services_moved: services.len(),
        services,
        providers: provider_changes(&a.providers, &b.providers),
    })
}

/// The keys of both lists in A's order, then those only in B.
fn union_keys<'a, T>(a: &'a [T], b: &'a [T], key: impl Fn(&T) -> &str) -> Vec<String> {
    let in_a: BTreeMap<&str, ()> = a.iter().map(|x| (key(x), ())).collect();
    a.iter()
        .map(&key)
        .chain(b.iter().map(&key).filter(|k| !in_a.contains_key(k)))
        .map(String::from)
        .collect()
}

fn service_changes(a: &[PlacementRow], b: &[PlacementRow]) -> Vec<ServiceChange> {
    let a_by: BTreeMap<&str, &PlacementRow> = a.iter().map(|r| (r.service.as_str(), r)).collect();
    let b_by: BTreeMap<&str, &PlacementRow> = b.iter().map(|r| (r.service.as_str(), r)).collect();
    union_keys(a, b, |r| r.service.as_str())
        .into_iter()
        .filter_map(|id| {
            let (ra, rb) = (a_by.get(id.as_str()), b_by.get(id.as_str()));
            if let (Some(x), Some(y)) = (ra, rb) {
                if x.offering == y.offering {
                    return None;
                }
            }
            let monthly = |r: Option<&&PlacementRow>| r.map_or(0.0, |r| r.monthly_cost);
            let same = match (ra, rb) {
                (Some(x), Some(y)) => x.provider == y.provider && x.run_cost == y.run_cost,
                _ => false,
            };
            Some(ServiceChange {
                service: id.clone(),
                from_offering: ra.map(|r| r.offering.clone()),
                from_provider: ra.map(|r| r.provider.clone()),
                to_offering: rb.map(|r| r.offering.clone()),
                to_provider: rb.map(|r| r.provider.clone()),
                monthly_cost_delta: cents(monthly(rb) - monthly(ra)),
                same_provider_same_price: same,
            })
        })
        .collect()
}

fn provider_changes(a: &[ProviderRow], b: &[ProviderRow]) -> Vec<ProviderChange> {
    let a_by: BTreeMap<&str, &ProviderRow> = a.iter().map(|r| (r.provider.as_str(), r)).collect();
    let b_by: BTreeMap<&str, &ProviderRow> = b.iter().map(|r| (r.provider.as_str(), r)).collect();
    union_keys(a, b, |r| r.provider.as_str())
        .into_iter()
        .map(|id| {
            let get = |m: &BTreeMap<&str, &ProviderRow>, f: fn(&ProviderRow) -> f64| {
                m.get(id.as_str()).map_or(0.0, |r| f(r))
            };
            let (sa, sb) = (get(&a_by, |r| r.spend), get(&b_by, |r| r.spend));
            let (ha, hb) = (get(&a_by, |r| r.share), get(&b_by, |r| r.share));
            let (ea, eb) = (get(&a_by, |r| r.exit_cost), get(&b_by, |r| r.exit_cost));
            ProviderChange {
                provider: id,
                spend_a: sa,
                spend_b: sb,
                spend_delta: cents(sb - sa),
                share_a: ha,
                share_b: hb,
                share_delta: micro(hb - ha),
                exit_cost_a: ea,
                exit_cost_b: eb,
                exit_cost_delta: cents(eb - ea),
            }
        })
        .collect()
}

impl DiffReport {
    /// Pretty JSON with a trailing newline; deterministic for the same report.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("reports hold only finite numbers");
        s.push('\n');
        s
    }
}

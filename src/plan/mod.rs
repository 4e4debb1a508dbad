//! The plan: what the user imports into a spreadsheet. Flat arrays of records with
//! scalar fields, stable order, money rounded to cents, no timings (byte-identical
//! output for the same input and options).

mod limits;

use crate::model::cost::evaluate;
use crate::model::{OfferingId, Scenario};
use serde::{Deserialize, Serialize};

/// Whether optimality was proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlanStatus {
    /// Proven optimal within the requested relative gap.
    Optimal,
    /// Feasible, stopped by the time limit before optimality was proven.
    Feasible,
}

/// One service's placement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlacementRow {
    /// Service id.
    pub service: String,
    /// Service display name.
    pub service_name: String,
    /// Chosen offering id.
    pub offering: String,
    /// Provider of the offering.
    pub provider: String,
    /// Country of the offering.
    pub country: String,
    /// Data class id, if any.
    pub data_class: Option<String>,
    /// Monthly running cost.
    pub run_cost: f64,
    /// Monthly cost of the traffic this service sends.
    pub traffic_cost: f64,
    /// run_cost + traffic_cost.
    pub monthly_cost: f64,
    /// Migration cost paid once.
    pub one_off_cost: f64,
    /// Whether it leaves its current offering.
    pub moved: bool,
}

/// One provider's bill and lock-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderRow {
    /// Provider id.
    pub provider: String,
    /// Number of services placed there.
    pub services: usize,
    /// Monthly bill: runs, traffic sent, fee.
    pub spend: f64,
    /// spend / monthly_cost (0 when nothing costs anything).
    pub share: f64,
    /// What leaving this provider would cost once.
    pub exit_cost: f64,
    /// Controlled by a company subject to the US CLOUD Act.
    pub cloud_act_exposed: bool,
}

/// One dependency's traffic cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DependencyRow {
    /// Sending service.
    pub from: String,
    /// Receiving service.
    pub to: String,
    /// Offering of the sender.
    pub from_offering: String,
    /// Offering of the receiver.
    pub to_offering: String,
    /// GB per month.
    pub traffic_gb_month: f64,
    /// Monthly cost.
    pub cost: f64,
}

/// How close the plan comes to one policy or capacity limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitRow {
    /// Field name: `monthly_budget`, `max_provider_share`, `min_providers`,
    /// `max_cloud_act_share`, `max_exit_cost`, `capacity.vcpu`, `capacity.ram_gb`, `capacity.storage_gb`.
    pub limit: String,
    /// Provider or offering the row is about; empty for scenario-wide limits.
    pub subject: String,
    /// The plan's value.
    pub value: f64,
    /// The limit.
    pub bound: f64,
    /// Whether the value sits at the bound (the limit shapes the plan).
    pub binding: bool,
}

/// A placement plan with every figure of the cost model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Scenario name.
    pub scenario: String,
    /// Optimal or merely feasible.
    pub status: PlanStatus,
    /// Horizon used for total_cost.
    pub horizon_months: f64,
    /// horizon_months · monthly_cost + one_off_cost.
    pub total_cost: f64,
    /// Σ run + Σ traffic + Σ fees.
    pub monthly_cost: f64,
    /// Σ migration costs.
    pub one_off_cost: f64,
    /// Relative MIP gap at the end of the solve.
    pub gap: f64,
    /// One row per service, scenario order.
    pub placements: Vec<PlacementRow>,
    /// One row per provider, scenario order.
    pub providers: Vec<ProviderRow>,
    /// One row per dependency, scenario order.
    pub dependencies: Vec<DependencyRow>,
    /// One row per limit the scenario sets (per provider / offering where it applies).
    pub limits: Vec<LimitRow>,
    /// The `--set PATH=VALUE` overrides the plan was made with (absent when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
}

/// Rounds money to cents (and never prints `-0`).
pub fn cents(x: f64) -> f64 {
    (x * crate::tolerance::MONEY_SCALE).round() / crate::tolerance::MONEY_SCALE + 0.0
}

/// Rounds a share or gap to six decimals.
pub fn micro(x: f64) -> f64 {
    (x * crate::tolerance::SHARE_SCALE).round() / crate::tolerance::SHARE_SCALE + 0.0
}

/// Builds the plan for a placement (`placement[s]` = offering of service `s`).
pub fn build_plan(sc: &Scenario, placement: &[OfferingId], status: PlanStatus, gap: f64) -> Plan {
    let e = evaluate(sc, placement);
    let dc_id = |s: usize| {
        sc.services[s]
            .data_class
            .map(|d| sc.data_classes[d.index()].id.clone())
    };
    let placements = sc
        .service_ids()
        .map(|s| {
            let i = s.index();
            let o = &sc.offerings[placement[i].index()];
            let svc = &sc.services[i];
            PlacementRow {
                service: svc.id.clone(),
                service_name: svc.name.clone(),
                offering: o.id.clone(),
                provider: sc.providers[o.provider.index()].id.clone(),
                country: o.country.clone(),
                data_class: dc_id(i),
                run_cost: cents(e.run[i]),
                traffic_cost: cents(e.sent[i]),
                monthly_cost: cents(e.run[i] + e.sent[i]),
                one_off_cost: cents(e.one_off[i]),
                moved: svc.current_offering.is_some_and(|c| c != placement[i]),
            }
        })
        .collect();
    let providers = sc
        .provider_ids()
        .map(|p| {
            let i = p.index();
            ProviderRow {
                provider: sc.providers[i].id.clone(),
                services: e.services_on[i],
                spend: cents(e.spend[i]),
                share: micro(share(e.spend[i], e.monthly)),
                exit_cost: cents(e.exit[i]),
                cloud_act_exposed: sc.providers[i].cloud_act_exposed,
            }
        })
        .collect();
    let dependencies = sc
        .dependencies
        .iter()
        .enumerate()
        .map(|(i, d)| DependencyRow {
            from: sc.services[d.from.index()].id.clone(),
            to: sc.services[d.to.index()].id.clone(),
            from_offering: sc.offerings[placement[d.from.index()].index()].id.clone(),
            to_offering: sc.offerings[placement[d.to.index()].index()].id.clone(),
            traffic_gb_month: d.traffic_gb_month,
            cost: cents(e.traffic[i]),
        })
        .collect();
    Plan {
        scenario: sc.name.clone(),
        status,
        horizon_months: sc.policy.horizon_months,
        total_cost: cents(e.total),
        monthly_cost: cents(e.monthly),
        one_off_cost: cents(e.one_off_total),
        gap: micro(gap.clamp(0.0, 1.0)),
        placements,
        providers,
        dependencies,
        limits: limits::limit_rows(sc, placement, &e),
        overrides: Vec::new(),
    }
}

/// spend / monthly, 0 when the plan costs nothing.
pub fn share(spend: f64, monthly: f64) -> f64 {
    if monthly > 0.0 {
        spend / monthly
    } else {
        0.0
    }
}

impl Plan {
    /// Pretty JSON with a trailing newline; deterministic for the same plan.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("plans contain only finite numbers");
        s.push('\n');
        s
    }
}

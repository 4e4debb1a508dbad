//! The plan: what the user imports into a spreadsheet. Flat arrays of records with
//! scalar fields, stable order, money rounded to cents so that every column adds up to
//! its total (largest-remainder rounding in `cents.rs`, described in the README's
//! plan format), no timings (byte-identical output for the same input and options).

mod cents;
mod limits;
mod roadmap;

pub use roadmap::{build_roadmap_plan, ProviderYearRow, ScheduleRow, YearChange, YearRow};

use crate::model::cost::{evaluate, Evaluation};
use crate::model::{OfferingId, Scenario};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

/// Whether optimality was proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PlanStatus {
    /// Proven optimal within the requested relative gap.
    Optimal,
    /// Feasible, stopped by the time limit before optimality was proven.
    Feasible,
}

/// What the plan does with a service compared with where it runs today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// It runs nowhere today (no `current_offering`).
    New,
    /// It stays on its current offering.
    Stays,
    /// It leaves its current offering.
    Moved,
}

/// One service's placement.
///
/// The fields that are `Option`s were added after the first plan format: plans written
/// before them still parse (the fields are `None`), and [`crate::check`] verifies each
/// one where it is present.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlacementRow {
    /// Service id.
    pub service: String,
    /// Service display name.
    pub service_name: String,
    /// Where the service runs today: `Some(None)` (JSON `null`) when it is new,
    /// `None` when the plan predates the field.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub previous_offering: Option<Option<String>>,
    /// New, stays or moved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
    /// Chosen offering id.
    pub offering: String,
    /// Display name of the offering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offering_name: Option<String>,
    /// Provider of the offering.
    pub provider: String,
    /// Display name of the provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_name: Option<String>,
    /// Country of the offering.
    pub country: String,
    /// Data class id, if any.
    pub data_class: Option<String>,
    /// vCPUs the service needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcpu: Option<f64>,
    /// GB of RAM it needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ram_gb: Option<f64>,
    /// GB of storage it needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_gb: Option<f64>,
    /// GB per month it sends to the internet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress_gb_month: Option<f64>,
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
    /// In a roadmap plan: the year it moves (`Some(None)`, JSON `null`, when it never
    /// does); `None` in single-period plans.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub move_year: Option<Option<i32>>,
}

/// Reads a field that may be `null` as `Some(None)`, so that a missing field (`None`,
/// from `#[serde(default)]`) and an explicit `null` stay apart.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// One provider's bill and lock-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderRow {
    /// Provider id.
    pub provider: String,
    /// Display name (absent in plans that predate it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Number of services placed there.
    pub services: usize,
    /// Monthly fee billed because the provider is used (0 when unused; absent in plans
    /// that predate it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<f64>,
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    /// In a roadmap plan: the year the row is about; absent in single-period plans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
}

/// An offering the plan uses whose prices the catalogue marks as estimates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EstimateRow {
    /// Offering id.
    pub offering: String,
    /// Display name of the offering.
    pub offering_name: String,
    /// Provider id.
    pub provider: String,
    /// Date of the prices (`YYYY-MM-DD`), if the catalogue gives one.
    pub as_of: Option<String>,
    /// Services the plan places there.
    pub services: usize,
    /// Σ monthly_cost of those services' placement rows: what rests on the estimate.
    pub monthly_cost: f64,
}

/// A placement plan with every figure of the cost model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Scenario name.
    pub scenario: String,
    /// Optimal or merely feasible.
    pub status: PlanStatus,
    /// Horizon used for total_cost.
    pub horizon_months: f64,
    /// horizon_months · monthly_cost + one_off_cost, from the exact figures.
    pub total_cost: f64,
    /// Σ run + Σ traffic + Σ fees = Σ placements.monthly_cost + Σ providers.fee.
    pub monthly_cost: f64,
    /// Σ migration costs = Σ placements.one_off_cost.
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
    /// The used offerings whose prices are estimates, scenario order. Written by every
    /// plan (empty when none); `None` only for plans that predate the field, which
    /// also marks a plan whose columns are not promised to add up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimates: Option<Vec<EstimateRow>>,
    /// Roadmap plans: one row per planning year (absent in single-period plans).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<Vec<YearRow>>,
    /// Roadmap plans: one row per service and year, service by service (absent in
    /// single-period plans).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Vec<ScheduleRow>>,
    /// Roadmap plans: one row per year and provider, year by year (absent in
    /// single-period plans).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub providers_by_year: Option<Vec<ProviderYearRow>>,
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
    let c = cents::round(sc, placement, &e);
    let placements = placement_rows(sc, placement, &c);
    let estimates = estimate_rows(sc, placement, &placements);
    Plan {
        scenario: sc.name.clone(),
        status,
        horizon_months: sc.policy.horizon_months,
        // The exact total, not horizon · the rounded monthly cost: the checker holds
        // it to a cent of the cost model.
        total_cost: cents(e.total),
        monthly_cost: cents::eur(c.monthly_total),
        one_off_cost: cents::eur(c.one_off_total),
        gap: micro(gap.clamp(0.0, 1.0)),
        placements,
        providers: provider_rows(sc, &e, &c),
        dependencies: dependency_rows(sc, placement, &c),
        limits: limits::limit_rows(sc, placement, &e),
        estimates: Some(estimates),
        years: None,
        schedule: None,
        providers_by_year: None,
        overrides: Vec::new(),
    }
}

fn placement_rows(sc: &Scenario, placement: &[OfferingId], c: &cents::Cents) -> Vec<PlacementRow> {
    let dc_id = |s: usize| {
        sc.services[s]
            .data_class
            .map(|d| sc.data_classes[d.index()].id.clone())
    };
    sc.service_ids()
        .map(|s| {
            let i = s.index();
            let o = &sc.offerings[placement[i].index()];
            let prov = &sc.providers[o.provider.index()];
            let svc = &sc.services[i];
            let change = match svc.current_offering {
                None => Change::New,
                Some(cur) if cur == placement[i] => Change::Stays,
                Some(_) => Change::Moved,
            };
            let previous = svc
                .current_offering
                .map(|c| sc.offerings[c.index()].id.clone());
            PlacementRow {
                service: svc.id.clone(),
                service_name: svc.name.clone(),
                previous_offering: Some(previous),
                change: Some(change),
                offering: o.id.clone(),
                offering_name: Some(o.name.clone()),
                provider: prov.id.clone(),
                provider_name: Some(prov.name.clone()),
                country: o.country.clone(),
                data_class: dc_id(i),
                vcpu: Some(svc.demand.vcpu),
                ram_gb: Some(svc.demand.ram_gb),
                storage_gb: Some(svc.demand.storage_gb),
                egress_gb_month: Some(svc.demand.egress_gb_month),
                run_cost: cents::eur(c.run[i]),
                traffic_cost: cents::eur(c.sent[i]),
                monthly_cost: cents::eur(c.monthly[i]),
                one_off_cost: cents::eur(c.one_off[i]),
                moved: change == Change::Moved,
                move_year: None,
            }
        })
        .collect()
}

fn provider_rows(sc: &Scenario, e: &Evaluation, c: &cents::Cents) -> Vec<ProviderRow> {
    sc.provider_ids()
        .map(|p| {
            let i = p.index();
            ProviderRow {
                provider: sc.providers[i].id.clone(),
                name: Some(sc.providers[i].name.clone()),
                services: e.services_on[i],
                fee: Some(cents::eur(c.fee[i])),
                spend: cents::eur(c.spend[i]),
                share: micro(share(e.spend[i], e.monthly)),
                exit_cost: cents(e.exit[i]),
                cloud_act_exposed: sc.providers[i].cloud_act_exposed,
            }
        })
        .collect()
}

fn dependency_rows(
    sc: &Scenario,
    placement: &[OfferingId],
    c: &cents::Cents,
) -> Vec<DependencyRow> {
    sc.dependencies
        .iter()
        .enumerate()
        .map(|(i, d)| DependencyRow {
            from: sc.services[d.from.index()].id.clone(),
            to: sc.services[d.to.index()].id.clone(),
            from_offering: sc.offerings[placement[d.from.index()].index()].id.clone(),
            to_offering: sc.offerings[placement[d.to.index()].index()].id.clone(),
            traffic_gb_month: d.traffic_gb_month,
            cost: cents::eur(c.traffic[i]),
        })
        .collect()
}

/// The used offerings marked as estimates, with what rests on them: the sum of the
/// (rounded) placement rows, so that the column adds up like the others.
fn estimate_rows(
    sc: &Scenario,
    placement: &[OfferingId],
    rows: &[PlacementRow],
) -> Vec<EstimateRow> {
    sc.offering_ids()
        .filter(|&o| sc.offerings[o.index()].estimate)
        .filter_map(|o| {
            let on: Vec<usize> = (0..placement.len())
                .filter(|&s| placement[s] == o)
                .collect();
            if on.is_empty() {
                return None;
            }
            let off = &sc.offerings[o.index()];
            let monthly: i64 = on.iter().map(|&s| whole_cents(rows[s].monthly_cost)).sum();
            Some(EstimateRow {
                offering: off.id.clone(),
                offering_name: off.name.clone(),
                provider: sc.providers[off.provider.index()].id.clone(),
                as_of: off.as_of.clone(),
                services: on.len(),
                monthly_cost: cents::eur(monthly),
            })
        })
        .collect()
}

/// A plan's amount, which is a whole number of cents, as an integer number of cents
/// (exact arithmetic for sums).
pub fn whole_cents(x: f64) -> i64 {
    (x * crate::tolerance::MONEY_SCALE).round() as i64
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

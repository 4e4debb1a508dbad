//! The independent plan checker. It never calls the solver and shares no cost code
//! with the planner: it re-derives every constraint and every reported figure from
//! the scenario and the plan's placements, in its own straightforward loops, so that
//! a bug in the formulation or in the plan writer shows up as a disagreement.
//!
//! [`check`] reads the plan's header and placement rows, recomputes a `View`
//! from the placements, and runs one rule family per file over it:
//!
//! | file             | codes       | what                                        |
//! |------------------|-------------|---------------------------------------------|
//! | `header.rs`      | C001–C003   | scenario name, horizon, gap                 |
//! | `placements.rs`  | C101–C106   | one row per service, on a known offering    |
//! | `details.rs`     | C107–C110   | change, demand and names of placement rows  |
//! | `eligibility.rs` | C201        | service lists and data-class rules          |
//! | `colocation.rs`  | C202        | `colocate` rules of dependencies            |
//! | `capacity.rs`    | C203        | offering capacities                         |
//! | `costs.rs`       | C301–C303   | placement figures and the plan's totals     |
//! | `rows.rs`        | C304–C308   | provider and dependency rows                |
//! | `reconcile.rs`   | C309–C311   | whole cents; columns add up to the totals   |
//! | `estimates.rs`   | C312        | the used offerings with estimated prices    |
//! | `policy.rs`      | C401–C405   | the policy's limits                         |
//! | `limits.rs`      | C501–C502   | the plan's limit rows                       |
//! | `roadmap/`       | C601–C616   | roadmap plans: schedule, years, yearly limits |
//!
//! Violations are reported in that order, and within a family in scenario order.
//!
//! A scenario with a `roadmap` is checked by [`roadmap`]: the families above on the
//! final year's placement and on every year's, the roadmap's own (C6xx) on the year
//! tables. A plan for a scenario without one must not carry the roadmap's tables
//! (C601); otherwise it is checked exactly as before roadmaps existed.
//!
//! Fields added to the plan format after its first version are checked where present,
//! so older plans still pass; a plan with `estimates` is in the format that writes
//! them all and promises columns that add up, which C110, C308 and C309–C311 hold it to.

mod capacity;
mod colocation;
mod costs;
mod details;
mod eligibility;
mod estimates;
mod header;
mod limits;
mod placements;
mod policy;
mod reconcile;
mod roadmap;
mod rows;
mod view;

use crate::model::Scenario;
use crate::plan::Plan;
use std::fmt;
use view::View;

/// One way in which a plan is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Stable code, e.g. `C301`.
    pub code: &'static str,
    /// What is wrong, with ids and figures.
    pub message: String,
}

impl Violation {
    fn new(code: &'static str, message: String) -> Self {
        Violation { code, message }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "violation[{}] {}", self.code, self.message)
    }
}

/// Checks `plan` against `sc`; an empty result means the plan is valid.
pub fn check(sc: &Scenario, plan: &Plan) -> Vec<Violation> {
    let mut out = Vec::new();
    if let Some(rm) = &sc.roadmap {
        roadmap::check(sc, rm, plan, &mut out);
        return out;
    }
    header::check(sc, plan, &mut out);
    roadmap::check_single_period(plan, &mut out);
    let Some(placement) = placements::check(sc, plan, &mut out) else {
        // Nothing below can be recomputed without a complete placement.
        return out;
    };
    let view = View::new(sc, placement);
    details::check(sc, plan, &view, &mut out);
    eligibility::check(sc, &view, &mut out);
    colocation::check(sc, &view, &mut out);
    capacity::check(sc, &view, &mut out);
    costs::check(sc, plan, &view, &mut out);
    rows::check(sc, plan, &view, &mut out);
    reconcile::check(sc, plan, &mut out);
    estimates::check(sc, plan, &view, &mut out);
    policy::check(sc, &view, &mut out);
    limits::check(sc, plan, &view, &mut out);
    out
}

/// A hand-made scenario for the unit tests of the rule families.
#[cfg(test)]
mod fixture {
    use super::view::View;
    use crate::model::{OfferingId, Scenario};
    use std::path::Path;

    /// Provider `a` (DE, fee 10) sells `a1` (open, 8 vCPU) and `a2` (closed); provider
    /// `b` (CLOUD-Act exposed) sells `b1` in IE. `db` holds sovereign data (DE only,
    /// level ≥ 2, no CLOUD Act), runs on `a1` today and must share a provider with
    /// `web`; `mail` sends to `web`.
    pub fn small(policy: &str) -> Scenario {
        let json = format!(
            r#"{{
  "name": "small",
  "providers": [
    {{"id": "a", "headquarters": "DE", "monthly_fee": 10}},
    {{"id": "b", "headquarters": "US", "cloud_act_exposed": true}}
  ],
  "offerings": [
    {{"id": "a1", "provider": "a", "country": "DE", "sovereignty_level": 3, "open_standards": true,
      "prices": {{"vcpu_month": 10, "ram_gb_month": 1, "storage_gb_month": 0.1, "egress_gb": 0.05, "inter_region_gb": 0.01}},
      "capacity": {{"vcpu": 8}}}},
    {{"id": "a2", "provider": "a", "country": "DE", "sovereignty_level": 2,
      "prices": {{"vcpu_month": 12, "ram_gb_month": 1, "storage_gb_month": 0.1, "egress_gb": 0.05}}}},
    {{"id": "b1", "provider": "b", "country": "IE", "sovereignty_level": 1,
      "prices": {{"vcpu_month": 5, "ram_gb_month": 0.5, "storage_gb_month": 0.05, "egress_gb": 0.09}}}}
  ],
  "data_classes": [
    {{"id": "sovereign", "allowed_countries": ["DE"], "min_sovereignty_level": 2, "forbid_cloud_act": true}}
  ],
  "services": [
    {{"id": "web", "demand": {{"vcpu": 4, "ram_gb": 8, "storage_gb": 100}}}},
    {{"id": "db", "data_class": "sovereign", "demand": {{"vcpu": 4, "ram_gb": 16, "storage_gb": 500}},
      "current_offering": "a1", "migration_cost": 1000, "replatform_cost": 2000}},
    {{"id": "mail", "demand": {{"vcpu": 2, "ram_gb": 4, "storage_gb": 50}}}}
  ],
  "dependencies": [
    {{"from": "web", "to": "db", "traffic_gb_month": 100, "colocate": "provider"}},
    {{"from": "mail", "to": "web", "traffic_gb_month": 10}}
  ],
  "policy": {policy}
}}"#
        );
        crate::parse_scenario(&json, Path::new(".")).expect("the small scenario is valid")
    }

    /// The view of `web`, `db` and `mail` placed on the offerings with these ids.
    pub fn view(sc: &Scenario, offerings: [&str; 3]) -> View {
        let placement = offerings
            .iter()
            .map(|id| {
                let o = sc.offerings.iter().position(|o| &o.id == id).unwrap();
                OfferingId(o as u32)
            })
            .collect();
        View::new(sc, placement)
    }
}

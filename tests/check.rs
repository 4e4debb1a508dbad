//! The checker must reject wrong plans, or the oracle test (which trusts it to decide
//! what a valid placement is) proves nothing.
//!
//! Two kinds of wrong plans:
//! - tampered plans: a solved plan with one figure or row changed, one tamper per
//!   test, each expected to raise a specific violation code (see `src/check/`);
//! - honest plans for forbidden placements: `build_plan` writes self-consistent figures
//!   for a placement that breaks eligibility, co-location, capacity or a policy limit;
//!   the checker must name the broken rule and nothing about the figures.
//!
//! Also: the solved plan passes, its JSON round-trips byte-identically, and solving
//! twice gives byte-identical JSON.

mod common;

use sovplan::check::{check, Violation};
use sovplan::model::{OfferingId, Scenario};
use sovplan::plan::{build_plan, PlanStatus};
use sovplan::{parse_scenario, plan_scenario, Plan, SolveOptions};
use std::path::Path;
use std::sync::OnceLock;

/// The synthetic scenario every tamper test starts from: 8 services, 4 offerings,
/// three data classes, dependencies and every policy limit set.
fn scenario() -> &'static Scenario {
    static SC: OnceLock<Scenario> = OnceLock::new();
    SC.get_or_init(|| common::synthetic(8, 4, 7))
}

/// Its optimal plan, solved once.
fn solved() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| common::plan(scenario()))
}

fn codes(v: &[Violation]) -> Vec<&'static str> {
    v.iter().map(|x| x.code).collect()
}

/// Applies `tamper` to a copy of the solved plan and asserts that `code` is reported.
fn assert_rejected(code: &str, tamper: impl FnOnce(&mut Plan)) {
    let mut plan = solved().clone();
    tamper(&mut plan);
    assert_ne!(&plan, solved(), "the tamper changed nothing");
    let v = check(scenario(), &plan);
    assert!(
        v.iter().any(|x| x.code == code),
        "expected {code}, got {:?}",
        v
    );
}

#[test]
fn solved_plan_passes() {
    let v = check(scenario(), solved());
    assert!(v.is_empty(), "{v:?}");
    // The fixture must exercise every kind of row the tamper tests change.
    let plan = solved();
    assert_eq!(plan.placements.len(), 8);
    assert!(!plan.dependencies.is_empty());
    assert!(plan.dependencies.iter().any(|d| d.cost > 0.0));
    assert!(plan.limits.len() >= 5);
    assert!(plan.providers.iter().any(|p| p.services > 0));
}

#[test]
fn plan_json_round_trips_byte_identically() {
    let json = solved().to_json();
    let back: Plan = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, solved());
    assert_eq!(back.to_json(), json);
}

#[test]
fn solving_twice_gives_identical_json() {
    let opts = SolveOptions::default();
    let a = plan_scenario(scenario(), &opts)
        .unwrap()
        .planned()
        .unwrap()
        .plan
        .to_json();
    let b = plan_scenario(scenario(), &opts)
        .unwrap()
        .planned()
        .unwrap()
        .plan
        .to_json();
    assert_eq!(a, b);
    assert_eq!(a, solved().to_json());
}

// --- tampered plans -----------------------------------------------------------------

#[test]
fn rejects_ineligible_offering() {
    let sc = scenario();
    // A service and an offering it may not use; provider and country are rewritten to
    // match the offering so that only eligibility (and the costs) are wrong.
    let (s, o) = sc
        .service_ids()
        .find_map(|s| {
            sc.offering_ids()
                .find(|&o| !sc.is_eligible(s, o))
                .map(|o| (s, o))
        })
        .expect("the fixture has an ineligible pair");
    assert_rejected("C201", |p| {
        let off = &sc.offerings[o.index()];
        let row = &mut p.placements[s.index()];
        row.offering = off.id.clone();
        row.provider = sc.providers[off.provider.index()].id.clone();
        row.country = off.country.clone();
    });
}

#[test]
fn rejects_run_cost_off_by_one_euro() {
    assert_rejected("C301", |p| p.placements[0].run_cost += 1.0);
}

#[test]
fn rejects_traffic_cost_off_by_one_euro() {
    assert_rejected("C301", |p| p.placements[1].traffic_cost -= 1.0);
}

#[test]
fn rejects_placement_monthly_cost_off_by_one_euro() {
    assert_rejected("C301", |p| p.placements[2].monthly_cost += 1.0);
}

#[test]
fn rejects_one_off_cost_off_by_one_euro() {
    assert_rejected("C301", |p| p.placements[3].one_off_cost += 1.0);
}

#[test]
fn rejects_total_cost() {
    assert_rejected("C303", |p| p.total_cost += 1.0);
}

#[test]
fn rejects_monthly_cost() {
    assert_rejected("C303", |p| p.monthly_cost -= 1.0);
}

#[test]
fn rejects_plan_one_off_cost() {
    assert_rejected("C303", |p| p.one_off_cost += 1.0);
}

#[test]
fn rejects_provider_share() {
    assert_rejected("C305", |p| p.providers[0].share += 0.01);
}

#[test]
fn rejects_provider_spend() {
    assert_rejected("C305", |p| p.providers[0].spend += 1.0);
}

#[test]
fn rejects_provider_exit_cost() {
    assert_rejected("C305", |p| p.providers[0].exit_cost += 1.0);
}

#[test]
fn rejects_provider_service_count() {
    assert_rejected("C305", |p| p.providers[0].services += 1);
}

#[test]
fn rejects_provider_cloud_act_flag() {
    assert_rejected("C305", |p| {
        p.providers[0].cloud_act_exposed = !p.providers[0].cloud_act_exposed
    });
}

#[test]
fn rejects_missing_provider_row() {
    assert_rejected("C304", |p| {
        p.providers.pop();
    });
}

#[test]
fn rejects_dependency_cost() {
    assert_rejected("C307", |p| p.dependencies[0].cost += 1.0);
}

#[test]
fn rejects_dependency_offering() {
    assert_rejected("C307", |p| {
        p.dependencies[0].to_offering = "somewhere-else".into()
    });
}

#[test]
fn rejects_missing_dependency_row() {
    assert_rejected("C306", |p| {
        p.dependencies.pop();
    });
}

#[test]
fn rejects_missing_placement_row() {
    assert_rejected("C106", |p| {
        p.placements.remove(4);
    });
}

#[test]
fn rejects_duplicated_placement() {
    assert_rejected("C103", |p| {
        let row = p.placements[5].clone();
        p.placements.push(row);
    });
}

#[test]
fn rejects_unknown_service() {
    assert_rejected("C101", |p| {
        p.placements[0].service = "no-such-service".into()
    });
}

#[test]
fn rejects_unknown_offering() {
    assert_rejected("C102", |p| {
        p.placements[0].offering = "no-such-offering".into()
    });
}

#[test]
fn rejects_wrong_provider_of_offering() {
    assert_rejected("C104", |p| p.placements[0].provider = "p-elsewhere".into());
}

#[test]
fn rejects_wrong_data_class() {
    assert_rejected("C105", |p| {
        p.placements[0].data_class = Some("made-up".into())
    });
}

#[test]
fn rejects_wrong_moved_flag() {
    assert_rejected("C302", |p| p.placements[6].moved = !p.placements[6].moved);
}

#[test]
fn rejects_limit_binding_flag() {
    assert_rejected("C502", |p| p.limits[0].binding = !p.limits[0].binding);
}

#[test]
fn rejects_limit_value() {
    assert_rejected("C502", |p| p.limits[0].value += 1.0);
}

#[test]
fn rejects_limit_bound() {
    assert_rejected("C502", |p| p.limits[0].bound += 1.0);
}

#[test]
fn rejects_missing_limit_row() {
    assert_rejected("C501", |p| {
        p.limits.pop();
    });
}

#[test]
fn rejects_scenario_name() {
    assert_rejected("C001", |p| p.scenario.push_str("-other"));
}

#[test]
fn rejects_horizon() {
    assert_rejected("C002", |p| p.horizon_months += 1.0);
}

#[test]
fn rejects_gap_out_of_range() {
    assert_rejected("C003", |p| p.gap = 1.5);
}

// --- honest plans for forbidden placements --------------------------------------------

/// A hand-made scenario small enough to reason about: provider `a` (German, fee 10)
/// sells `a1` (capacity 8 vCPU) and `a2`; provider `b` (CLOUD-Act exposed) sells
/// `b1`. `db` holds sovereign data (DE only, level ≥ 2, no CLOUD Act) and must share
/// a provider with `web`.
fn small(policy: &str) -> Scenario {
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
    parse_scenario(&json, Path::new(".")).expect("the small scenario is valid")
}

/// The checker's codes for `build_plan` on the placement given by offering ids.
fn honest_codes(sc: &Scenario, offerings: [&str; 3]) -> Vec<&'static str> {
    let placement: Vec<OfferingId> = offerings
        .iter()
        .map(|id| common::offering(sc, id))
        .collect();
    let plan = build_plan(sc, &placement, PlanStatus::Optimal, 0.0);
    let mut c = codes(&check(sc, &plan));
    c.sort_unstable();
    c.dedup();
    c
}

#[test]
fn honest_plan_on_allowed_placement_passes() {
    let sc = small("{}");
    assert_eq!(honest_codes(&sc, ["a1", "a1", "b1"]), Vec::<&str>::new());
}

#[test]
fn honest_plan_with_ineligible_offering_is_rejected() {
    // db on b1: wrong country, level 1 < 2, CLOUD Act; web follows it to provider b.
    assert_eq!(honest_codes(&small("{}"), ["b1", "b1", "a1"]), ["C201"]);
}

#[test]
fn honest_plan_breaking_colocation_is_rejected() {
    assert_eq!(honest_codes(&small("{}"), ["b1", "a1", "a1"]), ["C202"]);
}

#[test]
fn honest_plan_over_capacity_is_rejected() {
    // 4 + 4 + 2 = 10 vCPU on a1, capacity 8.
    assert_eq!(honest_codes(&small("{}"), ["a1", "a1", "a1"]), ["C203"]);
}

#[test]
fn honest_plan_over_budget_is_rejected() {
    let sc = small(r#"{"monthly_budget": 50}"#);
    assert_eq!(honest_codes(&sc, ["a1", "a1", "b1"]), ["C401"]);
}

#[test]
fn honest_plan_with_too_few_providers_is_rejected() {
    let sc = small(r#"{"min_providers": 2}"#);
    assert_eq!(honest_codes(&sc, ["a1", "a2", "a2"]), ["C402"]);
    assert_eq!(honest_codes(&sc, ["a1", "a2", "b1"]), Vec::<&str>::new());
}

#[test]
fn honest_plan_over_cloud_act_share_is_rejected() {
    let sc = small(r#"{"max_cloud_act_share": 0}"#);
    assert_eq!(honest_codes(&sc, ["a1", "a1", "b1"]), ["C403"]);
    assert_eq!(honest_codes(&sc, ["a1", "a2", "a2"]), Vec::<&str>::new());
}

#[test]
fn honest_plan_over_provider_share_is_rejected() {
    let sc = small(r#"{"max_provider_share": 0.9}"#);
    assert_eq!(honest_codes(&sc, ["a1", "a2", "a2"]), ["C404"]);
}

#[test]
fn honest_plan_over_exit_cost_is_rejected() {
    // db on the closed a2: 500 GB · 0.05 + 2000 replatforming = 2025 to leave a.
    let sc = small(r#"{"max_exit_cost": 2000}"#);
    assert_eq!(honest_codes(&sc, ["a1", "a2", "a1"]), ["C405"]);
    assert_eq!(honest_codes(&sc, ["a1", "a1", "a2"]), Vec::<&str>::new());
}

#[test]
fn small_scenario_optimum_passes_and_matches_hand_computation() {
    // Cheapest allowed: db must stay in DE on provider a, web with it (colocate
    // provider); a1 has room for web and db (8 vCPU), mail goes to the cheap b1.
    // run: web on a1 = 4·10 + 8·1 + 100·0.1 = 58; db on a1 = 40 + 16 + 50 = 106;
    //      mail on b1 = 2·5 + 4·0.5 + 50·0.05 = 14.5.
    // traffic: web→db same offering = 0; mail→web b1→a1 = 10·0.09 = 0.9.
    // fee of a = 10. monthly = 58 + 106 + 14.5 + 0.9 + 10 = 189.4; ×36 = 6818.4.
    let sc = small("{}");
    let plan = common::plan(&sc);
    let at: Vec<&str> = plan
        .placements
        .iter()
        .map(|r| r.offering.as_str())
        .collect();
    assert_eq!(at, ["a1", "a1", "b1"]);
    assert_eq!(plan.monthly_cost, 189.4);
    assert_eq!(plan.total_cost, 6818.4);
    assert_eq!(plan.one_off_cost, 0.0);
}

#[test]
fn plans_of_small_shipped_scenarios_pass_and_resist_tampering() {
    let files = common::shipped_scenarios();
    assert!(!files.is_empty(), "no scenarios in scenarios/");
    let mut tested = 0;
    for f in files {
        let sc = sovplan::load_scenario(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        // The large scenarios (hundreds to thousands of services) are for benchmarks;
        // solving them here would dominate the test run.
        if sc.services.len() > 40 {
            continue;
        }
        tested += 1;
        let plan = common::plan(&sc);
        let mut bad = plan.clone();
        bad.total_cost += 1.0;
        assert!(
            codes(&check(&sc, &bad)).contains(&"C303"),
            "{}",
            f.display()
        );
        let mut bad = plan;
        bad.placements.pop();
        assert!(
            codes(&check(&sc, &bad)).contains(&"C106"),
            "{}",
            f.display()
        );
    }
    assert!(tested > 0, "no small scenario in scenarios/");
}

//! Numbers that validate must solve: products and sums outside the range the MILP
//! computes exactly are rejected at validation (E116, E117, exit 2), and the checker
//! compares shares as shares whatever the scale of the money.

use serde_json::{json, Value};
use sovplan::model::{OfferingId, Policy, PolicyLimit};
use sovplan::plan::{build_plan, PlanStatus};
use sovplan::validate::scale::{MAX_MONTHLY_EUR, MAX_TOTAL_EUR, MIN_SHARE_BILL_EUR};
use sovplan::{Diagnostic, Error, PlanOutcome, SolveOptions};
use std::path::Path;

/// Two providers with one offering each; `a` and `b` may run anywhere.
fn base() -> Value {
    json!({
        "name": "numbers",
        "providers": [
            {"id": "p1", "headquarters": "DE"},
            {"id": "p2", "headquarters": "DE"}
        ],
        "offerings": [
            {"id": "o1", "provider": "p1", "country": "DE",
             "prices": {"vcpu_month": 10, "ram_gb_month": 2, "storage_gb_month": 0.1, "egress_gb": 0.05, "inter_region_gb": 0.01}},
            {"id": "o2", "provider": "p2", "country": "DE",
             "prices": {"vcpu_month": 8, "ram_gb_month": 1, "storage_gb_month": 0.1, "egress_gb": 0.08}}
        ],
        "services": [
            {"id": "a", "demand": {"vcpu": 1, "ram_gb": 2, "storage_gb": 10}},
            {"id": "b", "demand": {"vcpu": 2, "ram_gb": 4, "storage_gb": 20}}
        ],
        "dependencies": [{"from": "a", "to": "b", "traffic_gb_month": 5}]
    })
}

fn errors(v: &Value) -> Vec<Diagnostic> {
    match sovplan::parse_scenario(&v.to_string(), Path::new(".")) {
        Err(Error::Invalid(d)) => d.0,
        Err(e) => panic!("expected validation errors, got {e}"),
        Ok(_) => panic!("expected validation errors, the scenario was accepted"),
    }
}

fn one(v: &Value, code: &str, location_end: &str) -> Diagnostic {
    let d = errors(v);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].code, code, "{}", d[0]);
    assert!(d[0].location.ends_with(location_end), "{}", d[0]);
    d.into_iter().next().unwrap()
}

/// Solves as `sovplan solve` does: anything but a plan, an explained infeasibility or
/// the time limit would be exit 1.
fn solves(v: &Value) {
    let sc = sovplan::parse_scenario(&v.to_string(), Path::new(".")).expect("valid");
    match sovplan::plan_scenario(&sc, &SolveOptions::default()) {
        Ok(PlanOutcome::Planned(s)) => {
            let violations = sovplan::check::check(&sc, &s.plan);
            assert!(violations.is_empty(), "{violations:?}");
        }
        Ok(PlanOutcome::Infeasible(_)) => {}
        other => panic!("exit 1 for a valid scenario: {other:?}"),
    }
}

#[test]
fn a_price_times_a_huge_demand_is_rejected() {
    // 1e9 EUR per vCPU times 1e12 vCPU: HiGHS ended with status Unknown (exit 1).
    let mut v = base();
    v["services"][0]["allowed_offerings"] = json!(["o1"]);
    v["offerings"][1]["prices"]["vcpu_month"] = json!(1e9);
    v["services"][1]["demand"]["vcpu"] = json!(1e12);
    let d = one(&v, "E116", "services[1].demand");
    assert!(
        d.message
            .contains("\"b\" would cost 1e21 EUR per month on offering \"o2\""),
        "{d}"
    );
}

#[test]
fn a_run_cost_of_1e15_with_a_budget_is_rejected() {
    // HiGHS refused the model ("error while building model", exit 1).
    let mut v = base();
    v["services"][0]["allowed_offerings"] = json!(["o1"]);
    v["offerings"][1]["prices"]["vcpu_month"] = json!(1e12);
    v["services"][1]["demand"]["vcpu"] = json!(1e3);
    v["policy"] = json!({"monthly_budget": 1e6});
    let d = one(&v, "E116", "services[1].demand");
    assert!(d.message.contains("1e15 EUR per month"), "{d}");
}

#[test]
fn expensive_traffic_is_rejected() {
    // 500 GB at 1e7 EUR/GB: HiGHS reported an objective of 4824 for a plan of 4842.
    let mut v = base();
    for o in 0..2 {
        v["offerings"][o]["prices"]["egress_gb"] = json!(1e7);
    }
    v["dependencies"][0]["traffic_gb_month"] = json!(500);
    let d = one(&v, "E116", "dependencies[0].traffic_gb_month");
    assert!(d.message.contains("5e9 EUR per month"), "{d}");
}

#[test]
fn an_amount_a_hundred_million_times_the_bill_is_rejected() {
    // Found by tests/fuzz.rs (seed 3, case 74740): 1e9 GB per month between two
    // services held at one provider, 1.9e8 EUR next to a cheapest bill of under 10 EUR.
    // The plan cost 907.71, HiGHS reported 1008.57 (exit 1); the true answer was that
    // no plan keeps the share limit.
    let mut v = base();
    v["providers"][1]["cloud_act_exposed"] = json!(true);
    v["dependencies"] =
        json!([{"from": "b", "to": "a", "traffic_gb_month": 1e9, "colocate": "provider"}]);
    v["offerings"][0]["prices"]["egress_gb"] = json!(0.94);
    v["offerings"][0]["prices"]["inter_region_gb"] = json!(0.19);
    v["policy"] = json!({"max_provider_share": 0.9});
    let d = one(&v, "E116", "dependencies[0].traffic_gb_month");
    let want = "1.9e8 EUR per month, more than 1e6 times the cheapest conceivable bill (33 EUR";
    assert!(d.message.contains(want), "{d}");
    // A hundred times less is inside the range and solves.
    v["dependencies"][0]["traffic_gb_month"] = json!(1e7);
    solves(&v);
}

#[test]
fn amounts_inside_the_range_solve() {
    // The same shapes just inside the limits are valid and solve (exit 0 or 3): 500 GB
    // at 6e4 EUR/GB is 3e7 EUR per month, just under 1e6 times the cheapest bill (33).
    let mut v = base();
    for o in 0..2 {
        v["offerings"][o]["prices"]["egress_gb"] = json!(6e4);
        v["offerings"][o]["prices"]["inter_region_gb"] = json!(6e3);
    }
    v["dependencies"][0]["traffic_gb_month"] = json!(500);
    v["policy"] = json!({"max_provider_share": 0.9, "horizon_months": 36});
    solves(&v);
    v["policy"] = json!({"monthly_budget": 1e6, "horizon_months": 36});
    solves(&v);
}

#[test]
fn sums_over_the_horizon_and_exit_costs_are_bounded() {
    // Each amount is fine, the bill over 1e12 months is not.
    let mut v = base();
    v["policy"] = json!({"horizon_months": 1e12});
    let d = one(&v, "E116", "policy.horizon_months");
    assert!(
        d.message.contains(&format!("more than {MAX_TOTAL_EUR:e}")),
        "{d}"
    );

    // 1e12 GB of storage at 0.5 EUR/GB egress: leaving would cost 5e11 EUR.
    let mut v = base();
    v["services"][0]["demand"]["storage_gb"] = json!(1e12);
    v["offerings"][0]["prices"]["egress_gb"] = json!(0.5);
    v["offerings"][0]["prices"]["storage_gb_month"] = json!(0);
    v["offerings"][1]["prices"]["storage_gb_month"] = json!(0);
    v["offerings"][1]["prices"]["egress_gb"] = json!(0);
    let d = one(&v, "E116", "providers[0]");
    assert!(d.message.contains("leaving provider \"p1\""), "{d}");

    // Many services, each below the limit, together above it.
    let mut v = base();
    let services: Vec<Value> = (0..30)
        .map(|i| json!({"id": format!("s{i}"), "demand": {"vcpu": 1e7, "ram_gb": 0, "storage_gb": 0}}))
        .collect();
    v["services"] = json!(services);
    v["dependencies"] = json!([]);
    let d = one(&v, "E116", "<input>");
    assert!(d.message.contains("dearest conceivable plan"), "{d}");
    const { assert!(MAX_MONTHLY_EUR < 30.0 * 1e7 * 10.0) };
}

#[test]
fn a_share_limit_on_a_bill_below_a_euro_is_rejected() {
    // With every price scaled by 1e-9, HiGHS, deciding rows to 1e-6 EUR, returned a
    // provider share of 0.75 against a cap of 0.6.
    let mut v = base();
    for o in 0..2 {
        let prices = v["offerings"][o]["prices"].as_object_mut().unwrap();
        for x in prices.values_mut() {
            *x = json!(x.as_f64().unwrap() * 1e-9);
        }
    }
    v["policy"] = json!({"max_provider_share": 0.6});
    let d = one(&v, "E117", "policy.max_provider_share");
    assert!(
        d.message
            .contains(&format!("under {MIN_SHARE_BILL_EUR} EUR")),
        "{d}"
    );
    // Without a share limit the same amounts are fine (budgets are decided in EUR).
    v["policy"] = json!({"monthly_budget": 1e-7});
    solves(&v);
    // And a scenario that can cost nothing at all has no share to decide.
    let mut v = base();
    for o in 0..2 {
        for f in [
            "vcpu_month",
            "ram_gb_month",
            "storage_gb_month",
            "egress_gb",
        ] {
            v["offerings"][o]["prices"][f] = json!(0);
        }
        v["offerings"][o]["prices"]["inter_region_gb"] = json!(0);
    }
    v["policy"] = json!({"max_provider_share": 0.6});
    solves(&v);
}

#[test]
fn a_bill_of_fees_below_a_euro_is_rejected_with_a_share_limit() {
    // Found by tests/fuzz.rs (seed 2, case 57957): the only cost is a fee of 1.4e-8 EUR,
    // and HiGHS accepted the one provider billing all of it against a cap of 0.35.
    let mut v = base();
    for o in 0..2 {
        for f in [
            "vcpu_month",
            "ram_gb_month",
            "storage_gb_month",
            "egress_gb",
        ] {
            v["offerings"][o]["prices"][f] = json!(0);
        }
        v["offerings"][o]["prices"]["inter_region_gb"] = json!(0);
    }
    v["providers"][0]["monthly_fee"] = json!(1.4e-8);
    v["policy"] = json!({"max_provider_share": 0.35});
    // The second provider is free: a plan can cost nothing, and the cheapest does.
    solves(&v);
    // With two providers required, every plan pays the fee.
    v["policy"] = json!({"max_provider_share": 0.35, "min_providers": 2});
    let d = one(&v, "E117", "policy.max_provider_share");
    assert!(d.message.contains("1.4e-8 EUR per month"), "{d}");
}

/// The checker case: a provider share of 0.877 against a cap of 0.6 on a bill
/// of 1e-6 EUR was accepted because the share was compared in EUR with an absolute
/// tolerance of 1e-6 EUR.
#[test]
fn check_compares_shares_as_shares_when_all_prices_are_tiny() {
    let mut v = json!({
        "name": "tiny",
        "providers": [{"id": "p1", "headquarters": "DE"}, {"id": "p2", "headquarters": "DE"}],
        "offerings": [
            {"id": "o1", "provider": "p1", "country": "DE",
             "prices": {"vcpu_month": 1, "ram_gb_month": 0, "storage_gb_month": 0, "egress_gb": 0}},
            {"id": "o2", "provider": "p2", "country": "DE",
             "prices": {"vcpu_month": 1, "ram_gb_month": 0, "storage_gb_month": 0, "egress_gb": 0}}
        ],
        "services": [
            {"id": "a", "demand": {"vcpu": 500, "ram_gb": 0, "storage_gb": 0}},
            {"id": "b", "demand": {"vcpu": 377, "ram_gb": 0, "storage_gb": 0}},
            {"id": "c", "demand": {"vcpu": 123, "ram_gb": 0, "storage_gb": 0}}
        ]
    });
    for scale in [1.0, 1e-9] {
        for o in 0..2 {
            v["offerings"][o]["prices"]["vcpu_month"] = json!(scale);
        }
        // The limit is set on the model: validation refuses it on so small a bill,
        // but the checker must hold on its own, for any plan and scenario.
        let mut sc = sovplan::parse_scenario(&v.to_string(), Path::new(".")).unwrap();
        sc.policy = Policy::new(36.0, [PolicyLimit::ProviderShare(0.6)]);
        let (o1, o2) = (OfferingId(0), OfferingId(1));
        let unfair = build_plan(&sc, &[o1, o1, o2], PlanStatus::Optimal, 0.0);
        let found = sovplan::check::check(&sc, &unfair);
        let codes: Vec<&str> = found.iter().map(|x| x.code).collect();
        assert_eq!(codes, ["C404"], "scale {scale}: {found:?}");
        assert!(
            found[0].message.contains("(share 0.877000)"),
            "{}",
            found[0]
        );
        // 0.5 / 0.377 / 0.123 split two ways: p1 bills a (0.5), p2 the rest.
        let fair = build_plan(&sc, &[o1, o2, o2], PlanStatus::Optimal, 0.0);
        assert!(
            sovplan::check::check(&sc, &fair).is_empty(),
            "scale {scale}"
        );
        // A share row off by 0.005 is wrong, though less than a cent of anything.
        let mut off = fair.clone();
        let row = off
            .limits
            .iter_mut()
            .find(|r| r.limit == "max_provider_share")
            .unwrap();
        row.value += 0.005;
        let codes: Vec<&str> = sovplan::check::check(&sc, &off)
            .iter()
            .map(|x| x.code)
            .collect();
        assert_eq!(codes, ["C502"], "scale {scale}");
    }
}

//! The plan fields added for spreadsheets (what changes, demand, display names, fees,
//! estimates) and the rounding that makes every money column add up to its total, on
//! a hand-made scenario whose prices come in thirds of a cent, so that rounding each
//! row on its own would not add up. Also: plans written before these fields still
//! pass the checker, and the checker rejects every kind of tampering with them.

use sovplan::check::{check, Violation};
use sovplan::model::{OfferingId, Scenario};
use sovplan::plan::{build_plan, Change, PlanStatus};
use sovplan::{parse_scenario, Plan};
use std::path::Path;

/// Provider `a` ("Anbieter Ä", fee 10) sells `a1` (dated, not an estimate) and `a2`
/// (an estimate); provider `b` (no display name, fee half a cent) sells `b1` (an
/// estimate without a date). Every vCPU costs a third of a euro, so three services of
/// one vCPU cost exactly 1 EUR together but 0.33 EUR each when rounded on their own.
fn scenario() -> Scenario {
    let prices = r#"{"vcpu_month": 0.333333333333, "ram_gb_month": 0, "storage_gb_month": 0.001, "egress_gb": 0.0333333, "inter_region_gb": 0.0111111}"#;
    let json = format!(
        r#"{{
  "name": "dritteln",
  "providers": [
    {{"id": "a", "name": "Anbieter Ä", "headquarters": "DE", "monthly_fee": 10}},
    {{"id": "b", "headquarters": "DE", "monthly_fee": 0.005}}
  ],
  "offerings": [
    {{"id": "a1", "provider": "a", "name": "Rechenzentrum Eins", "country": "DE", "as_of": "2026-10-28", "estimate": false, "prices": {prices}}},
    {{"id": "a2", "provider": "a", "name": "Rechenzentrum Zwei", "country": "DE", "as_of": "2026-11-26", "estimate": true, "prices": {prices}}},
    {{"id": "b1", "provider": "b", "country": "DE", "estimate": true, "prices": {prices}}}
  ],
  "services": [
    {{"id": "s1", "name": "Bürgerportal", "demand": {{"vcpu": 1, "ram_gb": 2, "storage_gb": 5, "egress_gb_month": 1}}, "current_offering": "a1", "migration_cost": 100.333}},
    {{"id": "s2", "demand": {{"vcpu": 1, "ram_gb": 2, "storage_gb": 5}}, "current_offering": "a1", "migration_cost": 100.333}},
    {{"id": "s3", "demand": {{"vcpu": 1, "ram_gb": 2, "storage_gb": 5}}, "current_offering": "b1", "migration_cost": 100.333}},
    {{"id": "s4", "demand": {{"vcpu": 1, "ram_gb": 0.5, "storage_gb": 5, "egress_gb_month": 2}}}}
  ],
  "dependencies": [
    {{"from": "s1", "to": "s2", "traffic_gb_month": 1}},
    {{"from": "s1", "to": "s3", "traffic_gb_month": 1}},
    {{"from": "s1", "to": "s4", "traffic_gb_month": 2}},
    {{"from": "s4", "to": "s1", "traffic_gb_month": 1}}
  ]
}}"#
    );
    parse_scenario(&json, Path::new(".")).expect("the scenario is valid")
}

/// s1 stays on a1, s2 moves to a2, s3 moves from b1 to a1, s4 (new) goes to b1.
fn plan(sc: &Scenario) -> Plan {
    let at = |id: &str| OfferingId(sc.offerings.iter().position(|o| o.id == id).unwrap() as u32);
    build_plan(
        sc,
        &[at("a1"), at("a2"), at("a1"), at("b1")],
        PlanStatus::Optimal,
        0.0,
    )
}

fn cents(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

fn codes(v: &[Violation]) -> Vec<&'static str> {
    v.iter().map(|x| x.code).collect()
}

#[test]
fn new_fields_describe_the_change_demand_names_and_fees() {
    let sc = scenario();
    let p = plan(&sc);
    assert!(check(&sc, &p).is_empty(), "{:?}", check(&sc, &p));
    let r = &p.placements;
    let changes: Vec<_> = r.iter().map(|r| r.change.unwrap()).collect();
    assert_eq!(
        changes,
        [Change::Stays, Change::Moved, Change::Moved, Change::New]
    );
    let previous: Vec<_> = r
        .iter()
        .map(|r| r.previous_offering.clone().unwrap())
        .collect();
    assert_eq!(
        previous,
        [
            Some("a1".into()),
            Some("a1".into()),
            Some("b1".into()),
            None
        ]
    );
    assert_eq!(r[0].offering_name.as_deref(), Some("Rechenzentrum Eins"));
    assert_eq!(r[0].provider_name.as_deref(), Some("Anbieter Ä"));
    // Without a display name in the file, the id stands in.
    assert_eq!(r[3].offering_name.as_deref(), Some("b1"));
    assert_eq!(r[3].provider_name.as_deref(), Some("b"));
    assert_eq!((r[3].vcpu, r[3].ram_gb), (Some(1.0), Some(0.5)));
    assert_eq!(
        (r[3].storage_gb, r[3].egress_gb_month),
        (Some(5.0), Some(2.0))
    );
    assert_eq!(r[1].egress_gb_month, Some(0.0));
    let fees: Vec<_> = p.providers.iter().map(|r| r.fee.unwrap()).collect();
    // b's half-cent fee rounds to a whole cent one way or the other.
    assert_eq!(fees[0], 10.0);
    assert!(fees[1] == 0.0 || fees[1] == 0.01, "{fees:?}");
    assert_eq!(p.providers[0].name.as_deref(), Some("Anbieter Ä"));
}

#[test]
fn estimates_list_the_used_estimated_offerings_with_what_rests_on_them() {
    let sc = scenario();
    let p = plan(&sc);
    let est = p.estimates.as_ref().unwrap();
    let ids: Vec<&str> = est.iter().map(|e| e.offering.as_str()).collect();
    assert_eq!(ids, ["a2", "b1"]);
    assert_eq!(est[0].as_of.as_deref(), Some("2026-11-26"));
    assert_eq!(est[1].as_of, None);
    assert_eq!((est[0].services, est[1].services), (1, 1));
    assert_eq!(est[0].monthly_cost, p.placements[1].monthly_cost);
    assert_eq!(est[1].monthly_cost, p.placements[3].monthly_cost);
    // An unused estimated offering is not listed: everything on a1.
    let all_a1 = build_plan(&sc, &[OfferingId(0); 4], PlanStatus::Optimal, 0.0);
    assert_eq!(all_a1.estimates, Some(vec![]));
}

#[test]
fn every_money_column_adds_up_to_its_total_to_the_cent() {
    let sc = scenario();
    let p = plan(&sc);
    let sum = |xs: Vec<f64>| xs.into_iter().map(cents).sum::<i64>();
    let monthly = sum(p.placements.iter().map(|r| r.monthly_cost).collect());
    let fees = sum(p.providers.iter().map(|r| r.fee.unwrap()).collect());
    assert_eq!(monthly + fees, cents(p.monthly_cost));
    assert_eq!(
        sum(p.providers.iter().map(|r| r.spend).collect()),
        cents(p.monthly_cost)
    );
    assert_eq!(
        sum(p.placements.iter().map(|r| r.one_off_cost).collect()),
        cents(p.one_off_cost)
    );
    assert_eq!(
        sum(p.dependencies.iter().map(|r| r.cost).collect()),
        sum(p.placements.iter().map(|r| r.traffic_cost).collect())
    );
    for r in &p.placements {
        assert_eq!(
            cents(r.run_cost) + cents(r.traffic_cost),
            cents(r.monthly_cost)
        );
    }
    // Two moves: 2 · 100.333 = 200.666 → 200.67, where rounding each row on its own
    // would give 2 · 100.33 = 200.66. The earlier of the tied rows takes the cent.
    assert_eq!(p.one_off_cost, 200.67);
    let one_off: Vec<f64> = p.placements.iter().map(|r| r.one_off_cost).collect();
    assert_eq!(one_off, [0.0, 100.34, 100.33, 0.0]);
}

#[test]
fn plan_json_round_trips_with_null_previous_offering() {
    let p = plan(&scenario());
    let json = p.to_json();
    assert!(json.contains("\"previous_offering\": null"), "{json}");
    assert!(json.contains("\"change\": \"new\""));
    let back: Plan = serde_json::from_str(&json).unwrap();
    assert_eq!(back, p);
    assert_eq!(back.to_json(), json);
}

/// The plan as it was written before the new fields: those keys removed.
fn without_new_fields(p: &Plan) -> Plan {
    let mut v = serde_json::to_value(p).unwrap();
    v.as_object_mut().unwrap().remove("estimates");
    let strip = |v: &mut serde_json::Value, table: &str, keys: &[&str]| {
        for row in v[table].as_array_mut().unwrap() {
            for k in keys {
                row.as_object_mut().unwrap().remove(*k);
            }
        }
    };
    let placement_keys = [
        "previous_offering",
        "change",
        "offering_name",
        "provider_name",
        "vcpu",
        "ram_gb",
        "storage_gb",
        "egress_gb_month",
    ];
    strip(&mut v, "placements", &placement_keys);
    strip(&mut v, "providers", &["name", "fee"]);
    serde_json::from_value(v).expect("an old plan parses")
}

#[test]
fn old_plans_without_the_new_fields_still_check() {
    let sc = scenario();
    let mut old = without_new_fields(&plan(&sc));
    assert!(old
        .placements
        .iter()
        .all(|r| r.change.is_none() && r.previous_offering.is_none()));
    assert!(check(&sc, &old).is_empty(), "{:?}", check(&sc, &old));
    // Old plans rounded every row on its own, so their columns need not add up; only
    // plans with `estimates` promise that.
    for r in &mut old.placements {
        r.one_off_cost = (r.one_off_cost * 100.0).floor() / 100.0;
    }
    assert!(check(&sc, &old).is_empty(), "{:?}", check(&sc, &old));
}

/// Applies `tamper` to the fixture's plan and asserts that `code` is reported.
fn assert_rejected(code: &str, tamper: impl FnOnce(&mut Plan)) {
    let sc = scenario();
    let good = plan(&sc);
    let mut p = good.clone();
    tamper(&mut p);
    assert_ne!(p, good, "the tamper changed nothing");
    let v = check(&sc, &p);
    assert!(codes(&v).contains(&code), "expected {code}, got {v:?}");
}

#[test]
fn rejects_wrong_change_or_previous_offering() {
    assert_rejected("C107", |p| p.placements[0].change = Some(Change::Moved));
    assert_rejected("C107", |p| {
        p.placements[3].previous_offering = Some(Some("a1".into()))
    });
    assert_rejected("C107", |p| p.placements[1].previous_offering = Some(None));
}

#[test]
fn rejects_wrong_demand() {
    assert_rejected("C108", |p| p.placements[2].vcpu = Some(2.0));
    assert_rejected("C108", |p| p.placements[3].egress_gb_month = Some(0.0));
}

#[test]
fn rejects_wrong_display_names() {
    assert_rejected("C109", |p| {
        p.placements[0].offering_name = Some("Elsewhere".into())
    });
    assert_rejected("C109", |p| {
        p.placements[0].provider_name = Some("Anbieter A".into())
    });
}

#[test]
fn rejects_missing_fields_in_a_plan_with_estimates() {
    assert_rejected("C110", |p| p.placements[1].ram_gb = None);
    assert_rejected("C110", |p| p.placements[1].previous_offering = None);
    assert_rejected("C308", |p| p.providers[1].fee = None);
}

#[test]
fn rejects_wrong_provider_name_or_fee() {
    assert_rejected("C308", |p| p.providers[0].name = Some("A".into()));
    assert_rejected("C308", |p| *p.providers[0].fee.as_mut().unwrap() += 1.0);
}

#[test]
fn rejects_fractions_of_cents() {
    // Within the checker's cent of tolerance for the figure, but not a whole cent.
    assert_rejected("C309", |p| p.placements[0].run_cost += 0.004);
}

#[test]
fn rejects_a_total_one_cent_off_that_the_figure_tolerance_would_accept() {
    // C303 allows a cent of rounding; the columns no longer add up, which C310 sees.
    assert_rejected("C310", |p| p.monthly_cost += 0.01);
    assert_rejected("C310", |p| p.one_off_cost -= 0.01);
}

#[test]
fn rejects_rows_that_are_not_the_sum_of_their_parts() {
    assert_rejected("C311", |p| {
        p.placements[0].run_cost -= 0.01;
        p.placements[0].traffic_cost += 0.01;
    });
    assert_rejected("C311", |p| {
        p.providers[0].spend += 0.01;
        p.providers[1].spend -= 0.01;
    });
}

#[test]
fn rejects_wrong_estimates() {
    assert_rejected("C312", |p| {
        p.estimates.as_mut().unwrap().pop();
    });
    assert_rejected("C312", |p| p.estimates.as_mut().unwrap()[0].services = 2);
    assert_rejected("C312", |p| p.estimates.as_mut().unwrap()[0].as_of = None);
    assert_rejected("C312", |p| {
        p.estimates.as_mut().unwrap()[1].monthly_cost += 0.01
    });
    assert_rejected("C312", |p| {
        let mut extra = p.estimates.as_ref().unwrap()[0].clone();
        extra.offering = "a1".into();
        p.estimates.as_mut().unwrap().insert(0, extra);
    });
}

#[test]
fn every_catalogue_offering_has_a_date_and_an_estimate_flag() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/providers.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let file = sovplan::format::read::parse(&text, "providers.json").unwrap();
    assert_eq!(file.offerings.len(), 24);
    for o in &file.offerings {
        assert!(o.as_of.is_some() && o.estimate.is_some(), "{}", o.id);
        // The free text and the flag agree: estimates say ESTIMATE or ASSUMED.
        let text = o.source.as_deref().unwrap_or_default();
        let marked = text.contains("ESTIMATE") || text.contains("ASSUMED");
        assert_eq!(o.estimate, Some(marked), "{}: {text}", o.id);
    }
}

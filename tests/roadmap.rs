//! Roadmaps (issue 8): validation, hand-computed optima, the 1-year roadmap against the
//! single-period plan, forced moves, contract ends, yearly limits, column sums and
//! determinism.
//!
//! Every plan here passes the independent checker (`plan`); the MILP against
//! enumeration of every schedule is `tests/oracle_roadmap.rs`.

mod common;

use serde_json::{json, Value};
use sovplan::plan::{Plan, PlanStatus, YearChange};
use sovplan::{Error, PlanOutcome, Scenario, SolveOptions};
use std::path::Path;

/// The tiny roadmap, 2027–2029. Monthly run costs (1 vCPU each, nothing else priced):
///
/// | service | current (migration) | hyper-1 (CLOUD Act) | sov-1 | rz-dc |
/// |---|---|---|---|---|
/// | a | hyper-1 (20) | 2 | 4 | 10 |
/// | b | rz-dc (30)   | 2 | 4 | 10 |
///
/// From 2029 no CLOUD-Act share is allowed. Each service moves at most once:
/// - b: to hyper-1 in 2027 would strand it there in 2029; to sov-1 in 2027 costs
///   3·12·4 + 30 = 174; staying until 2029 costs 2·12·10 + 12·4 + 30 = 318. → sov-1, 2027.
/// - a: stays on hyper-1 in 2027 and 2028 (2·12·2 = 48), moves to sov-1 in 2029
///   (12·4 + 20 = 68): 116; moving in 2027 would cost 3·12·4 + 20 = 164. → sov-1, 2029.
///
/// Total 174 + 116 = **290 EUR**; annual costs 2027: 12·(2+4) + 30 = 102, 2028: 72,
/// 2029: 12·8 + 20 = 116.
fn tiny() -> Value {
    let price =
        |v: f64| json!({"vcpu_month": v, "ram_gb_month": 0, "storage_gb_month": 0, "egress_gb": 0});
    let demand = json!({"vcpu": 1, "ram_gb": 0, "storage_gb": 0});
    json!({
        "name": "tiny-roadmap",
        "providers": [
            {"id": "hyper", "headquarters": "US", "cloud_act_exposed": true},
            {"id": "sov", "headquarters": "DE"},
            {"id": "rz", "headquarters": "DE"}
        ],
        "offerings": [
            {"id": "hyper-1", "provider": "hyper", "country": "DE", "prices": price(2.0)},
            {"id": "sov-1", "provider": "sov", "country": "DE", "prices": price(4.0)},
            {"id": "rz-dc", "provider": "rz", "country": "DE", "prices": price(10.0)}
        ],
        "services": [
            {"id": "a", "demand": demand, "current_offering": "hyper-1", "migration_cost": 20},
            {"id": "b", "demand": demand, "current_offering": "rz-dc", "migration_cost": 30}
        ],
        "roadmap": {"start_year": 2027, "years": 3,
                    "policy_from": [{"year": 2029, "max_cloud_act_share": 0}]}
    })
}

fn scenario(v: &Value) -> Scenario {
    sovplan::parse_scenario(&v.to_string(), Path::new(".")).unwrap()
}

fn outcome(v: &Value) -> PlanOutcome {
    sovplan::plan_scenario(&scenario(v), &SolveOptions::default()).unwrap()
}

/// The plan of `v`, after the independent checker has accepted it.
fn plan(v: &Value) -> Plan {
    match outcome(v) {
        PlanOutcome::Planned(s) => {
            let violations = sovplan::check::check(&scenario(v), &s.plan);
            assert!(violations.is_empty(), "{violations:?}");
            s.plan
        }
        PlanOutcome::Infeasible(inf) => panic!("infeasible:\n{inf}"),
        PlanOutcome::NoPlanInTime(_) => panic!("no plan in time"),
    }
}

/// (offering, change) of `service` per year, from the plan's schedule.
fn schedule_of(p: &Plan, service: &str) -> Vec<(String, YearChange)> {
    let rows = p.schedule.as_ref().expect("a roadmap plan has a schedule");
    rows.iter()
        .filter(|r| r.service == service)
        .map(|r| (r.offering.clone(), r.change))
        .collect()
}

fn move_year(p: &Plan, service: &str) -> Option<i32> {
    let row = p.placements.iter().find(|r| r.service == service).unwrap();
    row.move_year.expect("roadmap placements have move_year")
}

fn cents(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

/// Every money column of every year adds up to the cent, and the years to the top level.
fn assert_reconciles(p: &Plan) {
    let years = p.years.as_ref().unwrap();
    let schedule = p.schedule.as_ref().unwrap();
    let by_year = p.providers_by_year.as_ref().unwrap();
    for y in years {
        let rows = schedule.iter().filter(|r| r.year == y.year);
        let provs: Vec<_> = by_year.iter().filter(|r| r.year == y.year).collect();
        let services: i64 = rows.clone().map(|r| cents(r.monthly_cost)).sum();
        let fees: i64 = provs.iter().map(|r| cents(r.fee)).sum();
        let spend: i64 = provs.iter().map(|r| cents(r.spend)).sum();
        assert_eq!(services + fees, cents(y.monthly_cost), "{}", y.year);
        assert_eq!(spend, cents(y.monthly_cost), "{}", y.year);
        let one_off: i64 = rows.map(|r| cents(r.one_off_cost)).sum();
        assert_eq!(one_off, cents(y.one_off_cost), "{}", y.year);
    }
    let one_off: i64 = years.iter().map(|y| cents(y.one_off_cost)).sum();
    assert_eq!(one_off, cents(p.one_off_cost));
    let placed: i64 = p.placements.iter().map(|r| cents(r.one_off_cost)).sum();
    assert_eq!(placed, cents(p.one_off_cost));
    let last = years.last().unwrap();
    assert_eq!(cents(last.monthly_cost), cents(p.monthly_cost));
    assert_eq!(p.horizon_months, 12.0 * years.len() as f64);
}

#[test]
fn the_tiny_roadmap_has_its_hand_computed_optimum() {
    let p = plan(&tiny());
    assert_eq!(p.status, PlanStatus::Optimal);
    assert_eq!(p.total_cost, 290.0);
    let years = p.years.as_ref().unwrap();
    let annual: Vec<f64> = years.iter().map(|y| y.annual_cost).collect();
    assert_eq!(annual, [102.0, 72.0, 116.0]);
    assert_eq!(years.iter().map(|y| y.moves).collect::<Vec<_>>(), [1, 0, 1]);
    assert_eq!(years[2].cloud_act_share, 0.0);
    assert_eq!(move_year(&p, "a"), Some(2029));
    assert_eq!(move_year(&p, "b"), Some(2027));
    assert_eq!(
        schedule_of(&p, "b"),
        [
            ("sov-1".to_string(), YearChange::Moves),
            ("sov-1".to_string(), YearChange::Stays),
            ("sov-1".to_string(), YearChange::Stays)
        ]
    );
    assert_eq!(p.one_off_cost, 50.0);
    assert_eq!(p.monthly_cost, 8.0);
    assert_reconciles(&p);
}

#[test]
fn without_the_tightening_nothing_leaves_the_cloud_act_provider() {
    let mut v = tiny();
    v["roadmap"]["policy_from"] = json!([]);
    let p = plan(&v);
    // b moves to the cheapest offering at once: 30 + 3·12·2 = 102; a stays: 72.
    assert_eq!(p.total_cost, 174.0);
    assert_eq!(move_year(&p, "a"), None);
    assert_eq!(schedule_of(&p, "b")[0].0, "hyper-1");
    // The tightening forces moves, and costs 290 − 174 = 116 EUR over the roadmap.
    assert!(plan(&tiny()).total_cost > p.total_cost);
}

#[test]
fn a_contract_end_holds_the_service_until_its_year() {
    let mut v = tiny();
    v["services"][1]["movable_from"] = json!(2028);
    let p = plan(&v);
    // b: rz-dc in 2027 (120), sov-1 from 2028 (2·48 + 30); a as before (116).
    assert_eq!(p.total_cost, 120.0 + 96.0 + 30.0 + 116.0);
    assert_eq!(move_year(&p, "b"), Some(2028));
    assert_eq!(schedule_of(&p, "b")[0], ("rz-dc".into(), YearChange::Stays));
    assert_reconciles(&p);
}

#[test]
fn a_contract_beyond_the_roadmap_means_the_service_never_moves() {
    let mut v = tiny();
    v["services"][1]["movable_from"] = json!(2040);
    let p = plan(&v);
    assert_eq!(move_year(&p, "b"), None);
    assert_eq!(p.total_cost, 3.0 * 120.0 + 116.0);
}

#[test]
fn an_ineligible_current_offering_must_be_left_within_the_roadmap() {
    let mut v = tiny();
    // a's data must not be with a CLOUD-Act provider; without any share limit it is
    // cheapest to stay until the last year and move then (2·24 + 48 + 20).
    v["data_classes"] = json!([{"id": "geheim", "forbid_cloud_act": true}]);
    v["services"][0]["data_class"] = json!("geheim");
    v["roadmap"]["policy_from"] = json!([]);
    let p = plan(&v);
    assert_eq!(move_year(&p, "a"), Some(2029));
    assert_eq!(schedule_of(&p, "a")[2].0, "sov-1");
    assert_eq!(p.total_cost, 48.0 + 48.0 + 20.0 + 102.0);
}

#[test]
fn yearly_limits_bind() {
    // b's migration (30) exceeds the yearly one-off limit: it stays on rz-dc.
    let mut v = tiny();
    v["roadmap"]["max_one_off_per_year"] = json!(25);
    let p = plan(&v);
    assert_eq!(move_year(&p, "b"), None);
    assert_eq!(p.total_cost, 360.0 + 116.0);
    let rows: Vec<_> = p
        .limits
        .iter()
        .filter(|l| l.limit == "max_one_off_per_year")
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2].year, Some(2029));
    assert_eq!(rows[2].value, 20.0);

    // An annual cap at the optimum's dearest year (2029: 116) still allows it, and its
    // row is binding there; staying on rz-dc costs 144 a year, so a lower cap that
    // forbids b's move in 2027 (102) and a's in 2029 leaves no plan.
    let mut v = tiny();
    v["roadmap"]["max_annual_cost"] = json!(116);
    let p = plan(&v);
    assert_eq!(p.total_cost, 290.0);
    let row = p
        .limits
        .iter()
        .find(|l| l.limit == "max_annual_cost" && l.year == Some(2029))
        .unwrap();
    assert_eq!((row.value, row.binding), (116.0, true));
    v["roadmap"]["max_annual_cost"] = json!(101);
    assert!(matches!(outcome(&v), PlanOutcome::Infeasible(_)));
}

#[test]
fn too_few_moves_per_year_is_infeasible_and_the_explanation_names_the_limit() {
    // Both run on hyper-1 today and no CLOUD Act is allowed from the first year: both
    // must move in 2027.
    let mut v = tiny();
    v["services"][1]["current_offering"] = json!("hyper-1");
    v["roadmap"]["policy_from"] = json!([{"year": 2020, "max_cloud_act_share": 0}]);
    v["roadmap"]["max_moves_per_year"] = json!(2);
    assert!(matches!(outcome(&v), PlanOutcome::Planned(_)));
    v["roadmap"]["max_moves_per_year"] = json!(1);
    let PlanOutcome::Infeasible(inf) = outcome(&v) else {
        panic!("expected infeasible")
    };
    let text = inf.to_string();
    assert!(
        text.contains("roadmap.max_moves_per_year: 1 (lifting only this one: the cheapest plan"),
        "{text}"
    );
}

#[test]
fn a_one_year_roadmap_is_the_single_period_plan_over_twelve_months() {
    let text = std::fs::read_to_string(common::shipped("rathaus-drei-dienste")).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    let dir = common::repo().join("scenarios");
    v["policy"]["horizon_months"] = json!(12);
    let single = sovplan::parse_scenario(&v.to_string(), &dir).unwrap();
    v["policy"]
        .as_object_mut()
        .unwrap()
        .remove("horizon_months");
    v["roadmap"] = json!({"start_year": 2027, "years": 1});
    let roadmap = sovplan::parse_scenario(&v.to_string(), &dir).unwrap();
    let opts = SolveOptions::default();
    let a = sovplan::plan_scenario(&single, &opts)
        .unwrap()
        .planned()
        .unwrap()
        .plan;
    let b = sovplan::plan_scenario(&roadmap, &opts)
        .unwrap()
        .planned()
        .unwrap()
        .plan;
    assert!(sovplan::check::check(&single, &a).is_empty());
    assert!(sovplan::check::check(&roadmap, &b).is_empty());
    assert_eq!(a.total_cost, b.total_cost);
    assert_eq!(a.monthly_cost, b.monthly_cost);
    assert_eq!(a.one_off_cost, b.one_off_cost);
    let offerings = |p: &Plan| {
        p.placements
            .iter()
            .map(|r| r.offering.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(offerings(&a), offerings(&b));
    assert_eq!(a.providers, b.providers);
    assert_reconciles(&b);
    // A single-period plan has none of the roadmap's fields.
    assert!(a.years.is_none() && a.schedule.is_none() && a.providers_by_year.is_none());
    assert!(a.placements.iter().all(|r| r.move_year.is_none()));
    assert!(!a.to_json().contains("move_year"));
}

#[test]
fn the_same_roadmap_gives_the_same_bytes() {
    let mut v = tiny();
    v["services"][1]["movable_from"] = json!(2028);
    assert_eq!(plan(&v).to_json(), plan(&v).to_json());
}

#[test]
fn any_schedule_gives_a_plan_whose_columns_add_up() {
    // The oracle judges enumerated schedules, feasible or not: a move there and back.
    let sc = scenario(&tiny());
    let o = |id: &str| common::offering(&sc, id);
    let schedule = vec![
        vec![o("sov-1"), o("hyper-1")],
        vec![o("hyper-1"), o("hyper-1")],
        vec![o("hyper-1"), o("rz-dc")],
    ];
    let p = sovplan::plan::build_roadmap_plan(&sc, &schedule, PlanStatus::Feasible, 0.0);
    assert_reconciles(&p);
    // a: 20 (2027) + 20 (2028); b: 30 (2027) + 30 (2029).
    assert_eq!(p.one_off_cost, 100.0);
    assert_eq!(move_year(&p, "a"), Some(2027));
}

fn errors(v: &Value) -> Vec<(String, String)> {
    match sovplan::parse_scenario(&v.to_string(), Path::new(".")) {
        Err(Error::Invalid(d)) => {
            d.0.into_iter()
                .map(|d| (d.code.to_string(), d.location))
                .collect()
        }
        other => panic!("expected validation errors, got {other:?}"),
    }
}

#[test]
fn every_roadmap_problem_is_reported_at_once_with_its_location() {
    let mut v = tiny();
    v["policy"] = json!({"horizon_months": 36});
    v["roadmap"] = json!({
        "start_year": 2027, "years": 21, "max_moves_per_year": 1.5,
        "max_one_off_per_year": -1,
        "policy_from": [
            {"year": 2060, "max_provider_share": 0},
            {"year": 2028, "max_cloud_act_share": 2, "min_providers": 9}
        ]
    });
    v["services"][0]
        .as_object_mut()
        .unwrap()
        .remove("current_offering");
    v["services"][0]["movable_from"] = json!(2028);
    let got = errors(&v);
    let at = |f: &str| format!("<input>: {f}");
    for (code, loc) in [
        ("E118", at("roadmap.years")),
        ("E118", at("roadmap.max_moves_per_year")),
        ("E107", at("roadmap.max_one_off_per_year")),
        ("E118", at("roadmap.policy_from[0].year")),
        ("E111", at("roadmap.policy_from[0].max_provider_share")),
        ("E111", at("roadmap.policy_from[1].max_cloud_act_share")),
        ("E112", at("roadmap.policy_from[1].min_providers")),
        ("E119", at("policy.horizon_months")),
        ("E120", at("services[0].movable_from")),
    ] {
        assert!(
            got.contains(&(code.to_string(), loc.clone())),
            "{code} at {loc} missing from {got:?}"
        );
    }
    assert_eq!(got.len(), 9, "{got:?}");
}

#[test]
fn movable_from_without_a_roadmap_is_an_error() {
    let mut v = tiny();
    v.as_object_mut().unwrap().remove("roadmap");
    v["services"][1]["movable_from"] = json!(2028);
    assert_eq!(
        errors(&v),
        [(
            "E120".to_string(),
            "<input>: services[1].movable_from".to_string()
        )]
    );
}

#[test]
fn colocated_services_with_different_current_offerings_move_together_exactly() {
    // a (on hyper-1) and b (on rz-dc) must share an offering every year, and CLOUD Act
    // is gone from 2029. b joining a on hyper-1 would strand both there (b cannot move
    // twice), a joining b costs 20 + 3·12·20 = 740: both move to sov-1 in 2027,
    // 20 + 30 + 3·12·8 = 338.
    let mut v = tiny();
    v["dependencies"] = json!([{"from": "a", "to": "b", "colocate": "offering"}]);
    let p = plan(&v);
    assert_eq!(p.total_cost, 338.0);
    assert_eq!(
        (move_year(&p, "a"), move_year(&p, "b")),
        (Some(2027), Some(2027))
    );
    // b held on rz-dc in 2027 by its contract: a must join it there, and both stay.
    v["services"][1]["movable_from"] = json!(2028);
    let p = plan(&v);
    assert_eq!(p.total_cost, 740.0);
    assert_eq!((move_year(&p, "a"), move_year(&p, "b")), (Some(2027), None));
    assert_reconciles(&p);
}

#[test]
fn solve_prints_the_year_table_price_prices_and_sweep_refuses_roadmaps() {
    use common::process::{code, sovplan, stderr};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tiny.json");
    std::fs::write(&file, tiny().to_string()).unwrap();
    let f = file.to_str().unwrap();
    let out = sovplan(&["solve", f, "-o", "plan.json"], dir.path());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("over the years 2027–2029"), "{err}");
    assert!(err.contains("  2029 "), "{err}");
    let written = std::fs::read_to_string(dir.path().join("plan.json")).unwrap();
    assert_eq!(written, plan(&tiny()).to_json());
    let out = sovplan(&["price", f, "-o", "price.json"], dir.path());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("max_cloud_act_share                      116.00 EUR"),
        "{}",
        stderr(&out)
    );
    let args = ["sweep", f, "--vary", "policy.max_provider_share=0.5,1"];
    let out = sovplan(&args, dir.path());
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("does not take roadmap scenarios yet"));
}

#[test]
fn set_changes_a_roadmap_field_and_validates_it_like_the_file() {
    use common::process::{code, sovplan, stderr};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tiny.json");
    std::fs::write(&file, tiny().to_string()).unwrap();
    let f = file.to_str().unwrap();
    let out = sovplan(
        &["validate", f, "--set", "roadmap.max_moves_per_year=1"],
        dir.path(),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // Two years leave the 2029 entry outside the roadmap.
    let out = sovplan(&["validate", f, "--set", "roadmap.years=2"], dir.path());
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("E118"), "{}", stderr(&out));
}

/// The tiny roadmap solved again with `edit` applied to its file: the independent
/// re-solve a price row must match.
fn total_with(v: &Value, edit: impl Fn(&mut Value)) -> Option<f64> {
    let mut v = v.clone();
    edit(&mut v);
    match outcome(&v) {
        PlanOutcome::Planned(s) => Some(plan(&v).total_cost).filter(|t| *t == s.plan.total_cost),
        _ => None,
    }
}

#[test]
fn price_lifts_a_tightening_limit_in_every_year_and_each_yearly_rule() {
    let mut v = tiny();
    v["policy"] = json!({"max_cloud_act_share": 0.6});
    v["roadmap"]["max_moves_per_year"] = json!(1);
    v["services"][1]["movable_from"] = json!(2028);
    let sc = scenario(&v);
    let inst = sovplan::Instance::new(sc);
    let report = sovplan::analysis::price::price(&inst, &SolveOptions::default(), 2).unwrap();
    let row = |rule: &str| report.rules.iter().find(|r| r.rule == rule).unwrap();
    let base = report.total_cost.unwrap();
    assert_eq!(Some(base), total_with(&v, |_| {}));
    // Lifted in 2027 and from 2029 alike.
    let cloud = row("max_cloud_act_share");
    assert_eq!(cloud.setting, "0.6; from 2029: 0");
    let without = total_with(&v, |v| {
        v["policy"]
            .as_object_mut()
            .unwrap()
            .remove("max_cloud_act_share");
        v["roadmap"].as_object_mut().unwrap().remove("policy_from");
    });
    assert_eq!(cloud.total_without, without);
    // Without any CLOUD-Act cap nothing leaves hyper-1, and b goes there in 2028 (its
    // contract ends then): 3·12·2 + 12·10 + 2·12·2 + 30 = 270.
    assert_eq!(without, Some(270.0));
    assert_eq!(cloud.price, Some(base - 270.0));
    let moves = row("max_moves_per_year");
    let without = total_with(&v, |v| {
        v["roadmap"]
            .as_object_mut()
            .unwrap()
            .remove("max_moves_per_year");
    });
    assert_eq!(moves.total_without, without);
    let contracts = row("movable_from");
    assert_eq!(contracts.setting, "1 service(s)");
    let without = total_with(&v, |v| {
        v["services"][1]
            .as_object_mut()
            .unwrap()
            .remove("movable_from");
    });
    assert_eq!(contracts.total_without, without);
    for r in &report.rules {
        assert_eq!(
            r.price,
            r.total_without
                .map(|t| ((base - t) * 100.0).round() / 100.0 + 0.0)
                .map(|p| p.max(0.0)),
            "{r:?}"
        );
    }
}

#[test]
fn the_start_schedule_keeps_every_rule_and_a_time_limited_solve_is_no_worse() {
    let sc = sovplan::load_scenario(&common::shipped("landkreis-roadmap")).unwrap();
    let inst = sovplan::Instance::new(sc.clone());
    let start = sovplan::heuristic::roadmap_start(&inst, &sovplan::deadline::Deadline::none())
        .expect("landkreis-roadmap has a start schedule");
    let start_plan = sovplan::plan::build_roadmap_plan(&sc, &start, PlanStatus::Feasible, 1.0);
    assert!(sovplan::check::check(&sc, &start_plan).is_empty());
    // Whatever HiGHS reaches in 3 s, the answer is checked and no worse than the start.
    let opts = SolveOptions {
        time_limit: Some(3.0),
        ..Default::default()
    };
    let solved = sovplan::plan_scenario(&sc, &opts)
        .unwrap()
        .planned()
        .expect("a plan");
    assert!(sovplan::check::check(&sc, &solved.plan).is_empty());
    assert!(solved.plan.total_cost <= start_plan.total_cost + 0.01);
    assert!(solved.stats.heuristic_total.is_some());
}

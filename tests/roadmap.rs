//! Roadmaps (issue 8): validation, hand-computed optima, the 1-year roadmap against the
//! single-period plan, forced moves, contract ends, yearly limits, column sums and
//! determinism.
//!
//! The plans here are not yet run through `sovplan::check::check`: the checker learns
//! roadmaps separately (from the same contract) and is merged later.

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

fn plan(v: &Value) -> Plan {
    match outcome(v) {
        PlanOutcome::Planned(s) => s.plan,
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

/// A small deterministic generator (xorshift), so that the cases are the same every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A random tiny roadmap: 2–3 services, 3 offerings at 3 providers, 2–3 years.
fn random_roadmap(rng: &mut Rng) -> Value {
    let ids = ["o0", "o1", "o2"];
    let offerings: Vec<Value> = (0..3)
        .map(|i| {
            let mut o = json!({"id": ids[i], "provider": format!("p{i}"), "country": "DE",
                "prices": {"vcpu_month": 1 + rng.below(9), "ram_gb_month": 0,
                           "storage_gb_month": rng.below(3), "egress_gb": rng.below(3)}});
            if rng.chance(20) {
                o["capacity"] = json!({"vcpu": 1 + rng.below(3)});
            }
            o
        })
        .collect();
    let providers: Vec<Value> = (0..3)
        .map(|i| {
            json!({"id": format!("p{i}"), "headquarters": "DE",
                        "cloud_act_exposed": i == 0, "monthly_fee": rng.below(3)})
        })
        .collect();
    let n = 2 + rng.below(2) as usize;
    let services: Vec<Value> = (0..n)
        .map(|i| {
            let mut s = json!({"id": format!("s{i}"), "demand": {"vcpu": 1, "ram_gb": 0, "storage_gb": 1 + rng.below(2)},
                               "replatform_cost": rng.below(5)});
            if rng.chance(70) {
                s["current_offering"] = json!(ids[rng.below(3) as usize]);
                s["migration_cost"] = json!(rng.below(40));
                if rng.chance(30) {
                    s["movable_from"] = json!(2027 + rng.below(4));
                }
            }
            if rng.chance(20) {
                s["forbidden_offerings"] = json!([ids[rng.below(3) as usize]]);
            }
            s
        })
        .collect();
    let mut deps = vec![json!({"from": "s0", "to": "s1", "traffic_gb_month": rng.below(5)})];
    if rng.chance(25) {
        deps[0]["colocate"] = json!(if rng.chance(50) {
            "offering"
        } else {
            "provider"
        });
    }
    let mut roadmap = json!({"start_year": 2027, "years": 2 + rng.below(2)});
    if rng.chance(30) {
        roadmap["max_moves_per_year"] = json!(rng.below(3));
    }
    if rng.chance(30) {
        roadmap["max_one_off_per_year"] = json!(rng.below(60));
    }
    if rng.chance(20) {
        roadmap["max_annual_cost"] = json!(100 + rng.below(300));
    }
    let mut step = json!({"year": 2027 + rng.below(2)});
    match rng.below(5) {
        0 => step["max_cloud_act_share"] = json!(rng.below(3) as f64 / 4.0),
        1 => step["max_provider_share"] = json!(0.5 + rng.below(3) as f64 / 4.0),
        2 => step["min_providers"] = json!(1 + rng.below(2)),
        3 => step["max_exit_cost"] = json!(rng.below(20)),
        _ => step["monthly_budget"] = json!(10 + rng.below(30)),
    }
    roadmap["policy_from"] = json!([step]);
    json!({"name": "random-roadmap", "providers": providers, "offerings": offerings,
           "services": services, "dependencies": deps, "roadmap": roadmap})
}

/// Every schedule the roadmap's moves allow: per service with a current offering,
/// never moving or moving to another offering in some year; per new service, one
/// offering for every year. Rules are not judged here.
fn schedules(sc: &Scenario) -> Vec<Vec<Vec<sovplan::model::OfferingId>>> {
    let years = sc.roadmap.as_ref().unwrap().years as usize;
    let offerings: Vec<_> = sc.offering_ids().collect();
    let mut partial: Vec<Vec<Vec<sovplan::model::OfferingId>>> = vec![Vec::new()];
    for svc in &sc.services {
        let mut options: Vec<Vec<sovplan::model::OfferingId>> = Vec::new();
        match svc.current_offering {
            None => options.extend(offerings.iter().map(|&o| vec![o; years])),
            Some(c) => {
                options.push(vec![c; years]);
                for y in 0..years {
                    for &t in offerings.iter().filter(|&&t| t != c) {
                        options.push((0..years).map(|i| if i < y { c } else { t }).collect());
                    }
                }
            }
        }
        partial = partial
            .into_iter()
            .flat_map(|p| {
                options.iter().map(move |o| {
                    let mut q = p.clone();
                    q.push(o.clone());
                    q
                })
            })
            .collect();
    }
    // From per service and year to per year and service.
    partial
        .into_iter()
        .map(|per_service| {
            (0..years)
                .map(|y| per_service.iter().map(|v| v[y]).collect())
                .collect()
        })
        .collect()
}

/// Whether a schedule keeps every rule of the roadmap (written from the README's
/// semantics, independently of the MILP).
fn keeps_rules(sc: &Scenario, schedule: &[Vec<sovplan::model::OfferingId>]) -> bool {
    use sovplan::model::{Colocate, PolicyLimit, YearLimit};
    let r = sc.roadmap.as_ref().unwrap();
    let ev = sovplan::model::cost::evaluate_roadmap(sc, schedule);
    let last = schedule.len() - 1;
    for s in sc.service_ids() {
        let svc = &sc.services[s.index()];
        for (y, placement) in schedule.iter().enumerate() {
            let o = placement[s.index()];
            let is_current = svc.current_offering == Some(o);
            if !is_current && !sc.is_eligible(s, o) {
                return false;
            }
            if ev.years[y].moved[s.index()]
                && svc.movable_from.is_some_and(|m| ev.years[y].year < m)
            {
                return false;
            }
        }
        if svc.current_offering == Some(schedule[last][s.index()])
            && !sc.is_eligible(s, schedule[last][s.index()])
        {
            return false;
        }
    }
    const TOL: f64 = 1e-7;
    for (y, placement) in schedule.iter().enumerate() {
        let ye = &ev.years[y];
        let e = &ye.e;
        for o in sc.offering_ids() {
            let load: f64 = sc
                .service_ids()
                .filter(|s| placement[s.index()] == o)
                .map(|s| sc.services[s.index()].demand.vcpu)
                .sum();
            if sc.offerings[o.index()]
                .capacity
                .vcpu
                .is_some_and(|c| load > c + TOL)
            {
                return false;
            }
        }
        for d in &sc.dependencies {
            let (a, b) = (placement[d.from.index()], placement[d.to.index()]);
            match d.colocate {
                Some(Colocate::Offering) if a != b => return false,
                Some(Colocate::Provider) if sc.provider_of(a) != sc.provider_of(b) => return false,
                _ => {}
            }
        }
        let exposed: f64 = sc
            .provider_ids()
            .filter(|p| sc.providers[p.index()].cloud_act_exposed)
            .map(|p| e.spend[p.index()])
            .sum();
        for l in r.policy_in(&sc.policy, ye.year).limits() {
            let ok = match *l {
                PolicyLimit::ProviderShare(sh) => {
                    e.spend.iter().all(|&x| x <= sh * e.monthly + TOL)
                }
                PolicyLimit::MinProviders(k) => {
                    e.services_on.iter().filter(|&&n| n > 0).count() >= k as usize
                }
                PolicyLimit::CloudActShare(sh) => exposed <= sh * e.monthly + TOL,
                PolicyLimit::ExitCost(x) => e.exit.iter().all(|&v| v <= x + TOL),
                PolicyLimit::Budget(b) => e.monthly <= b + TOL,
            };
            if !ok {
                return false;
            }
        }
        for l in &r.limits {
            let ok = match *l {
                YearLimit::Moves(k) => ye.moves <= k as usize,
                YearLimit::OneOff(v) => e.one_off_total <= v + TOL,
                YearLimit::AnnualCost(v) => e.total <= v + TOL,
            };
            if !ok {
                return false;
            }
        }
    }
    true
}

#[test]
fn the_milp_matches_enumeration_on_tiny_random_roadmaps() {
    use sovplan::milp::{solve_roadmap, RoadmapOutcome};
    let mut rng = Rng(0x5eed_2027);
    let (mut feasible, mut infeasible) = (0, 0);
    // SOVPLAN_ROADMAP_CASES=N runs a longer campaign (3,000 passed when written).
    let cases: u32 = std::env::var("SOVPLAN_ROADMAP_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    for case in 0..cases {
        let v = random_roadmap(&mut rng);
        let sc = scenario(&v);
        let best = schedules(&sc)
            .into_iter()
            .filter(|s| keeps_rules(&sc, s))
            .map(|s| sovplan::model::cost::evaluate_roadmap(&sc, &s).total)
            .fold(None, |m: Option<f64>, t| Some(m.map_or(t, |m| m.min(t))));
        let inst = sovplan::Instance::new(sc.clone());
        let got = if sovplan::explain::precheck(&inst).is_some() {
            None
        } else {
            match solve_roadmap(&inst, &SolveOptions::default()).unwrap().0 {
                RoadmapOutcome::Placed { schedule, optimal } => {
                    assert!(optimal, "case {case}");
                    assert!(
                        keeps_rules(&sc, &schedule),
                        "case {case}: the MILP's schedule breaks a rule\n{v}"
                    );
                    Some(sovplan::model::cost::evaluate_roadmap(&sc, &schedule).total)
                }
                RoadmapOutcome::Infeasible => None,
                RoadmapOutcome::NoSolutionInTime => panic!("case {case}: no time limit was set"),
            }
        };
        match (best, got) {
            (Some(b), Some(g)) => {
                assert!(
                    (b - g).abs() <= 1e-6 * b.max(1.0),
                    "case {case}: enumeration {b}, MILP {g}\n{v}"
                );
                feasible += 1;
            }
            (None, None) => infeasible += 1,
            _ => panic!("case {case}: enumeration {best:?}, MILP {got:?}\n{v}"),
        }
    }
    // Both kinds of case are exercised.
    assert!(
        feasible > 50 && infeasible > 20,
        "{feasible} feasible, {infeasible} infeasible"
    );
}

#[test]
fn solve_prints_the_year_table_and_price_refuses_roadmaps() {
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
    for args in [
        vec!["price", f],
        vec!["sweep", f, "--vary", "policy.max_provider_share=0.5,1"],
    ] {
        let out = sovplan(&args, dir.path());
        assert_eq!(code(&out), 2, "{}", stderr(&out));
        assert!(stderr(&out).contains("does not take roadmap scenarios yet"));
    }
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

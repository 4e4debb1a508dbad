//! Small scenarios only: the 1,000- and 5,000-service runs are in `benches/heuristic.rs`.

use super::construct;
use crate::check::check;
use crate::instance::Instance;
use crate::model::cost::evaluate;
use crate::model::Scenario;
use crate::plan::{build_plan, PlanStatus};
use std::path::Path;

fn synthetic(n: usize, m: usize, seed: u64) -> Scenario {
    let file = crate::generate::synthetic(n, m, seed);
    let text = serde_json::to_string(&file).unwrap();
    crate::parse_scenario(&text, Path::new(".")).expect("synthetic scenarios are valid")
}

fn scenario(name: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    crate::load_scenario(&path).expect("example scenarios are valid")
}

/// Runs the heuristic, asserts that its plan passes the checker, returns the total.
fn feasible_total(sc: &Scenario) -> f64 {
    let placement = construct(&Instance::new(sc.clone()))
        .unwrap_or_else(|| panic!("{}: no placement", sc.name));
    let plan = build_plan(sc, &placement, PlanStatus::Feasible, 1.0);
    let v = check(sc, &plan);
    assert!(v.is_empty(), "{}: {v:?}", sc.name);
    let total = evaluate(sc, &placement).total;
    eprintln!("{}: heuristic {total:.2}", sc.name);
    total
}

/// Total of the MILP optimum, for comparison.
fn optimum(sc: &Scenario) -> f64 {
    crate::plan_scenario(sc, &crate::SolveOptions::default())
        .expect("solved")
        .planned()
        .expect("feasible")
        .plan
        .total_cost
}

/// Some generated scenarios are structurally infeasible (a service with no
/// eligible offering); the heuristic must then say so.
fn structurally_infeasible(sc: &Scenario) -> bool {
    let none = crate::explain::precheck(&Instance::new(sc.clone())).is_some();
    if none {
        assert_eq!(construct(&Instance::new(sc.clone())), None, "{}", sc.name);
        eprintln!("{}: structurally infeasible, None", sc.name);
    }
    none
}

#[test]
fn synthetic_scenarios_give_checked_plans() {
    for (n, m) in [(8, 4), (20, 6), (50, 12), (200, 24)] {
        for seed in 1..=3 {
            let sc = synthetic(n, m, seed);
            if !structurally_infeasible(&sc) {
                feasible_total(&sc);
            }
        }
    }
}

#[test]
fn small_synthetic_scenarios_are_near_the_optimum() {
    for (n, m) in [(8, 4), (20, 6)] {
        for seed in 1..=3 {
            let sc = synthetic(n, m, seed);
            if structurally_infeasible(&sc) {
                continue;
            }
            let h = feasible_total(&sc);
            let opt = optimum(&sc);
            eprintln!("{}: optimum {opt:.2}, ratio {:.4}", sc.name, h / opt);
            assert!(h >= opt - 0.01, "below the optimum: {h} < {opt}");
        }
    }
}

#[test]
fn synthetic_50x12_against_recorded_optima() {
    // Optima from `sovplan solve` (seeds 1..3).
    for (seed, opt) in [(1, 605_812.56), (2, 600_048.62), (3, 592_829.1)] {
        let sc = synthetic(50, 12, seed);
        let h = feasible_total(&sc);
        eprintln!("{}: optimum {opt:.2}, ratio {:.4}", sc.name, h / opt);
        assert!(h >= opt - 0.01, "below the optimum: {h} < {opt}");
    }
}

#[test]
fn example_scenarios_give_checked_plans() {
    // Optima from `sovplan solve` (recorded; landkreis and larger take long to solve).
    let known = [
        ("rathaus-drei-dienste.json", 15_717.56),
        ("kleinstadt.json", 135_751.99),
        ("landkreis.json", 1_110_533.07),
        ("grossstadt.json", 4_800_826.47),
    ];
    for (file, opt) in known {
        let sc = scenario(file);
        let h = feasible_total(&sc);
        eprintln!("{file}: optimum {opt:.2}, ratio {:.4}", h / opt);
        assert!(h >= opt - 0.01, "{file}: below the optimum: {h} < {opt}");
    }
}

#[test]
fn infeasible_scenario_gives_none() {
    let mut sc = scenario("rathaus-drei-dienste.json");
    sc.policy.set(crate::model::PolicyLimit::ProviderShare(0.5));
    assert_eq!(construct(&Instance::new(sc.clone())), None);
}

#[test]
fn deterministic() {
    let sc = synthetic(200, 24, 5);
    assert_eq!(
        construct(&Instance::new(sc.clone())),
        construct(&Instance::new(sc.clone()))
    );
}

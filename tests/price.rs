//! `price`: every row is checked against an independent re-solve of the scenario with
//! that rule removed at the file level (through `--set` overrides on the merged
//! scenario, not through the model-level lifting `price` uses), and every re-solved
//! plan passes the checker.

mod common;

use sovplan::analysis::price::{price, PriceRow};
use sovplan::analysis::Status;
use sovplan::{load_scenario_with, Instance, Override, PlanOutcome, SolveOptions};
use std::path::Path;

/// The overrides that remove a row's rule from the file.
fn removal(sc: &sovplan::Scenario, row: &PriceRow) -> Vec<String> {
    let class = |id: &str| {
        [
            "allowed_countries",
            "min_sovereignty_level",
            "required_certifications",
            "forbid_cloud_act",
        ]
        .map(|f| format!("data_classes.{id}.{f}=none"))
        .to_vec()
    };
    let lock_in = [
        "max_provider_share",
        "min_providers",
        "max_cloud_act_share",
        "max_exit_cost",
    ];
    match row.rule.as_str() {
        "data_class" => class(&row.subject),
        "all_data_classes" => sc.data_classes.iter().flat_map(|d| class(&d.id)).collect(),
        "all_lock_in" => lock_in.map(|f| format!("policy.{f}=none")).to_vec(),
        field => vec![format!("policy.{field}=none")],
    }
}

/// Solves the file with the overrides; the plan passes the checker. Returns the total.
fn resolve(file: &Path, overrides: &[String]) -> Option<f64> {
    let ov: Vec<Override> = overrides
        .iter()
        .map(|s| Override::parse(s).unwrap())
        .collect();
    let sc = load_scenario_with(file, &ov).unwrap();
    match sovplan::plan_scenario(&sc, &SolveOptions::default()).unwrap() {
        PlanOutcome::Planned(s) => {
            let v = sovplan::check::check(&sc, &s.plan);
            assert!(v.is_empty(), "{}: {v:?}", file.display());
            Some(s.plan.total_cost)
        }
        PlanOutcome::Infeasible(_) | PlanOutcome::NoPlanInTime(_) => None,
    }
}

fn same(a: f64, b: f64) -> bool {
    // Both are optima within the default gap (1e-6 relative), rounded to cents.
    (a - b).abs() <= 0.02 + 2e-6 * a.abs().max(b.abs())
}

fn check_prices(file: &Path) {
    let sc = sovplan::load_scenario(file).unwrap();
    let report = price(&Instance::new(sc.clone()), &SolveOptions::default(), 2).unwrap();
    let base = resolve(file, &[]);
    assert_eq!(report.total_cost.is_some(), base.is_some());
    if let (Some(a), Some(b)) = (report.total_cost, base) {
        assert!(same(a, b), "{}: base {a} vs {b}", file.display());
    }
    for row in &report.rules {
        let want = resolve(file, &removal(&sc, row));
        let label = format!("{} {} {}", file.display(), row.rule, row.subject);
        assert_eq!(row.total_without.is_some(), want.is_some(), "{label}");
        if let (Some(got), Some(want)) = (row.total_without, want) {
            assert!(same(got, want), "{label}: {got} vs re-solve {want}");
            assert_eq!(row.status, Status::Optimal, "{label}");
            let price = row.price.unwrap();
            assert!(price >= 0.0);
            assert!(
                same(price, report.total_cost.unwrap() - got),
                "{label}: price {price}"
            );
        }
    }
}

#[test]
fn every_price_row_matches_a_resolve_without_the_rule() {
    for f in [
        "rathaus-drei-dienste",
        "colocate-zwei-anbieter",
        "kleinstadt",
    ] {
        check_prices(&common::shipped(f));
    }
}

#[test]
fn rows_cover_set_limits_used_classes_and_the_two_groups() {
    let sc = sovplan::load_scenario(&common::shipped("kleinstadt")).unwrap();
    let report = price(&Instance::new(sc.clone()), &SolveOptions::default(), 1).unwrap();
    let rules: Vec<&str> = report.rules.iter().map(|r| r.rule.as_str()).collect();
    let limits = sc.policy.limits().len();
    let classes = sc.used_data_classes().len();
    assert_eq!(rules.len(), limits + classes + 2, "{rules:?}");
    assert_eq!(
        rules[rules.len() - 2..],
        ["all_data_classes", "all_lock_in"]
    );
    // Lifting every lock-in limit at once costs at least as much as any one of them.
    let price_of = |rule: &str| report.rules.iter().find(|r| r.rule == rule).unwrap().price;
    let all = price_of("all_lock_in").unwrap();
    for r in report
        .rules
        .iter()
        .filter(|r| r.rule.starts_with("max_") || r.rule == "min_providers")
    {
        assert!(
            r.price.unwrap() <= all + 0.02,
            "{} {:?} > {all}",
            r.rule,
            r.price
        );
    }
}

#[test]
fn output_does_not_depend_on_the_number_of_jobs() {
    let sc = sovplan::load_scenario(&common::shipped("colocate-zwei-anbieter")).unwrap();
    let inst = Instance::new(sc);
    let one = price(&inst, &SolveOptions::default(), 1).unwrap().to_json();
    let two = price(&inst, &SolveOptions::default(), 2).unwrap().to_json();
    assert_eq!(one, two);
}

#[test]
fn diff_of_the_plans_with_and_without_a_rule_agrees_with_its_price() {
    use sovplan::analysis::diff::diff;
    let file = common::shipped("kleinstadt");
    let plan = |ov: &[&str]| {
        let ov: Vec<Override> = ov.iter().map(|s| Override::parse(s).unwrap()).collect();
        let sc = load_scenario_with(&file, &ov).unwrap();
        let p = sovplan::plan_scenario(&sc, &SolveOptions::default())
            .unwrap()
            .planned()
            .unwrap()
            .plan;
        assert!(sovplan::check::check(&sc, &p).is_empty());
        p
    };
    let a = plan(&[]);
    let b = plan(&["policy.max_provider_share=none"]);
    let d = diff(&a, &b, false).unwrap();
    assert!(d.total_delta <= 0.0, "lifting a limit cannot cost more");
    assert!((d.total_delta - (b.total_cost - a.total_cost)).abs() < 0.005);
    assert_eq!(d.services_moved, d.services.len());
    let sum: f64 = d.providers.iter().map(|p| p.spend_delta).sum();
    assert!((sum - d.monthly_delta).abs() < 0.01 * d.providers.len() as f64);
    assert!(diff(&a, &a, false).unwrap().services.is_empty());
    let mut other = b.clone();
    other.scenario = "another".into();
    assert!(diff(&a, &other, false).is_err());
    assert!(diff(&a, &other, true).is_ok());
}

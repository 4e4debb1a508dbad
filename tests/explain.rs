//! The explanation of infeasibility: nearest feasible settings are checked by
//! independent re-solves one grid step on either side, and a data class that no
//! offering meets is named in one line.

mod common;

use sovplan::explain::Infeasibility;
use sovplan::{load_scenario_with, Override, PlanOutcome, SolveOptions};

fn outcome(file: &str, overrides: &[&str]) -> PlanOutcome {
    let ov: Vec<Override> = overrides
        .iter()
        .map(|s| Override::parse(s).unwrap())
        .collect();
    let sc = load_scenario_with(&common::shipped(file), &ov).unwrap();
    let out = sovplan::plan_scenario(&sc, &SolveOptions::default()).unwrap();
    if let PlanOutcome::Planned(s) = &out {
        assert!(sovplan::check::check(&sc, &s.plan).is_empty());
    }
    out
}

fn infeasible(file: &str, overrides: &[&str]) -> Infeasibility {
    match outcome(file, overrides) {
        PlanOutcome::Infeasible(inf) => inf,
        other => panic!("{file} {overrides:?}: {other:?}"),
    }
}

fn total(file: &str, overrides: &[&str]) -> Option<f64> {
    match outcome(file, overrides) {
        PlanOutcome::Planned(s) => Some(s.plan.total_cost),
        _ => None,
    }
}

/// The nearest setting reported for `field` is feasible with the reported total, and
/// one `step` tighter is not.
fn assert_nearest(file: &str, overrides: &[&str], field: &str, step: f64) {
    let inf = infeasible(file, overrides);
    let c = inf
        .conflicts
        .iter()
        .find(|c| c.rule.name() == format!("policy.{field}"))
        .unwrap_or_else(|| panic!("{field} not in the conflict: {inf}"));
    let n = c
        .nearest
        .unwrap_or_else(|| panic!("no nearest setting: {inf}"));
    let at = format!("policy.{field}={}", n.limit);
    let mut with: Vec<&str> = overrides.to_vec();
    with.push(&at);
    let t = total(file, &with).unwrap_or_else(|| panic!("{at} is not feasible"));
    assert!(
        (t - n.total).abs() < 0.02,
        "{at}: {t} vs reported {}",
        n.total
    );
    let tighter_value = if field == "min_providers" {
        n.limit.bound() + step
    } else {
        n.limit.bound() - step
    };
    let tighter = format!("policy.{field}={}", (tighter_value * 1e6).round() / 1e6);
    let mut with: Vec<&str> = overrides.to_vec();
    with.push(&tighter);
    assert!(
        total(file, &with).is_none(),
        "{tighter} should be infeasible"
    );
}

#[test]
fn nearest_share_cap_is_feasible_and_one_step_lower_is_not() {
    assert_nearest(
        "rathaus-drei-dienste",
        &["policy.max_provider_share=0.5"],
        "max_provider_share",
        0.001,
    );
}

#[test]
fn nearest_budget_and_min_providers() {
    let ov = ["policy.monthly_budget=240"];
    assert_nearest("colocate-zwei-anbieter", &ov, "monthly_budget", 0.01);
    assert_nearest("colocate-zwei-anbieter", &ov, "min_providers", 1.0);
}

#[test]
fn nearest_exit_cap_to_the_cent() {
    // Hetzner's exit cost for website and portal together is 8,000.15; with a cap of
    // 3,000 no placement of the two exists outside STACKIT and IONOS within the share.
    let ov = ["policy.max_exit_cost=2000"];
    let inf = infeasible("rathaus-drei-dienste", &ov);
    if inf
        .conflicts
        .iter()
        .any(|c| c.rule.name() == "policy.max_exit_cost")
    {
        assert_nearest("rathaus-drei-dienste", &ov, "max_exit_cost", 0.01);
    }
}

#[test]
fn a_class_no_offering_meets_is_named_in_one_line() {
    let inf = infeasible(
        "rathaus-drei-dienste",
        &[
            "services.website.data_class=vs-nfd",
            "services.website.allowed_offerings=none",
        ],
    );
    assert_eq!(inf.classes.len(), 1, "{inf}");
    assert!(
        inf.unplaceable.is_empty(),
        "not repeated per service: {inf}"
    );
    let text = inf.to_string();
    let first = text.lines().next().unwrap();
    assert!(
        first.contains("no offering in the catalogue holds VS-NfD: 1 service of data class vs-nfd cannot be placed (website)"),
        "{text}"
    );
    assert!(first.len() < 200, "{first}");
    assert!(
        text.lines().count() > 10,
        "per-offering reasons below: {text}"
    );
}

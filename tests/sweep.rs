//! Sweeps: every point against a single solve of the scenario with the same `--set`
//! overrides (each plan through the checker), and shards merged in-process into the
//! whole sweep's report byte for byte (the CLI test runs shards as processes).

mod common;

use serde_json::Value;
use sovplan::analysis::sweep::shard::{merge, ShardFile};
use sovplan::analysis::sweep::{report, to_json, Shard, Sweep, Vary};
use sovplan::format::read::read_scenario;
use sovplan::{load_scenario_with, Override, PlanOutcome, SolveOptions};
use std::path::Path;

fn sweep(file: &Path, varies: &[&str]) -> Sweep {
    let varies = varies.iter().map(|v| Vary::parse(v).unwrap()).collect();
    Sweep::new(read_scenario(file).unwrap(), &[], varies).unwrap()
}

/// The total of a single solve with the overrides, its plan checked; None if infeasible.
fn single(file: &Path, overrides: &[String]) -> Option<f64> {
    let ov: Vec<Override> = overrides
        .iter()
        .map(|s| Override::parse(s).unwrap())
        .collect();
    let sc = load_scenario_with(file, &ov).unwrap();
    match sovplan::plan_scenario(&sc, &SolveOptions::default()).unwrap() {
        PlanOutcome::Planned(s) => {
            assert!(sovplan::check::check(&sc, &s.plan).is_empty());
            Some(s.plan.total_cost)
        }
        _ => None,
    }
}

#[test]
fn every_point_matches_a_single_solve() {
    let file = common::shipped("rathaus-drei-dienste");
    let sw = sweep(
        &file,
        &[
            "policy.max_provider_share=0.5:0.7:0.1",
            "policy.max_exit_cost=5000,6000,none",
        ],
    );
    let results = sw.run(Shard::WHOLE, &SolveOptions::default(), 2).unwrap();
    assert_eq!(results.len(), 9);
    for r in &results {
        let ov: Vec<String> = sw
            .varies
            .iter()
            .zip(&r.values)
            .map(|(v, x)| format!("{}={x}", v.path))
            .collect();
        let want = single(&file, &ov);
        match (r.total_cost, want) {
            (Some(a), Some(b)) => assert!((a - b).abs() <= 0.02 + 2e-6 * b, "{ov:?}: {a} vs {b}"),
            (None, None) => {}
            other => panic!("{ov:?}: {other:?}"),
        }
    }
    // 0.5 is infeasible in this scenario (see the README's worked example).
    assert!(results[0].total_cost.is_none());
    let rep = report(&sw.scenario, &sw.hash, &[], &sw.varies, &results);
    let points = rep["points"].as_array().unwrap();
    assert_eq!(points[0]["status"], "infeasible");
    assert_eq!(points[0]["policy.max_provider_share"], 0.5);
    assert!(points.iter().any(|p| p["pareto"] == true));
    // The cheapest feasible point is on the Pareto front.
    let cheapest = points
        .iter()
        .filter(|p| p["total_cost"].is_number())
        .min_by(|a, b| {
            a["total_cost"]
                .as_f64()
                .unwrap()
                .total_cmp(&b["total_cost"].as_f64().unwrap())
        })
        .unwrap();
    assert_eq!(cheapest["pareto"], true);
}

#[test]
fn merged_shards_equal_the_whole_sweep_and_jobs_do_not_matter() {
    let file = common::shipped("colocate-zwei-anbieter");
    let sw = sweep(
        &file,
        &[
            "policy.monthly_budget=240:260:5",
            "policy.min_providers=1,2",
        ],
    );
    let opts = SolveOptions::default();
    let whole = sw.run(Shard::WHOLE, &opts, 1).unwrap();
    let whole_json = to_json(&report(&sw.scenario, &sw.hash, &[], &sw.varies, &whole));
    let two_jobs = sw.run(Shard::WHOLE, &opts, 2).unwrap();
    assert_eq!(
        whole_json,
        to_json(&report(&sw.scenario, &sw.hash, &[], &sw.varies, &two_jobs))
    );
    let n = 3;
    let mut parts: Vec<ShardFile> = (1..=n)
        .map(|k| {
            let shard = Shard { index: k, count: n };
            let file = ShardFile::new(&sw, shard, sw.run(shard, &opts, 1).unwrap());
            // Through JSON, as on a cluster.
            serde_json::from_str(&serde_json::to_string_pretty(&file).unwrap()).unwrap()
        })
        .collect();
    parts.reverse();
    assert_eq!(to_json(&merge(parts.clone()).unwrap()), whole_json);
    // A missing part, a duplicated part and a part of another sweep are refused.
    assert!(merge(parts[1..].to_vec()).unwrap_err().contains("missing"));
    let mut dup = parts.clone();
    dup.push(parts[0].clone());
    assert!(merge(dup).unwrap_err().contains("more than one part"));
    let other = sweep(
        &file,
        &[
            "policy.monthly_budget=240:260:5",
            "policy.min_providers=1,3",
        ],
    );
    let mut mixed = parts.clone();
    mixed[0] = ShardFile::new(&other, Shard { index: 1, count: n }, Vec::new());
    assert!(merge(mixed).unwrap_err().contains("different sweep"));
}

#[test]
fn a_bad_value_is_reported_before_any_solve() {
    let file = common::shipped("colocate-zwei-anbieter");
    let varies = vec![Vary::parse("policy.max_provider_share=0.5,1.5").unwrap()];
    let err = Sweep::new(read_scenario(&file).unwrap(), &[], varies).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("E111") && text.contains("max_provider_share"),
        "{text}"
    );
}

#[test]
fn services_moved_counts_against_the_first_feasible_point() {
    let file = common::shipped("rathaus-drei-dienste");
    let sw = sweep(&file, &["policy.max_provider_share=0.5,0.6,1"]);
    let results = sw.run(Shard::WHOLE, &SolveOptions::default(), 2).unwrap();
    let rep: Value = report(&sw.scenario, &sw.hash, &[], &sw.varies, &results);
    let p = rep["points"].as_array().unwrap();
    assert!(p[0]["services_moved"].is_null(), "infeasible point");
    assert_eq!(p[1]["services_moved"], 0, "the first feasible point itself");
    assert!(p[2]["services_moved"].as_u64().is_some());
}

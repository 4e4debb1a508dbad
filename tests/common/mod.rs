//! Helpers shared by the integration tests: the synthetic scenarios, the shipped
//! scenarios with their recorded optima, and solving with the independent check.
//!
//! Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

pub mod process;
pub mod random;

use sovplan::model::{OfferingId, Scenario};
use sovplan::{Plan, SolveOptions, Solved};
use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The synthetic scenario of `sovplan generate --services n --offerings m --seed seed`.
pub fn synthetic(n: usize, m: usize, seed: u64) -> Scenario {
    let file = sovplan::generate::synthetic(n, m, seed);
    let json = serde_json::to_string(&file).unwrap();
    sovplan::parse_scenario(&json, Path::new(".")).expect("synthetic scenarios are valid")
}

/// Every `scenarios/*.json`, sorted.
pub fn shipped_scenarios() -> Vec<PathBuf> {
    let dir = repo().join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// The shipped scenario `scenarios/{stem}.json`.
pub fn shipped(stem: &str) -> PathBuf {
    repo().join("scenarios").join(format!("{stem}.json"))
}

/// Total cost (EUR, 36 months) of the optimal plan of every shipped scenario, by file
/// stem: hand-computed for rathaus-drei-dienste (README "Worked example") and
/// colocate-zwei-anbieter (tests/scenarios.rs), otherwise recorded solver results
/// (scenarios/README.md, "Measured results"). it-dienstleister has none: optimality is
/// not proven within the time limit used there, nor for grossstadt-roadmap (gap 0.057 %
/// after 300 s on the 2-core machine); the other roadmap totals are the Σ of annual costs
/// over 2027–2031. `tests/scenarios.rs` does not solve scenarios without a recorded
/// total.
pub const OPTIMA: [(&str, Option<f64>); 10] = [
    ("rathaus-drei-dienste", Some(15_717.56)),
    ("colocate-zwei-anbieter", Some(3_422.00)),
    ("musterstadt", Some(251_583.45)),
    ("kleinstadt", Some(135_751.99)),
    ("landkreis", Some(1_110_533.07)),
    ("grossstadt", Some(4_800_826.47)),
    ("it-dienstleister", None),
    ("kleinstadt-roadmap", Some(448_889.10)),
    ("landkreis-roadmap", Some(2_172_325.55)),
    ("grossstadt-roadmap", None),
];

/// The recorded optimum of a shipped scenario, if there is one.
pub fn optimum(stem: &str) -> Option<f64> {
    let row = OPTIMA.iter().find(|(s, _)| *s == stem);
    row.unwrap_or_else(|| panic!("{stem}: not in common::OPTIMA"))
        .1
}

/// Solves `sc` with the default options and asserts that the plan passes the
/// independent checker.
pub fn solve(sc: &Scenario) -> Solved {
    let solved = sovplan::plan_scenario(sc, &SolveOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", sc.name))
        .planned()
        .unwrap_or_else(|| panic!("{}: no plan", sc.name));
    let violations = sovplan::check::check(sc, &solved.plan);
    assert!(violations.is_empty(), "{}: {violations:?}", sc.name);
    solved
}

/// The checked plan of `sc` (see [`solve`]).
pub fn plan(sc: &Scenario) -> Plan {
    solve(sc).plan
}

/// The id of the offering written `id`.
pub fn offering(sc: &Scenario, id: &str) -> OfferingId {
    let i = sc.offerings.iter().position(|o| o.id == id);
    OfferingId(i.unwrap_or_else(|| panic!("no offering {id}")) as u32)
}

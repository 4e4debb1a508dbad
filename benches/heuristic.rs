//! The construction heuristic on large scenarios: its total, its time and how far it is
//! above the recorded optimum (a report, not a timed test: nothing here asserts a
//! wall-clock time).
//!
//! `cargo bench --bench heuristic` runs generated scenarios of 1,000 and 5,000 services
//! and every `scenarios/*.json`, it-dienstleister (5,336 services) included.
//! `SOVPLAN_BENCH_FILTER=text` keeps only the scenarios whose name contains `text`.
//! Every plan is checked with [`sovplan::check::check`]; one that fails stops the run.

use sovplan::heuristic::construct;
use sovplan::model::cost::evaluate;
use sovplan::plan::{build_plan, PlanStatus};
use sovplan::{Instance, Scenario};
use std::path::Path;
use std::time::Instant;

/// Generated sizes: (services, offerings, seed).
const GENERATED: [(usize, usize, u64); 6] = [
    (1000, 24, 1),
    (1000, 24, 2),
    (1000, 24, 3),
    (1000, 24, 4),
    (1000, 24, 5),
    (5000, 24, 1),
];

/// Runs per scenario; the median time is reported (the plan is deterministic).
const RUNS: usize = 3;

/// Recorded optima (`sovplan solve`, default gap 1e-6; the shipped scenarios' are in
/// scenarios/README.md). For it-dienstleister the best plan known, within 0.0061 % of
/// the optimum.
const RECORDED: [(&str, f64); 12] = [
    ("synthetic-1000x24-seed1", 10_203_098.40),
    ("synthetic-1000x24-seed2", 9_324_028.74),
    ("synthetic-1000x24-seed3", 9_538_274.70),
    ("synthetic-1000x24-seed4", 9_229_963.30),
    ("synthetic-1000x24-seed5", 10_006_592.38),
    ("scenarios/colocate-zwei-anbieter.json", 3_422.00),
    ("scenarios/grossstadt.json", 4_800_826.47),
    ("scenarios/it-dienstleister.json", 19_806_917.74),
    ("scenarios/kleinstadt.json", 135_751.99),
    ("scenarios/landkreis.json", 1_110_533.07),
    ("scenarios/musterstadt.json", 251_583.45),
    ("scenarios/rathaus-drei-dienste.json", 15_717.56),
];

/// One scenario's result: the heuristic's total (None: it found no plan) and the
/// median time.
struct Row {
    total: Option<f64>,
    seconds: f64,
}

/// Runs the heuristic `RUNS` times and checks its plan.
fn measure(name: &str, sc: &Scenario) -> Row {
    let inst = Instance::new(sc.clone());
    let mut seconds = Vec::with_capacity(RUNS);
    let mut placement = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        placement = construct(&inst);
        seconds.push(t.elapsed().as_secs_f64());
    }
    seconds.sort_by(f64::total_cmp);
    let total = placement.map(|p| {
        let plan = build_plan(sc, &p, PlanStatus::Feasible, 1.0);
        let violations = sovplan::check::check(sc, &plan);
        assert!(violations.is_empty(), "{name}: {violations:?}");
        evaluate(sc, &p).total
    });
    Row {
        total,
        seconds: seconds[RUNS / 2],
    }
}

/// The generated and shipped scenarios the filter keeps, by name.
fn scenarios(wanted: impl Fn(&str) -> bool) -> Vec<(String, Scenario)> {
    let mut out = Vec::new();
    for (n, m, seed) in GENERATED {
        let name = format!("synthetic-{n}x{m}-seed{seed}");
        if wanted(&name) {
            let file = sovplan::generate::synthetic(n, m, seed);
            let text = serde_json::to_string(&file).expect("a generated scenario serialises");
            match sovplan::parse_scenario(&text, Path::new(".")) {
                Ok(sc) => out.push((name, sc)),
                Err(e) => eprintln!("skipping {name}: {e}"),
            }
        }
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    for path in files {
        let file = path.file_name().unwrap_or_default().to_string_lossy();
        let name = format!("scenarios/{file}");
        if wanted(&name) {
            match sovplan::load_scenario(&path) {
                Ok(sc) => out.push((name, sc)),
                Err(e) => eprintln!("skipping {name}: it does not load: {e}"),
            }
        }
    }
    out
}

fn main() {
    let filter = std::env::var("SOVPLAN_BENCH_FILTER").ok();
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    println!(
        "{:<40} {:>8} {:>9} {:>16} {:>9} {:>16} {:>9}",
        "scenario",
        "services",
        "offerings",
        "heuristic total",
        "time s",
        "recorded optimum",
        "ratio"
    );
    for (name, sc) in scenarios(wanted) {
        let row = measure(&name, &sc);
        let optimum = RECORDED.iter().find(|r| r.0 == name).map(|r| r.1);
        let ratio = row.total.zip(optimum).map(|(h, o)| h / o);
        println!(
            "{:<40} {:>8} {:>9} {:>16} {:>9.3} {:>16} {:>9}",
            name,
            sc.services.len(),
            sc.offerings.len(),
            row.total
                .map_or_else(|| "none".into(), |t| format!("{t:.2}")),
            row.seconds,
            optimum.map_or_else(|| "-".into(), |o| format!("{o:.2}")),
            ratio.map_or_else(|| "-".into(), |r| format!("{r:.4}")),
        );
    }
}

//! Build and solve times per scenario, with the model size (a report, not a timed test:
//! nothing here asserts a wall-clock time).
//!
//! `cargo bench --bench solve` runs the generated scenarios (10x4, 50x12, 100x12, 200x20,
//! 400x24) and every `scenarios/*.json`. `SOVPLAN_BENCH_FILTER=text` keeps only the
//! scenarios whose name contains `text`. Each solve stops after 60 s. Scenarios with
//! more than 1,000 services (it-dienstleister) only run when the filter names them:
//! HiGHS does not check its time limit inside presolve and the root LP, which alone
//! take minutes at that size.

use sovplan::plan::PlanStatus;
use sovplan::{plan_scenario, PlanOutcome, Scenario, SolveOptions, SolveStats};
use std::path::Path;

/// Generated sizes: (services, offerings). Up to this many services a scenario is solved
/// three times and the median reported; bigger ones once, to keep the run short.
const GENERATED: [(usize, usize); 5] = [(10, 4), (50, 12), (100, 12), (200, 20), (400, 24)];
const REPEAT_UP_TO: usize = 100;
const SEED: u64 = 1;
/// Seconds per solve: some generated scenarios take minutes to prove optimal, and a
/// benchmark that never ends reports nothing (a stopped solve shows as "feasible").
const TIME_LIMIT: f64 = 60.0;

struct Row {
    name: String,
    services: usize,
    offerings: usize,
    stats: SolveStats,
    status: String,
    total: Option<f64>,
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

/// Solves `sc` once or three times; the row holds the median build and solve times and
/// the figures of the last run (the plan is deterministic, the times are not).
fn measure(name: String, sc: &Scenario) -> Row {
    let runs = if sc.services.len() <= REPEAT_UP_TO {
        3
    } else {
        1
    };
    let opts = SolveOptions {
        time_limit: Some(TIME_LIMIT),
        ..SolveOptions::default()
    };
    let (mut build, mut solve) = (Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..runs {
        let r = plan_scenario(sc, &opts);
        if let Ok(PlanOutcome::Planned(s)) = &r {
            build.push(s.stats.build_seconds);
            solve.push(s.stats.solve_seconds);
        }
        last = Some(r);
    }
    let (stats, status, total) = match last.expect("at least one run") {
        Ok(PlanOutcome::Planned(s)) => {
            let status = match s.plan.status {
                PlanStatus::Optimal => "optimal",
                PlanStatus::Feasible => "feasible",
            };
            let mut stats = s.stats;
            stats.build_seconds = median(build);
            stats.solve_seconds = median(solve);
            (stats, status.to_string(), Some(s.plan.total_cost))
        }
        Ok(PlanOutcome::Infeasible(_)) => (SolveStats::default(), "infeasible".into(), None),
        Ok(PlanOutcome::NoPlanInTime(_)) => (SolveStats::default(), "time limit".into(), None),
        Err(e) => (SolveStats::default(), format!("error: {e}"), None),
    };
    Row {
        name,
        services: sc.services.len(),
        offerings: sc.offerings.len(),
        stats,
        status,
        total,
    }
}

fn main() {
    let filter = std::env::var("SOVPLAN_BENCH_FILTER").ok();
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    let mut scenarios: Vec<(String, Scenario)> = Vec::new();
    for (n, m) in GENERATED {
        let name = format!("synthetic-{n}x{m}");
        if !wanted(&name) {
            continue;
        }
        let file = sovplan::generate::synthetic(n, m, SEED);
        let text = serde_json::to_string(&file).expect("a generated scenario serialises");
        match sovplan::parse_scenario(&text, Path::new(".")) {
            Ok(sc) => scenarios.push((name, sc)),
            Err(e) => eprintln!("skipping {name}: {e}"),
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
        let name = format!(
            "scenarios/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        if !wanted(&name) {
            continue;
        }
        match sovplan::load_scenario(&path) {
            Ok(sc) if sc.services.len() > 1000 && filter.is_none() => {
                eprintln!(
                    "skipping {name} ({} services): run it with SOVPLAN_BENCH_FILTER={name}",
                    sc.services.len()
                );
            }
            Ok(sc) => scenarios.push((name, sc)),
            Err(e) => eprintln!("skipping {name}: it does not load: {e}"),
        }
    }

    println!(
        "{:<34} {:>8} {:>9} {:>6} {:>9} {:>8} {:>11} {:>8} {:>8} {:<10} {:>9} {:>14}",
        "scenario",
        "services",
        "offerings",
        "groups",
        "variables",
        "binaries",
        "constraints",
        "build s",
        "solve s",
        "status",
        "gap",
        "total cost"
    );
    for (name, sc) in &scenarios {
        let r = measure(name.clone(), sc);
        let s = &r.stats;
        println!(
            "{:<34} {:>8} {:>9} {:>6} {:>9} {:>8} {:>11} {:>8.3} {:>8.3} {:<10} {:>8.4}% {:>14}",
            r.name,
            r.services,
            r.offerings,
            s.groups,
            s.variables,
            s.binaries,
            s.constraints,
            s.build_seconds,
            s.solve_seconds,
            r.status,
            100.0 * s.gap,
            r.total
                .map_or_else(|| "-".to_string(), |t| format!("{t:.2}")),
        );
    }
}

//! Sweep throughput at `--jobs 1` and `--jobs 2` (a report, not a timed test).
//!
//! `cargo bench --bench sweep` sweeps a medium scenario over 24 points (kleinstadt by
//! default; `SOVPLAN_SWEEP_SCENARIO=landkreis` for a larger one) once with one job and
//! once with two, checks that both give the same report, and prints points per second
//! and the speed-up. Each point is solved by one single-threaded HiGHS, so two jobs on
//! two idle cores should approach 2x.

use sovplan::analysis::sweep::{report, to_json, Shard, Sweep, Vary};
use sovplan::format::read::read_scenario;
use sovplan::SolveOptions;
use std::path::Path;
use std::time::Instant;

fn main() {
    let name = std::env::var("SOVPLAN_SWEEP_SCENARIO").unwrap_or_else(|_| "kleinstadt".into());
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.json"));
    let varies = vec![
        Vary::parse("policy.max_provider_share=0.25:0.6:0.05").expect("vary"),
        Vary::parse("policy.max_cloud_act_share=0,0.1,0.2").expect("vary"),
    ];
    let raw = read_scenario(&file).expect("the scenario reads");
    let sweep = Sweep::new(raw, &[], varies).expect("the sweep is valid");
    let opts = SolveOptions {
        time_limit: Some(120.0),
        ..SolveOptions::default()
    };
    let mut reports = Vec::new();
    let mut secs = Vec::new();
    for jobs in [1, 2] {
        let t = Instant::now();
        let results = sweep
            .run(Shard::WHOLE, &opts, jobs)
            .expect("the sweep runs");
        let s = t.elapsed().as_secs_f64();
        let feasible = results.iter().filter(|r| r.total_cost.is_some()).count();
        println!(
            "{name}: {} points ({feasible} feasible), --jobs {jobs}: {s:.1} s, {:.2} points/s",
            results.len(),
            results.len() as f64 / s
        );
        reports.push(to_json(&report(
            &sweep.scenario,
            &sweep.hash,
            &[],
            &sweep.varies,
            &results,
        )));
        secs.push(s);
    }
    assert_eq!(
        reports[0], reports[1],
        "the report must not depend on --jobs"
    );
    println!("speed-up with 2 jobs: {:.2}x", secs[0] / secs[1]);
}

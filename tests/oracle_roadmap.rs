//! The roadmap oracle: the roadmap MILP against exhaustive enumeration.
//!
//! Thousands of tiny random roadmaps (1–3 services, 1–4 offerings, 1–3 years) are
//! solved twice: by `plan_scenario` (HiGHS) and by trying every schedule — each service
//! with a current offering either stays or moves once, to any offering, in any year;
//! each new service sits on any offering from the first year — and keeping those the
//! independent checker accepts. The two must agree on the optimal total and on
//! infeasibility.
//!
//! As in `tests/oracle.rs`, validity is the checker's (it shares no code with the
//! formulation), and limits are drawn near the figures of a reference schedule (half of
//! the time the cheapest one with eligible targets), so that optima sit on bounds,
//! limits cut off the unconstrained optimum, the policy tightens over the years, and a
//! fair share of cases is infeasible. The test counts these and fails if the
//! generator degenerates. A failure prints the seed and the scenario JSON.

mod common;

use common::random::near;
use sovplan::check::check;
use sovplan::format::{PolicyDef, PolicyStepDef, RoadmapDef, ScenarioFile};
use sovplan::generate::Rng;
use sovplan::model::cost::evaluate_roadmap;
use sovplan::model::{OfferingId, Scenario};
use sovplan::plan::{build_roadmap_plan, PlanStatus};
use sovplan::{parse_scenario, plan_scenario, PlanOutcome, SolveOptions};
use std::path::Path;

/// Random roadmaps; `SOVPLAN_ORACLE_ROADMAP_CASES` runs more (the degeneration floors
/// are only asserted for the default).
const CASES: u64 = 2000;

const START: i32 = 2027;

fn cases() -> u64 {
    std::env::var("SOVPLAN_ORACLE_ROADMAP_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CASES)
}

/// Every schedule of one service over `years`: stay on `current` throughout, or move
/// once to any other offering in any year; a new service on any offering throughout.
fn options(current: Option<OfferingId>, n_off: usize, years: usize) -> Vec<Vec<OfferingId>> {
    let all = (0..n_off as u32).map(OfferingId);
    match current {
        None => all.map(|o| vec![o; years]).collect(),
        Some(c) => {
            let mut out = vec![vec![c; years]];
            for t in all.filter(|&t| t != c) {
                for y in 0..years {
                    out.push((0..years).map(|i| if i < y { c } else { t }).collect());
                }
            }
            out
        }
    }
}

/// Every schedule of the scenario as years × services, in a fixed order.
fn schedules(sc: &Scenario, years: usize) -> Vec<Vec<Vec<OfferingId>>> {
    let per: Vec<Vec<Vec<OfferingId>>> = sc
        .services
        .iter()
        .map(|s| options(s.current_offering, sc.offerings.len(), years))
        .collect();
    let mut out = vec![vec![Vec::new(); years]];
    for opts in &per {
        let mut next = Vec::with_capacity(out.len() * opts.len());
        for partial in &out {
            for o in opts {
                let mut s = partial.clone();
                for (y, row) in s.iter_mut().enumerate() {
                    row.push(o[y]);
                }
                next.push(s);
            }
        }
        out = next;
    }
    out
}

/// A reference schedule: the cheapest with every year's offerings eligible (half of
/// the time, when there is one), else a random one.
fn reference(rng: &mut Rng, sc: &Scenario, all: &[Vec<Vec<OfferingId>>]) -> Vec<Vec<OfferingId>> {
    let eligible: Vec<Vec<OfferingId>> = sc.service_ids().map(|s| sc.eligible(s)).collect();
    if rng.chance(0.5) {
        let ok = |sched: &&Vec<Vec<OfferingId>>| {
            let last = sched.last().expect("a year");
            last.iter().zip(&eligible).all(|(o, e)| e.contains(o))
        };
        if let Some(best) = all.iter().filter(ok).min_by(|a, b| {
            evaluate_roadmap(sc, a)
                .total
                .total_cmp(&evaluate_roadmap(sc, b).total)
        }) {
            return best.clone();
        }
    }
    all[rng.below(all.len())].clone()
}

/// The figures of a reference schedule the limits are drawn around, per year.
struct Figures {
    monthly: Vec<f64>,
    one_off: Vec<f64>,
    annual: Vec<f64>,
    moves: Vec<f64>,
    max_share: Vec<f64>,
    cloud_act: Vec<f64>,
    max_exit: Vec<f64>,
}

/// The exact (unrounded) figures, so that a bound copied from them puts the reference
/// schedule exactly on it, as the plan's rounded figures would not.
fn figures(sc: &Scenario, sched: &[Vec<OfferingId>]) -> Figures {
    let ev = evaluate_roadmap(sc, sched);
    let exposed = |e: &sovplan::model::cost::Evaluation| -> f64 {
        sc.provider_ids()
            .filter(|p| sc.providers[p.index()].cloud_act_exposed)
            .map(|p| e.spend[p.index()])
            .sum()
    };
    let share = |x: f64, m: f64| if m > 0.0 { x / m } else { 0.0 };
    let per = |f: &dyn Fn(&sovplan::model::cost::YearEvaluation) -> f64| -> Vec<f64> {
        ev.years.iter().map(f).collect()
    };
    Figures {
        monthly: per(&|y| y.e.monthly),
        one_off: per(&|y| y.e.one_off_total),
        annual: per(&|y| y.e.total),
        moves: per(&|y| y.moves as f64),
        max_share: per(&|y| {
            y.e.spend
                .iter()
                .map(|&s| share(s, y.e.monthly))
                .fold(0.0, f64::max)
        }),
        cloud_act: per(&|y| share(exposed(&y.e), y.e.monthly)),
        max_exit: per(&|y| y.e.exit.iter().copied().fold(0.0, f64::max)),
    }
}

fn max(xs: &[f64]) -> f64 {
    xs.iter().copied().fold(0.0, f64::max)
}

/// The roadmap (years, contract ends) before any limit: limits need the figures of a
/// schedule, which need a valid scenario.
fn add_roadmap(rng: &mut Rng, file: &mut ScenarioFile) -> usize {
    let years = 1 + rng.below(3);
    let n_off = file.offerings.len();
    for s in &mut file.services {
        // Roadmaps are about moving what runs today: more services run somewhere than
        // in the single-period oracle.
        if s.current_offering.is_none() && rng.chance(0.4) {
            s.current_offering = Some(format!("o{}", rng.below(n_off)));
            s.migration_cost = Some(rng.range(0.0, 5000.0, 100.0));
        }
        if s.current_offering.is_some() && rng.chance(0.6) {
            // Up to one year after the last: a contract that outlasts the roadmap.
            s.movable_from = Some(i64::from(START) + rng.below(years + 1) as i64);
        }
    }
    file.roadmap = Some(RoadmapDef {
        start_year: i64::from(START),
        years: years as i64,
        ..Default::default()
    });
    years
}

/// The limits: the policy of the first year, a tightening step, and year limits, each
/// near the reference schedule's figures.
fn add_limits(rng: &mut Rng, file: &mut ScenarioFile, f: &Figures, years: usize) {
    let share = |rng: &mut Rng, x: f64| near(rng, x, 0.7, 1.3).clamp(0.01, 1.0);
    let providers = file.providers.len();
    file.policy = Some(PolicyDef {
        max_provider_share: rng.chance(0.25).then(|| share(rng, max(&f.max_share))),
        min_providers: rng
            .chance(0.15)
            .then(|| (1 + rng.below(providers.min(2))) as f64),
        max_cloud_act_share: rng
            .chance(0.3)
            .then(|| near(rng, f.cloud_act[0], 0.8, 1.3).clamp(0.0, 1.0)),
        max_exit_cost: rng
            .chance(0.2)
            .then(|| near(rng, max(&f.max_exit), 0.9, 1.3)),
        monthly_budget: rng
            .chance(0.25)
            .then(|| near(rng, max(&f.monthly), 0.97, 1.4)),
        ..Default::default()
    });
    let roadmap = file.roadmap.as_mut().expect("added before");
    if years > 1 && rng.chance(0.6) {
        let y = 1 + rng.below(years - 1);
        roadmap.policy_from.push(PolicyStepDef {
            year: i64::from(START) + y as i64,
            max_cloud_act_share: rng
                .chance(0.7)
                .then(|| (near(rng, f.cloud_act[y], 0.3, 1.0)).clamp(0.0, 1.0)),
            monthly_budget: rng.chance(0.3).then(|| near(rng, f.monthly[y], 0.9, 1.2)),
            ..Default::default()
        });
    }
    roadmap.max_moves_per_year = rng
        .chance(0.3)
        .then(|| max(&f.moves).max(1.0) - rng.below(2) as f64);
    roadmap.max_one_off_per_year = rng
        .chance(0.3)
        .then(|| near(rng, max(&f.one_off), 0.5, 1.2));
    roadmap.max_annual_cost = rng
        .chance(0.3)
        .then(|| near(rng, max(&f.annual), 0.95, 1.3));
}

/// The cheapest total over the schedules the checker accepts.
fn enumerate(sc: &Scenario, all: &[Vec<Vec<OfferingId>>]) -> Option<f64> {
    all.iter()
        .filter(|sched| {
            check(sc, &build_roadmap_plan(sc, sched, PlanStatus::Optimal, 0.0)).is_empty()
        })
        .map(|sched| evaluate_roadmap(sc, sched).total)
        .min_by(f64::total_cmp)
}

/// What the cases covered, for the degeneration floors.
#[derive(Default, Debug)]
struct Counts {
    feasible: usize,
    infeasible: usize,
    later_moves: usize,
    year_limit_binding: usize,
    stepped: usize,
}

/// One case: returns a failure message, if any.
fn run_case(seed: u64, opts: &SolveOptions, counts: &mut Counts) -> Option<String> {
    let mut rng = Rng::new(0x0AD_0000 + seed);
    let mut file = common::random::scenario(&mut rng, seed, 3);
    let years = add_roadmap(&mut rng, &mut file);
    let bare = parse_scenario(&serde_json::to_string(&file).unwrap(), Path::new("."))
        .unwrap_or_else(|e| panic!("seed {seed}: generated roadmap is invalid: {e}"));
    let all = schedules(&bare, years);
    let f = figures(&bare, &reference(&mut rng, &bare, &all));
    add_limits(&mut rng, &mut file, &f, years);
    let json = serde_json::to_string_pretty(&file).unwrap();
    let sc = parse_scenario(&json, Path::new("."))
        .unwrap_or_else(|e| panic!("seed {seed}: roadmap with limits is invalid: {e}\n{json}"));
    if !file.roadmap.as_ref().unwrap().policy_from.is_empty() {
        counts.stepped += 1;
    }
    let truth = enumerate(&sc, &all);
    let fail = |what: String| Some(format!("seed {seed}: {what}\n{json}"));
    match (plan_scenario(&sc, opts), truth) {
        (Ok(PlanOutcome::Planned(solved)), Some(best)) => {
            counts.feasible += 1;
            let plan = &solved.plan;
            let violations = check(&sc, plan);
            if !violations.is_empty() {
                return fail(format!("the MILP plan fails the checker: {violations:?}"));
            }
            if (plan.total_cost - best).abs() > 0.01 + 0.005 + 1e-6 * best.abs() {
                return fail(format!(
                    "MILP total {} but enumeration finds {best}",
                    plan.total_cost
                ));
            }
            let rows = plan.years.as_deref().unwrap_or_default();
            if rows.iter().skip(1).any(|y| y.moves > 0) {
                counts.later_moves += 1;
            }
            let year_limit = |l: &&sovplan::plan::LimitRow| {
                l.limit.ends_with("_per_year") || l.limit == "max_annual_cost"
            };
            if plan.limits.iter().filter(year_limit).any(|l| l.binding) {
                counts.year_limit_binding += 1;
            }
            None
        }
        (Ok(PlanOutcome::Infeasible(_)), None) => {
            counts.infeasible += 1;
            None
        }
        (Ok(PlanOutcome::Planned(s)), None) => fail(format!(
            "the MILP finds a plan ({}) but no schedule passes the checker",
            s.plan.total_cost
        )),
        (Ok(PlanOutcome::Infeasible(_)), Some(best)) => fail(format!(
            "the MILP says infeasible but enumeration finds {best}"
        )),
        (Ok(PlanOutcome::NoPlanInTime(_)), _) => {
            fail("no plan in time without a time limit".into())
        }
        (Err(e), _) => fail(format!("error: {e}")),
    }
}

#[test]
fn roadmap_milp_matches_exhaustive_enumeration() {
    let opts = SolveOptions {
        gap: 0.0,
        ..Default::default()
    };
    let mut counts = Counts::default();
    let mut failures = Vec::new();
    let n = cases();
    for seed in 0..n {
        if let Some(f) = run_case(seed, &opts, &mut counts) {
            failures.push(f);
        }
    }
    eprintln!("roadmap oracle: {n} cases, {counts:?}");
    assert!(
        failures.is_empty(),
        "{} of {n} cases disagree; first:\n{}",
        failures.len(),
        failures[0]
    );
    if n == CASES {
        // Floors well below what the generator gives, so that only a degenerate
        // generator (all infeasible, no later moves, no binding year limit) fails.
        assert!(counts.infeasible >= 100, "{counts:?}");
        assert!(counts.feasible >= 800, "{counts:?}");
        assert!(counts.later_moves >= 30, "{counts:?}");
        assert!(counts.year_limit_binding >= 50, "{counts:?}");
        assert!(counts.stepped >= 500, "{counts:?}");
    }
}

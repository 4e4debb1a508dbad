//! MIP starts: a feasible start is accepted, and when HiGHS stops at its time limit
//! without a plan of its own the start comes back as a checked, non-optimal plan.

mod common;

use sovplan::milp::{solve_milp, Outcome};
use sovplan::{plan::build_plan, plan::PlanStatus, Instance, SolveOptions};

#[test]
fn optimal_start_is_kept_and_checked() {
    let sc = common::synthetic(30, 8, 3);
    let inst = Instance::new(sc.clone());
    let opts = SolveOptions {
        gap: 0.0,
        ..Default::default()
    };
    let (first, _) = solve_milp(&inst, &opts, None).unwrap();
    let Outcome::Placed { placement, .. } = first else {
        panic!("{first:?}")
    };
    let best = sovplan::model::cost::evaluate(&sc, &placement).total;

    // Restart from the optimum: the result is at least as good and still feasible.
    let (again, _) = solve_milp(&inst, &opts, Some(&placement)).unwrap();
    let Outcome::Placed {
        placement: p2,
        optimal,
        ..
    } = again
    else {
        panic!("{again:?}")
    };
    assert!(optimal);
    let t2 = sovplan::model::cost::evaluate(&sc, &p2).total;
    assert!((t2 - best).abs() <= 1e-6 * best, "{t2} vs {best}");
    let plan = build_plan(&sc, &p2, PlanStatus::Optimal, 0.0);
    assert!(sovplan::check::check(&sc, &plan).is_empty());

    // A time limit too short for HiGHS to find anything returns the start with a gap
    // against a valid lower bound (at most the true optimum).
    let rushed = SolveOptions {
        time_limit: Some(1e-6),
        ..Default::default()
    };
    let (r, stats) = solve_milp(&inst, &rushed, Some(&placement)).unwrap();
    let Outcome::Placed { placement: p3, .. } = r else {
        panic!("{r:?}")
    };
    let t3 = sovplan::model::cost::evaluate(&sc, &p3).total;
    assert!(t3 <= best * (1.0 + 1e-9));
    assert!((0.0..=1.0).contains(&stats.gap));
    assert!(
        sovplan::check::check(&sc, &build_plan(&sc, &p3, PlanStatus::Feasible, stats.gap))
            .is_empty()
    );
}

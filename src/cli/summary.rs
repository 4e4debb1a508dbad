//! The summary of a solve on standard error: the plan's figures per provider, the
//! binding limits, and the model's size and timings (which never go into the plan).

use super::scenario::eur;
use sovplan::milp::Stop;
use sovplan::model::LimitKind;
use sovplan::plan::{LimitRow, Plan, PlanStatus};
use sovplan::{SolveStats, Solved};
use std::path::Path;

/// A limit within this fraction of its bound is listed as "near the bound".
const NEAR: f64 = 0.01;

/// The summary of `s` (solved from `scenario`), one line per fact, each ending in a
/// newline.
pub fn summary(s: &Solved, scenario: &Path) -> String {
    let (p, st) = (&s.plan, &s.stats);
    let mut out = headline(p, st);
    out += &years(p);
    out += &providers(p);
    out += &near_limits(p, scenario);
    out += &model(st);
    if let Some(ps) = &st.pricing {
        out += &pricing(ps);
    }
    if let Some(h) = st.heuristic_total {
        out += &start_plan(p, h, st.heuristic_seconds);
    }
    out
}

fn headline(p: &Plan, st: &SolveStats) -> String {
    let status = match (p.status, st.stop) {
        (PlanStatus::Optimal, _) => "optimal",
        (PlanStatus::Feasible, Stop::TimeLimit) => "feasible (time limit; not proven optimal)",
        (PlanStatus::Feasible, Stop::Interrupted) => "feasible (interrupted; not proven optimal)",
        (PlanStatus::Feasible, Stop::Finished) => {
            "feasible (stopped at the requested --gap; not proven optimal)"
        }
    };
    let bound = if st.pricing.as_ref().is_some_and(|ps| ps.milp_solves == 0) {
        "the Lagrangian bound of the pricing LP"
    } else if st.pricing.is_some() {
        "HiGHS's bound on the restricted model and the pricing certificate"
    } else if st.dual_bound {
        "HiGHS's dual bound"
    } else {
        "the solver-free lower bound"
    };
    let over = match p.years.as_deref() {
        Some([first, .., last]) => format!("the years {}–{}", first.year, last.year),
        Some([only]) => format!("the year {}", only.year),
        _ => format!("{} months", p.horizon_months),
    };
    let monthly = if p.years.is_some() {
        "final year's monthly"
    } else {
        "monthly"
    };
    format!(
        "{}: {status}, total {} EUR over {over} ({monthly} {} EUR, one-off {} EUR), gap {:.4} % (against {bound})\n",
        p.scenario,
        eur(p.total_cost),
        eur(p.monthly_cost),
        eur(p.one_off_cost),
        p.gap * 100.0
    )
}

/// One line per provider in use.
fn providers(p: &Plan) -> String {
    let mut out = String::new();
    for r in p.providers.iter().filter(|r| r.services > 0) {
        out += &format!(
            "  {:<24} {:>5.1} %  {:>13} EUR/month  {:>4} {}  exit {} EUR{}\n",
            r.provider,
            r.share * 100.0,
            eur(r.spend),
            r.services,
            if r.services == 1 {
                "service "
            } else {
                "services"
            },
            eur(r.exit_cost),
            if r.cloud_act_exposed {
                "  (CLOUD Act)"
            } else {
                ""
            }
        );
    }
    out
}

/// The limits at or within 1 % of their bound. In a MILP a limit can shape the plan
/// without being tight, and a tight one need not cost anything: `sovplan price` says
/// what each costs.
fn near_limits(p: &Plan, scenario: &Path) -> String {
    let near: Vec<String> = p
        .limits
        .iter()
        .filter(|l| is_near(l))
        .map(describe)
        .collect();
    if near.is_empty() {
        return "  limits at or near the bound (within 1 %): none\n".into();
    }
    if p.years.is_some() {
        // `price` does not take roadmaps yet: no pointer to it.
        return format!(
            "  limits at or near the bound (within 1 %): {}\n",
            near.join(", ")
        );
    }
    format!(
        "  limits at or near the bound (within 1 %): {}\n  what each rule costs: sovplan price {}\n",
        near.join(", "),
        scenario.display()
    )
}

/// Whether a limit row's value is at its bound or within [`NEAR`] of it, on the side
/// the limit guards (a minimum from above, a maximum from below).
fn is_near(l: &LimitRow) -> bool {
    let lower = LimitKind::ALL
        .into_iter()
        .find(|k| k.field() == l.limit)
        .is_some_and(LimitKind::is_lower_bound);
    let slack = NEAR * l.bound.abs();
    if lower {
        l.value <= l.bound + slack
    } else {
        l.value >= l.bound - slack
    }
}

fn describe(l: &LimitRow) -> String {
    let subject = if l.subject.is_empty() {
        String::new()
    } else {
        format!(" {}", l.subject)
    };
    let year = l.year.map(|y| format!(" in {y}")).unwrap_or_default();
    format!("{}{subject}{year} ({} of {})", l.limit, l.value, l.bound)
}

/// A roadmap's year table (nothing for a single-period plan), and that the plan was
/// not run through the checker, which does not verify roadmaps yet.
fn years(p: &Plan) -> String {
    let Some(years) = &p.years else {
        return String::new();
    };
    let mut out = format!(
        "  {:<6} {:>16} {:>14} {:>14} {:>6} {:>10} {:>9}\n",
        "year", "annual EUR", "monthly EUR", "one-off EUR", "moves", "providers", "CLOUD Act"
    );
    for y in years {
        out += &format!(
            "  {:<6} {:>16} {:>14} {:>14} {:>6} {:>10} {:>7.1} %\n",
            y.year,
            eur(y.annual_cost),
            eur(y.monthly_cost),
            eur(y.one_off_cost),
            y.moves,
            y.providers_used,
            y.cloud_act_share * 100.0
        );
    }
    out += "  (the final year's placement below)\n";
    out
}

fn model(st: &SolveStats) -> String {
    let times = if st.build_seconds == 0.0 && st.solve_seconds > 0.0 {
        // The watchdog stopped waiting for HiGHS: it never reported its own figures.
        format!(
            "build and solve {:.3} s (HiGHS stopped at the deadline)",
            st.solve_seconds
        )
    } else {
        format!(
            "build {:.3} s, solve {:.3} s, {} simplex iterations",
            st.build_seconds, st.solve_seconds, st.lp_iterations
        )
    };
    format!(
        "  model: {} groups, {} variables ({} binary), {} constraints; {times}\n",
        st.groups, st.variables, st.binaries, st.constraints
    )
}

/// What certified candidate pricing did.
fn pricing(ps: &sovplan::milp::PricingStats) -> String {
    format!(
        "  pricing: {} of {} placement columns solved, {} excluded by the certificate{}; Lagrangian bound {} EUR; {} LP rounds ({} re-admitted, {:.3} s), {} MILP {}\n",
        thousands(ps.kept),
        thousands(ps.placement_columns),
        thousands(ps.excluded),
        if ps.not_certified > 0 {
            format!(" ({} left out but not certified: stopped early)", thousands(ps.not_certified))
        } else {
            String::new()
        },
        eur(ps.lagrangian_bound),
        ps.lp_rounds,
        thousands(ps.readmitted),
        ps.seconds,
        ps.milp_solves,
        if ps.milp_solves == 1 { "solve" } else { "solves" },
    )
}

/// A count with thousands separators.
fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How the construction heuristic's start plan (total `h`) compares with the plan.
fn start_plan(p: &Plan, h: f64, seconds: f64) -> String {
    format!(
        "  start plan from the construction heuristic: {} EUR ({:.3} s), {:.2} % above the plan\n",
        eur(h),
        seconds,
        if p.total_cost > 0.0 && (h - p.total_cost).abs() >= 0.005 {
            100.0 * (h / p.total_cost - 1.0)
        } else {
            0.0
        }
    )
}

/// The run's figures for benchmarks (`solve --stats`): model size, timings, result and
/// the process's peak resident memory.
pub fn stats_json(sc: &sovplan::Scenario, s: &Solved, wall_seconds: f64) -> String {
    let (p, st) = (&s.plan, &s.stats);
    let v = serde_json::json!({
        "scenario": p.scenario,
        "services": sc.services.len(),
        "offerings": sc.offerings.len(),
        "status": p.status,
        "stop": format!("{:?}", st.stop).to_lowercase(),
        "total_cost": p.total_cost,
        "gap": st.gap,
        "gap_against": if st.dual_bound { "highs_dual_bound" } else { "solver_free_bound" },
        "groups": st.groups,
        "variables": st.variables,
        "binaries": st.binaries,
        "constraints": st.constraints,
        "heuristic_seconds": st.heuristic_seconds,
        "heuristic_total": st.heuristic_total,
        "build_seconds": st.build_seconds,
        "solve_seconds": st.solve_seconds,
        "lp_iterations": st.lp_iterations,
        "wall_seconds": wall_seconds,
        "peak_rss_mb": peak_rss_mb(),
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

/// The process's peak resident set (VmHWM) in MB, where Linux reports it.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

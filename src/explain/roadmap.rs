//! Why a roadmap has no plan: each roadmap and yearly rule lifted alone, in turn.
//!
//! Deliberately simple: no deletion filter over the years, but one trial per rule the
//! roadmap adds (each yearly limit, each `policy_from` entry, the contract ends) and
//! per rule of the base policy, capacity and co-location, each with every other rule
//! kept. A rule whose lifting alone gives a plan is part of every conflict; when no
//! single rule does, several conflict together and the explanation says so.

use super::{precheck, Infeasibility, Note, RoadmapLift, RoadmapWithout};
use crate::instance::Instance;
use crate::milp::{solve_roadmap, RoadmapOutcome, SolveOptions};
use crate::model::{Rule, Scenario, YearLimitKind};

/// Seconds per trial solve when the user set no time limit.
const TRIAL_SECONDS: f64 = 60.0;

/// A rule of a roadmap scenario that a trial lifts.
#[derive(Debug, Clone, Copy)]
enum Lift {
    Year(YearLimitKind),
    /// The `policy_from` entry at this position (sorted by year).
    Step(usize),
    /// Every service's `movable_from`.
    Contracts,
    Base(Rule),
}

/// Explains an infeasible roadmap (see the module documentation).
pub fn diagnose_roadmap(inst: &Instance, opts: &SolveOptions) -> Infeasibility {
    if let Some(inf) = precheck(inst) {
        return inf;
    }
    let lifts = lifts(&inst.sc);
    let mut inf = Infeasibility::default();
    for (i, &lift) in lifts.iter().enumerate() {
        let trial = Instance::new(lifted(&inst.sc, lift));
        let seconds = match opts.deadline.remaining() {
            Some(left) => left / (lifts.len() - i) as f64,
            None => opts.time_limit.unwrap_or(TRIAL_SECONDS),
        };
        let trial_opts = SolveOptions {
            time_limit: Some(seconds),
            ..opts.clone()
        };
        let without = match solve_roadmap(&trial, &trial_opts) {
            Ok((RoadmapOutcome::Placed { schedule, optimal }, _)) => RoadmapWithout::Plan {
                total: crate::model::cost::evaluate_roadmap(&trial.sc, &schedule).total,
                proven: optimal,
            },
            Ok((RoadmapOutcome::Infeasible, _)) => RoadmapWithout::StillInfeasible,
            Ok((RoadmapOutcome::NoSolutionInTime, _)) | Err(_) => RoadmapWithout::Unknown,
        };
        let (rule, setting) = describe(&inst.sc, lift);
        inf.roadmap.push(RoadmapLift {
            rule,
            setting,
            without,
        });
    }
    if inf.is_empty() {
        inf.notes.push(Note::Unexplained);
    }
    inf
}

/// Every rule the roadmap scenario holds, in the order the explanation lists them.
fn lifts(sc: &Scenario) -> Vec<Lift> {
    let mut out = Vec::new();
    if let Some(r) = &sc.roadmap {
        out.extend(r.limits.iter().map(|l| Lift::Year(l.kind())));
        out.extend((0..r.policy_from.len()).map(Lift::Step));
    }
    if sc.services.iter().any(|s| s.movable_from.is_some()) {
        out.push(Lift::Contracts);
    }
    out.extend(Rule::all().filter(|&r| sc.has(r)).map(Lift::Base));
    out
}

/// The scenario with one rule lifted.
fn lifted(sc: &Scenario, lift: Lift) -> Scenario {
    let mut sc = match lift {
        Lift::Base(rule) => sc.without(rule),
        _ => sc.clone(),
    };
    match (lift, sc.roadmap.as_mut()) {
        (Lift::Year(kind), Some(r)) => r.limits.retain(|l| l.kind() != kind),
        (Lift::Step(i), Some(r)) => {
            r.policy_from.remove(i);
        }
        (Lift::Contracts, _) => sc.services.iter_mut().for_each(|s| s.movable_from = None),
        (Lift::Year(_) | Lift::Step(_) | Lift::Base(_), _) => {}
    }
    sc
}

/// The rule's name (its place in the file) and its setting, as text.
fn describe(sc: &Scenario, lift: Lift) -> (String, String) {
    let r = sc.roadmap.as_ref();
    match lift {
        Lift::Year(kind) => {
            let setting = r.and_then(|r| r.limit(kind)).map(|l| l.to_string());
            (
                format!("roadmap.{}", kind.field()),
                setting.unwrap_or_default(),
            )
        }
        Lift::Step(i) => {
            let step = r.map(|r| &r.policy_from[i]);
            let year = step.map_or(0, |s| s.year);
            let limits: Vec<String> = step
                .iter()
                .flat_map(|s| s.limits.iter())
                .map(|l| format!("{} = {l}", l.kind().field()))
                .collect();
            (
                format!("roadmap.policy_from (from {year})"),
                limits.join(", "),
            )
        }
        Lift::Contracts => {
            let n = sc
                .services
                .iter()
                .filter(|s| s.movable_from.is_some())
                .count();
            ("services' movable_from".into(), format!("{n} service(s)"))
        }
        Lift::Base(rule) => {
            let setting = match rule {
                Rule::Limit(kind) => sc.policy.get(kind).map(|l| l.to_string()),
                Rule::Capacity | Rule::Colocation => None,
            };
            (rule.name().to_string(), setting.unwrap_or_default())
        }
    }
}

//! The deletion filter: which rules conflict, and what lifting each would allow.

use super::{precheck, Conflict, Infeasibility, Note, Without};
use crate::instance::Instance;
use crate::milp::{solve_milp, Outcome, SolveOptions};
use crate::model::{Rule, Scenario};
use std::collections::BTreeSet;

/// Seconds per trial solve of the diagnosis when the user set no time limit.
const DIAGNOSIS_SECONDS: f64 = 60.0;

/// Finds a minimal set of conflicting rules with a deletion filter (one MILP per rule
/// the scenario holds), then solves once more per member with only it lifted.
pub fn diagnose(inst: &Instance, opts: &SolveOptions) -> Infeasibility {
    if let Some(inf) = precheck(inst) {
        return inf;
    }
    let mut inf = Infeasibility::default();
    let present: BTreeSet<Rule> = Rule::all().filter(|&r| inst.sc.has(r)).collect();
    // Every trial is bounded: a diagnosis must finish even when the user set no limit.
    let trial_opts = SolveOptions {
        time_limit: Some(opts.time_limit.unwrap_or(DIAGNOSIS_SECONDS)),
        ..opts.clone()
    };
    let mut kept = present.clone();
    for &rule in &present {
        let mut trial = kept.clone();
        trial.remove(&rule);
        match try_rules(inst, &present, &trial, &trial_opts) {
            Without::StillInfeasible => kept = trial,
            Without::Plan { .. } => {}
            Without::Unknown => inf.notes.push(Note::Undecided(rule)),
        }
    }
    inf.conflicts = kept
        .into_iter()
        .map(|rule| {
            let mut others = present.clone();
            others.remove(&rule);
            let without = try_rules(inst, &present, &others, &trial_opts);
            let nearest = match (rule, without) {
                (Rule::Limit(kind), Without::Plan { .. }) => inst
                    .sc
                    .policy
                    .get(kind)
                    .and_then(|l| super::nearest::nearest(inst, l, &trial_opts)),
                _ => None,
            };
            Conflict {
                rule,
                setting: setting(&inst.sc, rule),
                without,
                nearest,
            }
        })
        .collect();
    if inf.is_empty() {
        inf.notes.push(Note::Unexplained);
    }
    inf
}

/// The setting of a rule as text, for the explanation.
fn setting(sc: &Scenario, rule: Rule) -> String {
    match rule {
        Rule::Capacity => "per offering".into(),
        Rule::Colocation => format!(
            "{} rule(s)",
            sc.dependencies
                .iter()
                .filter(|d| d.colocate.is_some())
                .count()
        ),
        Rule::Limit(kind) => sc
            .policy
            .get(kind)
            .map(|l| l.to_string())
            .unwrap_or_default(),
    }
}

/// Solves with only the rules in `keep` (of those `present`). A heuristic plan of the
/// relaxed instance proves feasibility at once and gives HiGHS an incumbent for finding
/// the cheapest plan within the time limit.
fn try_rules(
    inst: &Instance,
    present: &BTreeSet<Rule>,
    keep: &BTreeSet<Rule>,
    opts: &SolveOptions,
) -> Without {
    let relaxed = present
        .difference(keep)
        .fold(inst.clone(), |i, &rule| i.without(rule));
    let start = crate::heuristic::construct(&relaxed);
    match solve_milp(&relaxed, opts, start.as_deref()) {
        Ok((Outcome::Infeasible, _)) => Without::StillInfeasible,
        Ok((
            Outcome::Placed {
                placement, optimal, ..
            },
            _,
        )) => Without::Plan {
            monthly: crate::model::cost::evaluate(&relaxed.sc, &placement).monthly,
            proven: optimal,
        },
        Ok((Outcome::NoSolutionInTime, _)) | Err(_) => Without::Unknown,
    }
}

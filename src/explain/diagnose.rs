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
///
/// With a deadline (`opts.deadline`), the trials share the time left equally and stop
/// when it is up; what could not be decided by then is listed in the notes.
pub fn diagnose(inst: &Instance, opts: &SolveOptions) -> Infeasibility {
    if let Some(inf) = precheck(inst) {
        return inf;
    }
    opts.enter(crate::live::Phase::Explaining);
    // The trials' plans and bounds are of relaxed scenarios, not the user's.
    let opts = &opts.unobserved();
    let mut inf = Infeasibility::default();
    let present: BTreeSet<Rule> = Rule::all().filter(|&r| inst.sc.has(r)).collect();
    let mut kept = present.clone();
    for (i, &rule) in present.iter().enumerate() {
        let mut trial = kept.clone();
        trial.remove(&rule);
        // Still planned: the rest of the filter and one solve per rule kept so far.
        let trial_opts = trial_options(opts, present.len() - i + kept.len());
        match try_rules(inst, &present, &trial, &trial_opts) {
            Without::StillInfeasible => kept = trial,
            Without::Plan { .. } => {}
            Without::Unknown => inf.notes.push(Note::Undecided(rule)),
        }
    }
    let n = kept.len();
    inf.conflicts = kept
        .into_iter()
        .enumerate()
        .map(|(i, rule)| conflict(inst, opts, &present, rule, n - i, &mut inf.notes))
        .collect();
    if inf.is_empty() {
        inf.notes.push(Note::Unexplained);
    }
    inf
}

/// A member of the minimal conflicting set: what lifting it alone allows and, for a
/// numeric limit, its nearest feasible setting. `pending` counts this member and those
/// after it.
fn conflict(
    inst: &Instance,
    opts: &SolveOptions,
    present: &BTreeSet<Rule>,
    rule: Rule,
    pending: usize,
    notes: &mut Vec<Note>,
) -> Conflict {
    let mut others = present.clone();
    others.remove(&rule);
    // Two shares per member: lifting it, and the search for its nearest setting.
    let without = try_rules(inst, present, &others, &trial_options(opts, 2 * pending));
    let nearest = match (rule, without) {
        (Rule::Limit(kind), Without::Plan { .. }) => {
            let found = inst.sc.policy.get(kind).and_then(|l| {
                super::nearest::nearest(inst, l, &trial_options(opts, 2 * pending - 1))
            });
            if found.is_none() && opts.deadline.expired() {
                notes.push(Note::NearestUndecided(rule));
            }
            found
        }
        _ => None,
    };
    Conflict {
        rule,
        setting: setting(&inst.sc, rule),
        without,
        nearest,
    }
}

/// The options of one trial when `pending` trials (this one included) are still
/// planned: with a deadline, an equal share of the time left (each trial ends by the
/// deadline anyway); without one, the user's time limit or [`DIAGNOSIS_SECONDS`], so
/// that a diagnosis always ends.
fn trial_options(opts: &SolveOptions, pending: usize) -> SolveOptions {
    let seconds = match opts.deadline.remaining() {
        Some(left) => left / pending.max(1) as f64,
        None => opts.time_limit.unwrap_or(DIAGNOSIS_SECONDS),
    };
    SolveOptions {
        time_limit: Some(seconds),
        ..opts.clone()
    }
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
    let start = crate::heuristic::construct_until(&relaxed, &opts.search_deadline());
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

//! Explaining why no plan exists.
//!
//! First the structural reasons that need no solver: services that no offering may
//! host (with the reason for every offering), and co-location groups whose members
//! share no eligible offering or provider. Otherwise a deletion filter over the limit
//! families finds a minimal set of limits that cannot hold together: dropping any one
//! of them makes the scenario feasible.

use crate::formulate::{candidates, Limit};
use crate::graph::ServiceGraph;
use crate::model::{ProviderId, Scenario};
use crate::solve::{solve_milp, Outcome, SolveOptions};
use std::collections::BTreeSet;
use std::fmt;

/// A limit of the minimal conflicting set, with what dropping it would allow.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The limit family.
    pub limit: Limit,
    /// The value set in the scenario, as text.
    pub setting: String,
    /// What happens when this limit alone is lifted and every other limit of the
    /// scenario stays.
    pub without: Without,
}

/// The scenario with one conflicting limit lifted and every other limit kept.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Without {
    /// A plan exists; its monthly cost, and whether it is proven cheapest.
    Plan {
        /// Monthly cost of the best plan found.
        monthly: f64,
        /// Proven cheapest (within the gap).
        proven: bool,
    },
    /// Still infeasible: another conflict among the other limits remains.
    StillInfeasible,
    /// Not decided within the time limit.
    Unknown,
}

/// Why a scenario has no feasible plan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Infeasibility {
    /// Services with no eligible offering, each with the reason per offering.
    pub unplaceable: Vec<String>,
    /// Co-location groups that cannot be placed together.
    pub colocation: Vec<String>,
    /// A minimal set of limits that conflict.
    pub conflicts: Vec<Conflict>,
    /// Anything that could not be determined.
    pub notes: Vec<String>,
}

impl Infeasibility {
    /// Whether nothing was found (should not happen for an infeasible scenario).
    pub fn is_empty(&self) -> bool {
        self.unplaceable.is_empty() && self.colocation.is_empty() && self.conflicts.is_empty()
    }
}

impl fmt::Display for Infeasibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for u in &self.unplaceable {
            writeln!(f, "  - {u}")?;
        }
        for c in &self.colocation {
            writeln!(f, "  - {c}")?;
        }
        if !self.conflicts.is_empty() {
            writeln!(
                f,
                "  - these limits cannot all hold, even with every other limit lifted (a minimal conflicting set):"
            )?;
            for c in &self.conflicts {
                write!(f, "      {} = {}", c.limit.name(), c.setting)?;
                match c.without {
                    Without::Plan {
                        monthly,
                        proven: true,
                    } => write!(
                        f,
                        " (lifting only this one: the cheapest plan costs {monthly:.2} EUR/month)"
                    )?,
                    Without::Plan {
                        monthly,
                        proven: false,
                    } => write!(
                        f,
                        " (lifting only this one: a plan costing {monthly:.2} EUR/month exists)"
                    )?,
                    Without::StillInfeasible => write!(
                        f,
                        " (lifting only this one is not enough: another conflict remains)"
                    )?,
                    Without::Unknown => {}
                }
                writeln!(f)?;
            }
        }
        for n in &self.notes {
            writeln!(f, "  - note: {n}")?;
        }
        Ok(())
    }
}

/// Seconds per trial solve of the diagnosis when the user set no time limit.
const DIAGNOSIS_SECONDS: f64 = 60.0;

/// The scenario without the limit families outside `keep` (for the heuristic, which
/// reads limits from the scenario itself).
fn relaxed(sc: &Scenario, keep: &BTreeSet<Limit>) -> Scenario {
    let mut r = sc.clone();
    if !keep.contains(&Limit::Capacity) {
        for o in &mut r.offerings {
            o.capacity = Default::default();
        }
    }
    if !keep.contains(&Limit::Colocation) {
        for d in &mut r.dependencies {
            d.colocate = None;
        }
    }
    let p = &mut r.policy;
    if !keep.contains(&Limit::ProviderShare) {
        p.max_provider_share = None;
    }
    if !keep.contains(&Limit::MinProviders) {
        p.min_providers = None;
    }
    if !keep.contains(&Limit::CloudActShare) {
        p.max_cloud_act_share = None;
    }
    if !keep.contains(&Limit::ExitCost) {
        p.max_exit_cost = None;
    }
    if !keep.contains(&Limit::Budget) {
        p.monthly_budget = None;
    }
    r
}

/// Structural infeasibility that needs no solver; `None` if every group can be placed.
pub fn precheck(sc: &Scenario) -> Option<Infeasibility> {
    let mut inf = Infeasibility::default();
    for s in sc.service_ids() {
        if !sc.eligible(s).is_empty() {
            continue;
        }
        let svc = &sc.services[s.index()];
        let reasons: Vec<String> = sc
            .offering_ids()
            .map(|o| {
                let why: Vec<String> = sc.exclusions(s, o).iter().map(|e| e.to_string()).collect();
                format!("{}: {}", sc.offerings[o.index()].id, why.join(", "))
            })
            .collect();
        inf.unplaceable.push(if reasons.is_empty() {
            format!(
                "service \"{}\" has no offering to run on (none is defined)",
                svc.id
            )
        } else {
            format!(
                "service \"{}\" may run on no offering: {}",
                svc.id,
                reasons.join("; ")
            )
        });
    }
    if !inf.unplaceable.is_empty() {
        return Some(inf);
    }
    let graph = ServiceGraph::build(sc, true);
    let cand = candidates(sc, &graph);
    let names = |members: &mut dyn Iterator<Item = crate::model::ServiceId>| -> String {
        members
            .map(|s| format!("\"{}\"", sc.services[s.index()].id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (g, members) in graph.groups.iter().enumerate() {
        if cand[g].is_empty() {
            inf.colocation.push(format!(
                "services {} must share one offering (colocate: \"offering\"), but no offering may host all of them",
                names(&mut members.iter().copied())
            ));
        }
    }
    if inf.colocation.is_empty() {
        for groups in &graph.provider_groups {
            let ok = sc.provider_ids().any(|p: ProviderId| {
                groups
                    .iter()
                    .all(|&g| cand[g].iter().any(|&o| sc.provider_of(o) == p))
            });
            if !ok && groups.len() > 1 {
                inf.colocation.push(format!(
                    "services {} must share one provider (colocate), but no provider may host all of them",
                    names(&mut groups.iter().flat_map(|&g| graph.groups[g].iter().copied()))
                ));
            }
        }
    }
    (!inf.colocation.is_empty()).then_some(inf)
}

fn setting(sc: &Scenario, l: Limit) -> String {
    let p = &sc.policy;
    let show = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    match l {
        Limit::Capacity => "per offering".into(),
        Limit::Colocation => format!(
            "{} rule(s)",
            sc.dependencies
                .iter()
                .filter(|d| d.colocate.is_some())
                .count()
        ),
        Limit::ProviderShare => show(p.max_provider_share),
        Limit::MinProviders => show(p.min_providers.map(f64::from)),
        Limit::CloudActShare => show(p.max_cloud_act_share),
        Limit::ExitCost => show(p.max_exit_cost),
        Limit::Budget => show(p.monthly_budget),
    }
}

/// Solves with only the limit families in `keep`. A heuristic plan for the relaxed
/// scenario proves feasibility at once and gives HiGHS an incumbent for finding the
/// cheapest plan within the time limit.
fn try_limits(sc: &Scenario, keep: &BTreeSet<Limit>, opts: &SolveOptions) -> Without {
    let start = crate::heuristic::construct(&relaxed(sc, keep));
    match solve_milp(sc, keep, opts, start.as_deref()) {
        Ok((Outcome::Infeasible, _)) => Without::StillInfeasible,
        Ok((
            Outcome::Placed {
                placement, optimal, ..
            },
            _,
        )) => Without::Plan {
            monthly: crate::cost::evaluate(sc, &placement).monthly,
            proven: optimal,
        },
        Ok((Outcome::NoSolutionInTime, _)) | Err(_) => Without::Unknown,
    }
}

/// Finds a minimal set of conflicting limits with a deletion filter (one MILP per limit).
pub fn diagnose(sc: &Scenario, opts: &SolveOptions) -> Infeasibility {
    if let Some(inf) = precheck(sc) {
        return inf;
    }
    let mut inf = Infeasibility::default();
    let mut kept: BTreeSet<Limit> = Limit::ALL.into_iter().filter(|l| l.present(sc)).collect();
    // Every trial is bounded: a diagnosis must finish even when the user set no limit.
    let trial_opts = SolveOptions {
        time_limit: Some(opts.time_limit.unwrap_or(DIAGNOSIS_SECONDS)),
        ..opts.clone()
    };
    let present = kept.clone();
    for l in present.iter().copied() {
        let mut trial = kept.clone();
        trial.remove(&l);
        match try_limits(sc, &trial, &trial_opts) {
            Without::StillInfeasible => kept = trial,
            Without::Plan { .. } => {}
            Without::Unknown => inf.notes.push(format!(
                "could not decide within the time limit whether {} matters; it is listed to be safe",
                l.name()
            )),
        }
    }
    inf.conflicts = kept
        .into_iter()
        .map(|l| Conflict {
            limit: l,
            setting: setting(sc, l),
            without: {
                let mut others = present.clone();
                others.remove(&l);
                try_limits(sc, &others, &trial_opts)
            },
        })
        .collect();
    if inf.is_empty() {
        inf.notes.push(
            "the solver reported infeasibility, but no single limit family explains it".into(),
        );
    }
    inf
}

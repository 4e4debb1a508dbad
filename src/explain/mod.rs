//! Explaining why no plan exists, as data.
//!
//! First the structural reasons that need no solver ([`precheck`]): services that no
//! offering may host (with the reasons for every offering), and co-location groups
//! whose members share no eligible offering or provider. Otherwise [`diagnose`] runs a
//! deletion filter over the rules the scenario holds and finds a minimal set of rules
//! that cannot hold together: lifting any one of them makes the scenario feasible.
//!
//! The result is an [`Infeasibility`] value; [`render`] turns it into text, and other
//! reports can render the same data.

mod diagnose;
mod nearest;
pub mod render;
mod roadmap;

pub use diagnose::diagnose;
pub use roadmap::diagnose_roadmap;

use crate::instance::Instance;
use crate::model::{Colocate, DataClassId, Exclusion, PolicyLimit, Rule};

/// Why a scenario has no feasible plan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Infeasibility {
    /// Data classes whose rules no offering of the catalogue meets, with the services
    /// of the class (those are not repeated in `unplaceable`).
    pub classes: Vec<ClassWithoutOffering>,
    /// Services that no offering may host.
    pub unplaceable: Vec<Unplaceable>,
    /// Co-location groups that cannot be placed together.
    pub colocation: Vec<ColocationConflict>,
    /// A minimal set of rules that conflict.
    pub conflicts: Vec<Conflict>,
    /// Roadmaps: each roadmap, yearly or policy rule lifted alone, and what that gives.
    pub roadmap: Vec<RoadmapLift>,
    /// What could not be determined.
    pub notes: Vec<Note>,
}

/// A rule of a roadmap scenario lifted alone, every other rule kept.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadmapLift {
    /// Where the rule is in the scenario, e.g. `roadmap.max_moves_per_year`.
    pub rule: String,
    /// Its setting, as text.
    pub setting: String,
    /// What lifting it gives.
    pub without: RoadmapWithout,
}

/// A roadmap with one rule lifted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RoadmapWithout {
    /// A plan exists; its total cost over the roadmap, and whether it is proven cheapest.
    Plan {
        /// Total cost of the best plan found (EUR).
        total: f64,
        /// Proven cheapest (within the gap).
        proven: bool,
    },
    /// Still infeasible.
    StillInfeasible,
    /// Not decided within the time limit.
    Unknown,
}

/// A data class whose rules no offering meets: every service of the class is stuck.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassWithoutOffering {
    /// Data class id.
    pub class: String,
    /// A rule of the class that every offering breaks, if there is one (the headline:
    /// e.g. the certification no offering holds).
    pub common: Option<Exclusion>,
    /// The services of the class, in scenario order.
    pub services: Vec<String>,
    /// Every offering with the class rules it breaks.
    pub offerings: Vec<Excluded>,
}

/// A service that no offering may host, with the reasons per offering.
#[derive(Debug, Clone, PartialEq)]
pub struct Unplaceable {
    /// Service id.
    pub service: String,
    /// Every offering of the scenario with the reasons it is excluded.
    pub offerings: Vec<Excluded>,
}

/// One offering and why it may not host a service.
#[derive(Debug, Clone, PartialEq)]
pub struct Excluded {
    /// Offering id.
    pub offering: String,
    /// Every reason (never empty).
    pub why: Vec<Exclusion>,
}

/// Services tied by `colocate` that no offering (or no provider) may host together.
#[derive(Debug, Clone, PartialEq)]
pub struct ColocationConflict {
    /// What they must share.
    pub colocate: Colocate,
    /// Service ids, in scenario order.
    pub services: Vec<String>,
}

/// A rule of the minimal conflicting set, with what lifting it would allow.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The rule.
    pub rule: Rule,
    /// Its setting in the scenario, as text.
    pub setting: String,
    /// What happens when this rule alone is lifted and every other rule stays.
    pub without: Without,
    /// For a numeric policy limit: the nearest setting that is feasible with every
    /// other rule kept, and its plan.
    pub nearest: Option<Nearest>,
}

/// The nearest feasible setting of one limit (to 0.001 for shares, to the cent for
/// money, the largest feasible count for `min_providers`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nearest {
    /// The limit with its nearest feasible setting.
    pub limit: PolicyLimit,
    /// Total cost of the best plan found at that setting (EUR).
    pub total: f64,
    /// Whether that plan is proven cheapest (within the gap).
    pub proven: bool,
}

/// The scenario with one conflicting rule lifted and every other rule kept.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Without {
    /// A plan exists; its monthly cost, and whether it is proven cheapest.
    Plan {
        /// Monthly cost of the best plan found.
        monthly: f64,
        /// Proven cheapest (within the gap).
        proven: bool,
    },
    /// Still infeasible: another conflict among the other rules remains.
    StillInfeasible,
    /// Not decided within the time limit (or before an interrupt).
    Unknown,
}

/// Something the diagnosis could not determine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Note {
    /// Whether this rule matters was not decided within the time limit; it is listed
    /// among the conflicts to be safe.
    Undecided(Rule),
    /// The nearest feasible setting of this limit was not found before the deadline.
    NearestUndecided(Rule),
    /// The solver reported infeasibility, but no single rule explains it.
    Unexplained,
}

impl Infeasibility {
    /// Whether nothing was found (should not happen for an infeasible scenario).
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
            && self.unplaceable.is_empty()
            && self.colocation.is_empty()
            && self.conflicts.is_empty()
            && self.roadmap.is_empty()
    }
}

/// Structural infeasibility that needs no solver; `None` if every group can be placed.
pub fn precheck(inst: &Instance) -> Option<Infeasibility> {
    let classes = classes_without_offering(inst);
    let mut inf = Infeasibility {
        unplaceable: unplaceable(inst, &classes),
        classes: classes.into_iter().map(|(_, c)| c).collect(),
        ..Default::default()
    };
    if !inf.unplaceable.is_empty() || !inf.classes.is_empty() {
        return Some(inf);
    }
    inf.colocation = offering_groups_without_offering(inst);
    if inf.colocation.is_empty() {
        inf.colocation = provider_groups_without_provider(inst);
    }
    (!inf.colocation.is_empty()).then_some(inf)
}

/// Data classes used by some service whose rules no offering meets.
fn classes_without_offering(inst: &Instance) -> Vec<(DataClassId, ClassWithoutOffering)> {
    let sc = &inst.sc;
    let mut out = Vec::new();
    for dc in sc.used_data_classes() {
        let class = &sc.data_classes[dc.index()];
        let offerings: Vec<Excluded> = sc
            .offering_ids()
            .map(|o| {
                let off = &sc.offerings[o.index()];
                Excluded {
                    offering: off.id.clone(),
                    why: class.exclusions(off, &sc.providers[off.provider.index()]),
                }
            })
            .collect();
        if offerings.is_empty() || offerings.iter().any(|e| e.why.is_empty()) {
            continue;
        }
        let common = offerings[0]
            .why
            .iter()
            .find(|w| offerings.iter().all(|e| e.why.contains(w)))
            .cloned();
        let services = sc
            .services
            .iter()
            .filter(|s| s.data_class == Some(dc))
            .map(|s| s.id.clone())
            .collect();
        out.push((
            dc,
            ClassWithoutOffering {
                class: class.id.clone(),
                common,
                services,
                offerings,
            },
        ));
    }
    out
}

/// Services with no eligible offering (other than those of a class no offering meets),
/// each with the reasons per offering.
fn unplaceable(
    inst: &Instance,
    classes: &[(DataClassId, ClassWithoutOffering)],
) -> Vec<Unplaceable> {
    let sc = &inst.sc;
    let stuck = |s: crate::model::ServiceId| {
        let dc = sc.services[s.index()].data_class;
        classes.iter().any(|(c, _)| Some(*c) == dc)
    };
    sc.service_ids()
        .filter(|&s| !stuck(s) && sc.eligible(s).is_empty())
        .map(|s| Unplaceable {
            service: sc.services[s.index()].id.clone(),
            offerings: sc
                .offering_ids()
                .map(|o| Excluded {
                    offering: sc.offerings[o.index()].id.clone(),
                    why: sc.exclusions(s, o),
                })
                .collect(),
        })
        .collect()
}

/// `colocate: "offering"` groups whose members share no eligible offering.
fn offering_groups_without_offering(inst: &Instance) -> Vec<ColocationConflict> {
    let sc = &inst.sc;
    (0..inst.groups())
        .filter(|&g| inst.candidates[g].is_empty())
        .map(|g| ColocationConflict {
            colocate: Colocate::Offering,
            services: inst.graph.groups[g]
                .iter()
                .map(|s| sc.services[s.index()].id.clone())
                .collect(),
        })
        .collect()
}

/// Provider groups (of more than one placement group) with no provider that can host
/// every member.
fn provider_groups_without_provider(inst: &Instance) -> Vec<ColocationConflict> {
    let sc = &inst.sc;
    (0..inst.graph.provider_groups.len())
        .filter(|&pg| {
            inst.graph.provider_groups[pg].len() > 1
                && inst.providers_of_provider_group(pg).is_empty()
        })
        .map(|pg| ColocationConflict {
            colocate: Colocate::Provider,
            services: inst.graph.provider_groups[pg]
                .iter()
                .flat_map(|&g| inst.graph.groups[g].iter())
                .map(|s| sc.services[s.index()].id.clone())
                .collect(),
        })
        .collect()
}

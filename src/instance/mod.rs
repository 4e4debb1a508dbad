//! The instance: everything derived from a scenario once, before any plan is searched.
//!
//! The placement groups (co-location), each group's candidate offerings and the twin
//! offerings that can be left out are computed here once and shared by the structural
//! precheck, the heuristic, the MILP and the explanation of infeasibility.

mod graph;
mod twins;

pub use graph::ServiceGraph;

use crate::model::{OfferingId, ProviderId, Rule, Scenario, ServiceId};

/// A scenario with its placement groups and candidate offerings.
#[derive(Debug, Clone)]
pub struct Instance {
    /// The scenario.
    pub sc: Scenario,
    /// Placement groups and provider groups.
    pub graph: ServiceGraph,
    /// Per placement group, the offerings every member may use, in scenario order.
    pub candidates: Vec<Vec<OfferingId>>,
    /// Per offering, the earlier twin that replaces it in the model (`None`: kept).
    pub twin_of: Vec<Option<OfferingId>>,
    /// Per placement group, the candidates without twins: the model's choices.
    pub choices: Vec<Vec<OfferingId>>,
}

impl Instance {
    /// Derives groups, candidates and twins from the scenario.
    pub fn new(sc: Scenario) -> Instance {
        let graph = ServiceGraph::build(&sc);
        let candidates = candidates(&sc, &graph);
        let twin_of = twins::twins(&sc, &candidates);
        let choices = candidates
            .iter()
            .map(|c| {
                c.iter()
                    .copied()
                    .filter(|o| twin_of[o.index()].is_none())
                    .collect()
            })
            .collect();
        Instance {
            sc,
            graph,
            candidates,
            twin_of,
            choices,
        }
    }

    /// The instance of the scenario with `rule` lifted. A policy limit changes nothing
    /// derived here, so only the scenario is replaced; capacities (twins) and
    /// co-location (groups) are derived anew.
    pub fn without(&self, rule: Rule) -> Instance {
        match rule {
            Rule::Limit(_) => Instance {
                sc: self.sc.without(rule),
                ..self.clone()
            },
            Rule::Capacity | Rule::Colocation => Instance::new(self.sc.without(rule)),
        }
    }

    /// Number of placement groups.
    pub fn groups(&self) -> usize {
        self.graph.groups.len()
    }

    /// Placement group of a service.
    pub fn group(&self, s: ServiceId) -> usize {
        self.graph.group(s)
    }

    /// Whether some placement group has no candidate offering at all.
    pub fn has_unplaceable_group(&self) -> bool {
        self.candidates.iter().any(Vec::is_empty)
    }

    /// The providers that can host every offering group of provider group `pg`.
    pub fn providers_of_provider_group(&self, pg: usize) -> Vec<ProviderId> {
        self.sc
            .provider_ids()
            .filter(|&p| {
                self.graph.provider_groups[pg].iter().all(|&g| {
                    self.candidates[g]
                        .iter()
                        .any(|&o| self.sc.provider_of(o) == p)
                })
            })
            .collect()
    }

    /// A placement with every offering left out as a twin replaced by its twin; that
    /// never costs more and keeps every limit (see `twins`).
    pub fn without_twins(&self, placement: &[OfferingId]) -> Vec<OfferingId> {
        placement
            .iter()
            .map(|&o| self.twin_of[o.index()].unwrap_or(o))
            .collect()
    }

    /// Number of offerings left out as twins.
    pub fn twins_dropped(&self) -> usize {
        self.twin_of.iter().filter(|t| t.is_some()).count()
    }
}

/// The offerings every member of each group may use (intersection of eligibility).
fn candidates(sc: &Scenario, graph: &ServiceGraph) -> Vec<Vec<OfferingId>> {
    graph
        .groups
        .iter()
        .map(|members| {
            sc.offering_ids()
                .filter(|&o| members.iter().all(|&s| sc.is_eligible(s, o)))
                .collect()
        })
        .collect()
}

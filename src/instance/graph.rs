//! The placement groups that the dependency graph's `colocate` edges induce.
//!
//! `colocate: "offering"` edges glue services into groups that share one placement
//! decision; `colocate: "provider"` edges (together with the offering edges) glue
//! them into provider groups that must land at the same supplier. The formulation
//! decides one placement per group, which removes variables and symmetric choices
//! instead of linking them with constraints.

use crate::model::{Colocate, Scenario, ServiceId};
use petgraph::unionfind::UnionFind;

/// The co-location groups of the dependency graph.
#[derive(Debug, Clone)]
pub struct ServiceGraph {
    /// For each service, the index of its offering group.
    pub group_of: Vec<usize>,
    /// Offering groups: services that must share one offering, in scenario order.
    pub groups: Vec<Vec<ServiceId>>,
    /// For each offering group, the index of its provider group.
    pub provider_group_of: Vec<usize>,
    /// Provider groups: offering groups that must share one provider.
    pub provider_groups: Vec<Vec<usize>>,
}

impl ServiceGraph {
    /// Groups the services by the scenario's `colocate` rules.
    pub fn build(sc: &Scenario) -> Self {
        let n = sc.services.len();
        let mut same_offering = UnionFind::<usize>::new(n);
        let mut same_provider = UnionFind::<usize>::new(n);
        for d in &sc.dependencies {
            let (a, b) = (d.from.index(), d.to.index());
            match d.colocate {
                Some(Colocate::Offering) => {
                    same_offering.union(a, b);
                    same_provider.union(a, b);
                }
                Some(Colocate::Provider) => {
                    same_provider.union(a, b);
                }
                None => {}
            }
        }
        let (group_of, groups) = number_groups(n, |s| same_offering.find(s));
        let (provider_group_of, provider_groups) =
            number_groups(groups.len(), |g| same_provider.find(groups[g][0]));
        ServiceGraph {
            group_of,
            groups: groups
                .into_iter()
                .map(|g| g.into_iter().map(|s| ServiceId(s as u32)).collect())
                .collect(),
            provider_group_of,
            provider_groups,
        }
    }

    /// Offering group of a service.
    pub fn group(&self, s: ServiceId) -> usize {
        self.group_of[s.index()]
    }

    /// Whether two services are forced onto the same provider.
    pub fn same_provider_forced(&self, a: ServiceId, b: ServiceId) -> bool {
        self.provider_group_of[self.group(a)] == self.provider_group_of[self.group(b)]
    }
}

/// Numbers the classes of `root` densely in order of first appearance, so that group
/// numbering (and with it the model and the plan) is deterministic.
fn number_groups(n: usize, root: impl Fn(usize) -> usize) -> (Vec<usize>, Vec<Vec<usize>>) {
    let mut id_of_root = std::collections::HashMap::new();
    let mut of = Vec::with_capacity(n);
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in 0..n {
        let next = groups.len();
        let g = *id_of_root.entry(root(i)).or_insert(next);
        if g == groups.len() {
            groups.push(Vec::new());
        }
        groups[g].push(i);
        of.push(g);
    }
    (of, groups)
}

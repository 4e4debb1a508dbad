//! The fixed data of one heuristic run, derived from the instance once: what every
//! placement group costs on every offering, what it demands, whom it talks to, and
//! which providers each provider group can move to. Nothing here changes while the
//! heuristic searches; the running totals live in [`super::state`].

use super::HARD_WEIGHT;
use crate::instance::Instance;
use crate::model::cost::{exit_cost, run_cost};
use crate::model::{Dim, OfferingId, ProviderId, Scenario, ServiceId};

/// Index of a placement group (services that share one offering).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct GroupId(pub(super) usize);

/// Index of a provider group (placement groups that share one provider).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct ProviderGroupId(pub(super) usize);

/// An amount per capacity dimension, in [`Dim::ALL`] order.
pub(super) type Resources = [f64; 3];

/// A dependency seen from one end, between two different placement groups.
#[derive(Debug, Clone, Copy)]
pub(super) struct Edge {
    /// The group at the other end.
    pub(super) other: GroupId,
    /// GB per month.
    pub(super) gb: f64,
    /// Whether this group sends (and therefore its provider pays).
    pub(super) out: bool,
}

/// The fixed data, indexed densely for the heuristic's inner loops.
pub(super) struct Tables<'a> {
    inst: &'a Instance,
    /// The scenario.
    pub(super) sc: &'a Scenario,
    /// Months over which monthly costs count.
    pub(super) horizon: f64,
    n_off: usize,
    /// Capacity per offering; infinite where unlimited.
    pub(super) cap: Vec<Resources>,
    /// Monthly fee per provider.
    pub(super) fee: Vec<f64>,
    /// Whether each provider is CLOUD-Act-exposed.
    pub(super) exposed: Vec<bool>,
    /// Per group and offering: run, one-off and exit cost; per group: demand.
    costs: GroupCosts,
    /// Cheapest run cost per group (lower bound for the construction).
    minrun: Vec<f64>,
    /// Σ minrun: a lower bound of any complete placement's running cost.
    pub(super) minrun_total: f64,
    adj: Vec<Vec<Edge>>,
    /// Provider groups (lists of placement groups) and the providers that can host them.
    pgs: Vec<Vec<GroupId>>,
    pg_providers: Vec<Vec<ProviderId>>,
    /// Weight of capacity and exit violations (relative excess), far above any cost.
    pub(super) w_hard: f64,
    /// Weight of a missing provider under `min_providers`.
    pub(super) w_prov: f64,
}

/// Per group and offering (dense `g * n_off + o`) the run, one-off and exit cost, and
/// per group the summed demand.
struct GroupCosts {
    run: Vec<f64>,
    mig: Vec<f64>,
    exit: Vec<f64>,
    dem: Vec<Resources>,
}

impl<'a> Tables<'a> {
    /// Precomputes everything fixed; `None` if some group has no candidate or some
    /// provider group no common provider (the scenario is then structurally infeasible).
    pub(super) fn new(inst: &'a Instance) -> Option<Self> {
        if inst.candidates.iter().any(Vec::is_empty) {
            return None;
        }
        let sc = &inst.sc;
        let pg_providers = provider_group_providers(inst)?;
        let costs = group_costs(inst);
        let n_off = sc.offerings.len();
        let minrun = cheapest_runs(inst, &costs);
        let minrun_total: f64 = minrun.iter().sum();
        Some(Tables {
            inst,
            sc,
            horizon: sc.policy.horizon_months,
            n_off,
            cap: sc
                .offerings
                .iter()
                .map(|o| Dim::ALL.map(|d| o.capacity.get(d).unwrap_or(f64::INFINITY)))
                .collect(),
            fee: sc.providers.iter().map(|p| p.monthly_fee).collect(),
            exposed: sc.providers.iter().map(|p| p.cloud_act_exposed).collect(),
            costs,
            minrun,
            minrun_total,
            adj: adjacency(inst),
            pgs: provider_group_members(inst),
            pg_providers,
            w_hard: HARD_WEIGHT * (minrun_total + 1.0),
            w_prov: minrun_total + 1.0,
        })
    }

    /// Number of placement groups.
    pub(super) fn n_groups(&self) -> usize {
        self.costs.dem.len()
    }

    /// Every placement group, in index order.
    pub(super) fn groups(&self) -> impl Iterator<Item = GroupId> {
        (0..self.n_groups()).map(GroupId)
    }

    /// Every provider group, in index order.
    pub(super) fn provider_groups(&self) -> impl Iterator<Item = ProviderGroupId> {
        (0..self.pgs.len()).map(ProviderGroupId)
    }

    /// The placement groups of a provider group.
    pub(super) fn members(&self, pg: ProviderGroupId) -> &[GroupId] {
        &self.pgs[pg.0]
    }

    /// The providers that can host every member of a provider group.
    pub(super) fn providers(&self, pg: ProviderGroupId) -> &[ProviderId] {
        &self.pg_providers[pg.0]
    }

    /// The services of a placement group.
    pub(super) fn services(&self, g: GroupId) -> &[ServiceId] {
        &self.inst.graph.groups[g.0]
    }

    /// The offerings every member of a placement group may use.
    pub(super) fn candidates(&self, g: GroupId) -> &[OfferingId] {
        &self.inst.candidates[g.0]
    }

    /// The provider selling an offering.
    pub(super) fn provider(&self, o: OfferingId) -> ProviderId {
        self.sc.provider_of(o)
    }

    /// Number of providers.
    pub(super) fn n_providers(&self) -> usize {
        self.fee.len()
    }

    /// Monthly running cost of group `g` on offering `o`.
    pub(super) fn run(&self, g: GroupId, o: OfferingId) -> f64 {
        self.costs.run[g.0 * self.n_off + o.index()]
    }

    /// One-off migration cost of placing group `g` on offering `o`.
    pub(super) fn mig(&self, g: GroupId, o: OfferingId) -> f64 {
        self.costs.mig[g.0 * self.n_off + o.index()]
    }

    /// Exit cost that group `g` adds to the provider of offering `o`.
    pub(super) fn exit(&self, g: GroupId, o: OfferingId) -> f64 {
        self.costs.exit[g.0 * self.n_off + o.index()]
    }

    /// Summed demand of group `g`.
    pub(super) fn dem(&self, g: GroupId) -> &Resources {
        &self.costs.dem[g.0]
    }

    /// Cheapest monthly running cost of group `g` on any candidate.
    pub(super) fn minrun(&self, g: GroupId) -> f64 {
        self.minrun[g.0]
    }

    /// The dependencies of group `g` with other groups.
    pub(super) fn adj(&self, g: GroupId) -> &[Edge] {
        &self.adj[g.0]
    }
}

/// Per group and offering, the summed run, one-off and exit cost of the members (in
/// member order), and per group the summed demand.
fn group_costs(inst: &Instance) -> GroupCosts {
    let sc = &inst.sc;
    let n_off = sc.offerings.len();
    let ng = inst.groups();
    let mut c = GroupCosts {
        run: vec![0.0; ng * n_off],
        mig: vec![0.0; ng * n_off],
        exit: vec![0.0; ng * n_off],
        dem: vec![[0.0; 3]; ng],
    };
    for (g, members) in inst.graph.groups.iter().enumerate() {
        for &s in members {
            let svc = &sc.services[s.index()];
            for (k, d) in Dim::ALL.iter().enumerate() {
                c.dem[g][k] += svc.demand.get(*d);
            }
            for o in sc.offering_ids() {
                let i = g * n_off + o.index();
                c.run[i] += run_cost(sc, s, o);
                c.exit[i] += exit_cost(sc, s, o);
                if svc.current_offering.is_some_and(|cur| cur != o) {
                    c.mig[i] += svc.migration_cost;
                }
            }
        }
    }
    c
}

/// Per group, the cheapest run cost on any candidate.
fn cheapest_runs(inst: &Instance, costs: &GroupCosts) -> Vec<f64> {
    let n_off = inst.sc.offerings.len();
    inst.candidates
        .iter()
        .enumerate()
        .map(|(g, cand)| {
            cand.iter()
                .map(|o| costs.run[g * n_off + o.index()])
                .fold(f64::INFINITY, f64::min)
        })
        .collect()
}

/// The dependencies between different groups, seen from both ends. Inside a group
/// both ends share the offering, so their traffic is free and left out.
fn adjacency(inst: &Instance) -> Vec<Vec<Edge>> {
    let mut adj = vec![Vec::new(); inst.groups()];
    for d in &inst.sc.dependencies {
        let (a, b) = (inst.group(d.from), inst.group(d.to));
        if a != b && d.traffic_gb_month > 0.0 {
            let gb = d.traffic_gb_month;
            adj[a].push(Edge {
                other: GroupId(b),
                gb,
                out: true,
            });
            adj[b].push(Edge {
                other: GroupId(a),
                gb,
                out: false,
            });
        }
    }
    adj
}

/// The members of every provider group.
fn provider_group_members(inst: &Instance) -> Vec<Vec<GroupId>> {
    inst.graph
        .provider_groups
        .iter()
        .map(|pg| pg.iter().map(|&g| GroupId(g)).collect())
        .collect()
}

/// The providers that can host each provider group; `None` if one has none.
fn provider_group_providers(inst: &Instance) -> Option<Vec<Vec<ProviderId>>> {
    (0..inst.graph.provider_groups.len())
        .map(|pg| Some(inst.providers_of_provider_group(pg)).filter(|ps| !ps.is_empty()))
        .collect()
}

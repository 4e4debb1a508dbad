//! Scenarios composed from service templates for many municipalities.
//!
//! The composer draws its random numbers in a fixed order (size factors, shared
//! instances, then per municipality: one draw per placement group, two per instance);
//! the shipped scenarios in `scenarios/` were made with that order and are reproduced
//! byte for byte from the commands in their descriptions.

use super::Rng;
use crate::error::Diagnostic;
use crate::format::read::read_included;
use crate::format::*;
use crate::model::{DataClass, Offering, Provider, Scenario};
use petgraph::unionfind::UnionFind;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Settings of [`from_templates`]: how to compose a multi-municipality scenario from
/// service templates.
#[derive(Debug, Clone)]
pub struct ComposeOptions {
    /// Scenario name.
    pub name: String,
    /// The question the scenario answers (start of the description).
    pub question: Option<String>,
    /// The exact command that produced the file, recorded in the description.
    pub command: Option<String>,
    /// Number of municipalities.
    pub municipalities: usize,
    /// Random seed for size factors, current placements and costs.
    pub seed: u64,
    /// Include paths written into the file (already relative to the output file).
    pub include: Vec<String>,
    /// Templates instantiated once per state and shared by all its municipalities.
    pub shared: Vec<String>,
    /// Number of states (Länder); municipalities are split into contiguous blocks.
    pub states: usize,
    /// Templates every municipality runs; `None` = all non-shared templates.
    pub core: Option<Vec<String>>,
    /// The first `full` municipalities run every non-shared template, not only `core`.
    pub full: usize,
    /// Smallest per-municipality size factor (demand multiplier).
    pub size_min: f64,
    /// Largest per-municipality size factor.
    pub size_max: f64,
    /// Size factor of the first `full` municipalities (e.g. the county administration);
    /// `None` = drawn like the others.
    pub full_size: Option<f64>,
    /// Offering of the municipal data centre where some services run today.
    pub dc_offering: Option<String>,
    /// Probability that an eligible placement group runs in the data centre today.
    pub dc_share: f64,
    /// Current placements fill at most this fraction of the data centre's capacity.
    pub dc_fill: f64,
    /// Multiplier on the generated migration and replatform costs.
    pub migration_scale: f64,
    /// The policy written into the file.
    pub policy: PolicyDef,
}

impl Default for ComposeOptions {
    fn default() -> Self {
        ComposeOptions {
            name: "composed".into(),
            question: None,
            command: None,
            municipalities: 1,
            seed: 1,
            include: Vec::new(),
            shared: DEFAULT_SHARED.iter().map(|s| s.to_string()).collect(),
            states: 1,
            core: None,
            full: 0,
            size_min: 0.5,
            size_max: 2.0,
            full_size: None,
            dc_offering: Some("kommunal-rz-dc1".into()),
            dc_share: 0.3,
            dc_fill: 0.9,
            migration_scale: 1.0,
            policy: PolicyDef::default(),
        }
    }
}

/// Base-service templates shared state-wide by default (one instance per Land).
pub const DEFAULT_SHARED: [&str; 3] =
    ["basis-bundid-connector", "basis-epaybl", "basis-fitconnect"];

/// Reads the catalogue files (and the template file, when listed too) as includes of
/// an unnamed scenario and validates them together, so that a broken catalogue gets
/// the same diagnostics as a broken scenario, and a template's data class must exist.
pub fn read_catalogue(paths: &[PathBuf]) -> Result<Scenario, Vec<Diagnostic>> {
    crate::validate::validate(&read_included(paths)?)
}

/// Composes a scenario from service templates: one instance per municipality and
/// template, plus one instance per state of each shared template.
///
/// * Instance of template `t` in municipality `k` (0-based) gets id `m{k}-{t}`; the
///   shared instance of state `j` gets id `land{j}-{t}`.
/// * Each municipality has a size factor, log-uniform in `[size_min, size_max]` and
///   rounded to 0.05; demands are scaled by it (vCPU and RAM rounded up, storage to
///   10 GB, egress to 1 GB). Shared instances are scaled by the square root of the
///   summed size factors of their state's municipalities (economies of scale).
/// * Dependencies between templates are replicated per municipality, with traffic
///   scaled by the size factor; a dependency on a shared template points to the
///   state's shared instance. A `colocate` between a municipal and a shared instance
///   is dropped (it would tie all municipalities together); its traffic stays.
///   Dependencies on templates a municipality does not run are dropped.
/// * Placement groups (templates tied by `colocate`) run in `dc_offering` today with
///   probability `dc_share` if the data centre is eligible for every member's data
///   class and the group still fits in `dc_fill` of its capacity.
/// * Every instance gets a `migration_cost` (for those with a current placement) and a
///   `replatform_cost`, derived from its size and a random factor, times
///   `migration_scale`.
///
/// Deterministic: the same inputs give the same file. `catalogue` (validated, see
/// [`read_catalogue`]) supplies the data centre offering, its provider and the data
/// classes for the eligibility check; it is not copied into the output (the output
/// `include`s it via `opts.include`).
pub fn from_templates(
    templates: &ScenarioFile,
    catalogue: &Scenario,
    opts: &ComposeOptions,
) -> Result<ScenarioFile, String> {
    check_options(templates, opts)?;
    let mut dc = DataCentre::find(catalogue, opts)?;
    let composer = Composer::new(templates, opts);
    let mut rng = Rng::new(opts.seed);
    let sizes = draw_sizes(&mut rng, opts);
    let mut services = composer.shared_instances(&sizes, &mut rng);
    for (k, &f) in sizes.iter().enumerate() {
        services.extend(composer.municipal_instances(k, f, dc.as_mut(), &mut rng));
    }
    let dependencies = composer.dependencies(&sizes);
    let used = dc.map_or([0.0; 3], |dc| dc.used);
    let description = composer.description(&sizes, &services, used, dependencies.len());
    Ok(ScenarioFile {
        name: Some(opts.name.clone()),
        description: Some(description),
        include: opts.include.clone(),
        services,
        dependencies,
        policy: Some(opts.policy.clone()),
        ..Default::default()
    })
}

/// The options' own ranges, and every template they name exists.
fn check_options(templates: &ScenarioFile, opts: &ComposeOptions) -> Result<(), String> {
    if templates.services.is_empty() {
        return Err("the template file has no services".into());
    }
    if opts.municipalities == 0 {
        return Err("--municipalities must be at least 1".into());
    }
    if opts.states == 0 || opts.states > opts.municipalities {
        return Err("--states must be between 1 and the number of municipalities".into());
    }
    if !(opts.size_min > 0.0 && opts.size_min <= opts.size_max && opts.size_max.is_finite()) {
        return Err("size factors must satisfy 0 < --size-min <= --size-max".into());
    }
    if !(0.0..=1.0).contains(&opts.dc_share) || !(0.0..=1.0).contains(&opts.dc_fill) {
        return Err("--dc-share and --dc-fill must lie in [0, 1]".into());
    }
    if !(opts.migration_scale.is_finite() && opts.migration_scale >= 0.0) {
        return Err("--migration-scale must be a number >= 0".into());
    }
    let known: BTreeSet<&str> = templates.services.iter().map(|s| s.id.as_str()).collect();
    let mut unknown: Vec<&str> = opts
        .shared
        .iter()
        .chain(opts.core.iter().flatten())
        .map(|s| s.as_str())
        .filter(|s| !known.contains(s))
        .collect();
    unknown.dedup();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(format!(
        "unknown template id(s): {} (the templates are: {})",
        unknown.join(", "),
        known.iter().copied().collect::<Vec<_>>().join(", ")
    ))
}

/// The municipal data centre: which data it may hold (the model's eligibility rules)
/// and how much of its capacity today's placements may fill.
struct DataCentre<'a> {
    offering: &'a Offering,
    provider: &'a Provider,
    classes: &'a [DataClass],
    /// vCPU, RAM, storage: `dc_fill` of the capacity, infinite where unlimited.
    limit: [f64; 3],
    /// vCPU, RAM, storage taken by the placements so far.
    used: [f64; 3],
}

impl<'a> DataCentre<'a> {
    fn find(catalogue: &'a Scenario, opts: &ComposeOptions) -> Result<Option<Self>, String> {
        let Some(id) = &opts.dc_offering else {
            return Ok(None);
        };
        let offering = catalogue
            .offerings
            .iter()
            .find(|o| &o.id == id)
            .ok_or_else(|| format!("--dc-offering {id} is not in the catalogue"))?;
        let cap = offering.capacity;
        let limit = |c: Option<f64>| c.map(|v| v * opts.dc_fill).unwrap_or(f64::INFINITY);
        Ok(Some(DataCentre {
            offering,
            provider: &catalogue.providers[offering.provider.index()],
            classes: &catalogue.data_classes,
            limit: [limit(cap.vcpu), limit(cap.ram_gb), limit(cap.storage_gb)],
            used: [0.0; 3],
        }))
    }

    /// Whether data of `class` (an id; `None` = unclassified) may be held here.
    fn admits(&self, class: Option<&str>) -> bool {
        let Some(class) = class else { return true };
        self.classes
            .iter()
            .find(|d| d.id == class)
            .is_some_and(|d| d.admits(self.offering, self.provider))
    }

    /// Takes `need` (vCPU, RAM, storage) if it still fits; whether it did.
    fn take(&mut self, need: [f64; 3]) -> bool {
        let fits = (0..3).all(|d| self.used[d] + need[d] <= self.limit[d]);
        if fits {
            (0..3).for_each(|d| self.used[d] += need[d]);
        }
        fits
    }
}

/// One size factor per municipality, log-uniform and rounded to 0.05.
fn draw_sizes(rng: &mut Rng, opts: &ComposeOptions) -> Vec<f64> {
    (0..opts.municipalities)
        .map(|k| {
            let u = rng.unit();
            let drawn = opts.size_min * (opts.size_max / opts.size_min).powf(u);
            let f = match opts.full_size {
                Some(s) if k < opts.full => s,
                _ => drawn,
            };
            ((f / 0.05).round() * 0.05).max(0.05)
        })
        .collect()
}

fn scale(d: &DemandDef, f: f64) -> DemandDef {
    DemandDef {
        vcpu: (d.vcpu * f).ceil().max(1.0),
        ram_gb: (d.ram_gb * f).ceil().max(1.0),
        storage_gb: ((d.storage_gb * f / 10.0).round() * 10.0).max(10.0),
        egress_gb_month: d.egress_gb_month.map(|e| (e * f).round()),
    }
}

/// Migration and replatform cost of an instance of size `d`: always two draws.
fn costs(d: &DemandDef, rng: &mut Rng, migration_scale: f64) -> (f64, f64) {
    let round100 = |x: f64| (x / 100.0).round() * 100.0;
    let m = (2000.0 + 600.0 * d.vcpu + 0.5 * d.storage_gb) * rng.range(0.8, 1.4, 0.01);
    let r = (1000.0 + 400.0 * d.vcpu + 0.2 * d.storage_gb) * rng.range(0.8, 1.4, 0.01);
    (round100(m * migration_scale), round100(r * migration_scale))
}

/// Placement groups of templates tied by `colocate` (links to shared templates do not
/// count), each numbered by its first template.
fn placement_groups(templates: &ScenarioFile, is_shared: impl Fn(&str) -> bool) -> Vec<usize> {
    let n = templates.services.len();
    let idx = |id: &str| templates.services.iter().position(|s| s.id == id);
    let mut uf = UnionFind::new(n);
    for d in &templates.dependencies {
        if d.colocate.is_some() && !is_shared(&d.from) && !is_shared(&d.to) {
            if let (Some(a), Some(b)) = (idx(&d.from), idx(&d.to)) {
                uf.union(a, b);
            }
        }
    }
    // Numbering by the first template visits groups in template order, the order in
    // which the shipped scenarios drew their current placements.
    let labels = uf.into_labeling();
    let mut first = vec![usize::MAX; n];
    for (i, &l) in labels.iter().enumerate() {
        first[l] = first[l].min(i);
    }
    labels.iter().map(|&l| first[l]).collect()
}

/// The templates and options, with the derived placement groups.
struct Composer<'a> {
    templates: &'a ScenarioFile,
    opts: &'a ComposeOptions,
    /// Placement group of each template (by index).
    group_of: Vec<usize>,
}

impl<'a> Composer<'a> {
    fn new(templates: &'a ScenarioFile, opts: &'a ComposeOptions) -> Self {
        let is_shared = |id: &str| opts.shared.iter().any(|s| s == id);
        Composer {
            templates,
            opts,
            group_of: placement_groups(templates, is_shared),
        }
    }

    fn is_shared(&self, id: &str) -> bool {
        self.opts.shared.iter().any(|s| s == id)
    }

    /// Whether municipality `k` runs its own instance of template `t`.
    fn runs(&self, k: usize, t: &ServiceDef) -> bool {
        let in_core = |id: &str| {
            self.opts
                .core
                .as_ref()
                .is_none_or(|c| c.iter().any(|s| s == id))
        };
        !self.is_shared(&t.id) && (k < self.opts.full || in_core(&t.id))
    }

    fn state_of(&self, k: usize) -> usize {
        k * self.opts.states / self.opts.municipalities
    }

    /// The state-wide instances of the shared templates, state by state.
    fn shared_instances(&self, sizes: &[f64], rng: &mut Rng) -> Vec<ServiceDef> {
        let mut services = Vec::new();
        for j in 0..self.opts.states {
            let total: f64 = (0..sizes.len())
                .filter(|&k| self.state_of(k) == j)
                .map(|k| sizes[k])
                .sum();
            let f = total.sqrt().max(1.0);
            for t in self
                .templates
                .services
                .iter()
                .filter(|t| self.is_shared(&t.id))
            {
                let demand = scale(&t.demand, f);
                let (_, replatform) = costs(&demand, rng, self.opts.migration_scale);
                services.push(ServiceDef {
                    id: format!("land{j}-{}", t.id),
                    name: Some(format!(
                        "{} (state-wide instance, Land {j})",
                        t.name.as_deref().unwrap_or(&t.id)
                    )),
                    data_class: t.data_class.clone(),
                    demand,
                    replatform_cost: Some(replatform),
                    ..Default::default()
                });
            }
        }
        services
    }

    /// Municipality `k`'s own instances (size factor `f`), some in the data centre.
    fn municipal_instances(
        &self,
        k: usize,
        f: f64,
        dc: Option<&mut DataCentre>,
        rng: &mut Rng,
    ) -> Vec<ServiceDef> {
        let mine: Vec<(usize, &ServiceDef)> = (self.templates.services.iter().enumerate())
            .filter(|(_, t)| self.runs(k, t))
            .collect();
        let demands: Vec<DemandDef> = mine.iter().map(|(_, t)| scale(&t.demand, f)).collect();
        let in_dc = self.current_placements(&mine, &demands, dc, rng);
        let mut services = Vec::new();
        for (i, (_, t)) in mine.iter().enumerate() {
            let demand = demands[i].clone();
            let (migration, replatform) = costs(&demand, rng, self.opts.migration_scale);
            services.push(ServiceDef {
                id: format!("m{k}-{}", t.id),
                name: Some(format!(
                    "{} (municipality {k})",
                    t.name.as_deref().unwrap_or(&t.id)
                )),
                data_class: t.data_class.clone(),
                demand,
                current_offering: if in_dc[i] {
                    self.opts.dc_offering.clone()
                } else {
                    None
                },
                migration_cost: in_dc[i].then_some(migration),
                replatform_cost: Some(replatform),
                ..Default::default()
            });
        }
        services
    }

    /// Which of a municipality's instances run in the data centre today: whole
    /// placement groups, in group order, one draw each (drawn even when the group
    /// cannot go there, so that the stream does not depend on the catalogue).
    fn current_placements(
        &self,
        mine: &[(usize, &ServiceDef)],
        demands: &[DemandDef],
        mut dc: Option<&mut DataCentre>,
        rng: &mut Rng,
    ) -> Vec<bool> {
        let mut in_dc = vec![false; mine.len()];
        let mut groups: Vec<usize> = mine.iter().map(|&(t, _)| self.group_of[t]).collect();
        groups.sort_unstable();
        groups.dedup();
        for g in groups {
            let members: Vec<usize> = (0..mine.len())
                .filter(|&i| self.group_of[mine[i].0] == g)
                .collect();
            let wanted = rng.chance(self.opts.dc_share);
            let Some(dc) = dc.as_deref_mut() else {
                continue;
            };
            let eligible = members
                .iter()
                .all(|&i| dc.admits(mine[i].1.data_class.as_deref()));
            let need = members.iter().fold([0.0; 3], |a, &i| {
                let d = &demands[i];
                [a[0] + d.vcpu, a[1] + d.ram_gb, a[2] + d.storage_gb]
            });
            if wanted && eligible && dc.take(need) {
                members.iter().for_each(|&i| in_dc[i] = true);
            }
        }
        in_dc
    }

    /// Dependencies: per municipality first, then between shared instances per state.
    fn dependencies(&self, sizes: &[f64]) -> Vec<DependencyDef> {
        let mut dependencies = Vec::new();
        for (k, &f) in sizes.iter().enumerate() {
            dependencies.extend(self.municipal_dependencies(k, f));
        }
        let both_shared = |d: &&DependencyDef| self.is_shared(&d.from) && self.is_shared(&d.to);
        for j in 0..self.opts.states {
            for d in self.templates.dependencies.iter().filter(both_shared) {
                dependencies.push(DependencyDef {
                    from: format!("land{j}-{}", d.from),
                    to: format!("land{j}-{}", d.to),
                    traffic_gb_month: d.traffic_gb_month,
                    colocate: d.colocate,
                    description: None,
                });
            }
        }
        dependencies
    }

    /// Municipality `k`'s dependencies, on its own instances and its state's shared ones.
    fn municipal_dependencies(&self, k: usize, f: f64) -> Vec<DependencyDef> {
        let j = self.state_of(k);
        let id = |t: &str| -> Option<String> {
            let tpl = self.templates.services.iter().find(|s| s.id == t)?;
            if self.is_shared(t) {
                Some(format!("land{j}-{t}"))
            } else if self.runs(k, tpl) {
                Some(format!("m{k}-{t}"))
            } else {
                None
            }
        };
        let traffic = |t: Option<f64>| t.map(|v| (v * f * 10.0).round() / 10.0);
        let mut dependencies = Vec::new();
        for d in &self.templates.dependencies {
            let crosses = self.is_shared(&d.from) || self.is_shared(&d.to);
            if self.is_shared(&d.from) && self.is_shared(&d.to) {
                continue;
            }
            if let (Some(from), Some(to)) = (id(&d.from), id(&d.to)) {
                dependencies.push(DependencyDef {
                    from,
                    to,
                    traffic_gb_month: traffic(d.traffic_gb_month),
                    colocate: if crosses { None } else { d.colocate },
                    description: None,
                });
            }
        }
        dependencies
    }

    /// The question, what was composed, and the command that did it.
    fn description(
        &self,
        sizes: &[f64],
        services: &[ServiceDef],
        used: [f64; 3],
        n_dependencies: usize,
    ) -> String {
        let opts = self.opts;
        let in_dc = services
            .iter()
            .filter(|s| s.current_offering.is_some())
            .count();
        let mut description = opts.question.clone().unwrap_or_default();
        if !description.is_empty() {
            description.push(' ');
        }
        description += &format!(
            "Composed from the templates: {} municipalities in {} state(s) (size factors {:.2}..{:.2}), {} services ({} state-wide shared, {} running in {} today, using {:.0} vCPU / {:.0} GB RAM / {:.0} GB storage there), {} dependencies.",
            opts.municipalities,
            opts.states,
            sizes.iter().cloned().fold(f64::INFINITY, f64::min),
            sizes.iter().cloned().fold(0.0, f64::max),
            services.len(),
            opts.states * opts.shared.len(),
            in_dc,
            opts.dc_offering.as_deref().unwrap_or("no data centre"),
            used[0],
            used[1],
            used[2],
            n_dependencies
        );
        if let Some(cmd) = &opts.command {
            description += &format!(" Produced by (from the repository root): `{cmd}`");
        }
        description
    }
}

//! Synthetic scenarios of any size, for benchmarks and scaling tests.
//!
//! Deterministic for the same arguments on every platform: the random numbers come
//! from a hand-written SplitMix64, not from a crate whose streams may change between
//! versions.

use crate::format::*;

/// SplitMix64: tiny, fast, and its output is fixed by its definition.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform integer in [0, n).
    pub fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }
    /// Uniform in [lo, hi), rounded to `step`.
    pub fn range(&mut self, lo: f64, hi: f64, step: f64) -> f64 {
        ((lo + self.unit() * (hi - lo)) / step).round() * step
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// A synthetic scenario with `services` services and `offerings` offerings.
///
/// Providers hold up to three offerings each; every fourth provider is CLOUD-Act
/// exposed. Three data classes (open, EU personal data, German sovereign data),
/// about 1.5 dependencies per service (acyclic, some co-located), and a policy with
/// every limit set loosely enough that the scenario stays feasible.
pub fn synthetic(services: usize, offerings: usize, seed: u64) -> ScenarioFile {
    let mut rng = Rng::new(seed);
    let n_providers = offerings.div_ceil(3).max(1);
    let countries = ["DE", "DE", "DE", "FR", "NL", "AT", "IE"];
    let providers: Vec<ProviderDef> = (0..n_providers)
        .map(|p| ProviderDef {
            id: format!("p{p}"),
            headquarters: if p % 4 == 3 { "US".into() } else { "DE".into() },
            cloud_act_exposed: Some(p % 4 == 3),
            monthly_fee: Some(rng.range(0.0, 300.0, 10.0)),
            ..Default::default()
        })
        .collect();
    let offers: Vec<OfferingDef> = (0..offerings)
        .map(|o| {
            let p = o % n_providers;
            let exposed = p % 4 == 3;
            let egress = rng.range(0.0, 0.09, 0.001);
            OfferingDef {
                id: format!("o{o}"),
                provider: format!("p{p}"),
                country: countries[rng.below(countries.len())].into(),
                sovereignty_level: Some(if exposed {
                    1.0
                } else {
                    rng.range(1.0, 4.0, 1.0)
                }),
                certifications: if rng.chance(0.6) {
                    vec!["BSI-C5".into()]
                } else {
                    vec![]
                },
                open_standards: Some(rng.chance(0.5)),
                prices: PricesDef {
                    vcpu_month: rng.range(8.0, 30.0, 0.01),
                    ram_gb_month: rng.range(1.5, 6.0, 0.01),
                    storage_gb_month: rng.range(0.03, 0.15, 0.001),
                    egress_gb: egress,
                    inter_region_gb: Some((egress * 0.3 * 1000.0).round() / 1000.0),
                },
                capacity: rng.chance(0.2).then(|| CapacityDef {
                    vcpu: Some(rng.range(4.0, 12.0, 1.0) * services as f64),
                    ..Default::default()
                }),
                ..Default::default()
            }
        })
        .collect();
    let data_classes = vec![
        DataClassDef {
            id: "public".into(),
            ..Default::default()
        },
        DataClassDef {
            id: "personal".into(),
            allowed_countries: Some(vec![
                "DE".into(),
                "FR".into(),
                "NL".into(),
                "AT".into(),
                "IE".into(),
            ]),
            ..Default::default()
        },
        DataClassDef {
            id: "sovereign".into(),
            allowed_countries: Some(vec!["DE".into()]),
            min_sovereignty_level: Some(2.0),
            forbid_cloud_act: Some(true),
            ..Default::default()
        },
    ];
    let classes = ["public", "personal", "personal", "sovereign"];
    let svcs: Vec<ServiceDef> = (0..services)
        .map(|s| ServiceDef {
            id: format!("s{s}"),
            data_class: Some(classes[rng.below(classes.len())].into()),
            demand: DemandDef {
                vcpu: rng.range(1.0, 16.0, 1.0),
                ram_gb: rng.range(2.0, 64.0, 1.0),
                storage_gb: rng.range(10.0, 2000.0, 10.0),
                egress_gb_month: Some(rng.range(0.0, 500.0, 10.0)),
            },
            current_offering: rng
                .chance(0.3)
                .then(|| format!("o{}", rng.below(offerings))),
            migration_cost: Some(rng.range(0.0, 5000.0, 100.0)),
            replatform_cost: Some(rng.range(0.0, 20000.0, 500.0)),
            ..Default::default()
        })
        .collect();
    let mut deps = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for s in 1..services {
        let k = if rng.chance(0.5) { 1 } else { 2 };
        for _ in 0..k {
            let t = rng.below(s);
            if seen.insert((s, t)) {
                deps.push(DependencyDef {
                    from: format!("s{s}"),
                    to: format!("s{t}"),
                    traffic_gb_month: Some(rng.range(0.0, 300.0, 5.0)),
                    colocate: if rng.chance(0.05) {
                        Some(ColocateDef::Provider)
                    } else {
                        None
                    },
                    description: None,
                });
            }
        }
    }
    // Loose but real limits: the budget and the exit cap leave room above a typical plan.
    let avg_run: f64 = svcs
        .iter()
        .map(|s| s.demand.vcpu * 19.0 + s.demand.ram_gb * 3.75 + s.demand.storage_gb * 0.09)
        .sum();
    let exit_all: f64 = svcs
        .iter()
        .map(|s| s.demand.storage_gb * 0.09 + s.replatform_cost.unwrap_or(0.0))
        .sum();
    ScenarioFile {
        name: Some(format!("synthetic-{services}x{offerings}-seed{seed}")),
        description: Some(format!(
            "Synthetic scenario from `sovplan generate --services {services} --offerings {offerings} --seed {seed}`."
        )),
        providers,
        offerings: offers,
        data_classes,
        services: svcs,
        dependencies: deps,
        policy: Some(PolicyDef {
            horizon_months: Some(36.0),
            max_provider_share: Some(if n_providers >= 3 { 0.5 } else { 1.0 }),
            min_providers: Some(n_providers.min(2) as f64),
            max_cloud_act_share: Some(0.3),
            max_exit_cost: Some((exit_all * 0.6).round()),
            monthly_budget: Some((avg_run * 2.0).round()),
        }),
        ..Default::default()
    }
}

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
/// Deterministic: the same inputs give the same file. `catalogue` supplies the data
/// centre offering, its provider and the data classes for the eligibility check; it
/// is not copied into the output (the output `include`s it via `opts.include`).
pub fn from_templates(
    templates: &ScenarioFile,
    catalogue: &[ScenarioFile],
    opts: &ComposeOptions,
) -> Result<ScenarioFile, String> {
    let known: std::collections::BTreeSet<&str> =
        templates.services.iter().map(|s| s.id.as_str()).collect();
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
    let mut unknown: Vec<&str> = opts
        .shared
        .iter()
        .chain(opts.core.iter().flatten())
        .map(|s| s.as_str())
        .filter(|s| !known.contains(s))
        .collect();
    unknown.dedup();
    if !unknown.is_empty() {
        return Err(format!(
            "unknown template id(s): {} (the templates are: {})",
            unknown.join(", "),
            known.iter().copied().collect::<Vec<_>>().join(", ")
        ));
    }
    let is_shared = |id: &str| opts.shared.iter().any(|s| s == id);
    let in_core = |id: &str| opts.core.as_ref().is_none_or(|c| c.iter().any(|s| s == id));

    // Data centre facts from the catalogue.
    let offerings: Vec<&OfferingDef> = catalogue.iter().flat_map(|f| &f.offerings).collect();
    let providers: Vec<&ProviderDef> = catalogue.iter().flat_map(|f| &f.providers).collect();
    let classes: Vec<&DataClassDef> = catalogue
        .iter()
        .chain(std::iter::once(templates))
        .flat_map(|f| &f.data_classes)
        .collect();
    let dc = match &opts.dc_offering {
        Some(id) => Some(
            *offerings
                .iter()
                .find(|o| &o.id == id)
                .ok_or_else(|| format!("--dc-offering {id} is not in the catalogue"))?,
        ),
        None => None,
    };
    let dc_ok = |class: Option<&String>| -> bool {
        let Some(o) = dc else { return false };
        let Some(c) = class else { return true };
        let Some(c) = classes.iter().find(|d| &d.id == c) else {
            return false;
        };
        let exposed = providers
            .iter()
            .find(|p| p.id == o.provider)
            .and_then(|p| p.cloud_act_exposed)
            .unwrap_or(false);
        c.allowed_countries
            .as_ref()
            .is_none_or(|a| a.contains(&o.country))
            && o.sovereignty_level.unwrap_or(0.0) >= c.min_sovereignty_level.unwrap_or(0.0)
            && c.required_certifications
                .iter()
                .all(|r| o.certifications.contains(r))
            && !(c.forbid_cloud_act.unwrap_or(false) && exposed)
    };
    let cap = dc.and_then(|o| o.capacity.clone()).unwrap_or_default();
    let limit = |c: Option<f64>| c.map(|v| v * opts.dc_fill).unwrap_or(f64::INFINITY);
    let (cap_cpu, cap_ram, cap_sto) = (limit(cap.vcpu), limit(cap.ram_gb), limit(cap.storage_gb));

    // Placement groups of templates tied by `colocate` (union-find on template indexes).
    let idx = |id: &str| templates.services.iter().position(|s| s.id == id);
    let mut parent: Vec<usize> = (0..templates.services.len()).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for d in &templates.dependencies {
        if d.colocate.is_some() && !is_shared(&d.from) && !is_shared(&d.to) {
            if let (Some(a), Some(b)) = (idx(&d.from), idx(&d.to)) {
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    let group_of: Vec<usize> = (0..parent.len()).map(|i| root(&mut parent, i)).collect();

    let mut rng = Rng::new(opts.seed);
    let state_of = |k: usize| k * opts.states / opts.municipalities;
    let sizes: Vec<f64> = (0..opts.municipalities)
        .map(|k| {
            let u = rng.unit();
            let drawn = opts.size_min * (opts.size_max / opts.size_min).powf(u);
            let f = match opts.full_size {
                Some(s) if k < opts.full => s,
                _ => drawn,
            };
            ((f / 0.05).round() * 0.05).max(0.05)
        })
        .collect();
    let runs = |k: usize, t: &ServiceDef| !is_shared(&t.id) && (k < opts.full || in_core(&t.id));
    let scale = |d: &DemandDef, f: f64| DemandDef {
        vcpu: (d.vcpu * f).ceil().max(1.0),
        ram_gb: (d.ram_gb * f).ceil().max(1.0),
        storage_gb: ((d.storage_gb * f / 10.0).round() * 10.0).max(10.0),
        egress_gb_month: d.egress_gb_month.map(|e| (e * f).round()),
    };
    let round100 = |x: f64| (x / 100.0).round() * 100.0;
    let costs = |d: &DemandDef, rng: &mut Rng| {
        let m = (2000.0 + 600.0 * d.vcpu + 0.5 * d.storage_gb) * rng.range(0.8, 1.4, 0.01);
        let r = (1000.0 + 400.0 * d.vcpu + 0.2 * d.storage_gb) * rng.range(0.8, 1.4, 0.01);
        (
            round100(m * opts.migration_scale),
            round100(r * opts.migration_scale),
        )
    };

    let mut services = Vec::new();
    // Shared state-wide instances first.
    for j in 0..opts.states {
        let total: f64 = (0..opts.municipalities)
            .filter(|&k| state_of(k) == j)
            .map(|k| sizes[k])
            .sum();
        let f = total.sqrt().max(1.0);
        for t in templates.services.iter().filter(|t| is_shared(&t.id)) {
            let demand = scale(&t.demand, f);
            let (_, replatform) = costs(&demand, &mut rng);
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
    // Municipal instances; the data centre fills in a deterministic random order.
    let mut used = (0.0, 0.0, 0.0);
    for (k, &f) in sizes.iter().enumerate() {
        let mine: Vec<&ServiceDef> = templates.services.iter().filter(|t| runs(k, t)).collect();
        let demands: Vec<DemandDef> = mine.iter().map(|t| scale(&t.demand, f)).collect();
        // Decide the current placement per placement group.
        let mut in_dc = vec![false; mine.len()];
        let mut groups: Vec<usize> = mine.iter().map(|t| group_of[idx(&t.id).unwrap()]).collect();
        groups.sort_unstable();
        groups.dedup();
        for g in groups {
            let members: Vec<usize> = (0..mine.len())
                .filter(|&i| group_of[idx(&mine[i].id).unwrap()] == g)
                .collect();
            let wanted = rng.chance(opts.dc_share);
            let eligible = members.iter().all(|&i| dc_ok(mine[i].data_class.as_ref()));
            let need = members.iter().fold((0.0, 0.0, 0.0), |a, &i| {
                (
                    a.0 + demands[i].vcpu,
                    a.1 + demands[i].ram_gb,
                    a.2 + demands[i].storage_gb,
                )
            });
            if wanted
                && eligible
                && used.0 + need.0 <= cap_cpu
                && used.1 + need.1 <= cap_ram
                && used.2 + need.2 <= cap_sto
            {
                used = (used.0 + need.0, used.1 + need.1, used.2 + need.2);
                for i in members {
                    in_dc[i] = true;
                }
            }
        }
        for (i, t) in mine.iter().enumerate() {
            let demand = demands[i].clone();
            let (migration, replatform) = costs(&demand, &mut rng);
            services.push(ServiceDef {
                id: format!("m{k}-{}", t.id),
                name: Some(format!(
                    "{} (municipality {k})",
                    t.name.as_deref().unwrap_or(&t.id)
                )),
                data_class: t.data_class.clone(),
                demand,
                current_offering: if in_dc[i] {
                    opts.dc_offering.clone()
                } else {
                    None
                },
                migration_cost: in_dc[i].then_some(migration),
                replatform_cost: Some(replatform),
                ..Default::default()
            });
        }
    }

    // Dependencies: per municipality first, then between shared instances per state.
    let traffic = |t: Option<f64>, f: f64| t.map(|v| (v * f * 10.0).round() / 10.0);
    let mut dependencies = Vec::new();
    for (k, &f) in sizes.iter().enumerate() {
        let j = state_of(k);
        let id = |t: &str| -> Option<String> {
            let tpl = templates.services.iter().find(|s| s.id == t)?;
            if is_shared(t) {
                Some(format!("land{j}-{t}"))
            } else if runs(k, tpl) {
                Some(format!("m{k}-{t}"))
            } else {
                None
            }
        };
        for d in &templates.dependencies {
            if is_shared(&d.from) && is_shared(&d.to) {
                continue;
            }
            if let (Some(from), Some(to)) = (id(&d.from), id(&d.to)) {
                let crosses = is_shared(&d.from) || is_shared(&d.to);
                dependencies.push(DependencyDef {
                    from,
                    to,
                    traffic_gb_month: traffic(d.traffic_gb_month, f),
                    colocate: if crosses { None } else { d.colocate },
                    description: None,
                });
            }
        }
    }
    for j in 0..opts.states {
        for d in templates
            .dependencies
            .iter()
            .filter(|d| is_shared(&d.from) && is_shared(&d.to))
        {
            dependencies.push(DependencyDef {
                from: format!("land{j}-{}", d.from),
                to: format!("land{j}-{}", d.to),
                traffic_gb_month: d.traffic_gb_month,
                colocate: d.colocate,
                description: None,
            });
        }
    }

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
        used.0,
        used.1,
        used.2,
        dependencies.len()
    );
    if let Some(cmd) = &opts.command {
        description += &format!(" Produced by (from the repository root): `{cmd}`");
    }
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

/// The path of `to` relative to the directory `from_dir`, with `/` separators (both
/// paths absolute and normalised, e.g. canonicalised). Used to write `include` paths
/// relative to the output file.
pub fn relative_path(from_dir: &std::path::Path, to: &std::path::Path) -> String {
    let a: Vec<_> = from_dir.components().collect();
    let b: Vec<_> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".into(); a.len() - common];
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn templates() -> ScenarioFile {
        let svc = |id: &str, class: &str| ServiceDef {
            id: id.into(),
            data_class: Some(class.into()),
            demand: DemandDef {
                vcpu: 2.0,
                ram_gb: 4.0,
                storage_gb: 100.0,
                egress_gb_month: Some(10.0),
            },
            ..Default::default()
        };
        let dep = |a: &str, b: &str, c: Option<ColocateDef>| DependencyDef {
            from: a.into(),
            to: b.into(),
            traffic_gb_month: Some(10.0),
            colocate: c,
            description: None,
        };
        ScenarioFile {
            services: vec![
                svc("app", "x"),
                svc("db", "x"),
                svc("basis-epaybl", "x"),
                svc("web", "x"),
            ],
            dependencies: vec![
                dep("app", "db", Some(ColocateDef::Offering)),
                dep("app", "basis-epaybl", Some(ColocateDef::Provider)),
                dep("web", "app", None),
            ],
            ..Default::default()
        }
    }

    fn catalogue() -> Vec<ScenarioFile> {
        vec![ScenarioFile {
            providers: vec![ProviderDef {
                id: "rz".into(),
                headquarters: "DE".into(),
                ..Default::default()
            }],
            offerings: vec![OfferingDef {
                id: "dc".into(),
                provider: "rz".into(),
                country: "DE".into(),
                capacity: Some(CapacityDef {
                    vcpu: Some(10.0),
                    ..Default::default()
                }),
                ..Default::default()
            }],
            data_classes: vec![DataClassDef {
                id: "x".into(),
                ..Default::default()
            }],
            ..Default::default()
        }]
    }

    fn opts() -> ComposeOptions {
        ComposeOptions {
            municipalities: 5,
            states: 2,
            shared: vec!["basis-epaybl".into()],
            dc_offering: Some("dc".into()),
            dc_share: 1.0,
            dc_fill: 1.0,
            ..Default::default()
        }
    }

    #[test]
    fn composes_ids_shared_instances_and_dependencies() {
        let f = from_templates(&templates(), &catalogue(), &opts()).unwrap();
        assert_eq!(f.services.len(), 2 + 5 * 3);
        assert_eq!(f.services[0].id, "land0-basis-epaybl");
        assert_eq!(f.services[1].id, "land1-basis-epaybl");
        assert!(f.services.iter().any(|s| s.id == "m4-web"));
        assert_eq!(f.dependencies.len(), 5 * 3);
        // Municipality 4 is in state 1; the colocate to the shared instance is dropped.
        let d = f
            .dependencies
            .iter()
            .find(|d| d.from == "m4-app" && d.to.ends_with("epaybl"))
            .unwrap();
        assert_eq!(d.to, "land1-basis-epaybl");
        assert_eq!(d.colocate, None);
    }

    #[test]
    fn data_centre_fill_respects_capacity_and_colocation_groups() {
        let f = from_templates(&templates(), &catalogue(), &opts()).unwrap();
        let cpu: f64 = f
            .services
            .iter()
            .filter(|s| s.current_offering.is_some())
            .map(|s| s.demand.vcpu)
            .sum();
        assert!(cpu > 0.0 && cpu <= 10.0, "{cpu}");
        for k in 0..5 {
            let at = |t: &str| {
                f.services
                    .iter()
                    .find(|s| s.id == format!("m{k}-{t}"))
                    .unwrap()
                    .current_offering
                    .clone()
            };
            assert_eq!(at("app"), at("db"), "municipality {k}");
        }
    }

    #[test]
    fn deterministic_and_core_subset() {
        let mut o = opts();
        o.core = Some(vec!["web".into()]);
        o.full = 1;
        let a = from_templates(&templates(), &catalogue(), &o).unwrap();
        let b = from_templates(&templates(), &catalogue(), &o).unwrap();
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
        // Municipality 0 runs everything; the others only `web`.
        assert_eq!(a.services.len(), 2 + 3 + 4);
        assert!(a.dependencies.iter().all(|d| d.from.starts_with("m0-")));
    }

    #[test]
    fn rejects_unknown_templates() {
        let mut o = opts();
        o.shared = vec!["nope".into()];
        assert!(from_templates(&templates(), &catalogue(), &o)
            .unwrap_err()
            .contains("nope"));
    }

    #[test]
    fn relative_paths() {
        use std::path::Path;
        assert_eq!(
            relative_path(Path::new("/r/scenarios"), Path::new("/r/models/p.json")),
            "../models/p.json"
        );
        assert_eq!(
            relative_path(Path::new("/r"), Path::new("/r/models/p.json")),
            "models/p.json"
        );
        assert_eq!(
            relative_path(Path::new("/r/a/b"), Path::new("/r/p.json")),
            "../../p.json"
        );
    }
}

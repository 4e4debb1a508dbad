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
                        Some(Colocate::Provider)
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

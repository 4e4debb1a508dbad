//! Synthetic scenarios of any size, for benchmarks and scaling tests.
//!
//! Each part is drawn by its own function, in a fixed order: the stream of random
//! numbers, and so every file, depends on that order (benchmarks and tests record
//! optima of these scenarios).

use super::Rng;
use crate::format::*;
use crate::model::LimitKind;

/// A synthetic scenario with `services` services and `offerings` offerings.
///
/// Providers hold up to three offerings each; every fourth provider is CLOUD-Act
/// exposed. Three data classes (open, EU personal data, German sovereign data),
/// about 1.5 dependencies per service (acyclic, some co-located), and a policy with
/// every limit set loosely enough that the scenario stays feasible.
pub fn synthetic(services: usize, offerings: usize, seed: u64) -> ScenarioFile {
    let mut rng = Rng::new(seed);
    let n_providers = offerings.div_ceil(3).max(1);
    let providers = providers(&mut rng, n_providers);
    let offers = offerings_of(&mut rng, offerings, n_providers, services);
    let svcs = services_of(&mut rng, services, offerings);
    let deps = dependencies(&mut rng, services);
    let policy = policy(&svcs, n_providers);
    ScenarioFile {
        name: Some(format!("synthetic-{services}x{offerings}-seed{seed}")),
        description: Some(format!(
            "Synthetic scenario from `sovplan generate --services {services} --offerings {offerings} --seed {seed}`."
        )),
        providers,
        offerings: offers,
        data_classes: data_classes(),
        services: svcs,
        dependencies: deps,
        policy: Some(policy),
        ..Default::default()
    }
}

fn providers(rng: &mut Rng, n_providers: usize) -> Vec<ProviderDef> {
    (0..n_providers)
        .map(|p| ProviderDef {
            id: format!("p{p}"),
            headquarters: if p % 4 == 3 { "US".into() } else { "DE".into() },
            cloud_act_exposed: Some(p % 4 == 3),
            monthly_fee: Some(rng.range(0.0, 300.0, 10.0)),
            ..Default::default()
        })
        .collect()
}

/// Offerings round-robin over the providers; a fifth of them with a vCPU capacity
/// proportional to the number of services.
fn offerings_of(
    rng: &mut Rng,
    offerings: usize,
    n_providers: usize,
    services: usize,
) -> Vec<OfferingDef> {
    let countries = ["DE", "DE", "DE", "FR", "NL", "AT", "IE"];
    (0..offerings)
        .map(|o| {
            let p = o % n_providers;
            let exposed = p % 4 == 3;
            let egress = rng.range(0.0, 0.09, 0.001);
            // Field order is draw order.
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
        .collect()
}

/// Open data, EU personal data, German sovereign data.
fn data_classes() -> Vec<DataClassDef> {
    let eu = ["DE", "FR", "NL", "AT", "IE"];
    vec![
        DataClassDef {
            id: "public".into(),
            ..Default::default()
        },
        DataClassDef {
            id: "personal".into(),
            allowed_countries: Some(eu.iter().map(|c| c.to_string()).collect()),
            ..Default::default()
        },
        DataClassDef {
            id: "sovereign".into(),
            allowed_countries: Some(vec!["DE".into()]),
            min_sovereignty_level: Some(2.0),
            forbid_cloud_act: Some(true),
            ..Default::default()
        },
    ]
}

fn services_of(rng: &mut Rng, services: usize, offerings: usize) -> Vec<ServiceDef> {
    let classes = ["public", "personal", "personal", "sovereign"];
    (0..services)
        .map(|s| ServiceDef {
            // Field order is draw order.
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
        .collect()
}

/// One or two dependencies of every service on earlier ones (so the graph is acyclic),
/// 5 % of them co-located at the provider.
fn dependencies(rng: &mut Rng, services: usize) -> Vec<DependencyDef> {
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
    deps
}

/// Loose but real limits: the budget and the exit cap leave room above a typical plan.
fn policy(svcs: &[ServiceDef], n_providers: usize) -> PolicyDef {
    let avg_run: f64 = svcs
        .iter()
        .map(|s| s.demand.vcpu * 19.0 + s.demand.ram_gb * 3.75 + s.demand.storage_gb * 0.09)
        .sum();
    let exit_all: f64 = svcs
        .iter()
        .map(|s| s.demand.storage_gb * 0.09 + s.replatform_cost.unwrap_or(0.0))
        .sum();
    super::policy_def(36.0, |kind| {
        Some(match kind {
            LimitKind::ProviderShare => {
                if n_providers >= 3 {
                    0.5
                } else {
                    1.0
                }
            }
            LimitKind::MinProviders => n_providers.min(2) as f64,
            LimitKind::CloudActShare => 0.3,
            LimitKind::ExitCost => (exit_all * 0.6).round(),
            LimitKind::Budget => (avg_run * 2.0).round(),
        })
    })
}

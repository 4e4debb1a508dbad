//! Random tiny scenarios for the brute-force oracles (`tests/oracle.rs`,
//! `tests/oracle_roadmap.rs`): up to 3 providers, 4 offerings (some of them twins),
//! 2 data classes, random eligibility lists, capacities, dependencies and colocation.

use sovplan::format::{
    CapacityDef, ColocateDef, DataClassDef, DemandDef, DependencyDef, OfferingDef, PricesDef,
    ProviderDef, ScenarioFile, ServiceDef,
};
use sovplan::generate::Rng;

/// Countries of random offerings (DE more often).
const COUNTRIES: [&str; 5] = ["DE", "DE", "FR", "NL", "US"];
/// Certifications of random offerings and data classes.
const CERTS: [&str; 2] = ["BSI-C5", "ISO27001"];

/// A random scenario of 1 to `max_services` services without policy; the policy is added after a reference placement
/// has been evaluated (see [`add_policy`]).
pub fn scenario(rng: &mut Rng, seed: u64, max_services: usize) -> ScenarioFile {
    let n_prov = 1 + rng.below(3);
    let n_off = 1 + rng.below(4);
    let n_svc = 1 + rng.below(max_services);
    let providers = (0..n_prov)
        .map(|p| ProviderDef {
            id: format!("p{p}"),
            headquarters: if p == 2 { "US".into() } else { "DE".into() },
            cloud_act_exposed: Some(rng.chance(0.35)),
            monthly_fee: rng.chance(0.5).then(|| rng.range(0.0, 200.0, 10.0)),
            ..Default::default()
        })
        .collect();
    let mut offerings: Vec<OfferingDef> = (0..n_off)
        .map(|o| {
            // Offerings are spread over the providers; some providers may get none.
            let egress = if rng.chance(0.25) {
                0.0
            } else {
                rng.range(0.0, 0.12, 0.01)
            };
            let inter = match rng.below(3) {
                0 => None,
                1 => Some(0.0),
                _ => Some(rng.range(0.0, egress, 0.01).min(egress)),
            };
            OfferingDef {
                id: format!("o{o}"),
                provider: format!("p{}", rng.below(n_prov)),
                country: COUNTRIES[rng.below(COUNTRIES.len())].into(),
                sovereignty_level: Some(rng.below(5) as f64),
                certifications: CERTS
                    .iter()
                    .filter(|_| rng.chance(0.6))
                    .map(|c| c.to_string())
                    .collect(),
                open_standards: Some(rng.chance(0.5)),
                // Free offerings (all prices 0) make monthly costs of 0 possible,
                // where every share is 0 by definition.
                prices: if rng.chance(0.08) {
                    PricesDef::default()
                } else {
                    PricesDef {
                        vcpu_month: rng.range(0.0, 30.0, 0.5),
                        ram_gb_month: rng.range(0.0, 6.0, 0.25),
                        storage_gb_month: rng.range(0.0, 0.2, 0.01),
                        egress_gb: egress,
                        inter_region_gb: inter,
                    }
                },
                capacity: rng.chance(0.2).then(|| CapacityDef {
                    vcpu: rng.chance(0.7).then(|| rng.range(4.0, 24.0, 1.0)),
                    ram_gb: rng.chance(0.3).then(|| rng.range(8.0, 80.0, 4.0)),
                    storage_gb: rng.chance(0.3).then(|| rng.range(100.0, 1500.0, 50.0)),
                }),
                ..Default::default()
            }
        })
        .collect();
    // Twins: an offering that copies its predecessor's provider, prices (free traffic
    // inside the provider), open_standards and unlimited capacity, differing only in
    // country, level and certifications. The formulation leaves such offerings out when
    // that is safe (formulate::twins); this makes the oracle test that it is.
    for o in 1..offerings.len() {
        if rng.chance(0.15) {
            let mut prev = offerings[o - 1].clone();
            prev.prices.inter_region_gb = Some(0.0);
            prev.capacity = None;
            offerings[o - 1] = prev.clone();
            offerings[o].provider = prev.provider;
            offerings[o].prices = prev.prices;
            offerings[o].open_standards = prev.open_standards;
            offerings[o].capacity = None;
        }
    }
    let n_dc = rng.below(3);
    let data_classes: Vec<DataClassDef> = (0..n_dc)
        .map(|d| DataClassDef {
            id: format!("dc{d}"),
            allowed_countries: rng.chance(0.3).then(|| {
                let mut c: Vec<String> = ["DE", "FR", "NL"]
                    .iter()
                    .filter(|_| rng.chance(0.6))
                    .map(|c| c.to_string())
                    .collect();
                if c.is_empty() {
                    c.push("DE".into());
                }
                c
            }),
            min_sovereignty_level: rng.chance(0.25).then(|| rng.below(3) as f64),
            required_certifications: if rng.chance(0.2) {
                vec![CERTS[rng.below(2)].to_string()]
            } else {
                vec![]
            },
            forbid_cloud_act: Some(rng.chance(0.2)),
            ..Default::default()
        })
        .collect();
    let services: Vec<ServiceDef> = (0..n_svc)
        .map(|s| {
            let current = rng.chance(0.4).then(|| format!("o{}", rng.below(n_off)));
            let (allowed, forbidden) = match rng.below(10) {
                0 => {
                    let mut a: Vec<String> = (0..n_off)
                        .filter(|_| rng.chance(0.5))
                        .map(|o| format!("o{o}"))
                        .collect();
                    if a.is_empty() {
                        a.push(format!("o{}", rng.below(n_off)));
                    }
                    (Some(a), vec![])
                }
                1 if n_off > 1 => (None, vec![format!("o{}", rng.below(n_off))]),
                _ => (None, vec![]),
            };
            ServiceDef {
                id: format!("s{s}"),
                data_class: (n_dc > 0 && rng.chance(0.3)).then(|| format!("dc{}", rng.below(n_dc))),
                demand: DemandDef {
                    vcpu: rng.range(0.0, 8.0, 1.0),
                    ram_gb: rng.range(0.0, 32.0, 1.0),
                    storage_gb: rng.range(0.0, 500.0, 10.0),
                    egress_gb_month: rng.chance(0.6).then(|| rng.range(0.0, 200.0, 5.0)),
                },
                migration_cost: current.is_some().then(|| rng.range(0.0, 5000.0, 100.0)),
                current_offering: current,
                replatform_cost: rng.chance(0.5).then(|| rng.range(0.0, 3000.0, 100.0)),
                allowed_offerings: allowed,
                forbidden_offerings: forbidden,
                ..Default::default()
            }
        })
        .collect();
    let mut dependencies = Vec::new();
    for a in 0..n_svc {
        for b in 0..n_svc {
            if a != b && rng.chance(0.25) {
                dependencies.push(DependencyDef {
                    from: format!("s{a}"),
                    to: format!("s{b}"),
                    traffic_gb_month: rng.chance(0.85).then(|| rng.range(0.0, 300.0, 5.0)),
                    colocate: match rng.below(12) {
                        0 => Some(ColocateDef::Offering),
                        1 => Some(ColocateDef::Provider),
                        _ => None,
                    },
                    description: None,
                });
            }
        }
    }
    ScenarioFile {
        name: Some(format!("oracle-{seed}")),
        providers,
        offerings,
        data_classes,
        services,
        dependencies,
        ..Default::default()
    }
}

/// A bound near `reference`: exactly it (so the optimum can sit precisely on the
/// bound) or scaled by `lo..hi` (so the bound often cuts off the unconstrained optimum).
pub fn near(rng: &mut Rng, reference: f64, lo: f64, hi: f64) -> f64 {
    if rng.chance(0.4) {
        reference
    } else {
        reference * rng.range(lo, hi, 0.01)
    }
}

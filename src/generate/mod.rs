//! Scenario generators: synthetic scenarios of any size (benchmarks, scaling tests)
//! and municipal scenarios composed from service templates.
//!
//! Deterministic for the same arguments on every platform: the random numbers come
//! from a hand-written SplitMix64 ([`Rng`]), not from a crate whose streams may change
//! between versions.

mod compose;
mod rng;
mod roadmap;
mod synthetic;

pub use compose::{from_templates, read_catalogue, ComposeOptions, DEFAULT_SHARED};
pub use rng::Rng;
pub use roadmap::add_roadmap;
pub use synthetic::synthetic;

use crate::format::PolicyDef;
use crate::model::LimitKind;

/// A file policy with horizon `horizon_months` and `limit(kind)` for every limit kind.
///
/// The one place where the generators map limit kinds to [`PolicyDef`] fields: the
/// match is exhaustive, so a new limit kind does not compile until the generators
/// decide how to set it.
pub fn policy_def(
    horizon_months: f64,
    mut limit: impl FnMut(LimitKind) -> Option<f64>,
) -> PolicyDef {
    let mut def = PolicyDef {
        horizon_months: Some(horizon_months),
        ..Default::default()
    };
    for kind in LimitKind::ALL {
        let value = limit(kind);
        match kind {
            LimitKind::ProviderShare => def.max_provider_share = value,
            LimitKind::MinProviders => def.min_providers = value,
            LimitKind::CloudActShare => def.max_cloud_act_share = value,
            LimitKind::ExitCost => def.max_exit_cost = value,
            LimitKind::Budget => def.monthly_budget = value,
        }
    }
    def
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
    use crate::format::*;
    use crate::Scenario;

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

    /// A data centre `dc` (10 vCPU) of a German provider, data class `x` (any
    /// country) and `sovereign` (level >= 2, which `dc` does not reach).
    fn catalogue_file() -> ScenarioFile {
        ScenarioFile {
            name: Some("catalogue".into()),
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
            data_classes: vec![
                DataClassDef {
                    id: "x".into(),
                    ..Default::default()
                },
                DataClassDef {
                    id: "sovereign".into(),
                    min_sovereignty_level: Some(2.0),
                    ..Default::default()
                },
            ],
            ..Default::default()
        }
    }

    fn catalogue() -> Scenario {
        let json = serde_json::to_string(&catalogue_file()).unwrap();
        crate::parse_scenario(&json, std::path::Path::new(".")).unwrap()
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
    fn data_centre_holds_only_data_its_classes_admit() {
        let mut t = templates();
        t.services[1].data_class = Some("sovereign".into());
        let f = from_templates(&t, &catalogue(), &opts()).unwrap();
        // `db` is co-located with `app`: neither may go to the data centre.
        for s in &f.services {
            if s.id.ends_with("-app") || s.id.ends_with("-db") {
                assert_eq!(s.current_offering, None, "{}", s.id);
            }
        }
        assert!(f.services.iter().any(|s| s.current_offering.is_some()));
    }

    #[test]
    fn policy_def_sets_every_limit_kind() {
        let p = policy_def(12.0, |k| {
            Some(LimitKind::ALL.iter().position(|&x| x == k).unwrap() as f64)
        });
        assert_eq!(
            (p.horizon_months, p.max_provider_share, p.min_providers),
            (Some(12.0), Some(0.0), Some(1.0))
        );
        assert_eq!(
            (p.max_cloud_act_share, p.max_exit_cost, p.monthly_budget),
            (Some(2.0), Some(3.0), Some(4.0))
        );
    }

    #[test]
    fn broken_catalogue_gets_scenario_diagnostics() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.json");
        std::fs::write(&good, serde_json::to_string(&catalogue_file()).unwrap()).unwrap();
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, r#"{"providers": [{"id": "p"}]}"#).unwrap();
        let tpl = dir.path().join("tpl.json");
        let mut t = templates();
        t.services[0].data_class = Some("personal".into());
        std::fs::write(&tpl, serde_json::to_string(&t).unwrap()).unwrap();

        let e = read_catalogue(&[good.clone(), bad.clone()]).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].code, "E003");
        assert_eq!(e[0].location, format!("{}: providers[0]", bad.display()));
        // Validated together with the catalogue, a template's data class must exist.
        let e = read_catalogue(&[good.clone(), tpl.clone()]).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].code, "E104");
        assert!(e[0].location.contains("services[0].data_class"), "{e:?}");
        let missing = dir.path().join("missing.json");
        assert_eq!(read_catalogue(&[missing]).unwrap_err()[0].code, "E001");
        assert_eq!(read_catalogue(&[good]).unwrap().offerings.len(), 1);
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

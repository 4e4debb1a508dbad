//! Validation stays fast and its messages stay short whatever the input: "did you
//! mean" in bounded time, echoed input shortened and escaped.

use serde_json::{json, Value};
use sovplan::{Diagnostic, Error};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn errors_in(text: &str, base: &Path) -> Vec<Diagnostic> {
    match sovplan::parse_scenario(text, base) {
        Err(Error::Invalid(d)) => d.0,
        Err(e) => panic!("expected validation errors, got {e}"),
        Ok(_) => panic!("expected validation errors, the scenario was accepted"),
    }
}

fn small() -> Value {
    json!({
        "name": "s",
        "providers": [{"id": "p1", "headquarters": "DE"}],
        "offerings": [{"id": "o1", "provider": "p1", "country": "DE",
            "prices": {"vcpu_month": 10, "ram_gb_month": 2, "storage_gb_month": 0.1, "egress_gb": 0.05}}],
        "services": [{"id": "a", "demand": {"vcpu": 1, "ram_gb": 2, "storage_gb": 10}}]
    })
}

/// The 5,336-service scenario with every service renamed, so that all 14,360
/// dependency endpoints dangle: 56 s of "did you mean" before, well under a second now
/// (no time is asserted; the suggestions must still be the closest ids).
#[test]
fn every_dangling_endpoint_of_a_renamed_large_scenario_gets_its_suggestion() {
    let path = repo().join("scenarios/it-dienstleister.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for s in v["services"].as_array_mut().unwrap() {
        let id = format!("{}-x", s["id"].as_str().unwrap());
        s["id"] = id.into();
    }
    let errs = errors_in(&v.to_string(), &repo().join("scenarios"));
    assert_eq!(errs.len(), 2 * 7_180);
    for (i, e) in errs.iter().enumerate() {
        assert_eq!(e.code, "E106");
        let d = &v["dependencies"][i / 2][if i % 2 == 0 { "from" } else { "to" }];
        let want = format!("(did you mean \"{}-x\"?)", d.as_str().unwrap());
        assert!(e.message.ends_with(&want), "{}", e.message);
    }
}

#[test]
fn a_huge_unknown_id_is_shortened_and_gets_no_suggestion() {
    let mut v = small();
    let long = format!("a{}", "x".repeat(200_000));
    v["dependencies"] = json!([{"from": long, "to": "a"}]);
    let errs = errors_in(&v.to_string(), Path::new("."));
    assert_eq!(errs.len(), 1);
    let m = &errs[0].message;
    assert!(m.len() < 300, "{} bytes", m.len());
    assert!(
        m.starts_with("no service has id \"axxx")
            && m.ends_with("…\" (200001 characters, shortened)"),
        "{m}"
    );
}

#[test]
fn a_huge_string_where_a_list_is_expected_is_not_echoed_in_full() {
    let mut v = small();
    v["services"] = Value::String("y".repeat(10_000_000));
    let errs = errors_in(&v.to_string(), Path::new("."));
    assert_eq!(errs[0].code, "E003");
    let m = &errs[0].message;
    assert!(m.len() < 400, "{} bytes", m.len());
    assert!(m.starts_with("invalid type: string \"yyy"), "{m}");
    assert!(
        m.ends_with("more characters]\", expected a sequence"),
        "{m}"
    );

    // An unknown field's name is quoted by serde in back-ticks.
    let mut v = small();
    v["providers"][0]["z".repeat(1_000_000)] = json!(1);
    let m = &errors_in(&v.to_string(), Path::new("."))[0];
    assert!(m.message.len() + m.location.len() < 1_000, "{m}");
    assert!(m.message.contains("expected one of `id`"), "{m}");
}

#[test]
fn control_characters_in_ids_and_paths_are_escaped() {
    let forged = "\nerror[E000] forged";
    let mut v = small();
    v["providers"][0]["headquarters"] = json!(format!("D{forged}"));
    let mut w = small();
    w["include"] = json!([format!("missing{forged}.json")]);
    for (v, code) in [(v, "E108"), (w, "E001")] {
        let errs = errors_in(&v.to_string(), Path::new("."));
        assert_eq!(errs.len(), 1, "{errs:#?}");
        let shown = errs[0].to_string();
        assert_eq!(errs[0].code, code);
        assert_eq!(shown.lines().count(), 2, "{shown}");
        assert!(shown.contains("\\nerror[E000] forged"), "{shown}");
    }
}

//! One test per validation rule: each breaks exactly one rule in an otherwise valid
//! scenario and asserts the rule's code and the JSON path it reports.

use serde_json::{json, Value};
use sovplan::{Diagnostic, Error};
use std::path::Path;

/// A small valid scenario that every test breaks in one place.
fn base() -> Value {
    json!({
        "name": "base",
        "providers": [
            {"id": "p1", "headquarters": "DE"},
            {"id": "p2", "headquarters": "US", "cloud_act_exposed": true}
        ],
        "offerings": [
            {"id": "o1", "provider": "p1", "country": "DE", "sovereignty_level": 3,
             "prices": {"vcpu_month": 10, "ram_gb_month": 2, "storage_gb_month": 0.1, "egress_gb": 0.05, "inter_region_gb": 0.01}},
            {"id": "o2", "provider": "p2", "country": "DE",
             "prices": {"vcpu_month": 8, "ram_gb_month": 1, "storage_gb_month": 0.1, "egress_gb": 0.08}}
        ],
        "data_classes": [{"id": "dc", "allowed_countries": ["DE"], "min_sovereignty_level": 2}],
        "services": [
            {"id": "a", "data_class": "dc", "demand": {"vcpu": 1, "ram_gb": 2, "storage_gb": 10}},
            {"id": "b", "demand": {"vcpu": 2, "ram_gb": 4, "storage_gb": 20}, "current_offering": "o1"}
        ],
        "dependencies": [{"from": "a", "to": "b", "traffic_gb_month": 5}],
        "policy": {"max_provider_share": 0.8, "min_providers": 1}
    })
}

fn errors(v: &Value) -> Vec<Diagnostic> {
    match sovplan::parse_scenario(&v.to_string(), Path::new(".")) {
        Err(Error::Invalid(d)) => d.0,
        Err(e) => panic!("expected validation errors, got {e}"),
        Ok(_) => panic!("expected validation errors, the scenario was accepted"),
    }
}

/// Asserts exactly one diagnostic, with `code`, at a location ending in `path`.
fn expect_one(v: &Value, code: &str, path: &str) {
    let errs = errors(v);
    assert_eq!(errs.len(), 1, "expected one error, got {errs:#?}");
    assert_eq!(errs[0].code, code, "{:#?}", errs[0]);
    assert!(
        errs[0].location.ends_with(path),
        "location {:?} should end with {path:?}",
        errs[0].location
    );
    assert!(!errs[0].hint.is_empty());
}

#[test]
fn base_is_valid() {
    let sc = sovplan::parse_scenario(&base().to_string(), Path::new(".")).unwrap();
    assert_eq!(sc.services.len(), 2);
    assert_eq!(sc.policy.horizon_months, 36.0);
}

#[test]
fn e002_syntax_error_has_line_and_column() {
    let errs = match sovplan::parse_scenario("{\n  \"name\": \"x\",\n  oops\n}", Path::new(".")) {
        Err(Error::Invalid(d)) => d.0,
        other => panic!("{other:?}"),
    };
    assert_eq!(errs[0].code, "E002");
    assert!(
        errs[0].location.contains("line 3, column 3"),
        "{}",
        errs[0].location
    );
}

#[test]
fn e003_unknown_field_names_its_path() {
    let mut v = base();
    v["services"][1]["demand"]["vpcu"] = json!(2);
    let errs = errors(&v);
    assert_eq!(errs[0].code, "E003");
    assert!(
        errs[0].location.contains("services[1].demand"),
        "{}",
        errs[0].location
    );
    assert!(errs[0].message.contains("vpcu"), "{}", errs[0].message);
}

#[test]
fn e003_wrong_type_names_its_path() {
    let mut v = base();
    v["services"][0]["demand"]["vcpu"] = json!("two");
    let errs = errors(&v);
    assert_eq!(errs[0].code, "E003");
    assert!(
        errs[0].location.ends_with("services[0].demand.vcpu"),
        "{}",
        errs[0].location
    );
}

#[test]
fn e006_missing_name() {
    let mut v = base();
    v.as_object_mut().unwrap().remove("name");
    expect_one(&v, "E006", "name");
}

#[test]
fn e101_duplicate_id() {
    let mut v = base();
    v["services"][1]["id"] = json!("a");
    // The dependency a -> b now points at an unknown "b" as well.
    let errs = errors(&v);
    assert!(errs
        .iter()
        .any(|e| e.code == "E101" && e.location.ends_with("services[1].id")));
    assert!(errs.iter().any(|e| e.message.contains("already defined")));
}

#[test]
fn e102_empty_id() {
    let mut v = base();
    v["data_classes"][0]["id"] = json!(" ");
    let errs = errors(&v);
    assert!(errs
        .iter()
        .any(|e| e.code == "E102" && e.location.ends_with("data_classes[0].id")));
}

#[test]
fn e103_unknown_provider() {
    let mut v = base();
    v["offerings"][1]["provider"] = json!("p3");
    expect_one(&v, "E103", "offerings[1].provider");
}

#[test]
fn e104_unknown_data_class() {
    let mut v = base();
    v["services"][0]["data_class"] = json!("dx");
    expect_one(&v, "E104", "services[0].data_class");
}

#[test]
fn e105_unknown_offering_suggests_a_fix() {
    let mut v = base();
    v["services"][1]["forbidden_offerings"] = json!(["o1", "o9"]);
    expect_one(&v, "E105", "services[1].forbidden_offerings[1]");
    let errs = errors(&v);
    assert!(
        errs[0].message.contains("did you mean \"o1\"")
            || errs[0].message.contains("did you mean \"o2\"")
    );
}

#[test]
fn e106_unknown_service_in_dependency() {
    let mut v = base();
    v["dependencies"][0]["to"] = json!("c");
    expect_one(&v, "E106", "dependencies[0].to");
}

#[test]
fn e107_negative_number() {
    let mut v = base();
    v["offerings"][0]["prices"]["storage_gb_month"] = json!(-0.1);
    expect_one(&v, "E107", "offerings[0].prices.storage_gb_month");
}

#[test]
fn e107_absurdly_large_number() {
    let mut v = base();
    v["services"][0]["demand"]["storage_gb"] = json!(1e300);
    expect_one(&v, "E107", "services[0].demand.storage_gb");
}

#[test]
fn e108_bad_country() {
    let mut v = base();
    v["offerings"][0]["country"] = json!("Germany");
    expect_one(&v, "E108", "offerings[0].country");
}

#[test]
fn e109_sovereignty_level_out_of_range() {
    let mut v = base();
    v["offerings"][0]["sovereignty_level"] = json!(5);
    expect_one(&v, "E109", "offerings[0].sovereignty_level");
    let mut v = base();
    v["data_classes"][0]["min_sovereignty_level"] = json!(1.5);
    expect_one(&v, "E109", "data_classes[0].min_sovereignty_level");
}

#[test]
fn e110_inter_region_above_egress() {
    let mut v = base();
    v["offerings"][0]["prices"]["inter_region_gb"] = json!(0.5);
    expect_one(&v, "E110", "offerings[0].prices.inter_region_gb");
}

#[test]
fn e111_policy_out_of_range() {
    for (field, value) in [
        ("max_provider_share", json!(0)),
        ("max_provider_share", json!(1.5)),
        ("max_cloud_act_share", json!(1.01)),
        ("min_providers", json!(1.5)),
        ("horizon_months", json!(0)),
    ] {
        let mut v = base();
        v["policy"][field] = value;
        expect_one(&v, "E111", &format!("policy.{field}"));
    }
}

#[test]
fn e112_min_providers_above_provider_count() {
    let mut v = base();
    v["policy"]["min_providers"] = json!(3);
    expect_one(&v, "E112", "policy.min_providers");
}

#[test]
fn e113_self_dependency() {
    let mut v = base();
    v["dependencies"][0]["to"] = json!("a");
    expect_one(&v, "E113", "dependencies[0]");
}

#[test]
fn e114_duplicate_dependency() {
    let mut v = base();
    v["dependencies"] =
        json!([{"from": "a", "to": "b"}, {"from": "a", "to": "b", "traffic_gb_month": 1}]);
    expect_one(&v, "E114", "dependencies[1]");
}

#[test]
fn e115_allowed_offerings_empty_or_contradicted() {
    let mut v = base();
    v["services"][0]["allowed_offerings"] = json!([]);
    expect_one(&v, "E115", "services[0].allowed_offerings");
    let mut v = base();
    v["services"][0]["allowed_offerings"] = json!(["o1"]);
    v["services"][0]["forbidden_offerings"] = json!(["o1"]);
    expect_one(&v, "E115", "services[0].forbidden_offerings");
}

#[test]
fn all_errors_are_reported_together() {
    let mut v = base();
    v["offerings"][0]["country"] = json!("XX");
    v["offerings"][1]["provider"] = json!("nope");
    v["services"][0]["demand"]["ram_gb"] = json!(-1);
    v["dependencies"][0]["from"] = json!("zzz");
    v["policy"]["max_provider_share"] = json!(2);
    let mut codes: Vec<&str> = errors(&v).iter().map(|e| e.code).collect();
    codes.sort();
    assert_eq!(codes, ["E103", "E106", "E107", "E108", "E111"]);
}

#[test]
fn includes_merge_and_detect_cycles_and_policies() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut cat = base();
    let obj = cat.as_object_mut().unwrap();
    for k in ["services", "dependencies", "policy", "name"] {
        obj.remove(k);
    }
    std::fs::write(d.join("cat.json"), cat.to_string()).unwrap();
    let top = json!({"name": "top", "include": ["cat.json"],
        "services": [{"id": "s", "demand": {"vcpu": 1, "ram_gb": 1, "storage_gb": 1}}]});
    std::fs::write(d.join("top.json"), top.to_string()).unwrap();
    let sc = sovplan::load_scenario(&d.join("top.json")).unwrap();
    assert_eq!((sc.offerings.len(), sc.services.len()), (2, 1));

    // E004: a -> b -> a.
    std::fs::write(
        d.join("a.json"),
        json!({"name": "a", "include": ["b.json"]}).to_string(),
    )
    .unwrap();
    std::fs::write(d.join("b.json"), json!({"include": ["a.json"]}).to_string()).unwrap();
    let errs = match sovplan::load_scenario(&d.join("a.json")) {
        Err(Error::Invalid(e)) => e.0,
        other => panic!("{other:?}"),
    };
    assert_eq!(errs[0].code, "E004", "{errs:?}");

    // E005: a policy in an included file.
    std::fs::write(
        d.join("p.json"),
        json!({"policy": {"min_providers": 1}}).to_string(),
    )
    .unwrap();
    std::fs::write(
        d.join("q.json"),
        json!({"name": "q", "include": ["p.json"]}).to_string(),
    )
    .unwrap();
    let errs = match sovplan::load_scenario(&d.join("q.json")) {
        Err(Error::Invalid(e)) => e.0,
        other => panic!("{other:?}"),
    };
    assert_eq!(errs[0].code, "E005");

    // E001: a missing include, reported with the path tried.
    std::fs::write(
        d.join("m.json"),
        json!({"name": "m", "include": ["missing.json"]}).to_string(),
    )
    .unwrap();
    let errs = match sovplan::load_scenario(&d.join("m.json")) {
        Err(Error::Invalid(e)) => e.0,
        other => panic!("{other:?}"),
    };
    assert_eq!(errs[0].code, "E001");
    assert!(errs[0].location.contains("missing.json"));

    // Duplicate ids across files: E101 names both places.
    let dup = json!({"name": "dup", "include": ["cat.json"], "providers": [{"id": "p1", "headquarters": "DE"}]});
    std::fs::write(d.join("dup.json"), dup.to_string()).unwrap();
    let errs = match sovplan::load_scenario(&d.join("dup.json")) {
        Err(Error::Invalid(e)) => e.0,
        other => panic!("{other:?}"),
    };
    assert_eq!(errs[0].code, "E101");
    assert!(errs[0].message.contains("cat.json"), "{}", errs[0].message);
}

#[test]
fn garbage_never_panics() {
    for text in [
        "",
        "null",
        "[]",
        "42",
        "{\"name\": 1}",
        "{\"name\":\"x\",\"services\":{}}",
        "\u{feff}{}",
        "{\"name\":\"x\",\"offerings\":[{}]}",
    ] {
        assert!(
            sovplan::parse_scenario(text, Path::new(".")).is_err(),
            "{text:?} was accepted"
        );
    }
}

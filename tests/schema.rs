//! The JSON Schemas of `sovplan schema`: valid draft 2020-12, every shipped scenario
//! and catalogue and a solved plan validate against them, misspelled fields do not,
//! a `$schema` key is accepted by both the schema and sovplan, and the copies in
//! `schema/` are up to date.

mod common;

use common::{repo, shipped};
use serde_json::Value;
use sovplan::format::schema::{plan_schema, scenario_schema, to_json};
use std::path::{Path, PathBuf};

fn json_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The schema's complaints about `instance`, as `path: message` lines.
fn errors(schema: &Value, instance: &Value) -> Vec<String> {
    let validator = jsonschema::draft202012::new(schema).expect("the schema compiles");
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn the_schemas_are_draft_2020_12_and_forbid_unknown_fields() {
    for schema in [scenario_schema(), plan_schema()] {
        assert!(jsonschema::meta::is_valid(&schema), "{schema}");
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(schema["additionalProperties"], false);
    }
    let sc = scenario_schema();
    let service = &sc["$defs"]["ServiceDef"];
    assert_eq!(service["additionalProperties"], false);
    assert_eq!(service["required"], serde_json::json!(["id", "demand"]));
    assert_eq!(
        service["properties"]["current_offering"]["description"],
        "Where the service runs today."
    );
}

#[test]
fn every_shipped_scenario_and_catalogue_validates() {
    let schema = scenario_schema();
    let files: Vec<PathBuf> = json_files("scenarios")
        .into_iter()
        .chain(json_files("models"))
        .collect();
    assert!(files.len() >= 10, "{files:?}");
    for file in files {
        let errs = errors(&schema, &read(&file));
        assert!(errs.is_empty(), "{}: {errs:#?}", file.display());
    }
}

#[test]
fn a_solved_plan_validates_against_the_plan_schema() {
    let sc = sovplan::load_scenario(&shipped("kleinstadt")).unwrap();
    let plan = common::plan(&sc);
    let value: Value = serde_json::from_str(&plan.to_json()).unwrap();
    let errs = errors(&plan_schema(), &value);
    assert!(errs.is_empty(), "{errs:#?}");
    let mut typo = value.clone();
    typo["placements"][0]["offerings"] = typo["placements"][0]["offering"].take();
    assert!(!errors(&plan_schema(), &typo).is_empty());
}

#[test]
fn misspelled_fields_fail_schema_validation_where_sovplan_rejects_them() {
    let schema = scenario_schema();
    let original = read(&shipped("kleinstadt"));
    let typos: [fn(&mut Value); 4] = [
        |v| v["polcy"] = v["policy"].take(),
        |v| v["services"][0]["dataclass"] = v["services"][0]["data_class"].take(),
        |v| v["services"][1]["demand"]["vcpus"] = serde_json::json!(2),
        |v| v["dependencies"][0]["colocate"] = "region".into(),
    ];
    for (i, typo) in typos.iter().enumerate() {
        let mut v = original.clone();
        typo(&mut v);
        assert!(
            !errors(&schema, &v).is_empty(),
            "typo {i} passed the schema"
        );
        let text = v.to_string();
        let base = repo().join("scenarios");
        assert!(
            sovplan::parse_scenario(&text, &base).is_err(),
            "typo {i} passed sovplan"
        );
    }
}

#[test]
fn a_schema_key_is_accepted_by_the_schema_and_by_sovplan() {
    let mut v = read(&shipped("rathaus-drei-dienste"));
    v["$schema"] = "../schema/scenario.schema.json".into();
    assert!(errors(&scenario_schema(), &v).is_empty());
    let sc = sovplan::parse_scenario(&v.to_string(), &repo().join("scenarios")).unwrap();
    assert_eq!(sc.services.len(), 3);
    v["$schema"] = 3.into();
    assert!(!errors(&scenario_schema(), &v).is_empty());
}

#[test]
fn the_schema_files_in_the_repository_are_up_to_date() {
    for (file, schema) in [
        ("scenario.schema.json", scenario_schema()),
        ("plan.schema.json", plan_schema()),
    ] {
        let path = repo().join("schema").join(file);
        let kind = file.split('.').next().unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap_or_default(),
            to_json(&schema),
            "{} is out of date: run `sovplan schema {kind} -o schema/{file}`",
            path.display()
        );
    }
}

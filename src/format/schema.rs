//! JSON Schemas (draft 2020-12) of the scenario and plan files, generated from the
//! serde types with `schemars`, so that the schema cannot drift from what sovplan
//! reads: `deny_unknown_fields` becomes `additionalProperties: false`, optional
//! fields are not `required`, and the doc comments become `description`s.
//!
//! The schema checks the shape of a file (field names, types, enumerations), not the
//! rules `validate` checks (references, ranges, unique ids). It accepts every file
//! sovplan reads, with one exception: a scenario's `name` is optional in the schema
//! because included catalogues share the type and have none.

use crate::format::ScenarioFile;
use crate::plan::Plan;
use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::Value;

/// The schema a `$schema` key in a scenario file can point at.
pub fn scenario_schema() -> Value {
    schema_of::<ScenarioFile>(
        "sovplan scenario",
        "A sovplan scenario file or an included catalogue (providers, offerings, data classes, services, dependencies, policy).",
    )
}

/// The schema of the plans `sovplan solve` writes.
pub fn plan_schema() -> Value {
    schema_of::<Plan>(
        "sovplan plan",
        "A placement plan written by `sovplan solve`: one row per service, provider, dependency, limit and estimated offering.",
    )
}

/// Pretty JSON with a final newline (what `sovplan schema` prints).
pub fn to_json(schema: &Value) -> String {
    let mut s = serde_json::to_string_pretty(schema).expect("schemas are plain JSON");
    s.push('\n');
    s
}

fn schema_of<T: JsonSchema>(title: &str, description: &str) -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<T>().to_value();
    unwrap_descriptions(&mut schema);
    let Value::Object(body) = schema else {
        unreachable!("a struct's schema is an object")
    };
    // `$schema`, title and description first, as people read a schema; the type's
    // own doc comment is about the Rust type, these are about the file.
    let mut top = serde_json::Map::new();
    top.insert("$schema".into(), body["$schema"].clone());
    top.insert("title".into(), title.into());
    top.insert("description".into(), description.into());
    for (k, v) in body {
        if !top.contains_key(&k) {
            top.insert(k, v);
        }
    }
    Value::Object(top)
}

/// Doc comments are wrapped at 90 columns; editors show a description as one
/// paragraph, so single line breaks become spaces (blank lines stay).
fn unwrap_descriptions(v: &mut Value) {
    match v {
        Value::Object(fields) => {
            for (k, field) in fields.iter_mut() {
                match field {
                    Value::String(text) if k == "description" => {
                        *text = text
                            .split("\n\n")
                            .map(|p| p.split('\n').map(str::trim).collect::<Vec<_>>().join(" "))
                            .collect::<Vec<_>>()
                            .join("\n\n");
                    }
                    other => unwrap_descriptions(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(unwrap_descriptions),
        _ => {}
    }
}

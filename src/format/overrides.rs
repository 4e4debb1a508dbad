//! `--set PATH=VALUE`: what-ifs on the merged scenario (after includes), applied before
//! validation so that an overridden scenario is checked exactly like an edited file.
//!
//! PATH names a field of the merged scenario: `policy.FIELD`, `roadmap.FIELD` (of a roadmap
//! the file has), `name`, `description`, or
//! `COLLECTION.ID.FIELD[.FIELD]` with COLLECTION one of `providers`, `offerings`,
//! `data_classes`, `services` (ID its `id`) or `dependencies` (ID `FROM->TO`).
//! VALUE is read as JSON where it is JSON (`0.3`, `true`, `["DE","AT"]`, `"text"`),
//! else as text; a comma-separated text becomes a list where the field is a list
//! (`DE,AT`); `none` removes the field (an optional limit, a current offering).
//!
//! Each override converts the entity it names to JSON, sets the field and reads the
//! entity back through the same serde types as a file, so a wrong type or an unknown
//! field is reported with the override's path (E007 unknown path, E008 wrong value).

use super::read::{Located, RawScenario};
use super::{PolicyDef, RoadmapDef};
use crate::error::Diagnostic;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

/// One `PATH=VALUE` override as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// Dotted path into the merged scenario.
    pub path: String,
    /// The value as written; `none` removes the field.
    pub value: String,
}

impl Override {
    /// Parses `PATH=VALUE` (the first `=` separates them).
    pub fn parse(text: &str) -> Result<Override, Diagnostic> {
        match text.split_once('=') {
            Some((path, value)) if !path.trim().is_empty() => Ok(Override {
                path: path.trim().to_string(),
                value: value.to_string(),
            }),
            _ => Err(Diagnostic::new(
                "E007",
                format!("--set {text}"),
                "an override must have the form PATH=VALUE",
                "write e.g. --set policy.max_provider_share=0.3",
            )),
        }
    }
}

impl std::fmt::Display for Override {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.path, self.value)
    }
}

/// Applies every override in order; all problems are collected.
pub fn apply(raw: &mut RawScenario, overrides: &[Override]) -> Result<(), Vec<Diagnostic>> {
    let errors: Vec<Diagnostic> = overrides
        .iter()
        .filter_map(|o| apply_one(raw, o).err())
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn apply_one(raw: &mut RawScenario, o: &Override) -> Result<(), Diagnostic> {
    let (head, rest) = o.path.split_once('.').unwrap_or((o.path.as_str(), ""));
    match head {
        "name" | "description" if rest.is_empty() => set_top(raw, head, o),
        "policy" => {
            let mut policy = raw.policy.clone().unwrap_or_default();
            set_field::<PolicyDef>(&mut policy, rest, o)?;
            raw.policy = Some(policy);
            Ok(())
        }
        "roadmap" => {
            // Only a roadmap the file has can be changed: a new one needs its years.
            let Some(roadmap) = raw.roadmap.as_mut() else {
                return Err(unknown_path(
                    o,
                    "the scenario has no roadmap to change: add one to the file",
                ));
            };
            set_field::<RoadmapDef>(roadmap, rest, o)
        }
        "providers" => set_in(&mut raw.providers, |p| p.id.clone(), rest, o),
        "offerings" => set_in(&mut raw.offerings, |x| x.id.clone(), rest, o),
        "data_classes" => set_in(&mut raw.data_classes, |d| d.id.clone(), rest, o),
        "services" => set_in(&mut raw.services, |s| s.id.clone(), rest, o),
        "dependencies" => set_in(
            &mut raw.dependencies,
            |d| format!("{}->{}", d.from, d.to),
            rest,
            o,
        ),
        _ => Err(unknown_path(
            o,
            "the path must start with policy, roadmap, name, description, providers, offerings, data_classes, services or dependencies",
        )),
    }
}

/// `name` or `description` of the scenario.
fn set_top(raw: &mut RawScenario, field: &str, o: &Override) -> Result<(), Diagnostic> {
    let text = match serde_json::from_str::<Value>(o.value.trim()) {
        _ if o.value.trim() == "none" => None,
        Ok(Value::String(s)) => Some(s),
        _ => Some(o.value.clone()),
    };
    match field {
        "name" => raw.name = text,
        _ => raw.description = text,
    }
    Ok(())
}

/// Finds the entity whose key is the longest prefix of `rest` followed by a dot, and
/// sets the field path after it.
fn set_in<T: Serialize + DeserializeOwned>(
    items: &mut [Located<T>],
    key: impl Fn(&T) -> String,
    rest: &str,
    o: &Override,
) -> Result<(), Diagnostic> {
    let found = items
        .iter()
        .enumerate()
        .filter_map(|(i, x)| {
            let k = key(&x.item);
            let field = rest.strip_prefix(k.as_str())?.strip_prefix('.')?;
            Some((k.len(), i, field.to_string()))
        })
        .max_by_key(|(len, _, _)| *len);
    let Some((_, i, field)) = found else {
        return Err(unknown_path(
            o,
            "no entity of that collection has this id (dependencies are named FROM->TO)",
        ));
    };
    set_field(&mut items[i].item, &field, o)
}

/// Sets (or removes) the dotted `field` path of `item` and reads it back through its
/// serde type; the first reading of the value that deserialises wins.
fn set_field<T: Serialize + DeserializeOwned>(
    item: &mut T,
    field: &str,
    o: &Override,
) -> Result<(), Diagnostic> {
    let segments: Vec<&str> = field.split('.').collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Err(unknown_path(
            o,
            "name a field, e.g. policy.max_provider_share",
        ));
    }
    let base = serde_json::to_value(&*item).expect("scenario types serialise to JSON");
    let mut first_error = None;
    for value in candidates(&o.value) {
        let mut v = base.clone();
        if !put(&mut v, &segments, value) {
            return Err(unknown_path(
                o,
                "the path leads into a value that has no fields",
            ));
        }
        match serde_path_to_error::deserialize::<_, T>(v) {
            Ok(x) => {
                *item = x;
                return Ok(());
            }
            Err(e) => {
                let msg = e.inner().to_string();
                if msg.starts_with("unknown field") {
                    return Err(unknown_path(o, &msg));
                }
                first_error.get_or_insert(msg);
            }
        }
    }
    Err(Diagnostic::new(
        "E008",
        format!("--set {o}"),
        format!(
            "the value does not fit the field: {}",
            first_error.unwrap_or_default()
        ),
        "give a value of the field's type (a number, true/false, text, a comma-separated list) or none to remove an optional field",
    ))
}

/// The readings of a value to try, in order (`None` = remove the field): `none` is
/// first tried as `null`, which an optional field takes and an unknown field rejects
/// as unknown, then as removal (for lists that default to empty); any other value is
/// tried as JSON, then as text, then as a comma-separated list of texts.
fn candidates(value: &str) -> Vec<Option<Value>> {
    let t = value.trim();
    if t == "none" {
        return vec![Some(Value::Null), None];
    }
    let mut out = Vec::new();
    if let Ok(v) = serde_json::from_str::<Value>(t) {
        out.push(Some(v));
    }
    out.push(Some(Value::String(value.to_string())));
    let list: Vec<Value> = t
        .split(',')
        .map(|x| Value::String(x.trim().to_string()))
        .filter(|x| x.as_str() != Some(""))
        .collect();
    out.push(Some(Value::Array(list)));
    out
}

/// Writes `value` (or removes the key for `None`) at `path` inside `v`, creating
/// missing objects on the way (`capacity.vcpu` on an offering without capacity).
/// Returns false when the path runs through a value that is not an object.
fn put(v: &mut Value, path: &[&str], value: Option<Value>) -> bool {
    let Value::Object(map) = v else { return false };
    let (key, rest) = (path[0], &path[1..]);
    if rest.is_empty() {
        match value {
            Some(x) => {
                map.insert(key.to_string(), x);
            }
            None => {
                map.remove(key);
            }
        }
        return true;
    }
    let child = map
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if child.is_null() {
        *child = Value::Object(Map::new());
    }
    put(child, rest, value)
}

fn unknown_path(o: &Override, why: &str) -> Diagnostic {
    Diagnostic::new(
        "E007",
        format!("--set {o}"),
        format!("unknown path {}: {why}", o.path),
        "use a path of the merged scenario, e.g. policy.max_provider_share, offerings.ID.prices.vcpu_month, services.ID.current_offering",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::read::read_scenario_str;
    use std::path::Path;

    fn raw() -> RawScenario {
        let text = r#"{"name": "t",
            "providers": [{"id": "p", "headquarters": "DE", "monthly_fee": 5}],
            "offerings": [{"id": "o.1", "provider": "p", "country": "DE",
                "prices": {"vcpu_month": 1, "ram_gb_month": 1, "storage_gb_month": 1, "egress_gb": 0}}],
            "data_classes": [{"id": "dc", "allowed_countries": ["DE"]}],
            "services": [{"id": "s", "data_class": "dc", "demand": {"vcpu": 1, "ram_gb": 1, "storage_gb": 1},
                "current_offering": "o.1"}],
            "policy": {"monthly_budget": 10}}"#;
        read_scenario_str(text, "t.json", Path::new(".")).unwrap()
    }

    fn set(raw: &mut RawScenario, s: &str) -> Result<(), Vec<Diagnostic>> {
        apply(raw, &[Override::parse(s).unwrap()])
    }

    #[test]
    fn sets_numbers_lists_and_removes_fields() {
        let mut r = raw();
        set(&mut r, "policy.max_provider_share=0.3").unwrap();
        set(&mut r, "policy.monthly_budget=none").unwrap();
        set(&mut r, "data_classes.dc.allowed_countries=DE,AT").unwrap();
        set(&mut r, "offerings.o.1.prices.vcpu_month=25").unwrap();
        set(&mut r, "offerings.o.1.capacity.vcpu=8").unwrap();
        set(&mut r, "services.s.current_offering=none").unwrap();
        let p = r.policy.as_ref().unwrap();
        assert_eq!(p.max_provider_share, Some(0.3));
        assert_eq!(p.monthly_budget, None);
        let dc = &r.data_classes[0].item;
        assert_eq!(dc.allowed_countries, Some(vec!["DE".into(), "AT".into()]));
        assert_eq!(r.offerings[0].item.prices.vcpu_month, 25.0);
        assert_eq!(
            r.offerings[0].item.capacity.as_ref().unwrap().vcpu,
            Some(8.0)
        );
        assert_eq!(r.services[0].item.current_offering, None);
    }

    #[test]
    fn unknown_paths_and_wrong_types_name_the_override() {
        let mut r = raw();
        let e = set(&mut r, "policy.max_provder_share=0.3").unwrap_err();
        assert_eq!(e[0].code, "E007");
        assert!(e[0].location.contains("policy.max_provder_share"));
        let e = set(&mut r, "services.nope.demand.vcpu=1").unwrap_err();
        assert_eq!(e[0].code, "E007");
        let e = set(&mut r, "providers.p.monthly_fee=lots").unwrap_err();
        assert_eq!(e[0].code, "E008");
        let e = set(&mut r, "policy.max_provder_share=none").unwrap_err();
        assert_eq!(
            e[0].code, "E007",
            "removing an unknown field is no silent no-op"
        );
        let e = set(&mut r, "services.s.demand=none").unwrap_err();
        assert_eq!(e[0].code, "E008", "a required field cannot be removed");
        assert!(Override::parse("no-equals-sign").is_err());
    }
}

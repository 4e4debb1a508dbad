//! Reading scenario files from disk, resolving `include`, and keeping track of
//! where every entity came from so that later errors can name file and JSON path.

use crate::error::Diagnostic;
use crate::format::{
    DataClassDef, DependencyDef, OfferingDef, PolicyDef, ProviderDef, ScenarioFile, ServiceDef,
};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// An entity together with the place it was read from, e.g. `a.json: services[3]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The entity as written.
    pub item: T,
    /// File and JSON path of the entity.
    pub location: String,
}

/// All files of a scenario merged, not yet validated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawScenario {
    /// The top file as given by the user.
    pub file: String,
    /// Name from the top file.
    pub name: Option<String>,
    /// Description from the top file.
    pub description: Option<String>,
    /// Policy from the top file.
    pub policy: Option<PolicyDef>,
    /// Providers of all files, included files first.
    pub providers: Vec<Located<ProviderDef>>,
    /// Offerings of all files.
    pub offerings: Vec<Located<OfferingDef>>,
    /// Data classes of all files.
    pub data_classes: Vec<Located<DataClassDef>>,
    /// Services of all files.
    pub services: Vec<Located<ServiceDef>>,
    /// Dependencies of all files.
    pub dependencies: Vec<Located<DependencyDef>>,
}

/// Reads a scenario file and everything it includes.
///
/// Every file is read even when an earlier one is broken, so that all syntax
/// problems are reported together.
pub fn read_scenario(path: &Path) -> Result<RawScenario, Vec<Diagnostic>> {
    let mut reader = Reader::default();
    let top = reader.load(path, &mut Vec::new(), true);
    finish(reader, top, path.display().to_string())
}

/// Parses a scenario from a string; `include` paths resolve against `base_dir`.
pub fn read_scenario_str(
    text: &str,
    label: &str,
    base_dir: &Path,
) -> Result<RawScenario, Vec<Diagnostic>> {
    let mut reader = Reader::default();
    let top = match parse(text, label) {
        Ok(file) => {
            reader.merge(file, label, base_dir, &mut Vec::new(), true);
            true
        }
        Err(d) => {
            reader.errors.push(d);
            false
        }
    };
    finish(reader, top, label.to_string())
}

/// Reads files as if an unnamed top file included them, in order: the generator's
/// catalogue and templates get the same diagnostics (E001-E005) as a scenario's includes.
pub fn read_included(paths: &[PathBuf]) -> Result<RawScenario, Vec<Diagnostic>> {
    let mut reader = Reader::default();
    for path in paths {
        reader.load(path, &mut Vec::new(), false);
    }
    let labels: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    reader.raw.file = labels.join(", ");
    if reader.errors.is_empty() {
        Ok(reader.raw)
    } else {
        Err(reader.errors)
    }
}

/// Reads and parses one file as written, without following its includes.
pub fn read_file(path: &Path) -> Result<ScenarioFile, Diagnostic> {
    let label = path.display().to_string();
    parse(&read_text(path, &label)?, &label)
}

fn read_text(path: &Path, label: &str) -> Result<String, Diagnostic> {
    std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::new(
            "E001",
            label,
            format!("cannot read the file: {e}"),
            "check that the file exists and is readable UTF-8 text",
        )
    })
}

fn finish(reader: Reader, top_ok: bool, file: String) -> Result<RawScenario, Vec<Diagnostic>> {
    let mut raw = reader.raw;
    raw.file = file;
    let mut errors = reader.errors;
    if top_ok && raw.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
        errors.push(Diagnostic::new(
            "E006",
            format!("{}: name", raw.file),
            "the scenario has no name",
            "add a non-empty \"name\" to the top-level object",
        ));
    }
    if errors.is_empty() {
        Ok(raw)
    } else {
        Err(errors)
    }
}

/// Parses one file's text; syntax errors carry line and column, structural errors the JSON path.
pub fn parse(text: &str, label: &str) -> Result<ScenarioFile, Diagnostic> {
    parse_json(text, label)
}

/// Parses any of sovplan's JSON files (scenarios, plans) with the same error format:
/// E002 with line and column for syntax, E003 with the JSON path for structure.
pub fn parse_json<T: serde::de::DeserializeOwned>(
    text: &str,
    label: &str,
) -> Result<T, Diagnostic> {
    // Syntax first, so that a syntax error is reported as such rather than as a type error.
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Diagnostic::new(
            "E002",
            format!("{label}: line {}, column {}", e.line(), e.column()),
            format!("invalid JSON: {e}"),
            "fix the JSON syntax at that position",
        )
    })?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { "(top level)".to_string() } else { path };
        Diagnostic::new(
            "E003",
            format!("{label}: {path}"),
            e.inner().to_string(),
            "use the field names and types documented in the README (unknown fields are not allowed)",
        )
    })
}

#[derive(Default)]
struct Reader {
    raw: RawScenario,
    errors: Vec<Diagnostic>,
    /// Canonical paths already merged: a catalogue included along two routes is merged once.
    loaded: BTreeSet<PathBuf>,
}

impl Reader {
    /// Loads `path`; returns whether the file itself could be parsed.
    fn load(&mut self, path: &Path, stack: &mut Vec<PathBuf>, top: bool) -> bool {
        let label = path.display().to_string();
        let canonical = match path.canonicalize() {
            Ok(c) => c,
            Err(e) => {
                self.errors.push(Diagnostic::new(
                    "E001",
                    label,
                    format!("cannot read the file: {e}"),
                    "check the path (includes are relative to the including file)",
                ));
                return false;
            }
        };
        if stack.contains(&canonical) {
            let mut cycle: Vec<String> = stack.iter().map(|p| p.display().to_string()).collect();
            cycle.push(canonical.display().to_string());
            self.errors.push(Diagnostic::new(
                "E004",
                label,
                format!("include cycle: {}", cycle.join(" -> ")),
                "remove one of the includes so that no file includes itself",
            ));
            return false;
        }
        if !self.loaded.insert(canonical.clone()) {
            return true;
        }
        let text = match read_text(path, &label) {
            Ok(t) => t,
            Err(d) => {
                self.errors.push(d);
                return false;
            }
        };
        match parse(&text, &label) {
            Ok(file) => {
                let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
                stack.push(canonical);
                self.merge(file, &label, &base, stack, top);
                stack.pop();
                true
            }
            Err(d) => {
                self.errors.push(d);
                false
            }
        }
    }

    fn merge(
        &mut self,
        file: ScenarioFile,
        label: &str,
        base: &Path,
        stack: &mut Vec<PathBuf>,
        top: bool,
    ) {
        // Included files first: a scenario reads as "catalogue, then my own services".
        for inc in &file.include {
            self.load(&base.join(inc), stack, false);
        }
        if top {
            self.raw.name = file.name;
            self.raw.description = file.description;
            self.raw.policy = file.policy;
        } else if file.policy.is_some() {
            self.errors.push(Diagnostic::new(
                "E005",
                format!("{label}: policy"),
                "an included file has a policy; policies are only read from the top file",
                "move the policy into the scenario file that includes this one",
            ));
        }
        let loc = |kind: &str, i: usize| format!("{label}: {kind}[{i}]");
        extend(&mut self.raw.providers, file.providers, |i| {
            loc("providers", i)
        });
        extend(&mut self.raw.offerings, file.offerings, |i| {
            loc("offerings", i)
        });
        extend(&mut self.raw.data_classes, file.data_classes, |i| {
            loc("data_classes", i)
        });
        extend(&mut self.raw.services, file.services, |i| {
            loc("services", i)
        });
        extend(&mut self.raw.dependencies, file.dependencies, |i| {
            loc("dependencies", i)
        });
    }
}

fn extend<T>(into: &mut Vec<Located<T>>, items: Vec<T>, location: impl Fn(usize) -> String) {
    into.extend(items.into_iter().enumerate().map(|(i, item)| Located {
        item,
        location: location(i),
    }));
}

//! Importing a service inventory kept in a spreadsheet: CSV files of services and
//! dependencies become a [`ScenarioFile`] that includes a catalogue.
//!
//! The columns are the scenario's field names (README, "Importing a service
//! inventory"); header names are case-insensitive; an empty cell means the field is
//! not given. The separator (`,` or `;`) is read from the header line and the decimal
//! mark from the numbers, unless a [`Locale`] fixes both. Every problem of every file
//! is collected (code, file, line and column) before anything is returned, and the
//! scenario is run through [`read_scenario_str`] and [`validate`] exactly as the file
//! will be read later, so that an import either yields a valid scenario or nothing.

mod number;
mod sheet;

use crate::error::Diagnostic;
use crate::export::Locale;
use crate::format::read::{parse_json, read_scenario_str};
use crate::format::{ColocateDef, DemandDef, DependencyDef, PolicyDef, ScenarioFile, ServiceDef};
use crate::validate::validate;
use sheet::{Row, Sheet};
use std::path::{Path, PathBuf};

/// The columns of a services file, in the order a template shows them.
pub const SERVICE_COLUMNS: [&str; 15] = [
    "id",
    "name",
    "description",
    "data_class",
    "vcpu",
    "ram_gb",
    "storage_gb",
    "egress_gb_month",
    "demand_source",
    "current_offering",
    "migration_cost",
    "replatform_cost",
    "allowed_offerings",
    "forbidden_offerings",
    "movable_from",
];
const SERVICE_REQUIRED: [&str; 4] = ["id", "vcpu", "ram_gb", "storage_gb"];
const SERVICE_NUMBERS: [&str; 7] = [
    "vcpu",
    "ram_gb",
    "storage_gb",
    "egress_gb_month",
    "migration_cost",
    "replatform_cost",
    "movable_from",
];

/// The columns of a dependencies file.
pub const DEPENDENCY_COLUMNS: [&str; 5] =
    ["from", "to", "traffic_gb_month", "colocate", "description"];

/// One CSV file to import.
#[derive(Debug, Clone)]
pub struct CsvSource {
    /// How messages name the file (the path as given).
    pub label: String,
    /// The file's contents (UTF-8, with or without a byte-order mark).
    pub bytes: Vec<u8>,
}

/// What the scenario gets besides the rows of the CSV files.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The scenario's name.
    pub name: String,
    /// Catalogue files, as written into `include` (relative to the scenario file).
    pub include: Vec<String>,
    /// The policy object, if any.
    pub policy: Option<PolicyDef>,
    /// The roadmap object, if any (needed by a `movable_from` column).
    pub roadmap: Option<crate::format::RoadmapDef>,
    /// Fixes separator and decimal mark (`En`: `,` and `.`; `De`: `;` and `,`);
    /// `None` detects them per file.
    pub locale: Option<Locale>,
    /// How messages name the scenario file to be written.
    pub label: String,
    /// The directory the scenario will be written to: `include` resolves against it.
    pub base_dir: PathBuf,
}

/// The scenario of `services` and `dependencies` with the options' name, includes
/// and policy, validated as it will be read; or every problem found, CSV problems
/// with file, line and column, validation problems of imported rows pointed back to
/// their CSV line and column.
pub fn import_scenario(
    services: &CsvSource,
    dependencies: Option<&CsvSource>,
    opts: &ImportOptions,
) -> Result<ScenarioFile, Vec<Diagnostic>> {
    let mut errs = Vec::new();
    let svc_sheet = Sheet::read(
        services,
        &SERVICE_COLUMNS,
        &SERVICE_REQUIRED,
        &SERVICE_NUMBERS,
        opts.locale,
        &mut errs,
    );
    let dep_sheet = dependencies.and_then(|d| {
        Sheet::read(
            d,
            &DEPENDENCY_COLUMNS,
            &["from", "to"],
            &["traffic_gb_month"],
            opts.locale,
            &mut errs,
        )
    });
    let svc_rows = svc_sheet.as_ref().map(|s| s.parse(service, &mut errs));
    let dep_rows = dep_sheet.as_ref().map(|s| s.parse(dependency, &mut errs));
    if !errs.is_empty() {
        return Err(errs);
    }
    let (svc_lines, services_def): (Vec<u64>, Vec<ServiceDef>) =
        svc_rows.unwrap_or_default().into_iter().unzip();
    let (dep_lines, deps_def): (Vec<u64>, Vec<DependencyDef>) =
        dep_rows.unwrap_or_default().into_iter().unzip();
    let file = ScenarioFile {
        name: Some(opts.name.clone()),
        include: opts.include.clone(),
        services: services_def,
        dependencies: deps_def,
        policy: opts.policy.clone(),
        roadmap: opts.roadmap.clone(),
        ..ScenarioFile::default()
    };
    let back = |ds: Vec<Diagnostic>| -> Vec<Diagnostic> {
        let pointers = [
            ("services", services.label.as_str(), svc_lines.as_slice()),
            (
                "dependencies",
                dependencies.map_or("", |d| d.label.as_str()),
                dep_lines.as_slice(),
            ),
        ];
        ds.into_iter()
            .map(|d| point_back(d, &opts.label, &pointers))
            .collect()
    };
    let text = serde_json::to_string(&file).expect("a scenario file always serialises");
    let raw = read_scenario_str(&text, &opts.label, &opts.base_dir).map_err(back)?;
    validate(&raw).map_err(back)?;
    Ok(file)
}

/// The scenario as pretty JSON with a final newline, whole numbers written without a
/// fraction (`2`, not `2.0`), as people write them by hand.
pub fn scenario_json(file: &ScenarioFile) -> String {
    fn tidy(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Number(n) => {
                let whole = n.as_f64().filter(|x| x.fract() == 0.0 && x.abs() < 9e15);
                if let (Some(x), false) = (whole, n.is_i64() || n.is_u64()) {
                    *n = serde_json::Number::from(x as i64);
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(tidy),
            serde_json::Value::Object(fields) => fields.values_mut().for_each(tidy),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(file).expect("a scenario file always serialises");
    tidy(&mut value);
    let mut json = serde_json::to_string_pretty(&value).expect("JSON values serialise");
    json.push('\n');
    json
}

/// Reads a file holding one roadmap object (the fields of a scenario's `roadmap`).
pub fn read_roadmap(path: &Path) -> Result<crate::format::RoadmapDef, Diagnostic> {
    let label = path.display().to_string();
    let text = crate::format::read::read_text(path)?;
    parse_json(&text, &label)
}

/// Reads a file holding one policy object (the fields of a scenario's `policy`).
pub fn read_policy(path: &Path) -> Result<PolicyDef, Diagnostic> {
    let label = path.display().to_string();
    let text = crate::format::read::read_text(path)?;
    parse_json(&text, &label)
}

/// A service from one row of the services file.
fn service(row: &Row, errs: &mut Vec<Diagnostic>) -> Option<ServiceDef> {
    let before = errs.len();
    let id = row.required_text("id", errs);
    let vcpu = row.required_number("vcpu", errs);
    let ram_gb = row.required_number("ram_gb", errs);
    let storage_gb = row.required_number("storage_gb", errs);
    let egress_gb_month = row.number("egress_gb_month", errs);
    let migration_cost = row.number("migration_cost", errs);
    let replatform_cost = row.number("replatform_cost", errs);
    let movable_from = year(row, "movable_from", errs);
    if errs.len() > before {
        return None;
    }
    let allowed = row.list("allowed_offerings");
    Some(ServiceDef {
        id: id?,
        name: row.text("name"),
        description: row.text("description"),
        data_class: row.text("data_class"),
        demand: DemandDef {
            vcpu: vcpu?,
            ram_gb: ram_gb?,
            storage_gb: storage_gb?,
            egress_gb_month,
        },
        demand_source: row.text("demand_source"),
        current_offering: row.text("current_offering"),
        migration_cost,
        replatform_cost,
        // An empty cell allows every offering, as an absent field does.
        allowed_offerings: (!allowed.is_empty()).then_some(allowed),
        forbidden_offerings: row.list("forbidden_offerings"),
        movable_from,
    })
}

/// A calendar year in `column`: a whole number (I004 otherwise, pushed); `None` when
/// the cell is empty. Whether the year lies in a roadmap is validation's business.
fn year(row: &Row, column: &str, errs: &mut Vec<Diagnostic>) -> Option<i64> {
    let x = row.number(column, errs)?;
    // Years are far inside the range where f64 holds every integer exactly.
    if x.fract() == 0.0 && x.abs() <= 1e9 {
        return Some(x as i64);
    }
    errs.push(row.error(
        "I004",
        column,
        format!("{column} is {x}, not a whole year"),
        "write the calendar year, e.g. 2028",
    ));
    None
}

/// A dependency from one row of the dependencies file.
fn dependency(row: &Row, errs: &mut Vec<Diagnostic>) -> Option<DependencyDef> {
    let before = errs.len();
    let from = row.required_text("from", errs);
    let to = row.required_text("to", errs);
    let traffic_gb_month = row.number("traffic_gb_month", errs);
    let colocate = match row.text("colocate").map(|c| c.to_lowercase()).as_deref() {
        None => None,
        Some("offering") => Some(ColocateDef::Offering),
        Some("provider") => Some(ColocateDef::Provider),
        Some(other) => {
            errs.push(row.error(
                "I005",
                "colocate",
                format!("colocate is \"{other}\""),
                "write offering, provider, or leave the cell empty",
            ));
            None
        }
    };
    if errs.len() > before {
        return None;
    }
    Some(DependencyDef {
        from: from?,
        to: to?,
        traffic_gb_month,
        colocate,
        description: row.text("description"),
    })
}

/// Rewrites the location of a diagnostic about an imported row (`LABEL:
/// services[3].demand.vcpu`) to its CSV file, line and column.
fn point_back(mut d: Diagnostic, label: &str, pointers: &[(&str, &str, &[u64])]) -> Diagnostic {
    for (kind, csv, lines) in pointers {
        let Some(rest) = d.location.strip_prefix(&format!("{label}: {kind}[")) else {
            continue;
        };
        let Some((index, path)) = rest.split_once(']') else {
            continue;
        };
        let Some(line) = index.parse::<usize>().ok().and_then(|i| lines.get(i)) else {
            continue;
        };
        // `.demand.vcpu` → `vcpu`, `.allowed_offerings[1]` → `allowed_offerings`.
        let field = path.rsplit('.').next().unwrap_or("");
        let column = field.split('[').next().unwrap_or("");
        d.location = if column.is_empty() {
            format!("{csv}: line {line}")
        } else {
            format!("{csv}: line {line}, column {column}")
        };
        break;
    }
    d
}

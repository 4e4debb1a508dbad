//! The tables of a plan, with every column's kind stated rather than guessed.

use super::json::cell;
use super::table::{Column, Kind, Layout, Table};
use crate::plan::Plan;
use serde::Serialize;
use serde_json::Value;

use Kind::{Bool, Count, Date, Money, Number, Share, Text};

/// The summary's fields: the plan's scalars, in JSON order.
const SUMMARY: &[(&str, Kind)] = &[
    ("scenario", Text),
    ("status", Text),
    ("horizon_months", Number),
    ("total_cost", Money),
    ("monthly_cost", Money),
    ("one_off_cost", Money),
    ("gap", Share),
];

const PLACEMENTS: &[(&str, Kind)] = &[
    ("service", Text),
    ("service_name", Text),
    ("previous_offering", Text),
    ("change", Text),
    ("offering", Text),
    ("offering_name", Text),
    ("provider", Text),
    ("provider_name", Text),
    ("country", Text),
    ("data_class", Text),
    ("vcpu", Number),
    ("ram_gb", Number),
    ("storage_gb", Number),
    ("egress_gb_month", Number),
    ("run_cost", Money),
    ("traffic_cost", Money),
    ("monthly_cost", Money),
    ("one_off_cost", Money),
    ("moved", Bool),
];

const PROVIDERS: &[(&str, Kind)] = &[
    ("provider", Text),
    ("name", Text),
    ("services", Count),
    ("fee", Money),
    ("spend", Money),
    ("share", Share),
    ("exit_cost", Money),
    ("cloud_act_exposed", Bool),
];

const DEPENDENCIES: &[(&str, Kind)] = &[
    ("from", Text),
    ("to", Text),
    ("from_offering", Text),
    ("to_offering", Text),
    ("traffic_gb_month", Number),
    ("cost", Money),
];

/// `value` and `bound` hold money, shares or counts depending on the limit, so they
/// are plain numbers.
const LIMITS: &[(&str, Kind)] = &[
    ("limit", Text),
    ("subject", Text),
    ("value", Number),
    ("bound", Number),
    ("binding", Bool),
];

const ESTIMATES: &[(&str, Kind)] = &[
    ("offering", Text),
    ("offering_name", Text),
    ("provider", Text),
    ("as_of", Date),
    ("services", Count),
    ("monthly_cost", Money),
];

/// The tables of a plan: `summary` (key/value), `placements`, `providers`,
/// `dependencies`, `limits` and, for plans that have it, `estimates`. Every table has
/// its columns even when it has no rows; fields a plan predates are empty cells.
pub fn plan_tables(plan: &Plan) -> Vec<Table> {
    let json = serde_json::to_value(plan).expect("plans serialise to JSON");
    let mut summary = table("summary", SUMMARY, std::slice::from_ref(&json));
    summary.layout = Layout::KeyValue;
    if !plan.overrides.is_empty() {
        summary.columns.push(Column::new("overrides", Text));
        summary.rows[0].push(cell(&json["overrides"]));
    }
    let mut tables = vec![
        summary,
        table("placements", PLACEMENTS, &rows(&plan.placements)),
        table("providers", PROVIDERS, &rows(&plan.providers)),
        table("dependencies", DEPENDENCIES, &rows(&plan.dependencies)),
        table("limits", LIMITS, &rows(&plan.limits)),
    ];
    if let Some(estimates) = &plan.estimates {
        tables.push(table("estimates", ESTIMATES, &rows(estimates)));
    }
    tables
}

fn rows<T: Serialize>(items: &[T]) -> Vec<Value> {
    items
        .iter()
        .map(|x| serde_json::to_value(x).expect("plan rows serialise to JSON"))
        .collect()
}

fn table(name: &str, schema: &[(&str, Kind)], rows: &[Value]) -> Table {
    Table {
        name: name.to_string(),
        layout: Layout::Rows,
        columns: schema.iter().map(|&(n, k)| Column::new(n, k)).collect(),
        rows: rows
            .iter()
            .map(|r| schema.iter().map(|(n, _)| cell(&r[*n])).collect())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schemas must name every field a current plan writes, or a new field would
    /// silently be left out of every spreadsheet.
    #[test]
    fn schemas_cover_every_field_of_a_plan() {
        let sc = crate::parse_scenario(
            r#"{"name": "x", "providers": [{"id": "p", "headquarters": "DE"}],
                "offerings": [{"id": "o", "provider": "p", "country": "DE", "estimate": true,
                  "as_of": "2026-01-02",
                  "prices": {"vcpu_month": 1, "ram_gb_month": 1, "storage_gb_month": 1, "egress_gb": 0}}],
                "services": [{"id": "a", "demand": {"vcpu": 1, "ram_gb": 1, "storage_gb": 1}},
                             {"id": "b", "demand": {"vcpu": 1, "ram_gb": 1, "storage_gb": 1}}],
                "dependencies": [{"from": "a", "to": "b"}],
                "policy": {"monthly_budget": 100}}"#,
            std::path::Path::new("."),
        )
        .unwrap();
        let placement = [crate::model::OfferingId(0); 2];
        let plan = crate::plan::build_plan(&sc, &placement, crate::plan::PlanStatus::Optimal, 0.0);
        let json = serde_json::to_value(&plan).unwrap();
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        let names = |s: &[(&str, Kind)]| s.iter().map(|(n, _)| n.to_string()).collect::<Vec<_>>();
        let scalars: Vec<String> = keys(&json)
            .into_iter()
            .filter(|k| !json[k].is_array())
            .collect();
        assert_eq!(scalars, names(SUMMARY));
        for (table, schema) in [
            ("placements", PLACEMENTS),
            ("providers", PROVIDERS),
            ("dependencies", DEPENDENCIES),
            ("limits", LIMITS),
            ("estimates", ESTIMATES),
        ] {
            assert_eq!(keys(&json[table][0]), names(schema), "{table}");
        }
        let tables = plan_tables(&plan);
        let sheets: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            sheets,
            [
                "summary",
                "placements",
                "providers",
                "dependencies",
                "limits",
                "estimates"
            ]
        );
    }
}

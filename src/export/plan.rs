//! The tables of a plan, with every column's kind stated rather than guessed.

use super::json::cell;
use super::table::{Cell, Column, Kind, Layout, Table};
use crate::plan::{whole_cents, Plan, YearRow};
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

/// Roadmap plans only: the year a service moves (empty when it never does).
const MOVE_YEAR: (&str, Kind) = ("move_year", Number);

/// Roadmap plans only: the year a limit row is about.
const LIMIT_YEAR: (&str, Kind) = ("year", Number);

/// Years are plain numbers: a count format would show 2,027 in some locales.
const YEARS: &[(&str, Kind)] = &[
    ("year", Number),
    ("monthly_cost", Money),
    ("one_off_cost", Money),
    ("annual_cost", Money),
    ("moves", Count),
    ("providers_used", Count),
    ("max_share", Share),
    ("cloud_act_share", Share),
];

const SCHEDULE: &[(&str, Kind)] = &[
    ("service", Text),
    ("year", Number),
    ("offering", Text),
    ("provider", Text),
    ("monthly_cost", Money),
    ("one_off_cost", Money),
    ("change", Text),
];

const PROVIDERS_BY_YEAR: &[(&str, Kind)] = &[
    ("year", Number),
    ("provider", Text),
    ("services", Count),
    ("fee", Money),
    ("spend", Money),
    ("share", Share),
    ("exit_cost", Money),
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
///
/// A roadmap plan (one with `years`) also gets `years`, `schedule` and
/// `providers_by_year`, in that order after the others, a `move_year` column in
/// `placements`, a `year` column in `limits` and the roadmap's figures in the summary.
/// A single-period plan's tables are exactly what they were before roadmaps.
pub fn plan_tables(plan: &Plan) -> Vec<Table> {
    let json = serde_json::to_value(plan).unwrap_or(Value::Null);
    let mut summary = table("summary", SUMMARY, std::slice::from_ref(&json));
    summary.layout = Layout::KeyValue;
    if let Some(years) = &plan.years {
        roadmap_summary(&mut summary, years);
    }
    if !plan.overrides.is_empty() {
        summary.columns.push(Column::new("overrides", Text));
        summary.rows[0].push(cell(&json["overrides"]));
    }
    let roadmap = plan.years.is_some();
    let placements = with_column(PLACEMENTS, roadmap.then_some(MOVE_YEAR));
    let limits = with_column(LIMITS, roadmap.then_some(LIMIT_YEAR));
    let mut tables = vec![
        summary,
        table("placements", &placements, &rows(&plan.placements)),
        table("providers", PROVIDERS, &rows(&plan.providers)),
        table("dependencies", DEPENDENCIES, &rows(&plan.dependencies)),
        table("limits", &limits, &rows(&plan.limits)),
    ];
    if let Some(estimates) = &plan.estimates {
        tables.push(table("estimates", ESTIMATES, &rows(estimates)));
    }
    if let Some(years) = &plan.years {
        tables.push(table("years", YEARS, &rows(years)));
        let schedule = plan.schedule.as_deref().unwrap_or_default();
        tables.push(table("schedule", SCHEDULE, &rows(schedule)));
        let by_year = plan.providers_by_year.as_deref().unwrap_or_default();
        tables.push(table(
            "providers_by_year",
            PROVIDERS_BY_YEAR,
            &rows(by_year),
        ));
    }
    tables
}

/// `schema` with `extra` appended (where the JSON has the field: last).
fn with_column(
    schema: &[(&'static str, Kind)],
    extra: Option<(&'static str, Kind)>,
) -> Vec<(&'static str, Kind)> {
    schema.iter().copied().chain(extra).collect()
}

/// The roadmap's figures as summary fields: first and last year, number of years, the
/// moves, and Σ annual_cost (summed in whole cents, as a spreadsheet's SUM over the
/// `years` sheet gives it; equal to `total_cost` in a plan that `check` accepts).
fn roadmap_summary(summary: &mut Table, years: &[YearRow]) {
    let first = years.iter().map(|y| y.year).min();
    let last = years.iter().map(|y| y.year).max();
    let year = |y: Option<i32>| y.map_or(Cell::Empty, |y| Cell::Number(f64::from(y)));
    let annual: i64 = years.iter().map(|y| whole_cents(y.annual_cost)).sum();
    let moves: usize = years.iter().map(|y| y.moves).sum();
    let fields = [
        ("start_year", Number, year(first)),
        ("end_year", Number, year(last)),
        ("years", Count, Cell::Number(years.len() as f64)),
        ("moves", Count, Cell::Number(moves as f64)),
        (
            "roadmap_total_cost",
            Money,
            Cell::Number(annual as f64 / 100.0),
        ),
    ];
    for (name, kind, value) in fields {
        summary.columns.push(Column::new(name, kind));
        summary.rows[0].push(value);
    }
}

/// Rows as JSON objects. Plan rows hold only strings, finite numbers and booleans, so
/// serialising cannot fail; if it ever did, the row would be a line of empty cells
/// rather than a panic.
fn rows<T: Serialize>(items: &[T]) -> Vec<Value> {
    items
        .iter()
        .map(|x| serde_json::to_value(x).unwrap_or(Value::Null))
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

    /// A two-service plan that uses every field a single-period plan has.
    fn small_plan() -> Plan {
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
        crate::plan::build_plan(&sc, &placement, crate::plan::PlanStatus::Optimal, 0.0)
    }

    fn keys(v: &Value) -> Vec<String> {
        v.as_object().unwrap().keys().cloned().collect()
    }

    fn names(s: &[(&str, Kind)]) -> Vec<String> {
        s.iter().map(|(n, _)| n.to_string()).collect()
    }

    /// The schemas must name every field a current plan writes, or a new field would
    /// silently be left out of every spreadsheet.
    #[test]
    fn schemas_cover_every_field_of_a_plan() {
        let plan = small_plan();
        let json = serde_json::to_value(&plan).unwrap();
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

    /// The same for the rows a roadmap plan adds, and the roadmap's sheets come after
    /// the others in the order the brief gives.
    /// [`small_plan`] as a one-year roadmap plan: a row of every roadmap kind.
    fn small_roadmap_plan() -> Plan {
        use crate::plan::{ProviderYearRow, ScheduleRow, YearChange};
        let mut plan = small_plan();
        plan.placements
            .iter_mut()
            .for_each(|p| p.move_year = Some(None));
        plan.limits.iter_mut().for_each(|l| l.year = Some(2027));
        plan.years = Some(vec![YearRow {
            year: 2027,
            monthly_cost: 1.0,
            one_off_cost: 0.0,
            annual_cost: 12.0,
            moves: 0,
            providers_used: 1,
            max_share: 1.0,
            cloud_act_share: 0.0,
        }]);
        plan.schedule = Some(vec![ScheduleRow {
            service: "a".into(),
            year: 2027,
            offering: "o".into(),
            provider: "p".into(),
            monthly_cost: 1.0,
            one_off_cost: 0.0,
            change: YearChange::New,
        }]);
        plan.providers_by_year = Some(vec![ProviderYearRow {
            year: 2027,
            provider: "p".into(),
            services: 2,
            fee: 0.0,
            spend: 1.0,
            share: 1.0,
            exit_cost: 0.0,
        }]);
        plan
    }

    #[test]
    fn schemas_cover_every_field_of_a_roadmap_plan() {
        let plan = small_roadmap_plan();
        let json = serde_json::to_value(&plan).unwrap();
        let placements = with_column(PLACEMENTS, Some(MOVE_YEAR));
        let limits = with_column(LIMITS, Some(LIMIT_YEAR));
        for (table, schema) in [
            ("placements", &placements[..]),
            ("limits", &limits[..]),
            ("years", YEARS),
            ("schedule", SCHEDULE),
            ("providers_by_year", PROVIDERS_BY_YEAR),
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
                "estimates",
                "years",
                "schedule",
                "providers_by_year"
            ]
        );
        let summary = &tables[0];
        let at = |n: &str| summary.rows[0][summary.column(n).unwrap()].clone();
        assert_eq!(at("start_year"), Cell::Number(2027.0));
        assert_eq!(at("roadmap_total_cost"), Cell::Number(12.0));
        assert_eq!(
            tables[1].rows[0].last(),
            Some(&Cell::Empty),
            "move_year null"
        );
    }
}

//! Tables from any flat JSON report (the `price`, `sweep` and `diff` reports, or a
//! plan): top-level arrays of objects become tables, the other top-level fields the
//! `summary`. Column kinds are inferred from the values and the field names.

use super::table::{Cell, Column, Kind, Layout, Table};
use serde_json::{Map, Value};

/// The tables of a JSON report. For an object: `summary` first (key/value; its
/// scalars, lists of scalars joined as text, nested objects flattened to
/// `parent.child`), then one table per field holding an array of objects, in field
/// order. A top-level array becomes one table `rows`; a scalar a one-field summary.
///
/// Rows are flattened the same way; columns appear in the order they are first met,
/// and a row without a field gets an empty cell.
pub fn report_tables(report: &Value) -> Vec<Table> {
    let Value::Object(top) = report else {
        if let Value::Array(items) = report {
            return vec![rows_table("rows", items)];
        }
        return vec![summary_table(vec![("value".into(), report.clone())])];
    };
    let mut scalars = Vec::new();
    let mut tables = Vec::new();
    for (key, value) in top {
        match value {
            Value::Array(items) if is_table(items) => tables.push(rows_table(key, items)),
            _ => flatten_into(key, value, &mut scalars),
        }
    }
    if !scalars.is_empty() {
        tables.insert(0, summary_table(scalars));
    }
    tables
}

/// An array is a table when it holds objects, or nothing (an empty table keeps its
/// sheet, so that a report always has the same sheets).
fn is_table(items: &[Value]) -> bool {
    items.is_empty() || items.iter().any(Value::is_object)
}

fn summary_table(fields: Vec<(String, Value)>) -> Table {
    let columns = fields
        .iter()
        .map(|(name, v)| Column::new(name.clone(), infer_kind(name, &[v])))
        .collect();
    Table {
        name: "summary".into(),
        layout: Layout::KeyValue,
        columns,
        rows: vec![fields.iter().map(|(_, v)| cell(v)).collect()],
    }
}

fn rows_table(name: &str, items: &[Value]) -> Table {
    let flat: Vec<Map<String, Value>> = items
        .iter()
        .map(|item| {
            let mut fields = Vec::new();
            match item {
                Value::Object(m) => m.iter().for_each(|(k, v)| flatten_into(k, v, &mut fields)),
                other => fields.push(("value".into(), other.clone())),
            }
            fields.into_iter().collect()
        })
        .collect();
    let mut names: Vec<String> = Vec::new();
    for row in &flat {
        for k in row.keys() {
            if !names.contains(k) {
                names.push(k.clone());
            }
        }
    }
    let columns = names
        .iter()
        .map(|n| {
            let values: Vec<&Value> = flat.iter().filter_map(|r| r.get(n)).collect();
            Column::new(n.clone(), infer_kind(n, &values))
        })
        .collect();
    let rows = flat
        .iter()
        .map(|r| {
            names
                .iter()
                .map(|n| r.get(n).map_or(Cell::Empty, cell))
                .collect()
        })
        .collect();
    Table {
        name: name.to_string(),
        layout: Layout::Rows,
        columns,
        rows,
    }
}

/// Nested objects become `parent.child` fields; everything else stays one field.
fn flatten_into(name: &str, value: &Value, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, v)| flatten_into(&format!("{name}.{k}"), v, out)),
        _ => out.push((name.to_string(), value.clone())),
    }
}

/// A JSON value as a cell: numbers stay numbers, lists of scalars become text joined
/// by `, `, anything deeper compact JSON text.
pub(super) fn cell(v: &Value) -> Cell {
    match v {
        Value::Null => Cell::Empty,
        Value::Bool(b) => Cell::Bool(*b),
        Value::Number(n) => Cell::Number(n.as_f64().expect("JSON numbers are finite")),
        Value::String(s) => Cell::Text(s.clone()),
        Value::Array(items) if items.iter().all(|x| !x.is_array() && !x.is_object()) => {
            let parts: Vec<String> = items
                .iter()
                .map(|x| match x {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect();
            Cell::Text(parts.join(", "))
        }
        other => Cell::Text(other.to_string()),
    }
}

/// The kind of a column from its values and its name (the part after the last `.`,
/// split into words at `_`): booleans are [`Kind::Bool`]; text is [`Kind::Text`], or
/// [`Kind::Date`] for `as_of`, `date` and `*_date` holding only `YYYY-MM-DD`; numbers are
/// a [`Kind::Share`] when a word is `share` or `gap`, [`Kind::Money`] when a word is
/// `cost`, `spend`, `price`, `fee`, `budget`, `total` or `delta`, a [`Kind::Count`] when a
/// word is `services`, `providers`, `count`, `index`, `points`, `moved` or `used` and
/// every value is whole, else [`Kind::Number`]. A column of nulls is judged by its
/// name alone.
pub fn infer_kind(name: &str, values: &[&Value]) -> Kind {
    let present: Vec<&Value> = values.iter().copied().filter(|v| !v.is_null()).collect();
    let leaf = name.rsplit('.').next().unwrap_or(name);
    let words: Vec<&str> = leaf.split('_').collect();
    let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
    if !present.is_empty() && present.iter().all(|v| v.is_boolean()) {
        return Kind::Bool;
    }
    if present.iter().any(|v| !v.is_number()) {
        let dated = leaf == "as_of" || leaf == "date" || leaf.ends_with("_date");
        let all_dates = present.iter().all(|v| v.as_str().is_some_and(is_date));
        return if dated && all_dates {
            Kind::Date
        } else {
            Kind::Text
        };
    }
    if has(&["share", "gap"]) {
        Kind::Share
    } else if has(&["cost", "spend", "price", "fee", "budget", "total", "delta"]) {
        Kind::Money
    } else if has(&[
        "services",
        "providers",
        "count",
        "index",
        "points",
        "moved",
        "used",
    ]) && present
        .iter()
        .all(|v| v.as_f64().is_some_and(|x| x.fract() == 0.0))
    {
        Kind::Count
    } else {
        Kind::Number
    }
}

/// `YYYY-MM-DD` with digits in the right places (the catalogue reader checks that
/// the date exists; here it only decides how a column is shown).
pub(super) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kind(name: &str, values: Value) -> Kind {
        let v: Vec<&Value> = values.as_array().unwrap().iter().collect();
        infer_kind(name, &v)
    }

    #[test]
    fn kinds_follow_names_and_values() {
        assert_eq!(kind("total_cost", json!([1.5, null])), Kind::Money);
        assert_eq!(kind("spend_a", json!([1])), Kind::Money);
        assert_eq!(kind("exit_cost_delta", json!([-3.25])), Kind::Money);
        assert_eq!(kind("total_without", json!([null])), Kind::Money);
        assert_eq!(kind("share_delta", json!([0.1])), Kind::Share);
        assert_eq!(
            kind("policy.max_provider_share", json!([0.4, 0.5])),
            Kind::Share
        );
        assert_eq!(kind("gap", json!([0])), Kind::Share);
        assert_eq!(kind("services_moved", json!([3, null])), Kind::Count);
        assert_eq!(kind("policy.min_providers", json!([2, 3])), Kind::Count);
        assert_eq!(kind("services", json!([2.5])), Kind::Number);
        assert_eq!(kind("traffic_gb_month", json!([10])), Kind::Number);
        assert_eq!(kind("pareto", json!([true, false])), Kind::Bool);
        assert_eq!(kind("status", json!(["optimal"])), Kind::Text);
        assert_eq!(kind("as_of", json!(["2026-10-28", null])), Kind::Date);
        assert_eq!(kind("as_of", json!(["soon"])), Kind::Text);
        // Mixed numbers and text: text (the numbers are still written as numbers).
        assert_eq!(
            kind("policy.max_exit_cost", json!([1000, "none"])),
            Kind::Text
        );
    }

    #[test]
    fn arrays_of_objects_become_tables_and_the_rest_the_summary() {
        let report = json!({
            "scenario": "x", "total_cost": 12.5, "overrides": ["a=1", "b=2"],
            "vary": [{"path": "policy.max_provider_share", "values": ["0.4", "0.5"]}],
            "points": [
                {"index": 0, "policy.max_provider_share": 0.4, "status": "optimal", "pareto": true},
                {"index": 1, "policy.max_provider_share": 0.5, "status": "infeasible",
                 "extra": {"a": 1}}
            ],
            "empty": []
        });
        let t = report_tables(&report);
        let names: Vec<&str> = t.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["summary", "vary", "points", "empty"]);
        assert_eq!(t[0].layout, Layout::KeyValue);
        assert_eq!(t[0].rows[0][2], Cell::Text("a=1, b=2".into()));
        assert_eq!(t[1].rows[0][1], Cell::Text("0.4, 0.5".into()));
        let points = &t[2];
        let cols: Vec<&str> = points.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            cols,
            [
                "index",
                "policy.max_provider_share",
                "status",
                "pareto",
                "extra.a"
            ]
        );
        assert_eq!(points.columns[1].kind, Kind::Share);
        assert_eq!(points.rows[1][3], Cell::Empty);
        assert_eq!(points.rows[1][4], Cell::Number(1.0));
        assert!(t[3].columns.is_empty() && t[3].rows.is_empty());
    }
}

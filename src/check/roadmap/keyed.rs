//! Matching the rows of a roadmap table to the slots the plan must fill (one per
//! service and year, per year, per year and provider), reporting unknown keys,
//! duplicates, gaps and rows out of order.

use super::super::Violation;

/// The codes a table's problems are reported under, and how the table is named.
pub(super) struct Table {
    /// The table's name in the plan (`schedule`, `years`, `providers_by_year`).
    pub name: &'static str,
    /// Code for a row whose key names nothing in the scenario or the roadmap.
    pub unknown: &'static str,
    /// Code for a slot without a row or with several, and for rows out of order.
    pub shape: &'static str,
}

/// Maps every row to its slot with `slot_of` (an error describes a key that names
/// nothing) and returns, per slot, the index of its first row. `label` names a slot in
/// messages. Slots are numbered in the order the rows must come in.
pub(super) fn match_rows<R>(
    table: &Table,
    rows: &[R],
    slots: usize,
    slot_of: impl Fn(&R) -> Result<usize, String>,
    label: impl Fn(usize) -> String,
    out: &mut Vec<Violation>,
) -> Vec<Option<usize>> {
    let mut first: Vec<Option<usize>> = vec![None; slots];
    let mut previous: Option<usize> = None;
    let mut disorder_reported = false;
    for (i, row) in rows.iter().enumerate() {
        let slot = match slot_of(row) {
            Ok(slot) if slot < slots => slot,
            Ok(_) => continue,
            Err(what) => {
                out.push(Violation::new(
                    table.unknown,
                    format!("{} row {}: {what}", table.name, i + 1),
                ));
                continue;
            }
        };
        if first[slot].is_some() {
            out.push(Violation::new(
                table.shape,
                format!("{}: {} has more than one row", table.name, label(slot)),
            ));
        } else {
            first[slot] = Some(i);
        }
        // A duplicate is reported above; only a step backwards is a question of order.
        if previous.is_some_and(|p| slot < p) && !disorder_reported {
            disorder_reported = true;
            out.push(Violation::new(
                table.shape,
                format!(
                    "{}: row {} ({}) is out of order",
                    table.name,
                    i + 1,
                    label(slot)
                ),
            ));
        }
        previous = Some(slot);
    }
    for (slot, _) in first.iter().enumerate().filter(|(_, r)| r.is_none()) {
        out.push(Violation::new(
            table.shape,
            format!("{}: no row for {}", table.name, label(slot)),
        ));
    }
    first
}

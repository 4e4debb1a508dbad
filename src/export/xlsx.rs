//! XLSX workbooks via `rust_xlsxwriter`: one sheet per table, typed cells, a frozen
//! header row with an autofilter, and column widths fitted to the contents.

use super::table::{is_formula_like, Cell, Kind, Table};
use super::Error;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError};
use std::collections::HashSet;
use std::path::Path;

/// Number formats by kind. Excel stores them locale-independently: a German Excel
/// shows `#,##0.00` as `1.234,56`.
struct Formats {
    header: Format,
    money: Format,
    share: Format,
    count: Format,
    date: Format,
    /// For text that looks like a formula: Excel's "quote prefix", so that editing the
    /// cell keeps it text (the cell is a string either way; see `write_cell`).
    quoted: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin),
            money: Format::new().set_num_format("#,##0.00"),
            share: Format::new().set_num_format("0.00%"),
            count: Format::new().set_num_format("0"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            quoted: Format::new().set_quote_prefix(),
        }
    }
}

/// The workbook of `tables` as bytes.
pub fn xlsx_bytes(tables: &[Table]) -> Result<Vec<u8>, Error> {
    let mut wb = Workbook::new();
    let formats = Formats::new();
    let mut used = HashSet::new();
    for t in tables {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&t.name, &mut used))?;
        write_sheet(ws, t, &formats)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// Writes the workbook of `tables` to `path`, atomically (a temporary file in the
/// same directory, renamed into place): a reader never sees half a workbook, and an
/// existing file is only replaced by a complete one.
pub fn write_xlsx(tables: &[Table], path: &Path) -> Result<(), Error> {
    let bytes = xlsx_bytes(tables)?;
    super::atomic::write(path, &bytes)
}

fn write_sheet(ws: &mut Worksheet, t: &Table, f: &Formats) -> Result<(), XlsxError> {
    let (header, rows) = t.grid();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, col(c), h, &f.header)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (c, (value, kind)) in row.iter().enumerate() {
            let shown = write_cell(ws, r, col(c), value, *kind, f)?;
            widths[c] = widths[c].max(shown);
        }
    }
    if !header.is_empty() {
        ws.set_freeze_panes(1, 0)?;
        let last = u32::try_from(rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
        ws.autofilter(0, 0, last, col(header.len() - 1))?;
    }
    for (c, w) in widths.iter().enumerate() {
        // Room for the autofilter's drop-down button; very long texts are cut off
        // on screen rather than making a column wider than the window.
        ws.set_column_width(col(c), (*w + 3).clamp(8, 60) as f64)?;
    }
    Ok(())
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// Writes one cell by its own type, formatted by `kind`; returns roughly how many
/// characters it shows, for the column width.
fn write_cell(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    value: &Cell,
    kind: Kind,
    f: &Formats,
) -> Result<usize, XlsxError> {
    match (value, kind) {
        // An empty text is a blank cell in Excel's file format anyway.
        (Cell::Empty, _) => Ok(0),
        (Cell::Text(s), _) if s.is_empty() => Ok(0),
        (Cell::Bool(b), _) => {
            ws.write_boolean(r, c, *b)?;
            Ok(5)
        }
        (Cell::Number(x), Kind::Money) => {
            ws.write_number_with_format(r, c, *x, &f.money)?;
            Ok(format!("{x:.2}").len() + format!("{:.0}", x.abs()).len() / 3)
        }
        (Cell::Number(x), Kind::Share) => {
            ws.write_number_with_format(r, c, *x, &f.share)?;
            Ok(format!("{:.2}%", x * 100.0).len())
        }
        (Cell::Number(x), Kind::Count) => {
            ws.write_number_with_format(r, c, *x, &f.count)?;
            Ok(format!("{x:.0}").len())
        }
        (Cell::Number(x), _) => {
            ws.write_number(r, c, *x)?;
            Ok(x.to_string().len().min(12))
        }
        (Cell::Text(s), Kind::Date) if super::json::is_date(s) => {
            match ExcelDateTime::parse_from_str(s) {
                Ok(d) => ws.write_datetime_with_format(r, c, &d, &f.date)?,
                Err(_) => ws.write_string(r, c, s)?,
            };
            Ok(10)
        }
        // Text is always written with `write_string`, never `write_formula`, so a
        // scenario's `=…` name is a string cell: no spreadsheet evaluates it.
        (Cell::Text(s), _) if is_formula_like(s) => {
            ws.write_string_with_format(r, c, s, &f.quoted)?;
            Ok(s.chars().count())
        }
        (Cell::Text(s), _) => {
            ws.write_string(r, c, s)?;
            Ok(s.chars().count())
        }
    }
}

/// A valid, unique sheet name: at most 31 characters, none of `[]:*?/\`, not
/// starting or ending with `'`, not Excel's reserved `History`, unique ignoring case.
fn sheet_name(name: &str, used: &mut HashSet<String>) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let mut base: String = clean.trim_matches('\'').chars().take(31).collect();
    if base.is_empty() {
        base = "sheet".into();
    } else if base.eq_ignore_ascii_case("history") {
        base.push_str("_sheet");
    }
    let mut candidate = base.clone();
    let mut n = 2;
    while !used.insert(candidate.to_lowercase()) {
        let suffix = format!("~{n}");
        let keep = 31 - suffix.len();
        candidate = base.chars().take(keep).collect::<String>() + &suffix;
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = HashSet::new();
        let mut name = |s: &str| sheet_name(s, &mut used);
        assert_eq!(name("placements"), "placements");
        assert_eq!(name("Placements"), "Placements~2");
        assert_eq!(name("a/b:c"), "a_b_c");
        assert_eq!(name(&"x".repeat(40)), "x".repeat(31));
        assert_eq!(name(&"x".repeat(40)), format!("{}~2", "x".repeat(29)));
        assert_eq!(name(""), "sheet");
        assert_eq!(name("History"), "History_sheet");
    }
}

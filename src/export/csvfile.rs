//! CSV files via the `csv` crate: one file per table, RFC 4180 quoting (fields with
//! separators, quotes or line breaks are quoted, quotes doubled), CRLF line ends,
//! UTF-8.

use super::table::{is_formula_like, Cell, Kind, Table};
use super::Error;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// How numbers and booleans are written, and for which spreadsheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    /// `,` between fields, `.` as decimal point, `true`/`false`, no byte-order mark:
    /// plain RFC 4180 for scripts and English spreadsheets.
    En,
    /// `;` between fields, `,` as decimal point, `WAHR`/`FALSCH` and a UTF-8 byte-order
    /// mark: what a German Excel or LibreOffice reads as numbers, booleans and umlauts
    /// when the file is opened directly.
    De,
}

impl Locale {
    fn separator(self) -> u8 {
        match self {
            Locale::En => b',',
            Locale::De => b';',
        }
    }
}

/// The UTF-8 byte-order mark German spreadsheets need to read a CSV as UTF-8.
pub const BOM: &str = "\u{feff}";

/// One table as CSV text (a key/value table as `field, value` lines).
pub fn csv_bytes(table: &Table, locale: Locale) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    if locale == Locale::De {
        out.extend_from_slice(BOM.as_bytes());
    }
    let mut w = csv::WriterBuilder::new()
        .delimiter(locale.separator())
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(&mut out);
    let (header, rows) = table.grid();
    // A table without columns (an empty list in a report) is an empty file.
    if !header.is_empty() {
        w.write_record(&header)?;
    }
    for row in &rows {
        w.write_record(row.iter().map(|(c, k)| field(c, *k, locale)))?;
    }
    w.flush().map_err(|e| Error::Csv(e.into()))?;
    drop(w);
    Ok(out)
}

/// Writes one `<table>.csv` per table into `dir` (created if missing), each file
/// atomically (a temporary file in `dir`, renamed into place); returns the paths in
/// table order. Names are made safe for file systems and unique.
pub fn write_csv_dir(tables: &[Table], dir: &Path, locale: Locale) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        action: "create directory",
        path: dir.to_path_buf(),
        source,
    })?;
    let mut used = HashSet::new();
    let mut paths = Vec::new();
    for t in tables {
        let path = dir.join(format!("{}.csv", file_stem(&t.name, &mut used)));
        super::atomic::write(&path, &csv_bytes(t, locale)?)?;
        paths.push(path);
    }
    Ok(paths)
}

/// One field's text. Money keeps at least two decimals but never loses digits (a unit
/// price of 0.0776 stays 0.0776); shares are fractions (0.25), as in the JSON; other
/// numbers are written in full, never in exponent notation.
///
/// Text that a spreadsheet would run as a formula ([`is_formula_like`]: starting with
/// `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`, which Excel and LibreOffice read as
/// "this is text" (OWASP's advice for CSV injection). Numbers are never changed.
pub fn field(cell: &Cell, kind: Kind, locale: Locale) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(s) if is_formula_like(s) => format!("'{s}"),
        Cell::Text(s) => s.clone(),
        Cell::Bool(b) => match (locale, b) {
            (Locale::En, true) => "true".into(),
            (Locale::En, false) => "false".into(),
            (Locale::De, true) => "WAHR".into(),
            (Locale::De, false) => "FALSCH".into(),
        },
        Cell::Number(x) => {
            let mut s = format!("{}", x + 0.0);
            if kind == Kind::Money {
                let decimals = s.split_once('.').map_or(0, |(_, d)| d.len());
                if decimals == 0 {
                    s.push('.');
                }
                s.extend(std::iter::repeat_n('0', 2usize.saturating_sub(decimals)));
            }
            match locale {
                Locale::En => s,
                Locale::De => s.replace('.', ","),
            }
        }
    }
}

/// A file name from a table name: letters, digits, `-`, `_` and `.` kept, anything
/// else `_`; never empty, never starting with `.`, unique ignoring case.
fn file_stem(name: &str, used: &mut HashSet<String>) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let base = match clean.trim_start_matches('.') {
        "" => "table".to_string(),
        s => s.to_string(),
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while !used.insert(candidate.to_lowercase()) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_by_kind_and_locale() {
        let f = |x: f64, k: Kind, l: Locale| field(&Cell::Number(x), k, l);
        assert_eq!(f(1234.5, Kind::Money, Locale::En), "1234.50");
        assert_eq!(f(1234.5, Kind::Money, Locale::De), "1234,50");
        assert_eq!(f(3422.0, Kind::Money, Locale::De), "3422,00");
        assert_eq!(f(0.0776, Kind::Money, Locale::En), "0.0776");
        assert_eq!(f(-0.0, Kind::Money, Locale::En), "0.00");
        assert_eq!(f(0.563214, Kind::Share, Locale::De), "0,563214");
        assert_eq!(f(26.0, Kind::Count, Locale::En), "26");
        assert_eq!(f(1e-7, Kind::Number, Locale::En), "0.0000001");
        assert_eq!(field(&Cell::Bool(true), Kind::Bool, Locale::De), "WAHR");
        assert_eq!(field(&Cell::Empty, Kind::Money, Locale::De), "");
    }

    #[test]
    fn text_that_would_run_as_a_formula_is_quoted_and_numbers_never_are() {
        let text = |s: &str| field(&Cell::Text(s.into()), Kind::Text, Locale::En);
        for evil in [
            "=1+2",
            "+1+2",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "=HYPERLINK(\"x\")",
        ] {
            assert_eq!(text(evil), format!("'{evil}"));
        }
        for plain in ["a=b", "rz-nord", "", "-12.5", "+3", "1e5"] {
            assert_eq!(text(plain), plain);
        }
        assert_eq!(text("-inf"), "'-inf");
        let num = |x: f64| field(&Cell::Number(x), Kind::Money, Locale::De);
        assert_eq!(num(-3.25), "-3,25");
        // Quoted by the csv crate as well when the text needs it.
        let t = Table {
            name: "t".into(),
            layout: super::super::table::Layout::Rows,
            columns: vec![super::super::table::Column::new("a", Kind::Text)],
            rows: vec![vec![Cell::Text("=1;2".into())]],
        };
        let bytes = csv_bytes(&t, Locale::De).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            format!("{BOM}a\r\n\"'=1;2\"\r\n")
        );
    }

    #[test]
    fn file_stems_are_safe_and_unique() {
        let mut used = HashSet::new();
        let mut stem = |s: &str| file_stem(s, &mut used);
        assert_eq!(stem("placements"), "placements");
        assert_eq!(stem("Placements"), "Placements-2");
        assert_eq!(stem("../x y"), "_x_y");
        assert_eq!(stem(""), "table");
    }
}

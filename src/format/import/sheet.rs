//! One CSV file read into a header and rows, with the separator and decimal mark
//! detected, and typed access to a row's cells that reports problems by line and
//! column.

use super::number::{self, Decimal};
use super::CsvSource;
use crate::error::Diagnostic;
use crate::export::Locale;

/// A CSV file: which known column each header cell is, and the non-empty rows.
pub struct Sheet<'a> {
    label: &'a str,
    /// For each position in the header, the known column name (`None`: an unnamed,
    /// empty column, ignored).
    columns: Vec<Option<&'static str>>,
    /// Line (1-based, where the record starts) and cells of every row that has any.
    rows: Vec<(u64, Vec<String>)>,
    decimal: Decimal,
}

/// One row of a [`Sheet`].
pub struct Row<'s> {
    sheet: &'s Sheet<'s>,
    line: u64,
    cells: &'s [String],
}

impl<'a> Sheet<'a> {
    /// Reads `src`; header problems (unknown, repeated or missing columns) and rows
    /// with more cells than the header are pushed to `errs`. `None` when the file
    /// cannot be read as CSV at all or its header is unusable.
    pub fn read(
        src: &'a CsvSource,
        known: &[&'static str],
        required: &[&'static str],
        numeric: &[&str],
        locale: Option<Locale>,
        errs: &mut Vec<Diagnostic>,
    ) -> Option<Sheet<'a>> {
        let label = src.label.as_str();
        let Ok(text) = std::str::from_utf8(&src.bytes) else {
            errs.push(Diagnostic::new(
                "I001",
                label,
                "the file is not UTF-8 text",
                "save it as \"CSV UTF-8\" (Excel: \"CSV UTF-8 (durch Trennzeichen getrennt)\"; LibreOffice: character set Unicode (UTF-8))",
            ));
            return None;
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let sep = match locale {
            Some(Locale::De) => b';',
            Some(Locale::En) => b',',
            None => separator(text.lines().next().unwrap_or("")),
        };
        let mut records = records(label, text, sep, errs)?;
        if records.is_empty() {
            errs.push(Diagnostic::new(
                "I001",
                label,
                "the file is empty",
                format!("the first line names the columns: {}", known.join(", ")),
            ));
            return None;
        }
        let header = records.remove(0);
        records.retain(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
        let columns = header_columns(label, &header, &records, (known, required), sep, errs)?;
        let sheet = Sheet {
            label,
            columns,
            rows: records,
            decimal: Decimal::Point,
        };
        sheet.check_widths(errs);
        let decimal = sheet.decimal(locale, sep, numeric);
        Some(Sheet { decimal, ..sheet })
    }

    /// Parses every row with `f`; returns the line and the value of each row `f`
    /// accepts (the others have pushed their problems).
    pub fn parse<T>(
        &self,
        f: impl Fn(&Row, &mut Vec<Diagnostic>) -> Option<T>,
        errs: &mut Vec<Diagnostic>,
    ) -> Vec<(u64, T)> {
        self.rows
            .iter()
            .filter_map(|(line, cells)| {
                let row = Row {
                    sheet: self,
                    line: *line,
                    cells,
                };
                f(&row, errs).map(|v| (*line, v))
            })
            .collect()
    }

    /// I006: a row with more (non-empty) cells than the header has columns.
    fn check_widths(&self, errs: &mut Vec<Diagnostic>) {
        let width = self.columns.len();
        for (line, cells) in &self.rows {
            if cells.iter().skip(width).any(|c| !c.trim().is_empty()) {
                errs.push(Diagnostic::new(
                    "I006",
                    format!("{}: line {line}", self.label),
                    format!("the row has {} cells, the header {width}", cells.len()),
                    "remove the extra cells, or quote a cell that contains the separator",
                ));
            }
        }
    }

    /// The decimal mark: fixed by the locale; in a `,`-separated file a point; in a
    /// `;`-separated file a comma if any number cell has one, else (unsure) a point.
    fn decimal(&self, locale: Option<Locale>, sep: u8, numeric: &[&str]) -> Decimal {
        match locale {
            Some(Locale::De) => return Decimal::Comma,
            Some(Locale::En) => return Decimal::Point,
            None if sep == b',' => return Decimal::Point,
            None => {}
        }
        let numeric_cols: Vec<usize> = (0..self.columns.len())
            .filter(|&i| self.columns[i].is_some_and(|c| numeric.contains(&c)))
            .collect();
        let comma = self.rows.iter().any(|(_, cells)| {
            numeric_cols
                .iter()
                .any(|&i| cells.get(i).is_some_and(|c| c.contains(',')))
        });
        if comma {
            Decimal::Comma
        } else {
            Decimal::PointUnsure
        }
    }
}

/// `;` when the header line has more semicolons than commas, else `,`.
fn separator(header: &str) -> u8 {
    let count = |c: char| header.chars().filter(|&x| x == c).count();
    if count(';') > count(',') {
        b';'
    } else {
        b','
    }
}

/// Every record with the line it starts on.
fn records(
    label: &str,
    text: &str,
    sep: u8,
    errs: &mut Vec<Diagnostic>,
) -> Option<Vec<(u64, Vec<String>)>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => {
                let line = r.position().map_or(0, csv::Position::line);
                out.push((line, r.iter().map(String::from).collect()));
            }
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                errs.push(Diagnostic::new(
                    "I001",
                    format!("{label}: line {line}"),
                    format!("cannot read the CSV: {e}"),
                    "check the quotes on that line",
                ));
                return None;
            }
        }
    }
    Some(out)
}

/// I002: which known column each header cell names. Unknown and repeated columns
/// are errors but their rows are still read (so that every problem shows at once);
/// an unnamed column is ignored if all its cells are empty. `None` when a required
/// column is missing: its rows would only repeat that.
fn header_columns(
    label: &str,
    (line, header): &(u64, Vec<String>),
    rows: &[(u64, Vec<String>)],
    spec: (&[&'static str], &[&'static str]),
    sep: u8,
    errs: &mut Vec<Diagnostic>,
) -> Option<Vec<Option<&'static str>>> {
    let (known, required) = spec;
    let at = |name: &str| format!("{label}: line {line}, column {name}");
    let mut columns = Vec::new();
    for (i, cell) in header.iter().enumerate() {
        let name = cell.trim().to_lowercase();
        let column = known.iter().copied().find(|k| *k == name);
        let problem = match column {
            _ if name.is_empty() => rows
                .iter()
                .any(|(_, r)| r.get(i).is_some_and(|c| !c.trim().is_empty()))
                .then(|| {
                    let msg = format!("column {} has values but no name", i + 1);
                    Diagnostic::new(
                        "I002",
                        at(&(i + 1).to_string()),
                        msg,
                        "name the column or delete it",
                    )
                }),
            Some(k) if columns.contains(&Some(k)) => Some(Diagnostic::new(
                "I002",
                at(k),
                format!("the column {k} appears twice"),
                "delete one of them",
            )),
            Some(_) => None,
            None => Some(Diagnostic::new(
                "I002",
                at(cell.trim()),
                format!("unknown column \"{}\"", cell.trim()),
                unknown_hint(&name, known, sep),
            )),
        };
        let ok = problem.is_none();
        errs.extend(problem);
        columns.push(column.filter(|_| ok));
    }
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|r| !columns.contains(&Some(*r)))
        .collect();
    for r in &missing {
        errs.push(Diagnostic::new(
            "I002",
            format!("{label}: line {line}"),
            format!("the column {r} is missing"),
            format!("the header needs {}", required.join(", ")),
        ));
    }
    missing.is_empty().then_some(columns)
}

fn unknown_hint(name: &str, known: &[&str], sep: u8) -> String {
    let other = if sep == b';' { ',' } else { ';' };
    if name.contains(other) {
        return format!("the header is separated by \"{other}\", but the file is read with \"{}\": check --locale", sep as char);
    }
    format!("the columns are: {}", known.join(", "))
}

impl Row<'_> {
    /// The trimmed cell of `column`, `None` when the column is absent or the cell empty.
    pub fn text(&self, column: &str) -> Option<String> {
        let i = self.sheet.columns.iter().position(|c| *c == Some(column))?;
        let cell = self.cells.get(i)?.trim();
        (!cell.is_empty()).then(|| cell.to_string())
    }

    /// The `|`-separated items of `column`, trimmed, empty items dropped.
    pub fn list(&self, column: &str) -> Vec<String> {
        let cell = self.text(column).unwrap_or_default();
        cell.split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    }

    /// A cell that must be given (I003 when empty).
    pub fn required_text(&self, column: &str, errs: &mut Vec<Diagnostic>) -> Option<String> {
        let value = self.text(column);
        if value.is_none() {
            errs.push(self.error(
                "I003",
                column,
                format!("{column} is empty"),
                format!("every row needs {column}"),
            ));
        }
        value
    }

    /// The number in `column`, `None` when empty or not a number (I004, pushed).
    pub fn number(&self, column: &str, errs: &mut Vec<Diagnostic>) -> Option<f64> {
        let text = self.text(column)?;
        match number::parse(&text, self.sheet.decimal) {
            Ok(x) => Some(x),
            Err(why) => {
                let hint = match self.sheet.decimal {
                    Decimal::PointUnsure => "write the number without grouping (1500 or 1,5), or pass --locale de or --locale en",
                    _ => "write a plain number such as 1234.5 (or 1234,5 in a file separated by ;), or pass --locale",
                };
                errs.push(self.error("I004", column, format!("\"{text}\" {why}"), hint));
                None
            }
        }
    }

    /// A number that must be given (I003 when empty).
    pub fn required_number(&self, column: &str, errs: &mut Vec<Diagnostic>) -> Option<f64> {
        if self.text(column).is_none() {
            errs.push(self.error(
                "I003",
                column,
                format!("{column} is empty"),
                format!("every row needs {column}"),
            ));
            return None;
        }
        self.number(column, errs)
    }

    /// A diagnostic at this row's `column`.
    pub fn error(
        &self,
        code: &'static str,
        column: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(
            code,
            format!("{}: line {}, column {column}", self.sheet.label, self.line),
            message,
            hint,
        )
    }
}

//! The report model every exporter writes: named tables of typed columns.

/// What a column holds, which decides how a spreadsheet shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// EUR: numbers shown with two decimals.
    Money,
    /// A fraction of 1 (0.25 = 25 %): shown as a percentage.
    Share,
    /// A whole number of things (services, providers).
    Count,
    /// Any other number (demand, GB, bounds).
    Number,
    /// Text.
    Text,
    /// A calendar date written `YYYY-MM-DD` (a real date cell in XLSX).
    Date,
    /// True or false.
    Bool,
}

/// One column: its header and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Header, the field name of the JSON the table comes from.
    pub name: String,
    /// How its cells are shown.
    pub kind: Kind,
}

impl Column {
    /// A column named `name` holding `kind`.
    pub fn new(name: impl Into<String>, kind: Kind) -> Column {
        Column {
            name: name.into(),
            kind,
        }
    }
}

/// One value. Writers write a cell by its own type (a number is never written as
/// text) and format it by its column's [`Kind`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value (JSON `null` or a field the row lacks).
    Empty,
    /// A number.
    Number(f64),
    /// Text (also dates, in a [`Kind::Date`] column).
    Text(String),
    /// True or false.
    Bool(bool),
}

/// The characters that make a spreadsheet read a cell typed or opened from CSV as a
/// formula (or, for tab and carriage return, that Excel strips before looking again).
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a text cell would be taken for a formula: it starts with one of
/// [`FORMULA_STARTS`] and is not simply a number (`-12.5` is read as the number it is,
/// and quoting it would turn a harmless value into text).
///
/// Ids and names come from the scenario, which may come from anyone: a service named
/// `=HYPERLINK("http://…")` must stay text when a council member opens the CSV.
pub fn is_formula_like(text: &str) -> bool {
    text.starts_with(FORMULA_STARTS) && !text.parse::<f64>().is_ok_and(f64::is_finite)
}

/// How a table is laid out on a sheet or in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// A header row of column names, then one line per row.
    Rows,
    /// The table's single row turned on its side: one `field, value` line per column,
    /// each value formatted by its column's kind (a report's summary).
    KeyValue,
}

/// A named table of typed columns: one sheet of a workbook, one CSV file.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Sheet or file name.
    pub name: String,
    /// Rows or key/value lines.
    pub layout: Layout,
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows, each with one cell per column.
    pub rows: Vec<Vec<Cell>>,
}

/// The header of the two columns of a [`Layout::KeyValue`] table as written.
pub const KEY_VALUE_HEADER: [&str; 2] = ["field", "value"];

impl Table {
    /// The column named `name`, if any.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The table as written: a header and rows of cells, each with the kind it is
    /// formatted as. A key/value table becomes one `field, value` line per column.
    pub fn grid(&self) -> (Vec<String>, Vec<Vec<(Cell, Kind)>>) {
        match self.layout {
            Layout::Rows => (
                self.columns.iter().map(|c| c.name.clone()).collect(),
                self.rows
                    .iter()
                    .map(|r| {
                        let cell = |i: usize| r.get(i).cloned().unwrap_or(Cell::Empty);
                        (0..self.columns.len())
                            .map(|i| (cell(i), self.columns[i].kind))
                            .collect()
                    })
                    .collect(),
            ),
            Layout::KeyValue => {
                let row = self.rows.first();
                let lines = self
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let value = row.and_then(|r| r.get(i)).cloned().unwrap_or(Cell::Empty);
                        vec![(Cell::Text(c.name.clone()), Kind::Text), (value, c.kind)]
                    })
                    .collect();
                (KEY_VALUE_HEADER.map(String::from).to_vec(), lines)
            }
        }
    }
}

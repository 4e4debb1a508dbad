//! Export to spreadsheets: plans and the JSON reports of other commands as XLSX
//! workbooks and CSV files.
//!
//! Everything goes through one model, a list of [`Table`]s of typed columns:
//! [`plan_tables`] builds the tables of a [`crate::Plan`] (kinds stated per field),
//! [`report_tables`] those of any flat JSON report (`price`, `sweep`, `diff`: kinds
//! inferred from values and field names). [`write_xlsx`] writes one sheet per table,
//! [`write_csv_dir`] one CSV file per table; both write each file atomically.
//!
//! ```no_run
//! # fn demo(plan: &sovplan::Plan) -> Result<(), sovplan::export::Error> {
//! use sovplan::export::{plan_tables, write_csv_dir, write_xlsx, Locale};
//! let tables = plan_tables(plan);
//! write_xlsx(&tables, std::path::Path::new("plan.xlsx"))?;
//! write_csv_dir(&tables, std::path::Path::new("plan-csv"), Locale::De)?;
//! # Ok(()) }
//! ```

mod atomic;
mod csvfile;
mod json;
mod plan;
mod table;
mod xlsx;

pub use csvfile::{csv_bytes, field as csv_field, write_csv_dir, Locale, BOM};
pub use json::{infer_kind, report_tables};
pub use plan::plan_tables;
pub use table::{
    is_formula_like, Cell, Column, Kind, Layout, Table, FORMULA_STARTS, KEY_VALUE_HEADER,
};
pub use xlsx::{write_xlsx, xlsx_bytes};

use std::path::PathBuf;

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be written.
    #[error("cannot {action} {}: {source}", .path.display())]
    Io {
        /// What was attempted, e.g. "write".
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The workbook could not be built (e.g. more rows than a sheet holds).
    #[error("cannot build the workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// A CSV record could not be written.
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
}

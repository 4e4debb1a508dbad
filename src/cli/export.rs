//! `sovplan export`: a plan, or the JSON report of `price`, `sweep` (or `merge`) or
//! `diff`, as an XLSX workbook or a directory of CSV files.
//!
//! What the input is, is read from its fields (a plan has `placements`, a price
//! report `rules`, a sweep report `points` and `vary`, a diff report `scenario_a`), so
//! that one command serves every JSON sovplan writes; anything else is refused rather
//! than turned into tables nobody asked for.

use super::exit::{io_error, read_input, usage, CliError};
use super::{output, Exit};
use serde_json::Value;
use sovplan::export::{plan_tables, report_tables, write_csv_dir, xlsx_bytes, Locale, Table};
use sovplan::format::read::parse_json;
use sovplan::Plan;
use std::path::{Path, PathBuf};

/// Arguments of `sovplan export`.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// A plan (from `sovplan solve -o`) or the JSON report of `price`, `sweep`,
    /// `merge` or `diff`.
    input: PathBuf,
    /// The workbook (`FILE.xlsx`) or, with `--format csv`, the directory that gets one
    /// `<table>.csv` per table (created if missing; its parent must exist).
    #[arg(short, long, value_name = "FILE.xlsx|DIR")]
    output: PathBuf,
    /// `xlsx` or `csv` (default: `xlsx` when -o ends in `.xlsx`; otherwise required).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// CSV only: `en` (`,` and decimal points) or `de` (`;`, decimal commas and a
    /// byte-order mark, for a German Excel or LibreOffice). Default `en`.
    #[arg(long, value_enum)]
    locale: Option<LocaleArg>,
}

/// The file formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One workbook, one sheet per table.
    Xlsx,
    /// One CSV file per table in a directory.
    Csv,
}

/// `--locale` on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LocaleArg {
    /// `,` between fields, `.` as decimal point.
    En,
    /// `;` between fields, `,` as decimal point.
    De,
}

impl From<LocaleArg> for Locale {
    fn from(l: LocaleArg) -> Locale {
        match l {
            LocaleArg::En => Locale::En,
            LocaleArg::De => Locale::De,
        }
    }
}

/// Writes the tables of the input; every problem (unreadable or unknown input, a bad
/// output path, a failed write) is exit 2 with the path.
pub fn run(args: ExportArgs) -> anyhow::Result<Exit> {
    let format = format_of(&args)?;
    let inputs = [args.input.clone()];
    match format {
        Format::Xlsx => output::preflight(&args.output, &inputs, "the file exported")?,
        Format::Csv => preflight_dir(&args.output)?,
    }
    let (what, tables) = read_tables(&args.input)?;
    match format {
        Format::Xlsx => write_workbook(&tables, &args.output)?,
        Format::Csv => {
            refuse_input_in_dir(&args.output, &tables, &args.input)?;
            let locale = args.locale.map_or(Locale::En, Locale::from);
            write_csv_dir(&tables, &args.output, locale)
                .map_err(|e| export_error(&args.output, e))?;
        }
    }
    eprintln!(
        "sovplan: {what} exported to {} ({} table{})",
        args.output.display(),
        tables.len(),
        if tables.len() == 1 { "" } else { "s" }
    );
    Ok(Exit::Success)
}

/// The format from `--format` and the extension of `-o`, after the checks that need
/// no file: `--locale` only for CSV, and no CSV directory named `*.xlsx`.
fn format_of(args: &ExportArgs) -> Result<Format, CliError> {
    let format = match (args.format, is_xlsx(&args.output)) {
        (Some(Format::Csv), true) => {
            return Err(usage(format!(
                "--format csv writes a directory, but {} ends in .xlsx; name a directory, or drop --format csv for a workbook",
                args.output.display()
            )))
        }
        (Some(f), _) => f,
        (None, true) => Format::Xlsx,
        (None, false) => {
            return Err(usage(format!(
                "cannot tell the format from {}: end it in .xlsx for a workbook, or add --format csv to write CSV files into that directory",
                args.output.display()
            )))
        }
    };
    if format == Format::Xlsx && args.locale.is_some() {
        return Err(usage(
            "--locale applies to CSV only: XLSX cells are typed numbers that every Excel shows in its own locale",
        ));
    }
    Ok(format)
}

/// Whether `path` names a workbook (`.xlsx`, any case).
pub fn is_xlsx(path: &Path) -> bool {
    has_extension(path, "xlsx")
}

/// Whether `path` ends in `.ext`, any case.
pub fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case(ext))
}

/// The workbook of `tables`, written like every other output (atomically; see
/// `output`). Used by `solve -o plan.xlsx` too.
pub fn write_workbook(tables: &[Table], path: &Path) -> anyhow::Result<()> {
    let bytes = xlsx_bytes(tables).map_err(|e| export_error(path, e))?;
    output::write_bytes(path, &bytes)
}

/// An export failure as an input/output error (exit 2) naming `path`.
fn export_error(path: &Path, e: sovplan::export::Error) -> anyhow::Error {
    match e {
        sovplan::export::Error::Io {
            action,
            path,
            source,
        } => io_error(action, &path, source).into(),
        other => usage(format!("cannot export to {}: {other}", path.display())).into(),
    }
}

/// Before any work: the CSV directory is a directory or can be created (its parent
/// exists and takes new files).
fn preflight_dir(dir: &Path) -> anyhow::Result<()> {
    let existing = std::fs::metadata(dir);
    if existing.as_ref().is_ok_and(|m| !m.is_dir()) {
        return Err(usage(format!(
            "{} is a file; --format csv writes a directory of CSV files",
            dir.display()
        ))
        .into());
    }
    let probe_in = if existing.is_ok() {
        dir.to_path_buf()
    } else {
        let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
        parent.unwrap_or(Path::new(".")).to_path_buf()
    };
    tempfile::Builder::new()
        .prefix(".sovplan-check.")
        .tempfile_in(&probe_in)
        .map(drop)
        .map_err(|e| io_error("write", &probe_in, e).into())
}

/// Refuses to write a CSV file over the input (`-o .` next to a `summary.csv`
/// would be harmless, but an input named like a table is not).
fn refuse_input_in_dir(dir: &Path, tables: &[Table], input: &Path) -> Result<(), CliError> {
    let inputs = [input.to_path_buf()];
    for t in tables {
        output::refuse_inputs(
            &dir.join(format!("{}.csv", t.name)),
            &inputs,
            "the file exported",
        )?;
    }
    Ok(())
}

/// What the input is (for the message) and its tables.
fn read_tables(path: &Path) -> anyhow::Result<(&'static str, Vec<Table>)> {
    let text = read_input(path, "the input")?;
    let label = path.display().to_string();
    let value: Value = parse_json(&text, &label).map_err(|d| usage(d.to_string()))?;
    let has = |k: &str| value.get(k).is_some();
    if has("placements") {
        let plan: Plan = parse_json(&text, &label).map_err(CliError::NotAPlan)?;
        return Ok(("plan", plan_tables(&plan)));
    }
    if value.get("kind").and_then(Value::as_str)
        == Some(sovplan::analysis::sweep::shard::SHARD_KIND)
    {
        return Err(usage(format!(
            "{label} is one shard of a sweep; combine the shards with `sovplan merge` and export the result"
        ))
        .into());
    }
    let what = if has("rules") && has("scenario") {
        "price report"
    } else if has("points") && has("vary") {
        "sweep report"
    } else if has("scenario_a") && has("scenario_b") {
        "diff report"
    } else {
        return Err(usage(format!(
            "{label} is neither a plan nor the report of `price`, `sweep`, `merge` or `diff`; export reads the JSON those commands and `solve` write"
        ))
        .into());
    };
    Ok((what, report_tables(&value)))
}

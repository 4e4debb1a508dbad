//! `sovplan schema`: the JSON Schema (draft 2020-12) of scenario or plan files, for
//! editors and other tools.

use super::{output, Exit};
use sovplan::format::schema::{plan_schema, scenario_schema, to_json};
use std::path::PathBuf;

/// Arguments of `sovplan schema`.
#[derive(clap::Args)]
pub struct SchemaArgs {
    /// Which file format.
    #[arg(value_enum)]
    kind: Kind,
    /// Where to write the schema (default: standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// The file formats that have a schema.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Kind {
    /// Scenario files and the catalogues they include.
    Scenario,
    /// Plans written by `sovplan solve`.
    Plan,
}

/// Prints or writes the schema.
pub fn run(args: SchemaArgs) -> anyhow::Result<Exit> {
    let schema = match args.kind {
        Kind::Scenario => scenario_schema(),
        Kind::Plan => plan_schema(),
    };
    if let Some(out) = &args.output {
        output::preflight(out, &[], "")?;
    }
    output::emit(args.output.as_deref(), &to_json(&schema))?;
    Ok(Exit::Success)
}

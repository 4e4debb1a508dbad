//! The command line of the `sovplan` binary (not part of the library): the clap
//! definitions, one module per command, and how outcomes and errors become exit codes.
//!
//! A command returns `Ok(exit)` when it ran to its end, whatever it found (violations,
//! infeasibility, a time limit without a plan), and `Err` when something stopped it;
//! `main` prints the error's cause chain and maps it to an exit code ([`exit`]).

mod check;
mod diff;
pub mod exit;
mod export;
mod generate;
mod import;
pub mod interrupt;
mod merge;
mod output;
mod price;
mod progress;
mod report;
mod scenario;
mod schema;
mod solve;
mod summary;
mod sweep;
mod validate;

use clap::{Parser, Subcommand};
pub use exit::Exit;

/// Plans where a municipality runs its IT: cheapest placement of services on cloud
/// offerings that keeps data where the law wants it and limits vendor lock-in.
#[derive(Parser)]
#[command(name = "sovplan", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compute the cheapest feasible plan and write it as JSON.
    Solve(solve::SolveArgs),
    /// What every rule costs: the optimum with each policy limit, each data class's
    /// restrictions, all data classes and all lock-in limits lifted in turn.
    Price(price::PriceArgs),
    /// Solve every combination of --vary values; one row per point with its Pareto status.
    Sweep(sweep::SweepArgs),
    /// Combine the shard files of one sweep into its report.
    Merge(merge::MergeArgs),
    /// What changes between two plans.
    Diff(diff::DiffArgs),
    /// Check a scenario and report all problems at once, or summarise it.
    Validate(validate::ValidateArgs),
    /// Verify a plan against its scenario without a solver.
    Check(check::CheckArgs),
    /// Write a scenario (deterministic for the same arguments): a synthetic one
    /// (`--services N --offerings M`) or one composed from service templates for many
    /// municipalities (`--from-templates FILE --municipalities N`).
    ///
    /// Composed mode: instance of template `t` in municipality `k` gets id `m{k}-{t}`,
    /// demands and traffic are scaled by a per-municipality size factor, dependencies
    /// are replicated per municipality, the `--shared` templates run once per state
    /// (`land{j}-{t}`) and all municipalities of the state depend on them, some
    /// placement groups run in the municipal data centre today (`--dc-*`), and the
    /// policy comes from the policy flags. The catalogue is `include`d by a path
    /// relative to the output file, never copied. Run it from the repository root: the
    /// command is recorded in the file's description as given.
    #[command(verbatim_doc_comment)]
    Generate(Box<generate::GenerateArgs>),
    /// Write a plan as one self-contained HTML report for a council or an IT
    /// committee (charts, dependency graph, tables; `--lang de` for German), or its
    /// dependency graph as Graphviz DOT (`--format dot`).
    Report(report::ReportArgs),
    /// Write a plan, or the JSON report of price, sweep, merge or diff, as an XLSX
    /// workbook (`-o FILE.xlsx`) or as CSV files in a directory (`-o DIR --format csv`).
    Export(export::ExportArgs),
    /// Write a scenario from a service inventory kept in a spreadsheet: CSV files of
    /// services (and dependencies), a catalogue to include and a policy. Written only
    /// if it passes `validate`; every problem is reported with file, line and column.
    Import(import::ImportArgs),
    /// Print the JSON Schema (draft 2020-12) of scenario or plan files, for editors:
    /// a scenario's `"$schema"` key may point at it.
    Schema(schema::SchemaArgs),
}

/// Runs the parsed command. A run that Ctrl-C cut short ends with
/// [`Exit::Interrupted`] whatever it wrote.
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    let exit = dispatch(cli)?;
    Ok(if interrupt::interrupted() {
        Exit::Interrupted
    } else {
        exit
    })
}

fn dispatch(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        Command::Solve(args) => solve::run(args),
        Command::Price(args) => price::run(args),
        Command::Sweep(args) => sweep::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Check(args) => check::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Report(args) => report::run(args),
        Command::Export(args) => export::run(args),
        Command::Import(args) => import::run(args),
        Command::Schema(args) => schema::run(args),
    }
}

//! `sovplan diff`: what changes between two plans.

use super::check::read_plan;
use super::exit::CliError;
use super::scenario::eur;
use super::{output, Exit};
use sovplan::analysis::diff::{diff, DiffReport};
use std::path::PathBuf;

/// Arguments of `sovplan diff`.
#[derive(clap::Args)]
pub struct DiffArgs {
    /// The plan to compare from (JSON written by `sovplan solve`).
    plan_a: PathBuf,
    /// The plan to compare to.
    plan_b: PathBuf,
    /// Where to write the report (default: standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Compare plans of different scenarios.
    #[arg(long)]
    force: bool,
}

/// Writes the difference B − A as flat JSON rows and a short summary on stderr.
pub fn run(args: DiffArgs) -> anyhow::Result<Exit> {
    if let Some(out) = &args.output {
        let plans = [args.plan_a.clone(), args.plan_b.clone()];
        output::preflight(out, &plans, "a plan compared")?;
    }
    let a = read_plan(&args.plan_a)?;
    let b = read_plan(&args.plan_b)?;
    if a.years.is_some() || b.years.is_some() {
        return Err(super::exit::usage(
            "diff does not compare roadmap plans yet (their years and schedules): compare single-period plans",
        )
        .into());
    }
    let report = diff(&a, &b, args.force).map_err(CliError::Usage)?;
    output::emit(args.output.as_deref(), &report.to_json())?;
    eprint!("{}", summary(&report));
    Ok(Exit::Success)
}

fn summary(d: &DiffReport) -> String {
    let mut out = format!(
        "B - A: total {} EUR, monthly {} EUR, one-off {} EUR; {} service(s) on another offering\n",
        eur(d.total_delta),
        eur(d.monthly_delta),
        eur(d.one_off_delta),
        d.services_moved
    );
    for p in d
        .providers
        .iter()
        .filter(|p| p.spend_delta != 0.0 || p.exit_cost_delta != 0.0)
    {
        out += &format!(
            "  {:<24} spend {:>12} EUR/month  share {:+.1} pp  exit {:>12} EUR\n",
            p.provider,
            eur(p.spend_delta),
            100.0 * p.share_delta,
            eur(p.exit_cost_delta)
        );
    }
    out
}

//! `sovplan check`: verifies a plan against its scenario without a solver.

use super::exit::{read_input, CliError};
use super::Exit;
use sovplan::format::read::parse_json;
use sovplan::plan::Plan;
use std::path::{Path, PathBuf};

/// Arguments of `sovplan check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// Scenario file (JSON).
    scenario: PathBuf,
    /// Plan file (JSON) written by `sovplan solve`.
    plan: PathBuf,
}

/// Prints every violation on standard output (exit 1), or a one-line confirmation.
pub fn run(args: CheckArgs) -> anyhow::Result<Exit> {
    let sc = sovplan::load_scenario(&args.scenario)?;
    let plan = read_plan(&args.plan)?;
    let violations = sovplan::check::check(&sc, &plan);
    if violations.is_empty() {
        println!(
            "plan is valid: {} services placed, total {:.2} EUR, monthly {:.2} EUR, every figure recomputed",
            plan.placements.len(),
            plan.total_cost,
            plan.monthly_cost
        );
        return Ok(Exit::Success);
    }
    for v in &violations {
        println!("{v}");
    }
    eprintln!("sovplan: the plan has {} violation(s)", violations.len());
    Ok(Exit::Failure)
}

/// Reads a plan file within the read limits (see [`read_input`]); a file that cannot
/// be read, or is JSON but not a plan, is exit 2.
pub fn read_plan(path: &Path) -> anyhow::Result<Plan> {
    let text = read_input(path, "the plan")?;
    parse_json(&text, &path.display().to_string()).map_err(|d| CliError::NotAPlan(d).into())
}

//! `sovplan validate`: every problem of a scenario at once, or a one-line summary.

use super::Exit;
use sovplan::instance::ServiceGraph;
use sovplan::Scenario;
use std::path::PathBuf;

/// Arguments of `sovplan validate`.
#[derive(clap::Args)]
pub struct ValidateArgs {
    /// Scenario file (JSON).
    scenario: PathBuf,
}

/// Prints the summary of a valid scenario; problems come back as the error.
pub fn run(args: ValidateArgs) -> anyhow::Result<Exit> {
    let sc = sovplan::load_scenario(&args.scenario)?;
    let g = ServiceGraph::build(&sc);
    println!(
        "scenario \"{}\" is valid: {} services in {} placement groups, {} dependencies, {} offerings from {} providers, {} data classes, horizon {} months{}",
        sc.name,
        sc.services.len(),
        g.groups.len(),
        sc.dependencies.len(),
        sc.offerings.len(),
        sc.providers.len(),
        sc.data_classes.len(),
        sc.policy.horizon_months,
        policy_text(&sc)
    );
    Ok(Exit::Success)
}

/// The limits the policy sets, as written in the file.
fn policy_text(sc: &Scenario) -> String {
    let parts: Vec<String> = sc
        .policy
        .limits()
        .iter()
        .map(|l| format!("{} {l}", l.kind().field()))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("; policy: {}", parts.join(", "))
    }
}

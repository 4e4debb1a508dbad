//! `sovplan validate`: every problem of a scenario at once, or a one-line summary.

use super::scenario::ScenarioArgs;
use super::Exit;
use sovplan::instance::{Instance, ServiceGraph};
use sovplan::Scenario;

/// Arguments of `sovplan validate`.
#[derive(clap::Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    input: ScenarioArgs,
}

/// Prints the summary of a valid scenario, and warns about services that no offering
/// may host (the scenario is valid, but no plan can exist); problems come back as the
/// error.
pub fn run(args: ValidateArgs) -> anyhow::Result<Exit> {
    let sc = args.input.load()?;
    warn_unplaceable(&sc);
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

/// Warnings on standard error for data classes no offering meets and services no
/// offering may host: the scenario is valid, but `solve` will find it infeasible.
fn warn_unplaceable(sc: &Scenario) {
    let Some(inf) = sovplan::explain::precheck(&Instance::new(sc.clone())) else {
        return;
    };
    for c in &inf.classes {
        let first = c.to_string();
        let headline = first.lines().next().unwrap_or_default();
        eprintln!("warning: {headline}");
    }
    for c in &inf.colocation {
        eprintln!("warning: {c}");
    }
    for u in &inf.unplaceable {
        eprintln!(
            "warning: service \"{}\" may run on no offering (solve explains why per offering)",
            u.service
        );
    }
}

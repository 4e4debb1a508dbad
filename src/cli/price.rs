//! `sovplan price`: what every rule of the scenario costs, as flat JSON rows, with a
//! ranking on stderr.

use super::scenario::{eur, BatchArgs, ScenarioArgs};
use super::{output, progress, Exit};
use sovplan::analysis::price::{price, PriceReport};
use sovplan::analysis::Status;
use sovplan::Instance;
use std::path::PathBuf;

/// Arguments of `sovplan price`.
#[derive(clap::Args)]
pub struct PriceArgs {
    #[command(flatten)]
    input: ScenarioArgs,
    /// Where to write the report (default: standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    batch: BatchArgs,
}

/// Writes the report; exit 3 when the scenario itself is infeasible (the rows then
/// show which lifted rule would make it feasible), 4 when the time limit left it
/// without a plan.
pub fn run(args: PriceArgs) -> anyhow::Result<Exit> {
    let (opts, jobs) = args.batch.options()?;
    if let Some(out) = &args.output {
        let inputs = output::scenario_files(&args.input.scenario);
        output::preflight(out, &inputs, output::SCENARIO_FILES)?;
    }
    let (live, ticker) = progress::start(progress::Kind::Batch, args.batch.quiet);
    let opts = sovplan::SolveOptions { live, ..opts };
    let sc = args.input.load()?;
    let mut report = price(&Instance::new(sc), &opts, jobs)?;
    drop(ticker);
    report.overrides = args.input.recorded();
    output::emit(args.output.as_deref(), &report.to_json())?;
    if !args.batch.quiet {
        eprint!("{}", summary(&report));
    }
    Ok(match report.status {
        Status::Optimal | Status::Feasible => Exit::Success,
        Status::Infeasible => Exit::Infeasible,
        Status::TimeLimit => Exit::TimeLimit,
    })
}

/// The rules ranked by price, in EUR and in % of the total.
fn summary(r: &PriceReport) -> String {
    let Some(total) = r.total_cost else {
        return format!(
            "{}: no plan with every rule in force ({:?}); total_without shows what lifting each rule allows\n",
            r.scenario, r.status
        );
    };
    let mut out = format!(
        "{}: {} EUR with every rule in force; what each rule costs (lifted alone, everything else kept):\n",
        r.scenario,
        eur(total)
    );
    let mut rows: Vec<_> = r.rules.iter().collect();
    rows.sort_by(|a, b| b.price.unwrap_or(-1.0).total_cmp(&a.price.unwrap_or(-1.0)));
    for row in rows {
        let name = if row.subject.is_empty() {
            row.rule.clone()
        } else {
            format!("{} {}", row.rule, row.subject)
        };
        let figures = match (row.price, row.services_moved) {
            (Some(p), Some(m)) => format!(
                "{:>14} EUR {:>6.2} %  {m} service{} move{}",
                eur(p),
                if total > 0.0 { 100.0 * p / total } else { 0.0 },
                if m == 1 { "" } else { "s" },
                if m == 1 { "s" } else { "" }
            ),
            _ => format!("{:?}", row.status),
        };
        let proven = if row.status == Status::Feasible {
            "  (not proven optimal)"
        } else {
            ""
        };
        out += &format!("  {name:<32} {figures}{proven}\n");
    }
    out
}

//! `sovplan sweep`: every point of the cartesian product of `--vary` values, one flat
//! row each with its Pareto status; `--shard` runs a part of it on a batch cluster.

use super::exit::CliError;
use super::scenario::{eur, BatchArgs, ScenarioArgs};
use super::{output, progress, Exit};
use sovplan::analysis::sweep::shard::ShardFile;
use sovplan::analysis::sweep::{report, to_json, PointResult, Shard, Sweep, Vary};
use sovplan::format::read::read_scenario;
use std::path::PathBuf;

/// Arguments of `sovplan sweep`.
#[derive(clap::Args)]
pub struct SweepArgs {
    #[command(flatten)]
    input: ScenarioArgs,
    /// A path to vary and its values: `PATH=V1,V2,...` or `PATH=FROM:TO:STEP`
    /// (repeatable; the first varies slowest).
    #[arg(long, value_name = "PATH=VALUES", required = true)]
    vary: Vec<String>,
    /// Where to write the report or shard file (default: standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Solve only shard K of N (`K/N`, the points with index = K-1 mod N) and write a
    /// shard file for `sovplan merge`; `auto` reads a Kubernetes Indexed Job or a Slurm
    /// job array from the environment.
    #[arg(long, value_name = "K/N|auto")]
    shard: Option<String>,
    /// The number of shards for `--shard auto` in a Kubernetes Indexed Job.
    #[arg(long, value_name = "N")]
    shards: Option<usize>,
    #[command(flatten)]
    batch: BatchArgs,
}

/// Writes the report (or the shard file); infeasible points are rows, not failures.
pub fn run(args: SweepArgs) -> anyhow::Result<Exit> {
    let (opts, jobs) = args.batch.options()?;
    if let Some(out) = &args.output {
        let inputs = output::scenario_files(&args.input.scenario);
        output::preflight(out, &inputs, output::SCENARIO_FILES)?;
    }
    let shard = match &args.shard {
        Some(spec) => {
            Some(Shard::parse(spec, args.shards, |k| std::env::var(k).ok()).map_err(diag)?)
        }
        None => None,
    };
    let varies = args
        .vary
        .iter()
        .map(|v| Vary::parse(v).map_err(diag))
        .collect::<Result<Vec<_>, _>>()?;
    let raw = read_scenario(&args.input.scenario).map_err(sovplan::Error::from)?;
    if raw.roadmap.is_some() {
        return Err(super::exit::usage(
            "sweep does not take roadmap scenarios yet: remove \"roadmap\" (and movable_from) to sweep one period",
        )
        .into());
    }
    let sweep = Sweep::new(raw, &args.input.overrides()?, varies)?;
    let t = std::time::Instant::now();
    let (live, ticker) = progress::start(progress::Kind::Batch, args.batch.quiet);
    let opts = sovplan::SolveOptions { live, ..opts };
    let results = sweep.run(shard.unwrap_or(Shard::WHOLE), &opts, jobs)?;
    drop(ticker);
    let text = match shard {
        Some(s) => {
            serde_json::to_string_pretty(&ShardFile::new(&sweep, s, results.clone()))? + "\n"
        }
        None => to_json(&report(
            &sweep.scenario,
            &sweep.hash,
            &sweep.overrides,
            &sweep.varies,
            &results,
        )),
    };
    output::emit(args.output.as_deref(), &text)?;
    if !args.batch.quiet {
        eprint!(
            "{}",
            summary(&sweep, &results, t.elapsed().as_secs_f64(), jobs)
        );
    }
    Ok(Exit::Success)
}

fn diag(d: sovplan::Diagnostic) -> CliError {
    CliError::Usage(d.to_string())
}

/// Points solved, feasible and not, and the cheapest point.
fn summary(sweep: &Sweep, results: &[PointResult], secs: f64, jobs: usize) -> String {
    let feasible: Vec<&PointResult> = results.iter().filter(|r| r.total_cost.is_some()).collect();
    let mut out = format!(
        "{}: {} of {} points solved in {secs:.1} s with {jobs} job(s): {} with a plan, {} without\n",
        sweep.scenario,
        results.len(),
        sweep.points.len(),
        feasible.len(),
        results.len() - feasible.len()
    );
    let cheapest = feasible.iter().min_by(|a, b| {
        a.total_cost
            .unwrap_or(0.0)
            .total_cmp(&b.total_cost.unwrap_or(0.0))
    });
    if let Some(c) = cheapest {
        let at: Vec<String> = sweep
            .varies
            .iter()
            .zip(&c.values)
            .map(|(v, x)| format!("{}={x}", v.path))
            .collect();
        out += &format!(
            "  cheapest: {} EUR at {}\n",
            eur(c.total_cost.unwrap_or(0.0)),
            at.join(" ")
        );
    }
    out
}

//! `sovplan solve`: the cheapest plan, checked, written as JSON, summarised on stderr.

use super::exit::{usage, CliError};
use super::scenario::ScenarioArgs;
use super::{output, summary, Exit};
use sovplan::{PlanOutcome, Scenario, SolveOptions, Solved};
use std::path::PathBuf;

/// Arguments of `sovplan solve`.
#[derive(clap::Args)]
pub struct SolveArgs {
    #[command(flatten)]
    input: ScenarioArgs,
    /// Where to write the plan (default: standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Stop after this many seconds and return the best plan found so far.
    #[arg(long, value_name = "SECS")]
    time_limit: Option<f64>,
    /// Relative optimality gap at which to stop.
    #[arg(long, value_name = "REL", default_value_t = 1e-6)]
    gap: f64,
    /// Solver threads (default: HiGHS chooses).
    #[arg(long, value_name = "N")]
    threads: Option<u32>,
    /// Show the HiGHS solver log on standard output (needs -o, so that the log and
    /// the plan do not mix).
    #[arg(long)]
    solver_log: bool,
    /// Pass an option to HiGHS, e.g. `--highs-option mip_heuristic_effort=0.2` (repeatable).
    #[arg(long, value_name = "NAME=VALUE")]
    highs_option: Vec<String>,
}

/// Solves; infeasibility (3) and a time limit without a plan (4) are outcomes, not errors.
pub fn run(args: SolveArgs) -> anyhow::Result<Exit> {
    let opts = options(&args)?;
    let sc = args.input.load()?;
    let mut solved = match sovplan::plan_scenario(&sc, &opts)? {
        PlanOutcome::Planned(s) => *s,
        PlanOutcome::Infeasible(inf) => {
            eprintln!("sovplan: no feasible plan exists:\n{inf}");
            return Ok(Exit::Infeasible);
        }
        PlanOutcome::NoPlanInTime(t) => {
            eprintln!("sovplan: the time limit of {t} s was reached before a feasible plan was found; raise --time-limit or relax the policy");
            return Ok(Exit::TimeLimit);
        }
    };
    solved.plan.overrides = args.input.recorded();
    self_check(&sc, &solved)?;
    output::emit(args.output.as_deref(), &solved.plan.to_json())?;
    eprint!("{}", summary::summary(&solved, &args.input.scenario));
    Ok(Exit::Success)
}

/// The solver options, after every usage check that needs no file.
fn options(args: &SolveArgs) -> Result<SolveOptions, CliError> {
    let mut highs_options = Vec::new();
    for kv in &args.highs_option {
        match kv.split_once('=') {
            Some((k, v)) if !k.is_empty() => highs_options.push((k.to_string(), v.to_string())),
            _ => return Err(usage("--highs-option takes NAME=VALUE")),
        }
    }
    if let Some(t) = args.time_limit {
        if !(t.is_finite() && t > 0.0) {
            return Err(usage("--time-limit must be a number of seconds > 0"));
        }
    }
    if !(args.gap.is_finite() && args.gap >= 0.0) {
        return Err(usage("--gap must be a relative gap >= 0, e.g. 0.001"));
    }
    if args.threads == Some(0) {
        return Err(usage("--threads must be at least 1"));
    }
    if args.solver_log && args.output.is_none() {
        // HiGHS prints its log on standard output, where the plan would go too.
        return Err(usage(
            "--solver-log needs -o PLAN: the log goes to standard output",
        ));
    }
    if let Some(out) = &args.output {
        if output::same_file(out, &args.input.scenario) {
            return Err(usage(
                "the output file is the scenario file; choose another -o path",
            ));
        }
    }
    Ok(SolveOptions {
        time_limit: args.time_limit,
        gap: args.gap,
        threads: args.threads,
        solver_log: args.solver_log,
        highs_options,
    })
}

/// The planner's own plan must pass the independent checker before anyone sees it.
fn self_check(sc: &Scenario, solved: &Solved) -> anyhow::Result<()> {
    let violations = sovplan::check::check(sc, &solved.plan);
    if violations.is_empty() {
        return Ok(());
    }
    for v in &violations {
        eprintln!("{v}");
    }
    anyhow::bail!("internal error: the computed plan failed its own check; please report this with the scenario")
}

//! `sovplan solve`: the cheapest plan, checked, written as JSON, summarised on stderr.

use super::exit::{usage, CliError};
use super::scenario::ScenarioArgs;
use super::{export, interrupt, output, progress, summary, Exit};
use sovplan::{PlanOutcome, Scenario, SolveOptions, Solved};
use std::path::PathBuf;

/// Arguments of `sovplan solve`.
#[derive(clap::Args)]
pub struct SolveArgs {
    #[command(flatten)]
    input: ScenarioArgs,
    /// Where to write the plan (default: standard output): JSON, or an XLSX workbook
    /// when the path ends in `.xlsx`.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Return within this many seconds (the whole command: reading, heuristic, solver,
    /// diagnosis, writing; overshoot at most 1 s + 5 %) with the best plan found.
    #[arg(long, value_name = "SECS", allow_negative_numbers = true)]
    time_limit: Option<f64>,
    /// Relative optimality gap at which to stop, in (0, 1); a plan stopped by a gap
    /// above the default is `feasible`, not `optimal`.
    #[arg(
        long,
        value_name = "REL",
        default_value_t = 1e-6,
        allow_negative_numbers = true
    )]
    gap: f64,
    /// Solver threads (default: HiGHS chooses; at most the machine's parallelism).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    threads: Option<i64>,
    /// Show the HiGHS solver log on standard output (needs -o, so that the log and
    /// the plan do not mix).
    #[arg(long)]
    solver_log: bool,
    /// Certified candidate pricing: solve the exact MILP over the offerings that can be
    /// in a better plan, as an LP bound proves (`auto`: from 400 services on).
    #[arg(long, value_name = "MODE", default_value = "auto", value_parser = ["auto", "on", "off"])]
    pricing: String,
    /// Pass an option to HiGHS, e.g. `--highs-option mip_heuristic_effort=0.2` (repeatable).
    #[arg(long, value_name = "NAME=VALUE")]
    highs_option: Vec<String>,
    /// No progress line and no summary on standard error (errors and warnings still are).
    #[arg(short, long)]
    quiet: bool,
    /// Also write the model's size, the timings and the peak memory of the run as JSON
    /// to this file (for benchmarks; never part of the plan, as timings vary).
    #[arg(long, value_name = "FILE")]
    stats: Option<PathBuf>,
}

/// Solves; infeasibility (3), a time limit without a plan (4) and Ctrl-C (130) are
/// outcomes, not errors.
pub fn run(args: SolveArgs) -> anyhow::Result<Exit> {
    // The time limit counts from here: reading and validating are part of the run.
    let started = std::time::Instant::now();
    let deadline = interrupt::deadline(args.time_limit);
    let opts = options(&args)?;
    if let Some(out) = &args.output {
        let inputs = output::scenario_files(&args.input.scenario);
        output::preflight(out, &inputs, output::SCENARIO_FILES)?;
    }
    // HiGHS's own log is its progress; the line would only interleave with it.
    let (live, ticker) = progress::start(progress::Kind::Search, args.quiet || args.solver_log);
    let opts = SolveOptions {
        deadline,
        live,
        ..opts
    };
    let sc = args.input.load()?;
    let outcome = sovplan::plan_scenario(&sc, &opts)?;
    drop(ticker);
    let mut solved = match outcome {
        PlanOutcome::Planned(s) => *s,
        PlanOutcome::Infeasible(inf) => {
            eprintln!("sovplan: no feasible plan exists:\n{inf}");
            return Ok(Exit::Infeasible);
        }
        PlanOutcome::NoPlanInTime(t) if opts.deadline.interrupted() => {
            eprintln!("sovplan: interrupted before a feasible plan was found (time limit {t} s)");
            return Ok(Exit::Interrupted);
        }
        PlanOutcome::NoPlanInTime(t) => {
            eprintln!("sovplan: the time limit of {t} s was reached before a feasible plan was found; raise --time-limit or relax the policy");
            return Ok(Exit::TimeLimit);
        }
    };
    solved.plan.overrides = args.input.recorded();
    self_check(&sc, &solved)?;
    match &args.output {
        Some(out) if export::is_xlsx(out) => {
            export::write_workbook(&sovplan::export::plan_tables(&solved.plan), out)?
        }
        out => output::emit(out.as_deref(), &solved.plan.to_json())?,
    }
    if let Some(path) = &args.stats {
        let wall = started.elapsed().as_secs_f64();
        output::write(path, &summary::stats_json(&sc, &solved, wall))?;
    }
    if !args.quiet {
        eprint!("{}", summary::summary(&solved, &args.input.scenario));
    }
    Ok(Exit::Success)
}

/// The solver options, after every usage check that needs no file.
fn options(args: &SolveArgs) -> Result<SolveOptions, CliError> {
    let mut highs_options = Vec::new();
    for kv in &args.highs_option {
        match kv.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                sovplan::milp::check_highs_option(k, v).map_err(|e| usage(e.to_string()))?;
                highs_options.push((k.to_string(), v.to_string()));
            }
            _ => return Err(usage("--highs-option takes NAME=VALUE")),
        }
    }
    super::scenario::check_time_limit(args.time_limit)?;
    if !(args.gap.is_finite() && args.gap > 0.0 && args.gap < 1.0) {
        return Err(usage(
            "--gap must be a relative gap between 0 and 1 (exclusive), e.g. 0.001",
        ));
    }
    let threads = args.threads.map(threads).transpose()?;
    if args
        .output
        .as_deref()
        .is_some_and(|o| export::has_extension(o, "csv"))
    {
        // A plan is several tables; one CSV file cannot hold them.
        return Err(usage(
            "a plan is several tables and cannot be one CSV file: use -o PLAN.xlsx, or -o PLAN.json and then `sovplan export PLAN.json -o DIR --format csv`",
        ));
    }
    if args.solver_log && args.output.is_none() {
        // HiGHS prints its log on standard output, where the plan would go too.
        return Err(usage(
            "--solver-log needs -o PLAN: the log goes to standard output",
        ));
    }
    Ok(SolveOptions {
        time_limit: args.time_limit,
        gap: args.gap,
        threads,
        pricing: args.pricing.parse().map_err(usage)?,
        solver_log: args.solver_log,
        highs_options,
        ..Default::default()
    })
}

/// `--threads N`, at least 1 and at most the machine's parallelism (more only slows
/// HiGHS down, and very large values make it fail to start its workers).
fn threads(n: i64) -> Result<u32, CliError> {
    if n < 1 {
        return Err(usage("--threads must be at least 1"));
    }
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let cores = u32::try_from(cores).unwrap_or(u32::MAX);
    if n > i64::from(cores) {
        eprintln!(
            "sovplan: warning: --threads {n} is more than this machine's {cores} hardware threads; using {cores}"
        );
        return Ok(cores);
    }
    Ok(n as u32)
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

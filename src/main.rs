//! Command-line front end: parses arguments, calls the library, maps outcomes to exit codes.

use anyhow::Context;
use clap::{Parser, Subcommand};
use sovplan::{check, plan::Plan, Error, SolveOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Plans where a municipality runs its IT: cheapest placement of services on cloud
/// offerings that keeps data where the law wants it and limits vendor lock-in.
#[derive(Parser)]
#[command(name = "sovplan", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compute the cheapest feasible plan and write it as JSON.
    Solve {
        /// Scenario file (JSON).
        scenario: PathBuf,
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
    },
    /// Check a scenario and report all problems at once, or summarise it.
    Validate {
        /// Scenario file (JSON).
        scenario: PathBuf,
    },
    /// Verify a plan against its scenario without a solver.
    Check {
        /// Scenario file (JSON).
        scenario: PathBuf,
        /// Plan file (JSON) written by `sovplan solve`.
        plan: PathBuf,
    },
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
    Generate(Box<GenerateArgs>),
}

/// Arguments of `sovplan generate` (boxed: they outweigh the other subcommands).
#[derive(clap::Args)]
struct GenerateArgs {
    /// Synthetic mode: number of services.
    #[arg(
        long,
        required_unless_present = "from_templates",
        conflicts_with = "from_templates"
    )]
    services: Option<usize>,
    /// Synthetic mode: number of offerings.
    #[arg(
        long,
        required_unless_present = "from_templates",
        conflicts_with = "from_templates"
    )]
    offerings: Option<usize>,
    /// Random seed (both modes).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write the scenario (default: standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Composed mode: the service-template file, e.g. models/services-municipal.json.
    #[arg(long, value_name = "FILE", requires = "municipalities")]
    from_templates: Option<PathBuf>,
    /// Composed mode: number of municipalities (or departments).
    #[arg(long, value_name = "N")]
    municipalities: Option<usize>,
    /// Composed mode: scenario name (default: the output file's stem).
    #[arg(long, requires = "from_templates")]
    name: Option<String>,
    /// Composed mode: the question the scenario answers (start of its description).
    #[arg(long, value_name = "TEXT", requires = "from_templates")]
    question: Option<String>,
    /// Composed mode: catalogue file to include (repeatable; default: providers.json
    /// and data-classes.json next to the template file).
    #[arg(long, value_name = "FILE", requires = "from_templates")]
    catalogue: Vec<PathBuf>,
    /// Composed mode: comma-separated templates run once per state and shared by its
    /// municipalities ("" for none).
    #[arg(
        long,
        value_name = "IDS",
        requires = "from_templates",
        default_value = "basis-bundid-connector,basis-epaybl,basis-fitconnect"
    )]
    shared: String,
    /// Composed mode: number of states (Länder) the municipalities are split into.
    #[arg(
        long,
        value_name = "K",
        default_value_t = 1,
        requires = "from_templates"
    )]
    states: usize,
    /// Composed mode: comma-separated templates every municipality runs (default: all).
    #[arg(long, value_name = "IDS", requires = "from_templates")]
    core: Option<String>,
    /// Composed mode: the first N municipalities run every template, not only --core
    /// (e.g. the county administration or the city's central office).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 0,
        requires = "from_templates"
    )]
    full: usize,
    /// Composed mode: size factor of those first --full municipalities (default: drawn).
    #[arg(long, value_name = "F", requires = "from_templates")]
    full_size: Option<f64>,
    /// Composed mode: smallest size factor (demand multiplier; 1.0 = template size,
    /// a town of about 30,000 inhabitants).
    #[arg(
        long,
        value_name = "F",
        default_value_t = 0.5,
        requires = "from_templates"
    )]
    size_min: f64,
    /// Composed mode: largest size factor (log-uniform between min and max).
    #[arg(
        long,
        value_name = "F",
        default_value_t = 2.0,
        requires = "from_templates"
    )]
    size_max: f64,
    /// Composed mode: the municipal data-centre offering where some services run today
    /// ("" for none).
    #[arg(
        long,
        value_name = "ID",
        default_value = "kommunal-rz-dc1",
        requires = "from_templates"
    )]
    dc_offering: String,
    /// Composed mode: probability that an eligible placement group runs in the data
    /// centre today.
    #[arg(
        long,
        value_name = "P",
        default_value_t = 0.3,
        requires = "from_templates"
    )]
    dc_share: f64,
    /// Composed mode: today's placements fill at most this fraction of the data
    /// centre's capacity.
    #[arg(
        long,
        value_name = "F",
        default_value_t = 0.9,
        requires = "from_templates"
    )]
    dc_fill: f64,
    /// Composed mode: multiplier on the generated migration and replatform costs.
    #[arg(
        long,
        value_name = "X",
        default_value_t = 1.0,
        requires = "from_templates"
    )]
    migration_scale: f64,
    /// Composed mode policy: planning horizon in months.
    #[arg(
        long,
        value_name = "MONTHS",
        default_value_t = 36.0,
        requires = "from_templates"
    )]
    horizon_months: f64,
    /// Composed mode policy: largest share of monthly cost any provider may bill.
    #[arg(long, value_name = "SHARE", requires = "from_templates")]
    max_provider_share: Option<f64>,
    /// Composed mode policy: fewest providers in use.
    #[arg(long, value_name = "N", requires = "from_templates")]
    min_providers: Option<f64>,
    /// Composed mode policy: largest share billed by CLOUD-Act-exposed providers.
    #[arg(long, value_name = "SHARE", requires = "from_templates")]
    max_cloud_act_share: Option<f64>,
    /// Composed mode policy: largest exit cost of any provider (EUR).
    #[arg(long, value_name = "EUR", requires = "from_templates")]
    max_exit_cost: Option<f64>,
    /// Composed mode policy: largest monthly cost (EUR).
    #[arg(long, value_name = "EUR", requires = "from_templates")]
    monthly_budget: Option<f64>,
}

const EXIT_VIOLATIONS: u8 = 1;
const EXIT_INVALID: u8 = 2;
const EXIT_INFEASIBLE: u8 = 3;
const EXIT_TIME_LIMIT: u8 = 4;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let code = match e.downcast_ref::<Error>() {
                Some(Error::Invalid(_)) | Some(Error::Io { .. }) => EXIT_INVALID,
                _ => EXIT_VIOLATIONS,
            };
            eprintln!("sovplan: {e:#}");
            ExitCode::from(code)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Solve {
            scenario,
            output,
            time_limit,
            gap,
            threads,
            solver_log,
            highs_option,
        } => {
            let mut highs_options = Vec::new();
            for kv in &highs_option {
                match kv.split_once('=') {
                    Some((k, v)) if !k.is_empty() => {
                        highs_options.push((k.to_string(), v.to_string()))
                    }
                    _ => return usage("--highs-option takes NAME=VALUE"),
                }
            }
            if let Some(t) = time_limit {
                if !(t.is_finite() && t > 0.0) {
                    return usage("--time-limit must be a number of seconds > 0");
                }
            }
            if !(gap.is_finite() && gap >= 0.0) {
                return usage("--gap must be a relative gap >= 0, e.g. 0.001");
            }
            if threads == Some(0) {
                return usage("--threads must be at least 1");
            }
            if solver_log && output.is_none() {
                // HiGHS prints its log on standard output, where the plan would go too.
                return usage("--solver-log needs -o PLAN: the log goes to standard output");
            }
            if let Some(out) = &output {
                if same_file(out, &scenario) {
                    return usage("the output file is the scenario file; choose another -o path");
                }
            }
            let sc = sovplan::load_scenario(&scenario)?;
            let opts = SolveOptions {
                time_limit,
                gap,
                threads,
                solver_log,
                highs_options,
            };
            let solved = match sovplan::plan_scenario(&sc, &opts)? {
                sovplan::PlanOutcome::Planned(s) => *s,
                sovplan::PlanOutcome::Infeasible(inf) => {
                    eprintln!("sovplan: no feasible plan exists:\n{inf}");
                    return Ok(EXIT_INFEASIBLE);
                }
                sovplan::PlanOutcome::NoPlanInTime(t) => {
                    eprintln!("sovplan: the time limit of {t} s was reached before a feasible plan was found; raise --time-limit or relax the policy");
                    return Ok(EXIT_TIME_LIMIT);
                }
            };
            // The planner's own plan must pass the independent checker before anyone sees it.
            let violations = check::check(&sc, &solved.plan);
            if !violations.is_empty() {
                for v in &violations {
                    eprintln!("{v}");
                }
                anyhow::bail!("internal error: the computed plan failed its own check; please report this with the scenario");
            }
            let json = solved.plan.to_json();
            match &output {
                Some(path) => write_atomic(path, &json)?,
                None => std::io::stdout().write_all(json.as_bytes())?,
            }
            eprint!("{}", summary(&solved));
            Ok(0)
        }
        Command::Validate { scenario } => {
            let sc = sovplan::load_scenario(&scenario)?;
            let g = sovplan::instance::ServiceGraph::build(&sc);
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
            Ok(0)
        }
        Command::Check { scenario, plan } => {
            let sc = sovplan::load_scenario(&scenario)?;
            let text = std::fs::read_to_string(&plan)
                .with_context(|| format!("cannot read the plan {}", plan.display()))?;
            let plan_value: Plan = match sovplan::format::read::parse_json(
                &text,
                &plan.display().to_string(),
            ) {
                Ok(p) => p,
                Err(d) => {
                    eprintln!(
                            "sovplan: not a sovplan plan: {} [{}]: {}\n    help: pass a file written by `sovplan solve -o`",
                            d.location, d.code, d.message
                        );
                    return Ok(EXIT_INVALID);
                }
            };
            let violations = check::check(&sc, &plan_value);
            if violations.is_empty() {
                println!(
                    "plan is valid: {} services placed, total {:.2} EUR, monthly {:.2} EUR, every figure recomputed",
                    plan_value.placements.len(),
                    plan_value.total_cost,
                    plan_value.monthly_cost
                );
                Ok(0)
            } else {
                for v in &violations {
                    println!("{v}");
                }
                eprintln!("sovplan: the plan has {} violation(s)", violations.len());
                Ok(EXIT_VIOLATIONS)
            }
        }
        Command::Generate(args) => {
            let GenerateArgs {
                services,
                offerings,
                seed,
                output,
                from_templates,
                municipalities,
                name,
                question,
                catalogue,
                shared,
                states,
                core,
                full,
                full_size,
                size_min,
                size_max,
                dc_offering,
                dc_share,
                dc_fill,
                migration_scale,
                horizon_months,
                max_provider_share,
                min_providers,
                max_cloud_act_share,
                max_exit_cost,
                monthly_budget,
            } = *args;
            let file = match from_templates {
                None => {
                    let (services, offerings) = (services.unwrap_or(0), offerings.unwrap_or(0));
                    if services == 0 || offerings == 0 {
                        return usage("--services and --offerings must be at least 1");
                    }
                    sovplan::generate::synthetic(services, offerings, seed)
                }
                Some(tpl_path) => {
                    let read = |p: &Path| -> anyhow::Result<sovplan::format::ScenarioFile> {
                        let text = std::fs::read_to_string(p)
                            .with_context(|| format!("cannot read {}", p.display()))?;
                        serde_json::from_str(&text).with_context(|| {
                            format!("{} is not a scenario/catalogue file", p.display())
                        })
                    };
                    let templates = read(&tpl_path)?;
                    let catalogue_paths = if catalogue.is_empty() {
                        let dir = tpl_path.parent().unwrap_or(Path::new(""));
                        vec![dir.join("providers.json"), dir.join("data-classes.json")]
                    } else {
                        catalogue.clone()
                    };
                    let cats = catalogue_paths
                        .iter()
                        .map(|p| read(p))
                        .collect::<anyhow::Result<Vec<_>>>()?;
                    // Include paths relative to the directory the output is written to.
                    let out_dir = match output.as_ref().and_then(|o| o.parent()) {
                        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                        _ => PathBuf::from("."),
                    };
                    let out_dir = out_dir.canonicalize().with_context(|| {
                        format!("output directory {} does not exist", out_dir.display())
                    })?;
                    let mut include = Vec::new();
                    for p in &catalogue_paths {
                        let abs = p
                            .canonicalize()
                            .with_context(|| format!("cannot resolve {}", p.display()))?;
                        include.push(sovplan::generate::relative_path(&out_dir, &abs));
                    }
                    let list = |s: &str| -> Vec<String> {
                        s.split(',')
                            .map(str::trim)
                            .filter(|x| !x.is_empty())
                            .map(String::from)
                            .collect()
                    };
                    let name = name.clone().unwrap_or_else(|| {
                        output
                            .as_ref()
                            .and_then(|o| o.file_stem())
                            .map(|s| s.to_string_lossy().into_owned())
                            .unwrap_or_else(|| "composed".into())
                    });
                    // The canonical command, every setting spelled out, recorded in the file.
                    let q = |s: &str| -> String {
                        if !s.is_empty()
                            && s.chars()
                                .all(|c| c.is_ascii_alphanumeric() || "-_./,=".contains(c))
                        {
                            s.to_string()
                        } else {
                            format!("'{}'", s.replace('\'', "'\\''"))
                        }
                    };
                    let mut cmd = format!(
                        "sovplan generate --from-templates {} --municipalities {} --seed {seed} --name {}",
                        q(&tpl_path.to_string_lossy()),
                        municipalities.unwrap_or(0),
                        q(&name)
                    );
                    if let Some(t) = &question {
                        cmd += &format!(" --question {}", q(t));
                    }
                    for c in &catalogue {
                        cmd += &format!(" --catalogue {}", q(&c.to_string_lossy()));
                    }
                    cmd += &format!(" --shared {} --states {states}", q(&shared));
                    if let Some(c) = &core {
                        cmd += &format!(" --core {}", q(c));
                    }
                    cmd += &format!(" --full {full}");
                    if let Some(f) = full_size {
                        cmd += &format!(" --full-size {f}");
                    }
                    cmd += &format!(
                        " --size-min {size_min} --size-max {size_max} --dc-offering {} --dc-share {dc_share} --dc-fill {dc_fill} --migration-scale {migration_scale} --horizon-months {horizon_months}",
                        q(&dc_offering)
                    );
                    for (flag, v) in [
                        ("max-provider-share", max_provider_share),
                        ("min-providers", min_providers),
                        ("max-cloud-act-share", max_cloud_act_share),
                        ("max-exit-cost", max_exit_cost),
                        ("monthly-budget", monthly_budget),
                    ] {
                        if let Some(v) = v {
                            cmd += &format!(" --{flag} {v}");
                        }
                    }
                    if let Some(o) = &output {
                        cmd += &format!(" -o {}", q(&o.to_string_lossy()));
                    }
                    let opts = sovplan::generate::ComposeOptions {
                        name,
                        question: question.clone(),
                        command: Some(cmd),
                        municipalities: municipalities.unwrap_or(0),
                        seed,
                        include,
                        shared: list(&shared),
                        states,
                        core: core.as_deref().map(list),
                        full,
                        size_min,
                        size_max,
                        full_size,
                        dc_offering: (!dc_offering.is_empty()).then_some(dc_offering.clone()),
                        dc_share,
                        dc_fill,
                        migration_scale,
                        policy: sovplan::format::PolicyDef {
                            horizon_months: Some(horizon_months),
                            max_provider_share,
                            min_providers,
                            max_cloud_act_share,
                            max_exit_cost,
                            monthly_budget,
                        },
                    };
                    match sovplan::generate::from_templates(&templates, &cats, &opts) {
                        Ok(f) => f,
                        Err(e) => return usage(&e),
                    }
                }
            };
            let mut json = serde_json::to_string_pretty(&file)?;
            json.push('\n');
            match &output {
                Some(path) => write_atomic(path, &json)?,
                None => std::io::stdout().write_all(json.as_bytes())?,
            }
            Ok(0)
        }
    }
}

fn usage(msg: &str) -> anyhow::Result<u8> {
    eprintln!("sovplan: {msg}");
    Ok(EXIT_INVALID)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Writes through a temporary file in the same directory and renames it into place,
/// so that an interrupted run never leaves a half-written plan.
fn write_atomic(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .with_context(|| format!("{} is not a file path", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write {}", path.display()))
}

fn policy_text(sc: &sovplan::Scenario) -> String {
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

fn summary(s: &sovplan::Solved) -> String {
    let p = &s.plan;
    let st = &s.stats;
    let mut out = format!(
        "{}: {}, total {:.2} EUR over {} months (monthly {:.2}, one-off {:.2}), gap {:.4}%\n",
        p.scenario,
        match p.status {
            sovplan::plan::PlanStatus::Optimal => "optimal",
            sovplan::plan::PlanStatus::Feasible => "feasible (time limit; not proven optimal)",
        },
        p.total_cost,
        p.horizon_months,
        p.monthly_cost,
        p.one_off_cost,
        p.gap * 100.0
    );
    for r in p.providers.iter().filter(|r| r.services > 0) {
        out += &format!(
            "  {:<24} {:>5.1}%  {:>10.2} EUR/month  {:>4} services  exit {:.2}{}\n",
            r.provider,
            r.share * 100.0,
            r.spend,
            r.services,
            r.exit_cost,
            if r.cloud_act_exposed {
                "  (CLOUD Act)"
            } else {
                ""
            }
        );
    }
    let binding: Vec<String> = p
        .limits
        .iter()
        .filter(|l| l.binding)
        .map(|l| {
            if l.subject.is_empty() {
                format!("{} ({})", l.limit, l.bound)
            } else {
                format!("{} {} ({})", l.limit, l.subject, l.bound)
            }
        })
        .collect();
    out += &format!(
        "  binding limits: {}\n",
        if binding.is_empty() {
            "none".to_string()
        } else {
            binding.join(", ")
        }
    );
    out += &format!(
        "  model: {} groups, {} variables ({} binary), {} constraints; build {:.3} s, solve {:.3} s, {} simplex iterations\n",
        st.groups, st.variables, st.binaries, st.constraints, st.build_seconds, st.solve_seconds, st.lp_iterations
    );
    if let Some(h) = st.heuristic_total {
        out += &format!(
            "  start plan from the construction heuristic: {:.2} EUR ({:.3} s), {:.2} % above the plan\n",
            h,
            st.heuristic_seconds,
            if p.total_cost > 0.0 && (h - p.total_cost).abs() >= 0.005 {
                100.0 * (h / p.total_cost - 1.0)
            } else {
                0.0
            }
        );
    }
    out
}

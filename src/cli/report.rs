//! `sovplan report`: the plan as one self-contained HTML page for a council or an IT
//! committee, or its dependency graph as Graphviz DOT.

use super::check::read_plan;
use super::exit::usage;
use super::{output, Exit};
use sovplan::report::{Lang, Report};
use std::path::PathBuf;

/// The language of the report's texts.
#[derive(Clone, Copy, clap::ValueEnum)]
enum LangArg {
    /// German.
    De,
    /// English.
    En,
}

/// What to write.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// The HTML report (inline CSS and SVG; opens offline).
    Html,
    /// The dependency graph as Graphviz DOT (render with `dot -Tsvg`).
    Dot,
}

/// Arguments of `sovplan report`.
#[derive(clap::Args)]
pub struct ReportArgs {
    /// Plan file (JSON) written by `sovplan solve`.
    plan: PathBuf,
    /// The plan's scenario: adds the policy's caps, the providers' headquarters and the
    /// independent check's verdict (`sovplan check`) to the report.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Language of the texts and number formats.
    #[arg(long, value_enum, default_value = "en")]
    lang: LangArg,
    /// `html`: the report; `dot`: the dependency graph only, as Graphviz DOT.
    #[arg(long, value_enum, default_value = "html")]
    format: Format,
    /// Where to write it (default: standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// Writes the report (exit 0 also when the check finds violations: the report shows
/// them; `sovplan check` is the command whose exit code says so).
pub fn run(args: ReportArgs) -> anyhow::Result<Exit> {
    if let Some(out) = &args.output {
        let mut inputs = vec![args.plan.clone()];
        if let Some(sc) = &args.scenario {
            inputs.extend(output::scenario_files(sc));
        }
        output::preflight(out, &inputs, "the plan, the scenario or a file it includes")?;
    }
    let plan = read_plan(&args.plan)?;
    let scenario = match &args.scenario {
        Some(path) => Some(sovplan::load_scenario(path)?),
        None => None,
    };
    let report = match &scenario {
        Some(sc) if sc.name != plan.scenario => {
            return Err(usage(format!(
                "the plan is for scenario \"{}\", but {} is \"{}\"",
                plan.scenario,
                args.scenario
                    .as_ref()
                    .map_or(String::new(), |p| p.display().to_string()),
                sc.name
            ))
            .into())
        }
        Some(sc) => Report::with_scenario(&plan, sc),
        None => Report::new(&plan),
    };
    let lang = match args.lang {
        LangArg::De => Lang::De,
        LangArg::En => Lang::En,
    };
    let text = match args.format {
        Format::Html => report.html(lang),
        Format::Dot => report.dot(lang),
    };
    output::emit(args.output.as_deref(), &text)?;
    if let Some(v) = report.violations.as_ref().filter(|v| !v.is_empty()) {
        eprintln!(
            "sovplan: the plan has {} violation(s) against its scenario; the report lists them",
            v.len()
        );
    }
    Ok(Exit::Success)
}

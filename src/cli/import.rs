//! `sovplan import`: a service inventory kept in a spreadsheet (CSV) becomes a
//! scenario file that includes a catalogue. The scenario is written only if it passes
//! `validate`; otherwise every problem is reported, with file, line and column for
//! the CSV rows.

use super::export::LocaleArg;
use super::{generate, output, Exit};
use sovplan::export::Locale;
use sovplan::format::import::{
    import_scenario, read_policy, read_roadmap, scenario_json, CsvSource, ImportOptions,
};
use std::path::{Path, PathBuf};

/// Arguments of `sovplan import`.
#[derive(clap::Args)]
pub struct ImportArgs {
    /// Services, one per row; columns named like the scenario's service fields
    /// (`id, name, data_class, vcpu, ram_gb, storage_gb, egress_gb_month,
    /// current_offering, migration_cost, replatform_cost, allowed_offerings,
    /// forbidden_offerings, movable_from`; lists separated by `|`).
    #[arg(long, value_name = "FILE.csv")]
    services: PathBuf,
    /// Dependencies, one per row: `from, to, traffic_gb_month, colocate`.
    #[arg(long, value_name = "FILE.csv")]
    dependencies: Option<PathBuf>,
    /// A catalogue (providers, offerings, data classes) the scenario includes, by a
    /// path relative to the output file (repeatable).
    #[arg(long, value_name = "CATALOGUE.json")]
    include: Vec<PathBuf>,
    /// A JSON file holding one policy object (the fields of a scenario's `policy`).
    #[arg(long, value_name = "FILE.json")]
    policy: Option<PathBuf>,
    /// A JSON file holding one roadmap object (the fields of a scenario's `roadmap`:
    /// start_year, years, yearly limits, policy_from); needed for `movable_from`.
    #[arg(long, value_name = "FILE.json")]
    roadmap: Option<PathBuf>,
    /// The scenario's name (default: the output file's name without `.json`).
    #[arg(long)]
    name: Option<String>,
    /// Fix separator and decimal mark: `en` (`,` and `1234.5`) or `de` (`;` and
    /// `1234,5`). Default: detected per file.
    #[arg(long, value_enum)]
    locale: Option<LocaleArg>,
    /// The scenario file to write.
    #[arg(short, long, value_name = "SCENARIO.json")]
    output: PathBuf,
}

/// Writes the scenario, or reports every problem (exit 2) and writes nothing.
pub fn run(args: ImportArgs) -> anyhow::Result<Exit> {
    let out = &args.output;
    output::preflight(out, &inputs(&args), "a file imported")?;
    let services = source(&args.services)?;
    let dependencies = args.dependencies.as_deref().map(source).transpose()?;
    let mut problems = Vec::new();
    let policy = match args.policy.as_deref().map(read_policy).transpose() {
        Ok(p) => p,
        Err(d) => {
            problems.push(d);
            None
        }
    };
    let roadmap = match args.roadmap.as_deref().map(read_roadmap).transpose() {
        Ok(r) => r,
        Err(d) => {
            problems.push(d);
            None
        }
    };
    let opts = ImportOptions {
        name: args.name.clone().unwrap_or_else(|| stem(out)),
        include: generate::include_paths(&args.include, Some(out))?,
        policy,
        roadmap,
        locale: args.locale.map(Locale::from),
        label: out.display().to_string(),
        base_dir: out_dir(out),
    };
    match import_scenario(&services, dependencies.as_ref(), &opts) {
        Ok(file) if problems.is_empty() => {
            output::write(out, &scenario_json(&file))?;
            eprintln!(
                "sovplan: {} service(s) and {} dependenc{} imported into {} (valid)",
                file.services.len(),
                file.dependencies.len(),
                if file.dependencies.len() == 1 {
                    "y"
                } else {
                    "ies"
                },
                out.display()
            );
            Ok(Exit::Success)
        }
        Ok(_) => Err(sovplan::Error::from(problems).into()),
        Err(more) => {
            problems.extend(more);
            Err(sovplan::Error::from(problems).into())
        }
    }
}

/// Every file the command reads: the output must be none of them.
fn inputs(args: &ImportArgs) -> Vec<PathBuf> {
    let mut files = vec![args.services.clone()];
    files.extend(args.dependencies.iter().cloned());
    files.extend(args.policy.iter().cloned());
    files.extend(args.roadmap.iter().cloned());
    for inc in &args.include {
        files.extend(output::scenario_files(inc));
    }
    files
}

fn source(path: &Path) -> anyhow::Result<CsvSource> {
    let bytes =
        sovplan::format::read::read_bytes(path).map_err(|d| sovplan::Error::from(vec![d]))?;
    Ok(CsvSource {
        label: path.display().to_string(),
        bytes,
    })
}

fn stem(out: &Path) -> String {
    out.file_stem()
        .map_or_else(|| "imported".into(), |s| s.to_string_lossy().into_owned())
}

fn out_dir(out: &Path) -> PathBuf {
    match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

//! `sovplan generate`: the clap arguments, the command-line to [`ComposeOptions`]
//! mapping, and the canonical command recorded in a composed scenario.

use super::exit::usage;
use super::{output, Exit};
use anyhow::Context;
use sovplan::format::read::read_file;
use sovplan::format::{PolicyDef, ScenarioFile};
use sovplan::generate::{self, relative_path, ComposeOptions};
use sovplan::model::LimitKind;
use std::path::{Path, PathBuf};

/// Arguments of `sovplan generate` (boxed: they outweigh the other subcommands).
#[derive(clap::Args)]
pub struct GenerateArgs {
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
    /// Both modes: add a roadmap of N planning years (1 to 20): a CLOUD-Act share
    /// falling to 0 in the final year, a moves-per-year limit with room to spare, and
    /// contract ends (`movable_from`) on some services that run somewhere today.
    #[arg(long, value_name = "N")]
    roadmap_years: Option<u32>,
    /// The roadmap's first year (default: next calendar year, UTC).
    #[arg(long, value_name = "YEAR", requires = "roadmap_years")]
    roadmap_start: Option<i64>,
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
    /// Composed mode: the policy written into the scenario.
    #[command(flatten)]
    policy: PolicyArgs,
}

/// The policy flags of composed mode.
#[derive(clap::Args)]
struct PolicyArgs {
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

impl PolicyArgs {
    /// The flag of a limit kind and its value, if given. Exhaustive, so that a new
    /// limit kind does not compile until it has a flag.
    fn limit(&self, kind: LimitKind) -> (&'static str, Option<f64>) {
        match kind {
            LimitKind::ProviderShare => ("max-provider-share", self.max_provider_share),
            LimitKind::MinProviders => ("min-providers", self.min_providers),
            LimitKind::CloudActShare => ("max-cloud-act-share", self.max_cloud_act_share),
            LimitKind::ExitCost => ("max-exit-cost", self.max_exit_cost),
            LimitKind::Budget => ("monthly-budget", self.monthly_budget),
        }
    }

    fn to_def(&self) -> PolicyDef {
        generate::policy_def(self.horizon_months, |kind| self.limit(kind).1)
    }
}

/// Writes a synthetic or a composed scenario.
pub fn run(args: Box<GenerateArgs>) -> anyhow::Result<Exit> {
    let roadmap = roadmap_years(&args)?;
    let mut file = match &args.from_templates {
        None => synthetic(&args)?,
        Some(templates) => composed(&args, templates)?,
    };
    if let Some((start, years)) = roadmap {
        generate::add_roadmap(&mut file, start, years, args.seed);
    }
    let mut json = serde_json::to_string_pretty(&file)?;
    json.push('\n');
    output::emit(args.output.as_deref(), &json)?;
    Ok(Exit::Success)
}

/// `--roadmap-years` and its first year, checked before any work.
fn roadmap_years(args: &GenerateArgs) -> anyhow::Result<Option<(i64, u32)>> {
    let Some(years) = args.roadmap_years else {
        return Ok(None);
    };
    if !(1..=20).contains(&years) {
        return Err(usage("--roadmap-years must be 1 to 20").into());
    }
    let start = args.roadmap_start.unwrap_or_else(next_year);
    if !(1..=9999).contains(&start) {
        return Err(usage("--roadmap-start must be a year from 1 to 9999").into());
    }
    Ok(Some((start, years)))
}

/// The calendar year after today's (UTC), from the system clock.
fn next_year() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    year_of_day((secs / 86_400) as i64) + 1
}

/// The proleptic Gregorian year of day `days` since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, reduced to the year).
fn year_of_day(days: i64) -> i64 {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // March-based years: January and February belong to the next year.
    yoe + era * 400 + i64::from(mp >= 10)
}

fn synthetic(args: &GenerateArgs) -> anyhow::Result<ScenarioFile> {
    let (services, offerings) = (args.services.unwrap_or(0), args.offerings.unwrap_or(0));
    if services == 0 || offerings == 0 {
        return Err(usage("--services and --offerings must be at least 1").into());
    }
    Ok(generate::synthetic(services, offerings, args.seed))
}

/// Reads templates and catalogue with the scenario reader's diagnostics (exit 2 when
/// broken), then composes.
fn composed(args: &GenerateArgs, templates: &Path) -> anyhow::Result<ScenarioFile> {
    let catalogue = catalogue_paths(args, templates);
    let inputs: Vec<PathBuf> = catalogue
        .iter()
        .cloned()
        .chain([templates.into()])
        .collect();
    if let Some(out) = &args.output {
        output::refuse_inputs(out, &inputs, "a catalogue or template file read")?;
    }
    let model = generate::read_catalogue(&inputs).map_err(sovplan::Error::from)?;
    let template_file = read_file(templates).map_err(|d| sovplan::Error::from(vec![d]))?;
    let include = include_paths(&catalogue, args.output.as_deref())?;
    let opts = compose_options(args, templates, include);
    generate::from_templates(&template_file, &model, &opts).map_err(|e| usage(e).into())
}

/// `--catalogue`, or `providers.json` and `data-classes.json` next to the templates.
fn catalogue_paths(args: &GenerateArgs, templates: &Path) -> Vec<PathBuf> {
    if !args.catalogue.is_empty() {
        return args.catalogue.clone();
    }
    let dir = templates.parent().unwrap_or(Path::new(""));
    vec![dir.join("providers.json"), dir.join("data-classes.json")]
}

/// The catalogue's paths relative to the directory the output is written to (also
/// used by `import`).
pub(super) fn include_paths(
    catalogue: &[PathBuf],
    output: Option<&Path>,
) -> anyhow::Result<Vec<String>> {
    let out_dir = match output.and_then(|o| o.parent()) {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let out_dir = out_dir
        .canonicalize()
        .with_context(|| format!("output directory {} does not exist", out_dir.display()))?;
    let mut include = Vec::new();
    for p in catalogue {
        let abs = p
            .canonicalize()
            .with_context(|| format!("cannot resolve {}", p.display()))?;
        include.push(relative_path(&out_dir, &abs));
    }
    Ok(include)
}

fn compose_options(args: &GenerateArgs, templates: &Path, include: Vec<String>) -> ComposeOptions {
    let list = |s: &str| -> Vec<String> {
        s.split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect()
    };
    let name = args.name.clone().unwrap_or_else(|| {
        (args.output.as_ref())
            .and_then(|o| o.file_stem())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "composed".into())
    });
    ComposeOptions {
        command: Some(canonical_command(args, templates, &name)),
        name,
        question: args.question.clone(),
        municipalities: args.municipalities.unwrap_or(0),
        seed: args.seed,
        include,
        shared: list(&args.shared),
        states: args.states,
        core: args.core.as_deref().map(list),
        full: args.full,
        size_min: args.size_min,
        size_max: args.size_max,
        full_size: args.full_size,
        dc_offering: (!args.dc_offering.is_empty()).then(|| args.dc_offering.clone()),
        dc_share: args.dc_share,
        dc_fill: args.dc_fill,
        migration_scale: args.migration_scale,
        policy: args.policy.to_def(),
    }
}

/// The command with every setting spelled out, in a fixed order, recorded in the file
/// so that it can be regenerated byte for byte.
fn canonical_command(args: &GenerateArgs, templates: &Path, name: &str) -> String {
    let path = |p: &Path| quote(&p.to_string_lossy());
    let mut flags: Vec<(&str, String)> = vec![
        ("--from-templates", path(templates)),
        (
            "--municipalities",
            args.municipalities.unwrap_or(0).to_string(),
        ),
        ("--seed", args.seed.to_string()),
        ("--name", quote(name)),
    ];
    flags.extend(args.question.iter().map(|t| ("--question", quote(t))));
    flags.extend(args.catalogue.iter().map(|c| ("--catalogue", path(c))));
    flags.push(("--shared", quote(&args.shared)));
    flags.push(("--states", args.states.to_string()));
    flags.extend(args.core.iter().map(|c| ("--core", quote(c))));
    flags.push(("--full", args.full.to_string()));
    flags.extend(args.full_size.map(|f| ("--full-size", f.to_string())));
    flags.extend([
        ("--size-min", args.size_min.to_string()),
        ("--size-max", args.size_max.to_string()),
        ("--dc-offering", quote(&args.dc_offering)),
        ("--dc-share", args.dc_share.to_string()),
        ("--dc-fill", args.dc_fill.to_string()),
        ("--migration-scale", args.migration_scale.to_string()),
        ("--horizon-months", args.policy.horizon_months.to_string()),
    ]);
    let mut cmd = String::from("sovplan generate");
    for (flag, value) in flags {
        cmd += &format!(" {flag} {value}");
    }
    for kind in LimitKind::ALL {
        if let (flag, Some(v)) = args.policy.limit(kind) {
            cmd += &format!(" --{flag} {v}");
        }
    }
    // The start year is spelled out, so that the command gives the same file in
    // another year.
    if let Ok(Some((start, years))) = roadmap_years(args) {
        cmd += &format!(" --roadmap-years {years} --roadmap-start {start}");
    }
    if let Some(o) = &args.output {
        cmd += &format!(" -o {}", path(o));
    }
    cmd
}

/// `s` as one shell word: unquoted when it is safe, otherwise in single quotes.
fn quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./,=".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::{quote, year_of_day};

    #[test]
    fn years_of_days_since_1970() {
        assert_eq!(year_of_day(0), 1970);
        assert_eq!(year_of_day(-1), 1969);
        // 2026-12-31 and 2027-01-01.
        assert_eq!(year_of_day(20_818), 2026);
        assert_eq!(year_of_day(20_819), 2027);
        // 2024-02-29 and 2000-03-01.
        assert_eq!(year_of_day(19_782), 2024);
        assert_eq!(year_of_day(11_017), 2000);
    }

    #[test]
    fn quote_leaves_plain_words_and_single_quotes_the_rest() {
        assert_eq!(quote("models/x.json"), "models/x.json");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("it's"), "'it'\\''s'");
    }
}

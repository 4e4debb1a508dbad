//! The scenario argument every planning command takes, with its `--set` overrides.

use sovplan::{Override, Scenario};
use std::path::PathBuf;

/// A scenario file and the `--set PATH=VALUE` what-ifs applied to it.
#[derive(clap::Args)]
pub struct ScenarioArgs {
    /// Scenario file (JSON).
    pub scenario: PathBuf,
    /// Override a field of the merged scenario, e.g. `--set policy.max_provider_share=0.3`,
    /// `--set policy.monthly_budget=none`, `--set data_classes.sozialdaten.allowed_countries=DE,AT`,
    /// `--set offerings.stackit-eu01.prices.vcpu_month=25` (repeatable; see the README).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

impl ScenarioArgs {
    /// The parsed overrides; all malformed ones are reported together (exit 2).
    pub fn overrides(&self) -> Result<Vec<Override>, sovplan::Error> {
        let (ok, bad): (Vec<_>, Vec<_>) = self
            .set
            .iter()
            .map(|s| Override::parse(s))
            .partition(Result::is_ok);
        if !bad.is_empty() {
            return Err(bad
                .into_iter()
                .filter_map(Result::err)
                .collect::<Vec<_>>()
                .into());
        }
        Ok(ok.into_iter().filter_map(Result::ok).collect())
    }

    /// The validated scenario with its overrides applied.
    pub fn load(&self) -> Result<Scenario, sovplan::Error> {
        sovplan::load_scenario_with(&self.scenario, &self.overrides()?)
    }

    /// The overrides as the reports record them (`PATH=VALUE`).
    pub fn recorded(&self) -> Vec<String> {
        self.overrides()
            .map(|o| o.iter().map(ToString::to_string).collect())
            .unwrap_or_default()
    }
}

/// The options of the analyses that run many solves (`price`, `sweep`).
#[derive(clap::Args)]
pub struct BatchArgs {
    /// Seconds per solve; a point stopped by it reports its best plan as `feasible`.
    /// HiGHS is asked to stop then, but may overshoot in its presolve; a bound that
    /// holds is --total-time-limit.
    #[arg(long, value_name = "SECS", allow_negative_numbers = true)]
    pub time_limit: Option<f64>,
    /// Return within this many seconds in all (overshoot at most 1 s + 5 %): solves
    /// still running are stopped with their best plan (`feasible`), points not started
    /// by then report `time_limit`.
    #[arg(long, value_name = "SECS", allow_negative_numbers = true)]
    pub total_time_limit: Option<f64>,
    /// Solves run in parallel, each with one HiGHS thread (default: the machine's
    /// cores). The output does not depend on it.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// No progress line and no summary on standard error (errors and warnings still are).
    #[arg(short, long)]
    pub quiet: bool,
}

impl BatchArgs {
    /// The solver options and the number of jobs, after the usage checks.
    pub fn options(&self) -> Result<(sovplan::SolveOptions, usize), super::exit::CliError> {
        check_time_limit(self.time_limit)?;
        if self
            .total_time_limit
            .is_some_and(|t| !(t.is_finite() && t > 0.0))
        {
            return Err(super::exit::usage(
                "--total-time-limit must be a number of seconds > 0",
            ));
        }
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let jobs = match self.jobs {
            Some(0) => return Err(super::exit::usage("--jobs must be at least 1")),
            Some(n) if n > cores => {
                // Each job runs a solve; more jobs than hardware threads only slow
                // every solve down, and very many fail to start.
                eprintln!("sovplan: warning: --jobs {n} is more than this machine's {cores} hardware threads; using {cores}");
                cores
            }
            Some(n) => n,
            None => cores,
        };
        let opts = sovplan::SolveOptions {
            time_limit: self.time_limit,
            deadline: super::interrupt::deadline(self.total_time_limit),
            ..Default::default()
        };
        Ok((opts, jobs))
    }
}

/// `--time-limit`, if given, must be a positive number of seconds.
pub fn check_time_limit(t: Option<f64>) -> Result<(), super::exit::CliError> {
    match t {
        Some(t) if !(t.is_finite() && t > 0.0) => Err(super::exit::usage(
            "--time-limit must be a number of seconds > 0",
        )),
        _ => Ok(()),
    }
}

/// EUR with thousands separators and cents, e.g. `19,806,917.74`.
pub fn eur(x: f64) -> String {
    let s = format!("{:.2}", x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 && s != "0.00" { "-" } else { "" };
    format!("{sign}{grouped}.{frac}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn eur_groups_thousands() {
        assert_eq!(super::eur(19_806_917.744), "19,806,917.74");
        assert_eq!(super::eur(5.0), "5.00");
        assert_eq!(super::eur(-1234.5), "-1,234.50");
        assert_eq!(super::eur(999.999), "1,000.00");
    }
}

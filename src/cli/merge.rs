//! `sovplan merge`: shard files of one sweep combined into the sweep's report.

use super::exit::{read_input, CliError};
use super::{output, Exit};
use sovplan::analysis::sweep::shard::{merge, ShardFile};
use sovplan::analysis::sweep::to_json;
use sovplan::format::read::parse_json;
use std::path::PathBuf;

/// Arguments of `sovplan merge`.
#[derive(clap::Args)]
pub struct MergeArgs {
    /// Shard files written by `sovplan sweep --shard`.
    #[arg(required = true)]
    parts: Vec<PathBuf>,
    /// Where to write the report (default: standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// Writes exactly the report the unsharded sweep writes; refuses parts of different
/// sweeps and missing or duplicated points (exit 2).
pub fn run(args: MergeArgs) -> anyhow::Result<Exit> {
    if let Some(out) = &args.output {
        output::preflight(out, &args.parts, "a shard file merged")?;
    }
    let mut parts = Vec::new();
    for p in &args.parts {
        let text = read_input(p, "the shard file")?;
        let part: ShardFile = parse_json(&text, &p.display().to_string()).map_err(|d| {
            CliError::Usage(format!("{} is not a sweep shard file: {d}", p.display()))
        })?;
        parts.push(part);
    }
    let n = parts.len();
    let merged = merge(parts).map_err(CliError::Usage)?;
    output::emit(args.output.as_deref(), &to_json(&merged))?;
    let points = merged["points"].as_array().map_or(0, Vec::len);
    eprintln!("merged {n} shard file(s): {points} points");
    Ok(Exit::Success)
}

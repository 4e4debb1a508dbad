//! The scaling ladder: generated scenarios from 50 to 50,000 services at 12 and 24
//! offerings, and the shipped scenarios, each solved by the release binary in a process
//! of its own (so that peak memory is the solve's own and a solve given up on cannot
//! slow the next one down). A report, not a timed test: nothing asserts a time.
//!
//! ```sh
//! cargo bench --bench ladder                          # quick: up to 1,000 services, 60 s each
//! SOVPLAN_LADDER=full cargo bench --bench ladder      # up to 50,000 services, 600 s each
//! SOVPLAN_LADDER_FILTER=5000x24 cargo bench --bench ladder
//! SOVPLAN_LADDER_TIME=120 cargo bench --bench ladder  # seconds per solve
//! ```
//!
//! Per rung: wall time of the whole command, heuristic/build/HiGHS times, model size,
//! status, gap (and what it is measured against), peak resident memory. The table is
//! printed and saved to `target/ladder/latest.json`; the run before it is kept as
//! `previous.json` and every rung is compared with it (wall-time ratio, status).

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const QUICK: &[(usize, usize)] = &[
    (50, 12),
    (200, 12),
    (400, 12),
    (400, 24),
    (1000, 12),
    (1000, 24),
];
const FULL: &[(usize, usize)] = &[
    (50, 12),
    (50, 24),
    (200, 12),
    (200, 24),
    (400, 12),
    (400, 24),
    (1000, 12),
    (1000, 24),
    (2000, 12),
    (2000, 24),
    (5000, 12),
    (5000, 24),
    (20000, 12),
    (20000, 24),
    (50000, 12),
    (50000, 24),
];

/// One rung: a name and the scenario file.
struct Rung {
    name: String,
    file: PathBuf,
}

fn main() {
    let full = std::env::var("SOVPLAN_LADDER").is_ok_and(|v| v == "full");
    let limit: f64 = std::env::var("SOVPLAN_LADDER_TIME")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if full { 600.0 } else { 60.0 });
    let filter = std::env::var("SOVPLAN_LADDER_FILTER").unwrap_or_default();
    let work = tempfile::tempdir().expect("a temporary directory");
    let rungs: Vec<Rung> = rungs(full, work.path())
        .into_iter()
        .filter(|r| r.name.contains(&filter))
        .collect();
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ladder");
    let previous = load(&out.join("latest.json"));
    println!(
        "ladder ({}), {limit} s per solve, on {} cores",
        if full { "full" } else { "quick" },
        cores()
    );
    println!("{}", header());
    let mut rows = Vec::new();
    for r in &rungs {
        let row = run(r, limit, work.path());
        println!("{}", line(&row, previous.as_ref()));
        rows.push(row);
    }
    save(&out, merged(previous.as_ref(), rows), limit, full);
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The generated rungs (2 seeds quick, 3 full; written into `dir`), then the shipped
/// scenarios (it-dienstleister only in the full ladder).
fn rungs(full: bool, dir: &Path) -> Vec<Rung> {
    let seeds: &[u64] = if full { &[1, 2, 3] } else { &[1, 2] };
    let mut out = Vec::new();
    for &(n, m) in if full { FULL } else { QUICK } {
        for &seed in seeds {
            let name = format!("{n}x{m}-seed{seed}");
            let file = dir.join(format!("{name}.json"));
            out.push(Rung { name, file });
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut shipped: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    shipped.retain(|p| p.extension().is_some_and(|e| e == "json"));
    shipped.sort();
    for file in shipped {
        let name = file
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if full || name != "it-dienstleister" {
            out.push(Rung { name, file });
        }
    }
    out
}

/// Generates the scenario if it is a generated rung, solves it, reads its stats.
fn run(r: &Rung, limit: f64, dir: &Path) -> Value {
    if !r.file.exists() {
        if let Err(e) = generate(&r.name, &r.file) {
            return json!({"name": r.name, "status": format!("generate failed: {e}")});
        }
    }
    let stats = dir.join(format!("{}.stats.json", r.name));
    let plan = dir.join(format!("{}.plan.json", r.name));
    let _ = std::fs::remove_file(&stats);
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_sovplan"))
        .arg("solve")
        .arg(&r.file)
        .args(["--quiet", "--time-limit", &limit.to_string(), "-o"])
        .arg(&plan)
        .arg("--stats")
        .arg(&stats)
        .output();
    let wall = t.elapsed().as_secs_f64();
    let _ = std::fs::remove_file(&plan);
    let code = out.as_ref().ok().and_then(|o| o.status.code());
    let mut v = load(&stats).unwrap_or_else(|| json!({}));
    v["name"] = json!(r.name);
    v["exit"] = json!(code);
    v["command_seconds"] = json!(wall);
    v["time_limit"] = json!(limit);
    v["unix_time"] = json!(std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()));
    if code != Some(0) {
        v["status"] = json!(match code {
            Some(3) => "infeasible".to_string(),
            Some(4) => "no plan in time".to_string(),
            other => format!("exit {other:?}"),
        });
    }
    v
}

/// `NxM-seedS` → `sovplan generate --services N --offerings M --seed S`.
fn generate(name: &str, file: &Path) -> Result<(), String> {
    let (size, seed) = name.split_once("-seed").ok_or("not a generated rung")?;
    let (n, m) = size.split_once('x').ok_or("not a generated rung")?;
    let o = Command::new(env!("CARGO_BIN_EXE_sovplan"))
        .args([
            "generate",
            "--services",
            n,
            "--offerings",
            m,
            "--seed",
            seed,
            "-o",
        ])
        .arg(file)
        .output()
        .map_err(|e| e.to_string())?;
    if o.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&o.stderr).into_owned())
    }
}

fn header() -> String {
    format!(
        "{:<26} {:>9} {:>9} {:>9} {:>8} {:>8} {:>8} {:>8} {:>10} {:<9} {:>10} {:>8}",
        "rung",
        "columns",
        "binary",
        "rows",
        "heur s",
        "build s",
        "HiGHS s",
        "wall s",
        "gap %",
        "status",
        "peak MB",
        "vs prev"
    )
}

/// One table line; `vs prev` is this wall time over the previous run's for the rung.
fn line(v: &Value, previous: Option<&Value>) -> String {
    let f = |k: &str| v[k].as_f64();
    let num = |x: Option<f64>, d: usize| x.map_or("-".into(), |x| format!("{x:.d$}"));
    let before = previous
        .and_then(|p| p["rows"].as_array())
        .and_then(|rows| rows.iter().find(|r| r["name"] == v["name"]))
        .and_then(|r| r["command_seconds"].as_f64());
    let ratio = match (f("command_seconds"), before) {
        (Some(now), Some(b)) if b > 0.0 => format!("{:.2}x", now / b),
        _ => "-".into(),
    };
    format!(
        "{:<26} {:>9} {:>9} {:>9} {:>8} {:>8} {:>8} {:>8} {:>10} {:<9} {:>10} {:>8}",
        v["name"].as_str().unwrap_or("?"),
        num(f("variables"), 0),
        num(f("binaries"), 0),
        num(f("constraints"), 0),
        num(f("heuristic_seconds"), 2),
        num(f("build_seconds"), 2),
        num(f("solve_seconds"), 2),
        num(f("command_seconds"), 2),
        num(f("gap").map(|g| 100.0 * g), 4),
        v["status"].as_str().unwrap_or("?"),
        num(f("peak_rss_mb"), 0),
        ratio
    )
}

fn load(path: &Path) -> Option<Value> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// This run's rows, then the previous run's rows of rungs not run this time (a filtered
/// run updates the table instead of shrinking it).
fn merged(previous: Option<&Value>, mut rows: Vec<Value>) -> Vec<Value> {
    let old = previous
        .and_then(|p| p["rows"].as_array())
        .cloned()
        .unwrap_or_default();
    for r in old {
        if !rows.iter().any(|n| n["name"] == r["name"]) {
            rows.push(r);
        }
    }
    rows
}

/// Saves the run as `latest.json`, keeping the one before as `previous.json`.
fn save(dir: &Path, rows: Vec<Value>, limit: f64, full: bool) {
    let _ = std::fs::create_dir_all(dir);
    let latest = dir.join("latest.json");
    if latest.exists() {
        let _ = std::fs::rename(&latest, dir.join("previous.json"));
    }
    let v = json!({
        "ladder": if full { "full" } else { "quick" },
        "time_limit": limit,
        "cores": cores(),
        "rows": rows,
    });
    match std::fs::write(
        &latest,
        serde_json::to_string_pretty(&v).unwrap_or_default(),
    ) {
        Ok(()) => println!("saved {}", latest.display()),
        Err(e) => eprintln!("cannot save {}: {e}", latest.display()),
    }
}

//! A deterministic fuzzer for reading, validating, solving and checking, on stable Rust.
//!
//! Each case starts from one of the small shipped scenarios (includes inlined, so that
//! prices and providers are mutated too) or from a small random scenario whose amounts
//! span 1e-12 to 1e12, applies a few mutations (numbers set to extremes, keys deleted
//! or written twice, values of the wrong type, ids changed, list elements dropped or
//! repeated, the text truncated or prefixed) and drives the library as the CLI does.
//! Invariants:
//!
//! - nothing panics (reading, validation, solving, checking, writing a plan);
//! - reading and validation fail only with diagnostics (exit 2), each of bounded size;
//! - a valid scenario is solved, infeasible or out of time: exit 0, 3 or 4, never a
//!   solver error (exit 1);
//! - every solved plan passes `check`, also after a round trip through its JSON;
//! - solving again gives a byte-identical plan;
//! - `check` never panics on a mutated plan, and finds every changed amount.
//!
//! Case `i` is generated from its own seed, so that any case can be replayed alone.
//!
//! ```sh
//! # what CI runs (3,000 cases, well under a minute):
//! cargo test --release --test fuzz
//! # a long campaign, e.g. overnight, from another starting seed:
//! SOVPLAN_FUZZ_CASES=200000 SOVPLAN_FUZZ_SEED=7 cargo test --release --test fuzz -- --nocapture
//! # replay one case of a campaign:
//! SOVPLAN_FUZZ_SEED=7 SOVPLAN_FUZZ_CASE=12345 cargo test --release --test fuzz -- --nocapture
//! ```
//!
//! Failing cases are written to `target/fuzz-findings/` (the scenario text and what
//! went wrong) and listed when the test fails. A crash that ends the process (a signal
//! from inside HiGHS) cannot be caught: `target/fuzz-findings/in-progress.txt` then
//! names the case to replay.

use serde_json::{json, Map, Value};
use sovplan::generate::Rng;
use sovplan::plan::Plan;
use sovplan::{Error, PlanOutcome, Scenario, SolveOptions};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Cases when `SOVPLAN_FUZZ_CASES` is not set: about 15 s here, with every 25th case
/// through the binary.
const DEFAULT_CASES: u64 = 3_000;

/// Scenarios up to this size are solved; larger mutants are only read and validated.
const MAX_SOLVED_SERVICES: usize = 8;

/// Every this many cases also runs through the binary, for its exit codes.
const CLI_EVERY: u64 = 25;

/// Longest diagnostic (location, message and hint) any input may produce.
const MAX_DIAGNOSTIC_CHARS: usize = 6_000;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, got {v:?}"))
    })
}

/// What one case did, for the summary.
#[derive(Debug, Default)]
struct Tally {
    invalid: u64,
    /// How often each code was the first diagnostic.
    codes: std::collections::BTreeMap<&'static str, u64>,
    solved: u64,
    infeasible: u64,
    timed_out: u64,
    unsolved_large: u64,
    plan_mutants: u64,
}

/// A broken invariant.
#[derive(Debug)]
struct Finding {
    case: u64,
    what: String,
    text: String,
}

#[test]
fn fuzz_read_validate_solve_check() {
    let seed = env_u64("SOVPLAN_FUZZ_SEED").unwrap_or(1);
    let corpus = corpus();
    let replay = env_u64("SOVPLAN_FUZZ_CASE");
    let cases: Vec<u64> = match replay {
        Some(i) => vec![i],
        None => (0..env_u64("SOVPLAN_FUZZ_CASES").unwrap_or(DEFAULT_CASES)).collect(),
    };
    let mut tally = Tally::default();
    let mut findings = Vec::new();
    // A crash inside HiGHS ends the process without a report: the case being run is
    // kept in a file, to be replayed with SOVPLAN_FUZZ_CASE.
    let dir = findings_dir();
    let progress = dir.join("in-progress.txt");
    for &i in &cases {
        let _ = std::fs::write(
            &progress,
            format!("SOVPLAN_FUZZ_SEED={seed} SOVPLAN_FUZZ_CASE={i}\n"),
        );
        let mut rng = Rng::new(seed ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let text = make_case(&mut rng, &corpus);
        if replay.is_some() {
            let file = dir.join(format!("seed{seed}-case{i}.json"));
            let _ = std::fs::write(&file, &text);
            eprintln!("fuzz: case {i} written to {}", file.display());
        }
        let outcome = run_case(&text, &mut rng, &mut tally).and_then(|expected| {
            if i % CLI_EVERY == 0 {
                cli_agrees(&text, expected)
            } else {
                Ok(())
            }
        });
        if let Err(what) = outcome {
            findings.push(Finding {
                case: i,
                what,
                text,
            });
        }
    }
    let _ = std::fs::remove_file(&progress);
    eprintln!(
        "fuzz: seed {seed}, {} case(s): {tally:?}, {} finding(s)",
        cases.len(),
        findings.len()
    );
    if !findings.is_empty() {
        panic!("{}", report(&findings, seed));
    }
}

/// `target/fuzz-findings/`, created.
fn findings_dir() -> PathBuf {
    let dir = repo().join("target").join("fuzz-findings");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Writes every finding to `target/fuzz-findings/` and lists them.
fn report(findings: &[Finding], seed: u64) -> String {
    let dir = findings_dir();
    let mut out = format!("{} invariant(s) broken:\n", findings.len());
    for f in findings.iter().take(20) {
        let file = dir.join(format!("seed{seed}-case{}.json", f.case));
        let _ = std::fs::write(&file, &f.text);
        let what: String = f.what.chars().take(400).collect();
        out.push_str(&format!("- case {} ({}): {what}\n", f.case, file.display()));
    }
    out
}

/// The small shipped scenarios with their includes inlined.
fn corpus() -> Vec<Value> {
    ["rathaus-drei-dienste", "colocate-zwei-anbieter"]
        .iter()
        .map(|stem| inline(&repo().join("scenarios").join(format!("{stem}.json"))))
        .collect()
}

/// A scenario file with the entities of its includes merged in, included files first.
fn inline(path: &Path) -> Value {
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let includes = v
        .as_object_mut()
        .unwrap()
        .remove("include")
        .unwrap_or(json!([]));
    for inc in includes.as_array().unwrap().iter().rev() {
        let sub = inline(&path.parent().unwrap().join(inc.as_str().unwrap()));
        for key in [
            "providers",
            "offerings",
            "data_classes",
            "services",
            "dependencies",
        ] {
            let mut merged = sub[key].as_array().cloned().unwrap_or_default();
            merged.extend(v[key].as_array().cloned().unwrap_or_default());
            if !merged.is_empty() {
                v[key] = Value::Array(merged);
            }
        }
    }
    v
}

/// The text of case `rng`: a mutated corpus scenario or a random one. Half the cases
/// only change numbers, so that many of them reach the solver.
fn make_case(rng: &mut Rng, corpus: &[Value]) -> String {
    let mut v = if rng.chance(0.4) {
        random_scenario(rng)
    } else {
        corpus[rng.below(corpus.len())].clone()
    };
    let n = rng.below(4);
    let gentle = rng.chance(0.5);
    for _ in 0..n {
        if gentle {
            mutate_number(&mut v, rng);
        } else {
            mutate_value(&mut v, rng);
        }
    }
    let mut text = if rng.chance(0.15) {
        with_duplicate_key(&v, rng)
    } else {
        serde_json::to_string_pretty(&v).unwrap()
    };
    if rng.chance(0.1) {
        mutate_text(&mut text, rng);
    }
    text
}

/// A small scenario whose amounts span many orders of magnitude: products of valid
/// numbers are what broke the solver. Its amounts are drawn from one of three ranges:
/// anything from 1e-12 to 1e12, near the largest bill supported (products up to about
/// 1e9 EUR per month), or near the smallest bill share limits are decided on (1 EUR).
fn random_scenario(rng: &mut Rng) -> Value {
    let (lo, hi) = [(-12.0, 12.0), (0.0, 4.5), (-3.0, 1.0)][rng.below(3)];
    let mag = |rng: &mut Rng| -> f64 {
        if rng.chance(0.15) {
            0.0
        } else {
            let exp = rng.range(lo, hi, 0.25);
            (rng.range(1.0, 10.0, 0.01) * 10f64.powf(exp)).min(1e12)
        }
    };
    let np = 1 + rng.below(3);
    let providers: Vec<Value> = (0..np)
        .map(|p| {
            json!({"id": format!("p{p}"), "headquarters": "DE",
            "cloud_act_exposed": rng.chance(0.3), "monthly_fee": mag(rng)})
        })
        .collect();
    let no = 1 + rng.below(4);
    let offerings: Vec<Value> = (0..no)
        .map(|o| {
            let egress = mag(rng);
            json!({"id": format!("o{o}"), "provider": format!("p{}", rng.below(np)), "country": "DE",
                "open_standards": rng.chance(0.5),
                "prices": {"vcpu_month": mag(rng), "ram_gb_month": mag(rng),
                    "storage_gb_month": mag(rng), "egress_gb": egress,
                    "inter_region_gb": egress * rng.unit()}})
        })
        .collect();
    let ns = 1 + rng.below(4);
    let services: Vec<Value> = (0..ns)
        .map(|s| {
            let mut svc = json!({"id": format!("s{s}"), "demand": {"vcpu": mag(rng),
                "ram_gb": mag(rng), "storage_gb": mag(rng),
                "egress_gb_month": mag(rng)}, "replatform_cost": mag(rng)});
            if rng.chance(0.4) {
                svc["current_offering"] = json!(format!("o{}", rng.below(no)));
                svc["migration_cost"] = json!(mag(rng));
            }
            svc
        })
        .collect();
    let mut deps = Vec::new();
    for a in 0..ns {
        for b in 0..ns {
            if a != b && rng.chance(0.3) {
                let mut d = json!({"from": format!("s{a}"), "to": format!("s{b}"),
                    "traffic_gb_month": mag(rng)});
                if rng.chance(0.2) {
                    d["colocate"] = json!(if rng.chance(0.5) {
                        "offering"
                    } else {
                        "provider"
                    });
                }
                deps.push(d);
            }
        }
    }
    json!({"name": "random", "providers": providers, "offerings": offerings,
        "services": services, "dependencies": deps, "policy": random_policy(rng, np)})
}

fn random_policy(rng: &mut Rng, providers: usize) -> Value {
    let mut p = Map::new();
    if rng.chance(0.5) {
        p.insert(
            "max_provider_share".into(),
            json!(rng.range(0.3, 1.0, 0.05)),
        );
    }
    if rng.chance(0.3) {
        p.insert("min_providers".into(), json!(1 + rng.below(providers)));
    }
    if rng.chance(0.3) {
        p.insert(
            "max_cloud_act_share".into(),
            json!(rng.range(0.0, 1.0, 0.1)),
        );
    }
    if rng.chance(0.3) {
        let exp = rng.range(-6.0, 12.0, 1.0);
        p.insert("max_exit_cost".into(), json!(10f64.powf(exp)));
    }
    if rng.chance(0.3) {
        let exp = rng.range(-6.0, 12.0, 1.0);
        p.insert("monthly_budget".into(), json!(10f64.powf(exp)));
    }
    if rng.chance(0.3) {
        p.insert("horizon_months".into(), json!(rng.range(1.0, 120.0, 1.0)));
    }
    Value::Object(p)
}

/// JSON pointers of every node of `v`.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let key = k.replace('~', "~0").replace('/', "~1");
                pointers(x, format!("{at}/{key}"), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                pointers(x, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// Numbers a mutation puts in place of a number.
fn extreme(rng: &mut Rng, old: f64) -> Value {
    let choices = [
        0.0,
        -0.0,
        -1.0,
        5e-324,
        1e-300,
        1e-12,
        1e-9,
        0.5,
        2.5,
        4.0,
        5.0,
        1e9,
        1e12,
        1.000_000_1e12,
        1e15,
        1e300,
        f64::MAX,
        9_007_199_254_740_993.0,
        old * 1e-9,
        old * 1e9,
        old + 1.0,
        -old,
    ];
    json!(choices[rng.below(choices.len())])
}

/// A random number of `v` set to an extreme.
fn mutate_number(v: &mut Value, rng: &mut Rng) {
    let mut ps = Vec::new();
    pointers(v, String::new(), &mut ps);
    let numbers: Vec<String> = ps
        .into_iter()
        .filter(|p| v.pointer(p).is_some_and(Value::is_number))
        .collect();
    if numbers.is_empty() {
        return;
    }
    let p = &numbers[rng.below(numbers.len())];
    let node = v.pointer_mut(p).unwrap();
    let old = node.as_f64().unwrap_or(0.0);
    *node = extreme(rng, old);
}

/// One mutation of a random node.
fn mutate_value(v: &mut Value, rng: &mut Rng) {
    let mut ps = Vec::new();
    pointers(v, String::new(), &mut ps);
    let p = ps[rng.below(ps.len())].clone();
    let Some(node) = v.pointer_mut(&p) else {
        return;
    };
    match rng.below(8) {
        0 | 1 => {
            if let Some(x) = node.as_f64() {
                *node = extreme(rng, x);
            } else if let Some(s) = node.as_str() {
                *node = json!(mutate_string(s, rng));
            } else {
                *node = json!(rng.unit() * 100.0);
            }
        }
        2 => {
            *node = [
                Value::Null,
                json!(true),
                json!("NaN"),
                json!("1e9"),
                json!([]),
                json!({}),
                json!(-1),
            ][rng.below(7)]
            .clone()
        }
        3 => {
            if let Some(m) = node.as_object_mut() {
                let keys: Vec<String> = m.keys().cloned().collect();
                if !keys.is_empty() {
                    m.remove(&keys[rng.below(keys.len())]);
                }
            }
        }
        4 => {
            if let Some(a) = node.as_array_mut() {
                if !a.is_empty() {
                    let i = rng.below(a.len());
                    if rng.chance(0.5) {
                        a.remove(i);
                    } else {
                        let x = a[i].clone();
                        a.push(x);
                    }
                }
            }
        }
        5 => {
            if let Some(m) = v.pointer_mut("/policy").and_then(Value::as_object_mut) {
                let fields = [
                    "max_provider_share",
                    "min_providers",
                    "max_cloud_act_share",
                    "max_exit_cost",
                    "monthly_budget",
                    "horizon_months",
                ];
                let f = fields[rng.below(fields.len())];
                m.insert(f.into(), extreme(rng, 1.0));
            }
        }
        6 => {
            if let Some(m) = node.as_object_mut() {
                m.insert(
                    "include".into(),
                    json!(["/dev/zero", "missing.json", "."][rng.below(3)]),
                );
            }
        }
        _ => {
            if let Some(s) = node.as_str() {
                *node = json!(mutate_string(s, rng));
            }
        }
    }
}

fn mutate_string(s: &str, rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => String::new(),
        1 => format!("{s} "),
        2 => format!("{s}x"),
        3 => s.repeat(2),
        4 => "z".repeat(10_000),
        _ => format!("{s}\n\u{1b}[31m"),
    }
}

/// The scenario with one key of a random object written twice.
fn with_duplicate_key(v: &Value, rng: &mut Rng) -> String {
    let mut v = v.clone();
    let mut ps = Vec::new();
    pointers(&v, String::new(), &mut ps);
    let objects: Vec<String> = ps
        .into_iter()
        .filter(|p| {
            v.pointer(p)
                .is_some_and(|x| x.as_object().is_some_and(|m| !m.is_empty()))
        })
        .collect();
    if objects.is_empty() {
        return v.to_string();
    }
    let p = &objects[rng.below(objects.len())];
    let m = v.pointer_mut(p).unwrap().as_object_mut().unwrap();
    let keys: Vec<String> = m.keys().cloned().collect();
    let key = keys[rng.below(keys.len())].clone();
    let again = serde_json::to_string(&m[&key]).unwrap();
    m.insert("\u{0}dup".into(), Value::Null);
    let text = serde_json::to_string_pretty(&v).unwrap();
    text.replacen(
        "\"\\u0000dup\": null",
        &format!("{}: {again}", serde_json::to_string(&key).unwrap()),
        1,
    )
}

fn mutate_text(text: &mut String, rng: &mut Rng) {
    match rng.below(4) {
        0 => {
            let mut cut = rng.below(text.len().max(1));
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        1 => text.insert(0, '\u{FEFF}'),
        2 => *text = text.replacen(": 36", ": 1e400", 1),
        _ => *text = text.replacen('}', "}}", 1),
    }
}

/// What the library said about a case, as the exit code `sovplan solve` must give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expected {
    /// Invalid input: exit 2.
    Invalid,
    /// A plan or an explained infeasibility: 0 or 3.
    Solved(i32),
    /// Valid, but not compared with the binary (too large, or out of time).
    Valid,
}

/// `sovplan solve` on the case's text exits as the library predicts, and `sovplan
/// check` accepts the plan it writes.
fn cli_agrees(text: &str, expected: Expected) -> Result<(), String> {
    let code = match expected {
        Expected::Invalid => 2,
        Expected::Solved(code) => code,
        Expected::Valid => return Ok(()),
    };
    let dir = tempfile::tempdir().unwrap();
    let (scenario, plan) = (dir.path().join("s.json"), dir.path().join("p.json"));
    std::fs::write(&scenario, text).unwrap();
    let run = |args: &[&std::ffi::OsStr]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_sovplan"))
            .args(args)
            .env_remove("SOVPLAN_MAX_FILE_MB")
            .output()
            .unwrap()
    };
    let (s, p) = (scenario.as_os_str(), plan.as_os_str());
    let out = run(&["solve".as_ref(), s, "-o".as_ref(), p]);
    if out.status.code() != Some(code) {
        return Err(format!(
            "sovplan solve exited {:?}, expected {code}: {}",
            out.status.code(),
            clip(&String::from_utf8_lossy(&out.stderr))
        ));
    }
    if code == 0 {
        let out = run(&["check".as_ref(), s, p]);
        if out.status.code() != Some(0) {
            return Err(format!(
                "sovplan check exited {:?} on the written plan: {}",
                out.status.code(),
                clip(&String::from_utf8_lossy(&out.stdout))
            ));
        }
    }
    Ok(())
}

/// Runs one case through the invariants; returns what `sovplan solve` must do with it.
fn run_case(text: &str, rng: &mut Rng, tally: &mut Tally) -> Result<Expected, String> {
    let base = repo().join("scenarios");
    let parsed = catch_unwind(AssertUnwindSafe(|| sovplan::parse_scenario(text, &base)))
        .map_err(|p| format!("reading or validation panicked: {}", panic_text(&p)))?;
    let sc = match parsed {
        Ok(sc) => sc,
        Err(Error::Invalid(d)) => {
            tally.invalid += 1;
            if let Some(first) = d.0.first() {
                *tally.codes.entry(first.code).or_default() += 1;
            }
            for x in &d.0 {
                let n =
                    x.location.chars().count() + x.message.chars().count() + x.hint.chars().count();
                if n > MAX_DIAGNOSTIC_CHARS || x.to_string().lines().count() != 2 {
                    return Err(format!(
                        "diagnostic of {n} characters or broken layout: {}",
                        clip(&x.to_string())
                    ));
                }
            }
            return Ok(Expected::Invalid);
        }
        Err(e) => return Err(format!("reading failed with other than diagnostics: {e}")),
    };
    if sc.services.len() > MAX_SOLVED_SERVICES {
        tally.unsolved_large += 1;
        return Ok(Expected::Valid);
    }
    solve_and_check(&sc, rng, tally)
}

fn clip(s: &str) -> String {
    s.chars().take(300).collect()
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// Plans a valid scenario as `sovplan solve` does and checks the result.
fn solve_and_check(sc: &Scenario, rng: &mut Rng, tally: &mut Tally) -> Result<Expected, String> {
    let opts = SolveOptions {
        // A safety net only: these scenarios solve in milliseconds, and a run that
        // reaches the limit is not compared with a repeat.
        time_limit: Some(30.0),
        ..SolveOptions::default()
    };
    let solve = || {
        catch_unwind(AssertUnwindSafe(|| sovplan::plan_scenario(sc, &opts)))
            .map_err(|p| format!("solve panicked: {}", panic_text(&p)))
    };
    let solved = match solve()? {
        Ok(PlanOutcome::Planned(s)) => s,
        Ok(PlanOutcome::Infeasible(_)) => {
            tally.infeasible += 1;
            return Ok(Expected::Solved(3));
        }
        Ok(PlanOutcome::NoPlanInTime(_)) => {
            tally.timed_out += 1;
            return Ok(Expected::Valid);
        }
        Err(e) => return Err(format!("solve of a valid scenario failed (exit 1): {e}")),
    };
    tally.solved += 1;
    let plan = &solved.plan;
    let json = catch_unwind(AssertUnwindSafe(|| plan.to_json()))
        .map_err(|p| format!("writing the plan panicked: {}", panic_text(&p)))?;
    let violations = sovplan::check::check(sc, plan);
    if !violations.is_empty() {
        return Err(format!(
            "the solved plan fails check (exit 1): {}",
            violations[0]
        ));
    }
    let back: Plan = sovplan::format::read::parse_json(&json, "plan")
        .map_err(|d| format!("the written plan does not read back: {d}"))?;
    if let Some(v) = sovplan::check::check(sc, &back).first() {
        return Err(format!(
            "the written plan fails check after reading it back: {v}"
        ));
    }
    if plan.status == sovplan::plan::PlanStatus::Optimal {
        match solve()? {
            Ok(PlanOutcome::Planned(again)) if again.plan.to_json() == json => {}
            _ => return Err("solving again gave a different result".into()),
        }
    }
    check_mutated_plans(sc, &json, rng, tally)?;
    Ok(Expected::Solved(0))
}

/// `check` on mutated copies of a valid plan: no panic, and a changed amount is found.
fn check_mutated_plans(
    sc: &Scenario,
    json: &str,
    rng: &mut Rng,
    tally: &mut Tally,
) -> Result<(), String> {
    let honest: Value = serde_json::from_str(json).unwrap();
    for _ in 0..3 {
        tally.plan_mutants += 1;
        let mut v = honest.clone();
        mutate_value(&mut v, rng);
        let text = v.to_string();
        let Ok(plan) = sovplan::format::read::parse_json::<Plan>(&text, "plan") else {
            continue;
        };
        catch_unwind(AssertUnwindSafe(|| sovplan::check::check(sc, &plan))).map_err(|p| {
            format!(
                "check panicked on a mutated plan: {}\n{text}",
                panic_text(&p)
            )
        })?;
    }
    // Every money figure of the plan moved by more than a cent and float noise must be
    // noticed.
    let mut v = honest.clone();
    let mut ps = Vec::new();
    pointers(&v, String::new(), &mut ps);
    let money: Vec<&String> = ps
        .iter()
        .filter(|p| p.ends_with("cost") || p.ends_with("/spend"))
        .filter(|p| v.pointer(p).is_some_and(Value::is_f64))
        .collect();
    if let Some(p) = money.get(rng.below(money.len().max(1))) {
        let x = v.pointer(p).unwrap().as_f64().unwrap();
        let moved = x + 0.02 + 1e-10 * x.abs();
        *v.pointer_mut(p).unwrap() = json!(moved);
        let plan: Plan = serde_json::from_value(v).unwrap();
        if sovplan::check::check(sc, &plan).is_empty() {
            return Err(format!("check accepted {p} moved from {x} to {moved}"));
        }
    }
    Ok(())
}

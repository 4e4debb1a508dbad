//! The live progress line: drawn only when standard error is a terminal, silenced by
//! `--quiet`, never seen by pipes. A terminal is given to the binary with util-linux's
//! `script` (Debian's essential `bsdutils`), which records what it drew.

mod common;

use common::process::{code, sovplan, stderr};
use common::repo;
use std::process::Command;

/// Runs `sovplan args` on a pseudo-terminal; returns the exit code and everything the
/// terminal received (standard output and error, with the control sequences).
fn on_terminal(args: &[&str], dir: &std::path::Path) -> (i32, String) {
    let log = dir.join("tty.log");
    let mut line = String::from(env!("CARGO_BIN_EXE_sovplan"));
    for a in args {
        line.push(' ');
        line.push_str(a);
    }
    let out = Command::new("script")
        .args(["-q", "-e", "-f", "-c", &line])
        .arg(&log)
        .current_dir(dir)
        // Its standard input is the terminal it creates, not the test's.
        .stdin(std::process::Stdio::null())
        .output()
        .expect("util-linux `script` runs (Debian: bsdutils)");
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    (out.status.code().unwrap_or(-1), text)
}

/// The spinner line shows the elapsed time first; this is in every frame.
const FRAME: &str = "00:00:0";

#[test]
fn solve_on_a_terminal_draws_the_line_then_clears_it_and_prints_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    let sc = repo().join("scenarios/kleinstadt.json");
    let (rc, tty) = on_terminal(
        &["solve", sc.to_str().unwrap(), "-o", "plan.json"],
        dir.path(),
    );
    assert_eq!(rc, 0, "{tty}");
    assert!(tty.contains(FRAME), "no progress frame:\n{tty}");
    // Cleared before the summary: the last erase comes before it.
    let erased = tty.rfind("\x1b[2K").expect("the line is erased");
    // (The log's header names the command; the summary starts with the scenario's name.)
    let summary = tty.find("kleinstadt: ").expect("the summary is printed");
    assert!(erased < summary, "{tty}");
    assert!(plan.exists());
}

#[test]
fn quiet_silences_the_line_and_the_summary_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    let sc = repo().join("scenarios/kleinstadt.json");
    let (rc, tty) = on_terminal(
        &["solve", sc.to_str().unwrap(), "--quiet", "-o", "plan.json"],
        dir.path(),
    );
    assert_eq!(rc, 0, "{tty}");
    assert!(!tty.contains(FRAME), "{tty}");
    assert!(!tty.contains("kleinstadt: "), "{tty}");
    assert!(plan.exists());
}

#[test]
fn price_on_a_terminal_counts_solves() {
    let dir = tempfile::tempdir().unwrap();
    let sc = repo().join("scenarios/rathaus-drei-dienste.json");
    let (rc, tty) = on_terminal(
        &[
            "price",
            sc.to_str().unwrap(),
            "--jobs",
            "1",
            "-o",
            "price.json",
        ],
        dir.path(),
    );
    assert_eq!(rc, 0, "{tty}");
    assert!(tty.contains("solves · ETA"), "no batch line:\n{tty}");
}

#[test]
fn without_a_terminal_standard_error_has_no_control_sequences() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    let o = sovplan(
        &[
            "solve",
            "scenarios/kleinstadt.json",
            "-o",
            plan.to_str().unwrap(),
        ],
        &repo(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!stderr(&o).contains('\x1b'), "{}", stderr(&o));
    assert!(!stderr(&o).contains(FRAME), "{}", stderr(&o));
    assert!(stderr(&o).contains("kleinstadt"));
    let o = sovplan(
        &[
            "solve",
            "scenarios/kleinstadt.json",
            "--quiet",
            "-o",
            plan.to_str().unwrap(),
        ],
        &repo(),
    );
    assert_eq!(code(&o), 0);
    assert_eq!(stderr(&o), "");
}

#[test]
fn a_search_reports_its_plan_and_a_valid_bound_to_the_observer() {
    let sc = sovplan::load_scenario(&repo().join("scenarios/kleinstadt.json")).unwrap();
    let live = std::sync::Arc::new(sovplan::live::Live::default());
    let opts = sovplan::SolveOptions {
        live: Some(live.clone()),
        ..Default::default()
    };
    let s = sovplan::plan_scenario(&sc, &opts)
        .unwrap()
        .planned()
        .expect("a plan");
    let violations = sovplan::check::check(&sc, &s.plan);
    assert!(violations.is_empty(), "{violations:?}");
    let snap = live.snapshot();
    let best = snap.best.expect("a plan was reported");
    let bound = snap.bound.expect("a bound was reported");
    // The best reported is the plan's total (to a cent: the plan rounds), and the bound
    // is below it.
    assert!(
        (best - s.plan.total_cost).abs() <= 0.01,
        "{best} vs {}",
        s.plan.total_cost
    );
    assert!(
        bound <= s.plan.total_cost + 0.01,
        "{bound} > {}",
        s.plan.total_cost
    );
}

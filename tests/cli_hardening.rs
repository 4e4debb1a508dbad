//! End-to-end tests of the hardened command line: where `-o` may write, usage bounds,
//! status words, and Ctrl-C during a solve. Real processes in temporary directories;
//! no test asserts how long anything took.

mod common;

use common::process::{code, example_dir, sovplan, stderr};

use common::repo;
use serde_json::Value;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn plan_status(path: &Path) -> String {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["status"].as_str().unwrap().to_string()
}

#[test]
fn output_naming_an_included_catalogue_is_refused_and_the_catalogue_kept() {
    let (dir, _) = example_dir();
    let catalogue = dir.path().join("models/providers.json");
    let before = std::fs::read(&catalogue).unwrap();
    for out in [
        "models/providers.json",
        "scenarios/../models/data-classes.json",
    ] {
        let o = sovplan(&["solve", "scenarios/rathaus.json", "-o", out], dir.path());
        assert_eq!(code(&o), 2, "{}", stderr(&o));
        assert!(stderr(&o).contains("a file it includes"), "{}", stderr(&o));
    }
    // Through a symlink too.
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&catalogue, &link).unwrap();
    let o = sovplan(
        &["solve", "scenarios/rathaus.json", "-o", "link.json"],
        dir.path(),
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_eq!(before, std::fs::read(&catalogue).unwrap());
    let o = sovplan(
        &[
            "price",
            "scenarios/rathaus.json",
            "-o",
            "models/providers.json",
        ],
        dir.path(),
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_eq!(before, std::fs::read(&catalogue).unwrap());
}

/// The PID the next process will probably get (Linux); planting links for the next
/// few thousand covers the temporary names a predictable scheme would use.
fn next_pids() -> std::ops::Range<u32> {
    let last = std::fs::read_to_string("/proc/sys/kernel/ns_last_pid")
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok())
        .unwrap_or(0);
    last + 1..last + 3000
}

#[test]
fn a_symlink_planted_at_a_temp_name_is_not_followed() {
    let (dir, _) = example_dir();
    let d = dir.path();
    let victim = d.join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    for pid in next_pids() {
        std::os::unix::fs::symlink(&victim, d.join(format!(".plan.json.tmp-{pid}"))).unwrap();
    }
    let o = sovplan(&["solve", "scenarios/rathaus.json", "-o", "plan.json"], d);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(plan_status(&d.join("plan.json")), "optimal");
    // No temporary file is left behind.
    let left: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn output_to_dev_stdout_and_to_a_fifo_is_written_through() {
    let (dir, _) = example_dir();
    let d = dir.path();
    let to_file = sovplan(&["solve", "scenarios/rathaus.json", "-o", "plan.json"], d);
    assert_eq!(code(&to_file), 0);
    let expected = std::fs::read(d.join("plan.json")).unwrap();

    let o = sovplan(&["solve", "scenarios/rathaus.json", "-o", "/dev/stdout"], d);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(o.stdout, expected);

    let fifo = d.join("plan.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo is not available; the FIFO case is skipped");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = Vec::new();
            std::fs::File::open(fifo)
                .unwrap()
                .read_to_end(&mut text)
                .unwrap();
            text
        })
    };
    let o = sovplan(&["solve", "scenarios/rathaus.json", "-o", "plan.fifo"], d);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(reader.join().unwrap(), expected);
    let still_fifo = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(&still_fifo));
}

#[test]
fn a_missing_output_directory_fails_before_the_solve() {
    let (dir, sc) = example_dir();
    // Infeasible: had the solve run first, it would have ended with exit 3.
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&sc).unwrap()).unwrap();
    v["policy"]["max_provider_share"] = serde_json::json!(0.5);
    std::fs::write(&sc, v.to_string()).unwrap();
    let o = sovplan(
        &[
            "solve",
            "scenarios/rathaus.json",
            "-o",
            "no/such/dir/plan.json",
        ],
        dir.path(),
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no/such/dir/plan.json"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("no feasible plan"), "{}", stderr(&o));
}

#[test]
fn bad_gap_time_limit_and_highs_options_are_usage_errors() {
    let (dir, _) = example_dir();
    let d = dir.path();
    for gap in ["2", "0", "1", "-0.5", "nan"] {
        let o = sovplan(&["solve", "scenarios/rathaus.json", "--gap", gap], d);
        assert_eq!(code(&o), 2, "--gap {gap}: {}", stderr(&o));
        assert!(stderr(&o).contains("--gap must be"), "{}", stderr(&o));
    }
    let separate = sovplan(
        &["solve", "scenarios/rathaus.json", "--time-limit", "-1"],
        d,
    );
    let joined = sovplan(&["solve", "scenarios/rathaus.json", "--time-limit=-1"], d);
    for o in [&separate, &joined] {
        assert_eq!(code(o), 2);
        assert!(
            stderr(o).contains("--time-limit must be a number of seconds > 0"),
            "{}",
            stderr(o)
        );
    }
    let o = sovplan(
        &["price", "scenarios/rathaus.json", "--time-limit", "-1"],
        d,
    );
    assert!(
        stderr(&o).contains("--time-limit must be"),
        "{}",
        stderr(&o)
    );
    for opt in ["no_such_option=1", "mip_rel_gap=banana", "threads=-5x"] {
        let o = sovplan(
            &["solve", "scenarios/rathaus.json", "--highs-option", opt],
            d,
        );
        assert_eq!(code(&o), 2, "{opt}: {}", stderr(&o));
        assert!(stderr(&o).contains("HiGHS rejected"), "{}", stderr(&o));
    }
}

#[test]
fn threads_above_the_machine_are_capped_with_a_warning() {
    let (dir, _) = example_dir();
    let o = sovplan(
        &[
            "solve",
            "scenarios/rathaus.json",
            "--threads",
            "100000",
            "-o",
            "plan.json",
        ],
        dir.path(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: --threads 100000 is more than"),
        "{}",
        stderr(&o)
    );
    assert_eq!(plan_status(&dir.path().join("plan.json")), "optimal");
}

#[test]
fn a_larger_gap_gives_a_feasible_plan_not_an_optimal_one() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    let sc = repo().join("scenarios/musterstadt.json");
    let o = sovplan(
        &[
            "solve",
            sc.to_str().unwrap(),
            "--gap",
            "0.01",
            "-o",
            plan.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(plan_status(&plan), "feasible");
    assert!(stderr(&o).contains("stopped at the requested --gap"));
    let check = sovplan(
        &["check", sc.to_str().unwrap(), plan.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(code(&check), 0, "{}", stderr(&check));
}

#[test]
fn ctrl_c_during_a_solve_writes_the_best_plan_and_exits_130() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let gen = sovplan(
        &[
            "generate",
            "--services",
            "5000",
            "--offerings",
            "24",
            "-o",
            "big.json",
        ],
        d,
    );
    assert_eq!(code(&gen), 0, "{}", stderr(&gen));
    let mut child = Command::new(env!("CARGO_BIN_EXE_sovplan"))
        .args(["solve", "big.json", "-o", "plan.json", "--pricing", "off"])
        .current_dir(d)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Long enough for reading and the heuristic (a few seconds here); HiGHS needs
    // minutes for this scenario without a time limit (on the full model: pricing, the
    // default at this size, may finish it within seconds), so the signal finds it
    // solving.
    std::thread::sleep(Duration::from_secs(8));
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    // A guard against a hang, not a timing assertion.
    let guard = Instant::now() + Duration::from_secs(300);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > guard {
            child.kill().unwrap();
            panic!("sovplan did not stop after SIGINT");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("feasible (interrupted"), "{err}");
    assert_eq!(plan_status(&d.join("plan.json")), "feasible");
    let check = sovplan(&["check", "big.json", "plan.json"], d);
    assert_eq!(code(&check), 0, "{}", stderr(&check));
}

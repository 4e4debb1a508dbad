//! End-to-end tests of the `sovplan` binary in temporary directories: exit codes,
//! files written, messages, and byte-identical output.

mod common;

use common::process::{code, example_dir, sovplan, stderr};

use common::repo;
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

fn edit(path: &Path, f: impl FnOnce(&mut Value)) {
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    f(&mut v);
    std::fs::write(path, v.to_string()).unwrap();
}

#[test]
fn solve_writes_the_hand_computed_plan_and_check_accepts_it() {
    let (dir, _) = example_dir();
    let d = dir.path();
    let o = sovplan(&["solve", "scenarios/rathaus.json", "-o", "plan.json"], d);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let plan: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("plan.json")).unwrap()).unwrap();
    // Hand computation in the README: 36 · 214.3766 + 8000 migration.
    let hand = common::optimum("rathaus-drei-dienste").unwrap();
    assert_eq!(plan["total_cost"], json!(hand));
    assert_eq!(plan["monthly_cost"], json!(214.38));
    assert_eq!(plan["status"], json!("optimal"));
    let at: Vec<&str> = plan["placements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["offering"].as_str().unwrap())
        .collect();
    assert_eq!(at, ["hetzner-fsn", "stackit-eu01", "ionos-de-fra"]);
    // The summary names the total and the providers.
    let err = stderr(&o);
    assert!(
        err.contains("total 15,717.56 EUR") && err.contains("stackit"),
        "{err}"
    );
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty());

    let c = sovplan(&["check", "scenarios/rathaus.json", "plan.json"], d);
    assert_eq!(code(&c), 0, "{}", stderr(&c));
}

#[test]
fn output_is_byte_identical_across_runs_and_to_stdout() {
    let (dir, _) = example_dir();
    let d = dir.path();
    assert_eq!(
        code(&sovplan(
            &["solve", "scenarios/rathaus.json", "-o", "a.json"],
            d
        )),
        0
    );
    assert_eq!(
        code(&sovplan(
            &["solve", "scenarios/rathaus.json", "-o", "b.json"],
            d
        )),
        0
    );
    let out = sovplan(&["solve", "scenarios/rathaus.json"], d);
    let a = std::fs::read(d.join("a.json")).unwrap();
    assert_eq!(a, std::fs::read(d.join("b.json")).unwrap());
    assert_eq!(a, out.stdout);
}

#[test]
fn solve_refuses_to_overwrite_the_scenario() {
    let (dir, sc) = example_dir();
    let before = std::fs::read(&sc).unwrap();
    let o = sovplan(
        &[
            "solve",
            "scenarios/rathaus.json",
            "-o",
            "scenarios/../scenarios/rathaus.json",
        ],
        dir.path(),
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("scenario file"), "{}", stderr(&o));
    assert_eq!(before, std::fs::read(&sc).unwrap());
}

#[test]
fn infeasible_policy_exits_3_and_names_the_limit() {
    let (dir, sc) = example_dir();
    // Meldewesen must run on stackit (120.70/month) or the municipal DC (fee 1500): no
    // arrangement keeps every supplier at or below half of the bill.
    edit(&sc, |v| v["policy"]["max_provider_share"] = json!(0.5));
    let o = sovplan(
        &["solve", "scenarios/rathaus.json", "-o", "plan.json"],
        dir.path(),
    );
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("policy.max_provider_share = 0.5"), "{err}");
    assert!(
        !err.contains("policy.max_exit_cost"),
        "exit cost is not part of the conflict: {err}"
    );
    assert!(!dir.path().join("plan.json").exists());
}

#[test]
fn unplaceable_service_is_explained_per_offering() {
    let (dir, sc) = example_dir();
    edit(&sc, |v| {
        v["services"][1]["allowed_offerings"] = json!(["ionos-de-fra", "aws-eu-central-1"])
    });
    let o = sovplan(&["solve", "scenarios/rathaus.json"], dir.path());
    assert_eq!(code(&o), 3);
    let err = stderr(&o);
    assert!(
        err.contains("service \"meldewesen\" may run on no offering"),
        "{err}"
    );
    assert!(
        err.contains("aws-eu-central-1: sovereignty level 1 < required 2"),
        "{err}"
    );
    assert!(
        err.contains("provider is exposed to the CLOUD Act"),
        "{err}"
    );
}

#[test]
fn validate_reports_all_problems_with_paths_and_exit_2() {
    let (dir, sc) = example_dir();
    edit(&sc, |v| {
        v["services"][0]["demand"]["vcpu"] = json!(-2);
        v["services"][2]["data_class"] = json!("personenbezogn");
        v["dependencies"][1]["to"] = json!("website");
    });
    let o = sovplan(&["validate", "scenarios/rathaus.json"], dir.path());
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("3 problem(s)"), "{err}");
    assert!(err.contains("services[0].demand.vcpu"), "{err}");
    assert!(err.contains("did you mean \"personenbezogen\""), "{err}");
    assert!(err.contains("E113"), "{err}");
}

#[test]
fn validate_summarises_a_good_scenario() {
    let (dir, _) = example_dir();
    let o = sovplan(&["validate", "scenarios/rathaus.json"], dir.path());
    assert_eq!(code(&o), 0);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("3 services") && out.contains("24 offerings from 12 providers"),
        "{out}"
    );
}

#[test]
fn syntax_error_names_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.json"),
        "{\n  \"name\": \"x\",\n  \"services\": [,]\n}",
    )
    .unwrap();
    let o = sovplan(&["solve", "bad.json"], dir.path());
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("line 3, column"), "{}", stderr(&o));
}

#[test]
fn check_rejects_a_tampered_plan_with_exit_1() {
    let (dir, _) = example_dir();
    let d = dir.path();
    assert_eq!(
        code(&sovplan(
            &["solve", "scenarios/rathaus.json", "-o", "plan.json"],
            d
        )),
        0
    );
    edit(&d.join("plan.json"), |p| {
        p["placements"][1]["offering"] = json!("aws-eu-central-1");
        p["placements"][1]["provider"] = json!("aws");
    });
    let o = sovplan(&["check", "scenarios/rathaus.json", "plan.json"], d);
    assert_eq!(code(&o), 1);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("C201") && out.contains("meldewesen"), "{out}");
}

#[test]
fn check_rejects_a_file_that_is_not_a_plan_with_exit_2() {
    let (dir, _) = example_dir();
    std::fs::write(dir.path().join("x.json"), "{\"total\": 1}").unwrap();
    let o = sovplan(&["check", "scenarios/rathaus.json", "x.json"], dir.path());
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("not a sovplan plan"));
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(code(&sovplan(&[], dir.path())), 2);
    assert_eq!(code(&sovplan(&["solve"], dir.path())), 2);
    assert_eq!(
        code(&sovplan(&["solve", "x.json", "--gap", "-1"], dir.path())),
        2
    );
    assert_eq!(
        code(&sovplan(
            &["solve", "x.json", "--time-limit", "0"],
            dir.path()
        )),
        2
    );
    // HiGHS logs to stdout, so the log needs the plan in a file.
    let o = sovplan(&["solve", "x.json", "--solver-log"], dir.path());
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--solver-log needs -o"));
    // A missing file is invalid input too.
    let o = sovplan(&["solve", "nope.json"], dir.path());
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("nope.json"));
}

#[test]
fn empty_scenario_gives_an_empty_plan_or_an_explained_infeasibility() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("e.json"), json!({"name": "empty"}).to_string()).unwrap();
    let o = sovplan(&["solve", "e.json", "-o", "p.json"], d);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let plan: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("p.json")).unwrap()).unwrap();
    assert_eq!(plan["total_cost"], json!(0.0));
    assert_eq!(code(&sovplan(&["check", "e.json", "p.json"], d)), 0);

    std::fs::write(
        d.join("m.json"),
        json!({"name": "m", "providers": [{"id": "p", "headquarters": "DE"}],
        "policy": {"min_providers": 1}})
        .to_string(),
    )
    .unwrap();
    let o = sovplan(&["solve", "m.json"], d);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("policy.min_providers"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn generate_is_deterministic_and_its_scenarios_solve_and_check() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let args = [
        "generate",
        "--services",
        "12",
        "--offerings",
        "5",
        "--seed",
        "3",
    ];
    let a = sovplan(&args, d);
    let b = sovplan(&args, d);
    assert_eq!(code(&a), 0);
    assert_eq!(a.stdout, b.stdout);
    std::fs::write(d.join("g.json"), &a.stdout).unwrap();
    let o = sovplan(&["solve", "g.json", "-o", "p.json"], d);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(code(&sovplan(&["check", "g.json", "p.json"], d)), 0);
}

#[test]
fn generate_adds_a_roadmap_only_when_asked_and_leaves_the_rest_alone() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = [
        "generate",
        "--services",
        "40",
        "--offerings",
        "6",
        "--seed",
        "5",
    ];
    let plain = sovplan(&base, d);
    let roadmap_args = [
        &base[..],
        &["--roadmap-years", "5", "--roadmap-start", "2027"],
    ]
    .concat();
    let with = sovplan(&roadmap_args, d);
    assert_eq!((code(&plain), code(&with)), (0, 0), "{}", stderr(&with));
    assert_eq!(
        with.stdout,
        sovplan(&roadmap_args, d).stdout,
        "deterministic"
    );
    let (a, mut b): (Value, Value) = (
        serde_json::from_slice(&plain.stdout).unwrap(),
        serde_json::from_slice(&with.stdout).unwrap(),
    );
    assert!(a.get("roadmap").is_none());
    let rm = b["roadmap"].take();
    assert_eq!(
        (rm["start_year"].as_i64(), rm["years"].as_i64()),
        (Some(2027), Some(5))
    );
    assert!(rm["max_moves_per_year"].as_i64().unwrap() >= 1);
    let steps = rm["policy_from"].as_array().unwrap();
    assert_eq!(steps.last().unwrap()["year"], 2031);
    assert_eq!(steps.last().unwrap()["max_cloud_act_share"], 0.0);
    // Everything else is the plain scenario, but for the contract ends and the horizon
    // (a roadmap counts years).
    let mut ended = 0;
    for s in b["services"].as_array_mut().unwrap() {
        let y = s.as_object_mut().unwrap().remove("movable_from");
        if let Some(y) = y {
            assert!(
                s["current_offering"].is_string() && (2027..=2031).contains(&y.as_i64().unwrap())
            );
            ended += 1;
        }
    }
    assert!(ended > 0);
    b["policy"]["horizon_months"] = a["policy"]["horizon_months"].clone();
    b["policy"]["max_cloud_act_share"] = a["policy"]["max_cloud_act_share"].clone();
    b.as_object_mut().unwrap().remove("roadmap");
    assert_eq!(a, b);
    std::fs::write(d.join("r.json"), &with.stdout).unwrap();
    let o = sovplan(&["validate", "r.json"], d);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = sovplan(&[&base[..], &["--roadmap-years", "21"]].concat(), d);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
}

#[test]
fn generate_records_the_roadmap_in_the_composed_command() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("models")).unwrap();
    for f in [
        "providers.json",
        "data-classes.json",
        "services-municipal.json",
    ] {
        std::fs::copy(repo().join("models").join(f), d.join("models").join(f)).unwrap();
    }
    let args = [
        "generate",
        "--from-templates",
        "models/services-municipal.json",
        "--municipalities",
        "2",
        "--seed",
        "9",
        "--dc-share",
        "0.8",
        "--roadmap-years",
        "3",
        "--roadmap-start",
        "2030",
        "-o",
        "c.json",
    ];
    let o = sovplan(&args, d);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("c.json")).unwrap()).unwrap();
    let description = v["description"].as_str().unwrap();
    assert!(
        description.contains("--roadmap-years 3 --roadmap-start 2030 -o c.json"),
        "{description}"
    );
    assert_eq!(v["roadmap"]["years"], 3);
    assert!(v["services"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s.get("movable_from").is_some()));
    assert_eq!(code(&sovplan(&["validate", "c.json"], d)), 0);
}

#[test]
fn check_with_an_unreadable_plan_exits_2_with_the_path_and_the_reason() {
    let (dir, _) = example_dir();
    let d = dir.path();
    let o = sovplan(&["check", "scenarios/rathaus.json", "missing.json"], d);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot read the plan missing.json: ")
            && stderr(&o).contains("os error"),
        "{}",
        stderr(&o)
    );
    // A directory is no plan either, and no violation.
    let o = sovplan(&["check", "scenarios/rathaus.json", "models"], d);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("models: "), "{}", stderr(&o));
}

/// `check`, `merge` and `export` read their inputs within the same limits as a
/// scenario: a plan larger than `SOVPLAN_MAX_FILE_MB` is refused before it is parsed.
#[test]
fn check_merge_and_export_refuse_an_oversized_input_with_exit_2() {
    let (dir, _) = example_dir();
    let d = dir.path();
    let o = sovplan(&["solve", "scenarios/rathaus.json", "-o", "plan.json"], d);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // A valid plan padded with whitespace to just over 1 MiB.
    let mut text = std::fs::read_to_string(d.join("plan.json")).unwrap();
    text.push_str(&" ".repeat((1 << 20) + 1 - text.len()));
    std::fs::write(d.join("big.json"), &text).unwrap();
    let limit = [("SOVPLAN_MAX_FILE_MB", "1")];
    let runs: [&[&str]; 3] = [
        &["check", "scenarios/rathaus.json", "big.json"],
        &["merge", "big.json"],
        &["export", "big.json", "-o", "big.xlsx"],
    ];
    for args in runs {
        let o = common::process::sovplan_env(args, d, &limit);
        let err = stderr(&o);
        assert_eq!(code(&o), 2, "{args:?}: {err}");
        assert!(
            err.contains("big.json: the file has 1048577 bytes, more than the limit of 1 MiB")
                && err.contains("SOVPLAN_MAX_FILE_MB"),
            "{args:?}: {err}"
        );
    }
    assert!(!d.join("big.xlsx").exists());
    // Under the default limit the same file is an ordinary plan.
    let o = sovplan(&["check", "scenarios/rathaus.json", "big.json"], d);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

/// A FIFO would block a plain read forever; it is refused at once.
#[cfg(unix)]
#[test]
fn check_refuses_a_fifo_instead_of_blocking() {
    let (dir, _) = example_dir();
    let d = dir.path();
    let fifo = d.join("plan.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("SKIPPED: mkfifo is not available");
        return;
    }
    let o = sovplan(&["check", "scenarios/rathaus.json", "plan.fifo"], d);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot read the plan plan.fifo: is a pipe (FIFO)"),
        "{}",
        stderr(&o)
    );
}

/// The same for `import`'s inventory files.
#[cfg(unix)]
#[test]
fn import_refuses_a_fifo_instead_of_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    if !Command::new("mkfifo")
        .arg(d.join("services.csv"))
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("SKIPPED: mkfifo is not available");
        return;
    }
    let o = sovplan(&["import", "--services", "services.csv", "-o", "s.json"], d);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("services.csv: is a pipe (FIFO)"),
        "{}",
        stderr(&o)
    );
    assert!(!d.join("s.json").exists());
}

#[test]
fn output_into_a_missing_directory_exits_2_with_the_path() {
    let (dir, _) = example_dir();
    let d = dir.path();
    let o = sovplan(
        &["solve", "scenarios/rathaus.json", "-o", "nodir/plan.json"],
        d,
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("cannot write nodir/plan.json: ") && err.contains("os error"),
        "{err}"
    );
    let o = sovplan(
        &[
            "generate",
            "--services",
            "3",
            "--offerings",
            "2",
            "-o",
            "nodir/g.json",
        ],
        d,
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("nodir/g.json"), "{}", stderr(&o));
    std::fs::copy(
        repo().join("models/services-municipal.json"),
        d.join("models/services-municipal.json"),
    )
    .unwrap();
    let o = sovplan(
        &[
            "generate",
            "--from-templates",
            "models/services-municipal.json",
            "--municipalities",
            "2",
            "-o",
            "nodir/c.json",
        ],
        d,
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("nodir"), "{}", stderr(&o));
    assert!(!d.join("nodir").exists());
}

#[test]
fn generate_reports_a_broken_catalogue_like_a_broken_scenario() {
    let (dir, _) = example_dir();
    let d = dir.path();
    std::fs::copy(
        repo().join("models/services-municipal.json"),
        d.join("models/services-municipal.json"),
    )
    .unwrap();
    let args = [
        "generate",
        "--from-templates",
        "models/services-municipal.json",
        "--municipalities",
        "2",
        "-o",
        "scenarios/c.json",
    ];
    edit(&d.join("models/providers.json"), |v| {
        v["providers"][0]
            .as_object_mut()
            .unwrap()
            .remove("headquarters");
    });
    edit(&d.join("models/services-municipal.json"), |v| {
        v["services"][1]["data_class"] = json!("personenbezogn");
    });
    let o = sovplan(&args, d);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("error[E003] models/providers.json: providers[0]") && err.contains("help: "),
        "{err}"
    );
    // Reading stops at the broken file; once it is fixed, validation names the template.
    std::fs::copy(
        repo().join("models/providers.json"),
        d.join("models/providers.json"),
    )
    .unwrap();
    let o = sovplan(&args, d);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("error[E104] models/services-municipal.json: services[1].data_class")
            && err.contains("did you mean \"personenbezogen\""),
        "{err}"
    );
    assert!(!d.join("scenarios/c.json").exists());
}

/// The words of a command line as the generator quotes them (plain words and single
/// quotes, `'\''` for a quote inside).
fn shell_words(line: &str) -> Vec<String> {
    let (mut words, mut word, mut quoted, mut started) = (Vec::new(), String::new(), false, false);
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => (quoted, started) = (!quoted, true),
            '\\' if !quoted => word.extend(chars.next()),
            c if c.is_whitespace() && !quoted => {
                if started || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                started = false;
            }
            c => word.push(c),
        }
    }
    if started || !word.is_empty() {
        words.push(word);
    }
    words
}

#[test]
fn generated_scenarios_are_reproduced_byte_for_byte_by_their_recorded_command() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("scenarios")).unwrap();
    std::fs::create_dir_all(d.join("models")).unwrap();
    for f in [
        "providers.json",
        "data-classes.json",
        "services-municipal.json",
    ] {
        std::fs::copy(repo().join("models").join(f), d.join("models").join(f)).unwrap();
    }
    let marker = "Produced by (from the repository root): `";
    let mut reproduced = 0;
    for path in common::shipped_scenarios() {
        let text = std::fs::read_to_string(&path).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        let description = v["description"].as_str().unwrap_or_default();
        let Some(at) = description.find(marker) else {
            continue;
        };
        let command = description[at + marker.len()..].trim_end_matches('`');
        let words = shell_words(command);
        assert_eq!(words[..2], ["sovplan", "generate"], "{command}");
        let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        let o = sovplan(&args, d);
        assert_eq!(code(&o), 0, "{}: {}", path.display(), stderr(&o));
        let name = path.file_name().unwrap();
        let again = std::fs::read(d.join("scenarios").join(name)).unwrap();
        assert!(
            again == text.as_bytes(),
            "{} is not reproduced",
            path.display()
        );
        reproduced += 1;
    }
    // landkreis, grossstadt, it-dienstleister.
    assert_eq!(reproduced, 3);
}

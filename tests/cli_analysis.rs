//! End-to-end tests of the decision-support commands as real processes in temporary
//! directories: `--set` against an edited file, `price`, `sweep` shards run as separate
//! processes and merged, and `diff`.

mod common;

use common::process::{ok, sovplan, sovplan_env};

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A temp dir with the worked example and the catalogue it includes.
fn example_dir() -> tempfile::TempDir {
    common::process::example_dir().0
}

#[test]
fn set_gives_the_plan_of_an_edited_file_byte_for_byte() {
    let dir = example_dir();
    let d = dir.path();
    let sets = [
        "policy.max_exit_cost=none",
        "offerings.stackit-eu01.prices.vcpu_month=25",
        "providers.hetzner.monthly_fee=10",
        "services.meldewesen.current_offering=none",
    ];
    let mut args = vec!["solve", "scenarios/rathaus.json", "-o", "set.json"];
    for s in &sets {
        args.extend(["--set", s]);
    }
    ok(&sovplan(&args, d));
    // The same edits by hand: the scenario file and a copy of the catalogue.
    let mut sc: Value = serde_json::from_str(&read(d.join("scenarios/rathaus.json"))).unwrap();
    sc["policy"]
        .as_object_mut()
        .unwrap()
        .remove("max_exit_cost");
    let svc = sc["services"].as_array_mut().unwrap();
    for s in svc.iter_mut().filter(|s| s["id"] == "meldewesen") {
        s.as_object_mut().unwrap().remove("current_offering");
    }
    std::fs::write(d.join("scenarios/rathaus.json"), sc.to_string()).unwrap();
    let mut cat: Value = serde_json::from_str(&read(d.join("models/providers.json"))).unwrap();
    for o in cat["offerings"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .filter(|o| o["id"] == "stackit-eu01")
    {
        o["prices"]["vcpu_month"] = 25.into();
    }
    for p in cat["providers"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .filter(|p| p["id"] == "hetzner")
    {
        p["monthly_fee"] = 10.into();
    }
    std::fs::write(d.join("models/providers.json"), cat.to_string()).unwrap();
    ok(&sovplan(
        &["solve", "scenarios/rathaus.json", "-o", "edited.json"],
        d,
    ));
    let mut with_set: Value = serde_json::from_str(&read(d.join("set.json"))).unwrap();
    let recorded = with_set
        .as_object_mut()
        .unwrap()
        .remove("overrides")
        .unwrap();
    assert_eq!(recorded, serde_json::json!(sets));
    let mut text = serde_json::to_string_pretty(&with_set).unwrap();
    text.push('\n');
    assert_eq!(text, read(d.join("edited.json")));
    let o = sovplan(&["check", "scenarios/rathaus.json", "edited.json"], d);
    ok(&o);
}

#[test]
fn bad_overrides_exit_2_naming_the_path() {
    let dir = example_dir();
    for (set, code) in [
        ("policy.max_provder_share=0.3", "E007"),
        ("providers.hetzner.monthly_fee=lots", "E008"),
        ("policy.max_provider_share=1.5", "E111"),
    ] {
        let o = sovplan(
            &["validate", "scenarios/rathaus.json", "--set", set],
            dir.path(),
        );
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{set}: {err}");
        assert!(err.contains(code), "{set}: {err}");
    }
}

#[test]
fn price_writes_rows_and_ranks_them() {
    let dir = example_dir();
    let d = dir.path();
    ok(&sovplan(
        &[
            "price",
            "scenarios/rathaus.json",
            "-o",
            "price.json",
            "--jobs",
            "2",
        ],
        d,
    ));
    let v: Value = serde_json::from_str(&read(d.join("price.json"))).unwrap();
    assert_eq!(v["total_cost"], 15717.56);
    let rules: Vec<&str> = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains(&"max_exit_cost") && rules.contains(&"all_lock_in"),
        "{rules:?}"
    );
    // Infeasible with every rule: exit 3, but the report says what lifting allows.
    let o = sovplan(
        &[
            "price",
            "scenarios/rathaus.json",
            "--set",
            "policy.max_provider_share=0.5",
        ],
        d,
    );
    assert_eq!(o.status.code(), Some(3));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["status"], "infeasible");
    let share = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "max_provider_share")
        .unwrap();
    assert_eq!(share["status"], "optimal");
}

const VARY: [&str; 4] = [
    "--vary",
    "policy.max_provider_share=0.5:0.8:0.1",
    "--vary",
    "policy.max_exit_cost=4000,6000,none",
];

#[test]
fn four_shards_as_processes_merge_into_the_unsharded_sweep() {
    let dir = example_dir();
    let d = dir.path();
    let mut whole = vec![
        "sweep",
        "scenarios/rathaus.json",
        "-o",
        "whole.json",
        "--jobs",
        "2",
    ];
    whole.extend(VARY);
    ok(&sovplan(&whole, d));
    let children: Vec<_> = (1..=4)
        .map(|k| {
            let shard = format!("{k}/4");
            let out = format!("part{k}.json");
            let mut args = vec![
                "sweep",
                "scenarios/rathaus.json",
                "--jobs",
                "1",
                "--shard",
                &shard,
                "-o",
                &out,
            ];
            args.extend(VARY);
            let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            Command::new(env!("CARGO_BIN_EXE_sovplan"))
                .args(&args)
                .current_dir(d)
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    ok(&sovplan(
        &[
            "merge",
            "part3.json",
            "part1.json",
            "part4.json",
            "part2.json",
            "-o",
            "merged.json",
        ],
        d,
    ));
    assert_eq!(read(d.join("merged.json")), read(d.join("whole.json")));
    let v: Value = serde_json::from_str(&read(d.join("whole.json"))).unwrap();
    assert_eq!(v["points"].as_array().unwrap().len(), 12);
    // A missing part is refused with exit 2.
    let o = sovplan(&["merge", "part1.json", "part2.json", "part3.json"], d);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing"));
}

#[test]
fn shard_auto_reads_slurm_and_kubernetes() {
    let dir = example_dir();
    let d = dir.path();
    let run = |env: &[(&str, &str)], extra: &[&str], out: &str| {
        let mut args = vec![
            "sweep",
            "scenarios/rathaus.json",
            "--shard",
            "auto",
            "-o",
            out,
        ];
        args.extend(extra);
        args.extend(VARY);
        ok(&sovplan_env(&args, d, env));
        serde_json::from_str::<Value>(&read(d.join(out))).unwrap()
    };
    let slurm = run(
        &[
            ("SLURM_ARRAY_TASK_ID", "6"),
            ("SLURM_ARRAY_TASK_MIN", "5"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ],
        &[],
        "slurm.json",
    );
    assert_eq!(slurm["shard"], "2/3");
    assert_eq!(slurm["points"].as_array().unwrap().len(), 4);
    let k8s = run(
        &[("JOB_COMPLETION_INDEX", "0")],
        &["--shards", "5"],
        "k8s.json",
    );
    assert_eq!(k8s["shard"], "1/5");
    let o = sovplan(
        &[
            "sweep",
            "scenarios/rathaus.json",
            "--shard",
            "auto",
            "--vary",
            "policy.max_exit_cost=1,2",
        ],
        d,
    );
    assert_eq!(o.status.code(), Some(2), "no cluster environment");
}

#[test]
fn diff_names_moved_services_and_refuses_other_scenarios() {
    let dir = example_dir();
    let d = dir.path();
    ok(&sovplan(
        &["solve", "scenarios/rathaus.json", "-o", "a.json"],
        d,
    ));
    ok(&sovplan(
        &[
            "solve",
            "scenarios/rathaus.json",
            "--set",
            "policy.max_exit_cost=none",
            "-o",
            "b.json",
        ],
        d,
    ));
    ok(&sovplan(&["diff", "a.json", "b.json", "-o", "d.json"], d));
    let v: Value = serde_json::from_str(&read(d.join("d.json"))).unwrap();
    // Without the exit cap the portal leaves IONOS for Hetzner (README worked example).
    let moved = v["services"].as_array().unwrap();
    assert!(
        moved
            .iter()
            .any(|s| s["service"] == "buergerportal" && s["to_provider"] == "hetzner"),
        "{v}"
    );
    assert!(v["total_delta"].as_f64().unwrap() < 0.0);
    let mut b: Value = serde_json::from_str(&read(d.join("b.json"))).unwrap();
    b["scenario"] = "anderswo".into();
    std::fs::write(d.join("c.json"), b.to_string()).unwrap();
    assert_eq!(
        sovplan(&["diff", "a.json", "c.json"], d).status.code(),
        Some(2)
    );
    ok(&sovplan(&["diff", "a.json", "c.json", "--force"], d));
}

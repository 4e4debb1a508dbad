//! Running the `sovplan` binary in temporary directories, for the CLI tests.

use super::repo;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Variables through which `sweep --shard auto` finds a cluster; cleared for every run
/// so that a test never depends on the environment it happens to run in.
const CLUSTER_VARS: [&str; 4] = [
    "JOB_COMPLETION_INDEX",
    "SLURM_ARRAY_TASK_ID",
    "SLURM_ARRAY_TASK_MIN",
    "SLURM_ARRAY_TASK_COUNT",
];

/// Runs `sovplan args` in `dir` with `env` set.
pub fn sovplan_env(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sovplan"));
    cmd.args(args).current_dir(dir);
    for k in CLUSTER_VARS {
        cmd.env_remove(k);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

/// Runs `sovplan args` in `dir`.
pub fn sovplan(args: &[&str], dir: &Path) -> Output {
    sovplan_env(args, dir, &[])
}

/// The exit code (the process ended normally).
pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts exit 0, showing standard error otherwise.
pub fn ok(o: &Output) {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
}

/// A temp dir holding a copy of the worked example (`scenarios/rathaus.json`) next to
/// the real catalogue it includes (`models/`); returns the dir and the scenario path.
pub fn example_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("scenarios")).unwrap();
    std::fs::create_dir_all(dir.path().join("models")).unwrap();
    for f in ["providers.json", "data-classes.json"] {
        std::fs::copy(
            repo().join("models").join(f),
            dir.path().join("models").join(f),
        )
        .unwrap();
    }
    let sc = dir.path().join("scenarios/rathaus.json");
    std::fs::copy(repo().join("scenarios/rathaus-drei-dienste.json"), &sc).unwrap();
    (dir, sc)
}

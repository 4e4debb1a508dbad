//! Reading scenario files safely: only regular files (or standard input for `-`),
//! within a size limit, includes followed without recursion, a byte-order mark
//! accepted, duplicate keys refused with both positions.

use sovplan::format::read::{read_scenario, read_scenario_with, read_text_with, ReadLimits};
use sovplan::Diagnostic;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn errors_of(path: &Path, limits: &ReadLimits) -> Vec<Diagnostic> {
    match read_scenario_with(path, limits) {
        Ok(_) => panic!("{} was accepted", path.display()),
        Err(d) => d,
    }
}

fn one(path: &Path, limits: &ReadLimits, code: &str) -> Diagnostic {
    let d = errors_of(path, limits);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].code, code, "{:#?}", d[0]);
    d.into_iter().next().unwrap()
}

/// Runs the binary in `dir` with `stdin` piped in (when given) and `env` set.
fn sovplan(dir: &Path, args: &[&str], stdin: Option<&[u8]>, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sovplan"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("SOVPLAN_MAX_FILE_MB")
        .envs(env.iter().copied())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(bytes) = stdin {
        // Ignore a broken pipe: the binary may stop reading at its limit.
        let _ = child.stdin.take().unwrap().write_all(bytes);
    }
    child.wait_with_output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[cfg(unix)]
#[test]
fn a_fifo_include_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("mkfifo")
        .arg(dir.path().join("pipe"))
        .status()
        .unwrap();
    assert!(status.success());
    let top = write(
        dir.path(),
        "top.json",
        r#"{"name": "x", "include": ["pipe"]}"#,
    );
    let d = one(&top, &ReadLimits::default(), "E012");
    assert!(d.message.contains("pipe (FIFO)"), "{d}");
    assert!(d.location.ends_with("pipe"), "{d}");
}

#[cfg(target_os = "linux")]
#[test]
fn devices_and_directories_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let top = write(
        dir.path(),
        "top.json",
        r#"{"name": "x", "include": ["/dev/zero", "."]}"#,
    );
    let d = errors_of(&top, &ReadLimits::default());
    let got: Vec<(&str, &str)> = d.iter().map(|d| (d.code, d.message.as_str())).collect();
    assert_eq!(
        got,
        [
            ("E012", "is a character device, not a regular file"),
            ("E012", "is a directory, not a regular file")
        ]
    );
}

#[test]
fn a_chain_of_thousands_of_includes_is_read_without_recursion() {
    // 8,240 files overflowed the stack when includes were followed recursively.
    let dir = tempfile::tempdir().unwrap();
    let n = 8_240;
    for i in 0..n {
        let mut v = serde_json::json!({
            "providers": [{"id": format!("p{i}"), "headquarters": "DE"}]
        });
        if i == 0 {
            v["name"] = "chain".into();
        }
        if i + 1 < n {
            v["include"] = serde_json::json!([format!("c{}.json", i + 1)]);
        }
        write(dir.path(), &format!("c{i}.json"), &v.to_string());
    }
    let raw = read_scenario(&dir.path().join("c0.json")).unwrap();
    assert_eq!(raw.providers.len(), n);
    // Included files first: the deepest file's provider comes first.
    assert_eq!(raw.providers[0].item.id, format!("p{}", n - 1));
    assert_eq!(raw.providers[n - 1].item.id, "p0");

    // A cycle at the end of the chain is still found, and its message stays short.
    write(
        dir.path(),
        &format!("c{}.json", n - 1),
        r#"{"include": ["c0.json"]}"#,
    );
    let d = one(&dir.path().join("c0.json"), &ReadLimits::default(), "E004");
    assert!(d.message.len() < 4_000, "{} bytes", d.message.len());
    assert!(d.message.contains("characters left out"), "{}", d.message);
}

#[test]
fn a_diamond_of_includes_is_merged_once_in_order() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "base.json",
        r#"{"providers": [{"id": "base", "headquarters": "DE"}]}"#,
    );
    for side in ["left", "right"] {
        let text = format!(
            r#"{{"include": ["base.json"], "providers": [{{"id": "{side}", "headquarters": "DE"}}]}}"#
        );
        write(dir.path(), &format!("{side}.json"), &text);
    }
    let top = write(
        dir.path(),
        "top.json",
        r#"{"name": "d", "include": ["left.json", "right.json"],
            "providers": [{"id": "top", "headquarters": "DE"}]}"#,
    );
    let raw = read_scenario(&top).unwrap();
    let ids: Vec<&str> = raw.providers.iter().map(|p| p.item.id.as_str()).collect();
    assert_eq!(ids, ["base", "left", "right", "top"]);
    assert!(raw.providers[0]
        .location
        .ends_with("base.json: providers[0]"));
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bom.json");
    std::fs::write(&p, b"\xEF\xBB\xBF{\"name\": \"bom\"}").unwrap();
    assert_eq!(read_scenario(&p).unwrap().name.as_deref(), Some("bom"));
    let utf16 = dir.path().join("utf16.json");
    std::fs::write(&utf16, b"\xFF\xFE{\x00}\x00").unwrap();
    let d = one(&utf16, &ReadLimits::default(), "E001");
    assert!(d.message.contains("UTF-16"), "{d}");
    let latin1 = write(dir.path(), "latin1.json", "");
    std::fs::write(&latin1, b"{\n  \"name\": \"M\xFCnchen\"}").unwrap();
    let d = one(&latin1, &ReadLimits::default(), "E001");
    assert!(d.message.contains("line 2, column 13"), "{d}");
}

#[test]
fn duplicate_keys_are_an_error_naming_both_positions() {
    // serde_json keeps the last value: this validated as a budget of 1e9.
    let text = "{\"name\": \"dup\",\n \"policy\": {\"monthly_budget\": 243.5,\n            \"monthly_budget\": 1e9}}";
    let err = match sovplan::parse_scenario(text, Path::new(".")) {
        Err(sovplan::Error::Invalid(d)) => d.0,
        other => panic!("{other:?}"),
    };
    assert_eq!(err.len(), 1, "{err:#?}");
    assert_eq!(err[0].code, "E011");
    assert_eq!(err[0].location, "<input>: policy.monthly_budget");
    assert!(
        err[0]
            .message
            .contains("line 2, column 13 and again at line 3, column 13"),
        "{}",
        err[0].message
    );
    // In a list of entities, the path names the element.
    let text = r#"{"name": "d", "providers": [{"id": "a", "headquarters": "DE", "id": "b"}]}"#;
    let Err(sovplan::Error::Invalid(d)) = sovplan::parse_scenario(text, Path::new(".")) else {
        panic!("accepted")
    };
    assert_eq!(d.0[0].location, "<input>: providers[0].id");
}

#[test]
fn files_above_the_limit_are_refused_before_they_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let big = format!(
        r#"{{"name": "big", "description": "{}"}}"#,
        "x".repeat(3 << 20)
    );
    let p = write(dir.path(), "big.json", &big);
    let d = one(&p, &ReadLimits::with_max_file_mb(2), "E013");
    assert!(d.message.contains("limit of 2 MiB"), "{d}");
    assert!(d.hint.contains("SOVPLAN_MAX_FILE_MB"), "{d}");
    assert!(read_scenario_with(&p, &ReadLimits::with_max_file_mb(4)).is_ok());

    // Each of two includes is under the limit, both together are not.
    let inc = |n: usize| format!(r#"{{"description": "{}"}}"#, "y".repeat(n));
    write(dir.path(), "a.json", &inc(600_000));
    write(dir.path(), "b.json", &inc(600_000));
    let top = write(
        dir.path(),
        "top.json",
        r#"{"name": "t", "include": ["a.json", "b.json"]}"#,
    );
    let limits = ReadLimits {
        max_file_bytes: 1 << 20,
        max_total_bytes: 1 << 20,
    };
    let d = one(&top, &limits, "E013");
    assert!(d.location.ends_with("b.json"), "{d}");
    assert!(d.message.contains("together"), "{d}");
    let text = read_text_with(&dir.path().join("a.json"), &limits).unwrap();
    assert_eq!(text.len(), 600_000 + 19);
}

#[test]
fn the_limit_comes_from_the_environment_and_a_bad_value_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let big = format!(
        r#"{{"name": "big", "description": "{}"}}"#,
        "x".repeat(3 << 20)
    );
    write(dir.path(), "big.json", &big);
    let ok = sovplan(dir.path(), &["validate", "big.json"], None, &[]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let small = sovplan(
        dir.path(),
        &["validate", "big.json"],
        None,
        &[("SOVPLAN_MAX_FILE_MB", "2")],
    );
    assert_eq!(small.status.code(), Some(2));
    assert!(stderr(&small).contains("error[E013]"), "{}", stderr(&small));
    for bad in ["0", "-1", "1.5", "lots"] {
        let o = sovplan(
            dir.path(),
            &["validate", "big.json"],
            None,
            &[("SOVPLAN_MAX_FILE_MB", bad)],
        );
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stderr(&o).contains("error[E014]"), "{bad}: {}", stderr(&o));
    }
}

#[test]
fn a_dash_reads_standard_input_and_dev_stdin_names_the_way_to_do_it() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "cat.json",
        r#"{"providers": [{"id": "p", "headquarters": "DE"}]}"#,
    );
    let scenario = br#"{"name": "piped", "include": ["cat.json"]}"#;
    let o = sovplan(dir.path(), &["validate", "-"], Some(scenario), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"piped\" is valid"));

    let o = sovplan(dir.path(), &["validate", "-"], Some(b"{\"name\": 1}"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("error[E003] <stdin>: name"),
        "{}",
        stderr(&o)
    );

    if cfg!(target_os = "linux") {
        let o = sovplan(dir.path(), &["validate", "/dev/stdin"], Some(scenario), &[]);
        assert_eq!(o.status.code(), Some(2));
        let e = stderr(&o);
        assert!(
            e.contains("error[E012] /dev/stdin: is a pipe (FIFO)"),
            "{e}"
        );
        assert!(e.contains("`-`"), "{e}");
    }
    // Standard input obeys the same limit.
    let huge = vec![b' '; (1 << 20) + 10];
    let o = sovplan(
        dir.path(),
        &["validate", "-"],
        Some(&huge),
        &[("SOVPLAN_MAX_FILE_MB", "1")],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("error[E013] <stdin>"), "{}", stderr(&o));
}

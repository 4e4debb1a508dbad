//! `sovplan export` and `solve -o plan.xlsx` end to end: the format chosen from the
//! flags and the extension, what the input is detected as, the files read back, and
//! every refusal exits 2 naming the path before anything is written.

mod common;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::shipped;
use std::path::Path;
use std::process::{Command, Output};

fn sovplan(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sovplan"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn ok(o: &Output) {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Exit 2 with `needle` in the message.
fn refused(o: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(needle), "{needle:?} not in {err}");
}

/// Every sheet of a workbook: name and cells.
fn sheets(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let names = wb.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let range = wb.worksheet_range(&n).unwrap();
            let rows = range.rows().map(<[Data]>::to_vec).collect();
            (n, rows)
        })
        .collect()
}

/// A temporary directory with the plan of the worked example as `plan.json`.
fn with_plan() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let sc = shipped("rathaus-drei-dienste");
    ok(&sovplan(
        &["solve", sc.to_str().unwrap(), "-o", "plan.json"],
        dir.path(),
    ));
    dir
}

#[test]
fn solve_to_xlsx_writes_the_workbook_export_writes_from_the_json_plan() {
    let dir = with_plan();
    let d = dir.path();
    let sc = shipped("rathaus-drei-dienste");
    ok(&sovplan(
        &["solve", sc.to_str().unwrap(), "-o", "plan.XLSX"],
        d,
    ));
    ok(&sovplan(&["export", "plan.json", "-o", "exported.xlsx"], d));
    let direct = sheets(&d.join("plan.XLSX"));
    let names: Vec<&str> = direct.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "summary",
            "placements",
            "providers",
            "dependencies",
            "limits",
            "estimates"
        ]
    );
    assert_eq!(direct, sheets(&d.join("exported.xlsx")));
    let placements = &direct[1].1;
    assert_eq!(placements.len(), 1 + 3, "header and three services");
}

#[test]
fn csv_in_both_locales_and_the_reports_of_price_sweep_and_diff() {
    let dir = with_plan();
    let d = dir.path();
    ok(&sovplan(
        &[
            "export",
            "plan.json",
            "-o",
            "de",
            "--format",
            "csv",
            "--locale",
            "de",
        ],
        d,
    ));
    let de = std::fs::read_to_string(d.join("de/placements.csv")).unwrap();
    assert!(de.starts_with("\u{feff}service;"), "{de}");
    assert!(de.contains(";35,75;"), "decimal commas: {de}");
    ok(&sovplan(
        &["export", "plan.json", "-o", "en", "--format", "csv"],
        d,
    ));
    let en = std::fs::read_to_string(d.join("en/placements.csv")).unwrap();
    assert!(en.starts_with("service,") && en.contains(",35.75,"), "{en}");

    let sc = shipped("rathaus-drei-dienste");
    let sc = sc.to_str().unwrap();
    ok(&sovplan(&["price", sc, "-o", "price.json"], d));
    let vary = "policy.max_provider_share=0.5,1";
    ok(&sovplan(
        &["sweep", sc, "--vary", vary, "-o", "sweep.json"],
        d,
    ));
    ok(&sovplan(
        &["diff", "plan.json", "plan.json", "-o", "diff.json"],
        d,
    ));
    for (report, table) in [
        ("price", "rules"),
        ("sweep", "points"),
        ("diff", "services"),
    ] {
        let xlsx = format!("{report}.xlsx");
        let o = sovplan(&["export", &format!("{report}.json"), "-o", &xlsx], d);
        ok(&o);
        assert!(String::from_utf8_lossy(&o.stderr).contains(&format!("{report} report")));
        let names: Vec<String> = sheets(&d.join(&xlsx)).into_iter().map(|s| s.0).collect();
        assert!(names.contains(&table.to_string()), "{report}: {names:?}");
        ok(&sovplan(
            &[
                "export",
                &format!("{report}.json"),
                "-o",
                report,
                "--format",
                "csv",
            ],
            d,
        ));
        assert!(d.join(report).join(format!("{table}.csv")).is_file());
    }
}

#[test]
fn every_refusal_exits_2_with_the_path_and_writes_nothing() {
    let dir = with_plan();
    let d = dir.path();
    let plan = "plan.json";
    refused(&sovplan(&["export", plan, "-o", "out"], d), "out");
    refused(
        &sovplan(&["export", plan, "-o", "p.xlsx", "--locale", "de"], d),
        "--locale",
    );
    refused(
        &sovplan(&["export", plan, "-o", "p.xlsx", "--format", "csv"], d),
        "p.xlsx",
    );
    refused(
        &sovplan(&["export", plan, "-o", "no/such/p.xlsx"], d),
        "no/such/p.xlsx",
    );
    refused(
        &sovplan(&["export", plan, "-o", plan, "--format", "xlsx"], d),
        plan,
    );
    refused(
        &sovplan(&["export", "missing.json", "-o", "p.xlsx"], d),
        "missing.json",
    );
    let sc = shipped("kleinstadt");
    refused(
        &sovplan(&["export", sc.to_str().unwrap(), "-o", "p.xlsx"], d),
        "neither a plan nor",
    );
    std::fs::write(d.join("broken.json"), r#"{"placements": 3}"#).unwrap();
    refused(
        &sovplan(&["export", "broken.json", "-o", "p.xlsx"], d),
        "broken.json",
    );
    std::fs::write(d.join("afile"), "").unwrap();
    refused(
        &sovplan(&["export", plan, "-o", "afile", "--format", "csv"], d),
        "afile",
    );
    assert!(!d.join("p.xlsx").exists() && !d.join("out").exists());
    let sc = shipped("rathaus-drei-dienste");
    refused(
        &sovplan(&["solve", sc.to_str().unwrap(), "-o", "plan.csv"], d),
        "several tables",
    );
    assert!(!d.join("plan.csv").exists());
}

/// A roadmap plan (the hand-written fixture) exports through the CLI with its year
/// sheets and files.
#[test]
fn export_of_a_roadmap_plan_has_the_year_sheets_and_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let plan = common::repo().join("tests/fixtures/roadmap-plan.json");
    let plan = plan.to_str().unwrap();
    let o = sovplan(&["export", plan, "-o", "roadmap.xlsx"], d);
    ok(&o);
    assert!(String::from_utf8_lossy(&o.stderr).contains("(9 tables)"));
    let names: Vec<String> = sheets(&d.join("roadmap.xlsx"))
        .into_iter()
        .map(|s| s.0)
        .collect();
    assert_eq!(
        names[5..],
        ["estimates", "years", "schedule", "providers_by_year"]
    );
    ok(&sovplan(
        &[
            "export", plan, "-o", "de", "--format", "csv", "--locale", "de",
        ],
        d,
    ));
    let years = std::fs::read_to_string(d.join("de/years.csv")).unwrap();
    assert!(
        years.starts_with("\u{feff}year;monthly_cost;one_off_cost;annual_cost;"),
        "{years}"
    );
    assert!(
        years.contains("\r\n2027;160,00;0,00;1920,00;0;2;0,625;0,625\r\n"),
        "{years}"
    );
    let limits = std::fs::read_to_string(d.join("de/limits.csv")).unwrap();
    assert!(limits.starts_with("\u{feff}limit;subject;value;bound;binding;year\r\n"));
}

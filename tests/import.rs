//! `sovplan import`: shipped scenarios written as CSV (both locales, detected and
//! fixed) come back with the same services, dependencies and optimum; every problem
//! of a broken inventory is reported at once with file, line and column, and nothing
//! is written.

mod common;

use common::{repo, shipped};
use sovplan::format::import::{
    import_scenario, CsvSource, ImportOptions, DEPENDENCY_COLUMNS, SERVICE_COLUMNS,
};
use sovplan::format::read::read_file;
use sovplan::format::{ScenarioFile, ServiceDef};
use sovplan::{load_scenario, Diagnostic};
use std::path::Path;
use std::process::{Command, Output};

fn sovplan(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sovplan"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

/// How the test writes a CSV file.
#[derive(Clone, Copy)]
struct Style {
    sep: u8,
    /// Decimal commas and `.` grouping of thousands, as a German Excel shows them.
    german: bool,
    bom: bool,
}

fn num(x: f64, style: Style) -> String {
    if !style.german {
        return x.to_string();
    }
    let text = x.to_string().replace('.', ",");
    let (int, frac) = text
        .split_once(',')
        .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let digits: Vec<char> = int.chars().collect();
    let mut grouped = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(*c);
    }
    frac.map_or(grouped.clone(), |f| format!("{grouped},{f}"))
}

fn service_cells(s: &ServiceDef, style: Style) -> Vec<String> {
    let n = |x: Option<f64>| x.map(|x| num(x, style)).unwrap_or_default();
    let t = |x: &Option<String>| x.clone().unwrap_or_default();
    let d = &s.demand;
    let allowed = s.allowed_offerings.clone().unwrap_or_default().join("|");
    let cells = [
        s.id.clone(),
        t(&s.name),
        t(&s.description),
        t(&s.data_class),
        num(d.vcpu, style),
        num(d.ram_gb, style),
        num(d.storage_gb, style),
        n(d.egress_gb_month),
        t(&s.demand_source),
        t(&s.current_offering),
        n(s.migration_cost),
        n(s.replatform_cost),
        allowed,
        s.forbidden_offerings.join(" | "),
        s.movable_from.map(|y| y.to_string()).unwrap_or_default(),
    ];
    cells.into()
}

fn csv_text(header: &[&str], rows: Vec<Vec<String>>, style: Style) -> Vec<u8> {
    let mut out = Vec::new();
    if style.bom {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut w = csv::WriterBuilder::new()
        .delimiter(style.sep)
        .from_writer(&mut out);
    // Header names are case-insensitive: write them as a spreadsheet user might.
    w.write_record(header.iter().map(|h| h.to_uppercase()))
        .unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    drop(w);
    out
}

/// The services and dependencies files of a scenario in `style`.
fn as_csv(file: &ScenarioFile, style: Style) -> (Vec<u8>, Vec<u8>) {
    let services = file
        .services
        .iter()
        .map(|s| service_cells(s, style))
        .collect();
    let deps = file
        .dependencies
        .iter()
        .map(|d| {
            let colocate = d.colocate.map(|c| serde_json::to_value(c).unwrap());
            vec![
                d.from.clone(),
                d.to.clone(),
                d.traffic_gb_month
                    .map(|x| num(x, style))
                    .unwrap_or_default(),
                colocate
                    .map(|c| c.as_str().unwrap().to_string())
                    .unwrap_or_default(),
                d.description.clone().unwrap_or_default(),
            ]
        })
        .collect();
    (
        csv_text(&SERVICE_COLUMNS, services, style),
        csv_text(&DEPENDENCY_COLUMNS, deps, style),
    )
}

fn total_cost(path: &Path) -> f64 {
    let sc = load_scenario(path).unwrap();
    common::solve(&sc).plan.total_cost
}

#[test]
fn shipped_scenarios_round_trip_through_csv_in_both_locales() {
    let styles = [
        (
            "en",
            None,
            Style {
                sep: b',',
                german: false,
                bom: false,
            },
        ),
        (
            "de-detected",
            None,
            Style {
                sep: b';',
                german: false,
                bom: true,
            },
        ),
        (
            "de-grouped",
            Some("de"),
            Style {
                sep: b';',
                german: true,
                bom: true,
            },
        ),
    ];
    for stem in ["kleinstadt", "rathaus-drei-dienste"] {
        let original = read_file(&shipped(stem)).unwrap();
        let optimum = total_cost(&shipped(stem));
        assert_eq!(Some(optimum), common::optimum(stem));
        for (tag, locale, style) in styles {
            let dir = tempfile::tempdir().unwrap();
            let d = dir.path();
            let (services, deps) = as_csv(&original, style);
            std::fs::write(d.join("services.csv"), services).unwrap();
            std::fs::write(d.join("deps.csv"), deps).unwrap();
            let policy = serde_json::to_string(&original.policy).unwrap();
            std::fs::write(d.join("policy.json"), policy).unwrap();
            std::fs::create_dir(d.join("out")).unwrap();
            let providers = repo().join("models/providers.json");
            let classes = repo().join("models/data-classes.json");
            let mut args = vec![
                "import",
                "--services",
                "services.csv",
                "--dependencies",
                "deps.csv",
                "--include",
                providers.to_str().unwrap(),
                "--include",
                classes.to_str().unwrap(),
                "--policy",
                "policy.json",
                "--name",
                stem,
                "-o",
                "out/s.json",
            ];
            if let Some(l) = locale {
                args.extend(["--locale", l]);
            }
            let o = sovplan(&args, d);
            assert_eq!(
                o.status.code(),
                Some(0),
                "{stem} {tag}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            let imported = read_file(&d.join("out/s.json")).unwrap();
            assert_eq!(imported.services, original.services, "{stem} {tag}");
            assert_eq!(imported.dependencies, original.dependencies, "{stem} {tag}");
            assert_eq!(imported.policy, original.policy, "{stem} {tag}");
            assert!(imported.include.iter().all(|i| !Path::new(i).is_absolute()));
            assert_eq!(total_cost(&d.join("out/s.json")), optimum, "{stem} {tag}");
        }
    }
}

fn opts() -> ImportOptions {
    ImportOptions {
        name: "t".into(),
        include: vec!["providers.json".into(), "data-classes.json".into()],
        policy: None,
        roadmap: None,
        locale: None,
        label: "t.json".into(),
        base_dir: repo().join("models"),
    }
}

fn src(label: &str, text: &str) -> CsvSource {
    CsvSource {
        label: label.into(),
        bytes: text.as_bytes().to_vec(),
    }
}

fn locations(errs: &[Diagnostic]) -> Vec<(String, &str)> {
    errs.iter().map(|d| (d.location.clone(), d.code)).collect()
}

#[test]
fn every_problem_of_both_files_is_reported_at_once_with_line_and_column() {
    let services = src(
        "s.csv",
        "id,Name,vcpu,ram_gb,storage_gb,colour\n\
         a,A,2,4,10,red\n\
         ,B,2,4,10,\n\
         c,C,zwei,4,10,\n\
         d,D,1,1,1,,surplus\n",
    );
    let deps = src("d.csv", "from;to;colocate\na;c;region\n;a;\n");
    let errs = import_scenario(&services, Some(&deps), &opts()).unwrap_err();
    assert_eq!(
        locations(&errs),
        [
            ("s.csv: line 1, column colour".to_string(), "I002"),
            ("s.csv: line 5".to_string(), "I006"),
            ("s.csv: line 3, column id".to_string(), "I003"),
            ("s.csv: line 4, column vcpu".to_string(), "I004"),
            ("d.csv: line 2, column colocate".to_string(), "I005"),
            ("d.csv: line 3, column from".to_string(), "I003"),
        ],
        "{errs:#?}"
    );
    assert!(errs[0].hint.contains("vcpu"), "the hint lists the columns");
}

#[test]
fn validation_problems_point_back_to_the_csv_line() {
    let services = src(
        "s.csv",
        "id;vcpu;ram_gb;storage_gb;current_offering;allowed_offerings\n\
         a;1,5;4;10;nowhere;\n\
         b;-1;4;10;;hetzner-fsn|nirgends\n",
    );
    let errs = import_scenario(&services, None, &opts()).unwrap_err();
    assert_eq!(
        locations(&errs),
        [
            ("s.csv: line 2, column current_offering".to_string(), "E105"),
            (
                "s.csv: line 3, column allowed_offerings".to_string(),
                "E105"
            ),
            ("s.csv: line 3, column vcpu".to_string(), "E107"),
        ],
        "{errs:#?}"
    );
}

#[test]
fn ambiguous_numbers_and_foreign_encodings_are_refused_not_guessed() {
    // A ;-file without a decimal comma: 1.500 could be 1500 or 1.5.
    let services = src("s.csv", "id;vcpu;ram_gb;storage_gb\na;2;4;1.500\n");
    let errs = import_scenario(&services, None, &opts()).unwrap_err();
    assert_eq!(
        locations(&errs),
        [("s.csv: line 2, column storage_gb".to_string(), "I004")]
    );
    let de = ImportOptions {
        locale: Some(sovplan::export::Locale::De),
        ..opts()
    };
    let file = import_scenario(&services, None, &de).unwrap();
    assert_eq!(file.services[0].demand.storage_gb, 1500.0);
    let en = ImportOptions {
        locale: Some(sovplan::export::Locale::En),
        ..opts()
    };
    let file = import_scenario(
        &src("s.csv", "id,vcpu,ram_gb,storage_gb\na,2,4,1.5\n"),
        None,
        &en,
    )
    .unwrap();
    assert_eq!(file.services[0].demand.storage_gb, 1.5);
    // Windows-1252 "ö" from an Excel "CSV" export.
    let latin = CsvSource {
        label: "s.csv".into(),
        bytes: b"id,name,vcpu,ram_gb,storage_gb\na,K\xf6ln,1,1,1\n".to_vec(),
    };
    let errs = import_scenario(&latin, None, &opts()).unwrap_err();
    assert_eq!(errs[0].code, "I001");
    assert!(errs[0].hint.contains("UTF-8"));
}

#[test]
fn the_cli_writes_nothing_when_anything_is_wrong_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("s.csv"), "id,vcpu,ram_gb,storage_gb\na,x,1,1\n").unwrap();
    std::fs::write(d.join("policy.json"), r#"{"max_provider_shares": 0.5}"#).unwrap();
    let providers = repo().join("models/providers.json");
    let o = sovplan(
        &[
            "import",
            "--services",
            "s.csv",
            "--include",
            providers.to_str().unwrap(),
            "--policy",
            "policy.json",
            "-o",
            "s.json",
        ],
        d,
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("s.csv: line 2, column vcpu") && err.contains("policy.json"),
        "{err}"
    );
    assert!(!d.join("s.json").exists());
    let o = sovplan(&["import", "--services", "s.csv", "-o", "s.csv"], d);
    assert_eq!(o.status.code(), Some(2));
    let o = sovplan(&["import", "--services", "missing.csv", "-o", "s.json"], d);
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing.csv"));
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn movable_from_is_read_as_a_whole_year() {
    let services = src(
        "s.csv",
        "id;vcpu;ram_gb;storage_gb;current_offering;migration_cost;movable_from\n\
         a;2;4;10;stackit-eu01;1500,5;2028\n\
         b;2;4;10;;;\n",
    );
    // Without a roadmap, movable_from means nothing: an error pointing at the cell.
    let errs = import_scenario(&services, None, &opts()).unwrap_err();
    assert_eq!(
        locations(&errs),
        [("s.csv: line 2, column movable_from".to_string(), "E120")]
    );
    let with_roadmap = ImportOptions {
        roadmap: Some(sovplan::format::RoadmapDef {
            start_year: 2027,
            years: 5,
            ..Default::default()
        }),
        ..opts()
    };
    let file = import_scenario(&services, None, &with_roadmap).unwrap();
    assert_eq!(file.roadmap.as_ref().map(|r| r.years), Some(5));
    let years: Vec<_> = file.services.iter().map(|s| s.movable_from).collect();
    assert_eq!(years, [Some(2028), None]);
    assert_eq!(file.services[0].migration_cost, Some(1500.5));
    let services = src(
        "s.csv",
        "id,vcpu,ram_gb,storage_gb,movable_from\na,2,4,10,2028.5\nb,2,4,10,x\n",
    );
    let errs = import_scenario(&services, None, &opts()).unwrap_err();
    assert_eq!(
        locations(&errs),
        [
            ("s.csv: line 2, column movable_from".to_string(), "I004"),
            ("s.csv: line 3, column movable_from".to_string(), "I004"),
        ],
        "{errs:#?}"
    );
    assert!(errs[0].message.contains("not a whole year"), "{errs:#?}");
}

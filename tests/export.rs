//! Export of plans and reports, checked by reading the files back: XLSX with calamine
//! (sheet list, every cell's type and number format, frozen header, autofilter,
//! column sums against the totals), CSV with the csv crate in both locales. Also: the
//! plans of every shipped scenario up to 400 services reconcile to the cent.

use calamine::{open_workbook, Data, Reader, Xlsx};
use sovplan::analysis::sweep::{self, PointResult, Vary};
use sovplan::analysis::Status;
use sovplan::check::check;
use sovplan::export::{
    plan_tables, report_tables, write_csv_dir, write_xlsx, Kind, Layout, Locale, Table, BOM,
};
use sovplan::{load_scenario, plan_scenario, Plan, Scenario, SolveOptions};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn scenario_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

fn solve(sc: &Scenario) -> Plan {
    plan_scenario(sc, &SolveOptions::default())
        .unwrap()
        .planned()
        .expect("the scenario has a plan")
        .plan
}

/// kleinstadt and its plan, solved once and checked.
fn kleinstadt() -> &'static (Scenario, Plan) {
    static PLAN: OnceLock<(Scenario, Plan)> = OnceLock::new();
    PLAN.get_or_init(|| {
        let sc = load_scenario(&scenario_path("kleinstadt.json")).unwrap();
        let plan = solve(&sc);
        assert!(check(&sc, &plan).is_empty(), "{:?}", check(&sc, &plan));
        assert!(
            !plan.estimates.as_ref().unwrap().is_empty(),
            "kleinstadt uses estimates"
        );
        (sc, plan)
    })
}

fn cents(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

/// A sheet read back: header and rows of cells.
struct Sheet {
    header: Vec<String>,
    rows: Vec<Vec<Data>>,
}

impl Sheet {
    fn column(&self, name: &str) -> Vec<&Data> {
        let c = self
            .header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}"));
        self.rows.iter().map(|r| &r[c]).collect()
    }

    fn money_sum(&self, name: &str) -> i64 {
        self.column(name)
            .into_iter()
            .map(|d| cents(number(d)))
            .sum()
    }

    /// The value of a key/value sheet's field.
    fn field(&self, name: &str) -> &Data {
        &self
            .rows
            .iter()
            .find(|r| r[0] == Data::String(name.into()))
            .unwrap()[1]
    }
}

fn number(d: &Data) -> f64 {
    match d {
        Data::Float(x) => *x,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

fn read_xlsx(path: &Path) -> (Vec<String>, HashMap<String, Sheet>) {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let names = wb.sheet_names();
    let mut sheets = HashMap::new();
    for n in &names {
        let range = wb.worksheet_range(n).unwrap();
        assert!(
            range.is_empty() || range.start() == Some((0, 0)),
            "{n} starts at A1"
        );
        let mut rows = range.rows().map(|r| r.to_vec());
        let header = rows
            .next()
            .map(|h| h.iter().map(|d| d.to_string()).collect())
            .unwrap_or_default();
        sheets.insert(
            n.clone(),
            Sheet {
                header,
                rows: rows.collect(),
            },
        );
    }
    (names, sheets)
}

/// Every cell of a sheet read back has the type its column's kind demands.
fn assert_cell_types(t: &Table, s: &Sheet) {
    let (header, grid) = t.grid();
    assert_eq!(s.header, header, "{}", t.name);
    assert_eq!(s.rows.len(), grid.len(), "{}", t.name);
    for (r, (got, want)) in s.rows.iter().zip(&grid).enumerate() {
        for (c, (d, (cell, kind))) in got.iter().zip(want).enumerate() {
            let ok = match (cell, kind, d) {
                (sovplan::export::Cell::Empty, _, Data::Empty) => true,
                // Excel has no empty strings: they are blank cells.
                (sovplan::export::Cell::Text(t), _, Data::Empty) => t.is_empty(),
                (_, Kind::Money | Kind::Share | Kind::Count | Kind::Number, d) => {
                    matches!(d, Data::Float(_) | Data::Int(_))
                }
                (_, Kind::Bool, d) => matches!(d, Data::Bool(_)),
                (_, Kind::Date, d) => matches!(d, Data::DateTime(_)),
                (_, Kind::Text, d) => matches!(d, Data::String(_)),
            };
            assert!(
                ok,
                "{} row {} col {c}: {kind:?} cell {cell:?} read as {d:?}",
                t.name,
                r + 1
            );
        }
    }
}

#[test]
fn xlsx_of_a_plan_reads_back_with_typed_cells_and_columns_that_add_up() {
    let (_, plan) = kleinstadt();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.xlsx");
    let tables = plan_tables(plan);
    write_xlsx(&tables, &path).unwrap();
    let (names, sheets) = read_xlsx(&path);
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
    for t in &tables {
        assert_cell_types(t, &sheets[&t.name]);
    }
    let summary = &sheets["summary"];
    assert_eq!(summary.header, ["field", "value"]);
    assert_eq!(
        summary.field("scenario"),
        &Data::String(plan.scenario.clone())
    );
    let monthly = cents(number(summary.field("monthly_cost")));
    let one_off = cents(number(summary.field("one_off_cost")));
    assert_eq!(monthly, cents(plan.monthly_cost));
    // What a spreadsheet's SUM over the columns gives, exactly to the cent.
    let placements = &sheets["placements"];
    let providers = &sheets["providers"];
    assert_eq!(
        placements.money_sum("monthly_cost") + providers.money_sum("fee"),
        monthly
    );
    assert_eq!(providers.money_sum("spend"), monthly);
    assert_eq!(placements.money_sum("one_off_cost"), one_off);
    assert_eq!(
        sheets["dependencies"].money_sum("cost"),
        placements.money_sum("traffic_cost")
    );
    // Values are the plan's, booleans are booleans, umlauts survive.
    let row0 = &plan.placements[0];
    assert_eq!(
        placements.column("monthly_cost")[0],
        &Data::Float(row0.monthly_cost)
    );
    assert_eq!(placements.column("moved")[0], &Data::Bool(row0.moved));
    let names: Vec<String> = providers
        .column("name")
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert!(names.iter().any(|n| n.contains("AöR")), "{names:?}");
    let est = &sheets["estimates"];
    assert_eq!(est.rows.len(), plan.estimates.as_ref().unwrap().len());
    assert!(est
        .column("as_of")
        .iter()
        .all(|d| matches!(d, Data::DateTime(_))));
}

/// The XML of the `n`-th sheet (1-based) of a workbook.
fn sheet_xml(path: &Path, n: usize) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{n}.xml"))
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

fn column_letter(c: usize) -> String {
    let (mut c, mut s) = (c + 1, String::new());
    while c > 0 {
        s.insert(0, (b'A' + ((c - 1) % 26) as u8) as char);
        c = (c - 1) / 26;
    }
    s
}

#[test]
fn xlsx_sheets_freeze_the_header_filter_and_format_money_and_shares() {
    let (_, plan) = kleinstadt();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.xlsx");
    let tables = plan_tables(plan);
    write_xlsx(&tables, &path).unwrap();
    for (i, t) in tables.iter().enumerate() {
        let xml = sheet_xml(&path, i + 1);
        assert!(
            xml.contains(r#"ySplit="1""#) && xml.contains(r#"state="frozen""#),
            "{}",
            t.name
        );
        let (header, rows) = t.grid();
        let range = format!("A1:{}{}", column_letter(header.len() - 1), rows.len() + 1);
        assert!(
            xml.contains(&format!(r#"<autoFilter ref="{range}"/>"#)),
            "{}: {range}",
            t.name
        );
        assert!(xml.contains("<cols>"), "{}: column widths", t.name);
    }
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let styles = wb.worksheet_style("providers").unwrap();
    let format = |row: u32, col: usize| {
        let style = styles.get((row, col as u32)).expect("styled cell");
        style.number_format.as_ref().map(|f| f.format_code.clone())
    };
    let providers = &tables[2];
    let col = |n: &str| providers.column(n).unwrap();
    assert_eq!(format(1, col("spend")).as_deref(), Some("#,##0.00"));
    assert_eq!(format(1, col("fee")).as_deref(), Some("#,##0.00"));
    assert_eq!(format(1, col("share")).as_deref(), Some("0.00%"));
    assert_eq!(format(1, col("services")).as_deref(), Some("0"));
    let header = styles.get((0, 0)).unwrap();
    assert!(header.font.as_ref().is_some_and(|f| f.is_bold()));
}

/// Reads one CSV file of a directory: (had a BOM, header, rows).
fn read_csv(dir: &Path, name: &str, sep: u8) -> (bool, Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(dir.join(format!("{name}.csv"))).unwrap();
    let text = String::from_utf8(bytes).expect("UTF-8");
    assert!(text.ends_with("\r\n"), "{name}: CRLF line ends");
    let bom = text.starts_with(BOM);
    let mut r = csv::ReaderBuilder::new()
        .delimiter(sep)
        .from_reader(text.trim_start_matches(BOM).as_bytes());
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (bom, header, rows)
}

fn csv_column<'a>(header: &[String], rows: &'a [Vec<String>], name: &str) -> Vec<&'a str> {
    let c = header.iter().position(|h| h == name).unwrap();
    rows.iter().map(|r| r[c].as_str()).collect()
}

fn csv_cents(values: &[&str], decimal: char) -> i64 {
    values
        .iter()
        .map(|v| cents(v.replace(decimal, ".").parse::<f64>().unwrap()))
        .sum()
}

#[test]
fn csv_in_both_locales_parses_back_and_adds_up() {
    let (_, plan) = kleinstadt();
    let tables = plan_tables(plan);
    for (locale, sep, decimal, yes) in [
        (Locale::En, b',', '.', "true"),
        (Locale::De, b';', ',', "WAHR"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let paths = write_csv_dir(&tables, dir.path(), locale).unwrap();
        let files: Vec<String> = paths
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            files,
            [
                "summary.csv",
                "placements.csv",
                "providers.csv",
                "dependencies.csv",
                "limits.csv",
                "estimates.csv"
            ]
        );
        let (bom, header, rows) = read_csv(dir.path(), "placements", sep);
        assert_eq!(bom, locale == Locale::De, "{locale:?}: BOM");
        assert_eq!(header.len(), 19);
        assert_eq!(rows.len(), plan.placements.len());
        let monthly = csv_column(&header, &rows, "monthly_cost");
        if locale == Locale::De {
            assert!(monthly.iter().all(|v| !v.contains('.')), "{monthly:?}");
        }
        let (_, ph, prows) = read_csv(dir.path(), "providers", sep);
        let fee = csv_column(&ph, &prows, "fee");
        let (_, sh, srows) = read_csv(dir.path(), "summary", sep);
        assert_eq!(sh, ["field", "value"]);
        let total = srows.iter().find(|r| r[0] == "monthly_cost").unwrap()[1].clone();
        assert_eq!(
            csv_cents(&monthly, decimal) + csv_cents(&fee, decimal),
            csv_cents(&[&total], decimal),
            "{locale:?}"
        );
        let one_off = csv_column(&header, &rows, "one_off_cost");
        let total = srows.iter().find(|r| r[0] == "one_off_cost").unwrap()[1].clone();
        assert_eq!(csv_cents(&one_off, decimal), csv_cents(&[&total], decimal));
        let moved = csv_column(&header, &rows, "moved");
        assert!(moved.contains(&yes), "{locale:?}: {moved:?}");
        let names = csv_column(&ph, &prows, "name");
        assert!(names.iter().any(|n| n.contains("AöR")), "{names:?}");
    }
}

#[test]
fn shipped_scenarios_up_to_400_services_reconcile_to_the_cent() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenario_path(""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut tested = 0;
    for f in files {
        let sc = load_scenario(&f).unwrap();
        // Roadmap plans reconcile per year (tests/roadmap.rs, tests/check_roadmap.rs);
        // grossstadt-roadmap alone would take minutes here.
        if sc.services.len() > 400 || sc.roadmap.is_some() {
            continue;
        }
        let plan = solve(&sc);
        let v = check(&sc, &plan);
        assert!(v.is_empty(), "{}: {v:?}", f.display());
        let sum = |xs: Vec<f64>| xs.into_iter().map(cents).sum::<i64>();
        let monthly = sum(plan.placements.iter().map(|r| r.monthly_cost).collect());
        let fees = sum(plan.providers.iter().map(|r| r.fee.unwrap()).collect());
        let one_off = sum(plan.placements.iter().map(|r| r.one_off_cost).collect());
        eprintln!(
            "{}: {} services, Σ monthly {:.2} + Σ fee {:.2} = {:.2} vs monthly_cost {:.2}; Σ one_off {:.2} vs one_off_cost {:.2}",
            sc.name,
            sc.services.len(),
            monthly as f64 / 100.0,
            fees as f64 / 100.0,
            (monthly + fees) as f64 / 100.0,
            plan.monthly_cost,
            one_off as f64 / 100.0,
            plan.one_off_cost
        );
        assert_eq!(monthly + fees, cents(plan.monthly_cost), "{}", f.display());
        assert_eq!(one_off, cents(plan.one_off_cost), "{}", f.display());
        tested += 1;
    }
    assert!(tested >= 6, "only {tested} scenarios");
}

#[test]
fn old_plans_export_with_empty_cells_and_no_estimates_sheet() {
    let (_, plan) = kleinstadt();
    let mut old = plan.clone();
    old.estimates = None;
    old.providers.iter_mut().for_each(|r| r.fee = None);
    let tables = plan_tables(&old);
    assert_eq!(tables.len(), 5);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.xlsx");
    write_xlsx(&tables, &path).unwrap();
    let (_, sheets) = read_xlsx(&path);
    assert!(sheets["providers"]
        .column("fee")
        .iter()
        .all(|d| **d == Data::Empty));
    for t in &tables {
        assert_cell_types(t, &sheets[&t.name]);
    }
}

/// A sweep report over `policy.max_provider_share` with one infeasible point.
fn sweep_report() -> serde_json::Value {
    let point = |index, share: &str, total: Option<f64>| PointResult {
        index,
        values: vec![share.into()],
        status: if total.is_some() {
            Status::Optimal
        } else {
            Status::Infeasible
        },
        total_cost: total,
        monthly_cost: total.map(|t| t / 36.0),
        one_off_cost: total.map(|_| 0.0),
        providers_used: total.map(|_| 3),
        max_share: total.map(|_| 0.4),
        cloud_act_share: total.map(|_| 0.0),
        max_exit_cost: total.map(|_| 1000.0),
        placement: total.map(|_| vec!["a".to_string()]),
    };
    let varies = [Vary {
        path: "policy.max_provider_share".into(),
        values: vec!["0.3".into(), "0.4".into()],
    }];
    let results = [point(0, "0.3", None), point(1, "0.4", Some(3600.0))];
    sweep::report("x", "fnv1a64:0", &[], &varies, &results)
}

#[test]
fn reports_of_other_commands_export_the_same_way() {
    let (sc, plan) = kleinstadt();
    // A diff against the same scenario with Hetzner forbidden for everyone.
    let mut other = sc.clone();
    let hetzner: Vec<_> = sc
        .offering_ids()
        .filter(|o| sc.offerings[o.index()].id.starts_with("hetzner"))
        .collect();
    other
        .services
        .iter_mut()
        .for_each(|s| s.forbidden_offerings.extend(&hetzner));
    other
        .services
        .iter_mut()
        .for_each(|s| s.forbidden_offerings.sort());
    let diff = sovplan::analysis::diff::diff(plan, &solve(&other), false).unwrap();
    let rathaus = load_scenario(&scenario_path("rathaus-drei-dienste.json")).unwrap();
    let inst = sovplan::Instance::new(rathaus);
    let price = sovplan::analysis::price::price(&inst, &SolveOptions::default(), 1).unwrap();
    let reports = [
        (
            "diff",
            serde_json::to_value(&diff).unwrap(),
            vec!["summary", "services", "providers"],
        ),
        (
            "price",
            serde_json::to_value(&price).unwrap(),
            vec!["summary", "rules"],
        ),
        ("sweep", sweep_report(), vec!["summary", "vary", "points"]),
    ];
    for (what, json, sheets) in reports {
        let tables = report_tables(&json);
        assert_eq!(tables[0].layout, Layout::KeyValue, "{what}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("{what}.xlsx"));
        write_xlsx(&tables, &path).unwrap();
        let (names, read) = read_xlsx(&path);
        assert_eq!(names, sheets, "{what}");
        for t in &tables {
            assert_cell_types(t, &read[&t.name]);
        }
        write_csv_dir(&tables, dir.path(), Locale::De).unwrap();
    }
    let kinds = |json: &serde_json::Value, table: &str| -> HashMap<String, Kind> {
        let t = report_tables(json)
            .into_iter()
            .find(|t| t.name == table)
            .unwrap();
        t.columns.into_iter().map(|c| (c.name, c.kind)).collect()
    };
    let d = kinds(&serde_json::to_value(&diff).unwrap(), "providers");
    assert_eq!(d["spend_delta"], Kind::Money);
    assert_eq!(d["share_b"], Kind::Share);
    let p = kinds(&serde_json::to_value(&price).unwrap(), "rules");
    assert_eq!(
        (p["price"], p["services_moved"]),
        (Kind::Money, Kind::Count)
    );
    let s = kinds(&sweep_report(), "points");
    assert_eq!(s["policy.max_provider_share"], Kind::Share);
    assert_eq!((s["total_cost"], s["pareto"]), (Kind::Money, Kind::Bool));
}

#[test]
fn the_generic_reader_sees_a_plan_as_the_plan_exporter_does() {
    let (_, plan) = kleinstadt();
    let explicit = plan_tables(plan);
    let inferred = report_tables(&serde_json::to_value(plan).unwrap());
    assert_eq!(explicit.len(), inferred.len());
    for (a, b) in explicit.iter().zip(&inferred) {
        assert_eq!(a.name, b.name);
        assert_eq!(a.columns, b.columns, "{}", a.name);
        assert_eq!(a.rows, b.rows, "{}", a.name);
    }
}

// ---- roadmap plans ----------------------------------------------------------------

/// A hand-written 2-service, 2-year roadmap plan (`tests/fixtures/roadmap-plan.json`):
/// one service moves from a CLOUD-Act provider in 2028, the other stays; every figure
/// is consistent (Σ schedule + Σ fees = each year's monthly cost, Σ annual = total).
fn roadmap_plan() -> Plan {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/roadmap-plan.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

const ROADMAP_SHEETS: [&str; 9] = [
    "summary",
    "placements",
    "providers",
    "dependencies",
    "limits",
    "estimates",
    "years",
    "schedule",
    "providers_by_year",
];

/// Σ `money` over the rows of `sheet` whose `year` is `year`, in cents.
fn year_sum(sheet: &Sheet, money: &str, year: f64) -> i64 {
    let years = sheet.column("year");
    let values = sheet.column(money);
    years
        .iter()
        .zip(values)
        .filter(|(y, _)| number(y) == year)
        .map(|(_, v)| cents(number(v)))
        .sum()
}

#[test]
fn xlsx_of_a_roadmap_plan_has_year_sheets_that_add_up() {
    let plan = roadmap_plan();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roadmap.xlsx");
    let tables = plan_tables(&plan);
    write_xlsx(&tables, &path).unwrap();
    let (names, sheets) = read_xlsx(&path);
    assert_eq!(names, ROADMAP_SHEETS);
    for t in &tables {
        assert_cell_types(t, &sheets[&t.name]);
    }
    let (years, schedule, by_year) = (
        &sheets["years"],
        &sheets["schedule"],
        &sheets["providers_by_year"],
    );
    assert_eq!(years.rows.len(), 2);
    for (i, y) in years.column("year").into_iter().enumerate() {
        let y = number(y);
        let monthly = cents(number(years.column("monthly_cost")[i]));
        let one_off = cents(number(years.column("one_off_cost")[i]));
        let annual = cents(number(years.column("annual_cost")[i]));
        assert_eq!(
            year_sum(schedule, "monthly_cost", y) + year_sum(by_year, "fee", y),
            monthly,
            "{y}: Σ schedule.monthly_cost + Σ providers_by_year.fee"
        );
        assert_eq!(year_sum(by_year, "spend", y), monthly, "{y}: Σ spend");
        assert_eq!(year_sum(schedule, "one_off_cost", y), one_off, "{y}");
        assert_eq!(12 * monthly + one_off, annual, "{y}");
    }
    let summary = &sheets["summary"];
    let total = cents(number(summary.field("total_cost")));
    assert_eq!(years.money_sum("annual_cost"), total);
    assert_eq!(cents(number(summary.field("roadmap_total_cost"))), total);
    assert_eq!(summary.field("start_year"), &Data::Float(2027.0));
    assert_eq!(summary.field("end_year"), &Data::Float(2028.0));
    assert_eq!(summary.field("years"), &Data::Float(2.0));
    assert_eq!(summary.field("moves"), &Data::Float(1.0));
    // The final year's placements: the move year, empty for a service that stays.
    let placements = &sheets["placements"];
    assert_eq!(placements.header.last().unwrap(), "move_year");
    assert_eq!(
        placements.column("move_year"),
        [&Data::Float(2028.0), &Data::Empty]
    );
    assert_eq!(sheets["limits"].header.last().unwrap(), "year");
    assert!(sheets["limits"]
        .column("year")
        .iter()
        .all(|d| matches!(d, Data::Float(_))));
    assert_eq!(
        schedule.column("change"),
        [
            &Data::String("stays".into()),
            &Data::String("moves".into()),
            &Data::String("stays".into()),
            &Data::String("stays".into())
        ]
    );
    // Formats, frozen header and autofilter on the new sheets too.
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    for (sheet, column, format) in [
        ("years", "annual_cost", "#,##0.00"),
        ("years", "cloud_act_share", "0.00%"),
        ("years", "moves", "0"),
        ("providers_by_year", "share", "0.00%"),
        ("providers_by_year", "fee", "#,##0.00"),
        ("schedule", "monthly_cost", "#,##0.00"),
    ] {
        let styles = wb.worksheet_style(sheet).unwrap();
        let c = sheets[sheet]
            .header
            .iter()
            .position(|h| h == column)
            .unwrap();
        let style = styles.get((1, c as u32)).expect("styled cell");
        let code = style.number_format.as_ref().map(|f| f.format_code.clone());
        assert_eq!(code.as_deref(), Some(format), "{sheet}.{column}");
    }
    for (i, t) in tables.iter().enumerate().skip(6) {
        let xml = sheet_xml(&path, i + 1);
        let (header, rows) = t.grid();
        let range = format!("A1:{}{}", column_letter(header.len() - 1), rows.len() + 1);
        assert!(xml.contains(r#"state="frozen""#), "{}", t.name);
        assert!(
            xml.contains(&format!(r#"<autoFilter ref="{range}"/>"#)),
            "{}",
            t.name
        );
        assert!(xml.contains("<cols>"), "{}", t.name);
    }
}

#[test]
fn csv_of_a_roadmap_plan_in_both_locales() {
    let plan = roadmap_plan();
    let tables = plan_tables(&plan);
    for (locale, sep, decimal) in [(Locale::En, b',', '.'), (Locale::De, b';', ',')] {
        let dir = tempfile::tempdir().unwrap();
        let paths = write_csv_dir(&tables, dir.path(), locale).unwrap();
        let files: Vec<String> = paths
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        let want: Vec<String> = ROADMAP_SHEETS.iter().map(|s| format!("{s}.csv")).collect();
        assert_eq!(files, want);
        let (bom, yh, yrows) = read_csv(dir.path(), "years", sep);
        assert_eq!(bom, locale == Locale::De);
        assert_eq!(yh[0], "year");
        let (_, sh, srows) = read_csv(dir.path(), "schedule", sep);
        let (_, bh, brows) = read_csv(dir.path(), "providers_by_year", sep);
        for yrow in &yrows {
            let in_year = |h: &[String], rows: &[Vec<String>], col: &str| -> Vec<String> {
                let (y, c) = (
                    h.iter().position(|n| n == "year").unwrap(),
                    h.iter().position(|n| n == col).unwrap(),
                );
                rows.iter()
                    .filter(|r| r[y] == yrow[0])
                    .map(|r| r[c].clone())
                    .collect()
            };
            let refs = |v: &[String]| -> i64 {
                csv_cents(&v.iter().map(String::as_str).collect::<Vec<_>>(), decimal)
            };
            let monthly =
                refs(&in_year(&sh, &srows, "monthly_cost")) + refs(&in_year(&bh, &brows, "fee"));
            assert_eq!(
                monthly,
                refs(&in_year(&yh, &yrows, "monthly_cost")),
                "{locale:?}"
            );
        }
        let annual = csv_column(&yh, &yrows, "annual_cost");
        let (_, _, summary) = read_csv(dir.path(), "summary", sep);
        let total = summary.iter().find(|r| r[0] == "total_cost").unwrap()[1].clone();
        assert_eq!(
            csv_cents(&annual, decimal),
            csv_cents(&[&total], decimal),
            "{locale:?}"
        );
        let year = summary.iter().find(|r| r[0] == "start_year").unwrap();
        assert_eq!(year[1], "2027");
        let (_, ph, prows) = read_csv(dir.path(), "placements", sep);
        assert_eq!(csv_column(&ph, &prows, "move_year"), ["2028", ""]);
        let text = std::fs::read_to_string(dir.path().join("years.csv")).unwrap();
        let line = match locale {
            Locale::En => "2028,140.00,500.00,2180.00,1,1,1,0\r\n",
            Locale::De => "2028;140,00;500,00;2180,00;1;1;1;0\r\n",
        };
        assert!(text.ends_with(line), "{locale:?}: {text}");
    }
}

/// A single-period plan's sheets have no roadmap column, field or sheet.
#[test]
fn single_period_tables_have_no_roadmap_columns() {
    let (_, plan) = kleinstadt();
    let tables = plan_tables(plan);
    assert_eq!(tables.len(), 6);
    assert!(tables[1].column("move_year").is_none());
    assert!(tables[4].column("year").is_none());
    assert!(tables[0].column("start_year").is_none());
}

// ---- formula injection ------------------------------------------------------------

#[test]
fn text_that_looks_like_a_formula_stays_text_in_xlsx_and_csv() {
    let (_, plan) = kleinstadt();
    let mut plan = plan.clone();
    let evil = [
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "+1+2",
        "-3+4",
        "@SUM(A1:A3)",
        "\tcmd",
        "\r=1",
    ];
    for (p, name) in plan.placements.iter_mut().zip(evil) {
        p.service_name = name.to_string();
    }
    plan.placements[0].service = "=1+1".into();
    let tables = plan_tables(&plan);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("evil.xlsx");
    write_xlsx(&tables, &path).unwrap();
    let (_, sheets) = read_xlsx(&path);
    let names = sheets["placements"].column("service_name");
    for (got, want) in names.iter().zip(evil) {
        assert_eq!(**got, Data::String(want.to_string()));
    }
    assert_eq!(
        sheets["placements"].column("service")[0],
        &Data::String("=1+1".into())
    );
    // No formula anywhere in the workbook: every such cell is a string.
    for i in 1..=tables.len() {
        let xml = sheet_xml(&path, i);
        assert!(!xml.contains("<f>") && !xml.contains("<f "), "sheet {i}");
    }
    // Numbers stay numbers, negative ones too.
    assert!(sheets["placements"]
        .column("monthly_cost")
        .iter()
        .all(|d| matches!(d, Data::Float(_))));
    for (locale, sep) in [(Locale::En, b','), (Locale::De, b';')] {
        write_csv_dir(&tables, dir.path(), locale).unwrap();
        let (_, h, rows) = read_csv(dir.path(), "placements", sep);
        let names = csv_column(&h, &rows, "service_name");
        for (got, want) in names.iter().zip(evil) {
            assert_eq!(*got, format!("'{want}"), "{locale:?}");
        }
        assert_eq!(csv_column(&h, &rows, "service")[0], "'=1+1");
    }
    let mut negative = Table {
        name: "n".into(),
        layout: Layout::Rows,
        columns: vec![sovplan::export::Column::new("delta", Kind::Money)],
        rows: vec![vec![sovplan::export::Cell::Number(-12.5)]],
    };
    let en = sovplan::export::csv_bytes(&negative, Locale::En).unwrap();
    assert_eq!(en, b"delta\r\n-12.50\r\n");
    negative.rows[0][0] = sovplan::export::Cell::Text("-12.5".into());
    let en = sovplan::export::csv_bytes(&negative, Locale::En).unwrap();
    assert_eq!(
        en, b"delta\r\n-12.5\r\n",
        "a number written as text is no formula"
    );
}

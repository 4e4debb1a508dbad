//! `sovplan report`: the HTML report and the DOT graph of kleinstadt (services drawn
//! one by one) and grossstadt (390 services: the provider-level graph).
//!
//! The pure-Rust tests parse every `<svg>` of the page as XML (roxmltree) and count
//! bars, nodes and edges, so the logic is tested without a browser. The Chromium test
//! opens the page in headless Chromium, as a reader would, and checks what it
//! rendered: the same counts, bars of non-zero size, no script error, no resource
//! loaded or blocked. Without `chromium` it fails under `CI=true` and is skipped
//! elsewhere (Debian: `apt-get install chromium`; `.ci/run` installs it).

mod common;

use common::shipped;
use sovplan::check::check;
use sovplan::report::{Lang, Report};
use sovplan::{load_scenario, plan_scenario, Plan, Scenario, SolveOptions};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

fn solved(stem: &str) -> (Scenario, Plan) {
    let sc = load_scenario(&shipped(stem)).unwrap();
    let plan = plan_scenario(&sc, &SolveOptions::default())
        .unwrap()
        .planned()
        .expect("the shipped scenario has a plan")
        .plan;
    assert!(check(&sc, &plan).is_empty());
    (sc, plan)
}

fn kleinstadt() -> &'static (Scenario, Plan) {
    static CELL: OnceLock<(Scenario, Plan)> = OnceLock::new();
    CELL.get_or_init(|| solved("kleinstadt"))
}

fn grossstadt() -> &'static (Scenario, Plan) {
    static CELL: OnceLock<(Scenario, Plan)> = OnceLock::new();
    CELL.get_or_init(|| solved("grossstadt"))
}

/// The `<svg …>…</svg>` element with `id="{id}"`, if the page has one.
fn svg_with_id<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let start = html.find(&format!("<svg id=\"{id}\""))?;
    let end = start + html[start..].find("</svg>")? + "</svg>".len();
    Some(&html[start..end])
}

/// Parses an inline SVG as XML (HTML entities other than XML's are not used) and
/// returns the `class` attribute of every element, in document order.
fn classes(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
    doc.descendants()
        .filter_map(|n| n.attribute("class").map(str::to_string))
        .collect()
}

fn count(svg: &str, class: &str) -> usize {
    classes(svg)
        .iter()
        .filter(|c| c.split(' ').any(|c| c == class))
        .count()
}

fn used(plan: &Plan) -> usize {
    plan.providers.iter().filter(|p| p.services > 0).count()
}

fn one_off_providers(plan: &Plan) -> usize {
    let with: BTreeSet<&str> = plan
        .placements
        .iter()
        .filter(|p| p.one_off_cost > 0.0)
        .map(|p| p.provider.as_str())
        .collect();
    with.len()
}

/// The distinct ordered provider pairs that a dependency crosses.
fn provider_pairs(plan: &Plan) -> usize {
    let provider = |s: &str| {
        let row = plan.placements.iter().find(|p| p.service == s).unwrap();
        row.provider.clone()
    };
    let pairs: BTreeSet<(String, String)> = plan
        .dependencies
        .iter()
        .map(|d| (provider(&d.from), provider(&d.to)))
        .filter(|(a, b)| a != b)
        .collect();
    pairs.len()
}

#[test]
fn kleinstadt_report_has_a_bar_per_provider_and_a_box_per_service() {
    let (sc, plan) = kleinstadt();
    let html = Report::with_scenario(plan, sc).html(Lang::De);
    let spend = svg_with_id(&html, "chart-spend").unwrap();
    assert_eq!(count(spend, "bar"), used(plan));
    assert_eq!(count(spend, "cap"), 1, "the share cap is drawn");
    assert_eq!(
        count(svg_with_id(&html, "chart-exit").unwrap(), "bar"),
        used(plan)
    );
    assert_eq!(
        count(svg_with_id(&html, "chart-cloud-act").unwrap(), "gauge"),
        2
    );
    assert!(one_off_providers(plan) > 0, "kleinstadt moves services");
    let one_off = svg_with_id(&html, "chart-one-off").unwrap();
    assert_eq!(count(one_off, "bar"), one_off_providers(plan));
    let graph = svg_with_id(&html, "graph").unwrap();
    assert!(plan.placements.len() <= sovplan::report::SERVICE_GRAPH_MAX);
    assert_eq!(count(graph, "node"), plan.placements.len());
    assert_eq!(count(graph, "edge"), plan.dependencies.len());
    assert_eq!(count(graph, "group"), used(plan));
    // Tables: a row per service, per limit, and the checker's verdict.
    assert_eq!(
        html.matches("<tr data-service=").count(),
        plan.placements.len()
    );
    assert_eq!(html.matches("<tr class=\"limit").count(), plan.limits.len());
    assert!(html.contains("class=\"verdict ok\""));
    assert!(html.contains("<html lang=\"de\">") && html.contains("Ausgaben je Anbieter"));
    // Self-contained: nothing is fetched, and the policy forbids fetching anything.
    assert!(html.contains("default-src 'none'"));
    for needle in [
        "<script", "<link", "src=", "http://", "https://", "url(http",
    ] {
        let outside_xmlns = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(!outside_xmlns.contains(needle), "{needle}");
    }
}

#[test]
fn the_report_is_deterministic_and_english_on_request() {
    let (sc, plan) = kleinstadt();
    let a = Report::with_scenario(plan, sc).html(Lang::En);
    let b = Report::with_scenario(plan, sc).html(Lang::En);
    assert_eq!(a, b);
    assert!(a.contains("<html lang=\"en\">") && a.contains("Spend per provider"));
    assert!(!a.contains("Ausgaben je Anbieter"));
    // The plan alone gives the same charts (its limit rows carry the caps), without
    // a verdict.
    let alone = Report::new(plan).html(Lang::En);
    assert_eq!(
        svg_with_id(&alone, "chart-spend"),
        svg_with_id(&a, "chart-spend")
    );
    assert!(alone.contains("class=\"verdict none\""));
}

#[test]
fn grossstadt_gets_the_provider_graph() {
    let (sc, plan) = grossstadt();
    assert!(plan.placements.len() > sovplan::report::SERVICE_GRAPH_MAX);
    let html = Report::with_scenario(plan, sc).html(Lang::De);
    assert_eq!(
        count(svg_with_id(&html, "chart-spend").unwrap(), "bar"),
        used(plan)
    );
    let graph = svg_with_id(&html, "graph").unwrap();
    assert_eq!(count(graph, "node"), used(plan));
    assert_eq!(count(graph, "edge"), provider_pairs(plan));
    assert_eq!(
        html.matches("<tr data-service=").count(),
        plan.placements.len()
    );
    let dot = Report::new(plan).dot(Lang::En);
    assert!(!dot.contains("subgraph"));
    assert_eq!(dot.matches(" -> ").count(), provider_pairs(plan));
}

#[test]
fn dot_has_a_cluster_per_provider_and_an_edge_per_dependency() {
    let (_, plan) = kleinstadt();
    let dot = Report::new(plan).dot(Lang::De);
    assert!(dot.starts_with("digraph \"sovplan\" {\n") && dot.ends_with("}\n"));
    assert_eq!(dot.matches("subgraph \"cluster_").count(), used(plan));
    assert_eq!(dot.matches(" -> ").count(), plan.dependencies.len());
    assert_eq!(dot, Report::new(plan).dot(Lang::De));
}

#[test]
fn every_text_from_the_plan_is_escaped() {
    let (_, plan) = kleinstadt();
    let mut plan = plan.clone();
    let evil = "<script>alert('x')</script> & \"quoted\"";
    plan.scenario = evil.to_string();
    plan.placements[0].service_name = evil.to_string();
    plan.placements[1].service = evil.to_string();
    plan.providers[0].name = Some(evil.to_string());
    plan.limits[0].subject = evil.to_string();
    plan.overrides = vec![evil.to_string()];
    let html = Report::new(&plan).html(Lang::En);
    assert!(
        !html.contains("<script"),
        "a tag from the plan reached the page"
    );
    assert!(!html.contains("\"quoted\""));
    // The SVGs still parse, with the text intact.
    for id in ["chart-spend", "chart-exit", "graph"] {
        classes(svg_with_id(&html, id).unwrap());
    }
    let dot = Report::new(&plan).dot(Lang::En);
    assert!(dot.contains("\\\"quoted\\\""));
}

// ---- roadmap plans -----------------------------------------------------------------

/// A hand-written 2-service, 2-year roadmap plan (`tests/fixtures/roadmap-plan.json`):
/// one service leaves its CLOUD-Act provider in 2028 when the cap falls to 0 %.
fn roadmap_plan() -> Plan {
    let path = common::repo().join("tests/fixtures/roadmap-plan.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn roadmap_report_has_a_column_per_year_and_the_moves() {
    let plan = roadmap_plan();
    let years = plan.years.as_ref().unwrap().len();
    let html = Report::new(&plan).html(Lang::De);
    assert!(html.contains("<section id=\"roadmap\">") && html.contains("Fahrplan Jahr für Jahr"));
    let cost = svg_with_id(&html, "chart-roadmap-cost").unwrap();
    assert_eq!(count(cost, "bar"), years);
    assert_eq!(count(cost, "seg"), 2 * years, "running and one-off stacked");
    assert_eq!(count(cost, "cap"), years, "max_annual_cost of each year");
    let cloud = svg_with_id(&html, "chart-roadmap-cloud-act").unwrap();
    assert_eq!(count(cloud, "bar"), years);
    assert_eq!(count(cloud, "cap"), years, "the cap in force each year");
    assert_eq!(count(cloud, "over"), 0);
    assert!(cloud.contains("data-year=\"2027\"") && cloud.contains("data-year=\"2028\""));
    // The year table, the one move, and the limits with their year.
    let table = &html[html.find("<table id=\"years\">").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert_eq!(table.matches("<tr data-year=").count(), years);
    assert!(table.contains("4.100,00\u{a0}€"), "Σ annual cost: {table}");
    assert_eq!(html.matches("<tr data-move=").count(), 1);
    assert!(html.contains("data-move=\"meldewesen\" data-year=\"2028\""));
    assert_eq!(html.matches("<tr class=\"limit").count(), plan.limits.len());
    assert!(html.contains("Höchstzahl Umzüge je Jahr"));
    assert!(html.contains("2027–2028 (2 Jahre)"));
    // The final year's caps head the single-period charts: 0 % CLOUD Act in 2028.
    let gauge = svg_with_id(&html, "chart-cloud-act").unwrap();
    assert!(gauge.contains("Obergrenze 0,0\u{a0}%"), "{gauge}");
    let en = Report::new(&plan).html(Lang::En);
    assert!(en.contains("Roadmap, year by year") && !en.contains("Fahrplan"));
    for id in ["chart-roadmap-cost", "chart-roadmap-cloud-act"] {
        classes(svg_with_id(&en, id).unwrap());
    }
}

#[test]
fn single_period_reports_have_no_roadmap_section() {
    let (_, plan) = kleinstadt();
    let html = Report::new(plan).html(Lang::De);
    assert!(!html.contains("id=\"roadmap\"") && !html.contains("data-year"));
}

#[test]
fn chromium_renders_the_roadmap_report() {
    let Some(bin) = chromium_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let plan = roadmap_plan();
    let years = plan.years.as_ref().unwrap().len();
    let plan_file = dir.path().join("roadmap.plan.json");
    std::fs::write(&plan_file, plan.to_json()).unwrap();
    let html = dir.path().join("roadmap.html");
    let out = sovplan(&[
        "report",
        plan_file.to_str().unwrap(),
        "--lang",
        "de",
        "-o",
        html.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (dom, p) = render(&bin, dir.path(), &html);
    for bad in ["parsererror", "This page contains the following errors"] {
        assert!(!dom.contains(bad), "{bad}");
    }
    assert_eq!(p["roadmap_cost"], years, "{p}");
    assert_eq!(p["roadmap_cloud_act"], years, "{p}");
    assert_eq!(p["roadmap_caps"], years, "{p}");
    let heights = p["roadmap_heights"].as_array().unwrap();
    assert!(heights.iter().all(|h| h.as_f64().unwrap() > 0.0), "{p}");
    assert_eq!(p["bars_spend"], used(&plan), "{p}");
    assert_eq!(p["errors"], serde_json::json!([]), "{p}");
    assert_eq!(p["blocked"], serde_json::json!([]), "{p}");
    assert_eq!(p["resources"], 0, "nothing is loaded: {p}");
}

// ---- the command line -------------------------------------------------------------

fn sovplan(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sovplan"))
        .args(args)
        .output()
        .unwrap()
}

/// Writes the plan of a shipped scenario and its German report into `dir`; returns
/// the report's path.
fn report_file(dir: &Path, stem: &str) -> PathBuf {
    let (_, plan) = if stem == "kleinstadt" {
        kleinstadt()
    } else {
        grossstadt()
    };
    let plan_file = dir.join(format!("{stem}.plan.json"));
    std::fs::write(&plan_file, plan.to_json()).unwrap();
    let html = dir.join(format!("{stem}.html"));
    let scenario = shipped(stem);
    let out = sovplan(&[
        "report",
        plan_file.to_str().unwrap(),
        "--scenario",
        scenario.to_str().unwrap(),
        "--lang",
        "de",
        "-o",
        html.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    html
}

#[test]
fn cli_writes_html_and_dot_and_refuses_a_wrong_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let html = std::fs::read_to_string(report_file(dir.path(), "kleinstadt")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("class=\"verdict ok\""));
    let plan = dir.path().join("kleinstadt.plan.json");
    let plan = plan.to_str().unwrap();
    let dot = sovplan(&["report", plan, "--format", "dot"]);
    assert!(dot.status.success());
    assert!(String::from_utf8(dot.stdout)
        .unwrap()
        .starts_with("digraph"));
    let other = shipped("landkreis");
    let wrong = sovplan(&["report", plan, "--scenario", other.to_str().unwrap()]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("the plan is for scenario"));
    let over_input = sovplan(&["report", plan, "-o", plan]);
    assert_eq!(over_input.status.code(), Some(2));
}

// ---- headless Chromium ------------------------------------------------------------

/// Inserted into a copy of the report: collects script errors and blocked loads from
/// the start, then measures what Chromium rendered into `<pre id="probe">`.
const LISTEN: &str = r#"<script>window.__probe={errors:[],blocked:[]};addEventListener('error',e=>__probe.errors.push(String(e.message||e.type)),true);document.addEventListener('securitypolicyviolation',e=>__probe.blocked.push(e.blockedURI));</script>"#;
const MEASURE: &str = r#"<script>(function(){var q=s=>Array.from(document.querySelectorAll(s));var w=s=>q(s).map(e=>e.getBBox().width);var h=s=>q(s).map(e=>e.getBBox().height);var r={roadmap_cost:q('#chart-roadmap-cost .bar').length,roadmap_cloud_act:q('#chart-roadmap-cloud-act .bar').length,roadmap_caps:q('#chart-roadmap-cloud-act line.cap').length,roadmap_heights:h('#chart-roadmap-cost .bar'),bars_spend:q('#chart-spend rect.bar').length,bars_exit:q('#chart-exit rect.bar').length,bars_one_off:q('#chart-one-off rect.bar').length,nodes:q('#graph .node').length,edges:q('#graph .edge').length,spend_widths:w('#chart-spend rect.bar'),graph_width:document.getElementById('graph').getBoundingClientRect().width,resources:performance.getEntriesByType('resource').length,errors:__probe.errors,blocked:__probe.blocked};var p=document.createElement('pre');p.id='probe';p.textContent=JSON.stringify(r);document.body.appendChild(p);})();</script>"#;

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| ["chromium", "chromium-browser"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

/// Runs headless Chromium on `url` with `extra` flags; returns standard output. Ends
/// it when it does not finish within two minutes (a hang, not a measurement).
fn run_chromium(bin: &Path, profile: &Path, extra: &[String], url: &str) -> String {
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).unwrap();
        s
    });
    for _ in 0..1200 {
        if child.try_wait().unwrap().is_some() {
            return reader.join().unwrap();
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.kill().unwrap();
    panic!("chromium did not finish on {url}");
}

/// The probe's measurements from a dumped DOM.
fn probe(dom: &str) -> serde_json::Value {
    let start = dom.find("<pre id=\"probe\">").expect("the probe ran") + 16;
    let end = start + dom[start..].find("</pre>").unwrap();
    let json = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap()
}

/// Opens the report as it is (and screenshots it), then a copy with the probe.
fn render(bin: &Path, dir: &Path, html: &Path) -> (String, serde_json::Value) {
    let profile = dir.join("chromium-profile");
    let url = format!("file://{}", html.display());
    let dom = run_chromium(bin, &profile, &["--dump-dom".into()], &url);
    let png = html.with_extension("png");
    let shot = [
        format!("--screenshot={}", png.display()),
        "--window-size=1280,2400".into(),
    ];
    run_chromium(bin, &profile, &shot, &url);
    let png_bytes = std::fs::read(&png).expect("chromium wrote the screenshot");
    assert!(png_bytes.starts_with(b"\x89PNG") && png_bytes.len() > 10_000);
    let text = std::fs::read_to_string(html).unwrap();
    let probed = text
        .replacen(
            "default-src 'none';",
            "default-src 'none'; script-src 'unsafe-inline';",
            1,
        )
        .replacen("<head>\n", &format!("<head>\n{LISTEN}\n"), 1)
        .replacen("</body>", &format!("{MEASURE}</body>"), 1);
    let probe_file = html.with_extension("probe.html");
    std::fs::write(&probe_file, probed).unwrap();
    let probed_dom = run_chromium(
        bin,
        &profile,
        &["--dump-dom".into()],
        &format!("file://{}", probe_file.display()),
    );
    (dom, probe(&probed_dom))
}

/// The browser, or `None` after saying why the test is skipped (a failure under
/// `CI=true`, where `.ci/run` installs it).
fn chromium_or_skip() -> Option<PathBuf> {
    let bin = chromium();
    if bin.is_none() {
        let msg = "chromium is not installed: the report was not rendered in a browser \
                   (Debian: apt-get install chromium; .ci/run installs it)";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{msg}");
        }
        eprintln!("SKIPPED: {msg}");
    }
    bin
}

#[test]
fn chromium_renders_the_reports() {
    let Some(bin) = chromium_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for stem in ["kleinstadt", "grossstadt"] {
        let (_, plan) = if stem == "kleinstadt" {
            kleinstadt()
        } else {
            grossstadt()
        };
        let html = report_file(dir.path(), stem);
        let (dom, p) = render(&bin, dir.path(), &html);
        let spend = svg_with_id(&dom, "chart-spend").expect("the dumped DOM has the spend chart");
        assert_eq!(spend.matches("class=\"bar\"").count(), used(plan), "{stem}");
        assert!(dom.contains("class=\"verdict ok\""), "{stem}");
        for bad in ["parsererror", "This page contains the following errors"] {
            assert!(!dom.contains(bad), "{stem}: {bad}");
        }
        assert_eq!(p["bars_spend"], used(plan), "{stem}: {p}");
        assert_eq!(p["bars_exit"], used(plan), "{stem}: {p}");
        assert_eq!(p["bars_one_off"], one_off_providers(plan), "{stem}: {p}");
        let widths = p["spend_widths"].as_array().unwrap();
        assert!(
            widths.iter().all(|w| w.as_f64().unwrap() > 0.0),
            "{stem}: {p}"
        );
        assert!(p["graph_width"].as_f64().unwrap() > 500.0, "{stem}: {p}");
        let (nodes, edges) = if stem == "kleinstadt" {
            (plan.placements.len(), plan.dependencies.len())
        } else {
            (used(plan), provider_pairs(plan))
        };
        assert_eq!(
            (p["nodes"].as_u64(), p["edges"].as_u64()),
            (Some(nodes as u64), Some(edges as u64)),
            "{stem}: {p}"
        );
        assert_eq!(p["errors"], serde_json::json!([]), "{stem}: {p}");
        assert_eq!(p["blocked"], serde_json::json!([]), "{stem}: {p}");
        assert_eq!(p["resources"], 0, "{stem}: nothing is loaded: {p}");
    }
}

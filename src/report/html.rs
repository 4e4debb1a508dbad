//! The HTML page. Every text that comes from a plan or scenario goes through [`esc`];
//! the page has no script, and its Content-Security-Policy forbids loading anything,
//! so that what opens offline is all there is.

use super::graph::Graph;
use super::svg::{bar_chart, gauge, Bar, Chart};
use super::{Lang, Report};
use crate::model::{LimitKind, YearLimitKind};
use crate::plan::{Change, LimitRow, PlacementRow, PlanStatus};
use std::fmt::Write;

/// `text` with `& < > " '` replaced by entities: safe in element content and in
/// double- or single-quoted attributes, in HTML and in inline SVG.
pub(super) fn esc(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#39;"),
            c => s.push(c),
        }
    }
    s
}

const CSS: &str = r#"
:root{--ink:#1d2733;--muted:#5b6875;--line:#d5dbe1;--bg:#f5f7f9}
*{box-sizing:border-box}
body{font-family:"DejaVu Sans","Segoe UI",Arial,Helvetica,sans-serif;color:var(--ink);margin:0;background:#fff;font-size:15px;line-height:1.45}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:19px;margin:34px 0 8px;border-bottom:2px solid var(--line);padding-bottom:4px}
h3{font-size:16px;margin:22px 0 4px}
p.note,.sub{color:var(--muted);margin:2px 0 8px}
.verdict{padding:10px 14px;border-radius:6px;margin:14px 0}
.verdict.ok{background:#e6f4ea;border-left:5px solid #2e7d32}
.verdict.bad{background:#fdecea;border-left:5px solid #c62828}
.verdict.none{background:var(--bg);border-left:5px solid #9aa5b1}
.verdict ul{margin:6px 0 0;padding-left:20px;font-size:13px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;background:var(--bg)}
.card .k{font-size:13px;color:var(--muted)}
.card .v{font-size:24px;font-weight:bold;white-space:nowrap}
.card .d{font-size:13px;color:var(--muted)}
figure{margin:8px 0 0}
svg.chart,svg.graph{max-width:100%;height:auto;display:block}
svg.chart text{font-size:13px;fill:var(--ink)}
svg.chart text.value{paint-order:stroke;stroke:#fff;stroke-width:3px}
svg.chart text.cap-label{fill:#c00000;font-size:12px}
svg.graph text{font-size:11px}
svg.graph text.group-label{font-size:13px;font-weight:bold;fill:var(--ink)}
svg.graph text.node-label{font-size:14px;font-weight:bold;fill:var(--ink)}
svg.graph text.node-detail,svg.graph text.edge-label{font-size:12px;fill:var(--ink)}
svg.graph text.edge-label,svg.graph text.node-label,svg.graph text.node-detail{paint-order:stroke;stroke:#fff;stroke-width:3px}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;margin:6px 0 10px;padding:0;list-style:none;font-size:13px}
.swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:6px;vertical-align:baseline}
table{border-collapse:collapse;width:100%;font-size:13px;margin-top:6px}
th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:var(--bg);font-weight:bold}
.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
th.n{white-space:normal}
.id{color:var(--muted);font-size:12px}
tr.total td{font-weight:bold;border-top:2px solid var(--line)}
.meter{display:inline-block;width:110px;height:10px;background:#e6e9ed;border-radius:5px;overflow:hidden;vertical-align:middle;margin-right:8px}
.meter span{display:block;height:100%}
.change-moved{font-weight:bold}
footer{margin-top:40px;color:var(--muted);font-size:12px}
@media print{main{max-width:none;padding:0}h2{break-after:avoid}figure,tr{break-inside:avoid}}
"#;

/// The whole page.
pub(super) fn page(r: &Report, lang: Lang) -> String {
    let t = lang.texts();
    let title = format!("{}: {}", t.title, r.plan.scenario);
    let mut s = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n",
        t.html_lang,
        esc(&title),
        CSS
    );
    s += &header(r, lang);
    s += &headline(r, lang);
    s += &super::roadmap::section(r, lang);
    s += &charts(r, lang);
    s += &providers(r, lang);
    s += &graph(r, lang);
    s += &placements(r, lang);
    s += &limits(r, lang);
    s += &estimates(r, lang);
    let _ = write!(
        s,
        "<footer>{}</footer>\n</main>\n</body>\n</html>\n",
        esc(&t.footer.replace("{}", env!("CARGO_PKG_VERSION")))
    );
    s
}

fn header(r: &Report, lang: Lang) -> String {
    let (t, p) = (lang.texts(), r.plan);
    let status = match p.status {
        PlanStatus::Optimal => t.status_optimal.to_string(),
        PlanStatus::Feasible => {
            format!("{} ({} {})", t.status_feasible, t.gap, lang.percent(p.gap))
        }
    };
    let mut s = format!(
        "<header>\n<h1>{}</h1>\n<p class=\"sub\">{}: <strong id=\"scenario\">{}</strong> · <span id=\"status\">{}</span></p>\n",
        esc(t.title),
        esc(t.scenario),
        esc(&p.scenario),
        esc(&status)
    );
    if !p.overrides.is_empty() {
        let list: Vec<String> = p
            .overrides
            .iter()
            .map(|o| format!("<code>{}</code>", esc(o)))
            .collect();
        let _ = writeln!(
            s,
            "<p class=\"sub\">{}: {}</p>",
            esc(t.overrides),
            list.join(", ")
        );
    }
    match &r.violations {
        None => {
            let _ = writeln!(
                s,
                "<p class=\"verdict none\" id=\"verdict\">{}</p>",
                esc(t.not_verified)
            );
        }
        Some(v) if v.is_empty() => {
            let _ = writeln!(
                s,
                "<p class=\"verdict ok\" id=\"verdict\">✔ {}</p>",
                esc(t.verified)
            );
        }
        Some(v) => {
            let _ = write!(
                s,
                "<div class=\"verdict bad\" id=\"verdict\"><strong>✘ {} ({}):</strong><ul>",
                esc(t.violations),
                v.len()
            );
            for line in v.iter().take(20) {
                let _ = write!(s, "<li>{}</li>", esc(line));
            }
            if v.len() > 20 {
                s.push_str("<li>…</li>");
            }
            s.push_str("</ul></div>\n");
        }
    }
    s.push_str("</header>\n");
    s
}

/// The cards with the figures a council asks for first.
fn headline(r: &Report, lang: Lang) -> String {
    let mut s = format!(
        "<section id=\"headline\">\n<h2>{}</h2>\n<div class=\"cards\">\n",
        esc(lang.texts().headline)
    );
    for (id, key, value, detail) in cards(r, lang) {
        let _ = writeln!(
            s,
            "<div class=\"card\" id=\"card-{id}\"><div class=\"k\">{}</div><div class=\"v\">{}</div><div class=\"d\">{}</div></div>",
            esc(key),
            esc(&value),
            esc(&detail)
        );
    }
    s.push_str("</div>\n</section>\n");
    s
}

/// The headline cards: (id, what, figure, detail such as the limit).
fn cards(r: &Report, lang: Lang) -> Vec<(&'static str, &'static str, String, String)> {
    let (t, p, caps) = (lang.texts(), r.plan, &r.caps);
    let money = |x: f64| lang.money(x);
    let pct = |x: f64| lang.percent(x);
    let limit = |cap: Option<f64>, f: &dyn Fn(f64) -> String| match cap {
        Some(c) => format!("{}: {}", t.of_limit, f(c)),
        None => t.no_limit.to_string(),
    };
    let count = |c: Change| p.placements.iter().filter(|s| s.change == Some(c)).count();
    let moved = p.placements.iter().filter(|s| s.moved).count();
    let services = t
        .services_detail
        .replace("{new}", &count(Change::New).to_string())
        .replace("{stays}", &count(Change::Stays).to_string())
        .replace("{moved}", &moved.to_string());
    // The largest share; among equal shares the first provider in plan order.
    let largest = r.used_providers().max_by(|a, b| {
        a.share
            .total_cmp(&b.share)
            .then(b.provider.cmp(&a.provider))
    });
    let share_limit = limit(caps.provider_share, &pct);
    let (largest, largest_detail) = match largest {
        Some(l) => (
            pct(l.share),
            format!("{} · {share_limit}", r.provider_name(&l.provider)),
        ),
        None => (pct(0.0), share_limit),
    };
    let min_providers = match caps.min_providers {
        Some(m) => format!("{} {}", t.at_least, lang.quantity(m)),
        None => t.no_limit.to_string(),
    };
    let horizon = total_detail(r, lang);
    let used = r.used_providers().count().to_string();
    vec![
        ("total", t.total_cost, money(p.total_cost), horizon),
        (
            "monthly",
            t.monthly_card,
            money(p.monthly_cost),
            limit(caps.budget, &money),
        ),
        (
            "one-off",
            t.one_off_cost,
            money(p.one_off_cost),
            String::new(),
        ),
        (
            "services",
            t.services,
            p.placements.len().to_string(),
            services,
        ),
        ("providers", t.providers_used, used, min_providers),
        ("largest-share", t.largest_share, largest, largest_detail),
        (
            "cloud-act",
            t.cloud_act_share,
            pct(r.cloud_act_share()),
            limit(caps.cloud_act_share, &pct),
        ),
    ]
}

/// What the total covers: the horizon in months, or a roadmap's years (its total is
/// the sum over them).
fn total_detail(r: &Report, lang: Lang) -> String {
    let (t, p) = (lang.texts(), r.plan);
    match p.years.as_deref().filter(|y| !y.is_empty()) {
        Some(years) => {
            let (first, last) = super::roadmap::span(years);
            t.over_years
                .replace("{first}", &first.to_string())
                .replace("{last}", &last.to_string())
                .replace("{n}", &years.len().to_string())
        }
        None => t
            .over_months
            .replace("{}", &lang.quantity(p.horizon_months)),
    }
}

/// Spend against the share cap, exit cost against its cap, the CLOUD-Act gauge and
/// the one-off costs.
fn charts(r: &Report, lang: Lang) -> String {
    let t = lang.texts();
    let cap =
        |c: Option<f64>, f: &dyn Fn(f64) -> String| c.map(|c| (c, format!("{} {}", t.cap, f(c))));
    let spend = Chart {
        id: "chart-spend",
        title: t.spend_chart,
        bars: r
            .used_providers()
            .map(|p| Bar {
                provider: &p.provider,
                label: r.provider_name(&p.provider),
                value: p.share,
                text: format!(
                    "{}{} ({})",
                    lang.money(p.spend),
                    t.per_month,
                    lang.percent(p.share)
                ),
                color: r.color(&p.provider),
            })
            .collect(),
        cap: cap(r.caps.provider_share, &|c| lang.percent(c)),
    };
    let exit = Chart {
        id: "chart-exit",
        title: t.exit_chart,
        bars: r
            .used_providers()
            .map(|p| Bar {
                provider: &p.provider,
                label: r.provider_name(&p.provider),
                value: p.exit_cost,
                text: lang.money(p.exit_cost),
                color: r.color(&p.provider),
            })
            .collect(),
        cap: cap(r.caps.exit_cost, &|c| lang.money(c)),
    };
    let share = r.cloud_act_share();
    let labels = [
        format!("{}: {}", t.exposed, lang.percent(share)),
        format!("{}: {}", t.not_exposed, lang.percent(1.0 - share)),
    ];
    let mut s = String::from("<section id=\"charts\">\n");
    figure(&mut s, t.spend_chart, t.spend_note, &bar_chart(&spend));
    figure(&mut s, t.exit_chart, t.exit_note, &bar_chart(&exit));
    let cloud = gauge(
        t.cloud_act_chart,
        share,
        [&labels[0], &labels[1]],
        cap(r.caps.cloud_act_share, &|c| lang.percent(c)),
    );
    figure(&mut s, t.cloud_act_chart, t.cloud_act_note, &cloud);
    let one_off = r.one_off_by_provider();
    if one_off.is_empty() {
        figure(&mut s, t.one_off_chart, t.no_one_off, "");
    } else {
        let chart = Chart {
            id: "chart-one-off",
            title: t.one_off_chart,
            bars: one_off
                .iter()
                .map(|&(p, x)| Bar {
                    provider: p,
                    label: r.provider_name(p),
                    value: x,
                    text: lang.money(x),
                    color: r.color(p),
                })
                .collect(),
            cap: None,
        };
        figure(&mut s, t.one_off_chart, t.one_off_note, &bar_chart(&chart));
    }
    s.push_str("</section>\n");
    s
}

fn figure(s: &mut String, title: &str, note: &str, svg: &str) {
    let _ = writeln!(
        s,
        "<figure>\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n{svg}\n</figure>",
        esc(title),
        esc(note)
    );
}

/// A provider's colour swatch and name.
fn provider_cell(r: &Report, provider: &str) -> String {
    format!(
        "<span class=\"swatch\" style=\"background:{}\"></span>{}",
        r.color(provider),
        esc(r.provider_name(provider))
    )
}

fn providers(r: &Report, lang: Lang) -> String {
    let t = lang.texts();
    let hq = r.headquarters.as_ref();
    let mut s = format!(
        "<section id=\"providers\">\n<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th>",
        esc(t.providers_table),
        esc(t.provider)
    );
    if hq.is_some() {
        let _ = write!(s, "<th>{}</th>", esc(t.headquarters));
    }
    for h in [t.services, t.fee, t.spend, t.share, t.exit_cost] {
        let _ = write!(s, "<th class=\"n\">{}</th>", esc(h));
    }
    let _ = writeln!(s, "<th>{}</th></tr></thead>\n<tbody>", esc(t.cloud_act));
    for p in r.used_providers() {
        let _ = write!(
            s,
            "<tr data-provider=\"{}\"><td>{}</td>",
            esc(&p.provider),
            provider_cell(r, &p.provider)
        );
        if let Some(hq) = hq {
            let country = hq
                .iter()
                .find(|(id, _)| *id == p.provider)
                .map_or("", |(_, c)| c.as_str());
            let _ = write!(s, "<td>{}</td>", esc(country));
        }
        let _ = writeln!(
            s,
            "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            p.services,
            p.fee.map_or_else(|| "–".to_string(), |f| esc(&lang.money(f))),
            esc(&lang.money(p.spend)),
            esc(&lang.percent(p.share)),
            esc(&lang.money(p.exit_cost)),
            esc(if p.cloud_act_exposed { t.yes } else { t.no }),
        );
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
    s
}

fn graph(r: &Report, lang: Lang) -> String {
    let t = lang.texts();
    let g = Graph::of(r);
    let note = if g.provider_level() {
        t.graph_providers_note
    } else {
        t.graph_services_note
    };
    let mut s = format!(
        "<section id=\"dependencies\">\n<h2>{}</h2>\n<p class=\"note\">{} {}.</p>\n<ul class=\"legend\">",
        esc(t.graph),
        esc(note),
        esc(t.graph_dot_note)
    );
    for p in r.used_providers() {
        let _ = write!(s, "<li>{}</li>", provider_cell(r, &p.provider));
    }
    let _ = writeln!(s, "</ul>\n{}\n</section>", g.svg(lang));
    s
}

fn placements(r: &Report, lang: Lang) -> String {
    let t = lang.texts();
    let mut s = format!(
        "<section id=\"placements\">\n<h2>{}</h2>\n<table>\n<thead><tr>",
        esc(t.placements)
    );
    for h in [
        t.service,
        t.provider,
        t.offering,
        t.country,
        t.data_class,
        t.change,
    ] {
        let _ = write!(s, "<th>{}</th>", esc(h));
    }
    let _ = writeln!(
        s,
        "<th class=\"n\">{}{}</th><th class=\"n\">{}</th></tr></thead>\n<tbody>",
        esc(t.monthly_cost),
        esc(t.per_month),
        esc(t.one_off_cost)
    );
    for p in &r.plan.placements {
        let _ = writeln!(
            s,
            "<tr data-service=\"{id}\"><td>{name}<br><span class=\"id\">{id}</span></td><td>{prov}</td><td>{off}</td><td>{country}</td><td>{dc}</td><td>{change}</td><td class=\"n\">{m}</td><td class=\"n\">{o}</td></tr>",
            id = esc(&p.service),
            name = esc(&p.service_name),
            prov = provider_cell(r, &p.provider),
            off = esc(p.offering_name.as_deref().unwrap_or(&p.offering)),
            country = esc(&p.country),
            dc = esc(p.data_class.as_deref().unwrap_or("–")),
            change = change_cell(p, lang),
            m = esc(&lang.money(p.monthly_cost)),
            o = esc(&lang.money(p.one_off_cost)),
        );
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
    s
}

/// New, stays or moves (from where).
fn change_cell(p: &PlacementRow, lang: Lang) -> String {
    let t = lang.texts();
    let change = p.change.unwrap_or(if p.moved {
        Change::Moved
    } else {
        Change::Stays
    });
    match change {
        Change::New => esc(t.change_new),
        Change::Stays => esc(t.change_stays),
        Change::Moved => {
            let from = match &p.previous_offering {
                Some(Some(o)) => format!(
                    "<br><span class=\"id\">{}: {}</span>",
                    esc(t.previous),
                    esc(o)
                ),
                _ => String::new(),
            };
            // A roadmap says when.
            let year = match p.move_year {
                Some(Some(y)) => format!(" {y}"),
                _ => String::new(),
            };
            format!(
                "<span class=\"change-moved\">{}{year}</span>{from}",
                esc(t.change_moved)
            )
        }
    }
}

fn limits(r: &Report, lang: Lang) -> String {
    let t = lang.texts();
    let year = if r.plan.years.is_some() {
        format!("<th>{}</th>", esc(t.year))
    } else {
        String::new()
    };
    let mut s = format!(
        "<section id=\"limits\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n<table>\n<thead><tr>{year}<th>{}</th><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        esc(t.limits),
        esc(t.limits_note),
        esc(t.limit),
        esc(t.subject),
        esc(t.value),
        esc(t.bound),
        esc(t.closeness)
    );
    for l in &r.plan.limits {
        s += &limit_row(r, l, lang);
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
    s
}

fn limit_row(r: &Report, l: &LimitRow, lang: Lang) -> String {
    let t = lang.texts();
    let kind = LimitKind::ALL.into_iter().find(|k| k.field() == l.limit);
    let fmt = |x: f64| limit_figure(&l.limit, x, lang);
    let lower = kind.is_some_and(LimitKind::is_lower_bound);
    // How much of the limit the plan uses: 100 % at the bound, for a lower bound too.
    let used = match (lower, l.value, l.bound) {
        (false, _, b) if b > 0.0 => l.value / b,
        (false, v, _) => {
            if v > 0.0 {
                f64::INFINITY
            } else {
                0.0
            }
        }
        (true, v, b) if v > 0.0 => b / v,
        (true, _, b) => {
            if b > 0.0 {
                f64::INFINITY
            } else {
                0.0
            }
        }
    };
    let color = if l.binding || used >= 0.99 {
        "#c62828"
    } else if used >= 0.9 {
        "#ef8f00"
    } else {
        "#2e7d32"
    };
    let status = if l.binding {
        t.at_bound.to_string()
    } else {
        format!("{}: {}", t.headroom, fmt((l.bound - l.value).abs()))
    };
    let subject = if l.subject.is_empty() {
        esc(t.all)
    } else if r.plan.providers.iter().any(|p| p.provider == l.subject) {
        provider_cell(r, &l.subject)
    } else {
        esc(&l.subject)
    };
    // A roadmap plan has one set of rows per year; the year comes first.
    let year = match (&r.plan.years, l.year) {
        (Some(_), Some(y)) => format!(" data-year=\"{y}\"><td>{y}</td"),
        (Some(_), None) => "><td></td".to_string(),
        (None, _) => String::new(),
    };
    format!(
        "<tr class=\"limit{b}\" data-limit=\"{f}\"{year}><td>{name}</td><td>{subject}</td><td class=\"n\">{v}</td><td class=\"n\">{lo}{bound}</td><td><span class=\"meter\"><span style=\"width:{w:.1}%;background:{color}\"></span></span>{u} · {status}</td></tr>\n",
        b = if l.binding { " binding" } else { "" },
        f = esc(&l.limit),
        name = esc(&lang.limit_name(&l.limit)),
        v = esc(&fmt(l.value)),
        lo = if lower { "≥ " } else { "≤ " },
        bound = esc(&fmt(l.bound)),
        w = (used.min(1.0) * 100.0),
        u = esc(&if used.is_finite() { lang.percent(used) } else { "–".to_string() }),
        status = esc(&status),
    )
}

/// A limit row's value or bound as its limit counts: shares as percentages, money in
/// euros (also the roadmap's yearly one-off and annual caps), anything else as a number.
fn limit_figure(limit: &str, x: f64, lang: Lang) -> String {
    if let Some(kind) = LimitKind::ALL.into_iter().find(|k| k.field() == limit) {
        return match kind {
            LimitKind::ProviderShare | LimitKind::CloudActShare => lang.percent(x),
            LimitKind::ExitCost | LimitKind::Budget => lang.money(x),
            LimitKind::MinProviders => lang.quantity(x),
        };
    }
    let year_kind = YearLimitKind::ALL.into_iter().find(|k| k.field() == limit);
    if year_kind.is_some_and(YearLimitKind::is_money) {
        lang.money(x)
    } else {
        lang.quantity(x)
    }
}

fn estimates(r: &Report, lang: Lang) -> String {
    let t = lang.texts();
    let mut s = format!(
        "<section id=\"estimates\">\n<h2>{}</h2>\n",
        esc(t.estimates)
    );
    let rows = match &r.plan.estimates {
        None => {
            return s + &format!(
                "<p class=\"note\">{}</p>\n</section>\n",
                esc(t.estimates_unknown)
            )
        }
        Some(rows) if rows.is_empty() => {
            return s + &format!(
                "<p class=\"note\">{}</p>\n</section>\n",
                esc(t.estimates_none)
            )
        }
        Some(rows) => rows,
    };
    let _ = writeln!(
        s,
        "<p class=\"note\">{}</p>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead>\n<tbody>",
        esc(t.estimates_note),
        esc(t.offering),
        esc(t.provider),
        esc(t.as_of),
        esc(t.services),
        esc(t.rests_on)
    );
    for e in rows {
        let _ = writeln!(
            s,
            "<tr data-offering=\"{id}\"><td>{name}<br><span class=\"id\">{id}</span></td><td>{prov}</td><td>{as_of}</td><td class=\"n\">{n}</td><td class=\"n\">{m}</td></tr>",
            id = esc(&e.offering),
            name = esc(&e.offering_name),
            prov = provider_cell(r, &e.provider),
            as_of = esc(e.as_of.as_deref().unwrap_or("–")),
            n = e.services,
            m = esc(&lang.money(e.monthly_cost)),
        );
    }
    let cents: i64 = rows
        .iter()
        .map(|e| crate::plan::whole_cents(e.monthly_cost))
        .sum();
    let total = cents as f64 / 100.0;
    let _ = writeln!(
        s,
        "<tr class=\"total\"><td colspan=\"3\">{}</td><td class=\"n\">{}</td><td class=\"n\">{} ({})</td></tr>\n</tbody>\n</table>\n</section>",
        esc(t.all),
        rows.iter().map(|e| e.services).sum::<usize>(),
        esc(&lang.money(total)),
        esc(&lang.percent(crate::plan::share(total, r.plan.monthly_cost)))
    );
    s
}

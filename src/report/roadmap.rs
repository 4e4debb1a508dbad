//! The roadmap section of a roadmap plan's report: the annual cost per year (running
//! and one-off parts stacked, against the annual cap), the CLOUD-Act share per year
//! against the cap in force that year, the year table and which services move when.
//!
//! Everything comes from the plan's `years`, `schedule` and year-tagged limit rows; a
//! single-period plan has no such section (and its page is unchanged).

use super::html::esc;
use super::svg::{column_chart, Column, Columns, Segment};
use super::{Lang, Report};
use crate::plan::{whole_cents, ScheduleRow, YearChange, YearRow};
use std::fmt::Write;

/// Colours of the stacked parts: the palette's first two (blue, orange).
const RUNNING: &str = "#4e79a7";
const ONE_OFF: &str = "#f28e2b";
/// Red for the CLOUD-Act share, as in the single-period gauge.
const EXPOSED: &str = "#e15759";

/// The roadmap section, or nothing for a single-period plan.
pub(super) fn section(r: &Report, lang: Lang) -> String {
    let Some(years) = r.plan.years.as_deref().filter(|y| !y.is_empty()) else {
        return String::new();
    };
    let t = lang.texts();
    let (first, last) = span(years);
    let note = t
        .roadmap_note
        .replace("{first}", &first.to_string())
        .replace("{last}", &last.to_string());
    let mut s = format!(
        "<section id=\"roadmap\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n",
        esc(t.roadmap),
        esc(&note)
    );
    figure(
        &mut s,
        t.annual_chart,
        t.annual_note,
        &annual_chart(r, years, lang),
    );
    figure(
        &mut s,
        t.cloud_act_years_chart,
        t.cloud_act_years_note,
        &cloud_act_chart(r, years, lang),
    );
    s += &year_table(r, years, lang);
    s += &moves_table(r, lang);
    s.push_str("</section>\n");
    s
}

/// First and last planning year.
pub(super) fn span(years: &[YearRow]) -> (i32, i32) {
    let first = years.iter().map(|y| y.year).min().unwrap_or(0);
    let last = years.iter().map(|y| y.year).max().unwrap_or(0);
    (first, last)
}

fn figure(s: &mut String, title: &str, note: &str, svg: &str) {
    let _ = writeln!(
        s,
        "<figure>\n<h3>{}</h3>\n<p class=\"note\">{}</p>\n{svg}\n</figure>",
        esc(title),
        esc(note)
    );
}

/// The bound of the plan's limit row `limit` for `year`, if the plan has one.
fn year_bound(r: &Report, limit: &str, year: i32) -> Option<f64> {
    let rows = r.plan.limits.iter();
    rows.filter(|l| l.limit == limit && l.year == Some(year))
        .map(|l| l.bound)
        .next()
}

/// One column per year: 12 · monthly cost below, the year's one-off costs on top, the
/// `max_annual_cost` of the year as its cap.
fn annual_chart(r: &Report, years: &[YearRow], lang: Lang) -> String {
    let t = lang.texts();
    // Full amounts fit above up to six columns; beyond, rounded ones (the tooltip and
    // the year table keep the cents).
    let label = |x: f64| {
        if years.len() > 6 {
            lang.money_short(x)
        } else {
            lang.money(x)
        }
    };
    let columns = years
        .iter()
        .map(|y| {
            let running = y.annual_cost - y.one_off_cost;
            let cap = year_bound(r, "max_annual_cost", y.year);
            let mut title = format!(
                "{}: {} = {} {} + {} {}",
                y.year,
                lang.money(y.annual_cost),
                lang.money(running),
                t.running_year,
                lang.money(y.one_off_cost),
                t.one_off_year
            );
            if let Some(c) = cap {
                let _ = write!(title, " · {} {}", t.cap, lang.money(c));
            }
            Column {
                key: y.year.to_string(),
                segments: vec![
                    Segment {
                        value: running,
                        class: "running",
                        color: RUNNING,
                    },
                    Segment {
                        value: y.one_off_cost,
                        class: "one-off",
                        color: ONE_OFF,
                    },
                ],
                text: label(y.annual_cost),
                title,
                cap,
            }
        })
        .collect::<Vec<_>>();
    let mut legend = vec![
        (Some(RUNNING), t.running_year.to_string()),
        (Some(ONE_OFF), t.one_off_year.to_string()),
    ];
    if columns.iter().any(|c| c.cap.is_some()) {
        legend.push((None, t.annual_cap.to_string()));
    }
    column_chart(&Columns {
        id: "chart-roadmap-cost",
        title: t.annual_chart,
        columns,
        max: None,
        grid: Vec::new(),
        legend,
    })
}

/// One column per year, 0 to 100 % of that year's monthly cost, with the year's
/// `max_cloud_act_share` as its cap.
fn cloud_act_chart(r: &Report, years: &[YearRow], lang: Lang) -> String {
    let t = lang.texts();
    let columns = years
        .iter()
        .map(|y| {
            let cap = year_bound(r, "max_cloud_act_share", y.year);
            let mut title = format!("{}: {}", y.year, lang.percent(y.cloud_act_share));
            if let Some(c) = cap {
                let _ = write!(title, " · {} {}", t.year_cap, lang.percent(c));
            }
            Column {
                key: y.year.to_string(),
                segments: vec![Segment {
                    value: y.cloud_act_share.clamp(0.0, 1.0),
                    class: "exposed",
                    color: EXPOSED,
                }],
                text: lang.percent(y.cloud_act_share),
                title,
                cap: cap.map(|c| c.clamp(0.0, 1.0)),
            }
        })
        .collect::<Vec<_>>();
    let mut legend = vec![(Some(EXPOSED), t.cloud_act_share.to_string())];
    if columns.iter().any(|c| c.cap.is_some()) {
        legend.push((None, t.year_cap.to_string()));
    }
    let grid = [0.0, 0.5, 1.0]
        .map(|f| (f, lang.percent(f).replace(",0", "").replace(".0", "")))
        .to_vec();
    column_chart(&Columns {
        id: "chart-roadmap-cloud-act",
        title: t.cloud_act_years_chart,
        columns,
        max: Some(1.0),
        grid,
        legend,
    })
}

/// The year table, with the sums of the money columns and the moves.
fn year_table(r: &Report, years: &[YearRow], lang: Lang) -> String {
    let t = lang.texts();
    let mut s = format!(
        "<h3>{}</h3>\n<table id=\"years\">\n<thead><tr><th>{}</th>",
        esc(t.years_table),
        esc(t.year)
    );
    let monthly = format!("{}{}", t.monthly_cost, t.per_month);
    for h in [
        monthly.as_str(),
        t.one_off_cost,
        t.annual_cost,
        t.moves,
        t.providers_used,
        t.largest_share,
        t.cloud_act_share,
    ] {
        let _ = write!(s, "<th class=\"n\">{}</th>", esc(h));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for y in years {
        let cap = year_bound(r, "max_cloud_act_share", y.year)
            .map_or(String::new(), |c| format!(" (≤ {})", lang.percent(c)));
        let _ = writeln!(
            s,
            "<tr data-year=\"{}\"><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            y.year,
            y.year,
            esc(&lang.money(y.monthly_cost)),
            esc(&lang.money(y.one_off_cost)),
            esc(&lang.money(y.annual_cost)),
            y.moves,
            y.providers_used,
            esc(&lang.percent(y.max_share)),
            esc(&format!("{}{cap}", lang.percent(y.cloud_act_share))),
        );
    }
    // Sums in whole cents, as the plan's columns add up.
    let sum = |f: fn(&YearRow) -> f64| {
        years.iter().map(|y| whole_cents(f(y))).sum::<i64>() as f64 / 100.0
    };
    let _ = writeln!(
        s,
        "<tr class=\"total\"><td>{}</td><td></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td colspan=\"3\"></td></tr>\n</tbody>\n</table>",
        esc(t.all),
        esc(&lang.money(sum(|y| y.one_off_cost))),
        esc(&lang.money(sum(|y| y.annual_cost))),
        years.iter().map(|y| y.moves).sum::<usize>(),
    );
    s
}

/// Every move of the schedule, year by year: the service, where it leaves from (its
/// offering the year before), where it goes and what the move costs.
fn moves_table(r: &Report, lang: Lang) -> String {
    let t = lang.texts();
    let schedule = r.plan.schedule.as_deref().unwrap_or_default();
    let mut moves: Vec<&ScheduleRow> = schedule
        .iter()
        .filter(|row| row.change == YearChange::Moves)
        .collect();
    // Stable: within a year, the schedule's (scenario) order.
    moves.sort_by_key(|row| row.year);
    let mut s = format!("<h3>{}</h3>\n", esc(t.moves_table));
    if moves.is_empty() {
        let _ = writeln!(s, "<p class=\"note\">{}</p>", esc(t.moves_none));
        return s;
    }
    let _ = writeln!(
        s,
        "<p class=\"note\">{}</p>\n<table id=\"moves\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"n\">{}</th></tr></thead>\n<tbody>",
        esc(t.moves_note),
        esc(t.year),
        esc(t.service),
        esc(t.move_from),
        esc(t.move_to),
        esc(t.migration_cost)
    );
    for row in moves {
        let _ = writeln!(
            s,
            "<tr data-move=\"{id}\" data-year=\"{y}\"><td>{y}</td><td>{name}<br><span class=\"id\">{id}</span></td><td>{from}</td><td>{to}</td><td class=\"n\">{cost}</td></tr>",
            id = esc(&row.service),
            y = row.year,
            name = esc(&service_name(r, &row.service)),
            from = from_cell(r, schedule, row),
            to = place_cell(r, &row.offering, &row.provider),
            cost = esc(&lang.money(row.one_off_cost)),
        );
    }
    s.push_str("</tbody>\n</table>\n");
    s
}

/// The service's display name from the placements (its id when it has none there).
fn service_name(r: &Report, service: &str) -> String {
    let row = r.plan.placements.iter().find(|p| p.service == service);
    row.map_or(service, |p| p.service_name.as_str()).to_string()
}

/// Where a moving service runs before its move: its schedule row of the year before,
/// or, in the first year, its current offering from the placements.
fn from_cell(r: &Report, schedule: &[ScheduleRow], row: &ScheduleRow) -> String {
    let before = schedule
        .iter()
        .filter(|b| b.service == row.service && b.year < row.year)
        .max_by_key(|b| b.year);
    if let Some(b) = before {
        return place_cell(r, &b.offering, &b.provider);
    }
    let previous = r
        .plan
        .placements
        .iter()
        .find(|p| p.service == row.service)
        .and_then(|p| p.previous_offering.clone().flatten());
    previous.map_or_else(|| "–".to_string(), |o| esc(&o))
}

/// An offering with its provider's colour swatch and name.
fn place_cell(r: &Report, offering: &str, provider: &str) -> String {
    format!(
        "{}<br><span class=\"id\"><span class=\"swatch\" style=\"background:{}\"></span>{}</span>",
        esc(offering),
        r.color(provider),
        esc(r.provider_name(provider))
    )
}

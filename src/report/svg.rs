//! The charts: horizontal bar charts with a dashed cap line, and the CLOUD-Act gauge.
//!
//! Every bar is a `<rect class="bar" data-provider="…">` inside an `<svg id="chart-…">`
//! so that a test (or a reader's tool) can count and identify them. Sizes are fixed
//! numbers in a `viewBox`, so the chart scales with the page and prints as drawn.

use super::html::esc;
use std::fmt::Write;

/// Width of every chart (SVG user units).
const WIDTH: f64 = 900.0;
/// Where the bars start; the provider names end left of it.
const BAR_X: f64 = 262.0;
/// The longest bar (the largest of the values and the cap).
const BAR_MAX: f64 = 400.0;
/// Height of one row and of one bar.
const ROW: f64 = 30.0;
const BAR_H: f64 = 20.0;
/// Room above the first row for the cap's label.
const TOP: f64 = 24.0;
/// The longest provider name shown in full (the rest goes into the tooltip).
const LABEL_CHARS: usize = 30;

/// One bar.
pub(super) struct Bar<'a> {
    /// Provider id (the bar's `data-provider`).
    pub provider: &'a str,
    /// Provider display name.
    pub label: &'a str,
    /// Length of the bar, in the chart's unit.
    pub value: f64,
    /// The value as written next to the bar.
    pub text: String,
    /// Fill colour.
    pub color: &'static str,
}

/// A bar chart with an optional cap.
pub(super) struct Chart<'a> {
    /// The `<svg>`'s id, e.g. `chart-spend`.
    pub id: &'a str,
    /// Accessible title.
    pub title: &'a str,
    /// The bars, top to bottom.
    pub bars: Vec<Bar<'a>>,
    /// The cap in the bars' unit, with its label (`Obergrenze 40,0 %`).
    pub cap: Option<(f64, String)>,
}

/// The chart as an inline `<svg>`.
pub(super) fn bar_chart(c: &Chart) -> String {
    let height = TOP + ROW * c.bars.len() as f64 + 8.0;
    let max = c
        .bars
        .iter()
        .map(|b| b.value)
        .chain(c.cap.as_ref().map(|cap| cap.0))
        .fold(0.0, f64::max);
    // All zero (a plan without exit costs): bars of width zero on a unit scale.
    let scale = if max > 0.0 { BAR_MAX / max } else { 0.0 };
    let mut s = open(c.id, c.title, height);
    for (i, b) in c.bars.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let w = b.value.max(0.0) * scale;
        let over = c
            .cap
            .as_ref()
            .is_some_and(|cap| b.value > cap.0 * (1.0 + 1e-9));
        let class = if over { "bar over" } else { "bar" };
        let _ = write!(
            s,
            r#"<text class="label" x="{lx}" y="{ty}" text-anchor="end">{label}</text><rect class="{class}" data-provider="{p}" x="{BAR_X}" y="{y}" width="{w:.1}" height="{BAR_H}" fill="{fill}"><title>{full}: {text}</title></rect><text class="value" x="{vx:.1}" y="{ty}">{text}</text>"#,
            lx = BAR_X - 8.0,
            ty = y + 14.5,
            label = esc(&truncate(b.label, LABEL_CHARS)),
            p = esc(b.provider),
            fill = b.color,
            full = esc(b.label),
            text = esc(&b.text),
            vx = BAR_X + w + 6.0,
        );
    }
    if let Some((cap, label)) = &c.cap {
        cap_line(&mut s, BAR_X + cap * scale, height, label);
    }
    s.push_str("</svg>");
    s
}

/// The CLOUD-Act gauge: one bar from 0 to 100 % of the monthly cost, the exposed part
/// red, the rest green, and the cap.
pub(super) fn gauge(
    title: &str,
    share: f64,
    labels: [&str; 2],
    cap: Option<(f64, String)>,
) -> String {
    let height = TOP + ROW + 8.0;
    let share = share.clamp(0.0, 1.0);
    let (exposed, rest) = (share * BAR_MAX, (1.0 - share) * BAR_MAX);
    let mut s = open("chart-cloud-act", title, height);
    let _ = write!(
        s,
        r##"<rect class="gauge exposed" x="{BAR_X}" y="{TOP}" width="{exposed:.1}" height="{BAR_H}" fill="#e15759"><title>{a}</title></rect><rect class="gauge" x="{x2:.1}" y="{TOP}" width="{rest:.1}" height="{BAR_H}" fill="#59a14f"><title>{b}</title></rect><text class="label" x="{lx}" y="{ty}" text-anchor="end">{a}</text><text class="value" x="{vx}" y="{ty}">{b}</text>"##,
        x2 = BAR_X + exposed,
        a = esc(labels[0]),
        b = esc(labels[1]),
        lx = BAR_X - 8.0,
        ty = TOP + 14.5,
        vx = BAR_X + BAR_MAX + 6.0,
    );
    if let Some((cap, label)) = cap {
        cap_line(
            &mut s,
            BAR_X + cap.clamp(0.0, 1.0) * BAR_MAX,
            height,
            &label,
        );
    }
    s.push_str("</svg>");
    s
}

fn open(id: &str, title: &str, height: f64) -> String {
    format!(
        r#"<svg id="{id}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-label="{t}"><title>{t}</title>"#,
        id = esc(id),
        t = esc(title),
    )
}

/// A dashed vertical line at `x` over all rows, labelled above.
fn cap_line(s: &mut String, x: f64, height: f64, label: &str) {
    // The label stays inside the chart when the cap is near its right edge.
    let anchor = if x > WIDTH - 120.0 { "end" } else { "middle" };
    let _ = write!(
        s,
        r##"<line class="cap" x1="{x:.1}" y1="{y1}" x2="{x:.1}" y2="{y2}" stroke="#c00000" stroke-width="2" stroke-dasharray="5 4"/><text class="cap-label" x="{x:.1}" y="14" text-anchor="{anchor}">{l}</text>"##,
        y1 = TOP - 6.0,
        y2 = height - 4.0,
        l = esc(label),
    );
}

/// `text` cut to `max` characters, with an ellipsis when cut.
pub(super) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut t: String = text.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Left edge of the plot of a column chart; the axis labels end left of it.
const PLOT_X: f64 = 96.0;
/// Height of the plot of a column chart (the tallest column).
const PLOT_H: f64 = 220.0;
/// Room above the plot of a column chart for the legend and the value labels.
const PLOT_TOP: f64 = 48.0;
/// Widest column.
const COLUMN_MAX: f64 = 70.0;

/// One part of a stacked column.
pub(super) struct Segment {
    /// Its height, in the chart's unit.
    pub value: f64,
    /// Class added to `seg` (e.g. `running`, `one-off`).
    pub class: &'static str,
    /// Fill colour.
    pub color: &'static str,
}

/// One column of a column chart: one planning year.
pub(super) struct Column {
    /// The label under the column and its `data-year`.
    pub key: String,
    /// The parts, bottom to top.
    pub segments: Vec<Segment>,
    /// The figure written above the column.
    pub text: String,
    /// The tooltip.
    pub title: String,
    /// The cap of this column, in the chart's unit: a dashed marker across it.
    pub cap: Option<f64>,
}

/// A vertical column chart over the years, with a legend and a cap marker per column.
pub(super) struct Columns<'a> {
    /// The `<svg>`'s id, e.g. `chart-roadmap-cost`.
    pub id: &'a str,
    /// Accessible title.
    pub title: &'a str,
    /// The columns, left to right.
    pub columns: Vec<Column>,
    /// The top of the scale; `None`: the largest column or cap.
    pub max: Option<f64>,
    /// Gridlines as fractions of the scale, with their labels.
    pub grid: Vec<(f64, String)>,
    /// Legend entries: colour (`None`: the dashed cap marker) and text.
    pub legend: Vec<(Option<&'static str>, String)>,
}

/// The column chart as an inline `<svg>`: each column is a `<g class="bar"
/// data-year="…">` of `<rect class="seg …">`s, so that a test counts one bar per year
/// however many parts it is stacked from; a column above its cap is `bar over`.
pub(super) fn column_chart(c: &Columns) -> String {
    let height = PLOT_TOP + PLOT_H + 30.0;
    let base = PLOT_TOP + PLOT_H;
    let max = c.max.unwrap_or_else(|| {
        c.columns
            .iter()
            .map(|col| col.segments.iter().map(|s| s.value.max(0.0)).sum::<f64>())
            .chain(c.columns.iter().filter_map(|col| col.cap))
            .fold(0.0, f64::max)
    });
    let scale = if max > 0.0 { PLOT_H / max } else { 0.0 };
    let mut s = open(c.id, c.title, height);
    legend(&mut s, &c.legend);
    for (f, label) in &c.grid {
        let y = base - f * PLOT_H;
        let _ = write!(
            s,
            r##"<line class="grid" x1="{PLOT_X}" y1="{y:.1}" x2="{x2}" y2="{y:.1}" stroke="#d5dbe1" stroke-width="1"/><text class="axis" x="{lx}" y="{ty:.1}" text-anchor="end" style="font-size:12px;fill:#5b6875">{l}</text>"##,
            x2 = WIDTH - 10.0,
            lx = PLOT_X - 8.0,
            ty = y + 4.5,
            l = esc(label),
        );
    }
    let slot = (WIDTH - PLOT_X - 10.0) / c.columns.len().max(1) as f64;
    for (i, col) in c.columns.iter().enumerate() {
        let x = PLOT_X + slot * i as f64 + slot / 2.0;
        column(&mut s, col, x, slot, base, scale);
    }
    let _ = write!(
        s,
        r##"<line class="axis-line" x1="{PLOT_X}" y1="{base}" x2="{x2}" y2="{base}" stroke="#5b6875" stroke-width="1"/></svg>"##,
        x2 = WIDTH - 10.0,
    );
    s
}

/// One column centred on `x`: its stacked parts, the figure above, the year below and
/// the cap marker.
fn column(s: &mut String, col: &Column, x: f64, slot: f64, base: f64, scale: f64) {
    let w = (slot * 0.6).min(COLUMN_MAX);
    let total: f64 = col.segments.iter().map(|g| g.value.max(0.0)).sum();
    let over = col.cap.is_some_and(|cap| total > cap * (1.0 + 1e-9) + 1e-9);
    let _ = write!(
        s,
        r#"<g class="bar{o}" data-year="{k}"><title>{t}</title>"#,
        o = if over { " over" } else { "" },
        k = esc(&col.key),
        t = esc(&col.title),
    );
    let mut top = base;
    for g in &col.segments {
        let h = g.value.max(0.0) * scale;
        top -= h;
        let _ = write!(
            s,
            r#"<rect class="seg {c}" x="{x0:.1}" y="{top:.1}" width="{w:.1}" height="{h:.1}" fill="{f}"/>"#,
            c = g.class,
            x0 = x - w / 2.0,
            f = g.color,
        );
    }
    s.push_str("</g>");
    // Small figures for many columns, so that neighbouring labels do not overlap (an
    // inline style: the page's CSS would override a presentation attribute); none
    // where even those would (beyond 13 columns: the tooltip has the figure).
    if slot >= 60.0 {
        let size = if slot < 80.0 { 10 } else { 12 };
        let _ = write!(
            s,
            r#"<text class="value" x="{x:.1}" y="{vy:.1}" text-anchor="middle" style="font-size:{size}px">{v}</text>"#,
            vy = top - 6.0,
            v = esc(&col.text),
        );
    }
    let _ = write!(
        s,
        r#"<text class="label" x="{x:.1}" y="{ly:.1}" text-anchor="middle">{k}</text>"#,
        ly = base + 18.0,
        k = esc(&col.key),
    );
    if let Some(cap) = col.cap {
        let y = base - cap.max(0.0) * scale;
        let _ = write!(
            s,
            r##"<line class="cap" data-year="{k}" x1="{x1:.1}" y1="{y:.1}" x2="{x2:.1}" y2="{y:.1}" stroke="#c00000" stroke-width="2" stroke-dasharray="5 4"/>"##,
            k = esc(&col.key),
            x1 = x - w / 2.0 - 8.0,
            x2 = x + w / 2.0 + 8.0,
        );
    }
}

/// The legend in one row above the plot: a swatch per colour, a dashed line for caps.
fn legend(s: &mut String, entries: &[(Option<&'static str>, String)]) {
    let mut x = PLOT_X;
    for (color, text) in entries {
        match color {
            Some(c) => {
                let _ = write!(
                    s,
                    r#"<rect class="key" x="{x:.1}" y="10" width="12" height="12" fill="{c}"/>"#
                );
            }
            None => {
                let _ = write!(
                    s,
                    r##"<line class="key" x1="{x:.1}" y1="16" x2="{x2:.1}" y2="16" stroke="#c00000" stroke-width="2" stroke-dasharray="5 4"/>"##,
                    x2 = x + 12.0,
                );
            }
        }
        let _ = write!(
            s,
            r#"<text class="legend" x="{tx:.1}" y="21">{t}</text>"#,
            tx = x + 18.0,
            t = esc(text),
        );
        // Roughly 7 units per character at the chart's font size.
        x += 18.0 + 7.0 * text.chars().count() as f64 + 24.0;
    }
}

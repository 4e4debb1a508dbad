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

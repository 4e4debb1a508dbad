//! The dependency graph: built from the plan's placements and dependency rows, laid
//! out here (no Graphviz needed), drawn as SVG and written as DOT.
//!
//! Up to [`SERVICE_GRAPH_MAX`] services every service is a box inside its provider's
//! group: one column group per used provider (split into sub-columns of at most
//! [`MAX_ROWS`] boxes, at most [`GROUPS_PER_BAND`] groups side by side), the boxes of
//! each group ordered by the barycentre heuristic so that edges cross less. Beyond
//! that, boxes would be too small to read, so the graph shows the providers as
//! circles on a ring and the traffic between them.

use super::html::esc;
use super::svg::truncate;
use super::{text_on, Lang, Report};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

/// The most services drawn one by one; larger plans get the provider-level graph.
pub const SERVICE_GRAPH_MAX: usize = 200;

/// The most boxes in one sub-column of a provider group.
const MAX_ROWS: usize = 20;
/// The most provider groups side by side before the next band starts below.
const GROUPS_PER_BAND: usize = 5;
const NODE_W: f64 = 180.0;
const NODE_H: f64 = 22.0;
const ROW_H: f64 = 30.0;
const SUB_GAP: f64 = 28.0;
const PAD: f64 = 10.0;
const HEADER: f64 = 26.0;
const GAP_X: f64 = 90.0;
const GAP_Y: f64 = 40.0;
/// Characters of a service name that fit into a box at 11 px.
const NODE_CHARS: usize = 27;

/// Services one by one, or providers only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Services,
    Providers,
}

/// A used provider: a group of service boxes, or one node of the provider graph.
struct Group<'a> {
    provider: &'a str,
    name: &'a str,
    color: &'static str,
    services: usize,
    /// GB/month sent between services of this provider.
    internal: f64,
}

/// A box (a service) or, in the provider graph, a circle (a provider).
struct Node<'a> {
    id: &'a str,
    label: &'a str,
    /// Shown in the tooltip: the service's offering.
    detail: &'a str,
    group: usize,
}

/// Traffic from one node to another (summed over dependencies in the provider graph).
struct Edge {
    from: usize,
    to: usize,
    traffic: f64,
    cost: f64,
    count: usize,
}

/// A dependency between placement rows: (from, to, GB/month, EUR/month).
type Dep = (usize, usize, f64, f64);

/// The graph of a report.
pub(super) struct Graph<'a> {
    level: Level,
    scenario: &'a str,
    groups: Vec<Group<'a>>,
    nodes: Vec<Node<'a>>,
    edges: Vec<Edge>,
}

impl<'a> Graph<'a> {
    /// The graph of the report's plan: services, or providers beyond
    /// [`SERVICE_GRAPH_MAX`] services.
    pub(super) fn of(r: &Report<'a>) -> Graph<'a> {
        let plan = r.plan;
        let groups: Vec<Group<'a>> = r
            .used_providers()
            .map(|p| Group {
                provider: &p.provider,
                name: r.provider_name(&p.provider),
                color: r.color(&p.provider),
                services: p.services,
                internal: 0.0,
            })
            .collect();
        let group_of: HashMap<&str, usize> = groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.provider, i))
            .collect();
        // The group of each placement row (None for a provider the plan does not list
        // as used: such rows are left out rather than drawn in a wrong group).
        let group: Vec<Option<usize>> = plan
            .placements
            .iter()
            .map(|p| group_of.get(p.provider.as_str()).copied())
            .collect();
        let row: HashMap<&str, usize> = plan
            .placements
            .iter()
            .enumerate()
            .filter(|&(i, _)| group[i].is_some())
            .map(|(i, p)| (p.service.as_str(), i))
            .collect();
        let deps: Vec<Dep> = plan
            .dependencies
            .iter()
            .filter_map(|d| {
                let (from, to) = (*row.get(d.from.as_str())?, *row.get(d.to.as_str())?);
                Some((from, to, d.traffic_gb_month, d.cost))
            })
            .collect();
        if plan.placements.len() <= SERVICE_GRAPH_MAX {
            Graph::services(r, groups, &group, &deps)
        } else {
            Graph::providers(r, groups, &group, &deps)
        }
    }

    /// One node per placed service, one edge per dependency.
    fn services(
        r: &Report<'a>,
        groups: Vec<Group<'a>>,
        group: &[Option<usize>],
        deps: &[Dep],
    ) -> Graph<'a> {
        let mut node_of = vec![usize::MAX; group.len()];
        let mut nodes = Vec::new();
        for (i, p) in r.plan.placements.iter().enumerate() {
            if let Some(g) = group[i] {
                node_of[i] = nodes.len();
                nodes.push(Node {
                    id: &p.service,
                    label: &p.service_name,
                    detail: p.offering_name.as_deref().unwrap_or(&p.offering),
                    group: g,
                });
            }
        }
        let edges = deps
            .iter()
            .map(|&(f, t, traffic, cost)| Edge {
                from: node_of[f],
                to: node_of[t],
                traffic,
                cost,
                count: 1,
            })
            .collect();
        Graph {
            level: Level::Services,
            scenario: &r.plan.scenario,
            groups,
            nodes,
            edges,
        }
    }

    /// One node per used provider, one edge per ordered pair of providers that a
    /// dependency crosses (traffic summed); traffic within a provider is its `internal`.
    fn providers(
        r: &Report<'a>,
        mut groups: Vec<Group<'a>>,
        group: &[Option<usize>],
        deps: &[Dep],
    ) -> Graph<'a> {
        let mut pairs: BTreeMap<(usize, usize), Edge> = BTreeMap::new();
        for &(f, t, traffic, cost) in deps {
            // `deps` holds placed services only.
            let (gf, gt) = (group[f].unwrap_or(0), group[t].unwrap_or(0));
            if gf == gt {
                groups[gf].internal += traffic;
                continue;
            }
            let e = pairs.entry((gf, gt)).or_insert(Edge {
                from: gf,
                to: gt,
                traffic: 0.0,
                cost: 0.0,
                count: 0,
            });
            e.traffic += traffic;
            e.cost += cost;
            e.count += 1;
        }
        let nodes = groups
            .iter()
            .enumerate()
            .map(|(i, g)| Node {
                id: g.provider,
                label: g.name,
                detail: "",
                group: i,
            })
            .collect();
        Graph {
            level: Level::Providers,
            scenario: &r.plan.scenario,
            groups,
            nodes,
            edges: pairs.into_values().collect(),
        }
    }

    /// Whether the graph shows providers rather than services.
    pub(super) fn provider_level(&self) -> bool {
        self.level == Level::Providers
    }

    /// The graph as an inline `<svg id="graph">`: nodes `class="node"`, edges
    /// `class="edge"`, provider groups `class="group"`.
    pub(super) fn svg(&self, lang: Lang) -> String {
        match self.level {
            Level::Services => self.service_svg(lang),
            Level::Providers => self.provider_svg(lang),
        }
    }

    fn max_traffic(&self) -> f64 {
        self.edges.iter().map(|e| e.traffic).fold(0.0, f64::max)
    }

    /// Line width by traffic, on a square-root scale so small flows stay visible.
    fn width(&self, traffic: f64, base: f64, extra: f64) -> f64 {
        let max = self.max_traffic();
        if max > 0.0 {
            base + extra * (traffic.max(0.0) / max).sqrt()
        } else {
            base
        }
    }

    fn edge_title(&self, e: &Edge, lang: Lang) -> String {
        let t = lang.texts();
        let (a, b) = (self.nodes[e.from].label, self.nodes[e.to].label);
        let mut s = format!(
            "{a} → {b}: {} {}, {}{}",
            lang.quantity(e.traffic),
            t.traffic_unit,
            lang.money(e.cost),
            t.per_month
        );
        if self.level == Level::Providers {
            let _ = write!(s, " ({} {})", e.count, t.dependencies);
        }
        s
    }
}

/// Box positions of the service graph: top-left corner of each node, each group's box,
/// and the size of the whole drawing.
struct Layout {
    node: Vec<(f64, f64)>,
    group: Vec<(f64, f64, f64, f64)>,
    width: f64,
    height: f64,
}

impl Graph<'_> {
    /// Places the groups in bands and orders each group's boxes by the mean height of
    /// their neighbours in other groups (a few sweeps of the barycentre heuristic;
    /// ties keep the previous order, so the result is deterministic).
    fn layout(&self) -> Layout {
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); self.groups.len()];
        for (i, n) in self.nodes.iter().enumerate() {
            members[n.group].push(i);
        }
        let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); self.nodes.len()];
        for e in &self.edges {
            if self.nodes[e.from].group != self.nodes[e.to].group {
                neighbours[e.from].push(e.to);
                neighbours[e.to].push(e.from);
            }
        }
        let mut layout = place(&members);
        for _ in 0..6 {
            for g in 0..members.len() {
                let key = |n: usize| {
                    let ys: Vec<f64> = neighbours[n].iter().map(|&m| layout.node[m].1).collect();
                    if ys.is_empty() {
                        layout.node[n].1
                    } else {
                        ys.iter().sum::<f64>() / ys.len() as f64
                    }
                };
                let mut keyed: Vec<(f64, usize, usize)> = members[g]
                    .iter()
                    .enumerate()
                    .map(|(pos, &n)| (key(n), pos, n))
                    .collect();
                keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                members[g] = keyed.into_iter().map(|k| k.2).collect();
                layout = place(&members);
            }
        }
        layout
    }

    fn service_svg(&self, lang: Lang) -> String {
        let l = self.layout();
        let mut s = format!(
            r##"<svg id="graph" class="graph services" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{t}"><title>{t}</title><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>"##,
            w = l.width,
            h = l.height,
            t = esc(lang.texts().graph),
        );
        for (g, &(x, y, w, h)) in self.groups.iter().zip(&l.group) {
            let chars = ((w - 2.0 * PAD) / 7.0) as usize;
            let head = format!("{} ({})", g.name, g.services);
            let _ = write!(
                s,
                r#"<g class="group" data-provider="{p}"><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="8" fill="{c}" fill-opacity="0.12" stroke="{c}" stroke-width="1.5"/><text class="group-label" x="{tx}" y="{ty}">{head}</text></g>"#,
                p = esc(g.provider),
                c = g.color,
                tx = x + PAD,
                ty = y + 18.0,
                head = esc(&truncate(&head, chars)),
            );
        }
        for e in &self.edges {
            self.service_edge(&mut s, &l, e, lang);
        }
        for (i, n) in self.nodes.iter().enumerate() {
            let (x, y) = l.node[i];
            let g = &self.groups[n.group];
            let _ = write!(
                s,
                r#"<g class="node" data-service="{id}" data-provider="{p}"><title>{label} ({id}) · {detail}</title><rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="4" fill="{c}"/><text x="{tx}" y="{ty}" fill="{tc}">{short}</text></g>"#,
                id = esc(n.id),
                p = esc(g.provider),
                label = esc(n.label),
                detail = esc(n.detail),
                c = g.color,
                tx = x + 6.0,
                ty = y + 15.0,
                tc = text_on(g.color),
                short = esc(&truncate(n.label, NODE_CHARS)),
            );
        }
        s.push_str("</svg>");
        s
    }

    /// An edge as a cubic curve between the facing sides of its boxes; within one
    /// column it bows out to the right.
    fn service_edge(&self, s: &mut String, l: &Layout, e: &Edge, lang: Lang) {
        let ((ax, ay), (bx, by)) = (l.node[e.from], l.node[e.to]);
        let (ay, by) = (ay + NODE_H / 2.0, by + NODE_H / 2.0);
        let (sx, ex, c1, c2) = if (ax - bx).abs() < 1.0 {
            let bow = 30.0 + ((ay - by).abs() / 6.0).min(60.0);
            let side = ax + NODE_W;
            (side, side + 2.0, side + bow, side + bow)
        } else if ax < bx {
            let (sx, ex) = (ax + NODE_W, bx - 2.0);
            let dx = ((ex - sx).abs() / 2.0).max(40.0);
            (sx, ex, sx + dx, ex - dx)
        } else {
            let (sx, ex) = (ax, bx + NODE_W + 2.0);
            let dx = ((sx - ex).abs() / 2.0).max(40.0);
            (sx, ex, sx - dx, ex + dx)
        };
        let cross = self.nodes[e.from].group != self.nodes[e.to].group;
        let (color, opacity) = if cross { ("#333", 0.7) } else { ("#777", 0.55) };
        let _ = write!(
            s,
            r#"<path class="edge" data-from="{f}" data-to="{t}" d="M{sx:.1},{ay:.1} C{c1:.1},{ay:.1} {c2:.1},{by:.1} {ex:.1},{by:.1}" fill="none" stroke="{color}" stroke-opacity="{opacity}" stroke-width="{w:.2}" marker-end="url(#arrow)"><title>{title}</title></path>"#,
            f = esc(self.nodes[e.from].id),
            t = esc(self.nodes[e.to].id),
            w = self.width(e.traffic, 1.0, 3.0),
            title = esc(&self.edge_title(e, lang)),
        );
    }
}

/// Positions for groups whose members are in the given order.
fn place(members: &[Vec<usize>]) -> Layout {
    let count: usize = members.iter().map(Vec::len).sum();
    let mut layout = Layout {
        node: vec![(0.0, 0.0); count],
        group: Vec::with_capacity(members.len()),
        width: 0.0,
        height: 0.0,
    };
    let (mut x, mut band_top, mut band_bottom) = (PAD, PAD, PAD);
    for (g, m) in members.iter().enumerate() {
        if g > 0 && g % GROUPS_PER_BAND == 0 {
            x = PAD;
            band_top = band_bottom + GAP_Y;
        }
        let cols = m.len().div_ceil(MAX_ROWS).max(1);
        let rows = m.len().div_ceil(cols).max(1);
        let w = 2.0 * PAD + cols as f64 * NODE_W + (cols - 1) as f64 * SUB_GAP;
        let h = HEADER + rows as f64 * ROW_H + PAD;
        for (i, &n) in m.iter().enumerate() {
            let (col, row) = ((i / rows) as f64, (i % rows) as f64);
            layout.node[n] = (
                x + PAD + col * (NODE_W + SUB_GAP),
                band_top + HEADER + row * ROW_H,
            );
        }
        layout.group.push((x, band_top, w, h));
        band_bottom = band_bottom.max(band_top + h);
        // Room on the right for edges bowing out of the last column.
        layout.width = layout.width.max(x + w + GAP_X);
        x += w + GAP_X;
    }
    layout.height = band_bottom + PAD;
    layout
}

/// Size of the provider graph.
const RING_W: f64 = 900.0;
const RING_H: f64 = 640.0;
const RING_R: f64 = 215.0;

impl Graph<'_> {
    /// Provider circles on a ring (first at the top, clockwise in plan order), radius by
    /// the number of services, edges as arcs (A→B and B→A bend to opposite sides).
    fn provider_svg(&self, lang: Lang) -> String {
        let t = lang.texts();
        let n = self.nodes.len();
        let max_services = self
            .groups
            .iter()
            .map(|g| g.services)
            .max()
            .unwrap_or(1)
            .max(1);
        let radius: Vec<f64> = self
            .groups
            .iter()
            .map(|g| 22.0 + 26.0 * (g.services as f64 / max_services as f64).sqrt())
            .collect();
        let (cx, cy) = (RING_W / 2.0, RING_H / 2.0 - 10.0);
        let centre: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                if n == 1 {
                    return (cx, cy);
                }
                let a = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n as f64;
                (cx + RING_R * 1.3 * a.cos(), cy + RING_R * a.sin())
            })
            .collect();
        let mut s = format!(
            r##"<svg id="graph" class="graph providers" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {RING_W} {RING_H}" width="{RING_W}" height="{RING_H}" role="img" aria-label="{title}"><title>{title}</title><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="14" markerHeight="14" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>"##,
            title = esc(t.graph),
        );
        for e in &self.edges {
            self.provider_edge(&mut s, e, &centre, &radius, lang);
        }
        for (i, g) in self.groups.iter().enumerate() {
            let ((x, y), r) = (centre[i], radius[i]);
            // Labels outside the ring: above the circles in its upper part.
            let (ty, ty2) = if y < cy - 0.3 * RING_R {
                (y - r - 24.0, y - r - 9.0)
            } else {
                (y + r + 16.0, y + r + 31.0)
            };
            let line2 = format!("{} {}", g.services, t.services);
            let line3 = format!(
                "{}: {} {}",
                t.internal,
                lang.quantity(g.internal),
                t.traffic_unit
            );
            let _ = write!(
                s,
                r##"<g class="node" data-provider="{p}"><title>{name}: {line2}, {line3}</title><circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="{c}" stroke="#fff" stroke-width="2"/><text class="node-label" x="{x:.1}" y="{ty:.1}" text-anchor="middle">{short}</text><text class="node-detail" x="{x:.1}" y="{ty2:.1}" text-anchor="middle">{line2} · {line3}</text></g>"##,
                p = esc(g.provider),
                name = esc(g.name),
                c = g.color,
                short = esc(&truncate(g.name, 34)),
                line2 = esc(&line2),
                line3 = esc(&line3),
            );
        }
        s.push_str("</svg>");
        s
    }

    fn provider_edge(
        &self,
        s: &mut String,
        e: &Edge,
        centre: &[(f64, f64)],
        radius: &[f64],
        lang: Lang,
    ) {
        let ((ax, ay), (bx, by)) = (centre[e.from], centre[e.to]);
        let (dx, dy) = (bx - ax, by - ay);
        let len = dx.hypot(dy).max(1.0);
        // The control point lies off the straight line, to the left of the direction
        // of travel, so the two directions between a pair never overlap.
        let (qx, qy) = (
            (ax + bx) / 2.0 - dy / len * 0.22 * len,
            (ay + by) / 2.0 + dx / len * 0.22 * len,
        );
        let toward = |(px, py): (f64, f64), r: f64| {
            let (ux, uy) = (qx - px, qy - py);
            let ul = ux.hypot(uy).max(1.0);
            (px + ux / ul * r, py + uy / ul * r)
        };
        let (sx, sy) = toward((ax, ay), radius[e.from] + 2.0);
        let (ex, ey) = toward((bx, by), radius[e.to] + 4.0);
        // The label sits before the middle (t = 0.4), nearer the sender, so that the
        // labels of edges crossing in the middle of the ring fall apart.
        let (mx, my) = (
            0.36 * sx + 0.48 * qx + 0.16 * ex,
            0.36 * sy + 0.48 * qy + 0.16 * ey,
        );
        let label = format!("{} {}", lang.quantity(e.traffic), lang.texts().traffic_unit);
        let _ = write!(
            s,
            r##"<g class="edge" data-from="{f}" data-to="{t}"><title>{title}</title><path d="M{sx:.1},{sy:.1} Q{qx:.1},{qy:.1} {ex:.1},{ey:.1}" fill="none" stroke="#444" stroke-opacity="0.75" stroke-width="{w:.2}" marker-end="url(#arrow)"/><text class="edge-label" x="{mx:.1}" y="{my:.1}" text-anchor="middle">{label}</text></g>"##,
            f = esc(self.nodes[e.from].id),
            t = esc(self.nodes[e.to].id),
            title = esc(&self.edge_title(e, lang)),
            w = self.width(e.traffic, 1.5, 7.0),
            label = esc(&label),
        );
    }
}

impl Graph<'_> {
    /// The graph in Graphviz DOT: one `cluster_` subgraph per provider with its
    /// services, or the providers and the traffic between them.
    pub(super) fn dot(&self, lang: Lang) -> String {
        let t = lang.texts();
        let title = format!("{}: {}", self.scenario, t.graph);
        let mut s = format!(
            "digraph \"sovplan\" {{\n  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, label={}];\n  node [fontname=\"Helvetica\", fontsize=10, style=\"rounded,filled\", shape={}];\n  edge [color=\"#444444\", arrowsize=0.7, fontname=\"Helvetica\", fontsize=9];\n",
            quote(&title),
            if self.provider_level() { "ellipse" } else { "box" },
        );
        match self.level {
            Level::Services => self.service_dot(&mut s, lang),
            Level::Providers => self.provider_dot(&mut s, lang),
        }
        s.push_str("}\n");
        s
    }

    fn service_dot(&self, s: &mut String, lang: Lang) {
        for (g, group) in self.groups.iter().enumerate() {
            let _ = writeln!(
                s,
                "  subgraph \"cluster_{g}\" {{\n    label={};\n    style=\"rounded\";\n    color=\"{}\";",
                quote(&format!("{} ({})", group.name, group.services)),
                group.color
            );
            for n in self.nodes.iter().filter(|n| n.group == g) {
                let _ = writeln!(
                    s,
                    "    {} [label={}, fillcolor=\"{}\", fontcolor=\"{}\", tooltip={}];",
                    quote(n.id),
                    quote(n.label),
                    group.color,
                    text_on(group.color),
                    quote(&format!("{} · {}", n.id, n.detail)),
                );
            }
            s.push_str("  }\n");
        }
        for e in &self.edges {
            let _ = writeln!(
                s,
                "  {} -> {} [penwidth={:.2}, tooltip={}];",
                quote(self.nodes[e.from].id),
                quote(self.nodes[e.to].id),
                self.width(e.traffic, 1.0, 3.0),
                quote(&self.edge_title(e, lang)),
            );
        }
    }

    fn provider_dot(&self, s: &mut String, lang: Lang) {
        let t = lang.texts();
        for g in &self.groups {
            let label = format!(
                "{}\n{} {}\n{}: {} {}",
                g.name,
                g.services,
                t.services,
                t.internal,
                lang.quantity(g.internal),
                t.traffic_unit
            );
            let _ = writeln!(
                s,
                "  {} [label={}, fillcolor=\"{}\", fontcolor=\"{}\"];",
                quote(g.provider),
                quote(&label),
                g.color,
                text_on(g.color),
            );
        }
        for e in &self.edges {
            let _ = writeln!(
                s,
                "  {} -> {} [label={}, penwidth={:.2}, tooltip={}];",
                quote(self.nodes[e.from].id),
                quote(self.nodes[e.to].id),
                quote(&format!("{} {}", lang.quantity(e.traffic), t.traffic_unit)),
                self.width(e.traffic, 1.0, 5.0),
                quote(&self.edge_title(e, lang)),
            );
        }
    }
}

/// A DOT double-quoted string: backslashes and quotes escaped, line breaks as `\n`
/// (which Graphviz shows as a centred line break).
fn quote(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for c in text.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => {}
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn dot_strings_cannot_end_early() {
        assert_eq!(quote("a \"b\" \\ c\nd"), "\"a \\\"b\\\" \\\\ c\\nd\"");
    }
}

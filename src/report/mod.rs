//! The report for a council or an IT committee: one self-contained HTML file (inline
//! CSS and SVG, no script, no network) with the headline figures, charts of spend,
//! exit cost, CLOUD-Act share and one-off costs per provider, the dependency graph,
//! the placement table, the limits and the estimates the plan rests on; and the same
//! graph as Graphviz DOT.
//!
//! Everything comes from the plan; a scenario, when given, adds the policy's caps
//! (also those the plan has no row for), the providers' headquarters and the verdict
//! of the independent checker ([`crate::check`]). Output is deterministic: the same
//! plan (and scenario) give byte-identical files.
//!
//! Modules: `text.rs` (every German and English text, number formats), `html.rs` (the
//! page; every text escaped), `svg.rs` (the charts), `roadmap.rs` (the section of a
//! roadmap plan: its years, charts by year and moves), `graph.rs` (the graph's layout,
//! as SVG and DOT).

mod graph;
mod html;
mod roadmap;
mod svg;
mod text;

pub use graph::SERVICE_GRAPH_MAX;
pub use text::{Lang, Texts};

use crate::model::LimitKind;
use crate::plan::{Plan, ProviderRow};
use crate::Scenario;

/// Provider colours, assigned in the plan's provider order (colour-blind-safe Tableau
/// 10 first); every text on them is drawn in the colour [`text_on`] picks.
const PALETTE: [&str; 12] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1", "#edc948", "#9c755f",
    "#ff9da7", "#bab0ac", "#1f5f8b", "#8c6d31",
];

/// The policy's caps the charts draw (None where the policy sets none).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Caps {
    /// `max_provider_share`.
    pub provider_share: Option<f64>,
    /// `max_exit_cost` (EUR, per provider).
    pub exit_cost: Option<f64>,
    /// `max_cloud_act_share`.
    pub cloud_act_share: Option<f64>,
    /// `monthly_budget` (EUR).
    pub budget: Option<f64>,
    /// `min_providers`.
    pub min_providers: Option<f64>,
}

impl Caps {
    /// The caps a plan lists in its limit rows (every row of a kind has its bound). In a
    /// roadmap plan, whose charts show the final year, the final year's rows.
    pub fn from_plan(plan: &Plan) -> Caps {
        let last = plan
            .years
            .as_ref()
            .and_then(|ys| ys.iter().map(|y| y.year).max());
        let bound = |kind: LimitKind| {
            let mut rows = plan.limits.iter();
            let row = rows.find(|l| l.limit == kind.field() && (last.is_none() || l.year == last));
            row.map(|l| l.bound)
        };
        Caps::from_fn(bound)
    }

    /// The caps of a scenario's policy; with a roadmap, of the policy in force in its
    /// final year (the year the plan's placements describe).
    pub fn from_scenario(sc: &Scenario) -> Caps {
        let policy = match &sc.roadmap {
            Some(rm) => std::borrow::Cow::Owned(rm.policy_in(&sc.policy, rm.final_year())),
            None => std::borrow::Cow::Borrowed(&sc.policy),
        };
        Caps::from_fn(|kind| policy.get(kind).map(|l| l.bound()))
    }

    fn from_fn(bound: impl Fn(LimitKind) -> Option<f64>) -> Caps {
        Caps {
            provider_share: bound(LimitKind::ProviderShare),
            exit_cost: bound(LimitKind::ExitCost),
            cloud_act_share: bound(LimitKind::CloudActShare),
            budget: bound(LimitKind::Budget),
            min_providers: bound(LimitKind::MinProviders),
        }
    }
}

/// What the report shows: the plan and what a scenario adds.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// The caps drawn in the charts.
    pub caps: Caps,
    /// The providers' headquarters (ISO country), by provider id, when a scenario was
    /// given.
    pub headquarters: Option<Vec<(String, String)>>,
    /// The independent checker's violations (empty: verified), when a scenario was
    /// given.
    pub violations: Option<Vec<String>>,
}

impl<'a> Report<'a> {
    /// The report of `plan` alone.
    pub fn new(plan: &'a Plan) -> Report<'a> {
        Report {
            plan,
            caps: Caps::from_plan(plan),
            headquarters: None,
            violations: None,
        }
    }

    /// The report of `plan` with its scenario: the policy's caps, the headquarters and
    /// the checker's verdict.
    pub fn with_scenario(plan: &'a Plan, sc: &Scenario) -> Report<'a> {
        let violations = crate::check::check(sc, plan);
        Report {
            plan,
            caps: Caps::from_scenario(sc),
            headquarters: Some(
                sc.providers
                    .iter()
                    .map(|p| (p.id.clone(), p.headquarters.clone()))
                    .collect(),
            ),
            violations: Some(violations.iter().map(|v| v.to_string()).collect()),
        }
    }

    /// The report as one self-contained HTML page.
    pub fn html(&self, lang: Lang) -> String {
        html::page(self, lang)
    }

    /// The dependency graph as Graphviz DOT: services in one cluster per provider, or
    /// beyond [`SERVICE_GRAPH_MAX`] services the providers and the traffic between
    /// them, as in the HTML page.
    pub fn dot(&self, lang: Lang) -> String {
        graph::Graph::of(self).dot(lang)
    }

    /// The providers the plan places services on, in plan order: one bar each in the
    /// spend and exit-cost charts.
    pub fn used_providers(&self) -> impl Iterator<Item = &'a ProviderRow> {
        self.plan.providers.iter().filter(|p| p.services > 0)
    }

    /// The colour of a provider (by its position in the plan's provider list).
    pub fn color(&self, provider: &str) -> &'static str {
        let i = self
            .plan
            .providers
            .iter()
            .position(|p| p.provider == provider)
            .unwrap_or(self.plan.providers.len());
        PALETTE[i % PALETTE.len()]
    }

    /// A provider's display name (its id when the plan has none).
    pub fn provider_name(&self, provider: &str) -> &'a str {
        let row = self.plan.providers.iter().find(|p| p.provider == provider);
        match row {
            Some(ProviderRow {
                name: Some(name), ..
            }) => name,
            Some(row) => &row.provider,
            None => self
                .plan
                .placements
                .iter()
                .find(|p| p.provider == provider)
                .map_or("", |p| p.provider.as_str()),
        }
    }

    /// Σ one_off_cost of the services placed on each used provider, in plan order,
    /// for the providers where it is not zero.
    pub fn one_off_by_provider(&self) -> Vec<(&'a str, f64)> {
        self.used_providers()
            .map(|p| {
                let cents: i64 = self
                    .plan
                    .placements
                    .iter()
                    .filter(|s| s.provider == p.provider)
                    .map(|s| crate::plan::whole_cents(s.one_off_cost))
                    .sum();
                (p.provider.as_str(), cents as f64 / 100.0)
            })
            .filter(|&(_, x)| x != 0.0)
            .collect()
    }

    /// The share of the monthly cost billed by CLOUD-Act-exposed providers.
    pub fn cloud_act_share(&self) -> f64 {
        let exposed: f64 = self
            .plan
            .providers
            .iter()
            .filter(|p| p.cloud_act_exposed)
            .map(|p| p.spend)
            .sum();
        crate::plan::share(exposed, self.plan.monthly_cost)
    }
}

/// White on `color` (`#rrggbb`) where it reaches the WCAG contrast of 4.5 for
/// normal text (it reads better on mid-tone colours than black of equal contrast),
/// black otherwise.
pub fn text_on(color: &str) -> &'static str {
    let channel = |i: usize| {
        let v = u8::from_str_radix(color.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
        let c = f64::from(v) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    if 1.05 / (l + 0.05) >= 4.5 {
        "#ffffff"
    } else {
        "#000000"
    }
}

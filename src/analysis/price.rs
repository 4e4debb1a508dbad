//! The price of every rule: the optimum with the rule lifted and everything else kept,
//! against the optimum with every rule in force.
//!
//! Rows: one per policy limit that is set, one per data class that a service uses
//! (lifting all of its restrictions), and two grouped rows: every data class at once
//! (`all_data_classes`) and every lock-in limit at once (`all_lock_in`: provider share,
//! minimum providers, CLOUD-Act share, exit cost). The plan with every rule is solved
//! first; the lifted solves start from it and run in parallel, each with one HiGHS
//! thread, so the report does not depend on the number of jobs.
//!
//! A roadmap's limits are lifted in every year (policy and `policy_from` steps alike);
//! its yearly limits and its contract ends (`movable_from`) get rows of their own.

use super::point::{services_moved, solve_point, solve_point_from, Point, Status};
use crate::error::Error;
use crate::instance::Instance;
use crate::milp::SolveOptions;
use crate::model::{DataClassId, LimitKind, Rule, Scenario, YearLimitKind};
use crate::plan::cents;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// What one row lifts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lift {
    /// One policy limit.
    Limit(LimitKind),
    /// Every restriction of one data class.
    DataClass(DataClassId),
    /// Every restriction of every data class.
    AllDataClasses,
    /// Every lock-in limit ([`LimitKind::is_lock_in`]).
    AllLockIn,
    /// One yearly limit of a roadmap.
    YearLimit(YearLimitKind),
    /// Every contract end of a roadmap (`movable_from`): services may move in any year.
    Contracts,
}

/// The price report: flat rows, ready for a spreadsheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceReport {
    /// Scenario name.
    pub scenario: String,
    /// How the solve with every rule in force ended.
    pub status: Status,
    /// Its total cost (EUR), when it has a plan.
    pub total_cost: Option<f64>,
    /// One row per rule, in the order described in the module documentation.
    pub rules: Vec<PriceRow>,
    /// The `--set` overrides the report was made with (absent when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
}

/// The price of one rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceRow {
    /// `max_provider_share`, `min_providers`, `max_cloud_act_share`, `max_exit_cost`,
    /// `monthly_budget`, `data_class`, `all_data_classes` or `all_lock_in`.
    pub rule: String,
    /// The data class id for `data_class` rows; empty otherwise.
    pub subject: String,
    /// The rule's setting in the scenario, as text.
    pub setting: String,
    /// How the solve with this rule lifted ended.
    pub status: Status,
    /// Its total cost (EUR), when it has a plan.
    pub total_without: Option<f64>,
    /// total_cost − total_without (EUR, ≥ 0), when both have a plan.
    pub price: Option<f64>,
    /// Services on another offering in the cheapest plan without the rule than in the
    /// plan with every rule, when both exist; 0 when lifting saves nothing (the plan
    /// with every rule is then a cheapest plan without it).
    pub services_moved: Option<usize>,
}

/// The rows a scenario gets, in report order.
pub fn lifts(sc: &Scenario) -> Vec<Lift> {
    let mut out: Vec<Lift> = LimitKind::ALL
        .into_iter()
        .filter(|&k| sc.sets_anywhere(k))
        .map(Lift::Limit)
        .collect();
    if let Some(r) = &sc.roadmap {
        out.extend(r.limits.iter().map(|l| Lift::YearLimit(l.kind())));
    }
    if sc.services.iter().any(|s| s.movable_from.is_some()) {
        out.push(Lift::Contracts);
    }
    out.extend(sc.used_data_classes().into_iter().map(Lift::DataClass));
    out.push(Lift::AllDataClasses);
    out.push(Lift::AllLockIn);
    out
}

impl Lift {
    /// The row's `rule`: the scenario field it lifts.
    pub fn rule(self) -> &'static str {
        match self {
            Lift::Limit(kind) => kind.field(),
            Lift::DataClass(_) => "data_class",
            Lift::AllDataClasses => "all_data_classes",
            Lift::AllLockIn => "all_lock_in",
            Lift::YearLimit(kind) => kind.field(),
            Lift::Contracts => "movable_from",
        }
    }

    fn subject(self, sc: &Scenario) -> String {
        match self {
            Lift::DataClass(dc) => sc.data_classes[dc.index()].id.clone(),
            Lift::Limit(_)
            | Lift::AllDataClasses
            | Lift::AllLockIn
            | Lift::YearLimit(_)
            | Lift::Contracts => String::new(),
        }
    }

    fn setting(self, sc: &Scenario) -> String {
        match self {
            Lift::Limit(kind) => limit_setting(sc, kind),
            Lift::DataClass(dc) => data_class_setting(sc, dc),
            Lift::AllDataClasses => {
                let ids: Vec<&str> = sc
                    .used_data_classes()
                    .iter()
                    .map(|dc| sc.data_classes[dc.index()].id.as_str())
                    .collect();
                ids.join(", ")
            }
            Lift::AllLockIn => {
                let set: Vec<String> = LimitKind::ALL
                    .into_iter()
                    .filter(|&k| k.is_lock_in() && sc.sets_anywhere(k))
                    .map(|k| format!("{} {}", k.field(), limit_setting(sc, k)))
                    .collect();
                set.join(", ")
            }
            Lift::YearLimit(kind) => sc
                .roadmap
                .as_ref()
                .and_then(|r| r.limit(kind))
                .map(|l| l.to_string())
                .unwrap_or_default(),
            Lift::Contracts => {
                let n = sc
                    .services
                    .iter()
                    .filter(|s| s.movable_from.is_some())
                    .count();
                format!("{n} service(s)")
            }
        }
    }

    fn apply(self, inst: &Instance) -> Instance {
        match self {
            Lift::Limit(kind) => lift_limit(inst, kind),
            Lift::DataClass(dc) => Instance::new(inst.sc.without_data_class_rules(dc)),
            Lift::AllDataClasses => {
                let sc = (0..inst.sc.data_classes.len()).fold(inst.sc.clone(), |sc, i| {
                    sc.without_data_class_rules(DataClassId(i as u32))
                });
                Instance::new(sc)
            }
            Lift::AllLockIn => LimitKind::ALL
                .into_iter()
                .filter(|k| k.is_lock_in())
                .fold(inst.clone(), |i, k| lift_limit(&i, k)),
            Lift::YearLimit(kind) => {
                let mut sc = inst.sc.clone();
                if let Some(r) = sc.roadmap.as_mut() {
                    r.limits.retain(|l| l.kind() != kind);
                }
                Instance::new(sc)
            }
            Lift::Contracts => {
                let mut sc = inst.sc.clone();
                sc.services.iter_mut().for_each(|s| s.movable_from = None);
                Instance::new(sc)
            }
        }
    }
}

/// A limit lifted in every year (for a roadmap, also from its `policy_from` steps).
fn lift_limit(inst: &Instance, kind: LimitKind) -> Instance {
    if inst.sc.roadmap.is_some() {
        Instance::new(inst.sc.without_everywhere(kind))
    } else {
        inst.without(Rule::Limit(kind))
    }
}

/// A limit's setting as written, with a roadmap's changes by year, e.g.
/// `0.5; from 2029: 0.3; from 2031: 0`.
fn limit_setting(sc: &Scenario, kind: LimitKind) -> String {
    let mut parts: Vec<String> = sc
        .policy
        .get(kind)
        .map(|l| l.to_string())
        .into_iter()
        .collect();
    for step in sc.roadmap.iter().flat_map(|r| &r.policy_from) {
        for l in step.limits.iter().filter(|l| l.kind() == kind) {
            parts.push(format!("from {}: {l}", step.year));
        }
    }
    parts.join("; ")
}

fn data_class_setting(sc: &Scenario, dc: DataClassId) -> String {
    let c = &sc.data_classes[dc.index()];
    let mut parts = Vec::new();
    if let Some(countries) = &c.allowed_countries {
        parts.push(format!("countries {}", countries.join(",")));
    }
    if c.min_sovereignty_level > 0 {
        parts.push(format!("sovereignty >= {}", c.min_sovereignty_level));
    }
    for cert in &c.required_certifications {
        parts.push(cert.clone());
    }
    if c.forbid_cloud_act {
        parts.push("no CLOUD Act".into());
    }
    if parts.is_empty() {
        "no restrictions".into()
    } else {
        parts.join("; ")
    }
}

/// Prices every rule of the instance with `jobs` parallel solves (each single-threaded).
pub fn price(inst: &Instance, opts: &SolveOptions, jobs: usize) -> Result<PriceReport, Error> {
    let live = opts.live.clone();
    // The observer counts solves; their plans and bounds are not the run's.
    let opts = SolveOptions {
        threads: Some(1),
        ..opts.unobserved()
    };
    let lifted = lifts(&inst.sc);
    if let Some(l) = &live {
        l.plan_solves(1 + lifted.len());
    }
    let done = || live.as_ref().map(|l| l.solve_done());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .map_err(|e| Error::Solver(format!("cannot start {jobs} worker threads: {e}")))?;
    // The base plan first: every lifted solve starts from it (it satisfies every
    // relaxed rule), so a rule that costs nothing moves nothing.
    let base = solve_point(inst, &opts)?;
    done();
    let start = base.placement.as_deref();
    let points: Vec<Result<Point, Error>> = pool.install(|| {
        lifted
            .par_iter()
            .map(|lift| {
                let p = solve_point_from(&lift.apply(inst), &opts, start);
                done();
                p
            })
            .collect()
    });
    let points = points.into_iter().collect::<Result<Vec<Point>, Error>>()?;
    let rules = lifted
        .iter()
        .zip(&points)
        .map(|(&lift, p)| row(&inst.sc, lift, &base, p))
        .collect();
    Ok(PriceReport {
        scenario: inst.sc.name.clone(),
        status: base.status,
        total_cost: base.plan.as_ref().map(|p| p.total_cost),
        rules,
        overrides: Vec::new(),
    })
}

fn row(sc: &Scenario, lift: Lift, base: &Point, without: &Point) -> PriceRow {
    let total = |p: &Point| p.plan.as_ref().map(|p| p.total_cost);
    let price = match (total(base), total(without)) {
        // Both are optima within the gap; a lifted rule can only lower the optimum, so
        // a negative difference is the gap's noise and reads as 0.
        (Some(a), Some(b)) => Some(cents((a - b).max(0.0))),
        _ => None,
    };
    // When lifting saves nothing, the plan with every rule is itself a cheapest plan
    // without the rule (it breaks none of the relaxed rules): nothing has to move,
    // whichever of several equally cheap plans the solver returned.
    let moved = match (&base.placement, &without.placement, price) {
        (Some(_), Some(_), Some(p)) if p <= 0.0 => Some(0),
        (Some(a), Some(b), _) => Some(services_moved(a, b, sc.services.len())),
        _ => None,
    };
    PriceRow {
        rule: lift.rule().to_string(),
        subject: lift.subject(sc),
        setting: lift.setting(sc),
        status: without.status,
        total_without: total(without),
        price,
        services_moved: moved,
    }
}

impl PriceReport {
    /// Pretty JSON with a trailing newline; deterministic for the same report.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("reports hold only finite numbers");
        s.push('\n');
        s
    }
}

//! Sweeps: solve every point of the cartesian product of varied paths, in parallel,
//! and report one flat row per point with its Pareto status.
//!
//! A sweep can run whole or as shards (`--shard K/N`: the points with index ≡ K−1 mod
//! N) on a batch cluster; [`shard::merge`] combines shard files into exactly the file
//! the whole sweep writes. Both paths compute [`PointResult`]s and pass them through
//! the same [`report`], which is why they agree byte for byte.

pub mod shard;
pub mod vary;

use super::point::{solve_point, Status};
use crate::error::{Diagnostic, Error};
use crate::format::overrides::{apply, Override};
use crate::format::read::RawScenario;
use crate::instance::Instance;
use crate::milp::SolveOptions;
use crate::model::{cost::evaluate, OfferingId, Scenario};
use crate::plan::{cents, micro};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
pub use shard::Shard;
pub use vary::Vary;

/// What one point of a sweep gives; shard files carry these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointResult {
    /// Position in the full sweep (first vary slowest).
    pub index: usize,
    /// The value of each varied path.
    pub values: Vec<String>,
    /// How the solve ended.
    pub status: Status,
    /// Total cost (EUR), when there is a plan; likewise below.
    pub total_cost: Option<f64>,
    /// Monthly cost.
    pub monthly_cost: Option<f64>,
    /// One-off cost.
    pub one_off_cost: Option<f64>,
    /// Providers with at least one service.
    pub providers_used: Option<usize>,
    /// Largest provider share of the monthly cost.
    pub max_share: Option<f64>,
    /// Share billed by CLOUD-Act-exposed providers.
    pub cloud_act_share: Option<f64>,
    /// Largest exit cost of any provider.
    pub max_exit_cost: Option<f64>,
    /// Offering id of every service, for `services_moved`.
    pub placement: Option<Vec<String>>,
}

/// A sweep ready to run: the merged scenario (with the `--set` overrides), its hash,
/// and the points.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The merged scenario before the point's overrides.
    pub raw: RawScenario,
    /// The `--set` overrides applied to every point (recorded in the report).
    pub overrides: Vec<String>,
    /// What is varied.
    pub varies: Vec<Vary>,
    /// The values of every point, first vary slowest.
    pub points: Vec<Vec<String>>,
    /// Scenario name.
    pub scenario: String,
    /// Hash of the merged scenario with its overrides (see [`scenario_hash`]).
    pub hash: String,
}

impl Sweep {
    /// Sets up a sweep; every point is validated now, so that a bad value is reported
    /// (with its path) before any solve starts.
    pub fn new(
        raw: RawScenario,
        overrides: &[Override],
        varies: Vec<Vary>,
    ) -> Result<Sweep, Error> {
        let mut raw = raw;
        apply(&mut raw, overrides)?;
        let points = vary::points(&varies).map_err(|d| Error::from(vec![d]))?;
        let sweep = Sweep {
            scenario: raw.name.clone().unwrap_or_default(),
            hash: scenario_hash(&raw, overrides, &varies),
            raw,
            overrides: overrides.iter().map(ToString::to_string).collect(),
            varies,
            points,
        };
        let errors: Vec<Diagnostic> = (0..sweep.points.len())
            .filter_map(|i| sweep.scenario_at(i).err())
            .flatten()
            .collect();
        if errors.is_empty() {
            Ok(sweep)
        } else {
            Err(Error::from(dedup(errors)))
        }
    }

    /// The validated scenario of point `i`.
    pub fn scenario_at(&self, i: usize) -> Result<Scenario, Vec<Diagnostic>> {
        let mut raw = self.raw.clone();
        let ov: Vec<Override> = self
            .varies
            .iter()
            .zip(&self.points[i])
            .map(|(v, x)| Override {
                path: v.path.clone(),
                value: x.clone(),
            })
            .collect();
        apply(&mut raw, &ov)?;
        crate::validate::validate(&raw)
    }

    /// Solves the points of `shard` (all of them for the whole sweep) with `jobs`
    /// parallel single-threaded solves.
    pub fn run(
        &self,
        shard: Shard,
        opts: &SolveOptions,
        jobs: usize,
    ) -> Result<Vec<PointResult>, Error> {
        let live = opts.live.clone();
        // The observer counts points; their plans and bounds are not the run's.
        let opts = SolveOptions {
            threads: Some(1),
            ..opts.unobserved()
        };
        let mine: Vec<usize> = (0..self.points.len()).filter(|&i| shard.owns(i)).collect();
        if let Some(l) = &live {
            l.plan_solves(mine.len());
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build()
            .map_err(|e| Error::Solver(format!("cannot start {jobs} worker threads: {e}")))?;
        pool.install(|| {
            mine.par_iter()
                .map(|&i| {
                    let r = self.solve(i, &opts);
                    if let Some(l) = &live {
                        l.solve_done();
                    }
                    r
                })
                .collect()
        })
    }

    fn solve(&self, i: usize, opts: &SolveOptions) -> Result<PointResult, Error> {
        let sc = self.scenario_at(i).map_err(Error::from)?;
        let inst = Instance::new(sc);
        let p = solve_point(&inst, opts)?;
        Ok(point_result(
            i,
            self.points[i].clone(),
            &inst.sc,
            p.status,
            p.placement.as_deref(),
        ))
    }
}

/// Diagnostics repeated by many points (the same bad value) are reported once.
fn dedup(mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = std::collections::BTreeSet::new();
    errors.retain(|d| seen.insert(d.clone()));
    errors
}

/// The figures of one point, from its placement.
fn point_result(
    index: usize,
    values: Vec<String>,
    sc: &Scenario,
    status: Status,
    placement: Option<&[OfferingId]>,
) -> PointResult {
    let mut r = PointResult {
        index,
        values,
        status,
        total_cost: None,
        monthly_cost: None,
        one_off_cost: None,
        providers_used: None,
        max_share: None,
        cloud_act_share: None,
        max_exit_cost: None,
        placement: None,
    };
    let Some(placement) = placement else { return r };
    let e = evaluate(sc, placement);
    let share = |x: f64| if e.monthly > 0.0 { x / e.monthly } else { 0.0 };
    let exposed: f64 = sc
        .provider_ids()
        .filter(|p| sc.providers[p.index()].cloud_act_exposed)
        .map(|p| e.spend[p.index()])
        .sum();
    r.total_cost = Some(cents(e.total));
    r.monthly_cost = Some(cents(e.monthly));
    r.one_off_cost = Some(cents(e.one_off_total));
    r.providers_used = Some(e.services_on.iter().filter(|&&n| n > 0).count());
    r.max_share = Some(micro(e.spend.iter().map(|&s| share(s)).fold(0.0, f64::max)));
    r.cloud_act_share = Some(micro(share(exposed)));
    r.max_exit_cost = Some(cents(e.exit.iter().copied().fold(0.0, f64::max)));
    r.placement = Some(
        placement
            .iter()
            .map(|o| sc.offerings[o.index()].id.clone())
            .collect(),
    );
    r
}

/// The sweep report: metadata and one flat row per point (varied values first), with
/// `services_moved` against the first point that has a plan and the Pareto flag.
pub fn report(
    scenario: &str,
    hash: &str,
    overrides: &[String],
    varies: &[Vary],
    results: &[PointResult],
) -> Value {
    let first = results.iter().find(|r| r.placement.is_some());
    let rows: Vec<Value> = results
        .iter()
        .map(|r| Value::Object(row(varies, r, first, results)))
        .collect();
    let mut top = Map::new();
    top.insert("scenario".into(), scenario.into());
    top.insert("scenario_hash".into(), hash.into());
    if !overrides.is_empty() {
        top.insert("overrides".into(), overrides.to_vec().into());
    }
    top.insert("vary".into(), vary_json(varies));
    top.insert("points".into(), rows.into());
    Value::Object(top)
}

/// The varied paths and their values, as recorded in reports and shard files.
pub fn vary_json(varies: &[Vary]) -> Value {
    varies
        .iter()
        .map(|v| {
            let mut m = Map::new();
            m.insert("path".into(), v.path.clone().into());
            m.insert("values".into(), v.values.clone().into());
            Value::Object(m)
        })
        .collect::<Vec<Value>>()
        .into()
}

fn row(
    varies: &[Vary],
    r: &PointResult,
    first: Option<&PointResult>,
    all: &[PointResult],
) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("index".into(), r.index.into());
    for (v, x) in varies.iter().zip(&r.values) {
        m.insert(v.path.clone(), cell(x));
    }
    m.insert(
        "status".into(),
        serde_json::to_value(r.status).expect("status"),
    );
    m.insert("total_cost".into(), r.total_cost.into());
    m.insert("monthly_cost".into(), r.monthly_cost.into());
    m.insert("one_off_cost".into(), r.one_off_cost.into());
    m.insert("providers_used".into(), r.providers_used.into());
    m.insert("max_share".into(), r.max_share.into());
    m.insert("cloud_act_share".into(), r.cloud_act_share.into());
    m.insert("max_exit_cost".into(), r.max_exit_cost.into());
    let moved = match (&r.placement, first.and_then(|f| f.placement.as_ref())) {
        (Some(a), Some(b)) => Some(a.iter().zip(b).filter(|(x, y)| x != y).count()),
        _ => None,
    };
    m.insert("services_moved".into(), moved.into());
    m.insert("pareto".into(), pareto(r, all).into());
    m
}

/// A varied value as a spreadsheet cell: a number where it is one, else text.
fn cell(x: &str) -> Value {
    match serde_json::from_str::<Value>(x) {
        Ok(v @ Value::Number(_)) | Ok(v @ Value::Bool(_)) => v,
        _ => Value::String(x.to_string()),
    }
}

/// The criteria of the Pareto front, all to be minimised.
fn criteria(r: &PointResult) -> Option<[f64; 4]> {
    Some([
        r.total_cost?,
        r.max_share?,
        r.cloud_act_share?,
        r.max_exit_cost?,
    ])
}

/// Whether no other point with a plan is at least as good on every criterion and
/// better on one.
fn pareto(r: &PointResult, all: &[PointResult]) -> bool {
    let Some(c) = criteria(r) else { return false };
    !all.iter()
        .filter_map(criteria)
        .any(|d| d.iter().zip(&c).all(|(x, y)| x <= y) && d.iter().zip(&c).any(|(x, y)| x < y))
}

/// FNV-1a (64 bit) of the merged scenario, its overrides and the varied paths, in
/// canonical JSON: enough to tell two sweeps apart (an identity check between shard
/// files, not a security feature; the algorithm is fixed, so the value is too).
pub fn scenario_hash(raw: &RawScenario, overrides: &[Override], varies: &[Vary]) -> String {
    let items = |v: Vec<Value>| Value::Array(v);
    let doc = serde_json::json!({
        "name": raw.name,
        "policy": raw.policy,
        "providers": items(raw.providers.iter().map(|x| serde_json::to_value(&x.item).unwrap()).collect()),
        "offerings": items(raw.offerings.iter().map(|x| serde_json::to_value(&x.item).unwrap()).collect()),
        "data_classes": items(raw.data_classes.iter().map(|x| serde_json::to_value(&x.item).unwrap()).collect()),
        "services": items(raw.services.iter().map(|x| serde_json::to_value(&x.item).unwrap()).collect()),
        "dependencies": items(raw.dependencies.iter().map(|x| serde_json::to_value(&x.item).unwrap()).collect()),
        "overrides": overrides.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "vary": vary_json(varies),
    });
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in doc.to_string().bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("fnv1a64:{h:016x}")
}

/// Pretty JSON with a trailing newline.
pub fn to_json(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("reports hold only finite numbers");
    s.push('\n');
    s
}

//! The roadmap as the checker sees it: one recomputed [`View`] per planning year, with
//! the moves of the year, their migration costs and the policy in force.
//!
//! A service *moves* in a year when it runs on another offering than the year before
//! (in the first year: than its `current_offering`). A new service (no current
//! offering) does not move when it is first placed. The migration cost is paid in
//! every year a service moves; a valid plan moves each service at most once, which
//! `timeline.rs` checks separately.

use super::super::view::View;
use crate::model::{OfferingId, Policy, Roadmap, Scenario};

/// One planning year.
pub(in crate::check) struct YearView {
    /// Calendar year.
    pub year: i32,
    /// The policy in force that year.
    pub policy: Policy,
    /// The year's placement and every single-period figure of it.
    pub view: View,
    /// Whether each service moves this year.
    pub moves_now: Vec<bool>,
    /// Migration cost each service pays this year.
    pub one_off: Vec<f64>,
    /// Σ one_off.
    pub one_off_total: f64,
    /// Services that move this year.
    pub moves: usize,
    /// 12 · monthly + one_off_total.
    pub annual: f64,
}

/// Every year of the roadmap.
pub(in crate::check) struct RoadmapView {
    /// The years in order.
    pub years: Vec<YearView>,
    /// The first year each service moves, if it does.
    pub move_year: Vec<Option<i32>>,
    /// Σ annual, in year order.
    pub total: f64,
    /// Σ one_off_total, in year order.
    pub one_off_total: f64,
}

impl RoadmapView {
    /// Recomputes every year from `at[y][s]`, the offering of service `s` in the
    /// `y`-th year (one entry per year of `rm`, one per service each).
    pub fn new(sc: &Scenario, rm: &Roadmap, at: &[Vec<OfferingId>]) -> RoadmapView {
        let mut move_year = vec![None; sc.services.len()];
        let mut years = Vec::with_capacity(at.len());
        for (y, (year, placement)) in rm.year_list().zip(at).enumerate() {
            let mut moves_now = Vec::with_capacity(sc.services.len());
            let mut one_off = Vec::with_capacity(sc.services.len());
            for (s, svc) in sc.services.iter().enumerate() {
                let before = if y == 0 {
                    svc.current_offering
                } else {
                    Some(at[y - 1][s])
                };
                let moves = before.is_some_and(|b| b != placement[s]);
                if moves && move_year[s].is_none() {
                    move_year[s] = Some(year);
                }
                moves_now.push(moves);
                one_off.push(if moves { svc.migration_cost } else { 0.0 });
            }
            let view = View::new(sc, placement.clone());
            let one_off_total: f64 = one_off.iter().sum();
            years.push(YearView {
                year,
                policy: rm.policy_in(&sc.policy, year),
                moves: moves_now.iter().filter(|&&m| m).count(),
                annual: 12.0 * view.monthly + one_off_total,
                view,
                moves_now,
                one_off,
                one_off_total,
            });
        }
        RoadmapView {
            total: years.iter().map(|y| y.annual).sum(),
            one_off_total: years.iter().map(|y| y.one_off_total).sum(),
            years,
            move_year,
        }
    }
}

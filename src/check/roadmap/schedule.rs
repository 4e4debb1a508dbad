//! C602–C603: the `schedule` has exactly one row per service and year, service by
//! service in scenario order and year by year, each on a known offering of the
//! provider it names. From it, the offering of every service in every year.

use super::super::Violation;
use super::keyed::{match_rows, Table};
use crate::error::{clip, quote, ECHO_MAX_CHARS};
use crate::model::{OfferingId, Roadmap, Scenario};
use crate::plan::ScheduleRow;
use std::collections::HashMap;

/// The schedule of a complete plan.
pub(in crate::check) struct Schedule {
    /// `at[y][s]`: the offering of service `s` in the `y`-th planning year.
    pub at: Vec<Vec<OfferingId>>,
    /// `row[y][s]`: the index of the schedule row of service `s` in year `y`.
    pub row: Vec<Vec<usize>>,
}

const TABLE: Table = Table {
    name: "schedule",
    unknown: "C602",
    shape: "C603",
};

/// Checks the rows and returns the schedule, or `None` when a service lacks a row in
/// some year or a row names an unknown offering.
pub(in crate::check) fn check(
    sc: &Scenario,
    rm: &Roadmap,
    rows: &[ScheduleRow],
    out: &mut Vec<Violation>,
) -> Option<Schedule> {
    let years: Vec<i32> = rm.year_list().collect();
    let ny = years.len();
    let services: HashMap<&str, usize> = sc
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let slot_of = |r: &ScheduleRow| {
        let s = *services
            .get(r.service.as_str())
            .ok_or_else(|| format!("unknown service {}", quote(&r.service)))?;
        let y = years.iter().position(|&y| y == r.year).ok_or_else(|| {
            format!(
                "service {}: year {} is outside the roadmap {}–{}",
                quote(&r.service),
                r.year,
                rm.start_year,
                rm.final_year()
            )
        })?;
        Ok(s * ny + y)
    };
    let label = |slot: usize| {
        format!(
            "service \"{}\" in {}",
            sc.services[slot / ny].id,
            years[slot % ny]
        )
    };
    let first = match_rows(&TABLE, rows, sc.services.len() * ny, slot_of, label, out);
    let mut sched = Schedule {
        at: vec![Vec::with_capacity(sc.services.len()); ny],
        row: vec![Vec::with_capacity(sc.services.len()); ny],
    };
    let mut complete = true;
    for (slot, i) in first.iter().enumerate() {
        let Some(i) = *i else {
            complete = false;
            continue;
        };
        match offering(sc, &rows[i], out) {
            Some(o) => {
                sched.at[slot % ny].push(o);
                sched.row[slot % ny].push(i);
            }
            None => complete = false,
        }
    }
    complete.then_some(sched)
}

/// The offering a row names, if it exists; a provider other than the offering's is
/// reported but does not stop the checks.
fn offering(sc: &Scenario, row: &ScheduleRow, out: &mut Vec<Violation>) -> Option<OfferingId> {
    let Some(o) = sc.offerings.iter().position(|o| o.id == row.offering) else {
        out.push(Violation::new(
            "C602",
            format!(
                "schedule: service \"{}\" in {} is on unknown offering {}",
                row.service,
                row.year,
                quote(&row.offering)
            ),
        ));
        return None;
    };
    let provider = &sc.providers[sc.offerings[o].provider.index()].id;
    if row.provider != *provider {
        out.push(Violation::new(
            "C602",
            format!(
                "schedule: service \"{}\" in {}: offering \"{}\" belongs to {provider}, the row says {}",
                row.service,
                row.year,
                row.offering,
                clip(&row.provider, ECHO_MAX_CHARS)
            ),
        ));
    }
    Some(OfferingId(o as u32))
}

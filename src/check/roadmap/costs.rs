//! C609: every schedule row's monthly cost (its run cost plus the traffic it sends that
//! year) and one-off cost (its migration cost in the year it moves) agree with the
//! recomputed ones.

use super::super::Violation;
use super::schedule::Schedule;
use super::view::RoadmapView;
use crate::model::Scenario;
use crate::plan::ScheduleRow;
use crate::tolerance::money_close;

pub(super) fn check(
    sc: &Scenario,
    rows: &[ScheduleRow],
    sched: &Schedule,
    rv: &RoadmapView,
    out: &mut Vec<Violation>,
) {
    for (y, yv) in rv.years.iter().enumerate() {
        for (s, svc) in sc.services.iter().enumerate() {
            let row = &rows[sched.row[y][s]];
            let monthly = yv.view.run[s] + yv.view.sent[s];
            let figures = [
                ("monthly_cost", row.monthly_cost, monthly),
                ("one_off_cost", row.one_off_cost, yv.one_off[s]),
            ];
            for (name, got, want) in figures {
                if !money_close(got, want) {
                    out.push(Violation::new(
                        "C609",
                        format!(
                            "schedule: service \"{}\" in {}: {name} is {got}, recomputed {want:.4}",
                            svc.id, yv.year
                        ),
                    ));
                }
            }
        }
    }
}

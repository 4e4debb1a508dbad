//! The checker on roadmap plans: a tiny roadmap scenario with a plan written and
//! computed by hand passes; each tampered plan (or scenario that the plan no longer
//! fits) is reported with exactly the expected codes.
//!
//! The scenario (3 services, 2027–2029). Provider `eu` (DE, fee 10) sells `eu1` (open
//! standards, 8 vCPU) and `eu2`; provider `us` (CLOUD-Act exposed, fee 5) sells `us1`
//! in IE. Prices (vCPU / GB RAM / GB storage / egress GB / inter-region GB):
//! eu1 10 / 1 / 0.1 / 0.05 / 0.01, eu2 12 / 1 / 0.1 / 0.05 / 0.01, us1 5 / 0.5 / 0.05 /
//! 0.09 / 0.
//!
//! - `web` (2 / 4 / 50) runs on us1 today but may only use eu1 or eu2 (tolerated until it
//!   moves, but it must move); contract until 2028 (movable_from), migration 300,
//!   replatform 100. Runs: us1 2·5 + 4·0.5 + 50·0.05 = 14.5; eu1 20 + 4 + 5 = 29.
//! - `db` (4 / 8 / 100, data class `sovereign`: DE, level ≥ 2, no CLOUD Act) runs on eu2
//!   and stays: 48 + 8 + 10 = 66; replatform 1,000 (eu2 is not open).
//! - `mail` (1 / 2 / 20) is new, on eu1: 10 + 2 + 2 = 14.
//! - web → db 100 GB/month, mail → web 20 GB/month.
//! - Policy: CLOUD-Act share ≤ 0.5, from 2028 ≤ 0.2, from 2029 0. Yearly limits: 1 move,
//!   300 EUR of migrations.
//!
//! The plan: web moves to eu1 in 2028.
//! - 2027: traffic web→db us1→eu2 100·0.09 = 9, mail→web eu1→us1 20·0.05 = 1.
//!   eu bills 66 + 14 + 1 + 10 = 91, us 14.5 + 9 + 5 = 28.5; monthly 119.5, annual
//!   12·119.5 = 1,434; CLOUD-Act share 28.5 / 119.5 = 0.238494, largest 91 / 119.5 =
//!   0.761506. Exit: eu 100·0.05 + 1,000 (db) + 20·0.05 (mail) = 1,006; us 50·0.09 +
//!   100 = 104.5.
//! - 2028: web→db eu1→eu2 100·0.01 = 1, mail→web free. eu bills 29 + 1 + 66 + 14 + 10 =
//!   120 (us nothing); one-off 300; annual 1,440 + 300 = 1,740. Exit eu 2.5 + 1,005 + 1
//!   = 1,008.5.
//! - 2029: as 2028 without the move: annual 1,440.
//! - total 1,434 + 1,740 + 1,440 = 4,614; horizon 36; monthly 120 (2029); one-off 300.

mod common;

use serde_json::Value;
use sovplan::check::{check, Violation};
use sovplan::model::cost::evaluate;
use sovplan::model::{Colocate, OfferingId, PolicyLimit, PolicyStep, Roadmap, Scenario, YearLimit};
use sovplan::plan::{
    build_plan, cents, micro, share, EstimateRow, LimitRow, PlanStatus, ProviderYearRow,
    ScheduleRow, YearChange, YearRow,
};
use sovplan::tolerance::at_bound;
use sovplan::{parse_scenario, Plan};
use std::path::Path;

const SCENARIO: &str = r#"{
  "name": "tiny-roadmap",
  "providers": [
    {"id": "eu", "headquarters": "DE", "monthly_fee": 10},
    {"id": "us", "headquarters": "US", "cloud_act_exposed": true, "monthly_fee": 5}
  ],
  "offerings": [
    {"id": "eu1", "provider": "eu", "country": "DE", "sovereignty_level": 3, "open_standards": true,
     "prices": {"vcpu_month": 10, "ram_gb_month": 1, "storage_gb_month": 0.1, "egress_gb": 0.05, "inter_region_gb": 0.01},
     "capacity": {"vcpu": 8}},
    {"id": "eu2", "provider": "eu", "country": "DE", "sovereignty_level": 2,
     "prices": {"vcpu_month": 12, "ram_gb_month": 1, "storage_gb_month": 0.1, "egress_gb": 0.05, "inter_region_gb": 0.01}},
    {"id": "us1", "provider": "us", "country": "IE", "sovereignty_level": 1,
     "prices": {"vcpu_month": 5, "ram_gb_month": 0.5, "storage_gb_month": 0.05, "egress_gb": 0.09}}
  ],
  "data_classes": [
    {"id": "sovereign", "allowed_countries": ["DE"], "min_sovereignty_level": 2, "forbid_cloud_act": true}
  ],
  "services": [
    {"id": "web", "demand": {"vcpu": 2, "ram_gb": 4, "storage_gb": 50}, "current_offering": "us1",
     "migration_cost": 300, "replatform_cost": 100, "allowed_offerings": ["eu1", "eu2"]},
    {"id": "db", "data_class": "sovereign", "demand": {"vcpu": 4, "ram_gb": 8, "storage_gb": 100},
     "current_offering": "eu2", "migration_cost": 500, "replatform_cost": 1000},
    {"id": "mail", "demand": {"vcpu": 1, "ram_gb": 2, "storage_gb": 20}}
  ],
  "dependencies": [
    {"from": "web", "to": "db", "traffic_gb_month": 100},
    {"from": "mail", "to": "web", "traffic_gb_month": 20}
  ],
  "policy": {"max_cloud_act_share": 0.5}
}"#;

/// The scenario with its roadmap (set here: the validator does not read roadmaps yet).
fn scenario() -> Scenario {
    let mut sc = parse_scenario(SCENARIO, Path::new(".")).expect("valid");
    sc.services[0].movable_from = Some(2028);
    sc.roadmap = Some(Roadmap {
        start_year: 2027,
        years: 3,
        limits: vec![YearLimit::Moves(1), YearLimit::OneOff(300.0)],
        policy_from: vec![
            PolicyStep {
                year: 2028,
                limits: vec![PolicyLimit::CloudActShare(0.2)],
            },
            PolicyStep {
                year: 2029,
                limits: vec![PolicyLimit::CloudActShare(0.0)],
            },
        ],
    });
    sc
}

const PLAN: &str = r#"{
  "scenario": "tiny-roadmap", "status": "optimal", "horizon_months": 36,
  "total_cost": 4614.0, "monthly_cost": 120.0, "one_off_cost": 300.0, "gap": 0.0,
  "placements": [
    {"service": "web", "service_name": "web", "previous_offering": "us1", "change": "moved",
     "offering": "eu1", "offering_name": "eu1", "provider": "eu", "provider_name": "eu",
     "country": "DE", "data_class": null, "vcpu": 2, "ram_gb": 4, "storage_gb": 50,
     "egress_gb_month": 0, "run_cost": 29.0, "traffic_cost": 1.0, "monthly_cost": 30.0,
     "one_off_cost": 300.0, "moved": true, "move_year": 2028},
    {"service": "db", "service_name": "db", "previous_offering": "eu2", "change": "stays",
     "offering": "eu2", "offering_name": "eu2", "provider": "eu", "provider_name": "eu",
     "country": "DE", "data_class": "sovereign", "vcpu": 4, "ram_gb": 8, "storage_gb": 100,
     "egress_gb_month": 0, "run_cost": 66.0, "traffic_cost": 0.0, "monthly_cost": 66.0,
     "one_off_cost": 0.0, "moved": false, "move_year": null},
    {"service": "mail", "service_name": "mail", "previous_offering": null, "change": "new",
     "offering": "eu1", "offering_name": "eu1", "provider": "eu", "provider_name": "eu",
     "country": "DE", "data_class": null, "vcpu": 1, "ram_gb": 2, "storage_gb": 20,
     "egress_gb_month": 0, "run_cost": 14.0, "traffic_cost": 0.0, "monthly_cost": 14.0,
     "one_off_cost": 0.0, "moved": false, "move_year": null}
  ],
  "providers": [
    {"provider": "eu", "name": "eu", "services": 3, "fee": 10.0, "spend": 120.0, "share": 1.0,
     "exit_cost": 1008.5, "cloud_act_exposed": false},
    {"provider": "us", "name": "us", "services": 0, "fee": 0.0, "spend": 0.0, "share": 0.0,
     "exit_cost": 0.0, "cloud_act_exposed": true}
  ],
  "dependencies": [
    {"from": "web", "to": "db", "from_offering": "eu1", "to_offering": "eu2", "traffic_gb_month": 100, "cost": 1.0},
    {"from": "mail", "to": "web", "from_offering": "eu1", "to_offering": "eu1", "traffic_gb_month": 20, "cost": 0.0}
  ],
  "limits": [
    {"limit": "max_cloud_act_share", "subject": "", "value": 0.238494, "bound": 0.5, "binding": false, "year": 2027},
    {"limit": "capacity.vcpu", "subject": "eu1", "value": 1, "bound": 8, "binding": false, "year": 2027},
    {"limit": "max_moves_per_year", "subject": "", "value": 0, "bound": 1, "binding": false, "year": 2027},
    {"limit": "max_one_off_per_year", "subject": "", "value": 0, "bound": 300, "binding": false, "year": 2027},
    {"limit": "max_cloud_act_share", "subject": "", "value": 0, "bound": 0.2, "binding": false, "year": 2028},
    {"limit": "capacity.vcpu", "subject": "eu1", "value": 3, "bound": 8, "binding": false, "year": 2028},
    {"limit": "max_moves_per_year", "subject": "", "value": 1, "bound": 1, "binding": true, "year": 2028},
    {"limit": "max_one_off_per_year", "subject": "", "value": 300, "bound": 300, "binding": true, "year": 2028},
    {"limit": "max_cloud_act_share", "subject": "", "value": 0, "bound": 0, "binding": true, "year": 2029},
    {"limit": "capacity.vcpu", "subject": "eu1", "value": 3, "bound": 8, "binding": false, "year": 2029},
    {"limit": "max_moves_per_year", "subject": "", "value": 0, "bound": 1, "binding": false, "year": 2029},
    {"limit": "max_one_off_per_year", "subject": "", "value": 0, "bound": 300, "binding": false, "year": 2029}
  ],
  "estimates": [],
  "years": [
    {"year": 2027, "monthly_cost": 119.5, "one_off_cost": 0.0, "annual_cost": 1434.0, "moves": 0,
     "providers_used": 2, "max_share": 0.761506, "cloud_act_share": 0.238494},
    {"year": 2028, "monthly_cost": 120.0, "one_off_cost": 300.0, "annual_cost": 1740.0, "moves": 1,
     "providers_used": 1, "max_share": 1.0, "cloud_act_share": 0.0},
    {"year": 2029, "monthly_cost": 120.0, "one_off_cost": 0.0, "annual_cost": 1440.0, "moves": 0,
     "providers_used": 1, "max_share": 1.0, "cloud_act_share": 0.0}
  ],
  "schedule": [
    {"service": "web", "year": 2027, "offering": "us1", "provider": "us", "monthly_cost": 23.5, "one_off_cost": 0.0, "change": "stays"},
    {"service": "web", "year": 2028, "offering": "eu1", "provider": "eu", "monthly_cost": 30.0, "one_off_cost": 300.0, "change": "moves"},
    {"service": "web", "year": 2029, "offering": "eu1", "provider": "eu", "monthly_cost": 30.0, "one_off_cost": 0.0, "change": "stays"},
    {"service": "db", "year": 2027, "offering": "eu2", "provider": "eu", "monthly_cost": 66.0, "one_off_cost": 0.0, "change": "stays"},
    {"service": "db", "year": 2028, "offering": "eu2", "provider": "eu", "monthly_cost": 66.0, "one_off_cost": 0.0, "change": "stays"},
    {"service": "db", "year": 2029, "offering": "eu2", "provider": "eu", "monthly_cost": 66.0, "one_off_cost": 0.0, "change": "stays"},
    {"service": "mail", "year": 2027, "offering": "eu1", "provider": "eu", "monthly_cost": 15.0, "one_off_cost": 0.0, "change": "new"},
    {"service": "mail", "year": 2028, "offering": "eu1", "provider": "eu", "monthly_cost": 14.0, "one_off_cost": 0.0, "change": "stays"},
    {"service": "mail", "year": 2029, "offering": "eu1", "provider": "eu", "monthly_cost": 14.0, "one_off_cost": 0.0, "change": "stays"}
  ],
  "providers_by_year": [
    {"year": 2027, "provider": "eu", "services": 2, "fee": 10.0, "spend": 91.0, "share": 0.761506, "exit_cost": 1006.0},
    {"year": 2027, "provider": "us", "services": 1, "fee": 5.0, "spend": 28.5, "share": 0.238494, "exit_cost": 104.5},
    {"year": 2028, "provider": "eu", "services": 3, "fee": 10.0, "spend": 120.0, "share": 1.0, "exit_cost": 1008.5},
    {"year": 2028, "provider": "us", "services": 0, "fee": 0.0, "spend": 0.0, "share": 0.0, "exit_cost": 0.0},
    {"year": 2029, "provider": "eu", "services": 3, "fee": 10.0, "spend": 120.0, "share": 1.0, "exit_cost": 1008.5},
    {"year": 2029, "provider": "us", "services": 0, "fee": 0.0, "spend": 0.0, "share": 0.0, "exit_cost": 0.0}
  ]
}"#;

fn plan() -> Plan {
    serde_json::from_str(PLAN).expect("the hand-written plan parses")
}

/// The distinct codes reported, sorted.
fn codes(v: &[Violation]) -> Vec<&'static str> {
    let mut c: Vec<_> = v.iter().map(|x| x.code).collect();
    c.sort_unstable();
    c.dedup();
    c
}

/// Checks the plan changed by `tamper` against the scenario changed by `edit` and
/// asserts exactly the codes `want`.
fn assert_codes(want: &[&str], edit: impl FnOnce(&mut Scenario), tamper: impl FnOnce(&mut Plan)) {
    let (mut sc, mut p) = (scenario(), plan());
    edit(&mut sc);
    tamper(&mut p);
    let v = check(&sc, &p);
    assert_eq!(codes(&v), want, "{v:#?}");
}

fn rejects(want: &[&str], tamper: impl FnOnce(&mut Plan)) {
    assert_codes(want, |_| {}, tamper);
}

fn rejects_scenario(want: &[&str], edit: impl FnOnce(&mut Scenario)) {
    assert_codes(want, edit, |_| {});
}

fn schedule<'a>(p: &'a mut Plan, service: &str, year: i32) -> &'a mut ScheduleRow {
    let rows = p.schedule.as_mut().unwrap();
    rows.iter_mut()
        .find(|r| r.service == service && r.year == year)
        .unwrap()
}

#[test]
fn the_hand_computed_plan_passes() {
    let v = check(&scenario(), &plan());
    assert!(v.is_empty(), "{v:#?}");
}

#[test]
fn a_single_period_plan_for_a_roadmap_scenario_is_c601() {
    rejects(&["C601"], |p| p.years = None);
    rejects(&["C601"], |p| p.providers_by_year = None);
}

#[test]
fn roadmap_tables_in_a_single_period_plan_are_c601() {
    let mut sc = scenario();
    sc.roadmap = None;
    let offering = |id: &str| {
        let o = sc.offerings.iter().position(|o| o.id == id).unwrap();
        OfferingId(o as u32)
    };
    let placement = [offering("eu1"), offering("eu2"), offering("eu1")];
    let mut p = build_plan(&sc, &placement, PlanStatus::Optimal, 0.0);
    assert!(check(&sc, &p).is_empty());
    p.schedule = plan().schedule;
    p.placements[0].move_year = Some(Some(2028));
    let v = check(&sc, &p);
    assert_eq!(codes(&v), ["C601"]);
    assert!(
        v[0].message.contains("schedule, placements.move_year"),
        "{v:?}"
    );
}

#[test]
fn unknown_offering_in_the_schedule_is_c602() {
    rejects(&["C602"], |p| {
        schedule(p, "db", 2028).offering = "nowhere".into()
    });
    rejects(&["C602"], |p| {
        schedule(p, "db", 2028).provider = "us".into()
    });
    // The row no longer counts for 2028: db has no row there, and 2028 does not add up.
    rejects(&["C602", "C603", "C615"], |p| {
        schedule(p, "db", 2028).year = 2031
    });
}

#[test]
fn schedule_out_of_order_or_duplicated_is_c603() {
    rejects(&["C603"], |p| p.schedule.as_mut().unwrap().swap(0, 3));
    rejects(&["C603", "C615"], |p| {
        let rows = p.schedule.as_mut().unwrap();
        rows.push(rows[8].clone());
    });
}

#[test]
fn a_second_move_is_c604() {
    // db "moves" in 2027 to eu1 and back in 2028: two moves of 500 each, the change
    // column and every figure of db's years disagree; the years' moves and one-off
    // costs, the limit rows and the total with them.
    // The move limits break in both years and move_year disagrees.
    rejects(
        &[
            "C303", "C502", "C604", "C606", "C608", "C609", "C611", "C613", "C616",
        ],
        |p| schedule(p, "db", 2027).offering = "eu1".into(),
    );
}

#[test]
fn a_move_before_the_contract_ends_is_c605() {
    rejects_scenario(&["C605"], |sc| sc.services[0].movable_from = Some(2029));
}

#[test]
fn a_wrong_change_is_c606() {
    rejects(&["C606"], |p| {
        schedule(p, "web", 2028).change = YearChange::Stays
    });
    rejects(&["C606"], |p| {
        schedule(p, "mail", 2027).change = YearChange::Stays
    });
}

#[test]
fn staying_on_an_ineligible_current_offering_is_c607_and_a_target_c201() {
    rejects_scenario(&["C607"], |sc| {
        sc.services[1].forbidden_offerings = vec![OfferingId(1)]
    });
    // web's current offering us1 is not allowed either, but web leaves it: only the
    // target counts.
    rejects_scenario(&["C201"], |sc| {
        sc.services[0].allowed_offerings = Some(vec![OfferingId(1)])
    });
}

#[test]
fn placements_that_disagree_with_the_schedule_are_c608() {
    rejects(&["C608"], |p| p.placements[0].move_year = Some(Some(2029)));
    rejects(&["C608"], |p| p.placements[1].move_year = None);
    rejects(&["C608"], |p| p.placements[2].move_year = Some(Some(2027)));
}

#[test]
fn wrong_schedule_figures_are_c609() {
    rejects(&["C609", "C615"], |p| {
        schedule(p, "db", 2027).monthly_cost += 1.0
    });
    rejects(&["C609", "C615"], |p| {
        schedule(p, "web", 2029).one_off_cost = 300.0
    });
}

#[test]
fn year_rows_missing_or_duplicated_are_c610() {
    // A duplicated row also adds its annual cost to the column's sum.
    rejects(&["C610", "C615"], |p| {
        let rows = p.years.as_mut().unwrap();
        rows.push(rows[2].clone());
    });
    rejects(&["C610", "C615"], |p| {
        p.years.as_mut().unwrap().remove(1);
    });
}

#[test]
fn wrong_year_figures_are_c611() {
    rejects(&["C611"], |p| p.years.as_mut().unwrap()[1].max_share = 0.5);
    rejects(&["C611"], |p| p.years.as_mut().unwrap()[0].moves = 1);
    rejects(&["C611", "C615"], |p| {
        p.years.as_mut().unwrap()[2].annual_cost = 1440.5
    });
}

#[test]
fn provider_year_rows_missing_are_c612() {
    rejects(&["C612"], |p| {
        p.providers_by_year.as_mut().unwrap().remove(5);
    });
    rejects(&["C612"], |p| {
        p.providers_by_year.as_mut().unwrap().swap(0, 2);
    });
}

#[test]
fn wrong_provider_year_figures_are_c613() {
    rejects(&["C613"], |p| {
        p.providers_by_year.as_mut().unwrap()[1].exit_cost += 1.0
    });
    rejects(&["C613"], |p| {
        p.providers_by_year.as_mut().unwrap()[3].services = 1
    });
}

#[test]
fn fractions_of_cents_are_c614() {
    rejects(&["C614"], |p| {
        schedule(p, "mail", 2027).one_off_cost = 0.001
    });
}

#[test]
fn columns_that_do_not_add_up_are_c615() {
    // Within a cent of the exact figure, so only the sums notice.
    rejects(&["C615"], |p| {
        p.years.as_mut().unwrap()[1].one_off_cost = 300.01
    });
}

#[test]
fn a_year_limit_exceeded_is_c616() {
    rejects_scenario(&["C502", "C616"], |sc| {
        sc.roadmap.as_mut().unwrap().limits = vec![YearLimit::Moves(1), YearLimit::OneOff(250.0)]
    });
    // Without a migration limit its rows are too many; the move rows' bound differs.
    rejects_scenario(&["C501", "C502", "C616"], |sc| {
        sc.roadmap.as_mut().unwrap().limits = vec![YearLimit::Moves(0)]
    });
}

#[test]
fn every_year_keeps_the_policy_in_force_capacity_and_colocation() {
    // The CLOUD-Act share of 2027 (0.238) under a cap of 0.2 from the start.
    rejects_scenario(&["C403", "C502"], |sc| {
        sc.policy.set(PolicyLimit::CloudActShare(0.2))
    });
    // eu1 holds 3 vCPU from 2028.
    rejects_scenario(&["C203", "C502"], |sc| {
        sc.offerings[0].capacity.vcpu = Some(2.0)
    });
    // mail and web at one provider: not in 2027.
    rejects_scenario(&["C202"], |sc| {
        sc.dependencies[1].colocate = Some(Colocate::Provider)
    });
    let (mut sc, p) = (scenario(), plan());
    sc.dependencies[1].colocate = Some(Colocate::Provider);
    let v = check(&sc, &p);
    assert!(v[0].message.starts_with("year 2027: "), "{v:?}");
}

#[test]
fn totals_and_header_are_the_roadmaps() {
    // Σ years.annual_cost no longer adds up to it either.
    rejects(&["C303", "C615"], |p| p.total_cost += 1.0);
    rejects(&["C002"], |p| p.horizon_months = 12.0);
    // The final year's monthly cost, which the placements and fees add up to.
    rejects(&["C303", "C310"], |p| p.monthly_cost = 119.5);
}

#[test]
fn arbitrary_damage_does_not_panic() {
    let sc = scenario();
    let mut p = plan();
    p.schedule.as_mut().unwrap().truncate(4);
    p.years.as_mut().unwrap().clear();
    p.providers_by_year.as_mut().unwrap()[0].year = i32::MIN;
    p.limits.clear();
    assert!(!check(&sc, &p).is_empty());
    let mut p = plan();
    for r in p.schedule.as_mut().unwrap() {
        r.year = 2027;
    }
    assert!(!check(&sc, &p).is_empty());
}

// --- plans written from per-year single-period plans -----------------------------------

/// A roadmap plan for the schedule `at[y][s]`, written from one single-period plan per
/// year (`build_plan` under that year's policy) as the contract describes it: another
/// writer than the hand, so that the checker is seen to accept plans rounded by the
/// planner's largest-remainder rule too.
fn roadmap_plan(sc: &Scenario, at: &[Vec<OfferingId>]) -> Plan {
    let rm = sc.roadmap.as_ref().unwrap();
    let mut single = sc.clone();
    single.roadmap = None;
    let mut written: Vec<Year> = Vec::new();
    let mut move_year = vec![None; sc.services.len()];
    for (y, year) in rm.year_list().enumerate().take(at.len()) {
        single.policy = rm.policy_in(&sc.policy, year);
        let before = |s: usize| match y {
            0 => sc.services[s].current_offering,
            _ => Some(at[y - 1][s]),
        };
        let w = write_year(&single, rm, year, &at[y], before);
        for (s, row) in w.schedule.iter().enumerate() {
            if row.change == YearChange::Moves {
                move_year[s].get_or_insert(year);
            }
        }
        written.push(w);
    }
    let mut last = build_plan(&single, at.last().unwrap(), PlanStatus::Optimal, 0.0);
    for (row, y) in last.placements.iter_mut().zip(&move_year) {
        row.move_year = Some(*y);
    }
    last.estimates = Some(estimate_rows(sc, at, last.estimates.take().unwrap()));
    // Service by service, then year.
    let schedule = (0..sc.services.len())
        .flat_map(|s| written.iter().map(move |w| w.schedule[s].clone()))
        .collect();
    let total = cents(written.iter().map(|w| w.annual).sum());
    let exact: Vec<f64> = written.iter().map(|w| w.annual).collect();
    let mut years: Vec<YearRow> = written.iter().map(|w| w.row.clone()).collect();
    for (row, annual) in years.iter_mut().zip(split(&exact, total)) {
        row.annual_cost = annual;
    }
    Plan {
        horizon_months: 12.0 * f64::from(rm.years),
        total_cost: total,
        one_off_cost: cents(written.iter().map(|w| w.one_off).sum()),
        limits: written.iter().flat_map(|w| w.limits.clone()).collect(),
        years: Some(years),
        schedule: Some(schedule),
        providers_by_year: Some(written.iter().flat_map(|w| w.providers.clone()).collect()),
        ..last
    }
}

/// `exact` in cents adding up to `total`: each rounded down, then those with the
/// largest remainders (ties: the earlier) up by a cent until the sum is reached.
fn split(exact: &[f64], total: f64) -> Vec<f64> {
    let c: Vec<f64> = exact.iter().map(|x| x * 100.0).collect();
    let mut out: Vec<i64> = c.iter().map(|x| x.floor() as i64).collect();
    let missing = (total * 100.0).round() as i64 - out.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..c.len()).collect();
    let rem = |i: usize| c[i] - c[i].floor();
    order.sort_by(|&a, &b| rem(b).total_cmp(&rem(a)).then(a.cmp(&b)));
    for &i in order.iter().take(missing.max(0) as usize) {
        out[i] += 1;
    }
    out.iter().map(|&x| x as f64 / 100.0).collect()
}

/// The final year's estimate rows, and a row with 0 services and 0 EUR for every
/// estimated offering used only in earlier years, in scenario order.
fn estimate_rows(
    sc: &Scenario,
    at: &[Vec<OfferingId>],
    last: Vec<EstimateRow>,
) -> Vec<EstimateRow> {
    let used = |o: usize| at.iter().any(|p| p.iter().any(|x| x.index() == o));
    let offerings = sc.offerings.iter().enumerate();
    offerings
        .filter(|&(o, off)| off.estimate && used(o))
        .map(|(_, off)| {
            let final_row = last.iter().find(|r| r.offering == off.id);
            final_row.cloned().unwrap_or_else(|| EstimateRow {
                offering: off.id.clone(),
                offering_name: off.name.clone(),
                provider: sc.providers[off.provider.index()].id.clone(),
                as_of: off.as_of.clone(),
                services: 0,
                monthly_cost: 0.0,
            })
        })
        .collect()
}

/// One year of a roadmap plan, and its exact annual and one-off cost.
struct Year {
    schedule: Vec<ScheduleRow>,
    row: YearRow,
    providers: Vec<ProviderYearRow>,
    limits: Vec<LimitRow>,
    annual: f64,
    one_off: f64,
}

/// The rows of `year`, whose placement is `placement` (`before(s)`: where service `s`
/// ran the year before), under `single.policy`.
fn write_year(
    single: &Scenario,
    rm: &Roadmap,
    year: i32,
    placement: &[OfferingId],
    before: impl Fn(usize) -> Option<OfferingId>,
) -> Year {
    let p = build_plan(single, placement, PlanStatus::Optimal, 0.0);
    let e = evaluate(single, placement);
    let schedule = schedule_rows(single, &p, year, rm.start_year, placement, before);
    let one_off: f64 = schedule
        .iter()
        .zip(&single.services)
        .filter(|(r, _)| r.change == YearChange::Moves)
        .map(|(_, svc)| svc.migration_cost)
        .sum();
    let moves = schedule
        .iter()
        .filter(|r| r.change == YearChange::Moves)
        .count();
    let annual = 12.0 * e.monthly + one_off;
    let exposed: f64 = (0..single.providers.len())
        .filter(|&i| single.providers[i].cloud_act_exposed)
        .map(|i| e.spend[i])
        .sum();
    let row = YearRow {
        year,
        monthly_cost: p.monthly_cost,
        one_off_cost: cents(one_off),
        annual_cost: cents(annual),
        moves,
        providers_used: p.providers.iter().filter(|r| r.services > 0).count(),
        max_share: p.providers.iter().map(|r| r.share).fold(0.0, f64::max),
        cloud_act_share: micro(share(exposed, e.monthly)),
    };
    let providers = p
        .providers
        .iter()
        .map(|r| ProviderYearRow {
            year,
            provider: r.provider.clone(),
            services: r.services,
            fee: r.fee.unwrap(),
            spend: r.spend,
            share: r.share,
            exit_cost: r.exit_cost,
        })
        .collect();
    let mut limits: Vec<LimitRow> = p
        .limits
        .into_iter()
        .map(|r| LimitRow {
            year: Some(year),
            ..r
        })
        .collect();
    limits.extend(year_limit_rows(rm, year, moves, one_off, annual));
    Year {
        schedule,
        row,
        providers,
        limits,
        annual,
        one_off,
    }
}

/// The schedule rows of one year from its single-period plan `p`.
fn schedule_rows(
    single: &Scenario,
    p: &Plan,
    year: i32,
    first_year: i32,
    placement: &[OfferingId],
    before: impl Fn(usize) -> Option<OfferingId>,
) -> Vec<ScheduleRow> {
    let rows = p.placements.iter().zip(&single.services).enumerate();
    rows.map(|(s, (row, svc))| {
        let moved = before(s).is_some_and(|b| b != placement[s]);
        ScheduleRow {
            service: svc.id.clone(),
            year,
            offering: row.offering.clone(),
            provider: row.provider.clone(),
            monthly_cost: row.monthly_cost,
            one_off_cost: if moved {
                cents(svc.migration_cost)
            } else {
                0.0
            },
            change: match (before(s), moved) {
                (None, _) if year == first_year => YearChange::New,
                (_, true) => YearChange::Moves,
                _ => YearChange::Stays,
            },
        }
    })
    .collect()
}

/// One limit row per yearly limit of the roadmap, for one year's figures.
fn year_limit_rows(
    rm: &Roadmap,
    year: i32,
    moves: usize,
    one_off: f64,
    annual: f64,
) -> Vec<LimitRow> {
    rm.limits
        .iter()
        .map(|l| {
            let (value, exact) = match l {
                YearLimit::Moves(_) => (moves as f64, moves as f64),
                YearLimit::OneOff(_) => (cents(one_off), one_off),
                YearLimit::AnnualCost(_) => (cents(annual), annual),
            };
            LimitRow {
                limit: l.kind().field().to_string(),
                subject: String::new(),
                value,
                bound: l.bound(),
                binding: at_bound(exact, l.bound()),
                year: Some(year),
            }
        })
        .collect()
}

fn offering(sc: &Scenario, id: &str) -> OfferingId {
    OfferingId(sc.offerings.iter().position(|o| o.id == id).unwrap() as u32)
}

#[test]
fn the_plan_written_from_per_year_plans_is_the_hand_computed_one() {
    let sc = scenario();
    let o = |id| offering(&sc, id);
    let at = vec![
        vec![o("us1"), o("eu2"), o("eu1")],
        vec![o("eu1"), o("eu2"), o("eu1")],
        vec![o("eu1"), o("eu2"), o("eu1")],
    ];
    let written = roadmap_plan(&sc, &at);
    assert_eq!(written, plan());
}

/// A shipped roadmap variant with its roadmap and contract ends set from the file (the
/// validator does not read them yet).
fn shipped_roadmap(stem: &str) -> Scenario {
    let path = common::shipped(stem);
    let mut sc = sovplan::load_scenario(&path).unwrap();
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for (svc, def) in sc
        .services
        .iter_mut()
        .zip(v["services"].as_array().unwrap())
    {
        svc.movable_from = def["movable_from"].as_i64().map(|y| y as i32);
    }
    let r = &v["roadmap"];
    let num = |x: &Value, k: &str| x[k].as_f64();
    let limits = [
        num(r, "max_moves_per_year").map(|k| YearLimit::Moves(k as u32)),
        num(r, "max_one_off_per_year").map(YearLimit::OneOff),
        num(r, "max_annual_cost").map(YearLimit::AnnualCost),
    ];
    let step = |s: &Value| PolicyStep {
        year: s["year"].as_i64().unwrap() as i32,
        limits: [
            num(s, "max_provider_share").map(PolicyLimit::ProviderShare),
            num(s, "min_providers").map(|k| PolicyLimit::MinProviders(k as u32)),
            num(s, "max_cloud_act_share").map(PolicyLimit::CloudActShare),
            num(s, "max_exit_cost").map(PolicyLimit::ExitCost),
            num(s, "monthly_budget").map(PolicyLimit::Budget),
        ]
        .into_iter()
        .flatten()
        .collect(),
    };
    sc.roadmap = Some(Roadmap {
        start_year: r["start_year"].as_i64().unwrap() as i32,
        years: r["years"].as_u64().unwrap() as u32,
        limits: limits.into_iter().flatten().collect(),
        policy_from: r["policy_from"]
            .as_array()
            .unwrap()
            .iter()
            .map(step)
            .collect(),
    });
    sc
}

#[test]
fn the_feasibility_witness_of_kleinstadt_roadmap_passes() {
    // scenarios/README.md, "Roadmap variants": the final placement is kleinstadt's
    // single-period optimum, the moves are the witness's.
    let sc = shipped_roadmap("kleinstadt-roadmap");
    let original = sovplan::load_scenario(&common::shipped("kleinstadt")).unwrap();
    let final_plan = common::plan(&original);
    let moves = [
        (2027, &["steuern", "personenstand"][..]),
        (2028, &["ewo-app", "ewo-db", "video"]),
        (2029, &["finanz-app", "finanz-db"]),
        (2030, &["fileserver", "terminalserver", "backup"]),
        (2031, &["groupware", "website"]),
    ];
    let at: Vec<Vec<OfferingId>> = (2027..=2031)
        .map(|year| {
            let moved_by = |id: &str| moves.iter().any(|(y, ids)| *y <= year && ids.contains(&id));
            sc.services
                .iter()
                .zip(&final_plan.placements)
                .map(|(svc, row)| match svc.current_offering {
                    Some(c) if !moved_by(&svc.id) => c,
                    _ => offering(&sc, &row.offering),
                })
                .collect()
        })
        .collect();
    let written = roadmap_plan(&sc, &at);
    let v = check(&sc, &written);
    assert!(v.is_empty(), "{v:#?}");
    let years = written.years.as_ref().unwrap();
    let moves: Vec<usize> = years.iter().map(|y| y.moves).collect();
    assert_eq!(moves, [2, 3, 2, 3, 2]);
    // The witness's total in scenarios/README.md.
    assert!(
        (written.total_cost - 449_446.93).abs() < 0.015,
        "{}",
        written.total_cost
    );
    // The data centre's prices are estimates, and the roadmap uses it until 2030: it is
    // listed (with no service in 2031), and leaving it out is C312.
    let mut hidden = written.clone();
    let estimates = hidden.estimates.as_mut().unwrap();
    let dc = estimates
        .iter()
        .position(|r| r.offering == "kommunal-rz-dc1");
    assert_eq!(estimates[dc.unwrap()].services, 0);
    estimates.remove(dc.unwrap());
    assert_eq!(codes(&check(&sc, &hidden)), ["C312"]);
}

/// The witness schedule of scenarios/README.md for a shipped roadmap variant: the
/// final placement is the original's single-period optimum; the services it moves go,
/// group by group (`colocate` ties them), dearest migration first, in the earliest
/// year that their `movable_from`, the moves limit and the migration budget allow.
fn witness(sc: &Scenario, original: &str) -> Vec<Vec<OfferingId>> {
    let rm = sc.roadmap.as_ref().unwrap();
    let base = sovplan::load_scenario(&common::shipped(original)).unwrap();
    let last: Vec<OfferingId> = common::plan(&base)
        .placements
        .iter()
        .map(|r| offering(sc, &r.offering))
        .collect();
    let moving: Vec<usize> = (0..sc.services.len())
        .filter(|&s| {
            sc.services[s]
                .current_offering
                .is_some_and(|c| c != last[s])
        })
        .collect();
    // Union-find over the co-location rules between moving services.
    let mut root: Vec<usize> = (0..sc.services.len()).collect();
    fn find(root: &mut [usize], mut x: usize) -> usize {
        while root[x] != x {
            x = root[x];
        }
        x
    }
    for d in sc.dependencies.iter().filter(|d| d.colocate.is_some()) {
        let (a, b) = (d.from.index(), d.to.index());
        if moving.contains(&a) && moving.contains(&b) {
            let (ra, rb) = (find(&mut root, a), find(&mut root, b));
            root[ra] = rb;
        }
    }
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for &s in &moving {
        let r = find(&mut root, s);
        match groups.iter_mut().find(|(gr, _)| *gr == r) {
            Some((_, g)) => g.push(s),
            None => groups.push((r, vec![s])),
        }
    }
    let mut groups: Vec<Vec<usize>> = groups.into_iter().map(|(_, g)| g).collect();
    let cost = |g: &Vec<usize>| -> f64 { g.iter().map(|&s| sc.services[s].migration_cost).sum() };
    groups.sort_by(|a, b| cost(b).total_cmp(&cost(a)));
    let years: Vec<i32> = rm.year_list().collect();
    let (mut moves, mut spent) = (vec![0usize; years.len()], vec![0.0; years.len()]);
    let max_moves = rm.limits.iter().find_map(|l| match l {
        YearLimit::Moves(k) => Some(*k as usize),
        _ => None,
    });
    let max_spent = rm.limits.iter().find_map(|l| match l {
        YearLimit::OneOff(x) => Some(*x),
        _ => None,
    });
    let mut move_year = vec![None; sc.services.len()];
    for g in &groups {
        let earliest = g.iter().filter_map(|&s| sc.services[s].movable_from).max();
        let y = (0..years.len())
            .find(|&y| {
                earliest.is_none_or(|e| years[y] >= e)
                    && max_moves.is_none_or(|k| moves[y] + g.len() <= k)
                    && max_spent.is_none_or(|x| spent[y] + cost(g) <= x)
            })
            .expect("every group finds a year");
        moves[y] += g.len();
        spent[y] += cost(g);
        g.iter().for_each(|&s| move_year[s] = Some(years[y]));
    }
    years
        .iter()
        .map(|&year| {
            (0..sc.services.len())
                .map(|s| match (sc.services[s].current_offering, move_year[s]) {
                    (Some(c), None) => c,
                    (Some(c), Some(m)) if year < m => c,
                    _ => last[s],
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_feasibility_witnesses_of_landkreis_and_grossstadt_roadmap_pass() {
    // Moves per year and totals as in scenarios/README.md.
    for (stem, original, want_moves, want_total) in [
        (
            "landkreis-roadmap",
            "landkreis",
            [8, 15, 13, 15, 7],
            2_229_322.59,
        ),
        (
            "grossstadt-roadmap",
            "grossstadt",
            [3, 4, 5, 5, 0],
            8_288_312.88,
        ),
    ] {
        let sc = shipped_roadmap(stem);
        let written = roadmap_plan(&sc, &witness(&sc, original));
        let v = check(&sc, &written);
        assert!(v.is_empty(), "{stem}: {v:#?}");
        let moves: Vec<usize> = written
            .years
            .as_ref()
            .unwrap()
            .iter()
            .map(|y| y.moves)
            .collect();
        assert_eq!(moves, want_moves, "{stem}");
        assert!(
            (written.total_cost - want_total).abs() < 0.015,
            "{stem}: {}",
            written.total_cost
        );
    }
}

/// One random change to a roadmap plan: rows removed, duplicated, moved or renamed,
/// years and figures set to extremes.
fn mutate(p: &mut Plan, mut r: impl FnMut(usize) -> usize) {
    let years = [i32::MIN, 0, 2026, 2027, 2028, 2029, 2030, i32::MAX];
    let figures = [0.0, -1.0, 0.005, 1e300, -1e300, 123.456];
    let names = ["web", "db", "mail", "", "eu1", "us", "x\u{0}y"];
    let (y, f, n) = (
        years[r(years.len())],
        figures[r(figures.len())],
        names[r(names.len())],
    );
    let sched = p.schedule.get_or_insert_with(Vec::new);
    let by_year = p.providers_by_year.get_or_insert_with(Vec::new);
    let year_rows = p.years.get_or_insert_with(Vec::new);
    // Row indices drawn up front (any value when a table is empty: the arm is skipped).
    let (s, b, t, l, q) = (
        r(sched.len()),
        r(by_year.len()),
        r(year_rows.len()),
        r(p.limits.len()),
        r(p.placements.len()),
    );
    match r(10) {
        0 if !sched.is_empty() => drop(sched.remove(s)),
        1 if !sched.is_empty() => sched.push(sched[s].clone()),
        2 if !sched.is_empty() => sched[s].year = y,
        3 if !sched.is_empty() => sched[s].offering = n.into(),
        4 if !sched.is_empty() => sched[s].service = n.into(),
        5 if !by_year.is_empty() => by_year[b].spend = f,
        6 if !year_rows.is_empty() => year_rows[t].year = y,
        7 if !year_rows.is_empty() => year_rows[t].annual_cost = f,
        8 if !p.limits.is_empty() => p.limits[l].year = Some(y),
        _ => p.placements[q].move_year = Some(Some(y)),
    }
}

#[test]
fn random_damage_is_reported_and_never_panics() {
    let sc = scenario();
    let mut state: u64 = 0x5EED;
    let mut r = move |n: usize| {
        // A linear congruential generator: reproducible, and enough to pick mutations.
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % n.max(1)
    };
    for _ in 0..2000 {
        let mut p = plan();
        for _ in 0..=r(4) {
            mutate(&mut p, &mut r);
        }
        // Some mutations restore a value (a year set to itself): nothing to report then.
        let v = check(&sc, &p);
        assert!(p == plan() || !v.is_empty(), "{p:#?}");
    }
}

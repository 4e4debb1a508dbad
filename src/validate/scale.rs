//! E116–E117: the amounts a plan can contain stay where the MILP computes them exactly.
//!
//! Every number of a scenario is capped at 1e12 (E107), but products and sums are not:
//! a price of 1e9 per vCPU times 1e12 vCPU made HiGHS end with status "Unknown", a run
//! cost of 1e15 with a budget made it refuse the model, and 500 GB of traffic at 1e7
//! EUR/GB made it report an objective 18 EUR away from the plan's cost. At the other
//! end, with every price scaled by 1e-9 it accepted a provider share of 0.75 against a
//! cap of 0.6, because it decides every row to 1e-6 EUR and the whole bill was smaller
//! than that.
//!
//! The supported range, checked on the validated model with the cost model's own
//! functions, over the offerings each service may use:
//!
//! - the dearest conceivable monthly bill (every service on its dearest eligible
//!   offering, every dependency at its sender's egress price, every fee) is at most
//!   [`MAX_MONTHLY_EUR`], and every single amount in it too, and at most [`MAX_RANGE`]
//!   times the cheapest conceivable bill (or 1 EUR);
//! - that bill over the horizon plus every migration is at most [`MAX_TOTAL_EUR`], and so
//!   is the dearest conceivable exit cost of each provider;
//! - the demands of all services together, per dimension, are at most
//!   [`MAX_QUANTITY`] (a capacity row holds sums of them);
//! - with a share limit, the cheapest conceivable bill (every service on its cheapest
//!   eligible offering, plus the fees of the fewest and cheapest providers a plan must
//!   use) is either nothing or at least [`MIN_SHARE_BILL_EUR`]. This is a lower bound:
//!   a scenario that can cost nothing at all may still have plans whose positive bill
//!   is below 1 EUR (through traffic, capacity or co-location), which it cannot see.
//!
//! Why these figures: doubles keep cents exact up to 2^53 cents (9e13 EUR), so totals up
//! to 1e11 EUR keep a margin of about 1,000; HiGHS refuses matrix entries from 1e15 and
//! treats costs from 1e20 as infinite; and HiGHS decides rows to 1e-6 EUR (its
//! feasibility tolerance) and takes binaries as integral within 1e-6, so an amount of
//! 1e9 EUR may move by far less than its own size, while larger ones were seen to move
//! the objective by euros. The checker compares shares to 1e-6 of the bill, which the
//! solver's 1e-6 EUR resolves once the bill is at least 1 EUR.

use crate::error::{quote, Diagnostic};
use crate::format::read::RawScenario;
use crate::model::cost::{exit_cost, run_cost};
use crate::model::{Colocate, Dim, PolicyLimit, Scenario};

/// Largest monthly amount (EUR) a scenario may lead to: any single cost and the dearest
/// conceivable monthly bill.
pub const MAX_MONTHLY_EUR: f64 = 1e9;

/// Largest total (EUR) over the horizon, one-off costs included, and largest exit cost
/// of a provider.
pub const MAX_TOTAL_EUR: f64 = 1e11;

/// Largest sum of all services' demands in one dimension (vCPU, GB).
pub const MAX_QUANTITY: f64 = 1e14;

/// Largest ratio of a single monthly amount to the cheapest conceivable bill (or to
/// [`MIN_SHARE_BILL_EUR`] when that is smaller): HiGHS answered wrongly from about 1e8
/// (500 GB at 1e7 EUR/GB next to a bill of 45 EUR; 1e9 GB at 0.94 EUR/GB next to 10 EUR).
pub const MAX_RANGE: f64 = 1e6;

/// Smallest positive bill (EUR per month) that share limits can be decided on.
pub const MIN_SHARE_BILL_EUR: f64 = 1.0;

/// The dearest and cheapest conceivable amounts of one validated scenario.
struct Extremes {
    /// Per service: its dearest eligible offering (index) and run cost there.
    dearest: Vec<Option<(usize, f64)>>,
    /// Σ over services of the cheapest eligible run cost.
    cheapest_runs: f64,
    /// Per provider: whether some service may run on one of its offerings.
    reachable: Vec<bool>,
    /// Per provider: Σ over services of the dearest exit cost on its offerings.
    exit: Vec<f64>,
    /// Per dependency: the dearest traffic cost.
    traffic: Vec<f64>,
}

impl Extremes {
    fn of(sc: &Scenario) -> Self {
        let mut e = Extremes {
            dearest: Vec::with_capacity(sc.services.len()),
            cheapest_runs: 0.0,
            reachable: vec![false; sc.providers.len()],
            exit: vec![0.0; sc.providers.len()],
            traffic: Vec::with_capacity(sc.dependencies.len()),
        };
        // Per service: the dearest egress and inter-region prices among its offerings,
        // for its traffic.
        let mut egress = vec![0.0f64; sc.services.len()];
        let mut inter = vec![0.0f64; sc.services.len()];
        for s in sc.service_ids() {
            let mut exit = vec![0.0f64; sc.providers.len()];
            let (mut dear, mut cheap): (Option<(usize, f64)>, Option<f64>) = (None, None);
            for o in sc.offering_ids().filter(|&o| sc.is_eligible(s, o)) {
                let run = run_cost(sc, s, o);
                if dear.is_none_or(|(_, d)| run > d) {
                    dear = Some((o.index(), run));
                }
                cheap = Some(cheap.map_or(run, |c: f64| c.min(run)));
                let p = sc.provider_of(o).index();
                e.reachable[p] = true;
                exit[p] = exit[p].max(exit_cost(sc, s, o));
                let prices = sc.offerings[o.index()].prices;
                egress[s.index()] = egress[s.index()].max(prices.egress_gb);
                inter[s.index()] = inter[s.index()].max(prices.inter_region_gb);
            }
            e.dearest.push(dear);
            e.cheapest_runs += cheap.unwrap_or(0.0);
            for (total, x) in e.exit.iter_mut().zip(exit) {
                *total += x;
            }
        }
        // Traffic within one offering is free and never enters the model; a pair held at
        // one provider pays at most inter-region prices; any other at most egress
        // (inter-region ≤ egress: E110).
        e.traffic = sc
            .dependencies
            .iter()
            .map(|d| {
                let price = match d.colocate {
                    Some(Colocate::Offering) => 0.0,
                    Some(Colocate::Provider) => inter[d.from.index()],
                    None => egress[d.from.index()],
                };
                d.traffic_gb_month * price
            })
            .collect();
        e
    }

    /// A lower bound of every plan's monthly bill: each service on its cheapest
    /// eligible offering, and the fees of the fewest providers any plan uses (one, or
    /// `min_providers`), the cheapest ones. Traffic, capacity and co-location only add.
    fn cheapest_bill(&self, sc: &Scenario) -> f64 {
        if sc.services.is_empty() {
            return 0.0;
        }
        let mut fees: Vec<f64> = sc
            .providers
            .iter()
            .zip(&self.reachable)
            .filter(|(_, &r)| r)
            .map(|(p, _)| p.monthly_fee)
            .collect();
        fees.sort_by(f64::total_cmp);
        let used = sc.policy.limits().iter().find_map(|l| match *l {
            PolicyLimit::MinProviders(k) => Some(k as usize),
            _ => None,
        });
        let used = used.unwrap_or(1).max(1);
        self.cheapest_runs + fees.iter().take(used).sum::<f64>()
    }

    /// The dearest conceivable monthly bill.
    fn dearest_bill(&self, sc: &Scenario) -> f64 {
        let runs: f64 = self.dearest.iter().flatten().map(|&(_, r)| r).sum();
        let fees: f64 = sc.providers.iter().map(|p| p.monthly_fee).sum();
        runs + self.traffic.iter().sum::<f64>() + fees
    }
}

/// E116 and E117 on the validated model; `raw` gives the locations (same order).
pub(super) fn check(sc: &Scenario, raw: &RawScenario, errs: &mut Vec<Diagnostic>) {
    let e = Extremes::of(sc);
    let before = errs.len();
    single_amounts(sc, raw, &e, errs);
    if errs.len() == before {
        // A sum is only worth a message when no single amount already explains it.
        sums(sc, raw, &e, errs);
    }
    exits(sc, raw, &e, errs);
    quantities(sc, raw, errs);
    share_resolution(sc, raw, &e, errs);
}

const HINT_LARGE: &str = "check the units (EUR, vCPU, GB, GB per month); plans are computed \
     exactly up to 1e9 EUR per month and 1e11 EUR in total, for amounts at most 1e6 times \
     the cheapest possible bill";

/// An amount for a message, to four significant digits: plain from 0.001 to a million
/// (`9.637`, `45`), else in e-notation (`5e9`, `2.063e-7`).
fn eur(x: f64) -> String {
    let trim = |m: &str| -> String {
        if m.contains('.') {
            m.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            m.to_string()
        }
    };
    if x == 0.0 || (1e-3..1e6).contains(&x.abs()) {
        let decimals = (3 - x.abs().log10().floor() as i32).max(0) as usize;
        return trim(&format!("{x:.decimals$}"));
    }
    let s = format!("{x:.3e}");
    match s.split_once('e') {
        Some((m, e)) => format!("{}e{e}", trim(m)),
        None => s,
    }
}

fn too_large(location: String, message: String) -> Diagnostic {
    Diagnostic::new("E116", location, message, HINT_LARGE)
}

/// The largest single monthly amount allowed, and why, in words.
fn single_cap(sc: &Scenario, e: &Extremes) -> (f64, String) {
    let bill = e.cheapest_bill(sc);
    let by_range = MAX_RANGE * bill.max(MIN_SHARE_BILL_EUR);
    if by_range < MAX_MONTHLY_EUR {
        let why = format!(
            "more than {MAX_RANGE:e} times the cheapest conceivable bill ({} EUR per month): \
             amounts that far apart are not computed exactly",
            eur(bill)
        );
        (by_range, why)
    } else {
        (MAX_MONTHLY_EUR, format!("more than {MAX_MONTHLY_EUR:e}"))
    }
}

/// Every run cost, traffic cost and fee on its own.
fn single_amounts(sc: &Scenario, raw: &RawScenario, e: &Extremes, errs: &mut Vec<Diagnostic>) {
    let (cap, why) = single_cap(sc, e);
    for (s, dear) in e.dearest.iter().enumerate() {
        if let Some((o, run)) = *dear {
            if run > cap {
                errs.push(too_large(
                    format!("{}.demand", raw.services[s].location),
                    format!(
                        "service {} would cost {run} EUR per month on offering {}, {why}",
                        quote(&sc.services[s].id),
                        quote(&sc.offerings[o].id),
                        run = eur(run)
                    ),
                ));
            }
        }
    }
    for (d, &cost) in e.traffic.iter().enumerate() {
        if cost > cap {
            let dep = &sc.dependencies[d];
            errs.push(too_large(
                format!("{}.traffic_gb_month", raw.dependencies[d].location),
                format!(
                    "{} GB per month from {} at its dearest price cost {cost} EUR per month, {why}",
                    dep.traffic_gb_month,
                    quote(&sc.services[dep.from.index()].id),
                    cost = eur(cost)
                ),
            ));
        }
    }
    for (p, prov) in sc.providers.iter().enumerate() {
        if prov.monthly_fee > cap {
            errs.push(too_large(
                format!("{}.monthly_fee", raw.providers[p].location),
                format!("a monthly fee of {} EUR is {why}", eur(prov.monthly_fee)),
            ));
        }
    }
}

/// The dearest conceivable bill per month and over the horizon.
fn sums(sc: &Scenario, raw: &RawScenario, e: &Extremes, errs: &mut Vec<Diagnostic>) {
    let monthly = e.dearest_bill(sc);
    if monthly > MAX_MONTHLY_EUR {
        errs.push(too_large(
            raw.file.clone(),
            format!(
                "the dearest conceivable plan (every service on its dearest offering) costs {monthly} EUR per month, more than {MAX_MONTHLY_EUR:e}; the dearest service is {}",
                dearest_service(sc, e),
                monthly = eur(monthly)
            ),
        ));
        return;
    }
    let migrations: f64 = sc
        .services
        .iter()
        .filter(|s| s.current_offering.is_some())
        .map(|s| s.migration_cost)
        .sum();
    let total = sc.policy.horizon_months * monthly + migrations;
    if total > MAX_TOTAL_EUR {
        errs.push(too_large(
            format!("{}: policy.horizon_months", raw.file),
            format!(
                "over {} months the dearest conceivable plan costs {total} EUR with its migrations, more than {MAX_TOTAL_EUR:e}",
                sc.policy.horizon_months,
                total = eur(total)
            ),
        ));
    }
}

/// The service with the dearest run cost, for the message about the sum.
fn dearest_service(sc: &Scenario, e: &Extremes) -> String {
    let top = e
        .dearest
        .iter()
        .enumerate()
        .filter_map(|(s, d)| d.map(|(o, r)| (s, o, r)))
        .max_by(|a, b| a.2.total_cmp(&b.2));
    match top {
        Some((s, o, r)) => format!(
            "{} on {} at {} EUR per month",
            quote(&sc.services[s].id),
            quote(&sc.offerings[o].id),
            eur(r)
        ),
        None => "none (no service has an eligible offering)".to_string(),
    }
}

/// The dearest conceivable exit cost of every provider.
fn exits(sc: &Scenario, raw: &RawScenario, e: &Extremes, errs: &mut Vec<Diagnostic>) {
    for (p, &exit) in e.exit.iter().enumerate() {
        if exit > MAX_TOTAL_EUR {
            errs.push(too_large(
                raw.providers[p].location.clone(),
                format!(
                    "leaving provider {} could cost {exit} EUR (storage × egress price, plus replatforming), more than {MAX_TOTAL_EUR:e}",
                    quote(&sc.providers[p].id),
                    exit = eur(exit)
                ),
            ));
        }
    }
}

/// The demands of all services together, per dimension.
fn quantities(sc: &Scenario, raw: &RawScenario, errs: &mut Vec<Diagnostic>) {
    for dim in Dim::ALL {
        let total: f64 = sc.services.iter().map(|s| s.demand.get(dim)).sum();
        if total > MAX_QUANTITY {
            errs.push(too_large(
                raw.file.clone(),
                format!(
                    "the services demand {total} {} together, more than {MAX_QUANTITY:e}",
                    dim.name(),
                    total = eur(total)
                ),
            ));
        }
    }
}

/// E117: a share limit on a bill too small for the solver to resolve.
fn share_resolution(sc: &Scenario, raw: &RawScenario, e: &Extremes, errs: &mut Vec<Diagnostic>) {
    let exposed = sc.providers.iter().any(|p| p.cloud_act_exposed);
    let share_field = |l: &PolicyLimit| match *l {
        PolicyLimit::ProviderShare(sh) if sh < 1.0 => Some("max_provider_share"),
        PolicyLimit::CloudActShare(sh) if sh < 1.0 && exposed => Some("max_cloud_act_share"),
        _ => None,
    };
    // The policy's own limits first, then those a roadmap sets from some year on.
    let steps = sc.roadmap.iter().flat_map(|r| r.policy_from.iter());
    let limit = sc
        .policy
        .limits()
        .iter()
        .find_map(|l| share_field(l).map(|f| format!("policy.{f}")))
        .or_else(|| {
            steps.into_iter().find_map(|st| {
                st.limits.iter().find_map(|l| {
                    share_field(l).map(|f| format!("roadmap.policy_from (year {}).{f}", st.year))
                })
            })
        });
    let Some(field) = limit else { return };
    let bill = e.cheapest_bill(sc);
    if bill > 0.0 && bill < MIN_SHARE_BILL_EUR {
        errs.push(Diagnostic::new(
            "E117",
            format!("{}: {field}", raw.file),
            format!(
                "the cheapest conceivable plan costs {bill} EUR per month: shares of a bill under {MIN_SHARE_BILL_EUR} EUR cannot be decided exactly (the solver resolves money to 1e-6 EUR)",
                bill = eur(bill)
            ),
            "state prices in EUR (not in thousands or millions), or remove the share limit",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::eur;

    #[test]
    fn amounts_read_well_at_every_scale() {
        assert_eq!(eur(0.0), "0");
        assert_eq!(eur(9.637_123), "9.637");
        assert_eq!(eur(45.0), "45");
        assert_eq!(eur(123_456.7), "123457");
        assert_eq!(eur(5e9), "5e9");
        assert_eq!(eur(1.000_000_000_000_006e15), "1e15");
        assert_eq!(eur(2.062_916e-7), "2.063e-7");
        assert_eq!(eur(0.0123), "0.0123");
    }
}

//! Rounding the plan's money to cents so that every column adds up to its total.
//!
//! Rounding each figure on its own makes a spreadsheet `SUM` over a column drift from
//! the plan's total by up to half a cent per row. Instead the figures are rounded top
//! down, each level by the largest-remainder method, so that the rounded parts of a
//! figure add up exactly to the rounded figure:
//!
//! 1. `monthly_cost` = the exact monthly cost rounded to cents;
//! 2. split over the providers' `spend`;
//! 3. each provider's spend split over its services' `monthly_cost` and its `fee`;
//! 4. each service's monthly cost split into `run_cost` and `traffic_cost`;
//! 5. each service's traffic cost split over the `cost` of the dependencies it sends;
//! 6. separately, `one_off_cost` = the exact one-off cost rounded to cents, split over
//!    the services' `one_off_cost`.
//!
//! Largest remainder rounds every part down, then up again the parts with the largest
//! remainders (ties in row order) until the parts add up to the rounded whole. So every
//! figure is its exact value rounded down or up to the cent (never off by a cent or
//! more), and it equals ordinary rounding wherever ordinary rounding already adds up.

use crate::model::cost::Evaluation;
use crate::model::{OfferingId, Scenario};
use crate::tolerance::MONEY_SCALE;

/// Every money figure of a plan that belongs to a column with a total, in whole cents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Cents {
    /// Σ spend = Σ monthly + Σ fee.
    pub monthly_total: i64,
    /// Σ one_off.
    pub one_off_total: i64,
    /// Per provider: what it bills per month.
    pub spend: Vec<i64>,
    /// Per provider: the fee billed because it is used (0 when unused).
    pub fee: Vec<i64>,
    /// Per service: run + sent.
    pub monthly: Vec<i64>,
    /// Per service: running cost.
    pub run: Vec<i64>,
    /// Per service: traffic it sends.
    pub sent: Vec<i64>,
    /// Per dependency: its traffic cost.
    pub traffic: Vec<i64>,
    /// Per service: migration cost paid once.
    pub one_off: Vec<i64>,
}

/// An amount in cents from whole cents.
pub(super) fn eur(cents: i64) -> f64 {
    cents as f64 / MONEY_SCALE
}

/// `x` EUR in cents, unrounded, with float noise around a whole cent removed
/// (86.27 · 100 is 8626.999999999999 in binary floating point, and must count as a
/// whole 8627 cents, not as the largest possible remainder).
fn exact_cents(x: f64) -> f64 {
    snap(x * MONEY_SCALE)
}

/// An amount in cents with float noise around a whole cent removed.
fn snap(y: f64) -> f64 {
    let r = y.round();
    if (y - r).abs() <= 1e-6_f64.max(64.0 * f64::EPSILON * y.abs()) {
        r
    } else {
        y
    }
}

/// Whole cents for parts whose exact values (in cents) are `exact`, adding up to
/// `target`: every part rounded down, then the parts with the largest remainders
/// (ties: the earlier row) rounded up until the sum is reached.
///
/// `target` must lie between the sums of the parts rounded down and rounded up, which
/// holds whenever it is the exact sum rounded down or up; every part then ends up as
/// its exact value rounded down or up.
pub(super) fn apportion(exact: &[f64], target: i64) -> Vec<i64> {
    let mut out: Vec<i64> = exact.iter().map(|y| y.floor() as i64).collect();
    let missing = target - out.iter().sum::<i64>();
    let rem = |i: usize| exact[i] - exact[i].floor();
    let mut order: Vec<usize> = (0..exact.len()).collect();
    order.sort_by(|&a, &b| rem(b).total_cmp(&rem(a)).then(a.cmp(&b)));
    debug_assert!(
        (0..=exact.len() as i64).contains(&missing),
        "target {target} outside the rounding range of {exact:?}"
    );
    // Out of range only through float noise far below a cent; the sum still holds.
    if missing >= 0 {
        for &i in order.iter().cycle().take(missing as usize) {
            out[i] += 1;
        }
    } else {
        for &i in order
            .iter()
            .rev()
            .cycle()
            .take(missing.unsigned_abs() as usize)
        {
            out[i] -= 1;
        }
    }
    out
}

/// The exact sum of parts given in cents, with float noise around a whole cent removed.
fn sum(parts: impl IntoIterator<Item = f64>) -> f64 {
    snap(parts.into_iter().sum())
}

/// Rounds the plan's money figures of `placement` (evaluated as `e`) to whole cents
/// that add up level by level (see the module documentation).
pub(super) fn round(sc: &Scenario, placement: &[OfferingId], e: &Evaluation) -> Cents {
    let ns = placement.len();
    let provider_of = |s: usize| sc.provider_of(placement[s]).index();
    let run: Vec<f64> = e.run.iter().map(|&x| exact_cents(x)).collect();
    let sent: Vec<f64> = e.sent.iter().map(|&x| exact_cents(x)).collect();
    let traffic: Vec<f64> = e.traffic.iter().map(|&x| exact_cents(x)).collect();
    let monthly: Vec<f64> = (0..ns).map(|s| sum([run[s], sent[s]])).collect();
    let fee: Vec<f64> = sc
        .provider_ids()
        .map(|p| match e.services_on[p.index()] {
            0 => 0.0,
            _ => exact_cents(sc.providers[p.index()].monthly_fee),
        })
        .collect();
    // Each provider's parts: its services' monthly costs in scenario order, then its fee.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); sc.providers.len()];
    (0..ns).for_each(|s| members[provider_of(s)].push(s));
    let parts = |p: usize| -> Vec<f64> {
        let mut v: Vec<f64> = members[p].iter().map(|&s| monthly[s]).collect();
        v.push(fee[p]);
        v
    };
    let spend: Vec<f64> = (0..sc.providers.len()).map(|p| sum(parts(p))).collect();
    let monthly_total = sum(spend.iter().copied()).round() as i64;
    let mut c = Cents {
        monthly_total,
        spend: apportion(&spend, monthly_total),
        fee: vec![0; sc.providers.len()],
        monthly: vec![0; ns],
        run: vec![0; ns],
        sent: vec![0; ns],
        traffic: vec![0; sc.dependencies.len()],
        one_off_total: 0,
        one_off: Vec::new(),
    };
    for (p, services) in members.iter().enumerate() {
        let split = apportion(&parts(p), c.spend[p]);
        services
            .iter()
            .zip(&split)
            .for_each(|(&s, &x)| c.monthly[s] = x);
        c.fee[p] = split[services.len()];
    }
    split_services(sc, &run, &sent, &traffic, &mut c);
    let one_off: Vec<f64> = e.one_off.iter().map(|&x| exact_cents(x)).collect();
    c.one_off_total = sum(one_off.iter().copied()).round() as i64;
    c.one_off = apportion(&one_off, c.one_off_total);
    c
}

/// A roadmap's one-off costs split top down like every other column: `per_year[y][s]`
/// is what service `s` pays in year `y` (EUR). Returns the whole in cents (the exact
/// sum rounded), its split over the years, and each year's split over the services.
pub(super) fn split_one_off(per_year: &[Vec<f64>]) -> (i64, Vec<i64>, Vec<Vec<i64>>) {
    let exact: Vec<Vec<f64>> = per_year
        .iter()
        .map(|v| v.iter().map(|&x| exact_cents(x)).collect())
        .collect();
    let years: Vec<f64> = exact.iter().map(|v| sum(v.iter().copied())).collect();
    let total = sum(years.iter().copied()).round() as i64;
    let by_year = apportion(&years, total);
    let by_service = exact
        .iter()
        .zip(&by_year)
        .map(|(v, &t)| apportion(v, t))
        .collect();
    (total, by_year, by_service)
}

/// Levels 4 and 5: each service's rounded monthly cost into run and traffic, and its
/// rounded traffic cost over the dependencies it sends (in scenario order).
fn split_services(sc: &Scenario, run: &[f64], sent: &[f64], traffic: &[f64], c: &mut Cents) {
    let mut sends: Vec<Vec<usize>> = vec![Vec::new(); run.len()];
    for (d, dep) in sc.dependencies.iter().enumerate() {
        sends[dep.from.index()].push(d);
    }
    for s in 0..run.len() {
        let split = apportion(&[run[s], sent[s]], c.monthly[s]);
        (c.run[s], c.sent[s]) = (split[0], split[1]);
        let exact: Vec<f64> = sends[s].iter().map(|&d| traffic[d]).collect();
        for (&d, x) in sends[s].iter().zip(apportion(&exact, c.sent[s])) {
            c.traffic[d] = x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportion_rounds_the_largest_remainders_up() {
        // Ordinary rounding gives 0 + 0 + 0 = 0 for three thirds of a cent each; the
        // whole is 1 cent, which goes to the first of the tied rows.
        assert_eq!(apportion(&[1.0 / 3.0; 3], 1), [1, 0, 0]);
        // Where ordinary rounding adds up, it is kept.
        assert_eq!(apportion(&[10.4, 20.6, 5.0], 36), [10, 21, 5]);
        // 0.6 + 0.6 + 0.6 = 1.8 → 2 cents: the two first rows are rounded up.
        assert_eq!(apportion(&[0.6, 0.6, 0.6], 2), [1, 1, 0]);
        assert_eq!(apportion(&[], 0), Vec::<i64>::new());
    }

    #[test]
    fn whole_cents_survive_float_noise() {
        assert_eq!(exact_cents(86.27), 8627.0);
        assert_eq!(exact_cents(0.1 + 0.2), 30.0);
        // A genuine fraction of a cent is kept.
        assert!((exact_cents(35.7462) - 3574.62).abs() < 1e-9);
        // A fee of 86.27 and a service of exactly 1.00 make 87.27, not 87.26.
        let parts = [exact_cents(86.27), exact_cents(1.0)];
        assert_eq!(apportion(&parts, sum(parts).round() as i64), [8627, 100]);
    }

    #[test]
    fn one_off_costs_split_top_down_over_years_and_services() {
        // Three thirds of a cent in each of two years: 2 cents in all, one per year.
        let third = 1.0 / 300.0;
        let (total, years, services) =
            split_one_off(&[vec![third, third, third], vec![third, third, third]]);
        assert_eq!(total, 2);
        assert_eq!(years, [1, 1]);
        assert_eq!(services, [vec![1, 0, 0], vec![1, 0, 0]]);
        let (total, years, _) = split_one_off(&[vec![30.0, 0.0], vec![0.0, 20.004]]);
        assert_eq!((total, years), (5000, vec![3000, 2000]));
    }

    #[test]
    fn every_part_stays_within_a_cent_and_parts_add_up() {
        // A deterministic spread of awkward amounts (thousandths of a cent).
        let exact: Vec<f64> = (1..200)
            .map(|i| (i * 7919 % 100_000) as f64 / 1000.0)
            .collect();
        let target = exact.iter().sum::<f64>().round() as i64;
        let got = apportion(&exact, target);
        assert_eq!(got.iter().sum::<i64>(), target);
        for (g, x) in got.iter().zip(&exact) {
            assert!((*g as f64 - x).abs() < 1.0, "{g} vs {x}");
        }
    }
}

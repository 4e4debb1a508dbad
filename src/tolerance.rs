//! Every numerical tolerance of sovplan, named, in one place.
//!
//! They must keep an order, which a compile-time assertion below enforces: the plan rounds money to
//! cents, so the checker must accept a rounding error of half a cent; the heuristic
//! keeps limits a hair inside the checker's feasibility tolerance, so that its plans
//! always pass; HiGHS stops within half a cent of the optimum, below what the plan
//! shows.

/// Money in a plan is rounded to units of 1 / this (cents).
pub const MONEY_SCALE: f64 = 100.0;

/// Shares and gaps in a plan are rounded to units of 1 / this (six decimals).
pub const SHARE_SCALE: f64 = 1e6;

/// The checker accepts a reported amount within this many EUR of its own figure
/// (rounding to cents, plus [`MONEY_REL`] of float noise).
pub const MONEY_ABS: f64 = 0.01;

/// Relative float noise the checker accepts on money, on top of [`MONEY_ABS`].
pub const MONEY_REL: f64 = 1e-9;

/// The checker accepts a reported share within this of its own figure (rounding to
/// [`SHARE_SCALE`] moves a share by at most half of it).
pub const SHARE_ABS: f64 = 1e-6;

/// A limit holds when exceeded by at most this, relative to the bound (at least this
/// much absolute): the solver's feasibility tolerance. A value this close to its bound
/// is reported as "binding".
pub const FEASIBILITY_REL: f64 = 1e-6;

/// The heuristic keeps every limit within this relative slack, far inside
/// [`FEASIBILITY_REL`] and far above float drift.
pub const HEURISTIC_SLACK_REL: f64 = 1e-9;

/// The heuristic counts two violations or two totals as equal when they differ by at
/// most this, relative to their size, so that it never cycles on float noise.
pub const HEURISTIC_TIE_REL: f64 = 1e-9;

/// The least running cost (EUR/month) the heuristic divides by: a group that costs
/// nothing where it is still ranks by how much a move adds, without dividing by zero.
pub const HEURISTIC_MIN_SPEND: f64 = 1e-9;

/// The default relative MIP gap at which a plan counts as optimal.
pub const DEFAULT_GAP: f64 = 1e-6;

/// HiGHS's absolute MIP gap (EUR on the total): closing it further only reorders
/// plans whose totals are equal in cents.
pub const MIP_ABS_GAP: f64 = 0.005;

/// HiGHS's objective and the cost model of the decoded plan may differ by this much
/// absolute (EUR) before the answer counts as wrong, plus [`OBJECTIVE_REL`].
pub const OBJECTIVE_ABS: f64 = 0.01;

/// Relative part of the objective consistency check.
pub const OBJECTIVE_REL: f64 = 1e-6;

/// A binary column counts as chosen above this value.
pub const BINARY_ON: f64 = 0.5;

/// `value ≤ bound` within [`FEASIBILITY_REL`] (relative, at least absolute).
pub fn within(value: f64, bound: f64) -> bool {
    value <= bound + FEASIBILITY_REL * bound.abs().max(1.0)
}

/// `value` sits at `bound` within [`FEASIBILITY_REL`]: the limit is binding.
pub fn at_bound(value: f64, bound: f64) -> bool {
    (value - bound).abs() <= FEASIBILITY_REL * bound.abs().max(1.0)
}

/// Two amounts of money agree within rounding to cents and float noise.
pub fn money_eq(reported: f64, exact: f64) -> bool {
    (reported - exact).abs() <= MONEY_ABS + MONEY_REL * exact.abs()
}

/// Two shares agree within rounding to six decimals.
pub fn share_eq(reported: f64, exact: f64) -> bool {
    (reported - exact).abs() <= SHARE_ABS
}

/// A limit row's value agrees with the exact one: within a cent, as money is rounded
/// to cents (shares and counts far finer), plus [`FEASIBILITY_REL`] of the value, the
/// precision to which the row's `binding` flag is decided anyway.
pub fn limit_value_eq(reported: f64, exact: f64) -> bool {
    (reported - exact).abs() <= MONEY_ABS + FEASIBILITY_REL * exact.abs()
}

/// Relative float noise between two sums of the same amounts in different orders: at
/// most about n · 2^-53 for n terms, so 1e-11 covers sums of 10^4 to 10^5 amounts. The
/// checker's own recomputation and the plan writer's differ by no more.
pub const MONEY_SUM_REL: f64 = 1e-11;

/// A reported amount of money agrees with the recomputed one: rounding to cents
/// ([`MONEY_ABS`]) plus [`MONEY_SUM_REL`] of float noise. Tighter than [`money_eq`],
/// whose relative part (1e-9) let a total of 2e10 EUR be off by 20 EUR.
pub fn money_close(reported: f64, exact: f64) -> bool {
    (reported - exact).abs() <= MONEY_ABS + MONEY_SUM_REL * exact.abs()
}

/// A limit row's `binding` flag agrees with the recomputed value: [`at_bound`] of the
/// value, or of the value moved by [`MONEY_SUM_REL`] either way, as the plan writer
/// and the checker sum in different orders and a value at the edge of "binding" may
/// fall on either side.
pub fn binding_agrees(reported: bool, value: f64, bound: f64) -> bool {
    let noise = MONEY_SUM_REL * value.abs().max(bound.abs());
    [value, value - noise, value + noise]
        .iter()
        .any(|&v| at_bound(v, bound) == reported)
}

/// Figures a plan copies from its scenario (a bound, the horizon, a dependency's
/// traffic) come back as written: serde_json round-trips floats, so only formatting by
/// another tool can move them, by this much relative.
pub const COPY_REL: f64 = 1e-12;

/// Relative float noise the checker accepts on a recomputed quantity (a load in vCPU or
/// GB), on top of rounding to six decimals ([`SHARE_ABS`]).
pub const QUANTITY_REL: f64 = 1e-9;

/// A figure copied from the scenario into the plan is the scenario's own, within
/// [`COPY_REL`] relative.
pub fn copied_eq(reported: f64, exact: f64) -> bool {
    reported == exact || (reported - exact).abs() <= COPY_REL * exact.abs().max(reported.abs())
}

/// A share keeps its cap: compared as a fraction of the monthly cost, within
/// [`FEASIBILITY_REL`] in share units. Stated on money (spend ≤ cap · monthly with an
/// absolute floor in EUR) it would accept any share once all prices are tiny.
pub fn share_within(share: f64, cap: f64) -> bool {
    share <= cap + FEASIBILITY_REL
}

/// A quantity reported rounded to six decimals (an offering's load) agrees with the
/// exact one: rounding plus [`QUANTITY_REL`] of float noise.
pub fn quantity_eq(reported: f64, exact: f64) -> bool {
    (reported - exact).abs() <= SHARE_ABS + QUANTITY_REL * exact.abs()
}

/// A figure is a whole number of cents when 100 times it lies this close to an integer
/// (in cents)...
pub const WHOLE_CENT_ABS: f64 = 1e-6;

/// ...or, for amounts so large that float spacing exceeds that, within this many units
/// of the last place of 100 times the figure.
pub const WHOLE_CENT_ULPS: f64 = 64.0;

/// `x` EUR as a whole number of cents, if it is one within [`WHOLE_CENT_ABS`] (or
/// [`WHOLE_CENT_ULPS`] relative for large amounts).
pub fn whole_cents(x: f64) -> Option<i64> {
    let y = x * MONEY_SCALE;
    let r = y.round();
    let tol = WHOLE_CENT_ABS.max(WHOLE_CENT_ULPS * f64::EPSILON * y.abs());
    ((y - r).abs() <= tol).then_some(r as i64)
}

/// The slack the heuristic leaves inside a bound.
pub fn heuristic_slack(bound: f64) -> f64 {
    HEURISTIC_SLACK_REL * bound.abs().max(1.0)
}

// The order the tolerances must keep, checked when the crate compiles: a change that
// breaks it is a build error, not a test failure found later.
const _: () = {
    // Rounding to cents moves a figure by at most half a cent, which the checker must
    // accept.
    assert!(0.5 / MONEY_SCALE < MONEY_ABS);
    // Likewise for shares rounded to six decimals.
    assert!(0.5 / SHARE_SCALE < SHARE_ABS);
    // HiGHS's absolute gap is below what rounding to cents shows.
    assert!(MIP_ABS_GAP <= 0.5 / MONEY_SCALE);
    // The heuristic stays inside the checker's feasibility tolerance.
    assert!(HEURISTIC_SLACK_REL < FEASIBILITY_REL);
    // The default gap is as tight as the feasibility tolerance.
    assert!(DEFAULT_GAP <= FEASIBILITY_REL);
    // The objective check is no tighter than the money check.
    assert!(OBJECTIVE_ABS >= MONEY_ABS);
    // Rounding a share to the plan's unit stays within the feasibility tolerance.
    assert!(1.0 / SHARE_SCALE <= FEASIBILITY_REL);
    // The checker's money comparison is no looser than the older one.
    assert!(MONEY_SUM_REL < MONEY_REL);
    // Copied figures are compared far more tightly than computed ones.
    assert!(COPY_REL < QUANTITY_REL && QUANTITY_REL < FEASIBILITY_REL);
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_is_relative_above_one_and_absolute_below() {
        assert!(within(1.0 + 0.9e-6, 1.0));
        assert!(!within(1.0 + 1.1e-6, 1.0));
        assert!(within(1e6 + 0.9, 1e6));
        assert!(!within(1e6 + 1.1, 1e6));
        assert!(at_bound(0.5 - 0.9e-6, 0.5));
    }

    #[test]
    fn shares_are_compared_as_shares_whatever_the_scale_of_money() {
        // 0.877 of a bill of 1e-6 EUR against a cap of 0.6: the difference is 2.8e-7
        // EUR, inside any absolute money tolerance, but far above the cap.
        let (spend, monthly) = (0.877e-6, 1e-6);
        assert!(
            within(spend, 0.6 * monthly),
            "the old comparison accepted it"
        );
        assert!(!share_within(spend / monthly, 0.6));
        assert!(share_within(0.6 + 0.9e-6, 0.6));
        assert!(!share_within(0.6 + 1.1e-6, 0.6));
    }

    #[test]
    fn copied_figures_are_exact_up_to_formatting() {
        assert!(copied_eq(36.0, 36.0));
        assert!(copied_eq(0.1 + 0.2, 0.3));
        assert!(!copied_eq(36.0, 36.000_001));
        assert!(quantity_eq(1.5, 1.500_000_4));
        assert!(!quantity_eq(1.5, 1.500_01));
    }

    #[test]
    fn a_binding_flag_at_the_edge_may_fall_either_way() {
        let edge = 1e6 * (1.0 - FEASIBILITY_REL);
        assert!(binding_agrees(true, edge, 1e6) && binding_agrees(false, edge, 1e6));
        assert!(binding_agrees(true, 1e6, 1e6) && !binding_agrees(false, 1e6, 1e6));
        assert!(binding_agrees(false, 5e5, 1e6) && !binding_agrees(true, 5e5, 1e6));
    }
}

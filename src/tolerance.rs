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
}

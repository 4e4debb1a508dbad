//! A multi-year roadmap: the years a migration is planned over, the limits that hold in
//! each year, and the policy that tightens from a given year on.
//!
//! The yearly limits live in [`YearLimit`] (one enum, matched exhaustively wherever
//! they are enforced, checked or reported), next to the policy's [`PolicyLimit`]s that
//! apply to every year's placement.

use super::policy::{Policy, PolicyLimit};
use std::fmt;

/// A limit on each year of a roadmap, with its setting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum YearLimit {
    /// `max_moves_per_year`: at most this many services move in any one year.
    Moves(u32),
    /// `max_one_off_per_year`: the migration costs paid in any one year are at most this
    /// (EUR).
    OneOff(f64),
    /// `max_annual_cost`: 12 · monthly cost + one-off costs of any one year are at most
    /// this (EUR).
    AnnualCost(f64),
}

/// The kind of a [`YearLimit`], without its setting, in the file's field order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum YearLimitKind {
    /// `max_moves_per_year`.
    Moves,
    /// `max_one_off_per_year`.
    OneOff,
    /// `max_annual_cost`.
    AnnualCost,
}

impl YearLimitKind {
    /// Every kind, in file order.
    pub const ALL: [YearLimitKind; 3] = [
        YearLimitKind::Moves,
        YearLimitKind::OneOff,
        YearLimitKind::AnnualCost,
    ];

    /// The field name in the scenario's `roadmap` object.
    pub fn field(self) -> &'static str {
        match self {
            YearLimitKind::Moves => "max_moves_per_year",
            YearLimitKind::OneOff => "max_one_off_per_year",
            YearLimitKind::AnnualCost => "max_annual_cost",
        }
    }

    /// Whether the year's value is money (rounded to cents) rather than a count.
    pub fn is_money(self) -> bool {
        match self {
            YearLimitKind::Moves => false,
            YearLimitKind::OneOff | YearLimitKind::AnnualCost => true,
        }
    }
}

impl YearLimit {
    /// The kind of this limit.
    pub fn kind(&self) -> YearLimitKind {
        match self {
            YearLimit::Moves(_) => YearLimitKind::Moves,
            YearLimit::OneOff(_) => YearLimitKind::OneOff,
            YearLimit::AnnualCost(_) => YearLimitKind::AnnualCost,
        }
    }

    /// The setting as a number (every year limit is an upper bound).
    pub fn bound(&self) -> f64 {
        match *self {
            YearLimit::Moves(k) => f64::from(k),
            YearLimit::OneOff(v) | YearLimit::AnnualCost(v) => v,
        }
    }
}

impl fmt::Display for YearLimit {
    /// The setting as written in a scenario file.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            YearLimit::Moves(k) => write!(f, "{k}"),
            YearLimit::OneOff(v) | YearLimit::AnnualCost(v) => write!(f, "{v}"),
        }
    }
}

/// Policy limits that take effect from `year` on (each replaces the limit of its kind).
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyStep {
    /// First year the limits hold.
    pub year: i32,
    /// The limits set from that year (at most one per kind).
    pub limits: Vec<PolicyLimit>,
}

/// The years a migration is planned over and the limits of each year.
#[derive(Debug, Clone, PartialEq)]
pub struct Roadmap {
    /// First planning year.
    pub start_year: i32,
    /// Number of planning years (1..=20).
    pub years: u32,
    /// Limits on every year, at most one per kind, in [`YearLimitKind`] order.
    pub limits: Vec<YearLimit>,
    /// Policy changes, sorted by year (a later step of the same year wins).
    pub policy_from: Vec<PolicyStep>,
}

impl Roadmap {
    /// The planning years in order.
    pub fn year_list(&self) -> impl Iterator<Item = i32> + '_ {
        (0..self.years as i32).map(move |i| self.start_year + i)
    }

    /// The last planning year.
    pub fn final_year(&self) -> i32 {
        self.start_year + self.years as i32 - 1
    }

    /// The year limit of one kind, if set.
    pub fn limit(&self, kind: YearLimitKind) -> Option<YearLimit> {
        self.limits.iter().copied().find(|l| l.kind() == kind)
    }

    /// The policy in force in `year`: `base` overridden limit by limit by every step of
    /// that year or earlier, the latest winning.
    pub fn policy_in(&self, base: &Policy, year: i32) -> Policy {
        let mut p = base.clone();
        for step in self.policy_from.iter().filter(|s| s.year <= year) {
            for &l in &step.limits {
                p.set(l);
            }
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LimitKind;

    #[test]
    fn the_latest_step_wins_and_other_limits_stay() {
        let base = Policy::new(
            36.0,
            [PolicyLimit::CloudActShare(0.5), PolicyLimit::Budget(100.0)],
        );
        let r = Roadmap {
            start_year: 2027,
            years: 5,
            limits: vec![YearLimit::Moves(3)],
            policy_from: vec![
                PolicyStep {
                    year: 2028,
                    limits: vec![PolicyLimit::CloudActShare(0.3)],
                },
                PolicyStep {
                    year: 2031,
                    limits: vec![PolicyLimit::CloudActShare(0.0)],
                },
            ],
        };
        let share = |y| r.policy_in(&base, y).get(LimitKind::CloudActShare);
        assert_eq!(share(2027), Some(PolicyLimit::CloudActShare(0.5)));
        assert_eq!(share(2030), Some(PolicyLimit::CloudActShare(0.3)));
        assert_eq!(share(2031), Some(PolicyLimit::CloudActShare(0.0)));
        assert_eq!(
            r.policy_in(&base, 2031).get(LimitKind::Budget),
            Some(PolicyLimit::Budget(100.0))
        );
        assert_eq!(
            r.year_list().collect::<Vec<_>>(),
            (2027..=2031).collect::<Vec<_>>()
        );
        assert_eq!(r.final_year(), 2031);
        assert_eq!(r.limit(YearLimitKind::Moves), Some(YearLimit::Moves(3)));
        assert_eq!(r.limit(YearLimitKind::OneOff), None);
    }
}

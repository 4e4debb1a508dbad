//! The municipality's policy: one enum for every limit it can set, and the rules a
//! diagnosis or a "what does this rule cost" question can lift.
//!
//! Every layer that enforces, checks, reports or explains a limit matches on
//! [`PolicyLimit`] (or [`LimitKind`]) exhaustively, so that adding a limit kind is a
//! compile error everywhere it is not yet handled.

use std::fmt;

/// One policy limit with its setting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PolicyLimit {
    /// `max_provider_share`: no provider bills more than this share of the monthly cost.
    ProviderShare(f64),
    /// `min_providers`: at least this many providers are used.
    MinProviders(u32),
    /// `max_cloud_act_share`: CLOUD-Act-exposed providers together bill at most this share.
    CloudActShare(f64),
    /// `max_exit_cost`: leaving any one provider costs at most this (EUR, once).
    ExitCost(f64),
    /// `monthly_budget`: the monthly cost is at most this (EUR).
    Budget(f64),
}

/// The kind of a [`PolicyLimit`], without its setting.
///
/// The order is the file's order of the policy fields; explanations list conflicting
/// limits in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LimitKind {
    /// `max_provider_share`.
    ProviderShare,
    /// `min_providers`.
    MinProviders,
    /// `max_cloud_act_share`.
    CloudActShare,
    /// `max_exit_cost`.
    ExitCost,
    /// `monthly_budget`.
    Budget,
}

/// Whether a limit holds for the whole plan or for each provider separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One value for the whole plan.
    Plan,
    /// One value per used provider.
    PerProvider,
}

impl LimitKind {
    /// Every kind, in file order.
    pub const ALL: [LimitKind; 5] = [
        LimitKind::ProviderShare,
        LimitKind::MinProviders,
        LimitKind::CloudActShare,
        LimitKind::ExitCost,
        LimitKind::Budget,
    ];

    /// The field name in the scenario's `policy` object.
    pub fn field(self) -> &'static str {
        match self {
            LimitKind::ProviderShare => "max_provider_share",
            LimitKind::MinProviders => "min_providers",
            LimitKind::CloudActShare => "max_cloud_act_share",
            LimitKind::ExitCost => "max_exit_cost",
            LimitKind::Budget => "monthly_budget",
        }
    }

    /// Whether the limit applies to the plan as a whole or to each provider.
    pub fn scope(self) -> Scope {
        match self {
            LimitKind::ProviderShare | LimitKind::ExitCost => Scope::PerProvider,
            LimitKind::MinProviders | LimitKind::CloudActShare | LimitKind::Budget => Scope::Plan,
        }
    }

    /// Whether the plan's value must stay at or above the bound (otherwise at or below).
    pub fn is_lower_bound(self) -> bool {
        match self {
            LimitKind::MinProviders => true,
            LimitKind::ProviderShare
            | LimitKind::CloudActShare
            | LimitKind::ExitCost
            | LimitKind::Budget => false,
        }
    }

    /// Whether the limit guards against lock-in (lifted together as `all_lock_in` when
    /// pricing rules); the budget is about money, not suppliers.
    pub fn is_lock_in(self) -> bool {
        match self {
            LimitKind::ProviderShare
            | LimitKind::MinProviders
            | LimitKind::CloudActShare
            | LimitKind::ExitCost => true,
            LimitKind::Budget => false,
        }
    }

    /// Whether the plan's value is money (rounded to cents) rather than a share or count.
    pub fn is_money(self) -> bool {
        match self {
            LimitKind::ExitCost | LimitKind::Budget => true,
            LimitKind::ProviderShare | LimitKind::MinProviders | LimitKind::CloudActShare => false,
        }
    }
}

impl PolicyLimit {
    /// The kind of this limit.
    pub fn kind(&self) -> LimitKind {
        match self {
            PolicyLimit::ProviderShare(_) => LimitKind::ProviderShare,
            PolicyLimit::MinProviders(_) => LimitKind::MinProviders,
            PolicyLimit::CloudActShare(_) => LimitKind::CloudActShare,
            PolicyLimit::ExitCost(_) => LimitKind::ExitCost,
            PolicyLimit::Budget(_) => LimitKind::Budget,
        }
    }

    /// The setting as a number (the bound a plan's value is compared with).
    pub fn bound(&self) -> f64 {
        match *self {
            PolicyLimit::ProviderShare(v)
            | PolicyLimit::CloudActShare(v)
            | PolicyLimit::ExitCost(v)
            | PolicyLimit::Budget(v) => v,
            PolicyLimit::MinProviders(k) => f64::from(k),
        }
    }
}

impl fmt::Display for PolicyLimit {
    /// The setting as written in a scenario file.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyLimit::MinProviders(k) => write!(f, "{k}"),
            PolicyLimit::ProviderShare(v)
            | PolicyLimit::CloudActShare(v)
            | PolicyLimit::ExitCost(v)
            | PolicyLimit::Budget(v) => write!(f, "{v}"),
        }
    }
}

/// The municipality's limits: a horizon and at most one limit of each kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Months over which monthly costs count.
    pub horizon_months: f64,
    /// At most one limit per kind, in [`LimitKind`] order (kept so by [`Policy::set`]).
    limits: Vec<PolicyLimit>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            horizon_months: 36.0,
            limits: Vec::new(),
        }
    }
}

impl Policy {
    /// A policy with the given horizon and limits (a later limit of a kind replaces an
    /// earlier one).
    pub fn new(horizon_months: f64, limits: impl IntoIterator<Item = PolicyLimit>) -> Self {
        let mut p = Policy {
            horizon_months,
            limits: Vec::new(),
        };
        for l in limits {
            p.set(l);
        }
        p
    }

    /// The limits that are set, in [`LimitKind`] order.
    pub fn limits(&self) -> &[PolicyLimit] {
        &self.limits
    }

    /// The limit of one kind, if set.
    pub fn get(&self, kind: LimitKind) -> Option<PolicyLimit> {
        self.limits.iter().copied().find(|l| l.kind() == kind)
    }

    /// Sets a limit, replacing any of the same kind.
    pub fn set(&mut self, limit: PolicyLimit) {
        self.lift(limit.kind());
        let at = self
            .limits
            .iter()
            .position(|l| l.kind() > limit.kind())
            .unwrap_or(self.limits.len());
        self.limits.insert(at, limit);
    }

    /// Removes the limit of one kind (no-op when it is not set).
    pub fn lift(&mut self, kind: LimitKind) {
        self.limits.retain(|l| l.kind() != kind);
    }
}

/// A rule a scenario can hold that can be lifted as a whole: to find which rules
/// conflict, or what a rule costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// Offering capacities.
    Capacity,
    /// `colocate` rules of dependencies.
    Colocation,
    /// One policy limit.
    Limit(LimitKind),
}

impl Rule {
    /// Every rule family, in the order explanations list them.
    pub fn all() -> impl Iterator<Item = Rule> {
        [Rule::Capacity, Rule::Colocation]
            .into_iter()
            .chain(LimitKind::ALL.into_iter().map(Rule::Limit))
    }

    /// How the rule is named in messages (its place in the scenario file).
    pub fn name(self) -> &'static str {
        match self {
            Rule::Capacity => "offering capacity",
            Rule::Colocation => "dependency colocate rules",
            Rule::Limit(LimitKind::ProviderShare) => "policy.max_provider_share",
            Rule::Limit(LimitKind::MinProviders) => "policy.min_providers",
            Rule::Limit(LimitKind::CloudActShare) => "policy.max_cloud_act_share",
            Rule::Limit(LimitKind::ExitCost) => "policy.max_exit_cost",
            Rule::Limit(LimitKind::Budget) => "policy.monthly_budget",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_keeps_one_limit_per_kind_in_kind_order() {
        let mut p = Policy::new(
            36.0,
            [PolicyLimit::Budget(10.0), PolicyLimit::ProviderShare(0.5)],
        );
        p.set(PolicyLimit::Budget(20.0));
        p.set(PolicyLimit::MinProviders(2));
        assert_eq!(
            p.limits(),
            [
                PolicyLimit::ProviderShare(0.5),
                PolicyLimit::MinProviders(2),
                PolicyLimit::Budget(20.0)
            ]
        );
        p.lift(LimitKind::ProviderShare);
        assert_eq!(p.get(LimitKind::ProviderShare), None);
        assert_eq!(p.get(LimitKind::Budget), Some(PolicyLimit::Budget(20.0)));
    }

    #[test]
    fn every_kind_has_a_rule_name_in_the_policy() {
        for k in LimitKind::ALL {
            assert_eq!(Rule::Limit(k).name(), format!("policy.{}", k.field()));
        }
    }
}

//! The rows a roadmap plan adds to a single-period plan: one per year, one per service
//! and year, one per provider and year.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a roadmap does with a service in one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum YearChange {
    /// It runs nowhere today and is placed in the first year.
    New,
    /// It runs where it ran the year before (or, in the first year, where it runs today).
    Stays,
    /// It moves to its target offering this year.
    Moves,
}

/// One planning year's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearRow {
    /// Calendar year.
    pub year: i32,
    /// Monthly cost of the year's placement (runs, traffic, fees).
    pub monthly_cost: f64,
    /// Migration costs of the year's moves.
    pub one_off_cost: f64,
    /// 12 · monthly_cost + one_off_cost.
    pub annual_cost: f64,
    /// Services that move this year.
    pub moves: usize,
    /// Providers with at least one service this year.
    pub providers_used: usize,
    /// Largest share of the monthly cost any one provider bills this year.
    pub max_share: f64,
    /// Share of the monthly cost billed by CLOUD-Act-exposed providers this year.
    pub cloud_act_share: f64,
}

/// Where one service runs in one year and what it costs then.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleRow {
    /// Service id.
    pub service: String,
    /// Calendar year.
    pub year: i32,
    /// Offering it runs on that year.
    pub offering: String,
    /// Provider of that offering.
    pub provider: String,
    /// Its run cost plus the traffic it sends, per month, that year.
    pub monthly_cost: f64,
    /// Its migration cost, paid in the year it moves (0 otherwise).
    pub one_off_cost: f64,
    /// New, stays or moves.
    pub change: YearChange,
}

/// One provider's bill and lock-in in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderYearRow {
    /// Calendar year.
    pub year: i32,
    /// Provider id.
    pub provider: String,
    /// Number of services placed there that year.
    pub services: usize,
    /// Monthly fee billed because the provider is used that year (0 when unused).
    pub fee: f64,
    /// Monthly bill that year: runs, traffic sent, fee.
    pub spend: f64,
    /// spend / that year's monthly_cost.
    pub share: f64,
    /// What leaving this provider would cost once, at that year's placement.
    pub exit_cost: f64,
}

//! The scenario file format: serde types that mirror the JSON exactly.
//!
//! These types are the public contract with users' files. They are deliberately
//! separate from the validated [`crate::model`]: every field is as loose as JSON
//! allows (numbers are `f64`, references are strings), and `validate` turns them
//! into typed, checked domain objects. Unknown fields are rejected so that a typo
//! can never silently change a plan.

pub mod import;
pub mod overrides;
pub mod read;
pub mod schema;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One scenario file (the top file or an included catalogue).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// The JSON Schema this file follows (`sovplan schema scenario`), for editors
    /// that complete and check the file; ignored by sovplan.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Scenario name; required in the top file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Free text: the question the scenario answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Files, relative to this one, whose entities are merged in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Cloud suppliers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub providers: Vec<ProviderDef>,
    /// What can be bought from the suppliers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offerings: Vec<OfferingDef>,
    /// Legal classes of data and where they may be processed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_classes: Vec<DataClassDef>,
    /// The municipality's IT services.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<ServiceDef>,
    /// Traffic and co-location between services.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<DependencyDef>,
    /// Limits; only read from the top file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyDef>,
    /// Plan the migration year by year instead of over one horizon; only read from the
    /// top file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roadmap: Option<RoadmapDef>,
}

/// A supplier as written in the file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderDef {
    /// Unique id.
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Documentation only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the provider facts come from (documentation only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// ISO 3166-1 alpha-2 country of the controlling company.
    pub headquarters: String,
    /// Whether the provider is controlled by a company subject to the US CLOUD Act.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_act_exposed: Option<bool>,
    /// Fixed fee per month once anything runs there (EUR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_fee: Option<f64>,
}

/// Unit prices of an offering, EUR.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PricesDef {
    /// Per vCPU and month.
    pub vcpu_month: f64,
    /// Per GB of RAM and month.
    pub ram_gb_month: f64,
    /// Per GB of block storage and month.
    pub storage_gb_month: f64,
    /// Per GB sent to another provider or the internet.
    pub egress_gb: f64,
    /// Per GB sent to another offering of the same provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inter_region_gb: Option<f64>,
}

/// Optional capacity limits of an offering.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityDef {
    /// vCPUs available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcpu: Option<f64>,
    /// GB of RAM available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ram_gb: Option<f64>,
    /// GB of storage available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_gb: Option<f64>,
}

/// An offering (region / product) as written in the file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferingDef {
    /// Unique id.
    pub id: String,
    /// Id of the provider selling it.
    pub provider: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Documentation only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Provider's region name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 country of the data centre.
    pub country: String,
    /// SEAL level 0..4 of the EU Cloud Sovereignty Framework.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sovereignty_level: Option<f64>,
    /// Where the sovereignty level comes from (documentation only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sovereignty_source: Option<String>,
    /// Certifications held, e.g. `BSI-C5`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certifications: Vec<String>,
    /// Where the certifications are documented (documentation only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certification_source: Option<String>,
    /// Portable, open APIs: leaving needs no re-platforming.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_standards: Option<bool>,
    /// Unit prices.
    pub prices: PricesDef,
    /// Capacity limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<CapacityDef>,
    /// Where the prices come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The date of the price list the vCPU and RAM prices were read from (for prices
    /// derived from another offering, that offering's date; for pure estimates, the
    /// day the estimate was made). Documentation that plans pass on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<IsoDate>,
    /// Whether at least one unit price is an estimate or assumed from another offering
    /// rather than read from a published price of this one (default false). Plans list
    /// the offerings they use that are marked so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate: Option<bool>,
}

/// A calendar date written `YYYY-MM-DD` (ISO 8601), checked when the file is read so
/// that a typo such as `2026-13-01` is an error with its JSON path, not a silent string.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IsoDate(String);

impl JsonSchema for IsoDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "IsoDate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // The pattern checks the shape; that the day exists is checked when read (E003).
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A calendar date written YYYY-MM-DD (ISO 8601)."
        })
    }
}

impl IsoDate {
    /// The date as written, `YYYY-MM-DD`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for IsoDate {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        if is_iso_date(&s) {
            Ok(IsoDate(s))
        } else {
            Err(format!("\"{s}\" is not a calendar date written YYYY-MM-DD"))
        }
    }
}

impl From<IsoDate> for String {
    fn from(d: IsoDate) -> String {
        d.0
    }
}

impl std::fmt::Display for IsoDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `YYYY-MM-DD` with a year from 0001, a month 01–12 and a day that exists in that
/// month (29 February only in leap years).
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1 && (1..=days).contains(&d)
}

/// A data class as written in the file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataClassDef {
    /// Unique id.
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Documentation only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Legal basis (documentation only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// Countries where the data may be processed; absent = any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_countries: Option<Vec<String>>,
    /// Minimum SEAL level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_sovereignty_level: Option<f64>,
    /// Certifications an offering must hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_certifications: Vec<String>,
    /// Exclude providers exposed to the US CLOUD Act.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forbid_cloud_act: Option<bool>,
}

/// Resource demand of a service.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DemandDef {
    /// vCPUs.
    pub vcpu: f64,
    /// GB of RAM.
    pub ram_gb: f64,
    /// GB of storage.
    pub storage_gb: f64,
    /// GB sent to the internet per month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress_gb_month: Option<f64>,
}

/// A service as written in the file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceDef {
    /// Unique id.
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Documentation only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Id of the service's data class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_class: Option<String>,
    /// Resource demand.
    pub demand: DemandDef,
    /// Where the demand figures come from (documentation only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demand_source: Option<String>,
    /// Where the service runs today.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_offering: Option<String>,
    /// One-off cost of moving it away from `current_offering` (EUR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migration_cost: Option<f64>,
    /// One-off cost of rebuilding it when leaving a non-open offering (EUR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replatform_cost: Option<f64>,
    /// Only these offerings may host it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_offerings: Option<Vec<String>>,
    /// These offerings may not host it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forbidden_offerings: Vec<String>,
    /// In a roadmap: the first year the service may move (its current contract runs
    /// until then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub movable_from: Option<i64>,
}

/// How two dependent services must be placed.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ColocateDef {
    /// Same offering.
    Offering,
    /// Same provider.
    Provider,
}

/// A dependency as written in the file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DependencyDef {
    /// Service that sends the traffic.
    pub from: String,
    /// Service that receives it.
    pub to: String,
    /// GB per month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic_gb_month: Option<f64>,
    /// Placement coupling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colocate: Option<ColocateDef>,
    /// Documentation only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The municipality's policy limits.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyDef {
    /// Planning horizon in months (default 36).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "whole_as_integer"
    )]
    pub horizon_months: Option<f64>,
    /// Largest share of monthly cost any one provider may bill, in (0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_provider_share: Option<f64>,
    /// Fewest providers in use.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "whole_as_integer"
    )]
    pub min_providers: Option<f64>,
    /// Largest share of monthly cost billed by CLOUD-Act-exposed providers, in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_cloud_act_share: Option<f64>,
    /// Largest exit cost of any provider (EUR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_exit_cost: Option<f64>,
    /// Largest monthly cost (EUR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_budget: Option<f64>,
}

/// A migration planned year by year.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoadmapDef {
    /// First planning year (e.g. 2027).
    pub start_year: i64,
    /// Number of planning years, 1 to 20.
    pub years: i64,
    /// Most services that may move in any one year.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "whole_as_integer"
    )]
    pub max_moves_per_year: Option<f64>,
    /// Most migration costs paid in any one year (EUR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_one_off_per_year: Option<f64>,
    /// Most of 12 · monthly cost + migration costs in any one year (EUR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_annual_cost: Option<f64>,
    /// Policy limits that change from a given year on (the latest entry of a year or
    /// earlier wins, field by field).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policy_from: Vec<PolicyStepDef>,
}

/// Policy limits in force from `year` on: any policy field except `horizon_months`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyStepDef {
    /// First year these limits hold.
    pub year: i64,
    /// Largest share of monthly cost any one provider may bill, in (0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_provider_share: Option<f64>,
    /// Fewest providers in use.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "whole_as_integer"
    )]
    pub min_providers: Option<f64>,
    /// Largest share of monthly cost billed by CLOUD-Act-exposed providers, in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_cloud_act_share: Option<f64>,
    /// Largest exit cost of any provider (EUR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_exit_cost: Option<f64>,
    /// Largest monthly cost (EUR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_budget: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist_in_the_calendar() {
        for ok in ["2026-10-28", "2024-02-29", "2000-02-29", "0001-01-01"] {
            assert!(IsoDate::try_from(ok.to_string()).is_ok(), "{ok}");
        }
        for bad in [
            "2026-13-01",
            "2026-02-29",
            "1900-02-29",
            "2026-04-31",
            "2026-1-01",
            "26-10-28",
            "2026/10/28",
            "0000-01-01",
            "2026-10-28T00:00",
            "",
        ] {
            assert!(IsoDate::try_from(bad.to_string()).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_bad_as_of_is_a_read_error_with_its_path() {
        let json = r#"{"id": "o", "provider": "p", "country": "DE", "as_of": "2026-02-30",
            "prices": {"vcpu_month": 1, "ram_gb_month": 1, "storage_gb_month": 1, "egress_gb": 0}}"#;
        let err = crate::format::read::parse_json::<OfferingDef>(json, "x.json").unwrap_err();
        assert_eq!(err.code, "E003");
        assert!(err.location.ends_with("as_of"), "{}", err.location);
        assert!(err.message.contains("2026-02-30"), "{}", err.message);
    }
}

/// Writes a whole number without a fractional part (`4`, not `4.0`): counts such as
/// `min_providers` and `horizon_months` are integers to every JSON consumer (stricter
/// ones reject `4.0` where an integer is expected). Reading still takes any number, so
/// that a fractional count is reported by validation rather than as a type error.
fn whole_as_integer<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match *v {
        // 2^53: every whole f64 below it is an exact i64.
        Some(x) if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 => {
            s.serialize_some(&(x as i64))
        }
        Some(x) => s.serialize_some(&x),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod count_tests {
    use super::PolicyDef;

    #[test]
    fn counts_are_written_as_integers() {
        let p = PolicyDef {
            horizon_months: Some(36.0),
            min_providers: Some(4.0),
            max_provider_share: Some(0.5),
            ..Default::default()
        };
        let text = serde_json::to_string(&p).unwrap();
        assert_eq!(
            text,
            r#"{"horizon_months":36,"max_provider_share":0.5,"min_providers":4}"#
        );
        let back: PolicyDef = serde_json::from_str(&text).unwrap();
        assert_eq!(back, p);
        // A fractional count stays fractional, for validation (E111) to report.
        let odd = PolicyDef {
            min_providers: Some(2.5),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&odd).unwrap(),
            r#"{"min_providers":2.5}"#
        );
    }
}

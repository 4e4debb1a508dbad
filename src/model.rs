//! The validated domain model: typed ids, checked values, and the eligibility rules.
//!
//! Nothing here knows about files, the CLI or the solver. A [`Scenario`] can only be
//! built by [`crate::validate`], so code that holds one may rely on every reference
//! resolving and every number being finite and within range.

use crate::format::Colocate;
use std::fmt;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);
        impl $name {
            /// Position in the scenario's vector.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

typed_id!(
    /// Index of a provider in [`Scenario::providers`].
    ProviderId
);
typed_id!(
    /// Index of an offering in [`Scenario::offerings`].
    OfferingId
);
typed_id!(
    /// Index of a data class in [`Scenario::data_classes`].
    DataClassId
);
typed_id!(
    /// Index of a service in [`Scenario::services`].
    ServiceId
);
typed_id!(
    /// Index of a dependency in [`Scenario::dependencies`].
    DependencyId
);

/// A cloud supplier.
#[derive(Debug, Clone, PartialEq)]
pub struct Provider {
    /// Id as written.
    pub id: String,
    /// Display name (defaults to the id).
    pub name: String,
    /// ISO country of the controlling company.
    pub headquarters: String,
    /// Controlled by a company subject to the US CLOUD Act.
    pub cloud_act_exposed: bool,
    /// Fixed monthly fee once used (EUR).
    pub monthly_fee: f64,
}

/// Unit prices in EUR.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prices {
    /// Per vCPU-month.
    pub vcpu_month: f64,
    /// Per GB-month of RAM.
    pub ram_gb_month: f64,
    /// Per GB-month of storage.
    pub storage_gb_month: f64,
    /// Per GB to another provider.
    pub egress_gb: f64,
    /// Per GB to another offering of the same provider.
    pub inter_region_gb: f64,
}

/// Capacity limits; `None` is unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Capacity {
    /// vCPUs.
    pub vcpu: Option<f64>,
    /// GB of RAM.
    pub ram_gb: Option<f64>,
    /// GB of storage.
    pub storage_gb: Option<f64>,
}

/// Something a service can be placed on.
#[derive(Debug, Clone, PartialEq)]
pub struct Offering {
    /// Id as written.
    pub id: String,
    /// Seller.
    pub provider: ProviderId,
    /// ISO country of the data centre.
    pub country: String,
    /// SEAL level 0..=4.
    pub sovereignty_level: u8,
    /// Certifications held.
    pub certifications: Vec<String>,
    /// Open, portable APIs.
    pub open_standards: bool,
    /// Unit prices.
    pub prices: Prices,
    /// Capacity limits.
    pub capacity: Capacity,
}

/// Where data of one legal class may be processed.
#[derive(Debug, Clone, PartialEq)]
pub struct DataClass {
    /// Id as written.
    pub id: String,
    /// Allowed countries; `None` = any.
    pub allowed_countries: Option<Vec<String>>,
    /// Minimum SEAL level.
    pub min_sovereignty_level: u8,
    /// Certifications required of the offering.
    pub required_certifications: Vec<String>,
    /// Exclude CLOUD-Act-exposed providers.
    pub forbid_cloud_act: bool,
}

/// Resource demand of a service.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Demand {
    /// vCPUs.
    pub vcpu: f64,
    /// GB of RAM.
    pub ram_gb: f64,
    /// GB of storage.
    pub storage_gb: f64,
    /// GB per month to the internet.
    pub egress_gb_month: f64,
}

/// A municipal IT service to be placed.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Id as written.
    pub id: String,
    /// Display name (defaults to the id).
    pub name: String,
    /// Legal data class.
    pub data_class: Option<DataClassId>,
    /// Resource demand.
    pub demand: Demand,
    /// Where it runs today.
    pub current_offering: Option<OfferingId>,
    /// One-off cost of moving it away from `current_offering`.
    pub migration_cost: f64,
    /// One-off cost of rebuilding it elsewhere when it sits on a non-open offering.
    pub replatform_cost: f64,
    /// Only these offerings (sorted, deduplicated); `None` = any.
    pub allowed_offerings: Option<Vec<OfferingId>>,
    /// Never these offerings (sorted, deduplicated).
    pub forbidden_offerings: Vec<OfferingId>,
}

/// Traffic from one service to another, and how they must be placed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dependency {
    /// Sender.
    pub from: ServiceId,
    /// Receiver.
    pub to: ServiceId,
    /// GB per month.
    pub traffic_gb_month: f64,
    /// Placement coupling.
    pub colocate: Option<Colocate>,
}

/// The municipality's limits, all optional except the horizon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    /// Months over which monthly costs count.
    pub horizon_months: f64,
    /// Share of monthly cost any one provider may bill.
    pub max_provider_share: Option<f64>,
    /// Fewest providers in use.
    pub min_providers: Option<u32>,
    /// Share of monthly cost CLOUD-Act-exposed providers may bill together.
    pub max_cloud_act_share: Option<f64>,
    /// Largest exit cost of any provider.
    pub max_exit_cost: Option<f64>,
    /// Largest monthly cost.
    pub monthly_budget: Option<f64>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            horizon_months: 36.0,
            max_provider_share: None,
            min_providers: None,
            max_cloud_act_share: None,
            max_exit_cost: None,
            monthly_budget: None,
        }
    }
}

/// A validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Scenario name.
    pub name: String,
    /// Suppliers.
    pub providers: Vec<Provider>,
    /// Offerings.
    pub offerings: Vec<Offering>,
    /// Data classes.
    pub data_classes: Vec<DataClass>,
    /// Services.
    pub services: Vec<Service>,
    /// Dependencies.
    pub dependencies: Vec<Dependency>,
    /// Policy limits.
    pub policy: Policy,
}

/// Why an offering may not host a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exclusion {
    /// Not in the service's `allowed_offerings`.
    NotAllowed,
    /// In the service's `forbidden_offerings`.
    Forbidden,
    /// The data class does not allow the offering's country.
    Country {
        /// Offering's country.
        country: String,
    },
    /// SEAL level too low for the data class.
    Sovereignty {
        /// Offering's level.
        level: u8,
        /// Data class minimum.
        min: u8,
    },
    /// A certification the data class requires is missing.
    Certification(String),
    /// The data class forbids CLOUD-Act-exposed providers.
    CloudAct,
}

impl fmt::Display for Exclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Exclusion::NotAllowed => write!(f, "not in allowed_offerings"),
            Exclusion::Forbidden => write!(f, "in forbidden_offerings"),
            Exclusion::Country { country } => {
                write!(f, "country {country} not allowed for the data class")
            }
            Exclusion::Sovereignty { level, min } => {
                write!(f, "sovereignty level {level} < required {min}")
            }
            Exclusion::Certification(c) => write!(f, "lacks certification {c}"),
            Exclusion::CloudAct => write!(f, "provider is exposed to the CLOUD Act"),
        }
    }
}

impl Scenario {
    /// Every reason why offering `o` may not host service `s`; empty = eligible.
    pub fn exclusions(&self, s: ServiceId, o: OfferingId) -> Vec<Exclusion> {
        let svc = &self.services[s.index()];
        let off = &self.offerings[o.index()];
        let mut why = Vec::new();
        if let Some(allowed) = &svc.allowed_offerings {
            if allowed.binary_search(&o).is_err() {
                why.push(Exclusion::NotAllowed);
            }
        }
        if svc.forbidden_offerings.binary_search(&o).is_ok() {
            why.push(Exclusion::Forbidden);
        }
        if let Some(dc) = svc.data_class {
            let dc = &self.data_classes[dc.index()];
            if let Some(countries) = &dc.allowed_countries {
                if !countries.contains(&off.country) {
                    why.push(Exclusion::Country {
                        country: off.country.clone(),
                    });
                }
            }
            if off.sovereignty_level < dc.min_sovereignty_level {
                why.push(Exclusion::Sovereignty {
                    level: off.sovereignty_level,
                    min: dc.min_sovereignty_level,
                });
            }
            for c in &dc.required_certifications {
                if !off.certifications.contains(c) {
                    why.push(Exclusion::Certification(c.clone()));
                }
            }
            if dc.forbid_cloud_act && self.providers[off.provider.index()].cloud_act_exposed {
                why.push(Exclusion::CloudAct);
            }
        }
        why
    }

    /// Whether offering `o` may host service `s`.
    pub fn is_eligible(&self, s: ServiceId, o: OfferingId) -> bool {
        self.exclusions(s, o).is_empty()
    }

    /// The offerings that may host service `s`, in scenario order.
    pub fn eligible(&self, s: ServiceId) -> Vec<OfferingId> {
        self.offering_ids()
            .filter(|&o| self.is_eligible(s, o))
            .collect()
    }

    /// All service ids in order.
    pub fn service_ids(&self) -> impl Iterator<Item = ServiceId> {
        (0..self.services.len() as u32).map(ServiceId)
    }

    /// All offering ids in order.
    pub fn offering_ids(&self) -> impl Iterator<Item = OfferingId> {
        (0..self.offerings.len() as u32).map(OfferingId)
    }

    /// All provider ids in order.
    pub fn provider_ids(&self) -> impl Iterator<Item = ProviderId> {
        (0..self.providers.len() as u32).map(ProviderId)
    }

    /// The provider selling offering `o`.
    pub fn provider_of(&self, o: OfferingId) -> ProviderId {
        self.offerings[o.index()].provider
    }
}

/// A capacity dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dim {
    /// vCPUs.
    Vcpu,
    /// GB of RAM.
    RamGb,
    /// GB of storage.
    StorageGb,
}

impl Dim {
    /// All dimensions in file order.
    pub const ALL: [Dim; 3] = [Dim::Vcpu, Dim::RamGb, Dim::StorageGb];

    /// Field name in the file.
    pub fn name(self) -> &'static str {
        match self {
            Dim::Vcpu => "vcpu",
            Dim::RamGb => "ram_gb",
            Dim::StorageGb => "storage_gb",
        }
    }
}

impl Demand {
    /// Demand in one dimension.
    pub fn get(&self, d: Dim) -> f64 {
        match d {
            Dim::Vcpu => self.vcpu,
            Dim::RamGb => self.ram_gb,
            Dim::StorageGb => self.storage_gb,
        }
    }
}

impl Capacity {
    /// Capacity in one dimension; `None` is unlimited.
    pub fn get(&self, d: Dim) -> Option<f64> {
        match d {
            Dim::Vcpu => self.vcpu,
            Dim::RamGb => self.ram_gb,
            Dim::StorageGb => self.storage_gb,
        }
    }
}

//! The validated domain model: typed ids, checked values, and the eligibility rules.
//!
//! Nothing here knows about files, the CLI or the solver. A [`Scenario`] can only be
//! built by [`crate::validate`], so code that holds one may rely on every reference
//! resolving and every number being finite and within range.

pub mod cost;
mod eligibility;
mod policy;
mod roadmap;

pub use eligibility::Exclusion;
pub use policy::{LimitKind, Policy, PolicyLimit, Rule, Scope};
pub use roadmap::{PolicyStep, Roadmap, YearLimit, YearLimitKind};

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
    /// Display name (defaults to the id).
    pub name: String,
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
    /// Date of the price list the prices come from (`YYYY-MM-DD`), if the catalogue
    /// gives one.
    pub as_of: Option<String>,
    /// Whether the catalogue marks the prices as estimates (plans list such offerings).
    pub estimate: bool,
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
    /// In a roadmap: the first year it may move (its current contract runs until
    /// then); `None` = any year.
    pub movable_from: Option<i32>,
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

/// How two dependent services must be placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Colocate {
    /// On the same offering.
    Offering,
    /// At the same provider.
    Provider,
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
    /// The years the migration is planned over; `None` = one period of
    /// `policy.horizon_months`.
    pub roadmap: Option<Roadmap>,
}

impl Scenario {
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

    /// Whether the scenario holds `rule` at all (a limit that is set, a capacity or a
    /// `colocate` somewhere).
    pub fn has(&self, rule: Rule) -> bool {
        match rule {
            Rule::Capacity => self
                .offerings
                .iter()
                .any(|o| o.capacity != Capacity::default()),
            Rule::Colocation => self.dependencies.iter().any(|d| d.colocate.is_some()),
            Rule::Limit(kind) => self.policy.get(kind).is_some(),
        }
    }

    /// Whether a limit of `kind` holds in some year: in the policy, or (roadmaps) in a
    /// `policy_from` step.
    pub fn sets_anywhere(&self, kind: LimitKind) -> bool {
        self.policy.get(kind).is_some()
            || self.roadmap.as_ref().is_some_and(|r| {
                r.policy_from
                    .iter()
                    .any(|s| s.limits.iter().any(|l| l.kind() == kind))
            })
    }

    /// The same scenario with the limits of `kind` lifted in every year: from the
    /// policy and from every roadmap step (what "without this limit" means for a
    /// roadmap whose limit tightens over the years).
    pub fn without_everywhere(&self, kind: LimitKind) -> Scenario {
        let mut sc = self.without(Rule::Limit(kind));
        if let Some(r) = sc.roadmap.as_mut() {
            for step in &mut r.policy_from {
                step.limits.retain(|l| l.kind() != kind);
            }
        }
        sc
    }

    /// The same scenario with `rule` lifted: every capacity, every `colocate`, or one
    /// policy limit removed.
    pub fn without(&self, rule: Rule) -> Scenario {
        let mut sc = self.clone();
        match rule {
            Rule::Capacity => sc
                .offerings
                .iter_mut()
                .for_each(|o| o.capacity = Capacity::default()),
            Rule::Colocation => sc.dependencies.iter_mut().for_each(|d| d.colocate = None),
            Rule::Limit(kind) => sc.policy.lift(kind),
        }
        sc
    }

    /// The same scenario with every restriction of data class `dc` lifted (any country,
    /// any sovereignty level, no certification, CLOUD-Act-exposed providers allowed).
    /// Services keep the class; only what it demands is gone.
    pub fn without_data_class_rules(&self, dc: DataClassId) -> Scenario {
        let mut sc = self.clone();
        let c = &mut sc.data_classes[dc.index()];
        c.allowed_countries = None;
        c.min_sovereignty_level = 0;
        c.required_certifications.clear();
        c.forbid_cloud_act = false;
        sc
    }

    /// The data classes that at least one service uses, in scenario order.
    pub fn used_data_classes(&self) -> Vec<DataClassId> {
        let mut used = vec![false; self.data_classes.len()];
        for s in &self.services {
            if let Some(dc) = s.data_class {
                used[dc.index()] = true;
            }
        }
        (0..used.len())
            .filter(|&i| used[i])
            .map(|i| DataClassId(i as u32))
            .collect()
    }

    /// Whether offering `o` has a capacity limit in any dimension.
    pub fn has_capacity(&self, o: OfferingId) -> bool {
        self.offerings[o.index()].capacity != Capacity::default()
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

//! Which offering may host which service, and why not: the one definition of the
//! eligibility rules (service lists and data-class rules), used by the instance, the
//! explanation, the heuristic and the generator alike.

use super::{DataClass, Offering, OfferingId, Provider, Scenario, ServiceId};
use std::fmt;

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

impl DataClass {
    /// Every data-class rule that offering `off` of `provider` breaks; empty = allowed.
    pub fn exclusions(&self, off: &Offering, provider: &Provider) -> Vec<Exclusion> {
        let mut why = Vec::new();
        if let Some(countries) = &self.allowed_countries {
            if !countries.contains(&off.country) {
                why.push(Exclusion::Country {
                    country: off.country.clone(),
                });
            }
        }
        if off.sovereignty_level < self.min_sovereignty_level {
            why.push(Exclusion::Sovereignty {
                level: off.sovereignty_level,
                min: self.min_sovereignty_level,
            });
        }
        for c in &self.required_certifications {
            if !off.certifications.contains(c) {
                why.push(Exclusion::Certification(c.clone()));
            }
        }
        if self.forbid_cloud_act && provider.cloud_act_exposed {
            why.push(Exclusion::CloudAct);
        }
        why
    }

    /// Whether the class allows data on offering `off` of `provider`.
    pub fn admits(&self, off: &Offering, provider: &Provider) -> bool {
        self.exclusions(off, provider).is_empty()
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
            let provider = &self.providers[off.provider.index()];
            why.extend(self.data_classes[dc.index()].exclusions(off, provider));
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
}

//! C201: every service runs on an offering it may use.
//!
//! This is the checker's own reading of the eligibility rules, on purpose not
//! [`crate::model::Exclusion`]: the instance, the heuristic and the explanation all
//! use that one, so a mistake there would otherwise pass unnoticed.

use super::view::View;
use super::Violation;
use crate::model::{DataClass, Offering, OfferingId, Scenario, Service};

pub(super) fn check(sc: &Scenario, view: &View, out: &mut Vec<Violation>) {
    for (s, svc) in sc.services.iter().enumerate() {
        let o = view.placement[s];
        let off = &sc.offerings[o.index()];
        let why = reasons(sc, svc, o);
        if !why.is_empty() {
            out.push(Violation::new(
                "C201",
                format!(
                    "service \"{}\" may not run on \"{}\": {}",
                    svc.id,
                    off.id,
                    why.join(", ")
                ),
            ));
        }
    }
}

/// Everything that forbids `svc` to run on `o`: its own lists, then its data class's
/// rules; empty when it may.
pub(super) fn reasons(sc: &Scenario, svc: &Service, o: OfferingId) -> Vec<String> {
    let mut why = list_reasons(svc, o);
    if let Some(dc) = svc.data_class {
        why.extend(data_class_reasons(
            sc,
            &sc.data_classes[dc.index()],
            &sc.offerings[o.index()],
        ));
    }
    why
}

/// What the service's own `allowed_offerings` and `forbidden_offerings` say against `o`.
fn list_reasons(svc: &Service, o: OfferingId) -> Vec<String> {
    let mut why = Vec::new();
    if let Some(allowed) = &svc.allowed_offerings {
        if !allowed.contains(&o) {
            why.push("not in allowed_offerings".to_string());
        }
    }
    if svc.forbidden_offerings.contains(&o) {
        why.push("in forbidden_offerings".to_string());
    }
    why
}

/// What the data class's rules say against `off`.
fn data_class_reasons(sc: &Scenario, dc: &DataClass, off: &Offering) -> Vec<String> {
    let mut why = Vec::new();
    if let Some(countries) = &dc.allowed_countries {
        if !countries.contains(&off.country) {
            why.push(format!(
                "country {} not allowed for data class {}",
                off.country, dc.id
            ));
        }
    }
    if off.sovereignty_level < dc.min_sovereignty_level {
        why.push(format!(
            "sovereignty level {} below {}",
            off.sovereignty_level, dc.min_sovereignty_level
        ));
    }
    for c in &dc.required_certifications {
        if !off.certifications.contains(c) {
            why.push(format!("missing certification {c}"));
        }
    }
    if dc.forbid_cloud_act && sc.providers[off.provider.index()].cloud_act_exposed {
        why.push("CLOUD-Act-exposed provider".to_string());
    }
    why
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{small, view};
    use super::*;

    fn messages(offerings: [&str; 3]) -> Vec<String> {
        let sc = small("{}");
        let mut out = Vec::new();
        check(&sc, &view(&sc, offerings), &mut out);
        out.into_iter().map(|v| v.to_string()).collect()
    }

    #[test]
    fn names_every_broken_data_class_rule_in_order() {
        assert_eq!(
            messages(["a1", "b1", "b1"]),
            [
                "violation[C201] service \"db\" may not run on \"b1\": country IE not allowed \
              for data class sovereign, sovereignty level 1 below 2, CLOUD-Act-exposed provider"
            ]
        );
    }

    #[test]
    fn services_without_a_data_class_or_lists_may_run_anywhere() {
        assert!(messages(["b1", "a2", "b1"]).is_empty());
    }
}

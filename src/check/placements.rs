//! C101–C106: exactly one placement row per service, on a known offering, with the
//! offering's provider and country and the service's name and data class.

use super::Violation;
use crate::error::{clip, quote, ECHO_MAX_CHARS};
use crate::model::{OfferingId, Scenario};
use crate::plan::{PlacementRow, Plan};
use std::collections::HashMap;

/// Checks the placement rows and returns the offering of every service, or `None`
/// when a service has no row.
pub(super) fn check(
    sc: &Scenario,
    plan: &Plan,
    out: &mut Vec<Violation>,
) -> Option<Vec<OfferingId>> {
    let services = index(sc.services.iter().map(|s| s.id.as_str()));
    let offerings = index(sc.offerings.iter().map(|o| o.id.as_str()));
    let mut at: Vec<Option<OfferingId>> = vec![None; sc.services.len()];
    for row in &plan.placements {
        let Some((s, o)) = resolve(row, &services, &offerings, out) else {
            continue;
        };
        if at[s].replace(o).is_some() {
            out.push(Violation::new(
                "C103",
                format!("service \"{}\" is placed more than once", row.service),
            ));
        }
        check_copied_fields(sc, row, s, o, out);
    }
    for (svc, o) in sc.services.iter().zip(&at) {
        if o.is_none() {
            out.push(Violation::new(
                "C106",
                format!("service \"{}\" is not placed", svc.id),
            ));
        }
    }
    at.into_iter().collect()
}

fn index<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    ids.enumerate().map(|(i, id)| (id, i)).collect()
}

/// The service (index) and offering a row names, if both exist.
fn resolve(
    row: &PlacementRow,
    services: &HashMap<&str, usize>,
    offerings: &HashMap<&str, usize>,
    out: &mut Vec<Violation>,
) -> Option<(usize, OfferingId)> {
    let Some(&s) = services.get(row.service.as_str()) else {
        out.push(Violation::new(
            "C101",
            format!("placement of unknown service {}", quote(&row.service)),
        ));
        return None;
    };
    let Some(&o) = offerings.get(row.offering.as_str()) else {
        out.push(Violation::new(
            "C102",
            format!(
                "service {} is placed on unknown offering {}",
                quote(&row.service),
                quote(&row.offering)
            ),
        ));
        return None;
    };
    Some((s, OfferingId(o as u32)))
}

/// The row repeats facts of the scenario for the spreadsheet; they must match.
fn check_copied_fields(
    sc: &Scenario,
    row: &PlacementRow,
    s: usize,
    o: OfferingId,
    out: &mut Vec<Violation>,
) {
    let off = &sc.offerings[o.index()];
    let prov = &sc.providers[off.provider.index()];
    if row.provider != prov.id || row.country != off.country {
        out.push(Violation::new(
            "C104",
            format!(
                "service \"{}\": offering \"{}\" belongs to {} in {}, the plan says {} in {}",
                row.service,
                off.id,
                prov.id,
                off.country,
                clip(&row.provider, ECHO_MAX_CHARS),
                clip(&row.country, ECHO_MAX_CHARS)
            ),
        ));
    }
    let svc = &sc.services[s];
    let data_class = svc
        .data_class
        .map(|d| sc.data_classes[d.index()].id.as_str());
    if row.data_class.as_deref() != data_class || row.service_name != svc.name {
        out.push(Violation::new(
            "C105",
            format!(
                "service \"{}\": name or data class differ from the scenario",
                row.service
            ),
        ));
    }
}

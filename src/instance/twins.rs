//! Twin offerings: offerings that can be left out of the model because an earlier one
//! does the same job for every group.

use crate::model::{OfferingId, Scenario};
use std::collections::BTreeSet;

/// Offerings that can be left out of the model because an earlier "twin" does the same
/// job for every group: same provider, identical prices with free traffic inside the
/// provider, same `open_standards`, no capacity limit on either, no service running on
/// the dropped one today, and eligible wherever the dropped one is.
///
/// Moving every group from the dropped offering to its twin changes no monthly figure
/// (run, traffic, fees, spend, exit cost are equal and traffic between the two was free),
/// only lowers one-off costs (services whose current offering is the twin stop moving),
/// and breaks no limit; so some optimal plan never uses the dropped offering. Catalogues
/// list such twins often (two regions of one provider with one price list), and without
/// this the solver explores every symmetric swap between them.
///
/// Returns, per offering, the twin that replaces it (`None`: kept).
pub fn twins(sc: &Scenario, cand: &[Vec<OfferingId>]) -> Vec<Option<OfferingId>> {
    let mut dropped: Vec<Option<OfferingId>> = vec![None; sc.offerings.len()];
    let current: BTreeSet<OfferingId> = sc
        .services
        .iter()
        .filter_map(|s| s.current_offering)
        .collect();
    for b in sc.offering_ids() {
        let ob = &sc.offerings[b.index()];
        if sc.has_capacity(b) || current.contains(&b) || ob.prices.inter_region_gb != 0.0 {
            continue;
        }
        let twin = sc.offering_ids().take(b.index()).find(|&a| {
            let oa = &sc.offerings[a.index()];
            dropped[a.index()].is_none()
                && oa.provider == ob.provider
                && oa.prices == ob.prices
                && oa.open_standards == ob.open_standards
                && !sc.has_capacity(a)
                && cand.iter().all(|c| !c.contains(&b) || c.contains(&a))
        });
        dropped[b.index()] = twin;
    }
    dropped
}

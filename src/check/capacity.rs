//! C203: no offering holds more than its capacity, in any dimension.

use super::view::View;
use super::Violation;
use crate::model::{Dim, Scenario};
use crate::tolerance::within;

pub(super) fn check(sc: &Scenario, view: &View, out: &mut Vec<Violation>) {
    for (off, load) in sc.offerings.iter().zip(&view.load) {
        for (k, &dim) in Dim::ALL.iter().enumerate() {
            let Some(c) = off.capacity.get(dim) else {
                continue;
            };
            if !within(load[k], c) {
                out.push(Violation::new(
                    "C203",
                    format!(
                        "offering \"{}\" holds {} {} but has capacity {c}",
                        off.id,
                        load[k],
                        dim.name()
                    ),
                ));
            }
        }
    }
}

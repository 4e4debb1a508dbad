//! C202: dependencies with a `colocate` rule share an offering or a provider.

use super::view::View;
use super::Violation;
use crate::model::{Colocate, Scenario};

pub(super) fn check(sc: &Scenario, view: &View, out: &mut Vec<Violation>) {
    for d in &sc.dependencies {
        let Some(rule) = d.colocate else { continue };
        let (from, to) = (d.from.index(), d.to.index());
        let kept = match rule {
            Colocate::Offering => view.placement[from] == view.placement[to],
            Colocate::Provider => view.provider_of(sc, from) == view.provider_of(sc, to),
        };
        if !kept {
            out.push(Violation::new(
                "C202",
                format!(
                    "\"{}\" and \"{}\" must be co-located ({rule:?}) but are on \"{}\" and \"{}\"",
                    sc.services[from].id,
                    sc.services[to].id,
                    sc.offerings[view.placement[from].index()].id,
                    sc.offerings[view.placement[to].index()].id
                ),
            ));
        }
    }
}

//! A roadmap for a generated scenario (`sovplan generate --roadmap-years N`): a
//! CLOUD-Act target that falls to 0 in the final year, a moves-per-year limit that
//! leaves room, and contract ends (`movable_from`) on some of the services that run
//! somewhere today.
//!
//! The random choices come from their own stream (the seed mixed with a constant), so
//! the services, offerings and policy are exactly those generated without a roadmap.

use super::Rng;
use crate::format::{PolicyDef, PolicyStepDef, RoadmapDef, ScenarioFile};

/// Mixed into the seed for the roadmap's stream ("ROADMAP" in ASCII).
const STREAM: u64 = 0x0052_4F41_444D_4150;

/// The CLOUD-Act share cap of the first year when the policy sets none.
const DEFAULT_CLOUD_ACT_SHARE: f64 = 0.5;

/// Probability that a service with a current offering has a contract that ends within
/// the roadmap.
const CONTRACT_SHARE: f64 = 0.5;

/// Adds a roadmap of `years` planning years (at least 1) from `start_year` to `file`.
///
/// - The policy keeps its limits for the first year (a CLOUD-Act share of 0.5 is added
///   when it sets none); `horizon_months` is removed, as a roadmap counts years.
/// - `policy_from` lowers the CLOUD-Act share linearly, in whole percent, to 0 in the
///   final year.
/// - `max_moves_per_year` is twice the services with a current offering spread over the
///   years (at least 1): room to move every one of them, and then some.
/// - Each service with a current offering gets, with probability one half, a
///   `movable_from` year drawn within the roadmap, so that it can still move.
pub fn add_roadmap(file: &mut ScenarioFile, start_year: i64, years: u32, seed: u64) {
    let years = years.max(1);
    let policy = file.policy.get_or_insert_with(PolicyDef::default);
    policy.horizon_months = None;
    let first = *policy
        .max_cloud_act_share
        .get_or_insert(DEFAULT_CLOUD_ACT_SHARE);
    let mut rng = Rng::new(seed ^ STREAM);
    let mut current = 0usize;
    for s in file
        .services
        .iter_mut()
        .filter(|s| s.current_offering.is_some())
    {
        current += 1;
        if rng.chance(CONTRACT_SHARE) {
            s.movable_from = Some(start_year + rng.below(years as usize) as i64);
        }
    }
    file.roadmap = Some(RoadmapDef {
        start_year,
        years: i64::from(years),
        max_moves_per_year: Some(((2 * current).div_ceil(years as usize)).max(1) as f64),
        policy_from: falling_cloud_act_share(first, start_year, years),
        ..Default::default()
    });
}

/// One step per year in which the cap changes: `first` in the first year, falling
/// linearly to 0 in the last (in whole percent).
fn falling_cloud_act_share(first: f64, start_year: i64, years: u32) -> Vec<PolicyStepDef> {
    let mut steps = Vec::new();
    let mut cap = first;
    for i in 1..=years {
        let left = f64::from(years - i);
        // A one-year roadmap has only its final year: the cap is 0 from the start.
        let next = if years == 1 {
            0.0
        } else {
            (first * left / f64::from(years - 1) * 100.0).round() / 100.0
        };
        let year = start_year + i64::from(i) - 1;
        if (i > 1 || years == 1) && next != cap {
            steps.push(PolicyStepDef {
                year,
                max_cloud_act_share: Some(next),
                ..Default::default()
            });
            cap = next;
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cloud_act_cap_falls_to_zero_in_the_final_year() {
        let steps = falling_cloud_act_share(0.5, 2027, 5);
        let caps: Vec<_> = steps
            .iter()
            .map(|s| (s.year, s.max_cloud_act_share.unwrap()))
            .collect();
        assert_eq!(
            caps,
            [(2028, 0.38), (2029, 0.25), (2030, 0.13), (2031, 0.0)]
        );
        let one = falling_cloud_act_share(0.1, 2030, 1);
        assert_eq!(one.len(), 1);
        assert_eq!((one[0].year, one[0].max_cloud_act_share), (2030, Some(0.0)));
        // Already 0: nothing changes.
        assert!(falling_cloud_act_share(0.0, 2027, 3).is_empty());
    }

    #[test]
    fn contracts_end_within_the_roadmap_and_the_rest_is_unchanged() {
        let plain = super::super::synthetic(60, 8, 3);
        let mut file = plain.clone();
        add_roadmap(&mut file, 2027, 4, 3);
        assert_eq!(file.services.len(), plain.services.len());
        let mut ended = 0;
        for (s, p) in file.services.iter().zip(&plain.services) {
            assert_eq!(s.demand, p.demand);
            assert_eq!(s.current_offering, p.current_offering);
            if let Some(y) = s.movable_from {
                assert!(s.current_offering.is_some() && (2027..=2030).contains(&y));
                ended += 1;
            }
        }
        assert!(ended > 0);
        let rm = file.roadmap.as_ref().unwrap();
        let current = plain
            .services
            .iter()
            .filter(|s| s.current_offering.is_some())
            .count();
        assert_eq!((rm.start_year, rm.years), (2027, 4));
        assert!(rm.max_moves_per_year.unwrap() * 4.0 >= 2.0 * current as f64);
        assert_eq!(file.policy.as_ref().unwrap().horizon_months, None);
        let mut again = plain.clone();
        add_roadmap(&mut again, 2027, 4, 3);
        assert_eq!(again, file, "deterministic");
    }
}

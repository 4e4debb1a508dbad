//! Validation: turns a [`RawScenario`] into a checked [`Scenario`].
//!
//! Each rule is one function with its own error code. All rules run, and all their
//! findings are returned together, so that a user fixes a file in one pass.
//! The codes are listed in the README.

mod roadmap;
pub mod scale;
mod suggest;

use crate::error::{quote, Diagnostic};
use crate::format::read::{Located, RawScenario};
use crate::format::CapacityDef;
use crate::format::{
    ColocateDef, DataClassDef, DependencyDef, OfferingDef, PolicyDef, ProviderDef, ServiceDef,
};
use crate::model::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use suggest::{Budget, Suggester};

/// ISO 3166-1 alpha-2 codes (249 assigned codes, from the ISO 3166-1 list as shipped by pycountry 26.2.16).
const ISO_COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Largest number accepted anywhere in a scenario.
const MAX_NUMBER: f64 = 1e12;

/// Validates a raw scenario; returns every problem found, or the domain model.
pub fn validate(raw: &RawScenario) -> Result<Scenario, Vec<Diagnostic>> {
    let ix = Index::new(raw);
    let mut errs = Vec::new();
    let rules: &[fn(&RawScenario, &Index, &mut Vec<Diagnostic>)] = &[
        rule_ids_present,
        rule_unique_ids,
        rule_references,
        rule_numbers,
        rule_countries,
        rule_sovereignty_levels,
        rule_inter_region_price,
        rule_policy_ranges,
        rule_min_providers_possible,
        rule_dependency_shape,
        rule_allowed_offerings,
        |raw, _, errs| roadmap::rule_roadmap(raw, errs),
    ];
    for rule in rules {
        rule(raw, &ix, &mut errs);
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    // Products and sums of valid numbers can still leave the range the solver computes
    // exactly; they are judged on the model, with the cost model's own functions.
    let sc = build(raw, &ix);
    scale::check(&sc, raw, &mut errs);
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(sc)
}

/// Lookup of ids to positions; the first definition wins when ids repeat
/// (the repetition itself is reported by [`rule_unique_ids`]).
struct Index<'a> {
    providers: HashMap<&'a str, usize>,
    offerings: HashMap<&'a str, usize>,
    data_classes: HashMap<&'a str, usize>,
    services: HashMap<&'a str, usize>,
}

impl<'a> Index<'a> {
    fn new(raw: &'a RawScenario) -> Self {
        fn map<'b, T>(
            v: &'b [Located<T>],
            id: impl Fn(&'b T) -> &'b str,
        ) -> HashMap<&'b str, usize> {
            let mut m = HashMap::new();
            for (i, x) in v.iter().enumerate() {
                m.entry(id(&x.item)).or_insert(i);
            }
            m
        }
        Index {
            providers: map(&raw.providers, |p| p.id.as_str()),
            offerings: map(&raw.offerings, |o| o.id.as_str()),
            data_classes: map(&raw.data_classes, |d| d.id.as_str()),
            services: map(&raw.services, |s| s.id.as_str()),
        }
    }
}

fn at(loc: &str, field: &str) -> String {
    format!("{loc}.{field}")
}

/// E102: ids are non-empty and free of surrounding white space.
fn rule_ids_present(raw: &RawScenario, _: &Index, errs: &mut Vec<Diagnostic>) {
    let ids = raw
        .providers
        .iter()
        .map(|x| (&x.location, &x.item.id))
        .chain(raw.offerings.iter().map(|x| (&x.location, &x.item.id)))
        .chain(raw.data_classes.iter().map(|x| (&x.location, &x.item.id)))
        .chain(raw.services.iter().map(|x| (&x.location, &x.item.id)));
    for (loc, id) in ids {
        if id.trim().is_empty() || id.trim() != id {
            errs.push(Diagnostic::new(
                "E102",
                at(loc, "id"),
                format!(
                    "id {} is empty or has leading/trailing white space",
                    quote(id)
                ),
                "use a short non-empty id such as \"stackit-eu01\"",
            ));
        }
    }
}

/// E101: ids are unique within their kind across all included files.
fn rule_unique_ids(raw: &RawScenario, _: &Index, errs: &mut Vec<Diagnostic>) {
    fn check<T>(kind: &str, v: &[Located<T>], id: impl Fn(&T) -> &str, errs: &mut Vec<Diagnostic>) {
        let mut first: HashMap<&str, &str> = HashMap::new();
        for x in v {
            let i = id(&x.item);
            if let Some(prev) = first.get(i) {
                errs.push(Diagnostic::new(
                    "E101",
                    at(&x.location, "id"),
                    format!("{kind} id {} is already defined at {prev}", quote(i)),
                    "give each entity its own id (ids must be unique across all included files)",
                ));
            } else {
                first.insert(i, &x.location);
            }
        }
    }
    check("provider", &raw.providers, |p| &p.id, errs);
    check("offering", &raw.offerings, |o| &o.id, errs);
    check("data class", &raw.data_classes, |d| &d.id, errs);
    check("service", &raw.services, |s| &s.id, errs);
}

/// "no service has id X", with the closest known id when one is close enough to be a
/// typo (see [`suggest`] for how the search is bounded).
fn unknown(kind: &str, id: &str, known: &mut Suggester, budget: &mut Budget) -> String {
    let q = quote(id);
    if known.is_empty() {
        return format!("no {kind} has id {q} (none is defined)");
    }
    match known.closest(id, budget) {
        Some(n) => format!("no {kind} has id {q} (did you mean {}?)", quote(n)),
        None => format!("no {kind} has id {q}"),
    }
}

/// The "did you mean" indexes of one validation, each built when first needed, and
/// the work budget they share.
#[derive(Default)]
struct Lookups<'a> {
    providers: Option<Suggester<'a>>,
    offerings: Option<Suggester<'a>>,
    data_classes: Option<Suggester<'a>>,
    services: Option<Suggester<'a>>,
    budget: Budget,
}

/// The suggester in `slot`, built from `v`'s ids on first use.
fn lookup<'s, 'a, T>(
    slot: &'s mut Option<Suggester<'a>>,
    v: &'a [Located<T>],
    id: impl Fn(&'a T) -> &'a str,
) -> &'s mut Suggester<'a> {
    slot.get_or_insert_with(|| Suggester::new(v.iter().map(|x| id(&x.item))))
}

/// E103–E106: every reference resolves.
fn rule_references(raw: &RawScenario, ix: &Index, errs: &mut Vec<Diagnostic>) {
    let mut lk = Lookups::default();
    for o in &raw.offerings {
        if !ix.providers.contains_key(o.item.provider.as_str()) {
            let known = lookup(&mut lk.providers, &raw.providers, |p| &p.id);
            errs.push(Diagnostic::new(
                "E103",
                at(&o.location, "provider"),
                unknown("provider", &o.item.provider, known, &mut lk.budget),
                "define the provider in \"providers\" or correct the id",
            ));
        }
    }
    for s in &raw.services {
        service_references(raw, ix, s, &mut lk, errs);
    }
    for d in &raw.dependencies {
        for (field, id) in [("from", &d.item.from), ("to", &d.item.to)] {
            if !ix.services.contains_key(id.as_str()) {
                let known = lookup(&mut lk.services, &raw.services, |s| &s.id);
                errs.push(Diagnostic::new(
                    "E106",
                    at(&d.location, field),
                    unknown("service", id, known, &mut lk.budget),
                    "define the service in \"services\" or correct the id",
                ));
            }
        }
    }
}

/// E104 and E105 for one service.
fn service_references<'a>(
    raw: &'a RawScenario,
    ix: &Index,
    s: &Located<ServiceDef>,
    lk: &mut Lookups<'a>,
    errs: &mut Vec<Diagnostic>,
) {
    if let Some(dc) = &s.item.data_class {
        if !ix.data_classes.contains_key(dc.as_str()) {
            let known = lookup(&mut lk.data_classes, &raw.data_classes, |d| &d.id);
            errs.push(Diagnostic::new("E104", at(&s.location, "data_class"),
                unknown("data class", dc, known, &mut lk.budget),
                "define the data class in \"data_classes\" (or include models/data-classes.json) or correct the id"));
        }
    }
    // The field is only spelled out for a broken reference: lists may be long.
    let current = s
        .item
        .current_offering
        .iter()
        .map(|c| ("current_offering", None, c));
    let allowed = s.item.allowed_offerings.iter().flatten().enumerate();
    let allowed = allowed.map(|(i, a)| ("allowed_offerings", Some(i), a));
    let forbidden = s.item.forbidden_offerings.iter().enumerate();
    let forbidden = forbidden.map(|(i, f)| ("forbidden_offerings", Some(i), f));
    for (name, i, id) in current.chain(allowed).chain(forbidden) {
        if !ix.offerings.contains_key(id.as_str()) {
            let field = match i {
                Some(i) => format!("{name}[{i}]"),
                None => name.to_string(),
            };
            let known = lookup(&mut lk.offerings, &raw.offerings, |o| &o.id);
            errs.push(Diagnostic::new(
                "E105",
                at(&s.location, &field),
                unknown("offering", id, known, &mut lk.budget),
                "define the offering in \"offerings\" or correct the id",
            ));
        }
    }
}

/// E107: every number is finite and not negative.
fn rule_numbers(raw: &RawScenario, _: &Index, errs: &mut Vec<Diagnostic>) {
    let mut check = |loc: &str, field: &str, v: Option<f64>| {
        if let Some(v) = v {
            // The upper cap keeps every product and sum of the cost model finite and
            // well inside what a MILP solver can represent.
            if !v.is_finite() || !(0.0..=MAX_NUMBER).contains(&v) {
                errs.push(Diagnostic::new(
                    "E107",
                    at(loc, field),
                    format!("must be a number from 0 to 1e12, got {v}"),
                    "use a non-negative amount (money in EUR, sizes in vCPU or GB)",
                ));
            }
        }
    };
    for p in &raw.providers {
        check(&p.location, "monthly_fee", p.item.monthly_fee);
    }
    for o in &raw.offerings {
        let pr = &o.item.prices;
        for (f, v) in [
            ("prices.vcpu_month", Some(pr.vcpu_month)),
            ("prices.ram_gb_month", Some(pr.ram_gb_month)),
            ("prices.storage_gb_month", Some(pr.storage_gb_month)),
            ("prices.egress_gb", Some(pr.egress_gb)),
            ("prices.inter_region_gb", pr.inter_region_gb),
        ] {
            check(&o.location, f, v);
        }
        let CapacityDef {
            vcpu,
            ram_gb,
            storage_gb,
        } = o.item.capacity.clone().unwrap_or_default();
        check(&o.location, "capacity.vcpu", vcpu);
        check(&o.location, "capacity.ram_gb", ram_gb);
        check(&o.location, "capacity.storage_gb", storage_gb);
    }
    for s in &raw.services {
        let d = &s.item.demand;
        check(&s.location, "demand.vcpu", Some(d.vcpu));
        check(&s.location, "demand.ram_gb", Some(d.ram_gb));
        check(&s.location, "demand.storage_gb", Some(d.storage_gb));
        check(&s.location, "demand.egress_gb_month", d.egress_gb_month);
        check(&s.location, "migration_cost", s.item.migration_cost);
        check(&s.location, "replatform_cost", s.item.replatform_cost);
    }
    for d in &raw.dependencies {
        check(&d.location, "traffic_gb_month", d.item.traffic_gb_month);
    }
    if let Some(p) = &raw.policy {
        let loc = format!("{}: policy", raw.file);
        check(&loc, "horizon_months", p.horizon_months);
        for kind in LimitKind::ALL {
            check(&loc, kind.field(), written(p, kind));
        }
    }
}

fn is_country(c: &str) -> bool {
    c.len() == 2 && ISO_COUNTRIES.split(' ').any(|x| x == c)
}

/// E108: countries are ISO 3166-1 alpha-2 codes.
fn rule_countries(raw: &RawScenario, _: &Index, errs: &mut Vec<Diagnostic>) {
    let mut check = |loc: String, c: &str| {
        if !is_country(c) {
            errs.push(Diagnostic::new(
                "E108",
                loc,
                format!("{} is not an ISO 3166-1 alpha-2 country code", quote(c)),
                "use two upper-case letters such as \"DE\", \"FR\", \"US\"",
            ));
        }
    };
    for p in &raw.providers {
        check(at(&p.location, "headquarters"), &p.item.headquarters);
    }
    for o in &raw.offerings {
        check(at(&o.location, "country"), &o.item.country);
    }
    for d in &raw.data_classes {
        for (i, c) in d.item.allowed_countries.iter().flatten().enumerate() {
            check(at(&d.location, &format!("allowed_countries[{i}]")), c);
        }
    }
}

fn is_level(v: f64) -> bool {
    (0.0..=4.0).contains(&v) && v.fract() == 0.0
}

/// E109: sovereignty levels are whole numbers 0..=4.
fn rule_sovereignty_levels(raw: &RawScenario, _: &Index, errs: &mut Vec<Diagnostic>) {
    let items = raw
        .offerings
        .iter()
        .map(|o| {
            (
                at(&o.location, "sovereignty_level"),
                o.item.sovereignty_level,
            )
        })
        .chain(raw.data_classes.iter().map(|d| {
            (
                at(&d.location, "min_sovereignty_level"),
                d.item.min_sovereignty_level,
            )
        }));
    for (loc, v) in items {
        if let Some(v) = v {
            if !is_level(v) {
                errs.push(Diagnostic::new(
                    "E109",
                    loc,
                    format!("must be a whole number from 0 to 4 (SEAL level), got {v}"),
                    "use the EU Cloud Sovereignty Framework's SEAL levels 0, 1, 2, 3 or 4",
                ));
            }
        }
    }
}

/// E110: sending within a provider is never dearer than sending out of it.
fn rule_inter_region_price(raw: &RawScenario, _: &Index, errs: &mut Vec<Diagnostic>) {
    for o in &raw.offerings {
        let p = &o.item.prices;
        if let Some(ir) = p.inter_region_gb {
            if ir > p.egress_gb {
                errs.push(Diagnostic::new(
                    "E110",
                    at(&o.location, "prices.inter_region_gb"),
                    format!(
                        "inter_region_gb {ir} is greater than egress_gb {}",
                        p.egress_gb
                    ),
                    "inter_region_gb must be <= egress_gb; check the price list",
                ));
            }
        }
    }
}

/// E111: policy values within their ranges.
fn rule_policy_ranges(raw: &RawScenario, _: &Index, errs: &mut Vec<Diagnostic>) {
    let Some(p) = &raw.policy else { return };
    let loc = |f: &str| format!("{}: policy.{f}", raw.file);
    let mut bad = |f: &str, v: f64, want: &str| {
        errs.push(Diagnostic::new(
            "E111",
            loc(f),
            format!("{v} is out of range: {want}"),
            format!("set {f} to {want}"),
        ));
    };
    if let Some(v) = p.horizon_months {
        if v <= 0.0 {
            bad("horizon_months", v, "a number of months > 0");
        }
    }
    for kind in LimitKind::ALL {
        let Some(v) = written(p, kind) else { continue };
        let (ok, want) = match kind {
            LimitKind::ProviderShare => (v > 0.0 && v <= 1.0, "a share in (0, 1]"),
            LimitKind::CloudActShare => ((0.0..=1.0).contains(&v), "a share in [0, 1]"),
            LimitKind::MinProviders => (v.fract() == 0.0 && v >= 1.0, "a whole number >= 1"),
            // Any number that passed E103 (finite, 0..=1e12) is a valid amount of money.
            LimitKind::ExitCost | LimitKind::Budget => (true, ""),
        };
        if !ok {
            bad(kind.field(), v, want);
        }
    }
}

/// The value of a policy limit as written in the file.
fn written(p: &PolicyDef, kind: LimitKind) -> Option<f64> {
    match kind {
        LimitKind::ProviderShare => p.max_provider_share,
        LimitKind::MinProviders => p.min_providers,
        LimitKind::CloudActShare => p.max_cloud_act_share,
        LimitKind::ExitCost => p.max_exit_cost,
        LimitKind::Budget => p.monthly_budget,
    }
}

/// The validated limit of one kind from its written value.
fn limit(kind: LimitKind, v: f64) -> PolicyLimit {
    match kind {
        LimitKind::ProviderShare => PolicyLimit::ProviderShare(v),
        // A whole number >= 1 (E111) and at most the number of providers (E112).
        LimitKind::MinProviders => PolicyLimit::MinProviders(v as u32),
        LimitKind::CloudActShare => PolicyLimit::CloudActShare(v),
        LimitKind::ExitCost => PolicyLimit::ExitCost(v),
        LimitKind::Budget => PolicyLimit::Budget(v),
    }
}

/// E112: min_providers cannot exceed the providers defined.
fn rule_min_providers_possible(raw: &RawScenario, _: &Index, errs: &mut Vec<Diagnostic>) {
    if let Some(m) = raw.policy.as_ref().and_then(|p| p.min_providers) {
        let n = raw.providers.len();
        if m > n as f64 {
            errs.push(Diagnostic::new(
                "E112",
                format!("{}: policy.min_providers", raw.file),
                format!("min_providers is {m} but only {n} provider(s) are defined"),
                "lower min_providers or include more providers",
            ));
        }
    }
}

/// E113/E114: no self-dependencies and no repeated dependency pairs.
fn rule_dependency_shape(raw: &RawScenario, _: &Index, errs: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<(&str, &str), &str> = HashMap::new();
    for d in &raw.dependencies {
        let (f, t) = (d.item.from.as_str(), d.item.to.as_str());
        if f == t {
            errs.push(Diagnostic::new(
                "E113",
                d.location.clone(),
                format!("service {} depends on itself", quote(f)),
                "remove the dependency",
            ));
        } else if let Some(prev) = seen.insert((f, t), &d.location) {
            errs.push(Diagnostic::new(
                "E114",
                d.location.clone(),
                format!(
                    "dependency {} -> {} is already defined at {prev}",
                    quote(f),
                    quote(t)
                ),
                "merge the two entries: add their traffic and keep one colocate rule",
            ));
        }
    }
}

/// E115: allowed_offerings is not empty and does not contradict forbidden_offerings.
fn rule_allowed_offerings(raw: &RawScenario, _: &Index, errs: &mut Vec<Diagnostic>) {
    for s in &raw.services {
        if let Some(allowed) = &s.item.allowed_offerings {
            if allowed.is_empty() {
                errs.push(Diagnostic::new(
                    "E115",
                    at(&s.location, "allowed_offerings"),
                    format!("service {} allows no offering at all", quote(&s.item.id)),
                    "list at least one offering, or remove allowed_offerings to allow all",
                ));
            } else if all_forbidden(allowed, &s.item.forbidden_offerings) {
                errs.push(Diagnostic::new(
                    "E115",
                    at(&s.location, "forbidden_offerings"),
                    format!(
                        "service {} forbids every offering it allows",
                        quote(&s.item.id)
                    ),
                    "remove the contradiction between allowed_offerings and forbidden_offerings",
                ));
            }
        }
    }
}

/// Whether every allowed offering is also forbidden; through a set, as both lists may
/// be long.
fn all_forbidden(allowed: &[String], forbidden: &[String]) -> bool {
    let forbidden: HashSet<&str> = forbidden.iter().map(String::as_str).collect();
    allowed.iter().all(|a| forbidden.contains(a.as_str()))
}

/// Builds the model; only called once every rule passed.
fn build(raw: &RawScenario, ix: &Index) -> Scenario {
    let rm = raw.roadmap.as_ref().map(roadmap::build);
    let mut policy = policy(&raw.policy.clone().unwrap_or_default());
    if let Some(r) = &rm {
        // A roadmap counts 12 months per planning year (E119 keeps a horizon out of it).
        policy.horizon_months = 12.0 * f64::from(r.years);
    }
    let movable = |s: &ServiceDef| {
        rm.as_ref()
            .and_then(|r| roadmap::movable_year(r, s.movable_from))
    };
    Scenario {
        name: raw.name.clone().unwrap_or_default(),
        providers: raw.providers.iter().map(|p| provider(&p.item)).collect(),
        offerings: raw
            .offerings
            .iter()
            .map(|o| offering(&o.item, ix))
            .collect(),
        data_classes: raw
            .data_classes
            .iter()
            .map(|d| data_class(&d.item))
            .collect(),
        services: raw
            .services
            .iter()
            .map(|s| service(&s.item, ix, movable(&s.item)))
            .collect(),
        dependencies: raw
            .dependencies
            .iter()
            .map(|d| dependency(&d.item, ix))
            .collect(),
        policy,
        roadmap: rm,
    }
}

fn offering_id(ix: &Index, id: &str) -> OfferingId {
    OfferingId(ix.offerings[id] as u32)
}

/// Offering ids, sorted and deduplicated (eligibility looks them up by binary search).
fn offering_ids(ix: &Index, ids: &[String]) -> Vec<OfferingId> {
    let set: BTreeSet<OfferingId> = ids.iter().map(|id| offering_id(ix, id)).collect();
    set.into_iter().collect()
}

fn provider(p: &ProviderDef) -> Provider {
    Provider {
        id: p.id.clone(),
        name: p.name.clone().unwrap_or_else(|| p.id.clone()),
        headquarters: p.headquarters.clone(),
        cloud_act_exposed: p.cloud_act_exposed.unwrap_or(false),
        monthly_fee: p.monthly_fee.unwrap_or(0.0),
    }
}

fn offering(o: &OfferingDef, ix: &Index) -> Offering {
    let cap = o.capacity.clone().unwrap_or_default();
    let mut certifications = o.certifications.clone();
    certifications.sort();
    certifications.dedup();
    Offering {
        id: o.id.clone(),
        name: o.name.clone().unwrap_or_else(|| o.id.clone()),
        provider: ProviderId(ix.providers[o.provider.as_str()] as u32),
        country: o.country.clone(),
        sovereignty_level: o.sovereignty_level.unwrap_or(0.0) as u8,
        certifications,
        open_standards: o.open_standards.unwrap_or(false),
        prices: Prices {
            vcpu_month: o.prices.vcpu_month,
            ram_gb_month: o.prices.ram_gb_month,
            storage_gb_month: o.prices.storage_gb_month,
            egress_gb: o.prices.egress_gb,
            inter_region_gb: o.prices.inter_region_gb.unwrap_or(0.0),
        },
        capacity: Capacity {
            vcpu: cap.vcpu,
            ram_gb: cap.ram_gb,
            storage_gb: cap.storage_gb,
        },
        as_of: o.as_of.as_ref().map(|d| d.as_str().to_string()),
        estimate: o.estimate.unwrap_or(false),
    }
}

fn data_class(d: &DataClassDef) -> DataClass {
    DataClass {
        id: d.id.clone(),
        allowed_countries: d.allowed_countries.clone(),
        min_sovereignty_level: d.min_sovereignty_level.unwrap_or(0.0) as u8,
        required_certifications: d.required_certifications.clone(),
        forbid_cloud_act: d.forbid_cloud_act.unwrap_or(false),
    }
}

fn service(s: &ServiceDef, ix: &Index, movable_from: Option<i32>) -> Service {
    Service {
        id: s.id.clone(),
        name: s.name.clone().unwrap_or_else(|| s.id.clone()),
        data_class: s
            .data_class
            .as_ref()
            .map(|d| DataClassId(ix.data_classes[d.as_str()] as u32)),
        demand: Demand {
            vcpu: s.demand.vcpu,
            ram_gb: s.demand.ram_gb,
            storage_gb: s.demand.storage_gb,
            egress_gb_month: s.demand.egress_gb_month.unwrap_or(0.0),
        },
        current_offering: s.current_offering.as_deref().map(|o| offering_id(ix, o)),
        migration_cost: s.migration_cost.unwrap_or(0.0),
        replatform_cost: s.replatform_cost.unwrap_or(0.0),
        allowed_offerings: s.allowed_offerings.as_deref().map(|a| offering_ids(ix, a)),
        forbidden_offerings: offering_ids(ix, &s.forbidden_offerings),
        movable_from,
    }
}

fn dependency(d: &DependencyDef, ix: &Index) -> Dependency {
    let svc = |id: &str| ServiceId(ix.services[id] as u32);
    Dependency {
        from: svc(&d.from),
        to: svc(&d.to),
        traffic_gb_month: d.traffic_gb_month.unwrap_or(0.0),
        colocate: d.colocate.map(|c| match c {
            ColocateDef::Offering => Colocate::Offering,
            ColocateDef::Provider => Colocate::Provider,
        }),
    }
}

fn policy(pol: &PolicyDef) -> Policy {
    let limits = LimitKind::ALL
        .into_iter()
        .filter_map(|kind| written(pol, kind).map(|v| limit(kind, v)));
    Policy::new(
        pol.horizon_months
            .unwrap_or(Policy::default().horizon_months),
        limits,
    )
}

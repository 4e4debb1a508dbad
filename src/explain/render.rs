//! The explanation as text: the one place that words an [`Infeasibility`].

use super::{
    ClassWithoutOffering, ColocationConflict, Conflict, Infeasibility, Nearest, Note, RoadmapLift,
    RoadmapWithout, Unplaceable, Without,
};
use crate::model::{Colocate, Exclusion};
use std::fmt;

impl fmt::Display for Infeasibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in &self.classes {
            writeln!(f, "  - {c}")?;
        }
        for u in &self.unplaceable {
            writeln!(f, "  - {u}")?;
        }
        for c in &self.colocation {
            writeln!(f, "  - {c}")?;
        }
        if !self.conflicts.is_empty() {
            writeln!(
                f,
                "  - these limits cannot all hold, even with every other limit lifted (a minimal conflicting set):"
            )?;
            for c in &self.conflicts {
                writeln!(f, "      {c}")?;
            }
        }
        if !self.roadmap.is_empty() {
            let helps = self
                .roadmap
                .iter()
                .any(|l| matches!(l.without, RoadmapWithout::Plan { .. }));
            let head = if helps {
                "the roadmap's rules, each lifted alone with every other rule kept (a rule whose lifting gives a plan is part of the conflict):"
            } else {
                "no single rule is the cause: lifting any one of them alone, every other rule kept, still leaves no plan (several conflict together):"
            };
            writeln!(f, "  - {head}")?;
            for l in &self.roadmap {
                writeln!(f, "      {l}")?;
            }
        }
        for n in &self.notes {
            writeln!(f, "  - note: {n}")?;
        }
        Ok(())
    }
}

/// The headline of a rule every offering breaks, e.g. "holds certification VS-NfD".
fn headline(common: &Exclusion) -> String {
    match common {
        Exclusion::Certification(c) => format!("holds {c}"),
        Exclusion::Country { .. } => "is in an allowed country".into(),
        Exclusion::Sovereignty { min, .. } => format!("reaches sovereignty level {min}"),
        Exclusion::CloudAct => "is free of CLOUD Act exposure".into(),
        Exclusion::NotAllowed | Exclusion::Forbidden => "is allowed".into(),
    }
}

impl fmt::Display for ClassWithoutOffering {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match &self.common {
            Some(c) => format!("no offering in the catalogue {}", headline(c)),
            None => format!(
                "no offering in the catalogue meets every rule of data class {}",
                self.class
            ),
        };
        let n = self.services.len();
        let noun = if n == 1 { "service" } else { "services" };
        writeln!(
            f,
            "{what}: {n} {noun} of data class {} cannot be placed ({})",
            self.class,
            self.services.join(", ")
        )?;
        write!(f, "    why each offering fails the class:")?;
        for o in &self.offerings {
            let why: Vec<String> = o.why.iter().map(ToString::to_string).collect();
            write!(f, "\n      {}: {}", o.offering, why.join(", "))?;
        }
        Ok(())
    }
}

impl fmt::Display for Unplaceable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.offerings.is_empty() {
            return write!(
                f,
                "service \"{}\" has no offering to run on (none is defined)",
                self.service
            );
        }
        write!(f, "service \"{}\" may run on no offering:", self.service)?;
        for o in &self.offerings {
            let why: Vec<String> = o.why.iter().map(ToString::to_string).collect();
            write!(f, "\n      {}: {}", o.offering, why.join(", "))?;
        }
        Ok(())
    }
}

impl fmt::Display for ColocationConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self.services.iter().map(|s| format!("\"{s}\"")).collect();
        let names = names.join(", ");
        match self.colocate {
            Colocate::Offering => write!(
                f,
                "services {names} must share one offering (colocate: \"offering\"), but no offering may host all of them"
            ),
            Colocate::Provider => write!(
                f,
                "services {names} must share one provider (colocate), but no provider may host all of them"
            ),
        }
    }
}

impl fmt::Display for RoadmapLift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.setting.as_str() {
            "" => write!(f, "{}", self.rule)?,
            setting => write!(f, "{}: {setting}", self.rule)?,
        }
        match self.without {
            RoadmapWithout::Plan { total, proven } => write!(
                f,
                " (lifting only this one: {} plan costs {total:.2} EUR in total)",
                if proven { "the cheapest" } else { "a" }
            ),
            RoadmapWithout::StillInfeasible => {
                write!(f, " (lifting only this one: still no plan)")
            }
            RoadmapWithout::Unknown => write!(
                f,
                " (lifting only this one: not decided in the time available)"
            ),
        }
    }
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.rule.name(), self.setting)?;
        match self.without {
            Without::Plan {
                monthly,
                proven: true,
            } => write!(
                f,
                " (lifting only this one: the cheapest plan costs {monthly:.2} EUR/month)"
            ),
            Without::Plan {
                monthly,
                proven: false,
            } => write!(
                f,
                " (lifting only this one: a plan costing {monthly:.2} EUR/month exists)"
            ),
            Without::StillInfeasible => write!(
                f,
                " (lifting only this one is not enough: another conflict remains)"
            ),
            Without::Unknown => write!(
                f,
                " (lifting only this one: not decided in the time available)"
            ),
        }?;
        match &self.nearest {
            Some(n) => write!(f, "; {n}"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for Nearest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cheapest = if self.proven {
            "cheapest plan"
        } else {
            "best plan found"
        };
        write!(
            f,
            "nearest feasible setting with every other limit kept: {} = {} ({cheapest} {:.2} EUR in total)",
            self.limit.kind().field(),
            self.limit,
            self.total
        )
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::Undecided(rule) => write!(
                f,
                "could not decide in the time available whether {} matters; it is listed to be safe",
                rule.name()
            ),
            Note::NearestUndecided(rule) => write!(
                f,
                "the nearest feasible setting of {} was not decided in the time available",
                rule.name()
            ),
            Note::Unexplained => write!(
                f,
                "the solver reported infeasibility, but no single limit family explains it"
            ),
        }
    }
}

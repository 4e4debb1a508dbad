//! Every text of the report in German and English, in one place, and how numbers are
//! written in each language (German: `1.234,56 €`, `39,8 %`, with a no-break space; English: `1,234.56 EUR`,
//! `39.8%`).

use std::str::FromStr;

/// The language of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// German (`de`): for the council itself.
    De,
    /// English (`en`).
    En,
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "de" => Ok(Lang::De),
            "en" => Ok(Lang::En),
            _ => Err(format!("unknown language {s:?}: use de or en")),
        }
    }
}

/// The fixed texts of one language. Texts with figures are assembled by the renderer
/// from these pieces, so that every word a reader sees is listed here.
#[allow(missing_docs)] // The field names say what each text is.
#[derive(Debug)]
pub struct Texts {
    pub html_lang: &'static str,
    pub title: &'static str,
    pub scenario: &'static str,
    pub status_optimal: &'static str,
    pub status_feasible: &'static str,
    pub gap: &'static str,
    pub overrides: &'static str,
    pub verified: &'static str,
    pub violations: &'static str,
    pub not_verified: &'static str,
    pub headline: &'static str,
    pub total_cost: &'static str,
    pub over_months: &'static str,
    pub monthly_cost: &'static str,
    pub monthly_card: &'static str,
    pub per_month: &'static str,
    pub one_off_cost: &'static str,
    pub services: &'static str,
    pub services_detail: &'static str,
    pub providers_used: &'static str,
    pub at_least: &'static str,
    pub largest_share: &'static str,
    pub cloud_act_share: &'static str,
    pub budget: &'static str,
    pub of_limit: &'static str,
    pub no_limit: &'static str,
    pub spend_chart: &'static str,
    pub spend_note: &'static str,
    pub exit_chart: &'static str,
    pub exit_note: &'static str,
    pub cloud_act_chart: &'static str,
    pub cloud_act_note: &'static str,
    pub exposed: &'static str,
    pub not_exposed: &'static str,
    pub one_off_chart: &'static str,
    pub one_off_note: &'static str,
    pub no_one_off: &'static str,
    pub cap: &'static str,
    pub providers_table: &'static str,
    pub provider: &'static str,
    pub headquarters: &'static str,
    pub fee: &'static str,
    pub spend: &'static str,
    pub share: &'static str,
    pub exit_cost: &'static str,
    pub cloud_act: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub graph: &'static str,
    pub graph_services_note: &'static str,
    pub graph_providers_note: &'static str,
    pub graph_dot_note: &'static str,
    pub dependencies: &'static str,
    pub internal: &'static str,
    pub traffic_unit: &'static str,
    pub placements: &'static str,
    pub service: &'static str,
    pub name: &'static str,
    pub offering: &'static str,
    pub country: &'static str,
    pub data_class: &'static str,
    pub change: &'static str,
    pub previous: &'static str,
    pub change_new: &'static str,
    pub change_stays: &'static str,
    pub change_moved: &'static str,
    pub limits: &'static str,
    pub limits_note: &'static str,
    pub limit: &'static str,
    pub subject: &'static str,
    pub value: &'static str,
    pub bound: &'static str,
    pub closeness: &'static str,
    pub at_bound: &'static str,
    pub headroom: &'static str,
    pub all: &'static str,
    pub limit_budget: &'static str,
    pub limit_share: &'static str,
    pub limit_min_providers: &'static str,
    pub limit_cloud_act: &'static str,
    pub limit_exit: &'static str,
    pub limit_vcpu: &'static str,
    pub limit_ram: &'static str,
    pub limit_storage: &'static str,
    pub estimates: &'static str,
    pub estimates_note: &'static str,
    pub estimates_none: &'static str,
    pub estimates_unknown: &'static str,
    pub as_of: &'static str,
    pub rests_on: &'static str,
    pub roadmap: &'static str,
    pub roadmap_note: &'static str,
    pub over_years: &'static str,
    pub annual_chart: &'static str,
    pub annual_note: &'static str,
    pub running_year: &'static str,
    pub one_off_year: &'static str,
    pub annual_cap: &'static str,
    pub cloud_act_years_chart: &'static str,
    pub cloud_act_years_note: &'static str,
    pub year_cap: &'static str,
    pub years_table: &'static str,
    pub year: &'static str,
    pub annual_cost: &'static str,
    pub moves: &'static str,
    pub moves_table: &'static str,
    pub moves_note: &'static str,
    pub moves_none: &'static str,
    pub move_from: &'static str,
    pub move_to: &'static str,
    pub migration_cost: &'static str,
    pub limit_moves: &'static str,
    pub limit_one_off_year: &'static str,
    pub limit_annual: &'static str,
    pub footer: &'static str,
}

/// German texts.
pub const DE: Texts = Texts {
    html_lang: "de",
    title: "Betriebsplan der kommunalen IT",
    scenario: "Szenario",
    status_optimal: "nachweislich kostenoptimal",
    status_feasible: "zulässig, Optimalität nicht nachgewiesen",
    gap: "Optimalitätslücke",
    overrides: "Gerechnet mit geänderten Annahmen",
    verified: "Unabhängig geprüft: Jede Zahl wurde aus dem Szenario nachgerechnet, alle Regeln sind eingehalten.",
    violations: "Die unabhängige Prüfung gegen das Szenario fand Verstöße",
    not_verified: "Nicht gegen das Szenario geprüft (sovplan report … --scenario SZENARIO prüft es).",
    headline: "Die wichtigsten Zahlen",
    total_cost: "Gesamtkosten",
    over_months: "über {} Monate",
    monthly_cost: "Laufende Kosten",
    monthly_card: "Laufende Kosten pro Monat",
    per_month: "/Monat",
    one_off_cost: "Einmalige Umzugskosten",
    services: "Dienste",
    services_detail: "{new} neu, {stays} bleiben, {moved} ziehen um",
    providers_used: "Anbieter im Einsatz",
    at_least: "mindestens",
    largest_share: "Größter Anbieteranteil",
    cloud_act_share: "Anteil CLOUD-Act-Anbieter",
    budget: "Monatsbudget",
    of_limit: "Grenze",
    no_limit: "keine Grenze gesetzt",
    spend_chart: "Ausgaben je Anbieter",
    spend_note: "Monatliche Rechnung je Anbieter (Betrieb, Datenverkehr, Grundgebühr); die gestrichelte Linie ist der höchste erlaubte Anteil an den monatlichen Kosten.",
    exit_chart: "Ausstiegskosten je Anbieter",
    exit_note: "Was es einmalig kosten würde, jeden Anbieter wieder zu verlassen; die gestrichelte Linie ist die erlaubte Obergrenze.",
    cloud_act_chart: "Anteil von Anbietern unter dem US CLOUD Act",
    cloud_act_note: "Anteil der monatlichen Kosten bei Anbietern, deren Mutterkonzern dem US CLOUD Act unterliegt.",
    exposed: "CLOUD Act",
    not_exposed: "ohne CLOUD Act",
    one_off_chart: "Einmalige Umzugskosten je Zielanbieter",
    one_off_note: "Migrationskosten der Dienste, die ihren heutigen Betriebsort verlassen, nach dem Anbieter, zu dem sie ziehen.",
    no_one_off: "Keine einmaligen Umzugskosten: Kein Dienst verlässt seinen heutigen Betriebsort.",
    cap: "Obergrenze",
    providers_table: "Anbieter",
    provider: "Anbieter",
    headquarters: "Sitz",
    fee: "Grundgebühr",
    spend: "Ausgaben/Monat",
    share: "Anteil",
    exit_cost: "Ausstiegskosten",
    cloud_act: "CLOUD Act",
    yes: "ja",
    no: "nein",
    graph: "Abhängigkeiten zwischen den Diensten",
    graph_services_note: "Jeder Kasten ist ein Dienst, gefärbt und gruppiert nach seinem Anbieter; Pfeile zeigen, wer an wen Daten sendet (Strichstärke nach Datenmenge). Datenverkehr zwischen Anbietern kostet Geld.",
    graph_providers_note: "Mehr als 200 Dienste: Der Graph zeigt die Anbieter (Größe nach Zahl der Dienste) und den Datenverkehr zwischen ihnen.",
    graph_dot_note: "Den Graphen als Graphviz-Datei schreibt: sovplan report PLAN --format dot",
    dependencies: "Abhängigkeiten",
    internal: "intern",
    traffic_unit: "GB/Monat",
    placements: "Wo jeder Dienst läuft",
    service: "Dienst",
    name: "Name",
    offering: "Angebot",
    country: "Land",
    data_class: "Datenklasse",
    change: "Änderung",
    previous: "bisher",
    change_new: "neu",
    change_stays: "bleibt",
    change_moved: "zieht um",
    limits: "Grenzen und wie nah der Plan ihnen kommt",
    limits_note: "Eine Grenze, an der der Plan anliegt, bestimmt ihn mit; was jede Regel kostet, sagt sovplan price.",
    limit: "Grenze",
    subject: "für",
    value: "Plan",
    bound: "Grenzwert",
    closeness: "Ausschöpfung",
    at_bound: "an der Grenze",
    headroom: "Spielraum",
    all: "gesamt",
    limit_budget: "Monatsbudget",
    limit_share: "Höchstanteil je Anbieter",
    limit_min_providers: "Mindestzahl Anbieter",
    limit_cloud_act: "Höchstanteil CLOUD-Act-Anbieter",
    limit_exit: "Höchste Ausstiegskosten je Anbieter",
    limit_vcpu: "Kapazität vCPU",
    limit_ram: "Kapazität Arbeitsspeicher (GB)",
    limit_storage: "Kapazität Speicher (GB)",
    estimates: "Geschätzte Preise, auf denen der Plan beruht",
    estimates_note: "Diese Angebote nutzt der Plan, ihre Preise sind im Katalog als Schätzung markiert: Vor einer Entscheidung sollten sie durch ein Angebot bestätigt werden.",
    estimates_none: "Alle Preise der genutzten Angebote sind Listenpreise, keine Schätzungen.",
    estimates_unknown: "Der Plan stammt aus einer älteren Version und sagt nicht, welche Preise geschätzt sind.",
    as_of: "Preisstand",
    rests_on: "darauf beruhend/Monat",
    roadmap: "Fahrplan Jahr für Jahr",
    roadmap_note: "Der Plan verteilt die Umzüge auf die Jahre {first} bis {last}. Die übrigen Abschnitte des Berichts zeigen das letzte Jahr ({last}).",
    over_years: "{first}–{last} ({n} Jahre)",
    annual_chart: "Jahreskosten je Jahr",
    annual_note: "Zwölf Monate laufende Kosten des Jahres plus die einmaligen Kosten der Umzüge in diesem Jahr; die gestrichelte Marke ist die Obergrenze für die Jahreskosten.",
    running_year: "laufend (12 Monate)",
    one_off_year: "einmalig (Umzüge)",
    annual_cap: "Obergrenze Jahreskosten",
    cloud_act_years_chart: "Anteil CLOUD-Act-Anbieter je Jahr",
    cloud_act_years_note: "Anteil der monatlichen Kosten bei Anbietern unter dem US CLOUD Act in jedem Jahr; die gestrichelte Marke ist die in diesem Jahr geltende Obergrenze.",
    year_cap: "Obergrenze des Jahres",
    years_table: "Die Jahre im Überblick",
    year: "Jahr",
    annual_cost: "Jahreskosten",
    moves: "Umzüge",
    moves_table: "Wer wann umzieht",
    moves_note: "Jeder Dienst zieht höchstens einmal um; die Umzugskosten fallen im Jahr des Umzugs an.",
    moves_none: "Kein Dienst zieht im Lauf des Fahrplans um.",
    move_from: "von",
    move_to: "nach",
    migration_cost: "Umzugskosten",
    limit_moves: "Höchstzahl Umzüge je Jahr",
    limit_one_off_year: "Höchste Umzugskosten je Jahr",
    limit_annual: "Höchste Jahreskosten",
    footer: "Erstellt von sovplan {} aus dem Plan; alle Beträge in Euro. Die Datei ist in sich vollständig und braucht keine Netzverbindung.",
};

/// English texts.
pub const EN: Texts = Texts {
    html_lang: "en",
    title: "Where the municipality's IT runs",
    scenario: "Scenario",
    status_optimal: "proven cheapest",
    status_feasible: "feasible, not proven cheapest",
    gap: "optimality gap",
    overrides: "Computed with changed assumptions",
    verified: "Independently verified: every figure recomputed from the scenario, every rule holds.",
    violations: "The independent check against the scenario found violations",
    not_verified: "Not checked against the scenario (sovplan report … --scenario SCENARIO checks it).",
    headline: "Key figures",
    total_cost: "Total cost",
    over_months: "over {} months",
    monthly_cost: "Running cost",
    monthly_card: "Running cost per month",
    per_month: "/month",
    one_off_cost: "One-off migration cost",
    services: "Services",
    services_detail: "{new} new, {stays} stay, {moved} move",
    providers_used: "Providers used",
    at_least: "at least",
    largest_share: "Largest provider share",
    cloud_act_share: "CLOUD Act share",
    budget: "Monthly budget",
    of_limit: "limit",
    no_limit: "no limit set",
    spend_chart: "Spend per provider",
    spend_note: "Monthly bill per provider (runs, traffic, fee); the dashed line is the largest share of the monthly cost one provider may bill.",
    exit_chart: "Exit cost per provider",
    exit_note: "What leaving each provider would cost once; the dashed line is the cap.",
    cloud_act_chart: "Share of providers under the US CLOUD Act",
    cloud_act_note: "Share of the monthly cost billed by providers whose parent company is subject to the US CLOUD Act.",
    exposed: "CLOUD Act",
    not_exposed: "no CLOUD Act",
    one_off_chart: "One-off migration cost per destination provider",
    one_off_note: "Migration cost of the services that leave where they run today, by the provider they move to.",
    no_one_off: "No one-off migration cost: no service leaves where it runs today.",
    cap: "cap",
    providers_table: "Providers",
    provider: "Provider",
    headquarters: "Headquarters",
    fee: "Fee",
    spend: "Spend/month",
    share: "Share",
    exit_cost: "Exit cost",
    cloud_act: "CLOUD Act",
    yes: "yes",
    no: "no",
    graph: "Dependencies between services",
    graph_services_note: "Each box is a service, coloured and grouped by its provider; arrows show who sends data to whom (line width by volume). Traffic between providers costs money.",
    graph_providers_note: "More than 200 services: the graph shows the providers (sized by their number of services) and the traffic between them.",
    graph_dot_note: "The graph as a Graphviz file: sovplan report PLAN --format dot",
    dependencies: "dependencies",
    internal: "internal",
    traffic_unit: "GB/month",
    placements: "Where each service runs",
    service: "Service",
    name: "Name",
    offering: "Offering",
    country: "Country",
    data_class: "Data class",
    change: "Change",
    previous: "before",
    change_new: "new",
    change_stays: "stays",
    change_moved: "moves",
    limits: "Limits and how close the plan comes",
    limits_note: "A limit the plan sits at shapes it; sovplan price says what each rule costs.",
    limit: "Limit",
    subject: "for",
    value: "Plan",
    bound: "Limit value",
    closeness: "Used",
    at_bound: "at the limit",
    headroom: "headroom",
    all: "overall",
    limit_budget: "Monthly budget",
    limit_share: "Largest share per provider",
    limit_min_providers: "Minimum number of providers",
    limit_cloud_act: "Largest CLOUD Act share",
    limit_exit: "Largest exit cost per provider",
    limit_vcpu: "Capacity vCPU",
    limit_ram: "Capacity RAM (GB)",
    limit_storage: "Capacity storage (GB)",
    estimates: "Estimated prices the plan rests on",
    estimates_note: "The plan uses these offerings, whose prices the catalogue marks as estimates: confirm them with a quote before deciding.",
    estimates_none: "Every offering the plan uses has list prices, none is an estimate.",
    estimates_unknown: "The plan comes from an older version and does not say which prices are estimates.",
    as_of: "Prices as of",
    rests_on: "resting on it/month",
    roadmap: "Roadmap, year by year",
    roadmap_note: "The plan spreads the moves over the years {first} to {last}. The other sections of this report show the final year ({last}).",
    over_years: "{first}–{last} ({n} years)",
    annual_chart: "Annual cost per year",
    annual_note: "Twelve months of the year's running cost plus the one-off cost of the moves in that year; the dashed marker is the cap on the annual cost.",
    running_year: "running (12 months)",
    one_off_year: "one-off (moves)",
    annual_cap: "annual cost cap",
    cloud_act_years_chart: "CLOUD Act share per year",
    cloud_act_years_note: "Share of the monthly cost billed by providers under the US CLOUD Act in each year; the dashed marker is the cap in force that year.",
    year_cap: "that year's cap",
    years_table: "The years at a glance",
    year: "Year",
    annual_cost: "Annual cost",
    moves: "Moves",
    moves_table: "Which service moves when",
    moves_note: "Each service moves at most once; its migration cost is paid in the year it moves.",
    moves_none: "No service moves during the roadmap.",
    move_from: "from",
    move_to: "to",
    migration_cost: "Migration cost",
    limit_moves: "Most moves per year",
    limit_one_off_year: "Largest one-off cost per year",
    limit_annual: "Largest annual cost",
    footer: "Made by sovplan {} from the plan; all amounts in euros. The file is self-contained and needs no network.",
};

impl Lang {
    /// The texts of this language.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::De => &DE,
            Lang::En => &EN,
        }
    }

    /// An amount in euros with cents: `1.234,56 €` / `1,234.56 EUR`.
    pub fn money(self, x: f64) -> String {
        match self {
            Lang::De => format!("{}\u{a0}€", self.number(x, 2)),
            Lang::En => format!("{}\u{a0}EUR", self.number(x, 2)),
        }
    }

    /// An amount rounded for a label where space is short: `1,2 Mio. €` / `1.2M EUR`,
    /// `235 Tsd. €` / `235k EUR`, below a thousand as [`Lang::money`].
    pub fn money_short(self, x: f64) -> String {
        let (million, thousand, unit) = match self {
            Lang::De => ("\u{a0}Mio.", "\u{a0}Tsd.", "\u{a0}€"),
            Lang::En => ("M", "k", "\u{a0}EUR"),
        };
        if x.abs() >= 999_950.0 {
            format!("{}{million}{unit}", self.number(x / 1e6, 1))
        } else if x.abs() >= 999.5 {
            format!("{}{thousand}{unit}", self.number(x / 1e3, 0))
        } else {
            self.money(x)
        }
    }

    /// A share (0.398) as a percentage with one decimal: `39,8 %` / `39.8%`.
    pub fn percent(self, share: f64) -> String {
        match self {
            Lang::De => format!("{}\u{a0}%", self.number(share * 100.0, 1)),
            Lang::En => format!("{}%", self.number(share * 100.0, 1)),
        }
    }

    /// A number with `decimals` decimals and grouped thousands, without `-0`.
    pub fn number(self, x: f64, decimals: usize) -> String {
        let (thousands, point) = match self {
            Lang::De => ('.', ','),
            Lang::En => (',', '.'),
        };
        let s = format!("{:.*}", decimals, x.abs());
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        let mut out = String::new();
        // Only a figure that is still negative after rounding gets a sign.
        if x < 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
            out.push('−');
        }
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(thousands);
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push(point);
            out.push_str(frac);
        }
        out
    }

    /// A number with up to two decimals, trailing zeros dropped (`4`, `2,5`).
    pub fn quantity(self, x: f64) -> String {
        let s = self.number(x, 2);
        let point = if self == Lang::De { ',' } else { '.' };
        match s.split_once(point) {
            Some((int, frac)) if frac.trim_end_matches('0').is_empty() => int.to_string(),
            Some((int, frac)) => format!("{int}{point}{}", frac.trim_end_matches('0')),
            None => s,
        }
    }

    /// The name of a plan's limit row (`LimitRow::limit`), the field itself when unknown.
    pub fn limit_name(self, field: &str) -> String {
        let t = self.texts();
        let name = match field {
            "monthly_budget" => t.limit_budget,
            "max_provider_share" => t.limit_share,
            "min_providers" => t.limit_min_providers,
            "max_cloud_act_share" => t.limit_cloud_act,
            "max_exit_cost" => t.limit_exit,
            "capacity.vcpu" => t.limit_vcpu,
            "capacity.ram_gb" => t.limit_ram,
            "capacity.storage_gb" => t.limit_storage,
            "max_moves_per_year" => t.limit_moves,
            "max_one_off_per_year" => t.limit_one_off_year,
            "max_annual_cost" => t.limit_annual,
            other => other,
        };
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn numbers_are_written_as_each_language_writes_them() {
        assert_eq!(Lang::De.money(1_234_567.891), "1.234.567,89\u{a0}€");
        assert_eq!(Lang::En.money(1_234_567.891), "1,234,567.89\u{a0}EUR");
        assert_eq!(Lang::De.money(-0.001), "0,00\u{a0}€");
        assert_eq!(Lang::En.money(-12.5), "−12.50\u{a0}EUR");
        assert_eq!(Lang::De.percent(0.397847), "39,8\u{a0}%");
        assert_eq!(Lang::En.percent(0.1), "10.0%");
        assert_eq!(Lang::De.quantity(2.5), "2,5");
        assert_eq!(Lang::En.quantity(4.0), "4");
        assert_eq!(Lang::De.quantity(1234.0), "1.234");
        assert_eq!(Lang::De.money_short(1_234_567.0), "1,2\u{a0}Mio.\u{a0}€");
        assert_eq!(Lang::En.money_short(234_567.0), "235k\u{a0}EUR");
        assert_eq!(Lang::En.money_short(999_999.0), "1.0M\u{a0}EUR");
        assert_eq!(Lang::De.money_short(12.5), "12,50\u{a0}€");
    }
}

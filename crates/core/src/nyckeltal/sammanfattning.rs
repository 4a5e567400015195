//! An edition's summary for one focus organisation, and the annual report's Swedish paragraph.
//!
//! [`summarize`] turns an [`Evaluation`] into sets of indicator codes ([`EditionSummary`]);
//! [`summary_paragraph`] words them in the style of the annual report's section 3.1.1. Rules:
//!
//! - every indicator is in exactly one of `under_development`, `without_value`, `not_updated`,
//!   `updated` (so their counts add up to the catalogue size). Fact indicators are *included* in
//!   `updated`/`not_updated` — the report's "11 uppdaterade" = 20 − 3 − 6 contains the three fact
//!   indicators 2.3, 2.4, 3.4 — and are listed again in `fact_indicators` (active indicators
//!   without direction);
//! - `better`/`worse`: updated, non-fact indicators where the comparison colour is green/red for
//!   at least one of T, K, M. An indicator can be in both (e.g. green for women, red for men);
//! - improvement counts only updated, non-fact indicators and is judged per sex when the
//!   indicator is split: both K and M improved → `improved_both_sexes`; only M →
//!   `improved_only_men`; only K → `improved_only_women`; neither sex but the total improved, or
//!   an indicator not split by sex whose total improved → `improved_total_only`. These four are
//!   disjoint and `improved` is their union;
//! - the wording is always the neutral "i jämförelse med andra"; no ranking words.
//!
//! JSON field names (stable): `focus`, `total`, `under_development`, `without_value`,
//! `not_updated`, `updated`, `split_by_sex`, `better`, `worse`, `improved`,
//! `improved_both_sexes`, `improved_only_men`, `improved_only_women`, `improved_total_only`,
//! `fact_indicators`; each set is `{"count": 3, "codes": ["1.3", "2.2", "5.4"]}`.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::katalog::IndicatorCode;
use super::utvardering::{Assessment, Colour, Evaluation, GenderResult, UpdateStatus};
use super::varde::Gender;
use crate::format;

/// A sorted set of indicator codes; serialized as `{"count": n, "codes": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(into = "CodeSetRepr", try_from = "CodeSetRepr")]
pub struct CodeSet(BTreeSet<IndicatorCode>);

#[derive(Serialize, Deserialize, schemars::JsonSchema)]
struct CodeSetRepr {
    count: usize,
    codes: Vec<IndicatorCode>,
}

impl From<CodeSet> for CodeSetRepr {
    fn from(s: CodeSet) -> Self {
        CodeSetRepr { count: s.0.len(), codes: s.0.into_iter().collect() }
    }
}

/// A stored [`CodeSet`] whose count does not match its codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("antalet ({count}) stämmer inte med antalet unika koder ({unique})")]
pub struct CountMismatch {
    pub count: usize,
    pub unique: usize,
}

impl TryFrom<CodeSetRepr> for CodeSet {
    type Error = CountMismatch;

    fn try_from(r: CodeSetRepr) -> Result<Self, CountMismatch> {
        let set: BTreeSet<IndicatorCode> = r.codes.into_iter().collect();
        if set.len() == r.count {
            Ok(CodeSet(set))
        } else {
            Err(CountMismatch { count: r.count, unique: set.len() })
        }
    }
}

impl CodeSet {
    /// Number of codes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether a code is in the set.
    pub fn contains(&self, code: IndicatorCode) -> bool {
        self.0.contains(&code)
    }

    /// The codes in order.
    pub fn iter(&self) -> impl Iterator<Item = IndicatorCode> + '_ {
        self.0.iter().copied()
    }

    /// The codes as the report lists them: `"1.3, 2.2, 5.4"`.
    pub fn list(&self) -> String {
        self.0.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ")
    }

    fn insert(&mut self, code: IndicatorCode) {
        self.0.insert(code);
    }
}

impl FromIterator<IndicatorCode> for CodeSet {
    fn from_iter<I: IntoIterator<Item = IndicatorCode>>(iter: I) -> Self {
        CodeSet(iter.into_iter().collect())
    }
}

/// The summary of one edition for one focus organisation (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EditionSummary {
    pub focus: String,
    /// Number of indicators in the catalogue.
    pub total: usize,
    pub under_development: CodeSet,
    /// Active, but no value at all for the focus.
    pub without_value: CodeSet,
    pub not_updated: CodeSet,
    pub updated: CodeSet,
    /// Active indicators evaluated per sex (K and M besides T).
    pub split_by_sex: CodeSet,
    pub better: CodeSet,
    pub worse: CodeSet,
    pub improved: CodeSet,
    pub improved_both_sexes: CodeSet,
    pub improved_only_men: CodeSet,
    pub improved_only_women: CodeSet,
    pub improved_total_only: CodeSet,
    pub fact_indicators: CodeSet,
}

fn improved(r: Option<&GenderResult>) -> bool {
    r.and_then(|g| g.change).and_then(|c| c.assessment) == Some(Assessment::Improved)
}

/// Computes the summary sets from an evaluation.
pub fn summarize(evaluation: &Evaluation) -> EditionSummary {
    let mut s = EditionSummary {
        focus: evaluation.focus.clone(),
        total: evaluation.indicators.len(),
        ..Default::default()
    };
    for r in &evaluation.indicators {
        match r.update {
            UpdateStatus::UnderDevelopment => s.under_development.insert(r.code),
            UpdateStatus::NoValue => s.without_value.insert(r.code),
            UpdateStatus::NotUpdated => s.not_updated.insert(r.code),
            UpdateStatus::Updated => s.updated.insert(r.code),
        }
        if r.update == UpdateStatus::UnderDevelopment {
            continue;
        }
        if r.split_by_sex {
            s.split_by_sex.insert(r.code);
        }
        if r.is_fact() {
            s.fact_indicators.insert(r.code);
            continue;
        }
        if r.update != UpdateStatus::Updated {
            continue;
        }
        let colours: Vec<Colour> =
            r.genders.iter().filter_map(|g| g.comparison.map(|c| c.colour())).collect();
        if colours.contains(&Colour::Green) {
            s.better.insert(r.code);
        }
        if colours.contains(&Colour::Red) {
            s.worse.insert(r.code);
        }
        let total = improved(r.gender(Gender::T));
        let (women, men) = if r.split_by_sex {
            (improved(r.gender(Gender::K)), improved(r.gender(Gender::M)))
        } else {
            (false, false)
        };
        let bucket = match (women, men, total) {
            (true, true, _) => Some(&mut s.improved_both_sexes),
            (false, true, _) => Some(&mut s.improved_only_men),
            (true, false, _) => Some(&mut s.improved_only_women),
            (false, false, true) => Some(&mut s.improved_total_only),
            (false, false, false) => None,
        };
        if let Some(b) = bucket {
            b.insert(r.code);
            s.improved.insert(r.code);
        }
    }
    s
}

/// "Dalarna" → "Dalarnas", "Mora" → "Moras", "Falun" → "Faluns", "Borås" → "Borås".
fn genitive(name: &str) -> String {
    let name = name.trim();
    if name.ends_with(['s', 'x', 'z', 'S', 'X', 'Z']) {
        name.to_string()
    } else {
        format!("{name}s")
    }
}

/// "3 st nyckeltal" / "1 nyckeltal".
fn st(n: usize) -> String {
    if n == 1 {
        "1 nyckeltal".to_string()
    } else {
        format!("{n} st nyckeltal")
    }
}

/// ", för män och/eller kvinnor" when any indicator of the set is split by sex.
fn sex_phrase(set: &CodeSet, summary: &EditionSummary) -> &'static str {
    if set.iter().any(|c| summary.split_by_sex.contains(c)) {
        ", för män och/eller kvinnor"
    } else {
        ""
    }
}

/// The report's summary of an edition as Swedish bullet sentences, e.g. for 2025 and "Dalarna":
///
/// - "Infografiken 2025 omfattar totalt 20 nyckeltal."
/// - "3 av 20 är fortfarande ”under utveckling” och saknar värde (1.3, 2.2, 5.4)."
/// - "Av de 11 uppdaterade nyckeltalen är Dalarnas värden bättre i jämförelse med andra för
///   3 st nyckeltal, för män och/eller kvinnor (2.1, 5.1, 5.2)."
///
/// Counts of 0 and 1 are worded naturally; empty optional statements (indicators without value,
/// fact indicators) are left out.
pub fn summary_paragraph(summary: &EditionSummary, edition_year: i32, focus_name: &str) -> Vec<String> {
    let s = summary;
    let n = s.total;
    let mut out = vec![format!("Infografiken {edition_year} omfattar totalt {n} nyckeltal.")];

    out.push(if s.under_development.is_empty() {
        format!("Inget av de {n} nyckeltalen är under utveckling; alla har ett fastställt mått.")
    } else {
        format!(
            "{} är fortfarande ”under utveckling” och saknar värde ({}).",
            format::of(s.under_development.len(), n),
            s.under_development.list()
        )
    });

    if !s.without_value.is_empty() {
        out.push(format!(
            "{} saknar värde för {} ({}).",
            format::of(s.without_value.len(), n),
            focus_name.trim(),
            s.without_value.list()
        ));
    }

    out.push(if s.not_updated.is_empty() {
        "Inget nyckeltal med värde är detsamma som i föregående års infografik.".to_string()
    } else {
        format!(
            "{} har inte uppdaterats från föregående år, dvs. mätningar från {} och {edition_year} är desamma ({}).",
            format::of(s.not_updated.len(), n),
            edition_year - 1,
            s.not_updated.list()
        )
    });

    let u = s.updated.len();
    out.push(match u {
        0 => "Inget nyckeltal har uppdaterats i årets version av infografiken.".to_string(),
        _ if s.without_value.is_empty() => {
            format!("{} återstår och har uppdaterats i årets version av infografiken.", format::of(u, n))
        }
        _ => format!("{} har uppdaterats i årets version av infografiken.", format::of(u, n)),
    });

    let evaluable = s.updated.iter().filter(|c| !s.fact_indicators.contains(*c)).count();
    if evaluable > 0 {
        let lead = if u == 1 {
            format!("För det uppdaterade nyckeltalet är {} värde", genitive(focus_name))
        } else {
            format!("Av de {u} uppdaterade nyckeltalen är {} värden", genitive(focus_name))
        };
        for (set, word) in [(&s.better, "bättre"), (&s.worse, "sämre")] {
            out.push(if set.is_empty() {
                format!("{lead} inte {word} i jämförelse med andra för något nyckeltal.")
            } else {
                format!(
                    "{lead} {word} i jämförelse med andra för {}{} ({}).",
                    st(set.len()),
                    sex_phrase(set, s),
                    set.list()
                )
            });
        }

        let parts: Vec<(&CodeSet, &str)> = vec![
            (&s.improved_both_sexes, "för både kvinnor och män"),
            (&s.improved_only_men, "för enbart männen"),
            (&s.improved_only_women, "för enbart kvinnorna"),
            (&s.improved_total_only, "totalt (ej könsuppdelat)"),
        ];
        let parts: Vec<(&CodeSet, &str)> = parts.into_iter().filter(|(set, _)| !set.is_empty()).collect();
        out.push(match s.improved.len() {
            0 => "Inget av de uppdaterade nyckeltalen har förbättrats sedan föregående år.".to_string(),
            1 => {
                let (set, how) = parts[0];
                format!("1 nyckeltal har förbättrats sedan föregående år, {how} ({}).", set.list())
            }
            k => {
                let phrases: Vec<String> = parts
                    .iter()
                    .map(|(set, how)| format!("{} st förbättrats {how} ({})", set.len(), set.list()))
                    .collect();
                format!(
                    "Av de {k} nyckeltal som förbättrats i något avseende sedan föregående år har {}.",
                    crate::format::join_sv(&phrases)
                )
            }
        });
    }

    match s.fact_indicators.len() {
        0 => {}
        1 => out.push(format!(
            "1 av nyckeltalen är ett så kallat faktanyckeltal och saknar därmed ”riktning” ({}).",
            s.fact_indicators.list()
        )),
        f => out.push(format!(
            "{f} av nyckeltalen är så kallade faktanyckeltal och saknar därmed ”riktning” ({}).",
            s.fact_indicators.list()
        )),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nyckeltal::default_catalogue;
    use crate::nyckeltal::katalog::{Catalogue, Direction, IndicatorStatus};
    use crate::nyckeltal::utvardering::evaluate;
    use crate::nyckeltal::varde::{evaluated_genders, Dataset, Observation, Period, PreviousEdition, Value};
    use proptest::prelude::*;

    /// The 21 Swedish regions' Kolada codes.
    const REGIONS: [&str; 21] = [
        "0001", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0012", "0013", "0014",
        "0017", "0018", "0019", "0020", "0021", "0022", "0023", "0024", "0025",
    ];

    #[derive(Clone, Copy, PartialEq)]
    enum Pos {
        Best,
        Middle,
        Worst,
    }

    /// How an indicator should come out for Dalarna in the hand-made 2025 edition.
    struct Want {
        code: &'static str,
        updated: bool,
        pos: Pos,
        improved_k: bool,
        improved_m: bool,
    }

    const fn w(code: &'static str, updated: bool, pos: Pos, improved_k: bool, improved_m: bool) -> Want {
        Want { code, updated, pos, improved_k, improved_m }
    }

    /// Builds the current edition's data and the previous edition's data so that Dalarna (0020)
    /// reproduces the report's 2025 summary.
    fn two_editions(catalogue: &Catalogue) -> (Dataset, Dataset) {
        use Pos::*;
        let wants = [
            w("1.1", true, Worst, false, false),
            w("1.2", false, Middle, false, false),
            w("1.4", false, Middle, true, true), // improved, but not updated: not counted
            w("2.1", true, Best, true, true),
            w("2.3", true, Middle, true, true), // fact: not counted as improved
            w("2.4", true, Middle, false, false),
            w("3.1", false, Best, false, false), // green, but not updated: not counted
            w("3.2", true, Worst, false, false),
            w("3.3", true, Middle, true, false),
            w("3.4", true, Middle, false, false),
            w("4.1", false, Middle, false, false),
            w("4.2", true, Worst, true, true),
            w("4.3", false, Middle, false, false),
            w("4.4", false, Worst, false, false),
            w("5.1", true, Best, false, true),
            w("5.2", true, Best, false, false),
            w("5.3", true, Worst, false, false),
        ];
        let mut current = Vec::new();
        let mut o = |code: &str, org: &str, year: i32, g: Gender, v: Value| {
            current.push(Observation {
                indicator: code.parse().unwrap(),
                org: org.into(),
                period: Period(year),
                gender: g,
                value: v,
            })
        };
        // Under development: data present but must be ignored.
        o("1.3", "0020", 2024, Gender::T, Value::Number(50.0));
        for want in &wants {
            let ind = catalogue.get(want.code.parse().unwrap()).unwrap();
            let higher = ind.direction != Direction::LowerIsBetter;
            let newest = if want.updated { 2024 } else { 2023 };
            for &g in evaluated_genders(ind.split_by_sex) {
                // Other regions: 1..=20 in every year.
                for (i, org) in REGIONS.iter().filter(|r| **r != "0020").enumerate() {
                    for year in 2021..=newest {
                        o(want.code, org, year, g, Value::Number(i as f64 + 1.0));
                    }
                }
                let now = match (want.pos, higher) {
                    (Best, true) | (Worst, false) => 100.0,
                    (Worst, true) | (Best, false) => 0.0,
                    (Middle, _) => 10.5,
                };
                let improved = match g {
                    Gender::K => want.improved_k,
                    Gender::M => want.improved_m,
                    Gender::T => want.improved_k && want.improved_m,
                };
                let before = if improved == higher { now - 1.0 } else { now + 1.0 };
                o(want.code, "0020", newest - 2, g, Value::Number(before + 3.0));
                o(want.code, "0020", newest - 1, g, Value::Number(before));
                o(want.code, "0020", newest, g, Value::Number(now));
                // A confidential value for 2025 must not hide the 2024 value.
                if want.code == "5.3" {
                    o(want.code, "0020", 2025, g, Value::Confidential);
                }
            }
        }
        let previous: Vec<Observation> = current.iter().filter(|x| x.period.0 <= 2023).cloned().collect();
        (Dataset::new(current).unwrap(), Dataset::new(previous).unwrap())
    }

    fn set(codes: &[&str]) -> CodeSet {
        codes.iter().map(|c| c.parse().unwrap()).collect()
    }

    #[test]
    fn reproduces_the_2025_summary_of_the_annual_report() {
        let catalogue = default_catalogue();
        let (current, previous) = two_editions(&catalogue);
        let prev = PreviousEdition::from_dataset(&previous, &catalogue);
        let summary = summarize(&evaluate(&catalogue, &current, "0020", Some(&prev)));

        assert_eq!(summary.total, 20);
        assert_eq!(summary.under_development, set(&["1.3", "2.2", "5.4"]));
        assert_eq!(summary.not_updated, set(&["1.2", "1.4", "3.1", "4.1", "4.3", "4.4"]));
        assert_eq!(summary.updated.len(), 11);
        assert!(summary.without_value.is_empty());
        assert_eq!(summary.better, set(&["2.1", "5.1", "5.2"]));
        assert_eq!(summary.worse, set(&["1.1", "3.2", "4.2", "5.3"]));
        assert_eq!(summary.improved_both_sexes, set(&["2.1", "4.2"]));
        assert_eq!(summary.improved_only_men, set(&["5.1"]));
        assert_eq!(summary.improved_only_women, set(&["3.3"]));
        assert!(summary.improved_total_only.is_empty());
        assert_eq!(summary.improved, set(&["2.1", "3.3", "4.2", "5.1"]));
        assert_eq!(summary.fact_indicators, set(&["2.3", "2.4", "3.4"]));

        let text = summary_paragraph(&summary, 2025, "Dalarna");
        assert_eq!(
            text,
            vec![
                "Infografiken 2025 omfattar totalt 20 nyckeltal.",
                "3 av 20 är fortfarande ”under utveckling” och saknar värde (1.3, 2.2, 5.4).",
                "6 av 20 har inte uppdaterats från föregående år, dvs. mätningar från 2024 och 2025 är desamma (1.2, 1.4, 3.1, 4.1, 4.3, 4.4).",
                "11 av 20 återstår och har uppdaterats i årets version av infografiken.",
                "Av de 11 uppdaterade nyckeltalen är Dalarnas värden bättre i jämförelse med andra för 3 st nyckeltal, för män och/eller kvinnor (2.1, 5.1, 5.2).",
                "Av de 11 uppdaterade nyckeltalen är Dalarnas värden sämre i jämförelse med andra för 4 st nyckeltal, för män och/eller kvinnor (1.1, 3.2, 4.2, 5.3).",
                "Av de 4 nyckeltal som förbättrats i något avseende sedan föregående år har 2 st förbättrats för både kvinnor och män (2.1, 4.2), 1 st förbättrats för enbart männen (5.1) och 1 st förbättrats för enbart kvinnorna (3.3).",
                "3 av nyckeltalen är så kallade faktanyckeltal och saknar därmed ”riktning” (2.3, 2.4, 3.4).",
            ]
        );
        for line in &text {
            assert!(!line.contains("sämst") && !line.contains("bäst"), "{line}");
        }
    }

    #[test]
    fn summary_json_has_stable_field_names() {
        let catalogue = default_catalogue();
        let (current, previous) = two_editions(&catalogue);
        let prev = PreviousEdition::from_dataset(&previous, &catalogue);
        let summary = summarize(&evaluate(&catalogue, &current, "0020", Some(&prev)));
        let json = serde_json::to_value(&summary).unwrap();
        assert_eq!(
            json["under_development"],
            serde_json::json!({"count": 3, "codes": ["1.3", "2.2", "5.4"]})
        );
        assert_eq!(json["improved_only_men"]["codes"], serde_json::json!(["5.1"]));
        assert_eq!(json["total"], 20);
        let back: EditionSummary = serde_json::from_value(json).unwrap();
        assert_eq!(back, summary);
        let bad = serde_json::json!({"count": 2, "codes": ["1.1"]});
        assert!(serde_json::from_value::<CodeSet>(bad).is_err());
    }

    #[test]
    fn zero_and_one_are_worded_naturally() {
        let mut s = EditionSummary { focus: "2062".into(), total: 20, ..Default::default() };
        let all: Vec<IndicatorCode> = default_catalogue().indicators().iter().map(|i| i.code).collect();
        s.updated = all[..19].iter().copied().collect();
        s.without_value = set(&["5.4"]);
        s.split_by_sex = set(&["1.1"]);
        s.better = set(&["1.1"]);
        s.improved = set(&["4.3"]);
        s.improved_total_only = set(&["4.3"]);
        s.fact_indicators = set(&["2.3"]);
        let text = summary_paragraph(&s, 2026, "Mora");
        assert_eq!(
            text,
            vec![
                "Infografiken 2026 omfattar totalt 20 nyckeltal.",
                "Inget av de 20 nyckeltalen är under utveckling; alla har ett fastställt mått.",
                "1 av 20 saknar värde för Mora (5.4).",
                "Inget nyckeltal med värde är detsamma som i föregående års infografik.",
                "19 av 20 har uppdaterats i årets version av infografiken.",
                "Av de 19 uppdaterade nyckeltalen är Moras värden bättre i jämförelse med andra för 1 nyckeltal, för män och/eller kvinnor (1.1).",
                "Av de 19 uppdaterade nyckeltalen är Moras värden inte sämre i jämförelse med andra för något nyckeltal.",
                "1 nyckeltal har förbättrats sedan föregående år, totalt (ej könsuppdelat) (4.3).",
                "1 av nyckeltalen är ett så kallat faktanyckeltal och saknar därmed ”riktning” (2.3).",
            ]
        );
        // Nothing updated at all.
        let s = EditionSummary {
            focus: "x".into(),
            total: 20,
            not_updated: all.iter().copied().collect(),
            ..Default::default()
        };
        let text = summary_paragraph(&s, 2026, "Falun");
        assert_eq!(text.len(), 4);
        assert_eq!(text[3], "Inget nyckeltal har uppdaterats i årets version av infografiken.");
        assert_eq!(genitive("Borås"), "Borås");
        assert_eq!(genitive("Region Dalarna"), "Region Dalarnas");
    }

    #[test]
    fn an_indicator_can_be_better_for_women_and_worse_for_men() {
        let catalogue = default_catalogue();
        let mut o = Vec::new();
        for (i, org) in REGIONS.iter().filter(|r| **r != "0020").enumerate() {
            for g in [Gender::T, Gender::K, Gender::M] {
                o.push(Observation {
                    indicator: "2.1".parse().unwrap(),
                    org: org.to_string(),
                    period: Period(2024),
                    gender: g,
                    value: Value::Number(i as f64),
                });
            }
        }
        for (g, v) in [(Gender::T, 10.0), (Gender::K, 99.0), (Gender::M, -1.0)] {
            o.push(Observation {
                indicator: "2.1".parse().unwrap(),
                org: "0020".into(),
                period: Period(2024),
                gender: g,
                value: Value::Number(v),
            });
        }
        let s = summarize(&evaluate(&catalogue, &Dataset::new(o).unwrap(), "0020", None));
        assert_eq!(s.better, set(&["2.1"]));
        assert_eq!(s.worse, set(&["2.1"]));
        // 20 − 3 under development − 2.1; the others (fact indicators included) have no data.
        assert_eq!(s.without_value.len(), 16);
    }

    proptest! {
        /// Every indicator is in exactly one status set; improvement buckets partition `improved`;
        /// better/worse/improved only contain updated, non-fact indicators.
        #[test]
        fn summary_counts_add_up(
            values in proptest::collection::vec((0u8..4, 0u8..4, 0u8..4), 20),
            prev_years in proptest::collection::vec(2022i32..2026, 20),
            under_dev in proptest::collection::vec(any::<bool>(), 20),
        ) {
            let mut inds = default_catalogue().indicators().to_vec();
            for (ind, dev) in inds.iter_mut().zip(&under_dev) {
                if *dev { ind.status = IndicatorStatus::UnderDevelopment; }
            }
            let catalogue = Catalogue::new(inds).unwrap();
            let mut o = Vec::new();
            let mut prev = PreviousEdition::new();
            for (k, ind) in catalogue.indicators().iter().enumerate() {
                prev.set(ind.code, "2084", Period(prev_years[k]));
                for &g in evaluated_genders(ind.split_by_sex) {
                    for (j, org) in ["2080", "2081", "2082", "2083", "2084"].iter().enumerate() {
                        let (a, b, c) = values[k];
                        let v = f64::from([a, b, c][j % 3]) + j as f64 * 0.5;
                        o.push(Observation { indicator: ind.code, org: org.to_string(), period: Period(2024), gender: g, value: Value::Number(v) });
                        o.push(Observation { indicator: ind.code, org: org.to_string(), period: Period(2023), gender: g, value: Value::Number(f64::from(b)) });
                    }
                }
            }
            let data = Dataset::new(o).unwrap();
            let s = summarize(&evaluate(&catalogue, &data, "2084", Some(&prev)));
            // Every active indicator has a value here, so the three statuses cover everything.
            prop_assert!(s.without_value.is_empty());
            prop_assert_eq!(s.under_development.len() + s.not_updated.len() + s.updated.len(), 20);
            let buckets = [&s.improved_both_sexes, &s.improved_only_men, &s.improved_only_women, &s.improved_total_only];
            prop_assert_eq!(buckets.iter().map(|b| b.len()).sum::<usize>(), s.improved.len());
            for c in s.better.iter().chain(s.worse.iter()).chain(s.improved.iter()) {
                prop_assert!(s.updated.contains(c));
                prop_assert!(!s.fact_indicators.contains(c));
            }
            for c in s.fact_indicators.iter() {
                prop_assert!(!s.under_development.contains(c));
            }
            let text = summary_paragraph(&s, 2025, "Avesta");
            prop_assert!(text.iter().all(|l| l.ends_with('.')));
        }
    }
}

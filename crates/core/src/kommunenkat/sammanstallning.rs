//! Compilation of all municipalities' answers: figure 3 (areas by number of municipalities),
//! free text per heading, "X av 15", and the table models for export.

use super::answer::AnswerSet;
use super::areas::{Area, Heading, OTHER_CODE, OTHER_LABEL};
use crate::format::of;
use crate::format::swedish_cmp;
use crate::organisation::Registry;
use serde::{Deserialize, Serialize};

/// A municipality named in the compilation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MunicipalityRef {
    pub code: String,
    pub name: String,
}

/// A registry municipality and whether it has answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MunicipalityStatus {
    pub code: String,
    pub name: String,
    pub answered: bool,
}

/// One bar of figure 3: an area and the municipalities that ticked it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AreaCount {
    /// [`Area::code`], or `"annat"` for "Annat, nämligen …".
    pub code: String,
    pub label: String,
    /// Number of municipalities that ticked the area.
    pub count: usize,
    /// Those municipalities, in Swedish name order.
    pub municipalities: Vec<MunicipalityRef>,
    /// Few municipalities work with this area: development potential (see [`compile`]).
    /// Never set for "annat".
    pub development_potential: bool,
    /// True for the "Annat, nämligen …" row.
    pub is_other: bool,
}

/// One free-text answer with its municipality. Whether the municipality is shown is the
/// caller's choice; report text hides it by default ([`FreeTextSection::bullets`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FreeTextEntry {
    pub municipality: MunicipalityRef,
    pub text: String,
}

/// All answers under one free-text heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FreeTextSection {
    pub heading: Heading,
    pub title: String,
    /// "9 av 15": municipalities that wrote something under this heading, of all answered.
    pub answered: String,
    /// In Swedish municipality name order.
    pub entries: Vec<FreeTextEntry>,
}

impl FreeTextSection {
    /// Bullet texts for the report. With `show_municipality` each ends with " (Avesta)" and the
    /// order is by municipality; without it (the default in report text) the bullets are ordered
    /// by text, so that not even the order reveals who wrote what.
    pub fn bullets(&self, show_municipality: bool) -> Vec<String> {
        if show_municipality {
            self.entries.iter().map(|e| format!("{} ({})", e.text, e.municipality.name)).collect()
        } else {
            let mut texts: Vec<String> = self.entries.iter().map(|e| e.text.clone()).collect();
            texts.sort_by(|a, b| swedish_cmp(a, b));
            texts
        }
    }
}

/// A sheet of an export workbook: name (≤ 31 characters) and cells, header row first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Sheet {
    pub name: String,
    pub cells: Vec<Vec<String>>,
}

/// The compiled survey of one year, as RSS submits it and the report summarises it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SurveyCompilation {
    pub year: i32,
    /// Number of municipalities that answered.
    pub answered: usize,
    /// Number of municipalities in the registry.
    pub expected: usize,
    /// "15 av 15".
    pub answered_text: String,
    /// All registry municipalities in Swedish name order, with answer status.
    pub municipalities: Vec<MunicipalityStatus>,
    /// Largest count still flagged as development potential (answered / 3, rounded down).
    pub development_threshold: usize,
    /// Figure 3: fixed areas by count descending, ties by label in Swedish order; then the
    /// "Annat, nämligen …" row last (when anyone ticked it).
    pub areas: Vec<AreaCount>,
    /// The texts written under "Annat, nämligen …".
    pub other_texts: Vec<FreeTextEntry>,
    /// One section per heading, in the report's order (also when empty).
    pub sections: Vec<FreeTextSection>,
}

fn sorted_refs(mut refs: Vec<MunicipalityRef>) -> Vec<MunicipalityRef> {
    refs.sort_by(|a, b| swedish_cmp(&a.name, &b.name).then_with(|| a.code.cmp(&b.code)));
    refs
}

fn sorted_entries(mut entries: Vec<FreeTextEntry>) -> Vec<FreeTextEntry> {
    entries.sort_by(|a, b| {
        swedish_cmp(&a.municipality.name, &b.municipality.name)
            .then_with(|| a.municipality.code.cmp(&b.municipality.code))
    });
    entries
}

/// Compiles the answers.
///
/// Development potential (design decision, following the report's "det finns
/// utvecklingspotential inom …" for areas few municipalities mention): an area is flagged when
/// at least one municipality answered and at most one third of those who answered ticked it
/// (`3 × count ≤ answered`; with 15 answers: 5 or fewer). Areas nobody ticked are included with
/// count 0 and flagged. "Annat" is never flagged, since its texts differ.
pub fn compile(registry: &Registry, answers: &AnswerSet) -> SurveyCompilation {
    let name_of = |code: &str| MunicipalityRef {
        code: code.to_string(),
        name: registry
            .municipalities
            .iter()
            .find(|m| m.code == code)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| code.to_string()),
    };
    let answered = answers.len();
    let flagged = |count: usize| answered > 0 && 3 * count <= answered;

    let mut areas: Vec<AreaCount> = Area::ALL
        .iter()
        .map(|&area| {
            let municipalities = sorted_refs(
                answers
                    .iter()
                    .filter(|a| a.areas.contains(&area))
                    .map(|a| name_of(&a.municipality_code))
                    .collect(),
            );
            let count = municipalities.len();
            AreaCount {
                code: area.code().to_string(),
                label: area.label().to_string(),
                count,
                municipalities,
                development_potential: flagged(count),
                is_other: false,
            }
        })
        .collect();
    areas.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| swedish_cmp(&a.label, &b.label)));

    let other_texts = sorted_entries(
        answers
            .iter()
            .filter_map(|a| {
                a.other.as_ref().map(|t| FreeTextEntry {
                    municipality: name_of(&a.municipality_code),
                    text: t.to_string(),
                })
            })
            .collect(),
    );
    if !other_texts.is_empty() {
        areas.push(AreaCount {
            code: OTHER_CODE.to_string(),
            label: OTHER_LABEL.to_string(),
            count: other_texts.len(),
            municipalities: other_texts.iter().map(|e| e.municipality.clone()).collect(),
            development_potential: false,
            is_other: true,
        });
    }

    let sections = Heading::ALL
        .iter()
        .map(|&heading| {
            let entries = sorted_entries(
                answers
                    .iter()
                    .filter_map(|a| {
                        a.free_text.get(&heading).map(|t| FreeTextEntry {
                            municipality: name_of(&a.municipality_code),
                            text: t.to_string(),
                        })
                    })
                    .collect(),
            );
            FreeTextSection {
                heading,
                title: heading.title().to_string(),
                answered: of(entries.len(), answered),
                entries,
            }
        })
        .collect();

    let mut municipalities: Vec<MunicipalityStatus> = registry
        .municipalities
        .iter()
        .map(|m| MunicipalityStatus {
            code: m.code.clone(),
            name: m.name.clone(),
            answered: answers.get(&m.code).is_some(),
        })
        .collect();
    municipalities.sort_by(|a, b| swedish_cmp(&a.name, &b.name).then_with(|| a.code.cmp(&b.code)));

    SurveyCompilation {
        year: answers.year(),
        answered,
        expected: registry.municipalities.len(),
        answered_text: of(answered, registry.municipalities.len()),
        municipalities,
        development_threshold: answered / 3,
        areas,
        other_texts,
        sections,
    }
}

impl SurveyCompilation {
    /// Municipalities of the registry that have not answered, in Swedish name order.
    pub fn not_answered(&self) -> Vec<&MunicipalityStatus> {
        self.municipalities.iter().filter(|m| !m.answered).collect()
    }

    /// Figure 3 as a table (every chart is also available as a table):
    /// "Område och arbetssätt" | "Antal kommuner" | "Utvecklingspotential".
    pub fn figure_table(&self) -> Vec<Vec<String>> {
        let mut out = vec![vec![
            "Område och arbetssätt".to_string(),
            "Antal kommuner".to_string(),
            "Utvecklingspotential".to_string(),
        ]];
        for a in &self.areas {
            out.push(vec![
                a.label.clone(),
                a.count.to_string(),
                if a.development_potential { "Ja".to_string() } else { String::new() },
            ]);
        }
        out
    }

    /// The report's sentence on development potential, e.g. "Av rapporteringen framgår att det
    /// finns utvecklingspotential inom distansmonitorering, mobila team samt producent till NPÖ."
    /// Areas in figure order. `None` when no area is flagged.
    pub fn development_potential_text(&self) -> Option<String> {
        let phrases: Vec<&str> = self
            .areas
            .iter()
            .filter(|a| a.development_potential)
            .filter_map(|a| Area::from_code(&a.code))
            .map(Area::phrase)
            .collect();
        let list = match phrases.as_slice() {
            [] => return None,
            [one] => one.to_string(),
            [init @ .., last] => format!("{} samt {last}", init.join(", ")),
        };
        Some(format!("Av rapporteringen framgår att det finns utvecklingspotential inom {list}."))
    }

    /// Overview table for export: one row per registry municipality, one column per question
    /// ("Ja"/"Nej" per area for those who answered, texts per heading; empty cells for
    /// municipalities that have not answered).
    pub fn overview_cells(&self) -> Vec<Vec<String>> {
        let mut header = vec!["Kommunkod".to_string(), "Kommun".to_string(), "Har svarat".to_string()];
        header.extend(Area::ALL.iter().map(|a| a.label().to_string()));
        header.push(OTHER_LABEL.to_string());
        header.extend(Heading::ALL.iter().map(|h| h.short_label().to_string()));
        let mut out = vec![header];
        for m in &self.municipalities {
            let mut row =
                vec![m.code.clone(), m.name.clone(), if m.answered { "Ja" } else { "Nej" }.to_string()];
            for area in Area::ALL {
                let ticked = self
                    .areas
                    .iter()
                    .find(|a| a.code == area.code())
                    .is_some_and(|a| a.municipalities.iter().any(|r| r.code == m.code));
                row.push(match (m.answered, ticked) {
                    (false, _) => String::new(),
                    (true, true) => "Ja".to_string(),
                    (true, false) => "Nej".to_string(),
                });
            }
            row.push(
                self.other_texts
                    .iter()
                    .find(|e| e.municipality.code == m.code)
                    .map(|e| e.text.clone())
                    .unwrap_or_default(),
            );
            for section in &self.sections {
                row.push(
                    section
                        .entries
                        .iter()
                        .find(|e| e.municipality.code == m.code)
                        .map(|e| e.text.clone())
                        .unwrap_or_default(),
                );
            }
            out.push(row);
        }
        out
    }

    /// The export workbook's sheets: "Översikt" (overview), "Områden" (figure 3 as a table),
    /// then one sheet per heading with the columns "Kommun" and "Svar".
    pub fn export_sheets(&self) -> Vec<Sheet> {
        let mut sheets = vec![
            Sheet { name: "Översikt".to_string(), cells: self.overview_cells() },
            Sheet { name: "Områden".to_string(), cells: self.figure_table() },
        ];
        for section in &self.sections {
            let mut cells = vec![vec!["Kommun".to_string(), "Svar".to_string()]];
            cells.extend(section.entries.iter().map(|e| vec![e.municipality.name.clone(), e.text.clone()]));
            sheets.push(Sheet { name: section.heading.short_label().to_string(), cells });
        }
        sheets
    }
}

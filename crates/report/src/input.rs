//! [`ReportInput`]: everything the annual report is generated from, as one serialisable value.
//!
//! Publishing a report freezes this value as JSON; regenerating from the frozen JSON gives the
//! same document. Every module's part is an `Option`: `None` means the module has no stored data
//! for the year, and the report then says so ("Uppgifter saknas för …") instead of inventing
//! anything.
//!
//! Where the core's result types can be deserialised they are stored as they are (the economy
//! summary, the municipal survey compilation, the annual plan of support activities, the mapping
//! answers). The self-assessment analyses and the indicator evaluation are stored as the small
//! snapshot types below ([`SelfAssessmentInput`], [`IndicatorInput`]) built from the core's
//! results with `from_…` constructors, so the frozen format is owned by this crate.

use chrono::NaiveDate;
use gnv_core::delmal::SubGoal;
use gnv_core::ekonomi::EconomySummary;
use gnv_core::format;
use gnv_core::kartlaggning::MappingAnswer;
use gnv_core::kommunenkat::SurveyCompilation;
use gnv_core::lansprofil::{CountyProfile, InfographicPlace, ProfileSource};
use gnv_core::nyckeltal::{Catalogue, EditionSummary, Evaluation, Gender, IndicatorStatus};
use gnv_core::organisation::Registry;
use gnv_core::planering::AnnualPlan;
use gnv_core::sjalvskattning::{compare_years, YearAnalysis};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the frozen JSON format.
///
/// - 1: the first format. A report frozen with it is regenerated exactly as it was generated
///   (fixed method sentences, every free-text answer printed, narratives after their section).
/// - 2: structured narratives ([`ReportInput::layouts`]), chosen quotes ([`ReportInput::quotes`]),
///   method sentences only from recorded facts ([`ReportInput::round`],
///   [`ReportInput::deliveries`]), numbered analyst subheadings in the table of contents.
///   Later optional fields of schema 2 ([`ReportInput::municipal_deliveries`],
///   [`ReportInput::analysis`]) are absent from inputs frozen before them, which therefore
///   regenerate without them, byte for byte as before.
pub const SCHEMA_VERSION: u32 = 2;

/// Everything the report of one year is generated from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportInput {
    /// [`SCHEMA_VERSION`] at the time of freezing.
    pub schema: u32,
    /// The year the report covers ("Årsrapport 2025").
    pub year: i32,
    /// Date printed on the report and written into the files: the publication date, or for a
    /// draft the day it was made. `None` gives 31 December of the report year (deterministic).
    pub date: Option<NaiveDate>,
    /// A draft carries an "Utkast" notice at the top.
    #[serde(default)]
    pub draft: bool,
    /// The author printed under the title: the county profile's support unit.
    pub author: String,
    /// What the report takes from the county profile (name in running text, vision, title,
    /// the county's sources, where the infographic is published). Reports frozen before the
    /// profile existed read with the built-in profile, which they were written with.
    #[serde(default = "ReportCounty::builtin")]
    pub county: ReportCounty,
    /// The county's organisations (the LSLs and their municipalities are listed in section 2).
    pub registry: Registry,
    /// The county's sub-goals (section 1.1 and the self-assessment).
    pub subgoals: Vec<SubGoal>,
    /// Section 3.1 and appendix 2, from the frozen indicator edition.
    pub indicators: Option<IndicatorInput>,
    /// Section 3.2 and appendix 3.
    pub self_assessment: Option<SelfAssessmentInput>,
    /// Section 3.3.
    pub mapping: Option<MappingInput>,
    /// Section 3.4.
    pub survey: Option<SurveyCompilation>,
    /// Appendix 1.
    pub economy: Option<EconomySummary>,
    /// Section 3.5: the year's annual plan with its registered occurrences.
    pub support: Option<AnnualPlan>,
    /// Analyst narratives (Markdown) per section key (see [`crate::SECTIONS`]).
    pub narratives: BTreeMap<String, String>,
    /// Stored answers left out of a section's compilation because they could not be read, per
    /// section key ("Svaret från … kunde inte läsas och ingår inte: …"); printed in the section.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub data_warnings: BTreeMap<String, Vec<String>>,
    /// Structured narratives (schema 2): per section key the ordered list of generated parts and
    /// analyst text blocks. A section without an entry falls back to [`ReportInput::narratives`]
    /// (text after all generated parts).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub layouts: BTreeMap<String, Vec<crate::layout::LayoutItem>>,
    /// The quotes the analyst chose from the free-text answers (schema 2), in report order per
    /// source. Nothing is quoted unless chosen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<crate::quotes::ChosenQuote>,
    /// The year's reporting round as recorded (schema 2): its parts and the invitations actually
    /// mailed. `None`: no round is stored for the year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<RoundFacts>,
    /// Recorded deliveries to external bodies (schema 2), e.g. the municipal survey's compilation
    /// to Socialstyrelsen. A sentence about a delivery is written only from an entry here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deliveries: Vec<Delivery>,
    /// The regional action plan's follow-up for the year (section 3.6); `None` when no plan
    /// version covering the year was in force, and in reports frozen before the section existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_plan: Option<crate::handlingsplan::ActionPlanInput>,
    /// Recorded deliveries per municipality (the survey reported to Socialstyrelsen for one
    /// municipality); the report then states the delivery per municipality
    /// ([`crate::analys::survey_delivery_sentence`]). Empty in inputs frozen before them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub municipal_deliveries: Vec<MunicipalDelivery>,
    /// The analyses of section 3.2.3 and the multi-year statements of 3.2.1
    /// ([`crate::analys`]); `None` in inputs frozen before them, which regenerate without them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<crate::analys::AnalysisInput>,
}

/// The reporting round of the report year, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundFacts {
    pub year: i32,
    /// The round's parts in the round's order, as Swedish labels ("Självskattning", …).
    pub parts: Vec<String>,
    /// The invitation e-mails actually sent for the round (mail log); `None` when none is logged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitations: Option<InvitationFacts>,
}

/// What the mail log says about a round's invitations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationFacts {
    /// First and last day (Swedish time) an invitation was sent.
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Distinct recipient addresses.
    pub recipients: usize,
    /// Distinct organisations addressed, by kind.
    pub municipalities: usize,
    pub lsls: usize,
    pub other_organisations: usize,
}

/// The kind of [`Delivery`] that records the municipal survey's compilation handed to
/// Socialstyrelsen.
pub const DELIVERY_SURVEY_TO_SOCIALSTYRELSEN: &str = "kommunenkat_socialstyrelsen";

/// A recorded delivery to an external body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// What was delivered, e.g. [`DELIVERY_SURVEY_TO_SOCIALSTYRELSEN`].
    pub kind: String,
    pub date: NaiveDate,
    /// Who delivered it ("RSS Dalarna").
    pub by: String,
    #[serde(default)]
    pub note: String,
}

/// A recorded delivery that concerns one municipality (a [`Delivery`] concerns every
/// municipality): the municipality's survey reported to Socialstyrelsen on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalDelivery {
    /// What was delivered, e.g. [`DELIVERY_SURVEY_TO_SOCIALSTYRELSEN`].
    pub kind: String,
    pub date: NaiveDate,
    /// Who delivered it.
    pub by: String,
    /// The municipality's code and name when the report was assembled.
    pub code: String,
    pub name: String,
}

impl ReportInput {
    /// An input with no module data: every result section will say that data is missing. The
    /// county part is the built-in profile's with the registry's county name;
    /// [`ReportInput::with_profile`] sets another.
    pub fn empty(year: i32, registry: Registry, subgoals: Vec<SubGoal>) -> Self {
        let mut county = ReportCounty::builtin();
        county.name = county_short(&registry.county_name);
        ReportInput {
            schema: SCHEMA_VERSION,
            year,
            date: None,
            draft: true,
            author: county.support_unit.clone(),
            county,
            registry,
            subgoals,
            indicators: None,
            self_assessment: None,
            mapping: None,
            survey: None,
            economy: None,
            support: None,
            narratives: BTreeMap::new(),
            data_warnings: BTreeMap::new(),
            layouts: BTreeMap::new(),
            quotes: Vec::new(),
            round: None,
            deliveries: Vec::new(),
            action_plan: None,
            municipal_deliveries: Vec::new(),
            analysis: None,
        }
    }

    /// The county's short name for running text, from the county profile ("i Värmland").
    pub fn county_short(&self) -> String {
        self.county.name.clone()
    }

    /// Takes the author and the county part from `profile` (the sub-goals are the stored ones,
    /// which the profile keeps equal to its own).
    pub fn with_profile(mut self, profile: &CountyProfile) -> Self {
        self.county = ReportCounty::from_profile(profile);
        self.author = profile.support_unit.clone();
        self
    }

    /// The narrative of a section, trimmed; `None` when empty. With a structured layout
    /// (schema 2): its text blocks joined by a blank line.
    pub fn narrative(&self, key: &str) -> Option<String> {
        if let Some(items) = self.layouts.get(key) {
            let texts: Vec<&str> = items
                .iter()
                .filter_map(|i| match i {
                    crate::layout::LayoutItem::Text { body } => Some(body.trim()),
                    crate::layout::LayoutItem::Part { .. } => None,
                })
                .filter(|t| !t.is_empty())
                .collect();
            return (!texts.is_empty()).then(|| texts.join("\n\n"));
        }
        self.narratives.get(key).map(|s| s.trim()).filter(|s| !s.is_empty()).map(str::to_string)
    }

    /// Whether the input uses the first frozen format (regenerated exactly as then).
    pub fn is_schema_1(&self) -> bool {
        self.schema < 2
    }

    /// The frozen JSON form.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a frozen JSON form.
    pub fn from_json(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|e| format!("Rapportunderlaget kunde inte läsas: {e}"))
    }
}

/// What the report takes from the county profile ([`gnv_core::lansprofil`]), frozen with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportCounty {
    /// Short name in running text ("i Dalarna").
    pub name: String,
    /// The regional support unit.
    pub support_unit: String,
    /// The shared vision.
    pub vision: String,
    /// The report title pattern with `{år}` and `{län}`.
    pub report_title: String,
    /// Where the infographic is published, if it is.
    pub infographic: Option<InfographicPlace>,
    /// The county's own sources.
    pub sources: Vec<ProfileSource>,
}

impl ReportCounty {
    /// From a county profile.
    pub fn from_profile(p: &CountyProfile) -> Self {
        ReportCounty {
            name: p.county.clone(),
            support_unit: p.support_unit.clone(),
            vision: p.vision.clone(),
            report_title: p.report_title.clone(),
            infographic: p.infographic.clone(),
            sources: p.sources.clone(),
        }
    }

    /// From the built-in profile (what reports frozen before county profiles were written with).
    pub fn builtin() -> Self {
        Self::from_profile(&CountyProfile::builtin())
    }

    /// The title for `year`.
    pub fn title(&self, year: i32) -> String {
        self.report_title.replace("{år}", &year.to_string()).replace("{län}", &self.name)
    }
}

/// "Dalarnas län" → "Dalarna", "Skåne län" → "Skåne", "Västra Götalands län" → "Västra Götaland".
pub fn county_short(county_name: &str) -> String {
    gnv_core::lansprofil::short_county_name(county_name)
}

// ---------------------------------------------------------------------------------------------
// Indicators

/// Section 3.1 and appendix 2: the edition's summary sets and one row per indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorInput {
    /// The edition's year ("Infografiken 2025").
    pub edition_year: i32,
    /// The focus organisation's name as used in the sentences ("Dalarna").
    pub focus_name: String,
    pub summary: EditionSummary,
    /// Appendix 2, in code order.
    pub rows: Vec<IndicatorRow>,
}

/// One indicator of appendix 2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorRow {
    /// "1.1".
    pub code: String,
    pub subgoal: u8,
    pub title: String,
    pub unit: String,
    /// "Uppdaterat", "Inte uppdaterat", "Under utveckling", …
    pub status: String,
    /// True for fact indicators (no arrow colour, no comparison).
    pub fact: bool,
    /// One line per shown gender (total, and women and men when split).
    pub values: Vec<IndicatorValue>,
}

/// The value of one gender of one indicator, all in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorValue {
    /// "Totalt", "Kvinnor", "Män".
    pub gender: String,
    /// "12,3 (2024)" or "Värde saknas".
    pub value: String,
    /// "↑ ökat – förbättrat", "→ oförändrat", "–".
    pub change: String,
    /// "Grön – bättre i jämförelse med andra", "–".
    pub comparison: String,
    /// The same in typed form for the infographic figure of appendix 2; absent in inputs
    /// frozen before the figure existed (then the appendix has the tables only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graphic: Option<ValueGraphic>,
}

/// One gender's value of one indicator as the infographic draws it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueGraphic {
    /// Formatted value ("62,8"), `None` when missing.
    pub value: Option<String>,
    pub period: Option<i32>,
    pub change: Option<(gnv_core::nyckeltal::Arrow, Option<gnv_core::nyckeltal::Assessment>)>,
    /// `None` for fact indicators.
    pub comparison: Option<gnv_core::nyckeltal::Colour>,
}

fn gender_label(g: Gender) -> &'static str {
    match g {
        Gender::T => "Totalt",
        Gender::K => "Kvinnor",
        Gender::M => "Män",
    }
}

fn arrow_symbol(a: gnv_core::nyckeltal::Arrow) -> &'static str {
    match a {
        gnv_core::nyckeltal::Arrow::Up => "↑",
        gnv_core::nyckeltal::Arrow::Down => "↓",
        gnv_core::nyckeltal::Arrow::Unchanged => "→",
    }
}

fn colour_word(c: gnv_core::nyckeltal::Colour) -> &'static str {
    match c {
        gnv_core::nyckeltal::Colour::Green => "Grön",
        gnv_core::nyckeltal::Colour::Yellow => "Gul",
        gnv_core::nyckeltal::Colour::Red => "Röd",
        gnv_core::nyckeltal::Colour::Grey => "Grå",
    }
}

impl IndicatorInput {
    /// Builds the section's input from an edition's evaluation and the catalogue it was made with.
    pub fn from_evaluation(
        edition_year: i32,
        focus_name: &str,
        catalogue: &Catalogue,
        evaluation: &Evaluation,
    ) -> Self {
        let summary = gnv_core::nyckeltal::summarize(evaluation);
        let mut rows = Vec::new();
        for ind in catalogue.indicators() {
            let result = evaluation.get(ind.code);
            let under_dev = ind.status == IndicatorStatus::UnderDevelopment;
            let status = result.map(|r| r.update.label().to_string()).unwrap_or_else(|| {
                if under_dev {
                    "Under utveckling".to_string()
                } else {
                    "Värde saknas".to_string()
                }
            });
            let mut values = Vec::new();
            if let Some(r) = result {
                for g in &r.genders {
                    let value = match &g.latest {
                        Some(pv) => format!("{} ({})", ind.format_value(pv.value), pv.period),
                        None => "Värde saknas".to_string(),
                    };
                    let change = match g.change {
                        Some(c) => match c.assessment {
                            Some(a) if !ind.is_fact() => {
                                format!("{} {} – {}", arrow_symbol(c.arrow), c.arrow.label(), a.label())
                            }
                            _ => format!("{} {}", arrow_symbol(c.arrow), c.arrow.label()),
                        },
                        None => "–".to_string(),
                    };
                    let comparison = match g.comparison {
                        Some(c) if !ind.is_fact() => {
                            let colour = c.colour();
                            format!("{} – {}", colour_word(colour), colour.label())
                        }
                        _ => "–".to_string(),
                    };
                    let graphic = ValueGraphic {
                        value: g.latest.map(|pv| ind.format_value(pv.value)),
                        period: g.latest.map(|pv| pv.period.0),
                        change: g.change.map(|c| (c.arrow, c.assessment)),
                        comparison: if ind.is_fact() {
                            None
                        } else {
                            Some(
                                g.comparison.map(|c| c.colour()).unwrap_or(gnv_core::nyckeltal::Colour::Grey),
                            )
                        },
                    };
                    values.push(IndicatorValue {
                        gender: gender_label(g.gender).to_string(),
                        value,
                        change,
                        comparison,
                        graphic: Some(graphic),
                    });
                }
            }
            rows.push(IndicatorRow {
                code: ind.code.to_string(),
                subgoal: ind.subgoal,
                title: ind.title.clone(),
                unit: ind.unit.clone(),
                status,
                fact: ind.is_fact(),
                values,
            });
        }
        IndicatorInput { edition_year, focus_name: focus_name.to_string(), summary, rows }
    }
}

// ---------------------------------------------------------------------------------------------
// Self-assessment

/// Section 3.2 and appendix 3: the analysed years, oldest first (the last is the report year).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelfAssessmentInput {
    pub years: Vec<SaYear>,
    /// Comparisons of consecutive years, oldest first.
    pub comparisons: Vec<SaComparison>,
    /// The reflection questions of section 3.2.4.
    pub reflection_questions: Vec<String>,
}

/// One analysed year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaYear {
    pub year: i32,
    pub scale_min: u8,
    pub scale_max: u8,
    /// Labels of the whole steps, lowest first.
    pub scale_labels: Vec<String>,
    pub lsl_total: usize,
    pub answered: usize,
    /// "13 av 13".
    pub answered_text: String,
    pub applied_table: usize,
    /// "7 av 13".
    pub applied_table_text: String,
    pub subgoals: Vec<SaSubGoal>,
    pub highest: Vec<u8>,
    pub lowest: Vec<u8>,
    pub largest_spread: Vec<u8>,
    /// Footnotes on averaged values.
    pub footnotes: Vec<String>,
    /// The core's Swedish sentences for the year.
    pub sentences: Vec<String>,
}

/// One sub-goal of one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaSubGoal {
    pub number: u8,
    pub name: String,
    pub answered: usize,
    pub mean: Option<f64>,
    pub std_dev: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Appendix 3: the answer options and how many LSLs chose each.
    pub distribution: Vec<SaOption>,
}

/// One answer option of a distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaOption {
    /// "2,5".
    pub label: String,
    /// The scale's label for whole steps.
    pub scale_label: Option<String>,
    pub count: usize,
}

/// The comparison of two consecutive years.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaComparison {
    pub from_year: i32,
    pub to_year: i32,
    pub overview: String,
    /// One sentence per sub-goal.
    pub sentences: Vec<String>,
}

impl SaYear {
    /// The snapshot of a core analysis.
    pub fn from_analysis(a: &YearAnalysis) -> Self {
        SaYear {
            year: a.year,
            scale_min: a.scale.min(),
            scale_max: a.scale.max(),
            scale_labels: a.scale.labels().to_vec(),
            lsl_total: a.lsl_total,
            answered: a.answered,
            answered_text: a.answered_text.clone(),
            applied_table: a.applied_table,
            applied_table_text: a.applied_table_text.clone(),
            subgoals: a
                .subgoals
                .iter()
                .map(|s| SaSubGoal {
                    number: s.subgoal,
                    name: s.name.clone(),
                    answered: s.answered,
                    mean: s.mean,
                    std_dev: s.std_dev,
                    min: s.min.map(|v| v.as_f64()),
                    max: s.max.map(|v| v.as_f64()),
                    distribution: s
                        .distribution
                        .iter()
                        .map(|o| SaOption {
                            label: o.label.clone(),
                            scale_label: o.scale_label.clone(),
                            count: o.count,
                        })
                        .collect(),
                })
                .collect(),
            highest: a.highest.clone(),
            lowest: a.lowest.clone(),
            largest_spread: a.largest_spread.clone(),
            footnotes: a.footnotes.clone(),
            sentences: a.sentences.clone(),
        }
    }

    /// The sub-goal with number `n`.
    pub fn subgoal(&self, n: u8) -> Option<&SaSubGoal> {
        self.subgoals.iter().find(|s| s.number == n)
    }

    /// "1–5".
    pub fn scale_text(&self) -> String {
        format!("{}–{}", self.scale_min, self.scale_max)
    }
}

impl SelfAssessmentInput {
    /// The snapshot of the analysed years (any order; sorted oldest first here). Consecutive
    /// years are compared with the core's restrained wording.
    pub fn from_analyses(analyses: &[YearAnalysis]) -> Self {
        let mut sorted: Vec<&YearAnalysis> = analyses.iter().collect();
        sorted.sort_by_key(|a| a.year);
        let comparisons = sorted
            .windows(2)
            .map(|w| {
                let c = compare_years(w[0], w[1]);
                SaComparison {
                    from_year: c.from_year,
                    to_year: c.to_year,
                    overview: c.overview,
                    sentences: c.changes.into_iter().map(|ch| ch.sentence).collect(),
                }
            })
            .collect();
        SelfAssessmentInput {
            years: sorted.iter().map(|a| SaYear::from_analysis(a)).collect(),
            comparisons,
            reflection_questions: gnv_core::sjalvskattning::REFLECTION_QUESTIONS
                .iter()
                .map(|q| q.to_string())
                .collect(),
        }
    }

    /// The analysis of `year`.
    pub fn year(&self, year: i32) -> Option<&SaYear> {
        self.years.iter().find(|y| y.year == year)
    }
}

// ---------------------------------------------------------------------------------------------
// Mapping

/// Section 3.3: the mapping answers of one round (summarised when the report is built).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MappingInput {
    pub year: i32,
    pub answers: Vec<MappingAnswer>,
}

/// Formats a mean with one decimal ("3,2"), or "–".
pub fn mean_text(x: Option<f64>) -> String {
    x.map(|m| format::decimal(m, 1)).unwrap_or_else(|| "–".to_string())
}

//! The annual report's stored material: the analyst's layout and quote choices (the values the
//! storage adapter keeps), the report's section keys, and [`ReportData`], everything the
//! storage adapter reads for one report year.
//!
//! The report crate (`gnv_report::assemble`) turns a [`ReportData`] into the report input; the
//! storage adapter only fills it from stored rows. So storage returns data and never builds a
//! document, and the report crate never reads a database. The report crate re-exports the types
//! here under their old paths (`gnv_report::layout::LayoutItem`, `gnv_report::quotes::*`,
//! `gnv_report::SECTIONS`).

use crate::delmal::SubGoal;
use crate::ekonomi::EconomySummary;
use crate::kartlaggning::MappingRound;
use crate::kommunenkat::SurveyCompilation;
use crate::lansprofil::CountyProfile;
use crate::nyckeltal::{Catalogue, Dataset, PreviousEdition};
use crate::organisation::Registry;
use crate::planering::handlingsplan::ActionPlanVersion;
use crate::planering::AnnualPlan;
use crate::rapportering::Part;
use crate::sjalvskattning::Round;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The report's sections in document order: (key, Swedish heading). The keys name a section's
/// stored layout and its data warnings.
pub const SECTIONS: &[(&str, &str)] = &[
    ("bakgrund", "1 Bakgrund"),
    ("metod", "2 Metod"),
    ("nyckeltal", "3.1 Nyckeltal och infografik"),
    ("sjalvskattning", "3.2 Självskattning"),
    ("kartlaggning", "3.3 Kartläggning av de lokala systemledningarna"),
    ("kommunenkat", "3.4 Kommunernas rapportering till Socialstyrelsen"),
    ("stod", "3.5 Regionalt stöd"),
    ("handlingsplan", "3.6 Uppföljning av den regionala handlingsplanen"),
    ("metodaspekter", "4 Metodaspekter"),
    ("avslutningsord", "5 Avslutningsord"),
    ("ekonomi", "Bilaga 1 – Ekonomisk redovisning"),
];

/// The Swedish heading of a section key; `None` for an unknown key.
pub fn section_label(key: &str) -> Option<&'static str> {
    SECTIONS.iter().find(|(k, _)| *k == key).map(|(_, l)| *l)
}

/// One item of a section's stored layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LayoutItem {
    /// A generated part of the section, by its key.
    Part { key: String },
    /// An analyst text block (Markdown).
    Text { body: String },
}

/// The mark of a left-out passage in a quote.
pub const ELLIPSIS: &str = "[…]";

/// A stored quote choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteChoice {
    pub group: String,
    /// The answer's id within its group ([`Candidate::id`]).
    pub answer: String,
    /// Order within the group (ascending).
    pub position: i64,
    pub attributed: bool,
    /// The quoted text: the answer or a shortening of it.
    pub text: String,
}

/// A free-text source of the report (computed by `gnv_report::quotes::groups`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteGroup {
    /// "kartlaggning/fungerar-bra", "kommunenkat/mobila-team", "sjalvskattning/delmal-1".
    pub key: String,
    /// The report section the quotes appear in.
    pub section: &'static str,
    /// Swedish heading of the source.
    pub label: String,
    pub candidates: Vec<Candidate>,
}

/// One answer that can be quoted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Unique within the group: the organisation's code, for self-assessment reflections
    /// "<LSL code>/<respondent>".
    pub id: String,
    /// The organisation's name (the attribution).
    pub organisation: String,
    pub text: String,
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Normalises "[...]" and "[ … ]" to "[…]" and whitespace runs to one space.
pub fn normalise_quote(text: &str) -> String {
    squash(&text.replace("[...]", ELLIPSIS).replace("[ … ]", ELLIPSIS).replace("[ ... ]", ELLIPSIS))
}

/// Whether `quote` is `original` or a shortening of it: the pieces between "[…]" marks occur
/// in the original in this order (whitespace runs count as one space). Nothing else may change.
pub fn is_shortening(original: &str, quote: &str) -> bool {
    let original = squash(original);
    let quote = normalise_quote(quote);
    let pieces: Vec<&str> = quote.split(ELLIPSIS).map(str::trim).filter(|p| !p.is_empty()).collect();
    if pieces.is_empty() {
        return false;
    }
    let mut rest = original.as_str();
    for p in pieces {
        match rest.find(p) {
            Some(i) => rest = &rest[i + p.len()..],
            None => return false,
        }
    }
    true
}

/// A stored answer left out of a compilation because it could not be read: its year and the
/// Swedish sentence the report prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadWarning {
    pub year: i32,
    pub text: String,
}

/// A published indicator edition as the report reads it: its frozen catalogue and data, and
/// what the previous edition showed.
#[derive(Debug, Clone)]
pub struct EditionData {
    pub year: i32,
    pub frozen: Arc<(Catalogue, Dataset)>,
    pub previous: Option<Arc<PreviousEdition>>,
}

impl EditionData {
    pub fn catalogue(&self) -> &Catalogue {
        &self.frozen.0
    }
    pub fn data(&self) -> &Dataset {
        &self.frozen.1
    }
}

/// A sent invitation e-mail of the reporting round (from the mail log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentInvitation {
    /// When it was sent (stored UTC timestamp, RFC 3339).
    pub at: String,
    pub org_code: String,
    pub recipient: String,
}

/// The year's reporting round as stored: its parts and the invitations sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundData {
    pub year: i32,
    pub parts: Vec<Part>,
    pub invitations: Vec<SentInvitation>,
}

/// A recorded delivery to an external body (`leveranser`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryData {
    /// The delivery kind's stored code.
    pub kind: String,
    pub delivered_on: NaiveDate,
    pub by: String,
    pub note: String,
    /// The municipality it was delivered for; `None` for the county's own delivery.
    pub organisation: Option<String>,
}

/// Everything stored that the annual report of `year` is assembled from (read by the storage
/// adapter, assembled by `gnv_report::assemble`). A module without data for the year leaves its
/// part empty.
#[derive(Debug, Clone)]
pub struct ReportData {
    pub year: i32,
    /// The day the data was read (the draft's date).
    pub today: NaiveDate,
    pub registry: Registry,
    pub subgoals: Vec<SubGoal>,
    pub profile: CountyProfile,
    /// Every self-assessment round up to the year, and the answers that could not be read.
    pub self_assessment: Vec<Round>,
    pub self_assessment_warnings: Vec<ReadWarning>,
    /// The mapping round of the year, and the answers that could not be read.
    pub mapping: Option<MappingRound>,
    pub mapping_warnings: Vec<ReadWarning>,
    /// The published indicator edition of the following year, else of the year.
    pub edition: Option<EditionData>,
    /// Without `edition`: the newest published edition up to the following year (the action
    /// plan's trends).
    pub newest_edition: Option<EditionData>,
    /// The annual plan of support activities of the year.
    pub support: Option<AnnualPlan>,
    /// The action plan versions reviewed in or before the year.
    pub action_plan_versions: Vec<ActionPlanVersion>,
    /// The economy summaries of the year, per focus area.
    pub economy: Vec<EconomySummary>,
    /// The municipal survey's compilation, when the year has a survey, and the answers that
    /// could not be read.
    pub survey: Option<(SurveyCompilation, Vec<ReadWarning>)>,
    /// The analyst's stored layouts, per section key.
    pub layouts: BTreeMap<String, Vec<LayoutItem>>,
    pub quote_choices: Vec<QuoteChoice>,
    pub round: Option<RoundData>,
    pub deliveries: Vec<DeliveryData>,
}

/// Where a year's report input comes from: the frozen input of a published report (JSON), or
/// the stored data of a draft.
#[derive(Debug, Clone)]
pub enum ReportSource {
    Published(String),
    Draft(Box<ReportData>),
}

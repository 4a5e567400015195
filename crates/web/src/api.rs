//! Response types of the JSON read API that are not a domain type as such. Each derives
//! `schemars::JsonSchema` beside `Serialize`; the route declares it with `.json::<T>()`, and the
//! OpenAPI description ([`crate::openapi`]) is generated from it.

use gnv_core::nyckeltal::EditionSummary;
use gnv_storage::nyckeltal::Edition;
use schemars::JsonSchema;
use serde::Serialize;

/// `GET /api/v1/infographic/{ar}/summary`: an edition's summary for one focus organisation.
#[derive(Debug, Serialize, JsonSchema)]
pub struct InfographicSummary {
    pub edition: EditionInfo,
    pub focus: Focus,
    pub summary: EditionSummary,
    /// The summary in Swedish prose, one sentence per item, as on the infographic page.
    pub paragraph: Vec<String>,
    /// The data source's attribution (Kolada / RKA).
    pub source: String,
}

/// Which edition the summary is of.
#[derive(Debug, Serialize, JsonSchema)]
pub struct EditionInfo {
    pub year: i64,
    /// False for a preview of current values (the year is not published).
    pub published: bool,
    pub title: String,
    /// When it was published (RFC 3339); empty for a preview.
    pub published_at: String,
    /// The year of the previous published edition the arrows compare with.
    pub previous_year: Option<i64>,
}

/// The focus organisation.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Focus {
    /// Four digits: the region (e.g. 0020) or a municipality (e.g. 2084).
    pub code: String,
    pub name: String,
}

impl InfographicSummary {
    /// The summary of `edition` for the organisation `focus` named `focus_name`.
    pub fn new(edition: &Edition, focus: &str, focus_name: &str) -> Self {
        let summary = edition.summary(focus);
        let paragraph = gnv_core::nyckeltal::summary_paragraph(&summary, edition.year(), focus_name);
        InfographicSummary {
            edition: EditionInfo {
                year: edition.meta.year,
                published: edition.is_published(),
                title: edition.meta.title.clone(),
                published_at: edition.meta.published_at.clone(),
                previous_year: edition.previous.as_ref().map(|p| p.0),
            },
            focus: Focus { code: focus.to_string(), name: focus_name.to_string() },
            summary,
            paragraph,
            source: gnv_core::nyckeltal::kolada::ATTRIBUTION.to_string(),
        }
    }
}

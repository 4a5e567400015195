//! Municipal survey to Socialstyrelsen (kommunenkät) and its compilation (DOMAIN.md §8, seed
//! report section 3.4).
//!
//! Each municipality answers the national board's survey once a year; RSS compiles all answers
//! and submits them. This module owns:
//! - the survey's vocabulary: the multiple-choice [`Area`]s ("områden och arbetssätt som
//!   initierats eller förstärkts"), the "Annat, nämligen …" choice, and the free-text
//!   [`Heading`]s, all with the seed report's Swedish wording;
//! - one municipality's [`MunicipalAnswer`], parsed from raw form fields by [`parse_form`] with
//!   Swedish errors per field, and the validated [`AnswerSet`] of a year (one answer per
//!   municipality of the registry);
//! - the [`SurveyCompilation`] made by [`compile`]: figure 3 (areas by number of municipalities,
//!   descending, ties by label in Swedish order, "annat" last), the development-potential flag
//!   (at most one third of those who answered ticked the area), free texts per heading with the
//!   municipality attached (hidden by default in report text), "X av 15", and table models for
//!   export (overview: one row per municipality, one column per question; one sheet per heading).
//!
//! - the [`SurveyLink`]s: which areas and headings belong to which sub-goal (report 3.2.3),
//!   with [`default_links`] for the built-in sub-goals.
//!
//! Writing XLSX and rendering pages are done elsewhere from these data models.

mod answer;
mod areas;
mod koppling;
mod sammanstallning;

#[cfg(test)]
mod tests;

pub use answer::{fields, parse_form, AnswerSet, MunicipalAnswer, Text, TextError, MAX_TEXT_CHARS};
pub use areas::{Area, Heading, OTHER_CODE, OTHER_LABEL};
pub use koppling::{default_links, SurveyLink};
pub use sammanstallning::{
    compile, AreaCount, FreeTextEntry, FreeTextSection, MunicipalityRef, MunicipalityStatus, Sheet,
    SurveyCompilation,
};

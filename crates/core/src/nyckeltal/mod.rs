//! Indicators (nyckeltal): the catalogue, values, evaluation, edition summaries and Kolada data.
//!
//! This module owns instrument 1 of the follow-up, "Nyckeltal och infografik" (DOMAIN.md §5):
//! 20 indicators, four per sub-goal, numbered `1.1` … `5.4`, each shown for a focus organisation
//! with its newest value, an arrow for the change since the previous measurement and a colour for
//! the comparison with others. Everything here is pure: the HTTP client, the database and the
//! pages are elsewhere and call in with parsed values.
//!
//! - [`katalog`] — [`Indicator`], [`Catalogue`] (validation, TOML import/export);
//!   [`standard`] — the built-in [`default_catalogue`] (honestly marked: no Kolada ids invented).
//! - [`varde`] — [`Gender`] (T/K/M), [`Period`], [`Value`] with Kolada's missing codes
//!   (`-` bortfall, `.` ej tillämplig, `..` sekretess), [`Observation`], the indexed [`Dataset`]
//!   of one edition (built from observations, or value by value with interned organisation
//!   codes by [`DatasetBuilder`]) and [`PreviousEdition`] (what the last published edition
//!   showed). `fxhash` — the fast hasher of the dataset's maps.
//! - [`utvardering`] — [`evaluate`] / [`evaluate_all`]: newest and previous value, arrow
//!   (unchanged = equal at display precision), valued change, quartile colour with a
//!   deterministic tie rule, not-updated and under-development status.
//! - [`sammanfattning`] — [`EditionSummary`] (the report's sets and counts) and
//!   [`summary_paragraph`], the report's Swedish sentences, always "i jämförelse med andra".
//! - [`kolada`] — Kolada API v3 pages, KPI-to-indicator mapping and batched request paths.
//!
//! Typical flow: fetch Kolada pages → [`kolada::parse_data_page`] → [`kolada::to_observations`]
//! → [`Dataset::new`] (frozen as the edition) → [`evaluate`] with the previous edition's
//! [`PreviousEdition::from_dataset`] → [`summarize`] → [`summary_paragraph`].

pub mod batch;
mod fxhash;
pub mod katalog;
pub mod kolada;
pub mod sammanfattning;
pub mod standard;
pub mod utvardering;
pub mod varde;

pub use katalog::{
    parse_toml, to_toml, Catalogue, ComparisonGroup, Direction, IdError, Indicator, IndicatorCode,
    IndicatorStatus, KpiId, Level, Source,
};
pub use sammanfattning::{summarize, summary_paragraph, CodeSet, EditionSummary};
pub use standard::default_catalogue;
pub use utvardering::{
    evaluate, evaluate_all, Arrow, Assessment, Change, Colour, Comparison, Evaluation, Evaluator,
    GenderResult, GreyReason, IndicatorResult, PeriodValue, Quartile, UpdateStatus, MIN_GROUP_SIZE,
};
pub use varde::{Dataset, DatasetBuilder, Gender, Observation, OrgKey, Period, PreviousEdition, Value};

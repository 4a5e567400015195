//! Pure domain core of GNV-uppföljning.
//!
//! Everything in this crate is a domain type or a computation on domain types: no file system,
//! no network, no database, no clock. Adapters (`gnv-storage`, `gnv-web`, `gnv` CLI) turn the
//! outside world into these types at the edge ("parse, don't validate") and back again.
//!
//! Module map (Swedish names are the domain's own words):
//! - [`organisation`] — the county's organisations: region, municipalities, local system
//!   leaderships (LSL), governance bodies; the built-in Dalarna registry and file import.
//! - [`delmal`] — the transition's sub-goals (delmål).
//! - [`lansprofil`] — the county profile: short name, support unit, vision, sub-goals, the
//!   county's own cited sources, where the infographic is published, the report title.
//! - [`format`] — Swedish formatting and parsing of numbers, amounts and dates (one helper for all).
//! - [`access`] — user roles and the access level each route declares.
//! - [`error`] — located, Swedish error messages for bad input (file, row, column or field), the
//!   domain's one-value parse error (`ValueError`); each area's typed errors live beside their
//!   types (`planering::PlanningError`, `ekonomi::AmountError`, …), their `Display` is the message.
//! - [`losenord`] — the password policy (length, guessability) for every place a password is set.
//! - [`csvcell`] — CSV formula-injection neutralisation for every CSV export.
//! - [`nyckeltal`] — indicator catalogue, evaluation (trend arrows, quartile colours), editions'
//!   summaries and the Kolada v3 data format.
//! - [`sjalvskattning`] — self-assessment answers and their analyses.
//! - [`kartlaggning`] — the mapping of the LSLs and its "X av 13" summaries.
//! - [`kommunenkat`] — the municipal survey to Socialstyrelsen and its compilation.
//! - [`ekonomi`] — the financial report (appendix 1) and its consistency warnings.
//! - [`rapportering`] — the yearly reporting round: parts, per-organisation status, the
//!   questionnaire engine (versioned TOML forms, typed validation) and xlsx reading.
//! - [`planering`] — annual plan, support activities, reporting calendar, regional action plan.
//! - [`kontakter`] — contacts per organisation with their function; CSV/XLSX import and export.
//! - [`utskick`] — the January mailing: which function gets which part, the cover letter template.
//! - [`arsrapport`] — the annual report's stored material (layouts, quote choices, section keys)
//!   and `ReportData`, what storage reads for a report year and `gnv_report::assemble` assembles.

pub mod access;
pub mod arsrapport;
pub mod csvcell;
pub mod delmal;
pub mod ekonomi;
pub mod error;
pub mod excel;
pub mod format;
pub mod kartlaggning;
pub mod kommunenkat;
pub mod kontakter;
pub mod lansprofil;
pub mod losenord;
pub mod nyckeltal;
pub mod organisation;
pub mod planering;
pub mod rapportering;
mod schema;
pub mod sjalvskattning;
pub mod utskick;

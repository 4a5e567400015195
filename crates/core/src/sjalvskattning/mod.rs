//! Self-assessment (självskattning): answers, consolidation per LSL and the analyses of the annual
//! report (DOMAIN.md §6; report section 3.2 and appendix 3).
//!
//! Each local system leadership (LSL) rates how well each sub-goal statement ("Vi arbetar för …")
//! fits its own work on an ordinal scale (default 1–5, "Stämmer inte alls" … "Stämmer helt",
//! configurable per round), says whether it has applied the self-assessment table, and may reflect
//! in free text per sub-goal. Several people of one LSL may answer; each records their role and the
//! perspective (kommun, region, båda) they answered from.
//!
//! Flow: form fields → [`parse_form`] → [`IndividualAnswer`]; answers (and, for earlier years,
//! imported [`ConsolidatedEntry`]s, see [`import_csv`]) → [`Round::new`] → one [`LslResult`] per
//! LSL; rounds → [`analyse_year`], [`compare_years`], [`lsl_profile`] and [`summarize`] →
//! [`SelfAssessmentSummary`] (serialisable).
//!
//! Key rules (details in the submodules):
//! - An LSL's value is the exact mean of its respondents' ratings ([`Score`]); differing answers
//!   are footnoted. Applied table = ja if any respondent says ja.
//! - Spread is the population standard deviation, with the min–max range beside it.
//! - Year-on-year changes below 5 % of the scale's span (0,2 on 1–5) are "marginella".

mod analys;
mod import;
mod konsolidering;
mod skala;
mod svar;

#[cfg(test)]
mod tests;

pub use analys::{
    analyse_year, compare_years, lsl_profile, same_scale, summarize, ChangeKind, DistributionOption,
    LslProfile, ProfileRow, RoleRating, SelfAssessmentSummary, SubGoalChange, SubGoalStats, YearAnalysis,
    YearComparison, YearValue, REFLECTION_QUESTIONS, TIE_EPSILON,
};
pub use import::import_csv;
pub use konsolidering::{
    AveragedNote, ConsolidatedEntry, LslResult, Origin, Reflection, RespondentRatings, Round,
};
pub use skala::{
    Perspective, Rating, Scale, Score, ScoreError, DEFAULT_LABELS, MARGINAL_SHARE_OF_SPAN, MAX_SCALE_VALUE,
};
pub use svar::{
    parse_form, rating_field, reflection_field, resolve_lsl, FormContext, IndividualAnswer,
    APPLIED_TABLE_QUESTION, FIELD_APPLIED_TABLE, FIELD_LSL, FIELD_PERSPECTIVE, FIELD_RESPONDENT, FIELD_ROLE,
};

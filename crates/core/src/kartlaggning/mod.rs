//! Mapping of the local system leaderships (kartläggning), DOMAIN.md §7 and report section 3.3.
//!
//! RSS maps every LSL (by survey and interviews) on structure, mission, collaboration, user
//! influence, local plans, communication plans, what works, challenges and requests for support.
//! This module owns the typed questionnaire ([`MappingAnswer`]), the form parser
//! ([`parse_form`]), one mapping round per year ([`MappingRound`], one answer per LSL) and the
//! report's summary ([`summarize`] → [`MappingSummary`]: "9 av 13 träffas 2 gånger per termin",
//! "1 av 13 har politisk representation i systemledningen", communication plans "3 av 15" per
//! municipality, free text grouped per question with the LSL attached).
//!
//! Key rules:
//! - "X av N" counts LSLs among the N LSLs mapped in the round (the report's 13 when all are
//!   mapped); communication plans count municipalities of the mapped LSLs (15 when all are mapped).
//! - A local plan for GNV (lokal plan) is not a local agreement (LÖK under a regional RÖK); the
//!   questionnaire keeps them apart ([`MappingAnswer::local_agreements`] is free text beside
//!   [`LocalPlanStatus`]).

mod formular;
mod sammanstallning;
mod typer;

#[cfg(test)]
mod tests;

pub use formular::{parse_form, FIELDS};
pub use sammanstallning::{
    lsl_statement, summarize, CommunicationPlanEntry, CountLine, FreeTextAnswer, FreeTextGroup,
    LocalPlanEntry, MappingSummary, MemberRoleCount,
};
pub use typer::{
    Collaboration, KeyActor, LocalPlanStatus, MappingAnswer, MappingRound, MeetingFrequency, Member, Side,
    Structure, TextQuestion, UserInfluence, LOCAL_PLAN_IS_NOT_LOK,
};

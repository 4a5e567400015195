//! The yearly reporting round (rapporteringsomgång): its parts, the per-organisation status of
//! each part, and the generic questionnaire engine the parts' forms are written in.
//!
//! A round (one per year) carries any of the four [`Part`]s. Each part is assigned to
//! organisations of one kind ([`Part::assignee`]): självskattning and kartläggning to every local
//! system leadership (LSL), kommunenkät and ekonomisk redovisning to every municipality. Each
//! assignment has a [`Status`]: ej påbörjad → utkast → inskickad (locked) → återöppnad (by an
//! admin, with a reason) → inskickad again. [`Status::after`] is the single place that decides
//! which transitions are allowed; storage calls it inside the write transaction.
//!
//! The round's lifecycle (open until the deadline, then closed; who may still write) is in
//! [`livscykel`]; the typed reading of a stored or submitted answer, the same at submission and
//! when compiling, in [`tolkning`].
//!
//! The questionnaire engine lives in [`formular`]: versioned TOML definitions (documented there)
//! and validation of submitted form fields into typed [`formular::Value`]s with Swedish messages.
//! The standard forms ship in the binary ([`formular::standard_form`]).

pub mod formular;
pub mod livscykel;
pub mod tolkning;
pub mod xlsx;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

/// Which kind of organisation a part is assigned to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Assignee {
    /// Local system leaderships (13 in Dalarna).
    Lsl,
    /// Municipalities (15 in Dalarna).
    Kommun,
}

/// A part of the reporting round.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// Self-assessment per sub-goal (DOMAIN.md §6), one or more respondents per LSL.
    Sjalvskattning,
    /// Mapping of the LSL (§7).
    Kartlaggning,
    /// The municipal survey to Socialstyrelsen (§8).
    Kommunenkat,
    /// The financial report (§9).
    Ekonomi,
}

impl Part {
    /// All parts in the order the round lists them.
    pub const ALL: [Part; 4] = [Part::Sjalvskattning, Part::Kartlaggning, Part::Kommunenkat, Part::Ekonomi];

    /// Code used in URLs, files and the database: `sjalvskattning`, `kartlaggning`,
    /// `kommunenkat`, `ekonomi`.
    pub fn code(self) -> &'static str {
        match self {
            Part::Sjalvskattning => "sjalvskattning",
            Part::Kartlaggning => "kartlaggning",
            Part::Kommunenkat => "kommunenkat",
            Part::Ekonomi => "ekonomi",
        }
    }

    /// Swedish name.
    pub fn label(self) -> &'static str {
        match self {
            Part::Sjalvskattning => "Självskattning",
            Part::Kartlaggning => "Kartläggning",
            Part::Kommunenkat => "Kommunenkät till Socialstyrelsen",
            Part::Ekonomi => "Ekonomisk redovisning",
        }
    }

    /// The name in running text, lower-case where Swedish writes it so: "självskattning",
    /// "kartläggning", "kommunenkät till Socialstyrelsen", "ekonomisk redovisning".
    pub fn label_in_text(self) -> &'static str {
        match self {
            Part::Sjalvskattning => "självskattning",
            Part::Kartlaggning => "kartläggning",
            Part::Kommunenkat => "kommunenkät till Socialstyrelsen",
            Part::Ekonomi => "ekonomisk redovisning",
        }
    }

    /// Who answers the part.
    pub fn assignee(self) -> Assignee {
        match self {
            Part::Sjalvskattning | Part::Kartlaggning => Assignee::Lsl,
            Part::Kommunenkat | Part::Ekonomi => Assignee::Kommun,
        }
    }

    /// Whether several people of one organisation answer individually (their answers are kept
    /// apart and consolidated). Only the self-assessment; the others have one answer per
    /// organisation.
    pub fn individual_answers(self) -> bool {
        self == Part::Sjalvskattning
    }

    /// Parses a code (also accepts the Swedish spelling with å/ä).
    pub fn parse(input: &str) -> Option<Part> {
        let s = input.trim().to_lowercase().replace(['å', 'ä'], "a").replace('ö', "o");
        Part::ALL.into_iter().find(|p| p.code() == s)
    }
}

/// The status of one part for one organisation in one round.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Nothing saved yet.
    EjPaborjad,
    /// A draft is saved.
    Utkast,
    /// Submitted; locked for the respondent.
    Inskickad,
    /// Reopened by an admin (with a reason); the respondent may change and submit again.
    Ateroppnad,
}

/// What happens to an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A respondent saved a draft.
    SaveDraft,
    /// A respondent submitted.
    Submit,
    /// An admin reopened a submitted answer.
    Reopen,
}

impl Status {
    /// All statuses in display order.
    pub const ALL: [Status; 4] = [Status::EjPaborjad, Status::Utkast, Status::Inskickad, Status::Ateroppnad];

    /// Code: `ej_paborjad`, `utkast`, `inskickad`, `ateroppnad`.
    pub fn code(self) -> &'static str {
        match self {
            Status::EjPaborjad => "ej_paborjad",
            Status::Utkast => "utkast",
            Status::Inskickad => "inskickad",
            Status::Ateroppnad => "ateroppnad",
        }
    }

    /// Swedish label: "ej påbörjad", "utkast", "inskickad", "återöppnad".
    pub fn label(self) -> &'static str {
        match self {
            Status::EjPaborjad => "ej påbörjad",
            Status::Utkast => "utkast",
            Status::Inskickad => "inskickad",
            Status::Ateroppnad => "återöppnad",
        }
    }

    /// Parses a code or label.
    pub fn parse(input: &str) -> Option<Status> {
        let s = input.trim().to_lowercase();
        Status::ALL.into_iter().find(|x| x.code() == s || x.label() == s)
    }

    /// Whether the organisation has answered (counts in "13 av 13 har svarat").
    pub fn is_submitted(self) -> bool {
        self == Status::Inskickad
    }

    /// The status after `event`, or why the event is not allowed.
    ///
    /// - A draft may be saved unless the answer is submitted (then: reopen first).
    /// - Submitting is allowed unless already submitted ("double submission").
    /// - Only a submitted answer can be reopened.
    /// - Saving a draft of a reopened answer keeps it reopened (so the status page still shows
    ///   that an admin opened it).
    pub fn after(self, event: Event) -> Result<Status, TransitionError> {
        match (self, event) {
            (Status::Inskickad, Event::SaveDraft) => Err(TransitionError::Locked),
            (Status::Inskickad, Event::Submit) => Err(TransitionError::AlreadySubmitted),
            (Status::Ateroppnad, Event::SaveDraft) => Ok(Status::Ateroppnad),
            (_, Event::SaveDraft) => Ok(Status::Utkast),
            (_, Event::Submit) => Ok(Status::Inskickad),
            (Status::Inskickad, Event::Reopen) => Ok(Status::Ateroppnad),
            (_, Event::Reopen) => Err(TransitionError::NotSubmitted),
        }
    }
}

/// Why [`Status::after`] refused an event; `Display` is the Swedish message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// A draft cannot be saved over a submitted answer.
    #[error(
        "Svaret är redan inskickat och låst. Kontakta den regionala stödstrukturen om något behöver ändras."
    )]
    Locked,
    /// Double submission.
    #[error("Svaret är redan inskickat. Det går inte att skicka in samma svar två gånger.")]
    AlreadySubmitted,
    /// Only a submitted answer can be reopened.
    #[error("Bara ett inskickat svar kan återöppnas.")]
    NotSubmitted,
}

/// A reopening reason that was refused; `Display` is the Swedish message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReasonError {
    #[error("Ange ett skäl till att svaret återöppnas.")]
    Missing,
    #[error("Skälet får ha högst 1 000 tecken.")]
    TooLong,
}

crate::error::message_into_string!(TransitionError, ReasonError);

/// Checks a reopening reason: required, at most 1 000 characters.
pub fn check_reason(reason: &str) -> Result<String, ReasonError> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(ReasonError::Missing);
    }
    if r.chars().count() > 1000 {
        return Err(ReasonError::TooLong);
    }
    Ok(r.to_string())
}

//! The mapping questionnaire's types.

use crate::error::{InputError, InputErrors, Location};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Guidance shown beside the local-plan question.
pub const LOCAL_PLAN_IS_NOT_LOK: &str = "En lokal plan för God och nära vård är inte samma sak som en lokal överenskommelse (LÖK) under en regional överenskommelse (RÖK); de är olika dokument med olika syften.";

/// How often the LSL meets. The report: "9 av 13 träffas 2 gånger per termin. Resterande träffas
/// från 1 gång per månad till 2-3 gånger per år."
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum MeetingFrequency {
    /// Varannan vecka eller oftare.
    VarannanVecka,
    /// 1 gång per månad.
    EnGangPerManad,
    /// 2 gånger per termin.
    TvaGangerPerTermin,
    /// 1 gång per termin.
    EnGangPerTermin,
    /// 2–3 gånger per år.
    TvaTillTreGangerPerAr,
    /// 1 gång per år eller mer sällan.
    EnGangPerAr,
}

impl MeetingFrequency {
    /// All frequencies, most frequent first.
    pub const ALL: [MeetingFrequency; 6] = [
        MeetingFrequency::VarannanVecka,
        MeetingFrequency::EnGangPerManad,
        MeetingFrequency::TvaGangerPerTermin,
        MeetingFrequency::EnGangPerTermin,
        MeetingFrequency::TvaTillTreGangerPerAr,
        MeetingFrequency::EnGangPerAr,
    ];

    /// Form code.
    pub fn code(self) -> &'static str {
        match self {
            MeetingFrequency::VarannanVecka => "varannan-vecka",
            MeetingFrequency::EnGangPerManad => "1-per-manad",
            MeetingFrequency::TvaGangerPerTermin => "2-per-termin",
            MeetingFrequency::EnGangPerTermin => "1-per-termin",
            MeetingFrequency::TvaTillTreGangerPerAr => "2-3-per-ar",
            MeetingFrequency::EnGangPerAr => "1-per-ar",
        }
    }

    /// Swedish label as used in "träffas {label}".
    pub fn label(self) -> &'static str {
        match self {
            MeetingFrequency::VarannanVecka => "varannan vecka eller oftare",
            MeetingFrequency::EnGangPerManad => "1 gång per månad",
            MeetingFrequency::TvaGangerPerTermin => "2 gånger per termin",
            MeetingFrequency::EnGangPerTermin => "1 gång per termin",
            MeetingFrequency::TvaTillTreGangerPerAr => "2–3 gånger per år",
            MeetingFrequency::EnGangPerAr => "1 gång per år eller mer sällan",
        }
    }

    /// Parses a code or a label (case-insensitive, `-` and `–` alike).
    pub fn parse(input: &str) -> Option<MeetingFrequency> {
        let norm = |s: &str| s.trim().to_lowercase().replace('–', "-");
        let wanted = norm(input);
        Self::ALL.into_iter().find(|f| norm(f.code()) == wanted || norm(f.label()) == wanted)
    }
}

/// Which side a member of the LSL represents.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The municipality.
    Kommun,
    /// Region Dalarna.
    Region,
    /// Someone else (e.g. a user council).
    Annan,
}

impl Side {
    /// Form code.
    pub fn code(self) -> &'static str {
        match self {
            Side::Kommun => "kommun",
            Side::Region => "region",
            Side::Annan => "annan",
        }
    }
    /// Swedish label.
    pub fn label(self) -> &'static str {
        match self {
            Side::Kommun => "Kommun",
            Side::Region => "Region",
            Side::Annan => "Annan",
        }
    }
    /// Parses a code.
    pub fn parse(input: &str) -> Option<Side> {
        match input.trim().to_lowercase().as_str() {
            "kommun" | "kommunen" => Some(Side::Kommun),
            "region" | "regionen" => Some(Side::Region),
            "annan" | "annat" | "övrig" | "övriga" => Some(Side::Annan),
            _ => None,
        }
    }
}

/// One member of the LSL by role.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Member {
    /// Which side the member represents.
    pub side: Side,
    /// Role, e.g. "Förvaltningschef socialtjänst", "Verksamhetschef VC".
    pub role: String,
}

/// Structure of the LSL (report 3.3.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Structure {
    /// Whether there is a structure for convening the LSL.
    pub has_convener: bool,
    /// Who convenes (free text, e.g. "områdessamordnare").
    pub convener: String,
    /// Whether a chair (ordförande) is appointed.
    pub has_chair: bool,
    /// The chair's role (free text).
    pub chair: String,
    /// Members by role.
    pub members: Vec<Member>,
    /// How often the LSL meets.
    pub meeting_frequency: MeetingFrequency,
}

/// A key actor that may be missing from the LSL.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum KeyActor {
    /// Politics (political representation).
    Politik,
    /// Adult psychiatry.
    Vuxenpsykiatri,
    /// Child and adolescent psychiatry.
    Bup,
    /// Specialist care.
    Specialistvard,
    /// Ambulance services.
    Ambulans,
    /// Emergency care.
    Akutsjukvard,
    /// Another actor, named in [`Collaboration::missing_other`].
    Annat,
}

impl KeyActor {
    /// All key actors in form order.
    pub const ALL: [KeyActor; 7] = [
        KeyActor::Politik,
        KeyActor::Vuxenpsykiatri,
        KeyActor::Bup,
        KeyActor::Specialistvard,
        KeyActor::Ambulans,
        KeyActor::Akutsjukvard,
        KeyActor::Annat,
    ];
    /// Form code.
    pub fn code(self) -> &'static str {
        match self {
            KeyActor::Politik => "politik",
            KeyActor::Vuxenpsykiatri => "vuxenpsykiatri",
            KeyActor::Bup => "bup",
            KeyActor::Specialistvard => "specialistvard",
            KeyActor::Ambulans => "ambulans",
            KeyActor::Akutsjukvard => "akutsjukvard",
            KeyActor::Annat => "annat",
        }
    }
    /// Swedish label as used in "saknar {label}".
    pub fn label(self) -> &'static str {
        match self {
            KeyActor::Politik => "representation från politiken",
            KeyActor::Vuxenpsykiatri => "vuxenpsykiatri",
            KeyActor::Bup => "BUP",
            KeyActor::Specialistvard => "specialistvård",
            KeyActor::Ambulans => "ambulans",
            KeyActor::Akutsjukvard => "akutsjukvård",
            KeyActor::Annat => "annan aktör",
        }
    }
    /// Parses a code or label (case-insensitive).
    pub fn parse(input: &str) -> Option<KeyActor> {
        let w = input.trim().to_lowercase();
        Self::ALL.into_iter().find(|a| {
            a.code() == w
                || a.label().to_lowercase() == w
                || (w == "politiken" && *a == KeyActor::Politik)
                || (w == "specialistvården" && *a == KeyActor::Specialistvard)
                || (w == "akutmottagning" && *a == KeyActor::Akutsjukvard)
        })
    }
}

/// Collaboration (report 3.3.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Collaboration {
    /// Whether POLSAM exists in the LSL's collaboration area.
    pub polsam: bool,
    /// Whether politics is represented in the LSL itself.
    pub political_representation: bool,
    /// Key actors missing from the LSL.
    pub missing_actors: BTreeSet<KeyActor>,
    /// Which other actor is missing; non-empty exactly when [`KeyActor::Annat`] is chosen.
    pub missing_other: String,
    /// Free text on how collaboration works.
    pub description: String,
    /// Whether the LSL collaborates systematically with POLSAM. Asked from form version 2 of
    /// the mapping; `None` for answers given on a form without the question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polsam_systematic: Option<bool>,
}

/// User influence (report 3.3.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UserInfluence {
    /// Whether the LSL works actively with user influence.
    pub works_actively: bool,
    /// How (required when `works_actively`), e.g. "patient- och brukarråd".
    pub how: String,
    /// Whether a user representative (brukarrepresentant) is a member of the LSL. Asked from
    /// form version 2 of the mapping; `None` for answers given on a form without the question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_representative: Option<bool>,
}

/// Status of the LSL's local plan for GNV (report 3.3.5).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LocalPlanStatus {
    /// A local plan has been produced.
    Ja,
    /// Work on a local plan is in progress.
    UnderArbete,
    /// No local plan.
    Nej,
}

impl LocalPlanStatus {
    /// All statuses in form order.
    pub const ALL: [LocalPlanStatus; 3] =
        [LocalPlanStatus::Ja, LocalPlanStatus::UnderArbete, LocalPlanStatus::Nej];
    /// Form code.
    pub fn code(self) -> &'static str {
        match self {
            LocalPlanStatus::Ja => "ja",
            LocalPlanStatus::UnderArbete => "pagar",
            LocalPlanStatus::Nej => "nej",
        }
    }
    /// Swedish label.
    pub fn label(self) -> &'static str {
        match self {
            LocalPlanStatus::Ja => "Ja, framtagen",
            LocalPlanStatus::UnderArbete => "Under arbete",
            LocalPlanStatus::Nej => "Nej",
        }
    }
    /// Parses a code or Swedish word.
    pub fn parse(input: &str) -> Option<LocalPlanStatus> {
        match input.trim().to_lowercase().as_str() {
            "ja" | "ja, framtagen" | "framtagen" => Some(LocalPlanStatus::Ja),
            "pagar" | "pågår" | "under arbete" | "påbörjad" => Some(LocalPlanStatus::UnderArbete),
            "nej" => Some(LocalPlanStatus::Nej),
            _ => None,
        }
    }
}

/// The free-text questions, in report order.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TextQuestion {
    /// Mission (uppdrag).
    Uppdrag,
    /// How collaboration works.
    Samverkan,
    /// How the LSL works with user influence.
    Brukarinflytande,
    /// Local agreements (LÖK) mentioned beside the local plan.
    LokalaOverenskommelser,
    /// What works well.
    FungerarBra,
    /// Challenges.
    Utmaningar,
    /// Requests for support.
    Stodbehov,
}

impl TextQuestion {
    /// All in report order.
    pub const ALL: [TextQuestion; 7] = [
        TextQuestion::Uppdrag,
        TextQuestion::Samverkan,
        TextQuestion::Brukarinflytande,
        TextQuestion::LokalaOverenskommelser,
        TextQuestion::FungerarBra,
        TextQuestion::Utmaningar,
        TextQuestion::Stodbehov,
    ];
    /// Swedish heading.
    pub fn label(self) -> &'static str {
        match self {
            TextQuestion::Uppdrag => "Hur beskriver ni den lokala systemledningens uppdrag?",
            TextQuestion::Samverkan => "Hur fungerar samverkan?",
            TextQuestion::Brukarinflytande => "Hur arbetar ni med brukarinflytande?",
            TextQuestion::LokalaOverenskommelser => "Vilka lokala överenskommelser (LÖK) har ni?",
            TextQuestion::FungerarBra => "Vad fungerar bra?",
            TextQuestion::Utmaningar => "Vilka utmaningar ser ni?",
            TextQuestion::Stodbehov => "Vilket stöd önskar ni?",
        }
    }
}

/// One LSL's answer to the mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MappingAnswer {
    /// LSL code.
    pub lsl: String,
    /// Structure.
    pub structure: Structure,
    /// Mission as described by the LSL.
    pub mission: String,
    /// Collaboration.
    pub collaboration: Collaboration,
    /// User influence.
    pub user_influence: UserInfluence,
    /// Local plan for GNV.
    pub local_plan: LocalPlanStatus,
    /// Local agreements (LÖK) the LSL mentions — not the same as a local plan.
    pub local_agreements: String,
    /// Communication plan per member municipality (code → has plan).
    pub communication_plans: BTreeMap<String, bool>,
    /// What works well.
    pub what_works: String,
    /// Challenges.
    pub challenges: String,
    /// Requests for support.
    pub support_requests: String,
}

impl MappingAnswer {
    /// The answer's free text for a question (empty when not given).
    pub fn text(&self, q: TextQuestion) -> &str {
        match q {
            TextQuestion::Uppdrag => &self.mission,
            TextQuestion::Samverkan => &self.collaboration.description,
            TextQuestion::Brukarinflytande => &self.user_influence.how,
            TextQuestion::LokalaOverenskommelser => &self.local_agreements,
            TextQuestion::FungerarBra => &self.what_works,
            TextQuestion::Utmaningar => &self.challenges,
            TextQuestion::Stodbehov => &self.support_requests,
        }
    }
}

/// All LSLs' mapping answers of one round: at most one answer per LSL, sorted by LSL code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MappingRound {
    /// The year of the mapping.
    pub year: i32,
    /// One answer per mapped LSL.
    pub answers: Vec<MappingAnswer>,
}

impl MappingRound {
    /// Builds a round; two answers for the same LSL are an error.
    pub fn new(year: i32, mut answers: Vec<MappingAnswer>) -> Result<MappingRound, InputErrors> {
        answers.sort_by(|a, b| a.lsl.cmp(&b.lsl));
        let errors: Vec<InputError> = answers
            .windows(2)
            .filter(|w| w[0].lsl == w[1].lsl)
            .map(|w| {
                InputError::new(
                    Location::field("lsl"),
                    format!("{} har mer än ett svar i kartläggningen {year}.", w[0].lsl),
                )
            })
            .collect();
        if errors.is_empty() {
            Ok(MappingRound { year, answers })
        } else {
            Err(InputErrors(errors))
        }
    }
}

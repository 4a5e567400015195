//! Why a planning value was refused. `Display` is the Swedish message a user sees (on a form,
//! in an import's error list); the variants let code tell the cases apart.

/// A planning value that could not be made: a period, time frame, quarter, target frequency,
/// code, label or reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanningError {
    #[error("Perioden {start}–{end} slutar innan den börjar.")]
    PeriodEndsBeforeStart { start: i32, end: i32 },
    #[error("Tidsramen {from}–{to} slutar innan den börjar.")]
    TimeFrameEndsBeforeStart { from: i32, to: i32 },
    #[error("\"{0}\" är ingen nyckeltalskod (t.ex. 2.1).")]
    NotAnIndicatorCode(String),
    #[error("\"{0}\" är ingen känd status. Ange Ej påbörjad, Pågår, Försenad, Klar eller Avbruten.")]
    UnknownActionStatus(String),
    #[error("Kvartal måste vara 1–4, inte {0}.")]
    QuarterOutOfRange(u8),
    #[error("\"{0}\" är inget kvartal.")]
    NotAQuarter(String),
    #[error("\"{0}\" är ingen känd leveranstyp.")]
    UnknownDeliverableKind(String),
    #[error("\"{0}\" är inget känt format. Ange Digitalt, Fysiskt eller Digitalt och/eller fysiskt.")]
    UnknownFormat(String),
    #[error("Ange hur många gånger per år, t.ex. 2 eller 4–5.")]
    FrequencyMissing,
    #[error("\"{0}\" är inget antal. Ange ett heltal som 2 eller ett intervall som 4–5.")]
    NotACount(String),
    #[error("Målet måste vara minst 1 tillfälle per år.")]
    FrequencyBelowOne,
    #[error("Lägsta antal tillfällen ({min}) får inte vara större än högsta ({max}).")]
    FrequencyMinAboveMax { min: u32, max: u32 },
    #[error("En orsak måste anges.")]
    ReasonMissing,
}

crate::error::message_into_string!(PlanningError);

#[cfg(test)]
mod tests {
    use super::PlanningError;

    #[test]
    fn messages_name_the_value_in_swedish() {
        assert_eq!(
            PlanningError::PeriodEndsBeforeStart { start: 2030, end: 2026 }.to_string(),
            "Perioden 2030–2026 slutar innan den börjar."
        );
        assert_eq!(
            PlanningError::FrequencyMinAboveMax { min: 5, max: 4 }.to_string(),
            "Lägsta antal tillfällen (5) får inte vara större än högsta (4)."
        );
        assert_eq!(String::from(PlanningError::QuarterOutOfRange(5)), "Kvartal måste vara 1–4, inte 5.");
    }
}

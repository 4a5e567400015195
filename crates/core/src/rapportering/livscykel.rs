//! The lifecycle of a reporting round: open until its deadline, then closed.
//!
//! A round is *öppen* (open) until the end of its deadline day in Swedish time, or until an admin
//! closes it earlier; then it is *stängd* (closed). In a closed round a respondent may neither
//! save nor submit, except for a part an admin has reopened for that organisation (status
//! [`Status::Ateroppnad`]): exactly that respondent may submit again. [`respondent_may_write`]
//! is the one rule; storage calls it inside the write transaction.
//!
//! The deadline is a date (`YYYY-MM-DD`), inclusive: answers are accepted through that whole day
//! in Europe/Stockholm time ([`swedish_date`]).

use super::Status;
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Whether a round takes answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoundState {
    /// Before or on the deadline day, not closed by an admin.
    Oppen,
    /// Past the deadline, or closed by an admin.
    Stangd,
}

impl RoundState {
    /// Swedish label: "öppen", "stängd".
    pub fn label(self) -> &'static str {
        match self {
            RoundState::Oppen => "öppen",
            RoundState::Stangd => "stängd",
        }
    }
}

/// The state of a round with `deadline` (inclusive) on `today` (Swedish date), closed early when
/// `closed` (an admin closed it, or the server did at the deadline).
pub fn round_state(deadline: NaiveDate, closed: bool, today: NaiveDate) -> RoundState {
    if closed || today > deadline {
        RoundState::Stangd
    } else {
        RoundState::Oppen
    }
}

/// Whether a round with `deadline` is due to be closed on `today` (the server then closes it and
/// freezes its snapshot).
pub fn is_due(deadline: NaiveDate, today: NaiveDate) -> bool {
    today > deadline
}

/// The one rule for respondents' writes: allowed in an open round; in a closed round only for a
/// part an admin reopened. `Err`'s `Display` is the Swedish message shown to the respondent.
pub fn respondent_may_write(
    state: RoundState,
    status: Status,
    year: i32,
    deadline: NaiveDate,
) -> Result<(), RoundClosed> {
    match (state, status) {
        (RoundState::Oppen, _) | (RoundState::Stangd, Status::Ateroppnad) => Ok(()),
        (RoundState::Stangd, _) => Err(RoundClosed { year, deadline }),
    }
}

/// A respondent's write refused because the round of `year` closed after `deadline`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "Rapporteringsomgången {year} är stängd (sista svarsdag var {}). Svaret kan inte längre sparas eller skickas in. Kontakta RSS om något behöver ändras.",
    crate::format::date_long(*deadline)
)]
pub struct RoundClosed {
    pub year: i32,
    pub deadline: NaiveDate,
}

crate::error::message_into_string!(RoundClosed);

/// Whether the respondent's form is shown read-only: submitted answers are locked, and so is
/// everything in a closed round that an admin has not reopened.
pub fn read_only(state: RoundState, status: Status) -> bool {
    status == Status::Inskickad || (state == RoundState::Stangd && status != Status::Ateroppnad)
}

/// The offset of Swedish time (Europe/Stockholm) from UTC at `at`, in hours: +2 in summer time
/// (from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October, the
/// EU rule in force since 1996), else +1. The rule itself is [`crate::format`]'s.
pub fn swedish_offset_hours(at: DateTime<Utc>) -> i64 {
    crate::format::stockholm_offset_hours(at.naive_utc())
}

/// The Swedish calendar date at `at`.
pub fn swedish_date(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(swedish_offset_hours(at))).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_round_is_open_through_its_deadline_day_and_closed_after() {
        let deadline = d("2026-02-13");
        assert_eq!(round_state(deadline, false, d("2026-01-10")), RoundState::Oppen);
        assert_eq!(round_state(deadline, false, d("2026-02-13")), RoundState::Oppen);
        assert_eq!(round_state(deadline, false, d("2026-02-14")), RoundState::Stangd);
        assert_eq!(round_state(deadline, true, d("2026-01-10")), RoundState::Stangd);
        assert!(!is_due(deadline, d("2026-02-13")));
        assert!(is_due(deadline, d("2026-02-14")));
    }

    #[test]
    fn in_a_closed_round_only_a_reopened_part_may_be_written() {
        let deadline = d("2025-02-14");
        for s in Status::ALL {
            assert!(respondent_may_write(RoundState::Oppen, s, 2024, deadline).is_ok());
        }
        let refused = respondent_may_write(RoundState::Stangd, Status::Utkast, 2024, deadline).unwrap_err();
        assert_eq!(refused, RoundClosed { year: 2024, deadline });
        let refused = refused.to_string();
        assert!(refused.contains("Rapporteringsomgången 2024 är stängd"), "{refused}");
        assert!(refused.contains("14 februari 2025"), "{refused}");
        assert!(respondent_may_write(RoundState::Stangd, Status::EjPaborjad, 2024, deadline).is_err());
        assert!(respondent_may_write(RoundState::Stangd, Status::Inskickad, 2024, deadline).is_err());
        assert!(respondent_may_write(RoundState::Stangd, Status::Ateroppnad, 2024, deadline).is_ok());
        assert!(read_only(RoundState::Stangd, Status::Utkast));
        assert!(!read_only(RoundState::Stangd, Status::Ateroppnad));
        assert!(read_only(RoundState::Oppen, Status::Inskickad));
        assert!(!read_only(RoundState::Oppen, Status::Utkast));
    }

    #[test]
    fn swedish_date_follows_winter_and_summer_time() {
        // Winter (UTC+1): 23:30 UTC on 13 February is already 14 February in Sweden.
        assert_eq!(swedish_date(utc("2026-02-13T22:59:00Z")), d("2026-02-13"));
        assert_eq!(swedish_date(utc("2026-02-13T23:00:00Z")), d("2026-02-14"));
        // Summer (UTC+2).
        assert_eq!(swedish_date(utc("2026-06-30T21:59:00Z")), d("2026-06-30"));
        assert_eq!(swedish_date(utc("2026-06-30T22:00:00Z")), d("2026-07-01"));
        // The switches in 2026: 29 March and 25 October at 01:00 UTC.
        assert_eq!(swedish_offset_hours(utc("2026-03-29T00:59:59Z")), 1);
        assert_eq!(swedish_offset_hours(utc("2026-03-29T01:00:00Z")), 2);
        assert_eq!(swedish_offset_hours(utc("2026-10-25T00:59:59Z")), 2);
        assert_eq!(swedish_offset_hours(utc("2026-10-25T01:00:00Z")), 1);
    }
}

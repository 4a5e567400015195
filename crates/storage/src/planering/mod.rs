//! Planning: annual plans (activity types, occurrences with attendance), the reporting calendar
//! (meetings, deliverables linked to objects, numbered proposals) and the regional action plan
//! (versions stored frozen as JSON, status updates on actions), one file each like
//! `gnv_core::planering`:
//!
//! - [`aktivitet`] — the annual plan of support activities: activity types and occurrences.
//! - [`kalender`] — the reporting calendar: meetings, their deliverables (linked to objects)
//!   and numbered decision proposals.
//! - [`handlingsplan`] — the regional action plan: versions and status updates.
//!
//! This module keeps the stored-text helpers they share (enum names, dates).
//!
//! Rules kept here:
//! - Occurrences are validated against their plan and the registry by the core
//!   ([`gnv_core::planering::aktivitet::validate_occurrence`]) before anything is written; an
//!   invalid occurrence writes nothing.
//! - Action plan versions are only inserted, never updated. A review must be the next version
//!   number. Status updates are recorded against the latest version only; when a version is
//!   superseded, it and its updates are read-only. A review's frozen JSON therefore contains
//!   the history up to the review.

use crate::{Result, StorageError};
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub mod aktivitet;
pub mod handlingsplan;
pub mod kalender;

pub use aktivitet::StoredPlan;
pub use handlingsplan::{parse_action_key, VersionInfo};
pub(crate) use kalender::insert_meeting;
pub use kalender::{MeetingLinks, ObjectRef, StoredCalendar};

/// An enum's serde name ("digitalt_och_eller_fysiskt").
pub(crate) fn enum_text<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

pub(crate) fn enum_from<T: DeserializeOwned>(s: &str, what: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|_| StorageError::Corrupt(format!("Okänt värde \"{s}\" för {what} i databasen.")))
}

pub(crate) fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| StorageError::Corrupt(format!("Ogiltigt datum \"{s}\" i databasen.")))
}

pub(crate) fn invalid(e: impl std::fmt::Display) -> StorageError {
    StorageError::Invalid(e.to_string())
}

/// A stored row that does not read back (damaged data, not the user's input): a 500, logged.
pub(crate) fn corrupt(e: impl std::fmt::Display) -> StorageError {
    StorageError::Corrupt(e.to_string())
}

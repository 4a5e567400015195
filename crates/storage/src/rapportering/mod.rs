//! The reporting round (rapporteringsomgång): rounds per year, their parts, per-organisation
//! assignments with status, invitations by secret link, individual responses, sent mail, the
//! questionnaire definitions and imported earlier self-assessments.
//!
//! # Generic API for all parts (also used by the kommunenkät and ekonomi pages)
//!
//! - [`Db::round_part_status`]`(year, part, org) -> Status` — the status of one organisation's
//!   part (`NotFound` when the round does not carry the part for that organisation).
//! - [`Db::set_round_part_status`]`(year, part, org, status, actor)` — sets it directly (admin
//!   correction), in a transaction with an audit entry.
//! - [`Db::apply_round_part_event`]`(year, part, org, event, actor) -> Status` — a checked
//!   transition ([`Event::SaveDraft`], [`Event::Submit`], [`Event::Reopen`]) with Swedish
//!   `Conflict` messages ("Svaret är redan inskickat …"), audited.
//! - [`apply_part_event_tx`] — the same inside the caller's own transaction, so a module can store
//!   its answer and the status change atomically.
//! - [`Db::round_assignments`]`(year)` — every organisation's status per part (the status page).
//!
//! Writes that may race (respondents submitting at once) open their transaction with
//! `BEGIN IMMEDIATE` ([`Db::begin_write`]) so SQLite serialises them instead of failing a lock
//! upgrade; every acknowledged submission is committed.

//!
//! One file per area (the web pages' names, `gnv_web::pages::rapportering`):
//! - [`formular`] — questionnaire definitions (standard forms, an admin's own versions).
//! - [`omgang`] — rounds, their parts and per-organisation assignments with status.
//! - [`svar`] — stored responses (drafts and submissions).
//! - [`inbjudan`] — invitations by secret link.
//! - [`epost`] — the log of sent e-mail.
//! - [`analys`] — imported earlier self-assessments and the compiled self-assessment and
//!   mapping rounds the analyses and the report read.
//!
//! This module keeps the row types, the status helpers shared with other modules
//! ([`apply_part_event_tx`], `write_status`) and [`Db::begin_write`].

use crate::audit::{self, Action, Actor, Entity, Entry};
use crate::cache::BoundedCache;
use crate::db::Tx;
use crate::sessioner::{random_token, token_hash};
use crate::{now_text, offset_text, Db, Result, StorageError};
use gnv_core::organisation::Registry;
use gnv_core::rapportering::formular::{Answers, FormDefinition};
use gnv_core::rapportering::livscykel::{self, RoundState};
use gnv_core::rapportering::tolkning::{self, ReadContext};
use gnv_core::rapportering::{Assignee, Event, Part, Status};
use gnv_core::sjalvskattning::{ConsolidatedEntry, IndividualAnswer, Perspective, Round, Scale, Score};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;
use std::sync::{Arc, OnceLock};

mod analys;
mod epost;
mod formular;
mod inbjudan;
mod omgang;
mod svar;

/// A reporting round.
#[derive(Debug, Clone, Serialize)]
pub struct RoundRow {
    pub year: i32,
    pub title: String,
    /// Deadline `YYYY-MM-DD`.
    pub deadline: String,
    pub opened_at: String,
    pub parts: Vec<Part>,
    /// When the round was closed (by an admin, or by the server at the deadline); `None` while open.
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
}

impl RoundRow {
    /// The deadline as a date.
    pub fn deadline_date(&self) -> chrono::NaiveDate {
        crate::omgang::deadline_date(&self.deadline)
    }

    /// Open or closed on `today` (a Swedish date): closed after the deadline day or when closed.
    pub fn state(&self, today: chrono::NaiveDate) -> RoundState {
        livscykel::round_state(self.deadline_date(), self.closed_at.is_some(), today)
    }

    /// Whether the round takes answers now.
    pub fn is_open(&self) -> bool {
        self.state(crate::omgang::today()) == RoundState::Oppen
    }
}

/// A stored answer that could not be read and is left out of a compilation (the page and the
/// report say so, naming the organisation and part).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DataWarning {
    pub year: i32,
    pub part: Part,
    pub org_code: String,
    /// "Svaret från Mora (kartläggning 2025) kunde inte läsas och ingår inte: …"
    pub text: String,
}

impl DataWarning {
    pub(crate) fn new(registry: &Registry, year: i32, part: Part, org: &str, detail: &str) -> DataWarning {
        let name = registry.name_of(org).unwrap_or(org).to_string();
        DataWarning {
            year,
            part,
            org_code: org.to_string(),
            text: format!(
                "Svaret från {name} ({} {year}) kunde inte läsas och ingår inte: {detail}",
                part.label_in_text()
            ),
        }
    }
}

/// One organisation's part in a round.
#[derive(Debug, Clone, Serialize)]
pub struct AssignmentRow {
    pub year: i32,
    pub part: Part,
    pub org_code: String,
    pub status: Status,
    pub updated_at: String,
    pub submitted_at: Option<String>,
    pub reopen_reason: String,
    /// Responses submitted (self-assessment: individual respondents).
    pub submitted_responses: i64,
    /// Responses saved as draft or reopened.
    pub draft_responses: i64,
}

/// An invitation by secret link.
#[derive(Debug, Clone, Serialize)]
pub struct Invitation {
    pub id: i64,
    pub year: i32,
    pub part: Part,
    pub org_code: String,
    pub name: String,
    pub email: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
    pub created_at: String,
}

impl Invitation {
    /// Whether the link has expired at `now` (RFC 3339 text).
    pub fn expired_at(&self, now: &str) -> bool {
        self.expires_at.as_str() <= now
    }
}

/// A stored response.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseRow {
    pub id: i64,
    pub year: i32,
    pub part: Part,
    pub org_code: String,
    pub respondent_key: String,
    pub answers: Answers,
    pub status: Status,
    pub updated_at: String,
    pub submitted_at: Option<String>,
}

/// A sent e-mail.
#[derive(Debug, Clone, Serialize)]
pub struct MailRow {
    pub at: String,
    pub part: String,
    pub org_code: String,
    pub recipient: String,
    pub subject: String,
    pub kind: String,
}

/// Respondent key of a shared (one per organisation) response.
pub const SHARED_KEY: &str = "gemensamt";

/// Parses a stored questionnaire definition, once per distinct text: the result depends on
/// nothing but the text, which is the cache key, so an entry can never be stale — on any
/// instance, whatever happens to the table. Bounded: cleared when full (a database holds a few
/// versions per part).
fn parsed_form(text: &str) -> Result<FormDefinition> {
    static CACHE: OnceLock<BoundedCache<Arc<FormDefinition>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| BoundedCache::new(64));
    if let Some(hit) = cache.get(text) {
        return Ok((*hit).clone());
    }
    let def = FormDefinition::parse(text).map_err(|e| StorageError::Corrupt(e.to_string()))?;
    cache.insert(text, Arc::new(def.clone()));
    Ok(def)
}

fn part_of(s: &str) -> Result<Part> {
    Part::parse(s).ok_or_else(|| StorageError::Corrupt(format!("Okänd del {s} i databasen.")))
}

fn status_of(s: &str) -> Result<Status> {
    Status::parse(s).ok_or_else(|| StorageError::Corrupt(format!("Okänd status {s} i databasen.")))
}

/// The status of one assignment inside a transaction.
pub(crate) async fn assignment_status(tx: &mut Tx<'_>, year: i32, part: Part, org: &str) -> Result<Status> {
    assignment_status_on(&mut **tx, year, part, org).await
}

/// The status of one assignment, on any executor (a transaction or the pool).
async fn assignment_status_on<'e>(
    ex: impl sqlx::Executor<'e, Database = sqlx::Any>,
    year: i32,
    part: Part,
    org: &str,
) -> Result<Status> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT status FROM round_assignment WHERE year = $1 AND part = $2 AND org_code = $3")
            .bind(year)
            .bind(part.code())
            .bind(org)
            .fetch_optional(ex)
            .await?;
    match row {
        Some((s,)) => status_of(&s),
        None => Err(StorageError::NotFound(format!(
            "Omgången {year} har ingen del ”{}” för {org}.",
            part.label()
        ))),
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn write_status(
    tx: &mut Tx<'_>,
    year: i32,
    part: Part,
    org: &str,
    before: Status,
    after: Status,
    reason: &str,
    actor: &Actor,
) -> Result<()> {
    let now = now_text();
    sqlx::query(
        "UPDATE round_assignment SET status = $1, updated_at = $2,
           submitted_at = CASE WHEN $1 = 'inskickad' THEN $2 ELSE submitted_at END,
           reopen_reason = CASE WHEN $1 = 'ateroppnad' THEN $3 ELSE reopen_reason END
         WHERE year = $4 AND part = $5 AND org_code = $6",
    )
    .bind(after.code())
    .bind(&now)
    .bind(reason)
    .bind(year)
    .bind(part.code())
    .bind(org)
    .execute(&mut **tx)
    .await?;
    if before != after {
        let id = format!("{year}/{}/{org}", part.code());
        let mut after_json = json!({"status": after.code()});
        if !reason.is_empty() {
            after_json["skal"] = json!(reason);
        }
        audit::record(
            tx,
            actor,
            Entry {
                action: Action::ChangeStatus,
                entity: Entity::RoundPart,
                entity_id: &id,
                before: Some(json!({"status": before.code()})),
                after: Some(after_json),
            },
        )
        .await?;
    }
    Ok(())
}

/// Applies a checked status transition inside the caller's transaction (see the module docs).
/// Returns the new status; a refused transition is a `Conflict` with a Swedish message.
pub async fn apply_part_event_tx(
    tx: &mut Tx<'_>,
    year: i32,
    part: Part,
    org: &str,
    event: Event,
    actor: &Actor,
) -> Result<Status> {
    let before = assignment_status(tx, year, part, org).await?;
    let after = before.after(event).map_err(|e| StorageError::Conflict(e.to_string()))?;
    write_status(tx, year, part, org, before, after, "", actor).await?;
    Ok(after)
}

impl Db {
    /// Begins a write transaction holding the database's write lock (see [`crate::db::Pool::begin`]),
    /// waiting instead of failing when writers race.
    pub async fn begin_write(&self) -> Result<Tx<'static>> {
        Ok(self.pool().begin().await?)
    }
}

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

use crate::audit::{self, Action, Actor, Entity, Entry};
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
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

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
    type FormCache = Mutex<HashMap<String, Arc<FormDefinition>>>;
    static CACHE: OnceLock<FormCache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(text).cloned()) {
        return Ok((*hit).clone());
    }
    let def = FormDefinition::parse(text).map_err(|e| StorageError::Corrupt(e.to_string()))?;
    if let Ok(mut c) = cache.lock() {
        if c.len() >= 64 {
            c.clear();
        }
        c.insert(text.to_string(), Arc::new(def.clone()));
    }
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

    // ---------------------------------------------------------------- forms

    /// Installs the shipped standard forms ([`gnv_core::rapportering::formular::STANDARD_FORMS`]:
    /// self-assessment version 1, mapping versions 1 and 2) that are missing. A version number
    /// already taken (e.g. by an admin's own form) is left as it is. New rounds take the newest
    /// version; rounds already opened keep theirs. Each installed form gets an audit entry.
    pub async fn ensure_standard_forms(&self) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for (part, version, text) in gnv_core::rapportering::formular::STANDARD_FORMS {
            let inserted = sqlx::query(
                "INSERT INTO form_definition (part, version, toml, created_at, created_by)
                 VALUES ($1, $2, $3, $4, 'standard') ON CONFLICT (part, version) DO NOTHING",
            )
            .bind(part.code())
            .bind(i64::from(version))
            .bind(text)
            .bind(now_text())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted > 0 {
                audit::record(
                    &mut tx,
                    &Actor::server(),
                    Entry {
                        action: Action::InstallDefaultForm,
                        entity: Entity::Form,
                        entity_id: &format!("{}/{version}", part.code()),
                        before: None,
                        after: Some(json!({ "version": version })),
                    },
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Stores a new version of a questionnaire definition (admins edit forms this way). The
    /// version must be higher than every stored version of the part.
    pub async fn add_form_definition(&self, text: &str, actor: &Actor) -> Result<FormDefinition> {
        let def = FormDefinition::parse(text).map_err(|e| StorageError::Invalid(e.to_string()))?;
        let part = def.part().ok_or_else(|| StorageError::Invalid("Okänd del.".into()))?;
        let mut tx = self.audited_write(actor).await?;
        let (max,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(version) FROM form_definition WHERE part = $1")
                .bind(part.code())
                .fetch_one(&mut *tx)
                .await?;
        if i64::from(def.version) <= max.unwrap_or(0) {
            return Err(StorageError::Invalid(format!(
                "Versionen måste vara högre än {} (den senaste för {}).",
                max.unwrap_or(0),
                part.label()
            )));
        }
        sqlx::query("INSERT INTO form_definition (part, version, toml, created_at, created_by) VALUES ($1, $2, $3, $4, $5)")
            .bind(part.code())
            .bind(i64::from(def.version))
            .bind(text)
            .bind(now_text())
            .bind(&actor.username)
            .execute(&mut *tx)
            .await?;
        tx.commit(Entry {
            action: Action::Create,
            entity: Entity::Form,
            entity_id: &format!("{}/{}", part.code(), def.version),
            before: None,
            after: Some(json!({"titel": def.titel})),
        })
        .await?;
        Ok(def)
    }

    /// A stored definition; version 0 means the newest.
    pub async fn form_definition(&self, part: Part, version: i64) -> Result<Option<FormDefinition>> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT toml FROM form_definition WHERE part = $1 AND ($2 = 0 OR version = $2)
             ORDER BY version DESC LIMIT 1",
        )
        .bind(part.code())
        .bind(version)
        .fetch_optional(self.pool())
        .await?;
        self.form_for_county(row.map(|(t,)| parsed_form(&t)).transpose()?).await
    }

    /// A stored form as answered in this county: template groups repeated for each sub-goal of
    /// the county profile ([`FormDefinition::with_subgoals`]).
    async fn form_for_county(&self, def: Option<FormDefinition>) -> Result<Option<FormDefinition>> {
        match def {
            Some(d) if d.grupp.iter().any(|g| g.per_delmal) => {
                Ok(Some(d.with_subgoals(&self.subgoals().await?)))
            }
            other => Ok(other),
        }
    }

    /// All stored definitions: (part, version, created_at, created_by).
    pub async fn form_definitions(&self) -> Result<Vec<(String, i64, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT part, version, created_at, created_by FROM form_definition ORDER BY part, version DESC",
        )
        .fetch_all(self.pool())
        .await?)
    }

    /// The form a round uses for a part (none when the round has no such part or the part has
    /// no form, `form_version` 0). One query; the definition is parsed once per text.
    pub async fn round_form(&self, year: i32, part: Part) -> Result<Option<FormDefinition>> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT f.toml FROM round_part p
             JOIN form_definition f ON f.part = p.part AND f.version = p.form_version
             WHERE p.year = $1 AND p.part = $2 AND p.form_version > 0",
        )
        .bind(year)
        .bind(part.code())
        .fetch_optional(self.pool())
        .await?;
        self.form_for_county(row.map(|(t,)| parsed_form(&t)).transpose()?).await
    }

    // ---------------------------------------------------------------- rounds

    /// Opens the round of `year` with `parts`, assigning each part to every organisation of its
    /// kind in `registry` (LSLs or municipalities). Self-assessment and mapping use the newest
    /// stored form version.
    pub async fn create_round(
        &self,
        year: i32,
        deadline: &str,
        parts: &[Part],
        registry: &Registry,
        actor: &Actor,
    ) -> Result<RoundRow> {
        if !(2000..=2100).contains(&year) {
            return Err(StorageError::Invalid(format!("Året {year} är inte rimligt.")));
        }
        let deadline = chrono::NaiveDate::parse_from_str(deadline.trim(), "%Y-%m-%d")
            .map_err(|_| {
                StorageError::Invalid(format!("Sista svarsdag \"{deadline}\" ska skrivas ÅÅÅÅ-MM-DD."))
            })?
            .to_string();
        if parts.is_empty() {
            return Err(StorageError::Invalid("Välj minst en del för omgången.".into()));
        }
        self.ensure_standard_forms().await?;
        let mut tx = self.audited_write(actor).await?;
        let exists: Option<(i64,)> = sqlx::query_as("SELECT from_data FROM report_round WHERE year = $1")
            .bind(year)
            .fetch_optional(&mut *tx)
            .await?;
        let now = now_text();
        let title = format!("Rapporteringsomgång {year}");
        match exists {
            // A closed round made from imported data of the year is adopted: it opens with the
            // deadline given, keeps its parts and their statuses, and gets the parts asked for.
            Some((1,)) => {
                sqlx::query(
                    "UPDATE report_round SET title = $1, deadline = $2, opened_at = $3, opened_by = $4,
                       closed_at = NULL, closed_by = NULL, from_data = 0 WHERE year = $5",
                )
                .bind(&title)
                .bind(&deadline)
                .bind(&now)
                .bind(&actor.username)
                .bind(year)
                .execute(&mut *tx)
                .await?;
            }
            Some(_) => {
                return Err(StorageError::Conflict(format!(
                    "Det finns redan en rapporteringsomgång för {year}."
                )));
            }
            None => {
                sqlx::query(
                    "INSERT INTO report_round (year, title, deadline, opened_at, opened_by) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(year)
                .bind(&title)
                .bind(&deadline)
                .bind(&now)
                .bind(&actor.username)
                .execute(&mut *tx)
                .await?;
            }
        }
        let mut sorted = parts.to_vec();
        sorted.sort();
        sorted.dedup();
        let held: Vec<(String,)> = sqlx::query_as("SELECT part FROM round_part WHERE year = $1")
            .bind(year)
            .fetch_all(&mut *tx)
            .await?;
        for part in &sorted {
            if held.iter().any(|(p,)| p == part.code()) {
                continue;
            }
            let (version,): (Option<i64>,) =
                sqlx::query_as("SELECT MAX(version) FROM form_definition WHERE part = $1")
                    .bind(part.code())
                    .fetch_one(&mut *tx)
                    .await?;
            sqlx::query("INSERT INTO round_part (year, part, form_version) VALUES ($1, $2, $3)")
                .bind(year)
                .bind(part.code())
                .bind(version.unwrap_or(0))
                .execute(&mut *tx)
                .await?;
            let orgs: Vec<String> = match part.assignee() {
                Assignee::Lsl => registry.lsls.iter().map(|l| l.code.clone()).collect(),
                Assignee::Kommun => registry.municipalities.iter().map(|m| m.code.clone()).collect(),
            };
            for org in orgs {
                sqlx::query(
                    "INSERT INTO round_assignment (year, part, org_code, status, updated_at) VALUES ($1, $2, $3, 'ej_paborjad', $4)",
                )
                .bind(year)
                .bind(part.code())
                .bind(&org)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
            }
        }
        sorted.extend(held.iter().filter_map(|(p,)| Part::parse(p)));
        sorted.sort();
        sorted.dedup();
        let row = RoundRow {
            year,
            title,
            deadline,
            opened_at: now,
            parts: sorted,
            closed_at: None,
            closed_by: None,
        };
        tx.commit(Entry {
            action: Action::Create,
            entity: Entity::Round,
            entity_id: &year.to_string(),
            before: None,
            after: Some(json!(row)),
        })
        .await?;
        Ok(row)
    }

    /// All rounds, newest first.
    pub async fn rounds(&self) -> Result<Vec<RoundRow>> {
        let rows =
            sqlx::query("SELECT year, title, deadline, opened_at, closed_at, closed_by FROM report_round ORDER BY year DESC")
                .fetch_all(self.pool())
                .await?;
        let mut out = Vec::new();
        for r in rows {
            // Bound as i32 like every other use of this statement: on PostgreSQL a cached
            // statement refuses a parameter of another width than it was prepared with.
            let year = r.get::<i64, _>("year") as i32;
            let parts: Vec<(String,)> = sqlx::query_as("SELECT part FROM round_part WHERE year = $1")
                .bind(year)
                .fetch_all(self.pool())
                .await?;
            let mut parts: Vec<Part> = parts.iter().filter_map(|p| Part::parse(&p.0)).collect();
            parts.sort();
            out.push(RoundRow {
                year,
                title: r.get("title"),
                deadline: r.get("deadline"),
                opened_at: r.get("opened_at"),
                parts,
                closed_at: r.get("closed_at"),
                closed_by: r.get("closed_by"),
            });
        }
        Ok(out)
    }

    /// One round.
    pub async fn round(&self, year: i32) -> Result<Option<RoundRow>> {
        let Some(r) = sqlx::query(
            "SELECT year, title, deadline, opened_at, closed_at, closed_by FROM report_round WHERE year = $1",
        )
        .bind(year)
        .fetch_optional(self.pool())
        .await?
        else {
            return Ok(None);
        };
        let parts: Vec<(String,)> = sqlx::query_as("SELECT part FROM round_part WHERE year = $1")
            .bind(year)
            .fetch_all(self.pool())
            .await?;
        let mut parts: Vec<Part> = parts.iter().filter_map(|p| Part::parse(&p.0)).collect();
        parts.sort();
        Ok(Some(RoundRow {
            year,
            title: r.get("title"),
            deadline: r.get("deadline"),
            opened_at: r.get("opened_at"),
            parts,
            closed_at: r.get("closed_at"),
            closed_by: r.get("closed_by"),
        }))
    }

    /// Every assignment of a round with response counts, by part then organisation code.
    pub async fn round_assignments(&self, year: i32) -> Result<Vec<AssignmentRow>> {
        let rows = sqlx::query(
            "SELECT a.year, a.part, a.org_code, a.status, a.updated_at, a.submitted_at, a.reopen_reason,
               (SELECT COUNT(*) FROM round_response r WHERE r.year = a.year AND r.part = a.part
                  AND r.org_code = a.org_code AND r.status = 'inskickad') AS submitted_responses,
               (SELECT COUNT(*) FROM round_response r WHERE r.year = a.year AND r.part = a.part
                  AND r.org_code = a.org_code AND r.status <> 'inskickad') AS draft_responses
             FROM round_assignment a WHERE a.year = $1 ORDER BY a.part, a.org_code",
        )
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AssignmentRow {
                    year: r.get::<i64, _>("year") as i32,
                    part: part_of(r.get("part"))?,
                    org_code: r.get("org_code"),
                    status: status_of(r.get("status"))?,
                    updated_at: r.get("updated_at"),
                    submitted_at: r.get("submitted_at"),
                    reopen_reason: r.get("reopen_reason"),
                    submitted_responses: r.get("submitted_responses"),
                    draft_responses: r.get("draft_responses"),
                })
            })
            .collect()
    }

    /// The status of one organisation's part (generic API, see the module docs). A plain read:
    /// it does not take the write lock (a single statement sees one committed state).
    pub async fn round_part_status(&self, year: i32, part: Part, org: &str) -> Result<Status> {
        assignment_status_on(self.pool(), year, part, org).await
    }

    /// Sets the status of one organisation's part directly, audited (generic API).
    pub async fn set_round_part_status(
        &self,
        year: i32,
        part: Part,
        org: &str,
        status: Status,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let before = assignment_status(&mut tx, year, part, org).await?;
        write_status(&mut tx, year, part, org, before, status, "", actor).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Applies a checked transition, audited (generic API).
    pub async fn apply_round_part_event(
        &self,
        year: i32,
        part: Part,
        org: &str,
        event: Event,
        actor: &Actor,
    ) -> Result<Status> {
        let mut tx = self.begin_write().await?;
        let s = apply_part_event_tx(&mut tx, year, part, org, event, actor).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Reopens a submitted part with a reason: the assignment becomes återöppnad and every
    /// submitted response of the organisation is unlocked. Audited with the reason.
    pub async fn reopen_part(
        &self,
        year: i32,
        part: Part,
        org: &str,
        reason: &str,
        actor: &Actor,
    ) -> Result<()> {
        let reason =
            gnv_core::rapportering::check_reason(reason).map_err(|e| StorageError::Invalid(e.to_string()))?;
        let mut tx = self.begin_write().await?;
        let before = assignment_status(&mut tx, year, part, org).await?;
        let closed: Option<(Option<String>, String)> =
            sqlx::query_as("SELECT closed_at, deadline FROM report_round WHERE year = $1")
                .bind(year)
                .fetch_optional(&mut *tx)
                .await?;
        let round_closed = closed.is_some_and(|(at, deadline)| {
            livscykel::round_state(
                crate::omgang::deadline_date(&deadline),
                at.is_some(),
                crate::omgang::today(),
            ) == RoundState::Stangd
        });
        // In a closed round an admin may also let an organisation that never submitted answer
        // late: its part becomes återöppnad like a reopened one.
        let after = match before {
            Status::EjPaborjad | Status::Utkast if round_closed => Status::Ateroppnad,
            _ => before.after(Event::Reopen).map_err(|e| StorageError::Conflict(e.to_string()))?,
        };
        write_status(&mut tx, year, part, org, before, after, &reason, actor).await?;
        sqlx::query(
            "UPDATE round_response SET status = 'ateroppnad', updated_at = $1
             WHERE year = $2 AND part = $3 AND org_code = $4 AND status = 'inskickad'",
        )
        .bind(now_text())
        .bind(year)
        .bind(part.code())
        .bind(org)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    // ---------------------------------------------------------------- responses

    /// One response.
    pub async fn response(&self, year: i32, part: Part, org: &str, key: &str) -> Result<Option<ResponseRow>> {
        let row = sqlx::query(
            "SELECT id, year, part, org_code, respondent_key, answers_json, status, updated_at, submitted_at
             FROM round_response WHERE year = $1 AND part = $2 AND org_code = $3 AND respondent_key = $4",
        )
        .bind(year)
        .bind(part.code())
        .bind(org)
        .bind(key)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| response_from_row(&r)).transpose()
    }

    /// The stored rows of a part's responses in a round, by organisation and id.
    async fn response_rows(&self, year: i32, part: Part) -> Result<Vec<crate::db::DbRow>> {
        Ok(sqlx::query(
            "SELECT id, year, part, org_code, respondent_key, answers_json, status, updated_at, submitted_at
             FROM round_response WHERE year = $1 AND part = $2 ORDER BY org_code, id",
        )
        .bind(year)
        .bind(part.code())
        .fetch_all(self.pool())
        .await?)
    }

    /// All responses of a part in a round (any status).
    pub async fn responses(&self, year: i32, part: Part) -> Result<Vec<ResponseRow>> {
        let rows = self.response_rows(year, part).await?;
        rows.iter().map(response_from_row).collect()
    }

    /// All responses of a part in a round, leaving out rows that cannot be read: those come back
    /// as (organisation, message) so a compilation can warn instead of failing.
    pub async fn responses_checked(
        &self,
        year: i32,
        part: Part,
    ) -> Result<(Vec<ResponseRow>, Vec<(String, String)>)> {
        let rows = self.response_rows(year, part).await?;
        let mut ok = Vec::new();
        let mut bad = Vec::new();
        for r in &rows {
            match response_from_row(r) {
                Ok(row) => ok.push(row),
                Err(e) => {
                    let org: String = r.try_get("org_code").unwrap_or_default();
                    tracing::warn!(year, part = part.code(), org = %org, error = %e, "unreadable stored response");
                    bad.push((org, e.to_string()));
                }
            }
        }
        Ok((ok, bad))
    }

    /// Saves a draft or submits a response (already validated by the form engine).
    ///
    /// Checks, in one `BEGIN IMMEDIATE` transaction: the round carries the part for the
    /// organisation and is open, or the organisation's part was reopened by an admin
    /// ([`crate::omgang::respondent_gate_tx`]); the respondent's own response is not submitted (double submission and
    /// editing a locked answer are `Conflict`s with Swedish messages). Then stores the response
    /// and moves the organisation's status (a draft turns "ej påbörjad" into "utkast"; a
    /// submission makes it "inskickad"). Audited.
    #[allow(clippy::too_many_arguments)]
    pub async fn save_response(
        &self,
        year: i32,
        part: Part,
        org: &str,
        respondent_key: &str,
        answers: &Answers,
        event: Event,
        actor: &Actor,
    ) -> Result<Status> {
        if event == Event::Reopen {
            return Err(StorageError::Invalid("Ett svar återöppnas av en administratör.".into()));
        }
        let key = if part.individual_answers() { respondent_key } else { SHARED_KEY };
        let mut tx = self.begin_write().await?;
        // The round must be open, or the organisation's part reopened by an admin.
        let org_before = crate::omgang::respondent_gate_tx(&mut tx, year, part, org).await?;
        let own: Option<(String,)> = sqlx::query_as(
            "SELECT status FROM round_response WHERE year = $1 AND part = $2 AND org_code = $3 AND respondent_key = $4",
        )
        .bind(year)
        .bind(part.code())
        .bind(org)
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?;
        let own_before = match &own {
            Some((s,)) => status_of(s)?,
            None => Status::EjPaborjad,
        };
        let own_after = own_before.after(event).map_err(|e| StorageError::Conflict(e.to_string()))?;
        let org_after = match event {
            Event::Submit => Status::Inskickad,
            _ if org_before == Status::EjPaborjad => Status::Utkast,
            _ => org_before,
        };
        let now = now_text();
        let json_text = tolkning::answers_to_text(answers);
        sqlx::query(
            "INSERT INTO round_response (year, part, org_code, respondent_key, answers_json, status, updated_at, updated_by, submitted_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $6 = 'inskickad' THEN $7 ELSE NULL END)
             ON CONFLICT (year, part, org_code, respondent_key) DO UPDATE SET
               answers_json = excluded.answers_json, status = excluded.status, updated_at = excluded.updated_at,
               updated_by = excluded.updated_by,
               submitted_at = CASE WHEN excluded.status = 'inskickad' THEN excluded.updated_at ELSE round_response.submitted_at END",
        )
        .bind(year)
        .bind(part.code())
        .bind(org)
        .bind(key)
        .bind(&json_text)
        .bind(if own_after == Status::Inskickad { "inskickad" } else if own_after == Status::Ateroppnad { "ateroppnad" } else { "utkast" })
        .bind(&now)
        .bind(&actor.username)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            actor,
            Entry {
                action: if event == Event::Submit { Action::Submit } else { Action::SaveDraft },
                entity: Entity::Answer,
                entity_id: &format!("{year}/{}/{org}/{key}", part.code()),
                before: Some(json!({"status": own_before.code()})),
                after: Some(json!({"status": own_after.code(), "svar": answers})),
            },
        )
        .await?;
        write_status(&mut tx, year, part, org, org_before, org_after, "", actor).await?;
        tx.commit().await?;
        Ok(own_after)
    }

    // ---------------------------------------------------------------- invitations

    /// Creates an invitation by secret link valid for `valid_days`; returns it and the token
    /// (shown/sent once; only its hash is stored).
    #[allow(clippy::too_many_arguments)]
    pub async fn create_invitation(
        &self,
        year: i32,
        part: Part,
        org: &str,
        name: &str,
        email: &str,
        valid_days: i64,
        actor: &Actor,
    ) -> Result<(Invitation, String)> {
        let name = name.trim();
        let email = email.trim();
        if name.is_empty() {
            return Err(StorageError::Invalid("Ange mottagarens namn.".into()));
        }
        if !email.contains('@') || email.contains(char::is_whitespace) || email.len() > 200 {
            return Err(StorageError::Invalid(format!("\"{email}\" är ingen giltig e-postadress.")));
        }
        if !(1..=365).contains(&valid_days) {
            return Err(StorageError::Invalid("Länken ska gälla mellan 1 och 365 dagar.".into()));
        }
        let mut tx = self.audited_write(actor).await?;
        assignment_status(tx.tx(), year, part, org).await?;
        let now = now_text();
        let expires = offset_text(valid_days * 86_400);
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO invitation (year, part, org_code, name, email, expires_at, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(year)
        .bind(part.code())
        .bind(org)
        .bind(name)
        .bind(email)
        .bind(&expires)
        .bind(&now)
        .bind(&actor.username)
        .fetch_one(&mut *tx)
        .await?;
        let token = random_token();
        sqlx::query(
            "INSERT INTO invitation_token (token_hash, invitation_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(token_hash(&token))
        .bind(id)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        let inv = Invitation {
            id,
            year,
            part,
            org_code: org.to_string(),
            name: name.to_string(),
            email: email.to_string(),
            expires_at: expires,
            revoked_at: None,
            created_at: now,
        };
        tx.commit(Entry {
            action: Action::Create,
            entity: Entity::Invitation,
            entity_id: &id.to_string(),
            before: None,
            after: Some(json!(inv)),
        })
        .await?;
        Ok((inv, token))
    }

    /// Issues an extra token for an invitation (for a reminder).
    pub async fn new_invitation_token(&self, id: i64) -> Result<String> {
        let token = random_token();
        sqlx::query(
            "INSERT INTO invitation_token (token_hash, invitation_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(token_hash(&token))
        .bind(id)
        .bind(now_text())
        .execute(self.pool())
        .await?;
        Ok(token)
    }

    /// The invitation a link token belongs to (also when expired or revoked; the caller refuses
    /// those with the right message).
    pub async fn invitation_by_token(&self, token: &str) -> Result<Option<Invitation>> {
        if token.len() != 64 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let row = sqlx::query(&format!(
            "{INV_SELECT} JOIN invitation_token t ON t.invitation_id = i.id WHERE t.token_hash = $1"
        ))
        .bind(token_hash(token))
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| invitation_from_row(&r)).transpose()
    }

    /// One invitation.
    pub async fn invitation(&self, id: i64) -> Result<Option<Invitation>> {
        let row = sqlx::query(&format!("{INV_SELECT} WHERE i.id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| invitation_from_row(&r)).transpose()
    }

    /// All invitations of a round, newest first.
    pub async fn invitations(&self, year: i32) -> Result<Vec<Invitation>> {
        let rows = sqlx::query(&format!("{INV_SELECT} WHERE i.year = $1 ORDER BY i.id DESC"))
            .bind(year)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(invitation_from_row).collect()
    }

    /// Revokes an invitation (its links stop working at once). Audited.
    pub async fn revoke_invitation(&self, id: i64, actor: &Actor) -> Result<()> {
        let mut tx = self.audited_write(actor).await?;
        let n = sqlx::query("UPDATE invitation SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now_text())
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StorageError::NotFound("Inbjudan finns inte eller är redan återkallad.".into()));
        }
        tx.commit(Entry {
            action: Action::Revoke,
            entity: Entity::Invitation,
            entity_id: &id.to_string(),
            before: None,
            after: None,
        })
        .await?;
        Ok(())
    }

    /// Respondent accounts bound to an organisation: (user id, name, e-mail).
    pub async fn respondents_of(&self, org: &str) -> Result<Vec<(i64, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT u.id, u.display_name, u.email FROM app_user u JOIN user_organisation o ON o.user_id = u.id
             WHERE o.org_code = $1 AND u.role = 'respondent' AND u.active = 1 ORDER BY u.username",
        )
        .bind(org)
        .fetch_all(self.pool())
        .await?)
    }

    // ---------------------------------------------------------------- mail log

    /// Records a sent e-mail.
    #[allow(clippy::too_many_arguments)]
    pub async fn log_mail(
        &self,
        year: i32,
        part: Part,
        org: &str,
        recipient: &str,
        subject: &str,
        kind: &str,
        actor: &Actor,
    ) -> Result<()> {
        self.log_mail_with(None, year, part, org, recipient, subject, kind, actor).await
    }

    /// The mail log entry and its audit entry, in one write transaction (both public loggers).
    #[allow(clippy::too_many_arguments)]
    async fn log_mail_with(
        &self,
        job_key: Option<&str>,
        year: i32,
        part: Part,
        org: &str,
        recipient: &str,
        subject: &str,
        kind: &str,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.audited_write(actor).await?;
        sqlx::query(
            "INSERT INTO mail_log (at, year, part, org_code, recipient, subject, kind, job_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(now_text())
        .bind(year)
        .bind(part.code())
        .bind(org)
        .bind(recipient)
        .bind(subject)
        .bind(kind)
        .bind(job_key)
        .execute(&mut *tx)
        .await?;
        tx.commit(Entry {
            action: if kind == "paminnelse" { Action::SendReminder } else { Action::SendInvitation },
            entity: Entity::Email,
            entity_id: &format!("{year}/{}/{org}", part.code()),
            before: None,
            after: Some(json!({"till": recipient, "ämne": subject})),
        })
        .await?;
        Ok(())
    }

    /// [`Db::log_mail`] for mail sent by a scheduled job (the key lets a job taken over after a
    /// crash skip recipients it already mailed).
    #[allow(clippy::too_many_arguments)]
    pub async fn log_mail_for_job(
        &self,
        job_key: &str,
        year: i32,
        part: Part,
        org: &str,
        recipient: &str,
        subject: &str,
        kind: &str,
        actor: &Actor,
    ) -> Result<()> {
        self.log_mail_with(Some(job_key), year, part, org, recipient, subject, kind, actor).await
    }

    /// Mail sent in a round, newest first.
    pub async fn mails(&self, year: i32) -> Result<Vec<MailRow>> {
        let rows = sqlx::query(
            "SELECT at, part, org_code, recipient, subject, kind FROM mail_log WHERE year = $1 ORDER BY id DESC",
        )
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|r| MailRow {
                at: r.get("at"),
                part: r.get("part"),
                org_code: r.get("org_code"),
                recipient: r.get("recipient"),
                subject: r.get("subject"),
                kind: r.get("kind"),
            })
            .collect())
    }

    // ---------------------------------------------------------------- self-assessment data

    /// Replaces the imported earlier self-assessments of every year in `rounds` (all or nothing).
    /// Refused for a year whose reporting round already has submitted self-assessments.
    pub async fn import_sjalvskattning_history(&self, rounds: &[Round], actor: &Actor) -> Result<usize> {
        let mut tx = self.begin_write().await?;
        let now = now_text();
        let mut count = 0usize;
        for round in rounds {
            let (live,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM round_response WHERE year = $1 AND part = 'sjalvskattning' AND status = 'inskickad'",
            )
            .bind(round.year)
            .fetch_one(&mut *tx)
            .await?;
            if live > 0 {
                return Err(StorageError::Conflict(format!(
                    "{} har redan inskickade självskattningar i systemet; historik kan bara importeras för tidigare år.",
                    round.year
                )));
            }
            sqlx::query("DELETE FROM sjalvskattning_history WHERE year = $1")
                .bind(round.year)
                .execute(&mut *tx)
                .await?;
            let mut row_no = 0i64;
            for r in &round.results {
                let rows: Vec<HistoryRow> = if r.respondents.is_empty() {
                    vec![(
                        String::new(),
                        String::new(),
                        None,
                        r.values.iter().map(|v| v.map(score_text)).collect(),
                        r.applied_table,
                    )]
                } else {
                    r.respondents
                        .iter()
                        .map(|p| {
                            (
                                p.respondent.clone(),
                                p.role.clone(),
                                p.perspective,
                                p.ratings.iter().map(|v| v.map(|v| v.to_string())).collect(),
                                p.applied_table,
                            )
                        })
                        .collect()
                };
                for (respondent, role, perspective, values, applied) in rows {
                    if values.len() > HISTORY_COLUMNS.len() {
                        return Err(StorageError::Invalid(format!(
                            "Högst {} delmål kan sparas; underlaget har {}.",
                            HISTORY_COLUMNS.len(),
                            values.len()
                        )));
                    }
                    let value = |i: usize| values.get(i).cloned().flatten();
                    row_no += 1;
                    sqlx::query(
                        "INSERT INTO sjalvskattning_history (year, row_no, lsl, respondent, role, perspective, v1, v2, v3, v4, v5, v6, v7, v8, v9, applied, imported_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
                    )
                    .bind(round.year)
                    .bind(row_no)
                    .bind(&r.lsl)
                    .bind(if respondent.is_empty() && !r.respondents.is_empty() { "(okänd)".to_string() } else { respondent })
                    .bind(role)
                    .bind(perspective.map(|p| p.code()))
                    .bind(value(0))
                    .bind(value(1))
                    .bind(value(2))
                    .bind(value(3))
                    .bind(value(4))
                    .bind(value(5))
                    .bind(value(6))
                    .bind(value(7))
                    .bind(value(8))
                    .bind(applied.map(i64::from))
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?;
                    count += 1;
                }
            }
            audit::record(
                &mut tx,
                actor,
                Entry {
                    action: Action::Import,
                    entity: Entity::SelfAssessmentHistory,
                    entity_id: &round.year.to_string(),
                    before: None,
                    after: Some(json!({"lokala_systemledningar": round.results.len()})),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(count)
    }

    /// Years with imported self-assessment history.
    pub async fn sjalvskattning_history_years(&self) -> Result<Vec<i32>> {
        let rows: Vec<(i64,)> =
            sqlx::query_as("SELECT DISTINCT year FROM sjalvskattning_history ORDER BY year")
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().map(|r| r.0 as i32).collect())
    }

    /// The consolidated self-assessment rounds of every year up to `up_to` that has data:
    /// submitted responses of reporting rounds plus imported history, oldest first. A stored
    /// answer that does not read is left out and logged (see [`Db::sjalvskattning_rounds_checked`]).
    pub async fn sjalvskattning_rounds(&self, registry: &Registry, up_to: i32) -> Result<Vec<Round>> {
        Ok(self.sjalvskattning_rounds_checked(registry, up_to).await?.0)
    }

    /// [`Db::sjalvskattning_rounds`] with a warning for every stored answer left out because it
    /// could not be read (the compilation page and the report show them).
    pub async fn sjalvskattning_rounds_checked(
        &self,
        registry: &Registry,
        up_to: i32,
    ) -> Result<(Vec<Round>, Vec<DataWarning>)> {
        let subgoals = self.subgoals().await?;
        let mut years: Vec<i32> = self.sjalvskattning_history_years().await?;
        let live: Vec<(i64,)> = sqlx::query_as(
            "SELECT DISTINCT year FROM round_response WHERE part = 'sjalvskattning' AND status = 'inskickad'",
        )
        .fetch_all(self.pool())
        .await?;
        years.extend(live.into_iter().map(|r| r.0 as i32));
        years.retain(|y| *y <= up_to);
        years.sort_unstable();
        years.dedup();
        let ctx = ReadContext { registry, subgoals: &subgoals };
        let mut out = Vec::new();
        let mut warnings = Vec::new();
        for year in years {
            let def = self.round_form(year, Part::Sjalvskattning).await?;
            let scale = def.as_ref().map(FormDefinition::scale).unwrap_or_default();
            let mut answers = Vec::new();
            let (rows, unreadable) = self.responses_checked(year, Part::Sjalvskattning).await?;
            for (org, e) in unreadable {
                warnings.push(DataWarning::new(registry, year, Part::Sjalvskattning, &org, &e));
            }
            for r in rows {
                if r.status != Status::Inskickad {
                    continue;
                }
                let Some(def) = &def else { continue };
                match tolkning::read_sjalvskattning(def, &r.answers, &r.org_code, &ctx) {
                    Ok(a) => answers.push(a),
                    Err(e) => {
                        tracing::warn!(year, org = %r.org_code, error = %e, "stored self-assessment left out");
                        warnings.push(DataWarning::new(
                            registry,
                            year,
                            Part::Sjalvskattning,
                            &r.org_code,
                            &e.to_string(),
                        ));
                    }
                }
            }
            let (hist_answers, consolidated) = self.history_of(year, &Scale::default()).await?;
            answers.extend(hist_answers);
            let round = Round::new(year, scale, answers, consolidated)
                .map_err(|e| StorageError::Corrupt(e.to_string()))?;
            out.push(round);
        }
        Ok((out, warnings))
    }

    async fn history_of(
        &self,
        year: i32,
        scale: &Scale,
    ) -> Result<(Vec<IndividualAnswer>, Vec<ConsolidatedEntry>)> {
        let count = self.subgoals().await?.len().min(HISTORY_COLUMNS.len());
        let rows = sqlx::query(
            "SELECT lsl, respondent, role, perspective, v1, v2, v3, v4, v5, v6, v7, v8, v9, applied FROM sjalvskattning_history
             WHERE year = $1 ORDER BY row_no",
        )
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        let mut answers = Vec::new();
        let mut consolidated = Vec::new();
        for r in rows {
            let values: Vec<Option<String>> = HISTORY_COLUMNS.iter().take(count).map(|c| r.get(*c)).collect();
            let applied: Option<i64> = r.get("applied");
            let respondent: String = r.get("respondent");
            let lsl: String = r.get("lsl");
            if respondent.is_empty() {
                let mut vals = vec![None; count];
                for (i, v) in values.iter().enumerate() {
                    vals[i] = match v {
                        Some(t) => Some(Score::parse(t).map_err(|e| StorageError::Corrupt(e.to_string()))?),
                        None => None,
                    };
                }
                consolidated.push(ConsolidatedEntry {
                    lsl,
                    values: vals,
                    applied_table: applied.map(|a| a != 0),
                });
            } else {
                let mut ratings = vec![None; count];
                for (i, v) in values.iter().enumerate() {
                    ratings[i] =
                        v.as_deref().and_then(|t| t.parse::<u8>().ok()).and_then(|n| scale.rating(n));
                }
                let perspective: Option<String> = r.get("perspective");
                answers.push(IndividualAnswer {
                    lsl,
                    respondent,
                    role: r.get("role"),
                    perspective: perspective.as_deref().and_then(Perspective::parse),
                    ratings,
                    applied_table: applied.map(|a| a != 0),
                    reflections: vec![String::new(); count],
                });
            }
        }
        Ok((answers, consolidated))
    }

    /// The mapping round of `year` from submitted responses (`None` when the round has no
    /// mapping part). A stored answer that does not read is left out and logged.
    pub async fn kartlaggning_round(
        &self,
        year: i32,
        registry: &Registry,
    ) -> Result<Option<gnv_core::kartlaggning::MappingRound>> {
        Ok(self.kartlaggning_round_checked(year, registry).await?.0)
    }

    /// [`Db::kartlaggning_round`] with a warning for every stored answer left out because it
    /// could not be read: one answer never fails the page, the API summary or the report.
    pub async fn kartlaggning_round_checked(
        &self,
        year: i32,
        registry: &Registry,
    ) -> Result<(Option<gnv_core::kartlaggning::MappingRound>, Vec<DataWarning>)> {
        let Some(def) = self.round_form(year, Part::Kartlaggning).await? else {
            return Ok((None, Vec::new()));
        };
        let subgoals = self.subgoals().await?;
        let ctx = ReadContext { registry, subgoals: &subgoals };
        let mut answers = Vec::new();
        let (rows, unreadable) = self.responses_checked(year, Part::Kartlaggning).await?;
        let mut warnings: Vec<DataWarning> = unreadable
            .iter()
            .map(|(org, e)| DataWarning::new(registry, year, Part::Kartlaggning, org, e))
            .collect();
        for r in rows {
            if r.status != Status::Inskickad {
                continue;
            }
            match tolkning::read_kartlaggning(&def, &r.answers, &r.org_code, &ctx) {
                Ok(a) => answers.push(a),
                Err(e) => {
                    tracing::warn!(year, org = %r.org_code, error = %e, "stored mapping answer left out");
                    warnings.push(DataWarning::new(
                        registry,
                        year,
                        Part::Kartlaggning,
                        &r.org_code,
                        &e.to_string(),
                    ));
                }
            }
        }
        let round = gnv_core::kartlaggning::MappingRound::new(year, answers)
            .map_err(|e| StorageError::Corrupt(e.to_string()))?;
        Ok((Some(round), warnings))
    }
}

/// (respondent, role, perspective, values, applied table) of one stored history row.
type HistoryRow = (String, String, Option<Perspective>, Vec<Option<String>>, Option<bool>);

/// The rating columns of `sjalvskattning_history` (sub-goals 1–9, migration `0014`).
const HISTORY_COLUMNS: [&str; 9] = ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"];

fn score_text(s: Score) -> String {
    // At most two decimals for imported values, so the Swedish text is exact.
    s.to_string()
}

const INV_SELECT: &str = "SELECT i.id, i.year, i.part, i.org_code, i.name, i.email, i.expires_at, i.revoked_at, i.created_at FROM invitation i";

fn invitation_from_row(r: &crate::db::DbRow) -> Result<Invitation> {
    Ok(Invitation {
        id: r.get("id"),
        year: r.get::<i64, _>("year") as i32,
        part: part_of(r.get("part"))?,
        org_code: r.get("org_code"),
        name: r.get("name"),
        email: r.get("email"),
        expires_at: r.get("expires_at"),
        revoked_at: r.get("revoked_at"),
        created_at: r.get("created_at"),
    })
}

fn response_from_row(r: &crate::db::DbRow) -> Result<ResponseRow> {
    let text: String = r.get("answers_json");
    Ok(ResponseRow {
        id: r.get("id"),
        year: r.get::<i64, _>("year") as i32,
        part: part_of(r.get("part"))?,
        org_code: r.get("org_code"),
        respondent_key: r.get("respondent_key"),
        answers: tolkning::answers_from_text(&text).map_err(|e| StorageError::Corrupt(e.to_string()))?,
        status: status_of(r.get("status"))?,
        updated_at: r.get("updated_at"),
        submitted_at: r.get("submitted_at"),
    })
}

//! Planning: annual plans (activity types, occurrences with attendance), the reporting calendar
//! (meetings, deliverables linked to objects, numbered proposals) and the regional action plan
//! (versions stored frozen as JSON, status updates on actions).
//!
//! Rules kept here:
//! - Occurrences are validated against their plan and the registry by the core
//!   ([`gnv_core::planering::aktivitet::validate_occurrence`]) before anything is written; an
//!   invalid occurrence writes nothing.
//! - Action plan versions are only inserted, never updated. A review must be the next version
//!   number. Status updates are recorded against the latest version only; when a version is
//!   superseded, it and its updates are read-only. A review's frozen JSON therefore contains
//!   the history up to the review.

use crate::audit::{self, Action, Actor, Entity, Entry};
use crate::{now_text, Db, Result, StorageError};
use chrono::NaiveDate;
use gnv_core::planering::aktivitet::{validate_occurrence, CountNoun};
use gnv_core::planering::{
    ActionKey, ActionPlan, ActionPlanVersion, ActionStatus, ActivityType, AnnualPlan, Attendance,
    Deliverable, DeliverableKind, DeliverableStatus, Format, Meeting, MeetingDate, Occurrence,
    OccurrenceStatus, Proposal, ProposalOutcome, Quarter, Reason, ReportingCalendar, StatusUpdate,
    TargetFrequency,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;
use std::collections::BTreeSet;

/// An enum's serde name ("digitalt_och_eller_fysiskt").
fn enum_text<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn enum_from<T: DeserializeOwned>(s: &str, what: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|_| StorageError::Invalid(format!("Okänt värde \"{s}\" för {what} i databasen.")))
}

fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| StorageError::Invalid(format!("Ogiltigt datum \"{s}\" i databasen.")))
}

fn invalid(e: impl std::fmt::Display) -> StorageError {
    StorageError::Invalid(e.to_string())
}

/// What a deliverable delivers, so the calendar can link to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ObjectRef {
    /// The regional action plan (its latest version).
    Handlingsplan,
    /// The annual plan of a year.
    Arsplan(i32),
    /// The annual report about a year.
    Arsrapport(i32),
}

impl ObjectRef {
    /// Stored form: "handlingsplan", "arsplan:2026", "arsrapport:2025".
    pub fn to_text(&self) -> String {
        match self {
            ObjectRef::Handlingsplan => "handlingsplan".into(),
            ObjectRef::Arsplan(y) => format!("arsplan:{y}"),
            ObjectRef::Arsrapport(y) => format!("arsrapport:{y}"),
        }
    }
    /// Parses the stored form; empty or unknown text gives `None`.
    pub fn parse(s: &str) -> Option<ObjectRef> {
        let (kind, year) = s.split_once(':').unwrap_or((s, ""));
        let year: Option<i32> = year.parse().ok();
        match (kind, year) {
            ("handlingsplan", _) => Some(ObjectRef::Handlingsplan),
            ("arsplan", Some(y)) => Some(ObjectRef::Arsplan(y)),
            ("arsrapport", Some(y)) => Some(ObjectRef::Arsrapport(y)),
            _ => None,
        }
    }
    /// Where the object is shown.
    pub fn href(&self) -> String {
        match self {
            ObjectRef::Handlingsplan => "/planering/handlingsplan".into(),
            ObjectRef::Arsplan(y) => format!("/planering/arsplan/{y}"),
            ObjectRef::Arsrapport(_) => "/arsrapport".into(),
        }
    }
    /// Swedish label.
    pub fn label(&self) -> String {
        match self {
            ObjectRef::Handlingsplan => "Regional handlingsplan".into(),
            ObjectRef::Arsplan(y) => format!("Årsplanering {y}"),
            ObjectRef::Arsrapport(y) => format!("Årsrapport {y}"),
        }
    }
}

/// An annual plan as stored, with the database id of each occurrence (same order as
/// `plan.occurrences`, which is date order).
#[derive(Debug, Clone)]
pub struct StoredPlan {
    pub plan: AnnualPlan,
    pub occurrence_ids: Vec<i64>,
    /// Database id of each activity type (same order as `plan.activity_types`).
    pub activity_type_ids: Vec<i64>,
}

impl StoredPlan {
    fn type_index(&self, id: i64, year: i32) -> Result<usize> {
        self.activity_type_ids.iter().position(|x| *x == id).ok_or_else(|| {
            StorageError::NotFound(format!("Aktivitetstypen finns inte i årsplanen för {year}."))
        })
    }
}

/// Checks an annual plan's activity types with the core (names non-empty and unique).
fn check_types(plan: &AnnualPlan) -> Result<()> {
    let mut errors = Vec::new();
    let mut names = BTreeSet::new();
    for t in &plan.activity_types {
        let name = t.name.trim();
        if name.is_empty() {
            errors.push("Namn: Aktivitetstypen måste ha ett namn.".to_string());
        } else if !names.insert(name) {
            errors.push(format!(
                "Namn: Det finns redan en aktivitetstyp som heter \"{name}\" i årsplanen för {}.",
                plan.year
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(StorageError::Invalid(errors.join("\n")))
    }
}

/// Extra stored facts of one meeting, aligned with its deliverables and proposals.
#[derive(Debug, Clone, Default)]
pub struct MeetingLinks {
    /// Per deliverable, the object it delivers.
    pub objects: Vec<Option<ObjectRef>>,
    /// Per proposal, the index of the deliverable it concerns.
    pub proposal_deliverables: Vec<Option<usize>>,
}

/// A reporting calendar with its links, aligned with `calendar.meetings`.
#[derive(Debug, Clone)]
pub struct StoredCalendar {
    pub calendar: ReportingCalendar,
    pub links: Vec<MeetingLinks>,
}

/// One stored action plan version (without the plan).
#[derive(Debug, Clone, Serialize)]
pub struct VersionInfo {
    pub version: u32,
    pub review_year: i32,
    pub note: String,
    pub created_at: String,
    pub created_by: String,
}

fn status_parts(s: &OccurrenceStatus) -> (&'static str, String) {
    let key = match s {
        OccurrenceStatus::Planerad => "planerad",
        OccurrenceStatus::Genomford => "genomford",
        OccurrenceStatus::Framflyttad(_) => "framflyttad",
        OccurrenceStatus::Installd(_) => "installd",
        OccurrenceStatus::Pausad(_) => "pausad",
    };
    (key, s.reason().map(|r| r.as_str().to_string()).unwrap_or_default())
}

fn status_from(key: &str, reason: &str) -> Result<OccurrenceStatus> {
    let r = || Reason::new(reason).map_err(invalid);
    Ok(match key {
        "planerad" => OccurrenceStatus::Planerad,
        "genomford" => OccurrenceStatus::Genomford,
        "framflyttad" => OccurrenceStatus::Framflyttad(r()?),
        "installd" => OccurrenceStatus::Installd(r()?),
        "pausad" => OccurrenceStatus::Pausad(r()?),
        other => return Err(StorageError::Invalid(format!("Okänd status \"{other}\" i databasen."))),
    })
}

fn meeting_date_parts(d: MeetingDate) -> (Option<String>, Option<i64>) {
    match d {
        MeetingDate::Datum(d) => (Some(d.format("%Y-%m-%d").to_string()), None),
        MeetingDate::EjSatt { quarter, .. } => (None, Some(i64::from(quarter.number()))),
    }
}

impl Db {
    // -----------------------------------------------------------------------------------------
    // Annual plans

    /// Years that have an annual plan, newest first.
    pub async fn annual_plan_years(&self) -> Result<Vec<i32>> {
        let rows: Vec<(i64,)> =
            sqlx::query_as("SELECT year FROM annual_plan ORDER BY year DESC").fetch_all(self.pool()).await?;
        Ok(rows.into_iter().map(|r| r.0 as i32).collect())
    }

    /// The annual plan of `year` with its occurrences (date order), if it exists.
    pub async fn annual_plan(&self, year: i32) -> Result<Option<StoredPlan>> {
        let exists: Option<(i64,)> = sqlx::query_as("SELECT year FROM annual_plan WHERE year = $1")
            .bind(i64::from(year))
            .fetch_optional(self.pool())
            .await?;
        if exists.is_none() {
            return Ok(None);
        }
        let type_rows = sqlx::query(
            "SELECT id, name, target_group, purpose, format, freq_min, freq_max, timing, noun_singular,
                    noun_plural
             FROM activity_type WHERE year = $1 ORDER BY position, id",
        )
        .bind(i64::from(year))
        .fetch_all(self.pool())
        .await?;
        let mut activity_types = Vec::new();
        let mut type_names = Vec::new();
        for r in &type_rows {
            let timing: String = r.get("timing");
            let frequency = TargetFrequency::new(
                r.get::<i64, _>("freq_min") as u32,
                r.get::<i64, _>("freq_max") as u32,
                Some(timing.as_str()),
            )
            .map_err(invalid)?;
            let t = ActivityType {
                name: r.get("name"),
                target_group: r.get("target_group"),
                purpose: r.get("purpose"),
                format: enum_from(r.get::<String, _>("format").as_str(), "format")?,
                frequency,
                noun: CountNoun::new(r.get("noun_singular"), r.get("noun_plural")),
            };
            type_names.push((r.get::<i64, _>("id"), t.name.clone()));
            activity_types.push(t);
        }
        let occ_rows = sqlx::query(
            "SELECT o.id, o.activity_type_id, o.title, o.date, o.format, o.status, o.reason,
                    o.participants, o.note, o.guests_json
             FROM occurrence o JOIN activity_type t ON t.id = o.activity_type_id
             WHERE t.year = $1 ORDER BY o.date, o.id",
        )
        .bind(i64::from(year))
        .fetch_all(self.pool())
        .await?;
        let att_rows = sqlx::query(
            "SELECT a.occurrence_id, a.org_code, a.kind FROM occurrence_attendance a
             JOIN occurrence o ON o.id = a.occurrence_id
             JOIN activity_type t ON t.id = o.activity_type_id
             WHERE t.year = $1 ORDER BY a.org_code",
        )
        .bind(i64::from(year))
        .fetch_all(self.pool())
        .await?;
        let mut occurrences = Vec::new();
        let mut occurrence_ids = Vec::new();
        for r in &occ_rows {
            let id: i64 = r.get("id");
            let type_id: i64 = r.get("activity_type_id");
            let mut attendance = Attendance::default();
            for a in att_rows.iter().filter(|a| a.get::<i64, _>("occurrence_id") == id) {
                let code: String = a.get("org_code");
                match a.get::<String, _>("kind").as_str() {
                    "lsl" => attendance.lsls.insert(code),
                    "kommun" => attendance.municipalities.insert(code),
                    _ => attendance.bodies.insert(code),
                };
            }
            attendance.guests =
                serde_json::from_str(r.get::<String, _>("guests_json").as_str()).unwrap_or_default();
            occurrences.push(Occurrence {
                activity: type_names
                    .iter()
                    .find(|(i, _)| *i == type_id)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default(),
                title: r.get("title"),
                date: parse_date(r.get::<String, _>("date").as_str())?,
                format: enum_from(r.get::<String, _>("format").as_str(), "format")?,
                status: status_from(
                    r.get::<String, _>("status").as_str(),
                    r.get::<String, _>("reason").as_str(),
                )?,
                attendance,
                participants: r.get::<Option<i64>, _>("participants").map(|p| p as u32),
                note: r.get("note"),
            });
            occurrence_ids.push(id);
        }
        let activity_type_ids = type_names.iter().map(|(id, _)| *id).collect();
        Ok(Some(StoredPlan {
            plan: AnnualPlan { year, activity_types, occurrences },
            occurrence_ids,
            activity_type_ids,
        }))
    }

    /// Creates the annual plan of `plan.year` with its activity types (occurrences of `plan` are
    /// ignored; add them with [`Db::add_occurrence`]). Refused when the year already has a plan.
    pub async fn create_annual_plan(&self, plan: &AnnualPlan, actor: &Actor) -> Result<()> {
        let registry = self.registry().await?;
        let types_only = AnnualPlan { occurrences: Vec::new(), ..plan.clone() };
        types_only.validate(&registry).map_err(invalid)?;
        let mut tx = self.audited_write(actor).await?;
        let exists: Option<(i64,)> = sqlx::query_as("SELECT year FROM annual_plan WHERE year = $1")
            .bind(i64::from(plan.year))
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Err(StorageError::Conflict(format!("Det finns redan en årsplan för {}.", plan.year)));
        }
        sqlx::query("INSERT INTO annual_plan (year, created_at) VALUES ($1, $2)")
            .bind(i64::from(plan.year))
            .bind(now_text())
            .execute(&mut *tx)
            .await?;
        for (i, t) in plan.activity_types.iter().enumerate() {
            insert_activity_type(tx.tx(), plan.year, i as i64, t).await?;
        }
        tx.commit(Entry {
            action: Action::Create,
            entity: Entity::AnnualPlan,
            entity_id: &plan.year.to_string(),
            before: None,
            after: Some(audit::snapshot(&types_only)?),
        })
        .await?;
        Ok(())
    }

    /// Adds an activity type at the end of the plan of `year`. Checked by the core with the
    /// plan's other types (non-empty, unique name); nothing is written on error.
    pub async fn add_activity_type(&self, year: i32, t: &ActivityType, actor: &Actor) -> Result<i64> {
        let stored = self.plan_or_not_found(year).await?;
        let mut candidate = AnnualPlan { occurrences: Vec::new(), ..stored.plan.clone() };
        candidate.activity_types.push(t.clone());
        check_types(&candidate)?;
        let mut tx = self.audited_write(actor).await?;
        let pos: (Option<i64>,) = sqlx::query_as("SELECT MAX(position) FROM activity_type WHERE year = $1")
            .bind(i64::from(year))
            .fetch_one(&mut *tx)
            .await?;
        let id = insert_activity_type(tx.tx(), year, pos.0.map_or(0, |p| p + 1), t).await?;
        tx.commit(Entry {
            action: Action::Create,
            entity: Entity::ActivityType,
            entity_id: &format!("{year}/{id}"),
            before: None,
            after: Some(audit::snapshot(t)?),
        })
        .await?;
        Ok(id)
    }

    /// Replaces activity type `id` of the plan of `year` (its occurrences follow it, also when
    /// renamed). Checked like [`Db::add_activity_type`].
    pub async fn update_activity_type(
        &self,
        year: i32,
        id: i64,
        t: &ActivityType,
        actor: &Actor,
    ) -> Result<()> {
        let stored = self.plan_or_not_found(year).await?;
        let i = stored.type_index(id, year)?;
        let before = stored.plan.activity_types[i].clone();
        let mut candidate = AnnualPlan { occurrences: Vec::new(), ..stored.plan.clone() };
        candidate.activity_types[i] = t.clone();
        check_types(&candidate)?;
        let mut tx = self.audited_write(actor).await?;
        sqlx::query(
            "UPDATE activity_type SET name = $1, target_group = $2, purpose = $3, format = $4, freq_min = $5,
               freq_max = $6, timing = $7, noun_singular = $8, noun_plural = $9
             WHERE id = $10 AND year = $11",
        )
        .bind(&t.name)
        .bind(&t.target_group)
        .bind(&t.purpose)
        .bind(enum_text(&t.format))
        .bind(i64::from(t.frequency.min()))
        .bind(i64::from(t.frequency.max()))
        .bind(t.frequency.timing().unwrap_or(""))
        .bind(&t.noun.singular)
        .bind(&t.noun.plural)
        .bind(id)
        .bind(i64::from(year))
        .execute(&mut *tx)
        .await?;
        tx.commit(Entry {
            action: Action::Update,
            entity: Entity::ActivityType,
            entity_id: &format!("{year}/{id}"),
            before: Some(audit::snapshot(&before)?),
            after: Some(audit::snapshot(t)?),
        })
        .await?;
        Ok(())
    }

    /// Removes activity type `id` of the plan of `year`. Refused (nothing written) while
    /// occurrences are registered against it.
    pub async fn remove_activity_type(&self, year: i32, id: i64, actor: &Actor) -> Result<()> {
        let stored = self.plan_or_not_found(year).await?;
        let i = stored.type_index(id, year)?;
        let before = stored.plan.activity_types[i].clone();
        let mut tx = self.audited_write(actor).await?;
        let n: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM occurrence WHERE activity_type_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if n.0 > 0 {
            return Err(StorageError::Invalid(format!(
                "Aktivitetstypen \"{}\" har {} registrerade tillfällen och kan inte tas bort. Ta bort eller flytta tillfällena först.",
                before.name, n.0
            )));
        }
        sqlx::query("DELETE FROM activity_type WHERE id = $1 AND year = $2")
            .bind(id)
            .bind(i64::from(year))
            .execute(&mut *tx)
            .await?;
        tx.commit(Entry {
            action: Action::Delete,
            entity: Entity::ActivityType,
            entity_id: &format!("{year}/{id}"),
            before: Some(audit::snapshot(&before)?),
            after: None,
        })
        .await?;
        Ok(())
    }

    async fn plan_or_not_found(&self, year: i32) -> Result<StoredPlan> {
        self.annual_plan(year)
            .await?
            .ok_or_else(|| StorageError::NotFound(format!("Det finns ingen årsplan för {year}.")))
    }

    /// Adds an occurrence to the plan of `year`. It is validated against the plan and the
    /// registry first; on any error nothing is written and the Swedish messages are returned.
    pub async fn add_occurrence(&self, year: i32, o: &Occurrence, actor: &Actor) -> Result<i64> {
        self.write_occurrence(year, None, o, actor).await
    }

    /// Replaces occurrence `id` (which must belong to the plan of `year`). Validated like
    /// [`Db::add_occurrence`].
    pub async fn update_occurrence(&self, year: i32, id: i64, o: &Occurrence, actor: &Actor) -> Result<()> {
        self.write_occurrence(year, Some(id), o, actor).await.map(|_| ())
    }

    async fn write_occurrence(
        &self,
        year: i32,
        id: Option<i64>,
        o: &Occurrence,
        actor: &Actor,
    ) -> Result<i64> {
        let stored = self
            .annual_plan(year)
            .await?
            .ok_or_else(|| StorageError::NotFound(format!("Det finns ingen årsplan för {year}.")))?;
        let before = match id {
            Some(id) => {
                let i = stored.occurrence_ids.iter().position(|x| *x == id).ok_or_else(|| {
                    StorageError::NotFound(format!("Tillfället finns inte i årsplanen för {year}."))
                })?;
                Some(audit::snapshot(&stored.plan.occurrences[i])?)
            }
            None => None,
        };
        let registry = self.registry().await?;
        let errors = validate_occurrence(&stored.plan, o, &registry, 1);
        if !errors.is_empty() {
            let text: Vec<String> = errors
                .iter()
                .map(|e| match &e.location.field {
                    Some(f) => format!("{f}: {}", e.message),
                    None => e.message.clone(),
                })
                .collect();
            return Err(StorageError::Invalid(text.join("\n")));
        }
        let mut tx = self.audited_write(actor).await?;
        let type_id: (i64,) = sqlx::query_as("SELECT id FROM activity_type WHERE year = $1 AND name = $2")
            .bind(i64::from(year))
            .bind(&o.activity)
            .fetch_one(&mut *tx)
            .await?;
        let (status, reason) = status_parts(&o.status);
        let guests = serde_json::to_string(&o.attendance.guests).unwrap_or_else(|_| "[]".into());
        let id = match id {
            Some(id) => {
                sqlx::query(
                    "UPDATE occurrence SET activity_type_id = $1, title = $2, date = $3, format = $4,
                       status = $5, reason = $6, participants = $7, note = $8, guests_json = $9,
                       updated_at = $10
                     WHERE id = $11",
                )
                .bind(type_id.0)
                .bind(&o.title)
                .bind(o.date.format("%Y-%m-%d").to_string())
                .bind(enum_text(&o.format))
                .bind(status)
                .bind(&reason)
                .bind(o.participants.map(i64::from))
                .bind(&o.note)
                .bind(&guests)
                .bind(now_text())
                .bind(id)
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM occurrence_attendance WHERE occurrence_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                id
            }
            None => {
                let row: (i64,) = sqlx::query_as(
                    "INSERT INTO occurrence (activity_type_id, title, date, format, status, reason,
                       participants, note, guests_json, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(type_id.0)
                .bind(&o.title)
                .bind(o.date.format("%Y-%m-%d").to_string())
                .bind(enum_text(&o.format))
                .bind(status)
                .bind(&reason)
                .bind(o.participants.map(i64::from))
                .bind(&o.note)
                .bind(&guests)
                .bind(now_text())
                .fetch_one(&mut *tx)
                .await?;
                row.0
            }
        };
        let groups: [(&BTreeSet<String>, &str); 3] = [
            (&o.attendance.lsls, "lsl"),
            (&o.attendance.municipalities, "kommun"),
            (&o.attendance.bodies, "organ"),
        ];
        for (codes, kind) in groups {
            for code in codes {
                sqlx::query(
                    "INSERT INTO occurrence_attendance (occurrence_id, org_code, kind) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(code)
                .bind(kind)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit(Entry {
            action: if before.is_some() { Action::Update } else { Action::Create },
            entity: Entity::Occurrence,
            entity_id: &id.to_string(),
            before,
            after: Some(audit::snapshot(o)?),
        })
        .await?;
        Ok(id)
    }

    // -----------------------------------------------------------------------------------------
    // Reporting calendar

    /// Years that have meetings, newest first.
    pub async fn calendar_years(&self) -> Result<Vec<i32>> {
        let rows: Vec<(i64,)> = sqlx::query_as("SELECT DISTINCT year FROM meeting ORDER BY year DESC")
            .fetch_all(self.pool())
            .await?;
        Ok(rows.into_iter().map(|r| r.0 as i32).collect())
    }

    /// The reporting calendar of `year` in calendar order (empty when there are no meetings).
    pub async fn calendar(&self, year: i32) -> Result<StoredCalendar> {
        let rows = sqlx::query("SELECT id, body, date, quarter, title FROM meeting WHERE year = $1")
            .bind(i64::from(year))
            .fetch_all(self.pool())
            .await?;
        let mut entries = Vec::new();
        for r in &rows {
            let id: String = r.get("id");
            let date = match (r.get::<Option<String>, _>("date"), r.get::<Option<i64>, _>("quarter")) {
                (Some(d), _) => MeetingDate::Datum(parse_date(&d)?),
                (None, Some(q)) => {
                    MeetingDate::EjSatt { year, quarter: Quarter::new(q as u8).map_err(invalid)? }
                }
                (None, None) => return Err(StorageError::Invalid(format!("Mötet {id} saknar datum."))),
            };
            let drows = sqlx::query(
                "SELECT kind, description, status, object FROM deliverable WHERE meeting_id = $1 ORDER BY position",
            )
            .bind(&id)
            .fetch_all(self.pool())
            .await?;
            let mut deliverables = Vec::new();
            let mut objects = Vec::new();
            for d in &drows {
                deliverables.push(Deliverable {
                    kind: enum_from(d.get::<String, _>("kind").as_str(), "leveranstyp")?,
                    description: d.get("description"),
                    status: enum_from(d.get::<String, _>("status").as_str(), "leveransstatus")?,
                });
                objects.push(ObjectRef::parse(d.get::<String, _>("object").as_str()));
            }
            let prows = sqlx::query(
                "SELECT number, text, outcome, deliverable_position FROM proposal WHERE meeting_id = $1
                 ORDER BY number",
            )
            .bind(&id)
            .fetch_all(self.pool())
            .await?;
            let mut proposals = Vec::new();
            let mut proposal_deliverables = Vec::new();
            for p in &prows {
                proposals.push(Proposal {
                    number: p.get::<i64, _>("number") as u32,
                    text: p.get("text"),
                    outcome: enum_from(p.get::<String, _>("outcome").as_str(), "beslut")?,
                });
                proposal_deliverables
                    .push(p.get::<Option<i64>, _>("deliverable_position").map(|x| x as usize));
            }
            entries.push((
                Meeting { id, body: r.get("body"), date, title: r.get("title"), deliverables, proposals },
                MeetingLinks { objects, proposal_deliverables },
            ));
        }
        entries.sort_by_key(|(m, _)| m.date.sort_key());
        let (meetings, links) = entries.into_iter().unzip();
        Ok(StoredCalendar { calendar: ReportingCalendar { year, meetings }, links })
    }

    /// Stores a whole calendar (meetings, deliverables, proposals) after validating it against
    /// the registry. Meetings whose id exists are refused. `links` may be shorter than the
    /// meetings (missing = no links).
    pub async fn add_calendar(
        &self,
        cal: &ReportingCalendar,
        links: &[MeetingLinks],
        actor: &Actor,
    ) -> Result<()> {
        let registry = self.registry().await?;
        cal.validate(&registry).map_err(invalid)?;
        let mut tx = self.audited_write(actor).await?;
        for (i, m) in cal.meetings.iter().enumerate() {
            let l = links.get(i).cloned().unwrap_or_default();
            insert_meeting(tx.tx(), m, &l).await?;
        }
        tx.commit(Entry {
            action: Action::Create,
            entity: Entity::Calendar,
            entity_id: &cal.year.to_string(),
            before: None,
            after: Some(audit::snapshot(cal)?),
        })
        .await?;
        Ok(())
    }

    /// Adds one meeting, validated against the registry (body, year, title).
    pub async fn add_meeting(&self, m: &Meeting, actor: &Actor) -> Result<()> {
        let cal = ReportingCalendar { year: m.date.year(), meetings: vec![m.clone()] };
        self.add_calendar(&cal, &[], actor).await
    }

    /// Replaces meeting `m.id` (body, date, title, deliverables and their links) after checking
    /// it against the registry as part of its year's calendar. Proposals stay; a proposal that
    /// concerned a deliverable that no longer exists loses that link. Nothing is written on error.
    pub async fn update_meeting(&self, m: &Meeting, links: &MeetingLinks, actor: &Actor) -> Result<()> {
        let registry = self.registry().await?;
        let year = m.date.year();
        let stored = self.calendar(year).await?;
        let Some(before) = stored.calendar.meetings.iter().find(|x| x.id == m.id).cloned() else {
            return Err(StorageError::NotFound(format!("Mötet {} finns inte i kalendern för {year}.", m.id)));
        };
        ReportingCalendar { year, meetings: vec![m.clone()] }.validate(&registry).map_err(invalid)?;
        let mut tx = self.audited_write(actor).await?;
        let (date, quarter) = meeting_date_parts(m.date);
        sqlx::query("UPDATE meeting SET body = $1, date = $2, quarter = $3, title = $4 WHERE id = $5")
            .bind(&m.body)
            .bind(date)
            .bind(quarter)
            .bind(&m.title)
            .bind(&m.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM deliverable WHERE meeting_id = $1").bind(&m.id).execute(&mut *tx).await?;
        for (i, d) in m.deliverables.iter().enumerate() {
            sqlx::query(
                "INSERT INTO deliverable (meeting_id, position, kind, description, status, object)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&m.id)
            .bind(i as i64)
            .bind(enum_text(&d.kind))
            .bind(&d.description)
            .bind(enum_text(&d.status))
            .bind(links.objects.get(i).cloned().flatten().map(|o| o.to_text()).unwrap_or_default())
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE proposal SET deliverable_position = NULL WHERE meeting_id = $1 AND deliverable_position >= $2",
        )
        .bind(&m.id)
        .bind(m.deliverables.len() as i64)
        .execute(&mut *tx)
        .await?;
        tx.commit(Entry {
            action: Action::Update,
            entity: Entity::Meeting,
            entity_id: &m.id,
            before: Some(audit::snapshot(&before)?),
            after: Some(audit::snapshot(m)?),
        })
        .await?;
        Ok(())
    }

    /// Changes the text of a proposal (still an att-sats); the outcome is kept.
    pub async fn update_proposal_text(
        &self,
        meeting_id: &str,
        number: u32,
        text: &str,
        actor: &Actor,
    ) -> Result<()> {
        let p = Proposal::new(number, text, ProposalOutcome::EjBehandlad).map_err(|e| invalid(e.message))?;
        let mut tx = self.audited_write(actor).await?;
        let before: Option<(String,)> =
            sqlx::query_as("SELECT text FROM proposal WHERE meeting_id = $1 AND number = $2")
                .bind(meeting_id)
                .bind(i64::from(number))
                .fetch_optional(&mut *tx)
                .await?;
        let Some(before) = before else {
            return Err(StorageError::NotFound("Förslaget finns inte.".into()));
        };
        sqlx::query("UPDATE proposal SET text = $1 WHERE meeting_id = $2 AND number = $3")
            .bind(&p.text)
            .bind(meeting_id)
            .bind(i64::from(number))
            .execute(&mut *tx)
            .await?;
        tx.commit(Entry {
            action: Action::Update,
            entity: Entity::DecisionProposal,
            entity_id: &format!("{meeting_id}/{number}"),
            before: Some(json!({ "text": before.0 })),
            after: Some(json!({ "text": p.text })),
        })
        .await?;
        Ok(())
    }

    /// Sets the status of deliverable `position` (0-based) of a meeting.
    pub async fn set_deliverable_status(
        &self,
        meeting_id: &str,
        position: usize,
        status: DeliverableStatus,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.audited_write(actor).await?;
        let before: Option<(String,)> =
            sqlx::query_as("SELECT status FROM deliverable WHERE meeting_id = $1 AND position = $2")
                .bind(meeting_id)
                .bind(position as i64)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(before) = before else {
            return Err(StorageError::NotFound("Leveransen finns inte.".into()));
        };
        sqlx::query("UPDATE deliverable SET status = $1 WHERE meeting_id = $2 AND position = $3")
            .bind(enum_text(&status))
            .bind(meeting_id)
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
        tx.commit(Entry {
            action: Action::ChangeStatus,
            entity: Entity::Delivery,
            entity_id: &format!("{meeting_id}/{}", position + 1),
            before: Some(json!({ "status": before.0 })),
            after: Some(json!({ "status": enum_text(&status) })),
        })
        .await?;
        Ok(())
    }

    /// Adds the next numbered proposal to a meeting. The text must be an att-sats.
    pub async fn add_proposal(
        &self,
        meeting_id: &str,
        text: &str,
        deliverable: Option<usize>,
        actor: &Actor,
    ) -> Result<u32> {
        let mut tx = self.audited_write(actor).await?;
        let exists: Option<(String,)> = sqlx::query_as("SELECT id FROM meeting WHERE id = $1")
            .bind(meeting_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(StorageError::NotFound("Mötet finns inte.".into()));
        }
        let n: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM proposal WHERE meeting_id = $1")
            .bind(meeting_id)
            .fetch_one(&mut *tx)
            .await?;
        let number = n.0 as u32 + 1;
        let p = Proposal::new(number, text, ProposalOutcome::EjBehandlad).map_err(|e| invalid(e.message))?;
        if let Some(pos) = deliverable {
            let d: Option<(i64,)> =
                sqlx::query_as("SELECT position FROM deliverable WHERE meeting_id = $1 AND position = $2")
                    .bind(meeting_id)
                    .bind(pos as i64)
                    .fetch_optional(&mut *tx)
                    .await?;
            if d.is_none() {
                return Err(invalid("Leveransen som förslaget gäller finns inte på mötet."));
            }
        }
        sqlx::query(
            "INSERT INTO proposal (meeting_id, number, text, outcome, deliverable_position) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(meeting_id)
        .bind(i64::from(number))
        .bind(&p.text)
        .bind(enum_text(&p.outcome))
        .bind(deliverable.map(|d| d as i64))
        .execute(&mut *tx)
        .await?;
        tx.commit(Entry {
            action: Action::Create,
            entity: Entity::DecisionProposal,
            entity_id: &format!("{meeting_id}/{number}"),
            before: None,
            after: Some(audit::snapshot(&p)?),
        })
        .await?;
        Ok(number)
    }

    /// Records what became of a proposal.
    pub async fn set_proposal_outcome(
        &self,
        meeting_id: &str,
        number: u32,
        outcome: ProposalOutcome,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.audited_write(actor).await?;
        let before: Option<(String,)> =
            sqlx::query_as("SELECT outcome FROM proposal WHERE meeting_id = $1 AND number = $2")
                .bind(meeting_id)
                .bind(i64::from(number))
                .fetch_optional(&mut *tx)
                .await?;
        let Some(before) = before else {
            return Err(StorageError::NotFound("Förslaget finns inte.".into()));
        };
        sqlx::query("UPDATE proposal SET outcome = $1 WHERE meeting_id = $2 AND number = $3")
            .bind(enum_text(&outcome))
            .bind(meeting_id)
            .bind(i64::from(number))
            .execute(&mut *tx)
            .await?;
        tx.commit(Entry {
            action: Action::ChangeDecision,
            entity: Entity::DecisionProposal,
            entity_id: &format!("{meeting_id}/{number}"),
            before: Some(json!({ "beslut": before.0 })),
            after: Some(json!({ "beslut": enum_text(&outcome) })),
        })
        .await?;
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Regional action plan

    /// All versions, oldest first.
    pub async fn action_plan_versions(&self) -> Result<Vec<VersionInfo>> {
        let rows = sqlx::query(
            "SELECT version, review_year, note, created_at, created_by FROM action_plan_version ORDER BY version",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|r| VersionInfo {
                version: r.get::<i64, _>("version") as u32,
                review_year: r.get::<i64, _>("review_year") as i32,
                note: r.get("note"),
                created_at: r.get("created_at"),
                created_by: r.get("created_by"),
            })
            .collect())
    }

    /// Version `version` as frozen plus the status updates recorded against it.
    pub async fn action_plan_version(&self, version: u32) -> Result<Option<ActionPlanVersion>> {
        let row = sqlx::query("SELECT review_year, plan_json FROM action_plan_version WHERE version = $1")
            .bind(i64::from(version))
            .fetch_optional(self.pool())
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let mut plan: ActionPlan =
            serde_json::from_str(row.get::<String, _>("plan_json").as_str()).map_err(|e| {
                StorageError::Invalid(format!("Handlingsplanen version {version} kunde inte läsas: {e}"))
            })?;
        let updates = sqlx::query(
            "SELECT action_key, date, status, comment FROM action_status_update WHERE version = $1 ORDER BY id",
        )
        .bind(i64::from(version))
        .fetch_all(self.pool())
        .await?;
        for u in &updates {
            let Some(key) = parse_action_key(u.get::<String, _>("action_key").as_str()) else {
                continue;
            };
            let update = StatusUpdate {
                date: parse_date(u.get::<String, _>("date").as_str())?,
                status: enum_from(u.get::<String, _>("status").as_str(), "åtgärdsstatus")?,
                comment: u.get("comment"),
            };
            // Stored updates were validated when recorded; a failure here means the row no
            // longer fits the frozen plan and is skipped rather than shown wrongly.
            let _ = plan.record_update(key, update);
        }
        Ok(Some(ActionPlanVersion { version, review_year: row.get::<i64, _>("review_year") as i32, plan }))
    }

    /// The latest version, if any.
    pub async fn latest_action_plan(&self) -> Result<Option<ActionPlanVersion>> {
        let v: (Option<i64>,) =
            sqlx::query_as("SELECT MAX(version) FROM action_plan_version").fetch_one(self.pool()).await?;
        match v.0 {
            Some(v) => self.action_plan_version(v as u32).await,
            None => Ok(None),
        }
    }

    /// Stores a new version: version 1 when there is none, otherwise exactly the next number.
    /// The version must already be validated by the core ([`ActionPlanVersion::first`] or
    /// [`ActionPlanVersion::revise`]). Earlier versions are not touched.
    pub async fn insert_action_plan_version(
        &self,
        v: &ActionPlanVersion,
        note: &str,
        actor: &Actor,
    ) -> Result<()> {
        let registry = self.registry().await?;
        v.plan.validate(&registry).map_err(invalid)?;
        let mut tx = self.audited_write(actor).await?;
        let max: (Option<i64>,) =
            sqlx::query_as("SELECT MAX(version) FROM action_plan_version").fetch_one(&mut *tx).await?;
        let expected = max.0.unwrap_or(0) as u32 + 1;
        if v.version != expected {
            return Err(StorageError::Conflict(format!(
                "Versionen kan inte sparas: nästa version är {expected}, inte {}. Någon annan kan ha gjort en översyn samtidigt.",
                v.version
            )));
        }
        let json = serde_json::to_string(&v.plan).map_err(invalid)?;
        sqlx::query(
            "INSERT INTO action_plan_version (version, review_year, plan_json, note, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(i64::from(v.version))
        .bind(i64::from(v.review_year))
        .bind(&json)
        .bind(note)
        .bind(now_text())
        .bind(&actor.username)
        .execute(&mut *tx)
        .await?;
        tx.commit(Entry {
            action: if v.version == 1 { Action::Adopt } else { Action::AnnualReview },
            entity: Entity::ActionPlan,
            entity_id: &v.version.to_string(),
            before: None,
            after: Some(json!({ "version": v.version, "översynsår": v.review_year, "anteckning": note })),
        })
        .await?;
        Ok(())
    }

    /// Records a status update on an action of the latest version. Checked by the core (the
    /// action exists, the date is within the plan period); nothing is written on error.
    pub async fn record_action_status(
        &self,
        key: ActionKey,
        update: &StatusUpdate,
        actor: &Actor,
    ) -> Result<()> {
        let latest = self
            .latest_action_plan()
            .await?
            .ok_or_else(|| StorageError::NotFound("Det finns ingen handlingsplan.".into()))?;
        let mut probe = latest.plan.clone();
        probe.record_update(key, update.clone()).map_err(|e| invalid(e.message))?;
        let mut tx = self.audited_write(actor).await?;
        sqlx::query(
            "INSERT INTO action_status_update (version, action_key, date, status, comment, recorded_at, recorded_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(i64::from(latest.version))
        .bind(key.to_string())
        .bind(update.date.format("%Y-%m-%d").to_string())
        .bind(enum_text(&update.status))
        .bind(&update.comment)
        .bind(now_text())
        .bind(&actor.username)
        .execute(&mut *tx)
        .await?;
        tx.commit(Entry {
            action: Action::StatusUpdate,
            entity: Entity::ActionPlanAction,
            entity_id: &format!("v{}/{key}", latest.version),
            before: None,
            after: Some(audit::snapshot(update)?),
        })
        .await?;
        Ok(())
    }
}

/// Stores one activity type of `year` at `position`; returns its id.
async fn insert_activity_type(
    tx: &mut crate::db::Tx<'_>,
    year: i32,
    position: i64,
    t: &ActivityType,
) -> Result<i64> {
    let row: (i64,) = sqlx::query_as(
        "INSERT INTO activity_type (year, position, name, target_group, purpose, format, freq_min,
           freq_max, timing, noun_singular, noun_plural)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(i64::from(year))
    .bind(position)
    .bind(t.name.trim())
    .bind(&t.target_group)
    .bind(&t.purpose)
    .bind(enum_text(&t.format))
    .bind(i64::from(t.frequency.min()))
    .bind(i64::from(t.frequency.max()))
    .bind(t.frequency.timing().unwrap_or(""))
    .bind(&t.noun.singular)
    .bind(&t.noun.plural)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.0)
}

pub(crate) async fn insert_meeting(tx: &mut crate::db::Tx<'_>, m: &Meeting, l: &MeetingLinks) -> Result<()> {
    let exists: Option<(String,)> =
        sqlx::query_as("SELECT id FROM meeting WHERE id = $1").bind(&m.id).fetch_optional(&mut **tx).await?;
    if exists.is_some() {
        return Err(StorageError::Conflict(format!("Det finns redan ett möte med id {}.", m.id)));
    }
    let (date, quarter) = meeting_date_parts(m.date);
    sqlx::query("INSERT INTO meeting (id, year, body, date, quarter, title) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&m.id)
        .bind(i64::from(m.date.year()))
        .bind(&m.body)
        .bind(date)
        .bind(quarter)
        .bind(&m.title)
        .execute(&mut **tx)
        .await?;
    for (i, d) in m.deliverables.iter().enumerate() {
        sqlx::query(
            "INSERT INTO deliverable (meeting_id, position, kind, description, status, object)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&m.id)
        .bind(i as i64)
        .bind(enum_text(&d.kind))
        .bind(&d.description)
        .bind(enum_text(&d.status))
        .bind(l.objects.get(i).cloned().flatten().map(|o| o.to_text()).unwrap_or_default())
        .execute(&mut **tx)
        .await?;
    }
    for (i, p) in m.proposals.iter().enumerate() {
        sqlx::query(
            "INSERT INTO proposal (meeting_id, number, text, outcome, deliverable_position)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&m.id)
        .bind(i64::from(p.number))
        .bind(&p.text)
        .bind(enum_text(&p.outcome))
        .bind(l.proposal_deliverables.get(i).copied().flatten().map(|x| x as i64))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Parses "2.1.3".
pub fn parse_action_key(s: &str) -> Option<ActionKey> {
    let mut it = s.trim().split('.');
    let a = it.next()?.parse().ok()?;
    let b = it.next()?.parse().ok()?;
    let c = it.next()?.parse().ok()?;
    if it.next().is_some() {
        return None;
    }
    Some(ActionKey { sub_goal: a, goal: b, action: c })
}

#[allow(unused_imports)]
use {ActionStatus as _, DeliverableKind as _, Format as _};

//! The reporting calendar (`gnv_core::planering::kalender`): meetings per year and body, their
//! deliverables with the object each delivers ([`ObjectRef`]) and numbered decision proposals.

use super::{corrupt, enum_from, enum_text, invalid, parse_date};
use crate::audit::{self, Action, Actor, Entity, Entry};
use crate::{Db, Result, StorageError};
use gnv_core::planering::{
    Deliverable, DeliverableStatus, Meeting, MeetingDate, Proposal, ProposalOutcome, Quarter,
    ReportingCalendar,
};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

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

fn meeting_date_parts(d: MeetingDate) -> (Option<String>, Option<i64>) {
    match d {
        MeetingDate::Datum(d) => (Some(d.format("%Y-%m-%d").to_string()), None),
        MeetingDate::EjSatt { quarter, .. } => (None, Some(i64::from(quarter.number()))),
    }
}

impl Db {
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
                    MeetingDate::EjSatt { year, quarter: Quarter::new(q as u8).map_err(corrupt)? }
                }
                (None, None) => return Err(StorageError::Corrupt(format!("Mötet {id} saknar datum."))),
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
        insert_deliverables(tx.tx(), m, links).await?;
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
    insert_deliverables(tx, m, l).await?;
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

/// Writes a meeting's deliverables in their order, each with its linked object (shared by adding
/// and editing a meeting).
async fn insert_deliverables(tx: &mut crate::db::Tx<'_>, m: &Meeting, l: &MeetingLinks) -> Result<()> {
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
    Ok(())
}

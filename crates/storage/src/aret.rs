//! The year's cycle (årscykeln): the reporting calendar carried to the next year (meetings
//! marked "att bekräfta" until an admin confirms them, migration `0011`) and the automatic status
//! of deliverables linked to the annual report or the action plan, computed from what is stored
//! (a published report, an action-plan version of the year) rather than written on publishing.

use crate::audit::{Action, Actor, Entity, Entry};
use crate::planering::{insert_meeting, MeetingLinks, ObjectRef};
use crate::{now_text, Db, Result, StorageError};
use gnv_core::planering::kopiering::copy_to_next_year;
use gnv_core::planering::{DeliverableStatus, ReportingCalendar};
use serde_json::json;

/// What has been published, for the automatic deliverable status.
#[derive(Debug, Clone, Default)]
pub struct Published {
    /// (report year, published at) of every published annual report.
    pub reports: Vec<(i32, String)>,
    /// (review year, created at) of every action-plan version.
    pub action_plans: Vec<(i32, String)>,
}

impl Published {
    /// The status a deliverable shows: "levererad" with the reason when its object is published
    /// (the annual report of its year; an action-plan version reviewed in the meeting's year),
    /// else its stored status.
    pub fn effective(
        &self,
        stored: DeliverableStatus,
        object: Option<&ObjectRef>,
        meeting_year: i32,
    ) -> (DeliverableStatus, Option<String>) {
        let stamp = |at: &str| gnv_core::format::timestamp_date(at);
        match object {
            Some(ObjectRef::Arsrapport(y)) => match self.reports.iter().find(|(ry, _)| ry == y) {
                Some((_, at)) => (
                    DeliverableStatus::Levererad,
                    Some(format!("årsrapporten {y} publicerades {}", stamp(at))),
                ),
                None => (stored, None),
            },
            Some(ObjectRef::Handlingsplan) => {
                match self
                    .action_plans
                    .iter()
                    .filter(|(ry, _)| *ry == meeting_year)
                    .max_by(|a, b| a.1.cmp(&b.1))
                {
                    Some((_, at)) => (
                        DeliverableStatus::Levererad,
                        Some(format!("handlingsplanen för {meeting_year} sparades {}", stamp(at))),
                    ),
                    None => (stored, None),
                }
            }
            _ => (stored, None),
        }
    }
}

impl Db {
    /// Published annual reports and action-plan versions.
    pub async fn published(&self) -> Result<Published> {
        let reports: Vec<(i64, String)> =
            sqlx::query_as("SELECT year, published_at FROM report_publication ORDER BY year")
                .fetch_all(self.pool())
                .await?;
        let plans: Vec<(i64, String)> =
            sqlx::query_as("SELECT review_year, created_at FROM action_plan_version ORDER BY version")
                .fetch_all(self.pool())
                .await?;
        Ok(Published {
            reports: reports.into_iter().map(|(y, at)| (y as i32, at)).collect(),
            action_plans: plans.into_iter().map(|(y, at)| (y as i32, at)).collect(),
        })
    }

    /// Copies the reporting calendar of `year` to `year + 1` (same weekday in the same ISO week,
    /// see `gnv_core::planering::kopiering`); every copied meeting is marked "att bekräfta".
    /// Links to yearly objects move one year on (årsrapport 2025 → 2026). Refused when `year`
    /// has no meetings or `year + 1` already has some. One transaction, audited.
    pub async fn copy_calendar_to_next_year(&self, year: i32, actor: &Actor) -> Result<ReportingCalendar> {
        let stored = self.calendar(year).await?;
        if stored.calendar.meetings.is_empty() {
            return Err(StorageError::Invalid(format!("Kalendern för {year} har inga möten att kopiera.")));
        }
        let next = year + 1;
        if !self.calendar(next).await?.calendar.meetings.is_empty() {
            return Err(StorageError::Conflict(format!(
                "Kalendern för {next} har redan möten. Kopieringen görs bara till ett tomt år."
            )));
        }
        let (copy, from) = copy_to_next_year(&stored.calendar);
        let registry = self.registry().await?;
        copy.validate(&registry).map_err(|e| StorageError::Invalid(e.to_string()))?;
        let mut tx = self.audited_write(actor).await?;
        let now = now_text();
        for ((m, links), from_id) in copy.meetings.iter().zip(&stored.links).zip(&from) {
            let objects = links
                .objects
                .iter()
                .map(|o| {
                    o.as_ref().map(|o| match o {
                        ObjectRef::Arsrapport(y) => ObjectRef::Arsrapport(y + 1),
                        ObjectRef::Arsplan(y) => ObjectRef::Arsplan(y + 1),
                        ObjectRef::Handlingsplan => ObjectRef::Handlingsplan,
                    })
                })
                .collect();
            insert_meeting(tx.tx(), m, &MeetingLinks { objects, proposal_deliverables: Vec::new() }).await?;
            sqlx::query(
                "INSERT INTO meeting_unconfirmed (meeting_id, copied_from, copied_at) VALUES ($1, $2, $3)",
            )
            .bind(&m.id)
            .bind(from_id)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit(Entry {
            action: Action::CopyToNextYear,
            entity: Entity::Calendar,
            entity_id: &next.to_string(),
            before: None,
            after: Some(
                json!({"från": year, "möten": copy.meetings.iter().map(|m| &m.id).collect::<Vec<_>>()}),
            ),
        })
        .await?;
        Ok(copy)
    }

    /// Meetings whose date is still to be confirmed: (meeting id, copied from).
    pub async fn unconfirmed_meetings(&self) -> Result<Vec<(String, String)>> {
        Ok(sqlx::query_as("SELECT meeting_id, copied_from FROM meeting_unconfirmed ORDER BY meeting_id")
            .fetch_all(self.pool())
            .await?)
    }

    /// Confirms a copied meeting's date; returns the meeting's year. Audited.
    pub async fn confirm_meeting(&self, id: &str, actor: &Actor) -> Result<i32> {
        let mut tx = self.audited_write(actor).await?;
        let year: Option<(i64,)> = sqlx::query_as("SELECT year FROM meeting WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let n = sqlx::query("DELETE FROM meeting_unconfirmed WHERE meeting_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StorageError::NotFound(format!("Mötet {id} har inget datum att bekräfta.")));
        }
        tx.commit(Entry {
            action: Action::ConfirmDate,
            entity: Entity::Meeting,
            entity_id: id,
            before: None,
            after: None,
        })
        .await?;
        Ok(year.map(|y| y.0 as i32).unwrap_or_default())
    }
}

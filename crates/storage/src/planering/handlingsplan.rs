//! The regional action plan (`gnv_core::planering::handlingsplan`): versions stored frozen as
//! JSON, only ever inserted (a review is the next version), and status updates recorded
//! against the latest version.

use super::{enum_from, enum_text, invalid, parse_date};
use crate::audit::{self, Action, Actor, Entity, Entry};
use crate::{now_text, Db, Result, StorageError};
use gnv_core::planering::{ActionKey, ActionPlan, ActionPlanVersion, StatusUpdate};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// One stored action plan version (without the plan).
#[derive(Debug, Clone, Serialize)]
pub struct VersionInfo {
    pub version: u32,
    pub review_year: i32,
    pub note: String,
    pub created_at: String,
    pub created_by: String,
}

impl Db {
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
                StorageError::Corrupt(format!("Handlingsplanen version {version} kunde inte läsas: {e}"))
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

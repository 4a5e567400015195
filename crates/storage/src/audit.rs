//! The audit log: who changed what, when, with the state before and after.
//!
//! Repositories call [`record`] inside the transaction of the write they audit.

use crate::db::Tx;
use crate::{now_text, Result};
use serde::Serialize;

/// Who performs a write. The CLI acts as a named system actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub username: String,
}

impl Actor {
    pub fn user(id: i64, username: &str) -> Self {
        Actor { user_id: Some(id), username: username.to_string() }
    }
    /// The command-line tool, run by an operator on the server.
    pub fn cli() -> Self {
        Actor { user_id: None, username: "system (kommandorad)".to_string() }
    }
    /// The server's own scheduled work (closing rounds at their deadline).
    pub fn server() -> Self {
        Actor { user_id: None, username: "system (schemalagt)".to_string() }
    }
    /// Anonymous web visitor (failed log-ins).
    pub fn anonymous() -> Self {
        Actor { user_id: None, username: "anonym".to_string() }
    }
}

/// One audit entry to write.
pub struct Entry<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

const INSERT: &str =
    "INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, before_json, after_json)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// Records an audit entry inside `tx`.
pub async fn record(tx: &mut Tx<'_>, actor: &Actor, entry: Entry<'_>) -> Result<()> {
    sqlx::query(INSERT)
        .bind(now_text())
        .bind(actor.user_id)
        .bind(&actor.username)
        .bind(entry.action)
        .bind(entry.entity)
        .bind(entry.entity_id)
        .bind(entry.before.map(|v| v.to_string()))
        .bind(entry.after.map(|v| v.to_string()))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records an audit entry inside a transaction of a dedicated SQLite connection (the bulk
/// indicator import, see `nyckeltal::import`).
pub(crate) fn record_sqlite(conn: &rusqlite::Connection, actor: &Actor, entry: Entry<'_>) -> Result<()> {
    conn.execute(
        INSERT,
        rusqlite::params![
            now_text(),
            actor.user_id,
            actor.username,
            entry.action,
            entry.entity,
            entry.entity_id,
            entry.before.map(|v| v.to_string()),
            entry.after.map(|v| v.to_string()),
        ],
    )?;
    Ok(())
}

/// One stored audit entry.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub user_id: Option<i64>,
    pub username: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// Filter for listing the audit log.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub username: Option<String>,
    pub limit: i64,
    pub before_id: Option<i64>,
}

impl crate::Db {
    /// Lists audit entries, newest first.
    pub async fn audit_list(&self, f: &AuditFilter) -> Result<Vec<AuditRow>> {
        let limit = if f.limit <= 0 { 100 } else { f.limit.min(1000) };
        let rows = sqlx::query_as::<_, AuditRow>(
            "SELECT id, at, user_id, username, action, entity, entity_id, before_json, after_json
             FROM audit_log
             WHERE ($1 IS NULL OR entity = $1)
               AND ($2 IS NULL OR username = $2)
               AND ($3 IS NULL OR id < $3)
             ORDER BY id DESC
             LIMIT $4",
        )
        .bind(&f.entity)
        .bind(&f.username)
        .bind(f.before_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// Distinct entity names in the log, for the filter menu.
    pub async fn audit_entities(&self) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT entity FROM audit_log ORDER BY entity")
            .fetch_all(self.pool())
            .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Records a stand-alone audit event (e.g. a log-in) in its own transaction.
    pub async fn audit_event(
        &self,
        actor: &Actor,
        action: &str,
        entity: &str,
        entity_id: &str,
    ) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        record(&mut tx, actor, Entry { action, entity, entity_id, before: None, after: None }).await?;
        tx.commit().await?;
        Ok(())
    }
}

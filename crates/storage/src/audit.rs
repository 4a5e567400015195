//! The audit log: who changed what, when, with the state before and after.
//!
//! Repositories call [`record`] inside the transaction of the write they audit. What was done and
//! to what kind of thing are [`Action`] and [`Entity`] values with one stored spelling each
//! ([`vocabulary`]).

pub mod vocabulary;

pub use vocabulary::{Action, Entity};

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
    pub action: Action,
    pub entity: Entity,
    pub entity_id: &'a str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// An audit payload (`before`/`after`) from any serialisable value. A value that cannot be
/// serialised is an internal error, never a silently empty payload.
pub fn snapshot<T: Serialize + ?Sized>(value: &T) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| {
        crate::StorageError::Internal(format!("granskningsloggens uppgift kunde inte skrivas: {e}"))
    })
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
        .bind(entry.action.as_str())
        .bind(entry.entity.as_str())
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
            entry.action.as_str(),
            entry.entity.as_str(),
            entry.entity_id,
            entry.before.map(|v| v.to_string()),
            entry.after.map(|v| v.to_string()),
        ],
    )?;
    Ok(())
}

/// A write transaction that ends with its audit entry: see [`crate::Db::audited_write`].
pub struct AuditedTx<'a> {
    tx: Tx<'static>,
    actor: &'a Actor,
}

impl AuditedTx<'_> {
    /// Records `entry` for the actor and commits the change with it.
    pub async fn commit(mut self, entry: Entry<'_>) -> Result<()> {
        record(&mut self.tx, self.actor, entry).await?;
        self.tx.commit().await?;
        Ok(())
    }

    /// Records one of several entries of the change now (a multi-entry change, or one whose
    /// entries helpers record); [`AuditedTx::finish`] then commits.
    pub async fn record(&mut self, entry: Entry<'_>) -> Result<()> {
        record(&mut self.tx, self.actor, entry).await
    }

    /// Commits a change whose entries were recorded with [`AuditedTx::record`] (or by helpers
    /// given [`AuditedTx::tx`], such as `rapportering::write_status`).
    pub async fn finish(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }

    /// The transaction, for helpers that take a [`Tx`].
    pub fn tx(&mut self) -> &mut Tx<'static> {
        &mut self.tx
    }
}

impl std::ops::Deref for AuditedTx<'_> {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &sqlx::AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for AuditedTx<'_> {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }
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

impl AuditRow {
    /// The action in Swedish words for the audit log page (a spelling not in the vocabulary, e.g.
    /// written by a newer version, is shown as stored).
    pub fn action_label(&self) -> &str {
        Action::from_stored(&self.action).map(Action::label).unwrap_or(&self.action)
    }

    /// The entity kind in Swedish words for the audit log page.
    pub fn entity_label(&self) -> &str {
        entity_label(&self.entity)
    }
}

/// The Swedish words for a stored entity spelling (as stored when it is not in the vocabulary).
pub fn entity_label(stored: &str) -> &str {
    Entity::from_stored(stored).map(Entity::label).unwrap_or(stored)
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
    /// One audited write: takes the write turn ([`crate::db::Pool::begin`]) for `actor`. The
    /// change runs on the returned [`AuditedTx`] (`&mut *tx` is an executor, as with [`Tx`]);
    /// [`AuditedTx::commit`] records the audit entry in the same transaction and commits. An
    /// error before that drops the transaction uncommitted: nothing is written.
    pub async fn audited_write<'a>(&self, actor: &'a Actor) -> Result<AuditedTx<'a>> {
        Ok(AuditedTx { tx: self.pool().begin().await?, actor })
    }

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
        action: Action,
        entity: Entity,
        entity_id: &str,
    ) -> Result<()> {
        let tx = self.audited_write(actor).await?;
        tx.commit(Entry { action, entity, entity_id, before: None, after: None }).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::migrate::Migrator;
    use std::borrow::Cow;

    /// Migrates to 0020, stores one audit entry for every spelling used before, then runs 0021:
    /// every entry reads back as the one spelling of the same action and entity, and the audit
    /// log page's words are the Swedish ones.
    async fn old_spellings_are_rewritten(url: &str, all: &Migrator) {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(url).await.expect("connect");
        let before = Migrator {
            migrations: Cow::Owned(all.iter().filter(|m| m.version < 21).cloned().collect()),
            ignore_missing: false,
            locking: true,
            no_tx: false,
        };
        before.run(&pool).await.expect("migrations up to 0020");
        let mut expected = Vec::new();
        for a in Action::ALL {
            for old in a.old_spellings() {
                expected.push((old.to_string(), a.as_str(), "inloggning", "inloggning"));
            }
        }
        for e in Entity::ALL {
            for old in e.old_spellings() {
                expected.push(("skapa".to_string(), "skapa", old, e.as_str()));
            }
        }
        assert!(
            expected.iter().any(|x| x.0 == "skicka in")
                && expected.iter().any(|x| x.2 == "aktivitetstillfälle")
        );
        for (i, (action, _, entity, _)) in expected.iter().enumerate() {
            sqlx::query(
                "INSERT INTO audit_log (at, user_id, username, action, entity, entity_id)
                 VALUES ('2025-05-01T08:00:00Z', NULL, 'analytiker', $1, $2, $3)",
            )
            .bind(action.as_str())
            .bind(*entity)
            .bind(i.to_string())
            .execute(&pool)
            .await
            .expect("old entry");
        }
        pool.close().await;

        let db = crate::Db::connect(url).await.expect("migrate to 0021");
        let rows = db.audit_list(&AuditFilter { limit: 1000, ..Default::default() }).await.expect("audit");
        for (i, (old_action, action, old_entity, entity)) in expected.iter().enumerate() {
            let row = rows.iter().find(|r| r.entity_id == i.to_string()).expect("entry kept");
            assert_eq!(
                (row.action.as_str(), row.entity.as_str()),
                (*action, *entity),
                "{old_action} / {old_entity}"
            );
            let label = Action::from_stored(action).unwrap().label();
            assert_eq!(row.action_label(), label);
        }
        let submitted = rows.iter().find(|r| r.action == "skicka_in").expect("skicka in mapped");
        assert_eq!(submitted.action_label(), "skicka in");
        let occurrence = rows.iter().find(|r| r.entity == "aktivitetstillfalle").expect("mapped");
        assert_eq!(occurrence.entity_label(), "aktivitetstillfälle");
        db.close().await;
    }

    #[tokio::test]
    async fn migration_0021_maps_old_sqlite_audit_spellings() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("gnv.db").display());
        old_spellings_are_rewritten(&url, &crate::db::MIGRATOR).await;
    }

    #[tokio::test]
    async fn migration_0021_maps_old_postgres_audit_spellings() {
        let Some(admin) = crate::testing::test_postgres_url() else {
            eprintln!("GNV_TEST_POSTGRES not set: PostgreSQL migration not checked");
            return;
        };
        let scratch = crate::testing::ScratchDatabase::create(&admin).await.expect("scratch database");
        old_spellings_are_rewritten(&scratch.url, &crate::db::MIGRATOR_POSTGRES).await;
    }
}

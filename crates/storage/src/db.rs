//! The database handle: opening (SQLite or PostgreSQL), migrations, checks and online backup.
//!
//! Both backends go through sqlx's `Any` driver, so every repository query is written once.
//! The few backend-specific statements (integrity check, backup, how a transaction takes the
//! write lock) switch on [`Backend`]. See docs/ARCHITECTURE.md, "Two database backends".

use crate::{Result, StorageError};
use futures_core::future::BoxFuture;
use futures_core::stream::BoxStream;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::{Any, AnyPool, Describe, Either, Execute, Executor};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

/// Migrations for SQLite, embedded in the binary at compile time. The files are those of the
/// single-backend era, unchanged, so existing databases keep their recorded checksums.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// Migrations for PostgreSQL: one twin per SQLite migration, same version and description.
pub static MIGRATOR_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// A write transaction on either backend, from [`Pool::begin`]. Dereferences to the connection
/// (`&mut *tx` is an executor, as with sqlx's `Transaction`); ends with [`Tx::commit`] or
/// [`Tx::rollback`], or rolls back when dropped.
pub struct Tx<'a> {
    inner: sqlx::Transaction<'a, Any>,
    /// This pool's writer turn (see [`Pool::begin`]); released after the commit or rollback.
    /// Declared after `inner`, so a dropped transaction starts its rollback first.
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

impl Tx<'_> {
    pub async fn commit(self) -> sqlx::Result<()> {
        self.inner.commit().await
    }

    pub async fn rollback(self) -> sqlx::Result<()> {
        self.inner.rollback().await
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &sqlx::AnyConnection {
        &self.inner
    }
}

impl std::ops::DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.inner
    }
}

/// A result row on either backend.
pub type DbRow = AnyRow;

/// Key of the PostgreSQL advisory lock every transaction takes (see [`Pool::begin`]).
const WRITE_LOCK_KEY: i64 = 0x676e_765f_7772; // "gnv_wr"

/// Which database engine a [`Db`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The connection pool. Queries run on it directly (it is an sqlx [`Executor`]); transactions
/// come from [`Pool::begin`], which gives both backends the same single-writer semantics.
#[derive(Clone, Debug)]
pub struct Pool {
    inner: AnyPool,
    backend: Backend,
    /// Write transactions of this pool take turns here before they ask the database for its
    /// write lock (see [`Pool::begin`]).
    writers: Arc<tokio::sync::Mutex<()>>,
}

impl Pool {
    /// Begins a transaction that holds the database's write lock from its first statement, so
    /// its reads and writes are not interleaved with any other transaction's:
    /// - SQLite: `BEGIN IMMEDIATE` (waits up to the busy timeout for the write lock);
    /// - PostgreSQL: `BEGIN` and a transaction-scoped advisory lock on one fixed key, released
    ///   at commit or rollback. With READ COMMITTED, every statement after the lock sees all
    ///   transactions committed before it, so read-check-write sequences (next version number,
    ///   status checks) behave exactly as on SQLite, also across several app instances.
    ///
    /// Before that, the write transactions of one pool (one process) take turns on an in-process
    /// queue, so at most one of them at a time waits for or holds the database's lock. This is
    /// only about speed: the database lock alone is what makes the transactions correct (other
    /// processes and other pools on the same database still meet there). Without the queue,
    /// SQLite's busy handler makes every waiting connection sleep (1, 2, 5, 10, … ms) and poll,
    /// so under many concurrent writers the lock sits idle between a commit and the next
    /// sleeper's wake-up, and waiters occupy pool connections that reads could use. The queue
    /// is fair (FIFO) and hands over on commit at once. A write transaction must not begin a
    /// second one on the same pool before it ends; that would already wait for itself on the
    /// database lock.
    pub async fn begin(&self) -> sqlx::Result<Tx<'static>> {
        let turn = self.writers.clone().lock_owned().await;
        let inner = match self.backend {
            Backend::Sqlite => self.inner.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => {
                let mut tx = self.inner.begin().await?;
                // `pg_advisory_xact_lock` returns `void`, which the Any driver cannot decode.
                sqlx::query("SELECT 1 FROM pg_advisory_xact_lock($1)")
                    .bind(WRITE_LOCK_KEY)
                    .execute(&mut *tx)
                    .await?;
                tx
            }
        };
        Ok(Tx { inner, _turn: turn })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A pooled connection for a sequence of plain reads (no write lock taken).
    pub async fn acquire_read(&self) -> sqlx::Result<sqlx::pool::PoolConnection<Any>> {
        self.inner.acquire().await
    }

    /// This pool's turn to write, for a write transaction on a connection of its own (the
    /// SQLite bulk import): held until that transaction ends, so the pool's other writers queue
    /// here instead of timing out on the database lock it holds.
    pub(crate) async fn write_turn(&self) -> tokio::sync::OwnedMutexGuard<()> {
        self.writers.clone().lock_owned().await
    }

    pub async fn close(&self) {
        self.inner.close().await;
    }
}

impl<'p> Executor<'p> for &'_ Pool {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, sqlx::Result<Either<AnyQueryResult, AnyRow>>>
    where
        E: 'q + Execute<'q, Any>,
    {
        (&self.inner).fetch_many(query)
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, sqlx::Result<Option<AnyRow>>>
    where
        E: 'q + Execute<'q, Any>,
    {
        (&self.inner).fetch_optional(query)
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [AnyTypeInfo],
    ) -> BoxFuture<'e, sqlx::Result<AnyStatement<'q>>> {
        (&self.inner).prepare_with(sql, parameters)
    }

    fn describe<'e, 'q: 'e>(self, sql: &'q str) -> BoxFuture<'e, sqlx::Result<Describe<Any>>> {
        (&self.inner).describe(sql)
    }
}

/// The file of an SQLite URL (`sqlite://path?options`, `sqlite:path`); `None` for in-memory
/// databases.
fn sqlite_file_of(url: &str) -> Option<std::path::PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" || url.contains("mode=memory") {
        return None;
    }
    Some(std::path::PathBuf::from(path))
}

/// Shared database handle; cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pool: Pool,
    /// The database file of a file-backed SQLite database (for the bulk import path, which opens
    /// its own connection to it); `None` for PostgreSQL and in-memory SQLite.
    sqlite_file: Option<std::sync::Arc<std::path::PathBuf>>,
    /// Reference data validated against the data version (see [`crate::cache`]).
    reference: Arc<crate::cache::ReferenceCache>,
}

impl Db {
    /// Opens (creating if missing) the SQLite database at `path` and runs pending migrations.
    ///
    /// Settings: WAL journal, `synchronous=NORMAL` (durable across process crashes; a power loss
    /// may lose the last transactions), foreign keys on, 5 s busy timeout.
    pub async fn open(path: &Path) -> Result<Db> {
        if let Some(parent) = path.parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(|e| {
                    StorageError::Invalid(format!("Kunde inte skapa katalogen {}: {e}", parent.display()))
                })?;
            }
        }
        // Owner-only (0600): SQLite gives its -wal and -shm files the database file's mode.
        crate::privat::ensure_private_file(path).map_err(|e| {
            StorageError::Invalid(format!("Kunde inte skapa databasfilen {}: {e}", path.display()))
        })?;
        Db::connect(&format!("sqlite://{}?mode=rwc", path.display())).await
    }

    /// Opens a database by URL — `postgres://user:password@host:port/database` or
    /// `sqlite://path` — and runs pending migrations.
    pub async fn connect(url: &str) -> Result<Db> {
        Db::connect_inner(url, true).await
    }

    /// Opens a database by URL without running migrations (`gnv check`, see [`crate::kontroll`]).
    pub async fn connect_unmigrated(url: &str) -> Result<Db> {
        Db::connect_inner(url, false).await
    }

    async fn connect_inner(url: &str, migrate: bool) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(StorageError::Invalid(format!(
                "Okänd databasadress (ska börja med postgres:// eller sqlite://): {}",
                redact_url(url)
            )));
        };
        let options = AnyConnectOptions::from_str(url)?;
        let pool = match backend {
            Backend::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(8)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            // busy_timeout first: switching to WAL may wait for another connection.
                            for pragma in [
                                "PRAGMA busy_timeout = 5000",
                                "PRAGMA journal_mode = WAL",
                                "PRAGMA synchronous = NORMAL",
                                "PRAGMA foreign_keys = ON",
                            ] {
                                sqlx::query(pragma).execute(&mut *conn).await?;
                            }
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Backend::Postgres => AnyPoolOptions::new().max_connections(8).connect_with(options).await?,
        };
        let sqlite_file = match backend {
            Backend::Sqlite => sqlite_file_of(url).map(std::sync::Arc::new),
            Backend::Postgres => None,
        };
        let db = Db {
            pool: Pool { inner: pool, backend, writers: Arc::new(tokio::sync::Mutex::new(())) },
            sqlite_file,
            reference: Arc::default(),
        };
        match backend {
            _ if !migrate => {}
            Backend::Sqlite => MIGRATOR.run(&db.pool.inner).await?,
            Backend::Postgres => {
                MIGRATOR_POSTGRES.run(&db.pool.inner).await?;
                // SQLite orders text by code point; so does PostgreSQL only with C collation.
                let (collation,): (String,) = sqlx::query_as(
                    "SELECT datcollate::TEXT FROM pg_database WHERE datname = current_database()",
                )
                .fetch_one(&db.pool)
                .await?;
                if !matches!(collation.as_str(), "C" | "POSIX" | "C.UTF-8" | "C.utf8") {
                    tracing::warn!(
                        %collation,
                        "the PostgreSQL database does not use C collation; lists may sort differently than on \
                         SQLite (create it with --lc-collate=C, see README)"
                    );
                }
            }
        }
        if migrate {
            // Storage upgrade steps that need Rust after the migrations (idempotent).
            db.nyckeltal_upgrade_editions().await?;
        }
        Ok(db)
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    pub(crate) fn reference_cache(&self) -> &crate::cache::ReferenceCache {
        &self.reference
    }

    pub fn backend(&self) -> Backend {
        self.pool.backend
    }

    /// The file of a file-backed SQLite database.
    pub(crate) fn sqlite_file(&self) -> Option<&std::path::Path> {
        self.sqlite_file.as_deref().map(|p| p.as_path())
    }

    /// Quick liveness check used by `/healthz`.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Runs the database's consistency check; returns the problems found (empty when healthy).
    /// SQLite: `PRAGMA integrity_check`. PostgreSQL keeps its own consistency (checksummed WAL,
    /// MVCC); here it checks that every migration was applied completely.
    pub async fn integrity_check(&self) -> Result<Vec<String>> {
        match self.backend() {
            Backend::Sqlite => {
                let rows: Vec<(String,)> =
                    sqlx::query_as("PRAGMA integrity_check").fetch_all(&self.pool).await?;
                Ok(rows.into_iter().map(|r| r.0).filter(|s| s != "ok").collect())
            }
            Backend::Postgres => {
                let rows: Vec<(i64,)> =
                    sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE NOT success ORDER BY version")
                        .fetch_all(&self.pool)
                        .await?;
                Ok(rows.into_iter().map(|(v,)| format!("migrering {v} ofullständig")).collect())
            }
        }
    }

    /// Writes a consistent copy of the live database to `out` (SQLite `VACUUM INTO`).
    /// PostgreSQL databases are backed up with `pg_dump` (see the README); this refuses.
    pub async fn backup_to(&self, out: &Path) -> Result<()> {
        match self.backend() {
            Backend::Sqlite => {
                // VACUUM INTO writes into an empty file created owner-only (0600) first.
                if !out.exists() {
                    crate::privat::ensure_private_file(out).map_err(|e| {
                        StorageError::Invalid(format!("Kunde inte skapa {}: {e}", out.display()))
                    })?;
                }
                sqlx::query("VACUUM INTO $1").bind(out.display().to_string()).execute(&self.pool).await?;
                Ok(())
            }
            Backend::Postgres => Err(StorageError::Invalid(
                "En PostgreSQL-databas säkerhetskopieras med pg_dump, till exempel \
                 `pg_dump --format=custom --file=gnv.dump \"$GNV_DATABASE_URL\"` (se README)."
                    .to_string(),
            )),
        }
    }

    /// Reads a key from the settings table.
    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as("SELECT value FROM setting WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.0))
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A database URL with any password replaced by `***`, for messages and logs.
pub fn redact_url(url: &str) -> String {
    if let Some(scheme_end) = url.find("://") {
        let rest = &url[scheme_end + 3..];
        let authority_end = rest.find('/').unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@') {
            let userinfo = &rest[..at];
            if let Some(colon) = userinfo.find(':') {
                return format!("{}{}:***{}", &url[..scheme_end + 3], &userinfo[..colon], &rest[at..]);
            }
        }
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::{redact_url, MIGRATOR, MIGRATOR_POSTGRES};

    #[test]
    fn every_migration_has_a_postgres_twin() {
        let list = |m: &sqlx::migrate::Migrator| {
            m.iter().map(|m| (m.version, m.description.to_string())).collect::<Vec<_>>()
        };
        assert_eq!(
            list(&MIGRATOR),
            list(&MIGRATOR_POSTGRES),
            "migrations/sqlite and migrations/postgres must hold the same versions and names"
        );
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact_url("postgres://gnv:hemligt@db:5432/gnv"), "postgres://gnv:***@db:5432/gnv");
        assert_eq!(redact_url("postgres://gnv@db/gnv"), "postgres://gnv@db/gnv");
        assert_eq!(redact_url("sqlite://data/gnv.db"), "sqlite://data/gnv.db");
    }
}

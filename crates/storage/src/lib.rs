//! Storage adapter of GNV-uppföljning.
//!
//! Owns the database: connection set-up (SQLite with WAL, foreign keys, busy timeout), the
//! migrations embedded from `migrations/`, and one repository module per domain area. Every write
//! runs in a transaction and records an [`audit`] entry in that same transaction, so a change and
//! its audit trail are either both stored or both absent.
//!
//! SQL is written to be portable to PostgreSQL: `$1`-style placeholders, `RETURNING`, TEXT
//! timestamps in RFC 3339 UTC, INTEGER booleans, no SQLite-only functions.
//!
//! Module map:
//! - [`db`] — [`Db`]: the pool, opening, migrations, health and integrity checks, backup.
//! - [`audit`] — [`Actor`], the audit log, its vocabulary ([`audit::Action`], [`audit::Entity`])
//!   and the one audited write path ([`Db::audited_write`]).
//! - [`cache`] — reference data (registry, sub-goals, editions) cached in memory and validated
//!   on every use against the data version (the newest audit entry).
//! - [`organisationer`] — the organisation registry and sub-goals.
//! - [`lansprofil`] — the stored county profile (short name, support unit, sub-goals, sources);
//!   sub-goal changes refused once self-assessment data exist.
//! - [`anvandare`] — user accounts, argon2id password hashes, organisation bindings.
//! - [`rapportering`] — reporting rounds, parts, per-organisation status (generic API for all
//!   parts), invitations, responses, mail log, questionnaire definitions, self-assessment history;
//!   one file per area (`formular`, `omgang`, `svar`, `inbjudan`, `epost`, `analys`).
//! - [`kontakter`] — contacts per organisation (no personal data in their audit entries) and
//!   the January mailing's letter and per-recipient send log.
//! - [`jobb`] — scheduled work with leases (a round's reminders), run by the server.
//! - [`omgang`] — the round's lifecycle: closing at the deadline or by an admin, the snapshot
//!   frozen at closing and changes after it, extending the deadline, the respondent write gate.
//! - [`kommunenkat`], [`ekonomi`] — survey answers and financial-report rows; their status is
//!   the round engine's ([`rapportering`]); the JSON summaries of a year shared by the API and
//!   the CLI.
//! - [`planering`] — annual plans (`aktivitet`), reporting calendar (`kalender`), regional action
//!   plan versions (`handlingsplan`), one file each as in `gnv_core::planering`.
//! - [`sessioner`] — server-side sessions and log-in attempts (throttling).
//! - [`oidc`] — log-in through identity providers: user ↔ provider identity bindings, log-ins in
//!   progress (state, nonce, PKCE verifier), sessions started through a provider.
//! - [`arsrapport`] — annual report layouts and quotes, published (frozen) reports, and the
//!   year's `ReportData` (the report crate assembles it; storage does not depend on it).
//! - [`aret`] — the year's cycle: the calendar copied to the next year ("att bekräfta"), the
//!   automatic status of deliverables linked to a published report or action plan.
//! - [`leveranser`] — external deliveries to Socialstyrelsen (the kommunenkät XLSX kept with its
//!   SHA-256, the region's report as link or address); `leveranser::for_year` for the report.
//! - [`kontroll`] — `gnv check`: integrity, foreign keys, migrations, readability of stored data.
//! - [`privat`] — owner-only files (database, backups, mail).
//! - [`utgavenamn`] — the organisation names frozen with a published indicator edition.
//! - [`nyckeltal`] — indicator catalogue, value imports (`nyckeltal::import`, the bulk write
//!   path), frozen editions in CRC-checked blocks (`nyckeltal::utgava`) and previews.
//! - [`testing`] — `GNV_TEST_POSTGRES` and scratch PostgreSQL databases for tests.

pub mod anvandare;
pub mod aret;
pub mod arsrapport;
pub mod audit;
pub mod cache;
pub mod db;
pub mod ekonomi;
pub mod jobb;
pub mod kommunenkat;
pub mod kontakter;
pub mod kontroll;
pub mod lansprofil;
pub mod leveranser;
pub mod nyckeltal;
pub mod oidc;
pub mod omgang;
pub mod organisationer;
pub mod planering;
pub mod privat;
pub mod rapportering;
pub mod sessioner;
pub mod testing;
pub mod utgavenamn;

pub use audit::Actor;
pub use db::Db;

/// Errors from the storage layer. Messages meant for users are Swedish.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("databasfel: {0}")]
    Db(#[from] sqlx::Error),
    /// The bulk import's own SQLite connection (`nyckeltal::import`).
    #[error("databasfel: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migreringsfel: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    /// Stored data that cannot be read (a damaged row): a server error, logged, never the
    /// user's fault.
    #[error("skadade data i databasen: {0}")]
    Corrupt(String),
    /// A fault of the program (not of the input, not of the stored data): a server error, logged.
    #[error("internt fel: {0}")]
    Internal(String),
}

/// What kind of failure a [`StorageError`] is, for the adapters' mapping (HTTP status, exit code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input was refused (HTTP 400); the message is for the user.
    Invalid,
    /// What was asked for does not exist (404).
    NotFound,
    /// The change collides with the stored state (409).
    Conflict,
    /// Stored data that cannot be read (a damaged row): the server's fault (500, logged).
    Corrupt,
    /// The database, a migration or the program failed (500, logged).
    Internal,
}

impl StorageError {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            StorageError::Invalid(_) => ErrorKind::Invalid,
            StorageError::NotFound(_) => ErrorKind::NotFound,
            StorageError::Conflict(_) => ErrorKind::Conflict,
            StorageError::Corrupt(_) => ErrorKind::Corrupt,
            StorageError::Db(_)
            | StorageError::Sqlite(_)
            | StorageError::Migrate(_)
            | StorageError::Internal(_) => ErrorKind::Internal,
        }
    }
}

pub type Result<T> = std::result::Result<T, StorageError>;

/// Current time as stored in the database: RFC 3339 UTC to the second, sortable as text.
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A time `seconds` from now (negative for the past), as stored in the database.
pub fn offset_text(seconds: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::seconds(seconds))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

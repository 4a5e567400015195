//! Support for running test suites against PostgreSQL.
//!
//! When `GNV_TEST_POSTGRES` holds the URL of a PostgreSQL server's maintenance database (e.g.
//! `postgres://postgres@127.0.0.1:55432/postgres`, as printed by `scripts/postgres`), tests open
//! their database with [`ScratchDatabase::create`] instead of a fresh SQLite file: every test
//! gets its own new database, dropped again when the [`ScratchDatabase`] is dropped.

use crate::{Result, StorageError};
use rand::Rng;
use sqlx::{AnyConnection, Connection};

/// The environment variable that switches tests to PostgreSQL.
pub const TEST_POSTGRES_ENV: &str = "GNV_TEST_POSTGRES";

/// The maintenance-database URL from `GNV_TEST_POSTGRES`, when tests should use PostgreSQL.
pub fn test_postgres_url() -> Option<String> {
    std::env::var(TEST_POSTGRES_ENV).ok().filter(|s| !s.trim().is_empty())
}

/// A freshly created PostgreSQL database that is dropped (with its connections) on drop.
#[derive(Debug)]
pub struct ScratchDatabase {
    admin_url: String,
    name: String,
    /// URL of the new database.
    pub url: String,
}

impl ScratchDatabase {
    /// Creates `gnv_test_<random>` on the server of `admin_url` (UTF-8, C collation — text sorts
    /// by code point, as in SQLite).
    pub async fn create(admin_url: &str) -> Result<ScratchDatabase> {
        sqlx::any::install_default_drivers();
        let name = format!("gnv_test_{:016x}", rand::thread_rng().gen::<u64>());
        let mut conn = AnyConnection::connect(admin_url).await?;
        sqlx::raw_sql(&format!(
            "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
        ))
        .execute(&mut conn)
        .await?;
        conn.close().await?;
        let url = replace_database(admin_url, &name)?;
        Ok(ScratchDatabase { admin_url: admin_url.to_string(), name, url })
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop may run inside an async runtime: do the blocking work on a thread of its own.
        let done = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                return;
            };
            rt.block_on(async move {
                if let Ok(mut conn) = AnyConnection::connect(&admin_url).await {
                    let _ = sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut conn)
                        .await;
                    let _ = conn.close().await;
                }
            });
        });
        let _ = done.join();
    }
}

/// `url` with its database name (the path) replaced by `name`; query parameters are kept.
fn replace_database(url: &str, name: &str) -> Result<String> {
    let scheme_end = url.find("://").ok_or_else(|| StorageError::Invalid(format!("ogiltig URL: {url}")))? + 3;
    let rest = &url[scheme_end..];
    let (authority, tail) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let query = tail.find('?').map(|i| &tail[i..]).unwrap_or("");
    Ok(format!("{}{authority}/{name}{query}", &url[..scheme_end]))
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_the_database_name() {
        let r = super::replace_database;
        assert_eq!(r("postgres://p@h:1/postgres", "x").unwrap(), "postgres://p@h:1/x");
        assert_eq!(r("postgres://p@h:1", "x").unwrap(), "postgres://p@h:1/x");
        assert_eq!(
            r("postgres://p@h/postgres?sslmode=disable", "x").unwrap(),
            "postgres://p@h/x?sslmode=disable"
        );
    }
}

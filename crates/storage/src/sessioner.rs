//! Server-side sessions and log-in attempts.
//!
//! The cookie carries 32 random bytes (hex); the database stores only their SHA-256, so a leaked
//! database does not hand out live sessions. Each session has its own CSRF token.

use crate::anvandare::User;
use crate::{now_text, offset_text, Db, Result};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// A fresh random token, 32 bytes as hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// SHA-256 of a token, hex.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A live session as loaded for a request.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub user_id: i64,
    pub csrf_token: String,
}

/// Throttling policy: this many failures for one user name or one address within the window
/// block further attempts until the window has passed.
pub const MAX_FAILURES: i64 = 5;
pub const FAILURE_WINDOW_SECS: i64 = 15 * 60;

impl Db {
    /// Creates a session for `user_id` lasting `ttl_secs`; returns the cookie value.
    pub async fn create_session(&self, user_id: i64, ttl_secs: i64) -> Result<(String, String)> {
        let token = random_token();
        let csrf = random_token();
        sqlx::query("INSERT INTO session (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash(&token))
            .bind(user_id)
            .bind(&csrf)
            .bind(now_text())
            .bind(offset_text(ttl_secs))
            .execute(self.pool())
            .await?;
        Ok((token, csrf))
    }

    /// Loads a live session by cookie value; expired sessions and inactive users give `None`.
    pub async fn session(&self, token: &str) -> Result<Option<SessionRow>> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT s.user_id, s.csrf_token FROM session s JOIN app_user u ON u.id = s.user_id
             WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.active = 1",
        )
        .bind(token_hash(token))
        .bind(now_text())
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(user_id, csrf_token)| SessionRow { user_id, csrf_token }))
    }

    /// Loads a live session by cookie value together with its user (active only) and the user's
    /// organisations, in one query: this runs on every request, so it is one round trip instead
    /// of three (session, user, organisations). Nothing is cached in memory: ending a session or
    /// deactivating a user on any instance takes effect on the next request everywhere.
    pub async fn session_user(&self, token: &str) -> Result<Option<(User, String)>> {
        let rows = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.email, u.role, u.active, s.csrf_token, o.org_code
             FROM session s JOIN app_user u ON u.id = s.user_id
             LEFT JOIN user_organisation o ON o.user_id = u.id
             WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.active = 1
             ORDER BY o.org_code",
        )
        .bind(token_hash(token))
        .bind(now_text())
        .fetch_all(self.pool())
        .await?;
        let Some(first) = rows.first() else { return Ok(None) };
        let organisations =
            rows.iter().filter_map(|r| r.get::<Option<String>, _>("org_code")).collect::<Vec<_>>();
        let csrf: String = first.get("csrf_token");
        Ok(Some((Db::user_from_row(first, organisations), csrf)))
    }

    /// Ends a session.
    pub async fn delete_session(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM session WHERE id_hash = $1")
            .bind(token_hash(token))
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Removes expired sessions and old log-in attempts.
    pub async fn purge_expired(&self) -> Result<u64> {
        let a = sqlx::query("DELETE FROM session WHERE expires_at <= $1")
            .bind(now_text())
            .execute(self.pool())
            .await?;
        sqlx::query("DELETE FROM login_attempt WHERE at < $1")
            .bind(offset_text(-7 * 24 * 3600))
            .execute(self.pool())
            .await?;
        Ok(a.rows_affected())
    }

    /// Records a log-in attempt.
    pub async fn record_login_attempt(&self, username: &str, ip: &str, success: bool) -> Result<()> {
        sqlx::query("INSERT INTO login_attempt (at, username, ip, success) VALUES ($1, $2, $3, $4)")
            .bind(now_text())
            .bind(username.trim().to_lowercase())
            .bind(ip)
            .bind(success as i64)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Whether log-in is currently blocked for this user name or address.
    pub async fn login_throttled(&self, username: &str, ip: &str) -> Result<bool> {
        let since = offset_text(-FAILURE_WINDOW_SECS);
        let (by_user,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM login_attempt WHERE username = $1 AND success = 0 AND at > $2",
        )
        .bind(username.trim().to_lowercase())
        .bind(&since)
        .fetch_one(self.pool())
        .await?;
        let (by_ip,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM login_attempt WHERE ip = $1 AND success = 0 AND at > $2")
                .bind(ip)
                .bind(&since)
                .fetch_one(self.pool())
                .await?;
        Ok(by_user >= MAX_FAILURES || by_ip >= MAX_FAILURES * 4)
    }
}

//! User accounts: argon2id password hashes, roles, organisation bindings.

use crate::audit::{Action, Actor, Entity, Entry};
use crate::{now_text, Db, Result, StorageError};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use gnv_core::access::Role;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// Minimum password length (the password policy, `gnv_core::losenord`).
pub const MIN_PASSWORD_LEN: usize = gnv_core::losenord::MIN_LEN;

/// A user as the application sees it (never the hash).
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    pub organisations: Vec<String>,
}

/// What is needed to create a user.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub password: String,
    pub organisations: Vec<String>,
}

/// Checks the password policy (`gnv_core::losenord::check_password`); returns a Swedish message
/// when refused.
pub fn check_password_policy(password: &str, username: &str) -> std::result::Result<(), String> {
    gnv_core::losenord::check_password(password, username).map_err(String::from)
}

/// Hashes a password with argon2id (default parameters: 19 MiB, 2 iterations).
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StorageError::Internal(format!("Lösenordet kunde inte hashas: {e}")))
}

/// Verifies a password against a stored hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

fn valid_username(u: &str) -> bool {
    !u.is_empty()
        && u.len() <= 64
        && u.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'))
}

impl Db {
    async fn user_orgs(&self, id: i64) -> Result<Vec<String>> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT org_code FROM user_organisation WHERE user_id = $1 ORDER BY org_code")
                .bind(id)
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    pub(crate) fn user_from_row(r: &crate::db::DbRow, organisations: Vec<String>) -> User {
        User {
            id: r.get("id"),
            username: r.get("username"),
            display_name: r.get("display_name"),
            email: r.get("email"),
            role: r.get::<String, _>("role").parse().unwrap_or(Role::Reader),
            active: r.get::<i64, _>("active") != 0,
            organisations,
        }
    }

    /// Creates a user. Username must be unique; respondents must be bound to at least one
    /// existing organisation; the password must follow the policy.
    pub async fn create_user(&self, new: &NewUser, actor: &Actor) -> Result<User> {
        let username = new.username.trim().to_lowercase();
        if !valid_username(&username) {
            return Err(StorageError::Invalid(
                "Användarnamnet får bara innehålla a–z, 0–9 och . - _ @ (högst 64 tecken).".into(),
            ));
        }
        if new.display_name.trim().is_empty() {
            return Err(StorageError::Invalid("Namn saknas.".into()));
        }
        check_password_policy(&new.password, &username).map_err(StorageError::Invalid)?;
        if new.role == Role::Respondent && new.organisations.is_empty() {
            return Err(StorageError::Invalid(
                "En respondent måste knytas till minst en organisation.".into(),
            ));
        }
        let hash = hash_password(&new.password)?;
        let mut tx = self.audited_write(actor).await?;
        let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM app_user WHERE username = $1")
            .bind(&username)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Err(StorageError::Conflict(format!("Användarnamnet {username} är upptaget.")));
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO app_user (username, display_name, email, role, password_hash, active, created_at)
             VALUES ($1, $2, $3, $4, $5, 1, $6) RETURNING id",
        )
        .bind(&username)
        .bind(new.display_name.trim())
        .bind(new.email.trim())
        .bind(new.role.as_str())
        .bind(&hash)
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await?;
        for code in &new.organisations {
            let known: Option<(String,)> = sqlx::query_as("SELECT code FROM organisation WHERE code = $1")
                .bind(code)
                .fetch_optional(&mut *tx)
                .await?;
            if known.is_none() {
                return Err(StorageError::Invalid(format!("Organisationen {code} finns inte.")));
            }
            sqlx::query("INSERT INTO user_organisation (user_id, org_code) VALUES ($1, $2)")
                .bind(id)
                .bind(code)
                .execute(&mut *tx)
                .await?;
        }
        let user = User {
            id,
            username: username.clone(),
            display_name: new.display_name.trim().to_string(),
            email: new.email.trim().to_string(),
            role: new.role,
            active: true,
            organisations: new.organisations.clone(),
        };
        tx.commit(Entry {
            action: Action::Create,
            entity: Entity::User,
            entity_id: &username,
            before: None,
            after: Some(json!(user)),
        })
        .await?;
        Ok(user)
    }

    /// All users, by username.
    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(
            "SELECT id, username, display_name, email, role, active FROM app_user ORDER BY username",
        )
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: i64 = r.get("id");
            out.push(Self::user_from_row(r, self.user_orgs(id).await?));
        }
        Ok(out)
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        let row =
            sqlx::query("SELECT id, username, display_name, email, role, active FROM app_user WHERE id = $1")
                .bind(id)
                .fetch_optional(self.pool())
                .await?;
        match row {
            Some(r) => Ok(Some(Self::user_from_row(&r, self.user_orgs(id).await?))),
            None => Ok(None),
        }
    }

    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM app_user WHERE username = $1")
            .bind(username.trim().to_lowercase())
            .fetch_optional(self.pool())
            .await?;
        match row {
            Some((id,)) => self.user_by_id(id).await,
            None => Ok(None),
        }
    }

    /// Checks a username and password. Returns the user only when active and the password matches.
    pub async fn authenticate(&self, username: &str, password: &str) -> Result<Option<User>> {
        let row: Option<(i64, String, i64)> =
            sqlx::query_as("SELECT id, password_hash, active FROM app_user WHERE username = $1")
                .bind(username.trim().to_lowercase())
                .fetch_optional(self.pool())
                .await?;
        let Some((id, hash, active)) = row else {
            // Spend comparable time so that unknown user names are not revealed by timing.
            let _ = verify_password(password, "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$yqV1Jgd4gJm8fb3i0dUiAx3Nc7MuLwBWuxQ5ttR9zOo");
            return Ok(None);
        };
        if active == 0 || !verify_password(password, &hash) {
            return Ok(None);
        }
        self.user_by_id(id).await
    }

    /// Sets a new password (policy checked) and ends the user's sessions.
    pub async fn set_password(&self, username: &str, password: &str, actor: &Actor) -> Result<()> {
        let user = self
            .user_by_username(username)
            .await?
            .ok_or_else(|| StorageError::NotFound(format!("Användaren {username} finns inte.")))?;
        check_password_policy(password, &user.username).map_err(StorageError::Invalid)?;
        let hash = hash_password(password)?;
        let mut tx = self.audited_write(actor).await?;
        sqlx::query("UPDATE app_user SET password_hash = $1 WHERE id = $2")
            .bind(&hash)
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM session WHERE user_id = $1").bind(user.id).execute(&mut *tx).await?;
        tx.commit(Entry {
            action: Action::ChangePassword,
            entity: Entity::User,
            entity_id: &user.username,
            before: None,
            after: None,
        })
        .await?;
        Ok(())
    }

    /// Activates or deactivates a user; deactivation ends the user's sessions.
    pub async fn set_user_active(&self, username: &str, active: bool, actor: &Actor) -> Result<()> {
        let user = self
            .user_by_username(username)
            .await?
            .ok_or_else(|| StorageError::NotFound(format!("Användaren {username} finns inte.")))?;
        let mut tx = self.audited_write(actor).await?;
        sqlx::query("UPDATE app_user SET active = $1 WHERE id = $2")
            .bind(active as i64)
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        if !active {
            sqlx::query("DELETE FROM session WHERE user_id = $1").bind(user.id).execute(&mut *tx).await?;
        }
        tx.commit(Entry {
            action: if active { Action::Activate } else { Action::Deactivate },
            entity: Entity::User,
            entity_id: &user.username,
            before: Some(json!({ "aktiv": user.active })),
            after: Some(json!({ "aktiv": active })),
        })
        .await?;
        Ok(())
    }

    /// Number of users (used to decide whether `init` must create the first admin).
    pub async fn user_count(&self) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM app_user").fetch_one(self.pool()).await?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_policy() {
        assert!(check_password_policy("kort", "anna").is_err());
        assert!(check_password_policy("annaannaanna1", "anna").unwrap_err().contains("användarnamnet"));
        assert!(check_password_policy("aaaaaaaaaaaaaa", "x").is_err());
        assert!(check_password_policy("Dalahäst-i-Mora-2026", "anna").is_ok());
    }

    #[test]
    fn hash_and_verify() {
        let h = hash_password("Dalahäst-i-Mora-2026").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("Dalahäst-i-Mora-2026", &h));
        assert!(!verify_password("fel-lösenord-123", &h));
        assert!(!verify_password("x", "inte-en-hash"));
    }
}

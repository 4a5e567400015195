//! Log-in through an identity provider (OpenID Connect, migration `0015`): bindings of local
//! users to provider identities, log-ins in progress (state, nonce, PKCE verifier) and sessions
//! started through a provider.
//!
//! The web layer does the protocol (`gnv_web::oidc`); this module only stores. Secrets at rest:
//! the `state` value and the browser-binding cookie are stored as SHA-256 only; the nonce and the
//! PKCE verifier are stored as they are, but are worthless without the browser's cookie and live
//! for at most [`LOGIN_TTL_SECS`].

use crate::anvandare::User;
use crate::audit::{Action, Actor, Entity, Entry};
use crate::sessioner::{random_token, token_hash};
use crate::{now_text, offset_text, Db, Result, StorageError};
use serde::Serialize;
use serde_json::json;

/// How long a log-in may stay at the provider before its `state` expires.
pub const LOGIN_TTL_SECS: i64 = 10 * 60;

/// Which claim of the provider's ID token a binding matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BindingClaim {
    /// The provider's stable subject identifier (`sub`): the recommended binding.
    Subject,
    /// The e-mail address (`email`), compared without regard to case.
    Email,
}

impl BindingClaim {
    pub fn as_str(self) -> &'static str {
        match self {
            BindingClaim::Subject => "sub",
            BindingClaim::Email => "email",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BindingClaim::Subject => "Subjekt (sub)",
            BindingClaim::Email => "E-postadress (email)",
        }
    }

    /// The stored form of a value: e-mail addresses lower-case, subjects as they are.
    pub fn normalise(self, value: &str) -> String {
        match self {
            BindingClaim::Subject => value.trim().to_string(),
            BindingClaim::Email => value.trim().to_lowercase(),
        }
    }
}

impl std::str::FromStr for BindingClaim {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "sub" => Ok(BindingClaim::Subject),
            "email" => Ok(BindingClaim::Email),
            _ => Err("Anspråket ska vara sub eller email.".into()),
        }
    }
}

/// A user's binding to an identity at a provider.
#[derive(Debug, Clone, Serialize)]
pub struct Binding {
    pub id: i64,
    pub username: String,
    pub provider: String,
    pub claim: BindingClaim,
    pub value: String,
    pub created_at: String,
}

/// A log-in in progress, as stored when the browser is sent to the provider.
#[derive(Debug, Clone)]
pub struct PendingLogin {
    pub provider: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub next_path: String,
}

/// What a session started through a provider remembers for log-out.
#[derive(Debug, Clone)]
pub struct SessionProvider {
    pub provider: String,
    pub id_token: String,
}

impl Db {
    /// Binds `username` to the identity (`claim` = `value`) at `provider`. An identity already
    /// bound (to anyone) is refused.
    pub async fn add_oidc_binding(
        &self,
        username: &str,
        provider: &str,
        claim: BindingClaim,
        value: &str,
        actor: &Actor,
    ) -> Result<Binding> {
        let value = claim.normalise(value);
        if value.is_empty() || value.len() > 256 {
            return Err(StorageError::Invalid("Fyll i värdet (högst 256 tecken).".into()));
        }
        let user = self
            .user_by_username(username)
            .await?
            .ok_or_else(|| StorageError::NotFound(format!("Användaren {username} finns inte.")))?;
        let mut tx = self.audited_write(actor).await?;
        let taken: Option<(String,)> = sqlx::query_as(
            "SELECT u.username FROM oidc_binding b JOIN app_user u ON u.id = b.user_id
             WHERE b.provider = $1 AND b.claim = $2 AND b.value = $3",
        )
        .bind(provider)
        .bind(claim.as_str())
        .bind(&value)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((other,)) = taken {
            return Err(StorageError::Conflict(format!(
                "Identiteten {} = {value} hos {provider} är redan kopplad till {other}.",
                claim.as_str()
            )));
        }
        let created_at = now_text();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO oidc_binding (user_id, provider, claim, value, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user.id)
        .bind(provider)
        .bind(claim.as_str())
        .bind(&value)
        .bind(&created_at)
        .fetch_one(&mut *tx)
        .await?;
        let binding = Binding {
            id,
            username: user.username.clone(),
            provider: provider.to_string(),
            claim,
            value,
            created_at,
        };
        tx.commit(Entry {
            action: Action::LinkIdentity,
            entity: Entity::User,
            entity_id: &user.username,
            before: None,
            after: Some(json!(binding)),
        })
        .await?;
        Ok(binding)
    }

    /// Removes a binding by id.
    pub async fn remove_oidc_binding(&self, id: i64, actor: &Actor) -> Result<()> {
        let Some(binding) = self.oidc_bindings().await?.into_iter().find(|b| b.id == id) else {
            return Err(StorageError::NotFound("Kopplingen finns inte.".into()));
        };
        let mut tx = self.audited_write(actor).await?;
        sqlx::query("DELETE FROM oidc_binding WHERE id = $1").bind(id).execute(&mut *tx).await?;
        tx.commit(Entry {
            action: Action::RemoveIdentityLink,
            entity: Entity::User,
            entity_id: &binding.username,
            before: Some(json!(binding)),
            after: None,
        })
        .await?;
        Ok(())
    }

    /// All bindings, by user name, provider, claim and value.
    pub async fn oidc_bindings(&self) -> Result<Vec<Binding>> {
        let rows: Vec<(i64, String, String, String, String, String)> = sqlx::query_as(
            "SELECT b.id, u.username, b.provider, b.claim, b.value, b.created_at
             FROM oidc_binding b JOIN app_user u ON u.id = b.user_id
             ORDER BY u.username, b.provider, b.claim, b.value",
        )
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(id, username, provider, claim, value, created_at)| {
                let claim = claim.parse().map_err(|_| {
                    StorageError::Corrupt(format!("oidc_binding {id}: okänt anspråk {claim}"))
                })?;
                Ok(Binding { id, username, provider, claim, value, created_at })
            })
            .collect()
    }

    /// The active user bound to the identity with subject `sub` (or, failing that, e-mail
    /// `email`, when given) at `provider`. `None` when no binding matches or the user is inactive.
    pub async fn oidc_user(&self, provider: &str, sub: &str, email: Option<&str>) -> Result<Option<User>> {
        let mut candidates = vec![(BindingClaim::Subject, sub.to_string())];
        if let Some(email) = email.filter(|e| !e.trim().is_empty()) {
            candidates.push((BindingClaim::Email, BindingClaim::Email.normalise(email)));
        }
        for (claim, value) in candidates {
            let row: Option<(i64,)> = sqlx::query_as(
                "SELECT b.user_id FROM oidc_binding b JOIN app_user u ON u.id = b.user_id
                 WHERE b.provider = $1 AND b.claim = $2 AND b.value = $3 AND u.active = 1",
            )
            .bind(provider)
            .bind(claim.as_str())
            .bind(&value)
            .fetch_optional(self.pool())
            .await?;
            if let Some((id,)) = row {
                return self.user_by_id(id).await;
            }
        }
        Ok(None)
    }

    /// Stores a log-in in progress under the SHA-256 of its `state` and of the browser cookie.
    pub async fn begin_oidc_login(&self, state: &str, browser: &str, login: &PendingLogin) -> Result<()> {
        sqlx::query("DELETE FROM oidc_login WHERE expires_at <= $1")
            .bind(now_text())
            .execute(self.pool())
            .await?;
        sqlx::query(
            "INSERT INTO oidc_login (state_hash, provider, nonce, pkce_verifier, browser_hash, next_path, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(token_hash(state))
        .bind(&login.provider)
        .bind(&login.nonce)
        .bind(&login.pkce_verifier)
        .bind(token_hash(browser))
        .bind(&login.next_path)
        .bind(now_text())
        .bind(offset_text(LOGIN_TTL_SECS))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Takes the log-in in progress with this `state`: it is deleted whatever follows, so a
    /// `state` is used at most once. `None` when unknown, already used, expired, or started in
    /// another browser (the cookie's hash differs).
    pub async fn take_oidc_login(&self, state: &str, browser: &str) -> Result<Option<PendingLogin>> {
        let mut tx = self.pool().begin().await?;
        let row: Option<(String, String, String, String, String, String)> = sqlx::query_as(
            "SELECT provider, nonce, pkce_verifier, browser_hash, next_path, expires_at
             FROM oidc_login WHERE state_hash = $1",
        )
        .bind(token_hash(state))
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM oidc_login WHERE state_hash = $1")
            .bind(token_hash(state))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(row.and_then(|(provider, nonce, pkce_verifier, browser_hash, next_path, expires_at)| {
            (browser_hash == token_hash(browser) && expires_at > now_text()).then_some(PendingLogin {
                provider,
                nonce,
                pkce_verifier,
                next_path,
            })
        }))
    }

    /// Creates a session for a log-in through `provider`; remembers the ID token for log-out.
    pub async fn create_oidc_session(
        &self,
        user_id: i64,
        ttl_secs: i64,
        provider: &str,
        id_token: &str,
    ) -> Result<(String, String)> {
        let token = random_token();
        let csrf = random_token();
        sqlx::query(
            "INSERT INTO session (id_hash, user_id, csrf_token, created_at, expires_at, oidc_provider, oidc_id_token)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(&csrf)
        .bind(now_text())
        .bind(offset_text(ttl_secs))
        .bind(provider)
        .bind(id_token)
        .execute(self.pool())
        .await?;
        Ok((token, csrf))
    }

    /// The provider a session was started through, if any.
    pub async fn session_provider(&self, token: &str) -> Result<Option<SessionProvider>> {
        let row: Option<(Option<String>, Option<String>)> =
            sqlx::query_as("SELECT oidc_provider, oidc_id_token FROM session WHERE id_hash = $1")
                .bind(token_hash(token))
                .fetch_optional(self.pool())
                .await?;
        Ok(row.and_then(|(provider, id_token)| {
            Some(SessionProvider { provider: provider?, id_token: id_token.unwrap_or_default() })
        }))
    }

    /// Sets a user's role from the provider's group claim (the provider's group → role mapping),
    /// with its audit entry. Nothing is written when the role is already `role`.
    pub async fn set_role_from_provider(
        &self,
        user: &User,
        role: gnv_core::access::Role,
        provider: &str,
    ) -> Result<()> {
        if user.role == role {
            return Ok(());
        }
        let actor = Actor::user(user.id, &user.username);
        let mut tx = self.audited_write(&actor).await?;
        sqlx::query("UPDATE app_user SET role = $1 WHERE id = $2")
            .bind(role.as_str())
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        tx.commit(Entry {
            action: Action::RoleFromProvider,
            entity: Entity::User,
            entity_id: &user.username,
            before: Some(json!({ "roll": user.role.as_str() })),
            after: Some(json!({ "roll": role.as_str(), "leverantör": provider })),
        })
        .await?;
        Ok(())
    }

    /// Records a log-in event through a provider (success or refusal) with the provider and,
    /// for a refusal, the reason: `after` is `{"leverantör": …, "subjekt": …, "orsak": …}`.
    pub async fn audit_oidc_login(
        &self,
        actor: &Actor,
        action: Action,
        entity_id: &str,
        provider: &str,
        subject: Option<&str>,
        reason: Option<&str>,
    ) -> Result<()> {
        let mut after = json!({ "leverantör": provider });
        if let Some(s) = subject {
            after["subjekt"] = json!(s);
        }
        if let Some(r) = reason {
            after["orsak"] = json!(r);
        }
        let tx = self.audited_write(actor).await?;
        tx.commit(Entry { action, entity: Entity::Login, entity_id, before: None, after: Some(after) })
            .await?;
        Ok(())
    }
}

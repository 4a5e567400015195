//! Invitations by secret link: creating, new tokens, looking up by token, revoking.

use super::*;

impl Db {
    /// Creates an invitation by secret link valid for `valid_days`; returns it and the token
    /// (shown/sent once; only its hash is stored).
    #[allow(clippy::too_many_arguments)]
    pub async fn create_invitation(
        &self,
        year: i32,
        part: Part,
        org: &str,
        name: &str,
        email: &str,
        valid_days: i64,
        actor: &Actor,
    ) -> Result<(Invitation, String)> {
        let name = name.trim();
        let email = email.trim();
        if name.is_empty() {
            return Err(StorageError::Invalid("Ange mottagarens namn.".into()));
        }
        if !email.contains('@') || email.contains(char::is_whitespace) || email.len() > 200 {
            return Err(StorageError::Invalid(format!("\"{email}\" är ingen giltig e-postadress.")));
        }
        if !(1..=365).contains(&valid_days) {
            return Err(StorageError::Invalid("Länken ska gälla mellan 1 och 365 dagar.".into()));
        }
        let mut tx = self.audited_write(actor).await?;
        assignment_status(tx.tx(), year, part, org).await?;
        let now = now_text();
        let expires = offset_text(valid_days * 86_400);
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO invitation (year, part, org_code, name, email, expires_at, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(year)
        .bind(part.code())
        .bind(org)
        .bind(name)
        .bind(email)
        .bind(&expires)
        .bind(&now)
        .bind(&actor.username)
        .fetch_one(&mut *tx)
        .await?;
        let token = random_token();
        sqlx::query(
            "INSERT INTO invitation_token (token_hash, invitation_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(token_hash(&token))
        .bind(id)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        let inv = Invitation {
            id,
            year,
            part,
            org_code: org.to_string(),
            name: name.to_string(),
            email: email.to_string(),
            expires_at: expires,
            revoked_at: None,
            created_at: now,
        };
        tx.commit(Entry {
            action: Action::Create,
            entity: Entity::Invitation,
            entity_id: &id.to_string(),
            before: None,
            after: Some(json!(inv)),
        })
        .await?;
        Ok((inv, token))
    }

    /// Issues an extra token for an invitation (for a reminder).
    pub async fn new_invitation_token(&self, id: i64) -> Result<String> {
        let token = random_token();
        sqlx::query(
            "INSERT INTO invitation_token (token_hash, invitation_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(token_hash(&token))
        .bind(id)
        .bind(now_text())
        .execute(self.pool())
        .await?;
        Ok(token)
    }

    /// The invitation a link token belongs to (also when expired or revoked; the caller refuses
    /// those with the right message).
    pub async fn invitation_by_token(&self, token: &str) -> Result<Option<Invitation>> {
        if token.len() != 64 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let row = sqlx::query(&format!(
            "{INV_SELECT} JOIN invitation_token t ON t.invitation_id = i.id WHERE t.token_hash = $1"
        ))
        .bind(token_hash(token))
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| invitation_from_row(&r)).transpose()
    }

    /// One invitation.
    pub async fn invitation(&self, id: i64) -> Result<Option<Invitation>> {
        let row = sqlx::query(&format!("{INV_SELECT} WHERE i.id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| invitation_from_row(&r)).transpose()
    }

    /// All invitations of a round, newest first.
    pub async fn invitations(&self, year: i32) -> Result<Vec<Invitation>> {
        let rows = sqlx::query(&format!("{INV_SELECT} WHERE i.year = $1 ORDER BY i.id DESC"))
            .bind(year)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(invitation_from_row).collect()
    }

    /// Revokes an invitation (its links stop working at once). Audited.
    pub async fn revoke_invitation(&self, id: i64, actor: &Actor) -> Result<()> {
        let mut tx = self.audited_write(actor).await?;
        let n = sqlx::query("UPDATE invitation SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now_text())
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StorageError::NotFound("Inbjudan finns inte eller är redan återkallad.".into()));
        }
        tx.commit(Entry {
            action: Action::Revoke,
            entity: Entity::Invitation,
            entity_id: &id.to_string(),
            before: None,
            after: None,
        })
        .await?;
        Ok(())
    }

    /// Respondent accounts bound to an organisation: (user id, name, e-mail).
    pub async fn respondents_of(&self, org: &str) -> Result<Vec<(i64, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT u.id, u.display_name, u.email FROM app_user u JOIN user_organisation o ON o.user_id = u.id
             WHERE o.org_code = $1 AND u.role = 'respondent' AND u.active = 1 ORDER BY u.username",
        )
        .bind(org)
        .fetch_all(self.pool())
        .await?)
    }
}

const INV_SELECT: &str = "SELECT i.id, i.year, i.part, i.org_code, i.name, i.email, i.expires_at, i.revoked_at, i.created_at FROM invitation i";

fn invitation_from_row(r: &crate::db::DbRow) -> Result<Invitation> {
    Ok(Invitation {
        id: r.get("id"),
        year: r.get::<i64, _>("year") as i32,
        part: part_of(r.get("part"))?,
        org_code: r.get("org_code"),
        name: r.get("name"),
        email: r.get("email"),
        expires_at: r.get("expires_at"),
        revoked_at: r.get("revoked_at"),
        created_at: r.get("created_at"),
    })
}

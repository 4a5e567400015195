//! Stored responses (shared or per respondent), drafts and submissions through the round's
//! status, and reading them back checked.

use super::*;

impl Db {
    /// One response.
    pub async fn response(&self, year: i32, part: Part, org: &str, key: &str) -> Result<Option<ResponseRow>> {
        let row = sqlx::query(
            "SELECT id, year, part, org_code, respondent_key, answers_json, status, updated_at, submitted_at
             FROM round_response WHERE year = $1 AND part = $2 AND org_code = $3 AND respondent_key = $4",
        )
        .bind(year)
        .bind(part.code())
        .bind(org)
        .bind(key)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| response_from_row(&r)).transpose()
    }

    /// The stored rows of a part's responses in a round, by organisation and id.
    async fn response_rows(&self, year: i32, part: Part) -> Result<Vec<crate::db::DbRow>> {
        Ok(sqlx::query(
            "SELECT id, year, part, org_code, respondent_key, answers_json, status, updated_at, submitted_at
             FROM round_response WHERE year = $1 AND part = $2 ORDER BY org_code, id",
        )
        .bind(year)
        .bind(part.code())
        .fetch_all(self.pool())
        .await?)
    }

    /// All responses of a part in a round (any status).
    pub async fn responses(&self, year: i32, part: Part) -> Result<Vec<ResponseRow>> {
        let rows = self.response_rows(year, part).await?;
        rows.iter().map(response_from_row).collect()
    }

    /// All responses of a part in a round, leaving out rows that cannot be read: those come back
    /// as (organisation, message) so a compilation can warn instead of failing.
    pub async fn responses_checked(
        &self,
        year: i32,
        part: Part,
    ) -> Result<(Vec<ResponseRow>, Vec<(String, String)>)> {
        let rows = self.response_rows(year, part).await?;
        let mut ok = Vec::new();
        let mut bad = Vec::new();
        for r in &rows {
            match response_from_row(r) {
                Ok(row) => ok.push(row),
                Err(e) => {
                    let org: String = r.try_get("org_code").unwrap_or_default();
                    tracing::warn!(year, part = part.code(), org = %org, error = %e, "unreadable stored response");
                    bad.push((org, e.to_string()));
                }
            }
        }
        Ok((ok, bad))
    }

    /// Saves a draft or submits a response (already validated by the form engine).
    ///
    /// Checks, in one `BEGIN IMMEDIATE` transaction: the round carries the part for the
    /// organisation and is open, or the organisation's part was reopened by an admin
    /// ([`crate::omgang::respondent_gate_tx`]); the respondent's own response is not submitted (double submission and
    /// editing a locked answer are `Conflict`s with Swedish messages). Then stores the response
    /// and moves the organisation's status (a draft turns "ej påbörjad" into "utkast"; a
    /// submission makes it "inskickad"). Audited.
    #[allow(clippy::too_many_arguments)]
    pub async fn save_response(
        &self,
        year: i32,
        part: Part,
        org: &str,
        respondent_key: &str,
        answers: &Answers,
        event: Event,
        actor: &Actor,
    ) -> Result<Status> {
        if event == Event::Reopen {
            return Err(StorageError::Invalid("Ett svar återöppnas av en administratör.".into()));
        }
        let key = if part.individual_answers() { respondent_key } else { SHARED_KEY };
        let mut tx = self.audited_write(actor).await?;
        // The round must be open, or the organisation's part reopened by an admin.
        let org_before = crate::omgang::respondent_gate_tx(tx.tx(), year, part, org).await?;
        let own: Option<(String,)> = sqlx::query_as(
            "SELECT status FROM round_response WHERE year = $1 AND part = $2 AND org_code = $3 AND respondent_key = $4",
        )
        .bind(year)
        .bind(part.code())
        .bind(org)
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?;
        let own_before = match &own {
            Some((s,)) => status_of(s)?,
            None => Status::EjPaborjad,
        };
        let own_after = own_before.after(event).map_err(|e| StorageError::Conflict(e.to_string()))?;
        let org_after = match event {
            Event::Submit => Status::Inskickad,
            _ if org_before == Status::EjPaborjad => Status::Utkast,
            _ => org_before,
        };
        let now = now_text();
        let json_text = tolkning::answers_to_text(answers);
        sqlx::query(
            "INSERT INTO round_response (year, part, org_code, respondent_key, answers_json, status, updated_at, updated_by, submitted_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $6 = 'inskickad' THEN $7 ELSE NULL END)
             ON CONFLICT (year, part, org_code, respondent_key) DO UPDATE SET
               answers_json = excluded.answers_json, status = excluded.status, updated_at = excluded.updated_at,
               updated_by = excluded.updated_by,
               submitted_at = CASE WHEN excluded.status = 'inskickad' THEN excluded.updated_at ELSE round_response.submitted_at END",
        )
        .bind(year)
        .bind(part.code())
        .bind(org)
        .bind(key)
        .bind(&json_text)
        .bind(if own_after == Status::Inskickad { "inskickad" } else if own_after == Status::Ateroppnad { "ateroppnad" } else { "utkast" })
        .bind(&now)
        .bind(&actor.username)
        .execute(&mut *tx)
        .await?;
        tx.record(Entry {
            action: if event == Event::Submit { Action::Submit } else { Action::SaveDraft },
            entity: Entity::Answer,
            entity_id: &format!("{year}/{}/{org}/{key}", part.code()),
            before: Some(json!({"status": own_before.code()})),
            after: Some(json!({"status": own_after.code(), "svar": answers})),
        })
        .await?;
        write_status(tx.tx(), year, part, org, org_before, org_after, "", actor).await?;
        tx.finish().await?;
        Ok(own_after)
    }
}

fn response_from_row(r: &crate::db::DbRow) -> Result<ResponseRow> {
    let text: String = r.get("answers_json");
    Ok(ResponseRow {
        id: r.get("id"),
        year: r.get::<i64, _>("year") as i32,
        part: part_of(r.get("part"))?,
        org_code: r.get("org_code"),
        respondent_key: r.get("respondent_key"),
        answers: tolkning::answers_from_text(&text).map_err(|e| StorageError::Corrupt(e.to_string()))?,
        status: status_of(r.get("status"))?,
        updated_at: r.get("updated_at"),
        submitted_at: r.get("submitted_at"),
    })
}

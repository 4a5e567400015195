//! Questionnaire definitions: the shipped standard forms and an admin's own versions, and the
//! form a round uses for a part (with the county profile's sub-goals).

use super::*;

impl Db {
    /// Installs the shipped standard forms ([`gnv_core::rapportering::formular::STANDARD_FORMS`]:
    /// self-assessment version 1, mapping versions 1 and 2) that are missing. A version number
    /// already taken (e.g. by an admin's own form) is left as it is. New rounds take the newest
    /// version; rounds already opened keep theirs. Each installed form gets an audit entry.
    pub async fn ensure_standard_forms(&self) -> Result<()> {
        let server = Actor::server();
        let mut tx = self.audited_write(&server).await?;
        for (part, version, text) in gnv_core::rapportering::formular::STANDARD_FORMS {
            let inserted = sqlx::query(
                "INSERT INTO form_definition (part, version, toml, created_at, created_by)
                 VALUES ($1, $2, $3, $4, 'standard') ON CONFLICT (part, version) DO NOTHING",
            )
            .bind(part.code())
            .bind(i64::from(version))
            .bind(text)
            .bind(now_text())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted > 0 {
                tx.record(Entry {
                    action: Action::InstallDefaultForm,
                    entity: Entity::Form,
                    entity_id: &format!("{}/{version}", part.code()),
                    before: None,
                    after: Some(json!({ "version": version })),
                })
                .await?;
            }
        }
        tx.finish().await?;
        Ok(())
    }

    /// Stores a new version of a questionnaire definition (admins edit forms this way). The
    /// version must be higher than every stored version of the part.
    pub async fn add_form_definition(&self, text: &str, actor: &Actor) -> Result<FormDefinition> {
        let def = FormDefinition::parse(text).map_err(|e| StorageError::Invalid(e.to_string()))?;
        let part = def.part().ok_or_else(|| StorageError::Invalid("Okänd del.".into()))?;
        let mut tx = self.audited_write(actor).await?;
        let (max,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(version) FROM form_definition WHERE part = $1")
                .bind(part.code())
                .fetch_one(&mut *tx)
                .await?;
        if i64::from(def.version) <= max.unwrap_or(0) {
            return Err(StorageError::Invalid(format!(
                "Versionen måste vara högre än {} (den senaste för {}).",
                max.unwrap_or(0),
                part.label()
            )));
        }
        sqlx::query("INSERT INTO form_definition (part, version, toml, created_at, created_by) VALUES ($1, $2, $3, $4, $5)")
            .bind(part.code())
            .bind(i64::from(def.version))
            .bind(text)
            .bind(now_text())
            .bind(&actor.username)
            .execute(&mut *tx)
            .await?;
        tx.commit(Entry {
            action: Action::Create,
            entity: Entity::Form,
            entity_id: &format!("{}/{}", part.code(), def.version),
            before: None,
            after: Some(json!({"titel": def.titel})),
        })
        .await?;
        Ok(def)
    }

    /// A stored definition; version 0 means the newest.
    pub async fn form_definition(&self, part: Part, version: i64) -> Result<Option<FormDefinition>> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT toml FROM form_definition WHERE part = $1 AND ($2 = 0 OR version = $2)
             ORDER BY version DESC LIMIT 1",
        )
        .bind(part.code())
        .bind(version)
        .fetch_optional(self.pool())
        .await?;
        self.form_for_county(row.map(|(t,)| parsed_form(&t)).transpose()?).await
    }

    /// A stored form as answered in this county: template groups repeated for each sub-goal of
    /// the county profile ([`FormDefinition::with_subgoals`]).
    async fn form_for_county(&self, def: Option<FormDefinition>) -> Result<Option<FormDefinition>> {
        match def {
            Some(d) if d.grupp.iter().any(|g| g.per_delmal) => {
                Ok(Some(d.with_subgoals(&self.subgoals().await?)))
            }
            other => Ok(other),
        }
    }

    /// All stored definitions: (part, version, created_at, created_by).
    pub async fn form_definitions(&self) -> Result<Vec<(String, i64, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT part, version, created_at, created_by FROM form_definition ORDER BY part, version DESC",
        )
        .fetch_all(self.pool())
        .await?)
    }

    /// The form a round uses for a part (none when the round has no such part or the part has
    /// no form, `form_version` 0). One query; the definition is parsed once per text.
    pub async fn round_form(&self, year: i32, part: Part) -> Result<Option<FormDefinition>> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT f.toml FROM round_part p
             JOIN form_definition f ON f.part = p.part AND f.version = p.form_version
             WHERE p.year = $1 AND p.part = $2 AND p.form_version > 0",
        )
        .bind(year)
        .bind(part.code())
        .fetch_optional(self.pool())
        .await?;
        self.form_for_county(row.map(|(t,)| parsed_form(&t)).transpose()?).await
    }
}

//! Kommunenkät answers per municipality and year, with draft/submitted status, and the
//! compilation of a year's submitted answers.
//!
//! Status note: the reporting-round engine (issue 4) will own the status of each part of a round
//! per organisation. Until it is merged, the status of this part lives in this module's own
//! table and is read and written only through [`Db::kommunenkat_status`] and
//! [`Db::set_kommunenkat_status_in_tx`], which also mirrors it into the reporting round's
//! assignment (`rapportering::mirror_part_status_tx`) so the round's status page agrees.

use crate::audit::{self, Actor, Entry};
use crate::db::Tx;
use crate::{now_text, Db, Result, StorageError};
use gnv_core::kommunenkat::{compile, AnswerSet, MunicipalAnswer, SurveyCompilation};
use gnv_core::rapportering::Part;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// Status of one municipality's part (kommunenkät or ekonomisk redovisning) in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartStatus {
    /// Nothing saved yet ("ej påbörjad").
    NotStarted,
    /// Saved as a draft ("utkast"); not compiled.
    Draft,
    /// Submitted ("inskickad"); compiled.
    Submitted,
    /// Re-opened by RSS after submission ("återöppnad"); editable again, not compiled until
    /// submitted anew.
    Reopened,
}

impl PartStatus {
    /// Swedish label.
    pub fn label(self) -> &'static str {
        match self {
            PartStatus::NotStarted => "Ej påbörjad",
            PartStatus::Draft => "Utkast",
            PartStatus::Submitted => "Inskickad",
            PartStatus::Reopened => "Återöppnad",
        }
    }

    /// CSS badge colour (the label is always shown too).
    pub fn badge(self) -> &'static str {
        match self {
            PartStatus::NotStarted => "grey",
            PartStatus::Draft => "yellow",
            PartStatus::Submitted => "green",
            PartStatus::Reopened => "yellow",
        }
    }

    /// Whether the part is submitted.
    pub fn is_submitted(self) -> bool {
        self == PartStatus::Submitted
    }

    /// The same status in the reporting-round engine's terms.
    pub fn round_status(self) -> gnv_core::rapportering::Status {
        use gnv_core::rapportering::Status;
        match self {
            PartStatus::NotStarted => Status::EjPaborjad,
            PartStatus::Draft => Status::Utkast,
            PartStatus::Submitted => Status::Inskickad,
            PartStatus::Reopened => Status::Ateroppnad,
        }
    }

    pub(crate) fn as_db(self) -> &'static str {
        match self {
            PartStatus::Submitted => "inskickad",
            PartStatus::Reopened => "återöppnad",
            _ => "utkast",
        }
    }

    pub(crate) fn from_db(s: &str) -> PartStatus {
        match s {
            "inskickad" => PartStatus::Submitted,
            "återöppnad" => PartStatus::Reopened,
            "utkast" => PartStatus::Draft,
            _ => PartStatus::NotStarted,
        }
    }
}

/// A stored answer with its status.
#[derive(Debug, Clone, Serialize)]
pub struct StoredAnswer {
    pub answer: MunicipalAnswer,
    pub status: PartStatus,
    pub updated_at: String,
    pub updated_by: String,
    pub submitted_at: Option<String>,
}

fn answer_from_row(r: &crate::db::DbRow) -> Result<StoredAnswer> {
    let json: String = r.get("answer_json");
    let answer: MunicipalAnswer = serde_json::from_str(&json)
        .map_err(|e| StorageError::Invalid(format!("Ett sparat enkätsvar kunde inte läsas: {e}")))?;
    Ok(StoredAnswer {
        answer,
        status: PartStatus::from_db(r.get::<String, _>("status").as_str()),
        updated_at: r.get("updated_at"),
        updated_by: r.get("updated_by"),
        submitted_at: r.get("submitted_at"),
    })
}

impl Db {
    /// The kommunenkät status of a municipality in a year (the one place to switch to the
    /// reporting-round engine's `round_part_status`).
    pub async fn kommunenkat_status(&self, year: i32, municipality: &str) -> Result<PartStatus> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT status FROM survey_answer WHERE year = $1 AND municipality_code = $2")
                .bind(year)
                .bind(municipality)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map(|r| PartStatus::from_db(&r.0)).unwrap_or(PartStatus::NotStarted))
    }

    /// Writes the status inside a transaction (the one place to switch to the round engine's
    /// `set_round_part_status`). The status column lives on the answer row here.
    async fn set_kommunenkat_status_in_tx(
        tx: &mut Tx<'_>,
        year: i32,
        municipality: &str,
        status: PartStatus,
        actor: &Actor,
    ) -> Result<()> {
        let submitted_at = (status == PartStatus::Submitted).then(now_text);
        sqlx::query(
            "UPDATE survey_answer SET status = $1, submitted_at = COALESCE($2, submitted_at)
             WHERE year = $3 AND municipality_code = $4",
        )
        .bind(status.as_db())
        .bind(submitted_at)
        .bind(year)
        .bind(municipality)
        .execute(&mut **tx)
        .await?;
        crate::rapportering::mirror_part_status_tx(
            tx,
            year,
            Part::Kommunenkat,
            municipality,
            status.round_status(),
            actor,
        )
        .await
    }

    /// One municipality's answer of a year.
    pub async fn survey_answer(&self, year: i32, municipality: &str) -> Result<Option<StoredAnswer>> {
        let row = sqlx::query(
            "SELECT answer_json, status, updated_at, updated_by, submitted_at FROM survey_answer
             WHERE year = $1 AND municipality_code = $2",
        )
        .bind(year)
        .bind(municipality)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(answer_from_row).transpose()
    }

    /// All answers of a year (drafts and submitted), by municipality code.
    pub async fn survey_answers(&self, year: i32) -> Result<Vec<StoredAnswer>> {
        let rows = sqlx::query(
            "SELECT answer_json, status, updated_at, updated_by, submitted_at FROM survey_answer
             WHERE year = $1 ORDER BY municipality_code",
        )
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(answer_from_row).collect()
    }

    /// Years with at least one answer, newest first.
    pub async fn survey_years(&self) -> Result<Vec<i32>> {
        let rows: Vec<(i64,)> = sqlx::query_as("SELECT DISTINCT year FROM survey_answer ORDER BY year DESC")
            .fetch_all(self.pool())
            .await?;
        Ok(rows.into_iter().map(|r| r.0 as i32).collect())
    }

    /// Saves an answer as a draft or submits it, with an audit entry, in one transaction.
    /// A submitted answer can only be changed by an admin (`may_change_submitted`); others get
    /// a conflict and nothing changes.
    pub async fn save_survey_answer(
        &self,
        answer: &MunicipalAnswer,
        submit: bool,
        may_change_submitted: bool,
        actor: &Actor,
    ) -> Result<()> {
        let before = self.survey_answer(answer.year, &answer.municipality_code).await?;
        if let Some(b) = &before {
            if b.status == PartStatus::Submitted && !may_change_submitted {
                return Err(StorageError::Conflict(
                    "Svaret är redan inskickat och kan inte ändras. Kontakta RSS om något behöver rättas."
                        .into(),
                ));
            }
        }
        let json = serde_json::to_string(answer)
            .map_err(|e| StorageError::Invalid(format!("Svaret kunde inte sparas: {e}")))?;
        let now = now_text();
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO survey_answer (year, municipality_code, answer_json, status, updated_at, updated_by)
             VALUES ($1, $2, $3, 'utkast', $4, $5)
             ON CONFLICT (year, municipality_code) DO UPDATE SET answer_json = excluded.answer_json,
               updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(answer.year)
        .bind(&answer.municipality_code)
        .bind(&json)
        .bind(&now)
        .bind(&actor.username)
        .execute(&mut *tx)
        .await?;
        let status = if submit {
            PartStatus::Submitted
        } else {
            // Saving a draft of an already submitted answer (admin) keeps it submitted.
            before
                .as_ref()
                .map(|b| b.status)
                .filter(|s| *s == PartStatus::Submitted)
                .unwrap_or(PartStatus::Draft)
        };
        Self::set_kommunenkat_status_in_tx(&mut tx, answer.year, &answer.municipality_code, status, actor)
            .await?;
        audit::record(
            &mut tx,
            actor,
            Entry {
                action: if submit { "skicka_in" } else { "spara_utkast" },
                entity: "kommunenkat",
                entity_id: &format!("{}/{}", answer.year, answer.municipality_code),
                before: before.map(|b| json!({"status": b.status.label(), "svar": b.answer})),
                after: Some(json!({"status": status.label(), "svar": answer})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Re-opens a submitted answer (admin): it becomes editable again ("återöppnad") and leaves
    /// the compilation until submitted anew.
    pub async fn reopen_survey_answer(&self, year: i32, municipality: &str, actor: &Actor) -> Result<()> {
        let before = self
            .survey_answer(year, municipality)
            .await?
            .ok_or_else(|| StorageError::NotFound("Det finns inget svar att återöppna.".into()))?;
        let mut tx = self.pool().begin().await?;
        Self::set_kommunenkat_status_in_tx(&mut tx, year, municipality, PartStatus::Reopened, actor).await?;
        audit::record(
            &mut tx,
            actor,
            Entry {
                action: "ateroppna",
                entity: "kommunenkat",
                entity_id: &format!("{year}/{municipality}"),
                before: Some(json!({"status": before.status.label()})),
                after: Some(json!({"status": PartStatus::Reopened.label()})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The compilation of a year's submitted answers (drafts are not compiled).
    pub async fn kommunenkat_compilation(&self, year: i32) -> Result<SurveyCompilation> {
        let registry = self.registry().await?;
        let answers: Vec<MunicipalAnswer> = self
            .survey_answers(year)
            .await?
            .into_iter()
            .filter(|a| a.status == PartStatus::Submitted)
            // Answers of municipalities no longer in the registry are left out of the compilation.
            .filter(|a| registry.municipalities.iter().any(|m| m.code == a.answer.municipality_code))
            .map(|a| a.answer)
            .collect();
        let set =
            AnswerSet::new(&registry, year, answers).map_err(|e| StorageError::Invalid(e.to_string()))?;
        Ok(compile(&registry, &set))
    }
}

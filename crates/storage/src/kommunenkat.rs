//! Kommunenkät answers per municipality and year, and the compilation of a year's submitted
//! answers.
//!
//! The status of a municipality's answer is the reporting-round engine's (`round_assignment`,
//! [`gnv_core::rapportering::Status`]): saving and submitting go through
//! [`crate::omgang::respondent_gate_tx`] and [`crate::rapportering::write_status`] inside this
//! module's own write transaction, so the check and the write are one transaction; reopening is
//! the engine's [`Db::reopen_part`]. Only submitted answers are compiled.

use crate::audit::{Action, Actor, Entity, Entry};
use crate::rapportering::DataWarning;
use crate::{now_text, Db, Result, StorageError};
use gnv_core::kommunenkat::{compile, AnswerSet, MunicipalAnswer, SurveyCompilation};
use gnv_core::rapportering::{Event, Part, Status};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// A stored answer with its status.
#[derive(Debug, Clone, Serialize)]
pub struct StoredAnswer {
    pub answer: MunicipalAnswer,
    pub status: Status,
    pub updated_at: String,
    pub updated_by: String,
    pub submitted_at: Option<String>,
}

const ANSWER_SELECT: &str = "SELECT s.year, s.municipality_code, s.answer_json, s.updated_at, s.updated_by,
       COALESCE(a.status, 'ej_paborjad') AS status, a.submitted_at
     FROM survey_answer s
     LEFT JOIN round_assignment a ON a.year = s.year AND a.part = 'kommunenkat'
       AND a.org_code = s.municipality_code";

fn answer_from_row(r: &crate::db::DbRow) -> Result<StoredAnswer> {
    let json: String = r.get("answer_json");
    let answer: MunicipalAnswer = serde_json::from_str(&json)
        .map_err(|e| StorageError::Corrupt(format!("Ett sparat enkätsvar kunde inte läsas: {e}")))?;
    let status: String = r.get("status");
    Ok(StoredAnswer {
        answer,
        status: Status::parse(&status)
            .ok_or_else(|| StorageError::Corrupt(format!("Okänd status {status} i databasen.")))?,
        updated_at: r.get("updated_at"),
        updated_by: r.get("updated_by"),
        submitted_at: r.get("submitted_at"),
    })
}

impl Db {
    /// The kommunenkät status of a municipality in a year (the round engine's; "ej påbörjad" when
    /// the year's round does not carry the part).
    pub async fn kommunenkat_status(&self, year: i32, municipality: &str) -> Result<Status> {
        match self.round_part_status(year, Part::Kommunenkat, municipality).await {
            Ok(s) => Ok(s),
            Err(StorageError::NotFound(_)) => Ok(Status::EjPaborjad),
            Err(e) => Err(e),
        }
    }

    /// One municipality's answer of a year.
    pub async fn survey_answer(&self, year: i32, municipality: &str) -> Result<Option<StoredAnswer>> {
        let row = sqlx::query(&format!("{ANSWER_SELECT} WHERE s.year = $1 AND s.municipality_code = $2"))
            .bind(year)
            .bind(municipality)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(answer_from_row).transpose()
    }

    /// All answers of a year (drafts and submitted), by municipality code. Fails on a damaged
    /// row; the compilation uses [`Db::survey_answers_checked`].
    pub async fn survey_answers(&self, year: i32) -> Result<Vec<StoredAnswer>> {
        let rows = sqlx::query(&format!("{ANSWER_SELECT} WHERE s.year = $1 ORDER BY s.municipality_code"))
            .bind(year)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(answer_from_row).collect()
    }

    /// All answers of a year that can be read, and a warning for each one that cannot.
    pub async fn survey_answers_checked(&self, year: i32) -> Result<(Vec<StoredAnswer>, Vec<DataWarning>)> {
        let registry = self.registry().await?;
        let rows = sqlx::query(&format!("{ANSWER_SELECT} WHERE s.year = $1 ORDER BY s.municipality_code"))
            .bind(year)
            .fetch_all(self.pool())
            .await?;
        let mut ok = Vec::new();
        let mut warnings = Vec::new();
        for r in &rows {
            match answer_from_row(r) {
                Ok(a) => ok.push(a),
                Err(e) => {
                    let org: String = r.try_get("municipality_code").unwrap_or_default();
                    tracing::warn!(year, org = %org, error = %e, "stored survey answer left out");
                    warnings.push(DataWarning::new(&registry, year, Part::Kommunenkat, &org, &e.to_string()));
                }
            }
        }
        Ok((ok, warnings))
    }

    /// Years with at least one answer, newest first.
    pub async fn survey_years(&self) -> Result<Vec<i32>> {
        let rows: Vec<(i64,)> = sqlx::query_as("SELECT DISTINCT year FROM survey_answer ORDER BY year DESC")
            .fetch_all(self.pool())
            .await?;
        Ok(rows.into_iter().map(|r| r.0 as i32).collect())
    }

    /// Saves an answer as a draft or submits it, with audit entries, in one write transaction
    /// that also checks and moves the round engine's status.
    ///
    /// A respondent may write only while the round is open or after an admin reopened the
    /// municipality's part, and never change a submitted answer (`Conflict`s with Swedish
    /// messages). An admin (`admin`) may correct any answer, also a submitted one in a closed
    /// round (the change is audited and, after closing, shows as "ändrat efter stängning"); for a
    /// year without a round, the admin's answer creates that year's round as a closed round.
    pub async fn save_survey_answer(
        &self,
        answer: &MunicipalAnswer,
        submit: bool,
        admin: bool,
        actor: &Actor,
    ) -> Result<()> {
        let (year, code) = (answer.year, answer.municipality_code.as_str());
        let json = serde_json::to_string(answer)
            .map_err(|e| StorageError::Internal(format!("Svaret kunde inte sparas: {e}")))?;
        let registry = if admin { Some(self.registry().await?) } else { None };
        let mut tx = self.audited_write(actor).await?;
        let before = if let Some(registry) = &registry {
            crate::omgang::ensure_round_part_tx(tx.tx(), year, Part::Kommunenkat, registry, actor).await?;
            crate::rapportering::assignment_status(tx.tx(), year, Part::Kommunenkat, code).await?
        } else {
            crate::omgang::respondent_gate_tx(tx.tx(), year, Part::Kommunenkat, code).await?
        };
        let after = match (submit, before) {
            (true, Status::Inskickad) if admin => Status::Inskickad,
            (false, Status::Inskickad) if admin => Status::Inskickad,
            (true, s) => s.after(Event::Submit).map_err(|e| StorageError::Conflict(e.to_string()))?,
            (false, s) => s.after(Event::SaveDraft).map_err(|e| StorageError::Conflict(e.to_string()))?,
        };
        let old: Option<(String,)> = sqlx::query_as(
            "SELECT answer_json FROM survey_answer WHERE year = $1 AND municipality_code = $2",
        )
        .bind(year)
        .bind(code)
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO survey_answer (year, municipality_code, answer_json, updated_at, updated_by)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (year, municipality_code) DO UPDATE SET answer_json = excluded.answer_json,
               updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(year)
        .bind(code)
        .bind(&json)
        .bind(now_text())
        .bind(&actor.username)
        .execute(&mut *tx)
        .await?;
        tx.record(Entry {
            action: if submit { Action::Submit } else { Action::SaveDraft },
            entity: Entity::Survey,
            entity_id: &format!("{year}/{code}"),
            before: Some(json!({
                "status": before.code(),
                "svar": old.and_then(|(t,)| serde_json::from_str::<serde_json::Value>(&t).ok()),
            })),
            after: Some(json!({"status": after.code(), "svar": answer})),
        })
        .await?;
        crate::rapportering::write_status(tx.tx(), year, Part::Kommunenkat, code, before, after, "", actor)
            .await?;
        tx.finish().await?;
        Ok(())
    }

    /// Reopens a submitted answer (admin) with a reason: the round engine's reopening
    /// ([`Db::reopen_part`]); the answer leaves the compilation until submitted anew.
    pub async fn reopen_survey_answer(
        &self,
        year: i32,
        municipality: &str,
        reason: &str,
        actor: &Actor,
    ) -> Result<()> {
        self.reopen_part(year, Part::Kommunenkat, municipality, reason, actor).await
    }

    /// The compilation of a year's submitted answers (drafts are not compiled).
    pub async fn kommunenkat_compilation(&self, year: i32) -> Result<SurveyCompilation> {
        Ok(self.kommunenkat_compilation_checked(year).await?.0)
    }

    /// The compilation and a warning for each stored answer left out because it cannot be read.
    pub async fn kommunenkat_compilation_checked(
        &self,
        year: i32,
    ) -> Result<(SurveyCompilation, Vec<DataWarning>)> {
        let registry = self.registry().await?;
        let (stored, warnings) = self.survey_answers_checked(year).await?;
        let answers: Vec<MunicipalAnswer> = stored
            .into_iter()
            .filter(|a| a.status == Status::Inskickad)
            // Answers of municipalities no longer in the registry are left out of the compilation.
            .filter(|a| registry.municipalities.iter().any(|m| m.code == a.answer.municipality_code))
            .map(|a| a.answer)
            .collect();
        let set =
            AnswerSet::new(&registry, year, answers).map_err(|e| StorageError::Corrupt(e.to_string()))?;
        Ok((compile(&registry, &set), warnings))
    }
}

/// The JSON summary of a year's kommunenkät: the compilation plus the development-potential
/// sentence and the status of every municipality (shared by the API and `gnv round summary`).
#[derive(Serialize, schemars::JsonSchema)]
#[schemars(rename = "KommunenkatSummary")]
pub struct KommunenkatSummary {
    #[serde(flatten)]
    pub compilation: SurveyCompilation,
    pub development_potential_text: Option<String>,
    pub statuses: Vec<MunicipalityPartStatus>,
}

/// One municipality's status in a part of the round.
#[derive(Serialize, schemars::JsonSchema)]
#[schemars(rename = "MunicipalityPartStatus")]
pub struct MunicipalityPartStatus {
    pub code: String,
    pub name: String,
    pub status: Status,
}

impl Db {
    /// The JSON summary of a year's kommunenkät (see [`KommunenkatSummary`]).
    pub async fn kommunenkat_summary(&self, year: i32) -> Result<KommunenkatSummary> {
        let compilation = self.kommunenkat_compilation(year).await?;
        let mut statuses = Vec::new();
        for m in &compilation.municipalities {
            statuses.push(MunicipalityPartStatus {
                code: m.code.clone(),
                name: m.name.clone(),
                status: self.kommunenkat_status(year, &m.code).await?,
            });
        }
        Ok(KommunenkatSummary {
            development_potential_text: compilation.development_potential_text(),
            compilation,
            statuses,
        })
    }
}

//! Imported earlier self-assessments (history) and the compiled self-assessment and mapping
//! rounds the analyses and the annual report read, with warnings for answers that cannot be
//! read.

use super::*;

impl Db {
    /// Replaces the imported earlier self-assessments of every year in `rounds` (all or nothing).
    /// Refused for a year whose reporting round already has submitted self-assessments.
    pub async fn import_sjalvskattning_history(&self, rounds: &[Round], actor: &Actor) -> Result<usize> {
        let mut tx = self.audited_write(actor).await?;
        let now = now_text();
        let mut count = 0usize;
        for round in rounds {
            let (live,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM round_response WHERE year = $1 AND part = 'sjalvskattning' AND status = 'inskickad'",
            )
            .bind(round.year)
            .fetch_one(&mut *tx)
            .await?;
            if live > 0 {
                return Err(StorageError::Conflict(format!(
                    "{} har redan inskickade självskattningar i systemet; historik kan bara importeras för tidigare år.",
                    round.year
                )));
            }
            sqlx::query("DELETE FROM sjalvskattning_history WHERE year = $1")
                .bind(round.year)
                .execute(&mut *tx)
                .await?;
            let mut row_no = 0i64;
            for r in &round.results {
                let rows: Vec<HistoryRow> = if r.respondents.is_empty() {
                    vec![(
                        String::new(),
                        String::new(),
                        None,
                        r.values.iter().map(|v| v.map(score_text)).collect(),
                        r.applied_table,
                    )]
                } else {
                    r.respondents
                        .iter()
                        .map(|p| {
                            (
                                p.respondent.clone(),
                                p.role.clone(),
                                p.perspective,
                                p.ratings.iter().map(|v| v.map(|v| v.to_string())).collect(),
                                p.applied_table,
                            )
                        })
                        .collect()
                };
                for (respondent, role, perspective, values, applied) in rows {
                    if values.len() > HISTORY_COLUMNS.len() {
                        return Err(StorageError::Invalid(format!(
                            "Högst {} delmål kan sparas; underlaget har {}.",
                            HISTORY_COLUMNS.len(),
                            values.len()
                        )));
                    }
                    let value = |i: usize| values.get(i).cloned().flatten();
                    row_no += 1;
                    sqlx::query(
                        "INSERT INTO sjalvskattning_history (year, row_no, lsl, respondent, role, perspective, v1, v2, v3, v4, v5, v6, v7, v8, v9, applied, imported_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
                    )
                    .bind(round.year)
                    .bind(row_no)
                    .bind(&r.lsl)
                    .bind(if respondent.is_empty() && !r.respondents.is_empty() { "(okänd)".to_string() } else { respondent })
                    .bind(role)
                    .bind(perspective.map(|p| p.code()))
                    .bind(value(0))
                    .bind(value(1))
                    .bind(value(2))
                    .bind(value(3))
                    .bind(value(4))
                    .bind(value(5))
                    .bind(value(6))
                    .bind(value(7))
                    .bind(value(8))
                    .bind(applied.map(i64::from))
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?;
                    count += 1;
                }
            }
            tx.record(Entry {
                action: Action::Import,
                entity: Entity::SelfAssessmentHistory,
                entity_id: &round.year.to_string(),
                before: None,
                after: Some(json!({"lokala_systemledningar": round.results.len()})),
            })
            .await?;
        }
        tx.finish().await?;
        Ok(count)
    }

    /// Years with imported self-assessment history.
    pub async fn sjalvskattning_history_years(&self) -> Result<Vec<i32>> {
        let rows: Vec<(i64,)> =
            sqlx::query_as("SELECT DISTINCT year FROM sjalvskattning_history ORDER BY year")
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().map(|r| r.0 as i32).collect())
    }

    /// The consolidated self-assessment rounds of every year up to `up_to` that has data:
    /// submitted responses of reporting rounds plus imported history, oldest first. A stored
    /// answer that does not read is left out and logged (see [`Db::sjalvskattning_rounds_checked`]).
    pub async fn sjalvskattning_rounds(&self, registry: &Registry, up_to: i32) -> Result<Vec<Round>> {
        Ok(self.sjalvskattning_rounds_checked(registry, up_to).await?.0)
    }

    /// [`Db::sjalvskattning_rounds`] with a warning for every stored answer left out because it
    /// could not be read (the compilation page and the report show them).
    pub async fn sjalvskattning_rounds_checked(
        &self,
        registry: &Registry,
        up_to: i32,
    ) -> Result<(Vec<Round>, Vec<DataWarning>)> {
        let subgoals = self.subgoals().await?;
        let mut years: Vec<i32> = self.sjalvskattning_history_years().await?;
        let live: Vec<(i64,)> = sqlx::query_as(
            "SELECT DISTINCT year FROM round_response WHERE part = 'sjalvskattning' AND status = 'inskickad'",
        )
        .fetch_all(self.pool())
        .await?;
        years.extend(live.into_iter().map(|r| r.0 as i32));
        years.retain(|y| *y <= up_to);
        years.sort_unstable();
        years.dedup();
        let ctx = ReadContext { registry, subgoals: &subgoals };
        let mut out = Vec::new();
        let mut warnings = Vec::new();
        for year in years {
            let def = self.round_form(year, Part::Sjalvskattning).await?;
            let scale = def.as_ref().map(FormDefinition::scale).unwrap_or_default();
            let mut answers = Vec::new();
            let (rows, unreadable) = self.responses_checked(year, Part::Sjalvskattning).await?;
            for (org, e) in unreadable {
                warnings.push(DataWarning::new(registry, year, Part::Sjalvskattning, &org, &e));
            }
            for r in rows {
                if r.status != Status::Inskickad {
                    continue;
                }
                let Some(def) = &def else { continue };
                match tolkning::read_sjalvskattning(def, &r.answers, &r.org_code, &ctx) {
                    Ok(a) => answers.push(a),
                    Err(e) => {
                        tracing::warn!(year, org = %r.org_code, error = %e, "stored self-assessment left out");
                        warnings.push(DataWarning::new(
                            registry,
                            year,
                            Part::Sjalvskattning,
                            &r.org_code,
                            &e.to_string(),
                        ));
                    }
                }
            }
            let (hist_answers, consolidated) = self.history_of(year, &Scale::default()).await?;
            answers.extend(hist_answers);
            let round = Round::new(year, scale, answers, consolidated)
                .map_err(|e| StorageError::Corrupt(e.to_string()))?;
            out.push(round);
        }
        Ok((out, warnings))
    }

    async fn history_of(
        &self,
        year: i32,
        scale: &Scale,
    ) -> Result<(Vec<IndividualAnswer>, Vec<ConsolidatedEntry>)> {
        let count = self.subgoals().await?.len().min(HISTORY_COLUMNS.len());
        let rows = sqlx::query(
            "SELECT lsl, respondent, role, perspective, v1, v2, v3, v4, v5, v6, v7, v8, v9, applied FROM sjalvskattning_history
             WHERE year = $1 ORDER BY row_no",
        )
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        let mut answers = Vec::new();
        let mut consolidated = Vec::new();
        for r in rows {
            let values: Vec<Option<String>> = HISTORY_COLUMNS.iter().take(count).map(|c| r.get(*c)).collect();
            let applied: Option<i64> = r.get("applied");
            let respondent: String = r.get("respondent");
            let lsl: String = r.get("lsl");
            if respondent.is_empty() {
                let mut vals = vec![None; count];
                for (i, v) in values.iter().enumerate() {
                    vals[i] = match v {
                        Some(t) => Some(Score::parse(t).map_err(|e| StorageError::Corrupt(e.to_string()))?),
                        None => None,
                    };
                }
                consolidated.push(ConsolidatedEntry {
                    lsl,
                    values: vals,
                    applied_table: applied.map(|a| a != 0),
                });
            } else {
                let mut ratings = vec![None; count];
                for (i, v) in values.iter().enumerate() {
                    ratings[i] =
                        v.as_deref().and_then(|t| t.parse::<u8>().ok()).and_then(|n| scale.rating(n));
                }
                let perspective: Option<String> = r.get("perspective");
                answers.push(IndividualAnswer {
                    lsl,
                    respondent,
                    role: r.get("role"),
                    perspective: perspective.as_deref().and_then(Perspective::parse),
                    ratings,
                    applied_table: applied.map(|a| a != 0),
                    reflections: vec![String::new(); count],
                });
            }
        }
        Ok((answers, consolidated))
    }

    /// The mapping round of `year` from submitted responses (`None` when the round has no
    /// mapping part). A stored answer that does not read is left out and logged.
    pub async fn kartlaggning_round(
        &self,
        year: i32,
        registry: &Registry,
    ) -> Result<Option<gnv_core::kartlaggning::MappingRound>> {
        Ok(self.kartlaggning_round_checked(year, registry).await?.0)
    }

    /// [`Db::kartlaggning_round`] with a warning for every stored answer left out because it
    /// could not be read: one answer never fails the page, the API summary or the report.
    pub async fn kartlaggning_round_checked(
        &self,
        year: i32,
        registry: &Registry,
    ) -> Result<(Option<gnv_core::kartlaggning::MappingRound>, Vec<DataWarning>)> {
        let Some(def) = self.round_form(year, Part::Kartlaggning).await? else {
            return Ok((None, Vec::new()));
        };
        let subgoals = self.subgoals().await?;
        let ctx = ReadContext { registry, subgoals: &subgoals };
        let mut answers = Vec::new();
        let (rows, unreadable) = self.responses_checked(year, Part::Kartlaggning).await?;
        let mut warnings: Vec<DataWarning> = unreadable
            .iter()
            .map(|(org, e)| DataWarning::new(registry, year, Part::Kartlaggning, org, e))
            .collect();
        for r in rows {
            if r.status != Status::Inskickad {
                continue;
            }
            match tolkning::read_kartlaggning(&def, &r.answers, &r.org_code, &ctx) {
                Ok(a) => answers.push(a),
                Err(e) => {
                    tracing::warn!(year, org = %r.org_code, error = %e, "stored mapping answer left out");
                    warnings.push(DataWarning::new(
                        registry,
                        year,
                        Part::Kartlaggning,
                        &r.org_code,
                        &e.to_string(),
                    ));
                }
            }
        }
        let round = gnv_core::kartlaggning::MappingRound::new(year, answers)
            .map_err(|e| StorageError::Corrupt(e.to_string()))?;
        Ok((Some(round), warnings))
    }
}

/// (respondent, role, perspective, values, applied table) of one stored history row.
type HistoryRow = (String, String, Option<Perspective>, Vec<Option<String>>, Option<bool>);

/// The rating columns of `sjalvskattning_history` (sub-goals 1–9, migration `0014`).
const HISTORY_COLUMNS: [&str; 9] = ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"];

fn score_text(s: Score) -> String {
    // At most two decimals for imported values, so the Swedish text is exact.
    s.to_string()
}

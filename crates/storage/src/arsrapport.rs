//! The annual report: analyst narratives per (year, section), published reports (frozen input
//! and output files with SHA-256 checksums), and [`Db::assemble_report`], which collects each
//! module's stored results into a [`ReportInput`].
//!
//! Publishing is once per year and final: the frozen input JSON is what the files were generated
//! from, so the report can be regenerated with the same content after the modules' data change.

use crate::audit::{self, Actor, Entry};
use crate::{now_text, Db, Result, StorageError};
use gnv_report::ReportInput;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// A published report's metadata.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Publication {
    pub year: i32,
    pub published_at: String,
    pub published_by: String,
    pub input_sha256: String,
    /// (format, sha256, size in bytes), ordered pdf, docx, html.
    pub files: Vec<PublishedFile>,
}

/// One output file of a published report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PublishedFile {
    pub format: String,
    pub sha256: String,
    pub size: i64,
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn format_order(f: &str) -> usize {
    ["pdf", "docx", "html"].iter().position(|x| *x == f).unwrap_or(9)
}

impl Db {
    /// The narratives of a report year: section key → Markdown.
    pub async fn report_narratives(&self, year: i32) -> Result<BTreeMap<String, String>> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT section, body FROM report_narrative WHERE year = $1 ORDER BY section")
                .bind(year)
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().collect())
    }

    /// Saves (or with an empty body removes) the narrative of one section. Refused for a
    /// published year and for unknown section keys.
    pub async fn save_report_narrative(
        &self,
        year: i32,
        section: &str,
        body: &str,
        actor: &Actor,
    ) -> Result<()> {
        if gnv_report::section_label(section).is_none() {
            return Err(StorageError::Invalid(format!("Okänt avsnitt: {section}.")));
        }
        let mut tx = self.pool().begin().await?;
        let published: Option<(i32,)> = sqlx::query_as("SELECT year FROM report_publication WHERE year = $1")
            .bind(year)
            .fetch_optional(&mut *tx)
            .await?;
        if published.is_some() {
            return Err(StorageError::Conflict(format!(
                "Årsrapporten {year} är publicerad och kan inte ändras."
            )));
        }
        let before: Option<(String,)> =
            sqlx::query_as("SELECT body FROM report_narrative WHERE year = $1 AND section = $2")
                .bind(year)
                .bind(section)
                .fetch_optional(&mut *tx)
                .await?;
        let body = body.trim();
        if body.is_empty() {
            sqlx::query("DELETE FROM report_narrative WHERE year = $1 AND section = $2")
                .bind(year)
                .bind(section)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query(
                "INSERT INTO report_narrative (year, section, body, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (year, section) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at,
                 updated_by = excluded.updated_by",
            )
            .bind(year)
            .bind(section)
            .bind(body)
            .bind(now_text())
            .bind(&actor.username)
            .execute(&mut *tx)
            .await?;
        }
        let id = format!("{year}/{section}");
        audit::record(
            &mut tx,
            actor,
            Entry {
                action: if body.is_empty() { "arsrapport.text.tas_bort" } else { "arsrapport.text.spara" },
                entity: "arsrapport_text",
                entity_id: &id,
                before: before.map(|b| json!({ "text": b.0 })),
                after: (!body.is_empty()).then(|| json!({ "text": body })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes a report: stores the frozen input and the output files with checksums, in one
    /// transaction with an audit entry. A year can be published once.
    pub async fn publish_report(
        &self,
        year: i32,
        input_json: &str,
        files: &[(&str, Vec<u8>)],
        actor: &Actor,
    ) -> Result<Publication> {
        let mut tx = self.pool().begin().await?;
        let exists: Option<(i32,)> = sqlx::query_as("SELECT year FROM report_publication WHERE year = $1")
            .bind(year)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Err(StorageError::Conflict(format!("Årsrapporten {year} är redan publicerad.")));
        }
        let at = now_text();
        let input_sha = sha256_hex(input_json.as_bytes());
        sqlx::query(
            "INSERT INTO report_publication (year, published_at, published_by, input_json, input_sha256)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(year)
        .bind(&at)
        .bind(&actor.username)
        .bind(input_json)
        .bind(&input_sha)
        .execute(&mut *tx)
        .await?;
        let mut out = Vec::new();
        for (format, bytes) in files {
            let sha = sha256_hex(bytes);
            sqlx::query(
                "INSERT INTO report_file (year, format, content, sha256, size) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(year)
            .bind(*format)
            .bind(bytes.as_slice())
            .bind(&sha)
            .bind(bytes.len() as i64)
            .execute(&mut *tx)
            .await?;
            out.push(PublishedFile { format: format.to_string(), sha256: sha, size: bytes.len() as i64 });
        }
        out.sort_by_key(|f| format_order(&f.format));
        audit::record(
            &mut tx,
            actor,
            Entry {
                action: "arsrapport.publicera",
                entity: "arsrapport",
                entity_id: &year.to_string(),
                before: None,
                after: Some(json!({ "input_sha256": input_sha, "filer": out })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Publication {
            year,
            published_at: at,
            published_by: actor.username.clone(),
            input_sha256: input_sha,
            files: out,
        })
    }

    /// The publication of a year, if published.
    pub async fn report_publication(&self, year: i32) -> Result<Option<Publication>> {
        let row: Option<(String, String, String)> = sqlx::query_as(
            "SELECT published_at, published_by, input_sha256 FROM report_publication WHERE year = $1",
        )
        .bind(year)
        .fetch_optional(self.pool())
        .await?;
        let Some((published_at, published_by, input_sha256)) = row else { return Ok(None) };
        let files: Vec<(String, String, i64)> =
            sqlx::query_as("SELECT format, sha256, size FROM report_file WHERE year = $1")
                .bind(year)
                .fetch_all(self.pool())
                .await?;
        let mut files: Vec<PublishedFile> =
            files.into_iter().map(|(format, sha256, size)| PublishedFile { format, sha256, size }).collect();
        files.sort_by_key(|f| format_order(&f.format));
        Ok(Some(Publication { year, published_at, published_by, input_sha256, files }))
    }

    /// All publications, newest year first.
    pub async fn report_publications(&self) -> Result<Vec<Publication>> {
        let years: Vec<(i32,)> = sqlx::query_as("SELECT year FROM report_publication ORDER BY year DESC")
            .fetch_all(self.pool())
            .await?;
        let mut out = Vec::new();
        for (y,) in years {
            if let Some(p) = self.report_publication(y).await? {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// The frozen input JSON of a published year.
    pub async fn report_frozen_input(&self, year: i32) -> Result<Option<String>> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT input_json FROM report_publication WHERE year = $1")
                .bind(year)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map(|r| r.0))
    }

    /// A published file's bytes and checksum.
    pub async fn report_file(&self, year: i32, format: &str) -> Result<Option<(Vec<u8>, String)>> {
        let row: Option<(Vec<u8>, String)> =
            sqlx::query_as("SELECT content, sha256 FROM report_file WHERE year = $1 AND format = $2")
                .bind(year)
                .bind(format)
                .fetch_optional(self.pool())
                .await?;
        Ok(row)
    }

    /// Years that have a publication or narratives.
    pub async fn report_years(&self) -> Result<BTreeSet<i32>> {
        let rows: Vec<(i32,)> =
            sqlx::query_as("SELECT year FROM report_publication UNION SELECT year FROM report_narrative")
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// The report input of `year` from the stored data of every module. Parts whose module has no
    /// data for the year are `None` (the report then says that data is missing).
    ///
    /// The result is a draft dated today; publishing clears the draft flag.
    ///
    /// Wired: registry, sub-goals, narratives; the indicator edition (the published edition of
    /// the following year when there is one — the 2024 report uses "Infografik 2025" — else of
    /// the year), evaluated for the region; the self-assessment (all rounds up to the year,
    /// analysed; only when the year itself has a round); the mapping round of the year; the
    /// annual plan of support activities of the year; the economy (appendix 1: the first focus
    /// area with rows for the year) and the municipal survey (submitted answers of the year).
    /// Parts without stored data stay `None` and the report says "Uppgifter saknas för …".
    pub async fn assemble_report(&self, year: i32) -> Result<ReportInput> {
        let registry = self.registry().await?;
        let subgoals = self.subgoals().await?;
        let profile = self.county_profile().await?;
        let mut input = ReportInput::empty(year, registry.clone(), subgoals.clone()).with_profile(&profile);
        let (rounds, warnings) = self.sjalvskattning_rounds_checked(&registry, year).await?;
        let add_warnings = |input: &mut ReportInput,
                            key: &str,
                            list: Vec<crate::rapportering::DataWarning>| {
            let texts: Vec<String> = list.into_iter().filter(|w| w.year == year).map(|w| w.text).collect();
            if !texts.is_empty() {
                input.data_warnings.insert(key.to_string(), texts);
            }
        };
        add_warnings(&mut input, "sjalvskattning", warnings);
        if rounds.iter().any(|r| r.year == year) {
            let analyses: Vec<_> = rounds
                .iter()
                .map(|r| gnv_core::sjalvskattning::analyse_year(r, &registry, &subgoals))
                .collect();
            input.self_assessment = Some(gnv_report::SelfAssessmentInput::from_analyses(&analyses));
        }
        let (round, warnings) = self.kartlaggning_round_checked(year, &registry).await?;
        add_warnings(&mut input, "kartlaggning", warnings);
        if let Some(round) = round {
            if !round.answers.is_empty() {
                input.mapping = Some(gnv_report::MappingInput { year, answers: round.answers });
            }
        }
        let edition = match self.nyckeltal_edition(year + 1).await? {
            Some(e) => Some(e),
            None => self.nyckeltal_edition(year).await?,
        };
        if let Some(e) = edition {
            let evaluation = gnv_core::nyckeltal::evaluate(
                e.catalogue(),
                e.data(),
                &registry.region.code,
                e.previous.as_ref().map(|(_, p)| &**p),
            );
            input.indicators = Some(gnv_report::IndicatorInput::from_evaluation(
                e.year(),
                &input.county_short(),
                e.catalogue(),
                &evaluation,
            ));
        }
        if let Some(stored) = self.annual_plan(year).await? {
            input.support = Some(stored.plan);
        }
        input.date = Some(chrono::Utc::now().date_naive());
        input.narratives = self.report_narratives(year).await?;
        input.economy = self
            .economy_summaries(year)
            .await?
            .into_iter()
            .find(|s| !s.table.rows.is_empty() || s.printed_totals.is_some());
        if self.survey_years().await?.contains(&year) {
            let (compilation, warnings) = self.kommunenkat_compilation_checked(year).await?;
            add_warnings(&mut input, "kommunenkat", warnings);
            if compilation.answered > 0 {
                input.survey = Some(compilation);
            }
        }
        Ok(input)
    }

    /// The input a report of `year` is rendered from: the frozen input when published, else the
    /// live assembly (a draft).
    pub async fn report_input(&self, year: i32) -> Result<(ReportInput, bool)> {
        match self.report_frozen_input(year).await? {
            Some(json) => Ok((ReportInput::from_json(&json).map_err(StorageError::Invalid)?, true)),
            None => Ok((self.assemble_report(year).await?, false)),
        }
    }
}

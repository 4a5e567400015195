//! The annual report's stored rows: analyst layouts and quote choices per (year, section),
//! published reports (frozen input and output files with SHA-256 checksums), and
//! [`Db::report_data`], which reads each module's stored results for a year into a
//! [`ReportData`] (`gnv_report::assemble` builds the report input from it; storage builds no
//! documents).
//!
//! Publishing is once per year and final: the frozen input JSON is what the files were generated
//! from, so the report can be regenerated with the same content after the modules' data change.

use crate::audit::{Action, Actor, Entity, Entry};
use crate::{now_text, Db, Result, StorageError};
use gnv_core::arsrapport::{
    DeliveryData, EditionData, LayoutItem, QuoteChoice, QuoteGroup, ReadWarning, ReportData, ReportSource,
    RoundData, SentInvitation,
};
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

/// A section's stored layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLayout {
    /// Counts the saves (1 after the first).
    pub version: i64,
    pub items: Vec<LayoutItem>,
    pub updated_at: String,
    pub updated_by: String,
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn format_order(f: &str) -> usize {
    ["pdf", "docx", "html"].iter().position(|x| *x == f).unwrap_or(9)
}

impl Db {
    /// The narratives of a report year: section key → the text blocks of its layout joined by a
    /// blank line (sections without text are left out).
    pub async fn report_narratives(&self, year: i32) -> Result<BTreeMap<String, String>> {
        let mut out = BTreeMap::new();
        for (section, stored) in self.report_layouts(year).await? {
            let texts: Vec<String> = stored
                .items
                .iter()
                .filter_map(|i| match i {
                    LayoutItem::Text { body } if !body.trim().is_empty() => Some(body.trim().to_string()),
                    _ => None,
                })
                .collect();
            if !texts.is_empty() {
                out.insert(section, texts.join("\n\n"));
            }
        }
        Ok(out)
    }

    /// The stored layouts (generated parts and text blocks) of a report year, per section key.
    pub async fn report_layouts(&self, year: i32) -> Result<BTreeMap<String, StoredLayout>> {
        let rows: Vec<(String, i64, String, String, String)> = sqlx::query_as(
            "SELECT section, version, items_json, updated_at, updated_by FROM report_section_layout
             WHERE year = $1 ORDER BY section",
        )
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        let mut out = BTreeMap::new();
        for (section, version, json, updated_at, updated_by) in rows {
            let items: Vec<LayoutItem> = serde_json::from_str(&json).map_err(|e| {
                StorageError::Corrupt(format!("Årsrapportens text {year}/{section} kunde inte läsas: {e}"))
            })?;
            out.insert(section, StoredLayout { version, items, updated_at, updated_by });
        }
        Ok(out)
    }

    /// Saves the layout of one section (the full explicit list). `expected_version` is the
    /// version the editor showed (0 = none stored): a save over a newer version is refused, so
    /// two analysts never overwrite each other unseen. Refused for a published year and unknown
    /// section keys. An empty list (no text block) removes the row. Returns the new version.
    pub async fn save_report_layout(
        &self,
        year: i32,
        section: &str,
        items: &[LayoutItem],
        expected_version: Option<i64>,
        actor: &Actor,
    ) -> Result<i64> {
        if gnv_core::arsrapport::section_label(section).is_none() {
            return Err(StorageError::Invalid(format!("Okänt avsnitt: {section}.")));
        }
        let mut tx = self.audited_write(actor).await?;
        let published: Option<(i32,)> = sqlx::query_as("SELECT year FROM report_publication WHERE year = $1")
            .bind(year)
            .fetch_optional(&mut *tx)
            .await?;
        if published.is_some() {
            return Err(StorageError::Conflict(format!(
                "Årsrapporten {year} är publicerad och kan inte ändras."
            )));
        }
        let before: Option<(i64, String)> = sqlx::query_as(
            "SELECT version, items_json FROM report_section_layout WHERE year = $1 AND section = $2",
        )
        .bind(year)
        .bind(section)
        .fetch_optional(&mut *tx)
        .await?;
        let current = before.as_ref().map(|b| b.0).unwrap_or(0);
        if let Some(expected) = expected_version {
            if expected != current {
                return Err(StorageError::Conflict(format!(
                    "Texterna i avsnittet har ändrats av någon annan sedan sidan visades (version {current}). Ladda om sidan och gör ändringen igen."
                )));
            }
        }
        let has_text =
            items.iter().any(|i| matches!(i, LayoutItem::Text { body } if !body.trim().is_empty()));
        let json = serde_json::to_string(items).map_err(|e| StorageError::Internal(e.to_string()))?;
        let version = current + 1;
        if has_text {
            sqlx::query(
                "INSERT INTO report_section_layout (year, section, version, items_json, updated_at, updated_by)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (year, section) DO UPDATE SET version = excluded.version, items_json = excluded.items_json,
                 updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            )
            .bind(year)
            .bind(section)
            .bind(version)
            .bind(&json)
            .bind(now_text())
            .bind(&actor.username)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query("DELETE FROM report_section_layout WHERE year = $1 AND section = $2")
                .bind(year)
                .bind(section)
                .execute(&mut *tx)
                .await?;
        }
        let id = format!("{year}/{section}");
        let before_json = before.map(|b| {
            let items: serde_json::Value = serde_json::from_str(&b.1).unwrap_or(serde_json::Value::Null);
            json!({ "version": b.0, "delar": items })
        });
        tx.commit(Entry {
            action: if has_text { Action::SaveText } else { Action::RemoveText },
            entity: Entity::ReportText,
            entity_id: &id,
            before: before_json,
            after: has_text.then(|| json!({ "version": version, "delar": items })),
        })
        .await?;
        Ok(if has_text { version } else { 0 })
    }

    /// Saves one section's narrative as its only text block, after all generated parts (the
    /// demo and the command line; the editor places blocks with [`Db::save_report_layout`]). An
    /// empty body removes the section's texts.
    pub async fn save_report_narrative(
        &self,
        year: i32,
        section: &str,
        body: &str,
        actor: &Actor,
    ) -> Result<()> {
        let body = body.trim();
        let items = if body.is_empty() { vec![] } else { vec![LayoutItem::Text { body: body.to_string() }] };
        self.save_report_layout(year, section, &items, None, actor).await?;
        Ok(())
    }

    /// The quotes chosen for a report year.
    pub async fn report_quote_choices(&self, year: i32) -> Result<Vec<QuoteChoice>> {
        let rows: Vec<(String, String, i64, i64, String)> = sqlx::query_as(
            "SELECT source, answer, position, attributed, body FROM report_quote WHERE year = $1
             ORDER BY source, position, answer",
        )
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(group, answer, position, attributed, text)| QuoteChoice {
                group,
                answer,
                position,
                attributed: attributed != 0,
                text,
            })
            .collect())
    }

    /// Replaces the chosen quotes of one free-text source (all or nothing, with an audit entry).
    /// Every choice must name an answer of the source and quote it or a shortening of it with
    /// "[…]". Refused for a published year.
    pub async fn save_report_quotes(
        &self,
        year: i32,
        group: &QuoteGroup,
        choices: &[QuoteChoice],
        actor: &Actor,
    ) -> Result<()> {
        for c in choices {
            let Some(answer) = group.candidates.iter().find(|a| a.id == c.answer) else {
                return Err(StorageError::Invalid(format!(
                    "Svaret ”{}” finns inte under ”{}”.",
                    c.answer, group.label
                )));
            };
            if !gnv_core::arsrapport::is_shortening(&answer.text, &c.text) {
                return Err(StorageError::Invalid(format!(
                    "Citatet från {} under ”{}” måste vara svaret eller en förkortning av det med […] där text är utelämnad; inga ord får ändras.",
                    answer.organisation, group.label
                )));
            }
        }
        let mut tx = self.audited_write(actor).await?;
        let published: Option<(i32,)> = sqlx::query_as("SELECT year FROM report_publication WHERE year = $1")
            .bind(year)
            .fetch_optional(&mut *tx)
            .await?;
        if published.is_some() {
            return Err(StorageError::Conflict(format!(
                "Årsrapporten {year} är publicerad och kan inte ändras."
            )));
        }
        let before: Vec<(String, i64, i64, String)> = sqlx::query_as(
            "SELECT answer, position, attributed, body FROM report_quote WHERE year = $1 AND source = $2
             ORDER BY position, answer",
        )
        .bind(year)
        .bind(&group.key)
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM report_quote WHERE year = $1 AND source = $2")
            .bind(year)
            .bind(&group.key)
            .execute(&mut *tx)
            .await?;
        let at = now_text();
        for c in choices {
            sqlx::query(
                "INSERT INTO report_quote (year, source, answer, position, attributed, body, updated_at, updated_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(year)
            .bind(&group.key)
            .bind(&c.answer)
            .bind(c.position)
            .bind(i64::from(c.attributed))
            .bind(gnv_core::arsrapport::normalise_quote(&c.text))
            .bind(&at)
            .bind(&actor.username)
            .execute(&mut *tx)
            .await?;
        }
        let id = format!("{year}/{}", group.key);
        let as_json = |list: Vec<serde_json::Value>| (!list.is_empty()).then(|| json!({ "citat": list }));
        tx.commit(Entry {
                action: Action::SaveQuote,
                entity: Entity::ReportQuote,
                entity_id: &id,
                before: as_json(
                    before
                        .iter()
                        .map(|(a, p, at, t)| json!({ "svar": a, "ordning": p, "namn": *at != 0, "text": t }))
                        .collect(),
                ),
                after: as_json(
                    choices
                        .iter()
                        .map(|c| json!({ "svar": c.answer, "ordning": c.position, "namn": c.attributed, "text": c.text }))
                        .collect(),
                ),
            })
        .await?;
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
        let mut tx = self.audited_write(actor).await?;
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
        tx.commit(Entry {
            action: Action::Publish,
            entity: Entity::AnnualReport,
            entity_id: &year.to_string(),
            before: None,
            after: Some(json!({ "input_sha256": input_sha, "filer": out })),
        })
        .await?;
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
        let rows: Vec<(i32,)> = sqlx::query_as(
            "SELECT year FROM report_publication UNION SELECT year FROM report_section_layout",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Everything stored that the annual report of `year` is assembled from
    /// (`gnv_report::assemble`): registry, sub-goals and county profile; every self-assessment
    /// round up to the year; the mapping round of the year; the published indicator edition of
    /// the following year, else of the year (and, without either, the newest one up to the
    /// following year, for the action plan); the annual plan of support activities; the action
    /// plan versions reviewed in or before the year; the economy summaries; the municipal
    /// survey's compilation (when the year has a survey); the analyst's layouts and quote
    /// choices; the reporting round with its invitations from the mail log; and the recorded
    /// deliveries. Stored answers that cannot be read come as warnings, not errors.
    pub async fn report_data(&self, year: i32) -> Result<ReportData> {
        let registry = self.registry().await?;
        let subgoals = self.subgoals().await?;
        let profile = self.county_profile().await?;
        let warnings = |list: Vec<crate::rapportering::DataWarning>| -> Vec<ReadWarning> {
            list.into_iter().map(|w| ReadWarning { year: w.year, text: w.text }).collect()
        };
        let (self_assessment, self_assessment_warnings) =
            self.sjalvskattning_rounds_checked(&registry, year).await?;
        let (mapping, mapping_warnings) = self.kartlaggning_round_checked(year, &registry).await?;
        let edition = match self.nyckeltal_edition(year + 1).await? {
            Some(e) => Some(e),
            None => self.nyckeltal_edition(year).await?,
        };
        let newest_edition = match edition {
            Some(_) => None,
            None => {
                let newest =
                    self.nyckeltal_editions().await?.into_iter().find(|m| m.year <= i64::from(year + 1));
                match newest {
                    Some(m) => self.nyckeltal_edition(m.year as i32).await?,
                    None => None,
                }
            }
        };
        let edition_data = |e: crate::nyckeltal::Edition| EditionData {
            year: e.year(),
            frozen: e.frozen,
            previous: e.previous.map(|(_, p)| p),
        };
        let mut action_plan_versions = Vec::new();
        for info in self.action_plan_versions().await? {
            if info.review_year <= year {
                if let Some(v) = self.action_plan_version(info.version).await? {
                    action_plan_versions.push(v);
                }
            }
        }
        let survey = if self.survey_years().await?.contains(&year) {
            let (compilation, list) = self.kommunenkat_compilation_checked(year).await?;
            Some((compilation, warnings(list)))
        } else {
            None
        };
        let round = match self.round(year).await? {
            Some(round) => Some(RoundData {
                year: round.year,
                parts: round.parts,
                invitations: self
                    .mails(year)
                    .await?
                    .into_iter()
                    .filter(|m| m.kind == "inbjudan")
                    .map(|m| SentInvitation { at: m.at, org_code: m.org_code, recipient: m.recipient })
                    .collect(),
            }),
            None => None,
        };
        let deliveries = self
            .deliveries(year)
            .await?
            .into_iter()
            .map(|d| DeliveryData {
                kind: d.kind.code().to_string(),
                delivered_on: d.delivered_on,
                by: d.by,
                note: d.note,
                organisation: d.organisation,
            })
            .collect();
        Ok(ReportData {
            year,
            today: chrono::Utc::now().date_naive(),
            registry,
            subgoals,
            profile,
            self_assessment,
            self_assessment_warnings: warnings(self_assessment_warnings),
            mapping,
            mapping_warnings: warnings(mapping_warnings),
            edition: edition.map(edition_data),
            newest_edition: newest_edition.map(edition_data),
            support: self.annual_plan(year).await?.map(|stored| stored.plan),
            action_plan_versions,
            economy: self.economy_summaries(year).await?,
            survey,
            layouts: self.report_layouts(year).await?.into_iter().map(|(k, v)| (k, v.items)).collect(),
            quote_choices: self.report_quote_choices(year).await?,
            round,
            deliveries,
        })
    }

    /// Where the report of `year` comes from: the frozen input when published, else the stored
    /// data of a draft (`gnv_report::assemble::report_input` turns either into the input).
    pub async fn report_source(&self, year: i32) -> Result<ReportSource> {
        match self.report_frozen_input(year).await? {
            Some(json) => Ok(ReportSource::Published(json)),
            None => Ok(ReportSource::Draft(Box::new(self.report_data(year).await?))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gnv_report::ReportInput;
    use sqlx::migrate::Migrator;
    use std::borrow::Cow;

    const BODY: &str =
        "Första stycket med ”citat”, \"dubbla\" och 'enkla' tecken.\n\n- punkt ett\n- punkt två";

    /// Migrates to 0010, stores a narrative in the old table, then runs 0012: the narrative
    /// becomes the section's only text block and the report is built exactly as before.
    async fn narrative_survives_migration(url: &str, all: &Migrator) {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(url).await.expect("connect");
        let before = Migrator {
            migrations: Cow::Owned(all.iter().filter(|m| m.version < 12).cloned().collect()),
            ignore_missing: false,
            locking: true,
            no_tx: false,
        };
        before.run(&pool).await.expect("migrations up to 0010");
        sqlx::query(
            "INSERT INTO report_narrative (year, section, body, updated_at, updated_by)
             VALUES (2024, 'avslutningsord', $1, '2025-05-01T08:00:00Z', 'analytiker')",
        )
        .bind(BODY)
        .execute(&pool)
        .await
        .expect("old narrative");
        pool.close().await;

        let db = Db::connect(url).await.expect("migrate to 0012");
        let layouts = db.report_layouts(2024).await.expect("layouts");
        let stored = &layouts["avslutningsord"];
        assert_eq!(stored.items, vec![LayoutItem::Text { body: BODY.to_string() }]);
        assert_eq!((stored.version, stored.updated_by.as_str()), (1, "analytiker"));
        assert_eq!(db.report_narratives(2024).await.unwrap()["avslutningsord"], BODY);
        assert!(db.report_years().await.unwrap().contains(&2024));

        let registry = gnv_core::organisation::dalarna();
        let subgoals = gnv_core::delmal::default_subgoals();
        let mut old = ReportInput::empty(2024, registry.clone(), subgoals.clone());
        old.narratives.insert("avslutningsord".into(), BODY.into());
        let mut migrated = ReportInput::empty(2024, registry, subgoals);
        migrated.layouts = layouts.into_iter().map(|(k, v)| (k, v.items)).collect();
        assert_eq!(gnv_report::build(&old), gnv_report::build(&migrated));
        db.close().await;
    }

    #[tokio::test]
    async fn migration_0012_keeps_sqlite_narratives_after_the_generated_text() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("gnv.db").display());
        narrative_survives_migration(&url, &crate::db::MIGRATOR).await;
    }

    #[tokio::test]
    async fn migration_0012_keeps_postgres_narratives_after_the_generated_text() {
        let Some(admin) = crate::testing::test_postgres_url() else {
            eprintln!("GNV_TEST_POSTGRES not set: PostgreSQL migration not checked");
            return;
        };
        let scratch = crate::testing::ScratchDatabase::create(&admin).await.expect("scratch database");
        narrative_survives_migration(&scratch.url, &crate::db::MIGRATOR_POSTGRES).await;
    }
}

//! The annual report: analyst narratives per (year, section), published reports (frozen input
//! and output files with SHA-256 checksums), and [`Db::assemble_report`], which collects each
//! module's stored results into a [`ReportInput`].
//!
//! Publishing is once per year and final: the frozen input JSON is what the files were generated
//! from, so the report can be regenerated with the same content after the modules' data change.

use crate::audit::{Action, Actor, Entity, Entry};
use crate::{now_text, Db, Result, StorageError};
use gnv_report::layout::LayoutItem;
use gnv_report::quotes::QuoteChoice;
use gnv_report::ReportInput;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

mod handlingsplan;

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

/// The Swedish calendar day of a stored UTC timestamp (RFC 3339).
fn swedish_date(stored: &str) -> Option<chrono::NaiveDate> {
    let utc = chrono::DateTime::parse_from_rfc3339(stored).ok()?.naive_utc();
    let local = utc + chrono::Duration::hours(gnv_core::format::stockholm_offset_hours(utc));
    Some(local.date())
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
        if gnv_report::section_label(section).is_none() {
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
        group: &gnv_report::quotes::QuoteGroup,
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
            if !gnv_report::quotes::is_shortening(&answer.text, &c.text) {
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
            .bind(gnv_report::quotes::normalise_quote(&c.text))
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

    /// The free-text sources of a report year that quotes can be chosen from.
    pub async fn report_quote_groups(&self, year: i32) -> Result<Vec<gnv_report::quotes::QuoteGroup>> {
        let input = self.assemble_report_data(year).await?;
        self.quote_groups_of(&input).await
    }

    async fn quote_groups_of(&self, input: &ReportInput) -> Result<Vec<gnv_report::quotes::QuoteGroup>> {
        let registry = &input.registry;
        let mapping = input.mapping.as_ref().and_then(|m| {
            gnv_core::kartlaggning::MappingRound::new(m.year, m.answers.clone())
                .ok()
                .map(|r| gnv_core::kartlaggning::summarize(&r, registry))
        });
        let mut reflections = Vec::new();
        if input.self_assessment.as_ref().and_then(|s| s.year(input.year)).is_some() {
            let (rounds, _) = self.sjalvskattning_rounds_checked(registry, input.year).await?;
            if let Some(round) = rounds.iter().find(|r| r.year == input.year) {
                for res in &round.results {
                    let lsl_name = registry.name_of(&res.lsl).unwrap_or(&res.lsl).to_string();
                    for r in &res.reflections {
                        reflections.push(gnv_report::quotes::ReflectionAnswer {
                            subgoal: r.subgoal,
                            lsl_code: res.lsl.clone(),
                            lsl_name: lsl_name.clone(),
                            respondent: r.respondent.clone(),
                            text: r.text.clone(),
                        });
                    }
                }
            }
        }
        Ok(gnv_report::quotes::groups(mapping.as_ref(), input.survey.as_ref(), &reflections, &input.subgoals))
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
        let mut input = self.assemble_report_data(year).await?;
        input.layouts = self.report_layouts(year).await?.into_iter().map(|(k, v)| (k, v.items)).collect();
        let groups = self.quote_groups_of(&input).await?;
        let (quotes, warnings) =
            gnv_report::quotes::resolve(&groups, &self.report_quote_choices(year).await?);
        input.quotes = quotes;
        for (section, text) in warnings {
            input.data_warnings.entry(section).or_default().push(text);
        }
        input.round = self.round_facts(year, &input.registry).await?;
        // The recorded deliveries to external bodies (`leveranser`): the report states the
        // survey's delivery to Socialstyrelsen only from such a record.
        let recorded = self.deliveries(year).await?;
        input.deliveries = recorded
            .iter()
            .filter(|d| d.organisation.is_none())
            .map(|d| gnv_report::input::Delivery {
                kind: d.kind.code().to_string(),
                date: d.delivered_on,
                by: d.by.clone(),
                note: d.note.clone(),
            })
            .collect();
        // Deliveries per municipality (the survey reported for one municipality).
        input.municipal_deliveries = recorded
            .iter()
            .filter_map(|d| {
                let code = d.organisation.clone()?;
                let name = input
                    .registry
                    .municipalities
                    .iter()
                    .find(|m| m.code == code)
                    .map(|m| m.name.clone())
                    .unwrap_or_else(|| code.clone());
                Some(gnv_report::input::MunicipalDelivery {
                    kind: d.kind.code().to_string(),
                    date: d.delivered_on,
                    by: d.by.clone(),
                    code,
                    name,
                })
            })
            .collect();
        // The analyses (3.2.3, multi-year statements) with the county profile's mapping survey →
        // sub-goal (3.2.3 is left out when the profile has no mapping).
        let links = self.county_profile().await?.survey_links();
        input.analysis = Some(gnv_report::analys::AnalysisInput { links });
        Ok(input)
    }

    /// The year's reporting round as the report states it: its parts and what the mail log says
    /// about the invitations sent. `None` without a round.
    pub async fn round_facts(
        &self,
        year: i32,
        registry: &gnv_core::organisation::Registry,
    ) -> Result<Option<gnv_report::input::RoundFacts>> {
        let Some(round) = self.round(year).await? else { return Ok(None) };
        let mails: Vec<crate::rapportering::MailRow> =
            self.mails(year).await?.into_iter().filter(|m| m.kind == "inbjudan").collect();
        let mut days = Vec::new();
        for m in &mails {
            if let Some(d) = swedish_date(&m.at) {
                days.push(d);
            }
        }
        let invitations = match (days.iter().min(), days.iter().max()) {
            (Some(first), Some(last)) => {
                let recipients: BTreeSet<String> =
                    mails.iter().map(|m| m.recipient.trim().to_lowercase()).collect();
                let orgs: BTreeSet<&str> = mails.iter().map(|m| m.org_code.as_str()).collect();
                let municipalities =
                    orgs.iter().filter(|c| registry.municipalities.iter().any(|m| m.code == **c)).count();
                let lsls = orgs.iter().filter(|c| registry.lsls.iter().any(|l| l.code == **c)).count();
                Some(gnv_report::input::InvitationFacts {
                    first: *first,
                    last: *last,
                    recipients: recipients.len(),
                    municipalities,
                    lsls,
                    other_organisations: orgs.len() - municipalities - lsls,
                })
            }
            _ => None,
        };
        Ok(Some(gnv_report::input::RoundFacts {
            year: round.year,
            parts: round.parts.iter().map(|p| p.label().to_string()).collect(),
            invitations,
        }))
    }

    /// The report input of `year` from the modules' stored data only (no texts, quotes or
    /// round facts): see [`Db::assemble_report`].
    pub async fn assemble_report_data(&self, year: i32) -> Result<ReportInput> {
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
        input.action_plan =
            self.report_action_plan(year, &registry.region.code, &input.county_short()).await?;
        input.date = Some(chrono::Utc::now().date_naive());
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

#[cfg(test)]
mod tests {
    use super::*;
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

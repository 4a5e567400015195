//! Indicators (nyckeltal): the catalogue, imported values with provenance, and frozen editions.
//!
//! - The **catalogue** is stored one row per indicator (the full definition as JSON). Until an
//!   admin saves one, [`Db::nyckeltal_catalogue`] returns the built-in default catalogue.
//! - **Values** are written only through [`Db::nyckeltal_import`]: a validated [`ValueBatch`]
//!   (duplicates refused, sorted by key) is written in one transaction together with its raw
//!   documents (Kolada JSON pages, uploaded files) and an audit entry. The report says how many
//!   values were added (new key), changed (other value or missing code) and skipped (identical to
//!   the stored value). Values are stored one row per (indicator, organisation, period) with the
//!   genders side by side; the write path (and why SQLite files get their own connection) is in
//!   the `import` submodule.
//! - An **edition** freezes the catalogue (JSON) and exactly the values used (every stored value
//!   of the catalogue's active indicators with period ≤ the edition year) in binary blocks (the
//!   `utgava` submodule, #19). Editions are never updated; publishing the same year twice is
//!   refused. Loaded editions are cached in memory by their unique id (the frozen content never
//!   changes), bounded by their estimated size; a focus organisation's view reads only the
//!   blocks it needs ([`Db::nyckeltal_edition_for_focus`]).

use crate::audit::{Action, Actor, Entity, Entry};
use crate::{now_text, Db, Result, StorageError};

use gnv_core::nyckeltal::{
    Catalogue, Dataset, Gender, Indicator, IndicatorCode, IndicatorStatus, Observation, Period,
    PreviousEdition, Value,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

mod import;
pub mod kpi;
pub mod utgava;

pub use gnv_core::nyckeltal::batch::{BatchMark, BatchRow, MissingCounts, RawBody, RawDoc, ValueBatch};

/// A raw document's text: read from its file for [`RawBody::File`] (the core does no I/O),
/// else [`RawDoc::text`].
pub(crate) fn raw_doc_text(doc: &RawDoc) -> std::io::Result<std::borrow::Cow<'_, str>> {
    match &doc.body {
        RawBody::File(p) => Ok(std::borrow::Cow::Owned(std::fs::read_to_string(p)?)),
        _ => doc.text(),
    }
}

pub(crate) use gnv_core::nyckeltal::batch::{unzlib, zlib};

/// A stored raw document's text from its columns.
fn stored_raw_text(body: String, zlib: Option<Vec<u8>>) -> Result<String> {
    match zlib {
        None => Ok(body),
        Some(bytes) => {
            unzlib(&bytes).map_err(|e| corrupt(format!("Ett sparat rådokument kunde inte läsas: {e}")))
        }
    }
}

/// What an import is.
#[derive(Debug, Clone)]
pub struct ImportMeta {
    /// `kolada`, `kolada-fil`, `egen` or `demo`.
    pub source: String,
    pub description: String,
    /// When the data was fetched (RFC 3339); `None` = now.
    pub fetched_at: Option<String>,
}

/// The result of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub import_id: i64,
    pub total: usize,
    pub added: usize,
    pub changed: usize,
    pub skipped: usize,
    pub missing: MissingCounts,
    pub documents: usize,
}

impl ImportReport {
    /// Swedish one-line summary.
    pub fn summary(&self) -> String {
        use gnv_core::format::integer;
        let mut s = format!(
            "{} värden lästes: {} tillagda, {} ändrade, {} oförändrade (hoppades över).",
            integer(self.total as i64),
            integer(self.added as i64),
            integer(self.changed as i64),
            integer(self.skipped as i64)
        );
        let m = self.missing;
        if m.total() > 0 {
            s.push_str(&format!(
                " Av värdena saknar {} siffra enligt Koladas koder: {} bortfall (-), {} ej tillämplig (.), {} sekretess (..).",
                integer(m.total() as i64),
                integer(m.missing as i64),
                integer(m.not_applicable as i64),
                integer(m.confidential as i64)
            ));
        }
        s
    }
}

/// One stored import, for listing.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ImportRow {
    pub id: i64,
    pub source: String,
    pub description: String,
    pub fetched_at: String,
    pub imported_by: String,
    pub added: i64,
    pub changed: i64,
    pub skipped: i64,
}

/// A raw document of an import, without its body.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct RawDocMeta {
    pub id: i64,
    /// Request URL or file name.
    pub name: String,
    /// Length of the text in characters.
    pub size: i64,
}

/// A published edition's metadata.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EditionMeta {
    pub year: i64,
    pub uid: String,
    pub title: String,
    pub published_at: String,
    pub published_by: String,
    pub value_count: i64,
}

/// A published edition with its frozen content (shared with the in-memory cache).
#[derive(Debug, Clone)]
pub struct Edition {
    pub meta: EditionMeta,
    pub frozen: Arc<(Catalogue, Dataset)>,
    /// The previous published edition (the newest with a smaller year): its year and what it
    /// showed (derived from its frozen content once and cached with it, by uid).
    pub previous: Option<(i64, Arc<PreviousEdition>)>,
    /// The previous edition's uid (empty when there is none). Together with `meta.uid` it
    /// identifies everything an evaluation of this edition depends on, so derived views of a
    /// published edition may be cached under the two uids (see `gnv_web::pages::nyckeltal`).
    pub previous_uid: String,
    /// `Some(focus)` for a focus view ([`Db::nyckeltal_edition_for_focus`]): the data then holds
    /// only what that organisation's evaluation needs, and only it may be evaluated.
    pub focus_view: Option<String>,
}

impl Edition {
    pub fn catalogue(&self) -> &Catalogue {
        &self.frozen.0
    }
    pub fn data(&self) -> &Dataset {
        &self.frozen.1
    }
    pub fn year(&self) -> i32 {
        self.meta.year as i32
    }
    /// False for a preview of unpublished data.
    pub fn is_published(&self) -> bool {
        !self.meta.uid.is_empty()
    }
    /// Evaluates every indicator for a focus organisation against the previous edition.
    pub fn evaluate(&self, focus: &str) -> gnv_core::nyckeltal::Evaluation {
        debug_assert!(
            self.focus_view.as_deref().is_none_or(|f| f == focus),
            "a focus view of {:?} evaluated for {focus}",
            self.focus_view
        );
        gnv_core::nyckeltal::evaluate(
            self.catalogue(),
            self.data(),
            focus,
            self.previous.as_ref().map(|p| &*p.1),
        )
    }
    /// The edition's summary (sets and counts) for a focus organisation.
    pub fn summary(&self, focus: &str) -> gnv_core::nyckeltal::EditionSummary {
        gnv_core::nyckeltal::summarize(&self.evaluate(focus))
    }
    /// The summary as JSON (schema in README.md, "JSON API").
    pub fn summary_json(&self, focus: &str, focus_name: &str) -> serde_json::Value {
        let summary = self.summary(focus);
        let paragraph = gnv_core::nyckeltal::summary_paragraph(&summary, self.year(), focus_name);
        json!({
            "edition": {
                "year": self.meta.year,
                "published": self.is_published(),
                "title": self.meta.title,
                "published_at": self.meta.published_at,
                "previous_year": self.previous.as_ref().map(|p| p.0),
            },
            "focus": {"code": focus, "name": focus_name},
            "summary": summary,
            "paragraph": paragraph,
            "source": gnv_core::nyckeltal::kolada::ATTRIBUTION,
        })
    }
}

/// A frozen value as stored in an edition: `[indicator, org, period, gender, value]`.
#[derive(Serialize, Deserialize)]
struct FrozenValue(IndicatorCode, String, Period, Gender, Value);

/// Loaded editions by uid (frozen content never changes, so the cache never goes stale),
/// bounded by their estimated size in memory ([`EDITION_CACHE_BYTES`]).
type EditionCache = Mutex<utgava::SizedCache<Arc<(Catalogue, Dataset)>>>;

/// The bound of the whole-edition cache: about four national editions of 3 million values, or
/// hundreds of a county's.
pub const EDITION_CACHE_BYTES: usize = 400 << 20;

fn edition_cache() -> &'static EditionCache {
    static CACHE: OnceLock<EditionCache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(utgava::SizedCache::new(EDITION_CACHE_BYTES)))
}

/// Focus views of published editions (see [`Db::nyckeltal_edition_for_focus`]) by edition uid,
/// previous edition uid and focus; bounded by size like the edition cache.
type FocusCache = Mutex<utgava::SizedCache<Edition>>;

/// The bound of the focus-view cache (a view of a national edition is a few MB).
pub const FOCUS_CACHE_BYTES: usize = 64 << 20;

fn focus_cache() -> &'static FocusCache {
    static CACHE: OnceLock<FocusCache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(utgava::SizedCache::new(FOCUS_CACHE_BYTES)))
}

/// What a published edition showed (its newest period per indicator and organisation), by uid:
/// derived only from the edition's frozen content, so it never goes stale either. Computing it
/// takes thousands of small allocations, and every infographic request of the next year's
/// edition needs it.
type PreviousCache = Mutex<HashMap<String, Arc<PreviousEdition>>>;

fn previous_cache() -> &'static PreviousCache {
    static CACHE: OnceLock<PreviousCache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

fn value_from_db(value: Option<f64>, missing: Option<&str>) -> Value {
    match (value, missing) {
        (Some(x), _) => Value::Number(x),
        (None, Some(code)) => Value::from_code(code).unwrap_or(Value::Missing),
        (None, None) => Value::Missing,
    }
}

/// A fault of the program (serialising, an aborted task, a writer's order check): 500, logged.
fn internal(msg: impl Into<String>) -> StorageError {
    StorageError::Internal(msg.into())
}

/// Stored nyckeltal data that cannot be read back (a damaged row): 500, logged.
fn corrupt(msg: impl Into<String>) -> StorageError {
    StorageError::Corrupt(msg.into())
}

impl Db {
    /// The catalogue in force: the stored one, or the built-in default when none is stored.
    pub async fn nyckeltal_catalogue(&self) -> Result<Catalogue> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT definition_json FROM nyckeltal_indicator ORDER BY subgoal, number")
                .fetch_all(self.pool())
                .await?;
        if rows.is_empty() {
            return Ok(gnv_core::nyckeltal::default_catalogue());
        }
        let mut list = Vec::with_capacity(rows.len());
        for (j,) in rows {
            let ind: Indicator = serde_json::from_str(&j)
                .map_err(|e| corrupt(format!("Lagrat nyckeltal kunde inte läsas: {e}")))?;
            list.push(ind);
        }
        Catalogue::new(list).map_err(|e| corrupt(e.to_string()))
    }

    /// Whether a catalogue has been saved (otherwise the default is in force).
    pub async fn nyckeltal_catalogue_is_stored(&self) -> Result<bool> {
        let n: (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM nyckeltal_indicator").fetch_one(self.pool()).await?;
        Ok(n.0 > 0)
    }

    /// Replaces the whole catalogue (TOML import or a saved edit) in one transaction.
    pub async fn nyckeltal_replace_catalogue(&self, catalogue: &Catalogue, actor: &Actor) -> Result<()> {
        let before = serde_json::to_value(self.nyckeltal_catalogue().await?).ok();
        let mut tx = self.audited_write(actor).await?;
        sqlx::query("DELETE FROM nyckeltal_indicator").execute(&mut *tx).await?;
        for ind in catalogue.indicators() {
            sqlx::query(
                "INSERT INTO nyckeltal_indicator (code, subgoal, number, title, definition_json)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(ind.code.to_string())
            .bind(ind.code.subgoal() as i64)
            .bind(ind.code.number() as i64)
            .bind(&ind.title)
            .bind(serde_json::to_string(ind).map_err(|e| internal(e.to_string()))?)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit(Entry {
            action: Action::ReplaceCatalogue,
            entity: Entity::IndicatorCatalogue,
            entity_id: "katalog",
            before,
            after: serde_json::to_value(catalogue).ok(),
        })
        .await?;
        Ok(())
    }

    /// Saves one indicator (admin edit): the catalogue with this indicator replaced is validated
    /// as a whole and stored.
    pub async fn nyckeltal_save_indicator(&self, indicator: Indicator, actor: &Actor) -> Result<()> {
        let current = self.nyckeltal_catalogue().await?;
        let mut list: Vec<Indicator> = current.indicators().to_vec();
        match list.iter_mut().find(|i| i.code == indicator.code) {
            Some(slot) => *slot = indicator,
            None => list.push(indicator),
        }
        let cat = Catalogue::new(list).map_err(|e| StorageError::Invalid(e.to_string()))?;
        self.nyckeltal_replace_catalogue(&cat, actor).await
    }

    /// Writes a batch in one transaction: the import row, the raw documents, the values that
    /// are new or changed, and an audit entry. Values of indicators not in the catalogue are
    /// refused (naming them) and nothing is written.
    pub async fn nyckeltal_import(
        &self,
        batch: &mut ValueBatch,
        raw: &[RawDoc],
        meta: &ImportMeta,
        actor: &Actor,
    ) -> Result<ImportReport> {
        if !batch.is_sorted() {
            batch.validate().map_err(|e| StorageError::Invalid(e.to_string()))?;
        }
        let catalogue = self.nyckeltal_catalogue().await?;
        let indicators: BTreeSet<IndicatorCode> = batch.rows().iter().map(|r| r.indicator).collect();
        let unknown: Vec<String> =
            indicators.iter().filter(|c| catalogue.get(**c).is_none()).map(|c| c.to_string()).collect();
        if !unknown.is_empty() {
            return Err(StorageError::Invalid(format!(
                "Nyckeltal {} finns inte i katalogen. Inget har importerats.",
                unknown.join(", ")
            )));
        }
        let fetched_at = meta.fetched_at.clone().unwrap_or_else(now_text);
        let Some(path) = self.sqlite_file().map(PathBuf::from) else {
            let job =
                import::ImportJob { raw, meta, fetched_at: &fetched_at, actor, indicators: &indicators };
            return import::import_sqlx(self.pool().begin().await?, batch, &job).await;
        };
        // SQLite file: a dedicated connection on a blocking thread (the batch travels there and
        // back), holding this pool's write turn so that its other writers queue behind it.
        let turn = self.pool().write_turn().await;
        let owned = std::mem::take(batch);
        let (raw, meta, actor) = (raw.to_vec(), meta.clone(), actor.clone());
        let (owned, report) = tokio::task::spawn_blocking(move || {
            let job = import::ImportJob {
                raw: &raw,
                meta: &meta,
                fetched_at: &fetched_at,
                actor: &actor,
                indicators: &indicators,
            };
            let report = import::import_sqlite(&path, &owned, &job);
            (owned, report)
        })
        .await
        .map_err(|e| internal(format!("Importen avbröts: {e}")))?;
        drop(turn);
        *batch = owned;
        if report.is_ok() {
            self.nyckeltal_checkpoint_wal().await;
        }
        report
    }

    /// The imports, newest first.
    pub async fn nyckeltal_imports(&self, limit: i64) -> Result<Vec<ImportRow>> {
        Ok(sqlx::query_as::<_, ImportRow>(
            "SELECT id, source, description, fetched_at, imported_by, added, changed, skipped
             FROM nyckeltal_import ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }

    /// One import, by id.
    pub async fn nyckeltal_import_row(&self, id: i64) -> Result<Option<ImportRow>> {
        Ok(sqlx::query_as::<_, ImportRow>(
            "SELECT id, source, description, fetched_at, imported_by, added, changed, skipped
             FROM nyckeltal_import WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?)
    }

    /// The raw documents of an import without their bodies, in the order they were read.
    pub async fn nyckeltal_raw_document_list(&self, import_id: i64) -> Result<Vec<RawDocMeta>> {
        Ok(sqlx::query_as::<_, RawDocMeta>(
            "SELECT id, name, CAST(COALESCE(body_size, LENGTH(body)) AS BIGINT) AS size FROM nyckeltal_raw
             WHERE import_id = $1 ORDER BY id",
        )
        .bind(import_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// One raw document of an import: (name, body); `None` when the import has no such document.
    pub async fn nyckeltal_raw_document(
        &self,
        import_id: i64,
        doc_id: i64,
    ) -> Result<Option<(String, String)>> {
        let row: Option<(String, String, Option<Vec<u8>>)> = sqlx::query_as(
            "SELECT name, body, body_zlib FROM nyckeltal_raw WHERE import_id = $1 AND id = $2",
        )
        .bind(import_id)
        .bind(doc_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|(name, body, zlib)| Ok((name, stored_raw_text(body, zlib)?))).transpose()
    }

    /// The raw documents of an import: (name, body).
    pub async fn nyckeltal_raw_documents(&self, import_id: i64) -> Result<Vec<(String, String)>> {
        let rows: Vec<(String, String, Option<Vec<u8>>)> = sqlx::query_as(
            "SELECT name, body, body_zlib FROM nyckeltal_raw WHERE import_id = $1 ORDER BY id",
        )
        .bind(import_id)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(|(name, body, zlib)| Ok((name, stored_raw_text(body, zlib)?))).collect()
    }

    /// Number of stored values.
    pub async fn nyckeltal_value_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM((CASE WHEN t_import IS NULL THEN 0 ELSE 1 END)
                 + (CASE WHEN k_import IS NULL THEN 0 ELSE 1 END)
                 + (CASE WHEN m_import IS NULL THEN 0 ELSE 1 END)), 0) AS BIGINT)
             FROM nyckeltal_value",
        )
        .fetch_one(self.pool())
        .await?)
    }

    /// The stored values of the catalogue's active indicators with period ≤ `max_period`.
    pub async fn nyckeltal_current_values(
        &self,
        catalogue: &Catalogue,
        max_period: Option<i32>,
    ) -> Result<Vec<Observation>> {
        let mut out = Vec::new();
        for ind in catalogue.indicators().iter().filter(|i| i.status == IndicatorStatus::Active) {
            let rows = sqlx::query(
                "SELECT org, period, t_value, t_missing, t_import, k_value, k_missing, k_import,
                        m_value, m_missing, m_import
                 FROM nyckeltal_value
                 WHERE indicator = $1 AND ($2 IS NULL OR period <= $2)
                 ORDER BY org, period",
            )
            .bind(ind.code.to_string())
            .bind(max_period.map(i64::from))
            .fetch_all(self.pool())
            .await?;
            for r in rows {
                let org: String = r.get(0);
                let period = Period(r.get::<i64, _>(1) as i32);
                // Genders in the order K, M, T, as when the table held one row per gender
                // (ordered by gender code), so that editions list their values as before.
                for (gender, c) in [(Gender::K, 5), (Gender::M, 8), (Gender::T, 2)] {
                    if r.get::<Option<i64>, _>(c + 2).is_none() {
                        continue;
                    }
                    out.push(Observation {
                        indicator: ind.code,
                        org: org.clone(),
                        period,
                        gender,
                        value: value_from_db(r.get(c), r.get::<Option<String>, _>(c + 1).as_deref()),
                    });
                }
            }
        }
        Ok(out)
    }

    /// Publishes the edition for `year`: freezes the catalogue and the values used. Refused when
    /// the year is already published or there are no values.
    pub async fn nyckeltal_publish(&self, year: i32, actor: &Actor) -> Result<EditionMeta> {
        if self.nyckeltal_edition_meta(year).await?.is_some() {
            return Err(StorageError::Conflict(format!(
                "Utgåvan {year} är redan publicerad. En publicerad utgåva ändras aldrig."
            )));
        }
        let catalogue = self.nyckeltal_catalogue().await?;
        let blocks = utgava::current_blocks(self, &catalogue, year).await?;
        if blocks.is_empty() {
            return Err(StorageError::Invalid(format!(
                "Det finns inga värden till och med {year} att publicera. Importera värden först."
            )));
        }
        let catalogue_json = serde_json::to_string(&catalogue).map_err(|e| internal(e.to_string()))?;
        // The names the edition shows are frozen with it (`utgavenamn`); without an installed
        // registry there is nothing to freeze (Kolada's names are shown).
        let registry_json = match self.registry().await {
            Ok(registry) => serde_json::to_string(&registry).map_err(|e| internal(e.to_string()))?,
            Err(StorageError::NotFound(_)) => String::new(),
            Err(e) => return Err(e),
        };
        let uid = crate::sessioner::random_token()[..24].to_string();
        let title = format!("Infografik {year}");
        let published_at = now_text();
        let value_count = blocks.total;
        let mut tx = self.audited_write(actor).await?;
        sqlx::query(
            "INSERT INTO nyckeltal_edition (year, uid, title, published_at, published_by, value_count, catalogue_json, values_json, registry_json, format)
             VALUES ($1, $2, $3, $4, $5, $6, $7, '', $8, $9)",
        )
        .bind(year as i64)
        .bind(&uid)
        .bind(&title)
        .bind(&published_at)
        .bind(&actor.username)
        .bind(value_count)
        .bind(&catalogue_json)
        .bind(&registry_json)
        .bind(utgava::FORMAT_BLOCKS)
        .execute(&mut *tx)
        .await?;
        utgava::write_blocks(tx.tx(), i64::from(year), blocks).await?;
        tx.commit(Entry {
            action: Action::PublishEdition,
            entity: Entity::IndicatorEdition,
            entity_id: &year.to_string(),
            before: None,
            after: Some(json!({"titel": title, "värden": value_count, "uid": uid})),
        })
        .await?;
        self.nyckeltal_checkpoint_wal().await;
        Ok(EditionMeta {
            year: year as i64,
            uid,
            title,
            published_at,
            published_by: actor.username.clone(),
            value_count,
        })
    }

    /// After a large write on an SQLite file (publishing, importing): copies the write-ahead log
    /// into the database and truncates it (`PRAGMA wal_checkpoint(TRUNCATE)`). Otherwise the
    /// next process that opens the database reads and checksums the whole log (tens of MB after
    /// a national edition) before its first query. Best effort: a checkpoint that cannot finish
    /// (a long reader) leaves the log to SQLite's own checkpoints.
    async fn nyckeltal_checkpoint_wal(&self) {
        if self.sqlite_file().is_some() {
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(self.pool()).await {
                tracing::warn!(error = %e, "WAL-kontrollpunkten efter skrivningen misslyckades");
            }
        }
    }

    /// The published editions, newest first.
    pub async fn nyckeltal_editions(&self) -> Result<Vec<EditionMeta>> {
        Ok(sqlx::query_as::<_, EditionMeta>(
            "SELECT year, uid, title, published_at, published_by, value_count FROM nyckeltal_edition ORDER BY year DESC",
        )
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn nyckeltal_edition_meta(&self, year: i32) -> Result<Option<EditionMeta>> {
        Ok(sqlx::query_as::<_, EditionMeta>(
            "SELECT year, uid, title, published_at, published_by, value_count FROM nyckeltal_edition WHERE year = $1",
        )
        .bind(year as i64)
        .fetch_optional(self.pool())
        .await?)
    }

    async fn nyckeltal_frozen(&self, meta: &EditionMeta) -> Result<Arc<(Catalogue, Dataset)>> {
        if let Some(hit) = edition_cache().lock().ok().and_then(|mut c| c.get(&meta.uid)) {
            return Ok(hit);
        }
        // One load at a time: when many requests miss at once (after a start or a publication),
        // the others wait for the first load instead of each parsing the same large JSON.
        static LOADING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
        let _loading = LOADING.lock().await;
        if let Some(hit) = edition_cache().lock().ok().and_then(|mut c| c.get(&meta.uid)) {
            return Ok(hit);
        }
        let catalogue = (*self.nyckeltal_edition_catalogue(meta).await?).clone();
        let data = self.nyckeltal_edition_dataset(meta).await?;
        let weight = utgava::dataset_weight(&data);
        let entry = Arc::new((catalogue, data));
        if let Ok(mut c) = edition_cache().lock() {
            c.insert(meta.uid.clone(), entry.clone(), weight);
        }
        Ok(entry)
    }

    /// The published edition for `year`, or — when it is not published — a preview built from the
    /// current values with period ≤ `year` and the catalogue in force (`meta.uid` is empty and
    /// `meta.published_at` too). The previous edition is the newest published one before `year`.
    pub async fn nyckeltal_edition_or_preview(&self, year: i32) -> Result<Edition> {
        let editions = self.nyckeltal_editions().await?;
        self.nyckeltal_edition_among(year, &editions).await
    }

    /// As [`Db::nyckeltal_edition_or_preview`], with the published editions already loaded
    /// ([`Db::nyckeltal_editions`]): a page that lists the editions anyway then needs no further
    /// query for a published edition whose content is cached.
    pub async fn nyckeltal_edition_among(&self, year: i32, editions: &[EditionMeta]) -> Result<Edition> {
        let previous_meta = editions.iter().filter(|e| e.year < i64::from(year)).max_by_key(|e| e.year);
        let previous = match previous_meta {
            Some(pm) => Some((pm.year, self.nyckeltal_shown(pm).await?)),
            None => None,
        };
        let previous_uid = previous_meta.map(|pm| pm.uid.clone()).unwrap_or_default();
        if let Some(meta) = editions.iter().find(|e| e.year == i64::from(year)) {
            let frozen = self.nyckeltal_frozen(meta).await?;
            return Ok(Edition { meta: meta.clone(), frozen, previous, previous_uid, focus_view: None });
        }
        let catalogue = self.nyckeltal_catalogue().await?;
        let values = self.nyckeltal_current_values(&catalogue, Some(year)).await?;
        let data = Dataset::new(values).map_err(|e| corrupt(e.to_string()))?;
        Ok(Edition {
            meta: EditionMeta {
                year: year as i64,
                uid: String::new(),
                title: format!("Förhandsvisning {year} (ej publicerad)"),
                published_at: String::new(),
                published_by: String::new(),
                value_count: data.len() as i64,
            },
            frozen: Arc::new((catalogue, data)),
            previous,
            previous_uid,
            focus_view: None,
        })
    }

    /// One focus organisation's view of the edition for `year` (`editions` as from
    /// [`Db::nyckeltal_editions`]): for a published edition only the blocks its evaluation needs
    /// are read — the focus's own values, the comparison values of the periods shown, and what
    /// the previous edition showed for the focus — and the view is cached by (edition, previous
    /// edition, focus). [`Edition::evaluate`] and [`Edition::summary`] for that focus give
    /// exactly what they give on the whole edition. A year that is not published gives the
    /// whole preview ([`Db::nyckeltal_edition_among`]).
    pub async fn nyckeltal_edition_for_focus(
        &self,
        year: i32,
        editions: &[EditionMeta],
        focus: &str,
    ) -> Result<Edition> {
        let Some(meta) = editions.iter().find(|e| e.year == i64::from(year)) else {
            return self.nyckeltal_edition_among(year, editions).await;
        };
        let previous_meta = editions.iter().filter(|e| e.year < i64::from(year)).max_by_key(|e| e.year);
        let previous_uid = previous_meta.map(|pm| pm.uid.clone()).unwrap_or_default();
        let key = format!("{}/{previous_uid}/{focus}", meta.uid);
        if let Some(hit) = focus_cache().lock().ok().and_then(|mut c| c.get(&key)) {
            return Ok(hit);
        }
        let (frozen, weight) = match self.nyckeltal_focus_data(meta, focus).await? {
            Some((catalogue, data)) => {
                let weight = utgava::dataset_weight(&data);
                (Arc::new(((*catalogue).clone(), data)), weight)
            }
            // Not yet converted: the whole edition.
            None => (self.nyckeltal_frozen(meta).await?, 0),
        };
        let previous = match previous_meta {
            Some(pm) => Some((
                pm.year,
                match self.nyckeltal_shown_for(pm, focus).await? {
                    Some(shown) => Arc::new(shown),
                    None => self.nyckeltal_shown(pm).await?,
                },
            )),
            None => None,
        };
        let edition = Edition {
            meta: meta.clone(),
            frozen,
            previous,
            previous_uid,
            focus_view: Some(focus.to_string()),
        };
        if weight > 0 {
            if let Ok(mut c) = focus_cache().lock() {
                c.insert(key, edition.clone(), weight);
            }
        }
        Ok(edition)
    }

    /// What the published edition `meta` showed, from the cache by uid or derived once.
    async fn nyckeltal_shown(&self, meta: &EditionMeta) -> Result<Arc<PreviousEdition>> {
        if let Some(hit) = previous_cache().lock().ok().and_then(|c| c.get(&meta.uid).cloned()) {
            return Ok(hit);
        }
        // One derivation at a time (see `nyckeltal_frozen`); it takes that function's lock
        // inside this one, never the other way round.
        static DERIVING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
        let _deriving = DERIVING.lock().await;
        if let Some(hit) = previous_cache().lock().ok().and_then(|c| c.get(&meta.uid).cloned()) {
            return Ok(hit);
        }
        let frozen = self.nyckeltal_frozen(meta).await?;
        let shown = Arc::new(PreviousEdition::from_dataset(&frozen.1, &frozen.0));
        if let Ok(mut c) = previous_cache().lock() {
            if c.len() >= 16 {
                c.clear();
            }
            c.insert(meta.uid.clone(), shown.clone());
        }
        Ok(shown)
    }

    /// Whether any stored values come from the synthetic demo data.
    pub async fn nyckeltal_has_demo_data(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM nyckeltal_import WHERE source = 'demo'")
            .fetch_one(self.pool())
            .await?;
        Ok(n > 0)
    }

    /// Loads a published edition with what the previous edition showed.
    pub async fn nyckeltal_edition(&self, year: i32) -> Result<Option<Edition>> {
        let editions = self.nyckeltal_editions().await?;
        if !editions.iter().any(|e| e.year == i64::from(year)) {
            return Ok(None);
        }
        Ok(Some(self.nyckeltal_edition_among(year, &editions).await?))
    }
}

fn same_value(a: Value, b: Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y,
        _ => a.code() == b.code(),
    }
}

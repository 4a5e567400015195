//! Writing an import: the import row, its raw documents, the new and changed values and the
//! audit entry, in one transaction.
//!
//! Values are stored one row per (indicator, organisation, period) with the three genders side by
//! side (migration 0007). A validated batch is sorted by (indicator, organisation code, period,
//! gender), and so is the table (its primary key), so classifying the batch against the stored
//! values is a merge of two sorted lists per indicator ([`plan_indicator`]), not a hash map of
//! everything stored.
//!
//! Two writers execute the same plan:
//! - **SQLite file databases** ([`import_sqlite`]): one dedicated rusqlite connection, one
//!   prepared upsert reused for every row. sqlx costs a few microseconds per statement (its
//!   worker-thread round trip and argument boxing), which alone capped imports at ~200 000
//!   values/s; the same statements through rusqlite cost well under one.
//! - **PostgreSQL and in-memory SQLite** ([`write_values_sqlx`]): multi-row upserts through the
//!   pool's transaction.

use super::{
    same_value, value_from_db, zlib, BatchRow, ImportMeta, ImportReport, RawBody, RawDoc, ValueBatch,
};
use crate::audit::{self, Action, Actor, Entity, Entry};
use crate::db::Tx;
use crate::{Result, StorageError};
use gnv_core::nyckeltal::{Gender, IndicatorCode, Value};
use serde_json::json;
use sqlx::Row;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::Path;

/// Rows per multi-row upsert on the sqlx path (twelve parameters each). SQLite resolves a
/// numbered parameter (`$N`) by a linear scan, so very long statements bind slowly; ~200
/// parameters per statement measured best.
const ROWS_PER_UPSERT: usize = 16;

/// The slot of a gender in a stored row, in column order (`t_…`, `k_…`, `m_…`).
fn slot(g: Gender) -> usize {
    match g {
        Gender::T => 0,
        Gender::K => 1,
        Gender::M => 2,
    }
}

/// The stored values of one (indicator, organisation, period), by gender slot.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct StoredRow {
    pub org: String,
    pub period: i32,
    pub values: [Option<Value>; 3],
}

/// One row to write: the genders to set; the others keep what is stored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct WideWrite {
    pub org: u32,
    pub period: i32,
    pub set: [Option<Value>; 3],
    /// A row for the key is stored (so the write updates it; otherwise it inserts one).
    pub stored: bool,
}

/// Values added (new key), changed (other value or code) and skipped (identical).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Counts {
    pub added: usize,
    pub changed: usize,
    pub skipped: usize,
}

/// Classifies the batch rows of one indicator — sorted by (organisation code, period, gender),
/// as [`ValueBatch::validate`] leaves them — against that indicator's stored rows, sorted by
/// (organisation code, period) in byte order, and returns the rows to write.
pub(super) fn plan_indicator(
    rows: &[BatchRow],
    orgs: &[String],
    stored: &[StoredRow],
    counts: &mut Counts,
) -> Vec<WideWrite> {
    let mut out = Vec::new();
    let mut j = 0;
    for group in rows.chunk_by(|a, b| a.org == b.org && a.period == b.period) {
        let (org, period) = (group[0].org, group[0].period);
        let code = orgs[org as usize].as_str();
        while j < stored.len() && (stored[j].org.as_str(), stored[j].period) < (code, period) {
            j += 1;
        }
        let old = stored.get(j).filter(|s| s.org == code && s.period == period).map(|s| s.values);
        let mut set = [None; 3];
        for r in group {
            let k = slot(r.gender);
            match old.and_then(|o| o[k]) {
                None => {
                    counts.added += 1;
                    set[k] = Some(r.value);
                }
                Some(v) if same_value(v, r.value) => counts.skipped += 1,
                Some(_) => {
                    counts.changed += 1;
                    set[k] = Some(r.value);
                }
            }
        }
        if set.iter().any(Option::is_some) {
            out.push(WideWrite { org, period, set, stored: old.is_some() });
        }
    }
    out
}

/// A stored gender slot from its three columns; `None` when the gender has no value.
fn stored_slot(value: Option<f64>, missing: Option<&str>, import: Option<i64>) -> Option<Value> {
    import.map(|_| value_from_db(value, missing))
}

/// The stored rows of one indicator (sqlx: `$1`; rusqlite reads `$1` as the first parameter).
const SELECT_STORED: &str =
    "SELECT org, period, t_value, t_missing, t_import, k_value, k_missing, k_import, \
     m_value, m_missing, m_import FROM nyckeltal_value WHERE indicator = $1 ORDER BY org, period";

const INSERT_IMPORT: &str =
    "INSERT INTO nyckeltal_import (source, description, fetched_at, imported_by, added, changed, skipped)
     VALUES ($1, $2, $3, $4, 0, 0, 0) RETURNING id";
const INSERT_RAW: &str =
    "INSERT INTO nyckeltal_raw (import_id, name, body, body_zlib, body_size) VALUES ($1, $2, '', $3, $4)";
const UPDATE_COUNTS: &str =
    "UPDATE nyckeltal_import SET added = $1, changed = $2, skipped = $3 WHERE id = $4";

/// New rows per INSERT on the SQLite path: one statement step per 16 rows instead of per row.
const ROWS_PER_SQLITE_INSERT: usize = 16;

/// `INSERT … VALUES (…), …` for `rows` rows of twelve parameters each: indicator, organisation,
/// period, and value, missing code and import id per gender (T, K, M).
fn insert_sql(rows: usize) -> String {
    use std::fmt::Write as _;
    let mut sql = String::with_capacity(200 + rows * 70);
    sql.push_str(
        "INSERT INTO nyckeltal_value (indicator, org, period, t_value, t_missing, t_import, \
         k_value, k_missing, k_import, m_value, m_missing, m_import) VALUES ",
    );
    for i in 0..rows {
        sql.push_str(if i == 0 { "(" } else { ", (" });
        for p in 0..12 {
            let _ = write!(sql, "{}${}", if p == 0 { "" } else { ", " }, i * 12 + p + 1);
        }
        sql.push(')');
    }
    sql
}

/// [`insert_sql`] with `ON CONFLICT … DO UPDATE`: a gender whose import id is NULL keeps its
/// stored value. Portable: SQLite ≥ 3.24 and PostgreSQL.
pub(super) fn upsert_sql(rows: usize) -> String {
    use std::fmt::Write as _;
    let mut sql = insert_sql(rows);
    sql.push_str(" ON CONFLICT (indicator, org, period) DO UPDATE SET ");
    for (i, x) in ["t", "k", "m"].iter().enumerate() {
        let _ = write!(
            sql,
            "{sep}{x}_value = CASE WHEN excluded.{x}_import IS NULL THEN nyckeltal_value.{x}_value ELSE excluded.{x}_value END, \
             {x}_missing = CASE WHEN excluded.{x}_import IS NULL THEN nyckeltal_value.{x}_missing ELSE excluded.{x}_missing END, \
             {x}_import = COALESCE(excluded.{x}_import, nyckeltal_value.{x}_import)",
            sep = if i == 0 { "" } else { ", " }
        );
    }
    sql
}

/// The audit entry's `after` of an import.
fn audit_after(
    meta: &ImportMeta,
    fetched_at: &str,
    indicators: &BTreeSet<IndicatorCode>,
    report: &ImportReport,
    raw: &[RawDoc],
) -> serde_json::Value {
    json!({
        "källa": meta.source,
        "beskrivning": meta.description,
        "hämtat": fetched_at,
        "nyckeltal": indicators.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        "värden": report.total,
        "tillagda": report.added,
        "ändrade": report.changed,
        "oförändrade": report.skipped,
        "dokument": raw.iter().map(|d| d.name.clone()).collect::<Vec<_>>(),
    })
}

fn audit_entry(import_id: &str, after: serde_json::Value) -> Entry<'_> {
    Entry {
        action: Action::ImportValues,
        entity: Entity::IndicatorImport,
        entity_id: import_id,
        before: None,
        after: Some(after),
    }
}

/// A raw document as stored: zlib-compressed bytes and the text's length.
fn raw_stored(doc: &RawDoc) -> Result<(Cow<'_, [u8]>, i64)> {
    Ok(match &doc.body {
        RawBody::Zlib { bytes, size } => (Cow::Borrowed(bytes.as_slice()), *size as i64),
        RawBody::Text(_) | RawBody::File(_) => {
            let text = super::raw_doc_text(doc)
                .map_err(|e| StorageError::Invalid(format!("Kunde inte läsa {}: {e}", doc.name)))?;
            (Cow::Owned(zlib(text.as_bytes())), text.len() as i64)
        }
    })
}

/// What both writers need besides the batch.
pub(super) struct ImportJob<'a> {
    pub raw: &'a [RawDoc],
    pub meta: &'a ImportMeta,
    pub fetched_at: &'a str,
    pub actor: &'a Actor,
    pub indicators: &'a BTreeSet<IndicatorCode>,
}

fn phase(started: std::time::Instant, name: &str) {
    tracing::debug!("nyckeltal_import: {name} klart efter {:.3} s", started.elapsed().as_secs_f64());
}

/// Writes a validated batch through the pool (PostgreSQL, in-memory SQLite).
pub(super) async fn import_sqlx(
    mut tx: Tx<'_>,
    batch: &ValueBatch,
    job: &ImportJob<'_>,
) -> Result<ImportReport> {
    let started = std::time::Instant::now();
    let import_id: i64 = sqlx::query_scalar(INSERT_IMPORT)
        .bind(&job.meta.source)
        .bind(&job.meta.description)
        .bind(job.fetched_at)
        .bind(&job.actor.username)
        .fetch_one(&mut *tx)
        .await?;
    for doc in job.raw {
        let (body, size) = raw_stored(doc)?;
        sqlx::query(INSERT_RAW)
            .bind(import_id)
            .bind(&doc.name)
            .bind(body.as_ref())
            .bind(size)
            .execute(&mut *tx)
            .await?;
    }
    phase(started, "råa dokument");
    let mut counts = Counts::default();
    let full_sql = upsert_sql(ROWS_PER_UPSERT);
    for rows in batch.rows().chunk_by(|a, b| a.indicator == b.indicator) {
        let indicator = rows[0].indicator.to_string();
        let mut stored: Vec<StoredRow> = sqlx::query(SELECT_STORED)
            .bind(&indicator)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| StoredRow {
                org: r.get(0),
                period: r.get::<i64, _>(1) as i32,
                values: std::array::from_fn(|k| {
                    let c = 2 + 3 * k;
                    stored_slot(r.get(c), r.get::<Option<String>, _>(c + 1).as_deref(), r.get(c + 2))
                }),
            })
            .collect();
        // The database's text order need not be byte order (PostgreSQL collations).
        stored.sort_by(|a, b| (a.org.as_str(), a.period).cmp(&(b.org.as_str(), b.period)));
        let writes = plan_indicator(rows, batch.orgs(), &stored, &mut counts);
        for chunk in writes.chunks(ROWS_PER_UPSERT) {
            let partial;
            let sql = if chunk.len() == ROWS_PER_UPSERT {
                full_sql.as_str()
            } else {
                partial = upsert_sql(chunk.len());
                partial.as_str()
            };
            let mut q = sqlx::query(sql);
            for w in chunk {
                q = q
                    .bind(indicator.as_str())
                    .bind(batch.orgs()[w.org as usize].as_str())
                    .bind(w.period as i64);
                for v in w.set {
                    // sqlx 0.8.6's Any driver sends a NULL f64 to PostgreSQL typed FLOAT4 (its
                    // Real/Double null mapping is swapped); the statement, cached with that
                    // type, then refuses a later 8-byte value ("incorrect binary data format").
                    // A NULL f32 comes out as FLOAT8.
                    q = match v.and_then(Value::number) {
                        Some(x) => q.bind(x),
                        None => q.bind(None::<f32>),
                    };
                    q = q.bind(v.and_then(Value::code)).bind(v.map(|_| import_id));
                }
            }
            q.execute(&mut *tx).await?;
        }
    }
    phase(started, "värden");
    let report = finish_report(import_id, batch, job, counts);
    sqlx::query(UPDATE_COUNTS)
        .bind(counts.added as i64)
        .bind(counts.changed as i64)
        .bind(counts.skipped as i64)
        .bind(import_id)
        .execute(&mut *tx)
        .await?;
    let id = import_id.to_string();
    let after = audit_after(job.meta, job.fetched_at, job.indicators, &report, job.raw);
    audit::record(&mut tx, job.actor, audit_entry(&id, after)).await?;
    tx.commit().await?;
    phase(started, "commit");
    Ok(report)
}

fn finish_report(import_id: i64, batch: &ValueBatch, job: &ImportJob<'_>, counts: Counts) -> ImportReport {
    ImportReport {
        import_id,
        total: batch.rows().len(),
        added: counts.added,
        changed: counts.changed,
        skipped: counts.skipped,
        missing: batch.missing_counts(),
        documents: job.raw.len(),
    }
}

/// Writes a validated batch into the SQLite database file `path` through a dedicated rusqlite
/// connection, in one `BEGIN IMMEDIATE` transaction (the same write lock the pool takes).
/// Blocking: call from a blocking thread.
///
/// Foreign keys are not enforced on this connection: the only references written are to the
/// import row inserted first in the same transaction, and checking them cost one lookup per
/// gender per row.
pub(super) fn import_sqlite(path: &Path, batch: &ValueBatch, job: &ImportJob<'_>) -> Result<ImportReport> {
    use rusqlite::{params, OpenFlags, TransactionBehavior};
    let started = std::time::Instant::now();
    let mut conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    // 64 MiB page cache: the table's B-tree pages stay in memory during a large import.
    conn.pragma_update(None, "cache_size", -65536)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let import_id: i64 = tx.query_row(
        INSERT_IMPORT,
        params![job.meta.source, job.meta.description, job.fetched_at, job.actor.username],
        |r| r.get(0),
    )?;
    {
        let mut insert = tx.prepare(INSERT_RAW)?;
        for doc in job.raw {
            let (body, size) = raw_stored(doc)?;
            insert.execute(params![import_id, doc.name, body.as_ref(), size])?;
        }
    }
    phase(started, "råa dokument");
    let mut counts = Counts::default();
    {
        let mut select = tx.prepare(SELECT_STORED)?;
        // New keys (all of them in a first import) take a plain multi-row INSERT, which costs
        // less than the upsert's conflict check; stored keys take the upsert, one row at a time.
        let mut insert = tx.prepare(&insert_sql(ROWS_PER_SQLITE_INSERT))?;
        let mut insert_one = tx.prepare(&insert_sql(1))?;
        let mut upsert = tx.prepare(&upsert_sql(1))?;
        for rows in batch.rows().chunk_by(|a, b| a.indicator == b.indicator) {
            let indicator = rows[0].indicator.to_string();
            let stored = select
                .query_map([&indicator], |r| {
                    let mut values = [None; 3];
                    for (k, v) in values.iter_mut().enumerate() {
                        let c = 2 + 3 * k;
                        *v = stored_slot(
                            r.get(c)?,
                            r.get::<_, Option<String>>(c + 1)?.as_deref(),
                            r.get(c + 2)?,
                        );
                    }
                    Ok(StoredRow { org: r.get(0)?, period: r.get(1)?, values })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            // SQLite orders TEXT by bytes (BINARY collation), as the batch is sorted.
            let writes = plan_indicator(rows, batch.orgs(), &stored, &mut counts);
            let (new, old): (Vec<&WideWrite>, Vec<&WideWrite>) = writes.iter().partition(|w| !w.stored);
            let row = |stmt: &mut rusqlite::Statement<'_>, at: usize, w: &WideWrite| {
                bind_row(stmt, at, &indicator, &batch.orgs()[w.org as usize], w, import_id)
            };
            let mut chunks = new.chunks_exact(ROWS_PER_SQLITE_INSERT);
            for chunk in &mut chunks {
                for (i, w) in chunk.iter().enumerate() {
                    row(&mut insert, i * 12, w)?;
                }
                insert.raw_execute()?;
            }
            for w in chunks.remainder() {
                row(&mut insert_one, 0, w)?;
                insert_one.raw_execute()?;
            }
            for w in old {
                row(&mut upsert, 0, w)?;
                upsert.raw_execute()?;
            }
        }
    }
    phase(started, "värden");
    let report = finish_report(import_id, batch, job, counts);
    tx.execute(
        UPDATE_COUNTS,
        params![counts.added as i64, counts.changed as i64, counts.skipped as i64, import_id],
    )?;
    let id = import_id.to_string();
    let after = audit_after(job.meta, job.fetched_at, job.indicators, &report, job.raw);
    audit::record_sqlite(&tx, job.actor, audit_entry(&id, after))?;
    tx.commit()?;
    phase(started, "commit");
    Ok(report)
}

/// Binds one row's twelve parameters, starting after parameter `at`.
fn bind_row(
    stmt: &mut rusqlite::Statement<'_>,
    at: usize,
    indicator: &str,
    org: &str,
    w: &WideWrite,
    import_id: i64,
) -> rusqlite::Result<()> {
    stmt.raw_bind_parameter(at + 1, indicator)?;
    stmt.raw_bind_parameter(at + 2, org)?;
    stmt.raw_bind_parameter(at + 3, w.period)?;
    for (k, v) in w.set.iter().enumerate() {
        let p = at + 4 + 3 * k;
        stmt.raw_bind_parameter(p, v.and_then(Value::number))?;
        stmt.raw_bind_parameter(p + 1, v.and_then(Value::code))?;
        stmt.raw_bind_parameter(p + 2, v.map(|_| import_id))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gnv_core::nyckeltal::Period;

    fn batch(rows: &[(&str, i32, Gender, Value)]) -> ValueBatch {
        let mut b = ValueBatch::new();
        let code: IndicatorCode = "1.1".parse().expect("kod");
        for (org, year, g, v) in rows {
            b.push(code, org, Period(*year), *g, *v);
        }
        b.validate().expect("giltig");
        b
    }

    fn stored(org: &str, period: i32, values: [Option<Value>; 3]) -> StoredRow {
        StoredRow { org: org.to_string(), period, values }
    }

    #[test]
    fn new_values_are_added_and_grouped_per_organisation_and_year() {
        let b = batch(&[
            ("2080", 2024, Gender::M, Value::Number(3.0)),
            ("2080", 2024, Gender::T, Value::Number(1.0)),
            ("2080", 2024, Gender::K, Value::Number(2.0)),
            ("0020", 2024, Gender::T, Value::Missing),
        ]);
        let mut c = Counts::default();
        let w = plan_indicator(b.rows(), b.orgs(), &[], &mut c);
        assert_eq!(c, Counts { added: 4, changed: 0, skipped: 0 });
        assert_eq!(w.len(), 2);
        assert_eq!(b.orgs()[w[0].org as usize], "0020");
        assert_eq!(w[0].set, [Some(Value::Missing), None, None]);
        assert_eq!(b.orgs()[w[1].org as usize], "2080");
        assert_eq!(w[1].set, [Some(Value::Number(1.0)), Some(Value::Number(2.0)), Some(Value::Number(3.0))]);
    }

    #[test]
    fn stored_values_are_matched_by_organisation_and_year() {
        let b = batch(&[
            ("2080", 2023, Gender::T, Value::Number(1.0)), // identical: skipped
            ("2080", 2023, Gender::K, Value::Number(5.0)), // other value: changed
            ("2080", 2023, Gender::M, Value::Confidential), // gender not stored: added
            ("2080", 2024, Gender::T, Value::Number(7.0)), // no stored row: added
            ("2085", 2023, Gender::T, Value::Missing),     // missing code identical: skipped
        ]);
        let s = vec![
            stored("0020", 2023, [Some(Value::Number(9.0)), None, None]),
            stored("2080", 2022, [Some(Value::Number(1.0)), None, None]),
            stored("2080", 2023, [Some(Value::Number(1.0)), Some(Value::Number(2.0)), None]),
            stored("2085", 2023, [Some(Value::Missing), None, None]),
            stored("2999", 2023, [Some(Value::Number(1.0)), None, None]),
        ];
        let mut c = Counts::default();
        let w = plan_indicator(b.rows(), b.orgs(), &s, &mut c);
        assert_eq!(c, Counts { added: 2, changed: 1, skipped: 2 });
        // Only genders that change are set; the skipped T keeps its stored value.
        assert_eq!(
            w.iter().map(|w| (b.orgs()[w.org as usize].as_str(), w.period, w.set)).collect::<Vec<_>>(),
            vec![
                ("2080", 2023, [None, Some(Value::Number(5.0)), Some(Value::Confidential)]),
                ("2080", 2024, [Some(Value::Number(7.0)), None, None]),
            ]
        );
    }

    #[test]
    fn a_missing_code_replacing_a_number_is_a_change() {
        let b = batch(&[("1980", 2024, Gender::T, Value::NotApplicable)]);
        let s = vec![stored("1980", 2024, [Some(Value::Number(4.5)), None, None])];
        let mut c = Counts::default();
        let w = plan_indicator(b.rows(), b.orgs(), &s, &mut c);
        assert_eq!(c, Counts { added: 0, changed: 1, skipped: 0 });
        assert_eq!(w[0].set, [Some(Value::NotApplicable), None, None]);
    }

    #[test]
    fn appended_batches_keep_their_organisations_and_documents() {
        let code: IndicatorCode = "1.1".parse().expect("kod");
        let mut a = ValueBatch::new();
        a.begin_document("a.json");
        a.push(code, "2080", Period(2024), Gender::T, Value::Number(1.0));
        a.push(code, "0020", Period(2024), Gender::T, Value::Number(2.0));
        let mut b = ValueBatch::new();
        b.begin_document("b.json");
        b.push(code, "2062", Period(2024), Gender::T, Value::Number(3.0));
        b.push(code, "2080", Period(2024), Gender::T, Value::Number(4.0));
        a.append(b);
        assert_eq!(a.len(), 4);
        let rows: Vec<(&str, f64)> =
            a.rows().iter().map(|r| (a.org_code(r.org), r.value.number().unwrap_or(f64::NAN))).collect();
        assert_eq!(rows, vec![("2080", 1.0), ("0020", 2.0), ("2062", 3.0), ("2080", 4.0)]);
        // The duplicate is reported naming both documents.
        let err = a.validate().expect_err("dubblett").to_string();
        assert!(
            err.contains("organisation 2080, år 2024, kön T") && err.contains("i a.json och b.json"),
            "{err}"
        );
    }

    #[test]
    fn upsert_numbers_twelve_parameters_per_row() {
        let sql = upsert_sql(2);
        assert!(sql.contains("($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12), ($13,"));
        assert!(sql.contains("$24)"));
        assert!(!sql.contains("$25"));
        assert!(sql.contains("m_import = COALESCE(excluded.m_import, nyckeltal_value.m_import)"));
    }

    /// Migration 0007 turns the one-row-per-gender table into the wide one without losing a value
    /// or its provenance.
    #[tokio::test]
    #[allow(clippy::type_complexity)] // one row of the table as a tuple, to compare whole rows
    async fn migration_0007_keeps_every_value_and_its_import() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("gammal.db");
        {
            let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", path.display()))
                .await
                .expect("öppna");
            let before = sqlx::migrate::Migrator {
                migrations: crate::db::MIGRATOR
                    .migrations
                    .iter()
                    .filter(|m| m.version < 7)
                    .cloned()
                    .collect::<Vec<_>>()
                    .into(),
                ..sqlx::migrate::Migrator::DEFAULT
            };
            before.run(&pool).await.expect("migreringar 1-6");
            sqlx::raw_sql(
                "INSERT INTO nyckeltal_import (id, source, description, fetched_at, imported_by, added, changed, skipped)
                 VALUES (1, 'demo', '', '2025-01-01T00:00:00Z', 'x', 4, 0, 0),
                        (2, 'kolada', '', '2025-02-01T00:00:00Z', 'x', 1, 0, 0);
                 INSERT INTO nyckeltal_value (indicator, org, period, gender, value, missing, import_id) VALUES
                   ('1.1', '2080', 2023, 'T', 71.5, NULL, 1),
                   ('1.1', '2080', 2023, 'K', NULL, '..', 2),
                   ('1.1', '2080', 2024, 'M', 3.25, NULL, 1),
                   ('2.3', '0020', 2023, 'T', NULL, '-', 1),
                   ('2.3', '0020', 2023, 'M', 0.0, NULL, 1);",
            )
            .execute(&pool)
            .await
            .expect("gamla värden");
            pool.close().await;
        }
        let db = crate::Db::open(&path).await.expect("migrering 7");
        let rows: Vec<(String, String, i64, Option<f64>, Option<String>, Option<i64>, Option<f64>, Option<String>, Option<i64>, Option<f64>, Option<i64>)> =
            sqlx::query_as(
                "SELECT indicator, org, period, t_value, t_missing, t_import, k_value, k_missing, k_import, m_value, m_import
                 FROM nyckeltal_value ORDER BY indicator, org, period",
            )
            .fetch_all(db.pool())
            .await
            .expect("läsa");
        assert_eq!(
            rows,
            vec![
                (
                    "1.1".into(),
                    "2080".into(),
                    2023,
                    Some(71.5),
                    None,
                    Some(1),
                    None,
                    Some("..".into()),
                    Some(2),
                    None,
                    None
                ),
                ("1.1".into(), "2080".into(), 2024, None, None, None, None, None, None, Some(3.25), Some(1)),
                (
                    "2.3".into(),
                    "0020".into(),
                    2023,
                    None,
                    Some("-".into()),
                    Some(1),
                    None,
                    None,
                    None,
                    Some(0.0),
                    Some(1)
                ),
            ]
        );
        assert_eq!(db.nyckeltal_value_count().await.expect("antal"), 5);
        assert!(db.integrity_check().await.expect("kontroll").is_empty());
    }
}

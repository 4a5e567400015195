//! Frozen editions in a compact binary form (#19, migration `0013`).
//!
//! An edition's values are written once, when it is published, in blocks with a fixed binary
//! layout, each stored with a CRC-32 of its body that is checked on every read:
//!
//! - a **period block** per (indicator, period) — `nyckeltal_edition_period` — holds every
//!   organisation's T/K/M values for that period, sorted by organisation code;
//! - an **organisation block** per organisation — `nyckeltal_edition_org` — holds all of that
//!   organisation's values, sorted by (indicator, period).
//!
//! A focus organisation's evaluation needs its own series (its organisation block) and, for
//! each indicator and sex, the comparison group's values for the period of the focus's newest
//! value (the period blocks of those periods): [`Db::nyckeltal_edition_for_focus`] reads exactly
//! those, and "what the previous edition showed" from the previous edition's block of the
//! focus. Nothing is parsed as text. The whole edition (indicator pages, open data) is read from
//! the period blocks.
//!
//! Layout (little-endian): a block is the magic `GNVB`, a version byte (1), a kind byte (`P`
//! period block, `O` organisation block) and the number of entries (u32), then the entries. A
//! period-block entry is the organisation code (u8 length, UTF-8 bytes) and three value slots
//! T, K, M; an organisation-block entry is the indicator (sub-goal u8, number u8), the period
//! (i32) and three slots. A slot is a tag byte — 0 no value, 1 a number (followed by its eight
//! bytes, f64), 2 `-` bortfall, 3 `.` ej tillämplig, 4 `..` sekretess.
//!
//! Editions published before (format 1: the values as one JSON document) are converted by
//! [`Db::nyckeltal_upgrade_editions`], which [`Db::connect`] runs after the migrations: the
//! JSON is read with the same reader as before, so every value is the same `f64`.

use super::{corrupt, internal, value_from_db, EditionMeta, FrozenValue};
use crate::{Db, Result, StorageError};
use gnv_core::nyckeltal::{
    Catalogue, Dataset, DatasetBuilder, Direction, Gender, IndicatorCode, IndicatorStatus, Observation,
    Period, Value,
};
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

/// `nyckeltal_edition.format`: the values as one JSON document (before #19).
pub(super) const FORMAT_JSON: i64 = 1;
/// `nyckeltal_edition.format`: period and organisation blocks.
pub(super) const FORMAT_BLOCKS: i64 = 2;

const MAGIC: &[u8; 4] = b"GNVB";
const VERSION: u8 = 1;
const KIND_PERIOD: u8 = b'P';
const KIND_ORG: u8 = b'O';

/// The values of one key by sex, in the order T, K, M.
pub(super) type Slots = [Option<Value>; 3];

fn slot_index(g: Gender) -> usize {
    match g {
        Gender::T => 0,
        Gender::K => 1,
        Gender::M => 2,
    }
}

const SLOT_GENDERS: [Gender; 3] = [Gender::T, Gender::K, Gender::M];

fn put_slots(out: &mut Vec<u8>, slots: &Slots) {
    for s in slots {
        match s {
            None => out.push(0),
            Some(Value::Number(x)) => {
                out.push(1);
                out.extend_from_slice(&x.to_le_bytes());
            }
            Some(Value::Missing) => out.push(2),
            Some(Value::NotApplicable) => out.push(3),
            Some(Value::Confidential) => out.push(4),
        }
    }
}

/// A block being written: header, then entries appended in key order.
pub(super) struct BlockWriter {
    body: Vec<u8>,
    entries: u32,
    values: i64,
    /// Organisation blocks: the key of the last entry. Period blocks: where the last entry's
    /// organisation code starts in `body` (entries must come in code order).
    last_key: Option<(IndicatorCode, i32)>,
    last_org_at: usize,
}

impl BlockWriter {
    fn new(kind: u8) -> Self {
        let mut body = Vec::with_capacity(256);
        body.extend_from_slice(MAGIC);
        body.push(VERSION);
        body.push(kind);
        body.extend_from_slice(&0u32.to_le_bytes());
        BlockWriter { body, entries: 0, values: 0, last_key: None, last_org_at: 0 }
    }

    fn count(&mut self, slots: &Slots) {
        self.entries += 1;
        self.values += slots.iter().filter(|s| s.is_some()).count() as i64;
    }

    fn push_period_entry(&mut self, org: &str, slots: &Slots) -> Result<()> {
        if self.entries > 0 {
            let at = self.last_org_at;
            let len = usize::from(self.body[at]);
            if &self.body[at + 1..at + 1 + len] >= org.as_bytes() {
                return Err(internal("Utgåvans värden kom i fel ordning (organisation)."));
            }
        }
        self.last_org_at = self.body.len();
        self.body.push(org.len() as u8);
        self.body.extend_from_slice(org.as_bytes());
        put_slots(&mut self.body, slots);
        self.count(slots);
        Ok(())
    }

    fn push_org_entry(&mut self, indicator: IndicatorCode, period: i32, slots: &Slots) {
        self.body.push(indicator.subgoal());
        self.body.push(indicator.number());
        self.body.extend_from_slice(&period.to_le_bytes());
        put_slots(&mut self.body, slots);
        self.count(slots);
    }

    /// The finished body, its value count and its checksum.
    fn finish(mut self) -> (Vec<u8>, i64, i64) {
        self.body[6..10].copy_from_slice(&self.entries.to_le_bytes());
        let checksum = i64::from(crc32fast::hash(&self.body));
        (self.body, self.values, checksum)
    }
}

/// Reads a block's entries, refusing anything that does not match the layout.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    what: &'a str,
}

impl<'a> Reader<'a> {
    /// Checks checksum and header; returns the reader positioned at the first entry and the
    /// number of entries.
    fn open(bytes: &'a [u8], checksum: i64, kind: u8, what: &'a str) -> Result<(Self, u32)> {
        if i64::from(crc32fast::hash(bytes)) != checksum {
            return Err(damaged(what, "kontrollsumman stämmer inte"));
        }
        if bytes.len() < 10 || &bytes[..4] != MAGIC || bytes[4] != VERSION || bytes[5] != kind {
            return Err(damaged(what, "okänt format"));
        }
        let n = u32::from_le_bytes([bytes[6], bytes[7], bytes[8], bytes[9]]);
        Ok((Reader { bytes, at: 10, what }, n))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|e| *e <= self.bytes.len());
        let Some(end) = end else { return Err(damaged(self.what, "blocket är avkortat")) };
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn byte(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn slots(&mut self) -> Result<Slots> {
        let mut out: Slots = [None; 3];
        for s in &mut out {
            *s = match self.byte()? {
                0 => None,
                1 => {
                    let b = self.take(8)?;
                    let mut a = [0u8; 8];
                    a.copy_from_slice(b);
                    Some(Value::Number(f64::from_le_bytes(a)))
                }
                2 => Some(Value::Missing),
                3 => Some(Value::NotApplicable),
                4 => Some(Value::Confidential),
                _ => return Err(damaged(self.what, "okänd värdekod")),
            };
        }
        Ok(out)
    }

    fn period_entry(&mut self) -> Result<(&'a str, Slots)> {
        let len = self.byte()? as usize;
        let org = std::str::from_utf8(self.take(len)?)
            .map_err(|_| damaged(self.what, "ogiltig organisationskod"))?;
        Ok((org, self.slots()?))
    }

    fn org_entry(&mut self) -> Result<(IndicatorCode, i32, Slots)> {
        let (sg, nr) = (self.byte()?, self.byte()?);
        let indicator =
            IndicatorCode::new(sg, nr).ok_or_else(|| damaged(self.what, "ogiltig nyckeltalskod"))?;
        let p = self.take(4)?;
        let period = i32::from_le_bytes([p[0], p[1], p[2], p[3]]);
        Ok((indicator, period, self.slots()?))
    }

    fn done(&self) -> Result<()> {
        if self.at == self.bytes.len() {
            Ok(())
        } else {
            Err(damaged(self.what, "överflödiga byte i blocket"))
        }
    }
}

fn damaged(what: &str, why: &str) -> StorageError {
    StorageError::Corrupt(format!("Utgåvans värden ({what}) kunde inte läsas: {why}."))
}

/// Calls `f` for every entry of a period block.
fn each_period_entry(body: &[u8], checksum: i64, what: &str, mut f: impl FnMut(&str, Slots)) -> Result<()> {
    let (mut r, n) = Reader::open(body, checksum, KIND_PERIOD, what)?;
    for _ in 0..n {
        let (org, slots) = r.period_entry()?;
        f(org, slots);
    }
    r.done()
}

/// The entries of an organisation block.
fn org_entries(body: &[u8], checksum: i64, what: &str) -> Result<Vec<(IndicatorCode, i32, Slots)>> {
    let (mut r, n) = Reader::open(body, checksum, KIND_ORG, what)?;
    let mut out = Vec::with_capacity(n as usize);
    for _ in 0..n {
        out.push(r.org_entry()?);
    }
    r.done()?;
    Ok(out)
}

/// The blocks of one edition, built from its values in any order.
#[derive(Default)]
pub(super) struct Blocks {
    /// (indicator, period) → organisation → slots.
    periods: BTreeMap<(IndicatorCode, i32), BTreeMap<String, Slots>>,
}

/// A finished block ready to be stored: key, value count, body, checksum.
pub(super) struct StoredBlock<K> {
    pub key: K,
    pub values: i64,
    pub body: Vec<u8>,
    pub checksum: i64,
}

impl Blocks {
    pub(super) fn add(
        &mut self,
        indicator: IndicatorCode,
        org: &str,
        period: i32,
        gender: Gender,
        value: Value,
    ) {
        let by_org = self.periods.entry((indicator, period)).or_default();
        let slots = match by_org.get_mut(org) {
            Some(s) => s,
            None => by_org.entry(org.to_string()).or_insert([None; 3]),
        };
        slots[slot_index(gender)] = Some(value);
    }

    /// The finished period and organisation blocks.
    pub(super) fn finish(self) -> Result<Built> {
        let mut b = Builder::default();
        // (indicator, period) ascending; the builder needs (indicator, organisation, period).
        let mut rows: Vec<(IndicatorCode, &str, i32, &Slots)> = self
            .periods
            .iter()
            .flat_map(|((ind, period), by_org)| {
                by_org.iter().map(move |(org, s)| (*ind, org.as_str(), *period, s))
            })
            .collect();
        rows.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
        for (ind, org, period, slots) in rows {
            b.row(ind, org, period, slots)?;
        }
        Ok(b.finish())
    }
}

/// An edition's finished blocks: period blocks by (indicator, period), organisation blocks by
/// organisation code, and the number of values.
pub(super) struct Built {
    pub periods: Vec<StoredBlock<(IndicatorCode, i32)>>,
    pub orgs: Vec<StoredBlock<String>>,
    pub total: i64,
}

impl Built {
    pub(super) fn is_empty(&self) -> bool {
        self.periods.is_empty()
    }
}

/// Builds an edition's blocks in one pass over its rows in (indicator, organisation, period)
/// order — the order of `nyckeltal_value`'s primary key, so the stored rows are read straight
/// into the blocks: each row is appended to its organisation's block and to its (indicator,
/// period) block, and the period blocks of an indicator are finished when the next indicator
/// starts. No map of the whole edition is built.
#[derive(Default)]
pub(super) struct Builder {
    built: Vec<StoredBlock<(IndicatorCode, i32)>>,
    total: i64,
    indicator: Option<IndicatorCode>,
    /// The period blocks of the current indicator (a handful of periods).
    open: Vec<(i32, BlockWriter)>,
    /// Organisation blocks and their index by code.
    orgs: Vec<(String, BlockWriter)>,
    org_index: HashMap<String, usize>,
    /// The organisation of the previous row (rows of one organisation come together).
    last_org: Option<usize>,
}

impl Builder {
    /// Adds one stored row; a row without any value is skipped. Rows must come in
    /// (indicator, organisation code by bytes, period) order: anything else is refused.
    pub(super) fn row(
        &mut self,
        indicator: IndicatorCode,
        org: &str,
        period: i32,
        slots: &Slots,
    ) -> Result<()> {
        if slots.iter().all(Option::is_none) {
            return Ok(());
        }
        if self.indicator != Some(indicator) {
            if self.indicator.is_some_and(|i| i > indicator) {
                return Err(internal("Utgåvans värden kom i fel ordning (nyckeltal)."));
            }
            self.finish_indicator();
            self.indicator = Some(indicator);
            self.last_org = None;
        }
        let oi = match self.last_org.filter(|&i| self.orgs[i].0 == org) {
            Some(i) => i,
            None => {
                let i = match self.org_index.get(org) {
                    Some(&i) => i,
                    None => {
                        if org.len() > usize::from(u8::MAX) {
                            return Err(internal(format!(
                                "Organisationskoden \"{org}\" är för lång för en utgåva."
                            )));
                        }
                        self.orgs.push((org.to_string(), BlockWriter::new(KIND_ORG)));
                        self.org_index.insert(org.to_string(), self.orgs.len() - 1);
                        self.orgs.len() - 1
                    }
                };
                self.last_org = Some(i);
                i
            }
        };
        let ow = &mut self.orgs[oi].1;
        if ow.last_key.is_some_and(|k| k >= (indicator, period)) {
            return Err(internal("Utgåvans värden kom i fel ordning (period)."));
        }
        ow.last_key = Some((indicator, period));
        ow.push_org_entry(indicator, period, slots);
        let pw = match self.open.iter().position(|(p, _)| *p == period) {
            Some(i) => i,
            None => {
                self.open.push((period, BlockWriter::new(KIND_PERIOD)));
                self.open.len() - 1
            }
        };
        self.open[pw].1.push_period_entry(org, slots)
    }

    fn finish_indicator(&mut self) {
        let Some(indicator) = self.indicator else { return };
        let mut open = std::mem::take(&mut self.open);
        open.sort_by_key(|(p, _)| *p);
        for (period, w) in open {
            let (body, values, checksum) = w.finish();
            self.total += values;
            self.built.push(StoredBlock { key: (indicator, period), values, body, checksum });
        }
    }

    pub(super) fn finish(mut self) -> Built {
        self.finish_indicator();
        self.orgs.sort_by(|a, b| a.0.cmp(&b.0));
        let orgs = self
            .orgs
            .into_iter()
            .map(|(org, w)| {
                let (body, values, checksum) = w.finish();
                StoredBlock { key: org, values, body, checksum }
            })
            .collect();
        Built { periods: self.built, orgs, total: self.total }
    }
}

/// Writes an edition's blocks inside the publishing (or converting) transaction. Organisation
/// codes longer than 255 bytes cannot be stored (they are four-digit codes in practice).
pub(super) async fn write_blocks(tx: &mut crate::db::Tx<'_>, year: i64, blocks: Built) -> Result<i64> {
    let Built { periods, orgs, total } = blocks;
    // Multi-row inserts: a few thousand blocks for a national edition.
    for chunk in periods.chunks(64) {
        let mut sql = String::from(
            "INSERT INTO nyckeltal_edition_period (year, indicator, period, value_count, body, checksum) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 6;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6
            ));
        }
        let mut q = sqlx::query(&sql);
        for p in chunk {
            q = q
                .bind(year)
                .bind(p.key.0.to_string())
                .bind(i64::from(p.key.1))
                .bind(p.values)
                .bind(p.body.as_slice())
                .bind(p.checksum);
        }
        q.execute(&mut **tx).await?;
    }
    for chunk in orgs.chunks(64) {
        let mut sql = String::from(
            "INSERT INTO nyckeltal_edition_org (year, org, value_count, body, checksum) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 5;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("(${}, ${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4, b + 5));
        }
        let mut q = sqlx::query(&sql);
        for o in chunk {
            q = q.bind(year).bind(&o.key).bind(o.values).bind(o.body.as_slice()).bind(o.checksum);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(total)
}

const SELECT_CURRENT: &str = "SELECT org, period, t_value, t_missing, t_import, k_value, k_missing, k_import,
            m_value, m_missing, m_import
     FROM nyckeltal_value
     WHERE indicator = $1 AND period <= $2
     ORDER BY org, period";

/// The blocks of the stored values of the catalogue's active indicators with period ≤
/// `max_period` (the values an edition freezes). On an SQLite file they are read through a
/// rusqlite connection of their own (as the import writes them, see `import`) straight into the
/// blocks, in the primary key's order: sqlx's per-row cost made reading a national edition's
/// million rows take seconds.
pub(super) async fn current_blocks(db: &Db, catalogue: &Catalogue, max_period: i32) -> Result<Built> {
    let mut active: Vec<IndicatorCode> = catalogue
        .indicators()
        .iter()
        .filter(|i| i.status == IndicatorStatus::Active)
        .map(|i| i.code)
        .collect();
    active.sort();
    if let Some(path) = db.sqlite_file().map(std::path::PathBuf::from) {
        return tokio::task::spawn_blocking(move || current_blocks_sqlite(&path, &active, max_period))
            .await
            .map_err(|e| internal(format!("Publiceringen avbröts: {e}")))?;
    }
    // PostgreSQL (and in-memory SQLite): the database's text order need not be byte order, so
    // the rows go through the sorted map.
    let mut blocks = Blocks::default();
    for code in active {
        let rows = sqlx::query(SELECT_CURRENT)
            .bind(code.to_string())
            .bind(i64::from(max_period))
            .fetch_all(db.pool())
            .await?;
        for r in rows {
            let org: String = r.get(0);
            let period = r.get::<i64, _>(1) as i32;
            for (gender, c) in [(Gender::T, 2), (Gender::K, 5), (Gender::M, 8)] {
                if r.get::<Option<i64>, _>(c + 2).is_none() {
                    continue;
                }
                let value = value_from_db(r.get(c), r.get::<Option<String>, _>(c + 1).as_deref());
                blocks.add(code, &org, period, gender, value);
            }
        }
    }
    blocks.finish()
}

fn current_blocks_sqlite(path: &std::path::Path, active: &[IndicatorCode], max_period: i32) -> Result<Built> {
    use rusqlite::types::ValueRef;
    use rusqlite::OpenFlags;
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "cache_size", -65536)?;
    let mut select = conn.prepare(&SELECT_CURRENT.replace('$', "?"))?;
    let mut b = Builder::default();
    let bad = |what: &str| internal(format!("Ett lagrat värde kunde inte läsas ({what})."));
    for &code in active {
        let mut rows = select.query(rusqlite::params![code.to_string(), i64::from(max_period)])?;
        while let Some(r) = rows.next()? {
            let ValueRef::Text(org) = r.get_ref(0)? else { return Err(bad("organisation")) };
            let org = std::str::from_utf8(org).map_err(|_| bad("organisation"))?;
            let period = r.get::<_, i64>(1)? as i32;
            let mut slots: Slots = [None; 3];
            for (k, slot) in slots.iter_mut().enumerate() {
                let c = 2 + 3 * k;
                if matches!(r.get_ref(c + 2)?, ValueRef::Null) {
                    continue;
                }
                let missing = match r.get_ref(c + 1)? {
                    ValueRef::Text(t) => Some(std::str::from_utf8(t).map_err(|_| bad("saknadkod"))?),
                    _ => None,
                };
                *slot = Some(value_from_db(r.get::<_, Option<f64>>(c)?, missing));
            }
            b.row(code, org, period, &slots)?;
        }
    }
    Ok(b.finish())
}

// ---------------------------------------------------------------------------------------------
// Reading

/// An edition's frozen catalogue, by uid (a few kB; read for every focus view).
fn catalogue_cache() -> &'static Mutex<HashMap<String, Arc<Catalogue>>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Catalogue>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// A cache whose entries are weighed (estimated bytes): the least recently used entries are
/// dropped while the total is over the bound; an entry heavier than the bound is not kept.
pub(super) struct SizedCache<V> {
    bound: usize,
    total: usize,
    tick: u64,
    entries: HashMap<String, (V, usize, u64)>,
}

impl<V: Clone> SizedCache<V> {
    pub(super) fn new(bound: usize) -> Self {
        SizedCache { bound, total: 0, tick: 0, entries: HashMap::new() }
    }

    pub(super) fn get(&mut self, key: &str) -> Option<V> {
        self.tick += 1;
        let tick = self.tick;
        self.entries.get_mut(key).map(|e| {
            e.2 = tick;
            e.0.clone()
        })
    }

    pub(super) fn insert(&mut self, key: String, value: V, weight: usize) {
        if weight > self.bound {
            return;
        }
        self.tick += 1;
        if let Some(old) = self.entries.insert(key, (value, weight, self.tick)) {
            self.total -= old.1;
        }
        self.total += weight;
        while self.total > self.bound {
            let Some(oldest) = self.entries.iter().min_by_key(|e| e.1 .2).map(|e| e.0.clone()) else { break };
            if let Some(e) = self.entries.remove(&oldest) {
                self.total -= e.1;
            }
        }
    }

    #[cfg(test)]
    fn total(&self) -> usize {
        self.total
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.len()
    }
}

/// Estimated bytes of a loaded edition in memory: per value its period and value in a series
/// (24 bytes) and a share of the series and organisation index.
pub(super) fn dataset_weight(data: &Dataset) -> usize {
    data.len() * 32 + data.organisations().len() * 64 + 4096
}

impl Db {
    /// The frozen catalogue of a published edition.
    pub(super) async fn nyckeltal_edition_catalogue(&self, meta: &EditionMeta) -> Result<Arc<Catalogue>> {
        if let Some(hit) = catalogue_cache().lock().ok().and_then(|c| c.get(&meta.uid).cloned()) {
            return Ok(hit);
        }
        let (json,): (String,) =
            sqlx::query_as("SELECT catalogue_json FROM nyckeltal_edition WHERE uid = $1")
                .bind(&meta.uid)
                .fetch_one(self.pool())
                .await?;
        let catalogue: Arc<Catalogue> = Arc::new(
            serde_json::from_str(&json)
                .map_err(|e| corrupt(format!("Utgåvans katalog kunde inte läsas: {e}")))?,
        );
        if let Ok(mut c) = catalogue_cache().lock() {
            if c.len() >= 256 {
                c.clear();
            }
            c.insert(meta.uid.clone(), catalogue.clone());
        }
        Ok(catalogue)
    }

    /// The storage format of a published edition.
    async fn nyckeltal_edition_format(&self, year: i64) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT format FROM nyckeltal_edition WHERE year = $1")
            .bind(year)
            .fetch_one(self.pool())
            .await?)
    }

    /// Every value of a published edition as a [`Dataset`] (from the period blocks, each
    /// organisation code interned once; or from the JSON of an edition not yet converted).
    pub(super) async fn nyckeltal_edition_dataset(&self, meta: &EditionMeta) -> Result<Dataset> {
        if self.nyckeltal_edition_format(meta.year).await? == FORMAT_JSON {
            let (json,): (String,) =
                sqlx::query_as("SELECT values_json FROM nyckeltal_edition WHERE uid = $1")
                    .bind(&meta.uid)
                    .fetch_one(self.pool())
                    .await?;
            return Dataset::new(legacy_observations(&json)?).map_err(|e| corrupt(e.to_string()));
        }
        let rows: Vec<(String, i64, Vec<u8>, i64)> = sqlx::query_as(
            "SELECT indicator, period, body, checksum FROM nyckeltal_edition_period
             WHERE year = $1 ORDER BY indicator, period",
        )
        .bind(meta.year)
        .fetch_all(self.pool())
        .await?;
        let mut data = DatasetBuilder::with_capacity(meta.value_count.max(0) as usize);
        for (indicator, period, body, checksum) in rows {
            let code: IndicatorCode = indicator.parse().map_err(corrupt)?;
            let what = format!("{} {indicator} {period}", meta.year);
            let period = Period(period as i32);
            each_period_entry(&body, checksum, &what, |org, slots| {
                let org = data.org(org);
                for (g, s) in SLOT_GENDERS.iter().zip(slots) {
                    if let Some(value) = s {
                        data.push(code, org, period, *g, value);
                    }
                }
            })?;
        }
        data.finish().map_err(|e| corrupt(e.to_string()))
    }

    /// The entries of one organisation's block in a published edition (empty when it has
    /// none).
    async fn nyckeltal_edition_org_block(
        &self,
        meta: &EditionMeta,
        org: &str,
    ) -> Result<Vec<(IndicatorCode, i32, Slots)>> {
        let row: Option<(Vec<u8>, i64)> =
            sqlx::query_as("SELECT body, checksum FROM nyckeltal_edition_org WHERE year = $1 AND org = $2")
                .bind(meta.year)
                .bind(org)
                .fetch_optional(self.pool())
                .await?;
        let Some((body, checksum)) = row else { return Ok(Vec::new()) };
        org_entries(&body, checksum, &format!("{} {org}", meta.year))
    }

    /// What a focus organisation's evaluation of a published edition needs: the catalogue, the
    /// focus's own values and, for every compared indicator and sex, every organisation's values
    /// of the period of the focus's newest value. `None` for an edition not yet converted to
    /// blocks (the caller reads the whole edition).
    pub(super) async fn nyckeltal_focus_data(
        &self,
        meta: &EditionMeta,
        focus: &str,
    ) -> Result<Option<(Arc<Catalogue>, Dataset)>> {
        if self.nyckeltal_edition_format(meta.year).await? == FORMAT_JSON {
            return Ok(None);
        }
        let catalogue = self.nyckeltal_edition_catalogue(meta).await?;
        // Built value by value: each organisation code is interned once, no `Observation`
        // (and its `String`) per value.
        let mut data = DatasetBuilder::default();
        let focus_key = data.org(focus);
        // The periods shown: per compared indicator and sex, the focus's newest numeric value.
        let mut newest: HashMap<(IndicatorCode, Gender), i32> = HashMap::new();
        for (indicator, period, slots) in self.nyckeltal_edition_org_block(meta, focus).await? {
            for (g, s) in SLOT_GENDERS.iter().zip(slots) {
                if let Some(value) = s {
                    if value.number().is_some() {
                        let e = newest.entry((indicator, *g)).or_insert(period);
                        *e = (*e).max(period);
                    }
                    data.push(indicator, focus_key, Period(period), *g, value);
                }
            }
        }
        // Per (indicator, period) the sexes ranked there: the others' values of a sex that is
        // not compared are not read into the view.
        let mut needed: Vec<(IndicatorCode, i32, [bool; 3])> = Vec::new();
        for ind in catalogue.indicators() {
            if ind.status == IndicatorStatus::UnderDevelopment || ind.direction == Direction::None {
                continue;
            }
            for &g in gnv_core::nyckeltal::varde::evaluated_genders(ind.split_by_sex) {
                if let Some(&p) = newest.get(&(ind.code, g)) {
                    match needed.iter_mut().find(|n| n.0 == ind.code && n.1 == p) {
                        Some(n) => n.2[slot_index(g)] = true,
                        None => {
                            let mut sexes = [false; 3];
                            sexes[slot_index(g)] = true;
                            needed.push((ind.code, p, sexes));
                        }
                    }
                }
            }
        }
        for (code, period, sexes) in needed {
            let row: Option<(Vec<u8>, i64)> = sqlx::query_as(
                "SELECT body, checksum FROM nyckeltal_edition_period
                 WHERE year = $1 AND indicator = $2 AND period = $3",
            )
            .bind(meta.year)
            .bind(code.to_string())
            .bind(i64::from(period))
            .fetch_optional(self.pool())
            .await?;
            let Some((body, checksum)) = row else { continue };
            let what = format!("{} {code} {period}", meta.year);
            each_period_entry(&body, checksum, &what, |org, slots| {
                if org == focus {
                    return; // already read with the focus's own values
                }
                let org = data.org(org);
                for ((g, s), wanted) in SLOT_GENDERS.iter().zip(slots).zip(sexes) {
                    if let (Some(value), true) = (s, wanted) {
                        data.push(code, org, Period(period), *g, value);
                    }
                }
            })?;
        }
        let data = data.finish().map_err(|e| corrupt(e.to_string()))?;
        Ok(Some((catalogue, data)))
    }

    /// What the published edition `meta` showed for one organisation (the "not updated" rule
    /// needs nothing else); `None` for an edition not yet converted to blocks.
    pub(super) async fn nyckeltal_shown_for(
        &self,
        meta: &EditionMeta,
        org: &str,
    ) -> Result<Option<gnv_core::nyckeltal::PreviousEdition>> {
        if self.nyckeltal_edition_format(meta.year).await? == FORMAT_JSON {
            return Ok(None);
        }
        let catalogue = self.nyckeltal_edition_catalogue(meta).await?;
        let mut data = DatasetBuilder::default();
        let key = data.org(org);
        for (indicator, period, slots) in self.nyckeltal_edition_org_block(meta, org).await? {
            for (g, s) in SLOT_GENDERS.iter().zip(slots) {
                if let Some(value) = s {
                    data.push(indicator, key, Period(period), *g, value);
                }
            }
        }
        let data = data.finish().map_err(|e| corrupt(e.to_string()))?;
        Ok(Some(gnv_core::nyckeltal::PreviousEdition::from_dataset(&data, &catalogue)))
    }

    /// Converts every edition still stored as JSON (format 1) to blocks, one transaction per
    /// edition (blocks written, `format` set to 2, `values_json` emptied). The JSON is read with
    /// the reader editions were always read with, so every value, code and name stays the same.
    /// Idempotent: converted editions are skipped. Returns the years converted.
    pub async fn nyckeltal_upgrade_editions(&self) -> Result<Vec<i64>> {
        let years: Vec<(i64,)> =
            sqlx::query_as("SELECT year FROM nyckeltal_edition WHERE format = $1 ORDER BY year")
                .bind(FORMAT_JSON)
                .fetch_all(self.pool())
                .await?;
        let mut done = Vec::new();
        for (year,) in years {
            let mut tx = self.pool().begin().await?;
            // Read inside the write transaction: a second instance converting at the same time
            // waits for this one and then finds the edition converted.
            let row: Option<(i64, String)> =
                sqlx::query_as("SELECT format, values_json FROM nyckeltal_edition WHERE year = $1")
                    .bind(year)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((FORMAT_JSON, json)) = row else { continue };
            let mut blocks = Blocks::default();
            for o in legacy_observations(&json)? {
                blocks.add(o.indicator, &o.org, o.period.0, o.gender, o.value);
            }
            write_blocks(&mut tx, year, blocks.finish()?).await?;
            sqlx::query("UPDATE nyckeltal_edition SET format = $1, values_json = '' WHERE year = $2")
                .bind(FORMAT_BLOCKS)
                .bind(year)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            tracing::info!(year, "nyckeltalsutgåvan konverterades till block");
            done.push(year);
        }
        Ok(done)
    }
}

/// The values of an edition stored as JSON (format 1), read as before #19.
fn legacy_observations(json: &str) -> Result<Vec<Observation>> {
    let frozen: Vec<FrozenValue> =
        serde_json::from_str(json).map_err(|e| corrupt(format!("Utgåvans värden kunde inte läsas: {e}")))?;
    Ok(frozen
        .into_iter()
        .map(|FrozenValue(indicator, org, period, gender, value)| Observation {
            indicator,
            org,
            period,
            gender,
            value,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> IndicatorCode {
        s.parse().unwrap()
    }

    #[test]
    fn blocks_keep_every_value_and_code_and_refuse_damage() {
        let mut b = Blocks::default();
        b.add(code("2.1"), "2084", 2024, Gender::T, Value::Number(12.345678901234567));
        b.add(code("2.1"), "2084", 2024, Gender::M, Value::Confidential);
        b.add(code("2.1"), "0020", 2024, Gender::K, Value::Missing);
        b.add(code("2.1"), "0020", 2023, Gender::T, Value::NotApplicable);
        b.add(code("1.2"), "2084", 2020, Gender::T, Value::Number(-0.0));
        let Built { periods, orgs, total } = b.finish().unwrap();
        assert_eq!(total, 5);
        assert_eq!(periods.len(), 3);
        assert_eq!(orgs.iter().map(|o| o.key.as_str()).collect::<Vec<_>>(), ["0020", "2084"]);
        let p = periods.iter().find(|p| p.key == (code("2.1"), 2024)).unwrap();
        let mut seen = Vec::new();
        each_period_entry(&p.body, p.checksum, "test", |org, s| seen.push((org.to_string(), s))).unwrap();
        assert_eq!(
            seen,
            [
                ("0020".to_string(), [None, Some(Value::Missing), None]),
                (
                    "2084".to_string(),
                    [Some(Value::Number(12.345678901234567)), None, Some(Value::Confidential)]
                ),
            ]
        );
        let o = orgs.iter().find(|o| o.key == "2084").unwrap();
        let entries = org_entries(&o.body, o.checksum, "test").unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].0, code("1.2"), "sorted by indicator, then period");
        assert!(matches!(entries[0].2[0], Some(Value::Number(x)) if x == 0.0 && x.is_sign_negative()));
        // A changed byte fails the checksum; a wrong checksum is refused too.
        let mut bad = p.body.clone();
        *bad.last_mut().unwrap() ^= 1;
        let err = each_period_entry(&bad, p.checksum, "2025 2.1 2024", |_, _| {}).unwrap_err();
        assert!(
            err.to_string().contains("(2025 2.1 2024) kunde inte läsas: kontrollsumman stämmer inte"),
            "{err}"
        );
        // A truncated block with a matching checksum is refused, not read past its end.
        let short = p.body[..p.body.len() - 3].to_vec();
        let sum = i64::from(crc32fast::hash(&short));
        assert!(each_period_entry(&short, sum, "t", |_, _| {}).unwrap_err().to_string().contains("avkortat"));
        assert!(org_entries(&p.body, p.checksum, "t").unwrap_err().to_string().contains("okänt format"));
    }

    #[test]
    fn the_builder_refuses_rows_out_of_key_order() {
        let one = [Some(Value::Number(1.0)), None, None];
        let mut b = Builder::default();
        b.row(code("1.1"), "2080", 2024, &one).unwrap();
        b.row(code("1.1"), "2080", 2025, &one).unwrap();
        b.row(code("1.1"), "2084", 2024, &one).unwrap();
        let err = b.row(code("1.1"), "2081", 2024, &one).unwrap_err().to_string();
        assert!(err.contains("fel ordning"), "{err}");
        let mut b = Builder::default();
        b.row(code("1.2"), "2080", 2024, &one).unwrap();
        assert!(b.row(code("1.1"), "2080", 2024, &one).is_err());
        // A row without values adds nothing.
        let mut b = Builder::default();
        b.row(code("1.1"), "2080", 2024, &[None; 3]).unwrap();
        assert!(b.finish().is_empty());
    }

    #[test]
    fn the_sized_cache_drops_the_least_recently_used_entries() {
        let mut c: SizedCache<u32> = SizedCache::new(100);
        c.insert("a".into(), 1, 40);
        c.insert("b".into(), 2, 40);
        assert_eq!(c.get("a"), Some(1)); // a is now more recent than b
        c.insert("c".into(), 3, 40);
        assert_eq!((c.get("a"), c.get("b"), c.get("c")), (Some(1), None, Some(3)));
        assert_eq!(c.total(), 80);
        c.insert("huge".into(), 4, 101);
        assert_eq!(c.get("huge"), None, "heavier than the bound: not kept");
        assert_eq!(c.len(), 2);
    }
}

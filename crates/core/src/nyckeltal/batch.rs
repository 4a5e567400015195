//! An import batch of indicator values and the raw documents they came from.
//!
//! Every input path (Kolada API pages, saved Kolada files, manual CSV/XLSX values, the demo)
//! produces a [`ValueBatch`] and its [`RawDoc`]s; the storage adapter writes both in one
//! transaction. The batch is pure data: validation and sorting here, no I/O (a
//! [`RawBody::File`] is read by the adapter that writes it).

use super::{Gender, IndicatorCode, Observation, Period, Value};
use crate::error::{InputError, InputErrors, Location};
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;

/// One value in a batch; the organisation is an index into the batch's organisation codes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchRow {
    pub indicator: IndicatorCode,
    pub org: u32,
    pub period: i32,
    pub gender: Gender,
    pub value: Value,
    /// Index of the document the value came from (for error messages).
    pub doc: u32,
}

/// Values to import, collected from one or more documents. Organisation codes are interned so
/// that millions of values take little memory (32 bytes per value).
#[derive(Debug, Default)]
pub struct ValueBatch {
    orgs: Vec<String>,
    org_ids: HashMap<String, u32>,
    rows: Vec<BatchRow>,
    /// Document names, for error messages.
    docs: Vec<String>,
    sorted: bool,
}

/// A position in a [`ValueBatch`] to roll back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchMark {
    rows: usize,
    docs: usize,
}

/// Counts of missing-value codes in a batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MissingCounts {
    /// `-` bortfall
    pub missing: usize,
    /// `.` ej tillämplig
    pub not_applicable: usize,
    /// `..` sekretess
    pub confidential: usize,
}

impl MissingCounts {
    pub fn total(&self) -> usize {
        self.missing + self.not_applicable + self.confidential
    }
}

impl ValueBatch {
    pub fn new() -> Self {
        Self::default()
    }

    /// The interned organisation codes (a row's `org` indexes this).
    pub fn orgs(&self) -> &[String] {
        &self.orgs
    }

    /// Whether [`ValueBatch::validate`] has sorted the batch (and nothing was added since).
    pub fn is_sorted(&self) -> bool {
        self.sorted
    }

    /// Marks the start of a new document (file or response) for error messages.
    pub fn begin_document(&mut self, name: impl Into<String>) {
        self.docs.push(name.into());
    }

    fn intern(&mut self, org: &str) -> u32 {
        if let Some(&id) = self.org_ids.get(org) {
            return id;
        }
        let id = self.orgs.len() as u32;
        self.orgs.push(org.to_string());
        self.org_ids.insert(org.to_string(), id);
        id
    }

    /// Adds one value.
    pub fn push(
        &mut self,
        indicator: IndicatorCode,
        org: &str,
        period: Period,
        gender: Gender,
        value: Value,
    ) {
        let org = self.intern(org.trim());
        let doc = self.docs.len().saturating_sub(1) as u32;
        self.rows.push(BatchRow { indicator, org, period: period.0, gender, value, doc });
        self.sorted = false;
    }

    /// The id of an organisation code (trimmed), interning it on first use; for
    /// [`ValueBatch::push_interned`].
    pub fn intern_org(&mut self, org: &str) -> u32 {
        self.intern(org.trim())
    }

    /// Adds one value whose organisation was interned with [`ValueBatch::intern_org`].
    pub fn push_interned(
        &mut self,
        indicator: IndicatorCode,
        org: u32,
        period: Period,
        gender: Gender,
        value: Value,
    ) {
        let doc = self.docs.len().saturating_sub(1) as u32;
        self.rows.push(BatchRow { indicator, org, period: period.0, gender, value, doc });
        self.sorted = false;
    }

    /// The current end of the batch, for [`ValueBatch::rollback`].
    pub fn mark(&self) -> BatchMark {
        BatchMark { rows: self.rows.len(), docs: self.docs.len() }
    }

    /// Drops the values and documents added after `mark` (interned organisation codes stay;
    /// they are harmless).
    pub fn rollback(&mut self, mark: BatchMark) {
        self.rows.truncate(mark.rows);
        self.docs.truncate(mark.docs);
    }

    /// Appends another batch (read in parallel): its organisations are interned here and its
    /// document indices shifted, so messages still name the right documents.
    pub fn append(&mut self, other: ValueBatch) {
        let orgs: Vec<u32> = other.orgs.iter().map(|o| self.intern(o)).collect();
        let offset = self.docs.len() as u32;
        self.docs.extend(other.docs);
        self.rows.reserve(other.rows.len());
        self.rows.extend(other.rows.into_iter().map(|mut r| {
            r.org = orgs[r.org as usize];
            r.doc += offset;
            r
        }));
        self.sorted = false;
    }

    /// Adds observations.
    pub fn extend(&mut self, obs: impl IntoIterator<Item = Observation>) {
        for o in obs {
            self.push(o.indicator, &o.org, o.period, o.gender, o.value);
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn org_code(&self, id: u32) -> &str {
        &self.orgs[id as usize]
    }

    pub fn rows(&self) -> &[BatchRow] {
        &self.rows
    }

    /// Counts the missing-value codes.
    pub fn missing_counts(&self) -> MissingCounts {
        let mut c = MissingCounts::default();
        for r in &self.rows {
            match r.value {
                Value::Missing => c.missing += 1,
                Value::NotApplicable => c.not_applicable += 1,
                Value::Confidential => c.confidential += 1,
                Value::Number(_) => {}
            }
        }
        c
    }

    fn doc_of(&self, row: &BatchRow) -> Option<&str> {
        self.docs.get(row.doc as usize).map(String::as_str)
    }

    /// Validates the batch and sorts it by key (indicator, organisation, period, gender):
    /// refuses non-finite numbers, empty organisation codes, periods outside 1900–2200 and the
    /// same key twice (naming the documents). All problems are reported at once (at most 50).
    pub fn validate(&mut self) -> std::result::Result<(), InputErrors> {
        let mut errors = Vec::new();
        for r in &self.rows {
            let org = &self.orgs[r.org as usize];
            let loc = || Location { file: self.doc_of(r).map(str::to_string), ..Default::default() };
            if org.is_empty() {
                errors.push(InputError::new(
                    loc().with_field("organisation"),
                    format!("Värde för nyckeltal {} år {} saknar organisationskod.", r.indicator, r.period),
                ));
            }
            if !(1900..=2200).contains(&r.period) {
                errors.push(InputError::new(
                    loc().with_field("period"),
                    format!(
                        "Nyckeltal {}, organisation {org}: år {} är inte rimligt.",
                        r.indicator, r.period
                    ),
                ));
            }
            if let Value::Number(x) = r.value {
                if !x.is_finite() {
                    errors.push(InputError::new(
                        loc().with_field("värde"),
                        format!(
                            "Nyckeltal {}, organisation {org}, år {}, kön {}: värdet är inte ett ändligt tal.",
                            r.indicator,
                            r.period,
                            r.gender.as_str()
                        ),
                    ));
                }
            }
            if errors.len() >= 50 {
                break;
            }
        }
        if !errors.is_empty() {
            return Err(InputErrors(errors));
        }
        // Renumber the organisations in code order, so that sorting by the rows' own fields
        // sorts by key (no lookup per comparison; a third of the time of validating 10 million
        // values went to the sort before).
        let mut by_code: Vec<u32> = (0..self.orgs.len() as u32).collect();
        by_code.sort_by(|a, b| self.orgs[*a as usize].cmp(&self.orgs[*b as usize]));
        let mut rank: Vec<u32> = vec![0; self.orgs.len()];
        for (r, id) in by_code.iter().enumerate() {
            rank[*id as usize] = r as u32;
        }
        let mut old_orgs = std::mem::take(&mut self.orgs);
        self.orgs = by_code.iter().map(|id| std::mem::take(&mut old_orgs[*id as usize])).collect();
        self.org_ids = self.orgs.iter().enumerate().map(|(i, o)| (o.clone(), i as u32)).collect();
        let mut rows = std::mem::take(&mut self.rows);
        for r in &mut rows {
            r.org = rank[r.org as usize];
        }
        let key = |r: &BatchRow| (r.indicator, r.org, r.period, r.gender);
        rows.sort_unstable_by_key(|r| (key(r), r.doc));
        for w in rows.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            if key(a) == key(b) {
                let (da, db) = (self.doc_of(a).unwrap_or("?"), self.doc_of(b).unwrap_or("?"));
                let where_ = if da == db { format!("i {da}") } else { format!("i {da} och {db}") };
                errors.push(InputError::new(
                    Location::field("värde"),
                    format!(
                        "Nyckeltal {}, organisation {}, år {}, kön {} förekommer mer än en gång ({where_}).",
                        a.indicator,
                        self.orgs[a.org as usize],
                        a.period,
                        a.gender.as_str()
                    ),
                ));
                if errors.len() >= 50 {
                    break;
                }
            }
        }
        self.rows = rows;
        if !errors.is_empty() {
            return Err(InputErrors(errors));
        }
        self.docs.clear();
        self.sorted = true;
        Ok(())
    }
}

/// A raw document kept for provenance: its text, a file read when the import is written, or its
/// text already compressed (as stored; see [`RawDoc::compressed`]).
#[derive(Debug, Clone)]
pub enum RawBody {
    Text(String),
    File(PathBuf),
    /// zlib-compressed UTF-8 text and the text's length in bytes.
    Zlib {
        bytes: Vec<u8>,
        size: usize,
    },
}

/// One raw document of an import.
#[derive(Debug, Clone)]
pub struct RawDoc {
    /// Request URL or file name.
    pub name: String,
    pub body: RawBody,
}

impl RawDoc {
    /// A document compressed now, where its text is at hand (file readers compress on their
    /// own threads, so the writer does not read or compress anything).
    pub fn compressed(name: impl Into<String>, text: &str) -> RawDoc {
        RawDoc { name: name.into(), body: RawBody::Zlib { bytes: zlib(text.as_bytes()), size: text.len() } }
    }

    /// The document's text, for a body held in memory. A [`RawBody::File`] is read by the
    /// adapter (the core does no I/O): here it is an error.
    pub fn text(&self) -> std::io::Result<std::borrow::Cow<'_, str>> {
        use std::borrow::Cow;
        Ok(match &self.body {
            RawBody::Text(t) => Cow::Borrowed(t.as_str()),
            RawBody::File(p) => {
                return Err(std::io::Error::other(format!(
                    "{} är en fil som läses när importen skrivs",
                    p.display()
                )))
            }
            RawBody::Zlib { bytes, .. } => Cow::Owned(unzlib(bytes)?),
        })
    }
}

/// zlib at the fastest level: JSON pages shrink about tenfold at ~300 MB/s.
pub fn zlib(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut e =
        flate2::write::ZlibEncoder::new(Vec::with_capacity(bytes.len() / 8), flate2::Compression::fast());
    // Writing into a Vec cannot fail.
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

pub fn unzlib(bytes: &[u8]) -> std::io::Result<String> {
    use std::io::Read as _;
    let mut text = String::new();
    flate2::read::ZlibDecoder::new(bytes).read_to_string(&mut text)?;
    Ok(text)
}

//! Kolada v3 data pages (saved files or fetched responses) into a [`ValueBatch`].
//!
//! Rules: every page must be valid JSON of the v3 shape (see `gnv_core::nyckeltal::kolada`);
//! every KPI id must be a source of an active catalogue indicator; values are numbers or `null`
//! with a missing-value code in `status` (`-`, `.`, `..`); the same (indicator, organisation,
//! year, gender) may occur only once over all pages. All problems of all documents are
//! collected and reported together with the document's name; nothing is imported then.

use gnv_core::error::InputErrors;
use gnv_core::nyckeltal::batch::{RawBody, RawDoc, ValueBatch};
use gnv_core::nyckeltal::kolada::{
    parse_data_page, stream_data_page, to_observations, KpiMapping, NotFast, RowSink,
};
use gnv_core::nyckeltal::{Catalogue, Gender, IndicatorCode, Period, Value};
use std::path::PathBuf;

/// Puts streamed rows straight into the batch, caching the last KPI and organisation looked up
/// (rows come grouped by both).
struct BatchSink<'a> {
    batch: &'a mut ValueBatch,
    mapping: &'a KpiMapping,
    kpi: Option<(String, &'a [IndicatorCode])>,
    org: Option<(String, u32)>,
}

impl RowSink for BatchSink<'_> {
    fn row(
        &mut self,
        kpi: &str,
        municipality: &str,
        period: Period,
        values: &[(Gender, Value)],
    ) -> Result<(), NotFast> {
        let codes = match &self.kpi {
            Some((k, codes)) if k == kpi => *codes,
            _ => {
                // An unknown or malformed id: the slow path names it.
                let codes = self.mapping.indicators_for_id(kpi).ok_or(NotFast)?;
                self.kpi = Some((kpi.to_string(), codes));
                codes
            }
        };
        let org = match &self.org {
            Some((o, id)) if o == municipality => *id,
            _ => {
                let id = self.batch.intern_org(municipality);
                self.org = Some((municipality.to_string(), id));
                id
            }
        };
        for &indicator in codes {
            for &(gender, value) in values {
                self.batch.push_interned(indicator, org, period, gender, value);
            }
        }
        Ok(())
    }
}

/// Adds one data page to the batch. Returns the page's `next_page`, if any.
///
/// The page is first streamed straight into the batch ([`stream_data_page`]); when that fast
/// path gives up (any problem, or an unusual but valid shape) the page's rows are rolled back
/// and it is parsed again with [`parse_data_page`], which gives the located messages. Repeated
/// keys over different rows of one page are caught by [`validate`] over the whole batch.
pub fn add_page(
    batch: &mut ValueBatch,
    name: &str,
    text: &str,
    mapping: &KpiMapping,
) -> Result<Option<String>, InputErrors> {
    let mark = batch.mark();
    batch.begin_document(name);
    let mut sink = BatchSink { batch: &mut *batch, mapping, kpi: None, org: None };
    match stream_data_page(text, &mut sink) {
        Ok(next) => return Ok(next),
        Err(NotFast) => batch.rollback(mark),
    }
    let page = parse_data_page(text).map_err(|e| e.with_file(name))?;
    let obs = to_observations(&page.values, mapping).map_err(|e| e.with_file(name))?;
    batch.begin_document(name);
    batch.extend(obs);
    Ok(page.next_page)
}

/// Validates and sorts a batch read with [`add_page`]. When it is refused, the documents are
/// parsed once more with [`parse_data_page`] so that a key repeated inside one page is reported
/// with its JSON path and row, as that parser words it; otherwise the batch's own messages
/// (naming the documents) are returned.
pub fn validate(batch: &mut ValueBatch, raw: &[RawDoc]) -> Result<(), InputErrors> {
    let Err(batch_errors) = batch.validate() else { return Ok(()) };
    let mut errors = Vec::new();
    for doc in raw {
        let Ok(text) = doc.text() else { continue };
        if let Err(e) = parse_data_page(&text) {
            errors.extend(e.with_file(&doc.name).0);
        }
    }
    Err(if errors.is_empty() { batch_errors } else { InputErrors(errors) })
}

/// Explains an empty mapping (the default catalogue has no Kolada ids).
pub fn check_mapping(mapping: &KpiMapping) -> Result<(), InputErrors> {
    if mapping.kpi_ids().is_empty() {
        return Err(gnv_core::error::InputError::new(
            Default::default(),
            "Nyckeltalskatalogen har inga Kolada-id (fältet kallor). Lägg in id:n i katalogen innan Kolada-data importeras.",
        )
        .into());
    }
    Ok(())
}

/// Reads saved Kolada v3 data files into a validated batch and the raw documents (kept for
/// provenance, compressed as soon as each file is parsed).
///
/// The files are read and parsed on up to one thread per core, each a contiguous share of the
/// list into its own batch; the batches are then appended in list order, so the result and the
/// order of messages are the same as reading the files one by one.
pub fn load_files(
    paths: &[PathBuf],
    catalogue: &Catalogue,
) -> Result<(ValueBatch, Vec<RawDoc>), InputErrors> {
    let mapping = KpiMapping::from_catalogue(catalogue);
    check_mapping(&mapping)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let share = paths.len().div_ceil(threads).max(1);
    let parts: Vec<(ValueBatch, Vec<RawDoc>, Vec<gnv_core::error::InputError>)> = std::thread::scope(|s| {
        let handles: Vec<_> =
            paths.chunks(share).map(|chunk| s.spawn(|| read_files(chunk, &mapping))).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    // The first share's batch is the base (appending it too would hold it twice at the peak).
    let mut parts = parts.into_iter();
    let (mut batch, mut raw, mut errors) = parts.next().unwrap_or_default();
    for (b, r, e) in parts {
        batch.append(b);
        raw.extend(r);
        errors.extend(e);
    }
    if !errors.is_empty() {
        return Err(InputErrors(errors));
    }
    validate(&mut batch, &raw)?;
    Ok((batch, raw))
}

/// Reads and parses files one by one into a batch of their own (one thread of [`load_files`]).
fn read_files(
    paths: &[PathBuf],
    mapping: &KpiMapping,
) -> (ValueBatch, Vec<RawDoc>, Vec<gnv_core::error::InputError>) {
    let mut batch = ValueBatch::new();
    let mut raw = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        let name = p.display().to_string();
        match std::fs::read_to_string(p) {
            Ok(text) => match add_page(&mut batch, &name, &text, mapping) {
                Ok(_) => raw.push(RawDoc::compressed(name.as_str(), &text)),
                Err(e) => errors.extend(e.0),
            },
            Err(e) => errors.push(gnv_core::error::InputError::new(
                gnv_core::error::Location::default().with_file(name.clone()),
                format!("Filen kunde inte läsas: {e}"),
            )),
        }
    }
    (batch, raw, errors)
}

/// Like [`load_files`] for documents already in memory (web upload): (name, text).
pub fn load_texts(
    docs: Vec<(String, String)>,
    catalogue: &Catalogue,
) -> Result<(ValueBatch, Vec<RawDoc>), InputErrors> {
    let mapping = KpiMapping::from_catalogue(catalogue);
    check_mapping(&mapping)?;
    let mut batch = ValueBatch::new();
    let mut raw = Vec::new();
    let mut errors = Vec::new();
    for (name, text) in docs {
        match add_page(&mut batch, &name, &text, &mapping) {
            Ok(_) => raw.push(RawDoc { name, body: RawBody::Text(text) }),
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        return Err(InputErrors(errors));
    }
    validate(&mut batch, &raw)?;
    Ok((batch, raw))
}

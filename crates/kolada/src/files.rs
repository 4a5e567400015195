//! Kolada v3 data pages (saved files or fetched responses) into a [`ValueBatch`].
//!
//! Rules: every page must be valid JSON of the v3 shape (see `gnv_core::nyckeltal::kolada`);
//! every KPI id must be a source of an active catalogue indicator; values are numbers or `null`
//! with a missing-value code in `status` (`-`, `.`, `..`); the same (indicator, organisation,
//! year, gender) may occur only once over all pages. All problems of all documents are
//! collected and reported together with the document's name; nothing is imported then.

use gnv_core::fel::InputErrors;
use gnv_core::nyckeltal::kolada::{parse_data_page, to_observations, KpiMapping};
use gnv_core::nyckeltal::Catalogue;
use gnv_storage::nyckeltal::{RawBody, RawDoc, ValueBatch};
use std::path::PathBuf;

/// Adds one data page to the batch. Returns the page's `next_page`, if any.
pub fn add_page(
    batch: &mut ValueBatch,
    name: &str,
    text: &str,
    mapping: &KpiMapping,
) -> Result<Option<String>, InputErrors> {
    let page = parse_data_page(text).map_err(|e| e.with_file(name))?;
    let obs = to_observations(&page.values, mapping).map_err(|e| e.with_file(name))?;
    batch.begin_document(name);
    batch.extend(obs);
    Ok(page.next_page)
}

/// Explains an empty mapping (the default catalogue has no Kolada ids).
pub fn check_mapping(mapping: &KpiMapping) -> Result<(), InputErrors> {
    if mapping.kpi_ids().is_empty() {
        return Err(gnv_core::fel::InputError::new(
            Default::default(),
            "Nyckeltalskatalogen har inga Kolada-id (fältet kallor). Lägg in id:n i katalogen innan Kolada-data importeras.",
        )
        .into());
    }
    Ok(())
}

/// Reads saved Kolada v3 data files into a validated batch and the raw documents (kept for
/// provenance; file bodies are re-read when the import is written).
pub fn load_files(
    paths: &[PathBuf],
    catalogue: &Catalogue,
) -> Result<(ValueBatch, Vec<RawDoc>), InputErrors> {
    let mapping = KpiMapping::from_catalogue(catalogue);
    check_mapping(&mapping)?;
    let mut batch = ValueBatch::new();
    let mut raw = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        let name = p.display().to_string();
        match std::fs::read_to_string(p) {
            Ok(text) => match add_page(&mut batch, &name, &text, &mapping) {
                Ok(_) => raw.push(RawDoc { name: name.clone(), body: RawBody::File(p.clone()) }),
                Err(e) => errors.extend(e.0),
            },
            Err(e) => errors.push(gnv_core::fel::InputError::new(
                gnv_core::fel::Location::default().with_file(name.clone()),
                format!("Filen kunde inte läsas: {e}"),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(InputErrors(errors));
    }
    batch.validate()?;
    Ok((batch, raw))
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
    batch.validate()?;
    Ok((batch, raw))
}

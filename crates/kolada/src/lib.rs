//! Indicator data input: the Kolada API v3 client, saved Kolada files and manual CSV/XLSX values.
//!
//! Every path produces a validated [`gnv_storage::nyckeltal::ValueBatch`] plus the raw
//! documents, and [`gnv_storage::Db::nyckeltal_import`] writes both in one transaction — so an
//! online fetch (`gnv kolada fetch`), saved v3 JSON files (`gnv kolada import FILE…`, the path
//! tests and air-gapped installations use) and the web upload share one data path.
//!
//! - [`files`] — Kolada v3 data pages (JSON) into a batch; all problems of all files reported.
//! - [`manual`] — the documented CSV/XLSX format for manually collected indicators.
//! - [`client`] — HTTP (reqwest with rustls): paging via `next_page`, batched ids, retries
//!   with exponential back-off, a progress bar.

pub mod client;
pub mod files;
pub mod manual;

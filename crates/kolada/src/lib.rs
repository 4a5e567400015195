//! Indicator data input: the Kolada API v3 client, saved Kolada files and manual CSV/XLSX values.
//!
//! Every path produces a validated [`gnv_core::nyckeltal::batch::ValueBatch`] plus the raw
//! documents, and the storage adapter (`gnv_storage::Db::nyckeltal_import`) writes both in one transaction — so an
//! online fetch (`gnv kolada fetch`), saved v3 JSON files (`gnv kolada import FILE…`, the path
//! tests and air-gapped installations use) and the web upload share one data path.
//!
//! - [`files`] — Kolada v3 data pages (JSON) into a batch; all problems of all files reported.
//! - [`manual`] — the documented CSV/XLSX format for manually collected indicators.
//! - [`kpi`] — searching Kolada's KPI list (online `/v3/kpi?title=…`, cached, or a saved
//!   response) to find the ids for the catalogue.
//! - [`client`] — HTTP (reqwest with rustls): paging via `next_page`, batched ids, retries
//!   with exponential back-off, a progress bar.

pub mod client;
pub mod files;
pub mod kpi;
pub mod manual;

/// Kolada's codes and names of Sweden's 21 regions (county councils), plus the country `0000`.
pub const REGIONS: [(&str, &str); 21] = [
    ("0001", "Region Stockholm"),
    ("0003", "Region Uppsala"),
    ("0004", "Region Sörmland"),
    ("0005", "Region Östergötland"),
    ("0006", "Region Jönköpings län"),
    ("0007", "Region Kronoberg"),
    ("0008", "Region Kalmar län"),
    ("0009", "Region Gotland"),
    ("0010", "Region Blekinge"),
    ("0012", "Region Skåne"),
    ("0013", "Region Halland"),
    ("0014", "Västra Götalandsregionen"),
    ("0017", "Region Värmland"),
    ("0018", "Region Örebro län"),
    ("0019", "Region Västmanland"),
    ("0020", "Region Dalarna"),
    ("0021", "Region Gävleborg"),
    ("0022", "Region Västernorrland"),
    ("0023", "Region Jämtland Härjedalen"),
    ("0024", "Region Västerbotten"),
    ("0025", "Region Norrbotten"),
];

/// The name of a region code from [`REGIONS`], or "Riket" for `0000`.
pub fn region_name(code: &str) -> Option<&'static str> {
    if code == "0000" {
        return Some("Riket");
    }
    REGIONS.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

//! Shared fixtures of the fuzz targets (built once per process).

use gnv_core::nyckeltal::Catalogue;
use gnv_core::organisation::Registry;
use std::sync::OnceLock;

/// The web tests' catalogue, which has (made-up) Kolada ids, so Kolada pages reach the mapping.
pub fn test_catalogue() -> &'static Catalogue {
    static C: OnceLock<Catalogue> = OnceLock::new();
    C.get_or_init(|| {
        gnv_core::nyckeltal::katalog::parse_toml(include_str!("../../crates/web/tests/data/nyckeltal/katalog.toml"))
            .expect("test catalogue")
    })
}

/// The built-in catalogue.
pub fn default_catalogue() -> &'static Catalogue {
    static C: OnceLock<Catalogue> = OnceLock::new();
    C.get_or_init(gnv_core::nyckeltal::default_catalogue)
}

/// The built-in Dalarna registry.
pub fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(gnv_core::organisation::dalarna)
}

/// Form fields from `name=value` lines (a line without `=` is a name with an empty value).
pub fn fields(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap_or((l, ""));
            (k.to_string(), v.to_string())
        })
        .collect()
}

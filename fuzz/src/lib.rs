//! Shared fixtures of the fuzz targets (built once per process).

use gnv_core::nyckeltal::Catalogue;
use gnv_core::organisation::Registry;
use std::sync::{Once, OnceLock};

/// Makes only panics that escape the code under test fail the run. libfuzzer-sys's panic hook
/// aborts on *every* panic, also one the importers catch on purpose: `gnv_core::excel::read_guarded`
/// turns a calamine panic on a crafted workbook (a dependency's bug we cannot fix) into the
/// reader's located Swedish error. The property fuzzed is the product's — no panic escapes an
/// importer or parser, as in `crates/core/tests/robustness.rs` — so every target calls this
/// first: it restores Rust's default hook (the message is still printed), and a panic that does
/// escape still aborts in libfuzzer-sys's `catch_unwind` around each input and is reported with
/// its input.
pub fn only_escaping_panics_fail() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = std::panic::take_hook();
    });
}

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

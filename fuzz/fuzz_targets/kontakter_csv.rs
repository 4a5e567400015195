//! The contacts file as CSV (`/kontakter/import`), against the built-in registry.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    gnv_fuzz::only_escaping_panics_fail();
    static REGISTRY: OnceLock<gnv_core::organisation::Registry> = OnceLock::new();
    let registry = REGISTRY.get_or_init(gnv_core::organisation::dalarna);
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = gnv_core::kontakter::parse_csv(registry, "kontakter.csv", text);
});

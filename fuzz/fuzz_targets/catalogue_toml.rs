//! The indicator catalogue as TOML (admin upload, `gnv nyckeltal katalog`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gnv_fuzz::only_escaping_panics_fail();
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(c) = gnv_core::nyckeltal::katalog::parse_toml(text) {
        let _ = gnv_core::nyckeltal::kolada::KpiMapping::from_catalogue(&c);
        let _ = gnv_core::nyckeltal::katalog::parse_toml(&gnv_core::nyckeltal::katalog::to_toml(&c));
    }
});

//! The organisation registry as CSV.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gnv_fuzz::only_escaping_panics_fail();
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = gnv_core::organisation::parse_csv(text);
});

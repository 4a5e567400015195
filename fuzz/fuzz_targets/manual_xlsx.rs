//! Manual indicator values, XLSX (calamine, first sheet).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gnv_fuzz::only_escaping_panics_fail();
    let _ = gnv_kolada::manual::parse_file("varden.xlsx", data, gnv_fuzz::test_catalogue());
});

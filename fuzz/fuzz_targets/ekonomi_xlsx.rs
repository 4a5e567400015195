//! The financial report table as XLSX (every sheet read, the one with `kommunkod` imported).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gnv_fuzz::only_escaping_panics_fail();
    let reg = gnv_fuzz::registry();
    let areas = [gnv_core::ekonomi::FocusArea::primary_care_hub()];
    let _ = gnv_core::ekonomi::parse_economy_file("ekonomi.xlsx", data, reg, &areas);
});

//! Self-assessment history import (CSV, and XLSX read as CSV by `rapportering::xlsx`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gnv_fuzz::only_escaping_panics_fail();
    let reg = gnv_fuzz::registry();
    let goals = gnv_core::delmal::default_subgoals();
    let scale = gnv_core::sjalvskattning::Scale::default();
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = gnv_core::sjalvskattning::import_csv(text, reg, &scale, &goals);
    }
    if data.starts_with(b"PK") {
        if let Ok(text) = gnv_core::rapportering::xlsx::first_sheet_as_csv(data, "historik.xlsx") {
            let _ = gnv_core::sjalvskattning::import_csv(&text, reg, &scale, &goals);
        }
    }
});

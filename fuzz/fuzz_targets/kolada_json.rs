//! Kolada v3 JSON pages: the three page parsers and the import path (pages → validated batch)
//! with a catalogue that has Kolada ids.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gnv_fuzz::only_escaping_panics_fail();
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = gnv_core::nyckeltal::kolada::parse_data_page(text);
    let _ = gnv_core::nyckeltal::kolada::parse_kpi_page(text);
    let _ = gnv_core::nyckeltal::kolada::parse_municipality_page(text);
    let catalogue = gnv_fuzz::test_catalogue();
    // One page, and the same text as two pages (duplicates across documents).
    let _ = gnv_kolada::files::load_texts(vec![("sida.json".into(), text.to_string())], catalogue);
    let _ = gnv_kolada::files::load_texts(
        vec![("a.json".into(), text.to_string()), ("b.json".into(), text.to_string())],
        catalogue,
    );
});

//! Manual indicator values, CSV (`nyckeltal;organisation;år;kön;värde`), through the same entry
//! as upload and CLI (`parse_file`: UTF-8 check, BOM, CSV, rows).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gnv_fuzz::only_escaping_panics_fail();
    let _ = gnv_kolada::manual::parse_file("varden.csv", data, gnv_fuzz::test_catalogue());
    let _ = gnv_kolada::manual::parse_file("varden.csv", data, gnv_fuzz::default_catalogue());
});

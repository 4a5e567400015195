//! The county profile as TOML (`gnv county import`, the admin page): a parsed profile must also
//! export and read back equal.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gnv_fuzz::only_escaping_panics_fail();
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(p) = gnv_core::lansprofil::parse_toml(text) {
        assert_eq!(gnv_core::lansprofil::parse_toml(&p.to_toml()).as_ref(), Ok(&p));
    }
});

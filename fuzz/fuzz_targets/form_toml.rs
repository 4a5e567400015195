//! Questionnaire form definitions (versioned TOML) and, when a definition is accepted, the
//! validation of submitted fields against it. Input: TOML, then a NUL byte, then the fields
//! as `name=value` lines.
#![no_main]
use gnv_core::rapportering::formular::{FormContext, FormDefinition, Mode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gnv_fuzz::only_escaping_panics_fail();
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (toml, fields) = text.split_once('\0').unwrap_or((text, ""));
    let Ok(def) = FormDefinition::parse(toml) else { return };
    let fields = gnv_fuzz::fields(fields);
    let ctx = FormContext { municipalities: vec![("2084".into(), "Avesta".into()), ("2085".into(), "Ludvika".into())] };
    let _ = def.scale();
    for q in def.questions() {
        let _ = def.scale_of(q);
    }
    for mode in [Mode::Draft, Mode::Submit] {
        if let Ok(answers) = def.validate(&fields, &ctx, mode) {
            let _ = def.to_fields(&answers);
        }
    }
});

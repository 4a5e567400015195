//! Submitted answer forms: self-assessment, mapping and the municipal survey (kommunenkät), and
//! the standard questionnaire definitions. Input: `name=value` lines.
#![no_main]
use gnv_core::rapportering::formular::{standard_form, FormContext, Mode};
use gnv_core::rapportering::Part;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gnv_fuzz::only_escaping_panics_fail();
    let Ok(text) = std::str::from_utf8(data) else { return };
    let fields = gnv_fuzz::fields(text);
    let reg = gnv_fuzz::registry();
    let goals = gnv_core::delmal::default_subgoals();
    let scale = gnv_core::sjalvskattning::Scale::default();
    for require_all_ratings in [false, true] {
        let ctx = gnv_core::sjalvskattning::FormContext { registry: reg, scale: &scale, subgoals: &goals, require_all_ratings };
        let _ = gnv_core::sjalvskattning::parse_form(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())), &ctx);
    }
    let _ = gnv_core::kartlaggning::parse_form(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())), reg);
    let _ = gnv_core::kommunenkat::parse_form(reg, &fields);
    let ctx = FormContext { municipalities: vec![("2084".into(), "Avesta".into()), ("2085".into(), "Ludvika".into())] };
    for part in [Part::Sjalvskattning, Part::Kartlaggning] {
        if let Some(def) = standard_form(part) {
            for mode in [Mode::Draft, Mode::Submit] {
                let _ = def.validate(&fields, &ctx, mode);
            }
        }
    }
});

//! Robustness ("fuzz") tests of every importer and parser in the core: arbitrary text and
//! mutations of valid inputs must give `Ok` or a located error — never a panic.
//!
//! A short run (256 cases per parser) is part of `cargo test`. For a long run:
//! `PROPTEST_CASES=200000 cargo test --release -p gnv-core --test robustness`.

use gnv_core::delmal::default_subgoals;
use gnv_core::ekonomi::{self, FocusArea};
use gnv_core::organisation::{self, dalarna};
use gnv_core::sjalvskattning::{self, Scale};
use gnv_core::{format, kartlaggning, kommunenkat, nyckeltal};
use proptest::prelude::*;

const ORG_TOML: &str = "[lan]\nnamn = \"Exempellän\"\nregion_kod = \"0099\"\nregion_namn = \"Region Exempel\"\n\n[[kommun]]\nkod = \"9901\"\nnamn = \"Ettby\"\n\n[[lsl]]\nnamn = \"Norra\"\nkommuner = [\"9901\"]\n";
const ORG_CSV: &str =
    "typ;kod;namn;lsl;kortnamn\nlän;0099;Region Exempel;;Exempellän\nkommun;9901;Ettby;Norra;\n";
const KOLADA: &str = r#"{"values":[{"kpi":"N00945","municipality":"2084","period":2024,"values":[{"gender":"T","value":12.3,"count":1,"status":""},{"gender":"K","value":null,"count":0,"status":"Missing"}]}],"count":1}"#;
const EKONOMI: &str = "\u{feff}kommunkod;kommun;år;fokusområde;tilldelat;återbetalt överskott;redovisat förbrukat\n2084;Avesta;2024;1;1 894 630;39 273;1 894 630 kr\n";
const SJALV: &str = "år;lsl;respondent;roll;perspektiv;delmal1;delmal2;delmal3;delmal4;delmal5;tillampat\n2024;Mora;Anna;ordförande;båda;3;2;4;3;3;ja\n2024;Södra Dalarna;;;;2,5;3;3;3,5;2;nej\n";

/// A valid input with up to `n` random edits (insert, delete or replace a character).
fn mutated(base: &'static str, n: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<char>()), 0..n).prop_map(
        move |edits| {
            let mut chars: Vec<char> = base.chars().collect();
            for (idx, op, c) in edits {
                if chars.is_empty() {
                    chars.push(c);
                    continue;
                }
                let i = idx.index(chars.len());
                match op {
                    0 => chars.insert(i, c),
                    1 => {
                        chars.remove(i);
                    }
                    _ => chars[i] = c,
                }
            }
            chars.into_iter().collect()
        },
    )
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "[ -~åäöÅÄÖ;,\"\n\r\t\u{feff}\u{a0}-]{0,400}"]
}

proptest! {
    #[test]
    fn organisation_files(t in text(), m in mutated(ORG_TOML, 12), c in mutated(ORG_CSV, 12)) {
        let _ = organisation::parse_toml(&t);
        let _ = organisation::parse_csv(&t);
        let _ = organisation::parse_toml(&m);
        let _ = organisation::parse_csv(&c);
    }

    #[test]
    fn indicator_catalogue_toml(t in text(), i in any::<prop::sample::Index>(), c in any::<char>()) {
        let _ = nyckeltal::katalog::parse_toml(&t);
        let mut valid: Vec<char> = nyckeltal::katalog::to_toml(&nyckeltal::default_catalogue()).chars().collect();
        let at = i.index(valid.len());
        valid[at] = c;
        let _ = nyckeltal::katalog::parse_toml(&valid.into_iter().collect::<String>());
    }

    #[test]
    fn kolada_pages(t in text(), m in mutated(KOLADA, 16)) {
        for input in [&t, &m] {
            let _ = nyckeltal::kolada::parse_data_page(input);
            let _ = nyckeltal::kolada::parse_kpi_page(input);
            let _ = nyckeltal::kolada::parse_municipality_page(input);
        }
    }

    #[test]
    fn economy_import(t in text(), m in mutated(EKONOMI, 16), cells in proptest::collection::vec(proptest::collection::vec(text(), 0..8), 0..6)) {
        let reg = dalarna();
        let areas = [FocusArea::primary_care_hub()];
        let _ = ekonomi::import_csv("x.csv", &t, &reg, &areas);
        let _ = ekonomi::import_csv("x.csv", &m, &reg, &areas);
        let _ = ekonomi::import_cells("x.xlsx", "Blad1", &cells, &reg, &areas);
    }

    #[test]
    fn self_assessment_history(t in text(), m in mutated(SJALV, 16)) {
        let reg = dalarna();
        let goals = default_subgoals();
        let scale = Scale::default();
        let _ = sjalvskattning::import_csv(&t, &reg, &scale, &goals);
        let _ = sjalvskattning::import_csv(&m, &reg, &scale, &goals);
    }

    #[test]
    fn forms(fields in proptest::collection::vec((prop_oneof![
        Just("lsl".to_string()), Just("kommun".to_string()), Just("ar".to_string()), Just("omrade".to_string()),
        Just("delmal1".to_string()), Just("delmal3".to_string()), Just("perspektiv".to_string()), Just("tillampat".to_string()),
        Just("motesfrekvens".to_string()), Just("saknade_aktorer".to_string()), "[a-z_0-9]{1,20}"
    ], text()), 0..12)) {
        let reg = dalarna();
        let goals = default_subgoals();
        let scale = Scale::default();
        let ctx = sjalvskattning::FormContext { registry: &reg, scale: &scale, subgoals: &goals, require_all_ratings: true };
        let _ = sjalvskattning::parse_form(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())), &ctx);
        let _ = kommunenkat::parse_form(&reg, &fields);
        let _ = kartlaggning::parse_form(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())), &reg);
    }

    #[test]
    fn swedish_number_parsing(t in text()) {
        let _ = format::parse_kronor(&t);
        let _ = format::parse_decimal(&t);
        let _ = format::parse_date(&t);
    }
}

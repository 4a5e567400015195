//! Tests of the municipal survey: form parsing, validation and the compilation.

use super::*;
use crate::organisation::dalarna;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn answer(code: &str, areas: &[Area]) -> MunicipalAnswer {
    MunicipalAnswer {
        municipality_code: code.to_string(),
        year: 2024,
        areas: areas.iter().copied().collect(),
        other: None,
        free_text: BTreeMap::new(),
    }
}

fn text(s: &str) -> Text {
    Text::parse(s).unwrap().unwrap()
}

#[test]
fn a_filled_in_form_is_parsed() {
    let viktigaste = Heading::ViktigasteInsatser.field_name();
    let medarbetare = Heading::Medarbetare.field_name();
    let a = parse_form(
        &dalarna(),
        &form(&[
            ("csrf", "abc"),
            ("kommun", "2084"),
            ("ar", "2024"),
            ("omrade", "mobila-team"),
            ("omrade", "fast-omsorgskontakt"),
            ("omrade", "annat"),
            ("annat", "  Samverkan kring korttidsboende för snabbare hemgång. "),
            (&viktigaste, "Pilotprojekt med läkemedelsautomater."),
            (&medarbetare, "   "),
        ]),
    )
    .unwrap();
    assert_eq!(a.municipality_code, "2084");
    assert_eq!(a.year, 2024);
    assert_eq!(a.areas, BTreeSet::from([Area::MobilaTeam, Area::FastOmsorgskontakt]));
    assert_eq!(
        a.other.as_ref().map(Text::as_str),
        Some("Samverkan kring korttidsboende för snabbare hemgång.")
    );
    assert_eq!(a.free_text.len(), 1, "blank texts are absent");
    assert_eq!(a.free_text[&Heading::ViktigasteInsatser].as_str(), "Pilotprojekt med läkemedelsautomater.");
}

#[test]
fn other_text_without_the_tick_counts_as_ticked() {
    let a =
        parse_form(&dalarna(), &form(&[("kommun", "2080"), ("ar", "2024"), ("annat", "Välfärdsbibliotek")]))
            .unwrap();
    assert_eq!(a.other.map(String::from), Some("Välfärdsbibliotek".to_string()));
}

#[test]
fn bad_forms_get_swedish_errors_per_field() {
    let long = "x".repeat(MAX_TEXT_CHARS + 1);
    let field = Heading::FastVardkontakt.field_name();
    let errors = parse_form(
        &dalarna(),
        &form(&[("ar", "tjugotjugofyra"), ("omrade", "robotar"), ("omrade", "annat"), (&field, &long)]),
    )
    .unwrap_err();
    let messages: Vec<String> = errors.0.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        messages,
        [
            "fält kommun: Välj kommun.",
            "fält ar: \"tjugotjugofyra\" är inte ett år mellan 2000 och 2100.",
            "fält omrade: \"robotar\" är inget av enkätens områden och arbetssätt.",
            "fält annat: Du har kryssat i \"Annat, nämligen …\". Beskriv vilket område eller arbetssätt det gäller.",
            "fält fritext_fast-vardkontakt: Texten är för lång (10 001 tecken). Högst 10 000 tecken är tillåtet.",
        ]
    );
    let unknown = parse_form(&dalarna(), &form(&[("kommun", "0180"), ("ar", "2024")])).unwrap_err();
    assert_eq!(
        unknown.to_string(),
        "fält kommun: Kommunkoden \"0180\" finns inte bland kommunerna i Dalarnas län."
    );
}

#[test]
fn answer_set_refuses_duplicates_wrong_year_and_unknown_municipalities() {
    let mut wrong_year = answer("2080", &[]);
    wrong_year.year = 2023;
    let err = AnswerSet::new(
        &dalarna(),
        2024,
        vec![answer("2084", &[]), answer("2084", &[Area::Sip]), wrong_year, answer("9999", &[])],
    )
    .unwrap_err();
    let messages: Vec<String> = err.0.iter().map(|e| e.message.clone()).collect();
    assert_eq!(
        messages,
        [
            "Avesta har fler än ett svar för 2024.",
            "Svaret från Falun gäller 2023, inte 2024.",
            "Kommunkoden \"9999\" finns inte bland kommunerna i Dalarnas län.",
        ]
    );
}

/// Fifteen answers: mobile teams by 12, fast omsorgskontakt by 10, SIP by 10, fast vårdkontakt
/// by 6, läkemedelsautomater by 5, distansmonitorering by 2, the rest by nobody.
fn fifteen() -> Vec<MunicipalAnswer> {
    let registry = dalarna();
    registry
        .municipalities
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mut areas = Vec::new();
            if i < 12 {
                areas.push(Area::MobilaTeam);
            }
            if i < 10 {
                areas.push(Area::FastOmsorgskontakt);
                areas.push(Area::Sip);
            }
            if i < 6 {
                areas.push(Area::FastVardkontakt);
            }
            if (5..10).contains(&i) {
                areas.push(Area::Lakemedelsautomater);
            }
            if i >= 13 {
                areas.push(Area::Distansmonitorering);
            }
            answer(&m.code, &areas)
        })
        .collect()
}

#[test]
fn figure_3_counts_sorted_descending_ties_by_label_with_development_potential() {
    let registry = dalarna();
    let set = AnswerSet::new(&registry, 2024, fifteen()).unwrap();
    let c = compile(&registry, &set);
    assert_eq!(c.answered_text, "15 av 15");
    assert_eq!(c.development_threshold, 5);
    let top: Vec<(&str, usize, bool)> =
        c.areas.iter().take(6).map(|a| (a.label.as_str(), a.count, a.development_potential)).collect();
    assert_eq!(
        top,
        [
            ("Mobila team", 12, false),
            // Tie at 10: "Fast omsorgskontakt" before "Samordnad individuell plan (SIP)".
            ("Fast omsorgskontakt", 10, false),
            ("Samordnad individuell plan (SIP)", 10, false),
            ("Fast vårdkontakt", 6, false),
            ("Läkemedelsautomater", 5, true),
            ("Distansmonitorering (digital fjärrmonitorering)", 2, true),
        ]
    );
    // Every area is present; those nobody ticked have 0 and are flagged; no "annat" row.
    assert_eq!(c.areas.len(), Area::ALL.len());
    assert!(c.areas[6..].iter().all(|a| a.count == 0 && a.development_potential));
    let zero_labels: Vec<&str> = c.areas[6..].iter().map(|a| a.label.as_str()).collect();
    let mut sorted = zero_labels.clone();
    sorted.sort_by(|a, b| crate::format::swedish_cmp(a, b));
    assert_eq!(zero_labels, sorted);
    assert_eq!(
        c.areas[5].municipalities.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(),
        ["Avesta", "Ludvika"]
    );
}

#[test]
fn development_potential_sentence_reads_like_the_report() {
    let registry = dalarna();
    let answers = vec![
        answer("2084", &[Area::MobilaTeam, Area::FastVardkontakt]),
        answer("2080", &[Area::MobilaTeam, Area::FastVardkontakt]),
        answer("2081", &[Area::MobilaTeam, Area::FastVardkontakt, Area::ProducentNpo]),
    ];
    let set = AnswerSet::new(&registry, 2024, answers).unwrap();
    let c = compile(&registry, &set);
    assert_eq!(c.answered_text, "3 av 15");
    let text = c.development_potential_text().unwrap();
    assert!(text.starts_with("Av rapporteringen framgår att det finns utvecklingspotential inom "), "{text}");
    // Producent till NPÖ (1 of 3) is flagged and keeps its capitals; mobile teams (3 of 3) are not.
    assert!(text.contains("producent till NPÖ"), "{text}");
    assert!(!text.contains("mobila team"), "{text}");
    assert!(text.contains(" samt "), "{text}");
    assert!(text.ends_with('.'));
    assert_eq!(c.not_answered().len(), 12);
}

#[test]
fn no_answers_flag_nothing() {
    let registry = dalarna();
    let c = compile(&registry, &AnswerSet::new(&registry, 2024, vec![]).unwrap());
    assert_eq!(c.answered_text, "0 av 15");
    assert!(c.areas.iter().all(|a| !a.development_potential));
    assert_eq!(c.development_potential_text(), None);
}

fn with_texts() -> SurveyCompilation {
    let registry = dalarna();
    let mut mora = answer("2062", &[Area::MobilaTeam]);
    mora.free_text.insert(Heading::HalsoframjandeForebyggande, text("Välfärdsbibliotek."));
    mora.other = Some(text("Praktiknära forskning med högskolan."));
    let mut avesta = answer("2084", &[]);
    avesta
        .free_text
        .insert(Heading::HalsoframjandeForebyggande, text("Suicidpreventiva insatser/utbildningar."));
    avesta.free_text.insert(Heading::Medarbetare, text("Yrkesresan inom funktionshinderverksamhet."));
    let alvdalen = answer("2039", &[Area::MobilaTeam]);
    compile(&registry, &AnswerSet::new(&registry, 2024, vec![mora, alvdalen, avesta]).unwrap())
}

#[test]
fn free_text_is_compiled_per_heading_with_the_municipality_attached() {
    let c = with_texts();
    assert_eq!(c.sections.len(), Heading::ALL.len());
    let halsa = c.sections.iter().find(|s| s.heading == Heading::HalsoframjandeForebyggande).unwrap();
    assert_eq!(halsa.title, "Exempel på kommunernas hälsofrämjande och förebyggande arbete");
    assert_eq!(halsa.answered, "2 av 3");
    let who: Vec<&str> = halsa.entries.iter().map(|e| e.municipality.name.as_str()).collect();
    assert_eq!(who, ["Avesta", "Mora"]);
    // Hidden by default: ordered by text, no names.
    assert_eq!(halsa.bullets(false), ["Suicidpreventiva insatser/utbildningar.", "Välfärdsbibliotek."]);
    assert_eq!(
        halsa.bullets(true),
        ["Suicidpreventiva insatser/utbildningar. (Avesta)", "Välfärdsbibliotek. (Mora)"]
    );
    // "Annat" is the last bar and is never flagged.
    let last = c.areas.last().unwrap();
    assert!(last.is_other);
    assert_eq!(
        (last.label.as_str(), last.count, last.development_potential),
        ("Annat, nämligen …", 1, false)
    );
    assert_eq!(c.other_texts[0].municipality.name, "Mora");
}

#[test]
fn export_tables_have_one_row_per_municipality_and_a_sheet_per_heading() {
    let c = with_texts();
    let overview = c.overview_cells();
    assert_eq!(overview.len(), 16);
    let width = 3 + Area::ALL.len() + 1 + Heading::ALL.len();
    assert!(overview.iter().all(|r| r.len() == width));
    assert_eq!(&overview[0][..3], ["Kommunkod", "Kommun", "Har svarat"]);
    let avesta = &overview[1];
    assert_eq!(&avesta[..4], ["2084", "Avesta", "Ja", "Nej"]);
    assert_eq!(avesta.last().unwrap(), "Yrkesresan inom funktionshinderverksamhet.");
    let borlange = &overview[2];
    assert_eq!(&borlange[..4], ["2081", "Borlänge", "Nej", ""]);
    let last = overview.last().unwrap();
    assert_eq!(&last[..4], ["2039", "Älvdalen", "Ja", "Ja"]);

    let sheets = c.export_sheets();
    assert_eq!(sheets.len(), 2 + Heading::ALL.len());
    assert_eq!(sheets[0].name, "Översikt");
    assert_eq!(sheets[1].name, "Områden");
    assert_eq!(sheets[1].cells[0], ["Område och arbetssätt", "Antal kommuner", "Utvecklingspotential"]);
    let halsa = sheets.iter().find(|s| s.name == "Hälsofrämjande och förebyggande").unwrap();
    assert_eq!(halsa.cells[1], ["Avesta", "Suicidpreventiva insatser/utbildningar."]);
}

#[test]
fn compilation_serializes_for_json() {
    let c = with_texts();
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(json["answered_text"], "3 av 15");
    assert_eq!(json["areas"][0]["code"], "mobila-team");
    assert_eq!(json["sections"][6]["heading"], "halsoframjande-forebyggande");
    let answer_json = serde_json::to_string(&answer("2084", &[Area::Sip])).unwrap();
    let back: MunicipalAnswer = serde_json::from_str(&answer_json).unwrap();
    assert_eq!(back, answer("2084", &[Area::Sip]));
    assert!(serde_json::from_str::<Text>("\"   \"").is_err());
}

fn arb_answers() -> impl Strategy<Value = Vec<MunicipalAnswer>> {
    let codes: Vec<String> = dalarna().municipalities.iter().map(|m| m.code.clone()).collect();
    proptest::sample::subsequence(codes, 0..=15).prop_flat_map(|codes| {
        let n = codes.len();
        (
            Just(codes),
            proptest::collection::vec(proptest::collection::btree_set(0usize..Area::ALL.len(), 0..6), n),
        )
            .prop_map(|(codes, sets)| {
                codes
                    .into_iter()
                    .zip(sets)
                    .map(|(code, set)| {
                        let areas: Vec<Area> = set.into_iter().map(|i| Area::ALL[i]).collect();
                        answer(&code, &areas)
                    })
                    .collect()
            })
    })
}

proptest! {
    #[test]
    fn counts_match_answers_and_bars_are_sorted(answers in arb_answers()) {
        let registry = dalarna();
        let set = AnswerSet::new(&registry, 2024, answers.clone()).unwrap();
        let c = compile(&registry, &set);
        prop_assert_eq!(c.answered, answers.len());
        for a in &c.areas {
            let area = Area::from_code(&a.code).unwrap();
            prop_assert_eq!(a.count, answers.iter().filter(|x| x.areas.contains(&area)).count());
            prop_assert_eq!(a.development_potential, !answers.is_empty() && 3 * a.count <= answers.len());
        }
        for w in c.areas.windows(2) {
            prop_assert!(w[0].count >= w[1].count);
        }
    }

    #[test]
    fn order_of_answers_does_not_change_the_compilation(answers in arb_answers()) {
        let registry = dalarna();
        let mut reversed = answers.clone();
        reversed.reverse();
        let a = compile(&registry, &AnswerSet::new(&registry, 2024, answers).unwrap());
        let b = compile(&registry, &AnswerSet::new(&registry, 2024, reversed).unwrap());
        prop_assert_eq!(a, b);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Every survey answer the form accepts reads back equal from what storage keeps (its JSON).
    #[test]
    fn an_accepted_survey_answer_reads_back_equal(
        areas in proptest::collection::vec(prop_oneof![
            8 => (0usize..Area::ALL.len()).prop_map(|i| Area::ALL[i].code().to_string()),
            1 => Just("annat".to_string()),
            1 => "[a-z]{0,6}",
        ], 0..5),
        other in "[A-Za-zåäöÅÄÖ <>&\"' ,.]{0,40}",
        texts in proptest::collection::vec(("[0-7]", "[A-Za-zåäöÅÄÖ <>&\"' ,.\n]{0,60}"), 0..4),
    ) {
        let mut pairs = vec![("kommun".to_string(), "2062".to_string()), ("ar".to_string(), "2025".to_string())];
        pairs.extend(areas.into_iter().map(|a| ("omrade".to_string(), a)));
        pairs.push(("annat".to_string(), other));
        for (i, t) in texts {
            let h = Heading::ALL[i.parse::<usize>().unwrap_or(0) % Heading::ALL.len()];
            pairs.push((h.field_name(), t));
        }
        if let Ok(answer) = parse_form(&dalarna(), &pairs) {
            let stored = serde_json::to_string(&answer).expect("serialises");
            let back: MunicipalAnswer = serde_json::from_str(&stored).expect("reads back");
            prop_assert_eq!(back, answer);
        }
    }
}

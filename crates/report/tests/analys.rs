//! The analyses of issue #15 in the report: 3.2.3 (self-assessment beside the survey per
//! sub-goal, figure and table), the multi-year statements of 3.2.1 and the survey's delivery per
//! municipality — in PDF, DOCX and HTML — and frozen inputs without the new fields rendering
//! exactly as before.

mod common;
use common::{html_text, normalise, pdf_text};

use gnv_core::delmal::SubGoal;
use gnv_core::kommunenkat::{default_links, Area, Heading, SurveyCompilation, SurveyLink};
use gnv_exempel::rapport::input_2024;
use gnv_render::dokument::Block;
use gnv_report::analys::{relate, relation_finding, relation_sentences, AnalysisInput};
use gnv_report::input::SaYear;
use gnv_report::input::{MunicipalDelivery, DELIVERY_SURVEY_TO_SOCIALSTYRELSEN};
use gnv_report::{build, figure_number, render, sha256_hex, Format, ReportInput, RELATION_CAPTION};

fn with_analysis() -> ReportInput {
    let mut input = input_2024();
    input.analysis = Some(AnalysisInput { links: gnv_core::kommunenkat::default_links() });
    input
}

/// SHA-256 of the example input's HTML and of its DOCX paragraphs as rendered by `main` before
/// the analyses existed (recorded with `git checkout main -- crates/report crates/core` and
/// the same two hashes printed; the same on this branch).
const EXAMPLE_HTML_SHA256: &str = "6f7c7d53f10d8cbbc623ed883400b3e5aa52543753cd98861fb5156b0ced3e3d";
const EXAMPLE_DOCX_TEXT_SHA256: &str = "3f504bf6785f821ba69a2c334a0cead4520a573af29280ec649e54195ee58545";

fn docx_text(input: &ReportInput) -> String {
    let bytes = render(input, Format::Docx).unwrap();
    gnv_report::docx_text::paragraphs(&gnv_report::docx_text::document_xml(&bytes).unwrap()).join("\n")
}

#[test]
fn a_schema_2_input_without_the_new_fields_renders_exactly_as_before() {
    let input = input_2024();
    assert_eq!(input.schema, 2);
    // The frozen JSON has none of the new keys, and reads back equal.
    let json = input.to_json();
    assert!(!json.contains("\"analysis\"") && !json.contains("\"municipal_deliveries\""));
    assert_eq!(ReportInput::from_json(&json).unwrap(), input);
    let html = render(&input, Format::Html).unwrap();
    let docx = docx_text(&input);
    assert_eq!(sha256_hex(&html), EXAMPLE_HTML_SHA256);
    assert_eq!(sha256_hex(docx.as_bytes()), EXAMPLE_DOCX_TEXT_SHA256);
    let text = normalise(&html_text(&String::from_utf8(html).unwrap()));
    assert!(text.contains("3.2.3 Reflektera tillsammans!"));
    assert!(!text.contains("Självskattningen i relation till rapporteringen från kommunenkäterna"));
    assert!(!text.contains("både i denna och föregående skattning"));
}

#[test]
fn the_analysis_adds_3_2_3_with_figure_and_table_and_moves_reflection_to_3_2_4() {
    let input = with_analysis();
    let doc = build(&input);
    let headings: Vec<String> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading(l, t) if t.starts_with("3.2") => Some(format!("{l} {t}")),
            _ => None,
        })
        .collect();
    assert_eq!(
        headings,
        vec![
            "2 3.2 Självskattning av arbetet i de lokala systemledningarna",
            "3 3.2.1 Genomsnittliga skattningar av de fem delmålen",
            "3 3.2.2 Skattningar av respektive delmål",
            "3 3.2.3 Självskattningen i relation till rapporteringen från kommunenkäterna",
            "4 3.2.3.1 Delmål 1 – ”Nära för mig”",
            "4 3.2.3.2 Delmål 2 – ”Nära för alla”",
            "4 3.2.3.3 Delmål 3 – ”Nära i hela Dalarna”",
            "4 3.2.3.4 Delmål 4 – ”Nära mellan oss”",
            "4 3.2.3.5 Delmål 5 – ”Nära till hälsa”",
            "3 3.2.4 Reflektera tillsammans!",
        ]
    );
    // The figure's number from the one numbering place; figure 2 of the report (after the
    // self-assessment means), with its table citing it.
    let f = figure_number(&doc, RELATION_CAPTION).unwrap();
    assert_eq!(f, 2);
    let (fig_alt, table) = {
        let mut alt = None;
        let mut table = None;
        for b in &doc.blocks {
            match b {
                Block::Figure { alt: a, caption, .. } if caption == RELATION_CAPTION => alt = Some(a.clone()),
                Block::Table(t)
                    if t.caption.contains(&format!("(samma data som Figur {f})"))
                        && alt.is_some()
                        && table.is_none() =>
                {
                    table = Some(t.clone())
                }
                _ => {}
            }
        }
        (alt.unwrap(), table.unwrap())
    };
    // The alternative text states the finding.
    assert!(
        fig_alt.contains("Störst andel systemledningar som skattat 4–5 har delmål 1 Nära för mig (4 av 13)"),
        "{fig_alt}"
    );
    assert_eq!(table.rows.len(), 5);
    assert_eq!(table.rows[0][..4], ["1 Nära för mig", "3,3", "3: 9, 4: 4", "4 av 13"]);
    assert_eq!(table.rows[0][5], "15 av 15");
    assert_eq!(table.rows[4][4], "Rubriken ”Hälsofrämjande och förebyggande” (0)");
    // The survey figure after it is renumbered in the same place, and its sentence follows.
    let survey = figure_number(&doc, gnv_report::SURVEY_AREAS_CAPTION).unwrap();
    assert_eq!(survey, f + 1);
}

const SENTENCE_1: &str = "Självskattningen 2024 ger delmålet medelvärdet 3,3 (13 av 13 lokala systemledningar har skattat): 9 systemledningar skattade 3 och 4 skattade 4.";
const SENTENCE_5: &str = "Ingen kommun har skrivit under rubriken ”Hälsofrämjande och förebyggande”.";

#[test]
fn the_analysis_is_in_html_docx_and_pdf() {
    let input = with_analysis();
    let f = figure_number(&build(&input), RELATION_CAPTION).unwrap();
    let caption = format!("Figur {f}. {}", RELATION_CAPTION);
    let html = String::from_utf8(render(&input, Format::Html).unwrap()).unwrap();
    assert!(html.contains("<figcaption>") && html.contains(RELATION_CAPTION));
    let text = normalise(&html_text(&html));
    for needle in [
        "3.2.3 Självskattningen i relation till rapporteringen från kommunenkäterna",
        "3.2.3.1 Delmål 1 – ”Nära för mig”",
        SENTENCE_1,
        SENTENCE_5,
        "3.2.4 Reflektera tillsammans!",
        &format!("Figur {f} och Tabell"),
    ] {
        assert!(text.contains(needle), "HTML lacks {needle}");
    }
    let docx = normalise(&docx_text(&input));
    for needle in ["3.2.3.1 Delmål 1 – ”Nära för mig”", SENTENCE_1, SENTENCE_5, &caption] {
        assert!(docx.contains(needle), "DOCX lacks {needle}");
    }
    let pdf = render(&input, Format::Pdf).unwrap();
    let Some(pdf) = pdf_text(&pdf) else {
        panic!("pdftotext (poppler-utils) is needed for this test");
    };
    let pdf = normalise(&pdf);
    for needle in
        ["3.2.3.1 Delmål 1 – ”Nära för mig”", SENTENCE_1, SENTENCE_5, "3.2.4 Reflektera tillsammans!"]
    {
        assert!(pdf.contains(needle), "PDF lacks {needle}");
    }
}

#[test]
fn multi_year_statements_are_written_only_when_true_and_only_with_a_previous_year() {
    // In the example sub-goal 1 is highest in both years and sub-goal 5 lowest in both (in 2024
    // together with sub-goal 3, which was not lowest in 2023).
    let input = with_analysis();
    let text = normalise(&html_text(&String::from_utf8(render(&input, Format::Html).unwrap()).unwrap()));
    assert!(
        text.contains("Delmål 1, ”Nära för mig”, skattades högst både i denna och föregående skattning (2023 och 2024)."),
        "{}",
        &text[text.find("3.2.1").unwrap()..][..1500]
    );
    assert!(text.contains(
        "Delmål 5, ”Nära till hälsa”, skattades lägst både i denna och föregående skattning (2023 och 2024)."
    ));
    assert!(!text.contains("Delmål 3, ”Nära i hela Dalarna”, skattades lägst"));
    // The order of the sub-goals by mean is not the same in both years.
    assert!(!text.contains("inbördes ordning"));
    // Without the previous year: nothing about both years.
    let mut only_2024 = with_analysis();
    if let Some(sa) = only_2024.self_assessment.as_mut() {
        sa.years.retain(|y| y.year == 2024);
        sa.comparisons.clear();
    }
    let text = normalise(&html_text(&String::from_utf8(render(&only_2024, Format::Html).unwrap()).unwrap()));
    assert!(!text.contains("både i denna och föregående skattning"));
    assert!(text.contains("3.2.3.1 Delmål 1"));
}

#[test]
fn without_a_survey_there_is_no_3_2_3_and_reflection_stays_3_2_3() {
    let mut input = with_analysis();
    input.survey = None;
    let text = normalise(&html_text(&String::from_utf8(render(&input, Format::Html).unwrap()).unwrap()));
    assert!(text.contains("3.2.3 Reflektera tillsammans!"));
    assert!(!text.contains("Självskattningen i relation till rapporteringen från kommunenkäterna"));
    assert!(figure_number(&build(&input), RELATION_CAPTION).is_none());
}

#[test]
fn the_survey_delivery_is_stated_per_municipality_in_all_formats() {
    let mut input = input_2024();
    let d = |m, day| chrono::NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    for (code, name, date) in
        [("2084", "Avesta", d(2, 28)), ("2081", "Borlänge", d(2, 28)), ("2080", "Falun", d(3, 3))]
    {
        input.municipal_deliveries.push(MunicipalDelivery {
            kind: DELIVERY_SURVEY_TO_SOCIALSTYRELSEN.into(),
            date,
            by: "RSS Dalarna".into(),
            code: code.into(),
            name: name.into(),
        });
    }
    let sentence = "Kommunenkäten redovisades till Socialstyrelsen för 3 av 15 kommuner: den 28 februari 2025 för Avesta och Borlänge; den 3 mars 2025 för Falun.";
    let html = normalise(&html_text(&String::from_utf8(render(&input, Format::Html).unwrap()).unwrap()));
    assert!(html.contains(sentence), "{html}");
    assert!(!html.contains("Uppgifter saknas för redovisningen av kommunenkäterna"));
    assert!(normalise(&docx_text(&input)).contains(sentence));
    let pdf = normalise(&pdf_text(&render(&input, Format::Pdf).unwrap()).expect("pdftotext"));
    assert!(pdf.contains(sentence));
    // The frozen JSON keeps the records and regenerates the same sentence.
    let back = ReportInput::from_json(&input.to_json()).unwrap();
    assert_eq!(build(&back), build(&input));
}

// The two analyses of the example input (moved here from `analys/tests.rs` with the example
// input: a unit test inside gnv-report cannot use gnv-exempel's `ReportInput`).

fn example() -> (SaYear, SurveyCompilation, Vec<SubGoal>) {
    let input = input_2024();
    let sa = input.self_assessment.as_ref().and_then(|s| s.year(2024)).cloned().unwrap();
    (sa, input.survey.clone().unwrap(), input.subgoals.clone())
}

#[test]
fn relate_puts_mean_distribution_and_linked_survey_counts_per_subgoal() {
    let (sa, survey, subgoals) = example();
    let rel = relate(&sa, &survey, &default_links(), &subgoals);
    assert_eq!(rel.len(), 5);
    // Sub-goal 1 in the example: nine LSLs rated 3 and four rated 4 → mean 43/13.
    let g1 = &rel[0];
    assert_eq!((g1.number, g1.answered, g1.lsl_total), (1, 13, 13));
    assert!((g1.mean.unwrap() - 43.0 / 13.0).abs() < 1e-9);
    assert_eq!(g1.distribution, vec![("3".to_string(), 9), ("4".to_string(), 4)]);
    assert_eq!(g1.upper, 4);
    // Every area from the third on is ticked by 10 of the 15 municipalities; the three linked
    // to sub-goal 1 together by all 15 (each municipality skips a different one).
    assert_eq!(g1.areas.iter().map(|a| a.count).collect::<Vec<_>>(), vec![10, 10, 10]);
    assert_eq!(g1.areas[0].phrase, "fast vårdkontakt");
    assert_eq!(g1.headings[0].count, 0);
    assert_eq!((g1.reported, g1.survey_answered), (Some(15), 15));
    // Sub-goal 5: 2 (five), 2,5 (one), 3 (seven); only a heading nobody wrote under.
    let g5 = &rel[4];
    assert_eq!(g5.distribution, vec![("2".into(), 5), ("2,5".into(), 1), ("3".into(), 7)]);
    assert_eq!(g5.upper, 0);
    assert!(g5.areas.is_empty());
    assert_eq!(g5.reported, Some(0));

    let text = relation_sentences(g1, 2024, 2024).join(" ");
    assert_eq!(
        text,
        "Självskattningen 2024 ger delmålet medelvärdet 3,3 (13 av 13 lokala systemledningar har skattat): 9 systemledningar skattade 3 och 4 skattade 4. \
         I kommunenkäten 2024 har kommunerna angett att de initierat eller förstärkt de kopplade områdena fast vårdkontakt (10 av 15), fast omsorgskontakt (10 av 15) och samordnad individuell plan (SIP) (10 av 15). \
         Ingen kommun har skrivit under rubriken ”Delaktighet och kontinuitet”. \
         Sammantaget har 15 av 15 kommuner rapporterat något av det som är kopplat till delmålet."
    );
}

#[test]
fn the_mapping_decides_what_is_counted_and_an_unlinked_subgoal_says_so() {
    let (sa, survey, subgoals) = example();
    // Heading "viktigaste insatser" is written by the 8 municipalities with an even index.
    let links = vec![SurveyLink {
        subgoal: 2,
        areas: vec![Area::MobilaTeam],
        headings: vec![Heading::ViktigasteInsatser],
    }];
    let rel = relate(&sa, &survey, &links, &subgoals);
    assert_eq!(rel[1].areas[0].count, 15);
    assert_eq!(rel[1].headings[0].count, 8);
    assert_eq!(rel[1].reported, Some(15));
    assert!(relation_sentences(&rel[1], 2024, 2024)
        .contains(&"8 av 15 kommuner har skrivit under rubriken ”Viktigaste insatser”.".to_string()));
    // Nobody ticked the linked area: said so, without "0 av 15".
    let none = vec![SurveyLink { subgoal: 3, areas: vec![Area::Sip], headings: vec![] }];
    let mut empty = survey.clone();
    for a in empty.areas.iter_mut().filter(|a| a.code == "sip") {
        a.count = 0;
        a.municipalities.clear();
    }
    let r3 = &relate(&sa, &empty, &none, &subgoals)[2];
    assert_eq!(
        relation_sentences(r3, 2024, 2024)[1],
        "I kommunenkäten 2024 har ingen kommun angett att den initierat eller förstärkt de kopplade områdena samordnad individuell plan (SIP)."
    );
    assert_eq!(rel[0].reported, None);
    assert_eq!(rel[0].reported_percent(), None);
    let text = relation_sentences(&rel[0], 2024, 2024);
    assert_eq!(text.len(), 2);
    assert_eq!(
        text[1],
        "Inga områden eller rubriker i kommunenkäten är kopplade till delmålet i länsprofilen."
    );
    let finding = relation_finding(&rel, "4–5");
    assert!(
        finding.contains("Störst andel systemledningar som skattat 4–5 har delmål 1 Nära för mig (4 av 13)"),
        "{finding}"
    );
    assert!(
        finding.contains(
            "störst andel kommuner som rapporterat kopplade områden har delmål 2 Nära för alla (15 av 15)"
        ),
        "{finding}"
    );
}

//! The analyst's text in the report (issue #15): text blocks placed before, between and after the
//! generated parts, `###`/`####` as numbered subheadings in PDF, DOCX and HTML (and in the table
//! of contents), chosen quotes only, method sentences only from recorded facts, and frozen
//! schema-1 inputs regenerating exactly as before.

mod common;
use common::{html_text, normalise, pdf_text};

use gnv_exempel::rapport::input_2024;
use gnv_render::dokument::Block;
use gnv_report::input::{Delivery, InvitationFacts, RoundFacts, DELIVERY_SURVEY_TO_SOCIALSTYRELSEN};
use gnv_report::layout::LayoutItem;
use gnv_report::quotes::ChosenQuote;
use gnv_report::{build, render, Format, ReportInput};

fn text(s: &str) -> LayoutItem {
    LayoutItem::Text { body: s.into() }
}
fn part(s: &str) -> LayoutItem {
    LayoutItem::Part { key: s.into() }
}

/// The example with the seed's 3.2.3 rebuilt between the generated parts, a text before the
/// first generated part of 3.2 and one at the start of 4.
fn structured() -> ReportInput {
    let mut input = input_2024();
    input.layouts.insert(
        "sjalvskattning".into(),
        vec![
            text("Före allt genererat i 3.2."),
            part("inledning"),
            part("medelvarden"),
            part("delmal"),
            text("### Självskattningen i relation till kommunenkäterna\n\nInledning till 3.2.3.\n\n#### Delmål 1 – Nära för mig\n\nText om delmål 1.\n\n#### Delmål 5 – Nära till hälsa\n\nText om delmål 5."),
            part("reflektera"),
        ],
    );
    input
        .layouts
        .insert("metodaspekter".into(), vec![text("### Om perspektiven\n\nAnalytikerns metodtext.")]);
    input
}

fn headings(doc: &gnv_render::dokument::Document) -> Vec<(u8, String)> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading(l, t) => Some((*l, t.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn text_blocks_are_placed_between_generated_parts_and_subheadings_are_numbered() {
    let doc = build(&structured());
    let h = headings(&doc);
    let pos =
        |t: &str| h.iter().position(|(_, x)| x == t).unwrap_or_else(|| panic!("heading «{t}» in {h:?}"));
    assert!(
        pos("3.2.2 Skattningar av respektive delmål")
            < pos("3.2.3 Självskattningen i relation till kommunenkäterna")
    );
    assert_eq!(h[pos("3.2.3 Självskattningen i relation till kommunenkäterna")].0, 3);
    assert_eq!(h[pos("3.2.3.1 Delmål 1 – Nära för mig")].0, 4);
    assert_eq!(h[pos("3.2.3.2 Delmål 5 – Nära till hälsa")].0, 4);
    // The generated subsection after the analyst's is renumbered (the seed's 3.2.4).
    assert!(pos("3.2.3.2 Delmål 5 – Nära till hälsa") < pos("3.2.4 Reflektera tillsammans!"));
    assert!(!h.iter().any(|(_, t)| t == "3.2.3 Reflektera tillsammans!"));
    // A level-1 section's ### is its first subsection.
    assert_eq!(h[pos("4.1 Om perspektiven")].0, 2);
    // Headings never jump a level.
    let mut last = 0u8;
    for (l, t) in &h {
        assert!(*l <= last + 1, "«{t}» jumps from level {last} to {l}");
        last = *l;
    }
    // The text before all generated parts comes right after the section heading.
    let i =
        doc.blocks.iter().position(|b| matches!(b, Block::Heading(_, t) if t.starts_with("3.2 "))).unwrap();
    assert_eq!(doc.blocks[i + 1], Block::Paragraph("Före allt genererat i 3.2.".into()));
    // Sections without analyst headings keep their numbers.
    assert!(h.iter().any(|(_, t)| t == "3.3.1 Struktur"));
}

#[test]
fn subheadings_appear_in_all_three_formats_and_in_the_table_of_contents() {
    let input = structured();
    let html = String::from_utf8(render(&input, Format::Html).unwrap()).unwrap();
    // Document level 3 is <h4>, level 4 <h5> (the title is the only <h1>).
    assert!(html.contains(">3.2.3 Självskattningen i relation till kommunenkäterna</h4>"), "h4 in HTML");
    assert!(html.contains(">3.2.3.1 Delmål 1 – Nära för mig</h5>"), "h5 in HTML");
    let toc = &html[html.find("rapport-toc").unwrap()..html.find("</nav>").unwrap()];
    assert!(toc.contains("3.2.3.1 Delmål 1 – Nära för mig"), "subheading in the HTML table of contents");
    let plain = normalise(&html_text(&html));
    assert!(plain.contains("Före allt genererat i 3.2. 13 av 13 lokala systemledningar har besvarat"));
    assert!(!plain.contains("###"));

    let docx = render(&input, Format::Docx).unwrap();
    let xml = gnv_report::docx_text::document_xml(&docx).unwrap();
    let styled = |style: &str, text: &str| {
        xml.split("</w:p>").any(|p| p.contains(&format!("w:val=\"{style}\"")) && p.contains(text))
    };
    assert!(styled("Heading3", "3.2.3 Självskattningen i relation till kommunenkäterna"));
    assert!(styled("Heading4", "3.2.3.1 Delmål 1 – Nära för mig"));
    assert!(styled("Heading2", "4.1 Om perspektiven"));
    assert!(
        xml.contains("TOC \\o &quot;1-4&quot;") || xml.contains("TOC \\o \"1-4\""),
        "Word TOC lists levels 1–4"
    );

    let pdf = render(&input, Format::Pdf).unwrap();
    if let Some(text) = pdf_text(&pdf) {
        let t = normalise(&text);
        // Once in the table of contents, once as the heading.
        assert!(t.matches("3.2.3.1 Delmål 1 – Nära för mig").count() >= 2, "PDF heading and contents entry");
        assert!(t.contains("3.2.4 Reflektera tillsammans!"));
        assert!(t.contains("Text om delmål 5."));
    } else {
        assert!(std::env::var("CI").is_err(), "pdftotext (poppler-utils) is required in CI");
    }
}

#[test]
fn a_migrated_narrative_renders_exactly_like_the_narrative_after_the_section() {
    let legacy = input_2024();
    let mut migrated = input_2024();
    let body = migrated.narratives.remove("avslutningsord").unwrap();
    migrated.layouts.insert("avslutningsord".into(), vec![text(&body)]);
    assert_eq!(build(&legacy), build(&migrated));
    for f in [Format::Pdf, Format::Html] {
        assert_eq!(render(&legacy, f).unwrap(), render(&migrated, f).unwrap(), "{f:?}");
    }
}

/// The example as a schema-1 input frozen before this change: without the new fields.
fn schema_1() -> ReportInput {
    let mut json: serde_json::Value = serde_json::from_str(&input_2024().to_json()).unwrap();
    let obj = json.as_object_mut().unwrap();
    obj.insert("schema".into(), 1.into());
    for k in ["layouts", "quotes", "round", "deliveries"] {
        assert!(obj.get(k).is_none(), "{k} is left out when empty");
    }
    ReportInput::from_json(&json.to_string()).unwrap()
}

#[test]
fn a_frozen_schema_1_input_still_reads_and_regenerates_as_then() {
    let input = schema_1();
    let text = normalise(&html_text(&String::from_utf8(render(&input, Format::Html).unwrap()).unwrap()));
    // Exactly what schema 1 printed: the fixed method sentences and every free-text answer.
    assert!(text.contains("I januari 2025 skickades en förfrågan till socialchefer"));
    assert!(text.contains("Samtliga kommunenkäter sammanställdes och redovisades till Socialstyrelsen."));
    assert!(text.contains("3.3.6 Röster ur kartläggningen"));
    assert!(text.contains("Utdrag ur rapporteringen, utan kommunnamn:"));
    let doc = build(&input);
    assert_eq!(doc.contents_depth, 2);
    // A ### in a schema-1 narrative stays a paragraph.
    let mut with_hash = schema_1();
    with_hash.narratives.insert("metodaspekter".into(), "### Rubrik".into());
    let doc = build(&with_hash);
    assert!(doc.blocks.contains(&Block::Paragraph("Rubrik".into())));
}

#[test]
fn without_recorded_facts_the_method_states_that_data_is_missing() {
    let input = input_2024();
    assert!(input.round.is_none() && input.deliveries.is_empty());
    let html = String::from_utf8(render(&input, Format::Html).unwrap()).unwrap();
    let text = normalise(&html_text(&html));
    assert!(text.contains("Uppgifter saknas för rapporteringsomgången 2024"));
    assert!(text.contains("Uppgifter saknas för redovisningen av kommunenkäterna 2024 till Socialstyrelsen."));
    for fixed in ["I januari", "skickades", "redovisades till Socialstyrelsen", "efterfrågades i"] {
        assert!(!text.contains(fixed), "«{fixed}» without a recorded fact");
    }
}

#[test]
fn invitation_and_delivery_sentences_come_from_the_recorded_facts() {
    let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let mut input = input_2024();
    input.round = Some(RoundFacts {
        year: 2024,
        parts: vec![
            "Självskattning".into(),
            "Kommunenkät till Socialstyrelsen".into(),
            "Ekonomisk redovisning".into(),
        ],
        invitations: Some(InvitationFacts {
            first: d(2025, 1, 13),
            last: d(2025, 1, 13),
            recipients: 28,
            municipalities: 15,
            lsls: 13,
            other_organisations: 0,
        }),
    });
    input.deliveries.push(Delivery {
        kind: DELIVERY_SURVEY_TO_SOCIALSTYRELSEN.into(),
        date: d(2025, 3, 28),
        by: "RSS Dalarna".into(),
        note: String::new(),
    });
    let text = normalise(&html_text(&String::from_utf8(render(&input, Format::Html).unwrap()).unwrap()));
    assert!(text.contains("Den 13 januari 2025 skickades en förfrågan om rapporteringen avseende 2024 med e-post till 28 mottagare i 15 kommuner och 13 lokala systemledningar."));
    assert!(text.contains("Rapporteringen 2024 efterfrågades i 3 delar: Självskattning Kommunenkät till Socialstyrelsen Ekonomisk redovisning"));
    assert!(text.contains("Kommunenkäterna sammanställdes och redovisades till Socialstyrelsen av RSS Dalarna den 28 mars 2025."));
    assert!(!text.contains("Uppgifter saknas för rapporteringsomgången"));
    // Invitations over several days, none logged.
    if let Some(inv) = input.round.as_mut().unwrap().invitations.as_mut() {
        inv.last = d(2025, 1, 20);
        inv.recipients = 1;
        inv.lsls = 0;
        inv.municipalities = 1;
    }
    let text = normalise(&html_text(&String::from_utf8(render(&input, Format::Html).unwrap()).unwrap()));
    assert!(text.contains("Mellan den 13 januari 2025 och den 20 januari 2025 skickades förfrågningar om rapporteringen avseende 2024 med e-post till 1 mottagare i 1 kommun."));
    input.round.as_mut().unwrap().invitations = None;
    let text = normalise(&html_text(&String::from_utf8(render(&input, Format::Html).unwrap()).unwrap()));
    assert!(text.contains("Uppgifter saknas för utskicket av förfrågan om rapporteringen 2024: inga utskick finns registrerade."));
}

#[test]
fn only_chosen_quotes_are_printed_in_their_order_attributed_when_asked() {
    let input = input_2024();
    let mapping = input.mapping.as_ref().unwrap();
    let round = gnv_core::kartlaggning::MappingRound::new(mapping.year, mapping.answers.clone()).unwrap();
    let sum = gnv_core::kartlaggning::summarize(&round, &input.registry);
    let group = sum.free_text.first().expect("the example has mapping free text");
    let answers: Vec<String> =
        sum.free_text.iter().flat_map(|g| g.answers.iter().map(|a| a.text.clone())).collect();
    let survey_texts: Vec<String> = input
        .survey
        .as_ref()
        .unwrap()
        .sections
        .iter()
        .flat_map(|s| s.entries.iter().map(|e| e.text.clone()))
        .collect();
    let text = normalise(&html_text(&String::from_utf8(render(&input, Format::Html).unwrap()).unwrap()));
    assert!(!text.contains("Röster ur kartläggningen"), "nothing quoted by default");
    for a in answers.iter().chain(&survey_texts) {
        assert!(!text.contains(&normalise(a)), "unchosen answer «{a}» printed");
    }
    assert!(text.contains("kommuner har skrivit under denna rubrik."), "the count stays");

    let mut chosen = input_2024();
    let key = format!("kartlaggning/{}", gnv_report::quotes::question_slug(group.question));
    let a = &group.answers[0];
    chosen.quotes = vec![
        ChosenQuote {
            source: key.clone(),
            text: "Andra citatet […]".into(),
            attribution: Some("Mora".into()),
        },
        ChosenQuote { source: key, text: a.text.clone(), attribution: None },
    ];
    for f in [Format::Html, Format::Docx, Format::Pdf] {
        let bytes = render(&chosen, f).unwrap();
        let text = match f {
            Format::Html => normalise(&html_text(&String::from_utf8(bytes).unwrap())),
            Format::Docx => normalise(
                &gnv_report::docx_text::paragraphs(&gnv_report::docx_text::document_xml(&bytes).unwrap())
                    .join("\n"),
            ),
            Format::Pdf => match pdf_text(&bytes) {
                Some(t) => normalise(&t),
                None => continue,
            },
        };
        assert!(text.contains("3.3.6 Röster ur kartläggningen"), "{f:?}");
        let first =
            text.find("”Andra citatet […]” (Mora)").unwrap_or_else(|| panic!("{f:?}: attributed quote"));
        let second =
            text.find(&format!("”{}”", normalise(&a.text))).unwrap_or_else(|| panic!("{f:?}: quote"));
        assert!(first < second, "{f:?}: the chosen order");
        assert!(text.contains("Citaten är valda ur systemledningarnas svar."), "{f:?}");
    }
}

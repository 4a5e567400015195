//! The regional action plan's follow-up as section 3.6 of the report, and the mapping form's
//! version-2 topics as counted sentences (issue #15, item 6), in PDF, DOCX and HTML; and the
//! frozen-report guarantee: an existing schema-2 input without these fields renders exactly as
//! before they existed.

mod common;
use common::{html_text, normalise, pdf_text};

use chrono::NaiveDate;
use gnv_core::nyckeltal::{default_catalogue, evaluate, Dataset, Gender, Observation, Period, Value};
use gnv_core::organisation::dalarna;
use gnv_core::planering::aktivitet::{Attendance, Format as Form, Occurrence, OccurrenceStatus};
use gnv_core::planering::{ActionPlanVersion, ActionStatus, FollowUpLevel, StatusUpdate};
use gnv_exempel::planering::{demo_action_plan, demo_plan_2026, INFORMATIONSFORUM, NATVERKSTRAFFAR};
use gnv_exempel::rapport::input_2024;
use gnv_report::handlingsplan::ActionPlanInput;
use gnv_report::{build, render, sha256_hex, Format, ReportInput};
use std::process::Command;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// SHA-256 of the example report (`exempel::input_2024()`, schema 2) as `main` rendered it
/// before the action-plan section and the mapping form's version 2 existed (commit 2e500f5,
/// `cargo run -p gnv-report --example exempel`): the HTML and PDF files, and for Word its
/// `word/document.xml` (the package itself differs from run to run).
const EXAMPLE_BEFORE: [(Format, &str); 3] = [
    (Format::Html, "6f7c7d53f10d8cbbc623ed883400b3e5aa52543753cd98861fb5156b0ced3e3d"),
    (Format::Docx, "68c7a3743b5dce5d01a7a3ce10e9cced4e54cfdfa11914759abd7ba17eb931a2"),
    (Format::Pdf, "643b93a0e883e7893d39553799b4fa9e735b0cf748f7236ee2f96da2523cde6c"),
];

#[test]
fn an_existing_schema_2_input_without_the_new_fields_renders_exactly_as_before() {
    let input = input_2024();
    assert_eq!(input.schema, 2);
    let json = input.to_json();
    for key in ["action_plan", "polsam_systematic", "user_representative"] {
        assert!(!json.contains(key), "the frozen JSON gains no field {key}");
    }
    let again = ReportInput::from_json(&json).unwrap();
    assert_eq!(again.to_json(), json, "the frozen JSON reads back to the same JSON");
    assert!(!normalise(&html_text(&String::from_utf8(render(&again, Format::Html).unwrap()).unwrap()))
        .contains("handlingsplanen"));
    for (format, before) in EXAMPLE_BEFORE {
        let mut bytes = render(&again, format).unwrap();
        if format == Format::Docx {
            bytes = gnv_report::docx_text::document_xml(&bytes).unwrap().into_bytes();
        }
        assert_eq!(sha256_hex(&bytes), before, "{format:?} differs from the report rendered before");
    }
}

/// A 2026 follow-up: the example plan (version 1, adopted 2026) with two tactical statuses
/// recorded in 2026, the trends of 1.1 and 2.1 from an edition, and the 2026 annual plan with
/// held network meetings.
fn input_2026(with_statuses: bool, with_edition: bool, with_annual_plan: bool) -> ReportInput {
    let registry = dalarna();
    let mut v = ActionPlanVersion::first(demo_action_plan(), 2026, &registry).unwrap();
    let tactical: Vec<_> =
        v.plan.actions().iter().filter(|r| r.action.level == FollowUpLevel::Taktisk).map(|r| r.key).collect();
    if with_statuses {
        let up = |d, s, c: &str| StatusUpdate { date: d, status: s, comment: c.into() };
        v.plan.record_update(tactical[0], up(date(2026, 3, 20), ActionStatus::Pagar, "")).unwrap();
        v.plan
            .record_update(tactical[1], up(date(2026, 5, 22), ActionStatus::Klar, "Stödmaterial presenterat"))
            .unwrap();
    }
    let catalogue = default_catalogue();
    let obs: Vec<Observation> =
        [("1.1", 2024, 60.0), ("1.1", 2025, 65.0), ("2.1", 2024, 50.0), ("2.1", 2025, 45.0)]
            .iter()
            .flat_map(|(code, year, value)| {
                let ic: gnv_core::nyckeltal::IndicatorCode = code.parse().unwrap();
                let split = catalogue.get(ic).is_some_and(|i| i.split_by_sex);
                let genders: Vec<Gender> = if split { Gender::ALL.to_vec() } else { vec![Gender::T] };
                genders.into_iter().map(move |g| Observation {
                    indicator: ic,
                    org: "0020".into(),
                    period: Period(*year),
                    gender: g,
                    value: Value::Number(*value),
                })
            })
            .collect();
    let evaluation = evaluate(&catalogue, &Dataset::new(obs).unwrap(), "0020", None);
    let edition = with_edition.then_some((2025, "Dalarna", &catalogue, &evaluation));
    let mut input = ReportInput::empty(2026, registry, gnv_core::delmal::default_subgoals());
    input.action_plan = Some(ActionPlanInput::new(v, 2026, edition));
    if with_annual_plan {
        let mut annual = demo_plan_2026();
        for (m, status) in [
            (2, OccurrenceStatus::Genomford),
            (4, OccurrenceStatus::Genomford),
            (11, OccurrenceStatus::Planerad),
        ] {
            annual.occurrences.push(Occurrence {
                activity: NATVERKSTRAFFAR.into(),
                title: String::new(),
                date: date(2026, m, 10),
                format: Form::Digitalt,
                status,
                attendance: Attendance::default(),
                participants: None,
                note: String::new(),
            });
        }
        for m in [4, 10] {
            annual.occurrences.push(Occurrence {
                activity: INFORMATIONSFORUM.into(),
                title: String::new(),
                date: date(2026, m, 16),
                format: Form::Digitalt,
                status: OccurrenceStatus::Genomford,
                attendance: Attendance::default(),
                participants: None,
                note: String::new(),
            });
        }
        input.support = Some(annual);
    }
    input
}

/// The text of the report in each format, normalised.
fn texts(input: &ReportInput) -> Vec<(Format, String)> {
    let mut out = vec![(
        Format::Html,
        normalise(&html_text(&String::from_utf8(render(input, Format::Html).unwrap()).unwrap())),
    )];
    let docx = render(input, Format::Docx).unwrap();
    let xml = gnv_report::docx_text::document_xml(&docx).unwrap();
    out.push((Format::Docx, normalise(&gnv_report::docx_text::paragraphs(&xml).join("\n"))));
    match pdf_text(&render(input, Format::Pdf).unwrap()) {
        Some(t) => out.push((Format::Pdf, normalise(&t))),
        None => assert!(std::env::var("CI").is_err(), "pdftotext (poppler-utils) is required in CI"),
    }
    out
}

#[test]
fn the_follow_up_section_states_the_three_levels_in_all_three_formats() {
    let input = input_2026(true, true, true);
    let doc = build(&input);
    // Table numbers: the section's sentences cite the numbers its tables get.
    let captions: Vec<String> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            gnv_render::dokument::Block::Table(t) => Some(t.caption.clone()),
            _ => None,
        })
        .collect();
    let number = |start: &str| captions.iter().position(|c| c.starts_with(start)).unwrap() + 1;
    let (ts, tt, to) = (
        number("Handlingsplanens mål och kopplade nyckeltal"),
        number("Åtgärder på taktisk nivå"),
        number("Aktiviteter kopplade till åtgärder på operativ nivå"),
    );
    assert_eq!((tt, to), (ts + 1, ts + 2));
    let expected = [
        "3.6 Uppföljning av den regionala handlingsplanen".to_string(),
        "Regional handlingsplan för God och nära vård i Dalarna 2026–2030 (Exempel – utkast) har Länschefsnätverket som avsändare och löper 2026–2030. Uppföljningen för 2026 avser planens version 1, antagen 2026, och åtgärdernas status den 31 december 2026.".to_string(),
        "3.6.1 Strategisk nivå – ”Har vi uppnått målet?”".to_string(),
        "Trenden sedan föregående mätning enligt infografiken 2025 för Dalarna: 1 förbättrat, 1 försämrat och".to_string(),
        format!("Tabell {ts} visar målen med de nyckeltal som följer deras effekt."),
        "3.6.2 Taktisk nivå – ”Är vi på väg åt rätt håll?”".to_string(),
        "Under 2026 har status registrerats för 2 av 7 åtgärder på taktisk nivå. Läget den 31 december 2026:".to_string(),
        "1 av 7 åtgärder pågår, 1 är klar och 5 är ej påbörjade.".to_string(),
        "5 åtgärder saknar registrerad status och räknas som ej påbörjade.".to_string(),
        "2026-05-22: Stödmaterial presenterat".to_string(),
        format!("Tabell {tt} visar varje åtgärd på taktisk nivå"),
        "3.6.3 Operativ nivå – ”Gör vi det vi har sagt att vi ska göra?”".to_string(),
        "2 av 4–5 nätverksträffar".to_string(),
        "1 planerat".to_string(),
        "2 av 2 informationsforum".to_string(),
        format!("Tabell {to} visar, per åtgärd,"),
    ];
    for (format, text) in texts(&input) {
        for phrase in &expected {
            assert!(text.contains(&normalise(phrase)), "{format:?}: missing «{phrase}»\n{text}");
        }
        // The section sits between 3.5 and 4.
        let at = |s: &str| text.rfind(s).unwrap_or_else(|| panic!("{format:?}: {s}"));
        assert!(
            at("3.5 Regionalt stöd") < at("3.6 Uppföljning") && at("3.6 Uppföljning") < at("4 Metodaspekter")
        );
    }
    // HTML tables of the section have header cells.
    let html = String::from_utf8(render(&input, Format::Html).unwrap()).unwrap();
    // (after the table of contents, which lists the headings too)
    let section = &html
        [html.rfind("3.6 Uppföljning av den regionala").unwrap()..html.rfind("4 Metodaspekter</h").unwrap()];
    assert_eq!(section.matches("<table").count(), 3);
    assert!(section.contains("<th scope=\"col\">Mål</th>"), "{section}");
    assert!(section.contains("<th scope=\"col\">Status</th>"), "{section}");
}

#[test]
fn levels_without_data_say_so_and_a_year_without_a_plan_has_no_section() {
    let input = input_2026(false, false, false);
    for (format, text) in texts(&input) {
        for phrase in [
            "Uppgifter saknas för nyckeltalens trender 2026: ingen publicerad utgåva av infografiken finns för rapporten.",
            "Uppgifter saknas för uppföljningen av åtgärderna på taktisk nivå 2026: ingen status är registrerad under året.",
            "Uppgifter saknas för årsplaneringen 2026:",
        ] {
            assert!(text.contains(phrase), "{format:?}: missing «{phrase}»");
        }
        assert!(!text.contains("Läget den 31 december"), "{format:?}: no status sentence without statuses");
    }
    // No plan in force (the 2024 report): no section and no mention.
    let mut none = input_2026(false, false, false);
    none.action_plan = None;
    let text = normalise(&html_text(&String::from_utf8(render(&none, Format::Html).unwrap()).unwrap()));
    assert!(!text.contains("3.6 Uppföljning") && !text.contains("handlingsplanen"), "{text}");
}

#[test]
fn analyst_text_can_be_placed_between_the_levels() {
    let mut input = input_2026(true, true, true);
    input.layouts.insert(
        "handlingsplan".into(),
        vec![
            gnv_report::layout::LayoutItem::Part { key: "strategisk".into() },
            gnv_report::layout::LayoutItem::Text { body: "Analytikerns kommentar till effekterna.".into() },
            gnv_report::layout::LayoutItem::Part { key: "taktisk".into() },
        ],
    );
    let text = normalise(&html_text(&String::from_utf8(render(&input, Format::Html).unwrap()).unwrap()));
    let at = |s: &str| text.rfind(s).unwrap_or_else(|| panic!("{s}"));
    assert!(
        at("3.6.1 Strategisk") < at("Analytikerns kommentar")
            && at("Analytikerns kommentar") < at("3.6.2 Taktisk")
    );
}

#[test]
fn the_pdf_with_the_section_keeps_its_accessible_structure() {
    let pdf = render(&input_2026(true, true, true), Format::Pdf).unwrap();
    let path = common::tempfile_dir().join("handlingsplan.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/check-pdf-structure.py");
    let out = Command::new("python3").arg(script).arg(&path).output();
    let out = match out {
        Ok(o) if !String::from_utf8_lossy(&o.stderr).contains("No module named 'pikepdf'") => o,
        _ => {
            assert!(std::env::var("CI").is_err(), "python3 with pikepdf is required in CI");
            eprintln!("pikepdf is not installed; the PDF structure tree is not checked");
            return;
        }
    };
    let report = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "structure tree problems:\n{report}");
}

/// The example's mapping answered on form version 2: `reps` LSLs with a user representative,
/// `systematic` collaborating systematically with POLSAM.
fn mapping_v2(reps: usize, systematic: usize) -> ReportInput {
    let mut input = input_2024();
    let m = input.mapping.as_mut().unwrap();
    for (i, a) in m.answers.iter_mut().enumerate() {
        a.user_influence.user_representative = Some(i < reps);
        a.collaboration.polsam_systematic = Some(i < systematic);
    }
    input
}

#[test]
fn the_mapping_form_s_version_2_topics_become_counted_sentences() {
    for (input, phrases) in [
        (
            mapping_v2(0, 1),
            [
                "Ingen av de 13 lokala systemledningarna har någon brukarrepresentant i systemledningen.",
                "1 av 13 lokala systemledningar samverkar systematiskt med POLSAM.",
            ],
        ),
        (
            mapping_v2(4, 13),
            [
                "4 av 13 lokala systemledningar har brukarrepresentant i systemledningen.",
                "Samtliga 13 lokala systemledningar samverkar systematiskt med POLSAM.",
            ],
        ),
    ] {
        for (format, text) in texts(&input) {
            for phrase in phrases {
                assert!(text.contains(phrase), "{format:?}: missing «{phrase}»");
            }
        }
    }
    // Answers on version 1 (no value): no such sentence.
    let text =
        normalise(&html_text(&String::from_utf8(render(&input_2024(), Format::Html).unwrap()).unwrap()));
    assert!(!text.contains("brukarrepresentant") && !text.contains("systematiskt med POLSAM"));
}

//! The report's analyses (issue #15) through the real server: the survey's delivery to
//! Socialstyrelsen recorded per municipality on `/leveranser/{år}` and stated per municipality
//! in the report (or not at all), and 3.2.3 — the self-assessment per sub-goal beside the
//! survey — with the multi-year statements, following the county profile's mapping.

use crate::common::spawn_app;
use gnv_core::kommunenkat::{Area, Heading, MunicipalAnswer, Text};
use gnv_storage::Actor;
use reqwest::multipart::{Form, Part};
use std::collections::{BTreeMap, BTreeSet};

/// Tags and inline SVG removed, whitespace squashed.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<svg") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("</svg>").map(|j| &rest[i + j + 6..]).unwrap_or("");
    }
    out.push_str(rest);
    let mut plain = String::new();
    let mut in_tag = false;
    for c in out.chars() {
        match c {
            '<' => {
                in_tag = true;
                plain.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => plain.push(c),
            _ => {}
        }
    }
    plain
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn docx_text(bytes: &[u8]) -> String {
    gnv_report::docx_text::paragraphs(&gnv_report::docx_text::document_xml(bytes).unwrap())
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn the_survey_delivery_is_recorded_per_municipality_and_stated_per_municipality_or_not_at_all() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let preview = |admin: reqwest::Client| {
        let url = app.url("/arsrapport/2025");
        async move { text_of(&admin.get(url).send().await.unwrap().text().await.unwrap()) }
    };
    // No record: no sentence about a delivery, the report says the fact is missing.
    let before = preview(admin.clone()).await;
    assert!(!before.contains("redovisades till Socialstyrelsen"));
    assert!(
        before.contains("Uppgifter saknas för redovisningen av kommunenkäterna 2025 till Socialstyrelsen.")
    );

    let xlsx =
        admin.get(app.url("/kommunenkat/2025/export.xlsx")).send().await.unwrap().bytes().await.unwrap();
    let post = |kind: &str, kommun: &str, date: &str| {
        let form = Form::new()
            .text("csrf", csrf.clone())
            .text("slag", kind.to_string())
            .text("kommun", kommun.to_string())
            .text("datum", date.to_string())
            .text("av", "Anna Analytiker")
            .text("anteckning", "https://example.se/rapport.pdf")
            .part("fil", Part::bytes(xlsx.to_vec()).file_name("kommunenkat.xlsx"));
        let admin = admin.clone();
        let url = app.url(&format!("/leveranser/2025?csrf={csrf}"));
        async move { admin.post(url).multipart(form).send().await.unwrap() }
    };
    // The page offers every municipality and "Alla kommuner".
    let page = admin.get(app.url("/leveranser/2025")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<option value=\"\">Alla kommuner</option>"));
    assert!(page.contains("<option value=\"2084\">Avesta</option>"));
    // A municipality not in the registry, or the region's report for one municipality: refused.
    let resp = post("kommunenkat_socialstyrelsen", "9999", "2026-02-27").await;
    assert_eq!(resp.status(), 400);
    let body = text_of(&resp.text().await.unwrap());
    assert!(body.contains("Kommun: \"9999\" finns inte i organisationsregistret."), "{body}");
    let resp = post("regionens_rapport_socialstyrelsen", "2084", "2026-02-27").await;
    assert_eq!(resp.status(), 400);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("Regionens rapport till Socialstyrelsen gäller inte en enskild kommun."));
    assert!(app.db.deliveries(2025).await.unwrap().is_empty());

    assert_eq!(post("kommunenkat_socialstyrelsen", "2084", "2026-02-27").await.status(), 303);
    assert_eq!(post("kommunenkat_socialstyrelsen", "2080", "2026-03-03").await.status(), 303);
    let stored = app.db.deliveries(2025).await.unwrap();
    assert_eq!(
        stored.iter().map(|d| d.organisation.clone()).collect::<Vec<_>>(),
        vec![Some("2084".to_string()), Some("2080".to_string())]
    );
    let page = text_of(&admin.get(app.url("/leveranser/2025")).send().await.unwrap().text().await.unwrap());
    assert!(
        page.contains("Kommunenkätens sammanställning till Socialstyrelsen Avesta 27 februari 2026"),
        "{page}"
    );
    // One municipality's delivery does not complete the year's step.
    let year = admin.get(app.url("/aret/2026")).send().await.unwrap().text().await.unwrap();
    let row = &year[year.find("Kommunenkätens sammanställning till Socialstyrelsen (2025)").unwrap()..];
    assert!(row[..row.find("</tr>").unwrap()].contains("inte klart"));

    let sentence = "Kommunenkäten redovisades till Socialstyrelsen för 2 av 15 kommuner: den 27 februari 2026 för Avesta; den 3 mars 2026 för Falun.";
    assert!(preview(admin.clone()).await.contains(sentence));
    let docx = admin.get(app.url("/arsrapport/2025.docx")).send().await.unwrap().bytes().await.unwrap();
    assert!(docx_text(&docx).contains(sentence));
    let html = admin.get(app.url("/arsrapport/2025.html")).send().await.unwrap().text().await.unwrap();
    assert!(text_of(&html).contains(sentence));
    assert!(!text_of(&html).contains("Uppgifter saknas för redovisningen av kommunenkäterna"));

    // The record for every municipality covers the others from its date.
    assert_eq!(post("kommunenkat_socialstyrelsen", "", "2026-03-31").await.status(), 303);
    let text = preview(admin.clone()).await;
    assert!(text.contains("Kommunenkäten redovisades till Socialstyrelsen för 15 av 15 kommuner: den 27 februari 2026 för Avesta; den 3 mars 2026 för Falun; den 31 mars 2026 för Borlänge, Gagnef,"), "{text}");
    // Each record is audited with the municipality it concerns.
    let audit: Vec<(Option<String>,)> =
        sqlx::query_as("SELECT after_json FROM audit_log WHERE entity = 'extern_leverans' ORDER BY id")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    let kommun: Vec<String> = audit
        .iter()
        .filter_map(|a| a.0.as_deref())
        .filter_map(|j| serde_json::from_str::<serde_json::Value>(j).ok())
        .map(|v| v["kommun"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(kommun, ["2084", "2080", "alla"]);
}

const HISTORY: &str = "år;lsl;respondent;roll;perspektiv;delmal1;delmal2;delmal3;delmal4;delmal5;tillampat
2023;Vansbro;;;;4;3;2,5;3,5;2;nej
2023;Malung-Sälen;;;;4;3;2,5;3,5;2;nej
2023;Gagnef;;;;4;3;2,5;3,5;2;nej
2023;Leksand;;;;4;3;2,5;3,5;2;nej
2023;Rättvik;;;;4;3;2,5;3,5;2;nej
2023;Orsa;;;;4;3;2,5;3,5;2;nej
2023;Älvdalen;;;;4;3;2,5;3,5;2;nej
2023;Västerbergslagen;;;;4;3;2,5;3,5;2;nej
2023;Mora;;;;4;3;2,5;3,5;2;nej
2023;Falun;;;;4;3;2,5;3,5;2;nej
2023;Borlänge;;;;4;3;2,5;3,5;2;nej
2023;Säter;;;;4;3;2,5;3,5;2;nej
2023;Södra Dalarna;;;;4;3;2,5;3,5;2;nej
2024;Vansbro;;;;5;3;2;4;1;ja
2024;Malung-Sälen;;;;5;3;2;4;1;ja
2024;Gagnef;;;;5;3;2;4;1;ja
2024;Leksand;;;;5;3;2;4;1;ja
2024;Rättvik;;;;5;3;2;4;1;ja
2024;Orsa;;;;5;3;2;4;1;ja
2024;Älvdalen;;;;5;3;2;4;1;ja
2024;Västerbergslagen;;;;5;3;2;4;1;ja
2024;Mora;;;;5;3;2;4;1;ja
2024;Falun;;;;5;3;2;4;1;ja
2024;Borlänge;;;;5;3;2;4;1;ja
2024;Säter;;;;4;3;2;4;1;ja
2024;Södra Dalarna;;;;4;3;2;4;1;ja
";

fn answer(code: &str, areas: &[Area], texts: &[(Heading, &str)]) -> MunicipalAnswer {
    MunicipalAnswer {
        municipality_code: code.to_string(),
        year: 2024,
        areas: areas.iter().copied().collect::<BTreeSet<_>>(),
        other: None,
        free_text: texts
            .iter()
            .map(|(h, t)| (*h, Text::parse(t).unwrap().unwrap()))
            .collect::<BTreeMap<_, _>>(),
    }
}

#[tokio::test]
async fn the_report_sets_the_self_assessment_beside_the_survey_per_subgoal_as_the_profile_maps_it() {
    let app = spawn_app().await;
    let actor = Actor::cli();
    let registry = app.db.registry().await.unwrap();
    let subgoals = app.db.subgoals().await.unwrap();
    let history =
        gnv_core::sjalvskattning::import_csv(HISTORY, &registry, &Default::default(), &subgoals).unwrap();
    app.db.import_sjalvskattning_history(&history, &actor).await.unwrap();
    for a in [
        answer(
            "2084",
            &[Area::FastVardkontakt, Area::Sip],
            &[(Heading::DelaktighetKontinuitet, "Bildstöd och tolk vid behov.")],
        ),
        answer("2080", &[Area::MobilaTeam], &[]),
        answer("2062", &[Area::Sip], &[]),
    ] {
        app.db.save_survey_answer(&a, true, true, &actor).await.unwrap();
    }
    let (reader, _) = app.login("lasare").await;
    let page = text_of(&reader.get(app.url("/arsrapport/2024")).send().await.unwrap().text().await.unwrap());
    for needle in [
        "3.2.3 Självskattningen i relation till rapporteringen från kommunenkäterna",
        "3.2.3.1 Delmål 1 – ”Nära för mig”",
        "Självskattningen 2024 ger delmålet medelvärdet 4,8 (13 av 13 lokala systemledningar har skattat): 2 systemledningar skattade 4 och 11 skattade 5.",
        "I kommunenkäten 2024 har kommunerna angett att de initierat eller förstärkt de kopplade områdena fast vårdkontakt (1 av 3), fast omsorgskontakt (0 av 3) och samordnad individuell plan (SIP) (2 av 3).",
        "1 av 3 kommuner har skrivit under rubriken ”Delaktighet och kontinuitet”.",
        "Sammantaget har 2 av 3 kommuner rapporterat något av det som är kopplat till delmålet.",
        "3.2.3.5 Delmål 5 – ”Nära till hälsa”",
        "3.2.4 Reflektera tillsammans!",
        // Multi-year statements, all true here.
        "Delmål 1, ”Nära för mig”, skattades högst både i denna och föregående skattning (2023 och 2024).",
        "Delmål 5, ”Nära till hälsa”, skattades lägst både i denna och föregående skattning (2023 och 2024).",
        "Delmålens inbördes ordning efter medelvärde är densamma 2024 som 2023.",
    ] {
        assert!(page.contains(needle), "preview lacks «{needle}»");
    }
    // The figure's number is the one the report gives it, and its table cites it.
    let input = gnv_report::assemble::assemble(&app.db.report_data(2024).await.unwrap());
    let n = gnv_report::figure_number(&gnv_report::build(&input), gnv_report::RELATION_CAPTION).unwrap();
    assert!(page.contains(&format!("Figur {n}. {}", gnv_report::RELATION_CAPTION)), "{page}");
    assert!(page.contains(&format!("(samma data som Figur {n})")));

    // The county profile decides the mapping: with an empty mapping there is no 3.2.3, and the
    // reflection is 3.2.3 again (the multi-year statements stay).
    let mut profile = app.db.county_profile().await.unwrap();
    profile.survey_links = Some(Vec::new());
    app.db.set_county_profile(&profile, &actor).await.unwrap();
    let page = text_of(&reader.get(app.url("/arsrapport/2024")).send().await.unwrap().text().await.unwrap());
    assert!(!page.contains("Självskattningen i relation till rapporteringen från kommunenkäterna"));
    assert!(page.contains("3.2.3 Reflektera tillsammans!"));
    assert!(page.contains("Delmålens inbördes ordning efter medelvärde är densamma 2024 som 2023."));
}

//! The analyst's text in the annual report (issue #15) through the real server: text blocks
//! placed between generated parts with numbered subheadings, moved, versioned and audited;
//! chosen quotes; the method's sentences only from recorded facts, in PDF, DOCX and HTML.

use crate::common::{spawn_app, TestApp, OPEN_UNTIL};
use gnv_core::rapportering::Part;
use gnv_report::layout::LayoutItem;
use gnv_storage::Actor;

/// The text of a page or an HTML file: tags and inline SVG removed, whitespace squashed.
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
    let plain = plain.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'");
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, pdf).ok()?;
    let out =
        std::process::Command::new("pdftotext").arg("-enc").arg("UTF-8").arg(&path).arg("-").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).replace("-\n", "");
    out.status.success().then(|| text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The report of `year` as text in each format: (format, text).
async fn report_texts(app: &TestApp, client: &reqwest::Client, year: i32) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for ext in ["html", "docx", "pdf"] {
        let resp = client.get(app.url(&format!("/arsrapport/{year}.{ext}"))).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{ext}");
        let bytes = resp.bytes().await.unwrap();
        let text = match ext {
            "html" => text_of(&String::from_utf8_lossy(&bytes)),
            "docx" => {
                gnv_report::docx_text::paragraphs(&gnv_report::docx_text::document_xml(&bytes).unwrap())
                    .join(" ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            _ => match pdf_text(&bytes) {
                Some(t) => t,
                None => {
                    assert!(std::env::var("CI").is_err(), "pdftotext (poppler-utils) is required in CI");
                    continue;
                }
            },
        };
        out.push((ext, text));
    }
    out
}

#[tokio::test]
async fn a_report_without_round_survey_or_economy_writes_no_unbacked_sentences_in_any_format() {
    let app = spawn_app().await;
    let (reader, _) = app.login("lasare").await;
    let texts = report_texts(&app, &reader, 2025).await;
    assert!(texts.len() >= 2);
    for (format, text) in texts {
        for fixed in [
            "I januari",
            "skickades en förfrågan",
            "skickades förfrågningar",
            "redovisades till Socialstyrelsen",
            "Samtliga kommunenkäter",
            "efterfrågades i",
        ] {
            assert!(!text.contains(fixed), "{format}: «{fixed}» without a recorded fact");
        }
        for missing in [
            "Uppgifter saknas för rapporteringsomgången 2025",
            "Uppgifter saknas för redovisningen av kommunenkäterna 2025 till Socialstyrelsen.",
            "Uppgifter saknas för kommunernas rapportering till Socialstyrelsen 2025",
            "Uppgifter saknas för den ekonomiska redovisningen 2025",
        ] {
            assert!(text.contains(missing), "{format}: «{missing}» missing");
        }
    }
}

#[tokio::test]
async fn the_invitation_sentence_comes_from_the_round_and_its_mail_log() {
    let app = spawn_app().await;
    crate::common::open_round_with(&app.db, 2025, &[Part::Sjalvskattning, Part::Kommunenkat]).await;
    let (reader, _) = app.login("lasare").await;
    let page = text_of(&reader.get(app.url("/arsrapport/2025")).send().await.unwrap().text().await.unwrap());
    assert!(page.contains("Uppgifter saknas för utskicket av förfrågan om rapporteringen 2025: inga utskick finns registrerade."));
    assert!(page.contains(
        "Rapporteringen 2025 efterfrågades i 2 delar: Självskattning Kommunenkät till Socialstyrelsen"
    ));
    let a = Actor::cli();
    app.db
        .log_mail(2025, Part::Sjalvskattning, "lsl-mora", "eva@example.se", "Inbjudan", "inbjudan", &a)
        .await
        .unwrap();
    app.db
        .log_mail(2025, Part::Kommunenkat, "2062", "per@example.se", "Inbjudan", "inbjudan", &a)
        .await
        .unwrap();
    app.db
        .log_mail(2025, Part::Kommunenkat, "2062", "per@example.se", "Påminnelse", "paminnelse", &a)
        .await
        .unwrap();
    let page = text_of(&reader.get(app.url("/arsrapport/2025")).send().await.unwrap().text().await.unwrap());
    assert!(
        page.contains("skickades en förfrågan om rapporteringen avseende 2025 med e-post till 2 mottagare i 1 kommun och 1 lokal systemledning."),
        "{page}"
    );
    assert!(!page.contains("Uppgifter saknas för rapporteringsomgången"));
}

#[tokio::test]
async fn text_blocks_go_between_generated_parts_with_numbered_subheadings_and_move() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let editor = admin.get(app.url("/arsrapport/2025/text")).send().await.unwrap().text().await.unwrap();
    assert!(editor.contains("Genererad del"));
    assert!(editor.contains("Ny text på plats 4 i 2 Metod"));
    // Section 2: [inledning, 2.1, 2.1.1, 2.2 …]; place 3 is before "2.2 Nyckeltal och infografik".
    let post = |fields: Vec<(&'static str, String)>| {
        let admin = admin.clone();
        let url = app.url("/arsrapport/2025/text/metod");
        let csrf = csrf.clone();
        async move {
            let mut form = vec![("csrf", csrf)];
            form.extend(fields);
            admin.post(url).form(&form).send().await.unwrap()
        }
    };
    let resp = post(vec![
        ("atgard", "ny".into()),
        ("plats", "3".into()),
        ("version", "0".into()),
        ("text", "### Analytikerns rubrik\n\nMellantext om metoden.\n\n#### Fördjupning\n\nMer.".into()),
    ])
    .await;
    assert_eq!(resp.status(), 303);
    let stored = app.db.report_layouts(2025).await.unwrap();
    let metod = &stored["metod"];
    assert_eq!(metod.version, 1);
    assert!(
        matches!(&metod.items[3], LayoutItem::Text { body } if body.starts_with("### Analytikerns rubrik"))
    );
    assert!(matches!(&metod.items[2], LayoutItem::Part { key } if key == "lokala-systemledningar"));

    let (reader, _) = app.login("lasare").await;
    let html = reader.get(app.url("/arsrapport/2025")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(">2.2 Analytikerns rubrik</h3>"), "a numbered <h3> in the preview");
    assert!(html.contains(">2.2.1 Fördjupning</h4>"));
    assert!(
        html.contains(">2.3 Nyckeltal och infografik</h3>"),
        "the generated subsections after it are renumbered"
    );
    for (format, text) in report_texts(&app, &reader, 2025).await {
        let a = text.find("2.1.1 Länets 13 lokala systemledningar").unwrap_or_else(|| panic!("{format}"));
        let b = text.rfind("2.2 Analytikerns rubrik").unwrap_or_else(|| panic!("{format}: subheading"));
        let c = text.rfind("2.3 Nyckeltal och infografik").unwrap_or_else(|| panic!("{format}: renumbered"));
        assert!(a < b && b < c, "{format}: placed between the generated parts");
        assert!(text.contains("2.2.1 Fördjupning"), "{format}");
    }
    let docx = reader.get(app.url("/arsrapport/2025.docx")).send().await.unwrap().bytes().await.unwrap();
    let xml = gnv_report::docx_text::document_xml(&docx).unwrap();
    assert!(xml
        .split("</w:p>")
        .any(|p| p.contains("w:val=\"Heading2\"") && p.contains("2.2 Analytikerns rubrik")));
    assert!(xml.split("</w:p>").any(|p| p.contains("w:val=\"Heading3\"") && p.contains("2.2.1 Fördjupning")));

    // A save over a newer version than the page showed is refused; nothing changes.
    let resp =
        post(vec![("atgard", "ny".into()), ("version", "0".into()), ("text", "Sent tillägg.".into())]).await;
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("har ändrats av någon annan"));
    assert_eq!(app.db.report_layouts(2025).await.unwrap()["metod"].version, 1);

    // Moved one step up: now before "2.1.1" (a generated part stays where it is).
    let resp = post(vec![("atgard", "upp".into()), ("post", "3".into()), ("version", "1".into())]).await;
    assert_eq!(resp.status(), 303);
    let metod = &app.db.report_layouts(2025).await.unwrap()["metod"];
    assert_eq!(metod.version, 2);
    assert!(matches!(&metod.items[2], LayoutItem::Text { .. }));
    assert!(matches!(&metod.items[3], LayoutItem::Part { key } if key == "lokala-systemledningar"));
    // A generated part cannot be edited or removed as text.
    let resp = post(vec![("atgard", "ta_bort".into()), ("post", "0".into()), ("version", "2".into())]).await;
    assert_eq!(resp.status(), 400);
    // Removing the text block leaves the generated text as it was.
    let resp = post(vec![("atgard", "ta_bort".into()), ("post", "2".into()), ("version", "2".into())]).await;
    assert_eq!(resp.status(), 303);
    assert!(!app.db.report_layouts(2025).await.unwrap().contains_key("metod"));
    let html = reader.get(app.url("/arsrapport/2025")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(">2.2 Nyckeltal och infografik</h3>"));
    let audit: Vec<(String,)> =
        sqlx::query_as("SELECT action FROM audit_log WHERE entity = 'arsrapport_text' ORDER BY id")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert_eq!(
        audit.iter().map(|a| a.0.as_str()).collect::<Vec<_>>(),
        ["spara_text", "spara_text", "ta_bort_text"]
    );
}

/// Submits a self-assessment for lsl-mora with a reflection on sub-goal 1.
async fn submit_reflection(app: &TestApp) {
    crate::common::open_round_with(&app.db, 2025, &[Part::Sjalvskattning]).await;
    let (respondent, csrf) = app.login("respondent").await;
    let resp = respondent
        .post(app.url("/rapportering/2025/svara/sjalvskattning/lsl-mora"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("atgard", "skicka"),
            ("respondent", "Eva Berg"),
            ("roll", "ordförande"),
            ("perspektiv", "bada"),
            ("delmal1", "3"),
            ("delmal2", "4"),
            ("delmal3", "3"),
            ("delmal4", "4"),
            ("delmal5", "2"),
            ("tillampat", "ja"),
            ("reflektion1", "Vi har börjat med gemensamma möten varannan vecka."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303, "{}", resp.text().await.unwrap_or_default());
    let _ = OPEN_UNTIL;
}

#[tokio::test]
async fn only_chosen_quotes_appear_shortened_and_attributed_as_chosen() {
    let app = spawn_app().await;
    submit_reflection(&app).await;
    let (admin, csrf) = app.login("admin").await;
    let reflection = "Vi har börjat med gemensamma möten varannan vecka.";
    let preview = admin.get(app.url("/arsrapport/2025")).send().await.unwrap().text().await.unwrap();
    assert!(!preview.contains("gemensamma möten"), "nothing is quoted by default");

    let page = admin.get(app.url("/arsrapport/2025/citat")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains(reflection));
    assert!(page.contains("Självskattningens reflektioner, delmål 1 – Nära för mig"));
    let group = "sjalvskattning/delmal-1";
    let answer = "lsl-mora/Eva Berg";
    // A "shortening" that changes words is refused; nothing is stored.
    let resp = admin
        .post(app.url("/arsrapport/2025/citat"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kalla", group),
            ("svar-0", answer),
            ("med", answer),
            ("ordning-0", "1"),
            ("text-0", "Vi har slutat med möten."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("förkortning"));
    assert!(app.db.report_quote_choices(2025).await.unwrap().is_empty());

    let resp = admin
        .post(app.url("/arsrapport/2025/citat"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kalla", group),
            ("svar-0", answer),
            ("med", answer),
            ("namn", answer),
            ("ordning-0", "1"),
            ("text-0", "Vi har börjat [...] varannan vecka."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let choices = app.db.report_quote_choices(2025).await.unwrap();
    assert_eq!(choices.len(), 1);
    assert_eq!(choices[0].text, "Vi har börjat […] varannan vecka.");
    for (format, text) in report_texts(&app, &admin, 2025).await {
        let lead = text.find("Ur systemledningarnas reflektioner om delmål 1 – Nära för mig:");
        let quote = text.find("”Vi har börjat […] varannan vecka.” (Mora)");
        assert!(
            lead.is_some() && quote.is_some() && lead < quote,
            "{format}: the chosen quote under its lead"
        );
        assert!(!text.contains(reflection), "{format}: only the shortened quote");
    }
    // Unattributed (the default) after saving again without "namn".
    admin
        .post(app.url("/arsrapport/2025/citat"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kalla", group),
            ("svar-0", answer),
            ("med", answer),
            ("ordning-0", "1"),
            ("text-0", reflection),
        ])
        .send()
        .await
        .unwrap();
    let html = text_of(&admin.get(app.url("/arsrapport/2025")).send().await.unwrap().text().await.unwrap());
    assert!(html.contains(&format!("”{reflection}”")));
    assert!(!html.contains(&format!("”{reflection}” (Mora)")));
    let audited: Vec<(String,)> =
        sqlx::query_as("SELECT entity_id FROM audit_log WHERE entity = 'arsrapport_citat'")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert_eq!(audited.len(), 2);
    assert_eq!(audited[0].0, "2025/sjalvskattning/delmal-1");
}

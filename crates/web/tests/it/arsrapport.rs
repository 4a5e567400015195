//! Årsrapport: list and preview pages, narrative editor, downloads, publishing and the frozen
//! input that regenerates the same files.

use crate::common::spawn_app;
use gnv_report::{Format, ReportInput};

#[tokio::test]
async fn reader_sees_years_and_a_draft_preview_with_missing_data_notes() {
    let app = spawn_app().await;
    let (reader, _) = app.login("lasare").await;
    let page = reader.get(app.url("/arsrapport")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Rapportår och status"));
    assert!(html.contains("Utkast"));

    let page = reader.get(app.url("/arsrapport/2025")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for heading in [
        "1 Bakgrund",
        "2 Metod",
        "3 Resultat",
        "4 Metodaspekter",
        "5 Avslutningsord",
        "Bilaga 1 – Ekonomisk redovisning",
    ] {
        assert!(html.contains(heading), "preview lacks {heading}");
    }
    // No module data in the test database: every result section says so, no numbers invented.
    assert!(html.contains("Uppgifter saknas för självskattningen 2025"));
    assert!(html.contains("Uppgifter saknas för den ekonomiska redovisningen 2025"));
    assert!(html.contains("Länets 13 lokala systemledningar, där länets samtliga 15 kommuner"));
    assert!(html.contains("Södra Dalarna (Avesta/Hedemora)"));
    // Readers get no editor or publish button.
    assert!(!html.contains("/arsrapport/2025/publicera"));
    assert_eq!(reader.get(app.url("/arsrapport/2025/text")).send().await.unwrap().status(), 403);
    assert_eq!(reader.get(app.url("/arsrapport/abc")).send().await.unwrap().status(), 404);
    assert_eq!(reader.get(app.url("/arsrapport/2025.exe")).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn narratives_are_saved_audited_and_shown_as_safe_text() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let editor = admin.get(app.url("/arsrapport/2025/text")).send().await.unwrap();
    assert_eq!(editor.status(), 200);
    let html = editor.text().await.unwrap();
    assert!(html.contains("Analys för 5 Avslutningsord"));
    assert!(html.contains("Genererad text"));

    let text = "Glädjande nog finns **lokala systemledningar** i hela länet.\n\n- Regional plan\n- <script>alert(1)</script>";
    let resp = admin
        .post(app.url("/arsrapport/2025/text/avslutningsord"))
        .form(&[("csrf", csrf.as_str()), ("text", text)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(app.db.report_narratives(2025).await.unwrap()["avslutningsord"], text);

    let page = admin.get(app.url("/arsrapport/2025")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Glädjande nog finns lokala systemledningar i hela länet."));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("<script>alert(1)"));

    // Too long: re-rendered with the message, nothing written.
    let long = "x".repeat(20_001);
    let resp = admin
        .post(app.url("/arsrapport/2025/text/metod"))
        .form(&[("csrf", csrf.as_str()), ("text", long.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("är för lång"));
    assert!(!app.db.report_narratives(2025).await.unwrap().contains_key("metod"));
    // Unknown section.
    let resp = admin
        .post(app.url("/arsrapport/2025/text/okant"))
        .form(&[("csrf", csrf.as_str()), ("text", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);

    assert!(app.db.audit_entities().await.unwrap().iter().any(|e| e == "arsrapport_text"));
}

#[tokio::test]
async fn drafts_download_in_all_formats() {
    let app = spawn_app().await;
    let (reader, _) = app.login("lasare").await;
    for (ext, magic, mime) in [
        ("pdf", &b"%PDF"[..], "application/pdf"),
        ("docx", &b"PK"[..], "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("html", &b"<!DOCTYPE html>"[..], "text/html; charset=utf-8"),
    ] {
        let resp = reader.get(app.url(&format!("/arsrapport/2025.{ext}"))).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{ext}");
        assert_eq!(resp.headers()["content-type"], mime);
        assert!(resp.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(&format!("arsrapport-2025.{ext}")));
        let bytes = resp.bytes().await.unwrap();
        assert!(bytes.starts_with(magic), "{ext} starts with its magic bytes");
    }
}

#[tokio::test]
async fn publishing_freezes_input_and_files_and_regenerates_identically() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    admin
        .post(app.url("/arsrapport/2024/text/avslutningsord"))
        .form(&[("csrf", csrf.as_str()), ("text", "Före publicering.")])
        .send()
        .await
        .unwrap();
    let resp = admin
        .post(app.url("/arsrapport/2024/publicera"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/arsrapport/2024?ok=rapport_publicerad");

    let publication = app.db.report_publication(2024).await.unwrap().expect("published");
    assert_eq!(
        publication.files.iter().map(|f| f.format.as_str()).collect::<Vec<_>>(),
        ["pdf", "docx", "html"]
    );
    let page = admin
        .get(app.url("/arsrapport/2024?ok=rapport_publicerad"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Årsrapporten är publicerad."));
    assert!(page.contains(&publication.files[0].sha256));
    assert!(!page.contains("Utkast – rapporten är inte publicerad"));

    // The downloads are the stored files, matching their checksums.
    for f in &publication.files {
        let bytes = admin
            .get(app.url(&format!("/arsrapport/2024.{}", f.format)))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(gnv_report::sha256_hex(&bytes), f.sha256, "{}", f.format);
    }

    // Later edits are refused and do not change the frozen report.
    let resp = admin
        .post(app.url("/arsrapport/2024/text/avslutningsord"))
        .form(&[("csrf", csrf.as_str()), ("text", "Efter publicering.")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("är publicerad och kan inte ändras"));
    let resp = admin
        .post(app.url("/arsrapport/2024/publicera"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 409);

    // Regenerating from the frozen input gives the same content.
    let json = app.db.report_frozen_input(2024).await.unwrap().expect("frozen input");
    let input = ReportInput::from_json(&json).unwrap();
    assert_eq!(input.narrative("avslutningsord").as_deref(), Some("Före publicering."));
    assert!(input.date.is_some());
    for format in [Format::Pdf, Format::Html] {
        let again = gnv_report::render(&input, format).unwrap();
        let (stored, sha) = app.db.report_file(2024, format.ext()).await.unwrap().unwrap();
        assert_eq!(gnv_report::sha256_hex(&again), sha, "{format:?} regenerated identically");
        assert_eq!(again, stored);
    }
    let again = gnv_report::render(&input, Format::Docx).unwrap();
    let (stored, _) = app.db.report_file(2024, "docx").await.unwrap().unwrap();
    assert_eq!(docx_document_xml(&again), docx_document_xml(&stored));
}

/// The text of a DOCX package's paragraphs (picture ids differ between renders; the text not).
fn docx_document_xml(bytes: &[u8]) -> Vec<String> {
    gnv_report::docx_text::paragraphs(&gnv_report::docx_text::document_xml(bytes).expect("document.xml"))
}

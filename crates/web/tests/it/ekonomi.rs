//! Integration tests of the kommunenkät and the financial report: import (CSV and XLSX) of the
//! seed's real 2024 table with its two warnings, all-or-nothing refusal of malformed files with
//! located errors, the municipal forms with draft/submit and access per municipality, the
//! compilation, exports and JSON.

use crate::common::{open_round_with, spawn_app};
use gnv_core::ekonomi::export_csv;
use gnv_core::organisation::dalarna;
use gnv_core::rapportering::Part as RoundPart;
use gnv_exempel::ekonomi::seed_2024;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

/// The seed's table as the documented CSV (with its printed "Summa" row).
fn seed_csv() -> String {
    let seed = seed_2024();
    export_csv(&dalarna(), &seed.rows, Some(&seed.printed_totals))
}

async fn upload(
    client: &reqwest::Client,
    app: &crate::common::TestApp,
    csrf: &str,
    year: &str,
    file_name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = Form::new()
        .text("ar", year.to_string())
        .part("fil", Part::bytes(bytes).file_name(file_name.to_string()));
    client.post(app.url(&format!("/ekonomi/import?csrf={csrf}"))).multipart(form).send().await.unwrap()
}

const FIVE: [&str; 5] = ["Avesta", "Borlänge", "Mora", "Säter", "Älvdalen"];

async fn assert_seed_summary(app: &crate::common::TestApp, client: &reqwest::Client) {
    let json: Value = client
        .get(app.url("/api/v1/rounds/2024/ekonomi/summary"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let s = &json["summaries"][0];
    assert_eq!(s["reported"], "15 av 15");
    assert_eq!(s["totals"]["allocated"], 23_849_655);
    assert_eq!(s["totals"]["repaid_surplus"], 499_999);
    assert_eq!(s["totals"]["reported_spent"], 24_153_231);
    assert_eq!(s["printed_totals"]["repaid_surplus"], 500_000);
    let avesta = s["table"]["rows"].as_array().unwrap().iter().find(|r| r["code"] == "2084").unwrap();
    assert_eq!(avesta["formatted"], serde_json::json!(["1 894 630", "39 273", "1 894 630"]));
    let falun = s["table"]["rows"].as_array().unwrap().iter().find(|r| r["code"] == "2080").unwrap();
    assert_eq!(falun["formatted"], serde_json::json!(["4 970 761", "104 547", "5 075 308"]));
    // Exactly the two kinds of warning.
    let warnings = s["warnings"].as_array().unwrap();
    let kinds: Vec<&str> = warnings.iter().map(|w| w["kind"]["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["printed_total_mismatch", "spent_equals_allocated"], "{warnings:#?}");
    assert_eq!(warnings[0]["kind"]["column"], "repaid_surplus");
    assert_eq!(warnings[0]["kind"]["difference"], 1);
    let named: Vec<&str> = warnings[1]["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(named, FIVE);
    // The page shows the figures and the warnings beside the table.
    let page = client.get(app.url("/ekonomi/2024")).send().await.unwrap().text().await.unwrap();
    for needle in ["1 894 630", "23 849 655", "499 999", "500 000", "24 153 231", "Varningar (2)"] {
        assert!(page.contains(needle), "page lacks {needle}");
    }
    assert!(page.contains("Avesta, Borlänge, Mora, Säter och Älvdalen"));
    assert!(page.contains("summan är angiven till 500 000 kr, men raderna summerar till 499 999 kr"));
}

#[tokio::test]
async fn importing_the_seed_table_reproduces_its_figures_and_exactly_two_warnings() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let resp = upload(&admin, &app, &csrf, "2024", "bilaga1-2024.csv", seed_csv().into_bytes()).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/ekonomi/2024?ok=importerat");
    assert_seed_summary(&app, &admin).await;
    // A reader sees the same page.
    let (reader, _) = app.login("lasare").await;
    assert_seed_summary(&app, &reader).await;
    // The import is in the audit log.
    let audit = app.db.audit_list(&Default::default()).await.unwrap();
    assert!(audit.iter().any(|a| a.entity == "ekonomisk_redovisning" && a.action == "importera"));
}

#[tokio::test]
async fn importing_the_seed_table_as_xlsx_gives_the_same_result() {
    use gnv_render::export::{xlsx, Cell, Sheet};
    let seed = seed_2024();
    let registry = dalarna();
    let mut rows: Vec<Vec<Cell>> = seed
        .rows
        .iter()
        .map(|r| {
            let name =
                registry.municipalities.iter().find(|m| m.code == r.municipality_code).unwrap().name.clone();
            vec![
                Cell::text(r.municipality_code.clone()),
                Cell::text(name),
                Cell::Integer(2024),
                Cell::text("9292"),
                Cell::Integer(r.allocated.kronor()),
                // Text cells in Swedish format are accepted as well as numbers.
                Cell::text(format!("{} kr", r.repaid_surplus)),
                Cell::Integer(r.reported_spent.kronor()),
            ]
        })
        .collect();
    rows.push(vec![
        Cell::Empty,
        Cell::text("Summa"),
        Cell::Empty,
        Cell::Empty,
        Cell::Integer(23_849_655),
        Cell::Integer(500_000),
        Cell::Integer(24_153_231),
    ]);
    let header: Vec<String> = gnv_core::ekonomi::CSV_HEADER.split(';').map(str::to_string).collect();
    let mut sheet = Sheet::new("Bilaga 1", header, rows);
    sheet.notes = vec!["Bilaga 1 – Ekonomisk redovisning 2024".to_string()];
    let bytes = xlsx(&[sheet]).unwrap();

    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let resp = upload(&admin, &app, &csrf, "2024", "bilaga1-2024.xlsx", bytes).await;
    assert_eq!(resp.status(), 303, "{}", resp.text().await.unwrap());
    assert_seed_summary(&app, &admin).await;
}

#[tokio::test]
async fn a_malformed_import_names_file_row_and_column_and_writes_nothing() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let bad = "kommunkod;kommun;år;fokusområde;tilldelat;återbetalt överskott;redovisat förbrukat\n\
               2084;Avesta;2024;9292;1 894 630;39 273;1 894 630\n\
               2081;Borlänge;2024;9292;fyra miljoner;89 759;4 298 425\n\
               ;Falun;2024;9292;4 970 761;104 547;5 075 308\n\
               9999;Atlantis;2024;9292;100;0;100\n";
    let resp = upload(&admin, &app, &csrf, "2024", "trasig.csv", bad.as_bytes().to_vec()).await;
    assert_eq!(resp.status(), 400);
    let page = resp.text().await.unwrap();
    assert!(page.contains("Inget har importerats"), "{page}");
    assert!(page.contains("fil trasig.csv, rad 3, fält tilldelat"), "text in an amount column: {page}");
    assert!(
        page.contains("fil trasig.csv, rad 4, fält kommunkod: Kommunkod saknas (Falun har kommunkod 2080)")
    );
    assert!(page.contains("fil trasig.csv, rad 5, fält kommunkod: Kommunkoden &quot;9999&quot; finns inte"));
    // Nothing written: no rows, no statuses, no audit entry.
    assert!(app.db.economy_rows(2024).await.unwrap().is_empty());
    assert!(app.db.economy_years().await.unwrap().is_empty());
    assert_eq!(
        app.db.economy_status(2024, "2084").await.unwrap(),
        gnv_core::rapportering::Status::EjPaborjad
    );

    // With data in place, a malformed file leaves it untouched; negative and fractional amounts
    // are refused with their row and column.
    let ok = upload(&admin, &app, &csrf, "2024", "bilaga1.csv", seed_csv().into_bytes()).await;
    assert_eq!(ok.status(), 303);
    let bad = "kommunkod;år;tilldelat;återbetalt överskott;redovisat förbrukat\n\
               2084;2024;-5;0;0\n\
               2081;2024;100,50;0;0\n";
    let resp = upload(&admin, &app, &csrf, "2024", "minus.csv", bad.as_bytes().to_vec()).await;
    assert_eq!(resp.status(), 400);
    let page = resp.text().await.unwrap();
    assert!(page.contains("fil minus.csv, rad 2, fält tilldelat: &quot;-5&quot; är negativt"), "{page}");
    assert!(page.contains("fil minus.csv, rad 3, fält tilldelat: &quot;100,50&quot; har ören"), "{page}");
    assert_seed_summary(&app, &admin).await;

    // Rows of another year than the import's are refused.
    let resp = upload(&admin, &app, &csrf, "2025", "bilaga1.csv", seed_csv().into_bytes()).await;
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("gäller 2024, men importen gäller 2025"));
    assert!(app.db.economy_rows(2025).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_municipality_reports_its_funds_and_only_its_own() {
    let app = spawn_app().await;
    open_round_with(&app.db, 2025, &[RoundPart::Kommunenkat, RoundPart::Ekonomi]).await;
    let (resp_client, csrf) = app.login("respondent").await; // bound to Mora (2062)
    let page = resp_client.get(app.url("/ekonomi/2025/kommun/2062")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    // Another municipality's form is refused.
    assert_eq!(resp_client.get(app.url("/ekonomi/2025/kommun/2084")).send().await.unwrap().status(), 403);
    let r = resp_client
        .post(app.url("/ekonomi/2025/kommun/2084"))
        .form(&[("csrf", csrf.as_str()), ("atgard", "skicka"), ("tilldelat_9292", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // Negative and fractional amounts are refused; nothing is written.
    let r = resp_client
        .post(app.url("/ekonomi/2025/kommun/2062"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("atgard", "skicka"),
            ("tilldelat_9292", "-1 704 429"),
            ("overskott_9292", "35 829,5"),
            ("forbrukat_9292", "1 704 429"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body = r.text().await.unwrap();
    assert!(body.contains("är negativt") && body.contains("har ören"), "{body}");
    assert_eq!(
        app.db.economy_status(2025, "2062").await.unwrap(),
        gnv_core::rapportering::Status::EjPaborjad
    );

    // Draft: not in the table yet.
    let fields = [
        ("csrf", csrf.as_str()),
        ("tilldelat_9292", "1 704 429 kr"),
        ("overskott_9292", "35 829"),
        ("forbrukat_9292", "1740258"),
    ];
    let mut draft = fields.to_vec();
    draft.push(("atgard", "utkast"));
    let r = resp_client.post(app.url("/ekonomi/2025/kommun/2062")).form(&draft).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(app.db.economy_rows(2025).await.unwrap().is_empty());
    let form =
        resp_client.get(app.url("/ekonomi/2025/kommun/2062")).send().await.unwrap().text().await.unwrap();
    assert!(form.contains("value=\"1 704 429\"") && form.contains(">utkast<"));

    // Submitted: in the table; Mora reported everything, only the missing reports warn.
    let mut submit = fields.to_vec();
    submit.push(("atgard", "skicka"));
    let r = resp_client.post(app.url("/ekonomi/2025/kommun/2062")).form(&submit).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let json: Value = resp_client
        .get(app.url("/api/v1/rounds/2025/ekonomi/summary"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let s = &json["summaries"][0];
    assert_eq!(s["reported"], "1 av 15");
    assert_eq!(s["totals"]["reported_spent"], 1_740_258);
    let kinds: Vec<&str> =
        s["warnings"].as_array().unwrap().iter().map(|w| w["kind"]["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["missing_report"]);
    // A submitted report is locked for the respondent.
    let r = resp_client.post(app.url("/ekonomi/2025/kommun/2062")).form(&submit).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("redan inskickad"));

    // Multi-year view.
    let h = resp_client.get(app.url("/ekonomi/historik/2062")).send().await.unwrap().text().await.unwrap();
    assert!(h.contains("1 740 258"));
}

#[tokio::test]
async fn kommunenkat_draft_submit_and_compilation() {
    let app = spawn_app().await;
    open_round_with(&app.db, 2025, &[RoundPart::Kommunenkat, RoundPart::Ekonomi]).await;
    let (c, csrf) = app.login("respondent").await; // Mora (2062)
    assert_eq!(c.get(app.url("/kommunenkat/2025/kommun/2062")).send().await.unwrap().status(), 200);
    assert_eq!(c.get(app.url("/kommunenkat/2025/kommun/2084")).send().await.unwrap().status(), 403);
    let (reader, _) = app.login("lasare").await;
    assert_eq!(reader.get(app.url("/kommunenkat/2025/kommun/2062")).send().await.unwrap().status(), 403);

    let viktigaste = gnv_core::kommunenkat::Heading::ViktigasteInsatser.field_name();
    let mobila = gnv_core::kommunenkat::Heading::MobilaTeam.field_name();
    // "Annat" ticked without text: refused, nothing written, the form keeps the input.
    let r = c
        .post(app.url("/kommunenkat/2025/kommun/2062"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("atgard", "skicka"),
            ("omrade", "mobila-team"),
            ("omrade", "annat"),
            (viktigaste.as_str(), "Trygg hemgång"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body = r.text().await.unwrap();
    assert!(body.contains("Annat, nämligen …: Du har kryssat i"), "{body}");
    assert!(body.contains("Trygg hemgång"));
    assert!(app.db.survey_answer(2025, "2062").await.unwrap().is_none());

    let answer = [
        ("csrf", csrf.as_str()),
        ("omrade", "mobila-team"),
        ("omrade", "sip"),
        ("omrade", "annat"),
        ("annat", "Välfärdsbibliotek"),
        (viktigaste.as_str(), "Mobila team med hembesök av läkare och sjuksköterska."),
        (mobila.as_str(), "Läkare från primärvården deltar i hemsjukvården."),
        // A forged municipality field is ignored: the address decides.
        ("kommun", "2084"),
    ];
    let mut draft = answer.to_vec();
    draft.push(("atgard", "utkast"));
    let r = c.post(app.url("/kommunenkat/2025/kommun/2062")).form(&draft).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(app.db.survey_answer(2025, "2084").await.unwrap().is_none());
    let json: Value =
        c.get(app.url("/api/v1/rounds/2025/kommunenkat/summary")).send().await.unwrap().json().await.unwrap();
    assert_eq!(json["answered_text"], "0 av 15", "drafts are not compiled");
    assert_eq!(
        json["statuses"].as_array().unwrap().iter().find(|s| s["code"] == "2062").unwrap()["status"],
        "utkast"
    );

    let mut submit = answer.to_vec();
    submit.push(("atgard", "skicka"));
    let r = c.post(app.url("/kommunenkat/2025/kommun/2062")).form(&submit).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/kommunenkat/2025?ok=skickat");
    let json: Value =
        c.get(app.url("/api/v1/rounds/2025/kommunenkat/summary")).send().await.unwrap().json().await.unwrap();
    assert_eq!(json["answered_text"], "1 av 15");
    let areas = json["areas"].as_array().unwrap();
    assert_eq!(areas[0]["count"], 1);
    let top: Vec<&str> =
        areas.iter().filter(|a| a["count"] == 1).map(|a| a["code"].as_str().unwrap()).collect();
    assert_eq!(top, vec!["mobila-team", "sip", "annat"]);
    assert_eq!(json["other_texts"][0]["text"], "Välfärdsbibliotek");
    let section =
        json["sections"].as_array().unwrap().iter().find(|s| s["heading"] == "mobila-team").unwrap();
    assert_eq!(section["entries"][0]["municipality"]["name"], "Mora");

    // The compilation page hides the municipality by default and shows it on request.
    let page = reader.get(app.url("/kommunenkat/2025")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("1 av 15"));
    assert!(page.contains("<li>Läkare från primärvården deltar i hemsjukvården.</li>"), "{page}");
    assert!(page.contains("<svg"), "figure 3 is drawn");
    // The figure carries the number it has in the year's report (one place for the numbering).
    let report = reader.get(app.url("/arsrapport/2025")).send().await.unwrap().text().await.unwrap();
    let n = report
        .split("<figcaption>Figur ")
        .skip(1)
        .find(|c| c.contains(gnv_report::SURVEY_AREAS_CAPTION))
        .and_then(|c| c.split('.').next())
        .expect("the figure in the report")
        .to_string();
    assert!(page.contains(&format!("<figcaption>Figur {n} i årsrapporten.")), "the same number on the page");
    assert!(page.contains(&format!("Figur {n} som tabell")));
    let shown =
        reader.get(app.url("/kommunenkat/2025?visa_kommun=ja")).send().await.unwrap().text().await.unwrap();
    assert!(shown.contains("<li>Läkare från primärvården deltar i hemsjukvården. (Mora)</li>"));

    // Locked after submitting; an admin can re-open, which removes it from the compilation.
    let r = c.post(app.url("/kommunenkat/2025/kommun/2062")).form(&submit).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let (admin, admin_csrf) = app.login("admin").await;
    // A reason is required (and audited).
    let r = admin
        .post(app.url("/kommunenkat/2025/kommun/2062/ateroppna"))
        .form(&[("csrf", admin_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = admin
        .post(app.url("/kommunenkat/2025/kommun/2062/ateroppna"))
        .form(&[("csrf", admin_csrf.as_str()), ("skal", "Kommunen vill komplettera.")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(app.db.kommunenkat_compilation(2025).await.unwrap().answered, 0);
    assert_eq!(
        app.db.kommunenkat_status(2025, "2062").await.unwrap(),
        gnv_core::rapportering::Status::Ateroppnad
    );
    // The municipality can change and submit it again.
    let r = c.post(app.url("/kommunenkat/2025/kommun/2062")).form(&submit).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(app.db.kommunenkat_compilation(2025).await.unwrap().answered, 1);
    let audit = app.db.audit_list(&Default::default()).await.unwrap();
    let actions: Vec<&str> =
        audit.iter().filter(|a| a.entity == "kommunenkat").map(|a| a.action.as_str()).collect();
    assert_eq!(actions, vec!["skicka_in", "skicka_in", "spara_utkast"], "newest first");
    let statuses: Vec<&str> = audit
        .iter()
        .filter(|a| a.entity == "rapporteringsdel" && a.entity_id == "2025/kommunenkat/2062")
        .map(|a| a.after_json.as_deref().unwrap_or(""))
        .collect();
    assert!(
        statuses.iter().any(|s| s.contains("ateroppnad") && s.contains("Kommunen vill komplettera.")),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn kommunenkat_export_has_one_row_per_municipality_and_a_sheet_per_heading() {
    use calamine::{Reader, Xlsx};
    let app = spawn_app().await;
    open_round_with(&app.db, 2024, &[RoundPart::Kommunenkat, RoundPart::Ekonomi]).await;
    let (c, csrf) = app.login("respondent").await;
    let viktigaste = gnv_core::kommunenkat::Heading::ViktigasteInsatser.field_name();
    let r = c
        .post(app.url("/kommunenkat/2024/kommun/2062"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("atgard", "skicka"),
            ("omrade", "sip"),
            (viktigaste.as_str(), "Fast daglig avstämning."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let resp = c.get(app.url("/kommunenkat/2024/export.xlsx")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let bytes = resp.bytes().await.unwrap().to_vec();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names.len(), 2 + gnv_core::kommunenkat::Heading::ALL.len());
    assert_eq!(names[0], "Översikt");
    assert!(names.iter().any(|n| n == "Viktigaste insatser"));
    let overview = wb.worksheet_range("Översikt").unwrap();
    let rows: Vec<Vec<String>> = overview.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let header = rows.iter().position(|r| r.first().map(String::as_str) == Some("Kommunkod")).unwrap();
    assert_eq!(rows.len() - header - 1, 15, "one row per municipality");
    let mora = rows.iter().find(|r| r[0] == "2062").unwrap();
    assert!(mora.contains(&"Fast daglig avstämning.".to_string()));

    // Economy exports answer too.
    let csv = c.get(app.url("/ekonomi/2024/export.csv")).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.text().await.unwrap().starts_with('\u{feff}'));
    let x = c.get(app.url("/ekonomi/2024/export.xlsx")).send().await.unwrap();
    assert_eq!(x.status(), 200);
}

#[tokio::test]
async fn exported_csv_imports_again_identically() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    assert_eq!(upload(&admin, &app, &csrf, "2024", "a.csv", seed_csv().into_bytes()).await.status(), 303);
    let exported =
        admin.get(app.url("/ekonomi/2024/export.csv")).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(upload(&admin, &app, &csrf, "2024", "b.csv", exported.to_vec()).await.status(), 303);
    assert_seed_summary(&app, &admin).await;
    // Windows-1252 CSV (older Swedish Excel) is decoded.
    let latin: Vec<u8> =
        "kommunkod;år;tilldelat;återbetalt överskott;redovisat förbrukat\n2039;2024;574 666;11 990;586 656\n"
            .chars()
            .map(|c| c as u32 as u8)
            .collect();
    assert_eq!(upload(&admin, &app, &csrf, "2024", "latin.csv", latin).await.status(), 303);
}

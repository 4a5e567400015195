//! The reporting round as a process: a round closes at its deadline or by an admin, refuses late
//! writes in every part and writes nothing, lets exactly a reopened organisation submit again,
//! shows changes after closing; and one stored answer never breaks a page, summary or report.

use crate::common::{open_round_with, spawn_app, TestApp};
use gnv_core::rapportering::{Part, Status};
use gnv_storage::Actor;

/// A complete self-assessment form (account answering page).
const SELF_ASSESSMENT: [(&str, &str); 9] = [
    ("respondent", "Karin Lind"),
    ("roll", "ordförande"),
    ("perspektiv", "bada"),
    ("delmal1", "3"),
    ("delmal2", "3"),
    ("delmal3", "2"),
    ("delmal4", "4"),
    ("delmal5", "3"),
    ("tillampat", "ja"),
];

/// A complete mapping answer of LSL Mora (member municipality 2062), `members` as written.
fn mapping(members: &str) -> Vec<(&'static str, String)> {
    vec![
        ("sammankallande_struktur", "ja".into()),
        ("sammankallande", "Områdessamordnaren".into()),
        ("ordforande_finns", "ja".into()),
        ("ordforande", "Socialchefen i Mora".into()),
        ("medlemmar", members.into()),
        ("motesfrekvens", "1-per-manad".into()),
        ("uppdrag", "Leda omställningen lokalt.".into()),
        ("polsam", "ja".into()),
        ("politisk_representation", "nej".into()),
        ("polsam_systematisk", "nej".into()),
        ("samverkan", "Täta kontakter med vårdcentralen.".into()),
        ("brukarinflytande", "nej".into()),
        ("brukarrepresentant", "nej".into()),
        ("lokal_plan", "ja".into()),
        ("lokala_overenskommelser", "".into()),
        ("kommunikationsplan_2062", "ja".into()),
        ("fungerar_bra", "Korta beslutsvägar.".into()),
        ("utmaningar", "Bemanning.".into()),
        ("stodbehov", "".into()),
    ]
}

async fn post(
    app: &TestApp,
    c: &reqwest::Client,
    csrf: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let mut form: Vec<(&str, &str)> = vec![("csrf", csrf)];
    form.extend_from_slice(fields);
    let r = c.post(app.url(path)).form(&form).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.text().await.unwrap())
}

/// Audit entries of an entity id, newest first: (action, entity).
async fn audit_actions(app: &TestApp, entity_id: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT action, entity FROM audit_log WHERE entity_id = $1 ORDER BY id DESC")
        .bind(entity_id)
        .fetch_all(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_closed_round_refuses_late_writes_in_every_part_and_writes_nothing() {
    let app = spawn_app().await;
    open_round_with(&app.db, 2025, &Part::ALL).await;
    let (c, csrf) = app.login("respondent").await;
    // A draft while the round is open.
    let (status, _) = post(
        &app,
        &c,
        &csrf,
        "/rapportering/2025/svara/sjalvskattning/lsl-mora",
        &[("atgard", "utkast"), ("respondent", "Karin Lind")],
    )
    .await;
    assert_eq!(status, 303);

    // The admin closes the round; the confirmation lists who has not submitted.
    let (admin, admin_csrf) = app.login("admin").await;
    let page = admin.get(app.url("/rapportering/2025")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Stäng omgången nu"), "close action offered");
    assert!(page.contains("Har inte skickat in:"), "{page}");
    let missing = page.split("Kommunenkät till Socialstyrelsen: ").nth(1).unwrap_or_default();
    assert!(missing.contains("Avesta") && missing.contains("Mora"), "non-submitters listed: {page}");
    let (status, _) = post(&app, &admin, &admin_csrf, "/rapportering/2025/stang", &[]).await;
    assert_eq!(status, 303);
    let page = admin.get(app.url("/rapportering/2025")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("stängd sedan"), "state shown");
    assert_eq!(audit_actions(&app, "2025").await.first().map(|a| a.0.as_str()), Some("stang"));
    // Closing twice is refused with a message.
    let (status, body) = post(&app, &admin, &admin_csrf, "/rapportering/2025/stang", &[]).await;
    assert_eq!(status, 400);
    assert!(body.contains("är redan stängd"), "{body}");

    let before_audit: (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log").fetch_one(app.db.pool()).await.unwrap();
    // Self-assessment: save and submit refused, the stored draft unchanged.
    let mut fields: Vec<(&str, &str)> = SELF_ASSESSMENT.to_vec();
    fields.push(("atgard", "skicka"));
    let (status, body) =
        post(&app, &c, &csrf, "/rapportering/2025/svara/sjalvskattning/lsl-mora", &fields).await;
    assert_eq!(status, 409);
    assert!(body.contains("Rapporteringsomgången 2025 är stängd"), "{body}");
    // Kommunenkät and ekonomi: refused too.
    let viktigaste = gnv_core::kommunenkat::Heading::ViktigasteInsatser.field_name();
    let (status, body) = post(
        &app,
        &c,
        &csrf,
        "/kommunenkat/2025/kommun/2062",
        &[("atgard", "skicka"), ("omrade", "sip"), (viktigaste.as_str(), "Trygg hemgång")],
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("är stängd"), "{body}");
    let (status, body) = post(
        &app,
        &c,
        &csrf,
        "/ekonomi/2025/kommun/2062",
        &[
            ("atgard", "skicka"),
            ("tilldelat_9292", "1 000"),
            ("overskott_9292", "0"),
            ("forbrukat_9292", "1 000"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("är stängd"), "{body}");
    let after_audit: (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(before_audit, after_audit, "nothing written, not even an audit entry");
    assert!(app.db.survey_answer(2025, "2062").await.unwrap().is_none());
    assert!(app.db.economy_rows_of(2025, "2062").await.unwrap().is_empty());
    let stored = app.db.responses(2025, Part::Sjalvskattning).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].status, Status::Utkast, "the draft stays a draft");

    // The forms are read-only with the reason; the task list offers nothing to answer.
    for path in [
        "/rapportering/2025/svara/sjalvskattning/lsl-mora",
        "/kommunenkat/2025/kommun/2062",
        "/ekonomi/2025/kommun/2062",
    ] {
        let page = c.get(app.url(path)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("id=\"stangd\""), "{path}: closed notice");
        assert!(!page.contains("value=\"skicka\""), "{path}: no submit button");
    }
    let tasks = c.get(app.url("/rapportering")).send().await.unwrap().text().await.unwrap();
    assert!(!tasks.contains("href=\"/rapportering/2025/svara"), "no task offered in a closed round");
    assert!(tasks.contains("Du har inget att besvara just nu"), "{tasks}");
}

#[tokio::test]
async fn a_round_past_its_deadline_refuses_answers_and_the_server_closes_it_with_a_snapshot() {
    let app = spawn_app().await;
    open_round_with(&app.db, 2025, &[Part::Sjalvskattning]).await;
    let (c, csrf) = app.login("respondent").await;
    let mut fields: Vec<(&str, &str)> = SELF_ASSESSMENT.to_vec();
    fields.push(("atgard", "skicka"));
    let (status, _) =
        post(&app, &c, &csrf, "/rapportering/2025/svara/sjalvskattning/lsl-mora", &fields).await;
    assert_eq!(status, 303);
    // The deadline was yesterday (as if the year had moved on): answers are refused at once,
    // before any job has run.
    let yesterday = gnv_storage::omgang::today() - chrono::Duration::days(1);
    sqlx::query("UPDATE report_round SET deadline = $1 WHERE year = 2025")
        .bind(yesterday.to_string())
        .execute(app.db.pool())
        .await
        .unwrap();
    let (admin, _) = app.login("admin").await;
    let mut late: Vec<(&str, &str)> = SELF_ASSESSMENT.to_vec();
    late[0] = ("respondent", "Per Sen");
    late.push(("atgard", "skicka"));
    let (other, other_csrf) = app.login("admin").await;
    let (status, body) =
        post(&app, &other, &other_csrf, "/rapportering/2025/svara/sjalvskattning/lsl-falun", &late).await;
    assert_eq!(status, 409, "late: {body}");
    // The server's job closes it and freezes the snapshot (called here as the job does).
    let closed = app.db.close_due_rounds(gnv_storage::omgang::today(), &Actor::server()).await.unwrap();
    assert_eq!(closed, vec![2025]);
    assert!(app
        .db
        .close_due_rounds(gnv_storage::omgang::today(), &Actor::server())
        .await
        .unwrap()
        .is_empty());
    let round = app.db.round(2025).await.unwrap().unwrap();
    assert!(round.closed_at.is_some() && !round.is_open());
    let snapshot: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT org_code, status, fingerprint FROM round_close_snapshot WHERE year = 2025 AND part = 'sjalvskattning' ORDER BY org_code",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(snapshot.len(), 13, "every LSL in the snapshot");
    let mora = snapshot.iter().find(|s| s.0 == "lsl-mora").unwrap();
    assert_eq!((mora.1.as_str(), mora.2.len()), ("inskickad", 64));
    assert!(snapshot.iter().filter(|s| s.0 != "lsl-mora").all(|s| s.2.is_empty()));
    let page = admin.get(app.url("/rapportering/2025")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("stängd sedan"), "state on the status page");
    assert!(!page.contains("Ändrat efter stängning:"), "nothing changed yet");
}

#[tokio::test]
async fn an_admin_reopen_lets_exactly_one_organisation_submit_again_and_the_change_shows() {
    let app = spawn_app().await;
    open_round_with(&app.db, 2025, &[Part::Sjalvskattning, Part::Kommunenkat]).await;
    let (c, csrf) = app.login("respondent").await;
    let mut fields: Vec<(&str, &str)> = SELF_ASSESSMENT.to_vec();
    fields.push(("atgard", "skicka"));
    let (status, _) =
        post(&app, &c, &csrf, "/rapportering/2025/svara/sjalvskattning/lsl-mora", &fields).await;
    assert_eq!(status, 303);
    let (admin, admin_csrf) = app.login("admin").await;
    assert_eq!(post(&app, &admin, &admin_csrf, "/rapportering/2025/stang", &[]).await.0, 303);

    // Reopen Mora's self-assessment and let Mora kommun answer the survey late, with reasons.
    let (status, _) = post(
        &app,
        &admin,
        &admin_csrf,
        "/rapportering/2025/ateroppna/sjalvskattning/lsl-mora",
        &[("skal", "Fel skattning av delmål 3 enligt ordföranden.")],
    )
    .await;
    assert_eq!(status, 303);
    let (status, _) = post(
        &app,
        &admin,
        &admin_csrf,
        "/rapportering/2025/ateroppna/kommunenkat/2062",
        &[("skal", "Sent svar efter överenskommelse.")],
    )
    .await;
    assert_eq!(status, 303);
    let reasons: Vec<(String,)> = sqlx::query_as(
        "SELECT after_json FROM audit_log WHERE entity = 'rapporteringsdel' AND action = 'andra_status' ORDER BY id",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert!(reasons.iter().any(|r| r.0.contains("Fel skattning av delmål 3")), "reason audited");

    // Mora may submit again; Falun (not reopened) may not.
    let mut again: Vec<(&str, &str)> = SELF_ASSESSMENT.to_vec();
    again[5] = ("delmal3", "3");
    again.push(("atgard", "skicka"));
    let (status, body) =
        post(&app, &c, &csrf, "/rapportering/2025/svara/sjalvskattning/lsl-mora", &again).await;
    assert_eq!(status, 303, "{body}");
    let (status, _) =
        post(&app, &admin, &admin_csrf, "/rapportering/2025/svara/sjalvskattning/lsl-falun", &again).await;
    assert_eq!(status, 409, "Falun was not reopened");
    // Mora kommun answers the survey late.
    let viktigaste = gnv_core::kommunenkat::Heading::ViktigasteInsatser.field_name();
    let (status, body) = post(
        &app,
        &c,
        &csrf,
        "/kommunenkat/2025/kommun/2062",
        &[("atgard", "skicka"), ("omrade", "sip"), (viktigaste.as_str(), "Trygg hemgång")],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(app.db.kommunenkat_status(2025, "2062").await.unwrap(), Status::Inskickad);
    // Once submitted, the part is locked again.
    let (status, _) = post(&app, &c, &csrf, "/rapportering/2025/svara/sjalvskattning/lsl-mora", &again).await;
    assert_eq!(status, 409);

    // Both changes after closing are visible on the status page, and audited.
    let page = admin.get(app.url("/rapportering/2025")).send().await.unwrap().text().await.unwrap();
    assert_eq!(page.matches("Ändrat efter stängning: svaret har ändrats").count(), 2, "{page}");
    // … and on the compilation pages, for every reader.
    let (reader, _) = app.login("lasare").await;
    let page =
        reader.get(app.url("/rapportering/2025/sjalvskattning")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Ändrat efter stängning: Mora – svaret har ändrats"), "{page}");
    let page = reader.get(app.url("/kommunenkat/2025")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Ändrat efter stängning: Mora – svaret har ändrats"), "{page}");
    let changes = app.db.changed_after_close(2025).await.unwrap();
    let mut orgs: Vec<(Part, &str)> = changes.iter().map(|c| (c.part, c.org_code.as_str())).collect();
    orgs.sort();
    assert_eq!(orgs, vec![(Part::Sjalvskattning, "lsl-mora"), (Part::Kommunenkat, "2062")]);
}

#[tokio::test]
async fn kartlaggning_member_line_without_side_is_refused_and_reports_keep_working() {
    // The regression of issue 12: `medlemmar=Socialchef i Avesta` was accepted at submission and
    // then broke the mapping page, the API summary, the report and publishing.
    let app = spawn_app().await;
    open_round_with(&app.db, 2025, &[Part::Kartlaggning]).await;
    let (c, csrf) = app.login("respondent").await;
    let bad = mapping("Socialchef i Mora");
    let mut fields: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    fields.push(("atgard", "skicka"));
    let (status, body) =
        post(&app, &c, &csrf, "/rapportering/2025/svara/kartlaggning/lsl-mora", &fields).await;
    assert_eq!(status, 400);
    assert!(body.contains("ska skrivas som"), "{body}");
    assert!(app.db.responses(2025, Part::Kartlaggning).await.unwrap().is_empty(), "nothing stored");
    // The same answer written correctly is accepted.
    let good = mapping("kommun: Socialchef\nregion: Verksamhetschef vårdcentral");
    let mut fields: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    fields.push(("atgard", "skicka"));
    let (status, body) =
        post(&app, &c, &csrf, "/rapportering/2025/svara/kartlaggning/lsl-mora", &fields).await;
    assert_eq!(status, 303, "{body}");
    assert_reports_work(&app, "2025", None).await;
}

#[tokio::test]
async fn a_damaged_stored_answer_is_a_warning_on_the_page_and_in_the_report_not_an_error() {
    let app = spawn_app().await;
    open_round_with(&app.db, 2025, &[Part::Kartlaggning, Part::Sjalvskattning, Part::Kommunenkat]).await;
    let (c, csrf) = app.login("respondent").await;
    let good = mapping("kommun: Socialchef");
    let mut fields: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    fields.push(("atgard", "skicka"));
    assert_eq!(post(&app, &c, &csrf, "/rapportering/2025/svara/kartlaggning/lsl-mora", &fields).await.0, 303);
    let mut sa: Vec<(&str, &str)> = SELF_ASSESSMENT.to_vec();
    sa.push(("atgard", "skicka"));
    assert_eq!(post(&app, &c, &csrf, "/rapportering/2025/svara/sjalvskattning/lsl-mora", &sa).await.0, 303);
    let viktigaste = gnv_core::kommunenkat::Heading::ViktigasteInsatser.field_name();
    let survey = [("atgard", "skicka"), ("omrade", "sip"), (viktigaste.as_str(), "Trygg hemgång")];
    assert_eq!(post(&app, &c, &csrf, "/kommunenkat/2025/kommun/2062", &survey).await.0, 303);
    // Damage: a mapping answer stored by an older form version (a member line without side),
    // a self-assessment row whose JSON is cut off, a survey answer that is not JSON.
    sqlx::query(
        "INSERT INTO round_response (year, part, org_code, respondent_key, answers_json, status, updated_at, updated_by, submitted_at)
         VALUES (2025, 'kartlaggning', 'lsl-falun', 'gemensamt', $1, 'inskickad', '2026-01-10T10:00:00Z', 'äldre version', '2026-01-10T10:00:00Z')",
    )
    .bind(r#"{"medlemmar":{"typ":"text","varde":"Socialchef i Falun"}}"#)
    .execute(app.db.pool())
    .await
    .unwrap();
    sqlx::query(
        "UPDATE round_response SET answers_json = '{\"respondent\": {\"typ' WHERE part = 'sjalvskattning'",
    )
    .execute(app.db.pool())
    .await
    .unwrap();
    sqlx::query("UPDATE survey_answer SET answer_json = 'inte json' WHERE municipality_code = '2062'")
        .execute(app.db.pool())
        .await
        .unwrap();
    let (reader, _) = app.login("lasare").await;
    let page = reader.get(app.url("/rapportering/2025/kartlaggning")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("Svaret från Falun (kartläggning 2025) kunde inte läsas och ingår inte"), "{page}");
    assert!(page.contains("id=\"sammanfattning\""), "Mora's answer still compiled: {page}");
    let page = reader.get(app.url("/rapportering/2025/sjalvskattning")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Svaret från Mora (självskattning 2025) kunde inte läsas"));
    let page = reader.get(app.url("/kommunenkat/2025")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("Svaret från Mora (kommunenkät till Socialstyrelsen 2025) kunde inte läsas"));
    assert_reports_work(
        &app,
        "2025",
        Some("Svaret från Falun (kartläggning 2025) kunde inte läsas och ingår inte"),
    )
    .await;
}

/// The mapping page, the API summary, the report in three formats and publishing all answer.
async fn assert_reports_work(app: &TestApp, year: &str, warning: Option<&str>) {
    let (admin, csrf) = app.login("admin").await;
    for path in [
        format!("/rapportering/{year}/kartlaggning"),
        format!("/api/v1/rounds/{year}/kartlaggning/summary"),
        format!("/arsrapport/{year}"),
        format!("/arsrapport/{year}.pdf"),
        format!("/arsrapport/{year}.docx"),
        format!("/arsrapport/{year}.html"),
        format!("/arsrapport/{year}/text"),
    ] {
        let r = admin.get(app.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        if let (Some(w), true) = (warning, path.ends_with(".html")) {
            assert!(r.text().await.unwrap().contains(w), "{path} states the warning");
        } else if let (Some(w), true) = (warning, path.ends_with(".docx")) {
            let bytes = r.bytes().await.unwrap();
            let xml = gnv_report::docx_text::document_xml(&bytes).unwrap();
            assert!(gnv_report::docx_text::paragraphs(&xml).iter().any(|p| p.contains(w)), "docx states it");
        }
    }
    let r = admin
        .post(app.url(&format!("/arsrapport/{year}/publicera")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "publishing");
}

#[tokio::test]
async fn a_table_import_for_a_year_without_round_makes_a_closed_round_that_opening_adopts() {
    let app = spawn_app().await;
    let seed = gnv_exempel::ekonomi::seed_2024();
    let imported =
        gnv_core::ekonomi::ImportedEconomy { rows: seed.rows, printed_totals: Some(seed.printed_totals) };
    app.db.import_economy(2024, &imported, "tabell.csv", &Actor::cli()).await.unwrap();
    let round = app.db.round(2024).await.unwrap().expect("a round for the imported year");
    assert!(!round.is_open() && round.closed_at.is_some(), "a closed round");
    assert_eq!(round.parts, vec![Part::Ekonomi]);
    assert_eq!(app.db.economy_status(2024, "2062").await.unwrap(), Status::Inskickad);
    // The status page of that year shows the part with every municipality submitted.
    let (admin, _) = app.login("admin").await;
    let page = admin.get(app.url("/rapportering/2024")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Ekonomisk redovisning: <span class=\"answered\">15 av 15 har svarat"), "{page}");
    // Opening the year's round later adopts it: open, the import's statuses kept, parts added.
    let registry = app.db.registry().await.unwrap();
    app.db
        .create_round(2024, crate::common::OPEN_UNTIL, &[Part::Sjalvskattning], &registry, &Actor::cli())
        .await
        .unwrap();
    let round = app.db.round(2024).await.unwrap().unwrap();
    assert!(round.is_open());
    assert_eq!(round.parts, vec![Part::Sjalvskattning, Part::Ekonomi]);
    assert_eq!(app.db.economy_status(2024, "2062").await.unwrap(), Status::Inskickad);
    // A round opened by an admin is never opened twice.
    let again = app
        .db
        .create_round(2024, crate::common::OPEN_UNTIL, &[Part::Sjalvskattning], &registry, &Actor::cli())
        .await;
    assert!(matches!(again, Err(gnv_storage::StorageError::Conflict(_))));
}

#[tokio::test]
async fn the_respondents_start_page_lists_open_tasks_then_what_was_submitted() {
    let app = spawn_app().await;
    open_round_with(&app.db, 2025, &[Part::Sjalvskattning, Part::Kommunenkat]).await;
    let (c, csrf) = app.login("respondent").await;
    let start = c.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    let tasks = start.split("id=\"dina-uppdrag\"").nth(1).expect("tasks section first");
    assert!(tasks.contains("href=\"/rapportering/2025/svara/sjalvskattning/lsl-mora\""), "{start}");
    assert!(tasks.contains("href=\"/kommunenkat/2025/kommun/2062\""), "{start}");
    assert!(!start.contains("id=\"inskickat\""), "nothing submitted yet");
    let mut fields: Vec<(&str, &str)> = SELF_ASSESSMENT.to_vec();
    fields.push(("atgard", "skicka"));
    assert_eq!(
        post(&app, &c, &csrf, "/rapportering/2025/svara/sjalvskattning/lsl-mora", &fields).await.0,
        303
    );
    let start = c.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    let (open, done) = start.split_once("id=\"inskickat\"").expect("submitted section");
    assert!(!open.contains("/rapportering/2025/svara/sjalvskattning/lsl-mora"), "no longer a task");
    assert!(done.contains("/rapportering/2025/svara/sjalvskattning/lsl-mora"), "listed as submitted");
    // Readers and admins see no task list.
    let (reader, _) = app.login("lasare").await;
    let page = reader.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("id=\"dina-uppdrag\""));
}

//! The January mailing against a real SMTP server (tests/smtp/smtp-sink.py): every part to its
//! function, organisations without a contact listed, nothing sent twice, SMTP failures recorded,
//! shown and retried.

use crate::common::smtp::SmtpSink;
use crate::common::{client, csrf_of, open_round_with, spawn_app_with_mail, TestApp};
use gnv_core::kontakter::{Function, NewContact};
use gnv_core::rapportering::Part;
use gnv_storage::Actor;

fn contact(org: &str, function: Function, name: &str, email: &str) -> NewContact {
    NewContact {
        org_code: org.into(),
        function,
        name: name.into(),
        email: email.into(),
        phone: String::new(),
    }
}

/// An app mailing through the sink, with the 2026 round open and a few contacts.
async fn app_with_contacts(sink: &SmtpSink) -> TestApp {
    let port = sink.port;
    let app = spawn_app_with_mail(|m| {
        m.transport = "smtp".into();
        m.smtp_host = "127.0.0.1".into();
        m.smtp_port = port;
        m.smtp_tls = "ingen".into();
    })
    .await;
    open_round_with(&app.db, 2026, &Part::ALL).await;
    app.db
        .import_contacts(
            &[
                contact("lsl-mora", Function::OrdforandeLsl, "Per Berg", "per.berg@mora.example.se"),
                contact(
                    "lsl-sodra-dalarna",
                    Function::OrdforandeLsl,
                    "Sven Horndal",
                    "sven@avesta.example.se",
                ),
                contact("2062", Function::Socialchef, "Karin Ek", "karin.ek@mora.example.se"),
                contact("2084", Function::Socialchef, "Therese Lind", "therese@avesta.example.se"),
                contact("2062", Function::Ekonomichef, "Lars Nilsson", "lars@mora.example.se"),
                // Kontaktperson is not a recipient of any part by default.
                contact("2080", Function::Kontaktperson, "Kim Falk", "kim@falun.example.se"),
            ],
            "test",
            &Actor::cli(),
        )
        .await
        .unwrap();
    app
}

async fn send(app: &TestApp, admin: &reqwest::Client, csrf: &str) -> String {
    let resp =
        admin.post(app.url("/rapportering/2026/utskick")).form(&[("csrf", csrf)]).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    resp.text().await.unwrap()
}

/// (recipient, subject) of every received message, sorted.
fn received(sink: &SmtpSink) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = sink
        .messages()
        .into_iter()
        .map(|(rcpts, text)| {
            assert_eq!(rcpts.len(), 1, "one recipient per message");
            let subject = text.lines().next().unwrap().trim_start_matches("Subject: ").to_string();
            (rcpts[0].clone(), subject)
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn the_january_mailing_sends_each_part_to_its_function_once_and_lists_organisations_without_contact() {
    let sink = SmtpSink::start();
    let app = app_with_contacts(&sink).await;
    let (admin, csrf) = app.login("admin").await;

    // Before sending: the preview of each distinct letter and who has no contact.
    let page = admin.get(app.url("/rapportering/2026/utskick")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Ämne:</strong> Rapportering 2026: självskattning för Mora"), "{page}");
    assert!(page.contains("Ämne:</strong> Rapportering 2026: kommunenkät till Socialstyrelsen för Mora"));
    assert!(page.contains("Självskattning – till ordförande LSL (2 mottagare)"), "{page}");
    assert!(page.contains("Ekonomisk redovisning – till ekonomichef/controller (1 mottagare)"), "{page}");
    let missing = &page[page.find("id=\"utan-kontakt\"").expect("missing list")..];
    let missing = &missing[..missing.find("</ul>").unwrap()];
    assert!(missing.contains("Kommunenkät till Socialstyrelsen (socialchef): Borlänge, Falun,"), "{missing}");
    assert!(!missing.contains("Kommunenkät till Socialstyrelsen (socialchef): Avesta"), "{missing}");
    assert!(missing.contains("Självskattning (ordförande LSL): Borlänge, Falun,"), "{missing}");
    assert!(page.contains("7 inbjudningar skickas."), "{page}");
    assert!(sink.messages().is_empty(), "nothing sent by looking");

    let page = send(&app, &admin, &csrf).await;
    assert!(page.contains("Utskicket är klart: 7 inbjudningar skickade."), "{page}");
    let got = received(&sink);
    let expected = [
        ("karin.ek@mora.example.se", "Rapportering 2026: kommunenkät till Socialstyrelsen för Mora"),
        ("lars@mora.example.se", "Rapportering 2026: ekonomisk redovisning för Mora"),
        ("per.berg@mora.example.se", "Rapportering 2026: kartläggning för Mora"),
        ("per.berg@mora.example.se", "Rapportering 2026: självskattning för Mora"),
        ("sven@avesta.example.se", "Rapportering 2026: kartläggning för Södra Dalarna"),
        ("sven@avesta.example.se", "Rapportering 2026: självskattning för Södra Dalarna"),
        ("therese@avesta.example.se", "Rapportering 2026: kommunenkät till Socialstyrelsen för Avesta"),
    ];
    assert_eq!(got, expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>());

    // The personal link in Per Berg's self-assessment letter opens his LSL's form.
    let messages = sink.messages();
    let (_, letter) = messages
        .iter()
        .find(|(r, t)| r[0] == "per.berg@mora.example.se" && t.contains("självskattning för Mora"))
        .unwrap();
    assert!(letter.contains("Hej Per Berg!"), "{letter}");
    assert!(letter.contains("Sista svarsdag är 13 februari 2099."), "{letter}");
    let start = letter.find(&format!("{}/svar/", app.base)).expect("personal link");
    let link: String = letter[start..].chars().take_while(|c| !c.is_whitespace()).collect();
    let anon = client();
    let form = anon.get(&link).send().await.unwrap();
    assert_eq!(form.status(), 200, "{link}");
    let form = form.text().await.unwrap();
    assert!(form.contains("Mora"));
    let _ = csrf_of(&form);
    // The kommunenkät is answered after log-in: its letter links to the module's page.
    let (_, survey) = messages.iter().find(|(r, _)| r[0] == "karin.ek@mora.example.se").unwrap();
    assert!(survey.contains(&format!("{}/kommunenkat/2026/kommun/2062", app.base)), "{survey}");

    // Repeating the action sends nothing twice.
    let page = send(&app, &admin, &csrf).await;
    assert!(page.contains("0 inbjudningar skickade, 7 inbjudningar var redan skickade"), "{page}");
    assert_eq!(sink.messages().len(), 7);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mail_log WHERE year = $1 AND kind = 'inbjudan'")
        .bind(2026i32)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(n, 7, "one mail-log entry per message");
    let log = app.db.mailing_sends(2026).await.unwrap();
    assert_eq!(log.len(), 7);
    assert!(log.iter().all(|s| s.state == "skickad" && s.attempts == 1));
    // Self-assessment and mapping letters each carry an invitation of their own.
    assert_eq!(log.iter().filter(|s| s.invitation_id.is_some()).count(), 4);

    // A new contact later gets only their own letters.
    app.db
        .add_contact(
            &contact("2084", Function::Ekonomichef, "Daniel Falk", "daniel@avesta.example.se"),
            None,
            &Actor::cli(),
        )
        .await
        .unwrap();
    let page = send(&app, &admin, &csrf).await;
    assert!(
        page.contains("Utskicket är klart: 1 inbjudan skickad, 7 inbjudningar var redan skickade"),
        "{page}"
    );
    assert_eq!(sink.messages().len(), 8);
    assert_eq!(sink.messages()[7].0, vec!["daniel@avesta.example.se".to_string()]);
}

#[tokio::test]
async fn an_smtp_failure_is_recorded_shown_and_sent_on_retry_without_repeating_the_others() {
    let sink = SmtpSink::start();
    let app = app_with_contacts(&sink).await;
    let (admin, csrf) = app.login("admin").await;
    sink.refuse(&["karin.ek@mora.example.se"]);

    let page = send(&app, &admin, &csrf).await;
    assert!(page.contains("6 inbjudningar skickade, 1 inbjudan kunde inte skickas"), "{page}");
    assert_eq!(sink.messages().len(), 6);
    // The log shows the failure with the server's answer.
    let page = admin.get(app.url("/rapportering/2026/utskick")).send().await.unwrap().text().await.unwrap();
    let log = &page[page.find("id=\"utskickslogg\"").unwrap()..];
    assert!(log.contains("misslyckades"), "{log}");
    assert!(log.contains("Mottagaren avvisad av testservern"), "{log}");
    assert!(page.contains("Skicka utskicket (försök igen med de misslyckade)"));
    let failed: Vec<_> =
        app.db.mailing_sends(2026).await.unwrap().into_iter().filter(|s| s.state == "misslyckad").collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].email, "karin.ek@mora.example.se");
    let (audited,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'utskick_misslyckades' AND entity_id = $1",
    )
    .bind("2026/kommunenkat/2062")
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(audited, 1);

    // The server accepts her again: the retry sends exactly her letter.
    sink.refuse(&[]);
    let page = send(&app, &admin, &csrf).await;
    assert!(
        page.contains("Utskicket är klart: 1 inbjudan skickad, 6 inbjudningar var redan skickade"),
        "{page}"
    );
    let messages = sink.messages();
    assert_eq!(messages.len(), 7);
    assert_eq!(messages[6].0, vec!["karin.ek@mora.example.se".to_string()]);
    let sends = app.db.mailing_sends(2026).await.unwrap();
    assert!(sends.iter().all(|s| s.state == "skickad"));
    let karin = sends.iter().find(|s| s.email == "karin.ek@mora.example.se").unwrap();
    assert_eq!((karin.attempts, karin.error.as_str()), (2, ""));
}

#[tokio::test]
async fn the_cover_letter_and_the_functions_are_edited_per_round_with_checked_placeholders() {
    let sink = SmtpSink::start();
    let app = app_with_contacts(&sink).await;
    let (admin, csrf) = app.login("admin").await;
    let form = |subject: &'static str, body: &'static str, survey: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("mottagare_sjalvskattning", "ordforande_lsl".to_string()),
            ("mottagare_kartlaggning", "ordforande_lsl".to_string()),
            ("mottagare_kommunenkat", survey.to_string()),
            ("mottagare_ekonomi", "ekonomichef".to_string()),
            ("amne", subject.to_string()),
            ("brevtext", body.to_string()),
        ]
    };
    let resp = admin
        .post(app.url("/rapportering/2026/utskick/brev"))
        .form(&form("{del} {år}", "Hej {mottagare}, svara senast {frist}.", "socialchef"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let page = resp.text().await.unwrap();
    assert!(page.contains("fält brevtext: Okänd platshållare {mottagare}"), "{page}");
    assert!(page.contains("fält brevtext: Brevet måste innehålla {länk}"), "{page}");

    // Kommunenkät to the contact person instead: Falun's contact person gets it.
    let resp = admin
        .post(app.url("/rapportering/2026/utskick/brev"))
        .form(&form(
            "Uppföljning {år}: {del}",
            "Hej {namn}!\n\nSvara för {organisation} senast {frist}: {länk}\n",
            "kontaktperson",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    send(&app, &admin, &csrf).await;
    let messages = sink.messages();
    let (_, falun) =
        messages.iter().find(|(r, _)| r[0] == "kim@falun.example.se").expect("Falun's contact person");
    assert!(falun.starts_with("Subject: Uppföljning 2026: kommunenkät till Socialstyrelsen"), "{falun}");
    assert!(falun.contains("Hej Kim Falk!\n\nSvara för Falun senast 13 februari 2099: "), "{falun}");
    assert!(
        !messages.iter().any(|(r, _)| r[0] == "karin.ek@mora.example.se"),
        "the socialchef gets nothing now"
    );
}

#[tokio::test]
async fn the_published_annual_report_is_sent_once_to_the_contacts_of_the_bodies() {
    let sink = SmtpSink::start();
    let app = app_with_contacts(&sink).await;
    app.db
        .import_contacts(
            &[
                contact("vfr", Function::Kontaktperson, "Olof Enviken", "olof@region.example.se"),
                contact("lchnv", Function::Kontaktperson, "Birgitta Sundborn", "birgitta@region.example.se"),
            ],
            "test",
            &Actor::cli(),
        )
        .await
        .unwrap();
    let (admin, csrf) = app.login("admin").await;
    // Not published yet: nothing to send.
    let resp = admin
        .post(app.url("/arsrapport/2024/utskick"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    assert_eq!(status, 400, "{text}");
    let resp = admin
        .post(app.url("/arsrapport/2024/publicera"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let page = admin.get(app.url("/arsrapport/2024/utskick")).send().await.unwrap().text().await.unwrap();
    // Only the bodies' contacts (not the municipalities' or LSLs').
    let table = &page[page.find("id=\"mottagare\"").unwrap()..];
    assert_eq!(table.matches("inte skickad").count(), 2, "{table}");
    assert!(!table.contains("karin.ek@"));

    let resp = admin
        .post(app.url("/arsrapport/2024/utskick"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert!(resp.text().await.unwrap().contains("Årsrapporten är skickad till 2 mottagare."));
    let messages = sink.messages();
    let mut to: Vec<&str> = messages.iter().map(|(r, _)| r[0].as_str()).collect();
    to.sort();
    assert_eq!(to, ["birgitta@region.example.se", "olof@region.example.se"]);
    assert!(messages[0].1.contains(&format!("{}/arsrapport/2024.pdf", app.base)), "{}", messages[0].1);
    // Again: nothing twice.
    let resp = admin
        .post(app.url("/arsrapport/2024/utskick"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert!(resp.text().await.unwrap().contains("Årsrapporten är skickad till 0 mottagare."));
    assert_eq!(sink.messages().len(), 2);
    let (logged,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'skicka_arsrapport'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(logged, 2);
}

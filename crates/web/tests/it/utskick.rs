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

/// The personal link (`{base}/svar/…`) in a received letter.
fn link_in(letter: &str, base: &str) -> String {
    let start = letter.find(&format!("{base}/svar/")).expect("personal link in the letter");
    letter[start..].chars().take_while(|c| !c.is_whitespace()).collect()
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

    // The open round's status page offers the mailing first.
    let status = admin.get(app.url("/rapportering/2026")).send().await.unwrap().text().await.unwrap();
    let offer = &status[status.find("id=\"januariutskick\"").expect("the mailing offered")..];
    assert!(offer[..offer.find("</p>").unwrap()].contains("href=\"/rapportering/2026/utskick\""), "{offer}");
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
    // The kommunenkät letter carries a personal link too: it opens Mora's survey form without
    // an account.
    let (_, survey) = messages.iter().find(|(r, _)| r[0] == "karin.ek@mora.example.se").unwrap();
    let form = anon.get(link_in(survey, &app.base)).send().await.unwrap();
    assert_eq!(form.status(), 200);
    assert!(form.text().await.unwrap().contains("<h1>Kommunenkät 2026 – Mora</h1>"));

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
    // Every letter carries an invitation of its own, for all four parts.
    assert_eq!(log.iter().filter(|s| s.invitation_id.is_some()).count(), 7);
    assert_eq!(app.db.invitations(2026).await.unwrap().len(), 7);

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
        .form(&[("csrf", csrf.as_str()), ("satt", "lank")])
        .send()
        .await
        .unwrap();
    assert!(resp.text().await.unwrap().contains("Årsrapporten är skickad till 2 mottagare (länk)."));
    let messages = sink.messages();
    let mut to: Vec<&str> = messages.iter().map(|(r, _)| r[0].as_str()).collect();
    to.sort();
    assert_eq!(to, ["birgitta@region.example.se", "olof@region.example.se"]);
    assert!(messages[0].1.contains(&format!("{}/arsrapport/2024.pdf", app.base)), "{}", messages[0].1);
    // Again: nothing twice.
    let resp = admin
        .post(app.url("/arsrapport/2024/utskick"))
        .form(&[("csrf", csrf.as_str()), ("satt", "bilaga")])
        .send()
        .await
        .unwrap();
    let page = resp.text().await.unwrap();
    assert!(page.contains("Årsrapporten är skickad till 0 mottagare (bifogad PDF)."), "{page}");
    assert_eq!(sink.messages().len(), 2);
    let (logged,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'skicka_arsrapport'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(logged, 2);
}

/// The personal link of the only letter a recipient got.
fn letter_link(sink: &SmtpSink, to: &str, base: &str) -> String {
    let messages = sink.messages();
    let letters: Vec<&String> = messages.iter().filter(|(r, _)| r[0] == to).map(|(_, t)| t).collect();
    assert_eq!(letters.len(), 1, "one letter to {to}");
    link_in(letters[0], base)
}

/// (user name, action) of the audit entries of one answer, oldest first.
async fn audit_of(app: &TestApp, entity: &str, entity_id: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT username, action FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id")
        .bind(entity)
        .bind(entity_id)
        .fetch_all(app.db.pool())
        .await
        .unwrap()
}

fn location(resp: &reqwest::Response) -> String {
    resp.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string()
}

#[tokio::test]
async fn the_kommunenkat_and_the_financial_report_are_answered_through_the_personal_link_of_the_letter() {
    use gnv_core::rapportering::Status;
    let sink = SmtpSink::start();
    let app = app_with_contacts(&sink).await;
    let (admin, csrf) = app.login("admin").await;
    send(&app, &admin, &csrf).await;
    let invitation_of = |email: &'static str| {
        let db = app.db.clone();
        async move {
            db.mailing_sends(2026)
                .await
                .unwrap()
                .into_iter()
                .find(|s| s.email == email)
                .unwrap()
                .invitation_id
        }
    };

    // Karin Ek (socialchef, Mora) opens her letter's link without an account: the module's own
    // form, posting back to the link, with no links into pages that need a log-in.
    let link = letter_link(&sink, "karin.ek@mora.example.se", &app.base);
    let path = link.trim_start_matches(&app.base).to_string();
    let anon = client();
    let page = anon.get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("<h1>Kommunenkät 2026 – Mora</h1>"), "{page}");
    assert!(page.contains(&format!("action=\"{path}\"")), "{page}");
    assert!(!page.contains("href=\"/kommunenkat"), "no breadcrumbs into the logged-in module");
    assert!(page.contains("<dt>Sista svarsdag</dt><dd>13 februari 2099</dd>"), "{page}");
    let token = csrf_of(&page);

    // The module's parser: "Annat" ticked without saying what is refused, nothing stored.
    let resp = anon
        .post(&link)
        .form(&[
            ("csrf", token.as_str()),
            ("atgard", "skicka"),
            ("omrade", "mobila-team"),
            ("omrade", "annat"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body = resp.text().await.unwrap();
    assert!(body.contains("Beskriv vilket område eller arbetssätt det gäller."), "{body}");
    assert!(app.db.survey_answer(2026, "2062").await.unwrap().is_none());

    // A draft, then the submission; the municipality is the invitation's, whatever the form says.
    let fields = |action: &'static str| {
        vec![
            ("csrf", token.clone()),
            ("atgard", action.to_string()),
            ("kommun", "2084".to_string()),
            ("omrade", "mobila-team".to_string()),
            ("omrade", "sip".to_string()),
            ("fritext_viktigaste-insatser", "Mobila team i hela kommunen.".to_string()),
        ]
    };
    let resp = anon.post(&link).form(&fields("utkast")).send().await.unwrap();
    assert_eq!((resp.status().as_u16(), location(&resp)), (303, format!("{path}?ok=utkast")));
    assert_eq!(app.db.kommunenkat_status(2026, "2062").await.unwrap(), Status::Utkast);
    let page = anon.get(format!("{link}?ok=utkast")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Utkastet är sparat."), "{page}");
    assert!(page.contains("Mobila team i hela kommunen.</textarea>"), "{page}");
    let resp = anon.post(&link).form(&fields("skicka")).send().await.unwrap();
    assert_eq!((resp.status().as_u16(), location(&resp)), (303, format!("{path}?ok=skickat")));
    assert_eq!(app.db.kommunenkat_status(2026, "2062").await.unwrap(), Status::Inskickad);
    assert_eq!(app.db.kommunenkat_status(2026, "2084").await.unwrap(), Status::EjPaborjad);
    assert_eq!(app.db.kommunenkat_compilation(2026).await.unwrap().answered, 1);
    // Submitted is locked through the link as on the module page.
    let page = anon.get(&link).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Svaret är inskickat") && !page.contains("value=\"skicka\""), "{page}");
    let resp = anon.post(&link).form(&fields("skicka")).send().await.unwrap();
    assert_eq!(resp.status(), 400);
    // The audit names the invitation; the respondent account of Mora sees the same answer.
    let karin = invitation_of("karin.ek@mora.example.se").await.expect("an invitation");
    let who = format!("Karin Ek <karin.ek@mora.example.se> (inbjudningslänk {karin})");
    assert_eq!(
        audit_of(&app, "kommunenkat", "2026/2062").await,
        vec![(who.clone(), "spara_utkast".to_string()), (who, "skicka_in".to_string())]
    );
    let (mora, _) = app.login("respondent").await;
    let page = mora.get(app.url("/kommunenkat/2026/kommun/2062")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Mobila team i hela kommunen.") && page.contains(">inskickad<"), "{page}");

    // Lars Nilsson (ekonomichef, Mora) reports the funds through his link.
    let link = letter_link(&sink, "lars@mora.example.se", &app.base);
    let page = anon.get(&link).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<h1>Ekonomisk redovisning 2026 – Mora</h1>"), "{page}");
    assert!(!page.contains("href=\"/ekonomi"));
    let amounts = |allocated: &'static str| {
        vec![
            ("csrf", token.clone()),
            ("atgard", "skicka".to_string()),
            ("tilldelat_9292", allocated.to_string()),
            ("overskott_9292", "35 829".to_string()),
            ("forbrukat_9292", "1 740 258".to_string()),
        ]
    };
    let resp = anon.post(&link).form(&amounts("-1 704 429")).send().await.unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("är negativt"));
    assert!(app.db.economy_rows(2026).await.unwrap().is_empty());
    let resp = anon.post(&link).form(&amounts("1 704 429")).send().await.unwrap();
    assert_eq!(resp.status(), 303);
    let rows = app.db.economy_rows(2026).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].municipality_code.as_str(), rows[0].allocated.to_string()),
        ("2062", gnv_core::format::integer(1_704_429))
    );
    assert_eq!(app.db.economy_status(2026, "2062").await.unwrap(), Status::Inskickad);
    let lars = invitation_of("lars@mora.example.se").await.expect("an invitation");
    assert_eq!(
        audit_of(&app, "ekonomisk_redovisning", "2026/2062").await,
        vec![(format!("Lars Nilsson <lars@mora.example.se> (inbjudningslänk {lars})"), "skicka_in".into())]
    );
}

#[tokio::test]
async fn after_closing_the_link_form_is_locked_and_a_reopened_part_changed_through_it_shows_as_changed() {
    use gnv_core::rapportering::Status;
    let sink = SmtpSink::start();
    let app = app_with_contacts(&sink).await;
    let (admin, csrf) = app.login("admin").await;
    send(&app, &admin, &csrf).await;
    let anon = client();
    let link = letter_link(&sink, "lars@mora.example.se", &app.base);
    let token = csrf_of(&anon.get(&link).send().await.unwrap().text().await.unwrap());
    let report = |allocated: &'static str| {
        vec![
            ("csrf", token.clone()),
            ("atgard", "skicka".to_string()),
            ("tilldelat_9292", allocated.to_string()),
            ("overskott_9292", "0".to_string()),
            ("forbrukat_9292", "1 000 000".to_string()),
        ]
    };
    let resp = anon.post(&link).form(&report("1 000 000")).send().await.unwrap();
    assert_eq!(resp.status(), 303);

    // The admin closes the round: the survey link shows why it cannot be answered, and a post
    // is refused by the round gate with nothing stored.
    let resp = admin
        .post(app.url("/rapportering/2026/stang"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let survey = letter_link(&sink, "karin.ek@mora.example.se", &app.base);
    let page = anon.get(&survey).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"stangd\""), "{page}");
    assert!(!page.contains("value=\"skicka\""), "no buttons in a closed round");
    let resp = anon
        .post(&survey)
        .form(&[("csrf", token.as_str()), ("atgard", "skicka"), ("omrade", "sip")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(app.db.survey_answer(2026, "2062").await.unwrap().is_none());
    assert_eq!(app.db.kommunenkat_status(2026, "2062").await.unwrap(), Status::EjPaborjad);

    // The admin reopens Mora's financial report; the correction through the link is stored,
    // audited under the invitation and shown as changed after closing.
    let resp = admin
        .post(app.url("/rapportering/2026/ateroppna/ekonomi/2062"))
        .form(&[("csrf", csrf.as_str()), ("skal", "Fel belopp för tilldelade medel.")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let page = anon.get(&link).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("value=\"skicka\""), "a reopened part can be answered again: {page}");
    let resp = anon.post(&link).form(&report("1 200 000")).send().await.unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(
        app.db.economy_rows(2026).await.unwrap()[0].allocated.to_string(),
        gnv_core::format::integer(1_200_000)
    );
    let audit = audit_of(&app, "ekonomisk_redovisning", "2026/2062").await;
    assert_eq!(audit.len(), 2);
    assert!(audit[1].0.starts_with("Lars Nilsson <lars@mora.example.se> (inbjudningslänk "), "{audit:?}");
    let page = admin.get(app.url("/ekonomi/2026")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Ändrat efter stängning: Mora – svaret har ändrats"), "{page}");
    let page = admin.get(app.url("/rapportering/2026")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Ändrat efter stängning: svaret har ändrats"), "{page}");
}

#[tokio::test]
async fn scheduled_reminders_reach_the_kommunenkat_and_ekonomi_links_of_municipalities_that_have_not_submitted(
) {
    use std::sync::Arc;
    let sink = SmtpSink::start();
    let app = app_with_contacts(&sink).await;
    // Deadline in two days with a reminder three days before: due since yesterday 08.00.
    let deadline = gnv_storage::omgang::today() + chrono::Duration::days(2);
    app.db.set_deadline(2026, &deadline.to_string(), &Actor::cli()).await.unwrap();
    app.db.set_reminder_schedule(2026, &[3], &Actor::cli()).await.unwrap();
    let (admin, csrf) = app.login("admin").await;
    send(&app, &admin, &csrf).await;
    let letters = sink.messages().len();
    assert_eq!(letters, 7);

    // Mora submits both its kommunenkät and its financial report through the letters' links.
    let anon = client();
    for (to, form) in [
        ("karin.ek@mora.example.se", vec![("omrade", "sip")]),
        (
            "lars@mora.example.se",
            vec![("tilldelat_9292", "100"), ("overskott_9292", "0"), ("forbrukat_9292", "100")],
        ),
    ] {
        let link = letter_link(&sink, to, &app.base);
        let token = csrf_of(&anon.get(&link).send().await.unwrap().text().await.unwrap());
        let mut fields = vec![("csrf", token.as_str()), ("atgard", "skicka")];
        fields.extend(form);
        assert_eq!(anon.post(&link).form(&fields).send().await.unwrap().status(), 303, "{to}");
    }

    // The server's scheduled work (here called directly; the server's own minute loop may run it
    // too — the job's lease lets only one of them send) until the job is done.
    let mut config = gnv_web::Config { base_url: app.base.clone(), ..Default::default() };
    config.mail.transport = "smtp".into();
    config.mail.smtp_host = "127.0.0.1".into();
    config.mail.smtp_port = sink.port;
    config.mail.smtp_tls = "ingen".into();
    let state = gnv_web::AppState { db: app.db.clone(), config: Arc::new(config) };
    for _ in 0..600 {
        gnv_web::pages::rapportering::omgang::run_due_reminders(&state, "testinstans").await.unwrap();
        if app.db.reminder_schedule(2026).await.unwrap().iter().all(|r| r.done_at.is_some()) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let schedule = app.db.reminder_schedule(2026).await.unwrap();
    assert!(schedule[0].result.contains("5 påminnelser skickade"), "{schedule:?}");
    let messages = sink.messages();
    let mut reminders: Vec<(String, String)> = messages[letters..]
        .iter()
        .map(|(r, t)| (r[0].clone(), t.lines().next().unwrap().trim_start_matches("Subject: ").to_string()))
        .collect();
    reminders.sort();
    assert_eq!(
        reminders,
        [
            ("per.berg@mora.example.se", "Påminnelse: kartläggning 2026 för Mora"),
            ("per.berg@mora.example.se", "Påminnelse: självskattning 2026 för Mora"),
            ("sven@avesta.example.se", "Påminnelse: kartläggning 2026 för Södra Dalarna"),
            ("sven@avesta.example.se", "Påminnelse: självskattning 2026 för Södra Dalarna"),
            ("therese@avesta.example.se", "Påminnelse: kommunenkät till Socialstyrelsen 2026 för Avesta"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect::<Vec<_>>(),
        "only organisations that have not submitted, Mora's kommunenkät and ekonomi not"
    );
    // The reminder's personal link opens Avesta's survey form.
    let (_, reminder) =
        messages[letters..].iter().find(|(r, _)| r[0] == "therese@avesta.example.se").unwrap();
    assert!(
        reminder.contains(&format!("Sista svarsdag: {}", gnv_core::format::date_long(deadline))),
        "{reminder}"
    );
    let page = anon.get(link_in(reminder, &app.base)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<h1>Kommunenkät 2026 – Avesta</h1>"), "{page}");
}

#[tokio::test]
async fn the_published_annual_report_is_sent_with_the_published_pdf_attached_byte_for_byte() {
    use crate::common::mime_parts;
    let sink = SmtpSink::start();
    let app = app_with_contacts(&sink).await;
    app.db
        .add_contact(
            &contact("vfr", Function::Kontaktperson, "Olof Enviken", "olof@region.example.se"),
            None,
            &Actor::cli(),
        )
        .await
        .unwrap();
    let (admin, csrf) = app.login("admin").await;
    let resp = admin
        .post(app.url("/arsrapport/2024/publicera"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    // The published report's own page offers sending it; the sending page offers both ways.
    let page = admin.get(app.url("/arsrapport/2024")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("href=\"/arsrapport/2024/utskick\""), "{page}");
    let page = admin.get(app.url("/arsrapport/2024/utskick")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("value=\"lank\" checked> Länk till rapporten"), "{page}");
    assert!(page.contains("value=\"bilaga\"> Bifogad PDF-fil (arsrapport-2024.pdf, "), "{page}");

    // Without a choice nothing is sent.
    let resp = admin
        .post(app.url("/arsrapport/2024/utskick"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(sink.messages().is_empty());

    let resp = admin
        .post(app.url("/arsrapport/2024/utskick"))
        .form(&[("csrf", csrf.as_str()), ("satt", "bilaga")])
        .send()
        .await
        .unwrap();
    let page = resp.text().await.unwrap();
    assert!(page.contains("Årsrapporten är skickad till 1 mottagare (bifogad PDF)."), "{page}");
    assert!(page.contains("(bifogad PDF)</td>"), "the log says how: {page}");

    // The received message: the letter, then the published PDF byte for byte.
    let raw = sink.raw_messages();
    assert_eq!(raw.len(), 1);
    assert_eq!(raw[0].0, vec!["olof@region.example.se".to_string()]);
    let parts = mime_parts(&raw[0].1);
    assert_eq!(parts.len(), 2, "text and attachment");
    let text = String::from_utf8(parts[0].body.clone()).unwrap();
    assert!(text.contains("Hej Olof Enviken!"), "{text}");
    assert!(text.contains("Rapporten är bifogad som PDF-fil (arsrapport-2024.pdf)."), "{text}");
    assert!(parts[1].header("Content-Type").starts_with("application/pdf"), "{}", parts[1].headers);
    let disposition = parts[1].header("Content-Disposition");
    assert!(
        disposition.starts_with("attachment;") && disposition.contains("arsrapport-2024.pdf"),
        "{disposition}"
    );
    let (published, _) = app.db.report_file(2024, "pdf").await.unwrap().expect("the published PDF");
    assert!(parts[1].body == published, "the attachment is the published PDF byte for byte");
    assert!(parts[1].body.starts_with(b"%PDF-"));
    let download = admin.get(app.url("/arsrapport/2024.pdf")).send().await.unwrap().bytes().await.unwrap();
    assert!(download.as_ref() == parts[1].body.as_slice(), "the same file as the report's download");

    let sends = app.db.report_sends(2024).await.unwrap();
    assert_eq!(sends.len(), 1);
    assert_eq!(
        (sends[0].state.as_str(), sends[0].way),
        ("skickad", gnv_storage::kontakter::ReportWay::Attachment)
    );
    let (after,): (String,) =
        sqlx::query_as("SELECT after_json FROM audit_log WHERE action = 'skicka_arsrapport'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert!(after.contains("bifogad PDF") && after.contains("olof@region.example.se"), "{after}");
}

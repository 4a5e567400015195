//! Two app instances on one database (the PostgreSQL deployment with several servers; on SQLite
//! two processes on one file). Each instance has its own connection pool and server; they share
//! only the database, and must behave as one application: sessions, writes and log-in
//! throttling are seen by both.

use crate::common::{client, csrf_of, seeded_db, start_server, TestStorage, PASSWORD};

#[tokio::test]
async fn two_instances_on_one_database_work_as_one() {
    let mut storage = TestStorage::new();
    let db_a = seeded_db(&mut storage).await;
    // A second pool of its own: on PostgreSQL another set of connections to the same database,
    // on SQLite another handle on the same file.
    let db_b = storage.open().await;
    let mail_dir = storage.dir.path().join("mail");
    let (a, _stop_a) = start_server(db_a.clone(), mail_dir.clone()).await;
    let (b, _stop_b) = start_server(db_b.clone(), mail_dir).await;
    assert_ne!(a, b);

    // Log in on A; the session (and its CSRF token) is valid on B.
    let c = client();
    let page = c.get(format!("{a}/logga-in")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    let resp = c
        .post(format!("{a}/logga-in"))
        .form(&[("csrf", csrf.as_str()), ("anvandarnamn", "admin"), ("losenord", PASSWORD), ("nasta", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    // The cookie store sends the cookie of 127.0.0.1 to both ports.
    assert_eq!(c.get(format!("{b}/admin")).send().await.unwrap().status(), 200, "session valid on B");
    let csrf = csrf_of(&c.get(format!("{b}/")).send().await.unwrap().text().await.unwrap());

    // A write on B (with the session's token) is visible on A.
    let resp = c
        .post(format!("{b}/admin/anvandare"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("anvandarnamn", "falun"),
            ("namn", "Frida på instans B"),
            ("roll", "reader"),
            ("losenord", "Långt-lösenord-2026"),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        resp.status().is_redirection() || resp.status().is_success(),
        "user created on B: {}",
        resp.status()
    );
    let users = c.get(format!("{a}/admin/anvandare")).send().await.unwrap().text().await.unwrap();
    assert!(users.contains("Frida på instans B"), "A lists the user created on B");

    // Failed log-ins are counted across both instances: 5 failures alternating A, B, A, B, A
    // block the sixth attempt on B even with the right password.
    let other = client();
    let page = other.get(format!("{a}/logga-in")).send().await.unwrap().text().await.unwrap();
    let login_csrf = csrf_of(&page);
    for i in 0..5 {
        let base = if i % 2 == 0 { &a } else { &b };
        let resp = other
            .post(format!("{base}/logga-in"))
            .form(&[
                ("csrf", login_csrf.as_str()),
                ("anvandarnamn", "lasare"),
                ("losenord", "fel-lösenord-xyz"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401, "attempt {i} on {base}");
    }
    for base in [&b, &a] {
        let resp = other
            .post(format!("{base}/logga-in"))
            .form(&[("csrf", login_csrf.as_str()), ("anvandarnamn", "lasare"), ("losenord", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 429, "throttled on {base}");
    }

    // Log-out on B ends the session on A as well.
    let resp = c.post(format!("{b}/logga-ut")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(c.get(format!("{a}/admin")).send().await.unwrap().status(), 303, "session gone on A");

    // Concurrent writes through both instances are serialised, none lost: every new user
    // created at the same time on A and B is stored once.
    let admin = client();
    let page = admin.get(format!("{a}/logga-in")).send().await.unwrap().text().await.unwrap();
    let login_csrf = csrf_of(&page);
    let resp = admin
        .post(format!("{b}/logga-in"))
        .form(&[
            ("csrf", login_csrf.as_str()),
            ("anvandarnamn", "admin"),
            ("losenord", PASSWORD),
            ("nasta", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let csrf = csrf_of(&admin.get(format!("{a}/")).send().await.unwrap().text().await.unwrap());
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (admin, csrf) = (admin.clone(), csrf.clone());
        let base = if i % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move {
            admin
                .post(format!("{base}/admin/anvandare"))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("anvandarnamn", format!("samtidig{i}").as_str()),
                    ("namn", format!("Samtidig {i}").as_str()),
                    ("roll", "reader"),
                    ("losenord", "Långt-lösenord-2026"),
                ])
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for t in tasks {
        let status = t.await.unwrap();
        assert!(status.is_redirection() || status.is_success(), "concurrent create: {status}");
    }
    let users = db_b.users().await.unwrap();
    for i in 0..8 {
        assert_eq!(users.iter().filter(|u| u.username == format!("samtidig{i}")).count(), 1);
    }
    drop(db_b);
}

/// The in-memory caches follow writes made through the other instance: the editions list and the
/// registry (validated against the data version on every request) and the rendered infographic
/// body of a published edition (keyed by everything it shows, including the focus name).
#[tokio::test]
async fn caches_follow_writes_made_on_the_other_instance() {
    let mut storage = TestStorage::new();
    let db_a = seeded_db(&mut storage).await;
    let db_b = storage.open().await;
    let mail_dir = storage.dir.path().join("mail");
    let (a, _stop_a) = start_server(db_a.clone(), mail_dir.clone()).await;
    let (b, _stop_b) = start_server(db_b.clone(), mail_dir).await;

    let c = client();
    let page = c.get(format!("{a}/logga-in")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    let resp = c
        .post(format!("{a}/logga-in"))
        .form(&[("csrf", csrf.as_str()), ("anvandarnamn", "admin"), ("losenord", PASSWORD), ("nasta", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let csrf = csrf_of(&c.get(format!("{b}/")).send().await.unwrap().text().await.unwrap());

    // Catalogue and values through B.
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/nyckeltal");
    let file = |name: &str| std::fs::read_to_string(format!("{data}/{name}")).unwrap();
    for (path, field, names) in [
        ("/nyckeltal/admin/katalog", "katalog", vec!["katalog.toml"]),
        ("/nyckeltal/admin/import", "filer", vec!["utgava1-sida1.json", "utgava1-sida2.json"]),
    ] {
        let mut form = reqwest::multipart::Form::new();
        for name in names {
            form = form.part(
                field.to_string(),
                reqwest::multipart::Part::text(file(name)).file_name(name.to_string()),
            );
        }
        let resp = c.post(format!("{b}{path}?csrf={csrf}")).multipart(form).send().await.unwrap();
        assert!(resp.status().is_success() || resp.status().is_redirection(), "{path}: {}", resp.status());
    }

    // A shows 2024 as a preview (and caches the empty editions list) …
    let infographic = |base: &str| format!("{base}/nyckeltal/2024?fokus=0020");
    let page = c.get(infographic(&a)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Ej publicerad"), "preview before publishing");

    // … until B publishes it: then A shows the published edition at once.
    let resp = c
        .post(format!("{b}/nyckeltal/admin/publicera"))
        .form(&[("csrf", csrf.as_str()), ("ar", "2024")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let page = c.get(infographic(&a)).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("Ej publicerad"), "published edition on A after publishing on B");
    assert!(page.contains("Nyckeltal 2024 för Region Dalarna"), "body rendered (and cached) on A");
    // The same page again comes from A's caches, identical.
    assert_eq!(c.get(infographic(&a)).send().await.unwrap().text().await.unwrap(), page);

    // Renaming the focus organisation on B: the published edition on A keeps the name it was
    // published with (names are frozen with an edition, #16); a preview on A, rendered with the
    // registry cached on A before the rename, follows at once.
    let resp = c
        .post(format!("{b}/organisationer/0020"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("namn", "Region Dalarna i test"),
            ("kortnamn", ""),
            ("beskrivning", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let page = c.get(infographic(&a)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<h1>Infografik 2024 – Region Dalarna</h1>"), "frozen name on A");
    let preview = c.get(format!("{a}/nyckeltal/2025?fokus=0020")).send().await.unwrap().text().await.unwrap();
    assert!(preview.contains("<h1>Infografik 2025 – Region Dalarna i test</h1>"), "heading on A");
    assert!(preview.contains("Nyckeltal 2025 för Region Dalarna i test"), "table caption on A");
    drop(db_b);
}

/// Scheduled reminders with two instances on one database: each due reminder is sent by exactly
/// one of them, only to organisations that have not submitted, and never again.
#[tokio::test]
async fn each_scheduled_reminder_is_sent_once_by_one_of_two_instances() {
    use gnv_core::rapportering::formular::{FormContext, Mode};
    use gnv_core::rapportering::{Event, Part};
    use gnv_storage::Actor;
    use std::sync::Arc;
    let mut storage = TestStorage::new();
    let db_a = seeded_db(&mut storage).await;
    let db_b = storage.open().await;
    let registry = db_a.registry().await.unwrap();
    // Deadline in two days: reminders 14 and 3 days before are already due (08.00 Swedish time
    // on a day already passed), 1 day before (tomorrow) is not, whatever the hour.
    let deadline = gnv_storage::omgang::today() + chrono::Duration::days(2);
    db_a.create_round(2025, &deadline.to_string(), &[Part::Sjalvskattning], &registry, &Actor::cli())
        .await
        .unwrap();
    db_a.set_reminder_schedule(2025, &[14, 3, 1], &Actor::cli()).await.unwrap();
    for lsl in ["lsl-gagnef", "lsl-orsa"] {
        db_a.create_invitation(
            2025,
            Part::Sjalvskattning,
            lsl,
            "Eva Berg",
            "eva.berg@example.se",
            30,
            &Actor::cli(),
        )
        .await
        .unwrap();
    }
    // Orsa has submitted: only Gagnef is reminded.
    let def = db_a.round_form(2025, Part::Sjalvskattning).await.unwrap().unwrap();
    let fields: Vec<(String, String)> = [
        ("respondent", "Olle"),
        ("roll", "ordförande"),
        ("perspektiv", "bada"),
        ("delmal1", "3"),
        ("delmal2", "3"),
        ("delmal3", "3"),
        ("delmal4", "3"),
        ("delmal5", "3"),
        ("tillampat", "ja"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let answers = def.validate(&fields, &FormContext::default(), Mode::Submit).unwrap();
    db_a.save_response(2025, Part::Sjalvskattning, "lsl-orsa", "x", &answers, Event::Submit, &Actor::cli())
        .await
        .unwrap();

    let mail_dir = storage.dir.path().join("mail");
    let state = |db: gnv_storage::Db| {
        let mut config = gnv_web::Config::default();
        config.mail.dir = mail_dir.clone();
        gnv_web::AppState { db, config: Arc::new(config) }
    };
    let (a, b) = (state(db_a.clone()), state(db_b.clone()));
    use gnv_web::pages::rapportering::omgang::run_due_reminders;
    let (ra, rb) = tokio::join!(run_due_reminders(&a, "instans-a"), run_due_reminders(&b, "instans-b"));
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(ra + rb, 2, "the two due reminders (14 and 3 days before) run once in all");
    let mails = db_a.mails(2025).await.unwrap();
    let reminders: Vec<_> = mails.iter().filter(|m| m.kind == "paminnelse").collect();
    assert_eq!(reminders.len(), 2, "one mail per due reminder: {reminders:?}");
    assert!(reminders.iter().all(|m| m.org_code == "lsl-gagnef"), "only those who have not submitted");
    // Nothing runs twice, on either instance; the one due tomorrow waits.
    let (ra, rb) = tokio::join!(run_due_reminders(&a, "instans-a"), run_due_reminders(&b, "instans-b"));
    assert_eq!(ra.unwrap() + rb.unwrap(), 0);
    let schedule = db_b.reminder_schedule(2025).await.unwrap();
    let done: Vec<(i64, bool)> = schedule.iter().map(|r| (r.days_before, r.done_at.is_some())).collect();
    assert_eq!(done, vec![(14, true), (3, true), (1, false)]);
    assert!(schedule[0].result.contains("1 påminnelse skickad"), "{:?}", schedule[0]);
    // A job whose instance died (lease ran out) is taken over; the other instance's lease holds.
    db_a.set_reminder_schedule(2025, &[14, 4, 3, 1], &Actor::cli()).await.unwrap();
    let now = chrono::Utc::now();
    let job = db_a
        .claim_due_job(gnv_storage::jobb::REMINDER_JOB, "död-instans", now, chrono::Duration::minutes(10))
        .await
        .unwrap()
        .expect("the reminder 4 days before is due");
    assert_eq!(job.key, "paminnelse/2025/4");
    assert!(
        db_b.claim_due_job(gnv_storage::jobb::REMINDER_JOB, "instans-b", now, chrono::Duration::minutes(10))
            .await
            .unwrap()
            .is_none(),
        "leased elsewhere"
    );
    let later = now + chrono::Duration::minutes(11);
    let taken = db_b
        .claim_due_job(gnv_storage::jobb::REMINDER_JOB, "instans-b", later, chrono::Duration::minutes(10))
        .await
        .unwrap();
    assert_eq!(taken.map(|j| j.key), Some("paminnelse/2025/4".to_string()));
    assert!(
        !db_a.finish_job("paminnelse/2025/4", "död-instans", "sent").await.unwrap(),
        "a lost lease cannot finish"
    );
    assert!(db_b.finish_job("paminnelse/2025/4", "instans-b", "sent").await.unwrap());
}

//! Regression tests of issue #16 "Säkerhet 2": open redirect after log-in, the body limit for
//! every content type, CSV formula injection, password policy, secrets in logs, response headers.

use crate::common::{client, csrf_of, spawn_app, PASSWORD};

/// Finding 1: `nasta` with a tab or a line break would leave the origin (browsers drop them, so
/// `/\t/host` becomes `//host`) or give a 500 after the session was created.
#[tokio::test]
async fn next_after_login_stays_on_the_site() {
    let app = spawn_app().await;
    let (c, _) = app.login("lasare").await;
    for nasta in
        ["/%09/127.0.0.1:18093/phish", "/%0A/x", "/%0D%0A/x", "/%5C%5Cevil.example", "//evil.example"]
    {
        let resp = c.get(app.url(&format!("/logga-in?nasta={nasta}"))).send().await.unwrap();
        assert_eq!(resp.status(), 303, "{nasta}");
        assert_eq!(resp.headers()["location"], "/", "{nasta}");
    }
    let resp = c.get(app.url("/logga-in?nasta=/organisationer")).send().await.unwrap();
    assert_eq!(resp.headers()["location"], "/organisationer");

    // Posting the log-in form: the target is checked before the session is created.
    for nasta in ["/\t/127.0.0.1:18093/phish", "/\n/x", "/\r\n/x"] {
        let anon = client();
        let page = anon.get(app.url("/logga-in")).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_of(&page);
        let resp = anon
            .post(app.url("/logga-in"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("anvandarnamn", "lasare"),
                ("losenord", PASSWORD),
                ("nasta", nasta),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 303, "{nasta:?}");
        assert_eq!(resp.headers()["location"], "/", "{nasta:?}");
    }
}

/// Finding 5: a body of another content type (or none) with the CSRF token in a header was read
/// in full up to the upload limit and echoed in the error page.
#[tokio::test]
async fn body_limit_applies_to_every_content_type() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let big = format!("anvandarnamn={}", "a".repeat(3 * 1024 * 1024));
    for content_type in [Some("text/plain"), None, Some("application/octet-stream"), Some("application/json")]
    {
        let mut req = admin.post(app.url("/admin/anvandare")).header("x-csrf-token", &csrf).body(big.clone());
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 413, "{content_type:?}");
        let body = resp.text().await.unwrap();
        assert!(body.len() < 100_000, "{content_type:?}: {} bytes", body.len());
        assert!(!body.contains("aaaaaaaaaaaaaaaa"), "{content_type:?}: body echoed");
    }
    // A url-encoded form over the limit is refused the same way.
    let resp = admin
        .post(app.url("/admin/anvandare"))
        .form(&[("csrf", csrf.as_str()), ("anvandarnamn", &"a".repeat(3 * 1024 * 1024))])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
    // Small bodies still work with the header token.
    let resp = admin
        .post(app.url("/admin/anvandare/lasare/aktiv"))
        .header("x-csrf-token", &csrf)
        .header("content-type", "text/plain")
        .body("aktiv=ja")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
}

/// Finding 3: organisation names that a spreadsheet reads as formulas came out verbatim in the
/// CSV exports.
#[tokio::test]
async fn csv_exports_neutralise_formulas() {
    use reqwest::multipart::{Form, Part};
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let seed = gnv_exempel::ekonomi::seed_2024();
    let text = gnv_core::ekonomi::export_csv(
        &gnv_core::organisation::dalarna(),
        &seed.rows,
        Some(&seed.printed_totals),
    );
    let form =
        Form::new().text("ar", "2024").part("fil", Part::bytes(text.into_bytes()).file_name("ekonomi.csv"));
    let resp =
        admin.post(app.url(&format!("/ekonomi/import?csrf={csrf}"))).multipart(form).send().await.unwrap();
    assert!(resp.status().is_success() || resp.status() == 303, "import: {}", resp.status());
    for (code, name) in
        [("2062", "=HYPERLINK(\"http://127.0.0.1:18093/\";\"Mora\")"), ("2080", "=cmd|' /C calc'!A0")]
    {
        let resp = admin
            .post(app.url(&format!("/organisationer/{code}")))
            .form(&[("csrf", csrf.as_str()), ("namn", name), ("kortnamn", ""), ("beskrivning", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 303, "rename {code}");
    }
    let (reader, _) = app.login("lasare").await;
    let csv = reader.get(app.url("/ekonomi/2024/export.csv")).send().await.unwrap().text().await.unwrap();
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://127.0.0.1:18093/\"\";\"\"Mora\"\")\""), "{csv}");
    assert!(csv.contains(";'=cmd|' /C calc'!A0;"), "{csv}");
    for line in csv.trim_start_matches('\u{feff}').lines() {
        let mut rdr =
            csv::ReaderBuilder::new().delimiter(b';').has_headers(false).from_reader(line.as_bytes());
        for rec in rdr.records() {
            for cell in rec.unwrap().iter() {
                assert!(!cell.starts_with(['=', '@', '\t', '\r']), "cell {cell:?} in {line}");
            }
        }
    }
    // The neutralised export can be imported again.
    let form =
        Form::new().text("ar", "2024").part("fil", Part::bytes(csv.into_bytes()).file_name("ekonomi.csv"));
    let resp =
        admin.post(app.url(&format!("/ekonomi/import?csrf={csrf}"))).multipart(form).send().await.unwrap();
    let status = resp.status();
    let body = resp.text().await.unwrap();
    assert!(status.is_success() || status == 303, "re-import: {status} {body}");
}

/// Finding 6: weak passwords were accepted when creating users.
#[tokio::test]
async fn weak_passwords_are_refused_with_a_reason() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let too_long = "Kvast-Siljan-97 ".repeat(70);
    for (password, why) in [
        ("123456789012", "för lätt att gissa"),
        ("password1234", "för lätt att gissa"),
        ("qwertyuiopas", "för lätt att gissa"),
        (too_long.as_str(), "högst 1 024 tecken"),
    ] {
        let resp = admin
            .post(app.url("/admin/anvandare"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("anvandarnamn", "falun"),
                ("namn", "Frida"),
                ("roll", "reader"),
                ("losenord", password),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{password}");
        let body = resp.text().await.unwrap();
        assert!(body.contains(why), "{password}: {body}");
        assert!(app.db.user_by_username("falun").await.unwrap().is_none(), "{password} was accepted");
    }
}

/// Whether [`captured_log`] still records (it stops once its test has read the log, so the
/// other tests of this binary do not fill it).
static CAPTURING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// The whole process's log at TRACE level, captured once for this test binary.
fn captured_log() -> std::sync::Arc<std::sync::Mutex<Vec<u8>>> {
    use std::sync::{Arc, Mutex, OnceLock};
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        struct Sink(Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Sink {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                if !CAPTURING.load(std::sync::atomic::Ordering::Relaxed) {
                    return Ok(b.len());
                }
                if let Ok(mut v) = self.0.lock() {
                    v.extend_from_slice(b);
                }
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let buf = Arc::new(Mutex::new(Vec::new()));
        let writer_buf = buf.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || Sink(writer_buf.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("one global subscriber");
        buf
    })
    .clone()
}

/// Finding 4: link tokens and CSRF values appeared in the log at `GNV_LOG=debug`.
#[tokio::test]
async fn secrets_never_reach_the_log() {
    let log = captured_log();
    let app = spawn_app().await;
    let (admin, csrf, link) = round_with_link(&app).await;
    let token = link[6..].to_string();
    // A link submission (draft), and an upload with the session's CSRF token in the query.
    let anon = client();
    let form_page = anon.get(app.url(&link)).send().await.unwrap().text().await.unwrap();
    let link_csrf = csrf_of(&form_page);
    let resp = anon
        .post(app.url(&link))
        .form(&[
            ("csrf", link_csrf.as_str()),
            ("atgard", "utkast"),
            ("respondent", "Eva Berg"),
            ("delmal1", "3"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let form = reqwest::multipart::Form::new().text("ar", "2024");
    let _ =
        admin.post(app.url(&format!("/ekonomi/import?csrf={csrf}"))).multipart(form).send().await.unwrap();
    drop(app);
    CAPTURING.store(false, std::sync::atomic::Ordering::Relaxed);
    let text = String::from_utf8_lossy(&log.lock().unwrap()).into_owned();
    assert!(text.contains("/svar/[dolt]"), "the request log is captured and redacted");
    assert!(text.contains("csrf=[dolt]"), "the upload's query is logged redacted");
    for secret in [token.as_str(), &token[..16], csrf.as_str(), link_csrf.as_str(), PASSWORD] {
        assert!(!text.contains(secret), "{secret} found in the log");
    }
}

/// Opens the 2025 round with the self-assessment and invites lsl-gagnef by link; returns the
/// admin's client and CSRF token and the link's path `/svar/{token}`.
async fn round_with_link(app: &crate::common::TestApp) -> (reqwest::Client, String, String) {
    let (admin, csrf) = app.login("admin").await;
    let resp = admin
        .post(app.url("/rapportering"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("ar", "2025"),
            ("sista_dag", crate::common::OPEN_UNTIL),
            ("del", "sjalvskattning"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let resp = admin
        .post(app.url("/rapportering/2025/inbjudan"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("mottagare", "sjalvskattning:lsl-gagnef"),
            ("satt", "lank"),
            ("namn", "Eva Berg"),
            ("epost", "eva.berg@example.se"),
            ("dagar", "30"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let page = resp.text().await.unwrap();
    let i = page.find("/svar/").expect("link shown");
    let link = page[i..i + 6 + 64].to_string();
    (admin, csrf, link)
}

/// Finding 8: the database and the `.eml` files (live links) were world-readable, and the
/// global `Referrer-Policy: same-origin` replaced the link page's `no-referrer`.
#[tokio::test]
async fn private_files_and_the_link_pages_referrer_policy() {
    let app = spawn_app().await;
    let (_admin, _csrf, link) = round_with_link(&app).await;
    let resp = client().get(app.url(&link)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["referrer-policy"], "no-referrer");
    let other = client().get(app.url("/logga-in")).send().await.unwrap();
    assert_eq!(other.headers()["referrer-policy"], "same-origin");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let mails: Vec<_> = std::fs::read_dir(&app.mail_dir).unwrap().map(|e| e.unwrap().path()).collect();
        assert_eq!(mails.len(), 1);
        assert_eq!(mode(&mails[0]), 0o600, "{}", mails[0].display());
        assert_eq!(mode(&app.mail_dir), 0o700);
        let db = app.mail_dir.parent().unwrap().join("test.db");
        if db.exists() {
            assert_eq!(mode(&db), 0o600);
            let backup = app.mail_dir.parent().unwrap().join("kopia.db");
            app.db.backup_to(&backup).await.unwrap();
            assert_eq!(mode(&backup), 0o600);
        }
    }
}

/// Finding 8: `gnv check` (`Db::check`) reads every stored answer.
#[tokio::test]
async fn check_finds_an_unreadable_answer() {
    let app = spawn_app().await;
    let (_admin, _csrf, link) = round_with_link(&app).await;
    let anon = client();
    let page = anon.get(app.url(&link)).send().await.unwrap().text().await.unwrap();
    let t = csrf_of(&page);
    let resp = anon
        .post(app.url(&link))
        .form(&[("csrf", t.as_str()), ("atgard", "utkast"), ("respondent", "Eva Berg"), ("delmal1", "3")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let report = app.db.check(gnv_report::assemble::check_frozen).await.unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert!(report.checked.iter().any(|l| l == "1 sparade svar kan läsas."), "{report:?}");
    sqlx::query("UPDATE round_response SET answers_json = '{\"delmal1\": [1, 2'")
        .execute(app.db.pool())
        .await
        .unwrap();
    let report = app.db.check(gnv_report::assemble::check_frozen).await.unwrap();
    assert!(!report.is_ok());
    assert!(
        report.problems.iter().any(|p| p.contains("lsl-gagnef") && p.contains("kan inte läsas")),
        "{report:?}"
    );
}

/// Finding 7: readers and respondents of other LSLs saw individual respondents' names and
/// reflections. Every route declared with `individual_answers` is checked for every role.
#[tokio::test]
async fn individual_answers_only_for_admins_and_the_lsls_own_respondents() {
    use gnv_core::access::Role;
    use gnv_storage::anvandare::NewUser;
    let app = spawn_app().await;
    let (_admin, _csrf, link) = round_with_link(&app).await;
    let anon = client();
    let page = anon.get(app.url(&link)).send().await.unwrap().text().await.unwrap();
    let t = csrf_of(&page);
    let resp = anon
        .post(app.url(&link))
        .form(&[
            ("csrf", t.as_str()),
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
            ("reflektion1", "Hemlig reflektion om samarbetet."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    app.db
        .create_user(
            &NewUser {
                username: "gagnef".into(),
                display_name: "Test gagnef".into(),
                email: String::new(),
                role: Role::Respondent,
                password: PASSWORD.into(),
                organisations: vec!["lsl-gagnef".into()],
            },
            &gnv_storage::Actor::cli(),
        )
        .await
        .unwrap();
    let routes: Vec<_> = gnv_web::routes::table().into_iter().filter(|r| r.individual_answers).collect();
    assert!(!routes.is_empty(), "the per-LSL self-assessment page declares individual answers");
    for (who, sees) in [("admin", true), ("gagnef", true), ("lasare", false), ("respondent", false)] {
        let (c, _) = app.login(who).await;
        for r in &routes {
            let path = r.path.replace("{ar}", "2025").replace("{lsl}", "lsl-gagnef");
            let resp = c.get(app.url(&path)).send().await.unwrap();
            assert_eq!(resp.status(), 200, "{who} {path}");
            let body = resp.text().await.unwrap();
            assert!(body.contains("Gagnef"), "{who} {path}: the consolidated values are shown");
            for secret in ["Eva Berg", "Hemlig reflektion", "ordförande"] {
                assert_eq!(body.contains(secret), sees, "{who} {path}: {secret}");
            }
        }
    }
}

/// Every cell of a `;`-separated CSV export.
fn csv_cells(text: &str) -> Vec<String> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    rdr.records().flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>()).collect()
}

/// Finding 3, indicator exports: formulas are neutralised, and a published edition shows the
/// organisation names it was published with, also after a rename.
#[tokio::test]
async fn published_edition_csv_is_neutralised_and_keeps_its_names() {
    use reqwest::multipart::{Form, Part};
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let upload = |path: &'static str, field: &'static str, name: &'static str, body: String| {
        let form = Form::new().part(field, Part::text(body).file_name(name));
        admin.post(app.url(&format!("{path}?csrf={csrf}"))).multipart(form).send()
    };
    let catalogue =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/nyckeltal/katalog.toml"))
            .unwrap();
    assert_eq!(
        upload("/nyckeltal/admin/katalog", "katalog", "katalog.toml", catalogue).await.unwrap().status(),
        303
    );
    let rename = |name: &'static str| {
        admin
            .post(app.url("/organisationer/0020"))
            .form(&[("csrf", csrf.as_str()), ("namn", name), ("kortnamn", ""), ("beskrivning", "")])
            .send()
    };
    assert_eq!(rename("=HYPERLINK(\"http://127.0.0.1:18093/\";\"Region\")").await.unwrap().status(), 303);
    let values =
        "nyckeltal;organisation;år;kön;värde\n1.4;0020;2025;T;7,5\n1.4;0020;2024;T;-2,5\n".to_string();
    let resp = upload("/nyckeltal/admin/import", "filer", "egna.csv", values).await.unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let resp = admin
        .post(app.url("/nyckeltal/admin/publicera"))
        .form(&[("csrf", csrf.as_str()), ("ar", "2025")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(rename("Nytt regionnamn").await.unwrap().status(), 303);

    let open = client().get(app.url("/api/v1/utgavor/2025.csv")).send().await.unwrap().text().await.unwrap();
    let (reader, _) = app.login("lasare").await;
    let data = reader.get(app.url("/nyckeltal/2025/1.4/data.csv?fokus=0020")).send().await.unwrap();
    assert_eq!(data.status(), 200);
    let data = data.text().await.unwrap();
    for (what, text) in [("open data", &open), ("data.csv", &data)] {
        let cells = csv_cells(text);
        assert!(
            cells.iter().any(|c| c.starts_with("'=HYPERLINK")),
            "{what}: frozen name, neutralised: {text}"
        );
        assert!(!text.contains("Nytt regionnamn"), "{what}: the name after publishing: {text}");
        for c in &cells {
            assert!(!c.starts_with(['=', '@', '\t', '\r']), "{what}: cell {c:?}");
            assert!(
                !c.starts_with('+')
                    && (!c.starts_with('-') || c[1..].starts_with(|d: char| d.is_ascii_digit())),
                "{what}: cell {c:?}"
            );
        }
    }
    assert!(csv_cells(&open).iter().any(|c| c == "-2,5"), "negative numbers stay numbers: {open}");
    // The JSON of the edition names the same.
    let json = client().get(app.url("/api/v1/utgavor/2025.json")).send().await.unwrap().text().await.unwrap();
    assert!(json.contains("=HYPERLINK") && !json.contains("Nytt regionnamn"), "{json}");
}

/// Finding 2, error lists: a file with thousands of bad rows gave a page with every error (a
/// 15 MB CSV gave a 139 MB page); now the first 100 and "… och N fel till.".
#[tokio::test]
async fn long_error_lists_are_capped() {
    use reqwest::multipart::{Form, Part};
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let mut text = String::from("kommunkod;kommun;år;tilldelat;återbetalt överskott;redovisat förbrukat\n");
    for _ in 0..5_000 {
        text.push_str("9999;X;2024;a;1;1\n");
    }
    let form =
        Form::new().text("ar", "2024").part("fil", Part::bytes(text.into_bytes()).file_name("fel.csv"));
    let resp =
        admin.post(app.url(&format!("/ekonomi/import?csrf={csrf}"))).multipart(form).send().await.unwrap();
    assert_eq!(resp.status(), 400);
    let body = resp.text().await.unwrap();
    assert!(body.len() < 100_000, "{} bytes", body.len());
    let more: String = body.find("… och ").map(|i| body[i..].chars().take(40).collect()).unwrap_or_default();
    assert!(more.contains("fel till."), "{more}");
}

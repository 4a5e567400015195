//! Integration tests of the foundation: log-in, sessions, CSRF, access control, organisation
//! pages, audit log, error pages, security headers. Each test starts the real server.

use crate::common::{client, csrf_of, spawn_app, PASSWORD};
use gnv_core::access::Access;
use gnv_web::routes;

fn concrete(path: &str) -> String {
    path.replace("{kod}", "2084")
        .replace("{namn}", "lasare")
        .replace("{*file}", "style.css")
        // rapportering: a year without a round answers with an empty state
        // nyckeltal: an unpublished year is shown as a preview of the current values
        .replace("{nyckeltal}", "2.1")
        .replace("{fil}", "data.csv")
        .replace("{ar}", "2024")
        .replace("{year}", "2024")
        .replace("{avsnitt}", "avslutningsord")
        .replace("{lsl}", "lsl-mora")
        .replace("{del}", "sjalvskattning")
        .replace("{org}", "lsl-mora")
        .replace("{id}", "1")
        .replace("{dok}", "1")
        .replace("{utgava}", "2024.json")
        .replace("{token}", "0")
        // planering: a year without a plan shows an empty state; the feed of a registered body.
        .replace("{planar}", "2026")
        .replace("{tillfalle}", "1")
        .replace("{kalenderfil}", "lchnv.ics")
        .replace("{typ}", "1")
        .replace("{mote}", "lchnv-2026-01-29")
}

#[tokio::test]
async fn every_route_refuses_anonymous_and_wrong_roles() {
    let app = spawn_app().await;
    let anon = client();
    // A pre-login CSRF cookie + token, so that POSTs reach the access guard.
    let login_page = anon.get(app.url("/logga-in")).send().await.unwrap().text().await.unwrap();
    let pre_csrf = csrf_of(&login_page);
    let (reader, reader_csrf) = app.login("lasare").await;
    let (respondent, resp_csrf) = app.login("respondent").await;
    let table = routes::table();
    assert!(table.len() >= 20, "route table looks incomplete");
    for r in &table {
        let url = app.url(&concrete(r.path));
        if r.access == Access::Public {
            continue;
        }
        // Anonymous.
        let resp = if r.method == "GET" {
            anon.get(&url).send().await.unwrap()
        } else {
            anon.post(&url).form(&[("csrf", pre_csrf.as_str())]).send().await.unwrap()
        };
        let s = resp.status().as_u16();
        if r.method == "GET" && !r.path.starts_with("/api/") {
            assert_eq!(s, 303, "anonymous GET {} should redirect to log-in", r.path);
            let loc = resp.headers()["location"].to_str().unwrap();
            assert!(loc.starts_with("/logga-in?nasta="), "{} redirected to {loc}", r.path);
        } else {
            assert_eq!(s, 401, "anonymous {} {} should be 401", r.method, r.path);
        }
        // Wrong roles.
        let refused_for: Vec<(&reqwest::Client, &str, &str)> = match r.access {
            Access::Admin => vec![
                (&reader, reader_csrf.as_str(), "reader"),
                (&respondent, resp_csrf.as_str(), "respondent"),
            ],
            Access::Respondent => vec![(&reader, reader_csrf.as_str(), "reader")],
            _ => vec![],
        };
        for (c, csrf, who) in refused_for {
            let resp = if r.method == "GET" {
                c.get(&url).send().await.unwrap()
            } else {
                c.post(&url).form(&[("csrf", csrf)]).send().await.unwrap()
            };
            assert_eq!(resp.status(), 403, "{who} on {} {} should be 403", r.method, r.path);
            let body = resp.text().await.unwrap();
            assert!(body.contains("Åtkomst nekad"), "403 page is Swedish");
        }
    }
    // Logged-in GET routes answer 200 for a reader.
    for r in table.iter().filter(|r| r.method == "GET" && r.access == Access::LoggedIn) {
        let resp = reader.get(app.url(&concrete(r.path))).send().await.unwrap();
        assert_eq!(resp.status(), 200, "reader GET {}", r.path);
    }
}

#[tokio::test]
async fn state_changing_request_without_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let resp = admin
        .post(app.url("/organisationer/2084"))
        .form(&[("namn", "Avesta kommun"), ("kortnamn", ""), ("beskrivning", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert!(resp.text().await.unwrap().contains("Säkerhetstoken"));
    assert_eq!(app.db.organisation("2084").await.unwrap().unwrap().name, "Avesta");
    // A wrong token is refused too.
    let resp = admin
        .post(app.url("/organisationer/2084"))
        .form(&[("csrf", "0".repeat(64).as_str()), ("namn", "Avesta kommun")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    // A cross-origin request with the right token is refused.
    let resp = admin
        .post(app.url("/organisationer/2084"))
        .header("Origin", "https://evil.example")
        .form(&[("csrf", csrf.as_str()), ("namn", "Avesta kommun")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(app.db.organisation("2084").await.unwrap().unwrap().name, "Avesta");
    // With the token it works and is audited with before and after.
    let resp = admin
        .post(app.url("/organisationer/2084"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("namn", "Avesta kommun"),
            ("kortnamn", ""),
            ("beskrivning", "Södra Dalarna"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(app.db.organisation("2084").await.unwrap().unwrap().name, "Avesta kommun");
    let audit = admin
        .get(app.url("/admin/granskningslogg?objekt=organisation"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(audit.contains("ändra") && audit.contains("2084"));
    assert!(
        audit.contains("&quot;Avesta&quot;") && audit.contains("&quot;Avesta kommun&quot;"),
        "before and after shown"
    );
}

#[tokio::test]
async fn login_failures_are_recorded_and_throttled() {
    let app = spawn_app().await;
    let c = client();
    let page = c.get(app.url("/logga-in")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<html lang=\"sv\">"));
    let csrf = csrf_of(&page);
    for _ in 0..5 {
        let resp = c
            .post(app.url("/logga-in"))
            .form(&[("csrf", csrf.as_str()), ("anvandarnamn", "admin"), ("losenord", "fel-lösenord-xyz")])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401);
        assert!(resp.text().await.unwrap().contains("Fel användarnamn eller lösenord."));
    }
    // Sixth attempt, even with the right password, is throttled.
    let resp = c
        .post(app.url("/logga-in"))
        .form(&[("csrf", csrf.as_str()), ("anvandarnamn", "admin"), ("losenord", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    assert!(resp.text().await.unwrap().contains("För många"));
    let log = app.db.audit_list(&Default::default()).await.unwrap();
    assert_eq!(log.iter().filter(|r| r.action == "misslyckad_inloggning").count(), 5);
    assert!(log.iter().any(|r| r.action == "inloggning_sparrad"));
}

#[tokio::test]
async fn session_is_new_at_each_login_and_ends_at_logout() {
    let app = spawn_app().await;
    let (c1, csrf1) = app.login("admin").await;
    let (_c2, csrf2) = app.login("admin").await;
    assert_ne!(csrf1, csrf2, "each log-in gets its own session and token");
    assert_eq!(c1.get(app.url("/admin")).send().await.unwrap().status(), 200);
    let resp = c1.post(app.url("/logga-ut")).form(&[("csrf", csrf1.as_str())]).send().await.unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(c1.get(app.url("/admin")).send().await.unwrap().status(), 303, "session gone after log-out");
}

#[tokio::test]
async fn session_cookie_is_httponly_and_samesite() {
    let app = spawn_app().await;
    let c = client();
    let page = c.get(app.url("/logga-in")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    let resp = c
        .post(app.url("/logga-in"))
        .form(&[("csrf", csrf.as_str()), ("anvandarnamn", "lasare"), ("losenord", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookies: Vec<String> =
        resp.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    let session = cookies.iter().find(|c| c.starts_with("gnv_session=")).expect("session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"));
    assert!(!session.contains("Secure"), "Secure only when configured for TLS");
}

#[tokio::test]
async fn organisation_pages_show_the_dalarna_registry() {
    let app = spawn_app().await;
    let (reader, _) = app.login("lasare").await;
    let html = reader.get(app.url("/organisationer")).send().await.unwrap().text().await.unwrap();
    for (code, name) in [("2021", "Vansbro"), ("2039", "Älvdalen"), ("2084", "Avesta"), ("2085", "Ludvika")]
    {
        assert!(
            html.contains(&format!("<td>{code}</td><td><a href=\"/organisationer/{code}\">{name}</a>")),
            "{name}"
        );
    }
    assert_eq!(html.matches("<tr><td><a href=\"/organisationer/lsl-").count(), 13, "13 LSL rows");
    assert!(html.contains("Södra Dalarna</a></td><td>Avesta, Hedemora</td>"));
    assert!(html.contains("Västerbergslagen</a></td><td>Ludvika, Smedjebacken</td>"));
    let lsl =
        reader.get(app.url("/organisationer/lsl-sodra-dalarna")).send().await.unwrap().text().await.unwrap();
    assert!(lsl.contains("Avesta") && lsl.contains("Hedemora"));
    assert!(!lsl.contains("Ändra uppgifter"), "readers see no edit form");
    let json: serde_json::Value =
        reader.get(app.url("/api/v1/organisationer")).send().await.unwrap().json().await.unwrap();
    assert_eq!(json["municipalities"].as_array().unwrap().len(), 15);
    assert_eq!(json["lsls"].as_array().unwrap().len(), 13);
}

#[tokio::test]
async fn html_in_text_fields_is_rendered_escaped() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let evil = "<script>alert('x')</script>";
    let resp = admin
        .post(app.url("/organisationer/rss"))
        .form(&[("csrf", csrf.as_str()), ("namn", "RSS Dalarna"), ("kortnamn", "RSS"), ("beskrivning", evil)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    for path in ["/organisationer/rss", "/organisationer"] {
        let html = admin.get(app.url(path)).send().await.unwrap().text().await.unwrap();
        assert!(!html.contains(evil), "{path} must not contain raw HTML");
        assert!(html.contains("&lt;script&gt;"), "{path} shows it escaped");
    }
}

#[tokio::test]
async fn moving_a_municipality_between_lsls_keeps_the_registry_valid() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    // Emptying an LSL is refused with a Swedish message and nothing changes.
    let resp = admin
        .post(app.url("/organisationer/lsl-orsa/medlemmar"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("har inga kommuner"));
    let registry = app.db.registry().await.unwrap();
    assert_eq!(registry.lsl_of("2034").unwrap().code, "lsl-orsa");
    // Respondents cannot change memberships.
    let (resp_client, resp_csrf) = app.login("respondent").await;
    let resp = resp_client
        .post(app.url("/organisationer/lsl-mora/medlemmar"))
        .form(&[("csrf", resp_csrf.as_str()), ("kommun", "2062"), ("kommun", "2034")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(app.db.registry().await.unwrap(), registry);
}

#[tokio::test]
async fn admin_creates_users_with_policy_checks() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let resp = admin
        .post(app.url("/admin/anvandare"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("anvandarnamn", "falun"),
            ("namn", "Frida"),
            ("roll", "respondent"),
            ("losenord", "kort"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("minst 12 tecken"));
    let resp = admin
        .post(app.url("/admin/anvandare"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("anvandarnamn", "falun"),
            ("namn", "Frida"),
            ("roll", "respondent"),
            ("losenord", "Långt-lösenord-2026"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400, "respondent without organisation refused");
    let resp = admin
        .post(app.url("/admin/anvandare"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("anvandarnamn", "falun"),
            ("namn", "Frida"),
            ("roll", "respondent"),
            ("organisation", "lsl-falun"),
            ("organisation", "2080"),
            ("losenord", "Långt-lösenord-2026"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let u = app.db.user_by_username("falun").await.unwrap().unwrap();
    assert_eq!(u.organisations, vec!["2080", "lsl-falun"]);
    // Deactivate: the user's sessions end.
    let resp = admin
        .post(app.url("/admin/anvandare/lasare/aktiv"))
        .form(&[("csrf", csrf.as_str()), ("aktiv", "nej")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert!(!app.db.user_by_username("lasare").await.unwrap().unwrap().active);
}

#[tokio::test]
async fn error_pages_health_and_headers() {
    let app = spawn_app().await;
    let (reader, _) = app.login("lasare").await;
    let resp = reader.get(app.url("/finns-inte")).send().await.unwrap();
    assert_eq!(resp.status(), 404);
    let h = resp.headers().clone();
    let body = resp.text().await.unwrap();
    assert!(body.contains("Sidan finns inte") && body.contains("lang=\"sv\""));
    assert!(h["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
    assert!(!h["content-security-policy"].to_str().unwrap().contains("unsafe-inline"));
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert_eq!(reader.get(app.url("/organisationer/0999")).send().await.unwrap().status(), 404);
    let health: serde_json::Value =
        client().get(app.url("/healthz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");
    let css = client().get(app.url("/static/style.css")).send().await.unwrap();
    assert_eq!(css.status(), 200);
    assert!(css.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
}

#[tokio::test]
async fn start_page_is_swedish_and_accessible_shell() {
    let app = spawn_app().await;
    let (admin, _) = app.login("admin").await;
    let html = admin.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<html lang=\"sv\">"));
    assert!(html.contains("class=\"skip-link\" href=\"#huvudinnehall\""));
    assert!(html.contains("<nav class=\"main\" aria-label=\"Huvudmeny\">"));
    assert!(html.contains("<main id=\"huvudinnehall\""));
    for label in
        ["Nyckeltal", "Rapporteringsomgång", "Planering", "Årsrapport", "Organisationer", "Administration"]
    {
        assert!(html.contains(&format!(">{label}</a>")), "nav has {label}");
    }
    let (reader, _) = app.login("lasare").await;
    let html = reader.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains(">Administration</a>"), "readers do not see Administration");
}

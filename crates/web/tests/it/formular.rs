//! Forms read into typed structs (`gnv_web::pages::form::Form`) and the notices after a redirect
//! (`gnv_web::notice`): what a user types and sees is read and shown as with the untyped field
//! bag before.

use crate::common::{client, csrf_of, spawn_app, TestApp};

#[tokio::test]
async fn form_values_are_trimmed_the_first_of_a_repeated_key_counts_and_a_password_keeps_its_spaces() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let post = |fields: Vec<(&'static str, String)>| {
        let mut form = vec![("csrf", csrf.clone())];
        form.extend(fields);
        admin.post(app.url("/organisationer/2084")).form(&form).send()
    };

    // A blank required field and a too long one: the Swedish message naming the field; nothing
    // changes.
    let resp = post(vec![("namn", "   ".into()), ("kortnamn", String::new())]).await.unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("Fältet ”Namn” måste fyllas i."));
    let resp = post(vec![("namn", "Avesta kommun".into()), ("kortnamn", "x".repeat(61))]).await.unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("Fältet ”Kortnamn” får ha högst 60 tecken."));
    assert_eq!(app.db.organisation("2084").await.unwrap().unwrap().name, "Avesta");

    // Values are trimmed, the first of a repeated key counts and an absent field reads as empty.
    let resp = post(vec![
        ("namn", "  Avesta kommun  ".into()),
        ("beskrivning", " Södra Dalarna ".into()),
        ("namn", "Ett annat namn".into()),
    ])
    .await
    .unwrap();
    assert_eq!(resp.status(), 303);
    let org = app.db.organisation("2084").await.unwrap().unwrap();
    assert_eq!((org.name.as_str(), org.short_name.as_str()), ("Avesta kommun", ""));
    assert_eq!(org.description, "Södra Dalarna");

    // A password is kept exactly as typed, spaces at its ends included; every checked
    // organisation counts and a blank one is passed over.
    let password = "  Långt lösenord 2026  ";
    let resp = admin
        .post(app.url("/admin/anvandare"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("anvandarnamn", " Falun "),
            ("namn", "Frida"),
            ("roll", "respondent"),
            ("organisation", "lsl-falun"),
            ("organisation", " "),
            ("organisation", "2080"),
            ("losenord", password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let u = app.db.user_by_username("falun").await.unwrap().unwrap();
    assert_eq!(u.organisations, vec!["2080", "lsl-falun"]);
    assert_eq!(log_in(&app, password.trim()).await, 401, "the trimmed password is another password");
    assert_eq!(log_in(&app, password).await, 303);
}

/// Logs in as `falun` with `password`; the response's status.
async fn log_in(app: &TestApp, password: &str) -> reqwest::StatusCode {
    let c = client();
    let page = c.get(app.url("/logga-in")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    let form = [("csrf", csrf.as_str()), ("anvandarnamn", "falun"), ("losenord", password)];
    c.post(app.url("/logga-in")).form(&form).send().await.unwrap().status()
}

#[tokio::test]
async fn a_notice_key_shows_the_pages_own_words_where_the_page_has_them() {
    let app = spawn_app().await;
    let (admin, _) = app.login("admin").await;
    let page = |path: &'static str| {
        let admin = admin.clone();
        let url = app.url(path);
        async move {
            let resp = admin.get(url).send().await.unwrap();
            assert_eq!(resp.status(), 200, "{path}");
            resp.text().await.unwrap()
        }
    };
    let notice = |text: &str| format!("<div class=\"flash\" role=\"status\">{text}</div>");

    // "borttagen" on the contact page and on the identity page: each page's own words.
    let html = page("/kontakter?ok=borttagen").await;
    assert!(
        html.contains(&notice(
            "Kontakten är borttagen. Granskningsloggen behåller bara organisation och funktion."
        )),
        "{html}"
    );
    let html = page("/admin/identiteter?ok=borttagen").await;
    assert!(html.contains(&notice("Kopplingen är borttagen.")), "{html}");
    // A page's own notice is not shown on another page.
    let html = page("/admin/anvandare?ok=tillagd").await;
    assert!(!html.contains("class=\"flash\""), "{html}");
    let html = page("/kontakter?ok=tillagd").await;
    assert!(html.contains(&notice("Kontakten är tillagd.")), "{html}");
    // The shared notices read the same on every page.
    for path in ["/kontakter?ok=sparat", "/organisationer/2084?ok=sparat", "/admin/identiteter?ok=sparat"] {
        assert!(page(path).await.contains(&notice("Ändringarna är sparade.")), "{path}");
    }
    let html = page("/leveranser/2026?ok=leverans").await;
    assert!(html.contains(&notice("Leveransen är registrerad.")), "{html}");
}

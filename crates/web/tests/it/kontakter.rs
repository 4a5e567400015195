//! Contacts: admin pages (Swedish order, add, edit, delete with an audit entry that keeps no
//! personal data), CSV/XLSX import (all or nothing, located errors) and export.

use crate::common::spawn_app;
use reqwest::multipart::{Form, Part};

async fn upload(
    client: &reqwest::Client,
    app: &crate::common::TestApp,
    csrf: &str,
    file_name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = Form::new().part("fil", Part::bytes(bytes).file_name(file_name.to_string()));
    client.post(app.url(&format!("/kontakter/import?csrf={csrf}"))).multipart(form).send().await.unwrap()
}

async fn add(
    client: &reqwest::Client,
    app: &crate::common::TestApp,
    csrf: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut form = vec![("csrf", csrf)];
    form.extend_from_slice(fields);
    client.post(app.url("/kontakter")).form(&form).send().await.unwrap()
}

#[tokio::test]
async fn admin_adds_edits_and_deletes_contacts_and_the_audit_keeps_no_personal_data() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    // Only admins see contacts.
    for who in ["respondent", "lasare"] {
        let (c, _) = app.login(who).await;
        let status = c.get(app.url("/kontakter")).send().await.unwrap().status();
        assert_eq!(status, 403, "{who} may not see contacts");
    }

    // A contact that does not fit: socialchef of an LSL, a bad address and phone; nothing stored.
    let resp = add(
        &admin,
        &app,
        &csrf,
        &[
            ("organisation", "lsl-mora"),
            ("funktion", "socialchef"),
            ("namn", "Karin Ek"),
            ("epost", "karin.ek@"),
            ("telefon", "ring mig"),
        ],
    )
    .await;
    assert_eq!(resp.status(), 400);
    let page = resp.text().await.unwrap();
    assert!(
        page.contains("fält funktion: Socialchef hör till en kommun, men Mora är lokal systemledning."),
        "{page}"
    );
    assert!(page.contains("fält e-post: &quot;karin.ek@&quot; är ingen giltig e-postadress."), "{page}");
    assert!(page.contains("fält telefon:"));
    assert!(app.db.contacts().await.unwrap().is_empty());

    for (org, function, name, email) in [
        ("2039", "socialchef", "Örjan Älv", "orjan@alvdalen.example.se"),
        ("2084", "ekonomichef", "Anna Avesta", "anna@avesta.example.se"),
        ("2062", "socialchef", "Karin Ek", "karin.ek@mora.example.se"),
        ("lsl-mora", "ordforande_lsl", "Per Berg", "per.berg@mora.example.se"),
    ] {
        let resp = add(
            &admin,
            &app,
            &csrf,
            &[
                ("organisation", org),
                ("funktion", function),
                ("namn", name),
                ("epost", email),
                ("telefon", ""),
            ],
        )
        .await;
        assert_eq!(resp.status(), 303, "{name}");
    }
    // The same person twice in the same function is refused.
    let resp = add(
        &admin,
        &app,
        &csrf,
        &[
            ("organisation", "2062"),
            ("funktion", "socialchef"),
            ("namn", "K Ek"),
            ("epost", "KARIN.EK@mora.example.se"),
        ],
    )
    .await;
    assert_eq!(resp.status(), 400);

    // Listed per organisation in Swedish order (Ä after Z), organisations without contacts named.
    let page = admin.get(app.url("/kontakter")).send().await.unwrap().text().await.unwrap();
    let at = |s: &str| page.find(s).unwrap_or_else(|| panic!("{s} not on the page"));
    assert!(
        at("Anna Avesta") < at("Per Berg")
            && at("Per Berg") < at("Karin Ek")
            && at("Karin Ek") < at("Örjan Älv")
    );
    let missing = &page[at("Saknar kontakter:")..];
    assert!(
        missing.contains("Borlänge") && !missing[..missing.find('.').unwrap()].contains("Avesta"),
        "{missing}"
    );

    // Edit: link to the respondent's account and change the phone.
    let id = app.db.contacts().await.unwrap().into_iter().find(|c| c.name == "Karin Ek").unwrap().id;
    let respondent_id =
        app.db.users().await.unwrap().into_iter().find(|u| u.username == "respondent").unwrap().id;
    let edit = admin.get(app.url(&format!("/kontakter/{id}"))).send().await.unwrap();
    assert_eq!(edit.status(), 200);
    let resp = admin
        .post(app.url(&format!("/kontakter/{id}")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("organisation", "2062"),
            ("funktion", "socialchef"),
            ("namn", "Karin Ek"),
            ("epost", "karin.ek@mora.example.se"),
            ("telefon", "0250-123 45"),
            ("konto", &respondent_id.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let c = app.db.contact(id).await.unwrap().unwrap();
    assert_eq!(c.phone, "0250-123 45");
    assert_eq!(c.user.map(|u| u.1), Some("respondent".to_string()));

    // Delete: gone, and no audit entry of any contact holds a name, address or phone.
    let resp = admin
        .post(app.url(&format!("/kontakter/{id}/ta-bort")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert!(app.db.contact(id).await.unwrap().is_none());
    let entries: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT action, before_json, after_json FROM audit_log WHERE entity = 'kontakt' ORDER BY id",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        entries.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(),
        ["skapa", "skapa", "skapa", "skapa", "andra", "ta_bort"]
    );
    let all = format!("{entries:?}");
    for personal in ["Karin", "karin.ek", "0250", "Örjan", "orjan@", "Per Berg"] {
        assert!(!all.contains(personal), "audit keeps {personal}: {all}");
    }
    assert!(entries[5].1.as_deref().unwrap().contains("\"funktion\":\"socialchef\""));
}

#[tokio::test]
async fn an_import_with_errors_names_file_row_and_column_and_writes_nothing_and_export_reads_back() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let bad = "organisation;funktion;namn;e-post;telefon\n\
               2062;socialchef;Karin Ek;karin.ek@mora.example.se;0250-123 45\n\
               Mora;ordförande LSL;Per Berg;per.berg@mora.example.se;\n\
               2099;ekonomichef;Ola Ek;ola@example.se;\n\
               2084;chef;Eva Ek;eva@avesta;\n";
    let resp = upload(&admin, &app, &csrf, "kontakter.csv", bad.as_bytes().to_vec()).await;
    assert_eq!(resp.status(), 400);
    let page = resp.text().await.unwrap();
    assert!(page.contains("Inget har importerats."));
    for expected in [
        "fil kontakter.csv, rad 4, fält organisation: Organisationen &quot;2099&quot; finns inte i registret",
        "fil kontakter.csv, rad 5, fält funktion: Okänd funktion &quot;chef&quot;",
        "fil kontakter.csv, rad 5, fält e-post: &quot;eva@avesta&quot; är ingen giltig e-postadress.",
    ] {
        assert!(page.contains(expected), "{expected}\n{page}");
    }
    assert!(app.db.contacts().await.unwrap().is_empty(), "all or nothing");

    // The good rows import; "Mora" with ordförande LSL means LSL Mora.
    let good: String = bad.lines().take(3).map(|l| format!("{l}\n")).collect();
    let resp = upload(&admin, &app, &csrf, "kontakter.csv", good.into_bytes()).await;
    assert_eq!(resp.status(), 200);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("Importen är klar: 2 nya kontakter, 0 ändrade, 0 oförändrade."));
    let stored = app.db.contacts().await.unwrap();
    assert!(stored.iter().any(|c| c.org_code == "lsl-mora" && c.name == "Per Berg"));

    // Export as XLSX, delete everything, import the exported file: the same contacts.
    let xlsx = admin.get(app.url("/kontakter/kontakter.xlsx")).send().await.unwrap();
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.unwrap().to_vec();
    let csv = admin.get(app.url("/kontakter/kontakter.csv")).send().await.unwrap().text().await.unwrap();
    assert!(csv.contains("organisation;funktion;namn;e-post;telefon"), "{csv}");
    for c in &stored {
        app.db.delete_contact(c.id, &gnv_storage::Actor::cli()).await.unwrap();
    }
    let resp = upload(&admin, &app, &csrf, "kontakter.xlsx", bytes).await;
    assert_eq!(resp.status(), 200);
    let again: Vec<_> = app.db.contacts().await.unwrap().iter().map(|c| c.as_new()).collect();
    assert_eq!(again, stored.iter().map(|c| c.as_new()).collect::<Vec<_>>());
    // The CSV export imports too (nothing new, nothing changed).
    let resp = upload(&admin, &app, &csrf, "kontakter.csv", csv.into_bytes()).await;
    assert!(resp.text().await.unwrap().contains("0 nya kontakter, 0 ändrade, 2 oförändrade"));
}

//! Reporting round: opening, invitations, answering by link and by account, locks, reopening,
//! access between organisations, and the self-assessment numbers of DOMAIN.md §6.

use crate::common::{client, csrf_of, spawn_app, TestApp, OPEN_UNTIL};
use gnv_core::rapportering::formular::{FormContext, Mode};
use gnv_core::rapportering::{Event, Part, Status};
use gnv_storage::Actor;

const FULL: [(&str, &str); 10] = [
    ("respondent", "Eva Berg"),
    ("roll", "ordförande"),
    ("perspektiv", "bada"),
    ("delmal1", "3"),
    ("delmal2", "4"),
    ("delmal3", "3"),
    ("delmal4", "4"),
    ("delmal5", "2"),
    ("tillampat", "ja"),
    ("reflektion1", "Vi har börjat med gemensamma möten."),
];

async fn open_round(app: &TestApp, year: &str) -> (reqwest::Client, String) {
    let (admin, csrf) = app.login("admin").await;
    let resp = admin
        .post(app.url("/rapportering"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("ar", year),
            ("sista_dag", OPEN_UNTIL),
            ("del", "sjalvskattning"),
            ("del", "kartlaggning"),
            ("del", "kommunenkat"),
            ("del", "ekonomi"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    (admin, csrf)
}

fn link_in(page: &str) -> String {
    let i = page.find("/svar/").expect("link shown");
    page[i..i + 6 + 64].to_string()
}

async fn invite(app: &TestApp, admin: &reqwest::Client, csrf: &str, target: &str) -> String {
    let resp = admin
        .post(app.url("/rapportering/2025/inbjudan"))
        .form(&[
            ("csrf", csrf),
            ("mottagare", target),
            ("satt", "lank"),
            ("namn", "Eva Berg"),
            ("epost", "eva.berg@example.se"),
            ("dagar", "30"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    link_in(&resp.text().await.unwrap())
}

#[tokio::test]
async fn a_round_is_opened_with_all_four_parts_and_status_per_organisation() {
    let app = spawn_app().await;
    let (admin, _) = open_round(&app, "2025").await;
    let page = admin.get(app.url("/rapportering/2025")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Självskattning: <span class=\"answered\">0 av 13 har svarat</span>"), "{page}");
    assert!(
        page.contains("Kommunenkät till Socialstyrelsen: <span class=\"answered\">0 av 15 har svarat</span>")
    );
    assert!(page.contains("Ekonomisk redovisning: <span class=\"answered\">0 av 15 har svarat</span>"));
    // Generic API for the other parts.
    let a = Actor::cli();
    assert_eq!(app.db.round_part_status(2025, Part::Ekonomi, "2084").await.unwrap(), Status::EjPaborjad);
    app.db.apply_round_part_event(2025, Part::Ekonomi, "2084", Event::Submit, &a).await.unwrap();
    let e = app.db.apply_round_part_event(2025, Part::Ekonomi, "2084", Event::Submit, &a).await.unwrap_err();
    assert!(e.to_string().contains("redan inskickat"), "{e}");
    app.db.set_round_part_status(2025, Part::Ekonomi, "2083", Status::Utkast, &a).await.unwrap();
    assert!(app.db.round_part_status(2025, Part::Ekonomi, "lsl-mora").await.is_err());
    let page = admin.get(app.url("/rapportering/2025")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Ekonomisk redovisning: <span class=\"answered\">1 av 15 har svarat</span>"));
    // A second round for the same year is refused with a Swedish message.
    let (admin, csrf) = app.login("admin").await;
    let resp = admin
        .post(app.url("/rapportering"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("ar", "2025"),
            ("sista_dag", OPEN_UNTIL),
            ("del", "sjalvskattning"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("Det finns redan en rapporteringsomgång för 2025."));
}

#[tokio::test]
async fn link_respondent_saves_draft_returns_and_submits_once() {
    let app = spawn_app().await;
    let (admin, csrf) = open_round(&app, "2025").await;
    let link = invite(&app, &admin, &csrf, "sjalvskattning:lsl-gagnef").await;
    // The invitation was e-mailed through the file transport and only a hash is stored.
    let mails: Vec<_> = std::fs::read_dir(&app.mail_dir).unwrap().collect();
    assert_eq!(mails.len(), 1);
    let eml = std::fs::read_to_string(mails[0].as_ref().unwrap().path()).unwrap();
    assert!(eml.contains(&link[6..30]), "mail contains the link");
    let token = &link[6..];
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM invitation_token WHERE token_hash = $1")
        .bind(token)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(n, 0, "the plain token is not stored");

    let anon = client();
    let page = anon.get(app.url(&link)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Gagnef"));
    let t = csrf_of(&page);
    // Draft with one answer.
    let resp = anon
        .post(app.url(&link))
        .form(&[("csrf", t.as_str()), ("atgard", "utkast"), ("respondent", "Eva Berg"), ("delmal1", "3")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(
        app.db.round_part_status(2025, Part::Sjalvskattning, "lsl-gagnef").await.unwrap(),
        Status::Utkast
    );
    // Leave and come back with the link in a new browser: the draft is there.
    let again = client();
    let page = again.get(app.url(&link)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"delmal1_3\" name=\"delmal1\" value=\"3\" checked"), "draft restored");
    let t = csrf_of(&page);
    // Missing required answers and a value outside the scale: Swedish messages, nothing changed.
    let resp = again
        .post(app.url(&link))
        .form(&[
            ("csrf", t.as_str()),
            ("atgard", "skicka"),
            ("respondent", "Eva Berg"),
            ("delmal1", "3"),
            ("delmal2", "7"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body = resp.text().await.unwrap();
    assert!(body.contains("Värdet 7 ligger utanför skalan 1–5"), "{body}");
    assert!(body.contains("Frågan ”Din roll i den lokala systemledningen” måste besvaras."), "{body}");
    assert!(body.contains("Inget har sparats"));
    assert_eq!(
        app.db.round_part_status(2025, Part::Sjalvskattning, "lsl-gagnef").await.unwrap(),
        Status::Utkast
    );
    let stored = app.db.responses(2025, Part::Sjalvskattning).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].answers.len(), 2, "the draft is unchanged");
    // Complete submission.
    let mut form: Vec<(&str, &str)> = vec![("csrf", t.as_str()), ("atgard", "skicka")];
    form.extend(FULL);
    let resp = again.post(app.url(&link)).form(&form).send().await.unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(
        app.db.round_part_status(2025, Part::Sjalvskattning, "lsl-gagnef").await.unwrap(),
        Status::Inskickad
    );
    // Double submission is refused and changes nothing.
    let mut changed = form.clone();
    changed.retain(|(k, _)| *k != "delmal1");
    changed.push(("delmal1", "5"));
    let resp = again.post(app.url(&link)).form(&changed).send().await.unwrap();
    assert_eq!(resp.status(), 409);
    assert!(resp.text().await.unwrap().contains("Svaret är redan inskickat."));
    let stored = app.db.responses(2025, Part::Sjalvskattning).await.unwrap();
    assert_eq!(stored[0].answers["delmal1"], gnv_core::rapportering::formular::Value::Skala(3));
    // Status and summary reflect the submission.
    let page = admin.get(app.url("/rapportering/2025")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("1 av 13 har svarat"));
    let json: serde_json::Value = admin
        .get(app.url("/api/v1/rounds/2025/sjalvskattning/summary"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(json["years"][0]["answered_text"], "1 av 13");
    assert_eq!(json["years"][0]["subgoals"][1]["mean"], 4.0);
}

#[tokio::test]
async fn revoked_and_expired_links_are_refused() {
    let app = spawn_app().await;
    let (admin, csrf) = open_round(&app, "2025").await;
    let link = invite(&app, &admin, &csrf, "kartlaggning:lsl-orsa").await;
    let anon = client();
    assert_eq!(anon.get(app.url(&link)).send().await.unwrap().status(), 200);
    let inv = app.db.invitations(2025).await.unwrap().remove(0);
    let resp = admin
        .post(app.url(&format!("/rapportering/2025/inbjudan/{}/aterkalla", inv.id)))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let resp = anon.get(app.url(&link)).send().await.unwrap();
    assert_eq!(resp.status(), 403);
    assert!(resp.text().await.unwrap().contains("Länken har återkallats"));
    // Expired.
    let link2 = invite(&app, &admin, &csrf, "kartlaggning:lsl-orsa").await;
    sqlx::query("UPDATE invitation SET expires_at = '2020-01-01T00:00:00Z' WHERE revoked_at IS NULL")
        .execute(app.db.pool())
        .await
        .unwrap();
    let resp = anon.get(app.url(&link2)).send().await.unwrap();
    assert_eq!(resp.status(), 403);
    assert!(resp.text().await.unwrap().contains("har gått ut"));
    // A POST with an expired link stores nothing.
    let page = anon.get(app.url("/logga-in")).send().await.unwrap().text().await.unwrap();
    let t = csrf_of(&page);
    let resp =
        anon.post(app.url(&link2)).form(&[("csrf", t.as_str()), ("atgard", "utkast")]).send().await.unwrap();
    assert_eq!(resp.status(), 403);
    assert!(app.db.responses(2025, Part::Kartlaggning).await.unwrap().is_empty());
    // An unknown token.
    let resp = anon.get(app.url(&format!("/svar/{}", "a".repeat(64)))).send().await.unwrap();
    assert_eq!(resp.status(), 404);
}

#[tokio::test]
async fn a_respondent_cannot_read_or_submit_for_another_lsl() {
    let app = spawn_app().await;
    open_round(&app, "2025").await;
    let (resp_client, csrf) = app.login("respondent").await;
    let own =
        resp_client.get(app.url("/rapportering/2025/svara/sjalvskattning/lsl-mora")).send().await.unwrap();
    assert_eq!(own.status(), 200);
    let other =
        resp_client.get(app.url("/rapportering/2025/svara/sjalvskattning/lsl-falun")).send().await.unwrap();
    assert_eq!(other.status(), 403);
    let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str()), ("atgard", "skicka")];
    form.extend(FULL);
    let resp = resp_client
        .post(app.url("/rapportering/2025/svara/sjalvskattning/lsl-falun"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert!(app.db.responses(2025, Part::Sjalvskattning).await.unwrap().is_empty());
    assert_eq!(
        app.db.round_part_status(2025, Part::Sjalvskattning, "lsl-falun").await.unwrap(),
        Status::EjPaborjad
    );
    // Own LSL works; then the lock holds and an admin reopens with a reason.
    let resp = resp_client
        .post(app.url("/rapportering/2025/svara/sjalvskattning/lsl-mora"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let (admin, acsrf) = app.login("admin").await;
    let resp = admin
        .post(app.url("/rapportering/2025/ateroppna/sjalvskattning/lsl-mora"))
        .form(&[("csrf", acsrf.as_str()), ("skal", " ")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("Ange ett skäl"));
    let resp = admin
        .post(app.url("/rapportering/2025/ateroppna/sjalvskattning/lsl-mora"))
        .form(&[("csrf", acsrf.as_str()), ("skal", "Fel perspektiv angivet")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(
        app.db.round_part_status(2025, Part::Sjalvskattning, "lsl-mora").await.unwrap(),
        Status::Ateroppnad
    );
    let audit = admin.get(app.url("/admin/granskningslogg")).send().await.unwrap().text().await.unwrap();
    assert!(audit.contains("Fel perspektiv angivet"), "reason audited");
    // The respondent may now change and submit again.
    let resp = resp_client
        .post(app.url("/rapportering/2025/svara/sjalvskattning/lsl-mora"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(
        app.db.round_part_status(2025, Part::Sjalvskattning, "lsl-mora").await.unwrap(),
        Status::Inskickad
    );
}

#[tokio::test]
async fn reminders_go_to_those_who_have_not_submitted() {
    let app = spawn_app().await;
    let (admin, csrf) = open_round(&app, "2025").await;
    invite(&app, &admin, &csrf, "sjalvskattning:lsl-gagnef").await;
    invite(&app, &admin, &csrf, "sjalvskattning:lsl-orsa").await;
    // Orsa submits.
    let def = app.db.round_form(2025, Part::Sjalvskattning).await.unwrap().unwrap();
    let fields: Vec<(String, String)> = FULL.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let answers = def.validate(&fields, &FormContext::default(), Mode::Submit).unwrap();
    app.db
        .save_response(2025, Part::Sjalvskattning, "lsl-orsa", "x", &answers, Event::Submit, &Actor::cli())
        .await
        .unwrap();
    let resp = admin
        .post(app.url("/rapportering/2025/paminnelse"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let mails = app.db.mails(2025).await.unwrap();
    let reminders: Vec<_> = mails.iter().filter(|m| m.kind == "paminnelse").collect();
    assert_eq!(reminders.len(), 1, "only Gagnef is reminded");
    assert_eq!(reminders[0].org_code, "lsl-gagnef");
    assert_eq!(std::fs::read_dir(&app.mail_dir).unwrap().count(), 3);
}

/// A hand-made two-year data set; the expected numbers are worked out by hand from DOMAIN.md §6.
#[tokio::test]
async fn two_year_data_set_gives_the_section_6_numbers() {
    let app = spawn_app().await;
    let registry = app.db.registry().await.unwrap();
    let subgoals = app.db.subgoals().await.unwrap();
    let history = "år;lsl;respondent;roll;perspektiv;delmal1;delmal2;delmal3;delmal4;delmal5;tillampat\n\
                   2023;Mora;;;;3;2,5;3;3;2;ja\n2023;Falun;;;;3;3;2;3;3;nej\n";
    let rounds =
        gnv_core::sjalvskattning::import_csv(history, &registry, &Default::default(), &subgoals).unwrap();
    app.db.import_sjalvskattning_history(&rounds, &Actor::cli()).await.unwrap();
    app.db.create_round(2024, OPEN_UNTIL, &[Part::Sjalvskattning], &registry, &Actor::cli()).await.unwrap();
    let def = app.db.round_form(2024, Part::Sjalvskattning).await.unwrap().unwrap();
    let data: [(&str, &str, [u8; 5], &str); 5] = [
        ("lsl-mora", "A", [4, 2, 3, 3, 2], "ja"),
        ("lsl-mora", "B", [4, 3, 3, 4, 2], "nej"),
        ("lsl-falun", "C", [3, 3, 2, 4, 3], "ja"),
        ("lsl-orsa", "D", [2, 2, 2, 3, 1], "nej"),
        ("lsl-gagnef", "E", [3, 4, 3, 4, 2], "nej"),
    ];
    for (lsl, who, r, applied) in data {
        let mut f = vec![
            ("respondent".to_string(), who.to_string()),
            ("roll".into(), "ledamot".into()),
            ("perspektiv".into(), "kommun".into()),
            ("tillampat".into(), applied.into()),
        ];
        f.extend(r.iter().enumerate().map(|(i, v)| (format!("delmal{}", i + 1), v.to_string())));
        let answers = def.validate(&f, &FormContext::default(), Mode::Submit).unwrap();
        app.db
            .save_response(2024, Part::Sjalvskattning, lsl, who, &answers, Event::Submit, &Actor::cli())
            .await
            .unwrap();
    }
    let (c, _) = app.login("lasare").await;
    let s: serde_json::Value = c
        .get(app.url("/api/v1/rounds/2024/sjalvskattning/summary"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let y = &s["years"][1];
    assert_eq!(s["years"][0]["year"], 2023);
    assert_eq!(y["year"], 2024);
    assert_eq!(y["answered"], 4);
    assert_eq!(y["answered_text"], "4 av 13");
    assert_eq!(y["applied_table"], 2, "Mora (one ja) and Falun");
    assert_eq!(y["applied_table_text"], "2 av 4");
    let close = |v: &serde_json::Value, x: f64| (v.as_f64().unwrap() - x).abs() < 1e-9;
    let sg = |n: usize| &y["subgoals"][n - 1];
    // Means: values per LSL (Mora = mean of its two respondents).
    for (n, mean) in [(1, 3.0), (2, 2.875), (3, 2.5), (4, 3.625), (5, 2.0)] {
        assert!(close(&sg(n)["mean"], mean), "mean of sub-goal {n}: {}", sg(n)["mean"]);
    }
    // Population standard deviations and ranges.
    for (n, sd, range) in [
        (1, 0.5f64.sqrt(), 2.0),
        (2, 0.546875f64.sqrt(), 2.0),
        (3, 0.5, 1.0),
        (4, 0.171875f64.sqrt(), 1.0),
        (5, 0.5f64.sqrt(), 2.0),
    ] {
        assert!(close(&sg(n)["std_dev"], sd), "sd of sub-goal {n}: {}", sg(n)["std_dev"]);
        assert!(close(&sg(n)["range"], range), "range of sub-goal {n}");
    }
    assert_eq!(y["highest"], serde_json::json!([4]));
    assert_eq!(y["lowest"], serde_json::json!([5]));
    assert_eq!(y["largest_spread"], serde_json::json!([2]));
    // Distribution of sub-goal 2 including the half step from Mora.
    let dist: Vec<(f64, u64)> = sg(2)["distribution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["value"].as_f64().unwrap(), o["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(dist, vec![(1.0, 0), (2.0, 1), (2.5, 1), (3.0, 1), (4.0, 1), (5.0, 0)]);
    assert_eq!(sg(2)["distribution"][2]["lsls"], serde_json::json!(["lsl-mora"]));
    // Footnotes for Mora's averaged sub-goals.
    let notes = y["footnotes"].as_array().unwrap();
    assert!(notes
        .iter()
        .any(|n| n == "Värdet för Mora, delmål 2, är medelvärdet av två svar (2 och 3) som skilde sig åt."));
    assert!(notes
        .iter()
        .any(|n| n == "Värdet för Mora, delmål 4, är medelvärdet av två svar (3 och 4) som skilde sig åt."));
    // Year-on-year: 2023 means 3,0 / 2,75→2,8 / 2,5 / 3,0 / 2,5.
    let ch = &s["comparisons"][0]["changes"];
    assert_eq!(ch[0]["kind"], "unchanged");
    assert_eq!(ch[1]["kind"], "marginal_increase");
    assert_eq!(ch[1]["sentence"], "Medelvärdet för Nära för alla har ökat marginellt från 2,8 till 2,9.");
    assert_eq!(ch[2]["kind"], "unchanged");
    assert_eq!(ch[3]["kind"], "increase");
    assert_eq!(ch[4]["kind"], "decrease");
    // The pages show the same.
    let page =
        c.get(app.url("/rapportering/2024/sjalvskattning")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("4 av 13 lokala systemledningar har besvarat självskattningen."));
    assert!(page.contains("2 av 4 har tillämpat självskattningstabellen."));
    assert!(page.contains("<svg"), "figure 2 chart");
    let mora = c
        .get(app.url("/rapportering/2024/sjalvskattning/lsl-mora"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(mora.contains("Finns samsyn i den lokala systemledningen"));
}

#[tokio::test]
async fn history_import_is_all_or_nothing_with_located_messages() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let bad =
        "år;lsl;delmal1;delmal2;delmal3;delmal4;delmal5\n2022;Mora;3;3;3;3;3\n2022;Atlantis;3;3;3;3;9\n";
    let part = reqwest::multipart::Part::bytes(bad.as_bytes().to_vec()).file_name("historik.csv");
    let resp = admin
        .post(app.url(&format!("/rapportering/historik?csrf={csrf}")))
        .multipart(reqwest::multipart::Form::new().part("fil", part))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body = resp.text().await.unwrap();
    assert!(body.contains("fil historik.csv, rad 3"), "{body}");
    assert!(app.db.sjalvskattning_history_years().await.unwrap().is_empty());
    let good = "år;lsl;delmal1;delmal2;delmal3;delmal4;delmal5\n2022;Mora;3;2,5;3;3;3\n";
    let part = reqwest::multipart::Part::bytes(good.as_bytes().to_vec()).file_name("historik.csv");
    let resp = admin
        .post(app.url(&format!("/rapportering/historik?csrf={csrf}")))
        .multipart(reqwest::multipart::Form::new().part("fil", part))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(app.db.sjalvskattning_history_years().await.unwrap(), vec![2022]);
}

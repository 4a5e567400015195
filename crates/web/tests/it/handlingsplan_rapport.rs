//! Issue #15, item 6 through the real server: the regional action plan's follow-up as section
//! 3.6 of the report preview (statuses and activities registered over HTTP, an annual review
//! giving version 2), and the mapping form's version 2 topics as counted sentences — only for a
//! round on the new form version.

use crate::common::{open_round_with, spawn_app, TestApp};
use gnv_core::planering::ActionPlanVersion;
use gnv_core::rapportering::formular::{FormContext, Mode};
use gnv_core::rapportering::{Event, Part};
use gnv_exempel::planering::{demo_action_plan, demo_plan_2026};
use gnv_storage::Actor;

fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ").replace("&amp;", "&").replace("&quot;", "\"")
}

async fn post(c: &reqwest::Client, url: String, form: &[(&str, &str)]) -> u16 {
    let r = c.post(url).form(form).send().await.unwrap();
    let s = r.status().as_u16();
    let body = r.text().await.unwrap();
    assert!(s == 303, "{s}: {}", text_of(&body));
    s
}

async fn preview(app: &TestApp, c: &reqwest::Client, year: i32) -> String {
    let r = c.get(app.url(&format!("/arsrapport/{year}"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    text_of(&r.text().await.unwrap())
}

#[tokio::test]
async fn the_report_follows_up_the_action_plan_on_three_levels_from_what_was_registered() {
    let app = spawn_app().await;
    let registry = app.db.registry().await.unwrap();
    let v1 = ActionPlanVersion::first(demo_action_plan(), 2026, &registry).unwrap();
    app.db.insert_action_plan_version(&v1, "Antagen", &Actor::cli()).await.unwrap();
    app.db.create_annual_plan(&demo_plan_2026(), &Actor::cli()).await.unwrap();
    let (admin, csrf) = app.login("admin").await;
    // The year's follow-up: two tactical statuses and held activities.
    let status = app.url("/planering/handlingsplan/status");
    for (action, date, s) in [("1.1.2", "2026-03-20", "Pågår"), ("1.2.1", "2026-05-22", "Klar")] {
        post(&admin, status.clone(), &[("csrf", &csrf), ("atgard", action), ("datum", date), ("status", s)])
            .await;
    }
    let occurrences = app.url("/planering/arsplan/2026/tillfallen");
    for (activity, date) in [
        ("Regionala nätverksträffar", "2026-02-12"),
        ("Regionala nätverksträffar", "2026-04-23"),
        ("Regionala nätverksträffar", "2026-09-24"),
        ("Regionalt informationsforum", "2026-04-16"),
        ("Regionalt informationsforum", "2026-11-19"),
    ] {
        post(
            &admin,
            occurrences.clone(),
            &[
                ("csrf", &csrf),
                ("aktivitet", activity),
                ("datum", date),
                ("status", "Genomförd"),
                ("lsl", "lsl-mora"),
            ],
        )
        .await;
    }
    let (reader, _) = app.login("lasare").await;
    let page = preview(&app, &reader, 2026).await;
    for phrase in [
        "3.6 Uppföljning av den regionala handlingsplanen",
        "har Länschefsnätverket som avsändare och löper 2026–2030. Uppföljningen för 2026 avser planens version 1, antagen 2026,",
        "3.6.1 Strategisk nivå – ”Har vi uppnått målet?”",
        "Uppgifter saknas för nyckeltalens trender 2026: ingen publicerad utgåva av infografiken finns för rapporten.",
        "Under 2026 har status registrerats för 2 av 7 åtgärder på taktisk nivå.",
        "1 av 7 åtgärder pågår, 1 är klar och 5 är ej påbörjade.",
        "3 av 4–5 nätverksträffar",
        "2 av 2 informationsforum",
    ] {
        assert!(page.contains(phrase), "2026 preview lacks «{phrase}»: {page}");
    }
    // A year before the plan's period: no section, no mention.
    let page = preview(&app, &reader, 2025).await;
    assert!(!page.contains("3.6 Uppföljning") && !page.contains("handlingsplanen"), "{page}");

    // The annual review 2027 through its form (every action kept as it is) gives version 2.
    let mut fields: Vec<(String, String)> =
        vec![("csrf".into(), csrf.clone()), ("oversynsar".into(), "2027".into())];
    for r in v1.plan.actions() {
        let k = r.key.to_string();
        fields.push((format!("a-{k}-text"), r.action.text.clone()));
        fields.push((format!("a-{k}-ansvarig"), r.action.responsible.clone()));
        fields.push((format!("a-{k}-fran"), r.action.time_frame.from().to_string()));
        fields.push((format!("a-{k}-till"), r.action.time_frame.to().to_string()));
        fields.push((format!("a-{k}-niva"), format!("{:?}", r.action.level).to_lowercase()));
    }
    post(
        &admin,
        app.url("/planering/handlingsplan/oversyn"),
        &fields.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect::<Vec<_>>(),
    )
    .await;
    post(
        &admin,
        status.clone(),
        &[("csrf", &csrf), ("atgard", "1.1.2"), ("datum", "2027-02-01"), ("status", "Klar")],
    )
    .await;
    let page = preview(&app, &reader, 2027).await;
    for phrase in [
        "Uppföljningen för 2027 avser planens version 2 från den årliga översynen 2027",
        "Under 2027 har status registrerats för 1 av 7 åtgärder på taktisk nivå.",
        "2 av 7 åtgärder är klara och 5 är ej påbörjade.",
        "Uppgifter saknas för årsplaneringen 2027:",
    ] {
        assert!(page.contains(phrase), "2027 preview lacks «{phrase}»: {page}");
    }
    // The 2026 report still reads version 1 as of 31 December 2026.
    let page = preview(&app, &reader, 2026).await;
    assert!(
        page.contains("version 1, antagen 2026") && page.contains("1 av 7 åtgärder pågår, 1 är klar"),
        "{page}"
    );
}

/// A mapping answer with the version 2 topics when `v2` is given as (user representative,
/// systematic POLSAM collaboration).
fn mapping(v2: Option<(&str, &str)>) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = [
        ("sammankallande_struktur", "ja"),
        ("sammankallande", "Områdessamordnaren"),
        ("ordforande_finns", "ja"),
        ("ordforande", "Socialchefen"),
        ("medlemmar", "kommun: Socialchef"),
        ("motesfrekvens", "1-per-manad"),
        ("polsam", "ja"),
        ("politisk_representation", "nej"),
        ("brukarinflytande", "nej"),
        ("lokal_plan", "ja"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    if let Some((rep, systematic)) = v2 {
        f.push(("brukarrepresentant".into(), rep.into()));
        f.push(("polsam_systematisk".into(), systematic.into()));
    }
    f
}

/// Stores another LSL's submitted answer as the answering page would (form engine, submit).
async fn submit_for(app: &TestApp, year: i32, lsl: &str, f: Vec<(String, String)>) {
    let registry = app.db.registry().await.unwrap();
    let def = app.db.round_form(year, Part::Kartlaggning).await.unwrap().unwrap();
    let l = registry.lsls.iter().find(|l| l.code == lsl).unwrap();
    let ctx = FormContext {
        municipalities: l
            .municipalities
            .iter()
            .map(|c| (c.clone(), registry.name_of(c).unwrap_or_default().to_string()))
            .collect(),
    };
    let mut f = f;
    f.extend(l.municipalities.iter().map(|c| (format!("kommunikationsplan_{c}"), "nej".to_string())));
    let answers = def.validate(&f, &ctx, Mode::Submit).unwrap();
    app.db
        .save_response(year, Part::Kartlaggning, lsl, "gemensamt", &answers, Event::Submit, &Actor::cli())
        .await
        .unwrap();
}

#[tokio::test]
async fn the_mapping_form_s_version_2_topics_are_counted_only_for_rounds_on_that_version() {
    let app = spawn_app().await;
    // 2025: a new round gets the newest form, version 2.
    open_round_with(&app.db, 2025, &[Part::Kartlaggning]).await;
    assert_eq!(app.db.round_form(2025, Part::Kartlaggning).await.unwrap().unwrap().version, 2);
    // 2024: a round opened before version 2 existed keeps version 1.
    open_round_with(&app.db, 2024, &[Part::Kartlaggning]).await;
    sqlx::query("UPDATE round_part SET form_version = 1 WHERE year = 2024 AND part = 'kartlaggning'")
        .execute(app.db.pool())
        .await
        .unwrap();
    let (c, csrf) = app.login("respondent").await;
    let form = text_of(
        &c.get(app.url("/rapportering/2025/svara/kartlaggning/lsl-mora"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert!(form.contains("Ingår en brukarrepresentant i den lokala systemledningen?"), "{form}");
    assert!(form.contains("Samverkar den lokala systemledningen systematiskt med POLSAM?"), "{form}");
    let old = text_of(
        &c.get(app.url("/rapportering/2024/svara/kartlaggning/lsl-mora"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert!(!old.contains("brukarrepresentant"), "{old}");
    // Version 2 requires the new questions; Mora then answers them over HTTP.
    let send = |f: Vec<(String, String)>| {
        let mut form = f;
        form.extend(
            [("kommunikationsplan_2062", "ja"), ("atgard", "skicka"), ("csrf", csrf.as_str())]
                .map(|(a, b)| (a.to_string(), b.to_string())),
        );
        c.post(app.url("/rapportering/2025/svara/kartlaggning/lsl-mora")).form(&form).send()
    };
    let r = send(mapping(None)).await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(
        text_of(&r.text().await.unwrap())
            .contains("Frågan ”Ingår en brukarrepresentant i den lokala systemledningen?” måste besvaras."),
        "the missing answer is named"
    );
    let r = send(mapping(Some(("ja", "nej")))).await.unwrap();
    assert_eq!(r.status(), 303, "{}", text_of(&r.text().await.unwrap()));
    submit_for(&app, 2025, "lsl-falun", mapping(Some(("nej", "ja")))).await;
    submit_for(&app, 2025, "lsl-orsa", mapping(Some(("nej", "nej")))).await;
    // The old round: answers on version 1.
    submit_for(&app, 2024, "lsl-falun", mapping(None)).await;
    submit_for(&app, 2024, "lsl-orsa", mapping(None)).await;

    let (reader, _) = app.login("lasare").await;
    let page = preview(&app, &reader, 2025).await;
    assert!(
        page.contains("1 av 3 lokala systemledningar har brukarrepresentant i systemledningen."),
        "{page}"
    );
    assert!(page.contains("1 av 3 lokala systemledningar samverkar systematiskt med POLSAM."), "{page}");
    // The mapping page of the round says the same.
    let summary = text_of(
        &reader.get(app.url("/rapportering/2025/kartlaggning")).send().await.unwrap().text().await.unwrap(),
    );
    assert!(
        summary.contains("1 av 3 lokala systemledningar har brukarrepresentant i systemledningen"),
        "{summary}"
    );
    let page = preview(&app, &reader, 2024).await;
    assert!(
        page.contains("2 av 2 har POLSAM inom sitt samverkansområde"),
        "the old round is compiled: {page}"
    );
    assert!(!page.contains("brukarrepresentant") && !page.contains("systematiskt med POLSAM"), "{page}");
}

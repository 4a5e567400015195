//! The county profile page (#20): replacing the profile (all or nothing, located errors), the
//! names on every page, the self-assessment form following the profile's sub-goals, and
//! sub-goals fixed once answers exist.

use crate::common::*;
use gnv_core::rapportering::Part;

fn profile(subgoals: usize, vision: &str) -> String {
    let mut p = format!(
        "lan = \"Värmland\"\nstodenhet = \"Stödstruktur Värmland\"\nvision = \"{vision}\"\n\n[[kalla]]\nnyckel = \"strategi\"\ntitel = \"Färdplan Nära vård i Värmland.\"\n"
    );
    let names =
        ["Trygg hemma", "Vård där du bor", "Tillsammans", "Digitalt först", "Hälsa hela livet", "Kompetens"];
    for (i, name) in names.iter().take(subgoals).enumerate() {
        p.push_str(&format!(
            "\n[[delmal]]\nnummer = {}\nnamn = \"{name}\"\npastaende = \"att {} utvecklas\"\n",
            i + 1,
            name.to_lowercase()
        ));
    }
    p
}

#[tokio::test]
async fn a_bad_profile_is_refused_with_its_fields_and_a_good_one_changes_every_page() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let page = admin.get(app.url("/admin/lansprofil")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Ingen egen länsprofil är sparad"), "built-in in use");
    assert!(page.contains("Nära i hela Dalarna"), "the built-in sub-goals are shown");

    // Two problems at once, each with its field; nothing stored.
    let bad = profile(6, "V")
        .replace("stodenhet = \"Stödstruktur Värmland\"", "stodenhet = \"\"")
        .replace("nummer = 3", "nummer = 4");
    let resp = admin
        .post(app.url("/admin/lansprofil"))
        .form(&[("csrf", csrf.as_str()), ("toml", bad.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let body = resp.text().await.unwrap();
    assert!(body.contains("fält stodenhet: Ange den regionala stödstrukturens namn."), "{body}");
    assert!(body.contains("fält delmal[3].nummer"), "{body}");
    assert!(body.contains("Trygg hemma"), "the sent text stays in the editor");
    assert!(!app.db.has_county_profile().await.unwrap());

    // HTML in a field is text, never markup.
    let good = profile(6, "Nära <b>vård</b> i hela Värmland");
    let resp = admin
        .post(app.url("/admin/lansprofil"))
        .form(&[("csrf", csrf.as_str()), ("toml", good.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let page =
        admin.get(app.url("/admin/lansprofil?ok=lansprofil")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Länsprofilen är sparad."));
    assert!(page.contains("Delmål (6)") && page.contains("Kompetens"));
    assert!(page.contains("Nära &lt;b&gt;vård&lt;/b&gt; i hela Värmland"), "escaped");
    assert!(!page.contains("<b>vård</b>"));
    assert_eq!(app.db.subgoals().await.unwrap().len(), 6);

    // Every page's header and footer, and the start page's vision and sub-goals.
    let start = admin.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(start.contains("God och nära vård i Värmland"), "header");
    assert!(start.contains("Stödstruktur Värmland."), "footer");
    assert!(start.contains("Digitalt först"), "the sub-goals");
    assert!(start.contains("Nära &lt;b&gt;vård&lt;/b&gt; i hela Värmland"), "the vision, escaped");
    assert!(!start.contains("Nära i hela Dalarna"), "not the built-in sub-goals");

    // The download reads back as the same profile; the change is audited.
    let file = admin.get(app.url("/admin/lansprofil.toml")).send().await.unwrap().text().await.unwrap();
    assert_eq!(gnv_core::lansprofil::parse_toml(&file).unwrap(), app.db.county_profile().await.unwrap());
    let audit = admin.get(app.url("/admin/granskningslogg")).send().await.unwrap().text().await.unwrap();
    assert!(audit.contains("ändra länsprofil"));

    // Not for other roles.
    let (reader, rcsrf) = app.login("lasare").await;
    assert_eq!(reader.get(app.url("/admin/lansprofil")).send().await.unwrap().status(), 403);
    let resp = reader
        .post(app.url("/admin/lansprofil"))
        .form(&[("csrf", rcsrf.as_str()), ("toml", profile(2, "X").as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(app.db.subgoals().await.unwrap().len(), 6);
}

#[tokio::test]
async fn the_self_assessment_form_follows_the_profile_and_its_subgoals_are_then_fixed() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let resp = admin
        .post(app.url("/admin/lansprofil"))
        .form(&[("csrf", csrf.as_str()), ("toml", profile(6, "Vision").as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    open_round_with(&app.db, 2025, &[Part::Sjalvskattning]).await;

    let (resp_client, rcsrf) = app.login("respondent").await;
    let form = resp_client
        .get(app.url("/rapportering/2025/svara/sjalvskattning/lsl-mora"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(form.contains("Delmål 6: Kompetens"), "one group per sub-goal of the profile");
    assert!(form.contains("Vi arbetar för att kompetens utvecklas."), "the statement of the profile");
    assert!(form.contains("name=\"delmal6\""));
    assert!(!form.contains("Dalarna"));

    let mut fields: Vec<(&str, &str)> = vec![
        ("csrf", rcsrf.as_str()),
        ("atgard", "skicka"),
        ("respondent", "Eva Berg"),
        ("roll", "ordförande"),
        ("perspektiv", "bada"),
        ("tillampat", "ja"),
    ];
    for f in ["delmal1", "delmal2", "delmal3", "delmal4", "delmal5"] {
        fields.push((f, "3"));
    }
    // Sub-goal 6 is required like the others.
    let resp = resp_client
        .post(app.url("/rapportering/2025/svara/sjalvskattning/lsl-mora"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(app.db.responses(2025, Part::Sjalvskattning).await.unwrap().is_empty());
    fields.push(("delmal6", "5"));
    let resp = resp_client
        .post(app.url("/rapportering/2025/svara/sjalvskattning/lsl-mora"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);

    // The analysis has six sub-goals; Mora's sixth is 5.
    let registry = app.db.registry().await.unwrap();
    let (rounds, _) = app.db.sjalvskattning_rounds_checked(&registry, 2025).await.unwrap();
    let round = rounds.iter().find(|r| r.year == 2025).expect("2025");
    let mora = round.result("lsl-mora").expect("Mora");
    assert_eq!(mora.values.len(), 6);
    assert_eq!(mora.value(6).map(|s| s.to_string()), Some("5".to_string()));

    // Now the sub-goals are fixed: a profile with five is refused, nothing changes; other
    // fields still change.
    let resp = admin
        .post(app.url("/admin/lansprofil"))
        .form(&[("csrf", csrf.as_str()), ("toml", profile(5, "Vision").as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("Delmålen kan inte ändras"));
    assert_eq!(app.db.subgoals().await.unwrap().len(), 6);
    let resp = admin
        .post(app.url("/admin/lansprofil"))
        .form(&[("csrf", csrf.as_str()), ("toml", profile(6, "Ny vision").as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(app.db.county_profile().await.unwrap().vision, "Ny vision");
}

//! Finding the catalogue's Kolada ids on `/nyckeltal/admin` (#19): the KPI search against a
//! local fake Kolada (`/v3/kpi?title=…`, two pages) and offline in an uploaded saved `/v3/kpi`
//! response; attaching a hit stores the id in the catalogue with Kolada's description, audited,
//! warns where Kolada disagrees with the catalogue entry, and leaves published editions as they
//! were.

use crate::common::{self, TestApp};
use axum::extract::{Query, State};
use axum::routing::get;
use reqwest::multipart::{Form, Part};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A saved `/v3/kpi` response in Kolada's v3 format (hand-written; shared with gnv-core's and
/// gnv-kolada's tests — the ids are not real mappings).
const KPI_LIST: &str = include_str!("../../../core/tests/data/kolada-kpi.json");
const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/nyckeltal");

fn file(name: &str) -> String {
    std::fs::read_to_string(format!("{DATA}/{name}")).unwrap()
}

/// The `title` parameters Kolada was asked for.
type Asked = Arc<Mutex<Vec<String>>>;

/// Like Kolada: the KPIs whose title contains the text; more than one hit comes in two pages.
async fn fake_kpi(State(asked): State<Asked>, Query(q): Query<HashMap<String, String>>) -> String {
    let title = q.get("title").cloned().unwrap_or_default();
    if !q.contains_key("page") {
        asked.lock().unwrap().push(title.clone());
    }
    let all: serde_json::Value = serde_json::from_str(KPI_LIST).unwrap();
    let hits: Vec<serde_json::Value> = all["values"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["title"].as_str().unwrap().to_lowercase().contains(&title.to_lowercase()))
        .cloned()
        .collect();
    let (page, next) = match (q.contains_key("page"), hits.len()) {
        (true, _) => (hits[1..].to_vec(), serde_json::Value::Null),
        (false, 0 | 1) => (hits.clone(), serde_json::Value::Null),
        (false, _) => {
            let mut next = reqwest::Url::parse("http://x/v3/kpi").unwrap();
            next.query_pairs_mut().append_pair("title", &title).append_pair("page", "2");
            (hits[..1].to_vec(), format!("{}?{}", next.path(), next.query().unwrap()).into())
        }
    };
    serde_json::json!({"count": hits.len(), "values": page, "next_page": next}).to_string()
}

async fn get_text(c: &reqwest::Client, url: String) -> (u16, String) {
    let resp = c.get(url).send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

async fn upload(
    app: &TestApp,
    c: &reqwest::Client,
    csrf: &str,
    path: &str,
    field: &str,
    name: &str,
    body: &str,
) -> (u16, String) {
    let form = Form::new().part(field.to_string(), Part::text(body.to_string()).file_name(name.to_string()));
    let resp = c.post(app.url(&format!("{path}?csrf={csrf}"))).multipart(form).send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

async fn attach(
    app: &TestApp,
    c: &reqwest::Client,
    csrf: &str,
    kpi: &str,
    indicator: &str,
    text: &str,
    source: &str,
) -> reqwest::Response {
    c.post(app.url("/nyckeltal/admin/kolada/koppla"))
        .form(&[("csrf", csrf), ("kpi", kpi), ("nyckeltal", indicator), ("sok", text), ("kalla", source)])
        .send()
        .await
        .unwrap()
}

/// The part of a page about one hit: from its card's heading to the next card.
fn hit<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page.find(&format!("<h4>{id} ")).unwrap_or_else(|| panic!("no hit {id}"));
    let rest = &page[start..];
    &rest[..rest.find("</article>").unwrap()]
}

fn search_url(app: &TestApp, text: &str, source: &str, indicator: &str) -> String {
    let mut u = reqwest::Url::parse(&app.url("/nyckeltal/admin/kolada")).unwrap();
    u.query_pairs_mut()
        .append_pair("sok", text)
        .append_pair("kalla", source)
        .append_pair("nyckeltal", indicator);
    u.to_string()
}

#[tokio::test]
async fn kpi_search_on_the_admin_page_attaches_ids_with_koladas_description_and_warns_on_disagreement() {
    let asked: Asked = Arc::default();
    let kolada = axum::Router::new().route("/v3/kpi", get(fake_kpi)).with_state(asked.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let kolada_url = format!("http://{}", listener.local_addr().unwrap());
    let kolada_server = tokio::spawn(async move { axum::serve(listener, kolada).await.unwrap() });
    let url = kolada_url.clone();
    let app = common::spawn_app_with_config(move |c| c.kolada_url = url).await;
    let (admin, csrf) = app.login("admin").await;

    // A stored catalogue and a published edition (2024) with values.
    let (status, _) = upload(
        &app,
        &admin,
        &csrf,
        "/nyckeltal/admin/katalog",
        "katalog",
        "katalog.toml",
        &file("katalog.toml"),
    )
    .await;
    assert_eq!(status, 303);
    let form = Form::new()
        .part("filer", Part::text(file("utgava1-sida1.json")).file_name("utgava1-sida1.json"))
        .part("filer", Part::text(file("utgava1-sida2.json")).file_name("utgava1-sida2.json"));
    let resp = admin
        .post(app.url(&format!("/nyckeltal/admin/import?csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let resp = admin
        .post(app.url("/nyckeltal/admin/publicera"))
        .form(&[("csrf", csrf.as_str()), ("ar", "2024")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let open_data_before =
        admin.get(app.url("/api/v1/utgavor/2024.json")).send().await.unwrap().bytes().await.unwrap();
    let frozen_before =
        serde_json::to_string(app.db.nyckeltal_edition(2024).await.unwrap().unwrap().catalogue()).unwrap();

    // The admin page has the search; without a saved list it searches Kolada.
    let (status, page) = get_text(&admin, app.url("/nyckeltal/admin")).await;
    assert_eq!(status, 200);
    assert!(page.contains("<h2 id=\"kolada\">Sök Kolada-id</h2>"), "{page}");
    assert!(page.contains(&format!("Kolada ({kolada_url})")) && !page.contains("value=\"fil\""));

    // Online: Kolada is asked with the text as its title parameter (both pages are read); hits
    // are compared with the chosen indicator 1.2 (region, not split by sex).
    let (status, page) = get_text(&admin, search_url(&app, "hemtjänst", "kolada", "1.2")).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(*asked.lock().unwrap(), ["hemtjänst"]);
    assert!(page.contains("Träffar för <q>hemtjänst</q> (2 träffar)"), "{page}");
    let fast = hit(&page, "N21005");
    assert!(fast.contains("Brukare i hemtjänst som har en fast omsorgskontakt"));
    assert!(fast
        .contains("Andel brukare i ordinärt boende med hemtjänst som har en namngiven fast omsorgskontakt"));
    assert!(fast.contains("<dd>kommuner och regioner</dd>") && fast.contains("<dd>nej</dd>"));
    assert!(!fast.contains("Stämmer inte med katalogen"), "N21005 agrees with 1.2: {fast}");
    let kontinuitet = hit(&page, "N21011");
    assert!(kontinuitet.contains("Stämmer inte med katalogen"), "{kontinuitet}");
    assert!(kontinuitet
        .contains("Kolada delar upp N21011 på kön, men nyckeltal 1.2 är inte könsuppdelat i katalogen."));
    assert!(
        kontinuitet.contains("Kolada publicerar N21011 för kommuner, men nyckeltal 1.2 gäller regionnivå.")
    );

    // Attach N21011 to 1.2: looked up again from the cache (Kolada is not asked again).
    let resp = attach(&app, &admin, &csrf, "N21011", "1.2", "hemtjänst", "kolada").await;
    assert_eq!(resp.status(), 303);
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with("/nyckeltal/admin/kolada?") && location.contains("kopplad=N21011"),
        "{location}"
    );
    assert_eq!(asked.lock().unwrap().len(), 1, "the second look-up comes from the cache");
    let (_, page) = get_text(&admin, app.url(&location)).await;
    assert!(page.contains("Kolada-id N21011 (Personalkontinuitet i hemtjänsten"), "{page}");
    assert!(page.contains("är kopplat till nyckeltal 1.2."));
    let table = &page[page.find("<caption>Kopplade Kolada-id").expect("attached list")..];
    assert!(table.contains("1.2 Testindikator utan kön, lägre är bättre"));
    assert!(
        table.contains("Kolada delar upp N21011 på kön, men nyckeltal 1.2 är inte könsuppdelat i katalogen.")
    );
    assert!(table.contains(&format!("från {kolada_url}/v3/kpi")));

    // The catalogue: the id among 1.2's sources; its TOML export reads back to the same catalogue.
    let catalogue = app.db.nyckeltal_catalogue().await.unwrap();
    let sources: Vec<String> = catalogue
        .get("1.2".parse().unwrap())
        .unwrap()
        .sources
        .iter()
        .map(|s| s.as_str().to_string())
        .collect();
    assert_eq!(sources, ["N90002", "N21011"]);
    let toml =
        admin.get(app.url("/nyckeltal/admin/katalog.toml")).send().await.unwrap().text().await.unwrap();
    assert!(toml.contains("kallor = [\"N90002\", \"N21011\"]"), "{toml}");
    assert_eq!(gnv_core::nyckeltal::parse_toml(&toml).unwrap(), catalogue);
    // Audited with Kolada's description.
    let audit = app
        .db
        .audit_list(&gnv_storage::audit::AuditFilter {
            entity: Some("nyckeltal".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let entry = audit.iter().find(|a| a.action == "koppla_kolada_id").expect("audit entry");
    assert_eq!(entry.entity_id, "1.2");
    let after = entry.after_json.as_deref().unwrap();
    assert!(
        after.contains("N21011")
            && after.contains("Personalkontinuitet")
            && after.contains("\"organisationstyp\":\"K\""),
        "{after}"
    );
    // The published edition is untouched: the same frozen catalogue and open data, byte for byte.
    let frozen_after =
        serde_json::to_string(app.db.nyckeltal_edition(2024).await.unwrap().unwrap().catalogue()).unwrap();
    assert_eq!(frozen_after, frozen_before);
    let open_data_after =
        admin.get(app.url("/api/v1/utgavor/2024.json")).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(open_data_after, open_data_before);

    // An id that was not among the hits is refused; nothing changes.
    let resp = attach(&app, &admin, &csrf, "N99999", "1.1", "hemtjänst", "kolada").await;
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("N99999 finns inte bland träffarna för ”hemtjänst”"));
    assert_eq!(app.db.nyckeltal_catalogue().await.unwrap(), catalogue);

    // Kolada out of reach: the page says so in Swedish and points to the saved list.
    kolada_server.abort();
    let _ = kolada_server.await;
    let (status, page) = get_text(&admin, search_url(&app, "läkarkontakt", "kolada", "1.1")).await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("Kolada kunde inte nås ({kolada_url})")), "{page}");

    // Offline: a file that is not a KPI list is refused naming the file; the saved list is used.
    let (status, page) = upload(
        &app,
        &admin,
        &csrf,
        "/nyckeltal/admin/kolada/lista",
        "kpilista",
        "fel.json",
        "{\"values\": [{\"title\": \"utan id\"}]}",
    )
    .await;
    assert_eq!(status, 400);
    assert!(page.contains("fel.json") && page.contains("Inget har sparats."), "{page}");
    assert!(app.db.nyckeltal_kpi_list().await.unwrap().is_none());
    let (status, _) =
        upload(&app, &admin, &csrf, "/nyckeltal/admin/kolada/lista", "kpilista", "kolada-kpi.json", KPI_LIST)
            .await;
    assert_eq!(status, 303);
    let (_, page) = get_text(&admin, app.url("/nyckeltal/admin")).await;
    assert!(page.contains("Sparad KPI-lista: kolada-kpi.json (6 KPI:er)"), "{page}");
    let (_, page) = get_text(&admin, search_url(&app, "fast läkarkontakt", "fil", "1.1")).await;
    assert!(page.contains("Träffar för <q>fast läkarkontakt</q> (1 träff)"), "{page}");
    assert!(!hit(&page, "N17473").contains("Stämmer inte med katalogen"));
    // Kolada says a KPI is published for regions only: a warning for a municipal indicator.
    let (_, page) = get_text(&admin, search_url(&app, "väntetid", "fil", "1.1")).await;
    assert!(!hit(&page, "N00945").contains("Stämmer inte"), "1.1 is a regional indicator split by sex");
    let resp = attach(&app, &admin, &csrf, "N17473", "1.1", "fast läkarkontakt", "fil").await;
    assert_eq!(resp.status(), 303);
    let (_, page) = get_text(&admin, app.url(resp.headers()["location"].to_str().unwrap())).await;
    assert!(page.contains("Kolada-id N17473 (Invånare 65+ som har en fast läkarkontakt i primärvården, andel (%)) är kopplat till nyckeltal 1.1."), "{page}");
    assert!(page.contains("från sparad KPI-lista kolada-kpi.json"));
    let ids: Vec<(String, String)> = app
        .db
        .nyckeltal_kpi_attachments()
        .await
        .unwrap()
        .iter()
        .map(|a| (a.indicator.to_string(), a.kpi.id.to_string()))
        .collect();
    assert_eq!(ids, [("1.1".to_string(), "N17473".to_string()), ("1.2".to_string(), "N21011".to_string())]);
    // A replaced saved list is what the next search reads (the parsed list is not reused).
    let renamed = KPI_LIST.replace("fast läkarkontakt", "fast vårdkontakt");
    let (status, _) =
        upload(&app, &admin, &csrf, "/nyckeltal/admin/kolada/lista", "kpilista", "kpi-ny.json", &renamed)
            .await;
    assert_eq!(status, 303);
    let (_, page) = get_text(&admin, search_url(&app, "fast läkarkontakt", "fil", "1.1")).await;
    assert!(!page.contains("Träffar för <q>fast läkarkontakt</q> (1 träff)"), "{page}");
    let (_, page) = get_text(&admin, search_url(&app, "fast vårdkontakt", "fil", "1.1")).await;
    assert!(page.contains("Träffar för <q>fast vårdkontakt</q> (1 träff)"), "{page}");
}

#[tokio::test]
async fn a_kpi_published_for_regions_warns_on_a_municipal_indicator_of_the_default_catalogue() {
    let app = common::spawn_app_with_config(|c| c.kolada_url = "http://127.0.0.1:9".into()).await;
    let (admin, csrf) = app.login("admin").await;
    let (status, _) =
        upload(&app, &admin, &csrf, "/nyckeltal/admin/kolada/lista", "kpilista", "kpi.json", KPI_LIST).await;
    assert_eq!(status, 303);
    // 1.4 of the built-in catalogue: municipal, split by sex. N00945 is a regional KPI.
    let (_, page) = get_text(&admin, search_url(&app, "väntetid", "fil", "1.4")).await;
    let w = hit(&page, "N00945");
    assert!(w.contains("Kolada publicerar N00945 för regioner, men nyckeltal 1.4 gäller kommunnivå."), "{w}");
    // Attaching stores the built-in catalogue with the id (there was no stored catalogue).
    assert!(!app.db.nyckeltal_catalogue_is_stored().await.unwrap());
    let resp = attach(&app, &admin, &csrf, "N00945", "1.4", "väntetid", "fil").await;
    assert_eq!(resp.status(), 303);
    assert!(app.db.nyckeltal_catalogue_is_stored().await.unwrap());
    let mut expected = gnv_core::nyckeltal::default_catalogue().indicators().to_vec();
    expected[3].sources = vec![gnv_core::nyckeltal::Source::parse("N00945").unwrap()];
    assert_eq!(app.db.nyckeltal_catalogue().await.unwrap().indicators(), expected.as_slice());
    let (_, page) = get_text(&admin, app.url("/nyckeltal/admin")).await;
    let table = &page[page.find("<caption>Kopplade Kolada-id").expect("attached list")..];
    assert!(
        table.contains("Kolada publicerar N00945 för regioner, men nyckeltal 1.4 gäller kommunnivå."),
        "{table}"
    );
}

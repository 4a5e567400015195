//! Nyckeltal och infografik: catalogue, all-or-nothing imports, frozen editions, summaries,
//! pages and downloads, through the real server.

use crate::common::{self, spawn_app};
use reqwest::multipart::{Form, Part};
use serde_json::Value as Json;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/nyckeltal");

fn file(name: &str) -> String {
    std::fs::read_to_string(format!("{DATA}/{name}")).unwrap()
}

async fn upload(
    app: &crate::common::TestApp,
    c: &reqwest::Client,
    csrf: &str,
    path: &str,
    field: &str,
    files: &[(&str, String)],
) -> (u16, String) {
    let mut form = Form::new();
    for (name, body) in files {
        form = form.part(field.to_string(), Part::text(body.clone()).file_name(name.to_string()));
    }
    let resp = c.post(app.url(&format!("{path}?csrf={csrf}"))).multipart(form).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap())
}

async fn publish(app: &crate::common::TestApp, c: &reqwest::Client, csrf: &str, year: i32) -> (u16, String) {
    let resp = c
        .post(app.url("/nyckeltal/admin/publicera"))
        .form(&[("csrf", csrf), ("ar", &year.to_string())])
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap())
}

async fn summary(app: &crate::common::TestApp, c: &reqwest::Client, year: i32, focus: &str) -> Json {
    let resp =
        c.get(app.url(&format!("/api/v1/infographic/{year}/summary?focus={focus}"))).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

fn codes(s: &Json, set: &str) -> Vec<String> {
    let codes: Vec<String> = s["summary"][set]["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(s["summary"][set]["count"].as_u64().unwrap() as usize, codes.len(), "{set}: count");
    codes
}

async fn setup_catalogue(app: &crate::common::TestApp) -> (reqwest::Client, String) {
    let (admin, csrf) = app.login("admin").await;
    let (status, _) = upload(
        app,
        &admin,
        &csrf,
        "/nyckeltal/admin/katalog",
        "katalog",
        &[("katalog.toml", file("katalog.toml"))],
    )
    .await;
    assert_eq!(status, 303, "catalogue upload redirects");
    (admin, csrf)
}

#[tokio::test]
async fn two_editions_from_hand_made_kolada_files_give_exactly_the_expected_sets() {
    let app = spawn_app().await;
    let (admin, csrf) = setup_catalogue(&app).await;
    assert_eq!(app.db.nyckeltal_catalogue().await.unwrap().len(), 4);

    // Edition 2024 from two pages.
    let (status, body) = upload(
        &app,
        &admin,
        &csrf,
        "/nyckeltal/admin/import",
        "filer",
        &[
            ("utgava1-sida1.json", file("utgava1-sida1.json")),
            ("utgava1-sida2.json", file("utgava1-sida2.json")),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // 1.1: 2 orgs-years × 8 orgs × 3 genders = 48; 1.2: 2 + 7; 1.4: 8.
    assert!(body.contains("65 värden lästes: 65 tillagda, 0 ändrade, 0 oförändrade"), "{body}");
    assert_eq!(publish(&app, &admin, &csrf, 2024).await.0, 303);

    // Edition 2025 adds 2024 values (1.2 gets none: not updated), with one suppressed value.
    let (status, body) = upload(
        &app,
        &admin,
        &csrf,
        "/nyckeltal/admin/import",
        "filer",
        &[("utgava2.json", file("utgava2.json"))],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("32 värden lästes: 32 tillagda"), "{body}");
    assert!(body.contains("1 sekretess (..)"), "missing-value codes are reported: {body}");
    assert_eq!(publish(&app, &admin, &csrf, 2025).await.0, 303);

    let s24 = summary(&app, &admin, 2024, "0020").await;
    assert_eq!(s24["edition"]["published"], true);
    assert_eq!(s24["summary"]["total"], 4);
    assert_eq!(codes(&s24, "under_development"), ["1.3"]);
    assert_eq!(codes(&s24, "not_updated"), Vec::<String>::new());
    assert_eq!(codes(&s24, "updated"), ["1.1", "1.2", "1.4"]);
    assert_eq!(codes(&s24, "better"), ["1.2"]);
    assert_eq!(codes(&s24, "worse"), ["1.1"]);
    assert_eq!(codes(&s24, "improved_only_women"), ["1.1"]);
    assert_eq!(codes(&s24, "improved_total_only"), ["1.2"]);
    assert_eq!(codes(&s24, "fact_indicators"), ["1.4"]);

    let s25 = summary(&app, &admin, 2025, "0020").await;
    assert_eq!(s25["edition"]["previous_year"], 2024);
    assert_eq!(codes(&s25, "under_development"), ["1.3"]);
    assert_eq!(codes(&s25, "not_updated"), ["1.2"]);
    assert_eq!(codes(&s25, "updated"), ["1.1", "1.4"]);
    // Green for women and the total, red for men: in both sets ("för män och/eller kvinnor").
    assert_eq!(codes(&s25, "better"), ["1.1"]);
    assert_eq!(codes(&s25, "worse"), ["1.1"]);
    assert_eq!(codes(&s25, "improved_only_women"), ["1.1"]);
    assert_eq!(codes(&s25, "improved_both_sexes"), Vec::<String>::new());
    assert_eq!(codes(&s25, "improved_only_men"), Vec::<String>::new());
    assert_eq!(codes(&s25, "fact_indicators"), ["1.4"]);
    let paragraph: Vec<&str> =
        s25["paragraph"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert!(paragraph.iter().any(|p| p.contains("1 av 4") && p.contains("(1.3)")), "{paragraph:?}");
    assert!(paragraph.iter().all(|p| !p.contains("sämst") && !p.contains("bäst")), "neutral wording");

    // The edition page shows the paragraph, tiles with words and the table.
    let page = admin.get(app.url("/nyckeltal/2025?fokus=0020")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Infografiken 2025 omfattar totalt 4 nyckeltal."));
    assert!(page.contains("i jämförelse med andra"));
    assert!(page.contains("Under utveckling – mått saknas ännu."));
    assert!(page.contains("inte uppdaterat"));
    assert!(page.contains("ökat sedan 2023"));
    assert!(page.contains("Källa: Kolada (RKA)"));
    assert!(!page.contains("Demodata"), "real data is not labelled as demo data");

    // Editions are frozen: a later revision of Kolada data changes the values, not the editions.
    let revised = file("utgava2.json").replace("\"value\": 70", "\"value\": 40");
    let (status, body) =
        upload(&app, &admin, &csrf, "/nyckeltal/admin/import", "filer", &[("revision.json", revised)]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("32 värden lästes: 0 tillagda, 1 ändrade, 31 oförändrade"), "{body}");
    assert_eq!(summary(&app, &admin, 2025, "0020").await, s25, "published edition unchanged");
    // Publishing the same year again is refused.
    let (status, body) = publish(&app, &admin, &csrf, 2025).await;
    assert_eq!(status, 400);
    assert!(body.contains("redan publicerad"));
    // An unpublished year is a preview from current values and says so.
    let preview = summary(&app, &admin, 2026, "0020").await;
    assert_eq!(preview["edition"]["published"], false);
    // Nothing newer than in the 2025 edition: all active indicators are "not updated".
    assert_eq!(codes(&preview, "not_updated"), ["1.1", "1.2", "1.4"]);

    // The comparison page lists both editions' sets.
    let cmp = admin
        .get(app.url("/nyckeltal/jamfor?a=2024&b=2025&fokus=0020"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(cmp.contains("Inte uppdaterade") && cmp.contains("1 (1.2)"), "{cmp}");
}

#[tokio::test]
async fn bad_kolada_files_give_clear_messages_and_import_nothing() {
    let app = spawn_app().await;
    let (admin, csrf) = setup_catalogue(&app).await;
    let good = file("utgava2.json");
    let cases: Vec<(&str, String, &str)> = vec![
        ("trasig.json", "{\"values\": [ {\"kpi\": ".to_string(), "inte giltig JSON"),
        ("okand.json", good.replacen("N90004", "N12345", 1), "Kolada-id N12345 finns inte bland källorna"),
        ("text.json", good.replacen("\"value\": 70", "\"value\": \"sjuttio\"", 1), "sjuttio"),
        (
            "dubblett.json",
            good.replacen(
                "\"values\": [\n  {",
                "\"values\": [\n  {\"kpi\": \"N90004\", \"municipality\": \"0020\", \"period\": 2024, \"values\": [{\"gender\": \"T\", \"value\": 6}]},\n  {",
                1,
            ),
            "förekommer mer än en gång",
        ),
    ];
    for (name, body, expected) in cases {
        // Each bad file is uploaded together with a good one: nothing at all may be imported.
        let (status, page) = upload(
            &app,
            &admin,
            &csrf,
            "/nyckeltal/admin/import",
            "filer",
            &[("bra.json", file("utgava1-sida2.json")), (name, body)],
        )
        .await;
        assert_eq!(status, 400, "{name}");
        assert!(page.contains(expected), "{name}: expected «{expected}» in {page}");
        assert!(page.contains(name), "{name}: the message names the file");
        assert!(page.contains("Inget har importerats."), "{name}");
        assert_eq!(app.db.nyckeltal_value_count().await.unwrap(), 0, "{name}: nothing imported");
        assert!(app.db.nyckeltal_imports(10).await.unwrap().is_empty(), "{name}: no import recorded");
    }
    // The same row in two files is a duplicate too.
    let (status, page) = upload(
        &app,
        &admin,
        &csrf,
        "/nyckeltal/admin/import",
        "filer",
        &[("a.json", file("utgava2.json")), ("b.json", file("utgava2.json"))],
    )
    .await;
    assert_eq!(status, 400);
    assert!(page.contains("förekommer mer än en gång (i a.json och b.json)"), "{page}");
    assert_eq!(app.db.nyckeltal_value_count().await.unwrap(), 0);
    // Publishing without values is refused with a message.
    let (status, page) = publish(&app, &admin, &csrf, 2025).await;
    assert_eq!(status, 400);
    assert!(page.contains("inga värden"));
}

#[tokio::test]
async fn manual_csv_import_is_all_or_nothing_and_reports_rows() {
    let app = spawn_app().await;
    let (admin, csrf) = setup_catalogue(&app).await;
    let bad =
        "nyckeltal;organisation;år;kön;värde\n1.4;0020;2025;T;7,5\n1.4;0020;2024;T;sju\n9.1;0020;2025;T;1\n";
    let (status, page) =
        upload(&app, &admin, &csrf, "/nyckeltal/admin/import", "filer", &[("egna.csv", bad.to_string())])
            .await;
    assert_eq!(status, 400);
    assert!(page.contains("rad 3, fält värde"), "{page}");
    assert!(page.contains("Nyckeltal 9.1 finns inte i katalogen"), "{page}");
    assert_eq!(app.db.nyckeltal_value_count().await.unwrap(), 0);
    let good = "\u{feff}nyckeltal;organisation;år;kön;värde\n1.4;0020;2025;T;7,5\n1.4;0020;2024;;-\n";
    let (status, page) =
        upload(&app, &admin, &csrf, "/nyckeltal/admin/import", "filer", &[("egna.csv", good.to_string())])
            .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("2 värden lästes: 2 tillagda"), "{page}");
    assert!(page.contains("1 bortfall (-)"), "{page}");
    let imports = app.db.nyckeltal_imports(10).await.unwrap();
    assert_eq!(imports[0].source, "egen");
    // The raw file is kept for provenance.
    let raw = app.db.nyckeltal_raw_documents(imports[0].id).await.unwrap();
    assert_eq!(raw.len(), 1);
    assert!(raw[0].1.contains("7,5"));
}

#[tokio::test]
async fn indicator_page_charts_and_downloads() {
    let app = spawn_app().await;
    let (admin, csrf) = setup_catalogue(&app).await;
    upload(&app, &admin, &csrf, "/nyckeltal/admin/import", "filer", &[("u.json", file("utgava2.json"))])
        .await;
    publish(&app, &admin, &csrf, 2025).await;
    let (reader, _) = app.login("lasare").await;
    let page =
        reader.get(app.url("/nyckeltal/2025/1.1?fokus=0020")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("bokstavsordning"), "neutral comparison wording");
    assert!(page.contains("ingen rangordning"));
    assert!(page.contains("<caption>1.1 för länets kommuner"), "table next to the chart");
    let get = |path: &str| {
        let c = reader.clone();
        let url = app.url(path);
        async move {
            let r = c.get(url).send().await.unwrap();
            assert_eq!(r.status(), 200, "{}", r.url());
            let ct = r.headers()["content-type"].to_str().unwrap().to_string();
            (ct, r.bytes().await.unwrap().to_vec())
        }
    };
    let (ct, svg) = get("/nyckeltal/2025/1.1/trend.svg?fokus=0020").await;
    assert_eq!(ct, "image/svg+xml");
    assert!(String::from_utf8(svg).unwrap().starts_with("<svg"));
    let (_, png) = get("/nyckeltal/2025/1.1/jamforelse.png?fokus=0020").await;
    assert_eq!(&png[..4], b"\x89PNG");
    let (_, csv) = get("/nyckeltal/2025/1.1/data.csv?fokus=0020").await;
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with('\u{feff}'), "UTF-8 BOM");
    assert!(csv.contains("Region Dalarna;0020;2024;Totalt;70;"), "{csv}");
    let (_, xlsx) = get("/nyckeltal/2025/tabell/data.xlsx?fokus=0020").await;
    assert_eq!(&xlsx[..2], b"PK");
    let (_, table) = get("/nyckeltal/2025/tabell/data.csv?fokus=0020").await;
    assert!(String::from_utf8(table).unwrap().contains("i jämförelse med andra"));
    // Unknown file and indicator are 404.
    let r = reader.get(app.url("/nyckeltal/2025/1.1/x.exe")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = reader.get(app.url("/nyckeltal/2025/7.7")).send().await.unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn admin_edits_an_indicator_and_invalid_edits_change_nothing() {
    let app = spawn_app().await;
    let (admin, csrf) = app.login("admin").await;
    let form = |kallor: &str, decimaler: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("titel", "Kontinuitet hos läkare, 65 år och äldre".to_string()),
            ("enhet", "procent".to_string()),
            ("decimaler", decimaler.to_string()),
            ("kallor", kallor.to_string()),
            ("riktning", "hogre_ar_battre".to_string()),
            ("status", "aktiv".to_string()),
            ("niva", "region".to_string()),
            ("konsuppdelad", "ja".to_string()),
            ("jamforelsegrupp", "alla_regioner".to_string()),
            ("beskrivning", "".to_string()),
        ]
    };
    let r = admin.post(app.url("/nyckeltal/admin/katalog/2.1")).form(&form("X1", "1")).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(!app.db.nyckeltal_catalogue_is_stored().await.unwrap(), "nothing saved");
    let r = admin
        .post(app.url("/nyckeltal/admin/katalog/2.1"))
        .form(&form("N99999, egen", "9"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "decimals out of range");
    let r = admin
        .post(app.url("/nyckeltal/admin/katalog/2.1"))
        .form(&form("N99999, egen", "1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let cat = app.db.nyckeltal_catalogue().await.unwrap();
    let ind = cat.get("2.1".parse().unwrap()).unwrap();
    assert_eq!(ind.title, "Kontinuitet hos läkare, 65 år och äldre");
    assert_eq!(ind.sources.len(), 2);
    let toml =
        admin.get(app.url("/nyckeltal/admin/katalog.toml")).send().await.unwrap().text().await.unwrap();
    assert!(toml.contains("N99999"));
    assert_eq!(gnv_core::nyckeltal::parse_toml(&toml).unwrap(), cat, "TOML round trip");
    // A reader may not edit.
    let (reader, rcsrf) = app.login("lasare").await;
    let r = reader
        .post(app.url("/nyckeltal/admin/katalog/2.1"))
        .form(&[("csrf", rcsrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn empty_database_pages_answer_with_an_empty_state() {
    let app = spawn_app().await;
    let (reader, _) = app.login("lasare").await;
    let page = reader.get(app.url("/nyckeltal")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Ingen utgåva är publicerad ännu."));
    let page = reader.get(app.url("/nyckeltal/2025")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Ej publicerad."));
    let r = reader.get(app.url("/api/v1/infographic/2025/summary?focus=abc")).send().await.unwrap();
    assert_eq!(r.status(), 400);
}

/// Imports the two hand-made editions and publishes 2024 and 2025.
async fn two_editions(app: &common::TestApp) -> (reqwest::Client, String) {
    let (admin, csrf) = setup_catalogue(app).await;
    let pages = [
        ("utgava1-sida1.json", file("utgava1-sida1.json")),
        ("utgava1-sida2.json", file("utgava1-sida2.json")),
    ];
    assert_eq!(upload(app, &admin, &csrf, "/nyckeltal/admin/import", "filer", &pages).await.0, 200);
    assert_eq!(publish(app, &admin, &csrf, 2024).await.0, 303);
    let page = [("utgava2.json", file("utgava2.json"))];
    assert_eq!(upload(app, &admin, &csrf, "/nyckeltal/admin/import", "filer", &page).await.0, 200);
    assert_eq!(publish(app, &admin, &csrf, 2025).await.0, 303);
    (admin, csrf)
}

/// A frozen value as (indicator, org, year, sex, value or missing code).
type Frozen = (String, String, i32, String, String);

async fn frozen(app: &common::TestApp, year: i32) -> Vec<Frozen> {
    let e = app.db.nyckeltal_edition(year).await.unwrap().unwrap();
    let mut v: Vec<Frozen> = e
        .data()
        .observations()
        .into_iter()
        .map(|o| {
            let value = match o.value.number() {
                Some(x) => format!("{x}"),
                None => o.value.code().unwrap().to_string(),
            };
            (o.indicator.to_string(), o.org, o.period.0, o.gender.as_str().to_string(), value)
        })
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn open_data_export_of_published_editions_equals_the_frozen_data() {
    let app = spawn_app().await;
    let (admin, csrf) = two_editions(&app).await;
    let anon = common::client();

    // The list needs no log-in and links each edition's data.
    let r = anon.get(app.url("/api/v1/utgavor")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let list: Json = r.json().await.unwrap();
    let years: Vec<i64> =
        list["editions"].as_array().unwrap().iter().map(|e| e["year"].as_i64().unwrap()).collect();
    assert_eq!(years, [2025, 2024]);
    assert_eq!(list["editions"][0]["csv"], "/api/v1/utgavor/2025.csv");
    assert_eq!(list["source"], "Källa: Kolada (RKA)");

    let expected = frozen(&app, 2025).await;
    assert!(expected.len() > 60, "the 2025 edition holds both imports");

    // JSON: every value of the frozen edition, nothing else.
    let r = anon.get(app.url("/api/v1/utgavor/2025.json")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let doc: Json = r.json().await.unwrap();
    assert_eq!(doc["edition"]["year"], 2025);
    assert_eq!(doc["edition"]["value_count"].as_u64().unwrap() as usize, expected.len());
    let columns: Vec<&str> = doc["columns"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert_eq!(
        columns,
        ["nyckeltal", "titel", "organisationskod", "organisation", "år", "kön", "värde", "status"]
    );
    let mut from_json: Vec<Frozen> = doc["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let value = match v["värde"].as_f64() {
                Some(x) => format!("{x}"),
                None => v["status"].as_str().unwrap().to_string(),
            };
            (
                v["nyckeltal"].as_str().unwrap().to_string(),
                v["organisationskod"].as_str().unwrap().to_string(),
                v["år"].as_i64().unwrap() as i32,
                v["kön"].as_str().unwrap().to_string(),
                value,
            )
        })
        .collect();
    let first = &doc["values"][0];
    assert_eq!(first["titel"], "Testindikator med kön, högre är bättre");
    assert!(doc["values"].as_array().unwrap().iter().any(|v| v["organisation"] == "Region Dalarna"));
    assert!(doc["values"].as_array().unwrap().iter().any(|v| v["status"] == ".." && v["värde"].is_null()));
    from_json.sort();
    assert_eq!(from_json, expected);

    // CSV: Swedish Excel (BOM, `;`, decimal comma), the same columns in the same order.
    let r = anon.get(app.url("/api/v1/utgavor/2025.csv")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains("infografik-2025.csv"));
    let csv = r.text().await.unwrap();
    assert!(csv.starts_with('\u{feff}'), "UTF-8 BOM");
    let mut lines = csv.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty());
    assert_eq!(lines.next(), Some("nyckeltal;titel;organisationskod;organisation;år;kön;värde;status"));
    let mut from_csv: Vec<Frozen> = lines
        .map(|l| {
            let f: Vec<&str> = l.split(';').collect();
            assert_eq!(f.len(), 8, "{l}");
            let value = if f[6].is_empty() {
                f[7].to_string()
            } else {
                assert!(!f[6].contains('.'), "decimal comma: {l}");
                format!("{}", f[6].replace(',', ".").parse::<f64>().unwrap())
            };
            (f[0].to_string(), f[2].to_string(), f[4].parse().unwrap(), f[5].to_string(), value)
        })
        .collect();
    from_csv.sort();
    assert_eq!(from_csv, expected);

    // Frozen: a later revision of the values does not change the published export.
    let before = anon.get(app.url("/api/v1/utgavor/2025.json")).send().await.unwrap().text().await.unwrap();
    let revised = file("utgava2.json").replace("\"value\": 70", "\"value\": 40.25");
    let (status, _) =
        upload(&app, &admin, &csrf, "/nyckeltal/admin/import", "filer", &[("rev.json", revised)]).await;
    assert_eq!(status, 200);
    let after = anon.get(app.url("/api/v1/utgavor/2025.json")).send().await.unwrap().text().await.unwrap();
    assert_eq!(before, after);

    // Unknown editions and formats are 404 with a JSON message.
    for path in ["/api/v1/utgavor/2023.json", "/api/v1/utgavor/2025.xml", "/api/v1/utgavor/abc.csv"] {
        let r = anon.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
        assert!(r.json::<Json>().await.unwrap()["error"].is_string(), "{path}");
    }
    // The edition page links the open data; a preview does not.
    let page = admin.get(app.url("/nyckeltal/2025")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("href=\"/api/v1/utgavor/2025.csv\"") && page.contains("/api/v1/utgavor/2025.json"));
    let page = admin.get(app.url("/nyckeltal/2026")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("/api/v1/utgavor/2026.csv"));
    // The OpenAPI description lists both routes as public.
    let api: Json = anon.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(api["paths"]["/api/v1/utgavor"]["get"]["security"], serde_json::json!([]));
    assert_eq!(api["paths"]["/api/v1/utgavor/{utgava}"]["get"]["security"], serde_json::json!([]));
}

#[tokio::test]
async fn admins_list_and_download_the_raw_documents_of_an_import() {
    let app = spawn_app().await;
    let (admin, _) = two_editions(&app).await;
    let imports = app.db.nyckeltal_imports(10).await.unwrap();
    let first = imports.iter().map(|i| i.id).min().unwrap();
    let admin_page = admin.get(app.url("/nyckeltal/admin")).send().await.unwrap().text().await.unwrap();
    assert!(admin_page.contains(&format!("href=\"/nyckeltal/admin/import/{first}\"")), "linked from admin");

    let page = admin
        .get(app.url(&format!("/nyckeltal/admin/import/{first}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("råa dokument"), "{page}");
    assert!(page.contains("2 dokument"), "{page}");
    let docs = app.db.nyckeltal_raw_document_list(first).await.unwrap();
    assert_eq!(
        docs.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
        ["utgava1-sida1.json", "utgava1-sida2.json"]
    );
    for (d, name) in docs.iter().zip(["utgava1-sida1.json", "utgava1-sida2.json"]) {
        let link = format!("/nyckeltal/admin/import/{first}/{}", d.id);
        assert!(page.contains(&format!("href=\"{link}\"")), "{page}");
        let r = admin.get(app.url(&link)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
        let disposition = r.headers()["content-disposition"].to_str().unwrap().to_string();
        assert!(disposition.contains(&format!("filename=\"{name}\"")), "{disposition}");
        assert_eq!(r.text().await.unwrap(), file(name), "the document exactly as it was read");
    }
    // A document of another import, an unknown import and a non-number are 404.
    let other = imports.iter().map(|i| i.id).max().unwrap();
    let d = docs[0].id;
    for path in [
        format!("/nyckeltal/admin/import/{other}/{d}"),
        "/nyckeltal/admin/import/999".to_string(),
        "/nyckeltal/admin/import/x/1".to_string(),
    ] {
        assert_eq!(admin.get(app.url(&path)).send().await.unwrap().status(), 404, "{path}");
    }
    // Readers may not see raw documents.
    let (reader, _) = app.login("lasare").await;
    let r = reader.get(app.url(&format!("/nyckeltal/admin/import/{first}/{d}"))).send().await.unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn edition_comparison_shows_values_side_by_side_with_the_change() {
    let app = spawn_app().await;
    let (admin, _) = two_editions(&app).await;
    let cmp = admin
        .get(app.url("/nyckeltal/jamfor?a=2024&b=2025&fokus=0020"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(cmp.contains("Värden sida vid sida"), "{cmp}");
    let row = |code: &str, sex: &str, a: &str, b: &str, change: &str| {
        format!(
            "<th scope=\"row\">{code}</th><td>{}</td><td>{sex}</td><td class=\"num\">{a}</td><td class=\"num\">{b}</td><td class=\"num\">{change}</td>",
            match code {
                "1.1" => "Testindikator med kön, högre är bättre",
                "1.2" => "Testindikator utan kön, lägre är bättre",
                "1.3" => "Testindikator under utveckling",
                _ => "Faktanyckeltal",
            }
        )
    };
    for expected in [
        row("1.1", "Totalt", "55 (2023)", "70 (2024)", "+15 procentenheter"),
        row("1.1", "Kvinnor", "58 (2023)", "72 (2024)", "+14 procentenheter"),
        row("1.1", "Män", "47 (2023)", "45 (2024)", "−2 procentenheter"),
        row("1.2", "Totalt", "10 (2023)", "10 (2023)", "oförändrat"),
        row("1.3", "Totalt", "under utveckling", "under utveckling", "–"),
        row("1.4", "Totalt", "5 (2023)", "6 (2024)", "+1 antal"),
    ] {
        assert!(cmp.contains(&expected), "missing {expected} in {cmp}");
    }
    // The sets are still there.
    assert!(cmp.contains("Inte uppdaterade") && cmp.contains("1 (1.2)"));
}

#[tokio::test]
async fn charts_show_women_and_men_where_the_indicator_is_split_by_sex() {
    let app = spawn_app().await;
    let (admin, _) = two_editions(&app).await;
    let get = |path: &str| {
        let c = admin.clone();
        let url = app.url(path);
        async move {
            let r = c.get(url).send().await.unwrap();
            assert_eq!(r.status(), 200, "{}", r.url());
            r.text().await.unwrap()
        }
    };
    // 1.1 is split by sex: the trend has the focus's women and men beside the totals.
    let trend = get("/nyckeltal/2025/1.1/trend.svg?fokus=0020").await;
    assert!(trend.contains("Region Dalarna, kvinnor") && trend.contains("Region Dalarna, män"), "{trend}");
    assert!(trend.contains("Riket"), "{trend}");
    let bars = get("/nyckeltal/2025/1.1/jamforelse.svg?fokus=2084").await;
    assert!(bars.contains("Avesta, kvinnor") && bars.contains("Avesta, män"), "{bars}");
    assert!(bars.contains("kvinnor och män"), "title and description say so: {bars}");
    let page = get("/nyckeltal/2025/1.1?fokus=0020").await;
    assert!(page.contains("<th scope=\"col\" class=\"num\">Region Dalarna, kvinnor</th>"), "{page}");
    assert!(
        page.contains("<th scope=\"col\" class=\"num\">Kvinnor</th><th scope=\"col\" class=\"num\">Män</th>")
    );
    // The values are in the trend table: 2024 total 70, women 72, men 45.
    assert!(page.contains("<th scope=\"row\">2024</th><td class=\"num\">70</td>"), "{page}");
    assert!(page.contains("<td class=\"num\">72</td><td class=\"num\">45</td></tr>"), "{page}");
    // 1.2 is not split: totals only.
    let trend = get("/nyckeltal/2025/1.2/trend.svg?fokus=0020").await;
    assert!(!trend.contains("kvinnor") && !trend.contains("män"), "{trend}");
    let bars = get("/nyckeltal/2025/1.2/jamforelse.svg?fokus=2084").await;
    assert!(!bars.contains("kvinnor"), "{bars}");
}

#[tokio::test]
async fn one_page_infographic_on_top_of_the_page_and_as_svg_png_pdf() {
    let app = spawn_app().await;
    two_editions(&app).await;
    let (reader, _) = app.login("lasare").await;
    let page = reader.get(app.url("/nyckeltal/2025?fokus=0020")).send().await.unwrap().text().await.unwrap();
    let figure = page.find("<figure class=\"infografik-bild\"").expect("the one-page infographic");
    let summary = page.find("id=\"sammanfattning\"").unwrap();
    assert!(figure < summary, "the infographic comes first, the summary and tiles below");
    assert!(page.contains("media=\"(max-width: 47.99rem)\" srcset=\"/nyckeltal/2025/infografik/infografik-stapel.svg?fokus=0020\""));
    assert!(page.contains("alt=\"Infografik 2025 för Region Dalarna"));
    let get = |path: &str| {
        let c = reader.clone();
        let url = app.url(path);
        async move {
            let r = c.get(url).send().await.unwrap();
            assert_eq!(r.status(), 200, "{}", r.url());
            let ct = r.headers()["content-type"].to_str().unwrap().to_string();
            (ct, r.bytes().await.unwrap().to_vec())
        }
    };
    let (ct, svg) = get("/nyckeltal/2025/infografik/infografik.svg?fokus=0020").await;
    assert_eq!(ct, "image/svg+xml");
    let svg = String::from_utf8(svg).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("viewBox=\"0 0 1400 "), "landscape");
    for words in ["Delmål 1", "1.1 ", "i jämförelse med andra", "Källa: Kolada (RKA)", "Under utveckling"]
    {
        assert!(svg.contains(words), "{words}");
    }
    let (_, stacked) = get("/nyckeltal/2025/infografik/infografik-stapel.svg?fokus=0020").await;
    assert!(String::from_utf8(stacked).unwrap().contains("viewBox=\"0 0 420 "), "one column");
    let (_, png) = get("/nyckeltal/2025/infografik/infografik.png?fokus=0020").await;
    assert_eq!(&png[..4], b"\x89PNG");
    let (ct, pdf) = get("/nyckeltal/2025/infografik/infografik.pdf?fokus=0020").await;
    assert_eq!(ct, "application/pdf");
    assert!(pdf.starts_with(b"%PDF"));
    let (_, a3) = get("/nyckeltal/2025/infografik/infografik-a3.pdf?fokus=2062").await;
    assert!(a3.starts_with(b"%PDF"));
    let r = reader.get(app.url("/nyckeltal/2025/infografik/x.svg")).send().await.unwrap();
    assert_eq!(r.status(), 404);
}

/// A second server on the test database with the public view switched on.
async fn public_server(
    app: &common::TestApp,
    frame_ancestors: &[&str],
) -> (String, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut config = gnv_web::Config { bind: addr.to_string(), ..gnv_web::Config::default() };
    config.mail.dir = app.mail_dir.clone();
    config.public.infographic = true;
    config.public.frame_ancestors = frame_ancestors.iter().map(|s| s.to_string()).collect();
    let state = gnv_web::AppState { db: app.db.clone(), config: std::sync::Arc::new(config) };
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = gnv_web::serve_on(listener, state, async {
            let _ = rx.await;
        })
        .await;
    });
    (format!("http://{addr}"), tx)
}

#[tokio::test]
async fn public_view_is_off_by_default_and_shows_only_published_editions() {
    let app = spawn_app().await;
    two_editions(&app).await;
    let anon = common::client();
    // Off by default: 404, as for any unknown address.
    for path in [
        "/offentlig/infografik",
        "/offentlig/infografik/2025?fokus=0020",
        "/offentlig/infografik/2025/infografik.svg",
    ] {
        let r = anon.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }
    let (base, _stop) = public_server(&app, &["https://plus.regiondalarna.se"]).await;
    let url = |p: &str| format!("{base}{p}");
    let index = anon.get(url("/offentlig/infografik")).send().await.unwrap();
    assert_eq!(index.status(), 200);
    let index = index.text().await.unwrap();
    // Links per municipality, in Swedish alphabetical order (Älvdalen last).
    let pos = |s: &str| index.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(pos(">Region Dalarna<") < pos(">Avesta<"));
    assert!(pos(">Vansbro<") < pos(">Älvdalen<") && pos(">Rättvik<") < pos(">Smedjebacken<"));
    assert!(index.contains("href=\"/offentlig/infografik/2025?fokus=2039\""));
    assert!(index.contains("href=\"/offentlig/infografik/2024?fokus=0020\""));

    let r = anon.get(url("/offentlig/infografik/2025?fokus=0020")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("frame-ancestors https://plus.regiondalarna.se"), "{csp}");
    assert!(r.headers()["cache-control"].to_str().unwrap().contains("public"));
    let page = r.text().await.unwrap();
    assert!(page.contains("Infografik 2025 – Region Dalarna"));
    assert!(page.contains("Infografiken 2025 omfattar totalt 4 nyckeltal."));
    assert!(page.contains("<table class=\"infografik-tabell\">"));
    // Nothing of the logged-in application: no links into it, no log-in, no user names.
    for leak in ["href=\"/nyckeltal", "logga-in", "href=\"/\"", "csrf", "/admin"] {
        assert!(!page.contains(leak), "public page contains {leak}");
    }
    // The single-indicator pages and their files.
    assert!(page.contains("href=\"/offentlig/infografik/2025/nyckeltal/1.1?fokus=0020\""));
    let r = anon.get(url("/offentlig/infografik/2025/nyckeltal/1.1?fokus=2062")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors https://plus"));
    let ind = r.text().await.unwrap();
    assert!(ind.contains("<caption>1.1 för länets kommuner") && ind.contains("Mora (fokus)"), "{ind}");
    for leak in ["href=\"/nyckeltal", "logga-in", "csrf", "/admin"] {
        assert!(!ind.contains(leak), "public indicator page contains {leak}");
    }
    for file in ["trend.svg", "jamforelse.png", "data.csv"] {
        let r = anon
            .get(url(&format!("/offentlig/infografik/2025/nyckeltal/1.1/{file}?fokus=2062")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{file}");
    }
    for path in [
        "/offentlig/infografik/2026/nyckeltal/1.1?fokus=0020",
        "/offentlig/infografik/2025/nyckeltal/9.9",
        "/offentlig/infografik/2026/nyckeltal/1.1/data.csv",
    ] {
        assert_eq!(anon.get(url(path)).send().await.unwrap().status(), 404, "{path}");
    }
    let r = anon.get(url("/offentlig/infografik/2025/infografik.svg?fokus=2062")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Mora"));
    let r = anon.get(url("/offentlig/infografik/2025/infografik.pdf?fokus=0020")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));
    // An unpublished year (a preview for logged-in users) and foreign organisations are 404.
    for path in [
        "/offentlig/infografik/2026?fokus=0020",
        "/offentlig/infografik/2026/infografik.svg?fokus=0020",
        "/offentlig/infografik/2025?fokus=0180",
        "/offentlig/infografik/2025?fokus=abc",
        "/offentlig/infografik/x",
    ] {
        let r = anon.get(url(path)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
        assert!(!r.text().await.unwrap().contains("Förhandsvisning"));
    }
    // The logged-in pages stay logged-in.
    let r = anon.get(url("/nyckeltal/2025?fokus=0020")).send().await.unwrap();
    assert_eq!(r.status(), 303);
}

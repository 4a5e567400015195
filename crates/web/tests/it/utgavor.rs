//! Frozen editions in their compact form (#19): the open-data download of a published edition is
//! byte for byte what it was when editions were stored as JSON documents, both for an edition
//! published now and for an edition published before and converted by the storage upgrade.
//!
//! The expected bytes (`tests/data/utgavor/`) were recorded with the code before #19 (the JSON
//! editions) by running this file's tests with `GNV_RECORD_OPEN_DATA=1`: the open-data JSON and
//! CSV of the 2025 edition of the two hand-made Kolada editions, and that edition's stored row
//! (catalogue, values and registry JSON) as the old publishing wrote it. The edition's uid and
//! publishing time differ from run to run; they are replaced by `@UID@` and `@PUBLICERAD@`.

use crate::common::{self, spawn_app};
use reqwest::multipart::{Form, Part};
use serde_json::Value as Json;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/nyckeltal");
const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/utgavor");

fn file(name: &str) -> String {
    std::fs::read_to_string(format!("{DATA}/{name}")).unwrap()
}

fn recording() -> bool {
    std::env::var_os("GNV_RECORD_OPEN_DATA").is_some()
}

async fn upload(
    app: &common::TestApp,
    c: &reqwest::Client,
    csrf: &str,
    path: &str,
    field: &str,
    files: &[(&str, String)],
) -> u16 {
    let mut form = Form::new();
    for (name, body) in files {
        form = form.part(field.to_string(), Part::text(body.clone()).file_name(name.to_string()));
    }
    c.post(app.url(&format!("{path}?csrf={csrf}"))).multipart(form).send().await.unwrap().status().as_u16()
}

async fn publish(app: &common::TestApp, c: &reqwest::Client, csrf: &str, year: i32) -> u16 {
    c.post(app.url("/nyckeltal/admin/publicera"))
        .form(&[("csrf", csrf), ("ar", &year.to_string())])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The two hand-made editions of `nyckeltal.rs` (2024, then 2025 with a second import).
async fn two_editions(app: &common::TestApp) {
    let (admin, csrf) = app.login("admin").await;
    let cat = [("katalog.toml", file("katalog.toml"))];
    assert_eq!(upload(app, &admin, &csrf, "/nyckeltal/admin/katalog", "katalog", &cat).await, 303);
    let pages = [
        ("utgava1-sida1.json", file("utgava1-sida1.json")),
        ("utgava1-sida2.json", file("utgava1-sida2.json")),
    ];
    assert_eq!(upload(app, &admin, &csrf, "/nyckeltal/admin/import", "filer", &pages).await, 200);
    assert_eq!(publish(app, &admin, &csrf, 2024).await, 303);
    let page = [("utgava2.json", file("utgava2.json"))];
    assert_eq!(upload(app, &admin, &csrf, "/nyckeltal/admin/import", "filer", &page).await, 200);
    assert_eq!(publish(app, &admin, &csrf, 2025).await, 303);
}

/// The open-data download's bytes with the edition's uid and publishing time replaced.
async fn open_data(app: &common::TestApp, year: i32, ext: &str) -> Vec<u8> {
    let meta = app.db.nyckeltal_edition_meta(year).await.unwrap().unwrap();
    let r = common::client().get(app.url(&format!("/api/v1/utgavor/{year}.{ext}"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let text = String::from_utf8(r.bytes().await.unwrap().to_vec()).unwrap();
    text.replace(&meta.uid, "@UID@").replace(&meta.published_at, "@PUBLICERAD@").into_bytes()
}

fn golden(name: &str) -> Vec<u8> {
    std::fs::read(format!("{GOLDEN}/{name}")).unwrap_or_else(|e| panic!("{GOLDEN}/{name}: {e}"))
}

fn assert_same_bytes(got: &[u8], name: &str) {
    let want = golden(name);
    if got != want.as_slice() {
        let at = got.iter().zip(&want).position(|(a, b)| a != b).unwrap_or(got.len().min(want.len()));
        let show = |b: &[u8]| {
            String::from_utf8_lossy(&b[at.saturating_sub(80)..(at + 80).min(b.len())]).into_owned()
        };
        panic!(
            "{name}: {} bytes now, {} before; first difference at byte {at}:\nnow:    {}\nbefore: {}",
            got.len(),
            want.len(),
            show(got),
            show(&want)
        );
    }
}

#[tokio::test]
async fn open_data_of_a_newly_published_edition_is_byte_for_byte_as_before() {
    let app = spawn_app().await;
    two_editions(&app).await;
    let json = open_data(&app, 2025, "json").await;
    let csv = open_data(&app, 2025, "csv").await;
    if recording() {
        std::fs::create_dir_all(GOLDEN).unwrap();
        std::fs::write(format!("{GOLDEN}/oppna-data-2025.json"), &json).unwrap();
        std::fs::write(format!("{GOLDEN}/oppna-data-2025.csv"), &csv).unwrap();
        let (uid, published_at, title, value_count, catalogue, values, registry): (
            String,
            String,
            String,
            i64,
            String,
            String,
            String,
        ) = sqlx::query_as(
            "SELECT uid, published_at, title, value_count, catalogue_json, values_json, registry_json
             FROM nyckeltal_edition WHERE year = 2025",
        )
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        let row = serde_json::json!({
            "uid": uid, "published_at": published_at, "title": title, "value_count": value_count,
            "catalogue_json": catalogue, "values_json": values, "registry_json": registry,
        });
        std::fs::write(format!("{GOLDEN}/utgava-2025-json.json"), serde_json::to_vec_pretty(&row).unwrap())
            .unwrap();
        return;
    }
    assert_same_bytes(&json, "oppna-data-2025.json");
    assert_same_bytes(&csv, "oppna-data-2025.csv");
}

#[tokio::test]
async fn open_data_of_an_edition_converted_from_json_is_byte_for_byte_as_before() {
    if recording() {
        return;
    }
    let app = spawn_app().await;
    // The 2025 edition's row exactly as the publishing before #19 stored it (format 1, JSON).
    let row: Json = serde_json::from_slice(&golden("utgava-2025-json.json")).unwrap();
    let text = |k: &str| row[k].as_str().unwrap().to_string();
    sqlx::query(
        "INSERT INTO nyckeltal_edition (year, uid, title, published_at, published_by, value_count, catalogue_json, values_json, registry_json, format)
         VALUES (2025, $1, $2, $3, 'admin', $4, $5, $6, $7, 1)",
    )
    .bind(text("uid"))
    .bind(text("title"))
    .bind(text("published_at"))
    .bind(row["value_count"].as_i64().unwrap())
    .bind(text("catalogue_json"))
    .bind(text("values_json"))
    .bind(text("registry_json"))
    .execute(app.db.pool())
    .await
    .unwrap();
    // Converted by the upgrade step (which `Db::connect` runs after the migrations), before
    // anything has read the edition: the download below is read from the blocks.
    assert_eq!(app.db.nyckeltal_upgrade_editions().await.unwrap(), [2025]);
    assert!(app.db.nyckeltal_upgrade_editions().await.unwrap().is_empty(), "converted once");
    let (format, values): (i64, String) =
        sqlx::query_as("SELECT format, values_json FROM nyckeltal_edition WHERE year = 2025")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!((format, values.as_str()), (2, ""), "stored as blocks only");
    assert_same_bytes(&open_data(&app, 2025, "json").await, "oppna-data-2025.json");
    assert_same_bytes(&open_data(&app, 2025, "csv").await, "oppna-data-2025.csv");
}

//! The OpenAPI description against reality: starts `gnv demo` (the demo data covers every part of
//! the read API), fetches `/api/v1/openapi.json`, calls every JSON route it lists for the demo's
//! years and validates each real response against the route's response schema (JSON Schema
//! 2020-12). A response type that changes without its schema, or a schema that claims fields the
//! server does not write, fails here.

use serde_json::{json, Value};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const DEMO_PASSWORD: &str = "Dalarna-demo-2026";

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let i = html.find(marker).expect("csrf field") + marker.len();
    html[i..i + 64].to_string()
}

/// Every concrete URL to try for a documented path: each `{ar}`/`{year}` over the demo's years,
/// and the infographic also for a municipality as focus.
fn urls(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    for year in 2022..=2026 {
        let p = path
            .replace("{ar}", &year.to_string())
            .replace("{year}", &year.to_string())
            .replace("{planar}", &year.to_string())
            .replace("{utgava}", &format!("{year}.json"));
        if p.contains('{') {
            panic!("{path}: no test value for its parameters; add one here");
        }
        if path.contains("/infographic/") {
            out.push(format!("{p}?focus=2084"));
        }
        let done = p == path;
        out.push(p);
        if done {
            break;
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_api_response_matches_its_openapi_schema() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let _server = Server(
        Command::new(env!("CARGO_BIN_EXE_gnv"))
            .args(["demo", "--db", "demo.db", "--bind", &format!("127.0.0.1:{port}")])
            .current_dir(dir.path())
            .env_remove("GNV_CONFIG")
            .env("GNV_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gnv demo"),
    );
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let mut healthy = false;
    for _ in 0..1200 {
        if matches!(c.get(format!("{base}/healthz")).send().await, Ok(r) if r.status().is_success()) {
            healthy = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(healthy, "gnv demo did not start");

    // The description is public.
    let doc: Value = c.get(format!("{base}/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");

    let page = c.get(format!("{base}/logga-in")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    let r = c
        .post(format!("{base}/logga-in"))
        .form(&[("csrf", csrf.as_str()), ("anvandarnamn", "analytiker"), ("losenord", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "demo log-in failed");

    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 8, "{:?}", paths.keys().collect::<Vec<_>>());
    let mut checked = Vec::new();
    for (path, item) in paths {
        let schema = &item["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert!(!schema.is_null(), "{path}: no 200 schema");
        // The route's schema as the root, with the document's definitions beside it so that
        // `#/components/schemas/…` references resolve.
        let mut root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": doc["components"].clone(),
        });
        for (k, v) in schema.as_object().unwrap() {
            root[k] = v.clone();
        }
        let validator = jsonschema::draft202012::new(&root)
            .unwrap_or_else(|e| panic!("{path}: the schema is not valid JSON Schema: {e}"));
        let mut ok = 0;
        for url in urls(path) {
            let resp = c.get(format!("{base}{url}")).send().await.unwrap();
            if resp.status() != 200 {
                continue;
            }
            let body: Value = resp.json().await.unwrap_or_else(|e| panic!("{url}: not JSON: {e}"));
            let errors: Vec<String> = validator
                .iter_errors(&body)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .take(10)
                .collect();
            assert!(errors.is_empty(), "{url}: response does not match its schema:\n{}", errors.join("\n"));
            // Not vacuous: an empty object or null must not pass for a real summary unnoticed.
            ok += 1;
            checked.push(url);
        }
        assert!(ok > 0, "{path}: no demo year answered 200, so nothing was validated");
    }
    eprintln!("validated {} responses: {checked:?}", checked.len());
}

//! Searching Kolada's KPI list (#19) against a local fake Kolada on loopback: `/v3/kpi?title=…`
//! with the search text as query parameter, paging through `next_page`, the same matching as a
//! saved `/v3/kpi` response offline, and repeated searches answered from the cache.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use gnv_kolada::client::Client;
use gnv_kolada::kpi::{parse_text, search_list, search_online};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A saved `/v3/kpi` response in Kolada's v3 format (hand-written, shared with gnv-core's tests).
const KPI_LIST: &str = include_str!("../../core/tests/data/kolada-kpi.json");

#[derive(Clone, Default)]
struct Fake {
    queries: Arc<Mutex<Vec<HashMap<String, String>>>>,
}

/// Like Kolada: KPIs whose title contains the text, in two pages.
async fn kpi(State(f): State<Fake>, Query(q): Query<HashMap<String, String>>) -> String {
    f.queries.lock().unwrap().push(q.clone());
    let all: serde_json::Value = serde_json::from_str(KPI_LIST).unwrap();
    let title = q.get("title").cloned().unwrap_or_default().to_lowercase();
    let hits: Vec<serde_json::Value> = all["values"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["title"].as_str().unwrap().to_lowercase().contains(&title))
        .cloned()
        .collect();
    let (page, next) = if q.contains_key("page") {
        (hits[1..].to_vec(), serde_json::Value::Null)
    } else {
        (hits[..1].to_vec(), format!("/v3/kpi?title={}&page=2", q["title"].replace(' ', "%20")).into())
    };
    serde_json::json!({"count": hits.len(), "values": page, "next_page": next}).to_string()
}

#[tokio::test]
async fn online_search_pages_through_kolada_matches_like_offline_and_is_cached() {
    let fake = Fake::default();
    let app = Router::new().route("/v3/kpi", get(kpi)).with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::new(&format!("http://{addr}")).unwrap();

    let found = search_online(&client, "hemtjänst").await.unwrap();
    let ids: Vec<String> = found.iter().map(|k| k.id.to_string()).collect();
    assert_eq!(ids, ["N21005", "N21011"], "both pages");
    let queries = fake.queries.lock().unwrap().clone();
    assert_eq!(queries.len(), 2, "two pages: {queries:?}");
    assert_eq!(queries[0]["title"], "hemtjänst", "the text as Kolada's title parameter");
    assert_eq!(found[1].divided_by_gender, Some(true));
    assert_eq!(found[1].municipality_type.as_deref(), Some("K"));
    assert!(found[0].description.as_deref().unwrap().contains("fast omsorgskontakt"));

    // Offline from the saved list: the same answer.
    let offline = search_list(&parse_text(KPI_LIST, "kpi.json").unwrap(), "hemtjänst");
    assert_eq!(offline, found);

    // Asked again (any case): from the cache, no request.
    assert_eq!(search_online(&client, "Hemtjänst").await.unwrap(), found);
    assert_eq!(fake.queries.lock().unwrap().len(), 2);
}

#[test]
fn a_file_that_is_not_a_kpi_list_is_refused_naming_the_file() {
    let err = parse_text("{\"values\": [{\"title\": \"utan id\"}]}", "kpi.json").unwrap_err().to_string();
    assert!(err.contains("kpi.json") && err.contains("saknar \"id\""), "{err}");
}

//! The Kolada client against a local fake Kolada: organisation list, batching, paging through
//! `next_page`, retries after server errors, and the raw responses kept.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use gnv_core::nyckeltal::{default_catalogue, Catalogue, Indicator, KpiId, Source};
use gnv_kolada::client::{fetch, parse_years, Client};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Default)]
struct Fake {
    calls: Arc<AtomicUsize>,
    paths: Arc<Mutex<Vec<String>>>,
}

fn catalogue() -> Catalogue {
    let mut list: Vec<Indicator> = default_catalogue().indicators().to_vec();
    for ind in list.iter_mut() {
        if ind.code.to_string() == "2.1" {
            ind.sources = vec![Source::Kolada(KpiId::parse("N90001").unwrap())];
        }
    }
    Catalogue::new(list).unwrap()
}

async fn municipalities() -> impl IntoResponse {
    r#"{"values":[{"id":"0020","title":"Region Dalarna","type":"L"},{"id":"2084","title":"Avesta","type":"K"},{"id":"2085","title":"Ludvika","type":"K"}],"count":3}"#
}

async fn data(State(f): State<Fake>, Path(rest): Path<String>) -> axum::response::Response {
    let n = f.calls.fetch_add(1, Ordering::SeqCst);
    f.paths.lock().unwrap().push(rest.clone());
    if n == 0 {
        return (StatusCode::SERVICE_UNAVAILABLE, "upptagen").into_response();
    }
    if rest.ends_with("sida2") {
        return r#"{"values":[{"kpi":"N90001","municipality":"2085","period":2024,"values":[{"gender":"T","value":null,"status":".."}]}],"count":1}"#.into_response();
    }
    r#"{"values":[{"kpi":"N90001","municipality":"0020","period":2024,"values":[{"gender":"T","value":40.5,"status":""},{"gender":"K","value":41,"status":""},{"gender":"M","value":39.9,"status":""}]}],"count":1,"next_page":"/v3/data/sida2"}"#.into_response()
}

#[tokio::test]
async fn fetch_pages_retries_and_keeps_raw_responses() {
    let fake = Fake::default();
    let app = Router::new()
        .route("/v3/municipality", get(municipalities))
        .route("/v3/data/{*rest}", get(data))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let mut client = Client::new(&format!("http://{addr}")).unwrap();
    client.backoff = Duration::from_millis(5);
    let (batch, raw) = fetch(&client, &catalogue(), &parse_years("2023-2024").unwrap(), false).await.unwrap();
    assert_eq!(batch.len(), 4, "three values from page 1, one suppressed value from page 2");
    assert_eq!(batch.missing_counts().confidential, 1);
    assert_eq!(raw.len(), 2, "both pages kept");
    let paths = fake.paths.lock().unwrap().clone();
    assert_eq!(paths.len(), 3, "first request retried once: {paths:?}");
    assert!(paths[0].contains("kpi/N90001/municipality/0000,0020,2084,2085/year/2023,2024"), "{paths:?}");
    assert_eq!(paths[2], "sida2");
}

#[tokio::test]
async fn fetch_with_a_catalogue_without_kolada_ids_explains_why() {
    let client = Client::new("http://127.0.0.1:9").unwrap();
    let err = fetch(&client, &default_catalogue(), &[2024], false).await.unwrap_err().to_string();
    assert!(err.contains("inga Kolada-id"), "{err}");
}

#[tokio::test]
async fn unreachable_kolada_fails_after_retries() {
    let mut client = Client::new("http://127.0.0.1:9").unwrap();
    client.backoff = Duration::from_millis(1);
    client.attempts = 2;
    let err = fetch(&client, &catalogue(), &[2024], false).await.unwrap_err().to_string();
    assert!(err.contains("efter 2 försök"), "{err}");
}

#[test]
fn year_ranges() {
    assert_eq!(parse_years("2015-2025").unwrap().len(), 11);
    assert_eq!(parse_years("2024").unwrap(), vec![2024]);
    assert!(parse_years("2025-2015").is_err());
    assert!(parse_years("x").is_err());
}

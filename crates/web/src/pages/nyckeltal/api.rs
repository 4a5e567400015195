//! The JSON API of the infographic summary and the open data of published editions.

use super::*;

// API

#[derive(Deserialize, Default)]
pub struct ApiQuery {
    pub(super) focus: Option<String>,
}

/// `GET /api/v1/infographic/{ar}/summary?focus=0020` (schema in README.md).
pub async fn api_summary(
    State(state): State<AppState>,
    Path(ar): Path<String>,
    Query(q): Query<ApiQuery>,
) -> Response {
    let err =
        |status: StatusCode, msg: String| (status, Json(serde_json::json!({ "error": msg }))).into_response();
    let Ok(year) = Year::parse(&ar) else {
        return err(StatusCode::NOT_FOUND, format!("\"{ar}\" är inget årtal."));
    };
    let names = match Names::load(&state).await {
        Ok(n) => n,
        Err(_) => {
            return err(StatusCode::INTERNAL_SERVER_ERROR, "Organisationsregistret kunde inte läsas.".into())
        }
    };
    let focus = match focus_of(q.focus.as_deref(), &names) {
        Ok(f) => f,
        Err(_) => {
            return err(
                StatusCode::BAD_REQUEST,
                "Parametern focus ska vara en organisationskod med fyra siffror.".into(),
            )
        }
    };
    let edition = match state.db.nyckeltal_editions().await {
        Ok(editions) => state.db.nyckeltal_edition_for_focus(year, &editions, &focus).await,
        Err(e) => Err(e),
    };
    match edition {
        Ok(e) => Json(crate::api::InfographicSummary::new(&e, &focus, &names.name(&focus))).into_response(),
        Err(e) => err(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

// ---------------------------------------------------------------------------------------------
// Open data: published editions

/// Column names of the open-data export, in their fixed order (CSV header and JSON keys).
pub const OPEN_DATA_COLUMNS: [&str; 8] =
    ["nyckeltal", "titel", "organisationskod", "organisation", "år", "kön", "värde", "status"];

/// One value of a published edition in the open-data export.
pub(super) struct OpenValue {
    pub(super) indicator: String,
    pub(super) title: String,
    pub(super) org: String,
    pub(super) org_name: String,
    pub(super) year: i32,
    pub(super) gender: Gender,
    pub(super) value: gnv_core::nyckeltal::Value,
}

/// All values of an edition, ordered by indicator, organisation code, year and sex (T, K, M).
pub(super) fn open_values(edition: &Edition, names: &Names) -> Vec<OpenValue> {
    let mut obs = edition.data().observations();
    obs.sort_by(|a, b| {
        (a.indicator, &a.org, a.period, a.gender).cmp(&(b.indicator, &b.org, b.period, b.gender))
    });
    let mut name_cache: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    obs.into_iter()
        .map(|o| {
            let org_name = name_cache.entry(o.org.clone()).or_insert_with(|| names.name(&o.org)).clone();
            OpenValue {
                indicator: o.indicator.to_string(),
                title: edition.catalogue().get(o.indicator).map(|i| i.title.clone()).unwrap_or_default(),
                org_name,
                org: o.org,
                year: o.period.0,
                gender: o.gender,
                value: o.value,
            }
        })
        .collect()
}

/// A value with full precision and a decimal comma (Swedish Excel reads it as a number).
pub(super) fn open_number_text(x: f64) -> String {
    format!("{x}").replace('.', ",")
}

pub(super) fn api_error(status: StatusCode, msg: String) -> Response {
    (status, Json(serde_json::json!({ "error": msg }))).into_response()
}

/// `GET /api/v1/utgavor`: the published editions with links to their data.
pub async fn api_editions(State(state): State<AppState>) -> Response {
    match state.db.nyckeltal_editions().await {
        Ok(list) => {
            let editions: Vec<serde_json::Value> = list
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "id": e.year,
                        "year": e.year,
                        "title": e.title,
                        "uid": e.uid,
                        "published_at": e.published_at,
                        "value_count": e.value_count,
                        "csv": format!("/api/v1/utgavor/{}.csv", e.year),
                        "json": format!("/api/v1/utgavor/{}.json", e.year),
                    })
                })
                .collect();
            Json(serde_json::json!({ "editions": editions, "source": ATTRIBUTION })).into_response()
        }
        Err(e) => api_error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

/// `GET /api/v1/utgavor/{år}.csv|.json`: every value of a published (frozen) edition.
pub async fn api_edition_data(State(state): State<AppState>, Path(utgava): Path<String>) -> Response {
    let (id, ext) = match utgava.rsplit_once('.') {
        Some((id, ext)) if ext == "csv" || ext == "json" => (id, ext),
        _ => {
            return api_error(
                StatusCode::NOT_FOUND,
                format!("\"{utgava}\" finns inte; använd {{år}}.csv eller {{år}}.json, t.ex. 2025.csv."),
            )
        }
    };
    let not_published = || api_error(StatusCode::NOT_FOUND, format!("Utgåvan {id} är inte publicerad."));
    let Ok(year) = Year::parse(id) else { return not_published() };
    let edition = match state.db.nyckeltal_edition(year).await {
        Ok(Some(e)) => e,
        Ok(None) => return not_published(),
        Err(e) => return api_error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    };
    let names = match Names::load(&state).await {
        Ok(n) => n.of_edition(&state, &edition).await,
        Err(e) => Err(e),
    };
    let Ok(names) = names else {
        return api_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Organisationsregistret kunde inte läsas.".into(),
        );
    };
    let values = open_values(&edition, &names);
    let filename = format!("infografik-{year}.{ext}");
    if ext == "csv" {
        let header: Vec<String> = OPEN_DATA_COLUMNS.iter().map(|c| c.to_string()).collect();
        let rows: Vec<Vec<Cell>> = values
            .into_iter()
            .map(|v| {
                vec![
                    Cell::Text(v.indicator),
                    Cell::Text(v.title),
                    Cell::Text(v.org),
                    Cell::Text(v.org_name),
                    Cell::Integer(v.year as i64),
                    Cell::text(v.gender.as_str()),
                    v.value.number().map(|x| Cell::Text(open_number_text(x))).unwrap_or(Cell::Empty),
                    Cell::text(v.value.code().unwrap_or("")),
                ]
            })
            .collect();
        return file_response("text/csv; charset=utf-8", &filename, with_bom_csv(&header, &rows), true);
    }
    let rows: Vec<serde_json::Value> = values
        .into_iter()
        .map(|v| {
            let mut m = serde_json::Map::new();
            let cells = [
                serde_json::json!(v.indicator),
                serde_json::json!(v.title),
                serde_json::json!(v.org),
                serde_json::json!(v.org_name),
                serde_json::json!(v.year),
                serde_json::json!(v.gender.as_str()),
                serde_json::json!(v.value.number()),
                serde_json::json!(v.value.code().unwrap_or("")),
            ];
            for (k, c) in OPEN_DATA_COLUMNS.iter().zip(cells) {
                m.insert(k.to_string(), c);
            }
            serde_json::Value::Object(m)
        })
        .collect();
    let doc = serde_json::json!({
        "edition": {
            "id": edition.meta.year,
            "year": edition.meta.year,
            "title": edition.meta.title,
            "uid": edition.meta.uid,
            "published_at": edition.meta.published_at,
            "value_count": edition.meta.value_count,
        },
        "columns": OPEN_DATA_COLUMNS,
        "values": rows,
        "source": ATTRIBUTION,
    });
    match serde_json::to_vec(&doc) {
        Ok(body) => file_response("application/json", &filename, body, false),
        Err(e) => api_error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

//! The OpenAPI 3.1 description of the read API, generated from the route table so that it can
//! never list a route that does not exist or miss one that does. Response schemas are described
//! here per route where known; other routes are described as JSON objects.

use crate::routes::{self, RouteSpec};
use gnv_core::roll::Access;
use serde_json::{json, Map, Value};

/// Response schemas of known API routes, keyed by path.
fn schema_for(path: &str) -> Value {
    match path {
        "/api/v1/organisationer" => json!({
            "type": "object",
            "required": ["county_name", "region", "municipalities", "lsls", "bodies"],
            "properties": {
                "county_name": { "type": "string", "example": "Dalarnas län" },
                "region": { "$ref": "#/components/schemas/Organisation" },
                "municipalities": { "type": "array", "items": { "$ref": "#/components/schemas/Organisation" } },
                "lsls": { "type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "code": { "type": "string", "example": "lsl-sodra-dalarna" },
                        "name": { "type": "string", "example": "Södra Dalarna" },
                        "municipalities": { "type": "array", "items": { "type": "string" }, "example": ["2083", "2084"] }
                    }
                } },
                "bodies": { "type": "array", "items": { "$ref": "#/components/schemas/Organisation" } }
            }
        }),
        "/api/v1/planering/arsplan/{planar}" => json!({
            "type": "object",
            "required": ["year", "arsplan"],
            "description": "arsplan är null när året saknar årsplan.",
            "properties": {
                "year": { "type": "integer", "example": 2026 },
                "arsplan": { "type": ["object", "null"], "properties": {
                    "activity_types": { "type": "array", "items": { "type": "object", "properties": {
                        "name": { "type": "string", "example": "Regionala nätverksträffar" },
                        "target": { "type": "object", "properties": {
                            "min": { "type": "integer" }, "max": { "type": "integer" },
                            "timing": { "type": ["string", "null"] }, "label": { "type": "string", "example": "4–5 ggr/år" } } },
                        "outcome": { "type": "object", "properties": {
                            "held": { "type": "integer" }, "planned": { "type": "integer" },
                            "fulfilment": { "type": "string", "enum": ["uppnatt", "pa_vag", "behover_planeras"] },
                            "text": { "type": "string", "example": "3 av 4–5 nätverksträffar" } } }
                    } } },
                    "occurrences": { "type": "array", "items": { "type": "object" } },
                    "attendance": { "type": "object", "properties": {
                        "text": { "type": "string", "example": "6 av 13 systemledningar, varav 8 kommuner" } } },
                    "not_reached": { "type": "object", "properties": {
                        "lsls": { "type": "array", "items": { "type": "string" } }, "sentence": { "type": "string" } } }
                } }
            }
        }),
        "/api/v1/planering/kalender/{ar}" => json!({
            "type": "object",
            "required": ["year", "meetings"],
            "properties": {
                "year": { "type": "integer", "example": 2026 },
                "meetings": { "type": "array", "items": { "type": "object", "properties": {
                    "id": { "type": "string", "example": "lchnv-2026-01-29" },
                    "body": { "type": "string", "example": "lchnv" },
                    "date": { "type": ["string", "null"], "example": "2026-01-29" },
                    "quarter": { "type": ["integer", "null"] },
                    "deliverables": { "type": "array", "items": { "type": "object" } },
                    "proposals": { "type": "array", "items": { "type": "object" } }
                } } }
            }
        }),
        "/api/v1/planering/handlingsplan" => json!({
            "type": "object",
            "required": ["handlingsplan"],
            "description": "handlingsplan är null när ingen version är sparad.",
            "properties": { "handlingsplan": { "type": ["object", "null"], "properties": {
                "version": { "type": "integer" },
                "review_year": { "type": "integer" },
                "actions": { "type": "array", "items": { "type": "object", "properties": {
                    "key": { "type": "string", "example": "2.1.3" },
                    "status": { "type": "string", "enum": ["ej_paborjad", "pagar", "forsenad", "klar", "avbruten"] },
                    "level": { "type": "string", "enum": ["strategisk", "taktisk", "operativ"] },
                    "links": { "type": "array", "items": { "type": "object" } }
                } } }
            } } }
        }),
        "/api/v1/utgavor" => json!({
            "type": "object",
            "required": ["editions", "source"],
            "properties": {
                "editions": { "type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "id": { "type": "integer", "example": 2025 },
                        "year": { "type": "integer", "example": 2025 },
                        "title": { "type": "string", "example": "Infografik 2025" },
                        "uid": { "type": "string" },
                        "published_at": { "type": "string", "format": "date-time" },
                        "value_count": { "type": "integer" },
                        "csv": { "type": "string", "example": "/api/v1/utgavor/2025.csv" },
                        "json": { "type": "string", "example": "/api/v1/utgavor/2025.json" }
                    }
                } },
                "source": { "type": "string", "example": "Källa: Kolada (RKA)" }
            }
        }),
        "/api/v1/utgavor/{utgava}" => json!({
            "type": "object",
            "description": "Utgåvans alla frysta värden. {utgava} är året följt av .json eller .csv (CSV: semikolon, UTF-8 med BOM, decimalkomma, samma kolumner i samma ordning).",
            "properties": {
                "edition": { "type": "object" },
                "columns": { "type": "array", "items": { "type": "string" },
                    "example": ["nyckeltal", "titel", "organisationskod", "organisation", "år", "kön", "värde", "status"] },
                "values": { "type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "nyckeltal": { "type": "string", "example": "2.1" },
                        "titel": { "type": "string" },
                        "organisationskod": { "type": "string", "example": "0020" },
                        "organisation": { "type": "string", "example": "Region Dalarna" },
                        "år": { "type": "integer", "example": 2024 },
                        "kön": { "type": "string", "enum": ["T", "K", "M"] },
                        "värde": { "type": ["number", "null"] },
                        "status": { "type": "string", "enum": ["", "-", ".", ".."], "description": "Koladas saknadkod när värde saknas" }
                    }
                } },
                "source": { "type": "string" }
            }
        }),
        _ => json!({ "type": "object", "description": "Se README.md för fältens betydelse." }),
    }
}

fn operation(r: &RouteSpec) -> Value {
    let params: Vec<Value> = r
        .path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
        .collect();
    let mut op = json!({
        "summary": r.description,
        "parameters": params,
        "responses": {
            "200": { "description": "OK", "content": { "application/json": { "schema": schema_for(r.path) } } },
            "401": { "description": "Inloggning krävs" },
            "404": { "description": "Finns inte" }
        }
    });
    if r.path == "/api/v1/utgavor/{utgava}" {
        op["responses"]["200"]["content"]["text/csv"] = json!({ "schema": { "type": "string" } });
    }
    if r.access == Access::Public {
        op["security"] = json!([]);
        if let Some(responses) = op["responses"].as_object_mut() {
            responses.remove("401");
        }
    }
    op
}

/// The OpenAPI document for every GET route under `/api/v1/`.
pub fn document() -> Value {
    let mut paths = Map::new();
    for r in routes::table().iter().filter(|r| r.method == "GET" && r.path.starts_with("/api/v1/")) {
        paths.insert(r.path.to_string(), json!({ "get": operation(r) }));
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "GNV-uppföljning – läs-API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Läs-API för nyckeltal, utgåvor, sammanfattningar och rapporteringsomgångarnas sammanställningar. Kräver inloggning (sessionskaka gnv_session).",
            "license": { "name": "EUPL-1.2" }
        },
        "servers": [{ "url": "/" }],
        "security": [{ "session": [] }],
        "components": {
            "securitySchemes": { "session": { "type": "apiKey", "in": "cookie", "name": "gnv_session" } },
            "schemas": {
                "Organisation": {
                    "type": "object",
                    "properties": {
                        "code": { "type": "string", "example": "2084" },
                        "kind": { "type": "string", "enum": ["land", "region", "kommun", "lsl", "organ"] },
                        "name": { "type": "string", "example": "Avesta" },
                        "short_name": { "type": "string" },
                        "description": { "type": "string" }
                    }
                }
            }
        },
        "paths": paths
    })
}

/// `GET /api/v1/openapi.json`
pub async fn serve() -> axum::Json<Value> {
    axum::Json(document())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_api_get_route_is_described_and_nothing_else() {
        let doc = document();
        let paths = doc["paths"].as_object().unwrap();
        let api_gets: Vec<&str> = routes::table()
            .iter()
            .filter(|r| r.method == "GET" && r.path.starts_with("/api/v1/"))
            .map(|r| r.path)
            .collect();
        assert_eq!(paths.len(), api_gets.len());
        for p in api_gets {
            assert!(paths.contains_key(p), "{p} missing");
        }
        assert!(paths.contains_key("/api/v1/organisationer"));
        let open = &paths["/api/v1/utgavor/{utgava}"]["get"];
        assert_eq!(open["security"], json!([]), "open data needs no log-in");
        assert!(open["responses"]["200"]["content"]["text/csv"].is_object());
        assert_eq!(open["parameters"][0]["name"], "utgava");
        assert_eq!(doc["openapi"], "3.1.0");
    }
}

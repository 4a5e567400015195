//! The OpenAPI 3.1 description of the read API, generated from the route table so that it can
//! never list a route that does not exist or miss one that does. Each JSON route declares its
//! response type with `.json::<T>()` (see [`crate::routes::Routes::json`]); the schema is derived
//! from that Rust type with schemars (JSON Schema 2020-12, the dialect of OpenAPI 3.1) for its
//! *serialised* form, so the description follows the code. The CLI test `openapi` fetches every
//! route of the demo and validates the real responses against this document.

use crate::routes::{self, ApiDoc, ApiParam, RouteSpec};
use gnv_core::access::Access;
use schemars::generate::{Contract, SchemaSettings};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};
use std::borrow::Cow;

/// The OpenAPI document itself (only its outline is described).
pub struct OpenApiDocument;

impl JsonSchema for OpenApiDocument {
    fn schema_name() -> Cow<'static, str> {
        "OpenApiDocument".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "description": "Detta dokument (OpenAPI 3.1).",
            "required": ["openapi", "info", "paths"],
            "properties": {
                "openapi": { "type": "string" },
                "info": { "type": "object" },
                "paths": { "type": "object" },
                "components": { "type": "object" }
            }
        })
    }
}

/// Where the generated schemas are referenced from (`#/components/schemas/Name`).
pub const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";

/// The generator settings: JSON Schema 2020-12, definitions under `components/schemas`, and the
/// serialisation contract (the API writes these types; it never reads them).
fn generator() -> SchemaGenerator {
    let mut settings = SchemaSettings::draft2020_12();
    settings.definitions_path = "/components/schemas".into();
    settings.contract = Contract::Serialize;
    settings.meta_schema = None;
    settings.into_generator()
}

/// The description of a path parameter the route did not describe itself: years by convention.
fn default_param(name: &str) -> Option<ApiParam> {
    match name {
        "ar" | "year" => Some(ApiParam {
            name: if name == "ar" { "ar" } else { "year" },
            location: "path",
            required: true,
            description: "Årtal med fyra siffror, t.ex. 2025 (rapporteringsomgångens eller utgåvans år).",
        }),
        _ => None,
    }
}

fn param_json(p: &ApiParam) -> Value {
    let schema = if p.location == "path" && matches!(p.name, "ar" | "year") {
        json!({ "type": "string", "pattern": "^[0-9]{4}$", "examples": ["2025"] })
    } else {
        json!({ "type": "string" })
    };
    json!({
        "name": p.name,
        "in": p.location,
        "required": p.required,
        "description": p.description,
        "schema": schema
    })
}

/// The names of a path's `{parameters}`.
pub fn path_params(path: &str) -> Vec<&str> {
    path.split('/').filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).collect()
}

fn operation(r: &RouteSpec, doc: Option<&ApiDoc>, gen: &mut SchemaGenerator) -> Value {
    let declared: &[ApiParam] = doc.map(|d| d.params.as_slice()).unwrap_or(&[]);
    let mut params: Vec<Value> = Vec::new();
    for name in path_params(r.path) {
        let p = declared
            .iter()
            .find(|p| p.name == name && p.location == "path")
            .copied()
            .or_else(|| default_param(name))
            .unwrap_or(ApiParam { name: "", location: "path", required: true, description: "" });
        params.push(param_json(&ApiParam { name, ..p }));
    }
    params.extend(declared.iter().filter(|p| p.location == "query").map(param_json));
    let schema: Value = match doc {
        Some(d) => (d.schema)(gen).to_value(),
        None => json!({ "type": "object" }),
    };
    let mut responses = Map::new();
    responses.insert(
        "200".into(),
        json!({ "description": "OK", "content": { "application/json": { "schema": schema } } }),
    );
    if r.access != Access::Public {
        responses
            .insert("401".into(), json!({ "description": "Inloggning krävs (sessionskakan gnv_session)." }));
        responses.insert("403".into(), json!({ "description": "Rollen saknar behörighet." }));
    }
    if !path_params(r.path).is_empty() {
        responses.insert("404".into(), json!({ "description": "Årtalet eller resursen finns inte." }));
    }
    for (status, description) in doc.map(|d| d.errors.as_slice()).unwrap_or(&[]) {
        responses.insert(status.to_string(), json!({ "description": description }));
    }
    let mut op = json!({
        "summary": r.description,
        "operationId": operation_id(r.path),
        "parameters": params,
        "responses": responses
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

/// A stable operation id from the path: `/api/v1/rounds/{ar}/status` → `rounds_ar_status`.
fn operation_id(path: &str) -> String {
    path.trim_start_matches("/api/v1/")
        .split('/')
        .map(|s| s.trim_matches(|c| c == '{' || c == '}').replace(['.', '-'], "_"))
        .collect::<Vec<_>>()
        .join("_")
}

/// The OpenAPI document for every GET route under `/api/v1/`.
pub fn document() -> Value {
    let docs = routes::api_docs();
    let mut gen = generator();
    let mut paths = Map::new();
    for r in routes::table().iter().filter(|r| r.method == "GET" && r.path.starts_with("/api/v1/")) {
        let doc = docs.iter().find(|d| d.path == r.path);
        paths.insert(r.path.to_string(), json!({ "get": operation(r, doc, &mut gen) }));
    }
    let schemas: Map<String, Value> = gen.take_definitions(true);
    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "GNV-uppföljning – läs-API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Läs-API för organisationer, nyckeltalens sammanfattningar och rapporteringsomgångarnas sammanställningar (självskattning, kartläggning, kommunenkät, ekonomisk redovisning, status). Kräver inloggning (sessionskakan gnv_session). Svarens scheman är härledda ur de Rust-typer som servern serialiserar.",
            "license": { "name": "EUPL-1.2", "identifier": "EUPL-1.2" }
        },
        "servers": [{ "url": "/" }],
        "security": [{ "session": [] }],
        "components": {
            "securitySchemes": { "session": { "type": "apiKey", "in": "cookie", "name": "gnv_session" } },
            "schemas": schemas
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

    fn api_gets() -> Vec<RouteSpec> {
        routes::table().into_iter().filter(|r| r.method == "GET" && r.path.starts_with("/api/v1/")).collect()
    }

    #[test]
    fn every_api_get_route_is_described_and_nothing_else() {
        let doc = document();
        let paths = doc["paths"].as_object().unwrap();
        assert_eq!(paths.len(), api_gets().len());
        for r in api_gets() {
            assert!(paths.contains_key(r.path), "{} missing", r.path);
        }
        assert!(paths.contains_key("/api/v1/organisationer"));
        let open = &paths["/api/v1/utgavor/{utgava}"]["get"];
        assert_eq!(open["security"], json!([]), "open data needs no log-in");
        assert!(open["responses"]["200"]["content"]["text/csv"].is_object());
        assert_eq!(open["parameters"][0]["name"], "utgava");
        assert_eq!(doc["openapi"], "3.1.0");
    }

    #[test]
    fn every_api_route_declares_its_type_and_describes_its_parameters() {
        let docs = routes::api_docs();
        let doc = document();
        for r in api_gets() {
            assert!(docs.iter().any(|d| d.path == r.path), "{}: declare .json::<T>()", r.path);
            let op = &doc["paths"][r.path]["get"];
            let schema = &op["responses"]["200"]["content"]["application/json"]["schema"];
            assert!(
                ["$ref", "type", "anyOf", "oneOf"].iter().any(|k| schema.get(*k).is_some()),
                "{}: not a real schema: {schema}",
                r.path
            );
            for p in op["parameters"].as_array().unwrap() {
                assert!(
                    !p["description"].as_str().unwrap_or("").is_empty(),
                    "{}: parameter {p} undescribed",
                    r.path
                );
            }
            assert_eq!(
                op["parameters"].as_array().unwrap().iter().filter(|p| p["in"] == "path").count(),
                path_params(r.path).len()
            );
        }
        // A declaration without a matching route would be dead documentation.
        for d in &docs {
            assert!(api_gets().iter().any(|r| r.path == d.path), "{} is not a GET API route", d.path);
        }
    }

    #[test]
    fn every_reference_resolves() {
        let doc = document();
        let text = doc.to_string();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for (i, _) in text.match_indices(SCHEMA_REF_PREFIX) {
            let rest = &text[i + SCHEMA_REF_PREFIX.len()..];
            let name = &rest[..rest.find('"').unwrap()];
            assert!(schemas.contains_key(name), "unresolved $ref {name}");
        }
        assert!(schemas.contains_key("Registry"), "{:?}", schemas.keys().collect::<Vec<_>>());
    }
}

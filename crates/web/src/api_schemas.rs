//! Response schemas of the JSON routes that build their bodies with `json!` rather than from a
//! serialised Rust type (planning API, open data of editions). Written by hand, so the CLI test
//! `openapi` validating every demo response against them is what keeps them true.

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use std::borrow::Cow;

macro_rules! documented {
    ($(#[$doc:meta])* $name:ident, $schema:tt) => {
        $(#[$doc])*
        pub struct $name;
        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        }
    };
}

documented!(
    /// `GET /api/v1/planering/arsplan/{planar}`
    PlaneringArsplan,
    {
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
                        "text": { "type": "string", "example": "6 av 13 systemledningar, som omfattar 8 av 15 kommuner" } } },
                    "not_reached": { "type": "object", "properties": {
                        "lsls": { "type": "array", "items": { "type": "string" } }, "sentence": { "type": "string" } } }
                } }
            }
        }
);

documented!(
    /// `GET /api/v1/planering/kalender/{ar}`
    PlaneringKalender,
    {
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
        }
);

documented!(
    /// `GET /api/v1/planering/handlingsplan`
    PlaneringHandlingsplan,
    {
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
        }
);

documented!(
    /// `GET /api/v1/utgavor`
    Utgavor,
    {
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
        }
);

documented!(
    /// `GET /api/v1/utgavor/{utgava}`
    UtgavaData,
    {
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
                        "organisation": { "type": "string", "example": "Regionen" },
                        "år": { "type": "integer", "example": 2024 },
                        "kön": { "type": "string", "enum": ["T", "K", "M"] },
                        "värde": { "type": ["number", "null"] },
                        "status": { "type": "string", "enum": ["", "-", ".", ".."], "description": "Koladas saknadkod när värde saknas" }
                    }
                } },
                "source": { "type": "string" }
            }
        }
);

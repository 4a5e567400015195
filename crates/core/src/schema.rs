//! JSON Schemas (2020-12, as OpenAPI 3.1 uses) of the types whose `Serialize` is written by hand.
//! Every other type of the read API derives `schemars::JsonSchema` beside `Serialize`, so the
//! schema follows the serialisation; the web crate's API test checks real responses against it.

use crate::nyckeltal::katalog::{IndicatorCode, KpiId, Source};
use crate::nyckeltal::Value;
use crate::sjalvskattning::Score;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use std::borrow::Cow;

impl JsonSchema for IndicatorCode {
    fn schema_name() -> Cow<'static, str> {
        "IndicatorCode".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]+\\.[0-9]+$",
            "description": "Nyckeltalskod: delmål och nummer, t.ex. 1.1.",
            "examples": ["1.1"]
        })
    }
}

impl JsonSchema for KpiId {
    fn schema_name() -> Cow<'static, str> {
        "KpiId".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[NU][0-9]{5}$",
            "description": "Kolada-id: N eller U följt av fem siffror.",
            "examples": ["N00945"]
        })
    }
}

impl JsonSchema for Source {
    fn schema_name() -> Cow<'static, str> {
        "Source".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^([NU][0-9]{5}|egen)$",
            "description": "Källa: ett Kolada-id eller \"egen\" (manuellt insamlat)."
        })
    }
}

impl JsonSchema for Value {
    fn schema_name() -> Cow<'static, str> {
        "Value".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Ett värde: ett tal, eller Koladas kod för saknat värde (\"-\" bortfall, \".\" ej tillämplig, \"..\" sekretess).",
            "anyOf": [
                { "type": "number" },
                { "type": "string", "enum": ["-", ".", ".."] },
                { "type": "null" }
            ]
        })
    }
}

impl JsonSchema for Score {
    fn schema_name() -> Cow<'static, str> {
        "Score".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "number",
            "minimum": 0,
            "description": "Ett exakt medelvärde på skalan, t.ex. 2.5."
        })
    }
}

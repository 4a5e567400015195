//! Submitted url-encoded forms.
//!
//! A form whose fields are known at compile time is a `#[derive(Deserialize)]` struct taken with
//! [`Form`]: `Form(f): Form<ContactForm>`. Its fields are `String` (the value trimmed, empty when
//! absent), `Option<String>` (`None` when absent or blank), `Vec<String>` (every non-blank value of
//! a repeated key: checkbox groups, multi-selects) or [`Untrimmed`] (passwords, letter bodies).
//! Only the first value of a repeated key counts for a single field; unknown keys (`csrf`) are
//! ignored. Typed values (dates, numbers, codes) are parsed from those strings by the handler with
//! the domain parsers, so that bad input gets the page's Swedish message naming the field, never a
//! generic rejection.
//!
//! [`Fields`] is the untyped bag, kept for forms whose field names are made at run time: the
//! questionnaires defined by TOML (self-assessment, survey, economy amounts per row), numbered rows
//! and fields named after stored keys (the action plan review, meeting deliverables, quotes).

use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::value::{Error as DeError, SeqDeserializer, StringDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, MapAccess, Visitor};
use serde::Deserialize;

/// The message for a body that is not a form at all.
const UNREADABLE: &str = "Formuläret kunde inte läsas.";

/// The fields of a submitted form, in order.
#[derive(Debug, Clone, Default)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn parse(bytes: &[u8]) -> Self {
        Fields(form_urlencoded::parse(bytes).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
    }

    /// The first value of `key`, trimmed; empty string when absent.
    pub fn get(&self, key: &str) -> String {
        self.raw(key).map(|v| v.trim().to_string()).unwrap_or_default()
    }

    /// The first value of `key` as sent (not trimmed), or `None` when absent.
    pub fn raw(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The first value of `key`, trimmed, or `None` when absent or empty.
    pub fn opt(&self, key: &str) -> Option<String> {
        let v = self.get(key);
        (!v.is_empty()).then_some(v)
    }

    /// All non-empty values of `key`.
    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }

    /// A required text field with at most `max` characters; Swedish message naming the field.
    pub fn required(&self, key: &str, label: &str, max: usize) -> Result<String, AppError> {
        required(&self.get(key), label, max)
    }

    /// An optional text field with at most `max` characters.
    pub fn optional(&self, key: &str, label: &str, max: usize) -> Result<String, AppError> {
        optional(&self.get(key), label, max)
    }

    /// The fixed fields of this form as the struct `T` (see the module documentation), for a
    /// handler that reads both fixed and run-time named fields.
    pub fn typed<T: DeserializeOwned>(&self) -> Result<T, AppError> {
        T::deserialize(FieldsDeserializer { fields: &self.0 }).map_err(|e| {
            tracing::warn!("form does not fit its struct: {e}");
            AppError::BadRequest(UNREADABLE.into())
        })
    }
}

/// A required text value with at most `max` characters; Swedish message naming the field.
pub fn required(value: &str, label: &str, max: usize) -> Result<String, AppError> {
    if value.is_empty() {
        return Err(AppError::BadRequest(format!("Fältet ”{label}” måste fyllas i.")));
    }
    optional(value, label, max)
}

/// An optional text value with at most `max` characters.
pub fn optional(value: &str, label: &str, max: usize) -> Result<String, AppError> {
    if value.chars().count() > max {
        return Err(AppError::BadRequest(format!("Fältet ”{label}” får ha högst {max} tecken.")));
    }
    Ok(value.to_string())
}

async fn body_fields<S: Send + Sync>(req: Request, state: &S) -> Result<Fields, AppError> {
    let bytes = Bytes::from_request(req, state).await.map_err(|_| AppError::BadRequest(UNREADABLE.into()))?;
    Ok(Fields::parse(&bytes))
}

impl<S: Send + Sync> FromRequest<S> for Fields {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        body_fields(req, state).await
    }
}

/// A fixed form, deserialised into the struct `T` (see the module documentation).
#[derive(Debug, Clone)]
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        body_fields(req, state).await?.typed().map(Form)
    }
}

/// The one-field form reopening a submitted answer: the reason `skal`, written to the audit log
/// (reporting rounds, the survey and the economy report).
#[derive(Debug, Clone, Deserialize)]
pub struct ReasonForm {
    #[serde(rename = "skal")]
    pub reason: String,
}

/// A form value exactly as sent, not trimmed (passwords; a letter's body keeps its spacing).
/// Empty when the field is absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Untrimmed(pub String);

const UNTRIMMED: &str = "Untrimmed";

impl<'de> Deserialize<'de> for Untrimmed {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Untrimmed;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a form value")
            }
            fn visit_newtype_struct<D: de::Deserializer<'de>>(self, d: D) -> Result<Untrimmed, D::Error> {
                String::deserialize(d).map(Untrimmed)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Untrimmed, E> {
                Ok(Untrimmed(v.to_string()))
            }
        }
        d.deserialize_newtype_struct(UNTRIMMED, V)
    }
}

/// Deserialises a struct from the form's pairs: each declared field gets the values of its key.
struct FieldsDeserializer<'a> {
    fields: &'a [(String, String)],
}

impl<'de> de::Deserializer<'de> for FieldsDeserializer<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, DeError> {
        Err(de::Error::custom("a form is read into a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        names: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_map(StructAccess { fields: self.fields, names: names.iter(), current: None })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

/// Visits every declared field of the struct, present or not, so that an absent field reads as
/// empty rather than missing.
struct StructAccess<'a> {
    fields: &'a [(String, String)],
    names: std::slice::Iter<'static, &'static str>,
    current: Option<&'static str>,
}

impl<'de> MapAccess<'de> for StructAccess<'_> {
    type Error = DeError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        match self.names.next() {
            Some(name) => {
                self.current = Some(name);
                seed.deserialize(name.into_deserializer()).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let name = self.current.take().ok_or_else(|| de::Error::custom("value before key"))?;
        let values = self.fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect();
        seed.deserialize(Value { values })
    }
}

/// The values of one key.
struct Value<'a> {
    values: Vec<&'a str>,
}

impl Value<'_> {
    fn first(&self) -> &str {
        self.values.first().map(|v| v.trim()).unwrap_or_default()
    }
}

impl<'de> de::Deserializer<'de> for Value<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_string(self.first().to_string())
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.first().is_empty() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let values: Vec<String> =
            self.values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()).map(str::to_string).collect();
        visitor.visit_seq(SeqDeserializer::<_, DeError>::new(values.into_iter()))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if name == UNTRIMMED {
            let raw = self.values.first().copied().unwrap_or_default().to_string();
            visitor.visit_newtype_struct(StringDeserializer::<DeError>::new(raw))
        } else {
            visitor.visit_newtype_struct(self)
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct tuple tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_and_limits() {
        let f = Fields::parse(b"kommun=2083&kommun=2084&namn=+S%C3%B6dra+Dalarna+&tom=");
        assert_eq!(f.all("kommun"), vec!["2083", "2084"]);
        assert_eq!(f.get("namn"), "Södra Dalarna");
        assert_eq!(f.opt("tom"), None);
        assert!(f.required("tom", "Tom", 10).is_err());
        assert!(f.required("namn", "Namn", 3).is_err());
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Example {
        #[serde(rename = "namn")]
        name: String,
        #[serde(rename = "kommun")]
        municipalities: Vec<String>,
        #[serde(rename = "tom")]
        empty: Option<String>,
        #[serde(rename = "saknas")]
        absent: String,
        #[serde(rename = "saknas_lista")]
        absent_list: Vec<String>,
        #[serde(rename = "beskrivning")]
        description: Option<String>,
        #[serde(rename = "losenord")]
        password: Untrimmed,
    }

    #[test]
    fn a_fixed_form_reads_as_the_bag_does() {
        let f = Fields::parse(
            b"csrf=x&kommun=2083&namn=+S%C3%B6dra+Dalarna+&kommun=+&kommun=2084&tom=+&namn=andra\
              &beskrivning=+kort+&losenord=+hemligt+",
        );
        let e: Example = f.typed().unwrap();
        assert_eq!(
            e,
            Example {
                name: f.get("namn"),
                municipalities: f.all("kommun"),
                empty: f.opt("tom"),
                absent: String::new(),
                absent_list: Vec::new(),
                description: Some("kort".into()),
                password: Untrimmed(" hemligt ".into()),
            }
        );
        assert_eq!(e.name, "Södra Dalarna");
        assert_eq!(e.municipalities, ["2083", "2084"]);
    }

    #[test]
    fn a_form_that_does_not_fit_its_struct_is_a_bad_request_in_swedish() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Numbers {
            n: u32,
        }
        match Fields::parse(b"n=tre").typed::<Numbers>() {
            Err(AppError::BadRequest(m)) => assert_eq!(m, UNREADABLE),
            other => panic!("{other:?}"),
        }
    }
}

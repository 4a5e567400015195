//! Pieces every page module uses: the year in a path ([`Year`]), the `?ok=` flash key after a
//! redirect ([`OkQuery`]) and file downloads ([`download`], [`inline_file`]).

use crate::error::AppError;
use crate::notice::Notice;
use crate::view::flash_message;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::ops::RangeInclusive;

/// The years a path may name (reporting years, editions, plans): one range for the application.
pub const YEARS: RangeInclusive<i32> = 1990..=2100;

/// A year taken from the path (`{ar}`, `{year}` or `{planar}`): a whole number in [`YEARS`].
/// Anything else is a Swedish 404, the same message on every page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Year(pub i32);

impl Year {
    /// The one check of a year written in a URL; the error is the message shown.
    pub fn check(s: &str) -> Result<i32, String> {
        s.parse::<i32>().ok().filter(|y| YEARS.contains(y)).ok_or_else(|| format!("\"{s}\" är inget årtal."))
    }

    /// [`Year::check`] as a handler error (404).
    pub fn parse(s: &str) -> Result<i32, AppError> {
        Self::check(s).map_err(AppError::NotFound)
    }
}

/// The path parameters a year may be named by in the route table.
const YEAR_PARAMS: [&str; 3] = ["ar", "year", "planar"];

impl<S: Send + Sync> FromRequestParts<S> for Year {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params =
            RawPathParams::from_request_parts(parts, state).await.map_err(|_| AppError::not_found())?;
        let raw = params
            .iter()
            .find(|(name, _)| YEAR_PARAMS.contains(name))
            .map(|(_, value)| value.to_string())
            .ok_or_else(AppError::not_found)?;
        Year::parse(&raw).map(Year)
    }
}

/// The `?ok=` key a page is redirected with after a successful form (PRG pattern).
#[derive(Debug, Default, Deserialize)]
pub struct OkQuery {
    pub ok: Option<String>,
    /// The section a message belongs to (the report editor shows it inside the section, so that
    /// an htmx swap of the section shows it too); other pages ignore it.
    pub avsnitt: Option<String>,
}

impl OkQuery {
    /// The key, if any.
    pub fn key(&self) -> Option<&str> {
        self.ok.as_deref()
    }

    /// The application's fixed message for the key ([`flash_message`]).
    pub fn flash(&self) -> Option<String> {
        flash_message(self.key())
    }

    /// The message for the key on a page with notices of its own, which win over the shared
    /// ones with the same key.
    pub fn flash_with(&self, own: &[Notice]) -> Option<String> {
        Notice::find(self.key()?, own).map(|n| n.label().to_string())
    }
}

/// `Content-Disposition` for `file_name` (RFC 6266): the name as is when it is plain ASCII,
/// otherwise an ASCII fallback (`_` for other characters) and the UTF-8 name percent-encoded
/// per RFC 5987 (`filename*=UTF-8''…`), so that "lägesrapport-älvdalen.pdf" keeps its letters.
pub fn content_disposition(kind: &str, file_name: &str) -> HeaderValue {
    let plain = |c: char| c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ';
    let value = if file_name.chars().all(plain) {
        format!("{kind}; filename=\"{file_name}\"")
    } else {
        let fallback: String = file_name.chars().map(|c| if plain(c) { c } else { '_' }).collect();
        let mut encoded = String::new();
        for b in file_name.bytes() {
            // RFC 5987 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                encoded.push(b as char);
            } else {
                encoded.push_str(&format!("%{b:02X}"));
            }
        }
        format!("{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
    };
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

fn file(kind: &str, content_type: &str, file_name: &str, body: impl IntoResponse) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CONTENT_DISPOSITION, content_disposition(kind, file_name));
    response
}

/// A file to save (`Content-Disposition: attachment`).
pub fn download(content_type: &str, file_name: &str, body: impl IntoResponse) -> Response {
    file("attachment", content_type, file_name, body)
}

/// A file the browser may show itself (`Content-Disposition: inline`).
pub fn inline_file(content_type: &str, file_name: &str, body: impl IntoResponse) -> Response {
    file("inline", content_type, file_name, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_outside_the_range_or_not_a_number_is_refused_with_one_message() {
        assert_eq!(Year::check("2025"), Ok(2025));
        assert_eq!(Year::check("1989"), Err("\"1989\" är inget årtal.".to_string()));
        assert_eq!(Year::check("tjugo"), Err("\"tjugo\" är inget årtal.".to_string()));
    }

    #[test]
    fn ascii_file_names_are_sent_as_they_are() {
        assert_eq!(
            content_disposition("attachment", "arsrapport-2025.pdf"),
            "attachment; filename=\"arsrapport-2025.pdf\""
        );
    }

    #[test]
    fn swedish_file_names_get_an_rfc_5987_name_and_an_ascii_fallback() {
        assert_eq!(
            content_disposition("attachment", "Älvdalen 2025.xlsx"),
            "attachment; filename=\"_lvdalen 2025.xlsx\"; filename*=UTF-8''%C3%84lvdalen%202025.xlsx"
        );
    }
}

//! What the request log may show. Secret link tokens (`/svar/{token}`), CSRF tokens, passwords
//! and other secrets in query strings never reach the log at any level: the trace layer
//! ([`crate::routes::build`]) records [`redact_uri`] instead of the request's URI.

use axum::http::Uri;

/// What a redacted value is replaced with.
pub const REDACTED: &str = "[dolt]";

/// Query parameters whose values are secrets.
/// `code`, `state` and `id_token_hint` are OpenID Connect's (the provider's answer at
/// `/oidc/{id}/callback`, the log-out link).
const SECRET_PARAMS: &[&str] = &[
    "csrf",
    "token",
    "losenord",
    "password",
    "nyckel",
    "key",
    "secret",
    "hemlighet",
    "kod_token",
    "code",
    "state",
    "id_token_hint",
    "session_state",
];

/// Path segments following these are secrets (the invitation link `/svar/{token}`).
const SECRET_AFTER: &[&str] = &["svar"];

/// A segment that looks like a random token (32 or more hexadecimal or base64url characters)
/// is hidden wherever it appears.
fn looks_like_token(segment: &str) -> bool {
    segment.len() >= 32
        && segment.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && segment.bytes().any(|b| b.is_ascii_digit())
}

/// The URI as it may be logged: path segments that are secrets and the values of secret query
/// parameters replaced by [`REDACTED`].
pub fn redact_uri(uri: &Uri) -> String {
    let mut out = String::new();
    let mut previous = "";
    for (i, segment) in uri.path().split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        if SECRET_AFTER.contains(&previous) && !segment.is_empty() || looks_like_token(segment) {
            out.push_str(REDACTED);
        } else {
            out.push_str(segment);
        }
        previous = segment;
    }
    if let Some(query) = uri.query() {
        out.push('?');
        let parts: Vec<String> = query
            .split('&')
            .map(|pair| {
                let (key, _) = pair.split_once('=').unwrap_or((pair, ""));
                let plain: String =
                    form_urlencoded::parse(key.as_bytes()).map(|(k, _)| k.into_owned()).collect();
                if SECRET_PARAMS.iter().any(|s| plain.eq_ignore_ascii_case(s)) {
                    format!("{key}={REDACTED}")
                } else {
                    pair.to_string()
                }
            })
            .collect();
        out.push_str(&parts.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> String {
        redact_uri(&s.parse::<Uri>().unwrap())
    }

    #[test]
    fn secrets_are_hidden() {
        let token = "0123456789abcdef".repeat(4);
        assert_eq!(r(&format!("/svar/{token}")), "/svar/[dolt]");
        assert_eq!(r("/svar/kort"), "/svar/[dolt]");
        assert_eq!(r(&format!("/x/{token}/y")), "/x/[dolt]/y");
        assert_eq!(r("/ekonomi/import?csrf=abc123&ar=2024"), "/ekonomi/import?csrf=[dolt]&ar=2024");
        assert_eq!(r("/a?CSRF=abc&losenord=hemligt"), "/a?CSRF=[dolt]&losenord=[dolt]");
        assert_eq!(r("/nyckeltal/2025?fokus=0020"), "/nyckeltal/2025?fokus=0020");
        assert_eq!(r("/organisationer/lsl-mora"), "/organisationer/lsl-mora");
        assert_eq!(r("/"), "/");
        assert_eq!(
            r("/oidc/region/callback?code=abc&state=def&iss=https%3A%2F%2Fidp"),
            "/oidc/region/callback?code=[dolt]&state=[dolt]&iss=https%3A%2F%2Fidp"
        );
    }
}

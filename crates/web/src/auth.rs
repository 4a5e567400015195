//! Sessions, CSRF protection and the access guard.
//!
//! - [`session_layer`] runs on every request: it loads the session named by the `gnv_session`
//!   cookie (inserting a [`CurrentUser`] into the request extensions) and refuses any
//!   state-changing request (POST, PUT, PATCH, DELETE) whose CSRF token does not match. The token
//!   is read from the `X-CSRF-Token` header, the `csrf` field of a url-encoded form, or the `csrf`
//!   query parameter of a multipart upload. Before log-in the expected token is the `gnv_csrf`
//!   cookie set by the log-in page (double submit); after log-in it is the session's own token.
//! - [`guard`] enforces a route's declared [`Access`]: anonymous page requests are redirected to
//!   the log-in page, anonymous API requests get 401, wrong roles get 403.

use crate::error::error_page;
use crate::AppState;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use gnv_core::access::Access;
use gnv_storage::anvandare::User;

pub const SESSION_COOKIE: &str = "gnv_session";
pub const PRELOGIN_CSRF_COOKIE: &str = "gnv_csrf";

/// The logged-in user of a request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    /// The session's CSRF token, to put in forms.
    pub csrf: String,
    /// The session cookie value (to end the session at log-out).
    pub token: String,
    /// The county profile's names shown on every page (county, support unit).
    pub county: std::sync::Arc<gnv_core::lansprofil::CountyProfile>,
}

impl CurrentUser {
    /// Whether this user may act for organisation `code`: admins always, respondents when bound.
    pub fn may_act_for(&self, code: &str) -> bool {
        match self.user.role {
            gnv_core::access::Role::Admin => true,
            gnv_core::access::Role::Respondent => self.user.organisations.iter().any(|o| o == code),
            gnv_core::access::Role::Reader => false,
        }
    }

    pub fn actor(&self) -> gnv_storage::Actor {
        gnv_storage::Actor::user(self.user.id, &self.user.username)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or_else(|| error_page(StatusCode::UNAUTHORIZED, "Du behöver logga in."))
    }
}

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for CurrentUser {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<CurrentUser>().cloned())
    }
}

/// Reads a cookie value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Builds a `Set-Cookie` value with safe attributes.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool, same_site: &str) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite={same_site}; Max-Age={max_age_secs}{}",
        if secure { "; Secure" } else { "" }
    )
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn is_state_changing(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn csrf_refused() -> Response {
    error_page(
        StatusCode::FORBIDDEN,
        "Säkerhetstoken (CSRF) saknas eller är ogiltig. Ladda om sidan och försök igen.",
    )
}

fn too_large() -> Response {
    error_page(StatusCode::PAYLOAD_TOO_LARGE, "Formuläret eller filen är för stor för att tas emot.")
}

/// The largest body a request may carry: `max_upload_bytes` for a multipart upload,
/// `max_body_bytes` for everything else, whatever its content type (or none).
fn body_limit(state: &AppState, headers: &HeaderMap) -> usize {
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.trim_start().to_ascii_lowercase().starts_with("multipart/form-data"));
    if multipart {
        state.config.max_upload_bytes
    } else {
        state.config.max_body_bytes
    }
}

/// Loads the session and checks CSRF tokens; see the module documentation.
///
/// The body limit is enforced here for every request, before anything is read: a declared
/// `Content-Length` above the limit is refused at once, and the body of a state-changing request
/// that is not a multipart upload is read with the limit (`max_body_bytes`) whatever its content
/// type. Multipart bodies are read by the handlers' extractor, bounded by `DefaultBodyLimit`
/// (`max_upload_bytes`).
pub async fn session_layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let limit = body_limit(&state, &parts.headers);
    let declared = parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(declared) = declared {
        match declared.parse::<u64>() {
            Ok(n) if n <= limit as u64 => {}
            _ => return too_large(),
        }
    }
    let mut current = None;
    if let Some(token) = cookie(&parts.headers, SESSION_COOKIE) {
        match state.db.session_user(&token).await {
            Ok(Some((user, csrf))) => {
                let county = match state.db.data_version().await {
                    Ok(v) => state.db.county_profile_at(v).await,
                    Err(e) => Err(e),
                };
                let county = county.unwrap_or_else(|e| {
                    tracing::error!(error = %e, "loading the county profile");
                    std::sync::Arc::new(gnv_core::lansprofil::CountyProfile::builtin())
                });
                current = Some(CurrentUser { user, csrf, token, county })
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "loading session"),
        }
    }
    let mut body = body;
    if is_state_changing(&parts.method) {
        // Same-origin check: a browser sends Origin on cross-site POSTs; refuse a foreign one.
        if let (Some(origin), Some(host)) = (
            parts.headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
            parts.headers.get(header::HOST).and_then(|v| v.to_str().ok()),
        ) {
            let origin_host = origin.split("://").nth(1).unwrap_or("");
            if origin != "null" && origin_host != host {
                return csrf_refused();
            }
        }
        let expected = match &current {
            Some(c) => Some(c.csrf.clone()),
            None => cookie(&parts.headers, PRELOGIN_CSRF_COOKIE),
        };
        let Some(expected) = expected else {
            return csrf_refused();
        };
        let mut provided =
            parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_string);
        let content_type =
            parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let multipart = content_type.to_ascii_lowercase().starts_with("multipart/form-data");
        if !multipart {
            let bytes = match axum::body::to_bytes(body, limit).await {
                Ok(b) => b,
                Err(_) => return too_large(),
            };
            if provided.is_none() && content_type.starts_with("application/x-www-form-urlencoded") {
                provided =
                    form_urlencoded::parse(&bytes).find(|(k, _)| k == "csrf").map(|(_, v)| v.into_owned());
            }
            body = Body::from(bytes);
        }
        if provided.is_none() && multipart {
            provided = parts.uri.query().and_then(|q| {
                form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "csrf").map(|(_, v)| v.into_owned())
            });
        }
        match provided {
            Some(p) if constant_time_eq(&p, &expected) => {}
            _ => return csrf_refused(),
        }
    }
    if let Some(c) = current {
        parts.extensions.insert(c);
    }
    next.run(Request::from_parts(parts, body)).await
}

/// Enforces a route's declared access. Used as a route layer with the access as state.
pub async fn guard(State(access): State<Access>, req: Request, next: Next) -> Response {
    let user = req.extensions().get::<CurrentUser>();
    let role = user.map(|u| u.user.role);
    if access.allows(role) {
        return next.run(req).await;
    }
    if user.is_none() {
        let path = req.uri().path();
        if path.starts_with("/api/") || is_state_changing(req.method()) {
            return error_page(StatusCode::UNAUTHORIZED, "Du behöver logga in.");
        }
        let next_path = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
        let target = format!(
            "/logga-in?nasta={}",
            form_urlencoded::byte_serialize(next_path.as_bytes()).collect::<String>()
        );
        return Redirect::to(&target).into_response();
    }
    error_page(StatusCode::FORBIDDEN, "Du har inte behörighet till den här sidan.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_parsing() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, "a=1; gnv_session=abc; b=2".parse().unwrap());
        assert_eq!(cookie(&h, "gnv_session").as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "x"), None);
    }

    #[test]
    fn cookie_attributes() {
        let c = set_cookie("gnv_session", "v", 60, true, "Lax");
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
        assert!(!set_cookie("a", "b", 1, false, "Strict").contains("Secure"));
    }

    #[test]
    fn token_comparison() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("", ""));
    }
}

//! Log-in and log-out.
//!
//! Log-in is throttled per user name and per address (see `gnv_storage::sessioner`); every
//! attempt is recorded, and both successes and failures go to the audit log. A new session id is
//! issued at every log-in (no session fixation).

use super::form::{Form, Untrimmed};
use crate::auth::{cookie, set_cookie, CurrentUser, PRELOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::error::{error_page, AppResult};
use crate::view::{render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use gnv_storage::audit::{Action, Entity};
use gnv_storage::sessioner::random_token;
use gnv_storage::Actor;
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ctx: PageCtx,
    csrf: String,
    next: String,
    username: String,
    error: Option<String>,
    /// Identity providers (id, display name) offered beside the password form.
    providers: Vec<(String, String)>,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    nasta: Option<String>,
}

/// The peer address when the server runs with connect info (always, except in unit tests).
pub struct ClientAddr(pub Option<SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0)))
    }
}

/// Only a same-origin path is accepted as the page to return to after log-in: exactly one
/// leading `/`, no `//`, no `\\`, only visible ASCII (browsers drop tabs and newlines from URLs,
/// so `/\t/host` would become `//host`; percent-encoded text stays encoded), and not a log-in or
/// log-out page. Anything else gives `/`.
pub(crate) fn safe_next(next: &str) -> String {
    let visible_ascii = next.bytes().all(|b| b.is_ascii_graphic());
    if visible_ascii
        && next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.starts_with("/logga-")
    {
        next.to_string()
    } else {
        "/".to_string()
    }
}

pub(crate) fn client_ip(state: &AppState, headers: &HeaderMap, addr: Option<SocketAddr>) -> String {
    if state.config.trust_proxy {
        if let Some(ip) =
            headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()).and_then(|v| v.split(',').next())
        {
            return ip.trim().to_string();
        }
    }
    addr.map(|a| a.ip().to_string()).unwrap_or_else(|| "okänd".into())
}

pub(crate) fn login_page(
    state: &AppState,
    csrf: String,
    next: String,
    username: String,
    error: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let set = set_cookie(PRELOGIN_CSRF_COOKIE, &csrf, 3600, state.config.tls, "Strict");
    let providers = state.config.oidc.providers.iter().map(|p| (p.id.clone(), p.name.clone())).collect();
    let mut resp =
        render(&LoginPage { ctx: PageCtx::anonymous("Logga in"), csrf, next, username, error, providers })?;
    *resp.status_mut() = status;
    if let Ok(v) = set.parse() {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}

/// `GET /logga-in`
pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
    user: Option<CurrentUser>,
) -> AppResult<Response> {
    let next = safe_next(q.nasta.as_deref().unwrap_or("/"));
    if user.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    let csrf = cookie(&headers, PRELOGIN_CSRF_COOKIE).filter(|c| c.len() == 64).unwrap_or_else(random_token);
    login_page(&state, csrf, next, String::new(), None, StatusCode::OK)
}

/// The log-in form.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(rename = "anvandarnamn")]
    username: String,
    #[serde(rename = "losenord")]
    password: Untrimmed,
    /// Where to go after logging in.
    #[serde(rename = "nasta")]
    next: String,
}

/// `POST /logga-in`
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    addr: ClientAddr,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let username = form.username.to_lowercase();
    let password = form.password.0;
    let next = safe_next(&form.next);
    let ip = client_ip(&state, &headers, addr.0);
    let csrf = cookie(&headers, PRELOGIN_CSRF_COOKIE).unwrap_or_else(random_token);
    if username.is_empty() || username.len() > 64 || password.is_empty() || password.len() > 1024 {
        return login_page(
            &state,
            csrf,
            next,
            username,
            Some("Fyll i användarnamn och lösenord.".into()),
            StatusCode::BAD_REQUEST,
        );
    }
    if state.db.login_throttled(&username, &ip).await? {
        state.db.audit_event(&Actor::anonymous(), Action::LoginBlocked, Entity::Login, &username).await?;
        return Ok(error_page(
            StatusCode::TOO_MANY_REQUESTS,
            "För många misslyckade inloggningsförsök. Vänta 15 minuter och försök igen, eller kontakta en administratör.",
        ));
    }
    match state.db.authenticate(&username, &password).await? {
        Some(user) => {
            state.db.record_login_attempt(&username, &ip, true).await?;
            state
                .db
                .audit_event(
                    &Actor::user(user.id, &user.username),
                    Action::Login,
                    Entity::Login,
                    &user.username,
                )
                .await?;
            let ttl = state.config.session_hours.max(1) * 3600;
            let (token, _csrf) = state.db.create_session(user.id, ttl).await?;
            let mut resp = Redirect::to(&next).into_response();
            let h = resp.headers_mut();
            if let Ok(v) = set_cookie(SESSION_COOKIE, &token, ttl, state.config.tls, "Lax").parse() {
                h.append(header::SET_COOKIE, v);
            }
            if let Ok(v) = set_cookie(PRELOGIN_CSRF_COOKIE, "", 0, state.config.tls, "Strict").parse() {
                h.append(header::SET_COOKIE, v);
            }
            Ok(resp)
        }
        None => {
            state.db.record_login_attempt(&username, &ip, false).await?;
            state.db.audit_event(&Actor::anonymous(), Action::FailedLogin, Entity::Login, &username).await?;
            login_page(
                &state,
                csrf,
                next,
                username,
                Some("Fel användarnamn eller lösenord.".into()),
                StatusCode::UNAUTHORIZED,
            )
        }
    }
}

/// `POST /logga-ut`. A session started through an identity provider ends here too, and the
/// page that follows offers the provider's end-session endpoint (`pages::oidc`).
pub async fn logout(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let via = state.db.session_provider(&user.token).await?;
    state.db.delete_session(&user.token).await?;
    let mut resp = match via {
        Some(via) => {
            let name = &user.user.username;
            state.db.audit_oidc_login(&user.actor(), Action::Logout, name, &via.provider, None, None).await?;
            super::oidc::logged_out_page(&state, &via.provider, &via.id_token)
                .await?
                .unwrap_or_else(|| Redirect::to("/logga-in").into_response())
        }
        None => {
            state.db.audit_event(&user.actor(), Action::Logout, Entity::Login, &user.user.username).await?;
            Redirect::to("/logga-in").into_response()
        }
    };
    if let Ok(v) = set_cookie(SESSION_COOKIE, "", 0, state.config.tls, "Lax").parse() {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_local_only() {
        assert_eq!(safe_next("/organisationer"), "/organisationer");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/logga-ut"), "/");
        // Browsers remove tabs and line breaks from URLs: `/\t/host` would become `//host`.
        assert_eq!(safe_next("/\t/127.0.0.1:18093/phish"), "/");
        assert_eq!(safe_next("/\n/x"), "/");
        assert_eq!(safe_next("/\r/x"), "/");
        assert_eq!(safe_next("/ /x"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next("/org\u{e4}nisationer"), "/");
        assert_eq!(safe_next(""), "/");
        assert_eq!(safe_next("/nyckeltal/2025?fokus=0020"), "/nyckeltal/2025?fokus=0020");
        assert_eq!(safe_next("/organisationer/%C3%A5"), "/organisationer/%C3%A5");
    }
}

//! Log-in through identity providers (OpenID Connect), the log-out page that offers the
//! provider's end-session endpoint, and the admin page binding users to provider identities.
//!
//! Flow: `GET /oidc/{id}/logga-in` stores the log-in in progress (`state` and browser cookie as
//! SHA-256, nonce, PKCE verifier) and sends the browser to the provider;
//! `GET /oidc/{id}/callback` takes that row (once: a replayed `state` finds nothing), exchanges
//! the code, verifies the ID token ([`crate::oidc::finish`]) and looks up the bound user. An
//! unknown identity gets "Ditt konto finns inte i GNV-uppföljning – kontakta RSS" and nothing is
//! created. Failures count towards the log-in throttling per address and provider
//! (`oidc:{id}:{address}`), and every outcome goes to the audit log with the provider.

use super::form::Form;
use super::login::{client_ip, login_page, safe_next, ClientAddr};
use crate::auth::{cookie, set_cookie, CurrentUser, PRELOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::error::{error_page, AppError, AppResult};
use crate::notice::Notice;
use crate::oidc::{self, ProviderConfig};
use crate::routes::Routes;
use crate::shared::OkQuery;
use crate::view::{render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use gnv_core::access::{Access, Role};
use gnv_storage::audit::Action;
use gnv_storage::oidc::{Binding, BindingClaim, PendingLogin};
use gnv_storage::sessioner::random_token;
use gnv_storage::{Actor, StorageError};
use serde::Deserialize;

/// The cookie binding a log-in in progress to the browser that started it.
pub const BROWSER_COOKIE: &str = "gnv_oidc";

/// The message for an identity no user is bound to (issue #18).
pub const UNKNOWN_IDENTITY: &str = "Ditt konto finns inte i GNV-uppföljning – kontakta RSS";

pub fn routes(r: Routes) -> Routes {
    use Access::*;
    r.get("/oidc/{id}/logga-in", Public, "Logga in via en identitetstjänst (OpenID Connect)", start)
        .get("/oidc/{id}/callback", Public, "Identitetstjänstens svar efter inloggning", callback)
        .get("/admin/identiteter", Admin, "Användares kopplingar till identitetstjänster", bindings)
        .post("/admin/identiteter", Admin, "Koppla en användare till en identitet", add_binding)
        .post("/admin/identiteter/{id}/ta-bort", Admin, "Ta bort en identitetskoppling", remove_binding)
}

fn throttle_key(provider: &str, ip: &str) -> String {
    format!("oidc:{provider}:{ip}")
}

fn provider<'a>(state: &'a AppState, id: &str) -> Result<&'a ProviderConfig, AppError> {
    state.config.oidc.provider(id).ok_or_else(|| AppError::NotFound("Identitetstjänsten finns inte.".into()))
}

fn throttled() -> Response {
    error_page(
        StatusCode::TOO_MANY_REQUESTS,
        "För många misslyckade inloggningsförsök. Vänta 15 minuter och försök igen, eller kontakta en administratör.",
    )
}

/// The log-in page with a message (a refused log-in through a provider).
async fn refused(
    state: &AppState,
    headers: &HeaderMap,
    message: String,
    status: StatusCode,
) -> AppResult<Response> {
    let csrf = cookie(headers, PRELOGIN_CSRF_COOKIE).filter(|c| c.len() == 64).unwrap_or_else(random_token);
    let mut resp = login_page(state, csrf, "/".into(), String::new(), Some(message), status)?;
    if let Ok(v) = set_cookie(BROWSER_COOKIE, "", 0, state.config.tls, "Lax").parse() {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}

#[derive(Deserialize)]
pub struct StartQuery {
    nasta: Option<String>,
}

/// `GET /oidc/{id}/logga-in`: sends the browser to the provider.
pub async fn start(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    addr: ClientAddr,
    Query(q): Query<StartQuery>,
) -> AppResult<Response> {
    let p = provider(&state, &id)?;
    let ip = client_ip(&state, &headers, addr.0);
    if state.db.login_throttled(&throttle_key(&p.id, &ip), &ip).await? {
        return Ok(throttled());
    }
    let started = match oidc::start(p, &state.config.base_url).await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(provider = %p.id, error = %e.detail(), "OpenID Connect: could not start a log-in");
            return refused(&state, &headers, e.to_string(), StatusCode::BAD_GATEWAY).await;
        }
    };
    // One cookie per browser, kept across parallel log-ins (several tabs).
    let browser = cookie(&headers, BROWSER_COOKIE).filter(|c| c.len() == 64).unwrap_or_else(random_token);
    state
        .db
        .begin_oidc_login(
            &started.state,
            &browser,
            &PendingLogin {
                provider: p.id.clone(),
                nonce: started.nonce,
                pkce_verifier: started.pkce_verifier,
                next_path: safe_next(q.nasta.as_deref().unwrap_or("/")),
            },
        )
        .await?;
    let mut resp = Redirect::to(&started.url).into_response();
    let ttl = gnv_storage::oidc::LOGIN_TTL_SECS;
    if let Ok(v) = set_cookie(BROWSER_COOKIE, &browser, ttl, state.config.tls, "Lax").parse() {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /oidc/{id}/callback`: finishes the log-in.
pub async fn callback(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    addr: ClientAddr,
    Query(q): Query<CallbackQuery>,
) -> AppResult<Response> {
    let p = provider(&state, &id)?;
    let ip = client_ip(&state, &headers, addr.0);
    let key = throttle_key(&p.id, &ip);
    if state.db.login_throttled(&key, &ip).await? {
        return Ok(throttled());
    }
    let fail = |reason: String, detail: String, subject: Option<String>| {
        let state = state.clone();
        let key = key.clone();
        let ip = ip.clone();
        let p = p.id.clone();
        async move {
            tracing::info!(provider = %p, %detail, "OpenID Connect: log-in refused");
            state.db.record_login_attempt(&key, &ip, false).await?;
            state
                .db
                .audit_oidc_login(
                    &Actor::anonymous(),
                    Action::FailedLogin,
                    subject.as_deref().unwrap_or(&p),
                    &p,
                    subject.as_deref(),
                    Some(&format!("{reason} ({detail})")),
                )
                .await?;
            Ok::<_, AppError>(())
        }
    };
    let browser = cookie(&headers, BROWSER_COOKIE).unwrap_or_default();
    let pending = match q.state.as_deref() {
        Some(s) if !s.is_empty() && !browser.is_empty() => state.db.take_oidc_login(s, &browser).await?,
        _ => None,
    };
    let Some(pending) = pending.filter(|l| l.provider == p.id) else {
        let reason = "okänt, använt eller utgånget state";
        fail(reason.into(), reason.into(), None).await?;
        return refused(
            &state,
            &headers,
            "Inloggningen kunde inte slutföras: den har redan använts, har gått ut eller startades i en annan webbläsare. Försök igen.".into(),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    if let Some(error) = q.error.as_deref() {
        fail(format!("identitetstjänsten svarade {error}"), error.to_string(), None).await?;
        return refused(
            &state,
            &headers,
            format!("Inloggningen hos {} avbröts ({error}).", p.name),
            StatusCode::UNAUTHORIZED,
        )
        .await;
    }
    let Some(code) = q.code.as_deref().filter(|c| !c.is_empty()) else {
        fail("kod saknas".into(), "no code".into(), None).await?;
        return refused(
            &state,
            &headers,
            "Identitetstjänsten skickade ingen kod.".into(),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let identity =
        match oidc::finish(p, &state.config.base_url, code, &pending.nonce, &pending.pkce_verifier).await {
            Ok(i) => i,
            Err(e) => {
                fail(e.to_string(), e.detail(), None).await?;
                return refused(&state, &headers, e.to_string(), StatusCode::UNAUTHORIZED).await;
            }
        };
    let Some(mut user) = state.db.oidc_user(&p.id, &identity.subject, identity.email.as_deref()).await?
    else {
        fail("okänd identitet".into(), "no user bound".into(), Some(identity.subject.clone())).await?;
        return refused(&state, &headers, format!("{UNKNOWN_IDENTITY}."), StatusCode::FORBIDDEN).await;
    };
    if let Some(role) = oidc::role_from_groups(p, &identity.groups) {
        if role != user.role && (role != Role::Respondent || !user.organisations.is_empty()) {
            state.db.set_role_from_provider(&user, role, &p.id).await?;
            user.role = role;
        }
    }
    state.db.record_login_attempt(&key, &ip, true).await?;
    state
        .db
        .audit_oidc_login(
            &Actor::user(user.id, &user.username),
            Action::Login,
            &user.username,
            &p.id,
            Some(&identity.subject),
            None,
        )
        .await?;
    let ttl = state.config.session_hours.max(1) * 3600;
    let (token, _csrf) = state.db.create_oidc_session(user.id, ttl, &p.id, &identity.id_token).await?;
    let mut resp = Redirect::to(&pending.next_path).into_response();
    let h = resp.headers_mut();
    for c in [
        set_cookie(SESSION_COOKIE, &token, ttl, state.config.tls, "Lax"),
        set_cookie(PRELOGIN_CSRF_COOKIE, "", 0, state.config.tls, "Strict"),
        set_cookie(BROWSER_COOKIE, "", 0, state.config.tls, "Lax"),
    ] {
        if let Ok(v) = c.parse() {
            h.append(header::SET_COOKIE, v);
        }
    }
    Ok(resp)
}

#[derive(Template)]
#[template(path = "utloggad.html")]
struct LoggedOutPage {
    ctx: PageCtx,
    provider: String,
    end_session: Option<String>,
}

/// After the local session of a log-in through a provider has ended: the page offering the
/// provider's end-session endpoint. `None` when the provider is no longer configured.
pub async fn logged_out_page(
    state: &AppState,
    provider: &str,
    id_token: &str,
) -> AppResult<Option<Response>> {
    let Some(p) = state.config.oidc.provider(provider) else { return Ok(None) };
    let end_session = oidc::end_session_url(p, &state.config.base_url, id_token).await;
    let resp = render(&LoggedOutPage {
        ctx: PageCtx::anonymous("Utloggad"),
        provider: p.name.clone(),
        end_session,
    })?;
    Ok(Some(resp))
}

/// One row of the admin page.
struct BindingRow {
    binding: Binding,
    provider_name: String,
}

#[derive(Template)]
#[template(path = "admin_identiteter.html")]
struct BindingsPage {
    ctx: PageCtx,
    rows: Vec<BindingRow>,
    /// (user name, "Name (user name)") in Swedish order.
    users: Vec<(String, String)>,
    providers: Vec<(String, String)>,
    error: Option<String>,
}

async fn bindings_page(
    state: &AppState,
    user: &CurrentUser,
    error: Option<String>,
    flash: Option<String>,
) -> AppResult<Response> {
    let name_of = |id: &str| match state.config.oidc.provider(id) {
        Some(p) => p.name.clone(),
        None => format!("{id} (inte konfigurerad)"),
    };
    let rows = state
        .db
        .oidc_bindings()
        .await?
        .into_iter()
        .map(|b| BindingRow { provider_name: name_of(&b.provider), binding: b })
        .collect();
    let mut users: Vec<(String, String)> = state
        .db
        .users()
        .await?
        .into_iter()
        .map(|u| (u.username.clone(), format!("{} ({})", u.display_name, u.username)))
        .collect();
    users.sort_by(|a, b| gnv_core::format::swedish_cmp(&a.1, &b.1));
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let mut resp = render(&BindingsPage {
        ctx: PageCtx::new("Identitetstjänster", "admin", user).with_flash(flash),
        rows,
        users,
        providers: state.config.oidc.providers.iter().map(|p| (p.id.clone(), p.name.clone())).collect(),
        error,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /admin/identiteter`
pub async fn bindings(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    let flash = q.flash_with(&[Notice::IdentityBound, Notice::BindingRemoved]);
    bindings_page(&state, &user, None, flash).await
}

/// The form binding a user to a provider identity.
#[derive(serde::Deserialize)]
pub struct BindingForm {
    #[serde(rename = "anvandarnamn")]
    username: String,
    #[serde(rename = "leverantor")]
    provider: String,
    /// Which claim identifies the user (`sub`, `email`, …).
    #[serde(rename = "ansprak")]
    claim: String,
    #[serde(rename = "varde")]
    value: String,
}

/// `POST /admin/identiteter`
pub async fn add_binding(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<BindingForm>,
) -> AppResult<Response> {
    let provider = form.provider;
    if state.config.oidc.provider(&provider).is_none() {
        return bindings_page(&state, &user, Some("Välj en konfigurerad identitetstjänst.".into()), None)
            .await;
    }
    let claim: BindingClaim = match form.claim.parse() {
        Ok(c) => c,
        Err(m) => return bindings_page(&state, &user, Some(m), None).await,
    };
    match state.db.add_oidc_binding(&form.username, &provider, claim, &form.value, &user.actor()).await {
        Ok(_) => Ok(Redirect::to("/admin/identiteter?ok=kopplad").into_response()),
        Err(StorageError::Invalid(m)) | Err(StorageError::Conflict(m)) | Err(StorageError::NotFound(m)) => {
            bindings_page(&state, &user, Some(m), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/identiteter/{id}/ta-bort`
pub async fn remove_binding(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match state.db.remove_oidc_binding(id, &user.actor()).await {
        Ok(()) => Ok(Redirect::to("/admin/identiteter?ok=borttagen").into_response()),
        Err(StorageError::NotFound(m)) => bindings_page(&state, &user, Some(m), None).await,
        Err(e) => Err(e.into()),
    }
}

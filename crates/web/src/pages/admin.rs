//! Administration: users, audit log, access table.

use super::form::{Form, Untrimmed};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::routes::{self, RouteSpec};
use crate::shared::OkQuery;
use crate::view::filters;
use crate::view::{render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gnv_core::access::Role;
use gnv_storage::anvandare::{NewUser, User};
use gnv_storage::audit::{AuditFilter, AuditRow};
use gnv_storage::StorageError;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin_index.html")]
struct IndexPage {
    ctx: PageCtx,
    user_count: i64,
}

pub async fn index(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    render(&IndexPage {
        ctx: PageCtx::new("Administration", "admin", &user),
        user_count: state.db.user_count().await?,
    })
}

#[derive(Template)]
#[template(path = "admin_granskningslogg.html")]
struct AuditPage {
    ctx: PageCtx,
    rows: Vec<AuditRow>,
    /// Stored entity spelling and its Swedish words.
    entities: Vec<(String, String)>,
    selected: Option<String>,
    next_before: Option<i64>,
}

#[derive(Deserialize)]
pub struct AuditQuery {
    objekt: Option<String>,
    fore: Option<i64>,
}

const AUDIT_PAGE: i64 = 100;

pub async fn audit(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<AuditQuery>,
) -> AppResult<Response> {
    // A link may name the entity by a spelling stored before migration 0021 ("möte").
    let selected =
        q.objekt.filter(|s| !s.is_empty()).map(|s| match gnv_storage::audit::Entity::from_stored(&s) {
            Some(e) => e.as_str().to_string(),
            None => s,
        });
    let rows = state
        .db
        .audit_list(&AuditFilter {
            entity: selected.clone(),
            username: None,
            limit: AUDIT_PAGE,
            before_id: q.fore,
        })
        .await?;
    let next_before = if rows.len() as i64 == AUDIT_PAGE { rows.last().map(|r| r.id) } else { None };
    render(&AuditPage {
        ctx: PageCtx::new("Granskningslogg", "admin", &user),
        rows,
        entities: {
            let mut e: Vec<(String, String)> = (state.db.audit_entities().await?.into_iter())
                .map(|e| {
                    let label = gnv_storage::audit::entity_label(&e).to_string();
                    (e, label)
                })
                .collect();
            e.sort_by(|a, b| gnv_core::format::swedish_cmp(&a.1, &b.1));
            e
        },
        selected,
        next_before,
    })
}

#[derive(Template)]
#[template(path = "admin_anvandare.html")]
struct UsersPage {
    ctx: PageCtx,
    users: Vec<User>,
    orgs: Vec<(String, String)>,
    error: Option<String>,
}

async fn users_page(
    state: &AppState,
    user: &CurrentUser,
    error: Option<String>,
    flash: Option<String>,
) -> AppResult<Response> {
    let registry = state.db.registry().await?;
    let orgs = registry
        .all_organisations()
        .into_iter()
        .filter(|o| o.code != gnv_core::organisation::COUNTRY_CODE)
        .map(|o| (o.code.clone(), format!("{} ({})", o.name, o.kind.label())))
        .collect();
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let mut resp = render(&UsersPage {
        ctx: PageCtx::new("Användare", "admin", user).with_flash(flash),
        users: state.db.users().await?,
        orgs,
        error,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

pub async fn users(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    users_page(&state, &user, None, q.flash()).await
}

/// The form creating a user.
#[derive(Deserialize)]
pub struct NewUserForm {
    #[serde(rename = "anvandarnamn")]
    username: String,
    #[serde(rename = "namn")]
    display_name: String,
    #[serde(rename = "epost")]
    email: String,
    #[serde(rename = "roll")]
    role: String,
    #[serde(rename = "losenord")]
    password: Untrimmed,
    #[serde(rename = "organisation")]
    organisations: Vec<String>,
}

pub async fn create_user(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<NewUserForm>,
) -> AppResult<Response> {
    let role: Result<Role, String> = form.role.parse::<Role>().map_err(String::from);
    let role = match role {
        Ok(r) => r,
        Err(msg) => return users_page(&state, &user, Some(msg), None).await,
    };
    let new = NewUser {
        username: form.username,
        display_name: form.display_name,
        email: form.email,
        role,
        password: form.password.0,
        organisations: form.organisations,
    };
    match state.db.create_user(&new, &user.actor()).await {
        Ok(_) => Ok(Redirect::to("/admin/anvandare?ok=skapad").into_response()),
        Err(StorageError::Invalid(m)) | Err(StorageError::Conflict(m)) => {
            users_page(&state, &user, Some(m), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The form activating or deactivating a user: `aktiv` is `ja` or `nej`.
#[derive(Deserialize)]
pub struct ActiveForm {
    #[serde(rename = "aktiv")]
    active: String,
}

pub async fn set_active(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
    Form(form): Form<ActiveForm>,
) -> AppResult<Response> {
    let active = match form.active.as_str() {
        "ja" => true,
        "nej" => false,
        _ => return Err(AppError::BadRequest("Fältet ”aktiv” ska vara ja eller nej.".into())),
    };
    if !active && name == user.user.username {
        return users_page(&state, &user, Some("Du kan inte inaktivera ditt eget konto.".into()), None).await;
    }
    state.db.set_user_active(&name, active, &user.actor()).await?;
    Ok(Redirect::to(if active { "/admin/anvandare?ok=aktiverad" } else { "/admin/anvandare?ok=inaktiverad" })
        .into_response())
}

#[derive(Template)]
#[template(path = "admin_behorigheter.html")]
struct RoutesPage {
    ctx: PageCtx,
    routes: Vec<RouteSpec>,
}

pub async fn access_table(user: CurrentUser) -> AppResult<Response> {
    render(&RoutesPage { ctx: PageCtx::new("Behörigheter", "admin", &user), routes: routes::table() })
}

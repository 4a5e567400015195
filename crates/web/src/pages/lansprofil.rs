//! The county profile (länsprofil) page: what the county's pages, forms and reports take from
//! the profile, its TOML for download, and replacing it (validated, all or nothing).

use super::form::Form;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::shared::OkQuery;
use crate::view::{render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gnv_core::lansprofil::{self, CountyProfile};
use gnv_storage::StorageError;

#[derive(Template)]
#[template(path = "admin_lansprofil.html")]
struct ProfilePage {
    ctx: PageCtx,
    profile: CountyProfile,
    stored: bool,
    /// The text in the editor: the stored profile, or what the admin sent when it was refused.
    text: String,
    errors: Vec<String>,
    source_keys: Vec<(&'static str, &'static str)>,
}

/// `GET /admin/lansprofil`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    let profile = state.db.county_profile().await?;
    let text = profile.to_toml();
    page(&state, &user, profile, text, Vec::new(), q.flash()).await
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    profile: CountyProfile,
    text: String,
    errors: Vec<String>,
    flash: Option<String>,
) -> AppResult<Response> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let resp = render(&ProfilePage {
        ctx: PageCtx::new("Länsprofil", "admin", user).with_flash(flash),
        stored: state.db.has_county_profile().await?,
        profile,
        text,
        errors,
        source_keys: lansprofil::SOURCE_KEYS.to_vec(),
    })?;
    Ok((status, resp).into_response())
}

/// The form replacing the profile: its TOML text.
#[derive(serde::Deserialize)]
pub struct ProfileForm {
    toml: String,
}

/// `POST /admin/lansprofil`: replaces the profile with the TOML in field `toml`. Every problem is
/// listed with its row or field; nothing is written unless the whole profile is valid.
pub async fn replace(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<ProfileForm>,
) -> AppResult<Response> {
    let text = form.toml;
    if text.len() > 200_000 {
        return Err(AppError::BadRequest("Länsprofilen är för stor (högst 200 000 tecken).".into()));
    }
    let current = state.db.county_profile().await?;
    match lansprofil::parse_toml(&text) {
        Err(e) => page(&state, &user, current, text, e.lines(), None).await,
        Ok(profile) => match state.db.set_county_profile(&profile, &user.actor()).await {
            Ok(()) => Ok(Redirect::to("/admin/lansprofil?ok=lansprofil").into_response()),
            Err(StorageError::Conflict(msg)) => page(&state, &user, current, text, vec![msg], None).await,
            Err(e) => Err(e.into()),
        },
    }
}

/// `GET /admin/lansprofil.toml`: the profile as a file.
pub async fn download(State(state): State<AppState>) -> AppResult<Response> {
    let profile = state.db.county_profile().await?;
    Ok(crate::shared::download("application/toml; charset=utf-8", "lansprofil.toml", profile.to_toml()))
}

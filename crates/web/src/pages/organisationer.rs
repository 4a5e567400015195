//! The organisation registry: list, detail, admin edits, JSON.

use super::form::{optional, required, Form};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::shared::OkQuery;
use crate::view::{render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use gnv_core::organisation::Registry;
use gnv_storage::organisationer::OrgDetail;

/// One row of the municipality table: code, name and its LSL (code, name).
struct MunicipalityRow(String, String, Option<(String, String)>);

#[derive(Template)]
#[template(path = "organisationer.html")]
struct ListPage {
    ctx: PageCtx,
    registry: Registry,
    municipalities: Vec<MunicipalityRow>,
    /// (code, name, member names joined, count)
    lsls: Vec<(String, String, String, usize)>,
}

pub async fn list(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let registry = state.db.registry().await?;
    let name_of = |code: &str| {
        registry
            .municipalities
            .iter()
            .find(|m| m.code == code)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| code.to_string())
    };
    let municipalities = registry
        .municipalities
        .iter()
        .map(|m| {
            MunicipalityRow(
                m.code.clone(),
                m.name.clone(),
                registry.lsl_of(&m.code).map(|l| (l.code.clone(), l.name.clone())),
            )
        })
        .collect();
    let lsls = registry
        .lsls
        .iter()
        .map(|l| {
            let mut names: Vec<String> = l.municipalities.iter().map(|c| name_of(c)).collect();
            names.sort_by(|a, b| gnv_core::format::swedish_cmp(a, b));
            (l.code.clone(), l.name.clone(), names.join(", "), l.municipalities.len())
        })
        .collect();
    render(&ListPage {
        ctx: PageCtx::new("Organisationer", "organisationer", &user),
        registry,
        municipalities,
        lsls,
    })
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct DetailPage {
    ctx: PageCtx,
    detail: OrgDetail,
    error: Option<String>,
    /// (code, name, member of this LSL)
    all_municipalities: Vec<(String, String, bool)>,
}

async fn detail_page(
    state: &AppState,
    user: &CurrentUser,
    code: &str,
    error: Option<String>,
    flash: Option<String>,
) -> AppResult<Response> {
    let detail = state.db.organisation_detail(code).await?.ok_or_else(AppError::not_found)?;
    let registry = state.db.registry().await?;
    let all_municipalities = registry
        .municipalities
        .iter()
        .map(|m| (m.code.clone(), m.name.clone(), detail.members.iter().any(|x| x.code == m.code)))
        .collect();
    let status =
        if error.is_some() { axum::http::StatusCode::BAD_REQUEST } else { axum::http::StatusCode::OK };
    let mut resp = render(&DetailPage {
        ctx: PageCtx::new(detail.org.name.clone(), "organisationer", user).with_flash(flash),
        detail,
        error,
        all_municipalities,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    detail_page(&state, &user, &code, None, q.flash()).await
}

/// The form changing an organisation's names and description.
#[derive(serde::Deserialize)]
pub struct OrganisationForm {
    #[serde(rename = "namn")]
    name: String,
    #[serde(rename = "kortnamn")]
    short_name: String,
    #[serde(rename = "beskrivning")]
    description: String,
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Form(form): Form<OrganisationForm>,
) -> AppResult<Response> {
    let parsed = (|| {
        Ok::<_, AppError>((
            required(&form.name, "Namn", 200)?,
            optional(&form.short_name, "Kortnamn", 60)?,
            optional(&form.description, "Beskrivning", 2000)?,
        ))
    })();
    match parsed {
        Ok((name, short, description)) => {
            state.db.update_organisation(&code, &name, &short, &description, &user.actor()).await?;
            Ok(Redirect::to(&format!("/organisationer/{code}?ok=sparat")).into_response())
        }
        Err(AppError::BadRequest(msg)) => detail_page(&state, &user, &code, Some(msg), None).await,
        Err(e) => Err(e),
    }
}

/// The LSL's member municipalities: the checked codes `kommun`.
#[derive(serde::Deserialize)]
pub struct MembersForm {
    #[serde(rename = "kommun")]
    municipalities: Vec<String>,
}

pub async fn update_members(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Form(form): Form<MembersForm>,
) -> AppResult<Response> {
    let members = form.municipalities;
    match state.db.set_lsl_members(&code, &members, &user.actor()).await {
        Ok(()) => Ok(Redirect::to(&format!("/organisationer/{code}?ok=sparat")).into_response()),
        Err(gnv_storage::StorageError::Invalid(msg)) => {
            detail_page(&state, &user, &code, Some(msg), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /api/v1/organisationer`: the registry as JSON.
pub async fn api_list(State(state): State<AppState>) -> AppResult<Response> {
    Ok(Json(state.db.registry().await?).into_response())
}

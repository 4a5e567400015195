//! External deliveries (admins): record delivering the kommunenkät compilation (the exact XLSX
//! file, kept with its SHA-256) and the region's own report (a link or address) to
//! Socialstyrelsen; list them per reporting year; download the delivered file.

use super::form::Form;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::notice::Notice;
use crate::routes::Routes;
use crate::shared::{OkQuery, Year};
use crate::view::{render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gnv_core::access::Access::*;
use gnv_storage::leveranser::{DeliveryKind, ExternalDelivery, NewDelivery};
use gnv_storage::StorageError;

/// Declares this module's routes.
pub fn routes(r: Routes) -> Routes {
    r.get("/leveranser/{ar}", Admin, "Externa leveranser till Socialstyrelsen för ett år", page)
        .post("/leveranser/{ar}", Admin, "Registrera en extern leverans (med fil eller länk)", record)
        .get("/leveranser/fil/{id}", Admin, "Den levererade filen, oförändrad", file)
        .post(
            "/leveranser/{ar}/frist",
            Admin,
            "Ange eller ta bort sista dag för en extern leverans",
            deadline,
        )
}

/// One delivery as shown.
pub struct Row {
    pub id: i64,
    pub kind: &'static str,
    /// "Alla kommuner" or the municipality's name.
    pub concerns: String,
    pub on: String,
    pub by: String,
    pub file_name: String,
    pub sha256: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "leveranser.html")]
struct DeliveriesPage {
    ctx: PageCtx,
    year: i32,
    rows: Vec<Row>,
    kinds: Vec<(&'static str, &'static str)>,
    /// (code, name) of the municipalities, in Swedish order.
    municipalities: Vec<(String, String)>,
    /// Per kind: (code, label, the last day as `ÅÅÅÅ-MM-DD` or empty, as Swedish text, note,
    /// delivered).
    deadlines: Vec<DeadlineRow>,
    errors: Vec<String>,
}

/// One kind's last day as shown.
pub struct DeadlineRow {
    pub code: &'static str,
    pub label: &'static str,
    pub iso: String,
    pub text: String,
    pub note: String,
    pub delivered: bool,
}

fn row(d: ExternalDelivery, registry: &gnv_core::organisation::Registry) -> Row {
    let concerns = match &d.organisation {
        None => "Alla kommuner".to_string(),
        Some(code) => registry
            .municipalities
            .iter()
            .find(|m| &m.code == code)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| code.clone()),
    };
    Row {
        id: d.id,
        kind: d.kind.label(),
        concerns,
        on: gnv_core::format::date_long(d.delivered_on),
        by: d.by,
        file_name: d.file_name,
        sha256: d.sha256,
        note: d.note,
    }
}

async fn deliveries_page(
    state: &AppState,
    user: &CurrentUser,
    y: i32,
    errors: Vec<String>,
    flash: Option<String>,
) -> AppResult<Response> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let deliveries = state.db.deliveries(y).await?;
    let registry = state.db.registry().await?;
    let mut municipalities: Vec<(String, String)> =
        registry.municipalities.iter().map(|m| (m.code.clone(), m.name.clone())).collect();
    municipalities.sort_by(|a, b| gnv_core::format::swedish_cmp(&a.1, &b.1));
    let set = state.db.external_deadlines(y).await?;
    let deadlines = DeliveryKind::ALL
        .into_iter()
        .map(|k| {
            let d = set.iter().find(|d| d.kind == k);
            DeadlineRow {
                code: k.code(),
                label: k.label(),
                iso: d.map(|d| d.due_on.to_string()).unwrap_or_default(),
                text: d.map(|d| gnv_core::format::date_long(d.due_on)).unwrap_or_default(),
                note: d.map(|d| d.note.clone()).unwrap_or_default(),
                delivered: deliveries.iter().any(|x| x.kind == k && x.organisation.is_none()),
            }
        })
        .collect();
    let mut resp = render(&DeliveriesPage {
        ctx: PageCtx::new(format!("Externa leveranser {y}"), "planering", user).with_flash(flash),
        year: y,
        rows: deliveries.into_iter().map(|d| row(d, &registry)).collect(),
        municipalities,
        kinds: DeliveryKind::ALL.iter().map(|k| (k.code(), k.label())).collect(),
        deadlines,
        errors,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /leveranser/{ar}`
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    let flash = q.flash_with(&[Notice::DeliveryRecorded]);
    deliveries_page(&state, &user, y, Vec::new(), flash).await
}

/// `POST /leveranser/{ar}` (multipart: slag, kommun (empty: every municipality), datum, av,
/// anteckning, fil).
pub async fn record(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    let mut fields = std::collections::HashMap::new();
    let mut upload: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("Formuläret kunde inte läsas.".into()))?
    {
        let name = field.name().unwrap_or("").to_string();
        if name == "fil" {
            let file_name = field.file_name().unwrap_or("").to_string();
            let bytes =
                field.bytes().await.map_err(|_| AppError::BadRequest("Filen kunde inte läsas.".into()))?;
            if !file_name.is_empty() {
                upload = Some((file_name, bytes.to_vec()));
            }
        } else {
            let text = field
                .text()
                .await
                .map_err(|_| AppError::BadRequest("Formuläret kunde inte läsas.".into()))?;
            fields.insert(name, text);
        }
    }
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let Some(kind) = DeliveryKind::parse(&get("slag")) else {
        return deliveries_page(&state, &user, y, vec!["Välj vad som levererades.".into()], None).await;
    };
    let d = NewDelivery {
        year: y,
        kind,
        delivered_on: get("datum"),
        by: get("av"),
        note: get("anteckning"),
        file: upload,
        organisation: Some(get("kommun")).filter(|c| !c.trim().is_empty()),
    };
    match state.db.record_delivery(&d, &user.actor()).await {
        Ok(_) => Ok(Redirect::to(&format!("/leveranser/{y}?ok=leverans")).into_response()),
        Err(StorageError::Invalid(m)) => {
            deliveries_page(&state, &user, y, m.lines().map(str::to_string).collect(), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /leveranser/fil/{id}`: the delivered file, byte for byte.
pub async fn file(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let (_, name, bytes) = state.db.delivery_file(id).await?.ok_or_else(AppError::not_found)?;
    Ok(crate::shared::download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &name,
        bytes,
    ))
}

/// The form setting an external deadline.
#[derive(serde::Deserialize)]
pub struct DeadlineForm {
    #[serde(rename = "slag")]
    kind: String,
    #[serde(rename = "sista_dag")]
    last_day: String,
    #[serde(rename = "anteckning")]
    note: String,
}

/// `POST /leveranser/{ar}/frist`: sets the last day of one kind of delivery (an empty date
/// removes it).
pub async fn deadline(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
    Form(form): Form<DeadlineForm>,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    let Some(kind) = DeliveryKind::parse(&form.kind) else {
        return deliveries_page(&state, &user, y, vec!["Välj vilken leverans fristen gäller.".into()], None)
            .await;
    };
    match state.db.set_external_deadline(y, kind, &form.last_day, &form.note, &user.actor()).await {
        Ok(()) => Ok(Redirect::to(&format!("/leveranser/{y}?ok=frist")).into_response()),
        Err(StorageError::Invalid(m)) => deliveries_page(&state, &user, y, vec![m], None).await,
        Err(e) => Err(e.into()),
    }
}

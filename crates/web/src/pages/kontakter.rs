//! Contacts (admins only): the list per organisation in Swedish order, add, edit, delete,
//! CSV/XLSX import (all or nothing) and export in the format of `docs/kontakter.md`.

use super::form::Form;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::notice::Notice;
use crate::routes::Routes;
use crate::shared::OkQuery;
use crate::view::{render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use gnv_core::access::Access::*;
use gnv_core::error::Location;
use gnv_core::format::swedish_cmp;
use gnv_core::kontakter::{self, ContactFields, Function, NewContact};
use gnv_core::organisation::{OrgKind, Registry};
use gnv_storage::kontakter::Contact;
use gnv_storage::StorageError;

/// Declares this module's routes.
pub fn routes(r: Routes) -> Routes {
    r.get("/kontakter", Admin, "Kontakter per organisation", list)
        .post("/kontakter", Admin, "Lägg till en kontakt", add)
        .get("/kontakter/import", Admin, "Importera kontakter (CSV/XLSX)", import_form)
        .post("/kontakter/import", Admin, "Importera kontakter (allt eller inget)", import_submit)
        .get("/kontakter/kontakter.csv", Admin, "Kontakter som CSV", export_csv)
        .get("/kontakter/kontakter.xlsx", Admin, "Kontakter som Excel-fil", export_xlsx)
        .get("/kontakter/{id}", Admin, "Ändra en kontakt", edit_form)
        .post("/kontakter/{id}", Admin, "Spara en ändrad kontakt", update)
        .post("/kontakter/{id}/ta-bort", Admin, "Ta bort en kontakt", delete)
}

/// One contact row as shown.
pub struct Row {
    pub id: i64,
    pub org_name: String,
    pub function: &'static str,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub user: String,
}

/// Organisations a contact can belong to, in Swedish order: (code, name, kind label).
fn org_options(registry: &Registry) -> Vec<(String, String, &'static str)> {
    let mut out: Vec<(String, String, &'static str)> = registry
        .all_organisations()
        .into_iter()
        .filter(|o| o.kind != OrgKind::Land)
        .map(|o| {
            let name = if o.kind == OrgKind::Lsl { format!("LSL {}", o.name) } else { o.name.clone() };
            (o.code, name, o.kind.label())
        })
        .collect();
    out.sort_by(|a, b| swedish_cmp(&a.1, &b.1));
    out
}

/// Display name of an organisation ("LSL Mora" for an LSL, to tell it from the municipality).
pub fn display_org(registry: &Registry, code: &str) -> String {
    match registry.lsls.iter().find(|l| l.code == code) {
        Some(l) => format!("LSL {}", l.name),
        None => registry.name_of(code).unwrap_or(code).to_string(),
    }
}

/// Contacts sorted by organisation name (Swedish order), then function, then name.
pub fn sorted_rows(registry: &Registry, contacts: &[Contact]) -> Vec<Row> {
    let mut rows: Vec<(Function, Row)> = contacts
        .iter()
        .map(|c| {
            (
                c.function,
                Row {
                    id: c.id,
                    org_name: display_org(registry, &c.org_code),
                    function: c.function.label(),
                    name: c.name.clone(),
                    email: c.email.clone(),
                    phone: c.phone.clone(),
                    user: c.user.as_ref().map(|u| u.1.clone()).unwrap_or_default(),
                },
            )
        })
        .collect();
    rows.sort_by(|a, b| {
        swedish_cmp(&a.1.org_name, &b.1.org_name).then(a.0.cmp(&b.0)).then(swedish_cmp(&a.1.name, &b.1.name))
    });
    rows.into_iter().map(|(_, r)| r).collect()
}

/// The contact form, as submitted (and shown again after an error).
#[derive(Default, serde::Deserialize)]
pub struct FormValues {
    #[serde(rename = "organisation")]
    pub org: String,
    #[serde(rename = "funktion")]
    pub function: String,
    #[serde(rename = "namn")]
    pub name: String,
    #[serde(rename = "epost")]
    pub email: String,
    #[serde(rename = "telefon")]
    pub phone: String,
    #[serde(rename = "konto")]
    pub user_id: String,
}

#[derive(Template)]
#[template(path = "kontakter_index.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<Row>,
    without: String,
    orgs: Vec<(String, String, &'static str)>,
    functions: Vec<(&'static str, &'static str)>,
    users: Vec<(i64, String)>,
    values: FormValues,
    errors: Vec<String>,
}

async fn user_options(state: &AppState) -> AppResult<Vec<(i64, String)>> {
    Ok(state
        .db
        .users()
        .await?
        .into_iter()
        .map(|u| (u.id, format!("{} ({})", u.display_name, u.username)))
        .collect())
}

fn functions() -> Vec<(&'static str, &'static str)> {
    Function::ALL.iter().map(|f| (f.code(), f.label())).collect()
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    values: FormValues,
    errors: Vec<String>,
    flash: Option<String>,
) -> AppResult<Response> {
    let registry = state.db.registry().await?;
    let contacts = state.db.contacts().await?;
    let mut without: Vec<String> = registry
        .municipalities
        .iter()
        .map(|m| (m.code.clone(), m.name.clone()))
        .chain(registry.lsls.iter().map(|l| (l.code.clone(), format!("LSL {}", l.name))))
        .filter(|(code, _)| !contacts.iter().any(|c| &c.org_code == code))
        .map(|(_, name)| name)
        .collect();
    without.sort_by(|a, b| swedish_cmp(a, b));
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let mut resp = render(&ListPage {
        ctx: PageCtx::new("Kontakter", "admin", user).with_flash(flash),
        rows: sorted_rows(&registry, &contacts),
        without: gnv_core::format::join_sv(&without),
        orgs: org_options(&registry),
        functions: functions(),
        users: user_options(state).await?,
        values,
        errors,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// This page's own notices.
const NOTICES: &[Notice] = &[Notice::ContactAdded, Notice::ContactRemoved];

/// `GET /kontakter`
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    list_page(&state, &user, FormValues::default(), Vec::new(), q.flash_with(NOTICES)).await
}

/// The form's values, and the validated contact with its optional user link.
fn parse_form(
    registry: &Registry,
    values: FormValues,
) -> (FormValues, Result<(NewContact, Option<i64>), Vec<String>>) {
    let user_id = match values.user_id.as_str() {
        "" => Ok(None),
        s => s.parse::<i64>().map(Some).map_err(|_| vec!["Välj ett användarkonto i listan.".to_string()]),
    };
    let contact = kontakter::validate(
        registry,
        &ContactFields {
            organisation: &values.org,
            function: &values.function,
            name: &values.name,
            email: &values.email,
            phone: &values.phone,
        },
        &Location::default(),
    )
    .map_err(|e| e.lines());
    let result = match (contact, user_id) {
        (Ok(c), Ok(u)) => Ok((c, u)),
        (Err(mut a), Err(b)) => {
            a.extend(b);
            Err(a)
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    (values, result)
}

/// `POST /kontakter`
pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(values): Form<FormValues>,
) -> AppResult<Response> {
    let registry = state.db.registry().await?;
    let (values, parsed) = parse_form(&registry, values);
    match parsed {
        Ok((c, u)) => match state.db.add_contact(&c, u, &user.actor()).await {
            Ok(_) => Ok(Redirect::to("/kontakter?ok=tillagd").into_response()),
            Err(StorageError::Invalid(m)) | Err(StorageError::Conflict(m)) => {
                list_page(&state, &user, values, vec![m], None).await
            }
            Err(e) => Err(e.into()),
        },
        Err(errors) => list_page(&state, &user, values, errors, None).await,
    }
}

#[derive(Template)]
#[template(path = "kontakter_andra.html")]
struct EditPage {
    ctx: PageCtx,
    id: i64,
    orgs: Vec<(String, String, &'static str)>,
    functions: Vec<(&'static str, &'static str)>,
    users: Vec<(i64, String)>,
    values: FormValues,
    errors: Vec<String>,
}

async fn edit_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    values: FormValues,
    errors: Vec<String>,
) -> AppResult<Response> {
    let registry = state.db.registry().await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let mut resp = render(&EditPage {
        ctx: PageCtx::new(format!("Ändra kontakt: {}", values.name), "admin", user),
        id,
        orgs: org_options(&registry),
        functions: functions(),
        users: user_options(state).await?,
        values,
        errors,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /kontakter/{id}`
pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let c = state.db.contact(id).await?.ok_or_else(AppError::not_found)?;
    let values = FormValues {
        org: c.org_code.clone(),
        function: c.function.code().to_string(),
        name: c.name.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
        user_id: c.user.as_ref().map(|u| u.0.to_string()).unwrap_or_default(),
    };
    edit_page(&state, &user, id, values, Vec::new()).await
}

/// `POST /kontakter/{id}`
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(values): Form<FormValues>,
) -> AppResult<Response> {
    state.db.contact(id).await?.ok_or_else(AppError::not_found)?;
    let registry = state.db.registry().await?;
    let (values, parsed) = parse_form(&registry, values);
    match parsed {
        Ok((c, u)) => match state.db.update_contact(id, &c, u, &user.actor()).await {
            Ok(()) => Ok(Redirect::to("/kontakter?ok=sparat").into_response()),
            Err(StorageError::Invalid(m)) | Err(StorageError::Conflict(m)) => {
                edit_page(&state, &user, id, values, vec![m]).await
            }
            Err(e) => Err(e.into()),
        },
        Err(errors) => edit_page(&state, &user, id, values, errors).await,
    }
}

/// `POST /kontakter/{id}/ta-bort`
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match state.db.delete_contact(id, &user.actor()).await {
        Ok(()) => Ok(Redirect::to("/kontakter?ok=borttagen").into_response()),
        Err(StorageError::NotFound(_)) => Err(AppError::not_found()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "kontakter_import.html")]
struct ImportPage {
    ctx: PageCtx,
    errors: Vec<String>,
    csv_header: &'static str,
    functions: Vec<(&'static str, &'static str)>,
}

async fn import_page(user: &CurrentUser, errors: Vec<String>) -> AppResult<Response> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let mut resp = render(&ImportPage {
        ctx: PageCtx::new("Importera kontakter", "admin", user),
        errors,
        csv_header: kontakter::CSV_HEADER,
        functions: functions(),
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /kontakter/import`
pub async fn import_form(user: CurrentUser) -> AppResult<Response> {
    import_page(&user, Vec::new()).await
}

/// `POST /kontakter/import` — all or nothing.
pub async fn import_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("Formuläret kunde inte läsas.".into()))?
    {
        if field.name() == Some("fil") {
            let name = field.file_name().unwrap_or("").to_string();
            let bytes =
                field.bytes().await.map_err(|_| AppError::BadRequest("Filen kunde inte läsas.".into()))?;
            if !name.is_empty() {
                file = Some((name, bytes.to_vec()));
            }
        }
    }
    let Some((name, bytes)) = file else {
        return import_page(&user, vec!["Välj en fil att importera.".into()]).await;
    };
    let registry = state.db.registry().await?;
    let contacts = match kontakter::parse_file(&registry, &name, &bytes) {
        Ok(c) => c,
        Err(errors) => return import_page(&user, errors.lines()).await,
    };
    let counts = state.db.import_contacts(&contacts, &name, &user.actor()).await?;
    let msg = format!(
        "Importen är klar: {}, {}, {}.",
        gnv_core::format::count(counts.added as i64, "ny kontakt", "nya kontakter"),
        gnv_core::format::count(counts.updated as i64, "ändrad", "ändrade"),
        gnv_core::format::count(counts.unchanged as i64, "oförändrad", "oförändrade")
    );
    list_page(&state, &user, FormValues::default(), Vec::new(), Some(msg)).await
}

fn export_rows(registry: &Registry, contacts: &[Contact]) -> Vec<[String; 5]> {
    let mut sorted: Vec<&Contact> = contacts.iter().collect();
    sorted.sort_by(|a, b| {
        swedish_cmp(&display_org(registry, &a.org_code), &display_org(registry, &b.org_code))
            .then(a.function.cmp(&b.function))
            .then(swedish_cmp(&a.name, &b.name))
    });
    sorted.into_iter().map(|c| kontakter::export_row(&c.as_new())).collect()
}

/// `GET /kontakter/kontakter.csv`
pub async fn export_csv(State(state): State<AppState>) -> AppResult<Response> {
    use gnv_render::export::Cell;
    let registry = state.db.registry().await?;
    let rows: Vec<Vec<Cell>> = export_rows(&registry, &state.db.contacts().await?)
        .into_iter()
        .map(|r| r.into_iter().map(Cell::text).collect())
        .collect();
    let header: Vec<String> = kontakter::COLUMNS.iter().map(|s| s.to_string()).collect();
    let mut response = crate::shared::download(
        "text/csv; charset=utf-8",
        "kontakter.csv",
        gnv_render::export::csv(&header, &rows),
    );
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `GET /kontakter/kontakter.xlsx`
pub async fn export_xlsx(State(state): State<AppState>) -> AppResult<Response> {
    use gnv_render::export::{Cell, Sheet};
    let registry = state.db.registry().await?;
    let rows: Vec<Vec<Cell>> = export_rows(&registry, &state.db.contacts().await?)
        .into_iter()
        .map(|r| r.into_iter().map(Cell::text).collect())
        .collect();
    let header: Vec<String> = kontakter::COLUMNS.iter().map(|s| s.to_string()).collect();
    super::ekonomi::xlsx_response("kontakter.xlsx", &[Sheet::new("Kontakter", header, rows)])
}

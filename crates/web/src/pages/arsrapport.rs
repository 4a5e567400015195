//! Pages of the module "Årsrapport": the list of report years, the HTML preview of a year's
//! report (draft or published), downloads as PDF, Word and HTML, the analysts' narrative editor
//! and publishing. Routes are declared in [`routes`].

use super::form::Fields;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::routes::Routes;
use crate::view::{flash_message, render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use gnv_core::roll::Access;
use gnv_report::{Format, ReportInput};
use gnv_storage::arsrapport::Publication;
use serde::Deserialize;

/// Longest narrative accepted per section, in characters.
const MAX_NARRATIVE: usize = 20_000;

/// Declares this module's routes.
pub fn routes(r: Routes) -> Routes {
    r.get("/arsrapport", Access::LoggedIn, "Årsrapport: år och status", index)
        .get(
            "/arsrapport/{ar}",
            Access::LoggedIn,
            "Årsrapport: förhandsvisning av ett år (2025) eller nedladdning (2025.pdf, 2025.docx, 2025.html)",
            show,
        )
        .get(
            "/arsrapport/{ar}/text",
            Access::Admin,
            "Årsrapport: analytikerns texter per avsnitt",
            narratives,
        )
        .post(
            "/arsrapport/{ar}/text/{avsnitt}",
            Access::Admin,
            "Årsrapport: spara text för ett avsnitt",
            save_narrative,
        )
        .post(
            "/arsrapport/{ar}/publicera",
            Access::Admin,
            "Årsrapport: publicera (frys underlag och filer)",
            publish,
        )
}

/// Parses a report year: four digits within a sane range.
fn parse_year(s: &str) -> AppResult<i32> {
    match s.parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => Ok(y),
        _ => Err(AppError::NotFound(format!("”{s}” är inget giltigt rapportår."))),
    }
}

struct YearRow {
    year: i32,
    status: String,
    published: bool,
}

/// Template filters of the report pages.
use crate::view::filters;

#[derive(Template)]
#[template(path = "arsrapport_index.html")]
struct IndexPage {
    ctx: PageCtx,
    years: Vec<YearRow>,
}

/// The list of report years with their status.
pub async fn index(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    let current = chrono::Utc::now().year();
    let mut years = state.db.report_years().await?;
    years.insert(current);
    years.insert(current - 1);
    let mut rows = Vec::new();
    for y in years.into_iter().rev() {
        let p = state.db.report_publication(y).await?;
        rows.push(YearRow {
            year: y,
            status: match &p {
                Some(p) => format!("Publicerad {}", p.published_at.get(..10).unwrap_or(&p.published_at)),
                None => "Utkast".to_string(),
            },
            published: p.is_some(),
        });
    }
    render(&IndexPage {
        ctx: PageCtx::new("Årsrapport", "arsrapport", &user).with_flash(flash_message(q.ok.as_deref())),
        years: rows,
    })
}

#[derive(Deserialize)]
pub struct OkQuery {
    ok: Option<String>,
}

#[derive(Template)]
#[template(path = "arsrapport_visa.html")]
struct ShowPage {
    ctx: PageCtx,
    year: i32,
    publication: Option<Publication>,
    body: String,
    error: Option<String>,
}

/// Builds and renders off the async runtime (Typst and PNG rasterising are CPU-bound).
async fn render_report(input: ReportInput, format: Format) -> AppResult<Vec<u8>> {
    tokio::task::spawn_blocking(move || gnv_report::render(&input, format))
        .await
        .map_err(|_| AppError::Internal("Rapporten kunde inte skapas.".into()))?
        .map_err(|e| {
            tracing::error!(error = %e, "report rendering failed");
            AppError::Internal(format!("Rapporten kunde inte skapas: {e}"))
        })
}

/// `GET /arsrapport/{ar}`: the preview page (`2025`) or a download (`2025.pdf`).
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    if let Some((y, ext)) = ar.split_once('.') {
        let year = parse_year(y)?;
        let format = Format::parse(ext).ok_or_else(AppError::not_found)?;
        return download(&state, year, format).await;
    }
    let year = parse_year(&ar)?;
    show_page(&state, &user, year, None, flash_message(q.ok.as_deref())).await
}

async fn show_page(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    error: Option<String>,
    flash: Option<String>,
) -> AppResult<Response> {
    let (input, _) = state.db.report_input(year).await?;
    let publication = state.db.report_publication(year).await?;
    let body = gnv_report::html::fragment(&gnv_report::build(&input));
    let status = if error.is_some() { axum::http::StatusCode::CONFLICT } else { axum::http::StatusCode::OK };
    let mut resp = render(&ShowPage {
        ctx: PageCtx::new(format!("Årsrapport {year}"), "arsrapport", user).with_flash(flash),
        year,
        publication,
        body,
        error,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

async fn download(state: &AppState, year: i32, format: Format) -> AppResult<Response> {
    let bytes = match state.db.report_file(year, format.ext()).await? {
        Some((bytes, _)) => bytes,
        None => {
            let (input, _) = state.db.report_input(year).await?;
            render_report(input, format).await?
        }
    };
    let name = format!("arsrapport-{year}.{}", format.ext());
    Ok((
        [
            (header::CONTENT_TYPE, format.mime().to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response())
}

struct SectionEdit {
    key: &'static str,
    label: &'static str,
    generated: String,
    text: String,
}

#[derive(Template)]
#[template(path = "arsrapport_text.html")]
struct NarrativePage {
    ctx: PageCtx,
    year: i32,
    published: bool,
    sections: Vec<SectionEdit>,
    error: Option<(String, String)>,
}

async fn narrative_page(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    error: Option<(String, String, String)>,
    flash: Option<String>,
) -> AppResult<Response> {
    let (mut input, published) = state.db.report_input(year).await?;
    let texts = input.narratives.clone();
    // The generated text, without the narratives it is compared with.
    input.narratives.clear();
    let doc = gnv_report::build(&input);
    let sections = gnv_report::SECTIONS
        .iter()
        .map(|(key, label)| SectionEdit {
            key,
            label,
            generated: gnv_report::html::excerpt(&gnv_report::section_blocks(&doc, key)),
            text: match &error {
                Some((k, _, t)) if k == key => t.clone(),
                _ => texts.get(*key).cloned().unwrap_or_default(),
            },
        })
        .collect();
    let status =
        if error.is_some() { axum::http::StatusCode::BAD_REQUEST } else { axum::http::StatusCode::OK };
    let mut resp = render(&NarrativePage {
        ctx: PageCtx::new(format!("Texter till årsrapport {year}"), "arsrapport", user).with_flash(flash),
        year,
        published,
        sections,
        error: error.map(|(k, m, _)| (k, m)),
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /arsrapport/{ar}/text`: the narrative editor.
pub async fn narratives(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    let year = parse_year(&ar)?;
    narrative_page(&state, &user, year, None, flash_message(q.ok.as_deref())).await
}

/// `POST /arsrapport/{ar}/text/{avsnitt}`: saves one section's narrative.
pub async fn save_narrative(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((ar, avsnitt)): Path<(String, String)>,
    fields: Fields,
) -> AppResult<Response> {
    let year = parse_year(&ar)?;
    let Some(label) = gnv_report::section_label(&avsnitt) else {
        return Err(AppError::not_found());
    };
    let text = fields.get("text");
    if text.chars().count() > MAX_NARRATIVE {
        let msg = format!(
            "Texten för ”{label}” är för lång: högst {} tecken.",
            gnv_core::format::integer(MAX_NARRATIVE as i64)
        );
        return narrative_page(&state, &user, year, Some((avsnitt, msg, text)), None).await;
    }
    match state.db.save_report_narrative(year, &avsnitt, &text, &user.actor()).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/arsrapport/{year}/text?ok=sparat#avsnitt-{avsnitt}")).into_response())
        }
        Err(gnv_storage::StorageError::Conflict(msg)) => {
            narrative_page(&state, &user, year, Some((avsnitt, msg, text)), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /arsrapport/{ar}/publicera`: freezes the input and stores the three files.
pub async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
) -> AppResult<Response> {
    let year = parse_year(&ar)?;
    if state.db.report_publication(year).await?.is_some() {
        return show_page(
            &state,
            &user,
            year,
            Some(format!("Årsrapporten {year} är redan publicerad.")),
            None,
        )
        .await;
    }
    let mut input = state.db.assemble_report(year).await?;
    input.date = Some(chrono::Utc::now().date_naive());
    input.draft = false;
    let json = input.to_json();
    // The files are rendered from the frozen form itself, so regenerating from it later gives
    // exactly the same bytes.
    let input = ReportInput::from_json(&json).map_err(AppError::Internal)?;
    let mut files = Vec::new();
    for f in Format::ALL {
        files.push((f.ext(), render_report(input.clone(), f).await?));
    }
    match state.db.publish_report(year, &json, &files, &user.actor()).await {
        Ok(_) => Ok(Redirect::to(&format!("/arsrapport/{year}?ok=rapport_publicerad")).into_response()),
        Err(gnv_storage::StorageError::Conflict(msg)) => {
            show_page(&state, &user, year, Some(msg), None).await
        }
        Err(e) => Err(e.into()),
    }
}

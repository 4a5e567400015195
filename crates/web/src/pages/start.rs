//! Start page and health check.

use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::view::filters;
use crate::view::{render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use gnv_core::delmal::SubGoal;
use gnv_storage::audit::{AuditFilter, AuditRow};

#[derive(Template)]
#[template(path = "start.html")]
struct StartPage {
    ctx: PageCtx,
    county_name: String,
    municipalities: usize,
    lsls: usize,
    subgoals: Vec<SubGoal>,
    vision: String,
    modules: Vec<(&'static str, &'static str, &'static str)>,
    recent: Vec<AuditRow>,
    upcoming: Vec<super::planering::UpcomingRow>,
    /// A respondent's open tasks and submitted parts (empty for others).
    tasks: Vec<super::rapportering::omgang::Task>,
    submitted: Vec<super::rapportering::omgang::Task>,
}

/// The module cards on the start page: (href, title, description).
pub const MODULES: &[(&str, &str, &str)] = &[
    ("/nyckeltal", "Nyckeltal och infografik", "20 nyckeltal från Kolada och egna källor: trender, jämförelser med andra, per kön och låsta årliga utgåvor."),
    ("/rapportering", "Rapporteringsomgång", "Årets självskattning, kartläggning, kommunenkät och ekonomiska redovisning: inbjudningar, status och sammanställning."),
    ("/planering", "Planering och uppföljning", "Samverkansaktiviteter, genomförda stödinsatser, rapporteringskalender och regional handlingsplan 2026–2030."),
    ("/arsrapport", "Årsrapport", "Årsrapporten genererad ur data som PDF, Word och webbsida."),
];

pub async fn index(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let registry = state.db.registry().await?;
    let recent = if user.user.role == gnv_core::access::Role::Admin {
        state.db.audit_list(&AuditFilter { limit: 5, ..Default::default() }).await?
    } else {
        Vec::new()
    };
    let (tasks, submitted) = if user.user.role == gnv_core::access::Role::Respondent {
        super::rapportering::omgang::respondent_overview(&state, &user).await?
    } else {
        (Vec::new(), Vec::new())
    };
    render(&StartPage {
        ctx: PageCtx::new("Översikt", "start", &user),
        county_name: registry.county_name.clone(),
        municipalities: registry.municipalities.len(),
        lsls: registry.lsls.len(),
        subgoals: state.db.subgoals().await?,
        vision: user.county.vision.clone(),
        modules: MODULES.to_vec(),
        recent,
        upcoming: super::planering::upcoming_rows(&state, 3).await?,
        tasks,
        submitted,
    })
}

/// `GET /healthz`: 200 with `{"status":"ok"}` when the database answers, 503 otherwise.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => Json(serde_json::json!({ "status": "ok", "database": "ok" })).into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "fel", "database": "svarar inte" })),
        )
            .into_response(),
    }
}

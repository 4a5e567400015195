//! The reporting calendar: meetings of the governance bodies with dates and deliverables (linked
//! to the objects they deliver) and status; the register of proposals and decisions; iCalendar
//! feeds per body.

use super::org_name;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::pages::form::Fields;
use crate::view::{flash_message, render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use gnv_core::planering::{to_ics, DeliverableStatus, ProposalOutcome};
use gnv_storage::StorageError;
use serde::Deserialize;

pub struct DeliverableRow {
    pub position: usize,
    pub kind: String,
    pub description: String,
    pub status: String,
    pub status_key: String,
    pub object: Option<(String, String)>,
}

pub struct ProposalRow {
    pub meeting_id: String,
    pub meeting: String,
    pub number: u32,
    pub text: String,
    pub outcome: String,
    pub outcome_key: String,
    pub deliverable: String,
}

pub struct MeetingRow {
    pub id: String,
    pub date: String,
    pub body: String,
    pub body_code: String,
    pub title: String,
    pub deliverables: Vec<DeliverableRow>,
    pub proposals: Vec<ProposalRow>,
}

#[derive(Template)]
#[template(path = "planering/kalender.html")]
struct CalendarPage {
    ctx: PageCtx,
    year: i32,
    years: Vec<i32>,
    meetings: Vec<MeetingRow>,
    register: Vec<ProposalRow>,
    /// (code, name) of bodies with meetings, for the feeds.
    feeds: Vec<(String, String)>,
    error: Option<String>,
    deliverable_statuses: Vec<(&'static str, &'static str)>,
    outcomes: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize)]
pub struct CalQuery {
    ar: Option<String>,
    ok: Option<String>,
}

const DELIVERABLE_STATUSES: [(&str, &str, DeliverableStatus); 3] = [
    ("planerad", "Planerad", DeliverableStatus::Planerad),
    ("levererad", "Levererad", DeliverableStatus::Levererad),
    ("uppskjuten", "Uppskjuten", DeliverableStatus::Uppskjuten),
];

const OUTCOMES: [(&str, &str, ProposalOutcome); 4] = [
    ("ej_behandlad", "Ej behandlad", ProposalOutcome::EjBehandlad),
    ("bifallen", "Bifallen", ProposalOutcome::Bifallen),
    ("avslagen", "Avslagen", ProposalOutcome::Avslagen),
    ("bordlagd", "Bordlagd", ProposalOutcome::Bordlagd),
];

async fn calendar_page(
    state: &AppState,
    user: &CurrentUser,
    year: Option<i32>,
    error: Option<String>,
    flash: Option<String>,
) -> AppResult<Response> {
    let years = state.db.calendar_years().await?;
    let this_year = super::today().year();
    let year =
        year.unwrap_or(if years.contains(&this_year) || years.is_empty() { this_year } else { years[0] });
    let registry = state.db.registry().await?;
    let stored = state.db.calendar(year).await?;
    let mut meetings = Vec::new();
    let mut register = Vec::new();
    let mut feeds: Vec<(String, String)> = Vec::new();
    for (m, links) in stored.calendar.meetings.iter().zip(&stored.links) {
        if !feeds.iter().any(|(c, _)| *c == m.body) {
            feeds.push((m.body.clone(), org_name(&registry, &m.body)));
        }
        let deliverables: Vec<DeliverableRow> = m
            .deliverables
            .iter()
            .enumerate()
            .map(|(i, d)| DeliverableRow {
                position: i,
                kind: d.kind.label().to_string(),
                description: d.description.clone(),
                status: d.status.label().to_string(),
                status_key: DELIVERABLE_STATUSES
                    .iter()
                    .find(|s| s.2 == d.status)
                    .map(|s| s.0.to_string())
                    .unwrap_or_default(),
                object: links.objects.get(i).cloned().flatten().map(|o| (o.href(), o.label())),
            })
            .collect();
        let meeting_label = format!("{} {}", org_name(&registry, &m.body), m.date.label());
        let proposals: Vec<ProposalRow> = m
            .proposals
            .iter()
            .enumerate()
            .map(|(i, p)| ProposalRow {
                meeting_id: m.id.clone(),
                meeting: meeting_label.clone(),
                number: p.number,
                text: p.text.clone(),
                outcome: p.outcome.label().to_string(),
                outcome_key: OUTCOMES
                    .iter()
                    .find(|o| o.2 == p.outcome)
                    .map(|o| o.0.to_string())
                    .unwrap_or_default(),
                deliverable: links
                    .proposal_deliverables
                    .get(i)
                    .copied()
                    .flatten()
                    .and_then(|d| m.deliverables.get(d))
                    .map(|d| d.description.clone())
                    .unwrap_or_default(),
            })
            .collect();
        register.extend(proposals.iter().map(|p| ProposalRow {
            meeting_id: p.meeting_id.clone(),
            meeting: p.meeting.clone(),
            number: p.number,
            text: p.text.clone(),
            outcome: p.outcome.clone(),
            outcome_key: p.outcome_key.clone(),
            deliverable: p.deliverable.clone(),
        }));
        meetings.push(MeetingRow {
            id: m.id.clone(),
            date: m.date.label(),
            body: org_name(&registry, &m.body),
            body_code: m.body.clone(),
            title: m.title.clone(),
            deliverables,
            proposals,
        });
    }
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let mut resp = render(&CalendarPage {
        ctx: PageCtx::new(format!("Rapporteringskalender {year}"), "planering", user).with_flash(flash),
        year,
        years,
        meetings,
        register,
        feeds,
        error,
        deliverable_statuses: DELIVERABLE_STATUSES.iter().map(|s| (s.0, s.1)).collect(),
        outcomes: OUTCOMES.iter().map(|o| (o.0, o.1)).collect(),
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /planering/kalender?ar=2026`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<CalQuery>,
) -> AppResult<Response> {
    let year = match q.ar.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => {
            Some(s.parse::<i32>().map_err(|_| AppError::BadRequest(format!("\"{s}\" är inget årtal.")))?)
        }
        None => None,
    };
    calendar_page(&state, &user, year, None, flash_message(q.ok.as_deref())).await
}

/// `GET /planering/kalender/{kalenderfil}`: `lchnv.ics` (one body) or `alla.ics`.
pub async fn ics(State(state): State<AppState>, Path(file): Path<String>) -> AppResult<Response> {
    let stem = file.strip_suffix(".ics").ok_or_else(AppError::not_found)?;
    let registry = state.db.registry().await?;
    let body = if stem == "alla" {
        None
    } else if registry.bodies.iter().any(|b| b.code == stem) {
        Some(stem)
    } else {
        return Err(AppError::NotFound(format!("Organet \"{stem}\" finns inte i organisationsregistret.")));
    };
    let mut meetings = Vec::new();
    for y in state.db.calendar_years().await? {
        meetings.extend(state.db.calendar(y).await?.calendar.meetings);
    }
    meetings.sort_by_key(|m| m.date.sort_key());
    let text = to_ics(&meetings, body, chrono::Utc::now());
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{stem}.ics\"")),
        ],
        text,
    )
        .into_response())
}

fn year_of_meeting(id: &str) -> Option<i32> {
    // Meeting ids end in "-ÅÅÅÅ-MM-DD" or "-ÅÅÅÅ-kN".
    let parts: Vec<&str> = id.rsplitn(3, '-').collect();
    parts
        .get(2)
        .and_then(|p| p.rsplit('-').next())
        .and_then(|y| y.parse().ok())
        .or_else(|| parts.get(1).and_then(|p| p.parse().ok()))
}

async fn after_post(
    state: &AppState,
    user: &CurrentUser,
    meeting_id: &str,
    result: Result<(), StorageError>,
) -> AppResult<Response> {
    let year = year_of_meeting(meeting_id);
    match result {
        Ok(()) => {
            let y = year.map(|y| format!("ar={y}&")).unwrap_or_default();
            Ok(Redirect::to(&format!("/planering/kalender?{y}ok=sparat")).into_response())
        }
        Err(StorageError::Invalid(msg)) => calendar_page(state, user, year, Some(msg), None).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /planering/kalender/leverans`: fields `mote`, `leverans` (0-based), `status`.
pub async fn set_deliverable(
    State(state): State<AppState>,
    user: CurrentUser,
    fields: Fields,
) -> AppResult<Response> {
    let meeting = fields.get("mote");
    let position: usize = fields
        .get("leverans")
        .parse()
        .map_err(|_| AppError::BadRequest("Ange vilken leverans som avses.".into()))?;
    let status =
        DELIVERABLE_STATUSES.iter().find(|s| s.0 == fields.get("status")).map(|s| s.2).ok_or_else(|| {
            AppError::BadRequest("Välj status Planerad, Levererad eller Uppskjuten.".into())
        })?;
    let r = state.db.set_deliverable_status(&meeting, position, status, &user.actor()).await;
    after_post(&state, &user, &meeting, r).await
}

/// `POST /planering/kalender/forslag`: fields `mote`, `text`, optional `leverans`.
pub async fn add_proposal(
    State(state): State<AppState>,
    user: CurrentUser,
    fields: Fields,
) -> AppResult<Response> {
    let meeting = fields.get("mote");
    let text = fields.get("text");
    if text.chars().count() > 2000 {
        return Err(AppError::BadRequest("Förslaget får ha högst 2000 tecken.".into()));
    }
    let deliverable = match fields.opt("leverans") {
        Some(s) => Some(s.parse::<usize>().map_err(|_| AppError::BadRequest("Ogiltig leverans.".into()))?),
        None => None,
    };
    let r = state.db.add_proposal(&meeting, &text, deliverable, &user.actor()).await.map(|_| ());
    after_post(&state, &user, &meeting, r).await
}

/// `POST /planering/kalender/beslut`: fields `mote`, `nummer`, `beslut`.
pub async fn set_outcome(
    State(state): State<AppState>,
    user: CurrentUser,
    fields: Fields,
) -> AppResult<Response> {
    let meeting = fields.get("mote");
    let number: u32 =
        fields.get("nummer").parse().map_err(|_| AppError::BadRequest("Ange förslagets nummer.".into()))?;
    let outcome = OUTCOMES.iter().find(|o| o.0 == fields.get("beslut")).map(|o| o.2).ok_or_else(|| {
        AppError::BadRequest("Välj beslut: Ej behandlad, Bifallen, Avslagen eller Bordlagd.".into())
    })?;
    let r = state.db.set_proposal_outcome(&meeting, number, outcome, &user.actor()).await;
    after_post(&state, &user, &meeting, r).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn year_from_meeting_id() {
        assert_eq!(super::year_of_meeting("lchnv-2026-01-29"), Some(2026));
        assert_eq!(super::year_of_meeting("lchnv-styrgrupp-2026-k4"), Some(2026));
        assert_eq!(super::year_of_meeting("x"), None);
    }
}

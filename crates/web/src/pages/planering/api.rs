//! The module's read API (JSON), authenticated like the other `/api/v1` routes (any logged-in
//! user; 401 without a session). Field names are English, labels Swedish. A year without data
//! answers 200 with `null` ("arsplan": null, "handlingsplan": null) or an empty list, so that a
//! client can tell "nothing yet" from an error; a malformed year is 404.
//!
//! - `GET /api/v1/planering/arsplan/{planar}` — activity types with target and plan versus outcome,
//!   occurrences with attendance, the year's attendance ("6 av 13 systemledningar, som omfattar 8 av 15
//!   kommuner") and the LSLs not reached.
//! - `GET /api/v1/planering/kalender/{ar}` — meetings with deliverables (and the objects they
//!   deliver) and numbered proposals with their outcome.
//! - `GET /api/v1/planering/handlingsplan` — the latest version with its actions and statuses.

use super::org_name;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use gnv_core::format;
use gnv_core::planering::aktivitet::outcome_for;
use gnv_core::planering::{
    attendance_summary, not_reached, year_attendance, Link, MeetingDate, OccurrenceStatus,
};
use gnv_storage::planering::ObjectRef;
use serde_json::{json, Value};

fn error(status: StatusCode, msg: impl Into<String>) -> Response {
    (status, Json(json!({ "error": msg.into() }))).into_response()
}

fn internal(e: impl std::fmt::Display) -> Response {
    error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
}

/// The year, or the 404 answer for a malformed one.
fn parse_year(s: &str) -> Result<i32, Box<Response>> {
    crate::shared::Year::check(s).map_err(|message| Box::new(error(StatusCode::NOT_FOUND, message)))
}

fn status_key(s: &OccurrenceStatus) -> &'static str {
    match s {
        OccurrenceStatus::Planerad => "planerad",
        OccurrenceStatus::Genomford => "genomford",
        OccurrenceStatus::Framflyttad(_) => "framflyttad",
        OccurrenceStatus::Installd(_) => "installd",
        OccurrenceStatus::Pausad(_) => "pausad",
    }
}

/// `GET /api/v1/planering/arsplan/{planar}`.
pub async fn annual_plan(State(state): State<AppState>, Path(year): Path<String>) -> Response {
    let year = match parse_year(&year) {
        Ok(y) => y,
        Err(r) => return *r,
    };
    let (registry, stored) = match (state.db.registry().await, state.db.annual_plan(year).await) {
        (Ok(r), Ok(s)) => (r, s),
        (Err(e), _) | (_, Err(e)) => return internal(e),
    };
    let Some(stored) = stored else {
        return Json(json!({ "year": year, "arsplan": Value::Null })).into_response();
    };
    let plan = &stored.plan;
    let types: Vec<Value> = plan
        .activity_types
        .iter()
        .zip(&stored.activity_type_ids)
        .map(|(t, id)| {
            let o = outcome_for(plan, t);
            json!({
                "id": id,
                "name": t.name,
                "target_group": t.target_group,
                "purpose": t.purpose,
                "format": t.format,
                "format_label": t.format.label(),
                "target": {
                    "min": t.frequency.min(),
                    "max": t.frequency.max(),
                    "timing": t.frequency.timing(),
                    "label": t.frequency.label(),
                },
                "outcome": {
                    "held": o.held,
                    "planned": o.planned,
                    "postponed": o.postponed,
                    "cancelled": o.cancelled,
                    "paused": o.paused,
                    "fulfilment": o.fulfilment,
                    "fulfilment_label": o.fulfilment.label(),
                    "text": o.text,
                },
                "attendance": year_attendance(plan, &registry, Some(&t.name)),
            })
        })
        .collect();
    let occurrences: Vec<Value> = plan
        .occurrences
        .iter()
        .zip(&stored.occurrence_ids)
        .map(|(o, id)| {
            json!({
                "id": id,
                "activity": o.activity,
                "title": o.title,
                "date": format::date(o.date),
                "format": o.format,
                "status": status_key(&o.status),
                "status_label": o.status.label(),
                "reason": o.status.reason().map(|r| r.as_str()),
                "participants": o.participants,
                "note": o.note,
                "attendance": o.attendance,
                "attendance_text": attendance_summary(o, &registry).text,
            })
        })
        .collect();
    let nr = not_reached(plan, &registry);
    Json(json!({
        "year": year,
        "arsplan": {
            "activity_types": types,
            "occurrences": occurrences,
            "attendance": year_attendance(plan, &registry, None),
            "not_reached": {
                "lsls": nr.lsls.iter().map(|l| l.code.clone()).collect::<Vec<_>>(),
                "sentence": nr.sentence,
            },
        }
    }))
    .into_response()
}

/// `GET /api/v1/planering/kalender/{ar}`.
pub async fn calendar(State(state): State<AppState>, Path(year): Path<String>) -> Response {
    let year = match parse_year(&year) {
        Ok(y) => y,
        Err(r) => return *r,
    };
    let (registry, stored) = match (state.db.registry().await, state.db.calendar(year).await) {
        (Ok(r), Ok(s)) => (r, s),
        (Err(e), _) | (_, Err(e)) => return internal(e),
    };
    let meetings: Vec<Value> = stored
        .calendar
        .meetings
        .iter()
        .zip(&stored.links)
        .map(|(m, links)| {
            let (date, quarter) = match m.date {
                MeetingDate::Datum(d) => (Some(format::date(d)), None),
                MeetingDate::EjSatt { quarter, .. } => (None, Some(quarter.number())),
            };
            let object = |i: usize| -> Value {
                match links.objects.get(i).cloned().flatten() {
                    Some(o) => object_json(&o),
                    None => Value::Null,
                }
            };
            json!({
                "id": m.id,
                "body": m.body,
                "body_name": org_name(&registry, &m.body),
                "date": date,
                "quarter": quarter,
                "date_label": m.date.label(),
                "title": m.title,
                "deliverables": m.deliverables.iter().enumerate().map(|(i, d)| json!({
                    "position": i + 1,
                    "kind": d.kind,
                    "kind_label": d.kind.label(),
                    "description": d.description,
                    "status": d.status,
                    "status_label": d.status.label(),
                    "object": object(i),
                })).collect::<Vec<_>>(),
                "proposals": m.proposals.iter().enumerate().map(|(i, p)| json!({
                    "number": p.number,
                    "text": p.text,
                    "outcome": p.outcome,
                    "outcome_label": p.outcome.label(),
                    "deliverable": links.proposal_deliverables.get(i).copied().flatten().map(|d| d + 1),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Json(json!({ "year": year, "meetings": meetings })).into_response()
}

fn object_json(o: &ObjectRef) -> Value {
    json!({ "ref": o.to_text(), "label": o.label(), "href": o.href() })
}

fn link_json(l: &Link) -> Value {
    match l {
        Link::Nyckeltal(c) => json!({ "kind": "nyckeltal", "value": c.to_string(), "label": l.label() }),
        Link::Delmal(n) => json!({ "kind": "delmal", "value": n.to_string(), "label": l.label() }),
        Link::Aktivitet(a) => json!({ "kind": "aktivitet", "value": a, "label": l.label() }),
    }
}

/// `GET /api/v1/planering/handlingsplan`.
pub async fn action_plan(State(state): State<AppState>) -> Response {
    let (registry, versions, latest) = match (
        state.db.registry().await,
        state.db.action_plan_versions().await,
        state.db.latest_action_plan().await,
    ) {
        (Ok(r), Ok(v), Ok(l)) => (r, v, l),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return internal(e),
    };
    let Some(v) = latest else {
        return Json(json!({ "handlingsplan": Value::Null })).into_response();
    };
    let plan = &v.plan;
    let actions: Vec<Value> = plan
        .actions()
        .iter()
        .map(|r| {
            let a = r.action;
            let status = a.latest_status(None);
            json!({
                "key": r.key.to_string(),
                "goal": r.key.goal_key().to_string(),
                "goal_text": r.goal.text,
                "text": a.text,
                "responsible": a.responsible,
                "responsible_name": org_name(&registry, &a.responsible),
                "time_frame": { "from": a.time_frame.from(), "to": a.time_frame.to(), "label": a.time_frame.label() },
                "level": a.level,
                "level_question": a.level.question(),
                "links": a.links.iter().map(link_json).collect::<Vec<_>>(),
                "status": status,
                "status_label": status.label(),
                "latest_update": a.latest_update(None).map(|u| json!({
                    "date": format::date(u.date),
                    "status": u.status,
                    "comment": u.comment,
                })),
                "updates": a.updates.iter().map(|u| json!({
                    "date": format::date(u.date),
                    "status": u.status,
                    "comment": u.comment,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let roles: Vec<Value> = plan
        .organisation
        .roles()
        .into_iter()
        .map(|(role, codes)| {
            json!({
                "role": role,
                "codes": codes,
                "names": codes.iter().map(|c| org_name(&registry, c)).collect::<Vec<_>>(),
            })
        })
        .collect();
    Json(json!({
        "handlingsplan": {
            "version": v.version,
            "review_year": v.review_year,
            "title": plan.title,
            "description": plan.description,
            "period": { "start": plan.period.start(), "end": plan.period.end(), "label": plan.period.label() },
            "sender": plan.sender,
            "sender_name": org_name(&registry, &plan.sender),
            "organisation": plan.organisation,
            "roles": roles,
            "versions": versions,
            "actions": actions,
        }
    }))
    .into_response()
}

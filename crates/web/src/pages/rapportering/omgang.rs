//! Round administration: list and open rounds, the status page ("13 av 13 har svarat"),
//! invitations (links or respondent accounts), reminders and reopening.

use super::{assignees, org_name, part, status_class};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::mail::{self, Mail};
use crate::pages::form::{Form, ReasonForm};
use crate::shared::{OkQuery, Year};
use crate::view::{render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use gnv_core::access::Role;
use gnv_core::format;
use gnv_core::rapportering::{Part, Status};
use gnv_storage::rapportering::{AssignmentRow, RoundRow};
use gnv_storage::StorageError;
use serde::{Deserialize, Serialize};

use crate::view::filters;

/// A respondent's own task in an open round.
pub struct Task {
    pub year: i32,
    pub part_code: &'static str,
    pub part_label: &'static str,
    pub org_code: String,
    pub org_name: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub deadline: String,
    /// Position of the part in the round (självskattning, kartläggning, kommunenkät, ekonomi).
    pub part_order: usize,
    /// Where the part is answered (or, once submitted, read).
    pub href: String,
    /// "Besvara", "Redovisa" or, for a submitted part, "Visa".
    pub action: &'static str,
    /// When it was submitted (long Swedish date), for submitted parts.
    pub submitted: String,
}

/// Where a logged-in respondent answers a part for an organisation.
pub(crate) fn answer_href(year: i32, part: Part, org: &str) -> String {
    match part {
        Part::Sjalvskattning | Part::Kartlaggning => {
            format!("/rapportering/{year}/svara/{}/{org}", part.code())
        }
        Part::Kommunenkat => format!("/kommunenkat/{year}/kommun/{org}"),
        Part::Ekonomi => format!("/ekonomi/{year}/kommun/{org}"),
    }
}

/// A respondent's own page: the parts they can still answer (open rounds, and parts an admin
/// reopened in a closed round), newest round first in the round's part order; then what their
/// organisations have submitted.
pub async fn respondent_overview(state: &AppState, user: &CurrentUser) -> AppResult<(Vec<Task>, Vec<Task>)> {
    let registry = state.db.registry().await?;
    let mut open_tasks = Vec::new();
    let mut submitted = Vec::new();
    for r in state.db.rounds().await? {
        let open = r.is_open();
        for a in state.db.round_assignments(r.year).await?.iter().filter(|a| user.may_act_for(&a.org_code)) {
            let done = a.status == Status::Inskickad;
            let task = Task {
                year: r.year,
                part_code: a.part.code(),
                part_label: a.part.label(),
                org_code: a.org_code.clone(),
                org_name: org_name(&registry, &a.org_code),
                status: a.status.label(),
                status_class: status_class(a.status),
                deadline: format::date_long(r.deadline_date()),
                part_order: Part::ALL.iter().position(|p| *p == a.part).unwrap_or(usize::MAX),
                href: answer_href(r.year, a.part, &a.org_code),
                action: if done {
                    "Visa"
                } else if a.part == Part::Ekonomi {
                    "Redovisa"
                } else {
                    "Besvara"
                },
                submitted: a
                    .submitted_at
                    .as_deref()
                    .and_then(|t| t.get(..10))
                    .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
                    .map(format::date_long)
                    .unwrap_or_default(),
            };
            if done {
                submitted.push(task);
            } else if open || a.status == Status::Ateroppnad {
                open_tasks.push(task);
            }
        }
    }
    let order = |a: &Task, b: &Task| {
        b.year
            .cmp(&a.year)
            .then(a.part_order.cmp(&b.part_order))
            .then_with(|| format::swedish_cmp(&a.org_name, &b.org_name))
    };
    open_tasks.sort_by(order);
    submitted.sort_by(order);
    Ok((open_tasks, submitted))
}

/// Every assignment of a round: the round engine is the one source of status for all four
/// parts.
pub async fn effective_assignments(state: &AppState, y: i32) -> AppResult<Vec<AssignmentRow>> {
    Ok(state.db.round_assignments(y).await?)
}

/// "öppen till 13 februari 2026" / "stängd 14 februari 2026".
fn round_state_text(r: &RoundRow) -> String {
    if r.is_open() {
        format!("öppen till och med {}", format::date_long(r.deadline_date()))
    } else {
        match r
            .closed_at
            .as_deref()
            .and_then(|t| t.get(..10))
            .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
        {
            Some(d) => format!("stängd sedan {}", format::date_long(d)),
            None => format!("stängd (sista svarsdag var {})", format::date_long(r.deadline_date())),
        }
    }
}

#[derive(Template)]
#[template(path = "rapportering_index.html")]
struct IndexPage {
    ctx: PageCtx,
    /// (round, answered text, state text)
    rounds: Vec<(RoundRow, String, String)>,
    tasks: Vec<Task>,
    submitted: Vec<Task>,
    next_year: i32,
    parts: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

async fn index_page(
    state: &AppState,
    user: &CurrentUser,
    error: Option<String>,
    flash: Option<String>,
) -> AppResult<Response> {
    let rounds = state.db.rounds().await?;
    let mut with_text = Vec::new();
    for r in &rounds {
        let assignments = effective_assignments(state, r.year).await?;
        let texts: Vec<String> = r
            .parts
            .iter()
            .map(|p| {
                let of_part: Vec<&AssignmentRow> = assignments.iter().filter(|a| a.part == *p).collect();
                let done = of_part.iter().filter(|a| a.status.is_submitted()).count();
                format!("{}: {} har svarat", p.label(), format::of(done, of_part.len()))
            })
            .collect();
        with_text.push((r.clone(), texts.join(" · "), round_state_text(r)));
    }
    let (tasks, submitted) = if user.user.role == Role::Respondent {
        respondent_overview(state, user).await?
    } else {
        (Vec::new(), Vec::new())
    };
    let next_year = rounds
        .first()
        .map(|r| r.year + 1)
        .unwrap_or_else(|| chrono::Utc::now().format("%Y").to_string().parse().unwrap_or(2025));
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let mut resp = render(&IndexPage {
        ctx: PageCtx::new("Rapporteringsomgång", "rapportering", user).with_flash(flash),
        rounds: with_text,
        tasks,
        submitted,
        next_year,
        parts: Part::ALL.iter().map(|p| (p.code(), p.label())).collect(),
        error,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /rapportering`
pub async fn index(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    index_page(&state, &user, None, q.flash()).await
}

/// The form opening a round: year, last day and the chosen parts.
#[derive(Deserialize)]
pub struct NewRoundForm {
    #[serde(rename = "ar")]
    year: String,
    #[serde(rename = "sista_dag")]
    last_day: String,
    #[serde(rename = "del")]
    parts: Vec<String>,
}

/// `POST /rapportering` — open a round.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<NewRoundForm>,
) -> AppResult<Response> {
    let year_raw = form.year;
    let Ok(y) = year_raw.parse::<i32>() else {
        return index_page(&state, &user, Some(format!("Året \"{year_raw}\" är inget årtal.")), None).await;
    };
    let parts: Vec<Part> = form.parts.iter().filter_map(|p| Part::parse(p)).collect();
    let registry = state.db.registry().await?;
    match state.db.create_round(y, &form.last_day, &parts, &registry, &user.actor()).await {
        Ok(_) => Ok(Redirect::to(&format!("/rapportering/{y}?ok=omgang")).into_response()),
        Err(StorageError::Invalid(m)) | Err(StorageError::Conflict(m)) => {
            index_page(&state, &user, Some(m), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// One organisation row on the status page.
pub struct OrgRow {
    pub code: String,
    pub name: String,
    pub status: Status,
    pub status_label: &'static str,
    pub status_class: &'static str,
    pub responses: String,
    pub updated: String,
    pub reason: String,
    /// "ändrat efter stängning: …" when the part differs from the snapshot taken at closing.
    pub changed_after_close: String,
    /// Whether an admin may reopen it here (submitted, or not submitted in a closed round).
    pub may_reopen: bool,
}

/// One part on the status page.
pub struct PartBlock {
    pub code: &'static str,
    pub label: &'static str,
    pub answered_text: String,
    pub rows: Vec<OrgRow>,
    pub counts: String,
}

/// An invitation row.
pub struct InvRow {
    pub id: i64,
    pub part: &'static str,
    pub org: String,
    pub name: String,
    pub email: String,
    pub state: &'static str,
    pub expires: String,
    pub active: bool,
}

/// (part code, part label, [(org code, org name)]) for the invitation form.
type InviteGroup = (&'static str, &'static str, Vec<(String, String)>);

#[derive(Template)]
#[template(path = "rapportering_status.html")]
struct StatusPage {
    ctx: PageCtx,
    year: i32,
    round: Option<RoundRow>,
    parts: Vec<PartBlock>,
    invitations: Vec<InvRow>,
    mails: Vec<gnv_storage::rapportering::MailRow>,
    /// (part code, part label, [(org code, org name)])
    invite_options: Vec<InviteGroup>,
    error: Option<String>,
    new_link: Option<String>,
    has_sjalvskattning: bool,
    has_kartlaggning: bool,
    /// "öppen till och med …" / "stängd sedan …".
    state_text: String,
    deadline_text: String,
    opened_text: String,
    open: bool,
    /// The scheduled reminders: (when, what happened).
    reminders: Vec<(String, String)>,
    /// The schedule as typed: "14, 3".
    reminder_days: String,
    /// Organisations that have not submitted, per part ("Självskattning: Mora, Orsa"), listed in
    /// the confirmation before an admin closes the round.
    missing: Vec<String>,
}

/// A stored timestamp as a Swedish date: "6 december 2026".
fn date_part(t: &str) -> String {
    format::timestamp_date(t)
}

async fn status_page(
    state: &AppState,
    user: &CurrentUser,
    y: i32,
    error: Option<String>,
    flash: Option<String>,
    new_link: Option<String>,
) -> AppResult<Response> {
    let registry = state.db.registry().await?;
    let round = state.db.round(y).await?;
    let assignments = effective_assignments(state, y).await?;
    let changes = state.db.changed_after_close(y).await?;
    let open = round.as_ref().is_some_and(RoundRow::is_open);
    let mut parts = Vec::new();
    let mut missing = Vec::new();
    if let Some(r) = &round {
        for p in &r.parts {
            let rows: Vec<OrgRow> = assignees(&registry, *p)
                .into_iter()
                .filter_map(|(code, name)| {
                    let a = assignments.iter().find(|a| a.part == *p && a.org_code == code)?;
                    let responses = if p.individual_answers() {
                        format!(
                            "{}, {}",
                            format::count(a.submitted_responses, "inskickat svar", "inskickade svar"),
                            format::count(a.draft_responses, "utkast", "utkast")
                        )
                    } else {
                        String::new()
                    };
                    Some(OrgRow {
                        code,
                        name,
                        status: a.status,
                        status_label: a.status.label(),
                        status_class: status_class(a.status),
                        responses,
                        updated: if a.status == Status::EjPaborjad {
                            String::new()
                        } else {
                            date_part(&a.updated_at)
                        },
                        reason: a.reopen_reason.clone(),
                        changed_after_close: changes
                            .iter()
                            .find(|c| c.part == *p && c.org_code == a.org_code)
                            .map(|c| {
                                let what = if c.answer_changed {
                                    "svaret har ändrats"
                                } else {
                                    "statusen har ändrats"
                                };
                                format!(
                                    "Ändrat efter stängning: {what} (vid stängningen {}, nu {}).",
                                    c.status_at_close.label(),
                                    c.status_now.label()
                                )
                            })
                            .unwrap_or_default(),
                        may_reopen: a.status == Status::Inskickad
                            || (!open && matches!(a.status, Status::EjPaborjad | Status::Utkast)),
                    })
                })
                .collect();
            let not_submitted: Vec<String> =
                rows.iter().filter(|r| !r.status.is_submitted()).map(|r| r.name.clone()).collect();
            if !not_submitted.is_empty() {
                missing.push(format!("{}: {}", p.label(), format::join_sv(&not_submitted)));
            }
            let done = rows.iter().filter(|r| r.status.is_submitted()).count();
            let counts = Status::ALL
                .iter()
                .map(|s| format!("{} {}", rows.iter().filter(|r| r.status == *s).count(), s.label()))
                .collect::<Vec<_>>()
                .join(", ");
            parts.push(PartBlock {
                code: p.code(),
                label: p.label(),
                answered_text: format!("{} har svarat", format::of(done, rows.len())),
                rows,
                counts,
            });
        }
    }
    let now = gnv_storage::now_text();
    let invitations = if user.user.role == Role::Admin {
        state
            .db
            .invitations(y)
            .await?
            .into_iter()
            .map(|i| {
                let (st, active) = if i.revoked_at.is_some() {
                    ("återkallad", false)
                } else if i.expired_at(&now) {
                    ("utgången", false)
                } else {
                    ("giltig", true)
                };
                InvRow {
                    id: i.id,
                    part: i.part.label(),
                    org: org_name(&registry, &i.org_code),
                    name: i.name,
                    email: i.email,
                    state: st,
                    expires: date_part(&i.expires_at),
                    active,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let mails = if user.user.role == Role::Admin { state.db.mails(y).await? } else { Vec::new() };
    let invite_options = round
        .as_ref()
        .map(|r| r.parts.iter().map(|p| (p.code(), p.label(), assignees(&registry, *p))).collect())
        .unwrap_or_default();
    let has_sjalvskattning = round.as_ref().is_some_and(|r| r.parts.contains(&Part::Sjalvskattning));
    let has_kartlaggning = round.as_ref().is_some_and(|r| r.parts.contains(&Part::Kartlaggning));
    let state_text = round.as_ref().map(round_state_text).unwrap_or_default();
    let schedule = if round.is_some() { state.db.reminder_schedule(y).await? } else { Vec::new() };
    let reminder_days = schedule.iter().map(|r| r.days_before.to_string()).collect::<Vec<_>>().join(", ");
    let reminders = schedule
        .iter()
        .map(|r| {
            let when = format::timestamp(&r.due_at);
            let days = match r.days_before {
                0 => "på sista svarsdagen".to_string(),
                1 => "1 dag före sista svarsdagen".to_string(),
                n => format!("{n} dagar före sista svarsdagen"),
            };
            let state = match &r.done_at {
                Some(at) => format!("skickad {} – {}", format::timestamp(at), r.result),
                None => "väntar".to_string(),
            };
            (format!("{when} ({days})"), state)
        })
        .collect();
    let deadline_text = round.as_ref().map(|r| format::date_long(r.deadline_date())).unwrap_or_default();
    let opened_text = round
        .as_ref()
        .and_then(|r| {
            let opened = super::local_date(&r.opened_at)?;
            // A past year's round entered afterwards (an import, the demo) did not open then.
            Some(if opened > r.deadline_date() {
                format!("{} (inlagd i efterhand, efter sista svarsdagen)", format::date_long(opened))
            } else {
                format::date_long(opened)
            })
        })
        .unwrap_or_default();
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let mut resp = render(&StatusPage {
        ctx: PageCtx::new(format!("Rapporteringsomgång {y}"), "rapportering", user).with_flash(flash),
        year: y,
        round,
        parts,
        invitations,
        mails,
        invite_options,
        error,
        new_link,
        has_sjalvskattning,
        has_kartlaggning,
        state_text,
        deadline_text,
        opened_text,
        open,
        missing,
        reminders,
        reminder_days,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /rapportering/{ar}`
pub async fn status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    status_page(&state, &user, y, None, q.flash(), None).await
}

#[allow(clippy::too_many_arguments)]
fn invitation_mail(
    name: &str,
    email: &str,
    part: Part,
    org: &str,
    y: i32,
    deadline: &str,
    link: &str,
    reminder: bool,
    sender: &str,
) -> Mail {
    let subject = if reminder {
        format!("Påminnelse: {} {y} för {org}", part.label_in_text())
    } else {
        format!("Inbjudan: {} {y} för {org}", part.label_in_text())
    };
    let lead = if reminder {
        format!("Vi har ännu inte fått in svaret på {} för {org}.", part.label_in_text())
    } else {
        format!("Du är inbjuden att besvara {} för {org} i rapporteringsomgången {y}.", part.label_in_text())
    };
    let body = format!(
        "Hej {name}!\n\n{lead}\n\nSista svarsdag: {deadline}\n\nSvara här: {link}\n\nDu kan spara ett utkast och fortsätta senare med samma länk. Länken är personlig – dela den inte.\n\nMed vänliga hälsningar\n{sender}\n"
    );
    Mail { to_name: name.to_string(), to_email: email.to_string(), subject, body, attachments: Vec::new() }
}

/// The invitation form: `mottagare` is "part:organisation"; `satt` is `konto` (mail the
/// respondent accounts) or a link for `namn`/`epost`, valid `dagar` days.
#[derive(Deserialize)]
pub struct InvitationForm {
    #[serde(rename = "mottagare")]
    target: String,
    #[serde(rename = "satt")]
    way: String,
    #[serde(rename = "namn")]
    name: String,
    #[serde(rename = "epost")]
    email: String,
    #[serde(rename = "dagar")]
    days: String,
}

/// `POST /rapportering/{ar}/inbjudan` — invite by secret link (e-mailed, shown once) or e-mail
/// the organisation's respondent accounts.
pub async fn invite(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
    Form(form): Form<InvitationForm>,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    let Some(round) = state.db.round(y).await? else {
        return Err(AppError::not_found());
    };
    let registry = state.db.registry().await?;
    let sender = state.db.county_profile().await?.support_unit;
    let target = form.target;
    let Some((part_code, org)) = target.split_once(':') else {
        return status_page(&state, &user, y, Some("Välj del och organisation.".into()), None, None).await;
    };
    let Some(p) = Part::parse(part_code) else {
        return status_page(&state, &user, y, Some("Välj del och organisation.".into()), None, None).await;
    };
    let org_label = org_name(&registry, org);
    if !round.is_open() && state.db.round_part_status(y, p, org).await.ok() != Some(Status::Ateroppnad) {
        return status_page(
            &state,
            &user,
            y,
            Some(format!(
                "Omgången {y} är stängd. Återöppna delen för {org_label} eller ändra sista svarsdag innan du bjuder in."
            )),
            None,
            None,
        )
        .await;
    }
    let base = state.config.base_url.trim_end_matches('/').to_string();
    if form.way == "konto" {
        let accounts = state.db.respondents_of(org).await?;
        let with_mail: Vec<_> = accounts.into_iter().filter(|a| !a.2.is_empty()).collect();
        if with_mail.is_empty() {
            return status_page(
                &state,
                &user,
                y,
                Some(format!("{org_label} har inget respondentkonto med e-postadress. Skapa ett under Administration → Användare eller bjud in med länk.")),
                None,
                None,
            )
            .await;
        }
        for (_, name, email) in with_mail {
            let link = format!("{base}/rapportering/{y}/svara/{}/{org}", p.code());
            let m = invitation_mail(
                &name,
                &email,
                p,
                &org_label,
                y,
                &format::date_long(round.deadline_date()),
                &link,
                false,
                &sender,
            );
            mail::send(&state.config.mail, &m).await.map_err(AppError::Internal)?;
            state.db.log_mail(y, p, org, &email, &m.subject, "inbjudan", &user.actor()).await?;
        }
        return Ok(Redirect::to(&format!("/rapportering/{y}?ok=inbjudan")).into_response());
    }
    let days = form.days.parse::<i64>().unwrap_or(0);
    match state.db.create_invitation(y, p, org, &form.name, &form.email, days, &user.actor()).await {
        Ok((inv, token)) => {
            let link = format!("{base}/svar/{token}");
            let m = invitation_mail(
                &inv.name,
                &inv.email,
                p,
                &org_label,
                y,
                &format::date_long(round.deadline_date()),
                &link,
                false,
                &sender,
            );
            let sent = mail::send(&state.config.mail, &m).await;
            let error = match &sent {
                Ok(()) => {
                    state.db.log_mail(y, p, org, &inv.email, &m.subject, "inbjudan", &user.actor()).await?;
                    None
                }
                Err(e) => Some(format!(
                    "Inbjudan skapades men e-posten kunde inte skickas: {e} Skicka länken på annat sätt."
                )),
            };
            let mut resp = status_page(
                &state,
                &user,
                y,
                None,
                Some(format!("Inbjudan till {} är skapad och skickad till {}.", inv.name, inv.email))
                    .filter(|_| error.is_none()),
                Some(link),
            )
            .await?;
            if let Some(e) = error {
                resp = status_page(&state, &user, y, Some(e), None, Some(format!("{base}/svar/{token}")))
                    .await?;
                *resp.status_mut() = StatusCode::OK;
            }
            Ok(resp)
        }
        Err(StorageError::Invalid(m)) | Err(StorageError::NotFound(m)) => {
            status_page(&state, &user, y, Some(m), None, None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /rapportering/{ar}/inbjudan/{id}/aterkalla`
pub async fn revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((ar, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    match state.db.invitation(id).await? {
        Some(inv) if inv.year == y => {}
        _ => return Err(AppError::not_found()),
    }
    state.db.revoke_invitation(id, &user.actor()).await?;
    Ok(Redirect::to(&format!("/rapportering/{y}?ok=aterkallad")).into_response())
}

/// `POST /rapportering/{ar}/paminnelse` — remind every valid invitation and respondent account
/// of organisations that have not submitted.
pub async fn remind(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    if state.db.round(y).await?.is_none() {
        return Err(AppError::not_found());
    }
    let sent = send_reminders(&state, y, &user.actor(), None).await?;
    let key = if sent == 0 { "ingen-paminnelse" } else { "paminnelse" };
    Ok(Redirect::to(&format!("/rapportering/{y}?ok={key}")).into_response())
}

/// Sends a reminder to every valid invitation and respondent account of organisations that
/// have not submitted (in a closed round: only parts an admin reopened); logs each mail. For a
/// scheduled reminder (`job`), recipients the job already mailed are skipped, so a job taken
/// over after a crash sends nothing twice. Returns the number of mails sent.
pub async fn send_reminders(
    state: &AppState,
    y: i32,
    actor: &gnv_storage::Actor,
    job: Option<&str>,
) -> AppResult<usize> {
    let Some(round) = state.db.round(y).await? else {
        return Ok(0);
    };
    let registry = state.db.registry().await?;
    let sender = state.db.county_profile().await?.support_unit;
    let base = state.config.base_url.trim_end_matches('/').to_string();
    let open = round.is_open();
    // In a closed round only parts an admin reopened are still expected.
    let assignments: Vec<AssignmentRow> = state
        .db
        .round_assignments(y)
        .await?
        .into_iter()
        .filter(|a| !a.status.is_submitted())
        .filter(|a| open || a.status == Status::Ateroppnad)
        .collect();
    let invitations = state.db.invitations(y).await?;
    let now = gnv_storage::now_text();
    let mut sent = 0usize;
    for a in &assignments {
        let org_label = org_name(&registry, &a.org_code);
        let mut recipients: Vec<(String, String, Option<i64>)> = invitations
            .iter()
            .filter(|i| {
                i.part == a.part && i.org_code == a.org_code && i.revoked_at.is_none() && !i.expired_at(&now)
            })
            .map(|i| (i.name.clone(), i.email.clone(), Some(i.id)))
            .collect();
        recipients.extend(
            state
                .db
                .respondents_of(&a.org_code)
                .await?
                .into_iter()
                .filter(|r| !r.2.is_empty())
                .map(|(_, name, email)| (name, email, None)),
        );
        for (name, email, invitation) in recipients {
            if let Some(key) = job {
                if state.db.already_reminded(key, &a.org_code, a.part.code(), &email).await? {
                    continue;
                }
            }
            let link = match invitation {
                Some(id) => format!("{base}/svar/{}", state.db.new_invitation_token(id).await?),
                None => format!("{base}{}", answer_href(y, a.part, &a.org_code)),
            };
            let m = invitation_mail(
                &name,
                &email,
                a.part,
                &org_label,
                y,
                &format::date_long(round.deadline_date()),
                &link,
                true,
                &sender,
            );
            mail::send(&state.config.mail, &m).await.map_err(AppError::Internal)?;
            match job {
                Some(key) => {
                    state
                        .db
                        .log_mail_for_job(
                            key,
                            y,
                            a.part,
                            &a.org_code,
                            &email,
                            &m.subject,
                            "paminnelse",
                            actor,
                        )
                        .await?
                }
                None => {
                    state.db.log_mail(y, a.part, &a.org_code, &email, &m.subject, "paminnelse", actor).await?
                }
            }
            sent += 1;
        }
    }
    Ok(sent)
}

/// Runs the scheduled reminders that are due, each on exactly one instance: claims a job's lease,
/// sends, marks it done. Returns the number of jobs run.
pub async fn run_due_reminders(state: &AppState, instance: &str) -> AppResult<usize> {
    let mut jobs = 0;
    while let Some(job) = state
        .db
        .claim_due_job(
            gnv_storage::jobb::REMINDER_JOB,
            instance,
            chrono::Utc::now(),
            chrono::Duration::minutes(10),
        )
        .await?
    {
        let Some(y) = job.reminder_year() else {
            state.db.finish_job(&job.key, instance, "okänt jobb").await?;
            continue;
        };
        let sent = send_reminders(state, y, &gnv_storage::Actor::server(), Some(&job.key)).await?;
        let result = match sent {
            0 => "ingen påminnelse behövdes".to_string(),
            1 => "1 påminnelse skickad".to_string(),
            n => format!("{n} påminnelser skickade"),
        };
        state.db.finish_job(&job.key, instance, &result).await?;
        jobs += 1;
    }
    Ok(jobs)
}

/// The reminder schedule: days before the deadline, as written.
#[derive(Deserialize)]
pub struct ScheduleForm {
    #[serde(rename = "dagar")]
    days: String,
}

/// `POST /rapportering/{ar}/paminnelseschema` — days before the deadline ("14, 3").
pub async fn reminder_schedule(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
    Form(form): Form<ScheduleForm>,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    let days = match gnv_storage::jobb::parse_days(&form.days) {
        Ok(d) => d,
        Err(m) => return status_page(&state, &user, y, Some(m), None, None).await,
    };
    state.db.set_reminder_schedule(y, &days, &user.actor()).await?;
    Ok(Redirect::to(&format!("/rapportering/{y}?ok=paminnelseschema")).into_response())
}

/// `POST /rapportering/{ar}/ateroppna/{del}/{org}` — reopen with a reason.
pub async fn reopen(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((ar, del, org)): Path<(String, String, String)>,
    Form(form): Form<ReasonForm>,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    let p = part(&del)?;
    match state.db.reopen_part(y, p, &org, &form.reason, &user.actor()).await {
        Ok(()) => Ok(Redirect::to(&format!("/rapportering/{y}?ok=ateroppnad")).into_response()),
        Err(StorageError::Invalid(m)) | Err(StorageError::Conflict(m)) => {
            status_page(&state, &user, y, Some(m), None, None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /rapportering/{ar}/stang` — close the round now (the form's confirmation lists who
/// has not submitted).
pub async fn close(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    match state.db.close_round(y, &user.actor()).await {
        Ok(()) => Ok(Redirect::to(&format!("/rapportering/{y}?ok=stangd")).into_response()),
        Err(StorageError::Conflict(m)) => status_page(&state, &user, y, Some(m), None, None).await,
        Err(e) => Err(e.into()),
    }
}

/// A new last day for answers.
#[derive(Deserialize)]
pub struct DeadlineForm {
    #[serde(rename = "sista_dag")]
    last_day: String,
}

/// `POST /rapportering/{ar}/sista-svarsdag` — a new deadline; a closed round opens again until
/// then, a past one closes the round now.
pub async fn extend(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
    Form(form): Form<DeadlineForm>,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    match state.db.set_deadline(y, &form.last_day, &user.actor()).await {
        Ok(()) => Ok(Redirect::to(&format!("/rapportering/{y}?ok=forlangd")).into_response()),
        Err(StorageError::Invalid(m)) => status_page(&state, &user, y, Some(m), None, None).await,
        Err(e) => Err(e.into()),
    }
}

/// `GET /api/v1/rounds/{ar}/status`: the round's parts per organisation.
#[derive(Serialize, schemars::JsonSchema)]
pub struct RoundStatus {
    year: i32,
    assignments: Vec<ApiAssignment>,
}

/// JSON status of one organisation's part.
#[derive(Serialize, schemars::JsonSchema)]
pub struct ApiAssignment {
    part: Part,
    org: String,
    org_name: String,
    status: Status,
    status_label: &'static str,
    submitted_responses: i64,
    draft_responses: i64,
}

/// `GET /api/v1/rounds/{ar}/status`
pub async fn api_status(State(state): State<AppState>, Path(ar): Path<String>) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    let registry = state.db.registry().await?;
    let rows: Vec<ApiAssignment> = effective_assignments(&state, y)
        .await?
        .into_iter()
        .map(|a| ApiAssignment {
            part: a.part,
            org_name: org_name(&registry, &a.org_code),
            org: a.org_code,
            status: a.status,
            status_label: a.status.label(),
            submitted_responses: a.submitted_responses,
            draft_responses: a.draft_responses,
        })
        .collect();
    Ok(Json(RoundStatus { year: y, assignments: rows }).into_response())
}

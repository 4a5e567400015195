//! The January mailing (utskick): one action that sends every invitation of every part of a
//! round to the contact function responsible for it, with the round's cover letter.
//!
//! Before sending, the page shows each distinct letter (one per part) and the organisations
//! without a contact for the part's function. Each (part, organisation, recipient) is sent once:
//! `gnv_storage::kontakter` claims it in a write transaction and records the outcome (sent, or
//! failed with the SMTP error) with its mail-log and audit entries; repeating the action sends
//! only what is new or failed. Every letter carries a personal link (`/svar/{token}`) of an
//! invitation of its own, for all four parts: the recipient needs no user account, and the
//! round's reminders go to the same invitations while the organisation has not submitted.

use super::{assignees, org_name};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::mail::{self, Mail};
use crate::notice::Notice;
use crate::pages::form::{Fields, Untrimmed};
use crate::shared::{OkQuery, Year};
use crate::view::{render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gnv_core::format;
use gnv_core::kontakter::Function;
use gnv_core::organisation::Registry;
use gnv_core::rapportering::{Part, Status};
use gnv_core::utskick::{Letter, LetterValues, Mapping, PLACEHOLDERS};
use gnv_storage::kontakter::Contact;
use gnv_storage::rapportering::RoundRow;
use gnv_storage::StorageError;

use crate::view::filters;

/// One recipient of one part.
#[derive(Debug, Clone)]
pub struct Target {
    pub part: Part,
    pub org_code: String,
    pub org_name: String,
    pub function: Function,
    pub name: String,
    pub email: String,
}

/// The contacts of `function` for `org`: its own, else (a municipality) its LSL's, else (an LSL)
/// its member municipalities'.
fn recipients_for<'a>(
    registry: &Registry,
    contacts: &'a [Contact],
    org: &str,
    function: Function,
) -> Vec<&'a Contact> {
    let of = |code: &str| -> Vec<&'a Contact> {
        contacts.iter().filter(|c| c.org_code == code && c.function == function).collect()
    };
    let own = of(org);
    if !own.is_empty() {
        return own;
    }
    if let Some(lsl) = registry.lsl_of(org) {
        let via = of(&lsl.code);
        if !via.is_empty() {
            return via;
        }
    }
    if let Some(lsl) = registry.lsls.iter().find(|l| l.code == org) {
        return lsl.municipalities.iter().flat_map(|m| of(m)).collect();
    }
    Vec::new()
}

/// Every recipient of the mailing and, per part, the organisations without a contact. Parts an
/// organisation has already submitted are left out (nothing to ask for).
pub async fn plan(
    state: &AppState,
    round: &RoundRow,
    mapping: &Mapping,
) -> AppResult<(Vec<Target>, Vec<(Part, Function, Vec<String>)>)> {
    let registry = state.db.registry().await?;
    let assignments = state.db.round_assignments(round.year).await?;
    let mut targets = Vec::new();
    let mut missing = Vec::new();
    for p in &round.parts {
        let function = mapping.function_for(*p);
        let contacts = state.db.contacts_with(function).await?;
        let mut without = Vec::new();
        for (code, name) in assignees(&registry, *p) {
            let Some(a) = assignments.iter().find(|a| a.part == *p && a.org_code == code) else {
                continue;
            };
            if a.status == Status::Inskickad {
                continue;
            }
            let found = recipients_for(&registry, &contacts, &code, function);
            if found.is_empty() {
                without.push(name.clone());
            }
            for c in found {
                targets.push(Target {
                    part: *p,
                    org_code: code.clone(),
                    org_name: name.clone(),
                    function,
                    name: c.name.clone(),
                    email: c.email.clone(),
                });
            }
        }
        without.sort_by(|a, b| format::swedish_cmp(a, b));
        missing.push((*p, function, without));
    }
    Ok((targets, missing))
}

/// One letter preview.
pub struct Preview {
    pub part: &'static str,
    pub function: &'static str,
    pub recipients: String,
    pub example: String,
    pub subject: String,
    pub body: String,
}

/// One row of the send log.
pub struct LogRow {
    pub part: &'static str,
    pub org: String,
    pub recipient: String,
    pub state: &'static str,
    pub state_class: &'static str,
    pub error: String,
    pub attempts: i64,
    pub at: String,
}

#[derive(Template)]
#[template(path = "rapportering_utskick.html")]
struct UtskickPage {
    ctx: PageCtx,
    year: i32,
    open: bool,
    deadline: String,
    letter: Letter,
    /// (part code, part label, chosen function code)
    mapping: Vec<(&'static str, &'static str, &'static str)>,
    functions: Vec<(&'static str, &'static str)>,
    placeholders: Vec<(&'static str, &'static str)>,
    previews: Vec<Preview>,
    /// "Kommunenkät (socialchef): Avesta och Falun"
    missing: Vec<String>,
    to_send: usize,
    already_sent: usize,
    failed: usize,
    log: Vec<LogRow>,
    errors: Vec<String>,
    result: Option<String>,
}

fn long_deadline(r: &RoundRow) -> String {
    format::date_long(r.deadline_date())
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    y: i32,
    edited: Option<(Letter, Mapping)>,
    errors: Vec<String>,
    result: Option<String>,
) -> AppResult<Response> {
    let round = state.db.round(y).await?.ok_or_else(AppError::not_found)?;
    let registry = state.db.registry().await?;
    let (letter, mapping) = match edited {
        Some(e) => e,
        None => state.db.mailing_letter(y).await?,
    };
    let (targets, missing) = plan(state, &round, &mapping).await?;
    let sends = state.db.mailing_sends(y).await?;
    let sent_key = |t: &Target| {
        sends
            .iter()
            .find(|s| s.part == t.part && s.org_code == t.org_code && s.email.eq_ignore_ascii_case(&t.email))
    };
    let already_sent = targets.iter().filter(|t| sent_key(t).is_some_and(|s| s.state == "skickad")).count();
    let failed = sends.iter().filter(|s| s.state == "misslyckad").count();
    let deadline = long_deadline(&round);
    let base = state.config.base_url.trim_end_matches('/');
    let previews = round
        .parts
        .iter()
        .map(|p| {
            let of_part: Vec<&Target> = targets.iter().filter(|t| t.part == *p).collect();
            let example = of_part.first();
            let link = format!("{base}/svar/(personlig länk skapas vid utskicket)");
            let (org, name) = example
                .map(|t| (t.org_name.as_str(), t.name.as_str()))
                .unwrap_or(("(organisation)", "(namn)"));
            let (subject, body) = letter.render(&LetterValues {
                name,
                organisation: org,
                part: *p,
                year: y,
                deadline: &deadline,
                link: &link,
            });
            Preview {
                part: p.label(),
                function: mapping.function_for(*p).label_in_sentence(),
                recipients: format::count(of_part.len() as i64, "mottagare", "mottagare"),
                example: example.map(|t| format!("{} ({})", t.name, t.org_name)).unwrap_or_default(),
                subject,
                body,
            }
        })
        .collect();
    let missing_text = missing
        .iter()
        .filter(|(_, _, orgs)| !orgs.is_empty())
        .map(|(p, f, orgs)| format!("{} ({}): {}", p.label(), f.label_in_sentence(), format::join_sv(orgs)))
        .collect();
    let mut log: Vec<LogRow> = sends
        .iter()
        .map(|s| LogRow {
            part: s.part.label(),
            org: org_name(&registry, &s.org_code),
            recipient: format!("{} <{}>", s.name, s.email),
            state: match s.state.as_str() {
                "skickad" => "skickad",
                "misslyckad" => "misslyckades",
                _ => "skickas",
            },
            state_class: match s.state.as_str() {
                "skickad" => "status-inskickad",
                "misslyckad" => "status-ateroppnad",
                _ => "status-utkast",
            },
            error: s.error.clone(),
            attempts: s.attempts,
            at: s.last_at.clone(),
        })
        .collect();
    log.sort_by(|a, b| a.part.cmp(b.part).then(format::swedish_cmp(&a.org, &b.org)));
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let mut resp = render(&UtskickPage {
        ctx: PageCtx::new(format!("Januariutskick {y}"), "rapportering", user),
        year: y,
        open: round.is_open(),
        deadline,
        mapping: round.parts.iter().map(|p| (p.code(), p.label(), mapping.function_for(*p).code())).collect(),
        letter,
        functions: Function::ALL.iter().map(|f| (f.code(), f.label())).collect(),
        placeholders: PLACEHOLDERS.to_vec(),
        previews,
        missing: missing_text,
        to_send: targets.len() - already_sent,
        already_sent,
        failed,
        log,
        errors,
        result,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /rapportering/{ar}/utskick`
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    let result =
        (q.key() == Some(Notice::LetterSaved.key())).then(|| Notice::LetterSaved.label().to_string());
    page(&state, &user, y, None, Vec::new(), result).await
}

/// The fixed part of the letter form.
#[derive(serde::Deserialize)]
struct LetterForm {
    #[serde(rename = "amne")]
    subject: String,
    /// The body keeps its own line breaks and spacing.
    #[serde(rename = "brevtext")]
    body: Untrimmed,
}

/// `POST /rapportering/{ar}/utskick/brev` — save the cover letter and which function gets
/// which part.
pub async fn save_letter(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
    fields: Fields,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    let round = state.db.round(y).await?.ok_or_else(AppError::not_found)?;
    let mut mapping = Mapping::default();
    let mut errors = Vec::new();
    // One `mottagare_{part}` field per part of this round, so those are read from the bag.
    for p in &round.parts {
        match Function::parse(&fields.get(&format!("mottagare_{}", p.code()))) {
            Some(f) => {
                mapping.0.insert(*p, f);
            }
            None => errors.push(format!("Välj vilken funktion som får {}.", p.label_in_text())),
        }
    }
    let LetterForm { subject, body } = fields.typed()?;
    let body = body.0;
    let letter = match Letter::parse(&subject, &body) {
        Ok(l) if errors.is_empty() => l,
        Ok(_) => Letter { subject, body },
        Err(e) => {
            errors.extend(e.lines());
            Letter { subject, body }
        }
    };
    if !errors.is_empty() {
        return page(&state, &user, y, Some((letter, mapping)), errors, None).await;
    }
    state.db.set_mailing_letter(y, &letter, &mapping, &user.actor()).await?;
    Ok(Redirect::to(&format!("/rapportering/{y}/utskick?ok=brev")).into_response())
}

/// Days an invitation of the mailing is valid: until two weeks after the deadline.
fn valid_days(round: &RoundRow) -> i64 {
    let today = gnv_storage::omgang::today();
    ((round.deadline_date() - today).num_days() + 14).clamp(1, 365)
}

/// Sends one target's letter with a personal link; returns the subject and the outcome.
async fn send_one(
    state: &AppState,
    round: &RoundRow,
    letter: &Letter,
    t: &Target,
    claim: &gnv_storage::kontakter::Claim,
    actor: &gnv_storage::Actor,
) -> AppResult<(String, Result<(), String>)> {
    let base = state.config.base_url.trim_end_matches('/');
    // Every part is answered through the personal link, with or without a user account.
    let link = match invitation_token(state, round, t, claim, actor).await? {
        Ok(token) => format!("{base}/svar/{token}"),
        Err(m) => return Ok((String::new(), Err(m))),
    };
    let (subject, body) = letter.render(&LetterValues {
        name: &t.name,
        organisation: &t.org_name,
        part: t.part,
        year: round.year,
        deadline: &long_deadline(round),
        link: &link,
    });
    let outcome = mail::send(
        &state.config.mail,
        &Mail {
            to_name: t.name.clone(),
            to_email: t.email.clone(),
            subject: subject.clone(),
            body,
            attachments: Vec::new(),
        },
    )
    .await;
    Ok((subject, outcome))
}

/// A personal link token for the target: a new token of the invitation of an earlier attempt
/// while it is valid, else a new invitation (recorded on the send row). `Ok(Err(message))` when
/// the invitation cannot be created (e.g. an invalid address).
async fn invitation_token(
    state: &AppState,
    round: &RoundRow,
    t: &Target,
    claim: &gnv_storage::kontakter::Claim,
    actor: &gnv_storage::Actor,
) -> AppResult<Result<String, String>> {
    let now = gnv_storage::now_text();
    // Reuse the invitation of an earlier (failed) attempt while it is valid: a new token for it.
    let existing = match claim.invitation_id {
        Some(id) => state.db.invitation(id).await?.filter(|i| i.revoked_at.is_none() && !i.expired_at(&now)),
        None => None,
    };
    let token = match existing {
        Some(inv) => state.db.new_invitation_token(inv.id).await?,
        None => {
            let (inv, token) = match state
                .db
                .create_invitation(
                    round.year,
                    t.part,
                    &t.org_code,
                    &t.name,
                    &t.email,
                    valid_days(round),
                    actor,
                )
                .await
            {
                Ok(x) => x,
                Err(StorageError::Invalid(m)) | Err(StorageError::NotFound(m)) => return Ok(Err(m)),
                Err(e) => return Err(e.into()),
            };
            state.db.set_mailing_invitation(claim.id, inv.id).await?;
            token
        }
    };
    Ok(Ok(token))
}

/// `POST /rapportering/{ar}/utskick` — send every invitation not yet sent (new recipients and
/// failed attempts); never one already sent.
pub async fn send(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    let round = state.db.round(y).await?.ok_or_else(AppError::not_found)?;
    if !round.is_open() {
        return page(
            &state,
            &user,
            y,
            None,
            vec![format!("Omgången {y} är stängd. Ändra sista svarsdag innan du skickar utskicket.")],
            None,
        )
        .await;
    }
    let (letter, mapping) = state.db.mailing_letter(y).await?;
    let (targets, _) = plan(&state, &round, &mapping).await?;
    let actor = user.actor();
    let (mut sent, mut failed, mut skipped) = (0usize, 0usize, 0usize);
    for t in &targets {
        let Some(claim) =
            state.db.claim_mailing_send(y, t.part, &t.org_code, &t.email, &t.name, t.function).await?
        else {
            skipped += 1;
            continue;
        };
        let (subject, outcome) = send_one(&state, &round, &letter, t, &claim, &actor).await?;
        if outcome.is_ok() {
            sent += 1;
        } else {
            failed += 1;
        }
        state
            .db
            .finish_mailing_send(claim.id, y, t.part, &t.org_code, &t.email, &subject, outcome, &actor)
            .await?;
    }
    let invitations = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 inbjudan {one}")
        } else {
            format!("{} inbjudningar {many}", format::integer(n as i64))
        }
    };
    let mut result = format!("Utskicket är klart: {}", invitations(sent, "skickad", "skickade"));
    if failed > 0 {
        result.push_str(&format!(
            ", {} (se utskicksloggen; skicka igen för att försöka på nytt)",
            invitations(failed, "kunde inte skickas", "kunde inte skickas")
        ));
    }
    if skipped > 0 {
        result.push_str(&format!(
            ", {} och skickades inte igen",
            invitations(skipped, "var redan skickad", "var redan skickade")
        ));
    }
    result.push('.');
    page(&state, &user, y, None, Vec::new(), Some(result)).await
}

//! Answering a part: for a respondent account (`/rapportering/{ar}/svara/{del}/{org}`) and for
//! a secret invitation link (`/svar/{token}`). The self-assessment and the mapping render the
//! form from its definition, validate into typed values at the edge
//! ([`FormDefinition::validate`]), and store through [`gnv_storage::Db::save_response`], which
//! locks submitted answers. A link to the kommunenkät or the financial report shows that module's
//! own form and saves through the module's own parser and storage call
//! ([`crate::pages::kommunenkat::save`], [`crate::pages::ekonomi::save`]) as the invitee
//! ([`super::Answerer`]), so both ways in pass the same validation and round gate.

use super::{municipalities_of, org_name, part, Answerer};
use crate::auth::{cookie, set_cookie, CurrentUser, PRELOGIN_CSRF_COOKIE};
use crate::error::{AppError, AppResult};
use crate::pages::form::Fields;
use crate::shared::{OkQuery, Year};
use crate::view::{render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use gnv_core::error::InputErrors;
use gnv_core::rapportering::formular::{FormContext, FormDefinition, Mode, QuestionType};
use gnv_core::rapportering::livscykel;
use gnv_core::rapportering::tolkning::{self, ReadContext};
use gnv_core::rapportering::{Event, Part, Status};
use gnv_storage::rapportering::Invitation;
use gnv_storage::sessioner::random_token;
use gnv_storage::StorageError;
use std::collections::BTreeMap;

/// One option of a choice or scale question as rendered.
pub struct OptView {
    pub value: String,
    pub label: String,
    pub checked: bool,
    pub dom_id: String,
}

/// One question as rendered.
pub struct QView {
    pub field: String,
    pub kind: &'static str,
    pub text: String,
    pub help: String,
    pub required: bool,
    pub options: Vec<OptView>,
    pub value: String,
    pub has_other: bool,
    pub other_field: String,
    pub other_value: String,
    pub condition: String,
    pub error: Option<String>,
}

/// A group as rendered.
pub struct GroupView {
    pub heading: String,
    pub statement: String,
    pub description: String,
    pub questions: Vec<QView>,
}

/// Everything the answering page shows.
#[derive(Template)]
#[template(path = "rapportering_svar.html")]
struct AnswerPage {
    ctx: PageCtx,
    heading: String,
    intro: String,
    action: String,
    org_name: String,
    deadline: String,
    own_status: String,
    locked: bool,
    /// Shown instead of the form's buttons when the round is closed for this organisation.
    closed_notice: Option<String>,
    /// The part was reopened by an admin after the round closed.
    reopened_late: bool,
    groups: Vec<GroupView>,
    errors: Vec<(String, String)>,
    conflict: Option<String>,
    via_link: bool,
}

struct Target {
    year: i32,
    part: Part,
    org: String,
    key: String,
    def: FormDefinition,
    round: gnv_storage::rapportering::RoundRow,
}

fn kind(t: QuestionType) -> &'static str {
    match t {
        QuestionType::Skala => "skala",
        QuestionType::JaNej => "ja_nej",
        QuestionType::Enval => "enval",
        QuestionType::Flerval => "flerval",
        QuestionType::Tal => "tal",
        QuestionType::Belopp => "belopp",
        QuestionType::KortText => "kort_text",
        QuestionType::LangText => "lang_text",
    }
}

fn build_groups(
    def: &FormDefinition,
    ctx: &FormContext,
    raw: &BTreeMap<String, Vec<String>>,
    errors: &BTreeMap<String, String>,
    subgoals: &[gnv_core::delmal::SubGoal],
) -> Vec<GroupView> {
    let first = |f: &str| raw.get(f).and_then(|v| v.last()).cloned().unwrap_or_default();
    def.grupp
        .iter()
        .map(|g| GroupView {
            heading: g.rubrik.clone(),
            statement: g
                .delmal
                .and_then(|n| subgoals.iter().find(|s| s.number == n))
                .map(|s| s.self_assessment_sentence())
                .unwrap_or_default(),
            description: g.beskrivning.clone(),
            questions: g
                .fraga
                .iter()
                .flat_map(|q| def.slots(q, ctx).into_iter().map(move |slot| (q, slot)))
                .map(|(q, slot)| {
                    let value = first(&slot.field);
                    let chosen: Vec<String> = raw.get(&slot.field).cloned().unwrap_or_default();
                    let options: Vec<OptView> = match q.typ {
                        QuestionType::Skala => {
                            let scale = def.scale_of(q).and_then(Result::ok).unwrap_or_default();
                            scale
                                .steps()
                                .map(|s| OptView {
                                    value: s.to_string(),
                                    label: format!("{s} – {}", scale.label(s).unwrap_or("")),
                                    checked: value == s.to_string(),
                                    dom_id: format!("{}_{s}", slot.field),
                                })
                                .collect()
                        }
                        QuestionType::JaNej => ["ja", "nej"]
                            .iter()
                            .map(|v| OptView {
                                value: v.to_string(),
                                label: if *v == "ja" { "Ja".into() } else { "Nej".into() },
                                checked: value.eq_ignore_ascii_case(v),
                                dom_id: format!("{}_{v}", slot.field),
                            })
                            .collect(),
                        QuestionType::Enval | QuestionType::Flerval => q
                            .options()
                            .into_iter()
                            .map(|c| OptView {
                                checked: chosen.iter().any(|v| v == &c.kod),
                                dom_id: format!("{}_{}", slot.field, c.kod),
                                value: c.kod,
                                label: c.etikett,
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    let condition = q
                        .villkor
                        .as_ref()
                        .map(|c| {
                            let parent = def.question(&c.fraga).map(|p| p.text.clone()).unwrap_or_default();
                            let answer = match c.varde.as_str() {
                                "ja" => "Ja".to_string(),
                                "nej" => "Nej".to_string(),
                                v => def
                                    .question(&c.fraga)
                                    .and_then(|p| p.options().into_iter().find(|o| o.kod == v))
                                    .map(|o| o.etikett)
                                    .unwrap_or_else(|| v.to_string()),
                            };
                            format!("Besvaras om du svarat ”{answer}” på frågan ”{parent}”.")
                        })
                        .unwrap_or_default();
                    QView {
                        error: errors
                            .get(&slot.field)
                            .cloned()
                            .or_else(|| errors.get(&q.other_field()).cloned()),
                        kind: kind(q.typ),
                        text: slot.text.clone(),
                        help: q.hjalp.clone(),
                        required: q.obligatorisk,
                        options,
                        value,
                        has_other: q.annat,
                        other_field: q.other_field(),
                        other_value: first(&q.other_field()),
                        condition,
                        field: slot.field,
                    }
                })
                .collect(),
        })
        .collect()
}

fn raw_map(fields: &[(String, String)]) -> BTreeMap<String, Vec<String>> {
    let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in fields {
        m.entry(k.clone()).or_default().push(v.clone());
    }
    m
}

#[allow(clippy::too_many_arguments)]
async fn page(
    state: &AppState,
    ctx: PageCtx,
    t: &Target,
    action: String,
    raw: Option<Vec<(String, String)>>,
    errors: Option<InputErrors>,
    conflict: Option<String>,
    via_link: bool,
    status: StatusCode,
) -> AppResult<Response> {
    let registry = state.db.registry().await?;
    let subgoals = state.db.subgoals().await?;
    let stored = state.db.response(t.year, t.part, &t.org, &stored_key(t)).await?;
    let own = stored.as_ref().map(|r| r.status).unwrap_or(Status::EjPaborjad);
    let raw = raw.unwrap_or_else(|| stored.as_ref().map(|r| t.def.to_fields(&r.answers)).unwrap_or_default());
    let error_list: Vec<(String, String)> = errors
        .map(|e| e.0.into_iter().map(|e| (e.location.field.unwrap_or_default(), e.message)).collect())
        .unwrap_or_default();
    let error_map: BTreeMap<String, String> = error_list.iter().cloned().collect();
    let fctx = FormContext { municipalities: municipalities_of(&registry, &t.org) };
    let groups = build_groups(&t.def, &fctx, &raw_map(&raw), &error_map, &subgoals);
    let org = org_name(&registry, &t.org);
    let org_status = state.db.round_part_status(t.year, t.part, &t.org).await?;
    let round_state = t.round.state(gnv_storage::omgang::today());
    let closed = livscykel::respondent_may_write(round_state, org_status, t.year, t.round.deadline_date())
        .err()
        .map(String::from);
    let mut resp = render(&AnswerPage {
        heading: format!("{} {} – {org}", t.def.titel, t.year),
        ctx,
        intro: t.def.ingress.clone(),
        action,
        org_name: org,
        deadline: gnv_core::format::date_long(t.round.deadline_date()),
        own_status: own.label().to_string(),
        locked: own == Status::Inskickad || closed.is_some(),
        reopened_late: round_state == livscykel::RoundState::Stangd && org_status == Status::Ateroppnad,
        closed_notice: closed,
        groups,
        errors: error_list,
        conflict,
        via_link,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

fn stored_key(t: &Target) -> String {
    if t.part.individual_answers() {
        t.key.clone()
    } else {
        gnv_storage::rapportering::SHARED_KEY.to_string()
    }
}

async fn target(state: &AppState, y: i32, p: Part, org: &str, key: String) -> AppResult<Target> {
    let round = state
        .db
        .round(y)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Det finns ingen rapporteringsomgång för {y}.")))?;
    state.db.round_part_status(y, p, org).await.map_err(|e| match e {
        StorageError::NotFound(m) => AppError::NotFound(m),
        other => other.into(),
    })?;
    let def = state
        .db
        .round_form(y, p)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Delen ”{}” besvaras i en egen modul.", p.label())))?;
    Ok(Target { year: y, part: p, org: org.to_string(), key, def, round })
}

/// Validates and stores; returns `Ok(Err(response))` for a re-rendered form. The answer stays a
/// [`Fields`] bag: its fields are those of the part's form definition (TOML), known at run time.
async fn submit(
    state: &AppState,
    ctx: PageCtx,
    t: &Target,
    action: String,
    fields: Fields,
    actor: &gnv_storage::Actor,
    via_link: bool,
) -> AppResult<Result<&'static str, Response>> {
    let event = if fields.get("atgard") == "skicka" { Event::Submit } else { Event::SaveDraft };
    let mode = if event == Event::Submit { Mode::Submit } else { Mode::Draft };
    let registry = state.db.registry().await?;
    let subgoals = state.db.subgoals().await?;
    let fctx = FormContext { municipalities: municipalities_of(&registry, &t.org) };
    let raw: Vec<(String, String)> =
        fields.0.iter().filter(|(k, _)| k != "csrf" && k != "atgard").cloned().collect();
    // A submission must also read as the part's domain value: the compilation reads it with the
    // same function, so what is accepted here always reads back.
    let validated = t.def.validate(&raw, &fctx, mode).and_then(|a| {
        if mode == Mode::Submit {
            let ctx = ReadContext { registry: &registry, subgoals: &subgoals };
            tolkning::read_answer(t.part, &t.def, &a, &t.org, &ctx).map(|_| a)
        } else {
            Ok(a)
        }
    });
    let answers = match validated {
        Ok(a) => a,
        Err(e) => {
            return Ok(Err(page(
                state,
                ctx,
                t,
                action,
                Some(raw),
                Some(e),
                None,
                via_link,
                StatusCode::BAD_REQUEST,
            )
            .await?));
        }
    };
    match state.db.save_response(t.year, t.part, &t.org, &t.key, &answers, event, actor).await {
        Ok(_) => Ok(Ok(if event == Event::Submit { "skickat" } else { "utkast" })),
        Err(StorageError::Conflict(m)) | Err(StorageError::NotFound(m)) => {
            Ok(Err(
                page(state, ctx, t, action, Some(raw), None, Some(m), via_link, StatusCode::CONFLICT).await?
            ))
        }
        Err(e) => Err(e.into()),
    }
}

fn account_key(user: &CurrentUser) -> String {
    format!("anvandare:{}", user.user.id)
}

/// `GET /rapportering/{ar}/svara/{del}/{org}`
pub async fn account_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((ar, del, org)): Path<(String, String, String)>,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    let (y, p) = (Year::parse(&ar)?, part(&del)?);
    if !user.may_act_for(&org) {
        return Err(AppError::Forbidden(
            "Du kan bara se och besvara svar för de organisationer du är knuten till.".into(),
        ));
    }
    let t = target(&state, y, p, &org, account_key(&user)).await?;
    let ctx = PageCtx::new(t.def.titel.clone(), "rapportering", &user).with_flash(q.flash());
    let action = format!("/rapportering/{y}/svara/{}/{org}", p.code());
    page(&state, ctx, &t, action, None, None, None, false, StatusCode::OK).await
}

/// `POST /rapportering/{ar}/svara/{del}/{org}`
pub async fn account_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((ar, del, org)): Path<(String, String, String)>,
    fields: Fields,
) -> AppResult<Response> {
    let (y, p) = (Year::parse(&ar)?, part(&del)?);
    if !user.may_act_for(&org) {
        return Err(AppError::Forbidden(
            "Du kan bara se och besvara svar för de organisationer du är knuten till.".into(),
        ));
    }
    let t = target(&state, y, p, &org, account_key(&user)).await?;
    let ctx = PageCtx::new(t.def.titel.clone(), "rapportering", &user);
    let action = format!("/rapportering/{y}/svara/{}/{org}", p.code());
    match submit(&state, ctx, &t, action.clone(), fields, &user.actor(), false).await? {
        Ok(key) => Ok(Redirect::to(&format!("{action}?ok={key}")).into_response()),
        Err(resp) => Ok(resp),
    }
}

/// A valid invitation of a link token, or a Swedish refusal (unknown, revoked or expired link).
async fn valid_invitation(state: &AppState, token: &str) -> AppResult<Invitation> {
    let inv = state.db.invitation_by_token(token).await?.ok_or_else(|| {
        AppError::NotFound(
            "Länken är ogiltig. Kontrollera att du har kopierat hela länken från e-postmeddelandet.".into(),
        )
    })?;
    if inv.revoked_at.is_some() {
        let unit = state.db.county_profile().await?.support_unit;
        return Err(AppError::Forbidden(format!(
            "Länken har återkallats och kan inte längre användas. Kontakta {unit} om du behöver en ny."
        )));
    }
    if inv.expired_at(&gnv_storage::now_text()) {
        let unit = state.db.county_profile().await?.support_unit;
        return Err(AppError::Forbidden(format!(
            "Länken gällde till {} och har gått ut. Kontakta {unit} om du behöver en ny.",
            inv.expires_at.get(..10).unwrap_or(&inv.expires_at)
        )));
    }
    Ok(inv)
}

/// Who the audit entries of a link answer name: the invitee and the invitation's number.
fn link_actor(inv: &Invitation) -> gnv_storage::Actor {
    gnv_storage::Actor {
        user_id: None,
        username: format!("{} <{}> (inbjudningslänk {})", inv.name, inv.email, inv.id),
    }
}

/// The form target of an invitation to a part with a questionnaire form.
async fn link_target(state: &AppState, inv: &Invitation) -> AppResult<Target> {
    target(state, inv.year, inv.part, &inv.org_code, format!("inbjudan:{}", inv.id)).await
}

/// The answerer of a personal link to a part answered on its module's own form (the kommunenkät
/// and the financial report): anonymous, never admin, the invitation in the audit.
fn link_answerer(inv: &Invitation, ctx: PageCtx, token: &str) -> Answerer {
    Answerer { ctx, admin: false, actor: link_actor(inv), action: format!("/svar/{token}"), via_link: true }
}

async fn link_ctx(
    state: &AppState,
    title: &str,
    user: &Option<CurrentUser>,
    csrf: &str,
) -> AppResult<PageCtx> {
    Ok(match user {
        Some(u) => PageCtx::new(title, "rapportering", u),
        None => {
            let mut c = PageCtx::anonymous(title);
            c.csrf = csrf.to_string();
            // The respondent of a secret link sees whom to contact and the county.
            let profile = state.db.county_profile().await?;
            c.county = profile.county;
            c.support_unit = profile.support_unit;
            c
        }
    })
}

fn with_csrf_cookie(state: &AppState, mut resp: Response, csrf: &str, logged_in: bool) -> Response {
    if !logged_in {
        if let Ok(v) = set_cookie(PRELOGIN_CSRF_COOKIE, csrf, 4 * 3600, state.config.tls, "Strict").parse() {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp.headers_mut().insert(header::REFERRER_POLICY, header::HeaderValue::from_static("no-referrer"));
    resp.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    resp
}

/// `GET /svar/{token}`
pub async fn link_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: Option<CurrentUser>,
    Path(token): Path<String>,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    let inv = valid_invitation(&state, &token).await?;
    let csrf = cookie(&headers, PRELOGIN_CSRF_COOKIE).filter(|c| c.len() == 64).unwrap_or_else(random_token);
    let flash = q.flash();
    let resp = match inv.part {
        Part::Kommunenkat | Part::Ekonomi => {
            let ctx = link_ctx(&state, inv.part.label(), &user, &csrf).await?.with_flash(flash);
            let a = link_answerer(&inv, ctx, &token);
            if inv.part == Part::Kommunenkat {
                crate::pages::kommunenkat::form_page(&state, &a, inv.year, &inv.org_code, None, Vec::new())
                    .await?
            } else {
                crate::pages::ekonomi::form_page(&state, &a, inv.year, &inv.org_code, None, Vec::new())
                    .await?
            }
        }
        Part::Sjalvskattning | Part::Kartlaggning => {
            let t = link_target(&state, &inv).await?;
            let ctx = link_ctx(&state, &t.def.titel, &user, &csrf).await?.with_flash(flash);
            page(&state, ctx, &t, format!("/svar/{token}"), None, None, None, true, StatusCode::OK).await?
        }
    };
    Ok(with_csrf_cookie(&state, resp, &csrf, user.is_some()))
}

/// `POST /svar/{token}`
pub async fn link_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: Option<CurrentUser>,
    Path(token): Path<String>,
    fields: Fields,
) -> AppResult<Response> {
    let inv = valid_invitation(&state, &token).await?;
    let csrf = cookie(&headers, PRELOGIN_CSRF_COOKIE).unwrap_or_default();
    let action = format!("/svar/{token}");
    let outcome = match inv.part {
        Part::Kommunenkat | Part::Ekonomi => {
            let ctx = link_ctx(&state, inv.part.label(), &user, &csrf).await?;
            let a = link_answerer(&inv, ctx, &token);
            let saved = if inv.part == Part::Kommunenkat {
                crate::pages::kommunenkat::save(&state, &a, inv.year, &inv.org_code, &fields).await?
            } else {
                crate::pages::ekonomi::save(&state, &a, inv.year, &inv.org_code, &fields).await?
            };
            saved.map(|submitted| if submitted { "skickat" } else { "utkast" })
        }
        Part::Sjalvskattning | Part::Kartlaggning => {
            let t = link_target(&state, &inv).await?;
            let ctx = link_ctx(&state, &t.def.titel, &user, &csrf).await?;
            submit(&state, ctx, &t, action.clone(), fields, &link_actor(&inv), true).await?
        }
    };
    match outcome {
        Ok(key) => Ok(Redirect::to(&format!("{action}?ok={key}")).into_response()),
        Err(resp) => Ok(with_csrf_cookie(&state, resp, &csrf, user.is_some())),
    }
}

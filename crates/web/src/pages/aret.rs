//! The year at a glance (`/aret/{år}`, admins): the steps of a calendar year's cycle, each done
//! or not from stored data — the round about the previous year (opened, January mailing, answers
//! in per part, closed), the annual report about it (draft, published), the governance bodies'
//! meetings with their deliverables (status automatic when the report or action plan is
//! published), the action-plan review — and what comes next. Also the calendar actions
//! "Kopiera till nästa år" and "Bekräfta datum".

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::mail::{Attachment, Mail};
use crate::pages::form::Form;
use crate::pages::rapportering::local_date;
use crate::routes::Routes;
use crate::shared::Year;
use crate::view::{render, PageCtx};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gnv_core::access::Access::*;
use gnv_core::format;
use gnv_core::planering::DeliverableStatus;
use gnv_storage::kontakter::ReportWay;
use gnv_storage::StorageError;

/// Declares this module's routes.
pub fn routes(r: Routes) -> Routes {
    r.get("/aret/{ar}", Admin, "Året i korthet: årscykelns steg, gjort och nästa", page)
        .post(
            "/planering/kalender/{ar}/kopiera",
            Admin,
            "Kopiera rapporteringskalendern till nästa år (datumen att bekräfta)",
            copy_calendar,
        )
        .post(
            "/planering/kalender/moten/{mote}/bekrafta",
            Admin,
            "Bekräfta ett kopierat mötes datum",
            confirm,
        )
        .get(
            "/arsrapport/{ar}/utskick",
            Admin,
            "Skicka den publicerade årsrapporten till organens kontakter: mottagare och logg",
            report_mailing,
        )
        .post(
            "/arsrapport/{ar}/utskick",
            Admin,
            "Skicka den publicerade årsrapporten till organens kontakter, som länk eller bifogad PDF (en gång per adress)",
            send_report,
        )
}

/// One step of the year.
pub struct Step {
    /// Over: a step of a round that is closed (not offered as the next step even when not done).
    pub over: bool,
    pub what: String,
    pub when: String,
    pub done: bool,
    pub detail: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "aret.html")]
struct YearPage {
    ctx: PageCtx,
    year: i32,
    steps: Vec<Step>,
    next: Option<String>,
    done_count: String,
}

fn date_of(stored: &str) -> String {
    format::timestamp_date(stored)
}

/// `GET /aret/{ar}`
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    let about = y - 1;
    let registry = state.db.registry().await?;
    let mut steps = Vec::new();
    let round_href = format!("/rapportering/{about}");
    match state.db.round(about).await? {
        None => steps.push(Step {
            over: false,
            what: format!("Rapporteringsomgången {about} öppnas"),
            when: "januari".into(),
            done: false,
            detail: "Ingen omgång är öppnad.".into(),
            href: "/rapportering".into(),
        }),
        Some(r) => {
            // A round entered after its own deadline (a past year's answers registered
            // afterwards, e.g. by an import) did not open on the day it was stored.
            let deadline = r.deadline_date();
            let opened = local_date(&r.opened_at);
            let afterwards = opened.is_some_and(|d| d > deadline);
            steps.push(Step {
                over: false,
                what: format!("Rapporteringsomgången {about} öppnas"),
                when: if afterwards {
                    format!("inlagd i efterhand {}", date_of(&r.opened_at))
                } else {
                    date_of(&r.opened_at)
                },
                done: true,
                detail: if afterwards {
                    format!(
                        "Omgången lades in efter sista svarsdagen {}; svaren är registrerade i efterhand.",
                        format::date_long(deadline)
                    )
                } else {
                    format!("Sista svarsdag {}.", format::date_long(deadline))
                },
                href: round_href.clone(),
            });
            let sends = state.db.mailing_sends(about).await?;
            let sent = sends.iter().filter(|s| s.state == "skickad").count();
            let failed = sends.iter().filter(|s| s.state == "misslyckad").count();
            let closed = r.closed_at.is_some();
            steps.push(Step {
                over: closed,
                what: "Januariutskicket till kontakterna".into(),
                when: sends.iter().map(|s| s.first_at.clone()).min().map(|t| date_of(&t)).unwrap_or_default(),
                done: sent > 0 && failed == 0,
                detail: if sends.is_empty() {
                    "Inget utskick gjort.".into()
                } else {
                    format!(
                        "{} skickade{}.",
                        format::count(sent as i64, "inbjudan", "inbjudningar"),
                        if failed > 0 { format!(", {failed} misslyckades") } else { String::new() }
                    )
                },
                href: format!("/rapportering/{about}/utskick"),
            });
            let assignments = state.db.round_assignments(about).await?;
            for p in &r.parts {
                let of_part: Vec<_> = assignments.iter().filter(|a| a.part == *p).collect();
                let done = of_part.iter().filter(|a| a.status.is_submitted()).count();
                steps.push(Step {
                    over: closed,
                    what: format!("Svar: {}", p.label_in_text()),
                    when: format::date_long(r.deadline_date()),
                    done: done == of_part.len() && !of_part.is_empty(),
                    detail: format!("{} har svarat.", format::of(done, of_part.len())),
                    href: match p {
                        gnv_core::rapportering::Part::Sjalvskattning => {
                            format!("/rapportering/{about}/sjalvskattning")
                        }
                        gnv_core::rapportering::Part::Kartlaggning => {
                            format!("/rapportering/{about}/kartlaggning")
                        }
                        gnv_core::rapportering::Part::Kommunenkat => format!("/kommunenkat/{about}"),
                        gnv_core::rapportering::Part::Ekonomi => format!("/ekonomi/{about}"),
                    },
                });
            }
            steps.push(Step {
                over: false,
                what: format!("Omgången {about} stängs"),
                // Respondents cannot write after the deadline day, so a round closed later (by
                // the server the night after, or when it was entered afterwards) closed then.
                when: format::date_long(
                    r.closed_at.as_deref().and_then(local_date).map_or(deadline, |d| d.min(deadline)),
                ),
                done: r.closed_at.is_some(),
                detail: if r.closed_at.is_some() {
                    "Svaren är frysta i en ögonblicksbild.".into()
                } else {
                    "Stängs vid sista svarsdagen.".into()
                },
                href: round_href.clone(),
            });
        }
    }
    let published = state.db.published().await?;
    let report = published.reports.iter().find(|(ry, _)| *ry == about);
    let has_draft = state.db.report_years().await?.contains(&about);
    steps.push(Step {
        over: false,
        what: format!("Årsrapporten {about}"),
        when: report.map(|(_, at)| date_of(at)).unwrap_or_default(),
        done: report.is_some(),
        detail: match (report, has_draft) {
            (Some(_), _) => {
                "Publicerad. Skicka den till organens kontakter som länk eller bifogad PDF.".into()
            }
            (None, true) => "Utkast: texter är skrivna, rapporten är inte publicerad.".into(),
            (None, false) => "Inte påbörjad.".into(),
        },
        href: if report.is_some() {
            format!("/arsrapport/{about}/utskick")
        } else {
            format!("/arsrapport/{about}")
        },
    });
    let deliveries = state.db.deliveries(about).await?;
    let deadlines = state.db.external_deadlines(about).await?;
    for kind in gnv_storage::leveranser::DeliveryKind::ALL {
        // A delivery for one municipality does not complete the step (#15).
        let d = deliveries.iter().find(|d| d.kind == kind && d.organisation.is_none());
        let due = deadlines.iter().find(|x| x.kind == kind);
        steps.push(Step {
            over: false,
            what: format!("{} ({about})", kind.label()),
            when: match (d, due) {
                (Some(d), _) => format::date_long(d.delivered_on),
                (None, Some(due)) => format!("senast {}", format::date_long(due.due_on)),
                (None, None) => String::new(),
            },
            done: d.is_some(),
            detail: match (d, due) {
                (Some(d), Some(due)) if d.delivered_on > due.due_on => {
                    format!("Lämnad av {}, efter sista dagen {}.", d.by, format::date_long(due.due_on))
                }
                (Some(d), _) => format!("Lämnad av {}.", d.by),
                (None, Some(due)) if due.due_on < gnv_storage::omgang::today() => {
                    format!("Inte registrerad. Sista dagen {} har passerat.", format::date_long(due.due_on))
                }
                (None, Some(_)) => "Inte registrerad.".into(),
                (None, None) => "Inte registrerad. Ingen sista dag är angiven.".into(),
            },
            href: format!("/leveranser/{about}"),
        });
    }
    let stored = state.db.calendar(y).await?;
    let unconfirmed = state.db.unconfirmed_meetings().await?;
    let today = gnv_storage::omgang::today();
    for (m, links) in stored.calendar.meetings.iter().zip(&stored.links) {
        let statuses: Vec<(String, DeliverableStatus)> = m
            .deliverables
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let object = links.objects.get(i).cloned().flatten();
                let (status, _) = published.effective(d.status, object.as_ref(), m.date.year());
                (d.description.clone(), status)
            })
            .collect();
        let delivered = statuses.iter().filter(|(_, s)| *s == DeliverableStatus::Levererad).count();
        let body = registry.name_of(&m.body).unwrap_or(&m.body).to_string();
        let mut detail = if statuses.is_empty() {
            String::new()
        } else {
            format!(
                "Leveranser: {} ({} levererade).",
                format::join_sv(
                    &statuses
                        .iter()
                        .map(|(d, s)| format!("{d} – {}", s.label().to_lowercase()))
                        .collect::<Vec<_>>()
                ),
                format::of(delivered, statuses.len())
            )
        };
        if unconfirmed.iter().any(|(id, _)| *id == m.id) {
            detail.push_str(" Datumet är kopierat från förra året och ska bekräftas.");
        }
        steps.push(Step {
            over: false,
            what: if m.title.starts_with(&body) { m.title.clone() } else { format!("{body}: {}", m.title) },
            when: m.date.date().map(format::date_long).unwrap_or_else(|| m.date.label()),
            done: m.date.latest() < today && delivered == statuses.len(),
            detail: detail.trim().to_string(),
            href: format!("/planering/kalender?ar={y}#mote-{}", m.id),
        });
    }
    let review = published.action_plans.iter().filter(|(ry, _)| *ry == y).max_by(|a, b| a.1.cmp(&b.1));
    steps.push(Step {
        over: false,
        what: format!("Översyn av den regionala handlingsplanen {y}"),
        when: review.map(|(_, at)| date_of(at)).unwrap_or_default(),
        done: review.is_some(),
        detail: if review.is_some() {
            "En ny version är sparad.".into()
        } else {
            "Ingen version för året ännu.".into()
        },
        href: "/planering/handlingsplan".into(),
    });
    let next = steps.iter().find(|s| !s.done && !s.over).map(|s| {
        if s.when.is_empty() {
            s.what.clone()
        } else {
            format!("{} ({})", s.what, s.when)
        }
    });
    let done = steps.iter().filter(|s| s.done).count();
    render(&YearPage {
        ctx: PageCtx::new(format!("Året {y} i korthet"), "planering", &user),
        year: y,
        done_count: format!("{} steg är klara", format::of(done, steps.len())),
        steps,
        next,
    })
}

/// `POST /planering/kalender/{ar}/kopiera`
pub async fn copy_calendar(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    match state.db.copy_calendar_to_next_year(y, &user.actor()).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/planering/kalender?ar={}&ok=kalender_kopierad", y + 1))
                .into_response())
        }
        Err(StorageError::Invalid(m)) | Err(StorageError::Conflict(m)) => Err(AppError::BadRequest(m)),
        Err(e) => Err(e.into()),
    }
}

/// `POST /planering/kalender/moten/{mote}/bekrafta`
pub async fn confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(mote): Path<String>,
) -> AppResult<Response> {
    match state.db.confirm_meeting(&mote, &user.actor()).await {
        Ok(y) => Ok(Redirect::to(&format!("/planering/kalender?ar={y}&ok=datum_bekraftat")).into_response()),
        Err(StorageError::NotFound(_)) => Err(AppError::not_found()),
        Err(e) => Err(e.into()),
    }
}

/// A recipient of the published report: the contacts of the governance bodies.
struct ReportRecipient {
    org_code: String,
    org: String,
    name: String,
    email: String,
    function: &'static str,
}

async fn report_recipients(state: &AppState) -> AppResult<Vec<ReportRecipient>> {
    let registry = state.db.registry().await?;
    let mut out: Vec<ReportRecipient> = state
        .db
        .contacts()
        .await?
        .into_iter()
        .filter_map(|c| {
            let body = registry.bodies.iter().find(|b| b.code == c.org_code)?;
            Some(ReportRecipient {
                org_code: c.org_code.clone(),
                org: body.name.clone(),
                name: c.name,
                email: c.email,
                function: c.function.label(),
            })
        })
        .collect();
    out.sort_by(|a, b| format::swedish_cmp(&a.org, &b.org).then(format::swedish_cmp(&a.name, &b.name)));
    Ok(out)
}

#[derive(Template)]
#[template(path = "arsrapport_utskick.html")]
struct ReportMailingPage {
    ctx: PageCtx,
    year: i32,
    published: String,
    /// (organisation, name, e-mail, function, state, error)
    rows: Vec<(String, String, String, &'static str, String, String)>,
    /// The letter with a link: (subject, body).
    link_letter: (String, String),
    /// The letter with the PDF attached: (subject, body).
    attachment_letter: (String, String),
    /// "arsrapport-2024.pdf, 1,2 MB" when the published PDF exists.
    pdf: Option<String>,
    result: Option<String>,
}

/// The attached file's name, as the report's download names it.
fn pdf_name(y: i32) -> String {
    format!("arsrapport-{y}.pdf")
}

fn report_letter(
    base: &str,
    y: i32,
    published: &str,
    name: &str,
    way: ReportWay,
    profile: &gnv_core::lansprofil::CountyProfile,
) -> (String, String) {
    let (county, sender) = (&profile.county, &profile.support_unit);
    let read = match way {
        ReportWay::Link => format!(
            "Läs den här (inloggning krävs): {base}/arsrapport/{y}.pdf\n\
             Word-version: {base}/arsrapport/{y}.docx"
        ),
        ReportWay::Attachment => format!(
            "Rapporten är bifogad som PDF-fil ({}).\n\
             Word-version (inloggning krävs): {base}/arsrapport/{y}.docx",
            pdf_name(y)
        ),
    };
    (
        format!("Årsrapport {y}: God och nära vård i {county}"),
        format!(
            "Hej {name}!\n\nÅrsrapporten {y} om omställningen till God och nära vård i {county} publicerades {published}.\n\n\
             {read}\n\n\
             Med vänliga hälsningar\n{sender}\n"
        ),
    )
}

/// "1,2 MB" / "850 kB" for a file size in bytes.
fn file_size(bytes: usize) -> String {
    if bytes >= 1_000_000 {
        format!("{} MB", format::decimal(bytes as f64 / 1_000_000.0, 1))
    } else {
        format!("{} kB", format::integer(bytes.div_ceil(1000) as i64))
    }
}

async fn report_mailing_page(
    state: &AppState,
    user: &CurrentUser,
    y: i32,
    result: Option<String>,
) -> AppResult<Response> {
    let publication = state.db.report_publication(y).await?;
    let published = publication.as_ref().map(|p| date_of(&p.published_at)).unwrap_or_default();
    let sends = state.db.report_sends(y).await?;
    let rows = report_recipients(state)
        .await?
        .into_iter()
        .map(|r| {
            let send = sends.iter().find(|s| s.email.eq_ignore_ascii_case(&r.email));
            let st = match send {
                Some(s) if s.state == "skickad" => {
                    format!("skickad {} ({})", format::timestamp(&s.last_at), s.way.label())
                }
                Some(s) if s.state == "misslyckad" => format!("misslyckades ({})", s.way.label()),
                Some(_) => "skickas".to_string(),
                None => "inte skickad".to_string(),
            };
            (r.org, r.name, r.email, r.function, st, send.map(|s| s.error.clone()).unwrap_or_default())
        })
        .collect();
    let base = state.config.base_url.trim_end_matches('/').to_string();
    let profile = state.db.county_profile().await?;
    let pdf = match publication {
        Some(_) => state
            .db
            .report_file(y, "pdf")
            .await?
            .map(|(b, _)| format!("{}, {}", pdf_name(y), file_size(b.len()))),
        None => None,
    };
    render(&ReportMailingPage {
        ctx: PageCtx::new(format!("Skicka årsrapport {y}"), "arsrapport", user),
        year: y,
        link_letter: report_letter(&base, y, &published, "(namn)", ReportWay::Link, &profile),
        attachment_letter: report_letter(&base, y, &published, "(namn)", ReportWay::Attachment, &profile),
        published,
        rows,
        pdf,
        result,
    })
}

/// `GET /arsrapport/{ar}/utskick`
pub async fn report_mailing(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    report_mailing_page(&state, &user, y, None).await
}

/// The form sending the published report: `satt` is how (link or attached PDF).
#[derive(serde::Deserialize)]
pub struct SendReportForm {
    #[serde(rename = "satt")]
    way: String,
}

/// `POST /arsrapport/{ar}/utskick` — the published report, as a link or with the published PDF
/// attached (`satt`), to every body contact not yet sent (failures are retried, nothing is sent
/// twice).
pub async fn send_report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
    Form(form): Form<SendReportForm>,
) -> AppResult<Response> {
    let y = Year::parse(&ar)?;
    let Some(publication) = state.db.report_publication(y).await? else {
        return Err(AppError::BadRequest(format!(
            "Årsrapporten {y} är inte publicerad. Publicera den först."
        )));
    };
    let way = ReportWay::parse(&form.way).ok_or_else(|| {
        AppError::BadRequest("Välj om rapporten skickas som länk eller som bifogad PDF-fil.".into())
    })?;
    let attachments = match way {
        ReportWay::Link => Vec::new(),
        ReportWay::Attachment => {
            let (bytes, _) = state.db.report_file(y, "pdf").await?.ok_or_else(|| {
                AppError::BadRequest(format!(
                    "Den publicerade årsrapporten {y} har ingen PDF-fil att bifoga."
                ))
            })?;
            vec![Attachment { file_name: pdf_name(y), content_type: "application/pdf".into(), bytes }]
        }
    };
    let published = date_of(&publication.published_at);
    let base = state.config.base_url.trim_end_matches('/').to_string();
    let profile = state.db.county_profile().await?;
    let actor = user.actor();
    let (mut sent, mut failed) = (0usize, 0usize);
    for r in report_recipients(&state).await? {
        let Some(id) = state.db.claim_report_send(y, &r.org_code, &r.email, &r.name, way).await? else {
            continue;
        };
        let (subject, body) = report_letter(&base, y, &published, &r.name, way, &profile);
        let outcome = crate::mail::send(
            &state.config.mail,
            &Mail {
                to_name: r.name.clone(),
                to_email: r.email.clone(),
                subject,
                body,
                attachments: attachments.clone(),
            },
        )
        .await;
        if outcome.is_ok() {
            sent += 1;
        } else {
            failed += 1;
        }
        state.db.finish_report_send(id, y, &r.email, way, outcome, &actor).await?;
    }
    let mut result = format!(
        "Årsrapporten är skickad till {} ({}).",
        format::count(sent as i64, "mottagare", "mottagare"),
        way.label()
    );
    if failed > 0 {
        result.push_str(&format!(" {failed} kunde inte skickas; skicka igen för att försöka på nytt."));
    }
    report_mailing_page(&state, &user, y, Some(result)).await
}

//! Pages of the module "Rapporteringsomgång": the yearly round (open, invite, remind, status,
//! reopen), answering forms (for respondent accounts and for secret links), the self-assessment
//! and mapping analyses, history import and the JSON summaries. Routes are declared in
//! [`routes`]; submodules: [`omgang`] (round administration and status), [`svar`] (answering),
//! [`analys`] (analyses, history import, JSON), [`utskick`] (the January mailing to the contacts).

pub mod analys;
pub mod omgang;
pub mod svar;
pub mod utskick;

use crate::error::AppError;
use crate::routes::Routes;
use gnv_core::access::Access::*;
use gnv_core::organisation::Registry;
use gnv_core::rapportering::{Assignee, Part};

/// Declares this module's routes.
pub fn routes(r: Routes) -> Routes {
    r.get("/rapportering", LoggedIn, "Rapporteringsomgångar och dina uppdrag", omgang::index)
        .post("/rapportering", Admin, "Öppna en rapporteringsomgång", omgang::create)
        .get("/rapportering/historik", Admin, "Importera tidigare års självskattningar", analys::history_form)
        .post(
            "/rapportering/historik",
            Admin,
            "Importera tidigare års självskattningar (CSV/XLSX)",
            analys::history_import,
        )
        .get("/rapportering/{ar}", LoggedIn, "Status för en rapporteringsomgång", omgang::status)
        .post("/rapportering/{ar}/inbjudan", Admin, "Bjud in svarande", omgang::invite)
        .post(
            "/rapportering/{ar}/inbjudan/{id}/aterkalla",
            Admin,
            "Återkalla en inbjudningslänk",
            omgang::revoke,
        )
        .post(
            "/rapportering/{ar}/paminnelse",
            Admin,
            "Skicka påminnelser till dem som inte svarat",
            omgang::remind,
        )
        .post(
            "/rapportering/{ar}/paminnelseschema",
            Admin,
            "Schemalagda påminnelser (dagar före sista svarsdag)",
            omgang::reminder_schedule,
        )
        .get(
            "/rapportering/{ar}/utskick",
            Admin,
            "Januariutskick: brev, förhandsgranskning, logg",
            utskick::show,
        )
        .post(
            "/rapportering/{ar}/utskick",
            Admin,
            "Skicka januariutskicket (inget skickas två gånger)",
            utskick::send,
        )
        .post(
            "/rapportering/{ar}/utskick/brev",
            Admin,
            "Januariutskick: spara brev och vilken funktion som får vilken del",
            utskick::save_letter,
        )
        .post(
            "/rapportering/{ar}/stang",
            Admin,
            "Stäng omgången nu (ingen kan längre svara utan att en del återöppnas)",
            omgang::close,
        )
        .post(
            "/rapportering/{ar}/sista-svarsdag",
            Admin,
            "Ändra sista svarsdag (en stängd omgång öppnas igen)",
            omgang::extend,
        )
        .post(
            "/rapportering/{ar}/ateroppna/{del}/{org}",
            Admin,
            "Återöppna en organisations del (med skäl)",
            omgang::reopen,
        )
        .get(
            "/rapportering/{ar}/svara/{del}/{org}",
            Respondent,
            "Besvara en del av omgången",
            svar::account_form,
        )
        .post(
            "/rapportering/{ar}/svara/{del}/{org}",
            Respondent,
            "Spara eller skicka in ett svar",
            svar::account_submit,
        )
        .get("/svar/{token}", Public, "Besvara via inbjudningslänk", svar::link_form)
        .post("/svar/{token}", Public, "Spara eller skicka in via inbjudningslänk", svar::link_submit)
        .get(
            "/rapportering/{ar}/sjalvskattning",
            LoggedIn,
            "Självskattning: analys för länet",
            analys::sjalvskattning,
        )
        .get(
            "/rapportering/{ar}/sjalvskattning/{lsl}",
            LoggedIn,
            "Självskattning: en lokal systemlednings profil",
            analys::lsl_page,
        )
        .individual_answers()
        .get(
            "/rapportering/{ar}/kartlaggning",
            LoggedIn,
            "Kartläggning: sammanställning",
            analys::kartlaggning,
        )
        .get(
            "/api/v1/rounds/{ar}/sjalvskattning/summary",
            LoggedIn,
            "Självskattningens sammanställning som JSON",
            analys::api_sjalvskattning,
        )
        .json::<gnv_core::sjalvskattning::SelfAssessmentSummary>()
        .get(
            "/api/v1/rounds/{ar}/kartlaggning/summary",
            LoggedIn,
            "Kartläggningens sammanställning som JSON",
            analys::api_kartlaggning,
        )
        .json::<Option<gnv_core::kartlaggning::MappingSummary>>()
        .get(
            "/api/v1/rounds/{ar}/status",
            LoggedIn,
            "Omgångens status per organisation som JSON",
            omgang::api_status,
        )
        .json::<omgang::RoundStatus>()
}

/// Who fills in a module's own form (the kommunenkät, the financial report) and how its page is
/// framed. The same form, parser and storage call serve both ways in: an account on the module's
/// page (`/kommunenkat/{år}/kommun/{kod}`, `/ekonomi/{år}/kommun/{kod}`) and the holder of a
/// personal invitation link (`/svar/{token}`, see [`svar`]).
pub(crate) struct Answerer {
    /// The page context: the account's, or an anonymous one with the link's CSRF token.
    pub ctx: crate::view::PageCtx,
    /// An admin corrects under the admin rules (also a submitted answer); everyone else passes
    /// the round gate (`omgang::respondent_gate_tx`).
    pub admin: bool,
    /// Who the audit entry names: the account, or the invitation ("… (inbjudningslänk 12)").
    pub actor: gnv_storage::Actor,
    /// Where the form posts to.
    pub action: String,
    /// Answering through a personal link: no links into pages that need a log-in, and after
    /// saving the respondent comes back to the same link.
    pub via_link: bool,
}

/// The Swedish calendar day of a stored UTC timestamp (RFC 3339).
pub(crate) fn local_date(stored: &str) -> Option<chrono::NaiveDate> {
    let utc = chrono::DateTime::parse_from_rfc3339(stored.trim()).ok()?.naive_utc();
    Some((utc + chrono::Duration::hours(gnv_core::format::stockholm_offset_hours(utc))).date())
}

/// Parses a part path segment.
pub(crate) fn part(raw: &str) -> Result<Part, AppError> {
    Part::parse(raw).ok_or_else(AppError::not_found)
}

/// Display name of an organisation code (LSL, municipality or region).
pub(crate) fn org_name(registry: &Registry, code: &str) -> String {
    registry
        .lsls
        .iter()
        .find(|l| l.code == code)
        .map(|l| l.name.clone())
        .or_else(|| registry.municipalities.iter().find(|m| m.code == code).map(|m| m.name.clone()))
        .unwrap_or_else(|| code.to_string())
}

/// Organisations a part is assigned to, in registry order: (code, name).
pub(crate) fn assignees(registry: &Registry, part: Part) -> Vec<(String, String)> {
    match part.assignee() {
        Assignee::Lsl => registry.lsls.iter().map(|l| (l.code.clone(), l.name.clone())).collect(),
        Assignee::Kommun => {
            registry.municipalities.iter().map(|m| (m.code.clone(), m.name.clone())).collect()
        }
    }
}

/// Member municipalities (code, name) of an organisation, for per-municipality questions.
pub(crate) fn municipalities_of(registry: &Registry, org: &str) -> Vec<(String, String)> {
    let name = |c: &str| {
        registry
            .municipalities
            .iter()
            .find(|m| m.code == c)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| c.to_string())
    };
    match registry.lsls.iter().find(|l| l.code == org) {
        Some(l) => l.municipalities.iter().map(|c| (c.clone(), name(c))).collect(),
        None => vec![(org.to_string(), name(org))],
    }
}

/// CSS class of a status (the label text is always shown beside it).
pub(crate) fn status_class(s: gnv_core::rapportering::Status) -> &'static str {
    use gnv_core::rapportering::Status::*;
    match s {
        EjPaborjad => "status-ej",
        Utkast => "status-utkast",
        Inskickad => "status-inskickad",
        Ateroppnad => "status-ateroppnad",
    }
}

/// Badge colour of a status on the survey and financial-report pages (the label is always shown
/// beside it). A trait so the templates can write `status.badge()`.
pub(crate) trait StatusBadge {
    fn badge(&self) -> &'static str;
}

impl StatusBadge for gnv_core::rapportering::Status {
    fn badge(&self) -> &'static str {
        use gnv_core::rapportering::Status::*;
        match self {
            EjPaborjad => "grey",
            Utkast | Ateroppnad => "yellow",
            Inskickad => "green",
        }
    }
}

/// The last day to answer in the round of `year` as a Swedish date ("13 februari 2026"); empty
/// when the year has no round.
pub(crate) async fn deadline_text(state: &crate::AppState, year: i32) -> Result<String, AppError> {
    Ok(state
        .db
        .round(year)
        .await?
        .map(|r| gnv_core::format::date_long(r.deadline_date()))
        .unwrap_or_default())
}

/// Why a respondent cannot write the part now (the round is closed and the part not reopened),
/// or `None` when they can. Admins correct through their own rules and get `None`.
pub(crate) async fn respondent_closed_notice(
    state: &crate::AppState,
    year: i32,
    part: Part,
    org: &str,
    admin: bool,
) -> Result<Option<String>, AppError> {
    if admin {
        return Ok(None);
    }
    let Some(round) = state.db.round(year).await? else {
        return Ok(Some(format!("Det finns ingen rapporteringsomgång för {year}. Svar kan inte lämnas.")));
    };
    let status = match state.db.round_part_status(year, part, org).await {
        Ok(s) => s,
        Err(gnv_storage::StorageError::NotFound(m)) => return Ok(Some(m)),
        Err(e) => return Err(e.into()),
    };
    Ok(gnv_core::rapportering::livscykel::respondent_may_write(
        round.state(gnv_storage::omgang::today()),
        status,
        year,
        round.deadline_date(),
    )
    .err()
    .map(String::from))
}

/// "Ändrat efter stängning" notes of one part of a closed round, one per organisation whose
/// answer or status differs from the snapshot frozen at closing (shown on the compilation pages
/// beside the data warnings).
pub(crate) async fn changed_after_close_notes(
    state: &crate::AppState,
    year: i32,
    part: Part,
) -> Result<Vec<String>, AppError> {
    let registry = state.db.registry().await?;
    Ok(state
        .db
        .changed_after_close(year)
        .await?
        .into_iter()
        .filter(|c| c.part == part)
        .map(|c| {
            let closed = c
                .closed_at
                .get(..10)
                .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
                .map(gnv_core::format::date_long)
                .unwrap_or_default();
            let what = if c.answer_changed { "svaret har ändrats" } else { "statusen har ändrats" };
            format!(
                "Ändrat efter stängning: {} – {what} sedan omgången stängdes {closed} (nu {}). Ändringen finns i granskningsloggen.",
                org_name(&registry, &c.org_code),
                c.status_now.label()
            )
        })
        .collect())
}

//! Finding the catalogue's Kolada ids on `/nyckeltal/admin` (#19): the section "Sök Kolada-id"
//! of the admin page.
//!
//! - `GET /nyckeltal/admin/kolada?sok=…&kalla=kolada|fil&nyckeltal=1.1` — the admin page with
//!   the hits of a search in Kolada's KPI list: online (`/v3/kpi?title=…` at `kolada_url`,
//!   cached per text by [`gnv_kolada::kpi::search_online`]) or offline in the saved `/v3/kpi`
//!   response. Each hit shows Kolada's title, description, sex split and organisation type and
//!   warns where they disagree with the chosen catalogue indicator
//!   ([`gnv_core::nyckeltal::kolada::kpi_disagreements`]). The search form swaps only the hits
//!   with htmx (`hx-select`); without JavaScript the whole page is loaded.
//! - `POST /nyckeltal/admin/kolada/koppla` — attaches a hit to an indicator: the KPI is looked up
//!   again where it was found (never taken from the form), then stored with its description
//!   ([`gnv_storage::Db::nyckeltal_attach_kpi`], audited).
//! - `POST /nyckeltal/admin/kolada/lista` — stores an uploaded saved `/v3/kpi` response (the
//!   offline source; a new upload replaces the old one, audited).

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::pages::form::Form;
use crate::routes::Routes;
use crate::AppState;
use axum::extract::{Multipart, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gnv_core::format;
use gnv_core::nyckeltal::kolada::{kpi_disagreements, municipality_type_label, KpiMeta};
use gnv_core::nyckeltal::{Catalogue, Indicator, IndicatorCode, KpiId};
use serde::Deserialize;
use std::sync::{Arc, Mutex, OnceLock};

/// Hits shown at most; the rest is counted.
const MAX_HITS: usize = 50;

/// Declares the section's routes.
pub fn routes(r: Routes) -> Routes {
    use gnv_core::access::Access::Admin;
    r.get("/nyckeltal/admin/kolada", Admin, "Nyckeltal: sök Kolada-id i Koladas KPI-lista", search)
        .post(
            "/nyckeltal/admin/kolada/koppla",
            Admin,
            "Koppla ett Kolada-id till ett nyckeltal i katalogen",
            attach,
        )
        .post(
            "/nyckeltal/admin/kolada/lista",
            Admin,
            "Spara ett Kolada-svar från /v3/kpi för sökning utan nätverk",
            upload_list,
        )
}

/// The search's query (also the state the page returns to after attaching).
#[derive(Deserialize, Default, Clone)]
pub struct KpiQuery {
    sok: Option<String>,
    kalla: Option<String>,
    nyckeltal: Option<String>,
    /// After attaching: the KPI id attached to `nyckeltal`.
    kopplad: Option<String>,
}

/// One hit of a search.
pub struct KpiHit {
    pub id: String,
    pub title: String,
    pub description: String,
    pub gender: &'static str,
    pub kind: &'static str,
    pub warnings: Vec<String>,
    /// Already among the chosen indicator's sources.
    pub attached: bool,
}

/// A stored attachment, with warnings against the catalogue entry as it is now.
pub struct AttachedRow {
    pub indicator: String,
    pub indicator_title: String,
    pub id: String,
    pub title: String,
    pub description: String,
    pub gender: &'static str,
    pub kind: &'static str,
    pub source: String,
    pub attached_at: String,
    pub attached_by: String,
    pub warnings: Vec<String>,
}

/// The saved KPI list.
pub struct ListInfo {
    pub name: String,
    pub count: String,
    pub uploaded_at: String,
    pub uploaded_by: String,
}

/// What the admin page's section "Sök Kolada-id" shows.
pub struct KpiSection {
    pub text: String,
    /// `kolada` or `fil`.
    pub source: &'static str,
    pub kolada_url: String,
    pub indicator: String,
    pub indicator_title: String,
    /// (code, label, selected).
    pub indicators: Vec<(String, String, bool)>,
    pub list: Option<ListInfo>,
    pub searched: bool,
    pub error: Option<String>,
    pub hits: Vec<KpiHit>,
    /// "3 träffar", or "Visar 50 av 120 träffar; sök mer precist."
    pub hit_text: String,
    pub attached: Vec<AttachedRow>,
    pub done: Option<String>,
}

fn gender_label(k: &KpiMeta) -> &'static str {
    match k.divided_by_gender {
        Some(true) => "ja",
        Some(false) => "nej",
        None => "uppgift saknas",
    }
}

fn kind_label(k: &KpiMeta) -> &'static str {
    k.municipality_type.as_deref().and_then(municipality_type_label).unwrap_or("uppgift saknas")
}

/// Which source a query asks for: the saved list only when one is stored.
fn source_of(q: &KpiQuery, has_list: bool) -> &'static str {
    match q.kalla.as_deref() {
        Some("fil") if has_list => "fil",
        Some("kolada") => "kolada",
        _ if has_list => "fil",
        _ => "kolada",
    }
}

fn chosen<'a>(catalogue: &'a Catalogue, q: &KpiQuery) -> Option<&'a Indicator> {
    q.nyckeltal
        .as_deref()
        .and_then(|c| c.parse::<IndicatorCode>().ok())
        .and_then(|c| catalogue.get(c))
        .or_else(|| catalogue.indicators().first())
}

/// The saved KPI list parsed: the last one parsed is kept with its text and reused while the
/// stored text is the same (compared whole, so a replaced list is never answered from the old
/// one, whichever database of the process it came from).
fn parsed_list(body: String) -> Result<Arc<Vec<KpiMeta>>, String> {
    type Parsed = Mutex<Option<(String, Arc<Vec<KpiMeta>>)>>;
    static PARSED: OnceLock<Parsed> = OnceLock::new();
    let cache = PARSED.get_or_init(Parsed::default);
    if let Some((text, list)) = cache.lock().ok().as_deref().and_then(Option::as_ref) {
        if *text == body {
            return Ok(list.clone());
        }
    }
    let list =
        Arc::new(gnv_kolada::kpi::parse_text(&body, "den sparade KPI-listan").map_err(|e| e.to_string())?);
    if let Ok(mut c) = cache.lock() {
        *c = Some((body, list.clone()));
    }
    Ok(list)
}

/// Searches where `source` says. Errors are Swedish sentences for the page.
async fn run_search(state: &AppState, source: &str, text: &str) -> Result<Vec<KpiMeta>, String> {
    if source == "fil" {
        let Some(body) = state.db.nyckeltal_kpi_list_text().await.map_err(|e| e.to_string())? else {
            return Err("Ingen sparad KPI-lista finns. Ladda upp ett sparat svar från /v3/kpi.".into());
        };
        let list = parsed_list(body)?;
        return Ok(gnv_kolada::kpi::search_list(&list, text));
    }
    let mut client = gnv_kolada::client::Client::new(&state.config.kolada_url).map_err(|e| e.to_string())?;
    // A page waits for the answer: two attempts, not the command line's patient retries.
    client.attempts = 2;
    client.backoff = std::time::Duration::from_millis(200);
    gnv_kolada::kpi::search_online(&client, text).await.map_err(|e| {
        format!(
            "Kolada kunde inte nås ({}): {e:#}. Sök i en sparad KPI-lista i stället (ladda upp ett svar från /v3/kpi nedan).",
            state.config.kolada_url
        )
    })
}

/// The section for the admin page.
pub(super) async fn section(state: &AppState, catalogue: &Catalogue, q: &KpiQuery) -> AppResult<KpiSection> {
    let list = state.db.nyckeltal_kpi_list().await?;
    let source = source_of(q, list.is_some());
    let ind = chosen(catalogue, q);
    let text = q.sok.as_deref().unwrap_or("").trim().to_string();
    let mut section = KpiSection {
        source,
        kolada_url: state.config.kolada_url.clone(),
        indicator: ind.map(|i| i.code.to_string()).unwrap_or_default(),
        indicator_title: ind.map(|i| i.title.clone()).unwrap_or_default(),
        indicators: catalogue
            .indicators()
            .iter()
            .map(|i| {
                (i.code.to_string(), format!("{} {}", i.code, i.title), Some(i.code) == ind.map(|x| x.code))
            })
            .collect(),
        list: list.map(|l| ListInfo {
            name: l.name,
            count: format::count(l.kpi_count, "KPI", "KPI:er"),
            uploaded_at: l.uploaded_at,
            uploaded_by: l.uploaded_by,
        }),
        searched: false,
        error: None,
        hits: Vec::new(),
        hit_text: String::new(),
        attached: Vec::new(),
        done: None,
        text,
    };
    if !section.text.is_empty() {
        section.searched = true;
        if section.text.chars().count() > 200 {
            section.error = Some("Söktexten får vara högst 200 tecken.".into());
        } else {
            match run_search(state, source, &section.text).await {
                Ok(found) => {
                    section.hit_text = if found.len() > MAX_HITS {
                        format!(
                            "Visar {MAX_HITS} av {} träffar; sök mer precist.",
                            format::integer(found.len() as i64)
                        )
                    } else {
                        format::count(found.len() as i64, "träff", "träffar")
                    };
                    section.hits = found
                        .iter()
                        .take(MAX_HITS)
                        .map(|k| KpiHit {
                            id: k.id.to_string(),
                            title: k.title.clone(),
                            description: k.description.clone().unwrap_or_default(),
                            gender: gender_label(k),
                            kind: kind_label(k),
                            warnings: ind.map(|i| kpi_disagreements(k, i)).unwrap_or_default(),
                            attached: ind.is_some_and(|i| i.kolada_ids().any(|id| *id == k.id)),
                        })
                        .collect();
                }
                Err(e) => section.error = Some(e),
            }
        }
    }
    for a in state.db.nyckeltal_kpi_attachments().await? {
        // Only ids still among the indicator's sources (an edit may have removed one).
        let Some(i) = catalogue.get(a.indicator).filter(|i| i.kolada_ids().any(|id| *id == a.kpi.id)) else {
            continue;
        };
        if q.kopplad.as_deref() == Some(a.kpi.id.as_str())
            && q.nyckeltal.as_deref() == Some(&i.code.to_string())
        {
            section.done = Some(format!(
                "Kolada-id {} ({}) är kopplat till nyckeltal {}.",
                a.kpi.id, a.kpi.title, i.code
            ));
        }
        section.attached.push(AttachedRow {
            indicator: i.code.to_string(),
            indicator_title: i.title.clone(),
            id: a.kpi.id.to_string(),
            title: a.kpi.title.clone(),
            description: a.kpi.description.clone().unwrap_or_default(),
            gender: gender_label(&a.kpi),
            kind: kind_label(&a.kpi),
            warnings: kpi_disagreements(&a.kpi, i),
            source: a.source,
            attached_at: a.attached_at,
            attached_by: a.attached_by,
        });
    }
    Ok(section)
}

/// `GET /nyckeltal/admin/kolada`: the admin page with the search's hits.
pub async fn search(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<KpiQuery>,
) -> AppResult<Response> {
    super::admin_page_kpi(&state, &user, None, None, None, &q).await
}

fn back_to(q: &KpiQuery) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [("sok", &q.sok), ("kalla", &q.kalla), ("nyckeltal", &q.nyckeltal), ("kopplad", &q.kopplad)]
    {
        if let Some(v) = v {
            s.append_pair(k, v);
        }
    }
    format!("/nyckeltal/admin/kolada?{}#kolada", s.finish())
}

/// The attach form of a search hit.
#[derive(Deserialize)]
pub struct AttachForm {
    /// The search text the hit came from.
    sok: String,
    /// Where the search ran (Kolada or the saved list).
    kalla: Option<String>,
    /// The indicator code of the catalogue.
    nyckeltal: String,
    /// The Kolada KPI id.
    kpi: String,
}

/// `POST /nyckeltal/admin/kolada/koppla`: attaches a hit (`kpi`) of the search (`sok`, `kalla`)
/// to the indicator `nyckeltal`.
pub async fn attach(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<AttachForm>,
) -> AppResult<Response> {
    let q = KpiQuery {
        sok: (!form.sok.is_empty()).then(|| form.sok.clone()),
        kalla: form.kalla.clone(),
        nyckeltal: (!form.nyckeltal.is_empty()).then(|| form.nyckeltal.clone()),
        kopplad: None,
    };
    let fail = |msg: String| {
        let (state, user, q) = (state.clone(), user.clone(), q.clone());
        async move { super::admin_page_kpi(&state, &user, Some(msg), None, None, &q).await }
    };
    let Ok(code) = form.nyckeltal.parse::<IndicatorCode>() else {
        return fail("Välj vilket nyckeltal Kolada-id:t ska kopplas till.".into()).await;
    };
    let id = match KpiId::parse(&form.kpi) {
        Ok(id) => id,
        Err(e) => return fail(e.into()).await,
    };
    let text = form.sok.clone();
    let has_list = state.db.nyckeltal_kpi_list().await?.is_some();
    let source = source_of(&q, has_list);
    // Kolada's description is read again where the hit came from (cached online), never taken
    // from the form.
    let found = match run_search(&state, source, &text).await {
        Ok(found) => found,
        Err(e) => return fail(e).await,
    };
    let Some(kpi) = found.into_iter().find(|k| k.id == id) else {
        return fail(format!(
            "{id} finns inte bland träffarna för ”{}”. Sök igen och välj en träff.",
            text.trim()
        ))
        .await;
    };
    let from = if source == "fil" {
        let name = state.db.nyckeltal_kpi_list().await?.map(|l| l.name).unwrap_or_default();
        format!("sparad KPI-lista {name}")
    } else {
        format!("{}/v3/kpi", state.config.kolada_url.trim_end_matches('/'))
    };
    match state.db.nyckeltal_attach_kpi(code, &kpi, &from, &user.actor()).await {
        Ok(_) => Ok(Redirect::to(&back_to(&KpiQuery { kopplad: Some(id.to_string()), ..q })).into_response()),
        Err(gnv_storage::StorageError::Invalid(m)) | Err(gnv_storage::StorageError::NotFound(m)) => {
            fail(format!("{m}\nKatalogen har inte ändrats.")).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /nyckeltal/admin/kolada/lista`: stores a saved `/v3/kpi` response for offline search.
pub async fn upload_list(
    State(state): State<AppState>,
    user: CurrentUser,
    multipart: Multipart,
) -> AppResult<Response> {
    let files = super::read_files(multipart, "kpilista").await?;
    let q = KpiQuery { kalla: Some("fil".into()), ..KpiQuery::default() };
    let fail = |msg: String| super::admin_page_kpi(&state, &user, Some(msg), None, None, &q);
    let Some((name, bytes)) = files.into_iter().next() else {
        return fail("Välj en fil med ett sparat svar från Koladas /v3/kpi.".into()).await;
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return fail(format!("fil {name}: filen är inte UTF-8-text. Inget har sparats.")).await;
    };
    let count = match gnv_kolada::kpi::parse_text(&text, &name) {
        Ok(list) if list.is_empty() => {
            return fail(format!("fil {name}: filen innehåller inga KPI:er. Inget har sparats.")).await
        }
        Ok(list) => list.len() as i64,
        Err(e) => return fail(format!("{e}\nInget har sparats.")).await,
    };
    state.db.nyckeltal_save_kpi_list(&name, &text, count, &user.actor()).await.map_err(AppError::from)?;
    Ok(Redirect::to("/nyckeltal/admin/kolada?kalla=fil#kolada").into_response())
}

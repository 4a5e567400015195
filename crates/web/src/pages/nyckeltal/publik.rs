//! The public view of published editions (config `public.infographic`, off by default).

use super::*;

// The public view of published editions (config `public.infographic`, off by default)

/// Headers of every public response: cacheable for a while (a published edition never
/// changes), framable only by the configured origins.
pub(super) fn public_headers(state: &AppState, mut resp: Response) -> Response {
    let ancestors = if state.config.public.frame_ancestors.is_empty() {
        "'none'".to_string()
    } else {
        // Checked when the configuration was read: plain origins only.
        state.config.public.frame_ancestors.join(" ")
    };
    let csp = crate::security::CSP.replace("frame-ancestors 'none'", &format!("frame-ancestors {ancestors}"));
    let h = resp.headers_mut();
    if let Ok(v) = header::HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("public, max-age=300"));
    resp
}

/// The public view is switched on, and the year is a published edition: else 404 (the same
/// answer for "off", "not published" and "no such year", so nothing about unpublished data
/// can be learnt). Returns the data version, the published editions and the edition's entry.
async fn public_year(
    state: &AppState,
    ar: &str,
) -> AppResult<(DataVersion, Arc<Vec<EditionMeta>>, EditionMeta)> {
    if !state.config.public.infographic {
        return Err(AppError::not_found());
    }
    let year = Year::parse(ar).map_err(|_| AppError::not_found())?;
    let v = state.db.data_version().await?;
    let editions = state.db.nyckeltal_editions_at(v).await?;
    let Some(meta) = editions.iter().find(|e| e.year == i64::from(year)).cloned() else {
        return Err(AppError::not_found());
    };
    if meta.uid.is_empty() {
        return Err(AppError::not_found());
    }
    Ok((v, editions, meta))
}

/// The whole published edition `ar` of the public view (see [`public_year`]).
pub(super) async fn public_edition(state: &AppState, ar: &str) -> AppResult<(DataVersion, Edition)> {
    let (v, editions, meta) = public_year(state, ar).await?;
    let edition = state.db.nyckeltal_edition_among(meta.year as i32, &editions).await?;
    if !edition.is_published() {
        return Err(AppError::not_found());
    }
    Ok((v, edition))
}

/// One focus's view of the published edition `ar` (see [`public_year`]): the names frozen with
/// the edition, the focus checked against them ([`public_focus`]) before any value is read,
/// and only the blocks the focus's evaluation needs ([`gnv_storage::Db::nyckeltal_edition_for_focus`]).
pub(super) async fn public_focus_edition(
    state: &AppState,
    ar: &str,
    fokus: Option<&str>,
) -> AppResult<(DataVersion, Names, String, Edition)> {
    let (v, editions, meta) = public_year(state, ar).await?;
    let names = Names::at(state, v).await?.of_edition_uid(state, &meta.uid).await?;
    let focus = public_focus(fokus, &names)?;
    let edition = state.db.nyckeltal_edition_for_focus(meta.year as i32, &editions, &focus).await?;
    Ok((v, names, focus, edition))
}

/// Focus organisations of the public view: the region and its municipalities only.
pub(super) fn public_focus(q: Option<&str>, names: &Names) -> AppResult<String> {
    let focus = focus_of(q, names).map_err(|_| AppError::not_found())?;
    if focus == names.county() || names.registry.municipalities.iter().any(|m| m.code == focus) {
        Ok(focus)
    } else {
        Err(AppError::not_found())
    }
}

#[derive(Template)]
#[template(path = "offentlig_index.html")]
pub(super) struct PublicIndexPage {
    pub(super) ctx: PageCtx,
    /// (year, edition label, [(code, name)]) newest first.
    pub(super) editions: Vec<(i64, String, Vec<(String, String)>)>,
}

pub async fn public_index(State(state): State<AppState>) -> AppResult<Response> {
    if !state.config.public.infographic {
        return Err(AppError::not_found());
    }
    let v = state.db.data_version().await?;
    let names = Names::at(&state, v).await?;
    let mut orgs = vec![(names.county().to_string(), names.name(names.county()))];
    orgs.extend(names.municipalities_by_name());
    let mut editions: Vec<(i64, String, Vec<(String, String)>)> = state
        .db
        .nyckeltal_editions_at(v)
        .await?
        .iter()
        .map(|e| {
            let label =
                format!("{} (publicerad {})", e.title, gnv_core::format::timestamp_date(&e.published_at));
            (e.year, label, orgs.clone())
        })
        .collect();
    editions.sort_by_key(|e| std::cmp::Reverse(e.0));
    let resp = render(&PublicIndexPage { ctx: PageCtx::anonymous("Infografik – nyckeltal"), editions })?;
    Ok(public_headers(&state, resp))
}

#[derive(Template)]
#[template(path = "offentlig_infografik.html")]
pub(super) struct PublicInfographicPage {
    pub(super) ctx: PageCtx,
    pub(super) year: i32,
    pub(super) focus: String,
    pub(super) focus_name: String,
    pub(super) edition_label: String,
    pub(super) image_alt: String,
    pub(super) demo: bool,
    pub(super) demo_note: &'static str,
    pub(super) groups: Vec<SubgoalGroup>,
    pub(super) paragraph: Vec<String>,
    pub(super) neutral_note: &'static str,
    pub(super) attribution: &'static str,
}

pub async fn public_infographic(
    State(state): State<AppState>,
    Path(ar): Path<String>,
    Query(q): Query<FocusQuery>,
) -> AppResult<Response> {
    let (v, names, focus, edition) = public_focus_edition(&state, &ar, q.fokus.as_deref()).await?;
    let focus_name = names.name(&focus);
    let subgoals = subgoal_names_at(&state, v).await;
    let year = edition.year();
    let eval = edition.evaluate(&focus);
    let summary = gnv_core::nyckeltal::summarize(&eval);
    let resp = render(&PublicInfographicPage {
        ctx: PageCtx::anonymous(format!("Infografik {year} – {focus_name}")),
        year,
        edition_label: edition_label(&edition),
        image_alt: infographic_alt(year, &focus_name),
        demo: state.db.nyckeltal_has_demo_data_at(v).await?,
        demo_note: DEMO_NOTE,
        groups: groups(&edition, &eval, &subgoals),
        paragraph: gnv_core::nyckeltal::summary_paragraph(&summary, year, &focus_name),
        neutral_note: NEUTRAL_NOTE,
        attribution: ATTRIBUTION,
        focus,
        focus_name,
    })?;
    Ok(public_headers(&state, resp))
}

pub async fn public_file(
    State(state): State<AppState>,
    Path((ar, fil)): Path<(String, String)>,
    Query(q): Query<FocusQuery>,
) -> AppResult<Response> {
    let (v, names, focus, edition) = public_focus_edition(&state, &ar, q.fokus.as_deref()).await?;
    let subgoals = subgoal_names_at(&state, v).await;
    let demo = state.db.nyckeltal_has_demo_data_at(v).await?;
    let resp = infographic_file(&edition, &focus, &names.name(&focus), &subgoals, demo, &fil)?;
    Ok(public_headers(&state, resp))
}

#[derive(Template)]
#[template(path = "offentlig_indikator.html")]
pub(super) struct PublicIndicatorPage {
    pub(super) ctx: PageCtx,
    pub(super) p: IndicatorPage,
}

/// The view of one indicator of a published edition for the public routes (404 otherwise).
pub(super) async fn public_indicator_view(
    state: &AppState,
    ar: &str,
    kod: &str,
    fokus: Option<&str>,
) -> AppResult<IndicatorView> {
    let (v, edition) = public_edition(state, ar).await?;
    let names = Names::at(state, v).await?.of_edition(state, &edition).await?;
    let focus = public_focus(fokus, &names)?;
    let code: IndicatorCode = kod.parse().map_err(|_| AppError::not_found())?;
    indicator_view_of(edition, code, focus, names)
}

pub async fn public_indicator(
    State(state): State<AppState>,
    Path((ar, kod)): Path<(String, String)>,
    Query(q): Query<FocusQuery>,
) -> AppResult<Response> {
    let v = public_indicator_view(&state, &ar, &kod, q.fokus.as_deref()).await?;
    let title = format!("{} {}", v.indicator.code, v.indicator.title);
    let demo = state.db.nyckeltal_has_demo_data().await?;
    let p = indicator_page_of(&v, PageCtx::anonymous(title.clone()), demo);
    let resp = render(&PublicIndicatorPage { ctx: PageCtx::anonymous(title), p })?;
    Ok(public_headers(&state, resp))
}

pub async fn public_indicator_file(
    State(state): State<AppState>,
    Path((ar, kod, fil)): Path<(String, String, String)>,
    Query(q): Query<FocusQuery>,
) -> AppResult<Response> {
    let v = public_indicator_view(&state, &ar, &kod, q.fokus.as_deref()).await?;
    let resp = indicator_file(&v, &fil)?;
    Ok(public_headers(&state, resp))
}

//! The landing page (`/nyckeltal`) and the infographic (`/nyckeltal/{ar}?fokus=`): tiles,
//! table, summary, and the rendered-body cache of published editions.

use super::*;

// Landing page

#[derive(Template)]
#[template(path = "nyckeltal_index.html")]
pub(super) struct IndexPage {
    pub(super) ctx: PageCtx,
    pub(super) editions: Vec<EditionMeta>,
    pub(super) focus_options: Vec<(String, String, bool)>,
    pub(super) demo: bool,
    pub(super) value_count: i64,
    pub(super) attribution: &'static str,
    pub(super) demo_note: &'static str,
    pub(super) default_focus: String,
}

pub async fn index(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<FocusQuery>,
) -> AppResult<Response> {
    let names = Names::load(&state).await?;
    let editions = state.db.nyckeltal_editions().await?;
    render(&IndexPage {
        ctx: PageCtx::new("Nyckeltal och infografik", "nyckeltal", &user)
            .with_flash(flash_message(q.ok.as_deref())),
        focus_options: names.focus_options(names.county()),
        default_focus: names.county().to_string(),
        editions,
        demo: state.db.nyckeltal_has_demo_data().await?,
        value_count: state.db.nyckeltal_value_count().await?,
        attribution: ATTRIBUTION,
        demo_note: DEMO_NOTE,
    })
}

// ---------------------------------------------------------------------------------------------
// Infographic

#[derive(Template)]
#[template(path = "nyckeltal_infografik.html")]
pub(super) struct InfographicPage {
    pub(super) ctx: PageCtx,
    pub(super) year: i32,
    pub(super) published: bool,
    pub(super) edition_label: String,
    pub(super) previous_year: Option<i64>,
    pub(super) focus: String,
    pub(super) focus_name: String,
    pub(super) focus_options: Vec<(String, String, bool)>,
    pub(super) years: Vec<(i64, bool)>,
    /// Summary, tiles and table ([`InfographicBody`]), already rendered.
    pub(super) body: Arc<str>,
    pub(super) demo: bool,
    pub(super) demo_note: &'static str,
    /// Alternative text of the one-page infographic image.
    pub(super) image_alt: String,
}

/// The infographic's summary, tiles and table: the expensive part of the page (evaluation of
/// every indicator against all organisations, some hundred tiles and table rows).
#[derive(Template)]
#[template(path = "nyckeltal_infografik_innehall.html")]
pub(super) struct InfographicBody<'a> {
    pub(super) year: i32,
    pub(super) published: bool,
    pub(super) focus: &'a str,
    pub(super) focus_name: &'a str,
    pub(super) groups: Vec<SubgoalGroup>,
    pub(super) paragraph: Vec<String>,
    pub(super) neutral_note: &'static str,
    pub(super) attribution: &'static str,
}

/// Everything a rendered [`InfographicBody`] of a *published* edition depends on. The edition's
/// content and year are frozen under its uid, and what "not updated" compares with is frozen
/// under the previous edition's uid; the two remaining inputs that live in mutable tables — the
/// focus organisation's name (registry) and the sub-goal names — are part of the key. So a
/// cached body is exactly what rendering would give now, on every instance: an edit on another
/// instance changes the key, never the meaning of an entry, and needs no invalidation.
/// Previews of unpublished years (uid empty) are never cached: their values may change.
#[derive(PartialEq, Eq, Hash)]
pub(super) struct BodyKey {
    pub(super) edition: String,
    pub(super) previous: String,
    pub(super) focus: String,
    pub(super) focus_name: String,
    pub(super) subgoals: Vec<(u8, String)>,
}

/// Rendered bodies of published editions (see [`BodyKey`]). Bounded: cleared when full (a
/// county has some 20 focus organisations per edition, any four-digit code can be asked for;
/// an entry is some 40 kB).
pub(super) fn body_cache() -> &'static Mutex<HashMap<BodyKey, Arc<str>>> {
    static CACHE: OnceLock<Mutex<HashMap<BodyKey, Arc<str>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}
pub(super) const BODY_CACHE_ENTRIES: usize = 256;

/// The rendered summary, tiles and table for a focus organisation: from the cache for a
/// published edition, else evaluated and rendered (and cached when published). Misses of
/// published bodies are rendered one at a time, so a burst of requests right after a start
/// renders each body once instead of once per request.
pub(super) async fn infographic_body(
    edition: &Edition,
    focus: &str,
    focus_name: &str,
    subgoals: &[(u8, String)],
) -> AppResult<Arc<str>> {
    if !edition.is_published() {
        return render_infographic_body(edition, focus, focus_name, subgoals);
    }
    let key = BodyKey {
        edition: edition.meta.uid.clone(),
        previous: edition.previous_uid.clone(),
        focus: focus.to_string(),
        focus_name: focus_name.to_string(),
        subgoals: subgoals.to_vec(),
    };
    let cached = |key: &BodyKey| body_cache().lock().ok().and_then(|c| c.get(key).cloned());
    if let Some(hit) = cached(&key) {
        return Ok(hit);
    }
    static RENDERING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _rendering = RENDERING.lock().await;
    if let Some(hit) = cached(&key) {
        return Ok(hit);
    }
    let html = render_infographic_body(edition, focus, focus_name, subgoals)?;
    if let Ok(mut cache) = body_cache().lock() {
        if cache.len() >= BODY_CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(key, html.clone());
    }
    Ok(html)
}

/// Evaluates and renders the body (no cache).
pub(super) fn render_infographic_body(
    edition: &Edition,
    focus: &str,
    focus_name: &str,
    subgoals: &[(u8, String)],
) -> AppResult<Arc<str>> {
    let year = edition.year();
    let eval = edition.evaluate(focus);
    let summary = gnv_core::nyckeltal::summarize(&eval);
    Ok(InfographicBody {
        year,
        published: edition.is_published(),
        focus,
        focus_name,
        groups: groups(edition, &eval, subgoals),
        paragraph: gnv_core::nyckeltal::summary_paragraph(&summary, year, focus_name),
        neutral_note: NEUTRAL_NOTE,
        attribution: ATTRIBUTION,
    }
    .render()?
    .into())
}

pub async fn infographic(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ar): Path<String>,
    Query(q): Query<FocusQuery>,
) -> AppResult<Response> {
    let year = Year::parse(&ar)?;
    // Registry, editions, sub-goals and the demo flag as of one data version: one query when
    // nothing was written since the last request (see gnv_storage::cache).
    let v = state.db.data_version().await?;
    let names = Names::at(&state, v).await?;
    let focus = focus_of(q.fokus.as_deref(), &names)?;
    if let Some(chosen) = q.ar.as_deref().filter(|a| *a != ar) {
        let chosen = Year::parse(chosen)?;
        return Ok(Redirect::to(&format!("/nyckeltal/{chosen}?fokus={focus}")).into_response());
    }
    let editions = state.db.nyckeltal_editions_at(v).await?;
    let edition = state.db.nyckeltal_edition_for_focus(year, &editions, &focus).await?;
    let names = names.of_edition(&state, &edition).await?;
    let subgoals = subgoal_names_at(&state, v).await;
    let focus_name = names.name(&focus);
    let body = infographic_body(&edition, &focus, &focus_name, &subgoals).await?;
    let mut years: Vec<(i64, bool)> = editions.iter().map(|e| (e.year, e.year == year as i64)).collect();
    if !years.iter().any(|y| y.1) {
        years.push((year as i64, true));
        years.sort_by_key(|y| std::cmp::Reverse(y.0));
    }
    let image_alt = infographic_alt(year, &focus_name);
    render(&InfographicPage {
        ctx: PageCtx::new(format!("Infografik {year} – {focus_name}"), "nyckeltal", &user)
            .with_flash(flash_message(q.ok.as_deref())),
        year,
        published: edition.is_published(),
        edition_label: edition_label(&edition),
        previous_year: edition.previous.as_ref().map(|p| p.0),
        focus_options: names.focus_options(&focus),
        body,
        focus,
        focus_name,
        years,
        demo: state.db.nyckeltal_has_demo_data_at(v).await?,
        demo_note: DEMO_NOTE,
        image_alt,
    })
}

pub(super) fn infographic_table(edition: &Edition, focus: &str) -> (Vec<String>, Vec<Vec<Cell>>) {
    let header: Vec<String> =
        ["Kod", "Nyckeltal", "Kön", "Värde", "Enhet", "År", "Förändring", "Jämförelse", "Status"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    let mut rows = Vec::new();
    let eval = edition.evaluate(focus);
    for ind in edition.catalogue().indicators() {
        let t = tile(ind, eval.get(ind.code));
        if t.lines.is_empty() {
            rows.push(vec![
                Cell::text(t.code.clone()),
                Cell::text(t.title.clone()),
                Cell::Empty,
                Cell::Empty,
                Cell::text(t.unit.clone()),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::text(t.status),
            ]);
        }
        for l in &t.lines {
            rows.push(vec![
                Cell::text(t.code.clone()),
                Cell::text(t.title.clone()),
                Cell::text(l.gender),
                l.raw_value.map(|v| Cell::Number(v, t.decimals as usize)).unwrap_or(Cell::Empty),
                Cell::text(t.unit.clone()),
                Cell::text(l.period.clone()),
                Cell::text(format!("{} {}", l.arrow, l.change).trim().to_string()),
                Cell::text(l.colour_text.clone()),
                Cell::text(t.status),
            ]);
        }
    }
    (header, rows)
}

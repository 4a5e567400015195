//! The catalogue administration (`/nyckeltal/admin…`): publish, import (Kolada JSON, CSV/XLSX),
//! the raw documents of an import, the catalogue as TOML and the indicator form.

use super::*;

// Administration

/// A catalogue row on the admin page.
pub struct CatalogueRow {
    pub code: String,
    pub title: String,
    pub status: &'static str,
    pub direction: &'static str,
    pub sources: String,
    pub split: &'static str,
    pub group: String,
}

#[derive(Template)]
#[template(path = "nyckeltal_admin.html")]
pub(super) struct AdminPage {
    pub(super) ctx: PageCtx,
    pub(super) editions: Vec<EditionMeta>,
    pub(super) imports: Vec<ImportRow>,
    pub(super) catalogue: Vec<CatalogueRow>,
    pub(super) catalogue_stored: bool,
    pub(super) warnings: Vec<String>,
    pub(super) error: Option<String>,
    pub(super) report: Option<String>,
    pub(super) suggested_year: i32,
    pub(super) value_count: i64,
    pub(super) kpi: super::kpi::KpiSection,
}

pub(super) async fn admin_page(
    state: &AppState,
    user: &CurrentUser,
    error: Option<String>,
    report: Option<String>,
    flash: Option<String>,
) -> AppResult<Response> {
    admin_page_kpi(state, user, error, report, flash, &Default::default()).await
}

/// The admin page with the KPI search's section in the state `kpi` asks for.
pub(super) async fn admin_page_kpi(
    state: &AppState,
    user: &CurrentUser,
    error: Option<String>,
    report: Option<String>,
    flash: Option<String>,
    kpi: &super::kpi::KpiQuery,
) -> AppResult<Response> {
    let catalogue = state.db.nyckeltal_catalogue().await?;
    let editions = state.db.nyckeltal_editions().await?;
    let suggested_year = editions
        .first()
        .map(|e| e.year as i32 + 1)
        .unwrap_or_else(|| chrono::Utc::now().format("%Y").to_string().parse().unwrap_or(2025));
    let rows = catalogue
        .indicators()
        .iter()
        .map(|i| CatalogueRow {
            code: i.code.to_string(),
            title: i.title.clone(),
            status: i.status.label(),
            direction: i.direction.label(),
            sources: if i.sources.is_empty() {
                "–".into()
            } else {
                i.sources.iter().map(|s| s.as_str().to_string()).collect::<Vec<_>>().join(", ")
            },
            split: if i.split_by_sex { "ja" } else { "nej" },
            group: i.comparison_group.label(),
        })
        .collect();
    let kpi = super::kpi::section(state, &catalogue, kpi).await?;
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let mut resp = render(&AdminPage {
        kpi,
        ctx: PageCtx::new("Nyckeltal – administration", "nyckeltal", user).with_flash(flash),
        warnings: catalogue.shape_warnings(),
        catalogue: rows,
        catalogue_stored: state.db.nyckeltal_catalogue_is_stored().await?,
        imports: state.db.nyckeltal_imports(20).await?,
        value_count: state.db.nyckeltal_value_count().await?,
        editions,
        error,
        report,
        suggested_year,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

pub async fn admin(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<FocusQuery>,
) -> AppResult<Response> {
    admin_page(&state, &user, None, None, flash_message(q.ok.as_deref())).await
}

/// The publish form: the edition's year.
#[derive(Deserialize)]
pub struct PublishForm {
    #[serde(rename = "ar")]
    year: String,
}

pub async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<PublishForm>,
) -> AppResult<Response> {
    let year = match form.year.parse::<i32>() {
        Ok(y) if (1990..=2100).contains(&y) => y,
        _ => {
            return admin_page(&state, &user, Some("Ange utgåvans år, t.ex. 2025.".into()), None, None).await
        }
    };
    match state.db.nyckeltal_publish(year, &user.actor()).await {
        Ok(_) => Ok(Redirect::to(&format!("/nyckeltal/{year}?ok=publicerad")).into_response()),
        Err(gnv_storage::StorageError::Invalid(m)) | Err(gnv_storage::StorageError::Conflict(m)) => {
            admin_page(&state, &user, Some(m), None, None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn read_files(mut multipart: Multipart, field: &str) -> AppResult<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    while let Some(f) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("Uppladdningen kunde inte läsas.".into()))?
    {
        if f.name() != Some(field) {
            continue;
        }
        let name = f.file_name().unwrap_or("fil").to_string();
        let bytes = f.bytes().await.map_err(|_| AppError::BadRequest("Filen kunde inte läsas.".into()))?;
        if !bytes.is_empty() {
            files.push((name, bytes.to_vec()));
        }
    }
    Ok(files)
}

/// Imports uploaded files: `.json` = saved Kolada v3 data pages (several at once), `.csv` /
/// `.xlsx` = manual values. All files in one all-or-nothing import.
pub async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    multipart: Multipart,
) -> AppResult<Response> {
    let files = read_files(multipart, "filer").await?;
    match import_files(&state, &user, files).await {
        Ok(summary) => admin_page(&state, &user, None, Some(summary), Some("Importen är klar.".into())).await,
        Err(msg) => {
            admin_page(&state, &user, Some(format!("{msg}\nInget har importerats.")), None, None).await
        }
    }
}

pub(super) async fn import_files(
    state: &AppState,
    user: &CurrentUser,
    files: Vec<(String, Vec<u8>)>,
) -> Result<String, String> {
    if files.is_empty() {
        return Err("Välj minst en fil att importera.".into());
    }
    let catalogue = state.db.nyckeltal_catalogue().await.map_err(|e| e.to_string())?;
    let json = files.iter().all(|(n, _)| n.to_lowercase().ends_with(".json"));
    let (mut batch, raw, source) = if json {
        let mut docs = Vec::new();
        for (n, b) in files {
            let text = String::from_utf8(b).map_err(|_| format!("fil {n}: filen är inte UTF-8-text."))?;
            docs.push((n, text));
        }
        let (batch, raw) = gnv_kolada::files::load_texts(docs, &catalogue).map_err(|e| e.to_string())?;
        (batch, raw, "kolada-fil")
    } else if files.len() == 1 {
        let (n, b) = files.into_iter().next().ok_or("Ingen fil.")?;
        let batch = gnv_kolada::manual::parse_file(&n, &b, &catalogue).map_err(|e| e.to_string())?;
        let body = if n.to_lowercase().ends_with(".csv") {
            String::from_utf8_lossy(&b).into_owned()
        } else {
            format!("(Excel-fil, {} byte)", b.len())
        };
        (batch, vec![RawDoc { name: n, body: RawBody::Text(body) }], "egen")
    } else {
        return Err(
            "Ladda upp antingen en eller flera Kolada-filer (.json) eller en CSV-/Excel-fil med egna värden."
                .into(),
        );
    };
    let names: Vec<String> = raw.iter().map(|d| d.name.clone()).collect();
    let meta = ImportMeta {
        source: source.into(),
        description: format!("Uppladdat: {}", names.join(", ")),
        fetched_at: None,
    };
    let report =
        state.db.nyckeltal_import(&mut batch, &raw, &meta, &user.actor()).await.map_err(|e| e.to_string())?;
    Ok(report.summary())
}

/// A raw document in the list of an import.
pub struct RawDocRow {
    pub id: i64,
    /// 1-based position in the import.
    pub number: usize,
    pub name: String,
    pub size: String,
    pub filename: String,
}

#[derive(Template)]
#[template(path = "nyckeltal_import.html")]
pub(super) struct ImportDocsPage {
    pub(super) ctx: PageCtx,
    pub(super) import: ImportRow,
    pub(super) added: String,
    pub(super) changed: String,
    pub(super) skipped: String,
    pub(super) docs: Vec<RawDocRow>,
}

pub(super) fn parse_id(s: &str) -> AppResult<i64> {
    s.parse::<i64>().ok().filter(|i| *i > 0).ok_or_else(AppError::not_found)
}

/// A safe download name for a raw document: the file name it was read from, or for a Kolada
/// response (a URL) `kolada-{import}-{nr}.json`.
pub(super) fn raw_filename(import_id: i64, number: usize, name: &str) -> String {
    let base = if name.contains("://") {
        String::new()
    } else {
        name.rsplit(['/', '\\']).next().unwrap_or("").to_string()
    };
    let clean: String = base
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .collect();
    let clean = clean.trim_start_matches('.').to_string();
    if clean.is_empty() {
        format!("kolada-{import_id}-{number}.json")
    } else {
        clean
    }
}

pub(super) fn raw_content_type(filename: &str) -> &'static str {
    let lower = filename.to_lowercase();
    if lower.ends_with(".json") {
        "application/json; charset=utf-8"
    } else if lower.ends_with(".csv") {
        "text/csv; charset=utf-8"
    } else {
        "text/plain; charset=utf-8"
    }
}

/// `GET /nyckeltal/admin/import/{id}`: an import and its raw documents, each downloadable.
pub async fn import_documents(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let import = state.db.nyckeltal_import_row(id).await?.ok_or_else(AppError::not_found)?;
    let docs = state
        .db
        .nyckeltal_raw_document_list(id)
        .await?
        .into_iter()
        .enumerate()
        .map(|(i, d)| RawDocRow {
            id: d.id,
            number: i + 1,
            filename: raw_filename(id, i + 1, &d.name),
            name: d.name,
            size: gnv_core::format::integer(d.size),
        })
        .collect();
    use gnv_core::format::integer;
    render(&ImportDocsPage {
        ctx: PageCtx::new(format!("Import {id}: råa dokument"), "nyckeltal", &user),
        added: integer(import.added),
        changed: integer(import.changed),
        skipped: integer(import.skipped),
        import,
        docs,
    })
}

/// `GET /nyckeltal/admin/import/{id}/{dok}`: one raw document exactly as it was read.
pub async fn import_document(
    State(state): State<AppState>,
    Path((id, dok)): Path<(String, String)>,
) -> AppResult<Response> {
    let (id, dok) = (parse_id(&id)?, parse_id(&dok)?);
    let list = state.db.nyckeltal_raw_document_list(id).await?;
    let number = list.iter().position(|d| d.id == dok).ok_or_else(AppError::not_found)? + 1;
    let (name, body) = state.db.nyckeltal_raw_document(id, dok).await?.ok_or_else(AppError::not_found)?;
    let filename = raw_filename(id, number, &name);
    Ok(file_response(raw_content_type(&filename), &filename, body.into_bytes(), true))
}

pub async fn catalogue_toml(State(state): State<AppState>) -> AppResult<Response> {
    let cat = state.db.nyckeltal_catalogue().await?;
    Ok(file_response(
        "application/toml; charset=utf-8",
        "nyckeltalskatalog.toml",
        gnv_core::nyckeltal::to_toml(&cat).into_bytes(),
        true,
    ))
}

pub async fn catalogue_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    multipart: Multipart,
) -> AppResult<Response> {
    let files = read_files(multipart, "katalog").await?;
    let Some((name, bytes)) = files.into_iter().next() else {
        return admin_page(&state, &user, Some("Välj en TOML-fil med katalogen.".into()), None, None).await;
    };
    let parsed = std::str::from_utf8(&bytes)
        .map_err(|_| "Filen är inte UTF-8-text.".to_string())
        .and_then(|t| gnv_core::nyckeltal::parse_toml(t).map_err(|e| e.with_file(&name).to_string()));
    match parsed {
        Ok(cat) => {
            state.db.nyckeltal_replace_catalogue(&cat, &user.actor()).await?;
            Ok(Redirect::to("/nyckeltal/admin?ok=sparat").into_response())
        }
        Err(msg) => {
            admin_page(&state, &user, Some(format!("{msg}\nKatalogen har inte ändrats.")), None, None).await
        }
    }
}

#[derive(Template)]
#[template(path = "nyckeltal_katalog_redigera.html")]
pub(super) struct IndicatorForm {
    pub(super) ctx: PageCtx,
    pub(super) ind: Indicator,
    pub(super) sources: String,
    pub(super) named_group: String,
    pub(super) named_codes: String,
    pub(super) group_kind: &'static str,
    pub(super) error: Option<String>,
}

pub(super) fn form_page(user: &CurrentUser, ind: Indicator, error: Option<String>) -> AppResult<Response> {
    let (group_kind, named_group, named_codes) = match &ind.comparison_group {
        ComparisonGroup::AllMunicipalities => ("alla_kommuner", String::new(), String::new()),
        ComparisonGroup::AllRegions => ("alla_regioner", String::new(), String::new()),
        ComparisonGroup::Named { name, codes } => ("namngiven", name.clone(), codes.join(", ")),
    };
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let mut resp = render(&IndicatorForm {
        ctx: PageCtx::new(format!("Redigera nyckeltal {}", ind.code), "nyckeltal", user),
        sources: ind.sources.iter().map(|s| s.as_str().to_string()).collect::<Vec<_>>().join(", "),
        ind,
        named_group,
        named_codes,
        group_kind,
        error,
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

pub(super) async fn find_indicator(state: &AppState, kod: &str) -> AppResult<(Catalogue, Indicator)> {
    let code: IndicatorCode = kod.parse().map_err(|_| AppError::not_found())?;
    let cat = state.db.nyckeltal_catalogue().await?;
    let ind = cat.get(code).cloned().ok_or_else(AppError::not_found)?;
    Ok((cat, ind))
}

pub async fn indicator_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(kod): Path<String>,
) -> AppResult<Response> {
    let (_, ind) = find_indicator(&state, &kod).await?;
    form_page(&user, ind, None)
}

/// What the indicator edit form (`nyckeltal_katalog_redigera.html`) posts.
#[derive(Deserialize)]
pub struct IndicatorFields {
    titel: String,
    enhet: String,
    beskrivning: String,
    decimaler: String,
    riktning: String,
    status: String,
    niva: String,
    konsuppdelad: String,
    kallor: String,
    jamforelsegrupp: String,
    gruppnamn: String,
    gruppkoder: String,
}

pub(super) fn parse_indicator_form(mut ind: Indicator, f: &IndicatorFields) -> Result<Indicator, String> {
    let err = |e: AppError| match e {
        AppError::BadRequest(m) => m,
        _ => "Formuläret kunde inte läsas.".into(),
    };
    ind.title = required(&f.titel, "Titel", 300).map_err(err)?;
    ind.unit = required(&f.enhet, "Enhet", 100).map_err(err)?;
    ind.description = optional(&f.beskrivning, "Beskrivning", 2000).map_err(err)?;
    ind.decimals =
        f.decimaler.parse::<u8>().map_err(|_| "Fältet ”Decimaler” ska vara ett heltal 0–4.".to_string())?;
    ind.direction = match f.riktning.as_str() {
        "hogre_ar_battre" => Direction::HigherIsBetter,
        "lagre_ar_battre" => Direction::LowerIsBetter,
        "ingen" => Direction::None,
        _ => return Err("Välj riktning.".into()),
    };
    ind.status = match f.status.as_str() {
        "aktiv" => IndicatorStatus::Active,
        "under_utveckling" => IndicatorStatus::UnderDevelopment,
        _ => return Err("Välj status.".into()),
    };
    ind.level = match f.niva.as_str() {
        "kommun" => Level::Municipality,
        "region" => Level::Region,
        _ => return Err("Välj organisationsnivå.".into()),
    };
    ind.split_by_sex = f.konsuppdelad == "ja";
    let mut sources = Vec::new();
    for s in f.kallor.split([',', ' ']).map(str::trim).filter(|s| !s.is_empty()) {
        sources.push(Source::parse(s).map_err(|e| format!("Fältet ”Källor”: {e}"))?);
    }
    ind.sources = sources;
    ind.comparison_group = match f.jamforelsegrupp.as_str() {
        "alla_kommuner" => ComparisonGroup::AllMunicipalities,
        "alla_regioner" => ComparisonGroup::AllRegions,
        "namngiven" => ComparisonGroup::Named {
            name: required(&f.gruppnamn, "Gruppens namn", 100).map_err(err)?,
            codes: f
                .gruppkoder
                .split([',', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        },
        _ => return Err("Välj jämförelsegrupp.".into()),
    };
    Ok(ind)
}

pub async fn indicator_save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(kod): Path<String>,
    Form(form): Form<IndicatorFields>,
) -> AppResult<Response> {
    let (_, ind) = find_indicator(&state, &kod).await?;
    let edited = match parse_indicator_form(ind.clone(), &form) {
        Ok(i) => i,
        Err(msg) => return form_page(&user, ind, Some(msg)),
    };
    match state.db.nyckeltal_save_indicator(edited.clone(), &user.actor()).await {
        Ok(()) => Ok(Redirect::to("/nyckeltal/admin?ok=sparat").into_response()),
        Err(gnv_storage::StorageError::Invalid(m)) => form_page(&user, edited, Some(m)),
        Err(e) => Err(e.into()),
    }
}

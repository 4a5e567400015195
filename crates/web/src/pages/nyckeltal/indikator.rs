//! One indicator's page (`/nyckeltal/{ar}/{nyckeltal}`) and the downloads: the indicator's
//! charts and data, and the one-page infographic as SVG, PNG or PDF (cached for published editions).

use super::*;

// Indicator page and downloads

pub(super) struct IndicatorView {
    pub(super) edition: Edition,
    pub(super) indicator: Indicator,
    pub(super) focus: String,
    pub(super) names: Names,
}

pub(super) async fn indicator_view(
    state: &AppState,
    ar: &str,
    kod: &str,
    fokus: Option<&str>,
) -> AppResult<IndicatorView> {
    let year = Year::parse(ar)?;
    let names = Names::load(state).await?;
    let focus = focus_of(fokus, &names)?;
    let code: IndicatorCode =
        kod.parse().map_err(|_| AppError::NotFound(format!("\"{kod}\" är ingen nyckeltalskod.")))?;
    let edition = state.db.nyckeltal_edition_or_preview(year).await?;
    let names = names.of_edition(state, &edition).await?;
    indicator_view_of(edition, code, focus, names)
}

/// The view of one indicator of a loaded edition.
pub(super) fn indicator_view_of(
    edition: Edition,
    code: IndicatorCode,
    focus: String,
    names: Names,
) -> AppResult<IndicatorView> {
    let year = edition.year();
    let indicator = edition
        .catalogue()
        .get(code)
        .cloned()
        .ok_or_else(|| AppError::NotFound(format!("Nyckeltal {code} finns inte i utgåvan {year}.")))?;
    Ok(IndicatorView { edition, indicator, focus, names })
}

impl IndicatorView {
    fn value_at(&self, org: &str, g: Gender, period: i32) -> Option<f64> {
        self.edition
            .data()
            .series(self.indicator.code, org, g)
            .iter()
            .find(|(p, _)| p.0 == period)
            .and_then(|(_, v)| v.number())
    }

    /// The organisations of the trend: focus, county, country (without duplicates).
    fn trend_orgs(&self) -> Vec<String> {
        let mut out = vec![self.focus.clone()];
        for o in [self.names.county().to_string(), "0000".to_string()] {
            if !out.contains(&o) {
                out.push(o);
            }
        }
        out
    }

    fn periods(&self) -> Vec<i32> {
        let mut set = BTreeSet::new();
        for (org, g) in self.trend_lines() {
            for (p, _) in self.edition.data().series(self.indicator.code, &org, g) {
                set.insert(p.0);
            }
        }
        set.into_iter().collect()
    }

    /// The sexes shown separately: women and men where the indicator is split by sex.
    fn sexes(&self) -> &'static [Gender] {
        if self.indicator.split_by_sex {
            &[Gender::K, Gender::M]
        } else {
            &[]
        }
    }

    /// The lines of the trend: the total for focus, county and country, then the focus's
    /// women and men where the indicator is split by sex.
    fn trend_lines(&self) -> Vec<(String, Gender)> {
        let mut out: Vec<(String, Gender)> = self.trend_orgs().into_iter().map(|o| (o, Gender::T)).collect();
        out.extend(self.sexes().iter().map(|g| (self.focus.clone(), *g)));
        out
    }

    /// The name of a trend line: the organisation, with the sex for women and men.
    fn line_name(&self, org: &str, g: Gender) -> String {
        match g {
            Gender::T => self.names.name(org),
            _ => format!("{}, {}", self.names.name(org), g.label()),
        }
    }

    /// The columns of the comparison: the total, and women and men where split by sex.
    fn comparison_genders(&self) -> Vec<Gender> {
        let mut out = vec![Gender::T];
        out.extend(self.sexes());
        out
    }

    fn trend_chart(&self) -> LineChart {
        let periods = self.periods();
        let series = self
            .trend_lines()
            .iter()
            .map(|(o, g)| Series {
                name: self.line_name(o, *g),
                values: periods.iter().map(|p| self.value_at(o, *g, *p)).collect(),
            })
            .collect();
        LineChart {
            title: format!("{} {} – utveckling över tid", self.indicator.code, self.indicator.title),
            description: format!(
                "Linjediagram över {} för {}, länet och riket{}, år {}. Samma data finns i tabellen.",
                self.indicator.unit,
                self.names.name(&self.focus),
                if self.sexes().is_empty() { "" } else { " samt kvinnor och män i fokus" },
                match (periods.first(), periods.last()) {
                    (Some(a), Some(b)) => format!("{a}–{b}"),
                    _ => "saknas".into(),
                }
            ),
            unit: self.indicator.unit.clone(),
            x_labels: periods.iter().map(|p| p.to_string()).collect(),
            series,
            decimals: self.indicator.decimals as usize,
            width: 720,
            height: 360,
        }
    }

    /// The period compared across the municipalities: the newest with any municipal value.
    fn comparison_period(&self) -> Option<i32> {
        let genders = self.comparison_genders();
        self.names
            .municipalities_by_name()
            .iter()
            .flat_map(|(c, _)| genders.iter().map(move |g| (c.clone(), *g)))
            .filter_map(|(c, g)| {
                self.edition
                    .data()
                    .series(self.indicator.code, &c, g)
                    .iter()
                    .rev()
                    .find(|(_, v)| v.number().is_some())
                    .map(|(p, _)| p.0)
            })
            .max()
    }

    /// The bars of the comparison: one per municipality, or where the indicator is split by
    /// sex one for women and one for men per municipality (labelled, not told apart by colour).
    fn comparison_chart(&self) -> BarChart {
        let period = self.comparison_period();
        let bar_genders: Vec<Gender> =
            if self.sexes().is_empty() { vec![Gender::T] } else { self.sexes().to_vec() };
        let mut bars = Vec::new();
        for (code, _) in self.names.municipalities_by_name() {
            for &g in &bar_genders {
                bars.push(Bar {
                    value: period.and_then(|p| self.value_at(&code, g, p)),
                    highlight: code == self.focus,
                    label: self.line_name(&code, g),
                });
            }
        }
        let mut references = Vec::new();
        if let Some(p) = period {
            for o in [self.names.county().to_string(), "0000".to_string()] {
                for &g in &bar_genders {
                    if let Some(v) = self.value_at(&o, g, p) {
                        references.push(Reference { label: self.line_name(&o, g), value: v });
                    }
                }
            }
        }
        BarChart {
            title: format!(
                "{} {} – länets kommuner {}{}",
                self.indicator.code,
                self.indicator.title,
                period.map(|p| p.to_string()).unwrap_or_default(),
                if self.sexes().is_empty() { "" } else { ", kvinnor och män" }
            ),
            description: if self.sexes().is_empty() {
                "Stapeldiagram över länets kommuner i bokstavsordning (ingen rangordning), med länet och riket som referenslinjer. Samma data finns i tabellen.".into()
            } else {
                "Stapeldiagram över länets kommuner i bokstavsordning (ingen rangordning), en stapel för kvinnor och en för män per kommun, med länet och riket för kvinnor och män som referenslinjer. Samma data finns i tabellen.".into()
            },
            unit: self.indicator.unit.clone(),
            bars,
            references,
            decimals: self.indicator.decimals as usize,
            horizontal: true,
            range: None,
            width: 720,
        }
    }

    fn fmt(&self, v: Option<f64>) -> String {
        v.map(|x| self.indicator.format_value(x)).unwrap_or_else(|| "–".into())
    }

    fn data_sheet(&self) -> (Vec<String>, Vec<Vec<Cell>>) {
        let header: Vec<String> = ["Organisation", "Kod", "År", "Kön", "Värde", "Saknas (Kolada-kod)"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut orgs = self.trend_orgs();
        for (c, _) in self.names.municipalities_by_name() {
            if !orgs.contains(&c) {
                orgs.push(c);
            }
        }
        let mut rows = Vec::new();
        for org in &orgs {
            for &g in gnv_core::nyckeltal::varde::evaluated_genders(self.indicator.split_by_sex) {
                for (p, v) in self.edition.data().series(self.indicator.code, org, g) {
                    rows.push(vec![
                        Cell::text(self.names.name(org)),
                        Cell::text(org.clone()),
                        Cell::Integer(p.0 as i64),
                        Cell::text(gender_label(g)),
                        v.number()
                            .map(|x| Cell::Number(x, self.indicator.decimals as usize))
                            .unwrap_or(Cell::Empty),
                        Cell::text(
                            v.code()
                                .map(|c| format!("{c} {}", v.missing_label().unwrap_or("")))
                                .unwrap_or_default(),
                        ),
                    ]);
                }
            }
        }
        (header, rows)
    }
}

/// A row of the comparison table: an organisation and its values (total, or total, women, men).
pub struct ComparisonRow {
    pub name: String,
    pub cells: Vec<String>,
    pub focus: bool,
}

/// A row of the trend table: year, then one cell per organisation.
pub struct TrendRow {
    pub year: String,
    pub cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "nyckeltal_indikator.html")]
pub(super) struct IndicatorPage {
    pub(super) ctx: PageCtx,
    pub(super) year: i32,
    pub(super) published: bool,
    pub(super) code: String,
    pub(super) indicator: Indicator,
    pub(super) focus: String,
    pub(super) focus_name: String,
    pub(super) tile: Tile,
    pub(super) trend_orgs: Vec<String>,
    pub(super) trend_rows: Vec<TrendRow>,
    pub(super) comparison_period: String,
    pub(super) comparison_columns: Vec<&'static str>,
    pub(super) comparison_rows: Vec<ComparisonRow>,
    pub(super) reference_rows: Vec<ComparisonRow>,
    pub(super) split: bool,
    pub(super) kolada_ids: String,
    pub(super) group_label: String,
    pub(super) level_label: &'static str,
    pub(super) demo: bool,
    pub(super) demo_note: &'static str,
    pub(super) neutral_note: &'static str,
    pub(super) attribution: &'static str,
    pub(super) trend_alt: String,
    pub(super) comparison_alt: String,
}

pub async fn indicator_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((ar, kod)): Path<(String, String)>,
    Query(q): Query<FocusQuery>,
) -> AppResult<Response> {
    let v = indicator_view(&state, &ar, &kod, q.fokus.as_deref()).await?;
    let ctx = PageCtx::new(format!("{} {}", v.indicator.code, v.indicator.title), "nyckeltal", &user);
    let demo = state.db.nyckeltal_has_demo_data().await?;
    render(&indicator_page_of(&v, ctx, demo))
}

/// The indicator page's content (shared by the logged-in and the public page).
pub(super) fn indicator_page_of(v: &IndicatorView, ctx: PageCtx, demo: bool) -> IndicatorPage {
    let eval = v.edition.evaluate(&v.focus);
    let t = tile(&v.indicator, eval.get(v.indicator.code));
    let periods = v.periods();
    let trend_lines = v.trend_lines();
    let trend_rows = periods
        .iter()
        .map(|p| TrendRow {
            year: p.to_string(),
            cells: trend_lines.iter().map(|(o, g)| v.fmt(v.value_at(o, *g, *p))).collect(),
        })
        .collect();
    let cp = v.comparison_period();
    let genders = v.comparison_genders();
    let cells = |org: &str| -> Vec<String> {
        genders.iter().map(|g| v.fmt(cp.and_then(|p| v.value_at(org, *g, p)))).collect()
    };
    let comparison_rows = v
        .names
        .municipalities_by_name()
        .into_iter()
        .map(|(c, n)| ComparisonRow { cells: cells(&c), focus: c == v.focus, name: n })
        .collect();
    let reference_rows = match cp {
        Some(_) => [v.names.county().to_string(), "0000".to_string()]
            .iter()
            .map(|o| ComparisonRow { name: v.names.name(o), cells: cells(o), focus: false })
            .collect(),
        None => Vec::new(),
    };
    let comparison_columns: Vec<&'static str> =
        if genders.len() == 1 { vec!["Värde"] } else { genders.iter().map(|g| gender_label(*g)).collect() };
    let ind = &v.indicator;
    let kolada_ids: Vec<String> = ind
        .sources
        .iter()
        .map(|s| match s {
            Source::Kolada(id) => id.to_string(),
            other => other.as_str().to_string(),
        })
        .collect();
    IndicatorPage {
        ctx,
        year: v.edition.year(),
        published: v.edition.is_published(),
        code: ind.code.to_string(),
        focus_name: v.names.name(&v.focus),
        trend_orgs: trend_lines.iter().map(|(o, g)| v.line_name(o, *g)).collect(),
        trend_rows,
        comparison_columns,
        split: ind.split_by_sex,
        comparison_period: cp.map(|p| p.to_string()).unwrap_or_else(|| "–".into()),
        comparison_rows,
        reference_rows,
        kolada_ids: if kolada_ids.is_empty() { "ej fastställt".into() } else { kolada_ids.join(", ") },
        group_label: ind.comparison_group.label(),
        level_label: match ind.level {
            Level::Municipality => "kommun",
            Level::Region => "region",
        },
        trend_alt: v.trend_chart().title,
        comparison_alt: v.comparison_chart().title,
        tile: t,
        focus: v.focus.clone(),
        indicator: ind.clone(),
        demo,
        demo_note: DEMO_NOTE,
        neutral_note: NEUTRAL_NOTE,
        attribution: ATTRIBUTION,
    }
}

pub(super) fn file_response(content_type: &str, filename: &str, body: Vec<u8>, attachment: bool) -> Response {
    if attachment {
        crate::shared::download(content_type, filename, body)
    } else {
        crate::shared::inline_file(content_type, filename, body)
    }
}

pub(super) fn with_bom_csv(header: &[String], rows: &[Vec<Cell>]) -> Vec<u8> {
    export::csv(header, rows).into_bytes()
}

/// `GET /nyckeltal/{ar}/{nyckeltal}/{fil}`: `trend.svg|png`, `jamforelse.svg|png`, `data.csv|xlsx`;
/// with `kod` = `tabell`, the infographic table as `data.csv|xlsx`.
/// The one-page infographic as SVG (landscape or stacked), PNG or PDF (A4 or A3 landscape).
pub(super) async fn infographic_download(
    state: &AppState,
    ar: &str,
    fokus: Option<&str>,
    fil: &str,
) -> AppResult<Response> {
    let year = Year::parse(ar)?;
    let v = state.db.data_version().await?;
    let names = Names::at(state, v).await?;
    let focus = focus_of(fokus, &names)?;
    let editions = state.db.nyckeltal_editions_at(v).await?;
    let edition = state.db.nyckeltal_edition_for_focus(year, &editions, &focus).await?;
    let subgoals = subgoal_names_at(state, v).await;
    let demo = state.db.nyckeltal_has_demo_data_at(v).await?;
    infographic_file(&edition, &focus, &names.name(&focus), &subgoals, demo, fil)
}

/// Renders one of the infographic's files (shared by the logged-in and the public routes).
/// A rendered infographic file: content type, file name, bytes, sent as attachment.
pub(super) type InfographicFile = (&'static str, String, Vec<u8>, bool);

/// Everything a rendered file of a *published* edition depends on (see [`BodyKey`]), plus the
/// demo flag it prints and the file asked for.
#[derive(PartialEq, Eq, Hash)]
pub(super) struct FileKey {
    pub(super) body: BodyKey,
    pub(super) demo: bool,
    pub(super) file: String,
}

/// Rendered infographic files of published editions (see [`FileKey`]); bounded, cleared when
/// full (a PNG is some hundred kB).
pub(super) fn file_cache() -> &'static Mutex<HashMap<FileKey, Arc<InfographicFile>>> {
    static CACHE: OnceLock<Mutex<HashMap<FileKey, Arc<InfographicFile>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}
pub(super) const FILE_CACHE_ENTRIES: usize = 64;
pub(super) const INFOGRAPHIC_FILES: [&str; 5] =
    ["infografik.svg", "infografik-stapel.svg", "infografik.png", "infografik.pdf", "infografik-a3.pdf"];

/// One of the infographic's files, from the cache for a published edition.
pub(super) fn infographic_file(
    edition: &Edition,
    focus: &str,
    focus_name: &str,
    subgoals: &[(u8, String)],
    demo: bool,
    fil: &str,
) -> AppResult<Response> {
    if !INFOGRAPHIC_FILES.contains(&fil) {
        return Err(AppError::not_found());
    }
    let respond = |f: &InfographicFile| file_response(f.0, &f.1, f.2.clone(), f.3);
    if !edition.is_published() {
        return Ok(respond(&render_infographic_file(edition, focus, focus_name, subgoals, demo, fil)?));
    }
    let key = FileKey {
        body: BodyKey {
            edition: edition.meta.uid.clone(),
            previous: edition.previous_uid.clone(),
            focus: focus.to_string(),
            focus_name: focus_name.to_string(),
            subgoals: subgoals.to_vec(),
        },
        demo,
        file: fil.to_string(),
    };
    if let Some(hit) = file_cache().lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(respond(&hit));
    }
    let f = Arc::new(render_infographic_file(edition, focus, focus_name, subgoals, demo, fil)?);
    if let Ok(mut cache) = file_cache().lock() {
        if cache.len() >= FILE_CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(key, f.clone());
    }
    Ok(respond(&f))
}

/// Renders one of the infographic's files (no cache).
pub(super) fn render_infographic_file(
    edition: &Edition,
    focus: &str,
    focus_name: &str,
    subgoals: &[(u8, String)],
    demo: bool,
    fil: &str,
) -> AppResult<InfographicFile> {
    let year = edition.year();
    let eval = edition.evaluate(focus);
    let model = infographic_model(edition, &eval, focus_name, subgoals, demo);
    let base = format!("infografik-{year}-{focus}");
    let landscape = || ig::infographic_svg(&model, ig::Layout::Landscape);
    match fil {
        "infografik.svg" => Ok(("image/svg+xml", format!("{base}.svg"), landscape().into_bytes(), false)),
        "infografik-stapel.svg" => Ok((
            "image/svg+xml",
            format!("{base}-stapel.svg"),
            ig::infographic_svg(&model, ig::Layout::Stacked).into_bytes(),
            false,
        )),
        "infografik.png" => {
            let png = chart::svg_to_png(&landscape(), 2.0).map_err(AppError::Internal)?;
            Ok(("image/png", format!("{base}.png"), png, true))
        }
        "infografik.pdf" | "infografik-a3.pdf" => {
            let date = edition
                .meta
                .published_at
                .get(..10)
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default());
            let pdf = gnv_render::dokument::pdf::svg_page_pdf(
                &model.title,
                &landscape(),
                &infographic_alt(year, focus_name),
                fil == "infografik-a3.pdf",
                date,
            )
            .map_err(|e| AppError::Internal(e.to_string()))?;
            let name = if fil == "infografik.pdf" { format!("{base}.pdf") } else { format!("{base}-a3.pdf") };
            Ok(("application/pdf", name, pdf, true))
        }
        _ => Err(AppError::not_found()),
    }
}

/// The alternative text of the infographic image.
pub(super) fn infographic_alt(year: i32, focus_name: &str) -> String {
    format!(
        "Infografik {year} för {focus_name}: nyckeltalen i de fem delmålen med värde, förändring och läget i jämförelse med andra. Samma uppgifter finns i sammanfattningen och tabellen nedan."
    )
}

pub async fn download(
    State(state): State<AppState>,
    Path((ar, kod, fil)): Path<(String, String, String)>,
    Query(q): Query<FocusQuery>,
) -> AppResult<Response> {
    if kod == "infografik" {
        return infographic_download(&state, &ar, q.fokus.as_deref(), &fil).await;
    }
    if kod == "tabell" {
        let year = Year::parse(&ar)?;
        let names = Names::load(&state).await?;
        let focus = focus_of(q.fokus.as_deref(), &names)?;
        let edition = state.db.nyckeltal_edition_or_preview(year).await?;
        let names = names.of_edition(&state, &edition).await?;
        let (header, rows) = infographic_table(&edition, &focus);
        let base = format!("infografik-{year}-{focus}");
        return match fil.as_str() {
            "data.csv" => Ok(file_response(
                "text/csv; charset=utf-8",
                &format!("{base}.csv"),
                with_bom_csv(&header, &rows),
                true,
            )),
            "data.xlsx" => {
                let mut sheet = Sheet::new(format!("Infografik {year}"), header, rows);
                sheet.notes = vec![
                    format!("{} – {}", edition_label(&edition), names.name(&focus)),
                    ATTRIBUTION.to_string(),
                ];
                let bytes = export::xlsx(&[sheet]).map_err(AppError::Internal)?;
                Ok(file_response(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    &format!("{base}.xlsx"),
                    bytes,
                    true,
                ))
            }
            _ => Err(AppError::not_found()),
        };
    }
    let v = indicator_view(&state, &ar, &kod, q.fokus.as_deref()).await?;
    indicator_file(&v, &fil)
}

/// One indicator's chart or data file (shared by the logged-in and the public routes).
pub(super) fn indicator_file(v: &IndicatorView, fil: &str) -> AppResult<Response> {
    let base = format!("nyckeltal-{}-{}-{}", v.indicator.code, v.edition.year(), v.focus);
    match fil {
        "trend.svg" => Ok(file_response(
            "image/svg+xml",
            &format!("{base}-trend.svg"),
            chart::line_chart(&v.trend_chart()).into_bytes(),
            false,
        )),
        "jamforelse.svg" => Ok(file_response(
            "image/svg+xml",
            &format!("{base}-jamforelse.svg"),
            chart::bar_chart(&v.comparison_chart()).into_bytes(),
            false,
        )),
        "trend.png" | "jamforelse.png" => {
            let svg = if fil == "trend.png" {
                chart::line_chart(&v.trend_chart())
            } else {
                chart::bar_chart(&v.comparison_chart())
            };
            let png = chart::svg_to_png(&svg, 2.0).map_err(AppError::Internal)?;
            Ok(file_response("image/png", &format!("{base}-{}", fil), png, true))
        }
        "data.csv" => {
            let (h, r) = v.data_sheet();
            Ok(file_response("text/csv; charset=utf-8", &format!("{base}.csv"), with_bom_csv(&h, &r), true))
        }
        "data.xlsx" => {
            let (h, r) = v.data_sheet();
            let mut sheet = Sheet::new(format!("Nyckeltal {}", v.indicator.code), h, r);
            sheet.notes = vec![
                format!("{} {} ({})", v.indicator.code, v.indicator.title, v.indicator.unit),
                edition_label(&v.edition),
                ATTRIBUTION.to_string(),
            ];
            let bytes = export::xlsx(&[sheet]).map_err(AppError::Internal)?;
            Ok(file_response(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &format!("{base}.xlsx"),
                bytes,
                true,
            ))
        }
        _ => Err(AppError::not_found()),
    }
}

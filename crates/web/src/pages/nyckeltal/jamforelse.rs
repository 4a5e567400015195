//! Comparing two editions (`/nyckeltal/jamfor`).

use super::*;

// Comparing editions

#[derive(Deserialize, Default)]
pub struct CompareQuery {
    pub(super) a: Option<String>,
    pub(super) b: Option<String>,
    pub(super) fokus: Option<String>,
}

/// Selects one set of a summary.
pub(super) type SetOf = fn(&gnv_core::nyckeltal::EditionSummary) -> &gnv_core::nyckeltal::CodeSet;

/// One row of the edition comparison: (label, set in A, set in B).
pub struct CompareRow {
    pub label: &'static str,
    pub a: String,
    pub b: String,
}

/// One row of the values side by side: an indicator and sex with its newest value in each
/// edition and the change between them.
pub struct CompareValueRow {
    pub code: String,
    pub title: String,
    /// "Totalt", "Kvinnor", "Män"; empty on an under-development row.
    pub gender: &'static str,
    /// First row of an indicator.
    pub first: bool,
    pub a: String,
    pub b: String,
    pub change: String,
}

/// The newest value of one sex in an edition as text: "12,3 (2024)", or why there is none.
pub(super) fn edition_value_text(
    ind: Option<&Indicator>,
    r: Option<&IndicatorResult>,
    g: Gender,
) -> (String, Option<f64>) {
    let Some(ind) = ind else { return ("ingår inte i utgåvan".into(), None) };
    if ind.status == IndicatorStatus::UnderDevelopment {
        return ("under utveckling".into(), None);
    }
    match r.and_then(|r| r.gender(g)).and_then(|gr| gr.latest) {
        Some(pv) => (format!("{} ({})", ind.format_value(pv.value), pv.period), Some(pv.value)),
        None => ("värde saknas".into(), None),
    }
}

/// The change from A to B at B's display precision with the unit of a difference: "+1,2
/// procentenheter", "−5 antal per 1 000 invånare" or "oförändrat".
pub(super) fn change_text(ind: &Indicator, a: Option<f64>, b: Option<f64>) -> String {
    let (Some(a), Some(b)) = (a, b) else { return "–".into() };
    let decimals = usize::from(ind.decimals);
    if gnv_core::format::decimal(a, decimals) == gnv_core::format::decimal(b, decimals) {
        "oförändrat".into()
    } else {
        gnv_core::format::difference(b - a, decimals, &ind.unit)
    }
}

/// Values of both editions side by side for a focus, in the code order of the union of both
/// catalogues; per sex where the indicator is split in either edition.
pub(super) fn compare_values(ea: &Edition, eb: &Edition, focus: &str) -> Vec<CompareValueRow> {
    let (va, vb) = (ea.evaluate(focus), eb.evaluate(focus));
    let codes: BTreeSet<IndicatorCode> =
        ea.catalogue().indicators().iter().chain(eb.catalogue().indicators()).map(|i| i.code).collect();
    let mut rows = Vec::new();
    for code in codes {
        let (ia, ib) = (ea.catalogue().get(code), eb.catalogue().get(code));
        let Some(ind) = ib.or(ia) else { continue };
        let under = |i: Option<&Indicator>| i.is_none_or(|i| i.status == IndicatorStatus::UnderDevelopment);
        let split = ia.is_some_and(|i| i.split_by_sex) || ib.is_some_and(|i| i.split_by_sex);
        let genders: &[Gender] = if under(ia) && under(ib) {
            &[Gender::T]
        } else {
            gnv_core::nyckeltal::varde::evaluated_genders(split)
        };
        let start = rows.len();
        for &g in genders {
            let (ta, xa) = edition_value_text(ia, va.get(code), g);
            let (tb, xb) = edition_value_text(ib, vb.get(code), g);
            rows.push(CompareValueRow {
                code: code.to_string(),
                title: ind.title.clone(),
                gender: gender_label(g),
                first: rows.len() == start,
                a: ta,
                b: tb,
                change: change_text(ind, xa, xb),
            });
        }
    }
    rows
}

#[derive(Template)]
#[template(path = "nyckeltal_jamfor.html")]
pub(super) struct ComparePage {
    pub(super) ctx: PageCtx,
    /// (year, selected as A, selected as B)
    pub(super) years: Vec<(i64, bool, bool)>,
    pub(super) a: Option<i64>,
    pub(super) b: Option<i64>,
    pub(super) focus_name: String,
    pub(super) focus_options: Vec<(String, String, bool)>,
    pub(super) rows: Vec<CompareRow>,
    pub(super) values: Vec<CompareValueRow>,
}

pub async fn compare(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<CompareQuery>,
) -> AppResult<Response> {
    let names = Names::load(&state).await?;
    let focus = focus_of(q.fokus.as_deref(), &names)?;
    let editions = state.db.nyckeltal_editions().await?;
    let years: Vec<i64> = editions.iter().map(|e| e.year).collect();
    let pick = |s: Option<&String>, default: Option<i64>| {
        s.and_then(|s| s.parse::<i64>().ok()).filter(|y| years.contains(y)).or(default)
    };
    let b = pick(q.b.as_ref(), years.first().copied());
    let a = pick(q.a.as_ref(), years.get(1).copied());
    let mut rows = Vec::new();
    let mut values = Vec::new();
    if let (Some(a), Some(b)) = (a, b) {
        // Both years are published (picked from `years`): only the focus's view of each is read.
        let ea = state.db.nyckeltal_edition_for_focus(a as i32, &editions, &focus).await?;
        let eb = state.db.nyckeltal_edition_for_focus(b as i32, &editions, &focus).await?;
        values = compare_values(&ea, &eb, &focus);
        let (sa, sb) = (ea.summary(&focus), eb.summary(&focus));
        let fmt = |c: &gnv_core::nyckeltal::CodeSet| {
            if c.is_empty() {
                "0".to_string()
            } else {
                format!("{} ({})", c.len(), c.list())
            }
        };
        let sets: [(&'static str, SetOf); 11] = [
            ("Under utveckling", |s| &s.under_development),
            ("Saknar värde", |s| &s.without_value),
            ("Inte uppdaterade", |s| &s.not_updated),
            ("Uppdaterade", |s| &s.updated),
            ("Bättre i jämförelse med andra", |s| &s.better),
            ("Sämre i jämförelse med andra", |s| &s.worse),
            ("Förbättrade för båda könen", |s| &s.improved_both_sexes),
            ("Förbättrade endast för män", |s| &s.improved_only_men),
            ("Förbättrade endast för kvinnor", |s| &s.improved_only_women),
            ("Förbättrade totalt (ej könsuppdelat)", |s| &s.improved_total_only),
            ("Faktanyckeltal", |s| &s.fact_indicators),
        ];
        rows.push(CompareRow { label: "Antal nyckeltal", a: sa.total.to_string(), b: sb.total.to_string() });
        for (label, f) in sets {
            rows.push(CompareRow { label, a: fmt(f(&sa)), b: fmt(f(&sb)) });
        }
    }
    render(&ComparePage {
        ctx: PageCtx::new("Jämför utgåvor", "nyckeltal", &user),
        focus_name: names.name(&focus),
        focus_options: names.focus_options(&focus),
        years: years.iter().map(|y| (*y, Some(*y) == a, Some(*y) == b)).collect(),
        a,
        b,
        rows,
        values,
    })
}

//! The Kolada API v3 JSON format (read only): parsing pages and building request paths.
//!
//! This module is pure: it parses response bodies that the HTTP client (elsewhere) fetched and
//! builds the paths it should fetch. Endpoints: `/v3/kpi`, `/v3/municipality` and
//! `/v3/data/kpi/{ids}/municipality/{ids}/year/{years}`. Every page has the shape
//! `{"values": [...], "count": N, "next_page": URL}` (`next_page` absent or null on the last page).
//!
//! A data row is `{"kpi": "N…", "municipality": "2084", "period": 2024, "values": [{"gender":
//! "T", "value": 12.3, "count": 1, "status": ""}, …]}`. Value rules: a number is used as is; a
//! `null` value takes its missing-value code from `status` (`-` bortfall, `.` ej tillämplig, `..`
//! sekretess); `null` with an empty, absent or unrecognised status is `-` bortfall. A string or
//! other non-number value is an error, as are an unknown gender and the same (kpi, municipality,
//! period, gender) twice in one page. Errors are Swedish and name the JSON path (`values[3].
//! values[1].gender`) and the row (KPI, organisation, year); malformed JSON gives line and column.
//!
//! Attribution required on every page and document that shows Kolada data: [`ATTRIBUTION`].

use std::collections::{BTreeMap, HashSet};

use serde_json::Value as Json;

use super::katalog::{Catalogue, IndicatorCode, IndicatorStatus, KpiId};
use super::varde::{Gender, Observation, Period, Value};
use crate::error::{InputError, InputErrors, Location};

/// The attribution Kolada's terms require.
pub const ATTRIBUTION: &str = "Källa: Kolada (RKA)";

/// One page of a paged Kolada list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub values: Vec<T>,
    /// Total number of items over all pages, when Kolada states it.
    pub count: Option<u64>,
    /// URL of the next page; `None` on the last page.
    pub next_page: Option<String>,
}

/// One value of a data row.
#[derive(Debug, Clone, PartialEq)]
pub struct DataValue {
    pub gender: Gender,
    pub value: Value,
    /// Kolada's `count` (number of units behind the value), when given.
    pub count: Option<u64>,
}

/// One data row: a KPI for one organisation and year.
#[derive(Debug, Clone, PartialEq)]
pub struct DataRow {
    pub kpi: KpiId,
    /// Kolada organisation id, e.g. `2084` or `0020`.
    pub municipality: String,
    pub period: Period,
    pub values: Vec<DataValue>,
}

/// Minimal KPI metadata from `/v3/kpi`.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiMeta {
    pub id: KpiId,
    pub title: String,
    pub description: Option<String>,
    pub divided_by_gender: Option<bool>,
    /// `K` municipality, `L` region, `A` both (as Kolada states it).
    pub municipality_type: Option<String>,
}

/// Minimal organisation metadata from `/v3/municipality`.
#[derive(Debug, Clone, PartialEq)]
pub struct MunicipalityMeta {
    pub id: String,
    pub title: String,
    /// `K` municipality, `L` region/county.
    pub kind: Option<String>,
}

fn parse_json(text: &str) -> Result<Json, InputErrors> {
    serde_json::from_str(text).map_err(|e| {
        InputError::new(
            Location::row(e.line()),
            format!("Svaret från Kolada är inte giltig JSON (kolumn {}): {e}", e.column()),
        )
        .into()
    })
}

/// A page's items, `count` and `next_page`.
type PageParts<'a> = (&'a Vec<Json>, Option<u64>, Option<String>);

/// Splits a page into its items, `count` and `next_page`.
fn page_parts(doc: &Json) -> Result<PageParts<'_>, InputErrors> {
    let obj = doc
        .as_object()
        .ok_or_else(|| InputError::new(Location::default(), "Svaret från Kolada är inte ett JSON-objekt."))?;
    let values = obj.get("values").and_then(Json::as_array).ok_or_else(|| {
        InputError::new(Location::field("values"), "Svaret från Kolada saknar listan \"values\".")
    })?;
    let count = match obj.get("count") {
        None | Some(Json::Null) => None,
        Some(c) => Some(c.as_u64().ok_or_else(|| {
            InputError::new(Location::field("count"), format!("\"count\" ska vara ett heltal, inte {c}."))
        })?),
    };
    let next_page = match obj.get("next_page") {
        None | Some(Json::Null) => None,
        Some(Json::String(s)) if s.trim().is_empty() => None,
        Some(Json::String(s)) => Some(s.clone()),
        Some(other) => {
            return Err(InputError::new(
                Location::field("next_page"),
                format!("\"next_page\" ska vara en adress, inte {other}."),
            )
            .into())
        }
    };
    Ok((values, count, next_page))
}

fn string_field(item: &Json, key: &str) -> Option<String> {
    match item.get(key)? {
        Json::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Parses a page from `/v3/data/...` (see the module documentation for the rules).
pub fn parse_data_page(text: &str) -> Result<Page<DataRow>, InputErrors> {
    let doc = parse_json(text)?;
    let (items, count, next_page) = page_parts(&doc)?;
    let mut errors = Vec::new();
    let mut rows = Vec::with_capacity(items.len());
    let mut seen = HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("values[{i}]");
        let err = |field: &str, msg: String| InputError::new(Location::field(format!("{path}.{field}")), msg);
        let kpi_text = string_field(item, "kpi");
        let kpi = match kpi_text.as_deref().map(KpiId::parse) {
            Some(Ok(k)) => Some(k),
            Some(Err(m)) => {
                errors.push(err("kpi", format!("Kolada-rad {}: {m}", i + 1)));
                None
            }
            None => {
                errors.push(err("kpi", format!("Kolada-rad {} saknar \"kpi\".", i + 1)));
                None
            }
        };
        let org = string_field(item, "municipality");
        if org.is_none() {
            errors.push(err("municipality", format!("Kolada-rad {} saknar \"municipality\".", i + 1)));
        }
        let period = match item.get("period") {
            Some(Json::Number(n)) => n.as_i64().and_then(|y| i32::try_from(y).ok()).map(Period),
            Some(Json::String(s)) => s.trim().parse::<i32>().ok().map(Period),
            _ => None,
        };
        if period.is_none() {
            errors.push(err(
                "period",
                format!("Kolada-rad {}: \"period\" ska vara ett årtal, t.ex. 2024.", i + 1),
            ));
        }
        let (Some(kpi), Some(org), Some(period)) = (kpi, org, period) else {
            continue;
        };
        let who = format!("Kolada-rad {} ({kpi}, {org}, {period})", i + 1);
        let Some(vals) = item.get("values").and_then(Json::as_array) else {
            errors.push(err("values", format!("{who} saknar listan \"values\".")));
            continue;
        };
        let mut values = Vec::with_capacity(vals.len());
        for (j, v) in vals.iter().enumerate() {
            let vpath = |f: &str| format!("{path}.values[{j}].{f}");
            let gender = match v.get("gender") {
                Some(Json::String(g)) => Gender::parse(g).ok_or_else(|| format!("okänt kön \"{g}\"")),
                Some(other) => Err(format!("okänt kön {other}")),
                None => Err("kön saknas".to_string()),
            };
            let gender = match gender {
                Ok(g) => g,
                Err(m) => {
                    errors.push(InputError::new(
                        Location::field(vpath("gender")),
                        format!("{who}: {m}; tillåtna är T, K och M."),
                    ));
                    continue;
                }
            };
            let status = v.get("status").and_then(Json::as_str).unwrap_or("");
            let value = match v.get("value") {
                Some(Json::Number(n)) => match n.as_f64() {
                    Some(x) if x.is_finite() => Value::Number(x),
                    _ => {
                        errors.push(InputError::new(
                            Location::field(vpath("value")),
                            format!("{who}, kön {}: värdet {n} går inte att läsa som tal.", gender.as_str()),
                        ));
                        continue;
                    }
                },
                None | Some(Json::Null) => Value::from_code(status).unwrap_or(Value::Missing),
                Some(other) => {
                    errors.push(InputError::new(
                        Location::field(vpath("value")),
                        format!("{who}, kön {}: värdet {other} är inte numeriskt.", gender.as_str()),
                    ));
                    continue;
                }
            };
            if !seen.insert((kpi.clone(), org.clone(), period, gender)) {
                errors.push(InputError::new(
                    Location::field(vpath("gender")),
                    format!(
                        "{who}, kön {}: samma KPI, organisation, år och kön förekommer mer än en gång.",
                        gender.as_str()
                    ),
                ));
                continue;
            }
            values.push(DataValue { gender, value, count: v.get("count").and_then(Json::as_u64) });
        }
        rows.push(DataRow { kpi, municipality: org, period, values });
    }
    if errors.is_empty() {
        Ok(Page { values: rows, count, next_page })
    } else {
        Err(InputErrors(errors))
    }
}

// ---------------------------------------------------------------------------------------------
// Streaming fast path for data pages

/// Receives the rows of a data page streamed by [`stream_data_page`]. All strings are trimmed
/// and non-empty; `values` has distinct genders. Returning `Err(NotFast)` aborts the page.
pub trait RowSink {
    fn row(
        &mut self,
        kpi: &str,
        municipality: &str,
        period: Period,
        values: &[(Gender, Value)],
    ) -> Result<(), NotFast>;
}

/// Why [`stream_data_page`] gave up (the caller then uses [`parse_data_page`] for the located
/// messages, or for a page in a shape the fast path does not take).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotFast;

/// Parses a `/v3/data/...` page without building a JSON tree: typed, streaming deserialisation
/// that hands each row to `sink` as soon as it is read, with strings borrowed from `text`.
///
/// This is the fast path of [`parse_data_page`] with the same rules for what it accepts: on
/// success the rows given to the sink are exactly the rows `parse_data_page` would return
/// (numbers used as is, `null` or absent values taking their code from `status`). It does not
/// check that the same (kpi, municipality, period, gender) occurs only once over different rows
/// of the page (the caller's batch does that over all pages). Anything unusual — an error of
/// any kind, a row the sink refuses, a period given as text, a key given twice — gives
/// [`NotFast`]; rows already given to the sink must then be discarded by the caller.
/// Returns the page's `next_page`.
pub fn stream_data_page<S: RowSink>(text: &str, sink: &mut S) -> Result<Option<String>, NotFast> {
    use serde::de::DeserializeSeed;
    let mut de = serde_json::Deserializer::from_str(text);
    let next = fast::PageSeed { sink }.deserialize(&mut de).map_err(|_| NotFast)?;
    de.end().map_err(|_| NotFast)?;
    Ok(next)
}

mod fast {
    use super::{Gender, Period, RowSink, Value};
    use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use serde::Deserialize;
    use std::borrow::Cow;
    use std::fmt;

    fn abort<E: de::Error>() -> E {
        E::custom("")
    }

    pub(super) struct PageSeed<'s, S> {
        pub sink: &'s mut S,
    }

    impl<'de, S: RowSink> DeserializeSeed<'de> for PageSeed<'_, S> {
        type Value = Option<String>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_map(self)
        }
    }

    impl<'de, S: RowSink> Visitor<'de> for PageSeed<'_, S> {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a Kolada page")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let (mut values, mut count, mut next) = (false, false, None);
            let mut next_seen = false;
            while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                match key.as_ref() {
                    "values" if !values => {
                        values = true;
                        map.next_value_seed(RowsSeed { sink: &mut *self.sink })?;
                    }
                    "count" if !count => {
                        count = true;
                        map.next_value::<Option<u64>>()?;
                    }
                    "next_page" if !next_seen => {
                        next_seen = true;
                        next = map.next_value::<Option<String>>()?.filter(|s| !s.trim().is_empty());
                    }
                    "values" | "count" | "next_page" => return Err(abort()),
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            if values {
                Ok(next)
            } else {
                Err(abort())
            }
        }
    }

    struct RowsSeed<'s, S> {
        sink: &'s mut S,
    }

    impl<'de, S: RowSink> DeserializeSeed<'de> for RowsSeed<'_, S> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }

    impl<'de, S: RowSink> Visitor<'de> for RowsSeed<'_, S> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of Kolada rows")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while let Some(row) = seq.next_element::<Row<'de>>()? {
                let kpi = row.kpi.trim();
                let org = row.municipality.trim();
                if kpi.is_empty() || org.is_empty() {
                    return Err(abort());
                }
                let period = i32::try_from(row.period).map_err(|_| abort::<A::Error>())?;
                self.sink
                    .row(kpi, org, Period(period), &row.values.items[..row.values.len])
                    .map_err(|_| abort::<A::Error>())?;
            }
            Ok(())
        }
    }

    #[derive(Deserialize)]
    struct Row<'a> {
        #[serde(borrow)]
        kpi: Cow<'a, str>,
        #[serde(borrow)]
        municipality: Cow<'a, str>,
        period: i64,
        values: Values,
    }

    /// At most three values with distinct genders (more would repeat a gender).
    struct Values {
        items: [(Gender, Value); 3],
        len: usize,
    }

    impl<'de> Deserialize<'de> for Values {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_seq(ValuesVisitor)
        }
    }

    struct ValuesVisitor;

    impl<'de> Visitor<'de> for ValuesVisitor {
        type Value = Values;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of Kolada values")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Values, A::Error> {
            let mut out = Values { items: [(Gender::T, Value::Missing); 3], len: 0 };
            let mut seen = 0u8;
            while let Some(v) = seq.next_element::<One<'de>>()? {
                let gender = Gender::parse(&v.gender).ok_or_else(abort::<A::Error>)?;
                let bit = 1u8 << gender as u8;
                if seen & bit != 0 || out.len == 3 {
                    return Err(abort());
                }
                seen |= bit;
                let value = match v.value {
                    Some(x) if x.is_finite() => Value::Number(x),
                    Some(_) => return Err(abort()),
                    None => Value::from_code(v.status.as_deref().unwrap_or("")).unwrap_or(Value::Missing),
                };
                out.items[out.len] = (gender, value);
                out.len += 1;
            }
            Ok(out)
        }
    }

    #[derive(Deserialize)]
    struct One<'a> {
        #[serde(borrow)]
        gender: Cow<'a, str>,
        #[serde(default)]
        value: Option<f64>,
        #[serde(default, borrow)]
        status: Option<Cow<'a, str>>,
    }
}

fn bool_field(item: &Json, key: &str) -> Option<bool> {
    match item.get(key)? {
        Json::Bool(b) => Some(*b),
        Json::Number(n) => n.as_u64().map(|x| x != 0),
        _ => None,
    }
}

/// Parses a page from `/v3/kpi` (id, title, description, is_divided_by_gender, municipality_type).
pub fn parse_kpi_page(text: &str) -> Result<Page<KpiMeta>, InputErrors> {
    let doc = parse_json(text)?;
    let (items, count, next_page) = page_parts(&doc)?;
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let loc = |f: &str| Location::field(format!("values[{i}].{f}"));
        let id = match string_field(item, "id").map(|s| KpiId::parse(&s)) {
            Some(Ok(id)) => id,
            Some(Err(m)) => {
                errors.push(InputError::new(loc("id"), format!("KPI nr {}: {m}", i + 1)));
                continue;
            }
            None => {
                errors.push(InputError::new(loc("id"), format!("KPI nr {} saknar \"id\".", i + 1)));
                continue;
            }
        };
        let Some(title) = string_field(item, "title") else {
            errors.push(InputError::new(loc("title"), format!("KPI {id} saknar \"title\".")));
            continue;
        };
        out.push(KpiMeta {
            id,
            title,
            description: string_field(item, "description"),
            divided_by_gender: bool_field(item, "is_divided_by_gender"),
            municipality_type: string_field(item, "municipality_type"),
        });
    }
    if errors.is_empty() {
        Ok(Page { values: out, count, next_page })
    } else {
        Err(InputErrors(errors))
    }
}

/// Parses a page from `/v3/municipality` (id, title, type).
pub fn parse_municipality_page(text: &str) -> Result<Page<MunicipalityMeta>, InputErrors> {
    let doc = parse_json(text)?;
    let (items, count, next_page) = page_parts(&doc)?;
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let loc = |f: &str| Location::field(format!("values[{i}].{f}"));
        let (Some(id), Some(title)) = (string_field(item, "id"), string_field(item, "title")) else {
            errors.push(InputError::new(
                loc("id"),
                format!("Organisation nr {} saknar \"id\" eller \"title\".", i + 1),
            ));
            continue;
        };
        out.push(MunicipalityMeta { id, title, kind: string_field(item, "type") });
    }
    if errors.is_empty() {
        Ok(Page { values: out, count, next_page })
    } else {
        Err(InputErrors(errors))
    }
}

/// Which catalogue indicators each Kolada KPI feeds. Under-development indicators are left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KpiMapping {
    by_kpi: BTreeMap<KpiId, Vec<IndicatorCode>>,
}

impl KpiMapping {
    /// Collects the Kolada sources of all active indicators.
    pub fn from_catalogue(catalogue: &Catalogue) -> Self {
        let mut by_kpi: BTreeMap<KpiId, Vec<IndicatorCode>> = BTreeMap::new();
        for ind in catalogue.indicators().iter().filter(|i| i.status == IndicatorStatus::Active) {
            for id in ind.kolada_ids() {
                by_kpi.entry(id.clone()).or_default().push(ind.code);
            }
        }
        KpiMapping { by_kpi }
    }

    /// The KPI ids to fetch, sorted.
    pub fn kpi_ids(&self) -> Vec<KpiId> {
        self.by_kpi.keys().cloned().collect()
    }

    /// The indicators fed by a KPI given as text (exactly as stored, e.g. `N00945`); `None`
    /// when the catalogue does not use it.
    pub fn indicators_for_id(&self, kpi: &str) -> Option<&[IndicatorCode]> {
        self.by_kpi.iter().find(|(k, _)| k.as_str() == kpi).map(|(_, v)| v.as_slice())
    }

    /// The indicators fed by a KPI; an error naming the id when the catalogue does not use it.
    pub fn indicators_for(&self, kpi: &KpiId) -> Result<&[IndicatorCode], InputError> {
        self.by_kpi.get(kpi).map(Vec::as_slice).ok_or_else(|| {
            InputError::new(
                Location::field("kpi"),
                format!("Kolada-id {kpi} finns inte bland källorna i nyckeltalskatalogen."),
            )
        })
    }
}

/// Turns parsed rows into observations of catalogue indicators. Unknown KPI ids are errors (one
/// per id). Duplicates across pages are caught when the observations are put in a `Dataset`.
pub fn to_observations(rows: &[DataRow], mapping: &KpiMapping) -> Result<Vec<Observation>, InputErrors> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut unknown = HashSet::new();
    for row in rows {
        match mapping.indicators_for(&row.kpi) {
            Ok(codes) => {
                for &indicator in codes {
                    for v in &row.values {
                        out.push(Observation {
                            indicator,
                            org: row.municipality.clone(),
                            period: row.period,
                            gender: v.gender,
                            value: v.value,
                        });
                    }
                }
            }
            Err(e) => {
                if unknown.insert(row.kpi.clone()) {
                    errors.push(e);
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(InputErrors(errors))
    }
}

fn dedup<T: Clone + Eq + std::hash::Hash>(items: &[T]) -> Vec<T> {
    let mut seen = HashSet::new();
    items.iter().filter(|x| seen.insert((*x).clone())).cloned().collect()
}

/// Builds the batched data request paths
/// `/v3/data/kpi/{ids}/municipality/{ids}/year/{years}`, with at most `max_ids` (at least 1)
/// comma-separated ids per dimension in one path. Duplicates are dropped (first occurrence kept)
/// and the order is otherwise kept; any empty dimension gives no paths.
pub fn data_paths(kpis: &[KpiId], municipalities: &[String], years: &[i32], max_ids: usize) -> Vec<String> {
    let max = max_ids.max(1);
    let kpis: Vec<String> = dedup(kpis).iter().map(|k| k.to_string()).collect();
    let orgs: Vec<String> = dedup(municipalities).iter().map(|m| m.trim().to_string()).collect();
    let years: Vec<String> = dedup(years).iter().map(|y| y.to_string()).collect();
    let mut out = Vec::new();
    for k in kpis.chunks(max) {
        for m in orgs.chunks(max) {
            for y in years.chunks(max) {
                out.push(format!(
                    "/v3/data/kpi/{}/municipality/{}/year/{}",
                    k.join(","),
                    m.join(","),
                    y.join(",")
                ));
            }
        }
    }
    out
}

/// KPIs whose id or title contains every word of `text` (case-insensitive, so "Hemtjänst" finds
/// "hemtjänst"), in id order. An empty text finds nothing.
pub fn search_kpis<'a>(kpis: &'a [KpiMeta], text: &str) -> Vec<&'a KpiMeta> {
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<&KpiMeta> = kpis
        .iter()
        .filter(|k| {
            let hay = format!("{} {}", k.id, k.title).to_lowercase();
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    out
}

/// Kolada's municipality type of a KPI in Swedish: `K` "kommuner", `L` "regioner", `A` "kommuner
/// och regioner".
pub fn municipality_type_label(t: &str) -> Option<&'static str> {
    match t {
        "K" => Some("kommuner"),
        "L" => Some("regioner"),
        "A" => Some("kommuner och regioner"),
        _ => None,
    }
}

/// Where Kolada's description of a KPI disagrees with a catalogue indicator it is (to be)
/// attached to: the sex split, and the level (a municipal indicator needs a KPI published for
/// municipalities, `K` or `A`; a regional one `L` or `A`). Swedish sentences; empty when they
/// agree or Kolada does not say.
pub fn kpi_disagreements(kpi: &KpiMeta, ind: &super::katalog::Indicator) -> Vec<String> {
    use super::katalog::Level;
    let mut out = Vec::new();
    match kpi.divided_by_gender {
        Some(true) if !ind.split_by_sex => out.push(format!(
            "Kolada delar upp {} på kön, men nyckeltal {} är inte könsuppdelat i katalogen.",
            kpi.id, ind.code
        )),
        Some(false) if ind.split_by_sex => out.push(format!(
            "Kolada delar inte upp {} på kön, men nyckeltal {} är könsuppdelat i katalogen: kvinnor och män kommer att sakna värden.",
            kpi.id, ind.code
        )),
        _ => {}
    }
    if let Some(t) = kpi.municipality_type.as_deref() {
        let fits = match ind.level {
            Level::Municipality => t == "K" || t == "A",
            Level::Region => t == "L" || t == "A",
        };
        if !fits {
            let published = municipality_type_label(t).unwrap_or("en okänd organisationstyp");
            let level = match ind.level {
                Level::Municipality => "kommunnivå",
                Level::Region => "regionnivå",
            };
            out.push(format!(
                "Kolada publicerar {} för {published}, men nyckeltal {} gäller {level}.",
                kpi.id, ind.code
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nyckeltal::default_catalogue;
    use crate::nyckeltal::katalog::Source;
    use crate::nyckeltal::varde::Dataset;

    const PAGE: &str = r#"{
  "values": [
    {"kpi": "N00945", "municipality": "2084", "period": 2024,
     "values": [
       {"gender": "T", "value": 12.3, "count": 1, "status": ""},
       {"gender": "K", "value": null, "count": 0, "status": ".."},
       {"gender": "M", "value": null, "count": 0, "status": ""}
     ]},
    {"kpi": "N00945", "municipality": "0020", "period": 2023,
     "values": [{"gender": "T", "value": 11, "status": "."}]}
  ],
  "count": 2,
  "next_page": "https://api.kolada.se/v3/data/kpi/N00945/year/2024?page=2"
}"#;

    #[test]
    fn parses_a_data_page_with_missing_codes() {
        let page = parse_data_page(PAGE).unwrap();
        assert_eq!(page.count, Some(2));
        assert_eq!(
            page.next_page.as_deref(),
            Some("https://api.kolada.se/v3/data/kpi/N00945/year/2024?page=2")
        );
        let row = &page.values[0];
        assert_eq!(
            (row.kpi.as_str(), row.municipality.as_str(), row.period),
            ("N00945", "2084", Period(2024))
        );
        assert_eq!(
            row.values[0],
            DataValue { gender: Gender::T, value: Value::Number(12.3), count: Some(1) }
        );
        assert_eq!(row.values[1].value, Value::Confidential);
        assert_eq!(row.values[2].value, Value::Missing);
        // A number wins over a status; integers are fine.
        assert_eq!(page.values[1].values[0].value, Value::Number(11.0));
        let last = parse_data_page(r#"{"values": [], "count": 0}"#).unwrap();
        assert_eq!(last.next_page, None);
    }

    /// A row as (kpi, municipality, period, values).
    type Streamed = (String, String, Period, Vec<(Gender, Value)>);

    /// Collects streamed rows in the shape of `parse_data_page`'s.
    #[derive(Default)]
    struct Collect(Vec<Streamed>);

    impl RowSink for Collect {
        fn row(
            &mut self,
            kpi: &str,
            org: &str,
            period: Period,
            values: &[(Gender, Value)],
        ) -> Result<(), NotFast> {
            self.0.push((kpi.to_string(), org.to_string(), period, values.to_vec()));
            Ok(())
        }
    }

    fn slow(text: &str) -> Option<(Vec<Streamed>, Option<String>)> {
        let page = parse_data_page(text).ok()?;
        let rows = page
            .values
            .iter()
            .map(|r| {
                let values = r.values.iter().map(|v| (v.gender, v.value)).collect();
                (r.kpi.to_string(), r.municipality.clone(), r.period, values)
            })
            .collect();
        Some((rows, page.next_page))
    }

    #[test]
    fn the_streaming_fast_path_gives_the_same_rows_or_gives_up() {
        let mut sink = Collect::default();
        let next = stream_data_page(PAGE, &mut sink).unwrap();
        assert_eq!(Some((sink.0, next)), slow(PAGE));
        let escaped = PAGE
            .replace("\"2084\"", "\" 20\\u0038\\u0034 \"")
            .replace("\"count\": 2", "\"extra\": {\"a\": [1]}, \"count\": 2");
        let mut sink = Collect::default();
        let next = stream_data_page(&escaped, &mut sink).unwrap();
        assert_eq!(sink.0[0].1, "2084", "escapes are decoded and codes trimmed");
        assert_eq!(Some((sink.0, next)), slow(&escaped));
        let empty = r#"{"values": [], "next_page": "  "}"#;
        assert_eq!(stream_data_page(empty, &mut Collect::default()), Ok(None));
        // Everything unusual gives up (the slow path then decides and words the messages).
        for text in [
            "{\"values\": [ {\"kpi\": ",
            "[1, 2]",
            "{\"value\": []}",
            r#"{"values": [], "values": []}"#,
            r#"{"values": [], "count": -1}"#,
            r#"{"values": []} x"#,
            r#"{"values": [{"kpi": "N00945", "municipality": "2084", "period": "2024", "values": []}]}"#,
            r#"{"values": [{"kpi": "N00945", "municipality": "2084", "period": 2024.5, "values": []}]}"#,
            r#"{"values": [{"kpi": "N00945", "municipality": " ", "period": 2024, "values": []}]}"#,
            r#"{"values": [{"kpi": "N00945", "municipality": "2084", "period": 2024, "values": [{"gender": "X", "value": 1}]}]}"#,
            r#"{"values": [{"kpi": "N00945", "municipality": "2084", "period": 2024, "values": [{"gender": "T", "value": "1"}]}]}"#,
            r#"{"values": [{"kpi": "N00945", "municipality": "2084", "period": 2024, "values": [{"gender": "T", "value": 1}, {"gender": "t", "value": 2}]}]}"#,
            r#"{"values": [{"kpi": "N00945", "municipality": "2084", "period": 2024, "values": [{"gender": "T", "value": 1, "value": 2}]}]}"#,
            r#"{"values": [{"kpi": "N00945", "municipality": "2084", "period": 2024}]}"#,
        ] {
            assert_eq!(stream_data_page(text, &mut Collect::default()), Err(NotFast), "{text}");
        }
        // A sink that refuses a row stops the page.
        struct Refuse;
        impl RowSink for Refuse {
            fn row(&mut self, _: &str, _: &str, _: Period, _: &[(Gender, Value)]) -> Result<(), NotFast> {
                Err(NotFast)
            }
        }
        assert_eq!(stream_data_page(PAGE, &mut Refuse), Err(NotFast));
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let err = parse_data_page("{\n  \"values\": [\n    {\"kpi\": }\n]}").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("rad 3: Svaret från Kolada är inte giltig JSON (kolumn 13)"), "{text}");
        let err = parse_data_page("[1, 2]").unwrap_err();
        assert_eq!(err.to_string(), "Svaret från Kolada är inte ett JSON-objekt.");
        let err = parse_data_page("{\"value\": []}").unwrap_err();
        assert_eq!(err.to_string(), "fält values: Svaret från Kolada saknar listan \"values\".");
    }

    #[test]
    fn bad_rows_are_all_reported_with_path_and_row() {
        let text = r#"{"values": [
          {"kpi": "N00945", "municipality": "2084", "period": 2024, "values": [
            {"gender": "X", "value": 1},
            {"gender": "T", "value": "12,3"},
            {"gender": "K", "value": 1},
            {"gender": "K", "value": 2}
          ]},
          {"kpi": "N945", "municipality": "2084", "period": "tjugo", "values": []}
        ]}"#;
        let errs = parse_data_page(text).unwrap_err();
        let msgs: Vec<String> = errs.0.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            msgs,
            vec![
                "fält values[0].values[0].gender: Kolada-rad 1 (N00945, 2084, 2024): okänt kön \"X\"; tillåtna är T, K och M.",
                "fält values[0].values[1].value: Kolada-rad 1 (N00945, 2084, 2024), kön T: värdet \"12,3\" är inte numeriskt.",
                "fält values[0].values[3].gender: Kolada-rad 1 (N00945, 2084, 2024), kön K: samma KPI, organisation, år och kön förekommer mer än en gång.",
                "fält values[1].kpi: Kolada-rad 2: \"N945\" är inget giltigt Kolada-id; det ska vara N eller U följt av fem siffror, t.ex. N00945.",
                "fält values[1].period: Kolada-rad 2: \"period\" ska vara ett årtal, t.ex. 2024.",
            ]
        );
    }

    #[test]
    fn duplicates_across_rows_are_errors() {
        let text = r#"{"values": [
          {"kpi": "N00945", "municipality": "2084", "period": 2024, "values": [{"gender": "T", "value": 1}]},
          {"kpi": "N00945", "municipality": "2084", "period": 2024, "values": [{"gender": "T", "value": 2}]}
        ]}"#;
        let err = parse_data_page(text).unwrap_err();
        assert!(err.to_string().contains("Kolada-rad 2 (N00945, 2084, 2024), kön T: samma KPI"), "{err}");
    }

    fn catalogue_with_sources() -> Catalogue {
        let mut inds = default_catalogue().indicators().to_vec();
        inds[0].sources = vec![Source::Kolada(KpiId::parse("N00945").unwrap()), Source::Own];
        inds[4].sources = vec![Source::Kolada(KpiId::parse("N00945").unwrap())]; // 2.1 shares it
        inds[2].sources = vec![Source::Kolada(KpiId::parse("N99999").unwrap())]; // 1.3 under development
        Catalogue::new(inds).unwrap()
    }

    #[test]
    fn maps_kpis_to_indicators_and_refuses_unknown_ids() {
        let cat = catalogue_with_sources();
        let mapping = KpiMapping::from_catalogue(&cat);
        assert_eq!(mapping.kpi_ids(), vec![KpiId::parse("N00945").unwrap()]);
        let page = parse_data_page(PAGE).unwrap();
        let obs = to_observations(&page.values, &mapping).unwrap();
        assert_eq!(obs.len(), 8); // 4 values × 2 indicators
        assert_eq!(obs[0].indicator.to_string(), "1.1");
        assert_eq!(Dataset::new(obs).unwrap().len(), 8);

        let other = parse_data_page(&PAGE.replace("N00945", "N12345")).unwrap();
        let err = to_observations(&other.values, &mapping).unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert_eq!(
            err.to_string(),
            "fält kpi: Kolada-id N12345 finns inte bland källorna i nyckeltalskatalogen."
        );
    }

    #[test]
    fn parses_kpi_and_municipality_lists() {
        let kpis = parse_kpi_page(
            r#"{"values": [{"id": "N00945", "title": "Exempel-KPI", "description": "Beskrivning",
               "is_divided_by_gender": 1, "municipality_type": "K", "operating_area": "x"}],
               "count": 1}"#,
        )
        .unwrap();
        assert_eq!(
            kpis.values[0],
            KpiMeta {
                id: KpiId::parse("N00945").unwrap(),
                title: "Exempel-KPI".into(),
                description: Some("Beskrivning".into()),
                divided_by_gender: Some(true),
                municipality_type: Some("K".into()),
            }
        );
        let err =
            parse_kpi_page(r#"{"values": [{"id": "X1", "title": "a"}, {"id": "N00001"}]}"#).unwrap_err();
        assert_eq!(err.0.len(), 2);
        assert!(err.to_string().contains("KPI N00001 saknar \"title\"."), "{err}");

        let m = parse_municipality_page(
            r#"{"values": [{"id": "2084", "title": "Avesta", "type": "K"}, {"id": "0020", "title": "Region Dalarna", "type": "L"}]}"#,
        )
        .unwrap();
        assert_eq!(
            m.values[1],
            MunicipalityMeta { id: "0020".into(), title: "Region Dalarna".into(), kind: Some("L".into()) }
        );
        assert!(parse_municipality_page(r#"{"values": [{"id": "2084"}]}"#).is_err());
    }

    #[test]
    fn data_paths_are_batched() {
        let kpis: Vec<KpiId> =
            ["N00001", "N00002", "N00003", "N00001"].iter().map(|k| KpiId::parse(k).unwrap()).collect();
        let orgs: Vec<String> =
            crate::organisation::dalarna().municipalities.iter().map(|m| m.code.clone()).collect();
        let paths = data_paths(&kpis, &orgs, &[2023, 2024], 10);
        assert_eq!(paths.len(), 2); // 3 KPIs in one batch × 15 municipalities in two × 2 years in one
        assert_eq!(
            paths[0],
            "/v3/data/kpi/N00001,N00002,N00003/municipality/2021,2023,2026,2029,2031,2034,2039,2061,2062,2080/year/2023,2024"
        );
        assert!(paths[1].contains("/municipality/2081,2082,2083,2084,2085/"));
        assert_eq!(data_paths(&kpis, &orgs, &[2024], 2).len(), 2 * 8);
        assert_eq!(data_paths(&kpis, &orgs, &[2024], 0).len(), 3 * 15);
        assert!(data_paths(&[], &orgs, &[2024], 5).is_empty());
    }

    const KPI_FIXTURE: &str = include_str!("../../tests/data/kolada-kpi.json");

    #[test]
    fn kpi_search_finds_every_word_in_id_or_title_and_flags_disagreements() {
        let page = parse_kpi_page(KPI_FIXTURE).unwrap();
        assert_eq!(page.count, Some(6));
        let found: Vec<String> =
            search_kpis(&page.values, "HEMTJÄNST andel").iter().map(|k| k.id.to_string()).collect();
        assert_eq!(found, ["N21005", "N21011"]);
        assert_eq!(search_kpis(&page.values, "n00945").len(), 1);
        assert!(search_kpis(&page.values, "  ").is_empty());
        assert!(search_kpis(&page.values, "hemtjänst cykel").is_empty());

        let mut ind = crate::nyckeltal::default_catalogue().indicators()[0].clone();
        ind.level = crate::nyckeltal::Level::Municipality;
        ind.split_by_sex = false;
        let by_id = |id: &str| page.values.iter().find(|k| k.id.to_string() == id).unwrap();
        // Split by sex in Kolada, published for regions only: two disagreements.
        let warnings = kpi_disagreements(by_id("N00945"), &ind);
        assert_eq!(
            warnings,
            [
                format!(
                    "Kolada delar upp N00945 på kön, men nyckeltal {} är inte könsuppdelat i katalogen.",
                    ind.code
                ),
                format!(
                    "Kolada publicerar N00945 för regioner, men nyckeltal {} gäller kommunnivå.",
                    ind.code
                ),
            ]
        );
        // Not split, municipalities and regions: agrees with a municipal indicator without split.
        assert!(kpi_disagreements(by_id("N21005"), &ind).is_empty());
        ind.split_by_sex = true;
        assert!(
            kpi_disagreements(by_id("N21005"), &ind)[0].contains("kvinnor och män kommer att sakna värden")
        );
    }
}

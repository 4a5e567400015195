//! Indicator values: one observation per (indicator, organisation, period, gender).
//!
//! A [`Value`] is either a number or one of Kolada's missing-value codes (`-` bortfall, `.` ej
//! tillämplig, `..` sekretess). A [`Dataset`] is a validated, indexed set of observations — the
//! content of one edition — with at most one value per (indicator, organisation, period, gender)
//! and only finite numbers. It is indexed so that an evaluation never scans all observations for
//! each organisation: per (indicator, gender) a map from organisation to its period-sorted series.

use std::collections::HashMap;
use std::fmt;

use super::fxhash::FxHashMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::katalog::{Catalogue, IndicatorCode, IndicatorStatus};
use crate::error::{InputError, InputErrors, Location};

/// Kolada's gender dimension: `T` total, `K` women (kvinnor), `M` men (män).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub enum Gender {
    T,
    K,
    M,
}

impl Gender {
    /// All three, in display order.
    pub const ALL: [Gender; 3] = [Gender::T, Gender::K, Gender::M];

    /// Parses `T`, `K` or `M` (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "T" | "t" => Some(Gender::T),
            "K" | "k" => Some(Gender::K),
            "M" | "m" => Some(Gender::M),
            _ => None,
        }
    }

    /// The one-letter code.
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::T => "T",
            Gender::K => "K",
            Gender::M => "M",
        }
    }

    /// Swedish label: "totalt", "kvinnor", "män".
    pub fn label(self) -> &'static str {
        match self {
            Gender::T => "totalt",
            Gender::K => "kvinnor",
            Gender::M => "män",
        }
    }
}

/// A measurement period: a calendar year, as in Kolada.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct Period(pub i32);

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One value: a number or a Kolada missing-value code.
///
/// Serialized as a JSON number or as the code string `"-"`, `"."`, `".."`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Number(f64),
    /// `-` bortfall: the value is missing.
    Missing,
    /// `.` ej tillämplig: the measure does not apply.
    NotApplicable,
    /// `..` sekretess: suppressed for confidentiality.
    Confidential,
}

impl Value {
    /// The number, if this is one.
    pub fn number(self) -> Option<f64> {
        match self {
            Value::Number(x) => Some(x),
            _ => None,
        }
    }

    /// The Kolada code for a missing value (`-`, `.`, `..`); `None` for numbers.
    pub fn code(self) -> Option<&'static str> {
        match self {
            Value::Number(_) => None,
            Value::Missing => Some("-"),
            Value::NotApplicable => Some("."),
            Value::Confidential => Some(".."),
        }
    }

    /// Parses a missing-value code `-`, `.` or `..`.
    pub fn from_code(s: &str) -> Option<Self> {
        match s.trim() {
            "-" => Some(Value::Missing),
            "." => Some(Value::NotApplicable),
            ".." => Some(Value::Confidential),
            _ => None,
        }
    }

    /// Swedish label for a missing value: "bortfall", "ej tillämplig", "sekretess".
    pub fn missing_label(self) -> Option<&'static str> {
        match self {
            Value::Number(_) => None,
            Value::Missing => Some("bortfall"),
            Value::NotApplicable => Some("ej tillämplig"),
            Value::Confidential => Some("sekretess"),
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (self, self.code()) {
            (Value::Number(x), _) => s.serialize_f64(*x),
            (_, Some(code)) => s.serialize_str(code),
            (_, None) => s.serialize_none(),
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(f64),
            Code(String),
        }
        match Raw::deserialize(d)? {
            Raw::Number(x) => Ok(Value::Number(x)),
            Raw::Code(c) => Value::from_code(&c).ok_or_else(|| {
                serde::de::Error::custom(format!("okänd saknadkod \"{c}\"; tillåtna är -, . och .."))
            }),
        }
    }
}

/// One value of one indicator for one organisation, period and gender.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Observation {
    pub indicator: IndicatorCode,
    /// Organisation code, e.g. `2084` (Avesta) or `0020` (Region Dalarna).
    pub org: String,
    pub period: Period,
    pub gender: Gender,
    pub value: Value,
}

/// Interned organisation id inside a [`Dataset`].
pub(crate) type OrgId = u32;

/// An organisation interned in a [`DatasetBuilder`] (see [`DatasetBuilder::org`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgKey(OrgId);

/// The values of one (indicator, gender) in compressed-row form: organisation `o`'s
/// period-sorted series is `values[starts[o]..starts[o + 1]]` (organisations past the end of
/// `starts` have none). One allocation per (indicator, gender), not one per organisation.
#[derive(Debug, Clone, Default)]
pub(crate) struct Column {
    starts: Vec<u32>,
    values: Vec<(Period, Value)>,
}

impl Column {
    /// The period-sorted series of organisation `org` (empty if none).
    pub(crate) fn get(&self, org: OrgId) -> &[(Period, Value)] {
        let o = org as usize;
        match (self.starts.get(o), self.starts.get(o + 1)) {
            (Some(&a), Some(&b)) => &self.values[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Every organisation with at least one value, with its series, by id.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (OrgId, &[(Period, Value)])> {
        self.starts
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w[1] > w[0])
            .map(|(o, w)| (o as OrgId, &self.values[w[0] as usize..w[1] as usize]))
    }
}

/// A validated, indexed set of observations (typically one edition's frozen snapshot).
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    orgs: Vec<String>,
    org_ids: FxHashMap<String, OrgId>,
    /// (indicator, gender) → its [`Column`] of series by [`OrgId`].
    series: FxHashMap<(IndicatorCode, Gender), Column>,
    len: usize,
}

/// One value waiting in a [`DatasetBuilder`]: (column, organisation, period, value).
type Pending = (u32, OrgId, Period, Value);

/// Builds a [`Dataset`] value by value, with each organisation code interned once (one `String`
/// per organisation, not one per value as an [`Observation`] has): what a focus view read from
/// stored blocks uses (#19). [`Dataset::new`] is this builder fed with observations; the result
/// and the errors are the same for the same values in any order.
#[derive(Debug, Default)]
pub struct DatasetBuilder {
    orgs: Vec<String>,
    org_ids: FxHashMap<String, OrgId>,
    keys: Vec<(IndicatorCode, Gender)>,
    key_ids: FxHashMap<(IndicatorCode, Gender), u32>,
    last_key: Option<((IndicatorCode, Gender), u32)>,
    pending: Vec<Pending>,
    errors: Vec<InputError>,
}

impl DatasetBuilder {
    /// An empty builder with room for `values` values.
    pub fn with_capacity(values: usize) -> Self {
        DatasetBuilder { pending: Vec::with_capacity(values), ..Default::default() }
    }

    /// Interns an organisation code (once per code; a hash lookup after that).
    pub fn org(&mut self, code: &str) -> OrgKey {
        if let Some(&id) = self.org_ids.get(code) {
            return OrgKey(id);
        }
        let id = self.orgs.len() as OrgId;
        self.org_ids.insert(code.to_string(), id);
        self.orgs.push(code.to_string());
        OrgKey(id)
    }

    /// The code of an interned organisation.
    pub fn org_code(&self, org: OrgKey) -> &str {
        &self.orgs[org.0 as usize]
    }

    fn key(&mut self, key: (IndicatorCode, Gender)) -> u32 {
        if let Some((k, id)) = self.last_key {
            if k == key {
                return id;
            }
        }
        let next = self.keys.len() as u32;
        let id = *self.key_ids.entry(key).or_insert(next);
        if id == next {
            self.keys.push(key);
        }
        self.last_key = Some((key, id));
        id
    }

    /// Adds one value. An empty organisation code or a non-finite number is recorded as an
    /// error (reported by [`DatasetBuilder::finish`]) and the value is left out.
    pub fn push(
        &mut self,
        indicator: IndicatorCode,
        org: OrgKey,
        period: Period,
        gender: Gender,
        value: Value,
    ) {
        let code = &self.orgs[org.0 as usize];
        if code.trim().is_empty() {
            self.errors.push(InputError::new(
                Location::field("organisation"),
                format!("Värde för nyckeltal {indicator} år {period} saknar organisationskod."),
            ));
            return;
        }
        if let Value::Number(x) = value {
            if !x.is_finite() {
                self.errors.push(InputError::new(
                    Location::field("värde"),
                    format!(
                        "Nyckeltal {indicator}, organisation {code}, år {period}, kön {}: värdet är inte ett ändligt tal.",
                        gender.as_str()
                    ),
                ));
                return;
            }
        }
        let key = self.key((indicator, gender));
        self.pending.push((key, org.0, period, value));
    }

    /// Adds one observation.
    pub fn push_observation(&mut self, obs: Observation) {
        let org = self.org(&obs.org);
        self.push(obs.indicator, org, obs.period, obs.gender, obs.value);
    }

    /// The dataset; refuses (listing every problem, sorted) duplicate (indicator,
    /// organisation, period, gender) combinations, non-finite numbers and empty organisation
    /// codes.
    pub fn finish(self) -> Result<Dataset, InputErrors> {
        let DatasetBuilder { mut orgs, mut org_ids, keys, mut pending, mut errors, .. } = self;
        // Organisations interned without a value (e.g. a focus with none) are left out, as
        // `Dataset::new` never interned them.
        let mut used = vec![false; orgs.len()];
        for &(_, org, _, _) in &pending {
            used[org as usize] = true;
        }
        if used.iter().any(|u| !u) {
            let mut new_id = vec![OrgId::MAX; orgs.len()];
            let mut kept = Vec::with_capacity(orgs.len());
            for (old, code) in orgs.into_iter().enumerate() {
                if used[old] {
                    new_id[old] = kept.len() as OrgId;
                    kept.push(code);
                }
            }
            orgs = kept;
            org_ids = orgs.iter().enumerate().map(|(i, c)| (c.clone(), i as OrgId)).collect();
            for p in &mut pending {
                p.1 = new_id[p.1 as usize];
            }
        }
        // Counting sort by (column, organisation): per column the number of values of each
        // organisation, then their start offsets, then every value to its place (in input
        // order within an organisation, so the stable period sort below sees them as
        // `Dataset::new` always did).
        let mut columns: Vec<Column> = vec![Column::default(); keys.len()];
        for &(key, org, _, _) in &pending {
            let starts = &mut columns[key as usize].starts;
            let o = org as usize;
            if starts.len() < o + 2 {
                starts.resize(o + 2, 0);
            }
            starts[o + 1] += 1;
        }
        let mut cursors: Vec<Vec<u32>> = Vec::with_capacity(columns.len());
        for c in &mut columns {
            for i in 1..c.starts.len() {
                c.starts[i] += c.starts[i - 1];
            }
            let n = c.starts.last().copied().unwrap_or(0) as usize;
            c.values = vec![(Period(0), Value::Missing); n];
            cursors.push(c.starts.clone());
        }
        let len = pending.len();
        for (key, org, period, value) in pending {
            let cursor = &mut cursors[key as usize][org as usize];
            columns[key as usize].values[*cursor as usize] = (period, value);
            *cursor += 1;
        }
        let mut series = FxHashMap::default();
        series.reserve(keys.len());
        for ((code, gender), mut column) in keys.into_iter().zip(columns) {
            let Column { starts, values } = &mut column;
            for (o, bounds) in starts.windows(2).enumerate() {
                let s = &mut values[bounds[0] as usize..bounds[1] as usize];
                if s.len() > 1 {
                    s.sort_by_key(|(p, _)| *p);
                    for w in s.windows(2) {
                        if w[0].0 == w[1].0 {
                            errors.push(InputError::new(
                                Location::field("värde"),
                                format!(
                                    "Nyckeltal {code}, organisation {}, år {}, kön {} förekommer mer än en gång.",
                                    orgs[o],
                                    w[0].0,
                                    gender.as_str()
                                ),
                            ));
                        }
                    }
                }
            }
            series.insert((code, gender), column);
        }
        if errors.is_empty() {
            Ok(Dataset { orgs, org_ids, series, len })
        } else {
            errors.sort_by(|a, b| a.message.cmp(&b.message));
            Err(InputErrors(errors))
        }
    }
}

impl Dataset {
    /// Builds the index. Refuses (listing every problem) duplicate (indicator, organisation,
    /// period, gender) combinations, non-finite numbers and empty organisation codes.
    pub fn new(observations: impl IntoIterator<Item = Observation>) -> Result<Self, InputErrors> {
        let observations = observations.into_iter();
        let mut b = DatasetBuilder::with_capacity(observations.size_hint().0);
        for obs in observations {
            b.push_observation(obs);
        }
        b.finish()
    }

    /// Number of observations.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are no observations.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// All organisation codes that have at least one observation, sorted.
    pub fn organisations(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.orgs.iter().map(String::as_str).collect();
        v.sort_unstable();
        v
    }

    /// The period-sorted series of one indicator, organisation and gender (empty if none).
    pub fn series(&self, indicator: IndicatorCode, org: &str, gender: Gender) -> &[(Period, Value)] {
        match (self.org_ids.get(org), self.series.get(&(indicator, gender))) {
            (Some(&id), Some(column)) => column.get(id),
            _ => &[],
        }
    }

    /// All observations in a deterministic order (indicator, gender, organisation, period); for
    /// freezing an edition.
    pub fn observations(&self) -> Vec<Observation> {
        let mut out = Vec::with_capacity(self.len);
        for (&(indicator, gender), column) in &self.series {
            for (org, series) in column.iter() {
                for &(period, value) in series {
                    out.push(Observation {
                        indicator,
                        org: self.orgs[org as usize].clone(),
                        period,
                        gender,
                        value,
                    });
                }
            }
        }
        out.sort_by(|a, b| {
            (a.indicator, a.gender, &a.org, a.period).cmp(&(b.indicator, b.gender, &b.org, b.period))
        });
        out
    }

    pub(crate) fn org_id(&self, org: &str) -> Option<OrgId> {
        self.org_ids.get(org).copied()
    }

    pub(crate) fn org_code(&self, id: OrgId) -> &str {
        &self.orgs[id as usize]
    }

    pub(crate) fn org_count(&self) -> usize {
        self.orgs.len()
    }

    pub(crate) fn series_by_org(&self, indicator: IndicatorCode, gender: Gender) -> Option<&Column> {
        self.series.get(&(indicator, gender))
    }
}

/// The genders an indicator is evaluated for: T, and K and M when split by sex.
pub fn evaluated_genders(split_by_sex: bool) -> &'static [Gender] {
    if split_by_sex {
        &Gender::ALL
    } else {
        &[Gender::T]
    }
}

/// The newest period with a numeric value in a period-sorted series.
pub(crate) fn newest_with_value(series: &[(Period, Value)]) -> Option<(usize, Period, f64)> {
    series.iter().enumerate().rev().find_map(|(i, (p, v))| v.number().map(|x| (i, *p, x)))
}

/// What the previous published edition showed: per (indicator, organisation) the newest period
/// that had a value. Used to decide "not updated".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PreviousEdition {
    newest: HashMap<IndicatorCode, HashMap<String, Period>>,
}

impl PreviousEdition {
    /// An empty record (as if there were no previous edition).
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the newest period shown for an indicator and organisation.
    pub fn set(&mut self, indicator: IndicatorCode, org: impl Into<String>, period: Period) {
        self.newest.entry(indicator).or_default().insert(org.into(), period);
    }

    /// The newest period shown for an indicator and organisation, if any.
    pub fn newest(&self, indicator: IndicatorCode, org: &str) -> Option<Period> {
        self.newest.get(&indicator)?.get(org).copied()
    }

    /// Derives the record from the previous edition's frozen data, with the same rule the
    /// evaluation uses: the newest period with a numeric value over the genders evaluated for the
    /// indicator (T, plus K and M when split by sex). Under-development indicators are skipped.
    pub fn from_dataset(data: &Dataset, catalogue: &Catalogue) -> Self {
        let mut out = PreviousEdition::new();
        for ind in catalogue.indicators() {
            if ind.status == IndicatorStatus::UnderDevelopment {
                continue;
            }
            for &g in evaluated_genders(ind.split_by_sex) {
                let Some(by_org) = data.series_by_org(ind.code, g) else {
                    continue;
                };
                for (org, series) in by_org.iter() {
                    if let Some((_, p, _)) = newest_with_value(series) {
                        let slot =
                            out.newest.entry(ind.code).or_default().entry(data.org_code(org).to_string());
                        let e = slot.or_insert(p);
                        *e = (*e).max(p);
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::any;

    fn obs(code: &str, org: &str, year: i32, g: Gender, v: Value) -> Observation {
        Observation {
            indicator: code.parse().unwrap(),
            org: org.into(),
            period: Period(year),
            gender: g,
            value: v,
        }
    }

    #[test]
    fn value_codes_and_labels() {
        assert_eq!(Value::from_code(".."), Some(Value::Confidential));
        assert_eq!(Value::Confidential.missing_label(), Some("sekretess"));
        assert_eq!(Value::NotApplicable.code(), Some("."));
        assert_eq!(Value::Missing.missing_label(), Some("bortfall"));
        assert_eq!(serde_json::to_string(&Value::Number(12.5)).unwrap(), "12.5");
        assert_eq!(serde_json::to_string(&Value::Missing).unwrap(), "\"-\"");
        assert_eq!(serde_json::from_str::<Value>("\"..\"").unwrap(), Value::Confidential);
        assert!(serde_json::from_str::<Value>("\"x\"").is_err());
        assert_eq!(Gender::parse("k"), Some(Gender::K));
        assert_eq!(Gender::M.label(), "män");
    }

    #[test]
    fn dataset_sorts_series_and_refuses_duplicates() {
        let ds = Dataset::new(vec![
            obs("2.1", "0020", 2024, Gender::T, Value::Number(40.0)),
            obs("2.1", "0020", 2022, Gender::T, Value::Number(38.0)),
            obs("2.1", "0020", 2023, Gender::T, Value::Confidential),
        ])
        .unwrap();
        let s = ds.series("2.1".parse().unwrap(), "0020", Gender::T);
        assert_eq!(s.iter().map(|(p, _)| p.0).collect::<Vec<_>>(), vec![2022, 2023, 2024]);
        assert_eq!(ds.len(), 3);
        assert!(ds.series("2.1".parse().unwrap(), "2084", Gender::T).is_empty());

        let err = Dataset::new(vec![
            obs("2.1", "2084", 2024, Gender::K, Value::Number(1.0)),
            obs("2.1", "2084", 2024, Gender::K, Value::Missing),
            obs("2.1", "2084", 2024, Gender::M, Value::Number(f64::NAN)),
        ])
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("Nyckeltal 2.1, organisation 2084, år 2024, kön K förekommer mer än en gång."),
            "{text}"
        );
        assert!(text.contains("kön M: värdet är inte ett ändligt tal."), "{text}");
    }

    #[test]
    fn observations_round_trip_in_deterministic_order() {
        let input = vec![
            obs("1.1", "2084", 2024, Gender::T, Value::Number(1.0)),
            obs("1.1", "0020", 2024, Gender::T, Value::Number(2.0)),
            obs("1.1", "0020", 2023, Gender::K, Value::Missing),
        ];
        let ds = Dataset::new(input.clone()).unwrap();
        let out = ds.observations();
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].org, "0020");
        assert_eq!(out[0].gender, Gender::T);
        assert_eq!(Dataset::new(out.clone()).unwrap().observations(), out);
    }

    /// A small value for the property test: a number or one of the codes.
    fn any_value(v: u8) -> Value {
        match v % 8 {
            0 => Value::Missing,
            1 => Value::NotApplicable,
            2 => Value::Confidential,
            _ => Value::Number(f64::from(v) / 4.0 - 10.0),
        }
    }

    proptest::proptest! {
        /// The dataset keeps every value exactly once in its series (period-sorted), reports
        /// every duplicate, and does not depend on the order values come in or on how they come
        /// (observations, or value by value with interned organisations, one of them without any
        /// value).
        #[test]
        fn the_dataset_keeps_every_value_and_reports_every_duplicate(
            rows in proptest::collection::vec((0u8..3, 0usize..5, 2020i32..2025, 0usize..3, any::<u8>()), 0..80),
            seed in any::<u64>(),
        ) {
            use std::collections::BTreeMap;
            let codes = ["1.1", "2.3", "5.4"];
            let orgs = ["0020", "2084", "2062", "0000", "1480"];
            let obs: Vec<Observation> = rows
                .iter()
                .map(|&(i, o, y, g, v)| obs(codes[i as usize], orgs[o], y, Gender::ALL[g], any_value(v)))
                .collect();
            // The reference: per (indicator, org, gender) the values by period, in input order.
            let mut model: BTreeMap<(IndicatorCode, String, Gender), Vec<(Period, Value)>> = BTreeMap::new();
            for o in &obs {
                model.entry((o.indicator, o.org.clone(), o.gender)).or_default().push((o.period, o.value));
            }
            let duplicates: usize = model
                .values()
                .map(|s| {
                    let mut p: Vec<i32> = s.iter().map(|x| x.0 .0).collect();
                    p.sort_unstable();
                    p.windows(2).filter(|w| w[0] == w[1]).count()
                })
                .sum();
            let mut shuffled = obs.clone();
            let mut r = seed | 1;
            for i in (1..shuffled.len()).rev() {
                r = r.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                shuffled.swap(i, (r >> 33) as usize % (i + 1));
            }
            let mut b = DatasetBuilder::default();
            let unused = b.org("2021");
            proptest::prop_assert_eq!(b.org_code(unused), "2021");
            for o in &shuffled {
                let org = b.org(&o.org);
                b.push(o.indicator, org, o.period, o.gender, o.value);
            }
            match (Dataset::new(obs.clone()), b.finish()) {
                (Ok(a), Ok(b)) => {
                    proptest::prop_assert_eq!(duplicates, 0);
                    for ds in [&a, &b] {
                        proptest::prop_assert_eq!(ds.len(), obs.len());
                        for ((code, org, g), values) in &model {
                            let mut want = values.clone();
                            want.sort_by_key(|x| x.0);
                            proptest::prop_assert_eq!(ds.series(*code, org, *g), &want[..]);
                        }
                        let mut want_orgs: Vec<&str> = obs.iter().map(|o| o.org.as_str()).collect();
                        want_orgs.sort_unstable();
                        want_orgs.dedup();
                        proptest::prop_assert_eq!(ds.organisations(), want_orgs);
                    }
                    proptest::prop_assert_eq!(a.observations(), b.observations());
                }
                (Err(a), Err(b)) => {
                    proptest::prop_assert_eq!(a.0.len(), duplicates);
                    proptest::prop_assert!(a.0.iter().all(|e| e.message.ends_with("förekommer mer än en gång.")));
                    proptest::prop_assert_eq!(a.to_string(), b.to_string());
                }
                (a, b) => proptest::prop_assert!(false, "{:?} / {:?}", a.is_ok(), b.is_ok()),
            }
        }
    }

    #[test]
    fn previous_edition_uses_newest_period_with_a_value() {
        let cat = crate::nyckeltal::default_catalogue();
        let ds = Dataset::new(vec![
            obs("2.1", "0020", 2023, Gender::T, Value::Number(40.0)),
            obs("2.1", "0020", 2024, Gender::T, Value::Missing),
            obs("2.1", "0020", 2024, Gender::K, Value::Number(41.0)),
            obs("5.2", "0020", 2024, Gender::K, Value::Number(41.0)), // 5.2 is not split: ignored
            obs("1.3", "0020", 2024, Gender::T, Value::Number(1.0)),  // under development: ignored
        ])
        .unwrap();
        let prev = PreviousEdition::from_dataset(&ds, &cat);
        assert_eq!(prev.newest("2.1".parse().unwrap(), "0020"), Some(Period(2024)));
        assert_eq!(prev.newest("5.2".parse().unwrap(), "0020"), None);
        assert_eq!(prev.newest("1.3".parse().unwrap(), "0020"), None);
    }
}

//! Indicator values: one observation per (indicator, organisation, period, gender).
//!
//! A [`Value`] is either a number or one of Kolada's missing-value codes (`-` bortfall, `.` ej
//! tillämplig, `..` sekretess). A [`Dataset`] is a validated, indexed set of observations — the
//! content of one edition — with at most one value per (indicator, organisation, period, gender)
//! and only finite numbers. It is indexed so that an evaluation never scans all observations for
//! each organisation: per (indicator, gender) a map from organisation to its period-sorted series.

use std::collections::HashMap;
use std::fmt;

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

/// A period-sorted series of values.
pub(crate) type Series = Vec<(Period, Value)>;

/// A validated, indexed set of observations (typically one edition's frozen snapshot).
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    orgs: Vec<String>,
    org_ids: HashMap<String, OrgId>,
    /// (indicator, gender) → series sorted by period, indexed by [`OrgId`] (dense; organisations
    /// without values have an empty series or are past the end).
    series: HashMap<(IndicatorCode, Gender), Vec<Series>>,
    len: usize,
}

impl Dataset {
    /// Builds the index. Refuses (listing every problem) duplicate (indicator, organisation,
    /// period, gender) combinations, non-finite numbers and empty organisation codes.
    pub fn new(observations: impl IntoIterator<Item = Observation>) -> Result<Self, InputErrors> {
        let mut ds = Dataset::default();
        let mut errors = Vec::new();
        for obs in observations {
            if obs.org.trim().is_empty() {
                errors.push(InputError::new(
                    Location::field("organisation"),
                    format!(
                        "Värde för nyckeltal {} år {} saknar organisationskod.",
                        obs.indicator, obs.period
                    ),
                ));
                continue;
            }
            if let Value::Number(x) = obs.value {
                if !x.is_finite() {
                    errors.push(InputError::new(
                        Location::field("värde"),
                        format!(
                            "Nyckeltal {}, organisation {}, år {}, kön {}: värdet är inte ett ändligt tal.",
                            obs.indicator,
                            obs.org,
                            obs.period,
                            obs.gender.as_str()
                        ),
                    ));
                    continue;
                }
            }
            let id = ds.intern(obs.org) as usize;
            let by_org = ds.series.entry((obs.indicator, obs.gender)).or_default();
            if by_org.len() <= id {
                by_org.resize_with(id + 1, Vec::new);
            }
            by_org[id].push((obs.period, obs.value));
            ds.len += 1;
        }
        for (&(code, gender), by_org) in ds.series.iter_mut() {
            for (org, series) in by_org.iter_mut().enumerate() {
                series.sort_by_key(|(p, _)| *p);
                for w in series.windows(2) {
                    if w[0].0 == w[1].0 {
                        errors.push(InputError::new(
                            Location::field("värde"),
                            format!(
                                "Nyckeltal {code}, organisation {}, år {}, kön {} förekommer mer än en gång.",
                                ds.orgs[org],
                                w[0].0,
                                gender.as_str()
                            ),
                        ));
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(ds)
        } else {
            errors.sort_by(|a, b| a.message.cmp(&b.message));
            Err(InputErrors(errors))
        }
    }

    fn intern(&mut self, org: String) -> OrgId {
        if let Some(&id) = self.org_ids.get(&org) {
            return id;
        }
        let id = self.orgs.len() as OrgId;
        self.org_ids.insert(org.clone(), id);
        self.orgs.push(org);
        id
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
        self.org_ids
            .get(org)
            .and_then(|id| self.series.get(&(indicator, gender))?.get(*id as usize))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// All observations in a deterministic order (indicator, gender, organisation, period); for
    /// freezing an edition.
    pub fn observations(&self) -> Vec<Observation> {
        let mut out = Vec::with_capacity(self.len);
        for (&(indicator, gender), by_org) in &self.series {
            for (org, series) in by_org.iter().enumerate() {
                for &(period, value) in series {
                    out.push(Observation { indicator, org: self.orgs[org].clone(), period, gender, value });
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

    pub(crate) fn series_by_org(&self, indicator: IndicatorCode, gender: Gender) -> Option<&[Series]> {
        self.series.get(&(indicator, gender)).map(Vec::as_slice)
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
                for (org, series) in by_org.iter().enumerate() {
                    if let Some((_, p, _)) = newest_with_value(series) {
                        let slot = out
                            .newest
                            .entry(ind.code)
                            .or_default()
                            .entry(data.org_code(org as OrgId).to_string());
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

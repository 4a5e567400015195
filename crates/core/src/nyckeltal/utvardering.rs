//! Evaluation of one edition's indicators for a focus organisation (DOMAIN.md §5).
//!
//! For every indicator in the catalogue and every evaluated gender (T always; K and M when the
//! indicator is split by sex) the evaluation finds:
//!
//! - **value**: the newest period with a numeric value (missing codes `-`, `.`, `..` are skipped;
//!   a missing code newer than the value is reported in [`GenderResult::newer_missing`]);
//! - **change** (arrow): compared with the previous period that has a numeric value. Both values
//!   are first rounded to the indicator's display precision (`decimals`; x·10^d rounded half away
//!   from zero). Equal rounded values give [`Arrow::Unchanged`], so the arrow never contradicts
//!   the figures a reader sees. The arrow is valued ([`Assessment`]) only when the direction is
//!   known; a fact indicator's arrow has no colour;
//! - **comparison colour**: the focus value is ranked among the comparison group's values *for
//!   the same period and gender*, also rounded to the display precision. With `n` organisations
//!   in the ranking (the group's organisations with a value, plus the focus if it is not itself a
//!   member), `b` of them strictly better and `w` strictly worse than the focus:
//!   - "in the best quarter" ⇔ `4·b < n`; "in the worst quarter" ⇔ `4·w < n`;
//!   - green if only in the best quarter, red if only in the worst quarter, otherwise yellow
//!     (a block of ties that reaches both quarters — e.g. everyone equal — is yellow).
//!
//!   Equal values therefore always get the same colour, the colour does not depend on input
//!   order, and a strictly better value never gets a worse colour. With 20 distinct values the
//!   best 5 are green, the middle 10 yellow, the worst 5 red. Groups smaller than
//!   [`MIN_GROUP_SIZE`] (4) are not ranked: grey, [`GreyReason::GroupTooSmall`]. A focus without a
//!   value is grey, [`GreyReason::NoValue`]. Fact indicators get no comparison at all.
//!
//!   Group membership: `AllMunicipalities` = four-digit codes not starting with `00` (but when
//!   the focus is a county, `00xx`, it is ranked among all counties); `AllRegions` = `0001`–`0099`
//!   except `0000` (the country); `Named` = the listed codes;
//! - **update status**: under development (never evaluated, shown without value); no value; *not
//!   updated* when the indicator's newest period (the newest over its evaluated genders) is not
//!   newer than the newest period the previous published edition showed for the same
//!   organisation; otherwise *updated*. Without a previous edition every indicator with a value
//!   counts as updated.
//!
//! Complexity: observations are indexed per (indicator, gender) and organisation; the sorted
//! group values per (indicator, gender, period, group) are computed once and cached, and each
//! ranking is two binary searches. [`evaluate_all`] evaluates every organisation of the data set
//! with one shared cache.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::katalog::{Catalogue, ComparisonGroup, Direction, Indicator, IndicatorCode, IndicatorStatus};
use super::varde::{
    evaluated_genders, newest_with_value, Dataset, Gender, OrgId, Period, PreviousEdition, Value,
};

/// Smallest ranking (organisations with a value, focus included) that gets a colour.
pub const MIN_GROUP_SIZE: usize = 4;

/// Direction of the change since the previous measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Arrow {
    Up,
    Down,
    Unchanged,
}

impl Arrow {
    /// Swedish label: "ökat", "minskat", "oförändrat".
    pub fn label(self) -> &'static str {
        match self {
            Arrow::Up => "ökat",
            Arrow::Down => "minskat",
            Arrow::Unchanged => "oförändrat",
        }
    }
}

/// Whether a change is good or bad (only for indicators with a direction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    Improved,
    Worsened,
    Neutral,
}

impl Assessment {
    /// Swedish label: "förbättrat", "försämrat", "oförändrat".
    pub fn label(self) -> &'static str {
        match self {
            Assessment::Improved => "förbättrat",
            Assessment::Worsened => "försämrat",
            Assessment::Neutral => "oförändrat",
        }
    }
}

/// The change since the previous period with a value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Change {
    pub arrow: Arrow,
    /// `None` for fact indicators: the arrow has no colour.
    pub assessment: Option<Assessment>,
}

/// Display colour of a comparison. Ordered grey < red < yellow < green, so that "a better value
/// never gets a worse colour" can be stated as `>=` among ranked colours.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Colour {
    Grey,
    Red,
    Yellow,
    Green,
}

impl Colour {
    /// Swedish label, always with the neutral wording of the report.
    pub fn label(self) -> &'static str {
        match self {
            Colour::Green => "bättre i jämförelse med andra",
            Colour::Yellow => "i mitten i jämförelse med andra",
            Colour::Red => "sämre i jämförelse med andra (förbättringspotential)",
            Colour::Grey => "ingen jämförelse",
        }
    }
}

/// Where in the ranking a value falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Quartile {
    /// Best quarter: green.
    Best,
    /// Middle half: yellow.
    Middle,
    /// Worst quarter: red.
    Worst,
}

impl Quartile {
    /// The display colour.
    pub fn colour(self) -> Colour {
        match self {
            Quartile::Best => Colour::Green,
            Quartile::Middle => Colour::Yellow,
            Quartile::Worst => Colour::Red,
        }
    }
}

/// Why a comparison is grey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GreyReason {
    /// The focus has no value.
    NoValue,
    /// Fewer than [`MIN_GROUP_SIZE`] organisations with a value for the period.
    GroupTooSmall { size: usize },
}

/// The comparison with the group for one gender.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Comparison {
    Ranked {
        quartile: Quartile,
        period: Period,
        /// Organisations in the ranking, focus included.
        group_size: usize,
        strictly_better: usize,
        strictly_worse: usize,
    },
    NotCompared {
        reason: GreyReason,
    },
}

impl Comparison {
    /// Green/yellow/red when ranked, grey otherwise.
    pub fn colour(&self) -> Colour {
        match self {
            Comparison::Ranked { quartile, .. } => quartile.colour(),
            Comparison::NotCompared { .. } => Colour::Grey,
        }
    }
}

/// A numeric value and its period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PeriodValue {
    pub period: Period,
    pub value: f64,
}

/// The result for one gender of one indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GenderResult {
    pub gender: Gender,
    /// Newest period with a numeric value.
    pub latest: Option<PeriodValue>,
    /// Previous period with a numeric value.
    pub previous: Option<PeriodValue>,
    /// A missing-value code newer than `latest` (e.g. 2024 is `..` sekretess), if any.
    pub newer_missing: Option<(Period, Value)>,
    /// `None` when there is no previous value.
    pub change: Option<Change>,
    /// `None` for fact indicators (no comparison at all).
    pub comparison: Option<Comparison>,
}

/// Whether an indicator is new in this edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UpdateStatus {
    /// No measure yet; shown without value.
    UnderDevelopment,
    /// Active, but the focus has no numeric value at all.
    NoValue,
    /// Newest period not newer than in the previous published edition.
    NotUpdated,
    Updated,
}

impl UpdateStatus {
    /// Swedish label.
    pub fn label(self) -> &'static str {
        match self {
            UpdateStatus::UnderDevelopment => "under utveckling",
            UpdateStatus::NoValue => "saknar värde",
            UpdateStatus::NotUpdated => "inte uppdaterat",
            UpdateStatus::Updated => "uppdaterat",
        }
    }
}

/// The result for one indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IndicatorResult {
    pub code: IndicatorCode,
    pub direction: Direction,
    pub split_by_sex: bool,
    pub update: UpdateStatus,
    /// Newest period with a value over the evaluated genders.
    pub newest_period: Option<Period>,
    /// Newest period shown in the previous published edition.
    pub previous_edition_period: Option<Period>,
    /// T, then K and M when split by sex. Empty for indicators under development.
    pub genders: Vec<GenderResult>,
}

impl IndicatorResult {
    /// The result for one gender, if evaluated.
    pub fn gender(&self, g: Gender) -> Option<&GenderResult> {
        self.genders.iter().find(|r| r.gender == g)
    }

    /// True for a fact indicator (no direction) that is not under development.
    pub fn is_fact(&self) -> bool {
        self.direction == Direction::None && self.update != UpdateStatus::UnderDevelopment
    }
}

/// One focus organisation's evaluation of one edition, in catalogue order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Evaluation {
    pub focus: String,
    pub indicators: Vec<IndicatorResult>,
}

impl Evaluation {
    /// The result for one indicator.
    pub fn get(&self, code: IndicatorCode) -> Option<&IndicatorResult> {
        self.indicators.iter().find(|r| r.code == code)
    }
}

/// Evaluates every catalogue indicator for one focus organisation.
pub fn evaluate(
    catalogue: &Catalogue,
    data: &Dataset,
    focus: &str,
    previous: Option<&PreviousEdition>,
) -> Evaluation {
    Evaluator::new(catalogue, data).evaluate(focus, previous)
}

/// Evaluates every organisation that has at least one observation, sharing the ranking cache.
/// Keyed by organisation code.
pub fn evaluate_all(
    catalogue: &Catalogue,
    data: &Dataset,
    previous: Option<&PreviousEdition>,
) -> BTreeMap<String, Evaluation> {
    let mut ev = Evaluator::new(catalogue, data);
    let mut out = BTreeMap::new();
    for id in 0..data.org_count() as OrgId {
        let code = data.org_code(id).to_string();
        let e = ev.evaluate(&code, previous);
        out.insert(code, e);
    }
    out
}

/// What kind of organisation a code denotes, for group membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CodeKind {
    Municipality,
    County,
    Other,
}

fn code_kind(code: &str) -> CodeKind {
    let b = code.as_bytes();
    if b.len() != 4 || !b.iter().all(u8::is_ascii_digit) || code == "0000" {
        CodeKind::Other
    } else if code.starts_with("00") {
        CodeKind::County
    } else {
        CodeKind::Municipality
    }
}

/// The set of organisations a focus is ranked among.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum PeerSet {
    Municipalities,
    Counties,
    Named(IndicatorCode),
}

/// Rounds to the display precision, as an exact integer key.
pub fn rounded(x: f64, decimals: u8) -> i64 {
    (x * 10f64.powi(i32::from(decimals))).round() as i64
}

type RankKey = (IndicatorCode, Gender, Period, PeerSet);

/// Reusable evaluator: holds the ranking cache so that many foci share sorted group values.
pub struct Evaluator<'a> {
    catalogue: &'a Catalogue,
    data: &'a Dataset,
    kinds: Vec<CodeKind>,
    named: HashMap<IndicatorCode, HashSet<&'a str>>,
    cache: HashMap<RankKey, Vec<i64>>,
}

impl<'a> Evaluator<'a> {
    /// Prepares an evaluator for one edition's data.
    pub fn new(catalogue: &'a Catalogue, data: &'a Dataset) -> Self {
        let kinds = (0..data.org_count() as OrgId).map(|id| code_kind(data.org_code(id))).collect();
        let named = catalogue
            .indicators()
            .iter()
            .filter_map(|i| match &i.comparison_group {
                ComparisonGroup::Named { codes, .. } => {
                    Some((i.code, codes.iter().map(String::as_str).collect()))
                }
                _ => None,
            })
            .collect();
        Evaluator { catalogue, data, kinds, named, cache: HashMap::new() }
    }

    /// Evaluates every catalogue indicator for one focus organisation.
    pub fn evaluate(&mut self, focus: &str, previous: Option<&PreviousEdition>) -> Evaluation {
        let focus_id = self.data.org_id(focus);
        let catalogue = self.catalogue;
        let indicators =
            catalogue.indicators().iter().map(|ind| self.indicator(ind, focus, focus_id, previous)).collect();
        Evaluation { focus: focus.to_string(), indicators }
    }

    fn indicator(
        &mut self,
        ind: &Indicator,
        focus: &str,
        focus_id: Option<OrgId>,
        previous: Option<&PreviousEdition>,
    ) -> IndicatorResult {
        let previous_edition_period = previous.and_then(|p| p.newest(ind.code, focus));
        let mut result = IndicatorResult {
            code: ind.code,
            direction: ind.direction,
            split_by_sex: ind.split_by_sex,
            update: UpdateStatus::UnderDevelopment,
            newest_period: None,
            previous_edition_period,
            genders: Vec::new(),
        };
        if ind.status == IndicatorStatus::UnderDevelopment {
            return result;
        }
        for &g in evaluated_genders(ind.split_by_sex) {
            let r = self.gender(ind, g, focus, focus_id);
            result.genders.push(r);
        }
        result.newest_period = result.genders.iter().filter_map(|r| r.latest.map(|l| l.period)).max();
        result.update = match (result.newest_period, previous_edition_period) {
            (None, _) => UpdateStatus::NoValue,
            (Some(now), Some(before)) if now <= before => UpdateStatus::NotUpdated,
            _ => UpdateStatus::Updated,
        };
        result
    }

    fn gender(&mut self, ind: &Indicator, g: Gender, focus: &str, focus_id: Option<OrgId>) -> GenderResult {
        let data = self.data;
        let series: &[(Period, Value)] =
            focus_id.and_then(|id| Some(data.series_by_org(ind.code, g)?.get(id))).unwrap_or(&[]);
        let latest = newest_with_value(series);
        let previous = latest.and_then(|(i, _, _)| newest_with_value(&series[..i]));
        let newer_missing = series.last().and_then(|&(p, v)| {
            let newer = latest.is_none_or(|(_, lp, _)| p > lp);
            (newer && v.number().is_none()).then_some((p, v))
        });
        let change = match (latest, previous) {
            (Some((_, _, now)), Some((_, _, before))) => {
                let (now, before) = (rounded(now, ind.decimals), rounded(before, ind.decimals));
                let arrow = match now.cmp(&before) {
                    std::cmp::Ordering::Greater => Arrow::Up,
                    std::cmp::Ordering::Less => Arrow::Down,
                    std::cmp::Ordering::Equal => Arrow::Unchanged,
                };
                let assessment = match (ind.direction, arrow) {
                    (Direction::None, _) => None,
                    (_, Arrow::Unchanged) => Some(Assessment::Neutral),
                    (Direction::HigherIsBetter, Arrow::Up) | (Direction::LowerIsBetter, Arrow::Down) => {
                        Some(Assessment::Improved)
                    }
                    _ => Some(Assessment::Worsened),
                };
                Some(Change { arrow, assessment })
            }
            _ => None,
        };
        let comparison = match (ind.direction, latest) {
            (Direction::None, _) => None,
            (_, None) => Some(Comparison::NotCompared { reason: GreyReason::NoValue }),
            (_, Some((_, period, value))) => Some(self.rank(ind, g, period, value, focus)),
        };
        GenderResult {
            gender: g,
            latest: latest.map(|(_, period, value)| PeriodValue { period, value }),
            previous: previous.map(|(_, period, value)| PeriodValue { period, value }),
            newer_missing,
            change,
            comparison,
        }
    }

    fn peer_set(&self, ind: &Indicator, focus: &str) -> PeerSet {
        match &ind.comparison_group {
            ComparisonGroup::AllMunicipalities if code_kind(focus) == CodeKind::County => PeerSet::Counties,
            ComparisonGroup::AllMunicipalities => PeerSet::Municipalities,
            ComparisonGroup::AllRegions => PeerSet::Counties,
            ComparisonGroup::Named { .. } => PeerSet::Named(ind.code),
        }
    }

    fn is_member(&self, set: PeerSet, code: &str, kind: CodeKind) -> bool {
        match set {
            PeerSet::Municipalities => kind == CodeKind::Municipality,
            PeerSet::Counties => kind == CodeKind::County,
            PeerSet::Named(ind) => self.named.get(&ind).is_some_and(|s| s.contains(code)),
        }
    }

    /// Sorted, rounded values of the group's members for one period and gender (cached).
    fn group_values(&mut self, ind: &Indicator, g: Gender, period: Period, set: PeerSet) -> &[i64] {
        let key = (ind.code, g, period, set);
        if !self.cache.contains_key(&key) {
            let mut values = Vec::new();
            if let Some(by_org) = self.data.series_by_org(ind.code, g) {
                for (org, series) in by_org.iter() {
                    let code = self.data.org_code(org);
                    if !self.is_member(set, code, self.kinds[org as usize]) {
                        continue;
                    }
                    if let Ok(i) = series.binary_search_by_key(&period, |(p, _)| *p) {
                        if let Some(x) = series[i].1.number() {
                            values.push(rounded(x, ind.decimals));
                        }
                    }
                }
            }
            values.sort_unstable();
            self.cache.insert(key, values);
        }
        self.cache.get(&key).map(Vec::as_slice).unwrap_or(&[])
    }

    fn rank(&mut self, ind: &Indicator, g: Gender, period: Period, value: f64, focus: &str) -> Comparison {
        let set = self.peer_set(ind, focus);
        let focus_is_member = self.is_member(set, focus, code_kind(focus));
        let v = rounded(value, ind.decimals);
        let direction = ind.direction;
        let values = self.group_values(ind, g, period, set);
        let below = values.partition_point(|&x| x < v);
        let above = values.len() - values.partition_point(|&x| x <= v);
        let n = values.len() + usize::from(!focus_is_member);
        let (better, worse) = match direction {
            Direction::LowerIsBetter => (below, above),
            _ => (above, below),
        };
        if n < MIN_GROUP_SIZE {
            return Comparison::NotCompared { reason: GreyReason::GroupTooSmall { size: n } };
        }
        Comparison::Ranked {
            quartile: quartile(better, worse, n),
            period,
            group_size: n,
            strictly_better: better,
            strictly_worse: worse,
        }
    }
}

/// The quartile rule of the module documentation: `better`/`worse` organisations strictly better
/// / worse than the focus, `n` organisations in the ranking.
pub fn quartile(better: usize, worse: usize, n: usize) -> Quartile {
    let in_best = 4 * better < n;
    let in_worst = 4 * worse < n;
    match (in_best, in_worst) {
        (true, false) => Quartile::Best,
        (false, true) => Quartile::Worst,
        _ => Quartile::Middle,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nyckeltal::katalog::{Level, Source};
    use crate::nyckeltal::varde::Observation;
    use proptest::prelude::*;

    fn ind(code: &str, direction: Direction, split: bool, group: ComparisonGroup) -> Indicator {
        let code: IndicatorCode = code.parse().unwrap();
        Indicator {
            code,
            subgoal: code.subgoal(),
            title: format!("Testnyckeltal {code}"),
            sources: vec![Source::Own],
            unit: "procent".into(),
            decimals: 1,
            direction,
            status: IndicatorStatus::Active,
            split_by_sex: split,
            level: Level::Municipality,
            comparison_group: group,
            description: String::new(),
        }
    }

    fn cat(inds: Vec<Indicator>) -> Catalogue {
        Catalogue::new(inds).unwrap()
    }

    fn obs(code: &str, org: &str, year: i32, g: Gender, v: f64) -> Observation {
        Observation {
            indicator: code.parse().unwrap(),
            org: org.into(),
            period: Period(year),
            gender: g,
            value: Value::Number(v),
        }
    }

    /// Municipality codes 2001, 2002, … with values 1, 2, … for 2024 (T).
    fn group_1_to_n(code: &str, n: usize) -> Vec<Observation> {
        (1..=n).map(|i| obs(code, &format!("{}", 2000 + i), 2024, Gender::T, i as f64)).collect()
    }

    fn colour_of(e: &Evaluation, code: &str, g: Gender) -> Colour {
        e.get(code.parse().unwrap()).unwrap().gender(g).unwrap().comparison.unwrap().colour()
    }

    #[test]
    fn quartile_boundaries_with_twenty_distinct_values() {
        let c = cat(vec![ind("1.1", Direction::HigherIsBetter, false, ComparisonGroup::AllMunicipalities)]);
        let data = Dataset::new(group_1_to_n("1.1", 20)).unwrap();
        let all = evaluate_all(&c, &data, None);
        let colours: Vec<Colour> =
            (1..=20).map(|i| colour_of(&all[&format!("{}", 2000 + i)], "1.1", Gender::T)).collect();
        assert_eq!(colours[..5], [Colour::Red; 5]);
        assert_eq!(colours[5..15], [Colour::Yellow; 10]);
        assert_eq!(colours[15..], [Colour::Green; 5]);
        // Details of one ranking.
        let r =
            all["2016"].get("1.1".parse().unwrap()).unwrap().gender(Gender::T).unwrap().comparison.unwrap();
        assert_eq!(
            r,
            Comparison::Ranked {
                quartile: Quartile::Best,
                period: Period(2024),
                group_size: 20,
                strictly_better: 4,
                strictly_worse: 15
            }
        );
    }

    #[test]
    fn lower_is_better_reverses_the_colours() {
        let c = cat(vec![ind("3.2", Direction::LowerIsBetter, false, ComparisonGroup::AllMunicipalities)]);
        let data = Dataset::new(group_1_to_n("3.2", 8)).unwrap();
        let all = evaluate_all(&c, &data, None);
        assert_eq!(colour_of(&all["2001"], "3.2", Gender::T), Colour::Green);
        assert_eq!(colour_of(&all["2002"], "3.2", Gender::T), Colour::Green);
        assert_eq!(colour_of(&all["2003"], "3.2", Gender::T), Colour::Yellow);
        assert_eq!(colour_of(&all["2007"], "3.2", Gender::T), Colour::Red);
        assert_eq!(colour_of(&all["2008"], "3.2", Gender::T), Colour::Red);
    }

    #[test]
    fn ties_get_the_same_colour_and_all_equal_is_yellow() {
        let c = cat(vec![ind("1.1", Direction::HigherIsBetter, false, ComparisonGroup::AllMunicipalities)]);
        // Values 5,5,5 at the top of 12: all three green (nobody better, 9 worse).
        let mut o = group_1_to_n("1.1", 9);
        for org in ["2010", "2011", "2012"] {
            o.push(obs("1.1", org, 2024, Gender::T, 50.0));
        }
        let all = evaluate_all(&c, &Dataset::new(o).unwrap(), None);
        for org in ["2010", "2011", "2012"] {
            assert_eq!(colour_of(&all[org], "1.1", Gender::T), Colour::Green);
        }
        // Values equal after rounding to one decimal are ties: 10.04 and 10.0 both show "10,0".
        let mut o: Vec<Observation> =
            (1..=6).map(|i| obs("1.1", &format!("{}", 2000 + i), 2024, Gender::T, 10.0)).collect();
        o.push(obs("1.1", "2007", 2024, Gender::T, 10.04));
        let all = evaluate_all(&c, &Dataset::new(o).unwrap(), None);
        assert!(all.values().all(|e| colour_of(e, "1.1", Gender::T) == Colour::Yellow));
    }

    #[test]
    fn small_groups_and_missing_values_are_grey() {
        let c = cat(vec![ind("1.1", Direction::HigherIsBetter, true, ComparisonGroup::AllMunicipalities)]);
        let mut o = group_1_to_n("1.1", 3);
        o.push(Observation {
            indicator: "1.1".parse().unwrap(),
            org: "2001".into(),
            period: Period(2024),
            gender: Gender::K,
            value: Value::Confidential,
        });
        let data = Dataset::new(o).unwrap();
        let e = evaluate(&c, &data, "2001", None);
        let r = e.get("1.1".parse().unwrap()).unwrap();
        assert_eq!(
            r.gender(Gender::T).unwrap().comparison,
            Some(Comparison::NotCompared { reason: GreyReason::GroupTooSmall { size: 3 } })
        );
        let k = r.gender(Gender::K).unwrap();
        assert_eq!(k.comparison, Some(Comparison::NotCompared { reason: GreyReason::NoValue }));
        assert_eq!(k.newer_missing, Some((Period(2024), Value::Confidential)));
        assert_eq!(k.latest, None);
        // Men: no data at all.
        assert_eq!(r.gender(Gender::M).unwrap().comparison.unwrap().colour(), Colour::Grey);
        // Exactly four is enough.
        let data = Dataset::new(group_1_to_n("1.1", 4)).unwrap();
        assert_eq!(colour_of(&evaluate(&c, &data, "2004", None), "1.1", Gender::T), Colour::Green);
        assert_eq!(colour_of(&evaluate(&c, &data, "2002", None), "1.1", Gender::T), Colour::Yellow);
        assert_eq!(colour_of(&evaluate(&c, &data, "2001", None), "1.1", Gender::T), Colour::Red);
    }

    #[test]
    fn ranking_uses_the_same_period_and_gender_and_the_right_group() {
        let c = cat(vec![ind("4.2", Direction::LowerIsBetter, true, ComparisonGroup::AllMunicipalities)]);
        let mut o = Vec::new();
        // Counties 0001..0008 in 2024 for women; 0020 (Dalarna) best.
        for i in 1..=8 {
            o.push(obs("4.2", &format!("00{:02}", i), 2024, Gender::K, 10.0 + i as f64));
            // The same counties in 2023 — must not be mixed in.
            o.push(obs("4.2", &format!("00{:02}", i), 2023, Gender::K, 0.0));
            // Municipalities much better — but a county is ranked among counties.
            o.push(obs("4.2", &format!("20{:02}", i), 2024, Gender::K, 1.0));
        }
        o.push(obs("4.2", "0020", 2024, Gender::K, 5.0));
        o.push(obs("4.2", "0000", 2024, Gender::K, 0.0)); // the country is never in a group
        let data = Dataset::new(o).unwrap();
        let e = evaluate(&c, &data, "0020", None);
        let k = e.get("4.2".parse().unwrap()).unwrap().gender(Gender::K).unwrap().comparison.unwrap();
        assert_eq!(
            k,
            Comparison::Ranked {
                quartile: Quartile::Best,
                period: Period(2024),
                group_size: 9,
                strictly_better: 0,
                strictly_worse: 8
            }
        );
        // A named group: only the listed codes, focus added if not a member.
        let named = ComparisonGroup::Named {
            name: "Södra Dalarna".into(),
            codes: vec!["2001".into(), "2002".into(), "2003".into()],
        };
        let c = cat(vec![ind("4.2", Direction::LowerIsBetter, true, named)]);
        let e = evaluate(&c, &data, "0020", None);
        let k = e.get("4.2".parse().unwrap()).unwrap().gender(Gender::K).unwrap().comparison.unwrap();
        assert_eq!(
            k,
            Comparison::Ranked {
                quartile: Quartile::Worst,
                period: Period(2024),
                group_size: 4,
                strictly_better: 3,
                strictly_worse: 0
            }
        );
    }

    #[test]
    fn arrows_round_to_display_precision_and_are_valued_by_direction() {
        let c = cat(vec![
            ind("1.1", Direction::HigherIsBetter, false, ComparisonGroup::AllMunicipalities),
            ind("3.2", Direction::LowerIsBetter, false, ComparisonGroup::AllMunicipalities),
            ind("2.3", Direction::None, false, ComparisonGroup::AllMunicipalities),
            ind("4.1", Direction::HigherIsBetter, false, ComparisonGroup::AllMunicipalities),
        ]);
        let data = Dataset::new(vec![
            obs("1.1", "2084", 2023, Gender::T, 40.0),
            obs("1.1", "2084", 2024, Gender::T, 41.0),
            obs("3.2", "2084", 2023, Gender::T, 40.0),
            obs("3.2", "2084", 2024, Gender::T, 41.0),
            obs("2.3", "2084", 2023, Gender::T, 7.0),
            obs("2.3", "2084", 2024, Gender::T, 6.0),
            obs("4.1", "2084", 2022, Gender::T, 12.34),
            Observation {
                indicator: "4.1".parse().unwrap(),
                org: "2084".into(),
                period: Period(2023),
                gender: Gender::T,
                value: Value::Missing,
            },
            obs("4.1", "2084", 2024, Gender::T, 12.26),
        ])
        .unwrap();
        let e = evaluate(&c, &data, "2084", None);
        let ch =
            |code: &str| e.get(code.parse().unwrap()).unwrap().gender(Gender::T).unwrap().change.unwrap();
        assert_eq!(ch("1.1"), Change { arrow: Arrow::Up, assessment: Some(Assessment::Improved) });
        assert_eq!(ch("3.2"), Change { arrow: Arrow::Up, assessment: Some(Assessment::Worsened) });
        assert_eq!(ch("2.3"), Change { arrow: Arrow::Down, assessment: None });
        // 12.34 → 12.26 both show as "12,3": unchanged; 2023 (bortfall) is skipped.
        assert_eq!(ch("4.1"), Change { arrow: Arrow::Unchanged, assessment: Some(Assessment::Neutral) });
        let r = e.get("4.1".parse().unwrap()).unwrap().gender(Gender::T).unwrap();
        assert_eq!(r.previous.unwrap().period, Period(2022));
        // Fact indicators get no comparison.
        assert_eq!(e.get("2.3".parse().unwrap()).unwrap().gender(Gender::T).unwrap().comparison, None);
    }

    #[test]
    fn update_status_under_development_and_not_updated() {
        let mut dev = ind("1.3", Direction::None, false, ComparisonGroup::AllMunicipalities);
        dev.status = IndicatorStatus::UnderDevelopment;
        let c = cat(vec![
            ind("1.1", Direction::HigherIsBetter, true, ComparisonGroup::AllMunicipalities),
            ind("1.2", Direction::HigherIsBetter, false, ComparisonGroup::AllMunicipalities),
            dev,
            ind("1.4", Direction::HigherIsBetter, false, ComparisonGroup::AllMunicipalities),
        ]);
        let data = Dataset::new(vec![
            obs("1.1", "2084", 2023, Gender::T, 1.0),
            obs("1.1", "2084", 2024, Gender::K, 1.0), // newest over genders is 2024
            obs("1.2", "2084", 2023, Gender::T, 1.0),
            obs("1.3", "2084", 2024, Gender::T, 1.0), // ignored
        ])
        .unwrap();
        let mut prev = PreviousEdition::new();
        prev.set("1.1".parse().unwrap(), "2084", Period(2023));
        prev.set("1.2".parse().unwrap(), "2084", Period(2023));
        let e = evaluate(&c, &data, "2084", Some(&prev));
        let st = |code: &str| e.get(code.parse().unwrap()).unwrap().update;
        assert_eq!(st("1.1"), UpdateStatus::Updated);
        assert_eq!(st("1.2"), UpdateStatus::NotUpdated);
        assert_eq!(st("1.3"), UpdateStatus::UnderDevelopment);
        assert_eq!(st("1.4"), UpdateStatus::NoValue);
        assert!(e.get("1.3".parse().unwrap()).unwrap().genders.is_empty());
        assert_eq!(e.get("1.1".parse().unwrap()).unwrap().genders.len(), 3);
        // Without a previous edition everything with a value is updated.
        let e = evaluate(&c, &data, "2084", None);
        assert_eq!(e.get("1.2".parse().unwrap()).unwrap().update, UpdateStatus::Updated);
        // A focus that is not in the data at all.
        let e = evaluate(&c, &data, "2021", None);
        assert!(e
            .indicators
            .iter()
            .all(|r| matches!(r.update, UpdateStatus::NoValue | UpdateStatus::UnderDevelopment)));
    }

    #[test]
    fn evaluation_serializes_with_stable_names() {
        let c = cat(vec![ind("1.1", Direction::HigherIsBetter, false, ComparisonGroup::AllMunicipalities)]);
        let data = Dataset::new(group_1_to_n("1.1", 4)).unwrap();
        let json = serde_json::to_value(evaluate(&c, &data, "2004", None)).unwrap();
        let g = &json["indicators"][0]["genders"][0];
        assert_eq!(json["indicators"][0]["code"], "1.1");
        assert_eq!(json["indicators"][0]["update"], "updated");
        assert_eq!(g["comparison"]["kind"], "ranked");
        assert_eq!(g["comparison"]["quartile"], "best");
        assert_eq!(g["latest"]["value"], 4.0);
    }

    /// Realistic scale: 20 indicators × 290 municipalities × 21 regions × 3 genders × 5 years.
    /// Every organisation gets a result for every indicator. (Speed is measured in the criterion
    /// benchmark `benches/nyckeltal.rs`, never asserted in a test.)
    #[test]
    fn evaluating_all_swedish_municipalities_covers_everyone() {
        let catalogue = crate::nyckeltal::default_catalogue();
        let mut o = Vec::new();
        let orgs: Vec<String> = (0..290)
            .map(|i| format!("{}", 1000 + i * 3))
            .chain((1..=21).map(|i| format!("00{i:02}")))
            .collect();
        for ind in catalogue.indicators() {
            for (k, org) in orgs.iter().enumerate() {
                for year in 2020..2025 {
                    for &g in evaluated_genders(ind.split_by_sex) {
                        let v = ((k * 7919 + year as usize * 31 + g as usize * 13) % 1000) as f64 / 10.0;
                        o.push(obs(&ind.code.to_string(), org, year, g, v));
                    }
                }
            }
        }
        let data = Dataset::new(o).unwrap();
        let all = evaluate_all(&catalogue, &data, None);
        assert_eq!(all.len(), 311);
        assert!(all.values().all(|e| e.indicators.len() == 20));
    }

    proptest! {
        /// Colours do not depend on the order of the observations.
        #[test]
        fn colours_do_not_depend_on_input_order(
            values in proptest::collection::vec(0u8..20, 1..40),
            seed in any::<u64>(),
        ) {
            let c = cat(vec![ind("1.1", Direction::HigherIsBetter, false, ComparisonGroup::AllMunicipalities)]);
            let o: Vec<Observation> = values.iter().enumerate()
                .map(|(i, &v)| obs("1.1", &format!("{}", 2001 + i), 2024, Gender::T, f64::from(v) / 2.0))
                .collect();
            let mut shuffled = o.clone();
            // Deterministic Fisher–Yates with a simple LCG from the seed.
            let mut s = seed | 1;
            for i in (1..shuffled.len()).rev() {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                shuffled.swap(i, (s >> 33) as usize % (i + 1));
            }
            let a = evaluate_all(&c, &Dataset::new(o).unwrap(), None);
            let b = evaluate_all(&c, &Dataset::new(shuffled).unwrap(), None);
            prop_assert_eq!(a, b);
        }

        /// A strictly better value never gets a worse colour; equal values get equal colours.
        #[test]
        fn better_value_never_gets_worse_colour(
            values in proptest::collection::vec(0u8..30, 4..60),
            lower in any::<bool>(),
        ) {
            let dir = if lower { Direction::LowerIsBetter } else { Direction::HigherIsBetter };
            let c = cat(vec![ind("1.1", dir, false, ComparisonGroup::AllMunicipalities)]);
            let o: Vec<Observation> = values.iter().enumerate()
                .map(|(i, &v)| obs("1.1", &format!("{}", 2001 + i), 2024, Gender::T, f64::from(v)))
                .collect();
            let all = evaluate_all(&c, &Dataset::new(o).unwrap(), None);
            let colour = |i: usize| colour_of(&all[&format!("{}", 2001 + i)], "1.1", Gender::T);
            for i in 0..values.len() {
                for j in 0..values.len() {
                    let i_better = if lower { values[i] < values[j] } else { values[i] > values[j] };
                    if i_better {
                        prop_assert!(colour(i) >= colour(j));
                    }
                    if values[i] == values[j] {
                        prop_assert_eq!(colour(i), colour(j));
                    }
                }
            }
            // Roughly a quarter each way: never more than ceil(n/4) strictly-ordered greens.
            let greens = (0..values.len()).filter(|&i| colour(i) == Colour::Green).count();
            let distinct: std::collections::BTreeSet<u8> = values.iter().copied().collect();
            if distinct.len() == values.len() {
                prop_assert_eq!(greens, values.len().div_ceil(4));
            }
        }
    }
}

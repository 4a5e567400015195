//! The indicator catalogue: what each of the (normally 20) indicators is, and its TOML format.
//!
//! A catalogue entry ([`Indicator`]) says which sub-goal an indicator belongs to, where its
//! values come from (Kolada KPI ids or `egen` for manually collected data), how it is displayed
//! (unit, decimals), how it is valued ([`Direction`]: higher or lower is better, or `none` for a
//! *faktanyckeltal*), whether it is still under development, whether it is split by sex, which
//! organisation level it describes and which group it is compared with.
//!
//! Validation rules ([`Catalogue::new`]): codes are unique; the code's first number equals the
//! sub-goal; sub-goals are 1–5; titles and units are non-empty; decimals are 0–4; a named
//! comparison group has a name and at least one valid four-digit code. The county's customary
//! shape (20 indicators, four per sub-goal) is reported by [`Catalogue::shape_warnings`] as
//! warnings rather than errors, so that a county can add or retire an indicator.
//!
//! # TOML format
//!
//! ```toml
//! # Nyckeltalskatalog för God och nära vård
//! [[nyckeltal]]
//! kod = "2.1"                       # delmål.nummer
//! delmal = 2                        # 1–5, måste stämma med kodens första siffra
//! titel = "Kontinuitet hos läkare i primärvården, 65 år och äldre"
//! kallor = ["egen"]                 # Kolada-id (N eller U + fem siffror) och/eller "egen"; får vara tom
//! enhet = "procent"
//! decimaler = 1                     # visningsprecision, 0–4 (standard 1)
//! riktning = "hogre_ar_battre"      # hogre_ar_battre | lagre_ar_battre | ingen (faktanyckeltal)
//! status = "aktiv"                  # aktiv | under_utveckling
//! konsuppdelad = true               # redovisas för kvinnor och män (standard false)
//! niva = "region"                   # kommun | region
//! jamforelsegrupp = "alla_regioner" # alla_kommuner | alla_regioner | { namn = "...", koder = ["2084", ...] }
//!                                   # (utelämnad: alla_kommuner för niva kommun, annars alla_regioner)
//! beskrivning = "Fritext."          # valfri
//! ```
//!
//! Errors name the line, the indicator and the field, e.g.
//! `rad 7, fält riktning: Nyckeltal 2.1: okänd riktning "hogre" …`.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{InputError, InputErrors, Location};
use crate::organisation::is_scb_code;

/// Number of sub-goals indicators can belong to (DOMAIN.md §3).
pub const SUBGOAL_COUNT: u8 = 5;
/// The county's customary number of indicators per sub-goal (DOMAIN.md §4).
pub const INDICATORS_PER_SUBGOAL: usize = 4;

/// An indicator code such as `1.1` or `5.4`: sub-goal number (1–9) and running number (1–99).
///
/// Ordered numerically (`1.2` < `1.10` < `2.1`). Serialized as the string `"1.1"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IndicatorCode {
    subgoal: u8,
    number: u8,
}

impl IndicatorCode {
    /// Builds a code from its parts; `None` unless sub-goal is 1–9 and number 1–99.
    pub fn new(subgoal: u8, number: u8) -> Option<Self> {
        ((1..=9).contains(&subgoal) && (1..=99).contains(&number))
            .then_some(IndicatorCode { subgoal, number })
    }

    /// The sub-goal number (the part before the dot).
    pub fn subgoal(self) -> u8 {
        self.subgoal
    }

    /// The running number within the sub-goal (the part after the dot).
    pub fn number(self) -> u8 {
        self.number
    }
}

impl fmt::Display for IndicatorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.subgoal, self.number)
    }
}

/// An indicator code or Kolada id that was refused; `Display` is the Swedish, user-facing message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error(
        "\"{0}\" är ingen giltig nyckeltalskod; skriv delmål och nummer med punkt, t.ex. 1.1 eller 5.4."
    )]
    IndicatorCode(String),
    #[error(
        "\"{0}\" är inget giltigt Kolada-id; det ska vara N eller U följt av fem siffror, t.ex. N00945."
    )]
    KpiId(String),
}

crate::error::message_into_string!(IdError);

impl FromStr for IndicatorCode {
    type Err = IdError;

    /// Parses `"1.1"`.
    fn from_str(s: &str) -> Result<Self, IdError> {
        let t = s.trim();
        let parsed = t.split_once('.').and_then(|(a, b)| {
            let digits = |p: &str| !p.is_empty() && p.len() <= 2 && p.bytes().all(|c| c.is_ascii_digit());
            if !digits(a) || !digits(b) || a.starts_with('0') || b.starts_with('0') {
                return None;
            }
            IndicatorCode::new(a.parse().ok()?, b.parse().ok()?)
        });
        parsed.ok_or_else(|| IdError::IndicatorCode(t.to_string()))
    }
}

impl Serialize for IndicatorCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IndicatorCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A Kolada KPI id: `N` (municipality/region level) or `U` (organisational unit) and five digits,
/// e.g. `N00945`. Only the shape is checked; whether the KPI exists is Kolada's business.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KpiId(String);

impl KpiId {
    /// Parses `N12345`/`U12345`.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let t = s.trim();
        let b = t.as_bytes();
        if b.len() == 6 && (b[0] == b'N' || b[0] == b'U') && b[1..].iter().all(u8::is_ascii_digit) {
            Ok(KpiId(t.to_string()))
        } else {
            Err(IdError::KpiId(t.to_string()))
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KpiId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for KpiId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for KpiId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        KpiId::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Where an indicator's values come from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Source {
    /// A Kolada KPI.
    Kolada(KpiId),
    /// Data collected manually by the county ("egen").
    Own,
}

impl Source {
    /// The word used in files: the Kolada id or `egen`.
    pub fn as_str(&self) -> &str {
        match self {
            Source::Kolada(id) => id.as_str(),
            Source::Own => "egen",
        }
    }

    /// Parses a Kolada id or `egen`.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        if s.trim().eq_ignore_ascii_case("egen") {
            Ok(Source::Own)
        } else {
            KpiId::parse(s).map(Source::Kolada)
        }
    }
}

impl Serialize for Source {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Source {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Source::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// How a value is judged. `None` marks a *faktanyckeltal*: information only, shown without arrow
/// colour and without comparison colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
    None,
}

impl Direction {
    /// The keyword used in the TOML format.
    pub fn keyword(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "hogre_ar_battre",
            Direction::LowerIsBetter => "lagre_ar_battre",
            Direction::None => "ingen",
        }
    }

    /// Swedish label for pages: "högre är bättre", "lägre är bättre", "faktanyckeltal".
    pub fn label(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "högre är bättre",
            Direction::LowerIsBetter => "lägre är bättre",
            Direction::None => "faktanyckeltal (ingen riktning)",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Direction::HigherIsBetter, Direction::LowerIsBetter, Direction::None]
            .into_iter()
            .find(|d| d.keyword() == s.trim())
    }
}

/// Whether an indicator has a defined measure yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorStatus {
    Active,
    /// No measure defined yet: shown without value and never evaluated.
    UnderDevelopment,
}

impl IndicatorStatus {
    /// The keyword used in the TOML format.
    pub fn keyword(self) -> &'static str {
        match self {
            IndicatorStatus::Active => "aktiv",
            IndicatorStatus::UnderDevelopment => "under_utveckling",
        }
    }

    /// Swedish label: "aktiv", "under utveckling".
    pub fn label(self) -> &'static str {
        match self {
            IndicatorStatus::Active => "aktiv",
            IndicatorStatus::UnderDevelopment => "under utveckling",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [IndicatorStatus::Active, IndicatorStatus::UnderDevelopment]
            .into_iter()
            .find(|d| d.keyword() == s.trim())
    }
}

/// Which organisation level an indicator describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Municipality,
    Region,
}

impl Level {
    /// The keyword used in the TOML format.
    pub fn keyword(self) -> &'static str {
        match self {
            Level::Municipality => "kommun",
            Level::Region => "region",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Level::Municipality, Level::Region].into_iter().find(|d| d.keyword() == s.trim())
    }

    /// The comparison group used when a catalogue entry does not name one.
    pub fn default_group(self) -> ComparisonGroup {
        match self {
            Level::Municipality => ComparisonGroup::AllMunicipalities,
            Level::Region => ComparisonGroup::AllRegions,
        }
    }
}

/// Which organisations a value is ranked against (see the evaluation module for the exact rule).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComparisonGroup {
    /// All Swedish municipalities (four-digit codes not starting with `00`). A county focus such
    /// as `0020` is instead ranked among all counties, as Kolada publishes municipal KPIs
    /// aggregated per county.
    AllMunicipalities,
    /// All regions (codes `0001`–`0025`; `0000`, the whole country, is never a member).
    AllRegions,
    /// A named, explicit set of organisation codes.
    Named { name: String, codes: Vec<String> },
}

impl ComparisonGroup {
    /// Swedish label for pages.
    pub fn label(&self) -> String {
        match self {
            ComparisonGroup::AllMunicipalities => "alla kommuner".to_string(),
            ComparisonGroup::AllRegions => "alla regioner".to_string(),
            ComparisonGroup::Named { name, .. } => name.clone(),
        }
    }
}

/// One catalogue entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Indicator {
    pub code: IndicatorCode,
    /// 1–5; equals `code.subgoal()` in a valid catalogue.
    pub subgoal: u8,
    /// Swedish title as shown in the infographic.
    pub title: String,
    /// Kolada KPI ids and/or `egen`. Empty when not yet decided.
    pub sources: Vec<Source>,
    /// Swedish unit, e.g. "procent", "antal per 1 000 invånare".
    pub unit: String,
    /// Display precision (0–4). Arrows and ranking compare values rounded to this precision.
    pub decimals: u8,
    pub direction: Direction,
    pub status: IndicatorStatus,
    /// Shown for women (K) and men (M) besides the total (T).
    pub split_by_sex: bool,
    pub level: Level,
    pub comparison_group: ComparisonGroup,
    /// Free Swedish text: definition, source, caveats.
    pub description: String,
}

impl Indicator {
    /// True for a *faktanyckeltal*: active and without direction.
    pub fn is_fact(&self) -> bool {
        self.status == IndicatorStatus::Active && self.direction == Direction::None
    }

    /// Formats a value at the indicator's display precision in Swedish: `12,3`.
    pub fn format_value(&self, x: f64) -> String {
        crate::format::decimal(x, usize::from(self.decimals))
    }

    /// The Kolada KPI ids among the sources.
    pub fn kolada_ids(&self) -> impl Iterator<Item = &KpiId> {
        self.sources.iter().filter_map(|s| match s {
            Source::Kolada(id) => Some(id),
            Source::Own => None,
        })
    }
}

/// A validated catalogue, kept in code order. Serializes as a plain list of indicators and
/// deserializes through [`Catalogue::new`], so a stored catalogue is re-validated on load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(into = "Vec<Indicator>", try_from = "Vec<Indicator>")]
pub struct Catalogue {
    indicators: Vec<Indicator>,
}

impl Catalogue {
    /// Validates and sorts by code. All problems are reported at once, naming the indicator.
    pub fn new(mut indicators: Vec<Indicator>) -> Result<Self, InputErrors> {
        let mut errors = Vec::new();
        let mut seen = HashSet::new();
        for ind in &indicators {
            let err = |field: &str, msg: String| {
                InputError::new(Location::field(field), format!("Nyckeltal {}: {msg}", ind.code))
            };
            if !seen.insert(ind.code) {
                errors.push(err("kod", "koden förekommer mer än en gång i katalogen.".into()));
            }
            errors.extend(check_indicator(ind).into_iter().map(|(f, m)| err(f, m)));
        }
        if !errors.is_empty() {
            return Err(InputErrors(errors));
        }
        indicators.sort_by_key(|i| i.code);
        Ok(Catalogue { indicators })
    }

    /// The indicators in code order.
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    /// Looks an indicator up by code.
    pub fn get(&self, code: IndicatorCode) -> Option<&Indicator> {
        self.indicators.binary_search_by_key(&code, |i| i.code).ok().map(|i| &self.indicators[i])
    }

    /// Number of indicators.
    pub fn len(&self) -> usize {
        self.indicators.len()
    }

    /// True when the catalogue has no indicators.
    pub fn is_empty(&self) -> bool {
        self.indicators.is_empty()
    }

    /// Swedish warnings when the catalogue departs from the customary shape: 20 indicators, four
    /// per sub-goal, numbered 1–4 within each sub-goal.
    pub fn shape_warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        let expected = INDICATORS_PER_SUBGOAL * SUBGOAL_COUNT as usize;
        if self.len() != expected {
            out.push(format!("Katalogen har {} nyckeltal; infografiken brukar ha {expected}.", self.len()));
        }
        for sg in 1..=SUBGOAL_COUNT {
            let n = self.indicators.iter().filter(|i| i.subgoal == sg).count();
            if n != INDICATORS_PER_SUBGOAL {
                out.push(format!(
                    "Delmål {sg} har {n} nyckeltal; infografiken brukar ha {INDICATORS_PER_SUBGOAL} per delmål."
                ));
            }
        }
        out
    }
}

impl From<Catalogue> for Vec<Indicator> {
    fn from(c: Catalogue) -> Self {
        c.indicators
    }
}

impl TryFrom<Vec<Indicator>> for Catalogue {
    type Error = InputErrors;

    fn try_from(v: Vec<Indicator>) -> Result<Self, InputErrors> {
        Catalogue::new(v)
    }
}

/// Field-level rule checks for one indicator: (field keyword, Swedish message).
fn check_indicator(ind: &Indicator) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if !(1..=SUBGOAL_COUNT).contains(&ind.subgoal) {
        out.push(("delmal", format!("delmål {} finns inte; tillåtna är 1–{SUBGOAL_COUNT}.", ind.subgoal)));
    } else if ind.code.subgoal() != ind.subgoal {
        out.push((
            "delmal",
            format!(
                "koden börjar på {} men nyckeltalet hör till delmål {}.",
                ind.code.subgoal(),
                ind.subgoal
            ),
        ));
    }
    if ind.title.trim().is_empty() {
        out.push(("titel", "titel saknas.".into()));
    }
    if ind.unit.trim().is_empty() {
        out.push(("enhet", "enhet saknas.".into()));
    }
    if ind.decimals > 4 {
        out.push(("decimaler", format!("{} decimaler är för många; högst 4.", ind.decimals)));
    }
    let mut sources = HashSet::new();
    for s in &ind.sources {
        if !sources.insert(s) {
            out.push(("kallor", format!("källan {} anges mer än en gång.", s.as_str())));
        }
    }
    if let ComparisonGroup::Named { name, codes } = &ind.comparison_group {
        if name.trim().is_empty() {
            out.push(("jamforelsegrupp", "jämförelsegruppen saknar namn.".into()));
        }
        if codes.is_empty() {
            out.push(("jamforelsegrupp", "jämförelsegruppen har inga organisationer.".into()));
        }
        for c in codes {
            if !is_scb_code(c) {
                out.push((
                    "jamforelsegrupp",
                    format!("\"{c}\" är ingen fyrsiffrig kommun- eller regionkod."),
                ));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// TOML import/export
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    nyckeltal: Vec<toml::Spanned<TomlIndicator>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlIndicator {
    kod: toml::Spanned<String>,
    delmal: toml::Spanned<i64>,
    titel: toml::Spanned<String>,
    #[serde(default)]
    kallor: Vec<toml::Spanned<String>>,
    enhet: toml::Spanned<String>,
    decimaler: Option<toml::Spanned<i64>>,
    riktning: toml::Spanned<String>,
    status: toml::Spanned<String>,
    #[serde(default)]
    konsuppdelad: bool,
    niva: toml::Spanned<String>,
    jamforelsegrupp: Option<toml::Spanned<TomlGroup>>,
    #[serde(default)]
    beskrivning: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum TomlGroup {
    Keyword(String),
    Named { namn: String, koder: Vec<String> },
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Parses a catalogue from the TOML format documented at the top of this module.
///
/// Every problem is reported (not only the first) with line, field and indicator code.
pub fn parse_toml(text: &str) -> Result<Catalogue, InputErrors> {
    let file: TomlFile = toml::from_str(text).map_err(|e| {
        let row = e.span().map(|s| line_of(text, s.start));
        InputError::new(
            Location { row, ..Default::default() },
            format!("Nyckeltalskatalogen kunde inte läsas som TOML: {}", e.message().trim()),
        )
    })?;
    let mut errors = Vec::new();
    let mut indicators = Vec::new();
    let mut lines = BTreeMap::new();
    for (idx, spanned) in file.nyckeltal.iter().enumerate() {
        let raw = spanned.get_ref();
        let start_line = line_of(text, spanned.span().start);
        let code_text = raw.kod.get_ref().trim().to_string();
        let who = if code_text.is_empty() {
            format!("Nyckeltal nr {}", idx + 1)
        } else {
            format!("Nyckeltal {code_text}")
        };
        let mut err = |span: std::ops::Range<usize>, field: &str, msg: String| {
            errors.push(InputError::new(
                Location::row(line_of(text, span.start)).with_field(field),
                format!("{who}: {msg}"),
            ));
        };
        let code = match code_text.parse::<IndicatorCode>() {
            Ok(c) => Some(c),
            Err(m) => {
                err(raw.kod.span(), "kod", m.into());
                None
            }
        };
        let subgoal = match u8::try_from(*raw.delmal.get_ref()) {
            Ok(v) => Some(v),
            Err(_) => {
                err(raw.delmal.span(), "delmal", format!("delmål {} finns inte.", raw.delmal.get_ref()));
                None
            }
        };
        let mut sources = Vec::new();
        for s in &raw.kallor {
            match Source::parse(s.get_ref()) {
                Ok(src) => sources.push(src),
                Err(m) => err(s.span(), "kallor", m.into()),
            }
        }
        let decimals = match &raw.decimaler {
            None => Some(1),
            Some(d) => match u8::try_from(*d.get_ref()) {
                Ok(v) => Some(v),
                Err(_) => {
                    err(
                        d.span(),
                        "decimaler",
                        format!("{} är inget giltigt antal decimaler (0–4).", d.get_ref()),
                    );
                    None
                }
            },
        };
        let direction = Direction::parse(raw.riktning.get_ref());
        if direction.is_none() {
            err(
                raw.riktning.span(),
                "riktning",
                format!(
                    "okänd riktning \"{}\"; tillåtna värden är hogre_ar_battre, lagre_ar_battre och ingen.",
                    raw.riktning.get_ref()
                ),
            );
        }
        let status = IndicatorStatus::parse(raw.status.get_ref());
        if status.is_none() {
            err(
                raw.status.span(),
                "status",
                format!(
                    "okänd status \"{}\"; tillåtna värden är aktiv och under_utveckling.",
                    raw.status.get_ref()
                ),
            );
        }
        let level = Level::parse(raw.niva.get_ref());
        if level.is_none() {
            err(
                raw.niva.span(),
                "niva",
                format!("okänd nivå \"{}\"; tillåtna värden är kommun och region.", raw.niva.get_ref()),
            );
        }
        let group = match &raw.jamforelsegrupp {
            None => level.map(Level::default_group),
            Some(g) => match g.get_ref() {
                TomlGroup::Keyword(k) if k.trim() == "alla_kommuner" => {
                    Some(ComparisonGroup::AllMunicipalities)
                }
                TomlGroup::Keyword(k) if k.trim() == "alla_regioner" => Some(ComparisonGroup::AllRegions),
                TomlGroup::Keyword(k) => {
                    err(
                        g.span(),
                        "jamforelsegrupp",
                        format!(
                            "okänd jämförelsegrupp \"{k}\"; skriv alla_kommuner, alla_regioner eller {{ namn = \"…\", koder = [\"…\"] }}."
                        ),
                    );
                    None
                }
                TomlGroup::Named { namn, koder } => Some(ComparisonGroup::Named {
                    name: namn.trim().to_string(),
                    codes: koder.iter().map(|c| c.trim().to_string()).collect(),
                }),
            },
        };
        if let (
            Some(code),
            Some(subgoal),
            Some(decimals),
            Some(direction),
            Some(status),
            Some(level),
            Some(group),
        ) = (code, subgoal, decimals, direction, status, level, group)
        {
            let ind = Indicator {
                code,
                subgoal,
                title: raw.titel.get_ref().trim().to_string(),
                sources,
                unit: raw.enhet.get_ref().trim().to_string(),
                decimals,
                direction,
                status,
                split_by_sex: raw.konsuppdelad,
                level,
                comparison_group: group,
                description: raw.beskrivning.trim().to_string(),
            };
            // Field rules, located at the field's own line where we have it.
            for (field, msg) in check_indicator(&ind) {
                let span = match field {
                    "delmal" => raw.delmal.span(),
                    "titel" => raw.titel.span(),
                    "enhet" => raw.enhet.span(),
                    "decimaler" => raw.decimaler.as_ref().map(|d| d.span()).unwrap_or(spanned.span()),
                    "jamforelsegrupp" => {
                        raw.jamforelsegrupp.as_ref().map(|d| d.span()).unwrap_or(spanned.span())
                    }
                    _ => spanned.span(),
                };
                err(span, field, msg);
            }
            if let Some(first) = lines.insert(code, start_line) {
                err(raw.kod.span(), "kod", format!("koden finns redan på rad {first}."));
            }
            indicators.push(ind);
        }
    }
    if !errors.is_empty() {
        return Err(InputErrors(errors));
    }
    Catalogue::new(indicators)
}

fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Writes the catalogue in the TOML format that [`parse_toml`] reads (round-trips exactly).
pub fn to_toml(catalogue: &Catalogue) -> String {
    let mut out = String::from("# Nyckeltalskatalog för God och nära vård (GNV-uppföljning)\n");
    for ind in catalogue.indicators() {
        out.push_str("\n[[nyckeltal]]\n");
        out.push_str(&format!("kod = {}\n", quote(&ind.code.to_string())));
        out.push_str(&format!("delmal = {}\n", ind.subgoal));
        out.push_str(&format!("titel = {}\n", quote(&ind.title)));
        let sources: Vec<String> = ind.sources.iter().map(|s| quote(s.as_str())).collect();
        out.push_str(&format!("kallor = [{}]\n", sources.join(", ")));
        out.push_str(&format!("enhet = {}\n", quote(&ind.unit)));
        out.push_str(&format!("decimaler = {}\n", ind.decimals));
        out.push_str(&format!("riktning = {}\n", quote(ind.direction.keyword())));
        out.push_str(&format!("status = {}\n", quote(ind.status.keyword())));
        out.push_str(&format!("konsuppdelad = {}\n", ind.split_by_sex));
        out.push_str(&format!("niva = {}\n", quote(ind.level.keyword())));
        match &ind.comparison_group {
            ComparisonGroup::AllMunicipalities => out.push_str("jamforelsegrupp = \"alla_kommuner\"\n"),
            ComparisonGroup::AllRegions => out.push_str("jamforelsegrupp = \"alla_regioner\"\n"),
            ComparisonGroup::Named { name, codes } => {
                let codes: Vec<String> = codes.iter().map(|c| quote(c)).collect();
                out.push_str(&format!(
                    "jamforelsegrupp = {{ namn = {}, koder = [{}] }}\n",
                    quote(name),
                    codes.join(", ")
                ));
            }
        }
        out.push_str(&format!("beskrivning = {}\n", quote(&ind.description)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nyckeltal::default_catalogue;

    #[test]
    fn codes_parse_display_and_order_numerically() {
        let c: IndicatorCode = "1.1".parse().unwrap();
        assert_eq!(c.to_string(), "1.1");
        assert_eq!((c.subgoal(), c.number()), (1, 1));
        let a: IndicatorCode = "1.2".parse().unwrap();
        let b: IndicatorCode = "1.10".parse().unwrap();
        assert!(a < b && b < "2.1".parse().unwrap());
        for bad in ["", "1", "1.", ".1", "0.1", "1.0", "a.b", "1,1", "1.1.1", "01.1", "10.1"] {
            assert!(bad.parse::<IndicatorCode>().is_err(), "{bad} should be refused");
        }
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"1.1\"");
    }

    #[test]
    fn values_are_formatted_at_display_precision() {
        let cat = default_catalogue();
        let continuity = cat.get("2.1".parse().unwrap()).unwrap();
        assert_eq!(continuity.format_value(1234.56), "1 234,6");
        let avoidable = cat.get("3.2".parse().unwrap()).unwrap();
        assert_eq!(avoidable.format_value(812.4), "812");
        assert_eq!(avoidable.direction.label(), "lägre är bättre");
    }

    #[test]
    fn kolada_ids_have_n_or_u_and_five_digits() {
        assert!(KpiId::parse("N00945").is_ok());
        assert!(KpiId::parse("U21468").is_ok());
        for bad in ["N0094", "X00945", "n00945", "N009455", "N00a45"] {
            let e = KpiId::parse(bad).unwrap_err();
            assert_eq!(e, IdError::KpiId(bad.to_string()));
            assert!(e.to_string().contains("Kolada-id"), "{e}");
        }
        assert_eq!(Source::parse("egen").unwrap(), Source::Own);
    }

    #[test]
    fn default_catalogue_round_trips_through_toml() {
        let cat = default_catalogue();
        let text = to_toml(&cat);
        let back = parse_toml(&text).unwrap();
        assert_eq!(back, cat);
    }

    #[test]
    fn named_group_and_defaults_parse() {
        let text = r#"
[[nyckeltal]]
kod = "4.3"
delmal = 4
titel = "Samordnad individuell plan"
kallor = ["egen", "N12345"]
enhet = "antal per 10 000 invånare"
riktning = "hogre_ar_battre"
status = "aktiv"
niva = "kommun"
jamforelsegrupp = { namn = "Södra Dalarna", koder = ["2083", "2084"] }
"#;
        let cat = parse_toml(text).unwrap();
        let ind = &cat.indicators()[0];
        assert_eq!(ind.decimals, 1);
        assert!(!ind.split_by_sex);
        assert_eq!(ind.sources, vec![Source::Own, Source::Kolada(KpiId::parse("N12345").unwrap())]);
        assert_eq!(
            ind.comparison_group,
            ComparisonGroup::Named {
                name: "Södra Dalarna".into(),
                codes: vec!["2083".into(), "2084".into()]
            }
        );
        assert_eq!(cat.shape_warnings().len(), 6); // 1 total + 5 sub-goals
    }

    #[test]
    fn toml_errors_name_line_field_and_indicator() {
        let text = r#"[[nyckeltal]]
kod = "2.1"
delmal = 3
titel = "Kontinuitet"
kallor = ["N1234"]
enhet = "procent"
riktning = "hogre"
status = "aktiv"
niva = "kommun"
"#;
        let errs = parse_toml(text).unwrap_err();
        let msgs: Vec<String> = errs.0.iter().map(|e| e.to_string()).collect();
        assert!(
            msgs.iter().any(|m| m.starts_with("rad 5, fält kallor: Nyckeltal 2.1: \"N1234\"")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.starts_with("rad 7, fält riktning: Nyckeltal 2.1: okänd riktning")),
            "{msgs:?}"
        );
        // The sub-goal mismatch is only checked once the entry parses; fix the others and retry.
        let fixed = text.replace("\"N1234\"", "\"N12345\"").replace("\"hogre\"", "\"hogre_ar_battre\"");
        let errs = parse_toml(&fixed).unwrap_err();
        assert_eq!(
            errs.to_string(),
            "rad 3, fält delmal: Nyckeltal 2.1: koden börjar på 2 men nyckeltalet hör till delmål 3."
        );
    }

    #[test]
    fn duplicate_codes_and_syntax_errors_are_reported() {
        let one = "[[nyckeltal]]\nkod = \"1.1\"\ndelmal = 1\ntitel = \"A\"\nenhet = \"procent\"\nriktning = \"ingen\"\nstatus = \"aktiv\"\nniva = \"region\"\n";
        let text = format!("{one}\n{one}");
        let errs = parse_toml(&text).unwrap_err();
        assert_eq!(errs.to_string(), "rad 11, fält kod: Nyckeltal 1.1: koden finns redan på rad 1.");
        let errs = parse_toml("[[nyckeltal]]\nkod = \"1.1\nx").unwrap_err();
        assert!(
            errs.to_string().starts_with("rad 2: Nyckeltalskatalogen kunde inte läsas som TOML"),
            "{errs}"
        );
        let errs = parse_toml(&one.replace("niva", "nivå")).unwrap_err();
        assert!(errs.to_string().contains("kunde inte läsas"), "{errs}");
    }

    #[test]
    fn catalogue_new_validates_rules() {
        let mut ind = default_catalogue().indicators()[0].clone();
        ind.unit = " ".into();
        ind.comparison_group = ComparisonGroup::Named { name: "".into(), codes: vec!["20".into()] };
        let errs = Catalogue::new(vec![ind.clone(), ind]).unwrap_err();
        let text = errs.to_string();
        assert!(text.contains("fält kod: Nyckeltal 1.1: koden förekommer mer än en gång"), "{text}");
        assert!(text.contains("fält enhet: Nyckeltal 1.1: enhet saknas."), "{text}");
        assert!(text.contains("jämförelsegruppen saknar namn"), "{text}");
        assert!(text.contains("\"20\" är ingen fyrsiffrig"), "{text}");
    }
}

//! The annual plan of collaboration and support activities, and what was actually held.
//!
//! An [`AnnualPlan`] has a year, the [`ActivityType`]s planned that year (each with a target
//! frequency such as "4–5 ggr/år") and the [`Occurrence`]s registered against them (planned,
//! held, postponed, cancelled or paused — the last three always with a reason).
//!
//! Key rules:
//! - Only occurrences with status *Genomförd* count as held, in every analysis.
//! - An occurrence must name an activity type of the plan, be dated within the plan's year and
//!   only list organisations that exist in the [`Registry`].
//! - Attendance ("6 av 13 systemledningar, som omfattar 8 av 15 kommuner"): an LSL counts as reached when it
//!   attended itself or when one of its member municipalities attended directly; municipalities
//!   are counted as all members of the LSLs that attended themselves plus the municipalities
//!   that attended directly. So the municipalities are always a subset of the reached LSLs' members.

use super::PlanningError;
use crate::error::{InputError, InputErrors, Location};
use crate::format;
use crate::organisation::{Lsl, Registry};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// How an activity is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// "Digitalt".
    Digitalt,
    /// "Fysiskt".
    Fysiskt,
    /// "Digitalt och/eller fysiskt" — either, or both at once (hybrid).
    DigitaltOchEllerFysiskt,
}

impl Format {
    /// All formats in display order.
    pub const ALL: [Format; 3] = [Format::Digitalt, Format::Fysiskt, Format::DigitaltOchEllerFysiskt];

    /// Swedish label as written in the annual plan.
    pub fn label(self) -> &'static str {
        match self {
            Format::Digitalt => "Digitalt",
            Format::Fysiskt => "Fysiskt",
            Format::DigitaltOchEllerFysiskt => "Digitalt och/eller fysiskt",
        }
    }

    /// Parses a Swedish label (case-insensitive; "hybrid" and "digitalt/fysiskt" are accepted
    /// for the combined format).
    pub fn parse(s: &str) -> Result<Format, PlanningError> {
        match s.trim().to_lowercase().as_str() {
            "digitalt" | "digital" => Ok(Format::Digitalt),
            "fysiskt" | "fysisk" => Ok(Format::Fysiskt),
            "digitalt och/eller fysiskt" | "digitalt/fysiskt" | "hybrid" => {
                Ok(Format::DigitaltOchEllerFysiskt)
            }
            _ => Err(PlanningError::UnknownFormat(s.trim().to_string())),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How often an activity type should be held per year: a range `min..=max` (equal for a fixed
/// number) and an optional timing note such as "vår + höst".
///
/// Invariant (enforced by [`TargetFrequency::new`] and deserialisation): `1 <= min <= max`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawFrequency", into = "RawFrequency")]
pub struct TargetFrequency {
    min: u32,
    max: u32,
    timing: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct RawFrequency {
    min: u32,
    max: u32,
    #[serde(default)]
    timing: Option<String>,
}

impl TryFrom<RawFrequency> for TargetFrequency {
    type Error = PlanningError;
    fn try_from(r: RawFrequency) -> Result<Self, PlanningError> {
        TargetFrequency::new(r.min, r.max, r.timing.as_deref())
    }
}

impl From<TargetFrequency> for RawFrequency {
    fn from(t: TargetFrequency) -> Self {
        RawFrequency { min: t.min, max: t.max, timing: t.timing }
    }
}

impl TargetFrequency {
    /// A target of `min`–`max` occurrences per year. An empty timing note counts as none.
    pub fn new(min: u32, max: u32, timing: Option<&str>) -> Result<Self, PlanningError> {
        if min == 0 {
            return Err(PlanningError::FrequencyBelowOne);
        }
        if min > max {
            return Err(PlanningError::FrequencyMinAboveMax { min, max });
        }
        let timing = timing.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
        Ok(TargetFrequency { min, max, timing })
    }

    /// Parses a form's range ("2", "4–5", "4-5", "4 – 5") and timing note. Swedish messages.
    pub fn parse(range: &str, timing: &str) -> Result<Self, PlanningError> {
        let t = range.trim();
        if t.is_empty() {
            return Err(PlanningError::FrequencyMissing);
        }
        let bad = || PlanningError::NotACount(t.to_string());
        let number = |s: &str| s.trim().parse::<u32>().map_err(|_| bad());
        let (min, max) = match t.split_once(['–', '-', '—']) {
            Some((a, b)) => (number(a)?, number(b)?),
            None => {
                let n = number(t)?;
                (n, n)
            }
        };
        TargetFrequency::new(min, max, Some(timing))
    }

    /// Exactly `n` occurrences per year.
    pub fn exactly(n: u32, timing: Option<&str>) -> Result<Self, PlanningError> {
        TargetFrequency::new(n, n, timing)
    }

    /// Lowest number of occurrences that meets the target.
    pub fn min(&self) -> u32 {
        self.min
    }
    /// Highest planned number of occurrences.
    pub fn max(&self) -> u32 {
        self.max
    }
    /// Timing note, e.g. "vår + höst".
    pub fn timing(&self) -> Option<&str> {
        self.timing.as_deref()
    }

    /// The range alone: `"2"` or `"4–5"`.
    pub fn range_label(&self) -> String {
        if self.min == self.max {
            self.min.to_string()
        } else {
            format!("{}–{}", self.min, self.max)
        }
    }

    /// As in the annual plan: `"2 ggr/år (vår + höst)"`, `"4–5 ggr/år"`, `"1 g/år (höst 2026)"`.
    pub fn label(&self) -> String {
        let unit = if self.max == 1 { "g/år" } else { "ggr/år" };
        match &self.timing {
            Some(t) => format!("{} {unit} ({t})", self.range_label()),
            None => format!("{} {unit}", self.range_label()),
        }
    }
}

/// A noun used when counting occurrences: "nätverksträff" / "nätverksträffar".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountNoun {
    pub singular: String,
    pub plural: String,
}

impl CountNoun {
    pub fn new(singular: &str, plural: &str) -> Self {
        CountNoun { singular: singular.to_string(), plural: plural.to_string() }
    }
    /// The form agreeing with `n` ("1 nätverksträff", "4–5 nätverksträffar").
    pub fn for_count(&self, n: u32) -> &str {
        if n == 1 {
            &self.singular
        } else {
            &self.plural
        }
    }
}

/// A kind of recurring activity in the annual plan (a row of the plan's table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityType {
    /// Unique name within the plan, e.g. "Regionala nätverksträffar".
    pub name: String,
    /// Målgrupp, e.g. "Lokala systemledningar".
    pub target_group: String,
    /// Syfte.
    pub purpose: String,
    /// Hur.
    pub format: Format,
    /// När / hur ofta.
    pub frequency: TargetFrequency,
    /// Noun for counting occurrences in summaries ("3 av 4–5 nätverksträffar").
    pub noun: CountNoun,
}

/// A reason for a postponed, cancelled or paused occurrence. Never empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Reason(String);

impl Reason {
    /// Trims the text and refuses an empty reason.
    pub fn new(text: &str) -> Result<Reason, PlanningError> {
        let t = text.trim();
        if t.is_empty() {
            Err(PlanningError::ReasonMissing)
        } else {
            Ok(Reason(t.to_string()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Reason {
    type Error = PlanningError;
    fn try_from(s: String) -> Result<Self, PlanningError> {
        Reason::new(&s)
    }
}

impl From<Reason> for String {
    fn from(r: Reason) -> String {
        r.0
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What happened to an occurrence. Postponed, cancelled and paused carry a required reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", content = "orsak", rename_all = "snake_case")]
pub enum OccurrenceStatus {
    /// Planerad.
    Planerad,
    /// Genomförd — the only status that counts as held.
    Genomford,
    /// Framflyttad, with reason.
    Framflyttad(Reason),
    /// Inställd, with reason.
    Installd(Reason),
    /// Pausad, with reason.
    Pausad(Reason),
}

impl OccurrenceStatus {
    /// Swedish label.
    pub fn label(&self) -> &'static str {
        match self {
            OccurrenceStatus::Planerad => "Planerad",
            OccurrenceStatus::Genomford => "Genomförd",
            OccurrenceStatus::Framflyttad(_) => "Framflyttad",
            OccurrenceStatus::Installd(_) => "Inställd",
            OccurrenceStatus::Pausad(_) => "Pausad",
        }
    }

    /// The reason, for the statuses that have one.
    pub fn reason(&self) -> Option<&Reason> {
        match self {
            OccurrenceStatus::Framflyttad(r)
            | OccurrenceStatus::Installd(r)
            | OccurrenceStatus::Pausad(r) => Some(r),
            _ => None,
        }
    }

    /// True only for Genomförd.
    pub fn is_held(&self) -> bool {
        matches!(self, OccurrenceStatus::Genomford)
    }

    /// Parses a status label and its reason from a form or an import row. Errors name the field
    /// ("status" or "orsak").
    pub fn parse(status: &str, reason: Option<&str>) -> Result<OccurrenceStatus, InputError> {
        let reason_text = reason.unwrap_or("");
        let need_reason = |label: &str| {
            Reason::new(reason_text).map_err(|_| {
                InputError::new(
                    Location::field("orsak"),
                    format!("En orsak måste anges när status är {label}."),
                )
            })
        };
        match status.trim().to_lowercase().as_str() {
            "planerad" => Ok(OccurrenceStatus::Planerad),
            "genomförd" | "genomford" => Ok(OccurrenceStatus::Genomford),
            "framflyttad" => Ok(OccurrenceStatus::Framflyttad(need_reason("Framflyttad")?)),
            "inställd" | "installd" => Ok(OccurrenceStatus::Installd(need_reason("Inställd")?)),
            "pausad" => Ok(OccurrenceStatus::Pausad(need_reason("Pausad")?)),
            _ => Err(InputError::new(
                Location::field("status"),
                format!(
                    "\"{}\" är ingen känd status. Ange Planerad, Genomförd, Framflyttad, Inställd eller Pausad.",
                    status.trim()
                ),
            )),
        }
    }
}

impl fmt::Display for OccurrenceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reason() {
            Some(r) => write!(f, "{} ({r})", self.label()),
            None => f.write_str(self.label()),
        }
    }
}

/// Who took part in an occurrence, by registry code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    /// LSL codes ("lsl-sodra-dalarna") — the LSL as such was represented.
    #[serde(default)]
    pub lsls: BTreeSet<String>,
    /// Municipality codes ("2084") that attended on their own, not as an LSL.
    #[serde(default)]
    pub municipalities: BTreeSet<String>,
    /// Governance body codes ("lchnv", "vfr").
    #[serde(default)]
    pub bodies: BTreeSet<String>,
    /// Guests outside the registry, free text ("SKR").
    #[serde(default)]
    pub guests: Vec<String>,
}

impl Attendance {
    /// True when nobody is registered.
    pub fn is_empty(&self) -> bool {
        self.lsls.is_empty()
            && self.municipalities.is_empty()
            && self.bodies.is_empty()
            && self.guests.is_empty()
    }
}

/// One held (or planned, postponed …) instance of an activity type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occurrence {
    /// Name of the [`ActivityType`] in the same plan.
    pub activity: String,
    /// Optional title of this instance, e.g. "Nätverksträff 2 – nya SoL och GNV".
    #[serde(default)]
    pub title: String,
    pub date: NaiveDate,
    pub format: Format,
    pub status: OccurrenceStatus,
    #[serde(default)]
    pub attendance: Attendance,
    /// Number of participants when known.
    #[serde(default)]
    pub participants: Option<u32>,
    /// Free note (themes, speakers).
    #[serde(default)]
    pub note: String,
}

/// The annual plan: activity types with targets and the occurrences registered against them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualPlan {
    pub year: i32,
    pub activity_types: Vec<ActivityType>,
    #[serde(default)]
    pub occurrences: Vec<Occurrence>,
}

impl AnnualPlan {
    /// The activity type with this name.
    pub fn activity_type(&self, name: &str) -> Option<&ActivityType> {
        self.activity_types.iter().find(|t| t.name == name)
    }

    /// Checks the plan against the registry. Errors are located by occurrence number (1-based,
    /// shown as "rad") and field, with Swedish messages:
    /// unique non-empty type names, every occurrence names a type of the plan, is dated within
    /// the plan year and lists only known LSLs, municipalities and bodies.
    pub fn validate(&self, registry: &Registry) -> Result<(), InputErrors> {
        let mut errors = Vec::new();
        let mut names = BTreeSet::new();
        for t in &self.activity_types {
            let name = t.name.trim();
            if name.is_empty() {
                errors.push(InputError::new(Location::field("aktivitet"), "En aktivitetstyp saknar namn."));
            } else if !names.insert(name) {
                errors.push(InputError::new(
                    Location::field("aktivitet"),
                    format!("Aktivitetstypen \"{name}\" finns mer än en gång i planen."),
                ));
            }
        }
        for (i, o) in self.occurrences.iter().enumerate() {
            errors.extend(validate_occurrence(self, o, registry, i + 1));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(InputErrors(errors))
        }
    }

    /// Occurrences of one type (all statuses), in date order.
    pub fn occurrences_of(&self, type_name: &str) -> Vec<&Occurrence> {
        let mut v: Vec<&Occurrence> = self.occurrences.iter().filter(|o| o.activity == type_name).collect();
        v.sort_by_key(|o| o.date);
        v
    }
}

/// Validates one occurrence (number `row`, 1-based) against its plan and the registry.
pub fn validate_occurrence(
    plan: &AnnualPlan,
    o: &Occurrence,
    registry: &Registry,
    row: usize,
) -> Vec<InputError> {
    let mut errors = Vec::new();
    let at = |field: &str| Location::row(row).with_field(field);
    if o.activity.trim().is_empty() {
        errors.push(InputError::new(at("aktivitet"), "Tillfället saknar aktivitetstyp."));
    } else if plan.activity_type(&o.activity).is_none() {
        errors.push(InputError::new(
            at("aktivitet"),
            format!("Aktivitetstypen \"{}\" finns inte i årsplanen för {}.", o.activity, plan.year),
        ));
    }
    if o.date.year() != plan.year {
        errors.push(InputError::new(
            at("datum"),
            format!("Datumet {} ligger utanför planens år {}.", format::date(o.date), plan.year),
        ));
    }
    for code in &o.attendance.lsls {
        if !registry.lsls.iter().any(|l| &l.code == code) {
            errors.push(InputError::new(
                at("deltagande systemledningar"),
                format!("Den lokala systemledningen \"{code}\" finns inte i organisationsregistret."),
            ));
        }
    }
    for code in &o.attendance.municipalities {
        if !registry.municipalities.iter().any(|m| &m.code == code) {
            errors.push(InputError::new(
                at("deltagande kommuner"),
                format!("Kommunen \"{code}\" finns inte i organisationsregistret."),
            ));
        }
    }
    for code in &o.attendance.bodies {
        if !registry.bodies.iter().any(|b| &b.code == code) {
            errors.push(InputError::new(
                at("deltagande organ"),
                format!("Organet \"{code}\" finns inte i organisationsregistret."),
            ));
        }
    }
    errors
}

/// Raw form or import input for one occurrence, all as text. [`OccurrenceInput::parse`] turns
/// it into a typed [`Occurrence`] and checks it against the plan and registry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OccurrenceInput {
    pub activity: String,
    pub title: String,
    /// ÅÅÅÅ-MM-DD.
    pub date: String,
    /// "Digitalt", "Fysiskt", "Digitalt och/eller fysiskt"; empty = the activity type's format.
    pub format: String,
    pub status: String,
    pub reason: String,
    pub lsls: Vec<String>,
    pub municipalities: Vec<String>,
    pub bodies: Vec<String>,
    pub guests: Vec<String>,
    /// Whole number or empty.
    pub participants: String,
    pub note: String,
}

impl OccurrenceInput {
    /// Parses and validates. `row` (1-based) locates errors as "rad"; all problems are reported
    /// at once, each naming its field.
    pub fn parse(
        &self,
        plan: &AnnualPlan,
        registry: &Registry,
        row: usize,
    ) -> Result<Occurrence, InputErrors> {
        let at = |field: &str| Location::row(row).with_field(field);
        let mut errors = Vec::new();
        let date =
            format::parse_date(&self.date).map_err(|m| errors.push(InputError::new(at("datum"), m))).ok();
        let format = if self.format.trim().is_empty() {
            plan.activity_type(self.activity.trim()).map(|t| t.format).or(Some(Format::Digitalt))
        } else {
            Format::parse(&self.format).map_err(|m| errors.push(InputError::new(at("format"), m))).ok()
        };
        let status = OccurrenceStatus::parse(&self.status, Some(&self.reason))
            .map_err(|mut e| {
                e.location.row = Some(row);
                errors.push(e)
            })
            .ok();
        let participants = match self.participants.trim() {
            "" => None,
            t => t
                .replace([' ', '\u{a0}'], "")
                .parse::<u32>()
                .map_err(|_| {
                    errors.push(InputError::new(at("antal deltagare"), format!("\"{t}\" är inget heltal.")))
                })
                .ok(),
        };
        let clean = |xs: &[String]| -> BTreeSet<String> {
            xs.iter().map(|x| x.trim()).filter(|x| !x.is_empty()).map(str::to_string).collect()
        };
        let (Some(date), Some(format), Some(status)) = (date, format, status) else {
            return Err(InputErrors(errors));
        };
        let occurrence = Occurrence {
            activity: self.activity.trim().to_string(),
            title: self.title.trim().to_string(),
            date,
            format,
            status,
            attendance: Attendance {
                lsls: clean(&self.lsls),
                municipalities: clean(&self.municipalities),
                bodies: clean(&self.bodies),
                guests: self
                    .guests
                    .iter()
                    .map(|g| g.trim())
                    .filter(|g| !g.is_empty())
                    .map(str::to_string)
                    .collect(),
            },
            participants,
            note: self.note.trim().to_string(),
        };
        errors.extend(validate_occurrence(plan, &occurrence, registry, row));
        if errors.is_empty() {
            Ok(occurrence)
        } else {
            Err(InputErrors(errors))
        }
    }
}

/// Raw form input for one activity type, all as text. [`ActivityTypeInput::parse`] turns it
/// into a typed [`ActivityType`]; uniqueness within the plan is checked by
/// [`AnnualPlan::validate`] (the storage layer does it before writing).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityTypeInput {
    pub name: String,
    pub target_group: String,
    pub purpose: String,
    /// "Digitalt", "Fysiskt", "Digitalt och/eller fysiskt".
    pub format: String,
    /// "2", "4–5" or "4-5".
    pub frequency: String,
    /// Optional timing note, e.g. "vår + höst".
    pub timing: String,
    /// Counting noun, singular and plural; empty = "tillfälle" / "tillfällen".
    pub noun_singular: String,
    pub noun_plural: String,
}

impl ActivityTypeInput {
    /// The form values of an existing type.
    pub fn from_type(t: &ActivityType) -> Self {
        ActivityTypeInput {
            name: t.name.clone(),
            target_group: t.target_group.clone(),
            purpose: t.purpose.clone(),
            format: t.format.label().to_string(),
            frequency: t.frequency.range_label(),
            timing: t.frequency.timing().unwrap_or("").to_string(),
            noun_singular: t.noun.singular.clone(),
            noun_plural: t.noun.plural.clone(),
        }
    }

    /// Parses every field; all problems are reported at once, each naming its field.
    pub fn parse(&self) -> Result<ActivityType, InputErrors> {
        let mut errors = Vec::new();
        let field = |f: &str| Location::field(f);
        let name = self.name.trim();
        if name.is_empty() {
            errors.push(InputError::new(field("namn"), "Aktivitetstypen måste ha ett namn."));
        } else if name.chars().count() > 200 {
            errors.push(InputError::new(field("namn"), "Namnet får ha högst 200 tecken."));
        }
        for (label, value) in [("målgrupp", &self.target_group), ("syfte", &self.purpose)] {
            if value.trim().is_empty() {
                errors.push(InputError::new(field(label), format!("Ange {label} för aktivitetstypen.")));
            } else if value.chars().count() > 2000 {
                errors.push(InputError::new(field(label), "Texten får ha högst 2000 tecken."));
            }
        }
        let format = if self.format.trim().is_empty() {
            errors.push(InputError::new(field("format"), "Välj format (hur aktiviteten genomförs)."));
            None
        } else {
            Format::parse(&self.format).map_err(|m| errors.push(InputError::new(field("format"), m))).ok()
        };
        let frequency = TargetFrequency::parse(&self.frequency, &self.timing)
            .map_err(|m| errors.push(InputError::new(field("antal per år"), m)))
            .ok();
        let (singular, plural) = match (self.noun_singular.trim(), self.noun_plural.trim()) {
            ("", "") => ("tillfälle", "tillfällen"),
            ("", p) => (p, p),
            (s, "") => (s, s),
            (s, p) => (s, p),
        };
        let (Some(format), Some(frequency), true) = (format, frequency, errors.is_empty()) else {
            return Err(InputErrors(errors));
        };
        Ok(ActivityType {
            name: name.to_string(),
            target_group: self.target_group.trim().to_string(),
            purpose: self.purpose.trim().to_string(),
            format,
            frequency,
            noun: CountNoun::new(singular, plural),
        })
    }
}

/// A new year's plan: the given year with the activity types of `previous` (when copying) and no
/// occurrences. A timing note naming the previous plan's year gets the new year ("höst 2026" →
/// "höst 2027"); everything else is copied as it is.
pub fn new_plan(year: i32, previous: Option<&AnnualPlan>) -> AnnualPlan {
    let activity_types = previous
        .map(|p| {
            p.activity_types
                .iter()
                .map(|t| {
                    let mut t = t.clone();
                    if let Some(timing) = t.frequency.timing() {
                        let moved = timing.replace(&p.year.to_string(), &year.to_string());
                        if let Ok(f) =
                            TargetFrequency::new(t.frequency.min(), t.frequency.max(), Some(&moved))
                        {
                            t.frequency = f;
                        }
                    }
                    t
                })
                .collect()
        })
        .unwrap_or_default();
    AnnualPlan { year, activity_types, occurrences: Vec::new() }
}

// ---------------------------------------------------------------------------------------------
// Analyses

/// How the held count stands against the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fulfilment {
    /// Held ≥ target minimum.
    Uppnatt,
    /// Not yet reached, but held + still planned reaches the minimum.
    PaVag,
    /// Held + still planned is below the minimum: more occurrences need to be planned.
    BehoverPlaneras,
}

impl Fulfilment {
    /// Swedish label.
    pub fn label(self) -> &'static str {
        match self {
            Fulfilment::Uppnatt => "Målet är uppnått",
            Fulfilment::PaVag => "På väg – resterande tillfällen är planerade",
            Fulfilment::BehoverPlaneras => "Fler tillfällen behöver planeras för att nå målet",
        }
    }
}

/// Plan versus outcome for one activity type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanOutcome {
    pub activity: String,
    pub held: u32,
    /// Still Planerad.
    pub planned: u32,
    pub postponed: u32,
    pub cancelled: u32,
    pub paused: u32,
    pub target: TargetFrequency,
    pub fulfilment: Fulfilment,
    /// "3 av 4–5 nätverksträffar".
    pub text: String,
}

/// Plan versus outcome per activity type, in the plan's order. Held = Genomförd only.
pub fn plan_vs_outcome(plan: &AnnualPlan) -> Vec<PlanOutcome> {
    plan.activity_types.iter().map(|t| outcome_for(plan, t)).collect()
}

/// Plan versus outcome for one activity type.
pub fn outcome_for(plan: &AnnualPlan, t: &ActivityType) -> PlanOutcome {
    let mut held = 0;
    let mut planned = 0;
    let mut postponed = 0;
    let mut cancelled = 0;
    let mut paused = 0;
    for o in plan.occurrences.iter().filter(|o| o.activity == t.name && o.date.year() == plan.year) {
        match o.status {
            OccurrenceStatus::Genomford => held += 1,
            OccurrenceStatus::Planerad => planned += 1,
            OccurrenceStatus::Framflyttad(_) => postponed += 1,
            OccurrenceStatus::Installd(_) => cancelled += 1,
            OccurrenceStatus::Pausad(_) => paused += 1,
        }
    }
    let fulfilment = if held >= t.frequency.min() {
        Fulfilment::Uppnatt
    } else if held + planned >= t.frequency.min() {
        Fulfilment::PaVag
    } else {
        Fulfilment::BehoverPlaneras
    };
    let text = format!("{held} av {} {}", t.frequency.range_label(), t.noun.for_count(t.frequency.max()));
    PlanOutcome {
        activity: t.name.clone(),
        held,
        planned,
        postponed,
        cancelled,
        paused,
        target: t.frequency.clone(),
        fulfilment,
        text,
    }
}

/// Who was reached, counted by the rule in the module documentation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceSummary {
    /// Codes of reached LSLs.
    pub lsls: BTreeSet<String>,
    /// Codes of reached municipalities.
    pub municipalities: BTreeSet<String>,
    /// Codes of attending bodies.
    pub bodies: BTreeSet<String>,
    /// Number of LSLs in the registry (the "av 13").
    pub lsl_total: usize,
    /// "6 av 13 systemledningar, som omfattar 8 av 15 kommuner".
    pub text: String,
    /// "Representation fanns också från Länschefsnätverket och Välfärdsrådet." or empty.
    pub bodies_text: String,
}

/// Attendance of one occurrence, whatever its status.
pub fn attendance_summary(o: &Occurrence, registry: &Registry) -> AttendanceSummary {
    summarise([&o.attendance], registry)
}

/// Attendance over the plan year's held occurrences, optionally of one activity type only.
pub fn year_attendance(plan: &AnnualPlan, registry: &Registry, activity: Option<&str>) -> AttendanceSummary {
    summarise(
        held_in_year(plan).filter(|o| activity.is_none_or(|a| o.activity == a)).map(|o| &o.attendance),
        registry,
    )
}

fn held_in_year(plan: &AnnualPlan) -> impl Iterator<Item = &Occurrence> {
    plan.occurrences.iter().filter(move |o| o.status.is_held() && o.date.year() == plan.year)
}

fn summarise<'a>(
    attendances: impl IntoIterator<Item = &'a Attendance>,
    registry: &Registry,
) -> AttendanceSummary {
    let mut lsls = BTreeSet::new();
    let mut municipalities = BTreeSet::new();
    let mut bodies = BTreeSet::new();
    for a in attendances {
        for code in &a.lsls {
            if let Some(lsl) = registry.lsls.iter().find(|l| &l.code == code) {
                lsls.insert(lsl.code.clone());
                municipalities.extend(lsl.municipalities.iter().cloned());
            }
        }
        for m in &a.municipalities {
            if let Some(lsl) = registry.lsl_of(m) {
                lsls.insert(lsl.code.clone());
                municipalities.insert(m.clone());
            }
        }
        for b in &a.bodies {
            if registry.bodies.iter().any(|x| &x.code == b) {
                bodies.insert(b.clone());
            }
        }
    }
    let lsl_total = registry.lsls.len();
    let mut text = format!("{} systemledningar", format::of(lsls.len(), lsl_total));
    if !municipalities.is_empty() {
        // The municipalities are not a part of the LSLs ("varav" would say so): state them as
        // their own share.
        text.push_str(&format!(
            ", som omfattar {} kommuner",
            format::of(municipalities.len(), registry.municipalities.len())
        ));
    }
    let body_names: Vec<String> =
        registry.bodies.iter().filter(|b| bodies.contains(&b.code)).map(|b| b.name.clone()).collect();
    let bodies_text = if body_names.is_empty() {
        String::new()
    } else {
        format!("Representation fanns också från {}.", join_sv(&body_names))
    };
    AttendanceSummary { lsls, municipalities, bodies, lsl_total, text, bodies_text }
}

/// LSLs not reached by any held activity in the plan year, with a neutral sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotReached {
    /// The LSLs, in registry order.
    pub lsls: Vec<Lsl>,
    /// "Följande systemledningar har inte deltagit i någon aktivitet under 2026 och kan behöva
    /// stöd: Gagnef, Leksand och Mora." or "Alla systemledningar har deltagit i minst en
    /// aktivitet under 2026."
    pub sentence: String,
}

/// LSLs that no held (Genomförd) occurrence of the plan year reached, by the attendance rule.
/// The sentence names the year rather than saying "i år", since the core has no clock.
pub fn not_reached(plan: &AnnualPlan, registry: &Registry) -> NotReached {
    let reached = year_attendance(plan, registry, None).lsls;
    let lsls: Vec<Lsl> = registry.lsls.iter().filter(|l| !reached.contains(&l.code)).cloned().collect();
    let sentence = if lsls.is_empty() {
        format!("Alla systemledningar har deltagit i minst en aktivitet under {}.", plan.year)
    } else {
        let names: Vec<String> = lsls.iter().map(|l| l.name.clone()).collect();
        let subject =
            if lsls.len() == 1 { "Följande systemledning har" } else { "Följande systemledningar har" };
        format!(
            "{subject} inte deltagit i någon aktivitet under {} och kan behöva stöd: {}.",
            plan.year,
            join_sv(&names)
        )
    };
    NotReached { lsls, sentence }
}

use crate::format::join_sv;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_frequency_parses_ranges_and_single_numbers() {
        assert_eq!(TargetFrequency::parse("4–5", "").unwrap().label(), "4–5 ggr/år");
        assert_eq!(TargetFrequency::parse(" 4 - 5 ", "").unwrap().range_label(), "4–5");
        assert_eq!(TargetFrequency::parse("2", "vår + höst").unwrap().label(), "2 ggr/år (vår + höst)");
        assert!(TargetFrequency::parse("", "").unwrap_err().to_string().contains("Ange hur många"));
        assert!(TargetFrequency::parse("fem", "").unwrap_err().to_string().contains("är inget antal"));
        assert!(TargetFrequency::parse("5–4", "").unwrap_err().to_string().contains("större än"));
        assert!(TargetFrequency::parse("0", "").is_err());
    }

    #[test]
    fn activity_type_input_names_every_bad_field() {
        let ok = ActivityTypeInput {
            name: " Regionala nätverksträffar ".into(),
            target_group: "Lokala systemledningar".into(),
            purpose: "Lärande dialog".into(),
            format: "Digitalt och/eller fysiskt".into(),
            frequency: "4-5".into(),
            timing: String::new(),
            noun_singular: "nätverksträff".into(),
            noun_plural: "nätverksträffar".into(),
        };
        let t = ok.parse().unwrap();
        assert_eq!(t.name, "Regionala nätverksträffar");
        assert_eq!(t.frequency.range_label(), "4–5");
        assert_eq!(ActivityTypeInput::from_type(&t).parse().unwrap(), t);
        let default_noun =
            ActivityTypeInput { noun_singular: String::new(), noun_plural: String::new(), ..ok.clone() };
        assert_eq!(default_noun.parse().unwrap().noun, CountNoun::new("tillfälle", "tillfällen"));
        let bad = ActivityTypeInput {
            name: " ".into(),
            target_group: String::new(),
            format: "Brevledes".into(),
            frequency: "ofta".into(),
            ..ok
        };
        let errors = bad.parse().unwrap_err();
        let fields: Vec<String> = errors.0.iter().filter_map(|e| e.location.field.clone()).collect();
        assert_eq!(fields, vec!["namn", "målgrupp", "format", "antal per år"]);
    }

    #[test]
    fn target_frequency_rejects_bad_ranges() {
        assert!(TargetFrequency::new(0, 2, None).is_err());
        assert!(TargetFrequency::new(5, 4, None).unwrap_err().to_string().contains("(5)"));
        assert_eq!(TargetFrequency::new(3, 3, Some("  ")).unwrap().label(), "3 ggr/år");
        let bad: Result<TargetFrequency, _> = serde_json::from_str(r#"{"min":4,"max":2}"#);
        assert!(bad.is_err());
    }

    #[test]
    fn reason_is_required_for_postponed_cancelled_paused() {
        for status in ["Framflyttad", "Inställd", "Pausad"] {
            let err = OccurrenceStatus::parse(status, Some("   ")).unwrap_err();
            assert_eq!(err.location.field.as_deref(), Some("orsak"));
            assert!(err.message.contains(status), "{}", err.message);
            assert!(OccurrenceStatus::parse(status, None).is_err());
        }
        let s = OccurrenceStatus::parse("pausad", Some("Deltagare avbröt")).unwrap();
        assert_eq!(s.to_string(), "Pausad (Deltagare avbröt)");
        assert_eq!(OccurrenceStatus::parse("Genomförd", None).unwrap(), OccurrenceStatus::Genomford);
        let err = OccurrenceStatus::parse("Klar", None).unwrap_err();
        assert_eq!(err.to_string(), "fält status: \"Klar\" är ingen känd status. Ange Planerad, Genomförd, Framflyttad, Inställd eller Pausad.");
        // Deserialising an empty reason is refused too.
        let bad: Result<OccurrenceStatus, _> = serde_json::from_str(r#"{"status":"installd","orsak":""}"#);
        assert!(bad.is_err());
        let ok: OccurrenceStatus =
            serde_json::from_str(r#"{"status":"installd","orsak":"Sjukdom"}"#).unwrap();
        assert_eq!(ok.label(), "Inställd");
    }

    #[test]
    fn join_sv_lists() {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_sv(&v(&[])), "");
        assert_eq!(join_sv(&v(&["Mora"])), "Mora");
        assert_eq!(join_sv(&v(&["Mora", "Orsa"])), "Mora och Orsa");
        assert_eq!(join_sv(&v(&["Mora", "Orsa", "Säter"])), "Mora, Orsa och Säter");
    }

    #[test]
    fn format_parse_round_trip() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.label()).unwrap(), f);
        }
        assert!(Format::parse("Brevduva").unwrap_err().to_string().contains("Brevduva"));
    }
}

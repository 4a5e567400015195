//! The reporting calendar: meetings of the governance bodies, what is delivered to each, and the
//! numbered decision proposals ("att anta …") taken there.
//!
//! Key rules:
//! - A meeting either has a date or only a quarter ("Datum ej satt", e.g. the steering group's
//!   fourth-quarter meeting of 2026). [`MeetingDate`] makes the two cases explicit.
//! - Order: meetings sort by date; an undated meeting sorts at the first day of its quarter (the
//!   earliest it can take place) and after any dated meeting on that same day.
//! - Upcoming: a dated meeting is upcoming from `today` up to and including its date; an undated
//!   one until the last day of its quarter.
//! - Proposals are numbered 1, 2, 3 … within their meeting and are worded as an att-sats.

use super::PlanningError;
use crate::error::{InputError, InputErrors, Location};
use crate::format;
use crate::organisation::Registry;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// A quarter of a year, 1–4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Quarter(u8);

impl Quarter {
    /// Quarter `n`, 1–4.
    pub fn new(n: u8) -> Result<Quarter, PlanningError> {
        if (1..=4).contains(&n) {
            Ok(Quarter(n))
        } else {
            Err(PlanningError::QuarterOutOfRange(n))
        }
    }
    /// The quarter a date falls in.
    pub fn of(date: NaiveDate) -> Quarter {
        Quarter(date.month0() as u8 / 3 + 1)
    }
    pub fn number(self) -> u8 {
        self.0
    }
    /// First day of the quarter in `year`.
    pub fn first_day(self, year: i32) -> NaiveDate {
        let month = u32::from(self.0 - 1) * 3 + 1;
        NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN)
    }
    /// Last day of the quarter in `year`.
    pub fn last_day(self, year: i32) -> NaiveDate {
        if self.0 == 4 {
            NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
        } else {
            Quarter(self.0 + 1).first_day(year).pred_opt().unwrap_or(NaiveDate::MAX)
        }
    }
}

impl TryFrom<u8> for Quarter {
    type Error = PlanningError;
    fn try_from(n: u8) -> Result<Self, PlanningError> {
        Quarter::new(n)
    }
}

impl From<Quarter> for u8 {
    fn from(q: Quarter) -> u8 {
        q.0
    }
}

/// When a meeting takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingDate {
    /// A set date.
    Datum(NaiveDate),
    /// "Datum ej satt": only the quarter is known.
    EjSatt { year: i32, quarter: Quarter },
}

impl MeetingDate {
    /// The date when set.
    pub fn date(self) -> Option<NaiveDate> {
        match self {
            MeetingDate::Datum(d) => Some(d),
            MeetingDate::EjSatt { .. } => None,
        }
    }
    pub fn year(self) -> i32 {
        match self {
            MeetingDate::Datum(d) => d.year(),
            MeetingDate::EjSatt { year, .. } => year,
        }
    }
    /// Earliest possible day, used for ordering.
    pub fn earliest(self) -> NaiveDate {
        match self {
            MeetingDate::Datum(d) => d,
            MeetingDate::EjSatt { year, quarter } => quarter.first_day(year),
        }
    }
    /// Latest possible day, used for "upcoming".
    pub fn latest(self) -> NaiveDate {
        match self {
            MeetingDate::Datum(d) => d,
            MeetingDate::EjSatt { year, quarter } => quarter.last_day(year),
        }
    }
    /// Sort key: earliest day, dated before undated on the same day.
    pub fn sort_key(self) -> (NaiveDate, u8) {
        (self.earliest(), u8::from(self.date().is_none()))
    }
    /// `"2026-01-29"` or `"Datum ej satt (kvartal 4 2026)"`.
    pub fn label(self) -> String {
        match self {
            MeetingDate::Datum(d) => format::date(d),
            MeetingDate::EjSatt { year, quarter } => {
                format!("Datum ej satt (kvartal {} {year})", quarter.number())
            }
        }
    }
}

impl fmt::Display for MeetingDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// What kind of thing is delivered to a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliverableKind {
    Uppdragsbeskrivning,
    Delredovisning,
    Handlingsplan,
    Arsrapport,
    Aterredovisning,
    Summering,
    Annat,
}

impl DeliverableKind {
    pub const ALL: [DeliverableKind; 7] = [
        DeliverableKind::Uppdragsbeskrivning,
        DeliverableKind::Delredovisning,
        DeliverableKind::Handlingsplan,
        DeliverableKind::Arsrapport,
        DeliverableKind::Aterredovisning,
        DeliverableKind::Summering,
        DeliverableKind::Annat,
    ];
    /// Swedish label.
    pub fn label(self) -> &'static str {
        match self {
            DeliverableKind::Uppdragsbeskrivning => "Uppdragsbeskrivning",
            DeliverableKind::Delredovisning => "Delredovisning",
            DeliverableKind::Handlingsplan => "Handlingsplan",
            DeliverableKind::Arsrapport => "Årsrapport",
            DeliverableKind::Aterredovisning => "Återredovisning",
            DeliverableKind::Summering => "Summering",
            DeliverableKind::Annat => "Annat",
        }
    }
    /// Parses a Swedish label, case-insensitive.
    pub fn parse(s: &str) -> Result<DeliverableKind, PlanningError> {
        let t = s.trim().to_lowercase();
        DeliverableKind::ALL
            .into_iter()
            .find(|k| k.label().to_lowercase() == t)
            .ok_or_else(|| PlanningError::UnknownDeliverableKind(s.trim().to_string()))
    }
}

/// Status of a deliverable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliverableStatus {
    Planerad,
    Levererad,
    Uppskjuten,
}

impl DeliverableStatus {
    /// Swedish label.
    pub fn label(self) -> &'static str {
        match self {
            DeliverableStatus::Planerad => "Planerad",
            DeliverableStatus::Levererad => "Levererad",
            DeliverableStatus::Uppskjuten => "Uppskjuten",
        }
    }
}

/// Something delivered to a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deliverable {
    pub kind: DeliverableKind,
    /// As in the reporting plan, e.g. "Delredovisning R HPL".
    pub description: String,
    pub status: DeliverableStatus,
}

/// What became of a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalOutcome {
    Bifallen,
    Avslagen,
    Bordlagd,
    /// Not (yet) handled — the state of a proposal before its meeting.
    EjBehandlad,
}

impl ProposalOutcome {
    /// Swedish label.
    pub fn label(self) -> &'static str {
        match self {
            ProposalOutcome::Bifallen => "Bifallen",
            ProposalOutcome::Avslagen => "Avslagen",
            ProposalOutcome::Bordlagd => "Bordlagd",
            ProposalOutcome::EjBehandlad => "Ej behandlad",
        }
    }
}

/// A numbered proposal for decision ("förslag till beslut") at a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    /// 1, 2, 3 … within the meeting.
    pub number: u32,
    /// The att-sats: "att anta förslaget om …".
    pub text: String,
    pub outcome: ProposalOutcome,
}

impl Proposal {
    /// A proposal from a form. The text must be an att-sats ("att anta …"); errors name the
    /// field "förslag".
    pub fn new(number: u32, text: &str, outcome: ProposalOutcome) -> Result<Proposal, InputError> {
        let t = text.trim();
        if number == 0 {
            return Err(InputError::new(
                Location::field("nummer"),
                "Förslagets nummer måste vara 1 eller högre.",
            ));
        }
        if !is_att_sats(t) {
            return Err(InputError::new(
                Location::field("förslag"),
                "Ett beslutsförslag ska formuleras som en att-sats, t.ex. \"att anta …\".",
            ));
        }
        Ok(Proposal { number, text: t.to_string(), outcome })
    }
}

fn is_att_sats(t: &str) -> bool {
    let lower = t.to_lowercase();
    lower.starts_with("att ") && t.len() > 4
}

/// One meeting of a governance body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// Stable identifier, e.g. "lchnv-2026-01-29" or "lchnv-styrgrupp-2026-k4"; also the
    /// basis of the calendar UID.
    pub id: String,
    /// Body code in the registry: "lchnv", "vfr", "lchnv-styrgrupp".
    pub body: String,
    pub date: MeetingDate,
    pub title: String,
    #[serde(default)]
    pub deliverables: Vec<Deliverable>,
    #[serde(default)]
    pub proposals: Vec<Proposal>,
}

impl Meeting {
    /// The conventional id: body code and ISO date, or body, year and quarter when undated.
    pub fn standard_id(body: &str, date: MeetingDate) -> String {
        match date {
            MeetingDate::Datum(d) => format!("{body}-{}", format::date(d)),
            MeetingDate::EjSatt { year, quarter } => {
                format!("{body}-{year}-k{}", quarter.number())
            }
        }
    }
}

/// A year's reporting calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportingCalendar {
    pub year: i32,
    /// In date order (see the module rules); [`ReportingCalendar::sorted`] restores it.
    pub meetings: Vec<Meeting>,
}

impl ReportingCalendar {
    /// Sorts meetings by the module's order (stable for equal keys).
    pub fn sorted(mut self) -> Self {
        self.meetings.sort_by_key(|m| m.date.sort_key());
        self
    }

    /// Meetings of one body.
    pub fn meetings_of<'a>(&'a self, body: &'a str) -> impl Iterator<Item = &'a Meeting> + 'a {
        self.meetings.iter().filter(move |m| m.body == body)
    }

    /// All proposals with their meeting, in meeting order.
    pub fn proposals(&self) -> impl Iterator<Item = (&Meeting, &Proposal)> {
        self.meetings.iter().flat_map(|m| m.proposals.iter().map(move |p| (m, p)))
    }

    /// Checks body codes, years, unique ids and proposal numbering. Errors are located by
    /// meeting number (1-based, "rad") and field.
    pub fn validate(&self, registry: &Registry) -> Result<(), InputErrors> {
        let mut errors = Vec::new();
        let mut ids = BTreeSet::new();
        for (i, m) in self.meetings.iter().enumerate() {
            let at = |field: &str| Location::row(i + 1).with_field(field);
            if m.id.trim().is_empty() {
                errors.push(InputError::new(at("id"), "Mötet saknar id."));
            } else if !ids.insert(m.id.as_str()) {
                errors
                    .push(InputError::new(at("id"), format!("Mötes-id \"{}\" finns mer än en gång.", m.id)));
            }
            if !registry.bodies.iter().any(|b| b.code == m.body) {
                errors.push(InputError::new(
                    at("organ"),
                    format!("Organet \"{}\" finns inte i organisationsregistret.", m.body),
                ));
            }
            if m.date.year() != self.year {
                errors.push(InputError::new(
                    at("datum"),
                    format!("Mötesdatumet {} ligger utanför kalenderns år {}.", m.date.label(), self.year),
                ));
            }
            if m.title.trim().is_empty() {
                errors.push(InputError::new(at("rubrik"), "Mötet saknar rubrik."));
            }
            for (j, p) in m.proposals.iter().enumerate() {
                let expected = j as u32 + 1;
                if p.number != expected {
                    errors.push(InputError::new(
                        at("förslag"),
                        format!(
                            "Förslagen ska numreras 1, 2, 3 …; förslag nummer {} står på plats {expected}.",
                            p.number
                        ),
                    ));
                }
                if !is_att_sats(p.text.trim()) {
                    errors.push(InputError::new(
                        at("förslag"),
                        format!("Förslag {} ska formuleras som en att-sats, t.ex. \"att anta …\".", p.number),
                    ));
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(InputErrors(errors))
        }
    }
}

/// Raw form input for one deliverable of a meeting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliverableInput {
    /// A [`DeliverableKind`] label, e.g. "Delredovisning".
    pub kind: String,
    pub description: String,
}

/// Raw form input for a meeting of the reporting calendar. [`MeetingInput::parse`] turns it into
/// a typed [`Meeting`] of one calendar year, checked against the registry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingInput {
    /// Body code in the registry ("lchnv", "vfr", "lchnv-styrgrupp").
    pub body: String,
    /// ÅÅÅÅ-MM-DD, or empty when only the quarter is known.
    pub date: String,
    /// 1–4, used when the date is empty ("Datum ej satt").
    pub quarter: String,
    pub title: String,
    /// Rows with both fields empty are ignored.
    pub deliverables: Vec<DeliverableInput>,
}

impl MeetingInput {
    /// The form values of an existing meeting.
    pub fn from_meeting(m: &Meeting) -> Self {
        let (date, quarter) = match m.date {
            MeetingDate::Datum(d) => (format::date(d), String::new()),
            MeetingDate::EjSatt { quarter, .. } => (String::new(), quarter.number().to_string()),
        };
        MeetingInput {
            body: m.body.clone(),
            date,
            quarter,
            title: m.title.clone(),
            deliverables: m
                .deliverables
                .iter()
                .map(|d| DeliverableInput {
                    kind: d.kind.label().to_string(),
                    description: d.description.clone(),
                })
                .collect(),
        }
    }

    /// Parses a meeting of the calendar of `year`. When editing, `previous` is the stored meeting:
    /// its id and proposals are kept, and each deliverable keeps the status of the one in the same
    /// position. A new meeting gets [`Meeting::standard_id`] and Planerad deliverables. All
    /// problems are reported at once, each naming its field; the date must lie within `year`.
    pub fn parse(
        &self,
        year: i32,
        previous: Option<&Meeting>,
        registry: &Registry,
    ) -> Result<Meeting, InputErrors> {
        let mut errors = Vec::new();
        let field = |f: &str| Location::field(f);
        let body = self.body.trim();
        if body.is_empty() {
            errors.push(InputError::new(field("organ"), "Välj vilket organ som sammanträder."));
        } else if !registry.bodies.iter().any(|b| b.code == body) {
            errors.push(InputError::new(
                field("organ"),
                format!("Organet \"{body}\" finns inte i organisationsregistret."),
            ));
        }
        let date = match (self.date.trim(), self.quarter.trim()) {
            ("", "") => {
                errors.push(InputError::new(
                    field("datum"),
                    "Ange datum (ÅÅÅÅ-MM-DD) eller, om datum inte är satt, vilket kvartal.",
                ));
                None
            }
            ("", q) => {
                match q
                    .parse::<u8>()
                    .map_err(|_| PlanningError::NotAQuarter(q.to_string()))
                    .and_then(Quarter::new)
                {
                    Ok(quarter) => Some(MeetingDate::EjSatt { year, quarter }),
                    Err(m) => {
                        errors.push(InputError::new(field("kvartal"), m));
                        None
                    }
                }
            }
            (d, _) => match format::parse_date(d) {
                Ok(d) if d.year() == year => Some(MeetingDate::Datum(d)),
                Ok(d) => {
                    errors.push(InputError::new(
                        field("datum"),
                        format!("Mötesdatumet {} ligger utanför kalenderns år {year}.", format::date(d)),
                    ));
                    None
                }
                Err(m) => {
                    errors.push(InputError::new(field("datum"), m));
                    None
                }
            },
        };
        let title = self.title.trim();
        if title.is_empty() {
            errors.push(InputError::new(field("rubrik"), "Mötet saknar rubrik."));
        } else if title.chars().count() > 300 {
            errors.push(InputError::new(field("rubrik"), "Rubriken får ha högst 300 tecken."));
        }
        let mut deliverables = Vec::new();
        // Rows with content, counted 1, 2, 3 … whether or not they parse.
        let filled = self
            .deliverables
            .iter()
            .filter(|d| !(d.kind.trim().is_empty() && d.description.trim().is_empty()));
        for (i, d) in filled.enumerate() {
            let (kind, description) = (d.kind.trim(), d.description.trim());
            let n = i + 1;
            let at = |f: &str| Location::field(format!("leverans {n} – {f}"));
            let kind = if kind.is_empty() {
                errors.push(InputError::new(at("typ"), "Välj vilken typ av leverans det är."));
                None
            } else {
                DeliverableKind::parse(kind).map_err(|m| errors.push(InputError::new(at("typ"), m))).ok()
            };
            if description.chars().count() > 500 {
                errors.push(InputError::new(at("beskrivning"), "Beskrivningen får ha högst 500 tecken."));
            }
            if let Some(kind) = kind {
                let status = previous
                    .and_then(|p| p.deliverables.get(i))
                    .map(|p| p.status)
                    .unwrap_or(DeliverableStatus::Planerad);
                let description = if description.is_empty() { kind.label() } else { description };
                deliverables.push(Deliverable { kind, description: description.to_string(), status });
            }
        }
        let Some(date) = date else {
            return Err(InputErrors(errors));
        };
        if !errors.is_empty() {
            return Err(InputErrors(errors));
        }
        Ok(Meeting {
            id: previous.map(|p| p.id.clone()).unwrap_or_else(|| Meeting::standard_id(body, date)),
            body: body.to_string(),
            date,
            title: title.to_string(),
            deliverables,
            proposals: previous.map(|p| p.proposals.clone()).unwrap_or_default(),
        })
    }
}

/// An upcoming meeting with how far away it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upcoming<'a> {
    pub meeting: &'a Meeting,
    /// Days from `today` to the date; `None` when the date is not set.
    pub days_left: Option<i64>,
    /// "i dag", "i morgon", "om 12 dagar" or "datum ej satt (kvartal 4 2026)".
    pub when: String,
}

/// The next `n` meetings from `today` (inclusive), in calendar order. Undated meetings are
/// included until their quarter has ended.
pub fn upcoming(calendar: &ReportingCalendar, today: NaiveDate, n: usize) -> Vec<Upcoming<'_>> {
    let mut meetings: Vec<&Meeting> = calendar.meetings.iter().filter(|m| m.date.latest() >= today).collect();
    meetings.sort_by_key(|m| m.date.sort_key());
    meetings
        .into_iter()
        .take(n)
        .map(|m| {
            let days_left = m.date.date().map(|d| (d - today).num_days());
            let when = match (days_left, m.date) {
                (Some(0), _) => "i dag".to_string(),
                (Some(1), _) => "i morgon".to_string(),
                (Some(d), _) => format!("om {d} dagar"),
                (None, MeetingDate::EjSatt { year, quarter }) => {
                    format!("datum ej satt (kvartal {} {year})", quarter.number())
                }
                (None, MeetingDate::Datum(_)) => String::new(),
            };
            Upcoming { meeting: m, days_left, when }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn proposal_must_be_an_att_sats() {
        let err = Proposal::new(1, "Vi antar planen", ProposalOutcome::Bifallen).unwrap_err();
        assert_eq!(
            err.to_string(),
            "fält förslag: Ett beslutsförslag ska formuleras som en att-sats, t.ex. \"att anta …\"."
        );
        assert!(Proposal::new(0, "att anta planen", ProposalOutcome::Bifallen).is_err());
        let ok = Proposal::new(2, "  Att anta planen ", ProposalOutcome::Bordlagd).unwrap();
        assert_eq!(ok.text, "Att anta planen");
    }

    #[test]
    fn quarters() {
        assert!(Quarter::new(0).is_err());
        assert!(Quarter::new(5).is_err());
        let q4 = Quarter::new(4).unwrap();
        assert_eq!(q4.first_day(2026), date(2026, 10, 1));
        assert_eq!(q4.last_day(2026), date(2026, 12, 31));
        assert_eq!(Quarter::new(1).unwrap().last_day(2028), date(2028, 3, 31));
        assert_eq!(Quarter::of(date(2026, 6, 30)).number(), 2);
        let bad: Result<Quarter, _> = serde_json::from_str("7");
        assert!(bad.is_err());
    }

    #[test]
    fn deliverable_kind_parse() {
        for k in DeliverableKind::ALL {
            assert_eq!(DeliverableKind::parse(k.label()).unwrap(), k);
        }
        assert_eq!(DeliverableKind::parse("årsrapport").unwrap(), DeliverableKind::Arsrapport);
        assert!(DeliverableKind::parse("Protokoll").is_err());
    }
}

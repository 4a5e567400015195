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

// ---------------------------------------------------------------------------------------------
// Demo data: the reporting plan 2026 of seed 004.

fn d(kind: DeliverableKind, description: &str) -> Deliverable {
    Deliverable { kind, description: description.to_string(), status: DeliverableStatus::Planerad }
}

fn meeting(body: &str, date: MeetingDate, title: &str, deliverables: Vec<Deliverable>) -> Meeting {
    Meeting {
        id: Meeting::standard_id(body, date),
        body: body.to_string(),
        date,
        title: title.to_string(),
        deliverables,
        proposals: Vec::new(),
    }
}

fn on(month: u32, day: u32) -> MeetingDate {
    // Literal dates of 2026 only.
    MeetingDate::Datum(NaiveDate::from_ymd_opt(2026, month, day).unwrap_or(NaiveDate::MIN))
}

/// The three proposals of LCHNV 29 January 2026 (seed 004, "Förslag till beslut"), not yet
/// handled.
pub fn proposals_2026_01_29() -> Vec<Proposal> {
    [
        "att anta förslaget om årsplanering 2026 för fokusområde och samverkansaktiviteter.",
        "att anta förslaget om att låta styrgruppen för Länschefsnätverket utgöra nätverkets \
         representation i regional systemledning för God och nära vård-arbetet i Dalarna.",
        "att anta den föreslagna uppdragsbeskrivningen för slutförandet av regional \
         handlingsplan för God och nära vård-arbetet i Dalarna.",
    ]
    .iter()
    .zip(1..)
    .map(|(text, number)| Proposal { number, text: text.to_string(), outcome: ProposalOutcome::EjBehandlad })
    .collect()
}

/// The reporting plan 2026 exactly as in seed 004 ("Plan rapportering 2026"): seven meetings
/// of LCHNV and VFR and four of the LCHNV steering group (the fourth in quarter 4, date not
/// set). All deliverables are Planerad.
pub fn demo_calendar_2026() -> ReportingCalendar {
    use DeliverableKind::*;
    let continuous = || vec![d(Annat, "Kontinuerlig rapport om God och nära vård")];
    let mut first = meeting(
        "lchnv",
        on(1, 29),
        "Länschefsnätverket – uppdragsbeskrivning, representation och årsplanering",
        vec![
            d(Uppdragsbeskrivning, "Uppdragsbeskrivning reg. handlingsplan (R HPL)"),
            d(Annat, "Representation reg. systemledning"),
            d(Annat, "Årsplanering GNV"),
        ],
    );
    first.proposals = proposals_2026_01_29();
    ReportingCalendar {
        year: 2026,
        meetings: vec![
            first,
            meeting(
                "lchnv-styrgrupp",
                on(3, 2),
                "Styrgruppen för Länschefsnätverket – rapport GNV",
                continuous(),
            ),
            meeting(
                "lchnv",
                on(3, 20),
                "Länschefsnätverket – delredovisning R HPL",
                vec![d(Delredovisning, "Delredovisning R HPL")],
            ),
            meeting(
                "lchnv-styrgrupp",
                on(5, 5),
                "Styrgruppen för Länschefsnätverket – rapport GNV",
                continuous(),
            ),
            meeting(
                "lchnv",
                on(5, 22),
                "Länschefsnätverket – redovisning R HPL och årsrapport 2025",
                vec![d(Handlingsplan, "Redovisning R HPL"), d(Arsrapport, "Årsrapport 2025")],
            ),
            meeting(
                "vfr",
                on(6, 11),
                "Välfärdsrådet – redovisning R HPL och årsrapport 2025",
                vec![d(Handlingsplan, "Redovisning R HPL"), d(Arsrapport, "Årsrapport 2025")],
            ),
            meeting(
                "lchnv-styrgrupp",
                on(8, 24),
                "Styrgruppen för Länschefsnätverket – rapport GNV",
                continuous(),
            ),
            meeting(
                "lchnv",
                on(9, 8),
                "Länschefsnätverket – ev. återredovisning R HPL",
                vec![d(Aterredovisning, "Ev. återredovisning R HPL")],
            ),
            meeting(
                "vfr",
                on(9, 17),
                "Välfärdsrådet – ev. återredovisning R HPL",
                vec![d(Aterredovisning, "Ev. återredovisning R HPL")],
            ),
            meeting(
                "lchnv-styrgrupp",
                MeetingDate::EjSatt { year: 2026, quarter: Quarter(4) },
                "Styrgruppen för Länschefsnätverket – rapport GNV",
                continuous(),
            ),
            meeting(
                "lchnv",
                on(11, 12),
                "Länschefsnätverket – summering av GNV 2026",
                vec![d(Summering, "Summering av GNV 2026")],
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::organisation::dalarna;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn meeting_input() -> MeetingInput {
        MeetingInput {
            body: "vfr".into(),
            date: "2026-06-11".into(),
            quarter: String::new(),
            title: "Välfärdsrådet".into(),
            deliverables: vec![
                DeliverableInput { kind: "Handlingsplan".into(), description: "Redovisning R HPL".into() },
                DeliverableInput::default(),
                DeliverableInput { kind: "Årsrapport".into(), description: String::new() },
            ],
        }
    }

    #[test]
    fn meeting_input_parses_and_keeps_id_statuses_and_proposals_when_editing() {
        let reg = dalarna();
        let m = meeting_input().parse(2026, None, &reg).unwrap();
        assert_eq!(m.id, "vfr-2026-06-11");
        assert_eq!(m.date, MeetingDate::Datum(date(2026, 6, 11)));
        assert_eq!(m.deliverables.len(), 2, "empty rows are skipped");
        assert_eq!(m.deliverables[1].description, "Årsrapport", "kind label when no description");
        let mut stored = m.clone();
        stored.deliverables[0].status = DeliverableStatus::Levererad;
        stored.proposals = proposals_2026_01_29();
        let edited = MeetingInput { date: "2026-06-12".into(), ..MeetingInput::from_meeting(&stored) }
            .parse(2026, Some(&stored), &reg)
            .unwrap();
        assert_eq!(edited.id, "vfr-2026-06-11", "the id is stable");
        assert_eq!(edited.deliverables[0].status, DeliverableStatus::Levererad);
        assert_eq!(edited.proposals.len(), 3);
        let undated = MeetingInput { date: String::new(), quarter: "4".into(), ..meeting_input() }
            .parse(2026, None, &reg)
            .unwrap();
        assert_eq!(undated.id, "vfr-2026-k4");
    }

    #[test]
    fn meeting_input_errors_name_the_field() {
        let reg = dalarna();
        let fields = |i: MeetingInput| -> Vec<String> {
            i.parse(2026, None, &reg).unwrap_err().0.into_iter().filter_map(|e| e.location.field).collect()
        };
        let e = MeetingInput { date: "2025-12-01".into(), ..meeting_input() }
            .parse(2026, None, &reg)
            .unwrap_err();
        assert_eq!(e.0[0].message, "Mötesdatumet 2025-12-01 ligger utanför kalenderns år 2026.");
        assert_eq!(fields(MeetingInput { body: "okänt".into(), ..meeting_input() }), vec!["organ"]);
        assert_eq!(fields(MeetingInput { date: String::new(), ..meeting_input() }), vec!["datum"]);
        assert_eq!(
            fields(MeetingInput { date: String::new(), quarter: "5".into(), ..meeting_input() }),
            vec!["kvartal"]
        );
        assert_eq!(fields(MeetingInput { title: " ".into(), ..meeting_input() }), vec!["rubrik"]);
        let mut no_kind = meeting_input();
        no_kind.deliverables[2] = DeliverableInput { kind: String::new(), description: "Något".into() };
        assert_eq!(fields(no_kind), vec!["leverans 2 – typ"]);
        let mut both = meeting_input();
        both.deliverables[0].kind = "Okänd".into();
        both.deliverables[2] = DeliverableInput { kind: String::new(), description: "Något".into() };
        assert_eq!(
            fields(both),
            vec!["leverans 1 – typ", "leverans 2 – typ"],
            "rows are numbered as filled in"
        );
    }

    #[test]
    fn demo_calendar_matches_seed_004() {
        let cal = demo_calendar_2026();
        assert!(cal.validate(&dalarna()).is_ok());
        assert_eq!(cal.meetings.len(), 11);
        let rows: Vec<(String, &str)> =
            cal.meetings.iter().map(|m| (m.date.label(), m.body.as_str())).collect();
        let expected = [
            ("2026-01-29", "lchnv"),
            ("2026-03-02", "lchnv-styrgrupp"),
            ("2026-03-20", "lchnv"),
            ("2026-05-05", "lchnv-styrgrupp"),
            ("2026-05-22", "lchnv"),
            ("2026-06-11", "vfr"),
            ("2026-08-24", "lchnv-styrgrupp"),
            ("2026-09-08", "lchnv"),
            ("2026-09-17", "vfr"),
            ("Datum ej satt (kvartal 4 2026)", "lchnv-styrgrupp"),
            ("2026-11-12", "lchnv"),
        ];
        assert_eq!(rows, expected.iter().map(|(d, b)| (d.to_string(), *b)).collect::<Vec<_>>());
        assert_eq!(cal.meetings_of("lchnv").count(), 5);
        assert_eq!(cal.meetings_of("vfr").count(), 2);
        assert_eq!(cal.meetings_of("lchnv-styrgrupp").count(), 4);
        // Already in calendar order.
        assert_eq!(cal.clone().sorted(), cal);

        let may = &cal.meetings[4];
        let kinds: Vec<&str> = may.deliverables.iter().map(|d| d.kind.label()).collect();
        assert_eq!(kinds, vec!["Handlingsplan", "Årsrapport"]);
        assert_eq!(may.deliverables[1].description, "Årsrapport 2025");
        assert_eq!(cal.meetings[5].deliverables, may.deliverables, "VFR 11 juni: samma");
        assert_eq!(cal.meetings[10].deliverables[0].description, "Summering av GNV 2026");
    }

    #[test]
    fn proposals_of_29_january() {
        let cal = demo_calendar_2026();
        let props: Vec<(&str, u32, &str)> =
            cal.proposals().map(|(m, p)| (m.id.as_str(), p.number, p.text.as_str())).collect();
        assert_eq!(props.len(), 3);
        assert!(props.iter().all(|(id, _, _)| *id == "lchnv-2026-01-29"));
        assert_eq!(
            props[0].2,
            "att anta förslaget om årsplanering 2026 för fokusområde och samverkansaktiviteter."
        );
        assert!(props[1].2.contains("styrgruppen för Länschefsnätverket utgöra nätverkets representation"));
        assert!(props[2].2.starts_with("att anta den föreslagna uppdragsbeskrivningen"));
        assert_eq!(props.iter().map(|p| p.1).collect::<Vec<_>>(), vec![1, 2, 3]);
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
    fn calendar_validation_messages() {
        let mut cal = demo_calendar_2026();
        cal.meetings[1].body = "kommunfullmaktige".into();
        cal.meetings[2].date = MeetingDate::Datum(date(2025, 12, 1));
        cal.meetings[3].id = cal.meetings[0].id.clone();
        cal.meetings[0].proposals.swap(0, 1);
        let texts: Vec<String> =
            cal.validate(&dalarna()).unwrap_err().0.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            texts,
            vec![
                "rad 1, fält förslag: Förslagen ska numreras 1, 2, 3 …; förslag nummer 2 står på plats 1.",
                "rad 1, fält förslag: Förslagen ska numreras 1, 2, 3 …; förslag nummer 1 står på plats 2.",
                "rad 2, fält organ: Organet \"kommunfullmaktige\" finns inte i organisationsregistret.",
                "rad 3, fält datum: Mötesdatumet 2025-12-01 ligger utanför kalenderns år 2026.",
                "rad 4, fält id: Mötes-id \"lchnv-2026-01-29\" finns mer än en gång.",
            ]
        );
    }

    #[test]
    fn upcoming_deadlines() {
        let cal = demo_calendar_2026();
        let next = upcoming(&cal, date(2026, 5, 21), 3);
        let ids: Vec<(&str, &str)> = next.iter().map(|u| (u.meeting.id.as_str(), u.when.as_str())).collect();
        assert_eq!(
            ids,
            vec![
                ("lchnv-2026-05-22", "i morgon"),
                ("vfr-2026-06-11", "om 21 dagar"),
                ("lchnv-styrgrupp-2026-08-24", "om 95 dagar"),
            ]
        );
        // On the day itself the meeting is still upcoming.
        assert_eq!(upcoming(&cal, date(2026, 1, 29), 1)[0].when, "i dag");
        // In November the Q4 steering group meeting (no date) comes first, then 12 Nov.
        let nov = upcoming(&cal, date(2026, 11, 1), 5);
        assert_eq!(nov.len(), 2);
        assert_eq!(nov[0].when, "datum ej satt (kvartal 4 2026)");
        assert_eq!(nov[0].days_left, None);
        assert_eq!(nov[1].days_left, Some(11));
        // After the last day of the year nothing is upcoming; n = 0 gives nothing.
        assert!(upcoming(&cal, date(2027, 1, 1), 5).is_empty());
        assert!(upcoming(&cal, date(2026, 1, 1), 0).is_empty());
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

    #[test]
    fn calendar_round_trips_through_json() {
        let cal = demo_calendar_2026();
        let back: ReportingCalendar = serde_json::from_str(&serde_json::to_string(&cal).unwrap()).unwrap();
        assert_eq!(back, cal);
    }
}

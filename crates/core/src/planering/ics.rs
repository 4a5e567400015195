//! iCalendar (RFC 5545) export of the reporting calendar, so that meetings and deliverables can
//! be subscribed to in Outlook and other calendar programs.
//!
//! Rules followed:
//! - Lines end in CRLF and are folded so that no physical line exceeds 75 octets (RFC 5545
//!   §3.1); folding never splits a UTF-8 character — Swedish å, ä, ö are two octets each.
//! - TEXT values escape backslash, semicolon, comma and newline (§3.3.11).
//! - Each meeting is an all-day VEVENT (`DTSTART;VALUE=DATE`, `DTEND` the day after) with a UID
//!   derived from the meeting id, so re-exports update rather than duplicate events.
//! - `DTSTAMP` is the caller's timestamp (the core has no clock).
//! - Meetings without a set date ("Datum ej satt") are skipped: a calendar event needs a date.
//! - External deadlines (the last day of a delivery to Socialstyrelsen, see [`Deadline`]) are
//!   all-day events too, in the calendar of all bodies only; their UID is derived from the
//!   reporting year and the delivery kind, so a changed date moves the event.

use super::kalender::{Meeting, MeetingDate};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// An external deadline as a calendar event: the last day of a delivery outside the county
/// (for example the kommunenkät's compilation to Socialstyrelsen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// Stable key of the deadline (reporting year and delivery kind), the UID's local part.
    pub key: String,
    pub date: NaiveDate,
    /// The event's title, e.g. "Sista dag: kommunenkätens sammanställning till Socialstyrelsen (om 2025)".
    pub summary: String,
    /// Free text: who set the deadline, whether the delivery is recorded.
    pub description: String,
}

/// Maximum octets of one physical line, excluding the CRLF.
pub const MAX_LINE_OCTETS: usize = 75;

/// Domain part of every UID.
pub const UID_DOMAIN: &str = "gnv-uppfoljning";

/// The PRODID of generated calendars.
pub const PRODID: &str = "-//GNV-uppföljning//Planering//SV";

/// Escapes a TEXT value: `\` → `\\`, `;` → `\;`, `,` → `\,`, newline → `\n` (CR dropped).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line into physical lines of at most 75 octets, each ended by CRLF;
/// continuation lines start with a single space. Never splits a UTF-8 character.
pub fn fold_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0; // octets on the current physical line
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
    out
}

/// Builds a VCALENDAR of the meetings, optionally only those of one body (by code). Meetings
/// without a date are skipped. `generated_at` becomes every event's DTSTAMP.
pub fn to_ics(meetings: &[Meeting], body: Option<&str>, generated_at: DateTime<Utc>) -> String {
    to_ics_with_deadlines(meetings, &[], body, generated_at)
}

/// Like [`to_ics`], with the external deadlines as all-day events after the meetings. The
/// deadlines belong to no body: they are written only when `body` is `None` (all bodies).
pub fn to_ics_with_deadlines(
    meetings: &[Meeting],
    deadlines: &[Deadline],
    body: Option<&str>,
    generated_at: DateTime<Utc>,
) -> String {
    let stamp = generated_at.format("%Y%m%dT%H%M%SZ").to_string();
    let mut out = String::new();
    let mut line = |s: &str| out.push_str(&fold_line(s));
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line(&format!("PRODID:{}", escape_text(PRODID)));
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    let name = match body {
        Some(b) => format!("God och nära vård – möten ({b})"),
        None => "God och nära vård – möten och rapportering".to_string(),
    };
    line(&format!("X-WR-CALNAME:{}", escape_text(&name)));
    for m in meetings.iter().filter(|m| body.is_none_or(|b| m.body == b)) {
        let MeetingDate::Datum(date) = m.date else {
            continue;
        };
        let end = date + Duration::days(1);
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", escape_text(&format!("{}@{UID_DOMAIN}", m.id))));
        line(&format!("DTSTAMP:{stamp}"));
        line(&format!("DTSTART;VALUE=DATE:{}", date.format("%Y%m%d")));
        line(&format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")));
        line(&format!("SUMMARY:{}", escape_text(&m.title)));
        let description = describe(m);
        if !description.is_empty() {
            line(&format!("DESCRIPTION:{}", escape_text(&description)));
        }
        line(&format!("CATEGORIES:{}", escape_text(&m.body)));
        line("TRANSP:TRANSPARENT");
        line("END:VEVENT");
    }
    for d in deadlines.iter().filter(|_| body.is_none()) {
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", escape_text(&format!("frist-{}@{UID_DOMAIN}", d.key))));
        line(&format!("DTSTAMP:{stamp}"));
        line(&format!("DTSTART;VALUE=DATE:{}", d.date.format("%Y%m%d")));
        line(&format!("DTEND;VALUE=DATE:{}", (d.date + Duration::days(1)).format("%Y%m%d")));
        line(&format!("SUMMARY:{}", escape_text(&d.summary)));
        if !d.description.is_empty() {
            line(&format!("DESCRIPTION:{}", escape_text(&d.description)));
        }
        line("CATEGORIES:Externa frister");
        line("TRANSP:TRANSPARENT");
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

/// The plain-text description of a meeting: deliverables and proposals with their status.
pub fn describe(m: &Meeting) -> String {
    let mut parts = Vec::new();
    if !m.deliverables.is_empty() {
        let mut s = String::from("Leveranser:");
        for d in &m.deliverables {
            s.push_str(&format!(
                "\n– {}: {} ({})",
                d.kind.label(),
                d.description,
                d.status.label().to_lowercase()
            ));
        }
        parts.push(s);
    }
    if !m.proposals.is_empty() {
        let mut s = String::from("Förslag till beslut:");
        for p in &m.proposals {
            s.push_str(&format!("\n{}. {} ({})", p.number, p.text, p.outcome.label().to_lowercase()));
        }
        parts.push(s);
    }
    parts.join("\n\n")
}

//! Tests of `gnv_core::planering::ics` (moved here with the example calendar they export): a
//! small iCalendar reader checks what `to_ics` writes.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use gnv_core::planering::ics::{
    describe, escape_text, fold_line, to_ics, to_ics_with_deadlines, Deadline, MAX_LINE_OCTETS, PRODID,
};
use gnv_exempel::planering::demo_calendar_2026;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// A property: name, parameters (name, value) and unescaped value.
type Property = (String, Vec<(String, String)>, String);

/// A component parsed back from iCalendar text.
#[derive(Debug, Default)]
struct Component {
    name: String,
    props: Vec<Property>,
    children: Vec<Component>,
}

impl Component {
    fn prop(&self, name: &str) -> Option<&str> {
        self.props.iter().find(|p| p.0 == name).map(|p| p.2.as_str())
    }
    fn param(&self, name: &str, param: &str) -> Option<&str> {
        self.props
            .iter()
            .find(|p| p.0 == name)
            .and_then(|p| p.1.iter().find(|(k, _)| k == param))
            .map(|(_, v)| v.as_str())
    }
}

/// Splits on CRLF (refusing bare LF or CR), checks each physical line's length and unfolds.
fn unfold(text: &str) -> Result<Vec<String>, String> {
    if !text.ends_with("\r\n") {
        return Err("does not end in CRLF".into());
    }
    let body = &text[..text.len() - 2];
    let mut lines: Vec<String> = Vec::new();
    for physical in body.split("\r\n") {
        if physical.contains('\n') || physical.contains('\r') {
            return Err(format!("bare line break in {physical:?}"));
        }
        if physical.len() > MAX_LINE_OCTETS {
            return Err(format!("{} octets: {physical:?}", physical.len()));
        }
        if let Some(rest) = physical.strip_prefix(' ').or_else(|| physical.strip_prefix('\t')) {
            let last = lines.last_mut().ok_or("continuation without a line")?;
            last.push_str(rest);
        } else {
            lines.push(physical.to_string());
        }
    }
    Ok(lines)
}

fn unescape(v: &str) -> String {
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Parses unfolded lines into a component tree, checking BEGIN/END nesting.
fn parse(text: &str) -> Result<Component, String> {
    let mut stack: Vec<Component> = Vec::new();
    let mut root = None;
    for line in unfold(text)? {
        let (head, value) = line.split_once(':').ok_or(format!("no colon: {line}"))?;
        let mut head_parts = head.split(';');
        let name = head_parts.next().unwrap_or("").to_string();
        let params = head_parts
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (k.to_string(), v.to_string())
            })
            .collect();
        match name.as_str() {
            "BEGIN" => stack.push(Component { name: value.to_string(), ..Default::default() }),
            "END" => {
                let c = stack.pop().ok_or("END without BEGIN")?;
                if c.name != value {
                    return Err(format!("END:{value} closes {}", c.name));
                }
                match stack.last_mut() {
                    Some(parent) => parent.children.push(c),
                    None if root.is_none() => root = Some(c),
                    None => return Err("two roots".into()),
                }
            }
            _ => stack.last_mut().ok_or(format!("property outside component: {line}"))?.props.push((
                name,
                params,
                unescape(value),
            )),
        }
    }
    if !stack.is_empty() {
        return Err("unclosed component".into());
    }
    root.ok_or("empty".into())
}

fn stamp() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 2, 3, 9, 30, 0).unwrap()
}

#[test]
fn round_trip_of_the_2026_calendar() {
    let cal = demo_calendar_2026();
    let text = to_ics(&cal.meetings, None, stamp());
    let root = parse(&text).unwrap();
    assert_eq!(root.name, "VCALENDAR");
    assert_eq!(root.prop("VERSION"), Some("2.0"));
    assert_eq!(root.prop("PRODID"), Some(PRODID));
    // 11 meetings, one without a date → 10 events.
    assert_eq!(root.children.len(), 10);
    let mut uids = BTreeMap::new();
    for ev in &root.children {
        assert_eq!(ev.name, "VEVENT");
        for required in ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"] {
            assert!(ev.prop(required).is_some(), "{required} missing in {ev:?}");
        }
        assert_eq!(ev.prop("DTSTAMP"), Some("20260203T093000Z"));
        assert_eq!(ev.param("DTSTART", "VALUE"), Some("DATE"));
        *uids.entry(ev.prop("UID").unwrap().to_string()).or_insert(0) += 1;
    }
    assert!(uids.values().all(|&n| n == 1), "UIDs unique");
    let first = &root.children[0];
    assert_eq!(first.prop("UID"), Some("lchnv-2026-01-29@gnv-uppfoljning"));
    assert_eq!(first.prop("DTSTART"), Some("20260129"));
    assert_eq!(first.prop("DTEND"), Some("20260130"));
    assert_eq!(first.prop("SUMMARY"), Some(cal.meetings[0].title.as_str()));
    // The long Swedish description with commas and newlines survives folding and escaping.
    assert_eq!(first.prop("DESCRIPTION"), Some(describe(&cal.meetings[0]).as_str()));
    assert!(first
        .prop("DESCRIPTION")
        .unwrap()
        .contains("2. att anta förslaget om att låta styrgruppen för Länschefsnätverket utgöra"));
}

#[test]
fn external_deadlines_are_all_day_events_of_the_whole_calendar_only() {
    let cal = demo_calendar_2026();
    let deadline = Deadline {
        key: "2025-kommunenkat_socialstyrelsen".into(),
        date: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
        summary: "Sista dag: kommunenkätens sammanställning till Socialstyrelsen (om 2025)".into(),
        description: "Enligt Socialstyrelsens anvisning, inte levererad".into(),
    };
    let all =
        parse(&to_ics_with_deadlines(&cal.meetings, std::slice::from_ref(&deadline), None, stamp())).unwrap();
    assert_eq!(all.children.len(), 11, "10 dated meetings and the deadline");
    let ev = all.children.last().unwrap();
    assert_eq!(ev.prop("UID"), Some("frist-2025-kommunenkat_socialstyrelsen@gnv-uppfoljning"));
    assert_eq!(ev.prop("DTSTART"), Some("20260331"));
    assert_eq!(ev.param("DTSTART", "VALUE"), Some("DATE"));
    assert_eq!(ev.prop("DTEND"), Some("20260401"));
    assert_eq!(ev.prop("SUMMARY"), Some(deadline.summary.as_str()));
    // The comma in the description is escaped and reads back.
    assert_eq!(ev.prop("DESCRIPTION"), Some(deadline.description.as_str()));
    assert_eq!(ev.prop("CATEGORIES"), Some("Externa frister"));
    // A body's own calendar carries only its meetings.
    let one = parse(&to_ics_with_deadlines(&cal.meetings, &[deadline], Some("lchnv"), stamp())).unwrap();
    assert!(one.children.iter().all(|e| !e.prop("UID").unwrap_or("").starts_with("frist-")));
    // Without deadlines the calendar is what to_ics writes.
    assert_eq!(
        to_ics_with_deadlines(&cal.meetings, &[], None, stamp()),
        to_ics(&cal.meetings, None, stamp())
    );
}

#[test]
fn uids_are_stable_across_exports() {
    let cal = demo_calendar_2026();
    let a = to_ics(&cal.meetings, None, stamp());
    let b = to_ics(&cal.meetings, None, Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap());
    let uids = |t: &str| {
        parse(t).unwrap().children.iter().map(|e| e.prop("UID").unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(uids(&a), uids(&b));
    assert_ne!(a, b, "DTSTAMP differs");
}

#[test]
fn filter_by_body_and_skip_undated() {
    let cal = demo_calendar_2026();
    let root = parse(&to_ics(&cal.meetings, Some("lchnv-styrgrupp"), stamp())).unwrap();
    // Four steering group meetings, the Q4 one has no date.
    assert_eq!(root.children.len(), 3);
    let vfr = parse(&to_ics(&cal.meetings, Some("vfr"), stamp())).unwrap();
    let dates: Vec<&str> = vfr.children.iter().map(|e| e.prop("DTSTART").unwrap()).collect();
    assert_eq!(dates, vec!["20260611", "20260917"]);
    let none = parse(&to_ics(&[], None, stamp())).unwrap();
    assert!(none.children.is_empty());
}

#[test]
fn escaping_of_special_characters() {
    assert_eq!(escape_text("a,b;c\\d\ne\r\n"), "a\\,b\\;c\\\\d\\ne\\n");
    let mut m = demo_calendar_2026().meetings[2].clone();
    m.title = "Delredovisning; R HPL, del 1 \\ utkast\nandra raden".into();
    let root = parse(&to_ics(&[m.clone()], None, stamp())).unwrap();
    assert_eq!(root.children[0].prop("SUMMARY"), Some(m.title.as_str()));
}

#[test]
fn folding_of_long_swedish_lines() {
    let line = format!("SUMMARY:{}", "Återredovisning för Länschefsnätverket – åäö ÅÄÖ ".repeat(5));
    let folded = fold_line(&line);
    for physical in folded.trim_end_matches("\r\n").split("\r\n") {
        assert!(physical.len() <= MAX_LINE_OCTETS, "{} octets", physical.len());
    }
    assert!(folded.split("\r\n").count() > 3);
    let unfolded = unfold(&folded).unwrap();
    assert_eq!(unfolded, vec![line]);
    // A line of exactly 75 octets is not folded; 76 is.
    assert_eq!(fold_line(&"x".repeat(75)).matches("\r\n").count(), 1);
    assert_eq!(fold_line(&"x".repeat(76)).matches("\r\n").count(), 2);
    // A two-octet character that would end at octet 76 moves to the next line whole.
    let tricky = format!("{}ä", "x".repeat(74));
    assert_eq!(fold_line(&tricky), format!("{}\r\n ä\r\n", "x".repeat(74)));
}

proptest! {
    #[test]
    fn folding_keeps_lines_short_and_unfolds_to_the_original(
        s in "[a-zåäöÅÄÖé€😀 ,;:\\\\-]{0,400}"
    ) {
        // A content line always starts with a property name.
        let line = format!("X-NOTE:{s}");
        let folded = fold_line(&line);
        prop_assert!(folded.ends_with("\r\n"));
        for (i, physical) in folded[..folded.len() - 2].split("\r\n").enumerate() {
            prop_assert!(physical.len() <= MAX_LINE_OCTETS);
            if i > 0 {
                // A continuation line carries at least one character after its space.
                prop_assert!(physical.starts_with(' ') && physical.len() > 1);
            }
        }
        prop_assert_eq!(unfold(&folded).unwrap(), vec![line]);
    }

    #[test]
    fn escaped_text_round_trips(s in "[a-zåäö ,;\\\\\n]{0,200}") {
        let line = format!("DESCRIPTION:{}", escape_text(&s));
        let lines = unfold(&fold_line(&line)).unwrap();
        let (_, value) = lines[0].split_once(':').unwrap();
        prop_assert_eq!(unescape(value), s);
    }
}

//! "Kopiera till nästa år": carrying a year's reporting calendar to the next year.
//!
//! A dated meeting moves to the same weekday in the same ISO week of the next year (the bodies
//! meet on fixed weekdays: LCHNV's Thursday in week 5 stays a Thursday in week 5); a meeting with
//! only a quarter keeps its quarter. Every copied meeting is to be confirmed by the analyst
//! (the storage adapter marks it "att bekräfta"). Deliverables are copied as planned, proposals
//! (the decisions of that year's meeting) are not.

use super::kalender::{DeliverableStatus, Meeting, MeetingDate, ReportingCalendar};
use chrono::{Datelike, Duration, NaiveDate};

/// The same weekday in the same ISO week of the next calendar year. When the next year has no
/// such week in it (week 53, or a week that straddles New Year), the date 52 or 53 weeks later
/// that falls in the next calendar year.
pub fn same_weekday_next_year(d: NaiveDate) -> NaiveDate {
    let target = d.year() + 1;
    let week = d.iso_week().week();
    let candidates = [d + Duration::days(364), d + Duration::days(371), d + Duration::days(357)];
    candidates
        .iter()
        .find(|c| c.year() == target && c.iso_week().week() == week)
        .copied()
        .or_else(|| NaiveDate::from_isoywd_opt(target, week, d.weekday()).filter(|s| s.year() == target))
        .or_else(|| candidates.iter().find(|c| c.year() == target).copied())
        .unwrap_or(candidates[0])
}

/// A meeting date moved to the next year.
pub fn next_year_date(date: MeetingDate) -> MeetingDate {
    match date {
        MeetingDate::Datum(d) => MeetingDate::Datum(same_weekday_next_year(d)),
        MeetingDate::EjSatt { year, quarter } => MeetingDate::EjSatt { year: year + 1, quarter },
    }
}

/// The calendar of `cal.year + 1`: every meeting on its next-year date with a new standard id,
/// the same title and deliverables (status planned), no proposals. Returns the copied calendar
/// and, per meeting, the id it was copied from.
pub fn copy_to_next_year(cal: &ReportingCalendar) -> (ReportingCalendar, Vec<String>) {
    let mut from = Vec::new();
    let meetings = cal
        .meetings
        .iter()
        .map(|m| {
            from.push(m.id.clone());
            let date = next_year_date(m.date);
            Meeting {
                id: Meeting::standard_id(&m.body, date),
                body: m.body.clone(),
                date,
                title: m.title.clone(),
                deliverables: m
                    .deliverables
                    .iter()
                    .map(|d| {
                        let mut d = d.clone();
                        d.status = DeliverableStatus::Planerad;
                        d
                    })
                    .collect(),
                proposals: Vec::new(),
            }
        })
        .collect();
    (ReportingCalendar { year: cal.year + 1, meetings }, from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_date_keeps_its_weekday_and_iso_week() {
        // LCHNV Thursday 29 January 2026 (week 5) → Thursday 4 February 2027 (week 5).
        assert_eq!(same_weekday_next_year(d("2026-01-29")), d("2027-02-04"));
        // VFR Tuesday 19 May 2026 (week 21) → Tuesday 25 May 2027 (week 21).
        assert_eq!(same_weekday_next_year(d("2026-05-19")), d("2027-05-25"));
        // 2027 → 2028 (a leap year): Wednesday 10 March 2027 (week 10) → Wednesday 8 March 2028.
        assert_eq!(same_weekday_next_year(d("2027-03-10")), d("2028-03-08"));
    }

    #[test]
    fn week_53_and_new_year_weeks_stay_in_the_next_calendar_year() {
        // 2026 has a week 53; 2027 has not: Thursday 31 December 2026 → Thursday 30 December 2027.
        assert_eq!(same_weekday_next_year(d("2026-12-31")), d("2027-12-30"));
        // Friday 1 January 2027 belongs to ISO week 53 of 2026; its copy is in 2028, a Friday.
        let c = same_weekday_next_year(d("2027-01-01"));
        assert_eq!((c.year(), c.weekday()), (2028, Weekday::Fri));
        // Monday 29 December 2025 is in ISO week 1 of 2026; the copy stays in 2026.
        let c = same_weekday_next_year(d("2025-12-29"));
        assert_eq!((c.year(), c.weekday()), (2026, Weekday::Mon));
    }

    #[test]
    fn every_day_of_several_years_lands_on_its_weekday_in_the_next_year() {
        let mut day = d("2024-01-01");
        while day < d("2031-01-01") {
            let c = same_weekday_next_year(day);
            assert_eq!(c.weekday(), day.weekday(), "{day}");
            assert_eq!(c.year(), day.year() + 1, "{day}");
            // Same ISO week whenever that weekday of that week lies in the next calendar year.
            let week = day.iso_week().week();
            let same_week = NaiveDate::from_isoywd_opt(day.year() + 1, week, day.weekday());
            if same_week.is_some_and(|s| s.year() == day.year() + 1) {
                assert_eq!(c.iso_week().week(), week, "{day}");
            }
            day += Duration::days(1);
        }
    }
}

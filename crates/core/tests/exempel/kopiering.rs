//! Tests of `gnv_core::planering::kopiering` on the example calendar of `gnv_exempel::planering`.

use chrono::Datelike;
use gnv_core::planering::kopiering::copy_to_next_year;
use gnv_core::planering::{DeliverableStatus, Meeting};

#[test]
fn a_calendar_is_copied_with_planned_deliverables_and_without_proposals() {
    let cal = gnv_exempel::planering::demo_calendar_2026();
    let (next, from) = copy_to_next_year(&cal);
    assert_eq!(next.year, 2027);
    assert_eq!(next.meetings.len(), cal.meetings.len());
    assert_eq!(from, cal.meetings.iter().map(|m| m.id.clone()).collect::<Vec<_>>());
    for (old, new) in cal.meetings.iter().zip(&next.meetings) {
        assert_eq!(new.date.year(), 2027);
        assert_eq!(new.id, Meeting::standard_id(&new.body, new.date));
        assert_eq!(new.title, old.title);
        assert_eq!(new.deliverables.len(), old.deliverables.len());
        assert!(new.deliverables.iter().all(|d| d.status == DeliverableStatus::Planerad));
        assert!(new.proposals.is_empty());
        if let (Some(a), Some(b)) = (old.date.date(), new.date.date()) {
            assert_eq!(a.weekday(), b.weekday());
        }
    }
}

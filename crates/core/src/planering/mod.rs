//! Planning: the annual plan of support activities, the reporting calendar with its decisions,
//! the regional action plan 2026–2030 and its follow-up on three levels (DOMAIN.md §10).
//!
//! - [`aktivitet`] — activity types with target frequencies, occurrences with status and
//!   attendance; plan versus outcome, attendance summaries ("6 av 13 systemledningar, som omfattar 8 av 15
//!   kommuner") and LSLs not yet reached.
//! - [`kalender`] — meetings of the governance bodies, deliverables, numbered decision proposals
//!   ("att anta …"), upcoming deadlines.
//! - [`ics`] — iCalendar (RFC 5545) export of the calendar.
//! - [`handlingsplan`] — the regional action plan, its annual versions and a structural diff.
//! - [`uppfoljning`] — follow-up of the action plan per level (strategisk, taktisk, operativ).
//!
//! Everything here is pure: dates such as "today" and the generation timestamp are parameters.
//! Example plans, calendars and action plans (the demo's and the tests') are in `gnv_exempel::planering`.

pub mod aktivitet;
mod error;
pub mod handlingsplan;
pub mod ics;
pub mod kalender;
pub mod kopiering;
pub mod uppfoljning;

pub use aktivitet::{
    attendance_summary, not_reached, plan_vs_outcome, year_attendance, ActivityType, ActivityTypeInput,
    AnnualPlan, Attendance, AttendanceSummary, Format, Fulfilment, NotReached, Occurrence, OccurrenceInput,
    OccurrenceStatus, PlanOutcome, Reason, TargetFrequency,
};
pub use error::PlanningError;
pub use handlingsplan::{
    diff, links_from_form, same_links, Action, ActionKey, ActionPlan, ActionPlanVersion, ActionStatus,
    AssignmentOrganisation, Change, ChangeKind, ChangeTarget, FollowUpLevel, Goal, GoalKey, IndicatorCode,
    Link, NewPlanInput, Period, StatusUpdate, SubGoalSection, TimeFrame,
};
pub use ics::to_ics;
pub use kalender::{
    upcoming, Deliverable, DeliverableInput, DeliverableKind, DeliverableStatus, Meeting, MeetingDate,
    MeetingInput, Proposal, ProposalOutcome, Quarter, ReportingCalendar, Upcoming,
};
pub use uppfoljning::{
    group_by_level, indicator_trend, operative_view, strategic_view, tactical_progress, IndicatorTrend,
};

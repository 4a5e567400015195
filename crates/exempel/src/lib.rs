//! Example data of GNV-uppföljning, in one place: the demo database that `gnv demo` serves and
//! the fixtures the tests of core, report, storage and web share.
//!
//! Everything here is invented or illustrative. Where a module follows the county's real
//! documents (the 2026 plans of seed 004, the 2024 economy table and support activities of the
//! annual report 2024) it says so; synthetic values are labelled as demo data where users see
//! them. **No production code path uses this crate**: only the CLI (`gnv demo`) depends on it
//! normally, every other crate only as a dev-dependency, and `scripts/check-deps` asserts that.
//!
//! - [`planering`] — the 2026 annual plan and reporting calendar, the 2024 support activities,
//!   an example action plan 2026–2030 ("Exempel – utkast").
//! - [`ekonomi`] — the 2024 economy table of appendix 1, with its printed totals.
//! - [`rapport`] — a complete example report input for 2024 (tests with pinned hashes, timing).
//! - `demo` (feature `seed`, on by default) — writes all of it and each module's demo data into
//!   a new database (`demo::ensure_demo_data`), one file per module.

pub mod ekonomi;
pub mod planering;
pub mod rapport;

#[cfg(feature = "seed")]
pub mod demo;

//! Tests of the core on the example data of `gnv-exempel` (plans, calendar, action plan, the 2024
//! economy table). They live here, not next to the code, because gnv-exempel depends on
//! gnv-core: inside gnv-core's own unit tests its values would be of another crate's types.

mod aktivitet;
mod ekonomi;
mod handlingsplan;
mod ics;
mod kalender;
mod kopiering;
mod uppfoljning;

//! Integration tests of the web crate: each test starts the real server on a random port against
//! a fresh SQLite database and drives it over HTTP (see `common`).
//!
//! One test binary for the whole crate (modules per domain) rather than one per file: each
//! binary links the full application, so one binary is a fraction of the build time and disk.

mod common;

mod analys;
mod aret;
mod arsrapport;
mod ekonomi;
mod formular;
mod foundation;
mod handlingsplan_rapport;
mod instances;
mod kontakter;
mod lansprofil;
mod leveranser;
mod nyckeltal;
mod nyckeltal_kpi;
mod oidc;
mod omgang;
mod planering;
mod rapportering;
mod rapporttext;
mod sakerhet;
mod utgavor;
mod utskick;

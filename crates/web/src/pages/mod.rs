//! Page handlers, one module per area. Handlers are thin: parse input into typed values, call
//! storage/core, render a template or redirect.

pub mod admin;
pub mod aret;
pub mod arsrapport;
pub mod ekonomi;
pub mod form;
pub mod kommunenkat;
pub mod kontakter;
pub mod lansprofil;
pub mod leveranser;
pub mod login;
pub mod modul;
pub mod nyckeltal;
pub mod oidc;
pub mod organisationer;
pub mod planering;
pub mod rapportering;
pub mod start;

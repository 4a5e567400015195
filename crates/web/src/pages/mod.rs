//! Page handlers, one module per area. Handlers are thin: parse input into typed values, call
//! storage/core, render a template or redirect.

pub mod admin;
pub mod form;
pub mod login;
pub mod moduler;
pub mod organisationer;
pub mod start;

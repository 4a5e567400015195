//! A plain module landing page (title, introduction, paragraphs), used while a module's own pages
//! are being built.

use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::view::{render, PageCtx};
use askama::Template;
use axum::response::Response;

#[derive(Template)]
#[template(path = "modul.html")]
struct ModulePage {
    ctx: PageCtx,
    intro: &'static str,
    paragraphs: Vec<&'static str>,
}

/// Renders a landing page for a module.
pub fn landing(
    user: &CurrentUser,
    title: &'static str,
    section: &'static str,
    intro: &'static str,
    paragraphs: Vec<&'static str>,
) -> AppResult<Response> {
    render(&ModulePage { ctx: PageCtx::new(title, section, user), intro, paragraphs })
}

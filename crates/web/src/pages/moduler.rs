//! Landing pages of the modules that are still being built. Each says plainly what exists.

use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::view::{render, PageCtx};
use askama::Template;
use axum::response::Response;

#[derive(Template)]
#[template(path = "module.html")]
struct ModulePage {
    ctx: PageCtx,
    intro: &'static str,
    paragraphs: Vec<&'static str>,
}

fn page(
    user: &CurrentUser,
    title: &'static str,
    section: &'static str,
    intro: &'static str,
) -> AppResult<Response> {
    render(&ModulePage {
        ctx: PageCtx::new(title, section, user),
        intro,
        paragraphs: vec!["Modulen är under uppbyggnad i den här versionen av GNV-uppföljning."],
    })
}

pub async fn nyckeltal(user: CurrentUser) -> AppResult<Response> {
    page(&user, "Nyckeltal och infografik", "nyckeltal", "20 nyckeltal, fyra per delmål, med trender, jämförelser med andra och låsta årliga utgåvor.")
}

pub async fn rapportering(user: CurrentUser) -> AppResult<Response> {
    page(&user, "Rapporteringsomgång", "rapportering", "Årets rapportering: självskattning och kartläggning från de lokala systemledningarna, kommunenkät och ekonomisk redovisning från kommunerna.")
}

pub async fn planering(user: CurrentUser) -> AppResult<Response> {
    page(&user, "Planering och uppföljning", "planering", "Samverkansaktiviteter, stödinsatser, rapporteringskalender och den regionala handlingsplanen 2026–2030.")
}

pub async fn arsrapport(user: CurrentUser) -> AppResult<Response> {
    page(
        &user,
        "Årsrapport",
        "arsrapport",
        "Årsrapporten om omställningen till God och nära vård, genererad ur data.",
    )
}

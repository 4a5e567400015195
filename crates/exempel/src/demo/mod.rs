//! Realistic Dalarna demo data for every module that exists. Idempotent: an existing demo
//! database is reused as it is.
//!
//! The foundation (registry, users) is here; each module seeds its own data in a submodule
//! (`demo/<module>.rs`, a `pub async fn seed(db: &Db) -> Result<()>` called from
//! [`ensure_demo_data`]). Synthetic values are labelled as demo data where users see them.

mod arsrapport;
pub mod ekonomi;
pub mod kommunenkat;
pub mod kontakter;
pub mod nyckeltal;
pub mod planering;
pub mod rapportering;

use anyhow::Result;
use gnv_core::access::Role;
use gnv_storage::anvandare::NewUser;
use gnv_storage::{Actor, Db};

/// The password of every demo account (printed by `gnv demo`).
pub const DEMO_PASSWORD: &str = "Dalarna-demo-2026";

/// Demo log-ins: (user name, description).
pub const DEMO_LOGINS: &[(&str, &str)] = &[
    ("analytiker", "administratör (RSS-analytiker)"),
    ("mora", "respondent för Mora lokala systemledning och Mora kommun"),
    ("sodra", "respondent för Södra Dalarna (Avesta och Hedemora)"),
    ("lasare", "läsare (chef/politiker)"),
];

/// Creates the demo data if the database is empty. Returns whether anything was created.
pub async fn ensure_demo_data(db: &Db) -> Result<bool> {
    if db.has_registry().await? && db.user_count().await? > 0 {
        return Ok(false);
    }
    let actor = Actor::cli();
    if !db.has_registry().await? {
        db.install_registry(
            &gnv_core::organisation::dalarna(),
            &gnv_core::delmal::default_subgoals(),
            &actor,
        )
        .await?;
    }
    let users: [(&str, &str, Role, &[&str]); 4] = [
        ("analytiker", "Anna Analytiker (RSS Dalarna)", Role::Admin, &[]),
        ("mora", "Maria Ordförande (LSL Mora)", Role::Respondent, &["lsl-mora", "2062"]),
        (
            "sodra",
            "Sven Samordnare (LSL Södra Dalarna)",
            Role::Respondent,
            &["lsl-sodra-dalarna", "2083", "2084"],
        ),
        ("lasare", "Lars Läsare (förvaltningschef)", Role::Reader, &[]),
    ];
    for (username, name, role, orgs) in users {
        db.create_user(
            &NewUser {
                username: username.to_string(),
                display_name: name.to_string(),
                email: format!("{username}@example.se"),
                role,
                password: DEMO_PASSWORD.to_string(),
                organisations: orgs.iter().map(|s| s.to_string()).collect(),
            },
            &actor,
        )
        .await?;
    }
    seed_modules(db).await?;
    Ok(true)
}

/// Seeds every module's demo data (called once, on a new demo database).
async fn seed_modules(db: &Db) -> Result<()> {
    nyckeltal::seed(db).await?;
    rapportering::seed(db).await?;
    ekonomi::seed(db).await?;
    kommunenkat::seed(db).await?;
    rapportering::close_past_rounds(db).await?;
    planering::seed(db).await?;
    arsrapport::seed(db).await?;
    kontakter::seed(db).await?;
    Ok(())
}

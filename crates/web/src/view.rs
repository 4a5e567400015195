//! Layout context and helpers shared by all templates.

use crate::auth::CurrentUser;
use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use gnv_core::access::Role;

/// The navigation sections; `PageCtx::section` marks the current one (`aria-current`).
pub const NAV: &[(&str, &str, &str)] = &[
    ("start", "/", "Översikt"),
    ("nyckeltal", "/nyckeltal", "Nyckeltal"),
    ("rapportering", "/rapportering", "Rapporteringsomgång"),
    ("planering", "/planering", "Planering"),
    ("arsrapport", "/arsrapport", "Årsrapport"),
    ("organisationer", "/organisationer", "Organisationer"),
    ("admin", "/admin", "Administration"),
];

/// What the base layout needs on every page.
#[derive(Debug, Clone)]
pub struct PageCtx {
    pub title: String,
    pub section: &'static str,
    pub user_name: Option<String>,
    pub role: Option<Role>,
    pub csrf: String,
    pub flash: Option<String>,
    /// The county's short name from the county profile ("Dalarna"); empty on anonymous pages.
    pub county: String,
    /// The regional support unit from the county profile ("RSS Dalarna"); empty on anonymous
    /// pages.
    pub support_unit: String,
}

/// One navigation entry as rendered.
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

impl PageCtx {
    pub fn new(title: impl Into<String>, section: &'static str, user: &CurrentUser) -> Self {
        PageCtx {
            title: title.into(),
            section,
            user_name: Some(user.user.display_name.clone()),
            role: Some(user.user.role),
            csrf: user.csrf.clone(),
            flash: None,
            county: user.county.county.clone(),
            support_unit: user.county.support_unit.clone(),
        }
    }

    pub fn anonymous(title: impl Into<String>) -> Self {
        PageCtx {
            title: title.into(),
            section: "",
            user_name: None,
            role: None,
            csrf: String::new(),
            flash: None,
            county: String::new(),
            support_unit: String::new(),
        }
    }

    /// Who a respondent contacts: the support unit, or "regionens stödstruktur" when unknown.
    pub fn contact(&self) -> &str {
        if self.support_unit.is_empty() {
            "den regionala stödstrukturen"
        } else {
            &self.support_unit
        }
    }

    pub fn with_flash(mut self, flash: Option<String>) -> Self {
        self.flash = flash;
        self
    }

    pub fn is_admin(&self) -> bool {
        self.role == Some(Role::Admin)
    }

    pub fn is_respondent(&self) -> bool {
        self.role == Some(Role::Respondent)
    }

    pub fn role_label(&self) -> &'static str {
        self.role.map(|r| r.label()).unwrap_or("")
    }

    /// Navigation entries visible to this user (Administration only for admins).
    pub fn nav(&self) -> Vec<NavItem> {
        if self.user_name.is_none() {
            return Vec::new();
        }
        NAV.iter()
            .filter(|(key, _, _)| *key != "admin" || self.is_admin())
            .map(|(key, href, label)| NavItem { href, label, current: *key == self.section })
            .collect()
    }
}

/// Renders a template into an HTML response.
pub fn render<T: Template>(t: &T) -> Result<Response, crate::error::AppError> {
    Ok(Html(t.render()?).into_response())
}

/// The shared notice text for a `?ok=` key after a redirect ([`crate::notice::Notice`]).
pub fn flash_message(key: Option<&str>) -> Option<String> {
    crate::notice::Notice::find(key?, &[]).map(|n| n.label().to_string())
}

/// Template filters shared by every page (`use crate::view::filters;` in a page module brings
/// them into its templates' scope).
pub mod filters {
    /// A stored RFC 3339 timestamp as Swedish local time in words: "6 december 2026 kl. 01.58".
    pub fn tid<T: std::fmt::Display>(s: T) -> askama::Result<String> {
        Ok(gnv_core::format::timestamp(&s.to_string()))
    }

    /// A whole number with Swedish thousands spacing: "16 687".
    pub fn tal<T: std::fmt::Display>(n: T) -> askama::Result<String> {
        let text = n.to_string();
        Ok(text.parse::<i64>().map(gnv_core::format::integer).unwrap_or(text))
    }
}

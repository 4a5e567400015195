//! User roles and route access levels.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A user's role. Respondents are additionally bound to organisations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// RSS analyst: manages everything.
    Admin,
    /// LSL chair or municipal officer: answers for the organisations they are bound to.
    Respondent,
    /// Manager or politician: reads.
    Reader,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Respondent, Role::Reader];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Respondent => "respondent",
            Role::Reader => "reader",
        }
    }

    /// Swedish label shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administratör (RSS-analytiker)",
            Role::Respondent => "Respondent",
            Role::Reader => "Läsare",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "admin" | "administratör" => Ok(Role::Admin),
            "respondent" => Ok(Role::Respondent),
            "reader" | "läsare" => Ok(Role::Reader),
            other => Err(UnknownRole(other.to_string())),
        }
    }
}

/// A role name that is none of [`Role::ALL`] (lower-cased as read).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Okänd roll \"{0}\". Giltiga roller: admin, respondent, reader.")]
pub struct UnknownRole(pub String);

crate::error::message_into_string!(UnknownRole);

/// The access a route declares. Every route has exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
pub enum Access {
    /// No log-in needed (log-in page, health check, static assets).
    Public,
    /// Any logged-in user.
    LoggedIn,
    /// Admins only.
    Admin,
    /// Respondents (for their own organisations) and admins.
    Respondent,
}

impl Access {
    /// Whether a user with `role` passes this access level. Organisation binding of respondents is
    /// checked by the handler, which knows the organisation in question.
    pub fn allows(self, role: Option<Role>) -> bool {
        match (self, role) {
            (Access::Public, _) => true,
            (_, None) => false,
            (Access::LoggedIn, Some(_)) => true,
            (Access::Admin, Some(r)) => r == Role::Admin,
            (Access::Respondent, Some(r)) => matches!(r, Role::Admin | Role::Respondent),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Access::Public => "Öppen",
            Access::LoggedIn => "Inloggad",
            Access::Admin => "Administratör",
            Access::Respondent => "Respondent eller administratör",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_matrix() {
        assert!(Access::Public.allows(None));
        assert!(!Access::LoggedIn.allows(None));
        assert!(Access::LoggedIn.allows(Some(Role::Reader)));
        assert!(!Access::Admin.allows(Some(Role::Reader)));
        assert!(!Access::Admin.allows(Some(Role::Respondent)));
        assert!(Access::Admin.allows(Some(Role::Admin)));
        assert!(Access::Respondent.allows(Some(Role::Respondent)));
        assert!(!Access::Respondent.allows(Some(Role::Reader)));
    }

    #[test]
    fn role_parse_is_swedish_friendly() {
        assert_eq!("Läsare".parse::<Role>(), Ok(Role::Reader));
        assert_eq!("chef".parse::<Role>(), Err(UnknownRole("chef".into())));
        assert!("chef".parse::<Role>().unwrap_err().to_string().contains("Okänd roll"));
    }
}

//! Server configuration: defaults, a TOML file and `GNV_*` environment variables (in that order
//! of precedence, the last winning).

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Configuration of a running server. Every field has a sane default.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address to listen on, e.g. `127.0.0.1:8080`.
    pub bind: String,
    /// SQLite database file.
    pub db: PathBuf,
    /// PostgreSQL database URL (`postgres://user:password@host:port/database`); when set it is
    /// used instead of `db`. Printed without its password.
    #[serde(serialize_with = "serialize_redacted_url", skip_serializing_if = "String::is_empty")]
    pub database_url: String,
    /// The public base URL, used in e-mailed links (`https://gnv.example.se`).
    pub base_url: String,
    /// Set when served over TLS (directly or behind a TLS proxy): cookies get `Secure` and HSTS
    /// is sent.
    pub tls: bool,
    /// Trust `X-Forwarded-For` from a reverse proxy for the client address (log-in throttling).
    pub trust_proxy: bool,
    /// Session lifetime in hours.
    pub session_hours: i64,
    /// Largest accepted request body in bytes (forms); uploads have `max_upload_bytes`.
    pub max_body_bytes: usize,
    /// Largest accepted file upload in bytes.
    pub max_upload_bytes: usize,
    /// Mail settings.
    pub mail: MailConfig,
    /// The public view of published infographics (off by default).
    pub public: PublicConfig,
    /// Log-in through identity providers (OpenID Connect): `[[oidc.provider]]`.
    pub oidc: crate::oidc::OidcConfig,
    /// Kolada's API for the KPI search on `/nyckeltal/admin` (`/v3/kpi?title=…`).
    pub kolada_url: String,
}

/// The public view of published infographics: `/offentlig/infografik/{år}?fokus={kod}`
/// without log-in, only for published editions (e.g. for the county's intranet).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PublicConfig {
    /// Serve the public view. Off by default: nothing is public until switched on.
    pub infographic: bool,
    /// Origins allowed to show the public pages in an iframe (CSP `frame-ancestors`), e.g.
    /// `["https://plus.regiondalarna.se"]`. Empty: no framing, as everywhere else.
    pub frame_ancestors: Vec<String>,
}

/// Whether `s` is an origin as CSP `frame-ancestors` takes it: `https://host` or
/// `https://host:port` (http only for `localhost`), nothing else (no paths, spaces, `;`, `*`).
pub fn valid_origin(s: &str) -> bool {
    let rest = match (s.strip_prefix("https://"), s.strip_prefix("http://")) {
        (Some(r), _) => r,
        (None, Some(r)) if r == "localhost" || r.starts_with("localhost:") || r.starts_with("127.0.0.1") => r,
        _ => return false,
    };
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (rest, None),
    };
    !host.is_empty()
        && host.len() <= 253
        && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && !host.starts_with(['.', '-'])
        && port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit()))
}

impl PublicConfig {
    /// Refuses origins that are not plain origins (they would end up in a header).
    pub fn check(&self) -> Result<(), String> {
        match self.frame_ancestors.iter().find(|o| !valid_origin(o)) {
            Some(o) => Err(format!(
                "public.frame_ancestors: \"{o}\" är ingen ursprungsadress (t.ex. https://plus.regiondalarna.se)."
            )),
            None => Ok(()),
        }
    }
}

/// How e-mail is sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    /// `fil` writes each message to `dir` (demo, tests); `smtp` sends through `smtp_host`.
    pub transport: String,
    pub dir: PathBuf,
    pub smtp_host: String,
    pub smtp_port: u16,
    /// `starttls` (default), `tls` (implicit TLS, usually port 465) or `ingen` (plain SMTP, only
    /// for a relay on the same machine or the tests' local SMTP server).
    pub smtp_tls: String,
    pub smtp_user: String,
    /// Never printed by `gnv config show`.
    #[serde(skip_serializing)]
    pub smtp_password: String,
    pub from: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: "127.0.0.1:8080".to_string(),
            db: PathBuf::from("gnv-data/gnv.db"),
            database_url: String::new(),
            base_url: "http://127.0.0.1:8080".to_string(),
            tls: false,
            trust_proxy: false,
            session_hours: 10,
            max_body_bytes: 2 * 1024 * 1024,
            max_upload_bytes: 20 * 1024 * 1024,
            mail: MailConfig::default(),
            public: PublicConfig::default(),
            oidc: crate::oidc::OidcConfig::default(),
            kolada_url: gnv_kolada::client::DEFAULT_BASE_URL.to_string(),
        }
    }
}

fn serialize_redacted_url<S: serde::Serializer>(url: &str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&gnv_storage::db::redact_url(url))
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            transport: "fil".to_string(),
            dir: PathBuf::from("gnv-data/mail"),
            smtp_host: String::new(),
            smtp_port: 587,
            smtp_tls: "starttls".to_string(),
            smtp_user: String::new(),
            smtp_password: String::new(),
            from: "GNV-uppföljning <noreply@example.se>".to_string(),
        }
    }
}

impl Config {
    /// Parses a TOML configuration file's text; unknown keys are refused with the key named.
    pub fn from_toml(text: &str) -> Result<Config, String> {
        let c: Config = toml::from_str(text)
            .map_err(|e| format!("Konfigurationsfilen kunde inte läsas: {}", e.message()))?;
        c.public.check()?;
        c.oidc.check()?;
        Ok(c)
    }

    /// Applies `GNV_*` environment variables from `vars` (name, value).
    pub fn apply_env<I: IntoIterator<Item = (String, String)>>(&mut self, vars: I) -> Result<(), String> {
        for (k, v) in vars {
            let parse_bool = |v: &str| match v.to_lowercase().as_str() {
                "1" | "true" | "ja" | "yes" => Ok(true),
                "0" | "false" | "nej" | "no" => Ok(false),
                _ => Err(format!("{k}: \"{v}\" är inte ett sanningsvärde (true/false).")),
            };
            let parse_num =
                |v: &str| v.parse::<i64>().map_err(|_| format!("{k}: \"{v}\" är inte ett heltal."));
            match k.as_str() {
                "GNV_BIND" => self.bind = v,
                "GNV_DB" => self.db = PathBuf::from(v),
                "GNV_DATABASE_URL" => self.database_url = v,
                "GNV_BASE_URL" => self.base_url = v,
                "GNV_KOLADA_URL" => self.kolada_url = v,
                "GNV_TLS" => self.tls = parse_bool(&v)?,
                "GNV_TRUST_PROXY" => self.trust_proxy = parse_bool(&v)?,
                "GNV_SESSION_HOURS" => self.session_hours = parse_num(&v)?,
                "GNV_MAX_BODY_BYTES" => self.max_body_bytes = parse_num(&v)?.max(1024) as usize,
                "GNV_MAX_UPLOAD_BYTES" => self.max_upload_bytes = parse_num(&v)?.max(1024) as usize,
                "GNV_MAIL_TRANSPORT" => self.mail.transport = v,
                "GNV_MAIL_DIR" => self.mail.dir = PathBuf::from(v),
                "GNV_SMTP_HOST" => self.mail.smtp_host = v,
                "GNV_SMTP_PORT" => self.mail.smtp_port = parse_num(&v)? as u16,
                "GNV_SMTP_TLS" => self.mail.smtp_tls = v,
                "GNV_SMTP_USER" => self.mail.smtp_user = v,
                "GNV_SMTP_PASSWORD" => self.mail.smtp_password = v,
                "GNV_MAIL_FROM" => self.mail.from = v,
                "GNV_PUBLIC_INFOGRAPHIC" => self.public.infographic = parse_bool(&v)?,
                "GNV_PUBLIC_FRAME_ANCESTORS" => {
                    self.public.frame_ancestors =
                        v.split([' ', ',']).filter(|o| !o.is_empty()).map(str::to_string).collect()
                }
                k if k.starts_with(crate::oidc::ENV_PREFIX) => self.oidc.apply_env(k, &v)?,
                _ => {}
            }
        }
        self.public.check()?;
        self.oidc.check()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_then_env_overrides() {
        let mut c = Config::from_toml("bind = \"0.0.0.0:9000\"\n[mail]\ntransport = \"smtp\"\n").unwrap();
        assert_eq!(c.bind, "0.0.0.0:9000");
        assert_eq!(c.mail.transport, "smtp");
        assert_eq!(c.session_hours, 10);
        c.apply_env([("GNV_BIND".to_string(), "127.0.0.1:1".to_string()), ("GNV_TLS".into(), "ja".into())])
            .unwrap();
        assert_eq!(c.bind, "127.0.0.1:1");
        assert!(c.tls);
        assert!(c
            .apply_env([("GNV_TLS".to_string(), "kanske".to_string())])
            .unwrap_err()
            .contains("GNV_TLS"));
    }

    #[test]
    fn the_public_view_is_off_by_default_and_takes_only_origins() {
        assert!(!Config::default().public.infographic);
        let c = Config::from_toml(
            "[public]\ninfographic = true\nframe_ancestors = [\"https://plus.regiondalarna.se\"]\n",
        )
        .unwrap();
        assert!(c.public.infographic);
        for bad in
            ["*", "https://a.se; script-src *", "https://a.se/sida", "ftp://a.se", "http://a.se", "https://"]
        {
            let toml = format!("[public]\nframe_ancestors = [\"{bad}\"]\n");
            assert!(Config::from_toml(&toml).is_err(), "{bad}");
        }
        assert!(valid_origin("https://intranat.example.se:8443") && valid_origin("http://localhost:8080"));
        let mut c = Config::default();
        c.apply_env([
            ("GNV_PUBLIC_INFOGRAPHIC".to_string(), "ja".to_string()),
            ("GNV_PUBLIC_FRAME_ANCESTORS".into(), "https://a.se, https://b.se".into()),
        ])
        .unwrap();
        assert!(c.public.infographic);
        assert_eq!(c.public.frame_ancestors, ["https://a.se", "https://b.se"]);
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(Config::from_toml("bindd = \"x\"").unwrap_err().contains("bindd"));
    }

    #[test]
    fn smtp_password_is_never_serialized() {
        let mut c = Config::default();
        c.mail.smtp_password = "hemligt".into();
        assert!(!toml::to_string(&c).unwrap().contains("hemligt"));
    }
}

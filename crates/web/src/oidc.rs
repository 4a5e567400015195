//! Log-in through identity providers with OpenID Connect (issue #18), beside local accounts.
//!
//! - Configuration: [`OidcConfig`], one [`ProviderConfig`] per `[[oidc.provider]]` in the TOML
//!   file, or `GNV_OIDC_<ID>_<FIELD>` variables ([`OidcConfig::apply_env`]). Client secrets are
//!   never serialised (`gnv config show`) and never printed by `Debug`.
//! - Protocol: the `openidconnect` crate over the workspace's reqwest/rustls: authorization code
//!   flow with PKCE (S256), `state` and `nonce`; the ID token's signature (provider's JWKS),
//!   issuer, audience, expiry (allowed clock skew [`ProviderConfig::clock_skew_secs`]) and nonce
//!   are checked by the crate's verifier. Redirects are never followed.
//! - Discovery document and JWKS are fetched together ([`metadata`]) and kept in a process-wide
//!   cache per issuer for [`METADATA_TTL`]; a signature that the cached keys cannot verify makes
//!   [`finish`] fetch the keys once more and verify again (a provider's key rotation), and any
//!   failed ID-token check drops the entry. The cache holds only public
//!   provider data; everything about a log-in in progress is in the database
//!   (`gnv_storage::oidc`), so any instance can finish a log-in another instance started.
//! - The handlers are in [`crate::pages::oidc`].

use gnv_core::access::Role;
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthenticationFlow, CoreClaimName, CoreClaimType, CoreClient, CoreClientAuthMethod,
    CoreGrantType, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm,
    CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{
    AdditionalProviderMetadata, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret,
    CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, ProviderMetadata, RedirectUrl, Scope,
    TokenResponse,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Prefix of the provider variables: `GNV_OIDC_<ID>_<FIELD>`.
pub const ENV_PREFIX: &str = "GNV_OIDC_";

/// How long a provider's discovery document and keys are used before they are fetched again.
pub const METADATA_TTL: Duration = Duration::from_secs(3600);

/// Timeout of every request to a provider.
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// The identity providers users may log in through.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OidcConfig {
    /// `[[oidc.provider]]`, in the order shown on the log-in page.
    #[serde(rename = "provider", skip_serializing_if = "Vec::is_empty")]
    pub providers: Vec<ProviderConfig>,
}

/// One identity provider (one per organisation or federation).
#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProviderConfig {
    /// Short key used in addresses (`/oidc/{id}/logga-in`) and stored in bindings: `a–z`, `0–9`,
    /// `-`. Changing it orphans the provider's bindings.
    pub id: String,
    /// Shown on the log-in page: "Logga in med {name}".
    pub name: String,
    /// The issuer URL; discovery is `{issuer}/.well-known/openid-configuration`.
    pub issuer: String,
    pub client_id: String,
    /// Never printed (`gnv config show`, logs, `Debug`).
    #[serde(skip_serializing)]
    pub client_secret: String,
    /// Scopes besides `openid`.
    pub scopes: Vec<String>,
    /// The claim holding the user's groups (e.g. `groups`, `roles`); empty: no group mapping.
    pub groups_claim: String,
    /// Group → role (`admin`, `respondent`, `reader`). At log-in a bound user whose groups claim
    /// names a mapped group gets the highest mapped role (respondent only with organisations).
    pub group_roles: BTreeMap<String, String>,
    /// Allowed difference between the provider's clock and ours, in seconds.
    pub clock_skew_secs: u64,
}

impl Default for ProviderConfig {
    fn default() -> Self {
        ProviderConfig {
            id: String::new(),
            name: String::new(),
            issuer: String::new(),
            client_id: String::new(),
            client_secret: String::new(),
            scopes: vec!["email".into(), "profile".into()],
            groups_claim: String::new(),
            group_roles: BTreeMap::new(),
            clock_skew_secs: 60,
        }
    }
}

impl std::fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &if self.client_secret.is_empty() { "" } else { crate::logg::REDACTED })
            .field("scopes", &self.scopes)
            .field("groups_claim", &self.groups_claim)
            .field("group_roles", &self.group_roles)
            .field("clock_skew_secs", &self.clock_skew_secs)
            .finish()
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 32
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
}

/// Whether `issuer` is an https URL, or http on the loopback interface (tests, development).
fn valid_issuer(issuer: &str) -> bool {
    let rest = match (issuer.strip_prefix("https://"), issuer.strip_prefix("http://")) {
        (Some(r), _) => r,
        (None, Some(r)) if ["127.0.0.1", "localhost", "[::1]"].iter().any(|h| r.starts_with(h)) => r,
        _ => return false,
    };
    !rest.is_empty() && !rest.contains(char::is_whitespace) && !rest.contains(['?', '#'])
}

impl OidcConfig {
    /// The provider with this id.
    pub fn provider(&self, id: &str) -> Option<&ProviderConfig> {
        self.providers.iter().find(|p| p.id == id)
    }

    /// Refuses incomplete or contradictory providers, naming the provider and the field.
    pub fn check(&self) -> Result<(), String> {
        let mut seen = std::collections::HashSet::new();
        for (i, p) in self.providers.iter().enumerate() {
            let at = if p.id.is_empty() {
                format!("oidc.provider nr {}", i + 1)
            } else {
                format!("oidc.provider \"{}\"", p.id)
            };
            if !valid_id(&p.id) {
                return Err(format!("{at}: id ska bestå av a–z, 0–9 och - (högst 32 tecken)."));
            }
            if !seen.insert(p.id.as_str()) {
                return Err(format!("{at}: id finns två gånger."));
            }
            if p.name.trim().is_empty() {
                return Err(format!("{at}: name (namnet på inloggningssidan) saknas."));
            }
            if !valid_issuer(&p.issuer) {
                return Err(format!(
                    "{at}: issuer \"{}\" är ingen https-adress (http bara för 127.0.0.1/localhost).",
                    p.issuer
                ));
            }
            if p.client_id.trim().is_empty() {
                return Err(format!("{at}: client_id saknas."));
            }
            for (group, role) in &p.group_roles {
                role.parse::<Role>()
                    .map_err(|_| format!("{at}: group_roles: \"{group}\" = \"{role}\" är ingen roll (admin, respondent, reader)."))?;
            }
            if !p.group_roles.is_empty() && p.groups_claim.trim().is_empty() {
                return Err(format!("{at}: group_roles kräver groups_claim (anspråket med grupperna)."));
            }
            if p.clock_skew_secs > 600 {
                return Err(format!("{at}: clock_skew_secs får vara högst 600."));
            }
        }
        Ok(())
    }

    /// Applies one `GNV_OIDC_<ID>_<FIELD>` variable. `<ID>` is the provider's id in capitals with
    /// `_` for `-` (`GNV_OIDC_REGION_DALARNA_ISSUER` → provider `region-dalarna`); a provider not
    /// in the file is added. Fields: `NAME`, `ISSUER`, `CLIENT_ID`, `CLIENT_SECRET`, `SCOPES`
    /// (space or comma separated), `GROUPS_CLAIM`, `GROUP_ROLES` (`grupp=roll,grupp=roll`),
    /// `CLOCK_SKEW_SECS`.
    pub fn apply_env(&mut self, key: &str, value: &str) -> Result<(), String> {
        const FIELDS: &[&str] = &[
            "_CLIENT_SECRET",
            "_CLIENT_ID",
            "_ISSUER",
            "_NAME",
            "_SCOPES",
            "_GROUPS_CLAIM",
            "_GROUP_ROLES",
            "_CLOCK_SKEW_SECS",
        ];
        let rest = &key[ENV_PREFIX.len().min(key.len())..];
        let Some(field) = FIELDS.iter().find(|f| rest.ends_with(*f) && rest.len() > f.len()) else {
            return Err(format!(
                "{key}: okänd variabel; använd GNV_OIDC_<ID>_<FÄLT> med fältet NAME, ISSUER, CLIENT_ID, CLIENT_SECRET, SCOPES, GROUPS_CLAIM, GROUP_ROLES eller CLOCK_SKEW_SECS."
            ));
        };
        let id = rest[..rest.len() - field.len()].to_ascii_lowercase().replace('_', "-");
        let index = match self.providers.iter().position(|p| p.id == id) {
            Some(i) => i,
            None => {
                self.providers.push(ProviderConfig { id, ..ProviderConfig::default() });
                self.providers.len() - 1
            }
        };
        let p = &mut self.providers[index];
        let list =
            |v: &str| v.split([' ', ',']).filter(|s| !s.is_empty()).map(str::to_string).collect::<Vec<_>>();
        match *field {
            "_CLIENT_SECRET" => p.client_secret = value.to_string(),
            "_CLIENT_ID" => p.client_id = value.to_string(),
            "_ISSUER" => p.issuer = value.to_string(),
            "_NAME" => p.name = value.to_string(),
            "_SCOPES" => p.scopes = list(value),
            "_GROUPS_CLAIM" => p.groups_claim = value.to_string(),
            "_GROUP_ROLES" => {
                let mut map = BTreeMap::new();
                for pair in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    let (g, r) = pair
                        .split_once('=')
                        .ok_or_else(|| format!("{key}: \"{pair}\" ska skrivas grupp=roll."))?;
                    map.insert(g.trim().to_string(), r.trim().to_string());
                }
                p.group_roles = map;
            }
            _ => {
                p.clock_skew_secs =
                    value.trim().parse().map_err(|_| format!("{key}: \"{value}\" är inte ett heltal."))?
            }
        }
        Ok(())
    }
}

/// The highest role that `groups` map to at this provider, if any.
pub fn role_from_groups(p: &ProviderConfig, groups: &[String]) -> Option<Role> {
    let rank = |r: Role| match r {
        Role::Admin => 3,
        Role::Respondent => 2,
        Role::Reader => 1,
    };
    groups
        .iter()
        .filter_map(|g| p.group_roles.get(g))
        .filter_map(|r| r.parse::<Role>().ok())
        .max_by_key(|r| rank(*r))
}

/// The end-session endpoint (OpenID Connect RP-Initiated Logout) from the discovery document.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct LogoutMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_session_endpoint: Option<String>,
}
impl AdditionalProviderMetadata for LogoutMetadata {}

/// A provider's discovery document with its keys (JWKS).
pub type Metadata = ProviderMetadata<
    LogoutMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// Why a log-in through a provider failed. `Display` is the Swedish message for the user; the
/// detail (for the log and the audit entry) never contains a secret.
#[derive(Debug)]
pub enum OidcError {
    /// The discovery document or the keys could not be fetched or read.
    Discovery(String),
    /// The token endpoint refused the code or answered something unreadable.
    Token(String),
    /// The ID token failed a check.
    IdToken { reason: &'static str, detail: String },
}

impl OidcError {
    /// The detail for the log and the audit entry.
    pub fn detail(&self) -> String {
        match self {
            OidcError::Discovery(d) => format!("discovery: {d}"),
            OidcError::Token(d) => format!("token: {d}"),
            OidcError::IdToken { reason, detail } => format!("id-token: {reason}: {detail}"),
        }
    }
}

impl std::fmt::Display for OidcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OidcError::Discovery(_) => {
                write!(f, "Identitetstjänsten svarar inte just nu. Försök igen om en stund.")
            }
            OidcError::Token(_) => {
                write!(f, "Identitetstjänsten godtog inte inloggningen. Försök igen.")
            }
            OidcError::IdToken { reason, .. } => {
                write!(f, "Inloggningen kunde inte bekräftas: {reason}. Kontakta RSS om felet kvarstår.")
            }
        }
    }
}

/// The one HTTP client for providers: rustls, no redirects followed, a timeout. No idle
/// connections are kept: a pooled connection belongs to the tokio runtime that opened it, and the
/// client is process-wide (several runtimes in tests); a log-in makes only a few requests.
fn http() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .timeout(HTTP_TIMEOUT)
            .build()
            .expect("the HTTP client for identity providers")
    })
}

type Cache = Mutex<HashMap<String, (Instant, Metadata)>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The provider's discovery document and keys, from the cache while younger than
/// [`METADATA_TTL`], else fetched (discovery, then JWKS).
pub async fn metadata(p: &ProviderConfig) -> Result<Metadata, OidcError> {
    if let Ok(c) = cache().lock() {
        if let Some((at, m)) = c.get(&p.issuer) {
            if at.elapsed() < METADATA_TTL {
                return Ok(m.clone());
            }
        }
    }
    let issuer = IssuerUrl::new(p.issuer.clone()).map_err(|e| OidcError::Discovery(e.to_string()))?;
    let m =
        Metadata::discover_async(issuer, http()).await.map_err(|e| OidcError::Discovery(error_chain(&e)))?;
    if let Ok(mut c) = cache().lock() {
        c.insert(p.issuer.clone(), (Instant::now(), m.clone()));
    }
    Ok(m)
}

/// Drops the cached discovery document and keys of `issuer` (after a failed ID-token check).
fn forget(issuer: &str) {
    if let Ok(mut c) = cache().lock() {
        c.remove(issuer);
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        source = inner.source();
    }
    s
}

/// The redirect URI registered at the provider: `{base_url}/oidc/{id}/callback`.
pub fn redirect_uri(base_url: &str, p: &ProviderConfig) -> String {
    format!("{}/oidc/{}/callback", base_url.trim_end_matches('/'), p.id)
}

fn client(p: &ProviderConfig, m: Metadata, base_url: &str) -> Result<CoreClient_, OidcError> {
    let redirect =
        RedirectUrl::new(redirect_uri(base_url, p)).map_err(|e| OidcError::Discovery(e.to_string()))?;
    let secret = (!p.client_secret.is_empty()).then(|| ClientSecret::new(p.client_secret.clone()));
    Ok(CoreClient::from_provider_metadata(m, ClientId::new(p.client_id.clone()), secret)
        .set_redirect_uri(redirect))
}

type CoreClient_ = openidconnect::Client<
    openidconnect::EmptyAdditionalClaims,
    CoreAuthDisplay,
    openidconnect::core::CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    openidconnect::core::CoreAuthPrompt,
    openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
    openidconnect::core::CoreTokenResponse,
    openidconnect::core::CoreTokenIntrospectionResponse,
    openidconnect::core::CoreRevocableToken,
    openidconnect::core::CoreRevocationErrorResponse,
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

/// A log-in ready to send the browser to the provider.
pub struct Started {
    /// The provider's authorization URL with `state`, `nonce` and the PKCE challenge.
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// Prepares the authorization request (code flow, PKCE S256, fresh `state` and `nonce`).
pub async fn start(p: &ProviderConfig, base_url: &str) -> Result<Started, OidcError> {
    let client = client(p, metadata(p).await?, base_url)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client.authorize_url(
        CoreAuthenticationFlow::AuthorizationCode,
        CsrfToken::new_random,
        Nonce::new_random,
    );
    for scope in p.scopes.iter().filter(|s| s.as_str() != "openid") {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
    Ok(Started {
        url: url.to_string(),
        state: state.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
    })
}

/// The identity a provider vouched for, after every check.
#[derive(Debug, Clone)]
pub struct Identity {
    pub subject: String,
    /// The e-mail claim, unless the provider says it is not verified (`email_verified: false`).
    pub email: Option<String>,
    /// The provider's groups claim ([`ProviderConfig::groups_claim`]), if configured and present.
    pub groups: Vec<String>,
    /// The ID token as received (the `id_token_hint` at log-out).
    pub id_token: String,
}

/// Exchanges the code (with the PKCE verifier) at the token endpoint and verifies the ID token:
/// signature with the provider's keys, issuer, audience (our client id, no untrusted extra
/// audiences), expiry with the allowed clock skew, and the nonce of this log-in.
pub async fn finish(
    p: &ProviderConfig,
    base_url: &str,
    code: &str,
    nonce: &str,
    pkce_verifier: &str,
) -> Result<Identity, OidcError> {
    let client = client(p, metadata(p).await?, base_url)?;
    let response = client
        .exchange_code(AuthorizationCode::new(code.to_string()))
        .map_err(|e| OidcError::Token(e.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_string()))
        .request_async(http())
        .await
        .map_err(|e| OidcError::Token(error_chain(&e)))?;
    let id_token = response.id_token().ok_or_else(|| OidcError::IdToken {
        reason: "identitetstjänsten skickade ingen ID-token",
        detail: "no id_token in the token response".into(),
    })?;
    let checked = match verify(&client, p, id_token, nonce) {
        // The provider may have rotated its keys since they were cached: fetch them once more.
        Err(ClaimsVerificationError::SignatureVerification(_)) => {
            forget(&p.issuer);
            let fresh = self::client(p, metadata(p).await?, base_url)?;
            verify(&fresh, p, id_token, nonce)
        }
        other => other,
    };
    let (subject, email) = match checked {
        Ok(v) => v,
        Err(e) => {
            forget(&p.issuer);
            return Err(OidcError::IdToken { reason: claims_reason(&e), detail: e.to_string() });
        }
    };
    let compact = id_token.to_string();
    let groups = if p.groups_claim.trim().is_empty() {
        Vec::new()
    } else {
        groups_of(&compact, p.groups_claim.trim())
    };
    Ok(Identity { subject, email, groups, id_token: compact })
}

/// Verifies the ID token with `client`'s keys; returns its subject and e-mail (unless the
/// provider says the e-mail is not verified). The allowed clock skew: a token counts as expired
/// only `clock_skew_secs` after its `exp`, and one issued more than that in the future is refused.
fn verify(
    client: &CoreClient_,
    p: &ProviderConfig,
    id_token: &openidconnect::core::CoreIdToken,
    nonce: &str,
) -> Result<(String, Option<String>), ClaimsVerificationError> {
    let skew = chrono::Duration::seconds(p.clock_skew_secs as i64);
    let verifier = client
        .id_token_verifier()
        .set_time_fn(move || chrono::Utc::now() - skew)
        .set_issue_time_verifier_fn(move |iat| {
            if iat > chrono::Utc::now() + skew {
                Err(format!("ID token issued in the future ({iat})"))
            } else {
                Ok(())
            }
        });
    let claims = id_token.claims(&verifier, &Nonce::new(nonce.to_string()))?;
    let email = match claims.email_verified() {
        Some(false) => None,
        _ => claims.email().map(|e| e.as_str().to_string()),
    };
    Ok((claims.subject().as_str().to_string(), email))
}

fn claims_reason(e: &ClaimsVerificationError) -> &'static str {
    match e {
        ClaimsVerificationError::Expired(_) => "ID-token har gått ut (exp)",
        ClaimsVerificationError::InvalidAudience(_) => "ID-token är utfärdad för en annan mottagare (aud)",
        ClaimsVerificationError::InvalidIssuer(_) => "ID-token kommer från en annan utfärdare (iss)",
        ClaimsVerificationError::InvalidNonce(_) => "ID-token hör inte till den här inloggningen (nonce)",
        ClaimsVerificationError::SignatureVerification(_) => "ID-tokens signatur kunde inte verifieras",
        _ => "ID-token är ogiltig",
    }
}

/// The string values of claim `name` in a JWT whose signature has already been verified (a
/// string or an array of strings).
fn groups_of(compact: &str, name: &str) -> Vec<String> {
    use base64::Engine;
    let Some(payload) = compact.split('.').nth(1) else { return Vec::new() };
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('='))
    else {
        return Vec::new();
    };
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes) else { return Vec::new() };
    match value.get(name) {
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Array(a)) => {
            a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()
        }
        _ => Vec::new(),
    }
}

/// The provider's end-session URL for log-out (`id_token_hint`, `client_id` and
/// `post_logout_redirect_uri` = our log-in page), when the provider publishes one.
pub async fn end_session_url(p: &ProviderConfig, base_url: &str, id_token: &str) -> Option<String> {
    let m = metadata(p).await.ok()?;
    let endpoint = m.additional_metadata().end_session_endpoint.clone()?;
    let mut url = reqwest::Url::parse(&endpoint).ok()?;
    {
        let mut q = url.query_pairs_mut();
        if !id_token.is_empty() {
            q.append_pair("id_token_hint", id_token);
        }
        q.append_pair("client_id", &p.client_id);
        q.append_pair("post_logout_redirect_uri", &format!("{}/logga-in", base_url.trim_end_matches('/')));
    }
    Some(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider() -> ProviderConfig {
        ProviderConfig {
            id: "region".into(),
            name: "Region Dalarna".into(),
            issuer: "https://login.microsoftonline.com/tenant/v2.0".into(),
            client_id: "abc".into(),
            client_secret: "hemlig-klienthemlighet".into(),
            ..ProviderConfig::default()
        }
    }

    #[test]
    fn secrets_are_neither_serialised_nor_debug_printed() {
        let c = OidcConfig { providers: vec![provider()] };
        assert!(!format!("{c:?}").contains("hemlig-klienthemlighet"));
        assert!(!toml::to_string(&c).unwrap().contains("hemlig-klienthemlighet"));
    }

    #[test]
    fn env_variables_add_and_override_providers() {
        let mut c = OidcConfig { providers: vec![provider()] };
        for (k, v) in [
            ("GNV_OIDC_REGION_CLIENT_SECRET", "ny"),
            ("GNV_OIDC_KOMMUN_FALUN_ISSUER", "https://sso.falun.se/realms/gnv"),
            ("GNV_OIDC_KOMMUN_FALUN_NAME", "Falu kommun"),
            ("GNV_OIDC_KOMMUN_FALUN_CLIENT_ID", "gnv"),
            ("GNV_OIDC_KOMMUN_FALUN_GROUPS_CLAIM", "groups"),
            ("GNV_OIDC_KOMMUN_FALUN_GROUP_ROLES", "gnv-admin=admin, gnv-las=reader"),
            ("GNV_OIDC_KOMMUN_FALUN_SCOPES", "email profile groups"),
        ] {
            c.apply_env(k, v).unwrap();
        }
        c.check().unwrap();
        assert_eq!(c.providers[0].client_secret, "ny");
        let falun = c.provider("kommun-falun").unwrap();
        assert_eq!(falun.name, "Falu kommun");
        assert_eq!(falun.group_roles.get("gnv-las").map(String::as_str), Some("reader"));
        assert_eq!(falun.scopes, ["email", "profile", "groups"]);
        assert!(c.apply_env("GNV_OIDC_REGION_COLOR", "x").unwrap_err().contains("GNV_OIDC_REGION_COLOR"));
    }

    #[test]
    fn incomplete_providers_are_refused_with_the_field_named() {
        let mut p = provider();
        p.issuer = "http://idp.example.se".into();
        assert!(OidcConfig { providers: vec![p] }.check().unwrap_err().contains("issuer"));
        let mut p = provider();
        p.group_roles.insert("g".into(), "chef".into());
        p.groups_claim = "groups".into();
        assert!(OidcConfig { providers: vec![p] }.check().unwrap_err().contains("chef"));
        assert!(OidcConfig { providers: vec![provider(), provider()] }
            .check()
            .unwrap_err()
            .contains("två gånger"));
        let mut p = provider();
        p.id = "Region Dalarna".into();
        assert!(OidcConfig { providers: vec![p] }.check().unwrap_err().contains("id"));
        let mut p = provider();
        p.issuer = "http://127.0.0.1:55480/idp".into();
        assert!(OidcConfig { providers: vec![p] }.check().is_ok());
    }

    #[test]
    fn toml_array_of_providers() {
        let c = crate::Config::from_toml(
            "[[oidc.provider]]\nid = \"region\"\nname = \"Region Dalarna\"\nissuer = \"https://login.microsoftonline.com/t/v2.0\"\nclient_id = \"x\"\nclient_secret = \"s\"\ngroups_claim = \"groups\"\ngroup_roles = { \"gnv-admin\" = \"admin\" }\n\n[[oidc.provider]]\nid = \"falun\"\nname = \"Falu kommun\"\nissuer = \"https://sso.falun.se/realms/gnv\"\nclient_id = \"gnv\"\n",
        )
        .unwrap();
        assert_eq!(c.oidc.providers.len(), 2);
        assert_eq!(c.oidc.providers[1].clock_skew_secs, 60);
        assert!(crate::Config::from_toml("[[oidc.provider]]\nid = \"x\"\nnamn = \"y\"\n")
            .unwrap_err()
            .contains("namn"));
    }

    #[test]
    fn the_highest_mapped_role_wins() {
        let mut p = provider();
        p.groups_claim = "groups".into();
        p.group_roles.insert("las".into(), "reader".into());
        p.group_roles.insert("rss".into(), "admin".into());
        assert_eq!(role_from_groups(&p, &["las".into(), "rss".into()]), Some(Role::Admin));
        assert_eq!(role_from_groups(&p, &["las".into()]), Some(Role::Reader));
        assert_eq!(role_from_groups(&p, &["annat".into()]), None);
    }

    #[test]
    fn groups_are_read_as_string_or_array() {
        use base64::Engine;
        let enc = |v: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
        let jwt = format!("{}.{}.sig", enc("{}"), enc(r#"{"groups":["a","b"],"roles":"c"}"#));
        assert_eq!(groups_of(&jwt, "groups"), ["a", "b"]);
        assert_eq!(groups_of(&jwt, "roles"), ["c"]);
        assert!(groups_of(&jwt, "x").is_empty());
    }
}

-- Log-in through an organisation's identity provider (OpenID Connect, issue #18).
--
-- oidc_binding: an admin binds a local user to an identity at a configured provider (the
-- provider's id from the configuration, `[[oidc.provider]] id`): its subject (`sub`) or its
-- e-mail claim (`email`, stored lower-case). One identity maps to at most one user; a user may
-- have several bindings (several providers). Nothing is ever created from a log-in.
-- oidc_login: a log-in in progress, from the redirect to the provider until the provider sends
-- the browser back: the SHA-256 of the `state` value, the provider, the nonce, the PKCE
-- verifier, the SHA-256 of the browser-binding cookie and where to go afterwards. The row is
-- deleted when the browser comes back (a replayed `state` finds nothing) and expires after
-- 10 minutes.
-- session.oidc_provider / oidc_id_token: for a session started through a provider, which one and
-- the ID token (sent as `id_token_hint` to the provider's end-session endpoint at log-out).

CREATE TABLE oidc_binding (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    provider   TEXT NOT NULL,
    claim      TEXT NOT NULL CHECK (claim IN ('sub', 'email')),
    value      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (provider, claim, value)
);
CREATE INDEX oidc_binding_user ON oidc_binding (user_id);

CREATE TABLE oidc_login (
    state_hash    TEXT PRIMARY KEY,
    provider      TEXT NOT NULL,
    nonce         TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    browser_hash  TEXT NOT NULL,
    next_path     TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);

ALTER TABLE session ADD COLUMN oidc_provider TEXT;
ALTER TABLE session ADD COLUMN oidc_id_token TEXT;

-- Foundation: organisations, sub-goals, users, sessions, log-in attempts, audit log.
-- Portable SQL: works on SQLite and PostgreSQL (TEXT timestamps in RFC 3339 UTC, INTEGER booleans).

CREATE TABLE organisation (
    code        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('land', 'region', 'kommun', 'lsl', 'organ')),
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    sort_order  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE lsl_member (
    lsl_code          TEXT NOT NULL REFERENCES organisation (code) ON DELETE CASCADE,
    municipality_code TEXT NOT NULL REFERENCES organisation (code) ON DELETE CASCADE,
    PRIMARY KEY (lsl_code, municipality_code)
);
CREATE UNIQUE INDEX lsl_member_one_lsl_per_municipality ON lsl_member (municipality_code);

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE subgoal (
    number    INTEGER PRIMARY KEY CHECK (number BETWEEN 1 AND 5),
    name      TEXT NOT NULL,
    statement TEXT NOT NULL
);

CREATE TABLE app_user (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    email         TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('admin', 'respondent', 'reader')),
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);

CREATE TABLE user_organisation (
    user_id  INTEGER NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    org_code TEXT NOT NULL REFERENCES organisation (code),
    PRIMARY KEY (user_id, org_code)
);

-- Server-side sessions. Only a SHA-256 of the cookie value is stored.
CREATE TABLE session (
    id_hash    TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX session_user ON session (user_id);

CREATE TABLE login_attempt (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    username TEXT NOT NULL,
    ip       TEXT NOT NULL,
    success  INTEGER NOT NULL
);
CREATE INDEX login_attempt_username_at ON login_attempt (username, at);
CREATE INDEX login_attempt_ip_at ON login_attempt (ip, at);

-- Every write by a user (and every log-in) is recorded here in the same transaction as the write.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    user_id     INTEGER,
    username    TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

-- Rapporteringsomgång: questionnaire definitions, yearly rounds, parts, per-organisation
-- assignments with status, invitations (only hashes of link tokens), individual responses,
-- sent mail, and imported earlier self-assessments.

CREATE TABLE form_definition (
    part       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    toml       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (part, version)
);

CREATE TABLE report_round (
    year       INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    deadline   TEXT NOT NULL,
    opened_at  TEXT NOT NULL,
    opened_by  TEXT NOT NULL
);

CREATE TABLE round_part (
    year         INTEGER NOT NULL REFERENCES report_round (year) ON DELETE CASCADE,
    part         TEXT NOT NULL CHECK (part IN ('sjalvskattning', 'kartlaggning', 'kommunenkat', 'ekonomi')),
    form_version INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (year, part)
);

CREATE TABLE round_assignment (
    year          INTEGER NOT NULL,
    part          TEXT NOT NULL,
    org_code      TEXT NOT NULL REFERENCES organisation (code),
    status        TEXT NOT NULL DEFAULT 'ej_paborjad'
                  CHECK (status IN ('ej_paborjad', 'utkast', 'inskickad', 'ateroppnad')),
    updated_at    TEXT NOT NULL,
    submitted_at  TEXT,
    reopen_reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (year, part, org_code),
    FOREIGN KEY (year, part) REFERENCES round_part (year, part) ON DELETE CASCADE
);

CREATE TABLE invitation (
    id         INTEGER PRIMARY KEY,
    year       INTEGER NOT NULL,
    part       TEXT NOT NULL,
    org_code   TEXT NOT NULL,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    FOREIGN KEY (year, part, org_code) REFERENCES round_assignment (year, part, org_code) ON DELETE CASCADE
);
CREATE INDEX invitation_round ON invitation (year, part, org_code);

-- Only a SHA-256 of each secret link token is stored. A reminder issues an extra token for the
-- same invitation, so an invitation may have several.
CREATE TABLE invitation_token (
    token_hash    TEXT PRIMARY KEY,
    invitation_id INTEGER NOT NULL REFERENCES invitation (id) ON DELETE CASCADE,
    created_at    TEXT NOT NULL
);

-- One row per respondent (self-assessment) or per organisation (other parts).
-- respondent_key: 'anvandare:<id>', 'inbjudan:<id>' or 'gemensamt'.
CREATE TABLE round_response (
    id             INTEGER PRIMARY KEY,
    year           INTEGER NOT NULL,
    part           TEXT NOT NULL,
    org_code       TEXT NOT NULL,
    respondent_key TEXT NOT NULL,
    answers_json   TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('utkast', 'inskickad', 'ateroppnad')),
    updated_at     TEXT NOT NULL,
    updated_by     TEXT NOT NULL,
    submitted_at   TEXT,
    UNIQUE (year, part, org_code, respondent_key),
    FOREIGN KEY (year, part, org_code) REFERENCES round_assignment (year, part, org_code) ON DELETE CASCADE
);

CREATE TABLE mail_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    year      INTEGER NOT NULL,
    part      TEXT NOT NULL,
    org_code  TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject   TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('inbjudan', 'paminnelse'))
);

-- Earlier years' self-assessments imported from CSV/XLSX (gnv_core::sjalvskattning::import_csv
-- format). A row without respondent is an already consolidated LSL value; values are text such
-- as '2.5' (exact, parsed with Score::parse).
CREATE TABLE sjalvskattning_history (
    year        INTEGER NOT NULL,
    row_no      INTEGER NOT NULL,
    lsl         TEXT NOT NULL,
    respondent  TEXT NOT NULL,
    role        TEXT NOT NULL,
    perspective TEXT,
    v1 TEXT, v2 TEXT, v3 TEXT, v4 TEXT, v5 TEXT,
    applied     INTEGER,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (year, row_no)
);

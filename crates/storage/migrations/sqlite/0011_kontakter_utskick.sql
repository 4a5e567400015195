-- Contacts per organisation, the January mailing, copied calendar meetings and external
-- deliveries (issue #13).
--
-- contact: a person with a function (ordforande_lsl, socialchef, ekonomichef, kontaktperson,
-- omradessamordnare, polsam) at an organisation (municipality, LSL, region or body); name,
-- e-mail and phone only (minimal personal data), optionally linked to a user account. Deleting a
-- contact deletes the row; its audit entry keeps no personal data.
-- mailing_letter: the round's cover letter (subject and body with placeholders) and which
-- function receives which part ("sjalvskattning=ordforande_lsl;…"), one row per round.
-- mailing_send: one row per (round, part, organisation, recipient address) of the January
-- mailing: the invitation it created, its state (pagar while being sent, skickad, misslyckad
-- with the SMTP error) and the number of attempts. The unique key is what keeps a repeated
-- mailing from sending anything twice.

CREATE TABLE contact (
    id         INTEGER PRIMARY KEY,
    org_code   TEXT NOT NULL REFERENCES organisation (code) ON DELETE CASCADE,
    function   TEXT NOT NULL CHECK (function IN ('ordforande_lsl', 'socialchef', 'ekonomichef', 'kontaktperson', 'omradessamordnare', 'polsam')),
    name       TEXT NOT NULL,
    email      TEXT NOT NULL,
    phone      TEXT NOT NULL DEFAULT '',
    user_id    INTEGER REFERENCES app_user (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (org_code, function, email)
);
CREATE INDEX contact_org ON contact (org_code, function);

CREATE TABLE mailing_letter (
    year       INTEGER PRIMARY KEY REFERENCES report_round (year) ON DELETE CASCADE,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    mapping    TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE mailing_send (
    id            INTEGER PRIMARY KEY,
    year          INTEGER NOT NULL,
    part          TEXT NOT NULL,
    org_code      TEXT NOT NULL,
    email         TEXT NOT NULL,
    name          TEXT NOT NULL,
    function      TEXT NOT NULL,
    invitation_id INTEGER REFERENCES invitation (id) ON DELETE SET NULL,
    state         TEXT NOT NULL CHECK (state IN ('pagar', 'skickad', 'misslyckad')),
    error         TEXT NOT NULL DEFAULT '',
    attempts      INTEGER NOT NULL DEFAULT 0,
    first_at      TEXT NOT NULL,
    last_at       TEXT NOT NULL,
    UNIQUE (year, part, org_code, email),
    FOREIGN KEY (year, part, org_code) REFERENCES round_assignment (year, part, org_code) ON DELETE CASCADE
);

-- meeting_unconfirmed: a meeting of the reporting calendar copied from the previous year
-- ("Kopiera till nästa år") whose date is still to be confirmed ("att bekräfta"); the row goes
-- when an admin confirms the date.
CREATE TABLE meeting_unconfirmed (
    meeting_id  TEXT PRIMARY KEY REFERENCES meeting (id) ON DELETE CASCADE,
    copied_from TEXT NOT NULL,
    copied_at   TEXT NOT NULL
);

-- external_delivery: what the region delivered outside (Socialstyrelsen): the kommunenkät
-- compilation with the exact XLSX file sent and its SHA-256, or the region's own report with a
-- link or address; year = the reporting year it concerns.
CREATE TABLE external_delivery (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('kommunenkat_socialstyrelsen', 'regionens_rapport_socialstyrelsen')),
    delivered_on TEXT NOT NULL,
    delivered_by TEXT NOT NULL,
    file_name    TEXT NOT NULL DEFAULT '',
    content      BLOB,
    sha256       TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL
);
CREATE INDEX external_delivery_year ON external_delivery (year);

-- report_send: the published annual report sent (as a link) to a contact of a governance body,
-- one row per (report year, address): sent once, a failure kept with the SMTP answer and retried.
CREATE TABLE report_send (
    id       INTEGER PRIMARY KEY,
    year     INTEGER NOT NULL,
    org_code TEXT NOT NULL,
    email    TEXT NOT NULL,
    name     TEXT NOT NULL,
    state    TEXT NOT NULL CHECK (state IN ('pagar', 'skickad', 'misslyckad')),
    error    TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_at  TEXT NOT NULL,
    UNIQUE (year, email)
);

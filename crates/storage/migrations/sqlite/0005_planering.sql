-- Planning: annual plans with activity types and occurrences (attendance per organisation),
-- the reporting calendar (meetings, deliverables linked to objects, numbered proposals) and the
-- regional action plan (frozen versions as JSON, status updates on actions).
-- Portable SQL: works on SQLite and PostgreSQL.

CREATE TABLE annual_plan (
    year       INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL
);

CREATE TABLE activity_type (
    id            INTEGER PRIMARY KEY,
    year          INTEGER NOT NULL REFERENCES annual_plan (year) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    name          TEXT NOT NULL,
    target_group  TEXT NOT NULL,
    purpose       TEXT NOT NULL,
    format        TEXT NOT NULL CHECK (format IN ('digitalt', 'fysiskt', 'digitalt_och_eller_fysiskt')),
    freq_min      INTEGER NOT NULL CHECK (freq_min >= 1),
    freq_max      INTEGER NOT NULL CHECK (freq_max >= freq_min),
    timing        TEXT NOT NULL DEFAULT '',
    noun_singular TEXT NOT NULL,
    noun_plural   TEXT NOT NULL,
    UNIQUE (year, name)
);

CREATE TABLE occurrence (
    id               INTEGER PRIMARY KEY,
    activity_type_id INTEGER NOT NULL REFERENCES activity_type (id),
    title            TEXT NOT NULL DEFAULT '',
    date             TEXT NOT NULL,
    format           TEXT NOT NULL CHECK (format IN ('digitalt', 'fysiskt', 'digitalt_och_eller_fysiskt')),
    status           TEXT NOT NULL CHECK (status IN ('planerad', 'genomford', 'framflyttad', 'installd', 'pausad')),
    reason           TEXT NOT NULL DEFAULT '',
    participants     INTEGER,
    note             TEXT NOT NULL DEFAULT '',
    guests_json      TEXT NOT NULL DEFAULT '[]',
    updated_at       TEXT NOT NULL
);
CREATE INDEX occurrence_type ON occurrence (activity_type_id, date);

-- Who attended: an LSL as such, a municipality on its own, or a governance body.
CREATE TABLE occurrence_attendance (
    occurrence_id INTEGER NOT NULL REFERENCES occurrence (id) ON DELETE CASCADE,
    org_code      TEXT NOT NULL REFERENCES organisation (code),
    kind          TEXT NOT NULL CHECK (kind IN ('lsl', 'kommun', 'organ')),
    PRIMARY KEY (occurrence_id, org_code)
);

CREATE TABLE meeting (
    id      TEXT PRIMARY KEY,
    year    INTEGER NOT NULL,
    body    TEXT NOT NULL REFERENCES organisation (code),
    -- Either a date (ÅÅÅÅ-MM-DD) or only a quarter ("Datum ej satt").
    date    TEXT,
    quarter INTEGER CHECK (quarter BETWEEN 1 AND 4),
    title   TEXT NOT NULL,
    CHECK ((date IS NULL AND quarter IS NOT NULL) OR (date IS NOT NULL AND quarter IS NULL))
);
CREATE INDEX meeting_year ON meeting (year);

CREATE TABLE deliverable (
    meeting_id  TEXT NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    description TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('planerad', 'levererad', 'uppskjuten')),
    -- The object delivered: 'handlingsplan', 'arsplan:2026', 'arsrapport:2025' or empty.
    object      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (meeting_id, position)
);

CREATE TABLE proposal (
    meeting_id           TEXT NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
    number               INTEGER NOT NULL CHECK (number >= 1),
    text                 TEXT NOT NULL,
    outcome              TEXT NOT NULL CHECK (outcome IN ('bifallen', 'avslagen', 'bordlagd', 'ej_behandlad')),
    -- Position of the deliverable of the same meeting that the proposal concerns, if any.
    deliverable_position INTEGER,
    PRIMARY KEY (meeting_id, number)
);

-- Each version of the regional action plan is stored frozen: rows are only ever inserted.
CREATE TABLE action_plan_version (
    version     INTEGER PRIMARY KEY CHECK (version >= 1),
    review_year INTEGER NOT NULL,
    plan_json   TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);

-- Status updates on actions, recorded against the version that was current at the time.
CREATE TABLE action_status_update (
    id          INTEGER PRIMARY KEY,
    version     INTEGER NOT NULL REFERENCES action_plan_version (version),
    action_key  TEXT NOT NULL,
    date        TEXT NOT NULL,
    status      TEXT NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX action_status_update_version ON action_status_update (version, action_key);

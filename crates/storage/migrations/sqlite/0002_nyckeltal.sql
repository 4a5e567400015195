-- Nyckeltal och infografik: indicator catalogue, imported values with provenance, frozen editions.
-- Portable SQL (SQLite and PostgreSQL): TEXT timestamps in RFC 3339 UTC, JSON as TEXT.

-- The indicator catalogue. `definition_json` is the full gnv_core::nyckeltal::Indicator as JSON;
-- code, sub-goal and title are duplicated as columns for ordering and listing.
CREATE TABLE nyckeltal_indicator (
    code            TEXT PRIMARY KEY,
    subgoal         INTEGER NOT NULL CHECK (subgoal BETWEEN 1 AND 5),
    number          INTEGER NOT NULL,
    title           TEXT NOT NULL,
    definition_json TEXT NOT NULL
);

-- One import (Kolada fetch, saved Kolada files, manual CSV/XLSX, demo): source, time, counts.
CREATE TABLE nyckeltal_import (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,            -- 'kolada', 'kolada-fil', 'egen', 'demo'
    description TEXT NOT NULL DEFAULT '',
    fetched_at  TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    added       INTEGER NOT NULL,
    changed     INTEGER NOT NULL,
    skipped     INTEGER NOT NULL
);

-- The raw documents of an import (Kolada JSON pages, uploaded files), kept for provenance.
CREATE TABLE nyckeltal_raw (
    id        INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES nyckeltal_import (id) ON DELETE CASCADE,
    name      TEXT NOT NULL,              -- request URL or file name
    body      TEXT NOT NULL
);
CREATE INDEX nyckeltal_raw_import ON nyckeltal_raw (import_id);

-- The current values: one per (indicator, organisation, period, gender). Exactly one of `value`
-- and `missing` is set; `missing` is a Kolada missing-value code ('-', '.', '..').
-- Source and fetch time are those of the import that last wrote the value.
CREATE TABLE nyckeltal_value (
    indicator TEXT NOT NULL,
    org       TEXT NOT NULL,
    period    INTEGER NOT NULL,
    gender    TEXT NOT NULL CHECK (gender IN ('T', 'K', 'M')),
    value     REAL,
    missing   TEXT CHECK (missing IN ('-', '.', '..')),
    import_id INTEGER NOT NULL REFERENCES nyckeltal_import (id),
    PRIMARY KEY (indicator, org, period, gender)
);

-- Published editions ("Infografik 2025"). Frozen at publishing and never updated: the catalogue
-- snapshot and exactly the values used, both as JSON. `uid` identifies the frozen content.
CREATE TABLE nyckeltal_edition (
    year            INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    published_at    TEXT NOT NULL,
    published_by    TEXT NOT NULL,
    value_count     INTEGER NOT NULL,
    catalogue_json  TEXT NOT NULL,
    values_json     TEXT NOT NULL
);

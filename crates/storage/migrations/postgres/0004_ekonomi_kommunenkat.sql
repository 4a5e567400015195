-- PostgreSQL twin of migrations/sqlite/0004_ekonomi_kommunenkat.sql: the same tables, columns and constraints, with
-- BIGINT for INTEGER, BIGINT identity for INTEGER PRIMARY KEY ids, DOUBLE PRECISION for REAL,
-- BYTEA for BLOB (every column decodes through sqlx Any exactly as on SQLite).

-- Kommunenkät (municipal survey) answers and the financial report (ekonomisk redovisning).
-- Portable SQL: works on SQLite and PostgreSQL (TEXT timestamps in RFC 3339 UTC).

-- One survey answer per municipality and year; the answer itself (areas, "annat", free texts)
-- is stored as the JSON of gnv_core::kommunenkat::MunicipalAnswer.
-- status: 'utkast' (draft), 'inskickad' (submitted) or 'återöppnad' (re-opened by RSS after
-- submission). Only submitted answers are compiled.
CREATE TABLE survey_answer (
    year              BIGINT NOT NULL,
    municipality_code TEXT NOT NULL REFERENCES organisation (code),
    answer_json       TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('utkast', 'inskickad', 'återöppnad')),
    updated_at        TEXT NOT NULL,
    updated_by        TEXT NOT NULL,
    submitted_at      TEXT,
    PRIMARY KEY (year, municipality_code)
);

-- Focus areas (insatsområden) the funds are reported against; focus area 1 is the default.
CREATE TABLE economy_focus_area (
    code   TEXT PRIMARY KEY,
    number BIGINT NOT NULL,
    name   TEXT NOT NULL
);
INSERT INTO economy_focus_area (code, number, name) VALUES ('9292', 1, 'Primärvården som nav');

-- One row per municipality, year and focus area. Amounts are whole kronor (>= 0).
CREATE TABLE economy_row (
    year              BIGINT NOT NULL,
    municipality_code TEXT NOT NULL REFERENCES organisation (code),
    focus_code        TEXT NOT NULL REFERENCES economy_focus_area (code),
    allocated         BIGINT NOT NULL CHECK (allocated >= 0),
    repaid_surplus    BIGINT NOT NULL CHECK (repaid_surplus >= 0),
    reported_spent    BIGINT NOT NULL CHECK (reported_spent >= 0),
    source            TEXT NOT NULL CHECK (source IN ('formulär', 'import')),
    updated_at        TEXT NOT NULL,
    updated_by        TEXT NOT NULL,
    PRIMARY KEY (year, municipality_code, focus_code)
);

-- A municipality's financial report of a year: status 'utkast', 'inskickad' or 'återöppnad'. Rows of a draft
-- report are not in the appendix table until submitted.
CREATE TABLE economy_report (
    year              BIGINT NOT NULL,
    municipality_code TEXT NOT NULL REFERENCES organisation (code),
    status            TEXT NOT NULL CHECK (status IN ('utkast', 'inskickad', 'återöppnad')),
    updated_at        TEXT NOT NULL,
    updated_by        TEXT NOT NULL,
    PRIMARY KEY (year, municipality_code)
);

-- Totals printed under an imported table ("Summa" row), kept to compare with the computed sums.
CREATE TABLE economy_printed_total (
    year           BIGINT NOT NULL,
    focus_code     TEXT NOT NULL REFERENCES economy_focus_area (code),
    allocated      BIGINT NOT NULL,
    repaid_surplus BIGINT NOT NULL,
    reported_spent BIGINT NOT NULL,
    PRIMARY KEY (year, focus_code)
);

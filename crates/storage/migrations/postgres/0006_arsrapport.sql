-- PostgreSQL twin of migrations/sqlite/0006_arsrapport.sql: the same tables, columns and constraints, with
-- BIGINT for INTEGER, BIGINT identity for INTEGER PRIMARY KEY ids, DOUBLE PRECISION for REAL,
-- BYTEA for BLOB (every column decodes through sqlx Any exactly as on SQLite).

-- Årsrapport: analyst narratives per report year and section, and published (frozen) reports.
-- Portable SQL (SQLite and PostgreSQL): TEXT timestamps in RFC 3339 UTC; BLOB is BYTEA on PostgreSQL.

CREATE TABLE report_narrative (
    year       BIGINT NOT NULL,
    section    TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (year, section)
);

-- One publication per year. input_json is the frozen ReportInput the files were generated from.
CREATE TABLE report_publication (
    year          BIGINT PRIMARY KEY,
    published_at  TEXT NOT NULL,
    published_by  TEXT NOT NULL,
    input_json    TEXT NOT NULL,
    input_sha256  TEXT NOT NULL
);

CREATE TABLE report_file (
    year     BIGINT NOT NULL REFERENCES report_publication (year) ON DELETE CASCADE,
    format   TEXT NOT NULL CHECK (format IN ('pdf', 'docx', 'html')),
    content  BYTEA NOT NULL,
    sha256   TEXT NOT NULL,
    size     BIGINT NOT NULL,
    PRIMARY KEY (year, format)
);

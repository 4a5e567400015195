-- Årsrapport: analyst narratives per report year and section, and published (frozen) reports.
-- Portable SQL (SQLite and PostgreSQL): TEXT timestamps in RFC 3339 UTC; BLOB is BYTEA on PostgreSQL.

CREATE TABLE report_narrative (
    year       INTEGER NOT NULL,
    section    TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (year, section)
);

-- One publication per year. input_json is the frozen ReportInput the files were generated from.
CREATE TABLE report_publication (
    year          INTEGER PRIMARY KEY,
    published_at  TEXT NOT NULL,
    published_by  TEXT NOT NULL,
    input_json    TEXT NOT NULL,
    input_sha256  TEXT NOT NULL
);

CREATE TABLE report_file (
    year     INTEGER NOT NULL REFERENCES report_publication (year) ON DELETE CASCADE,
    format   TEXT NOT NULL CHECK (format IN ('pdf', 'docx', 'html')),
    content  BLOB NOT NULL,
    sha256   TEXT NOT NULL,
    size     INTEGER NOT NULL,
    PRIMARY KEY (year, format)
);

-- PostgreSQL twin of migrations/sqlite/0012_rapporttext.sql: the same tables, columns and
-- constraints, with BIGINT for INTEGER (every column decodes through sqlx Any exactly as on
-- SQLite). The migrated JSON is built with json_build_array/json_build_object (SQLite:
-- json_array/json_object); both give the same serde form.

-- Årsrapport, structured narratives and chosen quotes (issue #15).
CREATE TABLE report_section_layout (
    year       BIGINT NOT NULL,
    section    TEXT NOT NULL,
    version    BIGINT NOT NULL,
    items_json TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (year, section)
);

INSERT INTO report_section_layout (year, section, version, items_json, updated_at, updated_by)
SELECT year, section, 1, json_build_array(json_build_object('kind', 'text', 'body', body))::text, updated_at, updated_by
FROM report_narrative;

DROP TABLE report_narrative;

CREATE TABLE report_quote (
    year       BIGINT NOT NULL,
    source     TEXT NOT NULL,
    answer     TEXT NOT NULL,
    position   BIGINT NOT NULL,
    attributed BIGINT NOT NULL DEFAULT 0,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (year, source, answer)
);

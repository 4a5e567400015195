-- Årsrapport, structured narratives and chosen quotes (issue #15).
--
-- report_section_layout: per report year and section the ordered list of generated parts and
-- analyst text blocks, as JSON ([{"kind":"part","key":"…"}, {"kind":"text","body":"…"}], the
-- serde form of gnv_report::layout::LayoutItem). version counts the saves (optimistic check in
-- the editor); every save has its audit entry with the list before and after.
--
-- Every narrative of migration 0006 becomes one text block; with no generated part listed the
-- report places all generated parts before it, i.e. the text stays after the generated text,
-- as before.
CREATE TABLE report_section_layout (
    year       INTEGER NOT NULL,
    section    TEXT NOT NULL,
    version    INTEGER NOT NULL,
    items_json TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (year, section)
);

INSERT INTO report_section_layout (year, section, version, items_json, updated_at, updated_by)
SELECT year, section, 1, json_array(json_object('kind', 'text', 'body', body)), updated_at, updated_by
FROM report_narrative;

DROP TABLE report_narrative;

-- The quotes the analyst chose: per report year, free-text source (group) and answer, the
-- order, attribution and the quoted text (the answer or a shortening with "[…]").
CREATE TABLE report_quote (
    year       INTEGER NOT NULL,
    source     TEXT NOT NULL,
    answer     TEXT NOT NULL,
    position   INTEGER NOT NULL,
    attributed INTEGER NOT NULL DEFAULT 0,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (year, source, answer)
);

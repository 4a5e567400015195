-- PostgreSQL twin of migrations/sqlite/0008_omgang_livscykel.sql.
-- The reporting round's lifecycle and one status engine for all four parts.
--
-- 1. A round closes: `closed_at`/`closed_by` (NULL while open). A round is open until its
--    deadline or until an admin closes it; the server closes rounds past their deadline itself.
-- 2. Closing freezes a snapshot of every organisation's part (status, the submitted answer and
--    its SHA-256 fingerprint), so a change after closing is visible ("ändrat efter stängning").
-- 3. Kommunenkät and ekonomisk redovisning keep their status in round_assignment like the other
--    parts. Years that only had survey answers or financial reports (imports, earlier versions)
--    become closed rounds carrying those parts; every stored status is carried over
--    ('återöppnad' is spelled 'ateroppnad' like everywhere else in the engine). The parts' own
--    status columns and the economy_report table go away.

ALTER TABLE report_round ADD COLUMN closed_at TEXT;
ALTER TABLE report_round ADD COLUMN closed_by TEXT;
-- 1 for a closed round made from data of a year without a round (this migration, a table
-- import); opening a round for that year adopts it instead of refusing.
ALTER TABLE report_round ADD COLUMN from_data BIGINT NOT NULL DEFAULT 0;

CREATE TABLE round_close_snapshot (
    year        BIGINT NOT NULL REFERENCES report_round (year) ON DELETE CASCADE,
    part        TEXT NOT NULL,
    org_code    TEXT NOT NULL,
    status      TEXT NOT NULL,
    -- SHA-256 (hex) of the submitted answer(s) at closing; '' when nothing was submitted.
    fingerprint TEXT NOT NULL,
    -- The submitted answer(s) at closing as JSON (what the compilation was made from).
    answer_json TEXT NOT NULL,
    closed_at   TEXT NOT NULL,
    PRIMARY KEY (year, part, org_code)
);

-- Rounds for years that only have survey answers or financial reports: closed.
INSERT INTO report_round (year, title, deadline, opened_at, opened_by, closed_at, closed_by, from_data)
SELECT y.year, 'Rapporteringsomgång ' || CAST(y.year AS TEXT), to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
       to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'migrering', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'migrering', 1
FROM (SELECT year FROM survey_answer UNION SELECT year FROM economy_report) y
WHERE NOT EXISTS (SELECT 1 FROM report_round r WHERE r.year = y.year);

INSERT INTO round_part (year, part, form_version)
SELECT DISTINCT year, 'kommunenkat', 0 FROM survey_answer
ON CONFLICT (year, part) DO NOTHING;
INSERT INTO round_part (year, part, form_version)
SELECT DISTINCT year, 'ekonomi', 0 FROM economy_report
ON CONFLICT (year, part) DO NOTHING;

-- Every municipality gets an assignment of a part its year now carries.
INSERT INTO round_assignment (year, part, org_code, status, updated_at)
SELECT p.year, p.part, o.code, 'ej_paborjad', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
FROM round_part p JOIN organisation o ON o.kind = 'kommun'
WHERE p.part IN ('kommunenkat', 'ekonomi')
ON CONFLICT (year, part, org_code) DO NOTHING;
-- Answers of an organisation that is not a municipality (never written by the application).
INSERT INTO round_assignment (year, part, org_code, status, updated_at)
SELECT s.year, 'kommunenkat', s.municipality_code, 'ej_paborjad', s.updated_at FROM survey_answer s
ON CONFLICT (year, part, org_code) DO NOTHING;
INSERT INTO round_assignment (year, part, org_code, status, updated_at)
SELECT e.year, 'ekonomi', e.municipality_code, 'ej_paborjad', e.updated_at FROM economy_report e
ON CONFLICT (year, part, org_code) DO NOTHING;

UPDATE round_assignment SET
    status = (SELECT CASE s.status WHEN 'återöppnad' THEN 'ateroppnad' ELSE s.status END
              FROM survey_answer s WHERE s.year = round_assignment.year
                AND s.municipality_code = round_assignment.org_code),
    updated_at = (SELECT s.updated_at FROM survey_answer s WHERE s.year = round_assignment.year
                    AND s.municipality_code = round_assignment.org_code),
    submitted_at = COALESCE((SELECT s.submitted_at FROM survey_answer s WHERE s.year = round_assignment.year
                    AND s.municipality_code = round_assignment.org_code), submitted_at)
WHERE part = 'kommunenkat' AND EXISTS (SELECT 1 FROM survey_answer s WHERE s.year = round_assignment.year
                                         AND s.municipality_code = round_assignment.org_code);

UPDATE round_assignment SET
    status = (SELECT CASE e.status WHEN 'återöppnad' THEN 'ateroppnad' ELSE e.status END
              FROM economy_report e WHERE e.year = round_assignment.year
                AND e.municipality_code = round_assignment.org_code),
    updated_at = (SELECT e.updated_at FROM economy_report e WHERE e.year = round_assignment.year
                    AND e.municipality_code = round_assignment.org_code),
    submitted_at = CASE WHEN (SELECT e.status FROM economy_report e WHERE e.year = round_assignment.year
                               AND e.municipality_code = round_assignment.org_code) = 'inskickad'
                        THEN (SELECT e.updated_at FROM economy_report e WHERE e.year = round_assignment.year
                               AND e.municipality_code = round_assignment.org_code)
                        ELSE submitted_at END
WHERE part = 'ekonomi' AND EXISTS (SELECT 1 FROM economy_report e WHERE e.year = round_assignment.year
                                     AND e.municipality_code = round_assignment.org_code);

ALTER TABLE survey_answer DROP COLUMN status;
ALTER TABLE survey_answer DROP COLUMN submitted_at;
DROP TABLE economy_report;

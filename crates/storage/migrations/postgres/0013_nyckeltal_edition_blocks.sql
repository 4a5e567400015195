-- Frozen editions in a compact binary form (#19). An edition's values are stored twice, in
-- blocks with a fixed binary layout (see `gnv_storage::nyckeltal::utgava`), each with a CRC-32
-- of its body: per (indicator, period) every organisation's T/K/M values, and per organisation
-- every (indicator, period) of it. A focus organisation's view reads its own block and the
-- blocks of the periods it shows, nothing else; no text is parsed. Written once when the
-- edition is published, never updated.
--
-- `format`: 1 = the values as a JSON document in `values_json` (editions published before this
-- migration), 2 = blocks (`values_json` is empty). Editions of format 1 are converted to
-- blocks by the storage upgrade step that runs after the migrations (`Db::connect`).
ALTER TABLE nyckeltal_edition ADD COLUMN format BIGINT NOT NULL DEFAULT 1;

CREATE TABLE nyckeltal_edition_period (
    year        BIGINT NOT NULL REFERENCES nyckeltal_edition (year),
    indicator   TEXT NOT NULL,
    period      BIGINT NOT NULL,
    value_count BIGINT NOT NULL,
    body        BYTEA NOT NULL,
    checksum    BIGINT NOT NULL,
    PRIMARY KEY (year, indicator, period)
);

CREATE TABLE nyckeltal_edition_org (
    year        BIGINT NOT NULL REFERENCES nyckeltal_edition (year),
    org         TEXT NOT NULL,
    value_count BIGINT NOT NULL,
    body        BYTEA NOT NULL,
    checksum    BIGINT NOT NULL,
    PRIMARY KEY (year, org)
);

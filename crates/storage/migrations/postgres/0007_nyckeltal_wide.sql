-- Indicator values, one row per (indicator, organisation, period) with the three genders side by
-- side (T = totalt, K = kvinnor, M = män) instead of one row per gender: a Kolada row carries all
-- three, and a third of the rows makes imports about three times faster (#3).
--
-- Per gender: `x_import` is the import that last wrote the gender's value (provenance); it is set
-- exactly when the gender has a value, and then exactly one of `x_value` (a number) and `x_missing`
-- (a Kolada missing-value code '-', '.', '..') is set. (The SQLite twin is WITHOUT ROWID; the code
-- checks use `=` and OR there for speed, here to keep the twins alike.)
CREATE TABLE nyckeltal_value_wide (
    indicator TEXT NOT NULL,
    org       TEXT NOT NULL,
    period    BIGINT NOT NULL,
    t_value   DOUBLE PRECISION,
    t_missing TEXT CHECK (t_missing = '-' OR t_missing = '.' OR t_missing = '..'),
    t_import  BIGINT REFERENCES nyckeltal_import (id),
    k_value   DOUBLE PRECISION,
    k_missing TEXT CHECK (k_missing = '-' OR k_missing = '.' OR k_missing = '..'),
    k_import  BIGINT REFERENCES nyckeltal_import (id),
    m_value   DOUBLE PRECISION,
    m_missing TEXT CHECK (m_missing = '-' OR m_missing = '.' OR m_missing = '..'),
    m_import  BIGINT REFERENCES nyckeltal_import (id),
    CHECK ((t_import IS NULL AND t_value IS NULL AND t_missing IS NULL)
        OR (t_import IS NOT NULL AND (t_value IS NULL) <> (t_missing IS NULL))),
    CHECK ((k_import IS NULL AND k_value IS NULL AND k_missing IS NULL)
        OR (k_import IS NOT NULL AND (k_value IS NULL) <> (k_missing IS NULL))),
    CHECK ((m_import IS NULL AND m_value IS NULL AND m_missing IS NULL)
        OR (m_import IS NOT NULL AND (m_value IS NULL) <> (m_missing IS NULL))),
    PRIMARY KEY (indicator, org, period)
);

INSERT INTO nyckeltal_value_wide
    (indicator, org, period, t_value, t_missing, t_import, k_value, k_missing, k_import, m_value, m_missing, m_import)
SELECT indicator, org, period,
    MAX(CASE WHEN gender = 'T' THEN value END), MAX(CASE WHEN gender = 'T' THEN missing END),
    MAX(CASE WHEN gender = 'T' THEN import_id END),
    MAX(CASE WHEN gender = 'K' THEN value END), MAX(CASE WHEN gender = 'K' THEN missing END),
    MAX(CASE WHEN gender = 'K' THEN import_id END),
    MAX(CASE WHEN gender = 'M' THEN value END), MAX(CASE WHEN gender = 'M' THEN missing END),
    MAX(CASE WHEN gender = 'M' THEN import_id END)
FROM nyckeltal_value
GROUP BY indicator, org, period;

DROP TABLE nyckeltal_value;
ALTER TABLE nyckeltal_value_wide RENAME TO nyckeltal_value;

-- Raw documents are stored zlib-compressed from now on (`body` is '' for them, `body_size` is the
-- text's length in bytes): Kolada JSON pages shrink about tenfold, and a 10-million-value import
-- wrote 700 MB of them twice (write-ahead log, then checkpoint). Older rows keep their text.
ALTER TABLE nyckeltal_raw ADD COLUMN body_zlib BYTEA;
ALTER TABLE nyckeltal_raw ADD COLUMN body_size BIGINT;

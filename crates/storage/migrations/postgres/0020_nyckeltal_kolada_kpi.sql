-- Kolada KPI ids attached to catalogue indicators from the KPI search on the admin page (#19).
--
-- The catalogue itself keeps only the id (in the indicator's `kallor`, as before): the catalogue
-- model, its TOML/JSON and the catalogues frozen with published editions are unchanged. What
-- Kolada said about the KPI when it was attached (title, description, sex split, organisation
-- type) is kept here, one row per (indicator, KPI id), so that the admin page can show it and
-- warn where it disagrees with the catalogue entry as it is now.
CREATE TABLE nyckeltal_kolada_kpi (
    indicator         TEXT NOT NULL,
    kpi               TEXT NOT NULL,
    title             TEXT NOT NULL,
    description       TEXT NOT NULL,
    -- 1 split by sex, 0 not, NULL when Kolada does not say.
    divided_by_gender BIGINT,
    -- Kolada's municipality_type: K, L or A; NULL when not given.
    municipality_type TEXT,
    -- Where the description was read: the Kolada address searched, or the saved list's name.
    source            TEXT NOT NULL,
    attached_at       TEXT NOT NULL,
    attached_by       TEXT NOT NULL,
    PRIMARY KEY (indicator, kpi)
);

-- A saved `/v3/kpi` response to search offline (one at a time; a new upload replaces it).
-- The text is stored zlib-compressed (Kolada's whole list is several MB of JSON).
CREATE TABLE nyckeltal_kolada_kpi_list (
    id          BIGINT PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL,
    body_zlib   BYTEA NOT NULL,
    body_size   BIGINT NOT NULL,
    kpi_count   BIGINT NOT NULL,
    uploaded_at TEXT NOT NULL,
    uploaded_by TEXT NOT NULL
);

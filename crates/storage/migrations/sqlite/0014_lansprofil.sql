-- The county profile (#20): one stored profile in its documented TOML form, and room for up to
-- nine sub-goals (the number of sub-goals comes from the profile; it used to be fixed at five).

CREATE TABLE county_profile (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    toml        TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
);

-- SQLite cannot change a CHECK constraint: rebuild the small subgoal table (nothing references it).
CREATE TABLE subgoal_new (
    number    INTEGER PRIMARY KEY CHECK (number BETWEEN 1 AND 9),
    name      TEXT NOT NULL,
    statement TEXT NOT NULL
);
INSERT INTO subgoal_new (number, name, statement) SELECT number, name, statement FROM subgoal;
DROP TABLE subgoal;
ALTER TABLE subgoal_new RENAME TO subgoal;

-- Imported self-assessment history: ratings of sub-goals 6–9.
ALTER TABLE sjalvskattning_history ADD COLUMN v6 TEXT;
ALTER TABLE sjalvskattning_history ADD COLUMN v7 TEXT;
ALTER TABLE sjalvskattning_history ADD COLUMN v8 TEXT;
ALTER TABLE sjalvskattning_history ADD COLUMN v9 TEXT;

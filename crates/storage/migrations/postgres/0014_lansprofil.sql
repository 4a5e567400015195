-- The county profile (#20): one stored profile in its documented TOML form, and room for up to
-- nine sub-goals (the number of sub-goals comes from the profile; it used to be fixed at five).

CREATE TABLE county_profile (
    id          BIGINT PRIMARY KEY CHECK (id = 1),
    toml        TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
);

ALTER TABLE subgoal DROP CONSTRAINT IF EXISTS subgoal_number_check;
ALTER TABLE subgoal ADD CONSTRAINT subgoal_number_check CHECK (number BETWEEN 1 AND 9);

-- Imported self-assessment history: ratings of sub-goals 6–9.
ALTER TABLE sjalvskattning_history ADD COLUMN v6 TEXT;
ALTER TABLE sjalvskattning_history ADD COLUMN v7 TEXT;
ALTER TABLE sjalvskattning_history ADD COLUMN v8 TEXT;
ALTER TABLE sjalvskattning_history ADD COLUMN v9 TEXT;

-- External deadlines (#13): the last day of each external delivery of a reporting year (for
-- example Socialstyrelsen's deadline for the municipal survey), shown in the reporting calendar
-- and on the year page next to the recorded delivery.
CREATE TABLE external_deadline (
    year       INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    due_on     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (year, kind)
);

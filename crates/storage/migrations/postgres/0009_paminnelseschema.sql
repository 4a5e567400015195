-- PostgreSQL twin of migrations/sqlite/0009_paminnelseschema.sql.
-- Scheduled reminders of a reporting round and the server's job table.
--
-- round_reminder: the round's schedule, days before the deadline (e.g. 14 and 3).
-- scheduled_job: one row per piece of scheduled work (a reminder of a round: key
-- 'paminnelse/<year>/<days>'), due at a time (RFC 3339 UTC). An instance claims a due job by
-- taking a lease (leased_by, lease_until) in a write transaction; only one instance holds a
-- lease at a time, a lease that runs out (the instance died) can be taken again, and a finished
-- job (done_at) is never run again. This is how exactly one of several instances on one
-- database sends each reminder, across restarts.
-- mail_log.job_key: the job a reminder was sent by, so a job taken over after a crash does not
-- send the same reminder to the same recipient twice.

CREATE TABLE round_reminder (
    year        BIGINT NOT NULL REFERENCES report_round (year) ON DELETE CASCADE,
    days_before BIGINT NOT NULL CHECK (days_before >= 0 AND days_before <= 180),
    PRIMARY KEY (year, days_before)
);

CREATE TABLE scheduled_job (
    job_key     TEXT PRIMARY KEY,
    due_at      TEXT NOT NULL,
    leased_by   TEXT,
    lease_until TEXT,
    done_at     TEXT,
    result      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX scheduled_job_due ON scheduled_job (done_at, due_at);

ALTER TABLE mail_log ADD COLUMN job_key TEXT;

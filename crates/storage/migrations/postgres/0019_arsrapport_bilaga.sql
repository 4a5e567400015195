-- How the published annual report was sent to a recipient: a link to the report ('lank') or
-- the published PDF as an attachment ('bilaga'). Rows from before are links.
ALTER TABLE report_send ADD COLUMN way TEXT NOT NULL DEFAULT 'lank' CHECK (way IN ('lank', 'bilaga'));

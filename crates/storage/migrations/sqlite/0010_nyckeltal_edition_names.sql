-- A published edition freezes the organisation names it shows (#16): the registry at the time of
-- publishing, as JSON. Empty for editions published before this migration (they show the current
-- names, as before).
ALTER TABLE nyckeltal_edition ADD COLUMN registry_json TEXT NOT NULL DEFAULT '';

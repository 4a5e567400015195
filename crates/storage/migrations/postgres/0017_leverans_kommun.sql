-- A delivery per municipality (#15): the kommunenkät reported to Socialstyrelsen for one
-- municipality. organisation_code is the municipality's code; '' means every municipality (the
-- compilation, as every delivery recorded before this migration).
ALTER TABLE external_delivery ADD COLUMN organisation_code TEXT NOT NULL DEFAULT '';

DROP FUNCTION IF EXISTS set_updated_at();
-- pg_trgm is left installed: other schemas in the database may use it.

DROP INDEX IF EXISTS equipment_requests_created_idx;
DROP TABLE IF EXISTS statistics_runs;
DROP TABLE IF EXISTS statistics_snapshots;
DROP INDEX IF EXISTS equipment_due_idx;
ALTER TABLE equipment DROP CONSTRAINT IF EXISTS equipment_due_only_when_lent;
ALTER TABLE equipment DROP COLUMN IF EXISTS due_on;

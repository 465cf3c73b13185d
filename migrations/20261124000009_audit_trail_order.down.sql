DROP INDEX IF EXISTS audit_log_created_idx;

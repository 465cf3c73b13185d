-- The audit trail is read newest first, (created_at, id) descending, and paged by that key:
-- without this index every page of an unfiltered trail sorts the whole table.
CREATE INDEX audit_log_created_idx ON audit_log (created_at DESC, id DESC);

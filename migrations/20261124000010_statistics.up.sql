-- When a lent item is due back: the last day of the loan that lent it. Kept on the
-- item so that "overdue" is an index range, not a search through request history.
ALTER TABLE equipment ADD COLUMN due_on DATE;
UPDATE equipment e
   SET due_on = (SELECT r.period_end
                   FROM equipment_requests r
                  WHERE r.equipment_id = e.id AND r.kind = 'borrow' AND r.status = 'approved'
                    AND r.applicant_id = e.holder_id
                  ORDER BY r.decided_at DESC
                  LIMIT 1)
 WHERE e.status = 'in_use';
ALTER TABLE equipment ADD CONSTRAINT equipment_due_only_when_lent
    CHECK (due_on IS NULL OR status = 'in_use');
CREATE INDEX equipment_due_idx ON equipment (due_on) WHERE status = 'in_use';

-- Statistics are pre-aggregated: one document of figures per scope (a department's
-- subtree, or 0 for the whole organisation), rewritten together by one node at a time.
CREATE TABLE statistics_snapshots (
    scope        BIGINT PRIMARY KEY,
    computed_at  TIMESTAMPTZ NOT NULL,
    figures      JSONB NOT NULL
);

-- One row whose lock elects the node that refreshes, and which records the last refresh.
CREATE TABLE statistics_runs (
    id            SMALLINT PRIMARY KEY DEFAULT 1,
    refreshed_at  TIMESTAMPTZ,
    took_ms       INTEGER,
    CONSTRAINT statistics_runs_single_row CHECK (id = 1)
);
INSERT INTO statistics_runs (id) VALUES (1);

-- Requests per week and lead times read a recent window of the history.
CREATE INDEX equipment_requests_created_idx ON equipment_requests (created_at);

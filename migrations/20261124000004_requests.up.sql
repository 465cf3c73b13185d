-- A transaction a user files on an item (借用/归还/报修/报废) and its decision.
CREATE TABLE equipment_requests (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind              TEXT NOT NULL,
    equipment_id      BIGINT NOT NULL REFERENCES equipment (id) ON DELETE RESTRICT,
    applicant_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    -- The department whose leaders decide (the applicant's, when filed).
    department_id     BIGINT NOT NULL REFERENCES departments (id) ON DELETE RESTRICT,
    status            TEXT NOT NULL DEFAULT 'pending',
    reason            TEXT NOT NULL,
    period_start      DATE,
    period_end        DATE,
    approver_id       BIGINT REFERENCES users (id) ON DELETE RESTRICT,
    decision_comment  TEXT,
    decided_at        TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    version           INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT equipment_requests_kind_valid CHECK (kind IN ('borrow', 'return', 'repair', 'scrap')),
    CONSTRAINT equipment_requests_status_valid CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),
    CONSTRAINT equipment_requests_reason_length CHECK (char_length(btrim(reason)) BETWEEN 1 AND 2000),
    CONSTRAINT equipment_requests_borrow_has_period CHECK (
        kind <> 'borrow' OR (period_start IS NOT NULL AND period_end IS NOT NULL)),
    CONSTRAINT equipment_requests_period_ordered CHECK (
        period_start IS NULL OR period_end IS NULL OR period_end >= period_start),
    -- A decided request names who decided and when; an undecided one names nobody.
    CONSTRAINT equipment_requests_decision_complete CHECK (
        (status IN ('approved', 'rejected')) = (approver_id IS NOT NULL AND decided_at IS NOT NULL)),
    CONSTRAINT equipment_requests_no_self_approval CHECK (approver_id IS NULL OR approver_id <> applicant_id),
    CONSTRAINT equipment_requests_version_positive CHECK (version >= 1)
);
CREATE TRIGGER equipment_requests_updated_at BEFORE UPDATE ON equipment_requests
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Approval queue: a leader's pending requests, oldest first.
CREATE INDEX equipment_requests_pending_idx ON equipment_requests (department_id, created_at, id)
    WHERE status = 'pending';
CREATE INDEX equipment_requests_applicant_idx ON equipment_requests (applicant_id, created_at DESC, id DESC);
CREATE INDEX equipment_requests_equipment_idx ON equipment_requests (equipment_id, created_at DESC, id DESC);

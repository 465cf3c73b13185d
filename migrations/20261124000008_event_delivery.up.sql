-- A row the broker refused (unroutable, nacked) waits before its next try,
-- so one bad event cannot make the relay spin; delayed events name their tier.
ALTER TABLE outbox
    ADD COLUMN next_attempt_at TIMESTAMPTZ,
    ADD COLUMN delay_tier TEXT;

-- Why a consumer last failed on a message: the dead-letter page shows it
-- beside the broker's x-death header.
CREATE TABLE message_failures (
    consumer    TEXT NOT NULL,
    message_id  UUID NOT NULL,
    error       TEXT NOT NULL,
    failures    INTEGER NOT NULL DEFAULT 1,
    failed_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);

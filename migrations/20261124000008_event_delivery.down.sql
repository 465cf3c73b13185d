DROP TABLE message_failures;
ALTER TABLE outbox DROP COLUMN delay_tier, DROP COLUMN next_attempt_at;

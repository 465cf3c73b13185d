-- Events written in the same transaction as the change they describe, then relayed to RabbitMQ.
CREATE TABLE outbox (
    -- The event id doubles as the AMQP message id, so consumers can deduplicate.
    id              UUID PRIMARY KEY,
    aggregate_type  TEXT NOT NULL,
    aggregate_id    BIGINT NOT NULL,
    routing_key     TEXT NOT NULL,
    payload         JSONB NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at    TIMESTAMPTZ,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    CONSTRAINT outbox_routing_key_format CHECK (routing_key ~ '^[a-z_]+(\.[a-z_]+)+$'),
    CONSTRAINT outbox_attempts_not_negative CHECK (attempts >= 0)
);
CREATE INDEX outbox_unpublished_idx ON outbox (created_at, id) WHERE published_at IS NULL;

-- Wakes the relay as soon as an event commits (NOTIFY is delivered on commit only).
CREATE FUNCTION outbox_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox_new', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER outbox_notify_after_insert AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Consumer idempotency: a message id is processed at most once per consumer.
CREATE TABLE processed_messages (
    consumer      TEXT NOT NULL,
    message_id    UUID NOT NULL,
    processed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);

-- The inbox: what a user is told, replayed to a reconnecting browser by id.
CREATE TABLE notifications (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    event_id    UUID NOT NULL,
    kind        TEXT NOT NULL,
    request_id  BIGINT REFERENCES equipment_requests (id) ON DELETE CASCADE,
    payload     JSONB NOT NULL DEFAULT '{}'::jsonb,
    read_at     TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT notifications_event_user_key UNIQUE (event_id, user_id),
    CONSTRAINT notifications_kind_format CHECK (kind ~ '^[a-z_]+(\.[a-z_]+)*$')
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;

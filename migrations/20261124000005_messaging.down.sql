DROP TABLE IF EXISTS notifications;
DROP TABLE IF EXISTS processed_messages;
DROP TABLE IF EXISTS outbox;
DROP FUNCTION IF EXISTS outbox_notify();

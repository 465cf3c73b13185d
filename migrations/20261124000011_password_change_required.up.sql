-- A password someone else set (a new account's, a reset one) is temporary: its
-- holder must choose their own before doing anything else.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT false;

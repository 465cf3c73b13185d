-- Departments form a tree; a leader leads their own department and its descendants.
CREATE TABLE departments (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id   BIGINT REFERENCES departments (id) ON DELETE RESTRICT,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT departments_code_key UNIQUE (code),
    CONSTRAINT departments_code_format CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
    CONSTRAINT departments_name_length CHECK (char_length(btrim(name)) BETWEEN 1 AND 100),
    CONSTRAINT departments_not_own_parent CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX departments_parent_idx ON departments (parent_id);
CREATE TRIGGER departments_updated_at BEFORE UPDATE ON departments
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE users (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username        TEXT NOT NULL,
    display_name    TEXT NOT NULL,
    phone           TEXT,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL DEFAULT 'user',
    department_id   BIGINT NOT NULL REFERENCES departments (id) ON DELETE RESTRICT,
    status          TEXT NOT NULL DEFAULT 'active',
    -- Bumped when the user is disabled, demoted or changes password:
    -- every session that recorded an older epoch is refused.
    session_epoch   BIGINT NOT NULL DEFAULT 0,
    last_login_at   TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT users_username_key UNIQUE (username),
    CONSTRAINT users_phone_key UNIQUE (phone),
    CONSTRAINT users_username_format CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,31}$'),
    CONSTRAINT users_display_name_length CHECK (char_length(btrim(display_name)) BETWEEN 1 AND 64),
    CONSTRAINT users_phone_format CHECK (phone IS NULL OR phone ~ '^\+?[0-9]{6,15}$'),
    CONSTRAINT users_password_hash_argon2 CHECK (password_hash LIKE '$argon2id$%'),
    CONSTRAINT users_role_valid CHECK (role IN ('user', 'leader', 'admin')),
    CONSTRAINT users_status_valid CHECK (status IN ('active', 'disabled')),
    CONSTRAINT users_session_epoch_positive CHECK (session_epoch >= 0)
);
CREATE INDEX users_department_idx ON users (department_id, display_name);
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

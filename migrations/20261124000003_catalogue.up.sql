CREATE TABLE equipment_categories (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT equipment_categories_code_key UNIQUE (code),
    CONSTRAINT equipment_categories_name_key UNIQUE (name),
    CONSTRAINT equipment_categories_code_format CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
    CONSTRAINT equipment_categories_name_length CHECK (char_length(btrim(name)) BETWEEN 1 AND 100)
);
CREATE TRIGGER equipment_categories_updated_at BEFORE UPDATE ON equipment_categories
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE equipment (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    asset_code            TEXT NOT NULL,
    name                  TEXT NOT NULL,
    model                 TEXT NOT NULL DEFAULT '',
    serial_number         TEXT,
    category_id           BIGINT NOT NULL REFERENCES equipment_categories (id) ON DELETE RESTRICT,
    department_id         BIGINT NOT NULL REFERENCES departments (id) ON DELETE RESTRICT,
    location              TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL DEFAULT 'available',
    holder_id             BIGINT REFERENCES users (id) ON DELETE RESTRICT,
    purchase_date         DATE,
    -- Money in the smallest unit (fen) as an integer: exact, and no decimal crate needed.
    purchase_price_cents  BIGINT,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Optimistic concurrency: writers compare and bump it.
    version               INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT equipment_asset_code_key UNIQUE (asset_code),
    CONSTRAINT equipment_asset_code_format CHECK (asset_code ~ '^[A-Za-z0-9_-]{1,40}$'),
    CONSTRAINT equipment_name_length CHECK (char_length(btrim(name)) BETWEEN 1 AND 200),
    CONSTRAINT equipment_status_valid CHECK (status IN ('available', 'in_use', 'under_repair', 'scrapped')),
    -- Exactly the items in use have a holder.
    CONSTRAINT equipment_holder_iff_in_use CHECK ((status = 'in_use') = (holder_id IS NOT NULL)),
    CONSTRAINT equipment_price_not_negative CHECK (purchase_price_cents IS NULL OR purchase_price_cents >= 0),
    CONSTRAINT equipment_version_positive CHECK (version >= 1)
);
CREATE TRIGGER equipment_updated_at BEFORE UPDATE ON equipment
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- The list is ordered newest first with id as tie-breaker, and shows only these columns:
-- with them in the index, page 1 and keyset page 10,000 are both Index Only Scans.
CREATE INDEX equipment_list_covering_idx ON equipment (created_at DESC, id DESC)
    INCLUDE (asset_code, name, model, status, category_id, department_id, location, holder_id);
CREATE INDEX equipment_holder_idx ON equipment (holder_id) WHERE holder_id IS NOT NULL;
CREATE INDEX equipment_category_idx ON equipment (category_id);
CREATE INDEX equipment_department_idx ON equipment (department_id);

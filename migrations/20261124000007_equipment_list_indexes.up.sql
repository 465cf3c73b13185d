-- Filtered lists keep newest-first order inside each filter value: one covering
-- index per main filter, so a filtered page (first, numbered or keyset) is an
-- index range scan without a sort. They supersede the plain FK indexes.
CREATE INDEX equipment_status_list_idx ON equipment (status, created_at DESC, id DESC)
    INCLUDE (asset_code, name, model, category_id, department_id, location, holder_id);
CREATE INDEX equipment_category_list_idx ON equipment (category_id, created_at DESC, id DESC)
    INCLUDE (asset_code, name, model, status, department_id, location, holder_id);
CREATE INDEX equipment_department_list_idx ON equipment (department_id, created_at DESC, id DESC)
    INCLUDE (asset_code, name, model, status, category_id, location, holder_id);
DROP INDEX equipment_category_idx;
DROP INDEX equipment_department_idx;

-- Keyword search (asset code or name, substring) through trigram indexes.
CREATE INDEX equipment_asset_code_trgm_idx ON equipment USING gin (asset_code gin_trgm_ops);
CREATE INDEX equipment_name_trgm_idx ON equipment USING gin (name gin_trgm_ops);

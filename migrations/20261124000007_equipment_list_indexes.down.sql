DROP INDEX IF EXISTS equipment_name_trgm_idx;
DROP INDEX IF EXISTS equipment_asset_code_trgm_idx;
CREATE INDEX IF NOT EXISTS equipment_department_idx ON equipment (department_id);
CREATE INDEX IF NOT EXISTS equipment_category_idx ON equipment (category_id);
DROP INDEX IF EXISTS equipment_department_list_idx;
DROP INDEX IF EXISTS equipment_category_list_idx;
DROP INDEX IF EXISTS equipment_status_list_idx;

DROP TABLE IF EXISTS equipment;
DROP TABLE IF EXISTS equipment_categories;

DROP TABLE IF EXISTS equipment_requests;

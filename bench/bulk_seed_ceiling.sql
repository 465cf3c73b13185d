-- The ceiling for `equipflow seed --equipment 200000`: the same set-based INSERT the
-- seeder sends, as one statement typed straight into psql (no application at all).
WITH cats AS (SELECT array_agg(id ORDER BY id) AS ids FROM equipment_categories),
     deps AS (SELECT array_agg(id ORDER BY id) AS ids FROM departments)
INSERT INTO equipment (asset_code, name, model, serial_number, category_id, department_id,
                       location, status, purchase_date, purchase_price_cents, created_at)
SELECT 'CEIL-' || :'tag' || '-' || g,
       (ARRAY['Laptop','Monitor','Server','Switch','Oscilloscope','Projector','Printer','Camera'])[1 + g % 8]
         || ' ' || (g % 997),
       'M-' || (g % 211),
       'SN' || :'tag' || g,
       cats.ids[1 + g % array_length(cats.ids, 1)],
       deps.ids[1 + (g / 7) % array_length(deps.ids, 1)],
       'Building ' || (1 + g % 9) || ' / Room ' || (100 + g % 400),
       CASE WHEN g % 40 = 0 THEN 'under_repair' WHEN g % 97 = 0 THEN 'scrapped' ELSE 'available' END,
       DATE '2018-01-01' + (g % 2900)::int,
       50000 + (g % 1000) * 1000,
       now() - make_interval(secs => (g / 3) * 30)
FROM generate_series(0, 199999) AS g, cats, deps;
VACUUM (ANALYZE) equipment;

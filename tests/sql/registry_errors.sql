-- The full text of the registry's errors, as a provincial system's operator sees them:
-- message naming the unit and field, detail and hint (tests/pgtap/registry_rules.sql asserts
-- the SQLSTATE of each).
\set VERBOSITY default
\set SHOW_CONTEXT never
SET DateStyle = 'SQL, DMY';  -- messages use ISO dates whatever the session's style

INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES ('province', 'thanh_pho', '01', 'Thành phố Hà Nội', '2008-08-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
     SELECT 'commune', 'phuong', '00004', 'Phường Ba Đình', unit_id, '2025-07-01' FROM antq.unit WHERE code = '01';

-- malformed codes
INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES ('province', 'tinh', '101', 'Tỉnh X', '2020-01-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
     SELECT 'commune', 'xa', '4', 'Xã Y', unit_id, '2025-07-01' FROM antq.unit WHERE code = '01';
-- a residential area under a province
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
     SELECT 'residential_area', 'thon', 'T-1', 'Thôn 1', unit_id, '2025-07-01' FROM antq.unit WHERE code = '01';
-- a child starting before its parent
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
     SELECT 'residential_area', 'to_dan_pho', '00004-TDP01', 'Tổ dân phố 1', unit_id, '2024-01-01' FROM antq.unit WHERE code = '00004';
-- a code reused after its unit was closed
UPDATE antq.unit SET valid_to = '2026-01-01' WHERE code = '00004';
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
     SELECT 'commune', 'phuong', '00004', 'Phường Mới', unit_id, '2027-01-01' FROM antq.unit WHERE code = '01';
-- a merger into a closed unit
SELECT antq.merge_units((SELECT unit_id FROM antq.unit WHERE code = '00004'), '{}', '2026-06-01');

-- of all the above only the closure of 00004 was stored
SELECT kind, code, name, valid_from, valid_to FROM antq.unit ORDER BY code;

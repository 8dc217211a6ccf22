-- Registry rules: every rejection has its SQLSTATE and a message naming the unit and field,
-- and leaves what is stored unchanged.
BEGIN;
SELECT plan(38);

INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES
    ('province', 'thanh_pho', '01', 'Thành phố Hà Nội', '2008-08-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES
    ('district', 'quan', '001', 'Quận Ba Đình', (antq.unit_at('01', '2020-01-01')).unit_id, '2008-08-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from, valid_to) VALUES
    ('commune', 'phuong', '00001', 'Phường Phúc Xá', (antq.unit_at('001', '2020-01-01')).unit_id, '2008-08-01', '2025-07-01'),
    ('commune', 'phuong', '00004', 'Phường Trúc Bạch', (antq.unit_at('001', '2020-01-01')).unit_id, '2008-08-01', NULL);
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES
    ('residential_area', 'to_dan_pho', '00004-TDP01', 'Tổ dân phố 1', (antq.unit_at('00004', '2020-01-01')).unit_id, '2010-01-01');

CREATE TEMP TABLE before AS SELECT * FROM antq.unit;
CREATE FUNCTION pg_temp.unchanged() RETURNS boolean LANGUAGE sql AS $$
  SELECT NOT EXISTS ((SELECT * FROM antq.unit EXCEPT SELECT * FROM before) UNION ALL (SELECT * FROM before EXCEPT SELECT * FROM antq.unit)) $$;

-- derived province
SELECT is((SELECT province_code FROM antq.unit WHERE code = '00004-TDP01'), '01', 'a residential area derives its province through its commune and district');
SELECT is((SELECT province_id FROM antq.unit WHERE code = '01'), (SELECT unit_id FROM antq.unit WHERE code = '01'), 'a province is its own province');

-- malformed codes, one per administrative level
SELECT throws_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES ('province', 'tinh', '1', 'Tỉnh X', '2020-01-01')$$,
    '23514', 'malformed code "1" for unit province 1 "Tỉnh X"', 'a one-digit province code is rejected');
SELECT throws_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES ('district', 'huyen', '01A', 'Huyện X', 1, '2020-01-01')$$,
    '23514', 'malformed code "01A" for unit district 01A "Huyện X"', 'a district code with a letter is rejected');
SELECT throws_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES ('commune', 'xa', '0004', 'Xã X', (antq.unit_at('001')).unit_id, '2020-01-01')$$,
    '23514', 'malformed code "0004" for unit commune 0004 "Xã X"', 'a four-digit commune code is rejected');
SELECT throws_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES ('residential_area', 'thon', '12345', 'Thôn X', (antq.unit_at('00004')).unit_id, '2020-01-01')$$,
    '23514', 'malformed code "12345" for unit residential_area 12345 "Thôn X"', 'an all-digit code is reserved for administrative units');
SELECT is((SELECT hint FROM (SELECT (antq.code_rule('commune')).hint) h), 'A commune code has exactly 5 digits (Decision 124/2004/QĐ-TTg), e.g. 00004.', 'the hint says what a commune code looks like');

-- kinds and sub-kinds
SELECT throws_ok($$INSERT INTO antq.unit (kind, code, name, valid_from) VALUES ('village', 'V1', 'Làng', '2020-01-01')$$,
    '23514', 'unknown kind "village" for unit village V1 "Làng"', 'an unknown kind is rejected');
SELECT throws_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES ('commune', 'village', '00007', 'Xã Y', (antq.unit_at('001')).unit_id, '2020-01-01')$$,
    '23514', 'unknown sub_kind "village" for unit commune 00007 "Xã Y"', 'an unknown commune sub-kind is rejected');
SELECT throws_ok($$INSERT INTO antq.unit (kind, code, name, parent_id, valid_from) VALUES ('commune', '00007', 'Xã Y', (antq.unit_at('001')).unit_id, '2020-01-01')$$,
    '23502', 'unit commune 00007 "Xã Y" has no sub_kind', 'a commune needs its sub-kind (xã, phường, thị trấn, đặc khu)');
SELECT throws_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, managed_by, valid_from) VALUES ('school', 'primary', 'TH-PX', 'Trường Tiểu học Phúc Xá', (antq.unit_at('00004')).unit_id, (antq.unit_at('001')).unit_id, '2020-01-01')$$,
    '23514', 'unit school TH-PX "Trường Tiểu học Phúc Xá" is a primary school, which is not assessed', 'primary schools are not assessed');

-- parent kinds
SELECT throws_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES ('residential_area', 'thon', 'T-1', 'Thôn 1', (antq.unit_at('001')).unit_id, '2020-01-01')$$,
    '23514', 'unit residential_area T-1 "Thôn 1" cannot lie in district 001 "Quận Ba Đình"', 'a residential area whose parent is a district is rejected');
SELECT throws_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES ('residential_area', 'thon', 'T-1', 'Thôn 1', (antq.unit_at('00004-TDP01')).unit_id, '2020-01-01')$$,
    '23514', 'unit residential_area T-1 "Thôn 1" cannot lie in residential_area 00004-TDP01 "Tổ dân phố 1"', 'a residential area whose parent is a residential area is rejected');
SELECT throws_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES ('commune', 'xa', '00007', 'Xã Y', '2020-01-01')$$,
    '23502', 'unit commune 00007 "Xã Y" has no parent', 'a commune without a parent is rejected');
SELECT throws_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES ('province', 'tinh', '02', 'Tỉnh Z', (antq.unit_at('01')).unit_id, '2020-01-01')$$,
    '23514', 'unit province 02 "Tỉnh Z" cannot have a parent', 'a province under a province is rejected');

-- cycles
SELECT throws_ok($$UPDATE antq.unit SET parent_id = unit_id WHERE code = '00004'$$,
    '23514', 'unit commune 00004 "Phường Trúc Bạch" would be its own ancestor', 'a unit cannot be its own parent');
SELECT throws_ok($$UPDATE antq.unit SET parent_id = (antq.unit_at('00004-TDP01')).unit_id WHERE code = '00004'$$,
    '23514', 'unit commune 00004 "Phường Trúc Bạch" would be its own ancestor', 'a unit cannot lie under its own descendant');

-- validity within the parent
SELECT throws_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES ('residential_area', 'to_dan_pho', '00001-TDP01', 'Tổ dân phố 1', (antq.unit_at('00001', '2020-01-01')).unit_id, '2020-01-01')$$,
    '23514', 'unit residential_area 00001-TDP01 "Tổ dân phố 1" is valid from 2020-01-01 to (open) outside its parent commune 00001 "Phường Phúc Xá", valid from 2008-08-01 to 2025-07-01',
    'a child valid after its parent closes is rejected');
SELECT throws_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES ('residential_area', 'to_dan_pho', '00004-TDP02', 'Tổ dân phố 2', (antq.unit_at('00004')).unit_id, '2000-01-01')$$,
    '23514', 'unit residential_area 00004-TDP02 "Tổ dân phố 2" is valid from 2000-01-01 to (open) outside its parent commune 00004 "Phường Trúc Bạch", valid from 2008-08-01 to (open)',
    'a child valid before its parent starts is rejected');
SELECT throws_ok($$UPDATE antq.unit SET valid_to = '2024-01-01' WHERE code = '00004'$$,
    '23514', 'cannot make commune 00004 "Phường Trúc Bạch" valid from 2008-08-01 to 2024-01-01: residential_area 00004-TDP01 "Tổ dân phố 1" under it is valid from 2010-01-01 to (open)',
    'closing a parent while a child is still open is rejected');
SELECT throws_ok($$UPDATE antq.unit SET valid_to = '2000-01-01' WHERE code = '00004'$$,
    '23514', NULL, 'a version that ends before it starts is rejected');

-- codes are permanent and never reused
SELECT throws_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES ('commune', 'phuong', '00001', 'Phường Mới', (antq.unit_at('001')).unit_id, '2026-01-01')$$,
    '23505', 'code 00001 was closed on 2025-07-01 (commune 00001 "Phường Phúc Xá") and cannot be reused by unit commune 00001 "Phường Mới"',
    'the code of a closed commune cannot be reused after a gap');
SELECT throws_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES ('commune', 'phuong', '00004', 'Phường Trúc Bạch 2', (antq.unit_at('001')).unit_id, '2020-01-01')$$,
    '23505', 'unit commune 00004 "Phường Trúc Bạch 2" overlaps another version of code 00004, valid from 2008-08-01 to (open)',
    'two versions of one code cannot overlap');
SELECT throws_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from, valid_to) VALUES ('district', 'quan', '001', 'Quận X', (antq.unit_at('01')).unit_id, '2008-08-01', '2010-01-01')$$,
    '23505', NULL, 'an earlier version of an open code must not overlap it');
SELECT throws_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, managed_by, valid_from) VALUES ('agency', NULL, '00004-TDP01', 'Cơ quan X', (antq.unit_at('00004')).unit_id, (antq.unit_at('00004')).unit_id, '2020-01-01')$$,
    '23505', NULL, 'a code belongs to one kind of unit');
SELECT throws_ok($$UPDATE antq.unit SET code = '00009' WHERE code = '00004'$$,
    '23514', 'the code and kind of commune 00004 "Phường Trúc Bạch" are permanent', 'a code cannot be changed');

-- managing authority
SELECT throws_ok($$INSERT INTO antq.unit (kind, code, name, parent_id, valid_from) VALUES ('enterprise', 'DN-1', 'Công ty X', (antq.unit_at('00004')).unit_id, '2020-01-01')$$,
    '23502', 'unit enterprise DN-1 "Công ty X" has no managing authority', 'an enterprise needs a managing authority');
SELECT throws_ok($$INSERT INTO antq.unit (kind, code, name, parent_id, managed_by, valid_from) VALUES ('enterprise', 'DN-1', 'Công ty X', (antq.unit_at('00004')).unit_id, (antq.unit_at('00004-TDP01')).unit_id, '2020-01-01')$$,
    '23514', 'unit enterprise DN-1 "Công ty X" is managed by residential_area 00004-TDP01 "Tổ dân phố 1", which is not a commune, district or province', 'a residential area cannot manage an enterprise');
SELECT lives_ok($$INSERT INTO antq.unit (kind, code, name, parent_id, management_level, valid_from) VALUES ('agency', 'BO-1', 'Cục X', (antq.unit_at('00004')).unit_id, 'ministry', '2020-01-01')$$,
    'an agency may be managed at ministry level');
SELECT is((SELECT management_level FROM antq.unit WHERE code = 'BO-1'), 'ministry', 'its management level is kept');
SELECT throws_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, managed_by, valid_from) VALUES ('residential_area', 'thon', 'T-9', 'Thôn 9', (antq.unit_at('00004')).unit_id, (antq.unit_at('00004')).unit_id, '2020-01-01')$$,
    '23514', 'unit residential_area T-9 "Thôn 9" is a residential_area, which has no managing authority', 'only agencies, enterprises and schools have a managing authority');
DELETE FROM antq.unit WHERE code = 'BO-1';

-- lineage: merging into a closed unit
SELECT throws_ok($$INSERT INTO antq.unit_lineage (predecessor_id, successor_id, event, effective_date) VALUES ((antq.unit_at('00004')).unit_id, (antq.unit_at('00001', '2020-01-01')).unit_id, 'merge', '2025-07-01')$$,
    '23514', 'cannot merge commune 00004 "Phường Trúc Bạch" into commune 00001 "Phường Phúc Xá", which is not in force on 2025-07-01', 'a merger into a closed unit is rejected');
SELECT throws_ok($$SELECT antq.merge_units((antq.unit_at('00001', '2020-01-01')).unit_id, ARRAY[(antq.unit_at('00004')).unit_id], '2026-01-01')$$,
    '23514', 'cannot merge into commune 00001 "Phường Phúc Xá", which is not in force on 2026-01-01', 'merge_units refuses a closed target');
SELECT throws_ok($$INSERT INTO antq.unit_lineage (predecessor_id, successor_id, event, effective_date) VALUES ((antq.unit_at('00004')).unit_id, (antq.unit_at('001')).unit_id, 'merge', '2025-07-01')$$,
    '23514', 'unit commune 00004 "Phường Trúc Bạch" cannot be succeeded by district 001 "Quận Ba Đình"', 'lineage links units of one kind');
SELECT throws_ok($$INSERT INTO antq.unit_lineage (predecessor_id, successor_id, event, effective_date) VALUES ((antq.unit_at('00001', '2020-01-01')).unit_id, (antq.unit_at('00004')).unit_id, 'continue', '2025-07-01')$$,
    '23514', 'lineage event continue does not fit commune 00001 "Phường Phúc Xá" and commune 00004 "Phường Trúc Bạch"', 'continue is only for the same code');
SELECT throws_ok($$INSERT INTO antq.unit_lineage (predecessor_id, successor_id, event, effective_date) VALUES ((antq.unit_at('00001', '2020-01-01')).unit_id, (antq.unit_at('00004')).unit_id, 'merge', '2024-01-01')$$,
    '23514', 'unit commune 00001 "Phường Phúc Xá" must end on 2024-01-01 to be merged or continued then', 'the predecessor must end on the effective date');

SELECT ok(pg_temp.unchanged(), 'every rejected statement left the registry unchanged');
SELECT is((SELECT count(*) FROM antq.unit_lineage), 0::bigint, 'no lineage row was stored by the rejected statements');

SELECT * FROM finish();
ROLLBACK;

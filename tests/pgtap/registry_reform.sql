-- The 1 July 2025 reform on a pre-2025 province with districts: Hà Giang (02) merges into
-- Tuyên Quang (08), its districts are abolished, its wards merge. Both the history and the
-- new tree must answer correctly.
BEGIN;
SELECT plan(22);

INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES
    ('province', 'tinh', '02', 'Tỉnh Hà Giang', '1991-10-01'),
    ('province', 'tinh', '08', 'Tỉnh Tuyên Quang', '1991-10-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES
    ('district', 'thanh_pho', '024', 'Thành phố Hà Giang', (antq.unit_at('02', '2020-01-01')).unit_id, '2010-09-27'),
    ('district', 'huyen', '026', 'Huyện Đồng Văn', (antq.unit_at('02', '2020-01-01')).unit_id, '1991-10-01'),
    ('district', 'thanh_pho', '070', 'Thành phố Tuyên Quang', (antq.unit_at('08', '2020-01-01')).unit_id, '2010-07-02');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES
    ('commune', 'phuong', '00688', 'Phường Quang Trung', (antq.unit_at('024', '2020-01-01')).unit_id, '2010-09-27'),
    ('commune', 'phuong', '00691', 'Phường Trần Phú', (antq.unit_at('024', '2020-01-01')).unit_id, '2010-09-27'),
    ('commune', 'phuong', '00694', 'Phường Nguyễn Trãi', (antq.unit_at('024', '2020-01-01')).unit_id, '2010-09-27'),
    ('commune', 'xa', '00715', 'Xã Lũng Cú', (antq.unit_at('026', '2020-01-01')).unit_id, '1991-10-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES
    ('residential_area', 'to_dan_pho', '00688-TDP1', 'Tổ dân phố 1', (antq.unit_at('00688', '2020-01-01')).unit_id, '2015-01-01'),
    ('residential_area', 'to_dan_pho', '00691-TDP1', 'Tổ dân phố 1', (antq.unit_at('00691', '2020-01-01')).unit_id, '2015-01-01'),
    ('residential_area', 'thon', '00715-LLC', 'Thôn Lô Lô Chải', (antq.unit_at('00715', '2020-01-01')).unit_id, '2015-01-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, managed_by, valid_from) VALUES
    ('school', 'upper_secondary', 'THPT-CHG', 'Trường THPT Chuyên Hà Giang', (antq.unit_at('00688', '2020-01-01')).unit_id,
     (antq.unit_at('02', '2020-01-01')).unit_id, '2015-01-01');

SELECT set_eq($$SELECT code FROM antq.units_under('02', '2025-06-30')$$,
    ARRAY['024', '026', '00688', '00691', '00694', '00715', '00688-TDP1', '00691-TDP1', '00715-LLC', 'THPT-CHG'],
    'before the reform: Hà Giang holds its districts, wards, residential areas and school');

-- The reform, in the order a province performs it: communes first, then districts, then the province.
SELECT isnt(antq.merge_units((antq.unit_at('00691', '2025-06-30')).unit_id, ARRAY[(antq.unit_at('00688', '2025-06-30')).unit_id],
                             '2025-07-01', (antq.unit_at('08', '2025-07-01')).unit_id, 'Phường Hà Giang 2', NULL,
                             'Nghị quyết 1656/NQ-UBTVQH15'), NULL::bigint, 'Quang Trung and Trần Phú merge into Phường Hà Giang 2 (code 00691)');
SELECT isnt(antq.reorganize((antq.unit_at('00694', '2025-06-30')).unit_id, '2025-07-01', (antq.unit_at('08', '2025-07-01')).unit_id,
                            'Phường Hà Giang 1'), NULL::bigint, 'Nguyễn Trãi becomes Phường Hà Giang 1 (code 00694)');
SELECT isnt(antq.reorganize((antq.unit_at('00715', '2025-06-30')).unit_id, '2025-07-01', (antq.unit_at('08', '2025-07-01')).unit_id),
            NULL::bigint, 'Lũng Cú stays a xã, now directly under the province');
SELECT throws_ok($$UPDATE antq.unit SET valid_to = '2025-07-01' WHERE code = '02' AND valid_to IS NULL$$, '23514',
    'cannot make province 02 "Tỉnh Hà Giang" valid from 1991-10-01 to 2025-07-01: district 024 "Thành phố Hà Giang" under it is valid from 2010-09-27 to (open)',
    'the province cannot close while its districts are open');
UPDATE antq.unit SET valid_to = '2025-07-01' WHERE kind = 'district' AND valid_to IS NULL;
SELECT throws_ok($$UPDATE antq.unit SET valid_to = '2025-07-01' WHERE code = '02' AND valid_to IS NULL$$, '23514',
    'cannot make province 02 "Tỉnh Hà Giang" valid from 1991-10-01 to 2025-07-01: school THPT-CHG "Trường THPT Chuyên Hà Giang" under it is valid from 2025-07-01 to (open)',
    'nor while it still manages a school');
UPDATE antq.unit SET managed_by = (antq.unit_at('08', '2025-07-01')).unit_id WHERE code = 'THPT-CHG' AND valid_to IS NULL;
UPDATE antq.unit SET valid_to = '2025-07-01' WHERE code = '02';
INSERT INTO antq.unit_lineage (predecessor_id, successor_id, event, effective_date, legal_basis)
VALUES ((antq.unit_at('02', '2025-06-30')).unit_id, (antq.unit_at('08', '2025-07-01')).unit_id, 'merge', '2025-07-01', 'Nghị quyết 202/2025/QH15');

-- History still answers as it was.
SELECT set_eq($$SELECT code FROM antq.units_under('02', '2025-06-30')$$,
    ARRAY['024', '026', '00688', '00691', '00694', '00715', '00688-TDP1', '00691-TDP1', '00715-LLC', 'THPT-CHG'],
    'history: on 30 June 2025 Hà Giang still holds everything it held');
SELECT set_eq($$SELECT code FROM antq.units_under('024', '2024-12-31') WHERE kind = 'commune'$$,
    ARRAY['00688', '00691', '00694'], 'history: the city of Hà Giang had three wards');
SELECT is((SELECT name FROM antq.unit_at('00691', '2025-06-30')), 'Phường Trần Phú', 'history: 00691 was Phường Trần Phú');
SELECT is((SELECT province_code FROM antq.unit_at('00715-LLC', '2025-06-30')), '02', 'history: Lô Lô Chải belonged to province 02');
SELECT is((SELECT count(*) FROM antq.units_under('02', '2025-07-01')), 0::bigint, 'Hà Giang has no units from 1 July 2025');
SELECT is(antq.unit_at('02', '2025-07-01'), NULL::antq.unit, 'and is itself no longer in force');

-- The new tree.
SELECT set_eq($$SELECT code FROM antq.units_under('08', '2025-07-01')$$,
    ARRAY['00691', '00694', '00715', '00688-TDP1', '00691-TDP1', '00715-LLC', 'THPT-CHG'],
    'new tree: Tuyên Quang holds the new wards, the xã and everything under them, and no district');
SELECT set_eq($$SELECT code FROM antq.units_under('08', '2025-06-30') WHERE kind = 'district'$$, ARRAY['070']::text[],
    'history: on 30 June 2025 Tuyên Quang still had its district 070');
SELECT is((SELECT count(*) FROM antq.unit WHERE kind = 'district' AND valid_to IS NULL), 0::bigint, 'every district is closed from 1 July 2025');
SELECT set_eq($$SELECT code FROM antq.units_under('00691', '2025-07-01')$$, ARRAY['00688-TDP1', '00691-TDP1', 'THPT-CHG'],
    'Phường Hà Giang 2 holds the residential areas and the school of both merged wards');
SELECT is((SELECT p.code FROM antq.unit c JOIN antq.unit p ON p.unit_id = c.parent_id WHERE c.code = '00715' AND c.valid_to IS NULL), '08',
    'Lũng Cú lies directly in the province');
SELECT is((SELECT province_code FROM antq.unit_at('00715-LLC', '2025-07-01')), '08', 'Lô Lô Chải now belongs to province 08');
SELECT throws_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES ('commune', 'xa', '00688', 'Xã Mới', (antq.unit_at('08', '2026-01-01')).unit_id, '2026-01-01')$$,
    '23505', NULL, 'the code of the absorbed ward 00688 is never reused');

-- Predecessors.
SELECT set_eq($$SELECT code || ':' || event FROM antq.predecessors((antq.unit_at('00691', '2025-07-01')).unit_id)$$,
    ARRAY['00688:merge', '00691:continue'], 'Phường Hà Giang 2 grew out of Quang Trung (merged) and Trần Phú (continued)');
SELECT set_eq($$SELECT code || ':' || event FROM antq.predecessors((antq.unit_at('00688-TDP1', '2025-07-01')).unit_id)$$,
    ARRAY['00688-TDP1:continue'], 'a residential area carried over keeps its code and links to its old version');
SELECT set_eq($$SELECT code FROM antq.successors((antq.unit_at('02', '2025-06-30')).unit_id)$$, ARRAY['08'],
    'Hà Giang''s successor is Tuyên Quang');

SELECT * FROM finish();
ROLLBACK;

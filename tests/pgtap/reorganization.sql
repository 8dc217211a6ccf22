-- A reorganization in one call (antq.apply_reorganization): the 1 July 2025 reform of Hà Giang
-- (02) into Tuyên Quang (08) — its districts abolished, two wards merged, the units they
-- managed placed — as one plan keyed by code; every blocker of a bad plan listed at once with
-- nothing changed.
BEGIN;
SELECT plan(21);

INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES
    ('province', 'tinh', '02', 'Tỉnh Hà Giang', '1991-10-01'),
    ('province', 'tinh', '08', 'Tỉnh Tuyên Quang', '1991-10-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES
    ('district', 'thanh_pho', '024', 'Thành phố Hà Giang', (antq.unit_at('02', '2020-01-01')).unit_id, '2010-09-27'),
    ('district', 'huyen', '026', 'Huyện Đồng Văn', (antq.unit_at('02', '2020-01-01')).unit_id, '1991-10-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES
    ('commune', 'phuong', '00688', 'Phường Quang Trung', (antq.unit_at('024', '2020-01-01')).unit_id, '2010-09-27'),
    ('commune', 'phuong', '00691', 'Phường Trần Phú', (antq.unit_at('024', '2020-01-01')).unit_id, '2010-09-27'),
    ('commune', 'xa', '00715', 'Xã Lũng Cú', (antq.unit_at('026', '2020-01-01')).unit_id, '1991-10-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES
    ('residential_area', 'to_dan_pho', '00688-TDP1', 'Tổ dân phố 1', (antq.unit_at('00688', '2020-01-01')).unit_id, '2015-01-01'),
    ('residential_area', 'to_dan_pho', '00691-TDP1', 'Tổ dân phố 1', (antq.unit_at('00691', '2020-01-01')).unit_id, '2015-01-01'),
    ('residential_area', 'thon', '00715-LLC', 'Thôn Lô Lô Chải', (antq.unit_at('00715', '2020-01-01')).unit_id, '2015-01-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, managed_by, valid_from) VALUES
    ('school', 'upper_secondary', 'THPT-CHG', 'Trường THPT Chuyên Hà Giang', (antq.unit_at('00688', '2020-01-01')).unit_id,
     (antq.unit_at('02', '2020-01-01')).unit_id, '2015-01-01'),
    ('agency', NULL, 'UBND-DV', 'Văn phòng HĐND-UBND huyện Đồng Văn', (antq.unit_at('00715', '2020-01-01')).unit_id,
     (antq.unit_at('026', '2020-01-01')).unit_id, '2015-01-01');
CREATE TEMP TABLE before AS SELECT * FROM antq.unit;

-- A bad plan: every blocker in one error, nothing changed.
PREPARE bad AS SELECT * FROM antq.apply_reorganization('2025-07-01', $$[
    {"code": "02", "into": "08"},
    {"code": "024", "close": true},
    {"code": "026", "close": true, "children_to": "08"},
    {"code": "00688", "into": "00699"},
    {"code": "00715", "parent": "08", "colour": "red"},
    {"code": "00715", "name": "Xã Lũng Cú"},
    "00691"
]$$, 'Nghị quyết 202/2025/QH15');
SELECT throws_ok('bad', '22023', 'the reorganization of 2025-07-01 cannot be applied: 6 blocker(s)', 'a bad plan is refused as a whole');
SELECT is(count(*), (SELECT count(*) FROM before), 'nothing of a refused plan was written') FROM antq.unit;
CREATE FUNCTION pg_temp.detail(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
    EXECUTE p_sql;
    RETURN NULL;
EXCEPTION WHEN invalid_parameter_value THEN
    GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
    RETURN d;
END $$;
SELECT is(pg_temp.detail('EXECUTE bad'), concat_ws(E'\n',
    'step 4 (code 00688): it merges into 00699, which is not in force then',
    'step 5 (code 00715) has unknown keys: colour',
    'step 6 (code 00715): the code appears in 2 steps',
    'step 7 is not a JSON object',
    'agency UBND-DV "Văn phòng HĐND-UBND huyện Đồng Văn" is managed by district 026 "Huyện Đồng Văn", which closes on 2025-07-01: give it a step with a "managed_by", or give 026 a "managed_to"',
    'commune 00691 "Phường Trần Phú" lies in district 024 "Thành phố Hà Giang", which closes on 2025-07-01: give it a step with a "parent" (or merge it), or give 024 a "children_to"'),
    'the error lists every blocker: bad targets, unknown keys, duplicates, malformed steps, units left without a parent or a manager');

-- A writer confined to province 08 cannot reach into 02: its units are not there for it.
SET client_min_messages = warning;
CREATE ROLE reorg_w08 LOGIN IN ROLE antq_writer;
CREATE ROLE reorg_w LOGIN IN ROLE antq_writer;
SELECT antq.grant_province('reorg_w08', '08');
SET ROLE reorg_w08;
SELECT is(pg_temp.detail($$SELECT * FROM antq.apply_reorganization('2025-07-01', '[{"code": "02", "into": "08"}]')$$),
          'step 1 (code 02): no unit with this code is in force on 2025-06-30 and after',
          'a confined writer''s plan cannot name a unit of another province');
RESET ROLE;
RESET client_min_messages;

-- The plan as the province writes it. It holds the registry whole, so its versions take no
-- lock of their code each (a province's reform writes more than the lock table holds).
CREATE TEMP TABLE code_locks AS
SELECT count(*) AS n FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'object'
   AND classid = 'antq.pending'::regclass AND objsubid = 32767;
SET ROLE reorg_w;   -- a writer, unconfined
CREATE TEMP TABLE applied AS SELECT * FROM antq.apply_reorganization('2025-07-01', $$[
    {"code": "02", "into": "08"},
    {"code": "024", "close": true, "children_to": "08"},
    {"code": "026", "close": true, "children_to": "08", "managed_to": "00715"},
    {"code": "00688", "into": "00691"},
    {"code": "00691", "name": "Phường Hà Giang 2"}
]$$, 'Nghị quyết 202/2025/QH15');
RESET ROLE;
SELECT is((SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'object'
             AND classid = 'antq.pending'::regclass AND objsubid = 32767) || ' after, ' || (SELECT n FROM code_locks) || ' before',
          '12 after, 12 before', 'the fixture''s 12 inserts took a code lock each; the reorganization''s 10 new versions took none');
SELECT set_eq($$SELECT code, change FROM applied$$,
    $$VALUES ('02', 'merge'), ('08', 'continue'), ('024', 'close'), ('026', 'close'), ('00688', 'merge'), ('00691', 'continue'),
             ('00715', 'continue'), ('00688-TDP1', 'continue'), ('00691-TDP1', 'continue'), ('00715-LLC', 'continue'),
             ('THPT-CHG', 'continue'), ('UBND-DV', 'continue')$$,
    'one row per unit changed, with what happened to it');
SELECT set_eq($$SELECT code FROM antq.units_under('08', '2025-07-01')$$,
    ARRAY['00691', '00715', '00691-TDP1', '00688-TDP1', '00715-LLC', 'THPT-CHG', 'UBND-DV'],
    'from 1 July the merged province holds the wards, the commune and every unit under them');
SELECT set_eq($$SELECT code FROM antq.units_under('02', '2025-06-30')$$,
    ARRAY['024', '026', '00688', '00691', '00715', '00688-TDP1', '00691-TDP1', '00715-LLC', 'THPT-CHG', 'UBND-DV'],
    'the history before 1 July is unchanged');
SELECT is((antq.unit_at('00691', '2025-07-01')).name, 'Phường Hà Giang 2', 'a step renames the unit that carries on');
SELECT is((SELECT p.code FROM antq.unit p WHERE p.unit_id = (antq.unit_at('00688-TDP1', '2025-07-01')).parent_id), '00691',
          'the residential area of the absorbed ward lies in the ward it merged into');
SELECT is((SELECT p.code FROM antq.unit p WHERE p.unit_id = (antq.unit_at('00715', '2025-07-01')).parent_id), '08',
          'the commune of an abolished district lies under the province (children_to)');
SELECT is((antq.unit_at('THPT-CHG', '2025-07-01')).province_code, '08', 'a school of Hà Giang is counted in Tuyên Quang from 1 July');
SELECT is((SELECT m.code || '/' || u.management_level FROM antq.unit u JOIN antq.unit m ON m.unit_id = u.managed_by
            WHERE u.unit_id = (antq.unit_at('UBND-DV', '2025-07-01')).unit_id), '00715/commune',
          'the agency the abolished district managed is managed by the commune its step names (managed_to)');
SELECT is((SELECT m.code FROM antq.unit u JOIN antq.unit m ON m.unit_id = u.managed_by
            WHERE u.unit_id = (antq.unit_at('THPT-CHG', '2025-07-01')).unit_id), '08',
          'the school the merged province managed is managed by the province it merged into');
SELECT is(antq.unit_at('024', '2025-07-01'), NULL, 'an abolished district has no version from 1 July');
SELECT set_eq($$SELECT p.code AS predecessor, s.code AS successor, l.event FROM antq.unit_lineage l JOIN antq.unit p ON p.unit_id = l.predecessor_id
                JOIN antq.unit s ON s.unit_id = l.successor_id WHERE l.effective_date = '2025-07-01' AND p.kind IN ('province', 'commune')$$,
    $$VALUES ('02', '08', 'merge'), ('08', '08', 'continue'), ('00688', '00691', 'merge'), ('00691', '00691', 'continue'),
             ('00715', '00715', 'continue')$$,
    'lineage: merges into the unit that carries on, continue for every unit that goes on');
SELECT is((SELECT count(*) FROM antq.unit_lineage l WHERE l.effective_date = '2025-07-01' AND l.legal_basis = 'Nghị quyết 202/2025/QH15'),
          10::bigint, 'every lineage row carries the legal basis');
SELECT is((SELECT count(*) FROM applied a JOIN antq.unit u ON u.unit_id = a.new_unit_id WHERE u.valid_from = '2025-07-01'),
          10::bigint, 'the new versions returned are the ones in force from 1 July');

-- Applied twice, the second finds nothing in force to change and says so.
SELECT throws_like($$SELECT * FROM antq.apply_reorganization('2025-07-01', '[{"code": "024", "close": true}]')$$,
    '%1 blocker%', 'a district already abolished cannot be abolished again');
SELECT throws_ok($$SELECT * FROM antq.apply_reorganization('2025-07-01', '{"code": "02"}')$$, '22023',
    'a reorganization needs an effective date and its steps as a JSON array', 'steps must be an array');
SELECT is((SELECT count(*) FROM pg_class WHERE relname LIKE 'antq_reorg%' AND relpersistence = 't'), 0::bigint,
          'the working tables are dropped');

SELECT * FROM finish();
ROLLBACK;

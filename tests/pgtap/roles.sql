-- Roles: antq_reader reads, antq_writer writes facts and units, antq_admin edits rules.
BEGIN;
SELECT plan(12);

SELECT has_role('antq_reader', 'role antq_reader exists');
SELECT has_role('antq_writer', 'role antq_writer exists');
SELECT has_role('antq_admin', 'role antq_admin exists');
SELECT ok(pg_has_role('antq_writer', 'antq_reader', 'USAGE'), 'a writer can do what a reader can');
SELECT ok(pg_has_role('antq_admin', 'antq_writer', 'USAGE'), 'an admin can do what a writer can');
SELECT ok(NOT pg_has_role('antq_reader', 'antq_writer', 'USAGE'), 'a reader is not a writer');

INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES ('province', 'tinh', '04', 'Tỉnh Cao Bằng', '1991-10-01');

SET LOCAL ROLE antq_reader;
SELECT is((SELECT name FROM antq.unit WHERE code = '04'), 'Tỉnh Cao Bằng', 'a reader reads the registry');
SELECT throws_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES ('province', 'tinh', '06', 'Tỉnh Bắc Kạn', '1997-01-01')$$,
    '42501', 'permission denied for table unit', 'a reader cannot insert a unit');
SELECT throws_ok($$UPDATE antq.unit SET name = 'X' WHERE code = '04'$$, '42501', 'permission denied for table unit', 'a reader cannot update a unit');
SELECT throws_ok($$SELECT antq.reorganize(1, '2025-07-01')$$, '42501', 'permission denied for function reorganize', 'a reader cannot reorganize units');
RESET ROLE;

SET LOCAL ROLE antq_writer;
SELECT lives_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES ('province', 'tinh', '06', 'Tỉnh Bắc Kạn', '1997-01-01')$$,
    'a writer registers a unit');
SELECT lives_ok($$UPDATE antq.unit SET name = 'Tỉnh Bắc Kạn (cũ)' WHERE code = '06'$$, 'a writer corrects a unit''s name');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;

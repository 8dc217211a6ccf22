-- The audit trail (issue 17): every change to units, facts and rules is in antq.audit with the
-- login role, the acting role, the time, the table, the key and the old and new rows; admins
-- read it, readers and writers do not, and no role but a superuser can change it. Also with
-- session_replication_role = replica.
BEGIN;
SELECT plan(43);

\ir engine_fixture.psql
SELECT (antq.unit_at('00691', '2020-01-01')).unit_id AS c1, (antq.unit_at('08', '2020-01-01')).unit_id AS p08 \gset
SELECT set_id AS set_id FROM antq.criteria_set ORDER BY set_id LIMIT 1 \gset

-- This transaction's audit rows of a table and operation, as "key old new" lines in order.
CREATE FUNCTION pg_temp.audited(p_table text, p_op text, p_what text DEFAULT NULL) RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(concat_ws(' ', a.row_key::text,
                              coalesce(a.old_row ->> p_what, CASE WHEN a.old_row IS NULL THEN '-' ELSE 'null' END),
                              coalesce(a.new_row ->> p_what, CASE WHEN a.new_row IS NULL THEN '-' ELSE 'null' END)),
                    ' | ' ORDER BY a.batch_id, a.row_no)
    FROM antq.audit a
   WHERE a.xid = pg_current_xact_id() AND a.table_name = p_table AND a.operation = p_op
$$;
-- Who wrote this transaction's audit rows of a table and operation: "login_role acting_role" lines.
CREATE FUNCTION pg_temp.who(p_table text, p_op text) RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(DISTINCT a.login_role || ' ' || a.acting_role, ' | ')
    FROM antq.audit a
   WHERE a.xid = pg_current_xact_id() AND a.table_name = p_table AND a.operation = p_op
$$;

SELECT is((SELECT count(*)::int FROM pg_catalog.pg_trigger t
            WHERE t.tgname LIKE 'antq\_audit\_%' AND t.tgenabled = 'A'
              AND t.tgrelid IN ('antq.unit'::regclass, 'antq.unit_lineage'::regclass, 'antq.assessment'::regclass,
                                'antq.incident'::regclass, 'antq.score'::regclass, 'antq.model_check'::regclass,
                                'antq.decision'::regclass, 'antq.criteria_set'::regclass, 'antq.criterion'::regclass,
                                'antq.scoring_sheet'::regclass, 'antq.scoring_item'::regclass, 'antq.rating_band'::regclass)),
          48, 'the 12 tables of units, facts and rules each have 4 audit triggers, enabled ALWAYS');

-- The fixture's units, inserted by the superuser running the test.
SELECT is((SELECT string_agg((a.row_key ->> 'unit_id') || ' ' || (a.new_row ->> 'code') || ' ' || (a.old_row IS NULL)::text,
                             ' | ' ORDER BY a.new_row ->> 'code')
             FROM antq.audit a WHERE a.xid = pg_current_xact_id() AND a.table_name = 'antq.unit' AND a.operation = 'INSERT'),
          (SELECT string_agg(u.unit_id || ' ' || u.code || ' true', ' | ' ORDER BY u.code) FROM antq.unit u),
          'inserting units records each with its key and new row');
SELECT is(pg_temp.who('antq.unit', 'INSERT'), session_user || ' ' || current_user, 'with the login and acting roles');
SELECT is((SELECT count(*)::int FROM antq.audit WHERE xid = pg_current_xact_id()
             AND (changed_at <> now() OR statement_at < changed_at OR statement_at > clock_timestamp())),
          0, 'changed_at is the transaction''s start, statement_at the statement''s');

-- A writer (SET ROLE): units, then a year's facts in one statement, updates (one of a key), a delete.
SET LOCAL ROLE antq_writer;
INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, parent_id, valid_from)
VALUES (917001, 'residential_area', 'thon', '00691-T1', 'Thôn 1', :c1, '2010-01-01'),
       (917002, 'residential_area', 'thon', '00691-T2', 'Thôn 2', :c1, '2010-01-01');
UPDATE antq.unit SET name = 'Thôn Một' WHERE unit_id = 917001;
-- (COPY FROM into a table under row-level security is refused to every role the confinement
-- policies apply to, writers included: a writer's batch is one multi-row statement.)
INSERT INTO antq.assessment (unit_id, year, crime_count, tipoffs) VALUES (917001, 2024, 1, 0), (917002, 2024, 2, 3);
UPDATE antq.assessment SET tipoffs = 5 WHERE unit_id = 917001;
UPDATE antq.assessment SET year = 2023 WHERE unit_id = 917002;
UPDATE antq.assessment SET tipoffs = tipoffs WHERE unit_id = 917001;
DELETE FROM antq.assessment WHERE unit_id = 917001;
SELECT throws_ok($$SELECT count(*) FROM antq.audit$$, '42501', 'permission denied for view audit',
                 'a writer cannot read the audit trail');
RESET ROLE;

-- COPY, as a bulk loader that row-level security does not apply to (here the superuser) runs it.
COPY antq.incident (unit_id, occurred_on, kind, severity, reference) FROM STDIN;
917002	2024-03-02	crime	serious	CA-1
917002	2024-04-05	crime	less_serious	CA-2
\.
SELECT is((SELECT string_agg((a.row_key ? 'incident_id')::text || ' ' || (a.new_row ->> 'reference') || ' ' || (a.new_row ->> 'severity'),
                             ' | ' ORDER BY a.batch_id, a.row_no)
             FROM antq.audit a WHERE a.xid = pg_current_xact_id() AND a.table_name = 'antq.incident' AND a.operation = 'INSERT'),
          'true CA-1 serious | true CA-2 less_serious', 'a COPY records each row it wrote, keyed');

SELECT is((SELECT string_agg(a.row_key::text || ' ' || (a.new_row ->> 'name'), ' | ' ORDER BY a.batch_id, a.row_no)
             FROM antq.audit a WHERE a.xid = pg_current_xact_id() AND a.table_name = 'antq.unit'
              AND a.operation = 'INSERT' AND a.acting_role = 'antq_writer'),
          '{"unit_id": 917001} Thôn 1 | {"unit_id": 917002} Thôn 2',
          'a writer''s INSERT of two units: two rows, acting role antq_writer');
SELECT is((SELECT string_agg(DISTINCT a.login_role, ',') FROM antq.audit a
            WHERE a.xid = pg_current_xact_id() AND a.acting_role = 'antq_writer'),
          session_user::text, 'the login role is the session''s, under SET ROLE');
SELECT is(pg_temp.audited('antq.unit', 'UPDATE', 'name'), '{"unit_id": 917001} Thôn 1 Thôn Một',
          'an UPDATE of a unit records the old and the new row under its key');
SELECT is(pg_temp.who('antq.unit', 'UPDATE'), session_user || ' antq_writer', 'by the writer');
SELECT is(pg_temp.audited('antq.assessment', 'INSERT', 'tipoffs'),
          '{"year": 2024, "unit_id": 917001} - 0 | {"year": 2024, "unit_id": 917002} - 3',
          'a statement writing two assessments records both rows, keyed by unit and year');
SELECT is(pg_temp.who('antq.assessment', 'INSERT'), session_user || ' antq_writer', 'by the writer');
SELECT is(pg_temp.audited('antq.assessment', 'UPDATE', 'tipoffs'),
          '{"year": 2024, "unit_id": 917001} 0 5 | {"year": 2023, "unit_id": 917002} null null',
          'UPDATEs: the changed columns before and after, under the key; an update that changed nothing is not recorded');
SELECT is((SELECT a.old_row::text || ' ' || a.new_row::text FROM antq.audit a WHERE a.xid = pg_current_xact_id()
             AND a.table_name = 'antq.assessment' AND a.operation = 'UPDATE' AND a.row_key = '{"unit_id": 917001, "year": 2024}'),
          '{"year": 2024, "tipoffs": 0, "unit_id": 917001} {"year": 2024, "tipoffs": 5, "unit_id": 917001}',
          'an UPDATE shows the key and the columns it changed, no others');
SELECT is((SELECT a.old_row::text || ' ' || a.new_row::text FROM antq.audit a WHERE a.xid = pg_current_xact_id()
             AND a.table_name = 'antq.assessment' AND a.operation = 'UPDATE' AND a.row_key = '{"unit_id": 917002, "year": 2023}'),
          '{"year": 2024, "unit_id": 917002} {"year": 2023, "unit_id": 917002}', 'a change of key: one row under the new key, with the old and the new key');
SELECT is(pg_temp.audited('antq.assessment', 'DELETE', 'tipoffs'), '{"year": 2024, "unit_id": 917001} 5 -',
          'a DELETE records the old row');
SELECT is((SELECT string_agg(k, ',' ORDER BY k) FROM antq.audit a, jsonb_object_keys(a.new_row) k
            WHERE a.xid = pg_current_xact_id() AND a.table_name = 'antq.assessment' AND a.operation = 'INSERT'
              AND a.row_key = '{"unit_id": 917001, "year": 2024}'),
          'crime_count,tipoffs,unit_id,year', 'an inserted row is recorded whole, but for its NULL columns');

-- TRUNCATE of a fact table (a superuser's; writers may not truncate).
TRUNCATE antq.model_check;
SELECT is(pg_temp.audited('antq.model_check', 'TRUNCATE'), '- -', 'a TRUNCATE is recorded with the table and the operation');
SELECT is(pg_temp.who('antq.model_check', 'TRUNCATE'), session_user || ' ' || current_user, 'by the superuser');

-- An admin edits a rule.
SET LOCAL ROLE antq_admin;
UPDATE antq.criteria_set SET title = title || ' (sửa)' WHERE set_id = :'set_id';
SELECT lives_ok($$SELECT count(*) FROM antq.audit$$, 'an admin reads the audit trail');
SELECT throws_ok($$DELETE FROM antq.audit_log$$, '42501', 'permission denied for table audit_log', 'an admin cannot delete audit rows');
SELECT throws_ok($$UPDATE antq.audit_log SET acting_role = 'x'$$, '42501', 'permission denied for table audit_log', 'an admin cannot change audit rows');
SELECT throws_ok($$INSERT INTO antq.audit_log (changed_at, statement_at, login_role, acting_role, xid, table_name, operation, row_count)
                   VALUES (now(), now(), 'x', 'x', pg_current_xact_id(), 'antq.unit', 'TRUNCATE', 0)$$,
                 '42501', 'permission denied for table audit_log', 'an admin cannot forge audit rows');
SELECT throws_ok($$TRUNCATE antq.audit_log$$, '42501', 'permission denied for table audit_log', 'an admin cannot truncate the audit trail');
SELECT throws_ok($$DELETE FROM antq.audit$$, '55000', 'cannot delete from view "audit"', 'nor delete through the view');
SELECT throws_ok($$ALTER TABLE antq.assessment DISABLE TRIGGER antq_audit_update$$, '42501', NULL,
                 'an admin cannot switch the audit off');
RESET ROLE;
SELECT is((SELECT a.row_key::text || ' ' || (a.new_row ->> 'title' = (a.old_row ->> 'title') || ' (sửa)')::text
             FROM antq.audit a WHERE a.xid = pg_current_xact_id() AND a.table_name = 'antq.criteria_set' AND a.operation = 'UPDATE'),
          format('{"set_id": "%s"} true', :'set_id'), 'an admin''s UPDATE of a rule is recorded with the old and new title');
SELECT is(pg_temp.who('antq.criteria_set', 'UPDATE'), session_user || ' antq_admin', 'by the admin');

SET LOCAL ROLE antq_reader;
SELECT throws_ok($$SELECT count(*) FROM antq.audit$$, '42501', 'permission denied for view audit',
                 'a reader cannot read the audit trail');
RESET ROLE;
SELECT is((SELECT string_agg(r.rolname || ':' || p.priv, ' ')
             FROM pg_catalog.pg_roles r, unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p(priv)
            WHERE r.rolname IN ('antq_reader', 'antq_writer', 'antq_admin')
              AND (has_table_privilege(r.rolname, 'antq.audit', p.priv) OR has_table_privilege(r.rolname, 'antq.audit_log', p.priv))),
          NULL, 'no antq role may write, truncate, reference or put a trigger on the audit trail');
SELECT ok(NOT has_table_privilege('antq_writer', 'antq.audit', 'SELECT') AND NOT has_table_privilege('antq_reader', 'antq.audit', 'SELECT')
          AND has_table_privilege('antq_admin', 'antq.audit', 'SELECT') AND NOT has_table_privilege('antq_admin', 'antq.audit_log', 'SELECT'),
          'only admins read it, through the view');
SELECT is((SELECT count(*)::int FROM pg_catalog.pg_proc p
            WHERE p.oid IN ('antq.audit_changes()'::regprocedure, 'antq.attach_audit(regclass)'::regprocedure, 'antq.audit_prune(integer)'::regprocedure)
              AND (has_function_privilege('antq_admin', p.oid, 'EXECUTE') OR has_function_privilege('public', p.oid, 'EXECUTE'))),
          0, 'no role may execute the audit''s functions (the trigger fires without EXECUTE)');

-- session_replication_role = replica (bulk loads) does not skip the audit.
SET LOCAL session_replication_role = replica;
UPDATE antq.unit SET name = 'Thôn Hai' WHERE unit_id = 917002;
DELETE FROM antq.assessment WHERE unit_id = 917002;
RESET session_replication_role;
SELECT is(pg_temp.audited('antq.unit', 'UPDATE', 'name'), '{"unit_id": 917001} Thôn 1 Thôn Một | {"unit_id": 917002} Thôn 2 Thôn Hai',
          'with session_replication_role = replica an UPDATE is still recorded');
SELECT is(pg_temp.audited('antq.assessment', 'DELETE', 'year'),
          '{"year": 2024, "unit_id": 917001} 2024 - | {"year": 2023, "unit_id": 917002} 2023 -',
          'and a DELETE');

-- The retention setting: superuser only, an interval, never negative.
SELECT is(current_setting('antq.audit_retention'), '0', 'the audit is kept forever unless a superuser says otherwise');
SELECT throws_ok($$SET antq.audit_retention = '-1 day'$$, '22023', NULL, 'a negative retention is refused');
SELECT throws_ok($$SET antq.audit_retention = 'soon'$$, '22023', NULL, 'a retention that is no interval is refused');
SET LOCAL ROLE antq_admin;
SELECT throws_ok($$SET antq.audit_retention = '1 day'$$, '42501', NULL, 'an admin cannot set the retention');
RESET ROLE;

-- antq.audit_prune deletes the log rows older than the retention, no more than asked at once,
-- and nothing when it is 0.
SELECT count(*) AS log_rows FROM antq.audit_log \gset
UPDATE antq.audit_log SET changed_at = now() - interval '40 days' WHERE table_name IN ('antq.model_check', 'antq.criteria_set');
SELECT is(antq.audit_prune(1000), 0::bigint, 'with retention 0 nothing is pruned');
SET LOCAL antq.audit_retention = '30 days';
SELECT is(antq.audit_prune(1), 1::bigint, 'with 30 days a log row dated 40 days ago is pruned, no more than asked');
SELECT is(antq.audit_prune(1000), 1::bigint, 'then the other');
SELECT is((SELECT count(*)::int FROM antq.audit_log), :log_rows - 2, 'the recent rows stay');
SELECT is((SELECT count(*)::int FROM antq.audit WHERE table_name IN ('antq.model_check', 'antq.criteria_set')), 0, 'the old ones are gone');

SELECT * FROM finish();
ROLLBACK;

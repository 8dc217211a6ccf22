-- Per-province confinement (issue 17): a role bound to province 08 with antq.grant_province
-- reads and writes nothing of province 01, in any table or view of the analyst API (the nation
-- rows of the summaries excepted: they are public); unconfined roles see everything; SET ROLE
-- does not escape it; only an unconfined admin grants provinces. Roles: w08 (writer), r08
-- (reader), a08 (admin), all confined to 08; ra (reader) and a00 (admin), unconfined.
BEGIN;
SELECT plan(65);
\ir engine_fixture.psql

SET client_min_messages = warning;
-- Province 01 with commune 00004 Ba Đình and, from 1 July 2025, 00008 Ngọc Hà split from it.
INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES ('province', 'thanh_pho', '01', 'Thành phố Hà Nội', '2004-01-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
SELECT 'commune', 'phuong', c.code, c.name, (antq.unit_at('01', '2020-01-01')).unit_id, c.valid_from::date
  FROM (VALUES ('00004', 'Phường Ba Đình', '2004-01-01'), ('00008', 'Phường Ngọc Hà', '2025-07-01')) AS c(code, name, valid_from);
INSERT INTO antq.unit_lineage (predecessor_id, successor_id, event, effective_date)
VALUES ((antq.unit_at('00004', '2020-01-01')).unit_id, (antq.unit_at('00008', '2025-07-01')).unit_id, 'split', '2025-07-01');

-- (SECURITY DEFINER: the ids of units the roles below cannot see, to aim their writes at.)
CREATE FUNCTION pg_temp.u(p_code text) RETURNS bigint LANGUAGE sql SECURITY DEFINER AS $$
  SELECT unit_id FROM antq.unit WHERE code = p_code ORDER BY valid_from LIMIT 1 $$;
-- Every fact of a unit for 2024: assessments (2023, 2024), an incident, a score, a model check, a decision.
CREATE FUNCTION pg_temp.facts(p_unit bigint) RETURNS void LANGUAGE sql AS $$
  SELECT pg_temp.good(p_unit);
  INSERT INTO antq.incident (unit_id, occurred_on, kind, severity, reference) VALUES (p_unit, '2024-03-02', 'crime', 'serious', 'I-' || p_unit);
  INSERT INTO antq.score (unit_id, year, item, points) VALUES (p_unit, 2024, 'other', 92);
  INSERT INTO antq.model_check (unit_id, year, criterion_no, met) VALUES (p_unit, 2024, 1, true);
  INSERT INTO antq.decision (unit_id, year, kind, met, number, decided_on, authority)
  VALUES (p_unit, 2024, 'recognition', true, '1/QĐ-UBND', '2025-01-10', 'UBND');
$$;
SELECT pg_temp.facts(pg_temp.u('00004')), pg_temp.facts(pg_temp.u('00691'));
SELECT antq.refresh(NULL, 2024);

-- An error as 'SQLSTATE message', or 'no error'.
CREATE FUNCTION pg_temp.err(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE p_sql;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ' ' || SQLERRM;
END $$;

-- The rows of province 01 in every relation of schema antq a reader may read (checked as the
-- caller): a relation with province_code by it, with unit_id (or the lineage's ids) by the units
-- of 01. The rules (criteria, sheets, bands) are the same for everyone and public; the fixture
-- gives province 01 none of its own.
CREATE TEMP TABLE units01 AS SELECT unit_id FROM antq.unit WHERE province_code = '01';
CREATE FUNCTION pg_temp.rows01() RETURNS TABLE (rel text, n bigint) LANGUAGE plpgsql AS $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT k.oid::regclass::text AS rel,
                    EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = k.oid AND a.attname = 'province_code' AND NOT a.attisdropped) AS by_province,
                    EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = k.oid AND a.attname = 'unit_id' AND NOT a.attisdropped) AS by_unit,
                    EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = k.oid AND a.attname = 'successor_id' AND NOT a.attisdropped) AS by_lineage
               FROM pg_class k
              WHERE k.relnamespace = 'antq'::regnamespace AND k.relkind IN ('r', 'v', 'm', 'p')
                AND has_table_privilege('antq_reader', k.oid, 'SELECT')
              ORDER BY 1 LOOP
        IF c.by_province THEN
            RETURN QUERY EXECUTE format('SELECT %L, count(*) FROM %s WHERE province_code = ''01''', c.rel, c.rel);
        ELSIF c.by_unit THEN
            RETURN QUERY EXECUTE format('SELECT %L, count(*) FROM %s WHERE unit_id IN (SELECT unit_id FROM units01)', c.rel, c.rel);
        ELSIF c.by_lineage THEN
            RETURN QUERY EXECUTE format('SELECT %L, count(*) FROM %s WHERE successor_id IN (SELECT unit_id FROM units01)', c.rel, c.rel);
        END IF;
    END LOOP;
END $$;
CREATE TEMP TABLE seen_by_owner AS SELECT * FROM pg_temp.rows01();
CREATE TEMP TABLE counts_owner AS
SELECT 'unit' AS rel, count(*) AS n FROM antq.unit UNION ALL SELECT 'summary', count(*) FROM antq.summary
UNION ALL SELECT 'v_unit_result', count(*) FROM antq.v_unit_result UNION ALL SELECT 'assessment', count(*) FROM antq.assessment;
GRANT SELECT ON units01, seen_by_owner, counts_owner TO PUBLIC;

CREATE ROLE w08 LOGIN IN ROLE antq_writer;
CREATE ROLE r08 LOGIN IN ROLE antq_reader;
CREATE ROLE a08 LOGIN IN ROLE antq_admin;
CREATE ROLE ra LOGIN IN ROLE antq_reader;
CREATE ROLE a00 LOGIN IN ROLE antq_admin;
CREATE ROLE nologin_group NOLOGIN IN ROLE antq_reader;
CREATE ROLE bypasser LOGIN BYPASSRLS IN ROLE antq_reader;
RESET client_min_messages;

-- Granting: by an unconfined admin only, to ordinary login roles, of registered provinces.
SET SESSION AUTHORIZATION a00;
SELECT lives_ok($$SELECT antq.grant_province('w08', '08'), antq.grant_province('r08', '08'), antq.grant_province('a08', '08')$$,
                'an unconfined admin confines w08, r08 and a08 to province 08');
SELECT lives_ok($$SELECT antq.grant_province('w08', '08')$$, 'granting twice does nothing');
SELECT is((SELECT count(*) FROM antq.province_grant WHERE granted_by = 'a00'), 3::bigint, 'admins read the grants, with who granted them');
SELECT is((SELECT string_agg(a.operation || ' ' || (a.new_row ->> 'province_code'), ', ') FROM antq.audit a
            WHERE a.table_name = 'antq.province_grant' AND a.login_role = 'a00'),
          'INSERT 08, INSERT 08, INSERT 08', 'each grant is in the audit trail with the admin who made it');
SELECT matches(pg_temp.err($$SELECT antq.grant_province('w08', '99')$$), '^23503 province "99" is not in the registry',
               'an unknown province code is refused, named');
SELECT matches(pg_temp.err($$SELECT antq.grant_province('nologin_group', '08')$$), '^22023 role nologin_group cannot log in',
               'a role that cannot log in is refused (its members would not be confined)');
SELECT matches(pg_temp.err($$SELECT antq.grant_province('bypasser', '08')$$), '^22023 role bypasser bypasses row-level security',
               'a role that bypasses row-level security is refused');
SELECT matches(pg_temp.err($$SELECT antq.grant_province(NULL, '08')$$), '^22004 ', 'a missing role is refused');
SELECT matches(pg_temp.err($$SELECT antq.revoke_province('w08', '99')$$), '^23503 province "99"', 'revoke refuses an unknown province too');
RESET SESSION AUTHORIZATION;
SELECT ok(NOT has_table_privilege('antq_reader', 'antq.province_grant', 'SELECT')
          AND NOT has_table_privilege('antq_admin', 'antq.province_grant', 'INSERT, UPDATE, DELETE'),
          'readers do not read the grants, and admins change them only through the functions');

SET SESSION AUTHORIZATION a08;
SELECT matches(pg_temp.err($$SELECT antq.grant_province('a08', '01')$$), '^42501 role a08 is confined to province 08: it cannot grant',
               'a confined admin cannot grant itself another province');
SELECT matches(pg_temp.err($$SELECT antq.revoke_province('a08', '08')$$), '^42501 role a08 is confined',
               'nor free itself by revoking its province');
SELECT matches(pg_temp.err($$SET LOCAL ROLE antq_admin; SELECT antq.grant_province('a08', '01')$$), '^42501 role a08 is confined',
               'nor after SET ROLE antq_admin');
RESET SESSION AUTHORIZATION;

-- The writer, as a superuser testing it (SET ROLE: its grants apply since the login has none).
SET LOCAL ROLE w08;
SELECT is(antq.confined_provinces(), '{08}'::text[], 'w08 is confined to 08');
SELECT is((SELECT count(*) FROM antq.unit WHERE province_code = '01'), 0::bigint, 'w08 sees no unit of 01');
SELECT matches(pg_temp.err($$INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
                             VALUES ('residential_area', 'to_dan_pho', '00004-TDP9', 'Tổ dân phố 9', pg_temp.u('00004'), '2024-01-01')$$),
               '^42501 commune 00004 \(unit_id \d+\) of province 01 is outside the provinces this session may write \(08\)',
               'w08 cannot register a unit under a commune of 01: insufficient_privilege naming the commune and province');
SELECT matches(pg_temp.err($$INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES ('province', 'tinh', '04', 'Tỉnh Cao Bằng', '2004-01-01')$$),
               '^42501 province 04 of province 04 is outside the provinces this session may write \(08\)',
               'nor register another province');
SELECT is(pg_temp.err($$WITH x AS (UPDATE antq.unit SET name = 'X' WHERE province_code = '01' OR unit_id IN (SELECT unit_id FROM units01) RETURNING 1)
                         SELECT 1 / (SELECT count(*)::int FROM x)$$), '22012 division by zero', 'w08 updates no unit of 01');
SELECT is(pg_temp.err($$WITH x AS (DELETE FROM antq.unit WHERE unit_id IN (SELECT unit_id FROM units01) RETURNING 1)
                         SELECT 1 / (SELECT count(*)::int FROM x)$$), '22012 division by zero', 'w08 deletes no unit of 01');
SELECT lives_ok($$SELECT pg_temp.add_unit('residential_area', 'W1')$$, 'w08 registers a unit of 08');
SELECT matches(pg_temp.err($$UPDATE antq.unit SET parent_id = pg_temp.u('00004') WHERE code = 'W1'$$),
               '^42501 commune 00004 \(unit_id \d+\) of province 01 is outside',
               'w08 cannot move its unit under a commune of 01');
SELECT matches(pg_temp.err($$INSERT INTO antq.unit_lineage (predecessor_id, successor_id, event, effective_date)
                             VALUES (pg_temp.u('00004'), pg_temp.u('00694'), 'split', '2024-01-01')$$),
               '^42501 commune 00004 \(unit_id \d+\) of province 01 is outside',
               'w08 cannot link a unit of 01 into the lineage of its own');
SELECT is((SELECT count(*) FROM antq.unit_lineage), 0::bigint, 'w08 sees no lineage of 01');

-- Every fact table: insert, update, delete, and moving its own fact onto a unit of 01.
SELECT matches(pg_temp.err(s), '^42501 commune 00004 \(unit_id \d+\) of province 01 is outside the provinces this session may write \(08\)',
               'w08 cannot insert into ' || t || ' for a unit of 01')
  FROM (VALUES
    ('assessment', $$INSERT INTO antq.assessment (unit_id, year, crime_count) VALUES (pg_temp.u('00004'), 2025, 1)$$),
    ('incident', $$INSERT INTO antq.incident (unit_id, occurred_on, kind, severity, reference) VALUES (pg_temp.u('00004'), '2024-05-01', 'crime', 'serious', 'W-1')$$),
    ('score', $$INSERT INTO antq.score (unit_id, year, item, points) VALUES (pg_temp.u('00004'), 2023, 'other', 50)$$),
    ('model_check', $$INSERT INTO antq.model_check (unit_id, year, criterion_no, met) VALUES (pg_temp.u('00004'), 2024, 2, false)$$),
    ('decision', $$INSERT INTO antq.decision (unit_id, year, kind, rating, number, decided_on, authority)
                   VALUES (pg_temp.u('00004'), 2024, 'classification', 'yeu', '2/QĐ', '2025-01-10', 'UBND')$$)) AS v(t, s);
SELECT matches(pg_temp.err($$INSERT INTO antq.assessment (unit_id, year, crime_count) VALUES (pg_temp.u('00004'), 2025, -1)$$),
               '^42501 commune 00004 .* of province 01 is outside', 'a fact that also breaks a rule is refused for its province first');
SELECT is(pg_temp.err(format('WITH x AS (UPDATE antq.%I SET unit_id = unit_id WHERE unit_id IN (SELECT unit_id FROM units01) RETURNING 1)
                               SELECT 1 / (SELECT count(*)::int FROM x)', t)), '22012 division by zero',
          'w08 updates no row of ' || t || ' of 01')
  FROM unnest(ARRAY['assessment', 'incident', 'score', 'model_check', 'decision']) AS t;
SELECT is(pg_temp.err(format('WITH x AS (DELETE FROM antq.%I WHERE unit_id IN (SELECT unit_id FROM units01) RETURNING 1)
                               SELECT 1 / (SELECT count(*)::int FROM x)', t)), '22012 division by zero',
          'w08 deletes no row of ' || t || ' of 01')
  FROM unnest(ARRAY['assessment', 'incident', 'score', 'model_check', 'decision']) AS t;
SELECT matches(pg_temp.err(format('UPDATE antq.%I SET unit_id = pg_temp.u(''00004'') WHERE unit_id = pg_temp.u(''00691'')', t)),
               '^42501 commune 00004 .* of province 01 is outside', 'w08 cannot move its ' || t || ' onto a unit of 01')
  FROM unnest(ARRAY['assessment', 'incident', 'score', 'model_check', 'decision']) AS t;
SELECT lives_ok($$UPDATE antq.assessment SET crime_count = 4 WHERE unit_id = pg_temp.u('00691') AND year = 2024;
                  INSERT INTO antq.incident (unit_id, occurred_on, kind, severity, reference) VALUES (pg_temp.u('00691'), '2024-05-01', 'crime', 'serious', 'W-2')$$,
                'w08 writes the facts of its own province');
RESET ROLE;
SELECT is((SELECT string_agg(concat_ws(':', t, n), ' ' ORDER BY t) FROM (
             SELECT 'assessment' t, count(*) n FROM antq.assessment WHERE unit_id IN (SELECT unit_id FROM units01)
             UNION ALL SELECT 'incident', count(*) FROM antq.incident WHERE unit_id IN (SELECT unit_id FROM units01)
             UNION ALL SELECT 'score', count(*) FROM antq.score WHERE unit_id IN (SELECT unit_id FROM units01)
             UNION ALL SELECT 'model_check', count(*) FROM antq.model_check WHERE unit_id IN (SELECT unit_id FROM units01)
             UNION ALL SELECT 'decision', count(*) FROM antq.decision WHERE unit_id IN (SELECT unit_id FROM units01)
             UNION ALL SELECT 'unit', count(*) FROM antq.unit WHERE province_code = '01' AND name <> 'X') c),
          'assessment:2 decision:1 incident:1 model_check:1 score:1 unit:3', 'and the data of 01 is as it was');

-- The reader: no row of 01 anywhere it may read, the nation rows excepted; the analyst functions too.
SET LOCAL ROLE r08;
SELECT is((SELECT string_agg(rel, ', ' ORDER BY rel) FROM pg_temp.rows01() WHERE n > 0), NULL, 'r08 sees no row of 01 in any table or view it may read');
SELECT ok((SELECT count(*) FROM antq.v_summary WHERE area_level = 'nation') > 0
          AND (SELECT count(*) FROM antq.v_summary_incident WHERE area_level = 'nation') > 0,
          'r08 sees the nation rows, which are public');
SELECT ok((SELECT count(*) FROM antq.v_unit_result WHERE province_code = '08') > 0, 'r08 sees the results of 08');
SELECT is((SELECT count(*) FROM antq.units_under('01', '2024-12-31')), 0::bigint, 'units_under(01) gives r08 nothing');
SELECT is((SELECT count(*) FROM antq.results_computed('01', 2024)), 0::bigint, 'results_computed(01) gives r08 nothing');
SELECT is((SELECT count(*) FROM antq.summary_computed('01', 2024) s WHERE s.total > 0), 0::bigint, 'summary_computed(01) counts no unit for r08');
SELECT is((SELECT count(*) FROM antq.explain_unit(pg_temp.u('00004'), 2024)), 0::bigint, 'explain_unit of a unit of 01 gives r08 nothing');
SELECT is((SELECT stale FROM antq.results_stale(2024)), NULL, 'results_stale, the pass in C, gives r08 nothing (it leaves confined callers to SQL)');
SELECT is((SELECT count(*) FROM antq.verify('01', 2024) v WHERE v.area_code <> 'VN'), 0::bigint, 'verify(01) shows r08 no area of 01');
RESET ROLE;
SELECT ok((SELECT count(*) FROM seen_by_owner WHERE n > 0) >= 13, 'the owner sees rows of 01 in the registry, facts, results, summaries and views');
SELECT is((SELECT string_agg(rel, ', ' ORDER BY rel) FROM seen_by_owner WHERE n = 0
            AND rel IN ('antq.unit', 'antq.unit_lineage', 'antq.assessment', 'antq.incident', 'antq.score', 'antq.model_check',
                        'antq.decision', 'antq.unit_result', 'antq.summary', 'antq.v_unit_result', 'antq.v_summary',
                        'antq.v_summary_incident', 'antq.unit_result_computed')), NULL,
          'so the reader''s test above is not vacuous');

-- Unconfined readers (the ministry's analysts) see everything.
SET LOCAL ROLE ra;
SELECT is(antq.confined_provinces(), NULL, 'ra is unconfined');
SELECT set_eq($$SELECT * FROM pg_temp.rows01()$$, $$SELECT * FROM seen_by_owner$$, 'ra sees every row of 01 the owner sees');
RESET ROLE;

-- No escape through SET ROLE: the login's grants apply whatever role it sets.
SET SESSION AUTHORIZATION w08;
SET ROLE antq_writer;
SELECT is(current_user::text, 'antq_writer', 'w08 logged in, then SET ROLE antq_writer');
SELECT is(antq.confined_provinces(), '{08}'::text[], 'still confined to 08');
SELECT is((SELECT count(*) FROM antq.unit WHERE province_code = '01'), 0::bigint, 'still sees no unit of 01');
SELECT matches(pg_temp.err($$INSERT INTO antq.assessment (unit_id, year, crime_count) VALUES (pg_temp.u('00004'), 2025, 1)$$),
               '^42501 commune 00004', 'still cannot write a fact of 01');
SELECT matches(pg_temp.err($$SELECT antq.unit_within_reach('assessment', pg_temp.u('00004'), NULL)$$), '^42501 commune 00004',
               'nor widen its reach by calling the check with no provinces');
RESET ROLE;
RESET SESSION AUTHORIZATION;

-- Revoking the last province leaves the role unconfined, with a warning.
SET SESSION AUTHORIZATION a00;
SET LOCAL client_min_messages = error;
SELECT antq.revoke_province('r08', '08');
RESET client_min_messages;
SELECT is(antq.confined_provinces('r08'), NULL, 'revoking r08''s only province unconfines it');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;

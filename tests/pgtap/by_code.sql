-- Writing by permanent code (issue 19, item 6): a province's registry COPYed in any order into
-- antq.unit_by_code, its facts and incidents into the *_by_code views; resending is idempotent
-- (nothing changes, nothing is audited, no incident without reference doubles); errors name the
-- code, the field and the COPY line, with a SQLSTATE and a hint; a year's facts land on the
-- version taking part that year; a confined writer COPYs its own province and is refused
-- another's; the stored results equal a recompute afterwards.
BEGIN;
SELECT plan(50);
\ir engine_fixture.psql
SET client_min_messages = warning;

-- An error as 'SQLSTATE message | HINT | the COPY line of its context', or 'no error'.
CREATE FUNCTION pg_temp.err(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    hint text;
    ctx  text;
BEGIN
    EXECUTE p_sql;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS hint = PG_EXCEPTION_HINT, ctx = PG_EXCEPTION_CONTEXT;
    RETURN SQLSTATE || ' ' || SQLERRM || ' | ' || hint || ' | ' || coalesce(substring(ctx FROM 'COPY [a-z_]+, line \d+'), '');
END $$;
-- COPY of CSV text into a view, through a file of the server's (as EXECUTE cannot read STDIN).
-- (The file is written as the superuser, and read by the COPY as the caller.)
CREATE FUNCTION pg_temp.csv_file(p_csv text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    f text := current_setting('data_directory') || '/by_code_test.csv';
BEGIN
    EXECUTE format('COPY (SELECT unnest(string_to_array(%L, E''\n''))) TO %L', btrim(p_csv, E'\n'), f);
    RETURN f;
END $$;
CREATE FUNCTION pg_temp.copy(p_target text, p_csv text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('COPY %s FROM %L (FORMAT csv)', p_target, pg_temp.csv_file(p_csv));
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.err(text), pg_temp.copy(text, text), pg_temp.csv_file(text) TO PUBLIC;
CREATE FUNCTION pg_temp.audited() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM antq.audit_log $$;

-- 1. The registry of province 04 (Cao Bằng: real codes of tests/data), children before parents.
COPY antq.unit_by_code (kind, sub_kind, code, name, parent_code, managed_by_code, valid_from) FROM STDIN (FORMAT csv);
agency,,01273-CA,Công an phường Thục Phán,01273,01273,2025-07-01
residential_area,Tổ dân phố,01273-TDP01,Tổ dân phố 1,01273,,2025-07-01
school,upper_secondary,04-THPT1,Trường THPT Cao Bằng,01279,04,2025-07-01
residential_area,xom,01290-X01,Xóm Nà Pồng,01290,,2025-07-01
commune,phuong,01273,Phường Thục Phán,04,,2025-07-01
residential_area,Xóm,01273-X02,Xóm 2,01273,,2025-07-01
commune,xa,01290,Xã Bảo Lâm,04,,2025-07-01
province,tinh,04,Tỉnh Cao Bằng,,,2025-07-01
commune,phuong,01279,Phường Nùng Trí Cao,04,,2025-07-01
\.
SELECT is((SELECT string_agg(concat_ws(' ', code, kind, sub_kind, parent_code, managed_by_code, management_level), '; ' ORDER BY code)
             FROM antq.unit_by_code WHERE code IN (SELECT code FROM antq.unit WHERE province_code = '04')),
          '01273 commune phuong 04; 01273-CA agency 01273 01273 commune; 01273-TDP01 residential_area to_dan_pho 01273; '
          '01273-X02 residential_area xom 01273; 01279 commune phuong 04; 01290 commune xa 04; 01290-X01 residential_area xom 01290; '
          '04 province tinh; 04-THPT1 school upper_secondary 01279 04 province',
          'a registry COPYed children first lands whole: parents and managers by code, levels derived, sub-kinds as codes');
SELECT is((SELECT count(DISTINCT province_id) FROM antq.unit WHERE province_code = '04'), 1::bigint, 'every unit of 04 belongs to the province 04');

-- A resend of the registry, in another order: nothing changes, nothing is audited.
CREATE TEMP TABLE units_before AS SELECT u.*, u.xmin::text AS x FROM antq.unit u;
SELECT pg_temp.audited() AS n \gset audit_
COPY antq.unit_by_code (kind, sub_kind, code, name, parent_code, managed_by_code, valid_from) FROM STDIN (FORMAT csv);
province,tinh,04,Tỉnh Cao Bằng,,,2025-07-01
residential_area,xom,01290-X01,Xóm Nà Pồng,01290,,2025-07-01
commune,phuong,01273,Phường Thục Phán,04,,2025-07-01
agency,,01273-CA,Công an phường Thục Phán,01273,01273,2025-07-01
\.
SELECT set_eq($$SELECT u.*, u.xmin::text AS x FROM antq.unit u$$, $$SELECT * FROM units_before$$,
              'a resent registry changes no unit (not even a row version)');
SELECT is(pg_temp.audited(), :audit_n::bigint, 'and writes nothing to the audit trail');

-- A resend with a new name updates the version; one that moves a unit is refused.
INSERT INTO antq.unit_by_code (kind, sub_kind, code, name, parent_code, valid_from)
VALUES ('residential_area', 'xom', '01290-X01', 'Xóm Nà Pồng Mới', '01290', '2025-07-01');
SELECT is((SELECT name FROM antq.unit WHERE code = '01290-X01'), 'Xóm Nà Pồng Mới', 'a resend with a new name renames the version in place');
SELECT is((SELECT count(*) FROM antq.unit WHERE code = '01290-X01'), 1::bigint, 'without a new version');
SELECT matches(pg_temp.err($$INSERT INTO antq.unit_by_code (kind, sub_kind, code, name, parent_code, valid_from)
                             VALUES ('residential_area', 'xom', '01290-X01', 'Xóm Nà Pồng', '01273', '2025-07-01')$$),
               '^23514 unit residential_area 01290-X01 "Xóm Nà Pồng" valid from 2025-07-01 has parent_code 01290, not 01273 \| .*antq.reorganize',
               'a resend that moves a unit is refused, naming both parents, with a hint to antq.reorganize');
SELECT matches(pg_temp.err($$INSERT INTO antq.unit_by_code (kind, sub_kind, code, name, parent_code, valid_from)
                             VALUES ('agency', NULL, '01290-X01', 'Xóm Nà Pồng', '01290', '2025-07-01')$$),
               '^23514 unit agency 01290-X01 .* is registered as a residential_area \| The code and kind of a unit are permanent',
               'a resend with another kind is refused');

-- Registry errors: every row waiting for a missing parent or manager listed, nothing written.
SELECT is(pg_temp.err($$SELECT pg_temp.copy('antq.unit_by_code (kind, sub_kind, code, name, parent_code, managed_by_code, valid_from)', '
residential_area,thon,01299-T1,Thôn 1,01299,,2025-07-01
residential_area,thon,01273-T3,Thôn 3,01273,,2025-07-01
agency,,01273-UB,UBND,01273,01273-XX,2025-07-01
residential_area,thon,01273-T4,Thôn 4,01273,,2020-01-01')$$),
          '23503 3 unit row(s) name a parent or managing authority that is not registered: '
          'row 1: residential_area 01299-T1 has parent_code 01299, not registered; '
          'row 3: agency 01273-UB has managed_by_code 01273-XX, not registered; '
          'row 4: residential_area 01273-T4 has parent_code 01273, not in force on 2020-01-01'
          ' | Register the missing units first, or send them in the same statement (rows may come in any order); '
          'a parent or managing authority must be in force on the unit''s valid_from. Nothing of the statement was written. | ',
          'a COPY with missing parents names each row, its code and the parent code it misses, with SQLSTATE and hint');
SELECT is((SELECT count(*) FROM antq.unit WHERE code = '01273-T3'), 0::bigint, 'and writes none of its rows');
SELECT matches(pg_temp.err($$SELECT pg_temp.copy('antq.unit_by_code (kind, sub_kind, code, name, parent_code, valid_from)', '
residential_area,thon,01273-T5,Thôn 5,01273,2025-07-01
residential_area,bogus,01273-T6,Thôn 6,01273,2025-07-01')$$),
               '^23514 unknown sub_kind "bogus" for unit residential_area 01273-T6 "Thôn 6" \| A residential_area is one of: .* \| COPY unit_by_code, line 2$',
               'a bad field names the code and the field, and the COPY line stays visible');
SELECT matches(pg_temp.err($$SELECT pg_temp.copy('antq.unit_by_code (kind, sub_kind, code, name, parent_code, valid_from)', '
residential_area,bogus,01291-T6,Thôn 6,01291,2025-07-01
commune,xa,01291,Xã Khác,04,2025-07-01')$$),
               '^23514 row 1 of the statement \(code 01291-T6\): unknown sub_kind "bogus" for unit residential_area 01291-T6 .* \| A residential_area is one of',
               'a bad field of a row written at the end of the statement names its row number');

-- 2. Facts by code, for 2025 (the versions of 04 start on 1 July 2025, before the windows end).
COPY antq.assessment_by_code (unit_code, year, registered_on, households_total, households_registered, crime_count, tipoffs) FROM STDIN (FORMAT csv);
01273-X02,2025,2025-07-10,80,80,0,3
01273-TDP01,2025,2025-07-10,120,118,1,
01290-X01,2025,2025-07-12,60,60,0,1
\.
COPY antq.score_by_code (unit_code, year, item, points) FROM STDIN (FORMAT csv);
01273,2025,other,80
\.
COPY antq.model_check_by_code (unit_code, year, criterion_no, met, note) FROM STDIN (FORMAT csv);
01273,2025,1,true,
01273,2025,2,false,chưa đạt
\.
COPY antq.decision_by_code (unit_code, year, kind, met, number, decided_on, authority) FROM STDIN (FORMAT csv);
01273-X02,2025,recognition,true,12/QĐ-UBND,2025-12-20,UBND phường Thục Phán
\.
COPY antq.incident_by_code (unit_code, occurred_on, kind, severity, reference, description) FROM STDIN (FORMAT csv);
01273-TDP01,2025-08-01,crime,serious,,trộm cắp xe máy
01273-TDP01,2025-08-01,crime,serious,,cố ý gây thương tích
01273-TDP01,2025-09-02,crime,less_serious,"",
01273-X02,2025-10-03,serious_fire_explosion,,CB-2025-7,cháy kho
\.
SELECT is((SELECT string_agg(concat_ws(' ', unit_code, households_total, households_registered, crime_count, tipoffs), '; ' ORDER BY unit_code)
             FROM antq.assessment_by_code WHERE year = 2025 AND unit_code LIKE '012%'),
          '01273-TDP01 120 118 1; 01273-X02 80 80 0 3; 01290-X01 60 60 0 1', 'assessments COPYed by code read back by code');
SELECT is((SELECT a.unit_id FROM antq.assessment a JOIN antq.unit u USING (unit_id) WHERE u.code = '01273-X02' AND a.year = 2025),
          (antq.unit_at('01273-X02', antq.window_end('residential_area', 2025))).unit_id, 'on the version in force at the end of the 2025 window');
SELECT is((SELECT concat_ws(' ', s.points, (SELECT count(*) FROM antq.model_check_by_code m WHERE m.unit_code = '01273'),
                            (SELECT number || ' ' || met FROM antq.decision_by_code d WHERE d.unit_code = '01273-X02'))
             FROM antq.score_by_code s WHERE s.unit_code = '01273'),
          '80 2 12/QĐ-UBND true', 'scores, model checks and decisions by code');
SELECT is((SELECT string_agg(concat_ws(' ', unit_code, occurred_on, kind, severity, coalesce(reference, '-'), description), '; ' ORDER BY occurred_on, description)
             FROM antq.incident_by_code WHERE unit_code LIKE '012%'),
          '01273-TDP01 2025-08-01 crime serious - cố ý gây thương tích; 01273-TDP01 2025-08-01 crime serious - trộm cắp xe máy; '
          '01273-TDP01 2025-09-02 crime less_serious -; 01273-X02 2025-10-03 serious_fire_explosion CB-2025-7 cháy kho',
          'incidents by code, an empty reference stored as none');

-- Resending every fact: nothing changes, nothing is audited, no incident doubles.
CREATE TEMP TABLE facts_before AS
SELECT 'assessment' t, to_jsonb(a) - 'unit_id' j, a.xmin::text x FROM antq.assessment a
UNION ALL SELECT 'incident', to_jsonb(i), i.xmin::text FROM antq.incident i
UNION ALL SELECT 'score', to_jsonb(s), s.xmin::text FROM antq.score s
UNION ALL SELECT 'model_check', to_jsonb(m), m.xmin::text FROM antq.model_check m
UNION ALL SELECT 'decision', to_jsonb(d), d.xmin::text FROM antq.decision d;
SELECT pg_temp.audited() AS n \gset audit_
COPY antq.assessment_by_code (unit_code, year, registered_on, households_total, households_registered, crime_count, tipoffs) FROM STDIN (FORMAT csv);
01290-X01,2025,2025-07-12,60,60,0,1
01273-X02,2025,2025-07-10,80,80,0,3
01273-TDP01,2025,2025-07-10,120,118,1,
\.
COPY antq.score_by_code (unit_code, year, item, points) FROM STDIN (FORMAT csv);
01273,2025,other,80
\.
COPY antq.model_check_by_code (unit_code, year, criterion_no, met, note) FROM STDIN (FORMAT csv);
01273,2025,2,false,chưa đạt
01273,2025,1,true,
\.
COPY antq.decision_by_code (unit_code, year, kind, met, number, decided_on, authority) FROM STDIN (FORMAT csv);
01273-X02,2025,recognition,true,12/QĐ-UBND,2025-12-20,UBND phường Thục Phán
\.
COPY antq.incident_by_code (unit_code, occurred_on, kind, severity, reference, description) FROM STDIN (FORMAT csv);
01273-X02,2025-10-03,serious_fire_explosion,,CB-2025-7,cháy kho
01273-TDP01,2025-09-02,crime,less_serious,,
01273-TDP01,2025-08-01,crime,serious,"",cố ý gây thương tích
01273-TDP01,2025-08-01,crime,serious,,trộm cắp xe máy
\.
SELECT set_eq($$SELECT 'assessment' t, to_jsonb(a) - 'unit_id' j, a.xmin::text x FROM antq.assessment a
                UNION ALL SELECT 'incident', to_jsonb(i), i.xmin::text FROM antq.incident i
                UNION ALL SELECT 'score', to_jsonb(s), s.xmin::text FROM antq.score s
                UNION ALL SELECT 'model_check', to_jsonb(m), m.xmin::text FROM antq.model_check m
                UNION ALL SELECT 'decision', to_jsonb(d), d.xmin::text FROM antq.decision d$$,
              $$SELECT * FROM facts_before$$, 'resending every fact changes no row, not even its version');
SELECT is((SELECT count(*) FROM antq.incident_by_code WHERE unit_code = '01273-TDP01'), 3::bigint,
          'incidents without reference do not double on resend');
SELECT is(pg_temp.audited(), :audit_n::bigint, 'and the audit trail records nothing');

-- A resend with a changed figure updates it; a changed severity updates the incident in place.
COPY antq.assessment_by_code (unit_code, year, registered_on, households_total, households_registered, crime_count, tipoffs) FROM STDIN (FORMAT csv);
01273-TDP01,2025,2025-07-10,120,120,1,
\.
COPY antq.incident_by_code (unit_code, occurred_on, kind, severity, handled_promptly, reference, description) FROM STDIN (FORMAT csv);
01273-TDP01,2025-09-02,crime,serious,true,,
01273-X02,2025-10-03,serious_fire_explosion,,true,CB-2025-7,cháy kho lớn
\.
SELECT is((SELECT households_registered FROM antq.assessment_by_code WHERE unit_code = '01273-TDP01' AND year = 2025), 120,
          'a resend with a corrected figure updates the assessment');
SELECT is((SELECT string_agg(concat_ws(' ', severity, handled_promptly, description), '; ' ORDER BY occurred_on)
             FROM antq.incident_by_code WHERE unit_code IN ('01273-TDP01', '01273-X02') AND occurred_on > '2025-09-01'),
          'serious t; t cháy kho lớn', 'and an incident keyed by its reference, or without one by day, kind and description, in place');
SELECT is((SELECT count(*) FROM antq.incident_by_code WHERE unit_code IN ('01273-TDP01', '01273-X02')), 4::bigint, 'with no new incident');
SELECT is(pg_temp.audited(), :audit_n + 3::bigint, 'the audit trail records the three rows that changed');

-- Fact errors: the code, the field, SQLSTATE, hint and COPY line.
SELECT is(pg_temp.err($$SELECT pg_temp.copy('antq.assessment_by_code (unit_code, year, crime_count)', '
01273-X02,2025,0
01273-ZZ,2025,1')$$),
          '23503 row 2: unit_code "01273-ZZ" of assessment for 2025: no unit has this code | Register the unit first (antq.unit_by_code), or correct the code; antq.unit_by_code lists the codes. | ',
          'an unknown code is refused naming it and its row (the line of a COPY without header)');
SELECT matches(pg_temp.err($$SELECT pg_temp.copy('antq.assessment_by_code (unit_code, year, households_total, households_registered)', '
01273-X02,2025,80,90')$$),
               '^23514 row 1: households_registered for residential_area 01273-X02 "Xóm 2" in 2025: 90 households registered out of 80 \| Households registered cannot exceed',
               'a bad field is refused naming the code, the year and the field');
SELECT matches(pg_temp.err($$SELECT pg_temp.copy('antq.assessment_by_code (unit_code, year, crime_count)', '
01273-X02,2024,0')$$),
               '^23503 row 1: unit_code 01273-X02 of assessment for 2024: the unit is not in force on 2024-10-31 \| A year''s facts belong to the version in force ',
               'a year the unit takes no part in is refused, naming the day that counts');
SELECT is(pg_temp.err($$SELECT pg_temp.copy('antq.assessment_by_code (unit_code, year, crime_count)', '
01273-X02,2025,0
01290-X01,2025,0
01273-X02,2025,1')$$),
          '21000 rows 1, 3 of the statement are the same assessment of unit_code 01273-X02 (unit_code, year) | Send each row once in a statement; a later statement may correct it. | ',
          'a key sent twice in one statement is refused, naming both rows');
-- A code finding no version is reported first, whatever else is wrong in the statement, and
-- for the first such row.
SELECT is(array_to_string(ARRAY[pg_temp.err($$SELECT pg_temp.copy('antq.assessment_by_code (unit_code, year, crime_count)', '
01273-X02,2025,-1
01273-ZZ,2025,1')$$), pg_temp.err($$SELECT pg_temp.copy('antq.assessment_by_code (unit_code, year, crime_count)', '
01273-X02,2025,0
01290-X01,2025,0
01273-X02,2025,1
01273-QQ,2025,1')$$), pg_temp.err($$SELECT pg_temp.copy('antq.assessment_by_code (unit_code, year, crime_count)', '
01273-X02,2025,0
01273-ZY,2025,1
01273-ZA,2025,1
01273-X02,3000,1')$$)], E'\n'),
          '23503 row 2: unit_code "01273-ZZ" of assessment for 2025: no unit has this code | Register the unit first (antq.unit_by_code), or correct the code; antq.unit_by_code lists the codes. | ' || E'\n'
          '23503 row 4: unit_code "01273-QQ" of assessment for 2025: no unit has this code | Register the unit first (antq.unit_by_code), or correct the code; antq.unit_by_code lists the codes. | ' || E'\n'
          '23503 row 2: unit_code "01273-ZY" of assessment for 2025: no unit has this code | Register the unit first (antq.unit_by_code), or correct the code; antq.unit_by_code lists the codes. | ',
          'an unknown code is refused before a bad field of an earlier row, before a key sent twice, and for its first row');
SELECT is(pg_temp.err($$INSERT INTO antq.score_by_code (unit_code, year, item, points) VALUES ('01273', 2025, 'other', 1), ('01273', 2025, 'another', 1), ('01273', 2025, 'other', 2)$$),
          '21000 rows 1, 3 of the statement are the same score of unit_code 01273 (unit_code, year, item) | Send each row once in a statement; a later statement may correct it. | ',
          'a key of three columns sent twice is refused, naming both rows');
SELECT matches(pg_temp.err($$INSERT INTO antq.assessment_by_code (unit_code, year) VALUES (NULL, 2025)$$),
               '^23502 row 1: unit_code of assessment for 2025 is empty', 'an empty code is refused');
SELECT matches(pg_temp.err($$INSERT INTO antq.score_by_code (unit_code, year, item, points) VALUES ('01273', 3000, 'other', 1)$$),
               '^22008 row 1: year of unit_code 01273: 3000 is outside the years antq accepts', 'a year out of the window is refused naming the code');
SELECT matches(pg_temp.err($$SELECT pg_temp.copy('antq.incident_by_code (unit_code, occurred_on, kind, severity)', '
01273-X02,2025-03-01,crime,serious')$$),
               '^23503 unit_code 01273-X02 of incident on 2025-03-01: the unit is not in force on 2025-03-01 \| An event counts for the version in force .* \| COPY incident_by_code, line 1$',
               'an incident before the unit''s version is refused, naming the day');
SELECT matches(pg_temp.err($$SELECT pg_temp.copy('antq.incident_by_code (unit_code, occurred_on, kind, severity)', '
01273-X02,2025-08-03,crime,')$$),
               '^23514 severity for residential_area 01273-X02 .* a crime without severity \| .* \| COPY incident_by_code, line 1$',
               'an incident with a bad field names the code and the field');

-- 3. A reorganized unit: a year's facts go to the version taking part that year.
SELECT antq.reorganize((antq.unit_at('00691', '2024-01-01')).unit_id, '2025-07-01', p_name => 'Xã Tân Trào mới');
COPY antq.assessment_by_code (unit_code, year, crime_count) FROM STDIN (FORMAT csv);
00691,2024,2
00691,2025,1
\.
SELECT is((SELECT string_agg(a.year || ' ' || u.valid_from, ', ' ORDER BY a.year) FROM antq.assessment a JOIN antq.unit u USING (unit_id)
            WHERE u.code = '00691' AND a.year IN (2024, 2025)),
          '2024 2004-01-01, 2025 2025-07-01', 'after a reorganization, 2024 lands on the old version and 2025 on the new one');

-- 4. Confinement: w08, bound to province 08, COPYs its own facts and is refused 04's.
CREATE ROLE w08 LOGIN IN ROLE antq_writer;
GRANT pg_read_server_files TO w08;
SELECT antq.grant_province('w08', '08');
SET LOCAL ROLE w08;
SELECT ok(has_table_privilege('antq.assessment_by_code', 'INSERT') AND has_table_privilege('antq.unit_by_code', 'INSERT'),
          'a writer may insert into the by-code views');
COPY antq.unit_by_code (kind, sub_kind, code, name, parent_code, valid_from) FROM STDIN (FORMAT csv);
residential_area,thon,00694-T1,Thôn 1,00694,2020-01-01
\.
COPY antq.assessment_by_code (unit_code, year, crime_count, tipoffs) FROM STDIN (FORMAT csv);
00694-T1,2025,0,2
\.
COPY antq.incident_by_code (unit_code, occurred_on, kind, severity) FROM STDIN (FORMAT csv);
00694-T1,2025-05-05,crime,serious
\.
SELECT is((SELECT concat_ws(' ', a.tipoffs, (SELECT count(*) FROM antq.incident_by_code i WHERE i.unit_code = '00694-T1'))
             FROM antq.assessment_by_code a WHERE a.unit_code = '00694-T1'), '2 1', 'w08 COPYs units, facts and incidents of 08 by code');
SELECT is((SELECT count(*) FROM antq.assessment_by_code WHERE unit_code LIKE '012%'), 0::bigint, 'w08 reads no fact of 04 by code');
SELECT matches(pg_temp.err($$SELECT pg_temp.copy('antq.assessment_by_code (unit_code, year, crime_count)', '
00694-T1,2025,0
01273-X02,2025,5')$$),
               '^42501 row 2: assessment for 2025 \(residential_area 01273-X02\) of province 04 is outside the provinces this session may write \(08\) \| Write only',
               'w08 is refused a fact of 04 by code: insufficient_privilege naming the unit and the row');
SELECT matches(pg_temp.err($$SELECT pg_temp.copy('antq.incident_by_code (unit_code, occurred_on, kind, severity)', '
01273-X02,2025-08-05,crime,serious')$$),
               '^42501 incident on 2025-08-05 \(residential_area 01273-X02\) of province 04 is outside', 'and an incident of 04');
SELECT matches(pg_temp.err($$SELECT pg_temp.copy('antq.unit_by_code (kind, sub_kind, code, name, parent_code, valid_from)', '
residential_area,thon,01273-W1,Thôn W,01273,2025-07-01')$$),
               '^42501 row 1: residential_area 01273-W1 \(commune 01273\) of province 04 is outside', 'and a unit under a commune of 04');
SELECT matches(pg_temp.err($$INSERT INTO antq.unit_by_code (kind, sub_kind, code, name, valid_from) VALUES ('province', 'tinh', '06', 'Tỉnh Bắc Kạn', '2004-01-01')$$),
               '^42501 province 06 of province 06 is outside', 'and another province');
RESET ROLE;
SELECT is((SELECT crime_count FROM antq.assessment_by_code WHERE unit_code = '01273-X02' AND year = 2025), 0, 'the facts of 04 are as they were');

-- 5. The stored results equal a recompute after writing by code.
SELECT antq.refresh();
SELECT is((SELECT string_agg(concat_ws(' ', what, area_level, area_code, year, unit_kind), '; ') FROM antq.verify()), NULL, 'verify() finds nothing after writing by code and refresh');
SELECT ok((SELECT count(*) FROM antq.unit_result r JOIN antq.unit u USING (unit_id) WHERE u.code LIKE '0127%' AND r.year = 2025) >= 4,
          'and the units written by code have results');
SELECT is((SELECT incidents FROM antq.unit_result r JOIN antq.unit u USING (unit_id) WHERE u.code = '01273-TDP01' AND r.year = 2025),
          3, 'the incidents written by code reach the result');

-- The views: described, read as the caller.
SELECT is((SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'antq'::regnamespace AND c.relname LIKE '%\_by\_code'
             AND c.reloptions @> ARRAY['security_invoker=true'] AND obj_description(c.oid, 'pg_class') ~ '\(.*theo mã'), 7::bigint,
          'seven by-code views, each security_invoker and described in English and Vietnamese');

-- The year facts' views and triggers are written out table by table (sql/58_by_code.sql): each
-- view shows every column of its table but unit_id, in the table's order after unit_code; its
-- end trigger writes each column in both of its INSERTs, updates each one outside the primary key
-- and resolves conflicts on that key. Lists what breaks this.
SELECT is(ARRAY(
  SELECT t.t || ': ' || x.what FROM unnest(ARRAY['assessment', 'score', 'model_check', 'decision', 'model_participation']) AS t(t)
   CROSS JOIN LATERAL (SELECT p.prosrc FROM pg_catalog.pg_proc p
                        WHERE p.oid = format('antq.%s_by_code_end()', t.t)::regprocedure) e
   CROSS JOIN LATERAL (SELECT array_agg(a.attname::text ORDER BY a.attnum) AS cols
                         FROM pg_catalog.pg_attribute a
                        WHERE a.attrelid = ('antq.' || t.t)::regclass AND a.attnum > 0 AND NOT a.attisdropped
                          AND a.attname <> 'unit_id') c
   CROSS JOIN LATERAL (SELECT array_agg(a.attname::text ORDER BY a.attnum) AS keys
                         FROM pg_catalog.pg_index i JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                        WHERE i.indrelid = ('antq.' || t.t)::regclass AND i.indisprimary AND a.attname <> 'unit_id') k
   CROSS JOIN LATERAL (
     SELECT 'view columns' AS what
      WHERE ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
                   WHERE a.attrelid = ('antq.' || t.t || '_by_code')::regclass AND a.attnum > 0 AND NOT a.attisdropped
                   ORDER BY a.attnum) IS DISTINCT FROM 'unit_code'::text || c.cols
     UNION ALL
     SELECT 'conflict key' WHERE (SELECT count(*) FROM regexp_matches(e.prosrc,
                                    format('ON CONFLICT \(unit_id, %s\) DO UPDATE', array_to_string(k.keys, ', ')), 'g')) <> 2
     UNION ALL
     SELECT 'written: ' || col FROM unnest(c.cols) col
      WHERE (SELECT count(*) FROM regexp_matches(e.prosrc, format('\mx\.%s\M', col), 'g')) < 2
     UNION ALL
     SELECT 'updated: ' || col FROM unnest(c.cols) col
      WHERE col <> ALL (k.keys)
        AND (SELECT count(*) FROM regexp_matches(e.prosrc, format('\m%1$s = EXCLUDED\.%1$s\M', col), 'g')) <> 2) x),
  '{}'::text[], 'each by-code view and end trigger covers every column of its table, keyed as the table is');

-- The C trigger keeping the rows (extension/facts/by_code_keep.c), misused: on a table, and
-- on a view without the statement trigger that numbers its rows from 1.
CREATE TABLE pg_temp.not_a_view (LIKE antq.assessment_by_code);
CREATE TRIGGER write BEFORE INSERT ON pg_temp.not_a_view FOR EACH ROW EXECUTE FUNCTION antq.assessment_by_code_write('antq_assessment_stash');
SELECT is(pg_temp.err($$INSERT INTO pg_temp.not_a_view (unit_code, year) VALUES ('01273-X02', 2025)$$),
          '39P01 antq.by_code_keep keeps the rows inserted into a view | Use it as the BEFORE INSERT FOR EACH STATEMENT and INSTEAD OF INSERT FOR EACH ROW trigger of a by-code view, naming its temporary table. | ',
          'the trigger keeping rows by code refuses to run on a table');
CREATE VIEW pg_temp.unstarted AS SELECT * FROM antq.assessment_by_code;
CREATE TRIGGER write INSTEAD OF INSERT ON pg_temp.unstarted FOR EACH ROW EXECUTE FUNCTION antq.assessment_by_code_write('antq_assessment_stash');
SELECT is(pg_temp.err($$INSERT INTO pg_temp.unstarted (unit_code, year) VALUES ('01273-X02', 2025)$$),
          '55000 a row of unstarted came without the start of its statement | Give the view a BEFORE INSERT FOR EACH STATEMENT trigger calling it with the same temporary table, as sql/58_by_code.sql does. | ',
          'and a row whose statement was not started: nothing is numbered wrongly');

-- A session's own table in the place of the rows' table is refused, not written into.
DROP TABLE IF EXISTS pg_temp.antq_assessment_stash;
CREATE TEMP TABLE antq_assessment_stash (rowno bigint, unit_code integer, year text);
SELECT is(pg_temp.err($$INSERT INTO antq.assessment_by_code (unit_code, year) VALUES ('01273-X02', 2025)$$),
          '42809 the temporary table antq_assessment_stash does not hold a row number and the columns of assessment_by_code | Drop the session''s own table pg_temp.antq_assessment_stash, which antq uses for writes by code. | ',
          'a temporary table of the session named as the rows'' table but of other columns is refused');
DROP TABLE pg_temp.antq_assessment_stash;

SELECT * FROM finish();
ROLLBACK;

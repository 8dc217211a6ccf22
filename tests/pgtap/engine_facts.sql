-- Fact tables: resends by natural key (INSERT ... ON CONFLICT), what pg_dump keeps of the
-- facts and rules, the live view against the stored results, and the recompute replacing rows.
BEGIN;
SELECT plan(10);
\ir engine_fixture.psql

SELECT pg_temp.add_unit('residential_area', '00691-T1') AS ra \gset
SELECT pg_temp.good(:ra);
INSERT INTO antq.assessment (unit_id, year, crime_count) VALUES (:ra, 2024, 9)
    ON CONFLICT (unit_id, year) DO UPDATE SET crime_count = EXCLUDED.crime_count;
SELECT is((SELECT crime_count FROM antq.assessment WHERE unit_id = :ra AND year = 2024), 9, 'a resent assessment updates the row of its unit and year');

INSERT INTO antq.incident (unit_id, occurred_on, kind, reference) VALUES (:ra, '2024-03-01', 'prolonged_dispute', 'VV-1')
    ON CONFLICT (unit_id, reference) DO UPDATE SET kind = EXCLUDED.kind, occurred_on = EXCLUDED.occurred_on;
INSERT INTO antq.incident (unit_id, occurred_on, kind, reference) VALUES (:ra, '2024-03-02', 'separatism', 'VV-1')
    ON CONFLICT (unit_id, reference) DO UPDATE SET kind = EXCLUDED.kind, occurred_on = EXCLUDED.occurred_on;
SELECT results_eq($$ SELECT kind, occurred_on FROM antq.incident $$, $$ VALUES ('separatism', '2024-03-02'::date) $$,
                  'a resent incident with the same reference replaces the first');

INSERT INTO antq.model_check (unit_id, year, criterion_no, met) VALUES (:ra, 2024, 1, false)
    ON CONFLICT (unit_id, year, criterion_no) DO UPDATE SET met = EXCLUDED.met;
INSERT INTO antq.model_check (unit_id, year, criterion_no, met) VALUES (:ra, 2024, 1, true)
    ON CONFLICT (unit_id, year, criterion_no) DO UPDATE SET met = EXCLUDED.met;
SELECT is((SELECT count(*) FROM antq.model_check WHERE met), 1::bigint, 'a resent model check replaces the first');

SELECT is((SELECT pg_catalog.array_agg(c.relname || '=' || x.cond ORDER BY c.relname)
             FROM pg_catalog.pg_extension e, unnest(e.extconfig, e.extcondition) AS x(oid, cond)
             JOIN pg_catalog.pg_class c ON c.oid = x.oid
            WHERE e.extname = 'antq' AND c.relname NOT LIKE 'unit%'),
          ARRAY['assessment=', 'audit_log=', 'audit_log_batch_id_seq=', 'criteria_set=WHERE NOT shipped', 'criterion=WHERE NOT shipped', 'decision=', 'incident=',
                'incident_incident_id_seq=', 'model_check=', 'model_participation=', 'province_grant=', 'rating_band=WHERE NOT shipped', 'score=',
                'scoring_item=WHERE NOT shipped', 'scoring_sheet=WHERE NOT shipped', 'scoring_sheet_sheet_id_seq='],
          'pg_dump keeps every fact, the audit trail and only the rules rows a province added');
SELECT is((SELECT count(*) FROM antq.criterion WHERE NOT shipped), 0::bigint, 'every shipped criterion is marked shipped');
SELECT is((SELECT count(DISTINCT criterion_no) FROM antq.criterion WHERE set_id = 'model-commune'), 34::bigint, 'the model commune set has 34 criteria');

SELECT is(antq.compute_results('08', 2024), 3::bigint, 'compute_results writes the residential area and both communes');
SELECT results_eq($$ SELECT unit_id, safe_attainment::text, rating::text FROM antq.unit_result_computed WHERE province_code = '08' AND year = 2024 ORDER BY unit_id $$,
                  $$ SELECT unit_id, safe_attainment::text, rating::text FROM antq.unit_result ORDER BY unit_id $$,
                  'the live view gives what compute_results stored');
UPDATE antq.assessment SET implements_policy = false WHERE unit_id = :ra AND year = 2024;
SELECT is(antq.compute_results('08', 2024), 1::bigint, 'a recompute rewrites only the row whose result changed (the communes'' stay as they were)');
SELECT is((SELECT safe_attainment::text FROM antq.unit_result WHERE unit_id = :ra), '+---+', 'the replaced row shows the change');

SELECT * FROM finish();
ROLLBACK;

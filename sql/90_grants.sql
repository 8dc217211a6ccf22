-- Privileges (quyền), granted last so that they cover every object created before. The rule:
-- readers read the analyst API, writers write units and facts, admins edit the rules and may
-- run antq.refresh; results (antq.unit_result), summaries (antq.summary) and the queue
-- (antq.pending) are written only by the extension's own code: the worker (which connects as
-- the bootstrap superuser) and SECURITY DEFINER functions owned by the extension's owner.
-- Upgrade scripts grant on what they add, by the same rule.

-- Tables: readers read every table and view of the extension but the queue, which is the
-- worker's (antq.worker_status shows its depth). Row-locking reads (FOR UPDATE, FOR SHARE)
-- need UPDATE, which no reader holds.
GRANT SELECT ON ALL TABLES IN SCHEMA antq TO antq_reader;
REVOKE SELECT ON antq.pending, antq.pending_set_aside FROM antq_reader;
-- Which role is confined to which province is the admins' to read (sql/57_confine.sql); they
-- change it through antq.grant_province and antq.revoke_province only.
REVOKE SELECT ON antq.province_grant FROM antq_reader;
GRANT SELECT ON antq.province_grant TO antq_admin;
-- The audit trail (sql/56_audit.sql) is for admins only, through its view: it shows who wrote
-- what in every province. Nobody is granted INSERT, UPDATE, DELETE or TRUNCATE on it.
REVOKE SELECT ON antq.audit, antq.audit_log FROM antq_reader;
GRANT SELECT ON antq.audit TO antq_admin;

-- Functions: PostgreSQL lets PUBLIC execute every new function. Take that back from all of
-- schema antq and grant each function to those who need it, so that nothing that writes or
-- locks is left executable by PUBLIC, and a function added later is executable by nobody
-- until it is granted here (tests/pgtap/privileges.sql lists what each role may call).
-- Trigger functions need no grant to fire; CREATE TRIGGER needs EXECUTE, so without it
-- nobody but the owner can attach the capture (or any other) trigger function to a table.
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA antq FROM PUBLIC;

-- Anybody who can use the types: their input/output, operators, comparison and hash support,
-- casts and aggregates (pure functions of their arguments, reading no table). The executor
-- checks EXECUTE on the function behind every operator and cast it runs, as the caller.
GRANT EXECUTE ON FUNCTION
    antq.rating_in(pg_catalog.cstring), antq.rating_out(antq.rating), antq.rating_recv(pg_catalog.internal), antq.rating_send(antq.rating),
    antq.rating_eq(antq.rating, antq.rating), antq.rating_ne(antq.rating, antq.rating), antq.rating_lt(antq.rating, antq.rating), antq.rating_le(antq.rating, antq.rating), antq.rating_gt(antq.rating, antq.rating), antq.rating_ge(antq.rating, antq.rating),
    antq.rating_cmp(antq.rating, antq.rating), antq.rating_hash(antq.rating), antq.rating_hash_extended(antq.rating, pg_catalog.int8),
    antq.rating_smaller(antq.rating, antq.rating), antq.rating_larger(antq.rating, antq.rating), antq.min(antq.rating), antq.max(antq.rating),
    antq.rating_to_int(antq.rating), antq.rating_from_int(pg_catalog.int4),
    antq.share_in(pg_catalog.cstring), antq.share_out(antq.share), antq.share_recv(pg_catalog.internal), antq.share_send(antq.share),
    antq.share_eq(antq.share, antq.share), antq.share_ne(antq.share, antq.share), antq.share_lt(antq.share, antq.share), antq.share_le(antq.share, antq.share), antq.share_gt(antq.share, antq.share), antq.share_ge(antq.share, antq.share),
    antq.share_cmp(antq.share, antq.share), antq.share_hash(antq.share), antq.share_hash_extended(antq.share, pg_catalog.int8),
    antq.share(pg_catalog.int8, pg_catalog.int8), antq.numerator(antq.share), antq.denominator(antq.share),
    antq.share_add(antq.share, antq.share), antq.share_sum_accum(antq.share, antq.share), antq.share_of_accum(antq.share, pg_catalog.bool),
    antq.sum(antq.share), antq.share_of(pg_catalog.bool),
    antq.percent(antq.share), antq.percent(antq.share, pg_catalog.int4), antq.share_to_numeric(antq.share), antq.share_to_float8(antq.share),
    antq.format_vi(antq.share), antq.format_vi(antq.share, pg_catalog.int4),
    antq.attainment_in(pg_catalog.cstring), antq.attainment_out(antq.attainment), antq.attainment_recv(pg_catalog.internal), antq.attainment_send(antq.attainment),
    antq.attainment_eq(antq.attainment, antq.attainment), antq.attainment_ne(antq.attainment, antq.attainment),
    antq.attainment_hash(antq.attainment), antq.attainment_hash_extended(antq.attainment, pg_catalog.int8),
    antq.criteria_count(antq.attainment), antq.met_count(antq.attainment), antq.applicable_count(antq.attainment),
    antq.complete(antq.attainment), antq.missing(antq.attainment), antq.met_share(antq.attainment),
    antq.criterion_state(antq.attainment, pg_catalog.int4), antq.attainment(pg_catalog.bool[])
  TO PUBLIC;

-- Readers: the analyst API. Each reads only what the caller may SELECT (none is SECURITY
-- DEFINER) and writes nothing; the views call some of them, as the caller.
GRANT EXECUTE ON FUNCTION
    -- the registry
    antq.unit_at(text, date), antq.units_under(bigint, date), antq.units_under(text, date),
    antq.predecessors(bigint), antq.successors(bigint), antq.current_version(bigint, date),
    -- labels, formats and lists the messages, views and checks use
    antq.unit_label(text, text, text), antq.unit_label(bigint), antq.date_label(date), antq.code_rule(text),
    antq.incident_kinds(), antq.severity_rank(text), antq.fact_type(text),
    -- the engine
    antq.evaluate(text, text, text, text, integer, antq.assessment, antq.assessment[], antq.incident[], integer[], integer[], integer[]),
    antq.explain(text, text, text, text, integer, antq.assessment, antq.assessment[], antq.incident[], integer[], integer[], integer[]),
    antq.classify(text, text, integer, numeric, boolean),
    -- what the planner puts in place of complete(evaluate(...)) and classify(..., complete(evaluate(...)))
    antq.evaluate_complete(text, text, text, text, integer, antq.assessment, antq.assessment[], antq.incident[], integer[], integer[], integer[]),
    antq.classify_evaluated(text, text, integer, numeric, text, text, text, text, integer, antq.assessment, antq.assessment[], antq.incident[], integer[], integer[], integer[]),
    antq.window_start(text, integer), antq.window_end(text, integer),
    -- who may take part in the model-unit programme (sql/49_model_programme.sql)
    antq.model_eligibility(text, integer),
    -- which unit-years have a result
    antq.current_year(), antq.kinds_taking_part(integer), antq.kind_takes_part(text, text, integer),
    -- results and summaries computed live, and the comparison with what is stored
    antq.unit_inputs(text, integer, bigint[]), antq.results_computed(text, integer, bigint[], boolean),
    antq.results_stale(integer), antq.explain_unit(bigint, integer, text),
    antq.summary_levels(text, text, text, boolean), antq.summary_measures(text, integer, antq.unit_result[], antq.unit_result[]),
    antq.summary_computed(text, integer), antq.summary_nation(integer),
    antq.ratio(numeric, numeric), antq.incidents_add(jsonb, jsonb), antq.incidents_sum(jsonb),
    antq.reported_share(integer, integer, integer),
    antq.keys_in_scope(text, integer), antq.verify(text, integer),
    -- the workers, as antq.worker_status shows them (other databases' only to pg_read_all_stats)
    antq.worker_status_raw(),
    -- the window of years and dates accepted, and the clipping of text that messages quote
    antq.year_min(), antq.year_max(), antq.date_min(), antq.date_max(), antq.year_window_hint(),
    antq.clip(text, integer), antq.nfc(text), antq.residential_sub_kind(text), antq.residential_sub_kinds(),
    -- the fixed labels of kinds and classification levels the views show, and the words of reasons
    antq.unit_kinds(), antq.rating_levels(), antq.term_labels(),
    -- the provinces the session is confined to, which every row-level security policy reads
    antq.confined_provinces(name)
  TO antq_reader;

-- Writers: the registry's helpers (they write antq.unit and antq.unit_lineage, which writers
-- may write anyway), the facts' error helper their checks call, and the lock of a unit code
-- (a writer can hold up a code's registration by registering it anyway; a reader cannot).
GRANT EXECUTE ON FUNCTION
    antq.merge_units(bigint, bigint[], date, bigint, text, text, text, bigint),
    antq.reorganize(bigint, date, bigint, text, text, text, bigint),
    antq.reopen_under(bigint[], bigint, date, text),
    antq.apply_reorganization(date, jsonb, text), antq.reorganization_steps(jsonb),
    antq.fact_reject(text, text, bigint, integer, text, text),
    antq.fact_out_of_range(text, text, text, bigint, integer, text, text),
    -- where a fact is stored (sql/48_facts_unit.sql): the checks and the registry's trigger call them as the writer
    antq.fact_version(text, bigint, integer), antq.fact_unit(text, bigint, integer, date, text[]), antq.move_facts(text[], text[]),
    antq.facts_conflict(text, text[]),
    -- taken by the registry's check of a unit (antq.unit_check) as the writer
    antq.lock_unit_code(text),
    -- the write policies' test of a unit's province and their error (sql/57_confine.sql)
    antq.unit_within_reach(text, bigint, text[]), antq.confine_reject(text, text, text, text[]),
    -- what the by-code views' triggers call as the writer (sql/58_by_code.sql)
    antq.code_within_reach(text, text, text, text[]), antq.by_code_missing(text, text, integer, date, bigint),
    antq.unit_by_code_apply(antq.unit_by_code, bigint, bigint), antq.unit_by_code_refs(antq.unit_by_code)
  TO antq_writer;

-- Writers write units and facts by code through the views of sql/58_by_code.sql (COPY too);
-- their triggers write the base tables as the writer, under its row-level security.
GRANT INSERT ON antq.unit_by_code, antq.assessment_by_code, antq.score_by_code, antq.model_check_by_code,
                antq.decision_by_code, antq.model_participation_by_code, antq.incident_by_code TO antq_writer;

-- Admins: the rules' error helper their checks call, and the synchronous refresh (SECURITY
-- DEFINER: it writes results and summaries as the extension's owner).
GRANT EXECUTE ON FUNCTION
    antq.rule_reject(text, text, text, text, text),
    antq.rule_out_of_range(text, text, text, text, text, text),
    antq.refresh(text, integer),
    -- binding login roles to provinces (SECURITY DEFINER; refused to a confined caller)
    antq.grant_province(regrole, text), antq.revoke_province(regrole, text)
  TO antq_admin;

-- Executable by nobody but the owner (and superusers), on purpose:
--  * trigger functions: unit_check, unit_lineage_check, assessment_check (and assessment_check_full, which it calls), incident_check,
--    score_check, model_check_check, decision_check, model_participation_check, unit_facts_follow, year_fact_tables (read by move_facts as the owner), criterion_check, the by-code views'
--    triggers (unit_by_code_begin, _write, _end and their kin for each fact view), check_rating_bands,
--    check_band_scores, rule_scope_check, scoring_item_check, rules_changed, pending_taken, and the capture triggers capture_facts, capture_registry,
--    capture_lineage, capture_rules (they write the queue below the executor);
--  * putting tables under capture: attach_capture, capture_changes, capture_rule_changes;
--  * the audit trail: its trigger audit_changes (which writes antq.audit_log as its owner),
--    attach_audit, audit_prune (the worker's, which deletes expired rows), and open_year (the
--    worker's, which recomputes a new year for the whole nation);
--  * the worker's side, which writes results, summaries and the queue or takes the recompute
--    locks: take_pending, process_pending, recompute_keys, recompute_units, recompute_unit_keys,
--    units_affected, results_moved, summary_add, compute_results,
--    commune_results, lock_keys, lock_recompute_key, expand_keys, unit_versions_after,
--    wake_worker, queue_units, queue_elsewhere, rules_check_current, and the setting aside
--    of failing keys: set_key_aside, retry_delay, units_union;
--  * grant_check, the checks antq.grant_province and antq.revoke_province run as the owner;
--  * engine_support (planner support, called by the planner without a privilege check).

-- Change capture (ghi nhận thay đổi): statement-level triggers written in C on every fact,
-- registry and rules table. They read the statement's transition tables and collect, for the
-- transaction, the touched years of each province (merged into ranges) and the units whose
-- facts changed; at pre-commit one row per province and range goes into antq.pending, and the
-- database's worker is woken at commit. No row-level trigger, no query per row, but for the
-- changes a logical-replication subscription applies (a row trigger that fires there only).
--
-- What each write queues (the capture rules) is stated once, in docs/architecture.md, "The
-- capture rules". TRUNCATE has no transition table: a BEFORE TRUNCATE trigger reads the keys
-- of the rows about to go.

CREATE FUNCTION antq.capture_facts() RETURNS trigger
AS 'MODULE_PATHNAME', 'antq_capture_facts' LANGUAGE C;
COMMENT ON FUNCTION antq.capture_facts() IS
  'Change-capture trigger of a fact table (ghi nhận thay đổi số liệu): arguments are the unit column and the period column (year integer or date); queues the touched provinces and years with the units changed.';

CREATE FUNCTION antq.capture_registry() RETURNS trigger
AS 'MODULE_PATHNAME', 'antq_capture_registry' LANGUAGE C;
COMMENT ON FUNCTION antq.capture_registry() IS
  'Change-capture trigger of antq.unit (ghi nhận thay đổi danh mục): queues the provinces of old and new unit versions for the years they are in force and refreshes every session''s unit-to-province cache.';

CREATE FUNCTION antq.capture_lineage() RETURNS trigger
AS 'MODULE_PATHNAME', 'antq_capture_lineage' LANGUAGE C;
COMMENT ON FUNCTION antq.capture_lineage() IS
  'Change-capture trigger of antq.unit_lineage (ghi nhận thay đổi sáp nhập, chia tách): queues each successor named by the changed links, and every version that grew out of it in turn, for the years it is in force, by unit.';

CREATE FUNCTION antq.capture_rules() RETURNS trigger
AS 'MODULE_PATHNAME', 'antq_capture_rules' LANGUAGE C;
COMMENT ON FUNCTION antq.capture_rules() IS
  'Change-capture trigger of a rules table (ghi nhận thay đổi tiêu chí): queues the province (every province for a national set) and the years of the rule set each changed row is or belongs to (arguments: ''years'', or the set table and the key column; then optionally a text[] of columns no result reads, whose change alone queues nothing); without arguments every province for every year from antq.capture_first_year through next year.';

CREATE FUNCTION antq.wake_worker() RETURNS void
AS 'MODULE_PATHNAME', 'antq_wake_worker' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION antq.wake_worker() IS
  'Wakes this database''s antq worker when the transaction commits (đánh thức tiến trình nền), asking the launcher to start one if none runs.';

CREATE FUNCTION antq.queue_units(p_province_code text, p_year integer, p_unit_ids bigint[]) RETURNS integer
AS 'MODULE_PATHNAME', 'antq_queue_units' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION antq.queue_units(text, integer, bigint[]) IS
  'Queues the listed units of a province for one year in the transaction''s change set (xếp hàng đơn vị cần tính lại), as a change of their facts would: written into antq.pending when the transaction commits, and the worker woken; for the worker, which hands on the versions in other provinces that grew out of the units it recomputes. Returns the number of units queued.';

-- Attach the four capture triggers (insert, update, delete with transition tables; truncate
-- before) to a table, calling p_function with p_args. They fire ALWAYS, also in sessions with
-- session_replication_role = replica (which tools set to bulk-load without foreign-key checks,
-- and which a subscription's initial copy runs under): a write the capture misses leaves
-- results stale without a trace. A subscription's apply of single changes fires row triggers
-- only, never statement triggers: a fifth, row-level trigger captures those.
CREATE FUNCTION antq.attach_capture(p_table regclass, p_function text, p_args text[])
RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    args text := (SELECT coalesce(string_agg(quote_literal(a), ', ' ORDER BY o), '')
                  FROM unnest(p_args) WITH ORDINALITY AS x(a, o));
    fn   text := format('%s(%s)', p_function, args);
BEGIN
    EXECUTE format('CREATE TRIGGER antq_capture_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS antq_new FOR EACH STATEMENT EXECUTE FUNCTION %s', p_table, fn);
    EXECUTE format('CREATE TRIGGER antq_capture_update AFTER UPDATE ON %s REFERENCING OLD TABLE AS antq_old NEW TABLE AS antq_new FOR EACH STATEMENT EXECUTE FUNCTION %s', p_table, fn);
    EXECUTE format('CREATE TRIGGER antq_capture_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS antq_old FOR EACH STATEMENT EXECUTE FUNCTION %s', p_table, fn);
    EXECUTE format('CREATE TRIGGER antq_capture_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION %s', p_table, fn);
    EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER antq_capture_insert, ENABLE ALWAYS TRIGGER antq_capture_update, '
                   'ENABLE ALWAYS TRIGGER antq_capture_delete, ENABLE ALWAYS TRIGGER antq_capture_truncate', p_table);
    -- A subscription's apply fires row triggers only: this one, as a one-row statement. It
    -- fires with session_replication_role = replica only, and does nothing but in an apply
    -- worker (extension/capture/capture.c, applied_row).
    EXECUTE format('CREATE TRIGGER antq_capture_applied AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %s', p_table, fn);
    EXECUTE format('ALTER TABLE %s ENABLE REPLICA TRIGGER antq_capture_applied', p_table);
END
$$;
COMMENT ON FUNCTION antq.attach_capture(regclass, text, text[]) IS
  'Attaches the change-capture triggers (trigger ghi nhận thay đổi) to a table: insert, update and delete with transition tables, and truncate.';

-- Capture changes of a fact table whose rows name a unit and a year (integer) or a day (date).
CREATE FUNCTION antq.capture_changes(p_table regclass, p_unit_column text, p_period_column text)
RETURNS void LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$ SELECT antq.attach_capture(p_table, 'antq.capture_facts', ARRAY[p_unit_column, p_period_column]) $$;
COMMENT ON FUNCTION antq.capture_changes(regclass, text, text) IS
  'Puts a fact table under change capture (theo dõi thay đổi): its rows name a unit (bigint) and a year (integer) or a day (date).';

-- Capture changes of a rules table: any change queues everything.
CREATE FUNCTION antq.capture_rule_changes(p_table regclass)
RETURNS void LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$ SELECT antq.attach_capture(p_table, 'antq.capture_rules', ARRAY[]::text[]) $$;
COMMENT ON FUNCTION antq.capture_rule_changes(regclass) IS
  'Puts a rules table under change capture (theo dõi thay đổi tiêu chí): any change queues every province and year.';

-- Nobody but the extension's owner (and superusers) may execute the capture functions above:
-- CREATE TRIGGER needs EXECUTE, and a capture trigger writes the queue for everybody
-- (sql/90_grants.sql takes PUBLIC's EXECUTE back from every function of the schema).

SELECT antq.attach_capture('antq.unit', 'antq.capture_registry', ARRAY[]::text[]);
SELECT antq.attach_capture('antq.unit_lineage', 'antq.capture_lineage', ARRAY[]::text[]);

-- The fact and rules tables of the engine (sql/3x-4x), when present.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('antq.assessment', 'unit_id', 'year'),
                                   ('antq.score', 'unit_id', 'year'),
                                   ('antq.model_check', 'unit_id', 'year'),
                                   ('antq.decision', 'unit_id', 'year'),
                                   ('antq.model_participation', 'unit_id', 'year'),
                                   ('antq.incident', 'unit_id', 'occurred_on')) AS f(tbl, unit_col, period_col)
    LOOP
        IF pg_catalog.to_regclass(t.tbl) IS NOT NULL THEN
            PERFORM antq.capture_changes(t.tbl::regclass, t.unit_col, t.period_col);
        END IF;
    END LOOP;
    -- A rule change queues the provinces and years of its rule set: the set's own row, or the
    -- set a criterion (set_id), an item or a band (sheet_id) belongs to. The last argument
    -- names the columns no evaluation reads (the rules cache, extension/engine/rules_cache.c, loads
    -- none of them): an edit of those alone queues nothing.
    FOR t IN SELECT * FROM (VALUES ('antq.criteria_set', ARRAY['years', '{title,legal_basis,shipped}']),
                                   ('antq.criterion', ARRAY['antq.criteria_set', 'set_id', '{title,shipped}']),
                                   ('antq.scoring_sheet', ARRAY['years', '{title,legal_basis,shipped}']),
                                   ('antq.scoring_item', ARRAY['antq.scoring_sheet', 'sheet_id', '{title,shipped}']),
                                   ('antq.rating_band', ARRAY['antq.scoring_sheet', 'sheet_id', '{shipped}'])) AS r(tbl, args)
    LOOP
        IF pg_catalog.to_regclass(t.tbl) IS NOT NULL THEN
            PERFORM antq.attach_capture(t.tbl::regclass, 'antq.capture_rules', t.args);
        END IF;
    END LOOP;
END
$$;

-- Audit trail (nhật ký kiểm toán): every change to the registry, the facts and the rules, with
-- who made it (the login role and the role acting), when (the transaction's start and the
-- statement's), what (the table, the operation, the row's key, the old and the new values) and
-- the transaction (xid8: one change's rows share it). Admins read it in the view antq.audit, one
-- row per changed row.
--
-- Stored compactly in antq.audit_log, one row per statement (per 1,000 changed rows), the rows
-- as JSON arrays: a province's yearly COPY of 100,000 assessments writes 100 log rows (1.5 MB),
-- not 100,000 rows and as many index entries; the audit costs an audited single-row update 8%
-- more instructions (bench/RESULTS.md). Written by statement-level C triggers (extension/capture/audit.c) from the
-- statements' transition tables, as the owner of the log: no role may write it (superusers
-- excepted, who can do anything), admins read the view, readers and writers neither. The
-- triggers fire ALWAYS, also under session_replication_role = replica. Installed after the
-- shipped rules (sql/41_rules_data.sql): CREATE EXTENSION records nothing.
--
-- Not audited: the results, summaries and queue (antq's own output, recomputed from what is
-- audited), and the changes a logical-replication subscription applies (the publisher's audit
-- records who made them). antq.audit_retention says how long rows are kept; the worker deletes
-- older ones once an hour, in batches (antq.audit_prune).

CREATE TABLE antq.audit_log (
    batch_id     bigint      GENERATED ALWAYS AS IDENTITY (CACHE 32),
    changed_at   timestamptz NOT NULL,
    statement_at timestamptz NOT NULL,
    login_role   text        NOT NULL,
    acting_role  text        NOT NULL,
    xid          xid8        NOT NULL,
    table_name   text        NOT NULL,
    operation    text        NOT NULL,
    key_columns  text[],
    row_count    integer     NOT NULL,
    old_rows     json,
    new_rows     json
);
-- No index: each costs every audited statement (bench/audit_callgrind.sh counted a BRIN index on
-- changed_at at 11,000 instructions a statement, the primary key at 10,000, a tenth of a
-- single-row update each). The log is read whole or by time (the view) and pruned by a scan
-- once an hour, which finds nothing to do while antq.audit_retention is 0. Each backend takes
-- batch_ids 32 at a time (a WAL record and a buffer lock for every 32, not for each): they are
-- unique and increase within a session, across sessions only roughly, so the changes of a
-- database are ordered by changed_at and statement_at, then batch_id.
-- lz4 where the server has it: the rows' JSON repeats its column names and compresses several
-- times, at little cost to writers (pglz otherwise).
DO $$
BEGIN
    ALTER TABLE antq.audit_log ALTER COLUMN old_rows SET COMPRESSION lz4, ALTER COLUMN new_rows SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    NULL;
END
$$;

COMMENT ON TABLE antq.audit_log IS
  'Audit trail as written (nhật ký kiểm toán, bản ghi gốc): one row per statement (and per 1,000 changed rows) that changed the registry, the facts or the rules, or per TRUNCATE, the changed rows as JSON arrays; written only by antq''s triggers, read through the view antq.audit, kept for antq.audit_retention.';
COMMENT ON COLUMN antq.audit_log.batch_id IS 'Number of the log row (số thứ tự), unique: increasing within a session; sessions take them 32 at a time, so order a database''s changes by changed_at and statement_at first.';
COMMENT ON COLUMN antq.audit_log.changed_at IS 'Start of the changing transaction (thời điểm giao dịch), now().';
COMMENT ON COLUMN antq.audit_log.statement_at IS 'Start of the client statement that made the change (thời điểm câu lệnh), statement_timestamp().';
COMMENT ON COLUMN antq.audit_log.login_role IS 'Role that logged in (người đăng nhập), session_user.';
COMMENT ON COLUMN antq.audit_log.acting_role IS 'Role whose privileges made the change (vai trò thực hiện), current_user: differs from the login role after SET ROLE or inside a SECURITY DEFINER function.';
COMMENT ON COLUMN antq.audit_log.xid IS 'Transaction (mã giao dịch, xid8): the rows of one transaction share it.';
COMMENT ON COLUMN antq.audit_log.table_name IS 'Changed table (bảng thay đổi), schema-qualified, e.g. antq.assessment.';
COMMENT ON COLUMN antq.audit_log.operation IS 'Operation (thao tác): INSERT, UPDATE, DELETE or TRUNCATE.';
COMMENT ON COLUMN antq.audit_log.key_columns IS 'The table''s primary-key columns (cột khóa), which every old and new row shows; NULL for TRUNCATE.';
COMMENT ON COLUMN antq.audit_log.row_count IS 'Changed rows in old_rows and new_rows (số dòng thay đổi); 0 for TRUNCATE.';
COMMENT ON COLUMN antq.audit_log.old_rows IS 'The rows before the change (giá trị cũ), a JSON array of objects, paired by position with new_rows: a deleted row''s columns that were not NULL, an updated row''s key and changed columns; NULL for INSERT and TRUNCATE.';
COMMENT ON COLUMN antq.audit_log.new_rows IS 'The rows after the change (giá trị mới), a JSON array of objects: an inserted row''s columns that are not NULL, an updated row''s key and changed columns; NULL for DELETE and TRUNCATE.';

-- One row per changed row (and one per TRUNCATE), as admins read the trail.
CREATE VIEW antq.audit AS
SELECT l.batch_id, r.row_no::integer AS row_no, l.changed_at, l.statement_at, l.login_role, l.acting_role, l.xid,
       l.table_name, l.operation,
       (SELECT pg_catalog.jsonb_object_agg(k.col, COALESCE(r.new_row, r.old_row) OPERATOR(pg_catalog.->) k.col)
          FROM pg_catalog.unnest(l.key_columns) AS k(col)) AS row_key,
       r.old_row::jsonb AS old_row, r.new_row::jsonb AS new_row
  FROM antq.audit_log l
  LEFT JOIN LATERAL ROWS FROM (pg_catalog.json_array_elements(l.old_rows), pg_catalog.json_array_elements(l.new_rows))
       WITH ORDINALITY AS r(old_row, new_row, row_no) ON true;
COMMENT ON VIEW antq.audit IS
  'Audit trail (nhật ký kiểm toán): one row per row changed in the registry, the facts and the rules (and one per TRUNCATE), with who, when, the key and the old and new values; read by antq_admin only, kept for antq.audit_retention.';
COMMENT ON COLUMN antq.audit.batch_id IS 'Log row holding the change (số thứ tự bản ghi), antq.audit_log.batch_id; with row_no, the order of the changes.';
COMMENT ON COLUMN antq.audit.row_no IS 'Position of the changed row in its log row (thứ tự dòng); NULL for TRUNCATE.';
COMMENT ON COLUMN antq.audit.changed_at IS 'Start of the changing transaction (thời điểm giao dịch), now().';
COMMENT ON COLUMN antq.audit.statement_at IS 'Start of the client statement that made the change (thời điểm câu lệnh), statement_timestamp().';
COMMENT ON COLUMN antq.audit.login_role IS 'Role that logged in (người đăng nhập), session_user.';
COMMENT ON COLUMN antq.audit.acting_role IS 'Role whose privileges made the change (vai trò thực hiện), current_user: differs from the login role after SET ROLE or inside a SECURITY DEFINER function.';
COMMENT ON COLUMN antq.audit.xid IS 'Transaction (mã giao dịch, xid8): the rows of one transaction share it.';
COMMENT ON COLUMN antq.audit.table_name IS 'Changed table (bảng thay đổi), schema-qualified, e.g. antq.assessment.';
COMMENT ON COLUMN antq.audit.operation IS 'Operation (thao tác): INSERT, UPDATE, DELETE or TRUNCATE.';
COMMENT ON COLUMN antq.audit.row_key IS 'Primary key of the changed row (khóa dòng), e.g. {"unit_id": 8001, "year": 2025}; after an UPDATE of the key, the new key (old_row shows the old); NULL for TRUNCATE.';
COMMENT ON COLUMN antq.audit.old_row IS 'The row before the change (giá trị cũ): a deleted row''s columns that were not NULL; an updated row''s key and the columns the UPDATE changed (one missing here but shown in new_row was NULL); NULL for INSERT and TRUNCATE.';
COMMENT ON COLUMN antq.audit.new_row IS 'The row after the change (giá trị mới): an inserted row''s columns that are not NULL; an updated row''s key and changed columns (one missing here but shown in old_row became NULL); NULL for DELETE and TRUNCATE.';

-- pg_dump keeps the trail (the data of an extension's tables is dumped only when marked).
SELECT pg_catalog.pg_extension_config_dump('antq.audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('antq.audit_log_batch_id_seq', '');

CREATE FUNCTION antq.audit_changes() RETURNS trigger
AS 'MODULE_PATHNAME', 'antq_audit_changes' LANGUAGE C;
COMMENT ON FUNCTION antq.audit_changes() IS
  'Audit trigger (ghi nhật ký kiểm toán): AFTER ... FOR EACH STATEMENT on a table, arguments its key columns; records the changed rows in antq.audit_log with the login and acting roles, as the owner of antq.audit_log.';

-- Attach the four audit triggers (insert, update and delete with transition tables; truncate)
-- to a table, keyed by its primary key. ALWAYS: a bulk load with session_replication_role =
-- replica is audited as well.
CREATE FUNCTION antq.attach_audit(p_table regclass) RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    keys text := (SELECT string_agg(quote_literal(a.attname), ', ' ORDER BY k.o)
                  FROM pg_catalog.pg_index i
                  CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, o)
                  JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                  WHERE i.indrelid = p_table AND i.indisprimary);
    fn   text;
BEGIN
    IF keys IS NULL THEN
        RAISE EXCEPTION 'table % has no primary key to audit its rows by', p_table
            USING ERRCODE = 'invalid_table_definition', HINT = 'Add a primary key, then attach the audit again.';
    END IF;
    fn := format('antq.audit_changes(%s)', keys);
    EXECUTE format('CREATE TRIGGER antq_audit_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS antq_new FOR EACH STATEMENT EXECUTE FUNCTION %s', p_table, fn);
    EXECUTE format('CREATE TRIGGER antq_audit_update AFTER UPDATE ON %s REFERENCING OLD TABLE AS antq_old NEW TABLE AS antq_new FOR EACH STATEMENT EXECUTE FUNCTION %s', p_table, fn);
    EXECUTE format('CREATE TRIGGER antq_audit_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS antq_old FOR EACH STATEMENT EXECUTE FUNCTION %s', p_table, fn);
    EXECUTE format('CREATE TRIGGER antq_audit_truncate AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION %s', p_table, fn);
    EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER antq_audit_insert, ENABLE ALWAYS TRIGGER antq_audit_update, '
                   'ENABLE ALWAYS TRIGGER antq_audit_delete, ENABLE ALWAYS TRIGGER antq_audit_truncate', p_table);
END
$$;
COMMENT ON FUNCTION antq.attach_audit(regclass) IS
  'Puts a table under the audit trail (ghi nhật ký kiểm toán): attaches the insert, update, delete and truncate audit triggers, keyed by its primary key.';

-- Delete up to p_limit rows of the audit log older than antq.audit_retention (none, and no
-- scan, when it is 0); returns how many went. The worker calls it once an hour, one batch a
-- transaction, so that no transaction holds many row locks or a long snapshot.
CREATE FUNCTION antq.audit_prune(p_limit integer) RETURNS bigint LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
WITH keep AS (
    SELECT pg_catalog.now() OPERATOR(pg_catalog.-) s.span AS cutoff
      FROM (SELECT pg_catalog.current_setting('antq.audit_retention')::pg_catalog.interval AS span) s
     WHERE s.span OPERATOR(pg_catalog.>) '0'::pg_catalog.interval
), gone AS (
    DELETE FROM antq.audit_log a
    WHERE a.ctid OPERATOR(pg_catalog.=) ANY (ARRAY(
        SELECT o.ctid FROM keep, antq.audit_log o
         WHERE o.changed_at OPERATOR(pg_catalog.<) keep.cutoff
         LIMIT p_limit))
    RETURNING 1
)
SELECT pg_catalog.count(*) FROM gone
$$;
COMMENT ON FUNCTION antq.audit_prune(integer) IS
  'Deletes up to the given number of rows of antq.audit_log older than antq.audit_retention (xóa nhật ký hết hạn); none when it is 0. Returns the number deleted; called by the antq worker once an hour.';

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['antq.unit', 'antq.unit_lineage', 'antq.assessment', 'antq.incident', 'antq.score',
                             'antq.model_check', 'antq.decision', 'antq.model_participation', 'antq.criteria_set', 'antq.criterion',
                             'antq.scoring_sheet', 'antq.scoring_item', 'antq.rating_band']
    LOOP
        IF pg_catalog.to_regclass(t) IS NOT NULL THEN
            PERFORM antq.attach_audit(t::regclass);
        END IF;
    END LOOP;
END
$$;

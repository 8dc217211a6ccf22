-- Audit trail (nhật ký kiểm toán): every change to the registry, the facts and the rules, one
-- row per changed row, with who made it (the login role and the role acting), when (the
-- transaction's start and the statement's), what (the table, the operation, the row's key, the
-- old and the new row as jsonb) and the transaction (xid8: one change's rows share it).
--
-- Written by statement-level C triggers (extension/audit.c) from the statements' transition
-- tables, one INSERT ... SELECT a statement, as the owner of this table: no role may write it
-- (superusers excepted, who can do anything), admins read it, readers and writers do not. The
-- triggers fire ALWAYS, also under session_replication_role = replica. Installed after the
-- shipped rules (sql/41_rules_data.sql): CREATE EXTENSION records nothing.
--
-- Not audited: the results, summaries and queue (antq's own output, recomputed from what is
-- audited), and the changes a logical-replication subscription applies (the publisher's audit
-- records who made them). antq.audit_retention says how long rows are kept; the worker deletes
-- older ones once an hour, in batches (antq.audit_prune).

CREATE TABLE antq.audit (
    audit_id     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    changed_at   timestamptz NOT NULL,
    statement_at timestamptz NOT NULL,
    login_role   text        NOT NULL,
    acting_role  text        NOT NULL,
    xid          xid8        NOT NULL,
    table_name   text        NOT NULL,
    operation    text        NOT NULL,
    row_key      jsonb,
    old_row      jsonb,
    new_row      jsonb,
    CONSTRAINT audit_operation CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'))
);
-- Pruning reads the oldest rows by time; rows arrive in time order, which a BRIN index follows
-- at a fraction of a B-tree's cost to writers.
CREATE INDEX audit_changed_at ON antq.audit USING brin (changed_at);

COMMENT ON TABLE antq.audit IS
  'Audit trail (nhật ký kiểm toán): one row per row changed in the registry, the facts and the rules (and one per TRUNCATE), with who, when, the key and the old and new values; written only by antq''s triggers, read by antq_admin, kept for antq.audit_retention.';
COMMENT ON COLUMN antq.audit.audit_id IS 'Number of the audit row (số thứ tự), increasing in the order rows were written.';
COMMENT ON COLUMN antq.audit.changed_at IS 'Start of the changing transaction (thời điểm giao dịch), now().';
COMMENT ON COLUMN antq.audit.statement_at IS 'Start of the client statement that made the change (thời điểm câu lệnh), statement_timestamp().';
COMMENT ON COLUMN antq.audit.login_role IS 'Role that logged in (người đăng nhập), session_user.';
COMMENT ON COLUMN antq.audit.acting_role IS 'Role whose privileges made the change (vai trò thực hiện), current_user: differs from the login role after SET ROLE or inside a SECURITY DEFINER function.';
COMMENT ON COLUMN antq.audit.xid IS 'Transaction (mã giao dịch, xid8): the rows of one transaction share it.';
COMMENT ON COLUMN antq.audit.table_name IS 'Changed table (bảng thay đổi), schema-qualified, e.g. antq.assessment.';
COMMENT ON COLUMN antq.audit.operation IS 'Operation (thao tác): INSERT, UPDATE, DELETE or TRUNCATE.';
COMMENT ON COLUMN antq.audit.row_key IS 'Primary key of the changed row (khóa dòng), as jsonb, e.g. {"unit_id": 8001, "year": 2025}; NULL for TRUNCATE. An UPDATE that changes the key gives two rows, one under each key.';
COMMENT ON COLUMN antq.audit.old_row IS 'The whole row before the change (giá trị cũ), as jsonb; NULL for INSERT and TRUNCATE.';
COMMENT ON COLUMN antq.audit.new_row IS 'The whole row after the change (giá trị mới), as jsonb; NULL for DELETE and TRUNCATE.';

-- pg_dump keeps the trail (the data of an extension's tables is dumped only when marked).
SELECT pg_catalog.pg_extension_config_dump('antq.audit', '');
SELECT pg_catalog.pg_extension_config_dump('antq.audit_audit_id_seq', '');

CREATE FUNCTION antq.audit_changes() RETURNS trigger
AS 'MODULE_PATHNAME', 'antq_audit_changes' LANGUAGE C;
COMMENT ON FUNCTION antq.audit_changes() IS
  'Audit trigger (ghi nhật ký kiểm toán): AFTER ... FOR EACH STATEMENT on a table, arguments its key columns; records each changed row in antq.audit with the login and acting roles, as the owner of antq.audit.';

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

-- Delete up to p_limit audit rows older than antq.audit_retention (none when it is 0); returns
-- how many went. The worker calls it once an hour, one batch a transaction, so that no
-- transaction holds many row locks or a long snapshot.
CREATE FUNCTION antq.audit_prune(p_limit integer) RETURNS bigint LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
WITH keep AS (
    SELECT pg_catalog.current_setting('antq.audit_retention')::pg_catalog.interval AS span
), gone AS (
    DELETE FROM antq.audit a
    WHERE a.ctid OPERATOR(pg_catalog.=) ANY (ARRAY(
        SELECT o.ctid FROM antq.audit o, keep
        WHERE keep.span OPERATOR(pg_catalog.>) '0'::pg_catalog.interval
          AND o.changed_at OPERATOR(pg_catalog.<) (pg_catalog.now() OPERATOR(pg_catalog.-) keep.span)
        LIMIT p_limit))
    RETURNING 1
)
SELECT pg_catalog.count(*) FROM gone
$$;
COMMENT ON FUNCTION antq.audit_prune(integer) IS
  'Deletes up to the given number of audit rows older than antq.audit_retention (xóa nhật ký hết hạn); none when it is 0. Returns the number deleted; called by the antq worker once an hour.';

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['antq.unit', 'antq.unit_lineage', 'antq.assessment', 'antq.incident', 'antq.score',
                             'antq.model_check', 'antq.decision', 'antq.criteria_set', 'antq.criterion',
                             'antq.scoring_sheet', 'antq.scoring_item', 'antq.rating_band', 'antq.province_grant']
    LOOP
        IF pg_catalog.to_regclass(t) IS NOT NULL THEN
            PERFORM antq.attach_audit(t::regclass);
        END IF;
    END LOOP;
END
$$;

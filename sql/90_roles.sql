-- Roles (vai trò): antq_reader reads, antq_writer writes facts and the registry, antq_admin also
-- edits the rules. Roles are cluster-wide: they are created once and kept when the extension is
-- dropped, since other databases may use them. Every table added to the extension must be granted
-- here (or in its upgrade script).

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) 'antq_reader') THEN
        CREATE ROLE antq_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) 'antq_writer') THEN
        CREATE ROLE antq_writer NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) 'antq_admin') THEN
        CREATE ROLE antq_admin NOLOGIN;
    END IF;
END
$$;
COMMENT ON ROLE antq_reader IS 'antq: reads units, facts, results and summaries (xem số liệu).';
COMMENT ON ROLE antq_writer IS 'antq: writes units and facts, as provincial systems do (nhập số liệu); includes antq_reader.';
COMMENT ON ROLE antq_admin IS 'antq: edits criteria, bands and other rules (quản trị tiêu chí); includes antq_writer.';

GRANT antq_reader TO antq_writer;
GRANT antq_writer TO antq_admin;

GRANT USAGE ON SCHEMA antq TO antq_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA antq TO antq_reader;

-- Writers: the registry (facts are added by the files that create them).
GRANT INSERT, UPDATE, DELETE ON antq.unit, antq.unit_lineage TO antq_writer;

-- Changing the tree is a writer's job; reading it is everybody's.
REVOKE EXECUTE ON FUNCTION antq.merge_units(bigint, bigint[], date, bigint, text, text, text, bigint),
                          antq.reorganize(bigint, date, bigint, text, text, text, bigint),
                          antq.reopen_under(bigint[], bigint, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION antq.merge_units(bigint, bigint[], date, bigint, text, text, text, bigint),
                         antq.reorganize(bigint, date, bigint, text, text, text, bigint),
                         antq.reopen_under(bigint[], bigint, date, text) TO antq_writer;

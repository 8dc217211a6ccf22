-- Roles (vai trò): antq_reader reads, antq_writer writes facts and the registry, antq_admin also
-- edits the rules. Roles are cluster-wide: they are created once and kept when the extension is
-- dropped, since other databases may use them. Roles come first so that each
-- file can grant on the objects it creates; 90_grants.sql grants reading everything.

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

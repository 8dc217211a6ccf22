-- Readers read every table and view of the extension; this file runs last so that it covers
-- every table created before it. Upgrade scripts grant on what they add.
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

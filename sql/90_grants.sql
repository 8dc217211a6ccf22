-- Readers read every table and view of the extension; this file runs last so that it covers
-- every table created before it. Upgrade scripts grant on what they add.
GRANT SELECT ON ALL TABLES IN SCHEMA antq TO antq_reader;

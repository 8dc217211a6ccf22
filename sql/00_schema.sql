-- Schema antq holds every object of the extension (created from antq.control's schema).
-- Every name below is schema-qualified, operators included, so nothing depends on the
-- caller's search_path.

COMMENT ON SCHEMA antq IS
  'antq: the All-People Movement to Protect National Security (Phong trào Toàn dân bảo vệ an ninh Tổ quốc): units, facts, criteria, results and aggregates.';

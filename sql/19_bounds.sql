-- Bounds on what facts and rules may hold (giới hạn giá trị), shared by the validation triggers
-- of the registry (21), the facts (31) and the rules (40). A value out of its range is not a
-- fact: an absurd year or date makes change capture queue the worker for it, a threshold beyond
-- what the engine holds breaks the rules cache for every session, and megabytes of text end up
-- in messages and the server log. The window of years is configured by two superuser-only
-- settings defined in extension/bounds.c: antq.year_min (default 1990) and antq.years_ahead
-- (default 1, so through next year).
--
-- Functions run with search_path = pg_catalog, pg_temp; names are schema-qualified.

CREATE FUNCTION antq.year_min() RETURNS pg_catalog.int4
    LANGUAGE C STABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'antq_year_min';
COMMENT ON FUNCTION antq.year_min() IS
  'Earliest year accepted (năm sớm nhất) in facts, rules and registry dates: the setting antq.year_min (default 1990, superuser only).';

CREATE FUNCTION antq.year_max() RETURNS pg_catalog.int4
    LANGUAGE C STABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'antq_year_max';
COMMENT ON FUNCTION antq.year_max() IS
  'Latest year accepted (năm muộn nhất) in facts, rules and registry dates: the current year at transaction start plus the setting antq.years_ahead (default 1, superuser only).';

CREATE FUNCTION antq.date_min() RETURNS pg_catalog.date
    LANGUAGE C STABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'antq_date_min';
COMMENT ON FUNCTION antq.date_min() IS
  'Earliest date accepted (ngày sớm nhất) in facts and the registry: 1 January of antq.year_min().';

CREATE FUNCTION antq.date_max() RETURNS pg_catalog.date
    LANGUAGE C STABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'antq_date_max';
COMMENT ON FUNCTION antq.date_max() IS
  'Latest date accepted (ngày muộn nhất) in facts and the registry: 31 December of antq.year_max().';

-- The hint of every year or date rejected: the window and where it is set.
CREATE FUNCTION antq.year_window_hint()
RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT format('Years run from %s (antq.year_min) to %s (this year plus antq.years_ahead), dates from %s-01-01 to %s-12-31; '
                'a superuser changes the window with ALTER DATABASE ... SET antq.year_min / antq.years_ahead.',
                antq.year_min(), antq.year_max(), antq.year_min(), antq.year_max())
$$;
COMMENT ON FUNCTION antq.year_window_hint() IS
  'Hint of a rejected year or date (gợi ý khoảng năm hợp lệ): the window accepted and the settings that configure it.';

-- User text quoted in a message, cut to p_max characters: a message (and the server log line
-- it becomes) never carries more than a short excerpt of what was written.
CREATE FUNCTION antq.clip(p_text text, p_max integer DEFAULT 80)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN p_text IS NULL OR length(p_text) OPERATOR(pg_catalog.<=) p_max THEN p_text
              ELSE format('%s… (%s characters)', left(p_text, p_max), length(p_text)) END
$$;
COMMENT ON FUNCTION antq.clip(text, integer) IS
  'User text as quoted in messages (trích đoạn): at most p_max characters, then an ellipsis and the full length, so that errors and the server log stay short.';

-- Raise the error of a fact out of range: SQLSTATE p_errcode (22001, 22003, 22008), the table,
-- field, unit and year named as antq.fact_reject names them, with a hint on the allowed range.
CREATE FUNCTION antq.fact_out_of_range(p_errcode text, p_table text, p_column text, p_unit_id bigint, p_year integer,
                                       p_problem text, p_hint text)
RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- A unit of another province first: the fact was refused for that (sql/57_confine.sql).
    PERFORM antq.unit_within_reach(p_table, p_unit_id, antq.confined_provinces());
    RAISE EXCEPTION '% for % in %: %', p_column, antq.unit_label(p_unit_id), coalesce(p_year::text, '(no year)'), p_problem
        USING ERRCODE = p_errcode, COLUMN = p_column, TABLE = p_table, SCHEMA = 'antq', HINT = p_hint;
END
$$;
COMMENT ON FUNCTION antq.fact_out_of_range(text, text, text, bigint, integer, text, text) IS
  'Reject a fact out of range (từ chối số liệu vượt giới hạn): raises the given SQLSTATE naming the table, field, unit and year, with a hint giving the allowed range.';

-- Raise the error of a rule out of range: SQLSTATE p_errcode, the table, field and rule named as
-- antq.rule_reject names them, with a hint on the allowed range.
CREATE FUNCTION antq.rule_out_of_range(p_errcode text, p_table text, p_column text, p_what text, p_problem text, p_hint text)
RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION '% of %: %', p_column, p_what, p_problem
        USING ERRCODE = p_errcode, COLUMN = p_column, TABLE = p_table, SCHEMA = 'antq', HINT = p_hint;
END
$$;
COMMENT ON FUNCTION antq.rule_out_of_range(text, text, text, text, text, text) IS
  'Reject a rule out of range (từ chối quy tắc vượt giới hạn): raises the given SQLSTATE naming the table, field and rule, with a hint giving the allowed range.';

-- One form for Vietnamese text (dạng chuẩn NFC). A letter such as "ố" can be typed precomposed
-- (NFC, what Vietnamese keyboards produce) or decomposed (NFD: "o", circumflex, acute, as some
-- systems and Mac file names write it). The two look identical, yet compare unequal: a
-- decomposed "Xuất sắc" or "xóm" would be refused with a message showing the accepted text, and
-- two spellings of one name would count as two. The validation triggers store every text field
-- in NFC. Only in UTF8 databases, the one encoding normalize() works in (and that Vietnamese
-- text needs); elsewhere the text is kept as written.
CREATE FUNCTION antq.nfc(p_text text)
RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN p_text IS NULL OR pg_catalog.getdatabaseencoding() OPERATOR(pg_catalog.<>) 'UTF8' THEN p_text
              ELSE pg_catalog.normalize(p_text, 'NFC') END
$$;
COMMENT ON FUNCTION antq.nfc(text) IS
  'Text in Unicode NFC (dạng chuẩn Unicode dựng sẵn), the precomposed form Vietnamese keyboards produce: how the validation triggers store every text field, so that a decomposed (NFD) "xóm" is the same word as a precomposed one. Unchanged outside UTF8 databases.';

-- The criteria engine (bộ máy đánh giá): C functions that evaluate one unit-year from facts passed
-- in as arguments (the query that gathers those facts is in 47_compute.sql), explain an
-- evaluation and classify a score, and the assessment windows.

CREATE FUNCTION antq.evaluate(p_standard text, p_kind text, p_sub_kind text, p_province_code text, p_year integer,
                              p_facts antq.assessment, p_prev antq.assessment[] DEFAULT NULL,
                              p_incidents antq.incident[] DEFAULT NULL, p_unit_counts integer[] DEFAULT NULL,
                              p_checks_met integer[] DEFAULT NULL, p_checks_recorded integer[] DEFAULT NULL)
RETURNS antq.attainment AS 'MODULE_PATHNAME', 'antq_evaluate' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION antq.evaluate(text, text, text, text, integer, antq.assessment, antq.assessment[], antq.incident[], integer[], integer[], integer[]) IS
  'Evaluate a unit-year against the criteria (đánh giá tiêu chí) of a standard (safe or model) for its kind, province and year: national criteria first, then the province''s own. Facts: the assessment row, the previous year''s rows (summed), the incidents in the window, the counts of units under a commune''s authority (per kind residential_area, agency, enterprise, school: total, registered, recognized), the model checks met and recorded. NULL when no criteria apply.';

CREATE FUNCTION antq.explain(p_standard text, p_kind text, p_sub_kind text, p_province_code text, p_year integer,
                             p_facts antq.assessment, p_prev antq.assessment[] DEFAULT NULL,
                             p_incidents antq.incident[] DEFAULT NULL, p_unit_counts integer[] DEFAULT NULL,
                             p_checks_met integer[] DEFAULT NULL, p_checks_recorded integer[] DEFAULT NULL)
RETURNS TABLE (criterion_pos integer, set_id text, criterion_no integer, state text, reason text, reason_vi text)
AS 'MODULE_PATHNAME', 'antq_explain' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION antq.explain(text, text, text, text, integer, antq.assessment, antq.assessment[], antq.incident[], integer[], integer[], integer[]) IS
  'Explain an evaluation (giải thích kết quả): one row per criterion with met / not met / not applicable and the reason in English with the facts as the rules name them (reason, e.g. "4b: serious crime on 2024-03-02, not force majeure, not handled promptly") and in Vietnamese with the level required (reason_vi, e.g. "4b: tội phạm nghiêm trọng ngày 02/03/2024, không phải bất khả kháng, không được phát hiện, xử lý kịp thời"; words from antq.term_labels()). Same arguments as antq.evaluate.';

CREATE FUNCTION antq.classify(p_kind text, p_province_code text, p_year integer, p_score numeric, p_safe_met boolean)
RETURNS antq.rating AS 'MODULE_PATHNAME', 'antq_classify' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION antq.classify(text, text, integer, numeric, boolean) IS
  'Classify a movement (xếp loại phong trào): the rating for a total score by the bands of the sheet for the kind, province and year (the province''s own sheet first), capped by the sheet''s cap_unmet when the safe standard is not met. NULL without a sheet or score.';

-- The natural query classify(..., complete(evaluate(...))) planned as one C call: a planner
-- support function (engine_support.c) puts antq.evaluate_complete in place of
-- complete(evaluate(...)), which stops at the first condition not met and builds no attainment,
-- and antq.classify_evaluated in place of classify(..., evaluate_complete(...)). Users write the
-- nested calls; these two are what EXPLAIN VERBOSE shows.
CREATE FUNCTION antq.evaluate_complete(p_standard text, p_kind text, p_sub_kind text, p_province_code text, p_year integer,
                                       p_facts antq.assessment, p_prev antq.assessment[], p_incidents antq.incident[],
                                       p_unit_counts integer[], p_checks_met integer[], p_checks_recorded integer[])
RETURNS boolean AS 'MODULE_PATHNAME', 'antq_evaluate_complete' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION antq.evaluate_complete(text, text, text, text, integer, antq.assessment, antq.assessment[], antq.incident[], integer[], integer[], integer[]) IS
  'Whether a unit-year meets every applicable criterion (đạt đủ tiêu chí), i.e. antq.complete(antq.evaluate(...)) with the same arguments, in one call: NULL when no criteria apply. Internal: the planner uses it in place of the nested calls, which is what to write.';

CREATE FUNCTION antq.classify_evaluated(p_kind text, p_province_code text, p_year integer, p_score numeric,
                                        p_standard text, p_eval_kind text, p_sub_kind text, p_eval_province_code text, p_eval_year integer,
                                        p_facts antq.assessment, p_prev antq.assessment[], p_incidents antq.incident[],
                                        p_unit_counts integer[], p_checks_met integer[], p_checks_recorded integer[])
RETURNS antq.rating AS 'MODULE_PATHNAME', 'antq_classify_evaluated' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION antq.classify_evaluated(text, text, integer, numeric, text, text, text, text, integer, antq.assessment, antq.assessment[], antq.incident[], integer[], integer[], integer[]) IS
  'Classify a movement (xếp loại phong trào) after evaluating the unit-year, i.e. antq.classify(kind, province, year, score, antq.complete(antq.evaluate(standard, ...))) in one call. Internal: the planner uses it in place of the nested calls, which is what to write.';

CREATE FUNCTION antq.engine_support(internal) RETURNS internal
AS 'MODULE_PATHNAME', 'antq_engine_support' LANGUAGE C STRICT;
COMMENT ON FUNCTION antq.engine_support(internal) IS
  'Planner support (hỗ trợ lập kế hoạch) of antq.complete and antq.classify: plans complete(evaluate(...)) as antq.evaluate_complete(...) and classify(..., evaluate_complete(...)) as antq.classify_evaluated(...).';
ALTER FUNCTION antq.complete(antq.attainment) SUPPORT antq.engine_support;
ALTER FUNCTION antq.classify(text, text, integer, numeric, boolean) SUPPORT antq.engine_support;

CREATE FUNCTION antq.window_start(p_kind text, p_year integer)
RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT pg_catalog.make_date(p_year OPERATOR(pg_catalog.-) 1, 11,
                                  CASE WHEN p_kind OPERATOR(pg_catalog.=) 'residential_area' THEN 1 ELSE 16 END) $$;
COMMENT ON FUNCTION antq.window_start(text, integer) IS
  'First day of the assessment window of year Y (kỳ đánh giá): 1 Nov (Y-1) for residential areas, 16 Nov (Y-1) for all others.';

CREATE FUNCTION antq.window_end(p_kind text, p_year integer)
RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT pg_catalog.make_date(p_year, CASE WHEN p_kind OPERATOR(pg_catalog.=) 'residential_area' THEN 10 ELSE 11 END,
                                  CASE WHEN p_kind OPERATOR(pg_catalog.=) 'residential_area' THEN 31 ELSE 15 END) $$;
COMMENT ON FUNCTION antq.window_end(text, integer) IS
  'Last day (included) of the assessment window of year Y (kỳ đánh giá): 31 Oct (Y) for residential areas, 15 Nov (Y) for all others. A unit version takes part in year Y when it is in force on this day.';

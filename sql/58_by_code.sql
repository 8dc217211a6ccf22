-- Writing by permanent code (ghi số liệu theo mã đơn vị): provincial systems keep units by
-- their permanent codes, not by antq's version ids, and send their exports with COPY. Each view
-- below shows a base table by code and takes INSERT and COPY through an INSTEAD OF trigger,
-- which finds the version the code means and writes the base table as the caller: the base
-- tables' checks, row-level security (sql/57_confine.sql), capture and audit all apply. COPY
-- FROM a base table under row-level security is refused to confined roles by PostgreSQL; COPY
-- FROM a view with an INSTEAD OF INSERT trigger is not.
--
--   unit_by_code         a unit version by code, parent_code, managed_by_code; rows in any order
--   assessment_by_code   and score, model_check, decision, model_participation: a year's facts, on the version taking
--                        part that year (in force on antq.window_end(kind, year))
--   incident_by_code     a dated event, on the version in force on occurred_on
--
-- Resending is idempotent: a row equal to the stored one changes nothing (no update, so no
-- captured change and no audit row); a row that differs updates the stored one. See
-- docs/writing-by-code.md for the keys and what a resend may change.
--
-- Functions run with search_path = pg_catalog, pg_temp; tables are schema-qualified.

-- A code of another province, for a confined session: the write is refused naming the code
-- and its province (42501), as a write by version id is, rather than "no unit has this code".
-- SECURITY DEFINER: the unit is one the caller cannot see. As in antq.unit_within_reach, a
-- confined login's own grants are used whatever p_provinces says.
CREATE FUNCTION antq.code_within_reach(p_table text, p_what text, p_code text, p_provinces text[])
RETURNS boolean LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    reach text[] := coalesce(antq.confined_provinces(SESSION_USER), p_provinces);
    u     record;
BEGIN
    IF reach IS NULL OR EXISTS (SELECT FROM antq.unit v WHERE v.code OPERATOR(pg_catalog.=) p_code
                                   AND v.province_code OPERATOR(pg_catalog.=) ANY (reach)) THEN
        RETURN true;
    END IF;
    SELECT v.kind, v.code, v.province_code INTO u FROM antq.unit v
     WHERE v.code OPERATOR(pg_catalog.=) p_code ORDER BY v.valid_from DESC LIMIT 1;
    IF NOT FOUND THEN
        RETURN true;  -- an unknown code is the caller's to report
    END IF;
    RETURN antq.confine_reject(p_table, format('%s (%s %s)', p_what, u.kind, u.code), u.province_code, reach);
END
$$;
COMMENT ON FUNCTION antq.code_within_reach(text, text, text, text[]) IS
  'Whether a unit code lies in the session''s provinces (mã đơn vị thuộc tỉnh được phép): true when some version does, or the code is unknown; otherwise insufficient_privilege naming what was written, the code and its province. The by-code views'' triggers call it before reporting a code they cannot see.';

-- The error of a fact whose code finds no version: no code, no year or date, a year outside the
-- window, a code of another province, an unknown code, or no version in force that day.
CREATE FUNCTION antq.by_code_missing(p_table text, p_code text, p_year integer, p_on date, p_row bigint DEFAULT NULL)
RETURNS void LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    view     text := p_table || '_by_code';
    dated    boolean := p_table OPERATOR(pg_catalog.=) 'incident';
    what     text := format('%s %s', p_table, CASE WHEN dated THEN 'on ' || antq.date_label(p_on) ELSE 'for ' || coalesce(p_year::text, '(no year)') END);
    versions text;
    pre      text := CASE WHEN p_row IS NOT NULL THEN format('row %s: ', p_row) ELSE '' END;
BEGIN
    IF p_code IS NULL OR p_code OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION '%unit_code of % is empty', pre, what
            USING ERRCODE = 'not_null_violation', COLUMN = 'unit_code', TABLE = view, SCHEMA = 'antq',
                  HINT = 'Give the permanent code of the unit (mã đơn vị), e.g. 00004 or 00004-TDP01.';
    END IF;
    IF (dated AND p_on IS NULL) OR (NOT dated AND p_year IS NULL) THEN
        RAISE EXCEPTION '% of unit_code % is empty', pre || CASE WHEN dated THEN 'occurred_on' ELSE 'year' END, antq.clip(p_code, 40)
            USING ERRCODE = 'not_null_violation', COLUMN = CASE WHEN dated THEN 'occurred_on' ELSE 'year' END, TABLE = view, SCHEMA = 'antq',
                  HINT = CASE WHEN dated THEN 'Give the day the event happened, e.g. 2025-03-02.' ELSE 'Give the year assessed, e.g. 2025.' END;
    END IF;
    IF (dated AND (p_on OPERATOR(pg_catalog.<) antq.date_min() OR p_on OPERATOR(pg_catalog.>) antq.date_max()))
       OR (NOT dated AND (p_year OPERATOR(pg_catalog.<) antq.year_min() OR p_year OPERATOR(pg_catalog.>) antq.year_max())) THEN
        RAISE EXCEPTION '% of unit_code %: % is outside the years antq accepts', pre || CASE WHEN dated THEN 'occurred_on' ELSE 'year' END,
                antq.clip(p_code, 40), CASE WHEN dated THEN antq.date_label(p_on) ELSE p_year::text END
            USING ERRCODE = 'datetime_field_overflow', COLUMN = CASE WHEN dated THEN 'occurred_on' ELSE 'year' END, TABLE = view, SCHEMA = 'antq',
                  HINT = antq.year_window_hint();
    END IF;
    PERFORM antq.code_within_reach(view, pre || what, p_code, antq.confined_provinces());
    SELECT string_agg(format('%s to %s', antq.date_label(v.valid_from), antq.date_label(v.valid_to)), ', ' ORDER BY v.valid_from)
      INTO versions FROM antq.unit v WHERE v.code OPERATOR(pg_catalog.=) p_code;
    IF versions IS NULL THEN
        RAISE EXCEPTION '%unit_code "%" of %: no unit has this code', pre, antq.clip(p_code, 40), what
            USING ERRCODE = 'foreign_key_violation', COLUMN = 'unit_code', TABLE = view, SCHEMA = 'antq',
                  HINT = 'Register the unit first (antq.unit_by_code), or correct the code; antq.unit_by_code lists the codes.';
    END IF;
    RAISE EXCEPTION '%unit_code % of %: the unit is not in force on %', pre, antq.clip(p_code, 40), what,
            antq.date_label(coalesce(p_on, (SELECT antq.window_end(v.kind, p_year) FROM antq.unit v WHERE v.code OPERATOR(pg_catalog.=) p_code LIMIT 1)))
        USING ERRCODE = 'foreign_key_violation', COLUMN = 'unit_code', TABLE = view, SCHEMA = 'antq',
              DETAIL = format('Its versions are valid from %s.', versions),
              HINT = CASE WHEN dated THEN 'An event counts for the version in force the day it happened; correct occurred_on or the unit''s validity.'
                          ELSE 'A year''s facts belong to the version in force on the last day of that year''s assessment window (antq.window_end); correct the year or the unit''s validity.' END;
END
$$;
COMMENT ON FUNCTION antq.by_code_missing(text, text, integer, date, bigint) IS
  'Error of a fact written by code that finds no unit version (mã đơn vị không hợp lệ): an empty code, year or date, one outside the window accepted, a code of another province, an unknown code, or no version in force on the day that counts; names the code, the field and the row when given, with a hint.';

-- ==== Year facts: assessment, score, model_check, decision, model_participation ====
-- One view and three trigger functions per table, the same for each but for the table's
-- columns and key. The view shows every column of its table but unit_id, with unit_code
-- first. The rows of a statement wait in a temporary table (their number, then the view's
-- columns; one insert each, no trigger), kept by the C trigger antq_by_code_keep
-- (extension/facts/by_code_keep.c, named with the table as its argument): it runs once for
-- each row of a batch. The statement trigger at its end resolves the codes and writes them
-- with one INSERT ... SELECT ... ON CONFLICT (the primary key) DO UPDATE where a column
-- differs, so that the base table's statement triggers (capture, audit) run once, not once a
-- row. Columns of antq's own types are compared as text: their = is not on the search_path. A
-- column added to one of the tables is added to its view and to its end trigger's INSERT
-- (tests/pgtap/by_code.sql fails until it is).
-- ---- assessment ----
CREATE VIEW antq.assessment_by_code WITH (security_invoker = true) AS
SELECT u.code AS unit_code, f.year, f.registered_on, f.resolution_on, f.plan_on, f.has_party_org, f.households_total,
       f.households_registered, f.staff_total, f.staff_briefed, f.active_models, f.internal_rules,
       f.implements_policy, f.parents_board_coordination, f.crime_count, f.new_hotspots,
       f.new_vice_persons, f.monitored_managed, f.force_rating, f.force_disciplined, f.has_guard_force,
       f.police_proactive, f.offenders_count, f.subunits_total, f.subunits_rated_good,
       f.crime_reports_received, f.crime_reports_handled, f.outreach_target, f.outreach_reached,
       f.traffic_accidents, f.traffic_deaths, f.traffic_injuries, f.tipoffs, f.extra
  FROM antq.assessment f JOIN antq.unit u ON u.unit_id OPERATOR(pg_catalog.=) f.unit_id;
COMMENT ON VIEW antq.assessment_by_code IS
  'Yearly assessments by unit code (số liệu đánh giá theo mã đơn vị): read the stored assessments by code; INSERT or COPY a province''s yearly batch keyed by unit_code and year, in any order, resent as often as needed (an identical row changes nothing, a changed one updates). Errors name the code, the field and the row.';
COMMENT ON COLUMN antq.assessment_by_code.unit_code IS
  'Permanent code of the unit (mã đơn vị), antq.unit.code; a write goes to the version taking part in the year.';
CREATE FUNCTION antq.assessment_by_code_begin() RETURNS trigger LANGUAGE C AS 'MODULE_PATHNAME', 'antq_by_code_keep';
CREATE FUNCTION antq.assessment_by_code_write() RETURNS trigger LANGUAGE C AS 'MODULE_PATHNAME', 'antq_by_code_keep';
CREATE FUNCTION antq.assessment_by_code_end() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $body$
DECLARE
    s record;
    first_row bigint;
    st text; msg text; det text; hnt text; col text;
BEGIN
    -- One row per key and statement: which of two would be meant is not for antq to guess.
    SELECT min(x.rowno) AS first INTO s FROM pg_temp.antq_assessment_stash x
     GROUP BY x.unit_code, x.year HAVING count(*) > 1 ORDER BY min(x.rowno) LIMIT 1;
    IF FOUND THEN
        first_row := s.first;
        -- The first row whose code finds no version taking part in its year: its error, naming
        -- the row. Its errors come before any other of the statement's.
        SELECT x.rowno, x.unit_code AS code, x.year AS year INTO s FROM pg_temp.antq_assessment_stash x
         WHERE x.year IS NULL OR x.year NOT BETWEEN antq.year_min() AND antq.year_max()
            OR NOT EXISTS (SELECT FROM antq.unit u WHERE u.code = x.unit_code
                              AND u.valid_from <= antq.window_end(u.kind, x.year)
                              AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, x.year)))
         ORDER BY x.rowno LIMIT 1;
        IF FOUND THEN
            PERFORM antq.by_code_missing('assessment', s.code, s.year, NULL, s.rowno);
        END IF;
        -- The rows of that key, in order.
        SELECT y.unit_code AS code, array_agg(y.rowno ORDER BY y.rowno) AS rows INTO s
          FROM pg_temp.antq_assessment_stash y JOIN pg_temp.antq_assessment_stash z ON z.rowno = first_row
           AND (y.unit_code, y.year) IS NOT DISTINCT FROM (z.unit_code, z.year)
         GROUP BY y.unit_code;
        RAISE EXCEPTION 'rows % of the statement are the same % of unit_code % (%)', array_to_string(s.rows, ', '), 'assessment',
                antq.clip(s.code, 40), 'unit_code, year'
            USING ERRCODE = 'cardinality_violation', COLUMN = 'unit_code', TABLE = 'assessment_by_code', SCHEMA = 'antq',
                  HINT = 'Send each row once in a statement; a later statement may correct it.';
    END IF;
    -- The write, every row at once (%s: true); the rows go to the versions taking part in
    -- their years, and a row equal to the stored one changes nothing.
    -- A row whose code finds no version taking part in its year stops it with that row's
    -- error (antq.by_code_missing always raises: its void is never cast), so that the codes
    -- are looked up once, by this join, unless something fails.
    BEGIN
        EXECUTE format($q$
            INSERT INTO antq.assessment AS f (unit_id, year, registered_on, resolution_on, plan_on, has_party_org, households_total,
                                              households_registered, staff_total, staff_briefed, active_models, internal_rules,
                                              implements_policy, parents_board_coordination, crime_count, new_hotspots, new_vice_persons,
                                              monitored_managed, force_rating, force_disciplined, has_guard_force, police_proactive,
                                              offenders_count, subunits_total, subunits_rated_good, crime_reports_received,
                                              crime_reports_handled, outreach_target, outreach_reached, traffic_accidents, traffic_deaths,
                                              traffic_injuries, tipoffs, extra)
            SELECT CASE WHEN u.unit_id IS NULL OR x.year NOT BETWEEN antq.year_min() AND antq.year_max()
                        THEN antq.by_code_missing('assessment', x.unit_code, x.year, NULL, x.rowno)::text::bigint ELSE u.unit_id END,
                   x.year, x.registered_on, x.resolution_on, x.plan_on, x.has_party_org,
                   x.households_total, x.households_registered, x.staff_total, x.staff_briefed,
                   x.active_models, x.internal_rules, x.implements_policy,
                   x.parents_board_coordination, x.crime_count, x.new_hotspots, x.new_vice_persons,
                   x.monitored_managed, x.force_rating, x.force_disciplined, x.has_guard_force,
                   x.police_proactive, x.offenders_count, x.subunits_total, x.subunits_rated_good,
                   x.crime_reports_received, x.crime_reports_handled, x.outreach_target,
                   x.outreach_reached, x.traffic_accidents, x.traffic_deaths, x.traffic_injuries,
                   x.tipoffs, x.extra
              FROM pg_temp.antq_assessment_stash x
              LEFT JOIN antq.unit u ON u.code = x.unit_code AND u.valid_from <= antq.window_end(u.kind, x.year)
               AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, x.year))
             WHERE %s ORDER BY x.rowno
                ON CONFLICT (unit_id, year) DO UPDATE
               SET registered_on = EXCLUDED.registered_on, resolution_on = EXCLUDED.resolution_on,
                   plan_on = EXCLUDED.plan_on, has_party_org = EXCLUDED.has_party_org,
                   households_total = EXCLUDED.households_total,
                   households_registered = EXCLUDED.households_registered, staff_total = EXCLUDED.staff_total,
                   staff_briefed = EXCLUDED.staff_briefed, active_models = EXCLUDED.active_models,
                   internal_rules = EXCLUDED.internal_rules, implements_policy = EXCLUDED.implements_policy,
                   parents_board_coordination = EXCLUDED.parents_board_coordination,
                   crime_count = EXCLUDED.crime_count, new_hotspots = EXCLUDED.new_hotspots,
                   new_vice_persons = EXCLUDED.new_vice_persons, monitored_managed = EXCLUDED.monitored_managed,
                   force_rating = EXCLUDED.force_rating, force_disciplined = EXCLUDED.force_disciplined,
                   has_guard_force = EXCLUDED.has_guard_force, police_proactive = EXCLUDED.police_proactive,
                   offenders_count = EXCLUDED.offenders_count, subunits_total = EXCLUDED.subunits_total,
                   subunits_rated_good = EXCLUDED.subunits_rated_good,
                   crime_reports_received = EXCLUDED.crime_reports_received,
                   crime_reports_handled = EXCLUDED.crime_reports_handled,
                   outreach_target = EXCLUDED.outreach_target, outreach_reached = EXCLUDED.outreach_reached,
                   traffic_accidents = EXCLUDED.traffic_accidents, traffic_deaths = EXCLUDED.traffic_deaths,
                   traffic_injuries = EXCLUDED.traffic_injuries, tipoffs = EXCLUDED.tipoffs, extra = EXCLUDED.extra
             WHERE (f.registered_on, f.resolution_on, f.plan_on, f.has_party_org, f.households_total,
                    f.households_registered, f.staff_total, f.staff_briefed, f.active_models, f.internal_rules,
                    f.implements_policy, f.parents_board_coordination, f.crime_count, f.new_hotspots,
                    f.new_vice_persons, f.monitored_managed, f.force_rating, f.force_disciplined, f.has_guard_force,
                    f.police_proactive, f.offenders_count, f.subunits_total, f.subunits_rated_good,
                    f.crime_reports_received, f.crime_reports_handled, f.outreach_target, f.outreach_reached,
                    f.traffic_accidents, f.traffic_deaths, f.traffic_injuries, f.tipoffs, f.extra)
                   IS DISTINCT FROM
                   (EXCLUDED.registered_on, EXCLUDED.resolution_on, EXCLUDED.plan_on, EXCLUDED.has_party_org,
                    EXCLUDED.households_total, EXCLUDED.households_registered, EXCLUDED.staff_total,
                    EXCLUDED.staff_briefed, EXCLUDED.active_models, EXCLUDED.internal_rules,
                    EXCLUDED.implements_policy, EXCLUDED.parents_board_coordination, EXCLUDED.crime_count,
                    EXCLUDED.new_hotspots, EXCLUDED.new_vice_persons, EXCLUDED.monitored_managed,
                    EXCLUDED.force_rating, EXCLUDED.force_disciplined, EXCLUDED.has_guard_force,
                    EXCLUDED.police_proactive, EXCLUDED.offenders_count, EXCLUDED.subunits_total,
                    EXCLUDED.subunits_rated_good, EXCLUDED.crime_reports_received, EXCLUDED.crime_reports_handled,
                    EXCLUDED.outreach_target, EXCLUDED.outreach_reached, EXCLUDED.traffic_accidents,
                    EXCLUDED.traffic_deaths, EXCLUDED.traffic_injuries, EXCLUDED.tipoffs, EXCLUDED.extra)
        $q$, 'true');
    EXCEPTION WHEN OTHERS THEN
        -- The first row whose code finds no version taking part in its year: its error, naming
        -- the row. Its errors come before any other of the statement's.
        SELECT x.rowno, x.unit_code AS code, x.year AS year INTO s FROM pg_temp.antq_assessment_stash x
         WHERE x.year IS NULL OR x.year NOT BETWEEN antq.year_min() AND antq.year_max()
            OR NOT EXISTS (SELECT FROM antq.unit u WHERE u.code = x.unit_code
                              AND u.valid_from <= antq.window_end(u.kind, x.year)
                              AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, x.year)))
         ORDER BY x.rowno LIMIT 1;
        IF FOUND THEN
            PERFORM antq.by_code_missing('assessment', s.code, s.year, NULL, s.rowno);
        END IF;
        -- Name the failing row: write the rows one at a time (%s: the row) until it fails again.
        FOR s IN SELECT x.rowno, x.unit_code AS code FROM pg_temp.antq_assessment_stash x ORDER BY x.rowno LOOP
            BEGIN
                EXECUTE format($q$
                    INSERT INTO antq.assessment AS f (unit_id, year, registered_on, resolution_on, plan_on, has_party_org, households_total,
                                                      households_registered, staff_total, staff_briefed, active_models, internal_rules,
                                                      implements_policy, parents_board_coordination, crime_count, new_hotspots, new_vice_persons,
                                                      monitored_managed, force_rating, force_disciplined, has_guard_force, police_proactive,
                                                      offenders_count, subunits_total, subunits_rated_good, crime_reports_received,
                                                      crime_reports_handled, outreach_target, outreach_reached, traffic_accidents, traffic_deaths,
                                                      traffic_injuries, tipoffs, extra)
                    SELECT CASE WHEN u.unit_id IS NULL OR x.year NOT BETWEEN antq.year_min() AND antq.year_max()
                                THEN antq.by_code_missing('assessment', x.unit_code, x.year, NULL, x.rowno)::text::bigint ELSE u.unit_id END,
                           x.year, x.registered_on, x.resolution_on, x.plan_on, x.has_party_org,
                           x.households_total, x.households_registered, x.staff_total, x.staff_briefed,
                           x.active_models, x.internal_rules, x.implements_policy,
                           x.parents_board_coordination, x.crime_count, x.new_hotspots, x.new_vice_persons,
                           x.monitored_managed, x.force_rating, x.force_disciplined, x.has_guard_force,
                           x.police_proactive, x.offenders_count, x.subunits_total, x.subunits_rated_good,
                           x.crime_reports_received, x.crime_reports_handled, x.outreach_target,
                           x.outreach_reached, x.traffic_accidents, x.traffic_deaths, x.traffic_injuries,
                           x.tipoffs, x.extra
                      FROM pg_temp.antq_assessment_stash x
                      LEFT JOIN antq.unit u ON u.code = x.unit_code AND u.valid_from <= antq.window_end(u.kind, x.year)
                       AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, x.year))
                     WHERE %s ORDER BY x.rowno
                        ON CONFLICT (unit_id, year) DO UPDATE
                       SET registered_on = EXCLUDED.registered_on, resolution_on = EXCLUDED.resolution_on,
                           plan_on = EXCLUDED.plan_on, has_party_org = EXCLUDED.has_party_org,
                           households_total = EXCLUDED.households_total,
                           households_registered = EXCLUDED.households_registered, staff_total = EXCLUDED.staff_total,
                           staff_briefed = EXCLUDED.staff_briefed, active_models = EXCLUDED.active_models,
                           internal_rules = EXCLUDED.internal_rules, implements_policy = EXCLUDED.implements_policy,
                           parents_board_coordination = EXCLUDED.parents_board_coordination,
                           crime_count = EXCLUDED.crime_count, new_hotspots = EXCLUDED.new_hotspots,
                           new_vice_persons = EXCLUDED.new_vice_persons, monitored_managed = EXCLUDED.monitored_managed,
                           force_rating = EXCLUDED.force_rating, force_disciplined = EXCLUDED.force_disciplined,
                           has_guard_force = EXCLUDED.has_guard_force, police_proactive = EXCLUDED.police_proactive,
                           offenders_count = EXCLUDED.offenders_count, subunits_total = EXCLUDED.subunits_total,
                           subunits_rated_good = EXCLUDED.subunits_rated_good,
                           crime_reports_received = EXCLUDED.crime_reports_received,
                           crime_reports_handled = EXCLUDED.crime_reports_handled,
                           outreach_target = EXCLUDED.outreach_target, outreach_reached = EXCLUDED.outreach_reached,
                           traffic_accidents = EXCLUDED.traffic_accidents, traffic_deaths = EXCLUDED.traffic_deaths,
                           traffic_injuries = EXCLUDED.traffic_injuries, tipoffs = EXCLUDED.tipoffs, extra = EXCLUDED.extra
                     WHERE (f.registered_on, f.resolution_on, f.plan_on, f.has_party_org, f.households_total,
                            f.households_registered, f.staff_total, f.staff_briefed, f.active_models, f.internal_rules,
                            f.implements_policy, f.parents_board_coordination, f.crime_count, f.new_hotspots,
                            f.new_vice_persons, f.monitored_managed, f.force_rating, f.force_disciplined, f.has_guard_force,
                            f.police_proactive, f.offenders_count, f.subunits_total, f.subunits_rated_good,
                            f.crime_reports_received, f.crime_reports_handled, f.outreach_target, f.outreach_reached,
                            f.traffic_accidents, f.traffic_deaths, f.traffic_injuries, f.tipoffs, f.extra)
                           IS DISTINCT FROM
                           (EXCLUDED.registered_on, EXCLUDED.resolution_on, EXCLUDED.plan_on, EXCLUDED.has_party_org,
                            EXCLUDED.households_total, EXCLUDED.households_registered, EXCLUDED.staff_total,
                            EXCLUDED.staff_briefed, EXCLUDED.active_models, EXCLUDED.internal_rules,
                            EXCLUDED.implements_policy, EXCLUDED.parents_board_coordination, EXCLUDED.crime_count,
                            EXCLUDED.new_hotspots, EXCLUDED.new_vice_persons, EXCLUDED.monitored_managed,
                            EXCLUDED.force_rating, EXCLUDED.force_disciplined, EXCLUDED.has_guard_force,
                            EXCLUDED.police_proactive, EXCLUDED.offenders_count, EXCLUDED.subunits_total,
                            EXCLUDED.subunits_rated_good, EXCLUDED.crime_reports_received, EXCLUDED.crime_reports_handled,
                            EXCLUDED.outreach_target, EXCLUDED.outreach_reached, EXCLUDED.traffic_accidents,
                            EXCLUDED.traffic_deaths, EXCLUDED.traffic_injuries, EXCLUDED.tipoffs, EXCLUDED.extra)
                $q$, 'x.rowno = $1') USING s.rowno;
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL,
                                        hnt = PG_EXCEPTION_HINT, col = COLUMN_NAME;
                RAISE EXCEPTION 'row %: %', s.rowno, msg
                    USING ERRCODE = st, COLUMN = coalesce(nullif(col, ''), 'unit_code'), TABLE = 'assessment_by_code', SCHEMA = 'antq',
                          DETAIL = coalesce(nullif(det, ''), format('Row %s of the statement, unit_code %s.', s.rowno, antq.clip(s.code, 40))),
                          HINT = coalesce(nullif(hnt, ''), 'Correct the row and send the statement again; nothing of it was written.');
            END;
        END LOOP;
        RAISE;
    END;
    TRUNCATE pg_temp.antq_assessment_stash;
    RETURN NULL;
END
$body$;
CREATE TRIGGER begin_rows BEFORE INSERT ON antq.assessment_by_code FOR EACH STATEMENT EXECUTE FUNCTION antq.assessment_by_code_begin('antq_assessment_stash');
CREATE TRIGGER write INSTEAD OF INSERT ON antq.assessment_by_code FOR EACH ROW EXECUTE FUNCTION antq.assessment_by_code_write('antq_assessment_stash');
CREATE TRIGGER end_rows AFTER INSERT ON antq.assessment_by_code FOR EACH STATEMENT EXECUTE FUNCTION antq.assessment_by_code_end();
COMMENT ON FUNCTION antq.assessment_by_code_begin() IS
  'Statement trigger starting a write to antq.assessment_by_code (bắt đầu ghi theo mã): an empty temporary table for the statement''s rows, numbered from 1.';
COMMENT ON FUNCTION antq.assessment_by_code_end() IS
  'Statement trigger ending a write to antq.assessment_by_code (kết thúc ghi theo mã): refuses a row whose code finds no version taking part in its year, or a key sent twice, naming the row; then writes the rows into antq.assessment with one INSERT ... ON CONFLICT (unit, year) DO UPDATE where a column differs, so that an identical resend changes nothing.';
COMMENT ON FUNCTION antq.assessment_by_code_write() IS
  'Trigger writing antq.assessment_by_code (ghi assessment theo mã đơn vị): keeps the row, numbered, until the end of the statement, which writes the rows to the versions taking part in their years (in force on antq.window_end(kind, year)).';

-- ---- score ----
CREATE VIEW antq.score_by_code WITH (security_invoker = true) AS
SELECT u.code AS unit_code, f.year, f.item, f.points
  FROM antq.score f JOIN antq.unit u ON u.unit_id OPERATOR(pg_catalog.=) f.unit_id;
COMMENT ON VIEW antq.score_by_code IS
  'Classification-sheet points by unit code (điểm chấm theo mã đơn vị): read by code; INSERT or COPY keyed by unit_code, year and item, idempotent on resend.';
COMMENT ON COLUMN antq.score_by_code.unit_code IS
  'Permanent code of the unit (mã đơn vị), antq.unit.code; a write goes to the version taking part in the year.';
CREATE FUNCTION antq.score_by_code_begin() RETURNS trigger LANGUAGE C AS 'MODULE_PATHNAME', 'antq_by_code_keep';
CREATE FUNCTION antq.score_by_code_write() RETURNS trigger LANGUAGE C AS 'MODULE_PATHNAME', 'antq_by_code_keep';
CREATE FUNCTION antq.score_by_code_end() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $body$
DECLARE
    s record;
    first_row bigint;
    st text; msg text; det text; hnt text; col text;
BEGIN
    -- One row per key and statement: which of two would be meant is not for antq to guess.
    SELECT min(x.rowno) AS first INTO s FROM pg_temp.antq_score_stash x
     GROUP BY x.unit_code, x.year, x.item HAVING count(*) > 1 ORDER BY min(x.rowno) LIMIT 1;
    IF FOUND THEN
        first_row := s.first;
        -- The first row whose code finds no version taking part in its year: its error, naming
        -- the row. Its errors come before any other of the statement's.
        SELECT x.rowno, x.unit_code AS code, x.year AS year INTO s FROM pg_temp.antq_score_stash x
         WHERE x.year IS NULL OR x.year NOT BETWEEN antq.year_min() AND antq.year_max()
            OR NOT EXISTS (SELECT FROM antq.unit u WHERE u.code = x.unit_code
                              AND u.valid_from <= antq.window_end(u.kind, x.year)
                              AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, x.year)))
         ORDER BY x.rowno LIMIT 1;
        IF FOUND THEN
            PERFORM antq.by_code_missing('score', s.code, s.year, NULL, s.rowno);
        END IF;
        -- The rows of that key, in order.
        SELECT y.unit_code AS code, array_agg(y.rowno ORDER BY y.rowno) AS rows INTO s
          FROM pg_temp.antq_score_stash y JOIN pg_temp.antq_score_stash z ON z.rowno = first_row
           AND (y.unit_code, y.year, y.item) IS NOT DISTINCT FROM (z.unit_code, z.year, z.item)
         GROUP BY y.unit_code;
        RAISE EXCEPTION 'rows % of the statement are the same % of unit_code % (%)', array_to_string(s.rows, ', '), 'score',
                antq.clip(s.code, 40), 'unit_code, year, item'
            USING ERRCODE = 'cardinality_violation', COLUMN = 'unit_code', TABLE = 'score_by_code', SCHEMA = 'antq',
                  HINT = 'Send each row once in a statement; a later statement may correct it.';
    END IF;
    -- The write, every row at once (%s: true); the rows go to the versions taking part in
    -- their years, and a row equal to the stored one changes nothing.
    -- A row whose code finds no version taking part in its year stops it with that row's
    -- error (antq.by_code_missing always raises: its void is never cast), so that the codes
    -- are looked up once, by this join, unless something fails.
    BEGIN
        EXECUTE format($q$
            INSERT INTO antq.score AS f (unit_id, year, item, points)
            SELECT CASE WHEN u.unit_id IS NULL OR x.year NOT BETWEEN antq.year_min() AND antq.year_max()
                        THEN antq.by_code_missing('score', x.unit_code, x.year, NULL, x.rowno)::text::bigint ELSE u.unit_id END,
                   x.year, x.item, x.points
              FROM pg_temp.antq_score_stash x
              LEFT JOIN antq.unit u ON u.code = x.unit_code AND u.valid_from <= antq.window_end(u.kind, x.year)
               AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, x.year))
             WHERE %s ORDER BY x.rowno
                ON CONFLICT (unit_id, year, item) DO UPDATE
               SET points = EXCLUDED.points
             WHERE (f.points)
                   IS DISTINCT FROM
                   (EXCLUDED.points)
        $q$, 'true');
    EXCEPTION WHEN OTHERS THEN
        -- The first row whose code finds no version taking part in its year: its error, naming
        -- the row. Its errors come before any other of the statement's.
        SELECT x.rowno, x.unit_code AS code, x.year AS year INTO s FROM pg_temp.antq_score_stash x
         WHERE x.year IS NULL OR x.year NOT BETWEEN antq.year_min() AND antq.year_max()
            OR NOT EXISTS (SELECT FROM antq.unit u WHERE u.code = x.unit_code
                              AND u.valid_from <= antq.window_end(u.kind, x.year)
                              AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, x.year)))
         ORDER BY x.rowno LIMIT 1;
        IF FOUND THEN
            PERFORM antq.by_code_missing('score', s.code, s.year, NULL, s.rowno);
        END IF;
        -- Name the failing row: write the rows one at a time (%s: the row) until it fails again.
        FOR s IN SELECT x.rowno, x.unit_code AS code FROM pg_temp.antq_score_stash x ORDER BY x.rowno LOOP
            BEGIN
                EXECUTE format($q$
                    INSERT INTO antq.score AS f (unit_id, year, item, points)
                    SELECT CASE WHEN u.unit_id IS NULL OR x.year NOT BETWEEN antq.year_min() AND antq.year_max()
                                THEN antq.by_code_missing('score', x.unit_code, x.year, NULL, x.rowno)::text::bigint ELSE u.unit_id END,
                           x.year, x.item, x.points
                      FROM pg_temp.antq_score_stash x
                      LEFT JOIN antq.unit u ON u.code = x.unit_code AND u.valid_from <= antq.window_end(u.kind, x.year)
                       AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, x.year))
                     WHERE %s ORDER BY x.rowno
                        ON CONFLICT (unit_id, year, item) DO UPDATE
                       SET points = EXCLUDED.points
                     WHERE (f.points)
                           IS DISTINCT FROM
                           (EXCLUDED.points)
                $q$, 'x.rowno = $1') USING s.rowno;
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL,
                                        hnt = PG_EXCEPTION_HINT, col = COLUMN_NAME;
                RAISE EXCEPTION 'row %: %', s.rowno, msg
                    USING ERRCODE = st, COLUMN = coalesce(nullif(col, ''), 'unit_code'), TABLE = 'score_by_code', SCHEMA = 'antq',
                          DETAIL = coalesce(nullif(det, ''), format('Row %s of the statement, unit_code %s.', s.rowno, antq.clip(s.code, 40))),
                          HINT = coalesce(nullif(hnt, ''), 'Correct the row and send the statement again; nothing of it was written.');
            END;
        END LOOP;
        RAISE;
    END;
    TRUNCATE pg_temp.antq_score_stash;
    RETURN NULL;
END
$body$;
CREATE TRIGGER begin_rows BEFORE INSERT ON antq.score_by_code FOR EACH STATEMENT EXECUTE FUNCTION antq.score_by_code_begin('antq_score_stash');
CREATE TRIGGER write INSTEAD OF INSERT ON antq.score_by_code FOR EACH ROW EXECUTE FUNCTION antq.score_by_code_write('antq_score_stash');
CREATE TRIGGER end_rows AFTER INSERT ON antq.score_by_code FOR EACH STATEMENT EXECUTE FUNCTION antq.score_by_code_end();
COMMENT ON FUNCTION antq.score_by_code_begin() IS
  'Statement trigger starting a write to antq.score_by_code (bắt đầu ghi theo mã): an empty temporary table for the statement''s rows, numbered from 1.';
COMMENT ON FUNCTION antq.score_by_code_end() IS
  'Statement trigger ending a write to antq.score_by_code (kết thúc ghi theo mã): refuses a row whose code finds no version taking part in its year, or a key sent twice, naming the row; then writes the rows into antq.score with one INSERT ... ON CONFLICT (unit, year, item) DO UPDATE where a column differs, so that an identical resend changes nothing.';
COMMENT ON FUNCTION antq.score_by_code_write() IS
  'Trigger writing antq.score_by_code (ghi score theo mã đơn vị): keeps the row, numbered, until the end of the statement, which writes the rows to the versions taking part in their years (in force on antq.window_end(kind, year)).';

-- ---- model_check ----
CREATE VIEW antq.model_check_by_code WITH (security_invoker = true) AS
SELECT u.code AS unit_code, f.year, f.criterion_no, f.met, f.note
  FROM antq.model_check f JOIN antq.unit u ON u.unit_id OPERATOR(pg_catalog.=) f.unit_id;
COMMENT ON VIEW antq.model_check_by_code IS
  'Model-unit checks by unit code (kiểm tra tiêu chí điển hình theo mã đơn vị): read by code; INSERT or COPY keyed by unit_code, year and criterion_no, idempotent on resend.';
COMMENT ON COLUMN antq.model_check_by_code.unit_code IS
  'Permanent code of the unit (mã đơn vị), antq.unit.code; a write goes to the version taking part in the year.';
CREATE FUNCTION antq.model_check_by_code_begin() RETURNS trigger LANGUAGE C AS 'MODULE_PATHNAME', 'antq_by_code_keep';
CREATE FUNCTION antq.model_check_by_code_write() RETURNS trigger LANGUAGE C AS 'MODULE_PATHNAME', 'antq_by_code_keep';
CREATE FUNCTION antq.model_check_by_code_end() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $body$
DECLARE
    s record;
    first_row bigint;
    st text; msg text; det text; hnt text; col text;
BEGIN
    -- One row per key and statement: which of two would be meant is not for antq to guess.
    SELECT min(x.rowno) AS first INTO s FROM pg_temp.antq_model_check_stash x
     GROUP BY x.unit_code, x.year, x.criterion_no HAVING count(*) > 1 ORDER BY min(x.rowno) LIMIT 1;
    IF FOUND THEN
        first_row := s.first;
        -- The first row whose code finds no version taking part in its year: its error, naming
        -- the row. Its errors come before any other of the statement's.
        SELECT x.rowno, x.unit_code AS code, x.year AS year INTO s FROM pg_temp.antq_model_check_stash x
         WHERE x.year IS NULL OR x.year NOT BETWEEN antq.year_min() AND antq.year_max()
            OR NOT EXISTS (SELECT FROM antq.unit u WHERE u.code = x.unit_code
                              AND u.valid_from <= antq.window_end(u.kind, x.year)
                              AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, x.year)))
         ORDER BY x.rowno LIMIT 1;
        IF FOUND THEN
            PERFORM antq.by_code_missing('model_check', s.code, s.year, NULL, s.rowno);
        END IF;
        -- The rows of that key, in order.
        SELECT y.unit_code AS code, array_agg(y.rowno ORDER BY y.rowno) AS rows INTO s
          FROM pg_temp.antq_model_check_stash y JOIN pg_temp.antq_model_check_stash z ON z.rowno = first_row
           AND (y.unit_code, y.year, y.criterion_no) IS NOT DISTINCT FROM (z.unit_code, z.year, z.criterion_no)
         GROUP BY y.unit_code;
        RAISE EXCEPTION 'rows % of the statement are the same % of unit_code % (%)', array_to_string(s.rows, ', '), 'model_check',
                antq.clip(s.code, 40), 'unit_code, year, criterion_no'
            USING ERRCODE = 'cardinality_violation', COLUMN = 'unit_code', TABLE = 'model_check_by_code', SCHEMA = 'antq',
                  HINT = 'Send each row once in a statement; a later statement may correct it.';
    END IF;
    -- The write, every row at once (%s: true); the rows go to the versions taking part in
    -- their years, and a row equal to the stored one changes nothing.
    -- A row whose code finds no version taking part in its year stops it with that row's
    -- error (antq.by_code_missing always raises: its void is never cast), so that the codes
    -- are looked up once, by this join, unless something fails.
    BEGIN
        EXECUTE format($q$
            INSERT INTO antq.model_check AS f (unit_id, year, criterion_no, met, note)
            SELECT CASE WHEN u.unit_id IS NULL OR x.year NOT BETWEEN antq.year_min() AND antq.year_max()
                        THEN antq.by_code_missing('model_check', x.unit_code, x.year, NULL, x.rowno)::text::bigint ELSE u.unit_id END,
                   x.year, x.criterion_no, x.met, x.note
              FROM pg_temp.antq_model_check_stash x
              LEFT JOIN antq.unit u ON u.code = x.unit_code AND u.valid_from <= antq.window_end(u.kind, x.year)
               AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, x.year))
             WHERE %s ORDER BY x.rowno
                ON CONFLICT (unit_id, year, criterion_no) DO UPDATE
               SET met = EXCLUDED.met, note = EXCLUDED.note
             WHERE (f.met, f.note)
                   IS DISTINCT FROM
                   (EXCLUDED.met, EXCLUDED.note)
        $q$, 'true');
    EXCEPTION WHEN OTHERS THEN
        -- The first row whose code finds no version taking part in its year: its error, naming
        -- the row. Its errors come before any other of the statement's.
        SELECT x.rowno, x.unit_code AS code, x.year AS year INTO s FROM pg_temp.antq_model_check_stash x
         WHERE x.year IS NULL OR x.year NOT BETWEEN antq.year_min() AND antq.year_max()
            OR NOT EXISTS (SELECT FROM antq.unit u WHERE u.code = x.unit_code
                              AND u.valid_from <= antq.window_end(u.kind, x.year)
                              AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, x.year)))
         ORDER BY x.rowno LIMIT 1;
        IF FOUND THEN
            PERFORM antq.by_code_missing('model_check', s.code, s.year, NULL, s.rowno);
        END IF;
        -- Name the failing row: write the rows one at a time (%s: the row) until it fails again.
        FOR s IN SELECT x.rowno, x.unit_code AS code FROM pg_temp.antq_model_check_stash x ORDER BY x.rowno LOOP
            BEGIN
                EXECUTE format($q$
                    INSERT INTO antq.model_check AS f (unit_id, year, criterion_no, met, note)
                    SELECT CASE WHEN u.unit_id IS NULL OR x.year NOT BETWEEN antq.year_min() AND antq.year_max()
                                THEN antq.by_code_missing('model_check', x.unit_code, x.year, NULL, x.rowno)::text::bigint ELSE u.unit_id END,
                           x.year, x.criterion_no, x.met, x.note
                      FROM pg_temp.antq_model_check_stash x
                      LEFT JOIN antq.unit u ON u.code = x.unit_code AND u.valid_from <= antq.window_end(u.kind, x.year)
                       AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, x.year))
                     WHERE %s ORDER BY x.rowno
                        ON CONFLICT (unit_id, year, criterion_no) DO UPDATE
                       SET met = EXCLUDED.met, note = EXCLUDED.note
                     WHERE (f.met, f.note)
                           IS DISTINCT FROM
                           (EXCLUDED.met, EXCLUDED.note)
                $q$, 'x.rowno = $1') USING s.rowno;
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL,
                                        hnt = PG_EXCEPTION_HINT, col = COLUMN_NAME;
                RAISE EXCEPTION 'row %: %', s.rowno, msg
                    USING ERRCODE = st, COLUMN = coalesce(nullif(col, ''), 'unit_code'), TABLE = 'model_check_by_code', SCHEMA = 'antq',
                          DETAIL = coalesce(nullif(det, ''), format('Row %s of the statement, unit_code %s.', s.rowno, antq.clip(s.code, 40))),
                          HINT = coalesce(nullif(hnt, ''), 'Correct the row and send the statement again; nothing of it was written.');
            END;
        END LOOP;
        RAISE;
    END;
    TRUNCATE pg_temp.antq_model_check_stash;
    RETURN NULL;
END
$body$;
CREATE TRIGGER begin_rows BEFORE INSERT ON antq.model_check_by_code FOR EACH STATEMENT EXECUTE FUNCTION antq.model_check_by_code_begin('antq_model_check_stash');
CREATE TRIGGER write INSTEAD OF INSERT ON antq.model_check_by_code FOR EACH ROW EXECUTE FUNCTION antq.model_check_by_code_write('antq_model_check_stash');
CREATE TRIGGER end_rows AFTER INSERT ON antq.model_check_by_code FOR EACH STATEMENT EXECUTE FUNCTION antq.model_check_by_code_end();
COMMENT ON FUNCTION antq.model_check_by_code_begin() IS
  'Statement trigger starting a write to antq.model_check_by_code (bắt đầu ghi theo mã): an empty temporary table for the statement''s rows, numbered from 1.';
COMMENT ON FUNCTION antq.model_check_by_code_end() IS
  'Statement trigger ending a write to antq.model_check_by_code (kết thúc ghi theo mã): refuses a row whose code finds no version taking part in its year, or a key sent twice, naming the row; then writes the rows into antq.model_check with one INSERT ... ON CONFLICT (unit, year, criterion_no) DO UPDATE where a column differs, so that an identical resend changes nothing.';
COMMENT ON FUNCTION antq.model_check_by_code_write() IS
  'Trigger writing antq.model_check_by_code (ghi model_check theo mã đơn vị): keeps the row, numbered, until the end of the statement, which writes the rows to the versions taking part in their years (in force on antq.window_end(kind, year)).';

-- ---- decision ----
CREATE VIEW antq.decision_by_code WITH (security_invoker = true) AS
SELECT u.code AS unit_code, f.year, f.kind, f.met, f.rating, f.number, f.decided_on, f.authority
  FROM antq.decision f JOIN antq.unit u ON u.unit_id OPERATOR(pg_catalog.=) f.unit_id;
COMMENT ON VIEW antq.decision_by_code IS
  'Official decisions by unit code (quyết định theo mã đơn vị): read by code; INSERT or COPY keyed by unit_code, year and kind, idempotent on resend.';
COMMENT ON COLUMN antq.decision_by_code.unit_code IS
  'Permanent code of the unit (mã đơn vị), antq.unit.code; a write goes to the version taking part in the year.';
CREATE FUNCTION antq.decision_by_code_begin() RETURNS trigger LANGUAGE C AS 'MODULE_PATHNAME', 'antq_by_code_keep';
CREATE FUNCTION antq.decision_by_code_write() RETURNS trigger LANGUAGE C AS 'MODULE_PATHNAME', 'antq_by_code_keep';
CREATE FUNCTION antq.decision_by_code_end() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $body$
DECLARE
    s record;
    first_row bigint;
    st text; msg text; det text; hnt text; col text;
BEGIN
    -- One row per key and statement: which of two would be meant is not for antq to guess.
    SELECT min(x.rowno) AS first INTO s FROM pg_temp.antq_decision_stash x
     GROUP BY x.unit_code, x.year, x.kind HAVING count(*) > 1 ORDER BY min(x.rowno) LIMIT 1;
    IF FOUND THEN
        first_row := s.first;
        -- The first row whose code finds no version taking part in its year: its error, naming
        -- the row. Its errors come before any other of the statement's.
        SELECT x.rowno, x.unit_code AS code, x.year AS year INTO s FROM pg_temp.antq_decision_stash x
         WHERE x.year IS NULL OR x.year NOT BETWEEN antq.year_min() AND antq.year_max()
            OR NOT EXISTS (SELECT FROM antq.unit u WHERE u.code = x.unit_code
                              AND u.valid_from <= antq.window_end(u.kind, x.year)
                              AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, x.year)))
         ORDER BY x.rowno LIMIT 1;
        IF FOUND THEN
            PERFORM antq.by_code_missing('decision', s.code, s.year, NULL, s.rowno);
        END IF;
        -- The rows of that key, in order.
        SELECT y.unit_code AS code, array_agg(y.rowno ORDER BY y.rowno) AS rows INTO s
          FROM pg_temp.antq_decision_stash y JOIN pg_temp.antq_decision_stash z ON z.rowno = first_row
           AND (y.unit_code, y.year, y.kind) IS NOT DISTINCT FROM (z.unit_code, z.year, z.kind)
         GROUP BY y.unit_code;
        RAISE EXCEPTION 'rows % of the statement are the same % of unit_code % (%)', array_to_string(s.rows, ', '), 'decision',
                antq.clip(s.code, 40), 'unit_code, year, kind'
            USING ERRCODE = 'cardinality_violation', COLUMN = 'unit_code', TABLE = 'decision_by_code', SCHEMA = 'antq',
                  HINT = 'Send each row once in a statement; a later statement may correct it.';
    END IF;
    -- The write, every row at once (%s: true); the rows go to the versions taking part in
    -- their years, and a row equal to the stored one changes nothing.
    -- A row whose code finds no version taking part in its year stops it with that row's
    -- error (antq.by_code_missing always raises: its void is never cast), so that the codes
    -- are looked up once, by this join, unless something fails.
    BEGIN
        EXECUTE format($q$
            INSERT INTO antq.decision AS f (unit_id, year, kind, met, rating, number, decided_on, authority)
            SELECT CASE WHEN u.unit_id IS NULL OR x.year NOT BETWEEN antq.year_min() AND antq.year_max()
                        THEN antq.by_code_missing('decision', x.unit_code, x.year, NULL, x.rowno)::text::bigint ELSE u.unit_id END,
                   x.year, x.kind, x.met, x.rating, x.number, x.decided_on, x.authority
              FROM pg_temp.antq_decision_stash x
              LEFT JOIN antq.unit u ON u.code = x.unit_code AND u.valid_from <= antq.window_end(u.kind, x.year)
               AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, x.year))
             WHERE %s ORDER BY x.rowno
                ON CONFLICT (unit_id, year, kind) DO UPDATE
               SET met = EXCLUDED.met, rating = EXCLUDED.rating, number = EXCLUDED.number,
                   decided_on = EXCLUDED.decided_on, authority = EXCLUDED.authority
             WHERE (f.met, f.rating::text, f.number, f.decided_on, f.authority)
                   IS DISTINCT FROM
                   (EXCLUDED.met, EXCLUDED.rating::text, EXCLUDED.number, EXCLUDED.decided_on, EXCLUDED.authority)
        $q$, 'true');
    EXCEPTION WHEN OTHERS THEN
        -- The first row whose code finds no version taking part in its year: its error, naming
        -- the row. Its errors come before any other of the statement's.
        SELECT x.rowno, x.unit_code AS code, x.year AS year INTO s FROM pg_temp.antq_decision_stash x
         WHERE x.year IS NULL OR x.year NOT BETWEEN antq.year_min() AND antq.year_max()
            OR NOT EXISTS (SELECT FROM antq.unit u WHERE u.code = x.unit_code
                              AND u.valid_from <= antq.window_end(u.kind, x.year)
                              AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, x.year)))
         ORDER BY x.rowno LIMIT 1;
        IF FOUND THEN
            PERFORM antq.by_code_missing('decision', s.code, s.year, NULL, s.rowno);
        END IF;
        -- Name the failing row: write the rows one at a time (%s: the row) until it fails again.
        FOR s IN SELECT x.rowno, x.unit_code AS code FROM pg_temp.antq_decision_stash x ORDER BY x.rowno LOOP
            BEGIN
                EXECUTE format($q$
                    INSERT INTO antq.decision AS f (unit_id, year, kind, met, rating, number, decided_on, authority)
                    SELECT CASE WHEN u.unit_id IS NULL OR x.year NOT BETWEEN antq.year_min() AND antq.year_max()
                                THEN antq.by_code_missing('decision', x.unit_code, x.year, NULL, x.rowno)::text::bigint ELSE u.unit_id END,
                           x.year, x.kind, x.met, x.rating, x.number, x.decided_on, x.authority
                      FROM pg_temp.antq_decision_stash x
                      LEFT JOIN antq.unit u ON u.code = x.unit_code AND u.valid_from <= antq.window_end(u.kind, x.year)
                       AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, x.year))
                     WHERE %s ORDER BY x.rowno
                        ON CONFLICT (unit_id, year, kind) DO UPDATE
                       SET met = EXCLUDED.met, rating = EXCLUDED.rating, number = EXCLUDED.number,
                           decided_on = EXCLUDED.decided_on, authority = EXCLUDED.authority
                     WHERE (f.met, f.rating::text, f.number, f.decided_on, f.authority)
                           IS DISTINCT FROM
                           (EXCLUDED.met, EXCLUDED.rating::text, EXCLUDED.number, EXCLUDED.decided_on, EXCLUDED.authority)
                $q$, 'x.rowno = $1') USING s.rowno;
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL,
                                        hnt = PG_EXCEPTION_HINT, col = COLUMN_NAME;
                RAISE EXCEPTION 'row %: %', s.rowno, msg
                    USING ERRCODE = st, COLUMN = coalesce(nullif(col, ''), 'unit_code'), TABLE = 'decision_by_code', SCHEMA = 'antq',
                          DETAIL = coalesce(nullif(det, ''), format('Row %s of the statement, unit_code %s.', s.rowno, antq.clip(s.code, 40))),
                          HINT = coalesce(nullif(hnt, ''), 'Correct the row and send the statement again; nothing of it was written.');
            END;
        END LOOP;
        RAISE;
    END;
    TRUNCATE pg_temp.antq_decision_stash;
    RETURN NULL;
END
$body$;
CREATE TRIGGER begin_rows BEFORE INSERT ON antq.decision_by_code FOR EACH STATEMENT EXECUTE FUNCTION antq.decision_by_code_begin('antq_decision_stash');
CREATE TRIGGER write INSTEAD OF INSERT ON antq.decision_by_code FOR EACH ROW EXECUTE FUNCTION antq.decision_by_code_write('antq_decision_stash');
CREATE TRIGGER end_rows AFTER INSERT ON antq.decision_by_code FOR EACH STATEMENT EXECUTE FUNCTION antq.decision_by_code_end();
COMMENT ON FUNCTION antq.decision_by_code_begin() IS
  'Statement trigger starting a write to antq.decision_by_code (bắt đầu ghi theo mã): an empty temporary table for the statement''s rows, numbered from 1.';
COMMENT ON FUNCTION antq.decision_by_code_end() IS
  'Statement trigger ending a write to antq.decision_by_code (kết thúc ghi theo mã): refuses a row whose code finds no version taking part in its year, or a key sent twice, naming the row; then writes the rows into antq.decision with one INSERT ... ON CONFLICT (unit, year, kind) DO UPDATE where a column differs, so that an identical resend changes nothing.';
COMMENT ON FUNCTION antq.decision_by_code_write() IS
  'Trigger writing antq.decision_by_code (ghi decision theo mã đơn vị): keeps the row, numbered, until the end of the statement, which writes the rows to the versions taking part in their years (in force on antq.window_end(kind, year)).';
-- ---- model_participation ----
CREATE VIEW antq.model_participation_by_code WITH (security_invoker = true) AS
SELECT u.code AS unit_code, f.year, f.selected_on, f.decision_number, f.authority
  FROM antq.model_participation f JOIN antq.unit u ON u.unit_id OPERATOR(pg_catalog.=) f.unit_id;
COMMENT ON VIEW antq.model_participation_by_code IS
  'Units selected for the model-unit programme by unit code (đơn vị tham gia xây dựng điển hình theo mã đơn vị): read by code; INSERT or COPY keyed by unit_code and year, idempotent on resend; a unit not eligible by its result of the year before is refused naming the code and row.';
COMMENT ON COLUMN antq.model_participation_by_code.unit_code IS
  'Permanent code of the unit (mã đơn vị), antq.unit.code; a write goes to the version taking part in the year.';
CREATE FUNCTION antq.model_participation_by_code_begin() RETURNS trigger LANGUAGE C AS 'MODULE_PATHNAME', 'antq_by_code_keep';
CREATE FUNCTION antq.model_participation_by_code_write() RETURNS trigger LANGUAGE C AS 'MODULE_PATHNAME', 'antq_by_code_keep';
CREATE FUNCTION antq.model_participation_by_code_end() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $body$
DECLARE
    s record;
    first_row bigint;
    st text; msg text; det text; hnt text; col text;
BEGIN
    -- One row per key and statement: which of two would be meant is not for antq to guess.
    SELECT min(x.rowno) AS first INTO s FROM pg_temp.antq_model_participation_stash x
     GROUP BY x.unit_code, x.year HAVING count(*) > 1 ORDER BY min(x.rowno) LIMIT 1;
    IF FOUND THEN
        first_row := s.first;
        -- The first row whose code finds no version taking part in its year: its error, naming
        -- the row. Its errors come before any other of the statement's.
        SELECT x.rowno, x.unit_code AS code, x.year AS year INTO s FROM pg_temp.antq_model_participation_stash x
         WHERE x.year IS NULL OR x.year NOT BETWEEN antq.year_min() AND antq.year_max()
            OR NOT EXISTS (SELECT FROM antq.unit u WHERE u.code = x.unit_code
                              AND u.valid_from <= antq.window_end(u.kind, x.year)
                              AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, x.year)))
         ORDER BY x.rowno LIMIT 1;
        IF FOUND THEN
            PERFORM antq.by_code_missing('model_participation', s.code, s.year, NULL, s.rowno);
        END IF;
        -- The rows of that key, in order.
        SELECT y.unit_code AS code, array_agg(y.rowno ORDER BY y.rowno) AS rows INTO s
          FROM pg_temp.antq_model_participation_stash y JOIN pg_temp.antq_model_participation_stash z ON z.rowno = first_row
           AND (y.unit_code, y.year) IS NOT DISTINCT FROM (z.unit_code, z.year)
         GROUP BY y.unit_code;
        RAISE EXCEPTION 'rows % of the statement are the same % of unit_code % (%)', array_to_string(s.rows, ', '), 'model_participation',
                antq.clip(s.code, 40), 'unit_code, year'
            USING ERRCODE = 'cardinality_violation', COLUMN = 'unit_code', TABLE = 'model_participation_by_code', SCHEMA = 'antq',
                  HINT = 'Send each row once in a statement; a later statement may correct it.';
    END IF;
    -- The write, every row at once (%s: true); the rows go to the versions taking part in
    -- their years, and a row equal to the stored one changes nothing.
    -- A row whose code finds no version taking part in its year stops it with that row's
    -- error (antq.by_code_missing always raises: its void is never cast), so that the codes
    -- are looked up once, by this join, unless something fails.
    BEGIN
        EXECUTE format($q$
            INSERT INTO antq.model_participation AS f (unit_id, year, selected_on, decision_number, authority)
            SELECT CASE WHEN u.unit_id IS NULL OR x.year NOT BETWEEN antq.year_min() AND antq.year_max()
                        THEN antq.by_code_missing('model_participation', x.unit_code, x.year, NULL, x.rowno)::text::bigint ELSE u.unit_id END,
                   x.year, x.selected_on, x.decision_number, x.authority
              FROM pg_temp.antq_model_participation_stash x
              LEFT JOIN antq.unit u ON u.code = x.unit_code AND u.valid_from <= antq.window_end(u.kind, x.year)
               AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, x.year))
             WHERE %s ORDER BY x.rowno
                ON CONFLICT (unit_id, year) DO UPDATE
               SET selected_on = EXCLUDED.selected_on, decision_number = EXCLUDED.decision_number,
                   authority = EXCLUDED.authority
             WHERE (f.selected_on, f.decision_number, f.authority)
                   IS DISTINCT FROM
                   (EXCLUDED.selected_on, EXCLUDED.decision_number, EXCLUDED.authority)
        $q$, 'true');
    EXCEPTION WHEN OTHERS THEN
        -- The first row whose code finds no version taking part in its year: its error, naming
        -- the row. Its errors come before any other of the statement's.
        SELECT x.rowno, x.unit_code AS code, x.year AS year INTO s FROM pg_temp.antq_model_participation_stash x
         WHERE x.year IS NULL OR x.year NOT BETWEEN antq.year_min() AND antq.year_max()
            OR NOT EXISTS (SELECT FROM antq.unit u WHERE u.code = x.unit_code
                              AND u.valid_from <= antq.window_end(u.kind, x.year)
                              AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, x.year)))
         ORDER BY x.rowno LIMIT 1;
        IF FOUND THEN
            PERFORM antq.by_code_missing('model_participation', s.code, s.year, NULL, s.rowno);
        END IF;
        -- Name the failing row: write the rows one at a time (%s: the row) until it fails again.
        FOR s IN SELECT x.rowno, x.unit_code AS code FROM pg_temp.antq_model_participation_stash x ORDER BY x.rowno LOOP
            BEGIN
                EXECUTE format($q$
                    INSERT INTO antq.model_participation AS f (unit_id, year, selected_on, decision_number, authority)
                    SELECT CASE WHEN u.unit_id IS NULL OR x.year NOT BETWEEN antq.year_min() AND antq.year_max()
                                THEN antq.by_code_missing('model_participation', x.unit_code, x.year, NULL, x.rowno)::text::bigint ELSE u.unit_id END,
                           x.year, x.selected_on, x.decision_number, x.authority
                      FROM pg_temp.antq_model_participation_stash x
                      LEFT JOIN antq.unit u ON u.code = x.unit_code AND u.valid_from <= antq.window_end(u.kind, x.year)
                       AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, x.year))
                     WHERE %s ORDER BY x.rowno
                        ON CONFLICT (unit_id, year) DO UPDATE
                       SET selected_on = EXCLUDED.selected_on, decision_number = EXCLUDED.decision_number,
                           authority = EXCLUDED.authority
                     WHERE (f.selected_on, f.decision_number, f.authority)
                           IS DISTINCT FROM
                           (EXCLUDED.selected_on, EXCLUDED.decision_number, EXCLUDED.authority)
                $q$, 'x.rowno = $1') USING s.rowno;
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL,
                                        hnt = PG_EXCEPTION_HINT, col = COLUMN_NAME;
                RAISE EXCEPTION 'row %: %', s.rowno, msg
                    USING ERRCODE = st, COLUMN = coalesce(nullif(col, ''), 'unit_code'), TABLE = 'model_participation_by_code', SCHEMA = 'antq',
                          DETAIL = coalesce(nullif(det, ''), format('Row %s of the statement, unit_code %s.', s.rowno, antq.clip(s.code, 40))),
                          HINT = coalesce(nullif(hnt, ''), 'Correct the row and send the statement again; nothing of it was written.');
            END;
        END LOOP;
        RAISE;
    END;
    TRUNCATE pg_temp.antq_model_participation_stash;
    RETURN NULL;
END
$body$;
CREATE TRIGGER begin_rows BEFORE INSERT ON antq.model_participation_by_code FOR EACH STATEMENT EXECUTE FUNCTION antq.model_participation_by_code_begin('antq_model_participation_stash');
CREATE TRIGGER write INSTEAD OF INSERT ON antq.model_participation_by_code FOR EACH ROW EXECUTE FUNCTION antq.model_participation_by_code_write('antq_model_participation_stash');
CREATE TRIGGER end_rows AFTER INSERT ON antq.model_participation_by_code FOR EACH STATEMENT EXECUTE FUNCTION antq.model_participation_by_code_end();
COMMENT ON FUNCTION antq.model_participation_by_code_begin() IS
  'Statement trigger starting a write to antq.model_participation_by_code (bắt đầu ghi theo mã): an empty temporary table for the statement''s rows, numbered from 1.';
COMMENT ON FUNCTION antq.model_participation_by_code_end() IS
  'Statement trigger ending a write to antq.model_participation_by_code (kết thúc ghi theo mã): refuses a row whose code finds no version taking part in its year, or a key sent twice, naming the row; then writes the rows into antq.model_participation with one INSERT ... ON CONFLICT (unit, year) DO UPDATE where a column differs, so that an identical resend changes nothing.';
COMMENT ON FUNCTION antq.model_participation_by_code_write() IS
  'Trigger writing antq.model_participation_by_code (ghi model_participation theo mã đơn vị): keeps the row, numbered, until the end of the statement, which writes the rows to the versions taking part in their years (in force on antq.window_end(kind, year)).';
-- The views' columns mean what their tables' columns mean: give them the same comments.
DO $$
DECLARE
    col record;
BEGIN
    FOR col IN SELECT v.relname, a.attname, pg_catalog.col_description(t.oid, a.attnum) AS description
                 FROM pg_catalog.pg_class v
                 JOIN pg_catalog.pg_class t ON t.relnamespace OPERATOR(pg_catalog.=) v.relnamespace
                  AND v.relname OPERATOR(pg_catalog.=) (t.relname OPERATOR(pg_catalog.||) '_by_code')
                 JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) t.oid
                WHERE v.relnamespace OPERATOR(pg_catalog.=) 'antq'::pg_catalog.regnamespace
                  AND t.relname OPERATOR(pg_catalog.=) ANY (ARRAY['assessment', 'score', 'model_check', 'decision', 'model_participation'])
                  AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped AND a.attname OPERATOR(pg_catalog.<>) 'unit_id'
    LOOP
        EXECUTE pg_catalog.format('COMMENT ON COLUMN antq.%I.%I IS %L', col.relname, col.attname, col.description);
    END LOOP;
END
$$;

-- ==== Incidents ====
-- An event is the same event on resend when it has the same reference (per unit code); without
-- a reference, when unit code, occurred_on, kind and description are the same (an empty
-- reference is no reference). Severity and the two flags are what a resend may correct.
CREATE VIEW antq.incident_by_code WITH (security_invoker = true) AS
SELECT u.code AS unit_code, i.occurred_on, i.kind, i.severity, i.force_majeure, i.handled_promptly, i.reference, i.description
  FROM antq.incident i JOIN antq.unit u ON u.unit_id OPERATOR(pg_catalog.=) i.unit_id;
-- Sent empty columns mean false, as in the table; an explicit NULL is refused by the table.
ALTER VIEW antq.incident_by_code ALTER COLUMN force_majeure SET DEFAULT false;
ALTER VIEW antq.incident_by_code ALTER COLUMN handled_promptly SET DEFAULT false;
COMMENT ON VIEW antq.incident_by_code IS
  'Incidents by unit code (vụ việc theo mã đơn vị): read the stored events by code; INSERT or COPY events keyed by unit_code, each written on the version in force on occurred_on. A resend is the same event when its reference matches (per unit code) or, without a reference, when unit_code, occurred_on, kind and description match; it then updates severity and the flags, or changes nothing.';
COMMENT ON COLUMN antq.incident_by_code.unit_code IS 'Permanent code of the unit where it happened (mã đơn vị); the event goes to the version in force on occurred_on.';
COMMENT ON COLUMN antq.incident_by_code.occurred_on IS 'Date it happened (ngày xảy ra).';
COMMENT ON COLUMN antq.incident_by_code.kind IS 'Kind of event (loại vụ việc); see antq.incident_kinds().';
COMMENT ON COLUMN antq.incident_by_code.severity IS 'Severity of a crime (mức độ tội phạm): less_serious, serious, very_serious, especially_serious.';
COMMENT ON COLUMN antq.incident_by_code.force_majeure IS 'Caused by force majeure (nguyên nhân bất khả kháng); false when not sent.';
COMMENT ON COLUMN antq.incident_by_code.handled_promptly IS 'Detected and handled promptly (phát hiện, xử lý kịp thời); false when not sent.';
COMMENT ON COLUMN antq.incident_by_code.reference IS 'The sending system''s reference (số hiệu vụ việc), unique per unit code: the key of a resend; empty means none.';
COMMENT ON COLUMN antq.incident_by_code.description IS 'Short description (mô tả); without a reference, part of the key of a resend.';

CREATE FUNCTION antq.incident_by_code_write() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    uid   bigint;
    ref   text := nullif(antq.nfc(NEW.reference), '');
    knd   text := antq.nfc(NEW.kind);
    descr text := antq.nfc(NEW.description);
    sev   text := antq.nfc(NEW.severity);
    old   antq.incident;
BEGIN
    SELECT u.unit_id INTO uid FROM antq.unit u
     WHERE u.code = NEW.unit_code AND u.valid_from <= NEW.occurred_on AND (u.valid_to IS NULL OR u.valid_to > NEW.occurred_on);
    IF uid IS NULL THEN
        PERFORM antq.by_code_missing('incident', NEW.unit_code, NULL, NEW.occurred_on);
    END IF;
    IF ref IS NOT NULL THEN
        SELECT i.* INTO old FROM antq.incident i JOIN antq.unit u ON u.unit_id = i.unit_id
         WHERE u.code = NEW.unit_code AND i.reference = ref FOR UPDATE OF i;
    ELSE
        -- No unique index can hold this key (a NULL reference is distinct in incident_reference):
        -- writers of one version's events without reference take turns on its row.
        PERFORM FROM antq.unit u WHERE u.unit_id = uid FOR NO KEY UPDATE;
        SELECT i.* INTO old FROM antq.incident i
         WHERE i.unit_id = uid AND i.reference IS NULL AND i.occurred_on = NEW.occurred_on AND i.kind = knd
           AND i.description IS NOT DISTINCT FROM descr
         ORDER BY i.incident_id LIMIT 1 FOR UPDATE;
    END IF;
    IF old.incident_id IS NULL THEN
        INSERT INTO antq.incident (unit_id, occurred_on, kind, severity, force_majeure, handled_promptly, reference, description)
        VALUES (uid, NEW.occurred_on, knd, sev, NEW.force_majeure, NEW.handled_promptly, ref, descr);
    ELSIF (old.unit_id, old.occurred_on, old.kind, old.severity, old.force_majeure, old.handled_promptly, old.description)
          IS DISTINCT FROM (uid, NEW.occurred_on, knd, sev, NEW.force_majeure, NEW.handled_promptly, descr) THEN
        UPDATE antq.incident i
           SET unit_id = uid, occurred_on = NEW.occurred_on, kind = knd, severity = sev,
               force_majeure = NEW.force_majeure, handled_promptly = NEW.handled_promptly, description = descr
         WHERE i.incident_id = old.incident_id;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION antq.incident_by_code_write() IS
  'Trigger writing antq.incident_by_code (ghi vụ việc theo mã đơn vị): resolves unit_code to the version in force on occurred_on and inserts the event, or updates the stored one with the same reference (or, without one, the same occurred_on, kind and description) when it differs; an identical resend changes nothing.';
CREATE TRIGGER write INSTEAD OF INSERT ON antq.incident_by_code
    FOR EACH ROW EXECUTE FUNCTION antq.incident_by_code_write();

-- ==== Units ====
-- A unit version is keyed by (code, valid_from). Rows may come in any order within one
-- statement: a row whose parent or managing authority is not registered yet is held in a
-- temporary table (created on first need, dropped at commit) and written at the end of the
-- statement, when the rows it waits for have been; what still waits then is an error listing
-- every such row. A resend equal to the stored version changes nothing; one that differs in
-- name, sub_kind, management_level or (a given) valid_to updates the version; one that differs
-- in kind, parent or managing authority is refused: moving in the tree makes a new version,
-- which is antq.reorganize's job. An empty valid_to never reopens a closed version.
CREATE VIEW antq.unit_by_code WITH (security_invoker = true) AS
SELECT u.kind, u.sub_kind, u.code, u.name, p.code AS parent_code, m.code AS managed_by_code,
       u.management_level, u.valid_from, u.valid_to
  FROM antq.unit u
  LEFT JOIN antq.unit p ON p.unit_id OPERATOR(pg_catalog.=) u.parent_id
  LEFT JOIN antq.unit m ON m.unit_id OPERATOR(pg_catalog.=) u.managed_by;
COMMENT ON VIEW antq.unit_by_code IS
  'Unit registry by code (danh mục đơn vị theo mã): one row per version with its parent and managing authority as codes. INSERT or COPY a province''s registry export keyed by code and valid_from, rows in any order (parents may come after their children); resending is idempotent (an identical row changes nothing; a new name, sub_kind or valid_to updates the version; a new parent is refused: use antq.reorganize).';
COMMENT ON COLUMN antq.unit_by_code.kind IS 'Unit kind (loại đơn vị): province, district, commune, residential_area, agency, enterprise, school.';
COMMENT ON COLUMN antq.unit_by_code.sub_kind IS 'Sub-kind (phân loại), as antq.unit.sub_kind; a residential area''s Vietnamese label (Xóm) is accepted.';
COMMENT ON COLUMN antq.unit_by_code.code IS 'Permanent code (mã đơn vị), never reused.';
COMMENT ON COLUMN antq.unit_by_code.name IS 'Name (tên đơn vị).';
COMMENT ON COLUMN antq.unit_by_code.parent_code IS 'Code of the unit it lies in (mã đơn vị cấp trên); the version in force on valid_from is meant. Empty for a province.';
COMMENT ON COLUMN antq.unit_by_code.managed_by_code IS 'Code of the managing authority of an agency, enterprise or school (mã cơ quan quản lý); the version in force on valid_from is meant.';
COMMENT ON COLUMN antq.unit_by_code.management_level IS 'Level of the managing authority (cấp quản lý); derived when empty, ministry when there is no managing authority.';
COMMENT ON COLUMN antq.unit_by_code.valid_from IS 'First day this version is in force (hiệu lực từ); with code, the key of a resend.';
COMMENT ON COLUMN antq.unit_by_code.valid_to IS 'First day this version is no longer in force (hết hiệu lực từ); empty while in force (an empty value never reopens a closed version).';

-- Write one row of antq.unit_by_code whose parent and manager versions are known.
CREATE FUNCTION antq.unit_by_code_apply(r antq.unit_by_code, p_parent bigint, p_manager bigint)
RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cur   antq.unit;
    sub   text := antq.nfc(r.sub_kind);
    nm    text := antq.nfc(r.name);
    label text := antq.unit_label(r.kind, r.code, antq.nfc(r.name));
    was   text;
BEGIN
    SELECT * INTO cur FROM antq.unit u WHERE u.code = antq.nfc(r.code) AND u.valid_from = r.valid_from FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, managed_by, management_level, valid_from, valid_to)
        VALUES (r.kind, r.sub_kind, r.code, r.name, p_parent, p_manager, r.management_level, r.valid_from, r.valid_to);
        RETURN;
    END IF;
    IF r.kind IS DISTINCT FROM cur.kind THEN
        RAISE EXCEPTION 'unit % valid from % is registered as a %', label, antq.date_label(r.valid_from), cur.kind
            USING ERRCODE = 'check_violation', COLUMN = 'kind', TABLE = 'unit_by_code', SCHEMA = 'antq',
                  HINT = 'The code and kind of a unit are permanent: correct the kind, or give a new unit a new code.';
    END IF;
    IF cur.parent_id IS DISTINCT FROM p_parent OR cur.managed_by IS DISTINCT FROM p_manager THEN
        SELECT coalesce(v.code, '(none)') INTO was FROM (SELECT) AS one
          LEFT JOIN antq.unit v ON v.unit_id = CASE WHEN cur.parent_id IS DISTINCT FROM p_parent THEN cur.parent_id ELSE cur.managed_by END;
        RAISE EXCEPTION 'unit % valid from % has % %, not %', label, antq.date_label(r.valid_from),
                CASE WHEN cur.parent_id IS DISTINCT FROM p_parent THEN 'parent_code' ELSE 'managed_by_code' END, was,
                coalesce(CASE WHEN cur.parent_id IS DISTINCT FROM p_parent THEN r.parent_code ELSE r.managed_by_code END, '(none)')
            USING ERRCODE = 'check_violation', TABLE = 'unit_by_code', SCHEMA = 'antq',
                  COLUMN = CASE WHEN cur.parent_id IS DISTINCT FROM p_parent THEN 'parent_code' ELSE 'managed_by_code' END,
                  HINT = 'A unit that moves in the tree carries on in a new version: call antq.reorganize (or antq.merge_units) with the day it moves; a resend cannot move a version.';
    END IF;
    IF r.kind = 'residential_area' AND sub IS NOT NULL THEN
        sub := coalesce(antq.residential_sub_kind(sub), sub);
    END IF;
    IF (cur.sub_kind, cur.name, cur.valid_to, cur.management_level)
       IS DISTINCT FROM (sub, nm, coalesce(r.valid_to, cur.valid_to), coalesce(r.management_level, cur.management_level)) THEN
        UPDATE antq.unit u SET sub_kind = sub, name = nm, valid_to = coalesce(r.valid_to, cur.valid_to),
                               management_level = coalesce(r.management_level, cur.management_level)
         WHERE u.unit_id = cur.unit_id;
    END IF;
END
$$;
COMMENT ON FUNCTION antq.unit_by_code_apply(antq.unit_by_code, bigint, bigint) IS
  'Write one row of antq.unit_by_code (ghi một đơn vị theo mã) with its parent and managing authority resolved: insert a new version, change nothing for an identical resend, update name, sub_kind, management_level or valid_to, refuse a new kind, parent or managing authority.';

-- The version ids a row's parent_code and managed_by_code mean (in force on valid_from); NULL
-- where the code is not (yet) registered. pending is true when the row must wait.
CREATE FUNCTION antq.unit_by_code_refs(r antq.unit_by_code, OUT parent bigint, OUT manager bigint, OUT pending boolean)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- PL/pgSQL, not SQL: a SQL function called again in one transaction keeps its rewritten
    -- query, row-level security included, across a SET ROLE; PL/pgSQL's plans are checked.
    SELECT p.unit_id, m.unit_id,
           r.valid_from IS NOT NULL AND ((r.parent_code IS NOT NULL AND p.unit_id IS NULL) OR (r.managed_by_code IS NOT NULL AND m.unit_id IS NULL))
      INTO parent, manager, pending
      FROM (SELECT) AS one
      LEFT JOIN antq.unit p ON p.code = r.parent_code AND p.valid_from <= r.valid_from AND (p.valid_to IS NULL OR p.valid_to > r.valid_from)
      LEFT JOIN antq.unit m ON m.code = r.managed_by_code AND m.valid_from <= r.valid_from AND (m.valid_to IS NULL OR m.valid_to > r.valid_from);
END
$$;
COMMENT ON FUNCTION antq.unit_by_code_refs(antq.unit_by_code) IS
  'Versions meant by a unit_by_code row''s parent_code and managed_by_code (phiên bản đơn vị cấp trên và cơ quan quản lý), in force on its valid_from, and whether the row must wait for one not registered yet.';

CREATE FUNCTION antq.unit_by_code_begin() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pg_catalog.set_config('antq.by_code_row', '0', true);
    IF pg_catalog.to_regclass('pg_temp.antq_unit_stash') IS NOT NULL THEN
        DELETE FROM pg_temp.antq_unit_stash;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION antq.unit_by_code_begin() IS
  'Statement trigger starting a write to antq.unit_by_code (bắt đầu ghi danh mục theo mã): numbers the rows from 1 and empties the rows held back.';

CREATE FUNCTION antq.unit_by_code_write() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rowno bigint := coalesce(nullif(current_setting('antq.by_code_row', true), ''), '0')::bigint + 1;
    refs  record;
BEGIN
    PERFORM set_config('antq.by_code_row', rowno::text, true);
    refs := antq.unit_by_code_refs(NEW);
    IF refs.pending THEN
        IF to_regclass('pg_temp.antq_unit_stash') IS NULL THEN
            CREATE TEMP TABLE antq_unit_stash (rowno bigint PRIMARY KEY, r antq.unit_by_code NOT NULL) ON COMMIT DROP;
            -- A temporary table is this session's alone; whichever role the session later sets
            -- (SET ROLE) uses it too.
            GRANT SELECT, INSERT, DELETE ON pg_temp.antq_unit_stash TO PUBLIC;
        END IF;
        INSERT INTO pg_temp.antq_unit_stash VALUES (rowno, NEW);
    ELSE
        PERFORM antq.unit_by_code_apply(NEW, refs.parent, refs.manager);
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION antq.unit_by_code_write() IS
  'Trigger writing antq.unit_by_code (ghi danh mục theo mã): writes the row when its parent and managing authority are registered, else holds it until the end of the statement.';

-- The end of the statement: write the rows held, each pass those whose parent and manager are
-- now registered, until a pass writes none; then what is left is reported, row by row.
CREATE FUNCTION antq.unit_by_code_end() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    s        record;
    refs     record;
    written  boolean;
    st text; msg text; det text; hnt text; col text;
    n        bigint;
    list     text;
BEGIN
    IF to_regclass('pg_temp.antq_unit_stash') IS NULL THEN
        RETURN NULL;
    END IF;
    LOOP
        written := false;
        FOR s IN SELECT x.rowno, x.r FROM pg_temp.antq_unit_stash x ORDER BY x.rowno LOOP
            refs := antq.unit_by_code_refs(s.r);
            CONTINUE WHEN refs.pending;
            BEGIN
                PERFORM antq.unit_by_code_apply(s.r, refs.parent, refs.manager);
            EXCEPTION WHEN OTHERS THEN
                -- The row's COPY line is gone by now: name its row number instead.
                GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL,
                                        hnt = PG_EXCEPTION_HINT, col = COLUMN_NAME;
                RAISE EXCEPTION 'row % of the statement (code %): %', s.rowno, antq.clip((s.r).code, 40), msg
                    USING ERRCODE = st, COLUMN = coalesce(nullif(col, ''), 'code'), TABLE = 'unit_by_code', SCHEMA = 'antq',
                          DETAIL = concat_ws(' ', nullif(det, ''), 'The row was written at the end of the statement, after the parent or managing authority it named.'),
                          HINT = coalesce(nullif(hnt, ''), 'Correct the row and send the statement again; nothing of it was written.');
            END;
            DELETE FROM pg_temp.antq_unit_stash x WHERE x.rowno = s.rowno;
            written := true;
        END LOOP;
        EXIT WHEN NOT written;
    END LOOP;

    -- A code of another province is refused as such, naming the row.
    FOR s IN SELECT x.rowno, x.r FROM pg_temp.antq_unit_stash x ORDER BY x.rowno LOOP
        refs := antq.unit_by_code_refs(s.r);
        PERFORM antq.code_within_reach('unit_by_code', format('row %s: %s %s', s.rowno, (s.r).kind, antq.clip((s.r).code, 40)),
                                       CASE WHEN (s.r).parent_code IS NOT NULL AND refs.parent IS NULL THEN (s.r).parent_code ELSE (s.r).managed_by_code END,
                                       antq.confined_provinces());
    END LOOP;
    SELECT count(*), string_agg(w.item, '; ' ORDER BY w.rowno) FILTER (WHERE w.k <= 20) INTO n, list
      FROM (SELECT x.rowno, row_number() OVER (ORDER BY x.rowno) AS k,
                   format('row %s: %s %s has %s %s, %s', x.rowno, (x.r).kind, antq.clip((x.r).code, 40), m.field, antq.clip(m.code, 40),
                          CASE WHEN EXISTS (SELECT FROM antq.unit v WHERE v.code = m.code)
                               THEN 'not in force on ' || antq.date_label((x.r).valid_from) ELSE 'not registered' END) AS item
              FROM pg_temp.antq_unit_stash x,
                   LATERAL antq.unit_by_code_refs(x.r) f,
                   LATERAL (SELECT CASE WHEN (x.r).parent_code IS NOT NULL AND f.parent IS NULL THEN 'parent_code' ELSE 'managed_by_code' END AS field,
                                   CASE WHEN (x.r).parent_code IS NOT NULL AND f.parent IS NULL THEN (x.r).parent_code ELSE (x.r).managed_by_code END AS code) m) w;
    IF n > 0 THEN
        RAISE EXCEPTION '% unit row(s) name a parent or managing authority that is not registered: %', n,
                list || CASE WHEN n > 20 THEN format('; and %s more', n - 20) ELSE '' END
            USING ERRCODE = 'foreign_key_violation', COLUMN = 'parent_code', TABLE = 'unit_by_code', SCHEMA = 'antq',
                  HINT = 'Register the missing units first, or send them in the same statement (rows may come in any order); a parent or managing authority must be in force on the unit''s valid_from. Nothing of the statement was written.';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION antq.unit_by_code_end() IS
  'Statement trigger ending a write to antq.unit_by_code (kết thúc ghi danh mục theo mã): writes the rows held until their parent or managing authority is registered, repeating until none is left or none can be written, then lists every row still waiting with the code it misses.';

CREATE TRIGGER begin_rows BEFORE INSERT ON antq.unit_by_code FOR EACH STATEMENT EXECUTE FUNCTION antq.unit_by_code_begin();
CREATE TRIGGER write INSTEAD OF INSERT ON antq.unit_by_code FOR EACH ROW EXECUTE FUNCTION antq.unit_by_code_write();
CREATE TRIGGER end_rows AFTER INSERT ON antq.unit_by_code FOR EACH STATEMENT EXECUTE FUNCTION antq.unit_by_code_end();

-- Facts belong to the unit, not to a version (số liệu thuộc về đơn vị, không thuộc phiên bản).
-- A unit is its permanent code (Decision 124/2004/QĐ-TTg: never reused; on a merger the merged
-- unit keeps the seat unit's code). Its facts of year Y count for the version of the code that
-- takes part in Y (in force on antq.window_end(kind, Y)), its incidents for the version in force
-- on their day. They are stored on that version, so that every reader (sql/47_compute.sql's
-- input query, the national pass in extension/recompute/stale_*.c) reads a version's own rows; the
-- triggers below keep it so:
--   * a write names any version of the code: the fact checks (31_facts_rules.sql) store it on
--     the version taking part in its year (an incident: in force on its day), or refuse it
--     when there is none (antq.fact_unit);
--   * a change of the registry (a new version of a code, a changed validity: antq.merge_units
--     and antq.reorganize do both) moves the code's rows to the version now taking part
--     (antq.move_facts), one statement per table; capture queues the old and new keys of each
--     moved row like any UPDATE. Rows whose code has no version taking part in their year stay
--     stored and are listed by antq.facts_not_counted.
-- docs/reform.md states the rules and what they mean for a merged unit.

-- The version of p_unit_id's code that a fact of p_year (or, for an incident, of day p_on)
-- belongs to, raising when there is none. SECURITY DEFINER: the version may lie in another
-- province (the 2025 reform moved whole provinces), which a confined writer cannot read; it
-- is then refused by antq.unit_within_reach with the writer's own provinces (p_provinces).
CREATE FUNCTION antq.fact_unit(p_table text, p_unit_id bigint, p_year integer, p_on date, p_provinces text[])
RETURNS bigint LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v antq.unit;
    target bigint;
    versions text;
    merged text;
    day date;
BEGIN
    SELECT * INTO v FROM antq.unit u WHERE u.unit_id = p_unit_id;
    IF NOT FOUND THEN
        RETURN p_unit_id;  -- the foreign key names it
    END IF;
    day := coalesce(p_on, antq.window_end(v.kind, p_year));
    SELECT u.unit_id INTO target FROM antq.unit u
     WHERE u.code = v.code AND u.valid_from <= day AND (u.valid_to IS NULL OR u.valid_to > day);
    -- The version written to stores nothing: only the one that will must be within reach (a
    -- province that took over a unit in the reform writes its facts whatever id it holds).
    IF target IS NOT NULL THEN
        PERFORM antq.unit_within_reach(p_table, target, p_provinces);
        RETURN target;
    END IF;
    PERFORM antq.unit_within_reach(p_table, p_unit_id, p_provinces);  -- before naming its versions
    SELECT string_agg(format('unit_id %s valid from %s to %s', u.unit_id, antq.date_label(u.valid_from), antq.date_label(u.valid_to)),
                      '; ' ORDER BY u.valid_from)
      INTO versions FROM antq.unit u WHERE u.code = v.code;
    SELECT string_agg(format('%s on %s', antq.unit_label(s.kind, s.code, s.name), antq.date_label(s.effective_date)), ', ' ORDER BY s.code)
      INTO merged
      FROM antq.unit u CROSS JOIN LATERAL antq.successors(u.unit_id) s
     WHERE u.code = v.code AND s.code <> v.code AND s.depth = 1;
    RAISE EXCEPTION 'unit_id for % in %: no version of code % is in force on %', antq.unit_label(v.kind, v.code, v.name),
            coalesce(p_year, extract(year FROM p_on)::integer), v.code,
            CASE WHEN p_on IS NULL THEN format('%s, the last day of its %s window: it does not take part in %s', antq.date_label(day), p_year, p_year)
                 ELSE antq.date_label(day) END
        USING ERRCODE = 'check_violation', COLUMN = 'unit_id', TABLE = p_table, SCHEMA = 'antq',
              DETAIL = format('Versions of %s: %s.', antq.unit_label(v.kind, v.code, v.name), versions)
                       || CASE WHEN merged IS NOT NULL THEN format(' It was merged into %s.', merged) ELSE '' END,
              HINT = CASE WHEN merged IS NOT NULL
                          THEN format('Facts of the unit from then on are written on its successor (%s); its incidents before the merger on itself, and its successor counts them.', merged)
                          WHEN p_on IS NULL THEN 'A unit takes part in a year when a version of its code is in force on the last day of the year''s window (antq.window_end: 31 Oct for residential areas, 15 Nov for others); write the fact for a year it takes part in.'
                          ELSE 'Record the event against the unit where it happened, on a day a version of its code is in force.' END;
END
$$;
COMMENT ON FUNCTION antq.fact_unit(text, bigint, integer, date, text[]) IS
  'The version a fact belongs to (phiên bản nhận số liệu): of the written version''s code, the one taking part in the year (p_on NULL) or in force on the day p_on; raises check_violation naming the code, the year or day, its versions and its merger when there is none, and insufficient_privilege when the version lies outside the writer''s provinces.';

-- The fact tables whose rows belong to a year, with the columns that make a row unique within
-- a unit and year.
CREATE FUNCTION antq.year_fact_tables(OUT table_name text, OUT key_columns text)
RETURNS SETOF record LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ VALUES ('assessment', ''), ('score', 'item'), ('model_check', 'criterion_no'), ('decision', 'kind'), ('model_participation', '') $$;
COMMENT ON FUNCTION antq.year_fact_tables() IS
  'The fact tables keyed by unit and year (bảng số liệu theo năm) and the further columns of their keys.';

-- Why moving the rows of p_table for the codes p_codes hit a unique key: the code, the year (or
-- reference) and the versions holding rows of one key, raised as unique_violation. Only run
-- when a move failed, so it may take its time (dynamic SQL).
CREATE FUNCTION antq.facts_conflict(p_table text, p_codes text[])
RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    key_column text := CASE WHEN p_table = 'incident' THEN 'reference'
                            ELSE (SELECT y.key_columns FROM antq.year_fact_tables() y WHERE y.table_name = p_table) END;
    period text := CASE WHEN p_table = 'incident' THEN 'NULL::integer' ELSE 'f.year' END;
    day text := CASE WHEN p_table = 'incident' THEN 'f.occurred_on' ELSE 'antq.window_end(w.kind, f.year)' END;
    bad record;
BEGIN
    EXECUTE format('SELECT v.code, %1$s AS period, %2$s AS key, string_agg(DISTINCT v.unit_id::text, '', '') AS versions
                      FROM antq.%3$I f JOIN antq.unit v ON v.unit_id = f.unit_id AND v.code = ANY ($1)
                      JOIN antq.unit w ON w.code = v.code AND w.valid_from <= %4$s AND (w.valid_to IS NULL OR w.valid_to > %4$s)
                     WHERE %5$s GROUP BY v.code, w.unit_id, %1$s, %2$s HAVING count(*) > 1 ORDER BY 1, 2 LIMIT 1',
                   period, CASE WHEN key_column = '' THEN 'NULL::text' ELSE format('f.%I::text', key_column) END, p_table, day,
                   CASE WHEN p_table = 'incident' THEN 'f.reference IS NOT NULL' ELSE 'true' END)
       INTO bad USING p_codes;
    RAISE EXCEPTION 'code % has rows of antq.% for % on more than one version', bad.code, p_table,
            coalesce(bad.period::text, format('reference %s', antq.clip(bad.key, 40)))
        USING ERRCODE = 'unique_violation', TABLE = p_table, SCHEMA = 'antq',
              DETAIL = format('Versions (unit_id) %s hold rows of one key%s, which all belong to the version taking part then.', bad.versions,
                              CASE WHEN bad.period IS NOT NULL AND bad.key IS NOT NULL THEN format(' (%s %s)', key_column, antq.clip(bad.key, 40)) ELSE '' END),
              HINT = 'Keep one of the rows: delete the wrong one (antq.facts_not_counted lists rows that count nowhere), then repeat the change of the registry.';
END
$$;
COMMENT ON FUNCTION antq.facts_conflict(text, text[]) IS
  'Name the rows that stop facts from moving to their version (số liệu trùng giữa các phiên bản): raises unique_violation naming the code, the table and the year (or reference) held by two versions, with a hint.';

-- Move the rows of the codes p_codes to the version of each code that takes part in the row's
-- year (an incident: in force on its day), one statement per table. Two versions holding rows
-- of one key cannot both move: antq.facts_conflict names them.
-- Moving a row writes both provinces: each must be within the writer's reach (p_provinces).
-- SECURITY DEFINER so that rows of another province are moved rather than silently left
-- behind. Static SQL, the same steps for each table, differing in the table, the day that
-- decides the version and the key: the fact tables of antq.year_fact_tables, then the
-- incidents. A table added there is added here too (tests/pgtap/unit_facts.sql fails until
-- it is). Generic plans are kept between calls: a reorganization calls it once for every unit
-- it carries over, and planning each statement anew cost more than running it. Those plans go
-- from the codes to their rows by index (nested loops only): a generic plan expects several
-- codes and would otherwise hash a whole fact table on every call. The version a row goes to
-- is looked up for each row (a LATERAL subquery the planner keeps apart, OFFSET 0), by the
-- code index: as a join, with the many codes of a province's reform
-- (antq.apply_reorganization), the planner compared every unit with every other (20 to 30 s
-- for 10,000 codes). No sequential scans: just after a bulk load, before statistics, it took
-- one of antq.unit per code.
CREATE FUNCTION antq.move_facts(p_codes text[], p_provinces text[])
RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET plan_cache_mode = force_generic_plan
SET enable_hashjoin = off
SET enable_mergejoin = off
SET enable_seqscan = off
AS $body$
DECLARE
    confined constant boolean := antq.confined_provinces(SESSION_USER) IS NOT NULL OR p_provinces IS NOT NULL;
    n bigint;
    todo boolean[];
BEGIN
    -- Which tables have rows to move, in the order of the steps below (assessment, score,
    -- model_check, decision, model_participation, incident): one lookup per table in one statement.
    SELECT ARRAY[EXISTS (SELECT FROM antq.unit v JOIN antq.assessment f ON f.unit_id = v.unit_id
                           CROSS JOIN LATERAL (SELECT w.unit_id FROM antq.unit w
                                                WHERE w.code = v.code AND w.valid_from <= antq.window_end(w.kind, f.year)
                                                  AND (w.valid_to IS NULL OR w.valid_to > antq.window_end(w.kind, f.year))
                                               OFFSET 0) w
                          WHERE v.code = ANY (p_codes) AND w.unit_id <> v.unit_id),
                 EXISTS (SELECT FROM antq.unit v JOIN antq.score f ON f.unit_id = v.unit_id
                           CROSS JOIN LATERAL (SELECT w.unit_id FROM antq.unit w
                                                WHERE w.code = v.code AND w.valid_from <= antq.window_end(w.kind, f.year)
                                                  AND (w.valid_to IS NULL OR w.valid_to > antq.window_end(w.kind, f.year))
                                               OFFSET 0) w
                          WHERE v.code = ANY (p_codes) AND w.unit_id <> v.unit_id),
                 EXISTS (SELECT FROM antq.unit v JOIN antq.model_check f ON f.unit_id = v.unit_id
                           CROSS JOIN LATERAL (SELECT w.unit_id FROM antq.unit w
                                                WHERE w.code = v.code AND w.valid_from <= antq.window_end(w.kind, f.year)
                                                  AND (w.valid_to IS NULL OR w.valid_to > antq.window_end(w.kind, f.year))
                                               OFFSET 0) w
                          WHERE v.code = ANY (p_codes) AND w.unit_id <> v.unit_id),
                 EXISTS (SELECT FROM antq.unit v JOIN antq.decision f ON f.unit_id = v.unit_id
                           CROSS JOIN LATERAL (SELECT w.unit_id FROM antq.unit w
                                                WHERE w.code = v.code AND w.valid_from <= antq.window_end(w.kind, f.year)
                                                  AND (w.valid_to IS NULL OR w.valid_to > antq.window_end(w.kind, f.year))
                                               OFFSET 0) w
                          WHERE v.code = ANY (p_codes) AND w.unit_id <> v.unit_id),
                 EXISTS (SELECT FROM antq.unit v JOIN antq.model_participation f ON f.unit_id = v.unit_id
                           CROSS JOIN LATERAL (SELECT w.unit_id FROM antq.unit w
                                                WHERE w.code = v.code AND w.valid_from <= antq.window_end(w.kind, f.year)
                                                  AND (w.valid_to IS NULL OR w.valid_to > antq.window_end(w.kind, f.year))
                                               OFFSET 0) w
                          WHERE v.code = ANY (p_codes) AND w.unit_id <> v.unit_id),
                 EXISTS (SELECT FROM antq.unit v JOIN antq.incident f ON f.unit_id = v.unit_id
                           CROSS JOIN LATERAL (SELECT w.unit_id FROM antq.unit w
                                                WHERE w.code = v.code AND w.valid_from <= f.occurred_on
                                                  AND (w.valid_to IS NULL OR w.valid_to > f.occurred_on)
                                               OFFSET 0) w
                          WHERE v.code = ANY (p_codes) AND w.unit_id <> v.unit_id)] INTO todo;
    -- assessment: each row to the version of its code taking part in its year. Two
    -- versions holding rows of one key (here the year) cannot both move: a conflict always
    -- involves a row that moves (a version holds one row of a key), so the check runs only
    -- where rows move.
    IF todo[1] THEN
        IF EXISTS (SELECT FROM antq.unit v JOIN antq.assessment f ON f.unit_id = v.unit_id
                     CROSS JOIN LATERAL (SELECT w.unit_id FROM antq.unit w
                                          WHERE w.code = v.code AND w.valid_from <= antq.window_end(w.kind, f.year)
                                            AND (w.valid_to IS NULL OR w.valid_to > antq.window_end(w.kind, f.year))
                                         OFFSET 0) w
                    WHERE v.code = ANY (p_codes) AND true
                    GROUP BY w.unit_id, f.year HAVING count(*) > 1) THEN
            PERFORM antq.facts_conflict('assessment', p_codes);
        END IF;
        WITH moved AS (
            UPDATE antq.assessment m SET unit_id = x.new_id
              FROM (SELECT f.ctid AS row_id, v.unit_id AS old_id, w.unit_id AS new_id
                      FROM antq.unit v JOIN antq.assessment f ON f.unit_id = v.unit_id
                      CROSS JOIN LATERAL (SELECT w.unit_id FROM antq.unit w
                                           WHERE w.code = v.code AND w.valid_from <= antq.window_end(w.kind, f.year)
                                             AND (w.valid_to IS NULL OR w.valid_to > antq.window_end(w.kind, f.year))
                                          OFFSET 0) w
                     WHERE v.code = ANY (p_codes) AND w.unit_id <> v.unit_id) x
             WHERE m.ctid = x.row_id
            RETURNING x.old_id, x.new_id)
        SELECT count(*) INTO n FROM (SELECT DISTINCT moved.old_id, moved.new_id FROM moved) p
         WHERE CASE WHEN confined THEN antq.unit_within_reach('assessment', p.old_id, p_provinces)
                                       AND antq.unit_within_reach('assessment', p.new_id, p_provinces) END;
    END IF;
    -- score: as assessment, the key being the year and item.
    IF todo[2] THEN
        IF EXISTS (SELECT FROM antq.unit v JOIN antq.score f ON f.unit_id = v.unit_id
                     CROSS JOIN LATERAL (SELECT w.unit_id FROM antq.unit w
                                          WHERE w.code = v.code AND w.valid_from <= antq.window_end(w.kind, f.year)
                                            AND (w.valid_to IS NULL OR w.valid_to > antq.window_end(w.kind, f.year))
                                         OFFSET 0) w
                    WHERE v.code = ANY (p_codes) AND true
                    GROUP BY w.unit_id, f.year, f.item HAVING count(*) > 1) THEN
            PERFORM antq.facts_conflict('score', p_codes);
        END IF;
        WITH moved AS (
            UPDATE antq.score m SET unit_id = x.new_id
              FROM (SELECT f.ctid AS row_id, v.unit_id AS old_id, w.unit_id AS new_id
                      FROM antq.unit v JOIN antq.score f ON f.unit_id = v.unit_id
                      CROSS JOIN LATERAL (SELECT w.unit_id FROM antq.unit w
                                           WHERE w.code = v.code AND w.valid_from <= antq.window_end(w.kind, f.year)
                                             AND (w.valid_to IS NULL OR w.valid_to > antq.window_end(w.kind, f.year))
                                          OFFSET 0) w
                     WHERE v.code = ANY (p_codes) AND w.unit_id <> v.unit_id) x
             WHERE m.ctid = x.row_id
            RETURNING x.old_id, x.new_id)
        SELECT count(*) INTO n FROM (SELECT DISTINCT moved.old_id, moved.new_id FROM moved) p
         WHERE CASE WHEN confined THEN antq.unit_within_reach('score', p.old_id, p_provinces)
                                       AND antq.unit_within_reach('score', p.new_id, p_provinces) END;
    END IF;
    -- model_check: as assessment, the key being the year and criterion_no.
    IF todo[3] THEN
        IF EXISTS (SELECT FROM antq.unit v JOIN antq.model_check f ON f.unit_id = v.unit_id
                     CROSS JOIN LATERAL (SELECT w.unit_id FROM antq.unit w
                                          WHERE w.code = v.code AND w.valid_from <= antq.window_end(w.kind, f.year)
                                            AND (w.valid_to IS NULL OR w.valid_to > antq.window_end(w.kind, f.year))
                                         OFFSET 0) w
                    WHERE v.code = ANY (p_codes) AND true
                    GROUP BY w.unit_id, f.year, f.criterion_no HAVING count(*) > 1) THEN
            PERFORM antq.facts_conflict('model_check', p_codes);
        END IF;
        WITH moved AS (
            UPDATE antq.model_check m SET unit_id = x.new_id
              FROM (SELECT f.ctid AS row_id, v.unit_id AS old_id, w.unit_id AS new_id
                      FROM antq.unit v JOIN antq.model_check f ON f.unit_id = v.unit_id
                      CROSS JOIN LATERAL (SELECT w.unit_id FROM antq.unit w
                                           WHERE w.code = v.code AND w.valid_from <= antq.window_end(w.kind, f.year)
                                             AND (w.valid_to IS NULL OR w.valid_to > antq.window_end(w.kind, f.year))
                                          OFFSET 0) w
                     WHERE v.code = ANY (p_codes) AND w.unit_id <> v.unit_id) x
             WHERE m.ctid = x.row_id
            RETURNING x.old_id, x.new_id)
        SELECT count(*) INTO n FROM (SELECT DISTINCT moved.old_id, moved.new_id FROM moved) p
         WHERE CASE WHEN confined THEN antq.unit_within_reach('model_check', p.old_id, p_provinces)
                                       AND antq.unit_within_reach('model_check', p.new_id, p_provinces) END;
    END IF;
    -- decision: as assessment, the key being the year and kind.
    IF todo[4] THEN
        IF EXISTS (SELECT FROM antq.unit v JOIN antq.decision f ON f.unit_id = v.unit_id
                     CROSS JOIN LATERAL (SELECT w.unit_id FROM antq.unit w
                                          WHERE w.code = v.code AND w.valid_from <= antq.window_end(w.kind, f.year)
                                            AND (w.valid_to IS NULL OR w.valid_to > antq.window_end(w.kind, f.year))
                                         OFFSET 0) w
                    WHERE v.code = ANY (p_codes) AND true
                    GROUP BY w.unit_id, f.year, f.kind HAVING count(*) > 1) THEN
            PERFORM antq.facts_conflict('decision', p_codes);
        END IF;
        WITH moved AS (
            UPDATE antq.decision m SET unit_id = x.new_id
              FROM (SELECT f.ctid AS row_id, v.unit_id AS old_id, w.unit_id AS new_id
                      FROM antq.unit v JOIN antq.decision f ON f.unit_id = v.unit_id
                      CROSS JOIN LATERAL (SELECT w.unit_id FROM antq.unit w
                                           WHERE w.code = v.code AND w.valid_from <= antq.window_end(w.kind, f.year)
                                             AND (w.valid_to IS NULL OR w.valid_to > antq.window_end(w.kind, f.year))
                                          OFFSET 0) w
                     WHERE v.code = ANY (p_codes) AND w.unit_id <> v.unit_id) x
             WHERE m.ctid = x.row_id
            RETURNING x.old_id, x.new_id)
        SELECT count(*) INTO n FROM (SELECT DISTINCT moved.old_id, moved.new_id FROM moved) p
         WHERE CASE WHEN confined THEN antq.unit_within_reach('decision', p.old_id, p_provinces)
                                       AND antq.unit_within_reach('decision', p.new_id, p_provinces) END;
    END IF;
    -- model_participation: as assessment, the key being the year.
    IF todo[5] THEN
        IF EXISTS (SELECT FROM antq.unit v JOIN antq.model_participation f ON f.unit_id = v.unit_id
                     CROSS JOIN LATERAL (SELECT w.unit_id FROM antq.unit w
                                          WHERE w.code = v.code AND w.valid_from <= antq.window_end(w.kind, f.year)
                                            AND (w.valid_to IS NULL OR w.valid_to > antq.window_end(w.kind, f.year))
                                         OFFSET 0) w
                    WHERE v.code = ANY (p_codes) AND true
                    GROUP BY w.unit_id, f.year HAVING count(*) > 1) THEN
            PERFORM antq.facts_conflict('model_participation', p_codes);
        END IF;
        WITH moved AS (
            UPDATE antq.model_participation m SET unit_id = x.new_id
              FROM (SELECT f.ctid AS row_id, v.unit_id AS old_id, w.unit_id AS new_id
                      FROM antq.unit v JOIN antq.model_participation f ON f.unit_id = v.unit_id
                      CROSS JOIN LATERAL (SELECT w.unit_id FROM antq.unit w
                                           WHERE w.code = v.code AND w.valid_from <= antq.window_end(w.kind, f.year)
                                             AND (w.valid_to IS NULL OR w.valid_to > antq.window_end(w.kind, f.year))
                                          OFFSET 0) w
                     WHERE v.code = ANY (p_codes) AND w.unit_id <> v.unit_id) x
             WHERE m.ctid = x.row_id
            RETURNING x.old_id, x.new_id)
        SELECT count(*) INTO n FROM (SELECT DISTINCT moved.old_id, moved.new_id FROM moved) p
         WHERE CASE WHEN confined THEN antq.unit_within_reach('model_participation', p.old_id, p_provinces)
                                       AND antq.unit_within_reach('model_participation', p.new_id, p_provinces) END;
    END IF;
    -- incident: each to the version in force on its day; its key is its reference (an
    -- incident without one has no natural key).
    IF todo[6] THEN
        IF EXISTS (SELECT FROM antq.unit v JOIN antq.incident f ON f.unit_id = v.unit_id
                     CROSS JOIN LATERAL (SELECT w.unit_id FROM antq.unit w
                                          WHERE w.code = v.code AND w.valid_from <= f.occurred_on
                                            AND (w.valid_to IS NULL OR w.valid_to > f.occurred_on)
                                         OFFSET 0) w
                    WHERE v.code = ANY (p_codes) AND f.reference IS NOT NULL
                    GROUP BY w.unit_id, f.reference HAVING count(*) > 1) THEN
            PERFORM antq.facts_conflict('incident', p_codes);
        END IF;
        WITH moved AS (
            UPDATE antq.incident m SET unit_id = x.new_id
              FROM (SELECT f.ctid AS row_id, v.unit_id AS old_id, w.unit_id AS new_id
                      FROM antq.unit v JOIN antq.incident f ON f.unit_id = v.unit_id
                      CROSS JOIN LATERAL (SELECT w.unit_id FROM antq.unit w
                                           WHERE w.code = v.code AND w.valid_from <= f.occurred_on
                                             AND (w.valid_to IS NULL OR w.valid_to > f.occurred_on)
                                          OFFSET 0) w
                     WHERE v.code = ANY (p_codes) AND w.unit_id <> v.unit_id) x
             WHERE m.ctid = x.row_id
            RETURNING x.old_id, x.new_id)
        SELECT count(*) INTO n FROM (SELECT DISTINCT moved.old_id, moved.new_id FROM moved) p
         WHERE CASE WHEN confined THEN antq.unit_within_reach('incident', p.old_id, p_provinces)
                                       AND antq.unit_within_reach('incident', p.new_id, p_provinces) END;
    END IF;
END
$body$;
COMMENT ON FUNCTION antq.move_facts(text[], text[]) IS
  'Move the facts of unit codes to their versions (chuyển số liệu sang phiên bản tham gia): each row of a year to the version taking part in that year, each incident to the version in force on its day; raises unique_violation naming the code, year and table when two versions hold rows of one key (antq.facts_conflict), and insufficient_privilege when a province is outside the writer''s.';

-- After a change of the registry: the codes given a version or a new validity.
CREATE FUNCTION antq.unit_facts_follow() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    codes text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- a code's first version has no facts yet
        SELECT array_agg(DISTINCT n.code) INTO codes FROM antq_new n
         WHERE EXISTS (SELECT FROM antq.unit o WHERE o.code = n.code AND o.unit_id <> n.unit_id);
    ELSE
        SELECT array_agg(DISTINCT n.code) INTO codes FROM antq_new n JOIN antq_old o ON o.unit_id = n.unit_id
         WHERE n.valid_from <> o.valid_from OR n.valid_to IS DISTINCT FROM o.valid_to;
    END IF;
    IF codes IS NOT NULL THEN
        PERFORM antq.move_facts(codes, antq.confined_provinces());
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION antq.unit_facts_follow() IS
  'Trigger keeping facts on the version they belong to (số liệu theo đơn vị): after versions of a code are added or their validity changes, antq.move_facts moves the code''s rows.';
CREATE TRIGGER unit_facts_follow_insert AFTER INSERT ON antq.unit
    REFERENCING NEW TABLE AS antq_new FOR EACH STATEMENT EXECUTE FUNCTION antq.unit_facts_follow();
CREATE TRIGGER unit_facts_follow_update AFTER UPDATE ON antq.unit
    REFERENCING OLD TABLE AS antq_old NEW TABLE AS antq_new FOR EACH STATEMENT EXECUTE FUNCTION antq.unit_facts_follow();

-- Facts stored but counted nowhere: rows of a year in which no version of their code takes
-- part (a unit merged away keeps its Q1 registration of the year of its merger here), and
-- incidents that neither their version nor any of its successors reads (the year whose window
-- holds the day is one in which none of them takes part).
CREATE VIEW antq.facts_not_counted WITH (security_invoker = true) AS
  WITH facts AS (
      SELECT 'assessment'::text AS table_name, a.unit_id, a.year, NULL::date AS occurred_on FROM antq.assessment a
      UNION ALL SELECT DISTINCT 'score', s.unit_id, s.year, NULL::date FROM antq.score s
      UNION ALL SELECT DISTINCT 'model_check', m.unit_id, m.year, NULL::date FROM antq.model_check m
      UNION ALL SELECT 'decision', d.unit_id, d.year, NULL::date FROM antq.decision d
      UNION ALL SELECT 'model_participation', m.unit_id, m.year, NULL::date FROM antq.model_participation m
      UNION ALL SELECT 'incident', i.unit_id, NULL::integer, i.occurred_on FROM antq.incident i
  ), placed AS (
      -- the year each row counts for: its own, or for an incident the year whose window holds it
      SELECT f.table_name, f.unit_id, f.occurred_on, u.kind, u.code, u.name, u.province_code, u.valid_from, u.valid_to,
             coalesce(f.year, CASE WHEN f.occurred_on OPERATOR(pg_catalog.<=) antq.window_end(u.kind, extract(year FROM f.occurred_on)::integer)
                                   THEN extract(year FROM f.occurred_on)::integer
                                   ELSE extract(year FROM f.occurred_on)::integer OPERATOR(pg_catalog.+) 1 END) AS year
        FROM facts f JOIN antq.unit u ON u.unit_id OPERATOR(pg_catalog.=) f.unit_id
  )
  SELECT p.table_name, p.code AS unit_code, p.name AS unit_name, p.kind AS unit_kind, p.province_code, p.year, p.occurred_on,
         p.unit_id,
         format('no version of code %s is in force on %s, the last day of its %s window', p.code,
                antq.date_label(antq.window_end(p.kind, p.year)), p.year)
         || coalesce((SELECT format('; merged into %s on %s', string_agg(antq.unit_label(s.kind, s.code, s.name), ', ' ORDER BY s.code),
                                    antq.date_label(min(s.effective_date)))
                        FROM antq.successors(p.unit_id) s WHERE s.code OPERATOR(pg_catalog.<>) p.code AND s.depth OPERATOR(pg_catalog.=) 1
                       HAVING count(*) OPERATOR(pg_catalog.>) 0), '') AS reason
    FROM placed p
   WHERE NOT (p.valid_from OPERATOR(pg_catalog.<=) antq.window_end(p.kind, p.year)
              AND (p.valid_to IS NULL OR p.valid_to OPERATOR(pg_catalog.>) antq.window_end(p.kind, p.year)))
     AND (p.table_name OPERATOR(pg_catalog.<>) 'incident' OR NOT EXISTS (
             SELECT FROM antq.successors(p.unit_id) s
              WHERE s.valid_from OPERATOR(pg_catalog.<=) antq.window_end(s.kind, p.year)
                AND (s.valid_to IS NULL OR s.valid_to OPERATOR(pg_catalog.>) antq.window_end(s.kind, p.year))
                AND s.depth OPERATOR(pg_catalog.<=) 32));
COMMENT ON VIEW antq.facts_not_counted IS
  'Facts stored but counted in no result (số liệu không được tính): rows of a year in which no version of their unit''s code takes part (e.g. the Q1 registration of a unit merged away that year), and incidents that neither their unit nor any successor reads. They are kept, never deleted; docs/reform.md explains why.';
COMMENT ON COLUMN antq.facts_not_counted.table_name IS 'Fact table holding the row (bảng số liệu): assessment, score, model_check, decision, model_participation or incident.';
COMMENT ON COLUMN antq.facts_not_counted.unit_code IS 'Permanent code of the unit (mã đơn vị).';
COMMENT ON COLUMN antq.facts_not_counted.unit_name IS 'Name of the version holding the row (tên đơn vị).';
COMMENT ON COLUMN antq.facts_not_counted.unit_kind IS 'Kind of the unit (loại đơn vị).';
COMMENT ON COLUMN antq.facts_not_counted.province_code IS 'Province of the version holding the row (mã tỉnh).';
COMMENT ON COLUMN antq.facts_not_counted.year IS 'Year the row is for (năm); for an incident, the year whose assessment window holds its day.';
COMMENT ON COLUMN antq.facts_not_counted.occurred_on IS 'Day of an incident (ngày xảy ra); NULL for the other tables.';
COMMENT ON COLUMN antq.facts_not_counted.unit_id IS 'Version holding the row (phiên bản đơn vị), antq.unit.unit_id.';
COMMENT ON COLUMN antq.facts_not_counted.reason IS 'Why it counts nowhere (lý do không được tính), naming the code, the day that decides and any merger.';

-- A reorganization in one call (sắp xếp đơn vị hành chính): a province's 2025 reform — provinces
-- merged, districts abolished, communes merged, and every unit under them carried on — applied
-- from a list of steps keyed by code, checked whole before anything changes (every blocker listed
-- in one error), then written level by level in a few set-based statements. docs/reorganization.md
-- describes the steps with an example.

-- The steps of a plan as rows, with what is wrong with each element (NULL when nothing).
CREATE FUNCTION antq.reorganization_steps(p_steps jsonb)
RETURNS TABLE (step integer, code text, into_code text, closes boolean, parent_code text, managed_by_code text,
               name text, sub_kind text, children_to text, managed_to text, problem text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT o.ord::integer,
         antq.nfc(o.e ->> 'code'), antq.nfc(o.e ->> 'into'),
         CASE WHEN pg_catalog.jsonb_typeof(o.e -> 'close') = 'boolean' THEN (o.e ->> 'close')::boolean ELSE false END,
         antq.nfc(o.e ->> 'parent'), antq.nfc(o.e ->> 'managed_by'), antq.nfc(o.e ->> 'name'), antq.nfc(o.e ->> 'sub_kind'),
         antq.nfc(o.e ->> 'children_to'), antq.nfc(o.e ->> 'managed_to'),
         CASE WHEN pg_catalog.jsonb_typeof(o.e) <> 'object' THEN 'is not a JSON object'
              WHEN o.e ->> 'code' IS NULL THEN 'has no "code"'
              WHEN EXISTS (SELECT FROM pg_catalog.jsonb_object_keys(o.e) k
                            WHERE k NOT IN ('code', 'into', 'close', 'parent', 'managed_by', 'name', 'sub_kind', 'children_to', 'managed_to'))
                THEN 'has unknown keys: ' || (SELECT pg_catalog.string_agg(k, ', ' ORDER BY k) FROM pg_catalog.jsonb_object_keys(o.e) k
                            WHERE k NOT IN ('code', 'into', 'close', 'parent', 'managed_by', 'name', 'sub_kind', 'children_to', 'managed_to'))
              WHEN o.e ? 'close' AND pg_catalog.jsonb_typeof(o.e -> 'close') <> 'boolean' THEN '"close" is not true or false'
              WHEN o.e ->> 'into' IS NOT NULL AND (o.e ->> 'close')::boolean IS TRUE THEN 'both merges ("into") and closes'
              WHEN o.e ->> 'into' IS NOT NULL AND (o.e ? 'parent' OR o.e ? 'managed_by' OR o.e ? 'name' OR o.e ? 'sub_kind')
                THEN 'merges ("into") and also gives the unit a new parent, manager, name or sub-kind'
              WHEN (o.e ? 'children_to' OR o.e ? 'managed_to') AND (o.e ->> 'close')::boolean IS NOT TRUE
                THEN '"children_to" and "managed_to" belong to a step that closes the unit'
         END
    FROM pg_catalog.jsonb_array_elements(CASE WHEN pg_catalog.jsonb_typeof(p_steps) = 'array' THEN p_steps ELSE '[]' END)
         WITH ORDINALITY AS o(e, ord)
$$;
COMMENT ON FUNCTION antq.reorganization_steps(jsonb) IS
  'The steps of a reorganization plan (các bước sắp xếp) as rows, with the problem of each malformed one; used by antq.apply_reorganization.';

CREATE FUNCTION antq.apply_reorganization(p_effective date, p_steps jsonb, p_legal_basis text DEFAULT NULL)
RETURNS TABLE (code text, kind text, change text, old_unit_id bigint, new_unit_id bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
#variable_conflict use_column
DECLARE
    blockers text[];
    lvl integer;
    t text;
BEGIN
    IF p_effective IS NULL OR p_steps IS NULL OR jsonb_typeof(p_steps) <> 'array' THEN
        RAISE EXCEPTION 'a reorganization needs an effective date and its steps as a JSON array'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'e.g. antq.apply_reorganization(''2025-07-01'', ''[{"code": "02", "into": "08"}, {"code": "001", "close": true, "children_to": "01"}]'').';
    END IF;
    -- The whole registry, against other writers: the versions written below need no lock of
    -- their code each (antq.lock_unit_code), more than the lock table holds for a province.
    LOCK TABLE antq.unit IN SHARE ROW EXCLUSIVE MODE;
    -- (left by an earlier call of this transaction that failed inside a savepoint)
    FOREACH t IN ARRAY ARRAY['antq_reorg_step', 'antq_reorg_unit', 'antq_reorg_place'] LOOP
        IF to_regclass('pg_temp.' || t) IS NOT NULL THEN
            EXECUTE format('DROP TABLE pg_temp.%I', t);
        END IF;
    END LOOP;

    -- The steps, each resolved to the version of its code in force the day before and on the day.
    CREATE TEMP TABLE antq_reorg_step ON COMMIT DROP AS
    SELECT s.*, v.unit_id, v.kind AS unit_kind, count(*) OVER (PARTITION BY s.code) AS copies
      FROM antq.reorganization_steps(p_steps) s
      LEFT JOIN antq.unit v ON v.code = s.code AND v.valid_from < p_effective
                           AND (v.valid_to IS NULL OR v.valid_to > p_effective);

    -- Every unit that changes: the steps' units and, transitively, every unit in force under
    -- them or managed by them (they carry on in new versions under the new ones).
    CREATE TEMP TABLE antq_reorg_unit ON COMMIT DROP AS
    WITH RECURSIVE affected AS (
        SELECT s.unit_id FROM antq_reorg_step s WHERE s.unit_id IS NOT NULL
        UNION
        -- a unit others merge into carries on in a new version, whether or not it has a step
        SELECT v.unit_id FROM antq_reorg_step s JOIN antq.unit v ON v.code = s.into_code AND v.valid_from < p_effective
                                                               AND (v.valid_to IS NULL OR v.valid_to > p_effective)
        UNION
        SELECT c.unit_id FROM affected a JOIN antq.unit c ON (c.parent_id = a.unit_id OR c.managed_by = a.unit_id)
         WHERE c.valid_from <= p_effective AND (c.valid_to IS NULL OR c.valid_to > p_effective)
    )
    SELECT u.unit_id, u.kind, u.code, u.name, u.sub_kind, u.parent_id, u.managed_by, u.management_level, u.valid_from,
           CASE u.kind WHEN 'province' THEN 0 WHEN 'district' THEN 1 WHEN 'commune' THEN 2 ELSE 3 END AS level,
           s.step, s.into_code, coalesce(s.closes, false) AS closes, s.parent_code, s.managed_by_code,
           s.name AS new_name, s.sub_kind AS new_sub_kind,
           CASE WHEN s.into_code IS NULL AND NOT coalesce(s.closes, false) THEN nextval(pg_get_serial_sequence('antq.unit', 'unit_id')) END AS new_id,
           NULL::bigint AS new_parent, NULL::bigint AS new_manager, NULL::text AS problem
      FROM (SELECT DISTINCT a.unit_id FROM affected a) a
      JOIN antq.unit u ON u.unit_id = a.unit_id
      LEFT JOIN antq_reorg_step s ON s.unit_id = u.unit_id AND s.copies = 1;
    CREATE UNIQUE INDEX ON antq_reorg_unit (unit_id);
    CREATE INDEX ON antq_reorg_unit (code);
    ANALYZE antq_reorg_unit;

    -- The version each code the steps place units in (parent, managed_by, children_to,
    -- managed_to) stands for from the effective date: its new version when it carries on, its
    -- version in force when it does not change; none when it merges or closes.
    CREATE TEMP TABLE antq_reorg_place ON COMMIT DROP AS
    SELECT c.code, CASE WHEN x.unit_id IS NULL THEN v.unit_id ELSE x.new_id END AS version
      FROM (SELECT r.parent_code FROM antq_reorg_unit r UNION SELECT r.managed_by_code FROM antq_reorg_unit r
            UNION SELECT s.children_to FROM antq_reorg_step s UNION SELECT s.managed_to FROM antq_reorg_step s) c(code)
      JOIN antq.unit v ON v.code = c.code AND v.valid_from <= p_effective AND (v.valid_to IS NULL OR v.valid_to > p_effective)
      LEFT JOIN antq_reorg_unit x ON x.unit_id = v.unit_id;

    -- Where each carrying-on unit goes: the parent and manager its step names, else its own,
    -- moved to their new versions; under a unit that merges, the unit it merges into; under one
    -- that closes, what the closing step names (children_to, managed_to).
    UPDATE antq_reorg_unit r SET
        new_parent = CASE WHEN r.level = 0 THEN NULL
                          WHEN r.parent_code IS NOT NULL THEN (SELECT p.version FROM antq_reorg_place p WHERE p.code = r.parent_code)
                          WHEN h.unit_id IS NULL THEN r.parent_id
                          WHEN h.new_id IS NOT NULL THEN h.new_id
                          WHEN h.into_code IS NOT NULL THEN (SELECT t.new_id FROM antq_reorg_unit t WHERE t.code = h.into_code)
                          ELSE (SELECT p.version FROM antq_reorg_step hs JOIN antq_reorg_place p ON p.code = hs.children_to
                                 WHERE hs.unit_id = h.unit_id AND hs.copies = 1) END,
        new_manager = CASE WHEN r.managed_by_code IS NOT NULL THEN (SELECT p.version FROM antq_reorg_place p WHERE p.code = r.managed_by_code)
                           WHEN r.managed_by IS NULL THEN NULL
                           WHEN m.unit_id IS NULL THEN r.managed_by
                           WHEN m.new_id IS NOT NULL THEN m.new_id
                           WHEN m.into_code IS NOT NULL THEN (SELECT t.new_id FROM antq_reorg_unit t WHERE t.code = m.into_code)
                           ELSE (SELECT p.version FROM antq_reorg_step ms JOIN antq_reorg_place p ON p.code = ms.managed_to
                                  WHERE ms.unit_id = m.unit_id AND ms.copies = 1) END
      FROM antq_reorg_unit r0
      LEFT JOIN antq_reorg_unit h ON h.unit_id = r0.parent_id
      LEFT JOIN antq_reorg_unit m ON m.unit_id = r0.managed_by
     WHERE r.unit_id = r0.unit_id AND r.new_id IS NOT NULL;

    -- Every blocker, before anything is written.
    SELECT array_agg(b ORDER BY o, b) INTO blockers FROM (
        SELECT s.step AS o, format('step %s%s %s', s.step, coalesce(' (code ' || s.code || ')', ''), s.problem) AS b
          FROM antq_reorg_step s WHERE s.problem IS NOT NULL
        UNION ALL
        SELECT s.step, format('step %s (code %s): the code appears in %s steps', s.step, s.code, s.copies)
          FROM antq_reorg_step s WHERE s.problem IS NULL AND s.copies > 1
        UNION ALL
        SELECT s.step, format('step %s (code %s): no unit with this code is in force on %s and after', s.step, s.code,
                              antq.date_label(p_effective - 1))
          FROM antq_reorg_step s WHERE s.problem IS NULL AND s.unit_id IS NULL
        UNION ALL
        SELECT r.step, format('step %s (code %s): it merges into %s, %s', r.step, r.code, r.into_code,
                   CASE WHEN t.unit_id IS NULL THEN 'which is not in force then'
                        WHEN t.kind <> r.kind THEN format('a %s, not a %s', t.kind, r.kind)
                        WHEN t.code = r.code THEN 'itself'
                        ELSE 'which itself merges or closes' END)
          FROM antq_reorg_unit r
          LEFT JOIN antq_reorg_unit t ON t.code = r.into_code
          LEFT JOIN antq.unit tu ON tu.code = r.into_code AND tu.valid_from < p_effective AND (tu.valid_to IS NULL OR tu.valid_to > p_effective)
         WHERE r.into_code IS NOT NULL
           AND (tu.unit_id IS NULL OR tu.kind <> r.kind OR tu.code = r.code OR t.new_id IS NULL)
        UNION ALL
        SELECT r.step, format('step %s (code %s): %s %s is not in force on %s, or closes or merges then', r.step, r.code,
                              CASE WHEN r.parent_code IS NOT NULL AND r.new_parent IS NULL THEN 'its new parent' ELSE 'its new manager' END,
                              CASE WHEN r.parent_code IS NOT NULL AND r.new_parent IS NULL THEN r.parent_code ELSE r.managed_by_code END,
                              antq.date_label(p_effective))
          FROM antq_reorg_unit r
         WHERE r.new_id IS NOT NULL
           AND ((r.parent_code IS NOT NULL AND r.new_parent IS NULL) OR (r.managed_by_code IS NOT NULL AND r.new_manager IS NULL))
        UNION ALL
        SELECT coalesce(r.step, 2147483647), format('%s lies in %s, which closes on %s: give it a step with a "parent" (or merge it), or give %s a "children_to"',
                   antq.unit_label(r.kind, r.code, r.name), antq.unit_label(p.kind, p.code, p.name), antq.date_label(p_effective), p.code)
          FROM antq_reorg_unit r JOIN antq.unit p ON p.unit_id = r.parent_id JOIN antq_reorg_unit h ON h.unit_id = p.unit_id
         WHERE r.new_id IS NOT NULL AND r.level > 0 AND r.parent_code IS NULL AND r.new_parent IS NULL AND h.closes
        UNION ALL
        SELECT coalesce(r.step, 2147483647), format('%s is managed by %s, which closes on %s: give it a step with a "managed_by", or give %s a "managed_to"',
                   antq.unit_label(r.kind, r.code, r.name), antq.unit_label(m.kind, m.code, m.name), antq.date_label(p_effective), m.code)
          FROM antq_reorg_unit r JOIN antq.unit m ON m.unit_id = r.managed_by JOIN antq_reorg_unit h ON h.unit_id = m.unit_id
         WHERE r.new_id IS NOT NULL AND r.managed_by_code IS NULL AND r.new_manager IS NULL AND h.closes
        UNION ALL
        SELECT r.step, format('%s starts on %s itself: change that version in place instead', antq.unit_label(r.kind, r.code, r.name),
                              antq.date_label(p_effective))
          FROM antq_reorg_unit r WHERE r.valid_from >= p_effective
    ) x(o, b);
    IF blockers IS NOT NULL THEN
        RAISE EXCEPTION 'the reorganization of % cannot be applied: % blocker(s)', antq.date_label(p_effective), cardinality(blockers)
            USING ERRCODE = 'invalid_parameter_value', DETAIL = array_to_string(blockers, E'\n'),
                  HINT = 'Nothing was changed. Each line names a step (by its position in the array, from 1) or a unit the plan leaves without a place; fix them all and call again.';
    END IF;

    -- Close every changing version, units first and provinces last (a version may not end
    -- while one under it or managed by it goes on); then the new versions, provinces first.
    FOR lvl IN REVERSE 3..0 LOOP
        UPDATE antq.unit u SET valid_to = p_effective FROM antq_reorg_unit r WHERE u.unit_id = r.unit_id AND r.level = lvl;
    END LOOP;
    FOR lvl IN 0..3 LOOP
        INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, parent_id, managed_by, management_level, valid_from)
        SELECT r.new_id, r.kind, coalesce(r.new_sub_kind, r.sub_kind), r.code, coalesce(r.new_name, r.name), r.new_parent, r.new_manager,
               CASE WHEN r.new_manager IS NULL THEN r.management_level END, p_effective
          FROM antq_reorg_unit r WHERE r.level = lvl AND r.new_id IS NOT NULL
         ORDER BY r.code;
    END LOOP;
    INSERT INTO antq.unit_lineage (predecessor_id, successor_id, event, effective_date, legal_basis)
    SELECT r.unit_id, coalesce(r.new_id, t.new_id), CASE WHEN r.into_code IS NULL THEN 'continue' ELSE 'merge' END, p_effective, p_legal_basis
      FROM antq_reorg_unit r LEFT JOIN antq_reorg_unit t ON t.code = r.into_code AND r.into_code IS NOT NULL
     WHERE NOT r.closes;

    RETURN QUERY
    SELECT r.code, r.kind, CASE WHEN r.closes THEN 'close' WHEN r.into_code IS NOT NULL THEN 'merge' ELSE 'continue' END,
           r.unit_id, coalesce(r.new_id, t.new_id)
      FROM antq_reorg_unit r LEFT JOIN antq_reorg_unit t ON t.code = r.into_code AND r.into_code IS NOT NULL
     ORDER BY r.level, r.code;
    DROP TABLE pg_temp.antq_reorg_step, pg_temp.antq_reorg_unit, pg_temp.antq_reorg_place;
END
$$;
COMMENT ON FUNCTION antq.apply_reorganization(date, jsonb, text) IS
  'Apply a reorganization in one call (sắp xếp đơn vị hành chính), e.g. a province''s 2025 reform: p_steps is a JSON array of steps keyed by code — {"code", "into"} merges a unit into another of its kind, which carries on; {"code", "close": true, "children_to", "managed_to"} ends a unit (a district) and places what lay in it or was managed by it; {"code", "parent", "managed_by", "name", "sub_kind"} carries a unit on with changes. Every unit under or managed by a changing unit carries on in a new version under the new ones (continue lineage). The whole plan is checked first: every blocker is listed in one error and nothing changes. Returns one row per unit changed: continue, merge or close, its old version and the version it goes on in. See docs/reorganization.md.';

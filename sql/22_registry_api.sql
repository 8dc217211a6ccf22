-- Questions and changes on the unit registry: the version of a code on a date, the units under
-- an area on a date, the predecessors of a unit, and the reorganizations of a reform.

CREATE FUNCTION antq.unit_at(p_code text, p_on date DEFAULT CURRENT_DATE)
RETURNS antq.unit LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT u.* FROM antq.unit u
   WHERE u.code OPERATOR(pg_catalog.=) p_code
     AND u.valid_from OPERATOR(pg_catalog.<=) p_on
     AND (u.valid_to IS NULL OR u.valid_to OPERATOR(pg_catalog.>) p_on)
$$;
COMMENT ON FUNCTION antq.unit_at(text, date) IS
  'The version of the unit with this code in force on a date (đơn vị theo mã tại ngày), or NULL.';

CREATE FUNCTION antq.units_under(p_area bigint, p_on date DEFAULT CURRENT_DATE)
RETURNS SETOF antq.unit LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  WITH RECURSIVE below AS (
      SELECT u.* FROM antq.unit u
       WHERE u.parent_id OPERATOR(pg_catalog.=) p_area
         AND u.valid_from OPERATOR(pg_catalog.<=) p_on
         AND (u.valid_to IS NULL OR u.valid_to OPERATOR(pg_catalog.>) p_on)
      UNION ALL
      SELECT u.* FROM antq.unit u JOIN below b ON u.parent_id OPERATOR(pg_catalog.=) b.unit_id
       WHERE u.valid_from OPERATOR(pg_catalog.<=) p_on
         AND (u.valid_to IS NULL OR u.valid_to OPERATOR(pg_catalog.>) p_on)
  )
  SELECT * FROM below
$$;
COMMENT ON FUNCTION antq.units_under(bigint, date) IS
  'Every unit lying under an area (version id) on a date, at any depth (đơn vị trực thuộc địa bàn tại ngày): districts, communes, residential areas, agencies, enterprises, schools.';

CREATE FUNCTION antq.units_under(p_area_code text, p_on date DEFAULT CURRENT_DATE)
RETURNS SETOF antq.unit LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT b.* FROM antq.units_under((antq.unit_at(p_area_code, p_on)).unit_id, p_on) b $$;
COMMENT ON FUNCTION antq.units_under(text, date) IS
  'Every unit lying under the area with this code on a date, at any depth (đơn vị trực thuộc địa bàn tại ngày).';

CREATE FUNCTION antq.predecessors(p_unit bigint)
RETURNS TABLE (unit_id bigint, kind text, code text, name text, valid_from date, valid_to date,
               event text, effective_date date, successor_id bigint, depth integer)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  WITH RECURSIVE earlier AS (
      SELECT l.predecessor_id, l.successor_id, l.event, l.effective_date, 1 AS depth
        FROM antq.unit_lineage l WHERE l.successor_id OPERATOR(pg_catalog.=) p_unit
      UNION ALL
      SELECT l.predecessor_id, l.successor_id, l.event, l.effective_date, e.depth OPERATOR(pg_catalog.+) 1
        FROM antq.unit_lineage l JOIN earlier e ON l.successor_id OPERATOR(pg_catalog.=) e.predecessor_id
       WHERE e.depth OPERATOR(pg_catalog.<) 64
  )
  SELECT u.unit_id, u.kind, u.code, u.name, u.valid_from, u.valid_to, e.event, e.effective_date, e.successor_id, e.depth
    FROM earlier e JOIN antq.unit u ON u.unit_id OPERATOR(pg_catalog.=) e.predecessor_id
   ORDER BY e.depth, u.code
$$;
COMMENT ON FUNCTION antq.predecessors(bigint) IS
  'Every earlier version a unit grew out of (đơn vị trước sáp nhập, chia tách), through merges, splits and continuations, with the depth of each generation.';

CREATE FUNCTION antq.successors(p_unit bigint)
RETURNS TABLE (unit_id bigint, kind text, code text, name text, valid_from date, valid_to date,
               event text, effective_date date, predecessor_id bigint, depth integer)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  WITH RECURSIVE later AS (
      SELECT l.predecessor_id, l.successor_id, l.event, l.effective_date, 1 AS depth
        FROM antq.unit_lineage l WHERE l.predecessor_id OPERATOR(pg_catalog.=) p_unit
      UNION ALL
      SELECT l.predecessor_id, l.successor_id, l.event, l.effective_date, e.depth OPERATOR(pg_catalog.+) 1
        FROM antq.unit_lineage l JOIN later e ON l.predecessor_id OPERATOR(pg_catalog.=) e.successor_id
       WHERE e.depth OPERATOR(pg_catalog.<) 64
  )
  SELECT u.unit_id, u.kind, u.code, u.name, u.valid_from, u.valid_to, e.event, e.effective_date, e.predecessor_id, e.depth
    FROM later e JOIN antq.unit u ON u.unit_id OPERATOR(pg_catalog.=) e.successor_id
   ORDER BY e.depth, u.code
$$;
COMMENT ON FUNCTION antq.successors(bigint) IS
  'Every later version a unit became (đơn vị sau sáp nhập, chia tách), through merges, splits and continuations.';


CREATE FUNCTION antq.merge_units(p_into bigint, p_from bigint[], p_effective date,
                                 p_parent bigint DEFAULT NULL, p_name text DEFAULT NULL,
                                 p_sub_kind text DEFAULT NULL, p_legal_basis text DEFAULT NULL,
                                 p_managed_by bigint DEFAULT NULL)
RETURNS bigint LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    keep antq.unit;
    src  antq.unit;
    new_id bigint;
    closing bigint[];
BEGIN
    SELECT * INTO keep FROM antq.unit u WHERE u.unit_id = p_into FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unit_id % does not exist', p_into
            USING ERRCODE = 'foreign_key_violation', HINT = 'Find the version in force with antq.unit_at(code, date).';
    END IF;
    IF NOT (keep.valid_from < p_effective AND (keep.valid_to IS NULL OR keep.valid_to > p_effective)) THEN
        RAISE EXCEPTION 'cannot merge into %, which is not in force on %', antq.unit_label(keep.kind, keep.code, keep.name), antq.date_label(p_effective)
            USING ERRCODE = 'check_violation', DETAIL = format('It is valid from %s to %s.', antq.date_label(keep.valid_from), antq.date_label(keep.valid_to)),
                  HINT = 'Merge into the version in force the day before the effective date; a closed unit cannot absorb another.';
    END IF;
    closing := ARRAY[p_into] || coalesce(p_from, '{}');
    FOR src IN SELECT * FROM antq.unit u WHERE u.unit_id = ANY (p_from) ORDER BY u.unit_id FOR UPDATE LOOP
        IF NOT (src.valid_from < p_effective AND (src.valid_to IS NULL OR src.valid_to > p_effective)) THEN
            RAISE EXCEPTION 'cannot merge %, which is not in force on %', antq.unit_label(src.kind, src.code, src.name), antq.date_label(p_effective)
                USING ERRCODE = 'check_violation', HINT = 'Only units in force the day before the effective date can be merged.';
        END IF;
    END LOOP;
    IF (SELECT count(*) FROM antq.unit u WHERE u.unit_id = ANY (p_from)) <> coalesce(cardinality(p_from), 0) THEN
        RAISE EXCEPTION 'a unit_id in % does not exist', p_from
            USING ERRCODE = 'foreign_key_violation', HINT = 'Find the versions in force with antq.unit_at(code, date).';
    END IF;

    -- Close the units under the old versions (their new versions come after the merged unit's),
    -- then the old versions themselves.
    UPDATE antq.unit u SET valid_to = p_effective
     WHERE u.unit_id IN (SELECT d.unit_id FROM unnest(closing) AS o(id), antq.units_under(o.id, p_effective - 1) d
                          UNION SELECT m.unit_id FROM antq.unit m WHERE m.managed_by = ANY (closing)
                             AND m.valid_from < p_effective AND (m.valid_to IS NULL OR m.valid_to > p_effective))
       AND (u.valid_to IS NULL OR u.valid_to > p_effective);
    UPDATE antq.unit u SET valid_to = p_effective WHERE u.unit_id = ANY (closing);

    INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, managed_by, management_level, valid_from)
    VALUES (keep.kind, coalesce(p_sub_kind, keep.sub_kind), keep.code, coalesce(p_name, keep.name),
            coalesce(p_parent, keep.parent_id), coalesce(p_managed_by, keep.managed_by),
            CASE WHEN p_managed_by IS NULL THEN keep.management_level END, p_effective)
    RETURNING unit_id INTO new_id;

    INSERT INTO antq.unit_lineage (predecessor_id, successor_id, event, effective_date, legal_basis)
    SELECT o.id, new_id, CASE WHEN o.id = p_into THEN 'continue' ELSE 'merge' END, p_effective, p_legal_basis
      FROM unnest(closing) AS o(id);

    PERFORM antq.reopen_under(closing, new_id, p_effective, p_legal_basis);
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION antq.merge_units(bigint, bigint[], date, bigint, text, text, text, bigint) IS
  'Merge units (sáp nhập): the unit p_into carries on under its code in a new version from p_effective (optionally with a new parent, name, sub-kind), absorbing p_from; every unit under them moves to the new version. Returns the new version id.';

CREATE FUNCTION antq.reorganize(p_unit bigint, p_effective date, p_parent bigint DEFAULT NULL,
                                p_name text DEFAULT NULL, p_sub_kind text DEFAULT NULL,
                                p_legal_basis text DEFAULT NULL, p_managed_by bigint DEFAULT NULL)
RETURNS bigint LANGUAGE sql
AS $$ SELECT antq.merge_units(p_unit, '{}'::bigint[], p_effective, p_parent, p_name, p_sub_kind, p_legal_basis, p_managed_by) $$;
COMMENT ON FUNCTION antq.reorganize(bigint, date, bigint, text, text, text, bigint) IS
  'Reorganize a unit (tổ chức lại): it carries on under its code in a new version from p_effective with a new parent, name or sub-kind; the units under it move along. Returns the new version id.';

-- Re-open the units that were closed with p_old on p_effective under p_new (top-down).
CREATE FUNCTION antq.reopen_under(p_old bigint[], p_new bigint, p_effective date, p_legal_basis text)
RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c antq.unit;
    new_id bigint;
BEGIN
    FOR c IN SELECT * FROM antq.unit u
              WHERE (u.parent_id = ANY (p_old) OR u.managed_by = ANY (p_old)) AND u.valid_to = p_effective
                AND NOT EXISTS (SELECT 1 FROM antq.unit_lineage l WHERE l.predecessor_id = u.unit_id)
                AND NOT (u.unit_id = ANY (p_old))
              ORDER BY u.unit_id
    LOOP
        INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, managed_by, management_level, valid_from)
        VALUES (c.kind, c.sub_kind, c.code, c.name,
                CASE WHEN c.parent_id = ANY (p_old) THEN p_new ELSE antq.current_version(c.parent_id, p_effective) END,
                CASE WHEN c.managed_by = ANY (p_old) THEN p_new ELSE antq.current_version(c.managed_by, p_effective) END,
                CASE WHEN c.managed_by IS NULL THEN c.management_level END, p_effective)
        RETURNING unit_id INTO new_id;
        INSERT INTO antq.unit_lineage (predecessor_id, successor_id, event, effective_date, legal_basis)
        VALUES (c.unit_id, new_id, 'continue', p_effective, p_legal_basis);
        PERFORM antq.reopen_under(ARRAY[c.unit_id], new_id, p_effective, p_legal_basis);
    END LOOP;
END
$$;
COMMENT ON FUNCTION antq.reopen_under(bigint[], bigint, date, text) IS
  'Give the units closed together with p_old a new version under p_new (chuyển đơn vị trực thuộc), with continue lineage; used by antq.merge_units.';

-- The version in force on a date of the unit whose version p_unit was (NULL stays NULL).
CREATE FUNCTION antq.current_version(p_unit bigint, p_on date)
RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT v.unit_id FROM antq.unit o JOIN antq.unit v ON v.code OPERATOR(pg_catalog.=) o.code
   WHERE o.unit_id OPERATOR(pg_catalog.=) p_unit
     AND v.valid_from OPERATOR(pg_catalog.<=) p_on AND (v.valid_to IS NULL OR v.valid_to OPERATOR(pg_catalog.>) p_on)
$$;
COMMENT ON FUNCTION antq.current_version(bigint, date) IS
  'The version in force on a date of the same unit (cùng mã) as a given version.';

-- Writers keep the registry.
GRANT INSERT, UPDATE, DELETE ON antq.unit, antq.unit_lineage TO antq_writer;
-- antq.apply_reorganization numbers the new versions before it writes them, so that a unit's
-- new parent is known when it is written; USAGE lets a writer draw ids (and only that).
GRANT USAGE ON SEQUENCE antq.unit_unit_id_seq TO antq_writer;
-- Changing the tree is a writer's job, reading it a reader's: sql/90_grants.sql grants the functions.

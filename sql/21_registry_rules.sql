-- Rules of the unit registry, enforced by triggers so that every writer (provincial systems,
-- COPY, the helper functions below) gets the same clear errors: SQLSTATE, the unit and field
-- named, and a hint. A rejected statement changes nothing (it is one statement).
--
-- Functions run with search_path = pg_catalog, pg_temp; tables are schema-qualified.

-- Label of a unit in messages: kind, code and name, e.g. commune 00004 "Phường Ba Đình". Each
-- part is cut short (antq.clip): every message about the unit quotes it, and goes to the log.
CREATE FUNCTION antq.unit_label(p_kind text, p_code text, p_name text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  -- antq.clip only for the rare long part: the registry trigger labels every row it checks.
  SELECT format('%s %s "%s"',
                coalesce(CASE WHEN length(p_kind) OPERATOR(pg_catalog.<=) 40 THEN p_kind ELSE antq.clip(p_kind, 40) END, 'unit'),
                coalesce(CASE WHEN length(p_code) OPERATOR(pg_catalog.<=) 40 THEN p_code ELSE antq.clip(p_code, 40) END, '(no code)'),
                coalesce(CASE WHEN length(p_name) OPERATOR(pg_catalog.<=) 80 THEN p_name ELSE antq.clip(p_name, 80) END, ''))
$$;
COMMENT ON FUNCTION antq.unit_label(text, text, text) IS
  'Label of a unit for messages (nhãn đơn vị): kind, code and name, each cut to a short excerpt.';

-- A date in messages: ISO whatever the session's DateStyle, "(open)" for an open end. Dates
-- beyond the timestamp range (which to_char goes through) and infinities are spelled out too,
-- since messages about out-of-range dates quote them.
CREATE FUNCTION antq.date_label(p_date date)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN p_date IS NULL THEN '(open)'
              WHEN NOT isfinite(p_date) THEN p_date::text
              WHEN p_date OPERATOR(pg_catalog.<) '0001-01-01'::date THEN to_char(p_date, 'YYYY-MM-DD BC')
              WHEN p_date OPERATOR(pg_catalog.>) '294276-12-31'::date
                  THEN format('%s-%s-%s', extract(year FROM p_date), lpad(extract(month FROM p_date)::text, 2, '0'),
                              lpad(extract(day FROM p_date)::text, 2, '0'))
              ELSE to_char(p_date, 'YYYY-MM-DD') END
$$;
COMMENT ON FUNCTION antq.date_label(date) IS
  'A date as shown in messages (ngày): ISO 8601 whatever DateStyle is, "(open)" when there is none.';

-- The pattern a kind's code must match, and the hint explaining it.
CREATE FUNCTION antq.code_rule(p_kind text, OUT pattern text, OUT hint text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE p_kind WHEN 'province' THEN '^[0-9]{2}$' WHEN 'district' THEN '^[0-9]{3}$'
                     WHEN 'commune' THEN '^[0-9]{5}$' ELSE '^(?![0-9]+$)[0-9A-Za-z][0-9A-Za-z._/-]{0,39}$' END,
         CASE p_kind WHEN 'province' THEN 'A province code has exactly 2 digits (Decision 124/2004/QĐ-TTg), e.g. 01.'
                     WHEN 'district' THEN 'A district code has exactly 3 digits (Decision 124/2004/QĐ-TTg), e.g. 001.'
                     WHEN 'commune' THEN 'A commune code has exactly 5 digits (Decision 124/2004/QĐ-TTg), e.g. 00004.'
                     ELSE 'Codes of residential areas, agencies, enterprises and schools are 1 to 40 letters, digits, ".", "_", "/" or "-", start with a letter or digit and are not all digits (all-digit codes belong to administrative units), e.g. 00004-TDP01.' END
$$;
COMMENT ON FUNCTION antq.code_rule(text) IS
  'Format rule of a unit kind''s permanent code (quy tắc mã đơn vị) and the hint shown when a code breaks it.';

-- The lock under which versions of one code are checked against each other: an object lock
-- that readers cannot take (extension/recompute/recompute_lock.c), where an advisory lock on a hash of
-- the code let any role hold up the registration of that code.
CREATE FUNCTION antq.lock_unit_code(p_code text)
RETURNS void AS 'MODULE_PATHNAME', 'antq_lock_unit_code' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION antq.lock_unit_code(text) IS
  'Takes the lock of a unit code until the transaction ends (khóa mã đơn vị), so that versions of one code are checked one writer after the other; an object lock readers cannot take.';

-- The kinds of residential area (loại khu dân cư) and what provinces call them. Circular
-- 04/2012/TT-BNV (Art. 2) names them: in the countryside thôn, làng, ấp, bản, buôn, bon, phum,
-- sóc; in towns tổ dân phố, khu phố, khối phố, khóm, tiểu khu. Provinces also use xóm (the
-- North), plei (the Central Highlands), khu and khu dân cư.
CREATE FUNCTION antq.residential_sub_kinds()
RETURNS TABLE (sub_kind text, label text, urban boolean) LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  VALUES ('thon', 'Thôn', false), ('xom', 'Xóm', false), ('lang', 'Làng', false), ('ap', 'Ấp', false),
         ('ban', 'Bản', false), ('buon', 'Buôn', false), ('bon', 'Bon', false), ('phum', 'Phum', false),
         ('soc', 'Sóc', false), ('plei', 'Plei', false),
         ('to_dan_pho', 'Tổ dân phố', true), ('khu_pho', 'Khu phố', true), ('khoi_pho', 'Khối phố', true),
         ('khom', 'Khóm', true), ('tieu_khu', 'Tiểu khu', true), ('khu', 'Khu', true),
         ('khu_dan_cu', 'Khu dân cư', true)
$$;
COMMENT ON FUNCTION antq.residential_sub_kinds() IS
  'Kinds of residential area antq accepts (loại khu dân cư): the code stored in antq.unit.sub_kind, its Vietnamese label, and whether it is an urban one (Circular 04/2012/TT-BNV, Art. 2: thôn, làng, ấp, bản, buôn, bon, phum, sóc; tổ dân phố, khu phố, khối phố, khóm, tiểu khu; also xóm, plei, khu, khu dân cư).';

-- The code of a kind of residential area written as its code (xom), its label (Xóm, xóm) or its
-- label without tone marks, spaces for underscores (to dan pho); NULL when it is none of them.
CREATE FUNCTION antq.residential_sub_kind(p_written text)
RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT k.sub_kind FROM antq.residential_sub_kinds() k
   WHERE k.sub_kind OPERATOR(pg_catalog.=) pg_catalog.replace(pg_catalog.lower(pg_catalog.btrim(p_written)), ' ', '_')
      OR pg_catalog.lower(k.label) OPERATOR(pg_catalog.=) pg_catalog.lower(pg_catalog.btrim(antq.nfc(p_written)))
$$;
COMMENT ON FUNCTION antq.residential_sub_kind(text) IS
  'Code of a kind of residential area (mã loại khu dân cư) from its code, its Vietnamese label in any of its usual cases or forms (Xóm, xóm, decomposed Unicode) or the label without tone marks (to dan pho); NULL when unknown.';

CREATE FUNCTION antq.unit_check() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    label   text;
    rule    record;
    parent  antq.unit;
    manager antq.unit;
    other   record;
    walker  bigint;
    depth   int := 0;
    allowed text[];
    ends_earlier boolean := false;
BEGIN
    -- A version that only ends earlier, as a reorganization closes tens of thousands at once,
    -- changes nothing the checks up to the dates and from the parent to the province look at:
    -- it stays within its parent and manager, and keeps its texts, kind and province.
    IF TG_OP = 'UPDATE' THEN
        ends_earlier := NEW.valid_to IS NOT NULL AND (OLD.valid_to IS NULL OR NEW.valid_to < OLD.valid_to)
            AND (NEW.unit_id, NEW.kind, NEW.sub_kind, NEW.code, NEW.name, NEW.parent_id, NEW.managed_by, NEW.management_level,
                 NEW.province_id, NEW.province_code, NEW.valid_from)
                IS NOT DISTINCT FROM (OLD.unit_id, OLD.kind, OLD.sub_kind, OLD.code, OLD.name, OLD.parent_id, OLD.managed_by,
                                      OLD.management_level, OLD.province_id, OLD.province_code, OLD.valid_from);
    END IF;
    IF ends_earlier THEN
        label := antq.unit_label(NEW.kind, NEW.code, NEW.name);
    ELSE
        -- Text in one Unicode form (antq.nfc), and a residential area's kind as its code.
        NEW.code := antq.nfc(NEW.code);
        NEW.name := antq.nfc(NEW.name);
        NEW.sub_kind := antq.nfc(NEW.sub_kind);
        IF NEW.kind = 'residential_area' AND NEW.sub_kind IS NOT NULL THEN
            NEW.sub_kind := coalesce(antq.residential_sub_kind(NEW.sub_kind), NEW.sub_kind);
        END IF;
        label := antq.unit_label(NEW.kind, NEW.code, NEW.name);
        IF NEW.kind IS NULL OR NEW.kind NOT IN ('province', 'district', 'commune', 'residential_area', 'agency', 'enterprise', 'school') THEN
            RAISE EXCEPTION 'unknown kind "%" for unit %', antq.clip(NEW.kind, 40), label
                USING ERRCODE = 'check_violation', COLUMN = 'kind', TABLE = 'unit', SCHEMA = 'antq',
                      HINT = 'Kinds are province, district, commune, residential_area, agency, enterprise, school.';
        END IF;
        IF TG_OP = 'UPDATE' AND (NEW.kind <> OLD.kind OR NEW.code <> OLD.code) THEN
            RAISE EXCEPTION 'the code and kind of % are permanent', antq.unit_label(OLD.kind, OLD.code, OLD.name)
                USING ERRCODE = 'check_violation', COLUMN = 'code', TABLE = 'unit', SCHEMA = 'antq',
                      DETAIL = format('Attempted change to %s.', antq.unit_label(NEW.kind, NEW.code, NEW.name)),
                      HINT = 'A unit that changes keeps its code in a new version (antq.reorganize); a new unit gets a new code.';
        END IF;

        rule := antq.code_rule(NEW.kind);
        IF NEW.code IS NULL OR NEW.code !~ rule.pattern THEN
            RAISE EXCEPTION 'malformed code "%" for unit %', antq.clip(NEW.code, 40), label
                USING ERRCODE = 'check_violation', COLUMN = 'code', TABLE = 'unit', SCHEMA = 'antq', HINT = rule.hint;
        END IF;
        IF NEW.name IS NULL OR btrim(NEW.name) = '' THEN
            RAISE EXCEPTION 'unit % has no name', label
                USING ERRCODE = 'not_null_violation', COLUMN = 'name', TABLE = 'unit', SCHEMA = 'antq',
                      HINT = 'Give the official name, e.g. Phường Ba Đình.';
        END IF;
        IF length(NEW.name) > 500 THEN
            RAISE EXCEPTION 'unit % has a name of % characters', label, length(NEW.name)
                USING ERRCODE = 'string_data_right_truncation', COLUMN = 'name', TABLE = 'unit', SCHEMA = 'antq',
                      HINT = 'A unit name has at most 500 characters (a limit fixed in antq.unit_check); give the official name, e.g. Phường Ba Đình.';
        END IF;

        allowed := CASE NEW.kind
            WHEN 'province' THEN ARRAY['tinh', 'thanh_pho']
            WHEN 'district' THEN ARRAY['huyen', 'quan', 'thi_xa', 'thanh_pho']
            WHEN 'commune' THEN ARRAY['xa', 'phuong', 'thi_tran', 'dac_khu']
            WHEN 'residential_area' THEN ARRAY(SELECT k.sub_kind FROM antq.residential_sub_kinds() k)
            WHEN 'school' THEN ARRAY['lower_secondary', 'upper_secondary', 'multi_level', 'vocational', 'higher_education', 'continuing_education', 'other']
        END;
        IF NEW.kind IN ('province', 'district', 'commune') AND NEW.sub_kind IS NULL THEN
            RAISE EXCEPTION 'unit % has no sub_kind', label
                USING ERRCODE = 'not_null_violation', COLUMN = 'sub_kind', TABLE = 'unit', SCHEMA = 'antq',
                      HINT = format('A %s is one of: %s.', NEW.kind, array_to_string(allowed, ', '));
        END IF;
        IF NEW.kind = 'school' AND NEW.sub_kind IN ('primary', 'kindergarten', 'nursery') THEN
            RAISE EXCEPTION 'unit % is a % school, which is not assessed', label, antq.clip(NEW.sub_kind, 40)
                USING ERRCODE = 'check_violation', COLUMN = 'sub_kind', TABLE = 'unit', SCHEMA = 'antq',
                      HINT = 'Circular 124/2021/TT-BCA excludes primary schools, kindergartens and nurseries.';
        END IF;
        IF NEW.sub_kind IS NOT NULL AND allowed IS NOT NULL AND NOT NEW.sub_kind = ANY (allowed) THEN
            RAISE EXCEPTION 'unknown sub_kind "%" for unit %', antq.clip(NEW.sub_kind, 40), label
                USING ERRCODE = 'check_violation', COLUMN = 'sub_kind', TABLE = 'unit', SCHEMA = 'antq',
                      HINT = format('A %s is one of: %s.', NEW.kind, array_to_string(allowed, ', '));
        END IF;
    END IF;

    IF NEW.valid_from IS NULL THEN
        RAISE EXCEPTION 'unit % has no valid_from', label
            USING ERRCODE = 'not_null_violation', COLUMN = 'valid_from', TABLE = 'unit', SCHEMA = 'antq',
                  HINT = 'Give the first day the unit is in force, e.g. 2025-07-01.';
    END IF;
    -- Dates within the years antq accepts: capture queues the years a version is in force.
    IF NEW.valid_from < antq.date_min() OR NEW.valid_from > antq.date_max() THEN
        RAISE EXCEPTION 'unit % has valid_from %, outside the years antq accepts', label, antq.date_label(NEW.valid_from)
            USING ERRCODE = 'datetime_field_overflow', COLUMN = 'valid_from', TABLE = 'unit', SCHEMA = 'antq',
                  HINT = antq.year_window_hint();
    END IF;
    -- valid_to is the first day out of force: a version may end with the last year accepted.
    IF NEW.valid_to < antq.date_min() OR NEW.valid_to > antq.date_max() + 1 THEN
        RAISE EXCEPTION 'unit % has valid_to %, outside the years antq accepts', label, antq.date_label(NEW.valid_to)
            USING ERRCODE = 'datetime_field_overflow', COLUMN = 'valid_to', TABLE = 'unit', SCHEMA = 'antq',
                  HINT = antq.year_window_hint() || ' valid_to may be the day after the last date; leave it empty while the unit is in force.';
    END IF;
    IF NEW.valid_to IS NOT NULL AND NEW.valid_to <= NEW.valid_from THEN
        RAISE EXCEPTION 'unit % ends (valid_to %) before it starts (valid_from %)', label, antq.date_label(NEW.valid_to), antq.date_label(NEW.valid_from)
            USING ERRCODE = 'check_violation', COLUMN = 'valid_to', TABLE = 'unit', SCHEMA = 'antq',
                  HINT = 'valid_to is the first day the version is no longer in force and must be after valid_from.';
    END IF;

    IF NOT ends_earlier THEN
        -- Parent: no cycle, the right kind, and this version lies within the parent's validity.
        IF NEW.parent_id IS NOT NULL THEN
            walker := NEW.parent_id;
            WHILE walker IS NOT NULL AND depth < 64 LOOP
                IF walker = NEW.unit_id THEN
                    RAISE EXCEPTION 'unit % would be its own ancestor', label
                        USING ERRCODE = 'check_violation', COLUMN = 'parent_id', TABLE = 'unit', SCHEMA = 'antq',
                              DETAIL = format('parent_id %s leads back to unit_id %s.', NEW.parent_id, NEW.unit_id),
                              HINT = 'The administrative tree has no cycles: choose a parent above the unit.';
                END IF;
                SELECT u.parent_id INTO walker FROM antq.unit u WHERE u.unit_id = walker;
                depth := depth + 1;
            END LOOP;
            -- Lock the parent so that it cannot be closed under us before we commit.
            SELECT * INTO parent FROM antq.unit u WHERE u.unit_id = NEW.parent_id FOR SHARE;
            IF NOT FOUND THEN
                -- hidden from a confined writer (sql/57_confine.sql): say so rather than "does not exist"
                PERFORM antq.unit_within_reach('unit', NEW.parent_id, antq.confined_provinces());
                RAISE EXCEPTION 'unit % has parent_id %, which does not exist', label, NEW.parent_id
                    USING ERRCODE = 'foreign_key_violation', COLUMN = 'parent_id', TABLE = 'unit', SCHEMA = 'antq',
                          HINT = 'Register the parent first, or find its version with antq.unit_at(code, date).';
            END IF;
        END IF;
        allowed := CASE NEW.kind
            WHEN 'province' THEN ARRAY[]::text[]
            WHEN 'district' THEN ARRAY['province']
            WHEN 'commune' THEN ARRAY['district', 'province']
            WHEN 'residential_area' THEN ARRAY['commune']
            ELSE ARRAY['commune', 'district', 'province']
        END;
        IF NEW.kind = 'province' AND NEW.parent_id IS NOT NULL THEN
            RAISE EXCEPTION 'unit % cannot have a parent', label
                USING ERRCODE = 'check_violation', COLUMN = 'parent_id', TABLE = 'unit', SCHEMA = 'antq',
                      HINT = 'Provinces are the top of the tree; leave parent_id empty.';
        ELSIF NEW.kind <> 'province' AND NEW.parent_id IS NULL THEN
            RAISE EXCEPTION 'unit % has no parent', label
                USING ERRCODE = 'not_null_violation', COLUMN = 'parent_id', TABLE = 'unit', SCHEMA = 'antq',
                      HINT = format('A %s lies in a %s.', NEW.kind, array_to_string(allowed, ' or '));
        ELSIF NEW.parent_id IS NOT NULL AND NOT parent.kind = ANY (allowed) THEN
            RAISE EXCEPTION 'unit % cannot lie in %', label, antq.unit_label(parent.kind, parent.code, parent.name)
                USING ERRCODE = 'check_violation', COLUMN = 'parent_id', TABLE = 'unit', SCHEMA = 'antq',
                      HINT = format('The parent of a %s is a %s.', NEW.kind, array_to_string(allowed, ' or '));
        END IF;
        IF NEW.parent_id IS NOT NULL AND (NEW.valid_from < parent.valid_from
                OR (parent.valid_to IS NOT NULL AND (NEW.valid_to IS NULL OR NEW.valid_to > parent.valid_to))) THEN
            RAISE EXCEPTION 'unit % is valid from % to % outside its parent %, valid from % to %',
                    label, antq.date_label(NEW.valid_from), antq.date_label(NEW.valid_to),
                    antq.unit_label(parent.kind, parent.code, parent.name), antq.date_label(parent.valid_from), antq.date_label(parent.valid_to)
                USING ERRCODE = 'check_violation', COLUMN = 'valid_from', TABLE = 'unit', SCHEMA = 'antq',
                      HINT = 'A version must lie within the validity of its parent version; after a reorganization, place it under the parent''s new version.';
        END IF;

        -- Managing authority: agencies, enterprises and schools only.
        IF NEW.kind IN ('agency', 'enterprise', 'school') THEN
            IF NEW.managed_by IS NOT NULL THEN
                SELECT * INTO manager FROM antq.unit u WHERE u.unit_id = NEW.managed_by FOR SHARE;
                IF NOT FOUND THEN
                    PERFORM antq.unit_within_reach('unit', NEW.managed_by, antq.confined_provinces());
                END IF;
                IF manager.unit_id IS NULL OR manager.kind NOT IN ('commune', 'district', 'province') THEN
                    RAISE EXCEPTION 'unit % is managed by %, which is not a commune, district or province',
                            label, coalesce(antq.unit_label(manager.kind, manager.code, manager.name), 'unit_id ' || NEW.managed_by)
                        USING ERRCODE = 'check_violation', COLUMN = 'managed_by', TABLE = 'unit', SCHEMA = 'antq',
                              HINT = 'The managing authority is a commune, district or province; leave managed_by empty and set management_level = ministry for ministry level.';
                END IF;
                IF NEW.valid_from < manager.valid_from OR (manager.valid_to IS NOT NULL AND (NEW.valid_to IS NULL OR NEW.valid_to > manager.valid_to)) THEN
                    RAISE EXCEPTION 'unit % is valid from % to % outside its managing authority %, valid from % to %',
                            label, antq.date_label(NEW.valid_from), antq.date_label(NEW.valid_to),
                            antq.unit_label(manager.kind, manager.code, manager.name), antq.date_label(manager.valid_from), antq.date_label(manager.valid_to)
                        USING ERRCODE = 'check_violation', COLUMN = 'managed_by', TABLE = 'unit', SCHEMA = 'antq',
                              HINT = 'A unit must be managed by an authority valid for as long as it is.';
                END IF;
                IF NEW.management_level IS NULL THEN
                    NEW.management_level := manager.kind;
                ELSIF NEW.management_level <> manager.kind THEN
                    RAISE EXCEPTION 'unit % has management_level % but is managed by %', label, antq.clip(NEW.management_level, 40),
                            antq.unit_label(manager.kind, manager.code, manager.name)
                        USING ERRCODE = 'check_violation', COLUMN = 'management_level', TABLE = 'unit', SCHEMA = 'antq',
                              HINT = 'management_level is the kind of the managing authority; leave it empty to derive it.';
                END IF;
            ELSIF NEW.management_level IS DISTINCT FROM 'ministry' THEN
                RAISE EXCEPTION 'unit % has no managing authority', label
                    USING ERRCODE = 'not_null_violation', COLUMN = 'managed_by', TABLE = 'unit', SCHEMA = 'antq',
                          HINT = 'Set managed_by to the commune, district or province that registers and recognizes it, or management_level = ministry.';
            END IF;
        ELSIF NEW.managed_by IS NOT NULL OR NEW.management_level IS NOT NULL THEN
            RAISE EXCEPTION 'unit % is a %, which has no managing authority', label, NEW.kind
                USING ERRCODE = 'check_violation', COLUMN = 'managed_by', TABLE = 'unit', SCHEMA = 'antq',
                      HINT = 'Only agencies, enterprises and schools have managed_by and management_level.';
        END IF;

        -- Derived province.
        IF NEW.kind = 'province' THEN
            NEW.province_id := NEW.unit_id;
            NEW.province_code := NEW.code;
        ELSE
            NEW.province_id := parent.province_id;
            NEW.province_code := parent.province_code;
        END IF;
    END IF;

    IF TG_OP = 'UPDATE' THEN
        IF NEW.province_id <> OLD.province_id AND EXISTS (SELECT 1 FROM antq.unit c WHERE c.parent_id = NEW.unit_id) THEN
            RAISE EXCEPTION 'unit % cannot move to another province in place', label
                USING ERRCODE = 'check_violation', COLUMN = 'parent_id', TABLE = 'unit', SCHEMA = 'antq',
                      HINT = 'Moving a unit with units under it to another province is a reorganization: use antq.reorganize or antq.merge_units.';
        END IF;
        -- Narrowing a version must not leave a unit under it (or managed by it) outside.
        IF NEW.valid_from > OLD.valid_from OR (NEW.valid_to IS NOT NULL AND (OLD.valid_to IS NULL OR NEW.valid_to < OLD.valid_to)) THEN
            -- (OFFSET 0: found by the parent and manager indexes, then ordered; without it the
            -- planner may walk the code index for the first match, the whole table for a unit
            -- with nothing under it)
            SELECT c.kind, c.code, c.name, c.valid_from, c.valid_to INTO other
              FROM (SELECT c.* FROM antq.unit c
                     WHERE (c.parent_id = NEW.unit_id OR c.managed_by = NEW.unit_id)
                       AND (c.valid_from < NEW.valid_from OR (NEW.valid_to IS NOT NULL AND (c.valid_to IS NULL OR c.valid_to > NEW.valid_to)))
                    OFFSET 0) c
             ORDER BY c.code LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'cannot make % valid from % to %: % under it is valid from % to %',
                        label, antq.date_label(NEW.valid_from), antq.date_label(NEW.valid_to),
                        antq.unit_label(other.kind, other.code, other.name), antq.date_label(other.valid_from), antq.date_label(other.valid_to)
                    USING ERRCODE = 'check_violation', COLUMN = 'valid_to', TABLE = 'unit', SCHEMA = 'antq',
                          HINT = 'Close or move the units under it first (antq.merge_units and antq.reorganize carry them over).';
            END IF;
        END IF;
    END IF;

    -- Versions of one code follow each other without overlap or gap: a code is never reused.
    IF TG_OP = 'INSERT' OR NEW.valid_from <> OLD.valid_from OR NEW.valid_to IS DISTINCT FROM OLD.valid_to THEN
        PERFORM antq.lock_unit_code(NEW.code);
        FOR other IN
            SELECT v.kind, v.name, v.valid_from, v.valid_to
              FROM antq.unit v
             WHERE v.code = NEW.code AND v.unit_id <> NEW.unit_id
             ORDER BY v.valid_from
        LOOP
            IF other.kind <> NEW.kind THEN
                RAISE EXCEPTION 'code % of unit % already belongs to %', NEW.code, label, antq.unit_label(other.kind, NEW.code, other.name)
                    USING ERRCODE = 'unique_violation', COLUMN = 'code', TABLE = 'unit', SCHEMA = 'antq',
                          HINT = 'Codes are permanent and never reused.';
            ELSIF other.valid_from < coalesce(NEW.valid_to, 'infinity') AND NEW.valid_from < coalesce(other.valid_to, 'infinity') THEN
                RAISE EXCEPTION 'unit % overlaps another version of code %, valid from % to %',
                        label, NEW.code, antq.date_label(other.valid_from), antq.date_label(other.valid_to)
                    USING ERRCODE = 'unique_violation', COLUMN = 'valid_from', TABLE = 'unit', SCHEMA = 'antq',
                          HINT = 'Close the version in force first (set its valid_to), or use antq.reorganize.';
            ELSIF other.valid_to < NEW.valid_from AND NOT EXISTS (
                    SELECT 1 FROM antq.unit w WHERE w.code = NEW.code AND w.unit_id <> NEW.unit_id
                       AND w.valid_from > other.valid_from AND w.valid_from <= NEW.valid_from) THEN
                RAISE EXCEPTION 'code % was closed on % (%) and cannot be reused by unit %',
                        NEW.code, antq.date_label(other.valid_to), antq.unit_label(other.kind, NEW.code, other.name), label
                    USING ERRCODE = 'unique_violation', COLUMN = 'code', TABLE = 'unit', SCHEMA = 'antq',
                          HINT = 'Codes of closed units are never reused (Decision 124/2004/QĐ-TTg); give the new unit a new code. A unit that carries on starts its new version the day the old one ends.';
            ELSIF NEW.valid_to < other.valid_from AND NOT EXISTS (
                    SELECT 1 FROM antq.unit w WHERE w.code = NEW.code AND w.unit_id <> NEW.unit_id
                       AND w.valid_from < other.valid_from AND w.valid_from >= NEW.valid_to) THEN
                RAISE EXCEPTION 'unit % ends on % but the next version of code % starts on %', label, antq.date_label(NEW.valid_to), NEW.code, antq.date_label(other.valid_from)
                    USING ERRCODE = 'unique_violation', COLUMN = 'valid_to', TABLE = 'unit', SCHEMA = 'antq',
                          HINT = 'Versions of one code follow each other without a gap: a code is never reused.';
            END IF;
        END LOOP;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION antq.unit_check() IS
  'Trigger enforcing the registry rules on antq.unit (kiểm tra danh mục đơn vị): code formats, parent kinds, no cycles, validity within the parent, managing authority, codes never reused; derives the province.';

CREATE TRIGGER unit_check BEFORE INSERT OR UPDATE ON antq.unit
    FOR EACH ROW EXECUTE FUNCTION antq.unit_check();

CREATE FUNCTION antq.unit_lineage_check() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    pred antq.unit;
    succ antq.unit;
BEGIN
    SELECT * INTO pred FROM antq.unit u WHERE u.unit_id = NEW.predecessor_id FOR SHARE;
    SELECT * INTO succ FROM antq.unit u WHERE u.unit_id = NEW.successor_id FOR SHARE;
    IF pred.unit_id IS NULL OR succ.unit_id IS NULL THEN
        -- hidden from a confined writer (sql/57_confine.sql): say so rather than "does not exist"
        PERFORM antq.unit_within_reach('unit_lineage', CASE WHEN pred.unit_id IS NULL THEN NEW.predecessor_id ELSE NEW.successor_id END,
                                       antq.confined_provinces());
        RAISE EXCEPTION 'lineage names unit_id %, which does not exist', CASE WHEN pred.unit_id IS NULL THEN NEW.predecessor_id ELSE NEW.successor_id END
            USING ERRCODE = 'foreign_key_violation', COLUMN = CASE WHEN pred.unit_id IS NULL THEN 'predecessor_id' ELSE 'successor_id' END,
                  TABLE = 'unit_lineage', SCHEMA = 'antq', HINT = 'Register both unit versions first.';
    END IF;
    IF NEW.effective_date < antq.date_min() OR NEW.effective_date > antq.date_max() + 1 THEN
        RAISE EXCEPTION 'lineage of % has effective_date %, outside the years antq accepts', antq.unit_label(pred.kind, pred.code, pred.name),
                antq.date_label(NEW.effective_date)
            USING ERRCODE = 'datetime_field_overflow', COLUMN = 'effective_date', TABLE = 'unit_lineage', SCHEMA = 'antq',
                  HINT = antq.year_window_hint();
    END IF;
    IF length(NEW.legal_basis) > 500 THEN
        RAISE EXCEPTION 'lineage of % has a legal_basis of % characters', antq.unit_label(pred.kind, pred.code, pred.name), length(NEW.legal_basis)
            USING ERRCODE = 'string_data_right_truncation', COLUMN = 'legal_basis', TABLE = 'unit_lineage', SCHEMA = 'antq',
                  HINT = 'A legal basis has at most 500 characters (a limit fixed in antq.unit_lineage_check), e.g. Nghị quyết 202/2025/QH15.';
    END IF;
    IF pred.unit_id = succ.unit_id OR pred.kind <> succ.kind THEN
        RAISE EXCEPTION 'unit % cannot be succeeded by %', antq.unit_label(pred.kind, pred.code, pred.name), antq.unit_label(succ.kind, succ.code, succ.name)
            USING ERRCODE = 'check_violation', COLUMN = 'successor_id', TABLE = 'unit_lineage', SCHEMA = 'antq',
                  HINT = 'Lineage links two different versions of the same kind of unit.';
    END IF;
    IF (NEW.event = 'continue') <> (pred.code = succ.code) THEN
        RAISE EXCEPTION 'lineage event % does not fit % and %', NEW.event, antq.unit_label(pred.kind, pred.code, pred.name), antq.unit_label(succ.kind, succ.code, succ.name)
            USING ERRCODE = 'check_violation', COLUMN = 'event', TABLE = 'unit_lineage', SCHEMA = 'antq',
                  HINT = 'continue links two versions of the same code; merge and split link different codes.';
    END IF;
    IF NOT (succ.valid_from <= NEW.effective_date AND (succ.valid_to IS NULL OR succ.valid_to > NEW.effective_date)) THEN
        RAISE EXCEPTION 'cannot merge % into %, which is not in force on %', antq.unit_label(pred.kind, pred.code, pred.name),
                antq.unit_label(succ.kind, succ.code, succ.name), antq.date_label(NEW.effective_date)
            USING ERRCODE = 'check_violation', COLUMN = 'successor_id', TABLE = 'unit_lineage', SCHEMA = 'antq',
                  DETAIL = format('The successor is valid from %s to %s.', antq.date_label(succ.valid_from), antq.date_label(succ.valid_to)),
                  HINT = 'The successor must be in force on the effective date; a closed unit cannot absorb another.';
    END IF;
    IF pred.valid_to IS DISTINCT FROM NEW.effective_date AND NOT (NEW.event = 'split' AND pred.valid_from < NEW.effective_date
            AND (pred.valid_to IS NULL OR pred.valid_to > NEW.effective_date)) THEN
        RAISE EXCEPTION 'unit % must end on % to be merged or continued then', antq.unit_label(pred.kind, pred.code, pred.name), antq.date_label(NEW.effective_date)
            USING ERRCODE = 'check_violation', COLUMN = 'effective_date', TABLE = 'unit_lineage', SCHEMA = 'antq',
                  DETAIL = format('It is valid from %s to %s.', antq.date_label(pred.valid_from), antq.date_label(pred.valid_to)),
                  HINT = 'Set its valid_to to the effective date first (antq.merge_units does both); only a split may leave it in force.';
    END IF;
    IF EXISTS (WITH RECURSIVE later(unit_id) AS (
                   SELECT l.successor_id FROM antq.unit_lineage l WHERE l.predecessor_id = NEW.successor_id
                   UNION SELECT l.successor_id FROM antq.unit_lineage l JOIN later ON l.predecessor_id = later.unit_id)
               SELECT 1 FROM later WHERE later.unit_id = NEW.predecessor_id) THEN
        RAISE EXCEPTION 'lineage from % to % would form a cycle', antq.unit_label(pred.kind, pred.code, pred.name), antq.unit_label(succ.kind, succ.code, succ.name)
            USING ERRCODE = 'check_violation', COLUMN = 'successor_id', TABLE = 'unit_lineage', SCHEMA = 'antq',
                  HINT = 'A unit cannot be its own predecessor.';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION antq.unit_lineage_check() IS
  'Trigger enforcing the lineage rules (kiểm tra sáp nhập, chia tách): same kind, successor in force on the effective date, predecessor ended then (except a split), no cycle.';

CREATE TRIGGER unit_lineage_check BEFORE INSERT OR UPDATE ON antq.unit_lineage
    FOR EACH ROW EXECUTE FUNCTION antq.unit_lineage_check();

-- Checks on the fact tables (kiểm tra số liệu), as BEFORE ROW triggers so that every writer,
-- COPY included, gets a message naming the unit, the year and the field, with a hint. A rejected
-- row fails its statement, which changes nothing. The assessment check reads no other table
-- unless it is about to fail, so bulk loads stay fast.
--
-- Functions run with search_path = pg_catalog, pg_temp; tables are schema-qualified.

CREATE FUNCTION antq.incident_kinds()
RETURNS TABLE (kind text, title text) LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  VALUES ('anti_state', 'Activity against the Party, the State or national unity (hoạt động chống Đảng, Nhà nước, phá hoại khối đại đoàn kết) — Art. 5.3a, 6.3'),
         ('sabotage', 'Sabotage of key targets and works (phá hoại mục tiêu, công trình trọng điểm) — Art. 5.3b'),
         ('illegal_religion', 'Spreading illegal religions or beliefs (truyền đạo, hoạt động tín ngưỡng, tôn giáo trái pháp luật) — Art. 5.3c, 6.3a'),
         ('exploiting_grievances', 'Exploiting religion, ethnicity, disputes or complaints to cause security problems (lợi dụng tôn giáo, dân tộc, tranh chấp, khiếu kiện) — Art. 5.3d, 6.3b'),
         ('separatism', 'Separatism (hoạt động ly khai, tự trị) — Art. 5.3đ'),
         ('prolonged_dispute', 'Complex prolonged disputes among residents (tranh chấp, mâu thuẫn phức tạp kéo dài) — Art. 5.3e'),
         ('inciting_crowds', 'Inciting crowds to complain or riot (kích động tụ tập đông người, khiếu kiện, gây rối) — Art. 5.3g, 6.3c'),
         ('illegal_strike', 'Illegal strike or go-slow (đình công, lãn công trái pháp luật) — Art. 6.3d'),
         ('crime', 'Crime (tội phạm), with its severity — Art. 5.4b, 6.3đ'),
         ('state_secret_breach', 'Breach of the rules on state secrets (vi phạm quy định bảo vệ bí mật nhà nước) — Art. 6.3e'),
         ('serious_fire_explosion', 'Serious fire or explosion (cháy, nổ nghiêm trọng) — Art. 5.4d, 6.3g'),
         ('fatal_workplace_accident', 'Fatal workplace accident (tai nạn lao động chết người) — Art. 5.4d, 6.3g'),
         ('serious_incident', 'Other serious incident (sự cố nghiêm trọng) — Art. 5.4d, 6.3g'),
         ('environment_food_breach', 'Environmental or food-safety breach with serious consequences (vi phạm môi trường, an toàn thực phẩm gây hậu quả nghiêm trọng) — Art. 6.3g'),
         ('staff_penalized', 'Staff penalized in the security field or disciplined for social vices (cán bộ bị xử lý vi phạm về an ninh, trật tự, tệ nạn xã hội) — Art. 6.3h'),
         ('school_violence', 'School violence (bạo lực học đường) — Art. 7.4')
$$;
COMMENT ON FUNCTION antq.incident_kinds() IS
  'The kinds of incident (loại vụ việc) from the Circular 124/2021/TT-BCA lists that antq.incident.kind accepts, with what each means.';

CREATE FUNCTION antq.severity_rank(p_severity text)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT CASE p_severity WHEN 'less_serious' THEN 1 WHEN 'serious' THEN 2 WHEN 'very_serious' THEN 3 WHEN 'especially_serious' THEN 4 END $$;
COMMENT ON FUNCTION antq.severity_rank(text) IS
  'Rank of a crime severity (mức độ): less_serious 1 (ít nghiêm trọng), serious 2 (nghiêm trọng), very_serious 3 (rất nghiêm trọng), especially_serious 4 (đặc biệt nghiêm trọng); NULL when unknown.';

-- Label of the unit with this version id, for messages.
CREATE FUNCTION antq.unit_label(p_unit_id bigint)
RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT coalesce((SELECT antq.unit_label(u.kind, u.code, u.name) FROM antq.unit u WHERE u.unit_id = p_unit_id),
                  format('unit_id %s (not registered)', p_unit_id))
$$;
COMMENT ON FUNCTION antq.unit_label(bigint) IS 'Label of a unit version for messages (nhãn đơn vị): kind, code and name.';

-- Raise the check_violation of a fact table: the unit, the year and the field named, with a hint.
CREATE FUNCTION antq.fact_reject(p_table text, p_column text, p_unit_id bigint, p_year integer, p_problem text, p_hint text)
RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- A unit of another province first: the fact was refused for that (sql/57_confine.sql).
    PERFORM antq.unit_within_reach(p_table, p_unit_id, antq.confined_provinces());
    RAISE EXCEPTION '% for % in %: %', p_column, antq.unit_label(p_unit_id), p_year, p_problem
        USING ERRCODE = 'check_violation', COLUMN = p_column, TABLE = p_table, SCHEMA = 'antq', HINT = p_hint;
END
$$;
COMMENT ON FUNCTION antq.fact_reject(text, text, bigint, integer, text, text) IS
  'Reject an impossible fact (từ chối số liệu không hợp lệ): raises check_violation naming the table, field, unit and year, with a hint.';

-- The version a fact of p_year written on p_unit_id is stored on: that version when it takes
-- part in the year (one index lookup), else the version of its code that does, or an error
-- (antq.fact_unit, sql/48_facts_unit.sql).
CREATE FUNCTION antq.fact_version(p_table text, p_unit_id bigint, p_year integer)
RETURNS bigint LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM antq.unit u WHERE u.unit_id = p_unit_id AND u.valid_from <= antq.window_end(u.kind, p_year)
                  AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, p_year))) THEN
        RETURN p_unit_id;
    END IF;
    RETURN antq.fact_unit(p_table, p_unit_id, p_year, NULL, antq.confined_provinces());
END
$$;
COMMENT ON FUNCTION antq.fact_version(text, bigint, integer) IS
  'The version a fact of a year is stored on (phiên bản nhận số liệu của năm): the version written when it takes part in the year, else the version of its code that does; raises when none does (antq.fact_unit).';

-- The full check, run by the trigger below (extension/facts/assessment_check.c) for each row its test
-- in C does not show to be accepted unchanged; it is called with the trigger's own call.
CREATE FUNCTION antq.assessment_check_full() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    counts text[] := ARRAY['households_total', 'households_registered', 'staff_total', 'staff_briefed', 'active_models',
                           'crime_count', 'new_hotspots', 'new_vice_persons', 'force_disciplined', 'offenders_count',
                           'subunits_total', 'subunits_rated_good', 'crime_reports_received', 'crime_reports_handled',
                           'outreach_target', 'outreach_reached', 'traffic_accidents', 'traffic_deaths', 'traffic_injuries', 'tipoffs'];
    field text;
    value bigint;
    day   date;
BEGIN
    NEW.force_rating := antq.nfc(NEW.force_rating);  -- one Unicode form (antq.nfc)
    -- The year and dates within the window antq accepts (bounds.c): one test for the common
    -- case, then the culprit named.
    IF NEW.year < antq.year_min() OR NEW.year > antq.year_max()
            OR least(NEW.registered_on, NEW.resolution_on, NEW.plan_on) < antq.date_min()
            OR greatest(NEW.registered_on, NEW.resolution_on, NEW.plan_on) > antq.date_max() THEN
        IF NEW.year < antq.year_min() OR NEW.year > antq.year_max() THEN
            PERFORM antq.fact_out_of_range('22008', 'assessment', 'year', NEW.unit_id, NEW.year,
                format('year %s is outside the years antq accepts', NEW.year), antq.year_window_hint());
        END IF;
        FOREACH field IN ARRAY ARRAY['registered_on', 'resolution_on', 'plan_on'] LOOP
            day := (to_jsonb(NEW) ->> field)::date;
            IF day < antq.date_min() OR day > antq.date_max() THEN
                PERFORM antq.fact_out_of_range('22008', 'assessment', field, NEW.unit_id, NEW.year,
                    format('date %s is outside the years antq accepts', antq.date_label(day)), antq.year_window_hint());
            END IF;
        END LOOP;
    END IF;
    NEW.unit_id := antq.fact_version('assessment', NEW.unit_id, NEW.year);
    -- One cheap test for the common case; the loop only names the culprit.
    IF least(NEW.households_total, NEW.households_registered, NEW.staff_total, NEW.staff_briefed, NEW.active_models,
             NEW.crime_count, NEW.new_hotspots, NEW.new_vice_persons, NEW.force_disciplined, NEW.offenders_count,
             NEW.subunits_total, NEW.subunits_rated_good, NEW.crime_reports_received, NEW.crime_reports_handled,
             NEW.outreach_target, NEW.outreach_reached, NEW.traffic_accidents, NEW.traffic_deaths, NEW.traffic_injuries, NEW.tipoffs) < 0 THEN
        FOREACH field IN ARRAY counts LOOP
            value := (to_jsonb(NEW) ->> field)::bigint;
            IF value < 0 THEN
                PERFORM antq.fact_reject('assessment', field, NEW.unit_id, NEW.year, format('negative count %s', value),
                                         'Counts are 0 or more; leave the field empty when it is not known.');
            END IF;
        END LOOP;
    END IF;
    IF NEW.households_registered > NEW.households_total THEN
        PERFORM antq.fact_reject('assessment', 'households_registered', NEW.unit_id, NEW.year,
            format('%s households registered out of %s', NEW.households_registered, NEW.households_total),
            'Households registered cannot exceed households_total; correct either figure.');
    END IF;
    IF NEW.staff_briefed > NEW.staff_total THEN
        PERFORM antq.fact_reject('assessment', 'staff_briefed', NEW.unit_id, NEW.year,
            format('%s briefed out of %s', NEW.staff_briefed, NEW.staff_total),
            'People briefed cannot exceed staff_total; correct either figure.');
    END IF;
    IF NEW.crime_reports_handled > NEW.crime_reports_received THEN
        PERFORM antq.fact_reject('assessment', 'crime_reports_handled', NEW.unit_id, NEW.year,
            format('%s reports handled out of %s received', NEW.crime_reports_handled, NEW.crime_reports_received),
            'Crime reports handled cannot exceed crime_reports_received; correct either figure.');
    END IF;
    IF NEW.subunits_rated_good > NEW.subunits_total THEN
        PERFORM antq.fact_reject('assessment', 'subunits_rated_good', NEW.unit_id, NEW.year,
            format('%s sub-units rated good out of %s', NEW.subunits_rated_good, NEW.subunits_total),
            'Sub-units rated good cannot exceed subunits_total; correct either figure.');
    END IF;
    IF NEW.force_rating IS NOT NULL AND NEW.force_rating NOT IN ('not_completed', 'completed', 'completed_well', 'completed_excellently') THEN
        PERFORM antq.fact_reject('assessment', 'force_rating', NEW.unit_id, NEW.year, format('unknown rating "%s"', antq.clip(NEW.force_rating, 40)),
            'Use not_completed, completed, completed_well or completed_excellently ("advanced collective" is completed_well).');
    END IF;
    IF NEW.extra IS NOT NULL AND jsonb_typeof(NEW.extra) <> 'object' THEN
        PERFORM antq.fact_reject('assessment', 'extra', NEW.unit_id, NEW.year, 'extra is not a JSON object',
            'Write provincial facts as an object, e.g. {"night_patrols": 12}.');
    END IF;
    -- Provincial facts: a bounded object whose numbers the engine can hold (criteria.c reads
    -- them as integers times 10^6, as it does the typed counts).
    IF NEW.extra IS NOT NULL THEN
        IF pg_column_size(NEW.extra) > 16384 THEN
            PERFORM antq.fact_out_of_range('22001', 'assessment', 'extra', NEW.unit_id, NEW.year,
                format('extra takes %s bytes', pg_column_size(NEW.extra)),
                'Provincial facts take at most 16384 bytes (a limit fixed in antq.assessment_check): a few dozen numbers, booleans and dates.');
        END IF;
        -- A path test (no query) on every row; the query naming the key only when it fails.
        IF jsonb_path_exists(NEW.extra, '$.* ? (@.type() == "number" && (@ < -2147483648 || @ > 2147483647))') THEN
            SELECT k.key INTO field FROM jsonb_each(NEW.extra) k
             WHERE jsonb_typeof(k.value) = 'number' AND (k.value::numeric < -2147483648 OR k.value::numeric > 2147483647)
             ORDER BY k.key LIMIT 1;
            PERFORM antq.fact_out_of_range('22003', 'assessment', 'extra.' || antq.clip(field, 40), NEW.unit_id, NEW.year,
                format('%s is out of range', antq.clip(NEW.extra ->> field, 40)),
                'Numbers in extra lie in the integer range, -2147483648 to 2147483647, as the typed counts do.');
        END IF;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION antq.assessment_check_full() IS
  'The full check of an assessment (kiểm tra đầy đủ số liệu đánh giá), run by the trigger antq.assessment_check for a row its fast test does not pass: stores it on the version taking part in its year and in NFC, or rejects years and dates outside the window accepted, negative counts, registered above total, handled above received, unknown ratings, provincial facts too large or out of the integer range.';
-- In C: a test that the row is one the full check accepts unchanged (almost every row of a
-- batch), which returns it as it is; the full check for any other row.
CREATE FUNCTION antq.assessment_check() RETURNS trigger LANGUAGE C AS 'MODULE_PATHNAME', 'antq_assessment_check';
COMMENT ON FUNCTION antq.assessment_check() IS
  'Trigger rejecting impossible assessments (kiểm tra số liệu đánh giá): years and dates outside the window accepted, negative counts, registered above total, handled above received, unknown ratings, provincial facts too large or out of the integer range. A test in C passes the rows the full check (antq.assessment_check_full) would accept unchanged; every other row goes to it.';
CREATE TRIGGER assessment_check BEFORE INSERT OR UPDATE ON antq.assessment
    FOR EACH ROW EXECUTE FUNCTION antq.assessment_check();

CREATE FUNCTION antq.incident_check() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    yr integer := CASE WHEN isfinite(NEW.occurred_on) THEN extract(year FROM NEW.occurred_on)::integer END;
BEGIN
    -- one Unicode form for every text field (antq.nfc)
    NEW.kind := antq.nfc(NEW.kind);
    NEW.severity := antq.nfc(NEW.severity);
    NEW.reference := antq.nfc(NEW.reference);
    NEW.description := antq.nfc(NEW.description);
    -- The date first: capture queues its year and the two after it for recompute.
    IF NEW.occurred_on < antq.date_min() OR NEW.occurred_on > antq.date_max() THEN
        PERFORM antq.fact_out_of_range('22008', 'incident', 'occurred_on', NEW.unit_id, yr,
            format('date %s is outside the years antq accepts', antq.date_label(NEW.occurred_on)), antq.year_window_hint());
    END IF;
    IF length(NEW.reference) > 100 OR length(NEW.description) > 2000 THEN
        PERFORM antq.fact_out_of_range('22001', 'incident', CASE WHEN length(NEW.reference) > 100 THEN 'reference' ELSE 'description' END, NEW.unit_id, yr,
            CASE WHEN length(NEW.reference) > 100 THEN format('a reference of %s characters', length(NEW.reference))
                 ELSE format('a description of %s characters', length(NEW.description)) END,
            'A reference has at most 100 characters, a description 2000 (limits fixed in antq.incident_check); attach longer files elsewhere.');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM antq.incident_kinds() k WHERE k.kind = NEW.kind) THEN
        PERFORM antq.fact_reject('incident', 'kind', NEW.unit_id, yr, format('unknown kind "%s"', antq.clip(NEW.kind, 40)),
            'Kinds are listed by antq.incident_kinds(), e.g. crime, serious_fire_explosion, school_violence.');
    END IF;
    IF NEW.severity IS NOT NULL AND antq.severity_rank(NEW.severity) IS NULL THEN
        PERFORM antq.fact_reject('incident', 'severity', NEW.unit_id, yr, format('unknown severity "%s"', antq.clip(NEW.severity, 40)),
            'Severities are less_serious, serious, very_serious, especially_serious.');
    END IF;
    IF NEW.kind = 'crime' AND NEW.severity IS NULL THEN
        PERFORM antq.fact_reject('incident', 'severity', NEW.unit_id, yr, 'a crime without severity',
            'Give the severity of a crime: less_serious, serious, very_serious or especially_serious.');
    END IF;
    -- Stored on the version of its code in force that day (sql/48_facts_unit.sql).
    IF NOT EXISTS (SELECT 1 FROM antq.unit u WHERE u.unit_id = NEW.unit_id AND u.valid_from <= NEW.occurred_on
                      AND (u.valid_to IS NULL OR u.valid_to > NEW.occurred_on)) THEN
        NEW.unit_id := antq.fact_unit('incident', NEW.unit_id, NULL, NEW.occurred_on, antq.confined_provinces());
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION antq.incident_check() IS
  'Trigger rejecting impossible incidents (kiểm tra vụ việc): a date outside the window accepted, a reference or description too long, unknown kind or severity, a crime without severity; stores the event on the version of its unit''s code in force on the date (antq.fact_unit), refusing it when none is.';
CREATE TRIGGER incident_check BEFORE INSERT OR UPDATE ON antq.incident
    FOR EACH ROW EXECUTE FUNCTION antq.incident_check();

CREATE FUNCTION antq.score_check() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    item_max numeric;
BEGIN
    NEW.item := antq.nfc(NEW.item);  -- one Unicode form (antq.nfc)
    IF NEW.year < antq.year_min() OR NEW.year > antq.year_max() THEN
        PERFORM antq.fact_out_of_range('22008', 'score', 'year', NEW.unit_id, NEW.year,
            format('year %s is outside the years antq accepts', NEW.year), antq.year_window_hint());
    END IF;
    NEW.unit_id := antq.fact_version('score', NEW.unit_id, NEW.year);
    SELECT i.max_points INTO item_max
      FROM antq.unit u
      JOIN antq.scoring_sheet s ON s.unit_kind = u.kind
       AND (s.province_code IS NULL OR s.province_code = u.province_code)
       AND NEW.year BETWEEN coalesce(s.first_year, 0) AND coalesce(s.last_year, 9999)
      JOIN antq.scoring_item i ON i.sheet_id = s.sheet_id AND i.item = NEW.item
     WHERE u.unit_id = NEW.unit_id
     ORDER BY s.province_code IS NULL, s.first_year DESC NULLS LAST
     LIMIT 1;
    IF NOT FOUND THEN
        PERFORM antq.fact_reject('score', 'item', NEW.unit_id, NEW.year, format('no item "%s" on the scoring sheet', antq.clip(NEW.item, 40)),
            'Items are listed in antq.scoring_item for the sheet of the unit''s kind, province and year.');
    END IF;
    IF NEW.points < 0 OR NEW.points > item_max THEN
        PERFORM antq.fact_reject('score', 'points', NEW.unit_id, NEW.year,
            format('%s points for item %s, whose maximum is %s', antq.clip(NEW.points::text, 40), NEW.item, item_max),
            'Points run from 0 to the item''s maximum (antq.scoring_item.max_points).');
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION antq.score_check() IS
  'Trigger rejecting impossible scores (kiểm tra điểm chấm): a year outside the window accepted, an item not on the unit''s sheet, points below 0 or above the item''s maximum.';
CREATE TRIGGER score_check BEFORE INSERT OR UPDATE ON antq.score
    FOR EACH ROW EXECUTE FUNCTION antq.score_check();

CREATE FUNCTION antq.model_check_check() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    NEW.note := antq.nfc(NEW.note);  -- one Unicode form (antq.nfc)
    IF NEW.year < antq.year_min() OR NEW.year > antq.year_max() THEN
        PERFORM antq.fact_out_of_range('22008', 'model_check', 'year', NEW.unit_id, NEW.year,
            format('year %s is outside the years antq accepts', NEW.year), antq.year_window_hint());
    END IF;
    NEW.unit_id := antq.fact_version('model_check', NEW.unit_id, NEW.year);
    IF length(NEW.note) > 2000 THEN
        PERFORM antq.fact_out_of_range('22001', 'model_check', 'note', NEW.unit_id, NEW.year,
            format('a note of %s characters', length(NEW.note)),
            'An assessor''s note has at most 2000 characters (a limit fixed in antq.model_check_check).');
    END IF;
    IF NEW.criterion_no < 1 OR NEW.criterion_no > 128 THEN
        PERFORM antq.fact_reject('model_check', 'criterion_no', NEW.unit_id, NEW.year, format('no model criterion %s', NEW.criterion_no),
            'Model criteria are numbered from 1 (34 for communes, 14 for agencies, enterprises and schools).');
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION antq.model_check_check() IS 'Trigger rejecting impossible model-unit checks (kiểm tra tiêu chí điển hình): a year outside the window accepted, a note too long, criterion numbers out of range.';
CREATE TRIGGER model_check_check BEFORE INSERT OR UPDATE ON antq.model_check
    FOR EACH ROW EXECUTE FUNCTION antq.model_check_check();

CREATE FUNCTION antq.decision_check() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- one Unicode form for every text field (antq.nfc)
    NEW.number := antq.nfc(NEW.number);
    NEW.authority := antq.nfc(NEW.authority);
    IF NEW.year < antq.year_min() OR NEW.year > antq.year_max() THEN
        PERFORM antq.fact_out_of_range('22008', 'decision', 'year', NEW.unit_id, NEW.year,
            format('year %s is outside the years antq accepts', NEW.year), antq.year_window_hint());
    END IF;
    IF NEW.decided_on < antq.date_min() OR NEW.decided_on > antq.date_max() THEN
        PERFORM antq.fact_out_of_range('22008', 'decision', 'decided_on', NEW.unit_id, NEW.year,
            format('date %s is outside the years antq accepts', antq.date_label(NEW.decided_on)), antq.year_window_hint());
    END IF;
    NEW.unit_id := antq.fact_version('decision', NEW.unit_id, NEW.year);
    IF length(NEW.number) > 100 OR length(NEW.authority) > 500 THEN
        PERFORM antq.fact_out_of_range('22001', 'decision', CASE WHEN length(NEW.number) > 100 THEN 'number' ELSE 'authority' END, NEW.unit_id, NEW.year,
            CASE WHEN length(NEW.number) > 100 THEN format('a number of %s characters', length(NEW.number))
                 ELSE format('an authority of %s characters', length(NEW.authority)) END,
            'A decision number has at most 100 characters (e.g. 123/QĐ-UBND), an authority 500 (limits fixed in antq.decision_check).');
    END IF;
    IF NEW.kind IN ('recognition', 'model') AND NEW.met IS NULL THEN
        PERFORM antq.fact_reject('decision', 'met', NEW.unit_id, NEW.year, format('a %s decision without its outcome', NEW.kind),
            'Set met to true when the unit is recognized, false when refused.');
    END IF;
    IF NEW.kind = 'classification' AND NEW.rating IS NULL THEN
        PERFORM antq.fact_reject('decision', 'rating', NEW.unit_id, NEW.year, 'a classification decision without its rating',
            'A classification decision gives its rating: Xuất sắc, Khá, Trung bình or Yếu.');
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION antq.decision_check() IS 'Trigger rejecting incomplete or out-of-range decisions (kiểm tra quyết định): a year or date outside the window accepted, a number or authority too long, a recognition without outcome, a classification without a valid rating.';
CREATE TRIGGER decision_check BEFORE INSERT OR UPDATE ON antq.decision
    FOR EACH ROW EXECUTE FUNCTION antq.decision_check();

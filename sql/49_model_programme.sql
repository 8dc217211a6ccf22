-- The model-unit programme (chương trình xây dựng đơn vị điển hình; Decision 9745/QĐ-BCA-V05,
-- Plan 612/KH-BCA): which units take part in a year (antq.model_participation, 30_facts.sql),
-- the rule a selection must follow, and each participant's progress.
--
-- The rule: in Q1 of year Y the province selects units that in Y-1 met the safe standard and
-- were classified Khá or better. Both are read from the stored results of Y-1
-- (antq.unit_result) of the unit's code, as a commune's criterion 4 reads a unit: recognized
-- (decided) where a recognition decision is recorded, else met (computed); the classification
-- decided where one is recorded, else the computed rating. Which of the two each came from is
-- shown, never mixed silently (docs/figures.md, "The model-unit programme").
--
-- A selection is checked when written. When last year's result changes afterwards (a fact
-- corrected, a decision recorded), the row stays and keeps counting: antq.v_model_programme
-- shows it with still_eligible false and the reason, for the province to confirm or withdraw.
--
-- Functions run with search_path = pg_catalog, pg_temp; tables are schema-qualified.

-- Whether the unit with code p_code may take part in the programme of p_year, from its stored
-- result of p_year - 1: always one row.
CREATE FUNCTION antq.model_eligibility(p_code text, p_year integer)
RETURNS TABLE (previous_year integer, previous_unit_id bigint, recognized boolean, recognized_by text,
               rating_level integer, rated_by text, eligible boolean, reason text)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT p_year - 1, r.unit_id, r.recognized, r.recognized_by, r.rating_level, r.rated_by,
         coalesce(r.recognized AND r.rating_level >= 3, false),
         CASE WHEN r.unit_id IS NULL
                  THEN format('no result for %s: the unit did not take part that year, or its result is not computed yet', p_year - 1)
              WHEN NOT r.assessed AND r.recognized IS NULL
                  THEN format('not assessed in %s (chưa đánh giá): no facts reported and no recognition decision', p_year - 1)
              WHEN r.recognized IS NOT TRUE
                  THEN format('not safe in %s: %s', p_year - 1,
                              CASE r.recognized_by WHEN 'decided' THEN 'recognition refused (decided)'
                                                   ELSE 'the safe standard not met (computed)' END)
              WHEN r.rating_level IS NULL
                  THEN format('not classified in %s: no score and no classification decision', p_year - 1)
              WHEN r.rating_level < 3
                  THEN format('classified %s in %s (%s), below Khá', (SELECT l.label_vi FROM antq.rating_levels() l WHERE l.level = r.rating_level),
                              p_year - 1, r.rated_by)
              END
    FROM (SELECT 1) one
    LEFT JOIN LATERAL (
        SELECT x.unit_id, x.assessed, coalesce(x.decision_met, x.safe_met) AS recognized,
               CASE WHEN x.decision_met IS NOT NULL THEN 'decided' WHEN x.safe_met IS NOT NULL THEN 'computed' END AS recognized_by,
               coalesce(x.decision_rating::integer, x.rating::integer) AS rating_level,
               CASE WHEN x.decision_rating IS NOT NULL THEN 'decided' WHEN x.rating IS NOT NULL THEN 'computed' END AS rated_by
          FROM antq.unit v JOIN antq.unit_result x ON x.unit_id = v.unit_id AND x.year = p_year - 1
         WHERE v.code = p_code  -- by the code index, then the result's key: no index on unit_result.code
         ORDER BY x.unit_id DESC LIMIT 1) r ON true
$$;
COMMENT ON FUNCTION antq.model_eligibility(text, integer) IS
  'Whether a unit code may take part in the model-unit programme of a year (điều kiện tham gia xây dựng điển hình): from its stored result of the year before, recognized safe (by decision where recorded: recognized_by decided, else met as computed: computed) and classified Khá or better (rated_by decided or computed); one row with the reason when not eligible. Reads antq.unit_result as the caller.';

CREATE FUNCTION antq.model_participation_check() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    code text;
    kind text;
    e    record;
BEGIN
    -- one Unicode form for every text field (antq.nfc)
    NEW.decision_number := antq.nfc(NEW.decision_number);
    NEW.authority := antq.nfc(NEW.authority);
    IF NEW.year < antq.year_min() OR NEW.year > antq.year_max() THEN
        PERFORM antq.fact_out_of_range('22008', 'model_participation', 'year', NEW.unit_id, NEW.year,
            format('year %s is outside the years antq accepts', NEW.year), antq.year_window_hint());
    END IF;
    IF NEW.selected_on < antq.date_min() OR NEW.selected_on > antq.date_max() THEN
        PERFORM antq.fact_out_of_range('22008', 'model_participation', 'selected_on', NEW.unit_id, NEW.year,
            format('date %s is outside the years antq accepts', antq.date_label(NEW.selected_on)), antq.year_window_hint());
    END IF;
    NEW.unit_id := antq.fact_version('model_participation', NEW.unit_id, NEW.year);
    IF length(NEW.decision_number) > 100 OR length(NEW.authority) > 500 THEN
        PERFORM antq.fact_out_of_range('22001', 'model_participation', CASE WHEN length(NEW.decision_number) > 100 THEN 'decision_number' ELSE 'authority' END,
            NEW.unit_id, NEW.year,
            CASE WHEN length(NEW.decision_number) > 100 THEN format('a decision number of %s characters', length(NEW.decision_number))
                 ELSE format('an authority of %s characters', length(NEW.authority)) END,
            'A decision number has at most 100 characters (e.g. 45/QĐ-BCĐ), an authority 500 (limits fixed in antq.model_participation_check).');
    END IF;
    IF btrim(NEW.decision_number) = '' THEN
        PERFORM antq.fact_reject('model_participation', 'decision_number', NEW.unit_id, NEW.year, 'an empty decision number',
            'Give the decision or plan that selected the unit (its legal basis), e.g. 45/QĐ-BCĐ.');
    END IF;
    IF extract(year FROM NEW.selected_on) <> NEW.year THEN
        PERFORM antq.fact_reject('model_participation', 'selected_on', NEW.unit_id, NEW.year,
            format('selected on %s, outside %s', antq.date_label(NEW.selected_on), NEW.year),
            'Units are selected in the year they take part, normally in Q1 (Plan 612/KH-BCA); correct selected_on or year.');
    END IF;
    SELECT u.code, u.kind INTO code, kind FROM antq.unit u WHERE u.unit_id = NEW.unit_id;
    -- A row already accepted keeps its place when edited (a corrected date or number) or moved
    -- to another version of its code (antq.move_facts): a change of last year's result since
    -- is shown by antq.v_model_programme, not enforced here, so that it never blocks a change
    -- of the registry.
    IF TG_OP = 'UPDATE' AND NEW.year = OLD.year
       AND (NEW.unit_id = OLD.unit_id OR code = (SELECT o.code FROM antq.unit o WHERE o.unit_id = OLD.unit_id)) THEN
        RETURN NEW;
    END IF;
    IF NOT EXISTS (SELECT FROM antq.criteria_set s JOIN antq.unit u ON u.unit_id = NEW.unit_id
                    WHERE s.standard = 'model' AND s.unit_kind = u.kind
                      AND (s.province_code IS NULL OR s.province_code = u.province_code)
                      AND coalesce(s.first_year, NEW.year) <= NEW.year AND coalesce(s.last_year, NEW.year) >= NEW.year) THEN
        PERFORM antq.fact_reject('model_participation', 'unit_id', NEW.unit_id, NEW.year,
            format('no model-unit criteria set applies to kind %s', kind),
            'Model-unit sets exist for communes (34 criteria) and agencies, enterprises and schools (14) from 2023 (antq.criteria_set, standard model).');
    END IF;
    SELECT * INTO e FROM antq.model_eligibility(code, NEW.year);
    IF NOT e.eligible THEN
        PERFORM antq.fact_reject('model_participation', 'unit_id', NEW.unit_id, NEW.year,
            'not eligible for the model-unit programme: ' || e.reason,
            format('A unit is selected among those that in %s met the safe standard and were classified Khá or better (recognized and classified by decision where recorded, else as computed: antq.model_eligibility). If its %s result is not computed yet, wait for the worker (antq.worker_status) or run antq.refresh.',
                   NEW.year - 1, NEW.year - 1));
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION antq.model_participation_check() IS
  'Trigger rejecting invalid selections for the model-unit programme (kiểm tra lựa chọn xây dựng điển hình): a year or date outside the window accepted, an empty or too long decision number, a selection date outside the year, a kind without a model-unit set, a unit not eligible by its result of the year before (antq.model_eligibility), each with check_violation naming the unit code and field and a hint. An edit of an accepted row that keeps its unit code and year (a corrected date, a move to another version of the code) is not checked against last year again.';
CREATE TRIGGER model_participation_check BEFORE INSERT OR UPDATE ON antq.model_participation
    FOR EACH ROW EXECUTE FUNCTION antq.model_participation_check();

-- Analysts' view of the participants: per unit and year, its progress ("28/34"), whether it is
-- on track or complete, and whether last year still qualifies it.
CREATE VIEW antq.v_model_programme WITH (security_invoker = true) AS
SELECT p.year, u.code, u.name, u.kind, k.label_vi AS kind_vi, k.label_en AS kind_en, u.province_code,
       r.commune_code, r.district_code, p.selected_on, p.decision_number, p.authority,
       coalesce(r.assessed, false) AS assessed,
       antq.met_count(r.model_attainment) AS criteria_met,
       antq.criteria_count(r.model_attainment) AS criteria_total,
       CASE WHEN r.model_attainment IS NOT NULL
            THEN pg_catalog.format('%s/%s', antq.met_count(r.model_attainment), antq.criteria_count(r.model_attainment)) END AS progress,
       r.model_met AS complete, r.model_on_track AS on_track,
       e.eligible AS still_eligible, e.recognized_by, e.rated_by, e.reason AS not_eligible_reason,
       p.unit_id
  FROM antq.model_participation p
  JOIN antq.unit u ON u.unit_id OPERATOR(pg_catalog.=) p.unit_id
  LEFT JOIN antq.unit_kinds() k ON k.kind OPERATOR(pg_catalog.=) u.kind
  LEFT JOIN antq.unit_result r ON r.unit_id OPERATOR(pg_catalog.=) p.unit_id AND r.year OPERATOR(pg_catalog.=) p.year
  CROSS JOIN LATERAL antq.model_eligibility(u.code, p.year) e;
COMMENT ON VIEW antq.v_model_programme IS
  'Units taking part in the model-unit programme, one row per unit and year, with plain SQL types (đơn vị tham gia xây dựng điển hình): progress as criteria met out of the set (e.g. 28/34), complete, on track, and whether its result of the year before still qualifies it.';
COMMENT ON COLUMN antq.v_model_programme.year IS 'Year of the programme (năm).';
COMMENT ON COLUMN antq.v_model_programme.code IS 'Permanent code of the unit (mã đơn vị).';
COMMENT ON COLUMN antq.v_model_programme.name IS 'Name of the unit version taking part (tên đơn vị).';
COMMENT ON COLUMN antq.v_model_programme.kind IS 'Unit kind (loại đơn vị): commune, agency, enterprise or school.';
COMMENT ON COLUMN antq.v_model_programme.kind_vi IS 'Unit kind in Vietnamese (loại đơn vị), e.g. Xã, phường, thị trấn, đặc khu.';
COMMENT ON COLUMN antq.v_model_programme.kind_en IS 'Unit kind in English, e.g. Commune.';
COMMENT ON COLUMN antq.v_model_programme.province_code IS 'Province code (mã tỉnh).';
COMMENT ON COLUMN antq.v_model_programme.commune_code IS 'Commune the unit lies in (mã xã), as in its result; NULL for communes.';
COMMENT ON COLUMN antq.v_model_programme.district_code IS 'District it lay in before the 2025 reform (mã huyện).';
COMMENT ON COLUMN antq.v_model_programme.selected_on IS 'Date of the selection (ngày lựa chọn).';
COMMENT ON COLUMN antq.v_model_programme.decision_number IS 'Decision or plan that selected it (số quyết định lựa chọn).';
COMMENT ON COLUMN antq.v_model_programme.authority IS 'Authority that selected it (cơ quan lựa chọn).';
COMMENT ON COLUMN antq.v_model_programme.assessed IS 'The unit reported its facts for the year (đã có số liệu đánh giá); when false, criteria_met, progress, complete and on_track are NULL: not assessed, not "0 met".';
COMMENT ON COLUMN antq.v_model_programme.criteria_met IS 'Model-unit criteria met (số tiêu chí điển hình đạt): each a check recorded met by assessors (antq.model_check).';
COMMENT ON COLUMN antq.v_model_programme.criteria_total IS 'Model-unit criteria of the set (tổng số tiêu chí điển hình): 34 for communes, 14 for agencies, enterprises and schools, with any the province adds.';
COMMENT ON COLUMN antq.v_model_programme.progress IS 'Progress as text (tiến độ), criteria met out of the set, e.g. 28/34; NULL when not assessed.';
COMMENT ON COLUMN antq.v_model_programme.complete IS 'Meets every model-unit criterion (đạt đủ tiêu chí điển hình), e.g. 34/34 (computed; a model-unit recognition is a decision, antq.decision kind model).';
COMMENT ON COLUMN antq.v_model_programme.on_track IS 'On track (đúng tiến độ): assessed, and none of its model-unit checks of the year recorded as not met; criteria not yet checked are still to come. Complete units are on track. NULL when not assessed.';
COMMENT ON COLUMN antq.v_model_programme.still_eligible IS 'Its result of the year before still qualifies it (còn đủ điều kiện): recognized safe and classified Khá or better (antq.model_eligibility). False when that result changed after the selection: the unit still takes part and counts; the province confirms or withdraws it.';
COMMENT ON COLUMN antq.v_model_programme.recognized_by IS 'Where "safe the year before" comes from (căn cứ công nhận năm trước): decided (a recognition decision) or computed (met as computed, no decision recorded); NULL when neither is known.';
COMMENT ON COLUMN antq.v_model_programme.rated_by IS 'Where the classification of the year before comes from (căn cứ xếp loại năm trước): decided (a classification decision) or computed; NULL when neither is known.';
COMMENT ON COLUMN antq.v_model_programme.not_eligible_reason IS 'Why the year before no longer qualifies it (lý do không còn đủ điều kiện); NULL when it does.';
COMMENT ON COLUMN antq.v_model_programme.unit_id IS 'Version of the unit taking part (phiên bản đơn vị), antq.unit.unit_id.';

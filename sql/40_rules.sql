-- Rules as data (tiêu chí, thang điểm): criteria sets, their criteria, scoring sheets, their items
-- and rating bands, versioned by year, national or provincial. A province adds criteria of its own
-- in a set with its province_code, which then apply on top of the national set; it overrides a
-- scoring sheet (items, bands, cap) with a sheet of its own. Rows the extension ships have
-- shipped = true; pg_dump keeps the others, so a province's rules survive a dump and restore.
-- The C engine compiles these rows once per backend (rules_cache.c); a statement trigger drops
-- every backend's compiled copy when they change.

CREATE TABLE antq.criteria_set (
    set_id        text    PRIMARY KEY,
    standard      text    NOT NULL,
    unit_kind     text    NOT NULL,
    province_code text,
    first_year    integer,
    last_year     integer,
    title         text    NOT NULL,
    legal_basis   text,
    shipped       boolean NOT NULL DEFAULT false,
    CONSTRAINT criteria_set_standard_known CHECK (standard IN ('safe', 'model')),
    CONSTRAINT criteria_set_kind_known CHECK (unit_kind IN ('residential_area', 'commune', 'agency', 'enterprise', 'school', 'district')),
    CONSTRAINT criteria_set_years_ordered CHECK (first_year IS NULL OR last_year IS NULL OR first_year <= last_year)
);
COMMENT ON TABLE antq.criteria_set IS
  'Criteria sets (bộ tiêu chí): the safe-standard criteria (tiêu chuẩn an toàn về an ninh, trật tự) or model-unit criteria (tiêu chí điển hình) of one unit kind over a span of years, national or added by a province.';
COMMENT ON COLUMN antq.criteria_set.set_id IS 'Identifier of the set (mã bộ tiêu chí), e.g. tt124-commune; a province''s own sets should start with its code, e.g. 08-commune-2024.';
COMMENT ON COLUMN antq.criteria_set.standard IS 'safe: the "Safe on security and order" standard (an toàn về an ninh, trật tự); model: model-unit criteria (điển hình tiên tiến).';
COMMENT ON COLUMN antq.criteria_set.unit_kind IS 'Kind of unit assessed (loại đơn vị): residential_area, commune, agency, enterprise, school.';
COMMENT ON COLUMN antq.criteria_set.province_code IS 'NULL for a national set; a province code for criteria that province adds (tiêu chí bổ sung của tỉnh), applied after the national ones.';
COMMENT ON COLUMN antq.criteria_set.first_year IS 'First year the set applies (áp dụng từ năm); NULL: from the beginning.';
COMMENT ON COLUMN antq.criteria_set.last_year IS 'Last year the set applies (áp dụng đến năm); NULL: still in force.';
COMMENT ON COLUMN antq.criteria_set.title IS 'Title of the set (tên bộ tiêu chí).';
COMMENT ON COLUMN antq.criteria_set.legal_basis IS 'Legal source (căn cứ pháp lý), e.g. Thông tư 124/2021/TT-BCA.';
COMMENT ON COLUMN antq.criteria_set.shipped IS 'Row shipped with the extension (dữ liệu gốc); pg_dump keeps only the others.';

CREATE TABLE antq.criterion (
    set_id                  text    NOT NULL REFERENCES antq.criteria_set (set_id) ON UPDATE CASCADE ON DELETE CASCADE,
    label                   text    NOT NULL,
    criterion_no            integer NOT NULL,
    title                   text    NOT NULL,
    form                    text    NOT NULL,
    fact                    text,
    fact2                   text,
    threshold               numeric,
    incident_kinds          text[],
    min_severity            text,
    except_force_majeure    boolean NOT NULL DEFAULT false,
    except_handled_promptly boolean NOT NULL DEFAULT false,
    level                   text,
    unit_kinds              text[],
    applies_if              text,
    applies_sub_kinds       text[],
    shipped                 boolean NOT NULL DEFAULT false,
    PRIMARY KEY (set_id, label),
    CONSTRAINT criterion_no_range CHECK (criterion_no BETWEEN 1 AND 128),
    CONSTRAINT criterion_form_known CHECK (form IN ('fact_true', 'date_in_q1', 'ratio_at_least', 'count_at_most', 'count_at_least',
        'not_above_last_year', 'no_incident', 'rating_at_least', 'units_registered', 'units_recognized', 'check_met'))
);
COMMENT ON TABLE antq.criterion IS
  'Conditions of a criteria set (điều kiện của tiêu chí): each row is one rule form evaluated in C; a criterion (criterion_no) is met when every applicable row with that number is met, not applicable when none applies.';
COMMENT ON COLUMN antq.criterion.set_id IS 'The set it belongs to (bộ tiêu chí).';
COMMENT ON COLUMN antq.criterion.label IS 'Short label in reasons (ký hiệu), unique in the set, e.g. 4b or 1-households.';
COMMENT ON COLUMN antq.criterion.criterion_no IS 'Number of the criterion (số thứ tự tiêu chí) the condition belongs to; the position in the attainment.';
COMMENT ON COLUMN antq.criterion.title IS 'What the condition requires (nội dung), in the words of the source where known; where the text is not known the title says so.';
COMMENT ON COLUMN antq.criterion.form IS
  'Rule form (dạng quy tắc): fact_true (fact is true), date_in_q1 (fact is a date in Q1 of the year), ratio_at_least (fact / fact2 >= threshold), count_at_most / count_at_least (fact <= / >= threshold), not_above_last_year (fact <= last year''s, lowered by threshold as a fraction when given), no_incident (no incident of incident_kinds at or above min_severity in the window, with the exceptions), rating_at_least (force rating fact >= level), units_registered / units_recognized (units under a commune''s authority of unit_kinds registered / recognized, share >= threshold; a unit counts as recognized by its recognition decision where one is recorded, else by its computed result), check_met (the model check with this criterion_no is recorded met).';
COMMENT ON COLUMN antq.criterion.fact IS 'Fact read (số liệu): a column of antq.assessment, or extra.<key> for a province''s own fact in antq.assessment.extra.';
COMMENT ON COLUMN antq.criterion.fact2 IS 'Second fact: the denominator of ratio_at_least (mẫu số).';
COMMENT ON COLUMN antq.criterion.threshold IS 'Number the form compares with (ngưỡng): a fraction for ratios and shares (0.7 = 70%), a count for counts, the required decrease for not_above_last_year (0.1 = 10% lower).';
COMMENT ON COLUMN antq.criterion.incident_kinds IS 'no_incident: the kinds of incident that break the condition (loại vụ việc), see antq.incident_kinds().';
COMMENT ON COLUMN antq.criterion.min_severity IS 'no_incident: only incidents with a severity at or above this count (mức độ tối thiểu); NULL: any.';
COMMENT ON COLUMN antq.criterion.except_force_majeure IS 'no_incident: an incident caused by force majeure does not count (trừ trường hợp bất khả kháng).';
COMMENT ON COLUMN antq.criterion.except_handled_promptly IS 'no_incident: an incident detected and handled promptly does not count (trừ trường hợp phát hiện, xử lý kịp thời).';
COMMENT ON COLUMN antq.criterion.level IS 'rating_at_least: the lowest task rating that passes (mức xếp loại tối thiểu): completed, completed_well or completed_excellently.';
COMMENT ON COLUMN antq.criterion.unit_kinds IS 'units_registered / units_recognized: which kinds of unit under the commune count (loại đơn vị tính).';
COMMENT ON COLUMN antq.criterion.applies_if IS 'A boolean fact that must be true for the condition to apply (điều kiện áp dụng), e.g. has_party_org; otherwise not applicable.';
COMMENT ON COLUMN antq.criterion.applies_sub_kinds IS 'The condition applies only to units of these sub-kinds (áp dụng cho phân loại), e.g. general-education schools; NULL: all.';
COMMENT ON COLUMN antq.criterion.shipped IS 'Row shipped with the extension (dữ liệu gốc); pg_dump keeps only the others.';

CREATE TABLE antq.scoring_sheet (
    sheet_id      bigint  GENERATED BY DEFAULT AS IDENTITY (START WITH 1000) PRIMARY KEY,
    unit_kind     text    NOT NULL,
    province_code text,
    first_year    integer,
    last_year     integer,
    cap_unmet     integer DEFAULT 2,
    title         text    NOT NULL,
    legal_basis   text,
    shipped       boolean NOT NULL DEFAULT false,
    CONSTRAINT scoring_sheet_kind_known CHECK (unit_kind IN ('residential_area', 'commune', 'agency', 'enterprise', 'school', 'district')),
    CONSTRAINT scoring_sheet_cap_range CHECK (cap_unmet BETWEEN 1 AND 4),
    CONSTRAINT scoring_sheet_years_ordered CHECK (first_year IS NULL OR last_year IS NULL OR first_year <= last_year)
);
COMMENT ON TABLE antq.scoring_sheet IS
  'Classification sheets (bảng chấm điểm phân loại phong trào): per unit kind and span of years, national or a province''s override, with the cap for units that did not meet the safe standard.';
COMMENT ON COLUMN antq.scoring_sheet.sheet_id IS 'Identifier of the sheet (mã bảng điểm); shipped sheets are numbered below 1000.';
COMMENT ON COLUMN antq.scoring_sheet.unit_kind IS 'Kind of unit scored (loại đơn vị).';
COMMENT ON COLUMN antq.scoring_sheet.province_code IS 'NULL for the national sheet; a province code for that province''s override (bảng điểm của tỉnh), which replaces the national sheet there.';
COMMENT ON COLUMN antq.scoring_sheet.first_year IS 'First year the sheet applies (áp dụng từ năm); NULL: from the beginning.';
COMMENT ON COLUMN antq.scoring_sheet.last_year IS 'Last year the sheet applies (áp dụng đến năm); NULL: still in force.';
COMMENT ON COLUMN antq.scoring_sheet.cap_unmet IS
  'Highest rating of a unit that did not meet the safe standard (mức trần khi không đạt chuẩn an toàn): 2 Trung bình by default (a documented default, not a known rule); NULL: no cap.';
COMMENT ON COLUMN antq.scoring_sheet.title IS 'Title of the sheet (tên bảng điểm).';
COMMENT ON COLUMN antq.scoring_sheet.legal_basis IS 'Legal source (căn cứ pháp lý), e.g. Quyết định 510/QĐ-BCA-V05.';
COMMENT ON COLUMN antq.scoring_sheet.shipped IS 'Row shipped with the extension (dữ liệu gốc); pg_dump keeps only the others.';

CREATE TABLE antq.scoring_item (
    sheet_id   bigint  NOT NULL REFERENCES antq.scoring_sheet (sheet_id) ON DELETE CASCADE,
    item       text    NOT NULL,
    title      text    NOT NULL,
    max_points numeric NOT NULL,
    shipped    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (sheet_id, item),
    CONSTRAINT scoring_item_max_positive CHECK (max_points > 0)
);
COMMENT ON TABLE antq.scoring_item IS 'Items of a classification sheet (mục chấm điểm), each with its maximum.';
COMMENT ON COLUMN antq.scoring_item.sheet_id IS 'The sheet (bảng điểm).';
COMMENT ON COLUMN antq.scoring_item.item IS 'Item number or code (số mục), as antq.score.item names it.';
COMMENT ON COLUMN antq.scoring_item.title IS 'What the item scores (nội dung); where the text is not known the title says so.';
COMMENT ON COLUMN antq.scoring_item.max_points IS 'Maximum points (điểm tối đa).';
COMMENT ON COLUMN antq.scoring_item.shipped IS 'Row shipped with the extension (dữ liệu gốc); pg_dump keeps only the others.';

CREATE TABLE antq.rating_band (
    sheet_id  bigint  NOT NULL REFERENCES antq.scoring_sheet (sheet_id) ON DELETE CASCADE,
    rating    antq.rating NOT NULL,
    min_score numeric NOT NULL,
    max_score numeric,
    shipped   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (sheet_id, rating)
);
COMMENT ON TABLE antq.rating_band IS
  'Point bands of the classification levels (khung điểm xếp loại) of a sheet: score in [min_score, max_score) gives the rating; the bands of a sheet cover 0 upward without gaps or overlaps. Default: Xuất sắc >= 90, Khá >= 70, Trung bình >= 50, else Yếu (a documented default, not a known rule).';
COMMENT ON COLUMN antq.rating_band.sheet_id IS 'The sheet (bảng điểm).';
COMMENT ON COLUMN antq.rating_band.rating IS 'The level (xếp loại).';
COMMENT ON COLUMN antq.rating_band.min_score IS 'Lowest score of the band, included (điểm từ).';
COMMENT ON COLUMN antq.rating_band.max_score IS 'Score where the band ends, excluded (điểm đến, không gồm); NULL for the top band.';
COMMENT ON COLUMN antq.rating_band.shipped IS 'Row shipped with the extension (dữ liệu gốc); pg_dump keeps only the others.';

-- A province's own rules survive pg_dump; shipped rows come back with CREATE EXTENSION.
SELECT pg_catalog.pg_extension_config_dump('antq.criteria_set', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('antq.criterion', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('antq.scoring_sheet', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('antq.scoring_item', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('antq.rating_band', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('antq.scoring_sheet_sheet_id_seq', '');

-- Checks on the rules, with readable messages.
CREATE FUNCTION antq.rule_reject(p_table text, p_column text, p_what text, p_problem text, p_hint text)
RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION '% of %: %', p_column, p_what, p_problem
        USING ERRCODE = 'check_violation', COLUMN = p_column, TABLE = p_table, SCHEMA = 'antq', HINT = p_hint;
END
$$;
COMMENT ON FUNCTION antq.rule_reject(text, text, text, text, text) IS
  'Reject an impossible rule (từ chối quy tắc không hợp lệ): raises check_violation naming the table, field and rule, with a hint.';

-- The type of a fact a criterion may name: a column of antq.assessment, or jsonb for extra.<key>.
CREATE FUNCTION antq.fact_type(p_fact text)
RETURNS regtype LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN p_fact ~ '^extra\.[A-Za-z0-9_]+$' THEN 'jsonb'::regtype
              ELSE (SELECT a.atttypid::regtype FROM pg_catalog.pg_attribute a
                     WHERE a.attrelid = 'antq.assessment'::regclass AND a.attname = p_fact
                       AND a.attnum > 0 AND NOT a.attisdropped
                       AND p_fact NOT IN ('unit_id', 'year', 'extra')) END
$$;
COMMENT ON FUNCTION antq.fact_type(text) IS
  'Type of a fact a criterion can read (kiểu số liệu): a column of antq.assessment or extra.<key>; NULL when there is no such fact.';

CREATE FUNCTION antq.criterion_check() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    what text := format('criterion %s of set %s', antq.clip(NEW.label, 64), antq.clip(NEW.set_id, 64));
    want text[];
    f text;
    ft regtype;
    k text;
BEGIN
    -- Texts of a sane length: the rules cache copies them into every backend.
    IF length(NEW.label) > 64 OR length(NEW.title) > 1000 THEN
        PERFORM antq.rule_out_of_range('22001', 'criterion', CASE WHEN length(NEW.label) > 64 THEN 'label' ELSE 'title' END, what,
            CASE WHEN length(NEW.label) > 64 THEN format('a label of %s characters', length(NEW.label))
                 ELSE format('a title of %s characters', length(NEW.title)) END,
            'A label has at most 64 characters (e.g. 4b), a title 1000 (limits fixed in antq.criterion_check).');
    END IF;
    IF coalesce(cardinality(NEW.incident_kinds), 0) > 32 OR coalesce(cardinality(NEW.unit_kinds), 0) > 32
            OR coalesce(cardinality(NEW.applies_sub_kinds), 0) > 32
            OR length(array_to_string(NEW.applies_sub_kinds, ',')) > 1000 THEN
        PERFORM antq.rule_out_of_range('22001', 'criterion',
            CASE WHEN coalesce(cardinality(NEW.incident_kinds), 0) > 32 THEN 'incident_kinds'
                 WHEN coalesce(cardinality(NEW.unit_kinds), 0) > 32 THEN 'unit_kinds' ELSE 'applies_sub_kinds' END,
            what, 'too long a list',
            'A list holds at most 32 entries of at most 1000 characters in all (limits fixed in antq.criterion_check).');
    END IF;
    want := CASE NEW.form
        WHEN 'fact_true' THEN ARRAY['boolean']
        WHEN 'date_in_q1' THEN ARRAY['date']
        WHEN 'ratio_at_least' THEN ARRAY['integer']
        WHEN 'count_at_most' THEN ARRAY['integer']
        WHEN 'count_at_least' THEN ARRAY['integer']
        WHEN 'not_above_last_year' THEN ARRAY['integer']
        WHEN 'rating_at_least' THEN ARRAY['text']
    END;
    FOREACH f IN ARRAY ARRAY[NEW.fact, NEW.fact2, NEW.applies_if] LOOP
        CONTINUE WHEN f IS NULL;
        ft := antq.fact_type(f);
        IF ft IS NULL THEN
            PERFORM antq.rule_reject('criterion', CASE f WHEN NEW.fact THEN 'fact' WHEN NEW.fact2 THEN 'fact2' ELSE 'applies_if' END,
                what, format('no fact "%s"', antq.clip(f, 64)),
                'A criterion reads a column of antq.assessment (e.g. crime_count) or extra.<key> for a province''s own fact.');
        END IF;
        IF ft <> 'jsonb'::regtype AND ((f = NEW.applies_if AND ft <> 'boolean'::regtype)
                OR (f IS DISTINCT FROM NEW.applies_if AND want IS NOT NULL AND NOT ft::text = ANY (want))) THEN
            PERFORM antq.rule_reject('criterion', CASE f WHEN NEW.applies_if THEN 'applies_if' WHEN NEW.fact THEN 'fact' ELSE 'fact2' END,
                what, format('fact "%s" is %s, which form %s cannot read', antq.clip(f, 64), ft, NEW.form),
                format('Form %s reads %s facts; applies_if reads a boolean fact.', NEW.form, coalesce(array_to_string(want, ' or '), 'no')));
        END IF;
    END LOOP;
    IF NEW.form IN ('fact_true', 'date_in_q1', 'ratio_at_least', 'count_at_most', 'count_at_least', 'not_above_last_year', 'rating_at_least')
            AND NEW.fact IS NULL THEN
        PERFORM antq.rule_reject('criterion', 'fact', what, format('form %s needs a fact', NEW.form), 'Name the fact it reads, e.g. crime_count.');
    END IF;
    IF NEW.form = 'ratio_at_least' AND NEW.fact2 IS NULL THEN
        PERFORM antq.rule_reject('criterion', 'fact2', what, 'a ratio needs its denominator', 'Name the denominator fact, e.g. households_total.');
    END IF;
    IF NEW.form IN ('ratio_at_least', 'count_at_most', 'count_at_least', 'units_registered', 'units_recognized') AND NEW.threshold IS NULL THEN
        PERFORM antq.rule_reject('criterion', 'threshold', what, format('form %s needs a threshold', NEW.form), 'Give the number to compare with, e.g. 0.7 for 70%.');
    END IF;
    IF NEW.threshold < 0 THEN
        PERFORM antq.rule_reject('criterion', 'threshold', what, 'negative threshold', 'Thresholds are 0 or more.');
    END IF;
    -- What the engine holds (rules_cache.c loads threshold * 10^6 as an int8; criteria.c
    -- multiplies shares by unit counts in 64 bits) and what the form means: a fraction for
    -- shares and decreases, a ratio up to 100, a count within the integer range of the facts.
    -- NaN and infinity compare above every bound.
    IF NEW.threshold > (CASE WHEN NEW.form IN ('units_registered', 'units_recognized', 'not_above_last_year') THEN 1
                             WHEN NEW.form = 'ratio_at_least' THEN 100 ELSE 2147483647 END) THEN
        PERFORM antq.rule_out_of_range('22003', 'criterion', 'threshold', what,
            format('threshold %s is out of range for form %s', antq.clip(NEW.threshold::text, 40), NEW.form),
            CASE WHEN NEW.form IN ('units_registered', 'units_recognized', 'not_above_last_year')
                     THEN format('Form %s takes a fraction from 0 to 1 (0.7 = 70%%).', NEW.form)
                 WHEN NEW.form = 'ratio_at_least' THEN 'A ratio threshold lies from 0 to 100 (0.7 = 70%).'
                 ELSE 'A threshold lies from 0 to 2147483647, the range of the counts it compares with.' END
            || ' The engine holds thresholds to 6 decimals (limits fixed in antq.criterion_check).');
    END IF;
    IF NEW.threshold <> round(NEW.threshold, 6) THEN
        PERFORM antq.rule_out_of_range('22003', 'criterion', 'threshold', what,
            format('threshold %s has more than 6 decimals', antq.clip(NEW.threshold::text, 40)),
            'The engine holds thresholds to 6 decimals (rules_cache.c), e.g. 0.7 or 0.333333.');
    END IF;
    IF NEW.form = 'no_incident' THEN
        IF coalesce(cardinality(NEW.incident_kinds), 0) = 0 THEN
            PERFORM antq.rule_reject('criterion', 'incident_kinds', what, 'no incident kinds', 'List the kinds of antq.incident_kinds() that break it.');
        END IF;
        FOREACH k IN ARRAY NEW.incident_kinds LOOP
            IF NOT EXISTS (SELECT 1 FROM antq.incident_kinds() i WHERE i.kind = k) THEN
                PERFORM antq.rule_reject('criterion', 'incident_kinds', what, format('unknown incident kind "%s"', antq.clip(k, 40)), 'Kinds are listed by antq.incident_kinds().');
            END IF;
        END LOOP;
    END IF;
    IF NEW.min_severity IS NOT NULL AND antq.severity_rank(NEW.min_severity) IS NULL THEN
        PERFORM antq.rule_reject('criterion', 'min_severity', what, format('unknown severity "%s"', antq.clip(NEW.min_severity, 40)),
            'Severities are less_serious, serious, very_serious, especially_serious.');
    END IF;
    IF NEW.form = 'rating_at_least' AND (NEW.level IS NULL OR NEW.level NOT IN ('not_completed', 'completed', 'completed_well', 'completed_excellently')) THEN
        PERFORM antq.rule_reject('criterion', 'level', what, format('unknown level "%s"', antq.clip(NEW.level, 40)),
            'Levels are not_completed, completed, completed_well, completed_excellently.');
    END IF;
    IF NEW.form IN ('units_registered', 'units_recognized') AND (coalesce(cardinality(NEW.unit_kinds), 0) = 0
            OR NOT NEW.unit_kinds <@ ARRAY['residential_area', 'agency', 'enterprise', 'school']) THEN
        PERFORM antq.rule_reject('criterion', 'unit_kinds', what, 'missing or unknown unit kinds',
            'Units under a commune''s authority are of kinds residential_area, agency, enterprise, school.');
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION antq.criterion_check() IS
  'Trigger rejecting impossible criteria (kiểm tra tiêu chí): facts that do not exist or have the wrong type, missing parameters, thresholds beyond what the form means and the engine holds, texts and lists too long, unknown incident kinds, severities, levels.';
CREATE TRIGGER criterion_check BEFORE INSERT OR UPDATE ON antq.criterion
    FOR EACH ROW EXECUTE FUNCTION antq.criterion_check();

-- The scope of a criteria set or a scoring sheet: a province code as the registry writes it
-- (capture queues it), years within the window antq accepts (capture and the rules cache key on
-- them), texts of a sane length. NULL years stay open.
CREATE FUNCTION antq.rule_scope_check() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    what text := CASE TG_TABLE_NAME WHEN 'criteria_set' THEN format('criteria set %s', antq.clip(to_jsonb(NEW) ->> 'set_id', 64))
                                    ELSE format('scoring sheet %s', to_jsonb(NEW) ->> 'sheet_id') END;
BEGIN
    IF TG_TABLE_NAME = 'criteria_set' AND length(to_jsonb(NEW) ->> 'set_id') > 64 THEN
        PERFORM antq.rule_out_of_range('22001', TG_TABLE_NAME, 'set_id', what, format('a set_id of %s characters', length(to_jsonb(NEW) ->> 'set_id')),
            'A set_id has at most 64 characters (a limit fixed in antq.rule_scope_check), e.g. 08-commune-2024.');
    END IF;
    IF NEW.province_code !~ '^[0-9]{2}$' THEN
        PERFORM antq.rule_out_of_range('23514', TG_TABLE_NAME, 'province_code', what, format('malformed province code "%s"', antq.clip(NEW.province_code, 40)),
            'A province code has exactly 2 digits (Decision 124/2004/QĐ-TTg), e.g. 08; leave it empty for a national rule.');
    END IF;
    IF NEW.first_year < antq.year_min() OR NEW.first_year > antq.year_max() THEN
        PERFORM antq.rule_out_of_range('22008', TG_TABLE_NAME, 'first_year', what, format('year %s is outside the years antq accepts', NEW.first_year),
            antq.year_window_hint() || ' Leave first_year empty for a rule in force from the beginning.');
    END IF;
    IF NEW.last_year < antq.year_min() OR NEW.last_year > antq.year_max() THEN
        PERFORM antq.rule_out_of_range('22008', TG_TABLE_NAME, 'last_year', what, format('year %s is outside the years antq accepts', NEW.last_year),
            antq.year_window_hint() || ' Leave last_year empty while the rule is in force.');
    END IF;
    IF length(NEW.title) > 1000 OR length(NEW.legal_basis) > 500 THEN
        PERFORM antq.rule_out_of_range('22001', TG_TABLE_NAME, CASE WHEN length(NEW.title) > 1000 THEN 'title' ELSE 'legal_basis' END, what,
            CASE WHEN length(NEW.title) > 1000 THEN format('a title of %s characters', length(NEW.title))
                 ELSE format('a legal basis of %s characters', length(NEW.legal_basis)) END,
            'A title has at most 1000 characters, a legal basis 500 (limits fixed in antq.rule_scope_check).');
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION antq.rule_scope_check() IS
  'Trigger on criteria sets and scoring sheets (kiểm tra phạm vi quy tắc): a malformed province code, years outside the window accepted, texts too long.';
CREATE TRIGGER criteria_set_check BEFORE INSERT OR UPDATE ON antq.criteria_set
    FOR EACH ROW EXECUTE FUNCTION antq.rule_scope_check();
CREATE TRIGGER scoring_sheet_check BEFORE INSERT OR UPDATE ON antq.scoring_sheet
    FOR EACH ROW EXECUTE FUNCTION antq.rule_scope_check();

-- Items and bands hold points the engine compares as numeric: finite, on a sheet of at most
-- 1000 points (the national sheets have 100), so that NaN, infinity or 1e1000 cannot make every
-- score fall outside every band.
CREATE FUNCTION antq.scoring_item_check() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    what text := format('item %s of sheet %s', antq.clip(NEW.item, 40), NEW.sheet_id);
BEGIN
    IF length(NEW.item) > 40 OR length(NEW.title) > 1000 THEN
        PERFORM antq.rule_out_of_range('22001', 'scoring_item', CASE WHEN length(NEW.item) > 40 THEN 'item' ELSE 'title' END, what,
            CASE WHEN length(NEW.item) > 40 THEN format('an item of %s characters', length(NEW.item))
                 ELSE format('a title of %s characters', length(NEW.title)) END,
            'An item number has at most 40 characters (e.g. 2.3), a title 1000 (limits fixed in antq.scoring_item_check).');
    END IF;
    IF NEW.max_points > 1000 THEN
        PERFORM antq.rule_out_of_range('22003', 'scoring_item', 'max_points', what, format('maximum %s is out of range', antq.clip(NEW.max_points::text, 40)),
            'An item''s maximum lies above 0 and at most 1000 points (a limit fixed in antq.scoring_item_check); the national sheets have 100 points in all.');
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION antq.scoring_item_check() IS
  'Trigger on scoring-sheet items (kiểm tra mục chấm điểm): a maximum that is not a finite number of at most 1000 points, texts too long.';
CREATE TRIGGER scoring_item_check BEFORE INSERT OR UPDATE ON antq.scoring_item
    FOR EACH ROW EXECUTE FUNCTION antq.scoring_item_check();

CREATE FUNCTION antq.check_band_scores() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.min_score < 0 OR NEW.min_score > 1000 OR NEW.max_score < 0 OR NEW.max_score > 1000 THEN
        PERFORM antq.rule_out_of_range('22003', 'rating_band', CASE WHEN NEW.min_score < 0 OR NEW.min_score > 1000 THEN 'min_score' ELSE 'max_score' END,
            format('band %s of sheet %s', NEW.rating, NEW.sheet_id),
            format('score %s is out of range', antq.clip(CASE WHEN NEW.min_score < 0 OR NEW.min_score > 1000 THEN NEW.min_score ELSE NEW.max_score END::text, 40)),
            'Band scores lie from 0 to 1000 points (a limit fixed in antq.check_band_scores); the top band has no max_score.');
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION antq.check_band_scores() IS
  'Trigger on rating bands (kiểm tra giới hạn khung điểm): scores that are not finite numbers from 0 to 1000.';
CREATE TRIGGER band_scores_check BEFORE INSERT OR UPDATE ON antq.rating_band
    FOR EACH ROW EXECUTE FUNCTION antq.check_band_scores();

-- The bands of every sheet that has any tile [0, infinity): the lowest starts at 0, each ends
-- where the next begins, the top is open, and better levels lie higher. Checked per statement,
-- since a band set is written in one statement and is incomplete row by row.
CREATE FUNCTION antq.check_rating_bands() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bad record;
    emptied bigint;
BEGIN
    -- A DELETE that takes every band of a sheet still in place leaves each of its scores
    -- without a rating (the engine loads a sheet with its bands only); deleting the sheet
    -- itself (its bands go with it) is how a sheet is withdrawn.
    IF TG_OP = 'DELETE' THEN
        SELECT s.sheet_id INTO emptied FROM antq.scoring_sheet s
         WHERE s.sheet_id IN (SELECT o.sheet_id FROM antq_old_bands o)
           AND NOT EXISTS (SELECT 1 FROM antq.rating_band r WHERE r.sheet_id = s.sheet_id)
         ORDER BY s.sheet_id LIMIT 1;
        IF FOUND THEN
            PERFORM antq.rule_reject('rating_band', 'rating', format('the rating bands of sheet %s', emptied),
                'every band deleted, so no score has a rating',
                'Replace the bands in one statement (UPDATE), or delete the sheet itself from antq.scoring_sheet.');
        END IF;
    END IF;
    SELECT b.sheet_id, b.rating, b.min_score, b.max_score, b.prev_max, b.prev_rating, b.is_first, b.is_last INTO bad
      FROM (SELECT r.*, lag(r.max_score) OVER w AS prev_max, lag(r.rating) OVER w AS prev_rating,
                   row_number() OVER w = 1 AS is_first,
                   row_number() OVER w = count(*) OVER (PARTITION BY r.sheet_id) AS is_last
              FROM antq.rating_band r
            WINDOW w AS (PARTITION BY r.sheet_id ORDER BY r.min_score, r.rating)) b
     WHERE (b.is_first AND b.min_score <> 0)
        OR (NOT b.is_first AND b.prev_max IS DISTINCT FROM b.min_score)
        OR (b.is_last AND b.max_score IS NOT NULL)
        OR (NOT b.is_last AND (b.max_score IS NULL OR b.max_score <= b.min_score))
        OR (NOT b.is_first AND b.prev_rating::integer >= b.rating::integer)
     ORDER BY b.sheet_id, b.min_score
     LIMIT 1;
    IF FOUND THEN
        PERFORM antq.rule_reject('rating_band', 'min_score', format('the rating bands of sheet %s', bad.sheet_id),
            CASE WHEN bad.is_first AND bad.min_score <> 0 THEN format('the lowest band (%s) starts at %s, not 0', bad.rating, bad.min_score)
                 WHEN NOT bad.is_first AND bad.prev_max < bad.min_score THEN format('gap between %s and %s before %s', bad.prev_max, bad.min_score, bad.rating)
                 WHEN NOT bad.is_first AND bad.prev_max > bad.min_score THEN format('overlap between %s and %s at %s', bad.min_score, bad.prev_max, bad.rating)
                 WHEN NOT bad.is_first AND bad.prev_max IS NULL THEN format('a band below %s has no upper end (overlap)', bad.rating)
                 WHEN bad.is_last AND bad.max_score IS NOT NULL THEN format('the top band (%s) ends at %s; leave max_score empty', bad.rating, bad.max_score)
                 WHEN NOT bad.is_last AND bad.max_score IS NULL THEN format('band %s has no upper end but is not the top band (overlap)', bad.rating)
                 WHEN NOT bad.is_last AND bad.max_score <= bad.min_score THEN format('band %s is empty', bad.rating)
                 ELSE format('band %s lies above a better level', bad.rating) END,
            'The bands of a sheet cover [0, infinity) without gaps or overlaps: each max_score equals the next min_score, the top band has no max_score, better levels lie higher. Write a sheet''s bands in one statement.');
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION antq.check_rating_bands() IS
  'Statement trigger rejecting rating bands with gaps, overlaps or levels out of order, or a sheet left without bands, so that every score has a rating (kiểm tra khung điểm xếp loại).';
CREATE TRIGGER rating_band_check AFTER INSERT OR UPDATE ON antq.rating_band
    FOR EACH STATEMENT EXECUTE FUNCTION antq.check_rating_bands();
-- Deleting bands is checked too: the lowest band gone leaves scores from 0 without a rating.
CREATE TRIGGER rating_band_delete_check AFTER DELETE ON antq.rating_band
    REFERENCING OLD TABLE AS antq_old_bands
    FOR EACH STATEMENT EXECUTE FUNCTION antq.check_rating_bands();

-- Any change to the rules drops every backend's compiled copy (rules_cache.c) and bumps the
-- rules' version in the same transaction: the worker can see the keys a rules change queued
-- before the change's invalidation reaches it, and checks the version first.
CREATE TABLE antq.rules_version (
    version bigint NOT NULL
);
CREATE UNIQUE INDEX rules_version_one_row ON antq.rules_version ((true));
INSERT INTO antq.rules_version VALUES (1);
COMMENT ON TABLE antq.rules_version IS
  'One row: a number bumped by every change to the rules tables (phiên bản quy tắc), in the changing transaction; a backend''s compiled rules remember the number they were read with.';
COMMENT ON COLUMN antq.rules_version.version IS 'Bumped by each statement that changes a rules table (số phiên bản).';

CREATE FUNCTION antq.rules_changed() RETURNS trigger
AS 'MODULE_PATHNAME', 'antq_rules_changed' LANGUAGE C
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION antq.rules_changed() IS
  'Statement trigger on the rules tables (báo thay đổi quy tắc): invalidates the compiled rules cached in every backend and bumps antq.rules_version; runs as the extension''s owner, who alone writes antq.rules_version.';
CREATE FUNCTION antq.rules_check_current() RETURNS void
AS 'MODULE_PATHNAME', 'antq_rules_check_current' LANGUAGE C;
COMMENT ON FUNCTION antq.rules_check_current() IS
  'Drops this backend''s compiled rules when antq.rules_version moved past the one they were read with (kiểm tra quy tắc hiện hành); called before storing results.';
CREATE TRIGGER criteria_set_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON antq.criteria_set
    FOR EACH STATEMENT EXECUTE FUNCTION antq.rules_changed();
CREATE TRIGGER criterion_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON antq.criterion
    FOR EACH STATEMENT EXECUTE FUNCTION antq.rules_changed();
CREATE TRIGGER scoring_sheet_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON antq.scoring_sheet
    FOR EACH STATEMENT EXECUTE FUNCTION antq.rules_changed();
CREATE TRIGGER rating_band_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON antq.rating_band
    FOR EACH STATEMENT EXECUTE FUNCTION antq.rules_changed();
-- Also in sessions with session_replication_role = replica: a rule edited there must not leave
-- other backends, the worker among them, computing with the old rule.
ALTER TABLE antq.criteria_set ENABLE ALWAYS TRIGGER criteria_set_changed;
ALTER TABLE antq.criterion ENABLE ALWAYS TRIGGER criterion_changed;
ALTER TABLE antq.scoring_sheet ENABLE ALWAYS TRIGGER scoring_sheet_changed;
ALTER TABLE antq.rating_band ENABLE ALWAYS TRIGGER rating_band_changed;
-- A subscription's apply fires row triggers only: the same function per row, there alone.
CREATE TRIGGER criteria_set_applied AFTER INSERT OR UPDATE OR DELETE ON antq.criteria_set
    FOR EACH ROW EXECUTE FUNCTION antq.rules_changed();
CREATE TRIGGER criterion_applied AFTER INSERT OR UPDATE OR DELETE ON antq.criterion
    FOR EACH ROW EXECUTE FUNCTION antq.rules_changed();
CREATE TRIGGER scoring_sheet_applied AFTER INSERT OR UPDATE OR DELETE ON antq.scoring_sheet
    FOR EACH ROW EXECUTE FUNCTION antq.rules_changed();
CREATE TRIGGER rating_band_applied AFTER INSERT OR UPDATE OR DELETE ON antq.rating_band
    FOR EACH ROW EXECUTE FUNCTION antq.rules_changed();
ALTER TABLE antq.criteria_set ENABLE REPLICA TRIGGER criteria_set_applied;
ALTER TABLE antq.criterion ENABLE REPLICA TRIGGER criterion_applied;
ALTER TABLE antq.scoring_sheet ENABLE REPLICA TRIGGER scoring_sheet_applied;
ALTER TABLE antq.rating_band ENABLE REPLICA TRIGGER rating_band_applied;

GRANT INSERT, UPDATE, DELETE ON antq.criteria_set, antq.criterion, antq.scoring_sheet, antq.scoring_item, antq.rating_band TO antq_admin;
GRANT USAGE ON SEQUENCE antq.scoring_sheet_sheet_id_seq TO antq_admin;

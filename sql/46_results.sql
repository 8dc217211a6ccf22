-- Results per unit and year (kết quả đánh giá): the table antq.compute_results and the worker
-- keep (47_compute.sql computes them), and the view BI tools read.

CREATE TABLE antq.unit_result (
    unit_id          bigint  NOT NULL,
    year             integer NOT NULL,
    kind             text    NOT NULL,
    code             text    NOT NULL,
    name             text    NOT NULL,
    province_code    text    NOT NULL,
    registered       boolean NOT NULL,
    assessed         boolean NOT NULL,
    safe_attainment  antq.attainment,
    safe_met         boolean,
    score            numeric,
    rating           antq.rating,
    model_attainment antq.attainment,
    model_met        boolean,
    model_programme  boolean NOT NULL,
    model_on_track   boolean,
    unit_counts      integer[],
    decision_met     boolean,
    decision_rating  antq.rating,
    disagrees        boolean NOT NULL,
    -- What the unit adds to the area summaries (antq.summary), kept here so that a change to a
    -- few units updates the summaries by difference instead of re-reading the province.
    commune_code           text,
    district_code          text,
    incidents              integer NOT NULL,
    incidents_by_kind      jsonb   NOT NULL,
    tipoffs                integer,
    outreach_target        integer,
    outreach_reached       integer,
    crime_reports_received integer,
    crime_reports_handled  integer,
    traffic_accidents      integer,
    traffic_deaths         integer,
    traffic_injuries       integer,
    computed_at      timestamptz NOT NULL,
    PRIMARY KEY (unit_id, year)
);
CREATE INDEX unit_result_province_year ON antq.unit_result (province_code, year);
COMMENT ON TABLE antq.unit_result IS
  'Result per unit version and year (kết quả đánh giá đơn vị): safe standard, classification, model-unit progress and the official decisions, kept by antq.compute_results (and the worker).';
COMMENT ON COLUMN antq.unit_result.unit_id IS 'Version of the unit (đơn vị), antq.unit.unit_id.';
COMMENT ON COLUMN antq.unit_result.year IS 'Year assessed (năm đánh giá).';
COMMENT ON COLUMN antq.unit_result.kind IS 'Unit kind (loại đơn vị).';
COMMENT ON COLUMN antq.unit_result.code IS 'Permanent code of the unit (mã đơn vị).';
COMMENT ON COLUMN antq.unit_result.name IS 'Name of the unit (tên đơn vị).';
COMMENT ON COLUMN antq.unit_result.province_code IS 'Code of its province (mã tỉnh).';
COMMENT ON COLUMN antq.unit_result.registered IS 'Registered for the movement this year (đã đăng ký): its assessment has a registration date.';
COMMENT ON COLUMN antq.unit_result.assessed IS
  'The unit reported its facts for the year (đã có số liệu đánh giá): it has an antq.assessment row. When false the unit is not assessed (chưa đánh giá), which is not "not met": safe_attainment, safe_met, rating, model_attainment and model_met are NULL and disagrees is false.';
COMMENT ON COLUMN antq.unit_result.safe_attainment IS 'Each safe-standard criterion met, not met or not applicable (kết quả từng tiêu chí an toàn); NULL when the unit is not assessed or no safe-standard set applies to its kind (districts, residential areas before 2022).';
COMMENT ON COLUMN antq.unit_result.safe_met IS 'Met (computed) (đạt chuẩn, theo tính toán): meets the "Safe on security and order" standard as the engine computes it from the facts, every applicable criterion met; NULL when not assessed or no safe-standard set applies. Not the official recognition: see decision_met.';
COMMENT ON COLUMN antq.unit_result.score IS 'Total points of the classification sheet (tổng điểm chấm).';
COMMENT ON COLUMN antq.unit_result.rating IS 'Classification of the movement after bands and the cap (xếp loại phong trào).';
COMMENT ON COLUMN antq.unit_result.model_attainment IS 'Each model-unit criterion met or not (kết quả tiêu chí điển hình); NULL when the kind has no model set that year.';
COMMENT ON COLUMN antq.unit_result.model_met IS 'Meets every model-unit criterion (đạt điển hình).';
COMMENT ON COLUMN antq.unit_result.model_programme IS
  'Takes part in the model-unit programme this year (tham gia xây dựng điển hình): the province selected it (antq.model_participation). Only these units count in the summaries'' model_participants columns; model_attainment and model_met are computed for every assessed unit of a kind with a model set.';
COMMENT ON COLUMN antq.unit_result.model_on_track IS
  'Taking part in the model-unit programme and on track (đúng tiến độ): assessed, and none of its model-unit checks of the year (antq.model_check) recorded as not met, the criteria not yet checked being still to come; a complete unit is on track. NULL when it does not take part, is not assessed or no model set applies to its kind (docs/figures.md).';
COMMENT ON COLUMN antq.unit_result.unit_counts IS
  'Communes: units under its authority per kind (residential_area, agency, enterprise, school), each as total, registered, recognized as its criterion 4 counts them (by decision where one is recorded, else met as computed) (số đơn vị thuộc thẩm quyền): 12 integers.';
COMMENT ON COLUMN antq.unit_result.decision_met IS 'Recognized (decided) (được công nhận, theo quyết định): the official recognition as safe by the managing authority, when decided; NULL when no decision is recorded. A commune''s criterion 4 counts a unit as recognized by this decision where there is one, else by safe_met.';
COMMENT ON COLUMN antq.unit_result.decision_rating IS 'Official classification, when decided (quyết định xếp loại).';
COMMENT ON COLUMN antq.unit_result.disagrees IS 'The decision differs from the computed result (quyết định khác kết quả tính toán): recognition vs safe_met, or decided vs computed rating; false when the unit is not assessed (nothing computed to differ from).';
COMMENT ON COLUMN antq.unit_result.commune_code IS
  'Commune the unit lies in (xã, phường, đặc khu nơi đơn vị trực thuộc), where it counts in the commune summary; NULL for a unit lying directly in a district or province, and for communes and districts.';
COMMENT ON COLUMN antq.unit_result.district_code IS
  'District the unit or its commune lies in (huyện trực thuộc), before the 2025 reform; NULL from 2025 and outside districts.';
COMMENT ON COLUMN antq.unit_result.incidents IS
  'Incidents its criteria read as its own in its assessment window (số vụ việc), as counted in the summaries: those of this version and of the versions it grew out of (merged, continued or split; a split predecessor''s count for each successor), not those of the units lying in a commune, which count in their own rows (docs/reform.md).';
COMMENT ON COLUMN antq.unit_result.incidents_by_kind IS 'The same incidents by kind (số vụ việc theo loại) as a JSON object {kind: count}; {} when none.';
COMMENT ON COLUMN antq.unit_result.tipoffs IS 'Tip-offs from residents this year (tin báo của quần chúng), from the assessment; NULL when not recorded.';
COMMENT ON COLUMN antq.unit_result.outreach_target IS 'People the outreach should reach (đối tượng cần tuyên truyền), from the assessment.';
COMMENT ON COLUMN antq.unit_result.outreach_reached IS 'People the outreach reached (số được tuyên truyền), from the assessment.';
COMMENT ON COLUMN antq.unit_result.crime_reports_received IS 'Crime reports and denunciations received (tin báo, tố giác tội phạm tiếp nhận), from the assessment.';
COMMENT ON COLUMN antq.unit_result.crime_reports_handled IS 'Crime reports handled (tin báo, tố giác đã giải quyết), from the assessment.';
COMMENT ON COLUMN antq.unit_result.traffic_accidents IS 'Traffic accidents (số vụ tai nạn giao thông), from the assessment.';
COMMENT ON COLUMN antq.unit_result.traffic_deaths IS 'Traffic deaths (số người chết do tai nạn giao thông), from the assessment.';
COMMENT ON COLUMN antq.unit_result.traffic_injuries IS 'Traffic injuries (số người bị thương do tai nạn giao thông), from the assessment.';
COMMENT ON COLUMN antq.unit_result.computed_at IS 'When the result was last computed and stored (thời điểm tính); a recompute of the whole province that finds the same result leaves the row, and this time, as it was.';

CREATE VIEW antq.v_unit_result AS
SELECT r.unit_id, r.year, r.kind, r.code, r.name, r.province_code, r.registered, r.safe_met,
       antq.met_count(r.safe_attainment) AS safe_criteria_met,
       antq.applicable_count(r.safe_attainment) AS safe_criteria_applicable,
       r.score, r.rating::text AS rating, r.rating::integer AS rating_level,
       antq.met_count(r.model_attainment) AS model_criteria_met,
       antq.criteria_count(r.model_attainment) AS model_criteria_total,
       r.model_met, r.decision_met, r.decision_rating::text AS decision_rating, r.disagrees, r.computed_at,
       k.label_vi AS kind_vi, k.label_en AS kind_en, r.commune_code, r.district_code,
       rl.code AS rating_code, rl.label_vi AS rating_vi, rl.label_en AS rating_en,
       dl.label_vi AS decision_rating_vi, dl.label_en AS decision_rating_en, r.assessed,
       coalesce(r.decision_met, r.safe_met) AS recognized_counted, r.model_programme, r.model_on_track
  FROM antq.unit_result r
  LEFT JOIN antq.unit_kinds() k ON k.kind OPERATOR(pg_catalog.=) r.kind
  LEFT JOIN antq.rating_levels() rl ON rl.level OPERATOR(pg_catalog.=) r.rating::integer
  LEFT JOIN antq.rating_levels() dl ON dl.level OPERATOR(pg_catalog.=) r.decision_rating::integer;
COMMENT ON VIEW antq.v_unit_result IS 'Results per unit and year with plain SQL types for BI tools (kết quả đánh giá đơn vị).';
COMMENT ON COLUMN antq.v_unit_result.unit_id IS 'Version of the unit (đơn vị).';
COMMENT ON COLUMN antq.v_unit_result.year IS 'Year assessed (năm đánh giá).';
COMMENT ON COLUMN antq.v_unit_result.kind IS 'Unit kind (loại đơn vị): residential_area, commune, agency, enterprise, school, district.';
COMMENT ON COLUMN antq.v_unit_result.code IS 'Permanent code (mã đơn vị).';
COMMENT ON COLUMN antq.v_unit_result.name IS 'Name (tên đơn vị).';
COMMENT ON COLUMN antq.v_unit_result.province_code IS 'Province code (mã tỉnh).';
COMMENT ON COLUMN antq.v_unit_result.registered IS 'Registered for the movement (đã đăng ký).';
COMMENT ON COLUMN antq.v_unit_result.safe_met IS 'Met (computed) (đạt chuẩn, theo tính toán): meets the safe standard as the engine computes it from the facts; NULL when not assessed or no safe-standard set applies. Not the official recognition (decision_met).';
COMMENT ON COLUMN antq.v_unit_result.safe_criteria_met IS 'Safe-standard criteria met (số tiêu chí đạt).';
COMMENT ON COLUMN antq.v_unit_result.safe_criteria_applicable IS 'Safe-standard criteria that apply (số tiêu chí áp dụng).';
COMMENT ON COLUMN antq.v_unit_result.score IS 'Total classification points (tổng điểm).';
COMMENT ON COLUMN antq.v_unit_result.rating IS 'Classification label (xếp loại) in the session''s antq.rating_style: Xuất sắc, Khá, Trung bình, Yếu; for display only: group and sort by rating_code, rating_vi or rating_level, which do not change with the setting.';
COMMENT ON COLUMN antq.v_unit_result.rating_level IS 'Classification as a number (mức xếp loại): 1 Yếu, 2 Trung bình, 3 Khá, 4 Xuất sắc.';
COMMENT ON COLUMN antq.v_unit_result.model_criteria_met IS 'Model-unit criteria met (số tiêu chí điển hình đạt), e.g. 28 of 34.';
COMMENT ON COLUMN antq.v_unit_result.model_criteria_total IS 'Model-unit criteria in the set (tổng số tiêu chí điển hình).';
COMMENT ON COLUMN antq.v_unit_result.model_met IS 'Meets every model-unit criterion (đạt điển hình).';
COMMENT ON COLUMN antq.v_unit_result.decision_met IS 'Recognized (decided) (được công nhận, theo quyết định): officially recognized as safe by its managing authority; NULL when no decision is recorded. Not the computed result (safe_met).';
COMMENT ON COLUMN antq.v_unit_result.decision_rating IS 'Official classification label (xếp loại theo quyết định), when decided.';
COMMENT ON COLUMN antq.v_unit_result.disagrees IS 'The decision differs from the computed result (quyết định khác kết quả tính toán).';
COMMENT ON COLUMN antq.v_unit_result.computed_at IS 'When the result was computed (thời điểm tính).';
COMMENT ON COLUMN antq.v_unit_result.kind_vi IS 'Unit kind in Vietnamese (loại đơn vị), e.g. Khu dân cư.';
COMMENT ON COLUMN antq.v_unit_result.kind_en IS 'Unit kind in English, e.g. Residential area.';
COMMENT ON COLUMN antq.v_unit_result.commune_code IS 'Code of the commune the unit lies in or is managed by (mã xã), as antq.unit_result.commune_code.';
COMMENT ON COLUMN antq.v_unit_result.district_code IS 'Code of the district it lay in (mã huyện), before the 2025 reform.';
COMMENT ON COLUMN antq.v_unit_result.rating_code IS 'Classification as a fixed ASCII code (mã xếp loại): xuat_sac, kha, trung_binh, yeu; does not change with antq.rating_style, so it groups and sorts the same in every session.';
COMMENT ON COLUMN antq.v_unit_result.rating_vi IS 'Classification in Vietnamese (xếp loại), whatever antq.rating_style is: Xuất sắc, Khá, Trung bình, Yếu.';
COMMENT ON COLUMN antq.v_unit_result.rating_en IS 'Classification in English, whatever antq.rating_style is: Excellent, Good, Average, Weak.';
COMMENT ON COLUMN antq.v_unit_result.decision_rating_vi IS 'Official classification in Vietnamese (xếp loại theo quyết định), when decided.';
COMMENT ON COLUMN antq.v_unit_result.decision_rating_en IS 'Official classification in English, when decided.';
COMMENT ON COLUMN antq.v_unit_result.recognized_counted IS 'How the criterion 4 of the commune managing it counts the unit (được tính là công nhận ở tiêu chí 4 của xã): recognized (decided) where a decision is recorded, else met (computed); NULL (not counted as recognized) when neither is known.';
COMMENT ON COLUMN antq.v_unit_result.model_programme IS 'Takes part in the model-unit programme this year (tham gia xây dựng điển hình), selected by the province (antq.model_participation); antq.v_model_programme lists the participants with their progress.';
COMMENT ON COLUMN antq.v_unit_result.model_on_track IS 'Taking part in the model-unit programme and on track (đúng tiến độ): no model-unit check of the year recorded as not met; NULL when not taking part or not assessed.';
COMMENT ON COLUMN antq.v_unit_result.assessed IS 'The unit reported its facts for the year (đã có số liệu đánh giá); when false it is not assessed (chưa đánh giá), not "not met": safe_met, the criteria counts and the rating are NULL.';

-- No role is granted INSERT, UPDATE or DELETE: results are official figures, written only by the
-- extension's own code (the worker, antq.refresh), so that no writer can forge or erase them.
